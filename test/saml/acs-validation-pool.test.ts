/**
 * The ACS with the SAML validation pool (decision 0038) and without it (WORKERS=0): the same answers for a good
 * sign-in, a refusal after the flow is known, a body that is not XML, and a replayed assertion; and with the pool
 * on, SP-initiated responses are validated on its worker threads.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { buildSamlResponseBase64, createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, postToAcs, samlRound, startLogin } from '../support/saml-flow.ts';
import type { SamlValidationPool } from '../../src/sso/saml/validation-pool.ts';

for (const workers of ['2', '0']) {
  describe(`the ACS with WORKERS=${workers}`, () => {
    let gh: RunningGatehouse;
    let idp: TestIdp;
    let conn: { clientID: string };
    let tasks = 0;
    const query = () => ({ response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    before(async () => {
      gh = (await startGatehouse({ dialect: 'sqlite', env: { WORKERS: workers } }))!;
      // Counts what reaches the real pool (or the in-thread path); it still does the work.
      const pool: SamlValidationPool = gh.ctx.samlValidation;
      gh.ctx.samlValidation = { threads: pool.threads, run: (t) => (tasks++, pool.run(t)), close: () => pool.close() };
      idp = await createTestIdp();
      conn = await createSamlConnection(gh.app, idp);
    });
    after(async () => gh?.close());

    test('threads as configured', () => assert.equal(gh.ctx.samlValidation.threads, Number(workers)));

    test('a good response gives a code; the same response again is refused', async () => {
      const before = tasks;
      const { acs, samlResponse, start } = await samlRound(gh, idp, query());
      assert.equal(acs.statusCode, 302, acs.body);
      assert.ok(locationParams(acs).get('code'));
      assert.equal(tasks, before + 1, 'validated through the pool path');
      const again = await postToAcs(gh.app, samlResponse, start.relayState);
      assert.ok(again.statusCode >= 400 && again.statusCode < 500, again.body);
      assert.equal(again.headers.location, undefined);
    });

    test('a refusal after the flow is known redirects to the app with the error code', async () => {
      const { acs } = await samlRound(gh, idp, query(), { audience: 'https://someone-else.example' });
      assert.equal(acs.statusCode, 302, acs.body);
      assert.equal(locationParams(acs).get('error_code'), 'SAML_AUDIENCE_MISMATCH');
      assert.equal(locationParams(acs).get('code'), null);
    });

    test('a signed response from another key is refused with SAML_SIGNATURE_INVALID', async () => {
      const other = await createTestIdp({ entityId: idp.entityId });
      const { acs } = await samlRound(gh, other, query());
      assert.equal(locationParams(acs).get('error_code'), 'SAML_SIGNATURE_INVALID');
    });

    test('a validation thread that fails is not a 5xx: the response is validated on the main thread', async () => {
      const pool = gh.ctx.samlValidation;
      gh.ctx.samlValidation = { threads: pool.threads, run: async () => { throw Object.assign(new Error('Worker terminated due to reaching memory limit'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }); }, close: () => pool.close() };
      try {
        const { acs } = await samlRound(gh, idp, query());
        assert.equal(acs.statusCode, 302, acs.body);
        assert.ok(locationParams(acs).get('code'));
        const refused = await samlRound(gh, idp, query(), { audience: 'https://someone-else.example' });
        assert.equal(locationParams(refused.acs).get('error_code'), 'SAML_AUDIENCE_MISMATCH');
      } finally {
        gh.ctx.samlValidation = pool;
      }
    });

    test('a failure before the validation runs gives the claimed flow back: the main thread signs the user in', async () => {
      const keys = gh.ctx.keys;
      const sp = keys.sp;
      let calls = 0;
      // The SP key unreadable once (a database hiccup, say): the worker path's set-up fails, the main thread's works.
      keys.sp = (...args: Parameters<typeof sp>) => (++calls === 1 ? Promise.reject(new Error('SP key unreadable')) : sp.apply(keys, args));
      try {
        const { acs } = await samlRound(gh, idp, query());
        assert.equal(acs.statusCode, 302, acs.body);
        assert.ok(locationParams(acs).get('code'), acs.headers.location as string);
        assert.ok(calls >= 2, 'both paths asked for the key');
      } finally {
        keys.sp = sp;
      }
    });

    test('a SAMLResponse wrapped in lines (CRLF every 76 characters) signs in; one with a character outside base64 is SAML_MALFORMED', async () => {
      const start = await startLogin(gh.app, query());
      const b64 = buildSamlResponseBase64({
        idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: start.requestId!,
        nameId: 'alice@acme.com', attributes: { email: 'alice@acme.com' },
      });
      const wrapped = `${b64.replace(/(.{76})/g, '$1\r\n')}\n`;
      assert.notEqual(wrapped.replace(/\s+/g, ''), wrapped, 'the value sent has whitespace in it');
      const acs = await postToAcs(gh.app, wrapped, start.relayState);
      assert.equal(acs.statusCode, 302, acs.body);
      assert.ok(locationParams(acs).get('code'), acs.headers.location as string);
      const next = await startLogin(gh.app, query());
      for (const bad of [`${b64.slice(0, 100)}*${b64.slice(100)}`, `${b64}===`, `=${b64}`, ' \r\n ']) {
        const res = await postToAcs(gh.app, bad, next.relayState);
        assert.equal(res.statusCode, 400, res.body);
        assert.match(res.body, /SAML_MALFORMED/);
      }
    });

    test('a body whose root names a live flow but is not well-formed XML is SAML_MALFORMED, a page, no code', async () => {
      const start = await startLogin(gh.app, query());
      const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" InResponseTo="${start.requestId}"><unclosed></samlp:Response>`;
      const res = await postToAcs(gh.app, Buffer.from(xml).toString('base64'), start.relayState);
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.body, /SAML_MALFORMED/);
      assert.equal(res.headers.location, undefined);
    });
  });
}
