/**
 * The answers of Gatehouse's JSON APIs as the two web apps read them: the admin portal (`/api/admin/…`,
 * docs/admin-api.md) and the setup-link page (`/api/setup/<token>/…`) are served by the same server views as the
 * management API. Where the OpenAPI document describes an answer exactly (decision 0041), its type is an alias of
 * the generated `components['schemas'][…]` (./api.gen.ts, `node scripts/generate-api-types.mjs`); the rest are the
 * admin API's own shapes (not in the document, decision 0032) and UI-only types, written out here.
 */
import type { components } from './api.gen.ts';

type Schemas = components['schemas'];

/** Problem JSON (RFC 9457) as the server's error serializer writes it; `field` names the input at fault. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  field?: string;
  /** The OAuth and SCIM surfaces' own error shape, for the rare call that reaches them. */
  error?: { message?: string };
}

/** One page of a list; `total` when the server counts. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  total?: number;
}

/** The portal's look, public at `GET /api/branding` and edited at `/api/admin/settings/branding`. */
export interface Branding {
  productName: string;
  logoUrl: string | null;
  primaryColor: string | null;
}

// ---------------------------------------------------------------- admin accounts and session

export type Role = 'owner' | 'admin' | 'viewer';

export interface SessionUser {
  id: string;
  sessionMethod?: 'password' | 'sso';
  email: string;
  name: string | null;
  role: Role;
  totpEnabled: boolean;
  hasPassword: boolean;
  sso: boolean;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

export interface Admin {
  id: string;
  email: string;
  name?: string | null;
  role: Role;
  hasPassword?: boolean;
  totpEnabled?: boolean;
  sso?: boolean;
  /** Portal SSO may sign in to this account (an owner linked it; SSO-only accounts are linked from the start). */
  ssoLinked?: boolean;
  createdAt?: string | number;
  lastLoginAt?: string | number | null;
}

/** A connection of the portal's tenant+product that an owner may choose for portal SSO. */
export interface PortalSsoCandidate {
  clientID: string;
  name: string;
  kind: 'saml' | 'oidc';
  idpEntityId: string;
  active: boolean;
  chosen: boolean;
}

export interface PortalSso {
  tenant: string | null;
  product: string | null;
  /** Active connections an owner chose: only these sign admins in. */
  connectionCount: number;
  connectionIds?: string[];
  candidates?: PortalSsoCandidate[];
  required: boolean;
  groupRoles: Record<string, Role>;
  callbackUrl?: string;
}

// ---------------------------------------------------------------- Enterprise SSO

/** A SAML or OIDC connection (`toApiConnection`). `clientSecret` only right after the vendor creates one. */
export interface Connection {
  clientID: string;
  /** This connection's own back-channel logout receiver (decision 0025). */
  backchannelLogoutUri?: string | null;
  type?: 'saml' | 'oidc';
  tenant: string;
  product: string;
  name?: string;
  description?: string;
  defaultRedirectUrl?: string;
  redirectUrl?: string[];
  forceAuthn?: boolean;
  allowIdpInitiated?: boolean;
  allowSha1?: boolean;
  wantAuthnRequestsSigned?: boolean;
  attributeMapping?: Record<string, string>;
  metadataUrl?: string | null;
  /** Connections made from a metadata or discovery URL (docs/decisions/0019-metadata-refresh.md). */
  metadataRefreshSeconds?: number;
  metadataRefreshedAt?: string | null;
  metadataRefreshError?: string | null;
  deactivated?: boolean;
  sortOrder?: number;
  idpMetadata?: { entityID?: string; sso?: { redirectUrl?: string; postUrl?: string }; thumbprint?: string; validTo?: string | null; warnings?: string[]; loginType?: string; certificates?: { fingerprintSha256: string; subject: string; notBefore: string; notAfter: string }[] };
  clientSecret?: string;
  oidcProvider?: { discoveryUrl?: string | null; provider?: string; clientId?: string; clientSecretSet?: boolean; scopes?: string };
  createdAt?: string;
  updatedAt?: string;
}

/** What an identity provider needs from Gatehouse, the service provider. */
export interface SpInfo {
  entityId: string;
  acsUrl: string;
  /** Single Logout (Redirect and POST bindings), for IdPs that do SAML SLO. */
  sloUrl?: string;
  metadataUrl: string;
  metadataDownloadUrl: string;
  /** Gatehouse's signing certificate as a download. */
  certificateUrl: string;
  /** The same certificate inline: only on the vendor's connection page. */
  certificatePem?: string;
  oidcRedirectUri: string;
}

/** The one-click and invite URLs that start a login with a connection. */
export interface LoginLinks {
  oneClickUrl: string;
  inviteUrl: string;
}

export interface ConnectionDetail {
  data: Connection;
  sp: SpInfo & { certificatePem: string };
  links: LoginLinks;
}

/** A failed login, kept so the vendor can see why. */
export type Trace = Schemas['SsoTrace'];

/** One version of a connection's IdP side (decision 0020): a draft, the live one, or one it replaced. */
export type ConnectionVersion = Schemas['ConnectionVersion'];

/** A test sign-in: pending, or its profile and attributes, or why it failed in the IT admin's words. */
export type TestResult = Schemas['ConnectionTest'];
export type Diagnosis = NonNullable<TestResult['diagnosis']>;

// ---------------------------------------------------------------- Directory Sync

/** A SCIM directory (`toApiDirectory`). `scim.secret` only when it was just created or rotated. */
export interface Directory {
  id: string;
  name?: string;
  tenant: string;
  product: string;
  type?: string;
  deactivated?: boolean;
  log_webhook_events?: boolean;
  webhook?: { endpoint?: string | null; secretSet?: boolean };
  scim: { path?: string; endpoint: string; secret?: string };
  created_at?: string;
  updated_at?: string;
}

export const DIRECTORY_TYPES = ['generic-scim-v2', 'okta-scim-v2', 'azure-scim-v2', 'onelogin-scim-v2', 'jumpcloud-scim-v2', 'ping-scim-v2', 'keycloak-scim-v2'] as const;
/** What the portal and the setup pages call each directory type (`google` is refused by the server until Google Workspace sync exists). */
export const DIRECTORY_TYPE_NAMES: Record<(typeof DIRECTORY_TYPES)[number], string> = {
  'generic-scim-v2': 'Generic SCIM 2.0',
  'okta-scim-v2': 'Okta (SCIM 2.0)',
  'azure-scim-v2': 'Microsoft Entra ID (SCIM 2.0)',
  'onelogin-scim-v2': 'OneLogin (SCIM 2.0)',
  'jumpcloud-scim-v2': 'JumpCloud (SCIM 2.0)',
  'ping-scim-v2': 'PingOne (SCIM 2.0)',
  'keycloak-scim-v2': 'Keycloak (SCIM 2.0)',
};
/** A directory type by name; an unknown value (an imported one) as it is. */
export const directoryTypeName = (type: string | undefined) => DIRECTORY_TYPE_NAMES[(type ?? 'generic-scim-v2') as keyof typeof DIRECTORY_TYPE_NAMES] ?? type ?? 'SCIM 2.0';

/** Whether the customer's IdP has started pushing users and groups. */
export type DirectoryActivity = Schemas['DirectoryActivity'];

/** A directory as a setup link shows it: the SCIM side only, never the vendor's webhook. */
export type LinkDirectory = Schemas['LinkDirectory'];

export interface DirectoryUser {
  id: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  active?: boolean;
  raw?: Record<string, unknown> & { userName?: string };
}

export interface DirectoryGroup {
  id: string;
  name?: string;
  raw?: Record<string, unknown>;
}

export interface DirectoryEvent {
  id: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed' | string;
  attempts: number;
  created_at?: string | null;
  delivered_at?: string | null;
  next_attempt_at?: string | null;
  last_status?: number | null;
  last_error?: string | null;
  payload: unknown;
  deliveries?: { attempt: number; status: number | null; latency_ms: number | null; response_excerpt?: string | null; error?: string | null; at: string }[];
}

/** GET /api/admin/overview. */
export interface Overview {
  counts: { connections: number; activeConnections: number; directories: number; directoryUsers: number; tenants: number; products: number };
  failures: {
    ssoLast24h: number;
    recentSso: { id: string; at: string; connectionId: string | null; tenant: string | null; product: string | null; code: string; message: string }[];
    webhooks: { pending: number; failed: number };
  };
  certificates: { clientID: string; tenant: string; product: string; name: string; expired: boolean; notAfter: string | null; daysLeft: number | null }[];
  awaitingCustomer: { id: string; service: 'sso' | 'dsync'; tenant: string; product: string; name: string; createdAt: string; expiresAt: string }[];
}

// ---------------------------------------------------------------- tenancy, API keys, audit

export type Product = Schemas['Product'];
export type Tenant = Schemas['Tenant'];
export type Domain = Schemas['Domain'];

export type Permission = 'sso:read' | 'sso:write' | 'dsync:read' | 'dsync:write' | 'setuplinks:write' | 'sso:secrets';
export const PERMISSIONS: Permission[] = ['sso:read', 'sso:write', 'dsync:read', 'dsync:write', 'setuplinks:write', 'sso:secrets'];

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  kind: 'personal' | 'scoped';
  scopes?: { tenants?: string[]; products?: string[]; permissions: Permission[] };
  createdAt: string | number;
  expiresAt: string | number | null;
  lastUsedAt: string | number | null;
  ownerId: string;
  key?: string;
}

export interface AuditEvent {
  id: string;
  at: string | number;
  actor: { type: string; id: string; label: string };
  action: string;
  target: { type: string; id: string };
  tenant: string | null;
  product: string | null;
  ip: string | null;
  summary: { before?: unknown; after?: unknown };
}

// ---------------------------------------------------------------- setup links

export type SetupService = 'sso' | 'dsync';

/** A setup link as the portal sees it (`url` is null for viewers: a link URL is a credential). */
export interface SetupLink {
  id: string;
  setupID: string;
  service: SetupService;
  tenant: string;
  product: string;
  name?: string;
  description?: string;
  url: string | null;
  validTill: number | string;
  expired: boolean;
  defaultRedirectUrl?: string;
  redirectUrl?: string[];
  webhook_url?: string | null;
  webhookSecretSet?: boolean;
  intent?: SetupLinkIntent;
  clientID?: string | null;
  createdAt?: string;
  updatedAt?: string;
  progress?: SetupProgress;
}

export type SetupLinkIntent = 'setup' | 'certificate_renewal';

/** Where a setup link's customer stands (decision 0026). */
export type SetupProgress = Schemas['SetupProgress'];
export type SetupStatus = SetupProgress['status'];

/** What the link page learns from its token: whose link it is, and for SSO the values the IdP needs. */
export type LinkInfo = Schemas['SetupLinkInfo'];

/** One event of the vendor event stream (GET /api/v1/events, GET /api/admin/events). */
export interface VendorEvent {
  id: string;
  type: string;
  tenant: string;
  product: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/** A connection the overview flags: expiring or expired certificate, or failing sign-ins. */
export interface ConnectionFlag {
  clientID: string;
  /** The connection's name (its client ID when it has none). */
  name?: string;
  tenant: string;
  product: string;
  events: VendorEvent[];
}

export interface EventsWebhook {
  url: string | null;
  secretSet: boolean;
  source: 'environment' | 'settings' | null;
}

/** Settings → Audit stream (decision 0034). */
export interface AuditStream {
  webhookUrl: string | null;
  webhookSecretSet: boolean;
  syslogUrl: string | null;
  jsonlUrl: string | null;
  jsonlAuthorizationSet: boolean;
  filter: { actions: string[]; tenants: string[]; products: string[] };
  source: 'environment' | 'settings' | null;
}

/** Health at a glance of one connection (decision 0022). */
export type ConnectionHealth = Schemas['ConnectionHealth'];

/** Group-to-role mapping (issue 16 §4): GET|PUT /api/v1/role-mappings, the admin and setup-link twins. */
export type ProductRole = Schemas['ProductRole'];
export type RoleMapping = Schemas['RoleMapping'];
export type RoleMappingView = Schemas['RoleMappings'];
export type RolePreviewRow = Schemas['RolePreviewRow'];
export type RolePreview = Schemas['RolePreview'];

/** Reconciliation (issue 16 §3): GET /api/v1/reconciliation. */
export type ReconciliationRow = Schemas['ReconciliationRow'];
export type Reconciliation = Schemas['Reconciliation'];
export type ReconciliationList = keyof Reconciliation['counts'];
/** An open app session (GET /api/admin/connections/:clientID/sessions; decision 0025). */
export type AppSession = Schemas['AppSession'];
