/**
 * CommonJS dependencies loaded on first use instead of at startup: the large libraries that only some
 * requests or some deployments need (the SAML XML stack, XML encryption, the X.509 stack of a first
 * boot, the MySQL driver). The first caller pays the load once; the bundled server
 * (scripts/build-server.mjs) resolves them from node_modules at that moment, and `require` hands back
 * module.exports as it is, under tsx and bundled alike.
 */
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const requireFromHere = createRequire(import.meta.url);

/** A value made on first use, then kept. */
export function lazy<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

/** The packages that load xmldom (each may carry its own copy: xml-crypto and xml-encryption pin 0.8). */
const XML_STACK = ['@xmldom/xmldom', 'xml-crypto', 'xml-encryption'];

export const lazyRequire = <T>(id: string): (() => T) =>
  lazy(() => {
    if (XML_STACK.some((name) => id === name || id.startsWith(`${name}/`))) deferHtmlEntities();
    return requireFromHere(id) as T;
  });

/** The 5 entities XML predefines (XML 1.0 §4.6): all an XML parse of xmldom reads from `entities.js`. */
const XML_PREDEFINED = { amp: '&', apos: "'", gt: '>', lt: '<', quot: '"' };

/**
 * xmldom's `lib/entities.js` builds, when loaded, a frozen table of the 2,125 HTML entity names, which only an
 * HTML parse (`text/html`) reads; Gatehouse parses XML only. That table is ~3 MiB of live heap in every isolate
 * that loads a copy (xmldom 0.9 copies it through `Object.getOwnPropertyDescriptors`): measured, a thread that
 * loads xmldom 0.9 grows by 5.4 MiB, by 1.0 MiB with the table deferred (decision 0054). So each copy's module is
 * entered in `require.cache` (Node's documented cache, which `require` reads first) before xmldom is loaded, with
 * the same `XML_ENTITIES` (made by that copy's own `freeze`) and the HTML table behind getters that load the real
 * file on first read: same exports, same values, the HTML table built only if ever asked for.
 * test/codebase/xmldom-entities.test.ts pins the exports against each copy's real module.
 */
export const deferHtmlEntities = lazy(() => {
  for (const file of xmldomEntitiesFiles()) {
    if (requireFromHere.cache[file]) continue; // already loaded (whole) by someone: nothing to save
    requireFromHere.cache[file] = deferredEntitiesModule(file);
  }
  return true;
});

/** `lib/entities.js` of each xmldom copy the XML stack resolves (its own, xml-crypto's, xml-encryption's). */
export function xmldomEntitiesFiles(): string[] {
  const files = new Set<string>();
  for (const name of XML_STACK) {
    try {
      const from = name === '@xmldom/xmldom' ? requireFromHere : createRequire(requireFromHere.resolve(name));
      files.add(join(dirname(from.resolve('@xmldom/xmldom/package.json')), 'lib', 'entities.js'));
    } catch {
      // not installed (xml-encryption is optional): nothing to defer for it
    }
  }
  return [...files];
}

/** A module for `file` (an xmldom `lib/entities.js`) whose HTML table is the real module's, loaded on first read. */
export function deferredEntitiesModule(file: string): Module {
  const stub = new Module(file);
  stub.filename = file;
  stub.loaded = true;
  let real: Record<string, unknown> | undefined;
  const load = () => {
    if (real) return real;
    const cache = requireFromHere.cache;
    delete cache[file];
    try {
      real = requireFromHere(file) as Record<string, unknown>;
    } finally {
      cache[file] = stub; // the loaded copy serves through the getters; the stub stays what `require` returns
    }
    return real;
  };
  const { freeze } = requireFromHere(join(dirname(file), 'conventions.js')) as { freeze<T extends object>(o: T): Readonly<T> };
  const exports = { XML_ENTITIES: freeze({ ...XML_PREDEFINED }) };
  for (const name of ['HTML_ENTITIES', 'entityMap']) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
  stub.exports = exports;
  return stub;
}
