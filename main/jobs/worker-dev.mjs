// Worker entry when running from TypeScript sources (tests, the CLI): registers tsx in this thread,
// then loads the real entry. The built app uses the bundled worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
