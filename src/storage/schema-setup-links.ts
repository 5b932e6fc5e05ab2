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
}

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
