/**
 * Conformance of the portal overview's queries and of "Retry now" on SQLite, PostgreSQL and MySQL/MariaDB: the counts,
 * the SSO failures since a time, the setup links still waiting for their customer (live, with nothing made for their
 * tenant and product; soonest to expire first), and dueNow, which moves only a pending event of its own directory.
 */
import assert from 'node:assert/strict';
import { connectionsRepo, directoriesRepo, directoryEventsRepo, NO_PROGRESS, setupLinksRepo, type ConnectionRow, type SetupLinkRow } from '../../src/storage/index.ts';
import { overviewRepo } from '../../src/storage/repositories/overview.ts';
import { ssoTracesRepo } from '../../src/storage/repositories/sso-traces.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;
const DAY = 86_400_000;

const link = (id: string, service: 'sso' | 'dsync', tenant: string, expiresIn: number): SetupLinkRow => ({
  id, service, tenant, product: 'crm', name: `Link ${id}`, description: '', token_hash: `hash-${id}`, token_enc: 'v1.kid.iv.ct.tag',
  defaults: '{}', expires_at: now + expiresIn, created_by: 'adm_1', created_at: now, updated_at: now, ...NO_PROGRESS,
});
const connection = (id: string, tenant: string, active = 1): ConnectionRow => ({
  id, tenant, product: 'crm', kind: 'saml', name: id, description: '', idp_entity_id: `https://idp/${id}`, idp_key: `key-${id}`, redirect_urls: '[]',
  default_redirect_url: 'https://app.example/cb', settings: '{}', client_secret_enc: 'v1.kid.iv.ct.tag', client_secret_mac: null, active, sort_order: 0, created_at: now, updated_at: now, version: 1, backchannel_logout_uri: null,
});

describeEachDialect('overview storage conformance', (s) => {
  const { it } = s;

  it('counts, failures since a time, and the setup links waiting for their customer', async () => {
    const db = s.opened.db;
    await connectionsRepo.insert(db, connection('c-acme', 'acme.com'));
    await connectionsRepo.insert(db, connection('c-off', 'initech.com', 0));
    await directoriesRepo.insert(db, { id: 'd-acme', tenant: 'acme.com', product: 'crm', name: 'Acme', type: 'okta-scim-v2', webhook_url: '', webhook_secret_enc: '', scim_secret_hash: 'h1', scim_secret_sealed: null, log_webhook_events: 1, deactivated: 0, created_at: now, updated_at: now });
    for (const [id, at] of [['t1', now - 2 * DAY], ['t2', now - 3_600_000], ['t3', now - 60_000]] as const) {
      await ssoTracesRepo.insert(db, { id, at, kind: 'saml', connection_id: 'c-acme', tenant: 'acme.com', product: 'crm', code: 'SAML_EXPIRED', message: 'expired', detail: null, saml_response: null });
    }
    // acme has a connection and a directory; globex nothing; umbrella's link has expired.
    await setupLinksRepo.replace(db, link('l-acme-sso', 'sso', 'acme.com', DAY));
    await setupLinksRepo.replace(db, link('l-acme-dsync', 'dsync', 'acme.com', DAY));
    await setupLinksRepo.replace(db, link('l-globex-dsync', 'dsync', 'globex.com', 2 * DAY));
    await setupLinksRepo.replace(db, link('l-globex-sso', 'sso', 'globex.com', DAY));
    await setupLinksRepo.replace(db, link('l-umbrella', 'sso', 'umbrella.com', -1));

    assert.deepEqual(await overviewRepo.counts(db), { connections: 2, directories: 1, tenants: 0, products: 0, directory_users: 0, activeConnections: 1 });
    assert.equal(await overviewRepo.ssoFailuresSince(db, now - DAY), 2);
    const waiting = await overviewRepo.awaitingCustomer(db, now, 10);
    assert.deepEqual(waiting.map((l) => [l.id, l.service, Number(l.expires_at)]), [['l-globex-sso', 'sso', now + DAY], ['l-globex-dsync', 'dsync', now + 2 * DAY]]);
    assert.equal((await overviewRepo.awaitingCustomer(db, now, 1)).length, 1);
  });

  it('dueNow moves a pending event of its directory only', async () => {
    const db = s.opened.db;
    const ev = (id: string, status: 'pending' | 'delivered', directory_id = 'd-acme') => ({ id, directory_id, resource_key: `u:${id}`, event: 'user.created', payload: '{}', status, attempts: 1, next_attempt_at: now + 600_000, deadline_at: now + DAY, lease_owner: null, lease_until: null, last_status: 503, last_error: null, created_at: now, delivered_at: null });
    await directoryEventsRepo.append(db, [ev('e-pending', 'pending'), ev('e-done', 'delivered')]);
    assert.equal(await directoryEventsRepo.dueNow(db, 'd-other', 'e-pending', now), 0, 'another directory\'s id does not reach it');
    assert.equal(await directoryEventsRepo.dueNow(db, 'd-acme', 'e-done', now), 0, 'a delivered event stays as it is');
    assert.equal(await directoryEventsRepo.dueNow(db, 'd-acme', 'e-pending', now + 5), 1);
    assert.equal(Number((await directoryEventsRepo.findById(db, 'e-pending'))!.next_attempt_at), now + 5);
  });
});
