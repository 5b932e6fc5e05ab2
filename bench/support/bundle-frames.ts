/**
 * Frames of the esbuild bundle (dist/server/*.mjs, and server.cjs) named by the source they came from, so that a profile of the
 * shipped server can be sorted by the same path rules as one taken on src/ through tsx. Uses the source map esbuild
 * writes beside each file (`<file>.mjs.map`) and Node's own `SourceMap` reader; a frame with no map, or at a
 * position the map does not cover, keeps its bundle URL.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ProfileFrame { functionName: string; url: string; lineNumber?: number; columnNumber?: number }

/** Rewrites each bundled frame's url to its original source file (in place); returns how many frames it renamed. */
export function nameBundledFrames(frames: Iterable<ProfileFrame>): number {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (url: string): SourceMap | null => {
    let map = maps.get(url);
    if (map !== undefined) return map;
    map = null;
    try {
      const file = url.startsWith('file:') ? fileURLToPath(url) : url;
      if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(url, map);
    return map;
  };
  let renamed = 0;
  for (const frame of frames) {
    // The ES module entries and chunks (file: URLs), and server.cjs, which vm.Script names by its path (decision 0060).
    if (!(frame.url.startsWith('file:') || frame.url.startsWith('/')) || !/\.[mc]js$/.test(frame.url) || (frame.lineNumber ?? -1) < 0) continue;
    const map = mapOf(frame.url);
    if (!map) continue;
    const entry = map.findEntry(frame.lineNumber!, frame.columnNumber ?? 0) as { originalSource?: string };
    if (!entry.originalSource) continue;
    const source = entry.originalSource.startsWith('file:')
      ? entry.originalSource
      : pathToFileURL(resolve(dirname(frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url), entry.originalSource)).href;
    frame.url = source;
    renamed++;
  }
  return renamed;
}
