/** Setup links (issue 6): shareable, expiring, revocable links bound to one tenant+product and one service. */
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
  link_id: string;
  connection_id: string;
  status: 'pending' | 'succeeded' | 'failed';
  result: string; // JSON: profile, or {code, message, hint}
  created_at: number;
  completed_at: number | null;
}

export interface SetupLinkTables {
  setup_links: SetupLinksTable;
  setup_link_tests: SetupLinkTestsTable;
}
