import { MemoryRunStore } from './memory-run-store.js';
import { runRunStoreSuite } from './testing/run-store-suite.js';

runRunStoreSuite('MemoryRunStore', () => new MemoryRunStore());
