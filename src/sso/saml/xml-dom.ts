/**
 * Strict XML parsing and the few DOM walks the SAML validator needs. Everything here works on
 * explicit parent/child steps: no XPath, no getElementsByTagName over the whole document.
 */
import type { Document, Element, Node } from '@xmldom/xmldom';
import { lazy, lazyRequire } from '../../lazy-require.ts';
import { memoizeGrammarRegExps } from './xmldom-regexps.ts';

const xmldomModule = lazyRequire<typeof import('@xmldom/xmldom')>('@xmldom/xmldom');
const xmldomGrammar = lazyRequire<Parameters<typeof memoizeGrammarRegExps>[0]>('@xmldom/xmldom/lib/grammar.js');

/** xmldom, loaded with the first SAML document (src/lazy-require.ts), its per-tag regular expressions built once. */
export const xmldom = lazy(() => {
  const module = xmldomModule();
  memoizeGrammarRegExps(xmldomGrammar());
  return module;
});

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  xmlns: 'http://www.w3.org/2000/xmlns/',
} as const;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const PROCESSING_INSTRUCTION_NODE = 7;

/**
 * Larger inputs are refused before parsing: xmldom needs ~150 ns per byte of element-dense XML,
 * so 5 MB would cost most of a second. Matches the 2 MiB cap of the HTTP layer.
 */
export const MAX_XML_CHARS = 2 * 1024 * 1024;
/** Real SAML nests about 8 deep; deeper input is hostile and would only stress recursive c14n. */
export const MAX_DEPTH = 64;

/** Matches a DOCTYPE or ENTITY declaration anywhere (case-insensitive, so also inside CDATA: refusing those too is fine). */
const DTD_PATTERN = /<!\s*(?:DOCTYPE|ENTITY)/i;

/** `cause`: the parser's own first line, for messages written for people (IdP metadata lint). */
export type XmlFailure = { ok: false; code: 'SAML_MALFORMED' | 'SAML_DOCTYPE_FORBIDDEN'; detail: string; cause?: string };

export interface XmlParseOptions {
  /** Longer input is refused before parsing (default MAX_XML_CHARS). */
  maxChars?: number;
  /** Keep parsing through xmldom's warnings (IdP metadata, which no signature covers); errors stay fatal. */
  allowWarnings?: boolean;
}

/**
 * Parses XML with every xmldom error (and, unless allowed, warning) made fatal; DTDs are refused before and
 * after parsing. The one XML entry point for SAML messages and IdP metadata alike.
 */
export function parseXmlStrict(xml: string, options: XmlParseOptions = {}): { ok: true; document: Document; root: Element } | XmlFailure {
  const maxChars = options.maxChars ?? MAX_XML_CHARS;
  if (xml.length > maxChars) {
    return { ok: false, code: 'SAML_MALFORMED', detail: `the XML is ${xml.length} characters long; more than ${maxChars} is refused before parsing` };
  }
  if (DTD_PATTERN.test(xml)) return { ok: false, code: 'SAML_DOCTYPE_FORBIDDEN', detail: 'a DOCTYPE or ENTITY declaration is present' };
  const source = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  let document: Document;
  try {
    const parser = new (xmldom().DOMParser)({
      locator: false,
      onError(level, message) {
        // A replacement character only says the text was mis-decoded somewhere upstream; the
        // signature check decides whether that text is what the IdP signed.
        if (level === 'warning' && (options.allowWarnings || message.startsWith('Unicode replacement character'))) return;
        throw new Error(message);
      },
    });
    document = parser.parseFromString(source, 'text/xml');
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const message = cause instanceof Error ? cause.message : (error as Error).message;
    const first = (message.split('\n')[0] ?? '').replace(/^\[xmldom \w+\]\s*/, '').trim();
    return { ok: false, code: 'SAML_MALFORMED', detail: `not well-formed XML: ${message.split('\n')[0]}`, cause: first };
  }
  if (document.doctype) return { ok: false, code: 'SAML_DOCTYPE_FORBIDDEN', detail: 'a DOCTYPE is present' };
  const root = document.documentElement;
  if (!root) return { ok: false, code: 'SAML_MALFORMED', detail: 'the document has no root element' };
  return { ok: true, document, root };
}

export function isElement(node: Node | null): node is Element {
  return node !== null && node.nodeType === ELEMENT_NODE;
}

export function isNamed(el: Element, ns: string, localName: string): boolean {
  return el.localName === localName && el.namespaceURI === ns;
}

/** Element children of `parent`, optionally only those named {ns}localName. */
export function childElements(parent: Element, ns?: string, localName?: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (!isElement(n)) continue;
    if (localName !== undefined && (n.localName !== localName || n.namespaceURI !== ns)) continue;
    out.push(n);
  }
  return out;
}

export function firstChild(parent: Element, ns: string, localName: string): Element | null {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && n.localName === localName && n.namespaceURI === ns) return n;
  }
  return null;
}

/** The attribute's value, or null when it is absent (unprefixed attribute names only). */
export function attr(el: Element, name: string): string | null {
  const node = el.getAttributeNode(name);
  return node ? node.value : null;
}

/**
 * All text of an element and its descendants (text and CDATA), comments and processing
 * instructions skipped. This is what defeats the "user@evil<!---->.com" NameID truncation.
 */
export function textOf(el: Element): string {
  let out = '';
  const stack: Node[] = [];
  for (let n = el.lastChild; n; n = n.previousSibling) stack.push(n);
  while (stack.length) {
    const n = stack.pop()!;
    if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) out += (n as unknown as { data: string }).data;
    else if (n.nodeType === ELEMENT_NODE) for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return out;
}

/**
 * The text of an element that must hold nothing but text (DigestValue, SignatureValue, CipherValue):
 * null when it has any other child, such as a comment that a canonicalizer would drop from the
 * signed bytes while a naive reader keeps only the first text node.
 */
export function strictTextOf(el: Element): string | null {
  let out = '';
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== TEXT_NODE && n.nodeType !== CDATA_SECTION_NODE) return null;
    out += (n as unknown as { data: string }).data;
  }
  return out;
}

/** What one walk over a whole document finds: the elements the validator must count or place. */
export interface DocumentScan {
  /** Every element named Assertion or EncryptedAssertion, in any namespace, anywhere. */
  readonly assertions: Element[];
  /** Every ds:Signature, anywhere. */
  readonly signatures: Element[];
  /** Every ID / Id / id attribute value. */
  readonly ids: Set<string>;
  /** The first ID value seen twice, if any. */
  readonly duplicateId: string | null;
  readonly tooDeep: boolean;
  /**
   * Whether a processing instruction sits anywhere inside. None belongs in a SAML message, and one would let the
   * signed bytes and the text read differ (xml-crypto's exc-c14n renders its data as text; decision 0043).
   */
  readonly processingInstruction: boolean;
}

const ID_ATTRIBUTES = new Set(['ID', 'Id', 'id']);

/** One iterative pre-order walk of the subtree under `root` (root included). */
export function scanDocument(root: Element, knownIds: ReadonlySet<string> = new Set()): DocumentScan {
  const assertions: Element[] = [];
  const signatures: Element[] = [];
  const ids = new Set<string>();
  let duplicateId: string | null = null;
  let tooDeep = false;
  let processingInstruction = false;
  const stack: Array<{ el: Element; depth: number }> = [{ el: root, depth: 1 }];
  while (stack.length) {
    const { el, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) {
      tooDeep = true;
      break;
    }
    const name = el.localName;
    if (name === 'Assertion' || name === 'EncryptedAssertion') assertions.push(el);
    else if (name === 'Signature' && el.namespaceURI === NS.dsig) signatures.push(el);
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i]!;
      if (a.namespaceURI || !ID_ATTRIBUTES.has(a.localName ?? a.name)) continue;
      if ((ids.has(a.value) || knownIds.has(a.value)) && duplicateId === null) duplicateId = a.value;
      ids.add(a.value);
    }
    const children: Element[] = [];
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (isElement(n)) children.push(n);
      else if (n.nodeType === PROCESSING_INSTRUCTION_NODE) processingInstruction = true;
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push({ el: children[i]!, depth: depth + 1 });
  }
  return { assertions, signatures, ids, duplicateId, tooDeep, processingInstruction };
}

/** Namespace declarations in scope from the ancestors of `el` (nearest wins), minus those `el` redeclares. */
export function ancestorNamespaces(el: Element): Array<{ prefix: string; namespaceURI: string }> {
  const own = new Set<string>();
  for (let i = 0; i < el.attributes.length; i++) {
    const name = el.attributes[i]!.name;
    if (name === 'xmlns') own.add('');
    else if (name.startsWith('xmlns:')) own.add(name.slice(6));
  }
  const seen = new Set<string>();
  const out: Array<{ prefix: string; namespaceURI: string }> = [];
  for (let p = el.parentNode; p && isElement(p); p = p.parentNode) {
    for (let i = 0; i < p.attributes.length; i++) {
      const a = p.attributes[i]!;
      let prefix: string;
      if (a.name === 'xmlns') prefix = '';
      else if (a.name.startsWith('xmlns:')) prefix = a.name.slice(6);
      else continue;
      if (seen.has(prefix)) continue;
      seen.add(prefix);
      // An undeclaration only shadows outer bindings; it is no namespace node of its own.
      if (a.value !== '' && !own.has(prefix)) out.push({ prefix, namespaceURI: a.value });
    }
  }
  return out;
}

/** xs:dateTime to epoch ms; null when it is not one. A missing zone is read as UTC, as SAML requires UTC. */
export function parseInstant(value: string | null): number | null {
  if (value === null) return null;
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?\s*$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, Math.floor(Number(`0.${frac || '0'}`) * 1000));
  if (Number.isNaN(ms)) return null;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return ms;
}

export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** A SAML protocol message's Status: null for Success, else its code, second-level code and message (cut to 300 characters). */
export function nonSuccessStatus(root: Element): string | null {
  const status = firstChild(root, NS.protocol, 'Status');
  const code = status && firstChild(status, NS.protocol, 'StatusCode');
  const value = code && attr(code, 'Value');
  if (value === STATUS_SUCCESS) return null;
  const second = code && firstChild(code, NS.protocol, 'StatusCode');
  const secondValue = second && attr(second, 'Value');
  const messageEl = status && firstChild(status, NS.protocol, 'StatusMessage');
  const message = messageEl ? textOf(messageEl).trim().slice(0, 300) : '';
  return `${value ?? '(none)'}${secondValue ? ` / ${secondValue}` : ''}${message ? `: ${message}` : ''}`;
}
