// An ES module TypeScript consumer under `module: node16` without the DOM or WebAssembly
// libraries: `init` takes bytes (or a URL, a Response, a path, a module) typed by shape.
import { init, compilePolicy, type EngineSource } from 'aftersale-rules';

export async function start(bytes: Uint8Array): Promise<string> {
  const source: EngineSource = bytes;
  await init(source);
  return compilePolicy('{"id":"acme","version":"1","extends":"platform-default"}').hash;
}
