/**
 * Settings → Portal SSO (owners): which tenant+product, which of its connections an owner chose to sign
 * admins in to this portal (Gatehouse dogfooding itself; only chosen ones are trusted, and only owners can
 * change them), the IdP group → role mapping, and "require SSO" behind the lockout guard.
 */
import { useState } from 'react';
import { Checkbox, Form, SubmitButton, TextField, useSubmit } from '../../shared/forms.tsx';
import { useAsync } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { CopyField, ErrorBox, Loading, Notice, PageHeader } from '../../shared/ui.tsx';
import { adminApi } from '../api.ts';
import type { PortalSso, Role } from '../../shared/api-types.ts';
import { useIsOwner } from '../session.tsx';
import { LockoutMessage } from './admins.tsx';

export function PortalSsoPage() {
  const isOwner = useIsOwner();
  const res = useAsync((signal) => (isOwner ? adminApi.portalSso(signal) : Promise.resolve(null)), [isOwner]);
  if (!isOwner) return <><PageHeader title="Portal SSO" /><Notice>Only owners change how admins sign in.</Notice></>;
  if (res.loading && !res.data) return <Loading label="Loading portal SSO settings…" />;
  if (res.error || !res.data) return <ErrorBox error={res.error} onRetry={res.reload} />;
  return <PortalSsoForm initial={res.data} onSaved={res.reload} />;
}

interface Row {
  key: number;
  group: string;
  role: Role;
}

function PortalSsoForm({ initial, onSaved }: { initial: PortalSso; onSaved: () => void }) {
  const [tenant, setTenant] = useState(initial.tenant ?? '');
  const [product, setProduct] = useState(initial.product ?? '');
  const [required, setRequired] = useState(initial.required);
  const [chosen, setChosen] = useState<string[]>(initial.connectionIds ?? []);
  const candidates = initial.candidates ?? [];
  const samePair = tenant.trim() === (initial.tenant ?? '') && product.trim() === (initial.product ?? '');
  const chosenActive = candidates.filter((c) => c.active && chosen.includes(c.clientID)).length;
  const [rows, setRows] = useState<Row[]>(Object.entries(initial.groupRoles ?? {}).map(([group, role], i) => ({ key: i, group, role })));
  const [nextKey, setNextKey] = useState(rows.length);
  const [saved, setSaved] = useState(false);
  const state = useSubmit();

  const validate = () => {
    const e: Record<string, string> = {};
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      const g = r.group.trim();
      if (!g) e[`group-${i}`] = 'Enter the group name exactly as the IdP sends it, or remove the row.';
      else if (seen.has(g)) e[`group-${i}`] = `“${g}” is mapped twice.`;
      seen.add(g);
    });
    if (required && chosenActive === 0) e.required = 'Choose at least one active connection for the portal (and try it) before requiring SSO.';
    return e;
  };
  const submit = () =>
    state.run(async () => {
      setSaved(false);
      await adminApi.savePortalSso({
        tenant: tenant.trim() || undefined, product: product.trim() || undefined, required, groupRoles: Object.fromEntries(rows.map((r) => [r.group.trim(), r.role])),
        // Candidates belong to the saved pair: a new tenant or product starts with no chosen connection.
        ...(samePair ? { connectionIds: chosen } : {}),
      });
      setSaved(true);
      onSaved();
    });

  return (
    <>
      <PageHeader title="Portal SSO" description="Let admins sign in to this portal with your own identity provider, through Gatehouse itself." />
      {saved ? <Notice kind="success">Portal SSO settings saved.</Notice> : null}
      {state.error ? <LockoutMessage error={state.error} /> : null}
      <Form state={{ ...state, error: null }} onSubmit={submit} validate={validate} label="Portal SSO">
        <fieldset className="fieldset">
          <legend>Connections used for the portal</legend>
          <p className="hint">
            Admins sign in through the connections of this tenant and product that you choose below. {initial.connectionCount === 1 ? '1 chosen connection is active' : `${initial.connectionCount} chosen connections are active`} for the saved pair
            {initial.tenant && initial.product ? (
              <>
                {' '}
                (<Link to={`/admin/sso/connections?tenant=${encodeURIComponent(initial.tenant)}&product=${encodeURIComponent(initial.product)}`}>see them</Link>)
              </>
            ) : null}
            .
          </p>
          <div className="grid-2">
            <TextField name="tenant" label="Tenant" value={tenant} onValue={setTenant} hint="Default _gatehouse." />
            <TextField name="product" label="Product" value={product} onValue={setProduct} hint="Default admin-portal." />
          </div>
          {candidates.length ? (
            <fieldset className="fieldset">
              <legend>Connections that sign admins in</legend>
              <p className="hint">
                Only the connections you tick are trusted. From then on only an owner can change, deactivate or delete them — not admins, not API keys, not setup links. Tick a connection only when you trust its identity provider with every admin account, owners included.
              </p>
              {candidates.map((c) => (
                <Checkbox
                  key={c.clientID}
                  name={`connection-${c.clientID}`}
                  label={`${c.name || c.idpEntityId} (${c.kind.toUpperCase()}${c.active ? '' : ', inactive'})`}
                  hint={c.idpEntityId}
                  checked={chosen.includes(c.clientID)}
                  disabled={!samePair}
                  onChecked={(on) => setChosen((ids) => (on ? [...ids, c.clientID] : ids.filter((x) => x !== c.clientID)))}
                />
              ))}
            </fieldset>
          ) : (
            <p className="muted">No connection exists for this tenant and product yet.</p>
          )}
          {initial.callbackUrl ? <CopyField label="Redirect URL the portal's connections must allow" value={initial.callbackUrl} /> : null}
          {initial.tenant && initial.product && initial.callbackUrl ? (
            <p>
              <Link
                className="button"
                to={`/admin/sso/connections/new?${new URLSearchParams({ tenant: initial.tenant, product: initial.product, defaultRedirectUrl: initial.callbackUrl, name: 'Portal sign-in' })}`}
              >
                Create a connection for the portal
              </Link>
            </p>
          ) : null}
        </fieldset>

        <fieldset className="fieldset">
          <legend>IdP group → role</legend>
          <p className="hint">People who sign in with SSO get the highest role among their groups. Someone in none of these groups and without an admin account is refused.</p>
          {rows.length === 0 ? <p className="muted">No mapping yet: only people added under Admins can sign in with SSO.</p> : null}
          <ul className="mapping">
            {rows.map((r, i) => (
              <li key={r.key} className="mapping__row">
                <TextField name={`group-${i}`} label={`Group ${i + 1}`} value={r.group} onValue={(v) => setRows((rs) => rs.map((x) => (x.key === r.key ? { ...x, group: v } : x)))} />
                <div className="field">
                  <label htmlFor={`map-role-${r.key}`}>Role for group {i + 1}</label>
                  <select id={`map-role-${r.key}`} value={r.role} onChange={(e) => setRows((rs) => rs.map((x) => (x.key === r.key ? { ...x, role: e.target.value as Role } : x)))}>
                    <option value="owner">owner</option>
                    <option value="admin">admin</option>
                    <option value="viewer">viewer</option>
                  </select>
                </div>
                <button type="button" className="button button--small" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))} aria-label={`Remove group ${i + 1}${r.group ? ` (${r.group})` : ''}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="button" onClick={() => (setRows((rs) => [...rs, { key: nextKey, group: '', role: 'viewer' }]), setNextKey((k) => k + 1))}>
            Add a group
          </button>
        </fieldset>

        <fieldset className="fieldset">
          <legend>Require SSO</legend>
          <Checkbox
            name="required"
            label="Require SSO for every admin"
            checked={required}
            onChecked={setRequired}
            hint="Admins must then sign in with SSO. The lockout guard refuses this until at least one owner has a password (a break-glass account), and that owner can always sign in with it — so a broken IdP can never lock everyone out."
          />
        </fieldset>
        <div className="form-actions">
          <SubmitButton busy={state.busy}>Save</SubmitButton>
        </div>
      </Form>
    </>
  );
}
