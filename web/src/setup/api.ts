/**
 * The link page's calls (`/api/setup/<token>/…`, src/http/routes/setup-link-api.ts), authorised by the token in
 * the path alone: no session, no cookie, no CSRF token. A dead token (regenerated, deleted, expired, other
 * service) is announced to the page so it can replace itself with the dead-link screen at once.
 */
import { ApiError, query, request } from '../shared/api.ts';
import type { ScimRequestPage } from '../shared/scim-inspector.tsx';
import type { Connection, ConnectionHealth, ConnectionVersion, LinkDirectory, LinkInfo, LoginLinks, TestResult, RoleMapping, RoleMappingView, RolePreview } from '../shared/api-types.ts';

const DEAD = 'gatehouse:setup-link-dead';
/** Codes that mean the token itself no longer works (not "this connection does not exist"). */
export const isDeadLink = (err: unknown): err is ApiError => err instanceof ApiError && ['SETUP_LINK_UNKNOWN', 'SETUP_LINK_EXPIRED', 'SETUP_LINK_WRONG_SERVICE', 'PORTAL_SESSION_REQUIRED'].includes(err.code);

export const onDeadLink = (fn: (err: ApiError) => void) => {
  const h = (e: Event) => fn((e as CustomEvent<ApiError>).detail);
  window.addEventListener(DEAD, h);
  return () => window.removeEventListener(DEAD, h);
};

export const setupApi = (token: string) => linkApi(`/api/setup/${encodeURIComponent(token)}`);

/**
 * The link API under `base`: a setup link's (`/api/setup/<token>`) or a portal session's (`/api/portal`, decision
 * 0033: the same routes, authorised by the session cookie, with the CSRF header that shared/api.ts adds).
 */
export function linkApi(base: string) {
  const call = async <T,>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> => {
    try {
      return await request<T>(method, base + path, body, { sessionRequired: false, signal });
    } catch (err) {
      if (isDeadLink(err)) window.dispatchEvent(new CustomEvent(DEAD, { detail: err }));
      throw err;
    }
  };
  const data = async <T,>(method: string, path: string, body?: unknown, signal?: AbortSignal) => (await call<{ data: T }>(method, path, body, signal)).data;
  const enc = encodeURIComponent;
  return {
    info: (signal?: AbortSignal) => data<LinkInfo>('GET', '', undefined, signal),
    // Group-to-role mapping, for the link's own tenant and product
    roleMappings: (signal?: AbortSignal) => data<RoleMappingView>('GET', '/role-mappings', undefined, signal),
    previewRoleMappings: (mappings: RoleMapping[]) => data<RolePreview>('POST', '/role-mappings/preview', { mappings }),
    saveRoleMappings: (mappings: RoleMapping[]) => data<RoleMappingView>('PUT', '/role-mappings', { mappings }),
    // Enterprise SSO
    connections: (signal?: AbortSignal) => data<Connection[]>('GET', '/sso-connection', undefined, signal),
    createConnection: (body: Record<string, unknown>) => data<Connection>('POST', '/sso-connection', body),
    updateConnection: (clientID: string, body: Record<string, unknown>) => data<Connection>('PATCH', '/sso-connection', { ...body, clientID }),
    deleteConnection: (clientID: string) => call<void>('DELETE', `/sso-connection?clientID=${enc(clientID)}`),
    startTest: (clientID: string) => data<{ testId: string; url: string }>('POST', `/sso-connection/${enc(clientID)}/test`, {}),
    test: (testId: string, signal?: AbortSignal) => data<TestResult>('GET', `/tests/${enc(testId)}`, undefined, signal),
    connectionHealth: (clientID: string, signal?: AbortSignal) => data<ConnectionHealth>('GET', `/sso-connection/${enc(clientID)}/health`, undefined, signal),
    links: (signal?: AbortSignal) => data<LoginLinks & { tested: boolean }>('GET', '/links', undefined, signal),
    // Connection versions (decision 0020): the shape the shared draft panel calls.
    drafts: {
      versions: (clientID: string, signal?: AbortSignal) => data<ConnectionVersion[]>('GET', `/sso-connection/${enc(clientID)}/versions`, undefined, signal),
      saveDraft: (clientID: string, body: Record<string, unknown>) => data<ConnectionVersion>('POST', `/sso-connection/${enc(clientID)}/draft`, body),
      discardDraft: (clientID: string) => call<void>('DELETE', `/sso-connection/${enc(clientID)}/draft`),
      testDraft: (clientID: string) => data<{ testId: string; url: string }>('POST', `/sso-connection/${enc(clientID)}/draft/test`, {}),
      testResult: (testId: string, signal?: AbortSignal) => data<TestResult>('GET', `/tests/${enc(testId)}`, undefined, signal),
      promote: (clientID: string, version: number) => data<unknown>('POST', `/sso-connection/${enc(clientID)}/draft/promote`, { version }),
      rollback: (clientID: string) => data<unknown>('POST', `/sso-connection/${enc(clientID)}/rollback`, {}),
    },
    // Directory Sync
    directories: (signal?: AbortSignal) => data<LinkDirectory[]>('GET', '/directory-sync', undefined, signal),
    createDirectory: (body: { name?: string; type: string }) => data<LinkDirectory>('POST', '/directory-sync', body),
    deleteDirectory: (id: string) => call<void>('DELETE', `/directory-sync/${enc(id)}`),
    rotateSecret: (id: string) => data<LinkDirectory>('POST', `/directory-sync/${enc(id)}/rotate-secret`, {}),
    directoryRequests: (id: string, q: { status?: string; method?: string; limit?: number; cursor?: string }, signal?: AbortSignal) => call<ScimRequestPage>('GET', `/directory-sync/${enc(id)}/requests${query(q)}`, undefined, signal),
  };
}

export type SetupApi = ReturnType<typeof setupApi>;
