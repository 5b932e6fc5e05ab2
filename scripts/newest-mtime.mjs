// The newest modification time of any file under a folder, for the build scripts' "is the build stale?"
// checks (scripts/build-web.mjs, scripts/build-server.mjs). Dot-files and whatever `skip` names are left out.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function newestMtime(dir, skip = () => false) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.') || skip(name)) continue;
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p, skip) : s.mtimeMs);
  }
  return newest;
}
