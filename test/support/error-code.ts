import type { GatehouseError } from '../../src/errors.ts';

/** The catalog code a pure core throws for this input, or 'no error'. */
export function errorCodeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as GatehouseError).code;
  }
  return 'no error';
}
