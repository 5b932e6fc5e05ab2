/**
 * Retry schedule: exponential from `baseMs` (doubling per failed attempt) up to `maxMs`, with jitter
 * (each delay is drawn between half and all of the exponential value) so a recovering receiver is not
 * hit by every instance at once. With the defaults (1 s base), first retries come within 1, 3, 7 and
 * 15 s, then the delay grows to the one-hour cap; retries go on until the event's deadline (24 h).
 * Pure: the random draw is an input.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, maxMs: number, random: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(failedAttempts - 1, 40)));
  return Math.max(1, Math.round(exp * (0.5 + 0.5 * random)));
}
