/**
 * Entry point of the web app Gatehouse serves. Each top-level area owns a path prefix: /admin today; the
 * setup-link pages (/setup/<token>, issue 6) will mount their own area here and share ../shared.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AdminApp } from './admin/admin-app.tsx';
import './styles/app.css';

function App() {
  const path = window.location.pathname;
  if (path === '/admin' || path.startsWith('/admin/')) return <AdminApp />;
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
