/**
 * Issue 11, finding 1: portal SSO trusts only connections an owner chose, and nobody else can change them.
 * An API key (the bootstrap API_KEYS key), an `admin` and a setup link each try to sign in as the owner with an
 * IdP they control, or to take over the chosen connection; SSO reaches an account with a password only after
 * an owner linked it, and asks for TOTP after the IdP. Everything through the real HTTP surfaces.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAdminGatehouse, login, testClock, PASSWORD, type AdminClient } from './support.ts';
import { createTestIdp, buildSamlResponseBase64, type TestIdp } from '../support/saml-idp.ts';
import { IDP_SSO_URL, postToAcs } from '../support/saml-flow.ts';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';
import { totpCode } from '../../src/admin/totp.ts';

const T = '_gatehouse';
const P = 'admin-portal';

describe('portal SSO trusts only owner-chosen connections', () => {
  const clock = testClock();
  let gh: RunningGatehouse;
  let corp: TestIdp;
  let evil: TestIdp;
  let owner: AdminClient;
  let admin: AdminClient;
  let ownerId: string;
  let chosenId: string;
  let callbackUrl: string;

  const path = (url: string) => { const u = new URL(url, gh.baseUrl); return `${u.pathname}${u.search}`; };
  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });

  /** start → authorize (through `hint` when given, as an attacker would edit the URL) → IdP → ACS → callback. */
  async function ssoRound(idp: TestIdp, email: string, groups: string[], hint?: string) {
    const start = await gh.app.inject({ method: 'GET', url: '/api/admin/sso/start' });
    assert.equal(start.statusCode, 302, start.body);
    const startCookie = start.cookies.find((c) => c.name === 'gh_admin_sso')!;
    const url = new URL(start.headers.location as string);
    if (hint) url.searchParams.set('idp_hint', hint);
    const authorize = await gh.app.inject({ method: 'GET', url: path(url.toString()) });
    assert.equal(authorize.statusCode, 302, authorize.body);
    const authn = parseRedirectBindingRequest(authorize.headers.location as string);
    const requestId = /\bID="([^"]+)"/.exec(authn.xml)![1]!;
    const b64 = buildSamlResponseBase64({ idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: requestId, nameId: email, attributes: { email, groups }, now: clock.now() });
    const acs = await postToAcs(gh.app, b64, authn.relayState);
    assert.equal(acs.statusCode, 302, acs.body);
    return gh.app.inject({ method: 'GET', url: path(acs.headers.location as string), headers: { cookie: `gh_admin_sso=${startCookie.value}` } });
  }
  const noSession = (callback: { cookies: { name: string }[]; headers: Record<string, unknown> }, code: string) => {
    assert.ok(!callback.cookies.some((c) => c.name === 'gh_admin'), 'no session cookie');
    assert.match(callback.headers.location as string, new RegExp(`^/admin/login\\?error=${code}`));
  };
  const refusedAsTrusted = (res: { statusCode: number; body: string; headers: Record<string, unknown>; json(): { code: string } }) => {
    assert.equal(res.statusCode, 403, res.body);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.equal(res.json().code, 'CONNECTION_PORTAL_TRUSTED');
  };

  before(async () => {
    const s = await startAdminGatehouse({ now: clock.now, env: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } });
    gh = s.gh;
    ownerId = (await s.account('owner@example.com', 'owner')).id;
    await s.account('admin@example.com', 'admin');
    corp = await createTestIdp();
    evil = await createTestIdp({ entityId: corp.entityId }); // same entity ID, the attacker's key
    owner = await login(gh, 'owner@example.com');
    admin = await login(gh, 'admin@example.com');
    callbackUrl = `${gh.baseUrl}/api/admin/sso/callback`;
    const created = await owner.req('POST', '/api/admin/connections', { tenant: T, product: P, name: 'Corp IdP', defaultRedirectUrl: callbackUrl, redirectUrl: [callbackUrl], rawMetadata: corp.metadataXml({ ssoUrl: IDP_SSO_URL }) });
    assert.equal(created.statusCode, 201, created.body);
    chosenId = created.json().data.clientID;
  });
  after(() => gh.close());

  test('a connection is trusted only once an owner chooses it; the settings list the candidates', async () => {
    assert.deepEqual((await gh.app.inject({ method: 'GET', url: '/api/admin/sso/status' })).json(), { enabled: false, required: false });
    const view = (await owner.req('GET', '/api/admin/settings/portal-sso')).json();
    assert.deepEqual(view.connectionIds, []);
    assert.deepEqual(view.candidates.map((c: { clientID: string; chosen: boolean }) => [c.clientID, c.chosen]), [[chosenId, false]]);
    const other = await api('POST', '/api/v1/sso', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: callbackUrl, redirectUrl: [callbackUrl], rawMetadata: (await createTestIdp()).metadataXml({ ssoUrl: IDP_SSO_URL }) });
    const wrong = await owner.req('PUT', '/api/admin/settings/portal-sso', { connectionIds: [other.json().clientID] });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().field, 'connectionIds');
    assert.equal((await admin.req('PUT', '/api/admin/settings/portal-sso', { connectionIds: [chosenId] })).statusCode, 403, 'only owners choose');
    const put = await owner.req('PUT', '/api/admin/settings/portal-sso', { connectionIds: [chosenId], groupRoles: { 'Portal-Owners': 'owner' } });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json().connectionIds, [chosenId]);
    assert.equal(put.json().connectionCount, 1);
    assert.deepEqual((await gh.app.inject({ method: 'GET', url: '/api/admin/sso/status' })).json(), { enabled: true, required: false });
  });

  test('the bootstrap API key cannot re-create, change, deactivate or delete the chosen connection (403 problem JSON)', async () => {
    const before = await gh.ctx.db.selectFrom('connections').selectAll().where('id', '=', chosenId).executeTakeFirstOrThrow();
    refusedAsTrusted(await api('POST', '/api/v1/sso', { tenant: T, product: P, defaultRedirectUrl: callbackUrl, redirectUrl: [callbackUrl], rawMetadata: evil.metadataXml({ ssoUrl: IDP_SSO_URL }) }));
    refusedAsTrusted(await api('PATCH', '/api/v1/sso', { clientID: chosenId, rawMetadata: evil.metadataXml({ ssoUrl: IDP_SSO_URL }) }));
    refusedAsTrusted(await api('PATCH', '/api/v1/sso', { clientID: chosenId, deactivated: true }));
    refusedAsTrusted(await api('DELETE', `/api/v1/sso?clientID=${chosenId}`));
    refusedAsTrusted(await api('DELETE', `/api/v1/sso?tenant=${T}&product=${P}`));
    assert.deepEqual(await gh.ctx.db.selectFrom('connections').selectAll().where('id', '=', chosenId).executeTakeFirstOrThrow(), before, 'nothing changed');
  });

  test('an API key adds its own connection to the portal tenant and asserts the owner\'s email: no session', async () => {
    const attacker = await createTestIdp();
    const made = await api('POST', '/api/v1/sso', { tenant: T, product: P, defaultRedirectUrl: callbackUrl, redirectUrl: [callbackUrl], rawMetadata: attacker.metadataXml({ ssoUrl: IDP_SSO_URL }) });
    assert.equal(made.statusCode, 200, 'creating a connection nobody chose is still allowed');
    noSession(await ssoRound(attacker, 'owner@example.com', ['Portal-Owners'], made.json().clientID), 'ADMIN_SSO_FAILED');
    noSession(await ssoRound(attacker, 'newcomer@example.com', ['Portal-Owners'], made.json().clientID), 'ADMIN_SSO_FAILED');
    assert.equal(await gh.ctx.db.selectFrom('admin_users').select('id').where('email', '=', 'newcomer@example.com').executeTakeFirst(), undefined, 'no owner created from an untrusted group');
  });

  test('an `admin` can neither change the chosen connection nor sign in as the owner through a connection of its own', async () => {
    refusedAsTrusted(await admin.req('PATCH', `/api/admin/connections/${chosenId}`, { name: 'mine now' }));
    refusedAsTrusted(await admin.req('PATCH', `/api/admin/connections/${chosenId}`, { rawMetadata: evil.metadataXml({ ssoUrl: IDP_SSO_URL }) }));
    refusedAsTrusted(await admin.req('DELETE', `/api/admin/connections/${chosenId}`));
    refusedAsTrusted(await admin.req('POST', '/api/admin/connections', { tenant: T, product: P, defaultRedirectUrl: callbackUrl, redirectUrl: [callbackUrl], rawMetadata: evil.metadataXml({ ssoUrl: IDP_SSO_URL }) }));
    const attacker = await createTestIdp();
    const made = await admin.req('POST', '/api/admin/connections', { tenant: T, product: P, defaultRedirectUrl: callbackUrl, redirectUrl: [callbackUrl], rawMetadata: attacker.metadataXml({ ssoUrl: IDP_SSO_URL }) });
    assert.equal(made.statusCode, 201, made.body);
    noSession(await ssoRound(attacker, 'owner@example.com', ['Portal-Owners'], made.json().data.clientID), 'ADMIN_SSO_FAILED');
  });

  test('a setup link for the portal\'s tenant and product cannot change, re-create or delete the chosen connection', async () => {
    const link = await api('POST', '/api/v1/sso/setuplinks', { tenant: T, product: P, defaultRedirectUrl: callbackUrl, redirectUrl: [callbackUrl] });
    assert.ok(link.statusCode < 300, link.body);
    const token = new URL(link.json().data.url).pathname.split('/').pop()!;
    const setup = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => gh.app.inject({ method, url: `/api/setup/${token}${url}`, ...(payload ? { payload: payload as object } : {}) });
    refusedAsTrusted(await setup('PATCH', '/sso-connection', { clientID: chosenId, deactivated: true }));
    refusedAsTrusted(await setup('PATCH', '/sso-connection', { clientID: chosenId, rawMetadata: evil.metadataXml({ ssoUrl: IDP_SSO_URL }) }));
    refusedAsTrusted(await setup('POST', '/sso-connection', { rawMetadata: evil.metadataXml({ ssoUrl: IDP_SSO_URL }) }));
    refusedAsTrusted(await setup('DELETE', `/sso-connection?clientID=${chosenId}`));
  });

  test('SSO reaches an account with a password only once an owner linked it, and then asks for TOTP', async () => {
    noSession(await ssoRound(corp, 'owner@example.com', []), 'ADMIN_SSO_NOT_LINKED');
    // The owner turns TOTP on (password in the same request), then links the account to SSO.
    const setup = await owner.req('POST', '/api/admin/me/totp/setup', { password: PASSWORD });
    assert.equal(setup.statusCode, 200, setup.body);
    const secret = setup.json().secret as string;
    assert.equal((await owner.req('POST', '/api/admin/me/totp/enable', { code: totpCode(secret, clock.now()) })).statusCode, 204);
    assert.equal((await admin.req('PATCH', `/api/admin/admins/${ownerId}`, { ssoLinked: true })).statusCode, 403, 'only owners link accounts');
    const linked = await owner.req('PATCH', `/api/admin/admins/${ownerId}`, { ssoLinked: true });
    assert.equal(linked.statusCode, 200, linked.body);
    assert.equal(linked.json().data.ssoLinked, true);
    const audit = (await owner.req('GET', '/api/admin/audit?action=admin.account.sso_linked')).json();
    assert.equal(audit.data[0].targetId ?? audit.data[0].target?.id, ownerId);

    // Someone guessing the owner's password makes the password form wait, not the owner's SSO.
    for (let i = 0; i < 6; i++) await gh.app.inject({ method: 'POST', url: '/api/admin/login', payload: { email: 'owner@example.com', password: `guess ${i}` } });
    assert.equal((await gh.app.inject({ method: 'POST', url: '/api/admin/login', payload: { email: 'owner@example.com', password: PASSWORD } })).statusCode, 429);

    const callback = await ssoRound(corp, 'owner@example.com', []);
    assert.equal(callback.headers.location, '/admin/login?step=sso-totp');
    assert.ok(!callback.cookies.some((c) => c.name === 'gh_admin'), 'the IdP alone does not sign in an account with TOTP');
    const pending = callback.cookies.find((c) => c.name === 'gh_admin_sso_2fa')!;
    assert.equal(pending.httpOnly, true);
    const second = (totp: string, cookie = `gh_admin_sso_2fa=${pending.value}`) => gh.app.inject({ method: 'POST', url: '/api/admin/sso/totp', payload: { totp }, headers: { cookie } });
    assert.equal((await second(totpCode(secret, clock.now() + 30_000), '')).statusCode, 401, 'no pending step without the cookie');
    clock.advance(30_000);
    const bad = await second(totpCode(secret, clock.now()) === '000000' ? '111111' : '000000');
    assert.equal(bad.json().code, 'ADMIN_TOTP_INVALID');
    const ok = await second(totpCode(secret, clock.now()));
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().user.email, 'owner@example.com');
    assert.equal(ok.json().user.sessionMethod, 'sso');
    assert.ok(ok.cookies.some((c) => c.name === 'gh_admin'));
  });

  test('an account without a password re-authenticates through SSO: TOTP changes need an SSO sign-in of the last 10 minutes', async () => {
    assert.equal((await owner.req('POST', '/api/admin/admins', { email: 'sso-only@example.com', role: 'viewer' })).statusCode, 201);
    const callback = await ssoRound(corp, 'sso-only@example.com', []);
    assert.equal(callback.headers.location, '/admin/');
    const cookie = callback.cookies.find((c) => c.name === 'gh_admin')!.value;
    const csrf = (await gh.app.inject({ method: 'GET', url: '/api/admin/session', headers: { cookie: `gh_admin=${cookie}` } })).json().csrfToken as string;
    const req = (url: string) => gh.app.inject({ method: 'POST', url, payload: {}, headers: { cookie: `gh_admin=${cookie}`, 'x-csrf-token': csrf } });
    assert.equal((await req('/api/admin/me/totp/setup')).statusCode, 200, 'a fresh SSO sign-in stands in for the password');
    clock.advance(11 * 60_000);
    const stale = await req('/api/admin/me/totp/setup');
    assert.equal(stale.statusCode, 403);
    assert.equal(stale.json().code, 'ADMIN_REAUTH_REQUIRED');
  });

  test('the owner still changes the chosen connection; deleted and re-created by an API key, it is trusted no more', async () => {
    const second = await owner.req('POST', '/api/admin/connections', { tenant: T, product: P, name: 'Corp IdP 2', defaultRedirectUrl: callbackUrl, redirectUrl: [callbackUrl], rawMetadata: (await createTestIdp()).metadataXml({ ssoUrl: IDP_SSO_URL }) });
    const secondId = second.json().data.clientID as string;
    assert.equal((await owner.req('PUT', '/api/admin/settings/portal-sso', { connectionIds: [chosenId, secondId] })).statusCode, 200);
    const renamed = await owner.req('PATCH', `/api/admin/connections/${chosenId}`, { name: 'Corp IdP (renamed)' });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal((await owner.req('DELETE', `/api/admin/connections/${chosenId}`)).statusCode, 204);
    const again = await api('POST', '/api/v1/sso', { tenant: T, product: P, defaultRedirectUrl: callbackUrl, redirectUrl: [callbackUrl], rawMetadata: evil.metadataXml({ ssoUrl: IDP_SSO_URL }) });
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().clientID, chosenId, 'the same id (tenant, product and entity ID)');
    assert.deepEqual((await owner.req('GET', '/api/admin/settings/portal-sso')).json().connectionIds, [secondId]);
    noSession(await ssoRound(evil, 'owner@example.com', [], chosenId), 'ADMIN_SSO_FAILED');
  });
});
