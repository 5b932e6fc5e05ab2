/**
 * One connection: what the IdP needs (SP entity ID, ACS URL, metadata, certificate — each with Copy), the
 * tenant's one-click and invite links, lint warnings, its health and Test connection, and the actions (edit,
 * deactivate, delete).
 */
import { SpValues } from '../../shared/sp-values.tsx';
import { useState } from 'react';
import { useAsync } from '../../shared/hooks.ts';
import { Link, navigate, useLocation } from '../../shared/router.tsx';
import { Badge, ConfirmDialog, CopyField, DateTime, Details, ErrorBox, Loading, Notice, PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import { connectionKind } from '../filters.tsx';
import { useCanEdit } from '../session.tsx';
import { DraftPanel } from '../../shared/draft-panel.tsx';
import { HealthPanel } from '../../shared/health-panel.tsx';
import { IdpCertificates, MetadataFreshness } from '../../shared/idp-certificates.tsx';
import { TestPanel } from '../../shared/test-panel.tsx';
import { RenewalLinkAction } from './renewal-link.tsx';

export function ConnectionDetailPage({ clientID }: { clientID: string }) {
  const res = useAsync((signal) => adminApi.connection(clientID, signal), [clientID]);
  const { search } = useLocation();
  const canEdit = useCanEdit();
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [flash, setFlash] = useState<string | null>(search.get('created') ? 'Connection created. Give your IdP the details below.' : search.get('saved') ? 'Changes saved.' : null);

  if (res.loading && !res.data) return <Loading label="Loading the connection…" />;
  if (res.error || !res.data) return <ErrorBox error={res.error} onRetry={res.reload} />;
  const { data: c, sp, links } = res.data;
  const kind = connectionKind(c);
  const title = c.name || c.idpMetadata?.entityID || c.oidcProvider?.provider || 'Connection';

  const toggle = async () => {
    setBusy(true);
    setActionError(null);
    try {
      await adminApi.updateConnection(c.clientID, { deactivated: !c.deactivated });
      setFlash(c.deactivated ? 'Connection activated.' : 'Connection deactivated: sign-ins through it are refused until you activate it again.');
      res.reload();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setBusy(true);
    setActionError(null);
    try {
      await adminApi.deleteConnection(c.clientID);
      navigate('/admin/sso/connections');
    } catch (err) {
      setActionError(err);
      setConfirm(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/admin/sso/connections">Connections</Link> <span aria-hidden="true">/</span> <span aria-current="page">{title}</span>
      </nav>
      <PageHeader
        title={title}
        description={
          <>
            {kind} connection for <strong>{c.tenant}</strong> · <strong>{c.product}</strong> {c.deactivated ? <Badge kind="bad">Deactivated</Badge> : <Badge kind="good">Active</Badge>}
          </>
        }
        actions={
          canEdit ? (
            <>
              <Link className="button" to={`/admin/sso/connections/${encodeURIComponent(c.clientID)}/edit`}>
                Edit
              </Link>
              <button type="button" className="button" onClick={() => void toggle()} disabled={busy}>
                {c.deactivated ? 'Activate' : 'Deactivate'}
              </button>
              <button type="button" className="button button--danger" onClick={() => setConfirm(true)}>
                Delete
              </button>
            </>
          ) : null
        }
      />
      {flash ? <Notice kind="success">{flash}</Notice> : null}
      <ErrorBox error={actionError} />
      {c.idpMetadata?.warnings?.length ? (
        <Notice kind="warning">
          <p>
            <strong>Metadata warnings</strong>
          </p>
          <ul>
            {c.idpMetadata.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </Notice>
      ) : null}

      <section aria-labelledby="health">
        <h2 id="health">Health</h2>
        <HealthPanel load={adminApi.connectionHealth} clientID={c.clientID} expiringAction={canEdit ? <RenewalLinkAction connection={c} /> : null} />
      </section>

      <section aria-labelledby="test-connection">
        <h2 id="test-connection">Test connection</h2>
        <p className="hint">Signs in through the live connection in a new tab, as a user of the tenant would. Your app gets no code from a test; the result shows here.</p>
        {canEdit ? <TestPanel api={adminApi.connectionTests} connection={c} /> : <p className="muted">Viewers cannot start a test.</p>}
      </section>

      <section aria-labelledby="idp-needs">
        <h2 id="idp-needs">What the identity provider needs</h2>
        <SpValues sp={sp} protocol={kind === 'SAML' ? 'saml' : 'oidc'} />
      </section>

      <section aria-labelledby="app-credentials">
        <h2 id="app-credentials">Credentials for your app</h2>
        <p className="hint">Your app signs users in through Gatehouse with these (OAuth 2.0 client). Apps may also use <code>tenant</code> and <code>product</code> with PKCE instead.</p>
        <CopyField label="Client ID" value={c.clientID} />
        {c.clientSecret ? <CopyField label="Client secret" value={c.clientSecret} secret concealed /> : null}
      </section>

      <section aria-labelledby="user-links">
        <h2 id="user-links">Links for the tenant's users</h2>
        <CopyField label="One-click login link" value={links.oneClickUrl} />
        <CopyField label="Invite link" value={links.inviteUrl} />
      </section>

      <section aria-labelledby="versions">
        <h2 id="versions">Change without an outage</h2>
        <DraftPanel api={adminApi.drafts} clientID={c.clientID} canEdit={canEdit} onChanged={res.reload} />
      </section>

      <section aria-labelledby="settings">
        <h2 id="settings">Settings</h2>
        <Details
          rows={[
            ['Default redirect URL', c.defaultRedirectUrl || '—'],
            ['Allowed redirect URLs', c.redirectUrl?.length ? <ul className="plain">{c.redirectUrl.map((u) => <li key={u}>{u}</li>)}</ul> : '—'],
            ...(kind === 'SAML'
              ? ([
                  ['IdP entity ID', c.idpMetadata?.entityID ?? '—'],
                  ['IdP sign-in URL', c.idpMetadata?.sso?.redirectUrl ?? c.idpMetadata?.sso?.postUrl ?? '—'],
                  ['Metadata URL', c.metadataUrl || 'pasted or uploaded'],
                  ['Metadata refresh', <MetadataFreshness key="f" connection={c} />],
                  ['Trusted IdP certificates', <IdpCertificates key="certs" connection={c} update={canEdit ? async (body) => { await adminApi.updateConnection(c.clientID, body); res.reload(); } : undefined} />],
                  ['Options', [c.forceAuthn && 'force re-authentication', c.wantAuthnRequestsSigned && 'signed requests', c.allowIdpInitiated && 'IdP-initiated allowed', c.allowSha1 && 'SHA-1 accepted'].filter(Boolean).join(', ') || 'defaults'],
                ] as [string, React.ReactNode][])
              : ([
                  ['Issuer', c.oidcProvider?.provider ?? c.oidcProvider?.discoveryUrl ?? '—'],
                  ['Client ID at the provider', c.oidcProvider?.clientId ?? '—'],
                  ['Client secret', c.oidcProvider?.clientSecretSet ? 'set (never shown)' : 'not set'],
                  ['Discovery refresh', <MetadataFreshness key="f" connection={c} />],
                ] as [string, React.ReactNode][])),
            ['Created', <DateTime key="c" value={c.createdAt} />],
            ['Updated', <DateTime key="u" value={c.updatedAt} />],
          ]}
        />
      </section>

      <ConfirmDialog open={confirm} title="Delete this connection?" confirmLabel="Delete connection" danger busy={busy} onConfirm={() => void remove()} onCancel={() => setConfirm(false)}>
        <p>
          Users of <strong>{c.tenant}</strong> will no longer be able to sign in to <strong>{c.product}</strong> through {title}. This cannot be undone; deactivate the connection instead if you may need it again.
        </p>
      </ConfirmDialog>
    </>
  );
}
