/**
 * Fuzz slice for SAML Single Logout (decision 0030): mutations of a genuinely signed LogoutRequest (the mutations of
 * the response suite: bit flips, truncation, moved, duplicated or removed elements, swapped attributes, changed text,
 * namespaces, comments) through the pure validator and through the HTTP endpoint on a real Gatehouse.
 * Pure: never a throw, and a mutation is accepted only when what it says is what was signed.
 * HTTP: never a 5xx, and no session of anyone else ends.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { APP_CALLBACK, IDP_SSO_URL, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { assertTarget, type FuzzTarget, type Outcome } from './harness.ts';
import { applyMutation, samlMutation, type SamlMutation } from './saml-mutations.ts';
import { buildLogoutRequestXml, signEnveloped } from '../../src/sso/saml/logout-messages.ts';
import { parseLogoutMessage, validateLogoutRequest } from '../../src/sso/saml/validate-logout.ts';
import { publicKeyFromCertificate } from '../../src/sso/saml/validate-response.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

describe('fuzz: SAML LogoutRequests', () => {
  let idp: TestIdp;
  let gh: RunningGatehouse;
  let signedFor: (destination: string, nameId: string) => { xml: string; id: string };
  before(async () => {
    idp = await createTestIdp();
    const key = createPrivateKey(idp.privateKeyPem);
    let n = 0;
    signedFor = (destination, nameId) => {
      const id = `_fuzz${++n}`;
      const xml = buildLogoutRequestXml({ id, now: Date.now(), issuer: idp.entityId, destination, nameId, nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', sessionIndex: '_s1' });
      return { xml: signEnveloped(xml, id, key, idp.certPem), id };
    };
    gh = (await startGatehouse())!;
    await createSamlConnection(gh.app, idp, {}, { ssoUrl: IDP_SSO_URL });
  });
  after(async () => gh?.close());

  test('the pure validator: no throw; accepted only when the mutation left the signed statement intact', async () => {
    const destination = 'https://gatehouse.fuzz.test/api/oauth/saml/slo';
    const opts = () => ({ trustedKeys: [publicKeyFromCertificate(idp.certPem)], allowSha1: false, idpEntityId: idp.entityId, destinations: [destination], now: Date.now(), skewSeconds: 90 });
    const target: FuzzTarget<SamlMutation> = {
      name: 'validateLogoutRequest', method: 'mutations of a signed LogoutRequest (test/fuzz/saml-mutations.ts)', arbitrary: samlMutation,
      run(m): Outcome {
        const { xml, id } = signedFor(destination, 'alice@acme.com');
        const mutated = applyMutation(xml, m);
        try {
          const parsed = parseLogoutMessage(mutated);
          if (!parsed.ok) return { verdict: 'refused' };
          const v = validateLogoutRequest(parsed.parsed, { binding: 'post', querySignature: null }, opts());
          if (!v.ok) return { verdict: 'refused' };
          const same = v.value.id === id && v.value.nameId === 'alice@acme.com' && v.value.issuer === idp.entityId && v.value.sessionIndexes.join() === '_s1';
          return same ? { verdict: 'accepted' } : { verdict: 'violation', detail: `accepted a changed request: ${JSON.stringify(v.value)}` };
        } catch (err) {
          return { verdict: 'thrown', detail: (err as Error).stack };
        }
      },
    };
    await assertTarget(target, RUNS);
  });

  test('the endpoint: no 5xx, and a mutated request ends sessions only when what it says is what the IdP signed', async () => {
    const clientId = (await gh.ctx.db.selectFrom('connections').select('id').executeTakeFirstOrThrow()).id;
    const signInBob = async () => {
      const { acs } = await samlRound(gh, idp, { response_type: 'code', client_id: clientId, redirect_uri: APP_CALLBACK, state: 's' }, { nameId: 'bob@acme.com' });
      assert.equal(acs.statusCode, 302, acs.body);
    };
    const openSessions = async () => (await gh.ctx.db.selectFrom('app_sessions').select('sid').where('ended_at', 'is', null).execute()).length;
    await signInBob();
    const slo = `${gh.ctx.config.EXTERNAL_URL}/api/oauth/saml/slo`;
    const intact = (mutated: string, id: string) => {
      const parsed = parseLogoutMessage(mutated);
      if (!parsed.ok) return false;
      const v = validateLogoutRequest(parsed.parsed, { binding: 'post', querySignature: null }, { trustedKeys: [publicKeyFromCertificate(idp.certPem)], allowSha1: false, idpEntityId: idp.entityId, destinations: [slo], now: Date.now(), skewSeconds: 90 });
      return v.ok && v.value.id === id && v.value.nameId === 'bob@acme.com';
    };
    const target: FuzzTarget<SamlMutation> = {
      name: 'POST /api/oauth/saml/slo', method: 'mutations of a signed LogoutRequest for a signed-in user', arbitrary: samlMutation,
      async run(m): Promise<Outcome> {
        const { xml, id } = signedFor(slo, 'bob@acme.com');
        const mutated = applyMutation(xml, m);
        const before = await openSessions();
        const res = await gh.app.inject({ method: 'POST', url: '/api/oauth/saml/slo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ SAMLRequest: Buffer.from(mutated).toString('base64') }).toString() });
        if (res.statusCode >= 500) return { verdict: 'server-error', detail: res.body.slice(0, 500) };
        if ((await openSessions()) === before) return { verdict: res.statusCode < 400 ? 'accepted' : 'refused' };
        if (!intact(mutated, id)) return { verdict: 'violation', detail: `a changed request ended a session: ${mutated.slice(0, 600)}` };
        await signInBob(); // a harmless mutation logged bob out, rightly; sign him in again for the next input
        return { verdict: 'accepted' };
      },
    };
    await assertTarget(target, Math.min(RUNS, 100));
  });
});

