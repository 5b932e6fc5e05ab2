/** What the HTTP app writes to its request logs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from './app.ts';

test('request logs keep SCIM filter values (directory data) out', () => {
  assert.equal(redactUrl('/api/scim/v2.0/d/Users?filter=userName%20eq%20%22ann%40acme.com%22&count=5'), '/api/scim/v2.0/d/Users?filter=[redacted]&count=5');
});
