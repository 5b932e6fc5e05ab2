/**
 * The code grant in one statement on PostgreSQL (decision 0047) and the connection clientSecret's keyed hash it
 * compares, on every dialect: a good request is one statement on PostgreSQL; a refusal is the step-by-step one
 * (invalid_client, invalid_grant) and writes nothing; a missing or stale hash falls back to the sealed secret and is
 * written again; a secret written without its hash clears it, so the old secret can never authenticate.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, samlRound } from '../support/saml-flow.ts';
import { connectionsRepo, oauthCodesRepo } from '../../src/storage/index.ts';
import { tokenHash } from '../../src/crypto/secrets.ts';
import { clientSecretMac, isCurrentMac } from '../../src/sso/client-secret.ts';

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

for (const dialect of testDialects()) {
  /** A good request's statements: PostgreSQL's one; SQLite's checked redeem (UPDATE … RETURNING) and the token's insert (decision 0061). */
  const atOnce = dialect === 'postgres' ? 1 : dialect === 'sqlite' ? 2 : null;
  describe(`the code grant's redeem on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    let idp: TestIdp;
    let conn: { clientID: string; clientSecret: string };
    before(async () => {
      gh = await startGatehouse({ dialect });
      if (!gh) return;
      idp = await createTestIdp();
      conn = await createSamlConnection(gh.app, idp);
    });
    after(async () => gh?.close());

    const token = (payload: Record<string, string>) =>
      gh!.app.inject({ method: 'POST', url: '/api/oauth/token', payload: new URLSearchParams(payload).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    async function codeFor(over: Record<string, string> = {}) {
      const p = pkce();
      const { acs } = await samlRound(gh!, idp, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st', scope: 'openid', code_challenge: p.challenge, code_challenge_method: 'S256', ...over });
      assert.equal(acs.statusCode, 302, acs.body);
      return { code: locationParams(acs).get('code')!, verifier: p.verifier };
    }
    /** The statements one token request sends about codes, tokens and connections (not the rate limiter's, not a key set refresh), and its answer. */
    async function counted(payload: Record<string, string>) {
      let statements = 0;
      gh!.database.statements.tap = (q) => { if (/oauth_codes|oauth_tokens|connections|app_sessions|refresh_tokens/.test(q)) statements++; };
      try {
        return { res: await token(payload), statements };
      } finally {
        gh!.database.statements.tap = null;
      }
    }
    const redeemedAt = async (code: string) => (await oauthCodesRepo.findByHash(gh!.ctx.db, tokenHash(code)))?.redeemed_at ?? null;
    const macOf = async () => (await connectionsRepo.findById(gh!.ctx.db, conn.clientID))!.client_secret_mac;

    test('a created connection stores its clientSecret\'s keyed hash; a good request redeems in one statement on PostgreSQL (two on SQLite)', async (t) => {
      if (!gh) return t.skip('database unreachable');
      assert.equal(await macOf(), clientSecretMac(gh.ctx, conn.clientSecret));
      const { code, verifier } = await codeFor();
      const { res, statements } = await counted({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK });
      assert.equal(res.statusCode, 200, res.body);
      assert.ok(res.json().id_token);
      assert.equal(res.json().scope, 'openid');
      if (atOnce !== null) assert.equal(statements, atOnce);
      const info = await gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${res.json().access_token}` } });
      assert.equal(info.statusCode, 200, 'the access token stored with the redeem works');
    });

    test('a public client (PKCE, no secret) redeems; without a code_verifier it is invalid_grant and the code stays unused', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const { code, verifier } = await codeFor();
      const missing = await token({ grant_type: 'authorization_code', code, client_id: conn.clientID, redirect_uri: APP_CALLBACK });
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().error, 'invalid_grant');
      assert.equal(await redeemedAt(code), null);
      const { res, statements } = await counted({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: conn.clientID, redirect_uri: APP_CALLBACK });
      assert.equal(res.statusCode, 200, res.body);
      if (atOnce !== null) assert.equal(statements, atOnce);
    });

    test('a code with a plain challenge (JACKSON_COMPAT) never redeems in the one statement: its verifier is compared in constant time step by step', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const { code } = await codeFor();
      const verifier = randomBytes(32).toString('base64url');
      await gh.ctx.db.updateTable('oauth_codes').set({ code_challenge: verifier, code_challenge_method: 'plain' }).where('code_hash', '=', tokenHash(code)).execute();
      const wrong = await counted({ grant_type: 'authorization_code', code, code_verifier: `${verifier}x`, client_id: conn.clientID, redirect_uri: APP_CALLBACK });
      assert.equal(wrong.res.statusCode, 400);
      assert.equal(wrong.res.json().error, 'invalid_grant');
      assert.equal(await redeemedAt(code), null);
      const { res, statements } = await counted({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: conn.clientID, redirect_uri: APP_CALLBACK });
      assert.equal(res.statusCode, 200, res.body);
      if (atOnce !== null) assert.ok(statements > atOnce, `the step-by-step path, not the one statement (${statements})`);
    });

    test('each failed check gives the step-by-step error and leaves the code unused', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const { code, verifier } = await codeFor();
      const good = { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK };
      for (const [over, status, error] of [
        [{ client_secret: 'wrong' }, 401, 'invalid_client'],
        [{ client_secret: `${conn.clientSecret}x` }, 401, 'invalid_client'],
        [{ code_verifier: pkce().verifier }, 400, 'invalid_grant'],
        [{ redirect_uri: 'https://app.example.test/other' }, 400, 'invalid_grant'],
        [{ client_id: 'someone-else' }, 400, 'invalid_grant'],
        [{ code: 'not-a-code' }, 400, 'invalid_grant'],
      ] as const) {
        const res = await token({ ...good, ...over });
        assert.equal(res.statusCode, status, `${JSON.stringify(over)}: ${res.body}`);
        assert.equal(res.json().error, error, JSON.stringify(over));
        assert.equal(await redeemedAt(code), null, `${JSON.stringify(over)} redeems nothing`);
      }
      assert.equal((await token(good)).statusCode, 200);
      const again = await token(good);
      assert.equal(again.statusCode, 400);
      assert.equal(again.json().error, 'invalid_grant');
    });

    test('a missing hash: the sealed secret authenticates and the hash is written; the next redeem is one statement', async (t) => {
      if (!gh) return t.skip('database unreachable');
      await gh.ctx.db.updateTable('connections').set({ client_secret_mac: null }).where('id', '=', conn.clientID).execute();
      const first = await codeFor();
      const a = await counted({ grant_type: 'authorization_code', code: first.code, code_verifier: first.verifier, client_id: conn.clientID, client_secret: conn.clientSecret });
      assert.equal(a.res.statusCode, 200, a.res.body);
      assert.ok(isCurrentMac(gh.ctx, await macOf()));
      assert.equal(await macOf(), clientSecretMac(gh.ctx, conn.clientSecret));
      const second = await codeFor();
      const b = await counted({ grant_type: 'authorization_code', code: second.code, code_verifier: second.verifier, client_id: conn.clientID, client_secret: conn.clientSecret });
      assert.equal(b.res.statusCode, 200, b.res.body);
      if (atOnce !== null) assert.equal(b.statements, atOnce);
    });

    test('a hash from another key (ENCRYPTION_KEY rotated) is not used and is made again', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const stale = `00000000.${clientSecretMac(gh.ctx, conn.clientSecret).split('.')[1]}`;
      await gh.ctx.db.updateTable('connections').set({ client_secret_mac: stale }).where('id', '=', conn.clientID).execute();
      const { code, verifier } = await codeFor();
      const res = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: conn.clientID, client_secret: conn.clientSecret });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(await macOf(), clientSecretMac(gh.ctx, conn.clientSecret));
    });

    test('a clientSecret written without its hash clears the hash: the old secret no longer authenticates', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const oldMac = await macOf();
      assert.ok(oldMac);
      await connectionsRepo.update(gh.ctx.db, conn.clientID, { client_secret_enc: gh.ctx.secrets.encrypt('a-new-secret') });
      assert.equal(await macOf(), null);
      const { code, verifier } = await codeFor();
      const old = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: conn.clientID, client_secret: conn.clientSecret });
      assert.equal(old.statusCode, 401);
      assert.equal(old.json().error, 'invalid_client');
      const fresh = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: conn.clientID, client_secret: 'a-new-secret' });
      assert.equal(fresh.statusCode, 200, fresh.body);
      assert.equal(await macOf(), clientSecretMac(gh.ctx, 'a-new-secret'));
    });

    test('offline_access codes take the step-by-step path and still get their refresh token', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const secret = 'a-new-secret'; // the test before changed it
      const { code, verifier } = await codeFor({ scope: 'openid offline_access' });
      const res = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: conn.clientID, client_secret: secret });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(typeof res.json().access_token, 'string');
    });
  });
}
