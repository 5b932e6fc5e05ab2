/**
 * "Send a renewal link" (decision 0022): where the portal flags an expiring certificate, one press makes an
 * `intent: "certificate_renewal"` setup link for this connection, to send to the customer's IT admin. It opens
 * straight at adding the new certificate or metadata. One live link per tenant+product: it replaces the current one.
 */
import { useState } from 'react';
import { adminApi } from '../api.ts';
import type { Connection, SetupLink } from '../../shared/api-types.ts';
import { CopyField, ErrorBox } from '../../shared/ui.tsx';

export function RenewalLinkAction({ connection: c }: { connection: Connection }) {
  const [link, setLink] = useState<SetupLink | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      setLink(await adminApi.createSetupLink({ service: 'sso', tenant: c.tenant, product: c.product, intent: 'certificate_renewal', clientID: c.clientID, name: 'Certificate renewal' }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="renewal-link">
      {link?.url ? (
        <>
          <CopyField label="Renewal link for the IT admin" value={link.url} />
          <p className="hint">Send it to {c.tenant}&rsquo;s IT admin: it opens straight at adding the identity provider&rsquo;s new certificate or metadata, and works until the link expires. It replaced this tenant&rsquo;s earlier SSO setup link, if there was one.</p>
        </>
      ) : (
        <>
          <button type="button" className="button" onClick={() => void create()} disabled={busy}>
            Send a renewal link
          </button>
          <p className="hint">A certificate expires soon. Make a setup link that lets the customer&rsquo;s IT admin add the new certificate, without the rest of the setup.</p>
        </>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
