/**
 * Settings of the portal's own SSO (dogfooding): which tenant+product, which of its connections an owner
 * chose to sign admins in (only those are trusted: anyone who can create connections could otherwise add
 * one with an IdP they control), whether SSO is required, and which IdP groups (exact, case-sensitive
 * names) give which role. The choice is kept in portal_sso_connections, where the connection guard
 * (sso/connection-guard.ts) reads it.
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { adminSettingsRepo } from '../storage/repositories/admin-settings.ts';
import { portalTrustRepo } from '../storage/repositories/admin-trust.ts';
import { connectionsRepo, type ConnectionRow } from '../storage/index.ts';
import { parseInput } from '../input/parse-input.ts';
import { ROLES, type AdminRole } from '../policy/roles.ts';
import { localOwnerCount } from './accounts.ts';
import { requireAdminRole, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';

export interface PortalSso {
  tenant: string;
  product: string;
  required: boolean;
  groupRoles: Record<string, AdminRole>;
}

const DEFAULTS: PortalSso = { tenant: '_gatehouse', product: 'admin-portal', required: false, groupRoles: {} };
const KEY = 'portal_sso';
const id = z.string().trim().min(1, 'is required').max(191).regex(/^\S+$/, 'must not contain spaces');
export const PortalSsoInput = z.object({
  tenant: id.optional(),
  product: id.optional(),
  required: z.boolean().optional(),
  groupRoles: z.record(z.string().min(1).max(256), z.enum(ROLES as [AdminRole, ...AdminRole[]])).optional(),
  connectionIds: z.array(z.string().min(1).max(191)).max(20).optional(),
});

export async function getPortalSso(ctx: AppContext): Promise<PortalSso> {
  const { connectionIds: _ignored, ...stored } = ((await adminSettingsRepo.get(ctx.db, KEY)) ?? {}) as Partial<PortalSso> & { connectionIds?: unknown };
  return { ...DEFAULTS, ...stored };
}

/** Where the portal's SSO lands: the redirect URL its connections must allow. */
export const portalCallbackUrl = (ctx: AppContext) => `${ctx.config.EXTERNAL_URL}/api/admin/sso/callback`;

/**
 * The connections an owner chose that still are what was chosen: of the portal's tenant+product, and not
 * deleted and created again under the same id since. Inactive ones are included; callers filter.
 */
export async function chosenConnections(ctx: AppContext, s: PortalSso, candidates?: ConnectionRow[]): Promise<ConnectionRow[]> {
  const chosen = new Map((await portalTrustRepo.list(ctx.db)).map((t) => [t.connection_id, t.connection_created_at]));
  const rows = candidates ?? (await connectionsRepo.listByTenantProduct(ctx.db, s.tenant, s.product));
  return rows.filter((c) => chosen.get(c.id) === c.created_at);
}

export async function portalSsoView(ctx: AppContext) {
  const s = await getPortalSso(ctx);
  const candidates = await connectionsRepo.listByTenantProduct(ctx.db, s.tenant, s.product);
  const chosen = new Set((await chosenConnections(ctx, s, candidates)).map((c) => c.id));
  return {
    ...s,
    connectionIds: [...chosen],
    connectionCount: candidates.filter((c) => chosen.has(c.id) && c.active === 1).length,
    candidates: candidates.map((c) => ({ clientID: c.id, name: c.name, kind: c.kind, idpEntityId: c.idp_entity_id, active: c.active === 1, chosen: chosen.has(c.id) })),
    callbackUrl: portalCallbackUrl(ctx),
  };
}

/** The new choice of connections: each must be one of the (new) tenant+product's. */
async function choiceOf(ctx: AppContext, after: PortalSso, ids: string[] | undefined, keep: string[], actorId: string) {
  const rows = await connectionsRepo.listByTenantProduct(ctx.db, after.tenant, after.product);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const cid of ids ?? []) {
    if (!byId.has(cid)) throw new GatehouseError('API_VALIDATION', `"${cid}" is not a connection of tenant "${after.tenant}", product "${after.product}".`, { field: 'connectionIds' });
  }
  const chosenIds = ids ?? keep.filter((k) => byId.has(k));
  return [...new Set(chosenIds)].map((cid) => ({ connection_id: cid, connection_created_at: byId.get(cid)!.created_at, chosen_by: actorId, chosen_at: ctx.now() }));
}

/**
 * Saves the settings (owners only). SSO cannot be made required while no owner can sign in without it (409).
 * `connectionIds`, when given, replaces the chosen connections. Audited.
 */
export async function updatePortalSso(ctx: AppContext, caller: Caller, body: unknown): Promise<void> {
  requireAdminRole(caller, 'owner', 'change the portal\'s SSO');
  const { connectionIds, ...input } = parseInput(PortalSsoInput, body);
  const before = await getPortalSso(ctx);
  const after: PortalSso = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
  if (after.required && !before.required && (await localOwnerCount(ctx)) === 0) {
    throw new GatehouseError('ADMIN_LOCKOUT_GUARD', 'SSO cannot be made required while no owner can sign in with a password: if the IdP failed, nobody could get in. Give an owner a password (break-glass account) first.', { field: 'required' });
  }
  const beforeIds = (await chosenConnections(ctx, before)).map((c) => c.id);
  const previous = new Map((await portalTrustRepo.list(ctx.db)).map((t) => [t.connection_id, t]));
  const choice = (await choiceOf(ctx, after, connectionIds, beforeIds, caller.id)).map((t) => previous.get(t.connection_id)?.connection_created_at === t.connection_created_at ? previous.get(t.connection_id)! : t);
  await adminSettingsRepo.put(ctx.db, KEY, after, ctx.now());
  await portalTrustRepo.replace(ctx.db, choice);
  await auditChange(ctx, caller, { action: 'admin.portal_sso.updated', target: { type: 'settings', id: 'portal_sso' }, before: { ...before, connectionIds: beforeIds }, after: { ...after, connectionIds: choice.map((t) => t.connection_id) } });
}
