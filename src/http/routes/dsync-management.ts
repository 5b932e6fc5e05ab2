/** Route table of the Directory Sync management API (`Authorization: Api-Key <key>`), Jackson v1 shapes, problem JSON errors. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { createDirectory, deleteDirectory, getDirectory, listDirectories, rotateScimSecret, toApiDirectory, updateDirectory } from '../../directory-sync/directories.ts';
import { pullGroup, pullGroupMembers, pullGroups, pullUser, pullUsers } from '../../directory-sync/pull.ts';
import { getEvent, listEvents, replayEvent, replayEvents } from '../../directory-sync/events/log.ts';
import { sendProblem } from '../serializers.ts';
import { requireApiKey } from '../api-key-auth.ts';
import { dsyncKeyScope } from '../../admin/dsync-key-scope.ts';

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

    // Directories
    app.post('/api/v1/dsync', opts, async (req, reply) => reply.code(201).send({ data: await createDirectory(ctx, req.body) }));
    app.get('/api/v1/dsync', opts, async (req) => ({ data: await listDirectories(ctx, query(req)) }));
    app.get('/api/v1/dsync/product', opts, async (req) => ({ data: await listDirectories(ctx, { product: query(req).product }) }));
    app.get('/api/v1/dsync/:directoryId', opts, async (req) => ({ data: toApiDirectory(ctx, await getDirectory(ctx, param(req, 'directoryId'))) }));
    app.patch('/api/v1/dsync/:directoryId', opts, async (req) => ({ data: await updateDirectory(ctx, param(req, 'directoryId'), req.body) }));
    app.delete('/api/v1/dsync/:directoryId', opts, async (req, reply) => {
      await deleteDirectory(ctx, param(req, 'directoryId'));
      return reply.code(204).send();
    });
    app.post('/api/v1/dsync/:directoryId/scim-secret', opts, async (req) => ({ data: await rotateScimSecret(ctx, param(req, 'directoryId')) }));

    // Pull API
    app.get('/api/v1/dsync/users', opts, async (req) => pullUsers(ctx, query(req)));
    app.get('/api/v1/dsync/users/:userId', opts, async (req) => pullUser(ctx, param(req, 'userId'), query(req)));
    app.get('/api/v1/dsync/groups', opts, async (req) => pullGroups(ctx, query(req)));
    app.get('/api/v1/dsync/groups/:groupId', opts, async (req) => pullGroup(ctx, param(req, 'groupId'), query(req)));
    app.get('/api/v1/dsync/groups/:groupId/members', opts, async (req) => pullGroupMembers(ctx, param(req, 'groupId'), query(req)));

    // Webhook events: log, attempts, replay
    app.get('/api/v1/dsync/events', opts, async (req) => listEvents(ctx, query(req)));
    app.get('/api/v1/dsync/events/:eventId', opts, async (req) => getEvent(ctx, param(req, 'eventId')));
    app.post('/api/v1/dsync/events/:eventId/replay', opts, async (req) => replayEvent(ctx, param(req, 'eventId')));
    app.post('/api/v1/dsync/events/replay', opts, async (req) => {
      const b = { ...query(req), ...body(req) } as Record<string, unknown>;
      if (typeof b.directoryId !== 'string') throw new GatehouseError('API_VALIDATION', '"directoryId" is required.', { field: 'directoryId' });
      const ids = Array.isArray(b.ids) ? b.ids.map(String) : null;
      await getDirectory(ctx, b.directoryId);
      return replayEvents(ctx, b.directoryId, ids);
    });
  };
}
