/** Redirect URIs are matched exactly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAllowedRedirect } from './redirect-urls.ts';

test('redirect URIs match exactly: scheme, host, port, path and query', () => {
  const allowed = ['https://app.test/cb', 'http://localhost:3000/callback?x=1'];
  assert.equal(isAllowedRedirect('https://app.test/cb', allowed), true);
  assert.equal(isAllowedRedirect('HTTPS://APP.TEST:443/cb', allowed), true, 'case of scheme/host and the default port are normalised');
  assert.equal(isAllowedRedirect('http://localhost:3000/callback?x=1', allowed), true);
  for (const u of ['https://app.test/cb/', 'https://app.test/cb?y=2', 'https://app.test:444/cb', 'http://app.test/cb', 'https://app.test.evil.com/cb', 'https://app.test/cb#f', 'https://app.test/CB', 'javascript:alert(1)']) {
    assert.equal(isAllowedRedirect(u, allowed), false, u);
  }
});
