/**
 * The long fuzz run: the same targets and properties as the short slice in `npm test`
 * (test/fuzz/*.test.ts), with many more inputs, counting verdicts instead of stopping at the first.
 *
 *   node --import tsx bench/fuzz.ts [--runs 2000] [--http-runs 300] [--seconds 60] [--dialect sqlite|postgres|mysql]… [--seed 1] [--only <substring>]
 *
 * --runs: inputs per pure target (SCIM filter, PATCH, SAML); --http-runs: inputs per HTTP target and
 * dialect; --seconds: a time cap per target (whichever comes first). Prints a markdown table: target,
 * inputs tried, accepted, refused (4xx, or a typed refusal of a pure core), 5xx, thrown,
 * stored-on-refusal, unstable (a refusal answered differently the second time), violation (a target's
 * own property, e.g. a mutated SAML response accepted with other data), and how inputs were made.
 * The first few failing inputs of each target follow the table. Exit code 1 when any input failed.
 */
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { tallyTarget, type FuzzTarget, type Tally } from '../test/fuzz/harness.ts';
import { scimCoreTargets } from '../test/fuzz/scim-targets.ts';
import { samlResponseTarget } from '../test/fuzz/saml-targets.ts';
import { httpTargets, startFuzzWorld } from '../test/fuzz/http-targets.ts';
import { sharedVectors } from '../test/support/shared-vectors.ts';
import type { DialectName } from '../src/storage/dialect.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '2000' },
    'http-runs': { type: 'string', default: '300' },
    seconds: { type: 'string', default: '60' },
    dialect: { type: 'string', multiple: true },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
  },
});
const seed = Number(values.seed);
const timeLimitMs = Number(values.seconds) * 1000;
const dialects = (values.dialect ?? ['sqlite', 'postgres', 'mysql']) as DialectName[];
const wanted = (name: string) => !values.only || name.includes(values.only);

const tallies: (Tally & { ms: number })[] = [];
async function run(target: FuzzTarget<any>, numRuns: number, label = target.name) {
  if (!wanted(label)) return;
  process.stderr.write(`fuzzing ${label} (${numRuns} inputs, at most ${values.seconds} s)… `);
  const t0 = Date.now();
  const tally = await tallyTarget(target, { numRuns, timeLimitMs, seed });
  tallies.push({ ...tally, target: label, ms: Date.now() - t0 });
  process.stderr.write(`${tally.tried} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

const started = Date.now();
for (const target of scimCoreTargets()) await run(target, Number(values.runs));
const vectors = sharedVectors('saml', 'the SAML response fuzz target');
if (!vectors.skip) await run(samlResponseTarget(vectors), Number(values.runs));
for (const dialect of dialects) {
  const world = await startFuzzWorld(dialect);
  if (!world) continue;
  for (const target of httpTargets(world)) await run(target, Number(values['http-runs']), `${target.name} [${dialect}]`);
  await world.close();
}

const cols = ['target', 'inputs', 'accepted', 'refused (4xx)', '5xx', 'thrown', 'stored on refusal', 'unstable', 'violation', 'seconds', 'method'];
const lines = [`| ${cols.join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`];
const sum = { tried: 0, accepted: 0, refused: 0, server: 0, thrown: 0, stored: 0, unstable: 0, violation: 0 };
for (const t of tallies) {
  const c = t.counts;
  lines.push(`| ${t.target} | ${t.tried} | ${c.accepted} | ${c.refused} | ${c['server-error']} | ${c.thrown} | ${c['stored-on-refusal']} | ${c.unstable} | ${c.violation} | ${(t.ms / 1000).toFixed(1)} | ${t.method} |`);
  sum.tried += t.tried; sum.accepted += c.accepted; sum.refused += c.refused; sum.server += c['server-error']; sum.thrown += c.thrown;
  sum.stored += c['stored-on-refusal']; sum.unstable += c.unstable; sum.violation += c.violation;
}
lines.push(`| **total** | ${sum.tried} | ${sum.accepted} | ${sum.refused} | ${sum.server} | ${sum.thrown} | ${sum.stored} | ${sum.unstable} | ${sum.violation} | ${((Date.now() - started) / 1000).toFixed(1)} | |`);
console.log(`# Fuzz run: seed ${seed}, ${values.runs} inputs per pure target, ${values['http-runs']} per HTTP target and dialect (${dialects.join(', ')}), cap ${values.seconds} s per target; node ${process.version}, ${cpus().length} CPUs\n`);
console.log(lines.join('\n'));
const failing = tallies.filter((t) => t.examples.length);
for (const t of failing) {
  console.log(`\n## ${t.target}`);
  for (const e of t.examples) console.log(`- ${e.verdict}: ${e.detail.replace(/\n/g, ' ')}\n  input: \`${e.input}\``);
}
process.exit(failing.length ? 1 : 0);
