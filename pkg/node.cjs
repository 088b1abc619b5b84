// Node entry (CommonJS): the server build's .wasm (speed first; dist/server/) is read from the
// package and instantiated synchronously.
'use strict';
const fs = require('fs');
const path = require('path');
const { createGlue } = require('./dist/server/glue.cjs');
const { makeApi, PolicyError } = require('./dist/api.cjs');

const wasmModule = new WebAssembly.Module(fs.readFileSync(path.join(__dirname, 'dist', 'server', 'aftersale_rules_bg.wasm')));

/** A fresh copy of the glue over a fresh instance, through its public `initSync`. */
function instantiate() {
  const glue = createGlue();
  glue.initSync({ module: wasmModule });
  return glue;
}
let glue = instantiate();

const api = makeApi({
  glue: function () { return glue; },
  restart: function () { glue = instantiate(); return true; },
});

module.exports = {
  init: function () { return Promise.resolve(); },
  compilePolicy: api.compilePolicy,
  version: api.version,
  applyEffects: api.applyEffects,
  applyEffectsJson: api.applyEffectsJson,
  PolicyError: PolicyError,
  labels: require('./labels.cjs').labels,
};
