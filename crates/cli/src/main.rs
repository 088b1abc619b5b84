//! `aftersale`: the command line for policy authors and operations.
//!
//!   aftersale check [--json] POLICY...
//!   aftersale eval --policy P --order O [--ledger L] --request R [--now T] [--json] [--lang zh-CN|en]
//!   aftersale apply --order O [--ledger L] --effects E
//!   aftersale simulate --baseline A --candidate B --orders HISTORY.ndjson [--format table|json|csv]
//!   aftersale generate --count N [--seed S] [--out FILE]
//!   aftersale test [--json] [--require-coverage] POLICY [CASES]
//!
//! Exit codes: 0 ok, 1 findings (a policy with errors or lint findings), 2 usage or input error.

use aftersale_rules::internals::policy::Counting;
use aftersale_rules::Diagnostic;
use aftersale_rules::PolicyDoc;
use locate::{line_column, locate};
use serde_json::Value;
use std::process::ExitCode;

mod floor;
mod generate;
mod locate;
mod simulate;
mod suite;

const USAGE: &str = "aftersale: after-sales rules for policy authors and operations

usage:
  aftersale check [--json] POLICY...
      compile each policy and lint it; errors point at file, line and column
  aftersale eval --policy P --order O [--ledger L] --request R [--now T] [--json] [--lang zh-CN|en]
      decide one request; --now defaults to this machine's clock
  aftersale apply --order O [--ledger L] --effects E
      record an accepted decision's effects in the order's ledger; prints the new ledger
  aftersale simulate --baseline A --candidate B --orders HISTORY.ndjson [--format table|json|csv] [--threads N]
      decide every record of a history under two policies and report what changes
  aftersale generate --count N [--seed S] [--out FILE]
      write a realistic synthetic history (NDJSON) for simulate
  aftersale test [--json] [--require-coverage] POLICY [CASES]
      run the policy's own cases (default: the folder POLICY.tests/) and report coverage
  aftersale describe POLICY
      what a form renders from: the policy's reasons, request kinds, windows and categories (JSON)
  aftersale schema policy|policy-info|order|ledger|request|input|answer|effects|service-input|service-answer
      print the JSON Schema of a format (the files shipped in the npm package)
  aftersale help [COMMAND]

exit codes: 0 ok, 1 findings, 2 usage or input error";

const CHECK_HELP: &str = "aftersale check [--json] POLICY...

Compiles each policy file and reports, with file:line:column and a caret under the exact place:
  - compile errors: unknown fields, type errors, unknown functions, bad settings, unknown presets,
    deny codes without messages (the codes of the engine's errors);
  - lints: LINT_NEVER_MATCHES (a rule whose condition can never hold),
    LINT_WINDOW_BELOW_STATUTORY (a no-reason window shorter than the statutory one it extends,
    7 days in China), LINT_DUPLICATE_CONDITION (a rule whose condition and kind of effect repeat
    an earlier one's, so it never decides anything), LINT_UNUSED_CALENDAR (a calendar nothing
    counts with);
  - the floor check: FLOOR_VIOLATION, a denial of the policy's own that would refuse what the
    statutory preset it extends grants, with a counterexample order and request (found by
    deciding every combination of the facts its condition and the statutory windows tell apart;
    at run time the statutory right stands and such requests go to review).
Errors fail the check; warnings are printed and fail it too.
--json prints the findings as a JSON array. Exit 0 when there are none, 1 when there are.";

const TEST_HELP: &str = "aftersale test [--json] [--require-coverage] POLICY [CASES]

Runs a policy's own test suite: every *.json in CASES (default: POLICY's name with .tests
instead of .json, e.g. shop.tests/ beside shop.json). A case is
  {\"description\": \"…\", \"order\": {…}, \"ledger\": {…}, \"request\": {…}, \"now\": \"…\",
   \"expect\": {…a part of the answer…}}
and only what `expect` names is compared: objects by the keys given; arrays element by element,
or, when `expect` lists fewer elements, each found in order among the answer's (name only the
deadlines you care about); `[]` means none. Each failure prints the JSON path, what was expected
and what the engine answered.
Coverage: for each window, rule, no_return gate, return_postage rule, compensation and damages
rule the policy itself defines, how many cases reached it (by the answer's trace) and in how
many ways it was decided; one seen only one way (always open, always matching) was never tested
on its other side. --require-coverage fails the run unless every one was reached both ways.
--json prints the report as JSON. Exit 0 when every case passes, 1 when one fails (or coverage
is short under --require-coverage), 2 for usage or input errors.";

const EVAL_HELP: &str = "aftersale eval --policy P --order O [--ledger L] --request R [--now T] [--json] [--lang zh-CN|en]

Decides one request. P, O, L and R are JSON files (the policy, the order, what the order's ledger
records of earlier accepted requests, the request). --now is an RFC 3339 time with an offset; it
defaults to this machine's clock. --json prints the engine's answer exactly; otherwise a readable
summary in --lang (zh-CN by default). Exit 0 for a decision, 2 for input errors.";

const APPLY_HELP: &str = "aftersale apply --order O [--ledger L] --effects E

Records the effects of an accepted decision (its `effects`, a JSON file) in the order's ledger
(empty when --ledger is not given) and prints the ledger to store. Effects decided on another
ledger version are refused (STALE_LEDGER), and so are effects that would pay a line or a tender
back more than it paid. Exit 0 with the ledger, 2 for input errors.";

/// What a finding says, before it is placed in a file.
struct Said {
    code: String,
    severity: &'static str,
    message: String,
    help: Option<String>,
}

/// One finding about a file, as a compiler would print it.
#[derive(serde::Serialize)]
struct Finding {
    file: String,
    line: usize,
    column: usize,
    severity: &'static str,
    code: String,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    /// For a floor violation: the engine's input that shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    counterexample: Option<Value>,
    #[serde(skip)]
    source_line: String,
}

impl Finding {
    /// Places a diagnostic in `text`: at its path, and inside a rule expression at its column.
    fn at(file: &str, text: &str, path: &str, expr_column: Option<u32>, what: Said) -> Self {
        let Said { code, severity, message, help } = what;
        let below_root = path.split_once('.').map_or("", |(_, rest)| rest);
        let mut offset = if path.contains('.') { locate(text, below_root) } else { locate(text, "") };
        if let (Some(col), Some(b'"')) = (expr_column, text.as_bytes().get(offset)) {
            // Inside the expression string: the column's character (no escapes before it in practice).
            let content = text.get(offset + 1..).unwrap_or_default();
            let skip: usize = content.chars().take(usize::try_from(col.saturating_sub(1)).unwrap_or(0)).map(char::len_utf8).sum();
            offset += 1 + skip;
        }
        let (line, column) = line_column(text, offset);
        let source_line = text.lines().nth(line - 1).unwrap_or_default().to_owned();
        Finding { file: file.to_owned(), line, column, code, severity, message, help, counterexample: None, source_line }
    }

    /// A finding at `line` and `column` (1-based) of `text`.
    fn placed(file: &str, text: &str, line: usize, column: usize, what: Said) -> Self {
        let Said { code, severity, message, help } = what;
        let source_line = text.lines().nth(line.saturating_sub(1)).unwrap_or_default().to_owned();
        Finding { file: file.to_owned(), line, column, code, severity, message, help, counterexample: None, source_line }
    }

    fn print(&self) {
        let width = self.line.to_string().len();
        let pad = " ".repeat(width);
        println!("{}[{}]: {}", self.severity, self.code, self.message);
        println!("{pad}--> {}:{}:{}", self.file, self.line, self.column);
        println!("{pad} |");
        println!("{} | {}", self.line, self.source_line);
        let indent: String =
            self.source_line.chars().take(self.column.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        println!("{pad} | {indent}^");
        if let Some(help) = &self.help {
            println!("{pad} = help: {help}");
        }
        if let Some(input) = &self.counterexample {
            println!("{pad} = counterexample: {input}");
        }
        println!();
    }
}

fn from_diagnostic(file: &str, text: &str, d: &Diagnostic) -> Finding {
    let said = Said { code: d.code.as_str().to_owned(), severity: "error", message: d.message.clone(), help: d.help.clone() };
    match syntax_position(&d.message) {
        // A syntax error has no JSON path: its caret goes where its message says.
        Some((line, column)) if d.code == aftersale_rules::Code::InvalidJson => Finding::placed(file, text, line, column, said),
        _ => Finding::at(file, text, &d.path, d.column, said),
    }
}

/// The member `key` of `v`, or null.
fn at<'v>(v: &'v Value, key: &str) -> &'v Value {
    v.get(key).unwrap_or(&Value::Null)
}

/// `(line, column)` of a message that ends "… at line L, column C".
fn syntax_position(message: &str) -> Option<(usize, usize)> {
    let (_, rest) = message.rsplit_once(" at line ")?;
    let (line, column) = rest.split_once(", column ")?;
    let digits = |t: &str| t.chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok();
    Some((digits(line)?, digits(column)?))
}

/// The errors of every rule expression of a policy whose shape is wrong (so that it did not
/// compile and its expressions were not checked): each is checked on its own, against the
/// reason codes of the policy and of the preset it extends, so that one `check` reports both.
fn expression_errors(text: &str) -> Vec<Diagnostic> {
    use aftersale_rules::internals::expr::check::Checker;
    use aftersale_rules::internals::expr::compile_condition;
    use aftersale_rules::internals::expr::fields::ScopeKind;
    let Ok(doc) = serde_json::from_str::<Value>(text) else { return Vec::new() };
    let mut reason_codes: Vec<String> =
        at(&doc, "reasons").as_array().into_iter().flatten().filter_map(|r| at(r, "code").as_str().map(str::to_owned)).collect();
    if let Some(preset) = at(&doc, "extends").as_str() {
        let parent = serde_json::json!({ "id": "check", "version": "check", "extends": preset }).to_string();
        if let Ok(p) = aftersale_rules::compile_policy_json(&parent) {
            reason_codes.extend(p.reasons.iter().map(|r| r.code.clone()));
        }
    }
    let mut out = Vec::new();
    let lists = [
        ("windows", ScopeKind::Item),
        ("rules", ScopeKind::Item),
        ("no_return", ScopeKind::Item),
        ("return_postage", ScopeKind::Item),
        ("compensation", ScopeKind::Order),
    ];
    for (list, scope) in lists {
        let role = if scope == ScopeKind::Item { "an item condition" } else { "a compensation condition" };
        for (i, entry) in at(&doc, list).as_array().into_iter().flatten().enumerate() {
            let (Some(src), id) = (at(entry, "when").as_str(), at(entry, "id").as_str().unwrap_or_default()) else { continue };
            if let Err(e) = compile_condition(src, &Checker { scope, role, reason_codes: &reason_codes }) {
                out.push(e.into_diagnostic(src, id, format!("policy.{list}[{i}].when")));
            }
        }
    }
    out
}

/// Why a condition can never hold, found on its syntax tree: a conjunct that is literally
/// false, a comparison of two literals that is false, or one field required to equal two
/// different values at once (`reason.code == "a" && reason.code == "b"`).
fn never_matches(src: &str) -> Option<String> {
    use aftersale_rules::internals::expr::parser::{parse, Ast, BinOp, Spanned};
    fn conjuncts<'a>(e: &'a Spanned, out: &mut Vec<&'a Spanned>) {
        match &e.ast {
            Ast::Binary(BinOp::And, l, r) => {
                conjuncts(l, out);
                conjuncts(r, out);
            }
            _ => out.push(e),
        }
    }
    fn literal(e: &Spanned) -> Option<String> {
        match &e.ast {
            Ast::Bool(b) => Some(b.to_string()),
            Ast::Int(n) | Ast::Money(n) | Ast::Duration(n) => Some(n.to_string()),
            Ast::Str(s) => Some(format!("\"{s}\"")),
            _ => None,
        }
    }
    let ast = parse(src).ok()?;
    let mut parts = Vec::new();
    conjuncts(&ast, &mut parts);
    let mut equal: Vec<(String, String)> = Vec::new();
    for part in parts {
        match &part.ast {
            Ast::Bool(false) => return Some("it requires `false`".into()),
            Ast::Binary(op @ (BinOp::Eq | BinOp::Ne), l, r) => {
                if let (Some(a), Some(b)) = (literal(l), literal(r)) {
                    if (a == b) != (*op == BinOp::Eq) {
                        return Some(format!("`{a} {} {b}` is always false", op.symbol()));
                    }
                }
                if *op == BinOp::Eq {
                    let pair = match (&l.ast, &r.ast, literal(l), literal(r)) {
                        (Ast::Path(p), _, _, Some(v)) | (_, Ast::Path(p), Some(v), _) => Some((p.join("."), v)),
                        _ => None,
                    };
                    if let Some((path, value)) = pair {
                        if let Some((_, other)) = equal.iter().find(|(p, v)| *p == path && *v != value) {
                            return Some(format!("`{path}` cannot equal both {other} and {value}"));
                        }
                        equal.push((path, value));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// Lints on a policy that compiles.
fn lints(file: &str, text: &str, doc: &PolicyDoc, compiled: &aftersale_rules::CompiledPolicy) -> Vec<Finding> {
    let mut out = Vec::new();
    // The statutory no-reason period the policy extends (7 days in China), if it has one.
    let reads_no_reason =
        |w: &aftersale_rules::internals::policy::compile::Window| w.condition.as_ref().is_some_and(|c| c.reads("reason.no_reason"));
    let statutory_days = compiled
        .windows
        .iter()
        .filter(|w| w.layer == aftersale_rules::Layer::Statutory && reads_no_reason(w))
        .filter_map(|w| match w.length {
            aftersale_rules::internals::policy::compile::WindowLength::Days(d) => Some(d),
            _ => None,
        })
        .max();
    for (i, w) in doc.windows.iter().enumerate() {
        let own = compiled.windows.iter().find(|c| c.id == w.id.as_str() && c.layer != aftersale_rules::Layer::Statutory);
        let (Some(own), Some(statutory)) = (own, statutory_days) else { continue };
        let days = w.days.and_then(|d| i64::try_from(d).ok());
        if reads_no_reason(own) && w.counting == Counting::NextLocalDay && days.is_some_and(|d| d < statutory) {
            out.push(Finding::at(
                file,
                text,
                &format!("policy.windows[{i}].days"),
                None,
                Said {
                    code: "LINT_WINDOW_BELOW_STATUTORY".into(),
                    severity: "warning",
                    message: format!("the no-reason window `{}` is shorter than the statutory {statutory} days", w.id),
                    help: Some("the statutory window still applies, so this one never decides anything: lengthen it or remove it".into()),
                },
            ));
        }
    }
    for (i, rule) in doc.rules.iter().enumerate() {
        if let Some(why) = never_matches(&rule.when) {
            out.push(Finding::at(
                file,
                text,
                &format!("policy.rules[{i}].when"),
                None,
                Said {
                    code: "LINT_NEVER_MATCHES".into(),
                    severity: "error",
                    message: format!("rule `{}` can never match: {why}", rule.id),
                    help: Some("the rule decides nothing: fix or remove the condition".into()),
                },
            ));
        }
        let normalize = |s: &str| s.split_whitespace().collect::<String>();
        // Rules with one condition and the same kind of effect: the earlier decides every item
        // the later would (a different kind of effect, a review beside a fee, is not a repeat).
        let effect =
            |r: &aftersale_rules::internals::policy::doc::RuleDoc| (r.deny.is_some(), r.require_review.is_some(), r.fee_bp.is_some());
        let same = |earlier: &aftersale_rules::internals::policy::doc::RuleDoc| {
            normalize(&earlier.when) == normalize(&rule.when) && effect(earlier) == effect(rule)
        };
        if let Some(j) = doc.rules.iter().take(i).position(same) {
            out.push(Finding::at(
                file,
                text,
                &format!("policy.rules[{i}].when"),
                None,
                Said {
                    code: "LINT_DUPLICATE_CONDITION".into(),
                    severity: "warning",
                    message: format!(
                        "rule `{}` has the same condition and kind of effect as rule `{}` before it",
                        rule.id,
                        doc.rules.get(j).map_or("", |r| r.id.as_str())
                    ),
                    help: Some("the earlier rule already decides every item this one would: merge them".into()),
                },
            ));
        }
    }
    let counts_working_days = compiled.windows.iter().any(|w| w.counting == Counting::WorkingDays || w.roll_forward)
        || compiled.service_levels.iter().any(|l| l.span.needs_calendar());
    if doc.calendar.is_some() && !counts_working_days {
        out.push(Finding::at(
            file,
            text,
            "policy.calendar",
            None,
            Said {
                code: "LINT_UNUSED_CALENDAR".into(),
                severity: "warning",
                message: "the policy names a calendar, but nothing counts working days or business hours".into(),
                help: Some("remove `calendar`, or count a window or a service level in `wd`/`bh`".into()),
            },
        ));
    }
    out
}

/// The floor check's findings: each own denial that would refuse what the statutory preset
/// grants, with its counterexample.
fn floor_findings(file: &str, text: &str, compiled: &aftersale_rules::CompiledPolicy) -> Vec<Finding> {
    let Ok(doc) = serde_json::from_str::<Value>(text) else { return Vec::new() };
    let said = |code: &str, message: String, help: &str| Said { code: code.into(), severity: "warning", message, help: Some(help.into()) };
    match floor::check(&doc, compiled) {
        Ok(violations) => violations
            .into_iter()
            .map(|v| {
                let message = format!("`{}` would refuse what the statutory layer grants: {}", v.id, v.summary);
                let help = "the statutory right stands at run time and such requests go to an agent instead: leave the statutory cases out of the condition";
                let mut f = Finding::at(file, text, &format!("policy.rules[{}].when", v.index), None, said("FLOOR_VIOLATION", message, help));
                f.counterexample = Some(v.input);
                f
            })
            .collect(),
        Err(why) => vec![Finding::at(file, text, "policy", None, said("FLOOR_UNCHECKED", why, "split the rule, or compare fewer facts in one condition"))],
    }
}

fn check(args: &[String]) -> ExitCode {
    let json_out = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() || args.iter().any(|a| a.starts_with("--") && a != "--json") {
        eprintln!("{CHECK_HELP}");
        return ExitCode::from(2);
    }
    let mut findings = Vec::new();
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("aftersale: cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        };
        match aftersale_rules::compile_policy_json(&text) {
            Err(mut errors) => {
                // Reading stops at the first error of shape; the expressions are still checked.
                if !errors.iter().any(|d| d.code.as_str().starts_with("EXPR_")) {
                    errors.extend(expression_errors(&text));
                }
                findings.extend(errors.iter().map(|d| from_diagnostic(file, &text, d)));
            }
            Ok(compiled) => {
                if let Ok(doc) = serde_json::from_str::<PolicyDoc>(&text) {
                    findings.extend(lints(file, &text, &doc, &compiled));
                }
                findings.extend(floor_findings(file, &text, &compiled));
            }
        }
    }
    if json_out {
        println!("{}", serde_json::to_string(&findings).unwrap_or_default());
    } else {
        for f in &findings {
            f.print();
        }
        let errors = findings.iter().filter(|f| f.severity == "error").count();
        println!("{} error(s), {} warning(s)", errors, findings.len() - errors);
    }
    if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The policy in `text` compiled, or its errors printed against `file`.
fn compile_or_print(file: &str, text: &str) -> Option<aftersale_rules::CompiledPolicy> {
    aftersale_rules::compile_policy_json(text)
        .map_err(|errors| {
            for d in &errors {
                from_diagnostic(file, text, d).print();
            }
        })
        .ok()
}

fn test_cmd(args: &[String]) -> ExitCode {
    let json_out = args.iter().any(|a| a == "--json");
    let require = args.iter().any(|a| a == "--require-coverage");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let known = |a: &String| !a.starts_with("--") || a == "--json" || a == "--require-coverage";
    let (Some(policy), true, true) = (files.first(), files.len() <= 2, args.iter().all(known)) else {
        eprintln!("{TEST_HELP}");
        return ExitCode::from(2);
    };
    let cases_dir = files.get(1).map_or_else(|| std::path::Path::new(policy.as_str()).with_extension("tests"), std::path::PathBuf::from);
    let Ok(text) = std::fs::read_to_string(policy.as_str()).map_err(|e| eprintln!("aftersale: cannot read {policy}: {e}")) else {
        return ExitCode::from(2);
    };
    let Some(compiled) = compile_or_print(policy, &text) else { return ExitCode::from(2) };
    let cases = match suite::read_cases(&cases_dir) {
        Ok(cases) => cases,
        Err(e) => {
            eprintln!("aftersale: {e}");
            return ExitCode::from(2);
        }
    };
    let document: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let report = suite::run(&compiled, &document, policy, cases);
    if json_out {
        println!("{}", report.json());
    } else {
        print!("{}", report.text());
    }
    if report.passed() && (!require || report.fully_covered()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn option<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

fn now_rfc3339() -> String {
    // The CLI is a host and may read the clock; the engine never does.
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
    aftersale_rules::Instant(i64::try_from(ms).unwrap_or(0)).to_rfc3339(aftersale_rules::Offset(0))
}

fn eval(args: &[String]) -> ExitCode {
    let (Some(policy), Some(order), Some(request)) = (option(args, "--policy"), option(args, "--order"), option(args, "--request")) else {
        eprintln!("{EVAL_HELP}");
        return ExitCode::from(2);
    };
    let read = |f: &str| std::fs::read_to_string(f).map_err(|e| eprintln!("aftersale: cannot read {f}: {e}"));
    let (Ok(policy_text), Ok(order_text), Ok(request_text)) = (read(policy), read(order), read(request)) else {
        return ExitCode::from(2);
    };
    let Some(compiled) = compile_or_print(policy, &policy_text) else { return ExitCode::from(2) };
    let now = option(args, "--now").map_or_else(now_rfc3339, str::to_owned);
    let mut input = String::from("{\"order\":");
    input.push_str(&order_text);
    if let Some(ledger) = option(args, "--ledger") {
        let Ok(ledger_text) = read(ledger) else { return ExitCode::from(2) };
        input.push_str(",\"ledger\":");
        input.push_str(&ledger_text);
    }
    input.push_str(",\"request\":");
    input.push_str(&request_text);
    input.push_str(",\"now\":");
    input.push_str(&serde_json::to_string(&now).unwrap_or_default());
    input.push('}');
    let answer = aftersale_rules::evaluate_json(&compiled, &input);
    let is_decision = answer.starts_with("{\"type\":\"decision\"");
    if args.iter().any(|a| a == "--json") {
        println!("{answer}");
    } else {
        summary(&answer, option(args, "--lang").unwrap_or("zh-CN"));
    }
    if is_decision {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn apply(args: &[String]) -> ExitCode {
    let (Some(order), Some(effects)) = (option(args, "--order"), option(args, "--effects")) else {
        eprintln!("{APPLY_HELP}");
        return ExitCode::from(2);
    };
    let read = |f: &str| std::fs::read_to_string(f).map_err(|e| eprintln!("aftersale: cannot read {f}: {e}"));
    let (Ok(order_text), Ok(effects_text)) = (read(order), read(effects)) else { return ExitCode::from(2) };
    let ledger_text = match option(args, "--ledger").map(read) {
        None => "{}".to_owned(),
        Some(Ok(text)) => text,
        Some(Err(())) => return ExitCode::from(2),
    };
    let input = format!(r#"{{"order":{order_text},"ledger":{ledger_text},"effects":{effects_text}}}"#);
    let answer = aftersale_rules::apply_effects_json(&input);
    match serde_json::from_str::<Value>(&answer) {
        Ok(v) if v.get("type").and_then(Value::as_str) == Some("ledger") => {
            let ledger = v.get("ledger").cloned().unwrap_or_default();
            println!("{}", serde_json::to_string_pretty(&ledger).unwrap_or_default());
            ExitCode::SUCCESS
        }
        _ => {
            summary(&answer, "en");
            ExitCode::from(2)
        }
    }
}

/// A readable summary of an answer in one language.
/// A readable decision in `lang`: money in the order's currency, grouped by thousands, with
/// every deduction, the shipping refunded, the tenders, postage, compensation and approval;
/// vocabulary from the engine's label catalogue.
fn summary(answer: &str, lang: &str) {
    let Ok(v) = serde_json::from_str::<Value>(answer) else {
        println!("{answer}");
        return;
    };
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    if at(&v, "type") == "errors" {
        for e in at(&v, "errors").as_array().into_iter().flatten() {
            println!("error[{}] at {}: {}", text(at(e, "code")), text(at(e, "path")), text(at(e, "message")));
        }
        return;
    }
    let catalogue = aftersale_rules::labels();
    let label = |vocabulary: &str, value: &Value| -> String {
        let value = text(value);
        let found = catalogue.iter().find(|(name, _)| *name == vocabulary).and_then(|(_, values)| values.iter().find(|(v, _)| *v == value));
        found.map_or(value.clone(), |(_, (zh, en))| (if lang == "en" { *en } else { *zh }).to_owned())
    };
    let currency = aftersale_rules::internals::money::Currency::of(at(&v, "currency").as_str().unwrap_or("CNY"));
    let money = |v: &Value| simulate::grouped(&currency.format_minor(v.as_i64().unwrap_or(0)));
    println!(
        "policy {}@{} ({}), evaluated {}, amounts in {}",
        text(at(&v, "policy_id")),
        text(at(&v, "policy_version")),
        text(at(&v, "policy_version_basis")),
        text(at(&v, "evaluated_at")),
        text(at(&v, "currency"))
    );
    for i in at(&v, "items").as_array().into_iter().flatten() {
        let verdict = if at(i, "eligible") == true {
            format!("{} → {}", label("code", &Value::from("ITEM_ELIGIBLE")), text(at(at(i, "window"), "closes_at")))
        } else {
            format!("{} ({})", label("code", at(at(i, "denial"), "code")), text(at(at(i, "denial"), "code")))
        };
        println!("  {} ×{}: {verdict}; refund {}", text(at(i, "line_id")), at(i, "qty"), money(at(at(i, "refund"), "amount")));
    }
    let refund = at(&v, "refund");
    for d in at(refund, "deductions").as_array().into_iter().flatten() {
        println!(
            "  − {} {} ({}, {})",
            label("deduction_kind", at(d, "kind")),
            money(at(d, "amount")),
            text(at(d, "line_id")),
            text(at(d, "rule"))
        );
    }
    if at(refund, "shipping").as_i64().unwrap_or(0) != 0 {
        println!("  + shipping {}", money(at(refund, "shipping")));
    }
    let tenders: Vec<String> = at(refund, "by_tender")
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| format!("{} {}", label("tender", at(t, "tender")), money(at(t, "amount"))))
        .collect();
    println!(
        "  refund total {}{}",
        money(at(refund, "total")),
        if tenders.is_empty() { String::new() } else { format!(": {}", tenders.join(", ")) }
    );
    let postage = at(&v, "return_shipping");
    if at(postage, "return_required") == true {
        println!("  return postage: {}", label("payer", at(postage, "payer")));
    }
    for c in at(&v, "compensation").as_array().into_iter().flatten() {
        println!("  compensation: {} {} ({})", label("compensation_kind", at(c, "kind")), money(at(c, "amount")), text(at(c, "rule")));
    }
    println!("  approval: {}", label("tier", at(at(&v, "requirements"), "approval")));
    for m in at(&v, "messages").as_array().into_iter().flatten() {
        println!("  · {}", text(m.get(lang).unwrap_or(at(m, "en"))));
    }
}

const SIMULATE_HELP: &str = "aftersale simulate --baseline A --candidate B --orders HISTORY.ndjson [--format table|json|csv] [--threads N]

Decides every record of HISTORY (one JSON object a line: {\"id\", \"order\", \"request\", \"now\"}) under
policy A and policy B, and reports: counts by outcome and by reason code under each, refund and
compensation totals and their difference, how many decisions flip each way with example ids, and the
approval workload by tier. Streams the file with flat memory, uses every core (or --threads), shows
progress on a terminal and stays quiet when piped. Malformed records are reported by line number and
skipped. Exit 0, or 1 when some records were malformed, 2 for usage or unreadable files.";

const GENERATE_HELP: &str = "aftersale generate --count N [--seed S] [--out FILE]

Writes N realistic synthetic history records (1-8 lines, every category, discounts, partial
quantities, requests near window edges) as NDJSON, the same for the same seed (default 1).";

fn simulate_cmd(args: &[String]) -> ExitCode {
    let (Some(a), Some(b), Some(orders)) = (option(args, "--baseline"), option(args, "--candidate"), option(args, "--orders")) else {
        eprintln!("{SIMULATE_HELP}");
        return ExitCode::from(2);
    };
    let compile = |file: &str| -> Option<aftersale_rules::CompiledPolicy> {
        let text = std::fs::read_to_string(file).map_err(|e| eprintln!("aftersale: cannot read {file}: {e}")).ok()?;
        aftersale_rules::compile_policy_json(&text)
            .map_err(|errors| {
                for d in &errors {
                    from_diagnostic(file, &text, d).print();
                }
            })
            .ok()
    };
    let (Some(baseline), Some(candidate)) = (compile(a), compile(b)) else { return ExitCode::from(2) };
    let file = match std::fs::File::open(orders) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("aftersale: cannot read {orders}: {e}");
            return ExitCode::from(2);
        }
    };
    let size = file.metadata().ok().map(|m| m.len());
    let threads = option(args, "--threads")
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get))
        .max(1);
    let (report, ms) = match simulate::run(Box::new(file), size, baseline, candidate, threads) {
        Ok(done) => done,
        Err(why) => {
            eprintln!("aftersale: {orders}: {why}");
            return ExitCode::from(2);
        }
    };
    simulate::print(&report, option(args, "--format").unwrap_or("table"), ms, threads);
    eprintln!("aftersale simulate: {} records/s, peak memory {} KiB", simulate::rate(report.records, ms), simulate::peak_rss_kib());
    if report.malformed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn generate_cmd(args: &[String]) -> ExitCode {
    let Some(count) = option(args, "--count").and_then(|c| c.parse().ok()) else {
        eprintln!("{GENERATE_HELP}");
        return ExitCode::from(2);
    };
    let seed = option(args, "--seed").and_then(|s| s.parse().ok()).unwrap_or(1);
    let result = match option(args, "--out") {
        Some(path) => std::fs::File::create(path).and_then(|mut f| generate::run(count, seed, &mut f)),
        None => generate::run(count, seed, &mut std::io::stdout().lock()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aftersale generate: {e}");
            ExitCode::from(2)
        }
    }
}

const DESCRIBE_HELP: &str = "aftersale describe POLICY

Prints what a return form renders from (the same as `policy.describe()` in JavaScript): the
policy's reasons with their titles, fault and the evidence each needs, the request kinds and
resolutions its windows offer, its windows, the categories its conditions name, its currency
and local time. Exit 0, or 2 when the policy does not compile (its errors are printed).";

fn describe_cmd(args: &[String]) -> ExitCode {
    let Some(file) = args.first() else {
        eprintln!("{DESCRIBE_HELP}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("aftersale: cannot read {file}: {e}");
            return ExitCode::from(2);
        }
    };
    match aftersale_rules::compile_policy_json(&text) {
        Ok(policy) => {
            // A closed pipe (`| head`) ends the output, not the program with a panic.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string_pretty(&aftersale_rules::describe(&policy)).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for d in &errors {
                from_diagnostic(file, &text, d).print();
            }
            ExitCode::from(2)
        }
    }
}

const SCHEMA_HELP: &str = "aftersale schema NAME

Prints the JSON Schema (draft 2020-12) of a format: policy, policy-info (what describe answers),
order, ledger, request, input (what evaluate reads: order, ledger, request and now), answer,
effects (what applyEffects records), service-input or service-answer (what serviceOrderJson
reads and answers).
The same files ship in the npm package under schema/.";

fn schema_cmd(args: &[String]) -> ExitCode {
    match args.first().and_then(|name| aftersale_rules::schema::document(name)) {
        Some(doc) => {
            use std::io::Write as _;
            let _ = write!(std::io::stdout().lock(), "{doc}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("{SCHEMA_HELP}");
            ExitCode::from(2)
        }
    }
}

/// A command: its name, its `--help` text, and what runs it.
struct Command {
    name: &'static str,
    help: &'static str,
    run: fn(&[String]) -> ExitCode,
}

const COMMANDS: &[Command] = &[
    Command { name: "check", help: CHECK_HELP, run: check },
    Command { name: "eval", help: EVAL_HELP, run: eval },
    Command { name: "apply", help: APPLY_HELP, run: apply },
    Command { name: "simulate", help: SIMULATE_HELP, run: simulate_cmd },
    Command { name: "generate", help: GENERATE_HELP, run: generate_cmd },
    Command { name: "test", help: TEST_HELP, run: test_cmd },
    Command { name: "describe", help: DESCRIBE_HELP, run: describe_cmd },
    Command { name: "schema", help: SCHEMA_HELP, run: schema_cmd },
];

fn command(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.name == name)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("help" | "--help" | "-h") => {
            println!("{}", rest.first().and_then(|name| command(name)).map_or(USAGE, |c| c.help));
            ExitCode::SUCCESS
        }
        Some(name) => match command(name) {
            Some(c) if rest.iter().any(|a| a == "--help") => {
                println!("{}", c.help);
                ExitCode::SUCCESS
            }
            Some(c) => (c.run)(rest),
            None => {
                eprintln!("{USAGE}");
                ExitCode::from(2)
            }
        },
        None => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
