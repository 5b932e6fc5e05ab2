/**
 * JSON client for Gatehouse's own endpoints: sends the CSRF header on every change, turns problem JSON
 * (`{title, status, detail, code, field?}`) into an ApiError whose `field` lets a form name the culprit, and
 * tells the app when the session is gone (401) so it can send the user to sign in again.
 */
import type { Problem } from './api-types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly title?: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

const UNAUTHORISED = 'gatehouse:unauthorised';
export const onUnauthorised = (fn: () => void) => {
  window.addEventListener(UNAUTHORISED, fn);
  return () => window.removeEventListener(UNAUTHORISED, fn);
};

export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function toError(res: Response): Promise<ApiError> {
  let body: Problem = {};
  try {
    body = await res.json();
  } catch {
    /* not JSON: a proxy error page or an empty body */
  }
  const message = body.detail ?? body.error?.message ?? body.title ?? (res.status === 429 ? 'Too many attempts. Wait a minute and try again.' : `The server answered ${res.status} ${res.statusText}.`);
  return new ApiError(res.status, body.code ?? `HTTP_${res.status}`, message, body.field, body.title);
}

export interface RequestOptions {
  /** When false, a 401 is an ordinary error (sign-in forms) instead of a signal that the session ended. */
  sessionRequired?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, url: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body), signal: opts.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'Gatehouse could not be reached. Check your connection and try again.');
  }
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && opts.sessionRequired !== false) window.dispatchEvent(new Event(UNAUTHORISED));
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? res.json() : res.text()) as Promise<T>;
}

/** Fetches a download (CSV/JSON export) and hands it to the browser as a file. */
export async function download(url: string, fallbackName: string): Promise<void> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw await toError(res);
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
