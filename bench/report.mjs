// Prints the benchmark table from the JSON rows the other scripts wrote: decisions per second
// and each row's ratio to the hand-written JavaScript rows measured in the same run, then the
// size of the .wasm and the targets of the performance issue, each marked met or not.
//
//   node bench/report.mjs RESULTS.json...
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const r = Object.assign({}, ...process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8'))));
const wasm = readFileSync(new URL('../pkg/dist/aftersale_rules_bg.wasm', import.meta.url));
const brotli = brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

const rows = [
  ['native: compile policy', 'native_compile_per_s', 'compiles/s'],
  ['native: evaluate (typed in, typed out)', 'native_evaluate_per_s'],
  ['native: evaluate_json (string to string)', 'native_evaluate_json_per_s'],
  ['wasm: evaluateJson (string to string)', 'wasm_evaluate_json'],
  ['wasm: evaluate (objects)', 'wasm_evaluate'],
  ['wasm: evaluateBatch (objects, 100 a call)', 'wasm_evaluate_batch'],
  ['wasm, slow engine: evaluateJson', 'wasm_evaluate_json_slow'],
  ['wasm, slow engine: evaluate', 'wasm_evaluate_slow'],
  ['wasm, slow engine: evaluateBatch', 'wasm_evaluate_batch_slow'],
  ['hand-written JS: objects', 'js_objects'],
  ['hand-written JS: string to string', 'js_strings'],
  ['json-logic-js: objects', 'jsonlogic_objects'],
  ['json-logic-js: string to string', 'jsonlogic_strings'],
];
const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '');
const width = Math.max(...rows.map((x) => x[0].length));
console.log(`workload: ${r.records ?? r.checked} generated records (1-8 lines, every category), policy extends platform-default; both baselines agreed with the engine on ${r.checked} of them`);
console.log('');
console.log(`${'row'.padEnd(width)} | ${'per second'.padStart(12)} | ${'÷ JS objects'.padStart(12)} | ${'÷ JS strings'.padStart(12)}`);
console.log(`${'-'.repeat(width)}-|-${'-'.repeat(12)}-|-${'-'.repeat(12)}-|-${'-'.repeat(12)}`);
for (const [name, key] of rows) {
  if (r[key] === undefined) continue;
  console.log(`${name.padEnd(width)} | ${fmt(r[key]).padStart(12)} | ${ratio(r[key], r.js_objects).padStart(12)} | ${ratio(r[key], r.js_strings).padStart(12)}`);
}
console.log('');
if (r.cold_total_ms !== undefined) {
  if (r.worst) {
    console.log('the worst inputs within the limits, natively (median; target under 50 ms each):');
    for (const w of r.worst) {
      console.log(`  ${w.name.padEnd(28)} ${String(w.median_ms.toFixed(1)).padStart(7)} ms  input ${(w.input_bytes / 1024).toFixed(0)} KiB, answer ${(w.answer_bytes / 1024).toFixed(0)} KiB: ${w.answer}`);
    }
  }
  console.log(`cold start (fresh Node process, median): import + instantiate ${r.cold_import_ms.toFixed(2)} ms, compile policy ${r.cold_compile_ms.toFixed(2)} ms, first decision ${r.cold_first_ms.toFixed(2)} ms: total ${r.cold_total_ms.toFixed(2)} ms`);
}
console.log(`.wasm: ${wasm.length.toLocaleString('en-US')} B raw, ${gzipSync(wasm, { level: 9 }).length.toLocaleString('en-US')} B gzip, ${brotli.toLocaleString('en-US')} B brotli`);
console.log('');
if (process.env.AFTERSALE_BENCH_QUICK) {
  console.log('quick mode: too few records and passes for the ratios to mean anything; this run proves the code paths work (./run bench measures)');
  process.exit(0);
}
const targets = [
  ['evaluateJson ≥ 1.5× hand-written JS string to string', r.wasm_evaluate_json / r.js_strings, 1.5],
  ['evaluate (objects) ≥ 0.15× hand-written JS objects', r.wasm_evaluate / r.js_objects, 0.15],
  ['evaluateJson ≥ 10× json-logic-js string to string', r.wasm_evaluate_json / r.jsonlogic_strings, 10],
  ['evaluate (objects) ≥ 10× json-logic-js objects', r.wasm_evaluate / r.jsonlogic_objects, 10],
  ['native evaluate ≥ 4× hand-written JS objects', r.native_evaluate_per_s / r.js_objects, 4],
  ['cold start < 10 ms', 10 / r.cold_total_ms, 1],
];
for (const [what, got, want] of targets) {
  if (!Number.isFinite(got)) continue;
  const shown = what.startsWith('cold') ? `${r.cold_total_ms.toFixed(2)} ms` : `${got.toFixed(2)}×`;
  console.log(`${got >= want ? 'met    ' : 'not met'}  ${what}: ${shown}`);
}
