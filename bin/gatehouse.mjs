#!/usr/bin/env node
// `gatehouse <command>`: the CLI (src/cli.ts) from the server bundle, rebuilt first when src/ changed.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureServerBundle, SERVER_DIR } from '../scripts/build-server.mjs';

await ensureServerBundle();
await import(pathToFileURL(join(SERVER_DIR, 'cli.mjs')).href);
