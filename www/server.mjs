// The reference integration: serves the return-request page and the npm package, holds the
// policies (compiled once at start) and the orders (its own store: the client's copy is never
// trusted), and re-validates every submission with the same .wasm and its own clock.
//
//   node www/server.mjs [--port 8080] [--data DIR]
//
// API (every call names its shopper with `Authorization: Bearer <token>`):
//   GET  /api/orders              the shopper's orders, with the policy each is decided under
//   GET  /api/policies/:id@:ver   a policy document (the page compiles it in the browser)
//   POST /api/returns             {order_id, request, decision}: 201 stored | 409 differences |
//                                 400 input errors | 403 not the shopper's order
//   GET  /api/returns             the shopper's accepted requests
//   POST /api/evaluate            {policy, input}: the engine's answer, for conformance tests
import { createServer } from 'node:http';
import { readFileSync, existsSync, mkdirSync, openSync, writeSync, fsyncSync, closeSync, statSync } from 'node:fs';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { compilePolicy, PolicyError } from '../pkg/node.mjs';
import { sampleData } from './samples.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const MAX_BODY = 256 * 1024;
// The conformance endpoint carries the corpus's hostile inputs (a 10 MB string): large enough
// that the engine's own limits, not the server's, answer them.
const EVALUATE_MAX_BODY = 32 * 1024 * 1024;
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png' };

/** The fields of a decision that must agree between client and server (not clock-dependent ones). */
export function differences(client, server) {
  const out = [];
  const compare = (path, a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    if (x !== y) out.push({ path, client: a === undefined ? null : a, server: b === undefined ? null : b });
  };
  if (!client || typeof client !== 'object') return [{ path: 'decision', client: client === undefined ? null : client, server: 'a decision object' }];
  for (const key of ['type', 'engine_version', 'policy_id', 'policy_version', 'policy_hash', 'kind']) compare(key, client[key], server[key]);
  const items = Math.max((client.items || []).length, (server.items || []).length);
  for (let i = 0; i < items; i++) {
    const a = (client.items || [])[i] || {};
    const b = (server.items || [])[i] || {};
    for (const key of ['line_id', 'qty', 'eligible', 'refund', 'resolutions']) compare(`items[${i}].${key}`, a[key], b[key]);
    compare(`items[${i}].denial.code`, a.denial && a.denial.code, b.denial && b.denial.code);
  }
  for (const key of ['items', 'shipping', 'deductions', 'total', 'by_tender', 'coupons_restored']) compare(`refund.${key}`, (client.refund || {})[key], (server.refund || {})[key]);
  compare('return_shipping', client.return_shipping, server.return_shipping);
  compare('liability', client.liability, server.liability);
  compare('compensation', (client.compensation || []).map((c) => [c.rule, c.amount]), (server.compensation || []).map((c) => [c.rule, c.amount]));
  compare('requirements', client.requirements, server.requirements);
  return out;
}

/** An fsync'd append-only log of accepted requests: one JSON line each, replayed at start. */
class ReturnLog {
  constructor(file) {
    this.file = file;
    this.entries = [];
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          this.entries.push(JSON.parse(line));
        } catch (e) {
          break; // a torn last line from a crash mid-write: everything before it is intact
        }
      }
    }
    this.fd = openSync(file, 'a');
  }

  append(entry) {
    writeSync(this.fd, JSON.stringify(entry) + '\n');
    fsyncSync(this.fd); // durable before the 201 goes out
    this.entries.push(entry);
  }

  close() {
    closeSync(this.fd);
  }
}

export function start({ port = 8080, host = '127.0.0.1', dataDir = join(here, 'data'), clock = () => new Date() } = {}) {
  mkdirSync(dataDir, { recursive: true });
  const data = sampleData(dataDir, clock());
  const policies = new Map();
  for (const doc of data.policies) policies.set(`${doc.id}@${doc.version}`, { doc, compiled: compilePolicy(doc) });
  const log = new ReturnLog(join(dataDir, 'returns.log'));

  function send(res, status, body) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
  }

  function shopperOf(req) {
    const auth = req.headers.authorization || '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    return data.shoppers[token] || null;
  }

  function readBody(req, max = MAX_BODY) {
    return new Promise((resolve, reject) => {
      let size = 0;
      let chunks = [];
      req.on('data', (chunk) => {
        size += chunk.length;
        if (size > max) {
          // Answer at once and discard the rest; the connection closes after the answer.
          chunks = [];
          reject(Object.assign(new Error('too large'), { status: 413 }));
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  async function api(req, res, url) {
    if (url === '/api/evaluate' && req.method === 'POST') {
      const body = JSON.parse(await readBody(req, EVALUATE_MAX_BODY));
      let policy;
      try {
        policy = compilePolicy(body.policy);
      } catch (e) {
        if (e instanceof PolicyError) return send(res, 200, e.answerJson);
        throw e;
      }
      try {
        return send(res, 200, body.service ? policy.serviceOrderJson(body.input) : policy.evaluateJson(body.input));
      } finally {
        policy.free();
      }
    }
    const shopper = shopperOf(req);
    if (!shopper) return send(res, 401, { type: 'errors', errors: [{ code: 'UNAUTHENTICATED', path: '', message: 'a shopper token is required' }] });
    if (url === '/api/orders' && req.method === 'GET') {
      return send(res, 200, data.orders.filter((o) => o.shopper === shopper).map((o) => ({ title: o.title, policy: o.policy, order: o.order })));
    }
    if (url.startsWith('/api/policies/') && req.method === 'GET') {
      const entry = policies.get(decodeURIComponent(url.slice('/api/policies/'.length)));
      return entry ? send(res, 200, entry.doc) : send(res, 404, { type: 'errors', errors: [{ code: 'NOT_FOUND', path: '', message: 'no such policy' }] });
    }
    if (url === '/api/returns' && req.method === 'GET') {
      return send(res, 200, log.entries.filter((e) => e.shopper === shopper));
    }
    if (url === '/api/returns' && req.method === 'POST') {
      let body;
      try {
        body = JSON.parse(await readBody(req));
      } catch (e) {
        if (e.status === 413) throw e;
        return send(res, 400, { type: 'errors', errors: [{ code: 'INVALID_JSON', path: '', message: 'the body is not JSON' }] });
      }
      const stored = data.orders.find((o) => o.order.id === (body && body.order_id));
      // Another shopper's order and no order at all answer alike: existence is not revealed.
      if (!stored || stored.shopper !== shopper) {
        return send(res, 403, { type: 'errors', errors: [{ code: 'FORBIDDEN', path: 'order_id', message: 'no such order for this shopper' }] });
      }
      const now = clock().toISOString();
      const policy = policies.get(stored.policy).compiled;
      const answer = JSON.parse(policy.evaluateJson(JSON.stringify({ order: stored.order, request: body.request, now })));
      if (answer.type === 'errors') return send(res, 400, answer);
      const diff = differences(body.decision, answer);
      if (diff.length) return send(res, 409, { type: 'mismatch', message: 'the server decided differently', differences: diff, decision: answer });
      const entry = { id: randomUUID(), shopper, order_id: stored.order.id, request: body.request, decision: answer, created_at: now };
      log.append(entry);
      return send(res, 201, { type: 'accepted', id: entry.id, order_id: entry.order_id, request: entry.request, decision: answer, created_at: now });
    }
    return send(res, 404, { type: 'errors', errors: [{ code: 'NOT_FOUND', path: '', message: `no route ${req.method} ${url}` }] });
  }

  function file(res, path) {
    if (!existsSync(path) || !statSync(path).isFile()) return send(res, 404, { type: 'errors', errors: [{ code: 'NOT_FOUND', path: '', message: 'not found' }] });
    res.writeHead(200, { 'Content-Type': TYPES[extname(path)] || 'application/octet-stream' }).end(readFileSync(path));
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost').pathname;
    if (url.startsWith('/api/')) {
      api(req, res, url).catch((e) => {
        if (res.headersSent) return;
        if (e && e.status === 413) {
          res.setHeader('Connection', 'close');
          return send(res, 413, { type: 'errors', errors: [{ code: 'LIMIT_EXCEEDED', path: '', message: `bodies are at most ${MAX_BODY} bytes` }] });
        }
        if (e instanceof SyntaxError) return send(res, 400, { type: 'errors', errors: [{ code: 'INVALID_JSON', path: '', message: 'the body is not JSON' }] });
        send(res, 500, { type: 'errors', errors: [{ code: 'INTERNAL', path: '', message: 'the server failed' }] });
      });
      return;
    }
    // The package under /pkg/, the page at /.
    const root = url.startsWith('/pkg/') ? join(here, '..', 'pkg') : join(here, 'public');
    const rel = url.startsWith('/pkg/') ? url.slice('/pkg/'.length) : url === '/' ? 'index.html' : url.slice(1);
    const path = normalize(join(root, decodeURIComponent(rel)));
    if (!path.startsWith(root)) return send(res, 404, { type: 'errors', errors: [{ code: 'NOT_FOUND', path: '', message: 'not found' }] });
    file(res, path);
  });

  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const address = server.address();
      resolve({
        url: `http://${host}:${address.port}/`,
        close: () => new Promise((done) => { log.close(); server.close(() => done()); }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const { url } = await start({ port: Number(arg('--port', process.env.PORT || 8080)), dataDir: arg('--data', join(here, 'data')) });
  console.log(`aftersale-rules demo: ${url}  (shoppers: alice → token tok-alice, bob → tok-bob; Ctrl-C to stop)`);
}
