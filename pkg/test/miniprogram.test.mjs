// The mini-program folder in a simulated mini-program: a Node `vm` context without
// TextEncoder, TextDecoder, WebAssembly, fetch or URL, whose only engine is a WXWebAssembly
// that instantiates by package path (from `.wasm` or brotli `.wasm.br`), and whose modules
// are loaded by a CommonJS `require` of its own. The whole corpus runs through it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { copyFileSync, cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCases, runCases } from './corpus-lib.mjs';
import { simulate, PACKAGE_PREFIX } from './miniprogram-sim.mjs';

const folder = fileURLToPath(new URL('../miniprogram/', import.meta.url));
// The package ships the engine to mini-programs once, as `.wasm.br`; a developer may copy the
// plain `.wasm` from `dist/` beside it instead, which a second folder tries.
const plain = mkdtempSync(join(tmpdir(), 'aftersale-mp-'));
cpSync(folder, plain, { recursive: true });
copyFileSync(fileURLToPath(new URL('../dist/aftersale_rules_bg.wasm', import.meta.url)), join(plain, 'aftersale_rules_bg.wasm'));
const miniProgram = (options, from = folder) => simulate(from, options);

test('the package gives mini-programs the engine once, compressed', () => {
  assert.ok(existsSync(join(folder, 'aftersale_rules_bg.wasm.br')));
  assert.ok(!existsSync(join(folder, 'aftersale_rules_bg.wasm')));
});

test('the simulated host really lacks what mini-programs lack', () => {
  const { context } = miniProgram();
  assert.equal(vm.runInContext('[typeof TextEncoder, typeof TextDecoder, typeof WebAssembly, typeof fetch, typeof URL].join()', context), 'undefined,undefined,undefined,undefined,undefined');
});

for (const [file, options] of [['aftersale_rules_bg.wasm.br', {}], ['aftersale_rules_bg.wasm', { withoutFinalizationRegistry: true }]]) {
  test(`golden corpus in a simulated mini-program (${file}${options.withoutFinalizationRegistry ? ', no FinalizationRegistry' : ''})`, async () => {
    const { engine, instantiated } = miniProgram(options, file.endsWith('.br') ? folder : plain);
    assert.throws(() => engine.compilePolicy('{}'), /not initialised/);
    await engine.init(PACKAGE_PREFIX + file);
    assert.deepEqual(instantiated, [PACKAGE_PREFIX + file]);
    const cases = loadCases();
    assert.deepEqual(runCases(engine, cases), []);
    if (file.endsWith('.br')) console.log(`corpus: ${cases.length} cases passed (miniprogram-sim)`);
  });
}
