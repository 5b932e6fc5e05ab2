/**
 * A draft of another kind: a SAML connection drafts an upstream OIDC provider (a real oidc-provider), tests it
 * (no code), promotes it, and rolls back, with sign-ins of both kinds held open across each switch.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { APP_CALLBACK, createSamlConnection } from '../support/saml-flow.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startOidcIdp, signInAtOidcIdp, type TestOidcIdp } from '../support/oidc-idp.ts';
import { api, assertCode, begin, finish, SSO_A } from './support.ts';

describe('a SAML connection drafts an OIDC provider', () => {
  let gh: RunningGatehouse;
  let idpA: TestIdp;
  let op: TestOidcIdp;
  let clientID: string;

  before(async () => {
    gh = (await startGatehouse())!;
    op = await startOidcIdp({ redirectUris: [gh.ctx.config.oidcCallbackUrl], accounts: { alice: { email: 'alice@acme.com', email_verified: true, given_name: 'Alice' } } });
    idpA = await createTestIdp({ entityId: 'https://idp-a.example.test' });
    clientID = (await createSamlConnection(gh.app, idpA, {}, { ssoUrl: SSO_A })).clientID;
  });
  after(async () => {
    await op?.close();
    await gh?.close();
  });

  /** Authorize for the app, up to the OIDC provider's authorization URL. */
  const beginOidc = async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: clientID, redirect_uri: APP_CALLBACK, state: 'st', scope: 'openid' });
    const start = await gh.app.inject({ url: `/api/oauth/authorize?${q}` });
    assert.equal(start.statusCode, 302, start.body);
    return start.headers.location as string;
  };
  const finishOidc = async (authorizationUrl: string) => {
    const cb = new URL(await signInAtOidcIdp(authorizationUrl, 'alice', gh.ctx.config.oidcCallbackUrl));
    return gh.app.inject({ url: cb.pathname + cb.search });
  };

  test('draft, test, promote, roll back across kinds with no failed sign-in', async () => {
    const d = await api(gh, 'POST', '/api/v1/sso/drafts', { clientID, oidcDiscoveryUrl: op.issuer, oidcClientId: op.clientId, oidcClientSecret: op.clientSecret });
    assert.equal(d.statusCode, 201, d.body);
    assert.deepEqual([d.json().data.connection.type, d.json().data.connection.oidcProvider.clientSecretSet], ['oidc', true]);
    assert.ok(!d.body.includes(op.clientSecret), 'the OIDC client secret is never shown');

    const t = (await api(gh, 'POST', '/api/v1/sso/drafts/test', { clientID })).json().data;
    const open = await gh.app.inject({ url: new URL(t.url).pathname });
    assert.ok((open.headers.location as string).startsWith(op.issuer), open.body);
    const landed = await finishOidc(open.headers.location as string);
    assert.equal(new URL(landed.headers.location as string).pathname, `/setup/test-result/${t.testId}`);
    const result = (await api(gh, 'GET', `/api/v1/sso/tests/${t.testId}`)).json().data;
    assert.deepEqual([result.status, result.profile.email], ['succeeded', 'alice@acme.com']);

    const samlBefore = await begin(gh, clientID);
    assert.equal((await api(gh, 'POST', '/api/v1/sso/drafts/promote', { clientID })).statusCode, 200);
    assertCode(await finish(gh, idpA, samlBefore), 'a SAML sign-in started before the promote to OIDC');
    const oidcAfter = await beginOidc();
    assert.ok(oidcAfter.startsWith(op.issuer), 'new sign-ins go to the OIDC provider');
    const oidcHeld = await beginOidc();
    assertCode(await finishOidc(oidcAfter), 'an OIDC sign-in after the promote');

    assert.equal((await api(gh, 'POST', '/api/v1/sso/rollback', { clientID })).statusCode, 200);
    assertCode(await finishOidc(oidcHeld), 'an OIDC sign-in started before the roll back');
    const samlAgain = await begin(gh, clientID);
    assert.equal(samlAgain.idpUrl, SSO_A);
    assertCode(await finish(gh, idpA, samlAgain), 'SAML again after the roll back');
  });
});
