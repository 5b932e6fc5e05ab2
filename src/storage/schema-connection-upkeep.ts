/** Upkeep of SSO connections (issue 14, docs/decisions/0019-metadata-refresh.md): when to fetch a metadata URL again, and which certificate-expiry notices were announced. */
export interface MetadataRefreshTable {
  connection_id: string; // the connection's clientID; one row per connection made from a metadata (or discovery) URL
  next_refresh_at: number; // epoch ms: due when now >= this
  lease_until: number; // epoch ms: an instance holds the refresh until then (0 = free)
  etag: string | null; // validators of the last good answer, sent back as If-None-Match / If-Modified-Since
  last_modified: string | null;
}

export interface CertificateNoticesTable {
  connection_id: string;
  fingerprint: string; // SHA-256 fingerprint of the certificate, as the API shows it
  threshold_days: number; // 30, 14, 7, 1 (expiring) or 0 (expired)
  created_at: number;
}

export interface ConnectionUpkeepTables {
  metadata_refresh: MetadataRefreshTable;
  certificate_notices: CertificateNoticesTable;
}
