// Browser and bundler entry: call `await init()` once (it fetches the .wasm next to this
// module, or takes bytes, a Response or a URL), then use the API synchronously.
import initGlue, * as glue from './dist/aftersale_rules.js';
import { makeApi, PolicyError } from './src/api.js';

let ready = false;

export async function init(source) {
  if (!ready) {
    await initGlue(source === undefined ? undefined : { module_or_path: source });
    ready = true;
  }
}

const api = makeApi(function () {
  if (!ready) throw new Error('aftersale-rules: not initialised; call and await init() first');
  return glue;
});

export const compilePolicy = api.compilePolicy;
export const version = api.version;
export { PolicyError };
