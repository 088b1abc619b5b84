// Node entry (CommonJS): the .wasm is read from the package and instantiated synchronously.
'use strict';
const fs = require('fs');
const path = require('path');
const glue = require('./dist/glue.cjs');
const { makeApi, PolicyError } = require('./dist/api.cjs');

const wasmModule = new WebAssembly.Module(fs.readFileSync(path.join(__dirname, 'dist', 'aftersale_rules_bg.wasm')));

function instantiate() {
  glue.__wbg_finalize_init(new WebAssembly.Instance(wasmModule, glue.__wbg_get_imports()), wasmModule);
  return true;
}
instantiate();

const api = makeApi({ glue: glue, ready: function () { return true; }, restart: instantiate });

module.exports = {
  init: function () { return Promise.resolve(); },
  compilePolicy: api.compilePolicy,
  version: api.version,
  applyEffects: api.applyEffects,
  applyEffectsJson: api.applyEffectsJson,
  PolicyError: PolicyError,
};
