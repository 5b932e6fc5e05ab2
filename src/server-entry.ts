/**
 * `dist/server/main.mjs`, what `npm start` and the Docker image run: the server (src/main.ts, bundled as
 * server.cjs) through V8's code cache (decision 0060). A start that found no usable cache writes one once it is
 * ready, so the next start skips compiling what this one compiled.
 */
import { fileURLToPath } from 'node:url';
import { runCommonJsWithCodeCache } from './code-cache.ts';
import type { main as Main } from './main.ts';

const server = runCommonJsWithCodeCache(fileURLToPath(new URL('./server.cjs', import.meta.url)));
const { log } = await (server.exports as { main: typeof Main }).main({ codeCache: server.codeCache });
if (server.codeCache !== 'accepted' && server.codeCache !== 'off') {
  // After the ready line and the first requests already queued: ~50 ms once per new bundle, Node or flags.
  setImmediate(() => {
    const t0 = performance.now();
    const problem = server.saveCodeCache();
    if (problem) log.info({ codeCache: server.cacheFile, problem }, 'V8 code cache not written; the next start compiles the server again');
    else log.info({ codeCache: server.cacheFile, ms: Math.round(performance.now() - t0), was: server.codeCache }, 'V8 code cache written');
  });
}
