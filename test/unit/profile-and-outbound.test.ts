import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapProfile } from '../../src/sso/profile.ts';
import { checkOutboundUrl } from '../../src/net/outbound.ts';
import { isPrivateAddress } from '../../src/net/outbound-address.ts';
import { parseTenantProductClientId } from '../../src/oauth/client.ts';
import { isAllowedRedirect } from '../../src/sso/redirect-urls.ts';

const policy = { allowHosts: ['127.0.0.1', 'localhost'], timeoutMs: 1000 };

for (const [name, attributes] of [
  ['plain names (Okta, Google)', { email: ['a@x.com'], firstName: ['Ann'], lastName: ['Lee'] }],
  ['LDAP names (Keycloak, JumpCloud)', { mail: ['a@x.com'], givenName: ['Ann'], sn: ['Lee'] }],
  ['OID names (Shibboleth, Ping)', { 'urn:oid:0.9.2342.19200300.100.1.3': ['a@x.com'], 'urn:oid:2.5.4.42': ['Ann'], 'urn:oid:2.5.4.4': ['Lee'] }],
  ['claim URIs (Entra ID, ADFS)', { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': ['a@x.com'], 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname': ['Ann'], 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname': ['Lee'] }],
] as const) {
  test(`default mapping reads ${name}`, () => {
    const r = mapProfile({ subject: 'opaque-id', subjectFormat: null, attributes: attributes as unknown as Record<string, string[]> });
    assert.ok(r.ok);
    assert.equal(r.profile.email, 'a@x.com');
    assert.equal(r.profile.firstName, 'Ann');
    assert.equal(r.profile.lastName, 'Lee');
    assert.equal(r.profile.id, 'opaque-id');
  });
}

test('email falls back to an email-format NameID; names are optional; raw is keyed by the name as sent', () => {
  const r = mapProfile({ subject: 'bob@x.com', subjectFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', attributes: { 'Department': ['R&D'], groups: ['a', 'b'] } });
  assert.ok(r.ok);
  assert.equal(r.profile.email, 'bob@x.com');
  assert.equal(r.profile.firstName, null);
  assert.deepEqual(r.profile.groups, ['a', 'b']);
  assert.deepEqual(r.profile.raw, { Department: 'R&D', groups: ['a', 'b'] });
});

test('per-connection overrides win over the defaults; a missing email is a clear error', () => {
  const r = mapProfile({ subject: 'u1', subjectFormat: null, attributes: { workMail: ['w@x.com'], email: ['home@x.com'] }, mapping: { email: 'workMail' } });
  assert.ok(r.ok && r.profile.email === 'w@x.com');
  const bad = mapProfile({ subject: 'u1', subjectFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', attributes: { uid: ['u1'] } });
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.code, 'SAML_EMAIL_MISSING');
  assert.match(!bad.ok ? bad.detail : '', /uid/);
});

test('private, loopback and link-local addresses are recognised', () => {
  for (const a of ['::ffff:10.0.0.1', '10.0.0.1', '127.0.0.1', '169.254.169.254', '172.16.5.4', '192.168.1.1', '::1', 'fe80::1', 'fd00::1', '100.64.0.1']) assert.equal(isPrivateAddress(a), true, a);
  for (const a of ['93.184.216.34', '2606:4700::1111', '8.8.8.8']) assert.equal(isPrivateAddress(a), false, a);
});

test('outbound URLs: HTTPS to public hosts only, unless the host is allow-listed', async () => {
  await assert.rejects(checkOutboundUrl('http://example.com/md', { allowHosts: [], timeoutMs: 1000 }, 'metadataUrl'), /https/);
  await assert.rejects(checkOutboundUrl('https://127.0.0.1/md', { allowHosts: [], timeoutMs: 1000 }, 'metadataUrl'), /private or loopback/);
  await assert.rejects(checkOutboundUrl('https://[::1]/md', { allowHosts: [], timeoutMs: 1000 }, 'metadataUrl'), /private or loopback/);
  await assert.rejects(checkOutboundUrl('ftp://x/md', policy, 'metadataUrl'), /https/);
  const ok = await checkOutboundUrl('http://127.0.0.1:7000/md', policy, 'metadataUrl');
  assert.equal(ok.address, '127.0.0.1');
});

test('redirect URIs match exactly: scheme, host, port, path and query', () => {
  const allowed = ['https://app.test/cb', 'http://localhost:3000/callback?x=1'];
  assert.equal(isAllowedRedirect('https://app.test/cb', allowed), true);
  assert.equal(isAllowedRedirect('HTTPS://APP.TEST:443/cb', allowed), true, 'case of scheme/host and the default port are normalised');
  assert.equal(isAllowedRedirect('http://localhost:3000/callback?x=1', allowed), true);
  for (const u of ['https://app.test/cb/', 'https://app.test/cb?y=2', 'https://app.test:444/cb', 'http://app.test/cb', 'https://app.test.evil.com/cb', 'https://app.test/cb#f', 'https://app.test/CB', 'javascript:alert(1)']) {
    assert.equal(isAllowedRedirect(u, allowed), false, u);
  }
});

test('the tenant/product client_id form is parsed from its URL encoding', () => {
  assert.deepEqual(parseTenantProductClientId('tenant=acme.com&product=crm'), { tenant: 'acme.com', product: 'crm' });
  assert.deepEqual(parseTenantProductClientId('tenant=a%26b&product=p'), { tenant: 'a&b', product: 'p' });
  assert.equal(parseTenantProductClientId('tenant=acme.com'), null);
  assert.equal(parseTenantProductClientId('4f2c'), null);
});
