/**
 * Guards against malformed input that would otherwise surface as a 500 deep inside a handler: JSON
 * bodies nested past any real message (JSON.parse copes, but the recursive JSON.stringify and the
 * validators after it overflow the stack), and repeated query parameters on the problem-JSON surfaces
 * (`?tenant=a&tenant=b` arrives as an array where every handler expects a string). Each refusal is a
 * 400 that the surface's own serializer renders.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { GatehouseError } from '../errors.ts';

/** Deeper than any SCIM, OAuth or management message; far below what overflows the stack. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * True when `text` nests objects and arrays more than `max` levels deep. One pass over the text that
 * jumps from quote to quote inside strings (indexOf), so a body costs a fraction of its JSON.parse.
 * Text that is not JSON may give either answer; JSON.parse refuses it afterwards.
 */
export function jsonNestedDeeperThan(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: the next quote not escaped by an odd run of backslashes closes it.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i === -1) return false;
        let k = i - 1;
        while (text.charCodeAt(k) === BACKSLASH) k--;
        if ((i - 1 - k) % 2 === 0) break;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

export const tooDeep = () => new GatehouseError('API_JSON_TOO_DEEP', `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`, { field: 'body' });

/**
 * application/json bodies: Fastify's own parser (secure-json-parse, prototype poisoning refused), after
 * the depth check; an empty body parses as none. Registered once on the root; the SCIM surface parses its bodies itself, with the same check.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    // An empty body under a JSON content type is no body at all: Jackson's clients send it on DELETE and
    // other bodyless calls (Fastify's own parser answers 400 FST_ERR_CTP_EMPTY_JSON_BODY).
    if ((body as string).trim() === '') return done(null, undefined);
    if (jsonNestedDeeperThan(body as string)) return done(tooDeep(), undefined);
    return parse(req, body as string, done);
  });
}

/**
 * Refuses a query parameter sent more than once on the surfaces under `prefixes`, naming it: RFC 6749
 * forbids repeats, and the management APIs read every parameter as one string.
 */
export function refuseRepeatedQueryParams(prefixes: readonly string[]) {
  return (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!prefixes.some((p) => req.url.startsWith(p))) return done();
    const query = req.query as Record<string, unknown> | undefined;
    for (const name in query) {
      if (Array.isArray(query[name])) return done(new GatehouseError('API_VALIDATION', `The query parameter "${name}" is repeated; send it once.`, { field: name }));
    }
    return done();
  };
}
