/**
 * The sign-in events. The protocol layers announce them (sso/saml/acs.ts for a SAML post refused before
 * its flow is known; oauth/finish-login.ts for every sign-in whose flow is known); SSO traces
 * (admin/traces.ts) and setup-link tests (setup-links/tests.ts) subscribe in boot().
 */
import type { AppContext, RequestLog } from '../context.ts';
import type { GatehouseError } from '../errors.ts';
import type { ConnectionRow, LoginFlowRow } from '../storage/index.ts';
import type { Profile } from './profile.ts';

export interface LoginCompleted {
  ctx: AppContext;
  flow: LoginFlowRow;
  /**
   * The connection the sign-in was validated with. From the ACS's one statement (decision 0052) it is the row this
   * instance remembered: its settings, version, `updated_at`, tenant, product and activation are proven current; other
   * columns (name, redirect URLs, secrets) are as this instance last read them.
   */
  connection: ConnectionRow;
  /** The profile as the app gets it. */
  profile: Profile;
  /** Set when the sign-in was a setup link's "test connection": no code was issued. */
  setupTestId?: string;
  /** The success was already counted for `connection.login_failures`, with the code it issued (decision 0042). */
  successRecorded?: boolean;
}

export interface LoginRefused {
  ctx: AppContext;
  log: RequestLog;
  kind: 'saml' | 'oidc';
  error: GatehouseError;
  /** The sign-in flow the answer belonged to, when it was known. */
  flow?: LoginFlowRow;
  /** Set when the sign-in was a setup link's "test connection". */
  setupTestId?: string;
  /** The decoded SAML response (SAML only; never anything of OIDC codes or tokens). */
  samlXml?: string;
  /** A SAML post refused before its flow was known: the form as posted, for the trace to attribute. */
  samlPost?: { SAMLResponse?: unknown; RelayState?: unknown };
}

declare module '../events/event-hub.ts' {
  interface AppEvents {
    'login.completed': LoginCompleted;
    'login.refused': LoginRefused;
  }
}
