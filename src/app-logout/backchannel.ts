/**
 * Back-channel logout delivery (OpenID Connect Back-Channel Logout 1.0; decision 0025). Every session that
 * `endAppSessions` ends (oauth/sessions.ts, announced as `app_sessions.ended`) whose connection or product has a
 * receiver is queued once in Directory Sync's outbox as the `backchannel-logout` channel: the row's id is derived
 * from the `sid`, so a repeated enqueue (a retry, another instance) adds nothing. The deliverer claims it with
 * everything else, asks this channel for the request, and we build the logout token then (fresh `iat`, `exp` and
 * `jti`, the current key), POSTed form-encoded as `logout_token`. 2xx is done; a 400 (the spec's "logout failed")
 * is a final failure; anything else is retried with backoff for WEBHOOK_RETRY_FOR_SECONDS. Each session is its own
 * outbox resource, so a receiver that is down holds back only its own logouts.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { AppSessionsEnded } from '../oauth/sessions.ts';
import { connectionsRepo, directoryEventsRepo, type AppSessionRow, type ConnectionRow, type DirectoryEventRow } from '../storage/index.ts';
import type { NewDirectoryEvent } from '../storage/repositories/directory-events.ts';
import type { ChannelRequest } from '../directory-sync/events/outbox-channels.ts';
import { sessionSettingsOf } from '../tenancy/session-settings.ts';
import { logoutTokenClaims, signLogoutToken } from './logout-token.ts';

/** The outbox channel id back-channel rows carry where a directory id would be. */
export const BACKCHANNEL_CHANNEL = 'backchannel-logout';
export const BACKCHANNEL_EVENT = 'backchannel.logout';

/** The outbox row of one session's logout: what the token will say and where it goes, never the token itself. */
export interface QueuedLogout {
  sid: string;
  sub: string;
  /** The logout token's `aud`: the client id the app used. */
  aud: string;
  uri: string;
  tenant: string;
  product: string;
  connectionId: string;
  reason: string;
}

/** One outbox row per session, keyed by it: appending it again is a no-op. */
export const outboxIdOf = (sid: string) => `bcl:${sid}`;

/** Where a session's logout goes: its connection's own receiver, else its product's, else nowhere. */
async function receiversOf(ctx: AppContext, sessions: AppSessionRow[], known?: ConnectionRow): Promise<Map<string, string | null>> {
  const byConnection = new Map<string, string | null>();
  const byProduct = new Map<string, string | null>();
  for (const s of sessions) {
    if (byConnection.has(s.connection_id)) continue;
    const conn = known?.id === s.connection_id ? known : await connectionsRepo.findById(ctx.db, s.connection_id);
    if (!byProduct.has(s.product)) byProduct.set(s.product, (await sessionSettingsOf(ctx, s.product)).backchannelLogoutUri);
    byConnection.set(s.connection_id, conn?.backchannel_logout_uri || byProduct.get(s.product)!);
  }
  return byConnection;
}

function outboxRow(ctx: AppContext, s: AppSessionRow, uri: string, reason: string, now: number): NewDirectoryEvent {
  const q: QueuedLogout = { sid: s.sid, sub: s.sub, aud: s.client_id, uri, tenant: s.tenant, product: s.product, connectionId: s.connection_id, reason };
  return {
    id: outboxIdOf(s.sid), directory_id: BACKCHANNEL_CHANNEL, resource_key: `s:${s.sid}`, event: BACKCHANNEL_EVENT, payload: JSON.stringify(q),
    status: 'pending', attempts: 0, next_attempt_at: now, deadline_at: now + ctx.config.WEBHOOK_RETRY_FOR_SECONDS * 1000,
    lease_owner: null, lease_until: null, last_status: null, last_error: null, created_at: now, delivered_at: null,
  };
}

/** Queues the logouts of the sessions one `endAppSessions` call ended. */
export async function queueBackchannelLogouts(e: AppSessionsEnded): Promise<number> {
  const { ctx } = e;
  const receivers = await receiversOf(ctx, e.sessions, e.connection);
  const now = ctx.now();
  const rows = e.sessions.flatMap((s) => {
    const uri = receivers.get(s.connection_id);
    return uri ? [outboxRow(ctx, s, uri, e.reason, now)] : [];
  });
  await directoryEventsRepo.appendOnce(ctx.db, ctx.dialect, rows);
  if (rows.length) ctx.outbox.notify();
  return rows.length;
}

/** The POST of one queued logout, with a logout token made now (decision 0025: made at delivery, not at enqueue). */
export async function logoutRequestOf(ctx: AppContext, e: DirectoryEventRow): Promise<ChannelRequest> {
  const q = JSON.parse(e.payload) as QueuedLogout;
  const key = (await ctx.keys.jwt()).current;
  const token = await signLogoutToken(logoutTokenClaims({ issuer: ctx.config.EXTERNAL_URL, clientId: q.aud, sub: q.sub, sid: q.sid, jti: randomUUID(), now: ctx.now() }), key);
  return {
    url: q.uri,
    body: new URLSearchParams({ logout_token: token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-store' },
    // §2.8: "If the logout request fails, the RP MUST respond with 400 Bad Request": sending the same again will not help.
    permanent: (status) => status === 400,
  };
}

/** Subscribes delivery to session endings and registers the channel with the outbox's deliverer. Called in boot(). */
export function startBackchannelLogout(ctx: AppContext): void {
  ctx.events.on('app_sessions.ended', async (e) => {
    try {
      await queueBackchannelLogouts(e);
    } catch (err) {
      // The sessions are ended and their tokens refused; only the app's notice is lost. Failing the caller (a SCIM
      // request, a logout) would make it retry something that took effect.
      e.ctx.log.error({ err, sessions: e.sessions.length, reason: e.reason }, 'back-channel logouts could not be queued');
    }
  });
  ctx.outboxChannels.register(BACKCHANNEL_CHANNEL, async () => ({ perEvent: (e) => logoutRequestOf(ctx, e) }));
}
