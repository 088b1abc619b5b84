// The demo: decide sample requests through the built npm package and print each decision
// readably, in zh-CN and en. Usage: node scripts/demo.mjs [case-name ...]
import { readFileSync, readdirSync } from 'node:fs';
import { compilePolicy, PolicyError, version } from '../pkg/node.mjs';

const SAMPLES = [
  'window-apparel-30-days-day-29',
  'quality-return-day-5',
  'activated-unconfirmed-platform-rule-becomes-review',
  'multi-line-mixed-outcomes',
  'late-shipment-coupon-5-percent',
  'tender-split-points',
  'merchant-deny-in-extension-applies',
  'bad-money-float',
  'policy-typo-field',
];

const yuan = (fen) => `¥${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

function show(name) {
  const dir = new URL('../tests/cases/', import.meta.url);
  const file = readdirSync(dir, { recursive: true }).find((f) => f.endsWith(`${name}.json`) && (f === `${name}.json` || f.endsWith(`/${name}.json`)));
  const c = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
  console.log(`\n━━ ${name}\n   ${c.description}`);
  const policyDoc = typeof c.policy === 'string' ? { id: c.policy, version: 'demo', extends: c.policy } : c.policy;
  let policy;
  try {
    policy = compilePolicy(policyDoc);
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    for (const err of e.errors) console.log(`   ✗ policy ${err.code} at ${err.path}\n     ${err.message}${err.help ? `\n     help: ${err.help}` : ''}`);
    return;
  }
  const t0 = process.hrtime.bigint();
  const answer = policy.evaluate(c.order, c.request, c.now);
  const micros = Number(process.hrtime.bigint() - t0) / 1000;
  policy.free();
  if (answer.type === 'errors') {
    for (const err of answer.errors) console.log(`   ✗ ${err.code} at ${err.path}: ${err.message}${err.help ? `\n     help: ${err.help}` : ''}`);
    return;
  }
  console.log(`   policy ${answer.policy_id}@${answer.policy_version} (${answer.policy_hash.slice(0, 12)}…), now ${answer.evaluated_at}, ${micros.toFixed(0)} µs`);
  for (const item of answer.items) {
    const verdict = item.eligible ? `eligible: ${item.resolutions.join(', ')}` : `not eligible: ${item.denial.code} (rule ${item.denial.rule}${item.denial.layer ? `, ${item.denial.layer} layer` : ''}${item.denial.legal_ref ? `, ${item.denial.legal_ref}` : ''})`;
    console.log(`   • ${item.line_id} ×${item.qty} [${item.reason}] ${verdict}; refund ${yuan(item.refund.amount)}`);
  }
  const r = answer.refund;
  console.log(`   refund ${yuan(r.total)} = items ${yuan(r.items)} + shipping ${yuan(r.shipping)}; by tender: ${r.by_tender.map((t) => `${t.tender} ${yuan(t.amount)}`).join(', ')}`);
  if (answer.return_shipping.return_required) console.log(`   return postage: ${answer.return_shipping.payer}${answer.return_shipping.rule ? ` (${answer.return_shipping.rule})` : ''}`);
  for (const c of answer.compensation) console.log(`   coupon ${yuan(c.amount)} until ${c.valid_until} (${c.rule}, borne by ${c.borne_by})`);
  const req = answer.requirements;
  console.log(`   approval: ${req.approval}${req.review_reasons.length ? ` (${req.review_reasons.map((x) => x.rule).join(', ')})` : ''}; liability: ${answer.liability.map((l) => `${l.party} ${yuan(l.amount)}`).join(', ') || 'none'}`);
  for (const d of answer.deadlines) console.log(`   deadline ${d.what}: ${d.by ? `by ${d.by}` : `not started (${d.basis})`}`);
  for (const m of answer.messages) console.log(`   「${m['zh-CN']}」 ${m.en}`);
}

console.log(`aftersale-rules ${version()} — sample decisions from tests/cases/, decided by the .wasm in pkg/dist/`);
for (const name of process.argv.slice(2).length ? process.argv.slice(2) : SAMPLES) show(name);
