/** The tenant+product's audit log, read-only, newest first (decision 0033: the vendor's staff appear as "Vendor"). */
import { useState } from 'react';
import { request } from '../shared/api.ts';
import { useAsync } from '../shared/hooks.ts';
import { DateTime, EmptyState, ErrorBox, Loading } from '../shared/ui.tsx';

interface PortalAuditEvent {
  id: string;
  at: string;
  action: string;
  actor: string;
  target: { type: string; id: string };
}

export function AuditLogView({ tenant, productName }: { tenant: string; productName: string }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const page = useAsync(
    async (signal) => request<{ data: PortalAuditEvent[]; before: string | null }>('GET', `/api/portal/audit-log${cursor ? `?before=${encodeURIComponent(cursor)}` : ''}`, undefined, { sessionRequired: false, signal }),
    [cursor],
  );
  if (!page.data) return page.error ? <ErrorBox error={page.error} onRetry={page.reload} /> : <Loading />;
  const next = page.data.before;
  return (
    <div>
      <p className="lead">
        What changed in <strong>{tenant}</strong>&rsquo;s setup for <strong>{productName}</strong>, newest first.
      </p>
      {page.data.data.length === 0 ? (
        <EmptyState title="Nothing yet" />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Activity log</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
              </tr>
            </thead>
            <tbody>
              {page.data.data.map((e) => (
                <tr key={e.id}>
                  <td>
                    <DateTime value={e.at} />
                  </td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.actor}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="portal__pager">
        {cursors.length > 1 ? (
          <button type="button" className="button" onClick={() => setCursors(cursors.slice(0, -1))}>
            Newer
          </button>
        ) : null}
        {next ? (
          <button type="button" className="button" onClick={() => setCursors([...cursors, next])}>
            Older
          </button>
        ) : null}
      </div>
    </div>
  );
}
