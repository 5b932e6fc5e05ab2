/**
 * Settings of the portal's own SSO (dogfooding): which tenant+product's connections sign admins in, whether
 * SSO is required, and which IdP groups (exact, case-sensitive names) give which role.
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { adminSettingsRepo } from '../storage/repositories/admin-settings.ts';
import { connectionsRepo } from '../storage/index.ts';
import { parseInput } from '../sso/connections.ts';
import { ROLES, type AdminRole } from './roles.ts';
import { localOwnerCount } from './accounts.ts';

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
});

export async function getPortalSso(ctx: AppContext): Promise<PortalSso> {
  return { ...DEFAULTS, ...((await adminSettingsRepo.get(ctx.db, KEY)) as Partial<PortalSso> | undefined) };
}

/** Where the portal's SSO lands: the redirect URL its connections must allow. */
export const portalCallbackUrl = (ctx: AppContext) => `${ctx.config.EXTERNAL_URL}/api/admin/sso/callback`;

export async function portalSsoView(ctx: AppContext) {
  const s = await getPortalSso(ctx);
  const connections = (await connectionsRepo.listByTenantProduct(ctx.db, s.tenant, s.product)).filter((c) => c.active === 1);
  return { ...s, connectionCount: connections.length, callbackUrl: portalCallbackUrl(ctx) };
}

/** Saves the settings. SSO cannot be made required while no owner can sign in without it (409). */
export async function updatePortalSso(ctx: AppContext, body: unknown): Promise<{ before: PortalSso; after: PortalSso }> {
  const input = parseInput(PortalSsoInput, body);
  const before = await getPortalSso(ctx);
  const after: PortalSso = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
  if (after.required && !before.required && (await localOwnerCount(ctx)) === 0) {
    throw new GatehouseError('ADMIN_LOCKOUT_GUARD', 'SSO cannot be made required while no owner can sign in with a password: if the IdP failed, nobody could get in. Give an owner a password (break-glass account) first.', { field: 'required' });
  }
  await adminSettingsRepo.put(ctx.db, KEY, after, ctx.now());
  return { before, after };
}
