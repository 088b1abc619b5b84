// The same API without locating the .wasm: `await init(source)` with bytes, a Response, a URL
// or a WebAssembly.Module. For hosts that serve or embed the .wasm themselves
// (`aftersale-rules/wasm` is the file).
import { initFrom } from './src/web.js';

export { compilePolicy, version, applyEffects, applyEffectsJson, PolicyError } from './src/web.js';

export function init(source) {
  if (source === undefined) return Promise.reject(new Error('aftersale-rules/slim: init(source) needs the .wasm (bytes, Response, URL or Module)'));
  return initFrom(source);
}
export { labels } from './labels.js';
