/**
 * A certificate-renewal link's page (decision 0022): the one connection it renews, opened straight at adding the
 * identity provider's new certificate beside the current one (pasted metadata) or at new metadata as a draft
 * (tested, then promoted), with its health (certificate expiry) and Test connection. No wizard, no other connection.
 */
import { useAsync } from '../shared/hooks.ts';
import { ErrorBox, Loading, Notice } from '../shared/ui.tsx';
import type { SetupApi } from './api.ts';
import type { Connection, LinkInfo } from '../shared/api-types.ts';
import { IdpCertificates, MetadataFreshness } from '../shared/idp-certificates.tsx';
import { HealthPanel } from '../shared/health-panel.tsx';
import { TestPanel } from '../shared/test-panel.tsx';
import { DraftPanel } from '../shared/draft-panel.tsx';
import { SpValues } from '../shared/sp-values.tsx';

const label = (c: Connection) => c.name || c.idpMetadata?.entityID || c.oidcProvider?.provider || c.clientID;

export function RenewalSetup({ api, info }: { api: SetupApi; info: LinkInfo }) {
  const list = useAsync((signal) => api.connections(signal), [api]);
  if (list.loading && !list.data) return <Loading label="Loading your connection…" />;
  if (!list.data) return <ErrorBox error={list.error} onRetry={list.reload} />;
  const c = list.data[0];
  if (!c) return <Notice kind="warning">The connection this link renews no longer exists. Ask your vendor contact for a new link.</Notice>;
  const byHand = !c.metadataUrl && !c.oidcProvider;
  return (
    <>
      <section aria-labelledby="renew-title">
        <h2 id="renew-title">Renew {label(c)}</h2>
        {byHand ? (
          <>
            <p>Add your identity provider&rsquo;s new signing certificate here before it switches to it. Both certificates are trusted until you remove the old one, so nobody&rsquo;s sign-in breaks.</p>
            <IdpCertificates connection={c} update={async (body) => { await api.updateConnection(c.clientID, body); list.reload(); }} />
          </>
        ) : (
          <>
            <p>This connection&rsquo;s metadata comes from a URL, which Gatehouse fetches again on a schedule, so a new certificate published there is picked up without action. To move to another metadata URL or identity provider, make a draft below, test it and promote it.</p>
            <MetadataFreshness connection={c} />
          </>
        )}
      </section>
      <section aria-labelledby="renew-metadata">
        <h2 id="renew-metadata">Or replace the metadata</h2>
        <DraftPanel api={api.drafts} clientID={c.clientID} canEdit onChanged={list.reload} />
      </section>
      <section aria-labelledby="renew-health">
        <h2 id="renew-health">Health</h2>
        <HealthPanel load={api.connectionHealth} clientID={c.clientID} />
      </section>
      <section aria-labelledby="renew-test">
        <h2 id="renew-test">Test the connection</h2>
        <p className="hint">After your identity provider switches to the new certificate, sign in once to check. A test never signs you in to {info.productName}.</p>
        <TestPanel api={api} connection={c} />
      </section>
      <details className="panel">
        <summary>Values for your identity provider</summary>
        <SpValues sp={info.sp!} protocol={c.oidcProvider ? 'oidc' : 'saml'} />
      </details>
    </>
  );
}
