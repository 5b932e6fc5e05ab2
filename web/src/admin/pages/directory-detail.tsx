/** One directory: SCIM endpoint, and tabs Users, Groups (with members), Events (deliveries, replay) and SCIM requests (the inspector). */
import { useState } from 'react';
import { useAsync, usePaged } from '../../shared/hooks.ts';
import { Link, navigate, setSearch, useLocation } from '../../shared/router.tsx';
import { Badge, ConfirmDialog, CopyField, EmptyState, ErrorBox, Loading, Notice, PageHeader, Pager, TabPanel, Tabs } from '../../shared/ui.tsx';
import { DataTable, PagedTable, type Column } from '../../shared/paged-table.tsx';
import { adminApi } from '../api.ts';
import { directoryTypeName, type DirectoryUser } from '../../shared/api-types.ts';
import { EventsTab } from './directory-events.tsx';
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
            {directoryTypeName(d.type)} directory for <strong>{d.tenant}</strong> · <strong>{d.product}</strong> {d.deactivated ? <Badge kind="bad">Deactivated</Badge> : <Badge kind="good">Active</Badge>}
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

/** The users table of a directory: each user opens their own page. */
const userColumns = (directoryId: string): Column<DirectoryUser>[] => [
  { header: 'Name', cell: (u) => <Link to={`/admin/dsync/directories/${encodeURIComponent(directoryId)}/users/${encodeURIComponent(u.id)}`}>{userName(u) === '—' ? String(u.raw?.userName ?? u.id) : userName(u)}</Link> },
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
        columns={userColumns(id)}
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
      {rows.length ? <DataTable rows={rows} columns={userColumns(id)} rowKey={(u) => u.id} caption={`Members of ${name}`} /> : null}
      <Pager label={`Members of ${name}`} page={list.page} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} total={list.data?.total} />
    </>
  );
}
