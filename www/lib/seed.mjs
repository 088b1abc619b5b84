// Sample shoppers, orders and the policy they are decided under, with times relative to the
// server's clock when they are seeded (delivered a few days ago, so windows are really open).
// The server seeds an empty database, re-seeds on `--reset`, and re-seeds data that has aged
// past the windows, so the demo never turns into "everything expired".

const POLICY = { id: 'demo-shop', version: '2026-11-01', extends: 'platform-default' };
const DAY = 86_400_000;

function build(now) {
  const at = (days) => new Date(now.getTime() - days * DAY).toISOString();
  const base = (id, days) => ({
    id, currency: 'CNY', placed_at: at(days + 2), paid_at: at(days + 2), promised_ship_by: at(days + 1),
    shipped_at: at(days + 1), delivered_at: at(days), shipping_fee: 0,
  });
  const orders = [
    { shopper: 'alice', title: { 'zh-CN': '羊毛大衣（服装，3 天前签收）', en: 'Wool coat (apparel, delivered 3 days ago)' },
      order: { ...base('SO-APPAREL-1001', 3), lines: [{ id: 'L1', title: '羊毛双排扣大衣 驼色 M 码', category: 'apparel', unit_price: 59900, quantity: 1 }] } },
    { shopper: 'alice', title: { 'zh-CN': '智能手表（已激活，购买时未确认不退）', en: 'Smart watch (activated, not confirmed at purchase)' },
      order: { ...base('SO-WATCH-1002', 2), lines: [{ id: 'L1', title: '智能手表 S3 黑色', category: 'electronics', unit_price: 129900, quantity: 1, facts: { activated: true, warranty_months: 12 } }] } },
    { shopper: 'alice', title: { 'zh-CN': '阳澄湖大闸蟹 + 蟹八件（生鲜与厨具）', en: 'Hairy crabs and crab tools (fresh food, kitchenware)' },
      order: { ...base('SO-FRESH-1003', 1), lines: [
        { id: 'L1', title: '阳澄湖大闸蟹 4 只装', category: 'fresh', unit_price: 39800, quantity: 1, facts: { perishable: true } },
        { id: 'L2', title: '不锈钢蟹八件', category: 'kitchen', unit_price: 6800, quantity: 1 },
      ] } },
    { shopper: 'alice', title: { 'zh-CN': '运动鞋 + 袜子（满 500 减 50，积分支付，附赠品）', en: 'Shoes and socks (500 off 50, paid partly in points, with a gift)' },
      order: { ...base('SO-MULTI-1004', 2),
        discounts: [{ id: 'MJ-500-50', kind: 'threshold', amount: 5000, threshold: 50000 }],
        payments: [{ tender: 'original_payment', amount: 46600 }, { tender: 'points', amount: 3000, points: 3000 }],
        lines: [
          { id: 'L1', title: '轻量跑步鞋 42 码', category: 'shoes', unit_price: 45900, quantity: 1 },
          { id: 'L2', title: '纯棉运动袜', category: 'apparel', unit_price: 2900, quantity: 3 },
          { id: 'G1', title: '品牌钥匙扣', category: 'gift', unit_price: 0, quantity: 1, gift: true, gift_for: 'L1', gift_value: 990 },
        ] } },
    { shopper: 'bob', title: { 'zh-CN': '拼团水果（拼团失败）', en: 'Fruit box (group buy failed)' },
      order: { id: 'SO-GROUP-2001', currency: 'CNY', placed_at: at(1), paid_at: at(1), promised_ship_by: new Date(now.getTime() + 2 * DAY).toISOString(),
        shipping_fee: 600, group_buy: 'failed', lines: [{ id: 'L1', title: '当季水果礼盒', category: 'fresh', unit_price: 2990, quantity: 2 }] } },
    { shopper: 'bob', title: { 'zh-CN': '进口维生素（跨境）', en: 'Imported vitamins (cross-border)' },
      order: { ...base('SO-XB-2002', 2), cross_border: true, lines: [{ id: 'L1', title: '进口复合维生素 60 粒', category: 'health', unit_price: 4500, quantity: 1 }] } },
  ].map((o) => ({ ...o, policy: `${POLICY.id}@${POLICY.version}` }));
  const shoppers = [{ id: 'alice', name: 'Alice', token: 'tok-alice' }, { id: 'bob', name: 'Bob', token: 'tok-bob' }];
  return { shoppers, policies: [POLICY], orders };
}

/** The sample data, its times relative to `now`. */
export const sampleData = (now) => build(now);

/** Seeded data this old (in days) is seeded again: the newest sample's 7-day window is closing. */
export const SAMPLES_LAST_DAYS = 5;
