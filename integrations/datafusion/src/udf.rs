//! The engine as two DataFusion scalar functions:
//!
//! - `aftersale_decide(policy, input) -> utf8`: the engine's answer, the bytes of
//!   [`aftersale_rules::evaluate_json`];
//! - `aftersale_whatif(baseline, candidate, input) -> struct<baseline: S, candidate: S>`: one
//!   read of the input decided under both policies ([`aftersale_whatif::whatif`]), each side a
//!   struct `S` of what the what-if report counts, or its `error`.
//!
//! Policies are text arguments, compiled once per distinct text per process (a query carries
//! its policies as literals; a new candidate needs no restart), and a policy that does not
//! compile fails the query rather than every row.

use aftersale_rules::CompiledPolicy;
use aftersale_whatif::{Policies, Summary};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Builder, Int64Builder, ListBuilder, StringBuilder, StructArray};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{exec_datafusion_err, exec_err, Result, ScalarValue};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use std::sync::{Arc, OnceLock};

/// The name of the per-request function.
pub const DECIDE: &str = "aftersale_decide";
/// The name of the two-policy function.
pub const WHATIF: &str = "aftersale_whatif";

/// Every policy the process has compiled: one compile per text, whatever the query or batch.
fn policies() -> &'static Policies {
    static POLICIES: OnceLock<Policies> = OnceLock::new();
    POLICIES.get_or_init(Policies::new)
}

/// Both functions, for a registry or a session builder.
pub fn udfs() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::from(Decide::new())), Arc::new(ScalarUDF::from(WhatIfUdf::new()))]
}

/// Registers both functions (on a `SessionState`, a `SessionContext`'s state, a Ballista
/// executor's registry).
pub fn register(registry: &mut dyn FunctionRegistry) -> Result<()> {
    for udf in udfs() {
        registry.register_udf(udf)?;
    }
    Ok(())
}

/// The fields of one side: what the report reads, or why the record could not be decided.
pub fn side_fields() -> Fields {
    Fields::from(vec![
        Field::new("outcome", DataType::Utf8, true),
        Field::new("eligible_items", DataType::Int32, true),
        Field::new("items", DataType::Int32, true),
        Field::new("refund_total", DataType::Int64, true),
        Field::new("compensation_total", DataType::Int64, true),
        Field::new("approval", DataType::Utf8, true),
        Field::new("denial_codes", DataType::new_list(DataType::Utf8, true), true),
        Field::new("error", DataType::Utf8, true),
    ])
}

/// `struct<baseline: S, candidate: S>`.
pub fn whatif_fields() -> Fields {
    let side = DataType::Struct(side_fields());
    Fields::from(vec![Field::new("baseline", side.clone(), true), Field::new("candidate", side, true)])
}

/// A string column of any of Arrow's three layouts (DataFusion reads Parquet strings as views).
enum Strings<'a> {
    Utf8(&'a datafusion::arrow::array::StringArray),
    Large(&'a datafusion::arrow::array::LargeStringArray),
    View(&'a datafusion::arrow::array::StringViewArray),
}

impl<'a> Strings<'a> {
    fn of(array: &'a ArrayRef) -> Result<Strings<'a>> {
        match array.data_type() {
            DataType::Utf8 => Ok(Strings::Utf8(array.as_string::<i32>())),
            DataType::LargeUtf8 => Ok(Strings::Large(array.as_string::<i64>())),
            DataType::Utf8View => Ok(Strings::View(array.as_string_view())),
            other => exec_err!("expected a string column, got {other}"),
        }
    }

    fn get(&self, row: usize) -> Option<&'a str> {
        match self {
            Strings::Utf8(a) => a.is_valid(row).then(|| a.value(row)),
            Strings::Large(a) => a.is_valid(row).then(|| a.value(row)),
            Strings::View(a) => a.is_valid(row).then(|| a.value(row)),
        }
    }
}

/// A policy argument: one compiled policy for a literal (the usual case), or one per row.
enum PolicyArg {
    One(Option<Arc<CompiledPolicy>>),
    PerRow(ArrayRef),
}

impl PolicyArg {
    fn of(value: &ColumnarValue) -> Result<PolicyArg> {
        match value {
            ColumnarValue::Scalar(scalar) => Ok(PolicyArg::One(scalar_text(scalar)?.map(compile).transpose()?)),
            ColumnarValue::Array(array) => Ok(PolicyArg::PerRow(Arc::clone(array))),
        }
    }

    /// The policy of `row`; `None` when its text is null.
    fn at(&self, row: usize) -> Result<Option<Arc<CompiledPolicy>>> {
        match self {
            PolicyArg::One(policy) => Ok(policy.clone()),
            PolicyArg::PerRow(array) => Strings::of(array)?.get(row).map(compile).transpose(),
        }
    }
}

fn scalar_text(scalar: &ScalarValue) -> Result<Option<&str>> {
    match scalar {
        ScalarValue::Utf8(s) | ScalarValue::LargeUtf8(s) | ScalarValue::Utf8View(s) => Ok(s.as_deref()),
        ScalarValue::Null => Ok(None),
        other => exec_err!("a policy is JSON text, got {}", other.data_type()),
    }
}

fn compile(text: &str) -> Result<Arc<CompiledPolicy>> {
    policies().get(text).map_err(|e| exec_datafusion_err!("{e}"))
}

/// The input column as an array (a literal input becomes a one-row array).
fn input_array(value: &ColumnarValue, rows: usize) -> Result<ArrayRef> {
    value.to_array(rows)
}

/// The arguments of one call, checked for their count.
fn arguments<'a, const N: usize>(name: &str, args: &'a [ColumnarValue]) -> Result<[&'a ColumnarValue; N]> {
    let refs: Vec<&ColumnarValue> = args.iter().collect();
    refs.try_into().map_err(|_| exec_datafusion_err!("{name} takes {N} arguments"))
}

/// Ends a call: a one-row answer to literal arguments is a literal again.
fn finish(array: ArrayRef, scalar_input: bool) -> Result<ColumnarValue> {
    if scalar_input && array.len() == 1 {
        return Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&array, 0)?));
    }
    Ok(ColumnarValue::Array(array))
}

/// `aftersale_decide(policy, input)`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Decide {
    signature: Signature,
}

impl Decide {
    pub fn new() -> Decide {
        Decide { signature: Signature::string(2, Volatility::Immutable) }
    }
}

impl Default for Decide {
    fn default() -> Decide {
        Decide::new()
    }
}

impl ScalarUDFImpl for Decide {
    fn name(&self) -> &str {
        DECIDE
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [policy, input] = arguments::<2>(DECIDE, &args.args)?;
        let policy = PolicyArg::of(policy)?;
        let scalar_input = matches!(input, ColumnarValue::Scalar(_));
        let inputs = input_array(input, args.number_rows)?;
        let texts = Strings::of(&inputs)?;
        let mut out = StringBuilder::with_capacity(inputs.len(), inputs.len() * 512);
        for row in 0..inputs.len() {
            match (policy.at(row)?, texts.get(row)) {
                (Some(policy), Some(text)) => out.append_value(aftersale_rules::evaluate_json(&policy, text)),
                _ => out.append_null(),
            }
        }
        finish(Arc::new(out.finish()), scalar_input)
    }
}

/// `aftersale_whatif(baseline, candidate, input)`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct WhatIfUdf {
    signature: Signature,
}

impl WhatIfUdf {
    pub fn new() -> WhatIfUdf {
        WhatIfUdf { signature: Signature::string(3, Volatility::Immutable) }
    }
}

impl Default for WhatIfUdf {
    fn default() -> WhatIfUdf {
        WhatIfUdf::new()
    }
}

impl ScalarUDFImpl for WhatIfUdf {
    fn name(&self) -> &str {
        WHATIF
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(whatif_fields()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [baseline, candidate, input] = arguments::<3>(WHATIF, &args.args)?;
        let (baseline, candidate) = (PolicyArg::of(baseline)?, PolicyArg::of(candidate)?);
        let scalar_input = matches!(input, ColumnarValue::Scalar(_));
        let inputs = input_array(input, args.number_rows)?;
        let texts = Strings::of(&inputs)?;
        let rows = inputs.len();
        let (mut a, mut b) = (SideBuilder::new(rows), SideBuilder::new(rows));
        let mut valid = Vec::with_capacity(rows);
        for row in 0..rows {
            let decided = match (baseline.at(row)?, candidate.at(row)?, texts.get(row)) {
                (Some(x), Some(y), Some(text)) => Some(aftersale_whatif::whatif(text, &x, &y)),
                _ => None,
            };
            valid.push(decided.is_some());
            a.append(decided.as_ref().map(|d| &d.baseline));
            b.append(decided.as_ref().map(|d| &d.candidate));
        }
        let nulls = NullBuffer::from(valid);
        let sides: Vec<ArrayRef> = vec![a.finish(Some(nulls.clone()))?, b.finish(Some(nulls.clone()))?];
        let whatif = StructArray::try_new(whatif_fields(), sides, Some(nulls))?;
        finish(Arc::new(whatif), scalar_input)
    }
}

/// The columns of one side, row by row.
struct SideBuilder {
    outcome: StringBuilder,
    eligible_items: Int32Builder,
    items: Int32Builder,
    refund_total: Int64Builder,
    compensation_total: Int64Builder,
    approval: StringBuilder,
    denial_codes: ListBuilder<StringBuilder>,
    error: StringBuilder,
}

impl SideBuilder {
    fn new(rows: usize) -> SideBuilder {
        SideBuilder {
            outcome: StringBuilder::with_capacity(rows, rows * 8),
            eligible_items: Int32Builder::with_capacity(rows),
            items: Int32Builder::with_capacity(rows),
            refund_total: Int64Builder::with_capacity(rows),
            compensation_total: Int64Builder::with_capacity(rows),
            approval: StringBuilder::with_capacity(rows, rows * 8),
            denial_codes: ListBuilder::new(StringBuilder::new()),
            error: StringBuilder::new(),
        }
    }

    /// One row: a summary, an error (every other field null), or nothing (a null input).
    fn append(&mut self, side: Option<&std::result::Result<Summary, String>>) {
        let summary = side.and_then(|s| s.as_ref().ok());
        self.outcome.append_option(summary.map(|s| s.outcome));
        self.eligible_items.append_option(summary.and_then(|s| i32::try_from(s.eligible_items).ok()));
        self.items.append_option(summary.and_then(|s| i32::try_from(s.items).ok()));
        self.refund_total.append_option(summary.map(|s| s.refund_total));
        self.compensation_total.append_option(summary.map(|s| s.compensation_total));
        self.approval.append_option(summary.map(|s| s.approval));
        match summary {
            Some(s) => {
                for code in &s.denial_codes {
                    self.denial_codes.values().append_value(code);
                }
                self.denial_codes.append(true);
            }
            None => self.denial_codes.append(false),
        }
        self.error.append_option(side.and_then(|s| s.as_ref().err()));
    }

    fn finish(mut self, nulls: Option<NullBuffer>) -> Result<ArrayRef> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.outcome.finish()),
            Arc::new(self.eligible_items.finish()),
            Arc::new(self.items.finish()),
            Arc::new(self.refund_total.finish()),
            Arc::new(self.compensation_total.finish()),
            Arc::new(self.approval.finish()),
            Arc::new(self.denial_codes.finish()),
            Arc::new(self.error.finish()),
        ];
        Ok(Arc::new(StructArray::try_new(side_fields(), columns, nulls)?))
    }
}

/// The policy compiled from `text` (from the process-wide cache), or why it does not compile.
pub fn compiled(text: &str) -> std::result::Result<Arc<CompiledPolicy>, String> {
    policies().get(text)
}
