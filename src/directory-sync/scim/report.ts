/**
 * What a SCIM request did, as its handler reports it, for the SCIM inspector (docs/decisions/0027-scim-inspector.md):
 * the outcome (created, updated with which member changes, listed, …) and the leniencies applied to the input
 * (scim/leniency.ts). Typed facts only; the plain words are made from them by inspector/verdict.ts. One report per
 * request, on its ScimScope.
 */

export type ResourceName = 'User' | 'Group';

export type ScimOutcome =
  | { kind: 'listed'; resource: ResourceName; total: number; returned: number; filtered: boolean }
  | { kind: 'read'; resource: ResourceName }
  | { kind: 'discovery'; what: 'ServiceProviderConfig' | 'Schemas' | 'ResourceTypes' }
  | { kind: 'created'; resource: 'User' }
  | { kind: 'created'; resource: 'Group'; members: number; pending: number }
  | {
      kind: 'updated';
      resource: ResourceName;
      changed: boolean;
      /** Users: the `active` flag went from one value to the other. */
      active?: boolean;
      renamed?: boolean;
      /** Groups: the member changes that took effect; `replaced` when the request replaced the member list. */
      members?: { replaced: boolean; added: number; removed: number; pending: number };
    }
  | { kind: 'deleted'; resource: ResourceName; groupsLeft?: number };

/** A leniency applied to what the IdP sent (decision 0101), found by scim/leniency.ts. */
export type ScimNote =
  | { kind: 'booleanString'; attr: string; sent: string; as: boolean }
  | { kind: 'opNameCase'; sent: string[] }
  | { kind: 'dottedKeys'; keys: string[] }
  | { kind: 'nullsUnassigned'; attrs: string[] }
  | { kind: 'passwordDropped' }
  | { kind: 'unknownSchema'; urns: string[] }
  | { kind: 'bareEnterprise'; attrs: string[] }
  | { kind: 'singleValueArray'; attr: string }
  | { kind: 'readOnlyIgnored'; attrs: string[] }
  | { kind: 'legacyMemberRemove'; count: number }
  | { kind: 'memberShape'; shape: 'bareId' | 'refNull' | 'displayName' }
  | { kind: 'unquotedFilterValue'; attrs: string[] }
  | { kind: 'groupPutKeepsMembers' };

/** The per-request collector a handler reports into; retried transactions overwrite, so the last attempt wins. */
export class ScimReport {
  outcome: ScimOutcome | null = null;
  done(o: ScimOutcome): void {
    this.outcome = o;
  }
}
