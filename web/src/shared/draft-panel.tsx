/**
 * Change without an outage (decision 0020), on the portal's connection page and the setup link page: make a
 * draft of the IdP side (new metadata, another IdP), test it with a real sign-in that issues no code, promote it,
 * or discard it; roll back to the version before. The live version keeps serving sign-ins meanwhile.
 */
import { useId, useState } from 'react';
import { useAsync } from './hooks.ts';
import { Badge, ConfirmDialog, DateTime, Details, ErrorBox, Loading } from './ui.tsx';
import type { ConnectionVersion, TestResult } from './api-types.ts';
import { usePolledTest } from './test-panel.tsx';

export interface DraftApi {
  versions(clientID: string, signal?: AbortSignal): Promise<ConnectionVersion[]>;
  saveDraft(clientID: string, body: Record<string, unknown>): Promise<ConnectionVersion>;
  discardDraft(clientID: string): Promise<void>;
  testDraft(clientID: string): Promise<{ testId: string; url: string }>;
  testResult(testId: string, signal?: AbortSignal): Promise<TestResult>;
  promote(clientID: string, version: number): Promise<unknown>;
  rollback(clientID: string): Promise<unknown>;
}

const idpOf = (v: ConnectionVersion) => v.connection.idpMetadata?.entityID ?? v.connection.oidcProvider?.provider ?? '—';

export function DraftPanel({ api, clientID, canEdit, onChanged }: { api: DraftApi; clientID: string; canEdit: boolean; onChanged: () => void }) {
  const res = useAsync((signal) => api.versions(clientID, signal), [clientID]);
  const id = useId();
  const [metadataUrl, setMetadataUrl] = useState('');
  const [rawMetadata, setRawMetadata] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirm, setConfirm] = useState<'promote' | 'rollback' | null>(null);
  const [test, setTest] = useState<{ testId: string; url: string } | null>(null);
  const [result, setResult] = useState<TestResult | null>(null);

  usePolledTest(test?.testId ?? null, api.testResult, (r) => (setResult(r), setTest(null)), setError);

  if (res.loading && !res.data) return <Loading label="Loading the versions…" />;
  if (res.error || !res.data) return <ErrorBox error={res.error} onRetry={res.reload} />;
  const versions = res.data;
  const draft = versions.find((v) => v.status === 'draft');
  const live = versions.find((v) => v.status === 'live');

  const act = async (fn: () => Promise<unknown>, changed = false) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      res.reload();
      if (changed) onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setConfirm(null);
    }
  };
  const create = () => act(() => api.saveDraft(clientID, metadataUrl ? { metadataUrl } : { rawMetadata }).then(() => (setMetadataUrl(''), setRawMetadata(''), setResult(null))));
  const startTest = () => act(async () => {
    setResult(null);
    const t = await api.testDraft(clientID);
    setTest(t);
    // noopener: the IdP's pages in that tab get no handle on this page.
    window.open(t.url, '_blank', 'noopener');
  });

  return (
    <div>
      <p className="hint">Try a new identity provider or new metadata before it goes live: the live version keeps serving sign-ins until you promote the draft, and you can roll back in one step.</p>
      <ErrorBox error={error} />
      {draft ? (
        <>
          <h3>
            Draft (version {draft.version}) <Badge kind="warn">Not live</Badge>
          </h3>
          <Details rows={[['Identity provider', idpOf(draft)], ['Made by', draft.createdBy ?? '—'], ['Made', <DateTime key="m" value={draft.createdAt} />]]} />
          {canEdit ? (
            <div className="toolbar">
              <button type="button" className="button" onClick={() => void startTest()} disabled={busy || Boolean(test)}>
                {test ? 'Waiting for the test sign-in…' : 'Test draft'}
              </button>
              <button type="button" className="button button--primary" onClick={() => setConfirm('promote')} disabled={busy}>
                Promote
              </button>
              <button type="button" className="button button--danger" onClick={() => void act(() => api.discardDraft(clientID).then(() => setResult(null)))} disabled={busy}>
                Discard
              </button>
            </div>
          ) : null}
          <div aria-live="polite">
            {test ? (
              <p className="loading">
                <span className="spinner" aria-hidden="true" /> Sign in at the identity provider in the new tab; no code is issued to the app.{' '}
                <a href={test.url} target="_blank" rel="noopener noreferrer">Open the test sign-in again</a>
              </p>
            ) : null}
            {result?.status === 'succeeded' ? (
              <div className="result result--good">
                <p><strong>The draft's test sign-in worked</strong> for {result.profile?.email ?? 'the user'} ({Object.keys(result.attributes ?? {}).length} attributes received).</p>
              </div>
            ) : result?.status === 'failed' ? (
              <div className="result result--bad" role="alert">
                <p><strong>{result.diagnosis?.message ?? 'The test sign-in failed.'}</strong> {result.diagnosis?.detail ?? ''}</p>
                <p>{result.diagnosis?.fix}</p>
              </div>
            ) : null}
          </div>
        </>
      ) : canEdit ? (
        <form onSubmit={(e) => (e.preventDefault(), void create())}>
          <h3>New draft</h3>
          <div className="field">
            <label htmlFor={`${id}-url`}>Metadata URL of the new identity provider</label>
            <input id={`${id}-url`} type="url" value={metadataUrl} onChange={(e) => setMetadataUrl(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-xml`}>Or its metadata XML</label>
            <textarea id={`${id}-xml`} rows={4} value={rawMetadata} onChange={(e) => setRawMetadata(e.target.value)} />
          </div>
          <button type="submit" className="button" disabled={busy || (!metadataUrl && !rawMetadata)}>
            Create draft
          </button>
        </form>
      ) : (
        <p className="muted">No draft.</p>
      )}
      {canEdit && live?.replacesVersion ? (
        <p>
          <button type="button" className="button" onClick={() => setConfirm('rollback')} disabled={busy}>
            Roll back to version {live.replacesVersion}
          </button>
        </p>
      ) : null}
      <details>
        <summary>Versions ({versions.length})</summary>
        <ul className="plain">
          {versions.map((v) => (
            <li key={v.version}>
              Version {v.version} · {v.status} · {idpOf(v)} {v.promotedAt ? <>· promoted <DateTime value={v.promotedAt} /></> : null}
            </li>
          ))}
        </ul>
      </details>
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === 'promote' ? 'Promote the draft?' : 'Roll back?'}
        confirmLabel={confirm === 'promote' ? 'Promote' : 'Roll back'}
        busy={busy}
        onConfirm={() => void (confirm === 'promote' ? act(() => api.promote(clientID, draft!.version), true) : act(() => api.rollback(clientID), true))}
        onCancel={() => setConfirm(null)}
      >
        <p>New sign-ins will use {confirm === 'promote' && draft ? idpOf(draft) : `version ${live?.replacesVersion ?? ''}`} at once, on every instance. Sign-ins already under way finish as they started.</p>
      </ConfirmDialog>
    </div>
  );
}
