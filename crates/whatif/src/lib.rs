//! The what-if of a history under two policies, in the pieces every runner shares: a line of
//! NDJSON read as a record ([`Record`]), a decision summarised as the report counts it
//! ([`Summary`], [`whatif`]), the report itself ([`Report`]), and policies compiled once per
//! text ([`Policies`]). `aftersale simulate` runs them on one machine; the Python wheel (Spark)
//! and the DataFusion UDFs (Ballista) run [`whatif`] per record and sum its columns in SQL. One
//! definition of each is what makes their reports equal, and the tests hold them equal.

mod policies;
mod record;
mod report;
mod summary;

pub use policies::Policies;
pub use record::{Record, SideColumns};
pub use report::{amount, keep_first, Change, Group, GroupSide, Report, Side, EXAMPLES, MALFORMED_EXAMPLES};
pub use summary::{first_error, whatif, Summary, WhatIf};
