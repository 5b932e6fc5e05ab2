/**
 * API keys for the management API: personal (act as you) or scoped (tenants, products, permissions), optional
 * expiry; the key (gh_…) is shown once with Copy; revoke with a confirmation.
 */
import { useState } from 'react';
import { Checkbox, Form, RadioGroup, SubmitButton, TextField, useSubmit, type FieldErrors } from '../../shared/forms.tsx';
import { usePaged } from '../../shared/hooks.ts';
import { Badge, ConfirmDialog, CopyField, DateTime, ErrorBox, Notice, PageHeader } from '../../shared/ui.tsx';
import { PagedTable } from '../../shared/paged-table.tsx';
import { adminApi } from '../api.ts';
import { PERMISSIONS, type ApiKey, type Permission } from '../../shared/api-types.ts';
import { useCanEdit } from '../session.tsx';

const PERMISSION_LABELS: Record<Permission, string> = {
  'sso:read': 'Read SSO connections (sso:read)',
  'sso:write': 'Change SSO connections (sso:write)',
  'dsync:read': 'Read directories, users, groups and events (dsync:read)',
  'dsync:write': 'Change directories (dsync:write)',
  'setuplinks:write': 'Create and revoke setup links (setuplinks:write)',
  'sso:secrets': 'See secrets in answers: connections\' client secrets, and directories\' SCIM and webhook secrets under JACKSON_COMPAT (sso:secrets)',
};
const list = (v: string) => v.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

export function ApiKeysPage() {
  const canEdit = useCanEdit();
  const keys = usePaged((cursor, signal) => adminApi.apiKeys({ cursor }, signal), []);
  const envKeys = (keys.data as { environmentKeys?: number } | undefined)?.environmentKeys ?? 0;
  const [f, setF] = useState({ name: '', kind: 'personal', tenants: '', products: '', expiresAt: '' });
  const [perms, setPerms] = useState<Permission[]>(['sso:read']);
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const state = useSubmit();
  const revoke = useSubmit();
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));

  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    if (!f.name.trim()) e.name = 'Name the key after what uses it, e.g. “CI deploys”.';
    if (f.kind === 'scoped' && !perms.length) e.permissions = 'Choose at least one permission.';
    if (f.expiresAt && new Date(`${f.expiresAt}T23:59:59`).getTime() <= Date.now()) e.expiresAt = 'Choose a date in the future.';
    return e;
  };
  const submit = () =>
    state.run(async () => {
      const body = {
        name: f.name.trim(),
        kind: f.kind,
        expiresAt: f.expiresAt ? new Date(`${f.expiresAt}T23:59:59`).toISOString() : null,
        ...(f.kind === 'scoped'
          ? {
              // An empty list means "all": the field is left out.
              scopes: { ...(list(f.tenants).length ? { tenants: list(f.tenants) } : {}), ...(list(f.products).length ? { products: list(f.products) } : {}), permissions: perms },
            }
          : {}),
      };
      const k = await adminApi.createApiKey(body);
      setCreated(k);
      setF({ name: '', kind: 'personal', tenants: '', products: '', expiresAt: '' });
      keys.reload();
    });
  const doRevoke = () =>
    revoke.run(async () => {
      await adminApi.revokeApiKey(revoking!.id);
      keys.reload();
    }).finally(() => setRevoking(null));

  return (
    <>
      <PageHeader title="API keys" description={<>Keys for the management API: send <code>Authorization: Api-Key gh_…</code>.</>} />
      {created?.key ? (
        <section className="once" aria-labelledby="new-key">
          <h2 id="new-key">Your new key “{created.name}”</h2>
          <Notice kind="warning">
            <p>
              <strong>Copy it now: it is shown only this once.</strong> Gatehouse stores only a hash; if it is lost, revoke it and create another.
            </p>
          </Notice>
          <CopyField label="API key" value={created.key} secret />
          <button type="button" className="button" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </section>
      ) : null}
      <ErrorBox error={revoke.error} />
      {envKeys ? (
        <Notice>
          <p>
            {envKeys === 1 ? '1 bootstrap key is' : `${envKeys} bootstrap keys are`} set in the <code>API_KEYS</code> environment variable of this deployment. {envKeys === 1 ? 'It works' : 'They work'} with every permission but{' '}
            {envKeys === 1 ? 'is' : 'are'} not listed here and cannot be revoked in the portal: remove {envKeys === 1 ? 'it' : 'them'} from the environment once your own keys are in place.
          </p>
        </Notice>
      ) : null}
      <PagedTable
        list={keys}
        label="API keys"
        loadingLabel="Loading API keys…"
        rowKey={(k) => k.id}
        empty={{ title: envKeys ? 'No API keys created in the portal yet' : 'No API keys yet', body: 'Create one below for a script or a CI job. Prefer a scoped key that names only the tenants, products and permissions it needs.' }}
        columns={[
          { header: 'Name', cell: (k) => k.name },
          { header: 'Key', cell: (k) => <code>{k.prefix}…</code> },
          {
            header: 'Kind and scope',
            cell: (k) =>
              k.kind === 'personal' ? (
                <Badge>personal</Badge>
              ) : (
                <>
                  <Badge>scoped</Badge> {k.scopes?.permissions.join(', ')}
                  {k.scopes?.tenants?.length ? <> · tenants {k.scopes.tenants.join(', ')}</> : null}
                  {k.scopes?.products?.length ? <> · products {k.scopes.products.join(', ')}</> : null}
                </>
              ),
          },
          { header: 'Created', cell: (k) => <DateTime value={k.createdAt} /> },
          {
            header: 'Expires',
            cell: (k) => {
              const expired = k.expiresAt !== null && new Date(k.expiresAt).getTime() < Date.now();
              return k.expiresAt ? <>{expired ? <Badge kind="bad">expired</Badge> : null} <DateTime value={k.expiresAt} /></> : 'never';
            },
          },
          { header: 'Last used', cell: (k) => <DateTime value={k.lastUsedAt} /> },
          ...(canEdit
            ? [
                {
                  header: 'Actions',
                  cell: (k: ApiKey) => (
                    <button type="button" className="button button--small button--danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                      Revoke
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />

      {canEdit ? (
        <section aria-labelledby="create-key">
          <h2 id="create-key">Create a key</h2>
          <Form state={state} onSubmit={submit} validate={validate} label="Create an API key">
            <div className="grid-2">
              <TextField name="name" label="Name" value={f.name} onValue={set('name')} required autoComplete="off" />
              <TextField name="expiresAt" label="Expires on" type="date" hint="Optional. Leave empty for a key that does not expire." value={f.expiresAt} onValue={set('expiresAt')} />
            </div>
            <RadioGroup
              name="kind"
              legend="Kind"
              value={f.kind}
              onValue={set('kind')}
              options={[
                { value: 'personal', label: 'Personal: acts with your role' },
                { value: 'scoped', label: 'Scoped: only what you choose' },
              ]}
            />
            {f.kind === 'scoped' ? (
              <fieldset className="fieldset">
                <legend>Scope</legend>
                <div className="grid-2">
                  <TextField name="tenants" label="Tenants" aliases={['scopes.tenants']} hint="Comma-separated; empty means all tenants." value={f.tenants} onValue={set('tenants')} />
                  <TextField name="products" label="Products" aliases={['scopes.products']} hint="Comma-separated; empty means all products." value={f.products} onValue={set('products')} />
                </div>
                <fieldset className="fieldset fieldset--plain">
                  <legend>Permissions</legend>
                  {PERMISSIONS.map((p) => (
                    <Checkbox key={p} name={p === PERMISSIONS[0] ? 'permissions' : `perm-${p}`} aliases={p === PERMISSIONS[0] ? ['scopes.permissions', 'scopes'] : undefined} label={PERMISSION_LABELS[p]} checked={perms.includes(p)} onChecked={(on) => setPerms((s) => (on ? [...s, p] : s.filter((x) => x !== p)))} />
                  ))}
                </fieldset>
              </fieldset>
            ) : null}
            <div className="form-actions">
              <SubmitButton busy={state.busy}>Create key</SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}
      <ConfirmDialog open={revoking !== null} title={`Revoke “${revoking?.name}”?`} confirmLabel="Revoke key" danger busy={revoke.busy} onConfirm={() => void doRevoke()} onCancel={() => setRevoking(null)}>
        <p>Requests with this key are refused at once. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
