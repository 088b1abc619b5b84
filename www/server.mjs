// The reference integration: serves the return-request page and the npm package, keeps its
// shoppers, orders, their ledgers and the accepted requests in a database (SQLite by default,
// PostgreSQL for several processes), and re-decides every submission with the same engine, its
// own clock, its own copy of the order and the order's ledger.
//
//   node www/server.mjs [--port 8080] [--db sqlite:www/data/aftersale.db | postgres://…]
//                       [--reset] [--demo] [--conformance] [--conformance-budget-ms 5000]
//
// An empty database is seeded with the sample shoppers and orders; `--reset` seeds it again
// (deleting everything), and `--demo` does so by itself once the samples have aged past their
// windows. A production integration runs with neither.
//
// API (every call names its shopper with `Authorization: Bearer <token>`):
//   GET  /api/orders              the shopper's orders, each with its ledger and policy
//   GET  /api/policies/:id@:ver   a policy document (the page compiles it in the browser)
//   POST /api/returns             {order_id, request, decision} [Idempotency-Key]: 201 accepted
//                                 (the ledger records its effects) | 400 input errors | 403 not
//                                 the shopper's order | 409 decided otherwise (with the server's
//                                 decision) | 422 nothing grantable (with it) | 413 | 503 busy
//   GET  /api/returns             the shopper's accepted requests
//   POST /api/evaluate            {policy, input, service}: the engine's answer, for conformance
//                                 tests; only with --conformance
//
// Every evaluation runs in a pool of worker threads with a time budget and a bounded queue;
// bodies are bounded before they are read; no request can end or stall the process.
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, sha256 } from './lib/store.mjs';
import { startEngine, EngineBusy } from './lib/engine.mjs';
import { HttpError, errors, send, readBody, jsonObject, staticFile } from './lib/http.mjs';
import { submit, differences } from './lib/submit.mjs';
import { sampleData, SAMPLES_LAST_DAYS } from './lib/seed.mjs';

export { differences };

const here = dirname(fileURLToPath(import.meta.url));
const MAX_BODY = 256 * 1024;
// The conformance endpoint carries the corpus's hostile inputs (a 10 MB string): large enough
// that the engine's own limits, not the server's, answer them.
const EVALUATE_MAX_BODY = 32 * 1024 * 1024;
const DAY = 86_400_000;
/** The package files the page loads: its browser entry, the API it imports, the engine, the schemas. */
const PACKAGE_FILES = ['/index.js', '/labels.js', '/src/', '/dist/', '/schema/'];

export const DEFAULT_DB = `sqlite:${join(here, 'data', 'aftersale.db')}`;

/**
 * Starts the server; resolves to `{url, close}`. `clock` is the server's "now" (tests move it);
 * `engine` options: `threads`, `maxQueue`, `budgetMs`, `conformanceBudgetMs`.
 */
export async function start({
  port = 8080, host = '127.0.0.1', db = DEFAULT_DB, reset = false, demo = false, conformance = false, clock = () => new Date(), engine: engineOptions = {},
} = {}) {
  const store = await openStore(db);
  const seededAt = await store.seededAt();
  const stale = demo && seededAt && clock().getTime() - Date.parse(seededAt) > SAMPLES_LAST_DAYS * DAY;
  if (reset || !seededAt || stale) {
    await store.seed(sampleData(clock()), clock().toISOString());
    if (stale && !reset) console.log(`aftersale-rules demo: the sample orders were ${SAMPLES_LAST_DAYS}+ days old; seeded them again`);
  }
  const shoppers = new Map((await store.shoppers()).map((s) => [s.token_sha256, s.id]));
  const policies = new Map((await store.policies()).map((p) => [p.key, p.doc]));
  const engine = startEngine({ policies: [...policies].map(([key, doc]) => ({ key, doc })), conformance, ...engineOptions });
  const context = { store, engine, clock };

  /** The shopper a bearer token names: the token's hash is the key, so no secret is compared. */
  function shopperOf(req) {
    const auth = req.headers.authorization || '';
    if (!auth.startsWith('Bearer ') || auth.length > 512) return null;
    return shoppers.get(sha256(auth.slice(7))) || null;
  }

  async function api(req, res, path) {
    const shopper = shopperOf(req);
    if (!shopper) throw new HttpError(401, 'UNAUTHENTICATED', 'a shopper token is required');
    if (path === '/api/evaluate' && req.method === 'POST') {
      if (!conformance) throw new HttpError(404, 'NOT_FOUND', 'the conformance endpoint is off (start the server with --conformance)');
      const body = jsonObject(await readBody(req, EVALUATE_MAX_BODY));
      const policy = typeof body.policy === 'string' ? body.policy : JSON.stringify(body.policy === undefined ? null : body.policy);
      const input = typeof body.input === 'string' ? body.input : JSON.stringify(body.input === undefined ? null : body.input);
      return send(res, 200, (await engine.conformance(policy, input, body.service === true)).answer);
    }
    if (path === '/api/orders' && req.method === 'GET') {
      const orders = await store.ordersOf(shopper);
      return send(res, 200, orders.map((o) => ({ title: o.title, policy: o.policy_key, order: o.order, ledger: o.ledger })));
    }
    if (path.startsWith('/api/policies/') && req.method === 'GET') {
      let key;
      try {
        key = decodeURIComponent(path.slice('/api/policies/'.length));
      } catch {
        throw new HttpError(400, 'INVALID_VALUE', 'the policy key is not valid percent-encoding');
      }
      const doc = policies.get(key);
      return doc ? send(res, 200, doc) : send(res, 404, errors('NOT_FOUND', '', 'no such policy'));
    }
    if (path === '/api/returns' && req.method === 'GET') return send(res, 200, await store.submissionsOf(shopper));
    if (path === '/api/returns' && req.method === 'POST') {
      const key = req.headers['idempotency-key'];
      if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
        throw new HttpError(400, 'INVALID_VALUE', 'an Idempotency-Key is 1 to 200 visible ASCII characters');
      }
      const body = jsonObject(await readBody(req, MAX_BODY));
      const { status, body: answer } = await submit(context, shopper, body, key);
      return send(res, status, answer);
    }
    throw new HttpError(404, 'NOT_FOUND', `no route ${req.method} ${path}`);
  }

  function fail(res, e) {
    if (e instanceof HttpError) return send(res, e.status, e.body, e.headers);
    if (e instanceof EngineBusy) return send(res, 503, errors('ENGINE_BUSY', '', e.message), { 'Retry-After': '1' });
    console.error(e);
    return send(res, 500, errors('INTERNAL', '', 'the server failed'));
  }

  const server = createServer((req, res) => {
    let path;
    try {
      path = new URL(req.url, 'http://localhost').pathname;
    } catch {
      return send(res, 400, errors('INVALID_VALUE', '', 'the request target is not a URL path'));
    }
    if (path.startsWith('/api/')) return void api(req, res, path).catch((e) => fail(res, e));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, errors('NOT_ALLOWED', '', 'only GET here'), { Allow: 'GET' });
    // The package's browser entry under /pkg/ (what the page loads, nothing else of the package), the page at /.
    if (path.startsWith('/pkg/')) {
      const rel = path.slice('/pkg'.length);
      if (!PACKAGE_FILES.some((prefix) => rel === prefix || (prefix.endsWith('/') && rel.startsWith(prefix)))) {
        return send(res, 404, errors('NOT_FOUND', '', 'not found'));
      }
      return staticFile(res, join(here, '..', 'pkg'), rel);
    }
    // The playground: a static page on the package (its state lives in its address).
    return staticFile(res, join(here, 'public'), path === '/playground' ? '/playground.html' : path);
  });
  // A request that is not HTTP: answer 400 where the socket still takes it, then close.
  server.on('clientError', (e, socket) => {
    if (socket.writable && !socket.writableEnded) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}/`,
    store,
    close: async () => {
      await new Promise((done) => server.close(() => done()));
      await engine.close();
      await store.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const arg = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
  };
  const { url } = await start({
    port: Number(arg('--port', process.env.PORT || 8080)),
    db: arg('--db', process.env.DATABASE_URL || DEFAULT_DB),
    reset: args.includes('--reset'),
    demo: args.includes('--demo'),
    conformance: args.includes('--conformance'),
    // The most one conformance evaluation may take before its worker is ended (503): the
    // engine's own limits keep every evaluation far below it; tests lower it to see it work.
    engine: { conformanceBudgetMs: Number(arg('--conformance-budget-ms', 5000)) },
  });
  console.log(`aftersale-rules demo: ${url}  (shoppers: alice → token tok-alice, bob → tok-bob; Ctrl-C to stop)`);
}
