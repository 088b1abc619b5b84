// Node entry (ES module): the .wasm is read from the package and instantiated synchronously,
// so the API is ready on import; `init()` exists for symmetry with the browser entry.
import { readFileSync } from 'node:fs';
import * as glue from './dist/glue.mjs';
import { makeApi, PolicyError } from './src/api.js';

const module = new WebAssembly.Module(readFileSync(new URL('./dist/aftersale_rules_bg.wasm', import.meta.url)));

function instantiate() {
  glue.__wbg_finalize_init(new WebAssembly.Instance(module, glue.__wbg_get_imports()), module);
  return true;
}
instantiate();

const api = makeApi({ glue: glue, ready: function () { return true; }, restart: instantiate });

export async function init() {}
export const compilePolicy = api.compilePolicy;
export const version = api.version;
export const applyEffects = api.applyEffects;
export const applyEffectsJson = api.applyEffectsJson;
export { PolicyError };
