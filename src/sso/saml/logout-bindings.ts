/**
 * Reading a SAML message that arrives at the single logout endpoint (decision 0030): HTTP-Redirect (raw DEFLATE +
 * base64 in the query, the signature over the exact query octets as sent) or HTTP-POST (base64 in a form field, the
 * signature inside the XML), and verifying a Redirect binding's query signature against the connection's keys.
 * Pure: no I/O; keys are inputs and nothing in the message chooses one.
 */
import { verify, type KeyObject } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { SamlFailure } from './validation-types.ts';

/** A logout message is a few kilobytes; nothing inflating past this is one. */
const MAX_INFLATED_BYTES = 256 * 1024;

export type LogoutParam = 'SAMLRequest' | 'SAMLResponse';

/** What arrived, whatever the binding. `querySignature` only for HTTP-Redirect with SigAlg and Signature. */
export interface ReceivedLogoutMessage {
  binding: 'redirect' | 'post';
  param: LogoutParam;
  xml: string;
  relayState: string | null;
  querySignature: { sigAlg: string; signature: Buffer; signedOctets: string } | null;
}

const malformed = (detail: string): SamlFailure => ({ ok: false, code: 'SAML_MALFORMED', detail });

/**
 * Reads an HTTP-Redirect binding message from the raw query string (everything after "?", still URL-encoded).
 * Exactly one of SAMLRequest and SAMLResponse; each SAML parameter at most once.
 */
export function readRedirectBinding(rawQuery: string): { ok: true; message: ReceivedLogoutMessage } | SamlFailure {
  const raw = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let name: string;
    try {
      name = decodeURIComponent((eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
    } catch {
      return malformed('a query parameter name is not valid percent-encoding');
    }
    if (!['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature'].includes(name)) continue;
    if (raw.has(name)) return malformed(`the query has more than one ${name} parameter`);
    raw.set(name, eq === -1 ? '' : part.slice(eq + 1));
  }
  const param = pickParam(raw.has('SAMLRequest'), raw.has('SAMLResponse'));
  if (!param.ok) return param;
  try {
    const value = raw.get(param.param)!;
    const relayState = raw.get('RelayState');
    const sigAlg = raw.get('SigAlg');
    const signature = raw.get('Signature');
    const signedOctets = `${param.param}=${value}${relayState !== undefined ? `&RelayState=${relayState}` : ''}&SigAlg=${sigAlg ?? ''}`;
    const xml = inflate(base64Param(value));
    if (xml === null) return malformed(`${param.param} could not be inflated (it must be raw DEFLATE, then base64)`);
    return {
      ok: true,
      message: {
        binding: 'redirect',
        param: param.param,
        xml,
        relayState: relayState === undefined ? null : formValue(relayState),
        querySignature: sigAlg !== undefined && signature !== undefined ? { sigAlg: formValue(sigAlg), signature: Buffer.from(base64Param(signature), 'base64'), signedOctets } : null,
      },
    };
  } catch {
    return malformed('a SAML query parameter is not valid percent-encoding or base64');
  }
}

/** Reads an HTTP-POST binding message from the parsed form body. */
export function readPostBinding(body: Record<string, unknown>): { ok: true; message: ReceivedLogoutMessage } | SamlFailure {
  const request = typeof body.SAMLRequest === 'string' ? body.SAMLRequest : undefined;
  const response = typeof body.SAMLResponse === 'string' ? body.SAMLResponse : undefined;
  const param = pickParam(request !== undefined, response !== undefined);
  if (!param.ok) return param;
  const b64 = (request ?? response)!.replace(/\s+/g, '');
  if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return malformed(`the ${param.param} form field is not base64`);
  const relayState = typeof body.RelayState === 'string' ? body.RelayState : null;
  return { ok: true, message: { binding: 'post', param: param.param, xml: Buffer.from(b64, 'base64').toString('utf8'), relayState, querySignature: null } };
}

const QUERY_SIG_ALGS: Record<string, { hash: string; sha1: boolean }> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { hash: 'sha256', sha1: false },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { hash: 'sha384', sha1: false },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { hash: 'sha512', sha1: false },
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': { hash: 'sha1', sha1: true },
};

/**
 * Verifies an HTTP-Redirect binding signature (saml-bindings 3.4.4.1) over the octets as received, with the
 * connection's RSA keys only. SHA-1 is refused unless `allowSha1`.
 */
export function verifyQuerySignature(
  sig: NonNullable<ReceivedLogoutMessage['querySignature']>,
  opts: { trustedKeys: readonly KeyObject[]; allowSha1: boolean },
): { ok: true } | SamlFailure {
  const alg = QUERY_SIG_ALGS[sig.sigAlg];
  if (!alg) return { ok: false, code: 'SAML_SIGNATURE_ALGORITHM', detail: `the query is signed with an unsupported SigAlg "${sig.sigAlg.slice(0, 100)}"` };
  if (alg.sha1 && !opts.allowSha1) return { ok: false, code: 'SAML_SIGNATURE_ALGORITHM', detail: 'the query is signed with SHA-1' };
  const data = Buffer.from(sig.signedOctets, 'utf8');
  for (const key of opts.trustedKeys) {
    if (key.asymmetricKeyType !== 'rsa') continue;
    try {
      if (verify(alg.hash, data, key, sig.signature)) return { ok: true };
    } catch {
      // A malformed signature for this key: try the next one.
    }
  }
  return { ok: false, code: 'SAML_SIGNATURE_INVALID', detail: 'the query signature does not verify with any trusted certificate of this connection' };
}

function pickParam(hasRequest: boolean, hasResponse: boolean): { ok: true; param: LogoutParam } | SamlFailure {
  if (hasRequest && hasResponse) return malformed('the message carries both SAMLRequest and SAMLResponse');
  if (!hasRequest && !hasResponse) return { ok: false, code: 'SAML_NOT_A_LOGOUT_MESSAGE', detail: 'neither SAMLRequest nor SAMLResponse was sent' };
  return { ok: true, param: hasRequest ? 'SAMLRequest' : 'SAMLResponse' };
}

const formValue = (raw: string): string => decodeURIComponent(raw.replace(/\+/g, ' '));

/** Base64 never contains spaces, so a literal "+" in a base64 parameter is a "+" the sender left unencoded. */
function base64Param(raw: string): string {
  const value = decodeURIComponent(raw).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw new Error('not base64');
  return value;
}

function inflate(b64: string): string | null {
  try {
    return inflateRawSync(Buffer.from(b64, 'base64'), { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch {
    return null;
  }
}
