/** Directory Sync → Directories: server-side paginated list, filtered by tenant and product. */
import { usePaged } from '../../shared/hooks.ts';
import { Link, useLocation } from '../../shared/router.tsx';
import { Badge, PageHeader } from '../../shared/ui.tsx';
import { PagedTable } from '../../shared/paged-table.tsx';
import { adminApi } from '../api.ts';
import { TenantProductFilter } from '../filters.tsx';
import { directoryTypeName } from '../../shared/api-types.ts';
import { useCanEdit } from '../session.tsx';

export function DirectoriesPage() {
  const { search } = useLocation();
  const tenant = search.get('tenant') ?? '';
  const product = search.get('product') ?? '';
  const canEdit = useCanEdit();
  const list = usePaged((cursor, signal) => adminApi.directories({ tenant, product, cursor }, signal), [tenant, product]);
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
      <PagedTable
        list={list}
        label="Directories"
        rowKey={(d) => d.id}
        empty={{
          title: tenant || product ? 'No directory matches this filter' : 'No directories yet',
          body: "Create a directory, then give its SCIM endpoint and secret to the customer's IT admin to paste into their IdP.",
          action: canEdit ? (
            <Link className="button button--primary" to="/admin/dsync/directories/new">
              Create a directory
            </Link>
          ) : undefined,
        }}
        columns={[
          { header: 'Name', cell: (d) => <Link to={`/admin/dsync/directories/${encodeURIComponent(d.id)}`}>{d.name || d.id}</Link> },
          { header: 'Tenant', cell: (d) => d.tenant },
          { header: 'Product', cell: (d) => d.product },
          { header: 'Type', cell: (d) => directoryTypeName(d.type) },
          { header: 'Webhook', className: 'break', cell: (d) => d.webhook?.endpoint || <span className="muted">none (pull API)</span> },
          { header: 'Status', cell: (d) => (d.deactivated ? <Badge kind="bad">Deactivated</Badge> : <Badge kind="good">Active</Badge>) },
        ]}
      />
    </>
  );
}
