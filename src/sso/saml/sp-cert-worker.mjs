// Worker-thread bootstrap: Node 20 does not carry the main thread's tsx loader into workers, so
// register it here, then load the TypeScript entry (sp-cert-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./sp-cert-worker.ts');
