/**
 * Scheduled refresh of connections made from a metadata URL (SAML) or a discovery URL (OIDC), on every instance
 * (docs/decisions/0019-metadata-refresh.md). A round takes the connections that are due, claims each under a lease
 * (one instance per connection per period), fetches it through the outbound guard with If-None-Match /
 * If-Modified-Since, and either applies the new metadata or keeps the last good one and records why.
 * Each refresh is a short pipeline: fetchCurrent → readFetched → record, then announce.
 */
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { fetchDocument, outboundPolicyOf, type FetchedDocument } from '../../net/outbound.ts';
import { connectionsRepo, type ConnectionRow } from '../../storage/index.ts';
import { metadataRefreshRepo, updateConnectionSettingsIfUnchanged, type MetadataRefreshRow } from '../../storage/repositories/connection-upkeep.ts';
import { announceConnectionEvent } from '../connection-events.ts';
import { parseOidcSettings, parseSettings, type ConnectionSettings } from '../connection-settings.ts';
import { parseIdpMetadata } from '../saml/idp-metadata.ts';
import { samlSettingsFrom } from '../saml/idp-source.ts';
import { loadOidcProvider } from '../oidc/provider.ts';
import { oidcMetadataChanges, samlMetadataChanges, type MetadataChanges } from './metadata-changes.ts';
import { nextRefreshAfterFailure, nextRefreshAfterSuccess } from './refresh-timing.ts';
import { checkCertificateExpiry } from './certificate-expiry.ts';
import { auditChange } from '../../policy/audit.ts';

/** Who changes a connection when its metadata URL does. */
const REFRESH = { type: 'system' as const, id: 'system' as const, label: 'Metadata refresh' };

const BATCH = 50;
const MAX_BATCHES = 20;

export type RefreshOutcome = 'changed' | 'unchanged' | 'failed' | 'skipped';

/** The URL a connection is refreshed from, or null when it was made from pasted metadata. */
export function refreshUrlOf(row: ConnectionRow): string | null {
  if (row.kind === 'saml') return parseSettings(row.settings).metadataUrl;
  const url = parseOidcSettings(row.settings).discoveryUrl;
  if (!url) return null;
  return url.includes('/.well-known/') ? url : `${url.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * After a connection is saved: when the save fetched its URL, the next fetch is a period from now; a save of options
 * only keeps the schedule (and its validators). A connection without a URL any more is no longer refreshed.
 */
export async function scheduleRefreshOf(ctx: AppContext, row: ConnectionRow, opts: { fetched: boolean }): Promise<void> {
  if (refreshUrlOf(row) === null) return metadataRefreshRepo.forget(ctx.db, row.id);
  const nextRefreshAt = ctx.now() + ctx.config.METADATA_REFRESH_SECONDS * 1000;
  if (opts.fetched) await metadataRefreshRepo.schedule(ctx.db, row.id, { nextRefreshAt, etag: null, lastModified: null });
  else await metadataRefreshRepo.ensure(ctx.db, row.id, nextRefreshAt);
}

/** One round: refresh every due connection this instance can claim. Returns the outcome of each connection it claimed. */
export async function refreshDueMetadata(ctx: AppContext): Promise<Record<string, RefreshOutcome>> {
  const outcomes: Record<string, RefreshOutcome> = {};
  // Batch after batch while they come full (at most MAX_BATCHES a round, so a connection made due again at once cannot hold the round).
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const due = await metadataRefreshRepo.due(ctx.db, ctx.now(), BATCH);
    await refreshEach(ctx, due, outcomes);
    if (due.length < BATCH) break;
  }
  return outcomes;
}

async function refreshEach(ctx: AppContext, due: string[], outcomes: Record<string, RefreshOutcome>): Promise<void> {
  const leaseMs = Math.max(60_000, 3 * ctx.config.OUTBOUND_TIMEOUT_MS);
  for (const id of due) {
    const now = ctx.now();
    if (!(await metadataRefreshRepo.claim(ctx.db, id, now, now + leaseMs))) continue;
    const schedule = await metadataRefreshRepo.find(ctx.db, id);
    try {
      outcomes[id] = schedule ? await refreshOne(ctx, schedule) : 'skipped';
    } catch (err) {
      // A database error mid-way: release the claim and try again later; the connection keeps its metadata.
      ctx.log.warn({ err, connectionId: id }, 'metadata refresh failed');
      await metadataRefreshRepo.settle(ctx.db, id, { nextRefreshAt: nextRefreshAfterFailure(now, ctx.config.METADATA_REFRESH_SECONDS * 1000), etag: schedule?.etag ?? null, lastModified: schedule?.last_modified ?? null });
      outcomes[id] = 'failed';
    }
  }
}

type Fetched = { ok: true; doc: FetchedDocument } | { ok: false; reason: string };
type Read = { ok: true; settings: ConnectionSettings | null; changes: MetadataChanges | null; validUntil: number | null; cacheDurationMs: number | null } | { ok: false; reason: string };

async function refreshOne(ctx: AppContext, schedule: MetadataRefreshRow): Promise<RefreshOutcome> {
  const row = await connectionsRepo.findById(ctx.db, schedule.connection_id);
  const url = row ? refreshUrlOf(row) : null;
  if (!row || !url) {
    await metadataRefreshRepo.forget(ctx.db, schedule.connection_id);
    return 'skipped';
  }
  const fetched = await fetchCurrent(ctx, url, schedule, row.kind === 'saml' ? 'metadataUrl' : 'oidcDiscoveryUrl');
  const read = fetched.ok ? await readFetched(ctx, row, url, fetched.doc) : fetched;
  return read.ok ? recordSuccess(ctx, row, schedule, fetched.ok ? fetched.doc : null, read) : recordFailure(ctx, row, schedule, read.reason);
}

/** The document, or 304 when the validators still hold; a refusal or an HTTP failure is a reason, never a throw. */
async function fetchCurrent(ctx: AppContext, url: string, schedule: MetadataRefreshRow, field: string): Promise<Fetched> {
  const headers: Record<string, string> = {};
  if (schedule.etag) headers['if-none-match'] = schedule.etag;
  if (schedule.last_modified) headers['if-modified-since'] = schedule.last_modified;
  try {
    return { ok: true, doc: await fetchDocument(url, outboundPolicyOf(ctx.config), field, { headers, maxBytes: 5 * 1024 * 1024 }) };
  } catch (err) {
    if (err instanceof GatehouseError) return { ok: false, reason: err.message };
    throw err;
  }
}

/** New settings from the fetched document, kept only when it is the same IdP; null settings for a 304. */
async function readFetched(ctx: AppContext, row: ConnectionRow, url: string, doc: FetchedDocument): Promise<Read> {
  if (doc.status === 304) return { ok: true, settings: null, changes: null, validUntil: null, cacheDurationMs: null };
  if (row.kind === 'saml') {
    const parsed = parseIdpMetadata(doc.text);
    if (!parsed.ok) return { ok: false, reason: `The metadata at the URL is not usable: ${parsed.problem.message}` };
    const md = parsed.metadata;
    if (md.entityId !== row.idp_entity_id) return { ok: false, reason: `The metadata at the URL is now for IdP "${md.entityId}", not "${row.idp_entity_id}"; the last good metadata is kept.` };
    const prev = parseSettings(row.settings);
    const settings = samlSettingsFrom(doc.text, md, url, {}, ctx.now(), prev);
    return { ok: true, settings, changes: samlMetadataChanges(prev, settings), validUntil: md.validUntil, cacheDurationMs: md.cacheDuration };
  }
  const prev = parseOidcSettings(row.settings);
  let metadata;
  try {
    metadata = (await loadOidcProvider(ctx, { oidcMetadata: doc.text })).metadata;
  } catch (err) {
    if (err instanceof GatehouseError) return { ok: false, reason: `The discovery document at the URL is not usable: ${err.message}` };
    throw err;
  }
  if (metadata.issuer !== row.idp_entity_id) return { ok: false, reason: `The discovery document is now for issuer "${metadata.issuer}", not "${row.idp_entity_id}"; the last good settings are kept.` };
  const settings = { ...prev, metadata };
  return { ok: true, settings, changes: oidcMetadataChanges(prev, settings), validUntil: null, cacheDurationMs: null };
}

async function recordSuccess(ctx: AppContext, row: ConnectionRow, schedule: MetadataRefreshRow, doc: FetchedDocument | null, read: Extract<Read, { ok: true }>): Promise<RefreshOutcome> {
  const now = ctx.now();
  const base = read.settings ?? (JSON.parse(row.settings) as ConnectionSettings);
  const settings = { ...base, metadataRefreshedAt: now, metadataRefreshError: null };
  // A change bumps updated_at, so every instance's cached trusted keys (saml/connection-keys.ts) are read again.
  const updatedAt = read.changes ? Math.max(now, row.updated_at + 1) : row.updated_at;
  const written = await updateConnectionSettingsIfUnchanged(ctx.db, { id: row.id, readUpdatedAt: row.updated_at, settings: JSON.stringify(settings), updatedAt });
  const timing = nextRefreshAfterSuccess({ now, periodMs: ctx.config.METADATA_REFRESH_SECONDS * 1000, cacheControl: doc?.headers.get('cache-control') ?? null, validUntil: read.validUntil, cacheDurationMs: read.cacheDurationMs });
  if (!written) {
    // Saved by someone meanwhile: what they saved wins; fetch again next round.
    await metadataRefreshRepo.settle(ctx.db, row.id, { nextRefreshAt: now, etag: schedule.etag, lastModified: schedule.last_modified });
    return 'skipped';
  }
  const validators = doc?.status === 200
    ? { etag: doc.headers.get('etag'), lastModified: doc.headers.get('last-modified') }
    : { etag: schedule.etag, lastModified: schedule.last_modified };
  await metadataRefreshRepo.settle(ctx.db, row.id, { nextRefreshAt: timing.nextRefreshAt, ...(timing.keepValidators ? validators : { etag: null, lastModified: null }) });
  if (!read.changes) return 'unchanged';
  // What a sign-in trusts changed without anyone saving: the audit log says so, with what changed.
  await auditChange(ctx, REFRESH, { action: 'sso.connection.metadata_refreshed', target: { type: 'sso_connection', id: row.id }, tenant: row.tenant, product: row.product, after: read.changes });
  await announceConnectionEvent(ctx, { type: 'connection.metadata_refreshed', tenant: row.tenant, product: row.product, connectionId: row.id, data: { ...read.changes } });
  await checkCertificateExpiry(ctx, { ...row, settings: JSON.stringify(settings), updated_at: updatedAt });
  return 'changed';
}

/** Keeps the last good metadata, records the reason, and announces it when it is new (not on every retry of the same failure). */
async function recordFailure(ctx: AppContext, row: ConnectionRow, schedule: MetadataRefreshRow, reason: string): Promise<RefreshOutcome> {
  const now = ctx.now();
  const prev = JSON.parse(row.settings) as ConnectionSettings;
  const isNew = prev.metadataRefreshError !== reason;
  await updateConnectionSettingsIfUnchanged(ctx.db, { id: row.id, readUpdatedAt: row.updated_at, settings: JSON.stringify({ ...prev, metadataRefreshError: reason }), updatedAt: row.updated_at });
  await metadataRefreshRepo.settle(ctx.db, row.id, { nextRefreshAt: nextRefreshAfterFailure(now, ctx.config.METADATA_REFRESH_SECONDS * 1000), etag: schedule.etag, lastModified: schedule.last_modified });
  if (isNew) {
    await announceConnectionEvent(ctx, {
      type: 'connection.metadata_refresh_failed', tenant: row.tenant, product: row.product, connectionId: row.id,
      data: { reason, lastRefreshedAt: prev.metadataRefreshedAt ? new Date(prev.metadataRefreshedAt).toISOString() : null },
    });
  }
  return 'failed';
}
