// What the server tests share: a throw-away PostgreSQL cluster, server processes that can be
// killed with SIGKILL, stress data, the client's side of a submission (decided in the package,
// as the page does), and the check that every order's ledger is exactly the fold of the effects
// of its accepted submissions.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, existsSync, chownSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePolicy, applyEffects } from '../../pkg/node.mjs';
import { openStore } from '../lib/store.mjs';
import { sampleData } from '../lib/seed.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const auth = (token) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });
const DAY = 86_400_000;

/** Engine vocabulary leaking into a shopper's zh-CN view: identifiers, codes, legal references, English words. */
export function leaks(text) {
  const found = [];
  for (const pattern of [/\b[A-Za-z0-9]+_[A-Za-z0-9_]+\b/g, /\b(?:CN|EU)-[A-Z0-9]+(?:-[A-Z0-9]+)*\b/g, /\b[a-z]{2,}\b/g, /\bL\d+\b/g, /[{}[\]]/g]) {
    found.push(...(text.match(pattern) || []));
  }
  return found;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * A PostgreSQL cluster in a temporary folder, started on a free port and stopped by `stop()`.
 * Root cannot run PostgreSQL: as root, the cluster belongs to the `postgres` user.
 */
export async function startPostgres() {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error('PostgreSQL is not installed (scripts/setup.sh installs Debian\'s postgresql)');
  const bin = `/usr/lib/postgresql/${versions[0]}/bin`;
  const dir = mkdtempSync(join(tmpdir(), 'aftersale-pg-'));
  const asRoot = process.getuid && process.getuid() === 0;
  const run = (cmd, args) => (asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' }));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  run(`${bin}/initdb`, ['-D', `${dir}/data`, '-A', 'trust', '-U', 'app', '--no-sync']);
  run(`${bin}/pg_ctl`, ['-D', `${dir}/data`, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on`, '-l', `${dir}/log`, '-w', 'start']);
  let stopped = false;
  return {
    url: `postgres://app@127.0.0.1:${port}/postgres`,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(`${bin}/pg_ctl`, ['-D', `${dir}/data`, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A server process (`--port 0`), ready when it prints its URL; `kill()` is SIGKILL. */
export function spawnServer(db, extra = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'www', 'server.mjs'), '--port', '0', '--db', db, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve({ child, url: m[0], kill: () => killed(child) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { out += chunk; });
    child.on('exit', (code, signal) => reject(new Error(`server exited ${code ?? signal}: ${out}`)));
  });
}

/** Debian's Chromium through playwright-core, headless, as the browser tests use it. */
export function launchChromium() {
  const { chromium } = createRequire(import.meta.url)(join(root, '.tools', 'node_modules', 'playwright-core'));
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

function killed(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/**
 * A fresh database `db`: the sample data plus `n` orders for alice of one apparel line of
 * `units` units, delivered two days ago, each paid partly in points (so tender splits count).
 */
export async function seedStress(db, n, units = 5) {
  const now = new Date();
  const data = sampleData(now);
  const at = (days) => new Date(now.getTime() - days * DAY).toISOString();
  for (let i = 0; i < n; i++) {
    const price = 10_000 + 37 * i;
    const paid = price * units;
    const points = Math.floor(paid / 7);
    data.orders.push({
      shopper: 'alice', policy: data.orders[0].policy, title: { 'zh-CN': `压测订单 ${i}`, en: `Stress order ${i}` },
      order: {
        id: `ST-${i}`, currency: 'CNY', placed_at: at(4), paid_at: at(4), promised_ship_by: at(3), shipped_at: at(3), delivered_at: at(2),
        payments: [{ tender: 'original_payment', amount: paid - points }, { tender: 'points', amount: points, points: points * 10 }],
        lines: [{ id: 'L1', title: `T-shirt ${i}`, category: 'apparel', unit_price: price, quantity: units }],
      },
    });
  }
  const store = await openStore(db);
  await store.seed(data, now.toISOString());
  await store.close();
  return data;
}

/** The client's side: the order and ledger as the server lists them, decided in the package. */
export async function clientSubmission(base, token, orderId, request) {
  const orders = await (await fetch(base + 'api/orders', { headers: auth(token) })).json();
  const stored = orders.find((o) => o.order.id === orderId);
  const doc = await (await fetch(base + 'api/policies/' + encodeURIComponent(stored.policy), { headers: auth(token) })).json();
  const policy = compilePolicy(doc);
  const decision = policy.evaluate(stored.order, request, new Date().toISOString(), stored.ledger);
  policy.free();
  return { order_id: orderId, request, decision };
}

/**
 * Every order's stored ledger is the fold of its accepted submissions' effects, version by
 * version from the empty ledger; `applyEffects` checks each step against the order (no line or
 * tender paid back beyond what it paid). Returns how many submissions were folded.
 */
export async function checkLedgers(db, orderIds) {
  const store = await openStore(db);
  let folded = 0;
  try {
    for (const id of orderIds) {
      const row = await store.order(id);
      const submissions = await store.submissionsOfOrder(id);
      let ledger = {};
      submissions.forEach((s, i) => {
        if (s.ledger_version !== i) throw new Error(`${id}: submission ${i} was decided on ledger version ${s.ledger_version}`);
        const next = applyEffects(row.order, ledger, s.decision.effects);
        if (next.type === 'errors') throw new Error(`${id}: the effects of submission ${i} do not apply: ${JSON.stringify(next.errors)}`);
        ledger = next;
        folded += 1;
      });
      const expected = submissions.length ? ledger : {};
      if (JSON.stringify(row.ledger) !== JSON.stringify(expected) || row.version !== submissions.length) {
        throw new Error(`${id}: the stored ledger (version ${row.version}) is not the fold of its ${submissions.length} submissions:\n${JSON.stringify(row.ledger)}\n${JSON.stringify(expected)}`);
      }
    }
  } finally {
    await store.close();
  }
  return folded;
}

/** Every stored submission of the orders: `{id, idempotency_key, ledger_version, decision}`. */
export async function storedSubmissions(db, orderIds) {
  const store = await openStore(db);
  try {
    const out = [];
    for (const id of orderIds) out.push(...(await store.submissionsOfOrder(id)));
    return out;
  } finally {
    await store.close();
  }
}
