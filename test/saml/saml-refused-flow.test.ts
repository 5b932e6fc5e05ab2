/**
 * A SAML sign-in refused after its flow was known (the app got an error) is closed, on every database:
 * a later, valid response to the same AuthnRequest never yields a code.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { createTestIdp, buildSamlResponseBase64, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, postToAcs, samlRound } from '../support/saml-flow.ts';

for (const dialect of testDialects()) {
  describe(`a refused SAML flow stays closed on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    let idp: TestIdp;
    let conn: { clientID: string };
    before(async () => {
      gh = await startGatehouse({ dialect });
      if (!gh) return;
      idp = await createTestIdp();
      conn = await createSamlConnection(gh.app, idp);
    });
    after(async () => gh?.close());

    test('a valid response after a refused one for the same request gets no code', async (t) => {
      if (!gh) return t.skip(`${dialect} unavailable`);
      const { start, acs } = await samlRound(gh, idp, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st' }, { audience: 'https://someone-else.example' });
      assert.equal(acs.statusCode, 302, acs.body);
      assert.equal(locationParams(acs).get('error'), 'access_denied');
      assert.equal(locationParams(acs).get('error_code'), 'SAML_AUDIENCE_MISMATCH');
      const valid = buildSamlResponseBase64({ idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: start.requestId, nameId: 'alice@acme.com', attributes: { email: 'alice@acme.com' } });
      const late = await postToAcs(gh.app, valid, start.relayState);
      assert.equal(late.statusCode, 400, late.body);
      assert.match(late.body, /SAML_FLOW_EXPIRED/);
      assert.equal(late.headers.location, undefined, 'no redirect with a code');
    });
  });
}
