/**
 * How current a connection's IdP metadata is, said truthfully in every state (refreshed from a URL, pasted and
 * never refreshed, or failing with the last good metadata kept), and the IdP certificates it trusts, with adding
 * the IdP's next certificate and removing an old one on connections made from pasted metadata
 * (docs/decisions/0019-metadata-refresh.md). Used by the Admin Portal and the setup-link page alike.
 */
import { useState } from 'react';
import type { Connection } from './api-types.ts';
import { DateTime, ErrorBox } from './ui.tsx';

const every = (seconds: number) => (seconds % 3600 === 0 ? `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}` : seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`);

/** One line about the metadata's freshness. */
export function MetadataFreshness({ connection: c }: { connection: Connection }) {
  const fromUrl = Boolean(c.metadataUrl || c.oidcProvider?.discoveryUrl);
  if (!fromUrl) {
    if (c.oidcProvider) return <p className="muted">The provider settings were given inline and are not refreshed.</p>;
    return <p className="muted" data-testid="metadata-freshness">This metadata was pasted or uploaded, so it is not refreshed: when the identity provider rolls its signing certificate, add the new certificate here.</p>;
  }
  const period = c.metadataRefreshSeconds ? every(c.metadataRefreshSeconds) : 'a few hours';
  return (
    <p className={c.metadataRefreshError ? undefined : 'muted'} data-testid="metadata-freshness">
      Gatehouse fetches the {c.oidcProvider ? 'discovery document' : 'metadata'} from its URL again every {period}, so certificate rollovers published there need no action.{' '}
      {c.metadataRefreshedAt ? <>Last fetched <DateTime value={c.metadataRefreshedAt} />.</> : null}
      {c.metadataRefreshError ? <> <strong>The last fetch failed:</strong> {c.metadataRefreshError} The last good metadata is kept and sign-ins keep working with it.</> : null}
    </p>
  );
}

/** The trusted certificates; with `update`, add one beside them or remove one (never the last). */
export function IdpCertificates({ connection: c, update }: { connection: Connection; update?: (body: Record<string, unknown>) => Promise<void> }) {
  const [pem, setPem] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const certs = c.idpMetadata?.certificates ?? [];
  if (c.oidcProvider || !certs.length) return null;
  const editable = Boolean(update) && !c.metadataUrl;
  const run = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await update!(body);
      setPem('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="idp-certificates">
      <ul className="plain">
        {certs.map((cert) => (
          <li key={cert.fingerprintSha256}>
            <span>{cert.subject}</span> · valid until <DateTime value={cert.notAfter} /> · <code className="mono">{cert.fingerprintSha256}</code>{' '}
            {editable && certs.length > 1 ? (
              <button type="button" className="button button--small" disabled={busy} onClick={() => void run({ removeIdpCertificate: cert.fingerprintSha256 })} aria-label={`Stop trusting ${cert.fingerprintSha256}`}>
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {editable ? (
        <div className="field">
          <label htmlFor={`add-cert-${c.clientID}`}>Add the identity provider's new certificate (PEM)</label>
          <textarea id={`add-cert-${c.clientID}`} className="mono" rows={4} spellCheck={false} value={pem} onChange={(e) => setPem(e.target.value)} />
          <p className="hint">Both certificates are trusted until you remove the old one, so sign-ins keep working while the identity provider switches.</p>
          <button type="button" className="button button--small" disabled={busy || !pem.trim()} onClick={() => void run({ addIdpCertificate: pem.trim() })}>
            Add certificate
          </button>
        </div>
      ) : null}
      <ErrorBox error={error} />
    </div>
  );
}
