// A small consumer of the package's types, checked by `tsc --noEmit`: it must compile, and
// the lines marked @ts-expect-error must not.
import { init, compilePolicy, PolicyError, version, type Answer, type Order, type Policy, type Request, type ServiceOrder } from 'aftersale-rules';

const policyDoc: Policy = {
  id: 'acme', version: '2026-11-01', extends: 'platform-default', calendar: 'cn',
  rules: [{ id: 'serial-returner', when: 'customer.returns_90d > 10', require_review: 'agent', layer: 'merchant' }],
  messages: { SOLES_WORN: { 'zh-CN': '鞋底已磨损', en: 'The soles are worn' } },
};
const order: Order = {
  id: 'O1', currency: 'CNY', placed_at: '2026-11-01T10:00:00+08:00', delivered_at: '2026-11-03T15:00:00+08:00',
  lines: [{ id: 'L1', category: 'apparel', unit_price: 12900, quantity: 1 }],
};
const request: Request = { kind: 'refund_with_return', items: [{ line_id: 'L1', qty: 1, reason: 'no_reason' }] };

export async function main(): Promise<number> {
  await init();
  let policy;
  try {
    policy = compilePolicy(policyDoc);
  } catch (e) {
    if (e instanceof PolicyError) return e.errors[0].column ?? 0;
    throw e;
  }
  const answer: Answer = policy.evaluate(order, request, '2026-11-20T21:05:00+08:00');
  let total = 0;
  if (answer.type === 'decision') {
    total = answer.refund.total;
    const closes: string | undefined = answer.items[0].window?.closes_at;
    void closes;
  } else {
    console.log(answer.errors.map((e) => `${e.code} ${e.path}`));
  }
  const so: ServiceOrder = { id: 'SO-1', kind: 'refund_with_return', return_required: true, history: [{ event: 'submit', actor: 'shopper', at: '2026-11-20T21:05:00+08:00' }] };
  const moved = policy.transition(so, 'start_review', 'merchant', '2026-11-20T21:10:00+08:00');
  if (moved.type === 'transition') console.log(moved.to, moved.escalation.level);
  const text: string = policy.evaluateJson(JSON.stringify({ order, request, now: '2026-11-20T21:05:00+08:00' }));
  void text;
  // @ts-expect-error money is a number of fen, never a string
  const bad: Order = { ...order, shipping_fee: '8.00' };
  void bad;
  // @ts-expect-error unknown request kinds do not type-check
  const badRequest: Request = { kind: 'refund', items: [] };
  void badRequest;
  policy.free();
  return total + version().length;
}
