/** One tenant: its enterprise key and name, and its email domains with the TXT record to publish and Verify. */
import { useState } from 'react';
import { errorMessage } from '../../shared/api.ts';
import { Form, SubmitButton, TextField, useSubmit } from '../../shared/forms.tsx';
import { useAsync } from '../../shared/hooks.ts';
import { Link, navigate } from '../../shared/router.tsx';
import { ActionMessage, Badge, ConfirmDialog, CopyField, EmptyState, ErrorBox, Loading, Notice, PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import type { Domain, Tenant } from '../../shared/api-types.ts';
import { useCanEdit } from '../session.tsx';

export function TenantDetailPage({ tenant }: { tenant: string }) {
  const res = useAsync((signal) => adminApi.tenant(tenant, signal), [tenant]);
  if (res.loading && !res.data) return <Loading label="Loading the tenant…" />;
  if (res.error || !res.data) return <ErrorBox error={res.error} onRetry={res.reload} />;
  return <TenantDetail t={res.data} />;
}

function TenantDetail({ t }: { t: Tenant }) {
  const canEdit = useCanEdit();
  const [f, setF] = useState({ enterpriseKey: t.enterpriseKey ?? '', name: t.name ?? '' });
  const [saved, setSaved] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const state = useSubmit();
  const del = useSubmit();
  const submit = () =>
    state.run(async () => {
      setSaved(false);
      await adminApi.updateTenant(t.tenant, { enterpriseKey: f.enterpriseKey.trim(), name: f.name.trim() });
      setSaved(true);
    });
  const remove = () =>
    del.run(async () => {
      await adminApi.deleteTenant(t.tenant);
      navigate('/admin/tenants');
    }).finally(() => setConfirm(false));
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/admin/tenants">Tenants</Link> <span aria-hidden="true">/</span> <span aria-current="page">{t.tenant}</span>
      </nav>
      <PageHeader
        title={`Tenant ${t.tenant}`}
        actions={
          canEdit ? (
            <button type="button" className="button button--danger" onClick={() => setConfirm(true)}>
              Delete
            </button>
          ) : null
        }
      />
      <ErrorBox error={del.error} />
      {saved ? <Notice kind="success">Changes saved.</Notice> : null}
      <Form state={state} onSubmit={submit} label="Edit tenant" validate={() => (f.enterpriseKey.trim() ? {} : { enterpriseKey: 'Enter the enterprise key used in login links.' })}>
        <div className="grid-2">
          <TextField name="enterpriseKey" label="Enterprise key" hint="Changing it changes the tenant's login links." value={f.enterpriseKey} onValue={(v) => setF((s) => ({ ...s, enterpriseKey: v }))} disabled={!canEdit} />
          <TextField name="name" label="Display name" value={f.name} onValue={(v) => setF((s) => ({ ...s, name: v }))} disabled={!canEdit} />
        </div>
        {canEdit ? (
          <div className="form-actions">
            <SubmitButton busy={state.busy}>Save changes</SubmitButton>
          </div>
        ) : null}
      </Form>
      <Domains tenant={t.tenant} canEdit={canEdit} />
      <ConfirmDialog open={confirm} title={`Delete tenant ${t.tenant}?`} confirmLabel="Delete tenant" danger busy={del.busy} onConfirm={() => void remove()} onCancel={() => setConfirm(false)}>
        <p>Its enterprise key and verified domains are forgotten; users who sign in by email domain will no longer be routed to this tenant.</p>
      </ConfirmDialog>
    </>
  );
}

function Domains({ tenant, canEdit }: { tenant: string; canEdit: boolean }) {
  const list = useAsync((signal) => adminApi.domains(tenant, signal), [tenant]);
  const [domain, setDomain] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const add = useSubmit();
  const rows: Domain[] = list.data?.data ?? [];
  const submit = () =>
    add.run(async () => {
      await adminApi.addDomain(tenant, domain.trim());
      setDomain('');
      list.reload();
    });
  const act = async (d: Domain, what: 'verify' | 'remove') => {
    setBusy(`${what}:${d.domain}`);
    setMessage(null);
    try {
      if (what === 'verify') {
        const r = await adminApi.verifyDomain(tenant, d.domain);
        setMessage(r?.verified ? { kind: 'success', text: `${d.domain} is verified.` } : { kind: 'error', text: `The TXT record for ${d.domain} was not found yet. DNS changes can take a while to appear.` });
      } else {
        await adminApi.deleteDomain(tenant, d.domain);
        setMessage({ kind: 'success', text: `${d.domain} removed.` });
      }
      list.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: `${d.domain}: ${errorMessage(err)}` });
    } finally {
      setBusy(null);
    }
  };
  return (
    <section aria-labelledby="domains">
      <h2 id="domains">Email domains</h2>
      <p className="lead">Publish the TXT record at the customer's DNS, then press Verify. Verified domains route users who type their work email to this tenant.</p>
      <ActionMessage message={message} />
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading label="Loading domains…" /> : null}
      {list.data && !rows.length ? <EmptyState title="No domains claimed">Add the customer's email domain below to get the TXT record to publish.</EmptyState> : null}
      <ul className="domains">
        {rows.map((d) => (
          <li key={d.domain} className="domain">
            <h3>
              {d.domain} {d.verified ? <Badge kind="good">Verified</Badge> : <Badge kind="warn">Not verified</Badge>}
            </h3>
            {!d.verified ? (
              <div className="grid-2">
                <CopyField label={`TXT record name for ${d.domain}`} value={d.txtRecord.name} />
                <CopyField label={`TXT record value for ${d.domain}`} value={d.txtRecord.value} />
              </div>
            ) : null}
            {canEdit ? (
              <div className="form-actions">
                {!d.verified ? (
                  <button type="button" className="button button--primary" onClick={() => void act(d, 'verify')} disabled={busy !== null} aria-label={`Verify ${d.domain}`}>
                    {busy === `verify:${d.domain}` ? 'Checking DNS…' : 'Verify'}
                  </button>
                ) : null}
                <button type="button" className="button" onClick={() => void act(d, 'remove')} disabled={busy !== null} aria-label={`Remove ${d.domain}`}>
                  Remove
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {canEdit ? (
        <Form state={add} onSubmit={submit} label="Add a domain" className="form form--inline" validate={() => (/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(domain.trim()) ? {} : { domain: 'Enter a domain like acme.com.' })}>
          <TextField name="domain" label="Domain" value={domain} onValue={setDomain} />
          <SubmitButton busy={add.busy}>Add domain</SubmitButton>
        </Form>
      ) : null}
    </section>
  );
}
