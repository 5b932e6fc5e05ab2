/**
 * The import plan (pure): Jackson's records against what Gatehouse already holds → for each record, create or
 * skip (and why). Records Gatehouse already has are skipped, which makes the import idempotent; the same plan,
 * printed before anything is written, is the `--dry-run` report. The clock is an input.
 */
import type { JacksonConnection, JacksonDirectory, JacksonGroup, JacksonMembership, JacksonProduct, JacksonRecords, JacksonSetupLink, JacksonUser } from './records.ts';

/** What Gatehouse holds that the plan compares with (read by `gatehouseState` in writer.ts). */
export interface GatehouseState {
  /** Gatehouse's own SP entity ID (SAML_SP_ENTITY_ID). */
  spEntityId: string;
  /** Certificates (PEM) of the active SP keys. */
  spCertPems: string[];
  samlConnectionIds: Set<string>;
  connectionIds: Set<string>;
  productIds: Set<string>;
  directoryIds: Set<string>;
  /** `<directoryId>/<id>` */
  userKeys: Set<string>;
  groupKeys: Set<string>;
  /** `<directoryId>/<groupId>/<userId>` */
  memberKeys: Set<string>;
  setupLinkIds: Set<string>;
  /** `<service>:<tenant>:<product>` of links that are still valid. */
  liveSetupLinkScopes: Set<string>;
}

export interface PlanOptions {
  now: number;
  /** Jackson's SAML_AUDIENCE (its SP entity ID), which Jackson's IdPs put in assertions. */
  samlAudience: string;
  /** Import even though Gatehouse already signs with its own SP key for SAML connections of its own. */
  keepSpKey: boolean;
}

export type Step<T> = { record: T; action: 'create' } | { record: T; action: 'skip'; reason: string };

export interface ImportPlan {
  spKey: Step<{ certPem: string; privateKeyPem: string }> | null;
  /** Set when the import must not run at all (nothing is written). */
  refusal: string | null;
  products: Step<JacksonProduct>[];
  connections: Step<JacksonConnection>[];
  /** The Audience imported SAML connections answer to (their `samlAudienceOverride` unless Jackson set one); null: Gatehouse's own. */
  audienceOverride: string | null;
  directories: Step<JacksonDirectory>[];
  users: Step<JacksonUser>[];
  groups: Step<JacksonGroup>[];
  memberships: Step<JacksonMembership>[];
  setupLinks: Step<JacksonSetupLink>[];
  warnings: string[];
}

/** Jackson's SCIM path for a directory (its default `scimPath`), which Gatehouse serves. */
export const scimPathOf = (directoryId: string) => `/api/scim/v2.0/${directoryId}`;
const pemBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
const create = <T>(record: T): Step<T> => ({ record, action: 'create' });
const skip = <T>(record: T, reason: string): Step<T> => ({ record, action: 'skip', reason });
const ALREADY = 'already in Gatehouse';

function planSpKey(r: JacksonRecords, s: GatehouseState, o: PlanOptions): { step: Step<{ certPem: string; privateKeyPem: string }> | null; refusal: string | null; warning: string | null } {
  if (!r.spKey) return { step: null, refusal: null, warning: null };
  if (s.spCertPems.some((p) => pemBody(p) === pemBody(r.spKey!.certPem))) return { step: skip(r.spKey, 'already Gatehouse\'s SP key'), refusal: null, warning: null };
  const jacksonIds = new Set(r.connections.map((c) => c.clientID));
  const own = [...s.samlConnectionIds].filter((id) => !jacksonIds.has(id));
  if (own.length === 0) return { step: create(r.spKey), refusal: null, warning: null };
  const why = `Gatehouse already has ${own.length} SAML connection(s) of its own whose IdPs know Gatehouse's SP certificate`;
  if (o.keepSpKey) {
    return { step: skip(r.spKey, `${why} (--keep-sp-key)`), refusal: null, warning: `Jackson's SP key was not imported (${why}): IdPs of imported connections that check signed AuthnRequests or encrypt assertions must be given Gatehouse's SP certificate (/.well-known/saml.cer).` };
  }
  return { step: null, refusal: `${why}; importing Jackson's SP key would change it for them. Run with --keep-sp-key to import everything else and keep Gatehouse's SP key (then give the imported IdPs Gatehouse's certificate), or import into a Gatehouse without SAML connections.`, warning: null };
}

function planDirectories(r: JacksonRecords, s: GatehouseState, warnings: string[]): Step<JacksonDirectory>[] {
  return r.directories.map((d) => {
    if (s.directoryIds.has(d.id)) return skip(d, ALREADY);
    if (d.type === 'google') return skip(d, 'Google Workspace directories are not supported by Gatehouse yet');
    if (d.scimPath && d.scimPath !== scimPathOf(d.id)) warnings.push(`Directory ${d.id}: Jackson served SCIM at ${d.scimPath}; Gatehouse serves ${scimPathOf(d.id)} (point the IdP there, or route the old path to it).`);
    if (d.webhookSecret && Buffer.byteLength(d.webhookSecret) < 16) warnings.push(`Directory ${d.id}: its webhook secret is shorter than 16 bytes; it was kept so the app's signature checks still pass, but rotate it.`);
    return create(d);
  });
}

function planUsers(r: JacksonRecords, s: GatehouseState, importable: Set<string>): Step<JacksonUser>[] {
  return r.users.map((u) => {
    if (!importable.has(u.directoryId)) return skip(u, 'its directory is not imported');
    return s.userKeys.has(`${u.directoryId}/${u.id}`) ? skip(u, ALREADY) : create(u);
  });
}

function planSetupLinks(r: JacksonRecords, s: GatehouseState, o: PlanOptions): Step<JacksonSetupLink>[] {
  return r.setupLinks.map((l) => {
    if (l.validTill <= o.now) return skip(l, 'expired');
    if (s.setupLinkIds.has(l.setupID)) return skip(l, ALREADY);
    if (s.liveSetupLinkScopes.has(`${l.service}:${l.tenant}:${l.product}`)) return skip(l, `Gatehouse already has a live ${l.service} setup link for ${l.tenant} / ${l.product}`);
    if (l.service === 'sso' && !l.defaultRedirectUrl && l.redirectUrl.length === 0) return skip(l, 'it has no redirect URL');
    return create(l);
  });
}

/** The plan: what the import creates, what it skips and why, and whether it must refuse. */
export function planImport(r: JacksonRecords, s: GatehouseState, o: PlanOptions): ImportPlan {
  const warnings = r.unreadable.map((k) => `Skipped a Jackson record that could not be read: ${k}`);
  const sp = planSpKey(r, s, o);
  if (sp.warning) warnings.push(sp.warning);
  const directories = planDirectories(r, s, warnings);
  const importable = new Set([...s.directoryIds, ...directories.filter((d) => d.action === 'create').map((d) => d.record.id)]);
  const audienceOverride = o.samlAudience === s.spEntityId ? null : o.samlAudience;
  return {
    spKey: sp.step,
    refusal: sp.refusal,
    products: r.products.map((p) => (s.productIds.has(p.id) ? skip(p, ALREADY) : create(p))),
    connections: r.connections.map((c) => (s.connectionIds.has(c.clientID) ? skip(c, ALREADY) : create(c))),
    audienceOverride,
    directories,
    users: planUsers(r, s, importable),
    groups: r.groups.map((g) => (!importable.has(g.directoryId) ? skip(g, 'its directory is not imported') : s.groupKeys.has(`${g.directoryId}/${g.id}`) ? skip(g, ALREADY) : create(g))),
    memberships: r.memberships.map((m) => (!importable.has(m.directoryId) ? skip(m, 'its directory is not imported') : s.memberKeys.has(`${m.directoryId}/${m.groupId}/${m.userId}`) ? skip(m, ALREADY) : create(m))),
    setupLinks: planSetupLinks(r, s, o),
    warnings,
  };
}
