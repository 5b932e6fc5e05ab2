/**
 * The branding as stored (one admin setting), cached by each instance for a few seconds: every request
 * that may answer with a page reads it. One per app context (built in boot()).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.ts';
import { adminSettingsRepo } from '../storage/repositories/admin-settings.ts';

export interface Branding {
  productName: string;
  logoUrl: string | null;
  primaryColor: string;
}

export const DEFAULT_BRANDING: Branding = { productName: 'Gatehouse', logoUrl: null, primaryColor: '#3b3b98' };
const KEY = 'branding';
const CACHE_MS = 5_000;

export class BrandingStore {
  #cached: { at: number; value: Branding } | null = null;
  constructor(private readonly db: Kysely<Database>) {}

  /** The cached branding while it is fresh, else null (the request hook then awaits `current()`). */
  cached(): Branding | null {
    const hit = this.#cached;
    return hit && Date.now() - hit.at < CACHE_MS ? hit.value : null;
  }

  async current(): Promise<Branding> {
    const hit = this.cached();
    if (hit) return hit;
    const value = { ...DEFAULT_BRANDING, ...((await adminSettingsRepo.get(this.db, KEY)) as Partial<Branding> | undefined) };
    this.#cached = { at: Date.now(), value };
    return value;
  }

  async save(value: Branding, now: number): Promise<void> {
    await adminSettingsRepo.put(this.db, KEY, value, now);
    this.#cached = { at: Date.now(), value };
  }
}

declare module '../context.ts' {
  interface AppContext {
    /** The branding, cached for 5 s (on every request that may answer with a page). */
    branding: BrandingStore;
  }
}
