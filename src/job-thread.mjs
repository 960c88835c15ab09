// Entry of the job thread (job-runner.ts). The service is TypeScript: register tsx's loader in this thread (harmless
// where the process already runs under tsx, as with `npm start`; needed where it does not, e.g. under a test runner
// that compiles TypeScript its own way), then load the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./job-thread.ts');
