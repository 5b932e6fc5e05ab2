/** The default attribute mapping and per-connection overrides (pure). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapProfile } from './profile.ts';

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
