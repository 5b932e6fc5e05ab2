/**
 * Database statements per login step — a deterministic count, meaningful even on a loaded machine:
 *
 *   node --import tsx bench/round-trips.ts [--dialect sqlite|postgres|mysql]… [--logins 20] [--sql]
 *
 * Gatehouse runs in-process (app.inject()); the same SAML login as bench/login.ts (authorize → ACS → token →
 * userinfo, PKCE and a client secret) is driven sequentially, and every statement Kysely sends to the database
 * (BEGIN and COMMIT included: on PostgreSQL and MySQL each is one network round trip) is counted against the
 * request in flight (storage/dialect.ts#StatementCounter). Each step shows the median over the logins; `--sql`
 * prints the statements of the last login. Decisions 0039 and 0042 and docs/benchmarks.md keep the before/after tables.
 */
import { parseArgs } from 'node:util';
import { createTestIdp } from '../test/support/saml-idp.ts';
import { startGatehouse } from '../test/support/gatehouse.ts';
import type { DialectName } from '../src/storage/dialect.ts';
import { BENCH_API_KEY, createConnection, runLogins } from './support/login-flow.ts';
import { injectTransport, type Transport } from './support/transport.ts';
import { markdownTable } from './support/stats.ts';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', multiple: true },
    logins: { type: 'string', default: '20' },
    sql: { type: 'boolean', default: false },
  },
});
const dialects = (args.dialect ?? ['sqlite', 'postgres', 'mysql']) as DialectName[];
const LOGINS = Number(args.logins);
const STEPS = ['authorize', 'ACS', 'token', 'userinfo'] as const;
type Step = (typeof STEPS)[number];

const stepOf = (path: string): Step | null =>
  path.startsWith('/api/oauth/authorize') ? 'authorize' : path === '/api/oauth/saml' ? 'ACS' : path === '/api/oauth/token' ? 'token' : path === '/api/oauth/userinfo' ? 'userinfo' : null;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

const idp = await createTestIdp();
const rows: string[][] = [];
const samples: Record<string, Record<Step, string[]>> = {};
for (const dialect of dialects) {
  const gh = await startGatehouse({ dialect, env: { LOG_LEVEL: 'silent', NODE_ENV: 'production', RATE_LIMIT_OAUTH_PER_MINUTE: '0', API_KEYS: BENCH_API_KEY } });
  if (!gh) {
    process.stderr.write(`${dialect} is unreachable: skipped\n`);
    continue;
  }
  try {
    const inject = injectTransport(gh.app);
    const client = await createConnection(inject, idp);
    // Every statement is put on the step whose request is in flight (the logins run one at a time).
    let current: { step: Step; sql: string[] } | null = null;
    const perStep: Record<Step, number[]> = { authorize: [], ACS: [], token: [], userinfo: [] };
    let last: Record<Step, string[]> = { authorize: [], ACS: [], token: [], userinfo: [] };
    const counted: Transport = {
      name: inject.name,
      async send(req) {
        const step = stepOf(req.path.split('?')[0] === '/api/oauth/authorize' ? '/api/oauth/authorize' : req.path);
        if (!step) return inject.send(req);
        current = { step, sql: [] };
        try {
          return await inject.send(req);
        } finally {
          perStep[step].push(current.sql.length);
          last[step] = current.sql;
          current = null;
        }
      },
    };
    gh.database.statements.tap = (text) => current?.sql.push(text.replace(/\s+/g, ' ').slice(0, 160));
    const target = { transport: counted, idp, client, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl };
    // Warm-up: key caches, connection cache, prepared statements.
    await runLogins(target, { logins: 5, concurrency: 1, tag: `rt-warm-${dialect}`, serverPid: null });
    for (const s of STEPS) perStep[s].length = 0;
    const result = await runLogins(target, { logins: LOGINS, concurrency: 1, tag: `rt-${dialect}`, serverPid: null });
    if (result.failures) throw new Error(`${dialect}: ${result.failures} failed logins (${result.failureSamples.join(' | ')})`);
    const counts = STEPS.map((s) => median(perStep[s]));
    const tx = STEPS.reduce((n, s) => n + last[s].filter((q) => /^(begin|commit|start transaction)/i.test(q)).length, 0);
    rows.push([dialect === 'sqlite' ? 'SQLite' : dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB', ...counts.map(String), `**${counts.reduce((a, b) => a + b, 0)}**`, String(tx)]);
    samples[dialect] = last;
    last = { authorize: [], ACS: [], token: [], userinfo: [] };
  } finally {
    gh.database.statements.tap = null;
    await gh.close();
  }
}

process.stdout.write(`
## Database statements per login (median of ${LOGINS} sequential logins, in-process)

${markdownTable(['Database', 'authorize', 'ACS', 'token', 'userinfo', '**per login**', 'of which BEGIN/COMMIT'], rows)}

Each statement is one round trip to PostgreSQL or MySQL (SQLite runs in the process). Counted by Kysely's log hook
(storage/dialect.ts#StatementCounter), BEGIN and COMMIT included.
`);
if (args.sql) {
  for (const [dialect, steps] of Object.entries(samples)) {
    process.stdout.write(`\n### ${dialect}: the statements of one login\n`);
    for (const s of STEPS) process.stdout.write(`\n${s}:\n${steps[s].map((q) => `  - ${q}`).join('\n')}\n`);
  }
}
