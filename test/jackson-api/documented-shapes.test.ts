/**
 * BoxyHQ's published API shapes (issue 13): every endpoint SAML Jackson documents in its package
 * (test/jackson-api/jackson-openapi.json, from scripts/extract-jackson-openapi.mjs) gets its documented request
 * against a Gatehouse running with JACKSON_COMPAT=true, and the answer must have Polis's status and fit the
 * documented schema (with DOC_ERRATA), carry every key with the JSON type the real Jackson's controllers give for
 * the same operation (run in-process beside it), and hold no secret Jackson has none of.
 *
 * Endpoints Gatehouse does not serve, or answers differently on purpose, are in KNOWN_DIFFERENCES with their
 * reason, which docs/migrating-from-jackson.md must list too. The suite fails when a difference appears that is
 * not listed, and when a listed one disappears, so the list (and the guide) stays true.
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { startOidcIdp } from '../support/oidc-idp.ts';
import { documentedShapeProblems, extraSecretProblems, jacksonKeyProblems, type Schema } from './shape-check.ts';
import { startJackson, type JacksonOracle } from './jackson-oracle.ts';
import { OPERATIONS, REFUSALS, type Operation, type Outcome, type World } from './operations.ts';

interface Endpoint {
  method: string;
  path: string;
  responses: Record<string, { description: string | null; schema: Schema | null }>;
}
const fixture = JSON.parse(readFileSync(new URL('./jackson-openapi.json', import.meta.url), 'utf8')) as { package: string; version: string; endpoints: Endpoint[] };

const LINK_REDIRECT_URLS = 'SSO setup links answer redirectUrl as the validated array; Jackson echoes the JSON-encoded string it was sent';
const LINK_WEBHOOK_SECRET = 'Directory Sync setup links answer webhookSecretSet instead of webhook_secret: the secret is sealed and not read back';
const OIDC_CLIENT_SECRET = 'OIDC connections never echo the IdP client secret (oidcProvider.clientSecret); they answer oidcProvider.clientSecretSet';
const TRACE_CONTEXT = 'SSO traces keep no tokens, codes or request parameters: context names tenant, product, clientID and the failure kind only';
const FED_CONFLICT = 'Identity Federation conflicts (a second app for a tenant+product, a taken entity ID) answer 409 with field, Gatehouse\'s conflict status everywhere';
const FED_ENTITY_ID = 'An Identity Federation app\'s entityId cannot be changed (400): apps are found by their entity ID, and a silent no-op hid the mistake';
const FED_UNKNOWN_DELETE = 'Deleting an unknown Identity Federation app answers 404: the caller learns that nothing was deleted';

/**
 * What Gatehouse answers differently, each with its reason (the same words are in docs/migrating-from-jackson.md)
 * and a pattern every observed difference must match, so another difference is not hidden behind a listed one.
 */
export const KNOWN_DIFFERENCES: Record<string, { reason: string; shows: RegExp }> = {
  'GET /api/v1/sso-traces': { reason: TRACE_CONTEXT, shows: /\.context\.\w+: Jackson answers it, Gatehouse does not/ },
  'GET /api/v1/sso-traces/product': { reason: TRACE_CONTEXT, shows: /\.context\.\w+: Jackson answers it, Gatehouse does not/ },
  'POST /api/v1/sso — OIDC': { reason: OIDC_CLIENT_SECRET, shows: /oidcProvider\.clientSecret: Jackson answers it/ },
  'GET /api/v1/sso — OIDC': { reason: OIDC_CLIENT_SECRET, shows: /oidcProvider\.clientSecret: Jackson answers it/ },
  'POST /api/v1/sso/setuplinks': { reason: LINK_REDIRECT_URLS, shows: /redirectUrl: Jackson answers string, Gatehouse array/ },
  'GET /api/v1/sso/setuplinks': { reason: LINK_REDIRECT_URLS, shows: /redirectUrl: Jackson answers string, Gatehouse array/ },
  'GET /api/v1/sso/setuplinks/product': { reason: LINK_REDIRECT_URLS, shows: /redirectUrl: Jackson answers string, Gatehouse array/ },
  'POST /api/v1/dsync/setuplinks': { reason: LINK_WEBHOOK_SECRET, shows: /webhook_secret: Jackson answers it/ },
  'GET /api/v1/dsync/setuplinks': { reason: LINK_WEBHOOK_SECRET, shows: /webhook_secret: Jackson answers it/ },
  'GET /api/v1/dsync/setuplinks/product': { reason: LINK_WEBHOOK_SECRET, shows: /webhook_secret: Jackson answers it/ },
  'POST /api/v1/identity-federation — second app for the tenant and product': { reason: FED_CONFLICT, shows: /^status 409: Jackson answers 400/ },
  'POST /api/v1/identity-federation — taken entity ID': { reason: FED_CONFLICT, shows: /^status 409: Jackson answers 400/ },
  'PATCH /api/v1/identity-federation — another entity ID': { reason: FED_ENTITY_ID, shows: /^status 400: Jackson answers 200/ },
  'DELETE /api/v1/identity-federation — unknown app': { reason: FED_UNKNOWN_DELETE, shows: /^status 404: Jackson answers 200/ },
};

const key = (e: Endpoint) => `${e.method} ${e.path}`;
/** `POST /api/v1/sso — OIDC` → `POST /api/v1/sso`: an operation's variant runs against its endpoint's documentation. */
const endpointKey = (operation: string) => operation.split(' — ')[0]!;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every way Gatehouse's answer differs from what Jackson documents and answers; empty when it is the same. */
function differences(endpoint: Endpoint, op: Operation, outcome: Outcome): string[] {
  const { status, body } = outcome.gatehouse;
  const documented = Object.keys(endpoint.responses).filter((s) => s.startsWith('2')).map(Number);
  if (status !== op.polis.status && !documented.includes(status)) return [`status ${status}: Jackson answers ${op.polis.status} (documented: ${documented.join(', ')})`];
  if (status === 204) return body === null ? [] : ['a 204 with a body'];
  // Polis's 201 where Jackson documents 200 (creations) is checked against the documented success schema.
  const schema = endpoint.responses[String(status)]?.schema ?? endpoint.responses[String(op.polis.status)]?.schema ?? endpoint.responses[String(documented[0])]?.schema ?? null;
  const problems: string[] = [];
  const inside = (b: unknown) => (op.polis.envelope === 'data' ? (isObject(b) ? b.data : undefined) : b);
  if (op.polis.envelope === 'data' && !(isObject(body) && 'data' in body)) problems.push('$.data: missing (Jackson wraps this answer in {data})');
  problems.push(...documentedShapeProblems(schema, inside(body)));
  if (outcome.jackson) problems.push(...jacksonKeyProblems(outcome.jackson.body, body));
  problems.push(...extraSecretProblems(inside(body), { schema, jackson: outcome.jackson ? inside(outcome.jackson.body) : undefined }));
  return problems;
}

describe('Jackson API shapes: the fixture and the list of differences', () => {
  test('the fixture is the installed package\'s documentation, and every documented endpoint has an operation', () => {
    const installed = JSON.parse(readFileSync(createRequire(import.meta.url).resolve(`${fixture.package}/package.json`), 'utf8')).version;
    assert.equal(fixture.version, installed, 'regenerate: node scripts/extract-jackson-openapi.mjs');
    assert.deepEqual(fixture.endpoints.map(key).filter((k) => !OPERATIONS[k]), [], 'documented endpoints without an operation');
    assert.deepEqual(Object.keys(OPERATIONS).filter((k) => !fixture.endpoints.some((e) => key(e) === endpointKey(k))), [], 'operations for endpoints Jackson does not document');
    assert.ok(fixture.endpoints.length >= 30, 'the extraction found the documented endpoints');
  });

  test('every known difference is written down in docs/migrating-from-jackson.md', () => {
    const guide = readFileSync(new URL('../../docs/migrating-from-jackson.md', import.meta.url), 'utf8');
    for (const { reason } of Object.values(KNOWN_DIFFERENCES)) assert.ok(guide.includes(reason), `docs/migrating-from-jackson.md lacks: ${reason}`);
    assert.deepEqual(Object.keys(KNOWN_DIFFERENCES).filter((k) => !OPERATIONS[k]), [], 'differences listed for operations that do not exist');
  });
});

// One Jackson for the whole file: `jackson()` keeps one instance per process, so it is closed once, at the end.
let oracle: Promise<JacksonOracle> | null = null;
const jacksonOracle = (externalUrl: string) => (oracle ??= startJackson(externalUrl));
after(async () => {
  if (oracle) await (await oracle).close();
});

// The same suite on every storage dialect: booleans, timestamps and JSON columns come back differently from each.
for (const dialect of testDialects()) describe(`Jackson API shapes: every documented /api/v1 endpoint (JACKSON_COMPAT=true): ${dialect}`, () => {
  let world: World | null = null;
  before(async () => {
    const gh = await startGatehouse({ dialect, env: { JACKSON_COMPAT: 'true' } });
    if (!gh) return; // unreachable outside CI: each test skips, loudly through createTestDatabase
    world = { gh, jackson: await jacksonOracle(gh.baseUrl), idp: await createTestIdp({ entityId: 'https://acme.okta.com/exk-shapes' }), oidc: await startOidcIdp({ redirectUris: [`${gh.baseUrl}/api/oauth/oidc`] }) };
  });
  after(async () => {
    if (!world) return;
    await world.oidc.close();
    await world.gh.close();
  });
  /** A test that needs the running world; skipped when the dialect's server is unreachable. */
  const live = (fn: (w: World) => Promise<void>) => async (t: TestContext) => {
    if (!world) return t.skip(`${dialect} unreachable`);
    await fn(world);
  };

  // Documented refusals: Jackson's status, and its `{error: {message}}` (inside Gatehouse's problem JSON).
  for (const endpoint of fixture.endpoints) {
    for (const status of Object.keys(endpoint.responses).filter((s) => /^4\d\d$/.test(s) && s !== '401')) {
      test(`${key(endpoint)} refused: ${status} ${endpoint.responses[status]!.description ?? ''}`.slice(0, 160), live(async (world) => {
        const refuse = REFUSALS[key(endpoint)]?.[status];
        assert.ok(refuse, 'a documented refusal without a request that provokes it in operations.ts');
        const { gatehouse, jackson } = await refuse(world);
        assert.equal(jackson?.status, Number(status), `the Jackson oracle answered ${jackson?.status}`);
        assert.equal(gatehouse.status, Number(status), JSON.stringify(gatehouse.body));
        assert.equal(typeof (gatehouse.body as { error?: { message?: unknown } }).error?.message, 'string', 'Jackson clients read error.message');
      }));
    }
  }

  test('every documented /api/v1 endpoint answers 401 with error.message without a key, as Polis\'s middleware does', live(async (world) => {
    const served = fixture.endpoints.filter((e) => e.path.startsWith('/api/v1/') && !KNOWN_DIFFERENCES[key(e)]?.shows.test('status 404'));
    assert.ok(served.length > 20);
    for (const e of served) {
      const url = e.path.replace(/\{[^}]+\}/g, 'some-id');
      const res = await world.gh.app.inject({ method: e.method as 'GET', url, headers: { authorization: 'Api-Key not-the-key' } });
      assert.equal(res.statusCode, 401, `${key(e)}: ${res.body}`);
      assert.equal(typeof res.json().error?.message, 'string', key(e));
    }
  }));

  for (const [name, op] of Object.entries(OPERATIONS)) {
    const endpoint = fixture.endpoints.find((e) => key(e) === endpointKey(name));
    if (!endpoint) continue; // reported by the first test
    const known = KNOWN_DIFFERENCES[name];
    test(`${name}${known ? ' (known difference)' : ''}`, live(async (world) => {
      const outcome = await op.run(world);
      if (outcome.jackson) assert.equal(outcome.jackson.status, op.polis.status, `the Jackson oracle failed: ${JSON.stringify(outcome.jackson.body)}`);
      const found = differences(endpoint, op, outcome);
      if (known) {
        assert.ok(found.length > 0, `listed as a known difference ("${known.reason}") but Gatehouse now answers as Jackson does: remove it from KNOWN_DIFFERENCES and docs/migrating-from-jackson.md`);
        const other = found.filter((d) => !known.shows.test(d));
        assert.deepEqual(other, [], `differences other than the listed one ("${known.reason}")`);
      } else {
        assert.deepEqual(found, [], `Gatehouse answers differently from Jackson:\n${found.join('\n')}\n(${outcome.gatehouse.status} ${JSON.stringify(outcome.gatehouse.body).slice(0, 400)})`);
      }
    }));
  }
});
