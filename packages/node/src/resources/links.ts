/**
 * Links you hand to a customer's IT admin: setup links (`/api/v1/{sso,dsync}/setuplinks`: a page where they set up
 * SSO or a SCIM directory for their tenant only, expiring and revocable) and single-use links into the embeddable
 * portal (`POST /api/v1/portal/links`).
 */
import type { Call } from '../http.ts';
import { offsetPages, Paged } from '../pagination.ts';
import type { CreateDsyncSetupLinkInput, CreatePortalLinkInput, CreateSsoSetupLinkInput, PortalLink, SetupLink } from '../types.ts';

export type SetupLinkSelector = { id: string } | { tenant: string; product: string };

/** How far the customer got with a link, as the portal shows it. */
export type SetupLinkStatus = 'not_opened' | 'opened' | 'configured' | 'tested' | 'live';

/** Filters and page size of a setup-link list. */
export interface SetupLinkListOptions {
  product: string;
  tenant?: string;
  status?: SetupLinkStatus;
  /** Links per request (1–100, default 25). */
  pageSize?: number;
}

/** The setup links of one service; `S` fixes the create input (SSO links take redirect URLs, Directory Sync links a webhook). */
export class SetupLinks<S extends 'sso' | 'dsync'> {
  readonly #call: Call;
  readonly #service: S;
  constructor(call: Call, service: S) {
    this.#call = call;
    this.#service = service;
  }

  /**
   * Creates the tenant+product's link, or answers the live one that exists (unless `regenerate: true`). Send its
   * `url` to the customer; it stops working at `validTill` (Unix ms) or when deleted or regenerated.
   */
  async create(input: S extends 'sso' ? CreateSsoSetupLinkInput : CreateDsyncSetupLinkInput): Promise<SetupLink> {
    const answer = this.#service === 'sso'
      ? await this.#call('post', '/api/v1/sso/setuplinks', { body: input as CreateSsoSetupLinkInput })
      : await this.#call('post', '/api/v1/dsync/setuplinks', { body: input as CreateDsyncSetupLinkInput });
    return answer.data;
  }

  /** One link, by id or by tenant+product. */
  async get(which: SetupLinkSelector): Promise<SetupLink> {
    return (await this.#call('get', `/api/v1/${this.#service as 'sso'}/setuplinks`, { query: which })).data;
  }

  /** The product's links (optionally of one tenant, or in one status), page by page. */
  list(opts: SetupLinkListOptions): Paged<SetupLink> {
    const { pageSize = 25, ...filter } = opts;
    return new Paged(offsetPages(pageSize, async (pageOffset, pageLimit) => {
      const page = await this.#call('get', `/api/v1/${this.#service as 'sso'}/setuplinks/product`, { query: { ...filter, pageOffset, pageLimit } });
      const total = (page as { total?: unknown }).total;
      return { items: page.data, ...(typeof total === 'number' ? { total } : {}) };
    }));
  }

  /** A new URL for the link; the old URL stops working at once. */
  async regenerate(id: string): Promise<SetupLink> {
    return (await this.#call('post', `/api/v1/${this.#service as 'sso'}/setuplinks/regenerate`, { body: { id } })).data;
  }

  /** Revokes a link: its URL stops working at once. */
  async delete(which: SetupLinkSelector): Promise<void> {
    await this.#call('delete', `/api/v1/${this.#service as 'sso'}/setuplinks`, { query: which });
  }
}

export class PortalLinks {
  readonly #call: Call;
  constructor(call: Call) {
    this.#call = call;
  }

  /**
   * A single-use link into the embeddable portal for one tenant+product and one `intent` (`sso`, `dsync`,
   * `domain_verification`, `certificate_renewal` with `clientID`, `audit_log`). Redirect the customer's admin to
   * `url` (or frame it) right away: it opens one session, and opened again it answers 410.
   */
  async create(input: CreatePortalLinkInput): Promise<PortalLink> {
    return (await this.#call('post', '/api/v1/portal/links', { body: input })).data;
  }
}
