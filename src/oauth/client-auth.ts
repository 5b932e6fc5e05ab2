/**
 * Client authentication at the endpoints an app calls directly (token, revocation, introspection): the
 * credentials as sent (body or HTTP Basic, form-decoded as RFC 6749 §2.3.1 says or literally as SAML Jackson reads
 * them), and the rules for each client_id form (decision 0005; refresh tokens and the revocation and introspection
 * endpoints: decision 0024).
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo } from '../storage/index.ts';
import { constantTimeEqual } from '../crypto/secrets.ts';
import { parseTenantProductClientId } from './client.ts';
import { findFederatedClient, isAppClientSecret, isFederatedClientId } from './federated-clients.ts';

export interface ClientCredentials {
  clientId?: string;
  clientSecret?: string;
  /**
   * HTTP Basic credentials read literally, without form-decoding, as SAML Jackson reads them; set only when that
   * reading differs (a "+" or "%" in them). Apps written for Jackson may send a secret such as a base64
   * CLIENT_SECRET_VERIFIER unencoded, "+" included.
   */
  literalBasic?: { clientId: string; clientSecret: string | undefined };
  /** With client_id=dummy: the tenant and product it stands for. */
  tenant?: string;
  product?: string;
}

/** How a client proved itself: its secret, or nothing beyond its client_id (a public client). */
export type ClientAuth = 'secret' | 'none';

export const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * RFC 6749 §2.3.1: Basic credentials are form-encoded (application/x-www-form-urlencoded, so "+" is a space, as
 * Auth.js, oauth4webapi and openid-client send them) before Base64; a broken `%` escape is the client's error.
 */
function basicCredential(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new GatehouseError('OAUTH_INVALID_CLIENT', 'The Basic credentials are not validly form-encoded (a "%" is not followed by two hex digits).');
  }
}

export function readClientCredentials(body: Record<string, unknown>, authorization: string | undefined): ClientCredentials {
  let clientId = str(body.client_id);
  let clientSecret = str(body.client_secret);
  let literalBasic: ClientCredentials['literalBasic'];
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) {
      const [id, secret] = [decoded.slice(0, i), decoded.slice(i + 1)];
      clientId = basicCredential(id);
      clientSecret = basicCredential(secret) || undefined;
      if (id !== clientId || (secret || undefined) !== clientSecret) literalBasic = { clientId: id, clientSecret: secret || undefined };
    }
  }
  return { clientId, clientSecret, literalBasic, tenant: str(body.tenant), product: str(body.product) };
}

/** The client id as form-decoded (RFC 6749) or, for Basic credentials, as sent literally (SAML Jackson's reading). */
export const clientIdIs = (c: ClientCredentials, expected: string) => c.clientId === expected || c.literalBasic?.clientId === expected;

/** The same two readings for the secret, each compared in constant time. */
const secretIs = (c: ClientCredentials, expected: string) =>
  constantTimeEqual(expected, c.clientSecret!) || (c.literalBasic?.clientSecret !== undefined && constantTimeEqual(expected, c.literalBasic.clientSecret));

/** What a grant (a code, a refresh token) says about the client it was issued to. */
export interface GrantClient {
  clientId: string;
  connectionId: string;
  /** Whether the client may go without a secret: a code with PKCE, a refresh token a public client received. */
  publicAllowed: boolean;
  /** What to tell a client that sent no secret when one is needed. */
  noSecretHint: string;
  /**
   * The connection's sealed clientSecret when the grant was read together with it (the code, decision 0039): null
   * when the connection is gone; left out, it is read here when a secret must be checked.
   */
  connectionSecretEnc?: string | null;
}

/**
 * A connection's clientID authenticates with its clientSecret; the tenant/product and `dummy` forms with
 * CLIENT_SECRET_VERIFIER when it is set; an Identity Federation app with its own clientSecret. Any of them may
 * instead be a public client when the grant allows it. A secret that is sent must be right, and the error says
 * which of these was missing or wrong.
 */
export async function authenticateGrantClient(ctx: AppContext, c: ClientCredentials, g: GrantClient): Promise<ClientAuth> {
  if (isFederatedClientId(g.clientId)) {
    const app = await findFederatedClient(ctx, g.clientId);
    if (!app) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'The application this grant was issued to no longer exists.');
    if (c.clientSecret !== undefined) {
      const presented = [c.clientSecret, c.literalBasic?.clientSecret].filter((v): v is string => v !== undefined);
      if (!presented.some((secret) => isAppClientSecret(ctx, app, secret))) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'client_secret is not this application\'s clientSecret.');
      return 'secret';
    }
  } else if (g.clientId === g.connectionId) {
    if (c.clientSecret !== undefined) {
      const sealed = g.connectionSecretEnc !== undefined ? g.connectionSecretEnc : ((await connectionsRepo.findById(ctx.db, g.connectionId))?.client_secret_enc ?? null);
      if (sealed === null || !secretIs(c, ctx.secrets.decrypt(sealed))) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'client_secret is not this connection\'s clientSecret.');
      return 'secret';
    }
  } else if (c.clientSecret !== undefined) {
    const verifier = ctx.config.CLIENT_SECRET_VERIFIER;
    if (verifier === undefined) {
      if (g.publicAllowed) return 'none'; // a public client's stray secret: PKCE authenticates it, as before
      throw new GatehouseError('OAUTH_INVALID_CLIENT', 'A client_secret was sent, but the tenant/product and dummy client_id forms have no secret here (CLIENT_SECRET_VERIFIER is not set): use PKCE, or a connection\'s clientID and clientSecret.');
    }
    if (!secretIs(c, verifier)) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'client_secret does not match CLIENT_SECRET_VERIFIER.');
    return 'secret';
  }
  if (!g.publicAllowed) throw new GatehouseError('OAUTH_INVALID_CLIENT', g.noSecretHint);
  return 'none';
}

/** A client calling the revocation or introspection endpoint, as it authenticated. */
export interface AuthenticatedCaller {
  clientId: string;
  form: 'connection' | 'tenant-product' | 'federated-app';
  tenant: string;
  product: string;
  auth: ClientAuth;
}

/** Authenticates a client that presents no grant of its own (revocation, introspection): it must exist, and a secret it sends must be right. */
export async function authenticateCaller(ctx: AppContext, c: ClientCredentials): Promise<AuthenticatedCaller> {
  const clientId = c.clientId;
  if (!clientId) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'No client_id was sent (in the body or with HTTP Basic).');
  const noSecretHint = 'No client_secret was sent.';
  let who: Omit<AuthenticatedCaller, 'auth'>;
  let connectionId = '';
  if (isFederatedClientId(clientId)) {
    const app = await findFederatedClient(ctx, clientId);
    if (!app) throw new GatehouseError('OAUTH_INVALID_CLIENT', `No application has client_id "${clientId}".`);
    who = { clientId, form: 'federated-app', tenant: app.tenant, product: app.product };
  } else if (clientId === 'dummy' || parseTenantProductClientId(clientId)) {
    const tp = clientId === 'dummy' ? (c.tenant && c.product ? { tenant: c.tenant, product: c.product } : null) : parseTenantProductClientId(clientId);
    if (!tp) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'With client_id=dummy, the "tenant" and "product" parameters are required.');
    who = { clientId, form: 'tenant-product', ...tp };
  } else {
    const row = await connectionsRepo.findById(ctx.db, clientId);
    if (!row) throw new GatehouseError('OAUTH_INVALID_CLIENT', `No SSO connection has client_id "${clientId}".`);
    who = { clientId, form: 'connection', tenant: row.tenant, product: row.product };
    connectionId = clientId;
  }
  const auth = await authenticateGrantClient(ctx, c, { clientId, connectionId, publicAllowed: true, noSecretHint });
  return { ...who, auth };
}
