/**
 * The one configuration schema: every option with its default and its meaning. Read from the
 * environment once at boot, validated, then frozen. A bad value stops the process with a message
 * that names the variable. docs/configuration.md mirrors this file.
 */
import * as z from 'zod';
import { isIP } from 'node:net';

const csv = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

/** A serialised origin (scheme, host, optional port; no path, no wildcard): what CSP `frame-ancestors` gets from us. */
const ORIGIN = /^https?:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;
export function isOrigin(v: string): boolean {
  try {
    return ORIGIN.test(v) && new URL(v).origin === v.toLowerCase();
  } catch {
    return false;
  }
}

const intFrom = (def: number, min = 0) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) {
        ctx.addIssue({ code: 'custom', message: `must be an integer >= ${min}` });
        return z.NEVER;
      }
      return n;
    });

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [addr = '', bits, ...rest] = entry.split('/');
  const family = isIP(addr);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: off (unset, empty, `false`, `0`), a hop count, or a list of proxy addresses/CIDRs. `true`
 * (believe every X-Forwarded-For entry) would let any client choose its own IP, so it is refused.
 */
export function parseTrustProxy(value: string | undefined, fail: (message: string) => void): false | number | string[] {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') {
    fail('true would believe every X-Forwarded-For entry, so any client could pick its own IP: give the hop count (1 behind one load balancer) or the proxies\' addresses/CIDRs');
    return false;
  }
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = entries.filter((e) => !isAddressOrCidr(e));
  if (bad.length) fail(`must be a hop count or comma-separated IP addresses/CIDRs; not understood: ${bad.join(', ')}`);
  return entries;
}

/** The shortest password an admin account may have (the bootstrap owner's ADMIN_PASSWORD included). */
export const ADMIN_PASSWORD_MIN_LENGTH = 12;

const Schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** TCP port to listen on. */
  PORT: intFrom(5225, 0),
  /**
   * Interface to bind. Unset: 127.0.0.1 unless NODE_ENV=production (then 0.0.0.0), so a developer's server with a
   * `dev-key` is not reachable from the network; containers and production set HOST=0.0.0.0 (the Dockerfile does).
   */
  HOST: z.string().trim().min(1).optional(),
  /** Public base URL of this deployment (issuer, ACS, SCIM endpoints, setup links). */
  EXTERNAL_URL: z.string().optional(),
  /** sqlite:<path> (default), postgres://…, mysql://… */
  DATABASE_URL: z.string().default('sqlite:./.data/gatehouse.db'),
  /** 32 bytes as 64 hex characters or base64. Generated beside the SQLite file in development when absent. */
  ENCRYPTION_KEY: z.string().optional(),
  /** Older encryption keys still accepted for decryption during a rotation, comma-separated. */
  ENCRYPTION_KEYS_PREVIOUS: csv,
  /** Bootstrap management API keys (header `Authorization: Api-Key <key>`), comma-separated. */
  API_KEYS: csv,
  /**
   * Restores SAML Jackson's laxer behaviour where it differs from Gatehouse's strict defaults (redirect-URL
   * wildcards, `dummy` client secret, `plain` PKCE, Jackson's SP entity ID, raw NameID as `sub`, global
   * IDP_ENABLED, directory secrets on reads). Off by default; each lax setting in force is logged at boot (docs/migrating-from-jackson.md).
   */
  JACKSON_COMPAT: z.enum(['true', 'false', '1', '0', '']).optional().transform((v) => v === 'true' || v === '1'),
  /** Jackson-compatible shared client secret for the tenant/product and `dummy` client_id forms. Off unless set; `dummy` under JACKSON_COMPAT. */
  CLIENT_SECRET_VERIFIER: z.string().optional(),
  /** Jackson's global switch for IdP-initiated sign-in: with JACKSON_COMPAT, every SAML connection accepts it. Ignored otherwise (connections opt in one by one). */
  IDP_ENABLED: z.enum(['true', 'false', '1', '0', '']).optional().transform((v) => v === 'true' || v === '1'),
  /** SAML SP entity ID (the Audience IdPs put in assertions). Default: EXTERNAL_URL (`https://saml.boxyhq.com` under JACKSON_COMPAT). `SAML_AUDIENCE` is an alias. */
  SAML_SP_ENTITY_ID: z.string().optional(),
  SAML_AUDIENCE: z.string().optional(),
  /** Allowed clock difference with IdPs, in seconds. */
  SAML_CLOCK_SKEW_SECONDS: intFrom(90, 0),
  /** Hosts that outbound calls (metadata URLs, OIDC discovery, webhooks) may reach even though private, loopback or plain HTTP. */
  OUTBOUND_ALLOW_HOSTS: csv,
  /** DNS servers (ip or ip:port, comma-separated) used to verify domain TXT records; default: the system's. */
  DNS_SERVERS: csv,
  /** Timeout of every outbound HTTP call, in milliseconds. */
  OUTBOUND_TIMEOUT_MS: intFrom(10000, 100),
  /** DNS servers (ip or ip:port, comma-separated) that resolve the hosts of metadata URLs and OIDC providers; default: the system's resolver. */
  OUTBOUND_DNS_SERVERS: csv,
  /** Connections made from a metadata URL (SAML) or a discovery URL (OIDC) are fetched again this often; certificate expiry is checked as often (docs/decisions/0019-metadata-refresh.md). */
  METADATA_REFRESH_SECONDS: intFrom(21_600, 5),
  /** Directory Sync webhooks (docs/directory-sync.md): first retry delay (doubles each time, with jitter), its cap, how long to keep retrying. */
  WEBHOOK_RETRY_BASE_MS: intFrom(1000, 10),
  WEBHOOK_RETRY_MAX_DELAY_MS: intFrom(3_600_000, 100),
  WEBHOOK_RETRY_FOR_SECONDS: intFrom(86_400, 1),
  /** Deliverer: poll interval, claim lease, events per claim, parallel deliveries per instance, days to keep delivered events. */
  DSYNC_DELIVERER_POLL_MS: intFrom(1000, 10),
  DSYNC_DELIVERER_LEASE_MS: intFrom(60_000, 1000),
  DSYNC_DELIVERER_BATCH: intFrom(200, 1),
  DSYNC_DELIVERER_CONCURRENCY: intFrom(16, 1),
  DSYNC_EVENT_RETENTION_DAYS: intFrom(7, 0),
  /**
   * The SCIM inspector (docs/decisions/0027-scim-inspector.md): per directory, the last 7 days of SCIM requests,
   * at most this many entries and this many bytes (sealed, redacted bodies). 0 entries turns the log off.
   */
  SCIM_LOG_MAX_ENTRIES: intFrom(2000, 0),
  SCIM_LOG_MAX_BYTES: intFrom(5 * 1024 * 1024, 64 * 1024),
  /**
   * The vendor event stream's webhook (docs/management-api.md "Events"): where connection events are POSTed, signed
   * with the secret, through Directory Sync's outbox and retries. When set, they win over the portal's setting.
   */
  EVENTS_WEBHOOK_URL: z.string().optional(),
  EVENTS_WEBHOOK_SECRET: z.string().optional(),
  /**
   * The audit stream (docs/audit-stream.md, decision 0034): audit events to a signed webhook and/or an RFC 5424 syslog
   * collector (`tcp://host:514`, `tls://host:6514`) and/or a JSON Lines endpoint, with a filter. When any is set, they win over the portal's setting.
   */
  AUDIT_STREAM_WEBHOOK_URL: z.string().optional(),
  AUDIT_STREAM_WEBHOOK_SECRET: z.string().optional(),
  AUDIT_STREAM_SYSLOG_URL: z.string().optional(),
  /** PEM certificate(s) trusted, besides the system's CAs, for a tls:// syslog collector (a private CA). */
  AUDIT_STREAM_SYSLOG_CA: z.string().optional(),
  /** JSON Lines over HTTP (one event per line, POSTed as application/x-ndjson), with an optional Authorization header value. */
  AUDIT_STREAM_JSONL_URL: z.string().optional(),
  AUDIT_STREAM_JSONL_AUTHORIZATION: z.string().optional(),
  AUDIT_STREAM_ACTIONS: csv,
  AUDIT_STREAM_TENANTS: csv,
  AUDIT_STREAM_PRODUCTS: csv,
  /** Days the vendor event stream (GET /api/v1/events) keeps events; 0 keeps them forever. */
  EVENTS_RETENTION_DAYS: intFrom(90, 0),
  /** Lifetimes, in seconds. */
  LOGIN_FLOW_TTL_SECONDS: intFrom(900, 30),
  CODE_TTL_SECONDS: intFrom(120, 10),
  ACCESS_TOKEN_TTL_SECONDS: intFrom(3600, 60),
  /**
   * How long an app session (issue 15) is tracked after sign-in: logouts (SAML SLO, SCIM deactivation, back-channel)
   * reach it for this long, and refresh tokens never outlive it. 30 days by default.
   */
  SESSION_TTL_SECONDS: intFrom(2_592_000, 60),
  /** How often each instance looks for a changed signing key set in the database (a rotation on another instance). */
  KEYSET_REFRESH_SECONDS: intFrom(30, 1),
  /** Refresh tokens (decision 0024): unused this long, one expires (14 days); a product may set its own. */
  REFRESH_TOKEN_IDLE_SECONDS: intFrom(1_209_600, 60),
  /** However often it rotates, a refresh token family ends this long after sign-in (30 days), and never after its app session. */
  REFRESH_TOKEN_ABSOLUTE_SECONDS: intFrom(2_592_000, 60),
  /** Rate limits: requests per minute per client IP for each group of routes. 0 disables. */
  RATE_LIMIT_OAUTH_PER_MINUTE: intFrom(1200, 0),
  RATE_LIMIT_API_PER_MINUTE: intFrom(6000, 0),
  RATE_LIMIT_SENSITIVE_PER_MINUTE: intFrom(60, 0),
  /** Setup-link pages and API: requests per minute per client IP, and per link token. */
  RATE_LIMIT_SETUP_LINK_PER_MINUTE: intFrom(300, 0),
  RATE_LIMIT_SCIM_PER_MINUTE: intFrom(60_000, 0),
  /**
   * Which proxies' X-Forwarded-For to believe for the client IP (rate limits, audit log). Off by default: the
   * socket's address. A hop count (`1` behind one load balancer that every request passes through) or the
   * proxies' addresses/CIDRs, comma-separated (also `loopback`, `linklocal`, `uniquelocal`). `true` is refused.
   */
  TRUST_PROXY: z.string().optional().transform((v, ctx) => parseTrustProxy(v, (message) => ctx.addIssue({ code: 'custom', message }))),
  /** When set (redis://…), rate-limit counters live in Redis instead of the database; keys start with REDIS_KEY_PREFIX. */
  REDIS_URL: z.string().optional(),
  REDIS_KEY_PREFIX: z.string().default('gatehouse:'),
  /** Admin portal: bootstrap owner created at start when absent (docs/admin-api.md), session timeouts. */
  ADMIN_EMAIL: z.string().optional(),
  /** At least ADMIN_PASSWORD_MIN_LENGTH (12) characters, checked at boot like every other variable. */
  ADMIN_PASSWORD: z.string().optional().refine((v) => v === undefined || v.length >= ADMIN_PASSWORD_MIN_LENGTH, `must have at least ${ADMIN_PASSWORD_MIN_LENGTH} characters`),
  ADMIN_SESSION_IDLE_MINUTES: intFrom(30, 1),
  ADMIN_SESSION_ABSOLUTE_HOURS: intFrom(12, 1),
  /** Embeddable portal (decision 0033): origins allowed to frame it for every product (comma-separated), beside each product's own. */
  PORTAL_FRAME_ANCESTORS: csv.refine((list) => list.every(isOrigin), 'must be comma-separated origins such as https://app.example.com'),
  /** A portal session ends after this long unused (60 min) and at the latest this long after its link was opened (8 h). */
  PORTAL_SESSION_IDLE_MINUTES: intFrom(60, 1),
  PORTAL_SESSION_ABSOLUTE_HOURS: intFrom(8, 1),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Database connection pool size (PostgreSQL/MySQL). */
  DATABASE_POOL_SIZE: intFrom(10, 1),
  /**
   * PostgreSQL: statements are prepared once per connection (decision 0048). `false` for a pooler in transaction
   * mode that does not track prepared statements (PgBouncer before 1.21, or without `max_prepared_statements`).
   */
  DATABASE_PREPARED_STATEMENTS: z.enum(['true', 'false', '1', '0', '']).optional().transform((v) => v !== 'false' && v !== '0'),
  /**
   * Worker threads that parse and validate SAML Responses (decision 0038): `auto` (one per core), or a number;
   * 0 validates on the main thread. The process stays one process with one database writer.
   */
  WORKERS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '' || v === 'auto') return 'auto' as const;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 64) {
        ctx.addIssue({ code: 'custom', message: 'must be auto or an integer from 0 to 64' });
        return z.NEVER;
      }
      return n;
    }),
  /** Graceful stop (SIGTERM/SIGINT): keep serving this long with /api/ready at 503 so the load balancer stops routing here, then drain. */
  SHUTDOWN_DELAY_MS: intFrom(0, 0),
  /** Graceful stop: exit with status 1 if draining in-flight requests and webhook deliveries takes longer than this. */
  SHUTDOWN_TIMEOUT_MS: intFrom(25_000, 100),
  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().optional(),
});

export type RawConfig = z.output<typeof Schema>;

export interface Config extends Omit<RawConfig, 'EXTERNAL_URL' | 'SAML_SP_ENTITY_ID' | 'SAML_AUDIENCE' | 'ENCRYPTION_KEY' | 'HOST'> {
  EXTERNAL_URL: string;
  /** HOST, or its default: 127.0.0.1 outside production, 0.0.0.0 in production. */
  HOST: string;
  /** Always set under JACKSON_COMPAT (`dummy` unless given). */
  CLIENT_SECRET_VERIFIER: string | undefined;
  SAML_SP_ENTITY_ID: string;
  /** Raw 32-byte keys; the first encrypts, all decrypt. */
  encryptionKeys: Buffer[];
  /** Derived URLs. */
  acsUrl: string;
  oidcCallbackUrl: string;
  isProduction: boolean;
}

export class ConfigError extends Error {}

/** Parses `ENCRYPTION_KEY`: 64 hex characters or base64 (standard or url-safe) of exactly 32 bytes. */
export function parseEncryptionKey(value: string, name = 'ENCRYPTION_KEY'): Buffer {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) {
    const buf = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (buf.length === 32) return buf;
  }
  throw new ConfigError(`${name} must be 32 bytes written as 64 hex characters or as base64.`);
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
export const isLocalHost = (host: string) => LOCAL_HOSTS.has(host.toLowerCase()) || /^127\./.test(host);

function checkUrl(name: string, value: string, production: boolean): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${value}".`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ConfigError(`${name} must use http or https.`);
  if (production && u.protocol === 'http:' && !isLocalHost(u.hostname)) {
    throw new ConfigError(`${name} must use HTTPS in production (plain HTTP is allowed only for localhost/127.0.0.1).`);
  }
  return value.replace(/\/+$/, '');
}

/** A webhook from the environment: an absolute http(s) URL with a secret to sign with (the SSRF guard applies when sending). */
function checkWebhookEnv(url: string | undefined, secret: string | undefined, prefix: 'EVENTS' | 'AUDIT_STREAM'): void {
  if (!url) {
    if (secret) throw new ConfigError(`${prefix}_WEBHOOK_SECRET is set without ${prefix}_WEBHOOK_URL.`);
    return;
  }
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) throw new ConfigError(`${prefix}_WEBHOOK_URL must be an absolute http(s) URL, got "${url}".`);
  if (!secret || secret.length < 16) throw new ConfigError(`${prefix}_WEBHOOK_SECRET (16 characters or more) is required with ${prefix}_WEBHOOK_URL: events are signed with it.`);
}

/** The audit stream's syslog collector: tcp://host:port or tls://host:port (the SSRF guard applies when sending). */
function checkSyslogEnv(url: string | undefined): void {
  if (url && !/^(tcp|tls):\/\/[^/?#]+$/i.test(url.replace(/\/$/, ''))) throw new ConfigError(`AUDIT_STREAM_SYSLOG_URL must be tcp://host:port or tls://host:port, got "${url}".`);
}

/** SAML Jackson's own defaults, which JACKSON_COMPAT restores so its IdPs and apps keep working unchanged. */
export const JACKSON_DEFAULTS = { clientSecretVerifier: 'dummy', spEntityId: 'https://saml.boxyhq.com' } as const;

/**
 * The lax settings in force, one line each, for the boot warning (docs/migrating-from-jackson.md says
 * what each one risks). Empty without JACKSON_COMPAT.
 */
export function laxSettingsInForce(c: Readonly<Config>): string[] {
  if (!c.JACKSON_COMPAT) return [];
  const out = [
    'redirect URLs match as in Jackson: a bare origin or origin/* allows any path on it, *.domain allows its subdomains',
    c.CLIENT_SECRET_VERIFIER === JACKSON_DEFAULTS.clientSecretVerifier
      ? 'CLIENT_SECRET_VERIFIER is "dummy": client_id=dummy (or tenant/product) with client_secret=dummy redeems codes without PKCE'
      : 'CLIENT_SECRET_VERIFIER is a shared secret for the dummy and tenant/product client_id forms',
    'plain PKCE (code_challenge_method=plain) is accepted',
    'sub is the raw NameID, so two IdPs asserting the same NameID give the same sub',
    'directory secrets on reads: GET and PATCH /api/v1/dsync answers carry scim.secret and webhook.secret for callers that may read secrets (not only when created or rotated)',
  ];
  if (c.SAML_SP_ENTITY_ID === JACKSON_DEFAULTS.spEntityId) out.push(`the SP entity ID and Audience are Jackson's shared default "${JACKSON_DEFAULTS.spEntityId}"`);
  if (c.IDP_ENABLED) out.push('IDP_ENABLED: every SAML connection accepts IdP-initiated (unsolicited) sign-in, and its codes redeem with client_id=dummy and CLIENT_SECRET_VERIFIER');
  return out;
}

/**
 * Validates the environment. `resolveKey` supplies the development key when ENCRYPTION_KEY is absent
 * (main.ts reads or creates it beside the SQLite file); in production an absent key is an error.
 */
export function loadConfig(env: Record<string, string | undefined>, resolveKey?: () => string): Readonly<Config> {
  const parsed = Schema.safeParse(env);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${msgs.join('\n  ')}`);
  }
  const raw = parsed.data;
  const isProduction = raw.NODE_ENV === 'production';
  const external = checkUrl('EXTERNAL_URL', raw.EXTERNAL_URL ?? `http://localhost:${raw.PORT}`, isProduction);
  let keyText = raw.ENCRYPTION_KEY;
  if (!keyText) {
    if (isProduction || !resolveKey) throw new ConfigError('ENCRYPTION_KEY is required in production (32 bytes as 64 hex characters or base64).');
    keyText = resolveKey();
  }
  const encryptionKeys = [parseEncryptionKey(keyText), ...raw.ENCRYPTION_KEYS_PREVIOUS.map((k, i) => parseEncryptionKey(k, `ENCRYPTION_KEYS_PREVIOUS[${i}]`))];
  if (!/^(sqlite:|postgres(ql)?:\/\/|mysql:\/\/|mariadb:\/\/)/.test(raw.DATABASE_URL)) {
    throw new ConfigError('DATABASE_URL must start with sqlite:, postgres://, postgresql://, mysql:// or mariadb://');
  }
  checkWebhookEnv(raw.EVENTS_WEBHOOK_URL, raw.EVENTS_WEBHOOK_SECRET, 'EVENTS');
  checkWebhookEnv(raw.AUDIT_STREAM_WEBHOOK_URL, raw.AUDIT_STREAM_WEBHOOK_SECRET, 'AUDIT_STREAM');
  checkSyslogEnv(raw.AUDIT_STREAM_SYSLOG_URL);
  if (raw.AUDIT_STREAM_SYSLOG_CA && !raw.AUDIT_STREAM_SYSLOG_CA.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError('AUDIT_STREAM_SYSLOG_CA must be PEM certificate text (-----BEGIN CERTIFICATE-----…).');
  if (raw.AUDIT_STREAM_JSONL_AUTHORIZATION && !raw.AUDIT_STREAM_JSONL_URL) throw new ConfigError('AUDIT_STREAM_JSONL_AUTHORIZATION is set without AUDIT_STREAM_JSONL_URL.');
  if (raw.AUDIT_STREAM_JSONL_URL && (!/^https?:\/\//i.test(raw.AUDIT_STREAM_JSONL_URL) || !URL.canParse(raw.AUDIT_STREAM_JSONL_URL))) throw new ConfigError(`AUDIT_STREAM_JSONL_URL must be an absolute http(s) URL, got "${raw.AUDIT_STREAM_JSONL_URL}".`);
  const { ENCRYPTION_KEY: _k, SAML_AUDIENCE, SAML_SP_ENTITY_ID, EXTERNAL_URL: _e, ...rest } = raw;
  const cfg: Config = {
    ...rest,
    EXTERNAL_URL: external,
    HOST: rest.HOST ?? (isProduction ? '0.0.0.0' : '127.0.0.1'),
    CLIENT_SECRET_VERIFIER: rest.CLIENT_SECRET_VERIFIER ?? (rest.JACKSON_COMPAT ? JACKSON_DEFAULTS.clientSecretVerifier : undefined),
    SAML_SP_ENTITY_ID: SAML_SP_ENTITY_ID ?? SAML_AUDIENCE ?? (rest.JACKSON_COMPAT ? JACKSON_DEFAULTS.spEntityId : external),
    encryptionKeys,
    acsUrl: `${external}/api/oauth/saml`,
    oidcCallbackUrl: `${external}/api/oauth/oidc`,
    isProduction,
  };
  return Object.freeze(cfg);
}
