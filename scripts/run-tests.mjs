#!/usr/bin/env node
// `npm test`: finds every *.test.ts under src/, test/ and packages/ (Node 20's runner does not expand globs)
// and runs them with node's test runner through tsx. Extra arguments are passed on (e.g. a file list).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// The browser tests need the portal built: build it when dist/web is missing or older than web/.
// The cluster and CLI tests run the server bundle (what `npm start` ships): rebuild it when src/ changed.
for (const script of ['scripts/build-web.mjs', 'scripts/build-server.mjs']) {
  const built = spawnSync(process.execPath, [script, '--if-stale'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const list = files.length ? files : [...find('src'), ...find('test'), ...find('packages')].sort();
const reporter = process.env.TEST_REPORTER ?? (process.stdout.isTTY ? 'spec' : 'spec');
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, ...flags, ...list], { stdio: 'inherit' });
process.exit(r.status ?? 1);
