/**
 * Portal links (issue 17 §3, decision 0033) through the real app on SQLite: single use (a second open from a fresh
 * cookie jar answers 410), expiry, the exact return URL, the cookie that works in an iframe, CSRF, frame-ancestors
 * on the portal pages only, and scope: a session reaches its own tenant+product and intent, nothing else.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';

const VENDOR = 'https://vendor.example.com';
const RETURN = 'https://vendor.example.com/settings/sso?done=1';

describe('portal links', () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  let clock = Date.now();
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
  const link = async (body: object) => {
    const r = await api('POST', '/api/v1/portal/links', { tenant: 'acme.com', product: 'crm', ...body });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().data as { url: string; expiresAt: string };
  };
  const pathOf = (url: string) => new URL(url).pathname;
  /** Opens a link as a fresh browser would; answers the session cookie and its CSRF token. */
  const open = async (body: object) => {
    const r = await gh.app.inject({ method: 'GET', url: pathOf((await link(body)).url) });
    assert.equal(r.statusCode, 303, r.body);
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    const s = await gh.app.inject({ method: 'GET', url: '/api/portal/session', headers: { cookie } });
    assert.equal(s.statusCode, 200, s.body);
    return { cookie, csrf: s.json().data.csrfToken as string, info: s.json().data };
  };

  before(async () => {
    gh = (await startGatehouse({ now: () => clock, env: { PORTAL_FRAME_ANCESTORS: 'https://everywhere.example.net' } }))!;
    idp = await createTestIdp();
    assert.equal((await api('POST', '/api/v1/products', { product: 'crm', defaultRedirectUrl: 'https://crm.example.test/cb', portalReturnUrls: [RETURN], portalFrameAncestors: [VENDOR] })).statusCode, 201);
    // Another tenant's connection and domain, which no acme.com session may see.
    const other = await api('POST', '/api/v1/sso', { tenant: 'globex.com', product: 'crm', rawMetadata: (await createTestIdp()).metadataXml({ ssoUrl: 'https://idp.globex.test/sso' }), defaultRedirectUrl: 'https://crm.example.test/cb', redirectUrl: ['https://crm.example.test/cb'] });
    assert.equal(other.statusCode, 200, other.body);
    assert.equal((await api('POST', '/api/v1/tenants/globex.com/domains', { domain: 'globex.com' })).statusCode, 201);
    assert.equal((await api('POST', '/api/v1/tenants/acme.com/domains', { domain: 'acme.com' })).statusCode, 201);
  });
  after(async () => gh.close());

  test('a link lasts 5 minutes by default; the product settings are on the product', async () => {
    const { url, expiresAt } = await link({ intent: 'sso' });
    assert.match(url, new RegExp(`^${gh.baseUrl}/portal/[A-Za-z0-9_-]{43}$`));
    assert.equal(Date.parse(expiresAt), clock + 5 * 60_000);
    const p = (await api('GET', '/api/v1/products/crm')).json().data;
    assert.deepEqual([p.portalReturnUrls, p.portalFrameAncestors], [[RETURN], [VENDOR]]);
  });

  test('the first open starts a session with a cookie that works in an iframe; any later open answers 410', async () => {
    const { url } = await link({ intent: 'sso' });
    const first = await gh.app.inject({ method: 'GET', url: pathOf(url) });
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, '/portal/session');
    const setCookie = String(first.headers['set-cookie']);
    for (const attr of ['HttpOnly', 'Secure', 'SameSite=None', 'Partitioned', 'Path=/']) assert.ok(setCookie.includes(attr), `${attr} in ${setCookie}`);
    // A fresh cookie jar (another browser): no cookie at all.
    const again = await gh.app.inject({ method: 'GET', url: pathOf(url) });
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /already used/);
    assert.equal(again.headers['set-cookie'], undefined);
    // The refusal can still be shown in the vendor's frame.
    assert.match(String(again.headers['content-security-policy']), /frame-ancestors https:\/\/everywhere\.example\.net https:\/\/vendor\.example\.com/);
  });

  test('an expired link answers 410 and starts nothing; an unknown one 404', async () => {
    const { url } = await link({ intent: 'sso', expiresInMinutes: 2 });
    clock += 2 * 60_000;
    const r = await gh.app.inject({ method: 'GET', url: pathOf(url) });
    assert.equal(r.statusCode, 410);
    assert.match(r.body, /expired/);
    assert.equal(r.headers['set-cookie'], undefined);
    const unknown = await gh.app.inject({ method: 'GET', url: `/portal/${'A'.repeat(43)}` });
    assert.equal(unknown.statusCode, 404);
    // No product is known: only the deployment-wide origins (PORTAL_FRAME_ANCESTORS) may frame the refusal.
    assert.match(String(unknown.headers['content-security-policy']), /frame-ancestors https:\/\/everywhere\.example\.net;/);
  });

  test('returnUrl must be registered on the product, exactly; intents and clientID are checked', async () => {
    for (const returnUrl of [`${RETURN}&x=1`, 'https://vendor.example.com/settings/sso', 'https://evil.example/settings/sso?done=1']) {
      const r = await api('POST', '/api/v1/portal/links', { tenant: 'acme.com', product: 'crm', intent: 'sso', returnUrl });
      assert.equal(r.statusCode, 400, returnUrl);
      assert.equal(r.json().field, 'returnUrl');
    }
    const bad = await api('POST', '/api/v1/portal/links', { tenant: 'acme.com', product: 'crm', intent: 'everything' });
    assert.equal(bad.statusCode, 400);
    const renewal = await api('POST', '/api/v1/portal/links', { tenant: 'acme.com', product: 'crm', intent: 'certificate_renewal' });
    assert.equal(renewal.statusCode, 400);
    assert.equal(renewal.json().field, 'clientID');
    const long = await api('POST', '/api/v1/portal/links', { tenant: 'acme.com', product: 'crm', intent: 'sso', expiresInMinutes: 61 });
    assert.equal(long.statusCode, 400);
  });

  test('the portal page is framed by the allowed origins only; other pages keep frame-ancestors none', async () => {
    const { cookie } = await open({ intent: 'sso' });
    const page = await gh.app.inject({ method: 'GET', url: '/portal/session', headers: { cookie } });
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /frame-ancestors https:\/\/everywhere\.example\.net https:\/\/vendor\.example\.com(;|$)/);
    assert.equal(page.headers['x-frame-options'], undefined);
    for (const url of ['/admin/', `/setup/${'A'.repeat(43)}`, '/api/portal/session', '/login/sso?enterprise_key=x']) {
      const r = await gh.app.inject({ method: 'GET', url, headers: { cookie } });
      assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/, url);
      assert.equal(r.headers['x-frame-options'], 'SAMEORIGIN', url);
    }
    const noSession = await gh.app.inject({ method: 'GET', url: '/portal/session' });
    assert.equal(noSession.statusCode, 401);
    assert.match(String(noSession.headers['content-security-policy']), /frame-ancestors 'none'/);
  });

  test('an SSO session drives the setup-link API for its own tenant+product, with the CSRF header on changes', async () => {
    const { cookie, csrf, info } = await open({ intent: 'sso', returnUrl: RETURN });
    assert.deepEqual([info.intent, info.tenant, info.product, info.hasReturnUrl], ['sso', 'acme.com', 'crm', true]);
    const rawMetadata = idp.metadataXml({ ssoUrl: 'https://idp.acme.test/sso' });
    const noCsrf = await gh.app.inject({ method: 'POST', url: '/api/portal/sso-connection', headers: { cookie }, payload: { rawMetadata } });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().code, 'PORTAL_CSRF');
    const created = await gh.app.inject({ method: 'POST', url: '/api/portal/sso-connection', headers: { cookie, 'x-csrf-token': csrf }, payload: { rawMetadata, tenant: 'globex.com' } });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual([created.json().data.tenant, created.json().data.product], ['acme.com', 'crm']);
    const list = (await gh.app.inject({ method: 'GET', url: '/api/portal/sso-connection', headers: { cookie } })).json().data as { tenant: string }[];
    assert.deepEqual(list.map((c) => c.tenant), ['acme.com']);
    const globex = (await api('GET', '/api/v1/sso?tenant=globex.com&product=crm')).json();
    const globexId = (Array.isArray(globex) ? globex : globex.data)[0].clientID as string;
    const foreign = await gh.app.inject({ method: 'GET', url: `/api/portal/sso-connection/${globexId}`, headers: { cookie } });
    assert.equal(foreign.statusCode, 404);
    // Another intent's views are closed to it.
    assert.equal((await gh.app.inject({ method: 'GET', url: '/api/portal/domains', headers: { cookie } })).statusCode, 403);
    assert.equal((await gh.app.inject({ method: 'GET', url: '/api/portal/directory-sync', headers: { cookie } })).statusCode, 403);
    // The change is audited with the session as the actor.
    const audit = (await gh.ctx.db.selectFrom('audit_events').select(['action', 'actor_label']).where('tenant', '=', 'acme.com').execute()).map((a) => a.action);
    assert.ok(audit.includes('portal_link.created') && audit.includes('portal_link.opened') && audit.includes('sso.connection.created'), audit.join());
    // Test connection opens in a new top-level tab, without the frame's cookie: the test id is the capability.
    const clientID = created.json().data.clientID as string;
    const t = await gh.app.inject({ method: 'POST', url: `/api/portal/sso-connection/${clientID}/test`, headers: { cookie, 'x-csrf-token': csrf }, payload: {} });
    assert.equal(t.statusCode, 201, t.body);
    const startUrl = t.json().data.url as string;
    assert.match(startUrl, new RegExp(`^${gh.baseUrl}/portal/tests/[A-Za-z0-9_-]{32}/start$`));
    const started = await gh.app.inject({ method: 'GET', url: pathOf(startUrl) });
    assert.equal(started.statusCode, 302, started.body);
    assert.match(String(started.headers.location), /^https:\/\/idp\.acme\.test\/sso\?SAMLRequest=/);
    assert.equal((await gh.app.inject({ method: 'GET', url: '/portal/tests/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/start' })).statusCode, 404);
    // Ending it answers the return URL; the cookie no longer works.
    const end = await gh.app.inject({ method: 'POST', url: '/api/portal/session/end', headers: { cookie, 'x-csrf-token': csrf } });
    assert.equal(end.statusCode, 200);
    assert.equal(end.json().data.returnUrl, RETURN);
    assert.equal((await gh.app.inject({ method: 'GET', url: '/api/portal/session', headers: { cookie } })).statusCode, 401);
    // A test of an ended session no longer starts.
    assert.equal((await gh.app.inject({ method: 'GET', url: pathOf(startUrl) })).statusCode, 404);
  });

  test('a domain-verification session sees its tenant\'s domains only; an audit-log session its tenant+product\'s events only', async () => {
    const d = await open({ intent: 'domain_verification' });
    const domains = await gh.app.inject({ method: 'GET', url: '/api/portal/domains', headers: { cookie: d.cookie } });
    assert.equal(domains.statusCode, 200, domains.body);
    assert.deepEqual(domains.json().data.map((x: { domain: string }) => x.domain), ['acme.com']);
    assert.match(domains.json().data[0].txtRecord.value, /^gatehouse-verification=/);
    const foreign = await gh.app.inject({ method: 'POST', url: '/api/portal/domains/globex.com/verify', headers: { cookie: d.cookie, 'x-csrf-token': d.csrf } });
    assert.equal(foreign.statusCode, 404);
    assert.equal((await gh.app.inject({ method: 'GET', url: '/api/portal/sso-connection', headers: { cookie: d.cookie } })).statusCode, 403);

    const a = await open({ intent: 'audit_log' });
    const log = await gh.app.inject({ method: 'GET', url: '/api/portal/audit-log', headers: { cookie: a.cookie } });
    assert.equal(log.statusCode, 200, log.body);
    const events = log.json().data as { action: string; actor: string }[];
    assert.ok(events.length > 0);
    const all = await gh.ctx.db.selectFrom('audit_events').select(['tenant', 'product']).execute();
    assert.equal(events.length, all.filter((e) => e.tenant === 'acme.com' && e.product === 'crm').length);
    assert.ok(all.some((e) => e.tenant === 'globex.com'), 'the other tenant has events that the session did not get');
    assert.ok(!JSON.stringify(events).includes('globex'), 'nothing of globex.com');
    // The vendor's staff and keys appear as "Vendor", with no IP.
    assert.ok(events.some((e) => e.action === 'portal_link.created' && e.actor === 'Vendor'));
    assert.ok(!('ip' in (events[0] as object)));
  });

  test('a dsync session creates a directory of its own tenant+product and reaches no SSO route', async () => {
    const { cookie, csrf } = await open({ intent: 'dsync' });
    const created = await gh.app.inject({ method: 'POST', url: '/api/portal/directory-sync', headers: { cookie, 'x-csrf-token': csrf }, payload: { type: 'okta-scim-v2', tenant: 'globex.com' } });
    assert.equal(created.statusCode, 201, created.body);
    const rows = await gh.ctx.db.selectFrom('directories').select(['tenant', 'product']).execute();
    assert.deepEqual(rows, [{ tenant: 'acme.com', product: 'crm' }]);
    assert.equal((await gh.app.inject({ method: 'GET', url: '/api/portal/sso-connection', headers: { cookie } })).statusCode, 403);
  });

  test('a session ends after an hour unused', async () => {
    const { cookie } = await open({ intent: 'sso' });
    clock += 61 * 60_000;
    const r = await gh.app.inject({ method: 'GET', url: '/api/portal/session', headers: { cookie } });
    assert.equal(r.statusCode, 401);
    assert.equal(r.json().code, 'PORTAL_SESSION_REQUIRED');
  });

  test('minting a link needs a valid API key', async () => {
    const r = await gh.app.inject({ method: 'POST', url: '/api/v1/portal/links', headers: { authorization: 'Api-Key wrong' }, payload: { tenant: 'acme.com', product: 'crm', intent: 'sso' } });
    assert.equal(r.statusCode, 401);
  });
});
