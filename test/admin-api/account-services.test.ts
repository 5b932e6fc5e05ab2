/**
 * The portal's own resources (accounts, branding, portal SSO, API keys) are guarded and audited by their
 * services, not by the routes: the first owner made from ADMIN_EMAIL at boot is audited as the system, and a
 * caller that is not a portal account (an API key) is refused by the service itself.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAdminGatehouse, login, type AdminClient } from './support.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';
import { createAdmin, ensureBootstrapAdmin } from '../../src/admin/accounts.ts';
import { updateBranding } from '../../src/admin/branding.ts';
import { GatehouseError } from '../../src/errors.ts';
import type { Caller } from '../../src/policy/caller.ts';

describe('admin account services own their policy and audit', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient;
  before(async () => {
    const s = await startAdminGatehouse({ env: { ADMIN_EMAIL: 'first@example.com', ADMIN_PASSWORD: 'correct horse battery staple' } });
    gh = s.gh;
    assert.equal(await ensureBootstrapAdmin(gh.ctx), 'created');
    owner = await login(gh, 'first@example.com', 'correct horse battery staple');
  });
  after(() => gh.close());

  test('the bootstrap owner (ADMIN_EMAIL) is in the audit log, created by the system', async () => {
    const events = (await owner.req('GET', '/api/admin/audit?action=admin.account.created')).json().data as { actor: { type: string; label: string }; after?: unknown; summary?: unknown }[];
    assert.equal(events.length, 1);
    assert.equal(events[0]!.actor.type, 'system');
    assert.equal(events[0]!.actor.label, 'Bootstrap (ADMIN_EMAIL)');
    assert.equal(await ensureBootstrapAdmin(gh.ctx), 'exists');
    assert.equal((await owner.req('GET', '/api/admin/audit?action=admin.account.created')).json().data.length, 1, 'a restart audits nothing more');
  });

  test('an API key reaching an account or branding service is refused there, and nothing is stored or audited', async () => {
    const key: Caller = { type: 'api_key', id: 'key_x', label: 'automation', scope: null };
    await assert.rejects(createAdmin(gh.ctx, key, { email: 'sneaky@example.com', role: 'owner' }), (e) => e instanceof GatehouseError && e.code === 'ADMIN_FORBIDDEN');
    await assert.rejects(updateBranding(gh.ctx, key, { productName: 'Pwned' }), (e) => e instanceof GatehouseError && e.code === 'ADMIN_FORBIDDEN');
    assert.equal((await owner.req('GET', '/api/admin/admins')).json().data.some((a: { email: string }) => a.email === 'sneaky@example.com'), false);
    assert.notEqual((await owner.req('GET', '/api/branding')).json().productName, 'Pwned');
    assert.equal((await owner.req('GET', '/api/admin/audit?action=admin.branding.updated')).json().data.length, 0);
  });

  test('through the admin API the same services audit the caller', async () => {
    assert.equal((await owner.req('POST', '/api/admin/admins', { email: 'second@example.com', role: 'viewer' })).statusCode, 201);
    assert.equal((await owner.req('PUT', '/api/admin/settings/branding', { productName: 'Vendor' })).statusCode, 200);
    for (const action of ['admin.account.created', 'admin.branding.updated']) {
      const rows = (await owner.req('GET', `/api/admin/audit?action=${action}&actor=first@example.com`)).json().data;
      assert.equal(rows.length, 1, action);
    }
  });
});
