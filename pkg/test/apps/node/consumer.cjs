// A Node CommonJS consumer of the installed package.
'use strict';
const { compilePolicy, version } = require('aftersale-rules');

const policy = compilePolicy({ id: 'consumer', version: '1', extends: 'platform-default' });
console.log(JSON.stringify({ entry: 'cjs', version: version(), hash: policy.hash, wasm: require.resolve('aftersale-rules/wasm').endsWith('.wasm') }));
policy.free();
