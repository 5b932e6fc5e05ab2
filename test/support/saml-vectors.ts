/**
 * The SAML response vectors of ../shared/vectors/saml/MANIFEST.tsv, loaded the way every test that
 * uses them needs: the response XML, and the options (clock, audience, ACS, trusted certificates,
 * decryption key) its row gives.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { publicKeyFromCertificate, type ValidateSamlOptions } from '../../src/sso/saml/validate-response.ts';
import type { SharedVectors } from './shared-vectors.ts';

export type ManifestRow = Record<string, string>;

export function samlVectorReader(vectors: SharedVectors) {
  const read = (file: string): string => readFileSync(new URL(file, vectors.url), 'utf8');

  function manifest(): ManifestRow[] {
    const [header, ...lines] = read('MANIFEST.tsv').split('\n').filter((l) => l.trim() !== '');
    const columns = header!.split('\t');
    return lines.map((line) => {
      const cells = line.split('\t');
      return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
    });
  }

  function responseXml(file: string): string {
    const raw = read(file);
    return /\.(b64|base64)$/.test(file) ? Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8') : raw;
  }

  function trustedKeys(file: string): KeyObject[] {
    const text = read(file);
    const certs = file.endsWith('.xml') ? metadataSigningCerts(text) : [text];
    assert.ok(certs.length > 0, `no certificate in ${file}`);
    return certs.map(publicKeyFromCertificate);
  }

  /** The options a row gives; `xml` is the response, for rows whose audience is "(any …)". */
  function optionsFor(row: ManifestRow, xml: string): ValidateSamlOptions {
    const audience = row.sp_entity_id_audience!.startsWith('(any')
      ? /<(?:[\w-]+:)?Audience>([^<]*)<\/(?:[\w-]+:)?Audience>/.exec(xml)![1]!.trim()
      : row.sp_entity_id_audience!;
    return {
      trustedKeys: trustedKeys(row.trust!),
      spEntityId: audience,
      acsUrl: row.acs_destination!,
      idpEntityId: row.idp_entity_id || undefined,
      expectedInResponseTo: row.in_response_to || null,
      decryptionKeys: row.decrypt_key ? [createPrivateKey(read(row.decrypt_key))] : [],
      now: Date.parse(row.clock_utc!),
      skewSeconds: 90,
      // Several real captures are rsa-sha1; Gatehouse refuses SHA-1 unless a connection allows it.
      allowSha1: true,
      skipRecipientCheck: row.skip_recipient_check === 'yes',
    };
  }

  /** The response rows (not metadata or keys). */
  const responseRows = (): ManifestRow[] => manifest().filter((r) => r.kind === 'response');

  return { read, manifest, responseRows, responseXml, optionsFor };
}

/** Signing certificates of an IdP metadata file: KeyDescriptors (not use="encryption") of the IDPSSODescriptor. */
function metadataSigningCerts(xml: string): string[] {
  const root = new DOMParser({ onError: () => undefined }).parseFromString(xml.replace(/^\uFEFF/, ''), 'text/xml').documentElement!;
  const certs = new Set<string>();
  const walk = (el: Element, inIdp: boolean, inSigningKey: boolean): void => {
    const idp = inIdp || el.localName === 'IDPSSODescriptor';
    const key = inSigningKey || (idp && el.localName === 'KeyDescriptor' && el.getAttribute('use') !== 'encryption');
    if (key && el.localName === 'X509Certificate') certs.add((el.textContent ?? '').replace(/\s+/g, ''));
    for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) walk(n as Element, idp, key);
  };
  walk(root, false, false);
  return [...certs];
}
