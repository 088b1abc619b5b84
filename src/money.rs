//! Money: integer minor units (fen for CNY), checked arithmetic bounded to what every host
//! holds exactly (±(2^53 − 1)), declared rounding, the largest-remainder allocation, and the
//! cumulative splits that make a sequence of refunds add up to one combined refund
//! (docs/money.md). No float ever touches an amount; intermediates of a product are `i128`,
//! so `amount × quantity` cannot overflow before it is checked.

use crate::wire::error::Code;
use crate::wire::number::Whole;

/// An amount in the currency's minor unit, between 0 and 2^53 − 1 when it comes from input.
/// Checked arithmetic keeps every result within ±(2^53 − 1): a sum beyond it is `None`, which
/// the engine reports as `OVERFLOW`, never as a number JavaScript would round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Money(pub i64);

/// The largest amount an answer may hold: JavaScript's `Number.MAX_SAFE_INTEGER`.
pub const MAX_AMOUNT: i64 = crate::wire::limits::MAX_SAFE_INTEGER;

/// How an amount is read: a whole number of minor units, from 0.
const AMOUNT: Whole = Whole {
    what: "an integer count of fen",
    code: Code::InvalidMoney,
    min: 0,
    max: MAX_AMOUNT,
    help: Some("amounts are integers in the currency's minor unit: ¥99.90 is 9990"),
};

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        AMOUNT.read(d).map(Money)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_AMOUNT,
            "description": "an amount in the currency's minor unit (fen): ¥99.90 is 9990",
        })
    }
}

impl Money {
    pub const ZERO: Money = Money(0);

    /// For `skip_serializing_if`: an amount written only when there is one.
    pub fn is_zero(&self) -> bool {
        self.0 == 0
    }

    /// `v` as an amount, if it is within ±(2^53 − 1).
    pub fn bounded(v: i64) -> Option<Money> {
        (-MAX_AMOUNT..=MAX_AMOUNT).contains(&v).then_some(Money(v))
    }

    /// `v` as an amount, if it is within ±(2^53 − 1).
    pub fn bounded_wide(v: i128) -> Option<Money> {
        i64::try_from(v).ok().and_then(Money::bounded)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).and_then(Money::bounded)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).and_then(Money::bounded)
    }

    /// `self − other`, or zero when `other` is larger.
    pub fn saturating_sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0).max(0))
    }

    pub fn checked_mul(self, n: i64) -> Option<Money> {
        self.0.checked_mul(n).and_then(Money::bounded)
    }

    /// Sums amounts, `None` on overflow.
    pub fn sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts.into_iter().try_fold(Money::ZERO, Money::checked_add)
    }

    /// `¥3999.00`, `€5.00`, `JP¥1000`, `KD 1.234`: the amount in `currency` for customer
    /// messages, without grouping (as Chinese shops write prices).
    pub fn format(self, currency: Currency) -> String {
        currency.format_minor(self.0)
    }
}

/// How a currency is written: its symbol (or its code) and the exponent of its minor unit
/// (ISO 4217).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    code: [u8; 3],
    symbol: Option<&'static str>,
    pub exponent: u32,
}

/// Currency symbols of the shops the engine is written for; any other code is written as
/// the code itself.
const SYMBOLS: &[(&str, &str)] = &[
    ("CNY", "¥"),
    ("EUR", "€"),
    ("USD", "US$"),
    ("GBP", "£"),
    ("JPY", "JP¥"),
    ("HKD", "HK$"),
    ("TWD", "NT$"),
    ("MOP", "MOP$"),
    ("KRW", "₩"),
    ("SGD", "S$"),
    ("AUD", "A$"),
    ("CAD", "CA$"),
    ("VND", "₫"),
];

/// ISO 4217's currencies whose minor unit is not the hundredth.
const NO_MINOR_UNIT: &[&str] =
    &["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"];
const THOUSANDTHS: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
const TEN_THOUSANDTHS: &[&str] = &["CLF", "UYW"];

impl Currency {
    /// The currency of an ISO 4217 code: its symbol, or the code (`CHF 5.00`), and its
    /// minor-unit exponent (2 unless listed above).
    pub fn of(code: &str) -> Currency {
        let symbol = SYMBOLS.iter().find(|(c, _)| *c == code).map(|(_, s)| *s);
        let exponent = if NO_MINOR_UNIT.contains(&code) {
            0
        } else if THOUSANDTHS.contains(&code) {
            3
        } else if TEN_THOUSANDTHS.contains(&code) {
            4
        } else {
            2
        };
        let mut bytes = [b'?'; 3];
        for (slot, b) in bytes.iter_mut().zip(code.bytes()) {
            *slot = b;
        }
        Currency { code: bytes, symbol, exponent }
    }

    /// `minor` units of this currency as text.
    pub fn format_minor(&self, minor: i64) -> String {
        let mut out = String::new();
        if minor < 0 {
            out.push('-');
        }
        match self.symbol {
            Some(symbol) => out.push_str(symbol),
            None => {
                out.push_str(core::str::from_utf8(&self.code).unwrap_or("???"));
                out.push(' ');
            }
        }
        let abs = minor.unsigned_abs();
        let unit = 10u64.pow(self.exponent);
        out.push_str(&(abs / unit).to_string());
        if self.exponent > 0 {
            // The fraction, zero-padded to the exponent: `unit + fraction` has one digit more.
            let padded = (unit + abs % unit).to_string();
            out.push('.');
            out.push_str(padded.get(1..).unwrap_or_default());
        }
        out
    }
}

crate::wire::wire_enum! {
    /// How a percentage of an amount is rounded to a whole minor unit. Worked examples with
    /// 5 % of 1,010 fen = 50.5 and of 1,030 fen = 51.5:
    pub enum Rounding {
        /// Halves away from zero: 50.5 → 51, 51.5 → 52, 50.4 → 50.
        HalfUp = "half_up",
        /// Halves to the even neighbour (banker's rounding): 50.5 → 50, 51.5 → 52.
        HalfEven = "half_even",
        /// Always down: 50.5 → 50, 50.9 → 50.
        Floor = "floor",
    }
}

crate::wire::wire_struct! {
    /// Rounds an amount to a multiple of `multiple` minor units (100 fen: whole yuan), by
    /// `rounding` (down unless said otherwise).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct RoundingStep {
        #[serde(deserialize_with = "crate::wire::number::positive")]
        #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
        pub multiple: i64,
        #[serde(default = "floor")]
        pub rounding: Rounding,
    }
}

fn floor() -> Rounding {
    Rounding::Floor
}

impl RoundingStep {
    /// `amount` to the nearest multiple by this step's rounding, never above `max`: an amount
    /// a half-up step would lift over it is rounded down instead.
    pub fn apply(self, amount: Money, max: Option<Money>) -> Option<Money> {
        let to =
            |mode| div_round(i128::from(amount.0), i128::from(self.multiple), mode)?.checked_mul(self.multiple).and_then(Money::bounded);
        let stepped = to(self.rounding)?;
        match max {
            Some(max) if stepped > max => to(Rounding::Floor),
            _ => Some(stepped),
        }
    }
}

/// `numerator / denominator` rounded by `mode`, for non-negative inputs and a positive
/// denominator. `None` when the result does not fit in an `i64` or the inputs are out of range.
pub fn div_round(numerator: i128, denominator: i128, mode: Rounding) -> Option<i64> {
    if numerator < 0 || denominator <= 0 {
        return None;
    }
    let q = numerator / denominator;
    let r = numerator % denominator;
    let up = match mode {
        Rounding::Floor => false,
        Rounding::HalfUp => r * 2 >= denominator,
        Rounding::HalfEven => r * 2 > denominator || (r * 2 == denominator && q % 2 == 1),
    };
    i64::try_from(if up { q + 1 } else { q }).ok()
}

/// `amount × rate_bp / 10000`, rounded by `mode` (1 % = 100 bp).
pub fn apply_bp(amount: Money, rate_bp: i64, mode: Rounding) -> Option<Money> {
    div_round(i128::from(amount.0) * i128::from(rate_bp), 10_000, mode).and_then(Money::bounded)
}

/// Splits `total` over `weights` in proportion, by the largest-remainder method: floor every
/// share, then give the left-over minor units one each to the largest fractional remainders,
/// ties to the earlier weight. The shares always add up to `total` exactly.
///
/// `None` when the weights are negative or all zero while `total` is not, or on overflow.
pub fn allocate(total: Money, weights: &[Money]) -> Option<Vec<Money>> {
    let sum: i128 = weights.iter().map(|w| i128::from(w.0)).sum();
    if weights.iter().any(|w| w.0 < 0) || total.0 < 0 {
        return None;
    }
    if sum == 0 {
        return (total.0 == 0).then(|| vec![Money::ZERO; weights.len()]);
    }
    let total_wide = i128::from(total.0);
    let mut shares = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    let mut given: i128 = 0;
    for (i, w) in weights.iter().enumerate() {
        let product = total_wide * i128::from(w.0);
        let share = product / sum;
        given += share;
        shares.push(Money(i64::try_from(share).ok()?));
        remainders.push((product % sum, i));
    }
    let left_over = usize::try_from(total_wide - given).ok()?;
    // Largest remainder first; equal remainders keep input order (earlier wins).
    // A total order (ties by index), so an unstable sort gives the one answer.
    remainders.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take(left_over) {
        let share = shares.get_mut(i)?;
        *share = share.checked_add(Money(1))?;
    }
    Some(shares)
}

/// The refund of `k` more units of a line of `n` units paid `paid` in all, of which `b`
/// units were returned before: `floor(P × (b + k) / n) − floor(P × b / n)`. Any sequence of
/// partial returns adds up to exactly `paid`, in whatever order the units come back.
pub fn cumulative_share(paid: Money, n: i64, b: i64, k: i64) -> Option<Money> {
    if n <= 0 || b < 0 || k < 0 || b.checked_add(k)? > n {
        return None;
    }
    // In i64 when the products fit (always, for real amounts): a 128-bit division is a slow
    // library call in WebAssembly.
    if let (Some(to), Some(before)) = (paid.0.checked_mul(b + k), paid.0.checked_mul(b)) {
        return Some(Money(to.checked_div(n)?.checked_sub(before.checked_div(n)?)?));
    }
    let p = i128::from(paid.0);
    let upto = |units: i64| p * i128::from(units) / i128::from(n);
    i64::try_from(upto(b + k) - upto(b)).ok().map(Money)
}

/// Every order-level discount allocated over the lines by their net amounts, jointly: the
/// lines' totals are one largest-remainder allocation of the discounts' sum, so no line takes
/// more than its net amount; then each discount, in order, takes its largest-remainder share
/// of what is still unassigned of each line's total (the last discount takes exactly the
/// rest). Every discount is allocated exactly, and the shares add up both ways.
///
/// Returns the line totals and, per discount, its shares by line; `None` when the discounts
/// exceed the nets or on overflow.
pub fn allocate_discounts(discounts: &[Money], nets: &[Money]) -> Option<(Vec<Money>, Vec<Vec<Money>>)> {
    let sum = Money::sum(discounts.iter().copied())?;
    if sum > Money::sum(nets.iter().copied())? {
        return None;
    }
    let totals = allocate(sum, nets)?;
    let mut unassigned = totals.clone();
    let mut shares = Vec::with_capacity(discounts.len());
    for &amount in discounts {
        let split = allocate(amount, &unassigned)?;
        for (left, share) in unassigned.iter_mut().zip(&split) {
            *left = left.checked_sub(*share).filter(|m| m.0 >= 0)?;
        }
        shares.push(split);
    }
    Some((totals, shares))
}

/// How the first `x` minor units of a total paid in `weights` are shared among them, such
/// that a later, larger `x` never takes back what a smaller one gave (house monotone): the
/// refunds of a sequence add up, tender by tender, to what one combined refund gives.
///
/// Each weight's `j`-th minor unit comes due at the fraction `(j − ½) / weight` of the total,
/// ties to the earlier weight (the Sainte-Laguë order), and the first `x` units due are the
/// shares. With one or two weights this is exactly the largest-remainder split of `x`; with
/// three or more, the largest-remainder split can take a unit back as `x` grows (the Alabama
/// paradox: weights 6, 6, 2 give 4, 4, 2 of 10 but 5, 5, 1 of 11), and this order never does.
/// `x` equal to the total gives every weight exactly itself.
///
/// `None` when `x` is negative or exceeds the total, or a weight is negative.
pub fn cumulative_split(x: Money, weights: &[Money]) -> Option<Vec<Money>> {
    let total: i128 = weights.iter().map(|w| i128::from(w.0)).sum();
    if x.0 < 0 || i128::from(x.0) > total || weights.iter().any(|w| w.0 < 0) {
        return None;
    }
    if total == 0 {
        return Some(vec![Money::ZERO; weights.len()]);
    }
    let x_wide = i128::from(x.0);
    // Rounding every exact share to the nearest unit takes only units due by `x / total` and
    // leaves only units due after it: the first `x` units up to a few at the boundary.
    let mut taken: Vec<i128> =
        weights.iter().map(|w| ((2 * x_wide * i128::from(w.0) + total) / (2 * total)).min(i128::from(w.0))).collect();
    // Unit `j` of weight `t` is due before unit `k` of weight `s`: (2j − 1)/w_t < (2k − 1)/w_s, ties to t < s.
    let before = |t: usize, j: i128, s: usize, k: i128| -> bool {
        let (Some(wt), Some(ws)) = (weights.get(t), weights.get(s)) else { return false };
        let (lhs, rhs) = ((2 * j - 1) * i128::from(ws.0), (2 * k - 1) * i128::from(wt.0));
        lhs < rhs || (lhs == rhs && t < s)
    };
    // Each step moves one unit towards the first `x`; the estimate is off by at most a unit per weight.
    for _ in 0..(4 * weights.len() + 8) {
        let units: i128 = taken.iter().sum();
        let mut last: Option<(usize, i128)> = None; // the latest-due unit taken
        let mut next: Option<(usize, i128)> = None; // the earliest-due unit not taken
        for (t, (&c, w)) in taken.iter().zip(weights).enumerate() {
            if c > 0 && last.is_none_or(|(l, j)| before(l, j, t, c)) {
                last = Some((t, c));
            }
            if c < i128::from(w.0) && next.is_none_or(|(n, k)| before(t, c + 1, n, k)) {
                next = Some((t, c + 1));
            }
        }
        let step = match (units.cmp(&x_wide), last, next) {
            (std::cmp::Ordering::Greater, Some((l, _)), _) => [(l, -1), (l, 0)],
            (std::cmp::Ordering::Less, _, Some((n, _))) => [(n, 1), (n, 0)],
            (std::cmp::Ordering::Equal, Some((l, j)), Some((n, k))) if before(n, k, l, j) => [(l, -1), (n, 1)],
            (std::cmp::Ordering::Equal, _, _) => return taken.into_iter().map(Money::bounded_wide).collect(),
            _ => return None,
        };
        for (t, d) in step {
            *taken.get_mut(t)? += d;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(v: &[i64]) -> Vec<Money> {
        v.iter().copied().map(Money).collect()
    }

    #[test]
    fn rounding_modes_follow_their_doc_examples() {
        for (mode, a, b) in [(Rounding::HalfUp, 51, 52), (Rounding::HalfEven, 50, 52), (Rounding::Floor, 50, 51)] {
            assert_eq!(apply_bp(Money(1010), 500, mode), Some(Money(a)), "{mode:?}");
            assert_eq!(apply_bp(Money(1030), 500, mode), Some(Money(b)), "{mode:?}");
        }
        assert_eq!(apply_bp(Money(1008), 500, Rounding::HalfUp), Some(Money(50)));
    }

    #[test]
    fn allocation_gives_left_overs_to_largest_remainders_ties_to_earlier() {
        assert_eq!(allocate(Money(100), &m(&[1, 1, 1])), Some(m(&[34, 33, 33])));
        assert_eq!(allocate(Money(10), &m(&[3000, 5000, 2000])), Some(m(&[3, 5, 2])));
        assert_eq!(allocate(Money(1), &m(&[1, 2])), Some(m(&[0, 1])));
        assert_eq!(allocate(Money(0), &m(&[0, 0])), Some(m(&[0, 0])));
        assert_eq!(allocate(Money(5), &m(&[0, 0])), None);
    }

    #[test]
    fn partial_returns_add_up_to_the_whole() {
        let paid = Money(1000);
        let parts = [1, 1, 1].iter().scan(0, |b, &k| {
            let share = cumulative_share(paid, 3, *b, k);
            *b += k;
            share
        });
        assert_eq!(parts.collect::<Vec<_>>(), m(&[333, 333, 334]));
        assert_eq!(cumulative_share(paid, 3, 2, 2), None);
    }

    #[test]
    fn money_formats_as_yuan() {
        let cny = Currency::of("CNY");
        assert_eq!(Money(8990).format(cny), "¥89.90");
        assert_eq!(Money(5).format(cny), "¥0.05");
        assert_eq!(Money(123_456_789).format(cny), "¥1234567.89");
        assert_eq!(Money(-1000).format(Currency::of("JPY")), "-JP¥1000");
        assert_eq!(Money(1234).format(Currency::of("KWD")), "KWD 1.234");
        assert_eq!(Money(500).format(Currency::of("CHF")), "CHF 5.00");
        assert_eq!(Money(MAX_AMOUNT).format(Currency::of("CLF")), "CLF 900719925474.0991");
        for v in [0, 1, 10, 99, 100, 101, 123_456, -1, -100, -8990, i64::MAX, i64::MIN] {
            let abs = v.unsigned_abs();
            let sign = if v < 0 { "-" } else { "" };
            assert_eq!(Money(v).format(Currency::of("EUR")), format!("{sign}€{}.{:02}", abs / 100, abs % 100), "{v}");
        }
    }

    #[test]
    fn cumulative_share_is_the_same_in_64_and_128_bits() {
        let wide = |p: i64, n: i64, b: i64, k: i64| {
            let upto = |u: i64| i128::from(p) * i128::from(u) / i128::from(n);
            i64::try_from(upto(b + k) - upto(b)).ok().map(Money)
        };
        for (p, n, b, k) in
            [(1000, 3, 0, 1), (1000, 3, 1, 2), (999_999_999_999, 7, 3, 4), (i64::MAX, 5, 1, 2), (i64::MAX / 2, 3, 0, 3), (7, 1, 0, 1)]
        {
            assert_eq!(cumulative_share(Money(p), n, b, k), wide(p, n, b, k), "{p} {n} {b} {k}");
        }
    }

    #[test]
    fn joint_discounts_never_exceed_a_lines_net() {
        // Two 1-fen coupons over lines of 1 fen each: one each, not both on the first line.
        let (totals, shares) = allocate_discounts(&m(&[1, 1]), &m(&[1, 1])).unwrap();
        assert_eq!(totals, m(&[1, 1]));
        assert_eq!(shares, vec![m(&[1, 0]), m(&[0, 1])]);
        // One discount alone is the plain allocation.
        let (totals, shares) = allocate_discounts(&m(&[1000]), &m(&[6000, 5000])).unwrap();
        assert_eq!(totals, m(&[545, 455]));
        assert_eq!(shares, vec![m(&[545, 455])]);
        assert_eq!(allocate_discounts(&m(&[3, 3]), &m(&[2, 3])), None);
    }

    #[test]
    fn the_cumulative_split_is_the_largest_remainder_split_for_two_weights() {
        let weights = m(&[4995, 4995]);
        for x in 0..=9990 {
            assert_eq!(cumulative_split(Money(x), &weights).unwrap(), allocate(Money(x), &weights).unwrap(), "{x}");
        }
        let weights = m(&[7, 3]);
        for x in 0..=10 {
            assert_eq!(cumulative_split(Money(x), &weights).unwrap(), allocate(Money(x), &weights).unwrap(), "{x}");
        }
    }

    #[test]
    fn the_cumulative_split_never_takes_back_what_it_gave() {
        // The Alabama paradox of the largest remainder: 6, 6, 2 give 4, 4, 2 of 10 and 5, 5, 1 of 11.
        assert_eq!(allocate(Money(10), &m(&[6, 6, 2])), Some(m(&[4, 4, 2])));
        assert_eq!(allocate(Money(11), &m(&[6, 6, 2])), Some(m(&[5, 5, 1])));
        for weights in [m(&[6, 6, 2]), m(&[1, 1, 1]), m(&[5, 0, 3, 9]), m(&[100, 1, 37, 2]), m(&[0, 0, 4])] {
            let total: i64 = weights.iter().map(|w| w.0).sum();
            let mut before = vec![Money::ZERO; weights.len()];
            for x in 0..=total {
                let now = cumulative_split(Money(x), &weights).unwrap();
                assert_eq!(now.iter().map(|s| s.0).sum::<i64>(), x);
                for ((b, n), w) in before.iter().zip(&now).zip(&weights) {
                    assert!(b <= n && n <= w, "{weights:?} at {x}: {before:?} -> {now:?}");
                }
                before = now;
            }
            assert_eq!(before, weights);
        }
        assert_eq!(cumulative_split(Money(3), &m(&[1, 1])), None);
        assert_eq!(cumulative_split(Money(MAX_AMOUNT), &m(&[MAX_AMOUNT, 0])), Some(m(&[MAX_AMOUNT, 0])));
    }

    #[test]
    fn sums_beyond_the_safe_integers_are_overflow() {
        assert_eq!(Money(MAX_AMOUNT).checked_add(Money(1)), None);
        assert_eq!(Money(-MAX_AMOUNT).checked_sub(Money(1)), None);
        assert_eq!(Money::sum([Money(MAX_AMOUNT / 2 + 1), Money(MAX_AMOUNT / 2 + 1)]), None);
        assert_eq!(apply_bp(Money(MAX_AMOUNT), 20_000, Rounding::HalfUp), None);
    }
}
