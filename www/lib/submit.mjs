// A submission, as an integrator writes it: decide again with the server's own clock, order and
// ledger; refuse what the client decided otherwise; accept by storing the submission and the
// ledger its effects leave in one transaction. The ledger's version makes the transaction
// refuse a decision taken on a ledger that has moved since (another submission was accepted in
// between): then the request is decided again on the new ledger. So a repeated, retried or
// concurrent submission can never pay twice.
import { randomUUID } from 'node:crypto';
import { sha256 } from './store.mjs';

/** The fields of a decision that must agree between client and server (not clock-dependent ones). */
export function differences(client, server) {
  const out = [];
  const compare = (path, a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    if (x !== y) out.push({ path, client: a === undefined ? null : a, server: b === undefined ? null : b });
  };
  if (!client || typeof client !== 'object' || Array.isArray(client)) {
    return [{ path: 'decision', client: client === undefined ? null : client, server: 'a decision object' }];
  }
  for (const key of ['type', 'engine_version', 'policy_id', 'policy_version', 'policy_hash', 'kind']) compare(key, client[key], server[key]);
  const clientItems = Array.isArray(client.items) ? client.items : [];
  const items = Math.max(clientItems.length, server.items.length);
  for (let i = 0; i < items; i++) {
    const a = clientItems[i] && typeof clientItems[i] === 'object' ? clientItems[i] : {};
    const b = server.items[i] || {};
    for (const key of ['line_id', 'qty', 'eligible', 'refund', 'resolutions']) compare(`items[${i}].${key}`, a[key], b[key]);
    compare(`items[${i}].denial.code`, a.denial && a.denial.code, b.denial && b.denial.code);
  }
  const refund = client.refund && typeof client.refund === 'object' ? client.refund : {};
  for (const key of ['items', 'shipping', 'deductions', 'given_back', 'total', 'by_tender', 'coupons_restored']) compare(`refund.${key}`, refund[key], server.refund[key]);
  // The ledger the client decided on (its version is in the effects): a copy of an accepted
  // submission was decided on the ledger before it, and is not a new request.
  compare('effects', client.effects, server.effects);
  compare('return_shipping', client.return_shipping, server.return_shipping);
  compare('liability', client.liability, server.liability);
  const coupons = (list) => (Array.isArray(list) ? list.map((c) => [c && c.rule, c && c.amount]) : list);
  compare('compensation', coupons(client.compensation), coupons(server.compensation));
  compare('requirements', client.requirements, server.requirements);
  return out;
}

const REUSED = {
  status: 422,
  body: { type: 'errors', errors: [{ code: 'IDEMPOTENCY_KEY_REUSED', path: '', message: 'this Idempotency-Key was used for another request', help: 'use a new key for each new request; reuse a key only to retry the same request' }] },
};

const FORBIDDEN = { status: 403, body: { type: 'errors', errors: [{ code: 'FORBIDDEN', path: 'order_id', message: 'no such order for this shopper' }] } };

/** The service order an accepted request opens (the lifecycle's first step). */
function serviceOrder(decision, now) {
  return {
    id: `SO-${randomUUID()}`,
    kind: decision.kind,
    return_required: decision.return_shipping.return_required,
    approval: decision.requirements.approval,
    deadlines: decision.deadlines.map((d) => d.what),
    history: [{ event: 'submit', actor: 'shopper', at: now }],
  };
}

/**
 * Decides and, on agreement, accepts `{order_id, request, decision}` for `shopper`:
 * `{status, body}` — 201 accepted, 400 input errors, 403 not this shopper's order (whether or
 * not it exists), 409 decided otherwise (with the server's decision), 422 nothing grantable
 * (with the server's decision). A repeated idempotency key answers what its first use did.
 */
export async function submit({ store, engine, clock }, shopper, body, idempotencyKey) {
  const fingerprint = sha256(JSON.stringify([body.order_id, body.request === undefined ? null : body.request]));
  /** The first answer under this key, if the same request was accepted under it. */
  const replay = async () => {
    const earlier = idempotencyKey && (await store.replay(shopper, idempotencyKey));
    if (!earlier) return null;
    return earlier.fingerprint === fingerprint ? earlier.response : REUSED;
  };
  // A refusal under a key whose first use was accepted meanwhile (it changed the ledger this
  // one was decided on) is answered with that acceptance: a retry never sees anything else.
  const refuse = async (answer) => (await replay()) || answer;
  const earlier = await replay();
  if (earlier) return earlier;
  if (typeof body.order_id !== 'string') return FORBIDDEN;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const row = await store.order(body.order_id);
    if (!row || row.shopper_id !== shopper) return FORBIDDEN;
    const now = clock().toISOString();
    const order = JSON.stringify(row.order);
    const ledger = JSON.stringify(row.ledger);
    const input = `{"order":${order},"ledger":${ledger},"request":${JSON.stringify(body.request === undefined ? null : body.request)},"now":"${now}"}`;
    const outcome = await engine.decide(row.policy_key, input, order, ledger);
    const decision = JSON.parse(outcome.answer);
    if (decision.type === 'errors') return { status: 400, body: decision };
    if (!outcome.ledger) return refuse({ status: 422, body: { type: 'refused', message: 'no item of the request can be granted', decision } });
    const diff = differences(body.decision, decision);
    if (diff.length) return refuse({ status: 409, body: { type: 'mismatch', message: 'the server decided differently', differences: diff, decision } });
    const next = JSON.parse(outcome.ledger);
    if (next.type !== 'ledger') throw new Error(`a decision's effects did not fit its own ledger: ${outcome.ledger}`);
    const id = randomUUID();
    const response = { status: 201, body: { type: 'accepted', id, order_id: row.id, request: body.request, decision, created_at: now } };
    const result = await store.accept({
      id, order_id: row.id, shopper_id: shopper, ledger_version: row.version, idempotency_key: idempotencyKey, fingerprint,
      request: JSON.stringify(body.request), decision: outcome.answer, ledger: JSON.stringify(next.ledger),
      response, created_at: now, service_order: serviceOrder(decision, now),
    });
    if (result.replay) return result.replay.fingerprint === fingerprint ? result.replay.response : REUSED;
    if (result.accepted) return response;
    // The ledger moved while deciding: decide again on the new one.
  }
  return refuse({ status: 409, body: { type: 'errors', errors: [{ code: 'CONFLICT', path: 'order_id', message: 'the order kept changing while this request was decided; try again' }] } });
}
