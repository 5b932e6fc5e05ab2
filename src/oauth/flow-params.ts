/**
 * The app's request as it must be answered when the IdP comes back. sso/ keeps it with the sign-in flow
 * (the `params` column) without reading it; oauth/finish-login.ts reads it back to issue the code.
 */
import type { LoginFlowRow } from '../storage/index.ts';

export interface FlowParams {
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string | null;
  scope: string;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  /** Set for a setup link's "test connection": the result is stored for the link page; no code is issued. */
  setupTestId?: string;
}

export const flowParamsOf = (flow: LoginFlowRow): FlowParams => JSON.parse(flow.params) as FlowParams;
