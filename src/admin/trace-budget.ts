/**
 * How much of the SSO trace store anyone can fill (issue 11, finding 4; decision 0204). The ACS is open to
 * every client, so each failed post would otherwise be stored, with its body, for 7 days.
 *
 * - A post that matched something Gatehouse knows (a stored login flow, by InResponseTo or RelayState,
 *   or a connection, by its IdP's issuer) keeps its full decoded response, for the diagnosis screens.
 *   Anything else keeps an excerpt of at most 4 KB.
 * - Each bucket (a connection; an IdP entity ID several connections share; the one bucket of everything
 *   that matched nothing) has an hourly budget of traces and of bytes, kept in the database so every
 *   instance takes from the same budget. When a whole body no longer fits the bytes, an excerpt is stored
 *   instead; past the count, the trace is dropped (and a warning says so, once per bucket and hour).
 * - An instance that found a bucket exhausted remembers it until the hour ends: a flood costs no writes.
 */
import type { AppContext, RequestLog } from '../context.ts';
import { ssoTraceBudgetsRepo } from '../storage/repositories/sso-trace-budgets.ts';

export const EXCERPT_BYTES = 4096;
const HOUR_MS = 3600_000;

export interface TraceCaps {
  /** Traces stored per hour, whole or excerpts. */
  traces: number;
  /** Bytes stored per hour, past which only excerpts are kept. */
  bytes: number;
}

/**
 * Per connection (or shared IdP entity ID) and hour: 60 traces, whole bodies while the hour's bytes stay
 * under 2 MiB (~100 real responses of 20 KB): at most ~2.3 MiB an hour, whatever is posted.
 */
export const MATCHED_CAPS: TraceCaps = { traces: 60, bytes: 2 * 1024 * 1024 };
/** All posts that matched nothing, together, per hour: 120 excerpts, at most ~0.6 MiB an hour, ~100 MiB in 7 days. */
export const UNMATCHED_CAPS: TraceCaps = { traces: 120, bytes: 0 };

export const UNMATCHED = 'unmatched';

export type TraceBucket = `connection:${string}` | `idp:${string}` | typeof UNMATCHED;

export const bucketOf = (m: { connectionId?: string | null; idpKey?: string | null }): TraceBucket =>
  m.connectionId ? `connection:${m.connectionId}` : m.idpKey ? `idp:${m.idpKey}` : UNMATCHED;

const utf8Bytes = (s: string | null | undefined) => (s ? Buffer.byteLength(s, 'utf8') : 0);

/** The start of `text` in at most `maxBytes` of UTF-8, with a note of how long the whole was. */
export function excerptOf(text: string, maxBytes = EXCERPT_BYTES): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const note = `\n<!-- excerpt: the first bytes of ${text.length} characters; only responses that match a sign-in or a connection are kept whole -->`;
  const room = maxBytes - utf8Bytes(note);
  // Cut on bytes; a multi-byte character cut in half decodes to U+FFFD, which is dropped.
  const head = Buffer.from(text.slice(0, room), 'utf8').subarray(0, room).toString('utf8').replace(/\uFFFD+$/, '');
  return head + note;
}

export interface TraceEvidence {
  samlResponse: string | null;
  detail: string | null;
}

/**
 * Takes the trace's place in its bucket's budget: the evidence as given (full body) when the bucket may
 * keep full bodies and it fits, else an excerpt, else null (drop the trace).
 */
export async function budgetTrace(ctx: Pick<AppContext, 'db' | 'now' | 'exhaustedTraceBuckets'>, log: RequestLog, bucket: TraceBucket, full: TraceEvidence): Promise<TraceEvidence | null> {
  const hour = Math.floor(ctx.now() / HOUR_MS);
  const filled = ctx.exhaustedTraceBuckets;
  if (filled.get(bucket) === hour) return null;
  const caps = bucket === UNMATCHED ? UNMATCHED_CAPS : MATCHED_CAPS;
  // Whole bodies are held to the bytes cap; an excerpt (≤ 4 KB) only to the count, so a bucket whose bytes
  // went to whole bodies still records its later failures.
  const take = (e: TraceEvidence, maxBytes: number) => ssoTraceBudgetsRepo.take(ctx.db, { bucket, hour, bytes: utf8Bytes(e.samlResponse) + utf8Bytes(e.detail), maxTraces: caps.traces, maxBytes });
  const short: TraceEvidence = { samlResponse: full.samlResponse === null ? null : excerptOf(full.samlResponse), detail: full.detail };
  if (bucket !== UNMATCHED && (await take(full, caps.bytes))) return full;
  if (await take(short, Number.MAX_SAFE_INTEGER)) return short;
  for (const [b, h] of filled) if (h !== hour) filled.delete(b);
  filled.set(bucket, hour);
  log.warn({ event: 'sso_traces_capped', bucket, caps }, 'SSO traces of this bucket reached their hourly cap; further failed sign-ins this hour are not traced');
  return null;
}

/** Budgets of hours that are over. */
export const pruneTraceBudgets = (ctx: Pick<AppContext, 'db' | 'now'>) => ssoTraceBudgetsRepo.deleteBefore(ctx.db, Math.floor(ctx.now() / HOUR_MS) - 1);
