//! What a decision says about itself, gathered only when its view asks for it: the trace of
//! the rules that fired, and the messages. Each note is made by a closure, so a view that
//! leaves a part out does not format its texts either.

use crate::answer::TraceEntry;
use crate::messages::Message;

/// The trace being gathered, or nothing when the view leaves it out.
#[derive(Debug, Default)]
pub struct Trace {
    entries: Option<Vec<TraceEntry>>,
}

impl Trace {
    pub fn new(on: bool) -> Self {
        Trace { entries: on.then(Vec::new) }
    }

    pub fn add(&mut self, entry: impl FnOnce() -> TraceEntry) {
        if let Some(entries) = &mut self.entries {
            entries.push(entry());
        }
    }

    pub fn into_entries(self) -> Vec<TraceEntry> {
        self.entries.unwrap_or_default()
    }
}

/// The messages being gathered, or nothing when the view leaves them out.
#[derive(Debug, Default)]
pub struct Said {
    messages: Option<Vec<Message>>,
}

impl Said {
    pub fn new(on: bool) -> Self {
        Said { messages: on.then(Vec::new) }
    }

    pub fn add(&mut self, message: impl FnOnce() -> Message) {
        if let Some(messages) = &mut self.messages {
            messages.push(message());
        }
    }

    pub fn extend(&mut self, more: impl FnOnce() -> Vec<Message>) {
        if let Some(messages) = &mut self.messages {
            messages.extend(more());
        }
    }

    pub fn into_messages(self) -> Vec<Message> {
        self.messages.unwrap_or_default()
    }
}
