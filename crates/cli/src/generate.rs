//! `aftersale generate`: realistic synthetic order histories, seeded, so that nobody needs real
//! customer data to try `simulate` (and the tests and benchmarks share one workload).

use std::io::{self, BufWriter, Write};

/// splitmix64: small, fast, and the same sequence on every machine for a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let n = u64::try_from(items.len()).unwrap_or(1);
        items.get(usize::try_from(self.below(n)).unwrap_or(0)).copied().unwrap_or_default()
    }
}

const CATEGORIES: &[&str] = &["apparel", "electronics", "fresh", "shoes", "books", "beauty", "home", "toys"];
/// The business day requests are evaluated on (2025-11-20, inside the cn calendar's years).
const NOW_DAY: i64 = 20_412;

fn time(day: i64, minute: u64) -> String {
    let ms = (day * 86_400 + i64::try_from(minute * 60).unwrap_or(0) - 8 * 3600) * 1000;
    aftersale_rules::Instant(ms).to_rfc3339(aftersale_rules::Offset(480))
}

/// One history record: `{"id", "order", "ledger"?, "request", "now"}`.
pub fn record(rng: &mut Rng, n: u64) -> String {
    let delivered_day = NOW_DAY - i64::try_from(rng.below(40)).unwrap_or(0);
    let lines = 1 + rng.below(8);
    let mut goods = 0u64;
    let mut line_json = Vec::new();
    let mut ledger_lines = Vec::new();
    let mut items = Vec::new();
    for i in 0..lines {
        let category = rng.pick(CATEGORIES);
        let price = 100 + rng.below(200_000);
        let qty = 1 + rng.below(3);
        let returned = if rng.chance(10) { rng.below(qty) } else { 0 };
        goods += price * qty;
        let facts = match category {
            "fresh" => r#","facts":{"perishable":true}"#.to_owned(),
            "electronics" if rng.chance(30) => {
                format!(r#","facts":{{"activated":true,"nature_confirmed":{},"warranty_months":12}}"#, rng.chance(50))
            }
            "beauty" if rng.chance(20) => r#","facts":{"hygiene_seal_opened":true}"#.to_owned(),
            _ => String::new(),
        };
        line_json.push(format!(r#"{{"id":"L{i}","category":"{category}","unit_price":{price},"quantity":{qty}{facts}}}"#));
        if returned > 0 {
            // Units back before, refunded elsewhere: the ledger records the units only.
            ledger_lines.push(format!(r#"{{"line_id":"L{i}","returned_qty":{returned}}}"#));
        }
        if returned < qty && (i == 0 || rng.chance(40)) {
            let reason = match rng.below(100) {
                0..=59 => "no_reason",
                60..=79 => "quality",
                80..=89 => "not_as_described",
                90..=94 => "damaged_in_transit",
                _ => "wrong_item",
            };
            let qty_back = 1 + rng.below(qty - returned);
            let condition = format!(r#"{{"tags_attached":{},"used_beyond_inspection":{}}}"#, !rng.chance(5), rng.chance(5));
            items.push(format!(r#"{{"line_id":"L{i}","qty":{qty_back},"reason":"{reason}","condition":{condition}}}"#));
        }
    }
    if items.is_empty() {
        items.push(r#"{"line_id":"L0","qty":1,"reason":"no_reason"}"#.to_owned());
    }
    let discount = if goods > 30_000 && rng.chance(40) {
        format!(r#","discounts":[{{"id":"MJ","kind":"threshold","amount":{},"threshold":30000}}]"#, 1000 + rng.below(2000))
    } else {
        String::new()
    };
    let shipped_day = delivered_day - 1 - i64::try_from(rng.below(3)).unwrap_or(0);
    let late = rng.chance(10);
    let kind = match rng.below(100) {
        0..=79 => "refund_with_return",
        80..=89 => "exchange",
        90..=96 => "refund_without_return",
        _ => "price_difference",
    };
    let score = 30 + rng.below(71);
    let (placed, promised, shipped, delivered) = (
        time(shipped_day - 2, 600),
        time(if late { shipped_day - 1 } else { shipped_day + 1 }, 0),
        time(shipped_day, 540),
        time(delivered_day, rng.below(1440)),
    );
    // Since the platforms' 2025 rules a refund without return needs the merchant's consent:
    // every other such request carries it (decided by the record's number, so that the random
    // stream, and every other field of the workload, stays as it was).
    let consent = if kind == "refund_without_return" && n % 2 == 0 { r#","merchant_consent":true"# } else { "" };
    let ledger = if ledger_lines.is_empty() { String::new() } else { format!(r#","ledger":{{"lines":[{}]}}"#, ledger_lines.join(",")) };
    let (insured, member, photos, chars, now) =
        (rng.chance(30), rng.chance(10), rng.below(3), rng.below(60), time(NOW_DAY, 600 + rng.below(600)));
    format!(
        r#"{{"id":"H{n}","order":{{"id":"O{n}","currency":"CNY","placed_at":"{placed}","paid_at":"{placed}","promised_ship_by":"{promised}","shipped_at":"{shipped}","delivered_at":"{delivered}","freight_insurance":{insured},"customer":{{"integrity_score":{score},"member_free_returns":{member}}}{discount},"lines":[{}]}}{ledger},"request":{{"kind":"{kind}","items":[{}],"evidence":{{"photos":{photos},"description_chars":{chars}}}{consent}}},"now":"{now}"}}"#,
        line_json.join(","),
        items.join(","),
    )
}

pub fn run(count: u64, seed: u64, out: &mut dyn Write) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    let mut w = BufWriter::new(out);
    for n in 0..count {
        writeln!(w, "{}", record(&mut rng, n))?;
    }
    w.flush()
}
