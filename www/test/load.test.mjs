// The re-validation server under load and faults, on loopback: autocannon sends a mix of
// valid, tampered, malformed and foreign submissions for a bounded time. No 5xx, no connection
// errors, every 201 stored, memory flat; then kill -9 in the middle of a stream of valid
// submissions and a restart: every request that was answered 201 is still there.
// Prints throughput and latency percentiles (the numbers in the notes come from here).
//
//   AFTERSALE_LOAD_SECONDS=30 node --test www/test/load.test.mjs   a longer run
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compilePolicy } from '../../pkg/node.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const autocannon = createRequire(import.meta.url)(join(root, '.tools', 'node_modules', 'autocannon'));
const SECONDS = Number(process.env.AFTERSALE_LOAD_SECONDS || 8);
const dataDir = mkdtempSync(join(tmpdir(), 'aftersale-load-'));
const children = [];

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'www', 'server.mjs'), '--port', '0', '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve({ child, url: m[0] });
    });
    child.on('exit', (code, signal) => reject(new Error(`server exited ${code ?? signal}: ${out}`)));
  });
}

after(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Resident memory of a process, in MiB (Linux). */
function rssMiB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : NaN;
}

const headers = (token) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

/** A valid submission, decided in the client as the page does. */
async function validSubmission(base) {
  const orders = await (await fetch(base + 'api/orders', { headers: headers('tok-alice') })).json();
  const stored = orders.find((o) => o.order.id === 'SO-APPAREL-1001');
  const doc = await (await fetch(base + 'api/policies/' + encodeURIComponent(stored.policy), { headers: headers('tok-alice') })).json();
  const request = { kind: 'refund_with_return', items: [{ line_id: 'L1', qty: 1, reason: 'no_reason' }] };
  const decision = compilePolicy(doc).evaluate(stored.order, request, new Date().toISOString());
  assert.equal(decision.type, 'decision');
  assert.equal(decision.items[0].eligible, true);
  return { order_id: stored.order.id, request, decision };
}

test(`${SECONDS} s of mixed submissions: no 5xx, every 201 stored, memory flat`, async () => {
  const { child, url } = await startServer();
  const valid = await validSubmission(url);
  const tampered = JSON.parse(JSON.stringify(valid));
  tampered.decision.refund.total += 1000;
  const post = (token, body) => ({ method: 'POST', path: '/api/returns', headers: headers(token), body });
  const mix = [
    post('tok-alice', JSON.stringify(valid)),
    post('tok-alice', JSON.stringify(tampered)),
    post('tok-alice', '{"order_id": "SO-APPAREL-1001", "request": '),
    post('tok-bob', JSON.stringify(valid)),
    post('tok-alice', JSON.stringify({ ...valid, request: { kind: 'refund_with_return', items: [{ line_id: 'L9', qty: 1, reason: 'no_reason' }] } })),
    { method: 'GET', path: '/api/returns', headers: headers('nobody') },
  ];
  const expected = { 201: 1, 409: 1, 400: 2, 403: 1, 401: 1 };

  // Warm up, then measure memory around the timed run.
  await autocannon({ url, connections: 4, amount: 300, requests: mix });
  const rssBefore = rssMiB(child.pid);
  const result = await autocannon({ url, connections: 16, duration: SECONDS, requests: mix });
  const rssAfter = rssMiB(child.pid);

  const counts = Object.fromEntries(Object.entries(result.statusCodeStats || {}).map(([code, s]) => [code, s.count]));
  console.log(`load: ${result.requests.total} requests in ${SECONDS} s, ${Math.round(result.requests.average)} req/s; latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; status ${JSON.stringify(counts)}; server memory ${rssBefore.toFixed(1)} -> ${rssAfter.toFixed(1)} MiB`);
  assert.equal(result['5xx'], 0, 'no 5xx');
  assert.equal(result.errors, 0, 'no connection errors');
  assert.equal(result.timeouts, 0, 'no timeouts');
  for (const code of Object.keys(counts)) assert.ok(code in expected, `unexpected status ${code}`);
  // Each kind of submission got its own answer, in the mix's proportions.
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  for (const [code, share] of Object.entries(expected)) {
    const want = (total * share) / mix.length;
    assert.ok(Math.abs((counts[code] || 0) - want) <= 16 + want * 0.02, `status ${code}: ${counts[code]} of ${total}, want about ${want}`);
  }
  // Every accepted request is stored (the warm-up's 50 and the run's); at most one request per
  // connection more, those still in flight when the timed run ended (stored, answer not counted).
  const stored = (await (await fetch(url + 'api/returns', { headers: headers('tok-alice') })).json()).length;
  assert.ok(stored >= counts[201] + 50 && stored <= counts[201] + 50 + 16, `${stored} stored for ${counts[201]} + 50 accepted`);
  // Memory: what the stored requests need (a few KB each), not a leak per request.
  assert.ok(rssAfter - rssBefore < 48 + (counts[201] * 16) / 1024, `server memory grew ${(rssAfter - rssBefore).toFixed(1)} MiB`);
  child.kill('SIGKILL');
});

test('kill -9 under load: every request answered 201 survives the restart', async () => {
  let { child, url } = await startServer();
  const body = JSON.stringify(await validSubmission(url));
  const before = (await (await fetch(url + 'api/returns', { headers: headers('tok-alice') })).json()).length;
  const accepted = [];
  let failed = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      try {
        const res = await fetch(url + 'api/returns', { method: 'POST', headers: headers('tok-alice'), body });
        const answer = await res.json();
        if (res.status === 201) accepted.push(answer.id);
        else assert.fail(`status ${res.status}`);
      } catch (e) {
        if (e.code === 'ERR_ASSERTION') throw e;
        failed += 1; // the server died mid-request: not answered, so not promised
        return;
      }
    }
  };
  const workers = Array.from({ length: 8 }, worker);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('exit', resolve));
  stop = true;
  await Promise.all(workers);
  ({ child, url } = await startServer());
  const ids = new Set((await (await fetch(url + 'api/returns', { headers: headers('tok-alice') })).json()).map((e) => e.id));
  const lost = accepted.filter((id) => !ids.has(id));
  console.log(`kill -9: ${accepted.length} requests answered 201 before the kill, ${failed} cut off; after restart ${ids.size - before} new stored, ${lost.length} lost`);
  assert.ok(accepted.length > 20, `only ${accepted.length} accepted before the kill`);
  assert.deepEqual(lost, []);
  child.kill('SIGKILL');
});
