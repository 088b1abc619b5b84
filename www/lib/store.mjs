// The server's state in a real database, behind one small interface with two implementations:
// SQLite (better-sqlite3, embedded, the default) and PostgreSQL (pg, for several server
// processes sharing one database). Both keep the same tables, written by the same migrations:
//
//   shoppers        id, name, the SHA-256 of their token (never the token)
//   policies        policy documents by `id@version`
//   orders          the order document, its shopper and policy
//   order_lines     the lines of each order, for listing and reporting
//   ledgers         each order's ledger (what was accepted on it) and its version
//   submissions     accepted requests: request, server decision, the answer sent, and the
//                   ledger version they were decided on — unique per order and version, and per
//                   shopper and idempotency key, so a request can never be accepted twice
//   service_orders  the after-sales order each accepted request opens
//   meta            when the sample data was seeded
//
// `accept` is the one write that matters: in a single transaction it locks the order's ledger,
// replays an earlier answer for a repeated idempotency key, refuses a ledger that moved since
// the decision (the caller decides again), and stores the submission, the new ledger and the
// service order together.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Every migration, in order; each runs once, in a transaction, recorded in schema_migrations. */
export const MIGRATIONS = [
  `CREATE TABLE shoppers (id TEXT PRIMARY KEY, name TEXT NOT NULL, token_sha256 TEXT NOT NULL UNIQUE);
   CREATE TABLE policies (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
   CREATE TABLE orders (
     id TEXT PRIMARY KEY, shopper_id TEXT NOT NULL REFERENCES shoppers(id), policy_key TEXT NOT NULL REFERENCES policies(key),
     title_zh TEXT NOT NULL, title_en TEXT NOT NULL, doc TEXT NOT NULL);
   CREATE TABLE order_lines (
     order_id TEXT NOT NULL REFERENCES orders(id), line_id TEXT NOT NULL, position INTEGER NOT NULL, title TEXT,
     category TEXT NOT NULL, unit_price BIGINT NOT NULL, quantity INTEGER NOT NULL, PRIMARY KEY (order_id, line_id));
   CREATE TABLE ledgers (order_id TEXT PRIMARY KEY REFERENCES orders(id), version INTEGER NOT NULL, doc TEXT NOT NULL);
   CREATE TABLE submissions (
     id TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(id), shopper_id TEXT NOT NULL REFERENCES shoppers(id),
     ledger_version INTEGER NOT NULL, idempotency_key TEXT, request TEXT NOT NULL, decision TEXT NOT NULL,
     response TEXT NOT NULL, created_at TEXT NOT NULL,
     UNIQUE (order_id, ledger_version), UNIQUE (shopper_id, idempotency_key));
   CREATE TABLE service_orders (
     id TEXT PRIMARY KEY, submission_id TEXT NOT NULL UNIQUE REFERENCES submissions(id), state TEXT NOT NULL,
     doc TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // What an idempotency key was first used for, so that reusing it for another request is refused.
  `ALTER TABLE submissions ADD COLUMN fingerprint TEXT`,
];

export const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Splits a migration into statements (no statement here holds a semicolon of its own). */
const statements = (sql) => sql.split(';').map((s) => s.trim()).filter(Boolean);

/** The rows `seed` writes for the sample data (or any data of the same shape). */
function seedRows(data, seededAt) {
  const rows = { shoppers: [], policies: [], orders: [], lines: [], ledgers: [] };
  for (const s of data.shoppers) rows.shoppers.push([s.id, s.name, sha256(s.token)]);
  for (const p of data.policies) rows.policies.push([`${p.id}@${p.version}`, JSON.stringify(p)]);
  for (const o of data.orders) {
    rows.orders.push([o.order.id, o.shopper, o.policy, o.title['zh-CN'], o.title.en, JSON.stringify(o.order)]);
    o.order.lines.forEach((l, i) => rows.lines.push([o.order.id, l.id, i, l.title || null, l.category, l.unit_price, l.quantity]));
    rows.ledgers.push([o.order.id, 0, '{}']);
  }
  rows.meta = [['seeded_at', seededAt]];
  return rows;
}

const SEED_SQL = {
  shoppers: 'INSERT INTO shoppers (id, name, token_sha256) VALUES ($1, $2, $3)',
  policies: 'INSERT INTO policies (key, doc) VALUES ($1, $2)',
  orders: 'INSERT INTO orders (id, shopper_id, policy_key, title_zh, title_en, doc) VALUES ($1, $2, $3, $4, $5, $6)',
  lines: 'INSERT INTO order_lines (order_id, line_id, position, title, category, unit_price, quantity) VALUES ($1, $2, $3, $4, $5, $6, $7)',
  ledgers: 'INSERT INTO ledgers (order_id, version, doc) VALUES ($1, $2, $3)',
  meta: 'INSERT INTO meta (key, value) VALUES ($1, $2)',
};
const CLEAR = ['service_orders', 'submissions', 'ledgers', 'order_lines', 'orders', 'policies', 'shoppers', 'meta'];

const ORDER_SQL = `SELECT o.id, o.shopper_id, o.policy_key, o.title_zh, o.title_en, o.doc, l.version, l.doc AS ledger
  FROM orders o JOIN ledgers l ON l.order_id = o.id`;

function orderRow(r) {
  return {
    id: r.id, shopper_id: r.shopper_id, policy_key: r.policy_key, title: { 'zh-CN': r.title_zh, en: r.title_en },
    order: JSON.parse(r.doc), ledger: JSON.parse(r.ledger), version: Number(r.version),
  };
}

const auditRow = (r) => ({ id: r.id, idempotency_key: r.idempotency_key, ledger_version: Number(r.ledger_version), decision: JSON.parse(r.decision) });

const submissionRow = (r) => ({ ...JSON.parse(r.response).body, service_order: r.service_order ? JSON.parse(r.service_order) : null });

/** SQLite through better-sqlite3: synchronous, WAL, `synchronous=FULL` (a 201 is on disk). */
class SqliteStore {
  constructor(file) {
    const Database = require('better-sqlite3');
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.kind = 'sqlite';
  }

  q(sql) {
    return this.db.prepare(sql.replace(/\$\d+/g, '?'));
  }

  async migrate() {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set(this.q('SELECT version FROM schema_migrations').all().map((r) => r.version));
    MIGRATIONS.forEach((sql, i) => {
      if (done.has(i + 1)) return;
      this.db.transaction(() => {
        for (const s of statements(sql)) this.db.exec(s);
        this.q('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)').run(i + 1, new Date().toISOString());
      }).immediate();
    });
  }

  async seed(data, seededAt) {
    const rows = seedRows(data, seededAt);
    this.db.transaction(() => {
      for (const t of CLEAR) this.db.exec(`DELETE FROM ${t}`);
      for (const [table, sql] of Object.entries(SEED_SQL)) {
        const stmt = this.q(sql);
        for (const row of rows[table]) stmt.run(...row);
      }
    }).immediate();
  }

  async seededAt() {
    const row = this.q("SELECT value FROM meta WHERE key = 'seeded_at'").get();
    return row ? row.value : null;
  }

  async shoppers() {
    return this.q('SELECT id, name, token_sha256 FROM shoppers').all();
  }

  async policies() {
    return this.q('SELECT key, doc FROM policies ORDER BY key').all().map((r) => ({ key: r.key, doc: JSON.parse(r.doc) }));
  }

  async ordersOf(shopperId) {
    return this.q(`${ORDER_SQL} WHERE o.shopper_id = $1 ORDER BY o.id`).all(shopperId).map(orderRow);
  }

  async order(orderId) {
    const r = this.q(`${ORDER_SQL} WHERE o.id = $1`).get(orderId);
    return r ? orderRow(r) : null;
  }

  async replay(shopperId, key) {
    const r = this.q('SELECT response, fingerprint FROM submissions WHERE shopper_id = $1 AND idempotency_key = $2').get(shopperId, key);
    return r ? { response: JSON.parse(r.response), fingerprint: r.fingerprint } : null;
  }

  async accept(a) {
    // BEGIN IMMEDIATE: the write lock is taken first, so the version read below cannot move.
    return this.db.transaction(() => {
      if (a.idempotency_key) {
        const earlier = this.q('SELECT response, fingerprint FROM submissions WHERE shopper_id = $1 AND idempotency_key = $2').get(a.shopper_id, a.idempotency_key);
        if (earlier) return { replay: { response: JSON.parse(earlier.response), fingerprint: earlier.fingerprint } };
      }
      const ledger = this.q('SELECT version FROM ledgers WHERE order_id = $1').get(a.order_id);
      if (!ledger || Number(ledger.version) !== a.ledger_version) return { stale: true };
      this.q('INSERT INTO submissions (id, order_id, shopper_id, ledger_version, idempotency_key, fingerprint, request, decision, response, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)')
        .run(a.id, a.order_id, a.shopper_id, a.ledger_version, a.idempotency_key || null, a.fingerprint, a.request, a.decision, JSON.stringify(a.response), a.created_at);
      this.q('UPDATE ledgers SET version = $1, doc = $2 WHERE order_id = $3').run(a.ledger_version + 1, a.ledger, a.order_id);
      this.q('INSERT INTO service_orders (id, submission_id, state, doc, updated_at) VALUES ($1, $2, $3, $4, $5)')
        .run(a.service_order.id, a.id, 'submitted', JSON.stringify(a.service_order), a.created_at);
      return { accepted: true };
    }).immediate();
  }

  async submissionsOf(shopperId) {
    return this.q(`SELECT s.response, so.doc AS service_order FROM submissions s LEFT JOIN service_orders so ON so.submission_id = s.id
      WHERE s.shopper_id = $1 ORDER BY s.created_at, s.id`).all(shopperId).map(submissionRow);
  }

  /** Every accepted submission of an order, oldest first (for tests and audits). */
  async submissionsOfOrder(orderId) {
    return this.q('SELECT id, idempotency_key, ledger_version, decision FROM submissions WHERE order_id = $1 ORDER BY ledger_version').all(orderId).map(auditRow);
  }

  async close() {
    this.db.close();
  }
}

/** PostgreSQL through pg: a pool; `accept` locks the order's ledger row (`FOR UPDATE`). */
class PostgresStore {
  constructor(url) {
    const { Pool } = require('pg');
    this.pool = new Pool({ connectionString: url, max: 8 });
    this.pool.on('error', () => { /* a dropped idle connection: the next query reconnects */ });
    this.kind = 'postgres';
  }

  async tx(fn) {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  async migrate() {
    await this.tx(async (c) => {
      // One migrating process at a time.
      await c.query('SELECT pg_advisory_xact_lock(7031995)');
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      const done = new Set((await c.query('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      for (const [i, sql] of MIGRATIONS.entries()) {
        if (done.has(i + 1)) continue;
        for (const s of statements(sql)) await c.query(s);
        await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [i + 1, new Date().toISOString()]);
      }
    });
  }

  async seed(data, seededAt) {
    const rows = seedRows(data, seededAt);
    await this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(7031995)');
      await c.query(`TRUNCATE ${CLEAR.join(', ')}`);
      for (const [table, sql] of Object.entries(SEED_SQL)) for (const row of rows[table]) await c.query(sql, row);
    });
  }

  async seededAt() {
    const r = await this.pool.query("SELECT value FROM meta WHERE key = 'seeded_at'");
    return r.rows.length ? r.rows[0].value : null;
  }

  async shoppers() {
    return (await this.pool.query('SELECT id, name, token_sha256 FROM shoppers')).rows;
  }

  async policies() {
    return (await this.pool.query('SELECT key, doc FROM policies ORDER BY key')).rows.map((r) => ({ key: r.key, doc: JSON.parse(r.doc) }));
  }

  async ordersOf(shopperId) {
    return (await this.pool.query(`${ORDER_SQL} WHERE o.shopper_id = $1 ORDER BY o.id`, [shopperId])).rows.map(orderRow);
  }

  async order(orderId) {
    const r = await this.pool.query(`${ORDER_SQL} WHERE o.id = $1`, [orderId]);
    return r.rows.length ? orderRow(r.rows[0]) : null;
  }

  async replay(shopperId, key) {
    const r = await this.pool.query('SELECT response, fingerprint FROM submissions WHERE shopper_id = $1 AND idempotency_key = $2', [shopperId, key]);
    return r.rows.length ? { response: JSON.parse(r.rows[0].response), fingerprint: r.rows[0].fingerprint } : null;
  }

  async accept(a) {
    try {
      return await this.tx(async (c) => {
        const ledger = await c.query('SELECT version FROM ledgers WHERE order_id = $1 FOR UPDATE', [a.order_id]);
        if (a.idempotency_key) {
          const earlier = await c.query('SELECT response, fingerprint FROM submissions WHERE shopper_id = $1 AND idempotency_key = $2', [a.shopper_id, a.idempotency_key]);
          if (earlier.rows.length) return { replay: { response: JSON.parse(earlier.rows[0].response), fingerprint: earlier.rows[0].fingerprint } };
        }
        if (!ledger.rows.length || Number(ledger.rows[0].version) !== a.ledger_version) return { stale: true };
        await c.query('INSERT INTO submissions (id, order_id, shopper_id, ledger_version, idempotency_key, fingerprint, request, decision, response, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
          [a.id, a.order_id, a.shopper_id, a.ledger_version, a.idempotency_key || null, a.fingerprint, a.request, a.decision, JSON.stringify(a.response), a.created_at]);
        await c.query('UPDATE ledgers SET version = $1, doc = $2 WHERE order_id = $3', [a.ledger_version + 1, a.ledger, a.order_id]);
        await c.query('INSERT INTO service_orders (id, submission_id, state, doc, updated_at) VALUES ($1, $2, $3, $4, $5)',
          [a.service_order.id, a.id, 'submitted', JSON.stringify(a.service_order), a.created_at]);
        return { accepted: true };
      });
    } catch (e) {
      // The same idempotency key committed by another order's transaction in the meantime.
      if (e && e.code === '23505' && a.idempotency_key) {
        const replay = await this.replay(a.shopper_id, a.idempotency_key);
        if (replay) return { replay };
      }
      if (e && e.code === '23505') return { stale: true };
      throw e;
    }
  }

  async submissionsOf(shopperId) {
    const r = await this.pool.query(`SELECT s.response, so.doc AS service_order FROM submissions s LEFT JOIN service_orders so ON so.submission_id = s.id
      WHERE s.shopper_id = $1 ORDER BY s.created_at, s.id`, [shopperId]);
    return r.rows.map(submissionRow);
  }

  async submissionsOfOrder(orderId) {
    const r = await this.pool.query('SELECT id, idempotency_key, ledger_version, decision FROM submissions WHERE order_id = $1 ORDER BY ledger_version', [orderId]);
    return r.rows.map(auditRow);
  }

  async close() {
    await this.pool.end();
  }
}

/** `sqlite:PATH` (or a bare path) or `postgres://…`. */
export async function openStore(url) {
  const store = /^postgres(ql)?:\/\//.test(url) ? new PostgresStore(url) : new SqliteStore(url.replace(/^sqlite:/, ''));
  await store.migrate();
  return store;
}
