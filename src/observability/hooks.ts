/**
 * What domain code calls to be measured, with nothing but its `ctx` (whose `metrics` boot() built):
 * each hook is one line at the call site.
 */
import type { AppContext } from '../context.ts';
import { ERRORS } from '../errors.ts';
import { isUnavailable } from '../storage/dialect.ts';
import type { LoginProtocol } from './metrics.ts';

/** The stable reason of a refused sign-in: its error code (redirected or not), else SERVICE_UNAVAILABLE or INTERNAL. */
export function loginFailureReason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && Object.hasOwn(ERRORS, code)) return code; // GatehouseError, or a RedirectableError carrying one
  return isUnavailable(err) ? 'SERVICE_UNAVAILABLE' : 'INTERNAL';
}

/** Runs one sign-in completion (ACS, OIDC callback) and counts its outcome by reason. */
export async function countLogin<T>(ctx: Pick<AppContext, 'metrics'>, protocol: LoginProtocol, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    ctx.metrics.login(protocol, 'success', 'ok');
    return result;
  } catch (err) {
    ctx.metrics.login(protocol, 'failure', loginFailureReason(err));
    throw err;
  }
}

/** One webhook POST, as the deliverer's sender reported it. */
export function recordWebhookAttempt(ctx: Pick<AppContext, 'metrics'>, r: { status: number | null; latencyMs: number }): void {
  ctx.metrics.webhookAttempt(r.status === null ? 'unreachable' : r.status >= 200 && r.status < 300 ? 'delivered' : 'refused', r.latencyMs / 1000);
}
