/**
 * Dogfooding end to end: the first owner signs in locally, configures SSO for the portal's own tenant+product,
 * maps IdP groups to roles, and admins then sign in through Gatehouse's own authorize → test SAML IdP → ACS →
 * callback, with accounts created just in time and roles refreshed from groups at every sign-in. Failed
 * sign-ins leave SSO traces, pruned after 7 days.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAdminGatehouse, login, testClock, clientFrom, type AdminClient } from './support.ts';
import { createTestIdp, buildSamlResponseBase64, type TestIdp } from '../support/saml-idp.ts';
import { IDP_SSO_URL, postToAcs } from '../support/saml-flow.ts';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';
import { sweepExpired } from '../../src/maintenance.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';

describe('portal SSO (dogfooding)', () => {
  const clock = testClock();
  let gh: RunningGatehouse;
  let idp: TestIdp;
  let owner: AdminClient;
  before(async () => {
    const s = await startAdminGatehouse({ now: clock.now, env: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } });
    gh = s.gh;
    await s.account('first@example.com', 'owner');
    idp = await createTestIdp();
    owner = await login(gh, 'first@example.com');
  });
  after(() => gh.close());

  const path = (url: string) => { const u = new URL(url, gh.baseUrl); return `${u.pathname}${u.search}`; };

  /** Browser round: start → authorize → IdP → ACS → callback. Returns the callback answer. */
  async function ssoRound(email: string, groups: string[], response: Record<string, unknown> = {}) {
    const start = await gh.app.inject({ method: 'GET', url: '/api/admin/sso/start' });
    assert.equal(start.statusCode, 302, start.body);
    const startCookie = start.cookies.find((c) => c.name === 'gh_admin_sso')!;
    assert.equal(startCookie.httpOnly, true);
    const authorize = await gh.app.inject({ method: 'GET', url: path(start.headers.location as string) });
    assert.equal(authorize.statusCode, 302, authorize.body);
    const authn = parseRedirectBindingRequest(authorize.headers.location as string);
    const requestId = /\bID="([^"]+)"/.exec(authn.xml)![1]!;
    const b64 = buildSamlResponseBase64({ idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: requestId, nameId: email, attributes: { email, firstName: 'Jo', lastName: 'Doe', groups }, now: clock.now(), ...response });
    const acs = await postToAcs(gh.app, b64, authn.relayState);
    if (acs.statusCode !== 302) return { acs, callback: undefined };
    const callback = await gh.app.inject({ method: 'GET', url: path(acs.headers.location as string), headers: { cookie: `gh_admin_sso=${startCookie.value}` } });
    return { acs, callback };
  }
  const sessionOf = async (callback: { cookies: { name: string; value: string }[] }) => {
    const cookie = callback.cookies.find((c) => c.name === 'gh_admin')!.value;
    const s = await gh.app.inject({ method: 'GET', url: '/api/admin/session', headers: { cookie: `gh_admin=${cookie}` } });
    return { session: s.json(), client: clientFrom(gh, cookie, s.json().csrfToken) };
  };

  test('before set-up, SSO is off on the sign-in page', async () => {
    assert.deepEqual((await gh.app.inject({ method: 'GET', url: '/api/admin/sso/status' })).json(), { enabled: false, required: false });
  });

  test('the owner creates the portal\'s connection and maps groups to roles', async () => {
    const settings = (await owner.req('GET', '/api/admin/settings/portal-sso')).json();
    assert.equal(settings.tenant, '_gatehouse');
    assert.equal(settings.product, 'admin-portal');
    assert.equal(settings.callbackUrl, `${gh.baseUrl}/api/admin/sso/callback`);
    const created = await owner.req('POST', '/api/admin/connections', {
      tenant: settings.tenant, product: settings.product, name: 'Corp IdP', defaultRedirectUrl: settings.callbackUrl, redirectUrl: [settings.callbackUrl], rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }),
    });
    assert.equal(created.statusCode, 201, created.body);
    // Issue 11: only connections an owner chose sign admins in.
    const put = await owner.req('PUT', '/api/admin/settings/portal-sso', { connectionIds: [created.json().data.clientID], groupRoles: { 'Portal-Admins': 'admin', 'Portal-Owners': 'owner', 'Portal-Viewers': 'viewer' } });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().connectionCount, 1);
    assert.equal((await owner.req('PUT', '/api/admin/settings/portal-sso', { groupRoles: { x: 'emperor' } })).json().field, 'groupRoles.x');
    assert.deepEqual((await gh.app.inject({ method: 'GET', url: '/api/admin/sso/status' })).json(), { enabled: true, required: false });
  });

  test('a new IdP user in a mapped group gets an account just in time and a session', async () => {
    const { callback } = await ssoRound('jit@corp.example', ['staff', 'Portal-Admins']);
    assert.equal(callback!.statusCode, 302, callback!.body);
    assert.equal(callback!.headers.location, '/admin/');
    const { session } = await sessionOf(callback!);
    assert.equal(session.user.email, 'jit@corp.example');
    assert.equal(session.user.role, 'admin');
    assert.equal(session.user.sso, true);
    assert.equal(session.user.sessionMethod, 'sso');
    assert.equal(session.user.name, 'Jo Doe');
  });

  test('roles are refreshed from groups at every sign-in; group names are exact and case-sensitive', async () => {
    const up = await ssoRound('jit@corp.example', ['Portal-Owners', 'Portal-Admins']);
    assert.equal((await sessionOf(up.callback!)).session.user.role, 'owner', 'the highest mapped role wins');
    const down = await ssoRound('jit@corp.example', ['Portal-Viewers']);
    assert.equal((await sessionOf(down.callback!)).session.user.role, 'viewer');
    const none = await ssoRound('jit@corp.example', ['portal-admins']);
    assert.equal(none.callback!.statusCode, 302);
    assert.match(none.callback!.headers.location as string, /^\/admin\/login\?error=ADMIN_SSO_NO_ACCOUNT/);
    const audit = (await owner.req('GET', '/api/admin/audit?action=admin.account.')).json();
    assert.ok(audit.data.some((e: { action: string }) => e.action === 'admin.account.created'));
    assert.ok(audit.data.some((e: { action: string }) => e.action === 'admin.account.role_refreshed'));
  });

  test('an unknown user with no mapped group gets no account', async () => {
    const { callback } = await ssoRound('stranger@corp.example', ['staff']);
    assert.match(callback!.headers.location as string, /error=ADMIN_SSO_NO_ACCOUNT/);
    assert.equal(await gh.ctx.db.selectFrom('admin_users').select('id').where('email', '=', 'stranger@corp.example').executeTakeFirst(), undefined);
  });

  test('hand-over: the owner grants an SSO-only account the owner role; it keeps it without a mapped group', async () => {
    const made = await owner.req('POST', '/api/admin/admins', { email: 'cto@corp.example', role: 'owner' });
    assert.equal(made.statusCode, 201);
    const { callback } = await ssoRound('cto@corp.example', []);
    const { session, client } = await sessionOf(callback!);
    assert.equal(session.user.role, 'owner');
    // …and, signed in through SSO, creates a personal API key that works on the management API.
    const key = await client.req('POST', '/api/admin/api-keys', { name: 'cto laptop', kind: 'personal' });
    assert.equal(key.statusCode, 201, key.body);
    const list = await gh.app.inject({ method: 'GET', url: '/api/v1/sso?tenant=_gatehouse&product=admin-portal', headers: { authorization: `Api-Key ${key.json().data.key}` } });
    assert.equal(list.statusCode, 200, list.body);
    assert.equal(list.json().length, 1);
  });

  test('a callback without the start cookie, or with another state, is refused', async () => {
    const noCookie = await gh.app.inject({ method: 'GET', url: '/api/admin/sso/callback?code=x&state=y' });
    assert.match(noCookie.headers.location as string, /^\/admin\/login\?error=ADMIN_SSO_FAILED/);
    const start = await gh.app.inject({ method: 'GET', url: '/api/admin/sso/start' });
    const cookie = start.cookies.find((c) => c.name === 'gh_admin_sso')!.value;
    const wrong = await gh.app.inject({ method: 'GET', url: '/api/admin/sso/callback?code=x&state=forged', headers: { cookie: `gh_admin_sso=${cookie}` } });
    assert.match(wrong.headers.location as string, /error=ADMIN_SSO_FAILED/);
  });

  test('a failed SAML sign-in leaves a trace with the decoded response and a plain reason; traces go after 7 days', async () => {
    const { acs } = await ssoRound('jit@corp.example', ['Portal-Admins'], { audience: 'https://someone-else.example' });
    assert.equal(acs.statusCode, 302);
    assert.match(acs.headers.location as string, /error=access_denied/);
    const traces = (await owner.req('GET', '/api/admin/traces?tenant=_gatehouse')).json();
    assert.equal(traces.data.length, 1);
    const t = traces.data[0];
    assert.equal(t.code, 'SAML_AUDIENCE_MISMATCH');
    assert.equal(t.product, 'admin-portal');
    assert.match(t.message, /different service provider/);
    assert.match(t.samlResponse, /<saml:Audience>https:\/\/someone-else\.example<\/saml:Audience>|someone-else\.example/);
    assert.equal((await owner.req('GET', `/api/admin/traces/${t.id}`)).json().data.id, t.id);

    // A response nobody asked for (unknown InResponseTo) is traced too, attributed through its issuer.
    clock.advance(1000);
    const stray = buildSamlResponseBase64({ idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: '_nope', nameId: 'a@corp.example', now: clock.now() });
    assert.ok((await postToAcs(gh.app, stray, null)).statusCode < 500);
    const after2 = (await owner.req('GET', '/api/admin/traces')).json();
    assert.equal(after2.data[0].code, 'SAML_IN_RESPONSE_TO_MISMATCH');
    assert.equal(after2.data[0].tenant, '_gatehouse');

    clock.advance(7 * 24 * 3600_000 + 1000);
    assert.equal((await owner.req('GET', '/api/admin/traces')).statusCode, 401, 'the session is long gone too');
    const swept = await sweepExpired(gh.ctx);
    assert.equal(swept.ssoTraces, 2);
    assert.equal(await gh.ctx.db.selectFrom('sso_traces').select('id').executeTakeFirst(), undefined);
  });
});
