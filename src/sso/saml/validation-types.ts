/**
 * The inputs and the failure shape shared by the SAML response validator and its assertion-condition checks
 * (their own file, so the two import it and not each other).
 */
import type { KeyObject } from 'node:crypto';
import type { ErrorCode } from '../../errors.ts';

export type SamlFailure = { ok: false; code: ErrorCode; detail: string };

export interface ValidateSamlOptions {
  /** Public keys of the connection's certificates (several during rotation). KeyInfo in the message is never used. */
  trustedKeys: KeyObject[];
  /** Required Audience. */
  spEntityId: string;
  /** Required Destination (when present) and SubjectConfirmationData Recipient. */
  acsUrl: string;
  /** When set, the Response Issuer (if present) and the Assertion Issuer must equal it. */
  idpEntityId?: string;
  /** A string: the request this must answer. null: the response must be unsolicited (IdP-initiated allowed by the caller). */
  expectedInResponseTo: string | null;
  /** SP private keys for EncryptedAssertion. */
  decryptionKeys?: KeyObject[];
  /** Epoch milliseconds. */
  now: number;
  /** Allowed clock difference, applied to every time bound (policy default 90). */
  skewSeconds: number;
  /** rsa-sha1 signatures and sha1 digests are refused unless true. */
  allowSha1: boolean;
  /** Only for third-party vectors whose Recipient is a placeholder. */
  skipRecipientCheck?: boolean;
}
