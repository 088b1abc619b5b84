// The return-request page: the preview is decided in the browser by the engine's .wasm, on
// every change; the server decides again with its own clock and its own copy of the order.
import { init, compilePolicy } from '/pkg/index.js';

const T = {
  'zh-CN': {
    title: '售后申请', shopper: '买家', language: '语言', order: '订单', what: '申请', kind: '类型', reason: '原因',
    condition: '商品状态', tags: '吊牌完好', packaging: '包装完好', used: '超出查验需要使用过', gifts: '赠品一并退回',
    evidence: '凭证', photos: '商品照片', package_photos: '包裹照片', description: '问题描述', submit: '提交申请',
    preview: '实时预览', qty: '数量', eligible: '可以申请', not_eligible: '不可申请', refund: '退款', items: '商品',
    shipping: '运费', deductions: '扣减', total: '合计', by_tender: '退回方式', postage: '退货运费', payer: '承担方',
    no_return: '无需退回', coupons: '补偿券', missing: '待补充', approval: '审核', deadlines: '时限', provisional: '暂定：节假日安排未公布', trace: '决策过程',
    accepted: '已受理', mismatch: '服务器结果不一致', refused: '该申请无法受理', busy: '服务繁忙，请稍后再试', errors: '输入有误', forbidden: '无权操作此订单', none: '无',
    kinds: { refund_with_return: '退货退款', refund_without_return: '仅退款', exchange: '换货', repair: '维修', price_difference: '补差价' },
    reasons: { no_reason: '七天无理由', quality: '质量问题', not_as_described: '描述不符', wrong_item: '发错货', damaged_in_transit: '运输损坏', group_buy_failed: '拼团失败' },
    payers: { buyer: '买家', seller: '卖家', insurer: '运费险', platform: '平台' },
    tiers: { auto: '自动通过', agent: '客服审核', supervisor: '主管审核', operations_manager: '运营经理审核' },
  },
  en: {
    title: 'After-sales request', shopper: 'Shopper', language: 'Language', order: 'Order', what: 'Request', kind: 'Kind', reason: 'Reason',
    condition: 'Condition', tags: 'Tags attached', packaging: 'Packaging intact', used: 'Used beyond inspection', gifts: 'Gifts returned too',
    evidence: 'Evidence', photos: 'Photos', package_photos: 'Package photos', description: 'Description', submit: 'Submit request',
    preview: 'Live preview', qty: 'Qty', eligible: 'eligible', not_eligible: 'not eligible', refund: 'Refund', items: 'Items',
    shipping: 'Shipping', deductions: 'Deductions', total: 'Total', by_tender: 'Paid back to', postage: 'Return postage', payer: 'paid by',
    no_return: 'no return needed', coupons: 'Coupons', missing: 'Still needed', approval: 'Approval', deadlines: 'Deadlines', provisional: 'provisional: holidays not announced yet', trace: 'How it was decided',
    accepted: 'Accepted', mismatch: 'The server decided differently', refused: 'Nothing in this request can be granted', busy: 'The server is busy; try again shortly', errors: 'Input errors', forbidden: 'Not your order', none: 'none',
    kinds: { refund_with_return: 'Refund with return', refund_without_return: 'Refund without return', exchange: 'Exchange', repair: 'Repair', price_difference: 'Price difference' },
    reasons: { no_reason: 'No reason (7 days)', quality: 'Quality problem', not_as_described: 'Not as described', wrong_item: 'Wrong item', damaged_in_transit: 'Damaged in transit', group_buy_failed: 'Group buy failed' },
    payers: { buyer: 'the buyer', seller: 'the seller', insurer: 'freight insurance', platform: 'the platform' },
    tiers: { auto: 'automatic', agent: 'agent review', supervisor: 'supervisor review', operations_manager: 'operations manager review' },
  },
};

const $ = (id) => document.getElementById(id);
const state = { lang: 'zh-CN', orders: [], policies: new Map(), decision: null, request: null };
const t = (key) => T[state.lang][key];
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
// Display only: the engine's amounts are integers of the currency's minor unit, whose
// exponent (ISO 4217: 2 for CNY, 0 for JPY, 3 for KWD) Intl knows.
const money = (minor, currency) => {
  const format = new Intl.NumberFormat(state.lang, { style: 'currency', currency });
  return format.format(minor / 10 ** format.resolvedOptions().maximumFractionDigits);
};
const local = (rfc) => rfc.replace('T', ' ').slice(0, 16);
const headers = () => ({ Authorization: `Bearer ${$('shopper').value}`, 'Content-Type': 'application/json' });

function translate() {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  const kind = $('kind').value;
  const reason = $('reason').value;
  $('kind').innerHTML = Object.entries(t('kinds')).map(([k, v]) => `<option value="${k}">${esc(v)}</option>`).join('');
  $('reason').innerHTML = Object.entries(t('reasons')).map(([k, v]) => `<option value="${k}">${esc(v)}</option>`).join('');
  if (kind) $('kind').value = kind;
  if (reason) $('reason').value = reason;
  $('order').innerHTML = state.orders.map((o, i) => `<option value="${i}">${esc(o.order.id)} · ${esc(o.title[state.lang])}</option>`).join('');
}

async function loadOrders() {
  const res = await fetch('/api/orders', { headers: headers() });
  state.orders = res.ok ? await res.json() : [];
  for (const o of state.orders) {
    if (!state.policies.has(o.policy)) {
      const doc = await (await fetch(`/api/policies/${encodeURIComponent(o.policy)}`, { headers: headers() })).json();
      state.policies.set(o.policy, compilePolicy(doc));
    }
  }
  translate();
  showLines();
}

function current() {
  return state.orders[Number($('order').value) || 0];
}

/** Units of a line not yet returned, by the order's ledger. */
function remaining(o, line) {
  const record = ((o.ledger && o.ledger.lines) || []).find((r) => r.line_id === line.id);
  return line.quantity - ((record && record.returned_qty) || 0);
}

function showLines() {
  const o = current();
  $('lines').innerHTML = o ? o.order.lines.filter((l) => !l.gift).map((l) => `
    <div class="line">
      <input type="checkbox" id="pick-${esc(l.id)}" data-line="${esc(l.id)}" ${remaining(o, l) > 0 ? 'checked' : 'disabled'}>
      <label for="pick-${esc(l.id)}">${esc(l.title || l.id)} · ${money(l.unit_price, o.order.currency)} × ${l.quantity}</label>
      <label><span>${t('qty')}</span> <input type="number" id="qty-${esc(l.id)}" min="1" max="${Math.max(1, remaining(o, l))}" value="${Math.max(1, remaining(o, l))}"></label>
    </div>`).join('') : '';
  preview();
}

function readRequest() {
  const o = current();
  const items = o.order.lines.filter((l) => !l.gift && $(`pick-${l.id}`) && $(`pick-${l.id}`).checked).map((l) => ({
    line_id: l.id,
    qty: Number($(`qty-${l.id}`).value) || 1,
    reason: $('reason').value,
    condition: { tags_attached: $('tags').checked, packaging_intact: $('packaging').checked, used_beyond_inspection: $('used').checked },
  }));
  return {
    kind: $('kind').value,
    items,
    evidence: { photos: Number($('photos').value) || 0, package_photos: Number($('package_photos').value) || 0, description_chars: [...$('description').value].length },
    gifts_returned: $('gifts').checked,
  };
}

function render(d) {
  if (d.type === 'errors') return `<p class="no">${t('errors')}</p><ul>${d.errors.map((e) => `<li><code>${esc(e.path)}</code> ${esc(e.message)}</li>`).join('')}</ul>`;
  const msg = (m) => esc(m[state.lang]);
  const lineMsg = (id) => d.messages.filter((m) => m.line_id === id).map(msg).join(' ');
  const items = d.items.map((i) => `<div class="item" data-item="${esc(i.line_id)}">
      <strong class="${i.eligible ? 'ok' : 'no'}">${esc(i.line_id)} × ${i.qty}: ${i.eligible ? t('eligible') : t('not_eligible')}</strong>
      ${i.denial ? `<small>${esc(i.denial.code)}${i.denial.legal_ref ? ` · ${esc(i.denial.legal_ref)}` : ''}</small>` : ''}
      <div>${lineMsg(i.line_id)}</div>
      <small>${i.options.filter((x) => x.available).map((x) => esc(t('kinds')[x.kind])).join(' · ')}</small>
    </div>`).join('');
  const r = d.refund;
  const rows = [[t('items'), r.items], [t('shipping'), r.shipping], ...r.deductions.map((x) => [`${t('deductions')}: ${x.kind}`, -x.amount]), [t('total'), r.total]];
  const tenders = r.by_tender.map((x) => `${esc(x.tender)} ${money(x.amount, d.currency)}${x.points !== undefined ? ` (${x.points} pts)` : ''}`).join(', ');
  const rs = d.return_shipping;
  const postage = rs.return_required ? `${t('payer')} ${esc(t('payers')[rs.payer])}` : t('no_return');
  const coupons = d.compensation.map((c) => `${money(c.amount, d.currency)} (${local(c.valid_until)})`).join(', ') || t('none');
  const missing = d.requirements.missing_evidence.map((m) => `${esc(t(m.what) || m.what)} ${m.attached}/${m.required}`).join(', ') || t('none');
  const deadlines = d.deadlines.map((x) => `<li>${esc(x.what)}: ${x.by ? esc(local(x.by)) : esc(x.basis[state.lang])}${x.provisional ? ` (${t('provisional')})` : ''}</li>`).join('');
  return `${items}
    <h3>${t('refund')}</h3>
    <table id="refund-table">${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td class="num">${money(v, d.currency)}</td></tr>`).join('')}</table>
    <p>${t('by_tender')}: ${tenders}</p>
    <p>${t('postage')}: <span id="postage">${postage}</span></p>
    <p>${t('coupons')}: ${coupons}</p>
    <p>${t('missing')}: <span id="missing">${missing}</span></p>
    <p>${t('approval')}: <span id="approval">${esc(t('tiers')[d.requirements.approval])}</span></p>
    <h3>${t('deadlines')}</h3><ul>${deadlines}</ul>
    <ul>${d.messages.filter((m) => !m.line_id).map((m) => `<li>${msg(m)}</li>`).join('')}</ul>
    <details><summary>${t('trace')}</summary><ol>${d.trace.map((x) => `<li><code>${esc(x.rule)}</code> ${esc(x.effect)}</li>`).join('')}</ol></details>`;
}

function preview() {
  const o = current();
  if (!o) {
    $('out').innerHTML = '';
    return;
  }
  state.request = readRequest();
  state.decision = state.policies.get(o.policy).evaluate(o.order, state.request, new Date().toISOString(), o.ledger);
  $('out').innerHTML = render(state.decision);
}

async function submit(event) {
  event.preventDefault();
  const o = current();
  preview();
  // One key per submission: if the answer is lost and the request is sent again, the server
  // answers what it answered the first time instead of deciding a second request.
  const send = { method: 'POST', headers: { ...headers(), 'Idempotency-Key': crypto.randomUUID() }, body: JSON.stringify({ order_id: o.order.id, request: state.request, decision: state.decision }) };
  $('submit').disabled = true;
  let res;
  try {
    res = await fetch('/api/returns', send).catch(() => fetch('/api/returns', send));
  } finally {
    $('submit').disabled = false;
  }
  const body = await res.json();
  const out = $('result');
  out.dataset.status = String(res.status);
  if (res.status === 201) {
    out.innerHTML = `<p class="ok">${t('accepted')}: <code>${esc(body.id)}</code> · ${t('total')} ${money(body.decision.refund.total, body.decision.currency)}</p>`;
    // The order's ledger now records this request: decide the next one on it.
    const index = $('order').value;
    await loadOrders();
    $('order').value = index;
    showLines();
  } else if (res.status === 409 && body.decision) {
    out.innerHTML = `<p class="no">${t('mismatch')}</p><ul>${body.differences.map((x) => `<li><code>${esc(x.path)}</code>: ${esc(JSON.stringify(x.client))} ≠ ${esc(JSON.stringify(x.server))}</li>`).join('')}</ul>${render(body.decision)}`;
  } else if (res.status === 422) out.innerHTML = `<p class="no">${t('refused')}</p>${render(body.decision)}`;
  else if (res.status === 403) out.innerHTML = `<p class="no">${t('forbidden')}</p>`;
  else if (res.status === 503) out.innerHTML = `<p class="no">${t('busy')}</p>`;
  else out.innerHTML = render(body);
}

await init();
$('lang').addEventListener('change', () => { state.lang = $('lang').value; translate(); showLines(); });
$('shopper').addEventListener('change', () => { $('result').innerHTML = ''; loadOrders(); });
$('order').addEventListener('change', () => { $('result').innerHTML = ''; showLines(); });
$('form').addEventListener('input', (e) => { if (e.target.id !== 'order') preview(); });
$('form').addEventListener('change', (e) => { if (e.target.id !== 'order') preview(); });
$('form').addEventListener('submit', submit);
translate();
await loadOrders();
document.body.dataset.ready = 'true';
