/**
 * The seam between the upstream protocols (sso/: SAML ACS, OIDC callback) and the app-facing ones
 * (oauth/, federation/): once sso has settled a sign-in it hands it to a finisher, which answers the app (an
 * authorization code, an error redirect to the verified redirect URI, or a SAML Response posted to a
 * federated app). The route passes federation/finish.ts's `federatedOrAppSignIn` (which hands flows that are
 * not federated to oauth/finish-login.ts's `appSignIn`), so sso never imports them (docs/decisions/0013-layers.md).
 */
import type { AppContext, RequestLog } from '../context.ts';
import type { ConnectionRow, LoginFlowRow, TenantSignInFacts } from '../storage/index.ts';
import type { MappedProfile } from './profile.ts';

/**
 * A SAML assertion's single use, not yet recorded: the finisher records it in the statement that issues what the
 * sign-in buys (the code: one statement on PostgreSQL, decision 0042), and issues nothing when it was seen before
 * (`SAML_REPLAYED`). null for answers that carry no assertion (OIDC).
 */
export interface ReplayGuard {
  key: string;
  keepUntil: number;
}

/** Where the browser goes next: a URL to redirect to, or a page (Identity Federation's form posting a SAML Response to the app). */
export type SignInAnswer = { redirectUrl: string } | { html: string };

export interface SignInFinisher {
  /**
   * The IdP vouched for this user in answer to `flow`: returns the URL the browser goes to next, or a page to show.
   * A flow with `completed_at` set was claimed by the caller (the SAML ACS, decision 0039); an open one is completed here.
   * `replay` must be recorded before anything is issued or announced. `facts`: the tenant's sign-in lookups, when the
   * caller read them with the flow (decision 0042).
   */
  completed(ctx: AppContext, a: { flow: LoginFlowRow; connection: ConnectionRow; profile: MappedProfile; replay: ReplayGuard | null; facts?: TenantSignInFacts }): Promise<string | { html: string }>;
  /**
   * The same for a sign-in the caller settled before reading its flow, from a connection and tenant lookups it
   * remembered (the SAML ACS, decision 0052): in one statement that claims the flow, proves them current and issues,
   * or nothing. null when that statement missed, having written nothing: the caller then takes the step-by-step path.
   * Optional: a finisher without it always gets the step-by-step path.
   */
  completedAtOnce?(ctx: AppContext, a: { flowId: string; connection: ConnectionRow; facts: TenantSignInFacts; profile: MappedProfile; replay: ReplayGuard }): Promise<string | null>;
  /** An IdP-initiated sign-in a connection accepted: lands at `redirectUri`; returns where the browser goes next. */
  unsolicited(ctx: AppContext, a: { connection: ConnectionRow; redirectUri: string; profile: MappedProfile }): Promise<string>;
  /** A refusal after the flow was known: closes the flow and returns what to throw (an error redirect to the app, or `err` itself). */
  refused(ctx: AppContext, log: RequestLog, flow: LoginFlowRow, err: unknown, evidence?: { kind: 'saml' | 'oidc'; samlXml?: string }): Promise<unknown>;
}

/** A finisher's answer as the route sends it. */
export const signInAnswerOf = (answer: string | { html: string }): SignInAnswer => (typeof answer === 'string' ? { redirectUrl: answer } : answer);
