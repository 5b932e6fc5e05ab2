/** One directory: SCIM endpoint, and tabs Users, Groups (with members), Events (deliveries, replay) and SCIM requests (the inspector). */
import { useState } from 'react';
import { useAsync, usePaged } from '../../shared/hooks.ts';
import { Link, navigate, setSearch, useLocation } from '../../shared/router.tsx';
import { Badge, ConfirmDialog, CopyField, DateTime, EmptyState, ErrorBox, Loading, Notice, PageHeader, Pager, TabPanel, Tabs } from '../../shared/ui.tsx';
import { errorMessage } from '../../shared/api.ts';
import { DataTable, PagedTable, type Column } from '../../shared/paged-table.tsx';
import { adminApi } from '../api.ts';
import type { DirectoryEvent, DirectoryUser } from '../../shared/api-types.ts';
import { useCanEdit } from '../session.tsx';
import { ScimInspector } from '../../shared/scim-inspector.tsx';

const TABS = [
  { id: 'users', label: 'Users' },
  { id: 'groups', label: 'Groups' },
  { id: 'events', label: 'Events' },
  { id: 'requests', label: 'SCIM requests' },
];

export function DirectoryDetailPage({ id }: { id: string }) {
  const res = useAsync((signal) => adminApi.directory(id, signal), [id]);
  const { search } = useLocation();
  const tab = TABS.some((t) => t.id === search.get('tab')) ? search.get('tab')! : 'users';
  const canEdit = useCanEdit();
  const [confirm, setConfirm] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [rotated, setRotated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);

  if (res.loading && !res.data) return <Loading label="Loading the directory…" />;
  if (res.error || !res.data) return <ErrorBox error={res.error} onRetry={res.reload} />;
  const d = res.data;
  const title = d.name || 'Directory';

  const remove = async () => {
    setBusy(true);
    try {
      await adminApi.deleteDirectory(d.id);
      navigate('/admin/dsync/directories');
    } catch (err) {
      setActionError(err);
      setConfirm(false);
    } finally {
      setBusy(false);
    }
  };

  const rotate = async () => {
    setBusy(true);
    setActionError(null);
    try {
      const r = await adminApi.rotateScimSecret(d.id);
      setRotated(r.scim?.secret ?? null);
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
      setConfirmRotate(false);
    }
  };

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/admin/dsync/directories">Directories</Link> <span aria-hidden="true">/</span> <span aria-current="page">{title}</span>
      </nav>
      <PageHeader
        title={title}
        description={
          <>
            {d.type ?? 'SCIM'} directory for <strong>{d.tenant}</strong> · <strong>{d.product}</strong> {d.deactivated ? <Badge kind="bad">Deactivated</Badge> : <Badge kind="good">Active</Badge>}
          </>
        }
        actions={
          canEdit ? (
            <>
              <Link className="button" to={`/admin/dsync/directories/${encodeURIComponent(d.id)}/edit`}>
                Edit
              </Link>
              <button type="button" className="button" onClick={() => setConfirmRotate(true)}>
                Rotate SCIM secret
              </button>
              <button type="button" className="button button--danger" onClick={() => setConfirm(true)}>
                Delete
              </button>
            </>
          ) : null
        }
      />
      {search.get('saved') ? <Notice kind="success">Changes saved.</Notice> : null}
      <ErrorBox error={actionError} />
      {rotated ? (
        <section className="once" aria-labelledby="new-secret">
          <h2 id="new-secret">New SCIM secret</h2>
          <Notice kind="warning">
            <p>
              <strong>Copy it now: it is shown only this once.</strong> The old secret stopped working; paste this one into the customer's IdP.
            </p>
          </Notice>
          <CopyField label="SCIM secret (bearer token)" value={rotated} secret />
        </section>
      ) : null}
      <CopyField label="SCIM endpoint" value={d.scim?.endpoint ?? ''} />
      <p className="muted">Webhook: {d.webhook?.endpoint || 'none — the app pulls changes through the API.'}</p>

      <Tabs label="Directory data" tabs={TABS} active={tab} onSelect={(t) => setSearch({ tab: t })} />
      <TabPanel id={tab}>
        {tab === 'users' ? <UsersTab id={d.id} /> : tab === 'groups' ? <GroupsTab id={d.id} /> : tab === 'requests' ? <ScimInspector load={adminApi.directoryRequests} directoryId={d.id} name={title} /> : <EventsTab id={d.id} canEdit={canEdit} />}
      </TabPanel>

      <ConfirmDialog open={confirmRotate} title="Rotate the SCIM secret?" confirmLabel="Rotate secret" danger busy={busy} onConfirm={() => void rotate()} onCancel={() => setConfirmRotate(false)}>
        <p>The current secret stops working at once: the customer's IdP cannot sync until it has the new one.</p>
      </ConfirmDialog>
      <ConfirmDialog open={confirm} title="Delete this directory?" confirmLabel="Delete directory" danger busy={busy} onConfirm={() => void remove()} onCancel={() => setConfirm(false)}>
        <p>
          Its SCIM endpoint stops working at once and its users, groups and events are deleted. The customer's IdP will report errors until it is reconfigured.
        </p>
      </ConfirmDialog>
    </>
  );
}

const userName = (u: DirectoryUser) => [u.first_name, u.last_name].filter(Boolean).join(' ') || '—';

const USER_COLUMNS: Column<DirectoryUser>[] = [
  { header: 'Name', cell: userName },
  { header: 'Email', cell: (u) => u.email || '—' },
  { header: 'User name', cell: (u) => String(u.raw?.userName ?? '—') },
  { header: 'Status', cell: (u) => (u.active === false ? <Badge kind="bad">Inactive</Badge> : <Badge kind="good">Active</Badge>) },
];

function UsersTab({ id }: { id: string }) {
  const list = usePaged((cursor, signal) => adminApi.directoryUsers(id, { cursor }, signal), [id]);
  return (
    <>
      <h2 className="sr-only">Users</h2>
      <PagedTable
        list={list}
        label="Users"
        rowKey={(u) => u.id}
        columns={USER_COLUMNS}
        empty={{ title: 'No users yet', body: "Users appear when the customer's IdP pushes them to the SCIM endpoint (assign the app to people or groups in the IdP)." }}
      />
    </>
  );
}

function GroupsTab({ id }: { id: string }) {
  const list = usePaged((cursor, signal) => adminApi.directoryGroups(id, { cursor }, signal), [id]);
  const [open, setOpen] = useState<string | null>(null);
  const rows = list.data?.data ?? [];
  return (
    <>
      <h2 className="sr-only">Groups</h2>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading label="Loading groups…" /> : null}
      {list.data && !rows.length ? <EmptyState title="No groups yet">Groups appear when the customer's IdP pushes them (in Okta: Push Groups; in Entra ID: assign groups to the app).</EmptyState> : null}
      <ul className="groups">
        {rows.map((g) => (
          <li key={g.id} className="group">
            <button type="button" className="button button--link" aria-expanded={open === g.id} aria-controls={`members-${g.id}`} onClick={() => setOpen(open === g.id ? null : g.id)}>
              {g.name || g.id}
            </button>
            {open === g.id ? (
              <div id={`members-${g.id}`} className="group__members">
                <Members id={id} groupId={g.id} name={g.name || g.id} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <Pager label="Groups" page={list.page} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} total={list.data?.total} />
    </>
  );
}

function Members({ id, groupId, name }: { id: string; groupId: string; name: string }) {
  const list = usePaged((cursor, signal) => adminApi.groupMembers(id, groupId, { cursor }, signal), [id, groupId]);
  // Members come as user ids; names and emails are looked up among the directory's first 100 users.
  const users = useAsync((signal) => adminApi.directoryUsers(id, { limit: 100 }, signal), [id]);
  const byId = new Map((users.data?.data ?? []).map((u) => [u.id, u]));
  const rows: DirectoryUser[] = (list.data?.data ?? []).map((m) => {
    const userId = (m as { user_id?: string }).user_id ?? m.id;
    return byId.get(userId) ?? { id: userId, raw: { userName: userId } };
  });
  return (
    <>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading label="Loading members…" /> : null}
      {list.data && !rows.length ? <p className="muted">This group has no members.</p> : null}
      {rows.length ? <DataTable rows={rows} columns={USER_COLUMNS} rowKey={(u) => u.id} caption={`Members of ${name}`} /> : null}
      <Pager label={`Members of ${name}`} page={list.page} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} total={list.data?.total} />
    </>
  );
}

const statusBadge = (e: DirectoryEvent) => <Badge kind={e.status === 'delivered' ? 'good' : e.status === 'failed' ? 'bad' : 'warn'}>{e.status}</Badge>;

function EventsTab({ id, canEdit }: { id: string; canEdit: boolean }) {
  const list = usePaged((cursor, signal) => adminApi.directoryEvents(id, { cursor }, signal), [id]);
  const [replaying, setReplaying] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const replay = async (e: DirectoryEvent) => {
    setReplaying(e.id);
    setMessage(null);
    try {
      await adminApi.replayEvent(id, e.id);
      setMessage({ kind: 'success', text: `Event ${e.event} (${e.id}) queued for delivery again.` });
      list.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: `Replay of ${e.id} failed: ${errorMessage(err)}` });
    } finally {
      setReplaying(null);
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
      <div role="status" className="status-line">
        {message?.kind === 'success' ? message.text : ''}
      </div>
      {message?.kind === 'error' ? (
        <div className="alert alert--error" role="alert">
          {message.text}
        </div>
      ) : null}
      <PagedTable
        list={list}
        label="Events"
        caption="Webhook events"
        note={<p className="hint">Failed deliveries (the app's webhook kept refusing until the retry deadline) can be replayed once the app is fixed.</p>}
        rowKey={(e) => e.id}
        empty={{ title: 'No events yet', body: 'Each change the IdP pushes (a user created, a member added…) becomes an event here, with every webhook delivery attempt.' }}
        columns={[
          { header: 'Event', cell: (e) => <code>{e.event}</code> },
          { header: 'Created', cell: (e) => <DateTime value={e.created_at} /> },
          { header: 'Status', cell: statusBadge },
          { header: 'Attempts', cell: (e) => e.attempts },
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
                      <button type="button" className="button button--small" onClick={() => void replay(e)} disabled={replaying === e.id} aria-label={`Replay event ${e.event} ${e.id}`}>
                        {replaying === e.id ? 'Replaying…' : 'Replay'}
                      </button>
                    ) : (
                      <span className="muted">{e.status === 'pending' ? 'retrying' : '—'}</span>
                    ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
