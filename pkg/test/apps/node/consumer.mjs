// A Node ES-module consumer of the installed package: the `exports` map must lead here to
// the Node entry, ready on import.
import { compilePolicy, version } from 'aftersale-rules';
import { createRequire } from 'node:module';

const policy = compilePolicy({ id: 'consumer', version: '1', extends: 'platform-default' });
const require = createRequire(import.meta.url);
const wasm = require.resolve('aftersale-rules/wasm');
// The schemas ship too, for editors (`"$schema"`) and validators.
const schema = require('aftersale-rules/schema/policy.schema.json');
console.log(JSON.stringify({ entry: 'esm', version: version(), hash: policy.hash, wasm: wasm.endsWith('.wasm'), schema: schema.title }));
policy.free();
