/** What the access log keeps of a request URL (src/http/redact-url.ts): no link tokens, secrets or directory data. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from './redact-url.ts';

test('SCIM filter values (directory data) stay out; other parameters stay as sent', () => {
  assert.equal(redactUrl('/api/scim/v2.0/d/Users?filter=userName%20eq%20%22ann%40acme.com%22&count=5'), '/api/scim/v2.0/d/Users?filter=[redacted]&count=5');
  assert.equal(redactUrl('/api/oauth/authorize?client_id=c1&state=s&redirect_uri=https%3A%2F%2Fapp'), '/api/oauth/authorize?client_id=c1&state=s&redirect_uri=https%3A%2F%2Fapp');
});

test('every secret-bearing parameter is redacted, whatever the case or percent-encoding of its name', () => {
  for (const name of ['access_token', 'refresh_token', 'id_token_hint', 'logout_token', 'code', 'code_verifier', 'client_secret', 'SAMLResponse', 'SAMLRequest', 'Signature', 'token', 'login_hint']) {
    assert.equal(redactUrl(`/x?a=1&${name}=SECRET&b=2`), `/x?a=1&${name}=[redacted]&b=2`, name);
  }
  assert.equal(redactUrl('/x?%61ccess_token=SECRET'), '/x?%61ccess_token=[redacted]');
  assert.equal(redactUrl('/x?ACCESS_TOKEN=SECRET'), '/x?ACCESS_TOKEN=[redacted]');
  assert.equal(redactUrl('/x?%E0%A4%A=SECRET'), '/x?%E0%A4%A=[redacted]', 'a name that does not decode: its value is not logged');
  assert.equal(redactUrl('/api/oauth/logout?id_token_hint=eyJhbGciOi.eyJzdWIi.sig&post_logout_redirect_uri=x'), '/api/oauth/logout?id_token_hint=[redacted]&post_logout_redirect_uri=x');
});

test('a link token in the path is redacted in every form the router or a mistyping could give it', () => {
  assert.equal(redactUrl('/setup/TOKEN123'), '/setup/[redacted]');
  assert.equal(redactUrl('/api/setup/TOKEN123/connections?x=1'), '/api/setup/[redacted]/connections?x=1');
  assert.equal(redactUrl('/portal/TOKEN123'), '/portal/[redacted]');
  assert.equal(redactUrl('/%73etup/TOKEN123'), '/setup/[redacted]');
  assert.equal(redactUrl('//setup/TOKEN123'), '/setup/[redacted]');
  assert.equal(redactUrl('/Setup/TOKEN123'), '/Setup/[redacted]');
  assert.equal(redactUrl('/api//SETUP/TOKEN123/x'), '/api/SETUP/[redacted]/x');
  assert.equal(redactUrl('/setup/%E0%A4%A'), '/[redacted]', 'a path that does not decode is not logged');
  assert.equal(redactUrl('/setup'), '/setup', 'no token segment, nothing to redact');
  assert.equal(redactUrl('/admin/setup/x'), '/admin/setup/x', 'only the link surfaces carry a token in the path');
});
