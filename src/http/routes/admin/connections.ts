/**
 * Admin API handlers of the Enterprise SSO and tenancy screens: connections, login links, products, tenants and
 * their domains, through the same services as the management API (which check the caller and audit). Viewers
 * do not see client secrets (mayReadSecrets); only owners may change connections portal SSO trusts.
 */
import { spInfoOf } from '../../sp-info.ts';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { createConnection, deleteConnections, getConnection, pageConnections, toApiConnection, updateConnection } from '../../../sso/connections.ts';
import { loginLinks, loginLinksFor } from '../../../sso/login-links.ts';
import { healthOfConnection } from '../../../vendor-events/connection-health.ts';
import { isTenantProductKey } from '../../../storage/repositories/keyset.ts';
import { createProduct, deleteProduct, getProduct, listProducts, toApiProduct, updateProduct } from '../../../tenancy/products.ts';
import { createTenant, deleteTenant, getTenant, listTenants, toApiTenant, updateTenant } from '../../../tenancy/tenants.ts';
import { addDomain, listDomains, removeDomain, verifyDomain } from '../../../tenancy/domains.ts';
import { decodeCursor, encodeCursor, pageLimit, pageOf } from '../../../admin/paging.ts';
import { mayReadSecrets } from '../../../policy/caller.ts';
import { callerOf } from '../../caller.ts';
import { body, params as P, query, type Handler, type Q } from '../../route-table.ts';

/** Tenancy lists page with `after` (the last id); the admin API calls that a cursor. */
async function tenancyPage<T>(q: Q, list: (q: { limit?: string; after?: string }) => Promise<{ data: T[]; nextCursor: string | null }>) {
  const limit = pageLimit(q.limit);
  const r = await list({ limit: String(limit), after: decodeCursor(q.cursor, (x): x is string => typeof x === 'string') });
  return { data: r.data, nextCursor: r.nextCursor === null ? null : encodeCursor(r.nextCursor) };
}

export function adminConnectionHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  const view = (req: FastifyRequest, row: Parameters<typeof toApiConnection>[1]) => toApiConnection(ctx, row, { includeSecret: mayReadSecrets(callerOf(req)) });
  return {
    list: h(async (req) => {
      const q = query(req);
      const limit = pageLimit(q.limit);
      const rows = await pageConnections(ctx, callerOf(req), { tenant: q.tenant || undefined, product: q.product || undefined, limit: limit + 1, after: decodeCursor(q.cursor, isTenantProductKey) });
      return pageOf(rows, limit, (r) => r.view, ({ row: r }) => [r.tenant, r.product, r.id]);
    }),
    create: h(async (req, reply) => {
      const { created, connection } = await createConnection(ctx, callerOf(req), req.body);
      return reply.code(created ? 201 : 200).send({ data: connection });
    }),
    get: h(async (req) => {
      const row = await getConnection(ctx, callerOf(req), P(req).clientID!);
      return {
        data: view(req, row),
        sp: { ...spInfoOf(ctx), certificatePem: (await ctx.keys.sp()).certPem },
        links: await loginLinks(ctx, row.tenant, row.product),
      };
    }),
    update: h(async (req) => {
      const before = await getConnection(ctx, callerOf(req), P(req).clientID!);
      // The portal never checks the app's client secret: a signed-in admin needs no proof of it.
      const { clientSecret: _s, ...rest } = body(req);
      return { data: await updateConnection(ctx, callerOf(req), { ...rest, clientID: before.id }) };
    }),
    remove: h(async (req, reply) => {
      const before = await getConnection(ctx, callerOf(req), P(req).clientID!);
      await deleteConnections(ctx, callerOf(req), { clientID: before.id });
      return reply.code(204).send();
    }),
    links: h(async (req) => ({ data: await loginLinksFor(ctx, callerOf(req), query(req)) })),
    /** The connection page's Health panel (decision 0022). */
    health: h(async (req) => ({ data: await healthOfConnection(ctx, callerOf(req), P(req).clientID) })),

    listProducts: h(async (req) => tenancyPage(query(req), (q) => listProducts(ctx, callerOf(req), q))),
    createProduct: h(async (req, reply) => reply.code(201).send({ data: await createProduct(ctx, callerOf(req), req.body) })),
    getProduct: h(async (req) => ({ data: toApiProduct(await getProduct(ctx, callerOf(req), P(req).product!)) })),
    updateProduct: h(async (req) => ({ data: await updateProduct(ctx, callerOf(req), P(req).product!, req.body) })),
    deleteProduct: h(async (req, reply) => {
      await deleteProduct(ctx, callerOf(req), P(req).product!);
      return reply.code(204).send();
    }),

    listTenants: h(async (req) => tenancyPage(query(req), (q) => listTenants(ctx, callerOf(req), q))),
    createTenant: h(async (req, reply) => reply.code(201).send({ data: await createTenant(ctx, callerOf(req), req.body) })),
    getTenant: h(async (req) => ({ data: toApiTenant(await getTenant(ctx, callerOf(req), P(req).tenant!)) })),
    updateTenant: h(async (req) => ({ data: await updateTenant(ctx, callerOf(req), P(req).tenant!, req.body) })),
    deleteTenant: h(async (req, reply) => {
      await deleteTenant(ctx, callerOf(req), P(req).tenant!);
      return reply.code(204).send();
    }),
    listDomains: h(async (req) => listDomains(ctx, callerOf(req), P(req).tenant!)),
    addDomain: h(async (req, reply) => reply.code(201).send({ data: await addDomain(ctx, callerOf(req), P(req).tenant!, req.body) })),
    verifyDomain: h(async (req) => ({ data: await verifyDomain(ctx, callerOf(req), P(req).tenant!, P(req).domain!) })),
    removeDomain: h(async (req, reply) => {
      await removeDomain(ctx, callerOf(req), P(req).tenant!, P(req).domain!);
      return reply.code(204).send();
    }),
  };
}
