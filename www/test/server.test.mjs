// The reference server keeps money safe under every normal and hostile use, on SQLite and on
// PostgreSQL (a throw-away cluster; two server processes share it):
//
// - the same submission again, sequentially, concurrently, across two processes, with or
//   without an idempotency key: exactly one 201 per accepted return, and every order's ledger
//   is exactly the fold of its accepted submissions' effects;
// - a request the engine refuses is 422 and changes nothing;
// - hostile requests (bad paths, tokens named like Object's properties, malformed and deep
//   bodies, huge bodies, heavy conformance evaluations) get 4xx or 503 and the server keeps
//   serving; a heavy evaluation does not stall other shoppers;
// - kill -9 at random moments during a stream of concurrent submissions, 20 times: every
//   request answered 201 is stored, no request answered otherwise is, the ledgers are the folds.
//
//   AFTERSALE_KILL_ROUNDS=100 node --test www/test/server.test.mjs   more kill -9 rounds
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startPostgres, spawnServer, seedStress, clientSubmission, checkLedgers, storedSubmissions, auth } from './harness.mjs';

const ROUNDS = Number(process.env.AFTERSALE_KILL_ROUNDS || 20);
const STRESS_ORDERS = 40;
const stressIds = Array.from({ length: STRESS_ORDERS }, (_, i) => `ST-${i}`);
let postgres;
const servers = [];

before(async () => {
  postgres = await startPostgres();
});

after(async () => {
  for (const s of servers) await s.kill();
  if (postgres) postgres.stop();
});

async function serve(db, extra) {
  const s = await spawnServer(db, extra);
  servers.push(s);
  return s;
}

const post = (base, token, body, headers = {}) =>
  fetch(base + 'api/returns', { method: 'POST', headers: { ...auth(token), ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

const DATABASES = () => [
  ['sqlite', `sqlite:${join(mkdtempSync(join(tmpdir(), 'aftersale-sqlite-')), 'aftersale.db')}`],
  ['postgres', postgres.url],
];

for (const [name, dbOf] of [['sqlite', () => DATABASES()[0][1]], ['postgres', () => postgres.url]]) {
  test(`${name}: one coat, five submissions: one 201, then 422, and the refund is recorded once`, async () => {
    const db = dbOf();
    await seedStress(db, 0);
    const server = await serve(db);
    const request = { kind: 'refund_with_return', items: [{ line_id: 'L1', qty: 1, reason: 'no_reason' }] };
    let body = await clientSubmission(server.url, 'tok-alice', 'SO-APPAREL-1001', request);
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const res = await post(server.url, 'tok-alice', body);
      const answer = await res.json();
      statuses.push(res.status);
      // Resubmit with the server's own decision, as the attacker did.
      if (answer.decision) body = { ...body, decision: answer.decision };
    }
    assert.deepEqual(statuses, [201, 422, 422, 422, 422]);
    // A failed group buy: one refund and one coupon, however often it is asked for.
    const group = { kind: 'refund_without_return', items: [{ line_id: 'L1', qty: 2, reason: 'group_buy_failed' }] };
    body = await clientSubmission(server.url, 'tok-bob', 'SO-GROUP-2001', group);
    assert.equal(body.decision.compensation.length, 1);
    const groupStatuses = [];
    for (let i = 0; i < 5; i++) groupStatuses.push((await post(server.url, 'tok-bob', body)).status);
    assert.deepEqual(groupStatuses, [201, 422, 422, 422, 422]);
    // A request the engine refuses: 422 with its decision, nothing stored.
    const crabs = await clientSubmission(server.url, 'tok-alice', 'SO-FRESH-1003', request);
    const refused = await post(server.url, 'tok-alice', crabs);
    assert.equal(refused.status, 422);
    assert.equal((await refused.json()).decision.items[0].denial.code, 'EXCLUDED_PERISHABLE');
    const mine = await (await fetch(server.url + 'api/returns', { headers: auth('tok-alice') })).json();
    assert.equal(mine.length, 1);
    assert.equal(mine[0].service_order.history[0].event, 'submit');
    assert.equal(await checkLedgers(db, ['SO-APPAREL-1001', 'SO-GROUP-2001', 'SO-FRESH-1003']), 2);
    await server.kill();
  });

  test(`${name}: an idempotency key answers a retry with the first answer`, async () => {
    const db = dbOf();
    await seedStress(db, 1);
    const server = await serve(db);
    const request = { kind: 'refund_with_return', items: [{ line_id: 'L1', qty: 1, reason: 'no_reason' }] };
    const body = await clientSubmission(server.url, 'tok-alice', 'ST-0', request);
    const key = { 'Idempotency-Key': randomUUID() };
    const first = await post(server.url, 'tok-alice', body, key);
    const again = await post(server.url, 'tok-alice', body, key);
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(await again.json(), await first.json());
    // The same body under a new key is decided again: the ledger now holds the first return, so
    // the next unit's refund splits differently by tender and the stale decision is refused.
    const stale = await post(server.url, 'tok-alice', body, { 'Idempotency-Key': randomUUID() });
    assert.equal(stale.status, 409);
    assert.ok((await stale.json()).differences.some((d) => d.path === 'refund.by_tender'));
    // Decided on the current ledger, the next unit is a new return.
    const next = await clientSubmission(server.url, 'tok-alice', 'ST-0', request);
    assert.equal((await post(server.url, 'tok-alice', next, { 'Idempotency-Key': randomUUID() })).status, 201);
    assert.equal((await post(server.url, 'tok-alice', body, { 'Idempotency-Key': 'not a key' })).status, 400);
    assert.equal(await checkLedgers(db, ['ST-0']), 2);
    await server.kill();
  });

  test(`${name}: a copy of an accepted submission is refused on a line with units left, and a reused key for another request`, async () => {
    const db = dbOf();
    await seedStress(db, 2, 4);
    const server = await serve(db);
    const request = { kind: 'refund_with_return', items: [{ line_id: 'L1', qty: 1, reason: 'no_reason' }] };
    const body = await clientSubmission(server.url, 'tok-alice', 'ST-0', request);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(server.url, 'tok-alice', body)).status);
    // Decided on the ledger before the first acceptance: the copies are not new requests.
    assert.deepEqual(statuses, [201, 409, 409, 409]);
    const key = randomUUID();
    assert.equal((await post(server.url, 'tok-alice', await clientSubmission(server.url, 'tok-alice', 'ST-0', request), { 'Idempotency-Key': key })).status, 201);
    const other = await post(server.url, 'tok-alice', await clientSubmission(server.url, 'tok-alice', 'ST-1', request), { 'Idempotency-Key': key });
    assert.equal(other.status, 422);
    assert.equal((await other.json()).errors[0].code, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await checkLedgers(db, ['ST-0', 'ST-1']), 2);
    await server.kill();
  });

  test(`${name}: concurrent copies of one submission${name === 'postgres' ? ', across two server processes,' : ''} are accepted once`, async () => {
    const db = dbOf();
    await seedStress(db, 4, 1);
    const servers2 = [await serve(db)];
    if (name === 'postgres') servers2.push(await serve(db));
    const request = { kind: 'refund_with_return', items: [{ line_id: 'L1', qty: 1, reason: 'no_reason' }] };
    let accepted = 0;
    for (const id of ['ST-0', 'ST-1', 'ST-2', 'ST-3']) {
      const body = await clientSubmission(servers2[0].url, 'tok-alice', id, request);
      const keyed = id === 'ST-1' || id === 'ST-3';
      const key = randomUUID();
      const answers = await Promise.all(Array.from({ length: 24 }, (_, i) =>
        post(servers2[i % servers2.length].url, 'tok-alice', body, keyed ? { 'Idempotency-Key': key } : {}).then(async (r) => [r.status, await r.json()])));
      const created = answers.filter(([status]) => status === 201);
      if (keyed) {
        // Every copy is answered the one acceptance.
        assert.equal(created.length, 24, JSON.stringify(answers.map(([s]) => s)));
        assert.equal(new Set(created.map(([, a]) => a.id)).size, 1);
      } else {
        assert.equal(created.length, 1, JSON.stringify(answers.map(([s]) => s)));
        assert.ok(answers.every(([status]) => status === 201 || status === 422));
      }
      accepted += 1;
    }
    assert.equal(await checkLedgers(db, stressIds.slice(0, 4)), accepted);
    for (const s of servers2) await s.kill();
  });

  test(`${name}: hostile requests get 4xx and the server keeps serving`, async () => {
    const db = dbOf();
    await seedStress(db, 0);
    const server = await serve(db);
    const raw = (path, init = {}) => fetch(server.url.slice(0, -1) + path, init).then((r) => r.status).catch(() => 'reset');
    const statuses = {
      badEscape: await raw('/%ff'),
      doubleSlash: await raw('//'),
      nul: await raw('/%00'),
      traversal: await raw('/..%2f..%2fserver.mjs'),
      sibling: await raw('/..%2fpublic-old%2findex.html'),
      pkgEscape: await raw('/pkg/..%2f..%2fCargo.toml'),
      proto: await raw('/api/orders', { headers: auth('__proto__') }),
      ctor: await raw('/api/orders', { headers: auth('constructor') }),
      toString: await raw('/api/orders', { headers: auth('toString') }),
      anonymousEvaluate: await raw('/api/evaluate', { method: 'POST', body: '{}' }),
      evaluateOff: await raw('/api/evaluate', { method: 'POST', headers: auth('tok-alice'), body: '{}' }),
      nullBody: await raw('/api/returns', { method: 'POST', headers: auth('tok-alice'), body: 'null' }),
      numberBody: await raw('/api/returns', { method: 'POST', headers: auth('tok-alice'), body: '1' }),
      deepBody: await raw('/api/returns', { method: 'POST', headers: auth('tok-alice'), body: `{"order_id":"SO-APPAREL-1001","request":${'['.repeat(100000)}${']'.repeat(100000)}}` }),
      deepRequest: await raw('/api/returns', { method: 'POST', headers: auth('tok-alice'), body: JSON.stringify({ order_id: 'SO-APPAREL-1001', request: JSON.parse('{"a":'.repeat(60) + '1' + '}'.repeat(60)) }) }),
      notJson: await raw('/api/returns', { method: 'POST', headers: auth('tok-alice'), body: '{not json' }),
      huge: await raw('/api/returns', { method: 'POST', headers: auth('tok-alice'), body: 'x'.repeat(300 * 1024) }),
      foreign: await raw('/api/returns', { method: 'POST', headers: auth('tok-bob'), body: JSON.stringify({ order_id: 'SO-APPAREL-1001', request: {}, decision: {} }) }),
      missing: await raw('/api/returns', { method: 'POST', headers: auth('tok-bob'), body: JSON.stringify({ order_id: 'SO-NOPE', request: {}, decision: {} }) }),
      noOrderId: await raw('/api/returns', { method: 'POST', headers: auth('tok-alice'), body: JSON.stringify({ order_id: 7 }) }),
      badKey: await raw('/api/policies/%E0%A4%A', { headers: auth('tok-alice') }),
      method: await raw('/', { method: 'DELETE' }),
      packageTests: await raw('/pkg/test/ledger.test.mjs'),
      packageEntry: await raw('/pkg/index.js'),
      fraction: await raw('/api/returns', { method: 'POST', headers: auth('tok-alice'), body: JSON.stringify({ order_id: 'SO-APPAREL-1001', request: {} }).replace('{}', '{"items":[{"qty":1.0}]}') }),
    };
    assert.deepEqual(statuses, {
      badEscape: 400, doubleSlash: 400, nul: 404, traversal: 404, sibling: 404, pkgEscape: 404,
      proto: 401, ctor: 401, toString: 401, anonymousEvaluate: 401, evaluateOff: 404,
      nullBody: 400, numberBody: 400, deepBody: 400, deepRequest: 400, notJson: 400, huge: 413,
      foreign: 403, missing: 403, noOrderId: 403, badKey: 400, method: 405, packageTests: 404, packageEntry: 200, fraction: 400,
    });
    // A request target that is not a path at all, on a raw socket.
    const net = await import('node:net');
    const port = Number(new URL(server.url).port);
    const reply = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => { data += d; socket.end(); });
      socket.on('close', () => resolve(data));
      socket.on('error', () => resolve(data));
    });
    assert.match(reply, /^HTTP\/1\.1 4\d\d/);
    // Malformed HTTP gets 400 before the connection closes.
    const malformed = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('POST /api/returns HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => { data += d; });
      socket.on('close', () => resolve(data));
      socket.on('error', () => resolve(data));
    });
    assert.match(malformed, /^HTTP\/1\.1 400/);
    // Still serving, the page included.
    assert.equal(await raw('/'), 200);
    assert.equal(await raw('/api/orders', { headers: auth('tok-alice') }), 200);
    await server.kill();
  });

  test(`${name}: a body of 80,000 duplicate keys on the conformance endpoint stalls no one`, async () => {
    const db = dbOf();
    await seedStress(db, 0);
    const server = await serve(db, ['--conformance']);
    const keys = Array.from({ length: 80_000 }, () => '"a":1').join(',');
    const body = JSON.stringify({ policy: { id: 'p', version: '1', extends: 'platform-default' }, input: `{${keys}}` });
    assert.ok(body.length > 400_000);
    const heavy = fetch(server.url + 'api/evaluate', { method: 'POST', headers: auth('tok-alice'), body }).then((r) => r.status);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const t0 = performance.now();
    const page = await fetch(server.url);
    const orders = await fetch(server.url + 'api/orders', { headers: auth('tok-alice') });
    const waited = performance.now() - t0;
    assert.equal(page.status, 200);
    assert.equal(orders.status, 200);
    assert.ok(waited < 1000, `the page and the orders waited ${Math.round(waited)} ms behind the heavy body`);
    assert.ok([200, 503].includes(await heavy));
    await server.kill();
  });

  test(`${name}: kill -9 at random moments, ${ROUNDS} times: every 201 stored, nothing else, ledgers the folds of their effects`, async () => {
    const db = dbOf();
    await seedStress(db, STRESS_ORDERS, 6);
    const answered = new Map(); // idempotency key → status
    let server = await serve(db);
    let seed = 7;
    const random = (n) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed >>> 16) % n; // the high bits: the low bits of this generator cycle
    };
    for (let round = 0; round < ROUNDS; round++) {
      let stop = false;
      let acceptedThisRound = 0;
      const worker = async () => {
        while (!stop) {
          const id = stressIds[random(STRESS_ORDERS)];
          const request = { kind: 'refund_with_return', items: [{ line_id: 'L1', qty: 1 + random(2), reason: 'no_reason' }] };
          try {
            const body = await clientSubmission(server.url, 'tok-alice', id, request);
            const key = randomUUID();
            // Sometimes twice under one key (a retry), sometimes twice under two (a duplicate).
            const copies = random(4) === 0 ? [key, key] : random(4) === 0 ? [key, randomUUID()] : [key];
            const results = await Promise.all(copies.map((k) => post(server.url, 'tok-alice', body, { 'Idempotency-Key': k }).then(async (r) => [k, r.status, await r.json()])));
            for (const [k, status] of results) {
              assert.ok([201, 409, 422].includes(status), `status ${status}`);
              if (answered.get(k) !== 201) answered.set(k, status);
              if (status === 201) acceptedThisRound++;
            }
          } catch (e) {
            if (e.code === 'ERR_ASSERTION') throw e;
            return; // the server died mid-request: not answered, so not promised
          }
        }
      };
      const workers = Array.from({ length: 6 }, worker);
      // A random moment after the round's first acceptance: on a loaded machine the first may
      // take longer than the delay, and a round that accepted nothing would test nothing.
      await new Promise((resolve) => setTimeout(resolve, 150 + random(600)));
      for (const started = Date.now(); acceptedThisRound === 0 && Date.now() - started < 30000; ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await server.kill();
      stop = true;
      await Promise.all(workers);
      server = await serve(db);
    }
    await server.kill();
    const stored = await storedSubmissions(db, stressIds);
    const storedKeys = new Set(stored.map((s) => s.idempotency_key));
    const promised = [...answered].filter(([, status]) => status === 201).map(([k]) => k);
    const refused = [...answered].filter(([, status]) => status !== 201).map(([k]) => k);
    assert.deepEqual(promised.filter((k) => !storedKeys.has(k)), [], 'an answered 201 was lost');
    assert.deepEqual(refused.filter((k) => storedKeys.has(k)), [], 'a request answered otherwise was stored');
    const folded = await checkLedgers(db, stressIds);
    assert.equal(folded, stored.length);
    console.log(`kill -9 (${name}): ${ROUNDS} rounds, ${promised.length} answered 201, ${refused.length} answered 409/422, ${stored.length} stored (${stored.length - promised.length} committed as the process died), every ledger the fold of its effects`);
    assert.ok(promised.length >= ROUNDS, `only ${promised.length} accepted`);
  });
}
