/**
 * The audit log: what changed, by whom (admin, API key, setup link, system), from which IP, with a before/after
 * summary from which every secret-looking field is removed. Services record their changes with `auditChange`,
 * so a change has the same action and shape whichever surface made it.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../storage/schema.ts';
import type { AuditEventsTable } from '../storage/schema-audit.ts';
import { randomToken } from '../crypto/secrets.ts';
import { adminAuditRepo } from '../storage/repositories/admin-audit.ts';
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

/** Records one audit event (in the caller's transaction when `db` is one). */
export async function recordAudit(ctx: Pick<AppContext, 'db' | 'now'>, e: AuditEntry, db: Kysely<Database> = ctx.db): Promise<void> {
  await adminAuditRepo.insert(db, auditRow(e, ctx.now()));
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
export async function auditChange(ctx: Pick<AppContext, 'db' | 'now'>, caller: Caller, change: Change): Promise<void> {
  await recordAudit(ctx, { actor: actorOf(caller), ip: caller.ip ?? null, ...change });
}
