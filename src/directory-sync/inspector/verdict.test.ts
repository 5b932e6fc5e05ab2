import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildVerdict, idpName } from './verdict.ts';
import { bounded, redact, redactedAnswer, redactFilter, redactQuery, REDACTED } from './redact.ts';
import { requestNotes } from '../scim/leniency.ts';
import { cutPoint } from './recorder.ts';

test('the issue\'s three verdicts, from typed facts', () => {
  const entra = buildVerdict({ method: 'PATCH', status: 200, directoryType: 'azure-scim-v2', outcome: { kind: 'updated', resource: 'User', changed: true, active: false }, notes: [{ kind: 'booleanString', attr: 'active', sent: 'False', as: false }], refusal: null });
  assert.equal(entra.text, 'Deactivated the user. Entra sent `active` as the string "False": accepted as false.');
  assert.equal(entra.outcome, 'accepted');
  const okta = buildVerdict({ method: 'PUT', status: 200, directoryType: 'okta-scim-v2', outcome: { kind: 'updated', resource: 'Group', changed: true, renamed: false, members: { replaced: true, added: 3, removed: 1, pending: 0 } }, notes: [], refusal: null });
  assert.equal(okta.text, 'Okta replaced the group\'s members with PUT: 3 added, 1 removed.');
  const refused = buildVerdict({ method: 'GET', status: 400, directoryType: 'generic-scim-v2', outcome: null, notes: [], refusal: { code: 'SCIM_INVALID_FILTER', detail: 'The filter `userName eq` has no value.' } });
  assert.equal(refused.text, 'Refused: the filter `userName eq` has no value.');
  assert.equal(refused.outcome, 'refused');
  assert.equal(buildVerdict({ method: 'POST', status: 500, directoryType: 'x', outcome: null, notes: [], refusal: null }).outcome, 'failed');
  assert.equal(idpName('generic-scim-v2'), 'The identity provider');
  assert.match(buildVerdict({ method: 'GET', status: 429, directoryType: 'x', outcome: null, notes: [], refusal: null }).text, /^Refused: too many requests/);
});

test('leniency notes come from what was sent', () => {
  assert.deepEqual(requestNotes({ kind: 'User', method: 'PATCH', body: { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] } }).map((n) => n.kind), ['booleanString', 'opNameCase']);
  assert.deepEqual(requestNotes({ kind: 'User', method: 'PATCH', body: { Operations: [{ op: 'replace', path: 'active', value: false }] } }), []);
  assert.deepEqual(requestNotes({ kind: 'User', method: 'POST', body: { userName: 'a', password: 'p', nickName: null, schemas: ['urn:bogus'] } }).map((n) => n.kind), ['unknownSchema', 'passwordDropped', 'nullsUnassigned']);
  assert.deepEqual(requestNotes({ kind: 'Group', method: 'PUT', body: { displayName: 'x' } }).map((n) => n.kind), ['groupPutKeepsMembers']);
  assert.deepEqual(requestNotes({ kind: 'User', method: 'GET', body: undefined, filter: 'externalId eq jyoung' }), [{ kind: 'unquotedFilterValue', attrs: ['externalId'] }]);
  assert.deepEqual(requestNotes({ kind: 'User', method: 'GET', body: undefined, filter: 'userName eq "a" and active eq true' }), []);
});

test('redaction: secret keys, PATCH paths that name a secret, credential-shaped values, filters and queries', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl';
  const out = redact({ userName: 'a', password: 'p1', 'urn:x:User:Password': 'p2', nested: { clientSecret: 's', note: jwt, auth: 'Bearer abcdefgh12345' }, Operations: [{ op: 'replace', path: 'password', value: 'p3' }, { op: 'replace', path: 'nickName', value: 'ok' }] }) as any;
  assert.equal(out.userName, 'a');
  for (const v of [out.password, out['urn:x:User:Password'], out.nested.clientSecret, out.nested.note, out.nested.auth, out.Operations[0].value]) assert.equal(v, REDACTED);
  assert.equal(out.Operations[1].value, 'ok');
  assert.equal(redactFilter('password eq "hunter2"'), `password eq "${REDACTED}"`);
  assert.equal(redactFilter('userName eq "bob"'), 'userName eq "bob"');
  assert.deepEqual(redactQuery({ filter: 'userName eq "bob"', access_token: 'x', count: 5 }), { filter: 'userName eq "bob"', access_token: REDACTED, count: '5' });
  assert.deepEqual(bounded({ a: 'x'.repeat(50) }, 20), { truncated: true, length: 58, start: '{"a":"xxxxxxxxxxxxxx' });
  assert.equal(bounded(undefined, 20), null);
});

test('cutPoint: by count, by bytes, or nothing', () => {
  const sizes = [1, 2, 3, 4].map((i) => ({ at: 10 - i, id: `i${i}`, bytes: 10 }));
  assert.equal(cutPoint(sizes, 2, 1000)!.id, 'i3');
  assert.equal(cutPoint(sizes, 10, 25)!.id, 'i3');
  assert.equal(cutPoint(sizes, 10, 1000), null);
});

test('answers: kept as sent when nothing could be secret, redacted otherwise, cut when long', () => {
  assert.equal(redactedAnswer('{"userName":"a"}', 100), '{"userName":"a"}');
  assert.deepEqual(JSON.parse(redactedAnswer('{"userName":"a","apiToken":"t0k3n"}', 100)), { userName: 'a', apiToken: REDACTED });
  assert.equal(redactedAnswer('', 100), 'null');
  assert.equal(redactedAnswer('Not JSON', 100), '"Not JSON"');
  assert.equal(JSON.parse(redactedAnswer(`{"a":"${'x'.repeat(200)}"}`, 50)).truncated, true);
});
