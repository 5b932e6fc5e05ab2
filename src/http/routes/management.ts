/** Route table of the management API (`Authorization: Api-Key <key>`), Jackson v1 shapes, problem JSON errors. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { createConnection, deleteConnections, listConnections, updateConnection } from '../../sso/connections.ts';
import { sendProblem } from '../serializers.ts';
import { requireApiKey } from '../api-key-auth.ts';

type Q = Record<string, string | undefined>;

export function managementRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => sendProblem(reply, err));
    app.addHook('onRequest', requireApiKey(ctx));
    const opts = { bodyLimit: 6 * 1024 * 1024, config: { rateLimit } };
    const body = (req: FastifyRequest) => req.body ?? {};

    app.post('/api/v1/sso', opts, async (req, reply) => {
      const { created, connection } = await createConnection(ctx, body(req));
      return reply.code(created ? 201 : 200).send(connection);
    });
    app.get('/api/v1/sso', opts, async (req) => listConnections(ctx, req.query as Q));
    app.patch('/api/v1/sso', opts, async (req) => updateConnection(ctx, body(req)));
    app.delete('/api/v1/sso', opts, async (req, reply) => {
      const n = await deleteConnections(ctx, { ...(req.query as Q), ...((req.body ?? {}) as Q) });
      if (n === 0) throw new GatehouseError('API_NOT_FOUND', 'No connection matched.');
      return reply.code(204).send();
    });
  };
}
