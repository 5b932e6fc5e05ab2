/** Enterprise SSO → SSO Traces: failed sign-ins of the last 7 days, with the reason in plain words. */
import { usePaged } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { DateTime, EmptyState, ErrorBox, Loading, PageHeader, Pager } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';

export function TracesPage() {
  const list = usePaged((cursor, signal) => adminApi.traces({ cursor }, signal), []);
  const rows = list.data?.data ?? [];
  return (
    <>
      <PageHeader title="SSO Traces" description="Failed sign-ins of the last 7 days, with what went wrong and what the IdP sent." />
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading label="Loading traces…" /> : null}
      {list.data && rows.length === 0 ? (
        <EmptyState title="No failed sign-ins in the last 7 days">When a sign-in fails (wrong audience, expired assertion, unknown certificate…), it appears here with the decoded response so you can tell the customer what to fix.</EmptyState>
      ) : null}
      <ul className="traces">
        {rows.map((t) => (
          <li key={t.id} className="trace">
            <div className="trace__head">
              <p className="trace__message">
                <strong>{t.message}</strong>
              </p>
              <p className="muted">
                <DateTime value={t.at} /> · {t.tenant ?? 'unknown tenant'} · {t.product ?? 'unknown product'}
                {t.connectionId ? (
                  <>
                    {' '}
                    · <Link to={`/admin/sso/connections/${encodeURIComponent(t.connectionId)}`}>connection</Link>
                  </>
                ) : null}{' '}
                · <code>{t.code}</code>
              </p>
            </div>
            {t.detail || t.samlResponse ? (
              <details>
                <summary>Details and decoded response</summary>
                {t.detail ? <p>{t.detail}</p> : null}
                {t.samlResponse ? (
                  <pre className="code-block" tabIndex={0} aria-label="Decoded SAML response">
                    {t.samlResponse}
                  </pre>
                ) : null}
              </details>
            ) : null}
          </li>
        ))}
      </ul>
      <Pager label="Traces" page={list.page} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} total={list.data?.total} />
    </>
  );
}
