//! The order-wide parts of a decision: shipping refund, totals and tender split, return
//! postage, liability per party, compensation, evidence and approval, deadlines.

use super::{overflow, refund, rule_error, LineMoney, Resolved};
use crate::answer::*;
use crate::error::Errors;
use crate::expr::eval::holds;
use crate::expr::fields::{ItemScope, Scope};
use crate::messages::{render, Arg, Message};
use crate::model::DiscountKind;
use crate::model::RequestKind;
use crate::money::{apply_bp, Money};
use crate::policy::doc::{Applies, CouponBase, RestoreCoupons};
use crate::policy::{CompiledPolicy, Fault, Party, Payer, ShippingRefund, Tier};
use crate::text::Text;
use crate::time::{Instant, Timestamp};

/// What the items' decisions pass on to the order-wide settlement.
#[derive(Debug, Default)]
pub struct Extras {
    pub reviews: Vec<ReviewReason>,
    /// Fees and diminished value, item by item.
    pub deductions: Vec<Deduction>,
    pub destroy_on_site: bool,
}

#[derive(Debug)]
pub struct Settled {
    pub refund: RefundSummary,
    pub return_shipping: ReturnShipping,
    pub liability: Vec<PartyAmount>,
    pub compensation: Vec<CompensationOut>,
    pub requirements: Requirements,
    pub deadlines: Vec<DeadlineOut>,
    pub messages: Vec<Message>,
}

fn yuan(m: Money) -> Arg<'static> {
    Arg::Plain(m.format_yuan("¥").into())
}

/// Threshold promotions (满减) and free shipping that this request breaks: the kept goods
/// reached the threshold before it and no longer do. In `reprice` mode the kept units lose
/// their share of the discount, deducted from the refund (多退少补); a lost free-shipping
/// threshold costs the waived fee where the policy says so. Nothing is charged when nothing
/// is kept, or when an earlier return had already broken the threshold.
fn promotions_broken(
    policy: &CompiledPolicy,
    order: &crate::model::Order,
    lines: &[LineMoney],
    eligible: &[(&Resolved<'_>, &ItemDecision)],
    refunding: bool,
    deductions: &mut Vec<Deduction>,
    trace: &mut Vec<TraceEntry>,
) -> Option<()> {
    let Some((_, first)) = eligible.first() else { return Some(()) };
    if !refunding {
        return Some(());
    }
    let against = first.line_id.clone();
    // Units of each line back after this request, and the value kept before and after.
    let back: Vec<i64> =
        (0..order.lines.len()).map(|i| eligible.iter().filter(|(r, _)| r.line_index == i).map(|(_, d)| d.qty).sum()).collect();
    let kept = |value: &[Money], extra: bool| -> Option<i64> {
        let mut sum = 0i64;
        for ((line, v), now) in order.lines.iter().zip(value).zip(&back) {
            let gone = line.returned_qty + if extra { *now } else { 0 };
            sum = sum.checked_add(v.0.checked_sub(crate::money::cumulative_share(*v, line.quantity, 0, gone)?.0)?)?;
        }
        Some(sum)
    };
    let nets: Vec<Money> = lines.iter().map(|l| l.net).collect();
    let (before, after) = (kept(&nets, false)?, kept(&nets, true)?);
    let broken = |threshold: Money| before >= threshold.0 && after < threshold.0 && after > 0;
    if policy.promotion_settlement == crate::policy::doc::PromotionSettlement::Reprice {
        for (k, discount) in order.discounts.iter().enumerate() {
            let Some(threshold) = discount.threshold.filter(|t| broken(*t)) else { continue };
            let shares = crate::money::allocate(discount.amount, &nets)?;
            let lost = Money(kept(&shares, true)?);
            let name = discount.id.clone().unwrap_or_else(|| format!("discounts[{k}]"));
            trace.push(TraceEntry {
                rule: format!("promotion.{name}").into(),
                line_id: None,
                effect: format!("kept goods {after} below the threshold {}: re-priced, {} of the discount deducted", threshold.0, lost.0),
            });
            deductions.push(Deduction {
                kind: "promotion_lost",
                line_id: None,
                rule: Some(name.into()),
                amount: lost,
                legal_ref: None,
                against: against.clone(),
            });
        }
    }
    if let Some(threshold) =
        order.free_shipping_threshold.filter(|t| policy.free_shipping_clawback && broken(*t) && order.shipping_waived > Money::ZERO)
    {
        trace.push(TraceEntry {
            rule: "free_shipping".into(),
            line_id: None,
            effect: format!(
                "kept goods {after} below the free-shipping threshold {}: the waived {} is deducted",
                threshold.0, order.shipping_waived.0
            ),
        });
        deductions.push(Deduction {
            kind: "free_shipping_lost",
            line_id: None,
            rule: None,
            amount: order.shipping_waived,
            legal_ref: None,
            against,
        });
    }
    Some(())
}

fn min_spend_text(min_spend: Money) -> Arg<'static> {
    if min_spend == Money::ZERO {
        return Arg::Localized { zh: "无门槛".into(), en: "no minimum spend".into() };
    }
    let amount = min_spend.format_yuan("¥");
    Arg::Localized { zh: format!("满 {amount} 可用").into(), en: format!("minimum spend {amount}").into() }
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

pub fn settle(
    policy: &CompiledPolicy,
    scope: &Scope<'_>,
    resolved: &[Resolved<'_>],
    lines: &[LineMoney],
    items: &[ItemDecision],
    extras: Extras,
    trace: &mut Vec<TraceEntry>,
) -> Result<Settled, Errors> {
    let Extras { reviews, mut deductions, destroy_on_site } = extras;
    let order = scope.order;
    let request = scope.request;
    let mut messages = Vec::new();
    let eligible: Vec<(&Resolved<'_>, &ItemDecision)> = resolved.iter().zip(items).filter(|(_, i)| i.eligible).collect();

    // Shipping: refunded when this request completes the return of the whole order.
    let items_total = Money::sum(items.iter().map(|i| i.refund.amount)).ok_or_else(|| vec![overflow("request")])?;
    let refunding = request.kind == RequestKind::RefundWithReturn || request.kind == RequestKind::RefundWithoutReturn;
    let completes_order = refunding
        && order.lines.iter().enumerate().filter(|(_, l)| !l.gift).all(|(i, line)| {
            let now_back: i64 = eligible.iter().filter(|(r, _)| r.line_index == i).map(|(_, d)| d.qty).sum();
            line.returned_qty + now_back >= line.quantity
        });
    let all_seller_fault = !eligible.is_empty() && eligible.iter().all(|(r, _)| r.reason.fault != Fault::Buyer);
    let shipping_due = match policy.shipping_refund {
        ShippingRefund::Never => false,
        ShippingRefund::SellerFaultFullReturn => completes_order && all_seller_fault,
        ShippingRefund::FullReturn => completes_order,
    };
    // EU CRD: at most the least expensive standard delivery the trader offered.
    let refundable_shipping = order.standard_shipping_fee.map_or(order.shipping_fee, |standard| standard.min(order.shipping_fee));
    let shipping = if shipping_due { refundable_shipping.saturating_sub(order.shipping_refunded) } else { Money::ZERO };
    if shipping > Money::ZERO {
        trace.push(TraceEntry {
            rule: format!("shipping_refund.{}", policy.shipping_refund.as_str()).into(),
            line_id: None,
            effect: format!("refund shipping {}", shipping.0),
        });
    }
    let gross = items_total.checked_add(shipping).ok_or_else(|| vec![overflow("order.shipping_fee")])?;

    // Gifts go back with the goods; a gift kept when its goods are all returned costs its
    // declared value (SPEC §4).
    if request.kind == RequestKind::RefundWithReturn && !request.gifts_returned {
        for gift in order.lines.iter().filter(|l| l.gift && l.returned_qty < l.quantity) {
            let Some(main) = gift.gift_for.as_ref().and_then(|id| order.lines.iter().position(|l| &l.id == id)) else { continue };
            let back: i64 = eligible.iter().filter(|(r, _)| r.line_index == main).map(|(_, d)| d.qty).sum();
            let all_back = order.lines.get(main).is_some_and(|l| back > 0 && l.returned_qty + back >= l.quantity);
            if !all_back {
                continue;
            }
            match gift.gift_value {
                Some(value) => deductions.push(Deduction {
                    kind: "gift_not_returned",
                    line_id: Some(gift.id.clone()),
                    rule: None,
                    amount: value,
                    legal_ref: Some("CN-7DAY-ART11"),
                    against: order.lines.get(main).map(|l| l.id.clone()).unwrap_or_default(),
                }),
                None => messages.push(render("GIFT_UNPRICED".into(), Some(&gift.id), &[], None)),
            }
        }
    }
    promotions_broken(policy, order, lines, &eligible, refunding, &mut deductions, trace)
        .ok_or_else(|| vec![overflow("order.discounts")])?;

    // Deductions never take more than the refund.
    let mut left = gross;
    for d in &mut deductions {
        d.amount = d.amount.min(left);
        left = left.saturating_sub(d.amount);
        trace.push(TraceEntry {
            rule: d.rule.clone().unwrap_or(Text::Static(d.kind)),
            line_id: d.line_id.clone(),
            effect: format!("deduct {} ({})", d.amount.0, d.kind),
        });
    }
    let total = left;
    let by_tender = refund::by_tender(order, total).ok_or_else(|| vec![overflow("order.payments")])?;
    // Coupons come back as coupons when the whole order does (SPEC §4: in the same form).
    let coupons_restored: Vec<String> = if completes_order && policy.restore_coupons == RestoreCoupons::OnFullReturn {
        order
            .discounts
            .iter()
            .enumerate()
            .filter(|(_, d)| matches!(d.kind, DiscountKind::PlatformCoupon | DiscountKind::MerchantCoupon))
            .map(|(k, d)| d.id.clone().unwrap_or_else(|| format!("discounts[{k}]")))
            .collect()
    } else {
        Vec::new()
    };

    // Return postage: the earliest postage rule that matches any returned item decides.
    let return_required =
        matches!(request.kind, RequestKind::RefundWithReturn | RequestKind::Exchange | RequestKind::Repair) && !eligible.is_empty();
    let mut return_shipping = ReturnShipping {
        return_required,
        destroy_on_site: destroy_on_site.then_some(true),
        payer: None,
        rule: None,
        legal_ref: None,
        insured_amount: None,
    };
    if return_required {
        let mut chosen = None;
        'rules: for rule in &policy.postage {
            for (r, _) in &eligible {
                let (Some(line), Some(item), Some(money)) =
                    (order.lines.get(r.line_index), request.items.get(r.index), lines.get(r.line_index))
                else {
                    continue;
                };
                let refund = items.iter().find(|d| d.line_id == line.id).map_or(Money::ZERO, |d| d.refund.amount);
                let s = Scope {
                    item: Some(ItemScope { line, line_net: money.net, line_paid: money.paid, item, reason: r.reason, refund }),
                    ..*scope
                };
                if holds(&rule.condition, &s).map_err(|e| vec![rule_error(&rule.id, e)])? {
                    chosen = Some(rule);
                    break 'rules;
                }
            }
        }
        return_shipping.payer = Some(chosen.map_or(Payer::Buyer, |r| r.payer));
        if let Some(rule) = chosen {
            return_shipping.rule = Some(rule.id.clone());
            return_shipping.legal_ref.clone_from(&rule.legal_ref);
            trace.push(TraceEntry {
                rule: rule.id.clone(),
                line_id: None,
                effect: format!("return postage paid by {}", rule.payer.as_str()),
            });
        }
        let payer = return_shipping.payer.unwrap_or(Payer::Buyer);
        if payer == Payer::Insurer {
            return_shipping.insured_amount = order.freight_insurance_payout;
        }
        let (zh, en) = match payer {
            Payer::Buyer => ("买家", "buyer"),
            Payer::Seller => ("卖家", "seller"),
            Payer::Insurer => ("运费险", "freight insurer"),
            Payer::Platform => ("平台", "platform"),
        };
        messages.push(render("RETURN_POSTAGE".into(), None, &[("payer", Arg::Localized { zh: zh.into(), en: en.into() })], None));
    }

    // Liability: each item's refund, less what was deducted from it, by its reason; shipping
    // by the items' party when they share one, else the merchant. A deduction larger than the
    // refund of its own line (a kept gift worth more than the item) takes the rest from the
    // shipping refund, then from the other items in order, so the parties carry the total.
    let mut shares: Vec<(Party, Money)> = Vec::with_capacity(eligible.len());
    let mut absorbed = Money::ZERO;
    for (r, d) in &eligible {
        let deducted = Money::sum(deductions.iter().filter(|x| x.against == d.line_id).map(|x| x.amount)).unwrap_or_default();
        let own = deducted.min(d.refund.amount);
        absorbed = absorbed.checked_add(own).ok_or_else(|| vec![overflow("request")])?;
        shares.push((r.reason.liability, d.refund.amount.saturating_sub(own)));
    }
    let deducted_total = Money::sum(deductions.iter().map(|x| x.amount)).ok_or_else(|| vec![overflow("request")])?;
    let mut excess = deducted_total.saturating_sub(absorbed);
    let mut take = |amount: Money| {
        let taken = amount.min(excess);
        excess = excess.saturating_sub(taken);
        amount.saturating_sub(taken)
    };
    let shipping_share = take(shipping);
    let mut liability = Vec::new();
    for (party, amount) in shares {
        add(&mut liability, party, take(amount)).ok_or_else(|| vec![overflow("request")])?;
    }
    let parties: Vec<Party> = eligible.iter().map(|(r, _)| r.reason.liability).collect();
    let shipping_party = match parties.first() {
        Some(first) if parties.iter().all(|p| p == first) => *first,
        _ => Party::Merchant,
    };
    add(&mut liability, shipping_party, shipping_share).ok_or_else(|| vec![overflow("order.shipping_fee")])?;
    // The return postage the freight insurance pays out.
    if let Some(payout) = return_shipping.insured_amount {
        add(&mut liability, Party::Insurer, payout).ok_or_else(|| vec![overflow("order.freight_insurance_payout")])?;
    }

    // Compensation owed on the order, once per rule.
    let mut compensation = Vec::new();
    for rule in &policy.compensation {
        if !holds(&rule.condition, scope).map_err(|e| vec![rule_error(&rule.id, e)])? {
            continue;
        }
        if order.compensations_paid.iter().any(|p| p.rule == rule.id) {
            trace.push(TraceEntry { rule: rule.id.clone(), line_id: None, effect: "already paid on this order".into() });
            continue;
        }
        let c = &rule.coupon;
        let base = match c.of {
            CouponBase::OrderPaid => scope.totals.paid_total,
        };
        let raw = match (c.amount, c.rate_bp) {
            (Some(amount), _) => amount,
            (None, Some(bp)) => {
                apply_bp(base, i64::try_from(bp).unwrap_or(i64::MAX), rule.rounding).ok_or_else(|| vec![overflow("order")])?
            }
            (None, None) => Money::ZERO,
        };
        let amount = c.max.map_or(raw.max(c.min), |max| raw.max(c.min).min(max));
        let issue_day = scope.now.local_date(scope.offset).ok_or_else(|| vec![overflow("now")])?;
        let end_day = issue_day.checked_add_days(chrono::Days::new(c.valid_days.saturating_add(1))).ok_or_else(|| vec![overflow("now")])?;
        let valid_until = Timestamp::new(Instant(Instant::start_of_local_day(end_day, scope.offset).0 - 1), scope.offset);
        trace.push(TraceEntry {
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
        add(&mut liability, rule.borne_by, amount).ok_or_else(|| vec![overflow("order")])?;
        messages.push(render(
            "COMPENSATION_COUPON".into(),
            None,
            &[
                ("amount", yuan(amount)),
                ("min_spend", min_spend_text(c.min_spend)),
                ("valid_until", Arg::Plain(valid_until.to_local_minute().into())),
            ],
            None,
        ));
        compensation.push(CompensationOut {
            rule: rule.id.clone(),
            kind: "coupon",
            amount,
            min_spend: c.min_spend,
            valid_until,
            borne_by: rule.borne_by,
        });
    }
    liability.sort_unstable_by_key(|p| p.party); // one entry per party

    // Evidence: the most any requested reason asks for, against what is attached.
    let mut need = crate::policy::doc::EvidenceRequirement::default();
    for r in resolved {
        let e = &r.reason.evidence;
        need.photos = need.photos.max(e.photos);
        need.package_photos = need.package_photos.max(e.package_photos);
        need.videos = need.videos.max(e.videos);
        need.description_chars = need.description_chars.max(e.description_chars);
    }
    let have = &request.evidence;
    let missing_evidence: Vec<MissingEvidence> = [
        ("photos", need.photos, have.photos),
        ("package_photos", need.package_photos, have.package_photos),
        ("videos", need.videos, have.videos),
        ("description_chars", need.description_chars, have.description_chars),
    ]
    .into_iter()
    .filter(|(_, required, attached)| attached < required)
    .map(|(what, required, attached)| MissingEvidence { what, required, attached })
    .collect();
    if !missing_evidence.is_empty() {
        let part = |m: &MissingEvidence, zh: bool| match (m.what, zh) {
            ("photos", true) => format!("商品照片 {} 张", m.required),
            ("package_photos", true) => format!("包裹照片 {} 张", m.required),
            ("videos", true) => format!("视频 {} 段", m.required),
            (_, true) => format!("问题描述至少 {} 字", m.required),
            ("photos", false) => format!("{} photo(s) of the item", m.required),
            ("package_photos", false) => format!("{} photo(s) of the package", m.required),
            ("videos", false) => format!("{} video(s)", m.required),
            (_, false) => format!("a description of at least {} characters", m.required),
        };
        let list = |zh: bool| {
            let parts: Vec<String> = missing_evidence.iter().map(|m| part(m, zh)).collect();
            parts.iter().map(String::as_str).collect::<Vec<_>>().join(if zh { "、" } else { ", " })
        };
        messages.push(render(
            "EVIDENCE_MISSING".into(),
            None,
            &[("missing", Arg::Localized { zh: list(true).into(), en: list(false).into() })],
            None,
        ));
    }

    // Approval: the tier the refund amount needs, raised by every review a rule asked for.
    let by_amount = match &policy.approval {
        Some(a) if total > a.agent_up_to => Tier::Supervisor,
        Some(a) if total > a.auto_up_to => Tier::Agent,
        _ => Tier::Auto,
    };
    let mut review_reasons: Vec<ReviewReason> = Vec::new();
    for r in reviews {
        if !review_reasons.iter().any(|x| x.rule == r.rule) {
            review_reasons.push(r);
        }
    }
    let approval = review_reasons.iter().map(|r| r.tier).fold(by_amount, Tier::max);
    if approval != Tier::Auto {
        let (zh, en) = match approval {
            Tier::Agent => ("客服", "agent"),
            Tier::Supervisor => ("主管", "supervisor"),
            _ => ("运营经理", "operations manager"),
        };
        messages.push(render("REVIEW_REQUIRED".into(), None, &[("tier", Arg::Localized { zh: zh.into(), en: en.into() })], None));
    }
    if total > Money::ZERO {
        messages.push(render("REFUND_TOTAL".into(), None, &[("total", yuan(total))], None));
    }

    // The timers this request starts.
    let any_fault = |fault: Fault| resolved.iter().any(|r| r.reason.fault == fault);
    let kind = request.kind;
    let deadlines = crate::deadlines::for_decision(
        policy,
        |applies| match applies {
            Applies::Always => true,
            Applies::Refund => matches!(kind, RequestKind::RefundWithReturn | RequestKind::RefundWithoutReturn),
            Applies::ReturnRequired => return_required,
            Applies::SellerFault => any_fault(Fault::Seller),
            Applies::CarrierFault => any_fault(Fault::Carrier),
            Applies::CompensationOwed => !compensation.is_empty(),
            Applies::Exchange => kind == RequestKind::Exchange,
            Applies::Repair => kind == RequestKind::Repair,
        },
        scope.now,
    )?;

    Ok(Settled {
        refund: RefundSummary { items: items_total, shipping, deductions, total, by_tender, coupons_restored },
        return_shipping,
        liability,
        compensation,
        requirements: Requirements { missing_evidence, approval, review_reasons },
        deadlines,
        messages,
    })
}
