// Worker threads do not inherit the tsx loader of the CLI: register it, then load the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
