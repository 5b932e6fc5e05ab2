/**
 * Verification of one enveloped XML signature over the element it is a direct child of.
 *
 * Exclusive c14n is exc-c14n.ts (xml-crypto's output in a third of the CPU); inclusive c14n is xml-crypto's.
 * References, transforms, digests and the signature value are handled here with node:crypto so that nothing
 * is looked up by document-wide XPath and nothing in the message chooses the key (KeyInfo is never read).
 */
import { createHash, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { lazy, lazyRequire } from '../../lazy-require.ts';
import type { ErrorCode } from '../../errors.ts';
import { exclusiveC14n } from './exc-c14n.ts';
import { NS, ancestorNamespaces, attr, childElements, firstChild, strictTextOf } from './xml-dom.ts';

export type SignatureFailure = { ok: false; code: Extract<ErrorCode, 'SAML_SIGNATURE_INVALID' | 'SAML_SIGNATURE_ALGORITHM'>; detail: string };

const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

interface C14nMethod { exclusive: boolean; comments: boolean }
const C14N_METHODS: Record<string, C14nMethod> = {
  'http://www.w3.org/2001/10/xml-exc-c14n#': { exclusive: true, comments: false },
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments': { exclusive: true, comments: true },
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315': { exclusive: false, comments: false },
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments': { exclusive: false, comments: true },
};

interface DigestMethod { hash: string; sha1: boolean }
const DIGEST_METHODS: Record<string, DigestMethod> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': { hash: 'sha1', sha1: true },
  'http://www.w3.org/2001/04/xmlenc#sha256': { hash: 'sha256', sha1: false },
  'http://www.w3.org/2001/04/xmldsig-more#sha384': { hash: 'sha384', sha1: false },
  'http://www.w3.org/2001/04/xmlenc#sha512': { hash: 'sha512', sha1: false },
};

interface SignatureMethod { hash: string; keyType: 'rsa' | 'ec'; sha1: boolean }
const SIGNATURE_METHODS: Record<string, SignatureMethod> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': { hash: 'sha1', keyType: 'rsa', sha1: true },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { hash: 'sha256', keyType: 'rsa', sha1: false },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { hash: 'sha384', keyType: 'rsa', sha1: false },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { hash: 'sha512', keyType: 'rsa', sha1: false },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { hash: 'sha256', keyType: 'ec', sha1: false },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { hash: 'sha384', keyType: 'ec', sha1: false },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { hash: 'sha512', keyType: 'ec', sha1: false },
};

// The inclusive canonicalizers keep no per-call state, so one instance of each serves every call. xml-crypto is
// loaded with the first inclusive c14n (src/lazy-require.ts).
const xmlCrypto = lazyRequire<typeof import('xml-crypto')>('xml-crypto');
const c14n = lazy(() => {
  const x = xmlCrypto();
  return { INC: new x.C14nCanonicalization(), INC_COMMENTS: new x.C14nCanonicalizationWithComments() };
});

interface SignatureParts {
  signedInfo: Element;
  signedInfoC14n: C14nMethod;
  signedInfoPrefixes: string[];
  method: SignatureMethod;
  referenceC14n: C14nMethod;
  referencePrefixes: string[];
  digest: DigestMethod;
  digestValue: Buffer;
  signatureValue: Buffer;
}

const invalid = (detail: string): SignatureFailure => ({ ok: false, code: 'SAML_SIGNATURE_INVALID', detail });

/**
 * Verifies `signature`, a direct child of `target`, against the trusted keys only. The single
 * Reference must point at `target` by its ID, with the enveloped-signature transform and one
 * canonicalization; SHA-1 is refused unless `allowSha1`.
 */
export function verifyEnvelopedSignature(
  signature: Element,
  target: Element,
  opts: { trustedKeys: readonly KeyObject[]; allowSha1: boolean; label: string },
): { ok: true } | SignatureFailure {
  if (signature.parentNode !== target) return invalid(`the ${opts.label} signature is not a direct child of the ${opts.label}`);
  const id = attr(target, 'ID');
  if (!id) return invalid(`the signed ${opts.label} has no ID`);
  const parts = readSignature(signature, id, opts.label);
  if (!parts.ok) return parts;
  const p = parts.value;
  if (!opts.allowSha1 && (p.method.sha1 || p.digest.sha1)) {
    return { ok: false, code: 'SAML_SIGNATURE_ALGORITHM', detail: `the ${opts.label} is signed with SHA-1` };
  }

  let referenced: string;
  let signedInfo: string;
  try {
    // A same-document reference ("#id") is dereferenced without comments whichever c14n is named.
    referenced = canonicalize(target, p.referenceC14n.exclusive, false, p.referencePrefixes, signature);
    signedInfo = canonicalize(p.signedInfo, p.signedInfoC14n.exclusive, p.signedInfoC14n.comments, p.signedInfoPrefixes, null);
  } catch (error) {
    return invalid(`the ${opts.label} could not be canonicalized: ${(error as Error).message}`);
  }
  const digest = createHash(p.digest.hash).update(referenced, 'utf8').digest();
  if (digest.length !== p.digestValue.length || !timingSafeEqual(digest, p.digestValue)) {
    return invalid(`the ${opts.label} digest does not match its content (the ${opts.label} was changed after signing)`);
  }
  const data = Buffer.from(signedInfo, 'utf8');
  for (const key of opts.trustedKeys) {
    if (key.asymmetricKeyType !== p.method.keyType) continue;
    try {
      const ok = p.method.keyType === 'ec'
        ? verify(p.method.hash, data, { key, dsaEncoding: 'ieee-p1363' }, p.signatureValue)
        : verify(p.method.hash, data, key, p.signatureValue);
      if (ok) return { ok: true };
    } catch {
      // A malformed signature value for this key type: try the next key.
    }
  }
  return invalid(`the ${opts.label} signature does not verify with any trusted certificate of this connection`);
}

function readSignature(signature: Element, id: string, label: string): { ok: true; value: SignatureParts } | SignatureFailure {
  for (const child of childElements(signature)) {
    const known = child.namespaceURI === NS.dsig && ['SignedInfo', 'SignatureValue', 'KeyInfo', 'Object'].includes(child.localName ?? '');
    if (!known) return invalid(`unexpected element ${child.nodeName} in the ${label} signature`);
  }
  const signedInfos = childElements(signature, NS.dsig, 'SignedInfo');
  const signatureValues = childElements(signature, NS.dsig, 'SignatureValue');
  if (signedInfos.length !== 1 || signatureValues.length !== 1) return invalid(`the ${label} signature needs exactly one SignedInfo and one SignatureValue`);
  const signedInfo = signedInfos[0]!;

  const c14nEls = childElements(signedInfo, NS.dsig, 'CanonicalizationMethod');
  const methodEls = childElements(signedInfo, NS.dsig, 'SignatureMethod');
  const references = childElements(signedInfo, NS.dsig, 'Reference');
  if (c14nEls.length !== 1 || methodEls.length !== 1) return invalid(`the ${label} SignedInfo needs exactly one CanonicalizationMethod and one SignatureMethod`);
  if (references.length !== 1) return invalid(`the ${label} signature must have exactly one Reference (it has ${references.length})`);
  if (childElements(signedInfo).length !== 3) return invalid(`unexpected element in the ${label} SignedInfo`);

  const c14nUri = attr(c14nEls[0]!, 'Algorithm') ?? '';
  const signedInfoC14n = C14N_METHODS[c14nUri];
  if (!signedInfoC14n) return invalid(`unsupported CanonicalizationMethod ${c14nUri}`);
  const methodUri = attr(methodEls[0]!, 'Algorithm') ?? '';
  const method = SIGNATURE_METHODS[methodUri];
  if (!method) return invalid(`unsupported SignatureMethod ${methodUri}`);

  const reference = references[0]!;
  const uri = attr(reference, 'URI');
  if (uri !== `#${id}`) return invalid(`the ${label} signature references "${uri ?? ''}" instead of its parent "#${id}"`);
  const ref = readReference(reference, label);
  if (!ref.ok) return ref;

  const signatureText = strictTextOf(signatureValues[0]!);
  if (signatureText === null) return invalid(`the ${label} SignatureValue holds something other than text`);
  const signatureValue = decodeBase64(signatureText);
  if (!signatureValue) return invalid(`the ${label} SignatureValue is not base64`);

  return {
    ok: true,
    value: {
      signedInfo,
      signedInfoC14n,
      signedInfoPrefixes: signedInfoC14n.exclusive ? inclusivePrefixes(c14nEls[0]!) : [],
      method,
      ...ref.value,
      signatureValue,
    },
  };
}

function readReference(
  reference: Element,
  label: string,
): { ok: true; value: Pick<SignatureParts, 'referenceC14n' | 'referencePrefixes' | 'digest' | 'digestValue'> } | SignatureFailure {
  const transformsEls = childElements(reference, NS.dsig, 'Transforms');
  const digestMethods = childElements(reference, NS.dsig, 'DigestMethod');
  const digestValues = childElements(reference, NS.dsig, 'DigestValue');
  if (transformsEls.length > 1 || digestMethods.length !== 1 || digestValues.length !== 1) {
    return invalid(`the ${label} Reference needs one DigestMethod, one DigestValue and at most one Transforms`);
  }
  if (childElements(reference).length !== transformsEls.length + 2) return invalid(`unexpected element in the ${label} Reference`);

  // Accepted: enveloped-signature, optionally followed by one (exclusive) c14n. With none, the
  // node-set is turned into octets with inclusive c14n, as XMLDSig says.
  const transforms = transformsEls.length ? childElements(transformsEls[0]!) : [];
  const algorithms = transforms.map((t) => (t.namespaceURI === NS.dsig && t.localName === 'Transform' ? attr(t, 'Algorithm') ?? '' : '?'));
  if (algorithms[0] !== ENVELOPED || algorithms.length > 2) {
    return invalid(`unsupported transforms in the ${label} signature: ${algorithms.join(', ') || 'none'}`);
  }
  let referenceC14n: C14nMethod = { exclusive: false, comments: false };
  let referencePrefixes: string[] = [];
  if (algorithms.length === 2) {
    const method = C14N_METHODS[algorithms[1]!];
    if (!method) return invalid(`unsupported transform ${algorithms[1]} in the ${label} signature`);
    referenceC14n = method;
    if (method.exclusive) referencePrefixes = inclusivePrefixes(transforms[1]!);
  }

  const digestUri = attr(digestMethods[0]!, 'Algorithm') ?? '';
  const digest = DIGEST_METHODS[digestUri];
  if (!digest) return invalid(`unsupported DigestMethod ${digestUri}`);
  const digestText = strictTextOf(digestValues[0]!);
  if (digestText === null) return invalid(`the ${label} DigestValue holds something other than text (e.g. a comment)`);
  const digestValue = decodeBase64(digestText);
  if (!digestValue) return invalid(`the ${label} DigestValue is not base64`);
  return { ok: true, value: { referenceC14n, referencePrefixes, digest, digestValue } };
}

/** The PrefixList of an ec:InclusiveNamespaces child. */
function inclusivePrefixes(el: Element): string[] {
  const inclusive = firstChild(el, NS.excC14n, 'InclusiveNamespaces');
  const list = inclusive ? attr(inclusive, 'PrefixList') ?? '' : '';
  return list.split(/\s+/).filter((p) => p.length > 0);
}

function decodeBase64(text: string): Buffer | null {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

/**
 * Canonicalizes `el` in place. The enveloped signature (`without`) is detached for the duration
 * and put back, and for exclusive c14n with an InclusiveNamespaces list the ancestor bindings of
 * the listed prefixes are declared on `el` for the duration (what xml-crypto does on a deep clone;
 * doing it in place and undoing it saves the clone).
 */
function canonicalize(el: Element, exclusive: boolean, comments: boolean, prefixes: string[], without: Element | null): string {
  const parent = without?.parentNode ?? null;
  const next = without?.nextSibling ?? null;
  if (without && parent) parent.removeChild(without);
  const added: string[] = [];
  try {
    if (exclusive) {
      if (prefixes.length) {
        for (const ns of ancestorNamespaces(el)) {
          if (ns.prefix && prefixes.includes(ns.prefix)) {
            el.setAttributeNS(NS.xmlns, `xmlns:${ns.prefix}`, ns.namespaceURI);
            added.push(ns.prefix);
          }
        }
      }
      return exclusiveC14n(el, prefixes, comments);
    }
    const { INC, INC_COMMENTS } = c14n();
    return (comments ? INC_COMMENTS : INC).process(el as unknown as globalThis.Node, {
      ancestorNamespaces: ancestorNamespaces(el),
      defaultNsForPrefix: {},
    });
  } finally {
    for (const prefix of added) el.removeAttributeNS(NS.xmlns, prefix);
    if (without && parent) parent.insertBefore(without, next);
  }
}
