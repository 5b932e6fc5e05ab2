/**
 * Open app sessions for the vendor (issue 15; decision 0025): list them, and end one or all of a user's, through
 * the management API (the app) and the portal (an admin), with the same checks and audit actions on both:
 * `sso.session.ended` for one session, `sso.user_sessions.ended` for a user's. Ending goes through
 * `endAppSessions`, so tokens are refused and the app's back-channel receiver is told, exactly once.
 * No view holds a secret: a `sid` is what the id_token already carries, and names a session, not a credential.
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { parseInput } from '../input/parse-input.ts';
import { appSessionsRepo, directoryEventsRepo, type AppSessionRow } from '../storage/index.ts';
import { emailKeyOf, endAppSessions, type SessionEndReason } from '../oauth/sessions.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { outboxIdOf } from './backchannel.ts';

const iso = (ms: number) => new Date(Number(ms)).toISOString();

export const toApiSession = (s: AppSessionRow) => ({
  sid: s.sid, connectionId: s.connection_id, tenant: s.tenant, product: s.product, clientId: s.client_id, sub: s.sub,
  nameId: s.nameid, email: s.email, createdAt: iso(s.created_at), expiresAt: iso(s.expires_at),
  endedAt: s.ended_at === null ? null : iso(s.ended_at), endReason: s.end_reason,
});

const reasonOf = (caller: Caller): SessionEndReason => (caller.type === 'admin' ? 'admin' : 'app');

const cursorOf = (s: AppSessionRow) => Buffer.from(`as1.${s.created_at}.${s.sid}`).toString('base64url');
function readCursor(after: string | undefined): { createdAt: number; sid: string } | undefined {
  if (after === undefined || after === '') return undefined;
  const m = /^as1\.(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!m) throw new GatehouseError('API_VALIDATION', '"after" is not a cursor this API returned.', { field: 'after' });
  return { createdAt: Number(m[1]), sid: m[2]! };
}

export const SessionListQuery = z.object({
  tenant: z.string().min(1, 'is required').max(191),
  product: z.string().min(1, 'is required').max(191),
  email: z.string().max(320).optional(),
  connection: z.string().max(191).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  after: z.string().max(400).optional(),
});

/** A page of open sessions of a tenant+product, optionally of one email or connection, oldest first. */
export async function listSessions(ctx: AppContext, caller: Caller, query: unknown) {
  authorize(caller, 'sso:read', (query ?? {}) as Record<string, unknown>);
  const q = parseInput(SessionListQuery, query);
  authorize(caller, 'sso:read', q);
  const limit = q.limit ?? 100;
  const email = q.email === undefined ? undefined : (emailKeyOf(q.email) ?? q.email.toLowerCase());
  const rows = await appSessionsRepo.pageOpen(ctx.db, { tenant: q.tenant, product: q.product, email, connectionId: q.connection, now: ctx.now(), limit: limit + 1, after: readCursor(q.after) });
  const page = rows.slice(0, limit);
  return { data: page.map(toApiSession), nextCursor: rows.length > limit ? cursorOf(page[page.length - 1]!) : null };
}

const notFound = (): never => {
  throw new GatehouseError('API_NOT_FOUND', 'No such session.', { field: 'sid' });
};
function allowedOn(caller: Caller, need: 'sso:read' | 'sso:write', row: AppSessionRow): boolean {
  try {
    authorize(caller, need, row);
    return true;
  } catch {
    return false;
  }
}

async function sessionRow(ctx: AppContext, caller: Caller, sid: string, need: 'sso:read' | 'sso:write'): Promise<AppSessionRow> {
  authorize(caller, need);
  const row = await appSessionsRepo.find(ctx.db, sid);
  // A limited key learns nothing of sessions outside its scope, not even whether they exist: a 404 as for an unknown sid.
  if (row && !allowedOn(caller, need, row)) return notFound();
  return row ?? notFound();
}

/** One session, open or ended, with its back-channel delivery (status and every attempt) when one was queued. */
export async function getSession(ctx: AppContext, caller: Caller, sid: string) {
  const row = await sessionRow(ctx, caller, sid, 'sso:read');
  const event = await directoryEventsRepo.findById(ctx.db, outboxIdOf(sid));
  const attempts = event ? await directoryEventsRepo.attemptsOf(ctx.db, [event.id]) : [];
  return {
    ...toApiSession(row),
    backchannelLogout: event ? {
      status: event.status, attempts: event.attempts, lastStatus: event.last_status, lastError: event.last_error,
      log: attempts.map((a) => ({ at: iso(a.created_at), status: a.status_code, latencyMs: a.latency_ms, error: a.error })),
    } : null,
  };
}

/** Ends one session (404 when unknown or already ended). */
export async function endSession(ctx: AppContext, caller: Caller, sid: string) {
  const row = await sessionRow(ctx, caller, sid, 'sso:write');
  const ended = await endAppSessions(ctx, { sid }, reasonOf(caller));
  if (ended.length === 0) throw new GatehouseError('API_NOT_FOUND', 'The session has already ended.', { field: 'sid' });
  await auditChange(ctx, caller, { action: 'sso.session.ended', target: { type: 'app_session', id: sid }, tenant: row.tenant, product: row.product, before: toApiSession(row) });
  return toApiSession(ended[0]!);
}

export const EndUserInput = z.object({
  tenant: z.string().min(1, 'is required').max(191),
  product: z.string().min(1, 'is required').max(191),
  email: z.string().max(320).optional(),
  sub: z.string().max(1024).optional(),
});

/** Ends every open session of a user of a tenant+product, named by email or by the `sub` the id_token carried. */
export async function endUserSessions(ctx: AppContext, caller: Caller, body: unknown) {
  authorize(caller, 'sso:write', (body ?? {}) as Record<string, unknown>);
  const input = parseInput(EndUserInput, body);
  authorize(caller, 'sso:write', input);
  if (!input.email === !input.sub) throw new GatehouseError('API_VALIDATION', 'Give exactly one of "email" and "sub".', { field: input.email ? 'sub' : 'email' });
  const reason = reasonOf(caller);
  const ended: AppSessionRow[] = [];
  if (input.email) {
    const email = emailKeyOf(input.email);
    if (!email) throw new GatehouseError('API_VALIDATION', '"email" must be an email address.', { field: 'email' });
    ended.push(...(await endAppSessions(ctx, { tenant: input.tenant, product: input.product, emails: [email], nameidKeys: [] }, reason)));
  } else {
    // `sub` is per connection (decision 0010) and not indexed alone: walk the tenant+product's open sessions with it.
    for (;;) {
      const page = await appSessionsRepo.pageOpen(ctx.db, { tenant: input.tenant, product: input.product, sub: input.sub, now: ctx.now(), limit: 500 });
      for (const s of page) ended.push(...(await endAppSessions(ctx, { sid: s.sid }, reason)));
      if (page.length < 500) break;
    }
  }
  await auditChange(ctx, caller, {
    action: 'sso.user_sessions.ended', target: { type: 'app_user', id: input.email ? emailKeyOf(input.email)! : input.sub! }, tenant: input.tenant, product: input.product,
    after: { ended: ended.map((s) => s.sid) },
  });
  return { ended: ended.length, sessions: ended.map(toApiSession) };
}

/** `toApiSession`'s answer, for the OpenAPI document (decision 0032) and the tests that validate real answers. */
export const SessionView = z.object({
  sid: z.string(), connectionId: z.string(), tenant: z.string(), product: z.string(), clientId: z.string(), sub: z.string(),
  nameId: z.string().nullable(), email: z.string().nullable(), createdAt: z.string(), expiresAt: z.string(),
  endedAt: z.string().nullable(), endReason: z.string().nullable(),
  backchannelLogout: z.looseObject({ status: z.string(), attempts: z.number().int(), lastStatus: z.number().int().nullable(), lastError: z.string().nullable(), log: z.array(z.unknown()) }).nullable().optional()
    .describe('One session read: the back-channel logout sent when it ended, if any (null when none was sent).'),
}).meta({ title: 'AppSession' });
