/**
 * The transport: one typed `call` per operation of the OpenAPI document. The path (as the document spells it, with
 * `{param}`), the method, the path parameters, the query and the JSON body are checked against the generated types,
 * and the answer is typed as the operation's 2xx body. Uses the global `fetch` (or one given) and nothing else.
 */
import { apiErrorOf, asProblem, GatehouseConnectionError } from './errors.ts';
import type { AnswerOf, ApiPath, BodyOf, MethodOf, PathParamsOf, QueryOf } from './types.ts';

export interface GatehouseOptions {
  /** Gatehouse's base URL (its `EXTERNAL_URL`), e.g. `https://sso.example.com`. */
  url: string;
  /** A management API key (`API_KEYS`, or one made in the Admin Portal / with `gatehouse api-key`). */
  apiKey: string;
  /** Abort a request that has not answered after this long (default 30 000 ms). */
  timeoutMs?: number;
  /** Another `fetch` (a proxy agent, instrumentation). Default: the global `fetch` of Node 20+. */
  fetch?: typeof fetch;
  /** Extra headers sent with every request (e.g. a `User-Agent` naming your app). */
  headers?: Record<string, string>;
}

/** What a call sends; each part is present only when the operation takes it. */
export type CallInput<P extends ApiPath, M extends MethodOf<P>> =
  & ([PathParamsOf<P, M>] extends [never] ? { path?: undefined } : { path: PathParamsOf<P, M> })
  & ([QueryOf<P, M>] extends [never] ? { query?: undefined } : { query?: QueryOf<P, M> })
  & ([BodyOf<P, M>] extends [never] ? { body?: undefined } : { body: BodyOf<P, M> });

export type Call = <P extends ApiPath, M extends MethodOf<P>>(method: M, path: P, input?: CallInput<P, M>) => Promise<AnswerOf<P, M>>;

/** `/api/v1/tenants/{tenant}` with `{tenant: 'acme.com'}` → `/api/v1/tenants/acme.com` (each value URL-encoded). */
export function fillPath(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null || v === '') throw new TypeError(`Missing path parameter "${name}" for ${template}`);
    return encodeURIComponent(String(v));
  });
}

/** Query values as text; `undefined` and `null` are left out, arrays joined with commas. */
export function queryString(query: Record<string, unknown> | undefined): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null) continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function readBody(res: Response): Promise<{ json: unknown; text: string }> {
  const text = await res.text();
  if (!text) return { json: undefined, text };
  const type = res.headers.get('content-type') ?? '';
  if (!/json/i.test(type)) return { json: undefined, text };
  try {
    return { json: JSON.parse(text) as unknown, text };
  } catch {
    return { json: undefined, text };
  }
}

/** The transport bound to one Gatehouse and one key. */
export function createCall(opts: GatehouseOptions): Call {
  if (!opts.url) throw new TypeError('Gatehouse: "url" is required (Gatehouse\'s EXTERNAL_URL).');
  if (!opts.apiKey) throw new TypeError('Gatehouse: "apiKey" is required (a management API key).');
  const base = opts.url.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;

  return async (method, path, input) => {
    const i = (input ?? {}) as { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
    const url = `${base}${fillPath(path, i.path)}${queryString(i.query)}`;
    const request = `${method.toUpperCase()} ${fillPath(path, i.path)}`;
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers, authorization: `Api-Key ${opts.apiKey}` };
    if (i.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(url, {
        method: method.toUpperCase(), headers, redirect: 'error',
        ...(i.body !== undefined ? { body: JSON.stringify(i.body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const timedOut = (err as Error)?.name === 'TimeoutError';
      throw new GatehouseConnectionError(`${request}: ${timedOut ? `no answer within ${timeoutMs} ms` : `request failed (${(err as Error)?.message ?? String(err)})`}`, { cause: err });
    }
    const { json, text } = await readBody(res);
    if (!res.ok) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw apiErrorOf({ status: res.status, request, problem: asProblem(json), text, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) });
    }
    return json as never;
  };
}
