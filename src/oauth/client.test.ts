/** The app-facing client_id forms. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTenantProductClientId } from './client.ts';

test('the tenant/product client_id form is parsed from its URL encoding', () => {
  assert.deepEqual(parseTenantProductClientId('tenant=acme.com&product=crm'), { tenant: 'acme.com', product: 'crm' });
  assert.deepEqual(parseTenantProductClientId('tenant=a%26b&product=p'), { tenant: 'a&b', product: 'p' });
  assert.equal(parseTenantProductClientId('tenant=acme.com'), null);
  assert.equal(parseTenantProductClientId('4f2c'), null);
});
