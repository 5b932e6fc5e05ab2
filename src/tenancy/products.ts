/** Products: one app of the SaaS vendor, with a display name, a default redirect URL and an optional initiate_login_uri. */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { productsRepo, type ProductRow } from '../storage/index.ts';
import { parseInput } from '../input/parse-input.ts';
import { CreateProductInput, UpdateProductInput } from './input.ts';

export const toApiProduct = (r: ProductRow) => ({
  product: r.id, name: r.name, defaultRedirectUrl: r.default_redirect_url, initiateLoginUri: r.initiate_login_uri,
  createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
});

export async function createProduct(ctx: AppContext, body: unknown) {
  const input = parseInput(CreateProductInput, body);
  const now = ctx.now();
  const row: ProductRow = { id: input.product, name: input.name ?? input.product, default_redirect_url: input.defaultRedirectUrl ?? null, initiate_login_uri: input.initiateLoginUri ?? null, created_at: now, updated_at: now };
  if (!(await productsRepo.insert(ctx.db, row))) throw new GatehouseError('API_CONFLICT', `Product "${input.product}" already exists.`, { field: 'product' });
  return toApiProduct(row);
}

export async function getProduct(ctx: AppContext, id: string) {
  const row = await productsRepo.findById(ctx.db, id);
  if (!row) throw new GatehouseError('API_NOT_FOUND', `No product "${id}".`, { field: 'product' });
  return row;
}

export async function updateProduct(ctx: AppContext, id: string, body: unknown) {
  const input = parseInput(UpdateProductInput, body);
  const row = await getProduct(ctx, id);
  const patch = {
    name: input.name ?? row.name,
    default_redirect_url: input.defaultRedirectUrl === undefined ? row.default_redirect_url : input.defaultRedirectUrl,
    initiate_login_uri: input.initiateLoginUri === undefined ? row.initiate_login_uri : input.initiateLoginUri,
    updated_at: ctx.now(),
  };
  await productsRepo.update(ctx.db, id, patch);
  return toApiProduct({ ...row, ...patch });
}

export async function listProducts(ctx: AppContext, q: { limit?: string; after?: string }) {
  const limit = Math.min(Math.max(Number(q.limit ?? 50) || 50, 1), 200);
  const rows = await productsRepo.list(ctx.db, limit + 1, q.after);
  return { data: rows.slice(0, limit).map(toApiProduct), nextCursor: rows.length > limit ? rows[limit - 1]!.id : null };
}

export async function deleteProduct(ctx: AppContext, id: string) {
  if (!(await productsRepo.delete(ctx.db, id))) throw new GatehouseError('API_NOT_FOUND', `No product "${id}".`, { field: 'product' });
}
