/**
 * `gatehouse import-jackson` against data the real SAML Jackson made, on SQLite (through the shipped CLI), and on
 * PostgreSQL and MariaDB (in-process, into a Gatehouse on the same database): a wrong key is refused and writes nothing, `--dry-run`
 * writes nothing, the import reports what it created, a second run creates nothing; then an IdP's response
 * addressed to Jackson's Audience signs in with Jackson's clientID and clientSecret, SCIM with Jackson's bearer
 * token works at Jackson's directory path with the imported users there, and a live setup link's token still
 * opens it while the expired one was left behind.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { jacksonDataInChild, JACKSON_AUDIENCE, APP_CALLBACK, PRODUCT, TENANT, type JacksonData } from './jackson-data.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { connectionsRepo } from '../../src/storage/index.ts';
import { clientSecretMac } from '../../src/sso/client-secret.ts';
import { samlRound, locationParams, createSamlConnection } from '../support/saml-flow.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { openDatabase } from '../../src/storage/index.ts';
import { importJackson } from '../../src/jackson-import/run.ts';
import { GatehouseError } from '../../src/errors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OIDC_ISSUER = 'http://127.0.0.1:4999';
const TABLES = ['connections', 'directories', 'directory_users', 'directory_groups', 'directory_group_members', 'setup_links', 'products', 'audit_events'] as const;

/** Rows per table of a Gatehouse database (and the active SP certificates). */
async function counts(url: string): Promise<Record<string, number>> {
  const d = await openDatabase(url, 1);
  try {
    const out: Record<string, number> = {};
    for (const t of TABLES) out[t] = Number((await d.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return out;
  } finally {
    await d.close();
  }
}

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['bin/gatehouse.mjs', 'import-jackson', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What a Gatehouse holding the import must do for Jackson's apps and IdPs. */
function provesDropIn(gh: () => RunningGatehouse, j: () => JacksonData) {
  test('a response addressed to Jackson\'s Audience signs in; Jackson\'s clientID and clientSecret redeem the code', async () => {
    const { acs } = await samlRound(gh(), j().idp, { response_type: 'code', client_id: j().saml.clientID, redirect_uri: APP_CALLBACK, state: 'st-1' }, { spEntityId: JACKSON_AUDIENCE });
    assert.equal(acs.statusCode, 302, acs.body);
    const code = locationParams(acs).get('code');
    assert.ok(code, `no code in ${acs.headers.location}`);
    const token = await gh().app.inject({
      method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: j().saml.clientID, client_secret: j().saml.clientSecret, redirect_uri: APP_CALLBACK }).toString(),
    });
    assert.equal(token.statusCode, 200, token.body);
    const info = await gh().app.inject({ method: 'GET', url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${token.json().access_token}` } });
    assert.equal(info.json().email, 'alice@acme.com');
  });

  test('both connections keep Jackson\'s clientID and clientSecret', async () => {
    // Stored with its keyed hash, so the token endpoint can redeem in one statement on PostgreSQL (decision 0047).
    const stored = await connectionsRepo.findById(gh().ctx.db, j().oidc.clientID);
    assert.equal(stored?.client_secret_mac, clientSecretMac(gh().ctx, j().oidc.clientSecret));
    const res = await gh().app.inject({ method: 'GET', url: `/api/v1/sso?tenant=${TENANT}&product=${PRODUCT}`, headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.equal(res.statusCode, 200, res.body);
    const got = (res.json() as { clientID: string; clientSecret: string }[]).map((c) => [c.clientID, c.clientSecret]).sort();
    assert.deepEqual(got, [[j().saml.clientID, j().saml.clientSecret], [j().oidc.clientID, j().oidc.clientSecret]].sort());
  });

  test('SCIM with Jackson\'s bearer token at Jackson\'s directory path: the imported users and group are there, and a push works', async () => {
    const { path, secret } = j().directory;
    const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/scim+json' };
    const list = await gh().app.inject({ method: 'GET', url: `${path}/Users`, headers });
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual((list.json().Resources as { id: string; userName: string }[]).map((u) => [u.id, u.userName]).sort(), j().users.map((u) => [u.id, u.userName]).sort());
    const group = await gh().app.inject({ method: 'GET', url: `${path}/Groups/${j().group.id}`, headers });
    assert.equal(group.statusCode, 200, group.body);
    assert.deepEqual((group.json().members as { value: string }[]).map((m) => m.value).sort(), j().users.map((u) => u.id).sort());
    const push = await gh().app.inject({ method: 'POST', url: `${path}/Users`, headers, payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'carol@acme.com', active: true } });
    assert.equal(push.statusCode, 201, push.body);
    const wrong = await gh().app.inject({ method: 'GET', url: `${path}/Users`, headers: { authorization: 'Bearer not-the-secret' } });
    assert.equal(wrong.statusCode, 401);
  });

  test('the live setup links open with Jackson\'s tokens', async () => {
    for (const token of [j().ssoLinkToken, j().dsyncLinkToken]) {
      const res = await gh().app.inject({ method: 'GET', url: `/api/setup/${token}` });
      assert.equal(res.statusCode, 200, res.body);
    }
  });
}

describe('import-jackson: Jackson on SQLite, through the CLI', () => {
  let jacksonDb: TestDatabase;
  let target: TestDatabase;
  let j: JacksonData;
  let gh: RunningGatehouse;
  const encryptionKey = randomBytes(32).toString('hex');
  const env = () => ({ NODE_ENV: 'test', DATABASE_URL: target.url, ENCRYPTION_KEY: encryptionKey, EXTERNAL_URL: 'http://127.0.0.1:5225', OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost', LOG_LEVEL: 'silent' });
  const from = () => jacksonDb.url.replace(/^sqlite:/, '');

  before(async () => {
    jacksonDb = (await createTestDatabase('sqlite'))!;
    target = (await createTestDatabase('sqlite'))!;
    j = jacksonDataInChild({ type: 'sqlite', url: from() }, OIDC_ISSUER);
  });
  after(async () => {
    await gh?.close();
    await target?.drop();
    await jacksonDb?.drop();
  });

  test('a wrong key is refused, naming the key, and writes nothing', async () => {
    const r = cli(['--from', from(), '--encryption-key', randomBytes(24).toString('base64')], env());
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /DB_ENCRYPTION_KEY/);
    assert.match(r.stderr, /--encryption-key/);
    const c = await counts(target.url);
    assert.equal(c.connections + c.directories + c.directory_users + c.setup_links + c.products + c.audit_events, 0);
  });

  test('--dry-run reports what it would create and writes nothing', async () => {
    const r = cli(['--from', from(), '--encryption-key', j.encryptionKey, '--dry-run'], env());
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Dry run: nothing was written/);
    assert.match(r.stdout, /SSO connections: would create 2, skipped 0/);
    assert.match(r.stdout, new RegExp(`create  SAML ${j.saml.clientID}`));
    assert.match(r.stdout, /directory users: would create 2, skipped 0/);
    const c = await counts(target.url);
    assert.equal(c.connections + c.directories + c.directory_users + c.setup_links + c.products + c.audit_events, 0);
  });

  test('the import reports what it created, leaves the expired link, and never prints a secret', async () => {
    const r = cli(['--from', from(), '--encryption-key', j.encryptionKey], env());
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SP key and certificate: created 1, skipped 0/);
    assert.match(r.stdout, /products: created 1, skipped 0/);
    assert.match(r.stdout, /SSO connections: created 2, skipped 0/);
    assert.match(r.stdout, /directories: created 1, skipped 0/);
    assert.match(r.stdout, /directory users: created 2, skipped 0/);
    assert.match(r.stdout, /directory groups: created 1, skipped 0/);
    assert.match(r.stdout, /group memberships: created 2, skipped 0/);
    assert.match(r.stdout, /setup links: created 2, skipped 1/);
    assert.match(r.stdout, /skip {4}sso \S+ \(gone\.com \/ crm\): expired/);
    for (const secret of [j.saml.clientSecret, j.oidc.clientSecret, j.directory.secret, j.ssoLinkToken, 'jackson-webhook-secret']) assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
    const c = await counts(target.url);
    assert.deepEqual({ ...c, audit_events: undefined }, { connections: 2, directories: 1, directory_users: 2, directory_groups: 1, directory_group_members: 2, setup_links: 2, products: 1, audit_events: undefined });
  });

  test('a second run imports nothing new', async () => {
    const before = await counts(target.url);
    const r = cli(['--from', from(), '--encryption-key', j.encryptionKey], env());
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SSO connections: created 0, skipped 2/);
    assert.match(r.stdout, /directory users: created 0, skipped 2/);
    assert.match(r.stdout, /SP key and certificate: created 0, skipped 1/);
    assert.deepEqual(await counts(target.url), before);
  });

  test('Gatehouse now serves Jackson\'s SP certificate', async () => {
    gh = (await startGatehouse({ databaseUrl: target.url, env: env() }))!;
    const res = await gh.app.inject({ method: 'GET', url: '/.well-known/saml.cer' });
    assert.equal(res.statusCode, 200);
    const body = (pem: string) => pem.replace(/-----[^-]+-----|\s+/g, '');
    assert.equal(body(res.body), body(j.spCertPem));
  });

  provesDropIn(() => gh, () => j);
});

/** Jackson on `dialect`, imported in-process into a Gatehouse on the same dialect. */
const inProcessSuite = (dialect: 'postgres' | 'mysql', name: string) => describe(`import-jackson: Jackson on ${name}, into a ${name} Gatehouse`, () => {
  let jacksonDb: TestDatabase | null;
  let gh: RunningGatehouse | null;
  let j: JacksonData;

  before(async () => {
    jacksonDb = await createTestDatabase(dialect);
    if (!jacksonDb) return;
    j = jacksonDataInChild({ type: dialect, url: jacksonDb.url }, OIDC_ISSUER);
    gh = await startGatehouse({ dialect });
  });
  after(async () => {
    await gh?.close();
    await jacksonDb?.drop();
  });

  test('wrong key refused, dry run writes nothing, import, then a rerun creates nothing', async (t) => {
    if (!gh || !jacksonDb) return t.skip(`${name} unreachable`);
    const ctx = gh.ctx;
    await assert.rejects(importJackson(ctx, { from: jacksonDb.url, encryptionKey: randomBytes(24).toString('base64'), dryRun: false }), (err: unknown) => err instanceof GatehouseError && err.code === 'IMPORT_WRONG_KEY' && /DB_ENCRYPTION_KEY/.test(err.message));
    const empty = await counts(gh.db.url);
    const dry = await importJackson(ctx, { from: jacksonDb.url, encryptionKey: j.encryptionKey, dryRun: true });
    assert.equal(dry.summary.connections.created, 2);
    assert.deepEqual(await counts(gh.db.url), empty);
    const first = await importJackson(ctx, { from: jacksonDb.url, encryptionKey: j.encryptionKey, dryRun: false });
    assert.deepEqual(first.failures, []);
    assert.deepEqual(Object.fromEntries(Object.entries(first.summary).map(([k, v]) => [k, v.created])), { spKey: 1, products: 1, connections: 2, directories: 1, users: 2, groups: 1, memberships: 2, setupLinks: 2 });
    const audit = await ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'sso.connection.created').execute();
    assert.equal(audit.length, 2);
    assert.deepEqual(audit.map((a) => [a.actor_type, a.actor_label]), [['system', 'import'], ['system', 'import']]);
    const everything = JSON.stringify(await ctx.db.selectFrom('audit_events').selectAll().execute());
    for (const secret of [j.saml.clientSecret, j.oidc.clientSecret, j.directory.secret, j.ssoLinkToken]) assert.ok(!everything.includes(secret), 'no secret in the audit log');
    const filled = await counts(gh.db.url);
    const again = await importJackson(ctx, { from: jacksonDb.url, encryptionKey: j.encryptionKey, dryRun: false });
    assert.ok(Object.values(again.summary).every((v) => v.created === 0 && v.failed === 0), again.report);
    assert.deepEqual(await counts(gh.db.url), filled);
  });

  provesDropIn(() => gh!, () => j);
});

inProcessSuite('postgres', 'PostgreSQL');
inProcessSuite('mysql', 'MariaDB');

describe('import-jackson: into a Gatehouse that already has SAML connections of its own', () => {
  let jacksonDb: TestDatabase;
  let gh: RunningGatehouse;
  let j: JacksonData;

  before(async () => {
    jacksonDb = (await createTestDatabase('sqlite'))!;
    // Jackson takes a file path; the import also reads Jackson's SQLite store as a `sqlite:` URL.
    j = jacksonDataInChild({ type: 'sqlite', url: jacksonDb.url.replace(/^sqlite:/, '') }, OIDC_ISSUER);
    gh = (await startGatehouse())!;
    await createSamlConnection(gh.app, await createTestIdp(), { tenant: 'own.com' });
  });
  after(async () => {
    await gh?.close();
    await jacksonDb?.drop();
  });

  test('the SP key conflict is refused, naming --keep-sp-key, and nothing is written', async () => {
    const before = await counts(gh.db.url);
    await assert.rejects(importJackson(gh.ctx, { from: jacksonDb.url, encryptionKey: j.encryptionKey, dryRun: false }), (err: unknown) => err instanceof GatehouseError && err.code === 'IMPORT_SP_KEY_CONFLICT' && /--keep-sp-key/.test(err.message));
    assert.deepEqual(await counts(gh.db.url), before);
  });

  test('with --keep-sp-key everything else is imported and Gatehouse keeps its SP key', async () => {
    const sp = (await gh.ctx.keys.sp()).certPem;
    const r = await importJackson(gh.ctx, { from: jacksonDb.url, encryptionKey: j.encryptionKey, dryRun: false, keepSpKey: true });
    assert.deepEqual(r.failures, []);
    assert.equal(r.summary.spKey.created, 0);
    assert.equal(r.summary.connections.created, 2);
    assert.match(r.report, /warning: Jackson's SP key was not imported/);
    const active = await gh.ctx.db.selectFrom('signing_keys').select('public_pem').where('use', '=', 'saml_sp').where('retired_at', 'is', null).execute();
    assert.deepEqual(active.map((k) => k.public_pem), [sp]);
  });
});
