// Second half of pkg/build.sh: bundles a wasm-bindgen web glue, untouched, into the module
// variants the entry points need (esbuild), writes the compressed .wasm, prints sizes and
// enforces the budget. With `--server`: the server build's glue only (dist/server/, Node).
//
//   dist/glue.mjs    ES module: `createGlue()`, a fresh copy of the glue (browsers, bundlers, Node)
//   dist/glue.cjs    the same as CommonJS (Node `require`)
//   dist/api.cjs     src/api.js as CommonJS
//   dist/server/     the server build's .wasm and its glue.mjs and glue.cjs (the Node entries)
//   miniprogram/     glue.js and api.js: CommonJS, ES2017; the glue's TextEncoder, TextDecoder and
//                    WebAssembly are the host's (src/miniprogram-globals.js, injected)
//
// Why a factory: the glue keeps its instance in a module variable and its public API
// (`initSync({ module })`, `init({ module_or_path })`) instantiates once. Recovering from a trap
// needs a fresh instance, so esbuild bundles the glue as a function body: each `createGlue()` is
// a new glue with its own instance, instantiated through that public API (src/api.js).
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, cpSync, rmSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [gluePath, out, ...flags] = process.argv.slice(2);
const testBuild = flags.includes('--test-build');
const serverBuild = flags.includes('--server');
const pkg = dirname(fileURLToPath(import.meta.url));
let esbuild;
try {
  esbuild = createRequire(import.meta.url)('../.tools/node_modules/esbuild');
} catch (e) {
  fail(`esbuild is not in .tools/ (run scripts/setup.sh): ${e.message}`);
}
// Every file a mini-program or CommonJS host loads must parse as ES2017 (test/syntax.test.mjs).
const TARGET = 'es2017';

function fail(message) {
  console.error(`pkg/build.mjs: ${message}`);
  process.exit(1);
}

/** One esbuild run, in memory; any warning fails the build. Returns the text and the exports. */
async function bundle(options) {
  let result;
  try {
    result = await esbuild.build({ bundle: true, target: TARGET, write: false, metafile: true, logLevel: 'silent', legalComments: 'none', ...options });
  } catch (e) {
    fail(`esbuild: ${e.message}`);
  }
  if (result.warnings.length) fail(`esbuild: ${result.warnings.map((w) => w.text).join('; ')}`);
  const [output] = Object.values(result.metafile.outputs);
  return { text: result.outputFiles[0].text, exports: output.exports };
}

/**
 * The glue as one function's body: esbuild's IIFE of it, whose value is the glue's exports.
 * `import.meta.url` only names the .wasm when init() is called without one, which no entry does.
 */
const noImportMeta = { 'import.meta.url': 'undefined' };
const glueIife = await bundle({ entryPoints: [gluePath], format: 'iife', globalName: 'glue', define: noImportMeta });
const glueExports = (await bundle({ entryPoints: [gluePath], format: 'esm', define: noImportMeta })).exports;
// The server build also takes inputs written in place (the package's fast path in Node).
const wanted = ['default', 'initSync', 'Policy', 'applyEffectsJson', 'version']
  .concat(testBuild ? ['armTrap'] : [], serverBuild ? ['inputBuffer', 'inputMemory'] : []);
const missing = wanted.filter((name) => !glueExports.includes(name));
if (missing.length) fail(`the glue does not export ${missing.join(', ')} (it exports ${glueExports.join(', ')}): wasm-bindgen or the binding changed`);

/** The factory module: each `createGlue()` runs the glue's IIFE anew, a copy with its own state. */
const factory = [
  testBuild ? 'let latest = null;' : '',
  'export function createGlue() {',
  glueIife.text,
  testBuild ? 'latest = glue;' : '',
  'return glue;',
  '}',
  // The test-only build: a trap armed in the copy an entry point created last (the one in use).
  testBuild ? 'export function armTrap(count) { return latest.armTrap(count); }' : '',
  '',
].join('\n');

/** The factory as a module of `format`; `options` add esbuild's inject/plugins. */
async function glueModule(format, options = {}) {
  const note = "// Made by pkg/build.mjs: wasm-bindgen's glue (--target web) bundled by esbuild; createGlue() returns a fresh copy.";
  const banner = { js: format === 'cjs' ? `${note}\n'use strict';` : note };
  return (await bundle({ stdin: { contents: factory, sourcefile: 'glue-factory.js', resolveDir: pkg }, format, banner, ...options })).text;
}

/** The mini-program folder's require of the codec shim, kept a require of the file next to glue.js. */
const codecBesideGlue = {
  name: 'codec-beside-glue',
  setup(build) {
    build.onResolve({ filter: /\/text-codec\.js$/ }, () => ({ path: './text-codec.js', external: true }));
  },
};

const esm = await glueModule('esm');
const cjs = await glueModule('cjs');
const kb = (text) => `${(Buffer.byteLength(text) / 1024).toFixed(1)} KB`;
if (serverBuild) {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'glue.mjs'), esm);
  writeFileSync(join(out, 'glue.cjs'), cjs);
  const wasm = readFileSync(join(out, 'aftersale_rules_bg.wasm'));
  const brotli = brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  console.log(`server build: ${wasm.length} B raw, ${brotli.length} B brotli; glue.mjs ${kb(esm)}, glue.cjs ${kb(cjs)}`);
  process.exit(0);
}
const mpGlue = await glueModule('cjs', { inject: [join(pkg, 'src', 'miniprogram-globals.js')], plugins: [codecBesideGlue] });
const apiCjs = (await bundle({ entryPoints: [join(pkg, 'src', 'api.js')], format: 'cjs', banner: { js: "'use strict';" } })).text;

mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'glue.mjs'), esm);
writeFileSync(join(out, 'glue.cjs'), cjs);
writeFileSync(join(out, 'api.cjs'), apiCjs);

// The label catalogue (pkg/labels.json, written from the engine's by its schema test) as a
// module of each kind: forms render their labels from it, never from their own copies.
const labelsData = JSON.stringify(JSON.parse(readFileSync(join(pkg, 'labels.json'), 'utf8')));
const labelsNote = '// Generated by pkg/build.mjs from labels.json (the engine\'s label catalogue): do not edit.\n';
const labelsEsm = `${labelsNote}export const labels = ${labelsData};\n`;
const labelsCjs = `${labelsNote}'use strict';\nexports.labels = ${labelsData};\n`;

const wasm = readFileSync(join(out, 'aftersale_rules_bg.wasm'));
const brotli = brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_GENERIC } });
const gzip = gzipSync(wasm, { level: 9 });

/**
 * The mini-program folder's generated files in `mp`. The engine goes there once, brotli
 * compressed (mini-programs instantiate `.wasm.br` by path, and their packages are size
 * limited); browsers and Node read `dist/`'s `.wasm`. The folder is self-contained because
 * a mini-program's npm build copies only it.
 */
function writeMiniProgram(mp) {
  writeFileSync(join(mp, 'labels.js'), labelsCjs);
  writeFileSync(join(mp, 'glue.js'), mpGlue);
  writeFileSync(join(mp, 'api.js'), apiCjs);
  writeFileSync(join(mp, 'aftersale_rules_bg.wasm.br'), brotli);
  rmSync(join(mp, 'aftersale_rules_bg.wasm'), { force: true });
}

console.log(`js: glue.mjs ${kb(esm)}, glue.cjs ${kb(cjs)}, api.cjs ${kb(apiCjs)}, miniprogram/glue.js ${kb(mpGlue)} (esbuild ${esbuild.version}, ${TARGET})`);
if (!testBuild) {
  writeMiniProgram(join(pkg, 'miniprogram'));
  writeFileSync(join(pkg, 'labels.js'), labelsEsm);
  writeFileSync(join(pkg, 'labels.cjs'), labelsCjs);
  // The licence and the changelog live at the repository's root; the package carries copies.
  for (const file of ['LICENSE-MIT', 'LICENSE-APACHE', 'CHANGELOG.md']) copyFileSync(join(pkg, '..', file), join(pkg, file));
  const budget = JSON.parse(readFileSync(join(pkg, 'size-budget.json'), 'utf8'));
  console.log(`wasm: ${wasm.length} B raw, ${gzip.length} B gzip, ${brotli.length} B brotli (budget: ${budget.raw} B raw, ${budget.brotli} B brotli)`);
  if (wasm.length > budget.raw || brotli.length > budget.brotli) {
    fail(`the .wasm is over its size budget (pkg/size-budget.json): make it smaller, do not raise the budget`);
  }
} else {
  // A whole package around the test build (`out/pkg/`): every entry point — browser, Node ESM
  // and CommonJS, mini-program — over this .wasm, so each one's trap recovery is tested as shipped.
  const tree = join(out, 'pkg');
  rmSync(tree, { recursive: true, force: true });
  for (const dir of ['dist', 'miniprogram']) mkdirSync(join(tree, dir), { recursive: true });
  for (const file of ['index.js', 'slim.js', 'node.mjs', 'node.cjs', 'package.json']) copyFileSync(join(pkg, file), join(tree, file));
  writeFileSync(join(tree, 'labels.js'), labelsEsm);
  writeFileSync(join(tree, 'labels.cjs'), labelsCjs);
  cpSync(join(pkg, 'src'), join(tree, 'src'), { recursive: true });
  for (const file of ['glue.mjs', 'glue.cjs', 'api.cjs', 'aftersale_rules_bg.wasm']) copyFileSync(join(out, file), join(tree, 'dist', file));
  cpSync(join(out, 'server'), join(tree, 'dist', 'server'), { recursive: true });
  for (const file of ['index.js', 'text-codec.js', 'package.json']) copyFileSync(join(pkg, 'miniprogram', file), join(tree, 'miniprogram', file));
  writeMiniProgram(join(tree, 'miniprogram'));
  console.log(`test build: ${wasm.length} B raw into ${out} (a package tree in ${tree})`);
}
