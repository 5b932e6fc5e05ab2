/**
 * Test connection: starts a real SP-initiated sign-in in a new tab and polls the test until the IdP answered,
 * then shows the profile and attributes received, or which check failed and how to fix it. A test never issues
 * a code to the app. Used on the setup-link page (the IT admin) and the portal's connection page (the vendor).
 */
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { Details, ErrorBox } from './ui.tsx';
import type { Connection, TestResult } from './api-types.ts';

const POLL_MS = 1500;
const GIVE_UP_MS = 15 * 60_000;

/** What a test needs: the setup link's API and the portal's admin API both have it. */
export interface TestApi {
  startTest(clientID: string): Promise<{ testId: string; url: string }>;
  test(testId: string, signal?: AbortSignal): Promise<TestResult>;
}

/**
 * Polls a started test until the IdP answered: every POLL_MS, at once when the page gets the focus back (the
 * tester returns from the sign-in tab), giving up after GIVE_UP_MS. The callbacks may change between renders.
 */
export function usePolledTest(testId: string | null, read: (testId: string) => Promise<TestResult>, onDone: (r: TestResult) => void, onError: (err: unknown) => void) {
  const latest = useRef({ read, onDone, onError });
  useLayoutEffect(() => {
    latest.current = { read, onDone, onError };
  });
  useEffect(() => {
    if (!testId) return;
    const since = Date.now();
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const r = await latest.current.read(testId);
        if (stop) return;
        if (r.status !== 'pending') return void latest.current.onDone(r);
      } catch (err) {
        if (stop) return;
        latest.current.onError(err);
      }
      if (!stop && Date.now() - since < GIVE_UP_MS) timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    const onFocus = () => (clearTimeout(timer), void poll());
    window.addEventListener('focus', onFocus);
    return () => {
      stop = true;
      clearTimeout(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [testId]);
}

/** `onResult` hears each finished test (true: the sign-in worked): the setup page's status follows the latest one. */
export function TestPanel({ api, connection, onResult }: { api: TestApi; connection: Connection; onResult?: (ok: boolean) => void }) {
  const [started, setStarted] = useState<{ testId: string; url: string } | null>(null);
  const [result, setResult] = useState<TestResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const label = connection.name || connection.idpMetadata?.entityID || 'connection';
  // The accessible name starts with the visible text (WCAG 2.5.3) and says which connection.
  const text = started ? 'Waiting for the test sign-in…' : result ? 'Test again' : 'Test connection';

  const start = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const t = await api.startTest(connection.clientID);
      setStarted(t);
      // noopener: the IdP's pages in that tab get no handle on this page.
      window.open(t.url, '_blank', 'noopener');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  usePolledTest(started?.testId ?? null, api.test, (r) => {
    setResult(r);
    setStarted(null);
    onResult?.(r.status === 'succeeded');
  }, setError);

  useEffect(() => {
    if (result) heading.current?.focus();
  }, [result]);

  return (
    <div className="test">
      <button type="button" className="button button--primary" onClick={() => void start()} disabled={busy || Boolean(started)} aria-label={`${text} ${label}`}>
        {text}
      </button>
      <div aria-live="polite">
        {started ? (
          <p className="loading">
            <span className="spinner" aria-hidden="true" /> A new tab opened your identity provider&rsquo;s sign-in. Sign in there as a user assigned to the app; the result appears here.{' '}
            <a href={started.url} target="_blank" rel="noopener noreferrer">
              Open the test sign-in again
            </a>
          </p>
        ) : null}
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {result ? <TestOutcome result={result} heading={heading} /> : null}
    </div>
  );
}

function TestOutcome({ result, heading }: { result: TestResult; heading: RefObject<HTMLHeadingElement | null> }) {
  if (result.status === 'succeeded') {
    const p: Partial<NonNullable<TestResult['profile']>> = result.profile ?? {};
    const attrs = Object.entries(result.attributes ?? {});
    return (
      <div className="result result--good">
        <h3 tabIndex={-1} ref={heading}>
          The test sign-in worked
        </h3>
        <p>Your identity provider signed in this user and sent:</p>
        <Details
          rows={[
            ['Email', p.email ?? '—'],
            ['First name', p.firstName ?? '—'],
            ['Last name', p.lastName ?? '—'],
            ['Groups', p.groups?.length ? p.groups.join(', ') : '—'],
            ['User ID', p.id ?? '—'],
          ]}
        />
        {attrs.length ? (
          <details>
            <summary>All attributes received ({attrs.length})</summary>
            <table className="table">
              <caption className="sr-only">Attributes received</caption>
              <thead>
                <tr>
                  <th scope="col">Attribute</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {attrs.map(([k, v]) => (
                  <tr key={k}>
                    <td className="break">{k}</td>
                    <td className="break">{Array.isArray(v) ? v.join(', ') : String(v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ) : null}
      </div>
    );
  }
  const d = result.diagnosis;
  return (
    <div className="result result--bad" role="alert">
      <h3 tabIndex={-1} ref={heading}>
        The test sign-in did not work
      </h3>
      <p>
        <strong>{d?.message ?? 'The sign-in failed.'}</strong>
      </p>
      {d?.detail ? <p>{d.detail}</p> : null}
      <h4>How to fix it</h4>
      <p>{d?.fix ?? 'Check the values on this page against your identity provider, then test again.'}</p>
      {d?.code ? (
        <p className="muted">
          Error code: <code>{d.code}</code>
        </p>
      ) : null}
    </div>
  );
}

