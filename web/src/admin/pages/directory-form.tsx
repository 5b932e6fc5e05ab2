/**
 * Create a directory (then show its SCIM endpoint and secret once, with Copy and a warning) or edit one
 * (name, webhook URL and secret, deactivate).
 */
import { useState } from 'react';
import { Checkbox, Form, SelectField, SubmitButton, TextField, useSubmit, type FieldErrors } from '../../shared/forms.tsx';
import { useAsync } from '../../shared/hooks.ts';
import { Link, navigate } from '../../shared/router.tsx';
import { CopyField, ErrorBox, Loading, Notice, PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import { DIRECTORY_TYPES, DIRECTORY_TYPE_NAMES, type Directory } from '../../shared/api-types.ts';

const isUrl = (v: string) => /^https?:\/\/[^\s]+$/i.test(v);

export function DirectoryFormPage({ id }: { id?: string }) {
  const existing = useAsync((signal) => (id ? adminApi.directory(id, signal) : Promise.resolve(null)), [id]);
  if (id && existing.loading) return <Loading label="Loading the directory…" />;
  if (id && existing.error) return <ErrorBox error={existing.error} onRetry={existing.reload} />;
  return <DirectoryForm existing={existing.data ?? null} />;
}

function DirectoryForm({ existing }: { existing: Directory | null }) {
  const [f, setF] = useState({ tenant: '', product: '', name: existing?.name ?? '', type: existing?.type ?? 'generic-scim-v2', webhook_url: existing?.webhook?.endpoint ?? '', webhook_secret: '' });
  const [deactivated, setDeactivated] = useState(existing?.deactivated ?? false);
  const [created, setCreated] = useState<Directory | null>(null);
  const state = useSubmit();
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));

  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    if (!existing) {
      if (!f.tenant.trim()) e.tenant = 'Enter the tenant (your customer), for example acme.com.';
      if (!f.product.trim()) e.product = 'Enter the product (your app), for example crm.';
    }
    if (f.webhook_url.trim() && !isUrl(f.webhook_url.trim())) e.webhook_url = 'Enter a full URL starting with https://, or leave it empty to use the pull API.';
    if (f.webhook_url.trim() && !f.webhook_secret && !(existing?.webhook?.endpoint)) e.webhook_secret = 'Enter a secret: Gatehouse signs every event with it.';
    if (f.webhook_secret && new TextEncoder().encode(f.webhook_secret).length < 16) e.webhook_secret = 'Use at least 16 characters: a short secret can be guessed and events forged.';
    return e;
  };

  const submit = () =>
    state.run(async () => {
      if (existing) {
        const body: Record<string, unknown> = { name: f.name.trim(), webhook_url: f.webhook_url.trim(), deactivated };
        if (f.webhook_secret) body.webhook_secret = f.webhook_secret;
        await adminApi.updateDirectory(existing.id, body);
        navigate(`/admin/dsync/directories/${encodeURIComponent(existing.id)}?saved=1`);
      } else {
        const body: Record<string, unknown> = { tenant: f.tenant.trim(), product: f.product.trim(), name: f.name.trim() || undefined, type: f.type };
        if (f.webhook_url.trim()) Object.assign(body, { webhook_url: f.webhook_url.trim(), webhook_secret: f.webhook_secret });
        setCreated(await adminApi.createDirectory(body));
      }
    });

  if (created) {
    return (
      <>
        <PageHeader title="Directory created" description={`${created.name || created.id} for ${created.tenant} · ${created.product}`} />
        <Notice kind="warning">
          <p>
            <strong>Copy the SCIM secret now.</strong> It is shown only this once. If it is lost, rotate it from the directory.
          </p>
        </Notice>
        <section aria-labelledby="scim-details">
          <h2 id="scim-details">Give these to the customer's IdP</h2>
          <CopyField label="SCIM endpoint" value={created.scim?.endpoint ?? ''} />
          <CopyField label="SCIM secret (bearer token)" value={created.scim?.secret ?? '(not returned by the server)'} secret />
        </section>
        <p>
          <Link className="button button--primary" to={`/admin/dsync/directories/${encodeURIComponent(created.id)}`}>
            I have copied it: open the directory
          </Link>
        </p>
      </>
    );
  }

  const title = existing ? `Edit ${existing.name || 'directory'}` : 'New directory';
  return (
    <>
      <PageHeader title={title} description={existing ? `${existing.tenant} · ${existing.product}` : 'One SCIM 2.0 endpoint for one tenant and product.'} />
      <Form state={state} onSubmit={submit} validate={validate} label={title}>
        <div className="grid-2">
          {!existing ? (
            <>
              <TextField name="tenant" label="Tenant" hint="Your customer, e.g. acme.com." value={f.tenant} onValue={set('tenant')} required />
              <TextField name="product" label="Product" hint="Your app, e.g. crm." value={f.product} onValue={set('product')} required />
            </>
          ) : null}
          <TextField name="name" label="Name" hint="e.g. “Acme Okta”." value={f.name} onValue={set('name')} />
          {!existing ? <SelectField name="type" label="Directory provider" value={f.type} onValue={set('type')} options={DIRECTORY_TYPES.map((t) => ({ value: t, label: DIRECTORY_TYPE_NAMES[t] }))} /> : null}
        </div>
        <fieldset className="fieldset">
          <legend>Webhook (optional)</legend>
          <p className="hint">Gatehouse posts each change (user.created, group.user_added…) to this URL, signed with the secret. Leave it empty to use the pull API only.</p>
          <TextField name="webhook_url" label="Webhook URL" type="url" value={f.webhook_url} onValue={set('webhook_url')} />
          <TextField
            name="webhook_secret"
            label="Webhook secret"
            type="password"
            autoComplete="new-password"
            hint={existing?.webhook?.endpoint ? 'A secret is set. Leave empty to keep it.' : 'Used to sign events (HMAC-SHA256).'}
            value={f.webhook_secret}
            onValue={set('webhook_secret')}
          />
        </fieldset>
        {existing ? <Checkbox name="deactivated" label="Deactivated" hint="A deactivated directory refuses SCIM requests and sends no events." checked={deactivated} onChecked={setDeactivated} /> : null}
        <div className="form-actions">
          <SubmitButton busy={state.busy}>{existing ? 'Save changes' : 'Create directory'}</SubmitButton>
          <Link className="button button--ghost" to={existing ? `/admin/dsync/directories/${encodeURIComponent(existing.id)}` : '/admin/dsync/directories'}>
            Cancel
          </Link>
        </div>
      </Form>
    </>
  );
}
