/**
 * The Prometheus metrics of one Gatehouse app: HTTP requests per route, login outcomes by reason,
 * SCIM operations, webhook delivery attempts, and — read at scrape time — the outbox depth and the
 * database pool. Process metrics (RSS, heap, event-loop lag, GC) are collected once per process.
 *
 * Metrics are a field of the app context (`ctx.metrics`, built in boot()), so domain code records through
 * the small hooks in ./hooks.ts with nothing but its `ctx`, and several apps in one process (tests) never mix.
 * Labels are route templates, error codes and statuses only: never a tenant, user, id or token.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../storage/schema.ts';
import type { PoolStats } from '../storage/dialect.ts';
import { directoryEventsRepo } from '../storage/repositories/directory-events.ts';

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Route templates are few; the bound only guards against an unexpected spread of label values. */
const MAX_REQUEST_CHILDREN = 1000;

let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export type LoginProtocol = 'saml' | 'oidc';
/** delivered: a 2xx; refused: any other HTTP status; unreachable: no answer (refused connection, timeout, SSRF guard). */
export type WebhookResult = 'delivered' | 'refused' | 'unreachable';

export interface Metrics {
  readonly contentType: string;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  login(protocol: LoginProtocol, outcome: 'success' | 'failure', reason: string): void;
  scim(resource: string, operation: string, status: number): void;
  webhookAttempt(result: WebhookResult, seconds: number): void;
  /** The exposition text (process metrics, then this app's). */
  render(): Promise<string>;
  /** The app's readiness (gatehouse_ready); until an app is built, the instance counts as ready. */
  watchReadiness(state: { ready: boolean }): void;
}

export interface MetricsSources {
  db: Kysely<Database>;
  now(): number;
  log: Logger;
  /** The database pool's connections (null on SQLite). */
  poolStats(): PoolStats | null;
  /** Statements sent to the database so far (storage/dialect.ts#StatementCounter). */
  statements(): number;
}

export function createMetrics(ctx: MetricsSources): Metrics {
  let state = { ready: true };
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({ name: 'gatehouse_http_requests_total', help: 'HTTP requests by method, route template and status.', labelNames: ['method', 'route', 'status'], registers });
  const durations = new Histogram({ name: 'gatehouse_http_request_duration_seconds', help: 'HTTP request latency by method and route template.', labelNames: ['method', 'route'], buckets: SECONDS_BUCKETS, registers });
  const logins = new Counter({ name: 'gatehouse_logins_total', help: 'Completed sign-ins (SAML ACS, OIDC callback) by outcome and reason (an error code, or "ok").', labelNames: ['protocol', 'outcome', 'reason'], registers });
  const scimOps = new Counter({ name: 'gatehouse_scim_operations_total', help: 'SCIM requests by resource, operation and status.', labelNames: ['resource', 'operation', 'status'], registers });
  const attempts = new Counter({ name: 'gatehouse_webhook_delivery_attempts_total', help: 'Webhook delivery attempts made by this instance, by result (delivered = 2xx, refused = other status, unreachable = no answer).', labelNames: ['result'], registers });
  const attemptSeconds = new Histogram({ name: 'gatehouse_webhook_delivery_duration_seconds', help: 'Webhook POST latency as seen by this instance.', buckets: SECONDS_BUCKETS, registers });
  new Gauge({ name: 'gatehouse_ready', help: '1 while this instance accepts traffic, 0 while it drains.', registers, collect() { this.set(state.ready ? 1 : 0); } });

  // One query per scrape feeds the three outbox gauges (their collects run together and share it);
  // a failure (database down) keeps the last values and sets database_up to 0.
  let reading: Promise<void> | null = null;
  const readOutbox = () =>
    (reading ??= (async () => {
      try {
        const backlog = await directoryEventsRepo.backlog(ctx.db);
        outbox.set({ status: 'pending' }, backlog.pending);
        outbox.set({ status: 'failed' }, backlog.failed);
        oldest.set(backlog.oldestPendingAt === null ? 0 : Math.max(0, (ctx.now() - backlog.oldestPendingAt) / 1000));
        dbUp.set(1);
      } catch (err) {
        dbUp.set(0);
        ctx.log.debug({ err }, 'metrics: outbox gauges not read');
      }
    })().finally(() => {
      reading = null;
    }));
  const outbox = new Gauge({ name: 'gatehouse_webhook_outbox_events', help: 'Events in the shared outbox by status (pending = not delivered yet; failed = gave up, replayable).', labelNames: ['status'], registers, collect: readOutbox });
  const oldest = new Gauge({ name: 'gatehouse_webhook_outbox_oldest_pending_seconds', help: 'Age of the oldest pending event (0 when none).', registers, collect: readOutbox });
  const dbUp = new Gauge({ name: 'gatehouse_database_up', help: '1 when the last scrape could query the database.', registers, collect: readOutbox });
  const pool = new Gauge({ name: 'gatehouse_db_pool_connections', help: 'Database pool of this instance: open (total), idle, and requests waiting for a connection.', labelNames: ['state'], registers,
    collect() {
      const s = ctx.poolStats();
      if (!s) return;
      pool.set({ state: 'total' }, s.total);
      pool.set({ state: 'idle' }, s.idle);
      pool.set({ state: 'waiting' }, s.waiting);
      pool.set({ state: 'max' }, s.max);
    },
  });

  new Counter({ name: 'gatehouse_db_statements_total', help: 'Statements this instance sent to the database (BEGIN and COMMIT included; one round trip each on PostgreSQL and MySQL).', registers,
    collect() {
      this.reset();
      this.inc(ctx.statements());
    },
  });

  const requestChildren = new Map<string, { count: { inc(): void }; duration: { observe(v: number): void } }>();
  const scimChildren = new Map<string, { inc(): void }>();
  const attemptChildren: Partial<Record<WebhookResult, { inc(): void }>> = {};
  const metrics: Metrics = {
    contentType: registry.contentType,
    observeRequest(method, route, status, seconds) {
      // The labelled children, kept by label values: prom-client would hash the label object on every request.
      const key = `${method} ${route} ${status}`;
      let child = requestChildren.get(key);
      if (!child) {
        if (requestChildren.size >= MAX_REQUEST_CHILDREN) requestChildren.clear();
        requestChildren.set(key, (child = { count: requests.labels(method, route, String(status)), duration: durations.labels(method, route) }));
      }
      child.count.inc();
      child.duration.observe(seconds);
    },
    login: (protocol, outcome, reason) => logins.inc({ protocol, outcome, reason }),
    scim(resource, operation, status) {
      // Kept by label values as above: one per SCIM request, and a handful of distinct values.
      const key = `${resource} ${operation} ${status}`;
      let child = scimChildren.get(key);
      if (!child) {
        if (scimChildren.size >= MAX_REQUEST_CHILDREN) scimChildren.clear();
        scimChildren.set(key, (child = scimOps.labels(resource, operation, String(status))));
      }
      child.inc();
    },
    webhookAttempt(result, seconds) {
      (attemptChildren[result] ??= attempts.labels(result)).inc();
      attemptSeconds.observe(seconds);
    },
    async render() {
      return `${await processMetrics().metrics()}\n${await registry.metrics()}`;
    },
    watchReadiness(s) {
      state = s;
    },
  };
  return metrics;
}

declare module '../context.ts' {
  interface AppContext {
    /** This app's Prometheus metrics; domain code records through observability/hooks.ts. */
    metrics: Metrics;
  }
}
