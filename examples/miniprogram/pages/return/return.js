// @ts-check
// The return page: the shopper picks an order's items, the kind and the reason; the engine
// decides in the mini-program on every change (one evaluation per change), and the request and
// that decision go to the server, which decides again with its own clock and its own copy of the
// order. Kinds, reasons and every word of the engine's vocabulary come from the policy's
// `describe()` and the package's `labels`.
'use strict';
const engine = require('aftersale-rules');
const texts = require('../../lib/texts.js');
const outcome = require('../../lib/outcome.js');

/** After 工具 → 构建 npm, the package's `miniprogram` folder is at this path of the mini-program. */
const ENGINE_PATH = '/miniprogram_npm/aftersale-rules/aftersale_rules_bg.wasm.br';
/** Kinds under which the shopper keeps the goods: their condition is not asked. */
const KEEPS_GOODS = ['refund_without_return', 'price_difference', 'goodwill'];

/**
 * What a page keeps beside its data: the orders as the server sent them, the compiled policies,
 * the shopper's choices per line, and the latest request and decision.
 * @type {WeakMap<object, {orders: any[], policies: Map<string, {compiled: any, info: any}>, picks: Map<string, {on: boolean, qty: number}>, request: any, decision: any}>}
 */
const sessions = new WeakMap();

/** `wx.request` as a promise of `{statusCode, data}`; rejects when the network fails. */
function call(options) {
  const app = getApp();
  return new Promise(function (resolve, reject) {
    wx.request({
      url: app.globalData.apiBase + options.path,
      method: options.method || 'GET',
      data: options.data,
      header: Object.assign({ Authorization: 'Bearer ' + app.globalData.token, 'Content-Type': 'application/json' }, options.header || {}),
      success: resolve,
      fail: reject,
    });
  });
}

/** A fresh key per submission: a retried request is answered as the first one was. */
function idempotencyKey() {
  let key = Date.now().toString(36);
  for (let i = 0; i < 4; i++) key += '-' + Math.floor(Math.random() * 0x100000000).toString(36);
  return key;
}

Component({
  data: {
    ready: false, loadError: '', lang: 'zh-CN', t: texts['zh-CN'],
    orderNames: /** @type {string[]} */ ([]), orderIndex: 0, lines: /** @type {any[]} */ ([]),
    kinds: /** @type {any[]} */ ([]), kindIndex: 0, reasons: /** @type {any[]} */ ([]), reasonIndex: 0,
    keepsGoods: false, hasGifts: false, checks: { tags: true, packaging: true, used: false, gifts: true },
    photos: 0, description: '', evidenceHint: '',
    shown: /** @type {any} */ (null), submit: { enabled: false, text: '', hint: '' }, sending: false,
    result: /** @type {any} */ (null), evaluations: 0,
  },
  methods: {
    onLoad() {
      sessions.set(this, { orders: [], policies: new Map(), picks: new Map(), request: null, decision: null });
      return engine.init(ENGINE_PATH).then(() => this.loadOrders());
    },

    session() {
      const session = sessions.get(this);
      if (!session) throw new Error('the return page is not loaded');
      return session;
    },

    /** The shopper's orders and their policies; keeps the chosen order and lines across reloads. */
    async loadOrders() {
      const session = this.session();
      let res;
      try {
        res = await call({ path: 'api/orders' });
      } catch (e) {
        res = null;
      }
      if (!res || res.statusCode !== 200) return this.setData({ loadError: this.data.t.loadFailed });
      session.orders = /** @type {any[]} */ (res.data);
      for (const o of session.orders) {
        if (session.policies.has(o.policy)) continue;
        const doc = await call({ path: 'api/policies/' + encodeURIComponent(o.policy) });
        const compiled = engine.compilePolicy(/** @type {any} */ (doc.data));
        session.policies.set(o.policy, { compiled: compiled, info: compiled.describe() });
      }
      this.setData({ ready: true, loadError: '', orderIndex: Math.min(this.data.orderIndex, Math.max(0, session.orders.length - 1)) });
      this.showForm();
      this.preview();
    },

    current() {
      return this.session().orders[this.data.orderIndex];
    },

    policyOf(order) {
      const found = this.session().policies.get(order.policy);
      if (!found) throw new Error('no policy for ' + order.policy);
      return found;
    },

    /** Units of a line not yet requested, by the order's ledger. */
    remaining(order, line) {
      const record = ((order.ledger && order.ledger.lines) || []).filter(function (r) { return r.line_id === line.id; })[0];
      return line.quantity - ((record && record.returned_qty) || 0);
    },

    pick(order, line) {
      const picks = this.session().picks;
      const key = order.order.id + '/' + line.id;
      const left = this.remaining(order, line);
      const known = picks.get(key);
      const choice = known
        ? { on: known.on && left > 0, qty: Math.min(Math.max(1, known.qty), Math.max(1, left)) }
        : { on: left > 0, qty: Math.max(1, left) };
      picks.set(key, choice);
      return choice;
    },

    /** Every text and choice of the form in the chosen language, keeping what was chosen. */
    showForm() {
      const session = this.session();
      const order = this.current();
      const t = this.data.t;
      const lang = this.data.lang;
      if (!order) return this.setData({ orderNames: [], lines: [] });
      const info = this.policyOf(order).info;
      const word = (vocabulary, key) => outcome.word(engine.labels, vocabulary, key, lang);
      const kind = this.data.kinds[this.data.kindIndex];
      const reason = this.data.reasons[this.data.reasonIndex];
      const kinds = info.request_kinds.map(function (code) { return { code: code, label: word('request_kind', code) }; });
      const reasons = info.reasons.map(function (r) { return { code: r.code, title: r.title[lang], evidence: r.evidence }; });
      const kindIndex = Math.max(0, kinds.findIndex(function (k) { return kind && k.code === kind.code; }));
      let reasonIndex = reasons.findIndex(function (r) { return reason && r.code === reason.code; });
      // A fresh form starts at the reason that needs no fault and no evidence, where there is one.
      if (reasonIndex < 0) reasonIndex = Math.max(0, info.reasons.findIndex(function (r) { return r.no_reason; }));
      const gifts = (id) => order.order.lines.filter(function (g) { return g.gift && g.gift_for === id; }).map(function (g) { return g.title || g.id; }).join(t.list);
      const lines = order.order.lines.filter(function (l) { return !l.gift; }).map((l) => {
        const left = this.remaining(order, l);
        const choice = this.pick(order, l);
        const given = gifts(l.id);
        return {
          id: l.id, title: l.title || l.id, quantity: l.quantity, price: outcome.money(l.unit_price, order.order.currency, info.minor_unit_digits),
          note: left > 0 ? '' : ' · ' + t.requestedAll, gifts: given ? t.gift + t.colon + given : '',
          checked: choice.on, disabled: left <= 0, qty: choice.qty, max: Math.max(1, left), status: '', statusOk: false,
        };
      });
      const needs = Object.keys(reasons[reasonIndex] ? reasons[reasonIndex].evidence : {}).filter(function (w) { return reasons[reasonIndex].evidence[w] > 0; });
      this.setData({
        orderNames: session.orders.map(function (o) { return o.title[lang] + ' · ' + t.orderNo + ' ' + o.order.id; }),
        lines: lines, kinds: kinds, kindIndex: kindIndex, reasons: reasons, reasonIndex: reasonIndex,
        keepsGoods: KEEPS_GOODS.indexOf(kinds[kindIndex] ? kinds[kindIndex].code : '') >= 0,
        hasGifts: order.order.lines.some(function (l) { return l.gift; }),
        evidenceHint: needs.length
          ? t.needs + t.colon + needs.map(function (w) { return word('evidence', w) + ' ' + t.atLeast(reasons[reasonIndex].evidence[w], w); }).join(t.list)
          : t.needsNothing,
      });
    },

    readRequest(order) {
      const kind = this.data.kinds[this.data.kindIndex].code;
      const reason = this.data.reasons[this.data.reasonIndex].code;
      const keeps = KEEPS_GOODS.indexOf(kind) >= 0;
      const checks = this.data.checks;
      const items = order.order.lines.filter((l) => !l.gift && this.pick(order, l).on).map((l) => {
        const item = { line_id: l.id, qty: this.pick(order, l).qty, reason: reason };
        return keeps ? item : Object.assign(item, { condition: { tags_attached: checks.tags, packaging_intact: checks.packaging, used_beyond_inspection: checks.used } });
      });
      const request = { kind: kind, items: items, evidence: { photos: this.data.photos, description_chars: Array.from(this.data.description).length } };
      return keeps ? request : Object.assign(request, { gifts_returned: checks.gifts });
    },

    /** Decides `request` on the order: counted, so that a test can hold the page to one per change. */
    evaluate(order, request) {
      this.setData({ evaluations: this.data.evaluations + 1 });
      return this.policyOf(order).compiled.evaluate(order.order, request, new Date().toISOString(), order.ledger);
    },

    /** The one evaluation a change makes, and what it shows. */
    preview() {
      const session = this.session();
      const order = this.current();
      session.request = order ? this.readRequest(order) : null;
      session.decision = session.request && session.request.items.length ? this.evaluate(order, session.request) : null;
      this.showOutcome();
    },

    context(order) {
      return { lang: this.data.lang, t: this.data.t, labels: engine.labels, order: order.order, digits: this.policyOf(order).info.minor_unit_digits };
    },

    showOutcome() {
      const decision = this.session().decision;
      const order = this.current();
      const statuses = {};
      const shown = decision && order ? outcome.view(decision, this.context(order)) : null;
      (shown ? shown.items : []).forEach(function (i) { statuses[i.lineId] = i; });
      this.setData({
        shown: shown,
        submit: outcome.submitState(decision, this.data.t),
        lines: this.data.lines.map(function (l) {
          const s = statuses[l.id];
          return Object.assign({}, l, { status: s ? s.badge : '', statusOk: !!(s && s.eligible) });
        }),
      });
    },

    onLang(e) {
      const lang = e.currentTarget.dataset.lang;
      if (lang === this.data.lang || !texts[lang]) return;
      this.setData({ lang: lang, t: texts[lang] });
      if (this.data.ready) {
        this.showForm();
        this.showOutcome(); // the decision carries both languages: nothing to decide again
      }
    },

    onOrder(e) {
      this.setData({ orderIndex: Number(e.detail.value), result: null });
      this.showForm();
      this.preview();
    },

    onPick(e) {
      const order = this.current();
      const on = /** @type {string[]} */ (e.detail.value);
      order.order.lines.filter(function (l) { return !l.gift; }).forEach((l) => { this.pick(order, l).on = on.indexOf(l.id) >= 0 && this.remaining(order, l) > 0; });
      this.showForm();
      this.preview();
    },

    onQty(e) {
      const order = this.current();
      const line = order.order.lines.filter(function (l) { return l.id === e.currentTarget.dataset.line; })[0];
      if (!line) return;
      const choice = this.pick(order, line);
      const qty = Math.min(Math.max(1, choice.qty + Number(e.currentTarget.dataset.by)), Math.max(1, this.remaining(order, line)));
      if (qty === choice.qty) return;
      choice.qty = qty;
      this.showForm();
      this.preview();
    },

    onKind(e) {
      this.setData({ kindIndex: Number(e.detail.value) });
      this.showForm();
      this.preview();
    },

    onReason(e) {
      this.setData({ reasonIndex: Number(e.detail.value) });
      this.showForm();
      this.preview();
    },

    onChecks(e) {
      const on = /** @type {string[]} */ (e.detail.value);
      this.setData({ checks: { tags: on.indexOf('tags') >= 0, packaging: on.indexOf('packaging') >= 0, used: on.indexOf('used') >= 0, gifts: on.indexOf('gifts') >= 0 } });
      this.preview();
    },

    onPhotos(e) {
      const photos = Math.min(9, Math.max(0, this.data.photos + Number(e.currentTarget.dataset.by)));
      if (photos === this.data.photos) return;
      this.setData({ photos: photos });
      this.preview();
    },

    onDescription(e) {
      this.setData({ description: String(e.detail.value) });
      this.preview();
    },

    /** Sends the eligible items only, decided as sent, and says what the server answered. */
    async onSubmit() {
      const session = this.session();
      const order = this.current();
      const decision = session.decision;
      if (!order || !decision || decision.type !== 'decision' || this.data.sending) return;
      const eligible = decision.items.filter(function (i) { return i.eligible; }).map(function (i) { return i.line_id; });
      if (!eligible.length) return;
      let request = session.request;
      let sent = decision;
      if (eligible.length < request.items.length) {
        request = Object.assign({}, request, { items: request.items.filter(function (i) { return eligible.indexOf(i.line_id) >= 0; }) });
        sent = this.evaluate(order, request);
      }
      this.setData({ sending: true });
      const body = { order_id: order.order.id, request: request, decision: sent };
      let res = null;
      try {
        res = await call({ path: 'api/returns', method: 'POST', data: body, header: { 'Idempotency-Key': idempotencyKey() } });
      } catch (e) {
        res = null;
      }
      this.setData({ sending: false, result: this.answer(order, res) });
      // Accepted, or decided on a ledger that has moved: decide on the order as the server has it.
      if (res && [201, 409, 422].indexOf(res.statusCode) >= 0) await this.loadOrders();
    },

    /** The server's answer in words: on a 409 what changed and its decision, on a 422 its refusals. */
    answer(order, res) {
      const t = this.data.t;
      const ctx = this.context(order);
      const data = res ? /** @type {any} */ (res.data) : null;
      const status = res ? res.statusCode : 0;
      if (status === 201) {
        return { status: status, ok: true, lines: [t.accepted(data.id), t.expectedRefund + t.colon + outcome.money(data.decision.refund.total, data.decision.currency, ctx.digits)], shown: null };
      }
      if (status === 409 && data && data.decision) {
        return { status: status, ok: false, lines: [t.mismatch].concat(outcome.explain(data.differences || [], ctx, order.order.currency)), shown: outcome.view(data.decision, ctx) };
      }
      if (status === 422 && data && data.decision) return { status: status, ok: false, lines: [t.refusedAll], shown: outcome.view(data.decision, ctx) };
      const says = !res ? t.offline : status === 401 || status === 403 ? t.forbidden : status === 503 ? t.busy : t.failed;
      return { status: status, ok: false, lines: [says], shown: null };
    },
  },
});
