/**
 * Entry point of the web app Gatehouse serves. Each top-level area owns a path prefix: /admin (the portal) and
 * /setup/<token> (the setup-link pages, issue 6), /portal/session (the embeddable portal, decision 0033, which
 * drives the setup-link pages); all share ../shared.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AdminApp } from './admin/admin-app.tsx';
import { SetupApp } from './setup/setup-app.tsx';
import { PortalApp } from './portal/portal-app.tsx';
import './styles/app.css';

function App() {
  const path = window.location.pathname;
  if (path === '/admin' || path.startsWith('/admin/')) return <AdminApp />;
  if (path.startsWith('/setup/')) return <SetupApp />;
  if (path === '/portal/session') return <PortalApp />;
  return (
    <main className="center">
      <p>Nothing here. Go to the <a href="/admin/">admin portal</a>.</p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
