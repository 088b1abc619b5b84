//! Customer-facing sentences in zh-CN and en for every reason code the engine emits.
//! Templates name their values in braces (`{closes_at}`); a policy adds texts for its own
//! codes. A test fails if a built-in code lacks either language.

use crate::time::span::{DayCounting, Span};
use crate::vocab::{Anchor, Authority, Event, Payer, Recovery, Resolution, Tier};
use crate::wire::text::Text;
use crate::wire::wire_struct;
use std::borrow::Cow;

/// One language's rendering of a value; borrowed where the text already exists (a title in
/// the policy, a fixed phrase), so that rendering a message allocates only the message.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    /// The same text in both languages (a date, an amount).
    Plain(Cow<'a, str>),
    /// A text per language.
    Localized { zh: Cow<'a, str>, en: Cow<'a, str> },
}

impl Arg<'_> {
    fn get(&self, zh: bool) -> &str {
        match self {
            Arg::Plain(s) => s,
            Arg::Localized { zh: z, en } => {
                if zh {
                    z
                } else {
                    en
                }
            }
        }
    }
}

wire_struct! {
    /// A rendered message, attached to a line when it is about one item.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Message {
        pub code: crate::wire::text::Text,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub line_id: Option<crate::wire::text::Text>,
        #[serde(rename = "zh-CN")]
        pub zh: Cow<'static, str>,
        pub en: Cow<'static, str>,
    }
}

/// `(code, zh-CN template, en template)` of every built-in code, sorted by code.
pub const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "AMOUNT_CAPPED",
        "申请金额 {asked} 超过{basis} {cap}，按 {cap} 处理",
        "{asked} was asked for, more than {basis} ({cap}): {cap} will be refunded",
    ),
    ("ANCHOR_MISSING", "订单尚无{anchor}时间，{window}无法起算", "The order has no {anchor} time yet, so the {window} has not started"),
    (
        "APPEAL_LATE",
        "对平台处理结果的申诉须在 {file_by} 前提出，已超过时限",
        "An appeal against the platform's ruling had to be made by {file_by}; that time has passed",
    ),
    ("CANCELLED_BEFORE_SHIPMENT", "商品尚未发货，退款即取消该商品", "Not shipped yet: the refund cancels the item"),
    (
        "COMPENSATION_COUPON",
        "您将获得 {amount} 优惠券（{min_spend}），{valid_until} 前有效",
        "You will receive a {amount} coupon ({min_spend}), valid until {valid_until}",
    ),
    ("DAMAGES", "{title}：另赔偿 {amount}", "{title}: {amount} in damages on top of the refund"),
    (
        "DISPUTE_LATE",
        "商家拒绝后须在 {file_by} 前申请平台介入，已超过时限",
        "The platform could be asked to step in until {file_by}, after the merchant's refusal; that time has passed",
    ),
    ("EVIDENCE_MISSING", "还需补充：{missing}", "Still needed: {missing}"),
    ("EXCHANGE_DUE", "换成 {sku}，需补差价 {amount}", "Exchanged for {sku}: {amount} to pay"),
    ("EXCHANGE_REFUND", "换成 {sku}，退回差价 {amount}", "Exchanged for {sku}: {amount} back"),
    (
        "EXCLUDED_ACTIVATED",
        "商品已激活，且购买时已确认激活后不退，不适用七天无理由退货",
        "The item has been activated and you confirmed at purchase that activated items cannot be returned without reason",
    ),
    ("EXCLUDED_CUSTOM_MADE", "定制商品不适用七天无理由退货", "Custom-made goods cannot be returned without reason"),
    (
        "EXCLUDED_DIGITAL_OPENED",
        "已下载或拆封的数字化商品不适用七天无理由退货",
        "Digital goods that were downloaded or unsealed cannot be returned without reason",
    ),
    (
        "EXCLUDED_HYGIENE_OPENED",
        "拆封后影响卫生安全的商品（购买时已确认）不适用七天无理由退货",
        "Hygiene items whose seal is broken (confirmed at purchase) cannot be returned without reason",
    ),
    (
        "EXCLUDED_NEAR_EXPIRY_OR_FLAWED",
        "销售时已明示的临近保质期或有瑕疵商品不适用七天无理由退货",
        "Near-expiry or flawed goods sold as such cannot be returned without reason",
    ),
    (
        "EXCLUDED_NEWSPAPER",
        "已交付的报纸、期刊不适用七天无理由退货",
        "Delivered newspapers and periodicals cannot be returned without reason",
    ),
    ("EXCLUDED_PERISHABLE", "鲜活易腐商品不适用七天无理由退货", "Fresh and perishable goods cannot be returned without reason"),
    (
        "FAST_TRACK",
        "极速{what}：{release}后即处理，商品未按时退回将{recovery}",
        "Fast {what}: released {release}; if the goods are not back in time, {recovery}",
    ),
    (
        "FILED_LATE",
        "该问题的售后申请需在 {file_by} 前提交，已超过时限",
        "A claim for this problem had to be filed by {file_by}; it is too late",
    ),
    (
        "GIFT_UNPRICED",
        "赠品未标明价值，未退回时不扣款，商家可要求退回赠品",
        "The gift has no declared value: keeping it costs nothing, though the seller may ask for it back",
    ),
    (
        "INTERCEPTION_REQUIRED",
        "包裹正在运输途中，将拦截退回，退回后退款",
        "The parcel is on its way: it will be intercepted, and the refund paid once it is back",
    ),
    ("ITEM_ELIGIBLE", "{window}：可以申请，{closes_at} 截止", "{window}: eligible until {closes_at}"),
    (
        "NOTHING_LEFT_TO_REFUND",
        "该商品实付金额已全部退回，没有可退的金额",
        "Everything paid for this item has been paid back: nothing is left to refund",
    ),
    (
        "NOTHING_TO_ESCALATE",
        "该商品没有可以这样处理的拒绝：商家拒绝可申请平台介入，平台判定可申诉",
        "No refusal of this item can be taken further this way: a merchant's refusal is disputed, a platform's ruling appealed",
    ),
    ("NOT_DELIVERED", "商品尚未签收，签收后才能申请{window}", "The goods have not been signed for yet; the {window} starts after delivery"),
    (
        "NOT_INTACT",
        "商品不完好（超出查验需要使用或吊牌缺失），不适用七天无理由退货",
        "The item is not intact (used beyond inspection or tags removed), so it cannot be returned without reason",
    ),
    ("NOT_PAID", "订单尚未付款，无需申请售后，取消订单即可", "The order is not paid yet: cancel it instead of asking for a refund"),
    (
        "NOT_SHIPPED",
        "商品尚未发货，可申请仅退款（取消订单）",
        "The goods have not shipped yet: ask for a refund without return (a cancellation)",
    ),
    ("NO_RETURN_AUTHORISED", "无需退货，{authority}", "No need to send it back: {authority}"),
    (
        "NO_RETURN_NOT_ALLOWED",
        "仅退款须经商家同意或平台判定，请退货退款",
        "A refund without return needs the merchant's consent or a platform ruling; please return the item for a refund",
    ),
    ("NO_WINDOW", "该原因没有适用的售后期限", "No after-sales window applies to this reason"),
    ("PATH_ATTACH_EVIDENCE", "补充{evidence}即可继续", "Attach {evidence} and the request can go ahead"),
    ("PATH_CHOOSE_KIND", "可改为申请{kind}", "You could ask for {kind} instead"),
    ("PATH_CHOOSE_RETURN_METHOD", "可改为{method}", "You could choose {method} instead"),
    ("PATH_REDUCE_QTY", "最多可申请 {qty} 件", "Ask for at most {qty}"),
    ("PATH_RETURN_GIFT", "连同赠品一起退回，即可全额退款", "Send the gift back too for the whole refund"),
    ("PATH_SUBMIT_BEFORE", "请在 {at} 前补齐并提交", "Complete and submit before {at}"),
    ("POSTAGE_SHARE", "退货运费 {postage}，其中您承担 {shopper}", "Return postage is {postage}, of which you pay {shopper}"),
    (
        "PRICE_DIFFERENCE_ALREADY_PAID",
        "申请补差价 {requested} 件，但仅 {remaining} 件尚未补过差价",
        "A price difference for {requested} unit(s) was asked, but only {remaining} have not had one yet",
    ),
    ("PRICE_DIFFERENCE_NOT_OFFERED", "该商品不提供补差价", "A price difference is not offered for this item"),
    (
        "QTY_EXCEEDS_REMAINING",
        "申请数量 {requested} 超过可退数量 {remaining}",
        "{requested} requested, but only {remaining} can still be returned",
    ),
    ("REFUND_TOTAL", "预计退款 {total}", "Expected refund: {total}"),
    (
        "REPORTED_LATE",
        "该问题需在 {report_by} 前反馈，已超过反馈时限",
        "This problem had to be reported by {report_by}; it was reported too late",
    ),
    (
        "REQUEST_ALREADY_OPEN",
        "该商品已有进行中的售后申请，请等待处理完成",
        "This item already has an after-sales request in progress; wait for it to be resolved",
    ),
    ("RESOLUTION_NOT_AVAILABLE", "当前只能申请：{available}", "Only these are available now: {available}"),
    ("RETURN_POSTAGE", "退货运费由{payer}承担", "Return postage is paid by the {payer}"),
    ("REVIEW_REQUIRED", "该申请需要{tier}审核", "This request needs {tier} review"),
    ("TOO_MANY_REQUESTS", "售后申请次数已达上限", "The limit of after-sales requests for this item or order is reached"),
    ("WINDOW_CLOSED", "{window}已于 {closes_at} 截止", "The {window} closed at {closes_at}"),
    (
        "WITHIN_TOLERANCE",
        "缺损在允许误差范围内，无需补差",
        "What is spoiled or missing is within the tolerance: no price difference is owed",
    ),
];

/// The templates of a built-in code.
pub fn builtin(code: &str) -> Option<(&'static str, &'static str)> {
    BUILTIN.binary_search_by(|(c, _, _)| (*c).cmp(code)).ok().and_then(|i| BUILTIN.get(i)).map(|(_, zh, en)| (*zh, *en))
}

/// Replaces each `{name}` in `template` by its argument; unknown names stay as written. A
/// template without placeholders is its own text: borrowed, not copied.
#[cfg_attr(aftersale_speed, optimize(speed))]
fn fill<'t>(template: &'t str, args: &[(&str, Arg<'_>)], zh: bool) -> Cow<'t, str> {
    if !template.contains('{') {
        return Cow::Borrowed(template);
    }
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        // `split_at_checked`: `{` is ASCII, so this never fails, and it keeps a panic path out.
        let Some((before, after)) = rest.split_at_checked(open) else { break };
        out.push_str(before);
        match after.find('}') {
            Some(close) => {
                let name = after.get(1..close).unwrap_or_default();
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, arg)) => out.push_str(arg.get(zh)),
                    None => out.push_str(after.get(..=close).unwrap_or_default()),
                }
                rest = after.get(close + 1..).unwrap_or_default();
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Renders `code` with the policy's own texts for it when it has them (they replace the
/// engine's), else the built-in catalogue's, else the code itself.
pub fn render(
    code: crate::wire::text::Text,
    line_id: Option<&crate::wire::text::Text>,
    args: &[(&str, Arg)],
    policy_texts: Option<(&str, &str)>,
) -> Message {
    let (zh, en) = match (policy_texts, builtin(&code)) {
        (None, Some((zh, en))) => (fill(zh, args, true), fill(en, args, false)),
        (texts, _) => {
            let (zh, en) = texts.unwrap_or((&code, &code));
            (Cow::Owned(fill(zh, args, true).into_owned()), Cow::Owned(fill(en, args, false).into_owned()))
        }
    };
    Message { code, line_id: line_id.cloned(), zh, en }
}

wire_struct! {
    /// A text the engine writes in both languages.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Bilingual {
        #[serde(rename = "zh-CN")]
        pub zh: Text,
        pub en: Text,
    }
}

/// Who let an item be refunded without its return, as a message says it.
/// A piece of evidence and how much of it, in both languages.
pub fn evidence_words(what: &str, required: u64) -> (String, String) {
    match what {
        "photos" => (format!("商品照片 {required} 张"), format!("{required} photo(s) of the item")),
        "package_photos" => (format!("包裹照片 {required} 张"), format!("{required} photo(s) of the package")),
        "videos" => (format!("视频 {required} 段"), format!("{required} video(s)")),
        _ => (format!("问题描述至少 {required} 字"), format!("a description of at least {required} characters")),
    }
}

pub fn authority_words(authority: Authority) -> (&'static str, &'static str) {
    match authority {
        Authority::Merchant => ("经商家同意", "the merchant agreed"),
        Authority::Platform => ("经平台判定", "the platform ruled so"),
    }
}

/// The words messages use inside a sentence for the vocabularies they name; the labels forms
/// show (`labels` catalogue) are the same words, capitalised.
pub fn payer_words(payer: Payer) -> (&'static str, &'static str) {
    match payer {
        Payer::Buyer => ("买家", "buyer"),
        Payer::Seller => ("卖家", "seller"),
        Payer::Insurer => ("运费险", "freight insurer"),
        Payer::Platform => ("平台", "platform"),
    }
}

pub fn tier_words(tier: Tier) -> (&'static str, &'static str) {
    match tier {
        Tier::Auto => ("自动", "automatic"),
        Tier::Agent => ("客服", "agent"),
        Tier::Supervisor => ("主管", "supervisor"),
        Tier::OperationsManager => ("运营经理", "operations manager"),
    }
}

pub fn anchor_words(anchor: Anchor) -> (&'static str, &'static str) {
    match anchor {
        Anchor::Placed => ("下单", "order"),
        Anchor::Paid => ("付款", "payment"),
        Anchor::Shipped => ("发货", "shipment"),
        Anchor::Delivered | Anchor::LastParcelDelivered => ("签收", "delivery"),
        Anchor::WarrantyStart => ("保修起算", "warranty start"),
        Anchor::Refused => ("申请被拒", "refusal"),
    }
}

pub fn resolution_words(resolution: Resolution) -> (&'static str, &'static str) {
    match resolution {
        Resolution::Refund => ("退款", "refund"),
        Resolution::Exchange => ("换货", "exchange"),
        Resolution::Repair => ("维修", "repair"),
        Resolution::PriceAdjustment => ("补差价", "price adjustment"),
    }
}

/// A fast track's words: what is released (a refund or a replacement), when, and what happens
/// if the goods do not come back in time.
pub fn fast_track_words(exchange: bool, release: Event, recovery: Recovery) -> [Words; 3] {
    let what = if exchange { ("换货", "exchange") } else { ("退款", "refund") };
    let when = match release {
        Event::Submit => ("提交申请", "as soon as you submit"),
        Event::ShipReturn => ("快递揽收", "once the courier collects the goods"),
        _ => ("商家签收退货", "once the seller receives the goods"),
    };
    let recovery = match recovery {
        Recovery::Clawback => ("追回相应款项", "the amount is taken back"),
        Recovery::Hold => ("冻结相应金额", "as much is held on your account"),
    };
    [what, when, recovery]
}

/// A text in zh-CN and en.
pub type Words = (&'static str, &'static str);

/// The event a timer starts at, as the end of "… after …".
fn event_phrase(event: Event) -> (&'static str, &'static str) {
    match event {
        Event::Submit => ("提交申请", "submission"),
        Event::Approve => ("审核通过", "approval"),
        Event::ReceiveReturn => ("收到退货", "the return is received"),
        Event::PassInspection => ("检验通过", "the inspection passes"),
        Event::Complete => ("完成", "completion"),
        Event::ShipReturn => ("寄回退货", "the return is shipped"),
        _ => ("该事件", "the event"),
    }
}

/// `1 working day`, `30 minutes`, … and `1 个工作日`, `30 分钟`.
fn span_phrase(span: Span) -> (String, String) {
    let plural = |n: i64, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    let (n, zh, en) = match span {
        Span::Minutes(m) if m % 60 == 0 => (m / 60, "小时", plural(m / 60, "hour", "hours")),
        Span::Minutes(m) => (m, "分钟", plural(m, "minute", "minutes")),
        Span::Days(n) => (i64::from(n), "个自然日", plural(i64::from(n), "calendar day", "calendar days")),
        Span::WorkingDays(n) => (i64::from(n), "个工作日", plural(i64::from(n), "working day", "working days")),
        Span::BusinessMinutes(m) if m % 60 == 0 => (m / 60, "个工作小时", plural(m / 60, "business hour", "business hours")),
        Span::BusinessMinutes(m) => (m, "个工作分钟", plural(m, "business minute", "business minutes")),
        Span::Years(n) => (i64::from(n), "年", plural(i64::from(n), "year", "years")),
    };
    (format!("{n} {zh}"), en)
}

/// How a deadline is counted: `1 working day after submission, counted from the next working
/// day, to the end of the last one` / `提交申请后 1 个工作日，自下一个工作日起算，至最后一个工作日结束`.
pub fn deadline_basis(span: Span, after: Event, counting: DayCounting) -> Bilingual {
    let (zh_counting, en_counting) = match (span, counting) {
        (Span::WorkingDays(_), DayCounting::NextDay) => {
            ("，自下一个工作日起算，至最后一个工作日结束", ", counted from the next working day, to the end of the last one")
        }
        (Span::Days(_), DayCounting::NextDay) => {
            ("，自次日起算，至最后一日结束", ", counted from the next day, to the end of the last one")
        }
        (Span::WorkingDays(_), DayCounting::FromEvent) => {
            ("，至最后一个工作日的同一时刻", ", at the same time of day on the last working day")
        }
        _ => ("", ""),
    };
    let ((zh_span, en_span), (zh_event, en_event)) = (span_phrase(span), event_phrase(after));
    Bilingual { zh: format!("{zh_event}后 {zh_span}{zh_counting}").into(), en: format!("{en_span} after {en_event}{en_counting}").into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_code_has_both_languages_and_is_sorted() {
        for pair in BUILTIN.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (code, zh, en) in BUILTIN {
            assert!(!zh.is_empty() && !en.is_empty(), "{code}");
            assert_ne!(zh, en, "{code}: the zh-CN text must be Chinese");
            assert!(zh.chars().any(|c| u32::from(c) > 0x2E80), "{code}: zh-CN text has no Chinese");
            let names = |t: &str| t.matches('{').count();
            assert_eq!(names(zh), names(en), "{code}: both languages use the same values");
        }
    }

    #[test]
    fn templates_fill_per_language() {
        let args = [
            ("window", Arg::Localized { zh: "7 天无理由退货".into(), en: "7-day no-reason return".into() }),
            ("closes_at", Arg::Plain("2026-11-08 23:59".into())),
        ];
        let m = render("WINDOW_CLOSED".into(), Some(&"L1".into()), &args, None);
        assert_eq!(m.zh, "7 天无理由退货已于 2026-11-08 23:59 截止");
        assert_eq!(m.en, "The 7-day no-reason return closed at 2026-11-08 23:59");
    }
}
