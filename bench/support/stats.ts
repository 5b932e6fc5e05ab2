/** Small statistics helpers for the benchmarks: nearest-rank percentiles and fixed-width formatting. */

/** Nearest-rank percentile (p in 0..100) of an unsorted sample; NaN when empty. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export const median = (sample: readonly number[]) => percentile(sample, 50);

/** "p50 / p95" in milliseconds with two decimals. */
export const p50p95 = (ms: readonly number[]) => `${percentile(ms, 50).toFixed(2)} / ${percentile(ms, 95).toFixed(2)}`;

/** A markdown table from a header row and data rows. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Milliseconds since `start` (a performance.now() reading). */
export const since = (start: number) => performance.now() - start;
