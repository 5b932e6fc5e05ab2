/**
 * Jackson's store rows as typed plain records (pure): SAML and OIDC connections with their clientID and
 * clientSecret, the SP key and certificate, products, setup links (with the token from their URL), directories
 * with their SCIM and webhook secrets, users, groups and memberships, each tied to its directory.
 */
import { keyDigest, type JacksonStoreDump } from './jackson-store.ts';

interface ConnectionBase {
  clientID: string;
  clientSecret: string;
  tenant: string;
  product: string;
  name: string;
  label: string | null;
  description: string;
  defaultRedirectUrl: string;
  redirectUrl: string[];
  sortOrder: number | null;
  deactivated: boolean;
  createdAt: number | null;
}

export interface JacksonSamlConnection extends ConnectionBase {
  kind: 'saml';
  metadataUrl: string | null;
  forceAuthn: boolean;
  identifierFormat: string | null;
  acsUrlOverride: string | null;
  samlAudienceOverride: string | null;
  idp: { entityID: string; ssoPostUrl: string | null; ssoRedirectUrl: string | null; sloPostUrl: string | null; sloRedirectUrl: string | null; certificates: string[] };
}

export interface JacksonOidcConnection extends ConnectionBase {
  kind: 'oidc';
  oidc: { clientId: string; clientSecret: string | null; discoveryUrl: string | null; metadata: Record<string, unknown> | null };
}

export type JacksonConnection = JacksonSamlConnection | JacksonOidcConnection;

export interface JacksonDirectory {
  id: string;
  tenant: string;
  product: string;
  name: string;
  type: string;
  webhookUrl: string;
  webhookSecret: string;
  scimPath: string;
  scimSecret: string;
  logWebhookEvents: boolean;
  deactivated: boolean;
  createdAt: number | null;
}

export interface JacksonUser { id: string; directoryId: string; raw: Record<string, unknown> }
export interface JacksonGroup { id: string; directoryId: string; name: string; raw: Record<string, unknown> }
export interface JacksonMembership { directoryId: string; groupId: string; userId: string }
export interface JacksonProduct { id: string; name: string | null }

export interface JacksonSetupLink {
  setupID: string;
  service: 'sso' | 'dsync';
  tenant: string;
  product: string;
  name: string;
  description: string;
  validTill: number;
  token: string;
  defaultRedirectUrl: string | null;
  redirectUrl: string[];
  webhookUrl: string | null;
  webhookSecret: string | null;
}

export interface JacksonRecords {
  connections: JacksonConnection[];
  spKey: { certPem: string; privateKeyPem: string } | null;
  products: JacksonProduct[];
  setupLinks: JacksonSetupLink[];
  directories: JacksonDirectory[];
  users: JacksonUser[];
  groups: JacksonGroup[];
  memberships: JacksonMembership[];
  /** Records that could not be read as what their namespace holds, for the report. */
  unreadable: string[];
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Jackson keeps redirect URLs as an array, or (setup links) as the JSON-array string it was given. */
function urlList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((u): u is string => typeof u === 'string');
  if (typeof v !== 'string' || !v.trim()) return [];
  try {
    return urlList(JSON.parse(v));
  } catch {
    return [v];
  }
}

function connectionOf(v: Obj, createdAt: number | null): JacksonConnection | null {
  const clientID = str(v.clientID);
  const clientSecret = str(v.clientSecret);
  const tenant = str(v.tenant);
  const product = str(v.product);
  if (!clientID || !clientSecret || !tenant || !product) return null;
  const base: ConnectionBase = {
    clientID, clientSecret, tenant, product, createdAt,
    name: str(v.name) ?? '', label: str(v.label), description: str(v.description) ?? '',
    defaultRedirectUrl: str(v.defaultRedirectUrl) ?? '', redirectUrl: urlList(v.redirectUrl),
    sortOrder: typeof v.sortOrder === 'number' && Number.isInteger(v.sortOrder) ? v.sortOrder : null,
    deactivated: v.deactivated === true || v.deactivated === 'true',
  };
  if (v.oidcProvider) {
    const p = obj(v.oidcProvider);
    const clientId = str(p.clientId);
    if (!clientId) return null;
    return { ...base, kind: 'oidc', oidc: { clientId, clientSecret: str(p.clientSecret), discoveryUrl: str(p.discoveryUrl), metadata: p.metadata ? obj(p.metadata) : null } };
  }
  const md = obj(v.idpMetadata);
  const entityID = str(md.entityID);
  if (!entityID) return null;
  const sso = obj(md.sso);
  const slo = obj(md.slo);
  // Jackson keeps the parsed metadata, not the XML: the signing certificate(s) as base64 DER in `publicKey`.
  const certificates = (str(md.publicKey) ?? '').split(',').map((c) => c.replace(/\s+/g, '')).filter(Boolean);
  return {
    ...base, kind: 'saml',
    metadataUrl: str(v.metadataUrl), forceAuthn: v.forceAuthn === true || v.forceAuthn === 'true',
    identifierFormat: str(v.identifierFormat), acsUrlOverride: str(v.acsUrlOverride), samlAudienceOverride: str(v.samlAudienceOverride),
    idp: { entityID, ssoPostUrl: str(sso.postUrl), ssoRedirectUrl: str(sso.redirectUrl), sloPostUrl: str(slo.postUrl), sloRedirectUrl: str(slo.redirectUrl), certificates },
  };
}

function setupLinkOf(v: Obj): JacksonSetupLink | null {
  const url = str(v.url);
  const service = v.service === 'sso' || v.service === 'dsync' ? v.service : null;
  const setupID = str(v.setupID);
  if (!url || !service || !setupID || !str(v.tenant) || !str(v.product) || typeof v.validTill !== 'number') return null;
  return {
    setupID, service, tenant: v.tenant as string, product: v.product as string, name: str(v.name) ?? '', description: str(v.description) ?? '',
    validTill: Math.floor(v.validTill), token: url.slice(url.lastIndexOf('/') + 1),
    defaultRedirectUrl: str(v.defaultRedirectUrl), redirectUrl: urlList(v.redirectUrl),
    webhookUrl: str(v.webhook_url), webhookSecret: str(v.webhook_secret),
  };
}

function directoryOf(v: Obj, createdAt: number | null): JacksonDirectory | null {
  const id = str(v.id);
  if (!id || !str(v.tenant) || !str(v.product)) return null;
  const scim = obj(v.scim);
  const webhook = obj(v.webhook);
  return {
    id, tenant: v.tenant as string, product: v.product as string, name: str(v.name) ?? '', type: str(v.type) ?? 'generic-scim-v2',
    webhookUrl: str(webhook.endpoint) ?? '', webhookSecret: str(webhook.secret) ?? '',
    scimPath: str(scim.path) ?? '', scimSecret: str(scim.secret) ?? '',
    logWebhookEvents: v.log_webhook_events === true, deactivated: v.deactivated === true, createdAt,
  };
}

/** Groups keep no directory id in their value (nor did users in older Jackson): Jackson's `directoryId` index names it. */
function directoriesByIndex(dump: JacksonStoreDump, directories: JacksonDirectory[], kind: 'groups' | 'users'): Map<string, string> {
  const byStoreKey = new Map<string, string>();
  for (const d of directories) {
    const ns = `dsync:${kind}:${d.tenant}:${d.product}`;
    for (const storeKey of dump.index.get(`${ns}:directoryId:${keyDigest(d.id)}`) ?? []) byStoreKey.set(storeKey, d.id);
  }
  return byStoreKey;
}

/** The typed records of a Jackson store dump. */
export function recordsOf(dump: JacksonStoreDump): JacksonRecords {
  const out: JacksonRecords = { connections: [], spKey: null, products: [], setupLinks: [], directories: [], users: [], groups: [], memberships: [], unreadable: [] };
  const of = (ns: string) => dump.rows.filter((r) => r.namespace === ns);
  const bad = (ns: string, key: string) => out.unreadable.push(`${ns} ${key}`);
  for (const r of of('saml:config')) {
    const c = connectionOf(obj(r.value), r.createdAt);
    if (c) out.connections.push(c);
    else bad(r.namespace, r.key);
  }
  const cert = dump.rows.find((r) => r.namespace === 'x509:certificates' && r.key === `x509:certificates:${keyDigest('default')}`);
  if (cert) {
    const v = obj(cert.value);
    if (str(v.publicKey) && str(v.privateKey)) out.spKey = { certPem: v.publicKey as string, privateKeyPem: v.privateKey as string };
  }
  for (const r of of('product:config')) {
    const v = obj(r.value);
    if (str(v.id)) out.products.push({ id: v.id as string, name: str(v.name) });
    else bad(r.namespace, r.key);
  }
  for (const r of of('setup:link')) {
    const l = setupLinkOf(obj(r.value));
    if (l) out.setupLinks.push(l);
    else bad(r.namespace, r.key);
  }
  for (const r of of('dsync:config')) {
    const d = directoryOf(obj(r.value), r.createdAt);
    if (d) out.directories.push(d);
    else bad(r.namespace, r.key);
  }
  const groupDir = directoriesByIndex(dump, out.directories, 'groups');
  const userDir = directoriesByIndex(dump, out.directories, 'users');
  const groupById = new Map<string, JacksonGroup>();
  for (const r of dump.rows.filter((x) => x.namespace.startsWith('dsync:groups:'))) {
    const v = obj(r.value);
    const directoryId = groupDir.get(r.key);
    if (!str(v.id) || !directoryId) bad(r.namespace, r.key);
    else {
      const g = { id: v.id as string, directoryId, name: str(v.name) ?? '', raw: obj(v.raw) };
      out.groups.push(g);
      groupById.set(g.id, g);
    }
  }
  for (const r of dump.rows.filter((x) => x.namespace.startsWith('dsync:users:'))) {
    const v = obj(r.value);
    const directoryId = str(v.directoryId) ?? userDir.get(r.key);
    if (str(v.id) && directoryId) out.users.push({ id: v.id as string, directoryId, raw: obj(v.raw) });
    else bad(r.namespace, r.key);
  }
  for (const r of dump.rows.filter((x) => x.namespace.startsWith('dsync:members:'))) {
    const v = obj(r.value);
    const group = groupById.get(String(v.group_id));
    if (group && str(v.user_id)) out.memberships.push({ directoryId: group.directoryId, groupId: group.id, userId: v.user_id as string });
    else bad(r.namespace, r.key);
  }
  return out;
}
