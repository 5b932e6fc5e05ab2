/**
 * Nobody can fill the disk through SSO traces (issue 11, finding 4). Failed posts to the open ACS are
 * traced within an hourly budget shared by every instance (the database), per connection and for
 * everything that matched nothing; unmatched posts keep only a 4 KB excerpt, while a failed sign-in of a
 * real flow keeps its whole response for the diagnosis screens. Through the real HTTP surface, on every dialect.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { buildSamlResponseBase64, createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, postToAcs, samlRound } from '../support/saml-flow.ts';
import { testClock } from '../admin-api/support.ts';
import { EXCERPT_BYTES, MATCHED_CAPS, UNMATCHED_CAPS } from '../../src/admin/trace-budget.ts';

/** A well-formed but unsigned response from an issuer nobody configured, padded to `kb` KB. */
const garbage = (i: number, kb: number, issuer = `https://nobody-${i}.example`) =>
  Buffer.from(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_g${i}" Version="2.0" IssueInstant="2026-01-01T00:00:00Z" InResponseTo="_nope${i}"><saml:Issuer>${issuer}</saml:Issuer><!-- ${'é'.repeat(kb * 512)} --></samlp:Response>`).toString('base64');

const bytes = (s: string | null) => (s ? Buffer.byteLength(s, 'utf8') : 0);

for (const dialect of testDialects()) {
  describe(`SSO trace caps on ${dialect}`, () => {
    const clock = testClock();
    let a: RunningGatehouse | null;
    let b: RunningGatehouse;
    let idp: TestIdp;
    let conn: { clientID: string };
    before(async () => {
      a = await startGatehouse({ dialect, now: clock.now });
      if (!a) return;
      b = (await startGatehouse({ dialect, databaseUrl: a.db.url, now: clock.now, env: { ENCRYPTION_KEY: a.ctx.config.encryptionKeys[0]!.toString('hex') } }))!;
      idp = await createTestIdp({ entityId: `https://idp-${dialect}.trace.test` });
      conn = await createSamlConnection(a.app, idp);
    });
    after(async () => {
      await b?.close(); // shares a's database: closes its pool, drops nothing
      await a?.close();
    });
    const traces = () => a!.ctx.db.selectFrom('sso_traces').selectAll().execute();
    /** Traces stored since `seen` was taken (rows come back in no particular order). */
    const since = async (seen: Set<string>) => (await traces()).filter((r) => !seen.has(r.id));
    const ids = async () => new Set((await traces()).map((r) => r.id));

    test('a failed sign-in of a real flow keeps its whole response (larger than an excerpt)', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      // The test IdP stamps its response with the real time: start this sign-in's clock at that time, not
      // when the file loaded (under heavy load the two can be further apart than the allowed skew).
      clock.set(Date.now());
      const verifier = randomBytes(32).toString('base64url');
      const { acs } = await samlRound(a, idp, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' }, {
        audience: 'https://someone-else.example', attributes: { email: 'alice@acme.com', note: 'x'.repeat(20_000) },
      });
      assert.equal(acs.statusCode, 302);
      const [trace] = await traces();
      assert.equal(trace?.connection_id, conn.clientID);
      assert.equal(trace?.code, 'SAML_AUDIENCE_MISMATCH');
      assert.ok(bytes(trace!.saml_response) > 20_000, 'the whole decoded response');
      assert.match(trace!.saml_response!, /someone-else\.example/);
      assert.doesNotMatch(trace!.saml_response!, /excerpt/);
    });

    test('garbage posts across two instances store at most the unmatched cap, each an excerpt of at most 4 KB', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      const before = await ids();
      const posts = UNMATCHED_CAPS.traces + 30;
      for (let i = 0; i < posts; i++) {
        const res = await postToAcs((i % 2 ? a : b).app, garbage(i, 24), i % 3 ? null : `relay-${i}`);
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode}`);
      }
      const stored = await since(before);
      const unmatched = stored.filter((r) => r.connection_id === null);
      assert.equal(stored.length, unmatched.length, 'none is pinned on a connection');
      assert.equal(unmatched.length, UNMATCHED_CAPS.traces, 'the cap holds across both instances');
      for (const r of unmatched) {
        assert.ok(bytes(r.saml_response) <= EXCERPT_BYTES, `excerpt of ${bytes(r.saml_response)} bytes`);
        assert.match(r.saml_response!, /^<samlp:Response/);
      }

      // A new hour, a new budget.
      clock.advance(3600_000);
      assert.ok((await postToAcs(b.app, garbage(999, 24), null)).statusCode < 500);
      assert.equal((await since(before)).length, UNMATCHED_CAPS.traces + 1);
    });

    test('posts naming a connection\'s issuer keep whole bodies only within that connection\'s hourly bytes, and stop at its count', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      clock.advance(3600_000);
      const before = await ids();
      // Signed by an attacker's key, but with the real IdP's issuer: attributed to the connection.
      const forger = await createTestIdp({ entityId: idp.entityId });
      for (let i = 0; i < MATCHED_CAPS.traces + 10; i++) {
        const res = await postToAcs((i % 2 ? a : b).app, buildSamlResponseBase64({ idp: forger, spEntityId: a.ctx.config.SAML_SP_ENTITY_ID, acsUrl: a.ctx.config.acsUrl, nameId: `x${i}@acme.com`, attributes: { pad: 'p'.repeat(60_000) } }), null);
        assert.ok(res.statusCode < 500);
      }
      const rows = (await since(before)).filter((r) => r.connection_id === conn.clientID);
      assert.equal(rows.length, MATCHED_CAPS.traces);
      const whole = rows.filter((r) => bytes(r.saml_response) > EXCERPT_BYTES);
      assert.ok(whole.length > 0 && whole.length < rows.length, `${whole.length} whole bodies, then excerpts`);
      assert.ok(whole.reduce((n, r) => n + bytes(r.saml_response) + bytes(r.detail), 0) <= MATCHED_CAPS.bytes, 'whole bodies within the hourly bytes');
      assert.ok(rows.every((r) => bytes(r.saml_response) <= EXCERPT_BYTES || bytes(r.saml_response) > 60_000));
    });
  });
}
