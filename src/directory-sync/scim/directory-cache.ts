/**
 * Directories the SCIM bearer hook has read, for 2 s: a SCIM burst (an IdP's initial push) then costs one
 * lookup per directory, not one per request. Changes made on this instance (rotation, deactivation,
 * deletion) drop the entry at once; other instances see them within the 2 s. One per app context (boot()).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.ts';
import { directoriesRepo, type DirectoryRow } from '../../storage/index.ts';

const CACHE_MS = 2000;
const MAX_ENTRIES = 10_000;

export class DirectoryCache {
  readonly #entries = new Map<string, { row: DirectoryRow | undefined; until: number }>();
  constructor(private readonly db: Kysely<Database>) {}

  /** The entry read less than 2 s ago, or null when there is none (then `find` reads it): no promise on the common path. */
  cached(id: string): { row: DirectoryRow | undefined } | null {
    const hit = this.#entries.get(id);
    return hit && hit.until > Date.now() ? hit : null;
  }

  async find(id: string): Promise<DirectoryRow | undefined> {
    const now = Date.now();
    const hit = this.#entries.get(id);
    if (hit && hit.until > now) return hit.row;
    const row = await directoriesRepo.findById(this.db, id);
    if (this.#entries.size > MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(id, { row, until: now + CACHE_MS });
    return row;
  }

  forget(id: string): void {
    this.#entries.delete(id);
  }
}

declare module '../../context.ts' {
  interface AppContext {
    /** Directories the SCIM bearer hook read, for 2 s (on every SCIM request). */
    directoryCache: DirectoryCache;
  }
}
