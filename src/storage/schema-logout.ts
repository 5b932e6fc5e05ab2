/**
 * Tables of SAML Single Logout (issue 15, decision 0030): the LogoutRequests Gatehouse sent and awaits an answer
 * to. Same conventions as schema.ts.
 */
export interface PendingLogoutsTable {
  id: string; // the LogoutRequest ID: the LogoutResponse's InResponseTo
  connection_id: string;
  sid: string | null; // the app session the logout started from
  redirect_uri: string | null; // the verified post_logout_redirect_uri (null: show the signed-out page)
  state: string | null; // the app's state, echoed
  created_at: number;
  expires_at: number;
  completed_at: number | null; // set once, when its LogoutResponse was accepted
}

export interface LogoutTables {
  pending_logouts: PendingLogoutsTable;
}
