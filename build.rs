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

fn minify_data(out_dir: &Path) -> Result<(), String> {
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
        let text = fs::read_to_string(&source).map_err(|e| format!("cannot read {}: {e}", source.display()))?;
        fs::write(out_dir.join(name), minify(&text)).map_err(|e| format!("cannot write {name}: {e}"))?;
    }
    Ok(())
}

/// A missing data file fails the build (an error returned from a build script's `main`).
fn main() -> Result<(), String> {
    minify_data(Path::new(&env::var("OUT_DIR").unwrap_or_default()))
}
