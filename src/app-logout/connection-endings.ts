/**
 * A connection that is deactivated or deleted ends every session it opened (issue 15; decision 0025): the sso
 * layer announces `connection.deactivated` / `connection.deleted` (sso/connection-announcements.ts) after the
 * change has committed, and we end the sessions, which revokes their tokens and queues their back-channel
 * logouts. A deleted connection's own receiver still gets them: the announcement carries the row as it was.
 */
import type { AppContext } from '../context.ts';
import type { ConnectionEvent } from '../sso/connection-events.ts';
import { endAppSessions } from '../oauth/sessions.ts';

async function onConnectionEvent(e: ConnectionEvent): Promise<void> {
  if (e.type !== 'connection.deactivated' && e.type !== 'connection.deleted') return;
  try {
    const ended = await endAppSessions(e.ctx, { connectionId: e.connectionId }, e.type === 'connection.deleted' ? 'connection_deleted' : 'connection_deactivated', { connection: e.connection });
    if (ended.length) e.ctx.log.info({ connectionId: e.connectionId, sessions: ended.length, event: e.type }, 'sessions of the connection ended');
  } catch (err) {
    // The connection change has committed; the sessions stay open until their own expiry or another logout.
    e.ctx.log.error({ err, connectionId: e.connectionId, event: e.type }, 'sessions of the connection could not be ended');
  }
}

export function endSessionsWithConnections(ctx: AppContext): void {
  ctx.events.on('connection.event', onConnectionEvent);
}
