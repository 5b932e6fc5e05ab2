/** `npm start`: boot → buildApp → listen, and drain on SIGTERM/SIGINT. */
import { boot } from './boot.ts';
import { buildApp } from './http/app.ts';
import { ConfigError } from './config.ts';
import { scheduleSweeps } from './maintenance.ts';
import { ensureBootstrapAdmin } from './admin/accounts.ts';
import { startWebhookDeliverer } from './directory-sync/webhooks/deliverer.ts';

const started = performance.now();
try {
  const { ctx, database, migrations } = await boot(process.env);
  if ((await ensureBootstrapAdmin(ctx)) === 'created') ctx.log.info({ email: ctx.config.ADMIN_EMAIL }, 'bootstrap admin owner created');
  const state = { ready: true };
  const app = await buildApp(ctx, state);
  await app.listen({ port: ctx.config.PORT, host: ctx.config.HOST });
  const stopSweeps = scheduleSweeps(ctx);
  const deliverer = startWebhookDeliverer(ctx);
  ctx.log.info({ url: ctx.config.EXTERNAL_URL, database: database.dialect, migrations, startupMs: Math.round(performance.now() - started) }, `Gatehouse is ready on ${ctx.config.EXTERNAL_URL}`);
  const shutdown = async (signal: string) => {
    ctx.log.info({ signal }, 'draining');
    state.ready = false;
    stopSweeps();
    await deliverer.stop(); // stop claiming; in-flight deliveries are recorded, unclaimed events stay for other instances
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  throw err;
}
