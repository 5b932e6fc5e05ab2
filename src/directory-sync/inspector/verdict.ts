/**
 * The SCIM inspector's verdict in plain words, made from typed facts: what the handler reported (scim/report.ts),
 * the leniencies applied (scim/leniency.ts), or the refusal's error code and detail (decision 0027). Pure.
 *
 *   "Entra sent `active` as the string "False": accepted as false."
 *   "Okta replaced the group's members with PUT: 3 added, 1 removed."
 *   "Refused: the filter `userName eq` has no value."
 */
import type { ErrorCode } from '../../errors.ts';
import type { ScimNote, ScimOutcome } from '../scim/report.ts';

export type VerdictOutcome = 'accepted' | 'refused' | 'failed';

export interface VerdictInput {
  method: string;
  status: number;
  /** The directory's type (`azure-scim-v2`, `okta-scim-v2`, …): who is speaking. */
  directoryType: string;
  outcome: ScimOutcome | null;
  notes: ScimNote[];
  refusal: { code: ErrorCode; detail: string } | null;
}

export interface Verdict {
  outcome: VerdictOutcome;
  /** The whole verdict: the summary, then each note. */
  text: string;
  summary: string;
  notes: { kind: ScimNote['kind']; text: string }[];
}

const IDP_NAMES: Record<string, string> = {
  'azure-scim-v2': 'Entra', 'okta-scim-v2': 'Okta', 'onelogin-scim-v2': 'OneLogin', 'jumpcloud-scim-v2': 'JumpCloud',
  'ping-scim-v2': 'PingOne', 'keycloak-scim-v2': 'Keycloak',
};

/** Who sent the request, in words. */
export const idpName = (type: string): string => IDP_NAMES[type] ?? 'The identity provider';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const list = (xs: string[]) => xs.map((x) => `\`${x}\``).join(', ');
const lcFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);
const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
const noun = (r: 'User' | 'Group') => (r === 'User' ? 'user' : 'group');

/** One note in words. */
export function noteText(n: ScimNote, idp: string): string {
  switch (n.kind) {
    case 'booleanString': return `${idp} sent \`${n.attr}\` as the string "${n.sent}": accepted as ${n.as}.`;
    case 'opNameCase': return `${idp} wrote the operation name as ${n.sent.map((s) => `"${s}"`).join(', ')}: read in any case.`;
    case 'dottedKeys': return `The keys ${list(n.keys)} of the PATCH value were read as attribute paths.`;
    case 'nullsUnassigned': return `${list(n.attrs)} sent as null: treated as not set.`;
    case 'passwordDropped': return 'A password was sent: it is never stored.';
    case 'unknownSchema': return `Ignored the schema ${list(n.urns)}, which this server does not know.`;
    case 'bareEnterprise': return `${list(n.attrs)} sent without the enterprise extension's URN: read as the extension's.`;
    case 'singleValueArray': return `\`${n.attr}\` sent as an array: its one value was used.`;
    case 'readOnlyIgnored': return `Ignored the read-only ${list(n.attrs)} in the PATCH value.`;
    case 'legacyMemberRemove': return `${idp} named the members to remove in the value (the legacy form): only ${n.count === 1 ? 'that member' : `those ${n.count}`} removed, not all.`;
    case 'memberShape':
      return n.shape === 'bareId' ? 'Members sent as bare ids were accepted.'
        : n.shape === 'refNull' ? 'Members with "$ref": null were accepted.'
        : 'Members named with `displayName` instead of `display` were accepted.';
    case 'unquotedFilterValue': return `The filter compares ${list(n.attrs)} with an unquoted value: read as a string.`;
    case 'groupPutKeepsMembers': return 'The PUT carried no `members`: the group\'s members were kept.';
  }
}

function memberWords(idp: string, method: string, m: NonNullable<Extract<ScimOutcome, { kind: 'updated' }>['members']>): string {
  const counts = `${m.added} added, ${m.removed} removed`;
  const pending = m.pending ? `; ${plural(m.pending, 'member')} not provisioned yet, kept until the user arrives` : '';
  return m.replaced ? `${idp} replaced the group's members with ${method}: ${counts}${pending}.` : `Group members changed: ${counts}${pending}.`;
}

/** The summary of an answered request. */
export function outcomeText(o: ScimOutcome | null, method: string, idp: string): string {
  if (!o) return 'Answered.';
  switch (o.kind) {
    case 'listed': {
      const what = o.resource === 'User' ? 'users' : 'groups';
      return o.filtered ? `Searched ${what} with a filter: ${o.total} found.` : `Listed ${what}: ${o.total} in all, ${o.returned} on this page.`;
    }
    case 'read': return `Returned the ${noun(o.resource)}.`;
    case 'discovery': return `Returned ${o.what === 'ServiceProviderConfig' ? 'the service provider configuration' : `the ${o.what === 'Schemas' ? 'schemas' : 'resource types'}`}.`;
    case 'created':
      if (o.resource === 'User') return 'Created the user.';
      return `Created the group with ${plural(o.members, 'member')}${o.pending ? ` (${o.pending} not provisioned yet, kept until the user arrives)` : ''}.`;
    case 'deleted':
      return o.resource === 'User' && o.groupsLeft ? `Deleted the user, and removed it from ${plural(o.groupsLeft, 'group')}.` : `Deleted the ${noun(o.resource)}.`;
    case 'updated': {
      const parts: string[] = [];
      if (o.resource === 'User') {
        if (o.active === false) parts.push('Deactivated the user.');
        else if (o.active === true) parts.push('Reactivated the user.');
        else if (o.changed) parts.push(method === 'PUT' ? 'Replaced the user\'s attributes.' : 'Updated the user.');
      } else {
        if (o.renamed) parts.push('Updated the group\'s name or attributes.');
        if (o.members) parts.push(memberWords(idp, method, o.members));
      }
      if (!o.changed) parts.push(`Nothing changed: the ${noun(o.resource)} already had these values.`);
      return parts.join(' ');
    }
  }
}

/** The summary of a refused request, in the customer's words. */
export function refusalText(code: ErrorCode, detail: string): string {
  switch (code) {
    case 'SCIM_UNIQUENESS': return 'Refused: a user with this userName already exists in the directory (409). The identity provider should match the existing user instead.';
    case 'SCIM_DIRECTORY_DEACTIVATED': return 'Refused: the directory is deactivated. Ask the vendor to turn it back on.';
    case 'SCIM_UNAUTHORIZED': return `Refused: ${sentence(lcFirst(detail))} Check the bearer token in the identity provider.`;
    default: return `Refused: ${sentence(lcFirst(detail))}`;
  }
}

export function buildVerdict(i: VerdictInput): Verdict {
  const idp = idpName(i.directoryType);
  const outcome: VerdictOutcome = i.status >= 500 ? 'failed' : i.status >= 400 ? 'refused' : 'accepted';
  const summary =
    outcome === 'failed' ? 'Failed on this server\'s side: nothing was changed, and the identity provider will retry.'
      : outcome === 'refused' && i.status === 429 ? 'Refused: too many requests at once (429). The identity provider slows down and retries on its own.'
      : outcome === 'refused' ? refusalText(i.refusal?.code ?? 'SCIM_INVALID_SYNTAX', i.refusal?.detail ?? `The request was answered ${i.status}.`)
      : outcomeText(i.outcome, i.method, idp);
  const notes = i.notes.map((n) => ({ kind: n.kind, text: noteText(n, idp) }));
  return { outcome, summary, notes, text: [summary, ...notes.map((n) => n.text)].join(' ') };
}
