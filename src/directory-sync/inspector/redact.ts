/**
 * Redaction of what the SCIM inspector keeps (docs/decisions/0027-scim-inspector.md). Headers are never kept, so
 * the bearer token never reaches the log; in bodies, passwords and anything secret-looking are replaced: keys
 * named like a secret, PATCH operations whose path names one, and values shaped like tokens (JWTs, `Bearer …`).
 * Bodies are then cut to a bound. Pure.
 */

export const REDACTED = '[redacted]';

/** Keys whose values are secrets, in any case (`password`, `clientSecret`, `apiToken`, `urn:…:password`, `pin`). */
const SECRET_KEY = /(password|passwd|pwd|secret|token|api_?key|private_?key|credentials?)$|(^|[:._-])(pin|otp)$/i;
/** A JWT, a `Bearer`/`Basic` credential, or a PEM private key. */
const SECRET_VALUE = /^(eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*|(bearer|basic)\s+\S{8,}|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*)$/i;

export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key.trim());

/** A copy of a JSON value with every secret replaced by "[redacted]". */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 64) return REDACTED;
  if (typeof value === 'string') return SECRET_VALUE.test(value.trim()) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  // A PATCH operation that sets a secret by path: `{"op": "replace", "path": "password", "value": "…"}`.
  const pathIsSecret = typeof obj.path === 'string' && typeof obj.op === 'string' && isSecretKey(obj.path.replace(/\[.*$/, ''));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (isSecretKey(k) && v !== null && v !== undefined) out[k] = REDACTED;
    else if (pathIsSecret && k === 'value') out[k] = REDACTED;
    else out[k] = redact(v, depth + 1);
  }
  return out;
}

/** A filter that names a secret attribute keeps its attribute names but loses its quoted values. */
export function redactFilter(filter: string): string {
  return /pass|secret|token|pwd|key/i.test(filter) ? filter.replace(/"(?:[^"\\]|\\.)*"/g, `"${REDACTED}"`) : filter;
}

/** Query parameters as kept: SCIM's own (`filter`, `startIndex`, …), with secret-looking ones redacted. */
export function redactQuery(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    const text = Array.isArray(v) ? v.map(String).join(',') : String(v);
    out[k] = isSecretKey(k) || SECRET_VALUE.test(text.trim()) ? REDACTED : k.toLowerCase() === 'filter' ? redactFilter(text) : text;
  }
  return out;
}

export interface Cut {
  truncated: true;
  /** Characters of the redacted JSON text. */
  length: number;
  /** Its start, for the reader. */
  start: string;
}

/** The redacted body, or its start when its JSON text is longer than `max` characters. */
export function bounded(value: unknown, max: number): unknown {
  return JSON.parse(boundedJson(value, max));
}

/** `bounded` as JSON text, stringifying once. */
export function boundedJson(value: unknown, max: number): string {
  if (value === undefined || value === null || value === '') return 'null';
  const text = JSON.stringify(value);
  return cutJson(text, max);
}

/** JSON text kept whole up to `max` characters, else its start in a `Cut`. */
export const cutJson = (text: string, max: number): string =>
  text.length <= max ? text : JSON.stringify({ truncated: true, length: text.length, start: text.slice(0, max) } satisfies Cut);

/** Anything that might need redacting, by name or shape; text without it is kept as it is, unparsed. */
const MAYBE_SECRET = /pass|pwd|secret|token|api_?key|private|credential|pin|otp|eyJ|bearer|basic/i;

/**
 * An answer's JSON text, redacted and bounded. SCIM answers rarely hold anything to redact (passwords are never
 * stored), so text with no secret-looking name or value is kept as sent without being parsed again.
 */
export function redactedAnswer(text: string, max: number): string {
  if (!text) return 'null';
  // Gatehouse's own SCIM answers are JSON objects (the serializer writes them); anything else takes the slow path.
  const object = text.startsWith('{') && text.endsWith('}');
  if (object && !MAYBE_SECRET.test(text)) return cutJson(text, max);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  return boundedJson(redact(value), max);
}
