/**
 * Route table of the portal's Enterprise SSO and tenancy screens. Every change goes through the same services
 * as the management API (sso/connections.ts, tenancy/*) and is audited. Viewers do not see client secrets.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { recordAudit } from '../../admin/audit.ts';
import { createConnection, deleteConnections, toApiConnection, updateConnection } from '../../sso/connections.ts';
import { loginLinks } from '../../sso/login-links.ts';
import { connectionsRepo, type ConnectionRow } from '../../storage/index.ts';
import { isTenantProductKey } from '../../storage/repositories/keyset.ts';
import { portalTrustRepo } from '../../storage/repositories/admin-trust.ts';
import { createProduct, deleteProduct, getProduct, listProducts, toApiProduct, updateProduct } from '../../tenancy/products.ts';
import { createTenant, deleteTenant, getTenant, listTenants, toApiTenant, updateTenant } from '../../tenancy/tenants.ts';
import { addDomain, listDomains, removeDomain, verifyDomain } from '../../tenancy/domains.ts';
import { decodeCursor, pageLimit, pageOf, encodeCursor } from '../../admin/paging.ts';
import { atLeast } from '../../admin/roles.ts';
import { adminOf } from '../admin-session.ts';

type Q = Record<string, string | undefined>;
const P = (req: FastifyRequest) => req.params as Record<string, string>;

/** Tenancy lists page with `after` (the last id); the admin API calls that a cursor. */
async function tenancyPage<T>(q: Q, list: (q: { limit?: string; after?: string }) => Promise<{ data: T[]; nextCursor: string | null }>) {
  const limit = pageLimit(q.limit);
  const r = await list({ limit: String(limit), after: decodeCursor(q.cursor, (x): x is string => typeof x === 'string') });
  return { data: r.data, nextCursor: r.nextCursor === null ? null : encodeCursor(r.nextCursor) };
}

export function adminSsoRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    const opts = { config: { rateLimit } };
    const view = (req: FastifyRequest, row: ConnectionRow) => toApiConnection(ctx, row, { includeSecret: atLeast(adminOf(req).role, 'admin') });
    const audit = (req: FastifyRequest, action: string, target: { type: string; id: string }, scope: { tenant?: string; product?: string }, s: { before?: unknown; after?: unknown }) =>
      recordAudit(ctx, { actor: req.actor!, action, target, tenant: scope.tenant, product: scope.product, ip: req.ip, ...s });
    const load = async (clientID: string) => {
      const row = await connectionsRepo.findById(ctx.db, clientID);
      if (!row) throw new GatehouseError('API_NOT_FOUND', `No connection with clientID "${clientID}".`, { field: 'clientID' });
      return row;
    };
    // Only an owner may change the connections an owner chose for portal SSO (sso/connection-guard.ts).
    const rights = (req: FastifyRequest) => ({ portalTrusted: adminOf(req).role === 'owner' });

    // Connections
    app.get('/api/admin/connections', opts, async (req) => {
      const q = req.query as Q;
      const limit = pageLimit(q.limit);
      const rows = await connectionsRepo.page(ctx.db, { tenant: q.tenant || undefined, product: q.product || undefined, limit: limit + 1, after: decodeCursor(q.cursor, isTenantProductKey) });
      return pageOf(rows, limit, (r) => view(req, r), (r) => [r.tenant, r.product, r.id]);
    });
    app.post('/api/admin/connections', { ...opts, bodyLimit: 6 * 1024 * 1024 }, async (req, reply) => {
      const { created, connection } = await createConnection(ctx, req.body, rights(req));
      await audit(req, created ? 'sso.connection.created' : 'sso.connection.updated', { type: 'sso_connection', id: connection.clientID }, connection, { after: connection });
      return reply.code(created ? 201 : 200).send({ data: view(req, await load(connection.clientID)) });
    });
    app.get('/api/admin/connections/:clientID', opts, async (req) => {
      const row = await load(P(req).clientID!);
      const base = ctx.config.EXTERNAL_URL;
      return {
        data: view(req, row),
        sp: {
          entityId: ctx.config.SAML_SP_ENTITY_ID, acsUrl: ctx.config.acsUrl, metadataUrl: `${base}/.well-known/sp-metadata`,
          metadataDownloadUrl: `${base}/.well-known/sp-metadata?download`, certificatePem: (await ctx.keys.sp()).certPem, certificateUrl: `${base}/.well-known/saml.cer`, oidcRedirectUri: ctx.config.oidcCallbackUrl,
        },
        links: await loginLinks(ctx, row.tenant, row.product),
      };
    });
    app.patch('/api/admin/connections/:clientID', { ...opts, bodyLimit: 6 * 1024 * 1024 }, async (req) => {
      const before = await load(P(req).clientID!);
      const { clientSecret: _s, ...rest } = (req.body ?? {}) as Record<string, unknown>;
      const after = await updateConnection(ctx, { ...rest, clientID: before.id }, rights(req));
      await audit(req, 'sso.connection.updated', { type: 'sso_connection', id: before.id }, before, { before: toApiConnection(ctx, before, { includeSecret: false }), after });
      return { data: view(req, await load(before.id)) };
    });
    app.delete('/api/admin/connections/:clientID', opts, async (req, reply) => {
      const before = await load(P(req).clientID!);
      await deleteConnections(ctx, { clientID: before.id }, rights(req));
      await portalTrustRepo.forget(ctx.db, before.id);
      await audit(req, 'sso.connection.deleted', { type: 'sso_connection', id: before.id }, before, { before: toApiConnection(ctx, before, { includeSecret: false }) });
      return reply.code(204).send();
    });
    app.get('/api/admin/links', opts, async (req) => {
      const q = req.query as Q;
      if (!q.tenant || !q.product) throw new GatehouseError('API_VALIDATION', 'Pass "tenant" and "product".', { field: q.tenant ? 'product' : 'tenant' });
      return { data: await loginLinks(ctx, q.tenant, q.product) };
    });

    // Products
    app.get('/api/admin/products', opts, async (req) => tenancyPage(req.query as Q, (q) => listProducts(ctx, q)));
    app.post('/api/admin/products', opts, async (req, reply) => {
      const data = await createProduct(ctx, req.body);
      await audit(req, 'product.created', { type: 'product', id: data.product }, { product: data.product }, { after: data });
      return reply.code(201).send({ data });
    });
    app.get('/api/admin/products/:product', opts, async (req) => ({ data: toApiProduct(await getProduct(ctx, P(req).product!)) }));
    app.patch('/api/admin/products/:product', opts, async (req) => {
      const before = toApiProduct(await getProduct(ctx, P(req).product!));
      const data = await updateProduct(ctx, before.product, req.body);
      await audit(req, 'product.updated', { type: 'product', id: data.product }, { product: data.product }, { before, after: data });
      return { data };
    });
    app.delete('/api/admin/products/:product', opts, async (req, reply) => {
      const before = toApiProduct(await getProduct(ctx, P(req).product!));
      await deleteProduct(ctx, before.product);
      await audit(req, 'product.deleted', { type: 'product', id: before.product }, { product: before.product }, { before });
      return reply.code(204).send();
    });

    // Tenants and their domains
    app.get('/api/admin/tenants', opts, async (req) => tenancyPage(req.query as Q, (q) => listTenants(ctx, q)));
    app.post('/api/admin/tenants', opts, async (req, reply) => {
      const data = await createTenant(ctx, req.body);
      await audit(req, 'tenant.created', { type: 'tenant', id: data.tenant }, { tenant: data.tenant }, { after: data });
      return reply.code(201).send({ data });
    });
    app.get('/api/admin/tenants/:tenant', opts, async (req) => ({ data: toApiTenant(await getTenant(ctx, P(req).tenant!)) }));
    app.patch('/api/admin/tenants/:tenant', opts, async (req) => {
      const before = toApiTenant(await getTenant(ctx, P(req).tenant!));
      const data = await updateTenant(ctx, before.tenant, req.body);
      await audit(req, 'tenant.updated', { type: 'tenant', id: data.tenant }, { tenant: data.tenant }, { before, after: data });
      return { data };
    });
    app.delete('/api/admin/tenants/:tenant', opts, async (req, reply) => {
      const before = toApiTenant(await getTenant(ctx, P(req).tenant!));
      await deleteTenant(ctx, before.tenant);
      await audit(req, 'tenant.deleted', { type: 'tenant', id: before.tenant }, { tenant: before.tenant }, { before });
      return reply.code(204).send();
    });
    app.get('/api/admin/tenants/:tenant/domains', opts, async (req) => listDomains(ctx, P(req).tenant!));
    app.post('/api/admin/tenants/:tenant/domains', opts, async (req, reply) => {
      const data = await addDomain(ctx, P(req).tenant!, req.body);
      await audit(req, 'tenant.domain.added', { type: 'domain', id: data.domain }, { tenant: P(req).tenant }, { after: data });
      return reply.code(201).send({ data });
    });
    app.post('/api/admin/tenants/:tenant/domains/:domain/verify', opts, async (req) => {
      const data = await verifyDomain(ctx, P(req).tenant!, P(req).domain!);
      await audit(req, 'tenant.domain.verified', { type: 'domain', id: data.domain }, { tenant: P(req).tenant }, { after: data });
      return { data };
    });
    app.delete('/api/admin/tenants/:tenant/domains/:domain', opts, async (req, reply) => {
      await removeDomain(ctx, P(req).tenant!, P(req).domain!);
      await audit(req, 'tenant.domain.removed', { type: 'domain', id: P(req).domain! }, { tenant: P(req).tenant }, {});
      return reply.code(204).send();
    });
  };
}
