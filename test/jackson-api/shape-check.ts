/**
 * The small schema check of the Jackson shapes suite: a documented OpenAPI schema (the subset Jackson's
 * `@openapi` blocks use: type, properties, items, required) against a JSON answer, and an answer against the
 * one Jackson's own controllers give for the same operation (same keys, same JSON types). Each returns the
 * problems found as readable strings, empty when the answer fits.
 */

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  description?: string;
}

/**
 * Where Jackson's documentation and Jackson's answers disagree, an app built on Jackson reads what Jackson
 * answers: these documented types are corrected to what @boxyhq/saml-jackson 26.2.0's controllers return.
 */
export const DOC_ERRATA: Record<string, { type: string; why: string }> = {
  validTill: { type: 'number', why: 'documented as a string; Jackson answers epoch milliseconds (a number)' },
  expires_in: { type: 'number', why: 'documented as a string; Jackson answers a number of seconds' },
  timestamp: { type: 'number', why: 'SSO traces: documented as a string; Jackson answers epoch milliseconds (a number)' },
  type: { type: 'string', why: 'Identity Federation apps: documented as an array of strings; Jackson reads and answers one string, "saml" or "oidc" (directories\' type is a string as documented)' },
};

/** Keys that carry secrets: an answer may hold one only where Jackson's documentation or answer has it too. */
const SECRET_KEY = /secret|password|private|access_?token|refresh_?token|api_?key/i;

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
const fits = (type: string, v: unknown) => {
  const t = jsonType(v);
  return type === t || (type === 'number' && t === 'integer');
};
const isObject = (v: unknown): v is Record<string, unknown> => jsonType(v) === 'object';

/** Problems of `value` against the documented `schema`; `null` values count as absent (Jackson omits them). */
export function documentedShapeProblems(schema: Schema | null | undefined, value: unknown, at = '$'): string[] {
  if (!schema) return [];
  const problems: string[] = [];
  const key = at.split('.').pop()!.replace(/\[\d+\]$/, '');
  const type = DOC_ERRATA[key]?.type ?? schema.type ?? (schema.properties ? 'object' : undefined);
  if (type && !fits(type, value)) return [`${at}: documented ${type}, got ${jsonType(value)}`];
  if (isObject(value)) {
    for (const name of schema.required ?? []) if (value[name] === undefined || value[name] === null) problems.push(`${at}.${name}: documented as required, missing`);
    for (const [name, sub] of Object.entries(schema.properties ?? {})) {
      if (value[name] !== undefined && value[name] !== null) problems.push(...documentedShapeProblems(sub, value[name], `${at}.${name}`));
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => problems.push(...documentedShapeProblems(schema.items, item, `${at}[${i}]`)));
  return problems;
}

/**
 * Problems of Gatehouse's answer against Jackson's answer to the same operation: every key Jackson gives (with a
 * value) is there with the same JSON type, down through objects and the first element of arrays.
 */
export function jacksonKeyProblems(jackson: unknown, gatehouse: unknown, at = '$'): string[] {
  if (jackson === null || jackson === undefined) return [];
  if (!fits(jsonType(jackson) === 'integer' ? 'number' : jsonType(jackson), gatehouse)) return [`${at}: Jackson answers ${jsonType(jackson)}, Gatehouse ${jsonType(gatehouse)}`];
  // `raw` is documented as free-form: the IdP's own SCIM attributes, whose keys differ by IdP and by store.
  if (at.endsWith('.raw')) return [];
  if (isObject(jackson) && isObject(gatehouse)) {
    return Object.keys(jackson).flatMap((k) => {
      if (jackson[k] === null || jackson[k] === undefined) return [];
      if (gatehouse[k] === undefined || gatehouse[k] === null) return [`${at}.${k}: Jackson answers it, Gatehouse does not`];
      return jacksonKeyProblems(jackson[k], gatehouse[k], `${at}.${k}`);
    });
  }
  if (Array.isArray(jackson) && Array.isArray(gatehouse) && jackson.length > 0) {
    if (gatehouse.length === 0) return [`${at}: Jackson lists ${jackson.length}, Gatehouse none`];
    return jacksonKeyProblems(jackson[0], gatehouse[0], `${at}[0]`);
  }
  return [];
}

/** Paths of secret-named keys with a string value in `value` (recursively), e.g. `$.scim.secret`; flags such as `webhookSecretSet: true` are not secrets. */
export function secretKeyPaths(value: unknown, at = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretKeyPaths(v, `${at}[${i}]`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [...(SECRET_KEY.test(k) && typeof v === 'string' && v !== '' ? [`${at}.${k}`] : []), ...secretKeyPaths(v, `${at}.${k}`)]);
}

/** `$[3].scim.secret` → `$[].scim.secret`: the same key in every element of a list. */
const generic = (path: string) => path.replace(/\[\d+\]/g, '[]');

/** Secret-named keys Gatehouse answers where neither Jackson's documentation nor Jackson's answer has one. */
export function extraSecretProblems(gatehouse: unknown, allowed: { schema?: Schema | null; jackson?: unknown }): string[] {
  const documented = new Set<string>();
  const walk = (s: Schema | null | undefined, at: string) => {
    if (!s) return;
    for (const [k, sub] of Object.entries(s.properties ?? {})) {
      documented.add(`${at}.${k}`);
      walk(sub, `${at}.${k}`);
    }
    if (s.items) walk(s.items, `${at}[]`);
  };
  walk(allowed.schema, '$');
  const jacksonHas = new Set(secretKeyPaths(allowed.jackson).map(generic));
  return secretKeyPaths(gatehouse).map(generic).filter((p, i, all) => all.indexOf(p) === i && !documented.has(p) && !jacksonHas.has(p)).map((p) => `${p}: a secret Jackson does not answer here`);
}
