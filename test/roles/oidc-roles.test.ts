/**
 * Issue 16 §4 with an upstream OIDC IdP (node-oidc-provider): the `groups` claim is mapped like SAML's, the groups
 * of the sign-in are offered as known groups, and the dry run for that person equals the id_token's roles.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { startOidcIdp, signInAtOidcIdp, type TestOidcIdp } from '../support/oidc-idp.ts';
import { APP_CALLBACK } from '../support/saml-flow.ts';

describe('group-to-role mapping with an OIDC IdP', () => {
  let gh: RunningGatehouse;
  let idp: TestOidcIdp;
  let conn: { clientID: string; clientSecret: string };
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
  before(async () => {
    gh = (await startGatehouse())!;
    idp = await startOidcIdp({ redirectUris: [gh.ctx.config.oidcCallbackUrl], accounts: { alice: { email: 'alice@acme.com', email_verified: true, groups: ['eng', 'Admins'] } } });
    const res = await api('POST', '/api/v1/sso', { tenant: 'acme.com', product: 'crm', name: 'Acme OIDC', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], oidcDiscoveryUrl: idp.issuer, oidcClientId: idp.clientId, oidcClientSecret: idp.clientSecret });
    assert.equal(res.statusCode, 200, res.body);
    conn = res.json();
    assert.equal((await api('POST', '/api/v1/products', { product: 'crm', roles: [{ key: 'owner' }, { key: 'member' }] })).statusCode, 201);
  });
  after(async () => {
    await idp.close();
    await gh.close();
  });

  async function signIn() {
    const q = new URLSearchParams({ response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's', scope: 'openid', nonce: 'n' });
    const start = await gh.app.inject({ url: `/api/oauth/authorize?${q}` });
    assert.equal(start.statusCode, 302, start.body);
    const cb = new URL(await signInAtOidcIdp(start.headers.location as string, 'alice', gh.ctx.config.oidcCallbackUrl));
    const done = await gh.app.inject({ url: cb.pathname + cb.search });
    assert.equal(done.statusCode, 302, done.body);
    const code = new URL(done.headers.location as string).searchParams.get('code')!;
    const tok = await gh.app.inject({
      method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK }).toString(),
    });
    assert.equal(tok.statusCode, 200, tok.body);
    const jwks = createLocalJWKSet((await gh.app.inject({ url: '/oauth/jwks' })).json());
    return (await jwtVerify(tok.json().id_token, jwks, { issuer: gh.ctx.config.EXTERNAL_URL, audience: conn.clientID })).payload;
  }

  test('the OIDC groups claim maps to roles; the dry run said so first', async () => {
    assert.deepEqual((await signIn()).roles, []);
    const known = (await api('GET', '/api/v1/role-mappings?tenant=acme.com&product=crm')).json().data.groups;
    assert.deepEqual(known, [{ name: 'Admins', sources: ['sso'] }, { name: 'eng', sources: ['sso'] }]);
    const mappings = [{ group: 'admins', role: 'owner' }, { group: 'ENG', role: 'member' }];
    const pre = (await api('POST', '/api/v1/role-mappings/preview', { tenant: 'acme.com', product: 'crm', mappings })).json().data;
    const alice = pre.users.find((u: any) => u.email === 'alice@acme.com');
    assert.deepEqual(alice.roles, ['owner', 'member']);
    assert.equal((await api('PUT', '/api/v1/role-mappings', { tenant: 'acme.com', product: 'crm', mappings })).statusCode, 200);
    assert.deepEqual((await signIn()).roles, alice.roles);
  });
});
