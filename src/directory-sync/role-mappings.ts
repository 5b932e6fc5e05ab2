/**
 * Group-to-role mapping for every surface (issue 16 §4, decision 0028): read a tenant+product's mapping with the
 * groups its IdP is known to send, preview (dry run) what a proposed mapping gives each user, and save it. The
 * vendor (portal, management API) names the tenant and product; a setup link's own tenant and product are used
 * whatever the request says. Saving is audited as `role_mappings.updated` through every surface.
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { parseInput } from '../input/parse-input.ts';
import { productsRepo, roleMappingsRepo } from '../storage/index.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { groupKey, mappedRoles, normaliseMappings, readProductRoles, RoleMappingsInput, type ProductRole, type RoleMapping } from '../tenancy/product-roles.ts';
import { identityOf } from './user-identity.ts';
import { ProductRoleView, RoleMappingView } from '../tenancy/views.ts';

/** How far back sign-ins are read: app sessions are kept SESSION_TTL_SECONDS (decision 0023). */
const signInWindow = (ctx: AppContext) => ctx.now() - ctx.config.SESSION_TTL_SECONDS * 1000;
const MAX_SIGN_INS = 5000;
const MAX_USERS = 5000;
const MAX_GROUPS = 2000;
const MAX_ROWS = 1000;
/** Memberships read per directory for a dry run (a 5,000-user directory with 20 groups each). */
const MAX_MEMBERSHIPS = 100_000;

export const RoleMappingScope = z.object({ tenant: z.string().trim().min(1, 'is required').max(191), product: z.string().trim().min(1, 'is required').max(191) });
export const SaveRoleMappingsInput = RoleMappingScope.extend({ mappings: RoleMappingsInput });
/** The mappings themselves, as every surface sends them (the management API adds `tenant` and `product`). */
export const RoleMappingsBody = z.object({ mappings: RoleMappingsInput });

const isoTime = z.string().meta({ format: 'date-time' });

/** What a read or a save answers (`getRoleMappings`), as a zod view for the OpenAPI document (decision 0032). */
export const RoleMappingsView = z.object({
  tenant: z.string(),
  product: z.string(),
  roles: z.array(ProductRoleView).describe('The roles the product declares.'),
  mappings: z.array(RoleMappingView),
  updatedAt: isoTime.nullable().describe('Null until a mapping is saved.'),
  groups: z.array(z.object({ name: z.string(), sources: z.array(z.enum(['directory', 'sso'])), externalId: z.string().optional() })).describe('Groups the IdP is known to send: in recent sign-ins and in the directories.'),
}).meta({ title: 'RoleMappings' });

/** One person of a dry run: a directory user (`directoryId`, `userId`, `active`) or a recent sign-in (`lastSignInAt`). */
export const RolePreviewRowView = z.object({
  source: z.enum(['directory', 'sign-in']),
  user: z.string(),
  email: z.string().nullable(),
  groups: z.array(z.string()),
  roles: z.array(z.string()).describe('With the proposed mapping.'),
  currentRoles: z.array(z.string()).describe('With the saved mapping.'),
  directoryId: z.string().optional(),
  userId: z.string().optional(),
  active: z.boolean().optional(),
  lastSignInAt: isoTime.optional(),
}).meta({ title: 'RolePreviewRow' });

/** What a dry run answers (`previewRoleMappings`). */
export const RolePreviewView = z.object({
  tenant: z.string(),
  product: z.string(),
  mappings: z.array(RoleMappingView),
  counts: z.record(z.string(), z.number().int()).describe('People per role key with the proposed mapping.'),
  changed: z.number().int(),
  total: z.number().int(),
  truncated: z.boolean().describe('More than the 1,000 rows listed.'),
  users: z.array(RolePreviewRowView),
}).meta({ title: 'RolePreview' });

/** The tenant+product acted on: a setup link's own, else the request's, checked for the caller. */
function scopeOf(caller: Caller, input: unknown, use: 'read' | 'change'): { tenant: string; product: string } {
  if (caller.type === 'setup_link') {
    const { tenant, product, service } = caller.link;
    authorize(caller, use === 'read' ? `${service}:read` : `${service}:write`, { tenant, product });
    return { tenant, product };
  }
  const s = parseInput(RoleMappingScope, input);
  authorize(caller, use === 'read' ? 'sso:read' : 'sso:write', s);
  return s;
}

async function declaredRoles(ctx: AppContext, product: string): Promise<ProductRole[]> {
  return readProductRoles((await productsRepo.findById(ctx.db, product))?.roles ?? null);
}

const parseGroups = (v: string | null): string[] => (v ? (JSON.parse(v) as string[]) : []);

/** Groups the tenant's IdP is known to send: in sign-ins of the last SESSION_TTL_SECONDS and in its directories. */
async function knownGroups(ctx: AppContext, tenant: string, product: string) {
  const seen = new Map<string, { name: string; sources: Set<'sso' | 'directory'>; externalId?: string }>();
  const note = (name: string, source: 'sso' | 'directory', externalId?: string | null) => {
    const k = groupKey(name);
    const g = seen.get(k) ?? { name, sources: new Set(), ...(externalId ? { externalId } : {}) };
    g.sources.add(source);
    seen.set(k, g);
  };
  for (const s of await roleMappingsRepo.signInsSince(ctx.db, tenant, product, signInWindow(ctx), MAX_SIGN_INS)) for (const g of parseGroups(s.groups)) note(g, 'sso');
  const dirs = await roleMappingsRepo.directoryIds(ctx.db, tenant, product);
  for (const g of await roleMappingsRepo.groupsOf(ctx.db, dirs, MAX_GROUPS)) note(g.display_name, 'directory', g.external_id);
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name)).map((g) => ({ name: g.name, sources: [...g.sources].sort(), ...(g.externalId ? { externalId: g.externalId } : {}) }));
}

async function savedMappings(ctx: AppContext, tenant: string, product: string): Promise<{ mappings: RoleMapping[]; updatedAt: string | null }> {
  const row = await roleMappingsRepo.find(ctx.db, tenant, product);
  return { mappings: row ? (JSON.parse(row.mappings) as RoleMapping[]) : [], updatedAt: row ? new Date(row.updated_at).toISOString() : null };
}

export async function getRoleMappings(ctx: AppContext, caller: Caller, query: unknown): Promise<z.infer<typeof RoleMappingsView>> {
  const { tenant, product } = scopeOf(caller, query, 'read');
  const [roles, saved, groups] = await Promise.all([declaredRoles(ctx, product), savedMappings(ctx, tenant, product), knownGroups(ctx, tenant, product)]);
  return { tenant, product, roles, ...saved, groups };
}

/** 400 naming the first mapping whose role the product does not declare. */
function checkRoles(mappings: RoleMapping[], roles: ProductRole[]): void {
  if (mappings.length && roles.length === 0) throw new GatehouseError('API_VALIDATION', 'The product declares no roles yet: add "roles" to the product first.', { field: 'mappings' });
  const keys = new Set(roles.map((r) => r.key));
  const i = mappings.findIndex((m) => !keys.has(m.role));
  if (i >= 0) throw new GatehouseError('API_VALIDATION', `"mappings.${i}.role": the product has no role "${mappings[i]!.role}".`, { field: `mappings.${i}.role` });
}

/** The mapping a save or preview asks for, checked against the product's roles. */
async function proposed(ctx: AppContext, caller: Caller, body: unknown, use: 'read' | 'change') {
  const { tenant, product } = scopeOf(caller, body, use);
  const input = parseInput(RoleMappingsBody, body);
  const roles = await declaredRoles(ctx, product);
  const mappings = normaliseMappings(input.mappings);
  checkRoles(mappings, roles);
  return { tenant, product, roles, mappings };
}

export async function saveRoleMappings(ctx: AppContext, caller: Caller, body: unknown) {
  const { tenant, product, mappings } = await proposed(ctx, caller, body, 'change');
  const before = await savedMappings(ctx, tenant, product);
  await roleMappingsRepo.put(ctx.db, tenant, product, JSON.stringify(mappings), ctx.now());
  await auditChange(ctx, caller, { action: 'role_mappings.updated', target: { type: 'role_mappings', id: `${tenant}/${product}` }, tenant, product, before: { mappings: before.mappings }, after: { mappings } });
  return getRoleMappings(ctx, caller, { tenant, product });
}

type PreviewRow = z.infer<typeof RolePreviewRowView>;

/**
 * The dry run: what the proposed mapping gives each directory user (by their directory groups, as webhooks will
 * carry) and each person who signed in recently (by the groups of their last sign-in, as their next id_token will
 * carry, beside any roles the IdP sends itself), next to what the saved mapping gives them today.
 */
export async function previewRoleMappings(ctx: AppContext, caller: Caller, body: unknown): Promise<z.infer<typeof RolePreviewView>> {
  const { tenant, product, roles, mappings } = await proposed(ctx, caller, body, 'read');
  const current = (await savedMappings(ctx, tenant, product)).mappings;
  const rows: PreviewRow[] = [];
  const row = (r: Omit<PreviewRow, 'roles' | 'currentRoles'>): PreviewRow => ({ ...r, roles: mappedRoles(r.groups, mappings, roles), currentRoles: mappedRoles(r.groups, current, roles) });
  for (const directoryId of await roleMappingsRepo.directoryIds(ctx.db, tenant, product)) {
    const users = await roleMappingsRepo.usersOf(ctx.db, [directoryId], MAX_USERS);
    const groups = new Map<string, string[]>();
    for (const m of await roleMappingsRepo.membershipsOf(ctx.db, directoryId, undefined, MAX_MEMBERSHIPS)) {
      const list = groups.get(m.user_id) ?? groups.set(m.user_id, []).get(m.user_id)!;
      list.push(m.display_name, ...(m.external_id ? [m.external_id] : []));
    }
    for (const u of users) rows.push(row({ source: 'directory', user: u.user_name, email: identityOf(u).email, groups: groups.get(u.id) ?? [], directoryId, userId: u.id, active: u.active === 1 }));
  }
  const seen = new Set<string>();
  for (const s of await roleMappingsRepo.signInsSince(ctx.db, tenant, product, signInWindow(ctx), MAX_SIGN_INS)) {
    if (seen.has(s.nameid_key)) continue;
    seen.add(s.nameid_key);
    rows.push(row({ source: 'sign-in', user: s.nameid, email: s.email, groups: parseGroups(s.groups), lastSignInAt: new Date(s.created_at).toISOString() }));
  }
  const counts = Object.fromEntries(roles.map((r) => [r.key, rows.filter((x) => x.roles.includes(r.key)).length]));
  const changed = rows.filter((r) => r.roles.join() !== r.currentRoles.join()).length;
  return { tenant, product, mappings, counts, changed, total: rows.length, truncated: rows.length > MAX_ROWS, users: rows.slice(0, MAX_ROWS) };
}
