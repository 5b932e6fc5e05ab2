/**
 * Fuzz targets on the real HTTP surface (app.inject on a real Gatehouse with a real database): the
 * management API's JSON bodies (`/api/v1/sso`, `/api/v1/dsync`, setup links) and SCIM POST, PATCH
 * and filtered GETs. For each input: no 5xx and no thrown error; on a refusal (4xx) nothing stored
 * changed (a snapshot of the domain tables before and after), and sending it again gives the same
 * answer.
 */
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/storage/schema.ts';
import type { DialectName } from '../../src/storage/dialect.ts';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL } from '../support/saml-flow.ts';
import { createDirectory, scimClient, type TestDirectory } from '../support/scim.ts';
import type { FuzzTarget, Outcome } from './harness.ts';
import { jsonValue, nastyString, nearValid, scimFilter, scimPatchBody } from './generators.ts';

/** Tables whose rows are what Gatehouse stores for a request (not logs, counters or delivery state). */
const DOMAIN_TABLES = ['connections', 'tenants', 'tenant_domains', 'products', 'directories', 'directory_users', 'directory_groups', 'directory_group_members', 'setup_links'] as const;

/** Every stored domain row, in a stable order; directory events without their delivery state. */
async function snapshot(db: Kysely<Database>): Promise<string> {
  const parts: string[] = [];
  for (const table of DOMAIN_TABLES) {
    const rows = await db.selectFrom(table as 'connections').selectAll().execute();
    parts.push(`${table}:${rows.map((r) => JSON.stringify(r)).sort().join('\n')}`);
  }
  const events = await db.selectFrom('directory_events').select(['id', 'directory_id', 'resource_key', 'event', 'payload']).execute();
  parts.push(`directory_events:${events.map((r) => JSON.stringify(r)).sort().join('\n')}`);
  return parts.join('\n\n');
}

export interface FuzzWorld {
  gh: RunningGatehouse;
  dialect: DialectName;
  dir: TestDirectory;
  userId: string;
  groupId: string;
  clientID: string;
  clientSecret: string;
  rawMetadata: string;
  close(): Promise<void>;
}

/** A Gatehouse with one SAML connection, one directory with a user and a group. */
export async function startFuzzWorld(dialect: DialectName): Promise<FuzzWorld | null> {
  const gh = await startGatehouse({ dialect });
  if (!gh) return null;
  const idp = await createTestIdp({ entityId: 'https://idp.fuzz.test/metadata' });
  const rawMetadata = idp.metadataXml({ ssoUrl: IDP_SSO_URL });
  const conn = await gh.app.inject({
    method: 'POST', url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` },
    payload: { tenant: 'acme.com', product: 'crm', rawMetadata, defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], name: 'Acme' },
  });
  if (conn.statusCode !== 200) throw new Error(`connection: ${conn.statusCode} ${conn.body}`);
  const dir = await createDirectory(gh);
  const scim = scimClient(gh, dir);
  const user = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'alice@acme.com', emails: [{ value: 'alice@acme.com', type: 'work', primary: true }], active: true });
  const group = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', members: [{ value: user.body.id }] });
  if (user.status !== 201 || group.status !== 201) throw new Error(`SCIM setup: ${user.text} ${group.text}`);
  return { gh, dialect, dir, userId: user.body.id, groupId: group.body.id, clientID: conn.json().clientID, clientSecret: conn.json().clientSecret, rawMetadata, close: () => gh.close() };
}

/** A request body: JSON (sent as its text) or raw text that may not be JSON at all. */
type Body = { json: unknown } | { raw: string };
const bodyText = (b: Body) => ('raw' in b ? b.raw : JSON.stringify(b.json) ?? 'null');

/** Mostly near-valid bodies, some arbitrary JSON values, a few that are not JSON. */
const bodies = (near: fc.Arbitrary<unknown>): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 6, arbitrary: near.map((json) => ({ json })) },
    { weight: 2, arbitrary: jsonValue(3).map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('{', '{"a":', '[1,]', '\u0000', '{"tenant":"a"}garbage')).map((raw) => ({ raw })) },
  );

interface Request {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  body?: string;
  headers: Record<string, string>;
}

/** Sends a request and applies the HTTP properties. */
async function check(world: FuzzWorld, req: Request): Promise<Outcome> {
  const send = () => world.gh.app.inject({ method: req.method, url: req.url, headers: req.headers, ...(req.body !== undefined ? { payload: req.body } : {}) });
  const before = await snapshot(world.gh.ctx.db);
  let res;
  try {
    res = await send();
  } catch (err) {
    return { verdict: 'thrown', detail: (err as Error).stack ?? String(err) };
  }
  const summary = `${req.method} ${req.url} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  if (res.statusCode >= 500) return { verdict: 'server-error', detail: summary };
  if (res.statusCode < 400) return { verdict: 'accepted' };
  if ((await snapshot(world.gh.ctx.db)) !== before) return { verdict: 'stored-on-refusal', detail: summary };
  const again = await send();
  if (again.statusCode !== res.statusCode || again.body !== res.body) return { verdict: 'unstable', detail: `${summary}\nthen ${again.statusCode} ${again.body.slice(0, 300)}` };
  return { verdict: 'refused' };
}

const URLISH = fc.constantFrom('', APP_CALLBACK, 'https://app.example.test/other', 'http://127.0.0.1:9/hook', 'https://10.0.0.1/x', 'ftp://x.example', 'not a url', 'http://[::1]/', 'javascript:alert(1)');
const TYPES = fc.constantFrom('generic-scim-v2', 'okta-scim-v2', 'azure-scim-v2', 'google', 'GENERIC-SCIM-V2', '');
const METHOD_BODY = 'near-valid bodies (fields dropped, retyped, unknown fields added) + arbitrary JSON values + non-JSON text';

export function httpTargets(world: FuzzWorld): FuzzTarget<any>[] {
  const api = { authorization: `Api-Key ${API_KEY}`, 'content-type': 'application/json' };
  const scimHeaders = { authorization: `Bearer ${world.dir.secret}`, 'content-type': 'application/scim+json' };
  const scimUrl = (p: string) => `${world.dir.path}${p}`;
  const connection = { tenant: 'acme.com', product: 'crm', rawMetadata: world.rawMetadata, defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], name: 'Acme', description: 'fuzz' };
  const connectionFields = { redirectUrl: fc.oneof(fc.array(URLISH, { maxLength: 3 }), URLISH.map((u) => JSON.stringify([u]))), defaultRedirectUrl: URLISH, encodedRawMetadata: fc.constant(Buffer.from(world.rawMetadata).toString('base64')), rawMetadata: fc.constantFrom(world.rawMetadata.slice(0, 200), '<x/>', world.rawMetadata.replace('IDPSSODescriptor', 'SPSSODescriptor')), tenant: nastyString(), product: nastyString() };
  const body = (name: string, method: 'POST' | 'PATCH', url: string, headers: Record<string, string>, near: fc.Arbitrary<unknown>): FuzzTarget<Body> => ({
    name, method: METHOD_BODY, arbitrary: bodies(near),
    run: (b) => check(world, { method, url, headers, body: bodyText(b) }),
  });
  const filtered = (kind: 'User' | 'Group'): FuzzTarget<{ filter: string; startIndex: number; count: number }> => ({
    name: `GET ${kind === 'User' ? '/Users' : '/Groups'}?filter= (SCIM)`,
    method: `filters from the SCIM filter generator, compiled to SQL on ${world.dialect}; small startIndex/count`,
    arbitrary: fc.record({ filter: scimFilter(kind), startIndex: fc.integer({ min: -2, max: 5 }), count: fc.integer({ min: -1, max: 20 }) }),
    run: ({ filter, startIndex, count }) =>
      check(world, { method: 'GET', url: scimUrl(`/${kind}s?${new URLSearchParams({ filter, startIndex: String(startIndex), count: String(count) })}`), headers: { authorization: scimHeaders.authorization } }),
  });
  return [
    body('POST /api/v1/sso', 'POST', '/api/v1/sso', api, nearValid(connection, connectionFields)),
    body('PATCH /api/v1/sso', 'PATCH', '/api/v1/sso', api, nearValid({ clientID: world.clientID, clientSecret: world.clientSecret, name: 'Renamed', description: 'fuzz', redirectUrl: [APP_CALLBACK], defaultRedirectUrl: APP_CALLBACK }, { ...connectionFields, clientID: fc.constantFrom(world.clientID, 'nope', '') })),
    body('POST /api/v1/dsync', 'POST', '/api/v1/dsync', api, nearValid({ tenant: 'acme.com', product: 'crm', name: 'Fuzz', type: 'generic-scim-v2' }, { type: TYPES, webhook_url: URLISH, webhook_secret: fc.constantFrom('', 'short', 'a-long-enough-webhook-secret-0123'), webhook: fc.record({ endpoint: URLISH, secret: nastyString() }), tenant: nastyString(), product: nastyString() })),
    body('PATCH /api/v1/dsync/:id', 'PATCH', `/api/v1/dsync/${world.dir.id}`, api, nearValid({ name: 'Renamed' }, { type: TYPES, webhook_url: URLISH, webhook_secret: fc.constantFrom('', 'short', 'a-long-enough-webhook-secret-0123'), log_webhook_events: fc.constantFrom(true, 'true', 'yes', 1), tenant: nastyString(), product: nastyString() })),
    body('POST /api/v1/sso/setuplinks', 'POST', '/api/v1/sso/setuplinks', api, nearValid({ tenant: 'acme.com', product: 'crm', name: 'Link', expiryDays: 3, defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] }, { expiryDays: fc.oneof(fc.double(), fc.constantFrom('2', '0.5', '-1', '1e9', 'x')), defaultRedirectUrl: URLISH, redirectUrl: fc.array(URLISH, { maxLength: 3 }) })),
    body('POST /api/v1/dsync/setuplinks', 'POST', '/api/v1/dsync/setuplinks', api, nearValid({ tenant: 'acme.com', product: 'crm', name: 'Link', expiryDays: 3 }, { expiryDays: fc.oneof(fc.double(), fc.constantFrom('2', '0.5', '-1', '1e9', 'x')), webhook_url: URLISH, webhook_secret: fc.constantFrom('', 'short', 'a-long-enough-webhook-secret-0123') })),
    // A fresh userName per input, so that near-valid users are not all refused as duplicates.
    body('POST /Users (SCIM)', 'POST', scimUrl('/Users'), scimHeaders, fc.uuid().chain((u) => nearValid(
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `${u}@acme.com`, name: { givenName: 'Bob', familyName: 'B' }, emails: [{ value: 'bob@acme.com', type: 'work', primary: true }], active: true, externalId: 'ext-1' },
      { userName: nastyString(), active: fc.constantFrom('True', 'false', 'yes', 0, null), emails: fc.array(fc.record({ value: nastyString(), type: fc.constantFrom('work', 'home'), primary: fc.constantFrom(true, 'True', 'x') }), { maxLength: 2 }), displayName: nastyString(), externalId: nastyString() },
    ))),
    body('POST /Groups (SCIM)', 'POST', scimUrl('/Groups'), scimHeaders, nearValid(
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales', members: [{ value: world.userId }] },
      { displayName: nastyString(), members: fc.array(fc.oneof(fc.record({ value: nastyString(), display: nastyString() }), nastyString(), jsonValue(1)), { maxLength: 3 }), externalId: nastyString() },
    )),
    body('PATCH /Users/:id (SCIM)', 'PATCH', scimUrl(`/Users/${world.userId}`), scimHeaders, scimPatchBody('User')),
    body('PATCH /Groups/:id (SCIM)', 'PATCH', scimUrl(`/Groups/${world.groupId}`), scimHeaders, scimPatchBody('Group')),
    filtered('User'),
    filtered('Group'),
  ];
}
