/** The portal's calls, one per documented admin endpoint (docs/admin-api.md); nothing else is called. */
import { query, request, type RequestOptions } from '../shared/api.ts';
import type { ScimRequestPage } from '../shared/scim-inspector.tsx';
import type { Admin, ApiKey, AuditEvent, Branding, Connection, ConnectionDetail, ConnectionVersion, ConnectionHealth, TestResult, Directory, DirectoryEvent, DirectoryGroup, DirectoryUser, Domain, Page, PortalSso, Product, Session, SetupLink, SetupService, Tenant, Trace, VendorEvent, ConnectionFlag, EventsWebhook, AuditStream, Overview, Reconciliation, RoleMapping, RoleMappingView, RolePreview, AppSession } from '../shared/api-types.ts';

const BASE = '/api/admin';
const get = <T,>(path: string, opts?: RequestOptions) => request<T>('GET', BASE + path, undefined, opts);
const post = <T,>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', BASE + path, body ?? {}, opts);
const put = <T,>(path: string, body: unknown) => request<T>('PUT', BASE + path, body);
const patch = <T,>(path: string, body: unknown) => request<T>('PATCH', BASE + path, body);
const del = (path: string) => request<void>('DELETE', BASE + path);
const enc = encodeURIComponent;

type Signal = AbortSignal | undefined;
type Paging = { cursor?: string | null; limit?: number };
/** Accepts `{data}` or a bare object, so the portal survives either answer shape. */
const unwrap = <T,>(r: T | { data: T }): T => (r && typeof r === 'object' && 'data' in (r as object) ? (r as { data: T }).data : (r as T));
/** Accepts `{data, nextCursor}` (the contract), the pull API's `pageToken`, or a bare array. */
const page = <T,>(r: (Page<T> & { pageToken?: string | null }) | T[]): Page<T> => (Array.isArray(r) ? { data: r, nextCursor: null } : { ...r, data: r.data ?? [], nextCursor: r.nextCursor ?? r.pageToken ?? null });

export const adminApi = {
  // Reconciliation and group-to-role mapping (issue 16 §3–4)
  reconciliation: async (tenant: string, product: string, signal?: Signal) => unwrap(await get<{ data: Reconciliation }>(`/reconciliation${query({ tenant, product })}`, { signal })),
  reconciliationCsvUrl: (tenant: string, product: string) => `${BASE}/reconciliation${query({ tenant, product, format: 'csv' })}`,
  roleMappings: async (tenant: string, product: string, signal?: Signal) => unwrap(await get<{ data: RoleMappingView }>(`/role-mappings${query({ tenant, product })}`, { signal })),
  previewRoleMappings: async (tenant: string, product: string, mappings: RoleMapping[]) => unwrap(await post<{ data: RolePreview }>('/role-mappings/preview', { tenant, product, mappings })),
  saveRoleMappings: async (tenant: string, product: string, mappings: RoleMapping[]) => unwrap(await put<{ data: RoleMappingView }>('/role-mappings', { tenant, product, mappings })),

  // Session
  session: (signal?: Signal) => get<Session>('/session', { sessionRequired: false, signal }),
  login: (body: { email: string; password: string; totp?: string }) => post<Session>('/login', body, { sessionRequired: false }),
  logout: () => post<void>('/logout'),
  ssoStatus: () => get<{ enabled: boolean; required: boolean }>('/sso/status', { sessionRequired: false }),
  ssoStartUrl: `${BASE}/sso/start`,
  /** The TOTP step after SSO, for accounts with an authenticator app. */
  ssoTotp: (totp: string) => post<Session>('/sso/totp', { totp }, { sessionRequired: false }),

  // Me
  /** `password`: the current one (accounts without a password confirm with a recent SSO sign-in instead). */
  totpSetup: (password?: string) => post<{ secret: string; otpauthUrl: string }>('/me/totp/setup', password ? { password } : {}),
  totpEnable: (code: string) => post<void>('/me/totp/enable', { code }),
  totpDisable: (code: string, password?: string) => post<void>('/me/totp/disable', { code, ...(password ? { password } : {}) }),
  changePassword: (body: { current?: string; password: string }) => post<void>('/me/password', body),

  // Admins
  admins: async (p: Paging, signal?: Signal) => page(await get<Page<Admin> | Admin[]>(`/admins${query({ cursor: p.cursor, limit: p.limit })}`, { signal })),
  addAdmin: (body: { email: string; name?: string; role: string; password?: string }) => post<{ data: Admin } | Admin>('/admins', body),
  updateAdmin: (id: string, body: { role?: string; name?: string; ssoLinked?: boolean }) => patch<unknown>(`/admins/${enc(id)}`, body),
  removeAdmin: (id: string) => del(`/admins/${enc(id)}`),

  // Portal SSO
  portalSso: async (signal?: Signal) => unwrap(await get<PortalSso | { data: PortalSso }>('/settings/portal-sso', { signal })),
  savePortalSso: (body: Partial<PortalSso>) => put<unknown>('/settings/portal-sso', body),

  // Branding
  branding: async (signal?: Signal) => unwrap(await get<Branding | { data: Branding }>('/settings/branding', { signal })),
  saveBranding: (body: Partial<Branding>) => put<unknown>('/settings/branding', body),

  // Enterprise SSO
  connections: async (f: { tenant?: string; product?: string } & Paging, signal?: Signal) => page(await get<Page<Connection> | Connection[]>(`/connections${query({ tenant: f.tenant, product: f.product, cursor: f.cursor, limit: f.limit })}`, { signal })),
  createConnection: async (body: Record<string, unknown>) => unwrap(await post<Connection | { data: Connection }>('/connections', body)),
  connection: (clientID: string, signal?: Signal) => get<ConnectionDetail>(`/connections/${enc(clientID)}`, { signal }),
  updateConnection: async (clientID: string, body: Record<string, unknown>) => unwrap(await patch<Connection | { data: Connection }>(`/connections/${enc(clientID)}`, body)),
  deleteConnection: (clientID: string) => del(`/connections/${enc(clientID)}`),
  /** The vendor event stream, newest first (the cursor goes back in time). */
  events: async (f: { types?: string } & Paging, signal?: Signal) => page(await get<Page<VendorEvent>>(`/events${query({ types: f.types, before: f.cursor, limit: f.limit })}`, { signal })),
  eventFlags: async (signal?: Signal) => unwrap(await get<{ data: ConnectionFlag[] }>('/events/flags', { signal })),
  /** The overview page: counts, recent failures, expiring certificates, setup links awaiting the customer. */
  overview: async (signal?: Signal) => unwrap(await get<{ data: Overview }>('/overview', { signal })),
  eventsWebhook: async (signal?: Signal) => unwrap(await get<{ data: EventsWebhook }>('/settings/events-webhook', { signal })),
  saveEventsWebhook: (body: { url: string | null; secret?: string }) => put<unknown>('/settings/events-webhook', body),
  auditStream: async (signal?: Signal) => unwrap(await get<{ data: AuditStream }>('/settings/audit-stream', { signal })),
  saveAuditStream: (body: { webhookUrl: string | null; webhookSecret?: string; syslogUrl: string | null; jsonlUrl: string | null; jsonlAuthorization?: string; filter: AuditStream['filter'] }) => put<unknown>('/settings/audit-stream', body),
  // Connection versions (decision 0020): the shape the shared draft panel calls.
  drafts: {
    versions: async (clientID: string, signal?: Signal) => unwrap(await get<{ data: ConnectionVersion[] }>(`/connections/${enc(clientID)}/versions`, { signal })),
    saveDraft: async (clientID: string, body: Record<string, unknown>) => unwrap(await post<{ data: ConnectionVersion }>(`/connections/${enc(clientID)}/draft`, body)),
    discardDraft: (clientID: string) => del(`/connections/${enc(clientID)}/draft`),
    testDraft: async (clientID: string) => unwrap(await post<{ data: { testId: string; url: string } }>(`/connections/${enc(clientID)}/draft/test`)),
    testResult: async (testId: string, signal?: Signal) => unwrap(await get<{ data: TestResult }>(`/connection-tests/${enc(testId)}`, { signal })),
    promote: (clientID: string, version: number) => post<unknown>(`/connections/${enc(clientID)}/draft/promote`, { version }),
    rollback: (clientID: string) => post<unknown>(`/connections/${enc(clientID)}/rollback`),
  },
  /** Test connection of the live version (decision 0022): the shape the shared test panel calls. */
  connectionTests: {
    startTest: async (clientID: string) => unwrap(await post<{ data: { testId: string; url: string } }>(`/connections/${enc(clientID)}/test`)),
    test: async (testId: string, signal?: Signal) => unwrap(await get<{ data: TestResult }>(`/connection-tests/${enc(testId)}`, { signal })),
  },
  /** Health at a glance (decision 0022). */
  connectionSessions: async (clientID: string, f: { email?: string } & Paging, signal?: Signal) => page(await get<Page<AppSession>>(`/connections/${enc(clientID)}/sessions${query({ email: f.email, cursor: f.cursor, limit: f.limit })}`, { signal })),
  endSession: (sid: string) => del(`/sessions/${enc(sid)}`),
  connectionHealth: async (clientID: string, signal?: Signal) => unwrap(await get<{ data: ConnectionHealth }>(`/connections/${enc(clientID)}/health`, { signal })),
  traces: async (p: Paging, signal?: Signal) => page(await get<Page<Trace>>(`/traces${query({ cursor: p.cursor, limit: p.limit })}`, { signal })),

  // Directory Sync
  directories: async (f: { tenant?: string; product?: string } & Paging, signal?: Signal) => page(await get<Page<Directory> | Directory[]>(`/directories${query({ tenant: f.tenant, product: f.product, cursor: f.cursor, limit: f.limit })}`, { signal })),
  createDirectory: async (body: Record<string, unknown>) => unwrap(await post<Directory | { data: Directory }>('/directories', body)),
  directory: async (id: string, signal?: Signal) => unwrap(await get<Directory | { data: Directory }>(`/directories/${enc(id)}`, { signal })),
  updateDirectory: async (id: string, body: Record<string, unknown>) => unwrap(await patch<Directory | { data: Directory }>(`/directories/${enc(id)}`, body)),
  deleteDirectory: (id: string) => del(`/directories/${enc(id)}`),
  rotateScimSecret: async (id: string) => unwrap(await post<Directory | { data: Directory }>(`/directories/${enc(id)}/scim-secret`)),
  directoryUsers: async (id: string, p: Paging, signal?: Signal) => page(await get<Page<DirectoryUser>>(`/directories/${enc(id)}/users${query({ cursor: p.cursor, limit: p.limit })}`, { signal })),
  directoryGroups: async (id: string, p: Paging, signal?: Signal) => page(await get<Page<DirectoryGroup>>(`/directories/${enc(id)}/groups${query({ cursor: p.cursor, limit: p.limit })}`, { signal })),
  groupMembers: async (id: string, groupId: string, p: Paging, signal?: Signal) => page(await get<Page<DirectoryUser>>(`/directories/${enc(id)}/groups/${enc(groupId)}/members${query({ cursor: p.cursor, limit: p.limit })}`, { signal })),
  directoryRequests: (id: string, q: { status?: string; method?: string; limit?: number; cursor?: string }, signal?: Signal) => get<ScimRequestPage>(`/directories/${enc(id)}/requests${query(q)}`, { signal }),
  directoryEvents: async (id: string, p: Paging, signal?: Signal) => page(await get<Page<DirectoryEvent>>(`/directories/${enc(id)}/events${query({ cursor: p.cursor, limit: p.limit })}`, { signal })),
  replayEvent: (id: string, eventId: string) => post<unknown>(`/directories/${enc(id)}/events/${enc(eventId)}/replay`),
  /** "Retry now": a pending event's next attempt becomes due at once (audited). */
  retryEvent: (id: string, eventId: string) => post<unknown>(`/directories/${enc(id)}/events/${enc(eventId)}/retry`),
  directoryUser: async (id: string, userId: string, signal?: Signal) => unwrap(await get<{ data: DirectoryUser }>(`/directories/${enc(id)}/users/${enc(userId)}`, { signal })),

  // Setup links (issue 6)
  setupLinks: async (f: { service: SetupService; tenant?: string; product?: string; status?: string } & Paging, signal?: Signal) => page(await get<Page<SetupLink>>(`/setup-links${query({ service: f.service, tenant: f.tenant, product: f.product, status: f.status, cursor: f.cursor, limit: f.limit })}`, { signal })),
  createSetupLink: async (body: Record<string, unknown>) => unwrap(await post<SetupLink | { data: SetupLink }>('/setup-links', body)),
  setupLink: async (id: string, signal?: Signal) => unwrap(await get<SetupLink | { data: SetupLink }>(`/setup-links/${enc(id)}`, { signal })),
  regenerateSetupLink: async (id: string) => unwrap(await post<SetupLink | { data: SetupLink }>(`/setup-links/${enc(id)}/regenerate`)),
  deleteSetupLink: (id: string) => del(`/setup-links/${enc(id)}`),

  // Products and tenants
  products: async (p: Paging, signal?: Signal) => page(await get<Page<Product>>(`/products${query({ cursor: p.cursor, limit: p.limit })}`, { signal })),
  product: async (product: string, signal?: Signal) => unwrap(await get<Product | { data: Product }>(`/products/${enc(product)}`, { signal })),
  createProduct: async (body: Partial<Product>) => unwrap(await post<Product | { data: Product }>('/products', body)),
  updateProduct: async (product: string, body: Partial<Product>) => unwrap(await patch<Product | { data: Product }>(`/products/${enc(product)}`, body)),
  deleteProduct: (product: string) => del(`/products/${enc(product)}`),
  tenants: async (p: Paging, signal?: Signal) => page(await get<Page<Tenant>>(`/tenants${query({ cursor: p.cursor, limit: p.limit })}`, { signal })),
  tenant: async (tenant: string, signal?: Signal) => unwrap(await get<Tenant | { data: Tenant }>(`/tenants/${enc(tenant)}`, { signal })),
  createTenant: async (body: Partial<Tenant>) => unwrap(await post<Tenant | { data: Tenant }>('/tenants', body)),
  updateTenant: async (tenant: string, body: Partial<Tenant>) => unwrap(await patch<Tenant | { data: Tenant }>(`/tenants/${enc(tenant)}`, body)),
  deleteTenant: (tenant: string) => del(`/tenants/${enc(tenant)}`),
  domains: async (tenant: string, signal?: Signal) => page(await get<Page<Domain> | Domain[]>(`/tenants/${enc(tenant)}/domains`, { signal })),
  addDomain: async (tenant: string, domain: string) => unwrap(await post<Domain | { data: Domain }>(`/tenants/${enc(tenant)}/domains`, { domain })),
  verifyDomain: async (tenant: string, domain: string) => unwrap(await post<Domain | { data: Domain }>(`/tenants/${enc(tenant)}/domains/${enc(domain)}/verify`)),
  deleteDomain: (tenant: string, domain: string) => del(`/tenants/${enc(tenant)}/domains/${enc(domain)}`),

  // API keys
  /** The portal's keys, and how many bootstrap keys API_KEYS holds (never the keys). */
  apiKeys: async (p: Paging, signal?: Signal) => page(await get<Page<ApiKey> & { environmentKeys?: number }>(`/api-keys${query({ cursor: p.cursor, limit: p.limit })}`, { signal })) as Page<ApiKey> & { environmentKeys?: number },
  createApiKey: async (body: { name: string; kind: string; expiresAt?: string | null; scopes?: ApiKey['scopes'] }) => unwrap(await post<ApiKey | { data: ApiKey }>('/api-keys', body)),
  revokeApiKey: (id: string) => del(`/api-keys/${enc(id)}`),

  // Audit log
  audit: async (f: Record<string, string | null | undefined>, signal?: Signal) => page(await get<Page<AuditEvent>>(`/audit${query(f)}`, { signal })),
  auditExportUrl: (format: 'csv' | 'json', f: Record<string, string | undefined>) => `${BASE}/audit/export${query({ ...f, format })}`,
};
