/**
 * The third-party vectors every developer and CI run has beside the repo, in ../shared/vectors
 * (real IdP captures, attack fixtures, Okta/Entra/Microsoft SCIM traffic). A fresh clone with no
 * ../shared beside it skips the tests that need them, loudly, as the database tests do; in CI
 * (CI=true) a missing ../shared is a failure, never a quiet skip.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared beside the repository (this file is test/support/shared-vectors.ts). */
const SHARED = new URL('../../../shared/', import.meta.url);

export interface SharedVectors {
  /** The vectors folder as a file URL ending in `/`, to resolve file names against. */
  url: URL;
  /** The same folder as a path. */
  dir: string;
  /** `false` when the vectors are there; the reason otherwise: pass it as node:test's `skip` option. */
  skip: false | string;
}

/**
 * Locates `../shared/vectors/<kind>/`. When it is absent, writes a message naming what is skipped
 * to stderr and answers with `skip` set, or throws when CI is set.
 */
export function sharedVectors(kind: 'saml' | 'scim', skipped: string): SharedVectors {
  const url = new URL(`vectors/${kind}/`, SHARED);
  const dir = fileURLToPath(url);
  if (existsSync(dir)) return { url, dir, skip: false };
  const missing = `${dir} is missing (no ../shared beside this clone)`;
  if (process.env.CI) throw new Error(`${missing}: ${skipped} cannot run, and CI must never skip them`);
  const reason = `${missing}: ${skipped} SKIPPED`;
  process.stderr.write(`\n!!! ${reason} !!!\n`);
  return { url, dir, skip: reason };
}
