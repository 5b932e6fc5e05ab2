/** Directory Sync → Directories: server-side paginated list, filtered by tenant and product. */
import { usePaged } from '../../shared/hooks.ts';
import { Link, useLocation } from '../../shared/router.tsx';
import { Badge, EmptyState, ErrorBox, Loading, PageHeader, Pager } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import { TenantProductFilter } from '../filters.tsx';
import { useCanEdit } from '../session.tsx';

export function DirectoriesPage() {
  const { search } = useLocation();
  const tenant = search.get('tenant') ?? '';
  const product = search.get('product') ?? '';
  const canEdit = useCanEdit();
  const list = usePaged((cursor, signal) => adminApi.directories({ tenant, product, cursor }, signal), [tenant, product]);
  const rows = list.data?.data ?? [];
  return (
    <>
      <PageHeader
        title="Directories"
        description="SCIM 2.0 endpoints your customers' identity providers push users and groups to."
        actions={
          canEdit ? (
            <>
              <Link className="button button--primary" to="/admin/dsync/directories/new">
                New directory
              </Link>
              <Link className="button" to="/admin/setup-links/new?service=dsync">
                New Setup Link
              </Link>
            </>
          ) : null
        }
      />
      <TenantProductFilter tenant={tenant} product={product} label="Filter directories" />
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading label="Loading directories…" /> : null}
      {list.data && rows.length === 0 ? (
        <EmptyState
          title={tenant || product ? 'No directory matches this filter' : 'No directories yet'}
          action={
            canEdit ? (
              <Link className="button button--primary" to="/admin/dsync/directories/new">
                Create a directory
              </Link>
            ) : undefined
          }
        >
          Create a directory, then give its SCIM endpoint and secret to the customer's IT admin to paste into their IdP.
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table" aria-busy={list.loading}>
            <caption className="sr-only">Directories</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Tenant</th>
                <th scope="col">Product</th>
                <th scope="col">Type</th>
                <th scope="col">Webhook</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/admin/dsync/directories/${encodeURIComponent(d.id)}`}>{d.name || d.id}</Link>
                  </td>
                  <td>{d.tenant}</td>
                  <td>{d.product}</td>
                  <td>{d.type ?? 'generic-scim-v2'}</td>
                  <td className="break">{d.webhook?.endpoint || <span className="muted">none (pull API)</span>}</td>
                  <td>{d.deactivated ? <Badge kind="bad">Deactivated</Badge> : <Badge kind="good">Active</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager label="Directories" page={list.page} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} total={list.data?.total} />
    </>
  );
}
