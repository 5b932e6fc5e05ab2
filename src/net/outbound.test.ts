/** The outbound URL guard: HTTPS to public hosts only, unless allow-listed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutboundUrl } from './outbound.ts';

const policy = { allowHosts: ['127.0.0.1', 'localhost'], timeoutMs: 1000 };

test('outbound URLs: HTTPS to public hosts only, unless the host is allow-listed', async () => {
  await assert.rejects(checkOutboundUrl('http://example.com/md', { allowHosts: [], timeoutMs: 1000 }, 'metadataUrl'), /https/);
  await assert.rejects(checkOutboundUrl('https://127.0.0.1/md', { allowHosts: [], timeoutMs: 1000 }, 'metadataUrl'), /private or loopback/);
  await assert.rejects(checkOutboundUrl('https://[::1]/md', { allowHosts: [], timeoutMs: 1000 }, 'metadataUrl'), /private or loopback/);
  await assert.rejects(checkOutboundUrl('ftp://x/md', policy, 'metadataUrl'), /https/);
  const ok = await checkOutboundUrl('http://127.0.0.1:7000/md', policy, 'metadataUrl');
  assert.equal(ok.address, '127.0.0.1');
});
