/**
 * The seam between the upstream protocols (sso/: SAML ACS, OIDC callback) and the app-facing one
 * (oauth/): once sso has settled a sign-in it hands it to a finisher, which answers the app (an
 * authorization code, or an error redirect to the verified redirect URI). The caller passes
 * oauth/finish-login.ts's `appSignIn`, so sso never imports oauth (docs/decisions/0013-layers.md).
 */
import type { AppContext, RequestLog } from '../context.ts';
import type { ConnectionRow, LoginFlowRow } from '../storage/index.ts';
import type { MappedProfile } from './profile.ts';

export interface SignInFinisher {
  /** The IdP vouched for this user in answer to `flow`: returns where the browser goes next. */
  completed(ctx: AppContext, a: { flow: LoginFlowRow; connection: ConnectionRow; profile: MappedProfile }): Promise<string>;
  /** An IdP-initiated sign-in a connection accepted: lands at `redirectUri`; returns where the browser goes next. */
  unsolicited(ctx: AppContext, a: { connection: ConnectionRow; redirectUri: string; profile: MappedProfile }): Promise<string>;
  /** A refusal after the flow was known: closes the flow and returns what to throw (an error redirect to the app, or `err` itself). */
  refused(ctx: AppContext, log: RequestLog, flow: LoginFlowRow, err: unknown, evidence?: { kind: 'saml' | 'oidc'; samlXml?: string }): Promise<unknown>;
}
