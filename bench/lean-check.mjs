// Checks the lean baseline (`lean.mjs`) against the engine's `revalidate` answer on every
// record of one or more workloads (`aftersale generate` files), and prints the first few
// differences, each at the first path where the two answers part (member order included).
//
//   node bench/lean-check.mjs POLICY.json WORKLOAD.ndjson... [--show N]
import { readFileSync } from 'node:fs';
import * as server from '../pkg/node.mjs';
import * as lean from './lean.mjs';

const args = process.argv.slice(2);
const show = args.includes('--show') ? Number(args.splice(args.indexOf('--show'), 2)[1]) : 5;
const [policyFile, ...workloads] = args;
const policy = server.compilePolicy(readFileSync(policyFile, 'utf8'));
lean.configure({ policy_id: policy.id, policy_version: policy.version, policy_hash: policy.hash, engine_version: server.version() });

/** The first path at which `a` and `b` differ (values, member names or their order), or null. */
function firstDifference(a, b, path) {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) return path;
  if (a === null || typeof a !== 'object') return a === b ? null : path;
  if (Array.isArray(a)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  const [ka, kb] = [Object.keys(a), Object.keys(b)];
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    if (ka[i] !== kb[i]) return `${path}: members ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`;
    const d = firstDifference(a[ka[i]], b[ka[i]], `${path}.${ka[i]}`);
    if (d !== null) return d;
  }
  return null;
}

/** The value at a path `firstDifference` gave (up to any member-order note). */
function at(value, path) {
  for (const part of path.split(':')[0].match(/\.[^.[]+|\[\d+\]/g) || []) {
    if (value == null) return value;
    value = part[0] === '.' ? value[part.slice(1)] : value[Number(part.slice(1, -1))];
  }
  return value;
}

let failed = 0;
for (const file of workloads) {
  let agreed = 0;
  let records = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    const input = { order: r.order, ledger: r.ledger, request: r.request, now: r.now, view: 'revalidate' };
    const text = JSON.stringify(input);
    const want = policy.evaluateJson(text);
    let got;
    try {
      got = lean.decideString(text);
    } catch (e) {
      got = `threw ${e.stack}`;
    }
    records += 1;
    if (got === want) {
      agreed += 1;
      continue;
    }
    if (records - agreed <= show) {
      const [w, g] = [JSON.parse(want), got.startsWith('threw') ? got : JSON.parse(got)];
      const path = typeof g === 'string' ? '' : firstDifference(w, g, '');
      console.log(`${r.id} (${file}): differs at ${path}`);
      console.log(`  engine: ${JSON.stringify(at(w, path))}`);
      console.log(`  lean:   ${typeof g === 'string' ? g : JSON.stringify(at(g, path))}`);
    }
  }
  failed += records - agreed;
  console.log(`${file}: ${agreed} of ${records} records agree`);
}
process.exit(failed === 0 ? 0 : 1);
