#!/usr/bin/env node
// `npm start`: runs the bundled server (dist/server/main.mjs), rebuilding it first when src/ changed
// since the last build, so a developer's edits are always what runs (docs/decisions/0008-ship-a-bundled-server.md).
// package.json starts this with the same V8 memory flags as the Docker image (SERVER_NODE_FLAGS).
import { pathToFileURL } from 'node:url';
import { ensureServerBundle } from './build-server.mjs';

const main = await ensureServerBundle();
await import(pathToFileURL(main).href);
