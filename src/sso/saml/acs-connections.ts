/**
 * What this instance last read of a SAML connection at its ACS (the serving row and its tenant's sign-in lookups),
 * found by the tag the connection puts in every AuthnRequest ID it starts (start-login.ts#newSamlFlow). It lets the ACS
 * validate a response before any statement, and then send one statement that proves everything it used is still
 * what the database holds, or writes nothing (decision 0052). A cache only: a miss, a stale entry or a wrong guess
 * costs the step-by-step path, never a different answer. Filled by that path's claim, so never a read of its own.
 */
import { createHash } from 'node:crypto';
import type { ConnectionRow, TenantSignInFacts } from '../../storage/index.ts';

/** 8 base64url characters of SHA-256(connection id): enough to tell connections apart; a collision is only a miss. */
export const connectionTagOf = (connectionId: string): string => createHash('sha256').update(connectionId).digest('base64url').slice(0, 8);

/** The tag in a flow id `newSamlFlow` made (`_` + tag + random); any other id yields a tag no entry has, or a wrong one. */
export const connectionTagInFlowId = (flowId: string): string | null => (flowId.length > 9 && flowId.startsWith('_') ? flowId.slice(1, 9) : null);

export interface AcsConnection {
  row: ConnectionRow;
  facts: TenantSignInFacts;
}

const MAX_ENTRIES = 2000; // as connection-keys.ts: a few KB of settings each

export class AcsConnections {
  readonly #byTag = new Map<string, AcsConnection>();

  get(flowId: string): AcsConnection | undefined {
    const tag = connectionTagInFlowId(flowId);
    return tag === null ? undefined : this.#byTag.get(tag);
  }

  /** What a claim read: the connection serving now and its tenant's lookups. */
  remember(entry: AcsConnection): void {
    if (this.#byTag.size >= MAX_ENTRIES) this.#byTag.clear();
    this.#byTag.set(connectionTagOf(entry.row.id), entry);
  }

  /** Forgets `entry` (unless something newer was remembered under its tag meanwhile). */
  forget(flowId: string, entry: AcsConnection): void {
    const tag = connectionTagInFlowId(flowId);
    if (tag !== null && this.#byTag.get(tag) === entry) this.#byTag.delete(tag);
  }
}

declare module '../../context.ts' {
  interface AppContext {
    /** The ACS's per-instance memory of connections, proven current by its one statement (src/sso/saml/acs-connections.ts). */
    acsConnections: AcsConnections;
  }
}
