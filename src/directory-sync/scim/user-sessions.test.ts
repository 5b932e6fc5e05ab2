import { test } from 'node:test';
import assert from 'node:assert/strict';
import { directoryUserMatch } from './user-sessions.ts';
import { nameidKeyOf } from '../../oauth/sessions.ts';

const dir = { tenant: 'acme.com', product: 'crm' };

test('emails (lowercased), userName and externalId (case-insensitive keys); userName as an email when it is one', () => {
  const m = directoryUserMatch(dir, {
    user_name: 'Test.User@Okta.local', external_id: '00ujl29u0le5T6Aj10h7',
    raw: JSON.stringify({ displayName: 'Test User', name: { givenName: 'Test' }, emails: [{ value: 'Work@Acme.com', primary: true }, { value: 'home@example.org' }, { value: 42 }, null] }),
  });
  assert.equal(m.tenant, 'acme.com');
  assert.equal(m.product, 'crm');
  assert.deepEqual(m.emails, ['work@acme.com', 'home@example.org', 'test.user@okta.local']);
  assert.ok(m.nameidKeys.includes(nameidKeyOf('test.user@okta.local')));
  assert.ok(m.nameidKeys.includes(nameidKeyOf('00UJL29U0LE5T6AJ10H7')), 'externalId, case-insensitively');
  assert.ok(m.nameidKeys.includes(nameidKeyOf('work@acme.com')), 'an email is also a NameID (emailAddress format)');
  assert.ok(!m.nameidKeys.includes(nameidKeyOf('Test User')), 'never the display name');
});

test('a userName that is no email is a NameID only; no externalId, no emails', () => {
  const m = directoryUserMatch(dir, { user_name: 'Test_User_ab6490ee', external_id: null, raw: '{}' });
  assert.deepEqual(m.emails, []);
  assert.deepEqual(m.nameidKeys, [nameidKeyOf('Test_User_ab6490ee')]);
});
