/** Route table of the management API for products, tenants, their email domains, and login links. Problem JSON errors. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { requireApiKey } from '../api-key-auth.ts';
import { sendProblem } from '../serializers.ts';
import { createProduct, deleteProduct, getProduct, listProducts, toApiProduct, updateProduct } from '../../tenancy/products.ts';
import { createTenant, deleteTenant, getTenant, listTenants, toApiTenant, updateTenant } from '../../tenancy/tenants.ts';
import { addDomain, listDomains, removeDomain, verifyDomain } from '../../tenancy/domains.ts';
import { loginLinks } from '../../sso/login-links.ts';

type P = Record<string, string>;
type Q = Record<string, string | undefined>;

export function tenancyManagementRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => sendProblem(reply, err));
    app.addHook('onRequest', requireApiKey(ctx));
    const opts = { config: { rateLimit } };
    const body = (req: FastifyRequest) => req.body ?? {};

    app.post('/api/v1/products', opts, async (req, reply) => reply.code(201).send({ data: await createProduct(ctx, body(req)) }));
    app.get('/api/v1/products', opts, async (req) => listProducts(ctx, req.query as Q));
    app.get('/api/v1/products/:product', opts, async (req) => ({ data: toApiProduct(await getProduct(ctx, (req.params as P).product!)) }));
    app.patch('/api/v1/products/:product', opts, async (req) => ({ data: await updateProduct(ctx, (req.params as P).product!, body(req)) }));
    app.delete('/api/v1/products/:product', opts, async (req, reply) => {
      await deleteProduct(ctx, (req.params as P).product!);
      return reply.code(204).send();
    });

    app.post('/api/v1/tenants', opts, async (req, reply) => reply.code(201).send({ data: await createTenant(ctx, body(req)) }));
    app.get('/api/v1/tenants', opts, async (req) => listTenants(ctx, req.query as Q));
    app.get('/api/v1/tenants/:tenant', opts, async (req) => ({ data: toApiTenant(await getTenant(ctx, (req.params as P).tenant!)) }));
    app.patch('/api/v1/tenants/:tenant', opts, async (req) => ({ data: await updateTenant(ctx, (req.params as P).tenant!, body(req)) }));
    app.delete('/api/v1/tenants/:tenant', opts, async (req, reply) => {
      await deleteTenant(ctx, (req.params as P).tenant!);
      return reply.code(204).send();
    });

    app.get('/api/v1/tenants/:tenant/domains', opts, async (req) => listDomains(ctx, (req.params as P).tenant!));
    app.post('/api/v1/tenants/:tenant/domains', opts, async (req, reply) => reply.code(201).send({ data: await addDomain(ctx, (req.params as P).tenant!, body(req)) }));
    app.post('/api/v1/tenants/:tenant/domains/:domain/verify', opts, async (req) => ({ data: await verifyDomain(ctx, (req.params as P).tenant!, (req.params as P).domain!) }));
    app.delete('/api/v1/tenants/:tenant/domains/:domain', opts, async (req, reply) => {
      await removeDomain(ctx, (req.params as P).tenant!, (req.params as P).domain!);
      return reply.code(204).send();
    });

    app.get('/api/v1/sso/links', opts, async (req) => {
      const q = req.query as Q;
      if (!q.tenant || !q.product) throw new GatehouseError('API_VALIDATION', 'Pass "tenant" and "product".', { field: q.tenant ? 'product' : 'tenant' });
      return { data: await loginLinks(ctx, q.tenant, q.product) };
    });
  };
}
