/**
 * The fuzz harness shared by the short slice in `npm test` (test/fuzz/*.test.ts) and the long run
 * (bench/fuzz.ts): a target runs one input and says what happened; the properties are the same
 * everywhere: no 5xx, no escaped error, nothing stored on a refusal, the same answer twice for a
 * refused (so idempotent) request, and per target any property of its own (`violation`).
 */
import fc from 'fast-check';

/** What one input did. `refused` is a 4xx, or a typed refusal from a pure core. */
export type Verdict = 'accepted' | 'refused' | 'server-error' | 'thrown' | 'stored-on-refusal' | 'unstable' | 'violation';
export const BAD_VERDICTS: ReadonlySet<Verdict> = new Set(['server-error', 'thrown', 'stored-on-refusal', 'unstable', 'violation']);

export interface Outcome {
  verdict: Verdict;
  /** What went wrong, for a bad verdict: shown with the counterexample. */
  detail?: string;
}

export interface FuzzTarget<T = unknown> {
  name: string;
  /** How inputs are made, for the report. */
  method: string;
  arbitrary: fc.Arbitrary<T>;
  run(input: T): Promise<Outcome> | Outcome;
}

/** The fixed seed of the short slice; FUZZ_SEED overrides it to replay or explore. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);

/** Runs `numRuns` inputs through the target as a fast-check property; a failure names the seed and the shrunk input. */
export async function assertTarget<T>(target: FuzzTarget<T>, numRuns: number): Promise<void> {
  try {
    await fc.assert(
      fc.asyncProperty(target.arbitrary, async (input) => {
        const outcome = await target.run(input);
        if (BAD_VERDICTS.has(outcome.verdict)) throw new Error(`${outcome.verdict}: ${outcome.detail ?? ''}`);
      }),
      { numRuns, seed: FUZZ_SEED },
    );
  } catch (err) {
    process.stderr.write(`\n!!! fuzz target "${target.name}" failed with seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED}) !!!\n`);
    throw err;
  }
}

export interface Tally {
  target: string;
  method: string;
  tried: number;
  counts: Record<Verdict, number>;
  /** The first few bad outcomes with their inputs. */
  examples: { verdict: Verdict; detail: string; input: string }[];
}

/** Runs inputs without stopping at a failure, counting verdicts: for the long run. */
export async function tallyTarget<T>(target: FuzzTarget<T>, opts: { numRuns: number; timeLimitMs?: number; seed: number }): Promise<Tally> {
  const counts = { accepted: 0, refused: 0, 'server-error': 0, thrown: 0, 'stored-on-refusal': 0, unstable: 0, violation: 0 } satisfies Record<Verdict, number>;
  const tally: Tally = { target: target.name, method: target.method, tried: 0, counts, examples: [] };
  await fc.check(
    fc.asyncProperty(target.arbitrary, async (input) => {
      let outcome: Outcome;
      try {
        outcome = await target.run(input);
      } catch (err) {
        outcome = { verdict: 'thrown', detail: `harness: ${(err as Error).stack ?? err}` };
      }
      tally.tried++;
      counts[outcome.verdict]++;
      if (BAD_VERDICTS.has(outcome.verdict) && tally.examples.length < 5) {
        tally.examples.push({ verdict: outcome.verdict, detail: (outcome.detail ?? '').slice(0, 600), input: fc.stringify(input).slice(0, 600) });
      }
      return true;
    }),
    { numRuns: opts.numRuns, seed: opts.seed, ...(opts.timeLimitMs ? { interruptAfterTimeLimit: opts.timeLimitMs, markInterruptAsFailure: false } : {}) },
  );
  return tally;
}

/** Runs a pure core: a GatehouseError-like refusal with a 4xx status is `refused`, anything else thrown is `thrown`. */
export function refusalOrThrown(err: unknown, allowed: (code: string) => boolean): Outcome {
  const e = err as { name?: string; code?: string; status?: number };
  if (e?.name === 'GatehouseError' && typeof e.code === 'string' && allowed(e.code) && typeof e.status === 'number' && e.status >= 400 && e.status < 500) return { verdict: 'refused' };
  return { verdict: 'thrown', detail: (err as Error)?.stack ?? String(err) };
}
