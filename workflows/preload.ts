// Evaluated once per worker thread, before any workflow (lib/worker.ts, `preloadModules`); the SDK
// then freezes what it shares between workflows. typebox counts each schema it makes in
// `Memory.Metrics`, a write that a frozen object refuses: nobody reads these counts, so each
// becomes a property that takes the write and keeps nothing.
import { Memory } from 'typebox/system';

const { Metrics } = Memory;
for (const key of Object.keys(Metrics)) {
  Object.defineProperty(Metrics, key, { get: () => 0, set: () => undefined, enumerable: true });
}
