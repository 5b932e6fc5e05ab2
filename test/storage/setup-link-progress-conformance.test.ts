/**
 * The setup-link progress repository on each dialect: each milestone set once by a conditional UPDATE (concurrent
 * first writers: exactly one wins), the latest test kept, the SCIM milestones by scope, and the status filter's
 * SQL selecting exactly the rows the pure status rules give.
 */
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/each-dialect.ts';
import { NO_PROGRESS, setupLinkProgressRepo as repo, setupLinksRepo, type SetupLinkRow } from '../../src/storage/index.ts';
import { setupStatus, statusFilter, SETUP_STATUSES } from '../../src/setup-links/progress.ts';

const now = 1_790_000_000_000;
const link = (id: string, over: Partial<SetupLinkRow> = {}): SetupLinkRow => ({
  id, service: 'sso', tenant: `t-${id}`, product: 'crm', name: '', description: '', token_hash: `hash-${id}`, token_enc: 'x', defaults: '{}',
  expires_at: now + 86_400_000, created_by: 'test', created_at: now, updated_at: now, ...NO_PROGRESS, ...over,
});

describeEachDialect('setup-link progress repository', (suite) => {
  const { dialect, it } = suite;
  const db = () => suite.opened.db;
  const row = async (id: string) => (await setupLinksRepo.findById(db(), id))!;

  it('a milestone is set once: of concurrent first writers exactly one wins, repeats change nothing', async () => {
    await setupLinksRepo.replace(db(), link('a'));
    const wins = await Promise.all([1, 2, 3, 4].map((i) => repo.markOnce(db(), dialect, 'a', 'opened_at', now + i)));
    assert.equal(wins.filter(Boolean).length, 1);
    const first = (await row('a')).opened_at;
    assert.equal(await repo.markOnce(db(), dialect, 'a', 'opened_at', now + 99), false);
    assert.equal(Number((await row('a')).opened_at), Number(first));
  });

  it('the latest test is kept; the first success completes; an older result arriving late changes nothing', async () => {
    await setupLinksRepo.replace(db(), link('b'));
    await repo.recordTest(db(), dialect, 'b', now + 10, false, 'Audience');
    await repo.recordTest(db(), dialect, 'b', now + 20, true, null);
    await repo.recordTest(db(), dialect, 'b', now + 30, false, 'Signature');
    await repo.recordTest(db(), dialect, 'b', now + 25, true, null); // late
    const r = await row('b');
    assert.deepEqual([Number(r.last_test_at), Number(r.last_test_ok), r.last_test_reason, Number(r.completed_at)], [now + 30, 0, 'Signature', now + 20]);
  });

  it('SCIM: the Directory Sync link of the directory\'s scope records its first request and first push, once', async () => {
    await setupLinksRepo.replace(db(), link('c', { service: 'dsync', tenant: 'acme.com' }));
    await setupLinksRepo.replace(db(), link('d', { service: 'sso', tenant: 'acme.com' }));
    assert.equal(await repo.scimRequest(db(), dialect, { tenant: 'acme.com', product: 'crm' }, now + 1, false), 1);
    assert.equal(await repo.scimRequest(db(), dialect, { tenant: 'acme.com', product: 'crm' }, now + 2, true), 1);
    assert.equal(await repo.scimRequest(db(), dialect, { tenant: 'acme.com', product: 'crm' }, now + 3, true), 0);
    assert.equal(await repo.scimRequest(db(), dialect, { tenant: 'other.com', product: 'crm' }, now + 4, true), 0);
    const c = await row('c');
    assert.deepEqual([Number(c.first_scim_request_at), Number(c.completed_at)], [now + 1, now + 2]);
    assert.equal((await row('d')).completed_at, null, 'the SSO link of the same scope is not touched');
  });

  it('the status filter selects exactly the rows of each status', async () => {
    const shapes: Partial<SetupLinkRow>[] = [
      {}, { opened_at: now }, { opened_at: now, created_resource_at: now },
      { opened_at: now, last_test_at: now, last_test_ok: 0 },
      { opened_at: now, created_resource_at: now, last_test_at: now, last_test_ok: 1, completed_at: now },
      { opened_at: now, created_resource_at: now, last_test_at: now + 1, last_test_ok: 0, completed_at: now },
      { opened_at: now, created_resource_at: now, first_scim_request_at: now },
      { created_resource_at: now, first_scim_request_at: now, completed_at: now },
    ];
    for (const service of ['sso', 'dsync'] as const) {
      const product = `filter-${service}`;
      const rows = shapes.map((over, i) => link(`${service}-${i}`, { service, product, ...over }));
      for (const r of rows) await setupLinksRepo.replace(db(), r);
      for (const status of SETUP_STATUSES) {
        const q = { service, product, progress: statusFilter(service, status) };
        const got = (await setupLinksRepo.list(db(), { ...q, offset: 0, limit: 100 })).map((r) => r.id).sort();
        const want = rows.filter((r) => setupStatus(service, r) === status).map((r) => r.id).sort();
        assert.deepEqual(got, want, `${service} ${status}`);
        assert.equal(await setupLinksRepo.count(db(), q), want.length);
      }
    }
  });
});
