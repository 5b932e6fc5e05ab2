/**
 * Three stateless instances (child processes) on one PostgreSQL database — and again on one MariaDB
 * (MySQL dialect: SKIP LOCKED claims need MySQL 8 or MariaDB 10.6+) — sharing EXTERNAL_URL,
 * ENCRYPTION_KEY and API_KEYS, each on its own port, the way a load balancer sees them:
 * a login started on one completes on another; a code is redeemed once across all of them, even when
 * all three are asked at the same instant; a regenerated setup link is dead everywhere at once; SCIM
 * writes through different instances keep userName unique and memberships whole; and every instance's
 * deliverer drains the one outbox, each event acknowledged exactly once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startCluster, type Cluster, type Instance } from './support/cluster.ts';
import { api, APP_CALLBACK, call, codeOf, createDirectory, createSamlConnection, fullLogin, idpAnswer, PATCH_OP, postAcs, redeem, scim, startLogin, startReceiver, waitFor, type Client, type Directory, type Receiver } from './support/flows.ts';

for (const dialect of ['postgres', 'mysql'] as const) describe(`three instances on one ${dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB/MySQL'} database`, () => {
  let cluster: Cluster | null;
  let a: Instance, b: Instance, c: Instance;
  let idp: TestIdp;
  let client: Client;
  let rx: Receiver;
  let dir: Directory;

  before(async () => {
    [cluster, idp, rx] = await Promise.all([startCluster(['a', 'b', 'c'], { dialect }), createTestIdp(), startReceiver()]);
    if (!cluster) return;
    [a, b, c] = cluster.instances as [Instance, Instance, Instance];
    client = await createSamlConnection(a.url, idp);
    dir = await createDirectory(b.url, { webhook_url: rx.url, webhook_secret: 'whsec_cross_instance_0123' });
  });
  after(async () => {
    await cluster?.close();
    await rx?.close();
  });

  test('a SAML login started on A completes on B, its code is redeemed on C and userinfo answers on A', async (t) => {
    if (!cluster) return t.skip(`${dialect} unreachable`);
    const r = await fullLogin(idp, client, 'hop@acme.com', a.url, b.url, c.url, a.url);
    const jwks = await Promise.all([a, b, c].map(async (i) => (await call(i.url, 'GET', '/oauth/jwks')).text));
    assert.equal(new Set(jwks).size, 1, 'every instance publishes the same signing keys (they live in the database)');
    const kid = JSON.parse(Buffer.from(r.idToken.split('.')[0]!, 'base64url').toString()).kid;
    assert.ok(JSON.parse(jwks[0]!).keys.some((k: { kid: string }) => k.kid === kid));
    const disco = await Promise.all([a, b, c].map(async (i) => (await call(i.url, 'GET', '/.well-known/openid-configuration')).json().issuer));
    assert.deepEqual(disco, ['https://sso.gatehouse.test', 'https://sso.gatehouse.test', 'https://sso.gatehouse.test']);
  });

  test('a code redeemed on one instance is refused on the others; three simultaneous redemptions → exactly one token', async (t) => {
    if (!cluster) return t.skip(`${dialect} unreachable`);
    const login = await startLogin(a.url, client, 'once@acme.com');
    const code = codeOf(await postAcs(b.url, idpAnswer(idp, login), login.relayState))!;
    assert.ok(code);
    assert.equal((await redeem(c.url, client, code, login.verifier)).status, 200);
    for (const i of [a, b]) {
      const again = await redeem(i.url, client, code, login.verifier);
      assert.equal(again.status, 400);
      assert.equal(again.json().error, 'invalid_grant');
    }

    for (let round = 0; round < 5; round++) {
      const l = await startLogin(c.url, client, `race-${round}@acme.com`);
      const racing = codeOf(await postAcs(a.url, idpAnswer(idp, l), l.relayState))!;
      const answers = await Promise.all([a, b, c].map((i) => redeem(i.url, client, racing, l.verifier)));
      assert.deepEqual(answers.map((x) => x.status).sort(), [200, 400, 400], `round ${round}: ${answers.map((x) => x.text).join(' | ')}`);
    }
  });

  test('the same SAML response posted to two instances at once signs in once', async (t) => {
    if (!cluster) return t.skip(`${dialect} unreachable`);
    const login = await startLogin(b.url, client, 'replay@acme.com');
    const answer = idpAnswer(idp, login);
    const acs = await Promise.all([a, c].map((i) => postAcs(i.url, answer, login.relayState)));
    assert.equal(acs.filter((x) => codeOf(x)).length, 1, acs.map((x) => `${x.status} ${x.headers.get('location')}`).join(' | '));
    assert.ok(acs.every((x) => x.status < 500));
  });

  test('regenerating a setup link on A kills the old URL on B and C at once; the new one works everywhere', async (t) => {
    if (!cluster) return t.skip(`${dialect} unreachable`);
    const created = await api(a.url, 'POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', name: 'IT', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] });
    assert.ok(created.status === 201 || created.status === 200, created.text);
    const { setupID, url } = created.json().data;
    const oldToken = new URL(url).pathname.split('/').pop()!;
    for (const i of [a, b, c]) assert.equal((await call(i.url, 'GET', `/api/setup/${oldToken}`)).status, 200);
    const regen = await api(a.url, 'POST', '/api/v1/sso/setuplinks/regenerate', { id: setupID });
    assert.equal(regen.status, 200, regen.text);
    const newToken = new URL(regen.json().data.url).pathname.split('/').pop()!;
    const [oldB, oldC, newB, newC] = await Promise.all([
      call(b.url, 'GET', `/api/setup/${oldToken}`), call(c.url, 'GET', `/api/setup/${oldToken}`),
      call(b.url, 'GET', `/api/setup/${newToken}`), call(c.url, 'GET', `/api/setup/${newToken}`),
    ]);
    assert.equal(oldB.status, 404);
    assert.equal(oldC.status, 404);
    assert.equal(newB.status, 200);
    assert.equal(newC.status, 200);
  });

  test('SCIM through three instances: one userName wins a 9-way race; concurrent member adds all land; every event acknowledged exactly once', async (t) => {
    if (!cluster) return t.skip(`${dialect} unreachable`);
    const instances = [a, b, c];
    // Uniqueness: the same userName (in different cases) created 9 times at once through 3 instances.
    const race = await Promise.all(Array.from({ length: 9 }, (_, i) => scim(instances[i % 3]!.url, dir, 'POST', '/Users', { userName: i % 2 ? 'Dup@Acme.com' : 'dup@acme.com', active: true })));
    assert.deepEqual(race.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409, 409], race.map((r) => r.text).join('\n'));
    assert.ok(race.filter((r) => r.status === 409).every((r) => r.json().status === '409' && r.json().scimType === 'uniqueness'));

    // Memberships: 30 users, one group, members added in 30 concurrent PATCHes spread over the instances.
    const users = await Promise.all(Array.from({ length: 30 }, async (_, i) => (await scim(instances[i % 3]!.url, dir, 'POST', '/Users', { userName: `m${i}@acme.com` })).json().id as string));
    assert.equal(new Set(users).size, 30);
    const group = (await scim(c.url, dir, 'POST', '/Groups', { displayName: 'Everyone' })).json().id as string;
    const adds = await Promise.all(users.map((u, i) => scim(instances[i % 3]!.url, dir, 'PATCH', `/Groups/${group}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: u }] }] })));
    assert.ok(adds.every((r) => r.status === 204), adds.map((r) => r.status).join(','));
    for (const i of instances) {
      const g = (await scim(i.url, dir, 'GET', `/Groups/${group}`)).json();
      assert.equal(g.members.length, 30, `${i.name} sees every member`);
    }
    // Remove 10 members concurrently through different instances (each in its own PATCH).
    const removes = await Promise.all(users.slice(0, 10).map((u, i) => scim(instances[(i + 1) % 3]!.url, dir, 'PATCH', `/Groups/${group}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${u}"]` }] })));
    assert.ok(removes.every((r) => r.status === 204));
    assert.equal((await scim(a.url, dir, 'GET', `/Groups/${group}`)).json().members.length, 20);
    const listed = (await scim(b.url, dir, 'GET', '/Users?count=100')).json();
    assert.equal(listed.totalResults, 31);

    // Exactly once: 1 + 30 user.created, 1 group.created, 30 user_added, 10 user_removed, all acknowledged once.
    const expected = 1 + 30 + 1 + 30 + 10;
    await waitFor(() => rx.acked.length >= expected, 20_000, `${expected} webhook events acknowledged (got ${rx.acked.length})`);
    await new Promise((r) => setTimeout(r, 500)); // a double send would arrive now
    assert.equal(rx.acked.length, expected);
    assert.equal(new Set(rx.acked).size, expected, 'no event id acknowledged twice');
    const events = await api(a.url, 'GET', `/api/v1/dsync/events?directoryId=${dir.id}&limit=1`);
    assert.equal(events.json().counts.pending ?? 0, 0);
    assert.equal(events.json().counts.delivered, expected);
  });
});
