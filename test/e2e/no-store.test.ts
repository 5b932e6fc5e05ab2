/**
 * Answers that carry a secret, a setup-link URL or a CSRF token say `Cache-Control: no-store` (issue 11,
 * finding 12): management-API connections and directories, setup links (management and admin API),
 * API keys, the admin session, the setup-link page's SCIM secret, the token endpoint. Through app.inject.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { API_KEY } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, samlRound } from '../support/saml-flow.ts';
import { login, startAdminGatehouse, type AdminClient } from '../admin-api/support.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';

const OWNER = 'owner@vendor.test';

describe('Cache-Control: no-store on answers that carry secrets', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient;
  let idp: TestIdp;
  before(async () => {
    const started = await startAdminGatehouse();
    gh = started.gh;
    await started.account(OWNER, 'owner');
    owner = await login(gh, OWNER);
    idp = await createTestIdp();
  });
  after(async () => gh.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
  const noStore = (what: string, res: LightMyRequestResponse, status: number) => {
    assert.equal(res.statusCode, status, `${what}: ${res.body}`);
    assert.equal(res.headers['cache-control'], 'no-store', `${what} is not stored by browsers or proxies`);
  };

  test('management API: connections, directories and setup links', async () => {
    const conn = await createSamlConnection(gh.app, idp);
    noStore('GET /api/v1/sso (clientSecret)', await api('GET', '/api/v1/sso?tenant=acme.com&product=crm'), 200);
    noStore('POST /api/v1/sso (clientSecret)', await api('POST', '/api/v1/sso', { tenant: 'acme.com', product: 'crm', name: 'Again', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: (await createTestIdp({ entityId: 'https://idp2.test' })).metadataXml({ ssoUrl: 'https://idp2.test/sso' }) }), 200);
    noStore('PATCH /api/v1/sso', await api('PATCH', '/api/v1/sso', { clientID: conn.clientID, clientSecret: conn.clientSecret, name: 'Renamed' }), 204); // Jackson's 204 (was 200 before issue 13)

    const dir = await api('POST', '/api/v1/dsync', { tenant: 'acme.com', product: 'crm', name: 'Acme', type: 'generic-scim-v2' });
    noStore('POST /api/v1/dsync (SCIM secret)', dir, 201);
    const id = dir.json().data.id;
    noStore('GET /api/v1/dsync', await api('GET', '/api/v1/dsync?tenant=acme.com&product=crm'), 200);
    noStore('GET /api/v1/dsync/:id', await api('GET', `/api/v1/dsync/${id}`), 200);
    noStore('POST /api/v1/dsync/:id/scim-secret', await api('POST', `/api/v1/dsync/${id}/scim-secret`), 200);

    for (const service of ['sso', 'dsync']) {
      const created = await api('POST', `/api/v1/${service}/setuplinks`, { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] });
      noStore(`POST /api/v1/${service}/setuplinks (url)`, created, 201);
      const setupID = created.json().data.setupID;
      noStore(`GET /api/v1/${service}/setuplinks`, await api('GET', `/api/v1/${service}/setuplinks?id=${setupID}`), 200);
      noStore(`GET /api/v1/${service}/setuplinks/product`, await api('GET', `/api/v1/${service}/setuplinks/product?product=crm`), 200);
      noStore(`POST /api/v1/${service}/setuplinks/regenerate`, await api('POST', `/api/v1/${service}/setuplinks/regenerate`, { id: setupID }), 200);
    }
  });

  test('admin API: session (CSRF token), API keys, setup links', async () => {
    noStore('GET /api/admin/session', await owner.req('GET', '/api/admin/session'), 200);
    noStore('POST /api/admin/login (CSRF token)', await gh.app.inject({ method: 'POST', url: '/api/admin/login', payload: { email: OWNER, password: 'correct horse battery staple' } }), 200);
    noStore('POST /api/admin/api-keys (the key)', await owner.req('POST', '/api/admin/api-keys', { name: 'ci', kind: 'personal' }), 201);
    noStore('GET /api/admin/api-keys', await owner.req('GET', '/api/admin/api-keys'), 200);
    const link = await owner.req('POST', '/api/admin/setup-links', { service: 'dsync', tenant: 'globex.com', product: 'crm' });
    noStore('POST /api/admin/setup-links (url)', link, 201);
    noStore('GET /api/admin/setup-links', await owner.req('GET', '/api/admin/setup-links?service=dsync'), 200);
    noStore('GET /api/admin/setup-links/:id', await owner.req('GET', `/api/admin/setup-links/${link.json().data.setupID}`), 200);
  });

  test('setup-link page: the SCIM secret shown at creation and rotation', async () => {
    const url = (await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'initech.com', product: 'crm' })).json().data.url as string;
    const token = new URL(url).pathname.split('/').pop()!;
    const created = await gh.app.inject({ method: 'POST', url: `/api/setup/${token}/directory-sync`, payload: { name: 'Okta', type: 'okta-scim-v2' } });
    noStore('POST /api/setup/:token/directory-sync (SCIM secret)', created, 201);
    assert.ok(created.json().data.scim.secret, 'the answer does carry the secret');
    noStore('POST …/rotate-secret', await gh.app.inject({ method: 'POST', url: `/api/setup/${token}/directory-sync/${created.json().data.id}/rotate-secret` }), 200);
    noStore('GET /api/setup/:token', await gh.app.inject({ method: 'GET', url: `/api/setup/${token}` }), 200);
  });

  test('token endpoint and userinfo (already no-store), errors too; branding stays cacheable', async () => {
    const conn = await createSamlConnection(gh.app, idp, { tenant: 'umbrella.com' });
    const verifier = randomBytes(32).toString('base64url');
    const { acs } = await samlRound(gh, idp, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' });
    assert.equal(acs.headers['cache-control'], 'no-store', 'the ACS redirect carries the code');
    const token = await gh.app.inject({ method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ grant_type: 'authorization_code', code: locationParams(acs).get('code')!, code_verifier: verifier, client_id: conn.clientID, redirect_uri: APP_CALLBACK }).toString() });
    noStore('POST /api/oauth/token', token, 200);
    noStore('GET /api/oauth/userinfo', await gh.app.inject({ method: 'GET', url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${token.json().access_token}` } }), 200);
    noStore('a problem answer', await api('GET', '/api/v1/dsync/nope'), 404);
    const branding = await gh.app.inject({ method: 'GET', url: '/api/branding' });
    assert.equal(branding.headers['cache-control'], 'public, max-age=60', 'a route that chose its own caching keeps it');
  });
});
