/** Enterprise SSO → Connections: server-side paginated list, filtered by tenant and product. */
import { Link, useLocation } from '../../shared/router.tsx';
import { usePaged } from '../../shared/hooks.ts';
import { Badge, EmptyState, ErrorBox, Loading, PageHeader, Pager } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import { connectionKind, TenantProductFilter } from '../filters.tsx';
import { useCanEdit } from '../session.tsx';

export function ConnectionsPage() {
  const { search } = useLocation();
  const tenant = search.get('tenant') ?? '';
  const product = search.get('product') ?? '';
  const canEdit = useCanEdit();
  const list = usePaged((cursor, signal) => adminApi.connections({ tenant, product, cursor }, signal), [tenant, product]);
  const rows = list.data?.data ?? [];
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
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading label="Loading connections…" /> : null}
      {list.data && rows.length === 0 ? (
        <EmptyState
          title={tenant || product ? 'No connection matches this filter' : 'No connections yet'}
          action={
            canEdit ? (
              <Link className="button button--primary" to="/admin/sso/connections/new">
                Create the first connection
              </Link>
            ) : undefined
          }
        >
          {tenant || product ? 'Clear the filter or create a connection for this tenant and product.' : 'Create a connection with the IdP metadata (SAML) or the discovery URL and client credentials (OIDC) your customer gives you.'}
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table" aria-busy={list.loading}>
            <caption className="sr-only">Connections</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Tenant</th>
                <th scope="col">Product</th>
                <th scope="col">Identity provider</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.clientID}>
                  <td>
                    <Link to={`/admin/sso/connections/${encodeURIComponent(c.clientID)}`}>{c.name || c.idpMetadata?.entityID || c.oidcProvider?.provider || c.clientID}</Link>
                  </td>
                  <td>{connectionKind(c)}</td>
                  <td>{c.tenant}</td>
                  <td>{c.product}</td>
                  <td className="break">{c.idpMetadata?.entityID ?? c.oidcProvider?.provider ?? c.oidcProvider?.discoveryUrl ?? '—'}</td>
                  <td>
                    {c.deactivated ? <Badge kind="bad">Deactivated</Badge> : <Badge kind="good">Active</Badge>}{' '}
                    {c.idpMetadata?.warnings?.length ? <Badge kind="warn">{c.idpMetadata.warnings.length} warning{c.idpMetadata.warnings.length > 1 ? 's' : ''}</Badge> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager label="Connections" page={list.page} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} total={list.data?.total} />
    </>
  );
}
