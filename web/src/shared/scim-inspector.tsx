/**
 * The SCIM inspector panel (decision 0027), on the portal's directory page and the Directory Sync setup-link page:
 * the SCIM requests a directory received in the last 7 days, each with its verdict in plain words, refusals (4xx)
 * first, and the redacted request and response bodies on demand.
 */
import { useState } from 'react';
import type { components } from './api.gen.ts';
import { useAsync } from './hooks.ts';
import { Badge, DateTime, EmptyState, ErrorBox, Loading } from './ui.tsx';

/** One recorded request and a page of them, as the document describes them (decision 0041). */
export type ScimRequestEntry = components['schemas']['ScimRequest'];
export type ScimRequestPage = components['schemas']['ScimRequestPage'];

export type LoadScimRequests = (directoryId: string, q: { status?: string; method?: string; limit?: number; cursor?: string }, signal?: AbortSignal) => Promise<ScimRequestPage>;

const METHODS = ['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const statusKind = (e: ScimRequestEntry) => (e.outcome === 'accepted' ? 'good' : e.outcome === 'refused' ? 'bad' : 'warn');
const queryText = (q: Record<string, string>) => {
  const s = new URLSearchParams(q).toString();
  return s ? `?${decodeURIComponent(s.replace(/\+/g, ' '))}` : '';
};

/** The verdict with its `attribute` and `filter` spans as code. */
const words = (text: string) => text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part));

function Body({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined) return <p className="muted">{label}: none</p>;
  return (
    <>
      <p className="scim-log__label">{label}</p>
      <pre className="code-block" tabIndex={0} aria-label={label}>{JSON.stringify(value, null, 2)}</pre>
    </>
  );
}

function Entry({ e }: { e: ScimRequestEntry }) {
  return (
    <li className={`scim-log__entry scim-log__entry--${e.outcome}`} data-testid="scim-request">
      <p className="scim-log__line">
        <Badge kind={statusKind(e)}>{String(e.status)}</Badge> <code>{e.method} {e.path}{queryText(e.query)}</code>{' '}
        <span className="muted"><DateTime value={e.at} /></span>
      </p>
      <p className="scim-log__verdict">{words(e.verdict)}</p>
      <details>
        <summary>Request and response of {`${e.method} ${e.path}`}</summary>
        <Body label={`Request body of ${e.method} ${e.path} at ${e.at}`} value={e.request} />
        <Body label={`Response body of ${e.method} ${e.path} at ${e.at}`} value={e.response} />
      </details>
    </li>
  );
}

function EntryList({ entries, label }: { entries: ScimRequestEntry[]; label: string }) {
  return (
    <ul className="plain scim-log" aria-label={label}>
      {entries.map((e) => <Entry key={e.id} e={e} />)}
    </ul>
  );
}

/**
 * `headingLevel` fits the page the panel sits on (h2 under a page title, h3 inside a card). Refusals are loaded
 * apart (`status=4xx`) and shown first; the full log below pages with "Older requests".
 */
export function ScimInspector({ load, directoryId, name, headingLevel = 2 }: { load: LoadScimRequests; directoryId: string; name: string; headingLevel?: 2 | 3 | 4 }) {
  const [method, setMethod] = useState('');
  const [older, setOlder] = useState<ScimRequestEntry[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [more, setMore] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  const refused = useAsync((signal) => load(directoryId, { status: '4xx', method: method || undefined, limit: 20 }, signal), [directoryId, method]);
  const all = useAsync(async (signal) => {
    const page = await load(directoryId, { method: method || undefined, limit: 50 }, signal);
    setOlder([]);
    setCursor(page.nextCursor);
    return page;
  }, [directoryId, method]);
  const H = `h${headingLevel}` as 'h2';
  const Sub = `h${headingLevel + 1}` as 'h3';
  const reload = () => (refused.reload(), all.reload());
  const loadOlder = async () => {
    if (!cursor) return;
    setMore({ busy: true, error: null });
    try {
      const page = await load(directoryId, { method: method || undefined, limit: 50, cursor });
      setOlder((o) => [...o, ...page.data]);
      setCursor(page.nextCursor);
      setMore({ busy: false, error: null });
    } catch (error) {
      setMore({ busy: false, error });
    }
  };
  const id = `scim-log-${directoryId}`;

  return (
    <section className="scim-inspector" aria-labelledby={`${id}-title`}>
      <div className="section-header">
        <H id={`${id}-title`}>SCIM requests</H>
        <div className="scim-inspector__tools">
          <label htmlFor={`${id}-method`}>Method</label>{' '}
          <select id={`${id}-method`} value={method} onChange={(ev) => setMethod(ev.target.value)}>
            {METHODS.map((m) => <option key={m} value={m}>{m || 'All'}</option>)}
          </select>{' '}
          <button type="button" className="button button--small" onClick={reload} aria-label={`Refresh the SCIM requests of ${name}`}>Refresh</button>
        </div>
      </div>
      <p className="muted">What your identity provider sent to this directory in the last 7 days, and what Gatehouse made of it. Passwords and tokens are never kept.</p>

      <Sub id={`${id}-refused`}>Refused requests</Sub>
      {refused.loading && !refused.data ? <Loading label="Loading refused requests…" />
        : !refused.data ? <ErrorBox error={refused.error} onRetry={refused.reload} />
        : refused.data.data.length === 0 ? <p className="muted" data-testid="no-refusals">No request was refused.</p>
        : <EntryList entries={refused.data.data} label={`Refused SCIM requests of ${name}`} />}

      <Sub id={`${id}-all`}>All requests</Sub>
      {all.loading && !all.data ? <Loading label="Loading SCIM requests…" />
        : !all.data ? <ErrorBox error={all.error} onRetry={all.reload} />
        : all.data.data.length === 0 ? <EmptyState title="No SCIM request yet">Once your identity provider starts provisioning, each request it sends appears here with what happened to it.</EmptyState>
        : (
          <>
            <EntryList entries={[...all.data.data, ...older]} label={`SCIM requests of ${name}`} />
            <ErrorBox error={more.error} />
            {cursor ? <button type="button" className="button button--small" disabled={more.busy} onClick={() => void loadOlder()}>{more.busy ? 'Loading…' : 'Older requests'}</button> : null}
          </>
        )}
    </section>
  );
}
