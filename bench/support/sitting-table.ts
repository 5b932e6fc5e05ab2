/**
 * The table a sitting prints per issue (bench/sitting.ts): each row with SAML Jackson's figure, Gatehouse's, their
 * ratio (oriented so that above 1× is Gatehouse ahead), the target and whether it is met. Pure: no I/O, tested in
 * test/bench/sitting-table.test.ts.
 */
import { markdownTable } from './stats.ts';

/** One measured figure; `failures` counts requests or logins that failed within it. */
export interface Figure {
  value: number;
  failures?: number;
  /** Said beside the figure (e.g. "300 of 300 failed", "c=1 on SQLite"). */
  note?: string;
}

export type Target =
  /** Gatehouse's figure at least `value` (in the row's unit). */
  | { kind: 'at-least'; value: number }
  /** Gatehouse's figure at most `value`. */
  | { kind: 'at-most'; value: number }
  /** Gatehouse at least `factor` times Jackson, in the row's better direction (the ratio column). */
  | { kind: 'times-jackson'; factor: number }
  /** Gatehouse at least `factor` times another figure of the sitting (`label` names it), e.g. PostgreSQL ≥ 0.8× SQLite. */
  | { kind: 'times-figure'; factor: number; of: number | null; label: string };

export interface SittingRow {
  row: string;
  unit: string;
  /** Which way is better: a rate is 'higher', a time, CPU or memory 'lower'. */
  better: 'higher' | 'lower';
  jackson: Figure | null;
  gatehouse: Figure | null;
  target: Target | null;
  /** The target also needs zero failures in Gatehouse's figure. */
  zeroFailures?: boolean;
}

export type Verdict = 'met' | 'not met' | '—';

/**
 * Gatehouse against Jackson, above 1 when Gatehouse is ahead; null when either is missing or zero, or when Jackson's
 * run had failures (a rate from a run where most logins failed compares nothing: Jackson at c=16 on SQLite).
 */
export function ratio(row: Pick<SittingRow, 'better' | 'jackson' | 'gatehouse'>): number | null {
  if (row.jackson?.failures) return null;
  const j = row.jackson?.value;
  const g = row.gatehouse?.value;
  if (j === undefined || g === undefined || !Number.isFinite(j) || !Number.isFinite(g) || j <= 0 || g <= 0) return null;
  return row.better === 'higher' ? g / j : j / g;
}

export function verdict(row: SittingRow): Verdict {
  const t = row.target;
  const g = row.gatehouse;
  if (!t || !g || !Number.isFinite(g.value)) return '—';
  if (row.zeroFailures && (g.failures ?? 0) > 0) return 'not met';
  switch (t.kind) {
    case 'at-least':
      return g.value >= t.value ? 'met' : 'not met';
    case 'at-most':
      return g.value <= t.value ? 'met' : 'not met';
    case 'times-jackson': {
      const r = ratio(row);
      return r === null ? '—' : r >= t.factor ? 'met' : 'not met';
    }
    case 'times-figure': {
      const r = timesFigure(row);
      return r === null ? '—' : r >= t.factor ? 'met' : 'not met';
    }
  }
}

/** Gatehouse as a multiple of a `times-figure` target's figure, in the row's better direction; null otherwise. */
export function timesFigure(row: Pick<SittingRow, 'better' | 'gatehouse' | 'target'>): number | null {
  const t = row.target;
  const g = row.gatehouse?.value;
  if (t?.kind !== 'times-figure' || g === undefined || !Number.isFinite(g) || g <= 0) return null;
  if (t.of === null || !Number.isFinite(t.of) || t.of <= 0) return null;
  return row.better === 'higher' ? g / t.of : t.of / g;
}

/** A figure with as many decimals as its size deserves: 1234, 60.1, 2.35. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** "12.3 ms", "1.74×", "15.2" (no unit). */
const withUnit = (v: string, unit: string) => (unit === '×' ? `${v}×` : `${v} ${unit}`.trim());

function formatFigure(f: Figure | null, unit: string): string {
  if (!f) return '—';
  const parts = [withUnit(formatNumber(f.value), unit)];
  if (f.failures) parts.push(`(${f.failures} failed)`);
  if (f.note) parts.push(`(${f.note})`);
  return parts.join(' ');
}

export function describeTarget(t: Target | null, unit: string, zeroFailures = false): string {
  if (!t) return '—';
  const text =
    t.kind === 'at-least' ? `≥ ${withUnit(formatNumber(t.value), unit)}`
    : t.kind === 'at-most' ? `≤ ${withUnit(formatNumber(t.value), unit)}`
    : t.kind === 'times-jackson' ? `≥ ${formatNumber(t.factor)}× Jackson`
    : `≥ ${formatNumber(t.factor)}× ${t.label}`;
  return zeroFailures ? `${text}, 0 failures` : text;
}

/** The markdown table of one issue. */
export function sittingTable(rows: readonly SittingRow[]): string {
  return markdownTable(
    ['Row', 'SAML Jackson', 'Gatehouse', 'Gatehouse vs Jackson (> 1× = ahead)', 'Target', 'Met?'],
    rows.map((r) => {
      const x = ratio(r);
      const v = verdict(r);
      const now = timesFigure(r);
      const target = describeTarget(r.target, r.unit, r.zeroFailures) + (now === null ? '' : ` (now ${formatNumber(now)}×)`);
      return [r.row, formatFigure(r.jackson, r.unit), formatFigure(r.gatehouse, r.unit), x === null ? '—' : `${formatNumber(x)}×`, target, v === 'met' ? '**met**' : v];
    }),
  );
}
