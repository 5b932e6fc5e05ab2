/**
 * Route table of the Directory Sync management API (`Authorization: Api-Key <key>`), Jackson v1 shapes, problem JSON
 * errors. Every change is audited with the portal's action names, the API key as actor.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { createDirectory, deleteDirectory, getDirectory, listDirectories, rotateScimSecret, toApiDirectory, updateDirectory } from '../../directory-sync/directories.ts';
import { pullGroup, pullGroupMembers, pullGroups, pullUser, pullUsers } from '../../directory-sync/pull.ts';
import { getEvent, listEvents, replayEvent, replayEvents } from '../../directory-sync/events/log.ts';
import { sendProblem } from '../serializers.ts';
import { requireApiKey } from '../api-key-auth.ts';
import { dsyncKeyScope } from '../../admin/dsync-key-scope.ts';
import { recordAudit } from '../../admin/audit.ts';
import { directoryEventsRepo } from '../../storage/index.ts';

type Q = Record<string, string | undefined>;
const query = (req: FastifyRequest) => (req.query ?? {}) as Q;
const param = (req: FastifyRequest, name: string) => (req.params as Record<string, string>)[name]!;
const body = (req: FastifyRequest) => (req.body ?? {}) as Record<string, unknown>;

export function dsyncManagementRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => sendProblem(reply, err));
    app.addHook('onRequest', requireApiKey(ctx, { scopeAware: true }));
    app.addHook('preHandler', dsyncKeyScope(ctx));
    const opts = { config: { rateLimit } };
    const audit = (req: FastifyRequest, action: string, d: { id: string; tenant: string; product: string }, s: { before?: unknown; after?: unknown } = {}) =>
      recordAudit(ctx, { actor: req.actor!, action, target: { type: 'directory', id: d.id }, tenant: d.tenant, product: d.product, ip: req.ip, ...s });

    // Directories
    app.post('/api/v1/dsync', opts, async (req, reply) => {
      const data = await createDirectory(ctx, req.body);
      await audit(req, 'dsync.directory.created', data, { after: data });
      return reply.code(201).send({ data });
    });
    app.get('/api/v1/dsync', opts, async (req) => ({ data: await listDirectories(ctx, query(req)) }));
    app.get('/api/v1/dsync/product', opts, async (req) => ({ data: await listDirectories(ctx, { product: query(req).product }) }));
    app.get('/api/v1/dsync/:directoryId', opts, async (req) => ({ data: toApiDirectory(ctx, await getDirectory(ctx, param(req, 'directoryId'))) }));
    app.patch('/api/v1/dsync/:directoryId', opts, async (req) => {
      const before = toApiDirectory(ctx, await getDirectory(ctx, param(req, 'directoryId')));
      const data = await updateDirectory(ctx, before.id, req.body);
      await audit(req, 'dsync.directory.updated', data, { before, after: data });
      return { data };
    });
    app.delete('/api/v1/dsync/:directoryId', opts, async (req, reply) => {
      const before = toApiDirectory(ctx, await getDirectory(ctx, param(req, 'directoryId')));
      await deleteDirectory(ctx, before.id);
      await audit(req, 'dsync.directory.deleted', before, { before });
      return reply.code(204).send();
    });
    app.post('/api/v1/dsync/:directoryId/scim-secret', opts, async (req) => {
      const data = await rotateScimSecret(ctx, param(req, 'directoryId'));
      await audit(req, 'dsync.directory.secret_rotated', data);
      return { data };
    });

    // Pull API
    app.get('/api/v1/dsync/users', opts, async (req) => pullUsers(ctx, query(req)));
    app.get('/api/v1/dsync/users/:userId', opts, async (req) => pullUser(ctx, param(req, 'userId'), query(req)));
    app.get('/api/v1/dsync/groups', opts, async (req) => pullGroups(ctx, query(req)));
    app.get('/api/v1/dsync/groups/:groupId', opts, async (req) => pullGroup(ctx, param(req, 'groupId'), query(req)));
    app.get('/api/v1/dsync/groups/:groupId/members', opts, async (req) => pullGroupMembers(ctx, param(req, 'groupId'), query(req)));

    // Webhook events: log, attempts, replay
    app.get('/api/v1/dsync/events', opts, async (req) => listEvents(ctx, query(req)));
    app.get('/api/v1/dsync/events/:eventId', opts, async (req) => getEvent(ctx, param(req, 'eventId')));
    app.post('/api/v1/dsync/events/:eventId/replay', opts, async (req) => {
      const out = await replayEvent(ctx, param(req, 'eventId'));
      const e = (await directoryEventsRepo.findById(ctx.db, param(req, 'eventId')))!;
      await audit(req, 'dsync.event.replayed', await getDirectory(ctx, e.directory_id), { after: { eventId: e.id } });
      return out;
    });
    app.post('/api/v1/dsync/events/replay', opts, async (req) => {
      const b = { ...query(req), ...body(req) } as Record<string, unknown>;
      if (typeof b.directoryId !== 'string') throw new GatehouseError('API_VALIDATION', '"directoryId" is required.', { field: 'directoryId' });
      const ids = Array.isArray(b.ids) ? b.ids.map(String) : null;
      const dir = await getDirectory(ctx, b.directoryId);
      const out = await replayEvents(ctx, b.directoryId, ids);
      await audit(req, 'dsync.event.replayed', dir, { after: { eventIds: ids ?? 'every failed event', replayed: out.data.replayed } });
      return out;
    });
  };
}
