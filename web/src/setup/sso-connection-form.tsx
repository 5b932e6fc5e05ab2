/**
 * Create (or edit) a connection from the link page: choose the IdP, follow its short steps, copy the values the
 * IdP needs, then give its metadata (paste, upload, URL) or its OIDC details. A refusal names the field from the
 * API's problem JSON; lint warnings come back on the saved connection and are shown by the caller.
 */
import { useEffect, useState } from 'react';
import { FileField, Form, RadioGroup, SubmitButton, TextArea, TextField, useSubmit, type FieldErrors } from '../shared/forms.tsx';
import { CopyField } from '../shared/ui.tsx';
import type { LinkConnection, SetupApi, SpInfo } from './api.ts';
import { guideFor, IDP_GUIDES, type IdpId } from './idp-guides.tsx';

type Source = 'paste' | 'file' | 'url';

const isUrl = (v: string) => {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};

export function SpValues({ sp, protocol }: { sp: SpInfo; protocol: 'saml' | 'oidc' }) {
  if (protocol === 'oidc') return <CopyField label="OIDC redirect URI" value={sp.oidcRedirectUri} />;
  return (
    <>
      <CopyField label="SP entity ID" value={sp.entityId} />
      <CopyField label="ACS URL" value={sp.acsUrl} />
      <CopyField label="SP metadata URL" value={sp.metadataUrl} />
      <p>
        <a href={sp.metadataDownloadUrl} download>
          Download the SP metadata file
        </a>{' '}
        ·{' '}
        <a href={sp.certificateUrl} download>
          Download the SP certificate
        </a>
      </p>
    </>
  );
}

export function ConnectionForm({ api, sp, existing, onSaved, onCancel }: { api: SetupApi; sp: SpInfo; existing?: LinkConnection; onSaved: (c: LinkConnection, created: boolean) => void; onCancel?: () => void }) {
  const editing = Boolean(existing);
  const [idp, setIdp] = useState<IdpId>(existing ? (existing.oidcProvider ? 'oidc' : 'saml') : 'okta');
  const guide = guideFor(idp);
  const [source, setSource] = useState<Source>(existing?.metadataUrl ? 'url' : guide.metadata);
  const [f, setF] = useState({ name: existing?.name ?? '', description: existing?.description ?? '', rawMetadata: '', metadataUrl: existing?.metadataUrl ?? '', oidcDiscoveryUrl: existing?.oidcProvider?.discoveryUrl ?? existing?.oidcProvider?.provider ?? '', oidcClientId: existing?.oidcProvider?.clientId ?? '', oidcClientSecret: '' });
  const [fileName, setFileName] = useState('');
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));
  const state = useSubmit();

  const chooseIdp = (id: IdpId) => {
    setIdp(id);
    if (!editing) setSource(guideFor(id).metadata);
  };
  useEffect(() => state.reset(), [idp, source, state.reset]);

  const readFile = async (file: File | null) => {
    if (!file) return;
    setFileName(file.name);
    setF((s) => ({ ...s, rawMetadata: '' }));
    const text = await file.text();
    setF((s) => ({ ...s, rawMetadata: text }));
  };

  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    if (guide.protocol === 'saml') {
      if (source === 'url' && (!editing || f.metadataUrl.trim()) && !isUrl(f.metadataUrl.trim())) e.metadataUrl = 'Enter the metadata URL from your identity provider, starting with https://.';
      if (source === 'paste' && !editing && !f.rawMetadata.trim()) e.rawMetadata = 'Paste the metadata XML from your identity provider.';
      if (source === 'paste' && f.rawMetadata.trim() && !f.rawMetadata.trim().startsWith('<')) e.rawMetadata = 'This does not look like XML metadata: it should start with <.';
      if (source === 'file' && !editing && !f.rawMetadata) e.metadataFile = 'Choose the metadata XML file to upload.';
    } else {
      if ((!editing || f.oidcDiscoveryUrl.trim()) && !isUrl(f.oidcDiscoveryUrl.trim())) e.oidcDiscoveryUrl = 'Enter the issuer URL or its /.well-known/openid-configuration URL.';
      if (!f.oidcClientId.trim()) e.oidcClientId = 'Enter the client ID your provider issued.';
      if (!editing && !f.oidcClientSecret) e.oidcClientSecret = 'Enter the client secret your provider issued.';
    }
    return e;
  };

  const body = () => {
    const b: Record<string, unknown> = { name: f.name.trim() || (editing ? '' : guide.label), description: f.description.trim() };
    if (guide.protocol === 'saml') {
      if (source === 'url' && f.metadataUrl.trim() && f.metadataUrl.trim() !== existing?.metadataUrl) b.metadataUrl = f.metadataUrl.trim();
      if (source !== 'url' && f.rawMetadata.trim()) b.rawMetadata = f.rawMetadata.trim();
    } else {
      const d = f.oidcDiscoveryUrl.trim();
      if (d && d !== (existing?.oidcProvider?.discoveryUrl ?? existing?.oidcProvider?.provider)) b.oidcDiscoveryUrl = d;
      b.oidcClientId = f.oidcClientId.trim();
      if (f.oidcClientSecret) b.oidcClientSecret = f.oidcClientSecret;
    }
    return b;
  };

  const submit = () =>
    state.run(async () => {
      const saved = existing ? await api.updateConnection(existing.clientID, body()) : await api.createConnection(body());
      onSaved(saved, !existing);
    });

  const formLabel = editing ? `Edit ${existing!.name || 'connection'}` : 'New connection';
  return (
    <section className="panel" aria-labelledby="conn-form-title">
      <h2 id="conn-form-title">{editing ? formLabel : 'Connect your identity provider'}</h2>
      {!editing ? (
        <>
          <h3>1. Choose your identity provider</h3>
          <RadioGroup name="idp" legend="Identity provider" value={idp} onValue={(v) => chooseIdp(v as IdpId)} options={IDP_GUIDES.map((g) => ({ value: g.id, label: g.label }))} />
        </>
      ) : null}
      <h3>{editing ? 'In your identity provider' : `2. In ${guide.label}`}</h3>
      <ol className="steps">
        {guide.steps.map((s, i) => (
          <li key={`${idp}-${i}`}>{s}</li>
        ))}
      </ol>
      <div className="sp-values" role="group" aria-label="Values to copy into your identity provider">
        <SpValues sp={sp} protocol={guide.protocol} />
      </div>
      <h3>{editing ? 'Update the details' : '3. Give us your identity provider’s details'}</h3>
      <p>{guide.handover}</p>
      <Form state={state} onSubmit={submit} validate={validate} label={formLabel}>
        {guide.protocol === 'saml' ? (
          <>
            {editing ? <p className="hint">Leave the metadata empty to keep the current one.</p> : null}
            <RadioGroup
              name="source"
              legend="How do you have the metadata?"
              value={source}
              onValue={(v) => setSource(v as Source)}
              options={[
                { value: 'url', label: 'Metadata URL' },
                { value: 'file', label: 'Upload a file' },
                { value: 'paste', label: 'Paste the XML' },
              ]}
            />
            {source === 'paste' ? <TextArea name="rawMetadata" label="Metadata XML" aliases={['encodedRawMetadata', 'metadata']} className="mono" rows={8} spellCheck={false} value={f.rawMetadata} onValue={set('rawMetadata')} /> : null}
            {source === 'file' ? (
              <>
                <FileField name="metadataFile" label="Metadata file" aliases={['rawMetadata', 'encodedRawMetadata', 'metadata']} accept=".xml,application/xml,text/xml,application/samlmetadata+xml" onFile={(file) => void readFile(file)} hint="The XML file downloaded from your identity provider." />
                {fileName ? (
                  <p className="muted" role="status">
                    {f.rawMetadata ? `Read ${fileName} (${f.rawMetadata.length} characters).` : `Reading ${fileName}…`}
                  </p>
                ) : null}
              </>
            ) : null}
            {source === 'url' ? <TextField name="metadataUrl" label="Identity provider metadata URL" type="url" hint="We fetch it now and keep it up to date, so certificate rollovers need no action." value={f.metadataUrl} onValue={set('metadataUrl')} /> : null}
          </>
        ) : (
          <>
            <TextField name="oidcDiscoveryUrl" label="Issuer or discovery URL" aliases={['oidcMetadata']} type="url" value={f.oidcDiscoveryUrl} onValue={set('oidcDiscoveryUrl')} required={!editing} />
            <TextField name="oidcClientId" label="Client ID" value={f.oidcClientId} onValue={set('oidcClientId')} required autoComplete="off" />
            <TextField name="oidcClientSecret" label="Client secret" type="password" autoComplete="new-password" hint={editing ? 'Leave empty to keep the current secret.' : 'Stored encrypted; never shown again.'} value={f.oidcClientSecret} onValue={set('oidcClientSecret')} required={!editing} />
          </>
        )}
        <div className="grid-2">
          <TextField name="name" label="Connection name" hint={`Shown to your users if you add several, e.g. “${guide.label}”.`} value={f.name} onValue={set('name')} />
          <TextField name="description" label="Description" value={f.description} onValue={set('description')} />
        </div>
        <div className="form-actions">
          <SubmitButton busy={state.busy} busyLabel={source === 'url' && guide.protocol === 'saml' ? 'Fetching the metadata…' : 'Saving…'}>
            {editing ? 'Save changes' : 'Create connection'}
          </SubmitButton>
          {onCancel ? (
            <button type="button" className="button button--ghost" onClick={onCancel}>
              Cancel
            </button>
          ) : null}
        </div>
      </Form>
    </section>
  );
}
