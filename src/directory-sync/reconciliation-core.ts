/**
 * Reconciliation, the pure part (issue 16 §3, decision 0028): a tenant+product's directory users beside the people
 * who signed in through SSO, in four lists, each row with a suggested fix in plain words. A sign-in names a directory
 * user when its NameID or its email equals (trimmed, case-insensitively) the user's `userName`, `externalId` or one of
 * their `emails`; the NameID is tried first.
 */
import { identityKeys, type UserIdentity } from './user-identity.ts';

export interface DirectoryUserFacts extends UserIdentity {
  directoryId: string;
  userId: string;
  active: boolean;
  createdAt: number;
  /** When the record last changed: for a deactivated user, the latest the deactivation can have happened. */
  updatedAt: number;
}

/** One person's sign-ins, folded by NameID: the last one's facts. */
export interface SignInSummary {
  nameid: string;
  email: string | null;
  connectionId: string;
  lastAt: number;
  count: number;
}

export interface ReconciliationRow {
  user: string;
  email: string | null;
  directoryId: string | null;
  userId: string | null;
  nameid: string | null;
  lastSignInAt: string | null;
  detail: string;
  fix: string;
}

export interface Reconciliation {
  neverSignedIn: ReconciliationRow[];
  noDirectoryRecord: ReconciliationRow[];
  signedInAfterDeactivation: ReconciliationRow[];
  mismatched: ReconciliationRow[];
}

export const LISTS = ['neverSignedIn', 'noDirectoryRecord', 'signedInAfterDeactivation', 'mismatched'] as const;

const lower = (v: string) => v.trim().toLowerCase();
const iso = (ms: number) => new Date(ms).toISOString();

/** Folds sign-ins (newest first) into one summary per NameID (case-insensitive). */
export function summariseSignIns(rows: readonly { nameid: string; email: string | null; connection_id: string; created_at: number }[]): SignInSummary[] {
  const by = new Map<string, SignInSummary>();
  for (const r of rows) {
    const k = lower(r.nameid);
    const s = by.get(k);
    if (!s) by.set(k, { nameid: r.nameid, email: r.email, connectionId: r.connection_id, lastAt: r.created_at, count: 1 });
    else {
      s.count++;
      if (r.created_at > s.lastAt) Object.assign(s, { nameid: r.nameid, email: r.email, connectionId: r.connection_id, lastAt: r.created_at });
    }
  }
  return [...by.values()];
}

function indexUsers(users: readonly DirectoryUserFacts[]): Map<string, DirectoryUserFacts> {
  const index = new Map<string, DirectoryUserFacts>();
  // Active users win a shared key (a re-created account keeps the old one's email).
  for (const u of [...users].sort((a, b) => Number(a.active) - Number(b.active))) for (const k of identityKeys(u)) index.set(k, u);
  return index;
}

function mismatchOf(u: DirectoryUserFacts, s: SignInSummary, base: Omit<ReconciliationRow, 'detail' | 'fix'>): ReconciliationRow | null {
  const keys = identityKeys(u);
  if (!keys.has(lower(s.nameid))) {
    return {
      ...base,
      detail: `The IdP signs this person in with NameID "${s.nameid}", which is not their directory userName "${u.userName}", externalId${u.externalId ? ` "${u.externalId}"` : ' (none)'} or email. They were matched by email.`,
      fix: `In the IdP's SSO app, send the same value as NameID that the SCIM app sends as userName ("${u.userName}"), so the app sees one person, not two.`,
    };
  }
  if (s.email && !keys.has(lower(s.email))) {
    return {
      ...base,
      detail: `The IdP sends email "${s.email}" at sign-in, but the directory has ${u.emails.length ? `"${u.emails.join('", "')}"` : 'no email'} for this user.`,
      fix: `Make the email the SSO app sends and the email the SCIM app sends come from the same attribute in the IdP (or correct the user's email there).`,
    };
  }
  return null;
}

/** Pure: the four lists. */
export function reconcile(users: readonly DirectoryUserFacts[], signIns: readonly SignInSummary[]): Reconciliation {
  const out: Reconciliation = { neverSignedIn: [], noDirectoryRecord: [], signedInAfterDeactivation: [], mismatched: [] };
  const index = indexUsers(users);
  const signedIn = new Set<DirectoryUserFacts>();
  for (const s of signIns) {
    const u = index.get(lower(s.nameid)) ?? (s.email ? index.get(lower(s.email)) : undefined);
    const base = { user: u?.userName ?? s.nameid, email: s.email ?? u?.email ?? null, directoryId: u?.directoryId ?? null, userId: u?.userId ?? null, nameid: s.nameid, lastSignInAt: iso(s.lastAt) };
    if (!u) {
      out.noDirectoryRecord.push({
        ...base,
        detail: `Signed in ${s.count === 1 ? 'once' : `${s.count} times`} through SSO; no directory user has this NameID${s.email ? ' or email' : ''}.`,
        fix: 'Assign this person to the SCIM (provisioning) app in the IdP so the directory knows them; if they should not use the app, remove them from the SSO app instead.',
      });
      continue;
    }
    signedIn.add(u);
    if (!u.active && s.lastAt > u.updatedAt) {
      out.signedInAfterDeactivation.push({
        ...base,
        detail: `Deactivated in the directory by ${iso(u.updatedAt)}, and signed in after that.`,
        fix: 'Remove this person from the SSO app in the IdP (or block their sign-in there): the directory says they left, but the IdP still lets them in. Then end their sessions in the app.',
      });
    }
    const m = mismatchOf(u, s, base);
    if (m) out.mismatched.push(m);
  }
  for (const u of users) {
    if (!u.active || signedIn.has(u)) continue;
    out.neverSignedIn.push({
      user: u.userName, email: u.email, directoryId: u.directoryId, userId: u.userId, nameid: null, lastSignInAt: null,
      detail: `Provisioned ${iso(u.createdAt)}; no SSO sign-in in the period.`,
      fix: 'Send this person the one-click login link. If they will not use the app, unassign them from the SCIM app in the IdP so they stop counting as a user.',
    });
  }
  return out;
}

const CSV_COLUMNS = ['list', 'user', 'email', 'nameid', 'directoryId', 'userId', 'lastSignInAt', 'detail', 'fix'] as const;

/** A cell a spreadsheet will not run as a formula: one starting with = + - @ (or tab, CR) gets a leading apostrophe. */
export function csvCell(v: string | null): string {
  let s = v ?? '';
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Pure: the lists as one CSV (RFC 4180, CRLF), one row per entry, the list named in the first column. */
export function reconciliationCsv(r: Reconciliation): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const list of LISTS) {
    for (const row of r[list]) lines.push(CSV_COLUMNS.map((c) => csvCell(c === 'list' ? list : row[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
