//! Whether one item may have what is asked, and why not.
//!
//! Order of judgement: quantity; the statutory layer's exclusions; the windows; then the
//! platform's and merchant's rules, which may not take away a statutory right: where the
//! statutory layer alone would allow the item, their denial becomes a review instead. A
//! seller's promise on the line (the commitment layer) grants like a window, and no rule of
//! any layer refuses what it grants: at most it sends the request to review.

use super::notes::Trace;
use std::borrow::Cow;

use crate::answer::{
    CapBasis, ClaimOut, Denial, ItemDecision, ItemOption, NoReturnGrant, ResolutionList, ReviewReason, TraceEntry, ValueOut, Values,
    WindowOut,
};
use crate::expr::check::Node;
use crate::expr::eval::holds;
use crate::expr::fields::{ItemScope, Scope, Settled};
use crate::messages::{render, Arg, Message};
use crate::model::RequestKind;
use crate::policy::compile::{Claim, Effect, NoReturnRule, Rule, WarrantyDefault, Window, WindowLength};
use crate::policy::{CompiledPolicy, Counting};
use crate::time::calendar::Calendar;
use crate::time::span::{DayCounting, Due, Span, SpanError};
use crate::time::{Duration, Instant, Timestamp};
use crate::vocab::{Anchor, Authority, Layer, Phase, Resolution, Tier};
use crate::wire::error::Diagnostic;
use crate::wire::error::Errors;
use crate::wire::text::Text;

/// What was decided for one item.
#[derive(Debug, Default)]
pub struct ItemOutcome {
    pub denial: Option<Denial>,
    pub resolutions: Vec<Resolution>,
    pub window: Option<WindowOut>,
    pub reviews: Vec<ReviewReason>,
    /// Every kind of request, and whether the item could take it now.
    pub options: Vec<ItemOption>,
    /// Fees (rule id, basis points of the item's refund) that apply.
    pub fees: Vec<(Text, i64)>,
    pub destroy_on_site: bool,
    /// Refunded in transit: the parcel is intercepted and comes back to the seller.
    pub interception: bool,
    pub no_return: Option<NoReturnGrant>,
    /// The last moment of the line's warranty, when a warranty window applies to it.
    pub warranty_until: Option<Timestamp>,
    pub claim: Option<ClaimOut>,
    /// A partial refund's rule and share (basis points of what the units were paid).
    pub partial: Option<(Text, i64)>,
}

/// Where a matching window stands at "now".
#[derive(Debug, Clone, Copy)]
enum WindowState {
    /// The anchor event has not happened (or not by now).
    NotStarted,
    /// Open until its last moment, inclusive.
    Open {
        last: Due,
    },
    Closed {
        last: Due,
    },
}

fn anchor_time(anchor: Anchor, s: &Scope<'_>) -> Option<Instant> {
    let o = s.order;
    match anchor {
        Anchor::Placed => Some(o.placed_at),
        Anchor::Paid => o.paid_at,
        Anchor::Shipped => o.shipped_at,
        Anchor::Delivered => o.delivered_at,
        // One parcel: the delivery is the last parcel.
        Anchor::LastParcelDelivered => o.last_parcel_delivered_at.or(o.delivered_at),
        Anchor::WarrantyStart => {
            let facts = s.item.map(|i| &i.line.facts);
            let events = [facts.and_then(|f| f.installed_at), facts.and_then(|f| f.replaced_at)];
            o.delivered_at.map(|delivered| events.into_iter().flatten().fold(delivered, Instant::max))
        }
        Anchor::Refused => s.item.and_then(|i| i.ledger.refused_at),
    }
}

/// The window's length for this item: a warranty is the line's own, or the default when the
/// line labels none.
fn length(w: &Window, s: &Scope<'_>) -> WindowLength {
    let WindowLength::Warranty(default) = w.length else { return w.length };
    let labelled = s.item.map_or(0, |i| u32::try_from(i.line.facts.warranty_months).unwrap_or(u32::MAX));
    match default {
        Some(WarrantyDefault::Days(d)) if labelled == 0 => WindowLength::Days(d),
        Some(WarrantyDefault::Months(m)) if labelled == 0 => WindowLength::Months(m),
        _ => WindowLength::Months(labelled),
    }
}

/// The window's last moment (inclusive), counted from `start`.
fn window_last(w: &Window, start: Instant, s: &Scope<'_>, cal: Option<&Calendar>) -> Result<Due, SpanError> {
    let length = length(w, s);
    let mut last = match length {
        WindowLength::Months(m) => {
            // The same day of the month `m` months on, to its end (a 31st becomes the month's last day).
            let day = start
                .local_date(s.zone)
                .ok_or(SpanError::Overflow)?
                .checked_add_months(chrono::Months::new(m))
                .ok_or(SpanError::Overflow)?;
            let next = day.succ_opt().ok_or(SpanError::Overflow)?;
            Due::exact(Instant(Instant::start_of_local_day(next, s.zone).0 - 1))
        }
        _ => window_span_last(w.counting, length, start, s, cal)?,
    };
    if w.exclude_repair_days {
        let repair = s.item.map_or(0, |i| i.line.facts.repair_days);
        let extra = i64::try_from(repair).ok().and_then(|d| d.checked_mul(Duration::DAY)).ok_or(SpanError::Overflow)?;
        last.at = last.at.checked_add_ms(extra).filter(|at| at.is_writable()).ok_or(SpanError::Overflow)?;
    }
    if !last.at.is_writable() {
        return Err(SpanError::Overflow);
    }
    if !w.roll_forward {
        return Ok(last);
    }
    // EU-style: a period ending on a non-working day ends at the end of the next working day.
    let cal = cal.ok_or(SpanError::NoCalendar)?;
    let day = last.at.local_date(s.zone).ok_or(SpanError::Overflow)?;
    let today = cal.day(day)?;
    if today.working {
        return Ok(Due { at: last.at, provisional: last.provisional || today.provisional });
    }
    let rolled = Span::WorkingDays(1).add(Instant::start_of_local_day(day, s.zone), DayCounting::NextDay, Some(cal), s.zone)?;
    Ok(Due { at: rolled.at, provisional: rolled.provisional || last.provisional || today.provisional })
}

/// The last moment of a window measured in days or hours.
fn window_span_last(
    counting: Counting,
    length: WindowLength,
    start: Instant,
    s: &Scope<'_>,
    cal: Option<&Calendar>,
) -> Result<Due, SpanError> {
    let (span, counting) = match (counting, length) {
        (Counting::NextLocalDay, WindowLength::Days(n)) => (Span::Days(days(n)?), DayCounting::NextDay),
        (Counting::Exact, WindowLength::Days(n)) => (Span::Days(days(n)?), DayCounting::FromEvent),
        (Counting::WorkingDays, WindowLength::Days(n)) => (Span::WorkingDays(days(n)?), DayCounting::NextDay),
        (_, WindowLength::Hours(h)) => (Span::Minutes(h.checked_mul(60).ok_or(SpanError::Overflow)?), DayCounting::FromEvent),
        (_, WindowLength::Months(_) | WindowLength::Warranty(_)) => return Err(SpanError::Overflow),
    };
    span.add(start, counting, cal, s.zone)
}

fn days(n: i64) -> Result<u32, SpanError> {
    u32::try_from(n).map_err(|_| SpanError::Overflow)
}

/// Where a window stands at `s.now`; a calendar gap is an input error on the anchor.
fn state(w: &Window, s: &Scope<'_>, cal: Option<&Calendar>) -> Result<WindowState, Diagnostic> {
    match anchor_time(w.anchor, s) {
        Some(start) if start <= s.now => match window_last(w, start, s, cal) {
            Ok(last) if s.now <= last.at => Ok(WindowState::Open { last }),
            Ok(last) => Ok(WindowState::Closed { last }),
            Err(e) => Err(e.at(anchor_path(w.anchor), cal)),
        },
        _ => Ok(WindowState::NotStarted),
    }
}

fn anchor_path(anchor: Anchor) -> &'static str {
    match anchor {
        Anchor::Placed => "order.placed_at",
        Anchor::Paid => "order.paid_at",
        Anchor::Shipped => "order.shipped_at",
        Anchor::Delivered => "order.delivered_at",
        Anchor::LastParcelDelivered => "order.last_parcel_delivered_at",
        Anchor::WarrantyStart => "order.delivered_at",
        Anchor::Refused => "ledger.lines.refused_at",
    }
}

fn last_moment(last: Instant, s: &Scope<'_>) -> Timestamp {
    Timestamp::new(last, s.zone)
}

/// `prefix` and then `at` in RFC 3339, in one allocation: the trace's most frequent effects
/// ("window open until …"), written a few times for every item of every decision.
fn effect_at(prefix: &str, at: Instant, s: &Scope<'_>) -> String {
    let mut out = String::with_capacity(prefix.len() + 29);
    out.push_str(prefix);
    out.push_str(at.rfc3339(s.zone.offset_at(at)).as_str());
    out
}

fn window_out(w: &Window, last: Due, s: &Scope<'_>) -> WindowOut {
    WindowOut {
        rule: w.id.clone(),
        layer: w.layer,
        closes_at: last_moment(last.at, s),
        provisional: last.provisional,
        legal_ref: w.legal_ref.clone(),
    }
}

fn trace(trace: &mut Trace, rule: &Text, line_id: &Text, effect: impl FnOnce() -> String) {
    trace.add(|| TraceEntry { rule: rule.clone(), line_id: Some(line_id.clone()), effect: effect() });
}

fn deny(code: Text, rule: Text, layer: Option<Layer>, legal_ref: Option<&Text>, values: Vec<(&'static str, ValueOut)>) -> Denial {
    Denial {
        code,
        rule,
        layer,
        legal_ref: legal_ref.cloned(),
        values: Values(values.into_iter().map(|(k, v)| (Text::Static(k), v)).collect()),
    }
}

/// A window that applies to the item, and where it stands at "now".
#[derive(Debug, Clone)]
struct Match<'p> {
    window: Cow<'p, Window>,
    state: WindowState,
}

/// What is true of one item whatever kind of request is asked: the windows that apply, the
/// rules that matched, and the gates for refund without return.
#[derive(Debug)]
struct Assessment<'p> {
    matches: Vec<Match<'p>>,
    /// Every resolution some open window grants, sorted.
    open: Vec<Resolution>,
    qty_denial: Option<Denial>,
    /// The requested units already had their price difference (one per unit).
    price_difference_denial: Option<Denial>,
    /// Everything the line was paid has been paid back: no amount is left to pay.
    nothing_left: Option<Denial>,
    statutory_denial: Option<Denial>,
    extension_denial: Option<Denial>,
    fees: Vec<(&'p Text, i64)>,
    reviews: Vec<ReviewReason>,
    no_return: Option<&'p NoReturnRule>,
    phase: Phase,
    /// The first claim rule that applies, with its deadlines (once its anchor happened).
    claim: Option<ClaimOut>,
    /// A claim rule applied: the first one decides, started or not.
    claimed: bool,
    /// The first partial-refund rule for the item's defect share: its id and share.
    partial: Option<(&'p Text, i64)>,
    /// The defect share is within that rule's tolerance: no price difference is owed.
    tolerance_denial: Option<Denial>,
    /// An exchange for another variant is asked (`exchange_for`).
    variant: bool,
}

/// The verdict for one kind of request.
#[derive(Debug)]
struct Verdict<'a> {
    refusal: Option<Refusal<'a>>,
    window: Option<(&'a Window, Due)>,
    /// The layer of a window that grants what is asked, as a right: statutory (extensions may
    /// not deny it, nor charge fees) or commitment (no rule may).
    right: Option<Layer>,
    /// A denial that the right overrode.
    overridden: Option<&'a Denial>,
    /// Decided before delivery, without windows (granted: a cancellation or an interception).
    before_delivery: bool,
}

/// Why a kind of request is refused, pointing at what decided it. Every item is judged for
/// all five kinds (its `options`) but only the kind asked needs a whole [`Denial`]: the others
/// need only the code, so the denial's texts are built for that one alone.
#[derive(Debug, Clone, Copy)]
enum Refusal<'a> {
    /// A denial the assessment already built: quantity, a statutory or an extension rule.
    Built(&'a Denial),
    ResolutionNotAvailable(Resolution),
    WindowClosed(&'a Window, Instant),
    NotStarted(&'a Window),
    NoWindow(Resolution),
    NoReturnNotAllowed,
    PriceDifferenceNotOffered,
    NotPaid,
    NotShipped,
}

impl Refusal<'_> {
    fn code(&self) -> Text {
        Text::Static(match self {
            Refusal::Built(d) => return d.code.clone(),
            Refusal::ResolutionNotAvailable(_) => "RESOLUTION_NOT_AVAILABLE",
            Refusal::WindowClosed(..) => "WINDOW_CLOSED",
            Refusal::NotStarted(w) if matches!(w.anchor, Anchor::Delivered | Anchor::LastParcelDelivered | Anchor::WarrantyStart) => {
                "NOT_DELIVERED"
            }
            Refusal::NotStarted(_) => "ANCHOR_MISSING",
            Refusal::NoWindow(_) => "NO_WINDOW",
            Refusal::NoReturnNotAllowed => "NO_RETURN_NOT_ALLOWED",
            Refusal::PriceDifferenceNotOffered => "PRICE_DIFFERENCE_NOT_OFFERED",
            Refusal::NotPaid => "NOT_PAID",
            Refusal::NotShipped => "NOT_SHIPPED",
        })
    }

    /// The denial on the wire; `open` is every resolution an open window grants.
    fn denial(&self, s: &Scope<'_>, open: &[Resolution]) -> Denial {
        let code = self.code();
        match *self {
            Refusal::Built(d) => d.clone(),
            Refusal::ResolutionNotAvailable(needed) => deny(
                code,
                "engine.resolution".into(),
                None,
                None,
                vec![
                    ("requested", ValueOut::Text(needed.as_str().to_owned())),
                    ("available", ValueOut::Resolutions(ResolutionList(open.to_vec()))),
                ],
            ),
            Refusal::WindowClosed(w, closes) => {
                deny(code, w.id.clone(), Some(w.layer), w.legal_ref.as_ref(), vec![("closes_at", ValueOut::Time(last_moment(closes, s)))])
            }
            Refusal::NotStarted(w) => {
                deny(code, w.id.clone(), Some(w.layer), w.legal_ref.as_ref(), vec![("anchor", ValueOut::Anchor(w.anchor))])
            }
            Refusal::NoWindow(needed) => {
                deny(code, "engine.window".into(), None, None, vec![("requested", ValueOut::Text(needed.as_str().to_owned()))])
            }
            Refusal::NoReturnNotAllowed => deny(code, "engine.no_return".into(), None, None, Vec::new()),
            Refusal::PriceDifferenceNotOffered => deny(code, "engine.price_difference".into(), None, None, Vec::new()),
            Refusal::NotPaid | Refusal::NotShipped => deny(code, "engine.phase".into(), None, None, Vec::new()),
        }
    }
}

/// Everything the policy and the ledger say about one item, before any kind is judged.
fn assess<'p>(policy: &'p CompiledPolicy, s: &Scope<'_>, log: &mut Trace) -> Result<Assessment<'p>, Errors> {
    let mut a = Assessment {
        matches: Vec::new(),
        open: Vec::new(),
        qty_denial: None,
        price_difference_denial: None,
        nothing_left: None,
        statutory_denial: None,
        extension_denial: None,
        fees: Vec::new(),
        reviews: Vec::new(),
        no_return: None,
        phase: s.phase,
        claim: None,
        claimed: false,
        partial: None,
        tolerance_denial: None,
        variant: s.item.is_some_and(|i| i.item.exchange_for.is_some()),
    };
    let Some(it) = s.item else { return Ok(a) };
    assess_windows(policy, s, &it.line.id, &mut a, log)?;
    assess_rules(policy, s, &it.line.id, &mut a, log)?;
    let settled = &it.reason.settled.no_return;
    for (i, gate) in policy.no_return.iter().enumerate() {
        if applies(Settled::at(settled, policy.no_return.len(), i), &gate.condition, s, &gate.id)? {
            a.no_return = Some(gate);
            break;
        }
    }
    assess_ledger(&it, &mut a);
    Ok(a)
}

/// Whether a per-item condition holds: as the item's reason settled it when the policy
/// compiled, or evaluated.
fn applies(settled: Option<bool>, condition: &Node, s: &Scope<'_>, id: &str) -> Result<bool, Errors> {
    match settled {
        Some(holds) => Ok(holds),
        None => holds(condition, s).map_err(|e| vec![e.of_rule(id)]),
    }
}

/// The windows whose condition holds, and the line's promises, each open, closed or not
/// started; the resolutions open.
fn assess_windows<'p>(
    policy: &'p CompiledPolicy,
    s: &Scope<'_>,
    line_id: &Text,
    a: &mut Assessment<'p>,
    log: &mut Trace,
) -> Result<(), Errors> {
    let settled = s.item.map_or(&[][..], |i| &i.reason.settled.windows);
    for (i, w) in policy.windows.iter().enumerate() {
        let holds = match &w.condition {
            Some(c) => applies(Settled::at(settled, policy.windows.len(), i), c, s, &w.id)?,
            None => true,
        };
        if holds {
            add_match(Cow::Borrowed(w), policy, s, line_id, a, log)?;
        }
    }
    for w in s.item.map(|i| promise_windows(i.line, s)).unwrap_or_default() {
        add_match(Cow::Owned(w), policy, s, line_id, a, log)?;
    }
    a.open.sort_unstable(); // no duplicates
    Ok(())
}

fn add_match<'p>(
    w: Cow<'p, Window>,
    policy: &CompiledPolicy,
    s: &Scope<'_>,
    line_id: &Text,
    a: &mut Assessment<'p>,
    log: &mut Trace,
) -> Result<(), Errors> {
    let state = state(&w, s, policy.calendar.as_ref()).map_err(|e| vec![e])?;
    match state {
        WindowState::NotStarted => {
            trace(log, &w.id, line_id, || ["window not started: the order has no ", w.anchor.as_str(), " time yet"].concat())
        }
        WindowState::Open { last } => {
            trace(log, &w.id, line_id, || effect_at("window open until ", last.at, s));
            for r in &w.resolutions {
                if !a.open.contains(r) {
                    a.open.push(*r);
                }
            }
        }
        WindowState::Closed { last } => trace(log, &w.id, line_id, || effect_at("window closed at ", last.at, s)),
    }
    a.matches.push(Match { window: w, state });
    Ok(())
}

/// The windows a line's promises open, in the commitment layer: returns for any reason from
/// delivery; a warranty from its start for a fault of the goods, repair days excluded.
fn promise_windows(line: &crate::model::Line, s: &Scope<'_>) -> Vec<Window> {
    let seller_fault = s.item.is_some_and(|i| i.reason.fault == crate::vocab::Fault::Seller);
    let window = |p: &crate::model::Promise, anchor, length, resolutions: &[Resolution]| Window {
        id: p.id.clone(),
        condition: None,
        anchor,
        length,
        counting: Counting::NextLocalDay,
        roll_forward: false,
        exclude_repair_days: anchor == Anchor::WarrantyStart,
        resolutions: resolutions.to_vec(),
        layer: Layer::Commitment,
        legal_ref: Some(Text::Static(PROMISE_LEGAL_REF)),
        title: None,
    };
    let mut out = Vec::new();
    for p in &line.promises {
        if let Some(days) = p.return_days {
            out.push(window(p, Anchor::Delivered, WindowLength::Days(i64::from(days)), &[Resolution::Refund, Resolution::Exchange]));
        }
        if let Some(months) = p.warranty_months.filter(|_| seller_fault) {
            out.push(window(p, Anchor::WarrantyStart, WindowLength::Months(months), &[Resolution::Repair]));
        }
    }
    out
}

/// 消费者权益保护法实施条例 第十二条: a seller performs what it promised.
pub const PROMISE_LEGAL_REF: &str = "CN-CRPL-REG-ART12";

/// The rules whose condition holds, in policy order: the first denial of each layer, every
/// review and every fee.
fn assess_rules<'p>(
    policy: &'p CompiledPolicy,
    s: &Scope<'_>,
    line_id: &Text,
    a: &mut Assessment<'p>,
    log: &mut Trace,
) -> Result<(), Errors> {
    let settled = s.item.map_or(&[][..], |i| &i.reason.settled.rules);
    for (i, rule) in policy.rules.iter().enumerate() {
        // A fast track is decided for the whole request, once the items are (settle).
        let known = Settled::at(settled, policy.rules.len(), i);
        if matches!(rule.effect, Effect::FastTrack(_)) || !applies(known, &rule.condition, s, &rule.id)? {
            continue;
        }
        match &rule.effect {
            Effect::Deny(code) => {
                trace(log, &rule.id, line_id, || ["deny ", code, " (", rule.layer.as_str(), " layer)"].concat());
                let slot = if rule.layer == Layer::Statutory { &mut a.statutory_denial } else { &mut a.extension_denial };
                if slot.is_none() {
                    *slot = Some(deny(code.clone(), rule.id.clone(), Some(rule.layer), rule.legal_ref.as_ref(), Vec::new()));
                }
            }
            Effect::Review(tier) => {
                trace(log, &rule.id, line_id, || ["review by ", tier.as_str()].concat());
                a.reviews.push(ReviewReason { rule: rule.id.clone(), tier: *tier });
            }
            Effect::Fee(bp) => a.fees.push((&rule.id, *bp)),
            Effect::Claim(claim) if !a.claimed => {
                a.claimed = true;
                assess_claim(policy, rule, claim, s, line_id, a, log)?;
            }
            Effect::PartialRefund(p) if a.partial.is_none() => {
                let Some(defect) = s.item.and_then(|i| i.item.defect_bp) else { continue };
                let bp = p.refund_bp(defect);
                trace(log, &rule.id, line_id, || format!("{defect} bp spoiled or missing: {bp} bp of the units' price"));
                a.partial = Some((&rule.id, i64::try_from(bp).unwrap_or(0)));
                if bp == 0 {
                    let values = vec![
                        ("defect_bp", ValueOut::Int(i64::try_from(defect).unwrap_or(0))),
                        ("tolerance_bp", ValueOut::Int(i64::try_from(p.tolerance_bp).unwrap_or(0))),
                    ];
                    a.tolerance_denial =
                        Some(deny("WITHIN_TOLERANCE".into(), rule.id.clone(), Some(rule.layer), rule.legal_ref.as_ref(), values));
                }
            }
            Effect::Claim(_) | Effect::FastTrack(_) | Effect::PartialRefund(_) => {}
        }
    }
    Ok(())
}

/// A claim's deadlines for the item, from its anchor; reported or filed late is a denial in
/// the rule's layer. The problem is reported by this request unless the item says when before.
fn assess_claim(
    policy: &CompiledPolicy,
    rule: &Rule,
    claim: &Claim,
    s: &Scope<'_>,
    line_id: &Text,
    a: &mut Assessment<'_>,
    log: &mut Trace,
) -> Result<(), Errors> {
    let Some(start) = anchor_time(claim.anchor, s).filter(|t| *t <= s.now) else {
        trace(log, &rule.id, line_id, || ["claim deadlines not started: the order has no ", claim.anchor.as_str(), " time yet"].concat());
        return Ok(());
    };
    let cal = policy.calendar.as_ref();
    let by = |span: Option<Span>| -> Result<Option<Instant>, Errors> {
        let Some(span) = span else { return Ok(None) };
        let due =
            span.add(start, claim.counting, cal, s.zone).and_then(|d| if d.at.is_writable() { Ok(d.at) } else { Err(SpanError::Overflow) });
        due.map(Some).map_err(|e| vec![e.at(anchor_path(claim.anchor), cal)])
    };
    let (report_by, file_by) = (by(claim.report_within)?, by(claim.file_within)?);
    let reported = s.item.and_then(|i| i.item.reported_at).unwrap_or(s.now);
    let late = match (report_by, file_by) {
        (Some(by), _) if reported > by => Some(("REPORTED_LATE", "report_by", by)),
        (_, Some(by)) if s.now > by => Some(("FILED_LATE", "file_by", by)),
        _ => None,
    };
    if let Some((code, name, by)) = late {
        let code = claim.code.clone().unwrap_or(Text::Static(code));
        trace(log, &rule.id, line_id, || ["deny ", &code, " (", rule.layer.as_str(), " layer)"].concat());
        let slot = if rule.layer == Layer::Statutory { &mut a.statutory_denial } else { &mut a.extension_denial };
        if slot.is_none() {
            let values = vec![(name, ValueOut::Time(last_moment(by, s)))];
            *slot = Some(deny(code, rule.id.clone(), Some(rule.layer), rule.legal_ref.as_ref(), values));
        }
    } else {
        trace(log, &rule.id, line_id, || "claim within its deadlines".to_owned());
    }
    a.claim = Some(ClaimOut {
        rule: rule.id.clone(),
        report_by: report_by.map(|at| last_moment(at, s)),
        file_by: file_by.map(|at| last_moment(at, s)),
        legal_ref: rule.legal_ref.clone(),
    });
    Ok(())
}

/// What the ledger leaves of the line: units to return, units without a price difference yet,
/// money to refund.
fn assess_ledger(it: &ItemScope<'_>, a: &mut Assessment<'_>) {
    let remaining = it.line.quantity - it.ledger.returned_qty;
    if it.item.qty > remaining {
        a.qty_denial = Some(deny(
            "QTY_EXCEEDS_REMAINING".into(),
            "engine.quantity".into(),
            None,
            None,
            vec![("requested", ValueOut::Int(it.item.qty)), ("remaining", ValueOut::Int(remaining))],
        ));
    }
    // Units are alike: the units already given a price difference count as kept.
    let without = (remaining - it.ledger.price_difference_qty).max(0);
    if it.item.qty > without {
        a.price_difference_denial = Some(deny(
            "PRICE_DIFFERENCE_ALREADY_PAID".into(),
            "engine.price_difference".into(),
            None,
            None,
            vec![("requested", ValueOut::Int(it.item.qty)), ("remaining", ValueOut::Int(without))],
        ));
    }
    let paid_back = it.ledger.paid_back().unwrap_or(it.line_paid);
    if paid_back >= it.line_paid {
        a.nothing_left = Some(deny("NOTHING_LEFT_TO_REFUND".into(), "engine.amount".into(), None, None, Vec::new()));
    }
}

/// Before delivery (售中) windows do not apply: an unpaid order has nothing to refund; before
/// shipment a refund without return cancels the item; in transit it intercepts the parcel
/// (every other kind then waits for delivery, as the windows say). No gate is needed: the
/// goods never reached the shopper. The engine's facts and the extensions' denials still refuse.
fn before_delivery<'a, 'p>(a: &'a Assessment<'p>, kind: RequestKind) -> Option<Verdict<'a>> {
    let refusal = match (a.phase, kind) {
        (Phase::Unpaid, _) => Some(Refusal::NotPaid),
        (Phase::Paid | Phase::InTransit, RequestKind::RefundWithoutReturn) => {
            a.qty_denial.as_ref().or(a.nothing_left.as_ref()).or(a.extension_denial.as_ref()).map(Refusal::Built)
        }
        (Phase::Paid, _) => Some(Refusal::NotShipped),
        (Phase::Delivered | Phase::InTransit, _) => return None,
    };
    Some(Verdict { refusal, window: None, right: None, overridden: None, before_delivery: true })
}

/// The verdict on one kind of request, from the assessment.
fn judge<'a, 'p>(policy: &CompiledPolicy, a: &'a Assessment<'p>, kind: RequestKind) -> Verdict<'a> {
    if let Some(verdict) = before_delivery(a, kind) {
        return verdict;
    }
    let needed = kind.resolution();
    let mut best_open: Option<(&Window, Due)> = None;
    let mut best_closed: Option<(&Window, Due)> = None;
    let mut not_started: Option<&Window> = None;
    // A right stands: a statutory window, or a promise, grants what is asked.
    let mut right = None;
    for m in a.matches.iter().filter(|m| m.window.resolutions.contains(&needed)) {
        match m.state {
            WindowState::Open { last } => {
                if matches!(m.window.layer, Layer::Statutory | Layer::Commitment) && right != Some(Layer::Commitment) {
                    right = Some(m.window.layer);
                }
                if best_open.is_none_or(|(_, l)| last > l) {
                    best_open = Some((&m.window, last));
                }
            }
            WindowState::Closed { last } => {
                if best_closed.is_none_or(|(_, l)| last > l) {
                    best_closed = Some((&m.window, last));
                }
            }
            WindowState::NotStarted => not_started = not_started.or(Some(&m.window)),
        }
    }
    if kind == RequestKind::Goodwill {
        // An amount agreed outside any window: only the engine's facts and the extensions'
        // own denials refuse it (no statutory right is at stake).
        let refusal = a.qty_denial.as_ref().or(a.extension_denial.as_ref()).or(a.nothing_left.as_ref()).map(Refusal::Built);
        return Verdict { refusal, window: None, right: None, overridden: None, before_delivery: false };
    }
    let mut verdict = Verdict { refusal: None, window: best_open.or(best_closed), right, overridden: None, before_delivery: false };
    // No rule of any layer refuses what a promise grants (at most it sends it to review).
    let statutory_denial = a.statutory_denial.as_ref().filter(|_| right != Some(Layer::Commitment));
    verdict.refusal = if let Some(d) = a.qty_denial.as_ref().or(statutory_denial) {
        Some(Refusal::Built(d))
    } else if best_open.is_none() {
        // Why no window grants what is asked.
        Some(match (best_closed, not_started) {
            _ if !a.open.is_empty() => Refusal::ResolutionNotAvailable(needed),
            (Some((w, closes)), _) => Refusal::WindowClosed(w, closes.at),
            (None, Some(w)) => Refusal::NotStarted(w),
            (None, None) => Refusal::NoWindow(needed),
        })
    } else if kind == RequestKind::RefundWithoutReturn && a.no_return.is_none() {
        // Keeping the goods is an extension, never a statutory right.
        Some(Refusal::NoReturnNotAllowed)
    } else if kind == RequestKind::PriceDifference && policy.price_difference.is_none() && a.partial.is_none() {
        Some(Refusal::PriceDifferenceNotOffered)
    } else if let Some(d) = a
        .price_difference_denial
        .as_ref()
        .or(a.nothing_left.as_ref())
        .or(a.tolerance_denial.as_ref())
        .filter(|_| kind == RequestKind::PriceDifference)
    {
        Some(Refusal::Built(d))
    } else if let Some(d) = a.price_difference_denial.as_ref().filter(|_| kind == RequestKind::Exchange && a.variant) {
        // A unit changes variant once, and a unit that had a price difference keeps its price:
        // a second change would pay the difference to the original price again.
        Some(Refusal::Built(d))
    } else if let Some(denial) = a.statutory_denial.as_ref().or(a.extension_denial.as_ref()) {
        if right.is_some() {
            verdict.overridden = Some(denial);
            None
        } else {
            Some(Refusal::Built(denial))
        }
    } else {
        None
    };
    verdict
}

fn stands(right: Layer) -> &'static str {
    if right == Layer::Commitment {
        "the promise stands"
    } else {
        "the statutory right stands"
    }
}

/// The end of the line's warranty, by the latest-closing warranty window that applies to it.
fn warranty_until(a: &Assessment<'_>, s: &Scope<'_>) -> Option<Timestamp> {
    let warranty =
        |w: &Window| matches!(w.length, WindowLength::Warranty(_)) || (w.layer == Layer::Commitment && w.anchor == Anchor::WarrantyStart);
    let last = a.matches.iter().filter(|m| warranty(&m.window)).filter_map(|m| match m.state {
        WindowState::Open { last } | WindowState::Closed { last } => Some(last.at),
        WindowState::NotStarted => None,
    });
    last.max().map(|at| last_moment(at, s))
}

/// Decides one item for `kind`, and with `options`, which other kinds it could take now.
/// `s.item` is set.
pub fn decide_item(
    policy: &CompiledPolicy,
    s: &Scope<'_>,
    (kind, options): (RequestKind, bool),
    log: &mut Trace,
) -> Result<ItemOutcome, Errors> {
    let a = assess(policy, s, log)?;
    let Some(it) = s.item else { return Ok(ItemOutcome::default()) };
    let line_id = &it.line.id;
    let verdict = judge(policy, &a, kind);
    let mut out = ItemOutcome { reviews: a.reviews.clone(), ..ItemOutcome::default() };
    if let Some(denial) = verdict.overridden {
        // An extension may not take away a statutory right; at most it sends the
        // request to review.
        let layer = verdict.right.unwrap_or(Layer::Statutory);
        trace(log, &denial.rule, line_id, || ["overridden: ", stands(layer), "; sent to agent review"].concat());
        out.reviews.push(ReviewReason { rule: denial.rule.clone(), tier: Tier::Agent });
    }
    out.window = verdict.window.map(|(w, last)| window_out(w, last, s));
    out.warranty_until = warranty_until(&a, s);
    out.claim = a.claim.clone();
    out.partial = a.partial.map(|(rule, bp)| (rule.clone(), bp));
    // What the item may still take: all the open windows grant, unless something other than
    // the choice of resolution stands in the way.
    if verdict.refusal.is_none_or(|r| matches!(r, Refusal::ResolutionNotAvailable(_))) {
        out.resolutions = a.open.clone();
    }
    if options {
        out.options = RequestKind::SHOPPER
            .iter()
            .map(|k| {
                let refusal = if *k == kind { verdict.refusal } else { judge(policy, &a, *k).refusal };
                ItemOption { kind: *k, available: refusal.is_none(), code: refusal.map(|r| r.code()) }
            })
            .collect();
    }
    if verdict.refusal.is_none() && verdict.before_delivery {
        // Granted before delivery: a cancellation, or a refund once the intercepted parcel is back.
        out.resolutions = vec![Resolution::Refund];
        out.interception = a.phase == Phase::InTransit;
        let effect = if out.interception {
            "in transit: the parcel is intercepted, refund when it is back"
        } else {
            "not shipped: the item is cancelled"
        };
        trace(log, &Text::Static("engine.phase"), line_id, || effect.to_owned());
    } else if verdict.refusal.is_none() {
        for (rule, bp) in &a.fees {
            if let Some(layer) = verdict.right {
                trace(log, rule, line_id, || ["fee waived: ", stands(layer)].concat());
            } else {
                trace(log, rule, line_id, || format!("fee {bp} bp of the refund"));
                out.fees.push(((*rule).clone(), *bp));
            }
        }
        if let (RequestKind::RefundWithoutReturn, Some(gate)) = (kind, a.no_return) {
            let how = if gate.destroy_on_site { "the goods are destroyed on site" } else { "the goods stay with the shopper" };
            let by = match gate.authorised_by {
                Authority::Merchant => "; authorised by the merchant",
                Authority::Platform => "; authorised by the platform",
            };
            trace(log, &gate.id, line_id, || ["refund without return: ", how, by].concat());
            out.destroy_on_site = gate.destroy_on_site;
            out.no_return =
                Some(NoReturnGrant { rule: gate.id.clone(), authorised_by: gate.authorised_by, legal_ref: gate.legal_ref.clone() });
        }
    }
    out.denial = verdict.refusal.map(|r| r.denial(s, &a.open));
    Ok(out)
}

fn resolution_names(list: &[Resolution]) -> Arg<'static> {
    let names = |zh: bool| {
        list.iter()
            .map(|r| {
                let (z, e) = crate::messages::resolution_words(*r);
                if zh {
                    z
                } else {
                    e
                }
            })
            .collect::<Vec<_>>()
            .join(if zh { "、" } else { ", " })
    };
    Arg::Localized { zh: names(true).into(), en: names(false).into() }
}

fn anchor_name(anchor: Anchor) -> Arg<'static> {
    let (zh, en) = crate::messages::anchor_words(anchor);
    Arg::Localized { zh: zh.into(), en: en.into() }
}

/// A message for every item: why it is eligible until when, or why not.
pub fn item_messages(policy: &CompiledPolicy, items: &[ItemDecision], kind: RequestKind, phase: Phase) -> Vec<Message> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let window_title = |rule: &str| {
            let titled = policy.windows.iter().find(|w| w.id == rule).and_then(|w| w.title.as_ref());
            match titled {
                Some(t) => Arg::Localized { zh: t.zh.as_str().into(), en: t.en.as_str().into() },
                None => Arg::Localized { zh: "售后期限".into(), en: "after-sales window".into() },
            }
        };
        let line = Some(&item.line_id);
        if let Some(cap) = &item.refund.capped {
            let basis = match cap.basis {
                CapBasis::UnitsShare => {
                    Arg::Localized { zh: "所退件数的实付金额".into(), en: "what these units were paid".into() }
                }
                CapBasis::LineRemaining => {
                    Arg::Localized { zh: "该商品剩余可退金额".into(), en: "what is left of the item after earlier refunds".into() }
                }
            };
            let amount = |m: crate::money::Money| Arg::Plain(m.format(policy.money).into());
            out.push(render(
                "AMOUNT_CAPPED".into(),
                line,
                &[("asked", amount(cap.asked)), ("cap", amount(cap.cap)), ("basis", basis)],
                policy.texts("AMOUNT_CAPPED"),
            ));
        }
        let message = match (&item.denial, &item.window) {
            (None, Some(w)) => render(
                "ITEM_ELIGIBLE".into(),
                line,
                &[("window", window_title(&w.rule)), ("closes_at", Arg::Plain(w.closes_at.to_local_minute().into()))],
                policy.texts("ITEM_ELIGIBLE"),
            ),
            // Granted before delivery, without a window: a cancellation or an interception.
            (None, None) => match phase {
                _ if kind != RequestKind::RefundWithoutReturn => continue,
                Phase::Paid => render("CANCELLED_BEFORE_SHIPMENT".into(), line, &[], policy.texts("CANCELLED_BEFORE_SHIPMENT")),
                Phase::InTransit => render("INTERCEPTION_REQUIRED".into(), line, &[], policy.texts("INTERCEPTION_REQUIRED")),
                Phase::Unpaid | Phase::Delivered => continue,
            },
            (Some(d), _) => {
                let mut args: Vec<(&str, Arg)> = vec![("window", window_title(&d.rule))];
                for (k, v) in &d.values.0 {
                    let arg = match (k.as_str(), v) {
                        (_, ValueOut::Time(t)) => Arg::Plain(t.to_local_minute().into()),
                        (_, ValueOut::Resolutions(list)) => resolution_names(&list.0),
                        (_, ValueOut::Anchor(anchor)) => anchor_name(*anchor),
                        (_, ValueOut::Text(t)) => Arg::Plain(t.as_str().into()),
                        (_, ValueOut::Int(n)) => Arg::Plain(n.to_string().into()),
                    };
                    args.push((k, arg));
                }
                render(d.code.clone(), line, &args, policy.texts(&d.code))
            }
        };
        out.push(message);
        if let Some(grant) = &item.no_return {
            let (zh, en) = crate::messages::authority_words(grant.authorised_by);
            let authority = Arg::Localized { zh: zh.into(), en: en.into() };
            out.push(render("NO_RETURN_AUTHORISED".into(), line, &[("authority", authority)], policy.texts("NO_RETURN_AUTHORISED")));
        }
        let moved = |x: &&crate::answer::ExchangeOut| x.due > crate::money::Money::ZERO || item.refund.amount > crate::money::Money::ZERO;
        if let Some(x) = item.exchange.as_ref().filter(moved) {
            let (code, amount) =
                if x.due > crate::money::Money::ZERO { ("EXCHANGE_DUE", x.due) } else { ("EXCHANGE_REFUND", item.refund.amount) };
            let args = [("sku", Arg::Plain(x.sku.as_str().into())), ("amount", Arg::Plain(amount.format(policy.money).into()))];
            out.push(render(code.into(), line, &args, policy.texts(code)));
        }
    }
    out
}
