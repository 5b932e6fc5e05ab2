/**
 * The SDK's errors. Every refusal of the management API becomes a `GatehouseApiError` carrying the API's stable
 * `code` (Gatehouse's error catalog, e.g. `API_VALIDATION`, `API_NOT_FOUND`, `DSYNC_DIRECTORY_NOT_FOUND`), the HTTP
 * status, the input `field` at fault and the problem JSON as sent; a subclass per status family lets callers use
 * `instanceof`. A request that got no answer is a `GatehouseConnectionError`; a webhook that does not verify is a
 * `WebhookVerificationError` with its own reason code.
 */
import type { Problem } from './types.ts';

/** The base class of everything this SDK throws on purpose. */
export class GatehouseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The management API answered with an error status. */
export class GatehouseApiError extends GatehouseError {
  /** HTTP status of the answer. */
  readonly status: number;
  /**
   * The stable code from Gatehouse's error catalog (`API_VALIDATION`, `API_NOT_FOUND`, `API_UNAUTHORIZED`…). When the
   * answer was not Gatehouse's problem JSON (a proxy's page, say) it is `HTTP_<status>`.
   */
  readonly code: string;
  /** The input field at fault, when the API names one. */
  readonly field: string | undefined;
  /** The catalog's sentence for the code. */
  readonly title: string;
  /** What went wrong with this request, in words. */
  readonly detail: string;
  /** The method and path that were refused, e.g. `POST /api/v1/sso`. */
  readonly request: string;
  /** The problem JSON as the API sent it (null when the body was not problem JSON). */
  readonly problem: Problem | null;
  /** `Retry-After` in seconds, when the API sent it (429). */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: { status: number; request: string; problem: Problem | null; text?: string; retryAfterSeconds?: number }) {
    const p = init.problem;
    const detail = p?.detail ?? (init.text?.trim().slice(0, 300) || `HTTP ${init.status}`);
    super(`${init.request}: ${init.status} ${p?.code ?? `HTTP_${init.status}`}: ${detail}`);
    this.status = init.status;
    this.code = p?.code ?? `HTTP_${init.status}`;
    this.field = p?.field;
    this.title = p?.title ?? detail;
    this.detail = detail;
    this.request = init.request;
    this.problem = p;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** 400: the request is not valid; `field` names the input at fault. */
export class GatehouseValidationError extends GatehouseApiError {}
/** 401: no API key, or one Gatehouse does not know. */
export class GatehouseAuthenticationError extends GatehouseApiError {}
/** 403: the key lacks the permission, tenant or product. */
export class GatehousePermissionError extends GatehouseApiError {}
/** 404: no such connection, directory, tenant, link… */
export class GatehouseNotFoundError extends GatehouseApiError {}
/** 409: conflicts with what exists (a taken name, a domain verified by another tenant…). */
export class GatehouseConflictError extends GatehouseApiError {}
/** 429: too many requests; see `retryAfterSeconds`. */
export class GatehouseRateLimitError extends GatehouseApiError {}

const BY_STATUS: Record<number, typeof GatehouseApiError> = {
  400: GatehouseValidationError,
  401: GatehouseAuthenticationError,
  403: GatehousePermissionError,
  404: GatehouseNotFoundError,
  409: GatehouseConflictError,
  429: GatehouseRateLimitError,
};

/** The error for an answer with an error status (the subclass of its status, else `GatehouseApiError`). */
export function apiErrorOf(init: ConstructorParameters<typeof GatehouseApiError>[0]): GatehouseApiError {
  return new (BY_STATUS[init.status] ?? GatehouseApiError)(init);
}

/** Problem JSON is recognised by its `code` and `status`; anything else is kept as text. */
export function asProblem(body: unknown): Problem | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Partial<Problem>;
  return typeof b.code === 'string' && typeof b.status === 'number' ? ({ ...b, detail: b.detail ?? b.error?.message ?? '', title: b.title ?? '' } as Problem) : null;
}

/** The request got no answer: DNS, refused connection, TLS, or the timeout. */
export class GatehouseConnectionError extends GatehouseError {}

/** Why a webhook did not verify. */
export type WebhookFailure =
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_MALFORMED'
  | 'SIGNATURE_MISMATCH'
  | 'TIMESTAMP_TOO_OLD'
  | 'TIMESTAMP_IN_FUTURE'
  | 'BODY_NOT_JSON';

/** A webhook that must not be trusted; `reason` says why. Answer such a request with 400 (or 401) and do nothing. */
export class WebhookVerificationError extends GatehouseError {
  readonly reason: WebhookFailure;
  constructor(reason: WebhookFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}
