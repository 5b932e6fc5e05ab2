/**
 * What the connection service announces when a connection is saved or deleted (sso/connection-events.ts):
 * `connection.created`; `connection.updated` with the fields that changed (none changed: nothing announced);
 * `connection.activated` / `connection.deactivated` when `active` flips (alone when nothing else changed).
 * The data names the connection, never a secret.
 */
import type { AppContext } from '../context.ts';
import type { ConnectionRow } from '../storage/index.ts';
import { announceConnectionEvent, type ConnectionEventType } from './connection-events.ts';

/** Stored columns a vendor can change, by the names the API uses for them. */
const FIELDS: [keyof ConnectionRow, string][] = [
  ['name', 'name'],
  ['description', 'description'],
  ['redirect_urls', 'redirectUrl'],
  ['default_redirect_url', 'defaultRedirectUrl'],
  ['settings', 'settings'],
  ['sort_order', 'sortOrder'],
  ['backchannel_logout_uri', 'backchannelLogoutUri'],
];

/** Settings as the vendor set them: without the lint warnings, which are recomputed (against the clock) on every save. */
function settingsOf(json: string): string {
  const { warnings: _w, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return JSON.stringify(rest);
}
const differs = (col: keyof ConnectionRow, a: ConnectionRow, b: ConnectionRow) => (col === 'settings' ? settingsOf(a.settings) !== settingsOf(b.settings) : a[col] !== b[col]);

const describe = (row: ConnectionRow) => ({ clientID: row.id, name: row.name, kind: row.kind, idpEntityId: row.idp_entity_id });

const announce = (ctx: AppContext, type: ConnectionEventType, row: ConnectionRow, extra: Record<string, unknown> = {}) =>
  announceConnectionEvent(ctx, { type, tenant: row.tenant, product: row.product, connectionId: row.id, data: { ...describe(row), ...extra }, connection: row });

/** After a create or an update has committed: `before` is undefined for a new connection. */
export async function announceSaved(ctx: AppContext, before: ConnectionRow | undefined, after: ConnectionRow): Promise<void> {
  if (!before) {
    await announce(ctx, 'connection.created', after, { active: after.active === 1 });
    return;
  }
  const changed = FIELDS.filter(([col]) => differs(col, before, after)).map(([, name]) => name);
  if (changed.length) await announce(ctx, 'connection.updated', after, { changed });
  if (before.active !== after.active) await announce(ctx, after.active ? 'connection.activated' : 'connection.deactivated', after);
}

export const announceDeleted = (ctx: AppContext, row: ConnectionRow): Promise<void> => announce(ctx, 'connection.deleted', row);
