/** The pure subject function (src/sso/subjects.ts): the one switch between per-connection and raw NameID subjects. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subjectFor } from './subjects.ts';

const key = Buffer.alloc(32, 7);

test('per-connection subjects differ by connection, key and NameID, and are deterministic', () => {
  const s = (connectionId: string, nameId: string, k = key) => subjectFor({ mode: 'per-connection', key: k, connectionId, nameId });
  assert.equal(s('conn-a', 'alice@acme.com'), s('conn-a', 'alice@acme.com'));
  assert.notEqual(s('conn-a', 'alice@acme.com'), s('conn-b', 'alice@acme.com'));
  assert.notEqual(s('conn-a', 'alice@acme.com'), s('conn-a', 'bob@acme.com'));
  assert.notEqual(s('conn-a', 'alice@acme.com'), s('conn-a', 'alice@acme.com', Buffer.alloc(32, 8)));
  // The connection id is length-prefixed, so shifting characters between the two parts changes the subject.
  assert.notEqual(s('ab', ':c'), s('ab:', 'c'));
  assert.match(s('conn-a', 'alice@acme.com'), /^[A-Za-z0-9_-]{43}$/);
});

test('the nameid mode (JACKSON_COMPAT, issue 13) gives the raw NameID', () => {
  assert.equal(subjectFor({ mode: 'nameid', key, connectionId: 'conn-a', nameId: 'alice@acme.com' }), 'alice@acme.com');
});
