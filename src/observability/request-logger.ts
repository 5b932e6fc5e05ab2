/**
 * Fastify's per-request logger, made only when a line is written (decision 0036). Fastify builds a pino child
 * with the request id for every request; pino serialises (and redacts) the bindings at once, ~35 µs per
 * request, though most requests write nothing but the access line, which app.ts writes through the root
 * logger with the id as a field. The lines a request does write (`req.log.warn(…)`, a refused sign-in's
 * `login_failed`) still carry `reqId`, from the child made on first use.
 */
import type { FastifyBaseLogger } from 'fastify';

type Bindings = Record<string, unknown>;
type LogFn = FastifyBaseLogger['info'];

class LazyRequestLogger {
  #child: FastifyBaseLogger | null = null;
  constructor(private readonly parent: FastifyBaseLogger, private readonly bindings: Bindings, private readonly opts: object) {}
  get #real(): FastifyBaseLogger {
    return (this.#child ??= this.parent.child(this.bindings, this.opts));
  }
  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }
  set level(level: string) {
    this.#real.level = level;
  }
  // Prototype methods (not arrow-function fields): the object made per request holds three fields and nothing else.
  fatal(...a: Parameters<LogFn>) {
    this.#real.fatal(...a);
  }
  error(...a: Parameters<LogFn>) {
    this.#real.error(...a);
  }
  warn(...a: Parameters<LogFn>) {
    this.#real.warn(...a);
  }
  info(...a: Parameters<LogFn>) {
    this.#real.info(...a);
  }
  debug(...a: Parameters<LogFn>) {
    this.#real.debug(...a);
  }
  trace(...a: Parameters<LogFn>) {
    this.#real.trace(...a);
  }
  silent() {}
  child(bindings: Bindings, opts?: object): FastifyBaseLogger {
    return this.#real.child(bindings, opts);
  }
}

/** Fastify's `childLoggerFactory`: the request's logger, made on first use. */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, opts: object): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, opts) as unknown as FastifyBaseLogger;
}

/**
 * The access line's writer (one line per request, decision 0062): a child of `log` with the same bindings and
 * destination but no redaction pass. The root logger's redaction paths include wildcards (`*.password`), so pino
 * runs every field of every line through the redactor (~8–11 µs a line); the access line's fields are fixed and
 * are all strings or numbers (the request id, method, status, time and the URL, which `redactUrl` has already
 * stripped of its secrets), so no redaction path can match any of them.
 * Its level is `log`'s when the app is built (nothing changes a logger's level later).
 */
export function accessLineWriter(log: FastifyBaseLogger): (line: { reqId: string; method: string; url: string; status: number; ms: number }) => void {
  const plain = log.child({}, { redact: [] } as object);
  return (line) => plain.info(line, 'request');
}
