/**
 * SCIM filters (RFC 7644 §3.4.2.2): `parseScimFilter(text)` returns an AST whose attribute paths are
 * resolved to canonical names. The grammar is parsed by scim2-parse-filter; around it we add the
 * leniency real clients need (unquoted values such as `eq Employee` or a 7-digit-fraction date) and
 * the strictness they rely on (`userName eq`, `userName qq "x"`, unbalanced parentheses, a dangling
 * `and` are all `invalidFilter`). Pure.
 */
import { Tokens, parseFilter, tokenizer } from 'scim2-parse-filter/lib/src/parser.js';
import type { Filter } from 'scim2-parse-filter';
import { GatehouseError } from '../../errors.ts';
import { canonicalSub, resolveAttrPath, type AttrRef, type ResourceKind } from './attributes.ts';

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterValue = string | number | boolean | null;

export type FilterNode =
  | { op: 'and' | 'or'; filters: FilterNode[] }
  | { op: 'not'; filter: FilterNode }
  | { op: CompareOp; attr: AttrRef; value: FilterValue }
  | { op: 'pr'; attr: AttrRef }
  /** `emails[type eq "work"]`: `filter` applies to each value of the multi-valued `attr`, with paths relative to it. */
  | { op: 'has'; attr: AttrRef; filter: FilterNode };

const COMPARE = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const LITERALS = new Set(['true', 'false', 'null']);

const invalid = (detail: string): never => {
  throw new GatehouseError('SCIM_INVALID_FILTER', detail);
};

/** Tokens with the leniency applied: a bare word after a comparison operator is a string value. */
function lenientTokens(text: string) {
  let tokens: { literal: string; type: string }[];
  try {
    tokens = tokenizer(text);
  } catch (err) {
    return invalid(`The filter could not be read: ${(err as Error).message}.`);
  }
  // A comparison with nothing to compare (`userName eq`, `userName eq and …`): say so, not the parser's "[(EOT)] is not json".
  for (let i = 1; i < tokens.length; i++) {
    const op = tokens[i]!;
    const next = tokens[i + 1];
    if (op.type !== 'Word' || !COMPARE.has(op.literal.toLowerCase()) || tokens[i - 1]!.type !== 'Word') continue;
    if (!next || next.type === 'EOT' || (next.type === 'Bracket' && next.literal.startsWith(')')) || (next.type === 'Word' && /^(and|or)$/i.test(next.literal))) {
      invalid(`The filter \`${tokens[i - 1]!.literal} ${op.literal}\` has no value.`);
    }
  }
  const last = tokens.filter((t) => t.type !== 'EOT').at(-1);
  if (last?.type === 'Word' && /^(and|or|not)$/i.test(last.literal)) invalid(`The filter ends with \`${last.literal}\`: a condition is missing after it.`);
  for (let i = 1; i < tokens.length; i++) {
    const prev = tokens[i - 1]!;
    const t = tokens[i]!;
    if (prev.type === 'Word' && COMPARE.has(prev.literal.toLowerCase()) && t.type === 'Word' && !LITERALS.has(t.literal.toLowerCase())) {
      tokens[i] = { literal: JSON.stringify(t.literal), type: 'Quoted' };
    } else if (t.type === 'Word' && LITERALS.has(t.literal.toLowerCase())) {
      tokens[i] = { ...t, literal: t.literal.toLowerCase() };
    }
  }
  // `emails[type eq "work"].value ew ".org"` means one value matching both: rewrite it as
  // `emails[type eq "work" and value ew ".org"]` (the parser would otherwise test two values apart).
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const sub = tokens[i + 1];
    const op = tokens[i + 2];
    if (t.type !== 'Bracket' || t.literal !== '].' || sub?.type !== 'Word' || op?.type !== 'Word') continue;
    const isPr = op.literal.toLowerCase() === 'pr';
    if (!isPr && !COMPARE.has(op.literal.toLowerCase())) continue;
    const take = isPr ? 2 : 3;
    if (!isPr && (!tokens[i + 3] || tokens[i + 3]!.type === 'EOT')) continue;
    tokens.splice(i, 1 + take, { literal: 'and', type: 'Word' }, ...tokens.slice(i + 1, i + 1 + take), { literal: ']', type: 'Bracket' });
  }
  return tokens;
}

/** Parses and resolves a filter. Throws SCIM_INVALID_FILTER (400 `invalidFilter`) on any error. */
export function parseScimFilter(text: string, kind: ResourceKind): FilterNode {
  if (text.length > 4096) invalid('The filter is longer than 4096 characters.');
  return simpleComparison(text, kind) ?? parseFullScimFilter(text, kind);
}

/**
 * `attribute op "value"` with a plain attribute name and a value without escapes or control characters: the lookup
 * Okta and Entra ID send before every create (`userName eq "…"`). Read with one regular expression instead of the
 * tokenizer, its leniency passes and the parser (~20 µs of a filtered GET, decision 0053); the node is the one the
 * full parse gives (filter.test.ts holds the two to each other). Anything else: null, and the full parse decides.
 */
const SIMPLE = /^\s*([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)?)\s+([A-Za-z]{2})\s+"([^"\\\u0000-\u001f]*)"\s*$/;
function simpleComparison(text: string, kind: ResourceKind): FilterNode | null {
  const m = SIMPLE.exec(text);
  if (!m) return null;
  const op = m[2]!.toLowerCase();
  // An attribute spelled as a keyword (`eq eq "x"`, `and sw "x"`, `true eq "x"`) is the full parser's to refuse.
  if (!COMPARE.has(op) || isKeyword(m[1]!)) return null;
  return { op: op as CompareOp, attr: resolveAttr(kind, m[1]!, null), value: m[3]! };
}

const isKeyword = (word: string) => {
  const w = word.toLowerCase();
  return COMPARE.has(w) || LITERALS.has(w) || w === 'pr' || w === 'and' || w === 'or' || w === 'not';
};

/** The whole grammar (exported for the test that holds `simpleComparison` to it). */
export function parseFullScimFilter(text: string, kind: ResourceKind): FilterNode {
  const list = new Tokens(lenientTokens(text) as never);
  let ast: Filter;
  try {
    ast = parseFilter(list);
  } catch (err) {
    return invalid(`The filter is not valid: ${(err as Error).message}.`);
  }
  if (list.peek().type !== 'EOT') invalid(`Unexpected "${list.peek().literal}" in the filter.`);
  return resolve(ast, kind, null);
}

function resolveAttr(kind: ResourceKind, path: string, parent: AttrRef | null): AttrRef {
  if (parent) {
    // Inside a value filter, paths are relative to one value of the multi-valued parent.
    const top = parent.path[parent.path.length - 1]!;
    return { schema: parent.schema, path: path.split('.').map((s) => canonicalSub(top, s)) };
  }
  const ref = resolveAttrPath(kind, path);
  if (!ref) return invalid(`The filter names an attribute of an unknown schema: "${path}".`);
  return ref;
}

function resolve(f: Filter, kind: ResourceKind, parent: AttrRef | null): FilterNode {
  // The parser leaves a hole for some broken input (`name eq and not (…)`): a refusal, not a TypeError.
  if (typeof f !== 'object' || f === null) return invalid('The filter is not complete.');
  switch (f.op) {
    case 'and':
    case 'or':
      return { op: f.op, filters: (f as { filters: Filter[] }).filters.map((x) => resolve(x, kind, parent)) };
    case 'not':
      return { op: 'not', filter: resolve((f as { filter: Filter }).filter, kind, parent) };
    case 'pr':
      return { op: 'pr', attr: resolveAttr(kind, (f as { attrPath: string }).attrPath, parent) };
    case '[]': {
      const vp = f as { attrPath: string; valFilter: Filter };
      if (parent) invalid('Value filters cannot be nested.');
      const attr = resolveAttr(kind, vp.attrPath, null);
      return { op: 'has', attr, filter: resolve(vp.valFilter, kind, attr) };
    }
    default: {
      const c = f as { op: CompareOp; attrPath: string; compValue: FilterValue };
      if (!COMPARE.has(c.op)) invalid(`Unknown operator "${c.op}".`);
      const attr = resolveAttr(kind, c.attrPath, parent);
      if ((c.compValue === null || typeof c.compValue === 'boolean') && !['eq', 'ne'].includes(c.op)) invalid(`"${c.op}" cannot compare with ${String(c.compValue)}.`);
      return { op: c.op, attr, value: c.compValue };
    }
  }
}

/**
 * Reads a SCIM dateTime leniently (any number of fraction digits, `Z` or an offset) as epoch ms.
 * Returns NaN when it is not a date.
 */
export function parseScimDate(v: FilterValue): number {
  if (typeof v !== 'string') return NaN;
  const m = /^(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(v.trim());
  if (!m) return NaN;
  const frac = m[2] ? `.${m[2].slice(0, 3).padEnd(3, '0')}` : '';
  const zone = m[3] ?? (m[1]!.includes('T') ? 'Z' : '');
  return Date.parse(`${m[1]}${frac}${zone}`);
}
