//! The after-sales engine inside DataFusion and Ballista: UDFs ([`udf`]), sessions that know
//! them ([`session`]), and the what-if report as SQL ([`report`]) that gives exactly
//! `aftersale simulate --format json`.

pub mod report;
pub mod session;
pub mod udf;
