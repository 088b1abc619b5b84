//! The order-wide parts of a decision, step by step: shipping refund, clawbacks and
//! deductions, the total and its tender split, restored coupons, return postage, liability per
//! party, compensation, evidence and approval, deadlines, and the effects to record.

use super::accounts::Accounts;
use super::clawback::{self, Units};
use super::damages::{damages, Refunded};
use super::items::Resolved;
use super::notes::{Said, Trace};
use super::refund::OrderMoney;
use crate::answer::*;
use crate::expr::eval::holds;
use crate::expr::fields::Scope;
use crate::messages::{render, Arg, Message};
use crate::model::{
    CompensationKind, DeductionKind, DiscountKind, Effects, Ledger, LedgerCompensation, LedgerDeduction, LedgerLine, RequestKind,
};
use crate::money::{apply_bp, Money};
use crate::policy::compile::{Effect, FastTrack, ServiceLevel};
use crate::policy::doc::{Applies, CouponBase, RestoreCoupons};
use crate::policy::{CompiledPolicy, ShippingRefund};
use crate::time::{Instant, Timestamp};
use crate::vocab::{Fault, Party, Payer, Phase, Tier};
use crate::wire::error::overflow;
use crate::wire::error::Errors;
use crate::wire::text::Text;

/// What the items' decisions pass on to the order-wide settlement.
#[derive(Debug, Default)]
pub struct Extras {
    pub reviews: Vec<ReviewReason>,
    /// Fees and diminished value, item by item.
    pub deductions: Vec<Deduction>,
    pub destroy_on_site: bool,
    /// An item is refunded in transit: its parcel is intercepted.
    pub interception: bool,
}

/// Everything settlement reads.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub policy: &'a CompiledPolicy,
    pub scope: &'a Scope<'a>,
    pub ledger: &'a Ledger,
    pub accounts: &'a Accounts,
    pub money: &'a OrderMoney,
    pub resolved: &'a [Resolved<'a>],
    pub items: &'a [ItemDecision],
    /// Whether the messages are wanted (the input's view).
    pub messages: bool,
}

#[derive(Debug)]
pub struct Settled {
    pub refund: RefundSummary,
    pub return_shipping: ReturnShipping,
    pub fast_track: Option<FastTrackOut>,
    pub liability: Vec<PartyAmount>,
    pub compensation: Vec<CompensationOut>,
    pub requirements: Requirements,
    pub deadlines: Vec<DeadlineOut>,
    pub messages: Vec<Message>,
    pub effects: Effects,
}

/// An amount in the policy's currency, for a message.
fn amount_text(m: Money, policy: &CompiledPolicy) -> Arg<'static> {
    Arg::Plain(m.format(policy.money).into())
}

fn overflowed(path: &str) -> impl Fn() -> Errors + '_ {
    move || vec![overflow(path)]
}

impl<'a> Inputs<'a> {
    /// The eligible items with their resolution.
    fn eligible(&self) -> Vec<(&'a Resolved<'a>, &'a ItemDecision)> {
        self.resolved.iter().zip(self.items).filter(|(_, i)| i.eligible).collect()
    }

    /// The units of each line before and after this request.
    fn units(&self) -> Units<'a> {
        let order = self.scope.order;
        let kind = self.scope.request.kind;
        let before = (0..order.lines.len()).map(|i| self.accounts.line(i).returned_qty).collect();
        let mut now = vec![0; order.lines.len()];
        if kind.refunds_units() {
            for (r, d) in self.eligible() {
                if let Some(slot) = now.get_mut(r.line_index) {
                    *slot += d.qty;
                }
            }
        }
        Units { before, now, kind, gifts_returned: self.scope.request.gifts_returned, order }
    }
}

/// The shipping fee comes back with the last unit of the order when the policy says so; under
/// `seller_fault_full_return`, only if no unit of the order ever came back at the buyer's fault.
fn shipping(inputs: &Inputs<'_>, units: &Units<'_>, trace: &mut Trace) -> (bool, Money) {
    let order = inputs.scope.order;
    let eligible = inputs.eligible();
    let completes_order = units.kind.refunds_units()
        && !eligible.is_empty()
        && order.lines.iter().enumerate().filter(|(_, l)| !l.gift).all(|(i, line)| units.after(i) >= line.quantity);
    let buyer_fault_before = inputs.accounts.lines.iter().any(|l| l.buyer_fault_qty > 0);
    let all_seller_fault = !buyer_fault_before && eligible.iter().all(|(r, _)| r.reason.fault != Fault::Buyer);
    // Nothing was shipped: cancelling the whole order gives the shipping fee back, whoever's choice.
    let cancelled = completes_order && inputs.scope.phase == Phase::Paid;
    let due = cancelled
        || match inputs.policy.shipping_refund {
            ShippingRefund::Never => false,
            ShippingRefund::SellerFaultFullReturn => completes_order && all_seller_fault,
            ShippingRefund::FullReturn => completes_order,
        };
    let shipping = if due { inputs.money.refundable_shipping.saturating_sub(inputs.ledger.shipping_refunded) } else { Money::ZERO };
    if shipping > Money::ZERO {
        let rule =
            if cancelled { "engine.phase".into() } else { format!("shipping_refund.{}", inputs.policy.shipping_refund.as_str()).into() };
        trace.add(|| TraceEntry { rule, line_id: None, effect: format!("refund shipping {}", shipping.0) });
    }
    (completes_order, shipping)
}

/// The deductions of this refund and the earlier ones given back, each capped by what the
/// refund still holds, in order: fees and diminished value, then clawbacks. A clawback the
/// refund cannot cover is `uncollected`, and stays due for the next refund.
fn deductions(
    inputs: &Inputs<'_>,
    units: &Units<'_>,
    mut taken: Vec<Deduction>,
    gross: Money,
    trace: &mut Trace,
    messages: &mut Said,
) -> Result<(Vec<Deduction>, Vec<Deduction>, Money), Errors> {
    let mut given_back = Vec::new();
    if inputs.scope.request.kind.pays_money() {
        let against = inputs.eligible().first().map(|(_, d)| d.line_id.clone()).unwrap_or_default();
        let mut unpriced = Vec::new();
        let dues = clawback::due(inputs.policy, inputs.money, inputs.ledger, units, &against, trace, &mut unpriced)
            .ok_or_else(overflowed("order.discounts"))?;
        for gift in &unpriced {
            messages.add(|| render("GIFT_UNPRICED".into(), Some(gift), &[], inputs.policy.texts("GIFT_UNPRICED")));
        }
        for due in dues {
            let mut entry = Deduction {
                kind: due.kind,
                line_id: due.line_id,
                rule: due.rule,
                amount: Money::ZERO,
                legal_ref: due.legal_ref.map(Text::Static),
                uncollected: None,
                against: due.against,
            };
            if due.target > due.outstanding {
                entry.amount = due.target.saturating_sub(due.outstanding);
                taken.push(entry);
            } else {
                entry.amount = due.outstanding.saturating_sub(due.target);
                given_back.push(entry);
            }
        }
    }
    let returned = Money::sum(given_back.iter().map(|d| d.amount)).ok_or_else(overflowed("ledger.deductions"))?;
    let mut left = gross.checked_add(returned).ok_or_else(overflowed("ledger.deductions"))?;
    for d in &mut taken {
        let due = d.amount;
        d.amount = due.min(left);
        left = left.saturating_sub(d.amount);
        if due > d.amount
            && matches!(d.kind, DeductionKind::PromotionLost | DeductionKind::FreeShippingLost | DeductionKind::GiftNotReturned)
        {
            d.uncollected = Some(due.saturating_sub(d.amount));
        }
        trace.add(|| TraceEntry {
            rule: d.rule.clone().unwrap_or(Text::Static(d.kind.as_str())),
            line_id: d.line_id.clone(),
            effect: format!("deduct {} ({})", d.amount.0, d.kind.as_str()),
        });
    }
    for d in &given_back {
        trace.add(|| TraceEntry {
            rule: d.rule.clone().unwrap_or(Text::Static(d.kind.as_str())),
            line_id: d.line_id.clone(),
            effect: format!("give back {} ({})", d.amount.0, d.kind.as_str()),
        });
    }
    taken.retain(|d| d.amount > Money::ZERO || d.uncollected.is_some());
    Ok((taken, given_back, left))
}

/// Coupons paid with come back as coupons when the whole order does (a coupon cannot be split
/// over part of it), once.
fn coupons_restored(inputs: &Inputs<'_>, completes_order: bool) -> Vec<Text> {
    if !completes_order || inputs.policy.restore_coupons != RestoreCoupons::OnFullReturn {
        return Vec::new();
    }
    inputs
        .scope
        .order
        .discounts
        .iter()
        .enumerate()
        .filter(|(_, d)| matches!(d.kind, DiscountKind::PlatformCoupon | DiscountKind::MerchantCoupon))
        .map(|(k, d)| Text::from(d.id.clone().unwrap_or_else(|| format!("discounts[{k}]"))))
        .filter(|id| !inputs.ledger.coupons_restored.contains(id))
        .collect()
}

/// Who pays the return postage: the earliest postage rule that matches any returned item.
fn return_postage(
    inputs: &Inputs<'_>,
    (destroy_on_site, interception): (bool, bool),
    trace: &mut Trace,
    messages: &mut Said,
) -> Result<ReturnShipping, Errors> {
    let (scope, order, request) = (inputs.scope, inputs.scope.order, inputs.scope.request);
    let eligible = inputs.eligible();
    let return_required =
        matches!(request.kind, RequestKind::RefundWithReturn | RequestKind::Exchange | RequestKind::Repair) && !eligible.is_empty();
    let mut out = ReturnShipping {
        return_required,
        destroy_on_site: destroy_on_site.then_some(true),
        interception: interception.then_some(true),
        payer: None,
        rule: None,
        legal_ref: None,
        insured_amount: None,
        method: None,
        postage: None,
        reimbursed: None,
        shopper_pays: None,
    };
    if !return_required {
        return Ok(out);
    }
    let mut chosen = None;
    'rules: for rule in &inputs.policy.postage {
        for (r, d) in &eligible {
            let Some(s) = super::items::item_scope(scope, inputs.money, inputs.accounts, r, d.refund.amount) else { continue };
            if holds(&rule.condition, &s).map_err(|e| vec![e.of_rule(&rule.id)])? {
                chosen = Some(rule);
                break 'rules;
            }
        }
    }
    let mut payer = chosen.map_or(Payer::Buyer, |r| r.payer);
    if let Some(rule) = chosen {
        out.rule = Some(rule.id.clone());
        out.legal_ref.clone_from(&rule.legal_ref);
        trace.add(|| TraceEntry {
            rule: rule.id.clone(),
            line_id: None,
            effect: format!("return postage paid by {}", rule.payer.as_str()),
        });
    }
    // A promise of free return postage binds the seller whatever the policy says.
    let lines = eligible.iter().filter_map(|(r, _)| order.lines.get(r.line_index));
    let promised = lines.flat_map(|l| &l.promises).find(|p| p.free_return_postage);
    if let Some(promise) = promised.filter(|_| matches!(payer, Payer::Buyer | Payer::Insurer)) {
        payer = Payer::Seller;
        out.rule = Some(promise.id.clone());
        out.legal_ref = Some(Text::Static(super::eligibility::PROMISE_LEGAL_REF));
        trace.add(|| TraceEntry { rule: promise.id.clone(), line_id: None, effect: "return postage paid by seller: promised".to_owned() });
    }
    out.payer = Some(payer);
    postage_amounts(&mut out, inputs.policy, order, request, promised.is_some(), trace);
    let (zh, en) = crate::messages::payer_words(payer);
    messages.add(|| {
        render(
            "RETURN_POSTAGE".into(),
            None,
            &[("payer", Arg::Localized { zh: zh.into(), en: en.into() })],
            inputs.policy.texts("RETURN_POSTAGE"),
        )
    });
    if let (Some(postage), Some(shopper)) = (out.postage, out.shopper_pays) {
        let args = [("postage", amount_text(postage, inputs.policy)), ("shopper", amount_text(shopper, inputs.policy))];
        messages.add(|| render("POSTAGE_SHARE".into(), None, &args, inputs.policy.texts("POSTAGE_SHARE")));
    }
    Ok(out)
}

/// The postage in money, once the payer is known: the request's or the method's label cost;
/// what the freight insurance pays (the method's payout, else the order's), what a paying
/// seller or platform reimburses (up to the policy's cap), and what is left to the shopper.
fn postage_amounts(
    out: &mut ReturnShipping,
    policy: &CompiledPolicy,
    order: &crate::model::Order,
    request: &crate::model::Request,
    promised: bool,
    trace: &mut Trace,
) {
    let methods = &policy.return_methods;
    let method = request.return_method;
    out.method = method;
    out.postage = request.postage.or(method.and_then(|m| methods.label_cost.of(m)));
    let payer = out.payer.unwrap_or(Payer::Buyer);
    if payer == Payer::Insurer {
        let payout = method.and_then(|m| methods.insurance_payout.of(m)).or(order.freight_insurance_payout);
        out.insured_amount = match out.postage {
            Some(postage) => payout.map(|p| p.min(postage)),
            None => payout,
        };
    }
    let Some(postage) = out.postage else { return };
    if matches!(payer, Payer::Seller | Payer::Platform) {
        // A promise of free return postage is the whole postage, whatever the policy's cap.
        let cap = methods.reimburse_up_to.filter(|_| !promised);
        out.reimbursed = Some(cap.map_or(postage, |cap| postage.min(cap)));
    }
    let covered = out.reimbursed.or(out.insured_amount).unwrap_or(Money::ZERO);
    let shopper = postage.saturating_sub(covered);
    out.shopper_pays = Some(shopper);
    trace.add(|| TraceEntry {
        rule: Text::Static("engine.postage"),
        line_id: None,
        effect: format!("postage {}: {} by the {}, {} by the shopper", postage.0, covered.0, payer.as_str(), shopper.0),
    });
}

/// A fast refund or exchange: when every returned item matches a fast-track rule (its first),
/// released at the latest of their events; with the deadline for the goods to be back.
fn fast_track<'p>(
    inputs: &Inputs<'p>,
    requirements: &Requirements,
    return_required: bool,
    trace: &mut Trace,
    messages: &mut Said,
) -> Result<Option<(FastTrackOut, &'p ServiceLevel)>, Errors> {
    let kind = inputs.scope.request.kind;
    if !return_required || !matches!(kind, RequestKind::RefundWithReturn | RequestKind::Exchange) {
        return Ok(None);
    }
    // Released without anyone's approval: only a request the system approves as it stands.
    if requirements.approval != Tier::Auto || !requirements.missing_evidence.is_empty() {
        return Ok(None);
    }
    let mut chosen: Option<(&Text, &FastTrack)> = None;
    for (r, d) in &inputs.eligible() {
        let Some(s) = super::items::item_scope(inputs.scope, inputs.money, inputs.accounts, r, d.refund.amount) else { return Ok(None) };
        let mut found = None;
        for rule in &inputs.policy.rules {
            let Effect::FastTrack(fast) = &rule.effect else { continue };
            if holds(&rule.condition, &s).map_err(|e| vec![e.of_rule(&rule.id)])? {
                found = Some((&rule.id, &**fast));
                break;
            }
        }
        let Some(this) = found else { return Ok(None) };
        if chosen.is_none_or(|(_, c)| this.1.deadline.doc.after > c.deadline.doc.after) {
            chosen = Some(this);
        }
    }
    let Some((rule, fast)) = chosen else { return Ok(None) };
    let release = fast.deadline.doc.after;
    trace.add(|| TraceEntry { rule: rule.clone(), line_id: None, effect: ["fast track: released at ", release.as_str()].concat() });
    let [what, when, recovery] = crate::messages::fast_track_words(kind == RequestKind::Exchange, release, fast.recovery);
    let localized = |(zh, en): (&'static str, &'static str)| Arg::Localized { zh: zh.into(), en: en.into() };
    let args = [("what", localized(what)), ("release", localized(when)), ("recovery", localized(recovery))];
    messages.add(|| render("FAST_TRACK".into(), None, &args, inputs.policy.texts("FAST_TRACK")));
    Ok(Some((FastTrackOut { rule: rule.clone(), release, recovery: fast.recovery }, &fast.deadline)))
}

fn add(parties: &mut Vec<PartyAmount>, party: Party, amount: Money) -> Option<()> {
    if amount == Money::ZERO {
        return Some(());
    }
    match parties.iter_mut().find(|p| p.party == party) {
        Some(p) => p.amount = p.amount.checked_add(amount)?,
        None => parties.push(PartyAmount { party, amount }),
    }
    Some(())
}

/// Each item's refund, less what was deducted from it, by its reason's party; shipping by the
/// items' party when they share one, else the merchant; deductions given back by the merchant.
/// A deduction larger than the refund of its own line (a kept gift worth more than the item)
/// takes the rest from the shipping refund, then from the other items in order, so the
/// parties carry the total.
fn liability(inputs: &Inputs<'_>, refund: &RefundSummary, postage: &ReturnShipping) -> Option<Vec<PartyAmount>> {
    let eligible = inputs.eligible();
    let mut shares: Vec<(Party, Money)> = Vec::with_capacity(eligible.len());
    let mut absorbed = Money::ZERO;
    for (r, d) in &eligible {
        let deducted = Money::sum(refund.deductions.iter().filter(|x| x.against == d.line_id).map(|x| x.amount))?;
        let own = deducted.min(d.refund.amount);
        absorbed = absorbed.checked_add(own)?;
        shares.push((r.reason.liability, d.refund.amount.saturating_sub(own)));
    }
    let deducted_total = Money::sum(refund.deductions.iter().map(|x| x.amount))?;
    let mut excess = deducted_total.saturating_sub(absorbed);
    let mut take = |amount: Money| {
        let taken = amount.min(excess);
        excess = excess.saturating_sub(taken);
        amount.saturating_sub(taken)
    };
    let shipping_share = take(refund.shipping);
    let mut parties = Vec::new();
    for (party, amount) in shares {
        add(&mut parties, party, take(amount))?;
    }
    let given_back = Money::sum(refund.given_back.iter().map(|x| x.amount))?;
    add(&mut parties, Party::Merchant, take(given_back))?;
    let reasons: Vec<Party> = eligible.iter().map(|(r, _)| r.reason.liability).collect();
    let shipping_party = match reasons.first() {
        Some(first) if reasons.iter().all(|p| p == first) => *first,
        _ => Party::Merchant,
    };
    add(&mut parties, shipping_party, shipping_share)?;
    // The return postage: what the freight insurance pays out, what the paying seller or
    // platform reimburses, and what is left to the shopper.
    add(&mut parties, Party::Insurer, postage.insured_amount.unwrap_or(Money::ZERO))?;
    let reimbursing = if postage.payer == Some(Payer::Platform) { Party::Platform } else { Party::Merchant };
    add(&mut parties, reimbursing, postage.reimbursed.unwrap_or(Money::ZERO))?;
    add(&mut parties, Party::Shopper, postage.shopper_pays.unwrap_or(Money::ZERO))?;
    Some(parties)
}

fn min_spend_text(min_spend: Money, policy: &CompiledPolicy) -> Arg<'static> {
    if min_spend == Money::ZERO {
        return Arg::Localized { zh: "无门槛".into(), en: "no minimum spend".into() };
    }
    let amount = min_spend.format(policy.money);
    Arg::Localized { zh: format!("满 {amount} 可用").into(), en: format!("minimum spend {amount}").into() }
}

/// Compensation owed on the order, once per rule over the order's life.
fn compensation(
    inputs: &Inputs<'_>,
    liability: &mut Vec<PartyAmount>,
    trace: &mut Trace,
    messages: &mut Said,
) -> Result<Vec<CompensationOut>, Errors> {
    let scope = inputs.scope;
    let mut out = Vec::new();
    // Compensation comes with an after-sales outcome: a request whose every item is refused
    // earns none (else refused requests, filed again and again, would be a coupon tap).
    if inputs.eligible().is_empty() {
        return Ok(out);
    }
    for rule in &inputs.policy.compensation {
        if !holds(&rule.condition, scope).map_err(|e| vec![e.of_rule(&rule.id)])? {
            continue;
        }
        if inputs.ledger.compensation.iter().any(|p| p.rule == rule.id && p.line_id.is_none()) {
            trace.add(|| TraceEntry { rule: rule.id.clone(), line_id: None, effect: "already granted on this order".into() });
            continue;
        }
        let c = &rule.coupon;
        let base = match c.of {
            CouponBase::OrderPaid => scope.totals.paid_total,
        };
        let raw = match (c.amount, c.rate_bp) {
            (Some(amount), _) => amount,
            (None, Some(bp)) => apply_bp(base, i64::try_from(bp).unwrap_or(i64::MAX), rule.rounding).ok_or_else(overflowed("order"))?,
            (None, None) => Money::ZERO,
        };
        let clamped = c.max.map_or(raw.max(c.min), |max| raw.max(c.min).min(max));
        let amount = match c.step {
            Some(step) => step.apply(clamped, c.max).ok_or_else(overflowed("order"))?,
            None => clamped,
        };
        let issue_day = scope.now.local_date(scope.zone).ok_or_else(overflowed("now"))?;
        let end_day = issue_day.checked_add_days(chrono::Days::new(c.valid_days.saturating_add(1))).ok_or_else(overflowed("now"))?;
        let valid_until = Timestamp::new(Instant(Instant::start_of_local_day(end_day, scope.zone).0 - 1), scope.zone);
        trace.add(|| TraceEntry {
            rule: rule.id.clone(),
            line_id: None,
            effect: format!(
                "coupon {} (from {} at {} bp, within {}..{})",
                amount.0,
                base.0,
                c.rate_bp.unwrap_or(0),
                c.min.0,
                c.max.map_or(-1, |m| m.0)
            ),
        });
        add(liability, rule.borne_by, amount).ok_or_else(overflowed("order"))?;
        messages.add(|| {
            render(
                "COMPENSATION_COUPON".into(),
                None,
                &[
                    ("amount", amount_text(amount, inputs.policy)),
                    ("min_spend", min_spend_text(c.min_spend, inputs.policy)),
                    ("valid_until", Arg::Plain(valid_until.to_local_minute().into())),
                ],
                inputs.policy.texts("COMPENSATION_COUPON"),
            )
        });
        out.push(CompensationOut {
            rule: rule.id.clone(),
            line_id: None,
            kind: CompensationKind::Coupon,
            amount,
            rounding: c.rounding.filter(|_| c.rate_bp.is_some() && c.amount.is_none()),
            step: c.step,
            min_spend: c.min_spend,
            valid_until: Some(valid_until),
            borne_by: rule.borne_by,
            legal_ref: None,
        });
    }
    Ok(out)
}

/// Evidence: the most any requested reason asks for, against what is attached.
fn missing_evidence(inputs: &Inputs<'_>, messages: &mut Said) -> Vec<MissingEvidence> {
    let mut need = crate::model::Evidence::default();
    for r in inputs.resolved {
        let e = &r.reason.evidence;
        need.photos = need.photos.max(e.photos);
        need.package_photos = need.package_photos.max(e.package_photos);
        need.videos = need.videos.max(e.videos);
        need.description_chars = need.description_chars.max(e.description_chars);
    }
    let have = &inputs.scope.request.evidence;
    let missing: Vec<MissingEvidence> = [
        ("photos", need.photos, have.photos),
        ("package_photos", need.package_photos, have.package_photos),
        ("videos", need.videos, have.videos),
        ("description_chars", need.description_chars, have.description_chars),
    ]
    .into_iter()
    .filter(|(_, required, attached)| attached < required)
    .map(|(what, required, attached)| MissingEvidence { what: Text::Static(what), required, attached })
    .collect();
    if !missing.is_empty() {
        let part = |m: &MissingEvidence, zh: bool| {
            let (z, e) = crate::messages::evidence_words(m.what.as_str(), m.required);
            if zh {
                z
            } else {
                e
            }
        };
        let list = |zh: bool| missing.iter().map(|m| part(m, zh)).collect::<Vec<_>>().join(if zh { "、" } else { ", " });
        messages.add(|| {
            render(
                "EVIDENCE_MISSING".into(),
                None,
                &[("missing", Arg::Localized { zh: list(true).into(), en: list(false).into() })],
                inputs.policy.texts("EVIDENCE_MISSING"),
            )
        });
    }
    missing
}

/// The tier the refund amount needs, raised by every review a rule asked for; an amount asked
/// for (goodwill) needs at least the policy's goodwill tier.
fn approval(inputs: &Inputs<'_>, total: Money, reviews: Vec<ReviewReason>, messages: &mut Said) -> (Tier, Vec<ReviewReason>) {
    let policy = inputs.policy;
    let by_amount = match &policy.approval {
        Some(a) if total > a.agent_up_to => Tier::Supervisor,
        Some(a) if total > a.auto_up_to => Tier::Agent,
        _ => Tier::Auto,
    };
    let mut review_reasons: Vec<ReviewReason> = Vec::new();
    let goodwill = (inputs.scope.request.kind == RequestKind::Goodwill && !inputs.eligible().is_empty())
        .then(|| ReviewReason { rule: "engine.goodwill".into(), tier: policy.goodwill_approval });
    for r in reviews.into_iter().chain(goodwill) {
        if !review_reasons.iter().any(|x| x.rule == r.rule) {
            review_reasons.push(r);
        }
    }
    let tier = review_reasons.iter().map(|r| r.tier).fold(by_amount, Tier::max);
    if tier != Tier::Auto {
        let (zh, en) = crate::messages::tier_words(tier);
        messages.add(|| {
            render(
                "REVIEW_REQUIRED".into(),
                None,
                &[("tier", Arg::Localized { zh: zh.into(), en: en.into() })],
                inputs.policy.texts("REVIEW_REQUIRED"),
            )
        });
    }
    (tier, review_reasons)
}

/// What one decided item adds to its ledger line, if anything.
fn line_delta(kind: RequestKind, r: &Resolved<'_>, d: &ItemDecision, line_id: &Text) -> Option<LedgerLine> {
    let mut delta = LedgerLine { line_id: line_id.clone(), ..LedgerLine::default() };
    match kind {
        RequestKind::RefundWithReturn | RequestKind::RefundWithoutReturn => {
            delta.returned_qty = d.qty;
            delta.buyer_fault_qty = if r.reason.fault == Fault::Buyer { d.qty } else { 0 };
            delta.refunded = d.refund.amount;
        }
        RequestKind::PriceDifference => {
            delta.price_difference = d.refund.amount;
            delta.price_difference_qty = d.qty;
        }
        RequestKind::Goodwill => delta.goodwill = d.refund.amount,
        // A cheaper variant's difference is paid back like a price difference (no units
        // counted); a dearer one's is paid in.
        RequestKind::Exchange if d.exchange.is_some() => {
            delta.price_difference = d.refund.amount;
            // The units changed price: counted like a price difference, once per unit.
            delta.price_difference_qty = d.qty;
            delta.paid_in = d.exchange.as_ref().map_or(Money::ZERO, |x| x.due);
        }
        RequestKind::Exchange | RequestKind::Repair => return None,
    }
    Some(delta)
}

/// The ledger delta of this decision: units and amounts per line (gifts that come back with
/// their goods included), money per tender, shipping, deductions taken and given back,
/// compensation and coupons.
fn effects(
    inputs: &Inputs<'_>,
    gifts_back: &[(usize, i64)],
    refund: &RefundSummary,
    compensation: &[CompensationOut],
) -> Result<Effects, Errors> {
    let order = inputs.scope.order;
    let kind = inputs.scope.request.kind;
    let mut lines: Vec<(usize, LedgerLine)> = Vec::new();
    for (r, d) in inputs.eligible() {
        let Some(line) = order.lines.get(r.line_index) else { continue };
        if let Some(delta) = line_delta(kind, r, d, &line.id) {
            lines.push((r.line_index, delta));
        }
    }
    for &(g, units) in gifts_back {
        let Some(line) = order.lines.get(g) else { continue };
        lines.push((g, LedgerLine { line_id: line.id.clone(), returned_qty: units, ..LedgerLine::default() }));
    }
    lines.sort_by_key(|(i, _)| *i);
    let tenders = inputs.accounts.split(refund.total).ok_or_else(overflowed("order.payments"))?;
    let mut deductions: Vec<LedgerDeduction> = Vec::new();
    // A deduction due but not covered is recorded too (taken 0 when nothing covered it), so that
    // later refunds know it is due.
    let mut due: Vec<(DeductionKind, Option<Text>, Option<Text>)> = Vec::new();
    for (d, given) in refund.deductions.iter().map(|d| (d, false)).chain(refund.given_back.iter().map(|d| (d, true))) {
        if d.uncollected.is_some() {
            due.push((d.kind, d.line_id.clone(), d.rule.clone()));
        }
        let slot = match deductions.iter_mut().find(|x| x.same_key(d.kind, d.line_id.as_ref(), d.rule.as_ref())) {
            Some(slot) => slot,
            None => {
                deductions.push(LedgerDeduction {
                    kind: d.kind,
                    line_id: d.line_id.clone(),
                    rule: d.rule.clone(),
                    taken: Money::ZERO,
                    given_back: Money::ZERO,
                });
                deductions.last_mut().ok_or_else(overflowed("request"))?
            }
        };
        let field = if given { &mut slot.given_back } else { &mut slot.taken };
        *field = field.checked_add(d.amount).ok_or_else(overflowed("request"))?;
    }
    deductions.retain(|x| {
        x.taken > Money::ZERO || x.given_back > Money::ZERO || due.iter().any(|(k, l, r)| x.same_key(*k, l.as_ref(), r.as_ref()))
    });
    Ok(Effects {
        order_id: Text::from(&order.id),
        ledger_version: inputs.ledger.version,
        lines: lines
            .into_iter()
            .map(|(_, l)| l)
            .filter(|l| *l != LedgerLine { line_id: l.line_id.clone(), ..LedgerLine::default() })
            .collect(),
        tenders: tenders.into_iter().filter(|t| t.amount > Money::ZERO || t.points.is_some_and(|p| p > 0)).collect(),
        shipping_refunded: refund.shipping,
        deductions,
        compensation: compensation
            .iter()
            .map(|c| LedgerCompensation { rule: c.rule.clone(), line_id: c.line_id.clone(), kind: c.kind, amount: c.amount })
            .collect(),
        coupons_restored: refund.coupons_restored.iter().map(Text::from).collect(),
    })
}

/// The damages of the refunded items, added to the compensation and to who bears them; their total.
fn add_damages(
    inputs: &Inputs<'_>,
    compensation: &mut Vec<CompensationOut>,
    liability: &mut Vec<PartyAmount>,
    trace: &mut Trace,
    messages: &mut Said,
) -> Result<Money, Errors> {
    let refunded = Refunded {
        policy: inputs.policy,
        scope: inputs.scope,
        money: inputs.money,
        accounts: inputs.accounts,
        ledger: inputs.ledger,
        eligible: inputs.eligible(),
    };
    let mut total = Money::ZERO;
    for owed in damages(&refunded, trace, messages)? {
        total = total.checked_add(owed.amount).ok_or_else(overflowed("request.items"))?;
        add(liability, owed.borne_by, owed.amount).ok_or_else(overflowed("request.items"))?;
        compensation.push(owed);
    }
    Ok(total)
}

pub fn settle(inputs: Inputs<'_>, extras: Extras, trace: &mut Trace) -> Result<Settled, Errors> {
    let Extras { reviews, deductions: item_deductions, destroy_on_site, interception } = extras;
    let scope = inputs.scope;
    let mut messages = Said::new(inputs.messages);
    let mut units = inputs.units();
    let gifts_back = units.gifts_coming_back();

    let items_total = Money::sum(inputs.items.iter().map(|i| i.refund.amount)).ok_or_else(overflowed("request"))?;
    let (completes_order, shipping) = shipping(&inputs, &units, trace);
    let gross = items_total.checked_add(shipping).ok_or_else(overflowed("order.shipping_fee"))?;
    let (deductions, given_back, total) = deductions(&inputs, &units, item_deductions, gross, trace, &mut messages)?;
    let by_tender = inputs
        .accounts
        .split(total)
        .ok_or_else(overflowed("order.payments"))?
        .into_iter()
        .map(|t| TenderAmount { tender: t.tender, amount: t.amount, points: t.points })
        .collect();
    let coupons_restored = coupons_restored(&inputs, completes_order).into_iter().map(|t| t.to_string()).collect();
    let refund = RefundSummary { items: items_total, shipping, deductions, given_back, total, by_tender, coupons_restored };

    let return_shipping = return_postage(&inputs, (destroy_on_site, interception), trace, &mut messages)?;
    let mut liability = liability(&inputs, &refund, &return_shipping).ok_or_else(overflowed("request"))?;
    let mut compensation = compensation(&inputs, &mut liability, trace, &mut messages)?;
    let damages_total = add_damages(&inputs, &mut compensation, &mut liability, trace, &mut messages)?;
    liability.sort_unstable_by_key(|p| p.party); // one entry per party

    let missing_evidence = missing_evidence(&inputs, &mut messages);
    let paid_out = total.checked_add(damages_total).ok_or_else(overflowed("request.items"))?;
    let (approval, review_reasons) = approval(&inputs, paid_out, reviews, &mut messages);
    if total > Money::ZERO {
        messages.add(|| {
            render("REFUND_TOTAL".into(), None, &[("total", amount_text(total, inputs.policy))], inputs.policy.texts("REFUND_TOTAL"))
        });
    }

    // The timers this request starts.
    let any_fault = |fault: Fault| inputs.resolved.iter().any(|r| r.reason.fault == fault);
    let kind = scope.request.kind;
    let return_required = return_shipping.return_required;
    let mut deadlines = crate::service::deadlines::for_decision(
        inputs.policy,
        |applies| match applies {
            Applies::Always => true,
            Applies::Refund => kind.refunds_units(),
            Applies::ReturnRequired => return_required,
            Applies::SellerFault => any_fault(Fault::Seller),
            Applies::CarrierFault => any_fault(Fault::Carrier),
            Applies::CompensationOwed => !compensation.is_empty(),
            Applies::Exchange => kind == RequestKind::Exchange,
            Applies::Repair => kind == RequestKind::Repair,
        },
        scope.now,
    )?;
    let requirements = Requirements { missing_evidence, approval, review_reasons };
    let fast_track = match fast_track(&inputs, &requirements, return_required, trace, &mut messages)? {
        Some((out, level)) => {
            deadlines.push(crate::service::deadlines::deadline(inputs.policy, level, scope.now)?);
            Some(out)
        }
        None => None,
    };
    let effects = effects(&inputs, &gifts_back, &refund, &compensation)?;

    let messages = messages.into_messages();
    Ok(Settled { refund, return_shipping, fast_track, liability, compensation, requirements, deadlines, messages, effects })
}
