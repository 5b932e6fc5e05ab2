/** Setup links (issue 6): shareable, expiring, revocable links bound to one tenant+product and one service. */
import type { ColumnType } from 'kysely';

export interface SetupLinksTable {
  id: string;
  service: 'sso' | 'dsync';
  tenant: string;
  product: string;
  name: string;
  description: string;
  token_hash: string; // lookup key: SHA-256 of the token
  token_enc: string; // sealed token, only so that Copy can show the URL again
  defaults: string; // JSON: sso {defaultRedirectUrl, redirectUrl[]} | dsync {webhookUrl, webhookSecretEnc}
  expires_at: number;
  created_by: string;
  created_at: number;
  updated_at: number;
  // Progress (migration 023), each set once as it happens except the last test; null until then.
  opened_at: Progress<number>;
  /** A connection (sso) or directory (dsync) first created through the link. */
  created_resource_at: Progress<number>;
  last_test_at: Progress<number>;
  last_test_ok: Progress<number>; // 1 or 0
  last_test_reason: Progress<string>;
  first_scim_request_at: Progress<number>;
  /** The first successful test sign-in (sso) or SCIM push (dsync). */
  completed_at: Progress<number>;
}

type Progress<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** A "test connection" run from a setup link page. */
export interface SetupLinkTestsTable {
  id: string;
  link_id: string; // '' for a test the vendor started (management API, portal): no link
  connection_id: string;
  status: 'pending' | 'succeeded' | 'failed';
  result: string; // JSON: profile, or {code, message, hint}
  created_at: number;
  completed_at: number | null;
  /** The connection version tested (a draft); null: the live version. */
  connection_version: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface SetupLinkTables {
  setup_links: SetupLinksTable;
  setup_link_tests: SetupLinkTestsTable;
}
