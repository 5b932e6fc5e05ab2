/** The sitting's table (bench/support/sitting-table.ts): ratios oriented so that above 1× is Gatehouse ahead, verdicts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber, ratio, sittingTable, timesFigure, verdict, type SittingRow } from '../../bench/support/sitting-table.ts';

const logins: SittingRow = { row: 'SQLite, HTTP, c=16', unit: 'logins/s', better: 'higher', jackson: { value: 60 }, gatehouse: { value: 610 }, target: { kind: 'times-jackson', factor: 10 }, zeroFailures: true };

test('a rate: the ratio is Gatehouse over Jackson; the target in Jackson multiples is met at 10× and not below', () => {
  assert.equal(ratio(logins), 610 / 60);
  assert.equal(verdict(logins), 'met');
  assert.equal(verdict({ ...logins, gatehouse: { value: 599 } }), 'not met');
});

test('a time or memory: lower is better, so the ratio is Jackson over Gatehouse', () => {
  const rss: SittingRow = { row: 'peak RSS', unit: 'MiB', better: 'lower', jackson: { value: 160 }, gatehouse: { value: 100 }, target: { kind: 'at-most', value: 120 } };
  assert.equal(ratio(rss), 1.6);
  assert.equal(verdict(rss), 'met');
  assert.equal(verdict({ ...rss, gatehouse: { value: 121 } }), 'not met');
});

test('failures fail a zero-failure target whatever the rate', () => {
  assert.equal(verdict({ ...logins, gatehouse: { value: 900, failures: 1 } }), 'not met');
});

test('a missing figure or target gives no ratio and no verdict', () => {
  assert.equal(ratio({ ...logins, jackson: null }), null);
  assert.equal(ratio({ ...logins, jackson: { value: 0, failures: 300 } }), null);
  assert.equal(verdict({ ...logins, target: null }), '—');
  assert.equal(verdict({ ...logins, gatehouse: null }), '—');
  assert.equal(verdict({ ...logins, jackson: null }), '—');
});

test('a target relative to another figure of the sitting (PostgreSQL ≥ 0.8× SQLite)', () => {
  const pg: SittingRow = { row: 'PostgreSQL, HTTP, c=16', unit: 'logins/s', better: 'higher', jackson: null, gatehouse: { value: 480 }, target: { kind: 'times-figure', factor: 0.8, of: 600, label: 'SQLite' } };
  assert.equal(verdict(pg), 'met');
  assert.equal(verdict({ ...pg, gatehouse: { value: 479 } }), 'not met');
  assert.equal(verdict({ ...pg, target: { kind: 'times-figure', factor: 0.8, of: null, label: 'SQLite' } }), '—');
  assert.equal(timesFigure(pg), 0.8);
  assert.equal(sittingTable([pg]).split('\n')[2], '| PostgreSQL, HTTP, c=16 | — | 480 logins/s | — | ≥ 0.80× SQLite (now 0.80×) | **met** |');
});

test("a Jackson run with failures gives no ratio: c=16 logins against Jackson's 1 success in 300 are judged on its sequential rate", () => {
  const c16: SittingRow = {
    row: 'SQLite, c=16', unit: 'logins/s', better: 'higher', jackson: { value: 0.44, failures: 299 }, gatehouse: { value: 186 },
    target: { kind: 'times-figure', factor: 10, of: 25.3, label: "Jackson's sequential SQLite rate" }, zeroFailures: true,
  };
  assert.equal(ratio(c16), null);
  assert.equal(verdict(c16), 'not met');
  assert.equal(sittingTable([c16]).split('\n')[2], "| SQLite, c=16 | 0.44 logins/s (299 failed) | 186 logins/s | — | ≥ 10.0× Jackson's sequential SQLite rate, 0 failures (now 7.35×) | not met |");
});

test('the table: one line per row, figures with their failures, the target in words, met in bold', () => {
  const table = sittingTable([logins, { ...logins, row: 'in-memory', jackson: { value: 0, failures: 300, note: 'c=16' }, gatehouse: { value: 12.345 }, target: { kind: 'at-least', value: 601 } }]);
  const lines = table.split('\n');
  assert.equal(lines.length, 4);
  assert.equal(lines[2], '| SQLite, HTTP, c=16 | 60.0 logins/s | 610 logins/s | 10.2× | ≥ 10.0× Jackson, 0 failures | **met** |');
  assert.equal(lines[3], '| in-memory | 0.00 logins/s (300 failed) (c=16) | 12.3 logins/s | — | ≥ 601 logins/s, 0 failures | not met |');
});

test('a ratio unit sticks to its number', () => {
  const row: SittingRow = { row: 'CPU c=1 ÷ c=32', unit: '×', better: 'lower', jackson: null, gatehouse: { value: 1.744 }, target: { kind: 'at-most', value: 1.3 } };
  assert.equal(sittingTable([row]).split('\n')[2], '| CPU c=1 ÷ c=32 | — | 1.74× | — | ≤ 1.30× | not met |');
});

test('numbers get decimals by size', () => {
  assert.deepEqual([1234.5, 60.14, 2.345, Number.NaN].map(formatNumber), ['1235', '60.1', '2.35', '—']);
});
