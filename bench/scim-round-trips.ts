/**
 * Database statements per SCIM request — a deterministic count, meaningful even on a loaded machine:
 *
 *   node --import tsx bench/scim-round-trips.ts [--dialect sqlite|postgres|mysql]… [--n 40] [--sql]
 *
 * Gatehouse runs in-process (app.inject()) on a directory with a webhook (so every change writes its outbox rows),
 * and the requests of bench/scim.ts's first sync and phases run one at a time: filtered GET (no match), POST
 * /Users, PATCH deactivate, POST /Groups, PATCH adding 20 and 40 members. Every statement Kysely sends (BEGIN and
 * COMMIT included: one network round trip each on PostgreSQL and MySQL) while a request is in flight is counted
 * against it (storage/dialect.ts#StatementCounter); the webhook deliverer is not running, and the SCIM inspector's
 * batched insert and the setup link's throttled progress write land outside the requests (shown apart, per request).
 * Last, one claim of 40 of the outbox's events and their settle, as the deliverer's round does them (per round).
 * Each cell is the median over `--n` requests; `--sql` prints the statements of the last request of each kind.
 */
import { parseArgs } from 'node:util';
import { startGatehouse, API_KEY } from '../test/support/gatehouse.ts';
import type { DialectName } from '../src/storage/dialect.ts';
import { markdownTable } from './support/stats.ts';
import { directoryEventsRepo } from '../src/storage/index.ts';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', multiple: true },
    n: { type: 'string', default: '40' },
    sql: { type: 'boolean', default: false },
  },
});
const dialects = (args.dialect ?? ['sqlite', 'postgres', 'mysql']) as DialectName[];
const N = Number(args.n);
const KINDS = ['GET filter (no match)', 'POST /Users', 'PATCH deactivate', 'POST /Groups', 'PATCH group +20', 'PATCH group +40'] as const;
type Kind = (typeof KINDS)[number];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

const rows: string[][] = [];
const samples: Record<string, Partial<Record<Kind, string[]>>> = {};
for (const dialect of dialects) {
  const gh = await startGatehouse({ dialect, env: { LOG_LEVEL: 'silent', NODE_ENV: 'production', RATE_LIMIT_SCIM_PER_MINUTE: '0', RATE_LIMIT_API_PER_MINUTE: '0' } });
  if (!gh) {
    process.stderr.write(`${dialect} is unreachable: skipped\n`);
    continue;
  }
  try {
    const inject = async (method: string, url: string, headers: Record<string, string>, body?: unknown) => {
      const r = await gh.app.inject({ method: method as 'GET', url, headers: body === undefined ? headers : { 'content-type': url.startsWith('/api/v1') ? 'application/json' : 'application/scim+json', ...headers }, payload: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : null };
    };
    const made = await inject('POST', '/api/v1/dsync', { authorization: `Api-Key ${API_KEY}` }, { tenant: 'rt.test', product: 'crm', type: 'okta-scim-v2', webhook_url: 'http://127.0.0.1:9/hooks', webhook_secret: 'round-trips-webhook-secret' });
    if (made.status !== 201) throw new Error(JSON.stringify(made.json));
    const path = made.json.data.scim.path as string;
    const auth = { authorization: `Bearer ${made.json.data.scim.secret}` };
    let current: string[] | null = null;
    let outside = 0;
    // The SCIM inspector's batched insert and trim, and the setup link's progress, are the background's wherever they land.
    const background = /^(insert into .scim_requests.|select .at., .id., .bytes. from .scim_requests.|delete from .scim_requests.|update .setup_links.)/;
    gh.database.statements.tap = (text) => (current && !background.test(text) ? current.push(text.replace(/\s+/g, ' ').slice(0, 200)) : outside++);
    const per: Record<Kind, number[]> = Object.fromEntries(KINDS.map((k) => [k, []])) as never;
    const last: Partial<Record<Kind, string[]>> = {};
    const run = async (kind: Kind, expect: number, method: string, url: string, body?: unknown) => {
      current = [];
      const r = await inject(method, url, auth, body);
      const sqls = current;
      current = null;
      if (r.status !== expect) throw new Error(`${dialect} ${kind}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
      per[kind].push(sqls.length);
      last[kind] = sqls;
      return r.json;
    };
    const users: string[] = [];
    const total = 2 * N + 40 * 2;
    for (let i = 0; i < total; i++) {
      const userName = `p${i}@rt.test`;
      await run('GET filter (no match)', 200, 'GET', `${path}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
      users.push((await run('POST /Users', 201, 'POST', `${path}/Users`, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, externalId: `00u${i}`, active: true, displayName: `Person ${i}`,
        name: { givenName: 'Person', familyName: `P${i}` }, emails: [{ primary: true, value: userName, type: 'work' }], locale: 'en-US',
      })).id);
    }
    for (let i = 0; i < N; i++) await run('PATCH deactivate', 204, 'PATCH', `${path}/Users/${users[i]}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });
    for (let g = 0; g < N; g++) {
      const group = await run('POST /Groups', 201, 'POST', `${path}/Groups`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Team ${g}`, members: [] });
      const size = g % 2 ? 40 : 20;
      await run(size === 40 ? 'PATCH group +40' : 'PATCH group +20', 204, 'PATCH', `${path}/Groups/${group.id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: Array.from({ length: size }, (_, k) => ({ value: users[(g * 40 + k) % users.length] })) }],
      });
    }
    await gh.ctx.scimRequestLog.settled();
    const requests = KINDS.reduce((n, k) => n + per[k].length, 0);
    // One round of the deliverer's storage work for 40 of those events (decision 0058): the claim, then the settle of
    // 40 deliveries with their attempts (the POSTs themselves are not the database's).
    current = [];
    const now = gh.ctx.now();
    const claimed = await directoryEventsRepo.claim(gh.ctx.db, dialect, 'round-trips', now, 30_000, 40);
    await directoryEventsRepo.settle(gh.ctx.db, 'round-trips', claimed.map((e) => ({ seq: e.seq, result: 'delivered' as const, status: 200, at: now })),
      claimed.map((e) => ({ event_id: e.id, directory_id: e.directory_id, attempt: 1, status_code: 200, latency_ms: 1, response_excerpt: 'ok', error: null, created_at: now })));
    const round = (current as string[]).length;
    current = null;
    if (claimed.length !== 40) throw new Error(`${dialect}: claimed ${claimed.length} events, not 40`);
    rows.push([dialect === 'sqlite' ? 'SQLite' : dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB', ...KINDS.map((k) => String(median(per[k]))), (outside / requests).toFixed(2), String(round)]);
    samples[dialect] = last;
  } finally {
    gh.database.statements.tap = null;
    await gh.close();
  }
}

process.stdout.write(`
## Database statements per SCIM request (median of the requests of each kind, one at a time, in-process, webhooks on)

${markdownTable(['Database', ...KINDS, 'after the answer (inspector, progress), per request', 'deliverer: claim + settle of 40 events'], rows)}

Each statement is one round trip to PostgreSQL or MySQL (SQLite runs in the process). Counted by Kysely's log hook
(storage/dialect.ts#StatementCounter), BEGIN and COMMIT included; the webhook deliverer was not running (its last
column: one claim of 40 of the events and their settle, run through the outbox repository after the requests).
`);
if (args.sql) {
  for (const [dialect, kinds] of Object.entries(samples)) {
    process.stdout.write(`\n### ${dialect}: the statements of one request of each kind\n`);
    for (const k of KINDS) process.stdout.write(`\n${k}:\n${(kinds[k] ?? []).map((q) => `  - ${q}`).join('\n')}\n`);
  }
}
process.exit(0);
