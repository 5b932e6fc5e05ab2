/**
 * Worker-thread entry of the SAML validation pool (validation-pool.ts): parse once and validate, the pure
 * core's two steps, on a thread of the pool. The DOM never leaves the thread; what comes back is plain data
 * (the header fields the caller checks against its hint, and the verdict), so it is cheap to clone.
 */
import { parseSamlResponse, validateSamlResponse } from './validate-response.ts';
import type { PooledVerdict, ValidationTask } from './validation-pool.ts';

export default function validate(task: ValidationTask): PooledVerdict {
  const p = parseSamlResponse(task.xml);
  if (!p.ok) return { stage: 'parse', failure: p };
  const inResponseTo = p.parsed.inResponseTo;
  // The caller found its flow by a hint read from the root's start tag; the DOM must agree, else nothing is validated.
  if (inResponseTo !== task.opts.expectedInResponseTo) return { stage: 'header', inResponseTo };
  return { stage: 'validated', result: validateSamlResponse(p.parsed, task.opts) };
}
