//! Writes the seed corpora for libFuzzer from the golden corpus: `seeds OUT_DIR` makes
//! `OUT_DIR/{policy,evaluate_json,expr}/` (fuzz/run.sh passes them to each run).
fn main() {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "fuzz/.seeds".into()));
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(std::path::Path::new("..")).to_path_buf();
    let (policies, inputs, exprs) = aftersale_rules_fuzz::seeds(&root);
    for (target, texts) in [("policy", policies), ("evaluate_json", inputs), ("expr", exprs)] {
        let dir = out.join(target);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        for (i, text) in texts.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:04}")), text).unwrap_or_else(|e| panic!("{e}"));
        }
        println!("{target}: {} seeds", texts.len());
    }
}
