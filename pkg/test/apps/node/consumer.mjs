// A Node ES-module consumer of the installed package: the `exports` map must lead here to
// the Node entry, ready on import.
import { compilePolicy, version } from 'aftersale-rules';
import { createRequire } from 'node:module';

const policy = compilePolicy({ id: 'consumer', version: '1', extends: 'platform-default' });
const wasm = createRequire(import.meta.url).resolve('aftersale-rules/wasm');
console.log(JSON.stringify({ entry: 'esm', version: version(), hash: policy.hash, wasm: wasm.endsWith('.wasm') }));
policy.free();
