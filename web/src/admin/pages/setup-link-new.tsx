/** Placeholder: Setup Links arrive with issue 6. Deliberately shows that nothing is created here yet. */
import { Link, useLocation } from '../../shared/router.tsx';
import { Notice, PageHeader } from '../../shared/ui.tsx';

export function SetupLinkNewPage() {
  const service = useLocation().search.get('service') === 'dsync' ? 'Directory Sync' : 'Enterprise SSO';
  return (
    <>
      <PageHeader title="New Setup Link" description={`For ${service}`} />
      <Notice kind="warning">
        <p>
          <strong>Not available yet.</strong> Setup Links arrive with issue 6: nothing is created on this page. Until then, create the{' '}
          {service === 'Directory Sync' ? <Link to="/admin/dsync/directories/new">directory</Link> : <Link to="/admin/sso/connections/new">connection</Link>} yourself and send the customer the details it shows.
        </p>
      </Notice>
    </>
  );
}
