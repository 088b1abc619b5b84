// The browser/bundler engine, shared by `index.js` (finds the .wasm next to the package) and
// `slim.js` (the caller says where the .wasm is). No top-level await: call `init()` once.
import * as glue from '../dist/glue.mjs';
import { makeApi, PolicyError } from './api.js';

let module = null;

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
  if (module) return;
  const compiled = await compile(source);
  const instance = await WebAssembly.instantiate(compiled, glue.__wbg_get_imports());
  glue.__wbg_finalize_init(instance, compiled);
  module = compiled;
}

const api = makeApi({
  glue: glue,
  ready: function () { return module !== null; },
  restart: function () {
    // Synchronous instantiation of an already compiled module; should a browser refuse it
    // on the main thread, restart asynchronously instead.
    try {
      glue.__wbg_finalize_init(new WebAssembly.Instance(module, glue.__wbg_get_imports()), module);
      return true;
    } catch (e) {
      const compiled = module;
      module = null;
      WebAssembly.instantiate(compiled, glue.__wbg_get_imports()).then(function (instance) {
        glue.__wbg_finalize_init(instance, compiled);
        module = compiled;
      });
      return false;
    }
  },
});

export const compilePolicy = api.compilePolicy;
export const version = api.version;
export const applyEffects = api.applyEffects;
export const applyEffectsJson = api.applyEffectsJson;
export { PolicyError };
