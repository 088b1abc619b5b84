//! Writes the worst-case scenarios (`aftersale_testkit::worst`) as files for the JavaScript
//! hosts' test (`pkg/test/worst.test.mjs`): `index.json` and, per scenario,
//! `NAME.policy.json` and `NAME.input.json`.
//!
//!   cargo run --release -p aftersale-testkit --example worst_files -- DIR

use std::path::PathBuf;

fn main() -> Result<(), String> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: worst_files DIR")?);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut index = Vec::new();
    for s in aftersale_testkit::worst::scenarios() {
        let write = |suffix: &str, text: &str| {
            let path = dir.join(format!("{}.{suffix}.json", s.name));
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
        };
        write("policy", &s.policy)?;
        write("input", &s.input)?;
        let expect = s.expect.map_or("null".to_owned(), |c| format!("\"{c}\""));
        index.push(format!(r#"{{"name":"{}","what":"{}","batch":{},"expect":{expect}}}"#, s.name, s.what, s.batch));
    }
    std::fs::write(dir.join("index.json"), format!("[{}]\n", index.join(",\n"))).map_err(|e| e.to_string())
}
