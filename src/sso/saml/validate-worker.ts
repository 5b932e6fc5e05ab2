/**
 * Worker-thread entry of the SAML validation pool (validation-pool.ts): parse once and validate, the pure
 * core's two steps, on a thread of the pool. The DOM never leaves the thread; what comes back is plain data
 * (the header fields the caller checks against its hint, and the verdict), so it is cheap to clone.
 */
import { parseSamlResponse, validateSamlResponse } from './validate-response.ts';
import type { SamlFailure, ValidateSamlOptions } from './validation-types.ts';

export interface ValidationTask {
  /** The decoded SAMLResponse. */
  xml: string;
  /** `expectedInResponseTo` is the flow found by the hint; the thread checks the DOM's InResponseTo equals it first. */
  opts: ValidateSamlOptions & { expectedInResponseTo: string };
}

export type PooledVerdict =
  /** The XML is not a SAML Response this service reads (the same refusal the main-thread parse gives). */
  | { stage: 'parse'; failure: SamlFailure }
  /** The DOM's InResponseTo differs from the hint: nothing was validated, the caller takes the main-thread path. */
  | { stage: 'header'; inResponseTo: string | null }
  | { stage: 'validated'; result: ReturnType<typeof validateSamlResponse> };

export default function validate(task: ValidationTask): PooledVerdict {
  const p = parseSamlResponse(task.xml);
  if (!p.ok) return { stage: 'parse', failure: p };
  const inResponseTo = p.parsed.inResponseTo;
  // The caller found its flow by a hint read from the root's start tag; the DOM must agree, else nothing is validated.
  if (inResponseTo !== task.opts.expectedInResponseTo) return { stage: 'header', inResponseTo };
  return { stage: 'validated', result: validateSamlResponse(p.parsed, task.opts) };
}
