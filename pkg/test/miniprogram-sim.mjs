// A mini-program host, simulated: a Node `vm` context without TextEncoder, TextDecoder,
// WebAssembly, fetch or URL, whose only engine is a WXWebAssembly that instantiates by package
// path (from `.wasm` or brotli `.wasm.br`), and whose modules load through a CommonJS `require`
// of its own. Used by the corpus test and the trap-recovery test.
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { dirname, join, normalize } from 'node:path';

export const PACKAGE_PREFIX = '/aftersale-rules/';

/** A simulated mini-program whose package holds `folder` at PACKAGE_PREFIX; `load` requires a file of it. */
export function simulate(folder, { withoutFinalizationRegistry = false } = {}) {
  const instantiated = [];
  const sim = { loading: Promise.resolve() };
  const WXWebAssembly = {
    instantiate(path, imports) {
      if (typeof path !== 'string' || !path.startsWith(PACKAGE_PREFIX)) return Promise.reject(new Error(`not a package path: ${path}`));
      const file = join(folder, path.slice(PACKAGE_PREFIX.length));
      let bytes = readFileSync(file);
      if (path.endsWith('.wasm.br')) bytes = brotliDecompressSync(bytes);
      else if (!path.endsWith('.wasm')) return Promise.reject(new Error('WXWebAssembly instantiates .wasm or .wasm.br only'));
      instantiated.push(path);
      sim.loading = WebAssembly.instantiate(bytes, imports);
      return sim.loading;
    },
  };
  const context = vm.createContext({ console, WXWebAssembly });
  // A vm context still has V8's WebAssembly; mini-program hosts do not.
  vm.runInContext('delete globalThis.WebAssembly;' + (withoutFinalizationRegistry ? 'delete globalThis.FinalizationRegistry; delete globalThis.WeakRef;' : ''), context);
  const cache = new Map();
  function load(file) {
    if (cache.has(file)) return cache.get(file).exports;
    const module = { exports: {} };
    cache.set(file, module);
    const wrapper = vm.runInContext(`(function (module, exports, require) {${readFileSync(file, 'utf8')}\n})`, context, { filename: file });
    wrapper(module, module.exports, (request) => load(normalize(join(dirname(file), request))));
    return module.exports;
  }
  // `loaded()` resolves once the latest instantiation has finished and the entry has taken it
  // (the glue's init asks the host to instantiate a few promise turns after a restart began).
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  const loaded = () => tick().then(() => sim.loading).then(tick);
  return { context, instantiated, load, loaded, engine: load(join(folder, 'index.js')) };
}

