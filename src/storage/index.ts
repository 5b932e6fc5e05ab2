export { openDatabase, dialectOf, isUniqueViolation, isUnavailable, type OpenedDatabase, type DialectName } from './dialect.ts';
export { migrateToLatest, MIGRATION_NAMES } from './migrations/index.ts';
export type { Database } from './schema.ts';
export { connectionsRepo, type ConnectionRow } from './repositories/connections.ts';
export { loginFlowsRepo, assertionReplaysRepo, type LoginFlowRow } from './repositories/login-flows.ts';
export { oauthCodesRepo, oauthTokensRepo, signingKeysRepo, type OauthCodeRow, type OauthTokenRow, type SigningKeyRow } from './repositories/oauth.ts';
export { tenantsRepo, tenantDomainsRepo, productsRepo, type TenantRow, type TenantDomainRow, type ProductRow } from './repositories/tenancy.ts';
