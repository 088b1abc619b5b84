// Strings into the .wasm: what wasm-bindgen's own glue costs to pass a ~1.1 KB request, against
// one native `encodeInto` into a worst-case buffer. Both run on the same instance, over its
// exported allocator (the exports `initSync` returns); each pass is malloc + encode + free, as
// a call does. Then the crossing alone (the text refused at its first byte) through the
// package, which writes the text in place (`inputBuffer` + `encodeInto` + `evaluateInput`),
// and through the glue's own `evaluateJson` (a `&str` argument) on the same server build; and a
// whole `evaluateJson`, for scale. One run, same-run ratios only (the machines here are noisy).
// No wasm-bindgen option gives the fast path for a `&str` (`--encode-into always` only drops
// the fallback for hosts without encodeInto; the char-by-char ASCII copy stays).
//
//   node bench/strings.mjs            after pkg/build.sh
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createGlue } from '../pkg/dist/glue.mjs';
import { createGlue as createServerGlue } from '../pkg/dist/server/glue.mjs';
import { compilePolicy } from '../pkg/node.mjs';

const module = new WebAssembly.Module(readFileSync(new URL('../pkg/dist/aftersale_rules_bg.wasm', import.meta.url)));
const wasm = createGlue().initSync({ module });
const serverGlue = createServerGlue();
serverGlue.initSync({ module: new WebAssembly.Module(readFileSync(new URL('../pkg/dist/server/aftersale_rules_bg.wasm', import.meta.url))) });

let memory = null;
function mem() {
  if (memory === null || memory.byteLength === 0) memory = new Uint8Array(wasm.memory.buffer);
  return memory;
}
const encoder = new TextEncoder();
let LEN = 0;

/** wasm-bindgen 0.2.130's passStringToWasm0, as it is in pkg/dist/glue.mjs: ASCII copied one char at a time, the rest by encodeInto. */
function passByGlue(arg, malloc, realloc) {
  let len = arg.length;
  let ptr = malloc(len, 1) >>> 0;
  const m = mem();
  let offset = 0;
  for (; offset < len; offset++) {
    const code = arg.charCodeAt(offset);
    if (code > 0x7F) break;
    m[ptr + offset] = code;
  }
  if (offset !== len) {
    if (offset !== 0) arg = arg.slice(offset);
    ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
    const view = mem().subarray(ptr + offset, ptr + len);
    const ret = encoder.encodeInto(arg, view);
    offset += ret.written;
    ptr = realloc(ptr, len, offset, 1) >>> 0;
  }
  LEN = offset;
  return ptr;
}

/** What the glue does for `&[u8]` (passArray8ToWasm0): the host encodes, one copy in. */
function passBytes(arg, malloc) {
  const buf = encoder.encode(arg);
  const ptr = malloc(buf.length, 1) >>> 0;
  mem().set(buf, ptr);
  LEN = buf.length;
  return ptr;
}

/** The dropped patch: one encodeInto into 3 bytes per UTF-16 unit, shrunk in place. */
function passFast(arg, malloc, realloc) {
  const cap = arg.length * 3;
  const ptr = malloc(cap, 1) >>> 0;
  const written = encoder.encodeInto(arg, mem().subarray(ptr, ptr + cap)).written;
  LEN = written;
  return written === cap ? ptr : realloc(ptr, cap, written, 1) >>> 0;
}

const policyText = JSON.stringify({ id: 'bench-strings', version: '1', extends: 'platform-default' });
const policy = compilePolicy(policyText);
const gluePolicy = new serverGlue.Policy(policyText);
function request(name) {
  const lines = [];
  for (let i = 1; i <= 7; i++) lines.push({ id: 'L' + i, sku: 'SKU-2026-' + (1000 + i), title: name, category: 'apparel', unit_price: 9990 + i, quantity: 1 });
  return JSON.stringify({
    order: { id: 'O-2026-11-0001', currency: 'CNY', placed_at: '2026-11-01T10:00:00+08:00', delivered_at: '2026-11-03T15:00:00+08:00', lines },
    request: { kind: 'refund_with_return', items: [{ line_id: 'L1', qty: 1, reason: 'no_reason' }, { line_id: 'L2', qty: 1, reason: 'no_reason' }] },
    now: '2026-11-05T12:00:00+08:00',
  });
}
const inputs = { ascii: request('cotton shirt'), chinese: request('纯棉衬衫 男款') };

const N = 100000;
const PASSES = 7;
/** Median µs per call over PASSES passes of `n` calls each, after a warm-up pass; interleaved with the other rows by the caller. */
function time(n, fn) {
  const t = performance.now();
  for (let i = 0; i < n; i++) fn();
  return ((performance.now() - t) * 1000) / n;
}
function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

let sink = 0;
const rows = [];
for (const [label, text] of Object.entries(inputs)) {
  // Both give the same bytes.
  const a = passByGlue(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
  const aBytes = mem().slice(a, a + LEN);
  wasm.__wbindgen_free(a, LEN, 1);
  const b = passFast(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
  const bBytes = mem().slice(b, b + LEN);
  wasm.__wbindgen_free(b, LEN, 1);
  if (Buffer.compare(aBytes, bBytes) !== 0 || Buffer.compare(aBytes, encoder.encode(text)) !== 0) throw new Error('the two paths wrote different bytes');
  if (JSON.parse(policy.evaluateJson(text)).type !== 'decision') throw new Error('the request is not decided');

  const refused = 'x' + text.slice(1);
  if (JSON.parse(policy.evaluateJson(refused)).errors[0].code !== 'INVALID_JSON') throw new Error('the refused text is not refused at once');
  const fns = {
    glue: () => { const p = passByGlue(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc); wasm.__wbindgen_free(p, LEN, 1); },
    bytes: () => { const p = passBytes(text, wasm.__wbindgen_malloc); wasm.__wbindgen_free(p, LEN, 1); },
    fast: () => { const p = passFast(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc); wasm.__wbindgen_free(p, LEN, 1); },
    call: () => { sink += policy.evaluateJson(text).length; },
    // The same text with its first byte invalid: the engine stops at once, so this is the crossing.
    refused: () => { sink += policy.evaluateJson(refused).length; },
    // The same through wasm-bindgen's string argument (the glue's own `evaluateJson`).
    glueRefused: () => { sink += gluePolicy.evaluateJson(refused).length; },
  };
  const times = { glue: [], bytes: [], fast: [], call: [], refused: [], glueRefused: [] };
  const calls = { glue: N, bytes: N, fast: N, call: N / 50, refused: N / 10, glueRefused: N / 10 };
  for (const k of Object.keys(fns)) time(calls[k] / 5, fns[k]);
  for (let p = 0; p < PASSES; p++) {
    for (const k of Object.keys(fns)) times[k].push(time(calls[k], fns[k]));
  }
  const [glue, bytes, fast, call, crossing, glueCrossing] = ['glue', 'bytes', 'fast', 'call', 'refused', 'glueRefused'].map((k) => median(times[k]));
  rows.push({ label, size: aBytes.length, glue, bytes, fast, call, crossing, glueCrossing });
}

console.log(`passing a request string into the .wasm (${process.version}, median of ${PASSES} passes; ${N} calls a pass, evaluateJson ${N / 50})`);
console.log('glue: wasm-bindgen\'s passStringToWasm0 (a &str); bytes: encode() then one copy (what a &[u8] costs); fast: one encodeInto in place');
console.log('crossing: evaluateJson of the text refused at its first byte, server build: through the package (in place) and the glue (a &str)');
console.log('request                 | glue µs | bytes µs | fast µs | glue ÷ fast | crossing µs | glue crossing µs | evaluateJson µs | saved ÷ call');
console.log('------------------------|---------|----------|---------|-------------|-------------|------------------|-----------------|-------------');
for (const r of rows) {
  const saved = r.glueCrossing - r.crossing;
  console.log(`${(r.label + ', ' + r.size + ' B').padEnd(24)}| ${r.glue.toFixed(2).padStart(7)} | ${r.bytes.toFixed(2).padStart(8)} | ${r.fast.toFixed(2).padStart(7)} | ${(r.glue / r.fast).toFixed(2).padStart(10)}× | ${r.crossing.toFixed(2).padStart(11)} | ${r.glueCrossing.toFixed(2).padStart(16)} | ${r.call.toFixed(1).padStart(15)} | ${((100 * saved) / r.call).toFixed(1).padStart(10)} %`);
}
if (sink === 0) console.log('');
