/**
 * Portal links, the vendor side (issue 17 §3, decision 0033): `POST /api/v1/portal/links` mints a short-lived,
 * single-use link bound to one tenant+product and one intent. Checked (`setuplinks:write` on the tenant and
 * product, as setup links) and audited here; the token (256 bits) is returned once and stored only as its SHA-256.
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, portalRepo, productsRepo, type PortalLinkRow } from '../storage/index.ts';
import { randomToken, tokenHash } from '../crypto/secrets.ts';
import { parseInput } from '../input/parse-input.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { readPortalSettings } from '../tenancy/portal-settings.ts';

export const PORTAL_INTENTS = ['sso', 'dsync', 'domain_verification', 'certificate_renewal', 'audit_log'] as const;
export type PortalIntent = (typeof PORTAL_INTENTS)[number];

const id = z.string().min(1, 'is required').max(191);
export const CreatePortalLinkInput = z.object({
  tenant: id,
  product: id,
  intent: z.enum(PORTAL_INTENTS),
  clientID: id.optional(),
  returnUrl: z.string().max(2048).optional(),
  expiresInMinutes: z.number().int().min(1).max(60).optional(),
});

const MINUTE = 60_000;
export const portalLinkUrl = (ctx: AppContext, token: string) => `${ctx.config.EXTERNAL_URL}/portal/${token}`;

/** `returnUrl` must be one of the product's `portalReturnUrls`, character for character. */
function checkReturnUrl(returnUrl: string | undefined, registered: string[]): void {
  if (returnUrl === undefined) return;
  if (!registered.includes(returnUrl)) {
    throw new GatehouseError('API_VALIDATION', registered.length ? '"returnUrl" must be one of the product\'s portalReturnUrls, exactly.' : '"returnUrl" needs the product to list it in portalReturnUrls first.', { field: 'returnUrl' });
  }
}

/** certificate_renewal names one connection of this tenant+product; no other intent takes a clientID. */
async function clientIdFor(ctx: AppContext, input: z.infer<typeof CreatePortalLinkInput>): Promise<string | null> {
  if (input.intent !== 'certificate_renewal') {
    if (input.clientID) throw new GatehouseError('API_VALIDATION', '"clientID" is only taken with "intent": "certificate_renewal".', { field: 'clientID' });
    return null;
  }
  const conn = input.clientID ? await connectionsRepo.findById(ctx.db, input.clientID) : undefined;
  if (!conn || conn.tenant !== input.tenant || conn.product !== input.product) {
    throw new GatehouseError('API_VALIDATION', `"clientID" is required with "intent": "certificate_renewal" and must name a connection of tenant "${input.tenant}" and product "${input.product}".`, { field: 'clientID' });
  }
  return conn.id;
}

export async function createPortalLink(ctx: AppContext, caller: Caller, body: unknown): Promise<{ url: string; expiresAt: string }> {
  const b = (body ?? {}) as Record<string, unknown>;
  authorize(caller, 'setuplinks:write', { tenant: b.tenant, product: b.product }, 'change');
  const input = parseInput(CreatePortalLinkInput, body);
  const product = await productsRepo.findById(ctx.db, input.product);
  if (!product) throw new GatehouseError('API_VALIDATION', `No product "${input.product}".`, { field: 'product' });
  checkReturnUrl(input.returnUrl, readPortalSettings(product.portal_settings).portalReturnUrls);
  // The SSO pages create connections whose redirect URL is the product's default: without one they could not.
  if (input.intent === 'sso' && !product.default_redirect_url) throw new GatehouseError('API_VALIDATION', `Product "${input.product}" needs a defaultRedirectUrl for the sso intent.`, { field: 'product' });
  const clientId = await clientIdFor(ctx, input);
  const token = randomToken(32);
  const now = ctx.now();
  const row: PortalLinkRow = {
    id: randomToken(16), token_hash: tokenHash(token), tenant: input.tenant, product: input.product, intent: input.intent, client_id: clientId,
    return_url: input.returnUrl ?? null, expires_at: now + (input.expiresInMinutes ?? 5) * MINUTE, consumed_at: null, created_by: caller.label, created_at: now,
  };
  await portalRepo.insertLink(ctx.db, row);
  const expiresAt = new Date(row.expires_at).toISOString();
  await auditChange(ctx, caller, { action: 'portal_link.created', target: { type: 'portal_link', id: row.id }, tenant: row.tenant, product: row.product, after: { intent: row.intent, clientID: clientId, returnUrl: row.return_url, expiresAt, url: '[redacted]' } });
  return { url: portalLinkUrl(ctx, token), expiresAt };
}
