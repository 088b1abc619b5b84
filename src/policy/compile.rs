//! Merging a policy with its preset chain and compiling it.

use super::doc::*;
use crate::expr::fields::ReasonFacts;
use crate::vocab::{Fault, Layer, Party, Payer, Resolution, Tier};
use super::presets;
use crate::calendar::doc::{compile_spec, CalendarSpec};
use crate::calendar::Calendar;
use crate::clock::Span;
use crate::expr::check::{Checker, Node};
use crate::expr::compile_condition;
use crate::expr::fields::ScopeKind;
use crate::money::Rounding;
use crate::time::Offset;
use crate::wire::checks::{Checks, Path};
use crate::wire::error::{Code, Diagnostic, Errors};
use crate::wire::limits::{MAX_EXTENDS, MAX_RULES, POLICY_LIMITS};
use crate::wire::text::Text;

/// A reason of the catalogue, as expressions and decisions see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub code: String,
    pub fault: Fault,
    pub no_reason: bool,
    pub evidence: EvidenceRequirement,
    /// Who bears the refund of an item returned for this reason.
    pub liability: Party,
}

impl Reason {
    /// What expressions may read of it.
    pub fn facts(&self) -> ReasonFacts<'_> {
        ReasonFacts { code: &self.code, fault: self.fault, no_reason: self.no_reason }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowLength {
    Days(i64),
    Hours(i64),
    Months(u32),
    /// The line's own warranty months.
    Warranty,
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
}

#[derive(Debug, Clone)]
pub struct NoReturnRule {
    pub id: Text,
    pub condition: Node,
    pub destroy_on_site: bool,
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

#[derive(Debug, Clone)]
pub struct ServiceLevel {
    /// As the policy wrote it.
    pub doc: ServiceLevelDoc,
    /// `doc.within`, parsed.
    pub span: Span,
    /// How the deadline is counted, in words: the same for every decision, so written once.
    pub basis: Text,
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
    pub offset: Offset,
    /// Working days and business hours, when the policy names a calendar.
    pub calendar: Option<Calendar>,
    pub rounding: Rounding,
    pub shipping_refund: ShippingRefund,
    pub approval: Option<ApprovalDoc>,
    /// Price-difference compensation: rate in basis points and rounding.
    pub price_difference: Option<(i64, Rounding)>,
    pub diminished_value: bool,
    pub promotion_settlement: PromotionSettlement,
    pub restore_coupons: RestoreCoupons,
    pub free_shipping_clawback: bool,
    pub goodwill_approval: Tier,
    /// Sorted by code.
    pub reasons: Vec<Reason>,
    pub windows: Vec<Window>,
    pub rules: Vec<Rule>,
    pub no_return: Vec<NoReturnRule>,
    pub postage: Vec<PostageRule>,
    pub compensation: Vec<CompensationRule>,
    pub service_levels: Vec<ServiceLevel>,
    /// Policy-defined message texts, sorted by code.
    pub messages: Vec<MessageDoc>,
    /// Earlier versions, for orders that name the version in force when they were placed.
    pub previous: Vec<CompiledPolicy>,
}

impl CompiledPolicy {
    /// The version an order names, or this one.
    pub fn version_named(&self, version: &str) -> Option<&CompiledPolicy> {
        if self.version == version {
            return Some(self);
        }
        self.previous.iter().find(|p| p.version == version)
    }

    pub fn reason(&self, code: &str) -> Option<&Reason> {
        self.reasons.binary_search_by(|r| r.code.as_str().cmp(code)).ok().and_then(|i| self.reasons.get(i))
    }

    pub fn message(&self, code: &str) -> Option<&Texts> {
        self.messages.binary_search_by(|m| m.code.as_str().cmp(code)).ok().and_then(|i| self.messages.get(i)).map(|m| &m.texts)
    }
}

/// Reads a policy document (`root` names it in errors) and checks it as a whole.
fn read_policy(text: &str, root: &str) -> Result<PolicyDoc, Errors> {
    let doc: PolicyDoc = crate::wire::json::read(text, root, Some(root), POLICY_LIMITS)?;
    let mut c = Checks::default();
    doc.check(&mut c, &Path::Root(root));
    c.finish(doc)
}

/// Compiles a policy from its JSON text.
pub fn compile_policy_json(text: &str) -> Result<CompiledPolicy, Errors> {
    compile_policy(read_policy(text, "policy")?)
}

/// An entry of a merged list, with the path of the document it came from.
struct Sourced<T> {
    item: T,
    path: String,
}

/// A merged entry is hashed as the document wrote it.
impl<T: serde::Serialize> serde::Serialize for Sourced<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.item.serialize(s)
    }
}

/// A policy merged with its preset chain.
struct Merged {
    top: PolicyDoc,
    reasons: Vec<Sourced<ReasonDoc>>,
    windows: Vec<Sourced<WindowDoc>>,
    rules: Vec<Sourced<RuleDoc>>,
    no_return: Vec<Sourced<NoReturnDoc>>,
    postage: Vec<Sourced<PostageDoc>>,
    compensation: Vec<Sourced<CompensationDoc>>,
    service_levels: Vec<ServiceLevelDoc>,
    messages: Vec<MessageDoc>,
}

fn load_preset(id: &str, path: &str) -> Result<PolicyDoc, Errors> {
    let Some(text) = presets::find(id) else {
        let known: Vec<&str> = presets::ids().collect();
        let help = crate::wire::text::suggest(id, &known, "presets");
        return Err(vec![Diagnostic::new(Code::UnknownReference, path, format!("unknown preset `{id}`")).with_help(help)]);
    };
    read_policy(text, id)
}

/// Merges `doc` over its preset chain: lists concatenate parent first; scalars of the child
/// win. `trusted` documents (the built-in presets) may define the statutory layer.
fn merge(doc: PolicyDoc, root: &str, depth: usize, errors: &mut Errors) -> Merged {
    let parent = match &doc.extends {
        Some(_) if depth >= MAX_EXTENDS => {
            errors.push(Diagnostic::new(Code::LimitExceeded, format!("{root}.extends"), "`extends` chains too deep"));
            None
        }
        Some(id) => match load_preset(id, &format!("{root}.extends")) {
            Ok(parent_doc) => Some(merge(parent_doc, id, depth + 1, errors)),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        },
        None => None,
    };
    let trusted = root != "policy";
    let mut m = parent.unwrap_or_else(|| Merged {
        top: PolicyDoc { extends: None, ..doc.clone() },
        reasons: Vec::new(),
        windows: Vec::new(),
        rules: Vec::new(),
        no_return: Vec::new(),
        postage: Vec::new(),
        compensation: Vec::new(),
        service_levels: Vec::new(),
        messages: Vec::new(),
    });
    let at = |list: &str, i: usize| format!("{root}.{list}[{i}]");

    for (i, reason) in doc.reasons.iter().enumerate() {
        match m.reasons.iter_mut().find(|r| r.item.code == reason.code) {
            Some(existing) if existing.item.fault != reason.fault || existing.item.no_reason != reason.no_reason => {
                errors.push(
                    Diagnostic::new(
                        Code::PolicyConflict,
                        at("reasons", i),
                        format!("the reason `{}` cannot change the fault or no-reason nature it has in the preset", reason.code),
                    )
                    .with_help("add a reason with a new code instead"),
                );
            }
            Some(existing) => *existing = Sourced { item: reason.clone(), path: at("reasons", i) },
            None => m.reasons.push(Sourced { item: reason.clone(), path: at("reasons", i) }),
        }
    }
    for (i, window) in doc.windows.iter().enumerate() {
        if !trusted && window.layer == Layer::Statutory {
            errors.push(
                Diagnostic::new(
                    Code::PolicyConflict,
                    format!("{}.layer", at("windows", i)),
                    "only the built-in presets define statutory windows",
                )
                .with_help("a policy's own windows extend the statutory ones: leave out `layer` or use `merchant`"),
            );
        }
        push_unique(&mut m.windows, window.clone(), &window.id, at("windows", i), |w| &w.id, errors);
    }
    for (i, rule) in doc.rules.iter().enumerate() {
        if rule.layer == Layer::Statutory && rule.legal_ref.is_none() {
            errors.push(
                Diagnostic::new(Code::MissingField, format!("{}.legal_ref", at("rules", i)), "a statutory rule must name its legal basis")
                    .with_help("add `legal_ref`, e.g. `CN-7DAY-ART9`, or put the rule in the `merchant` layer"),
            );
        }
        push_unique(&mut m.rules, rule.clone(), &rule.id, at("rules", i), |r| &r.id, errors);
    }
    for (i, gate) in doc.no_return.iter().enumerate() {
        push_unique(&mut m.no_return, gate.clone(), &gate.id, at("no_return", i), |g| &g.id, errors);
    }
    for (i, postage) in doc.return_postage.iter().enumerate() {
        push_unique(&mut m.postage, postage.clone(), &postage.id, at("return_postage", i), |p| &p.id, errors);
    }
    for (i, comp) in doc.compensation.iter().enumerate() {
        let sourced = Sourced { item: comp.clone(), path: at("compensation", i) };
        match m.compensation.iter_mut().find(|c| c.item.id == comp.id) {
            Some(existing) => *existing = sourced,
            None => m.compensation.push(sourced),
        }
    }
    for level in &doc.service_levels {
        match m.service_levels.iter_mut().find(|l| l.what == level.what) {
            Some(existing) => *existing = level.clone(),
            None => m.service_levels.push(level.clone()),
        }
    }
    for message in &doc.messages {
        match m.messages.iter_mut().find(|x| x.code == message.code) {
            Some(existing) => *existing = message.clone(),
            None => m.messages.push(message.clone()),
        }
    }
    let top = &mut m.top;
    top.id.clone_from(&doc.id);
    top.version.clone_from(&doc.version);
    top.extends.clone_from(&doc.extends);
    top.currency = doc.currency.clone().or(top.currency.take());
    top.utc_offset = doc.utc_offset.clone().or(top.utc_offset.take());
    top.calendar = doc.calendar.clone().or(top.calendar.take());
    top.rounding = doc.rounding.or(top.rounding);
    top.shipping_refund = doc.shipping_refund.or(top.shipping_refund);
    top.approval = doc.approval.clone().or(top.approval.take());
    top.price_difference = doc.price_difference.clone().or(top.price_difference.take());
    top.promotion_settlement = doc.promotion_settlement.or(top.promotion_settlement);
    top.restore_coupons = doc.restore_coupons.or(top.restore_coupons);
    top.free_shipping_clawback = doc.free_shipping_clawback.or(top.free_shipping_clawback);
    top.diminished_value = doc.diminished_value.or(top.diminished_value);
    top.goodwill_approval = doc.goodwill_approval.or(top.goodwill_approval);
    m
}

fn push_unique<T>(list: &mut Vec<Sourced<T>>, item: T, id: &str, path: String, id_of: fn(&T) -> &String, errors: &mut Errors) {
    if let Some(existing) = list.iter().find(|s| id_of(&s.item) == id) {
        errors.push(Diagnostic::new(
            Code::DuplicateId,
            format!("{path}.id"),
            format!("the id `{id}` is already used at `{}`", existing.path),
        ));
        return;
    }
    list.push(Sourced { item, path });
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

/// Compiles one version of a policy.
fn compile_version(doc: PolicyDoc) -> Result<CompiledPolicy, Errors> {
    let mut errors = Errors::new();
    let mut m = merge(doc, "policy", 0, &mut errors);
    // The calendar is hashed as the data it resolved to, so new holiday data is a new policy.
    let calendar = match m.top.calendar.clone() {
        Some(spec) => match compile_spec(&spec, "policy.calendar") {
            Ok((doc, cal)) => {
                m.top.calendar = Some(CalendarSpec::Inline(doc));
                Some(cal)
            }
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        },
        None => None,
    };
    for (name, len) in [
        ("rules", m.rules.len()),
        ("windows", m.windows.len()),
        ("return_postage", m.postage.len()),
        ("compensation", m.compensation.len()),
    ] {
        if len > MAX_RULES {
            errors.push(Diagnostic::new(
                Code::LimitExceeded,
                format!("policy.{name}"),
                format!("{len} entries; at most {MAX_RULES} are accepted"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let currency = m.top.currency.clone().unwrap_or_default();
    if currency.is_empty() {
        errors.push(
            Diagnostic::new(Code::MissingField, "policy.currency", "missing required field `currency`")
                .with_help("set it, or extend a preset that does"),
        );
    }
    let offset = match m.top.utc_offset.as_deref().map(Offset::parse) {
        Some(Ok(offset)) => offset,
        Some(Err(_)) => Offset(0), // already reported while decoding
        None => {
            errors.push(
                Diagnostic::new(Code::MissingField, "policy.utc_offset", "missing required field `utc_offset`")
                    .with_help("set it, e.g. `+08:00`"),
            );
            Offset(0)
        }
    };
    let rounding = m.top.rounding.unwrap_or(Rounding::HalfUp);

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
        })
        .collect();
    // Codes are unique after the merge: an unstable sort gives the same order (and is a
    // smaller function in the `.wasm` than another stable-sort instance).
    reasons.sort_unstable_by(|a, b| a.code.cmp(&b.code));
    let reason_codes: Vec<String> = reasons.iter().map(|r| r.code.clone()).collect();

    let item = Checker { scope: ScopeKind::Item, role: "an item condition", reason_codes: &reason_codes };
    let order_scope = Checker { scope: ScopeKind::Order, role: "a compensation condition", reason_codes: &reason_codes };
    let mut condition = |src: &str, rule: &str, path: String, checker: &Checker<'_>| -> Option<Node> {
        match compile_condition(src, checker) {
            Ok(node) => Some(node),
            Err(e) => {
                errors.push(e.into_diagnostic(src, rule, format!("{path}.when")));
                None
            }
        }
    };

    let mut windows = Vec::new();
    let mut window_errors = Errors::new();
    for s in &m.windows {
        let w = &s.item;
        let cond = match &w.when {
            Some(src) => condition(src, &w.id, s.path.clone(), &item).map(Some),
            None => Some(None),
        };
        let to_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let length = match (w.days, w.hours, w.months) {
            (Some(d), _, _) => WindowLength::Days(to_i64(d)),
            (_, Some(h), _) => WindowLength::Hours(to_i64(h)),
            (_, _, Some(m)) => WindowLength::Months(u32::try_from(m).unwrap_or(u32::MAX)),
            _ if w.warranty => WindowLength::Warranty,
            _ => WindowLength::Days(0),
        };
        if calendar.is_none() && (w.counting == Counting::WorkingDays || w.roll_forward) {
            window_errors.push(
                Diagnostic::new(
                    Code::MissingField,
                    format!("{}.counting", s.path),
                    format!("the window `{}` counts working days, but the policy has no calendar", w.id),
                )
                .with_help("add `\"calendar\": \"cn\"` or a calendar object to the policy"),
            );
        }
        if let Some(cond) = cond {
            windows.push(Window {
                id: (&w.id).into(),
                condition: cond,
                anchor: w.anchor,
                length,
                counting: w.counting,
                roll_forward: w.roll_forward,
                exclude_repair_days: w.exclude_repair_days,
                resolutions: w.resolutions.clone(),
                layer: w.layer,
                legal_ref: w.legal_ref.as_ref().map(Text::from),
                title: w.title.clone(),
            });
        }
    }
    let mut rules = Vec::new();
    for s in &m.rules {
        let r = &s.item;
        let effect = match (&r.deny, r.require_review, r.fee_bp) {
            (Some(code), _, _) => Effect::Deny(code.into()),
            (None, Some(tier), _) => Effect::Review(tier),
            (None, None, Some(bp)) => Effect::Fee(i64::try_from(bp).unwrap_or(10_000)),
            (None, None, None) => continue, // reported while decoding
        };
        if let Some(node) = condition(&r.when, &r.id, s.path.clone(), &item) {
            rules.push(Rule {
                id: (&r.id).into(),
                condition: node,
                effect,
                layer: r.layer,
                legal_ref: r.legal_ref.as_ref().map(Text::from),
            });
        }
    }
    let mut no_return = Vec::new();
    for s in &m.no_return {
        let g = &s.item;
        if let Some(node) = condition(&g.when, &g.id, s.path.clone(), &item) {
            no_return.push(NoReturnRule { id: (&g.id).into(), condition: node, destroy_on_site: g.destroy_on_site });
        }
    }
    let mut postage = Vec::new();
    for s in &m.postage {
        let p = &s.item;
        if let Some(node) = condition(&p.when, &p.id, s.path.clone(), &item) {
            postage.push(PostageRule {
                id: (&p.id).into(),
                condition: node,
                payer: p.payer,
                legal_ref: p.legal_ref.as_ref().map(Text::from),
            });
        }
    }
    let mut compensation = Vec::new();
    for s in &m.compensation {
        let c = &s.item;
        if let Some(node) = condition(&c.when, &c.id, s.path.clone(), &order_scope) {
            compensation.push(CompensationRule {
                id: (&c.id).into(),
                condition: node,
                rounding: c.coupon.rounding.unwrap_or(rounding),
                coupon: c.coupon.clone(),
                borne_by: c.borne_by,
            });
        }
    }
    errors.append(&mut window_errors);
    let mut service_levels = Vec::new();
    for (i, l) in m.service_levels.iter().enumerate() {
        let Some(span) = Span::parse(&l.within) else { continue }; // reported while decoding
        if span.needs_calendar() && calendar.is_none() {
            errors.push(
                Diagnostic::new(
                    Code::MissingField,
                    format!("policy.service_levels[{i}].within"),
                    format!("`{}` needs a calendar, and the policy has none", l.within),
                )
                .with_help("add `\"calendar\": \"cn\"` or a calendar object to the policy"),
            );
        }
        let basis = crate::messages::deadline_basis(span, l.after, l.counting).into();
        service_levels.push(ServiceLevel { doc: l.clone(), span, basis });
    }

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

    if !errors.is_empty() {
        return Err(errors);
    }
    let hash = policy_hash(&m);
    Ok(CompiledPolicy {
        id: (&m.top.id).into(),
        version: (&m.top.version).into(),
        hash: hash.into(),
        currency: currency.into(),
        offset,
        calendar,
        rounding,
        shipping_refund: m.top.shipping_refund.unwrap_or(ShippingRefund::Never),
        approval: m.top.approval.clone(),
        price_difference: m
            .top
            .price_difference
            .as_ref()
            .map(|p| (i64::try_from(p.rate_bp).unwrap_or(10_000), p.rounding.unwrap_or(rounding))),
        diminished_value: m.top.diminished_value.unwrap_or(false),
        promotion_settlement: m.top.promotion_settlement.unwrap_or(PromotionSettlement::KeepAllocation),
        restore_coupons: m.top.restore_coupons.unwrap_or(RestoreCoupons::Never),
        free_shipping_clawback: m.top.free_shipping_clawback.unwrap_or(false),
        goodwill_approval: m.top.goodwill_approval.unwrap_or(Tier::Agent),
        reasons,
        windows,
        rules,
        no_return,
        postage,
        compensation,
        service_levels,
        messages,
        previous: Vec::new(),
    })
}

/// The canonical form of a merged policy, hashed: identical decisions need identical hashes,
/// so the preset content is part of it, not just the preset's name.
fn policy_hash(m: &Merged) -> String {
    let top = PolicyDoc {
        reasons: Vec::new(),
        windows: Vec::new(),
        rules: Vec::new(),
        no_return: Vec::new(),
        return_postage: Vec::new(),
        compensation: Vec::new(),
        service_levels: Vec::new(),
        messages: Vec::new(),
        previous_versions: Vec::new(),
        ..m.top.clone()
    };
    let canonical = Canonical {
        format: "aftersale-rules/policy/1",
        policy: &top,
        reasons: &m.reasons,
        windows: &m.windows,
        rules: &m.rules,
        no_return: &m.no_return,
        return_postage: &m.postage,
        compensation: &m.compensation,
        service_levels: &m.service_levels,
        messages: &m.messages,
    };
    hex_sha256(crate::wire::json::write(&canonical).as_bytes())
}

/// What the policy hash covers, in this order: the format, the merged settings, then every
/// merged list with each entry as its document wrote it.
#[derive(serde::Serialize)]
struct Canonical<'m> {
    format: &'static str,
    policy: &'m PolicyDoc,
    reasons: &'m [Sourced<ReasonDoc>],
    windows: &'m [Sourced<WindowDoc>],
    rules: &'m [Sourced<RuleDoc>],
    no_return: &'m [Sourced<NoReturnDoc>],
    return_postage: &'m [Sourced<PostageDoc>],
    compensation: &'m [Sourced<CompensationDoc>],
    service_levels: &'m [ServiceLevelDoc],
    messages: &'m [MessageDoc],
}

/// The SHA-256 of `bytes` in lowercase hex.
fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
