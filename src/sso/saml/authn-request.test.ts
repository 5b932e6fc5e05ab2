import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { inflateRawSync } from 'node:zlib';
import { DOMParser, type Element } from '@xmldom/xmldom';
import {
  AUTOSUBMIT_JS,
  AUTOSUBMIT_JS_PATH,
  SIG_ALG_RSA_SHA256,
  buildAuthnRequestXml,
  parseRedirectBindingRequest,
  postBindingForm,
  redirectBindingUrl,
  type AuthnRequestInput,
} from './authn-request.ts';
import { GatehouseError } from '../../errors.ts';

const NS_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const NS_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const input: AuthnRequestInput = {
  id: '_4f1c2e9a0b7d',
  issueInstant: Date.parse('2026-03-01T12:34:56.789Z'),
  spEntityId: 'https://gatehouse.example.com/saml?tenant=a&product=b',
  acsUrl: 'https://gatehouse.example.com/api/oauth/saml',
  destination: 'https://idp.example.com/sso/saml',
};

function parseXml(xml: string): Element {
  const doc = new DOMParser({ onError: (level, msg) => { throw new Error(`${level}: ${msg}`); } }).parseFromString(xml, 'application/xml');
  return doc.documentElement!;
}

const child = (el: Element, ns: string, name: string): Element | undefined => {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name) return n as Element;
  }
  return undefined;
};

/** The raw (still encoded) value of one query parameter, read by hand rather than with the code under test. */
function rawParam(url: string, name: string): string | undefined {
  const query = url.slice(url.indexOf('?') + 1).split('#')[0]!;
  return query.split('&').find((p) => p.startsWith(`${name}=`))?.slice(name.length + 1);
}

describe('buildAuthnRequestXml', () => {
  test('carries the contract attributes and elements', () => {
    const root = parseXml(buildAuthnRequestXml(input));
    assert.equal(root.namespaceURI, NS_PROTOCOL);
    assert.equal(root.localName, 'AuthnRequest');
    assert.equal(root.getAttribute('ID'), '_4f1c2e9a0b7d');
    assert.equal(root.getAttribute('Version'), '2.0');
    assert.equal(root.getAttribute('IssueInstant'), '2026-03-01T12:34:56Z');
    assert.equal(root.getAttribute('Destination'), input.destination);
    assert.equal(root.getAttribute('AssertionConsumerServiceURL'), input.acsUrl);
    assert.equal(root.getAttribute('ProtocolBinding'), 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    assert.equal(root.hasAttribute('IsPassive'), false);
    assert.equal(root.hasAttribute('ForceAuthn'), false);
    const issuer = child(root, NS_ASSERTION, 'Issuer');
    assert.equal(issuer?.textContent, input.spEntityId, 'Issuer is the SP entity ID word for word (escaped &)');
    const policy = child(root, NS_PROTOCOL, 'NameIDPolicy');
    assert.equal(policy?.getAttribute('Format'), 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified');
    assert.equal(policy?.getAttribute('AllowCreate'), 'true');
    assert.equal(child(root, NS_PROTOCOL, 'RequestedAuthnContext'), undefined);
  });

  test('ForceAuthn and a NameID format on request', () => {
    const root = parseXml(buildAuthnRequestXml({ ...input, forceAuthn: true, nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' }));
    assert.equal(root.getAttribute('ForceAuthn'), 'true');
    assert.equal(child(root, NS_PROTOCOL, 'NameIDPolicy')?.getAttribute('Format'), 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    assert.equal(parseXml(buildAuthnRequestXml({ ...input, forceAuthn: false })).hasAttribute('ForceAuthn'), false);
  });

  test('entity IDs and URLs with XML specials and whitespace survive word for word', () => {
    const odd = { ...input, spEntityId: ` urn:sp "x" <'y'> & z\t`, acsUrl: 'https://sp.example.com/acs?a=1&b="2"\n' };
    const root = parseXml(buildAuthnRequestXml(odd));
    assert.equal(child(root, NS_ASSERTION, 'Issuer')?.textContent, odd.spEntityId);
    assert.equal(root.getAttribute('AssertionConsumerServiceURL'), odd.acsUrl);
  });

  test('refuses an ID that is not an xs:ID and characters XML cannot carry', () => {
    for (const id of ['', '1abc', 'a b', 'a"b', '-x']) {
      assert.throws(() => buildAuthnRequestXml({ ...input, id }), (e) => e instanceof GatehouseError && e.code === 'INTERNAL');
    }
    assert.throws(() => buildAuthnRequestXml({ ...input, spEntityId: 'urn:\u0000' }), GatehouseError);
    assert.throws(() => buildAuthnRequestXml({ ...input, issueInstant: Number.NaN }), GatehouseError);
  });
});

describe('redirectBindingUrl', () => {
  const xml = buildAuthnRequestXml(input);

  test('unsigned: raw DEFLATE + base64 + URL encoding, RelayState, no SigAlg', () => {
    const url = redirectBindingUrl('https://idp.example.com/sso', xml, 'flow_123');
    assert.ok(url.startsWith('https://idp.example.com/sso?SAMLRequest='));
    const parsed = new URL(url);
    const inflated = inflateRawSync(Buffer.from(parsed.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    assert.equal(inflated, xml);
    assert.equal(parsed.searchParams.get('RelayState'), 'flow_123');
    assert.equal(parsed.searchParams.has('SigAlg'), false);
    assert.equal(parsed.searchParams.has('Signature'), false);
    assert.match(rawParam(url, 'SAMLRequest')!, /^[A-Za-z0-9%]+$/, 'base64 +, / and = are percent-encoded');
  });

  test('signed: SigAlg rsa-sha256 and a Signature over the exact query octets', () => {
    const relayState = 'flow with spaces & symbols/+=?é';
    const url = redirectBindingUrl('https://idp.example.com/sso', xml, relayState, privateKey);
    const [samlRequest, rs, sigAlg, signature] = ['SAMLRequest', 'RelayState', 'SigAlg', 'Signature'].map((n) => rawParam(url, n)!);
    assert.equal(decodeURIComponent(sigAlg!), SIG_ALG_RSA_SHA256);
    assert.equal(decodeURIComponent(rs!), relayState);
    const octets = `SAMLRequest=${samlRequest}&RelayState=${rs}&SigAlg=${sigAlg}`;
    const sig = Buffer.from(decodeURIComponent(signature!), 'base64');
    assert.equal(verify('sha256', Buffer.from(octets), publicKey, sig), true);
    const tampered = octets.replace('RelayState=flow', 'RelayState=blow');
    assert.equal(verify('sha256', Buffer.from(tampered), publicKey, sig), false);
    assert.ok(url.indexOf('SAMLRequest=') < url.indexOf('RelayState=') && url.indexOf('RelayState=') < url.indexOf('SigAlg=') && url.indexOf('SigAlg=') < url.indexOf('Signature='));
  });

  test('signed without RelayState: the octets are SAMLRequest and SigAlg only', () => {
    for (const relayState of [null, '']) {
      const url = redirectBindingUrl('https://idp.example.com/sso', xml, relayState, privateKey);
      assert.equal(rawParam(url, 'RelayState'), undefined);
      const octets = `SAMLRequest=${rawParam(url, 'SAMLRequest')}&SigAlg=${rawParam(url, 'SigAlg')}`;
      assert.equal(verify('sha256', Buffer.from(octets), publicKey, Buffer.from(decodeURIComponent(rawParam(url, 'Signature')!), 'base64')), true);
    }
  });

  test('keeps a query string and fragment already on the SSO URL', () => {
    const url = redirectBindingUrl('https://accounts.google.com/o/saml2/idp?idpid=C029op2ga', xml, 'r');
    assert.ok(url.startsWith('https://accounts.google.com/o/saml2/idp?idpid=C029op2ga&SAMLRequest='));
    assert.equal(new URL(url).searchParams.get('idpid'), 'C029op2ga');
    assert.ok(redirectBindingUrl('https://idp.example.com/sso?', xml, null).startsWith('https://idp.example.com/sso?SAMLRequest='));
    const withFragment = redirectBindingUrl('https://idp.example.com/sso?a=1#frag', xml, 'r');
    assert.ok(withFragment.endsWith('&RelayState=r#frag'));
    assert.ok(withFragment.startsWith('https://idp.example.com/sso?a=1&SAMLRequest='));
  });

  test('refuses a key that is not an RSA private key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assert.throws(() => redirectBindingUrl('https://idp.example.com/sso', xml, null, ec.privateKey), GatehouseError);
    assert.throws(() => redirectBindingUrl('https://idp.example.com/sso', xml, null, publicKey), GatehouseError);
  });
});

describe('parseRedirectBindingRequest', () => {
  const xml = buildAuthnRequestXml(input);

  test('round-trips a signed request and gives the octets to verify', () => {
    const url = redirectBindingUrl('https://idp.example.com/sso?idpid=1', xml, 'a b+c&d', privateKey);
    const req = parseRedirectBindingRequest(url);
    assert.equal(req.xml, xml);
    assert.equal(req.relayState, 'a b+c&d');
    assert.equal(req.sigAlg, SIG_ALG_RSA_SHA256);
    assert.ok(req.signature && req.signedOctets);
    assert.equal(req.signedOctets, `SAMLRequest=${rawParam(url, 'SAMLRequest')}&RelayState=${rawParam(url, 'RelayState')}&SigAlg=${rawParam(url, 'SigAlg')}`);
    assert.equal(verify('sha256', Buffer.from(req.signedOctets), publicKey, req.signature), true);
  });

  test('an unsigned request without RelayState', () => {
    const req = parseRedirectBindingRequest(redirectBindingUrl('https://idp.example.com/sso', xml, null));
    assert.deepEqual({ ...req, xml: req.xml === xml }, { xml: true, relayState: null, sigAlg: null, signature: null, signedOctets: null });
  });

  test('a "+" in RelayState means a space; in base64 parameters it is a plus', () => {
    const url = redirectBindingUrl('https://idp.example.com/sso', xml, null).replace(/%2B/g, '+') + '&RelayState=x+y';
    const req = parseRedirectBindingRequest(url);
    assert.equal(req.xml, xml);
    assert.equal(req.relayState, 'x y');
  });

  test('refuses a missing, repeated or undecodable SAMLRequest', () => {
    assert.throws(() => parseRedirectBindingRequest('https://idp.example.com/sso?RelayState=x'), /no SAMLRequest/);
    const url = redirectBindingUrl('https://idp.example.com/sso', xml, null);
    assert.throws(() => parseRedirectBindingRequest(`${url}&SAMLRequest=AAAA`), /more than one SAMLRequest/);
    assert.throws(() => parseRedirectBindingRequest('https://idp.example.com/sso?SAMLRequest=bm90IGRlZmxhdGU%3D'), /inflated/);
    assert.throws(() => parseRedirectBindingRequest('https://idp.example.com/sso?SAMLRequest=%3C%3E'), /base64/);
  });
});

describe('postBindingForm', () => {
  const xml = buildAuthnRequestXml(input);
  const value = (html: string, name: string): string | undefined =>
    new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html)?.[1];

  test('an auto-submitting form with SAMLRequest (base64 of the XML) and RelayState', () => {
    const { html } = postBindingForm('https://idp.example.com/sso/post', xml, 'flow_123');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<form id="saml-post" method="post" action="https:\/\/idp\.example\.com\/sso\/post">/);
    assert.equal(Buffer.from(value(html, 'SAMLRequest')!, 'base64').toString('utf8'), xml);
    assert.equal(value(html, 'RelayState'), 'flow_123');
    assert.ok(html.indexOf('</form>') < html.indexOf(`<script src="${AUTOSUBMIT_JS_PATH}"></script>`));
  });

  test('works without JavaScript: a visible submit button inside <noscript> in the form', () => {
    const { html } = postBindingForm('https://idp.example.com/sso/post', xml, null);
    const noscript = /<noscript>([\s\S]*?)<\/noscript>/.exec(html)?.[1] ?? '';
    assert.match(noscript, /<button type="submit">Continue<\/button>/);
    assert.ok(html.indexOf('<noscript>') > html.indexOf('<form') && html.indexOf('</noscript>') < html.indexOf('</form>'));
    assert.equal(value(html, 'RelayState'), undefined);
  });

  test('has no inline script, so a strict CSP allows it', () => {
    const { html } = postBindingForm('https://idp.example.com/sso/post', xml, 'r');
    const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [];
    assert.deepEqual(scripts, ['<script src="/assets/autosubmit.js"></script>']);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    const custom = postBindingForm('https://idp.example.com/sso/post', xml, 'r', { scriptSrc: '/gatehouse/assets/autosubmit.js' }).html;
    assert.match(custom, /<script src="\/gatehouse\/assets\/autosubmit\.js"><\/script>/);
  });

  test('escapes every value', () => {
    const evil = `"><script>alert(1)</script><input name='x' value="&amp;`;
    const { html } = postBindingForm('https://idp.example.com/sso?a=1&b="2"', xml, evil);
    assert.match(html, /action="https:\/\/idp\.example\.com\/sso\?a=1&amp;b=&quot;2&quot;"/);
    assert.equal(value(html, 'RelayState'), '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;input name=&#39;x&#39; value=&quot;&amp;amp;');
    assert.equal((html.match(/<script/g) ?? []).length, 1);
  });

  test('refuses an SSO URL that is not http(s)', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', '/relative']) {
      assert.throws(() => postBindingForm(url, xml, null), GatehouseError);
    }
  });
});

describe('AUTOSUBMIT_JS', () => {
  test('submits the form with id "saml-post", even if a field shadows form.submit', () => {
    class HTMLFormElement { submitted = 0; submit(): void { this.submitted++; } }
    const form = Object.assign(new HTMLFormElement(), { submit: 'shadowed by an input named submit' });
    const ids: string[] = [];
    const document = { getElementById: (id: string) => { ids.push(id); return id === 'saml-post' ? form : null; } };
    runInNewContext(AUTOSUBMIT_JS, { document, HTMLFormElement });
    assert.deepEqual(ids, ['saml-post']);
    assert.equal(form.submitted, 1);
  });

  test('does nothing on a page without the form', () => {
    assert.doesNotThrow(() => runInNewContext(AUTOSUBMIT_JS, { document: { getElementById: () => null }, HTMLFormElement: class {} }));
  });
});
