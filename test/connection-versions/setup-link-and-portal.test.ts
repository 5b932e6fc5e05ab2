/**
 * Drafts through the setup link (the IT admin) and the portal's admin API: the same steps as the management API,
 * scoped to the link's tenant+product, with the link's vendor-only fields refused; the portal's viewers read
 * drafts and change nothing; the portal owner may promote a connection portal SSO trusts, an API key may not.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningGatehouse } from '../support/gatehouse.ts';
import { APP_CALLBACK, createSamlConnection } from '../support/saml-flow.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';
import { portalTrustRepo } from '../../src/storage/repositories/admin-trust.ts';
import { startWithOwnerAndViewer, type AdminClient } from '../admin-api/support.ts';
import { api, assertCode, auditActions, begin, finish, SSO_A, SSO_B } from './support.ts';

describe('drafts through a setup link and the portal', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient;
  let viewer: AdminClient;
  let idpA: TestIdp;
  let idpB: TestIdp;
  let clientID: string;
  let otherTenant: string;
  let token: string;
  const link = (method: 'GET' | 'POST' | 'DELETE', path: string, payload?: object) => gh.app.inject({ method, url: `/api/setup/${token}${path}`, ...(payload ? { payload } : {}) });
  const requestOf = (location: string) => {
    const req = parseRedirectBindingRequest(location);
    return { requestId: /\bID="([^"]+)"/.exec(req.xml)![1]!, relayState: req.relayState };
  };

  before(async () => {
    ({ gh, owner, viewer } = await startWithOwnerAndViewer());
    [idpA, idpB] = await Promise.all([createTestIdp({ entityId: 'https://idp-a.example.test' }), createTestIdp({ entityId: 'https://idp-b.example.test' })]);
    clientID = (await createSamlConnection(gh.app, idpA, {}, { ssoUrl: SSO_A })).clientID;
    otherTenant = (await createSamlConnection(gh.app, await createTestIdp(), { tenant: 'globex.com' })).clientID;
    const r = await api(gh, 'POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] });
    token = (r.json().data.url as string).split('/setup/')[1]!;
  });
  after(async () => gh?.close());

  test('setup link: only its own tenant+product; vendor-only fields refused; a draft made with tenant fields ignored', async () => {
    assert.equal((await link('POST', `/sso-connection/${otherTenant}/draft`, { attributeMapping: { email: 'mail' } })).statusCode, 404);
    assert.equal((await link('GET', `/sso-connection/${otherTenant}/versions`)).statusCode, 404);
    const sha1 = await link('POST', `/sso-connection/${clientID}/draft`, { allowSha1: true });
    assert.equal(sha1.statusCode, 403, sha1.body);
    const r = await link('POST', `/sso-connection/${clientID}/draft`, { rawMetadata: idpB.metadataXml({ ssoUrl: SSO_B }), tenant: 'globex.com', product: 'other' });
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual([r.json().data.version, r.json().data.connection.tenant, r.json().data.connection.idpMetadata.entityID], [2, 'acme.com', idpB.entityId]);
    assert.equal((await link('GET', `/sso-connection/${clientID}/draft`)).json().data.version, 2);
  });

  test('setup link: the draft test signs in at the draft IdP, issues no code, and the link shows the result', async () => {
    const t = await link('POST', `/sso-connection/${clientID}/draft/test`);
    assert.equal(t.statusCode, 201, t.body);
    const { testId, url } = t.json().data;
    const open = await gh.app.inject({ method: 'GET', url: new URL(url).pathname });
    assert.ok((open.headers.location as string).startsWith(SSO_B), open.body);
    const acs = await finish(gh, idpB, requestOf(open.headers.location as string));
    assert.equal(new URL(acs.headers.location as string).pathname, `/setup/test-result/${testId}`);
    const result = (await link('GET', `/tests/${testId}`)).json().data;
    assert.deepEqual([result.status, result.version, result.profile.email], ['succeeded', 2, 'alice@acme.com']);
    assert.equal(Number((await gh.ctx.db.selectFrom('oauth_codes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())!.n), 0);
  });

  test('setup link: promote, then roll back, each switching the IdP new sign-ins go to; audited as the link', async () => {
    const p = await link('POST', `/sso-connection/${clientID}/draft/promote`, { version: 2 });
    assert.equal(p.statusCode, 200, p.body);
    const onB = await begin(gh, clientID);
    assert.equal(onB.idpUrl, SSO_B);
    assertCode(await finish(gh, idpB, onB), 'after the link promoted');
    assert.equal((await link('POST', `/sso-connection/${clientID}/rollback`)).statusCode, 200);
    assert.equal((await begin(gh, clientID)).idpUrl, SSO_A);
    const v = (await link('GET', `/sso-connection/${clientID}/versions`)).json().data;
    assert.deepEqual(v.map((x: { version: number; status: string }) => [x.version, x.status]), [[2, 'retired'], [1, 'live']]);
    const audited = await auditActions(gh, clientID);
    for (const a of ['sso.connection.draft_created', 'sso.connection.draft_promoted', 'sso.connection.rolled_back']) {
      assert.ok(audited.some((e) => e.action === a && e.actor === 'setup_link'), `${a} by the link`);
    }
  });

  test('setup link: discard', async () => {
    await link('POST', `/sso-connection/${clientID}/draft`, { attributeMapping: { email: 'mail' } });
    assert.equal((await link('DELETE', `/sso-connection/${clientID}/draft`)).statusCode, 204);
    assert.equal((await link('GET', `/sso-connection/${clientID}/draft`)).statusCode, 404);
  });

  test('portal: viewers read the draft and versions but change nothing; admins draft, test, promote and roll back', async () => {
    const made = await owner.req('POST', `/api/admin/connections/${clientID}/draft`, { rawMetadata: idpB.metadataXml({ ssoUrl: SSO_B }) });
    assert.equal(made.statusCode, 201, made.body);
    const version = made.json().data.version;
    assert.equal((await viewer.req('GET', `/api/admin/connections/${clientID}/draft`)).json().data.version, version);
    assert.equal((await viewer.req('GET', `/api/admin/connections/${clientID}/versions`)).statusCode, 200);
    for (const [m, path] of [['POST', '/draft'], ['DELETE', '/draft'], ['POST', '/draft/test'], ['POST', '/draft/promote'], ['POST', '/rollback']] as const) {
      assert.equal((await viewer.req(m, `/api/admin/connections/${clientID}${path}`, m === 'POST' ? {} : undefined)).statusCode, 403, `viewer ${m} ${path}`);
    }
    const t = (await owner.req('POST', `/api/admin/connections/${clientID}/draft/test`, {})).json().data;
    const open = await gh.app.inject({ method: 'GET', url: new URL(t.url).pathname });
    await finish(gh, idpB, requestOf(open.headers.location as string));
    assert.equal((await viewer.req('GET', `/api/admin/connection-tests/${t.testId}`)).json().data.status, 'succeeded');
    const p = await owner.req('POST', `/api/admin/connections/${clientID}/draft/promote`, { version });
    assert.equal(p.statusCode, 200, p.body);
    assert.equal((await begin(gh, clientID)).idpUrl, SSO_B);
    assert.equal((await owner.req('POST', `/api/admin/connections/${clientID}/rollback`, {})).statusCode, 200);
    assert.equal((await begin(gh, clientID)).idpUrl, SSO_A);
  });

  test('a key limited to another tenant or lacking sso:write: 403 on every step, before anything is revealed', async () => {
    const mint = async (scopes: object) => {
      const r = await owner.req('POST', '/api/admin/api-keys', { name: 'scoped', kind: 'scoped', scopes });
      assert.equal(r.statusCode, 201, r.body);
      return r.json().data.key as string;
    };
    const globexKey = await mint({ tenants: ['globex.com'], permissions: ['sso:read', 'sso:write'] });
    const readOnly = await mint({ tenants: ['acme.com'], permissions: ['sso:read'] });
    const as = (key: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      gh.app.inject({ method, url, headers: { authorization: `Api-Key ${key}` }, ...(payload ? { payload } : {}) });
    for (const key of [globexKey, readOnly]) {
      for (const r of [
        await as(key, 'POST', '/api/v1/sso/drafts', { clientID, attributeMapping: { email: 'mail' } }),
        await as(key, 'DELETE', `/api/v1/sso/drafts?clientID=${clientID}`),
        await as(key, 'POST', '/api/v1/sso/drafts/test', { clientID }),
        await as(key, 'POST', '/api/v1/sso/drafts/promote', { clientID }),
        await as(key, 'POST', '/api/v1/sso/rollback', { clientID }),
      ]) assert.equal(r.statusCode, 403, r.body);
    }
    assert.equal((await as(globexKey, 'GET', `/api/v1/sso/versions?clientID=${clientID}`)).statusCode, 403);
    assert.equal((await as(globexKey, 'POST', '/api/v1/sso/drafts', { clientID: 'no-such-connection' })).statusCode, 403, 'an unknown clientID reveals nothing');
    assert.equal((await as(readOnly, 'GET', `/api/v1/sso/versions?clientID=${clientID}`)).statusCode, 200);
  });

  test('portal SSO trusts the connection: the owner may promote in the portal; the setup link and an API key may not', async () => {
    const row = (await gh.ctx.db.selectFrom('connections').select('created_at').where('id', '=', clientID).executeTakeFirst())!;
    await portalTrustRepo.replace(gh.ctx.db, [{ connection_id: clientID, connection_created_at: row.created_at, chosen_by: 'adm', chosen_at: Date.now() }]);
    await owner.req('POST', `/api/admin/connections/${clientID}/draft`, { attributeMapping: { email: 'mail' } });
    const byLink = await link('POST', `/sso-connection/${clientID}/draft/promote`);
    assert.equal(byLink.json().code, 'CONNECTION_PORTAL_TRUSTED');
    assert.equal((await api(gh, 'POST', '/api/v1/sso/drafts/promote', { clientID })).json().code, 'CONNECTION_PORTAL_TRUSTED');
    assert.equal((await owner.req('POST', `/api/admin/connections/${clientID}/draft/promote`, {})).statusCode, 200);
    await portalTrustRepo.replace(gh.ctx.db, []);
  });
});
