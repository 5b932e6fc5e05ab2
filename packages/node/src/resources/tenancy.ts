/** Products (`/api/v1/products`), tenants (`/api/v1/tenants`) and a tenant's email domains. */
import type { Call } from '../http.ts';
import { Paged } from '../pagination.ts';
import type { CreateProductInput, CreateTenantInput, Domain, Product, Tenant, UpdateProductInput, UpdateTenantInput } from '../types.ts';

/** Page size for product and tenant lists (the API's maximum is 200). */
export interface ListOptions {
  limit?: number;
  /** Start after this cursor (a `next` of an earlier page). */
  after?: string;
}

export class Products {
  readonly #call: Call;
  constructor(call: Call) {
    this.#call = call;
  }

  /** Creates a product (one app of yours): its default redirect URL, login URI, roles, session and portal settings. */
  async create(input: CreateProductInput): Promise<Product> {
    return (await this.#call('post', '/api/v1/products', { body: input })).data;
  }

  /** Every product, page by page (`for await (const p of gatehouse.products.list())`). */
  list(opts: ListOptions = {}): Paged<Product> {
    return new Paged(async (after) => {
      const page = await this.#call('get', '/api/v1/products', { query: { limit: opts.limit, after: after ?? undefined } });
      return { items: page.data, next: page.nextCursor ?? null };
    }, opts.after ?? null);
  }

  async get(product: string): Promise<Product> {
    return (await this.#call('get', '/api/v1/products/{product}', { path: { product } })).data;
  }

  async update(product: string, input: UpdateProductInput): Promise<Product> {
    return (await this.#call('patch', '/api/v1/products/{product}', { path: { product }, body: input })).data;
  }

  async delete(product: string): Promise<void> {
    await this.#call('delete', '/api/v1/products/{product}', { path: { product } });
  }
}

export class Domains {
  readonly #call: Call;
  constructor(call: Call) {
    this.#call = call;
  }

  async list(tenant: string): Promise<Domain[]> {
    return (await this.#call('get', '/api/v1/tenants/{tenant}/domains', { path: { tenant } })).data;
  }

  /** Adds an email domain; publish `txtRecord` in the domain's DNS, then call `verify`. */
  async add(tenant: string, domain: string): Promise<Domain> {
    return (await this.#call('post', '/api/v1/tenants/{tenant}/domains', { path: { tenant }, body: { domain } })).data;
  }

  /** Checks the TXT record now. Refused with `GatehouseValidationError` while the record is not there yet. */
  async verify(tenant: string, domain: string): Promise<Domain> {
    return (await this.#call('post', '/api/v1/tenants/{tenant}/domains/{domain}/verify', { path: { tenant, domain } })).data;
  }

  async remove(tenant: string, domain: string): Promise<void> {
    await this.#call('delete', '/api/v1/tenants/{tenant}/domains/{domain}', { path: { tenant, domain } });
  }
}

export class Tenants {
  readonly #call: Call;
  /** The tenant's email domains (verified by DNS TXT; home-realm discovery routes sign-ins by them). */
  readonly domains: Domains;
  constructor(call: Call) {
    this.#call = call;
    this.domains = new Domains(call);
  }

  /** Creates a tenant (one customer organisation); `enterpriseKey` is what its login links carry (default: the tenant). */
  async create(input: CreateTenantInput): Promise<Tenant> {
    return (await this.#call('post', '/api/v1/tenants', { body: input })).data;
  }

  /** Every tenant, page by page. */
  list(opts: ListOptions = {}): Paged<Tenant> {
    return new Paged(async (after) => {
      const page = await this.#call('get', '/api/v1/tenants', { query: { limit: opts.limit, after: after ?? undefined } });
      return { items: page.data, next: page.nextCursor ?? null };
    }, opts.after ?? null);
  }

  async get(tenant: string): Promise<Tenant> {
    return (await this.#call('get', '/api/v1/tenants/{tenant}', { path: { tenant } })).data;
  }

  async update(tenant: string, input: UpdateTenantInput): Promise<Tenant> {
    return (await this.#call('patch', '/api/v1/tenants/{tenant}', { path: { tenant }, body: input })).data;
  }

  async delete(tenant: string): Promise<void> {
    await this.#call('delete', '/api/v1/tenants/{tenant}', { path: { tenant } });
  }
}
