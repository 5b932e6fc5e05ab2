/**
 * The SSO link page: the tenant's connections (health, edit, delete, test), and a new-connection flow that opens by
 * itself when there is none yet. The page's status follows the latest test sign-in (now or earlier): while it
 * succeeded the completion links show; a failed re-test takes them away, and any finished test replaces the
 * "now test it" notice. A certificate-renewal link shows its one connection's renewal instead (./sso-renewal.tsx).
 */
import { IdpCertificates, MetadataFreshness } from '../shared/idp-certificates.tsx';
import { useCallback, useState } from 'react';
import { useAsync } from '../shared/hooks.ts';
import { Badge, ConfirmDialog, ErrorBox, Loading, Notice } from '../shared/ui.tsx';
import type { SetupApi } from './api.ts';
import type { Connection, LinkInfo } from '../shared/api-types.ts';
import { ConnectionForm } from './sso-connection-form.tsx';
import { SpValues } from '../shared/sp-values.tsx';
import { CompleteSetup } from './complete-setup.tsx';
import { TestPanel } from '../shared/test-panel.tsx';
import { DraftPanel } from '../shared/draft-panel.tsx';
import { HealthPanel } from '../shared/health-panel.tsx';
import { RenewalSetup } from './sso-renewal.tsx';
import { RoleMappingPanel } from './role-mapping-panel.tsx';

type Mode = { kind: 'list' } | { kind: 'new' } | { kind: 'edit'; connection: Connection };

const connLabel = (c: Connection) => c.name || c.idpMetadata?.entityID || c.oidcProvider?.provider || c.clientID;

export function SsoSetup({ api, info }: { api: SetupApi; info: LinkInfo }) {
  return info.intent === 'certificate_renewal' ? <RenewalSetup api={api} info={info} /> : <FullSetup api={api} info={info} />;
}

function FullSetup({ api, info }: { api: SetupApi; info: LinkInfo }) {
  const list = useAsync((signal) => api.connections(signal), [api]);
  const [mode, setMode] = useState<Mode | null>(null);
  const [saved, setSaved] = useState<{ connection: Connection; created: boolean } | null>(null);
  const [tested, setTested] = useState(Boolean(info.tested));
  const [removing, setRemoving] = useState<Connection | null>(null);
  const [removeError, setRemoveError] = useState<unknown>(null);
  const [removeBusy, setRemoveBusy] = useState(false);
  const onResult = useCallback((ok: boolean) => {
    setTested(ok);
    setSaved(null);
  }, []);
  const sp = info.sp!;

  if (list.loading && !list.data) return <Loading label="Loading your connections…" />;
  if (!list.data) return <ErrorBox error={list.error} onRetry={list.reload} />;
  const connections = list.data;
  const current: Mode = mode ?? (connections.length ? { kind: 'list' } : { kind: 'new' });

  const remove = async () => {
    if (!removing) return;
    setRemoveBusy(true);
    setRemoveError(null);
    try {
      await api.deleteConnection(removing.clientID);
      setRemoving(null);
      setSaved(null);
      list.setData(connections.filter((c) => c.clientID !== removing.clientID));
      setMode({ kind: 'list' });
    } catch (err) {
      setRemoveError(err);
    } finally {
      setRemoveBusy(false);
    }
  };

  if (current.kind !== 'list')
    return (
      <ConnectionForm
        key={current.kind === 'edit' ? current.connection.clientID : 'new'}
        api={api}
        sp={sp}
        existing={current.kind === 'edit' ? current.connection : undefined}
        onSaved={(c, created) => {
          setSaved({ connection: c, created });
          list.setData(created ? [...connections.filter((x) => x.clientID !== c.clientID), c] : connections.map((x) => (x.clientID === c.clientID ? c : x)));
          setMode({ kind: 'list' });
        }}
        onCancel={connections.length ? () => setMode({ kind: 'list' }) : undefined}
      />
    );

  const warnings = saved?.connection.idpMetadata?.warnings ?? [];
  return (
    <>
      {saved ? (
        <Notice kind="success">
          <p>
            {saved.created ? 'The connection was created.' : 'The connection was saved.'} Now test it: press <strong>Test connection</strong> and sign in at your identity provider in the new tab.
          </p>
        </Notice>
      ) : null}
      {warnings.length ? (
        <div className="alert alert--warning">
          <p>
            <strong>Check these points in your identity provider&rsquo;s metadata:</strong>
          </p>
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <section aria-labelledby="connections-title">
        <div className="section-header">
          <h2 id="connections-title">Your connections</h2>
          <button type="button" className="button" onClick={() => (setSaved(null), setMode({ kind: 'new' }))}>
            Add a connection
          </button>
        </div>
        <ul className="cards">
          {connections.map((c) => (
            <li key={c.clientID} className="card">
              <h3>{connLabel(c)}</h3>
              <p className="muted">
                {c.oidcProvider ? 'OpenID Connect' : 'SAML 2.0'} · {c.oidcProvider ? c.oidcProvider.provider : c.idpMetadata?.entityID} {c.deactivated ? <Badge kind="bad">Deactivated</Badge> : null}
              </p>
              <h4>Health</h4>
              <HealthPanel load={api.connectionHealth} clientID={c.clientID} />
              <MetadataFreshness connection={c} />
              <IdpCertificates connection={c} update={async (body) => { await api.updateConnection(c.clientID, body); list.reload(); }} />
              {c.idpMetadata?.warnings?.length && saved?.connection.clientID !== c.clientID ? (
                <p>
                  <Badge kind="warn">
                    {c.idpMetadata.warnings.length} metadata warning{c.idpMetadata.warnings.length > 1 ? 's' : ''}
                  </Badge>{' '}
                  {c.idpMetadata.warnings.join(' ')}
                </p>
              ) : null}
              <div className="toolbar">
                <button type="button" className="button button--small" onClick={() => (setSaved(null), setMode({ kind: 'edit', connection: c }))} aria-label={`Edit ${connLabel(c)}`}>
                  Edit
                </button>
                <button type="button" className="button button--small button--danger" onClick={() => (setRemoveError(null), setRemoving(c))} aria-label={`Delete ${connLabel(c)}`}>
                  Delete
                </button>
              </div>
              <TestPanel api={api} connection={c} onResult={onResult} />
              <DraftDetails api={api} clientID={c.clientID} onChanged={list.reload} />
            </li>
          ))}
        </ul>
      </section>
      {tested ? <CompleteSetup api={api} productName={info.productName} /> : null}
      <details className="panel">
        <summary>Values for your identity provider</summary>
        <SpValues sp={sp} protocol="saml" />
        <SpValues sp={sp} protocol="oidc" />
      </details>
      <RoleMappingPanel api={api} />
      <ConfirmDialog open={Boolean(removing)} title="Delete this connection?" confirmLabel="Delete connection" danger busy={removeBusy} onConfirm={() => void remove()} onCancel={() => setRemoving(null)}>
        <p>
          Users can no longer sign in through <strong>{removing ? connLabel(removing) : ''}</strong>. This cannot be undone.
        </p>
        <ErrorBox error={removeError} />
      </ConfirmDialog>
    </>
  );
}

/** The draft panel, loaded only once opened (each call of the link is audited). */
function DraftDetails({ api, clientID, onChanged }: { api: SetupApi; clientID: string; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="panel" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Change the identity provider without an outage</summary>
      {open ? <DraftPanel api={api.drafts} clientID={clientID} canEdit onChanged={onChanged} /> : null}
    </details>
  );
}
