/**
 * Refresh-token lifetimes and the rotation chain (decision 0024), on SQLite with the clock as an input: the idle
 * expiry restarts on each rotation, the family's absolute expiry never passes its app session's, the maintenance
 * sweep deletes families past their end, and a fast-check model of refresh / replay / revoke sequences agrees with
 * what the token and revocation endpoints answer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, samlRound } from '../support/saml-flow.ts';
import { refreshTokensRepo } from '../../src/storage/index.ts';
import { tokenHash } from '../../src/crypto/secrets.ts';
import { sweepExpired } from '../../src/maintenance.ts';

const SECOND = 1000;

describe('refresh token lifetimes and the rotation chain', () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  let conn: { clientID: string; clientSecret: string };
  let clock = Date.now();
  before(async () => {
    gh = (await startGatehouse({ now: () => clock, env: { SESSION_TTL_SECONDS: '3000' } }))!;
    idp = await createTestIdp();
    conn = await createSamlConnection(gh.app, idp);
    const product = await gh.app.inject({ method: 'POST', url: '/api/v1/products', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { product: 'crm', refreshTokenIdleSeconds: 600, refreshTokenAbsoluteSeconds: 3600 } });
    assert.equal(product.statusCode, 201, product.body);
  });
  after(async () => gh?.close());

  const form = (url: string, body: Record<string, string>) =>
    gh.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(body).toString() });
  const creds = () => ({ client_id: conn.clientID, client_secret: conn.clientSecret });
  const refresh = (token: string) => form('/api/oauth/token', { grant_type: 'refresh_token', refresh_token: token, ...creds() });

  /** A sign-in with offline_access at the current clock; its refresh token. */
  async function signIn(): Promise<string> {
    clock = Date.now();
    const { acs } = await samlRound(gh, idp, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's', scope: 'openid offline_access' });
    const code = locationParams(acs).get('code');
    assert.ok(code, acs.body);
    const tok = await form('/api/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: APP_CALLBACK, ...creds() });
    assert.equal(tok.statusCode, 200, tok.body);
    return tok.json().refresh_token as string;
  }

  test('unused for longer than the product\'s idle time, a refresh token expires', async () => {
    const token = await signIn();
    clock += 601 * SECOND;
    const r = await refresh(token);
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json().error, 'invalid_grant');
    assert.match(r.json().error_description, /expired/);
  });

  test('each rotation restarts the idle time; the family ends with its app session (SESSION_TTL_SECONDS below the absolute lifetime); the sweep deletes it after', async () => {
    let token = await signIn();
    const start = clock;
    const first = await refreshTokensRepo.findByHash(gh.ctx.db, tokenHash(token));
    assert.equal(first?.family_expires_at, start + 3000 * SECOND, 'capped by the session, not the 3,600 s absolute lifetime');
    assert.equal(first?.expires_at, start + 600 * SECOND);
    for (let i = 1; i <= 5; i++) {
      clock = start + i * 500 * SECOND;
      const r = await refresh(token);
      assert.equal(r.statusCode, 200, `rotation ${i}: ${r.body}`);
      token = r.json().refresh_token;
    }
    const last = await refreshTokensRepo.findByHash(gh.ctx.db, tokenHash(token));
    assert.equal(last?.expires_at, start + 3000 * SECOND, 'the idle expiry stops at the family end');
    clock = start + 3000 * SECOND;
    const ended = await refresh(token);
    assert.equal(ended.statusCode, 400, ended.body);
    assert.equal(ended.json().error, 'invalid_grant');
    const introspected = await form('/api/oauth/introspect', { token, ...creds() });
    assert.deepEqual(introspected.json(), { active: false });

    clock = start + 3001 * SECOND;
    const swept = await sweepExpired(gh.ctx);
    assert.ok(swept.refreshTokens >= 6, `the family's rows are deleted: ${JSON.stringify(swept)}`);
    assert.equal(await refreshTokensRepo.findByHash(gh.ctx.db, tokenHash(token)), undefined);
  });

  test('a model of the rotation chain: refresh with the newest token works, anything else kills the family for good', async () => {
    type Op = { kind: 'refresh' | 'revoke'; pick: number };
    const op = fc.record({ kind: fc.constantFrom<'refresh' | 'revoke'>('refresh', 'refresh', 'refresh', 'revoke'), pick: fc.nat() }) as fc.Arbitrary<Op>;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), fc.boolean(), async (ops, preferNewest) => {
        const issued = [await signIn()];
        let alive = true;
        for (const o of ops) {
          // Half the runs mostly present the newest token (the honest app); the others pick any issued token (a thief's replay).
          const i = preferNewest && o.pick % 4 !== 0 ? issued.length - 1 : o.pick % issued.length;
          const token = issued[i]!;
          if (o.kind === 'revoke') {
            const r = await form('/api/oauth/revoke', { token, ...creds() });
            assert.equal(r.statusCode, 200);
            alive = false;
            continue;
          }
          const r = await refresh(token);
          const expectOk: boolean = alive && i === issued.length - 1;
          assert.equal(r.statusCode, expectOk ? 200 : 400, `${JSON.stringify(ops)}: token ${i} of ${issued.length}, alive=${alive}: ${r.body}`);
          if (expectOk) issued.push(r.json().refresh_token);
          else alive = false;
        }
        const newest = await form('/api/oauth/introspect', { token: issued[issued.length - 1]!, ...creds() });
        assert.equal(newest.json().active, alive, 'the newest token is active exactly when the model says the family lives');
      }),
      { numRuns: 25 },
    );
  });

  test('bad input at the refresh grant, revocation and introspection is a 4xx in OAuth JSON with no-store, never a 5xx', async () => {
    const token = await signIn();
    const urls = ['/api/oauth/token', '/api/oauth/revoke', '/api/oauth/introspect'];
    const bodies: { type: string; payload: string; authorization?: string }[] = [
      { type: 'application/x-www-form-urlencoded', payload: '' },
      { type: 'application/x-www-form-urlencoded', payload: 'grant_type=refresh_token' },
      { type: 'application/x-www-form-urlencoded', payload: `grant_type=refresh_token&refresh_token=${token}&refresh_token=${token}&client_id=a&client_id=b` },
      { type: 'application/x-www-form-urlencoded', payload: `grant_type=refresh_token&refresh_token=${token}&token=x`, authorization: 'Basic ' + Buffer.from('%zz:%zz').toString('base64') },
      { type: 'application/x-www-form-urlencoded', payload: 'token=x&client_id=fed_oidc_unknown&client_secret=s' },
      { type: 'application/x-www-form-urlencoded', payload: 'token=x&client_id=dummy&client_secret=s' },
      { type: 'application/json', payload: JSON.stringify({ grant_type: 'refresh_token', refresh_token: [token], token: { a: 1 }, client_id: 7, scope: ['openid'] }) },
      { type: 'application/json', payload: '{"token":' + '['.repeat(200) + ']'.repeat(200) + '}' },
      { type: 'application/json', payload: '{not json' },
    ];
    for (const url of urls) {
      for (const b of bodies) {
        const r = await gh.app.inject({ method: 'POST', url, headers: { 'content-type': b.type, ...(b.authorization ? { authorization: b.authorization } : {}) }, payload: b.payload });
        assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${url} ${b.payload.slice(0, 80)}: ${r.statusCode} ${r.body}`);
        assert.equal(typeof r.json().error, 'string', `${url}: OAuth JSON`);
        assert.equal(r.headers['cache-control'], 'no-store');
      }
    }
    assert.equal((await refresh(token)).statusCode, 200, 'none of it touched the token');
  });
});
