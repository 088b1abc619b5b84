// Browser and bundler entry: `await init()` once (it fetches the .wasm next to this package;
// or pass bytes, a Response, a URL or a WebAssembly.Module), then use the API synchronously.
import { initFrom } from './src/web.js';

export { compilePolicy, version, applyEffects, applyEffectsJson, PolicyError } from './src/web.js';

export function init(source) {
  return initFrom(source === undefined ? new URL('./dist/aftersale_rules_bg.wasm', import.meta.url) : source);
}
export { labels } from './labels.js';
