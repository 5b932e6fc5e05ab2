/** What changed between a connection's stored IdP settings and freshly fetched ones: pure, for `connection.metadata_refreshed`. */
import type { OidcSettings, SamlSettings } from '../connection-settings.ts';

type Cert = SamlSettings['certificates'][number];
const certFacts = (c: Cert) => ({ fingerprint: c.fingerprintSha256, subject: c.subject, notAfter: new Date(c.notAfter).toISOString() });

export interface MetadataChanges {
  certificatesAdded?: ReturnType<typeof certFacts>[];
  certificatesRemoved?: ReturnType<typeof certFacts>[];
  /** Other settings the metadata changed, by name (e.g. "ssoRedirectUrl"). */
  changed: string[];
}

/** Null when nothing a sign-in uses changed. */
export function samlMetadataChanges(before: SamlSettings, after: SamlSettings): MetadataChanges | null {
  const had = new Set(before.certificates.map((c) => c.fingerprintSha256));
  const has = new Set(after.certificates.map((c) => c.fingerprintSha256));
  const added = after.certificates.filter((c) => !had.has(c.fingerprintSha256)).map(certFacts);
  const removed = before.certificates.filter((c) => !has.has(c.fingerprintSha256)).map(certFacts);
  const changed = (['ssoRedirectUrl', 'ssoPostUrl', 'slo'] as const).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
  if (!added.length && !removed.length && !changed.length) return null;
  return { ...(added.length ? { certificatesAdded: added } : {}), ...(removed.length ? { certificatesRemoved: removed } : {}), changed };
}

/** Null when the provider's endpoints and capabilities are the same. */
export function oidcMetadataChanges(before: OidcSettings, after: OidcSettings): MetadataChanges | null {
  const keys = new Set([...Object.keys(before.metadata), ...Object.keys(after.metadata)]) as Set<keyof OidcSettings['metadata']>;
  const changed = [...keys].filter((k) => JSON.stringify(before.metadata[k] ?? null) !== JSON.stringify(after.metadata[k] ?? null)).sort();
  return changed.length ? { changed } : null;
}
