// The Node rows of the benchmark: both builds of the package — the server build its Node
// entries load (`evaluateJson` full and in the lean `revalidate` view, `evaluate`,
// `evaluateBatch`) and the client build browsers and mini-programs load (`evaluateJson` full and
// lean) — the hand-written JavaScript baselines on objects and string to string (the subset in
// `baseline.mjs`, the whole lean view in `lean.mjs`), and json-logic-js. Every baseline is first
// checked against the engine on every case, the lean one byte for byte against the lean view.
// Every input carries the record's ledger. Single thread; each row is the median of several
// timed passes after a warm-up pass. Prints one JSON object; `--label L` suffixes every key (the
// slow-engine run).
//
//   node bench/node.mjs POLICY.json WORKLOAD.ndjson [--passes N] [--label L]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as server from '../pkg/node.mjs';
import * as client from '../pkg/slim.js';
import * as baseline from './baseline.mjs';
import * as leanBaseline from './lean.mjs';
import * as jsonlogic from './jsonlogic.mjs';

const [policyFile, workloadFile, ...flags] = process.argv.slice(2);
const option = (name, fallback) => (flags.includes(name) ? flags[flags.indexOf(name) + 1] : fallback);
const passes = Number(option('--passes', 7));
const label = option('--label', '');

const records = readFileSync(workloadFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const strings = records.map((r) => JSON.stringify({ order: r.order, ledger: r.ledger, request: r.request, now: r.now }));
const lean = records.map((r) => JSON.stringify({ order: r.order, ledger: r.ledger, request: r.request, now: r.now, view: 'revalidate' }));
// Fresh objects for each pass would measure the copy; the deciders do not keep or change them.
const objects = records.map((r) => ({ order: r.order, ledger: r.ledger, request: r.request, now: r.now }));
const policyText = readFileSync(policyFile, 'utf8');
await client.init(readFileSync(new URL('../pkg/dist/aftersale_rules_bg.wasm', import.meta.url)));
const policy = server.compilePolicy(policyText);
const clientPolicy = client.compilePolicy(policyText);
leanBaseline.configure({ policy_id: policy.id, policy_version: policy.version, policy_hash: policy.hash, engine_version: server.version() });

/** Decisions per second: `per` operations a pass, the median of `passes` passes after one warm-up. */
function rate(per, pass) {
  pass();
  const times = [];
  for (let p = 0; p < passes; p++) {
    const t = performance.now();
    pass();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return (per * 1000) / times[times.length >> 1];
}

// The baselines must give the engine's answer on every case before they are timed (the lean
// one its whole lean view, byte for byte, from the string and from the objects), and both
// builds the same bytes.
let checked = 0;
for (let i = 0; i < objects.length; i++) {
  const text = policy.evaluateJson(strings[i]);
  const leanText = policy.evaluateJson(lean[i]);
  if (clientPolicy.evaluateJson(strings[i]) !== text || clientPolicy.evaluateJson(lean[i]) !== leanText) {
    throw new Error(`${records[i].id}: the client and server builds answer differently`);
  }
  for (const got of [leanBaseline.decideString(lean[i]), JSON.stringify(leanBaseline.decide(objects[i]))]) {
    if (got !== leanText) throw new Error(`the lean baseline differs from the engine's lean view on ${records[i].id} (node bench/lean-check.mjs shows where):\n engine ${leanText}\n lean   ${got}`);
  }
  const decision = JSON.parse(text);
  if (decision.type !== 'decision') throw new Error(`${records[i].id}: the engine answered ${text.slice(0, 300)}`);
  const want = JSON.stringify(baseline.subset(decision));
  for (const [name, impl] of [['hand-written JS', baseline], ['json-logic-js', jsonlogic]]) {
    const got = JSON.stringify(impl.decide(objects[i]));
    if (got !== want) throw new Error(`${name} differs from the engine on ${records[i].id}:\n engine ${want}\n ${name} ${got}`);
  }
  checked += 1;
}

let sink = 0;
const rows = { checked };
const key = (name) => (label ? `${name}_${label}` : name);
rows[key('js_objects')] = rate(objects.length, () => { for (const o of objects) sink += baseline.decide(o).refund; });
rows[key('js_strings')] = rate(strings.length, () => { for (const s of strings) sink += JSON.stringify(baseline.decide(JSON.parse(s))).length; });
rows[key('js_lean_objects')] = rate(objects.length, () => { for (const o of objects) sink += leanBaseline.decide(o).items.length; });
rows[key('js_lean_strings')] = rate(lean.length, () => { for (const s of lean) sink += leanBaseline.decideString(s).length; });
rows[key('jsonlogic_objects')] = rate(objects.length, () => { for (const o of objects) sink += jsonlogic.decide(o).refund; });
rows[key('jsonlogic_strings')] = rate(strings.length, () => { for (const s of strings) sink += JSON.stringify(jsonlogic.decide(JSON.parse(s))).length; });
for (const [build, p] of [['server', policy], ['client', clientPolicy]]) {
  rows[key(`${build}_evaluate_json`)] = rate(strings.length, () => { for (const s of strings) sink += p.evaluateJson(s).length; });
  rows[key(`${build}_evaluate_json_lean`)] = rate(lean.length, () => { for (const s of lean) sink += p.evaluateJson(s).length; });
}
rows[key('server_evaluate')] = rate(objects.length, () => {
  for (const o of objects) sink += policy.evaluate(o.order, o.request, o.now, o.ledger).items.length;
});
const batch = 100;
rows[key('server_evaluate_batch')] = rate(objects.length, () => {
  for (let i = 0; i < objects.length; i += batch) sink += policy.evaluateBatch(objects.slice(i, i + batch)).length;
});
if (sink === 0) throw new Error('nothing was decided');
console.log(JSON.stringify(rows));
