//! What an answer carries (an evaluation's `view`): the full answer by default, or the same
//! answer with parts left out that a reader does not need. The parts left out are not
//! worked out either; every field a view keeps is byte for byte the full answer's.

use crate::wire::{wire_enum, wire_struct};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

wire_enum! {
    /// Which messages an answer carries, and in which language its bilingual texts are.
    #[derive(Default)]
    pub enum Messages {
        #[default]
        All = "all",
        ZhCn = "zh-CN",
        En = "en",
        None = "none",
    }
}

wire_enum! {
    /// How much of each deadline an answer carries.
    #[derive(Default)]
    pub enum Deadlines {
        /// What, after which event, within how long, by when, how it is counted, the law.
        #[default]
        Full = "full",
        /// What and by when (and whether `by` is provisional).
        Time = "time",
        None = "none",
    }
}

wire_struct! {
    /// The parts of an answer to keep. Every member is optional; absent ones keep that part.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct View {
        /// `all`: the messages in both languages; `zh-CN` or `en`: the messages and every other
        /// bilingual text (a deadline's basis) in that language only; `none`: no messages.
        #[serde(default)]
        pub messages: Messages,
        /// The trace: every rule that fired and what it did.
        #[serde(default = "yes")]
        pub trace: bool,
        /// Each item's `options`: the other request kinds and whether it could take them now.
        #[serde(default = "yes")]
        pub options: bool,
        /// The path to yes (and the up to ten decisions of changed requests it takes).
        #[serde(default = "yes")]
        pub path_to_yes: bool,
        #[serde(default)]
        pub deadlines: Deadlines,
    }
}

fn yes() -> bool {
    true
}

impl Default for View {
    fn default() -> Self {
        View::FULL
    }
}

impl View {
    /// Today's full answer, the default.
    pub const FULL: View = View { messages: Messages::All, trace: true, options: true, path_to_yes: true, deadlines: Deadlines::Full };

    /// What a server re-validating a submission reads: eligibility, amounts, postage,
    /// compensation, requirements, effects, the policy's hash, and each deadline's time.
    pub const REVALIDATE: View =
        View { messages: Messages::None, trace: false, options: false, path_to_yes: false, deadlines: Deadlines::Time };

    /// The least an answer can carry: what the path to yes decides its changed requests with.
    pub const LEAST: View = View { messages: Messages::None, trace: false, options: false, path_to_yes: false, deadlines: Deadlines::None };

    /// The views by name (`"view": "revalidate"`).
    pub const NAMED: &'static [(&'static str, View)] = &[("full", View::FULL), ("revalidate", View::REVALIDATE)];

    pub fn is_full(&self) -> bool {
        *self == View::FULL
    }

    /// The members of the answer's objects this view leaves out, as (the writer's struct name,
    /// the member's wire name).
    pub fn leaves_out(&self) -> Vec<(&'static str, &'static str)> {
        const ZH_ONLY: &[(&str, &str)] = &[("Message", "en"), ("Bilingual", "en")];
        const EN_ONLY: &[(&str, &str)] = &[("Message", "zh-CN"), ("Bilingual", "zh-CN")];
        const NO_MESSAGES: &[(&str, &str)] = &[("Decision", "messages")];
        const TIME_ONLY: &[(&str, &str)] =
            &[("DeadlineOut", "after"), ("DeadlineOut", "within"), ("DeadlineOut", "basis"), ("DeadlineOut", "legal_ref")];
        const NO_DEADLINES: &[(&str, &str)] = &[("Decision", "deadlines")];
        let parts: [(bool, &[(&str, &str)]); 7] = [
            (self.messages == Messages::ZhCn, ZH_ONLY),
            (self.messages == Messages::En, EN_ONLY),
            (self.messages == Messages::None, NO_MESSAGES),
            (!self.trace, &[("Decision", "trace")]),
            (!self.options, &[("ItemDecision", "options")]),
            (!self.path_to_yes, &[("Decision", "path_to_yes")]),
            (self.deadlines != Deadlines::Full, if self.deadlines == Deadlines::Time { TIME_ONLY } else { NO_DEADLINES }),
        ];
        parts.iter().filter(|(on, _)| *on).flat_map(|(_, members)| members.iter().copied()).collect()
    }

    /// Whether the messages are wanted in Chinese and in English.
    pub fn languages(&self) -> (bool, bool) {
        match self.messages {
            Messages::All => (true, true),
            Messages::ZhCn => (true, false),
            Messages::En => (false, true),
            Messages::None => (false, false),
        }
    }
}

/// A view by name (`"revalidate"`) or by its parts (`{"trace": false}`).
pub fn read<'de, D: Deserializer<'de>>(d: D) -> Result<View, D::Error> {
    d.deserialize_any(ViewVisitor)
}

struct ViewVisitor;

impl<'de> Visitor<'de> for ViewVisitor {
    type Value = View;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a view's name (`full` or `revalidate`) or an object of its parts")
    }
    fn visit_str<E: de::Error>(self, name: &str) -> Result<View, E> {
        match View::NAMED.iter().find(|(n, _)| *n == name) {
            Some((_, view)) => Ok(*view),
            None => Err(E::custom(format_args!("unknown view `{name}`, expected `full` or `revalidate`"))),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<View, A::Error> {
        View::deserialize(de::value::MapAccessDeserializer::new(map))
    }
}
