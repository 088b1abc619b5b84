//! Policies compiled once per distinct text per process, so that a query or a Spark task can
//! carry its policies as plain text arguments and a new candidate needs no restart.

use aftersale_rules::CompiledPolicy;
use std::sync::{Arc, Mutex};

use crate::summary::first_error;

/// The most recently used policy texts kept compiled.
const KEPT: usize = 8;

/// A small cache of compiled policies, keyed by their whole text, most recent first.
#[derive(Debug, Default)]
pub struct Policies {
    kept: Mutex<Vec<(Arc<str>, Arc<CompiledPolicy>)>>,
}

impl Policies {
    pub fn new() -> Policies {
        Policies::default()
    }

    /// The policy compiled from `text`, or the first compile error as `CODE: path: message`.
    pub fn get(&self, text: &str) -> Result<Arc<CompiledPolicy>, String> {
        if let Ok(mut kept) = self.kept.lock() {
            if let Some(at) = kept.iter().position(|(t, _)| &**t == text) {
                let hit = kept.remove(at);
                let policy = Arc::clone(&hit.1);
                kept.insert(0, hit);
                return Ok(policy);
            }
        }
        let policy = Arc::new(aftersale_rules::compile_policy_json(text).map_err(|e| format!("policy: {}", first_error(&e)))?);
        if let Ok(mut kept) = self.kept.lock() {
            kept.insert(0, (Arc::from(text), Arc::clone(&policy)));
            kept.truncate(KEPT);
        }
        Ok(policy)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{Policies, KEPT};
    use std::sync::Arc;

    fn policy(n: usize) -> String {
        format!(r#"{{"id":"p{n}","version":"1","extends":"platform-default"}}"#)
    }

    #[test]
    fn compiled_once_per_text_and_the_least_recent_dropped() {
        let cache = Policies::new();
        let first = cache.get(&policy(0)).unwrap();
        assert!(Arc::ptr_eq(&first, &cache.get(&policy(0)).unwrap()));
        let second = cache.get(&policy(1)).unwrap();
        for n in 2..KEPT {
            cache.get(&policy(n)).unwrap();
        }
        // Full: the first is used again, so the second is now the least recent and goes.
        assert!(Arc::ptr_eq(&first, &cache.get(&policy(0)).unwrap()));
        cache.get(&policy(KEPT)).unwrap();
        assert!(Arc::ptr_eq(&first, &cache.get(&policy(0)).unwrap()), "kept: used recently");
        assert!(!Arc::ptr_eq(&second, &cache.get(&policy(1)).unwrap()), "dropped and compiled again");
        let error = cache.get("{").unwrap_err();
        assert!(error.starts_with("policy: "), "{error}");
    }
}
