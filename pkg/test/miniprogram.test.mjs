// The mini-program folder in a simulated mini-program: a Node `vm` context without
// TextEncoder, TextDecoder, WebAssembly, fetch or URL, whose only engine is a WXWebAssembly
// that instantiates by package path (from `.wasm` or brotli `.wasm.br`), and whose modules
// are loaded by a CommonJS `require` of its own. The whole corpus runs through it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCases, runCases } from './corpus-lib.mjs';

const folder = fileURLToPath(new URL('../miniprogram/', import.meta.url));
const PACKAGE_PREFIX = '/aftersale-rules/';

function miniProgram({ withoutFinalizationRegistry = false } = {}) {
  const instantiated = [];
  const WXWebAssembly = {
    instantiate(path, imports) {
      if (typeof path !== 'string' || !path.startsWith(PACKAGE_PREFIX)) return Promise.reject(new Error(`not a package path: ${path}`));
      const file = join(folder, path.slice(PACKAGE_PREFIX.length));
      let bytes = readFileSync(file);
      if (path.endsWith('.wasm.br')) bytes = brotliDecompressSync(bytes);
      else if (!path.endsWith('.wasm')) return Promise.reject(new Error('WXWebAssembly instantiates .wasm or .wasm.br only'));
      instantiated.push(path);
      return WebAssembly.instantiate(bytes, imports);
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
  return { context, instantiated, engine: load(join(folder, 'index.js')) };
}

test('the simulated host really lacks what mini-programs lack', () => {
  const { context } = miniProgram();
  assert.equal(vm.runInContext('[typeof TextEncoder, typeof TextDecoder, typeof WebAssembly, typeof fetch, typeof URL].join()', context), 'undefined,undefined,undefined,undefined,undefined');
});

for (const [file, options] of [['aftersale_rules_bg.wasm.br', {}], ['aftersale_rules_bg.wasm', { withoutFinalizationRegistry: true }]]) {
  test(`golden corpus in a simulated mini-program (${file}${options.withoutFinalizationRegistry ? ', no FinalizationRegistry' : ''})`, async () => {
    const { engine, instantiated } = miniProgram(options);
    assert.throws(() => engine.compilePolicy('{}'), /not initialised/);
    await engine.init(PACKAGE_PREFIX + file);
    assert.deepEqual(instantiated, [PACKAGE_PREFIX + file]);
    const cases = loadCases();
    assert.deepEqual(runCases(engine, cases), []);
    if (file.endsWith('.br')) console.log(`corpus: ${cases.length} cases passed (miniprogram-sim)`);
  });
}
