/**
 * Create or edit an SSO connection. SAML takes the IdP metadata pasted, uploaded as a file, or by URL; OIDC
 * takes a discovery URL and the client credentials. Field names are the API's, so a refusal names the field.
 */
import { useEffect, useState } from 'react';
import { Checkbox, FileField, Form, RadioGroup, SubmitButton, TextArea, TextField, useSubmit, type FieldErrors } from '../../shared/forms.tsx';
import { Link, navigate, useLocation } from '../../shared/router.tsx';
import { useAsync } from '../../shared/hooks.ts';
import { ErrorBox, Loading, PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import type { Connection } from '../types.ts';

type Kind = 'saml' | 'oidc';
type Source = 'paste' | 'file' | 'url';

const isUrl = (v: string) => {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};
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
  const [source, setSource] = useState<Source>(existing?.metadataUrl ? 'url' : 'paste');
  const [f, setF] = useState({
    tenant: existing?.tenant ?? prefill.get('tenant') ?? '',
    product: existing?.product ?? prefill.get('product') ?? '',
    name: existing?.name ?? prefill.get('name') ?? '',
    description: existing?.description ?? '',
    defaultRedirectUrl: existing?.defaultRedirectUrl ?? prefill.get('defaultRedirectUrl') ?? '',
    redirectUrl: (existing?.redirectUrl ?? []).join('\n'),
    rawMetadata: '',
    metadataUrl: existing?.metadataUrl ?? '',
    oidcDiscoveryUrl: existing?.oidcProvider?.discoveryUrl ?? existing?.oidcProvider?.provider ?? '',
    oidcClientId: existing?.oidcProvider?.clientId ?? '',
    oidcClientSecret: '',
  });
  const [opts, setOpts] = useState({
    forceAuthn: existing?.forceAuthn ?? false,
    allowIdpInitiated: existing?.allowIdpInitiated ?? false,
    wantAuthnRequestsSigned: existing?.wantAuthnRequestsSigned ?? false,
    allowSha1: existing?.allowSha1 ?? false,
  });
  const [fileName, setFileName] = useState('');
  const state = useSubmit();
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));

  useEffect(() => state.reset(), [kind, source, state.reset]);

  const readFile = async (file: File | null) => {
    if (!file) return;
    setFileName(file.name);
    setF((s) => ({ ...s, rawMetadata: '' }));
    const text = await file.text();
    setF((s) => ({ ...s, rawMetadata: text }));
  };

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
    if (kind === 'saml') {
      if (source === 'url' && (f.metadataUrl.trim() || !editing) && !isUrl(f.metadataUrl.trim())) e.metadataUrl = 'Enter the metadata URL your IdP gives you, starting with https://.';
      if (source === 'paste' && !editing && !f.rawMetadata.trim()) e.rawMetadata = 'Paste the metadata XML your IdP gives you.';
      if (source === 'paste' && f.rawMetadata.trim() && !f.rawMetadata.includes('<')) e.rawMetadata = 'This does not look like XML metadata.';
      if (source === 'file' && !editing && !f.rawMetadata) e.metadataFile = 'Choose the metadata XML file to upload.';
    } else {
      if (!editing || f.oidcDiscoveryUrl.trim()) if (!isUrl(f.oidcDiscoveryUrl.trim())) e.oidcDiscoveryUrl = 'Enter the issuer URL or its /.well-known/openid-configuration URL.';
      if (!f.oidcClientId.trim()) e.oidcClientId = 'Enter the client ID the provider issued for Gatehouse.';
      if (!editing && !f.oidcClientSecret) e.oidcClientSecret = 'Enter the client secret the provider issued for Gatehouse.';
    }
    return e;
  };

  const body = (): Record<string, unknown> => {
    const b: Record<string, unknown> = {
      name: f.name.trim(),
      description: f.description.trim(),
      defaultRedirectUrl: f.defaultRedirectUrl.trim(),
      redirectUrl: lines(f.redirectUrl).length ? lines(f.redirectUrl) : [f.defaultRedirectUrl.trim()],
    };
    if (!editing) Object.assign(b, { tenant: f.tenant.trim(), product: f.product.trim() });
    if (kind === 'saml') {
      Object.assign(b, opts);
      if (source === 'url' && f.metadataUrl.trim() && f.metadataUrl.trim() !== existing?.metadataUrl) b.metadataUrl = f.metadataUrl.trim();
      if (source !== 'url' && f.rawMetadata.trim()) b.rawMetadata = f.rawMetadata.trim();
    } else {
      const discovery = f.oidcDiscoveryUrl.trim();
      if (discovery && discovery !== (existing?.oidcProvider?.discoveryUrl ?? existing?.oidcProvider?.provider)) b.oidcDiscoveryUrl = discovery;
      b.oidcClientId = f.oidcClientId.trim();
      if (f.oidcClientSecret) b.oidcClientSecret = f.oidcClientSecret;
    }
    return b;
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

        {kind === 'saml' ? (
          <fieldset className="fieldset">
            <legend>Identity provider metadata</legend>
            {editing ? <p className="hint">Leave empty to keep the current metadata.</p> : null}
            <RadioGroup
              name="source"
              legend="How do you have it?"
              value={source}
              onValue={(v) => setSource(v as Source)}
              options={[
                { value: 'paste', label: 'Paste the XML' },
                { value: 'file', label: 'Upload a file' },
                { value: 'url', label: 'Metadata URL' },
              ]}
            />
            {source === 'paste' ? <TextArea name="rawMetadata" label="Metadata XML" aliases={['encodedRawMetadata', 'metadata']} className="mono" rows={8} spellCheck={false} value={f.rawMetadata} onValue={set('rawMetadata')} /> : null}
            {source === 'file' ? (
              <>
                <FileField name="metadataFile" label="Metadata file" aliases={['rawMetadata', 'encodedRawMetadata', 'metadata']} accept=".xml,application/xml,text/xml" onFile={(file) => void readFile(file)} hint="The XML file downloaded from your IdP." />
                {fileName ? <p className="muted" role="status">{f.rawMetadata ? `Read ${fileName} (${f.rawMetadata.length} characters).` : `Reading ${fileName}…`}</p> : null}
              </>
            ) : null}
            {source === 'url' ? <TextField name="metadataUrl" label="Metadata URL" type="url" hint="Gatehouse fetches it now and refreshes it on a schedule." value={f.metadataUrl} onValue={set('metadataUrl')} /> : null}
          </fieldset>
        ) : (
          <fieldset className="fieldset">
            <legend>OpenID provider</legend>
            <TextField name="oidcDiscoveryUrl" label="Discovery URL" aliases={['oidcMetadata']} type="url" hint="The issuer, or its /.well-known/openid-configuration URL." value={f.oidcDiscoveryUrl} onValue={set('oidcDiscoveryUrl')} required={!editing} />
            <TextField name="oidcClientId" label="Client ID" value={f.oidcClientId} onValue={set('oidcClientId')} required autoComplete="off" />
            <TextField
              name="oidcClientSecret"
              label="Client secret"
              type="password"
              autoComplete="new-password"
              hint={editing ? (existing?.oidcProvider?.clientSecretSet ? 'A secret is set. Leave empty to keep it.' : 'No secret is set.') : 'Stored sealed; it is never shown again.'}
              value={f.oidcClientSecret}
              onValue={set('oidcClientSecret')}
              required={!editing}
            />
          </fieldset>
        )}

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
