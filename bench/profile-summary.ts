/**
 * Where a login's CPU goes, from a V8 CPU profile (`node --cpu-prof`), by step and by part:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/login.ts --dialect sqlite --transport in-process \
 *        --workers 0 --concurrency 1 --logins 1000 --quiet-wait 0
 *   node --import tsx bench/profile-summary.ts /tmp/prof/<file>.cpuprofile --logins 1300
 *
 * Each sample's self time goes to the first rule (below) that matches the frame or, failing that, the nearest
 * caller frame that a rule matches. Frames of the benchmark itself (bench/, test/support: the load generator and
 * the test IdP that signs responses) are reported apart and are not Gatehouse's CPU. `--logins` is every login
 * the profiled process ran (warm-up included), to print ms per login.
 *
 * A profile of the shipped bundle (`BENCH_SERVER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=…"` with `--transport http`)
 * is read through the source maps beside dist/server's files (support/bundle-frames.ts), so the same rules apply.
 *
 * `--scim` sorts a SCIM profile instead (`bench/scim-sequential.ts --profile`), by the parts a SCIM request
 * passes through (route lookup, hooks, bearer auth, filter, storage, outbox, inspector, serialisation, logging,
 * group commit, the deliverer); `--logins` is then the number of SCIM requests profiled (3 × n for one round).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { markdownTable } from './support/stats.ts';
import { nameBundledFrames } from './support/bundle-frames.ts';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { logins: { type: 'string' }, scim: { type: 'boolean', default: false } } });

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber?: number; columnNumber?: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

/** [part, step, test on "url functionName"]: first match wins. */
const LOGIN_RULES: [string, string, RegExp][] = [
  ['benchmark (load generator, test IdP)', '—', /\/bench\/|\/test\/support\/|node-forge|xml-crypto\/lib\/signed-xml.*computeSignature/],
  ['XML parse (xmldom)', 'ACS', /@xmldom\/xmldom/],
  ['XML c14n and digests', 'ACS', /xml-crypto|\/sso\/saml\/xml-signature|\/sso\/saml\/(exc-)?c14n/],
  ['SAML validation rules', 'ACS', /\/sso\/saml\/(validate-response|assertion-conditions|xml-dom|decrypt-assertion)/],
  ['ACS pipeline, profile mapping', 'ACS', /\/sso\/saml\/|\/sso\/(profile|app-profile|flow-connection|subjects)/],
  ['authorize pipeline, AuthnRequest', 'authorize', /\/oauth\/authorize|\/sso\/(redirect-urls|connections)|zlib|deflate/],
  ['codes, sessions, finish-login', 'ACS', /\/oauth\/(finish-login|codes|sessions)/],
  ['token: client auth, PKCE, id_token', 'token', /\/oauth\/(token|client-auth|token-issuance|keys)|\/crypto\/jwt-sign|jose/],
  ['userinfo', 'userinfo', /\/oauth\/userinfo/],
  ['secret box (AES-GCM), hashes', 'all', /\/crypto\/secrets/],
  ['storage: PostgreSQL and MySQL drivers', 'all', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-array|mysql2)\//],
  ['storage: Kysely, SQLite driver', 'all', /kysely|better-sqlite3|\/storage\/| (run|get|all|prepare|iterate)$/],
  ['HTTP: Fastify, inject, parsers', 'all', /fastify|find-my-way|light-my-request|avvio|formbody|@fastify|\/http\/|querystring|fast-json-stringify|secure-json-parse/],
  ['logging, metrics, events', 'all', /pino|prom-client|\/observability\/|\/events\/|\/admin\/traces/],
  ['validation of input (zod)', 'all', /zod/],
  ['garbage collection', 'all', /^ \(garbage collector\)$/],
  ['idle', '—', /^ \(idle\)$/],
  ['other Gatehouse code', 'all', /\/src\//],
];

/** The parts of a SCIM request (the step column names the layer). Storage frames are split from the code that built the query. */
const SCIM_RULES: [string, string, RegExp][] = [
  ['benchmark (load generator, inspector session)', '—', /\/bench\/|node:inspector/],
  ['light-my-request (app.inject, the client side)', 'client', /light-my-request/],
  ['SQLite: group commit, COMMIT', 'storage', /sqlite-driver\.ts (#commitGroup|#commitAlone|commitTransaction|beginTransaction|#run)$/],
  ['SQLite: statements (better-sqlite3)', 'storage', /sqlite-driver|better-sqlite3| (run|get|all|prepare|iterate)$/],
  ['PostgreSQL and MySQL drivers (pg, pg-protocol, pg-pool, mysql2)', 'storage', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-array|mysql2)\//],
  ['Kysely: building, compiling, executing queries', 'storage', /kysely/],
  ['webhook deliverer (claim, settle, sign, sender thread hand-off)', 'background', /\/webhooks\/| postMessage$/],
  ['SCIM inspector (verdict, redaction, seal, batch insert)', 'after answer', /\/inspector\/|scim-recording|\/scim\/leniency|scim-requests\.ts/],
  ['setup-link progress hook', 'after answer', /scim-progress|setup-link-progress/],
  ['outbox: events, payloads, roles', 'handler', /\/events\/(outbox|payloads|user-roles)|role-mappings|directory-events/],
  ['bearer auth (hash, compare, directory cache)', 'hooks', /\/scim\/auth\.ts|directory-cache|\/crypto\/secrets| (Hash|digest|update|timingSafeEqual)$/],
  ['filter parsing and SQL', 'handler', /\/scim\/filter|scim2-parse-filter/],
  ['SCIM resources (reading bodies, patch, rendering)', 'handler', /\/scim\/(resources|patch|attributes|match)|\/scim\/users|\/scim\/groups|\/scim\/list|\/scim\/scope|user-sessions|app-sessions|oauth\/sessions/],
  ['security headers (helmet)', 'hooks', /helmet/],
  ['route lookup (find-my-way)', 'routing', /find-my-way/],
  ['logging (pino)', 'after answer', /pino|request-logger/],
  ['metrics (prom-client)', 'after answer', /prom-client|http-metrics|observability\/metrics/],
  ['rate limit', 'hooks', /rate-limit/],
  ['body parsing (JSON)', 'hooks', /content-type-parser|malformed-input| parse$/],
  ['Fastify: hooks, reply, serialisation', 'hooks', /fastify|avvio|@fastify|\/http\/|fast-json-stringify|fast-querystring|branding/],
  ['Node HTTP objects (headers, streams, timers)', 'node', /^node:/],
  ['garbage collection', 'all', /^ \(garbage collector\)$/],
  ['idle', '—', /^ \(idle\)$/],
  ['other Gatehouse code', 'all', /\/src\//],
];
const RULES = args.scim ? SCIM_RULES : LOGIN_RULES;

const file = positionals[0];
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--logins N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
// A profile of the shipped bundle: name its frames by their source files, so that the rules below apply.
const renamed = nameBundledFrames(profile.nodes.map((n) => n.callFrame));
if (renamed > 0) process.stderr.write(`profile-summary: ${renamed} bundled frames named by their source maps\n`);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const keyOf = (id: number) => {
  const n = byId.get(id)!;
  return `${n.callFrame.url} ${n.callFrame.functionName}`;
};
/** Whether the frame or any caller is the benchmark's own code (the test IdP signs with xml-crypto too). */
const benchCache = new Map<number, boolean>();
function underBenchmark(id: number): boolean {
  let b = benchCache.get(id);
  if (b === undefined) {
    const p = parent.get(id);
    b = RULES[0]![2].test(keyOf(id)) || (p !== undefined && underBenchmark(p));
    benchCache.set(id, b);
  }
  return b;
}
const ruleCache = new Map<number, number>();
function ruleOf(id: number): number {
  const cached = ruleCache.get(id);
  if (cached !== undefined) return cached;
  let r = underBenchmark(id) ? 0 : RULES.findIndex(([, , re]) => re.test(keyOf(id)));
  if (r === -1) {
    const p = parent.get(id);
    r = p === undefined ? RULES.length : ruleOf(p);
  }
  ruleCache.set(id, r);
  return r;
}

const totals = new Array<number>(RULES.length + 1).fill(0);
profile.samples.forEach((id, i) => (totals[ruleOf(id)]! += profile.timeDeltas[i] ?? 0));
const ms = (us: number) => us / 1000;
const busy = totals.reduce((s, t, i) => (i < RULES.length && (RULES[i]![0] === 'idle' || i === 0) ? s : s + t), 0);
const logins = args.logins ? Number(args.logins) : null;
const rows = RULES.map(([part, step], i) => ({ part, step, us: totals[i]! }))
  .concat([{ part: 'unattributed (program, native)', step: 'all', us: totals[RULES.length]! }])
  .filter((r) => r.us > 0)
  .sort((a, b) => b.us - a.us);
process.stdout.write(`${markdownTable(
  ['Part', 'Step', 'ms (main thread)', 'share of Gatehouse', ...(logins ? [args.scim ? 'µs per request' : 'µs per login'] : [])],
  rows.map((r) => {
    const own = r.part !== 'idle' && !r.part.startsWith('benchmark');
    return [r.part, r.step, ms(r.us).toFixed(0), own ? `${((r.us / busy) * 100).toFixed(1)}%` : '—', ...(logins ? [own ? (r.us / logins).toFixed(0) : '—'] : [])];
  }),
)}\n\nGatehouse main-thread CPU: ${ms(busy).toFixed(0)} ms${logins ? `, ${(busy / logins / 1000).toFixed(2)} ms per ${args.scim ? 'request' : 'login'}` : ''}.\n`);
