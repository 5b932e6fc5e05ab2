/**
 * Jackson's store rows → typed records (pure): directories found for groups (and for users older Jackson stored
 * without their directory id) through Jackson's `directoryId` index, setup-link tokens and redirect URLs as Jackson
 * keeps them, the SP key under its digest key, and unreadable records reported instead of dropped silently.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyDigest, jacksonKeyOf } from './jackson-store.ts';
import { recordsOf } from './records.ts';

const row = (namespace: string, id: string, value: unknown) => ({ namespace, key: `${namespace}:${keyDigest(id)}`, value, createdAt: 1 });
const dir = { id: 'd1', tenant: 't', product: 'p', name: 'D', type: 'generic-scim-v2', webhook: { endpoint: 'https://app/hook', secret: 'whsec' }, scim: { path: '/api/scim/v2.0/d1', secret: 'scim' } };

test('users and groups are tied to their directory (through the index when the value does not say), members to their group', () => {
  const dump = {
    rows: [
      row('dsync:config', 'd1', dir),
      row('dsync:users:t:p', 'u1', { id: 'u1', raw: { userName: 'a@t' } }),
      row('dsync:users:t:p', 'u2', { id: 'u2', directoryId: 'd1', raw: { userName: 'b@t' } }),
      row('dsync:users:t:p', 'u3', { id: 'u3', raw: { userName: 'c@t' } }),
      row('dsync:groups:t:p', 'g1', { id: 'g1', name: 'G', raw: { displayName: 'G' } }),
      row('dsync:members:t:p', 'm1', { id: 'm1', group_id: 'g1', user_id: 'u1' }),
      row('x509:certificates', 'default', { publicKey: 'CERT', privateKey: 'KEY' }),
      row('setup:link', 's1', { setupID: 's1', tenant: 't', product: 'p', service: 'sso', validTill: 5.5, url: 'https://j/setup/tok123', redirectUrl: '["https://app/cb"]', defaultRedirectUrl: 'https://app/cb' }),
      row('saml:config', 'c1', { clientID: 'c1', clientSecret: 's', tenant: 't', product: 'p', redirectUrl: ['https://app/cb'], idpMetadata: { entityID: 'https://idp', sso: { postUrl: 'https://idp/sso' }, publicKey: 'MIIA' } }),
      row('saml:config', 'broken', { tenant: 't' }),
    ],
    index: new Map([
      [`dsync:users:t:p:directoryId:${keyDigest('d1')}`, [`dsync:users:t:p:${keyDigest('u1')}`]],
      [`dsync:groups:t:p:directoryId:${keyDigest('d1')}`, [`dsync:groups:t:p:${keyDigest('g1')}`]],
    ]),
  };
  const r = recordsOf(dump);
  assert.deepEqual(r.users.map((u) => [u.id, u.directoryId]), [['u1', 'd1'], ['u2', 'd1']]);
  assert.deepEqual(r.groups.map((g) => [g.id, g.directoryId]), [['g1', 'd1']]);
  assert.deepEqual(r.memberships, [{ directoryId: 'd1', groupId: 'g1', userId: 'u1' }]);
  assert.deepEqual(r.spKey, { certPem: 'CERT', privateKeyPem: 'KEY' });
  assert.deepEqual([r.setupLinks[0]!.token, r.setupLinks[0]!.redirectUrl, r.setupLinks[0]!.validTill], ['tok123', ['https://app/cb'], 5]);
  assert.deepEqual(r.directories.map((d) => [d.id, d.scimSecret, d.webhookSecret]), [['d1', 'scim', 'whsec']]);
  assert.deepEqual(r.connections.map((c) => [c.kind, c.clientID, c.kind === 'saml' ? c.idp.certificates : null]), [['saml', 'c1', ['MIIA']]]);
  assert.equal(r.unreadable.length, 2, 'the user without a directory and the broken connection');
});

test('DB_ENCRYPTION_KEY is read as Jackson reads it: 32 characters as bytes, else base64 of 32 bytes', () => {
  assert.deepEqual(jacksonKeyOf('a'.repeat(32)), Buffer.from('a'.repeat(32), 'latin1'));
  assert.equal(jacksonKeyOf(Buffer.alloc(32, 7).toString('base64')).length, 32);
  assert.throws(() => jacksonKeyOf('short'), /32 characters/);
});
