// A CommonJS TypeScript consumer (`module: node16`, no DOM, no @types/node, no skipLibCheck):
// `require('aftersale-rules')` must resolve to index.d.cts and type-check. `pkg/test/types/
// node_modules/aftersale-rules` links to the package, so resolution goes through its exports.
import { compilePolicy, PolicyError, version, type Answer, type Order, type Request } from 'aftersale-rules';

const order: Order = {
  id: 'O1', currency: 'CNY', placed_at: '2026-11-01T10:00:00+08:00', delivered_at: '2026-11-03T15:00:00+08:00',
  lines: [{ id: 'L1', category: 'apparel', unit_price: 12900, quantity: 1 }],
};
const request: Request = { kind: 'refund_with_return', items: [{ line_id: 'L1', qty: 1, reason: 'no_reason' }] };

export function refundTotal(): number {
  try {
    const policy = compilePolicy({ id: 'acme', version: '1', extends: 'platform-default' });
    const answer: Answer = policy.evaluate(order, request, '2026-11-05T10:00:00+08:00');
    policy.free();
    return answer.type === 'decision' ? answer.refund.total : -answer.errors.length;
  } catch (e) {
    if (e instanceof PolicyError) return e.errors.length;
    throw e;
  }
}

export const engine: string = version();
// @ts-expect-error: amounts are integers of the minor unit, not strings
export const wrong: Order['lines'][number]['unit_price'] = '129.00';
