/**
 * Customers → Reconciliation & roles (issue 16 §3–4): for one tenant and product, the directory beside the SSO
 * sign-ins of the last 30 days (four lists, each row with a suggested fix, and a CSV export), and the
 * group-to-role mapping with its dry run.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { download } from '../../shared/api.ts';
import type { ReconciliationList } from '../../shared/api-types.ts';
import { useAsync } from '../../shared/hooks.ts';
import { RoleMappingEditor, type RoleMappingApi } from '../../shared/role-mapping-editor.tsx';
import { DateTime, EmptyState, ErrorBox, Loading, PageHeader, TabPanel, Tabs } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';

const LISTS: { id: ReconciliationList; title: string; empty: string }[] = [
  { id: 'signedInAfterDeactivation', title: 'Deactivated in the directory, signed in after that', empty: 'Nobody deactivated in the directory signed in afterwards.' },
  { id: 'noDirectoryRecord', title: 'Signed in through SSO, not in the directory', empty: 'Everyone who signed in is in the directory.' },
  { id: 'mismatched', title: 'NameID or email differs from the directory', empty: 'Every sign-in matches its directory record.' },
  { id: 'neverSignedIn', title: 'Provisioned, never signed in', empty: 'Every active directory user signed in.' },
];

function ReconciliationView({ tenant, product }: { tenant: string; product: string }) {
  const r = useAsync((signal) => adminApi.reconciliation(tenant, product, signal), [tenant, product]);
  const [csvError, setCsvError] = useState<unknown>(null);
  if (r.error) return <ErrorBox error={r.error} onRetry={r.reload} />;
  if (!r.data) return <Loading label="Comparing the directory with sign-ins…" />;
  const d = r.data;
  if (d.directories.length === 0) return <EmptyState title="No directory">{tenant} has no directory for {product}: there is nothing to compare sign-ins with.</EmptyState>;
  return (
    <>
      <p>
        Sign-ins since <DateTime value={d.signInsSince} /> (Gatehouse keeps 30 days of sign-ins) compared with {d.directories.length} director{d.directories.length === 1 ? 'y' : 'ies'}.{' '}
        <button type="button" className="button button--small" onClick={() => download(adminApi.reconciliationCsvUrl(tenant, product), 'reconciliation.csv').catch(setCsvError)}>
          Download CSV
        </button>
      </p>
      <ErrorBox error={csvError} />
      {LISTS.map((l) => (
        <section key={l.id} aria-labelledby={`rec-${l.id}`}>
          <h2 id={`rec-${l.id}`}>
            {l.title} ({d.counts[l.id]})
          </h2>
          {d[l.id].length === 0 ? (
            <p className="muted">{l.empty}</p>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-labelledby={`rec-${l.id}`}>
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Last sign-in</th>
                    <th scope="col">What we see</th>
                    <th scope="col">Suggested fix</th>
                  </tr>
                </thead>
                <tbody>
                  {d[l.id].map((row, i) => (
                    <tr key={`${row.user}-${i}`}>
                      <td>
                        {row.user}
                        {row.email && row.email !== row.user.toLowerCase() ? <div className="muted">{row.email}</div> : null}
                      </td>
                      <td>
                        <DateTime value={row.lastSignInAt} />
                      </td>
                      <td>{row.detail}</td>
                      <td>{row.fix}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
      {d.truncated ? <p className="muted">Long lists are cut at 1,000 rows here; the CSV has every row.</p> : null}
    </>
  );
}

export function ReconciliationPage() {
  const params = new URLSearchParams(window.location.search);
  const [form, setForm] = useState({ tenant: params.get('tenant') ?? '', product: params.get('product') ?? '' });
  const [shown, setShown] = useState(form.tenant && form.product ? form : null);
  const [tab, setTab] = useState(params.get('tab') === 'roles' ? 'roles' : 'reconciliation');
  const roleApi = useMemo<RoleMappingApi | null>(
    () =>
      shown && {
        load: (signal) => adminApi.roleMappings(shown.tenant, shown.product, signal),
        preview: (m) => adminApi.previewRoleMappings(shown.tenant, shown.product, m),
        save: (m) => adminApi.saveRoleMappings(shown.tenant, shown.product, m),
      },
    [shown],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form.tenant.trim() && form.product.trim()) setShown({ tenant: form.tenant.trim(), product: form.product.trim() });
  };
  return (
    <>
      <PageHeader title="Reconciliation & roles" description="For one customer and app: who is in the directory but never signs in, who signs in without being in it, and which groups give which roles." />
      <form className="filters" onSubmit={submit} aria-label="Tenant and product">
        <div className="field">
          <label htmlFor="rec-tenant">Tenant</label>
          <input id="rec-tenant" value={form.tenant} onChange={(e) => setForm({ ...form, tenant: e.target.value })} required />
        </div>
        <div className="field">
          <label htmlFor="rec-product">Product</label>
          <input id="rec-product" value={form.product} onChange={(e) => setForm({ ...form, product: e.target.value })} required />
        </div>
        <div className="filters__actions">
          <button type="submit" className="button button--primary">
            Show
          </button>
        </div>
      </form>
      {shown && roleApi ? (
        <>
          <Tabs label="Reconciliation and roles" tabs={[{ id: 'reconciliation', label: 'Reconciliation' }, { id: 'roles', label: 'Roles' }]} active={tab} onSelect={setTab} />
          <TabPanel id={tab}>{tab === 'roles' ? <RoleMappingEditor api={roleApi} who="vendor" /> : <ReconciliationView tenant={shown.tenant} product={shown.product} />}</TabPanel>
        </>
      ) : (
        <EmptyState title="Choose a tenant and a product">Enter the tenant and product to compare.</EmptyState>
      )}
    </>
  );
}
