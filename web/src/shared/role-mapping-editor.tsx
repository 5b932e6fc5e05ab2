/**
 * Group-to-role mapping editor (issue 16 §4), for the portal and the setup-link page: the product's roles, the
 * tenant's known groups (from sign-ins and the directory), mapping rows, a dry run that shows who would get which
 * role, and Save, offered only once the current rows have been previewed.
 */
import { useEffect, useId, useState } from 'react';
import type { RoleMapping, RoleMappingView, RolePreview } from './api-types.ts';
import { Badge, DateTime, EmptyState, ErrorBox, Loading, Notice } from './ui.tsx';

export interface RoleMappingApi {
  load: (signal: AbortSignal) => Promise<RoleMappingView>;
  preview: (mappings: RoleMapping[]) => Promise<RolePreview>;
  save: (mappings: RoleMapping[]) => Promise<RoleMappingView>;
}

const same = (a: RoleMapping[], b: RoleMapping[]) => JSON.stringify(a) === JSON.stringify(b);

function PreviewTable({ preview, roleName }: { preview: RolePreview; roleName: (k: string) => string }) {
  if (preview.users.length === 0) return <EmptyState title="Nobody to show yet">No directory users and no sign-ins in the last 30 days for this tenant.</EmptyState>;
  const roles = (keys: string[]) => (keys.length ? keys.map(roleName).join(', ') : <span className="muted">none</span>);
  return (
    <>
      <p>
        {preview.changed} of {preview.total} people would change roles.{' '}
        {Object.entries(preview.counts).map(([k, n]) => `${roleName(k)}: ${n}`).join(' · ')}
      </p>
      <div className="table-wrap">
        <table className="table" aria-label="Dry run: roles each person would get">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Seen in</th>
              <th scope="col">Groups</th>
              <th scope="col">Roles today</th>
              <th scope="col">Roles after saving</th>
            </tr>
          </thead>
          <tbody>
            {preview.users.map((u, i) => (
              <tr key={`${u.source}-${u.user}-${i}`}>
                <td>
                  {u.user}
                  {u.email && u.email !== u.user.toLowerCase() ? <div className="muted">{u.email}</div> : null}
                </td>
                <td>{u.source === 'directory' ? (u.active === false ? 'Directory (deactivated)' : 'Directory') : <>Sign-in, <DateTime value={u.lastSignInAt} /></>}</td>
                <td>{u.groups.length ? u.groups.join(', ') : <span className="muted">none</span>}</td>
                <td>{roles(u.currentRoles)}</td>
                <td>
                  {roles(u.roles)} {u.roles.join() !== u.currentRoles.join() ? <Badge kind="warn">changes</Badge> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.truncated ? <p className="muted">Only the first {preview.users.length} people are shown.</p> : null}
    </>
  );
}

export function RoleMappingEditor({ api, who }: { api: RoleMappingApi; who: 'vendor' | 'customer' }) {
  const [view, setView] = useState<RoleMappingView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [rows, setRows] = useState<RoleMapping[]>([]);
  const [preview, setPreview] = useState<{ for: RoleMapping[]; result: RolePreview } | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [reload, setReload] = useState(0);
  const listId = `groups-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;

  useEffect(() => {
    const ac = new AbortController();
    setView(null);
    api.load(ac.signal).then(
      (v) => (setView(v), setRows(v.mappings), setError(null)),
      (e) => !ac.signal.aborted && setError(e),
    );
    return () => ac.abort();
  }, [api, reload]);

  if (error && !view) return <ErrorBox error={error} onRetry={() => setReload((n) => n + 1)} />;
  if (!view) return <Loading label="Loading roles…" />;
  if (view.roles.length === 0) {
    return (
      <Notice kind="info">
        {who === 'vendor' ? <>Product <strong>{view.product}</strong> declares no roles yet. Add them to the product (<code>roles</code> on <code>PATCH /api/v1/products/{view.product}</code>) to map groups to them.</> : <>This app has not declared any roles yet, so there is nothing to map. Ask the app's vendor.</>}
      </Notice>
    );
  }
  const clean = rows.map((r) => ({ group: r.group.trim(), role: r.role })).filter((r) => r.group);
  const previewed = preview !== null && same(preview.for, clean);
  const roleName = (k: string) => view.roles.find((r) => r.key === k)?.name ?? k;
  const edit = (i: number, patch: Partial<RoleMapping>) => (setSaved(false), setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r))));
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const doPreview = () => run(async () => setPreview({ for: clean, result: await api.preview(clean) }));
  const doSave = () =>
    run(async () => {
      const v = await api.save(clean);
      setView(v);
      setRows(v.mappings);
      setPreview(null);
      setSaved(true);
    });

  return (
    <section aria-labelledby="role-mapping-title">
      <h2 id="role-mapping-title">Group-to-role mapping</h2>
      <p>
        Members of a group get the role it maps to. Your app receives roles in the sign-in's <code>roles</code> claim and in directory events. Roles the identity provider sends itself are kept.
      </p>
      <p>
        Roles of <strong>{view.product}</strong>: {view.roles.map((r) => (r.name === r.key ? r.key : `${r.name} (${r.key})`)).join(', ')}.
      </p>
      <datalist id={listId}>
        {view.groups.map((g) => (
          <option key={g.name} value={g.name}>
            {g.sources.includes('directory') && g.sources.includes('sso') ? 'sign-ins and directory' : g.sources.includes('sso') ? 'sign-ins' : 'directory'}
          </option>
        ))}
      </datalist>
      <p className="muted">
        {view.groups.length ? <>Groups seen for {view.tenant}: {view.groups.map((g) => g.name).join(', ')}.</> : <>No groups seen yet: sign in once through SSO, or push groups from the directory.</>}
      </p>
      <div className="table-wrap">
        <table className="table" aria-label="Mappings">
          <thead>
            <tr>
              <th scope="col">Group (name or id)</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>
                  <input aria-label={`Group of mapping ${i + 1}`} list={listId} value={r.group} onChange={(e) => edit(i, { group: e.target.value })} />
                </td>
                <td>
                  <select aria-label={`Role of mapping ${i + 1}`} value={r.role} onChange={(e) => edit(i, { role: e.target.value })}>
                    {view.roles.map((role) => (
                      <option key={role.key} value={role.key}>
                        {role.name}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" className="button button--small" onClick={() => (setSaved(false), setRows(rows.filter((_, j) => j !== i)))}>
                    Remove<span className="sr-only"> mapping {i + 1}</span>
                  </button>
                </td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={3} className="muted">
                  No mappings: nobody gets a role from a group.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => (setSaved(false), setRows([...rows, { group: view.groups[0]?.name ?? '', role: view.roles[0]!.key }]))}>
          Add mapping
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void doPreview()}>
          Preview (dry run)
        </button>
        <button type="button" className="button button--primary" disabled={busy || !previewed} onClick={() => void doSave()}>
          Save mapping
        </button>
        {!previewed ? <span className="muted">Preview the current rows before saving.</span> : null}
      </div>
      <ErrorBox error={error} />
      {saved ? <Notice kind="success">Mapping saved. The next sign-ins and directory events carry the new roles.</Notice> : null}
      {previewed && preview ? (
        <section aria-labelledby="role-preview-title">
          <h3 id="role-preview-title">Dry run</h3>
          <PreviewTable preview={preview.result} roleName={roleName} />
        </section>
      ) : null}
    </section>
  );
}
