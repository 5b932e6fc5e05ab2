/** Enterprise SSO → Connections: server-side paginated list, filtered by tenant and product. */
import { Link, useLocation } from '../../shared/router.tsx';
import { usePaged } from '../../shared/hooks.ts';
import { Badge, PageHeader } from '../../shared/ui.tsx';
import { PagedTable } from '../../shared/paged-table.tsx';
import { adminApi } from '../api.ts';
import { connectionKind, TenantProductFilter } from '../filters.tsx';
import { useCanEdit } from '../session.tsx';

export function ConnectionsPage() {
  const { search } = useLocation();
  const tenant = search.get('tenant') ?? '';
  const product = search.get('product') ?? '';
  const canEdit = useCanEdit();
  const list = usePaged((cursor, signal) => adminApi.connections({ tenant, product, cursor }, signal), [tenant, product]);
  return (
    <>
      <PageHeader
        title="Connections"
        description="SAML and OIDC identity providers, one or more per tenant and product."
        actions={
          canEdit ? (
            <>
              <Link className="button button--primary" to="/admin/sso/connections/new">
                New connection
              </Link>
              <Link className="button" to="/admin/setup-links/new?service=sso">
                New Setup Link
              </Link>
            </>
          ) : null
        }
      />
      <TenantProductFilter tenant={tenant} product={product} label="Filter connections" />
      <PagedTable
        list={list}
        label="Connections"
        rowKey={(c) => c.clientID}
        empty={{
          title: tenant || product ? 'No connection matches this filter' : 'No connections yet',
          body: tenant || product ? 'Clear the filter or create a connection for this tenant and product.' : 'Create a connection with the IdP metadata (SAML) or the discovery URL and client credentials (OIDC) your customer gives you.',
          action: canEdit ? (
            <Link className="button button--primary" to="/admin/sso/connections/new">
              Create the first connection
            </Link>
          ) : undefined,
        }}
        columns={[
          { header: 'Name', cell: (c) => <Link to={`/admin/sso/connections/${encodeURIComponent(c.clientID)}`}>{c.name || c.idpMetadata?.entityID || c.oidcProvider?.provider || c.clientID}</Link> },
          { header: 'Type', cell: (c) => connectionKind(c) },
          { header: 'Tenant', cell: (c) => c.tenant },
          { header: 'Product', cell: (c) => c.product },
          { header: 'Identity provider', className: 'break', cell: (c) => c.idpMetadata?.entityID ?? c.oidcProvider?.provider ?? c.oidcProvider?.discoveryUrl ?? '—' },
          {
            header: 'Status',
            cell: (c) => (
              <>
                {c.deactivated ? <Badge kind="bad">Deactivated</Badge> : <Badge kind="good">Active</Badge>}{' '}
                {c.idpMetadata?.warnings?.length ? <Badge kind="warn">{c.idpMetadata.warnings.length} warning{c.idpMetadata.warnings.length > 1 ? 's' : ''}</Badge> : null}
              </>
            ),
          },
        ]}
      />
    </>
  );
}
