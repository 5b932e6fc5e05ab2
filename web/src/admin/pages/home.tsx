/**
 * Landing page: the deployment at a glance (counts, recent failures, expiring certificates, setup links waiting for
 * the customer: GET /api/admin/overview), connections that need attention (the event stream's flags), then where to
 * start, in the order a new vendor admin needs things.
 */
import { useAsync } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { Badge, DateTime, ErrorBox, PageHeader } from '../../shared/ui.tsx';
import type { Overview } from '../../shared/api-types.ts';
import { adminApi } from '../api.ts';
import { useAdmin } from '../session.tsx';
import { eventSummary } from './events.tsx';

const FLAG_LABELS: Record<string, string> = {
  'connection.certificate_expiring': 'Certificate expiring',
  'connection.certificate_expired': 'Certificate expired',
  'connection.login_failures': 'Sign-ins failing',
};

/** Connections with a certificate expiring or expired, or failing most sign-ins; nothing when all is well. */
function NeedsAttention() {
  const flags = useAsync((signal) => adminApi.eventFlags(signal), []);
  const rows = flags.data ?? [];
  if (!rows.length) return null;
  return (
    <section className="attention" aria-label="Connections that need attention">
      <h2>Needs attention</h2>
      <ul>
        {rows.map((f) => (
          <li key={f.clientID}>
            <Link to={`/admin/sso/connections/${encodeURIComponent(f.clientID)}`}>{f.name || String(f.events[0]?.data.name || f.clientID)}</Link> ({f.tenant} · {f.product}){' '}
            {f.events.map((e) => (
              <span key={e.id}>
                <Badge kind={e.type === 'connection.certificate_expiring' ? 'warn' : 'bad'}>{FLAG_LABELS[e.type] ?? e.type}</Badge> {eventSummary(e.type, e.data)}{' '}
              </span>
            ))}
          </li>
        ))}
      </ul>
      <p>
        <Link to="/admin/sso/events">All events</Link>
      </p>
    </section>
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function Counts({ o }: { o: Overview }) {
  const c = o.counts;
  const tiles: [string, string, string][] = [
    [plural(c.connections, 'connection'), `${c.activeConnections} active`, '/admin/sso/connections'],
    [plural(c.directories, 'directory', 'directories'), plural(c.directoryUsers, 'user'), '/admin/dsync/directories'],
    [plural(c.tenants, 'tenant'), 'customer organisations', '/admin/tenants'],
    [plural(c.products, 'product'), 'your apps', '/admin/products'],
  ];
  return (
    <ul className="stats" aria-label="Counts">
      {tiles.map(([n, sub, to]) => (
        <li key={to} className="stat">
          <Link to={to} className="stat__value">{n}</Link>
          <span className="stat__sub">{sub}</span>
        </li>
      ))}
    </ul>
  );
}

function RecentFailures({ o }: { o: Overview }) {
  const f = o.failures;
  return (
    <section className="panel" aria-labelledby="ov-failures">
      <h2 id="ov-failures">Recent failures</h2>
      <p>
        {plural(f.ssoLast24h, 'failed SSO sign-in')} in the last 24 hours (<Link to="/admin/sso/traces">SSO Traces</Link>) ·{' '}
        {plural(f.webhooks.failed, 'webhook event')} failed, {f.webhooks.pending} waiting to be delivered (<Link to="/admin/dsync/directories">Directories</Link>)
      </p>
      {f.recentSso.length ? (
        <ul className="plain">
          {f.recentSso.map((t) => (
            <li key={t.id}>
              <DateTime value={t.at} /> · {t.tenant ?? '—'} · {t.product ?? '—'}: {t.message} <code>{t.code}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function Certificates({ o }: { o: Overview }) {
  return (
    <section className="panel" aria-labelledby="ov-certs">
      <h2 id="ov-certs">Certificates</h2>
      {o.certificates.length ? (
        <ul className="plain">
          {o.certificates.map((c) => (
            <li key={`${c.clientID}-${c.notAfter}`}>
              <Link to={`/admin/sso/connections/${encodeURIComponent(c.clientID)}`}>{c.name}</Link> ({c.tenant} · {c.product}){' '}
              {c.expired ? <Badge kind="bad">Expired</Badge> : <Badge kind="warn">{c.daysLeft === null ? 'Expiring' : `Expires in ${plural(c.daysLeft, 'day')}`}</Badge>} {c.notAfter ? <DateTime value={c.notAfter} /> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No identity provider certificate expires within 30 days.</p>
      )}
    </section>
  );
}

function AwaitingCustomer({ o }: { o: Overview }) {
  return (
    <section className="panel" aria-labelledby="ov-awaiting">
      <h2 id="ov-awaiting">Setup links waiting for the customer</h2>
      {o.awaitingCustomer.length ? (
        <ul className="plain">
          {o.awaitingCustomer.map((l) => (
            <li key={l.id}>
              <Link to={`/admin/${l.service}/setup-links/${encodeURIComponent(l.id)}`}>{l.name || `${l.tenant} · ${l.product}`}</Link> ({l.service === 'sso' ? 'Enterprise SSO' : 'Directory Sync'}, {l.tenant} · {l.product}): nothing set up yet; expires <DateTime value={l.expiresAt} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No live setup link is waiting for its customer.</p>
      )}
    </section>
  );
}

function AtAGlance() {
  const res = useAsync((signal) => adminApi.overview(signal), []);
  if (res.error) return <ErrorBox error={res.error} onRetry={res.reload} />;
  if (!res.data) return null;
  return (
    <>
      <Counts o={res.data} />
      <div className="overview-grid">
        <RecentFailures o={res.data} />
        <Certificates o={res.data} />
        <AwaitingCustomer o={res.data} />
      </div>
    </>
  );
}

export function HomePage() {
  const { session } = useAdmin();
  return (
    <>
      <PageHeader title="Overview" description={`Signed in as ${session?.user.email}.`} />
      <AtAGlance />
      <NeedsAttention />
      <h2>Getting started</h2>
      <ol className="steps">
        <li>
          <h2>Describe your apps and customers</h2>
          <p>
            Add a <Link to="/admin/products">product</Link> for each of your apps, and a <Link to="/admin/tenants">tenant</Link> for each customer organisation (with its verified email domains).
          </p>
        </li>
        <li>
          <h2>Connect their identity providers</h2>
          <p>
            Create a <Link to="/admin/sso/connections/new">SAML or OIDC connection</Link>, give the IdP the details on the connection's page, and hand the one-click link to the customer's users. Failed
            sign-ins appear under <Link to="/admin/sso/traces">SSO Traces</Link>.
          </p>
        </li>
        <li>
          <h2>Sync their directories</h2>
          <p>
            Create a <Link to="/admin/dsync/directories/new">SCIM directory</Link> and give its endpoint and secret to the customer's IT admin; watch users, groups and webhook deliveries on the directory's page.
          </p>
        </li>
        <li>
          <h2>Automate</h2>
          <p>
            Create an <Link to="/admin/api-keys">API key</Link> for the management API, and review every change in the <Link to="/admin/audit">audit log</Link>.
          </p>
        </li>
      </ol>
    </>
  );
}
