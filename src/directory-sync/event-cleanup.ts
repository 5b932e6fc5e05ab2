/**
 * Clearing a directory's webhook event log (Jackson's `DELETE /api/v1/dsync/events`): the caller needs
 * `dsync:write` on the directory, the deletion is audited as `dsync.events.deleted`, and events still pending
 * stay, because here the log is also the outbox (deleting them would silently drop deliveries).
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { directoryEventsRepo } from '../storage/index.ts';
import type { Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { directoryFor } from './directories.ts';

export async function deleteDirectoryEvents(ctx: AppContext, caller: Caller, directoryId: string | undefined): Promise<number> {
  if (!directoryId) throw new GatehouseError('API_VALIDATION', '"directoryId" is required.', { field: 'directoryId' });
  const dir = await directoryFor(ctx, caller, 'dsync:write', directoryId);
  const deleted = await directoryEventsRepo.deleteSettled(ctx.db, dir.id);
  await auditChange(ctx, caller, { action: 'dsync.events.deleted', target: { type: 'directory', id: dir.id }, tenant: dir.tenant, product: dir.product, after: { deleted } });
  return deleted;
}
