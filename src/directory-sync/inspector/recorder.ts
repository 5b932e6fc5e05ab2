/**
 * The SCIM inspector's recorder (docs/decisions/0027-scim-inspector.md): after a SCIM request is answered, its
 * entry (the verdict in words, the redacted bodies sealed with the secret box) is queued, and the queue is
 * written as one multi-row insert BATCH_MS after its first entry or once it holds BATCH_MAX (decision 0036:
 * an insert per request was a transaction and a commit per request, most of a sequential filtered GET). Every
 * TRIM_EVERY inserts of a directory on this instance (and its first), the directory is cut back to
 * SCIM_LOG_MAX_ENTRIES and SCIM_LOG_MAX_BYTES by one index read and one delete. The IdP's answer never waits
 * for any of it; a failure is logged, never the request's.
 */
import type { AppContext } from '../../context.ts';
import type { ErrorCode } from '../../errors.ts';
import { scimRequestsRepo, type ScimRequestRow } from '../../storage/repositories/scim-requests.ts';
import { newResourceId } from '../ids.ts';
import type { ScimNote, ScimOutcome } from '../scim/report.ts';
import { boundedJson, redact, redactedAnswer, redactQuery } from './redact.ts';
import { buildVerdict } from './verdict.ts';

/** Trim a directory after this many of its inserts on one instance: amortises the trim's read over many requests. */
export const TRIM_EVERY = 64;
/** Each body is kept up to this many characters of JSON text. */
export const BODY_MAX_CHARS = 16 * 1024;
/** Refusals before the bearer token was accepted: at most one entry per directory and instance in this window. */
export const UNAUTHENTICATED_EVERY_MS = 10_000;
/** Entries are written this long after the first of a batch was queued… */
export const BATCH_MS = 25;
/** …or at once when this many are queued. */
export const BATCH_MAX = 64;

export interface ScimRequestFacts {
  directoryId: string;
  directoryType: string;
  at: number;
  method: string;
  /** Path under the directory's SCIM base, without the query. */
  path: string;
  query: Record<string, unknown>;
  status: number;
  requestBody: unknown;
  /** The answer as sent (JSON text, or empty). */
  responseText: string;
  outcome: ScimOutcome | null;
  notes: ScimNote[];
  refusal: { code: ErrorCode; detail: string } | null;
}

/** What is sealed in `detail_enc`. */
export interface ScimRequestDetail {
  query: Record<string, string>;
  verdict: string;
  summary: string;
  notes: { kind: string; text: string }[];
  request: unknown;
  response: unknown;
}

export const detailContext = (directoryId: string) => `scim-request:${directoryId}`;

/** The path as a clear column: control characters and lone surrogates (which PostgreSQL cannot store) replaced, bounded. */
const storablePath = (path: string) => path.replace(/[\u0000-\u001f\u007f]|\p{Cs}/gu, '\uFFFD').slice(0, 1024);

/** The stored row for one request: verdict made, bodies redacted and bounded, then sealed. Pure but for the seal. */
export function entryRow(f: ScimRequestFacts, seal: (plain: string, context: string) => string): ScimRequestRow {
  const v = buildVerdict({ method: f.method, status: f.status, directoryType: f.directoryType, outcome: f.outcome, notes: f.notes, refusal: f.refusal });
  // The detail's JSON is assembled around the bodies' text, so no body is stringified twice.
  const head = JSON.stringify({ query: redactQuery(f.query), verdict: v.text, summary: v.summary, notes: v.notes } satisfies Omit<ScimRequestDetail, 'request' | 'response'>);
  const detail = `${head.slice(0, -1)},"request":${boundedJson(redact(f.requestBody), BODY_MAX_CHARS)},"response":${redactedAnswer(f.responseText, BODY_MAX_CHARS)}}`;
  const sealed = seal(detail, detailContext(f.directoryId));
  return {
    id: newResourceId(f.at), directory_id: f.directoryId, at: f.at, method: f.method, path: storablePath(f.path), status: f.status,
    outcome: v.outcome, bytes: sealed.length, detail_enc: sealed,
  };
}

/** Where to cut a directory's log, newest first: the first entry past either cap, or null. */
export function cutPoint(sizes: { at: number; id: string; bytes: number }[], maxEntries: number, maxBytes: number): { at: number; id: string } | null {
  let total = 0;
  for (let i = 0; i < sizes.length; i++) {
    total += Number(sizes[i]!.bytes);
    if (i >= maxEntries || total > maxBytes) return { at: Number(sizes[i]!.at), id: sizes[i]!.id };
  }
  return null;
}

export class ScimRequestLog {
  readonly #sinceTrim = new Map<string, number>();
  readonly #unauthenticated = new Map<string, number>();
  readonly #pending = new Set<Promise<void>>();
  #queue: ScimRequestFacts[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly ctx: Pick<AppContext, 'db' | 'dialect' | 'secrets' | 'config' | 'log'>) {}

  get enabled(): boolean {
    return this.ctx.config.SCIM_LOG_MAX_ENTRIES > 0;
  }

  /**
   * Whether a request refused before its token was accepted may be recorded: one per directory and instance
   * every UNAUTHENTICATED_EVERY_MS, so someone who knows a directory's id cannot flush its log with bad tokens.
   */
  mayRecordUnauthenticated(directoryId: string, now: number): boolean {
    const last = this.#unauthenticated.get(directoryId);
    if (last !== undefined && now - last < UNAUTHENTICATED_EVERY_MS) return false;
    if (this.#unauthenticated.size > 10_000) this.#unauthenticated.clear();
    this.#unauthenticated.set(directoryId, now);
    return true;
  }

  /** Records one answered request in the background: queued, written with the others of its batch. */
  record(f: ScimRequestFacts): void {
    if (!this.enabled) return;
    if (this.#queue.push(f) >= BATCH_MAX) this.#flush();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#flush(), BATCH_MS);
      this.#timer.unref(); // settled() (app.close) writes what is queued
    }
  }

  /** Resolves when every record queued so far is written (tests, shutdown). */
  async settled(): Promise<void> {
    if (this.#queue.length) this.#flush();
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#queue;
    this.#queue = [];
    const p: Promise<void> = this.#write(batch)
      .catch((err) => this.ctx.log.warn({ err, directoryIds: [...new Set(batch.map((f) => f.directoryId))] }, 'recording SCIM requests for the inspector failed'))
      .finally(() => this.#pending.delete(p));
    this.#pending.add(p);
  }

  async #write(batch: ScimRequestFacts[]): Promise<void> {
    const rows = batch.map((f) => entryRow(f, (plain, context) => this.ctx.secrets.encrypt(plain, context)));
    const due = this.#dueForTrim(batch);
    // On SQLite the insert and the trims it makes due are one transaction, so one COMMIT (decision 0062): a trim's delete
    // on its own was a second COMMIT per batch, the pages it freed written to the WAL apart from the insert's.
    if (this.ctx.dialect === 'sqlite') {
      return this.ctx.db.transaction().execute(async (trx) => {
        await scimRequestsRepo.insertRows(trx, rows);
        // A failed trim is retried with the next batch; it never takes this batch's entries with it.
        for (const directoryId of due) {
          await this.#trimOn(trx, directoryId).catch((err) => this.ctx.log.warn({ err, directoryId }, 'trimming the SCIM inspector failed'));
        }
      });
    }
    await scimRequestsRepo.insert(this.ctx.db, this.ctx.dialect, rows);
    for (const directoryId of due) await this.trim(directoryId);
  }

  /** The directories of `batch` due for a trim: after their first insert on this instance, and then every TRIM_EVERY. */
  #dueForTrim(batch: ScimRequestFacts[]): Set<string> {
    const due = new Set<string>();
    for (const { directoryId } of batch) {
      const n = this.#sinceTrim.get(directoryId);
      if (n !== undefined && n + 1 < TRIM_EVERY) {
        this.#sinceTrim.set(directoryId, n + 1);
        continue;
      }
      if (this.#sinceTrim.size > 10_000) this.#sinceTrim.clear();
      this.#sinceTrim.set(directoryId, 0);
      due.add(directoryId);
    }
    return due;
  }

  /**
   * Cuts one directory's log back to the caps, then one delete. The read is two index-only aggregates (decision 0053):
   * while the newest SCIM_LOG_MAX_ENTRIES fit in SCIM_LOG_MAX_BYTES, the cut is the entry just past them, as `cutPoint`
   * would find it; only when they do not are their sizes read, one row each, to find where the bytes run out.
   */
  async trim(directoryId: string): Promise<number> {
    return this.#trimOn(this.ctx.db, directoryId);
  }

  async #trimOn(db: AppContext['db'], directoryId: string): Promise<number> {
    const { SCIM_LOG_MAX_ENTRIES: maxEntries, SCIM_LOG_MAX_BYTES: maxBytes } = this.ctx.config;
    const { bytes, beyond } = await scimRequestsRepo.newestSummary(db, directoryId, maxEntries);
    const cut = bytes <= maxBytes ? beyond : cutPoint(await scimRequestsRepo.sizesNewestFirst(db, directoryId, maxEntries + 1), maxEntries, maxBytes);
    return cut ? scimRequestsRepo.deleteFrom(db, directoryId, cut.at, cut.id) : 0;
  }
}

declare module '../../context.ts' {
  interface AppContext {
    /** The SCIM inspector's recorder (on every SCIM request). */
    scimRequestLog: ScimRequestLog;
  }
}
