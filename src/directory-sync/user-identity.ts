/**
 * What identifies a directory user to the SSO side (decision 0028): its `userName`, `externalId` and `emails`,
 * each compared trimmed and case-insensitively with a sign-in's NameID and email. Pure.
 */
import type { DirectoryUserRow } from '../storage/index.ts';

export interface UserIdentity {
  userName: string;
  externalId: string | null;
  /** Lower-cased, primary first. */
  emails: string[];
  /** The primary email, or userName when it is an address (as webhooks' `email`). */
  email: string | null;
}

const lower = (v: string) => v.trim().toLowerCase();

export function identityOf(row: Pick<DirectoryUserRow, 'user_name' | 'external_id' | 'raw'>): UserIdentity {
  let raw: Record<string, unknown> = {};
  try {
    raw = JSON.parse(row.raw) as Record<string, unknown>;
  } catch {
    // stored by us as JSON; an unreadable row only loses its emails
  }
  const list = Array.isArray(raw.emails) ? (raw.emails as Record<string, unknown>[]) : [];
  const sorted = [...list.filter((e) => e?.primary === true), ...list.filter((e) => e?.primary !== true)];
  const emails = [...new Set(sorted.map((e) => e?.value).filter((v): v is string => typeof v === 'string' && v.includes('@')).map(lower))];
  const email = emails[0] ?? (row.user_name.includes('@') ? lower(row.user_name) : null);
  return { userName: row.user_name, externalId: row.external_id, emails, email };
}

/** Every value a NameID or an email may equal to name this user, lower-cased. */
export function identityKeys(id: UserIdentity): Set<string> {
  return new Set([lower(id.userName), ...(id.externalId ? [lower(id.externalId)] : []), ...id.emails]);
}
