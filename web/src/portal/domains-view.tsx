/** The tenant's domains with the TXT record that proves each, and Verify (decision 0033). */
import { useState } from 'react';
import { request } from '../shared/api.ts';
import { useAsync } from '../shared/hooks.ts';
import { Badge, CopyField, DateTime, EmptyState, ErrorBox, Loading, Notice } from '../shared/ui.tsx';

interface PortalDomain {
  domain: string;
  verified: boolean;
  verifiedAt: string | null;
  txtRecord: { name: string; type: string; value: string };
  lastCheckedAt: string | null;
}

export function DomainsView({ tenant }: { tenant: string }) {
  const list = useAsync(async (signal) => (await request<{ data: PortalDomain[] }>('GET', '/api/portal/domains', undefined, { sessionRequired: false, signal })).data, []);
  const [checking, setChecking] = useState<string | null>(null);
  const [result, setResult] = useState<{ domain: string; error?: unknown } | null>(null);
  const verify = async (domain: string) => {
    setChecking(domain);
    setResult(null);
    try {
      await request('POST', `/api/portal/domains/${encodeURIComponent(domain)}/verify`, {}, { sessionRequired: false });
      setResult({ domain });
      list.reload();
    } catch (error) {
      setResult({ domain, error });
    } finally {
      setChecking(null);
    }
  };
  if (!list.data) return list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : <Loading />;
  return (
    <div className="setup__intro">
      <p className="lead">
        Prove that <strong>{tenant}</strong> owns its email domains: add each TXT record below at your DNS provider, then choose Verify.
      </p>
      {list.data.length === 0 ? <EmptyState title="No domains yet">Ask your vendor contact to add your domains.</EmptyState> : null}
      {result && !result.error ? <Notice kind="success">{result.domain} is verified.</Notice> : null}
      {result?.error ? <ErrorBox error={result.error} /> : null}
      <ul className="portal__list">
        {list.data.map((d) => (
          <li key={d.domain} className="card">
            <h2>
              {d.domain} {d.verified ? <Badge kind="good">Verified</Badge> : <Badge kind="warn">Not verified</Badge>}
            </h2>
            {d.verified ? (
              <p className="muted">
                Verified <DateTime value={d.verifiedAt} />.
              </p>
            ) : (
              <>
                <CopyField label={`TXT record name for ${d.domain}`} value={d.txtRecord.name} />
                <CopyField label={`TXT record value for ${d.domain}`} value={d.txtRecord.value} />
                <button type="button" className="button button--primary" onClick={() => void verify(d.domain)} disabled={checking !== null}>
                  {checking === d.domain ? 'Checking…' : `Verify ${d.domain}`}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
