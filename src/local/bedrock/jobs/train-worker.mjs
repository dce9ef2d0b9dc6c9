// Worker-thread entry: register tsx in this thread, then run the TypeScript worker (no build step).
import { register } from 'tsx/esm/api';

register();
await import('./train-worker-main.ts');
