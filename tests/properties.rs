//! Money invariants over thousands of random orders: allocations add up exactly,
//! partial returns add up to what was paid in any order, refunds never exceed what was paid
//! minus what was refunded before, and the tender split adds up.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use aftersale_rules::internals::money::{allocate, cumulative_share, Money};
use aftersale_rules::{compile_policy_json, evaluate, parse_input, CompiledPolicy};
use proptest::prelude::*;
use std::sync::OnceLock;

fn policy() -> &'static CompiledPolicy {
    static POLICY: OnceLock<CompiledPolicy> = OnceLock::new();
    POLICY.get_or_init(|| compile_policy_json(r#"{"id":"p","version":"1","extends":"platform-default"}"#).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn allocations_add_up_exactly(total in 0i64..10_000_000, weights in prop::collection::vec(0i64..5_000_000, 1..12)) {
        let weights: Vec<Money> = weights.into_iter().map(Money).collect();
        let sum: i64 = weights.iter().map(|w| w.0).sum();
        prop_assume!(sum > 0 || total == 0);
        let shares = allocate(Money(total), &weights).unwrap();
        prop_assert_eq!(shares.iter().map(|s| s.0).sum::<i64>(), total);
        for (share, weight) in shares.iter().zip(&weights) {
            // Each share is within one fen of the exact proportion.
            let exact = i128::from(total) * i128::from(weight.0);
            let lo = i128::from(share.0 - 1) * i128::from(sum);
            let hi = i128::from(share.0 + 1) * i128::from(sum);
            prop_assert!(lo <= exact && exact <= hi);
        }
    }

    #[test]
    fn partial_returns_add_up_in_any_order(paid in 0i64..100_000_000, n in 1i64..50, cuts in prop::collection::vec(1i64..10, 1..50)) {
        let mut returned = 0;
        let mut refunded = 0;
        for k in cuts {
            let k = k.min(n - returned);
            if k == 0 { break; }
            refunded += cumulative_share(Money(paid), n, returned, k).unwrap().0;
            returned += k;
        }
        if returned < n {
            refunded += cumulative_share(Money(paid), n, returned, n - returned).unwrap().0;
        }
        prop_assert_eq!(refunded, paid);
    }

    #[test]
    fn refunds_never_exceed_what_is_left(
        lines in prop::collection::vec((0i64..2_000_000, 1i64..6, 0i64..6, 0i64..3000), 1..6),
        discount in 0i64..500_000,
        points_bp in 0i64..10_000,
        shipping in 0i64..2000,
        seller_fault in any::<bool>(),
        method in 0usize..4,
        postage in prop::option::of(0i64..5000),
        insured in any::<bool>(),
    ) {
        let mut order_lines = Vec::new();
        let mut ledger_lines = Vec::new();
        let mut items = Vec::new();
        let mut goods = 0i64;
        for (i, (price, qty, returned, refunded_bp)) in lines.iter().enumerate() {
            let returned = (*returned).min(*qty);
            goods += price * qty;
            // Earlier refunds: at most their share of the line before order discounts.
            let refunded = price * returned * refunded_bp / 10_000;
            order_lines.push(format!(r#"{{"id":"L{i}","category":"general","unit_price":{price},"quantity":{qty}}}"#));
            ledger_lines.push(format!(r#"{{"line_id":"L{i}","returned_qty":{returned},"refunded":{refunded}}}"#));
            if returned < *qty {
                let reason = if seller_fault { "quality" } else { "no_reason" };
                items.push(format!(r#"{{"line_id":"L{i}","qty":{},"reason":"{reason}"}}"#, qty - returned));
            }
        }
        prop_assume!(!items.is_empty());
        let discount = discount.min(goods);
        let paid_total = goods - discount + shipping;
        let points = paid_total * points_bp / 10_000;
        // How the goods go back, and the postage when known: its parts are in liability.
        let mut how = ["", r#","return_method":"pickup""#, r#","return_method":"drop_off""#, r#","return_method":"self_ship""#][method].to_owned();
        if let Some(postage) = postage {
            how.push_str(&format!(r#","postage":{postage}"#));
        }
        let input = format!(
            r#"{{"order":{{"id":"O","currency":"CNY","placed_at":"2026-11-01T10:00:00+08:00","delivered_at":"2026-11-03T10:00:00+08:00",
                "shipping_fee":{shipping},"freight_insurance":{insured},"freight_insurance_payout":1000,"discounts":[{{"kind":"threshold","amount":{discount}}}],
                "payments":[{{"tender":"original_payment","amount":{}}},{{"tender":"points","amount":{points}}}],
                "lines":[{}]}},
              "ledger":{{"lines":[{}]}},
              "request":{{"kind":"refund_with_return","items":[{}],"evidence":{{"photos":1,"description_chars":20}}{how}}},
              "now":"2026-11-05T10:00:00+08:00"}}"#,
            paid_total - points, order_lines.join(","), ledger_lines.join(","), items.join(",")
        );
        let parsed = match parse_input(&input) { Ok(p) => p, Err(e) => panic!("{e:?}\n{input}") };
        let decision = match evaluate(policy(), &parsed) {
            Ok(d) => d,
            // Earlier refunds larger than what a line (or the whole order) was paid after discounts are refused as input.
            Err(e) => {
                prop_assert!(e.iter().all(|d| d.path.starts_with("ledger")), "{e:?}");
                return Ok(());
            }
        };
        let already: i64 = parsed.ledger.lines.iter().map(|l| l.refunded.0).sum();
        prop_assert!(decision.refund.total.0 + already <= paid_total, "{} + {} > {}", decision.refund.total.0, already, paid_total);
        prop_assert_eq!(decision.refund.by_tender.iter().map(|t| t.amount.0).sum::<i64>(), decision.refund.total.0);
        prop_assert_eq!(decision.refund.items.0 + decision.refund.shipping.0, decision.refund.total.0);
        let liable: i64 = decision.liability.iter().map(|p| p.amount.0).sum();
        let comp: i64 = decision.compensation.iter().map(|c| c.amount.0).sum();
        let shipping = &decision.return_shipping;
        let postage: i64 = [shipping.insured_amount, shipping.reimbursed, shipping.shopper_pays].iter().flatten().map(|m| m.0).sum();
        prop_assert_eq!(liable, decision.refund.total.0 + comp + postage);
        if let Some(known) = shipping.postage {
            prop_assert_eq!(known.0, postage, "the postage's parts add up to it");
        }
    }
}

mod working_days {
    use aftersale_rules::internals::time::calendar::doc::builtin;
    use aftersale_rules::internals::time::calendar::Calendar;
    use aftersale_rules::internals::time::span::{DayCounting, Span};
    use aftersale_rules::{Instant, Offset, Zone};
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn cn() -> &'static Calendar {
        static CAL: OnceLock<Calendar> = OnceLock::new();
        CAL.get_or_init(|| builtin("cn").unwrap())
    }

    const E8: Zone = Zone::Fixed(Offset(480));
    /// 2000-01-01T00:00+08:00 and a hundred years on: before, inside and after the years the
    /// calendar lists (2025–2026).
    const FROM: i64 = 946_656_000_000;
    const SPAN: i64 = 36_500 * 86_400_000;

    fn working(day: chrono::NaiveDate) -> bool {
        cn().day(day).unwrap().working
    }

    /// Whether a count from `start` to `due` consulted a day outside the listed years.
    fn beyond(start: Instant, due: Instant) -> bool {
        use chrono::Datelike;
        let listed = |t: Instant, days: u64| {
            t.local_date(E8).unwrap().checked_add_days(chrono::Days::new(days)).is_some_and(|d| (2025..=2026).contains(&d.year()))
        };
        !(listed(start, 1) && listed(due, 0))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn a_working_day_deadline_is_on_a_working_day(offset in 0i64..SPAN, n in 1u32..40, from_event in any::<bool>()) {
            let counting = if from_event { DayCounting::FromEvent } else { DayCounting::NextDay };
            let start = Instant(FROM + offset);
            let due = Span::WorkingDays(n).add(start, counting, Some(cn()), E8).unwrap();
            prop_assert!(working(due.at.local_date(E8).unwrap()));
            prop_assert_eq!(due.provisional, beyond(start, due.at));
        }

        #[test]
        fn adding_n_then_m_working_days_is_adding_n_plus_m(offset in 0i64..SPAN, n in 1u32..30, m in 1u32..30) {
            let start = Instant(FROM + offset);
            for counting in [DayCounting::NextDay, DayCounting::FromEvent] {
                let add = |t: Instant, k: u32| Span::WorkingDays(k).add(t, counting, Some(cn()), E8).unwrap().at;
                let (once, twice) = (add(start, n + m), add(add(start, n), m));
                prop_assert_eq!(once.local_date(E8), twice.local_date(E8));
            }
        }

        #[test]
        fn business_minutes_end_inside_business_hours(offset in 0i64..SPAN, minutes in 1i64..3000) {
            let (due, _) = cn().add_business_minutes(Instant(FROM + offset), minutes, E8).unwrap();
            let day = due.local_date(E8).unwrap();
            prop_assert!(working(day));
            let into_day = due.0 - Instant::start_of_local_day(day, E8).0;
            prop_assert!((9 * 60 * 60_000..=18 * 60 * 60_000).contains(&into_day), "{}", due.to_rfc3339(Offset(480)));
        }

        /// Under summer time too, a day span keeps the local clock time and an end of day is
        /// the last millisecond before local midnight, whichever offsets the days have.
        #[test]
        fn berlin_days_keep_the_local_clock(offset in 0i64..SPAN, n in 1u32..400) {
            let berlin = Zone::named("Europe/Berlin").unwrap();
            let start = Instant(FROM + offset);
            let same = Span::Days(n).add(start, DayCounting::FromEvent, None, berlin).unwrap().at;
            let clock = |t: Instant| berlin.to_local(t).rem_euclid(86_400_000);
            // Unless the start's clock time is skipped on the day it lands (02:00–03:00 in spring).
            let skipped = clock(same) != clock(start);
            prop_assert!(!skipped || (2 * 3_600_000..3 * 3_600_000).contains(&clock(start)));
            let end = Span::Days(n).add(start, DayCounting::NextDay, None, berlin).unwrap().at;
            prop_assert_eq!(clock(end), 86_399_999);
            prop_assert_eq!(berlin.to_local(Instant(end.0 + 1)).rem_euclid(86_400_000), 0);
        }
    }
}
