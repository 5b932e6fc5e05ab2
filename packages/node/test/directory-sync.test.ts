/**
 * Directory Sync through the SDK against a real Gatehouse: a directory created with the SDK, users and groups written
 * by a SCIM client over real HTTP with the directory's secret, then read back through the pull API with `for await`
 * across several pages (users, groups, a group's members), and the directory's webhook event log paged the same way.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReceiver } from '../../../test/support/scim.ts';
import { GatehouseNotFoundError, type Directory } from '../src/index.ts';
import { scimOver, startSdkHarness, type SdkHarness } from './support.ts';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const WEBHOOK_SECRET = 'whsec_sdk_directory_0123456789';

describe('SDK: directories and the pull API', () => {
  let h: SdkHarness;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let dir: Directory;
  const userIds: string[] = [];
  const groupIds: string[] = [];
  before(async () => {
    h = await startSdkHarness();
    rx = await startReceiver(WEBHOOK_SECRET);
  });
  after(async () => {
    await h?.close();
    await rx?.close();
  });

  test('create a directory: its SCIM endpoint and secret, shown once; read, list, update, rotate', async () => {
    const { directories } = h.gatehouse;
    dir = await directories.create({ tenant: 'acme.com', product: 'crm', name: 'Acme Okta', type: 'okta-scim-v2', webhook_url: rx.url, webhook_secret: WEBHOOK_SECRET });
    assert.ok(dir.scim.endpoint.startsWith(`${h.gh.baseUrl}/api/scim/v2.0/`));
    assert.ok(dir.scim.secret && dir.scim.secret.length >= 32, 'the SCIM secret is in the create answer');
    const read = await directories.get(dir.id);
    assert.equal(read.scim.secret, undefined, 'reads never show the secret again');
    assert.equal(read.webhook.endpoint, rx.url);
    assert.deepEqual((await directories.list({ tenant: 'acme.com', product: 'crm' })).map((d) => d.id), [dir.id]);
    assert.equal((await directories.update(dir.id, { name: 'Acme Okta (prod)' })).name, 'Acme Okta (prod)');

    const rotated = await directories.rotateScimSecret(dir.id);
    assert.ok(rotated.scim.secret && rotated.scim.secret !== dir.scim.secret);
    const stale = await fetch(`${dir.scim.endpoint}/Users`, { headers: { authorization: `Bearer ${dir.scim.secret}` } });
    assert.equal(stale.status, 401, 'the old secret stops working');
    dir = { ...dir, scim: { ...dir.scim, secret: rotated.scim.secret } };
  });

  test('users and groups written over SCIM come back through the pull API, across pages', async () => {
    const scim = scimOver(dir.scim.endpoint, dir.scim.secret!);
    for (const n of [1, 2, 3, 4, 5]) {
      const u = await scim('POST', '/Users', { schemas: [USER], userName: `user${n}@acme.com`, name: { givenName: `User${n}`, familyName: 'Acme' }, emails: [{ value: `user${n}@acme.com`, primary: true }], active: true });
      userIds.push(u!.id);
    }
    for (const name of ['Engineering', 'Sales', 'Admins']) {
      const g = await scim('POST', '/Groups', { schemas: [GROUP], displayName: name, members: name === 'Engineering' ? userIds.slice(0, 4).map((value) => ({ value })) : [] });
      groupIds.push(g!.id);
    }

    const { users, groups } = h.gatehouse.directories;
    const pages: string[][] = [];
    for await (const page of users.list({ directoryId: dir.id, limit: 2 }).pages()) pages.push(page.items.map((u) => u.email ?? ''));
    assert.deepEqual(pages.map((p) => p.length), [2, 2, 1], 'five users in pages of two');
    assert.deepEqual(pages.flat().sort(), [1, 2, 3, 4, 5].map((n) => `user${n}@acme.com`));

    const seen = [];
    for await (const user of users.list({ tenant: 'acme.com', product: 'crm', limit: 2 })) seen.push(user);
    assert.equal(seen.length, 5, 'tenant+product names the directory too');
    const first = seen.find((u) => u.id === userIds[0])!;
    assert.equal(first.first_name, 'User1');
    assert.equal(first.active, true);
    assert.equal(first.directoryId, dir.id);

    const one = await users.get(userIds[2]!, { directoryId: dir.id });
    assert.equal(one.email, 'user3@acme.com');
    await assert.rejects(users.get('no-such-user', { directoryId: dir.id }), (e: unknown) => e instanceof GatehouseNotFoundError && e.code === 'API_NOT_FOUND');

    const groupNames: string[] = [];
    for await (const g of groups.list({ directoryId: dir.id, limit: 2 })) groupNames.push(g.name);
    assert.deepEqual(groupNames.sort(), ['Admins', 'Engineering', 'Sales']);
    assert.equal((await groups.get(groupIds[0]!, { directoryId: dir.id })).name, 'Engineering');

    const members = groups.members(groupIds[0]!, { directoryId: dir.id, limit: 3 });
    const memberPages: number[] = [];
    for await (const page of members.pages()) memberPages.push(page.items.length);
    assert.deepEqual(memberPages, [3, 1], 'four members in pages of three');
    assert.deepEqual((await groups.members(groupIds[0]!, { directoryId: dir.id, limit: 3 }).toArray()).map((m) => m.user_id).sort(), userIds.slice(0, 4).sort());
  });

  test('the directory\'s webhook event log, newest first, across pages and by status', async () => {
    const { events } = h.gatehouse.directories;
    // 5 user.created + 3 group.created + 4 group.user_added; no deliverer runs here, so all are pending.
    const all = [];
    const sizes: number[] = [];
    for await (const page of events.list({ directoryId: dir.id, limit: 5 }).pages()) {
      sizes.push(page.items.length);
      all.push(...page.items);
    }
    assert.deepEqual(sizes, [5, 5, 2]);
    const counts = all.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.event]: (acc[e.event] ?? 0) + 1 }), {});
    assert.deepEqual(counts, { 'user.created': 5, 'group.created': 3, 'group.user_added': 4 });
    assert.equal(new Set(all.map((e) => e.id)).size, 12, 'no event twice across pages');
    assert.equal(all[0]!.event, 'group.created', 'newest first: the last group made (Admins, no members)');
    assert.equal(all.at(-1)!.event, 'user.created', 'oldest last: the first user');
    assert.ok(all.every((e) => e.status === 'pending' && e.directory_id === dir.id));
    assert.equal((await events.list({ directoryId: dir.id, status: 'delivered' }).toArray()).length, 0);
    const one = await events.get(all[0]!.id);
    assert.equal(one.id, all[0]!.id);
  });

  test('delete a directory', async () => {
    await h.gatehouse.directories.delete(dir.id);
    await assert.rejects(h.gatehouse.directories.get(dir.id), (e: unknown) => e instanceof GatehouseNotFoundError && e.code === 'DSYNC_DIRECTORY_NOT_FOUND');
  });
});
