// The browser/bundler engine, shared by `index.js` (finds the .wasm next to the package) and
// `slim.js` (the caller says where the .wasm is). No top-level await: call `init()` once.
import { createGlue } from '../dist/glue.mjs';
import { makeApi, PolicyError } from './api.js';

let module = null; // the compiled .wasm, kept for restarts
let glue = null; // the initialised copy of the glue in use (src/api.js)

async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  let input = source;
  if (typeof input === 'string' || (typeof URL === 'function' && input instanceof URL)) input = fetch(input);
  input = await input;
  if (typeof Response === 'function' && input instanceof Response) {
    if (!input.ok) throw new Error('aftersale-rules: fetching the .wasm failed: ' + input.status + ' ' + input.statusText);
    if (typeof WebAssembly.compileStreaming === 'function' && input.headers.get('Content-Type') === 'application/wasm') {
      return WebAssembly.compileStreaming(input);
    }
    input = await input.arrayBuffer();
  }
  return WebAssembly.compile(input);
}

/** Loads the engine from bytes, a Response, a URL, a path or a compiled module. Idempotent. */
export async function initFrom(source) {
  if (glue) return;
  const compiled = await compile(source);
  const fresh = createGlue();
  await fresh.default({ module_or_path: compiled });
  if (glue) return;
  module = compiled;
  glue = fresh;
}

const api = makeApi({
  glue: function () { return glue; },
  restart: function () {
    // A fresh copy of the glue over the compiled module, instantiated synchronously; should a
    // browser refuse that on the main thread, asynchronously instead.
    try {
      const fresh = createGlue();
      fresh.initSync({ module: module });
      glue = fresh;
      return true;
    } catch (e) {
      glue = null;
      const later = createGlue();
      later.default({ module_or_path: module }).then(function () { glue = later; }, function () { /* init() can load it again */ });
      return false;
    }
  },
});

export const compilePolicy = api.compilePolicy;
export const version = api.version;
export const applyEffects = api.applyEffects;
export const applyEffectsJson = api.applyEffectsJson;
export { PolicyError };
