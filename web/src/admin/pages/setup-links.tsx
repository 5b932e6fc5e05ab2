/**
 * Enterprise SSO → Setup Links and Directory Sync → Setup Links: one list per service, filtered by tenant,
 * product and status (where the customer stands: Not opened … Live), with Copy, View, Regenerate and Delete on
 * each row. Expired links are marked.
 */
import { Link, useLocation } from '../../shared/router.tsx';
import { usePaged } from '../../shared/hooks.ts';
import { CopyButton, Notice, PageHeader } from '../../shared/ui.tsx';
import { PagedTable } from '../../shared/paged-table.tsx';
import { adminApi } from '../api.ts';
import { TenantProductFilter } from '../filters.tsx';
import { useCanEdit } from '../session.tsx';
import type { SetupService } from '../../shared/api-types.ts';
import { Expiry, LinkActions, linkLabel, linkPath, listPath, ProgressStatus, SERVICE_LABEL, STATUS_LABEL, StatusFilter } from './setup-link-common.tsx';
import type { SetupStatus } from '../../shared/api-types.ts';

export function SetupLinksPage({ service }: { service: SetupService }) {
  const { search } = useLocation();
  const tenant = search.get('tenant') ?? '';
  const product = search.get('product') ?? '';
  const status = search.get('status') ?? '';
  const deleted = search.get('deleted');
  const canEdit = useCanEdit();
  const list = usePaged((cursor, signal) => adminApi.setupLinks({ service, tenant, product, status, cursor }, signal), [service, tenant, product, status]);
  const what = service === 'sso' ? 'configure SAML or OIDC single sign-on' : 'connect their directory (SCIM)';
  return (
    <>
      <PageHeader
        title="Setup Links"
        description={`${SERVICE_LABEL[service]}: links your customers' IT admins open to ${what} themselves, without an account.`}
        actions={
          canEdit ? (
            <Link className="button button--primary" to={`${listPath(service)}/new`}>
              New Setup Link
            </Link>
          ) : null
        }
      />
      {deleted ? (
        <Notice kind="success">
          <p>The setup link was deleted: its URL no longer works.</p>
        </Notice>
      ) : null}
      <TenantProductFilter tenant={tenant} product={product} label="Filter setup links">
        <StatusFilter service={service} status={status} />
      </TenantProductFilter>
      <PagedTable
        list={list}
        label="Setup links"
        caption={`${SERVICE_LABEL[service]} setup links`}
        rowKey={(l) => l.id}
        empty={{
          title: tenant || product || status ? `No setup link matches this filter${status in STATUS_LABEL ? ` (${STATUS_LABEL[status as SetupStatus]})` : ''}` : 'No setup links yet',
          body: "A setup link is bound to one tenant and product and expires after a few days. Send it to your customer's IT admin.",
          action: canEdit ? (
            <Link className="button button--primary" to={`${listPath(service)}/new`}>
              Create a setup link
            </Link>
          ) : undefined,
        }}
        columns={[
          { header: 'Name', cell: (l) => l.name || <span className="muted">(no name)</span> },
          { header: 'Tenant', cell: (l) => l.tenant },
          { header: 'Product', cell: (l) => l.product },
          { header: 'Status', cell: (l) => <ProgressStatus service={service} progress={l.progress} /> },
          { header: 'Expires', cell: (l) => <Expiry link={l} /> },
          {
            header: 'Actions',
            cell: (l) => (
              <div className="row-actions">
                {l.url ? <CopyButton value={l.url} label={`setup link URL of ${linkLabel(l)}`} /> : null}
                <Link className="button button--small" to={linkPath(service, l.id)} aria-label={`View ${linkLabel(l)}`}>
                  View
                </Link>
                {canEdit ? (
                  <LinkActions
                    link={l}
                    onRegenerated={() => list.reload()}
                    onDeleted={() => list.reload()}
                    render={({ regenerate, remove }) => (
                      <>
                        {regenerate}
                        {remove}
                      </>
                    )}
                  />
                ) : null}
              </div>
            ),
          },
        ]}
      />
    </>
  );
}
