/** Small presentational components shared by the portal's screens (and, later, the setup-link pages). */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ApiError, errorMessage } from './api.ts';
import { takeFocusRequest } from './router.tsx';

/** The page's <h1>; it takes focus after a client-side navigation so assistive tech announces the new page. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Gatehouse Admin`;
    if (takeFocusRequest()) h1.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <header className="page-header">
      <div>
        <h1 tabIndex={-1} ref={h1}>
          {title}
        </h1>
        {description ? <p className="lead">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  const notImplemented = error instanceof ApiError && (error.code === 'API_NOT_FOUND' || error.status === 404) && /No route/.test(error.message);
  return (
    <div className="alert alert--error" role="alert">
      <p>
        <strong>{notImplemented ? 'Not available yet: ' : 'Something went wrong: '}</strong>
        {errorMessage(error)}
      </p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning'; children: ReactNode }) {
  return (
    <div className={`alert alert--${kind}`} role={kind === 'success' ? 'status' : undefined}>
      {children}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <h2>{title}</h2>
      {children ? <p>{children}</p> : null}
      {action}
    </div>
  );
}

export function Pager({ page, hasPrev, hasNext, onPrev, onNext, total, label }: { page: number; hasPrev: boolean; hasNext: boolean; onPrev: () => void; onNext: () => void; total?: number; label: string }) {
  if (!hasPrev && !hasNext) return total !== undefined ? <p className="muted">{total} in total</p> : null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="button" onClick={onPrev} disabled={!hasPrev}>
        Previous page
      </button>
      <span aria-live="polite">
        Page {page}
        {total !== undefined ? ` · ${total} in total` : ''}
      </span>
      <button type="button" className="button" onClick={onNext} disabled={!hasNext}>
        Next page
      </button>
    </nav>
  );
}

/** A Copy button that announces the result; falls back to selecting the text when the clipboard is refused. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(t);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="copy">
      <button type="button" className="button button--small" onClick={copy} aria-label={`Copy ${label}`}>
        Copy
      </button>
      <span className="copy__status" role="status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text and press Ctrl+C' : ''}
      </span>
    </span>
  );
}

/**
 * A labelled read-only value with a Copy button (SP details, links, secrets shown once). `concealed` keeps a
 * long-lived secret masked until the admin presses Show.
 */
export function CopyField({ label, value, multiline, secret, concealed }: { label: string; value: string; multiline?: boolean; secret?: boolean; concealed?: boolean }) {
  const id = `c-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const [shown, setShown] = useState(!concealed);
  return (
    <div className={`copy-field${secret ? ' copy-field--secret' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="copy-field__row">
        {multiline ? (
          <textarea id={id} readOnly value={value} rows={Math.min(12, value.split('\n').length + 1)} spellCheck={false} />
        ) : (
          <input id={id} readOnly type={shown ? 'text' : 'password'} value={value} spellCheck={false} onFocus={(e) => e.target.select()} />
        )}
        {concealed ? (
          <button type="button" className="button button--small" onClick={() => setShown((v) => !v)} aria-pressed={shown} aria-label={`Show ${label}`}>
            {shown ? 'Hide' : 'Show'}
          </button>
        ) : null}
        <CopyButton value={value} label={label} />
      </div>
    </div>
  );
}

/**
 * A modal confirmation built on <dialog>: the browser traps focus and closes it on Escape; focus returns to
 * the button that opened it.
 */
export function ConfirmDialog({ open, title, children, confirmLabel, danger, busy, onConfirm, onCancel }: { open: boolean; title: string; children: ReactNode; confirmLabel: string; danger?: boolean; busy?: boolean; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = `d-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const opener = document.activeElement as HTMLElement | null;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
    return () => {
      if (open) opener?.focus?.();
    };
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onCancel={(e) => (e.preventDefault(), onCancel())}>
      <h2 id={titleId}>{title}</h2>
      <div className="dialog__body">{children}</div>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className={`button ${danger ? 'button--danger' : 'button--primary'}`} onClick={onConfirm} disabled={busy} aria-busy={busy || undefined}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** WAI-ARIA tabs: arrow keys move between tabs, Tab moves into the panel. */
export function Tabs({ tabs, active, onSelect, label }: { tabs: { id: string; label: string }[]; active: string; onSelect: (id: string) => void; label: string }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === active);
    let j = i;
    if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = tabs.length - 1;
    else return;
    e.preventDefault();
    onSelect(tabs[j].id);
    refs.current[tabs[j].id]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKey}>
      {tabs.map((t) => (
        <button key={t.id} ref={(el) => void (refs.current[t.id] = el)} type="button" role="tab" id={`tab-${t.id}`} aria-controls={`panel-${t.id}`} aria-selected={t.id === active} tabIndex={t.id === active ? 0 : -1} onClick={() => onSelect(t.id)}>
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function TabPanel({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} tabIndex={0} className="tab-panel">
      {children}
    </div>
  );
}

export function Badge({ kind = 'neutral', children }: { kind?: 'neutral' | 'good' | 'bad' | 'warn'; children: ReactNode }) {
  return <span className={`badge badge--${kind}`}>{children}</span>;
}

export function DateTime({ value }: { value: string | number | null | undefined }) {
  if (value === null || value === undefined || value === '') return <span className="muted">never</span>;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return <>{String(value)}</>;
  return <time dateTime={d.toISOString()}>{d.toLocaleString()}</time>;
}

/** Definition list of label → value rows. */
export function Details({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="details">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The outcome of an action on the page: a success said politely (role=status), an error said at once (role=alert). */
export function ActionMessage({ message }: { message: { kind: 'success' | 'error'; text: string } | null }) {
  return (
    <>
      <div role="status" className="status-line">
        {message?.kind === 'success' ? message.text : ''}
      </div>
      {message?.kind === 'error' ? (
        <div className="alert alert--error" role="alert">
          {message.text}
        </div>
      ) : null}
    </>
  );
}
