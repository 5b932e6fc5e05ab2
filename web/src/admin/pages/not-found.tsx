import { Link } from '../../shared/router.tsx';
import { PageHeader } from '../../shared/ui.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        This page does not exist. Go to the <Link to="/admin/">overview</Link>.
      </p>
    </>
  );
}
