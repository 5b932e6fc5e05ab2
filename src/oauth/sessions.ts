/**
 * App sessions (issue 15, docs/decisions/0023-app-sessions.md): every sign-in that issues a code to an app opens
 * one, with a random `sid` the id_token carries. It ties the app's tokens to the upstream session (NameID and
 * SessionIndex, for SAML Single Logout) and to the directory's user (email, NameID), so that any logout — the
 * app's, the IdP's, a SCIM deactivation, an admin's, a connection switched off — finds the sessions it concerns
 * and ends each exactly once. Ending revokes what the session issued and announces `app_sessions.ended`, which
 * back-channel logout subscribes to. All state is in the database: any instance can end any session.
 */
import { createHash } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { appSessionsRepo, oauthTokensRepo, refreshTokensRepo, type AppSessionRow, type AppSessionSelector, type ConnectionRow } from '../storage/index.ts';
import { MAX_OPEN_SESSIONS_FOUND } from '../storage/repositories/app-sessions.ts';
import { randomToken } from '../crypto/secrets.ts';
import type { Profile, UpstreamSession } from '../sso/profile.ts';

/** Why a session ended: recorded on it, and told to the app's back-channel receiver's logs. */
export type SessionEndReason = 'rp_logout' | 'saml_slo' | 'scim_deactivated' | 'scim_deleted' | 'connection_deactivated' | 'connection_deleted' | 'admin' | 'app';

export interface AppSessionsEnded {
  ctx: AppContext;
  /** Only the sessions this call ended (a session another call ended first is not repeated). */
  sessions: AppSessionRow[];
  reason: SessionEndReason;
  /** The connection the sessions belonged to when the caller has it and it may be gone (a deleted connection): back-channel logout reads its receiver. */
  connection?: ConnectionRow;
}

declare module '../events/event-hub.ts' {
  interface AppEvents {
    'app_sessions.ended': AppSessionsEnded;
  }
}

/** The key a NameID (or SCIM userName / externalId) is matched by: case-insensitive, fixed length, indexable. */
export const nameidKeyOf = (nameid: string): string => createHash('sha256').update(nameid.toLowerCase()).digest('hex');

export const emailKeyOf = (email: string | null | undefined): string | null => (email && email.includes('@') ? email.trim().toLowerCase() : null);

/** The groups a sign-in carried, kept for role-mapping previews and the list of groups the IdP sends (decision 0028): at most 100, each cut to 256 characters. */
function groupsToKeep(groups: readonly string[] | undefined): string | null {
  const kept = (groups ?? []).filter((g) => typeof g === 'string' && g.length > 0).slice(0, 100).map((g) => g.slice(0, 256));
  return kept.length ? JSON.stringify(kept) : null;
}

/**
 * The session a sign-in that is about to issue a code to `clientId` opens; its `sid` goes in the code. Stored with
 * the code in one statement where the dialect allows (oauth/codes.ts, decision 0039).
 */
export function newAppSession(ctx: AppContext, a: { connection: ConnectionRow; clientId: string; profile: Profile; upstream?: UpstreamSession }): AppSessionRow {
  const now = ctx.now();
  return {
    sid: randomToken(24), connection_id: a.connection.id, tenant: a.connection.tenant, product: a.connection.product, client_id: a.clientId,
    sub: a.profile.sub, nameid: a.profile.nameid, nameid_key: nameidKeyOf(a.profile.nameid),
    nameid_format: a.upstream?.nameIdFormat ?? null, session_index: a.upstream?.sessionIndex ?? null,
    email: emailKeyOf(a.profile.email), groups: groupsToKeep(a.profile.groups), created_at: now, expires_at: now + ctx.config.SESSION_TTL_SECONDS * 1000, ended_at: null, end_reason: null,
  };
}

/**
 * Ends every open session the selector names, each exactly once across instances (a conditional UPDATE),
 * revokes their access and refresh tokens and announces them. Returns the sessions this call ended.
 */
export async function endAppSessions(ctx: AppContext, selector: AppSessionSelector, reason: SessionEndReason, opts: { connection?: ConnectionRow } = {}): Promise<AppSessionRow[]> {
  const ended: AppSessionRow[] = [];
  for (;;) {
    const now = ctx.now();
    const open = await appSessionsRepo.findOpen(ctx.db, selector, now);
    const batch: AppSessionRow[] = [];
    for (const s of open) if (await appSessionsRepo.end(ctx.db, s.sid, now, reason)) batch.push({ ...s, ended_at: now, end_reason: reason });
    if (batch.length > 0) {
      const sids = batch.map((s) => s.sid);
      await oauthTokensRepo.revokeBySessions(ctx.db, sids, now);
      await refreshTokensRepo.revokeBySessions(ctx.db, sids, now);
      await ctx.events.emit('app_sessions.ended', { ctx, sessions: batch, reason, ...opts });
      ended.push(...batch);
    }
    if (open.length < MAX_OPEN_SESSIONS_FOUND) return ended;
  }
}

/** Whether a session is still open: tokens of an ended or expired session are refused. */
export async function isSessionOpen(ctx: AppContext, sid: string | null): Promise<boolean> {
  return isSessionRowOpen(sid, sid === null ? undefined : await appSessionsRepo.find(ctx.db, sid), ctx.now());
}

/** The same rule on a session already read (userinfo reads it with its token, decision 0039); `session` undefined when not found. */
export function isSessionRowOpen(sid: string | null, session: Pick<AppSessionRow, 'ended_at' | 'expires_at'> | undefined, now: number): boolean {
  if (sid === null) return true; // issued before sessions existed (migration 019): its own expiry governs it
  return session !== undefined && session.ended_at === null && session.expires_at > now;
}
