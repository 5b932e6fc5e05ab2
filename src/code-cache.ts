/**
 * A V8 code cache for the server bundle on Node 20, which has no `NODE_COMPILE_CACHE` (decision 0060): the bundle is
 * a CommonJS script run through `vm.Script` with the bytecode V8 made on an earlier start, taken *after* that start's
 * boot so the functions compiled lazily while booting are in it too. Without it a restart compiles ~2.8 MB of source.
 *
 * Safety, in order: the cache file's name and header carry a key of the exact source (SHA-256 of its text), the Node
 * build and every V8 flag in force (V8 itself compares only the source's *length*); the header carries a SHA-256 of
 * the bytes (V8 accepts corrupted bytes silently); V8 then checks its version and flags and may still refuse
 * (`cachedDataRejected`). Any mismatch or failure runs the source as if there were no cache, and the caller writes a
 * new one. Writes are atomic (a temporary file renamed), so concurrent starts never read half a file; a read-only
 * directory (a Docker image) just means no new cache.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';

const MAGIC = 'gatehouse-v8-code-cache/1';

/**
 * What happened to the cache on this start: used, none there, bytes that failed our checks, refused by V8, or not
 * looked for (`off`: source maps are on, and only Node's own loader maps a script's stack traces).
 */
export type CodeCacheStatus = 'accepted' | 'absent' | 'corrupt' | 'rejected' | 'off';

/** The runtime a cache is valid for: the Node build and the V8 flags (command line and NODE_OPTIONS). */
export interface CodeCacheRuntime {
  node: string;
  v8: string;
  arch: string;
  flags: readonly string[];
}

export const currentRuntime = (): CodeCacheRuntime => ({
  node: process.version,
  v8: process.versions.v8,
  arch: process.arch,
  flags: [...process.execArgv, process.env.NODE_OPTIONS ?? ''],
});

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A cache is valid only for this exact source on this exact runtime. */
export function codeCacheKey(source: string, runtime: CodeCacheRuntime = currentRuntime()): string {
  return sha256(`${JSON.stringify(runtime)}\n${sha256(source)}`);
}

/** `<dir>/<script>.<key prefix>.v8cache`: one file per source and runtime, so two start commands do not overwrite each other's. */
export const codeCacheFile = (filename: string, key: string, dir = dirname(filename)) => join(dir, `${basename(filename)}.${key.slice(0, 16)}.v8cache`);

/** The cached bytes for `key` from `file`, or why there are none. */
export function readCodeCache(file: string, key: string): { data: Buffer } | { status: 'absent' | 'corrupt' } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { status: 'absent' };
  }
  const eol = bytes.indexOf(10);
  const [magic, fileKey, digest] = (eol > 0 ? bytes.subarray(0, eol).toString('latin1') : '').split(' ');
  const data = bytes.subarray(eol + 1);
  if (magic !== MAGIC || fileKey !== key || digest !== sha256(data)) return { status: 'corrupt' };
  return { data };
}

/** Writes `data` for `key` atomically. Returns the error's message when it could not (a read-only directory). */
export function writeCodeCache(file: string, key: string, data: Uint8Array): string | null {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${MAGIC} ${key} ${sha256(data)}\n`, 'latin1'), data]));
    renameSync(tmp, file);
    return null;
  } catch (err) {
    rmSync(tmp, { force: true });
    return (err as Error).message;
  }
}

export interface LoadedScript {
  /** The script's `module.exports`. */
  exports: unknown;
  codeCache: CodeCacheStatus;
  /** Where the cache is read from and written to. */
  cacheFile: string;
  /** Writes V8's code for the script as it is now (call it after the script has done its start-up work). Null, or why not. */
  saveCodeCache(): string | null;
}

/**
 * Runs the CommonJS file `filename` (as Node's own loader would: `exports`, `require`, `module`, `__filename`,
 * `__dirname`) with the code cache kept beside it (or in `cacheDir`).
 */
export function runCommonJsWithCodeCache(filename: string, opts: { cacheDir?: string; runtime?: CodeCacheRuntime } = {}): LoadedScript {
  // `node --enable-source-maps` (debugging a stack trace) maps only what Node's own loader compiled: no cache then.
  // (The flag, not process.sourceMapsEnabled: tsx turns that on for its own transpiled files.)
  if ([...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].includes('--enable-source-maps')) return { exports: createRequire(filename)(filename) as unknown, codeCache: 'off', cacheFile: '', saveCodeCache: () => 'source maps are on' };
  const source = readFileSync(filename, 'utf8');
  const key = codeCacheKey(source, opts.runtime);
  const cacheFile = codeCacheFile(filename, key, opts.cacheDir);
  const cached = readCodeCache(cacheFile, key);
  // The wrapper opens on the source's first line, so line numbers in stack traces are the file's own.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename,
    cachedData: 'data' in cached ? cached.data : undefined,
    // import() in the script (none in the bundle: esbuild turns them into require) would go to Node's own loader.
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const codeCache: CodeCacheStatus = 'data' in cached ? (script.cachedDataRejected ? 'rejected' : 'accepted') : cached.status;
  const mod = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, createRequire(filename), mod, filename, dirname(filename));
  return { exports: mod.exports, codeCache, cacheFile, saveCodeCache: () => writeCodeCache(cacheFile, key, script.createCachedData()) };
}
