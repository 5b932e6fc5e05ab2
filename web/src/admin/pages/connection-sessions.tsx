/**
 * Enterprise SSO → Sessions: a connection's open app sessions (one per sign-in that gave the app a code), with
 * "End session": the session's tokens are refused at once and the app's back-channel receiver is told
 * (decision 0025). Reached from the menu (choose a connection) or at /admin/sso/sessions/<clientID>.
 */
import { useState } from 'react';
import type { AppSession } from '../../shared/api-types.ts';
import { useAsync, usePaged } from '../../shared/hooks.ts';
import { useSubmit } from '../../shared/forms.tsx';
import { PagedTable } from '../../shared/paged-table.tsx';
import { Link, navigate } from '../../shared/router.tsx';
import { ConfirmDialog, DateTime, ErrorBox, Notice, PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import { useCanEdit } from '../session.tsx';

function ConnectionPicker({ current }: { current?: string }) {
  const list = useAsync((signal) => adminApi.connections({ limit: 100 }, signal), []);
  return (
    <div className="field">
        <label htmlFor="sessions-connection">Connection</label>
        <select id="sessions-connection" value={current ?? ''} onChange={(e) => e.target.value && navigate(`/admin/sso/sessions/${encodeURIComponent(e.target.value)}`)}>
          <option value="">Choose a connection…</option>
          {(list.data?.data ?? []).map((c) => (
            <option key={c.clientID} value={c.clientID}>
              {c.name || c.clientID} ({c.tenant} · {c.product})
            </option>
          ))}
      </select>
    </div>
  );
}

export function ConnectionSessionsPage({ clientID }: { clientID?: string }) {
  const canEdit = useCanEdit();
  const [email, setEmail] = useState('');
  const [ending, setEnding] = useState<AppSession | null>(null);
  const [ended, setEnded] = useState<AppSession | null>(null);
  const end = useSubmit();
  const list = usePaged((cursor, signal) => (clientID ? adminApi.connectionSessions(clientID, { cursor, email: email.trim() || undefined }, signal) : Promise.resolve({ data: [], nextCursor: null })), [clientID, email]);
  const doEnd = async () => {
    const s = ending!;
    const ok = await end.run(async () => {
      await adminApi.endSession(s.sid);
      return true;
    });
    if (!ok) return;
    setEnding(null);
    setEnded(s);
    list.reload();
  };
  return (
    <>
      <PageHeader
        title="Sessions"
        description={<>Who is signed in to your app through a connection. Ending a session refuses its tokens at once and tells your app's back-channel logout receiver (<Link to="/admin/products">product settings</Link>).</>}
      />
      <div className="filters">
        <ConnectionPicker current={clientID} />
        {clientID ? (
          <div className="field">
            <label htmlFor="sessions-email">Email</label>
            <input id="sessions-email" type="search" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="Filter by email" />
          </div>
        ) : null}
      </div>
      {ended ? <Notice kind="success">Session of {ended.email ?? ended.nameId} ended.</Notice> : null}
      <ErrorBox error={end.error} />
      {clientID ? (
        <PagedTable
          list={list}
          label="Sessions"
          caption="Open sessions of the connection"
          rowKey={(s) => s.sid}
          empty={{ title: 'No open sessions', body: 'Each sign-in through this connection that reaches your app opens one; it ends at logout, when the directory deactivates the user, or after 30 days.' }}
          columns={[
            { header: 'User', cell: (s) => s.email ?? s.nameId },
            { header: 'NameID', cell: (s) => <code>{s.nameId}</code> },
            { header: 'Signed in', cell: (s) => <DateTime value={s.createdAt} /> },
            { header: 'Expires', cell: (s) => <DateTime value={s.expiresAt} /> },
            ...(canEdit ? [{ header: 'Actions', cell: (s: AppSession) => <button type="button" className="button button--danger button--small" onClick={() => setEnding(s)}>End session</button> }] : []),
          ]}
        />
      ) : null}
      <ConfirmDialog open={ending !== null} title={`End the session of ${ending?.email ?? ending?.nameId}?`} confirmLabel="End session" danger busy={end.busy} onConfirm={() => void doEnd()} onCancel={() => setEnding(null)}>
        <p>Its access token stops working at once, and your app is told through back-channel logout. The user can sign in again.</p>
      </ConfirmDialog>
    </>
  );
}
