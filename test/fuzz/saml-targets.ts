/**
 * Fuzz target for the SAML response validator: real responses from ../shared/vectors/saml, mutated,
 * through parseSamlResponse + validateSamlResponse with the options their manifest row gives. The vectors are
 * handed in (SharedVectors): the callers find them with test/support/shared-vectors.ts, which skips loudly when
 * ../shared is absent (and fails in CI).
 *
 * Property, kept exact: the validator never throws and always answers {ok: true, …} or a failure
 * with a catalogued code; and a mutated response is accepted only when what it yields (subject,
 * attributes, issuer, assertion id, time bounds, session) is exactly what the unmutated response
 * yields, i.e. the mutation touched nothing that the signature covers and the validator reads
 * (whitespace between elements, a comment outside the signed element, an optional unsigned
 * attribute such as Destination removed). Anything else accepted is a signature bypass.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { ERRORS } from '../../src/errors.ts';
import { parseSamlResponse, validateSamlResponse, type SamlAssertionResult, type SamlFailure, type ValidateSamlOptions } from '../../src/sso/saml/validate-response.ts';
import type { SharedVectors } from '../support/shared-vectors.ts';
import { samlVectorReader } from '../support/saml-vectors.ts';
import type { FuzzTarget, Outcome } from './harness.ts';
import { applyMutation, samlMutation, type SamlMutation } from './saml-mutations.ts';

interface Vector {
  file: string;
  xml: string;
  options: ValidateSamlOptions;
  /** What an accepted mutation may yield: the original's result, or null when no mutation may be accepted. */
  reference: SamlAssertionResult | null;
}

/**
 * The Response with its own (enveloped) signature removed. The one vector whose Response signature is
 * broken but whose Assertion signature is genuine (manifest: valid-if-assertion-sig-only) is accepted
 * once that broken signature is gone: the Assertion then stands on its own signature, so a mutation
 * that removes it may be accepted, with exactly the data the signed Assertion carries.
 */
function withoutResponseSignature(xml: string): string {
  const doc = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
  const root = doc.documentElement!;
  for (let c = root.firstChild; c; c = c.nextSibling) if (c.nodeType === 1 && (c as Element).localName === 'Signature') root.removeChild(c);
  return new XMLSerializer().serializeToString(doc);
}

function validate(xml: string, options: ValidateSamlOptions): ({ ok: true } & SamlAssertionResult) | SamlFailure {
  const parsed = parseSamlResponse(xml);
  if (!parsed.ok) return parsed;
  const result = validateSamlResponse(parsed.parsed, options);
  return result.ok ? { ...result.assertion, ok: true } : result;
}

/** What a consumer of the validator reads from an accepted response. */
const yielded = (r: SamlAssertionResult) => ({
  assertionId: r.assertionId, issuer: r.issuer, nameId: r.nameId, nameIdFormat: r.nameIdFormat, sessionIndex: r.sessionIndex,
  inResponseTo: r.inResponseTo, attributes: r.attributes, notOnOrAfter: r.notOnOrAfter, authnInstant: r.authnInstant,
  sessionNotOnOrAfter: r.sessionNotOnOrAfter,
});

export interface SamlInput {
  vector: number;
  mutations: SamlMutation[];
}

export function samlResponseTarget(vectors: SharedVectors): FuzzTarget<SamlInput> {
  const reader = samlVectorReader(vectors);
  const loaded: Vector[] = reader.responseRows().map((row) => {
    const xml = reader.responseXml(row.file!);
    const options = reader.optionsFor(row, xml);
    const original = validate(xml, options);
    const standalone = row.expected === 'valid-if-assertion-sig-only' ? validate(withoutResponseSignature(xml), options) : null;
    const reference = original.ok ? original : standalone?.ok ? standalone : null;
    return { file: row.file!, xml, options, reference };
  });
  return {
    name: 'SAML response validator',
    method: `${loaded.length} real responses (../shared/vectors/saml) with 1-3 mutations: bit flips, truncation, element duplicate/remove/reorder/move, attribute swaps, text, namespaces, insertions`,
    arbitrary: fc.record({ vector: fc.nat({ max: loaded.length - 1 }), mutations: fc.array(samlMutation, { minLength: 1, maxLength: 3 }) }),
    run({ vector, mutations }): Outcome {
      const v = loaded[vector]!;
      const xml = mutations.reduce(applyMutation, v.xml);
      let result;
      try {
        result = validate(xml, v.options);
      } catch (err) {
        return { verdict: 'thrown', detail: `${v.file}: ${(err as Error).stack ?? err}` };
      }
      if (result.ok !== true) {
        if (result.ok !== false || !(result.code in ERRORS) || typeof result.detail !== 'string') return { verdict: 'violation', detail: `${v.file}: untyped result ${JSON.stringify(result)}` };
        return { verdict: 'refused' };
      }
      if (xml === v.xml) return { verdict: 'accepted' };
      if (!v.reference) return { verdict: 'violation', detail: `${v.file}: refused unmutated, accepted after mutation as ${result.nameId}` };
      if (!isDeepStrictEqual(yielded(result), yielded(v.reference))) {
        return { verdict: 'violation', detail: `${v.file}: a mutated response was accepted with other data: ${JSON.stringify(yielded(result))} instead of ${JSON.stringify(yielded(v.reference))}` };
      }
      return { verdict: 'accepted' };
    },
  };
}
