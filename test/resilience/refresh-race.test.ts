/**
 * Refresh tokens across instances (issue 15, decision 0024): two Gatehouse processes on one PostgreSQL database,
 * and again on one MariaDB/MySQL database. A refresh token rotates on either; the same token presented to both at
 * the same instant gives exactly one new token, and the loser's reuse revokes the family, so the winner's new refresh
 * token and access token are dead too. Rotation is one conditional UPDATE in a transaction with the new tokens.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startCluster, type Cluster, type Instance } from './support/cluster.ts';
import { call, codeOf, createSamlConnection, idpAnswer, postAcs, redeem, startLogin, type Client } from './support/flows.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

for (const dialect of ['postgres', 'mysql'] as const) describe(`refresh tokens on two instances of one ${dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB/MySQL'} database`, () => {
  let cluster: Cluster | null;
  let a: Instance, b: Instance;
  let idp: TestIdp;
  let client: Client;

  before(async () => {
    [cluster, idp] = await Promise.all([startCluster(['a', 'b'], { dialect }), createTestIdp()]);
    if (!cluster) return;
    [a, b] = cluster.instances as [Instance, Instance];
    client = await createSamlConnection(a.url, idp);
  });
  after(async () => cluster?.close());

  /** A sign-in with offline_access: authorize on A, ACS on B, code redeemed on A. */
  async function signIn(email: string): Promise<{ refreshToken: string; accessToken: string }> {
    const login = await startLogin(a.url, client, email, {}, 'openid email offline_access');
    const code = codeOf(await postAcs(b.url, idpAnswer(idp, login), login.relayState));
    assert.ok(code);
    const tok = await redeem(a.url, client, code, login.verifier);
    assert.equal(tok.status, 200, tok.text);
    assert.ok(tok.json().refresh_token, tok.text);
    seen.push(tok.json().refresh_token, tok.json().access_token);
    return { refreshToken: tok.json().refresh_token, accessToken: tok.json().access_token };
  }
  /** Every token the test saw: none may appear in any instance's logs. */
  const seen: string[] = [];
  const refresh = (i: Instance, token: string) =>
    call(i.url, 'POST', '/api/oauth/token', { headers: FORM, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: client.clientID, client_secret: client.clientSecret }).toString() });
  const userinfo = (i: Instance, token: string) => call(i.url, 'GET', '/api/oauth/userinfo', { headers: { authorization: `Bearer ${token}` } });

  test('a refresh token rotates on A, then on B, then on A', async (t) => {
    if (!cluster) return t.skip(`${dialect} unreachable`);
    let { refreshToken } = await signIn('hop@acme.com');
    for (const i of [a, b, a]) {
      const r = await refresh(i, refreshToken);
      assert.equal(r.status, 200, r.text);
      assert.notEqual(r.json().refresh_token, refreshToken);
      refreshToken = r.json().refresh_token;
      assert.equal((await userinfo(i === a ? b : a, r.json().access_token)).status, 200);
    }
  });

  test('the same refresh token sent to both at once: exactly one success, and the family is revoked', async (t) => {
    if (!cluster) return t.skip(`${dialect} unreachable`);
    for (let round = 0; round < 5; round++) {
      const { refreshToken, accessToken } = await signIn(`race-${round}@acme.com`);
      const answers = await Promise.all([refresh(a, refreshToken), refresh(b, refreshToken), refresh(a, refreshToken), refresh(b, refreshToken)]);
      const won = answers.filter((r) => r.status === 200);
      assert.equal(won.length, 1, `round ${round}: ${answers.map((r) => `${r.status} ${r.text.slice(0, 120)}`).join(' | ')}`);
      for (const r of answers.filter((x) => x.status !== 200)) {
        assert.equal(r.status, 400, r.text);
        assert.equal(r.json().error, 'invalid_grant');
      }
      const winner = won[0]!.json();
      seen.push(winner.refresh_token, winner.access_token);
      const after = await refresh(b, winner.refresh_token);
      assert.equal(after.status, 400, `round ${round}: the winner's new token is revoked with its family: ${after.text}`);
      assert.equal(after.json().error, 'invalid_grant');
      assert.equal((await userinfo(a, winner.access_token)).status, 401, 'and its access token');
      assert.equal((await userinfo(b, accessToken)).status, 401, 'and the first access token');
    }
  });

  test('no refresh or access token appears in any instance\'s logs', (t) => {
    if (!cluster) return t.skip(`${dialect} unreachable`);
    assert.ok(seen.length >= 10);
    for (const i of [a, b]) {
      const out = i.output();
      assert.ok(out.length > 0, 'the instances log (LOG_LEVEL=info)');
      for (const token of seen) assert.ok(!out.includes(token), `${i.name} logged a token`);
    }
  });
});
