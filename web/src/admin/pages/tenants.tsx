/** Tenants (customer organisations): list with an add form. */
import { useState } from 'react';
import { Form, SubmitButton, TextField, useSubmit } from '../../shared/forms.tsx';
import { usePaged } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { Notice, PageHeader } from '../../shared/ui.tsx';
import { PagedTable } from '../../shared/paged-table.tsx';
import { adminApi } from '../api.ts';
import { useCanEdit } from '../session.tsx';

export function TenantsPage() {
  const canEdit = useCanEdit();
  const list = usePaged((cursor, signal) => adminApi.tenants({ cursor }, signal), []);
  const [f, setF] = useState({ tenant: '', enterpriseKey: '', name: '' });
  const [added, setAdded] = useState<string | null>(null);
  const state = useSubmit();
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));
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
      <PagedTable
        list={list}
        label="Tenants"
        rowKey={(t) => t.tenant}
        empty={{ title: 'No tenant records yet', body: 'Connections work with a plain tenant name; add a record below to choose its enterprise key and verify its email domains.' }}
        columns={[
          { header: 'Tenant', cell: (t) => <Link to={`/admin/tenants/${encodeURIComponent(t.tenant)}`}>{t.tenant}</Link> },
          { header: 'Name', cell: (t) => t.name },
          { header: 'Enterprise key', cell: (t) => <code>{t.enterpriseKey}</code> },
        ]}
      />
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
