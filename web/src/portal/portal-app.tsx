/**
 * The embeddable portal (/portal/session, decision 0033): one task for the customer's IT admin, opened from the
 * vendor's app (often in an iframe). The session cookie authorises `/api/portal/*`, the same API as a setup link's,
 * so SSO and Directory Sync are the setup-link pages themselves; domain verification and the audit log are the two
 * small views beside them. Done ends the session and goes back to the vendor's return URL.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, request, setCsrfToken } from '../shared/api.ts';
import { applyBranding, DEFAULT_BRANDING, loadBranding } from '../shared/branding.ts';
import type { Branding } from '../shared/api-types.ts';
import { useAsync } from '../shared/hooks.ts';
import { ErrorBox, Loading } from '../shared/ui.tsx';
import { linkApi, onDeadLink, type SetupApi } from '../setup/api.ts';
import { Intro, Shell } from '../setup/setup-app.tsx';
import { SsoSetup } from '../setup/sso-setup.tsx';
import { DsyncSetup } from '../setup/dsync-setup.tsx';
import { DomainsView } from './domains-view.tsx';
import { AuditLogView } from './audit-log-view.tsx';

export interface PortalSession {
  intent: 'sso' | 'dsync' | 'domain_verification' | 'certificate_renewal' | 'audit_log';
  tenant: string;
  product: string;
  productName: string;
  clientID: string | null;
  hasReturnUrl: boolean;
  csrfToken: string;
}

const TITLES: Record<PortalSession['intent'], string> = {
  sso: 'Set up single sign-on',
  dsync: 'Set up directory sync',
  domain_verification: 'Verify your domains',
  certificate_renewal: 'Renew your single sign-on certificate',
  audit_log: 'Activity log',
};

const loadSession = async (signal: AbortSignal) => {
  const s = (await request<{ data: PortalSession }>('GET', '/api/portal/session', undefined, { sessionRequired: false, signal })).data;
  setCsrfToken(s.csrfToken);
  return s;
};

export function PortalApp() {
  const api = useMemo(() => linkApi('/api/portal'), []);
  const [branding, setBranding] = useState<Branding>(DEFAULT_BRANDING);
  const [ended, setEnded] = useState<'done' | 'expired' | null>(null);
  const session = useAsync(loadSession, []);

  useEffect(() => {
    void loadBranding().then((b) => (applyBranding(b), setBranding(b)));
  }, []);
  useEffect(() => onDeadLink(() => setEnded('expired')), []);

  const expired = ended === 'expired' || (session.error instanceof ApiError && session.error.status === 401);
  let title = 'Portal';
  let body: ReactNode;
  if (ended === 'done') {
    title = 'All done';
    body = <p className="lead">You can close this window.</p>;
  } else if (expired) {
    title = 'This session has ended';
    body = (
      <div className="alert alert--error" role="alert">
        <p>Go back to the application that sent you here and open this page again.</p>
      </div>
    );
  } else if (!session.data) {
    body = session.error ? <ErrorBox error={session.error} onRetry={session.reload} /> : <Loading label="Opening…" />;
  } else {
    title = TITLES[session.data.intent];
    body = (
      <>
        <Task api={api} session={session.data} />
        <Done onEnded={() => setEnded('done')} />
      </>
    );
  }
  return (
    <Shell branding={branding} title={title} productName={session.data?.productName} area="Admin portal">
      {body}
    </Shell>
  );
}

function Task({ api, session }: { api: SetupApi; session: PortalSession }) {
  if (session.intent === 'domain_verification') return <DomainsView tenant={session.tenant} />;
  if (session.intent === 'audit_log') return <AuditLogView tenant={session.tenant} productName={session.productName} />;
  return <LinkTask api={api} />;
}

/** SSO, certificate renewal and Directory Sync: the setup-link pages, fed by the portal's link API. */
function LinkTask({ api }: { api: SetupApi }) {
  const info = useAsync((signal) => api.info(signal), [api]);
  if (!info.data) return info.error ? <ErrorBox error={info.error} onRetry={info.reload} /> : <Loading />;
  return (
    <>
      <Intro info={info.data} portal />
      {info.data.service === 'sso' ? <SsoSetup api={api} info={info.data} /> : <DsyncSetup api={api} />}
    </>
  );
}

/** Ends the session; the vendor's return URL (registered on its product) takes over, in this frame. */
function Done({ onEnded }: { onEnded: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const finish = async () => {
    setBusy(true);
    try {
      const { returnUrl } = (await request<{ data: { returnUrl: string | null } }>('POST', '/api/portal/session/end', {}, { sessionRequired: false })).data;
      if (returnUrl) window.location.assign(returnUrl);
      else onEnded();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <div className="portal__done">
      {error ? <ErrorBox error={error} /> : null}
      <button type="button" className="button button--primary" onClick={() => void finish()} disabled={busy}>
        {busy ? 'Finishing…' : 'Done'}
      </button>
    </div>
  );
}
