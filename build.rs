//! Build-time data: the built-in presets and calendars, minified (white space outside strings
//! dropped), so the shipped `.wasm` carries no indentation.

use std::{env, fs, path::Path};

/// Drops white space outside JSON strings.
fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

fn minify_data(out_dir: &Path) {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("src");
    for (dir, name) in [
        ("policy/presets", "cn-statutory.json"),
        ("policy/presets", "platform-default.json"),
        ("policy/presets", "eu-crd.json"),
        ("time/calendar", "cn.json"),
        ("time/calendar", "eu-weekends.json"),
    ] {
        let source = root.join(dir).join(name);
        println!("cargo:rerun-if-changed={}", source.display());
        // A build script's panic is a build error, which a missing data file must be.
        let text = fs::read_to_string(&source).unwrap_or_else(|e| panic!("cannot read {}: {e}", source.display()));
        fs::write(out_dir.join(name), minify(&text)).unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
    }
}

fn main() {
    minify_data(Path::new(&env::var("OUT_DIR").unwrap_or_default()));
}
