/**
 * Exclusive XML canonicalization (exc-c14n, with or without comments) of one element, byte for byte what
 * xml-crypto's `ExclusiveCanonicalization#processInner` renders, in about a third of its CPU: one string
 * built in one walk, the in-scope prefixes kept on one stack (xml-crypto copies the list for every child and
 * joins arrays per node). Its quirks are kept on purpose, since signatures verified before this file must
 * verify after it: a default namespace is compared by value (so `xmlns=""` is repeated below an element that
 * undeclared it), namespace prefixes sort with `localeCompare`, namespace URIs are not escaped, and a prefixed
 * attribute whose local name is in the InclusiveNamespaces list is rendered as that prefix's declaration.
 * `exc-c14n.test.ts` compares the two over every element of every SAML vector.
 *
 * One deliberate difference: a processing instruction throws. xml-crypto renders only its data, as if it were
 * text, so `alice<?x @acme.com?>` would canonicalize like `alice@acme.com` while the DOM's text reads "alice"
 * (the truncation of CVE-2017-11428, with a PI instead of a comment). The validator refuses such documents before
 * any signature is checked (`xml-dom.ts#scanDocument`); this throw is the second line.
 */
import type { Element, Node } from '@xmldom/xmldom';

const ELEMENT_NODE = 1;
const PROCESSING_INSTRUCTION_NODE = 7;
const COMMENT_NODE = 8;

interface Binding {
  prefix: string;
  namespaceURI: string | null | undefined;
}

type Attr = Element['attributes'][number];

/** xml-crypto's attribute order: unqualified first, then by namespace URI + local name as one string. */
function attrCompare(a: Attr, b: Attr): number {
  if (!a.namespaceURI && b.namespaceURI) return -1;
  if (!b.namespaceURI && a.namespaceURI) return 1;
  const left = `${a.namespaceURI}${a.localName}`;
  const right = `${b.namespaceURI}${b.localName}`;
  return left === right ? 0 : left < right ? -1 : 1;
}

const nsCompare = (a: Binding, b: Binding): number => (a.prefix === b.prefix ? 0 : a.prefix.localeCompare(b.prefix));

/** Whether the innermost binding of `prefix` is `namespaceURI` (bindings are pushed outermost first). */
function inScope(scope: Binding[], prefix: string, namespaceURI: string | null | undefined): boolean {
  for (let i = scope.length - 1; i >= 0; i--) if (scope[i]!.prefix === prefix) return scope[i]!.namespaceURI === namespaceURI;
  return false;
}

const TEXT_SPECIAL = /[&<>\r]/;
const ATTR_SPECIAL = /[&<"\r\n\t]/;
const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '\r': '&#xD;', '\n': '&#xA;', '\t': '&#x9;' };
const textEscape = (c: string) => TEXT_ESCAPES[c]!;
const attrEscape = (c: string) => ATTR_ESCAPES[c]!;
const escapeText = (s: string) => (TEXT_SPECIAL.test(s) ? s.replace(/[&<>\r]/g, textEscape) : s);
const escapeAttr = (s: string) => (ATTR_SPECIAL.test(s) ? s.replace(/[&<"\r\n\t]/g, attrEscape) : s);
/** Array#join's rendering of a value: null and undefined are empty. */
const joined = (s: string | null | undefined) => s ?? '';

class Canonicalizer {
  readonly scope: Binding[] = [];
  constructor(private readonly inclusive: readonly string[], private readonly comments: boolean) {}

  /** The namespace declarations `el` renders; pushes the prefixed ones onto the scope (no closures: this runs per element). */
  private namespaces(el: Element, defaultNs: string | null | undefined): { rendered: string; defaultNs: string | null | undefined } {
    const { scope, inclusive } = this;
    const mark = scope.length;
    let rendered = '';
    let newDefaultNs = defaultNs;
    if (el.prefix) {
      if (!inScope(scope, el.prefix, el.namespaceURI || undefined)) scope.push({ prefix: el.prefix, namespaceURI: el.namespaceURI || undefined });
    } else if (defaultNs !== (el.namespaceURI || '')) {
      newDefaultNs = el.namespaceURI;
      rendered = ` xmlns="${joined(newDefaultNs)}"`;
    }
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i]!;
      if (!a.prefix) continue;
      if (!inScope(scope, a.localName!, a.value) && inclusive.includes(a.localName!)) scope.push({ prefix: a.localName!, namespaceURI: a.value });
      if (!inScope(scope, a.prefix, a.namespaceURI) && a.prefix !== 'xmlns' && a.prefix !== 'xml') scope.push({ prefix: a.prefix, namespaceURI: a.namespaceURI });
    }
    // What this element added is what it renders, in prefix order (the scope keeps the order of discovery).
    if (scope.length - mark === 1) rendered += ` xmlns:${scope[mark]!.prefix}="${joined(scope[mark]!.namespaceURI)}"`;
    else if (scope.length - mark > 1) for (const b of scope.slice(mark).sort(nsCompare)) rendered += ` xmlns:${b.prefix}="${joined(b.namespaceURI)}"`;
    return { rendered, defaultNs: newDefaultNs };
  }

  private attributes(el: Element): string {
    const attrs = el.attributes;
    const list: Attr[] = [];
    for (let i = 0; i < attrs.length; i++) if (attrs[i]!.name.indexOf('xmlns') !== 0) list.push(attrs[i]!);
    if (list.length > 1) list.sort(attrCompare);
    let out = '';
    for (const a of list) out += ` ${a.name}="${escapeAttr(a.value)}"`;
    return out;
  }

  element(el: Element, defaultNs: string | null | undefined): string {
    const ns = this.namespaces(el, defaultNs);
    let out = `<${el.tagName}${ns.rendered}${this.attributes(el)}>`;
    const mark = this.scope.length;
    for (let n: Node | null = el.firstChild; n; n = n.nextSibling) {
      out += this.node(n, ns.defaultNs);
      this.scope.length = mark; // a child's declarations are its own, not its siblings'
    }
    return `${out}</${el.tagName}>`;
  }

  private node(n: Node, defaultNs: string | null | undefined): string {
    if (n.nodeType === COMMENT_NODE) return this.comments ? `<!--${escapeText((n as unknown as { data: string }).data)}-->` : '';
    if (n.nodeType === PROCESSING_INSTRUCTION_NODE) throw new Error('a processing instruction cannot be canonicalized here');
    const data = (n as unknown as { data?: string }).data;
    if (data) return escapeText(data);
    if (n.nodeType === ELEMENT_NODE) return this.element(n as Element, defaultNs);
    throw new Error(`Unable to exclusive canonicalize node type: ${n.nodeType}`);
  }
}

/**
 * `el` canonicalized with exc-c14n as the apex of the node-set, `inclusive` its InclusiveNamespaces PrefixList.
 * Throws on a processing instruction or a node that cannot be rendered.
 */
export function exclusiveC14n(el: Element, inclusive: readonly string[], comments: boolean): string {
  return new Canonicalizer(inclusive, comments).element(el, '');
}
