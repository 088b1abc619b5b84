//! Compiling a merged policy: every condition checked and resolved, every setting validated.

use super::doc::*;
use super::merge::{merge, Merged};
use crate::expr::check::{Checker, Node, Size};
use crate::expr::compile_condition;
use crate::expr::fields::ScopeKind;
use crate::expr::fields::{ReasonFacts, Settled};
use crate::expr::known::settled;
use crate::money::{Currency, Rounding};
use crate::time::calendar::doc::{compile_spec, CalendarSpec};
use crate::time::calendar::Calendar;
use crate::time::span::Span;
use crate::time::zone::Zone;
use crate::time::Offset;
use crate::vocab::{Anchor, Authority, Fault, Layer, Party, Payer, Resolution, Tier};
use crate::wire::error::{Code, Diagnostic, Errors};
use crate::wire::limits::{MAX_RULES, MAX_SETTLING};
use crate::wire::text::Text;

/// A reason of the catalogue, as expressions and decisions see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub code: String,
    pub fault: Fault,
    pub no_reason: bool,
    pub evidence: crate::model::Evidence,
    /// Who bears the refund of an item returned for this reason.
    pub liability: Party,
    /// What a form shows for it.
    pub title: Option<Texts>,
    /// The per-item conditions it settles ([`crate::expr::known`]).
    pub settled: Settled,
}

impl Reason {
    /// What expressions may read of it.
    pub fn facts(&self) -> ReasonFacts<'_> {
        ReasonFacts { code: &self.code, fault: self.fault, no_reason: self.no_reason, settled: &self.settled }
    }

    /// Settles, for this reason, the conditions of the policy's windows, rules and no-return
    /// rules that it decides alone. The client build (`aftersale_client`, size first)
    /// evaluates every condition instead.
    fn settle(mut self, windows: &[Window], rules: &[Rule], no_return: &[NoReturnRule]) -> Reason {
        if cfg!(aftersale_client) {
            return self;
        }
        let facts = self.facts();
        let settled = Settled {
            windows: windows.iter().map(|w| w.condition.as_ref().map_or(Some(true), |c| settled(c, facts))).collect(),
            rules: rules.iter().map(|rule| settled(&rule.condition, facts)).collect(),
            no_return: no_return.iter().map(|rule| settled(&rule.condition, facts)).collect(),
        };
        self.settled = settled;
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowLength {
    Days(i64),
    Hours(i64),
    Months(u32),
    /// The line's own warranty months; when it labels none, the default (days or months), if any.
    Warranty(Option<WarrantyDefault>),
}

/// A platform's warranty for goods whose merchant labelled none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarrantyDefault {
    Days(i64),
    Months(u32),
}

#[derive(Debug, Clone)]
pub struct Window {
    pub id: Text,
    pub condition: Option<Node>,
    pub anchor: Anchor,
    pub length: WindowLength,
    pub counting: Counting,
    pub roll_forward: bool,
    pub exclude_repair_days: bool,
    pub resolutions: Vec<Resolution>,
    pub layer: Layer,
    pub legal_ref: Option<Text>,
    pub title: Option<Texts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Deny(Text),
    Review(Tier),
    /// A fee in basis points of the item's refund (waived where a statutory right applies).
    Fee(i64),
    /// Deadlines to report and to file a claim; late is a denial.
    Claim(Claim),
    /// A fast refund or exchange: decided for the whole request, when every returned item has one.
    FastTrack(Box<FastTrack>),
    /// A price difference by the share spoiled or missing (see [`PartialRefundDoc`]).
    PartialRefund(PartialRefundDoc),
}

impl PartialRefundDoc {
    /// The share of what the units were paid that `defect_bp` spoiled or missing earns; zero
    /// within the tolerance.
    pub fn refund_bp(&self, defect_bp: u64) -> u64 {
        if defect_bp <= self.tolerance_bp {
            return 0;
        }
        match self.bands.iter().find(|b| defect_bp <= b.up_to_bp) {
            Some(band) => band.refund_bp,
            None if self.bands.is_empty() => defect_bp - self.tolerance_bp,
            None => 10_000,
        }
    }
}

/// A fast track, with the deadline for the goods to be back as a service level of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FastTrack {
    pub recovery: crate::vocab::Recovery,
    pub deadline: ServiceLevel,
}

/// A claim's deadlines (see [`ClaimDoc`]), parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub anchor: Anchor,
    pub report_within: Option<Span>,
    pub file_within: Option<Span>,
    pub counting: crate::time::span::DayCounting,
    /// The code late is refused with, instead of `REPORTED_LATE` or `FILED_LATE`.
    pub code: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct NoReturnRule {
    pub id: Text,
    pub condition: Node,
    pub destroy_on_site: bool,
    pub authorised_by: Authority,
    pub legal_ref: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: Text,
    pub condition: Node,
    pub effect: Effect,
    pub layer: Layer,
    pub legal_ref: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct PostageRule {
    pub id: Text,
    pub condition: Node,
    pub payer: Payer,
    pub legal_ref: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct CompensationRule {
    pub id: Text,
    pub condition: Node,
    pub coupon: CouponDoc,
    pub rounding: Rounding,
    pub borne_by: Party,
}

/// Damages on a refunded item whose facts establish them (see [`DamagesDoc`]).
#[derive(Debug, Clone)]
pub struct DamagesRule {
    pub id: Text,
    pub condition: Node,
    pub title: Texts,
    pub price_multiple: i64,
    pub loss_multiple: Option<i64>,
    pub min: crate::money::Money,
    pub borne_by: Party,
    pub legal_ref: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLevel {
    /// As the policy wrote it.
    pub doc: ServiceLevelDoc,
    /// `doc.within`, parsed.
    pub span: Span,
    /// How the deadline is counted, in words: the same for every decision, so written once.
    pub basis: crate::messages::Bilingual,
}

/// A policy ready to evaluate requests: everything that does not depend on the request
/// has been resolved.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    pub id: Text,
    pub version: Text,
    /// SHA-256 of the canonical merged policy, hex.
    pub hash: Text,
    pub currency: Text,
    /// How the currency is written in messages (symbol, minor-unit exponent).
    pub money: Currency,
    /// The business's local time.
    pub zone: Zone,
    /// Working days and business hours, when the policy names a calendar.
    pub calendar: Option<Calendar>,
    pub rounding: Rounding,
    pub shipping_refund: ShippingRefund,
    pub approval: Option<ApprovalDoc>,
    /// Price-difference compensation: rate in basis points, and the rounding it declares.
    pub price_difference: Option<(i64, Option<Rounding>)>,
    pub diminished_value: bool,
    pub promotion_settlement: PromotionSettlement,
    pub restore_coupons: RestoreCoupons,
    pub free_shipping_clawback: bool,
    pub goodwill_approval: Tier,
    pub return_methods: ReturnMethodsDoc,
    /// Sorted by code.
    pub reasons: Vec<Reason>,
    pub windows: Vec<Window>,
    pub rules: Vec<Rule>,
    pub no_return: Vec<NoReturnRule>,
    pub postage: Vec<PostageRule>,
    pub compensation: Vec<CompensationRule>,
    pub damages: Vec<DamagesRule>,
    pub service_levels: Vec<ServiceLevel>,
    /// Policy-defined message texts, sorted by code.
    pub messages: Vec<MessageDoc>,
    /// Earlier versions, for orders that name the version in force when they were placed.
    pub previous: Vec<CompiledPolicy>,
    /// The policy extends `cn-statutory`: the engine's own deductions cite the Chinese articles.
    pub cn_law: bool,
    /// The conditions evaluated for every requested item (windows, rules, no-return rules,
    /// postage), together; and those evaluated once per request (compensation).
    pub item_conditions: Size,
    /// The calendar days every requested item's windows and claim deadlines may step through
    /// (working days and business hours are counted a day at a time).
    pub span_work: u64,
    pub order_conditions: Size,
}

impl CompiledPolicy {
    /// The version an order names, or this one.
    pub fn version_named(&self, version: &str) -> Option<&CompiledPolicy> {
        if self.version == version {
            return Some(self);
        }
        self.previous.iter().find(|p| p.version == version)
    }

    /// The service level `name`: the policy's own, or a fast track's return deadline (named
    /// after its rule).
    pub fn service_level(&self, name: &str) -> Option<&ServiceLevel> {
        let fast = self.rules.iter().filter_map(|r| match &r.effect {
            Effect::FastTrack(f) => Some(&f.deadline),
            _ => None,
        });
        self.service_levels.iter().chain(fast).find(|l| l.doc.what == name)
    }

    pub fn reason(&self, code: &str) -> Option<&Reason> {
        self.reasons.binary_search_by(|r| r.code.as_str().cmp(code)).ok().and_then(|i| self.reasons.get(i))
    }

    /// The policy's own texts for a message code, which replace the engine's.
    pub fn texts(&self, code: &str) -> Option<(&str, &str)> {
        self.message(code).map(|t| (t.zh.as_str(), t.en.as_str()))
    }

    pub fn message(&self, code: &str) -> Option<&Texts> {
        self.messages.binary_search_by(|m| m.code.as_str().cmp(code)).ok().and_then(|i| self.messages.get(i)).map(|m| &m.texts)
    }
}

/// Compiles a policy from its JSON text.
pub fn compile_policy_json(text: &str) -> Result<CompiledPolicy, Errors> {
    compile_policy(read_policy(text, "policy")?)
}

/// Compiles a decoded policy document, with its previous versions.
pub fn compile_policy(mut doc: PolicyDoc) -> Result<CompiledPolicy, Errors> {
    let previous_docs = std::mem::take(&mut doc.previous_versions);
    let current = compile_version(doc);
    let mut errors = Errors::new();
    let mut previous = Vec::new();
    for (i, p) in previous_docs.into_iter().enumerate() {
        let at = format!("policy.previous_versions[{i}]");
        if !p.previous_versions.is_empty() {
            errors.push(Diagnostic::new(
                Code::Inconsistent,
                format!("{at}.previous_versions"),
                "previous versions are listed once, on the current version",
            ));
            continue;
        }
        if let Ok(c) = &current {
            if p.id != c.id {
                errors.push(Diagnostic::new(
                    Code::Inconsistent,
                    format!("{at}.id"),
                    format!("a previous version of `{}` has the id `{}`", c.id, p.id),
                ));
            }
            if p.version == c.version || previous.iter().any(|x: &CompiledPolicy| x.version == p.version) {
                errors.push(Diagnostic::new(
                    Code::DuplicateId,
                    format!("{at}.version"),
                    format!("the version `{}` is given twice", p.version),
                ));
            }
        }
        match compile_version(p) {
            Ok(c) => previous.push(c),
            // A previous version's errors point into it.
            Err(e) => errors.extend(e.into_iter().map(|mut d| {
                if let Some(rest) = d.path.strip_prefix("policy") {
                    d.path = format!("{at}{rest}");
                }
                d
            })),
        }
    }
    match current {
        Ok(mut c) if errors.is_empty() => {
            c.previous = previous;
            Ok(c)
        }
        Ok(_) => Err(errors),
        Err(mut e) => {
            e.append(&mut errors);
            Err(e)
        }
    }
}

/// Compiles one version of a policy. Errors come in a fixed order: the merge, the calendar
/// and the counts (which stop here), the settings, every condition, the windows' calendar
/// needs, the service levels, the messages.
fn compile_version(doc: PolicyDoc) -> Result<CompiledPolicy, Errors> {
    let mut errors = Errors::new();
    let mut m = merge(doc, "policy", 0, &mut errors);
    let calendar = resolve_calendar(&mut m, &mut errors);
    check_counts(&m, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let (currency, zone) = settings(&m, &mut errors);
    let rounding = m.top.rounding.unwrap_or(Rounding::HalfUp);
    let reasons = reasons(&m);
    let reason_codes: Vec<String> = reasons.iter().map(|r| r.code.clone()).collect();
    let mut conditions = Conditions { reason_codes: &reason_codes, errors: &mut errors };
    let (windows, mut window_errors) = windows(&m, &mut conditions, calendar.is_some());
    let rules = rules(&m, &mut conditions, calendar.is_some());
    let no_return = no_return(&m, &mut conditions);
    let postage = postage(&m, &mut conditions);
    let compensation = compensation(&m, &mut conditions, rounding);
    let damages = damages(&m, &mut conditions);
    errors.append(&mut window_errors);
    let service_levels = service_levels(&m, calendar.is_some(), &mut errors);
    let messages = messages(&m, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let top = &m.top;
    let span_work = span_work(&windows, &rules, calendar.as_ref());
    let item_conditions = item_conditions(&windows, &rules, &no_return, &postage, &damages);
    // Settling is work per reason and condition node: a policy past the bound is evaluated
    // per item, as the client build is (the answers are the same).
    let settling = u64::try_from(reasons.len()).unwrap_or(u64::MAX).saturating_mul(item_conditions.nodes);
    let reasons =
        if settling <= MAX_SETTLING { reasons.into_iter().map(|r| r.settle(&windows, &rules, &no_return)).collect() } else { reasons };
    Ok(CompiledPolicy {
        id: (&top.id).into(),
        version: (&top.version).into(),
        hash: m.hash().into(),
        money: Currency::of(&currency),
        currency: currency.into(),
        zone,
        calendar,
        rounding,
        shipping_refund: top.shipping_refund.unwrap_or(ShippingRefund::Never),
        approval: top.approval.clone(),
        price_difference: top.price_difference.as_ref().map(|p| (i64::try_from(p.rate_bp).unwrap_or(10_000), p.rounding)),
        diminished_value: top.diminished_value.unwrap_or(false),
        promotion_settlement: top.promotion_settlement.unwrap_or(PromotionSettlement::KeepAllocation),
        restore_coupons: top.restore_coupons.unwrap_or(RestoreCoupons::Never),
        free_shipping_clawback: top.free_shipping_clawback.unwrap_or(false),
        goodwill_approval: top.goodwill_approval.unwrap_or(Tier::Agent),
        return_methods: top.return_methods.clone().unwrap_or_default(),
        cn_law: m.presets.iter().any(|p| p == "cn-statutory"),
        span_work,
        item_conditions,
        order_conditions: {
            let mut size = Size::default();
            for c in &compensation {
                size = size.plus(c.condition.size());
            }
            size
        },
        reasons,
        windows,
        rules,
        no_return,
        postage,
        compensation,
        damages,
        service_levels,
        messages,
        previous: Vec::new(),
    })
}

/// What counting the windows and claim deadlines of one item may cost, in calendar days.
fn span_work(windows: &[Window], rules: &[Rule], cal: Option<&Calendar>) -> u64 {
    let per_day = cal.map_or(1, Calendar::days_per_working_day);
    let minutes = cal.and_then(|c| c.business_hours).map_or(1, |h| u64::from(h.close.saturating_sub(h.open)));
    let work = |span: Span| span.work(per_day, minutes);
    let windows = windows.iter().map(|w| {
        let counted = match (w.counting, w.length) {
            (Counting::WorkingDays, WindowLength::Days(n)) => work(Span::WorkingDays(u32::try_from(n).unwrap_or(u32::MAX))),
            _ => 1,
        };
        counted.saturating_add(if w.roll_forward { work(Span::WorkingDays(1)) } else { 0 })
    });
    let claims = rules.iter().filter_map(|r| if let Effect::Claim(c) = &r.effect { Some(c) } else { None });
    let claims = claims.flat_map(|c| [c.report_within, c.file_within]).flatten().map(work);
    windows.chain(claims).fold(0u64, u64::saturating_add)
}

/// The size of every condition evaluated for each requested item.
fn item_conditions(
    windows: &[Window],
    rules: &[Rule],
    no_return: &[NoReturnRule],
    postage: &[PostageRule],
    damages: &[DamagesRule],
) -> Size {
    let mut size = Size::default();
    for w in windows {
        if let Some(c) = &w.condition {
            size = size.plus(c.size());
        }
    }
    let conditions =
        rules.iter().map(|r| &r.condition).chain(no_return.iter().map(|g| &g.condition)).chain(postage.iter().map(|p| &p.condition));
    for c in conditions.chain(damages.iter().map(|d| &d.condition)) {
        size = size.plus(c.size());
    }
    size
}

/// The policy's calendar, resolved: hashed as the data it resolved to, so new holiday data
/// is a new policy.
fn resolve_calendar(m: &mut Merged, errors: &mut Errors) -> Option<Calendar> {
    let spec = m.top.calendar.clone()?;
    match compile_spec(&spec, "policy.calendar") {
        Ok((doc, cal)) => {
            m.top.calendar = Some(CalendarSpec::Inline(doc));
            Some(cal)
        }
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    }
}

/// The merged lists within their count limit (each document was; their merge may not be).
fn check_counts(m: &Merged, errors: &mut Errors) {
    for (name, len) in [
        ("rules", m.rules.len()),
        ("windows", m.windows.len()),
        ("return_postage", m.postage.len()),
        ("compensation", m.compensation.len()),
        ("damages", m.damages.len()),
    ] {
        if len > MAX_RULES {
            errors.push(Diagnostic::new(
                Code::LimitExceeded,
                format!("policy.{name}"),
                format!("{len} entries; at most {MAX_RULES} are accepted"),
            ));
        }
    }
}

/// The currency and the local time (a named zone or a UTC offset), which the merged policy
/// must set.
fn settings(m: &Merged, errors: &mut Errors) -> (String, Zone) {
    let currency = m.top.currency.clone().unwrap_or_default();
    if currency.is_empty() {
        errors.push(
            Diagnostic::new(Code::MissingField, "policy.currency", "missing required field `currency`")
                .with_help("set it, or extend a preset that does"),
        );
    }
    // A bad name or offset was reported while decoding.
    let zone = match (m.top.time_zone.as_deref(), m.top.utc_offset.as_deref()) {
        (Some(name), _) => Zone::named(name).unwrap_or(Zone::UTC),
        (None, Some(offset)) => Zone::Fixed(Offset::parse(offset).unwrap_or(Offset(0))),
        (None, None) => {
            errors.push(
                Diagnostic::new(Code::MissingField, "policy.utc_offset", "missing required field `utc_offset` (or `time_zone`)")
                    .with_help("set it, e.g. `+08:00`, or name a zone, e.g. `Europe/Berlin`"),
            );
            Zone::UTC
        }
    };
    (currency, zone)
}

/// The reason catalogue, by code, each with who bears its refunds.
fn reasons(m: &Merged) -> Vec<Reason> {
    let mut reasons: Vec<Reason> = m
        .reasons
        .iter()
        .map(|s| Reason {
            code: s.item.code.clone(),
            fault: s.item.fault,
            no_reason: s.item.no_reason,
            evidence: s.item.evidence.clone(),
            liability: s.item.liability.unwrap_or(match s.item.fault {
                Fault::Carrier => Party::Carrier,
                Fault::Platform => Party::Platform,
                Fault::Buyer | Fault::Seller => Party::Merchant,
            }),
            title: s.item.title.clone(),
            settled: Settled::default(),
        })
        .collect();
    // Codes are unique after the merge: an unstable sort gives the same order (and is a
    // smaller function in the `.wasm` than another stable-sort instance).
    reasons.sort_unstable_by(|a, b| a.code.cmp(&b.code));
    reasons
}

/// Compiles the conditions of one policy version, collecting their errors.
struct Conditions<'a> {
    reason_codes: &'a [String],
    errors: &'a mut Errors,
}

impl Conditions<'_> {
    fn compile(&mut self, src: &str, rule: &str, path: &str, scope: ScopeKind) -> Option<Node> {
        let role = match scope {
            ScopeKind::Item => "an item condition",
            ScopeKind::Order => "a compensation condition",
        };
        match compile_condition(src, &Checker { scope, role, reason_codes: self.reason_codes }) {
            Ok(node) => Some(node),
            Err(e) => {
                self.errors.push(e.into_diagnostic(src, rule, format!("{path}.when")));
                None
            }
        }
    }
}

/// The windows, and the errors of those that count working days without a calendar.
fn windows(m: &Merged, conditions: &mut Conditions<'_>, has_calendar: bool) -> (Vec<Window>, Errors) {
    let (mut windows, mut errors) = (Vec::new(), Errors::new());
    for s in &m.windows {
        let w = &s.item;
        let condition = match &w.when {
            Some(src) => conditions.compile(src, &w.id, &s.path, ScopeKind::Item).map(Some),
            None => Some(None),
        };
        if !has_calendar && (w.counting == Counting::WorkingDays || w.roll_forward) {
            errors.push(
                Diagnostic::new(
                    Code::MissingField,
                    format!("{}.counting", s.path),
                    format!("the window `{}` counts working days, but the policy has no calendar", w.id),
                )
                .with_help("add `\"calendar\": \"cn\"` or a calendar object to the policy"),
            );
        }
        let Some(condition) = condition else { continue };
        windows.push(Window {
            id: (&w.id).into(),
            condition,
            anchor: w.anchor,
            length: window_length(w),
            counting: w.counting,
            roll_forward: w.roll_forward,
            exclude_repair_days: w.exclude_repair_days,
            resolutions: w.resolutions.clone(),
            layer: w.layer,
            legal_ref: w.legal_ref.as_ref().map(Text::from),
            title: w.title.clone(),
        });
    }
    (windows, errors)
}

fn window_length(w: &WindowDoc) -> WindowLength {
    let to_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let to_u32 = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    if w.warranty {
        let default = w.days.map(|d| WarrantyDefault::Days(to_i64(d))).or(w.months.map(|m| WarrantyDefault::Months(to_u32(m))));
        return WindowLength::Warranty(default);
    }
    match (w.days, w.hours, w.months) {
        (Some(d), _, _) => WindowLength::Days(to_i64(d)),
        (_, Some(h), _) => WindowLength::Hours(to_i64(h)),
        (_, _, Some(m)) => WindowLength::Months(to_u32(m)),
        _ => WindowLength::Days(0),
    }
}

fn rules(m: &Merged, conditions: &mut Conditions<'_>, has_calendar: bool) -> Vec<Rule> {
    let mut rules = Vec::new();
    for s in &m.rules {
        let r = &s.item;
        let effect = match (&r.deny, r.require_review, r.fee_bp, &r.claim) {
            (code, _, _, Some(c)) => Effect::Claim(claim(c, code.as_ref().map(Text::from), &s.path, has_calendar, conditions.errors)),
            (Some(code), ..) => Effect::Deny(code.into()),
            (None, Some(tier), ..) => Effect::Review(tier),
            (None, None, Some(bp), _) => Effect::Fee(i64::try_from(bp).unwrap_or(10_000)),
            (None, None, None, None) => match (&r.partial_refund, &r.fast_track) {
                (Some(p), _) => Effect::PartialRefund(p.clone()),
                (None, Some(f)) => match fast_track(&r.id, f, &s.path, has_calendar, conditions.errors) {
                    Some(fast) => Effect::FastTrack(Box::new(fast)),
                    None => continue,
                },
                (None, None) => continue, // reported while decoding
            },
        };
        if let Some(condition) = conditions.compile(&r.when, &r.id, &s.path, ScopeKind::Item) {
            rules.push(Rule { id: (&r.id).into(), condition, effect, layer: r.layer, legal_ref: r.legal_ref.as_ref().map(Text::from) });
        }
    }
    rules
}

/// A fast track's return deadline, as a service level named after its rule (a service order
/// tracks it by that name) that starts at the release and is met when the goods are received.
fn fast_track(rule: &String, f: &FastTrackDoc, path: &str, has_calendar: bool, errors: &mut Errors) -> Option<FastTrack> {
    let span = Span::parse(&f.return_within)?; // reported while decoding
    if span.needs_calendar() && !has_calendar {
        errors.push(no_calendar(format!("{path}.fast_track.return_within"), &f.return_within));
    }
    let doc = ServiceLevelDoc {
        what: Text::from(rule),
        within: f.return_within.clone(),
        after: f.release,
        counting: crate::time::span::DayCounting::FromEvent,
        applies: Applies::Always,
        met_by: vec![crate::vocab::Event::ReceiveReturn],
        escalates: false,
        legal_ref: None,
    };
    let basis = crate::messages::deadline_basis(span, f.release, doc.counting);
    Some(FastTrack { recovery: f.recovery, deadline: ServiceLevel { doc, span, basis } })
}

/// A claim's spans (their syntax was checked while decoding); working days need a calendar.
fn claim(c: &ClaimDoc, code: Option<Text>, path: &str, has_calendar: bool, errors: &mut Errors) -> Claim {
    let mut span = |field: &str, text: &Option<Text>| {
        let text = text.as_deref()?;
        let span = Span::parse(text)?;
        if span.needs_calendar() && !has_calendar {
            errors.push(no_calendar(format!("{path}.claim.{field}"), text));
        }
        Some(span)
    };
    Claim {
        anchor: c.anchor,
        report_within: span("report_within", &c.report_within),
        file_within: span("file_within", &c.file_within),
        counting: c.counting,
        code,
    }
}

fn no_return(m: &Merged, conditions: &mut Conditions<'_>) -> Vec<NoReturnRule> {
    let mut out = Vec::new();
    for s in &m.no_return {
        let g = &s.item;
        if let Some(condition) = conditions.compile(&g.when, &g.id, &s.path, ScopeKind::Item) {
            out.push(NoReturnRule {
                id: (&g.id).into(),
                condition,
                destroy_on_site: g.destroy_on_site,
                authorised_by: g.authorised_by,
                legal_ref: g.legal_ref.as_ref().map(Text::from),
            });
        }
    }
    out
}

fn postage(m: &Merged, conditions: &mut Conditions<'_>) -> Vec<PostageRule> {
    let mut out = Vec::new();
    for s in &m.postage {
        let p = &s.item;
        if let Some(condition) = conditions.compile(&p.when, &p.id, &s.path, ScopeKind::Item) {
            out.push(PostageRule { id: (&p.id).into(), condition, payer: p.payer, legal_ref: p.legal_ref.as_ref().map(Text::from) });
        }
    }
    out
}

fn compensation(m: &Merged, conditions: &mut Conditions<'_>, rounding: Rounding) -> Vec<CompensationRule> {
    let mut out = Vec::new();
    for s in &m.compensation {
        let c = &s.item;
        if let Some(condition) = conditions.compile(&c.when, &c.id, &s.path, ScopeKind::Order) {
            out.push(CompensationRule {
                id: (&c.id).into(),
                condition,
                rounding: c.coupon.rounding.unwrap_or(rounding),
                coupon: c.coupon.clone(),
                borne_by: c.borne_by,
            });
        }
    }
    out
}

fn damages(m: &Merged, conditions: &mut Conditions<'_>) -> Vec<DamagesRule> {
    let mut out = Vec::new();
    for s in &m.damages {
        let d = &s.item;
        if let Some(condition) = conditions.compile(&d.when, &d.id, &s.path, ScopeKind::Item) {
            out.push(DamagesRule {
                id: (&d.id).into(),
                condition,
                title: d.title.clone(),
                price_multiple: i64::try_from(d.price_multiple).unwrap_or(1),
                loss_multiple: d.loss_multiple.map(|m| i64::try_from(m).unwrap_or(1)),
                min: d.min,
                borne_by: d.borne_by,
                legal_ref: d.legal_ref.as_ref().map(Text::from),
            });
        }
    }
    out
}

/// The service levels with their spans and explanations; working days need a calendar.
fn service_levels(m: &Merged, has_calendar: bool, errors: &mut Errors) -> Vec<ServiceLevel> {
    let mut out = Vec::new();
    for (i, l) in m.service_levels.iter().enumerate() {
        let Some(span) = Span::parse(&l.within) else { continue }; // reported while decoding
        if span.needs_calendar() && !has_calendar {
            errors.push(no_calendar(format!("policy.service_levels[{i}].within"), &l.within));
        }
        let basis = crate::messages::deadline_basis(span, l.after, l.counting);
        out.push(ServiceLevel { doc: l.clone(), span, basis });
    }
    out
}

/// A span of working days or business hours in a policy without a calendar.
fn no_calendar(path: String, span: &str) -> Diagnostic {
    Diagnostic::new(Code::MissingField, path, format!("`{span}` needs a calendar, and the policy has none"))
        .with_help("add `\"calendar\": \"cn\"` or a calendar object to the policy")
}

/// The policy's own messages, by code; every code a rule denies with must have one.
fn messages(m: &Merged, errors: &mut Errors) -> Vec<MessageDoc> {
    let mut messages = m.messages.clone();
    messages.sort_unstable_by(|a, b| a.code.cmp(&b.code));
    for s in &m.rules {
        if let Some(code) = &s.item.deny {
            if crate::messages::builtin(code).is_none() && messages.binary_search_by(|x| x.code.as_str().cmp(code)).is_err() {
                errors.push(
                    Diagnostic::new(Code::MissingField, format!("{}.deny", s.path), format!("the reason code `{code}` has no message"))
                        .with_help(format!("add `\"messages\": {{\"{code}\": {{\"zh-CN\": \"…\", \"en\": \"…\"}}}}` to the policy")),
                );
            }
        }
    }
    messages
}
