//! Merging a policy with its preset chain: lists concatenate parent first (ids unique, a
//! child replacing its parent's compensation, service levels and messages by key), scalars
//! of the child win; and the merged form's canonical hash.

use super::doc::*;
use super::presets;
use crate::vocab::Layer;
use crate::wire::error::{Code, Diagnostic, Errors};
use crate::wire::limits::MAX_EXTENDS;

/// An entry of a merged list, with the path of the document it came from.
pub struct Sourced<T> {
    pub item: T,
    pub path: String,
}

/// A merged entry is hashed as the document wrote it.
impl<T: serde::Serialize> serde::Serialize for Sourced<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.item.serialize(s)
    }
}

/// A policy merged with its preset chain.
pub struct Merged {
    pub top: PolicyDoc,
    pub reasons: Vec<Sourced<ReasonDoc>>,
    pub windows: Vec<Sourced<WindowDoc>>,
    pub rules: Vec<Sourced<RuleDoc>>,
    pub no_return: Vec<Sourced<NoReturnDoc>>,
    pub postage: Vec<Sourced<PostageDoc>>,
    pub compensation: Vec<Sourced<CompensationDoc>>,
    pub damages: Vec<Sourced<DamagesDoc>>,
    pub service_levels: Vec<ServiceLevelDoc>,
    pub messages: Vec<MessageDoc>,
    /// The presets merged in, nearest first.
    pub presets: Vec<String>,
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
/// win. `trusted` documents (the built-in presets) may define the statutory layer. Entries are
/// moved, not copied: the merged form owns them.
pub fn merge(mut doc: PolicyDoc, root: &str, depth: usize, errors: &mut Errors) -> Merged {
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
    let lists = Lists::take(&mut doc);
    let mut m = match parent {
        Some(mut m) => {
            merge_settings(&mut m.top, doc);
            m
        }
        None => Merged {
            top: PolicyDoc { extends: None, ..doc },
            reasons: Vec::new(),
            windows: Vec::new(),
            rules: Vec::new(),
            no_return: Vec::new(),
            postage: Vec::new(),
            compensation: Vec::new(),
            damages: Vec::new(),
            service_levels: Vec::new(),
            messages: Vec::new(),
            presets: Vec::new(),
        },
    };
    if root != "policy" {
        m.presets.insert(0, root.to_owned());
    }
    let at = |list: &str, i: usize| format!("{root}.{list}[{i}]");
    // The built-in presets are read under their own names; a caller's documents under `policy`.
    let trusted = root != "policy";
    merge_reasons(&mut m, lists.reasons, &at, errors);
    merge_windows(&mut m, lists.windows, trusted, &at, errors);
    merge_rules(&mut m, lists.rules, trusted, &at, errors);
    for (i, gate) in lists.no_return.into_iter().enumerate() {
        push_unique(&mut m.no_return, gate, at("no_return", i), |g| &g.id, errors);
    }
    for (i, postage) in lists.return_postage.into_iter().enumerate() {
        push_unique(&mut m.postage, postage, at("return_postage", i), |p| &p.id, errors);
    }
    for (i, comp) in lists.compensation.into_iter().enumerate() {
        let path = at("compensation", i);
        replace_or_push(&mut m.compensation, Sourced { item: comp, path }, |a, b| a.item.id == b.item.id);
    }
    for (i, damages) in lists.damages.into_iter().enumerate() {
        push_unique(&mut m.damages, damages, at("damages", i), |d| &d.id, errors);
    }
    for level in lists.service_levels {
        replace_or_push(&mut m.service_levels, level, |a, b| a.what == b.what);
    }
    for message in lists.messages {
        replace_or_push(&mut m.messages, message, |a, b| a.code == b.code);
    }
    m
}

/// A document's lists, taken out of it to be merged.
struct Lists {
    reasons: Vec<ReasonDoc>,
    windows: Vec<WindowDoc>,
    rules: Vec<RuleDoc>,
    no_return: Vec<NoReturnDoc>,
    return_postage: Vec<PostageDoc>,
    compensation: Vec<CompensationDoc>,
    damages: Vec<DamagesDoc>,
    service_levels: Vec<ServiceLevelDoc>,
    messages: Vec<MessageDoc>,
}

impl Lists {
    fn take(doc: &mut PolicyDoc) -> Lists {
        use std::mem::take;
        Lists {
            reasons: take(&mut doc.reasons),
            windows: take(&mut doc.windows),
            rules: take(&mut doc.rules),
            no_return: take(&mut doc.no_return),
            return_postage: take(&mut doc.return_postage),
            compensation: take(&mut doc.compensation),
            damages: take(&mut doc.damages),
            service_levels: take(&mut doc.service_levels),
            messages: take(&mut doc.messages),
        }
    }
}

/// A reason may be re-worded by a child, never turned into another fault or nature.
fn merge_reasons(m: &mut Merged, reasons: Vec<ReasonDoc>, at: &dyn Fn(&str, usize) -> String, errors: &mut Errors) {
    for (i, reason) in reasons.into_iter().enumerate() {
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
            Some(existing) => *existing = Sourced { item: reason, path: at("reasons", i) },
            None => m.reasons.push(Sourced { item: reason, path: at("reasons", i) }),
        }
    }
}

/// Who alone may use a layer, when a document may not: the built-in presets define the
/// statutory layer; the commitment layer is an order's promises, never a policy's.
fn reserved(layer: Layer, trusted: bool) -> Option<&'static str> {
    match layer {
        Layer::Statutory if !trusted => Some("the built-in presets"),
        Layer::Commitment => Some("the promises recorded on an order"),
        _ => None,
    }
}

/// Only `trusted` documents (the built-in presets) define statutory windows.
fn merge_windows(m: &mut Merged, windows: Vec<WindowDoc>, trusted: bool, at: &dyn Fn(&str, usize) -> String, errors: &mut Errors) {
    for (i, window) in windows.into_iter().enumerate() {
        if let Some(who) = reserved(window.layer, trusted) {
            errors.push(
                Diagnostic::new(
                    Code::PolicyConflict,
                    format!("{}.layer", at("windows", i)),
                    format!("only {who} define {} windows", window.layer.as_str()),
                )
                .with_help("a policy's own windows extend the statutory ones: leave out `layer` or use `merchant`"),
            );
        }
        push_unique(&mut m.windows, window, at("windows", i), |w| &w.id, errors);
    }
}

/// Only `trusted` documents (the built-in presets) define statutory rules (a statutory denial
/// holds even inside statutory windows, so a shop's rule in that layer could take a legal right
/// away); each names its legal basis.
fn merge_rules(m: &mut Merged, rules: Vec<RuleDoc>, trusted: bool, at: &dyn Fn(&str, usize) -> String, errors: &mut Errors) {
    for (i, rule) in rules.into_iter().enumerate() {
        if let Some(who) = reserved(rule.layer, trusted) {
            errors.push(
                Diagnostic::new(
                    Code::PolicyConflict,
                    format!("{}.layer", at("rules", i)),
                    format!("only {who} define {} rules", rule.layer.as_str()),
                )
                .with_help("a policy's own rules sit above the statutory ones: leave out `layer` or use `merchant` or `platform`"),
            );
        } else if rule.layer == Layer::Statutory && rule.legal_ref.is_none() {
            errors.push(
                Diagnostic::new(Code::MissingField, format!("{}.legal_ref", at("rules", i)), "a statutory rule must name its legal basis")
                    .with_help("add `legal_ref`, e.g. `CN-7DAY-ART9`, or put the rule in the `merchant` layer"),
            );
        }
        push_unique(&mut m.rules, rule, at("rules", i), |r| &r.id, errors);
    }
}

/// The child's scalar settings win over its parent's.
fn merge_settings(top: &mut PolicyDoc, doc: PolicyDoc) {
    top.id = doc.id;
    top.version = doc.version;
    top.extends = doc.extends;
    top.currency = doc.currency.or(top.currency.take());
    // The local time is one setting written two ways: the nearest document that sets either decides.
    if doc.utc_offset.is_some() || doc.time_zone.is_some() {
        top.utc_offset = doc.utc_offset;
        top.time_zone = doc.time_zone;
    }
    top.calendar = doc.calendar.or(top.calendar.take());
    top.rounding = doc.rounding.or(top.rounding);
    top.shipping_refund = doc.shipping_refund.or(top.shipping_refund);
    top.approval = doc.approval.or(top.approval.take());
    top.price_difference = doc.price_difference.or(top.price_difference.take());
    top.promotion_settlement = doc.promotion_settlement.or(top.promotion_settlement);
    top.restore_coupons = doc.restore_coupons.or(top.restore_coupons);
    top.free_shipping_clawback = doc.free_shipping_clawback.or(top.free_shipping_clawback);
    top.diminished_value = doc.diminished_value.or(top.diminished_value);
    top.goodwill_approval = doc.goodwill_approval.or(top.goodwill_approval);
    top.return_methods = match (top.return_methods.take(), doc.return_methods) {
        (Some(parent), Some(child)) => Some(parent.under(child)),
        (parent, child) => child.or(parent),
    };
}

/// Replaces the entry that is the `same` as `item`, or appends `item`.
fn replace_or_push<T>(list: &mut Vec<T>, item: T, same: fn(&T, &T) -> bool) {
    match list.iter_mut().find(|x| same(x, &item)) {
        Some(existing) => *existing = item,
        None => list.push(item),
    }
}

fn push_unique<T>(list: &mut Vec<Sourced<T>>, item: T, path: String, id_of: fn(&T) -> &String, errors: &mut Errors) {
    let id = id_of(&item);
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

impl Merged {
    /// The policy hash: of the canonical merged form, since identical decisions need identical
    /// hashes, so the preset content is part of it, not just the preset's name.
    pub fn hash(&self) -> String {
        let m = self;
        // The merged settings: `merge` took every list out of `top` (previous versions are
        // not serialized).
        let canonical = Canonical {
            format: "aftersale-rules/policy/1",
            policy: &m.top,
            reasons: &m.reasons,
            windows: &m.windows,
            rules: &m.rules,
            no_return: &m.no_return,
            return_postage: &m.postage,
            compensation: &m.compensation,
            damages: &m.damages,
            service_levels: &m.service_levels,
            messages: &m.messages,
        };
        hex_sha256(crate::wire::json::write(&canonical).as_bytes())
    }
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
    damages: &'m [Sourced<DamagesDoc>],
    service_levels: &'m [ServiceLevelDoc],
    messages: &'m [MessageDoc],
}

/// The SHA-256 of `bytes` in lowercase hex.
fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
