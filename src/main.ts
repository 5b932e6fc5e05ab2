/**
 * `npm start`: boot → buildApp → listen, and drain on SIGTERM/SIGINT. The shipped entry (server-entry.ts) runs this
 * file's bundle through V8's code cache and calls `main()`; `node --import tsx src/main.ts` runs it directly.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { boot, phaseClock } from './boot.ts';
import { buildApp } from './http/app.ts';
import { ConfigError } from './config.ts';
import { scheduleConnectionUpkeep, scheduleSweeps } from './maintenance.ts';
import { ensureBootstrapAdmin } from './admin/accounts.ts';
import { startWebhookDeliverer } from './directory-sync/webhooks/deliverer.ts';
import type { CodeCacheStatus } from './code-cache.ts';

// performance.now() counts from the process's start: here it is Node's own start plus loading the module graph.
const started = performance.now();

/** Boots and listens; resolves once ready (the entry then writes the code cache, decision 0060). */
export async function main(opts: { codeCache?: CodeCacheStatus } = {}): Promise<{ log: Logger }> {
  try {
    const { ctx, database, migrations, phases, cpuPhases } = await boot(process.env);
    const clock = phaseClock(phases, cpuPhases);
    if ((await ensureBootstrapAdmin(ctx)) === 'created') ctx.log.info({ email: ctx.config.ADMIN_EMAIL }, 'bootstrap admin owner created');
    clock.lap('bootstrapAdmin');
    const state = { ready: true };
    const app = await buildApp(ctx, state);
    clock.lap('buildApp');
    await app.listen({ port: ctx.config.PORT, host: ctx.config.HOST });
    clock.lap('listen');
    const stopSweeps = scheduleSweeps(ctx);
    const stopUpkeep = scheduleConnectionUpkeep(ctx);
    // On the SAML validation pool's resident thread when there is one (decision 0056), else on a thread of their own.
    const checkpoints = database.startBackgroundCheckpoints?.({ intervalMs: 200, onProblem: (message) => ctx.log.warn(message), host: ctx.samlValidation.checkpointHost });
    const deliverer = startWebhookDeliverer(ctx, { threaded: true }); // HTTP POSTs on a worker thread
    // CPU (every thread) against wall time, and time the event loop sat idle (waiting on I/O or threads): decision 0060.
    const cpu = process.cpuUsage();
    ctx.log.info({ url: ctx.config.EXTERNAL_URL, database: database.dialect, migrations, startupMs: Math.round(performance.now() - started), startupPhases: { nodeAndModules: Math.round(started), ...phases }, startupCpuMs: Math.round((cpu.user + cpu.system) / 1000), startupCpuPhases: cpuPhases, startupIdleMs: Math.round(performance.eventLoopUtilization().idle), codeCache: opts.codeCache }, `Gatehouse is ready on ${ctx.config.EXTERNAL_URL}`);
    ctx.log.flush(); // log lines are buffered (boot.ts): the ready line goes out now, not LOG_FLUSH_MS later
    // Graceful stop: unready first (the load balancer stops routing here) while still serving for
    // SHUTDOWN_DELAY_MS; the deliverer stops claiming and records what it has in flight (the rest is
    // released to other instances); then the listener closes and in-flight requests finish. All bounded.
    const shutdown = async (signal: string) => {
      const { SHUTDOWN_DELAY_MS: delayMs, SHUTDOWN_TIMEOUT_MS: timeoutMs } = ctx.config;
      const t0 = performance.now();
      ctx.log.info({ signal, delayMs, timeoutMs }, 'draining: /api/ready answers 503, webhook claims stop');
      state.ready = false;
      setTimeout(() => {
        ctx.log.error({ timeoutMs }, 'drain did not finish within SHUTDOWN_TIMEOUT_MS; exiting');
        process.exit(1);
      }, timeoutMs).unref();
      stopSweeps();
      stopUpkeep();
      await Promise.all([deliverer.stop(), new Promise((r) => setTimeout(r, delayMs))]);
      await checkpoints?.stop(); // before app.close() ends the pool that may run them
      await app.close();
      await database.close();
      ctx.log.info({ signal, drainMs: Math.round(performance.now() - t0) }, 'stopped');
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
    return { log: ctx.log };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

// Run directly (the development path). In the bundle import.meta.url is server.cjs, never the command's entry.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
