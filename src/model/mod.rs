//! The wire model of the inputs: strict, integer money, times with offsets.

pub mod ledger;
pub mod order;
pub mod request;
pub mod view;

pub use ledger::{CompensationKind, DeductionKind, Effects, Ledger, LedgerCompensation, LedgerDeduction, LedgerLine, LedgerTender};
pub use order::{Customer, Discount, DiscountKind, GroupBuy, Line, LineFacts, Merchant, Order, Payment, Promise, PromiseSource, Tender};
pub use request::{Condition, EvaluationInput, Evidence, ExchangeFor, Initiator, Request, RequestItem, RequestKind};
pub use view::View;
