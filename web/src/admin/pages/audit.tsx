/** Audit log: who changed what, searchable and paginated on the server, exportable as CSV or JSON. */
import { useState } from 'react';
import { download, errorMessage } from '../../shared/api.ts';
import { usePaged } from '../../shared/hooks.ts';
import { setSearch, useLocation } from '../../shared/router.tsx';
import { DateTime, PageHeader } from '../../shared/ui.tsx';
import { PagedTable } from '../../shared/paged-table.tsx';
import { adminApi } from '../api.ts';

const FILTERS = [
  { key: 'q', label: 'Search', hint: 'Any word: a target id, an email…', type: 'search' },
  { key: 'actor', label: 'Actor', hint: 'Email, key name or id', type: 'text' },
  { key: 'action', label: 'Action', hint: 'e.g. connection.created', type: 'text' },
  { key: 'tenant', label: 'Tenant', hint: '', type: 'text' },
  { key: 'from', label: 'From', hint: '', type: 'date' },
  { key: 'to', label: 'To', hint: '', type: 'date' },
] as const;
type Key = (typeof FILTERS)[number]['key'];
const ACTOR_KINDS: Record<string, string> = { admin: 'portal', api_key: 'API key', setup_link: 'setup link', system: 'system' };

/** Dates from the form are whole days in the admin's time zone; the API gets instants. */
function toApi(f: Record<Key, string>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { q: f.q || undefined, actor: f.actor || undefined, action: f.action || undefined, tenant: f.tenant || undefined };
  if (f.from) out.from = new Date(`${f.from}T00:00:00`).toISOString();
  if (f.to) out.to = new Date(`${f.to}T23:59:59.999`).toISOString();
  return out;
}

export function AuditPage() {
  const { search } = useLocation();
  const applied = Object.fromEntries(FILTERS.map((f) => [f.key, search.get(f.key) ?? ''])) as Record<Key, string>;
  const [draft, setDraft] = useState(applied);
  const [exporting, setExporting] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const list = usePaged((cursor, signal) => adminApi.audit({ ...toApi(applied), cursor }, signal), [JSON.stringify(applied)]);
  const filtered = Object.values(applied).some(Boolean);

  const exportAs = async (format: 'csv' | 'json') => {
    setExporting(format);
    setExportError(null);
    try {
      await download(adminApi.auditExportUrl(format, toApi(applied)), `gatehouse-audit.${format}`);
    } catch (err) {
      setExportError(errorMessage(err));
    } finally {
      setExporting(null);
    }
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made in the portal, through the management API or through setup links, with who made it and from where."
        actions={
          <>
            <button type="button" className="button" onClick={() => void exportAs('csv')} disabled={exporting !== null} aria-busy={exporting === 'csv' || undefined}>
              {exporting === 'csv' ? 'Exporting CSV…' : 'Export CSV'}
            </button>
            <button type="button" className="button" onClick={() => void exportAs('json')} disabled={exporting !== null} aria-busy={exporting === 'json' || undefined}>
              {exporting === 'json' ? 'Exporting JSON…' : 'Export JSON'}
            </button>
          </>
        }
      />
      {exportError ? (
        <div className="alert alert--error" role="alert">
          Export failed: {exportError}
        </div>
      ) : null}
      <form
        className="filters filters--wide"
        role="search"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(Object.fromEntries(FILTERS.map((f) => [f.key, draft[f.key].trim()])));
        }}
      >
        {FILTERS.map((f) => (
          <div className="field" key={f.key}>
            <label htmlFor={`audit-${f.key}`}>{f.label}</label>
            <input id={`audit-${f.key}`} type={f.type} value={draft[f.key]} placeholder={f.hint || undefined} onChange={(e) => setDraft((d) => ({ ...d, [f.key]: e.target.value }))} />
          </div>
        ))}
        <div className="filters__actions">
          <button type="submit" className="button button--primary">
            Search
          </button>
          {filtered ? (
            <button
              type="button"
              className="button button--ghost"
              onClick={() => {
                const empty = Object.fromEntries(FILTERS.map((f) => [f.key, ''])) as Record<Key, string>;
                setDraft(empty);
                setSearch(Object.fromEntries(FILTERS.map((f) => [f.key, null])));
              }}
            >
              Clear
            </button>
          ) : null}
        </div>
      </form>
      <PagedTable
        list={list}
        label="Audit log"
        caption="Audit log entries"
        loadingLabel="Loading the audit log…"
        rowKey={(e) => e.id}
        empty={{ title: filtered ? 'Nothing matches this search' : 'No entries yet', body: filtered ? 'Widen the dates or clear the filters.' : 'Changes to connections, directories, keys, admins and settings appear here as they happen.' }}
        columns={[
          { header: 'When', cell: (e) => <DateTime value={e.at} /> },
          {
            header: 'Actor',
            cell: (e) => (
              <>
                {e.actor.label} <span className="muted">({ACTOR_KINDS[e.actor.type] ?? e.actor.type})</span>
              </>
            ),
          },
          { header: 'Action', cell: (e) => <code>{e.action}</code> },
          {
            header: 'Target',
            className: 'break',
            cell: (e) => (
              <>
                {e.target.type} <code>{e.target.id}</code>
              </>
            ),
          },
          { header: 'Tenant · product', cell: (e) => [e.tenant, e.product].filter(Boolean).join(' · ') || '—' },
          { header: 'IP', cell: (e) => e.ip ?? '—' },
          {
            header: 'Change',
            cell: (e) =>
              e.summary && (e.summary.before !== undefined || e.summary.after !== undefined) ? (
                <details>
                  <summary>Before and after</summary>
                  <pre className="code-block" tabIndex={0} aria-label={`Change recorded for ${e.action}`}>
                    {JSON.stringify(e.summary, null, 2)}
                  </pre>
                </details>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </>
  );
}
