//! The labels forms show, in zh-CN and en, for every value of every vocabulary an answer
//! carries (kinds, parties, states, codes, deadlines, legal references …): one catalogue, so
//! that a return form, a mini-program page and an operations tool never keep their own copies.
//! The words messages use inside sentences (`messages::payer_words` …) are the same words.
//! It ships as the package's `labels` (pkg/labels.json, written from here by the schema
//! test); nothing here is called by a decision, so none of it reaches the `.wasm`.

use crate::answer::CapBasis;
use crate::answer::PathAction;
use crate::messages::{anchor_words, payer_words, resolution_words, tier_words};
use crate::model::request::{Escalation, ReturnMethod};
use crate::model::{CompensationKind, DeductionKind, DiscountKind, GroupBuy, Initiator, RequestKind, Tender};
use crate::money::Rounding;
use crate::policy::doc::Counting;
use crate::service::deadlines::{Level, Status};
use crate::time::span::DayCounting;
use crate::vocab::{Actor, Anchor, Authority, Event, Fault, Layer, Party, Payer, Phase, Recovery, Resolution, State, Tier};
use crate::wire::error::Code;

/// `(zh-CN, en)`.
pub type Label = (&'static str, &'static str);

/// One vocabulary: its name in the catalogue and a label per value, in the engine's order.
pub type Vocabulary = (&'static str, Vec<(&'static str, Label)>);

/// The labels of every value of a wire enum, by an exhaustive match: a new value without a
/// label does not compile.
macro_rules! vocabulary {
    ($name:literal, $ty:ident { $($variant:ident => ($zh:literal, $en:literal)),+ $(,)? }) => {{
        fn label(value: $ty) -> Label {
            match value {
                $($ty::$variant => ($zh, $en)),+
            }
        }
        ($name, $ty::ALL.iter().map(|v| (v.as_str(), label(*v))).collect::<Vec<_>>())
    }};
}

/// The same words messages use in sentences, capitalised for a label.
fn from_words<T: Copy>(all: &[T], name: fn(T) -> &'static str, words: fn(T) -> Label) -> Vec<(&'static str, Label)> {
    all.iter().map(|v| (name(*v), words(*v))).collect()
}

/// Every vocabulary, in the order a reader would look for them.
pub fn labels() -> Vec<Vocabulary> {
    let mut all = request_vocabularies();
    all.extend(money_vocabularies());
    all.extend(service_vocabularies());
    all.extend([
        ("evidence", EVIDENCE.to_vec()),
        ("code", CODES.to_vec()),
        ("deadline", DEADLINES.to_vec()),
        ("legal_ref", LEGAL_REFS.to_vec()),
        error_vocabulary(),
    ]);
    for (_, values) in &mut all {
        for (_, (_, en)) in values.iter_mut() {
            *en = capitalised(en);
        }
    }
    all
}

/// What a request asks for and why, and what windows grant.
fn request_vocabularies() -> Vec<Vocabulary> {
    vec![
        vocabulary!("path_action", PathAction {
            AttachEvidence => ("补充凭证", "Attach evidence"),
            ReturnGift => ("退回赠品", "Return the gift"),
            ReduceQty => ("减少数量", "Ask for fewer"),
            ChooseKind => ("改选售后类型", "Choose another kind"),
            ChooseReturnMethod => ("改选退货方式", "Choose another return method"),
            SubmitBefore => ("限时提交", "Submit in time"),
        }),
        vocabulary!("request_kind", RequestKind {
            RefundWithReturn => ("退货退款", "Return and refund"),
            RefundWithoutReturn => ("仅退款", "Refund without return"),
            Exchange => ("换货", "Exchange"),
            Repair => ("维修", "Repair"),
            PriceDifference => ("补差价", "Price difference"),
            Goodwill => ("协商退款", "Goodwill refund"),
        }),
        ("resolution", from_words(Resolution::ALL, Resolution::as_str, resolution_words)),
        vocabulary!("fault", Fault {
            Buyer => ("买家原因", "Buyer's choice"),
            Seller => ("商家原因", "Seller's fault"),
            Carrier => ("物流原因", "Carrier's fault"),
            Platform => ("平台原因", "Platform's fault"),
        }),
        vocabulary!("party", Party {
            Merchant => ("商家", "Merchant"),
            Carrier => ("物流公司", "Carrier"),
            Insurer => ("运费险", "Freight insurer"),
            Platform => ("平台", "Platform"),
            Shopper => ("买家", "Shopper"),
        }),
        vocabulary!("authority", Authority {
            Merchant => ("商家同意", "Merchant's consent"),
            Platform => ("平台判定", "Platform ruling"),
        }),
        vocabulary!("initiator", Initiator {
            Shopper => ("买家发起", "Opened by the shopper"),
            Merchant => ("商家发起", "Opened by the merchant"),
            Platform => ("平台发起", "Opened by the platform"),
        }),
        vocabulary!("return_method", ReturnMethod {
            Pickup => ("上门取件", "Pickup"),
            DropOff => ("驿站自寄", "Drop-off"),
            SelfShip => ("自行寄回", "Self-ship"),
        }),
        vocabulary!("recovery", Recovery {
            Clawback => ("追回款项", "Taken back"),
            Hold => ("冻结金额", "Held on the account"),
        }),
        vocabulary!("escalation", Escalation {
            Dispute => ("申请平台介入", "Platform dispute"),
            Appeal => ("申诉", "Appeal"),
        }),
        ("payer", from_words(Payer::ALL, Payer::as_str, payer_words)),
        ("tier", from_words(Tier::ALL, Tier::as_str, tier_words)),
        ("anchor", from_words(Anchor::ALL, Anchor::as_str, anchor_words)),
        vocabulary!("phase", Phase {
            Unpaid => ("待付款", "Not paid"),
            Paid => ("待发货", "Paid, not shipped"),
            InTransit => ("运输中", "In transit"),
            Delivered => ("已签收", "Delivered"),
        }),
        vocabulary!("layer", Layer {
            Statutory => ("法定", "Statutory"),
            Platform => ("平台规则", "Platform rule"),
            Merchant => ("商家承诺", "Merchant's promise"),
            Commitment => ("公开承诺", "Public promise"),
        }),
    ]
}

/// Money: tenders, discounts, deductions, compensation, rounding.
fn money_vocabularies() -> Vec<Vocabulary> {
    vec![
        vocabulary!("tender", Tender {
            OriginalPayment => ("原支付方式", "Original payment method"),
            Points => ("积分", "Points"),
            GiftCard => ("礼品卡", "Gift card"),
            Balance => ("账户余额", "Account balance"),
        }),
        vocabulary!("discount_kind", DiscountKind {
            Threshold => ("满减", "Spend-and-save discount"),
            PlatformCoupon => ("平台优惠券", "Platform coupon"),
            MerchantCoupon => ("店铺优惠券", "Shop coupon"),
        }),
        vocabulary!("deduction_kind", DeductionKind {
            GiftNotReturned => ("赠品未退回", "Gift not returned"),
            Fee => ("手续费", "Fee"),
            DiminishedValue => ("商品价值减损", "Diminished value"),
            PromotionLost => ("优惠失效", "Promotion no longer met"),
            FreeShippingLost => ("包邮失效", "Free shipping no longer met"),
        }),
        vocabulary!("compensation_kind", CompensationKind {
            Coupon => ("优惠券", "Coupon"),
            Cash => ("现金补偿", "Cash compensation"),
        }),
        vocabulary!("group_buy", GroupBuy {
            Pending => ("拼团中", "Group buy pending"),
            Succeeded => ("拼团成功", "Group buy succeeded"),
            Failed => ("拼团失败", "Group buy failed"),
        }),
        vocabulary!("counting", Counting {
            NextLocalDay => ("自次日起算", "Counted from the next day"),
            Exact => ("按时刻计算", "Counted to the minute"),
            WorkingDays => ("按工作日计算", "Counted in working days"),
        }),
        vocabulary!("day_counting", DayCounting {
            FromEvent => ("自事件时起算", "From the event"),
            NextDay => ("自次日起算", "From the next day"),
        }),
        vocabulary!("rounding", Rounding {
            HalfUp => ("四舍五入", "Round half up"),
            HalfEven => ("四舍六入五成双", "Round half to even"),
            Floor => ("向下取整", "Round down"),
        }),
        vocabulary!("cap_basis", CapBasis {
            UnitsShare => ("所退件数的实付金额", "What the returned units paid"),
            LineRemaining => ("该商品剩余可退金额", "What is left to refund on the item"),
        }),
    ]
}

/// The service order: states, events, actors, escalation, timers.
fn service_vocabularies() -> Vec<Vocabulary> {
    vec![
        vocabulary!("state", State {
            Submitted => ("已提交", "Submitted"),
            NeedsInfo => ("待补充资料", "Needs more information"),
            UnderReview => ("审核中", "Under review"),
            Approved => ("已同意", "Approved"),
            Rejected => ("已拒绝", "Rejected"),
            AwaitingReturnShipment => ("待寄回", "Awaiting the return shipment"),
            InTransit => ("退货运输中", "Return in transit"),
            Received => ("已收到退货", "Return received"),
            Inspecting => ("检验中", "Inspecting"),
            Refunded => ("已退款", "Refunded"),
            Exchanged => ("已换货", "Exchanged"),
            Repaired => ("已维修", "Repaired"),
            Compensated => ("已补偿", "Compensated"),
            Completed => ("已完成", "Completed"),
            Archived => ("已归档", "Archived"),
        }),
        vocabulary!("event", Event {
            Submit => ("提交申请", "Submit"),
            RequestInfo => ("要求补充资料", "Ask for more information"),
            ProvideInfo => ("补充资料", "Provide information"),
            StartReview => ("开始审核", "Start the review"),
            Approve => ("同意", "Approve"),
            Reject => ("拒绝", "Reject"),
            AwaitReturn => ("等待寄回", "Await the return"),
            ShipReturn => ("寄回商品", "Ship the return"),
            ReceiveReturn => ("收到退货", "Receive the return"),
            StartInspection => ("开始检验", "Start the inspection"),
            PassInspection => ("检验通过", "Pass the inspection"),
            FailInspection => ("检验不通过", "Fail the inspection"),
            Refund => ("退款", "Refund"),
            ShipExchange => ("寄出换货", "Ship the exchange"),
            CompleteRepair => ("完成维修", "Complete the repair"),
            PayCompensation => ("支付补偿", "Pay the compensation"),
            Complete => ("完成", "Complete"),
            Archive => ("归档", "Archive"),
        }),
        vocabulary!("actor", Actor {
            Shopper => ("买家", "Shopper"),
            Merchant => ("商家", "Merchant"),
            Agent => ("客服", "Agent"),
            Supervisor => ("主管", "Supervisor"),
            OperationsManager => ("运营经理", "Operations manager"),
            System => ("系统", "System"),
        }),
        vocabulary!("level", Level {
            None => ("未升级", "Not escalated"),
            Agent => ("客服", "Agent"),
            Supervisor => ("主管", "Supervisor"),
            OperationsManager => ("运营经理", "Operations manager"),
        }),
        vocabulary!("timer_status", Status {
            Pending => ("未开始", "Not started"),
            Open => ("进行中", "Running"),
            Met => ("已按时完成", "Met on time"),
            MetLate => ("超时完成", "Met late"),
            Overdue => ("已超时", "Overdue"),
            Closed => ("已关闭", "Closed"),
        }),
    ]
}

/// The input errors' codes.
fn error_vocabulary() -> Vocabulary {
    vocabulary!("error", Code {
            InvalidJson => ("不是有效的 JSON", "Not valid JSON"),
            LimitExceeded => ("超出限制", "Over a limit"),
            DuplicateKey => ("键重复", "Duplicate key"),
            InvalidType => ("类型错误", "Wrong type"),
            MissingField => ("缺少字段", "Missing field"),
            UnknownField => ("未知字段", "Unknown field"),
            InvalidValue => ("取值无效", "Invalid value"),
            InvalidInteger => ("整数无效", "Invalid integer"),
            NumberTooLarge => ("数值过大", "Number too large"),
            InvalidMoney => ("金额无效", "Invalid amount"),
            InvalidTime => ("时间无效", "Invalid time"),
            DuplicateId => ("编号重复", "Duplicate id"),
            UnknownReference => ("引用不存在", "Unknown reference"),
            Inconsistent => ("前后矛盾", "Inconsistent"),
            Overflow => ("计算溢出", "Overflow"),
            PolicyConflict => ("规则冲突", "Policy conflict"),
            StaleLedger => ("售后记录已变更", "The ledger has changed"),
            ExprSyntax => ("表达式语法错误", "Expression syntax error"),
            ExprType => ("表达式类型错误", "Expression type error"),
            ExprUnknownField => ("表达式字段未知", "Unknown field in an expression"),
            ExprUnknownFunction => ("表达式函数未知", "Unknown function in an expression"),
            ExprArity => ("参数个数错误", "Wrong number of arguments"),
    })
}

/// `en` with its first letter in upper case: the sentence words of messages as labels. The
/// few words messages use are listed here, so no allocation outlives the catalogue.
fn capitalised(en: &'static str) -> &'static str {
    const CAPITALS: &[(&str, &str)] = &[
        ("buyer", "Buyer"),
        ("seller", "Seller"),
        ("freight insurer", "Freight insurer"),
        ("platform", "Platform"),
        ("automatic", "Automatic"),
        ("agent", "Agent"),
        ("supervisor", "Supervisor"),
        ("operations manager", "Operations manager"),
        ("order", "Order placed"),
        ("payment", "Payment"),
        ("shipment", "Shipment"),
        ("delivery", "Delivery"),
        ("warranty start", "Warranty start"),
        ("refusal", "Refusal"),
        ("refund", "Refund"),
        ("exchange", "Exchange"),
        ("repair", "Repair"),
        ("price adjustment", "Price adjustment"),
    ];
    CAPITALS.iter().find(|(word, _)| *word == en).map_or(en, |(_, label)| label)
}

/// What a request attaches and a reason requires (`Evidence`'s fields).
const EVIDENCE: &[(&str, Label)] = &[
    ("photos", ("商品照片", "Photos of the item")),
    ("package_photos", ("包装照片", "Photos of the package")),
    ("videos", ("视频", "Videos")),
    ("description_chars", ("问题描述", "Description")),
];

/// The codes of items, options and messages: the engine's own and the presets' denials.
const CODES: &[(&str, Label)] = &[
    ("AMOUNT_CAPPED", ("金额已按上限处理", "Amount capped")),
    ("ANCHOR_MISSING", ("售后期尚未开始", "Window not started")),
    ("APPEAL_LATE", ("超过申诉时限", "Appeal too late")),
    ("CANCELLED_BEFORE_SHIPMENT", ("未发货取消", "Cancelled before shipment")),
    ("COMPENSATION_COUPON", ("补偿优惠券", "Compensation coupon")),
    ("DAMAGES", ("法定赔偿", "Damages")),
    ("DISPUTE_LATE", ("超过介入申请时限", "Too late to ask the platform")),
    ("EVIDENCE_MISSING", ("需补充凭证", "Evidence needed")),
    ("EXCHANGE_DUE", ("换货补差价", "Exchange difference to pay")),
    ("EXCHANGE_REFUND", ("换货退差价", "Exchange difference back")),
    ("EXCLUDED_ACTIVATED", ("已激活商品", "Activated item")),
    ("EXCLUDED_CUSTOM_MADE", ("定制商品", "Custom-made item")),
    ("EXCLUDED_DIGITAL_OPENED", ("已拆封的数字商品", "Unsealed digital goods")),
    ("EXCLUDED_HYGIENE_OPENED", ("已拆封的卫生用品", "Unsealed hygiene item")),
    ("EXCLUDED_NEAR_EXPIRY_OR_FLAWED", ("临期或瑕疵商品", "Near-expiry or flawed item")),
    ("EXCLUDED_NEWSPAPER", ("报纸期刊", "Newspaper or periodical")),
    ("EXCLUDED_PERISHABLE", ("鲜活易腐商品", "Perishable goods")),
    ("FAST_TRACK", ("极速退款", "Fast refund")),
    ("FILED_LATE", ("超过申请时限", "Filed too late")),
    ("GIFT_UNPRICED", ("赠品未标价", "Gift without a value")),
    ("INTERCEPTION_REQUIRED", ("拦截退回", "Parcel intercepted")),
    ("ITEM_ELIGIBLE", ("可以申请", "Eligible")),
    ("NOTHING_LEFT_TO_REFUND", ("已无可退金额", "Nothing left to refund")),
    ("NOTHING_TO_ESCALATE", ("无可申诉的拒绝", "Nothing to dispute")),
    ("NOT_DELIVERED", ("尚未签收", "Not delivered yet")),
    ("NOT_INTACT", ("商品不完好", "Item not intact")),
    ("NOT_PAID", ("订单未付款", "Not paid")),
    ("NOT_SHIPPED", ("尚未发货", "Not shipped yet")),
    ("NO_RETURN_AUTHORISED", ("仅退款", "Refund without return")),
    ("NO_RETURN_NOT_ALLOWED", ("不支持仅退款", "Refund without return not allowed")),
    ("NO_WINDOW", ("无适用售后期", "No window applies")),
    ("PATH_ATTACH_EVIDENCE", ("补充凭证", "Attach evidence")),
    ("PATH_CHOOSE_KIND", ("改选售后类型", "Choose another kind")),
    ("PATH_CHOOSE_RETURN_METHOD", ("改选退货方式", "Choose another return method")),
    ("PATH_REDUCE_QTY", ("减少数量", "Ask for fewer")),
    ("PATH_RETURN_GIFT", ("退回赠品", "Return the gift")),
    ("PATH_SUBMIT_BEFORE", ("限时提交", "Submit in time")),
    ("POSTAGE_SHARE", ("运费分担", "Postage share")),
    ("PRICE_DIFFERENCE_ALREADY_PAID", ("已补过差价", "Price difference already paid")),
    ("PRICE_DIFFERENCE_NOT_OFFERED", ("不支持补差价", "Price difference not offered")),
    ("QTY_EXCEEDS_REMAINING", ("超出可退数量", "More than can be returned")),
    ("REFUND_TOTAL", ("预计退款", "Expected refund")),
    ("REPORTED_LATE", ("超过反馈时限", "Reported too late")),
    ("REQUEST_ALREADY_OPEN", ("已有进行中的申请", "Request already open")),
    ("RESOLUTION_NOT_AVAILABLE", ("该方式不可用", "Not available")),
    ("RETURN_POSTAGE", ("退货运费", "Return postage")),
    ("REVIEW_REQUIRED", ("需要审核", "Review needed")),
    ("TOO_MANY_REQUESTS", ("申请次数已达上限", "Too many requests")),
    ("WINDOW_CLOSED", ("已过售后期", "Window closed")),
    ("WITHIN_TOLERANCE", ("在误差范围内", "Within tolerance")),
    ("EVENT_NOT_ALLOWED", ("当前状态不能进行该操作", "Not allowed in this state")),
    ("ACTOR_NOT_ALLOWED", ("无权进行该操作", "Not allowed for this actor")),
    ("GUARD_FAILED", ("条件未满足", "A condition is not met")),
];

/// The deadlines of the presets' service levels (`deadlines[].what`).
const DEADLINES: &[(&str, Label)] = &[
    ("merchant_first_response", ("商家首次响应", "Merchant's first response")),
    ("review", ("审核", "Review")),
    ("inspection", ("检验", "Inspection")),
    ("refund_after_inspection", ("检验后退款", "Refund after inspection")),
    ("statutory_refund", ("法定退款期限", "Statutory refund deadline")),
    ("refund_penalty_line", ("退款逾期赔付线", "Late refund penalty line")),
    ("logistics_resolution", ("物流问题处理", "Delivery problem resolved")),
    ("quality_plan", ("质量问题处理方案", "Quality problem plan")),
    ("repair", ("维修", "Repair")),
    ("compensation_payout", ("补偿发放", "Compensation paid out")),
    ("platform-fast-refund-at-request", ("极速退款后寄回", "Goods back after a fast refund")),
    ("platform-fast-refund-at-pickup", ("极速退款后送达", "Goods back after a fast refund at pickup")),
    ("eu_refund", ("欧盟撤回退款", "EU withdrawal refund")),
    ("record_retention", ("记录保存", "Record retention")),
];

/// Every legal reference the engine and its presets cite (docs/legal.md has the articles).
const LEGAL_REFS: &[(&str, Label)] = &[
    ("CN-7DAY-ART6", ("七日无理由退货暂行办法第六条", "Seven-day returns measures, Art. 6")),
    ("CN-7DAY-ART7", ("七日无理由退货暂行办法第七条", "Seven-day returns measures, Art. 7")),
    ("CN-7DAY-ART8", ("七日无理由退货暂行办法第八条", "Seven-day returns measures, Art. 8")),
    ("CN-7DAY-ART9", ("七日无理由退货暂行办法第九条", "Seven-day returns measures, Art. 9")),
    ("CN-7DAY-ART12", ("七日无理由退货暂行办法第十二条", "Seven-day returns measures, Art. 12")),
    ("CN-7DAY-ART17", ("七日无理由退货暂行办法第十七条", "Seven-day returns measures, Art. 17")),
    ("CN-7DAY-ART18", ("七日无理由退货暂行办法第十八条", "Seven-day returns measures, Art. 18")),
    ("CN-CRPL-ART24", ("消费者权益保护法第二十四条", "Consumer Rights Protection Law, Art. 24")),
    ("CN-CRPL-ART25", ("消费者权益保护法第二十五条", "Consumer Rights Protection Law, Art. 25")),
    ("CN-CRPL-ART55", ("消费者权益保护法第五十五条", "Consumer Rights Protection Law, Art. 55")),
    ("CN-CRPL-REG-ART12", ("消费者权益保护法实施条例第十二条", "Consumer Rights Protection Regulations, Art. 12")),
    ("CN-FSL-ART148", ("食品安全法第一百四十八条", "Food Safety Law, Art. 148")),
    ("CN-3BAO-7DAY", ("三包规定：七日内退货", "Three-guarantees rules: return within 7 days")),
    ("CN-3BAO-15DAY", ("三包规定：十五日内换货", "Three-guarantees rules: exchange within 15 days")),
    ("CN-3BAO-WARRANTY", ("三包规定：三包有效期内免费维修", "Three-guarantees rules: free repair in warranty")),
    ("CN-3BAO-TWO-REPAIRS", ("三包规定：两次修理仍不能正常使用", "Three-guarantees rules: two failed repairs")),
    ("EU-CRD-ART9", ("欧盟消费者权利指令第9条", "Consumer Rights Directive, Art. 9")),
    ("EU-CRD-ART13", ("欧盟消费者权利指令第13条", "Consumer Rights Directive, Art. 13")),
    ("EU-CRD-ART14", ("欧盟消费者权利指令第14条", "Consumer Rights Directive, Art. 14")),
    ("EU-CRD-ART16C", ("欧盟消费者权利指令第16条(c)", "Consumer Rights Directive, Art. 16(c)")),
    ("EU-CRD-ART16D", ("欧盟消费者权利指令第16条(d)", "Consumer Rights Directive, Art. 16(d)")),
    ("EU-CRD-ART16E", ("欧盟消费者权利指令第16条(e)", "Consumer Rights Directive, Art. 16(e)")),
    ("EU-CRD-ART16I", ("欧盟消费者权利指令第16条(i)", "Consumer Rights Directive, Art. 16(i)")),
    ("EU-CRD-ART16J", ("欧盟消费者权利指令第16条(j)", "Consumer Rights Directive, Art. 16(j)")),
    ("EU-SGD-ART10", ("欧盟货物销售指令第10条", "Sale of Goods Directive, Art. 10")),
    ("EU-SGD-ART14", ("欧盟货物销售指令第14条", "Sale of Goods Directive, Art. 14")),
    ("TAOBAO-DISPUTE-ART21", ("淘宝争议处理规则第二十一条", "Taobao dispute rules, Art. 21")),
    ("TAOBAO-DISPUTE-ART22", ("淘宝争议处理规则第二十二条", "Taobao dispute rules, Art. 22")),
    ("JD-DISPUTE-ART9", ("京东交易纠纷处理总则第九条", "JD trade dispute rules, Art. 9")),
    ("JD-DISPUTE-ART29", ("京东交易纠纷处理总则第二十九条", "JD trade dispute rules, Art. 29")),
    ("JD-CATEGORY-STD", ("京东商品类问题纠纷处理标准", "JD product-category dispute standard")),
];
