/**
 * One SAML Jackson measurement in this process, as a child of bench/jackson/index.ts (Jackson keeps module-level
 * state — its data source, its certificate cache — so each measurement gets a fresh process):
 *
 *   node --import tsx bench/jackson/run.ts '<job as JSON>'   → prints "JACKSON_RESULT <json>"
 *
 * Jackson's controllers are called in-process through the routes of jackson.mjs (support/login-flow.ts drives the
 * logins exactly as it drives Gatehouse's; support/scim-phases.ts the SCIM phases), so this process's CPU is
 * Jackson's plus the driver's, as Gatehouse's in-process rows count it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestIdp } from '../../test/support/saml-idp.ts';
import { createConnection, runLogins, type RunResult } from '../support/login-flow.ts';
import { waitForQuiet } from '../support/cpu.ts';
import { startReceiver, type Send } from '../support/scim-harness.ts';
import { directoryPhases, type PhaseResult } from '../support/scim-phases.ts';
import type { Transport } from '../support/transport.ts';
import { JACKSON_AUDIENCE, answer, startJackson, type JacksonControllers, type JacksonStore } from './jackson.mjs';

export const JACKSON_EXTERNAL_URL = 'http://127.0.0.1:5225';

export type JacksonJob =
  | { kind: 'logins'; store: 'sqlite' | 'mem'; concurrency: number; logins: number; warmup: number; quietWaitMs: number }
  | { kind: 'scim'; store: 'sqlite' | 'mem'; users: number; groups: number; warmup: number; webhooks: boolean; quietWaitMs: number };

export type JacksonJobResult =
  | { kind: 'logins'; result: RunResult }
  | { kind: 'scim'; results: PhaseResult[]; webhookPosts: number; expectedEvents: number };

const lower = (h: Record<string, string> = {}) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

/** support/transport.ts's Transport over Jackson's controllers (no sockets, like app.inject()). */
export function jacksonTransport(j: JacksonControllers): Transport {
  return {
    name: 'in-process',
    async send({ method, path, headers, body }) {
      const r = await answer(j, { method, path, headers: lower(headers), body });
      return { status: r.status, header: (name) => r.headers[name.toLowerCase()], body: r.body };
    },
  };
}

/** support/scim-harness.ts's Send over Jackson's controllers. */
export const jacksonSend = (j: JacksonControllers): Send => async (method, path, headers, body) => {
  const r = await answer(j, { method, path, headers: lower({ ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }), ...headers }), body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: r.body };
};

function storeFor(kind: 'sqlite' | 'mem'): { store: JacksonStore; drop(): void } {
  if (kind === 'mem') return { store: { engine: 'mem' }, drop: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'jackson-bench-'));
  return { store: { engine: 'sqlite', file: join(dir, 'jackson.db') }, drop: () => rmSync(dir, { recursive: true, force: true }) };
}

async function logins(job: Extract<JacksonJob, { kind: 'logins' }>): Promise<JacksonJobResult> {
  const { store, drop } = storeFor(job.store);
  const j = await startJackson({ externalUrl: JACKSON_EXTERNAL_URL, store });
  try {
    const idp = await createTestIdp();
    const transport = jacksonTransport(j);
    const client = await createConnection(transport, idp);
    const target = { transport, idp, client, spEntityId: JACKSON_AUDIENCE, acsUrl: `${JACKSON_EXTERNAL_URL}/api/oauth/saml` };
    // Warm-up one at a time: Jackson on SQLite fails logins that overlap, and a warm-up is for the JIT and caches.
    if (job.warmup > 0) await runLogins(target, { logins: job.warmup, concurrency: 1, tag: 'jackson-warm', serverPid: null });
    await waitForQuiet(null, job.quietWaitMs);
    return { kind: 'logins', result: await runLogins(target, { logins: job.logins, concurrency: job.concurrency, tag: `jackson-${job.store}-${job.concurrency}`, serverPid: null }) };
  } finally {
    await j.close?.();
    drop();
  }
}

/** Issue 19's sequential rows on Jackson's directory-sync handler, its webhooks (sent inside each SCIM request) to the receiver. */
async function scim(job: Extract<JacksonJob, { kind: 'scim' }>): Promise<JacksonJobResult> {
  const { store, drop } = storeFor(job.store);
  const rx = await startReceiver();
  const j = await startJackson({ externalUrl: JACKSON_EXTERNAL_URL, store });
  try {
    const send = jacksonSend(j);
    const directory = async (tenant: string) => {
      const r = await send('POST', '/api/v1/dsync', { 'content-type': 'application/json' }, { tenant, product: 'crm', name: tenant, type: 'okta-scim-v2', ...(job.webhooks ? { webhook_url: rx.url, webhook_secret: 'bench-webhook-secret' } : {}) });
      if (r.status !== 201) throw new Error(`Jackson directory: ${r.status} ${r.body}`);
      const { scim: s } = JSON.parse(r.body).data as { scim: { path: string; secret: string } };
      return { path: s.path, auth: { authorization: `Bearer ${s.secret}` } };
    };
    const meter = { serverPid: null, quietWaitMs: job.quietWaitMs };
    const statuses = { patchUser: 200, patchGroup: 200 };
    if (job.warmup > 0) {
      const warm = await directory('warmup.test');
      await directoryPhases({ send, ...warm, users: job.warmup, groups: Math.ceil(job.warmup / 50), concurrency: 1, meter: { serverPid: null, quietWaitMs: 0 }, statuses, tolerate: true });
    }
    await rx.clear();
    const dir = await directory('bench.test');
    const { results } = await directoryPhases({ send, ...dir, users: job.users, groups: job.groups, concurrency: 1, meter, statuses, tolerate: true });
    await new Promise((r) => setTimeout(r, 500));
    const expectedEvents = job.webhooks ? job.users * 2 + job.groups + job.groups * 40 : 0;
    return { kind: 'scim', results, webhookPosts: (await rx.stats()).posts, expectedEvents };
  } finally {
    await j.close?.();
    await rx.close();
    drop();
  }
}

if (process.argv[1]?.endsWith('run.ts')) {
  const job = JSON.parse(process.argv[2]!) as JacksonJob;
  const result = job.kind === 'logins' ? await logins(job) : await scim(job);
  process.stdout.write(`JACKSON_RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}
