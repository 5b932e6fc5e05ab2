/**
 * New Setup Link: tenant, product, name, description and expiry; for SSO the redirect URLs the connections
 * made through the link get, for Directory Sync the webhook the directories deliver to. One live link per
 * tenant+product+service: when one exists the API returns it, and the link's page says so.
 */
import { useState } from 'react';
import { Form, SelectField, SubmitButton, TextArea, TextField, useSubmit, type FieldErrors } from '../../shared/forms.tsx';
import { Link, navigate, useLocation } from '../../shared/router.tsx';
import { PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import type { SetupService } from '../../shared/api-types.ts';
import { linkPath, listPath, SERVICE_LABEL } from './setup-link-common.tsx';

const isUrl = (v: string) => {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};
const lines = (v: string) => v.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

/** `service` comes from the path; the older `/admin/setup-links/new?service=` form still works. */
export function SetupLinkNewPage({ service: fixed }: { service?: SetupService }) {
  const search = useLocation().search;
  const service: SetupService = fixed ?? (search.get('service') === 'dsync' ? 'dsync' : 'sso');
  const [f, setF] = useState({ tenant: search.get('tenant') ?? '', product: search.get('product') ?? '', name: '', description: '', expiryDays: '3', defaultRedirectUrl: '', redirectUrl: '', webhookUrl: '', webhookSecret: '', intent: search.get('intent') === 'certificate_renewal' ? 'certificate_renewal' : 'setup', clientID: search.get('clientID') ?? '' });
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));
  const state = useSubmit();

  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    if (!f.tenant.trim()) e.tenant = 'Enter the tenant (your customer), for example acme.com.';
    if (!f.product.trim()) e.product = 'Enter the product (your app), for example crm.';
    const days = Number(f.expiryDays);
    if (!f.expiryDays.trim() || !Number.isFinite(days) || days <= 0 || days > 365) e.expiryDays = 'Enter a number of days between 1 and 365 (fractions such as 0.5 are allowed).';
    if (service === 'sso') {
      if (f.defaultRedirectUrl.trim() && !isUrl(f.defaultRedirectUrl.trim())) e.defaultRedirectUrl = 'Enter a full URL starting with https://.';
      if (f.intent === 'certificate_renewal' && !f.clientID.trim()) e.clientID = 'Enter the client ID of the connection whose certificate is renewed.';
      const bad = lines(f.redirectUrl).find((u) => !isUrl(u));
      if (bad) e.redirectUrl = `“${bad}” is not a full URL.`;
    } else {
      if (f.webhookUrl.trim() && !isUrl(f.webhookUrl.trim())) e.webhookUrl = 'Enter a full URL starting with https://.';
      if (f.webhookUrl.trim() && !f.webhookSecret) e.webhookSecret = 'Enter the secret that signs every event sent to the webhook URL.';
      if (f.webhookSecret && new TextEncoder().encode(f.webhookSecret).length < 16) e.webhookSecret = 'Use at least 16 characters: a short secret can be guessed and events forged.';
    }
    return e;
  };

  const submit = () =>
    state.run(async () => {
      const body: Record<string, unknown> = { service, tenant: f.tenant.trim(), product: f.product.trim(), name: f.name.trim() || undefined, description: f.description.trim() || undefined, expiryDays: Number(f.expiryDays) };
      if (service === 'sso') {
        if (f.intent === 'certificate_renewal') Object.assign(body, { intent: f.intent, clientID: f.clientID.trim() });
        if (f.defaultRedirectUrl.trim()) body.defaultRedirectUrl = f.defaultRedirectUrl.trim();
        if (lines(f.redirectUrl).length) body.redirectUrl = lines(f.redirectUrl);
      } else if (f.webhookUrl.trim()) {
        body.webhookUrl = f.webhookUrl.trim();
        body.webhookSecret = f.webhookSecret;
      }
      // One live link per tenant+product+service: the API then returns that one unchanged, so say so.
      const live = (await adminApi.setupLinks({ service, tenant: f.tenant.trim(), product: f.product.trim() })).data.find((l) => !l.expired);
      const link = await adminApi.createSetupLink(body);
      const existing = live?.id === link.id;
      navigate(`${linkPath(service, link.id)}?${existing ? 'existing=1' : 'created=1'}`);
    });

  const title = 'New Setup Link';
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to={listPath(service)}>{SERVICE_LABEL[service]} Setup Links</Link>
      </nav>
      <PageHeader
        title={title}
        description={service === 'sso' ? 'A link your customer\u2019s IT admin opens to configure single sign-on for one tenant and product, and to test it.' : 'A link your customer\u2019s IT admin opens to connect their directory (SCIM) for one tenant and product.'}
      />
      <Form state={state} onSubmit={submit} validate={validate} label={title}>
        <p className="muted">For {SERVICE_LABEL[service]}.</p>
        <div className="grid-2">
          <TextField name="tenant" label="Tenant" hint="Your customer, e.g. acme.com." value={f.tenant} onValue={set('tenant')} required />
          <TextField name="product" label="Product" hint="Your app, e.g. crm." value={f.product} onValue={set('product')} required />
          <TextField name="name" label="Name" hint="Shown to the IT admin, e.g. “Acme IT”." value={f.name} onValue={set('name')} />
          <TextField name="expiryDays" label="Expires after (days)" type="number" inputMode="decimal" min="0.1" max="365" step="any" hint="Default 3 days." value={f.expiryDays} onValue={set('expiryDays')} required />
        </div>
        <TextArea name="description" label="Description" rows={2} hint="Shown on the link page, e.g. what to set up and whom to ask." value={f.description} onValue={set('description')} />
        {service === 'sso' ? (
          <fieldset className="fieldset">
            <legend>Purpose</legend>
            <SelectField name="intent" label="What the link is for" value={f.intent} onValue={set('intent')} options={[{ value: 'setup', label: 'Full setup: create, edit and test connections' }, { value: 'certificate_renewal', label: 'Certificate renewal of one connection' }]} hint="A renewal link opens straight at adding the new certificate or metadata of one connection, and reaches nothing else." />
            {f.intent === 'certificate_renewal' ? <TextField name="clientID" label="Connection (client ID)" hint="The connection of this tenant and product whose certificate is renewed." value={f.clientID} onValue={set('clientID')} required /> : null}
          </fieldset>
        ) : null}
        {service === 'sso' ? (
          <fieldset className="fieldset">
            <legend>Where users land</legend>
            <TextField name="defaultRedirectUrl" label="Default redirect URL" type="url" hint="Where users land after signing in when the app does not say. Empty: the product’s default redirect URL." value={f.defaultRedirectUrl} onValue={set('defaultRedirectUrl')} />
            <TextArea name="redirectUrl" label="Allowed redirect URLs" rows={3} hint="One per line, e.g. your app’s OAuth callback. Compared in full. The default redirect URL is always allowed." value={f.redirectUrl} onValue={set('redirectUrl')} />
          </fieldset>
        ) : (
          <fieldset className="fieldset">
            <legend>Webhook</legend>
            <p className="hint">Directories created through the link send their events here. The IT admin never sees these values.</p>
            <TextField name="webhookUrl" label="Webhook URL" aliases={['webhook_url']} type="url" value={f.webhookUrl} onValue={set('webhookUrl')} />
            <TextField name="webhookSecret" label="Webhook secret" aliases={['webhook_secret']} type="password" autoComplete="new-password" hint="Signs every event (the signature header), so your app can check it came from Gatehouse." value={f.webhookSecret} onValue={set('webhookSecret')} />
          </fieldset>
        )}
        <div className="form-actions">
          <SubmitButton busy={state.busy} busyLabel="Creating…">
            Create setup link
          </SubmitButton>
          <Link className="button button--ghost" to={listPath(service)}>
            Cancel
          </Link>
        </div>
      </Form>
    </>
  );
}
