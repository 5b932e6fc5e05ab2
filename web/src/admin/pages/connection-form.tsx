/**
 * Create or edit an SSO connection. SAML takes the IdP metadata pasted, uploaded as a file, or by URL; OIDC
 * takes a discovery URL and the client credentials. Field names are the API's, so a refusal names the field.
 */
import { useEffect, useState } from 'react';
import { Checkbox, Form, RadioGroup, SubmitButton, TextArea, TextField, useSubmit, type FieldErrors } from '../../shared/forms.tsx';
import { IdpDetailsFields, isHttpUrl as isUrl, useIdpDetails } from '../../shared/idp-details.tsx';
import { Link, navigate, useLocation } from '../../shared/router.tsx';
import { useAsync } from '../../shared/hooks.ts';
import { ErrorBox, Loading, PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import type { Connection } from '../../shared/api-types.ts';

type Kind = 'saml' | 'oidc';
const lines = (v: string) => v.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

export function ConnectionFormPage({ clientID }: { clientID?: string }) {
  const existing = useAsync((signal) => (clientID ? adminApi.connection(clientID, signal).then((d) => d.data) : Promise.resolve(null)), [clientID]);
  if (clientID && existing.loading) return <Loading label="Loading the connection…" />;
  if (clientID && existing.error) return <ErrorBox error={existing.error} onRetry={existing.reload} />;
  return <ConnectionForm existing={existing.data ?? null} />;
}

function ConnectionForm({ existing }: { existing: Connection | null }) {
  const editing = Boolean(existing);
  // A new connection may be prefilled from the query (e.g. the Portal SSO page's "Create a connection for the portal").
  const prefill = useLocation().search;
  const [kind, setKind] = useState<Kind>(existing?.oidcProvider ? 'oidc' : 'saml');
  const idpDetails = useIdpDetails(existing, 'paste');
  const { source } = idpDetails;
  const [f, setF] = useState({
    tenant: existing?.tenant ?? prefill.get('tenant') ?? '',
    product: existing?.product ?? prefill.get('product') ?? '',
    name: existing?.name ?? prefill.get('name') ?? '',
    description: existing?.description ?? '',
    defaultRedirectUrl: existing?.defaultRedirectUrl ?? prefill.get('defaultRedirectUrl') ?? '',
    redirectUrl: (existing?.redirectUrl ?? []).join('\n'),
    backchannelLogoutUri: existing?.backchannelLogoutUri ?? '',
  });
  const [opts, setOpts] = useState({
    forceAuthn: existing?.forceAuthn ?? false,
    allowIdpInitiated: existing?.allowIdpInitiated ?? false,
    wantAuthnRequestsSigned: existing?.wantAuthnRequestsSigned ?? false,
    allowSha1: existing?.allowSha1 ?? false,
  });
  const state = useSubmit();
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));

  useEffect(() => state.reset(), [kind, source, state.reset]);

  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    if (!editing) {
      if (!f.tenant.trim()) e.tenant = 'Enter the tenant (your customer), for example acme.com.';
      if (!f.product.trim()) e.product = 'Enter the product (your app), for example crm.';
    }
    if (!f.defaultRedirectUrl.trim()) e.defaultRedirectUrl = 'Enter the URL users land on after signing in.';
    else if (!isUrl(f.defaultRedirectUrl.trim())) e.defaultRedirectUrl = 'Enter a full URL starting with https://.';
    const bad = lines(f.redirectUrl).find((u) => !isUrl(u));
    if (bad) e.redirectUrl = `“${bad}” is not a full URL.`;
    if (f.backchannelLogoutUri.trim() && !isUrl(f.backchannelLogoutUri.trim())) e.backchannelLogoutUri = 'Enter a full URL starting with https://, or leave it empty.';
    return { ...idpDetails.validate(kind), ...e };
  };

  const body = (): Record<string, unknown> => {
    const b: Record<string, unknown> = {
      name: f.name.trim(),
      description: f.description.trim(),
      defaultRedirectUrl: f.defaultRedirectUrl.trim(),
      redirectUrl: lines(f.redirectUrl).length ? lines(f.redirectUrl) : [f.defaultRedirectUrl.trim()],
      backchannelLogoutUri: f.backchannelLogoutUri.trim(),
    };
    if (!editing) Object.assign(b, { tenant: f.tenant.trim(), product: f.product.trim() });
    if (kind === 'saml') Object.assign(b, opts);
    return { ...b, ...idpDetails.body(kind) };
  };

  const submit = () =>
    state.run(async () => {
      const saved = existing ? await adminApi.updateConnection(existing.clientID, body()) : await adminApi.createConnection(body());
      navigate(`/admin/sso/connections/${encodeURIComponent(saved?.clientID ?? existing!.clientID)}${existing ? '?saved=1' : '?created=1'}`);
    });

  const fetching = kind === 'saml' && source === 'url' ? 'Fetching the metadata…' : kind === 'oidc' ? 'Fetching the discovery document…' : 'Saving…';
  const title = editing ? `Edit ${existing!.name || 'connection'}` : 'New connection';
  return (
    <>
      <PageHeader title={title} description={editing ? `${existing!.tenant} · ${existing!.product}` : 'Connect one identity provider of one tenant to one of your products.'} />
      <Form state={state} onSubmit={submit} validate={validate} label={title}>
        {!editing ? (
          <RadioGroup
            name="kind"
            legend="Protocol"
            value={kind}
            onValue={(v) => setKind(v as Kind)}
            options={[
              { value: 'saml', label: 'SAML 2.0' },
              { value: 'oidc', label: 'OpenID Connect' },
            ]}
          />
        ) : null}
        <div className="grid-2">
          {!editing ? (
            <>
              <TextField name="tenant" label="Tenant" hint="Your customer, e.g. acme.com (its enterprise key is used in login links)." value={f.tenant} onValue={set('tenant')} required />
              <TextField name="product" label="Product" hint="Your app, e.g. crm." value={f.product} onValue={set('product')} required />
            </>
          ) : null}
          <TextField name="name" label="Name" hint="Shown in the IdP picker, e.g. “Acme Okta”." value={f.name} onValue={set('name')} />
          <TextField name="description" label="Description" value={f.description} onValue={set('description')} />
        </div>
        <TextField name="defaultRedirectUrl" label="Default redirect URL" type="url" hint="Where users land after signing in when the app does not say." value={f.defaultRedirectUrl} onValue={set('defaultRedirectUrl')} required />
        <TextArea name="redirectUrl" label="Allowed redirect URLs" rows={3} hint="One per line. Compared in full (not only the origin). Empty: the default redirect URL only." value={f.redirectUrl} onValue={set('redirectUrl')} />
        <TextField name="backchannelLogoutUri" label="Back-channel logout URL" type="url" hint="Where your app hears of this connection's ended sessions, instead of the product's receiver. Empty: the product's." value={f.backchannelLogoutUri} onValue={set('backchannelLogoutUri')} />

        <fieldset className="fieldset">
          <legend>{kind === 'saml' ? 'Identity provider metadata' : 'OpenID provider'}</legend>
          <IdpDetailsFields state={idpDetails} protocol={kind} sourceOrder={['paste', 'file', 'url']} />
        </fieldset>

        {kind === 'saml' ? (
          <fieldset className="fieldset">
            <legend>Options</legend>
            <Checkbox name="forceAuthn" label="Force re-authentication at the IdP" checked={opts.forceAuthn} onChecked={(v) => setOpts((o) => ({ ...o, forceAuthn: v }))} />
            <Checkbox name="wantAuthnRequestsSigned" label="Sign authentication requests" hint="On automatically when the IdP metadata asks for it." checked={opts.wantAuthnRequestsSigned} onChecked={(v) => setOpts((o) => ({ ...o, wantAuthnRequestsSigned: v }))} />
            <Checkbox name="allowIdpInitiated" label="Allow IdP-initiated sign-in" hint="Off by default: only sign-ins started by your app are accepted." checked={opts.allowIdpInitiated} onChecked={(v) => setOpts((o) => ({ ...o, allowIdpInitiated: v }))} />
            <Checkbox name="allowSha1" label="Accept SHA-1 signatures" hint="Only for old IdPs that cannot sign with SHA-256." checked={opts.allowSha1} onChecked={(v) => setOpts((o) => ({ ...o, allowSha1: v }))} />
          </fieldset>
        ) : null}

        <div className="form-actions">
          <SubmitButton busy={state.busy} busyLabel={fetching}>
            {editing ? 'Save changes' : 'Create connection'}
          </SubmitButton>
          <Link className="button button--ghost" to={editing ? `/admin/sso/connections/${encodeURIComponent(existing!.clientID)}` : '/admin/sso/connections'}>
            Cancel
          </Link>
        </div>
      </Form>
    </>
  );
}
