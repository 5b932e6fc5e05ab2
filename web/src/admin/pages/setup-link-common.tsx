/**
 * What the Setup Links screens share: per-service wording and paths, the expiry cell, and the Regenerate and
 * Delete actions with their confirmation dialogs (used by the list and by the link's own page).
 */
import { useState, type ReactNode } from 'react';
import { useSubmit } from '../../shared/forms.tsx';
import { Badge, ConfirmDialog, DateTime, ErrorBox } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import type { SetupLink, SetupService } from '../../shared/api-types.ts';

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
