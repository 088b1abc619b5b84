//! The service order's lifecycle (售后单): states, the events that move between them, who may
//! trigger each, and the guards — one table, enforced the same way by the browser, the
//! mini-program and the server. A service order's state is never taken on trust: it is the
//! replay of its history through this table.
//!
//! Escalation is a level reached by missing deadlines, not a state.

use crate::model::RequestKind;
use crate::time::Instant;
use crate::vocab::{Actor, Event, State, Tier};
use crate::wire::checks::Path;
use crate::wire::json::at_most;
use crate::wire::limits::{MAX_HISTORY, MAX_RULES};
use crate::wire::wire_struct;

/// A condition beyond state and actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    None,
    /// The actor's authority covers the approval tier the decision required.
    ApprovalTier,
    /// Goods must come back.
    ReturnRequired,
    /// Not passed already.
    NotYetInspected,
    /// Refund only after inspection passed, unless refund-without-return was decided.
    RefundReady,
    /// The request is of this kind, and inspection passed.
    Kind(RequestKind),
    /// Price-difference compensation, after approval.
    Compensation,
    /// Records are kept for two years after completion.
    RetentionOver,
}

#[derive(Debug, Clone, Copy)]
pub struct Move {
    pub event: Event,
    pub from: &'static [State],
    pub to: State,
    pub actors: &'static [Actor],
    pub guard: Guard,
}

use Actor as A;
use State as S;

const STAFF: &[Actor] = &[A::Merchant, A::Agent, A::Supervisor, A::OperationsManager];
const HANDLERS: &[Actor] = &[A::Merchant, A::Agent, A::Supervisor, A::OperationsManager, A::System];
const OUTCOMES: &[State] = &[S::Refunded, S::Exchanged, S::Repaired, S::Compensated, S::Rejected];

/// Every allowed move. (`submit` opens a service order and is not a move between states.)
pub const MOVES: &[Move] = &[
    Move { event: Event::RequestInfo, from: &[S::Submitted, S::UnderReview], to: S::NeedsInfo, actors: STAFF, guard: Guard::None },
    Move { event: Event::ProvideInfo, from: &[S::NeedsInfo], to: S::UnderReview, actors: &[A::Shopper], guard: Guard::None },
    Move { event: Event::StartReview, from: &[S::Submitted], to: S::UnderReview, actors: HANDLERS, guard: Guard::None },
    Move { event: Event::Approve, from: &[S::Submitted, S::UnderReview], to: S::Approved, actors: HANDLERS, guard: Guard::ApprovalTier },
    Move { event: Event::Reject, from: &[S::Submitted, S::UnderReview], to: S::Rejected, actors: STAFF, guard: Guard::ApprovalTier },
    Move {
        event: Event::AwaitReturn,
        from: &[S::Approved],
        to: S::AwaitingReturnShipment,
        actors: &[A::System, A::Merchant],
        guard: Guard::ReturnRequired,
    },
    Move { event: Event::ShipReturn, from: &[S::AwaitingReturnShipment], to: S::InTransit, actors: &[A::Shopper], guard: Guard::None },
    Move { event: Event::ReceiveReturn, from: &[S::InTransit], to: S::Received, actors: &[A::Merchant], guard: Guard::None },
    Move { event: Event::StartInspection, from: &[S::Received], to: S::Inspecting, actors: &[A::Merchant], guard: Guard::None },
    Move { event: Event::PassInspection, from: &[S::Inspecting], to: S::Inspecting, actors: &[A::Merchant], guard: Guard::NotYetInspected },
    Move { event: Event::FailInspection, from: &[S::Inspecting], to: S::Rejected, actors: &[A::Merchant], guard: Guard::NotYetInspected },
    Move {
        event: Event::Refund,
        from: &[S::Approved, S::Inspecting],
        to: S::Refunded,
        actors: &[A::Merchant, A::System],
        guard: Guard::RefundReady,
    },
    Move {
        event: Event::ShipExchange,
        from: &[S::Inspecting],
        to: S::Exchanged,
        actors: &[A::Merchant],
        guard: Guard::Kind(RequestKind::Exchange),
    },
    Move {
        event: Event::CompleteRepair,
        from: &[S::Inspecting],
        to: S::Repaired,
        actors: &[A::Merchant],
        guard: Guard::Kind(RequestKind::Repair),
    },
    Move {
        event: Event::PayCompensation,
        from: &[S::Approved],
        to: S::Compensated,
        actors: &[A::Merchant, A::System],
        guard: Guard::Compensation,
    },
    Move { event: Event::Complete, from: OUTCOMES, to: S::Completed, actors: &[A::System, A::Shopper], guard: Guard::None },
    Move { event: Event::Archive, from: &[S::Completed], to: S::Archived, actors: &[A::System], guard: Guard::RetentionOver },
];

wire_struct! {
    /// One step of a service order's history. Its instant is written back in UTC; answers
    /// about the service order use the policy's offset.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Step {
        pub event: Event,
        pub actor: Actor,
        pub at: Instant,
    }
}

wire_struct! {
    /// A service order as the platform stores it: what the decision settled, and its history.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ServiceOrder {
        pub id: String,
        pub kind: RequestKind,
        pub return_required: bool,
        #[serde(default)]
        pub approval: Tier,
        /// The service levels that apply to it (the decision's `deadlines[].what`).
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_RULES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_RULES)))]
        pub deadlines: Vec<String>,
        #[serde(deserialize_with = "at_most::<_, _, MAX_HISTORY>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_HISTORY)))]
        pub history: Vec<Step>,
    }
}

/// What replaying a history established.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replayed {
    pub state: State,
    pub inspection_passed: bool,
    pub completed_at: Option<Instant>,
    pub last_at: Instant,
}

/// Why a move is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
    pub help: String,
}

/// How long records are kept after completion before they may be archived.
pub const RETENTION_YEARS: u32 = 2;

/// The authority of an actor in approval tiers.
fn authority(actor: Actor) -> Tier {
    match actor {
        A::OperationsManager => Tier::OperationsManager,
        A::Supervisor => Tier::Supervisor,
        A::Agent => Tier::Agent,
        A::Merchant | A::System | A::Shopper => Tier::Auto,
    }
}

fn retention_over(completed_at: Option<Instant>, now: Instant) -> bool {
    let Some(done) = completed_at else { return false };
    let over = crate::time::span::Span::Years(RETENTION_YEARS).add(
        done,
        crate::time::span::DayCounting::FromEvent,
        None,
        crate::time::zone::Zone::UTC,
    );
    over.is_ok_and(|t| now >= t.at)
}

/// Checks one move from `at` by `actor` at `now`.
pub fn check_move(so: &ServiceOrder, at: &Replayed, event: Event, actor: Actor, now: Instant) -> Result<&'static Move, Refusal> {
    let allowed: Vec<&str> = MOVES.iter().filter(|m| m.from.contains(&at.state)).map(|m| m.event.as_str()).collect();
    let Some(m) = MOVES.iter().find(|m| m.event == event && m.from.contains(&at.state)) else {
        return Err(Refusal {
            code: "EVENT_NOT_ALLOWED",
            message: format!("`{}` is not possible in state `{}`", event.as_str(), at.state.as_str()),
            help: if allowed.is_empty() {
                "no event is possible in this state".into()
            } else {
                format!("possible now: {}", allowed.join(", "))
            },
        });
    };
    if !m.actors.contains(&actor) {
        let who: Vec<&str> = m.actors.iter().map(|a| a.as_str()).collect();
        return Err(Refusal {
            code: "ACTOR_NOT_ALLOWED",
            message: format!("`{}` may not `{}`", actor.as_str(), event.as_str()),
            help: format!("who may: {}", who.join(", ")),
        });
    }
    let fail = |message: String, help: &str| Err(Refusal { code: "GUARD_FAILED", message, help: help.to_owned() });
    match m.guard {
        Guard::None => Ok(m),
        Guard::ApprovalTier if actor == A::System && so.approval != Tier::Auto => fail(
            format!("the request needs `{}` approval; the system approves only automatic ones", so.approval.as_str()),
            "an agent, supervisor or operations manager decides",
        ),
        Guard::ApprovalTier
            if actor != A::System && authority(actor) < so.approval && !(actor == A::Merchant && so.approval == Tier::Auto) =>
        {
            fail(
                format!("the request needs `{}` approval, above the authority of `{}`", so.approval.as_str(), actor.as_str()),
                "a reviewer of that tier or above decides",
            )
        }
        Guard::ApprovalTier => Ok(m),
        Guard::ReturnRequired if !so.return_required => {
            fail("the decision needs no return of the goods".into(), "refund, or complete, without a return")
        }
        Guard::ReturnRequired => Ok(m),
        Guard::NotYetInspected if at.inspection_passed => {
            fail("the inspection has already passed".into(), "refund, exchange or repair now")
        }
        Guard::NotYetInspected => Ok(m),
        Guard::RefundReady => {
            let refund_kind = matches!(so.kind, RequestKind::RefundWithReturn | RequestKind::RefundWithoutReturn | RequestKind::Goodwill);
            let ready = match at.state {
                S::Approved => refund_kind && !so.return_required,
                _ => refund_kind && at.inspection_passed,
            };
            if ready {
                Ok(m)
            } else if !refund_kind {
                fail(format!("a `{}` request is not settled by a refund", so.kind.as_str()), "use the move for its kind")
            } else {
                fail(
                    "a refund needs the returned goods to pass inspection first".into(),
                    "pass_inspection, unless the decision was a refund without return",
                )
            }
        }
        Guard::Kind(kind) if so.kind != kind => {
            fail(format!("the request kind is `{}`, not `{}`", so.kind.as_str(), kind.as_str()), "use the move for its kind")
        }
        Guard::Kind(_) if !at.inspection_passed => fail("the returned goods have not passed inspection".into(), "pass_inspection first"),
        Guard::Kind(_) => Ok(m),
        Guard::Compensation if so.kind != RequestKind::PriceDifference => {
            fail(format!("a `{}` request is not settled by compensation", so.kind.as_str()), "use the move for its kind")
        }
        Guard::Compensation => Ok(m),
        Guard::RetentionOver if retention_over(at.completed_at, now) => Ok(m),
        Guard::RetentionOver => {
            fail(format!("records are kept for {RETENTION_YEARS} years after completion"), "the system archives when that time has passed")
        }
    }
}

/// Replays a history through the table; an invalid step is an error at its path.
pub fn replay(so: &ServiceOrder, path: &Path<'_>) -> Result<Replayed, crate::wire::error::Diagnostic> {
    use crate::wire::error::{Code, Diagnostic};
    let hpath = path.key("history");
    let Some(first) = so.history.first() else {
        return Err(Diagnostic::new(Code::MissingField, hpath.render(), "a history starts with the `submit` step"));
    };
    if first.event != Event::Submit || first.actor != A::Shopper {
        return Err(Diagnostic::new(Code::Inconsistent, hpath.index(0).render(), "a history starts with `submit` by the `shopper`"));
    }
    let mut at = Replayed { state: S::Submitted, inspection_passed: false, completed_at: None, last_at: first.at };
    for (i, step) in so.history.iter().enumerate().skip(1) {
        if step.at < at.last_at {
            return Err(Diagnostic::new(Code::Inconsistent, hpath.index(i).key("at").render(), "the history goes back in time"));
        }
        match check_move(so, &at, step.event, step.actor, step.at) {
            Ok(m) => {
                at.inspection_passed |= step.event == Event::PassInspection;
                if m.to == S::Completed {
                    at.completed_at = Some(step.at);
                }
                at.state = m.to;
                at.last_at = step.at;
            }
            Err(r) => {
                return Err(Diagnostic::new(
                    Code::Inconsistent,
                    hpath.index(i).render(),
                    format!("this step is not allowed: {}", r.message),
                )
                .with_help(r.help));
            }
        }
    }
    Ok(at)
}

/// Whether `event` can still happen from `state`, following the table (guards aside).
pub fn reachable(state: State, event: Event) -> bool {
    let mut seen = vec![state];
    let mut i = 0;
    while let Some(&current) = seen.get(i) {
        for m in MOVES.iter().filter(|m| m.from.contains(&current)) {
            if m.event == event {
                return true;
            }
            if !seen.contains(&m.to) {
                seen.push(m.to);
            }
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reachability_follows_the_table() {
        assert!(reachable(S::Submitted, Event::Refund));
        assert!(reachable(S::Rejected, Event::Archive));
        assert!(!reachable(S::Rejected, Event::Refund));
        assert!(!reachable(S::Archived, Event::Complete));
    }

    #[test]
    fn every_state_but_archived_can_be_left_and_every_state_reached() {
        for state in State::ALL {
            let leaves = MOVES.iter().any(|m| m.from.contains(state) && m.to != *state);
            assert_eq!(leaves, *state != S::Archived, "{state:?}");
            let reached = *state == S::Submitted || MOVES.iter().any(|m| m.to == *state);
            assert!(reached, "{state:?} cannot be reached");
        }
    }
}
