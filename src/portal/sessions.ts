/**
 * Portal sessions (decision 0033). Opening a portal link consumes it with one conditional UPDATE and starts a
 * session whose state is in the database (any instance serves it): the cookie holds a random secret, the
 * database its SHA-256. The CSRF token is derived from the secret, so nothing else is stored and the page can
 * ask for it again after a reload. The session acts as a setup link scoped to its intent (`asSetupLink`), so the
 * setup-link services, their checks and their audit serve it unchanged.
 */
import { createHmac } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { NO_PROGRESS, portalRepo, productsRepo, setupLinkTestsRepo, type PortalSessionRow, type SetupLinkRow } from '../storage/index.ts';
import { constantTimeEqual, randomToken, tokenHash } from '../crypto/secrets.ts';
import { auditChange } from '../policy/audit.ts';
import type { Caller } from '../policy/caller.ts';
import { readPortalSettings } from '../tenancy/portal-settings.ts';
import type { SsoDefaults } from '../setup-links/service.ts';
import { startSetupTest } from '../setup-links/tests.ts';
import type { StartLoginOutcome } from '../sso/saml/start-login.ts';

const TOKEN = /^[A-Za-z0-9_-]{43,128}$/;
const MINUTE = 60_000;
/** The idle window slides at most once a minute per session: a page that polls does not write on every call. */
const TOUCH_EVERY = MINUTE;

export type PortalOpen = { ok: true; secret: string; session: PortalSessionRow } | { ok: false; error: GatehouseError; product: string | null };

/** The setup-link service an intent drives (domain verification and the audit log sit beside SSO's). */
export const serviceOf = (s: Pick<PortalSessionRow, 'intent'>): 'sso' | 'dsync' => (s.intent === 'dsync' ? 'dsync' : 'sso');

export function callerOf(s: PortalSessionRow, ip: string | null): Caller & { type: 'setup_link' } {
  return {
    type: 'setup_link', id: `portal_${s.id}`, label: `Portal session (${s.tenant} / ${s.product}, ${s.intent})`, ip,
    link: { tenant: s.tenant, product: s.product, service: serviceOf(s), ...(s.intent === 'domain_verification' ? { tenantWide: true } : {}) },
  };
}

/**
 * Opens a link: the first open wins and starts a session; any later open, from any browser, gets
 * PORTAL_LINK_USED (410). `product` in a refusal lets the page carry that product's frame-ancestors.
 */
export async function openPortalLink(ctx: AppContext, token: string | undefined, ip: string | null): Promise<PortalOpen> {
  if (!token || !TOKEN.test(token)) return { ok: false, error: new GatehouseError('PORTAL_LINK_UNKNOWN'), product: null };
  const link = await portalRepo.findLinkByTokenHash(ctx.db, tokenHash(token));
  if (!link) return { ok: false, error: new GatehouseError('PORTAL_LINK_UNKNOWN'), product: null };
  const now = ctx.now();
  if (!(await portalRepo.consumeLink(ctx.db, link.id, now))) {
    // Read again: a link another open just consumed is "used", not "expired".
    const used = link.consumed_at !== null || (await portalRepo.findLinkByTokenHash(ctx.db, link.token_hash))?.consumed_at != null;
    return { ok: false, error: new GatehouseError(used ? 'PORTAL_LINK_USED' : 'PORTAL_LINK_EXPIRED'), product: link.product };
  }
  const secret = randomToken(32);
  const session: PortalSessionRow = {
    id: randomToken(16), secret_hash: tokenHash(secret), link_id: link.id, tenant: link.tenant, product: link.product, intent: link.intent, client_id: link.client_id,
    return_url: link.return_url, created_at: now, last_seen_at: now, expires_at: now + ctx.config.PORTAL_SESSION_ABSOLUTE_HOURS * 60 * MINUTE, ended_at: null,
  };
  await portalRepo.insertSession(ctx.db, session);
  await auditChange(ctx, callerOf(session, ip), { action: 'portal_link.opened', target: { type: 'portal_link', id: link.id }, tenant: link.tenant, product: link.product, after: { intent: link.intent, session: session.id } });
  return { ok: true, secret, session };
}

/** The live session of a cookie's secret, its idle window slid; PORTAL_SESSION_REQUIRED otherwise. */
export async function findPortalSession(ctx: AppContext, secret: string | undefined): Promise<PortalSessionRow> {
  if (!secret || !TOKEN.test(secret)) throw new GatehouseError('PORTAL_SESSION_REQUIRED');
  const s = await portalRepo.findSessionBySecretHash(ctx.db, tokenHash(secret));
  const now = ctx.now();
  if (!s || s.ended_at !== null || s.expires_at <= now || s.last_seen_at + ctx.config.PORTAL_SESSION_IDLE_MINUTES * MINUTE <= now) throw new GatehouseError('PORTAL_SESSION_REQUIRED');
  if (now - s.last_seen_at >= TOUCH_EVERY) await portalRepo.touchSession(ctx.db, s.id, now);
  return s;
}

/**
 * The CSRF token of a session, keyed by its secret as the admin portal's is (admin/sessions.ts): never stored, and
 * unknowable without the HttpOnly cookie; a reloaded page asks for it again.
 */
export const csrfTokenOf = (secret: string): string => createHmac('sha256', secret).update('gatehouse-portal-csrf').digest('base64url');

export function checkCsrf(secret: string, header: unknown): void {
  if (typeof header !== 'string' || !constantTimeEqual(header, csrfTokenOf(secret))) throw new GatehouseError('PORTAL_CSRF');
}

/** Ends the session (once) and answers where the page goes next: the link's return URL, or null. */
export async function endPortalSession(ctx: AppContext, s: PortalSessionRow, ip: string | null): Promise<{ returnUrl: string | null }> {
  if (await portalRepo.endSession(ctx.db, s.id, ctx.now())) {
    await auditChange(ctx, callerOf(s, ip), { action: 'portal_session.ended', target: { type: 'portal_session', id: s.id }, tenant: s.tenant, product: s.product });
  }
  return { returnUrl: s.return_url };
}

/**
 * The setup link a session acts as, never stored (a real link of the same scope would be replaced: one per scope).
 * Its id (`portal_<session>`) keys the session's test sign-ins; progress recorders find no row and do nothing.
 */
export async function asSetupLink(ctx: AppContext, s: PortalSessionRow): Promise<SetupLinkRow> {
  const product = await productsRepo.findById(ctx.db, s.product);
  const def = product?.default_redirect_url ?? '';
  const defaults: SsoDefaults | { webhookUrl: null; webhookSecretEnc: null } =
    serviceOf(s) === 'sso'
      ? { defaultRedirectUrl: def, redirectUrl: def ? [def] : [], ...(s.intent === 'certificate_renewal' && s.client_id ? { intent: 'certificate_renewal' as const, clientID: s.client_id } : {}) }
      : { webhookUrl: null, webhookSecretEnc: null };
  return {
    id: `portal_${s.id}`, service: serviceOf(s), tenant: s.tenant, product: s.product, name: 'Portal', description: '', token_hash: '', token_enc: '',
    defaults: JSON.stringify(defaults), expires_at: s.expires_at, created_by: 'portal', created_at: s.created_at, updated_at: s.created_at, ...NO_PROGRESS,
  };
}

/** Origins that may frame the portal pages of `product`: the product's own and PORTAL_FRAME_ANCESTORS. */
export async function frameAncestorsOf(ctx: AppContext, product: string | null): Promise<string[]> {
  const own = product ? readPortalSettings((await productsRepo.findById(ctx.db, product))?.portal_settings).portalFrameAncestors : [];
  return [...new Set([...ctx.config.PORTAL_FRAME_ANCESTORS, ...own])];
}

/**
 * Opens a portal session's test sign-in (`GET /portal/tests/<id>/start`) without the cookie: the page opens it in a
 * new top-level tab, where the frame's partitioned cookie is not sent. The test id (192 bits) is the capability, as
 * for the vendor's own tests; it starts only a pending test of a live session, on that session's connection.
 */
export async function openPortalTest(ctx: AppContext, testId: string): Promise<StartLoginOutcome> {
  const test = /^[A-Za-z0-9_-]{32}$/.test(testId) ? await setupLinkTestsRepo.findById(ctx.db, testId) : undefined;
  const s = test?.link_id.startsWith('portal_') ? await portalRepo.findSessionById(ctx.db, test.link_id.slice('portal_'.length)) : undefined;
  if (!test || !s || s.ended_at !== null || s.expires_at <= ctx.now()) throw new GatehouseError('SETUP_LINK_FORBIDDEN', 'This test is unknown or its portal session has ended; start a new one.');
  return startSetupTest(ctx, await asSetupLink(ctx, s), testId);
}
