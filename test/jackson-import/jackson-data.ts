/**
 * Lets the real SAML Jackson (`@boxyhq/saml-jackson`, a devDependency) create its data on SQLite or PostgreSQL:
 * a SAML and an OIDC connection, a product, SSO and Directory Sync setup links (one expired), and a directory
 * with a webhook whose users, groups and memberships arrive through Jackson's own SCIM handling.
 * Jackson keeps module-level state (its certificate cache, its data source), so each run is a child process
 * (`jacksonDataInChild`), which also closes every connection Jackson opened when it exits.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';

process.env.DO_NOT_TRACK = '1';
process.env.BOXYHQ_NO_ANALYTICS = '1';

export const JACKSON_EXTERNAL_URL = 'https://jackson.example.test';
export const JACKSON_AUDIENCE = 'https://saml.boxyhq.com';
export const TENANT = 'acme.com';
export const PRODUCT = 'crm';
export const APP_CALLBACK = 'https://app.example.test/callback';
export const WEBHOOK_URL = 'http://127.0.0.1:9/webhook';
export const WEBHOOK_SECRET = 'jackson-webhook-secret-0123456789';

export interface JacksonData {
  encryptionKey: string;
  idp: TestIdp;
  saml: { clientID: string; clientSecret: string };
  oidc: { clientID: string; clientSecret: string };
  directory: { id: string; secret: string; path: string };
  users: { id: string; userName: string }[];
  group: { id: string; displayName: string };
  ssoLinkToken: string;
  dsyncLinkToken: string;
  /** The SP certificate Jackson made and keeps in its store. */
  spCertPem: string;
}

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/** Runs Jackson on `db` (`{type: 'sqlite', url: <file>}` or `{type: 'postgres', url}`), creates everything, closes it. */
export async function createJacksonData(db: { type: 'sqlite' | 'postgres' | 'mysql'; url: string }, oidcIssuer: string): Promise<JacksonData> {
  const J = (await import('@boxyhq/saml-jackson')) as any;
  const jackson = J.default.default ?? J.default;
  const encryptionKey = randomBytes(24).toString('base64'); // 32 characters: Jackson reads it as 32 latin1 bytes
  const silent = { info: () => {}, error: () => {}, warn: () => {} };
  const j = await jackson({
    externalUrl: JACKSON_EXTERNAL_URL, samlPath: '/api/oauth/saml', oidcPath: '/api/oauth/oidc', samlAudience: JACKSON_AUDIENCE, scimPath: '/api/scim/v2.0',
    db: { engine: 'sql', type: db.type, url: db.url, encryptionKey }, noAnalytics: true, boxyhqLicenseKey: 'dummy-license', logger: silent,
  });
  try {
    const idp = await createTestIdp();
    const saml = await j.connectionAPIController.createSAMLConnection({
      tenant: TENANT, product: PRODUCT, name: 'Acme Okta', defaultRedirectUrl: APP_CALLBACK, redirectUrl: JSON.stringify([APP_CALLBACK]),
      rawMetadata: idp.metadataXml({ ssoUrl: 'https://idp.example.test/sso' }),
    });
    const oidc = await j.connectionAPIController.createOIDCConnection({
      tenant: TENANT, product: PRODUCT, name: 'Acme OIDC', defaultRedirectUrl: APP_CALLBACK, redirectUrl: JSON.stringify([APP_CALLBACK]),
      oidcClientId: 'upstream-client', oidcClientSecret: 'upstream-secret',
      oidcMetadata: { issuer: oidcIssuer, authorization_endpoint: `${oidcIssuer}/auth`, token_endpoint: `${oidcIssuer}/token`, jwks_uri: `${oidcIssuer}/jwks`, userinfo_endpoint: `${oidcIssuer}/me` },
    });
    await j.productController.upsert({ id: PRODUCT, name: 'Acme CRM' });
    const { data: dir, error } = await j.directorySyncController.directories.create({ tenant: TENANT, product: PRODUCT, name: 'Acme SCIM', webhook_url: WEBHOOK_URL, webhook_secret: WEBHOOK_SECRET });
    if (error) throw new Error(`Jackson directory: ${error.message}`);
    const scim = (method: string, resourceType: string, body?: unknown, resourceId?: string) =>
      j.directorySyncController.requests.handle({ method, resourceType, directoryId: dir.id, apiSecret: dir.scim.secret, body, resourceId, query: {} }, async () => {});
    const users = [];
    for (const [given, family] of [['Alice', 'Liddell'], ['Bob', 'Builder']]) {
      const userName = `${given.toLowerCase()}@acme.com`;
      const res = await scim('POST', 'users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, name: { givenName: given, familyName: family }, emails: [{ value: userName, primary: true }], active: true });
      if (res.status !== 201) throw new Error(`Jackson SCIM user: ${res.status} ${JSON.stringify(res.data)}`);
      users.push({ id: res.data.id as string, userName });
    }
    const g = await scim('POST', 'groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineers', members: [] });
    if (g.status !== 201) throw new Error(`Jackson SCIM group: ${g.status} ${JSON.stringify(g.data)}`);
    const patch = await scim('PATCH', 'groups', { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: users.map((u) => ({ value: u.id })) }] }, g.data.id);
    if (patch.status >= 300) throw new Error(`Jackson SCIM members: ${patch.status} ${JSON.stringify(patch.data)}`);
    const ssoLink = await j.setupLinkController.create({ tenant: TENANT, product: PRODUCT, service: 'sso', name: 'Acme SSO', defaultRedirectUrl: APP_CALLBACK, redirectUrl: JSON.stringify([APP_CALLBACK]), expiryDays: 3 });
    const dsyncLink = await j.setupLinkController.create({ tenant: TENANT, product: PRODUCT, service: 'dsync', name: 'Acme SCIM link', webhook_url: WEBHOOK_URL, webhook_secret: WEBHOOK_SECRET, expiryDays: 3 });
    // An expired link (another tenant): it must not be imported.
    await j.setupLinkController.create({ tenant: 'gone.com', product: PRODUCT, service: 'sso', name: 'Old', defaultRedirectUrl: APP_CALLBACK, redirectUrl: JSON.stringify([APP_CALLBACK]), expiryDays: 0.000001 });
    const spCertPem = (await j.spConfig.get()).publicKey as string;
    return {
      encryptionKey, idp,
      saml: { clientID: saml.clientID, clientSecret: saml.clientSecret },
      oidc: { clientID: oidc.clientID, clientSecret: oidc.clientSecret },
      directory: { id: dir.id, secret: dir.scim.secret, path: dir.scim.path },
      users, group: { id: g.data.id, displayName: 'Engineers' },
      ssoLinkToken: tokenOf(ssoLink.url), dsyncLinkToken: tokenOf(dsyncLink.url), spCertPem,
    };
  } finally {
    await j.close();
  }
}

/** Runs `createJacksonData` in a child process and returns what it made (the IdP without its metadata writer). */
export function jacksonDataInChild(db: { type: 'sqlite' | 'postgres' | 'mysql'; url: string }, oidcIssuer: string): JacksonData {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), JSON.stringify({ db, oidcIssuer })], { encoding: 'utf8', timeout: 120_000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('JACKSON_DATA '));
  if (r.status !== 0 || !line) throw new Error(`Jackson did not create its data (${r.status}): ${r.stderr}${r.stdout}`);
  const data = JSON.parse(line.slice('JACKSON_DATA '.length)) as JacksonData;
  const idp = data.idp;
  return { ...data, idp: { ...idp, metadataXml: () => { throw new Error('not in the child'); } } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { db, oidcIssuer } = JSON.parse(process.argv[2]!) as { db: { type: 'sqlite' | 'postgres' | 'mysql'; url: string }; oidcIssuer: string };
  const data = await createJacksonData(db, oidcIssuer);
  process.stdout.write(`JACKSON_DATA ${JSON.stringify(data)}\n`);
  process.exit(0);
}
