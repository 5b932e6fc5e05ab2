/**
 * xmldom 0.9.12 builds a `RegExp` per end tag and per declaration it reads (`sax.js` calls its grammar's
 * `reg('^', QName_group, S_OPT, '$')` for every `</…>`): a unicode pattern of ~600 characters, compiled again each
 * time. Measured on a 7 KB SAML Response (42 end tags): 356 → 300 µs of CPU per parse (decision 0051).
 *
 * `memoizeGrammarRegExps` makes `reg` hand back the `RegExp` it built before for the same parts. The patterns are
 * the same (the source is the parts joined, the flags `u`), and every caller in xmldom only reads them (`exec`,
 * `source`, `flags`; none is global or sticky, so `lastIndex` is neither read nor written): what the parser accepts,
 * refuses and builds is unchanged (`xmldom-regexps.test.ts`). The parts are xmldom's own grammar constants, so the
 * cache holds a handful of entries; it is bounded all the same.
 */

type Part = string | RegExp;
interface Grammar {
  reg: (this: unknown, ...parts: Part[]) => RegExp;
}
interface Trie {
  next: Map<Part, Trie>;
  value?: RegExp;
}

/** More entries than xmldom has call sites: past it, the cache starts again (never unbounded). */
const MAX_ENTRIES = 256;
const MEMOIZED = Symbol('gatehouse.memoizedReg');

/** Replaces `grammar.reg` (xmldom's `lib/grammar.js` exports) with a memoizing one; idempotent. */
export function memoizeGrammarRegExps(grammar: Grammar): void {
  const original = grammar.reg as Grammar['reg'] & { [MEMOIZED]?: true };
  if (typeof original !== 'function' || original[MEMOIZED]) return;
  let root: Trie = { next: new Map() };
  let entries = 0;
  const memoized = function (this: unknown, ...parts: Part[]): RegExp {
    let node = root;
    for (const part of parts) {
      let child = node.next.get(part);
      if (!child) node.next.set(part, (child = { next: new Map() }));
      node = child;
    }
    if (node.value) return node.value;
    const made = original.apply(this, parts); // throws as before (xmldom's own checks), and nothing is cached
    if (++entries > MAX_ENTRIES) {
      root = { next: new Map() };
      entries = 0;
      return made;
    }
    node.value = made;
    return made;
  };
  Object.defineProperty(memoized, MEMOIZED, { value: true });
  grammar.reg = memoized as Grammar['reg'];
}
