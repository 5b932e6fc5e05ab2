/**
 * Health at a glance (decision 0022), on the portal's connection page and the setup-link page: the last successful
 * sign-in, the last 24 hours of sign-ins and failures by reason, certificate expiry and metadata freshness. When a
 * certificate expires within 30 days, `expiringAction` (the portal's "Send a renewal link") shows under it.
 */
import type { ReactNode } from 'react';
import { useAsync } from './hooks.ts';
import { Badge, DateTime, Details, ErrorBox, Loading } from './ui.tsx';
import type { ConnectionHealth } from './api-types.ts';

const certKind = (daysLeft: number) => (daysLeft < 0 ? 'bad' : daysLeft <= 30 ? 'warn' : 'good');
const certLabel = (daysLeft: number) => (daysLeft < 0 ? 'expired' : daysLeft === 1 ? '1 day left' : `${daysLeft} days left`);

function Metadata({ m }: { m: ConnectionHealth['metadata'] }) {
  if (m.source === 'pasted') return <>Pasted or uploaded: not refreshed; new IdP certificates must be added by hand.</>;
  if (m.error) return <><Badge kind="bad">Refresh failing</Badge> {m.error} (the last good metadata stays in use)</>;
  return <>From a URL, refreshed every {m.refreshSeconds} s; last refreshed <DateTime value={m.refreshedAt} /></>;
}

export function HealthPanel({ load, clientID, expiringAction }: { load: (clientID: string, signal?: AbortSignal) => Promise<ConnectionHealth>; clientID: string; expiringAction?: ReactNode }) {
  const res = useAsync((signal) => load(clientID, signal), [clientID]);
  if (res.loading && !res.data) return <Loading label="Loading the health…" />;
  if (res.error || !res.data) return <ErrorBox error={res.error} onRetry={res.reload} />;
  const h = res.data;
  const reasons = Object.entries(h.last24h.byReason);
  const expiring = h.certificates.some((c) => c.daysLeft <= 30);
  return (
    <>
      <Details
        rows={[
          ['Last successful sign-in', <DateTime key="s" value={h.lastSuccessAt} />],
          ['Sign-ins, last 24 h', <span key="n" data-testid="health-sign-ins">{h.last24h.signIns}</span>],
          ['Failures, last 24 h', <span key="f" data-testid="health-failures">{h.last24h.failures}{h.last24h.failures > 0 ? <Badge kind="bad">{`${h.last24h.failures} failed`}</Badge> : null}</span>],
          ['Failures by reason', reasons.length ? <ul key="r" className="plain">{reasons.map(([code, n]) => <li key={code}><code>{code}</code>: {n}</li>)}</ul> : 'none'],
          ['Certificates', h.certificates.length ? <ul key="c" className="plain">{h.certificates.map((c) => <li key={c.fingerprint}><code>{c.fingerprint.slice(0, 23)}…</code> until <DateTime value={c.notAfter} /> <Badge kind={certKind(c.daysLeft)}>{certLabel(c.daysLeft)}</Badge></li>)}</ul> : 'none (OIDC)'],
          ['Metadata', <Metadata key="m" m={h.metadata} />],
        ]}
      />
      {expiring && expiringAction ? expiringAction : null}
    </>
  );
}
