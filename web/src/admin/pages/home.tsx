/** Landing page: where to start, in the order a new vendor admin needs things. */
import { Link } from '../../shared/router.tsx';
import { PageHeader } from '../../shared/ui.tsx';
import { useAdmin } from '../session.tsx';

export function HomePage() {
  const { session } = useAdmin();
  return (
    <>
      <PageHeader title="Overview" description={`Signed in as ${session?.user.email}.`} />
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
