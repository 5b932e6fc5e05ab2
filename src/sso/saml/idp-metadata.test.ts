import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lintIdpMetadata, parseIdpMetadata, type IdpMetadata } from './idp-metadata.ts';
import { sharedVectors } from '../../../test/support/shared-vectors.ts';

// Every test here uses real IdP metadata or certificates taken from it.
const SHARED = sharedVectors('saml', 'the IdP metadata tests (src/sso/saml/idp-metadata.test.ts)');
const VECTORS = SHARED.dir;
const { skip } = SHARED;
const DAY = 24 * 60 * 60 * 1000;

function metadataFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return metadataFiles(path);
    return /metadata.*\.xml$/i.test(name) ? [path] : [];
  });
}

const vector = (path: string): string => readFileSync(join(VECTORS, path), 'utf8');

function parsed(xml: string): IdpMetadata {
  const result = parseIdpMetadata(xml);
  if (!result.ok) assert.fail(`expected metadata to parse, got: ${result.problem.message}`);
  return result.metadata;
}

function refused(xml: string): { field: string; message: string } {
  const result = parseIdpMetadata(xml);
  if (result.ok) assert.fail('expected metadata to be refused');
  assert.equal(result.problem.code, 'SAML_METADATA_INVALID');
  return result.problem;
}

/** The single signing certificate body of a vector, to build crafted metadata from real certificates. */
const certOf = (path: string): string => (skip ? '' : parsed(vector(path)).signingCertificates[0]!);
const SHA256_CERT = certOf('ssoready/okta/metadata.xml'); // valid 2024-04-25 .. 2034-04-25
const OTHER_SHA256_CERT = certOf('ssoready/keycloak/metadata.xml');
const SHA1_CERT = certOf('crewjam/onelogin-idp-metadata.xml');

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

const keyDescriptor = (cert: string, use: string | null = 'signing'): string =>
  `<md:KeyDescriptor${use === null ? '' : ` use="${use}"`}><ds:KeyInfo xmlns:ds="${DS}"><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
const sso = (binding: string, location: string): string => `<md:SingleSignOnService Binding="${binding}" Location="${location}"/>`;

function idpDescriptor(opts: { keys?: string; services?: string; attrs?: string } = {}): string {
  const keys = opts.keys ?? keyDescriptor(SHA256_CERT);
  const services = opts.services ?? sso(REDIRECT, 'https://idp.example.com/sso') + sso(POST, 'https://idp.example.com/sso/post');
  const attrs = opts.attrs ?? 'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"';
  return `<md:IDPSSODescriptor ${attrs}>${keys}${services}</md:IDPSSODescriptor>`;
}

const entity = (entityId: string, body: string = idpDescriptor(), attrs = ''): string =>
  `<md:EntityDescriptor xmlns:md="${MD}" entityID="${entityId}"${attrs}>${body}</md:EntityDescriptor>`;

describe('parseIdpMetadata on real IdP metadata', { skip }, () => {
  const files = metadataFiles(VECTORS);
  test('finds the metadata vectors', () => assert.ok(files.length >= 14, `only ${files.length} files`));
  for (const file of files) {
    test(relative(VECTORS, file), () => {
      const md = parsed(readFileSync(file, 'utf8'));
      assert.ok(md.entityId.length > 0);
      assert.ok(md.ssoRedirectUrl !== null || md.ssoPostUrl !== null);
      assert.ok(md.signingCertificates.length > 0);
      for (const body of md.signingCertificates) assert.match(body, /^[A-Za-z0-9+/]+={0,2}$/);
      assert.equal(new Set(md.signingCertificates).size, md.signingCertificates.length);
      assert.equal(md.certificates.length, md.signingCertificates.length);
      for (const c of md.certificates) {
        assert.ok(c.notBefore < c.notAfter);
        assert.match(c.fingerprintSha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
        assert.ok(c.subject.length > 0);
      }
    });
  }

  test('Entra: byte order mark, signed metadata, WS-Fed RoleDescriptors ignored', () => {
    const md = parsed(vector('ssoready/entra/metadata.xml'));
    assert.equal(md.entityId, 'https://sts.windows.net/a9054a0f-2011-4e31-b3ac-fd8c354146ec/');
    assert.equal(md.ssoRedirectUrl, 'https://login.microsoftonline.com/a9054a0f-2011-4e31-b3ac-fd8c354146ec/saml2');
    assert.equal(md.ssoPostUrl, 'https://login.microsoftonline.com/a9054a0f-2011-4e31-b3ac-fd8c354146ec/saml2');
    assert.equal(md.signingCertificates.length, 1);
    assert.equal(md.certificates[0]!.subject, 'CN=Microsoft Azure Federated SSO Certificate');
    assert.equal(md.wantAuthnRequestsSigned, false);
    assert.equal(md.validUntil, null);
  });

  test('Keycloak: WantAuthnRequestsSigned, default namespace plus md prefix, plain-HTTP localhost URLs', () => {
    const md = parsed(vector('ssoready/keycloak/metadata.xml'));
    assert.equal(md.wantAuthnRequestsSigned, true);
    assert.equal(md.ssoRedirectUrl, 'http://localhost:8085/realms/master/protocol/saml');
    assert.equal(md.ssoPostUrl, 'http://localhost:8085/realms/master/protocol/saml');
  });

  test('Google: validUntil, entity ID with a query string kept word for word', () => {
    const md = parsed(vector('ssoready/google/metadata.xml'));
    assert.equal(md.entityId, 'https://accounts.google.com/o/saml2?idpid=C029op2ga');
    assert.equal(md.validUntil, Date.parse('2028-07-19T17:28:34.000Z'));
  });

  test('JumpCloud: HTTP-POST only', () => {
    const md = parsed(vector('ssoready/jumpcloud/metadata.xml'));
    assert.equal(md.entityId, 'IdP Entity ID');
    assert.equal(md.ssoRedirectUrl, null);
    assert.equal(md.ssoPostUrl, 'https://sso.jumpcloud.com/saml2/ucariontest');
  });

  test('TestShib: KeyDescriptor without use counts as signing; Shibboleth 1 and SOAP bindings ignored', () => {
    const md = parsed(vector('crewjam/testshib-idp-metadata.xml'));
    assert.equal(md.signingCertificates.length, 1);
    assert.equal(md.ssoRedirectUrl, 'https://idp.testshib.org/idp/profile/SAML2/Redirect/SSO');
    assert.equal(md.ssoPostUrl, 'https://idp.testshib.org/idp/profile/SAML2/POST/SSO');
    assert.equal(md.certificates[0]!.signatureAlgorithm, 'sha1WithRSAEncryption');
  });

  test('Okta (crewjam): spaces and newlines inside the certificate are removed', () => {
    const xml = vector('crewjam/okta-idp-metadata.xml');
    const md = parsed(xml);
    const raw = /<ds:X509Certificate>([^<]*)</.exec(xml)![1]!;
    assert.match(raw, /\s/);
    assert.equal(md.signingCertificates[0], raw.replace(/\s+/g, ''));
    assert.equal(md.certificates[0]!.signatureAlgorithm, 'sha256WithRSAEncryption');
  });
});

describe('parseIdpMetadata on crafted metadata', { skip }, () => {
  test('minimal metadata', () => {
    const md = parsed(entity('https://idp.example.com/metadata'));
    assert.deepEqual(
      { ...md, certificates: md.certificates.length },
      {
        entityId: 'https://idp.example.com/metadata',
        ssoRedirectUrl: 'https://idp.example.com/sso',
        ssoPostUrl: 'https://idp.example.com/sso/post',
        slo: {}, // no SingleLogoutService (issue 13: kept for Jackson's idpMetadata.slo)
        sloResponse: {},
        signingCertificates: [SHA256_CERT],
        wantAuthnRequestsSigned: false,
        certificates: 1,
        validUntil: null,
        cacheDuration: null,
      },
    );
  });

  test('any prefix bound to the metadata namespace works', () => {
    const xml = entity('urn:idp').replaceAll('md:', 'm:').replace(`xmlns:md="${MD}"`, `xmlns:m="${MD}"`);
    assert.equal(parsed(xml).entityId, 'urn:idp');
  });

  test('elements with the right names in the wrong namespace are not metadata', () => {
    const xml = entity('urn:idp').replace(`xmlns:md="${MD}"`, 'xmlns:md="urn:example:other"');
    assert.match(refused(xml).message, /not SAML metadata/);
    const noNs = '<EntityDescriptor entityID="urn:idp"><IDPSSODescriptor/></EntityDescriptor>';
    assert.match(refused(noNs).message, /not SAML metadata/);
  });

  test('a certificate in the wrong namespace is not a signing certificate', () => {
    const keys = keyDescriptor(SHA256_CERT).replace(`xmlns:ds="${DS}"`, 'xmlns:ds="urn:example:not-dsig"');
    assert.equal(refused(entity('urn:idp', idpDescriptor({ keys }))).field, 'KeyDescriptor');
  });

  test('duplicate certificates are listed once; encryption certificates are not signing certificates', () => {
    const keys = keyDescriptor(SHA256_CERT) + keyDescriptor(SHA256_CERT, null) + keyDescriptor(OTHER_SHA256_CERT, 'encryption');
    const md = parsed(entity('urn:idp', idpDescriptor({ keys })));
    assert.deepEqual(md.signingCertificates, [SHA256_CERT]);
    assert.equal(md.certificates.length, 1);
  });

  test('two signing certificates (rollover) are both kept, in document order', () => {
    const keys = keyDescriptor(OTHER_SHA256_CERT) + keyDescriptor(SHA256_CERT);
    assert.deepEqual(parsed(entity('urn:idp', idpDescriptor({ keys }))).signingCertificates, [OTHER_SHA256_CERT, SHA256_CERT]);
  });

  test('PEM armour inside X509Certificate is tolerated', () => {
    const armoured = `-----BEGIN CERTIFICATE-----\n${SHA256_CERT.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;
    const md = parsed(entity('urn:idp', idpDescriptor({ keys: keyDescriptor(armoured) })));
    assert.deepEqual(md.signingCertificates, [SHA256_CERT]);
  });

  test('WantAuthnRequestsSigned accepts xs:boolean true and 1', () => {
    for (const [value, expected] of [['true', true], ['1', true], ['false', false], ['0', false]] as const) {
      const attrs = `WantAuthnRequestsSigned="${value}" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"`;
      assert.equal(parsed(entity('urn:idp', idpDescriptor({ attrs }))).wantAuthnRequestsSigned, expected);
    }
  });

  test('validUntil is the earliest of EntitiesDescriptor, EntityDescriptor and IDPSSODescriptor', () => {
    const attrs = 'validUntil="2030-01-01T00:00:00Z" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"';
    const inner = entity('urn:idp', idpDescriptor({ attrs }), ' validUntil="2031-01-01T00:00:00Z"').replace(` xmlns:md="${MD}"`, '');
    const xml = `<md:EntitiesDescriptor xmlns:md="${MD}" validUntil="2029-06-01T00:00:00Z">${inner}</md:EntitiesDescriptor>`;
    assert.equal(parsed(xml).validUntil, Date.parse('2029-06-01T00:00:00Z'));
  });

  test('an EntitiesDescriptor with one IdP among service providers is accepted', () => {
    const sp = `<md:EntityDescriptor entityID="urn:sp"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`;
    const idp = entity('urn:idp').replace(` xmlns:md="${MD}"`, '');
    const xml = `<md:EntitiesDescriptor xmlns:md="${MD}">${sp}<md:EntitiesDescriptor>${idp}</md:EntitiesDescriptor></md:EntitiesDescriptor>`;
    assert.equal(parsed(xml).entityId, 'urn:idp');
  });
});

describe('parseIdpMetadata refusals', { skip }, () => {
  test('DOCTYPE and ENTITY declarations', () => {
    const withDoctype = `<?xml version="1.0"?><!DOCTYPE md:EntityDescriptor [<!ENTITY x "urn:idp">]>${entity('&x;')}`;
    assert.match(refused(withDoctype).message, /DOCTYPE/);
    assert.match(refused(`<!doctype foo>${entity('urn:idp')}`).message, /DOCTYPE/);
  });

  test('malformed XML', () => {
    const p = refused(entity('urn:idp').replace('</md:IDPSSODescriptor>', ''));
    assert.equal(p.field, 'metadata');
    assert.match(p.message, /not well-formed XML/);
    assert.match(refused('this is not xml').message, /not well-formed XML/);
    assert.match(refused(`${entity('urn:a')}${entity('urn:b')}`).message, /not well-formed XML/);
  });

  test('empty input', () => {
    assert.match(refused('').message, /empty/);
    assert.match(refused('  \n ').message, /empty/);
  });

  test('a SAML response instead of metadata', () => {
    const p = refused('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"/>');
    assert.match(p.message, /not SAML metadata.*samlp:Response/);
  });

  test('service provider metadata', () => {
    const sp = `<md:EntityDescriptor xmlns:md="${MD}" entityID="urn:sp"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`;
    const p = refused(sp);
    assert.equal(p.field, 'IDPSSODescriptor');
    assert.match(p.message, /no identity provider/);
  });

  test('an EntitiesDescriptor with two IdPs asks for a single IdP', () => {
    const a = entity('urn:a').replace(` xmlns:md="${MD}"`, '');
    const b = entity('urn:b').replace(` xmlns:md="${MD}"`, '');
    const p = refused(`<md:EntitiesDescriptor xmlns:md="${MD}">${a}${b}</md:EntitiesDescriptor>`);
    assert.equal(p.message, 'The metadata lists 2 identity providers. Paste the metadata of the single identity provider you want to use.');
  });

  test('an IdP that does not offer SAML 2.0', () => {
    const attrs = 'protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol"';
    assert.match(refused(entity('urn:idp', idpDescriptor({ attrs }))).message, /does not offer SAML 2\.0/);
  });

  test('no entityID', () => {
    assert.equal(refused(entity('')).field, 'entityID');
    assert.equal(refused(entity('urn:x').replace(' entityID="urn:x"', '')).field, 'entityID');
  });

  test('no single sign-on URL with a browser binding', () => {
    const services = sso('urn:oasis:names:tc:SAML:2.0:bindings:SOAP', 'https://idp.example.com/soap');
    const p = refused(entity('urn:idp', idpDescriptor({ services })));
    assert.equal(p.field, 'SingleSignOnService');
    assert.match(p.message, /no single sign-on URL/);
    assert.equal(refused(entity('urn:idp', idpDescriptor({ services: '' }))).field, 'SingleSignOnService');
  });

  test('a single sign-on URL that is not http(s)', () => {
    for (const location of ['javascript:alert(1)', '/relative/sso', 'ftp://idp.example.com/sso', '']) {
      const p = refused(entity('urn:idp', idpDescriptor({ services: sso(REDIRECT, location) })));
      assert.equal(p.field, 'SingleSignOnService');
      assert.match(p.message, /not an absolute http/);
    }
  });

  test('no signing certificate', () => {
    const p = refused(entity('urn:idp', idpDescriptor({ keys: keyDescriptor(SHA256_CERT, 'encryption') })));
    assert.deepEqual(p, {
      field: 'KeyDescriptor',
      code: 'SAML_METADATA_INVALID',
      message: 'The metadata has no signing certificate (KeyDescriptor use="signing").',
    });
    assert.equal(refused(entity('urn:idp', idpDescriptor({ keys: '' }))).field, 'KeyDescriptor');
  });

  test('a certificate that does not parse', () => {
    for (const bad of ['not*base64!', 'AAAA', SHA256_CERT.slice(0, 400), Buffer.from('hello world').toString('base64')]) {
      const p = refused(entity('urn:idp', idpDescriptor({ keys: keyDescriptor(bad) })));
      assert.equal(p.field, 'X509Certificate');
      assert.match(p.message, /not a readable X\.509 certificate/);
    }
    const second = refused(entity('urn:idp', idpDescriptor({ keys: keyDescriptor(SHA256_CERT) + keyDescriptor('AAAA') })));
    assert.match(second.message, /^Signing certificate 2 /);
  });

  test('a validUntil that is not a date', () => {
    assert.equal(refused(entity('urn:idp', idpDescriptor(), ' validUntil="next year"')).field, 'validUntil');
  });
});

describe('lintIdpMetadata', { skip }, () => {
  const base = parsed(entity('urn:idp')); // certificate valid 2024-04-25 .. 2034-04-25, sha256, HTTPS URLs
  const notAfter = base.certificates[0]!.notAfter;
  const midLife = Date.parse('2028-01-01T00:00:00Z');

  test('clean metadata has no warnings', () => {
    assert.deepEqual(lintIdpMetadata(base, midLife), []);
  });

  test('an expired certificate', () => {
    const [w, ...rest] = lintIdpMetadata(base, notAfter + DAY);
    assert.equal(rest.length, 0);
    assert.match(w!, /^The signing certificate "trial-1022863" expired on 2034-04-25\. Ask the identity provider/);
  });

  test('an expired certificate next to a current one says sign-in keeps working', () => {
    const keys = keyDescriptor(SHA256_CERT) + keyDescriptor(OTHER_SHA256_CERT); // keycloak cert valid until 2034-05-20
    const md = parsed(entity('urn:idp', idpDescriptor({ keys })));
    const warnings = lintIdpMetadata(md, notAfter + DAY);
    assert.equal(warnings.length, 2); // the other one expires within 30 days
    assert.match(warnings[0]!, /expired on 2034-04-25\. The metadata also has a current certificate/);
    assert.match(warnings[1]!, /"master" expires on 2034-05-20 \(in 2\d days\)/);
  });

  test('a certificate expiring within 30 days, but not one expiring in 31', () => {
    assert.deepEqual(lintIdpMetadata(base, notAfter - 31 * DAY), []);
    const [w] = lintIdpMetadata(base, notAfter - 30 * DAY);
    assert.match(w!, /expires on 2034-04-25 \(in 30 days\)/);
    assert.match(lintIdpMetadata(base, notAfter - 1000)[0]!, /\(in 1 day\)/);
  });

  test('a certificate not valid yet', () => {
    assert.match(lintIdpMetadata(base, Date.parse('2020-01-01T00:00:00Z'))[0]!, /is not valid until 2024-04-25/);
  });

  test('only SHA-1 certificates', () => {
    const md = parsed(entity('urn:idp', idpDescriptor({ keys: keyDescriptor(SHA1_CERT) })));
    const warnings = lintIdpMetadata(md, Date.parse('2015-01-01T00:00:00Z'));
    assert.deepEqual(warnings, ['The signing certificate is itself signed with SHA-1 (or MD5), an outdated algorithm. Ask the identity provider for a certificate signed with SHA-256.']);
    const mixed = parsed(entity('urn:idp', idpDescriptor({ keys: keyDescriptor(SHA1_CERT) + keyDescriptor(SHA256_CERT) })));
    assert.ok(!lintIdpMetadata(mixed, Date.parse('2015-01-01T00:00:00Z')).some((w) => w.includes('SHA-1')));
  });

  test('plain HTTP single sign-on URLs, except localhost and 127.0.0.1', () => {
    const services = sso(REDIRECT, 'http://idp.example.com/sso') + sso(POST, 'http://idp.example.com/sso');
    const md = parsed(entity('urn:idp', idpDescriptor({ services })));
    assert.deepEqual(lintIdpMetadata(md, midLife), [
      'The single sign-on URL http://idp.example.com/sso uses plain HTTP, not HTTPS, so sign-in requests to it travel unencrypted.',
    ]);
    for (const host of ['localhost:8080', '127.0.0.1']) {
      const local = parsed(entity('urn:idp', idpDescriptor({ services: sso(POST, `http://${host}/sso`) })));
      assert.deepEqual(lintIdpMetadata(local, midLife), []);
    }
  });

  test('metadata past its validUntil', () => {
    const md = parsed(vector('crewjam/google-idp-metadata.xml'));
    const warnings = lintIdpMetadata(md, Date.parse('2022-01-01T00:00:00Z'));
    assert.ok(warnings.some((w) => w.includes('"Google" expired on 2021-01-03')));
    assert.ok(warnings.some((w) => w.includes('valid only until 2021-01-03, which has passed')));
  });
});

describe('IdP single logout endpoints (decision 0030)', { skip }, () => {
  test('real metadata: the first HTTP-Redirect and HTTP-POST SingleLogoutService of each IdP; Artifact and SOAP ignored', () => {
    assert.deepEqual(parsed(vector('ssoready/keycloak/metadata.xml')).slo, { postUrl: 'http://localhost:8085/realms/master/protocol/saml', redirectUrl: 'http://localhost:8085/realms/master/protocol/saml' });
    assert.deepEqual(parsed(vector('ssoready/entra/metadata.xml')).slo, { redirectUrl: 'https://login.microsoftonline.com/a9054a0f-2011-4e31-b3ac-fd8c354146ec/saml2' });
    assert.deepEqual(parsed(vector('crewjam/testshib-idp-metadata.xml')).slo, { postUrl: 'https://idp.testshib.org/idp/profile/SAML2/POST/SLO', redirectUrl: 'https://idp.testshib.org/idp/profile/SAML2/Redirect/SLO' });
    assert.deepEqual(parsed(vector('ssoready/entra/metadata.xml')).sloResponse, {});
  });

  test('a ResponseLocation is kept beside its Location, for LogoutResponses', () => {
    const xml = vector('ssoready/pingone/metadata.xml').replace(
      /<md:SingleLogoutService Location="([^"]+)" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"\/>/,
      '<md:SingleLogoutService Location="$1" ResponseLocation="https://auth.example.test/slo/response" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"/>',
    );
    const md = parsed(xml);
    assert.equal(md.slo.redirectUrl, 'https://auth.pingone.com/3030059e-440b-4ad0-9217-44326f1757f6/saml20/idp/slo');
    assert.deepEqual(md.sloResponse, { redirectUrl: 'https://auth.example.test/slo/response' });
  });
});
