/**
 * A CommonJS dependency loaded on first use instead of at startup: for the large libraries that only
 * some requests need (the SAML XML stack, XML encryption). The first caller pays the load once; the
 * bundled server (scripts/build-server.mjs) resolves these from node_modules at that moment.
 */
import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireFromHere(id) as T);
}
