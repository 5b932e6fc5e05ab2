/** SSO connections (`/api/v1/sso`): SAML from metadata XML or a metadata URL, OIDC from a discovery URL or metadata. */
import type { Call } from '../http.ts';
import type { Connection, CreateConnectionInput, LoginLinks, QueryOf, UpdateConnectionInput } from '../types.ts';

export class Connections {
  readonly #call: Call;
  constructor(call: Call) {
    this.#call = call;
  }

  /**
   * Creates a connection for a tenant+product: SAML with `rawMetadata` (the IdP's metadata XML), `encodedRawMetadata`
   * or `metadataUrl`; OIDC with `oidcDiscoveryUrl` (or `oidcMetadata`), `oidcClientId` and `oidcClientSecret`. The
   * answer carries `clientID` and `clientSecret` (the app's OAuth client for this one connection). Posting the same
   * IdP again for the same tenant+product updates that connection (Jackson's behaviour).
   */
  async create(input: CreateConnectionInput): Promise<Connection> {
    return this.#call('post', '/api/v1/sso', { body: input });
  }

  /** The connections of a tenant+product, newest first (`sort: true`: by `sortOrder`). */
  async list(query: { tenant: string; product: string; sort?: boolean }): Promise<Connection[]> {
    return this.#call('get', '/api/v1/sso', { query });
  }

  /** One connection by its `clientID`, or null when there is none. */
  async get(clientID: string): Promise<Connection | null> {
    const [found] = await this.#call('get', '/api/v1/sso', { query: { clientID } });
    return found ?? null;
  }

  /** A product's connections across tenants (`pageOffset`/`pageLimit`, one page). */
  async listOfProduct(query: QueryOf<'/api/v1/sso/product', 'get'>): Promise<Connection[]> {
    return this.#call('get', '/api/v1/sso/product', { query });
  }

  /** Changes a connection, named by `clientID` (and `clientSecret` for Jackson's clients; the key's permission suffices). */
  async update(input: UpdateConnectionInput): Promise<void> {
    await this.#call('patch', '/api/v1/sso', { body: input });
  }

  /** Deletes one connection (`clientID`, `clientSecret`) or every connection of a tenant+product. */
  async delete(query: { clientID: string; clientSecret?: string } | { tenant: string; product: string }): Promise<void> {
    await this.#call('delete', '/api/v1/sso', { query });
  }

  /** The one-click login link and the invite link of a tenant (for a product) to hand to its users. */
  async loginLinks(query: { tenant: string; product?: string }): Promise<LoginLinks> {
    return (await this.#call('get', '/api/v1/sso/links', { query })).data;
  }
}
