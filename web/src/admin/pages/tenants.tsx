/** Tenants (customer organisations): list with an add form. */
import { useState } from 'react';
import { Form, SubmitButton, TextField, useSubmit } from '../../shared/forms.tsx';
import { usePaged } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { EmptyState, ErrorBox, Loading, Notice, PageHeader, Pager } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import { useCanEdit } from '../session.tsx';

export function TenantsPage() {
  const canEdit = useCanEdit();
  const list = usePaged((cursor, signal) => adminApi.tenants({ cursor }, signal), []);
  const [f, setF] = useState({ tenant: '', enterpriseKey: '', name: '' });
  const [added, setAdded] = useState<string | null>(null);
  const state = useSubmit();
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));
  const rows = list.data?.data ?? [];
  const submit = () =>
    state.run(async () => {
      const t = await adminApi.createTenant({ tenant: f.tenant.trim(), enterpriseKey: f.enterpriseKey.trim() || undefined, name: f.name.trim() || undefined });
      setAdded(t.tenant);
      setF({ tenant: '', enterpriseKey: '', name: '' });
      list.reload();
    });
  return (
    <>
      <PageHeader title="Tenants" description="Your customers. A tenant's enterprise key appears in its login links; its verified domains route users by email." />
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading label="Loading tenants…" /> : null}
      {list.data && !rows.length ? <EmptyState title="No tenant records yet">Connections work with a plain tenant name; add a record below to choose its enterprise key and verify its email domains.</EmptyState> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Tenants</caption>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Name</th>
                <th scope="col">Enterprise key</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.tenant}>
                  <td>
                    <Link to={`/admin/tenants/${encodeURIComponent(t.tenant)}`}>{t.tenant}</Link>
                  </td>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.enterpriseKey}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager label="Tenants" page={list.page} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} total={list.data?.total} />
      {canEdit ? (
        <section aria-labelledby="add-tenant">
          <h2 id="add-tenant">Add a tenant</h2>
          {added ? <Notice kind="success">Tenant {added} added. Open it to verify its email domains.</Notice> : null}
          <Form state={state} onSubmit={submit} label="Add a tenant" validate={() => (f.tenant.trim() ? {} : { tenant: 'Enter the tenant identifier, e.g. acme.com.' })}>
            <div className="grid-3">
              <TextField name="tenant" label="Tenant identifier" hint="As used in connections, e.g. acme.com." value={f.tenant} onValue={set('tenant')} required />
              <TextField name="enterpriseKey" label="Enterprise key" hint="In login links; defaults to the identifier." value={f.enterpriseKey} onValue={set('enterpriseKey')} />
              <TextField name="name" label="Display name" value={f.name} onValue={set('name')} />
            </div>
            <div className="form-actions">
              <SubmitButton busy={state.busy}>Add tenant</SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  );
}
