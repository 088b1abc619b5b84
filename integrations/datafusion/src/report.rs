//! The what-if report as one SQL query over a history table: `aftersale_whatif` runs once per
//! row, and one grouping gives everything the report counts. Rows are grouped by what the
//! report tells apart (malformed or how eligibility changed, and each side's outcome, approval
//! tier and refusal codes), so the groups are few; the examples are the first rows by line of
//! each change, ranked by a window over parts of it. [`fold`] turns the groups into an
//! [`aftersale_whatif::Report`], whose JSON is `aftersale simulate`'s.

use aftersale_whatif::{Change, Group, GroupSide, Report, MALFORMED_EXAMPLES};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StructArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Int64Type};
use datafusion::common::{exec_datafusion_err, Result};
use datafusion::prelude::SessionContext;

/// The examples are ranked within `change` and `line % SPREAD`, so that no one task sorts all of
/// a change (most records are `same`); the first of every part are gathered, and [`fold`] keeps
/// the first overall, as `simulate` does.
const SPREAD: u32 = 64;

/// A SQL string literal of `text`.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The report query over `table` (columns `line`, `id`, `input`, `error`).
pub fn sql(table: &str, baseline: &str, candidate: &str) -> String {
    let (baseline, candidate) = (literal(baseline), literal(candidate));
    format!(
        "WITH decided AS (
  SELECT line, id, error, aftersale_whatif({baseline}, {candidate}, input) AS w FROM {table}
), sides AS (
  SELECT line,
    CASE WHEN id = '' THEN concat('line ', CAST(line AS VARCHAR)) ELSE id END AS name,
    coalesce(error, get_field(get_field(w, 'baseline'), 'error'),
             get_field(get_field(w, 'candidate'), 'error')) AS why,
    get_field(w, 'baseline') AS b,
    get_field(w, 'candidate') AS c
  FROM decided
), changes AS (
  SELECT *, CASE
      WHEN why IS NOT NULL THEN 'malformed'
      WHEN get_field(c, 'eligible_items') > get_field(b, 'eligible_items') THEN 'more'
      WHEN get_field(c, 'eligible_items') < get_field(b, 'eligible_items') THEN 'fewer'
      ELSE 'same' END AS change,
    CASE WHEN why IS NOT NULL THEN why ELSE name END AS example
  FROM sides
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY change, line % {SPREAD} ORDER BY line, example) AS rank FROM changes
)
SELECT change,
  get_field(b, 'outcome') AS b_outcome, get_field(b, 'approval') AS b_approval,
  get_field(b, 'denial_codes') AS b_codes,
  get_field(c, 'outcome') AS c_outcome, get_field(c, 'approval') AS c_approval,
  get_field(c, 'denial_codes') AS c_codes,
  count(*) AS records,
  sum(CAST(get_field(b, 'refund_total') AS DECIMAL(38, 0))) AS b_refund,
  sum(CAST(get_field(b, 'compensation_total') AS DECIMAL(38, 0))) AS b_compensation,
  sum(CAST(get_field(c, 'refund_total') AS DECIMAL(38, 0))) AS c_refund,
  sum(CAST(get_field(c, 'compensation_total') AS DECIMAL(38, 0))) AS c_compensation,
  array_agg(named_struct('line', line, 'text', example))
    FILTER (WHERE rank <= {MALFORMED_EXAMPLES} AND change <> 'same') AS examples
FROM ranked
GROUP BY 1, 2, 3, 4, 5, 6, 7"
    )
}

/// Runs the report over the registered table `table`; the currency is the baseline's.
pub async fn run(ctx: &SessionContext, table: &str, baseline: &str, candidate: &str, currency: &str) -> Result<Report> {
    let batches = ctx.sql(&sql(table, baseline, candidate)).await?.collect().await?;
    let mut report = Report::new(currency);
    for batch in &batches {
        fold(&mut report, batch)?;
    }
    Ok(report)
}

/// Adds the groups of one result batch to `report` ([`Report::count_group`]).
pub fn fold(report: &mut Report, batch: &RecordBatch) -> Result<()> {
    let columns = Columns::of(batch)?;
    for row in 0..batch.num_rows() {
        report.count_group(&columns.group(row)?);
    }
    Ok(())
}

/// The columns of a result batch, read into plain values (the result is a few groups).
struct Columns {
    change: Vec<Option<String>>,
    outcome: [Vec<Option<String>>; 2],
    approval: [Vec<Option<String>>; 2],
    codes: [ArrayRef; 2],
    records: Vec<u64>,
    refund: [Vec<Option<i128>>; 2],
    compensation: [Vec<Option<i128>>; 2],
    examples: ArrayRef,
}

impl Columns {
    fn of(batch: &RecordBatch) -> Result<Columns> {
        let column =
            |name: &str| batch.column_by_name(name).cloned().ok_or_else(|| exec_datafusion_err!("the report has no column {name}"));
        let texts = |name: &str| column(name).and_then(|c| strings(&c));
        let amounts = |name: &str| column(name).and_then(|c| decimals(&c));
        let records = cast(&column("records")?, &DataType::Int64)?;
        Ok(Columns {
            change: texts("change")?,
            outcome: [texts("b_outcome")?, texts("c_outcome")?],
            approval: [texts("b_approval")?, texts("c_approval")?],
            codes: [column("b_codes")?, column("c_codes")?],
            records: records.as_primitive::<Int64Type>().iter().map(|n| n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0)).collect(),
            refund: [amounts("b_refund")?, amounts("c_refund")?],
            compensation: [amounts("b_compensation")?, amounts("c_compensation")?],
            examples: column("examples")?,
        })
    }

    /// Row `row` as the report counts it.
    fn group(&self, row: usize) -> Result<Group> {
        let name = self.change.get(row).cloned().flatten().unwrap_or_default();
        let change = Change::of(&name).ok_or_else(|| exec_datafusion_err!("the report has no change {name}"))?;
        let side = |which: usize| -> Result<GroupSide> {
            let text = |columns: &[Vec<Option<String>>; 2]| columns.get(which).and_then(|c| c.get(row).cloned().flatten());
            let amount = |columns: &[Vec<Option<i128>>; 2]| columns.get(which).and_then(|c| c.get(row).copied().flatten()).unwrap_or(0);
            Ok(GroupSide {
                outcome: text(&self.outcome),
                approval: text(&self.approval),
                codes: self.codes(which, row)?,
                refund_total: amount(&self.refund),
                compensation_total: amount(&self.compensation),
            })
        };
        Ok(Group {
            change,
            records: self.records.get(row).copied().unwrap_or(0),
            baseline: side(0)?,
            candidate: side(1)?,
            examples: self.examples(row)?,
        })
    }

    /// The refusal codes of one side of a group (one per refused item).
    fn codes(&self, which: usize, row: usize) -> Result<Vec<String>> {
        let Some(column) = self.codes.get(which) else { return Ok(Vec::new()) };
        let list = column.as_list_opt::<i32>().ok_or_else(|| exec_datafusion_err!("codes are not a list"))?;
        if row >= list.len() || list.is_null(row) {
            return Ok(Vec::new());
        }
        Ok(strings(&list.value(row))?.into_iter().flatten().collect())
    }

    /// The group's examples as (line, text).
    fn examples(&self, row: usize) -> Result<Vec<(u64, String)>> {
        let list = self.examples.as_list_opt::<i32>().ok_or_else(|| exec_datafusion_err!("examples are not a list"))?;
        if row >= list.len() || list.is_null(row) {
            return Ok(Vec::new());
        }
        let value = list.value(row);
        let items: &StructArray = value.as_struct_opt().ok_or_else(|| exec_datafusion_err!("examples are not structs"))?;
        let field = |name: &str| items.column_by_name(name).ok_or_else(|| exec_datafusion_err!("examples have no {name}"));
        let lines = cast(field("line")?, &DataType::Int64)?;
        let texts = strings(field("text")?)?;
        let lines = lines.as_primitive::<Int64Type>();
        Ok(texts.into_iter().enumerate().filter_map(|(i, text)| Some((u64::try_from(lines.value(i)).ok()?, text?))).collect())
    }
}

/// A string column of any layout as owned values.
fn strings(array: &ArrayRef) -> Result<Vec<Option<String>>> {
    let utf8 = cast(array, &DataType::Utf8)?;
    Ok(utf8.as_string::<i32>().iter().map(|s| s.map(str::to_owned)).collect())
}

/// An exact sum (`DECIMAL(38, 0)`) as `i128`.
fn decimals(array: &ArrayRef) -> Result<Vec<Option<i128>>> {
    let decimal = cast(array, &DataType::Decimal128(38, 0))?;
    Ok(decimal.as_primitive::<Decimal128Type>().iter().collect())
}
