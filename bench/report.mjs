// Prints the benchmark table from the JSON rows the other scripts wrote: decisions per second
// and each row's ratio to the hand-written JavaScript rows measured in the same run — the subset
// baseline on objects and string to string, and the lean-view baseline string to string (the
// slow engine's rows to the baselines under the same flags) — then cold start per build, the
// sizes of both builds and the targets of the performance issue, each marked met or not.
//
//   node bench/report.mjs RESULTS.json...
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const r = Object.assign({}, ...process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8'))));
const sizes = (file) => {
  const wasm = readFileSync(new URL(`../pkg/dist/${file}`, import.meta.url));
  const brotli = brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length, brotli };
};
const client = sizes('aftersale_rules_bg.wasm');
const server = sizes('server/aftersale_rules_bg.wasm');

// [name, key, the baselines it is divided by ('' or 'slow')]
const rows = [
  ['native: compile policy (compiles/s)', 'native_compile_per_s', ''],
  ['native: evaluate, full answer (typed)', 'native_evaluate_per_s', ''],
  ['native: evaluate, lean view (typed)', 'native_evaluate_lean_per_s', ''],
  ['native: evaluate_json, full answer', 'native_evaluate_json_per_s', ''],
  ['native: evaluate_json, lean view', 'native_evaluate_json_lean_per_s', ''],
  ['native: simulate, decisions/s (2 threads)', 'simulate_decisions_per_s', ''],
  ['server build: evaluateJson, full answer', 'server_evaluate_json', ''],
  ['server build: evaluateJson, lean view', 'server_evaluate_json_lean', ''],
  ['server build: evaluate (objects), full', 'server_evaluate', ''],
  ['server build: evaluateBatch (100 a call)', 'server_evaluate_batch', ''],
  ['client build: evaluateJson, full answer', 'client_evaluate_json', ''],
  ['client build: evaluateJson, lean view', 'client_evaluate_json_lean', ''],
  ['hand-written JS: objects', 'js_objects', ''],
  ['hand-written JS: string to string', 'js_strings', ''],
  ['hand-written JS, lean view: objects', 'js_lean_objects', ''],
  ['hand-written JS, lean view: strings', 'js_lean_strings', ''],
  ['json-logic-js: objects', 'jsonlogic_objects', ''],
  ['json-logic-js: string to string', 'jsonlogic_strings', ''],
  ['slow engine: server evaluateJson, full', 'server_evaluate_json_slow', 'slow'],
  ['slow engine: server evaluateJson, lean', 'server_evaluate_json_lean_slow', 'slow'],
  ['slow engine: client evaluateJson, full', 'client_evaluate_json_slow', 'slow'],
  ['slow engine: client evaluateJson, lean', 'client_evaluate_json_lean_slow', 'slow'],
  ['slow engine: hand-written JS: objects', 'js_objects_slow', 'slow'],
  ['slow engine: hand-written JS: strings', 'js_strings_slow', 'slow'],
  ['slow engine: hand-written JS lean: objects', 'js_lean_objects_slow', 'slow'],
  ['slow engine: hand-written JS lean: strings', 'js_lean_strings_slow', 'slow'],
];
const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '');
const width = Math.max(...rows.map((x) => x[0].length));
console.log(`workload: ${r.checked} generated records with their ledgers (1-8 lines, every category), policy extends platform-default; every baseline agreed with the engine on all of them, both builds answered byte for byte alike`);
console.log('JS objects, JS strings: the hand-written subset (eligibility and code, refunds, postage payer, coupons; json-logic-js the same)');
console.log('JS lean strings: the hand-written lean view, every member of the revalidate answer, byte for byte');
console.log('');
const columns = ['÷ JS objects', '÷ JS strings', '÷ JS lean strings'];
console.log(`${'row'.padEnd(width)} | ${'per second'.padStart(12)} | ${columns.map((c) => c.padStart(17)).join(' | ')}`);
console.log(`${'-'.repeat(width)}-|-${'-'.repeat(12)}-|-${columns.map(() => '-'.repeat(17)).join('-|-')}`);
for (const [name, key, flags] of rows) {
  if (r[key] === undefined) continue;
  const base = (k) => r[flags ? `${k}_${flags}` : k];
  const ratios = ['js_objects', 'js_strings', 'js_lean_strings'].map((k) => ratio(r[key], base(k)).padStart(17));
  console.log(`${name.padEnd(width)} | ${fmt(r[key]).padStart(12)} | ${ratios.join(' | ')}`);
}
console.log('');
if (r.worst) {
  console.log('the worst inputs within the limits, natively (median; target under 50 ms each):');
  for (const w of r.worst) {
    console.log(`  ${w.name.padEnd(28)} ${String(w.median_ms.toFixed(1)).padStart(7)} ms  input ${(w.input_bytes / 1024).toFixed(0)} KiB, answer ${(w.answer_bytes / 1024).toFixed(0)} KiB: ${w.answer}`);
  }
}
for (const build of ['client', 'server']) {
  const ms = (phase) => r[`cold_${build}_${phase}_ms`];
  if (ms('total') === undefined) continue;
  console.log(`cold start, ${build} build (fresh Node process, median): import + instantiate ${ms('import').toFixed(2)} ms, compile policy ${ms('compile').toFixed(2)} ms, first decision ${ms('first').toFixed(2)} ms: total ${ms('total').toFixed(2)} ms`);
}
for (const [build, s] of [['client', client], ['server', server]]) {
  console.log(`${build} .wasm: ${s.raw.toLocaleString('en-US')} B raw, ${s.gzip.toLocaleString('en-US')} B gzip, ${s.brotli.toLocaleString('en-US')} B brotli`);
}
console.log('');
if (process.env.AFTERSALE_BENCH_QUICK) {
  console.log('quick mode: too few records and passes for the ratios to mean anything; this run proves the code paths work (./run bench measures)');
  process.exit(0);
}
// [what, measured, wanted, how to show it]. The lean-view targets compare like with like (the
// lean baseline); the others keep their meaning against the subset baselines, and say the
// ratio to the lean baseline too.
const times = (x) => `${x.toFixed(2)}×`;
const andLean = (rate, leanRate) => (x) => `${times(x)} (${ratio(rate, leanRate) || 'n/a'} the lean-view baseline)`;
const targets = [
  ['server build, lean view, evaluateJson ≥ 1× hand-written JS lean view, string to string', r.server_evaluate_json_lean / r.js_lean_strings, 1, times],
  ['(stretch) the same ≥ 1.5×', r.server_evaluate_json_lean / r.js_lean_strings, 1.5, times],
  ['server build, lean view, evaluateJson ≥ 5× json-logic-js string to string', r.server_evaluate_json_lean / r.jsonlogic_strings, 5, times],
  ['server build, full answer, evaluateJson ≥ 0.5× hand-written JS string to string', r.server_evaluate_json / r.js_strings, 0.5, andLean(r.server_evaluate_json, r.js_lean_strings)],
  ['client build ≤ 150,000 B brotli', 150000 / client.brotli, 1, () => `${client.brotli.toLocaleString('en-US')} B`],
  ['client build cold start ≤ 10 ms', 10 / r.cold_client_total_ms, 1, () => `${r.cold_client_total_ms.toFixed(2)} ms`],
  ['native typed evaluate, full answer ≥ 1× hand-written JS objects', r.native_evaluate_per_s / r.js_objects, 1, andLean(r.native_evaluate_per_s, r.js_lean_objects)],
  ['simulate ≥ 500,000 decisions/s', r.simulate_decisions_per_s / 500000, 1, () => `${fmt(r.simulate_decisions_per_s)}/s`],
  ['(stretch) simulate ≥ 1,000,000 decisions/s', r.simulate_decisions_per_s / 1000000, 1, () => `${fmt(r.simulate_decisions_per_s)}/s`],
  ['slow engine, server lean view, evaluateJson ≥ 0.5× hand-written JS lean view under the same flags', r.server_evaluate_json_lean_slow / r.js_lean_strings_slow, 0.5, times],
  ['slow engine, server full answer, evaluateJson ≥ 0.5× hand-written JS strings under the same flags', r.server_evaluate_json_slow / r.js_strings_slow, 0.5, andLean(r.server_evaluate_json_slow, r.js_lean_strings_slow)],
];
for (const [what, got, want, show] of targets) {
  if (!Number.isFinite(got)) continue;
  console.log(`${got >= want ? 'met    ' : 'not met'}  ${what}: ${show(got)}`);
}
