/** The client: one object per area of the management API, all sharing one transport (URL, key, fetch). */
import { createCall, type Call, type GatehouseOptions } from './http.ts';
import { Connections } from './resources/connections.ts';
import { Products, Tenants } from './resources/tenancy.ts';
import { Directories } from './resources/directories.ts';
import { PortalLinks, SetupLinks } from './resources/links.ts';
import { Events } from './resources/events.ts';

export class Gatehouse {
  /** SAML and OIDC connections (`/api/v1/sso`). */
  readonly connections: Connections;
  /** Products: your apps (`/api/v1/products`). */
  readonly products: Products;
  /** Tenants: your customers' organisations, and their email domains (`/api/v1/tenants`). */
  readonly tenants: Tenants;
  /** SCIM directories, the pull API (users, groups, members) and their webhook event log (`/api/v1/dsync`). */
  readonly directories: Directories;
  /** Setup links for a customer's IT admin, per service (`/api/v1/sso/setuplinks`, `/api/v1/dsync/setuplinks`). */
  readonly setupLinks: { readonly sso: SetupLinks<'sso'>; readonly dsync: SetupLinks<'dsync'> };
  /** Single-use links into the embeddable portal (`/api/v1/portal/links`). */
  readonly portalLinks: PortalLinks;
  /** The vendor event stream (`/api/v1/events`). */
  readonly events: Events;
  /**
   * The typed transport itself, for an operation this client has no method for: the path as the OpenAPI document
   * spells it, e.g. `gatehouse.request('get', '/api/v1/sso/health', { query: { clientID } })`.
   */
  readonly request: Call;

  constructor(opts: GatehouseOptions) {
    const call = createCall(opts);
    this.request = call;
    this.connections = new Connections(call);
    this.products = new Products(call);
    this.tenants = new Tenants(call);
    this.directories = new Directories(call);
    this.setupLinks = { sso: new SetupLinks(call, 'sso'), dsync: new SetupLinks(call, 'dsync') };
    this.portalLinks = new PortalLinks(call);
    this.events = new Events(call);
  }
}
