/**
 * Where SQLite time goes in a login:
 *
 *   node --import tsx bench/sqlite-statements.ts [--logins 1000]
 *
 * Runs in-process logins (concurrency 16, method of bench/login.ts), each variant in its own child
 * process, with better-sqlite3 instrumented (every prepare/run/all/get timed):
 *   - as shipped (since c23facc, src/storage/dialect.ts reuses prepared DML statements; before it,
 *     Kysely's SqliteDriver prepared every query anew and preparing was ~45 % of SQLite's time);
 *   - with PRAGMA wal_autocheckpoint=0, to show what WAL checkpoints cost on the request path.
 * The instrumentation patches better-sqlite3's prototype in this benchmark process only.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { markdownTable } from './support/stats.ts';
import { describeMachine } from './support/machine.ts';

const VARIANTS = {
  shipped: 'as shipped',
  'no-autocheckpoint': 'as shipped + wal_autocheckpoint=0',
} as const;
type Variant = keyof typeof VARIANTS;

interface Measured {
  variant: Variant;
  logins: number;
  failures: number;
  loginsPerSecond: number;
  cpuMsPerLogin: number;
  otherCores: number;
  statementsPerLogin: number;
  sqliteMsPerLogin: number;
  prepareMsPerLogin: number;
  slowStatements: number;
  slowMsPerLogin: number;
  maxStatementMs: number;
}

const { values: args } = parseArgs({ options: { logins: { type: 'string', default: '1000' }, variant: { type: 'string' } } });
const LOGINS = Number(args.logins);

if (args.variant) {
  process.stdout.write(`${JSON.stringify(await measure(args.variant as Variant))}\n`);
} else {
  const rows: Measured[] = [];
  for (const variant of Object.keys(VARIANTS) as Variant[]) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--variant', variant, '--logins', String(LOGINS)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) throw new Error(`variant ${variant} failed`);
    rows.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as Measured);
  }
  const f = (n: number, d = 2) => n.toFixed(d);
  process.stdout.write(`
## SQLite statements in a login

Machine: ${describeMachine()}

${markdownTable(
    ['Variant', 'Logins', 'Failures', 'Statements/login', 'SQLite ms/login (all calls)', 'of which prepare', 'statements > 2 ms', 'their ms/login', 'slowest statement ms', 'Logins/s (c=16)', 'Gatehouse CPU ms/login', 'other load (cores)'],
    rows.map((r) => [VARIANTS[r.variant], String(r.logins), String(r.failures), f(r.statementsPerLogin, 1), f(r.sqliteMsPerLogin), f(r.prepareMsPerLogin), String(r.slowStatements), f(r.slowMsPerLogin), f(r.maxStatementMs, 1), f(r.loginsPerSecond, 0), f(r.cpuMsPerLogin), f(r.otherCores)]),
  )}

Method: in-process Gatehouse on a fresh SQLite file, ${LOGINS} logins at concurrency 16 after 300 warm-up logins
(bench/login.ts's three phases; only phases A and C are counted). Each better-sqlite3 prepare/run/all/get call is timed
with performance.now(); "statements > 2 ms" are run/all/get calls that took longer than 2 ms (WAL auto-checkpoints run
inside the commit that crosses 1,000 WAL pages and block the event loop). Each variant runs in its own process.
`);
}

async function measure(variant: Variant): Promise<Measured> {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as new (file: string) => { prepare(sql: string): object };
  const probe = new Database(':memory:');
  const dbProto = Object.getPrototypeOf(probe) as { prepare(this: object, sql: string): object };
  const stmtProto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
  const t = { statements: 0, all: 0, prepare: 0, slow: 0, slowMs: 0, max: 0, counting: false };
  const originalPrepare = dbProto.prepare;
  dbProto.prepare = function (sql: string) {
    const start = performance.now();
    const statement = originalPrepare.call(this, sql);
    if (t.counting) {
      const ms = performance.now() - start;
      t.prepare += ms;
      t.all += ms;
    }
    return statement;
  };
  for (const name of ['run', 'all', 'get'] as const) {
    const original = stmtProto[name]!;
    stmtProto[name] = function (this: unknown, ...a: unknown[]) {
      const start = performance.now();
      try {
        return original.apply(this, a);
      } finally {
        if (t.counting) {
          const ms = performance.now() - start;
          t.statements++;
          t.all += ms;
          t.max = Math.max(t.max, ms);
          if (ms > 2) {
            t.slow++;
            t.slowMs += ms;
          }
        }
      }
    };
  }

  const { startGatehouse } = await import('../test/support/gatehouse.ts');
  const { createTestIdp } = await import('../test/support/saml-idp.ts');
  const { createConnection, runLogins, BENCH_API_KEY } = await import('./support/login-flow.ts');
  const { injectTransport } = await import('./support/transport.ts');
  const { sql } = await import('kysely');
  const gh = (await startGatehouse({ dialect: 'sqlite', env: { LOG_LEVEL: 'silent', NODE_ENV: 'production', RATE_LIMIT_OAUTH_PER_MINUTE: '0', API_KEYS: BENCH_API_KEY } }))!;
  if (variant === 'no-autocheckpoint') await sql.raw('PRAGMA wal_autocheckpoint=0').execute(gh.ctx.db);
  const idp = await createTestIdp();
  const transport = injectTransport(gh.app);
  const client = await createConnection(transport, idp);
  const target = { transport, idp, client, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl };
  await runLogins(target, { logins: 300, concurrency: 16, tag: 'warm', serverPid: null });
  // Count only the measured phases: runLogins's IdP phase makes no SQLite calls, so counting the whole run is the same.
  t.counting = true;
  const r = await runLogins(target, { logins: LOGINS, concurrency: 16, tag: variant, serverPid: null });
  t.counting = false;
  await gh.close();
  return {
    variant, logins: r.logins, failures: r.failures, loginsPerSecond: r.loginsPerSecond, cpuMsPerLogin: r.gatehouseCpuMsPerLogin, otherCores: r.cpu.otherCores,
    statementsPerLogin: t.statements / r.logins, sqliteMsPerLogin: t.all / r.logins, prepareMsPerLogin: t.prepare / r.logins,
    slowStatements: t.slow, slowMsPerLogin: t.slowMs / r.logins, maxStatementMs: t.max,
  };
}
