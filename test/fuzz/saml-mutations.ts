/**
 * Mutations of a real SAML Response for the fuzz suite: byte flips, truncation, element
 * duplication/removal/reordering, attribute value swaps, text changes, namespace changes, and
 * harmless-looking insertions (whitespace, comments) between elements. Indices are taken modulo
 * what the document has, so every generated mutation applies to every vector.
 */
import fc from 'fast-check';
import { DOMParser, XMLSerializer, type Attr, type Element, type Node } from '@xmldom/xmldom';

export type SamlMutation =
  | { kind: 'flip-bit'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; el: number }
  | { kind: 'remove'; el: number }
  | { kind: 'reorder'; el: number }
  | { kind: 'move-into'; el: number; into: number }
  | { kind: 'swap-attributes'; a: number; b: number }
  | { kind: 'set-text'; el: number; text: string }
  | { kind: 'namespace'; decl: number; how: 'alter' | 'drop' | 'rebind' }
  | { kind: 'insert-between'; el: number; text: string };

const n = fc.nat({ max: 1_000_000 });
export const samlMutation: fc.Arbitrary<SamlMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip-bit' as const), at: n, bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: n }),
  fc.record({ kind: fc.constant('duplicate' as const), el: n }),
  fc.record({ kind: fc.constant('remove' as const), el: n }),
  fc.record({ kind: fc.constant('reorder' as const), el: n }),
  fc.record({ kind: fc.constant('move-into' as const), el: n, into: n }),
  fc.record({ kind: fc.constant('swap-attributes' as const), a: n, b: n }),
  fc.record({ kind: fc.constant('set-text' as const), el: n, text: fc.oneof(fc.constantFrom('attacker@evil.example', '', ' ', 'admin'), fc.string({ maxLength: 12 })) }),
  fc.record({ kind: fc.constant('namespace' as const), decl: n, how: fc.constantFrom('alter' as const, 'drop' as const, 'rebind' as const) }),
  fc.record({ kind: fc.constant('insert-between' as const), el: n, text: fc.constantFrom(' ', '\n', '\t\n  ', '<!-- x -->', '<?pi x?>', 'text') }),
);

const parse = (xml: string) => {
  try {
    const doc = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
    return doc.documentElement ? doc : null;
  } catch {
    return null;
  }
};

function elements(root: Element): Element[] {
  const out: Element[] = [];
  const walk = (el: Element) => {
    out.push(el);
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) walk(c as Element);
  };
  walk(root);
  return out;
}

const pick = <T>(list: T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);

/** Applies one mutation; a DOM mutation on text that no longer parses leaves it unchanged. */
export function applyMutation(xml: string, m: SamlMutation): string {
  if (m.kind === 'flip-bit') {
    const bytes = Buffer.from(xml, 'utf8');
    const at = m.at % bytes.length;
    bytes[at] = bytes[at]! ^ (1 << m.bit);
    return bytes.toString('utf8');
  }
  if (m.kind === 'truncate') return xml.slice(0, m.at % xml.length);
  if (m.kind === 'namespace') {
    const decls = [...xml.matchAll(/\sxmlns(?::[\w.-]+)?="[^"]*"/g)];
    const d = pick(decls, m.decl);
    if (!d) return xml;
    const text = d[0];
    const replaced = m.how === 'drop' ? '' : m.how === 'alter' ? text.replace(/"$/, 'x"') : text.replace(/xmlns(:[\w.-]+)?=/, (_, p) => (p ? 'xmlns:rebound=' : 'xmlns:default='));
    return xml.slice(0, d.index) + replaced + xml.slice(d.index! + text.length);
  }
  const doc = parse(xml);
  if (!doc) return xml;
  const all = elements(doc.documentElement!);
  const inner = all.slice(1); // never the root itself
  switch (m.kind) {
    case 'duplicate': {
      const el = pick(inner, m.el);
      if (!el) return xml;
      el.parentNode!.insertBefore(el.cloneNode(true), el.nextSibling);
      break;
    }
    case 'remove': {
      const el = pick(inner, m.el);
      if (!el) return xml;
      el.parentNode!.removeChild(el);
      break;
    }
    case 'reorder': {
      const el = pick(inner, m.el);
      let next: Node | null = el?.nextSibling ?? null;
      while (next && next.nodeType !== 1) next = next.nextSibling;
      if (!el || !next) return xml;
      el.parentNode!.insertBefore(next, el);
      break;
    }
    case 'move-into': {
      // Signature wrapping: an element moved under another (never under itself or its own descendant).
      const el = pick(inner, m.el);
      const into = pick(all, m.into);
      if (!el || !into || el === into) return xml;
      for (let p: Node | null = into; p; p = p.parentNode) if (p === el) return xml;
      into.appendChild(el);
      break;
    }
    case 'swap-attributes': {
      const attrs: Attr[] = all.flatMap((el) => Array.from({ length: el.attributes.length }, (_, i) => el.attributes.item(i)!)).filter((a) => !a.name.startsWith('xmlns'));
      const a = pick(attrs, m.a);
      const b = pick(attrs, m.b);
      if (!a || !b || a === b) return xml;
      [a.value, b.value] = [b.value, a.value];
      break;
    }
    case 'set-text': {
      const leaves = all.filter((el) => !Array.from({ length: el.childNodes.length }, (_, i) => el.childNodes.item(i)!).some((c) => c.nodeType === 1));
      const el = pick(leaves, m.el);
      if (!el) return xml;
      while (el.firstChild) el.removeChild(el.firstChild);
      el.appendChild(doc.createTextNode(m.text));
      break;
    }
    case 'insert-between': {
      const el = pick(inner, m.el);
      if (!el) return xml;
      const fragment = parse(`<x>${m.text}</x>`);
      const node = fragment?.documentElement?.firstChild;
      if (!node) return xml;
      el.parentNode!.insertBefore(doc.importNode(node, true), el);
      break;
    }
  }
  return new XMLSerializer().serializeToString(doc);
}
