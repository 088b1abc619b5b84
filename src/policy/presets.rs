//! The built-in presets, compiled into the engine as data in the policy format itself
//! (`presets/*.json`, minified by `build.rs`).

/// `(id, document)` of every preset.
pub const PRESETS: &[(&str, &str)] = &[
    ("cn-statutory", include_str!(concat!(env!("OUT_DIR"), "/cn-statutory.json"))),
    ("platform-default", include_str!(concat!(env!("OUT_DIR"), "/platform-default.json"))),
    ("eu-crd", include_str!(concat!(env!("OUT_DIR"), "/eu-crd.json"))),
];

pub fn find(id: &str) -> Option<&'static str> {
    PRESETS.iter().find(|(name, _)| *name == id).map(|(_, doc)| *doc)
}

pub fn ids() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|(id, _)| *id)
}
