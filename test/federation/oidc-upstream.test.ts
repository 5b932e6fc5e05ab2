/**
 * Identity Federation through an OIDC connection: the tenant signs in at node-oidc-provider, Gatehouse's
 * OIDC callback answers the SAML app with a signed response that node-saml accepts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { signInAtOidcIdp, startOidcIdp, type TestOidcIdp } from '../support/oidc-idp.ts';
import { APP_CALLBACK } from '../support/saml-flow.ts';

const APP_ACS = 'https://wiki.example.test/saml/acs';
const APP_ENTITY = 'https://wiki.example.test/saml/sp';

describe('Identity Federation through an upstream OIDC connection', () => {
  let gh: RunningGatehouse;
  let idp: TestOidcIdp;
  before(async () => {
    gh = (await startGatehouse())!;
    idp = await startOidcIdp({ redirectUris: [gh.ctx.config.oidcCallbackUrl], accounts: { alice: { email: 'alice@acme.com', email_verified: true, given_name: 'Alice', family_name: 'Liddell' } } });
    const api = (url: string, payload: object) => gh.app.inject({ method: 'POST', url, headers: { authorization: `Api-Key ${API_KEY}` }, payload });
    const conn = await api('/api/v1/sso', { tenant: 'acme.com', product: 'wiki', name: 'Acme OIDC', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], oidcDiscoveryUrl: idp.issuer, oidcClientId: idp.clientId, oidcClientSecret: idp.clientSecret });
    assert.equal(conn.statusCode, 200, conn.body);
    const app = await api('/api/v1/identity-federation', { name: 'Wiki', tenant: 'acme.com', product: 'wiki', acsUrl: APP_ACS, entityId: APP_ENTITY });
    assert.equal(app.statusCode, 201, app.body);
  });
  after(async () => {
    await idp?.close();
    await gh?.close();
  });

  test('AuthnRequest → OIDC provider → callback → a signed SAML response node-saml accepts', async () => {
    const md = (await gh.app.inject({ url: '/.well-known/idp-metadata' })).body;
    const sp = new SAML({
      callbackUrl: APP_ACS, entryPoint: `${gh.ctx.config.EXTERNAL_URL}/api/identity-federation/sso`, issuer: APP_ENTITY, audience: APP_ENTITY,
      idpCert: /<ds:X509Certificate>([^<]+)</.exec(md)![1]!, idpIssuer: /entityID="([^"]+)"/.exec(md)![1]!,
      wantAssertionsSigned: true, wantAuthnResponseSigned: true, validateInResponseTo: ValidateInResponseTo.always,
    });
    const url = new URL(await sp.getAuthorizeUrlAsync('wiki-relay', undefined, {}));
    const start = await gh.app.inject({ url: url.pathname + url.search });
    assert.equal(start.statusCode, 302, start.body);
    assert.equal(new URL(start.headers.location as string).origin, idp.issuer, 'the user signs in at the tenant\'s OIDC provider');
    const callback = new URL(await signInAtOidcIdp(start.headers.location as string, 'alice', gh.ctx.config.oidcCallbackUrl));
    const done = await gh.app.inject({ url: callback.pathname + callback.search });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(/action="([^"]+)"/.exec(done.body)?.[1], APP_ACS);
    assert.equal(/name="RelayState" value="([^"]+)"/.exec(done.body)?.[1], 'wiki-relay');
    const SAMLResponse = /name="SAMLResponse" value="([^"]+)"/.exec(done.body)![1]!;
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse });
    assert.equal(profile?.nameID, 'alice@acme.com');
    assert.equal(profile?.firstName, 'Alice');
    assert.equal(profile?.lastName, 'Liddell');
    const replay = await gh.app.inject({ url: callback.pathname + callback.search });
    assert.equal(replay.statusCode, 400, 'the callback cannot be replayed for a second response');
    assert.doesNotMatch(replay.body, /name="SAMLResponse"/);
  });
});
