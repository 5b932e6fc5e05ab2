/**
 * A directory's webhook events: which user or group each concerns, its delivery attempts, when a pending one is
 * tried next (with "Retry now"), and Replay for failed ones. Retry and replay are audited by the server.
 */
import { useState } from 'react';
import { usePaged } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { ActionMessage, Badge, DateTime } from '../../shared/ui.tsx';
import { errorMessage } from '../../shared/api.ts';
import { PagedTable } from '../../shared/paged-table.tsx';
import { adminApi } from '../api.ts';
import type { DirectoryEvent } from '../../shared/api-types.ts';

type EventData = { id?: string; email?: string | null; name?: string; raw?: { userName?: string; displayName?: string }; group?: { id?: string; name?: string } };

/** The user or group an event is about, from its payload (Jackson's `data`): a user links to their page. */
export function EventSubject({ directoryId, event }: { directoryId: string; event: DirectoryEvent }) {
  const data = ((event.payload as { data?: EventData } | null)?.data ?? {}) as EventData;
  if (event.event.startsWith('group.') && !event.event.startsWith('group.user_')) return <>Group <strong>{data.name ?? data.raw?.displayName ?? data.id ?? '—'}</strong></>;
  const who = data.email || data.raw?.userName || data.id || '—';
  const user = data.id && event.event !== 'user.deleted' ? <Link to={`/admin/dsync/directories/${encodeURIComponent(directoryId)}/users/${encodeURIComponent(data.id)}`}>{who}</Link> : <strong>{who}</strong>;
  if (event.event.startsWith('group.user_')) return <>User {user} {event.event === 'group.user_added' ? 'added to' : 'removed from'} group <strong>{data.group?.name ?? data.group?.id ?? '—'}</strong></>;
  return <>User {user}</>;
}

const statusBadge = (e: DirectoryEvent) => <Badge kind={e.status === 'delivered' ? 'good' : e.status === 'failed' ? 'bad' : 'warn'}>{e.status}</Badge>;

export function EventsTab({ id, canEdit }: { id: string; canEdit: boolean }) {
  const list = usePaged((cursor, signal) => adminApi.directoryEvents(id, { cursor }, signal), [id]);
  const [working, setWorking] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const act = async (e: DirectoryEvent, kind: 'replay' | 'retry') => {
    setWorking(e.id);
    setMessage(null);
    try {
      await (kind === 'replay' ? adminApi.replayEvent(id, e.id) : adminApi.retryEvent(id, e.id));
      setMessage({ kind: 'success', text: kind === 'replay' ? `Event ${e.event} (${e.id}) queued for delivery again.` : `Event ${e.event} (${e.id}) will be sent now.` });
      list.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: `${kind === 'replay' ? 'Replay' : 'Retry'} of ${e.id} failed: ${errorMessage(err)}` });
    } finally {
      setWorking(null);
    }
  };
  return (
    <>
      <h2 className="sr-only">Events</h2>
      <div className="toolbar">
        <button type="button" className="button" onClick={list.reload} disabled={list.loading}>
          {list.loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <ActionMessage message={message} />
      <PagedTable
        list={list}
        label="Events"
        caption="Webhook events"
        note={<p className="hint">A pending event is retried with backoff until its deadline; Retry now sends it at once. Failed deliveries can be replayed once the app is fixed.</p>}
        rowKey={(e) => e.id}
        empty={{ title: 'No events yet', body: 'Each change the IdP pushes (a user created, a member added…) becomes an event here, with every webhook delivery attempt.' }}
        columns={[
          { header: 'Event', cell: (e) => <code>{e.event}</code> },
          { header: 'Concerns', cell: (e) => <EventSubject directoryId={id} event={e} /> },
          { header: 'Created', cell: (e) => <DateTime value={e.created_at} /> },
          { header: 'Status', cell: statusBadge },
          { header: 'Attempts', cell: (e) => e.attempts },
          { header: 'Next attempt', cell: (e) => (e.status === 'pending' && e.next_attempt_at ? <DateTime value={e.next_attempt_at} /> : <span className="muted">—</span>) },
          {
            header: 'Last answer',
            className: 'break',
            cell: (e) => (
              <>
                {e.last_status ? `HTTP ${e.last_status}` : ''} {e.last_error ?? ''}
              </>
            ),
          },
          {
            header: 'Payload',
            cell: (e) => (
              <details>
                <summary>Show payload</summary>
                <pre className="code-block" tabIndex={0} aria-label={`Payload of event ${e.id}`}>
                  {JSON.stringify(e.payload, null, 2)}
                </pre>
                {e.deliveries?.length ? (
                  <ul className="plain">
                    {e.deliveries.map((a) => (
                      <li key={a.attempt}>
                        Attempt {a.attempt}: {a.status ? `HTTP ${a.status}` : 'no answer'} {a.error ? `— ${a.error}` : ''} {a.latency_ms !== null ? `(${a.latency_ms} ms)` : ''}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </details>
            ),
          },
          ...(canEdit
            ? [
                {
                  header: 'Actions',
                  cell: (e: DirectoryEvent) =>
                    e.status === 'failed' ? (
                      <button type="button" className="button button--small" onClick={() => void act(e, 'replay')} disabled={working === e.id} aria-label={`Replay event ${e.event} ${e.id}`}>
                        {working === e.id ? 'Replaying…' : 'Replay'}
                      </button>
                    ) : e.status === 'pending' ? (
                      <button type="button" className="button button--small" onClick={() => void act(e, 'retry')} disabled={working === e.id} aria-label={`Retry event ${e.event} ${e.id} now`}>
                        {working === e.id ? 'Retrying…' : 'Retry now'}
                      </button>
                    ) : (
                      <span className="muted">—</span>
                    ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
