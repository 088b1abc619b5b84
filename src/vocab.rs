//! The vocabulary several layers share: whose fault, who pays, which layer of the policy,
//! what an item may get, what a window counts from, approval tiers, and the service order's states, events and actors.
//! Plain wire enums, above the wire layer and below everything that reasons with them.

use crate::wire::wire_enum;

wire_enum! {
    /// Whose fault the reason is.
    pub enum Fault {
        Buyer = "buyer",
        Seller = "seller",
        Carrier = "carrier",
        Platform = "platform",
    }
}

wire_enum! {
    /// Who bears an amount paid out (责任主体).
    #[derive(Default)]
    pub enum Party {
        #[default]
        Merchant = "merchant",
        Carrier = "carrier",
        Insurer = "insurer",
        Platform = "platform",
        Shopper = "shopper",
    }
}

wire_enum! {
    /// Who lets an item be refunded without its return (仅退款): since the platforms' 2025
    /// rules, the merchant agrees to it, or the platform rules it.
    #[derive(Default)]
    pub enum Authority {
        #[default]
        Merchant = "merchant",
        Platform = "platform",
    }
}

wire_enum! {
    /// Where the order stands at "now": 售中 before delivery, 售后 after. Before shipment a
    /// refund cancels; in transit it intercepts the parcel; after delivery the returns apply.
    pub enum Phase {
        Unpaid = "unpaid",
        Paid = "paid",
        InTransit = "in_transit",
        Delivered = "delivered",
    }
}

wire_enum! {
    /// What happens when goods refunded (or exchanged) before they came back do not come back
    /// in time.
    pub enum Recovery {
        /// The refund is taken back from the shopper (追回).
        Clawback = "clawback",
        /// As much is held on the shopper's account until the goods are back (冻结).
        Hold = "hold",
    }
}

wire_enum! {
    /// Who pays the return postage.
    pub enum Payer {
        Buyer = "buyer",
        Seller = "seller",
        Insurer = "insurer",
        Platform = "platform",
    }
}

wire_enum! {
    /// The layer a rule belongs to: the statutory floor, or an extension above it. A seller's
    /// promise recorded on the line is its own layer, `commitment`, that only adds rights.
    #[derive(Default)]
    pub enum Layer {
        Statutory = "statutory",
        Platform = "platform",
        #[default]
        Merchant = "merchant",
        Commitment = "commitment",
    }
}

wire_enum! {
    /// What an eligible item may get.
    pub enum Resolution {
        Refund = "refund",
        Exchange = "exchange",
        Repair = "repair",
        PriceAdjustment = "price_adjustment",
    }
}

wire_enum! {
    /// Approval tiers, lowest first.
    #[derive(Default)]
    pub enum Tier {
        #[default]
        Auto = "auto",
        Agent = "agent",
        Supervisor = "supervisor",
        OperationsManager = "operations_manager",
    }
}

wire_enum! {
    pub enum State {
        Submitted = "submitted",
        NeedsInfo = "needs_info",
        UnderReview = "under_review",
        Approved = "approved",
        Rejected = "rejected",
        AwaitingReturnShipment = "awaiting_return_shipment",
        InTransit = "in_transit",
        Received = "received",
        Inspecting = "inspecting",
        Refunded = "refunded",
        Exchanged = "exchanged",
        Repaired = "repaired",
        Compensated = "compensated",
        Completed = "completed",
        Archived = "archived",
    }
}

wire_enum! {
    #[derive(Default)]
    pub enum Event {
        #[default]
        Submit = "submit",
        RequestInfo = "request_info",
        ProvideInfo = "provide_info",
        StartReview = "start_review",
        Approve = "approve",
        Reject = "reject",
        AwaitReturn = "await_return",
        ShipReturn = "ship_return",
        ReceiveReturn = "receive_return",
        StartInspection = "start_inspection",
        PassInspection = "pass_inspection",
        FailInspection = "fail_inspection",
        Refund = "refund",
        ShipExchange = "ship_exchange",
        CompleteRepair = "complete_repair",
        PayCompensation = "pay_compensation",
        Complete = "complete",
        Archive = "archive",
    }
}

wire_enum! {
    pub enum Actor {
        Shopper = "shopper",
        Merchant = "merchant",
        Agent = "agent",
        Supervisor = "supervisor",
        OperationsManager = "operations_manager",
        /// Timers and automatic steps.
        System = "system",
    }
}

wire_enum! {
    /// The event a window is counted from.
    pub enum Anchor {
        Placed = "placed",
        Paid = "paid",
        Shipped = "shipped",
        Delivered = "delivered",
        LastParcelDelivered = "last_parcel_delivered",
        /// The warranty's start: the latest of delivery, installation and a replacement (a
        /// replaced item's warranty starts again; an installed one runs from installation).
        WarrantyStart = "warranty_start",
        /// When the line's last request was refused (the ledger's `refused_at`): the time to
        /// dispute or appeal counts from it.
        Refused = "refused",
    }
}
