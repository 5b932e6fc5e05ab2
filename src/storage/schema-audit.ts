/** The audit log: every change made through the portal, the management API or a setup link. */
export interface AuditEventsTable {
  id: string;
  at: number;
  actor_type: 'admin' | 'api_key' | 'setup_link' | 'system';
  actor_id: string;
  actor_label: string;
  action: string; // e.g. sso.connection.created
  target_type: string;
  target_id: string;
  tenant: string | null;
  product: string | null;
  ip: string | null;
  summary: string; // JSON {before?, after?} with secrets removed
}

export interface AuditTables {
  audit_events: AuditEventsTable;
}
