/**
 * Request URLs as the access log writes them: without the values of query parameters that carry secrets or personal
 * data, and without the token a setup link or portal link carries as a path segment. The URL is matched as the router
 * and the OAuth/SAML parsers read it — percent-decoded, case-insensitive for names, empty segments ignored — so an
 * encoded or mistyped form (`/%73etup/<token>`, `//Setup/<token>`, `?%61ccess_token=`) is redacted too, whether or not
 * it routes. A part that does not decode is not logged at all.
 */

/** Query parameters whose values are secrets or personal data (`filter` and `login_hint` carry directory data). */
const SECRET_PARAMS = new Set([
  'access_token', 'refresh_token', 'id_token', 'id_token_hint', 'logout_token', 'code', 'code_verifier', 'client_secret',
  'client_assertion', 'assertion', 'token', 'password', 'samlresponse', 'samlrequest', 'signature', 'filter', 'login_hint',
]);

/** Paths whose segment after these is a link token: /setup/<token>, /api/setup/<token>/…, /portal/<token>. */
const TOKEN_AFTER = [['setup'], ['api', 'setup'], ['portal']];

const REDACTED = '[redacted]';

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function redactPath(path: string): string {
  const plain = decoded(path);
  if (plain === null) return `/${REDACTED}`;
  const segments = plain.split('/').filter((s) => s !== '');
  const lower = segments.map((s) => s.toLowerCase());
  const prefix = TOKEN_AFTER.find((p) => p.length < segments.length && p.every((s, i) => lower[i] === s));
  if (!prefix) return path;
  return `/${[...segments.slice(0, prefix.length), REDACTED, ...segments.slice(prefix.length + 1)].map(encodeURIComponent).join('/')}`.replace(encodeURIComponent(REDACTED), REDACTED);
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      const name = decoded(rawName.replace(/\+/g, ' '));
      if (name !== null && !SECRET_PARAMS.has(name.trim().toLowerCase())) return pair;
      return eq === -1 ? pair : `${rawName}=${REDACTED}`;
    })
    .join('&');
}

/** The URL for a log line: secret path segments and parameter values replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return redactPath(url);
  return `${redactPath(url.slice(0, q))}?${redactQuery(url.slice(q + 1))}`;
}
