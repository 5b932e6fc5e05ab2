/** The status a setup link's progress adds up to, and the list filter built from the same rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setupStatus, statusFilter, SETUP_STATUSES, type SetupStatus } from './progress.ts';
import { NO_PROGRESS, type SetupLinkProgressFields } from '../storage/index.ts';

const at = 1_790_000_000_000;
const p = (over: Partial<SetupLinkProgressFields>): SetupLinkProgressFields => ({ ...NO_PROGRESS, ...over });

test('SSO: Not opened → Opened → Configured → Tested → Live, furthest first', () => {
  assert.equal(setupStatus('sso', p({})), 'not_opened');
  assert.equal(setupStatus('sso', p({ opened_at: at })), 'opened');
  assert.equal(setupStatus('sso', p({ opened_at: at, created_resource_at: at })), 'configured');
  assert.equal(setupStatus('sso', p({ opened_at: at, created_resource_at: at, last_test_at: at, last_test_ok: 0, last_test_reason: 'Audience' })), 'tested');
  assert.equal(setupStatus('sso', p({ opened_at: at, created_resource_at: at, last_test_at: at, last_test_ok: 1, completed_at: at })), 'live');
});

test('SSO: a failed re-test after completion takes Live back to Tested; a later success brings it back', () => {
  const done = { opened_at: at, created_resource_at: at, completed_at: at };
  assert.equal(setupStatus('sso', p({ ...done, last_test_at: at + 1, last_test_ok: 0 })), 'tested');
  assert.equal(setupStatus('sso', p({ ...done, last_test_at: at + 2, last_test_ok: 1 })), 'live');
});

test('SSO: a test of a connection the vendor made counts without a connection made through the link', () => {
  assert.equal(setupStatus('sso', p({ opened_at: at, last_test_at: at, last_test_ok: 0 })), 'tested');
});

test('Directory Sync: the first SCIM request is Tested, the first successful push is Live', () => {
  assert.equal(setupStatus('dsync', p({ opened_at: at, created_resource_at: at })), 'configured');
  assert.equal(setupStatus('dsync', p({ opened_at: at, created_resource_at: at, first_scim_request_at: at })), 'tested');
  assert.equal(setupStatus('dsync', p({ opened_at: at, created_resource_at: at, first_scim_request_at: at, completed_at: at })), 'live');
  // SSO test results do not move a directory link.
  assert.equal(setupStatus('dsync', p({ opened_at: at, last_test_at: at, last_test_ok: 1 })), 'opened');
});

/** The filter as a predicate, evaluated the way SQL will (the repository turns the same conditions into WHERE). */
function matches(f: ReturnType<typeof statusFilter>, row: SetupLinkProgressFields): boolean {
  const reached = (c: { set: keyof SetupLinkProgressFields; lastTestNotFailed?: boolean }) => row[c.set] !== null && !(c.lastTestNotFailed && row.last_test_ok === 0);
  return (!f.reached || reached(f.reached)) && f.notReached.every((c) => !reached(c));
}

test('each status filter selects exactly the rows of that status', () => {
  const vals = [null, at];
  const rows: SetupLinkProgressFields[] = [];
  for (const opened_at of vals) for (const created_resource_at of vals) for (const last_test_at of vals) for (const ok of [0, 1]) for (const first_scim_request_at of vals) for (const completed_at of vals) {
    rows.push(p({ opened_at, created_resource_at, last_test_at, last_test_ok: last_test_at === null ? null : ok, first_scim_request_at, completed_at }));
  }
  for (const service of ['sso', 'dsync'] as const) {
    for (const row of rows) {
      const hits = SETUP_STATUSES.filter((s: SetupStatus) => matches(statusFilter(service, s), row));
      assert.deepEqual(hits, [setupStatus(service, row)], `${service} ${JSON.stringify(row)}`);
    }
  }
});
