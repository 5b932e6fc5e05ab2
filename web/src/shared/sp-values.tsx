/**
 * The values an identity provider needs from Gatehouse (the service provider), with Copy buttons: one block for
 * the vendor's connection page and the IT admin's setup-link page, so both say the same thing in the same words.
 */
import type { SpInfo } from './api-types.ts';
import { CopyField } from './ui.tsx';

export function SpValues({ sp, protocol }: { sp: SpInfo; protocol: 'saml' | 'oidc' }) {
  if (protocol === 'oidc') return <CopyField label="Redirect URI to register at the provider" value={sp.oidcRedirectUri} />;
  return (
    <>
      <CopyField label="SP entity ID (Audience)" value={sp.entityId} />
      <CopyField label="ACS URL (Reply URL)" value={sp.acsUrl} />
      {sp.sloUrl ? <CopyField label="Single Logout URL (optional)" value={sp.sloUrl} /> : null}
      <CopyField label="SP metadata URL" value={sp.metadataUrl} />
      <p>
        <a className="button" href={sp.metadataDownloadUrl} download="gatehouse-sp-metadata.xml">
          Download SP metadata
        </a>
        {sp.certificateUrl ? (
          <>
            {' '}
            <a className="button button--ghost" href={sp.certificateUrl} download>
              Download the SP certificate
            </a>
          </>
        ) : null}
      </p>
      {sp.certificatePem ? <CopyField label="SP signing certificate" value={sp.certificatePem} multiline /> : null}
    </>
  );
}
