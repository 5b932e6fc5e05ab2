// Worker-thread bootstrap: Node 20 does not carry the main thread's tsx loader into workers, so
// register it here, then load the TypeScript entry (validate-worker.ts). The bundle has its own
// validate-worker.mjs (scripts/build-server.mjs), which is the entry itself.
import { register } from 'tsx/esm/api';

register();
const entry = await import('./validate-worker.ts');
export default entry.default;
export const checkpoint = entry.checkpoint;
