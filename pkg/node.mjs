// Node entry (ES module): the server build's .wasm (speed first; dist/server/) is read from the
// package and instantiated synchronously, so the API is ready on import; `init()` exists for
// symmetry with the browser entry.
import { readFileSync } from 'node:fs';
import { createGlue } from './dist/server/glue.mjs';
import { makeApi, PolicyError } from './src/api.js';

const module = new WebAssembly.Module(readFileSync(new URL('./dist/server/aftersale_rules_bg.wasm', import.meta.url)));

/** A fresh copy of the glue over a fresh instance, through its public `initSync`. */
function instantiate() {
  const glue = createGlue();
  glue.initSync({ module: module });
  return glue;
}
let glue = instantiate();

const api = makeApi({
  glue: function () { return glue; },
  restart: function () { glue = instantiate(); return true; },
});

export async function init() {}
export const compilePolicy = api.compilePolicy;
export const version = api.version;
export const applyEffects = api.applyEffects;
export const applyEffectsJson = api.applyEffectsJson;
export { PolicyError };
export { labels } from './labels.js';
