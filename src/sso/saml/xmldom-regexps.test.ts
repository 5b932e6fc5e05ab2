import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { memoizeGrammarRegExps } from './xmldom-regexps.ts';
import { sharedVectors } from '../../../test/support/shared-vectors.ts';

const require = createRequire(import.meta.url);
// Loaded here before anything patches it: the original `reg` is kept to compare against.
const grammar = require('@xmldom/xmldom/lib/grammar.js') as { reg: (...parts: (string | RegExp)[]) => RegExp; QName_group: RegExp; S_OPT: RegExp; Comment: RegExp; Name: RegExp };
const { DOMParser, XMLSerializer } = require('@xmldom/xmldom') as typeof import('@xmldom/xmldom');
const original = grammar.reg;

/** What xmldom makes of `xml`: the serialized document, or each error and warning it reported, in order. */
function outcome(xml: string): string {
  const reports: string[] = [];
  try {
    const doc = new DOMParser({ onError: (level, message) => reports.push(`${level}: ${message}`) }).parseFromString(xml, 'text/xml');
    return `${reports.join('\n')}\n${new XMLSerializer().serializeToString(doc)}`;
  } catch (err) {
    return `${reports.join('\n')}\nthrown: ${(err as Error).message}`;
  }
}

const SAML_VECTORS = sharedVectors('saml', 'the memoized grammar against every XML file of the SAML vectors');
const vectorXml = (): string[] =>
  readdirSync(SAML_VECTORS.dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(new URL(f, SAML_VECTORS.url), 'utf8'));

const INPUTS = [
  '<a><b>t</b><c/></a>',
  '<p:a xmlns:p="urn:x"><p:b></p:b ></p:a>',
  '<a><b></b\n>x</a>', // a line break before the end tag's close: accepted as before
  '<a><b></b\nc></a>', // a name followed by a line break and trailing content (GHSA-6h8r-xr42-gp59): reported
  '<a><b></b c></a>',
  '<a><b></c></a>',
  '<a></a',
  '<a><!-- ok --><!-- bad -- --></a>',
  '<a><![CDATA[x]]></a>',
  '<?xml version="1.0"?><?pi data?><a/>',
  '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
  '<a>\u00e9\ud83d\ude00</a><b/>',
  '',
];

test('the xmldom that the SAML code loads is the memoized one', async () => {
  assert.equal(grammar.reg('^', grammar.Comment) === grammar.reg('^', grammar.Comment), false, 'xmldom alone builds a new RegExp per call');
  const { xmldom } = await import('./xml-dom.ts');
  xmldom();
  assert.notEqual(grammar.reg, original);
  assert.equal(grammar.reg('^', grammar.Comment), grammar.reg('^', grammar.Comment));
});

function assertSameOutcomes(inputs: string[]) {
  grammar.reg = original;
  const before = inputs.map(outcome);
  memoizeGrammarRegExps(grammar);
  assert.notEqual(grammar.reg, original);
  assert.deepEqual(inputs.map(outcome), before);
  assert.deepEqual(inputs.map(outcome), before, 'and again, from the cache');
}

test('the memoized grammar gives every tricky input the same document, errors and warnings as xmldom alone', () => {
  assertSameOutcomes(INPUTS);
});

test('the memoized grammar gives every XML file of the shared SAML vectors the same outcome as xmldom alone', { skip: SAML_VECTORS.skip }, () => {
  const vectors = vectorXml();
  assert.ok(vectors.length > 10, 'the shared SAML vectors are read');
  assertSameOutcomes([...INPUTS, ...vectors]);
});

test('hands back the one RegExp per parts, equal to what xmldom builds, and is installed once', () => {
  memoizeGrammarRegExps(grammar);
  const patched = grammar.reg;
  memoizeGrammarRegExps(grammar);
  assert.equal(grammar.reg, patched);
  const parts = ['^', grammar.QName_group, grammar.S_OPT, '$'] as const;
  const first = grammar.reg(...parts);
  assert.equal(grammar.reg(...parts), first);
  const fresh = original.apply(grammar, [...parts]);
  assert.equal(first.source, fresh.source);
  assert.equal(first.flags, fresh.flags);
  assert.ok(!first.global && !first.sticky, 'no lastIndex state to share');
  assert.notEqual(grammar.reg('^', grammar.Name), first);
});

