/** The signed-in frame: skip link, header with the user menu, the main navigation (collapsed behind a Menu button on a phone), and the page. */
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation } from '../shared/router.tsx';
import { useAdmin } from './session.tsx';

interface NavItem {
  to: string;
  label: string;
  ownerOnly?: boolean;
}

const NAV: { heading: string; items: NavItem[] }[] = [
  { heading: 'Enterprise SSO', items: [ { to: '/admin/sso/connections', label: 'Connections' }, { to: '/admin/sso/setup-links', label: 'Setup Links' }, { to: '/admin/sso/traces', label: 'SSO Traces' }, { to: '/admin/sso/events', label: 'Events' }, { to: '/admin/sso/sessions', label: 'Sessions' } ] },
  { heading: 'Directory Sync', items: [ { to: '/admin/dsync/directories', label: 'Directories' }, { to: '/admin/dsync/setup-links', label: 'Setup Links' } ] },
  { heading: 'Customers', items: [ { to: '/admin/products', label: 'Products' }, { to: '/admin/tenants', label: 'Tenants' }, { to: '/admin/reconciliation', label: 'Reconciliation & roles' } ] },
  { heading: 'Access', items: [ { to: '/admin/api-keys', label: 'API keys' }, { to: '/admin/audit', label: 'Audit log' } ] },
  {
    heading: 'Settings',
    items: [
      { to: '/admin/settings/branding', label: 'Branding' },
      { to: '/admin/settings/events-webhook', label: 'Events webhook' },
      { to: '/admin/settings/audit-stream', label: 'Audit stream' },
      { to: '/admin/settings/admins', label: 'Admins', ownerOnly: true },
      { to: '/admin/settings/portal-sso', label: 'Portal SSO', ownerOnly: true },
    ],
  },
];

const ROLE_NAMES: Record<string, string> = { owner: 'Owner', admin: 'Admin', viewer: 'Viewer' };
/** Accounts made from ADMIN_EMAIL before it stopped naming them "Bootstrap owner" show their email instead. */
const LEGACY_BOOTSTRAP_NAME = 'Bootstrap owner';

export function Layout({ children }: { children: ReactNode }) {
  const { session, signOut, branding } = useAdmin();
  const { pathname } = useLocation();
  const role = session?.user.role;
  const name = session?.user.name;
  const displayName = name && name !== LEGACY_BOOTSTRAP_NAME ? name : session?.user.email;
  const [menuOpen, setMenuOpen] = useState(false);
  // A phone shows the menu collapsed behind a button; following a link closes it.
  useEffect(() => setMenuOpen(false), [pathname]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <Link to="/admin/" className="brand">
          {branding.logoUrl ? <img src={branding.logoUrl} alt="" className="brand__logo" /> : null}
          <span>{branding.productName}</span> <span className="brand__sub">Admin</span>
        </Link>
        <div className="topbar__user">
          <Link to="/admin/me" aria-current={pathname.startsWith('/admin/me') ? 'page' : undefined}>
            {displayName} <span className="role">({ROLE_NAMES[role ?? ''] ?? role})</span>
          </Link>
          <button type="button" className="button button--ghost" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <div className="body">
        <button type="button" className="button menu-toggle" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((o) => !o)}>
          <span aria-hidden="true">☰</span> Menu
        </button>
        <nav id="main-nav" className={`sidenav${menuOpen ? ' sidenav--open' : ''}`} aria-label="Main">
          {NAV.map((group) => {
            const items = group.items.filter((i) => !i.ownerOnly || role === 'owner');
            if (!items.length) return null;
            return (
              <div key={group.heading} className="sidenav__group">
                <h2 className="sidenav__heading">{group.heading}</h2>
                <ul>
                  {items.map((i) => (
                    <li key={i.to}>
                      <Link to={i.to} aria-current={pathname === i.to || pathname.startsWith(i.to + '/') ? 'page' : undefined}>
                        {i.label}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </nav>
        <main id="main" className="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
