/**
 * First SCIM request and first successful push, for the Directory Sync setup link of a directory's
 * tenant+product. On the SCIM hot path, so: no read, one conditional UPDATE (`… IS NULL`, a no-op once set),
 * and at most one such attempt per directory and kind per minute on each instance (`ScimProgressMemo`). After
 * the response is sent, never in the IdP's way; a failure is logged and tried again after the minute.
 */
import type { AppContext } from '../context.ts';
import type { DirectoryRow } from '../storage/index.ts';
import { setupLinkProgressRepo } from '../storage/index.ts';

const RETRY_MS = 60_000;
const MAX_ENTRIES = 10_000;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Per instance: when each directory's request (and push) may next be recorded. One per app context (boot()). */
export class ScimProgressMemo {
  readonly #next = new Map<string, number>();
  /** Whether `key` is due, and if so marks it done for the next minute. */
  due(key: string, now: number): boolean {
    const at = this.#next.get(key);
    if (at !== undefined && at > now) return false;
    if (this.#next.size > MAX_ENTRIES) this.#next.clear();
    this.#next.set(key, now + RETRY_MS);
    return true;
  }
}

declare module '../context.ts' {
  interface AppContext {
    /** Throttles setup-link progress writes from SCIM requests (src/setup-links/scim-progress.ts). */
    scimProgress: ScimProgressMemo;
  }
}

/** A SCIM write answered 2xx is a successful push. */
export const isPush = (method: string, status: number) => WRITES.has(method) && status >= 200 && status < 300;

/** Called when a SCIM request on `directory` has been answered with `status`. */
export function recordScimRequest(ctx: AppContext, directory: Pick<DirectoryRow, 'id' | 'tenant' | 'product'>, method: string, status: number): Promise<void> {
  const now = ctx.now();
  const pushed = isPush(method, status);
  const first = ctx.scimProgress.due(`r:${directory.id}`, now);
  const push = pushed && ctx.scimProgress.due(`p:${directory.id}`, now);
  if (!first && !push) return Promise.resolve();
  return setupLinkProgressRepo.scimRequest(ctx.db, ctx.dialect, directory, now, push).then(
    () => undefined,
    (err) => ctx.log.warn({ err, directoryId: directory.id }, 'recording the setup link\'s SCIM progress failed'),
  );
}
