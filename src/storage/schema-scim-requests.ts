/**
 * The SCIM inspector's log (issue 16 §2, docs/decisions/0027-scim-inspector.md): the SCIM requests each directory
 * received in the last 7 days, within a count and a byte cap per directory. What is filtered on is in clear
 * columns (method, status, time); the rest (query, verdict, redacted bodies) may name people and is sealed.
 */

export interface ScimRequestsTable {
  id: string; // UUIDv7: time-ordered, the list's tie-break
  directory_id: string;
  at: number; // epoch ms, when the request arrived
  method: string; // GET, POST, PUT, PATCH, DELETE
  path: string; // the path under the directory's SCIM base (`/Users/<id>`), no query
  status: number;
  /** `accepted` (2xx), `refused` (4xx) or `failed` (5xx). */
  outcome: string;
  /** Size of `detail_enc`, what the byte cap counts. */
  bytes: number;
  /** Sealed JSON: {query, verdict, notes, request, response}, bodies redacted and cut to a bound (inspector/entry.ts). */
  detail_enc: string;
}

export interface ScimRequestTables {
  scim_requests: ScimRequestsTable;
}
