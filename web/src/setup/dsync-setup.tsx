/**
 * The Directory Sync link page: the tenant's directories with whether the IdP has started provisioning (refreshed
 * while the page is open), New Directory (SCIM endpoint and bearer token shown once, with provider steps),
 * rotating the token (the running sync breaks until the IdP has the new one) and deleting a directory. When the
 * vendor's app stops receiving a directory's changes, the page says to contact the vendor (the why is theirs).
 */
import { useEffect, useRef, useState } from 'react';
import { Form, SelectField, SubmitButton, TextField, useSubmit } from '../shared/forms.tsx';
import { useAsync } from '../shared/hooks.ts';
import { Badge, ConfirmDialog, CopyField, DateTime, EmptyState, ErrorBox, Loading, Notice } from '../shared/ui.tsx';
import type { SetupApi } from './api.ts';
import type { LinkDirectory } from '../shared/api-types.ts';
import { SCIM_GUIDES, scimGuideFor } from './dsync-guides.tsx';
import { ScimInspector } from '../shared/scim-inspector.tsx';

const REFRESH_MS = 4000;

export function DsyncSetup({ api }: { api: SetupApi }) {
  const list = useAsync((signal) => api.directories(signal), [api]);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ directory: LinkDirectory; rotated: boolean } | null>(null);
  const [confirm, setConfirm] = useState<{ kind: 'rotate' | 'delete'; directory: LinkDirectory } | null>(null);
  // The inspector of a directory loads only once its panel is opened.
  const [inspecting, setInspecting] = useState<Record<string, boolean>>({});
  const action = useSubmit();
  const { reload } = list;

  // The IT admin watches for the IdP's first push: refresh the counts while the page is visible.
  useEffect(() => {
    const t = setInterval(() => document.visibilityState === 'visible' && reload(), REFRESH_MS);
    return () => clearInterval(t);
  }, [reload]);

  if (list.loading && !list.data) return <Loading label="Loading your directories…" />;
  if (!list.data) return <ErrorBox error={list.error} onRetry={list.reload} />;
  const directories = list.data;

  const run = () =>
    action.run(async () => {
      if (!confirm) return;
      if (confirm.kind === 'rotate') {
        const d = await api.rotateSecret(confirm.directory.id);
        setShown({ directory: d, rotated: true });
      } else {
        await api.deleteDirectory(confirm.directory.id);
        if (shown?.directory.id === confirm.directory.id) setShown(null);
      }
      setConfirm(null);
      reload();
    });

  if (creating)
    return (
      <NewDirectory
        api={api}
        onCreated={(d) => {
          setCreating(false);
          setShown({ directory: d, rotated: false });
          reload();
        }}
        onCancel={() => setCreating(false)}
      />
    );

  return (
    <>
      {shown ? <SecretOnce directory={shown.directory} rotated={shown.rotated} onDone={() => setShown(null)} /> : null}
      <section aria-labelledby="directories-title">
        <div className="section-header">
          <h2 id="directories-title">Your directories</h2>
          <button type="button" className="button button--primary" onClick={() => (setShown(null), setCreating(true))}>
            New Directory
          </button>
        </div>
        {directories.length === 0 ? (
          <EmptyState title="No directory yet">Create one to get the SCIM endpoint and token for your identity provider.</EmptyState>
        ) : (
          <ul className="cards">
            {directories.map((d) => {
              const label = d.name || scimGuideFor(d.type).label;
              const s = d.status;
              return (
                <li key={d.id} className="card">
                  <h3>{label}</h3>
                  <p className="muted">{scimGuideFor(d.type).label}</p>
                  <CopyField label={`SCIM endpoint of ${label}`} value={d.scim.endpoint} />
                  <p className="dir-status" aria-live="polite">
                    {s?.provisioningStarted ? <Badge kind="good">Provisioning started</Badge> : <Badge kind="warn">Waiting for your identity provider</Badge>}{' '}
                    {s ? (
                      <>
                        {s.users} user{s.users === 1 ? '' : 's'}, {s.groups} group{s.groups === 1 ? '' : 's'} · last activity <DateTime value={s.lastActivityAt} />
                      </>
                    ) : null}
                  </p>
                  {s?.deliveryFailing ? (
                    <Notice kind="warning">
                      <p>
                        Changes from your directory are not reaching the application right now. Nothing needs to change on your side: <strong>contact the vendor who sent you this link</strong> and tell them the directory &ldquo;{label}&rdquo; is affected.
                      </p>
                    </Notice>
                  ) : null}
                  <div className="toolbar">
                    <button type="button" className="button button--small" onClick={() => (action.reset(), setConfirm({ kind: 'rotate', directory: d }))} aria-label={`Rotate token of ${label}`}>
                      Rotate token
                    </button>
                    <button type="button" className="button button--small button--danger" onClick={() => (action.reset(), setConfirm({ kind: 'delete', directory: d }))} aria-label={`Delete ${label}`}>
                      Delete
                    </button>
                  </div>
                  <details className="dir-requests" onToggle={(ev) => setInspecting((s) => ({ ...s, [d.id]: (ev.target as HTMLDetailsElement).open }))}>
                    <summary>Why did a push fail? See the SCIM requests of {label}</summary>
                    {inspecting[d.id] ? <ScimInspector load={api.directoryRequests} directoryId={d.id} name={label} headingLevel={4} /> : null}
                  </details>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <ConfirmDialog open={confirm?.kind === 'rotate'} title="Rotate the bearer token?" confirmLabel="Rotate token" danger busy={action.busy} onConfirm={() => void run()} onCancel={() => setConfirm(null)}>
        <p>
          The current token stops working at once: <strong>provisioning from your identity provider fails until you paste the new token there.</strong>
        </p>
        <ErrorBox error={action.error} />
      </ConfirmDialog>
      <ConfirmDialog open={confirm?.kind === 'delete'} title="Delete this directory?" confirmLabel="Delete directory" danger busy={action.busy} onConfirm={() => void run()} onCancel={() => setConfirm(null)}>
        <p>Its users and groups are removed and your identity provider can no longer provision to it. This cannot be undone.</p>
        <ErrorBox error={action.error} />
      </ConfirmDialog>
    </>
  );
}

function NewDirectory({ api, onCreated, onCancel }: { api: SetupApi; onCreated: (d: LinkDirectory) => void; onCancel: () => void }) {
  const [f, setF] = useState({ type: 'okta-scim-v2', name: '' });
  const state = useSubmit();
  const submit = () =>
    state.run(async () => {
      onCreated(await api.createDirectory({ type: f.type, name: f.name.trim() || undefined }));
    });
  return (
    <section className="panel" aria-labelledby="new-dir-title">
      <h2 id="new-dir-title">New Directory</h2>
      <Form state={state} onSubmit={submit} label="New Directory">
        <SelectField name="type" label="Directory provider" value={f.type} onValue={(v) => setF((s) => ({ ...s, type: v }))} options={SCIM_GUIDES.map((g) => ({ value: g.type, label: g.label }))} />
        <TextField name="name" label="Name" hint="For you, e.g. “Okta production”." value={f.name} onValue={(v) => setF((s) => ({ ...s, name: v }))} />
        <div className="form-actions">
          <SubmitButton busy={state.busy} busyLabel="Creating…">
            Create directory
          </SubmitButton>
          <button type="button" className="button button--ghost" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </Form>
    </section>
  );
}

/** The SCIM endpoint and the bearer token, shown this once, with the provider's steps. */
function SecretOnce({ directory, rotated, onDone }: { directory: LinkDirectory; rotated: boolean; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [directory]);
  const guide = scimGuideFor(directory.type);
  return (
    <section className="once" aria-labelledby="once-title">
      <h2 id="once-title" tabIndex={-1} ref={heading}>
        {rotated ? 'New bearer token' : `Directory created: connect ${guide.label}`}
      </h2>
      <div className="alert alert--warning">
        <p>
          <strong>Copy the token now: it is shown only this once.</strong> {rotated ? 'The previous token no longer works; paste this one into your identity provider.' : 'If you lose it, rotate it to get a new one.'}
        </p>
      </div>
      <CopyField label="SCIM endpoint" value={directory.scim.endpoint} />
      <CopyField label="Bearer token" value={directory.scim.secret ?? ''} secret />
      <h3>In {guide.label}</h3>
      <ol className="steps">
        {guide.steps.map((s, i) => (
          <li key={i}>{s}</li>
        ))}
      </ol>
      <button type="button" className="button" onClick={onDone}>
        I have copied the token
      </button>
    </section>
  );
}
