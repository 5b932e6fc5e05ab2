/** Route table of the management API (`Authorization: Api-Key <key>`), Jackson v1 shapes, problem JSON errors. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { createConnection, deleteConnections, listConnections, updateConnection } from '../../sso/connections.ts';
import { sendProblem } from '../serializers.ts';
import { requireApiKey } from '../api-key-auth.ts';
import { recordAudit } from '../../admin/audit.ts';
import { mayReadSecrets, requireApiScope } from '../../admin/api-key-scope.ts';

type Q = Record<string, string | undefined>;

export function managementRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => sendProblem(reply, err));
    app.addHook('onRequest', requireApiKey(ctx, { scopeAware: true }));
    const opts = { bodyLimit: 6 * 1024 * 1024, config: { rateLimit } };
    const body = (req: FastifyRequest) => req.body ?? {};
    /** Jackson's shape, minus `clientSecret` for keys without `sso:secrets` (see mayReadSecrets). */
    const shown = <C extends { clientSecret?: string }>(req: FastifyRequest, c: C): C => {
      if (mayReadSecrets(req)) return c;
      const { clientSecret: _hidden, ...rest } = c;
      return rest as C;
    };

    const audit = (req: FastifyRequest, action: string, c: { clientID: string; tenant?: string; product?: string }, after?: unknown, before?: unknown) =>
      recordAudit(ctx, { actor: req.actor!, action, target: { type: 'sso_connection', id: c.clientID }, tenant: c.tenant, product: c.product, ip: req.ip, before, after });

    app.post('/api/v1/sso', opts, async (req, reply) => {
      requireApiScope(req, body(req) as Q);
      const { created, connection } = await createConnection(ctx, body(req));
      await audit(req, created ? 'sso.connection.created' : 'sso.connection.updated', connection, connection);
      return reply.code(created ? 201 : 200).send(shown(req, connection));
    });
    app.get('/api/v1/sso', opts, async (req) => {
      const q = req.query as Q;
      if (!q.clientID) requireApiScope(req, q);
      const list = await listConnections(ctx, q);
      for (const c of list) requireApiScope(req, c);
      return list.map((c) => shown(req, c));
    });
    app.patch('/api/v1/sso', opts, async (req) => {
      const before = (await listConnections(ctx, { clientID: (body(req) as Q).clientID }))[0];
      requireApiScope(req, before ?? {});
      const connection = await updateConnection(ctx, body(req));
      await audit(req, 'sso.connection.updated', connection, connection, before);
      return shown(req, connection);
    });
    app.delete('/api/v1/sso', opts, async (req, reply) => {
      const q = { ...(req.query as Q), ...((req.body ?? {}) as Q) };
      if (!q.clientID) requireApiScope(req, q);
      const before = q.clientID ? await listConnections(ctx, { clientID: q.clientID }) : q.tenant && q.product ? await listConnections(ctx, q) : [];
      for (const c of before) requireApiScope(req, c);
      const n = await deleteConnections(ctx, q);
      if (n === 0) throw new GatehouseError('API_NOT_FOUND', 'No connection matched.');
      for (const c of before) await audit(req, 'sso.connection.deleted', c, undefined, c);
      return reply.code(204).send();
    });
  };
}
