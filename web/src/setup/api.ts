/**
 * The link page's calls (`/api/setup/<token>/…`, src/http/routes/setup-link-api.ts), authorised by the token in
 * the path alone: no session, no cookie, no CSRF token. A dead token (regenerated, deleted, expired, other
 * service) is announced to the page so it can replace itself with the dead-link screen at once.
 */
import { ApiError, request } from '../shared/api.ts';

export type Service = 'sso' | 'dsync';

export interface SpInfo {
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
  metadataDownloadUrl: string;
  certificateUrl: string;
  oidcRedirectUri: string;
}

export interface LinkInfo {
  service: Service;
  tenant: string;
  product: string;
  productName: string;
  name: string;
  description: string;
  validTill: number | string;
  sp?: SpInfo;
  redirectUrl?: string;
  tested?: boolean;
}

export interface LinkConnection {
  clientID: string;
  type?: 'saml' | 'oidc';
  name?: string;
  description?: string;
  metadataUrl?: string | null;
  idpMetadata?: { entityID?: string; validTo?: string | null; warnings?: string[] };
  oidcProvider?: { provider?: string; discoveryUrl?: string | null; clientId?: string; clientSecretSet?: boolean };
  deactivated?: boolean;
  createdAt?: string;
}

export interface Diagnosis {
  code: string;
  message: string;
  detail: string | null;
  fix: string;
}

export interface TestResult {
  testId: string;
  status: 'pending' | 'succeeded' | 'failed';
  profile?: { id?: string; email?: string; firstName?: string | null; lastName?: string | null; groups?: string[]; roles?: string[] };
  attributes?: Record<string, unknown>;
  diagnosis?: Diagnosis;
}

export interface LinkDirectory {
  id: string;
  name?: string;
  type?: string;
  deactivated?: boolean;
  scim: { path?: string; endpoint: string; secret?: string };
  status?: { users: number; groups: number; lastActivityAt: string | null; provisioningStarted: boolean };
  created_at?: string;
}

const DEAD = 'gatehouse:setup-link-dead';
/** Codes that mean the token itself no longer works (not "this connection does not exist"). */
export const isDeadLink = (err: unknown): err is ApiError => err instanceof ApiError && ['SETUP_LINK_UNKNOWN', 'SETUP_LINK_EXPIRED', 'SETUP_LINK_WRONG_SERVICE'].includes(err.code);

export const onDeadLink = (fn: (err: ApiError) => void) => {
  const h = (e: Event) => fn((e as CustomEvent<ApiError>).detail);
  window.addEventListener(DEAD, h);
  return () => window.removeEventListener(DEAD, h);
};

export function setupApi(token: string) {
  const base = `/api/setup/${encodeURIComponent(token)}`;
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
    // Enterprise SSO
    connections: (signal?: AbortSignal) => data<LinkConnection[]>('GET', '/sso-connection', undefined, signal),
    createConnection: (body: Record<string, unknown>) => data<LinkConnection>('POST', '/sso-connection', body),
    updateConnection: (clientID: string, body: Record<string, unknown>) => data<LinkConnection>('PATCH', '/sso-connection', { ...body, clientID }),
    deleteConnection: (clientID: string) => call<void>('DELETE', `/sso-connection?clientID=${enc(clientID)}`),
    startTest: (clientID: string) => data<{ testId: string; url: string }>('POST', `/sso-connection/${enc(clientID)}/test`, {}),
    test: (testId: string, signal?: AbortSignal) => data<TestResult>('GET', `/tests/${enc(testId)}`, undefined, signal),
    links: (signal?: AbortSignal) => data<{ oneClickUrl: string; inviteUrl: string; tested: boolean }>('GET', '/links', undefined, signal),
    // Directory Sync
    directories: (signal?: AbortSignal) => data<LinkDirectory[]>('GET', '/directory-sync', undefined, signal),
    createDirectory: (body: { name?: string; type: string }) => data<LinkDirectory>('POST', '/directory-sync', body),
    deleteDirectory: (id: string) => call<void>('DELETE', `/directory-sync/${enc(id)}`),
    rotateSecret: (id: string) => data<LinkDirectory>('POST', `/directory-sync/${enc(id)}/rotate-secret`, {}),
  };
}

export type SetupApi = ReturnType<typeof setupApi>;
