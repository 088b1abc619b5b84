//! Money: integer minor units (fen for CNY), checked arithmetic, declared rounding, and the
//! largest-remainder allocation. No float ever touches an amount; intermediates of a
//! product are `i128`, so `amount × quantity` cannot overflow before it is checked.

use crate::error::Code;
use crate::json::decode::{decode_int, Decode, Decoder, Path};
use crate::json::Value;

/// An amount in the currency's minor unit, between 0 and 2^53 − 1 when it comes from input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Money(pub i64);

impl crate::json::ToJson for Money {
    fn write_json(&self, out: &mut crate::json::Out) {
        self.0.write_json(out);
    }
    fn schema(defs: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::money(defs)
    }
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// `self − other`, or zero when `other` is larger.
    pub fn saturating_sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0).max(0))
    }

    pub fn checked_mul(self, n: i64) -> Option<Money> {
        self.0.checked_mul(n).map(Money)
    }

    /// Sums amounts, `None` on overflow.
    pub fn sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts.into_iter().try_fold(Money::ZERO, Money::checked_add)
    }

    /// `¥89.90` style for customer messages (two decimals of the minor unit).
    pub fn format_yuan(self, symbol: &str) -> String {
        let mut out = crate::json::Out::with_capacity(symbol.len() + 12);
        if self.0 < 0 {
            out.byte(b'-');
        }
        let abs = self.0.unsigned_abs();
        out.str(symbol);
        out.uint(abs / 100);
        out.byte(b'.');
        let cents = abs % 100;
        out.uint(cents / 10);
        out.uint(cents % 10);
        out.into_string()
    }
}

impl<'a> Decode<'a> for Money {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let help = "amounts are integers in the currency's minor unit: ¥99.90 is 9990";
        let n = match v {
            Value::String(s) => {
                d.error(Code::InvalidMoney, path, format!("expected an integer count of fen, got the string `{s}`"), Some(help));
                return None;
            }
            _ => decode_int(d, v, path, "an integer count of fen", Code::InvalidMoney, Some(help)),
        }?;
        if n < 0 {
            d.error(Code::InvalidMoney, path, format!("expected an amount of at least 0, got `{n}`"), Some(help));
            return None;
        }
        Some(Money(n))
    }

    fn schema(defs: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::money(defs)
    }
}

crate::json::decode::wire_enum! {
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
    div_round(i128::from(amount.0) * i128::from(rate_bp), 10_000, mode).map(Money)
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
        assert_eq!(Money(8990).format_yuan("¥"), "¥89.90");
        assert_eq!(Money(5).format_yuan("¥"), "¥0.05");
        for v in [0, 1, 10, 99, 100, 101, 123_456, -1, -100, -8990, i64::MAX, i64::MIN] {
            let abs = v.unsigned_abs();
            let sign = if v < 0 { "-" } else { "" };
            assert_eq!(Money(v).format_yuan("€"), format!("{sign}€{}.{:02}", abs / 100, abs % 100), "{v}");
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
}
