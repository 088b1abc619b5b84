// The globals of the wasm-bindgen glue as a mini-program host provides them. pkg/build.mjs has
// esbuild inject this module into miniprogram/glue.js, so there the glue's `TextEncoder`,
// `TextDecoder` and `WebAssembly` are the ones below. Not used by any other entry. ES2017.
import * as shim from '../miniprogram/text-codec.js'; // stays its own file, next to glue.js

// The host's own codecs where it has them; the UTF-8 shim where it has none.
const Encoder = typeof TextEncoder === 'function' ? TextEncoder : shim.TextEncoder;
const Decoder = typeof TextDecoder === 'function' ? TextDecoder : shim.TextDecoder;

/**
 * Mini-program engines (WXWebAssembly, TTWebAssembly, MYWebAssembly) instantiate a .wasm by its
 * path inside the mini-program package, asynchronously, and nothing else. The glue's `init`
 * hands its `module_or_path` to `WebAssembly.instantiate`; miniprogram/index.js passes
 * `{ host, path }` (not a string, which the glue would fetch).
 */
const PackageWebAssembly = {
  instantiate: function (file, imports) {
    return Promise.resolve(file.host.instantiate(file.path, imports)).then(function (result) {
      return result && result.instance ? result : { instance: result, module: undefined };
    });
  },
  // The glue checks what `instantiate` gave with `instanceof WebAssembly.Instance`: never one here.
  Instance: function Instance() {},
};

export { Encoder as TextEncoder, Decoder as TextDecoder, PackageWebAssembly as WebAssembly };
