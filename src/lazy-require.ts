/**
 * CommonJS dependencies loaded on first use instead of at startup: the large libraries that only some
 * requests or some deployments need (the SAML XML stack, XML encryption, the X.509 stack of a first
 * boot, the MySQL driver). The first caller pays the load once; the bundled server
 * (scripts/build-server.mjs) resolves them from node_modules at that moment, and `require` hands back
 * module.exports as it is, under tsx and bundled alike.
 */
import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/** A value made on first use, then kept. */
export function lazy<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

export const lazyRequire = <T>(id: string): (() => T) => lazy(() => requireFromHere(id) as T);
