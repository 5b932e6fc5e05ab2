/** Landing page: connections that need attention (from the event stream), then where to start, in the order a new vendor admin needs things. */
import { useAsync } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { Badge, PageHeader } from '../../shared/ui.tsx';
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
            <Link to={`/admin/sso/connections/${encodeURIComponent(f.clientID)}`}>{String(f.events[0]?.data.name || f.clientID)}</Link> ({f.tenant} · {f.product}){' '}
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

export function HomePage() {
  const { session } = useAdmin();
  return (
    <>
      <PageHeader title="Overview" description={`Signed in as ${session?.user.email}.`} />
      <NeedsAttention />
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
