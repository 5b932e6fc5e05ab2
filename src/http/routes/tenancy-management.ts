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
import { recordAudit } from '../../admin/audit.ts';
import { requireApiScope } from '../../admin/api-key-scope.ts';

type P = Record<string, string>;
type Q = Record<string, string | undefined>;

export function tenancyManagementRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => sendProblem(reply, err));
    app.addHook('onRequest', requireApiKey(ctx, { scopeAware: true }));
    // Limited keys: each route names its tenant and/or product; lists across all of them need an unlimited key.
    app.addHook('preHandler', async (req) => {
      const prm = (req.params ?? {}) as Q;
      const b = (req.body ?? {}) as Q;
      const q = req.query as Q;
      const path = req.routeOptions.url ?? '';
      if (path.startsWith('/api/v1/products')) requireApiScope(req, { product: prm.product ?? (req.method === 'POST' ? b.product : undefined) });
      else if (path.startsWith('/api/v1/tenants')) requireApiScope(req, { tenant: prm.tenant ?? (req.method === 'POST' && !prm.tenant ? b.tenant : undefined) });
      else requireApiScope(req, { tenant: q.tenant, product: q.product });
    });
    const opts = { config: { rateLimit } };
    const body = (req: FastifyRequest) => req.body ?? {};
    const audited = async <T>(req: FastifyRequest, action: string, target: { type: string; id: string; tenant?: string; product?: string }, run: () => Promise<T>): Promise<T> => {
      const result = await run();
      await recordAudit(ctx, { actor: req.actor!, action, target: { type: target.type, id: target.id }, tenant: target.tenant, product: target.product, ip: req.ip, after: result ?? undefined });
      return result;
    };
    const p = (req: FastifyRequest) => req.params as P;

    app.post('/api/v1/products', opts, async (req, reply) => {
      const data = await createProduct(ctx, body(req));
      await recordAudit(ctx, { actor: req.actor!, action: 'product.created', target: { type: 'product', id: data.product }, product: data.product, ip: req.ip, after: data });
      return reply.code(201).send({ data });
    });
    app.get('/api/v1/products', opts, async (req) => listProducts(ctx, req.query as Q));
    app.get('/api/v1/products/:product', opts, async (req) => ({ data: toApiProduct(await getProduct(ctx, (req.params as P).product!)) }));
    app.patch('/api/v1/products/:product', opts, async (req) => ({ data: await audited(req, 'product.updated', { type: 'product', id: p(req).product!, product: p(req).product }, () => updateProduct(ctx, p(req).product!, body(req))) }));
    app.delete('/api/v1/products/:product', opts, async (req, reply) => {
      await audited(req, 'product.deleted', { type: 'product', id: p(req).product!, product: p(req).product }, () => deleteProduct(ctx, p(req).product!));
      return reply.code(204).send();
    });

    app.post('/api/v1/tenants', opts, async (req, reply) => {
      const data = await createTenant(ctx, body(req));
      await recordAudit(ctx, { actor: req.actor!, action: 'tenant.created', target: { type: 'tenant', id: data.tenant }, tenant: data.tenant, ip: req.ip, after: data });
      return reply.code(201).send({ data });
    });
    app.get('/api/v1/tenants', opts, async (req) => listTenants(ctx, req.query as Q));
    app.get('/api/v1/tenants/:tenant', opts, async (req) => ({ data: toApiTenant(await getTenant(ctx, (req.params as P).tenant!)) }));
    app.patch('/api/v1/tenants/:tenant', opts, async (req) => ({ data: await audited(req, 'tenant.updated', { type: 'tenant', id: p(req).tenant!, tenant: p(req).tenant }, () => updateTenant(ctx, p(req).tenant!, body(req))) }));
    app.delete('/api/v1/tenants/:tenant', opts, async (req, reply) => {
      await audited(req, 'tenant.deleted', { type: 'tenant', id: p(req).tenant!, tenant: p(req).tenant }, () => deleteTenant(ctx, p(req).tenant!));
      return reply.code(204).send();
    });

    app.get('/api/v1/tenants/:tenant/domains', opts, async (req) => listDomains(ctx, (req.params as P).tenant!));
    app.post('/api/v1/tenants/:tenant/domains', opts, async (req, reply) => {
      const data = await audited(req, 'tenant.domain.added', { type: 'domain', id: String((body(req) as Q).domain ?? ''), tenant: p(req).tenant }, () => addDomain(ctx, p(req).tenant!, body(req)));
      return reply.code(201).send({ data });
    });
    app.post('/api/v1/tenants/:tenant/domains/:domain/verify', opts, async (req) => ({ data: await audited(req, 'tenant.domain.verified', { type: 'domain', id: p(req).domain!, tenant: p(req).tenant }, () => verifyDomain(ctx, p(req).tenant!, p(req).domain!)) }));
    app.delete('/api/v1/tenants/:tenant/domains/:domain', opts, async (req, reply) => {
      await audited(req, 'tenant.domain.removed', { type: 'domain', id: p(req).domain!, tenant: p(req).tenant }, () => removeDomain(ctx, p(req).tenant!, p(req).domain!));
      return reply.code(204).send();
    });

    app.get('/api/v1/sso/links', opts, async (req) => {
      const q = req.query as Q;
      if (!q.tenant || !q.product) throw new GatehouseError('API_VALIDATION', 'Pass "tenant" and "product".', { field: q.tenant ? 'product' : 'tenant' });
      return { data: await loginLinks(ctx, q.tenant, q.product) };
    });
  };
}
