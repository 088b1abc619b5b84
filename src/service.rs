//! Entry points for service orders: `transition` (one event by one actor at "now") and
//! `status` (deadlines and escalation at "now"), with their answers.

use crate::deadlines::{escalation, Escalation};
use crate::error::{Code, Diagnostic, Errors};
use crate::json::decode::{Decode, Decoder, Obj, Path};
use crate::json::Value;
use crate::lifecycle::{check_move, replay, Actor, Event, ServiceOrder, State, Step, MOVES};
use crate::policy::CompiledPolicy;
use crate::time::{Instant, Timestamp};

/// `{"service_order": …, "event": …, "actor": …, "now": …}`; without `event` and `actor`,
/// a status request.
#[derive(Debug, Clone)]
pub struct ServiceInput {
    pub service_order: ServiceOrder,
    pub action: Option<(Event, Actor)>,
    pub now: Instant,
}

impl<'a> Decode<'a> for ServiceInput {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let so = o.raw(d, "service_order").map(|raw| ServiceOrder::decode(d, raw, &Path::Root("service_order")));
        let event = o.raw(d, "event").map(|raw| Event::decode(d, raw, &Path::Root("event")));
        let actor = o.raw(d, "actor").map(|raw| Actor::decode(d, raw, &Path::Root("actor")));
        let now = o.raw(d, "now").map(|raw| Instant::decode(d, raw, &Path::Root("now")));
        o.finish(d);
        for (name, missing) in [("service_order", so.is_none()), ("now", now.is_none())] {
            if missing {
                d.error(Code::MissingField, &Path::Root(name), format!("missing required field `{name}`"), None);
            }
        }
        let action = match (event, actor) {
            (Some(e), Some(a)) => Some((e?, a?)),
            (None, None) => None,
            (Some(_), None) => {
                d.error(Code::MissingField, &Path::Root("actor"), "an `event` needs the `actor` who triggers it", None);
                return None;
            }
            (None, Some(_)) => {
                d.error(Code::MissingField, &Path::Root("event"), "an `actor` needs the `event` they trigger", None);
                return None;
            }
        };
        Some(ServiceInput { service_order: so??, action, now: now?? })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionOut {
    pub answer_type: &'static str,
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
crate::json::json_object!(TransitionOut { "type" => answer_type, "service_order_id" => service_order_id, "from" => from, "event" => event, "actor" => actor, "to" => to, "at" => at, "service_order" => service_order, "escalation" => escalation });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalOut {
    pub answer_type: &'static str,
    pub service_order_id: String,
    pub state: State,
    pub event: Event,
    pub actor: Actor,
    pub code: &'static str,
    pub message: String,
    pub help: String,
    /// The events possible in this state, whoever may trigger them.
    pub possible_events: Vec<Event>,
}
crate::json::json_object!(RefusalOut { "type" => answer_type, "service_order_id" => service_order_id, "state" => state, "event" => event, "actor" => actor, "code" => code, "message" => message, "help" => help, "possible_events" => possible_events });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusOut {
    pub answer_type: &'static str,
    pub service_order_id: String,
    pub state: State,
    pub evaluated_at: Timestamp,
    pub escalation: Escalation,
}
crate::json::json_object!(StatusOut { "type" => answer_type, "service_order_id" => service_order_id, "state" => state, "evaluated_at" => evaluated_at, "escalation" => escalation });

/// The answer to a service input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceAnswer {
    Transition(Box<TransitionOut>),
    Refusal(RefusalOut),
    Status(StatusOut),
}

impl crate::json::ToJson for ServiceAnswer {
    fn write_json(&self, out: &mut crate::json::Out) {
        match self {
            ServiceAnswer::Transition(t) => t.write_json(out),
            ServiceAnswer::Refusal(r) => r.write_json(out),
            ServiceAnswer::Status(s) => s.write_json(out),
        }
    }
}

/// Applies the input's event, or reports the status when it has none.
pub fn handle(policy: &CompiledPolicy, input: ServiceInput) -> Result<ServiceAnswer, Errors> {
    let ServiceInput { mut service_order, action, now } = input;
    let at = replay(&service_order, &Path::Root("service_order")).map_err(|e| vec![e])?;
    if now < at.last_at {
        return Err(vec![Diagnostic::new(Code::Inconsistent, "now", "`now` is before the last step of the history")
            .with_help("service orders only move forward in time")]);
    }
    let Some((event, actor)) = action else {
        return Ok(ServiceAnswer::Status(StatusOut {
            answer_type: "status",
            service_order_id: service_order.id.clone(),
            state: at.state,
            evaluated_at: Timestamp::new(now, policy.offset),
            escalation: escalation(policy, &service_order, at.state, now)?,
        }));
    };
    match check_move(&service_order, &at, event, actor, now) {
        Err(refusal) => Ok(ServiceAnswer::Refusal(RefusalOut {
            answer_type: "refusal",
            service_order_id: service_order.id.clone(),
            state: at.state,
            event,
            actor,
            code: refusal.code,
            message: refusal.message,
            help: refusal.help,
            possible_events: MOVES.iter().filter(|m| m.from.contains(&at.state)).map(|m| m.event).collect(),
        })),
        Ok(m) => {
            service_order.history.push(Step { event, actor, at: now });
            let escalation = escalation(policy, &service_order, m.to, now)?;
            Ok(ServiceAnswer::Transition(Box::new(TransitionOut {
                answer_type: "transition",
                service_order_id: service_order.id.clone(),
                from: at.state,
                event,
                actor,
                to: m.to,
                at: Timestamp::new(now, policy.offset),
                service_order,
                escalation,
            })))
        }
    }
}
