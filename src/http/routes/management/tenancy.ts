/** Management API handlers for products, tenants and their email domains; the services check and audit. */
import type { AppContext } from '../../../context.ts';
import { createProduct, deleteProduct, getProduct, listProducts, toApiProduct, updateProduct } from '../../../tenancy/products.ts';
import { createTenant, deleteTenant, getTenant, listTenants, toApiTenant, updateTenant } from '../../../tenancy/tenants.ts';
import { addDomain, listDomains, removeDomain, verifyDomain } from '../../../tenancy/domains.ts';
import { callerOf } from '../../caller.ts';
import { body, params, query, type Handler } from '../../route-table.ts';

export function tenancyHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  return {
    createProduct: h(async (req, reply) => reply.code(201).send({ data: await createProduct(ctx, callerOf(req), body(req)) })),
    listProducts: h(async (req) => listProducts(ctx, callerOf(req), query(req))),
    getProduct: h(async (req) => ({ data: toApiProduct(await getProduct(ctx, callerOf(req), params(req).product!)) })),
    updateProduct: h(async (req) => ({ data: await updateProduct(ctx, callerOf(req), params(req).product!, body(req)) })),
    deleteProduct: h(async (req, reply) => {
      await deleteProduct(ctx, callerOf(req), params(req).product!);
      return reply.code(204).send();
    }),
    createTenant: h(async (req, reply) => reply.code(201).send({ data: await createTenant(ctx, callerOf(req), body(req)) })),
    listTenants: h(async (req) => listTenants(ctx, callerOf(req), query(req))),
    getTenant: h(async (req) => ({ data: toApiTenant(await getTenant(ctx, callerOf(req), params(req).tenant!)) })),
    updateTenant: h(async (req) => ({ data: await updateTenant(ctx, callerOf(req), params(req).tenant!, body(req)) })),
    deleteTenant: h(async (req, reply) => {
      await deleteTenant(ctx, callerOf(req), params(req).tenant!);
      return reply.code(204).send();
    }),
    listDomains: h(async (req) => listDomains(ctx, callerOf(req), params(req).tenant!)),
    addDomain: h(async (req, reply) => reply.code(201).send({ data: await addDomain(ctx, callerOf(req), params(req).tenant!, body(req)) })),
    verifyDomain: h(async (req) => ({ data: await verifyDomain(ctx, callerOf(req), params(req).tenant!, params(req).domain!) })),
    removeDomain: h(async (req, reply) => {
      await removeDomain(ctx, callerOf(req), params(req).tenant!, params(req).domain!);
      return reply.code(204).send();
    }),
  };
}
