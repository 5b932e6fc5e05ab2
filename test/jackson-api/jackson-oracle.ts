/**
 * The real SAML Jackson (@boxyhq/saml-jackson) in-process, on a temporary SQLite database: the oracle the shapes
 * suite compares Gatehouse's answers with. `polis` wraps a controller call the way Jackson's HTTP layer (Ory
 * Polis's `pages/api/v1/**`) answers it: the status that route sends and its body, or `{error: {message}}` with
 * the thrown status.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Answer {
  status: number;
  body: unknown;
}

export interface JacksonOracle {
  /** The controllers `jackson()` returns (untyped: the suite reads their answers, never their types). */
  controllers: Record<string, any>;
  close(): Promise<void>;
}

export async function startJackson(externalUrl: string): Promise<JacksonOracle> {
  process.env.DO_NOT_TRACK = '1';
  process.env.BOXYHQ_NO_ANALYTICS = '1';
  // The CommonJS package's default export is one or two `default`s deep depending on the loader.
  type Init = (opts: object) => Promise<Record<string, any>>;
  const mod = (await import('@boxyhq/saml-jackson')) as unknown as { default: Init | { default: Init } };
  const init = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const dir = mkdtempSync(join(tmpdir(), 'jackson-oracle-'));
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  // Jackson starts an interval it never clears (stale SSO-trace cleanup) that would keep the test process
  // alive: timers made while it starts are unref'd; close() still ends its database.
  const setIntervalBefore = globalThis.setInterval;
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => setIntervalBefore(...args).unref()) as typeof setInterval;
  const controllers = await init({
    externalUrl,
    samlAudience: 'https://saml.boxyhq.com',
    samlPath: '/api/oauth/saml',
    oidcPath: '/api/oauth/oidc',
    db: { engine: 'sql', type: 'sqlite', url: join(dir, 'jackson.db') },
    // Identity Federation is an enterprise feature: its controller answers 403 without a licence; the package
    // itself accepts this one (ee/common/checkLicense.js), which only unlocks the ee controllers.
    boxyhqLicenseKey: 'dummy-license',
    noAnalytics: true,
    logger: quiet,
  }).finally(() => {
    globalThis.setInterval = setIntervalBefore;
  });
  return {
    controllers,
    close: async () => {
      await controllers.close?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One Polis route: runs the controller call and answers with `status` and `wrap(result)`, or the error Polis sends. */
export async function polis<T>(call: () => Promise<T>, status: number, wrap: (result: T) => unknown = (r) => r): Promise<Answer> {
  try {
    return { status, body: wrap(await call()) };
  } catch (err) {
    const e = err as { statusCode?: number; message?: string };
    return { status: e.statusCode ?? 500, body: { error: { message: e.message } } };
  }
}
