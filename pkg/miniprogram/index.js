// Mini-program entry (WeChat `WXWebAssembly`, Douyin `TTWebAssembly`; Alipay's
// `MYWebAssembly` in a worker): CommonJS and ES2017, no TextEncoder/TextDecoder needed, the
// .wasm instantiated by its path inside the mini-program package (`.wasm` or `.wasm.br`).
//
//   const engine = require('./aftersale-rules/index.js');
//   engine.init('/aftersale-rules/aftersale_rules_bg.wasm.br').then(function () {
//     const policy = engine.compilePolicy(policyJson);
//   });
'use strict';
var glue = require('./glue.js');
var core = require('./api.js');

var loaded = false;
var wasmPath = null;

function host() {
  if (typeof WXWebAssembly !== 'undefined') return WXWebAssembly;
  if (typeof TTWebAssembly !== 'undefined') return TTWebAssembly;
  if (typeof MYWebAssembly !== 'undefined') return MYWebAssembly;
  if (typeof WebAssembly !== 'undefined') return null;
  throw new Error('aftersale-rules: this host has no WebAssembly (WXWebAssembly, TTWebAssembly or MYWebAssembly)');
}

function instantiate(path) {
  var wx = host();
  if (!wx) return Promise.reject(new Error('aftersale-rules/miniprogram: use the package\'s browser or Node entry outside mini-programs'));
  return Promise.resolve(wx.instantiate(path, glue.__wbg_get_imports())).then(function (result) {
    var instance = result && result.instance ? result.instance : result;
    glue.__wbg_finalize_init(instance, result && result.module);
    loaded = true;
  });
}

/** Loads the engine from the .wasm (or .wasm.br) at `path` inside the mini-program package. */
function init(path) {
  if (loaded) return Promise.resolve();
  if (typeof path !== 'string') return Promise.reject(new Error('aftersale-rules: init(path) needs the package path of the .wasm'));
  wasmPath = path;
  return instantiate(path);
}

var api = core.makeApi({
  glue: glue,
  ready: function () { return loaded; },
  // Mini-programs instantiate only asynchronously: restart in the background.
  restart: function () {
    loaded = false;
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
};
