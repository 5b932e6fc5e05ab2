/** Enterprise SSO → Events: the vendor event stream (what GET /api/v1/events and the events webhook carry), newest first, by type. */
import { useState } from 'react';
import { usePaged } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { DateTime, EmptyState, ErrorBox, Loading, PageHeader, Pager } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';

/** The types a vendor can filter on (src/sso/connection-events.ts). */
export const EVENT_TYPES = [
  'connection.created', 'connection.updated', 'connection.deleted', 'connection.activated', 'connection.deactivated',
  'connection.metadata_refreshed', 'connection.metadata_refresh_failed', 'connection.certificate_expiring', 'connection.certificate_expired',
  'connection.login_failures', 'connection.draft_created', 'connection.draft_promoted', 'connection.draft_discarded', 'connection.rolled_back',
];

/** One line saying what the event's data means, for the types that carry more than a name. */
export function eventSummary(type: string, d: Record<string, unknown>): string {
  if (type === 'connection.login_failures') return `${d.failures} of ${d.attempts} sign-ins refused in ${d.windowMinutes} min, mostly ${d.reason}`;
  if (type === 'connection.updated' && Array.isArray(d.changed)) return `changed: ${d.changed.join(', ')}`;
  if (typeof d.error === 'string') return d.error;
  return typeof d.name === 'string' && d.name ? d.name : '';
}

export function EventsPage() {
  const [type, setType] = useState('');
  const list = usePaged((cursor, signal) => adminApi.events({ types: type || undefined, cursor }, signal), [type]);
  const rows = list.data?.data ?? [];
  return (
    <>
      <PageHeader title="Events" description={<>What happened to your connections, as your app receives it from <code>GET /api/v1/events</code> and the events webhook (<Link to="/admin/settings/events-webhook">settings</Link>).</>} />
      <div className="filters">
        <div className="field">
          <label htmlFor="event-type">Type</label>
          <select id="event-type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All types</option>
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading label="Loading events…" /> : null}
      {list.data && rows.length === 0 ? <EmptyState title="No events">Creating, changing or deleting a connection, certificate expiry and failing sign-ins appear here.</EmptyState> : null}
      {rows.length ? (
        <table className="table" aria-label="Events">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Type</th>
              <th scope="col">Tenant · product</th>
              <th scope="col">Connection</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id}>
                <td>
                  <DateTime value={e.createdAt} />
                </td>
                <td>
                  <code>{e.type}</code>
                </td>
                <td>
                  {e.tenant} · {e.product}
                </td>
                <td>{typeof e.data.clientID === 'string' && e.type !== 'connection.deleted' ? <Link to={`/admin/sso/connections/${encodeURIComponent(e.data.clientID)}`}>{String(e.data.name || e.data.clientID)}</Link> : String(e.data.name || e.data.clientID || '')}</td>
                <td>{eventSummary(e.type, e.data)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager label="Events" page={list.page} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} />
    </>
  );
}
