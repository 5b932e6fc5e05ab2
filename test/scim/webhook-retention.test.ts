/**
 * The deliverer's retention sweep (src/directory-sync/webhooks/deliverer.ts, decision 0063): a backlog of delivered
 * events past DSYNC_EVENT_RETENTION_DAYS is removed by the deliverer's own rounds, beside them rather than in their
 * path, while recent delivered events stay; stopping the deliverer waits for a sweep in progress.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { directoryEventsRepo } from '../../src/storage/index.ts';
import type { NewDirectoryEvent } from '../../src/storage/repositories/directory-events.ts';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';

let gh: RunningGatehouse | null = null;
let d: Deliverer | null = null;
after(async () => {
  await d?.stop();
  await gh?.close();
});

const DAY = 86_400_000;

test('old delivered events go in the rounds of the deliverer; recent ones stay', async () => {
  gh = await startGatehouse({ env: { DSYNC_DELIVERER_POLL_MS: '20' } });
  assert.ok(gh);
  const now = Date.now();
  const row = (i: number, deliveredAt: number): NewDirectoryEvent => ({
    id: `evt_${String(i).padStart(6, '0')}`, directory_id: 'dir', resource_key: `user:${i}`, event: 'user.updated', payload: `{"i":${i}}`,
    status: 'delivered', attempts: 1, next_attempt_at: deliveredAt, deadline_at: deliveredAt + DAY, created_at: deliveredAt - 1000, delivered_at: deliveredAt,
  });
  // More than one sweep's budget on SQLite (20 batches of 250): the rounds carry on until the backlog is gone.
  const old = Array.from({ length: 6000 }, (_, i) => row(i, now - 30 * DAY + i));
  const recent = Array.from({ length: 5 }, (_, i) => row(10_000 + i, now - 1000));
  for (let i = 0; i < old.length; i += 500) await directoryEventsRepo.append(gh.ctx.db, old.slice(i, i + 500));
  await directoryEventsRepo.append(gh.ctx.db, recent);

  d = startWebhookDeliverer(gh.ctx);
  const count = async () => (await gh!.ctx.db.selectFrom('directory_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  let left = await count();
  for (let round = 0; round < 200 && Number(left) > recent.length; round++) {
    await d.runOnce();
    await new Promise((r) => setTimeout(r, 10));
    left = await count();
  }
  assert.equal(Number(left), recent.length, 'only the recent delivered events are left');
  const ids = (await gh.ctx.db.selectFrom('directory_events').select('id').orderBy('id').execute()).map((r) => r.id);
  assert.deepEqual(ids, recent.map((r) => r.id));
});
