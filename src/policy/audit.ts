/**
 * The audit log: what changed, by whom (admin, API key, setup link, system), from which IP, with a before/after
 * summary from which every secret-looking field is removed. Services record their changes with `auditChange`,
 * so a change has the same action and shape whichever surface made it. When the audit stream is on
 * (`ctx.auditStream`, audit-stream/; decision 0034), the row and its outbox rows are written in one transaction.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../storage/schema.ts';
import type { AuditEventsTable } from '../storage/schema-audit.ts';
import { randomToken } from '../crypto/secrets.ts';
import { adminAuditRepo } from '../storage/repositories/admin-audit.ts';
import { directoryEventsRepo } from '../storage/repositories/directory-events.ts';
import type { NewDirectoryEvent } from '../storage/repositories/directory-events.ts';
import { actorOf, type Actor, type Caller } from './caller.ts';

export interface AuditEntry {
  actor: Actor;
  action: string;
  target: { type: string; id: string };
  tenant?: string | null;
  product?: string | null;
  ip?: string | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_KEY = /(secret|password|token|private|apikey|api_key|totp|cookie|rawmetadata|encodedrawmetadata)/i;

/** A copy of a value with every secret-looking field replaced by "[redacted]" (deep). */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? (v === null || v === undefined ? v : '[redacted]') : redactSecrets(v, depth + 1);
  return out;
}

export function auditRow(e: AuditEntry, now: number): AuditEventsTable {
  return {
    id: `${now.toString(36)}-${randomToken(9)}`,
    at: now,
    actor_type: e.actor.type,
    actor_id: e.actor.id,
    actor_label: e.actor.label,
    action: e.action,
    target_type: e.target.type,
    target_id: e.target.id,
    tenant: e.tenant ?? null,
    product: e.product ?? null,
    ip: e.ip ?? null,
    summary: JSON.stringify(redactSecrets({ before: e.before, after: e.after })),
  };
}

/** Where audit rows are streamed to (the SIEM): what a row adds to the outbox; set by audit-stream/ in boot(). */
export interface AuditStreamHook {
  /** The outbox rows one audit row adds (none when the stream is off or its filter leaves the row out). */
  outboxRowsOf(row: AuditEventsTable): Promise<NewDirectoryEvent[]>;
  /** Wakes the deliverer once rows are committed. */
  queued(): void;
}

declare module '../context.ts' {
  interface AppContext {
    /** The audit stream (decision 0034); absent in contexts built without boot(). */
    auditStream?: AuditStreamHook;
  }
}

type AuditCtx = Pick<AppContext, 'db' | 'now'> & Partial<Pick<AppContext, 'dialect' | 'auditStream'>>;

/**
 * Records one audit event (in the caller's transaction when `db` is one). Its stream rows, keyed by the audit id,
 * are written in the same transaction: a change is streamed exactly when it is recorded.
 */
export async function recordAudit(ctx: AuditCtx, e: AuditEntry, db: Kysely<Database> = ctx.db): Promise<void> {
  const row = auditRow(e, ctx.now());
  const stream = ctx.auditStream && ctx.dialect ? await ctx.auditStream.outboxRowsOf(row) : [];
  if (stream.length === 0) return adminAuditRepo.insert(db, row);
  const write = async (trx: Kysely<Database>) => {
    await adminAuditRepo.insert(trx, row);
    await directoryEventsRepo.appendOnce(trx, ctx.dialect!, stream);
  };
  await (db.isTransaction ? write(db) : db.transaction().execute(write));
  ctx.auditStream!.queued();
}

/** One change made by a caller through a service. */
export interface Change {
  action: string;
  target: { type: string; id: string };
  tenant?: string | null;
  product?: string | null;
  before?: unknown;
  after?: unknown;
}

/** What every service calls after a change: records it with the caller as actor and the caller's IP. */
export async function auditChange(ctx: AuditCtx, caller: Caller, change: Change): Promise<void> {
  await recordAudit(ctx, { actor: actorOf(caller), ip: caller.ip ?? null, ...change });
}
