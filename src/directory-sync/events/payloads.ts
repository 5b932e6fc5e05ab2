/**
 * Webhook event bodies, Jackson-compatible: `{id, event, tenant, product, directory_id, created_at, data}`
 * where `data` is Jackson's user (`id, first_name, last_name, email, active, raw`) or group
 * (`id, name, raw`), and membership events carry the user plus `group`. Pure.
 */
import type { DirectoryRow } from '../../storage/index.ts';

export type DirectoryEventType =
  | 'user.created' | 'user.updated' | 'user.deleted'
  | 'group.created' | 'group.updated' | 'group.deleted'
  | 'group.user_added' | 'group.user_removed';

export interface WebhookEvent {
  id: string;
  event: DirectoryEventType;
  tenant: string;
  product: string;
  directory_id: string;
  created_at: string;
  data: Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Jackson's user shape from a rendered SCIM User. */
export function userData(scimUser: Record<string, unknown>): Record<string, unknown> {
  const name = (scimUser.name ?? {}) as Record<string, unknown>;
  const emails = Array.isArray(scimUser.emails) ? (scimUser.emails as Record<string, unknown>[]) : [];
  const email = emails.find((e) => e?.primary === true) ?? emails[0];
  return {
    id: scimUser.id,
    first_name: str(name.givenName) ?? null,
    last_name: str(name.familyName) ?? null,
    email: str(email?.value) ?? (str(scimUser.userName)?.includes('@') ? scimUser.userName : null),
    active: scimUser.active !== false,
    raw: scimUser,
  };
}

/** Jackson's group shape from a rendered SCIM Group (members are not included in `raw`). */
export function groupData(scimGroup: Record<string, unknown>): Record<string, unknown> {
  const { members: _m, ...raw } = scimGroup;
  return { id: scimGroup.id, name: scimGroup.displayName, raw };
}

export function membershipData(scimUser: Record<string, unknown>, scimGroup: Record<string, unknown>): Record<string, unknown> {
  return { ...userData(scimUser), group: groupData(scimGroup) };
}

export function webhookEvent(dir: DirectoryRow, id: string, event: DirectoryEventType, data: Record<string, unknown>, now: number): WebhookEvent {
  return { id, event, tenant: dir.tenant, product: dir.product, directory_id: dir.id, created_at: new Date(now).toISOString(), data };
}
