/**
 * Connection versions (issue 14, decision 0020): a draft of the IdP side of a connection (new metadata, a new IdP,
 * another kind, new attribute mapping) is made and tested while the live version keeps serving; promote makes it
 * live and roll back returns to the version before, each in one transaction that copies a version into the
 * serving `connections` row (so the login path reads one row, as before, on every instance). Each step takes the
 * Caller, is audited and announced (`connection.draft_created|draft_promoted|draft_discarded|rolled_back`).
 * Name, redirect URLs and activation are the connection's, not a version's: they change with PATCH as before.
 */
import { connectionSaved } from './upkeep/upkeep.ts';
import * as z from 'zod';
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, connectionVersionsRepo as versions, idpSideOf, type ConnectionRow, type ConnectionVersionRow, type IdpSide } from '../storage/index.ts';
import type { Database } from '../storage/schema.ts';
import { isUniqueViolation, retryOnDeadlock } from '../storage/dialect.ts';
import { parseInput } from '../input/parse-input.ts';
import { constantTimeEqual } from '../crypto/secrets.ts';
import { UpdateConnectionInput } from './connection-input.ts';
import { parseOidcSettings, parseSettings } from './connection-settings.ts';
import { ConnectionView, toApiConnection } from './connection-view.ts';
import { hasSamlMetadata, loadSamlMetadata, samlSettingsFrom, samlSettingsWithOptions } from './saml/idp-source.ts';
import { hasOidcProvider, oidcSettingsFrom, oidcSettingsWithOptions } from './oidc/idp-source.ts';
import { checkConnectionsChangeable } from './connection-guard.ts';
import { announceConnectionEvent, type ConnectionEventType } from './connection-events.ts';
import { authorize, mayChangePortalTrusted, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { idpKeyOf } from './connections.ts';

/** What a draft may hold: the IdP side of the connection (the same field names as PATCH /api/v1/sso). */
export const DraftInput = UpdateConnectionInput.pick({
  clientID: true, clientSecret: true, rawMetadata: true, encodedRawMetadata: true, metadataUrl: true, forceAuthn: true, allowSha1: true,
  allowIdpInitiated: true, wantAuthnRequestsSigned: true, attributeMapping: true, label: true, identifierFormat: true, acsUrlOverride: true,
  samlAudienceOverride: true, oidcDiscoveryUrl: true, oidcMetadata: true, oidcClientId: true, oidcClientSecret: true, oidcScopes: true,
});
export type DraftInput = z.output<typeof DraftInput>;
/** The connection's own fields: refused in a draft rather than dropped, so nothing sent is silently ignored. */
const CONNECTION_FIELDS = ['name', 'description', 'redirectUrl', 'defaultRedirectUrl', 'deactivated', 'sortOrder', 'tenant', 'product'] as const;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The connection as it is with version `v`'s IdP side (what a test of a draft signs in with). */
export const withVersion = (conn: ConnectionRow, v: ConnectionVersionRow): ConnectionRow => ({ ...conn, ...idpSideOf(v), version: v.version, updated_at: v.updated_at });

export function versionView(ctx: AppContext, conn: ConnectionRow, v: ConnectionVersionRow) {
  return {
    clientID: conn.id, version: v.version, status: v.status, replacesVersion: v.replaces_version, createdBy: v.created_by || null,
    createdAt: iso(v.created_at), promotedAt: iso(v.promoted_at), retiredAt: iso(v.retired_at),
    // The live version is what the connection row serves (it may have been edited or refreshed since promote).
    connection: toApiConnection(ctx, v.status === 'live' && v.version === conn.version ? conn : withVersion(conn, v), { includeSecret: false }),
  };
}
export type VersionView = ReturnType<typeof versionView>;

const isoTime = z.string().meta({ format: 'date-time' });
/** `versionView` as a zod view, for the OpenAPI document (decision 0032). */
export const ConnectionVersionView = z.object({
  clientID: z.string(),
  version: z.number().int(),
  status: z.enum(['draft', 'live', 'retired', 'discarded']),
  replacesVersion: z.number().int().nullable().describe('The version that was live when this one was promoted: what a roll back returns to.'),
  createdBy: z.string().nullable(),
  createdAt: isoTime.nullable(),
  promotedAt: isoTime.nullable(),
  retiredAt: isoTime.nullable(),
  connection: ConnectionView.describe('The connection as it is with this version (never a secret).'),
}).meta({ title: 'ConnectionVersion' });

/** What a promote or a roll back answers: the version now live and the one it replaced. */
export const VersionSwitchView = z.object({ clientID: z.string(), version: z.number().int(), previousVersion: z.number().int(), connection: ConnectionView }).meta({ title: 'VersionSwitch' });

/** The live version of a connection that was never versioned, as the version list shows it. */
const liveRecordOf = (conn: ConnectionRow): ConnectionVersionRow => ({
  connection_id: conn.id, version: conn.version, status: 'live', draft_of: null, ...idpSideOf(conn), replaces_version: null,
  created_by: '', created_at: conn.created_at, updated_at: conn.updated_at, promoted_at: null, retired_at: null,
});

const rightsOf = (caller: Caller) => ({ portalTrusted: mayChangePortalTrusted(caller) });
const auditTarget = (row: ConnectionRow) => ({ target: { type: 'sso_connection', id: row.id }, tenant: row.tenant, product: row.product });
const conflict = (detail: string) => new GatehouseError('API_CONFLICT', detail, { field: 'clientID' });

/** The connection `clientID`, for a caller that may act on it; a limited key learns nothing of others (404 after the scope check). */
async function connectionFor(ctx: AppContext, caller: Caller, clientID: unknown, need: 'sso:read' | 'sso:write'): Promise<ConnectionRow> {
  authorize(caller, need);
  if (typeof clientID !== 'string' || !clientID) throw new GatehouseError('API_VALIDATION', '"clientID" is required.', { field: 'clientID' });
  const row = await connectionsRepo.findById(ctx.db, clientID);
  authorize(caller, need, row ?? {});
  if (!row) throw new GatehouseError('API_NOT_FOUND', `No connection with clientID "${clientID}".`, { field: 'clientID' });
  return row;
}

function inTransaction<T>(ctx: AppContext, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return retryOnDeadlock(() => ctx.db.transaction().execute(fn), { attempts: 4, backoffMs: (attempt) => attempt * 10 * Math.random() });
}

async function announce(ctx: AppContext, type: ConnectionEventType, conn: ConnectionRow, data: Record<string, unknown>): Promise<void> {
  await announceConnectionEvent(ctx, { type, tenant: conn.tenant, product: conn.product, connectionId: conn.id, data });
}

const side = (kind: 'saml' | 'oidc', entityId: string, settings: object): IdpSide => ({ kind, idp_entity_id: entityId, idp_key: idpKeyOf(entityId), settings: JSON.stringify(settings) });

/** The draft's IdP side: `base` (the current draft, else the live version) with what the input changes. */
async function draftSide(ctx: AppContext, base: IdpSide, input: DraftInput): Promise<IdpSide> {
  if (hasOidcProvider(input)) {
    const prev = base.kind === 'oidc' ? parseOidcSettings(base.settings) : undefined;
    if (!prev && !input.oidcClientId) throw new GatehouseError('API_VALIDATION', '"oidcClientId" is required for an OIDC connection.', { field: 'oidcClientId' });
    const { settings } = await oidcSettingsFrom(ctx, input, prev);
    return side('oidc', settings.metadata.issuer, settings);
  }
  if (hasSamlMetadata(input)) {
    const md = await loadSamlMetadata(ctx, input);
    const prev = base.kind === 'saml' ? parseSettings(base.settings) : undefined;
    const sameIdp = prev && md.metadata.entityId === base.idp_entity_id;
    return side('saml', md.metadata.entityId, samlSettingsFrom(md.xml, md.metadata, input.metadataUrl ?? (sameIdp ? prev.metadataUrl : null), input, ctx.now(), prev));
  }
  const same = idpSideOf(base);
  if (base.kind === 'oidc') return { ...same, settings: JSON.stringify(oidcSettingsWithOptions(ctx, parseOidcSettings(base.settings), input)) };
  return { ...same, settings: JSON.stringify(samlSettingsWithOptions(parseSettings(base.settings), input)) };
}

async function checkIdpFree(db: Kysely<Database>, conn: ConnectionRow, s: IdpSide): Promise<void> {
  const other = await versions.otherWithIdp(db, conn, s.idp_key);
  if (other) throw conflict(`Connection "${other}" of this tenant and product already uses the IdP "${s.idp_entity_id}": delete that connection, or point the draft at another IdP.`);
}

/** Writes the draft (a new version, or the connection's one draft updated) under the connection's row lock. */
async function saveDraft(ctx: AppContext, caller: Caller, conn: ConnectionRow, s: IdpSide, expected: ConnectionVersionRow | undefined) {
  try {
    return await inTransaction(ctx, async (trx) => {
      const locked = await versions.lockConnection(trx, ctx.dialect, conn.id);
      if (!locked) throw new GatehouseError('API_NOT_FOUND', 'The connection was deleted.', { field: 'clientID' });
      const current = await versions.draftOf(trx, conn.id);
      if ((current?.version ?? null) !== (expected?.version ?? null)) throw conflict('The draft was changed or promoted at the same moment; read it again and retry.');
      const now = ctx.now();
      if (current) {
        const patch = { ...s, updated_at: Math.max(now, current.updated_at + 1) };
        await versions.update(trx, conn.id, current.version, patch);
        return { created: false, draft: { ...current, ...patch } };
      }
      const version = Math.max(await versions.maxVersion(trx, conn.id), locked.version) + 1;
      const draft: ConnectionVersionRow = { connection_id: conn.id, version, status: 'draft', draft_of: conn.id, ...s, replaces_version: null, created_by: caller.label, created_at: now, updated_at: now, promoted_at: null, retired_at: null };
      await versions.insert(trx, draft);
      return { created: true, draft };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('A draft of this connection was created at the same moment; read it and retry.');
    throw err;
  }
}

/** Creates the connection's draft, or changes the one it has (a connection has at most one). */
export async function saveConnectionDraft(ctx: AppContext, caller: Caller, body: unknown): Promise<{ created: boolean; draft: VersionView }> {
  const conn = await connectionFor(ctx, caller, (body as { clientID?: unknown } | null)?.clientID, 'sso:write');
  const sent = CONNECTION_FIELDS.find((f) => (body as Record<string, unknown>)[f] !== undefined);
  if (sent) throw new GatehouseError('API_VALIDATION', `"${sent}" belongs to the connection, not to a version: change it with PATCH /api/v1/sso.`, { field: sent });
  const input = parseInput(DraftInput, body);
  // As PATCH /api/v1/sso: a clientSecret sent must be this connection's.
  if (input.clientSecret !== undefined && !constantTimeEqual(ctx.secrets.decrypt(conn.client_secret_enc), input.clientSecret)) {
    throw new GatehouseError('API_VALIDATION', '"clientSecret" does not match this connection.', { field: 'clientSecret' });
  }
  const existing = await versions.draftOf(ctx.db, conn.id);
  const s = await draftSide(ctx, existing ?? conn, input);
  await checkIdpFree(ctx.db, conn, s);
  const { created, draft } = await saveDraft(ctx, caller, conn, s, existing);
  const view = versionView(ctx, conn, draft);
  await auditChange(ctx, caller, { action: 'sso.connection.draft_created', ...auditTarget(conn), ...(existing ? { before: versionView(ctx, conn, existing) } : {}), after: view });
  await announce(ctx, 'connection.draft_created', conn, { version: draft.version, type: draft.kind, idpEntityId: draft.idp_entity_id, liveVersion: conn.version });
  return { created, draft: view };
}

/** The connection's draft (404 when it has none). */
export async function getConnectionDraft(ctx: AppContext, caller: Caller, clientID: unknown): Promise<VersionView> {
  const conn = await connectionFor(ctx, caller, clientID, 'sso:read');
  const draft = await versions.draftOf(ctx.db, conn.id);
  if (!draft) throw new GatehouseError('API_NOT_FOUND', `Connection "${conn.id}" has no draft.`, { field: 'clientID' });
  return versionView(ctx, conn, draft);
}

/** The draft row itself, for the test flow (setup-links/draft-tests.ts); the caller is checked there. */
export const draftRowOf = (ctx: AppContext, conn: ConnectionRow) => versions.draftOf(ctx.db, conn.id);

export async function discardConnectionDraft(ctx: AppContext, caller: Caller, clientID: unknown): Promise<VersionView> {
  const conn = await connectionFor(ctx, caller, clientID, 'sso:write');
  const draft = await inTransaction(ctx, async (trx) => {
    const d = await versions.draftOf(trx, conn.id);
    if (d) await versions.update(trx, conn.id, d.version, { status: 'discarded', draft_of: null, retired_at: ctx.now() });
    return d;
  });
  if (!draft) throw new GatehouseError('API_NOT_FOUND', `Connection "${conn.id}" has no draft.`, { field: 'clientID' });
  const view = versionView(ctx, conn, { ...draft, status: 'discarded' });
  await auditChange(ctx, caller, { action: 'sso.connection.draft_discarded', ...auditTarget(conn), before: view });
  await announce(ctx, 'connection.draft_discarded', conn, { version: draft.version });
  return view;
}

/** Copies version `to` into the serving row and records what was serving as retired, in the caller's transaction. */
async function serve(trx: Kysely<Database>, conn: ConnectionRow, to: ConnectionVersionRow, now: number, mark: Partial<ConnectionVersionRow>): Promise<ConnectionRow> {
  await checkIdpFree(trx, conn, to);
  await versions.retireServing(trx, conn, now);
  await versions.update(trx, conn.id, to.version, { status: 'live', draft_of: null, promoted_at: now, retired_at: null, ...mark });
  const patch = { ...idpSideOf(to), version: to.version, updated_at: Math.max(now, conn.updated_at + 1) };
  await connectionsRepo.update(trx, conn.id, patch);
  return { ...conn, ...patch };
}

type Switch = { before: ConnectionRow; after: ConnectionRow };

/** Runs a promote or a roll back: the portal-trust guard, then `pick` and `serve` in one transaction, then audit and event. */
async function switchVersion(ctx: AppContext, caller: Caller, clientID: unknown, pick: (trx: Kysely<Database>, conn: ConnectionRow, now: number) => Promise<Switch>) {
  const conn = await connectionFor(ctx, caller, clientID, 'sso:write');
  await checkConnectionsChangeable(ctx, [conn.id], rightsOf(caller));
  return inTransaction(ctx, async (trx) => {
    const locked = await versions.lockConnection(trx, ctx.dialect, conn.id);
    if (!locked) throw new GatehouseError('API_NOT_FOUND', 'The connection was deleted.', { field: 'clientID' });
    return pick(trx, locked, ctx.now());
  });
}

async function settled(ctx: AppContext, caller: Caller, s: Switch, action: string, type: ConnectionEventType) {
  // The version now serving was read when it was drafted: its refresh schedule and certificate checks start from it (decision 0019).
  await connectionSaved(ctx, s.after, { fetched: true });
  const view = (row: ConnectionRow) => toApiConnection(ctx, row, { includeSecret: false });
  await auditChange(ctx, caller, { action, ...auditTarget(s.after), before: { version: s.before.version, ...view(s.before) }, after: { version: s.after.version, ...view(s.after) } });
  await announce(ctx, type, s.after, { version: s.after.version, previousVersion: s.before.version, type: s.after.kind, idpEntityId: s.after.idp_entity_id });
  return { clientID: s.after.id, version: s.after.version, previousVersion: s.before.version, connection: view(s.after) };
}

/** Makes the draft live. `version`, when given, must be the draft's (so what was tested is what goes live). */
export async function promoteConnectionDraft(ctx: AppContext, caller: Caller, body: { clientID?: unknown; version?: unknown }) {
  if (body.version !== undefined && !Number.isInteger(Number(body.version))) throw new GatehouseError('API_VALIDATION', '"version" must be a version number.', { field: 'version' });
  const s = await switchVersion(ctx, caller, body.clientID, async (trx, conn, now) => {
    const draft = await versions.draftOf(trx, conn.id);
    if (!draft) throw conflict(`Connection "${conn.id}" has no draft to promote.`);
    if (body.version !== undefined && Number(body.version) !== draft.version) throw conflict(`The draft is version ${draft.version}, not ${String(body.version)}: it changed after you read it.`);
    return { before: conn, after: await serve(trx, conn, draft, now, { replaces_version: conn.version }) };
  });
  return settled(ctx, caller, s, 'sso.connection.draft_promoted', 'connection.draft_promoted');
}

/** Returns to the version the live one replaced (again and again, down the chain of promotes). */
export async function rollBackConnection(ctx: AppContext, caller: Caller, body: { clientID?: unknown }) {
  const s = await switchVersion(ctx, caller, body.clientID, async (trx, conn, now) => {
    const live = await versions.find(trx, conn.id, conn.version);
    const previous = live?.status === 'live' && live.replaces_version !== null ? await versions.find(trx, conn.id, live.replaces_version) : undefined;
    if (!previous || previous.status !== 'retired') throw conflict(`Connection "${conn.id}" has no earlier version to roll back to.`);
    return { before: conn, after: await serve(trx, conn, previous, now, {}) };
  });
  return settled(ctx, caller, s, 'sso.connection.rolled_back', 'connection.rolled_back');
}

/** Every version of a connection, newest first: the draft, the live one, and those it replaced. */
export async function listConnectionVersions(ctx: AppContext, caller: Caller, clientID: unknown): Promise<VersionView[]> {
  const conn = await connectionFor(ctx, caller, clientID, 'sso:read');
  const rows = await versions.list(ctx.db, conn.id);
  if (!rows.some((v) => v.version === conn.version)) rows.push(liveRecordOf(conn));
  return rows.sort((a, b) => b.version - a.version).map((v) => versionView(ctx, conn, v));
}
