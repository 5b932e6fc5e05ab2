/**
 * What the Setup Links screens share: per-service wording and paths, the expiry cell, the progress status (cell,
 * filter, details), and the Regenerate and Delete actions with their confirmation dialogs (used by the list and
 * by the link's own page).
 */
import { useState, type ReactNode } from 'react';
import { useSubmit } from '../../shared/forms.tsx';
import { Badge, ConfirmDialog, DateTime, ErrorBox } from '../../shared/ui.tsx';
import { setSearch } from '../../shared/router.tsx';
import { adminApi } from '../api.ts';
import type { SetupLink, SetupProgress, SetupService, SetupStatus } from '../../shared/api-types.ts';

export const SERVICE_LABEL: Record<SetupService, string> = { sso: 'Enterprise SSO', dsync: 'Directory Sync' };
export const listPath = (service: SetupService) => `/admin/${service}/setup-links`;
export const linkPath = (service: SetupService, id: string) => `${listPath(service)}/${encodeURIComponent(id)}`;
export const linkLabel = (l: Pick<SetupLink, 'name' | 'tenant' | 'product'>) => l.name || `${l.tenant} · ${l.product}`;

export function Expiry({ link }: { link: Pick<SetupLink, 'validTill' | 'expired'> }) {
  return (
    <>
      <DateTime value={link.validTill} /> {link.expired ? <Badge kind="bad">Expired</Badge> : null}
    </>
  );
}

export const STATUS_LABEL: Record<SetupStatus, string> = { not_opened: 'Not opened', opened: 'Opened', configured: 'Configured', tested: 'Tested', live: 'Live' };
const STATUS_BADGE: Record<SetupStatus, 'neutral' | 'good' | 'bad' | 'warn'> = { not_opened: 'neutral', opened: 'neutral', configured: 'warn', tested: 'warn', live: 'good' };
/** What each status means, per service (the filter's options and the cell's hint say the same). */
const STATUS_MEANING: Record<SetupService, Record<SetupStatus, string>> = {
  sso: { not_opened: 'The customer has not opened the link yet.', opened: 'Opened; no connection made yet.', configured: 'Connection made; not tested yet.', tested: 'Tested; the last test sign-in did not succeed.', live: 'A test sign-in succeeded.' },
  dsync: { not_opened: 'The customer has not opened the link yet.', opened: 'Opened; no directory made yet.', configured: 'Directory made; no SCIM request received yet.', tested: 'The IdP sent SCIM requests; none has changed anything yet.', live: 'The IdP pushed users or groups.' },
};

/** The list's Status cell (`inline`: one line, for the link page): the badge, and why in a few words (the last test's reason when it failed). */
export function ProgressStatus({ service, progress, inline = false }: { service: SetupService; progress?: SetupProgress; inline?: boolean }) {
  const status = progress?.status ?? 'not_opened';
  const failed = service === 'sso' && progress?.lastTest && !progress.lastTest.ok ? progress.lastTest : null;
  const why = failed ? `Last test failed: ${failed.reason ?? 'see the link page'}` : STATUS_MEANING[service][status];
  const badge = <Badge kind={STATUS_BADGE[status]}>{STATUS_LABEL[status]}</Badge>;
  if (inline) return <>{badge} {why}</>;
  return (
    <div className="progress-status">
      {badge}
      <span className="hint">{why}</span>
    </div>
  );
}

/** The list's Status field (inside its filter form); its value lives in the URL (`?status=`) and applies at once. */
export function StatusFilter({ service, status }: { service: SetupService; status: string }) {
  return (
    <div className="field">
      <label htmlFor="filter-status">Status</label>
      <select id="filter-status" value={status} onChange={(e) => setSearch({ status: e.target.value })} aria-describedby="filter-status-hint">
        <option value="">Any status</option>
        {(Object.keys(STATUS_LABEL) as SetupStatus[]).map((s) => (
          <option key={s} value={s}>
            {STATUS_LABEL[s]}
          </option>
        ))}
      </select>
      <p id="filter-status-hint" className="sr-only">
        {(Object.keys(STATUS_LABEL) as SetupStatus[]).map((s) => `${STATUS_LABEL[s]}: ${STATUS_MEANING[service][s]}`).join(' ')}
      </p>
    </div>
  );
}

/** The link page's Progress rows: each milestone with its time. */
export function progressRows(service: SetupService, p: SetupProgress | undefined): [string, ReactNode][] {
  if (!p) return [];
  const test = p.lastTest;
  const rows: [string, ReactNode][] = [
    ['Status', <ProgressStatus service={service} progress={p} inline />],
    ['Opened by the customer', <DateTime value={p.openedAt} />],
    [service === 'sso' ? 'Connection made' : 'Directory made', <DateTime value={service === 'sso' ? p.connectionCreatedAt : p.directoryCreatedAt} />],
  ];
  if (service === 'sso') rows.push(['Last test sign-in', test ? <><DateTime value={test.at} /> {test.ok ? <Badge kind="good">Succeeded</Badge> : <><Badge kind="bad">Failed</Badge> {test.reason}</>}</> : <span className="muted">never</span>]);
  else rows.push(['First SCIM request', <DateTime value={p.firstScimRequestAt} />]);
  rows.push([service === 'sso' ? 'First successful test' : 'First successful push', <DateTime value={p.completedAt} />]);
  return rows;
}

/**
 * Regenerate (new URL at once; the old one stops working everywhere) and Delete (revokes the link), each behind a
 * confirmation dialog. `render` receives the two buttons so each screen can place them.
 */
export function LinkActions({ link, onRegenerated, onDeleted, render }: { link: SetupLink; onRegenerated: (l: SetupLink) => void; onDeleted: () => void; render: (buttons: { regenerate: ReactNode; remove: ReactNode }) => ReactNode }) {
  const [dialog, setDialog] = useState<'regenerate' | 'delete' | null>(null);
  const state = useSubmit();
  const label = linkLabel(link);
  const regenerate = () =>
    state.run(async () => {
      const l = await adminApi.regenerateSetupLink(link.id);
      setDialog(null);
      onRegenerated(l);
    });
  const remove = () =>
    state.run(async () => {
      await adminApi.deleteSetupLink(link.id);
      setDialog(null);
      onDeleted();
    });
  return (
    <>
      {render({
        regenerate: (
          <button type="button" className="button button--small" onClick={() => (state.reset(), setDialog('regenerate'))} aria-label={`Regenerate ${label}`}>
            Regenerate
          </button>
        ),
        remove: (
          <button type="button" className="button button--small button--danger" onClick={() => (state.reset(), setDialog('delete'))} aria-label={`Delete ${label}`}>
            Delete
          </button>
        ),
      })}
      <ConfirmDialog open={dialog === 'regenerate'} title="Regenerate this setup link?" confirmLabel="Regenerate link" danger busy={state.busy} onConfirm={() => void regenerate()} onCancel={() => setDialog(null)}>
        <p>
          A new URL is issued at once for <strong>{label}</strong>. The current URL stops working immediately, also on pages your customer already has open. Send them the new one.
        </p>
        <ErrorBox error={state.error} />
      </ConfirmDialog>
      <ConfirmDialog open={dialog === 'delete'} title="Delete this setup link?" confirmLabel="Delete link" danger busy={state.busy} onConfirm={() => void remove()} onCancel={() => setDialog(null)}>
        <p>
          The link for <strong>{label}</strong> stops working at once. Connections and directories already set up through it stay as they are.
        </p>
        <ErrorBox error={state.error} />
      </ConfirmDialog>
    </>
  );
}
