//! Every legal reference the engine or a preset can put in an answer has its row in
//! docs/legal.md, with the article and a quote.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::Path;

/// Every `"CN-…"` / `"EU-…"` string literal in `text`.
/// The instruments' prefixes: Chinese law, EU law, and the platform rules presets follow.
const PREFIXES: [&str; 4] = ["CN-", "EU-", "TAOBAO-", "JD-"];

fn codes_in(text: &str, out: &mut BTreeSet<String>) {
    for (at, _) in text.match_indices('"') {
        let rest = &text[at + 1..];
        if !PREFIXES.iter().any(|p| rest.starts_with(p)) {
            continue;
        }
        let code: String = rest.chars().take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '-').collect();
        if rest[code.len()..].starts_with('"') {
            out.insert(code);
        }
    }
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_legal_reference_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    files(&root.join("src"), &mut sources);
    let mut codes = BTreeSet::new();
    for file in &sources {
        codes_in(&std::fs::read_to_string(file).unwrap(), &mut codes);
    }
    // The presets and the engine's own deductions, at least.
    for known in ["CN-CRPL-ART25", "CN-7DAY-ART12", "CN-7DAY-ART17", "EU-CRD-ART9", "EU-CRD-ART14"] {
        assert!(codes.contains(known), "{known} not found in src/: the scan is broken");
    }
    let doc = std::fs::read_to_string(root.join("docs/legal.md")).unwrap();
    let rows: BTreeSet<&str> =
        doc.lines().filter_map(|l| l.strip_prefix("| ")).filter_map(|l| l.split(" |").next()).filter(|c| c.contains('-')).collect();
    let missing: Vec<&String> = codes.iter().filter(|c| !rows.contains(c.as_str())).collect();
    assert!(missing.is_empty(), "legal references without a row in docs/legal.md: {missing:?}");
    let unused: Vec<&&str> = rows.iter().filter(|r| PREFIXES.iter().any(|p| r.starts_with(p)) && !codes.contains(**r)).collect();
    assert!(unused.is_empty(), "rows in docs/legal.md for codes nothing emits: {unused:?}");
}
