// Second half of pkg/build.sh: turns the one wasm-bindgen web glue into the module variants
// the entry points need, writes the compressed .wasm, prints sizes and enforces the budget.
//
//   dist/glue.mjs    the web glue, plus exports of its instantiation hooks
//   dist/glue.cjs    the same as CommonJS (Node `require`)
//   dist/api.cjs     src/api.js as CommonJS
//   miniprogram/     CommonJS, ES2017, with text codecs for hosts that lack them
//
// The transform is checked, not hoped for: if wasm-bindgen changes the glue's shape, the
// build fails here rather than shipping a broken variant.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, cpSync, rmSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [gluePath, out, ...flags] = process.argv.slice(2);
const testBuild = flags.includes('--test-build');
const pkg = dirname(fileURLToPath(import.meta.url));

function fail(message) {
  console.error(`pkg/build.mjs: ${message}`);
  process.exit(1);
}

function count(text, needle) {
  return text.split(needle).length - 1;
}

/** The glue's own exports, checked against what the wrappers rely on. */
const glue = readFileSync(gluePath, 'utf8');
const HOOKS = ['__wbg_get_imports', '__wbg_finalize_init'];
for (const hook of HOOKS) if (!glue.includes(`function ${hook}(`)) fail(`the glue has no ${hook}(): wasm-bindgen changed`);
const exportLine = /^export \{ initSync, __wbg_init as default \};$/m;
if (!exportLine.test(glue)) fail('the glue does not end with the expected export line');
if (count(glue, 'import.meta.url') !== 1) fail('the glue uses import.meta.url other than once');
const names = [...glue.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]);
if (!names.includes('Policy') || !names.includes('version')) fail(`unexpected glue exports: ${names.join(', ')}`);

/**
 * Strings into the .wasm: wasm-bindgen copies a string's ASCII prefix into memory one char at a
 * time in JavaScript, then encodes the rest with `encodeInto`. One native `encodeInto` into a
 * worst-case buffer (3 bytes per UTF-16 unit), shrunk in place after, is 4× faster for a 1 KB
 * request (3.8 → 0.8 µs in Node 20). Only where the encoder is the host's own (the mini-program
 * shim's `encodeInto` is JavaScript itself) and up to 1 MiB (the buffer is three times the text).
 */
function fastStringPassing(source) {
  const slowStart = '    let len = arg.length;\n    let ptr = malloc(len, 1) >>> 0;\n';
  const encoder = 'const cachedTextEncoder = new TextEncoder();\n';
  if (count(source, slowStart) !== 1 || count(source, encoder) !== 1) fail('passStringToWasm0 changed shape: wasm-bindgen changed');
  const fastPath = [
    '    if (NATIVE_ENCODE_INTO && arg.length > 0 && arg.length <= 1048576) {',
    '        const cap = arg.length * 3;',
    '        const ptr = malloc(cap, 1) >>> 0;',
    '        const written = cachedTextEncoder.encodeInto(arg, getUint8ArrayMemory0().subarray(ptr, ptr + cap)).written;',
    '        WASM_VECTOR_LEN = written;',
    '        return written === cap ? ptr : realloc(ptr, cap, written, 1) >>> 0;',
    '    }',
    '',
  ].join('\n');
  const native = "const NATIVE_ENCODE_INTO = typeof TextEncoder === 'function' && cachedTextEncoder instanceof TextEncoder"
    + " && typeof TextEncoder.prototype.encodeInto === 'function';\n";
  return source.replace(slowStart, fastPath + slowStart).replace(encoder, encoder + native);
}

const fastGlue = fastStringPassing(glue);
const esm = `${fastGlue}\nexport { ${HOOKS.join(', ')} };\n`;

/** ESM → CommonJS for a file whose exports are `export class|function` (and a final export list). */
function toCommonJs(source, extraExports) {
  const exported = [...source.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]).concat(extraExports);
  const body = source
    .replace(/^export (class|function) /gm, '$1 ')
    .replace(exportLine, '')
    .replace('import.meta.url', 'undefined');
  if (/^\s*(import|export)\s/m.test(body)) fail('a module still has import/export after the CommonJS transform');
  return `'use strict';\n${body}\nmodule.exports = { ${exported.join(', ')} };\n`;
}

const cjs = toCommonJs(fastGlue, ['initSync', ...HOOKS]);
const api = readFileSync(join(pkg, 'src/api.js'), 'utf8');
const apiCjs = toCommonJs(api, []);

mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'glue.mjs'), esm);
writeFileSync(join(out, 'glue.cjs'), cjs);
writeFileSync(join(out, 'api.cjs'), apiCjs);

const wasm = readFileSync(join(out, 'aftersale_rules_bg.wasm'));
const brotli = brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_GENERIC } });
const gzip = gzipSync(wasm, { level: 9 });
writeFileSync(join(out, 'aftersale_rules_bg.wasm.br'), brotli);

/** The mini-program folder's generated files in `mp`: CommonJS, no TextEncoder/TextDecoder on
 * some clients, the .wasm instantiated by path. */
function writeMiniProgram(mp) {
  const codecHeader = [
    "var __codec = require('./text-codec.js');",
    "var __TextDecoder = typeof TextDecoder === 'function' ? TextDecoder : __codec.TextDecoder;",
    "var __TextEncoder = typeof TextEncoder === 'function' ? TextEncoder : __codec.TextEncoder;",
  ].join('\n');
  let mpGlue = cjs.replace(/new TextDecoder\(/g, 'new __TextDecoder(').replace(/new TextEncoder\(/g, 'new __TextEncoder(');
  if (/\bTextDecoder\(|\bTextEncoder\(/.test(mpGlue.replace(/__Text(De|En)coder\(/g, ''))) fail('the glue builds a text codec in a way the shim does not cover');
  mpGlue = mpGlue.replace("'use strict';\n", `'use strict';\n${codecHeader}\n`);
  writeFileSync(join(mp, 'glue.js'), mpGlue);
  writeFileSync(join(mp, 'api.js'), apiCjs);
  copyFileSync(join(out, 'aftersale_rules_bg.wasm'), join(mp, 'aftersale_rules_bg.wasm'));
  writeFileSync(join(mp, 'aftersale_rules_bg.wasm.br'), brotli);
}

if (!testBuild) {
  writeMiniProgram(join(pkg, 'miniprogram'));
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
  cpSync(join(pkg, 'src'), join(tree, 'src'), { recursive: true });
  for (const file of ['glue.mjs', 'glue.cjs', 'api.cjs', 'aftersale_rules_bg.wasm', 'aftersale_rules_bg.wasm.br']) copyFileSync(join(out, file), join(tree, 'dist', file));
  for (const file of ['index.js', 'text-codec.js', 'package.json']) copyFileSync(join(pkg, 'miniprogram', file), join(tree, 'miniprogram', file));
  writeMiniProgram(join(tree, 'miniprogram'));
  console.log(`test build: ${wasm.length} B raw into ${out} (a package tree in ${tree})`);
}
