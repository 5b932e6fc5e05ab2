/**
 * A real HTTP server that publishes an IdP's SAML metadata the way IdPs do during a certificate rollover: the
 * test changes which certificates it lists, makes it fail (HTTP 500, XML that does not parse, another entityID),
 * and brings it back. It answers conditional GETs (ETag / If-None-Match → 304) and counts every fetch.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const NS_SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const pemBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/** IdP metadata listing every certificate given as a signing certificate. */
export function metadataXmlWith(entityId: string, certPems: string[], ssoUrl: string): string {
  const keys = certPems.map((pem) => `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${pemBody(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="${NS_SAMLP}">${keys}` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`;
}

export type MetadataServerMode = 'ok' | 'http500' | 'badXml' | 'otherEntity';

export interface MetadataServer {
  url: string;
  /** What the server publishes while in mode 'ok'. */
  publish(xml: string): void;
  mode: MetadataServerMode;
  /** Extra headers on 200 answers (e.g. Cache-Control). */
  headers: Record<string, string>;
  /** Every GET received, with the conditional headers it carried. */
  readonly fetches: { ifNoneMatch: string | null; ifModifiedSince: string | null; status: number }[];
  close(): Promise<void>;
}

export async function startMetadataServer(initialXml: string, opts: { otherEntityXml?: string } = {}): Promise<MetadataServer> {
  let xml = initialXml;
  const fetches: MetadataServer['fetches'] = [];
  const state = { mode: 'ok' as MetadataServerMode, headers: {} as Record<string, string> };
  const server = http.createServer((req, res) => {
    const ifNoneMatch = (req.headers['if-none-match'] as string | undefined) ?? null;
    const ifModifiedSince = (req.headers['if-modified-since'] as string | undefined) ?? null;
    const answer = (status: number, body: string, headers: Record<string, string> = {}) => {
      fetches.push({ ifNoneMatch, ifModifiedSince, status });
      res.writeHead(status, headers);
      res.end(body);
    };
    if (state.mode === 'http500') return answer(500, 'internal error');
    const body = state.mode === 'badXml' ? '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><broken' : state.mode === 'otherEntity' ? (opts.otherEntityXml ?? xml.replace(/entityID="[^"]*"/, 'entityID="https://other-idp.example.test/"')) : xml;
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (ifNoneMatch === etag) return answer(304, '', { etag });
    answer(200, body, { 'content-type': 'application/samlmetadata+xml', etag, ...state.headers });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metadata.xml`,
    publish: (next) => { xml = next; },
    get mode() { return state.mode; },
    set mode(m) { state.mode = m; },
    get headers() { return state.headers; },
    set headers(h) { state.headers = h; },
    fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
