/**
 * Scope checks for the Directory Sync management API: finds the directory a request targets (path, query or body
 * `directoryId`, an event's directory, or `tenant`/`product`) and hands it to requireApiScope. Only keys limited to
 * tenants or products pay for the lookup.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { directoriesRepo, directoryEventsRepo } from '../storage/index.ts';
import { requireApiScope } from './api-key-scope.ts';

type Q = Record<string, string | undefined>;

export function dsyncKeyScope(ctx: AppContext) {
  return async (req: FastifyRequest) => {
    const scope = req.apiScope;
    if (!scope || (!scope.tenants && !scope.products)) return;
    const p = (req.params ?? {}) as Q;
    const q = (req.query ?? {}) as Q;
    const b = (req.body && typeof req.body === 'object' ? req.body : {}) as Q;
    let directoryId = p.directoryId ?? q.directoryId ?? (typeof b.directoryId === 'string' ? b.directoryId : undefined);
    if (p.eventId) directoryId = (await directoryEventsRepo.findById(ctx.db, p.eventId))?.directory_id ?? '';
    if (directoryId !== undefined) return requireApiScope(req, (await directoriesRepo.findById(ctx.db, directoryId)) ?? {});
    return requireApiScope(req, { tenant: q.tenant ?? b.tenant, product: q.product ?? b.product });
  };
}
