/**
 * Issue 11, finding 6: `sub` is tied to the connection, not to whatever NameID an IdP asserts. Two
 * tenants' IdPs asserting the same NameID give the app two different `sub`s, each carrying its `tenant`;
 * `email_verified` is true only for a domain the signing tenant verified (through a real DNS server).
 * Full logins through the real HTTP surface (authorize → test IdP → ACS → token → userinfo), with the
 * id_token verified against the JWKS, on every dialect, across logins, instances and a key rotation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import { testDialects } from '../support/databases.ts';
import { createSamlConnection } from '../support/saml-flow.ts';
import { signInToApp } from '../support/app-sign-in.ts';
import { oauthTokensRepo } from '../../src/storage/index.ts';
import { randomToken, tokenHash } from '../../src/crypto/secrets.ts';

const NAME_ID = 'alice@acme.com';
type Conn = { clientID: string; clientSecret: string };
type Login = { claims: JWTPayload & Record<string, unknown>; info: Record<string, unknown>; accessToken: string };

/** One login as the app sees it: the id_token's verified claims and the userinfo answer. */
async function login(gh: RunningGatehouse, idp: TestIdp, conn: Conn): Promise<Login> {
  const signedIn = await signInToApp(gh, idp, conn, { nameId: NAME_ID, attributes: { email: NAME_ID, firstName: 'Alice' } });
  const info = await gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${signedIn.accessToken}` } });
  assert.equal(info.statusCode, 200, info.body);
  return { claims: signedIn.claims as Login['claims'], info: info.json(), accessToken: signedIn.accessToken };
}

for (const dialect of testDialects()) {
  describe(`subjects are tied to the connection on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    let dns: TestDnsServer;
    let acmeIdp: TestIdp;
    let rivalIdp: TestIdp;
    let acme: Conn;
    let rival: Conn;
    before(async () => {
      dns = await startDnsServer();
      gh = await startGatehouse({ dialect, env: { DNS_SERVERS: dns.address } });
      if (!gh) return;
      [acmeIdp, rivalIdp] = await Promise.all([createTestIdp(), createTestIdp()]);
      acme = await createSamlConnection(gh.app, acmeIdp);
      // Another tenant of the same product, whose IdP (set up by whoever holds that tenant's setup link) asserts Acme's user.
      rival = await createSamlConnection(gh.app, rivalIdp, { tenant: 'globex.com', name: 'Globex IdP' });
    });
    after(async () => {
      await gh?.close();
      await dns.close();
    });

    test('two tenants\' IdPs asserting the same NameID give different subs, each with its tenant; id and nameid keep the NameID', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const a = await login(gh, acmeIdp, acme);
      const r = await login(gh, rivalIdp, rival);
      assert.notEqual(a.claims.sub, r.claims.sub, 'the rival tenant cannot produce Acme\'s sub');
      for (const [l, tenant] of [[a, 'acme.com'], [r, 'globex.com']] as const) {
        assert.notEqual(l.claims.sub, NAME_ID, 'sub is not the raw NameID');
        assert.match(l.claims.sub!, /^[A-Za-z0-9_-]{43}$/, 'sub is opaque');
        assert.equal(l.info.sub, l.claims.sub, 'userinfo and id_token agree on sub');
        assert.equal(l.info.id, NAME_ID, 'userinfo keeps Jackson\'s id');
        assert.equal(l.info.nameid, NAME_ID);
        assert.equal(l.claims.nameid, NAME_ID);
        assert.equal(l.claims.id, NAME_ID);
        assert.equal(l.claims.tenant, tenant);
        assert.equal(l.claims.product, 'crm');
        assert.equal(l.info.tenant, tenant);
        assert.equal(l.info.product, 'crm');
        assert.deepEqual(l.info.requested, { tenant, product: 'crm' });
      }
    });

    test('the same connection gives the same sub across logins, across instances on one database, and after ENCRYPTION_KEY is rotated', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const first = await login(gh, acmeIdp, acme);
      const again = await login(gh, acmeIdp, acme);
      assert.equal(again.claims.sub, first.claims.sub);
      const oldKey = gh.ctx.config.encryptionKeys[0]!.toString('hex');
      const second = (await startGatehouse({ dialect, databaseUrl: gh.db.url, env: { DNS_SERVERS: dns.address, ENCRYPTION_KEY: oldKey } }))!;
      try {
        const elsewhere = await login(second, acmeIdp, acme);
        assert.equal(elsewhere.claims.sub, first.claims.sub, 'another instance on the same database');
        assert.equal(elsewhere.info.sub, first.claims.sub);
      } finally {
        await second.close();
      }
      const rotated = (await startGatehouse({ dialect, databaseUrl: gh.db.url, env: { DNS_SERVERS: dns.address, ENCRYPTION_KEY: randomBytes(32).toString('hex'), ENCRYPTION_KEYS_PREVIOUS: oldKey } }))!;
      try {
        assert.equal((await login(rotated, acmeIdp, acme)).claims.sub, first.claims.sub, 'a new ENCRYPTION_KEY does not change sub');
      } finally {
        await rotated.close();
      }
    });

    test('email_verified is false until the tenant verifies the email\'s domain, and never true for another tenant\'s IdP', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const before = await login(gh, acmeIdp, acme);
      assert.equal(before.claims.email_verified, false);
      assert.equal(before.info.email_verified, false);
      assert.equal(before.info.email, NAME_ID);

      const api = (method: 'POST', url: string, payload?: object) => gh!.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
      const add = await api('POST', '/api/v1/tenants/acme.com/domains', { domain: 'acme.com' });
      assert.equal(add.statusCode, 201, add.body);
      dns.txt.set('acme.com', [add.json().data.txtRecord.value]);
      const verified = await api('POST', '/api/v1/tenants/acme.com/domains/acme.com/verify');
      assert.equal(verified.statusCode, 200, verified.body);

      const after = await login(gh, acmeIdp, acme);
      assert.equal(after.claims.email_verified, true);
      assert.equal(after.info.email_verified, true);
      const rivalLogin = await login(gh, rivalIdp, rival);
      assert.equal(rivalLogin.claims.email_verified, false, 'acme.com is verified by acme.com, not by globex.com');
      assert.equal(rivalLogin.info.email_verified, false);
      assert.equal(rivalLogin.info.email, NAME_ID, 'the email is passed on, flagged unverified');
    });

    test('an access token whose profile was sealed before subjects existed (rolling upgrade) still gets the per-connection sub', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const current = await login(gh, acmeIdp, acme);
      const legacy = { id: NAME_ID, email: NAME_ID, firstName: 'Alice', lastName: null, groups: [], roles: [], raw: { email: NAME_ID }, requested: { tenant: 'acme.com', product: 'crm' } };
      const token = randomToken(32);
      const now = gh.ctx.now();
      await oauthTokensRepo.insert(gh.ctx.db, { token_hash: tokenHash(token), code_hash: tokenHash(randomToken(32)), connection_id: acme.clientID, profile_enc: gh.ctx.secrets.encrypt(JSON.stringify(legacy)), created_at: now, expires_at: now + 60_000, revoked_at: null, sid: null });
      const info = (await gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${token}` } })).json();
      assert.equal(info.sub, current.claims.sub);
      assert.equal(info.id, NAME_ID);
      assert.equal(info.nameid, NAME_ID);
      assert.equal(info.tenant, 'acme.com');
      assert.equal(info.email_verified, false);
    });
  });
}
