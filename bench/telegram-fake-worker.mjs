// Worker entry: loads TypeScript through tsx (workers do not inherit its loader on Node 20), then the fake.
import { register } from 'tsx/esm/api';

register();
await import('./telegram-fake-worker.ts');
