/**
 * Registers @fastify/rate-limit over the shared store (src/http/rate-limit-store.ts): counters in the
 * database, or in Redis when REDIS_URL is set. Every limiter of the app — route limits and the setup-link
 * API's per-IP and per-token ones — counts there.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit, { type CreateRateLimitOptions } from '@fastify/rate-limit';
import type { AppContext } from '../context.ts';
import { rateLimitsRepo } from '../storage/repositories/rate-limits.ts';
import { sharedStore, type SharedCounter } from './rate-limit-store.ts';
import { lazyRequire } from '../lazy-require.ts';

/** Loaded only by deployments with REDIS_URL (src/lazy-require.ts). */
const ioredis = lazyRequire<typeof import('ioredis')>('ioredis');

const databaseCounter = (ctx: AppContext): SharedCounter => ({
  kind: 'database',
  add: (key, amount, windowMs, now) => rateLimitsRepo.add(ctx.db, ctx.dialect, key, amount, windowMs, now),
});

// INCRBY, and the window's expiry set by the request that opened it (or repaired if a key lost it).
const COUNT_SCRIPT = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {hits, ttl}`;

type Redis = import('ioredis').Redis & { gatehouseCount(key: string, amount: number, windowMs: number): Promise<[number, number]> };

/** Connects to REDIS_URL; boot goes on (limits failing open, with warnings) if Redis is not there within 3 s. */
export async function redisCounter(url: string, keyPrefix: string, log: Pick<AppContext['log'], 'warn'>): Promise<{ counter: SharedCounter; close(): Promise<void> }> {
  const { Redis } = ioredis();
  // No offline queue and a short command timeout: while Redis is away a limiter fails at once instead of
  // holding every request until it returns.
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 3000 }) as Redis;
  redis.on('error', () => {}); // surfaced by the commands that fail (rate-limit-store.ts logs them)
  redis.defineCommand('gatehouseCount', { numberOfKeys: 1, lua: COUNT_SCRIPT });
  const ready = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 3000);
    redis.once('ready', () => (clearTimeout(timer), resolve(true)));
  });
  if (!(await ready)) log.warn({ store: 'redis' }, 'Redis (REDIS_URL) is not reachable yet: rate limits fail open until it is');
  const prefix = `${keyPrefix}rl:`;
  return {
    counter: {
      kind: 'redis',
      add: async (key, amount, windowMs, now) => {
        const [hits, ttl] = await redis.gatehouseCount(prefix + key, amount, windowMs);
        return { hits: Number(hits), resetAt: now + Number(ttl) };
      },
    },
    close: async () => void (await redis.quit().catch(() => redis.disconnect())),
  };
}

export async function registerRateLimits(app: FastifyInstance, ctx: AppContext): Promise<void> {
  let counter = databaseCounter(ctx);
  if (ctx.config.REDIS_URL) {
    const r = await redisCounter(ctx.config.REDIS_URL, ctx.config.REDIS_KEY_PREFIX, ctx.log);
    counter = r.counter;
    app.addHook('onClose', r.close);
  }
  await app.register(rateLimit, { global: false, store: sharedStore(counter, ctx.now, ctx.log) as never });
}

/**
 * A limiter that also runs on requests another limiter already counted: @fastify/rate-limit's own hooks run
 * only the first limiter of a request, so a second `app.rateLimit()` on the same route never counts (the
 * setup-link API's per-token limit did nothing before this). Answers 429 like the plugin's own hooks.
 */
export function additionalLimit(app: FastifyInstance, options: CreateRateLimitOptions) {
  const check = app.createRateLimit(options);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const r = await check(req);
    if (r.isAllowed || !r.isExceeded) return;
    reply.header('x-ratelimit-limit', r.max).header('x-ratelimit-remaining', 0).header('x-ratelimit-reset', r.ttlInSeconds).header('retry-after', r.ttlInSeconds);
    throw Object.assign(new Error(`Rate limit exceeded, retry in ${r.ttlInSeconds} seconds`), { statusCode: 429 });
  };
}
