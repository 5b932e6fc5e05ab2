/**
 * Settings → Admins (owners): add an admin with a role (with a password, or SSO-only), change roles, link an
 * account to SSO (portal SSO signs in to an account with a password only once an owner linked it), remove.
 * When the API's lockout guard refuses (the last owner who can sign in without SSO), its sentence is shown.
 */
import { useState } from 'react';
import { ApiError } from '../../shared/api.ts';
import { Form, SelectField, SubmitButton, TextField, useSubmit, type FieldErrors } from '../../shared/forms.tsx';
import { usePaged } from '../../shared/hooks.ts';
import { Badge, ConfirmDialog, ErrorBox, Notice, PageHeader } from '../../shared/ui.tsx';
import { PagedTable } from '../../shared/paged-table.tsx';
import { adminApi } from '../api.ts';
import type { Admin, Role } from '../../shared/api-types.ts';
import { useAdmin, useIsOwner } from '../session.tsx';

const ROLES: { value: Role; label: string }[] = [
  { value: 'owner', label: 'Owner — everything, including admins and portal SSO' },
  { value: 'admin', label: 'Admin — manage connections, directories, keys' },
  { value: 'viewer', label: 'Viewer — read only' },
];

/** The guard's refusal, shown as a prominent explanation rather than a generic error. */
export function LockoutMessage({ error }: { error: unknown }) {
  if (!(error instanceof ApiError && error.code === 'ADMIN_LOCKOUT_GUARD')) return <ErrorBox error={error} />;
  return (
    <div className="alert alert--error" role="alert">
      <p>
        <strong>Refused by the lockout guard.</strong> {error.message}
      </p>
      <p className="muted">Gatehouse always keeps at least one owner who can sign in with a password, so a broken IdP can never lock everyone out.</p>
    </div>
  );
}

export function AdminsPage() {
  const isOwner = useIsOwner();
  const { session } = useAdmin();
  const list = usePaged((cursor, signal) => adminApi.admins({ cursor }, signal), []);
  const [f, setF] = useState({ email: '', name: '', role: 'admin', password: '' });
  const [added, setAdded] = useState<string | null>(null);
  const [rowError, setRowError] = useState<unknown>(null);
  const [rowMessage, setRowMessage] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Admin | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const state = useSubmit();

  if (!isOwner) return <><PageHeader title="Admins" /><Notice>Only owners manage admins.</Notice></>;

  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    if (!/^[^@\s]+@[^@\s]+$/.test(f.email.trim())) e.email = 'Enter an email address like name@example.com.';
    if (f.password && f.password.length < 12) e.password = 'Use at least 12 characters, or leave it empty for an SSO-only account.';
    return e;
  };
  const submit = () =>
    state.run(async () => {
      await adminApi.addAdmin({ email: f.email.trim(), name: f.name.trim() || undefined, role: f.role, password: f.password || undefined });
      setAdded(f.email.trim());
      setF({ email: '', name: '', role: 'admin', password: '' });
      list.reload();
    });
  /** Changes one account from its row; the list is reloaded either way, so the row shows what the server kept. */
  const updateRow = async (a: Admin, patch: { role: string } | { ssoLinked: boolean }, done: string) => {
    setBusyId(a.id);
    setRowError(null);
    setRowMessage(null);
    try {
      await adminApi.updateAdmin(a.id, patch);
      setRowMessage(done);
    } catch (err) {
      setRowError(err);
    } finally {
      list.reload();
      setBusyId(null);
    }
  };
  const changeRole = (a: Admin, role: string) => updateRow(a, { role }, `${a.email} is now ${role}.`);
  const changeLink = (a: Admin, ssoLinked: boolean) => updateRow(a, { ssoLinked }, ssoLinked ? `${a.email} can now sign in with SSO.` : `${a.email} can no longer sign in with SSO.`);
  const remove = async () => {
    const a = removing!;
    setBusyId(a.id);
    setRowError(null);
    setRowMessage(null);
    try {
      await adminApi.removeAdmin(a.id);
      setRowMessage(`${a.email} removed.`);
      list.reload();
    } catch (err) {
      setRowError(err);
    } finally {
      setBusyId(null);
      setRemoving(null);
    }
  };

  return (
    <>
      <PageHeader title="Admins" description="Who can use this portal, and with which role. Portal SSO signs in only to accounts linked to SSO: link an account with a password only when its SSO identity is the same person." />
      <div role="status" className="status-line">
        {rowMessage ?? ''}
      </div>
      {rowError ? <LockoutMessage error={rowError} /> : null}
      <PagedTable
        list={list}
        label="Admins"
        rowKey={(a) => a.id}
        empty={{ title: 'No admins', body: 'Add one below.' }}
        columns={[
          {
            header: 'Admin',
            cell: (a) => (
              <>
                {a.name ? <>{a.name} · </> : null}
                {a.email} {a.id === session?.user.id ? <Badge>you</Badge> : null}
              </>
            ),
          },
          {
            header: 'Sign-in',
            cell: (a) => (
              <>
                {a.hasPassword ? 'password' : 'SSO only'}
                {a.totpEnabled ? ' + TOTP' : ''}
              </>
            ),
          },
          {
            header: 'SSO',
            cell: (a) => (
              <>
                <input type="checkbox" id={`sso-${a.id}`} checked={a.ssoLinked === true} disabled={busyId === a.id} onChange={(e) => void changeLink(a, e.target.checked)} />{' '}
                <label htmlFor={`sso-${a.id}`}>
                  Linked<span className="sr-only"> to SSO: {a.email}</span>
                </label>
              </>
            ),
          },
          {
            header: 'Role',
            cell: (a) => (
              <>
                <label className="sr-only" htmlFor={`role-${a.id}`}>
                  Role of {a.email}
                </label>
                <select id={`role-${a.id}`} value={a.role} disabled={busyId === a.id} onChange={(e) => void changeRole(a, e.target.value)}>
                  {ROLES.map((r) => (
                    <option key={r.value} value={r.value}>
                      {r.value}
                    </option>
                  ))}
                </select>
              </>
            ),
          },
          {
            header: 'Actions',
            cell: (a) => (
              <button type="button" className="button button--small button--danger" onClick={() => setRemoving(a)} disabled={busyId === a.id} aria-label={`Remove ${a.email}`}>
                Remove
              </button>
            ),
          },
        ]}
      />

      <section aria-labelledby="add-admin">
        <h2 id="add-admin">Add an admin</h2>
        {added ? <Notice kind="success">{added} added.</Notice> : null}
        <Form state={state} onSubmit={submit} validate={validate} label="Add an admin">
          <div className="grid-2">
            <TextField name="email" label="Email" type="email" value={f.email} onValue={(v) => setF((s) => ({ ...s, email: v }))} required autoComplete="off" />
            <TextField name="name" label="Name" value={f.name} onValue={(v) => setF((s) => ({ ...s, name: v }))} autoComplete="off" />
            <SelectField name="role" label="Role" value={f.role} onValue={(v) => setF((s) => ({ ...s, role: v }))} options={ROLES} />
            <TextField
              name="password"
              label="Initial password"
              type="password"
              autoComplete="new-password"
              hint="Optional. Leave empty for an account that signs in only with SSO."
              value={f.password}
              onValue={(v) => setF((s) => ({ ...s, password: v }))}
            />
          </div>
          <div className="form-actions">
            <SubmitButton busy={state.busy}>Add admin</SubmitButton>
          </div>
        </Form>
      </section>
      <ConfirmDialog open={removing !== null} title={`Remove ${removing?.email}?`} confirmLabel="Remove admin" danger busy={busyId === removing?.id} onConfirm={() => void remove()} onCancel={() => setRemoving(null)}>
        <p>They are signed out and can no longer use the portal. Their API keys stop working.</p>
      </ConfirmDialog>
    </>
  );
}
