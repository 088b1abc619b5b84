//! The wire model of the inputs (SPEC §2): strict, integer money, times with offsets.

pub mod order;
pub mod request;

pub use order::{Customer, Discount, DiscountKind, GroupBuy, Line, LineFacts, Merchant, Order, PaidCompensation, Payment, Tender};
pub use request::{Condition, EvaluationInput, Evidence, Request, RequestItem, RequestKind};
