/**
 * A directory user who is deactivated (`active: false`) or deleted through SCIM is signed out of the app
 * (issue 15; decision 0025): their open app sessions of the directory's tenant and product end, which refuses
 * their tokens and queues the app's back-channel logouts. Runs after the SCIM change has committed; one indexed
 * query finds the sessions, and nothing is sent inline (deliveries go through the outbox).
 */
import type { AppContext } from '../../context.ts';
import type { DirectoryRow, DirectoryUserRow } from '../../storage/index.ts';
import { emailKeyOf, endAppSessions, nameidKeyOf, type SessionEndReason } from '../../oauth/sessions.ts';

export interface DirectoryUserMatch {
  tenant: string;
  product: string;
  emails: string[];
  nameidKeys: string[];
}

const MAX_VALUES = 20;
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/**
 * Pure: which sessions are this user's. Every email the directory holds (`emails[].value`, and `userName` when it
 * is an address), lowercased, against the session's email; `userName`, `externalId` and those emails, through
 * `nameidKeyOf` (case-insensitive), against the NameID (or upstream OIDC `sub`) the IdP signed in with. Nothing
 * else: not a display name or a given name, which are not unique, and not Gatehouse's own SCIM `id`, which no IdP
 * signs in with.
 */
export function directoryUserMatch(dir: Pick<DirectoryRow, 'tenant' | 'product'>, user: Pick<DirectoryUserRow, 'user_name' | 'external_id' | 'raw'>): DirectoryUserMatch {
  const attrs = JSON.parse(user.raw) as { emails?: unknown };
  const listed = Array.isArray(attrs.emails) ? attrs.emails.map((e) => str((e as { value?: unknown } | null)?.value)) : [];
  const emails = [...new Set([...listed, user.user_name].map((e) => emailKeyOf(e)).filter((e): e is string => e !== null))].slice(0, MAX_VALUES);
  const ids = [user.user_name, user.external_id, ...emails].map(str).filter((v): v is string => v !== null);
  const nameidKeys = [...new Set(ids.map(nameidKeyOf))].slice(0, MAX_VALUES);
  return { tenant: dir.tenant, product: dir.product, emails, nameidKeys };
}

/** Ends the user's open sessions; a failure is logged, since the SCIM change it follows has committed. */
export async function endDirectoryUserSessions(ctx: AppContext, dir: DirectoryRow, user: DirectoryUserRow, reason: Extract<SessionEndReason, 'scim_deactivated' | 'scim_deleted'>): Promise<void> {
  try {
    const ended = await endAppSessions(ctx, directoryUserMatch(dir, user), reason);
    if (ended.length) ctx.log.info({ directoryId: dir.id, userId: user.id, sessions: ended.length, reason }, 'sessions of the directory user ended');
  } catch (err) {
    ctx.log.error({ err, directoryId: dir.id, userId: user.id, reason }, 'sessions of the directory user could not be ended');
  }
}
