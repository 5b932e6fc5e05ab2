/**
 * The identity provider's details, as both the vendor (Admin Portal) and the IT admin (setup link) give them:
 * SAML metadata pasted, uploaded or by URL, or an OIDC discovery URL with client credentials. One hook holds the
 * fields, one check and one body builder use the API's field names (so a refusal from the API names the field),
 * and one component renders the controls, so the two pages can never disagree on what they accept.
 */
import { useState } from 'react';
import type { Connection } from './api-types.ts';
import { FileField, RadioGroup, TextArea, TextField, type FieldErrors } from './forms.tsx';

export type MetadataSource = 'paste' | 'file' | 'url';
export type IdpProtocol = 'saml' | 'oidc';

/** What a saved connection tells the form about its current IdP details. */
export type ExistingIdpDetails = Pick<Connection, 'metadataUrl' | 'oidcProvider'>;

export const isHttpUrl = (v: string) => {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};

/** Metadata XML starts with `<` (after an optional BOM and white space); anything else is a paste mistake. */
export const looksLikeXml = (v: string) => v.replace(/^\uFEFF/, '').trim().startsWith('<');

const discoveryOf = (e?: ExistingIdpDetails | null) => e?.oidcProvider?.discoveryUrl ?? e?.oidcProvider?.provider ?? '';

export function useIdpDetails(existing: ExistingIdpDetails | null | undefined, defaultSource: MetadataSource) {
  const [source, setSource] = useState<MetadataSource>(existing?.metadataUrl ? 'url' : defaultSource);
  const [f, setF] = useState({ rawMetadata: '', metadataUrl: existing?.metadataUrl ?? '', oidcDiscoveryUrl: discoveryOf(existing), oidcClientId: existing?.oidcProvider?.clientId ?? '', oidcClientSecret: '' });
  const [fileName, setFileName] = useState('');
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));
  const readFile = async (file: File | null) => {
    if (!file) return;
    setFileName(file.name);
    setF((s) => ({ ...s, rawMetadata: '' }));
    const text = await file.text();
    setF((s) => ({ ...s, rawMetadata: text }));
  };
  const editing = Boolean(existing);

  /** Browser-side checks, keyed by the API's field names. */
  const validate = (protocol: IdpProtocol): FieldErrors => {
    const e: FieldErrors = {};
    if (protocol === 'saml') {
      if (source === 'url' && (!editing || f.metadataUrl.trim()) && !isHttpUrl(f.metadataUrl.trim())) e.metadataUrl = 'Enter the metadata URL from the identity provider, starting with https://.';
      if (source === 'paste' && !editing && !f.rawMetadata.trim()) e.rawMetadata = 'Paste the metadata XML from the identity provider.';
      if (source === 'paste' && f.rawMetadata.trim() && !looksLikeXml(f.rawMetadata)) e.rawMetadata = 'This does not look like XML metadata: it should start with <.';
      if (source === 'file' && !editing && !f.rawMetadata) e.metadataFile = 'Choose the metadata XML file to upload.';
    } else {
      if ((!editing || f.oidcDiscoveryUrl.trim()) && !isHttpUrl(f.oidcDiscoveryUrl.trim())) e.oidcDiscoveryUrl = 'Enter the issuer URL or its /.well-known/openid-configuration URL.';
      if (!f.oidcClientId.trim()) e.oidcClientId = 'Enter the client ID the provider issued for Gatehouse.';
      if (!editing && !f.oidcClientSecret) e.oidcClientSecret = 'Enter the client secret the provider issued for Gatehouse.';
    }
    return e;
  };

  /** The IdP part of the request body: only what changed when editing (an unchanged URL is not fetched again). */
  const body = (protocol: IdpProtocol): Record<string, unknown> => {
    const b: Record<string, unknown> = {};
    if (protocol === 'saml') {
      if (source === 'url' && f.metadataUrl.trim() && f.metadataUrl.trim() !== existing?.metadataUrl) b.metadataUrl = f.metadataUrl.trim();
      if (source !== 'url' && f.rawMetadata.trim()) b.rawMetadata = f.rawMetadata.trim();
    } else {
      const discovery = f.oidcDiscoveryUrl.trim();
      if (discovery && discovery !== discoveryOf(existing)) b.oidcDiscoveryUrl = discovery;
      b.oidcClientId = f.oidcClientId.trim();
      if (f.oidcClientSecret) b.oidcClientSecret = f.oidcClientSecret;
    }
    return b;
  };

  return { source, setSource, f, set, fileName, readFile, editing, existing, validate, body };
}

export type IdpDetailsState = ReturnType<typeof useIdpDetails>;

const SOURCE_LABELS: Record<MetadataSource, string> = { url: 'Metadata URL', file: 'Upload a file', paste: 'Paste the XML' };

/** The controls: the metadata source and its field for SAML, the provider and client credentials for OIDC. */
export function IdpDetailsFields({ state, protocol, sourceOrder = ['url', 'file', 'paste'] }: { state: IdpDetailsState; protocol: IdpProtocol; sourceOrder?: MetadataSource[] }) {
  const { source, setSource, f, set, fileName, readFile, editing, existing } = state;
  if (protocol === 'oidc') {
    const secretHint = editing ? (existing?.oidcProvider?.clientSecretSet === false ? 'No secret is set.' : 'A secret is set. Leave empty to keep it.') : 'Stored encrypted; it is never shown again.';
    return (
      <>
        <TextField name="oidcDiscoveryUrl" label="Discovery URL or issuer" aliases={['oidcMetadata']} type="url" hint="The issuer, or its /.well-known/openid-configuration URL." value={f.oidcDiscoveryUrl} onValue={set('oidcDiscoveryUrl')} required={!editing} />
        <TextField name="oidcClientId" label="Client ID" value={f.oidcClientId} onValue={set('oidcClientId')} required autoComplete="off" />
        <TextField name="oidcClientSecret" label="Client secret" type="password" autoComplete="new-password" hint={secretHint} value={f.oidcClientSecret} onValue={set('oidcClientSecret')} required={!editing} />
      </>
    );
  }
  return (
    <>
      {editing ? <p className="hint">Leave the metadata empty to keep the current one.</p> : null}
      <RadioGroup name="source" legend="How do you have the metadata?" value={source} onValue={(v) => setSource(v as MetadataSource)} options={sourceOrder.map((value) => ({ value, label: SOURCE_LABELS[value] }))} />
      {source !== 'url' ? <p className="hint">Pasted or uploaded metadata is not refreshed: when the identity provider rolls its certificate, add the new certificate to the connection (or use a metadata URL).</p> : null}
      {source === 'paste' ? <TextArea name="rawMetadata" label="Metadata XML" aliases={['encodedRawMetadata', 'metadata']} className="mono" rows={8} spellCheck={false} value={f.rawMetadata} onValue={set('rawMetadata')} /> : null}
      {source === 'file' ? (
        <>
          <FileField name="metadataFile" label="Metadata file" aliases={['rawMetadata', 'encodedRawMetadata', 'metadata']} accept=".xml,application/xml,text/xml,application/samlmetadata+xml" onFile={(file) => void readFile(file)} hint="The XML file downloaded from the identity provider." />
          {fileName ? (
            <p className="muted" role="status">
              {f.rawMetadata ? `Read ${fileName} (${f.rawMetadata.length} characters).` : `Reading ${fileName}…`}
            </p>
          ) : null}
        </>
      ) : null}
      {source === 'url' ? <TextField name="metadataUrl" label="Identity provider metadata URL" type="url" hint="Gatehouse fetches it when it is saved and again on a schedule (every 6 hours by default), so certificate rollovers published there need no action." value={f.metadataUrl} onValue={set('metadataUrl')} /> : null}
    </>
  );
}
