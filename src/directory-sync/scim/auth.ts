/**
 * The SCIM bearer hook: resolves the directory from the URL and checks the bearer token against the
 * directory's stored SHA-256 (constant time). The result is put on the request; handlers never look
 * the directory up again and never share it across requests.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { constantTimeEqual, tokenHash } from '../../crypto/secrets.ts';
import type { ScimScope } from './scope.ts';
import type { DirectoryRow } from '../../storage/index.ts';
import { ScimReport } from './report.ts';

declare module 'fastify' {
  interface FastifyRequest {
    scimScope: ScimScope | null;
  }
}

export const scimBase = (externalUrl: string, directoryId: string) => `${externalUrl}/api/scim/v2.0/${encodeURIComponent(directoryId)}`;

export function scimBearerAuth(ctx: Pick<AppContext, 'directoryCache' | 'config'>) {
  const check = (req: FastifyRequest, token: string, directory: DirectoryRow | undefined) => {
    // Unknown directory and wrong token answer the same, after the same work.
    const ok = constantTimeEqual(tokenHash(token), directory?.scim_secret_hash ?? 'x'.repeat(43));
    if (!directory || !ok) throw new GatehouseError('SCIM_UNAUTHORIZED', 'The bearer token is not valid for this directory.');
    if (directory.deactivated) throw new GatehouseError('SCIM_DIRECTORY_DEACTIVATED');
    req.scimScope = { directory, base: scimBase(ctx.config.EXTERNAL_URL, directory.id), report: new ScimReport() };
  };
  // A callback hook: when the directory is in the cache (a burst), the check runs with no promise and no microtask.
  return (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    const directoryId = (req.params as { directoryId?: string }).directoryId ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) return done(new GatehouseError('SCIM_UNAUTHORIZED', 'Send the directory\'s SCIM secret as "Authorization: Bearer <secret>".'));
    const token = m[1]!;
    const fits = directoryId.length <= 191;
    const hit = fits ? ctx.directoryCache.cached(directoryId) : { row: undefined };
    if (hit) {
      try {
        check(req, token, hit.row);
      } catch (err) {
        return done(err as Error);
      }
      return done();
    }
    ctx.directoryCache.find(directoryId).then(
      (directory) => {
        try {
          check(req, token, directory);
        } catch (err) {
          return done(err as Error);
        }
        done();
      },
      (err: Error) => done(err),
    );
  };
}
