// The slim entry has the package's API; `init(source)` must be given the engine.
export * from './index.js';
