/**
 * What an IT admin can do with a Directory Sync setup link: list, create and delete the directories of the
 * link's tenant+product, rotate a directory's SCIM secret (shown once), and see whether provisioning has
 * started (and whether its changes reach the vendor's app). The webhook comes from the link; answers never show the vendor's webhook URL or secret.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { directoriesRepo, latestDeliveryFailing, type SetupLinkRow } from '../storage/index.ts';
import { createDirectory, deleteDirectory, getDirectory, listDirectories, rotateScimSecret, toApiDirectory, type ApiDirectory } from '../directory-sync/directories.ts';
import type { DsyncDefaults } from './service.ts';
import type { Caller } from '../policy/caller.ts';
import { recordCreated } from './progress.ts';

/** The IT admin's view: the SCIM side only. */
function linkView(d: ApiDirectory) {
  const { webhook: _w, log_webhook_events: _l, ...rest } = d;
  return rest;
}

/** `deliveryFailing`: the vendor's app is not receiving the changes; the page tells the IT admin whom to ask (not why). */
async function activity(ctx: AppContext, directoryId: string) {
  const [a, deliveryFailing] = await Promise.all([directoriesRepo.activity(ctx.db, directoryId), latestDeliveryFailing(ctx.db, directoryId)]);
  return { users: a.users, groups: a.groups, lastActivityAt: a.lastChangeAt ? new Date(a.lastChangeAt).toISOString() : null, provisioningStarted: a.lastChangeAt !== null, deliveryFailing };
}

async function ownDirectory(ctx: AppContext, link: SetupLinkRow, id: string) {
  let row;
  try {
    row = await getDirectory(ctx, id);
  } catch {
    row = undefined;
  }
  if (!row || row.tenant !== link.tenant || row.product !== link.product) throw new GatehouseError('SETUP_LINK_FORBIDDEN', 'No such directory for this setup link.');
  return row;
}

export async function listLinkDirectories(ctx: AppContext, caller: Caller, link: SetupLinkRow) {
  const dirs = await listDirectories(ctx, caller, { tenant: link.tenant, product: link.product });
  return Promise.all(dirs.map(async (d) => ({ ...linkView(d), status: await activity(ctx, d.id) })));
}

export async function getLinkDirectory(ctx: AppContext, link: SetupLinkRow, id: string) {
  const row = await ownDirectory(ctx, link, id);
  return { ...linkView(toApiDirectory(ctx, row)), status: await activity(ctx, row.id) };
}

export async function createLinkDirectory(ctx: AppContext, caller: Caller, link: SetupLinkRow, body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  const d = JSON.parse(link.defaults) as DsyncDefaults;
  let created;
  try {
    created = await createDirectory(ctx, caller, {
      tenant: link.tenant, product: link.product, name: typeof b.name === 'string' ? b.name : undefined, type: typeof b.type === 'string' ? b.type : undefined,
      ...(d.webhookUrl ? { webhook_url: d.webhookUrl, webhook_secret: d.webhookSecretEnc ? ctx.secrets.decrypt(d.webhookSecretEnc) : undefined } : {}),
    });
  } catch (err) {
    // The link's webhook URL was checked when the link was made; if the server refuses it now (its DNS or the
    // allow-list changed), the IT admin can do nothing about it: tell them whom to ask, and keep the why for the vendor.
    if (!(err instanceof GatehouseError) || err.field !== 'webhook_url') throw err;
    ctx.log.warn({ setupLinkId: link.id, tenant: link.tenant, product: link.product, code: err.code, reason: err.message }, 'a setup link\'s webhook URL was refused when the customer created a directory');
    throw new GatehouseError('SETUP_LINK_WEBHOOK_REFUSED');
  }
  await recordCreated(ctx, link);
  return linkView(created);
}

export async function rotateLinkDirectorySecret(ctx: AppContext, caller: Caller, link: SetupLinkRow, id: string) {
  await ownDirectory(ctx, link, id);
  return linkView(await rotateScimSecret(ctx, caller, id));
}

export async function deleteLinkDirectory(ctx: AppContext, caller: Caller, link: SetupLinkRow, id: string) {
  const row = await ownDirectory(ctx, link, id);
  return linkView(await deleteDirectory(ctx, caller, row.id));
}
