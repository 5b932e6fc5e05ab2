/**
 * The setup-link area (/setup/<token>): branded with GET /api/branding, no account. Loads what the link is for
 * and shows the SSO or the Directory Sync page; a dead link (expired, regenerated, deleted, other service) gets a
 * clear page instead, also when the link dies while the page is open.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../shared/api.ts';
import { applyBranding, DEFAULT_BRANDING, loadBranding } from '../shared/branding.ts';
import type { Branding, LinkInfo } from '../shared/api-types.ts';
import { useAsync } from '../shared/hooks.ts';
import { DateTime, ErrorBox, Loading } from '../shared/ui.tsx';
import { isDeadLink, onDeadLink, setupApi } from './api.ts';
import { DsyncSetup } from './dsync-setup.tsx';
import { SsoSetup } from './sso-setup.tsx';

/** The token is the path segment after /setup/ (never sent anywhere but Gatehouse's own API). */
const tokenFromPath = (pathname: string) => decodeURIComponent(pathname.replace(/^\/setup\/?/, '').split('/')[0] ?? '');

export function SetupApp() {
  const token = useMemo(() => tokenFromPath(window.location.pathname), []);
  const api = useMemo(() => setupApi(token), [token]);
  const [branding, setBranding] = useState<Branding>(DEFAULT_BRANDING);
  const [dead, setDead] = useState<ApiError | null>(null);
  const info = useAsync((signal) => (token ? api.info(signal) : Promise.reject(new ApiError(404, 'SETUP_LINK_UNKNOWN', 'This address has no setup link token.'))), [api, token]);

  useEffect(() => {
    void loadBranding().then((b) => (applyBranding(b), setBranding(b)));
  }, []);
  useEffect(() => onDeadLink(setDead), []);

  const failure = dead ?? (isDeadLink(info.error) || (info.error instanceof ApiError && info.error.status === 404) ? (info.error as ApiError) : null);
  let title: string;
  let body: ReactNode;
  if (failure) {
    title = failure.code === 'SETUP_LINK_EXPIRED' ? 'This setup link has expired' : failure.code === 'SETUP_LINK_WRONG_SERVICE' ? 'This setup link is for something else' : 'This setup link does not work';
    body = <DeadLink error={failure} />;
  } else if (info.loading && !info.data) {
    title = 'Setup';
    body = <Loading label="Opening your setup link…" />;
  } else if (!info.data) {
    title = 'Setup';
    body = <ErrorBox error={info.error} onRetry={info.reload} />;
  } else {
    title = info.data.service === 'dsync' ? 'Set up directory sync' : info.data.intent === 'certificate_renewal' ? 'Renew your single sign-on certificate' : 'Set up single sign-on';
    body = (
      <>
        <Intro info={info.data} />
        {info.data.service === 'sso' ? <SsoSetup api={api} info={info.data} /> : <DsyncSetup api={api} />}
      </>
    );
  }
  return (
    <Shell branding={branding} title={title} productName={info.data?.productName}>
      {body}
    </Shell>
  );
}

export function Shell({ branding, title, productName, area = 'Setup', children }: { branding: Branding; title: string; productName?: string; area?: string; children: ReactNode }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${productName ?? branding.productName}`;
  }, [title, productName, branding.productName]);
  return (
    <div className="setup">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <span className="brand">
          {branding.logoUrl ? <img src={branding.logoUrl} alt="" className="brand__logo" /> : null}
          <span>{branding.productName}</span> <span className="brand__sub">{area}</span>
        </span>
      </header>
      <main id="main" className="setup__main" tabIndex={-1}>
        <h1 tabIndex={-1} ref={h1}>
          {title}
        </h1>
        {children}
      </main>
    </div>
  );
}

export function Intro({ info, portal = false }: { info: LinkInfo; portal?: boolean }) {
  return (
    <div className="setup__intro">
      <p className="lead">
        {info.intent === 'certificate_renewal' ? (
          <>
            Give <strong>{info.productName}</strong> your identity provider&rsquo;s new signing certificate or metadata, so <strong>{info.tenant}</strong>&rsquo;s users keep signing in when the old certificate expires.
          </>
        ) : info.service === 'sso' ? (
          <>
            Connect <strong>{info.tenant}</strong>&rsquo;s identity provider to <strong>{info.productName}</strong> so your users sign in with their work account.
          </>
        ) : (
          <>
            Connect <strong>{info.tenant}</strong>&rsquo;s directory to <strong>{info.productName}</strong> so users and groups are provisioned automatically (SCIM 2.0).
          </>
        )}
      </p>
      {info.name || info.description ? (
        <p>
          {info.name ? <strong>{info.name}</strong> : null}
          {info.name && info.description ? ': ' : null}
          {info.description}
        </p>
      ) : null}
      {portal ? null : (
        <p className="muted">
          This link works until <DateTime value={info.validTill} />. Anything you set up keeps working after it expires.
        </p>
      )}
    </div>
  );
}

function DeadLink({ error }: { error: ApiError }) {
  const expired = error.code === 'SETUP_LINK_EXPIRED';
  return (
    <div className="alert alert--error" role="alert">
      <p>{expired ? 'Setup links are valid for a few days only.' : error.code === 'SETUP_LINK_WRONG_SERVICE' ? error.message : 'It may have been replaced by a newer link, or revoked.'}</p>
      <p>
        <strong>Ask your vendor contact for a new link.</strong> Anything already set up through this link keeps working.
      </p>
    </div>
  );
}
