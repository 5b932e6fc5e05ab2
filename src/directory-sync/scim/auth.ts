/**
 * The SCIM bearer hook: resolves the directory from the URL and checks the bearer token against the
 * directory's stored SHA-256 (constant time). The result is put on the request; handlers never look
 * the directory up again and never share it across requests.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { constantTimeEqual, tokenHash } from '../../crypto/secrets.ts';
import type { ScimScope } from './scope.ts';
import { ScimReport } from './report.ts';

declare module 'fastify' {
  interface FastifyRequest {
    scimScope: ScimScope | null;
  }
}

export const scimBase = (externalUrl: string, directoryId: string) => `${externalUrl}/api/scim/v2.0/${encodeURIComponent(directoryId)}`;

export function scimBearerAuth(ctx: Pick<AppContext, 'directoryCache' | 'config'>) {
  return async (req: FastifyRequest) => {
    const directoryId = (req.params as { directoryId?: string }).directoryId ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) throw new GatehouseError('SCIM_UNAUTHORIZED', 'Send the directory\'s SCIM secret as "Authorization: Bearer <secret>".');
    const directory = directoryId.length <= 191 ? await ctx.directoryCache.find(directoryId) : undefined;
    // Unknown directory and wrong token answer the same, after the same work.
    const ok = constantTimeEqual(tokenHash(m[1]!), directory?.scim_secret_hash ?? 'x'.repeat(43));
    if (!directory || !ok) throw new GatehouseError('SCIM_UNAUTHORIZED', 'The bearer token is not valid for this directory.');
    if (directory.deactivated) throw new GatehouseError('SCIM_DIRECTORY_DEACTIVATED');
    req.scimScope = { directory, base: scimBase(ctx.config.EXTERNAL_URL, directory.id), report: new ScimReport() };
  };
}
