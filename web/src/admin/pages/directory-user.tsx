/** One user of a directory: who they are, whether active, every SCIM attribute the IdP sent, and the recent events about them. */
import { useAsync } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { Badge, DateTime, Details, ErrorBox, Loading, PageHeader } from '../../shared/ui.tsx';
import { DataTable } from '../../shared/paged-table.tsx';
import { adminApi } from '../api.ts';
import type { DirectoryEvent } from '../../shared/api-types.ts';

const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function DirectoryUserPage({ id, userId }: { id: string; userId: string }) {
  const dir = useAsync((signal) => adminApi.directory(id, signal), [id]);
  const user = useAsync((signal) => adminApi.directoryUser(id, userId, signal), [id, userId]);
  // The directory's newest events, of which this user's are shown (the event log keeps the recent ones).
  const events = useAsync((signal) => adminApi.directoryEvents(id, { limit: 100 }, signal), [id]);
  const dirPath = `/admin/dsync/directories/${encodeURIComponent(id)}`;
  const crumbs = (name: string) => (
    <nav className="breadcrumbs" aria-label="Breadcrumb">
      <Link to="/admin/dsync/directories">Directories</Link> <span aria-hidden="true">/</span> <Link to={dirPath}>{dir.data?.name || 'Directory'}</Link> <span aria-hidden="true">/</span>{' '}
      <span aria-current="page">{name}</span>
    </nav>
  );
  if (user.loading && !user.data) return <Loading label="Loading the user…" />;
  if (user.error || !user.data) return <>{crumbs('User')}<ErrorBox error={user.error} onRetry={user.reload} /></>;
  const u = user.data;
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ') || String(u.raw?.userName ?? u.id);
  // `groups` is left out: the pull API renders users without their memberships (see the Groups tab); `id` is shown above.
  const raw = Object.entries(u.raw ?? {}).filter(([k]) => !['schemas', 'meta', 'groups', 'id'].includes(k));
  const mine = (events.data?.data ?? []).filter((e) => (e.payload as { data?: { id?: string } } | null)?.data?.id === u.id);
  return (
    <>
      {crumbs(name)}
      <PageHeader title={name} description={<>User of the <Link to={dirPath}>{dir.data?.name || 'directory'}</Link> directory {u.active === false ? <Badge kind="bad">Inactive</Badge> : <Badge kind="good">Active</Badge>}</>} />
      <Details rows={[['Email', show(u.email)], ['User name', show(u.raw?.userName)], ['External ID', show(u.raw?.externalId)], ['Gatehouse ID', <code key="id">{u.id}</code>]]} />
      <h2>Attributes from the identity provider</h2>
      {raw.length ? (
        <DataTable rows={raw} rowKey={([k]) => k} caption="SCIM attributes" columns={[{ header: 'Attribute', cell: ([k]) => <code>{k}</code> }, { header: 'Value', className: 'break', cell: ([, v]) => show(v) }]} />
      ) : (
        <p className="muted">The identity provider sent no other attributes.</p>
      )}
      <h2>Recent events about this user</h2>
      <ErrorBox error={events.error} onRetry={events.reload} />
      {mine.length ? (
        <DataTable<DirectoryEvent>
          rows={mine}
          rowKey={(e) => e.id}
          caption="Events about this user"
          columns={[{ header: 'Event', cell: (e) => <code>{e.event}</code> }, { header: 'Created', cell: (e) => <DateTime value={e.created_at} /> }, { header: 'Status', cell: (e) => e.status }]}
        />
      ) : events.data ? (
        <p className="muted">No recent events about this user.</p>
      ) : null}
    </>
  );
}
