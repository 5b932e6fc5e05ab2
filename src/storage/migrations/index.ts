/**
 * One migration set for every dialect, applied in name order. Migrations only expand (add tables, columns,
 * indexes) in a release; contracting changes wait for the next one so old instances keep working during a
 * deploy. Each feature adds its own file and one line here.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { traitsOf, type DialectName, type DialectTraits } from '../dialect.ts';
import { ssoBackbone } from './001-sso-backbone.ts';
import { directorySync } from './002-directory-sync.ts';
import { tenancy } from './003-tenancy.ts';
import { audit } from './004-audit.ts';
import { setupLinks } from './005-setup-links.ts';
import { admin } from './006-admin.ts';
import { outboxClaimIndexes } from './007-outbox-claim-indexes.ts';
import { adminTrust } from './008-admin-trust.ts';
import { rateLimits } from './009-rate-limits.ts';
import { traceCaps } from './010-trace-caps.ts';
import { directoryScimSecretSealed } from './011-directory-scim-secret-sealed.ts';
import { identityFederation } from './012-identity-federation.ts';
import { vendorEvents } from './014-vendor-events.ts';
import { connectionUpkeep } from './015-connection-upkeep.ts';
import { connectionVersions } from './016-connection-versions.ts';
import { productIndexes } from './017-product-indexes.ts';
import { federationOidcApps } from './018-federation-oidc-apps.ts';
import { appSessions } from './019-app-sessions.ts';
import { productSessions } from './020-product-sessions.ts';
import { setupLinkProgress } from './023-setup-link-progress.ts';
import { scimRequests } from './024-scim-requests.ts';
import { rolesAndReconciliation } from './028-roles-and-reconciliation.ts';
import { connectionBackchannel } from './022-connection-backchannel.ts';
import { pendingLogouts } from './025-pending-logouts.ts';
import { refreshTokens } from './021-refresh-tokens.ts';
import { portalLinks } from './029-portal-links.ts';
import { connectionSecretMac } from './030-connection-secret-mac.ts';
import { outboxFillfactor } from './033-outbox-fillfactor.ts';

const MIGRATIONS: Record<string, (t: DialectTraits) => Migration> = {
  '001_sso_backbone': ssoBackbone,
  '002_directory_sync': directorySync,
  '003_tenancy': tenancy,
  '004_audit': audit,
  '005_setup_links': setupLinks,
  '006_admin': admin,
  '007_outbox_claim_indexes': outboxClaimIndexes,
  '008_admin_trust': adminTrust,
  '009_rate_limits': rateLimits,
  '010_trace_caps': traceCaps,
  '011_directory_scim_secret_sealed': directoryScimSecretSealed,
  '012_identity_federation': identityFederation,
  '014_vendor_events': vendorEvents,
  '015_connection_upkeep': connectionUpkeep,
  '016_connection_versions': connectionVersions,
  '017_product_indexes': productIndexes,
  '018_federation_oidc_apps': federationOidcApps,
  '019_app_sessions': appSessions,
  '020_product_sessions': productSessions,
  '023_setup_link_progress': setupLinkProgress,
  '024_scim_requests': scimRequests,
  '028_roles_and_reconciliation': rolesAndReconciliation,
  '022_connection_backchannel': connectionBackchannel,
  '025_pending_logouts': pendingLogouts,
  '021_refresh_tokens': refreshTokens,
  '029_portal_links': portalLinks,
  '030_connection_secret_mac': connectionSecretMac,
  '033_outbox_fillfactor': outboxFillfactor,
};

/** Every migration name, in the order they apply. */
export const MIGRATION_NAMES = (): string[] => Object.keys(MIGRATIONS).sort();

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName, private readonly newer: string[] = []) {}
  async getMigrations() {
    const t = traitsOf(this.dialect);
    // Migrations a newer release already applied are kept as no-ops: they only expanded the schema.
    const ahead = Object.fromEntries(this.newer.map((name): [string, Migration] => [name, { up: async () => {} }]));
    return { ...ahead, ...Object.fromEntries(Object.entries(MIGRATIONS).map(([name, m]) => [name, m(t)])) };
  }
}

/** Names recorded in the database (null on a fresh database, which has no migrations table yet). */
async function appliedMigrations(db: Kysely<any>): Promise<string[] | null> {
  try {
    const rows = await db.selectFrom('gatehouse_migrations').select('name').execute();
    return rows.map((r: { name: string }) => r.name);
  } catch {
    return null;
  }
}

/**
 * Applies every pending migration (Kysely's migrator holds a lock, so concurrent instances are safe).
 * An older instance that (re)starts during a rolling deploy, after a newer release has migrated the
 * database, boots: it applies what it knows and treats the newer migrations as already done.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<string[]> {
  const applied = await appliedMigrations(db);
  // Every start but the first finds everything applied: one SELECT instead of the migrator's table checks,
  // lock and introspection (~20 ms of a restart).
  if (applied && Object.keys(MIGRATIONS).every((name) => applied.includes(name))) return [];
  const newer = (applied ?? []).filter((name) => !(name in MIGRATIONS));
  const migrator = new Migrator({ db, provider: new StaticProvider(dialect, newer), migrationTableName: 'gatehouse_migrations', migrationLockTableName: 'gatehouse_migrations_lock', allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
