/**
 * A full login driven the way a browser and an app drive it — authorize → (IdP) → ACS → token →
 * userinfo — in three phases so that the IdP's work is kept out of every measurement:
 *
 *   A. authorize, for every login (measured): Gatehouse records the flow and redirects to the IdP;
 *   B. the test IdP reads each AuthnRequest and signs a Response carrying its InResponseTo
 *      (NOT measured: this is the IdP's CPU, not Gatehouse's);
 *   C. ACS → token → userinfo, for every login (measured).
 *
 * Logins per second = logins / (wall time of A + wall time of C). Each phase runs with the same
 * number of concurrent workers. Every login must end in a userinfo 200 carrying its own email.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';
import { buildSamlResponseBase64, type TestIdp } from '../../test/support/saml-idp.ts';
import { FORM, type Transport } from './transport.ts';
import { since } from './stats.ts';
import { addSpent, cpuBetween, cpuSnapshot, type CpuSpent, type ServerPids } from './cpu.ts';

export const IDP_SSO_URL = 'https://idp.example.test/sso';
export const APP_CALLBACK = 'https://app.example.test/callback';
export const BENCH_API_KEY = 'bench-api-key-0123456789abcdef';

export interface Client {
  clientID: string;
  clientSecret: string;
}

export interface LoginTarget {
  transport: Transport;
  idp: TestIdp;
  client: Client;
  /** Audience and ACS URL the IdP puts in its responses (from Gatehouse's EXTERNAL_URL). */
  spEntityId: string;
  acsUrl: string;
}

/** Creates the SAML connection through the management API, as an operator would. */
export async function createConnection(transport: Transport, idp: TestIdp, apiKey = BENCH_API_KEY): Promise<Client> {
  const res = await transport.send({
    method: 'POST', path: '/api/v1/sso',
    headers: { authorization: `Api-Key ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'acme.com', product: 'crm', name: 'Acme IdP', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) }),
  });
  if (res.status >= 300) throw new Error(`creating the connection failed: ${res.status} ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body) as Client;
}

export interface StepTimes {
  authorize: number[];
  acs: number[];
  token: number[];
  userinfo: number[];
}

/** Process CPU (all threads) spent while each step was in flight, ms summed over the run. Only meaningful in-process at concurrency 1. */
export type StepCpu = Record<keyof StepTimes, number>;

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export interface RunResult {
  logins: number;
  concurrency: number;
  /** Logins that did not end in a userinfo 200 with their own email. */
  failures: number;
  failureSamples: string[];
  /** Wall time of phase A (all authorizes) and phase C (all ACS → token → userinfo), ms. */
  authorizePhaseMs: number;
  completePhaseMs: number;
  /** Wall time the IdP spent signing (phase B), ms; excluded from every rate. */
  idpSignMs: number;
  steps: StepTimes;
  stepCpu: StepCpu;
  loginsPerSecond: number;
  /** CPU spent during phases A and C (IdP signing excluded). */
  cpu: CpuSpent;
  /** Gatehouse's CPU per login, ms: its own process over HTTP; in-process, the whole benchmark process. */
  gatehouseCpuMsPerLogin: number;
  /** Over HTTP, the load generator's CPU per login, ms (fetch, JSON, bookkeeping); null in-process. */
  clientCpuMsPerLogin: number | null;
}

interface Login {
  email: string;
  state: string;
  nonce: string;
  verifier: string;
  challenge: string;
  location?: string;
  samlResponse?: string;
  relayState?: string;
  failed?: string;
}

/** Runs `count` jobs on `concurrency` workers that each take the next index when free. */
async function workers(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function newLogin(tag: string, i: number): Login {
  const verifier = randomBytes(32).toString('base64url');
  return {
    email: `user-${tag}-${i}@acme.com`,
    state: randomBytes(12).toString('base64url'),
    nonce: randomBytes(12).toString('base64url'),
    verifier,
    challenge: createHash('sha256').update(verifier).digest('base64url'),
  };
}

async function authorize(t: LoginTarget, login: Login, times: number[], cpu: StepCpu): Promise<void> {
  const query = new URLSearchParams({
    response_type: 'code', client_id: t.client.clientID, redirect_uri: APP_CALLBACK, state: login.state,
    scope: 'openid email profile', nonce: login.nonce, code_challenge: login.challenge, code_challenge_method: 'S256',
  });
  const start = performance.now();
  const c0 = cpuNow();
  const res = await t.transport.send({ method: 'GET', path: `/api/oauth/authorize?${query}` });
  cpu.authorize += cpuNow() - c0;
  times.push(since(start));
  const location = res.header('location');
  if (res.status !== 302 || !location?.startsWith(IDP_SSO_URL)) throw new Error(`authorize: ${res.status} ${location ?? res.body.slice(0, 200)}`);
  login.location = location;
}

/** The IdP's part: read the AuthnRequest, sign a Response for it. */
function idpAnswers(t: LoginTarget, login: Login): void {
  const request = parseRedirectBindingRequest(login.location!);
  const requestId = /\bID="([^"]+)"/.exec(request.xml)?.[1];
  if (!requestId) throw new Error('the AuthnRequest has no ID');
  login.relayState = request.relayState ?? undefined;
  login.samlResponse = buildSamlResponseBase64({
    idp: t.idp, spEntityId: t.spEntityId, acsUrl: t.acsUrl, inResponseTo: requestId, nameId: login.email,
    attributes: { email: login.email, firstName: 'Bench', lastName: 'User', groups: ['admins', 'staff'] },
  });
}

async function complete(t: LoginTarget, login: Login, steps: StepTimes, cpu: StepCpu): Promise<void> {
  let start = performance.now();
  let c0 = cpuNow();
  const acs = await t.transport.send({
    method: 'POST', path: '/api/oauth/saml', headers: FORM,
    body: new URLSearchParams({ SAMLResponse: login.samlResponse!, ...(login.relayState ? { RelayState: login.relayState } : {}) }).toString(),
  });
  cpu.acs += cpuNow() - c0;
  steps.acs.push(since(start));
  const back = acs.header('location');
  const url = back ? new URL(back) : null;
  const code = url?.searchParams.get('code');
  if (acs.status !== 302 || !url || `${url.origin}${url.pathname}` !== APP_CALLBACK || !code || url.searchParams.get('state') !== login.state) {
    throw new Error(`ACS: ${acs.status} ${back ?? acs.body.slice(0, 200)}`);
  }

  start = performance.now();
  c0 = cpuNow();
  const token = await t.transport.send({
    method: 'POST', path: '/api/oauth/token', headers: FORM,
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: login.verifier, client_id: t.client.clientID, client_secret: t.client.clientSecret, redirect_uri: APP_CALLBACK }).toString(),
  });
  cpu.token += cpuNow() - c0;
  steps.token.push(since(start));
  const tokens = token.status === 200 ? (JSON.parse(token.body) as { access_token?: string; id_token?: string }) : {};
  if (!tokens.access_token || !tokens.id_token) throw new Error(`token: ${token.status} ${token.body.slice(0, 200)}`);

  start = performance.now();
  c0 = cpuNow();
  const info = await t.transport.send({ method: 'GET', path: '/api/oauth/userinfo', headers: { authorization: `Bearer ${tokens.access_token}` } });
  cpu.userinfo += cpuNow() - c0;
  steps.userinfo.push(since(start));
  const email = info.status === 200 ? (JSON.parse(info.body) as { email?: string }).email : undefined;
  if (email !== login.email) throw new Error(`userinfo: ${info.status} email ${email ?? info.body.slice(0, 200)} (expected ${login.email})`);
}

/** `logins` full logins on `concurrency` workers; see the file comment for the method. */
export async function runLogins(t: LoginTarget, opts: { logins: number; concurrency: number; tag: string; serverPid: ServerPids; /** Count only this database's PostgreSQL backends. */ postgresDatabase?: string }): Promise<RunResult> {
  const logins = Array.from({ length: opts.logins }, (_, i) => newLogin(opts.tag, i));
  const steps: StepTimes = { authorize: [], acs: [], token: [], userinfo: [] };
  const stepCpu: StepCpu = { authorize: 0, acs: 0, token: 0, userinfo: 0 };
  const fail = (login: Login, err: unknown) => {
    login.failed = (err as Error).message;
  };

  let cpu = cpuSnapshot(opts.serverPid, opts.postgresDatabase);
  let start = performance.now();
  await workers(logins.length, opts.concurrency, (i) => authorize(t, logins[i]!, steps.authorize, stepCpu).catch((err) => fail(logins[i]!, err)));
  const authorizePhaseMs = since(start);
  const cpuA = cpuBetween(cpu, cpuSnapshot(opts.serverPid, opts.postgresDatabase));

  start = performance.now();
  for (const login of logins) {
    if (login.failed) continue;
    try {
      idpAnswers(t, login);
    } catch (err) {
      fail(login, err);
    }
  }
  const idpSignMs = since(start);

  cpu = cpuSnapshot(opts.serverPid, opts.postgresDatabase);
  start = performance.now();
  await workers(logins.length, opts.concurrency, async (i) => {
    const login = logins[i]!;
    if (!login.failed) await complete(t, login, steps, stepCpu).catch((err) => fail(login, err));
  });
  const completePhaseMs = since(start);
  const spent = addSpent(cpuA, cpuBetween(cpu, cpuSnapshot(opts.serverPid, opts.postgresDatabase)));

  const failed = logins.filter((l) => l.failed);
  return {
    logins: logins.length,
    concurrency: opts.concurrency,
    failures: failed.length,
    failureSamples: [...new Set(failed.map((l) => l.failed!))].slice(0, 5),
    authorizePhaseMs,
    completePhaseMs,
    idpSignMs,
    steps,
    stepCpu,
    loginsPerSecond: ((logins.length - failed.length) / (authorizePhaseMs + completePhaseMs)) * 1000,
    cpu: spent,
    gatehouseCpuMsPerLogin: (opts.serverPid === null ? spent.selfMs : spent.serverMs) / logins.length,
    clientCpuMsPerLogin: opts.serverPid === null ? null : spent.selfMs / logins.length,
  };
}
