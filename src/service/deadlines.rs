//! Service-level deadlines: which timers a decision starts and when those
//! that start at submission fall due; and, for an open service order at "now", the status
//! of every timer, the escalation level reached (agent → supervisor → operations manager,
//! one level per further period missed) and the next moment at which the level changes.
//!
//! Every `by` is the last moment that is still on time (inclusive). A timer met after it is
//! `met_late`: the answer keeps by how much and the level it had reached, so a breach stays
//! visible after the order moved on.

use crate::answer::DeadlineOut;
use crate::policy::compile::ServiceLevel;
use crate::policy::doc::Applies;
use crate::policy::CompiledPolicy;
use crate::service::lifecycle::{reachable, ServiceOrder};
use crate::time::calendar::Calendar;
use crate::time::span::Due;
use crate::time::Instant;
use crate::vocab::{Event, State};
use crate::wire::error::{Code, Diagnostic, Errors};
use crate::wire::{wire_enum, wire_struct};

wire_enum! {
    /// How far an open service order has escalated.
    pub enum Level {
        None = "none",
        Agent = "agent",
        Supervisor = "supervisor",
        OperationsManager = "operations_manager",
    }
}

wire_enum! {
    pub enum Status {
        /// Its starting event has not happened.
        Pending = "pending",
        Open = "open",
        /// Met on time.
        Met = "met",
        /// Met, after its deadline.
        MetLate = "met_late",
        Overdue = "overdue",
        /// The order reached a state from which nothing can meet it any more (a rejected
        /// request owes no refund): it no longer runs.
        Closed = "closed",
    }
}

/// The deadline of `level` for an event at `start`.
fn due(policy: &CompiledPolicy, level: &ServiceLevel, start: Instant, path: &str) -> Result<Due, Diagnostic> {
    let cal: Option<&Calendar> = policy.calendar.as_ref();
    level.span.add(start, level.doc.counting, cal, policy.zone).map_err(|e| e.at(path, cal))
}

/// The timers a decision starts: every applicable service level, with `by` for those that
/// start at submission (`now`).
pub fn for_decision(
    policy: &CompiledPolicy,
    applies: impl Fn(Applies) -> bool,
    now: crate::time::Instant,
) -> Result<Vec<DeadlineOut>, Errors> {
    let mut out = Vec::new();
    for level in policy.service_levels.iter().filter(|l| applies(l.doc.applies)) {
        out.push(deadline(policy, level, now)?);
    }
    Ok(out)
}

/// The timer of `level` as a decision starts it, with `by` when it starts at submission.
pub fn deadline(policy: &CompiledPolicy, level: &ServiceLevel, now: crate::time::Instant) -> Result<DeadlineOut, Errors> {
    let by = match level.doc.after {
        Event::Submit => Some(due(policy, level, now, "now").map_err(|e| vec![e])?),
        _ => None,
    };
    Ok(DeadlineOut {
        what: level.doc.what.clone(),
        after: level.doc.after,
        within: level.doc.within.clone(),
        by: by.map(|by| crate::time::Timestamp::new(by.at, policy.zone)),
        provisional: by.is_some_and(|by| by.provisional),
        basis: level.basis.clone(),
        legal_ref: level.doc.legal_ref.clone(),
    })
}

wire_struct! {
    /// A timer of an open service order.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct OrderDeadline {
        pub what: String,
        pub after: Event,
        pub status: Status,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub by: Option<crate::time::Timestamp>,
        /// `by` was counted over working days of a year whose holidays are not announced yet.
        #[serde(default, skip_serializing_if = "crate::wire::is_false")]
        pub provisional: bool,
        /// When it was met (on time or late).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub met_at: Option<crate::time::Timestamp>,
        /// For a timer met late: how late, in whole minutes rounded up.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub late_minutes: Option<i64>,
        /// For a timer that escalates, overdue or met late: the level it has reached (or had
        /// reached when it was met).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub level: Option<Level>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<crate::wire::text::Text>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Escalation {
        pub level: Level,
        /// When the level will next change if nobody acts (for a countdown); absent when it cannot.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub next_change_at: Option<crate::time::Timestamp>,
        pub deadlines: Vec<OrderDeadline>,
    }
}

/// The escalation levels, in order, that a missed deadline passes through.
const LADDER: [Level; 3] = [Level::Agent, Level::Supervisor, Level::OperationsManager];

/// Every timer of `so` at `now`, and the escalation they add up to.
pub fn escalation(policy: &CompiledPolicy, so: &ServiceOrder, state: State, now: Instant) -> Result<Escalation, Errors> {
    let mut errors = Errors::new();
    let mut deadlines = Vec::new();
    let mut level = Level::None;
    let mut next_change: Option<Instant> = None;
    for (i, name) in so.deadlines.iter().enumerate() {
        let Some(sl) = policy.service_level(name) else {
            let known: Vec<&str> = policy.service_levels.iter().map(|l| l.doc.what.as_str()).collect();
            errors.push(
                Diagnostic::new(
                    Code::UnknownReference,
                    format!("service_order.deadlines[{i}]"),
                    format!("the policy has no service level `{name}`"),
                )
                .with_help(format!("service levels: {}", known.join(", "))),
            );
            continue;
        };
        match timer(policy, so, state, now, sl) {
            Ok((entry, change)) => {
                // A breach that was met late stays in the answer; only open ones escalate now.
                if entry.status == Status::Overdue {
                    level = level.max(entry.level.unwrap_or(Level::None));
                }
                if let Some(at) = change {
                    next_change = Some(next_change.map_or(at, |n| n.min(at)));
                }
                deadlines.push(entry);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Escalation { level, next_change_at: next_change.map(|t| crate::time::Timestamp::new(t, policy.zone)), deadlines })
}

/// One timer of `so` at `now`, and the next moment its status or level changes if nobody acts.
fn timer(
    policy: &CompiledPolicy,
    so: &ServiceOrder,
    state: State,
    now: Instant,
    sl: &ServiceLevel,
) -> Result<(OrderDeadline, Option<Instant>), Diagnostic> {
    let started = so.history.iter().rposition(|s| s.event == sl.doc.after);
    let mut entry = OrderDeadline {
        what: sl.doc.what.as_str().to_owned(),
        after: sl.doc.after,
        status: Status::Pending,
        by: None,
        provisional: false,
        met_at: None,
        late_minutes: None,
        level: None,
        legal_ref: sl.doc.legal_ref.clone(),
    };
    let still_possible = sl.doc.met_by.iter().any(|e| reachable(state, *e));
    let Some(start_index) = started else {
        if !(still_possible && reachable(state, sl.doc.after)) {
            entry.status = Status::Closed;
        }
        return Ok((entry, None));
    };
    let start = so.history.get(start_index).map_or(now, |s| s.at);
    let by = due(policy, sl, start, &format!("service_order.history[{start_index}].at"))?;
    entry.by = Some(crate::time::Timestamp::new(by.at, policy.zone));
    entry.provisional = by.provisional;
    let met = so.history.iter().skip(start_index + 1).find(|s| sl.doc.met_by.contains(&s.event)).map(|s| s.at);
    let mut change = None;
    if let Some(met_at) = met {
        entry.met_at = Some(crate::time::Timestamp::new(met_at, policy.zone));
        if met_at <= by.at {
            entry.status = Status::Met;
        } else {
            entry.status = Status::MetLate;
            entry.late_minutes = Some((met_at.0 - by.at.0 + 59_999) / 60_000);
            if sl.doc.escalates {
                entry.level = Some(overdue_level(policy, sl, by.at, met_at)?.0);
            }
        }
    } else if !still_possible {
        entry.status = Status::Closed;
    } else if now <= by.at {
        entry.status = Status::Open;
        change = sl.doc.escalates.then_some(Instant(by.at.0 + 1));
    } else {
        entry.status = Status::Overdue;
        if sl.doc.escalates {
            let (reached, next) = overdue_level(policy, sl, by.at, now)?;
            entry.level = Some(reached);
            change = next;
        }
    }
    Ok((entry, change))
}

/// The level an overdue timer due `by` has reached at `now` (one per further period missed),
/// and when it reaches the next.
fn overdue_level(policy: &CompiledPolicy, sl: &ServiceLevel, by: Instant, now: Instant) -> Result<(Level, Option<Instant>), Diagnostic> {
    // The end of each further period: by, by + span, by + 2 × span.
    let mut ends = vec![by];
    while ends.len() < LADDER.len() {
        let last = ends.last().copied().unwrap_or(by);
        ends.push(due(policy, sl, last, "now")?.at);
    }
    let missed = ends.iter().filter(|end| now > **end).count();
    let reached = LADDER.get(missed.saturating_sub(1)).copied().unwrap_or(Level::OperationsManager);
    Ok((reached, ends.get(missed).map(|end| Instant(end.0 + 1))))
}
