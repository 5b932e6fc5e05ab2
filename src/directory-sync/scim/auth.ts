/**
 * The SCIM bearer hook: resolves the directory from the URL and checks the bearer token against the
 * directory's stored SHA-256 (constant time). The result is put on the request; handlers never look
 * the directory up again and never share it across requests.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { constantTimeEqual, tokenHash } from '../../crypto/secrets.ts';
import { directoriesRepo, type DirectoryRow } from '../../storage/index.ts';
import type { ScimScope } from './scope.ts';

declare module 'fastify' {
  interface FastifyRequest {
    scimScope: ScimScope | null;
  }
}

/**
 * Directories the hook has read, for 2 s: a SCIM burst (an IdP's initial push) then costs one
 * lookup per directory, not one per request. Changes made on this instance (rotation, deactivation,
 * deletion) drop the entry at once; other instances see them within the 2 s.
 */
const CACHE_MS = 2000;
const caches = new WeakMap<object, Map<string, { row: DirectoryRow | undefined; until: number }>>();

function cacheOf(db: object) {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  return c;
}

export function forgetDirectory(db: object, id: string): void {
  caches.get(db)?.delete(id);
}

async function findDirectory(db: AppContext['db'], id: string): Promise<DirectoryRow | undefined> {
  const cache = cacheOf(db);
  const now = Date.now();
  const hit = cache.get(id);
  if (hit && hit.until > now) return hit.row;
  const row = await directoriesRepo.findById(db, id);
  if (cache.size > 10_000) cache.clear();
  cache.set(id, { row, until: now + CACHE_MS });
  return row;
}

export const scimBase = (externalUrl: string, directoryId: string) => `${externalUrl}/api/scim/v2.0/${encodeURIComponent(directoryId)}`;

export function scimBearerAuth(ctx: Pick<AppContext, 'db' | 'config'>) {
  return async (req: FastifyRequest) => {
    const directoryId = (req.params as { directoryId?: string }).directoryId ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) throw new GatehouseError('SCIM_UNAUTHORIZED', 'Send the directory\'s SCIM secret as "Authorization: Bearer <secret>".');
    const directory = directoryId.length <= 191 ? await findDirectory(ctx.db, directoryId) : undefined;
    // Unknown directory and wrong token answer the same, after the same work.
    const ok = constantTimeEqual(tokenHash(m[1]!), directory?.scim_secret_hash ?? 'x'.repeat(43));
    if (!directory || !ok) throw new GatehouseError('SCIM_UNAUTHORIZED', 'The bearer token is not valid for this directory.');
    if (directory.deactivated) throw new GatehouseError('SCIM_DIRECTORY_DEACTIVATED');
    req.scimScope = { directory, base: scimBase(ctx.config.EXTERNAL_URL, directory.id) };
  };
}
