/**
 * Pure: the InResponseTo of a SAML Response read from its root start tag without parsing the document, so the
 * ACS can find its login flow and connection before the one full parse, which then runs on a worker thread.
 * Only a lookup key: the worker compares it with the parsed DOM's InResponseTo before validating anything, and
 * whatever this cannot read plainly (a DOCTYPE, entities, an unusual prologue) gives null and the main-thread path.
 */

/** What a flow id can look like (start-login.ts: `_` + base64url); anything else is left to the full parse. */
const PLAIN_ID = /^[A-Za-z0-9_.-]{1,128}$/;
/** Optional XML declaration, then comments and whitespace only, then the root start tag's name. */
const PROLOGUE = /^(?:\uFEFF)?(?:<\?xml[^<>]*\?>)?(?:\s|<!--(?:(?!--)[\s\S])*-->)*<(?:[A-Za-z_][\w.-]*:)?Response(?=[\s>/])/;
/** One attribute of a start tag; `>` may appear inside a quoted value, so the tag is read attribute by attribute. */
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;

export function inResponseToHint(xml: string): string | null {
  const head = PROLOGUE.exec(xml.length > 16_384 ? xml.slice(0, 16_384) : xml);
  if (!head) return null;
  ATTRIBUTE.lastIndex = head[0].length;
  let found: string | null = null;
  for (let m = ATTRIBUTE.exec(xml); m; m = ATTRIBUTE.exec(xml)) {
    if (m[1] !== 'InResponseTo') continue;
    if (found !== null) return null; // a duplicate attribute is malformed XML: the full parse says so
    found = m[2] ?? m[3] ?? '';
  }
  return found !== null && PLAIN_ID.test(found) ? found : null;
}
