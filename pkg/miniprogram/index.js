// Mini-program entry (WeChat `WXWebAssembly`, Douyin `TTWebAssembly`; Alipay's
// `MYWebAssembly` in a worker): CommonJS and ES2017, no TextEncoder/TextDecoder needed, the
// .wasm instantiated by its path inside the mini-program package (`.wasm` or `.wasm.br`).
//
//   const engine = require('./aftersale-rules/index.js');
//   engine.init('/aftersale-rules/aftersale_rules_bg.wasm.br').then(function () {
//     const policy = engine.compilePolicy(policyJson);
//   });
'use strict';
var createGlue = require('./glue.js').createGlue;
var core = require('./api.js');

var glue = null; // the initialised copy of the glue in use (api.js)
var wasmPath = null;

function host() {
  if (typeof WXWebAssembly !== 'undefined') return WXWebAssembly;
  if (typeof TTWebAssembly !== 'undefined') return TTWebAssembly;
  if (typeof MYWebAssembly !== 'undefined') return MYWebAssembly;
  if (typeof WebAssembly !== 'undefined') return null;
  throw new Error('aftersale-rules: this host has no WebAssembly (WXWebAssembly, TTWebAssembly or MYWebAssembly)');
}

/**
 * A fresh copy of the glue, instantiated through its public `init` by the host's engine: in
 * glue.js the glue's `WebAssembly` instantiates `{ host, path }` (src/miniprogram-globals.js).
 */
function instantiate(path) {
  var wx = host();
  if (!wx) return Promise.reject(new Error('aftersale-rules/miniprogram: use the package\'s browser or Node entry outside mini-programs'));
  var fresh = createGlue();
  return fresh.default({ module_or_path: { host: wx, path: path } }).then(function () {
    glue = fresh;
  });
}

/** Loads the engine from the .wasm (or .wasm.br) at `path` inside the mini-program package. */
function init(path) {
  if (glue) return Promise.resolve();
  if (typeof path !== 'string') return Promise.reject(new Error('aftersale-rules: init(path) needs the package path of the .wasm'));
  wasmPath = path;
  return instantiate(path);
}

var api = core.makeApi({
  glue: function () { return glue; },
  // Mini-programs instantiate only asynchronously: restart in the background.
  restart: function () {
    glue = null;
    instantiate(wasmPath).catch(function () { /* the next call reports not initialised */ });
    return false;
  },
});

module.exports = {
  init: init,
  compilePolicy: api.compilePolicy,
  version: api.version,
  applyEffects: api.applyEffects,
  applyEffectsJson: api.applyEffectsJson,
  PolicyError: core.PolicyError,
  labels: require('./labels.js').labels,
};
