/**
 * The admin area (/admin/...): loads branding and the session, sends signed-out visitors to the sign-in page,
 * and maps paths to screens. This route table is the one place that lists every admin screen.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onUnauthorised, setCsrfToken } from '../shared/api.ts';
import { applyBranding, DEFAULT_BRANDING, loadBranding } from '../shared/branding.ts';
import type { Branding, Session } from '../shared/api-types.ts';
import { matchPath, navigate, useLocation } from '../shared/router.tsx';
import { Loading } from '../shared/ui.tsx';
import { adminApi } from './api.ts';
import { Layout } from './layout.tsx';
import { AdminCtx, type AdminContext } from './session.tsx';
import { LoginPage } from './pages/login.tsx';
import { HomePage } from './pages/home.tsx';
import { ConnectionsPage } from './pages/connections.tsx';
import { ConnectionFormPage } from './pages/connection-form.tsx';
import { ConnectionDetailPage } from './pages/connection-detail.tsx';
import { ConnectionSessionsPage } from './pages/connection-sessions.tsx';
import { TracesPage } from './pages/traces.tsx';
import { SetupLinkNewPage } from './pages/setup-link-new.tsx';
import { SetupLinksPage } from './pages/setup-links.tsx';
import { SetupLinkViewPage } from './pages/setup-link-view.tsx';
import { DirectoriesPage } from './pages/directories.tsx';
import { DirectoryFormPage } from './pages/directory-form.tsx';
import { DirectoryDetailPage } from './pages/directory-detail.tsx';
import { DirectoryUserPage } from './pages/directory-user.tsx';
import { ProductsPage, ProductEditPage } from './pages/products.tsx';
import { TenantsPage } from './pages/tenants.tsx';
import { TenantDetailPage } from './pages/tenant-detail.tsx';
import { ApiKeysPage } from './pages/api-keys.tsx';
import { AuditPage } from './pages/audit.tsx';
import { BrandingPage } from './pages/branding.tsx';
import { EventsPage } from './pages/events.tsx';
import { EventsWebhookPage } from './pages/events-webhook.tsx';
import { AuditStreamPage } from './pages/audit-stream.tsx';
import { AdminsPage } from './pages/admins.tsx';
import { PortalSsoPage } from './pages/portal-sso.tsx';
import { MePage } from './pages/me.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { ReconciliationPage } from './pages/reconciliation.tsx';

type P = Record<string, string>;
const ROUTES: [string, (p: P) => ReactNode][] = [
  ['/admin', () => <HomePage />],
  ['/admin/sso/connections', () => <ConnectionsPage />],
  ['/admin/sso/connections/new', () => <ConnectionFormPage />],
  ['/admin/sso/connections/:clientID', (p) => <ConnectionDetailPage clientID={p.clientID} />],
  ['/admin/sso/connections/:clientID/edit', (p) => <ConnectionFormPage clientID={p.clientID} />],
  ['/admin/sso/sessions', () => <ConnectionSessionsPage />],
  ['/admin/sso/sessions/:clientID', (p) => <ConnectionSessionsPage clientID={p.clientID} />],
  ['/admin/sso/traces', () => <TracesPage />],
  ['/admin/sso/events', () => <EventsPage />],
  ['/admin/setup-links/new', () => <SetupLinkNewPage />],
  ['/admin/sso/setup-links', () => <SetupLinksPage service="sso" />],
  ['/admin/sso/setup-links/new', () => <SetupLinkNewPage service="sso" />],
  ['/admin/sso/setup-links/:id', (p) => <SetupLinkViewPage service="sso" id={p.id} />],
  ['/admin/dsync/setup-links', () => <SetupLinksPage service="dsync" />],
  ['/admin/dsync/setup-links/new', () => <SetupLinkNewPage service="dsync" />],
  ['/admin/dsync/setup-links/:id', (p) => <SetupLinkViewPage service="dsync" id={p.id} />],
  ['/admin/dsync/directories', () => <DirectoriesPage />],
  ['/admin/dsync/directories/new', () => <DirectoryFormPage />],
  ['/admin/dsync/directories/:id', (p) => <DirectoryDetailPage id={p.id} />],
  ['/admin/dsync/directories/:id/edit', (p) => <DirectoryFormPage id={p.id} />],
  ['/admin/dsync/directories/:id/users/:userId', (p) => <DirectoryUserPage id={p.id} userId={p.userId} />],
  ['/admin/products', () => <ProductsPage />],
  ['/admin/products/:product', (p) => <ProductEditPage product={p.product} />],
  ['/admin/tenants', () => <TenantsPage />],
  ['/admin/reconciliation', () => <ReconciliationPage />],
  ['/admin/tenants/:tenant', (p) => <TenantDetailPage tenant={p.tenant} />],
  ['/admin/api-keys', () => <ApiKeysPage />],
  ['/admin/audit', () => <AuditPage />],
  ['/admin/settings/branding', () => <BrandingPage />],
  ['/admin/settings/events-webhook', () => <EventsWebhookPage />],
  ['/admin/settings/audit-stream', () => <AuditStreamPage />],
  ['/admin/settings/admins', () => <AdminsPage />],
  ['/admin/settings/portal-sso', () => <PortalSsoPage />],
  ['/admin/me', () => <MePage />],
];

function Screen({ pathname }: { pathname: string }) {
  for (const [pattern, render] of ROUTES) {
    const params = matchPath(pattern, pathname);
    if (params) return <>{render(params)}</>;
  }
  return <NotFoundPage />;
}

const loginUrl = () => {
  const here = window.location.pathname + window.location.search;
  return here.startsWith('/admin/login') ? here : `/admin/login${here === '/admin' || here === '/admin/' ? '' : `?next=${encodeURIComponent(here)}`}`;
};

export function AdminApp() {
  const { pathname } = useLocation();
  const [session, setSessionState] = useState<Session | null>(null);
  const [checked, setChecked] = useState(false);
  const [branding, setBrandingState] = useState<Branding>(DEFAULT_BRANDING);

  const setSession = useCallback((s: Session | null) => {
    setCsrfToken(s?.csrfToken ?? null);
    setSessionState(s);
  }, []);
  const setBranding = useCallback((b: Branding) => {
    applyBranding(b);
    setBrandingState(b);
  }, []);

  useEffect(() => {
    void loadBranding().then(setBranding);
    adminApi.session().then(
      (s) => (setSession(s), setChecked(true)),
      () => setChecked(true),
    );
  }, [setSession, setBranding]);

  useEffect(
    () =>
      onUnauthorised(() => {
        setSession(null);
        navigate(loginUrl(), { replace: true });
      }),
    [setSession],
  );

  const isLogin = pathname === '/admin/login';
  useEffect(() => {
    if (checked && !session && !isLogin) navigate(loginUrl(), { replace: true });
  }, [checked, session, isLogin]);

  const signOut = useCallback(async () => {
    try {
      await adminApi.logout();
    } finally {
      setSession(null);
      navigate('/admin/login', { replace: true });
    }
  }, [setSession]);

  const ctx = useMemo<AdminContext>(() => ({ session, setSession, signOut, branding, setBranding }), [session, setSession, signOut, branding, setBranding]);

  let body: ReactNode;
  if (!checked) body = <main className="center"><Loading label="Loading the admin portal…" /></main>;
  else if (isLogin) body = <LoginPage />;
  else if (!session) body = <main className="center"><Loading label="Redirecting to sign-in…" /></main>;
  else
    body = (
      <Layout>
        <Screen pathname={pathname} />
      </Layout>
    );
  return <AdminCtx.Provider value={ctx}>{body}</AdminCtx.Provider>;
}
