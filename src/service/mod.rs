//! Service orders: their lifecycle (`lifecycle`), their timers (`deadlines`), and the entry
//! points `transition` (one event by one actor at "now") and
//! `status` (deadlines and escalation at "now"), with their answers.

pub mod deadlines;
pub mod lifecycle;

use crate::policy::CompiledPolicy;
use crate::service::deadlines::{escalation, Escalation};
use crate::service::lifecycle::{check_move, replay, ServiceOrder, Step, MOVES};
use crate::time::{Instant, Timestamp};
use crate::vocab::{Actor, Event, State};
use crate::wire::checks::Path;
use crate::wire::error::{Code, Diagnostic, Errors};
use crate::wire::text::Text;
use crate::wire::{tag, wire_struct};

wire_struct! {
    /// `{"service_order": …, "event": …, "actor": …, "now": …}`; without `event` and `actor`,
    /// a status request.
    #[derive(Debug, Clone)]
    pub struct ServiceInput {
        pub service_order: ServiceOrder,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub event: Option<Event>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub actor: Option<Actor>,
        pub now: Instant,
    }
}

impl ServiceInput {
    /// The move asked for: an event and its actor together, or neither (a status request).
    pub fn action(&self) -> Result<Option<(Event, Actor)>, Errors> {
        match (self.event, self.actor) {
            (Some(e), Some(a)) => Ok(Some((e, a))),
            (None, None) => Ok(None),
            (Some(_), None) => Err(vec![Diagnostic::new(Code::MissingField, "actor", "an `event` needs the `actor` who triggers it")]),
            (None, Some(_)) => Err(vec![Diagnostic::new(Code::MissingField, "event", "an `actor` needs the `event` they trigger")]),
        }
    }
}

tag! {
    /// The `type` of a transition answer.
    TransitionTag = "transition"
}

tag! {
    /// The `type` of a refusal answer.
    RefusalTag = "refusal"
}

tag! {
    /// The `type` of a status answer.
    StatusTag = "status"
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", schemars(rename = "Transition"))]
    pub struct TransitionOut {
        #[serde(rename = "type")]
        pub answer_type: TransitionTag,
        pub service_order_id: String,
        pub from: State,
        pub event: Event,
        pub actor: Actor,
        pub to: State,
        pub at: Timestamp,
        /// The service order with the step appended: store this.
        pub service_order: ServiceOrder,
        pub escalation: Escalation,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", schemars(rename = "Refusal"))]
    pub struct RefusalOut {
        #[serde(rename = "type")]
        pub answer_type: RefusalTag,
        pub service_order_id: String,
        pub state: State,
        pub event: Event,
        pub actor: Actor,
        pub code: Text,
        pub message: String,
        pub help: String,
        /// The events possible in this state, whoever may trigger them.
        pub possible_events: Vec<Event>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", schemars(rename = "Status"))]
    pub struct StatusOut {
        #[serde(rename = "type")]
        pub answer_type: StatusTag,
        pub service_order_id: String,
        pub state: State,
        pub evaluated_at: Timestamp,
        pub escalation: Escalation,
    }
}

/// The answer to a service input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(rename = "ServiceOutcome"))]
#[serde(untagged)]
pub enum ServiceAnswer {
    Transition(Box<TransitionOut>),
    Refusal(RefusalOut),
    Status(StatusOut),
}

/// Applies the input's event, or reports the status when it has none.
pub fn handle(policy: &CompiledPolicy, input: ServiceInput) -> Result<ServiceAnswer, Errors> {
    let action = input.action()?;
    let ServiceInput { mut service_order, now, .. } = input;
    let at = replay(&service_order, &Path::Root("service_order")).map_err(|e| vec![e])?;
    if now < at.last_at {
        return Err(vec![Diagnostic::new(Code::Inconsistent, "now", "`now` is before the last step of the history")
            .with_help("service orders only move forward in time")]);
    }
    let Some((event, actor)) = action else {
        return Ok(ServiceAnswer::Status(StatusOut {
            answer_type: StatusTag,
            service_order_id: service_order.id.clone(),
            state: at.state,
            evaluated_at: Timestamp::new(now, policy.zone),
            escalation: escalation(policy, &service_order, at.state, now)?,
        }));
    };
    match check_move(&service_order, &at, event, actor, now) {
        Err(refusal) => Ok(ServiceAnswer::Refusal(RefusalOut {
            answer_type: RefusalTag,
            service_order_id: service_order.id.clone(),
            state: at.state,
            event,
            actor,
            code: Text::Static(refusal.code),
            message: refusal.message,
            help: refusal.help,
            possible_events: MOVES.iter().filter(|m| m.from.contains(&at.state)).map(|m| m.event).collect(),
        })),
        Ok(m) => {
            service_order.history.push(Step { event, actor, at: now });
            let escalation = escalation(policy, &service_order, m.to, now)?;
            Ok(ServiceAnswer::Transition(Box::new(TransitionOut {
                answer_type: TransitionTag,
                service_order_id: service_order.id.clone(),
                from: at.state,
                event,
                actor,
                to: m.to,
                at: Timestamp::new(now, policy.zone),
                service_order,
                escalation,
            })))
        }
    }
}
