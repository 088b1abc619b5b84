// Node entry (ES module): the .wasm is read from the package and instantiated synchronously.
import { readFileSync } from 'node:fs';
import * as glue from './dist/aftersale_rules.js';
import { makeApi, PolicyError } from './src/api.js';

glue.initSync({ module: readFileSync(new URL('./dist/aftersale_rules_bg.wasm', import.meta.url)) });

const api = makeApi(function () { return glue; });

/** Present for symmetry with the browser entry: Node is ready on import. */
export async function init() {}
export const compilePolicy = api.compilePolicy;
export const version = api.version;
export { PolicyError };
