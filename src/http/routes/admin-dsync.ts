/**
 * Route table of the portal's Directory Sync screens: directories, their users, groups, members and webhook
 * events, through the same services as `/api/v1/dsync` (directory-sync/*). Every change is audited; the SCIM
 * secret is shown once, on creation or rotation; webhook secrets never.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { recordAudit } from '../../admin/audit.ts';
import { createDirectory, deleteDirectory, getDirectory, rotateScimSecret, toApiDirectory, updateDirectory } from '../../directory-sync/directories.ts';
import { pullGroupMembers, pullGroups, pullUsers } from '../../directory-sync/pull.ts';
import { listEvents, replayEvent } from '../../directory-sync/events/log.ts';
import { directoryEventsRepo } from '../../storage/index.ts';
import { directoriesRepo } from '../../storage/repositories/directory-directories.ts';
import { isTenantProductKey } from '../../storage/repositories/keyset.ts';
import { decodeCursor, pageLimit, pageOf } from '../../admin/paging.ts';

type Q = Record<string, string | undefined>;
const P = (req: FastifyRequest) => req.params as Record<string, string>;

/** The Directory Sync services page with `pageToken`; the admin API calls it a cursor. */
const withCursor = <T extends { pageToken: string | null }>(r: T) => {
  const { pageToken, ...rest } = r;
  return { ...rest, nextCursor: pageToken };
};
const pull = (req: FastifyRequest, directoryId: string) => {
  const q = req.query as Q;
  return { directoryId, limit: String(pageLimit(q.limit)), ...(q.cursor ? { pageToken: q.cursor } : {}) };
};

export function adminDsyncRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    const opts = { config: { rateLimit } };
    const audit = (req: FastifyRequest, action: string, d: { id: string; tenant: string; product: string }, s: { before?: unknown; after?: unknown }) =>
      recordAudit(ctx, { actor: req.actor!, action, target: { type: 'directory', id: d.id }, tenant: d.tenant, product: d.product, ip: req.ip, ...s });

    app.get('/api/admin/directories', opts, async (req) => {
      const q = req.query as Q;
      const limit = pageLimit(q.limit);
      const rows = await directoriesRepo.page(ctx.db, { tenant: q.tenant || undefined, product: q.product || undefined, limit: limit + 1, after: decodeCursor(q.cursor, isTenantProductKey) });
      return pageOf(rows, limit, (r) => toApiDirectory(ctx, r), (r) => [r.tenant, r.product, r.id]);
    });
    app.post('/api/admin/directories', opts, async (req, reply) => {
      const data = await createDirectory(ctx, req.body);
      await audit(req, 'dsync.directory.created', data, { after: data });
      return reply.code(201).send({ data });
    });
    app.get('/api/admin/directories/:id', opts, async (req) => ({ data: toApiDirectory(ctx, await getDirectory(ctx, P(req).id!)) }));
    app.patch('/api/admin/directories/:id', opts, async (req) => {
      const before = toApiDirectory(ctx, await getDirectory(ctx, P(req).id!));
      const data = await updateDirectory(ctx, before.id, req.body);
      await audit(req, 'dsync.directory.updated', data, { before, after: data });
      return { data };
    });
    app.post('/api/admin/directories/:id/scim-secret', opts, async (req) => {
      const data = await rotateScimSecret(ctx, P(req).id!);
      await audit(req, 'dsync.directory.secret_rotated', data, {});
      return { data };
    });
    app.delete('/api/admin/directories/:id', opts, async (req, reply) => {
      const before = toApiDirectory(ctx, await getDirectory(ctx, P(req).id!));
      await deleteDirectory(ctx, before.id);
      await audit(req, 'dsync.directory.deleted', before, { before });
      return reply.code(204).send();
    });

    app.get('/api/admin/directories/:id/users', opts, async (req) => withCursor(await pullUsers(ctx, pull(req, P(req).id!))));
    app.get('/api/admin/directories/:id/groups', opts, async (req) => withCursor(await pullGroups(ctx, pull(req, P(req).id!))));
    app.get('/api/admin/directories/:id/groups/:groupId/members', opts, async (req) => withCursor(await pullGroupMembers(ctx, P(req).groupId!, pull(req, P(req).id!))));
    app.get('/api/admin/directories/:id/events', opts, async (req) => withCursor(await listEvents(ctx, { ...pull(req, P(req).id!), status: (req.query as Q).status })));
    app.post('/api/admin/directories/:id/events/:eventId/replay', opts, async (req) => {
      const dir = await getDirectory(ctx, P(req).id!);
      const e = await directoryEventsRepo.findById(ctx.db, P(req).eventId!);
      if (!e || e.directory_id !== dir.id) throw new GatehouseError('DSYNC_EVENT_NOT_FOUND');
      const out = await replayEvent(ctx, e.id);
      await audit(req, 'dsync.event.replayed', dir, { after: { eventId: e.id } });
      return out;
    });
  };
}
