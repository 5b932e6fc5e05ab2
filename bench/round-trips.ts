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
import type { DialectName } from '../src/storage/dialect.ts';
import { countLoginStatements, LOGIN_STEPS, type LoginStep } from './support/login-statements.ts';
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

const idp = await createTestIdp();
const rows: string[][] = [];
const samples: Record<string, Record<LoginStep, string[]>> = {};
for (const dialect of dialects) {
  const counted = await countLoginStatements(dialect, idp, LOGINS);
  if (!counted) {
    process.stderr.write(`${dialect} is unreachable: skipped\n`);
    continue;
  }
  const tx = LOGIN_STEPS.reduce((n, s) => n + counted.lastLogin[s].filter((q) => /^(begin|commit|start transaction)/i.test(q)).length, 0);
  rows.push([dialect === 'sqlite' ? 'SQLite' : dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB', ...LOGIN_STEPS.map((s) => String(counted.perStep[s])), `**${counted.perLogin}**`, String(tx)]);
  samples[dialect] = counted.lastLogin;
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
    for (const s of LOGIN_STEPS) process.stdout.write(`\n${s}:\n${steps[s].map((q) => `  - ${q}`).join('\n')}\n`);
  }
}
