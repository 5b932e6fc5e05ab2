import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inResponseToHint } from './response-hint.ts';
import { parseSamlResponse } from './validate-response.ts';

const P = 'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"';

test('reads InResponseTo from the root start tag, whatever the prefix, quotes or prologue', () => {
  assert.equal(inResponseToHint(`<samlp:Response ${P} ID="r1" InResponseTo="_abc-DEF_09"><x/></samlp:Response>`), '_abc-DEF_09');
  assert.equal(inResponseToHint(`<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><Response xmlns="urn:oasis:names:tc:SAML:2.0:protocol" Destination="http://x/a?b>c" InResponseTo='_q'/>`), '_q');
});

test('gives null (the main-thread path) for what it does not read plainly', () => {
  for (const xml of [
    `<samlp:Response ${P} ID="r1"/>`, // unsolicited
    `<!DOCTYPE r [<!ENTITY e "_x">]><samlp:Response ${P} InResponseTo="&e;"/>`,
    `<samlp:Response ${P} InResponseTo="_a&amp;b"/>`,
    `<samlp:Response ${P} InResponseTo="_a" InResponseTo="_b"/>`,
    `<samlp:LogoutResponse ${P} InResponseTo="_a"/>`,
    `<samlp:ResponseX ${P} InResponseTo="_a"/>`,
    `not xml`,
    '',
  ]) assert.equal(inResponseToHint(xml), null, xml);
});

test('never reads an attribute of a child element', () => {
  assert.equal(inResponseToHint(`<samlp:Response ${P} ID="r"><saml:Assertion InResponseTo="_child"/></samlp:Response>`), null);
});

test('agrees with the full parse wherever it reads a value', () => {
  const samples = [
    `<samlp:Response ${P} ID="r1" InResponseTo="_abc"/>`,
    `<?xml version="1.0"?><samlp:Response ${P}\n  InResponseTo = "_x.y"  ID="r"></samlp:Response>`,
  ];
  for (const xml of samples) {
    const full = parseSamlResponse(xml);
    assert.ok(full.ok);
    assert.equal(inResponseToHint(xml), full.parsed.inResponseTo);
  }
});
