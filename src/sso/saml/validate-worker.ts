/**
 * Worker-thread entry of the SAML validation pool (validation-pool.ts): parse once and validate, the pure
 * core's two steps, on a thread of the pool. The DOM never leaves the thread; what comes back is plain data
 * (the header fields the caller checks against its hint, and the verdict), so it is cheap to clone.
 *
 * Keys stay on the thread: a task names them by number (validation-pool.ts numbers each `KeyObject` it sees), and
 * carries the `KeyObject`s themselves only when the thread answered that it lacks one, so the common task is the
 * XML and a few strings and numbers. A number is never reused, so a new connection version or SP key is a new number.
 */
import type { KeyObject } from 'node:crypto';
import { parseSamlResponse, validateSamlResponse } from './validate-response.ts';
import type { SamlFailure, ValidateSamlOptions } from './validation-types.ts';
import { checkpointOnThisThread } from '../../storage/sqlite-checkpoints.ts';

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

/** A task as it crosses to a thread: the keys by number, and (only when the thread asked) the keys themselves. */
export interface WireTask {
  xml: string;
  opts: Omit<ValidationTask['opts'], 'trustedKeys' | 'decryptionKeys'>;
  trusted: number[];
  decryption: number[];
  keys?: [number, KeyObject][];
}

/** What a thread answers: a verdict, or that it lacks keys (the pool then sends the task again with them). */
export type WireVerdict = PooledVerdict | { stage: 'keys' };

/** Parse, check the hint, validate: the same function on a thread and (WORKERS=0) on the main thread. */
export function validate(task: ValidationTask): PooledVerdict {
  const p = parseSamlResponse(task.xml);
  if (!p.ok) return { stage: 'parse', failure: p };
  const inResponseTo = p.parsed.inResponseTo;
  // The caller found its flow by a hint read from the root's start tag; the DOM must agree, else nothing is validated.
  if (inResponseTo !== task.opts.expectedInResponseTo) return { stage: 'header', inResponseTo };
  return { stage: 'validated', result: validateSamlResponse(p.parsed, task.opts) };
}

/** The keys this thread was sent, by number; bounded (a connection's versions and SP keys are few). */
const resident = new Map<number, KeyObject>();
const MAX_RESIDENT = 1000;

function keysOf(ids: number[]): KeyObject[] | null {
  const out: KeyObject[] = [];
  for (const id of ids) {
    const key = resident.get(id);
    if (!key) return null;
    out.push(key);
  }
  return out;
}

/** The thread's entry (piscina calls the default export). */
export default function validateOnThread(task: WireTask): WireVerdict {
  if (task.keys) {
    if (resident.size + task.keys.length > MAX_RESIDENT) resident.clear();
    for (const [id, key] of task.keys) resident.set(id, key);
  }
  const trustedKeys = keysOf(task.trusted);
  const decryptionKeys = keysOf(task.decryption);
  if (!trustedKeys || !decryptionKeys) return { stage: 'keys' };
  return validate({ xml: task.xml, opts: { ...task.opts, trustedKeys, decryptionKeys } });
}

/** piscina's task `{ name: 'checkpoint' }`: a PASSIVE WAL checkpoint of the SQLite file, on this thread's own connection (decision 0056). */
export function checkpoint(file: string): void {
  checkpointOnThisThread(file);
}
