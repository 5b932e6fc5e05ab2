export { Gatehouse } from './client.ts';
export type { GatehouseOptions, Call, CallInput } from './http.ts';
export { Paged, type Page } from './pagination.ts';
export {
  GatehouseError, GatehouseApiError, GatehouseValidationError, GatehouseAuthenticationError, GatehousePermissionError,
  GatehouseNotFoundError, GatehouseConflictError, GatehouseRateLimitError, GatehouseConnectionError, WebhookVerificationError,
  type WebhookFailure,
} from './errors.ts';
export { verifyWebhook, DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADERS, type HeaderSource, type VerifyWebhookOptions } from './webhooks.ts';
export type { Connections } from './resources/connections.ts';
export type { Products, Tenants, Domains, ListOptions } from './resources/tenancy.ts';
export type { Directories, DirectoryUsers, DirectoryGroups, DirectoryEventLog, DirectorySelector, PullOptions } from './resources/directories.ts';
export type { SetupLinks, SetupLinkSelector, SetupLinkListOptions, SetupLinkStatus, PortalLinks } from './resources/links.ts';
export type { Events, EventStreamOptions, VendorEventType } from './resources/events.ts';
export type * from './types.ts';
