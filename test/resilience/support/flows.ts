/**
 * Browser, app, operator and IdP traffic over real HTTP to one instance of a cluster: management API
 * calls, the steps of an SP-initiated SAML login (PKCE + client secret), SCIM calls, and a webhook
 * receiver that acknowledges each event id and can be slow, refuse, or hang.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { parseRedirectBindingRequest } from '../../../src/sso/saml/authn-request.ts';
import { buildSamlResponseBase64, type TestIdp } from '../../support/saml-idp.ts';
import { CLUSTER_API_KEY, EXTERNAL_URL } from './cluster.ts';

export const IDP_SSO_URL = 'https://idp.example.test/sso';
export const APP_CALLBACK = 'https://app.example.test/callback';
export const ACS_URL = `${EXTERNAL_URL}/api/oauth/saml`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json<T = any>(): T;
}

export async function call(base: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: string | object } = {}): Promise<Reply> {
  const isJson = opts.body !== undefined && typeof opts.body !== 'string';
  const res = await fetch(`${base}${path}`, {
    method, redirect: 'manual',
    headers: { ...(isJson ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    body: opts.body === undefined ? undefined : isJson ? JSON.stringify(opts.body) : (opts.body as string),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

export const api = (base: string, method: string, path: string, body?: object) => call(base, method, path, { headers: { authorization: `Api-Key ${CLUSTER_API_KEY}` }, body });

export interface Client {
  clientID: string;
  clientSecret: string;
}

export async function createSamlConnection(base: string, idp: TestIdp, over: Record<string, unknown> = {}): Promise<Client> {
  const res = await api(base, 'POST', '/api/v1/sso', { tenant: 'acme.com', product: 'crm', name: 'Acme IdP', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }), ...over });
  if (res.status >= 300) throw new Error(`create connection: ${res.status} ${res.text}`);
  return res.json<Client>();
}

export interface Login {
  email: string;
  state: string;
  verifier: string;
  requestId: string;
  relayState: string | null;
}

/** GET /api/oauth/authorize on `base`; returns the AuthnRequest the IdP would receive. */
export async function startLogin(base: string, client: Client, email: string, headers: Record<string, string> = {}, scope = 'openid email'): Promise<Login> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(12).toString('base64url');
  const q = new URLSearchParams({ response_type: 'code', client_id: client.clientID, redirect_uri: APP_CALLBACK, state, scope, nonce: 'n-0', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' });
  const res = await call(base, 'GET', `/api/oauth/authorize?${q}`, { headers });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location?.startsWith(IDP_SSO_URL)) throw new Error(`authorize: ${res.status} ${location ?? res.text.slice(0, 300)}`);
  const req = parseRedirectBindingRequest(location);
  const requestId = /\bID="([^"]+)"/.exec(req.xml)?.[1];
  if (!requestId) throw new Error('no AuthnRequest ID');
  return { email, state, verifier, requestId, relayState: req.relayState };
}

/** The IdP's signed answer to a login's AuthnRequest (addressed to the shared EXTERNAL_URL). */
export const idpAnswer = (idp: TestIdp, login: Login) =>
  buildSamlResponseBase64({ idp, spEntityId: EXTERNAL_URL, acsUrl: ACS_URL, inResponseTo: login.requestId, nameId: login.email, attributes: { email: login.email, firstName: 'Res', lastName: 'Ilient' } });

export async function postAcs(base: string, samlResponse: string, relayState: string | null, headers: Record<string, string> = {}): Promise<Reply> {
  return call(base, 'POST', '/api/oauth/saml', { headers: { ...FORM, ...headers }, body: new URLSearchParams({ SAMLResponse: samlResponse, ...(relayState ? { RelayState: relayState } : {}) }).toString() });
}

export const codeOf = (acs: Reply): string | null => {
  const loc = acs.headers.get('location');
  return loc ? new URL(loc).searchParams.get('code') : null;
};

export async function redeem(base: string, client: Client, code: string, verifier: string): Promise<Reply> {
  return call(base, 'POST', '/api/oauth/token', { headers: FORM, body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: client.clientID, client_secret: client.clientSecret, redirect_uri: APP_CALLBACK }).toString() });
}

/** authorize on `a` → IdP → ACS on `b` → token on `c` → userinfo on `d`; returns every secret it saw. */
export async function fullLogin(idp: TestIdp, client: Client, email: string, a: string, b = a, c = b, d = c) {
  const login = await startLogin(a, client, email);
  const samlResponse = idpAnswer(idp, login);
  const acs = await postAcs(b, samlResponse, login.relayState);
  const code = codeOf(acs);
  if (acs.status !== 302 || !code) throw new Error(`ACS: ${acs.status} ${acs.headers.get('location') ?? acs.text.slice(0, 300)}`);
  const token = await redeem(c, client, code, login.verifier);
  if (token.status !== 200) throw new Error(`token: ${token.status} ${token.text}`);
  const { access_token: accessToken, id_token: idToken } = token.json<{ access_token: string; id_token: string }>();
  const info = await call(d, 'GET', '/api/oauth/userinfo', { headers: { authorization: `Bearer ${accessToken}` } });
  if (info.status !== 200 || info.json().email !== email) throw new Error(`userinfo: ${info.status} ${info.text}`);
  return { login, samlResponse, code, accessToken, idToken };
}

export interface Directory {
  id: string;
  secret: string;
  path: string;
}

export async function createDirectory(base: string, body: Record<string, unknown> = {}): Promise<Directory> {
  const res = await api(base, 'POST', '/api/v1/dsync', { tenant: 'acme.com', product: 'crm', name: 'Acme', type: 'generic-scim-v2', ...body });
  if (res.status !== 201) throw new Error(`directory: ${res.status} ${res.text}`);
  const d = res.json().data;
  return { id: d.id, secret: d.scim.secret, path: new URL(d.scim.endpoint).pathname };
}

export const scim = (base: string, dir: Directory, method: string, path: string, body?: object, headers: Record<string, string> = {}) =>
  call(base, method, `${dir.path}${path}`, { headers: { authorization: `Bearer ${dir.secret}`, ...(body ? { 'content-type': 'application/scim+json' } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined });

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** What the receiver does with one delivery: answer `status` after `delayMs` (and once `until` settles), or never answer. */
export type Behaviour = { status: number; delayMs?: number; until?: Promise<unknown> } | 'hang';

export interface Receiver {
  url: string;
  /** Event ids acknowledged with a 2xx, in arrival order (an id twice = a double send). */
  acked: string[];
  /** Every request that arrived, acknowledged or not. */
  arrivals: { id: string; at: number }[];
  /** The acknowledged events themselves (type and the resource's id), in arrival order. */
  events: { id: string; event: string; resourceId: string }[];
  ackedCount(id: string): number;
  /** Ends held ("hang") requests by destroying their sockets. */
  dropHeld(): void;
  close(): Promise<void>;
}

export async function startReceiver(behave: (eventId: string, n: number) => Behaviour = () => ({ status: 200 })): Promise<Receiver> {
  const acked: string[] = [];
  const arrivals: { id: string; at: number }[] = [];
  const events: { id: string; event: string; resourceId: string }[] = [];
  const held = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let n = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      type Event = { id: string; event: string; data?: { id?: string; group?: { id?: string } } };
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Event | Event[];
      const list = Array.isArray(body) ? body : [body];
      const ids = list.map((e) => e.id);
      for (const id of ids) arrivals.push({ id, at: Date.now() });
      const b = behave(ids[0]!, ++n);
      if (b === 'hang') {
        held.add(res);
        return;
      }
      const answer = () => {
        if (b.status >= 200 && b.status < 300) {
          acked.push(...ids);
          for (const e of list) events.push({ id: e.id, event: e.event, resourceId: String(e.data?.id ?? e.data?.group?.id ?? '') });
        }
        res.writeHead(b.status, { 'content-type': 'text/plain' }).end(b.status < 300 ? 'ok' : 'no');
      };
      void Promise.all([b.until, new Promise((r) => setTimeout(r, b.delayMs ?? 0))]).then(answer);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`,
    acked, arrivals, events,
    ackedCount: (id) => acked.filter((x) => x === id).length,
    dropHeld() {
      for (const res of held) res.socket?.destroy();
      held.clear();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, stepMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}
