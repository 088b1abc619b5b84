//! The time layer: instants, fixed UTC offsets and local calendar dates (here), working-day
//! calendars (`calendar`) and spans such as `1wd` added under them (`span`).
//!
//! The engine never reads a clock or a time-zone database: "now" is an input and the
//! business's offset is policy data. An [`Instant`] is milliseconds since the Unix epoch
//! (UTC); finer fractions in the input are truncated, which keeps every comparison with a
//! whole-millisecond boundary exact.

pub mod calendar;
pub mod span;
pub mod zone;

use chrono::{Datelike, NaiveDate};

const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_DAY: i64 = 86_400_000;
/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// A moment in time: milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

/// A fixed offset from UTC in minutes (`+08:00` is 480).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offset(pub i32);

impl Offset {
    /// Parses `+08:00`, `-05:30` or `Z`.
    pub fn parse(s: &str) -> Result<Offset, &'static str> {
        if s == "Z" {
            return Ok(Offset(0));
        }
        let b = s.as_bytes();
        let sign = match b.first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Err("the offset must be `Z` or start with `+` or `-`"),
        };
        if b.len() != 6 || b.get(3) != Some(&b':') {
            return Err("the offset must look like `+08:00`");
        }
        let hours = digits(b, 1, 2).ok_or("the offset must look like `+08:00`")?;
        let minutes = digits(b, 4, 2).ok_or("the offset must look like `+08:00`")?;
        if hours > 23 || minutes > 59 {
            return Err("the offset is out of range");
        }
        Ok(Offset(sign * (hours * 60 + minutes)))
    }

    fn ms(self) -> i64 {
        i64::from(self.0) * MS_PER_MINUTE
    }

    /// `+08:00` form (UTC is written `+00:00`).
    pub fn to_text(self) -> String {
        let mut out = Stamp::new();
        self.write(&mut out);
        out.as_str().to_owned()
    }

    fn write(self, out: &mut Stamp) {
        out.push(if self.0 < 0 { b'-' } else { b'+' });
        let m = i64::from(self.0).abs();
        push_digits(out, m / 60, 2);
        out.push(b':');
        push_digits(out, m % 60, 2);
    }
}

/// A time written out, on the stack: every part has a fixed width (the year four digits), so
/// the longest, `9999-12-31T23:59:59.999+23:59`, is 29 bytes (a decision writes a dozen; a
/// `Vec` each was an allocation).
#[derive(Debug, Clone, Copy)]
pub struct Stamp {
    bytes: [u8; 32],
    len: usize,
}

impl Stamp {
    fn new() -> Stamp {
        Stamp { bytes: [0; 32], len: 0 }
    }

    fn push(&mut self, b: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }

    /// Only ASCII digits and punctuation are ever pushed.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

/// Reads `len` ASCII digits at `at` as a number.
fn digits(b: &[u8], at: usize, len: usize) -> Option<i32> {
    let slice = b.get(at..at + len)?;
    slice.iter().try_fold(0i32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + i32::from(c - b'0')))
}

/// Days since 1970-01-01 of a calendar date.
pub fn epoch_days(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE
}

/// The calendar date `days` after 1970-01-01, if chrono can represent it.
pub fn date_from_epoch_days(days: i64) -> Option<NaiveDate> {
    let ce = i32::try_from(days.checked_add(UNIX_EPOCH_DAYS_FROM_CE)?).ok()?;
    NaiveDate::from_num_days_from_ce_opt(ce)
}

impl Instant {
    /// Parses an RFC 3339 date-time with a mandatory offset:
    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. Leap seconds and dates that do not
    /// exist (2026-02-29) are refused.
    pub fn parse_rfc3339(s: &str) -> Result<Instant, &'static str> {
        Timestamp::parse(s).map(|t| t.at)
    }
}

impl Timestamp {
    /// Parses an RFC 3339 date-time as [`Instant::parse_rfc3339`] does, keeping its offset.
    pub fn parse(s: &str) -> Result<Timestamp, &'static str> {
        let b = s.as_bytes();
        let shape = "expected the form `YYYY-MM-DDTHH:MM:SS+08:00`";
        if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
            return Err(shape);
        }
        if !matches!(b.get(10), Some(b'T' | b't')) {
            return Err("the date and the time must be separated by `T`");
        }
        let year = digits(b, 0, 4).ok_or(shape)?;
        let month = digits(b, 5, 2).ok_or(shape)?;
        let day = digits(b, 8, 2).ok_or(shape)?;
        let hour = digits(b, 11, 2).ok_or(shape)?;
        let minute = digits(b, 14, 2).ok_or(shape)?;
        let second = digits(b, 17, 2).ok_or(shape)?;
        let mut at = 19;
        let mut millis = 0i64;
        if b.get(at) == Some(&b'.') {
            at += 1;
            let start = at;
            while b.get(at).is_some_and(u8::is_ascii_digit) {
                if at - start < 3 {
                    millis = millis * 10 + i64::from(b.get(at).map_or(0, |c| c - b'0'));
                }
                at += 1;
            }
            if at == start {
                return Err("a fraction of a second needs at least one digit");
            }
            for _ in (at - start)..3 {
                millis *= 10;
            }
        }
        let offset_text = s.get(at..).ok_or(shape)?;
        if offset_text.is_empty() {
            return Err("the offset (`Z` or `+08:00`) is missing");
        }
        let offset = Offset::parse(if offset_text == "z" { "Z" } else { offset_text })?;
        if hour > 23 || minute > 59 || second > 59 {
            return Err("the time of day is out of range");
        }
        let month = u32::try_from(month).map_err(|_| shape)?;
        let day = u32::try_from(day).map_err(|_| shape)?;
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or("that date does not exist")?;
        let local_ms = epoch_days(date) * MS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second) * 1000 + millis;
        let at = Instant(local_ms - offset.ms());
        if !at.is_writable() {
            return Err("the time must be between 0000-01-02 and 9999-12-30 (UTC)");
        }
        Ok(Timestamp { at, offset })
    }
}

/// The first and last instants the engine reads or computes: at every offset their local
/// time has a four-digit year (0000–9999), as RFC 3339 requires.
const FIRST_MS: i64 = -62_167_132_800_000; // 0000-01-02T00:00:00Z
const LAST_MS: i64 = 253_402_214_399_999; // 9999-12-30T23:59:59.999Z

impl Instant {
    /// Whether this instant is within [`FIRST_MS`]..=[`LAST_MS`]: an instant beyond is an
    /// input error where it is read and an overflow where it is computed.
    pub fn is_writable(self) -> bool {
        (FIRST_MS..=LAST_MS).contains(&self.0)
    }

    pub fn checked_add_ms(self, ms: i64) -> Option<Instant> {
        self.0.checked_add(ms).map(Instant)
    }

    /// RFC 3339 at `offset`, with milliseconds only when they are not zero:
    /// `2026-11-20T21:35:00+08:00`, `2026-12-15T23:59:59.999+08:00`. Written digit by digit
    /// (no formatting machinery): every decision writes a dozen of these.
    pub fn to_rfc3339(self, offset: Offset) -> String {
        self.rfc3339(offset).as_str().to_owned()
    }

    /// [`Instant::to_rfc3339`] on the stack.
    #[cfg_attr(aftersale_speed, optimize(speed))]
    pub fn rfc3339(self, offset: Offset) -> Stamp {
        let mut out = Stamp::new();
        let in_day = self.write_local_minute(offset, b'T', &mut out);
        out.push(b':');
        push_digits(&mut out, in_day / 1000 % 60, 2);
        if in_day % 1000 != 0 {
            out.push(b'.');
            push_digits(&mut out, in_day % 1000, 3);
        }
        offset.write(&mut out);
        out
    }

    /// `2026-11-08 23:59` at `offset`: the form used in customer messages.
    pub fn to_local_minute(self, offset: Offset) -> String {
        let mut out = Stamp::new();
        self.write_local_minute(offset, b' ', &mut out);
        out.as_str().to_owned()
    }

    /// The local date and `hh:mm`, joined by `separator`; returns the milliseconds into the day.
    #[cfg_attr(aftersale_speed, optimize(speed))]
    fn write_local_minute(self, offset: Offset, separator: u8, out: &mut Stamp) -> i64 {
        let local = self.0.saturating_add(offset.ms());
        let (year, month, day) = civil_from_days(local.div_euclid(MS_PER_DAY));
        let in_day = local.rem_euclid(MS_PER_DAY);
        push_digits(out, year, 4);
        out.push(b'-');
        push_digits(out, month, 2);
        out.push(b'-');
        push_digits(out, day, 2);
        out.push(separator);
        push_digits(out, in_day / 3_600_000, 2);
        out.push(b':');
        push_digits(out, in_day / 60_000 % 60, 2);
        in_day
    }
}

/// An instant as an answer shows it: RFC 3339 at the offset local clocks showed then. Kept as
/// the instant and written straight into the answer, rather than made into a string first (a
/// decision shows about ten: windows, deadlines, coupons, its own time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub at: Instant,
    pub offset: Offset,
}

impl Timestamp {
    pub fn to_rfc3339(self) -> String {
        self.at.to_rfc3339(self.offset)
    }

    /// `2026-11-08 23:59`: the form used in customer messages.
    pub fn to_local_minute(self) -> String {
        self.at.to_local_minute(self.offset)
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.at.rfc3339(self.offset).as_str())
    }
}

/// What a time that cannot be read is told.
const TIME_HELP: &str = "write times like `2026-11-20T21:05:00+08:00`; the offset is required";

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Timestamp;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an RFC 3339 time string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Timestamp, E> {
                Timestamp::parse(s).map_err(|why| {
                    crate::wire::refusal::refuse(
                        crate::wire::error::Code::InvalidTime,
                        format_args!("expected an RFC 3339 time with an offset, got `{s}`: {why}"),
                        Some(TIME_HELP),
                    )
                })
            }
        }
        d.deserialize_str(Visit)
    }
}

impl<'de> serde::Deserialize<'de> for Instant {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Timestamp::deserialize(d).map(|t| t.at)
    }
}

/// An instant is written at UTC (`Z` as `+00:00`): answers write [`Timestamp`]s, at the
/// policy's offset; this is for Rust callers serializing an input they read.
impl serde::Serialize for Instant {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Timestamp { at: *self, offset: Offset(0) }.serialize(s)
    }
}

#[cfg(feature = "schema")]
fn time_schema() -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$",
        "description": "an RFC 3339 time with its offset, e.g. 2026-11-20T21:05:00+08:00",
    })
}

/// Both time types are one `Time` in the schemas.
#[cfg(feature = "schema")]
macro_rules! time_json_schema {
    ($($t:ty),*) => {$(
        impl schemars::JsonSchema for $t {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                "Time".into()
            }
            fn schema_id() -> std::borrow::Cow<'static, str> {
                "aftersale_rules::Time".into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                time_schema()
            }
        }
    )*};
}

#[cfg(feature = "schema")]
time_json_schema!(Instant, Timestamp);

/// Appends `n` as exactly `width` (2, 3 or 4) decimal digits, zero-padded. In `u32` with
/// constant divisors (one step per width): those compile to multiplications natively and in
/// WebAssembly alike, and a decision writes a few hundred digits.
#[cfg_attr(aftersale_speed, optimize(speed))]
fn push_digits(out: &mut Stamp, n: i64, width: usize) {
    let n = u32::try_from(n.rem_euclid(10_000)).unwrap_or(0);
    if width >= 4 {
        out.push(digit(n / 1000));
    }
    if width >= 3 {
        out.push(digit(n / 100));
    }
    out.push(digit(n / 10));
    out.push(digit(n));
}

/// The last decimal digit of `d`.
#[inline(always)]
fn digit(d: u32) -> u8 {
    b'0' + u8::try_from(d % 10).unwrap_or(0)
}

/// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`): integer arithmetic only.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A non-negative span of time in milliseconds, from literals such as `7d`, `72h`, `30min`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub i64);

impl Duration {
    pub const MINUTE: i64 = MS_PER_MINUTE;
    pub const HOUR: i64 = 60 * MS_PER_MINUTE;
    pub const DAY: i64 = MS_PER_DAY;

    /// Parses `30min`, `72h`, `7d` (a whole number and a unit).
    pub fn parse(s: &str) -> Option<Duration> {
        let split = s.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = s.split_at_checked(split)?;
        let n = i64::try_from(crate::wire::number::digits(n)?).ok()?;
        let per = match unit {
            "min" => Self::MINUTE,
            "h" => Self::HOUR,
            "d" => Self::DAY,
            _ => return None,
        };
        n.checked_mul(per).map(Duration)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Instant {
        Instant::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn a_timestamp_is_its_rfc3339_text_and_its_minute_a_slice_of_it() {
        for ms in (0..1_000i64).map(|k| -3_000_000_000_000 + k * 7_777_777_777) {
            for offset in [Offset(0), Offset(480), Offset(-330), Offset(-90)] {
                let stamp = Timestamp { at: Instant(ms + 999), offset };
                let text = stamp.at.to_rfc3339(offset);
                assert_eq!(stamp.to_rfc3339(), text);
                assert_eq!(stamp.to_string(), text);
                assert_eq!(serde_json::to_string(&stamp).unwrap(), format!("\"{text}\""));
                assert_eq!(stamp.to_local_minute(), format!("{} {}", &text[..10], &text[11..16]), "{text}");
            }
        }
    }

    #[test]
    fn civil_dates_agree_with_chrono_over_centuries() {
        for days in (-800_000i64..800_000).step_by(7) {
            let date = date_from_epoch_days(days).unwrap();
            let want = (i64::from(date.year()), i64::from(date.month()), i64::from(date.day()));
            assert_eq!(civil_from_days(days), want, "day {days}");
        }
    }

    #[test]
    fn rfc3339_writing_round_trips() {
        for text in
            ["2026-11-20T21:35:00+08:00", "2026-12-15T23:59:59.999+08:00", "1970-01-01T00:00:00.001-05:30", "2028-02-29T00:00:00+00:00"]
        {
            let at = t(text);
            let offset = Offset::parse(&text[text.len() - 6..]).unwrap();
            assert_eq!(at.to_rfc3339(offset), text);
        }
        assert_eq!(t("2026-11-08T23:59:59.999+08:00").to_local_minute(Offset(480)), "2026-11-08 23:59");
    }

    #[test]
    fn offsets_and_fractions() {
        assert_eq!(t("1970-01-01T08:00:00+08:00"), Instant(0));
        assert_eq!(t("1970-01-01T00:00:00Z"), Instant(0));
        assert_eq!(t("1970-01-01T00:00:00.1239Z"), Instant(123));
        assert_eq!(t("2026-11-20T13:05:00Z"), t("2026-11-20T21:05:00+08:00"));
        let e8 = Offset(480);
        assert_eq!(t("2026-11-20T16:00:00Z").to_rfc3339(e8), "2026-11-21T00:00:00+08:00");
        assert_eq!(Instant(t("2026-12-16T00:00:00+08:00").0 - 1).to_rfc3339(e8), "2026-12-15T23:59:59.999+08:00");
        assert_eq!(t("2026-11-08T15:59:00Z").to_local_minute(e8), "2026-11-08 23:59");
        assert_eq!(t("1969-12-31T23:59:59.500-01:30").to_rfc3339(Offset(-90)), "1969-12-31T23:59:59.500-01:30");
    }

    #[test]
    fn refuses_what_is_not_rfc3339_with_an_offset() {
        for bad in [
            "2026-11-20T21:05:00",
            "2026-11-20 21:05:00+08:00",
            "2026-02-29T00:00:00+08:00",
            "2026-11-20T24:00:00+08:00",
            "2026-11-20T23:59:60+08:00",
            "2026-11-20T21:05:00.+08:00",
            "2026-11-20T21:05:00+0800",
            "2026-11-20T21:05:00+24:00",
            "20261120T210500Z",
            "",
            // Beyond the instants every offset writes with a four-digit year.
            "0000-01-01T23:59:59Z",
            "9999-12-31T00:00:00Z",
            "0000-01-02T00:00:00+01:00",
        ] {
            assert!(Instant::parse_rfc3339(bad).is_err(), "{bad}");
        }
        assert!(Instant::parse_rfc3339("2024-02-29T00:00:00+08:00").is_ok());
        // The first and last instants, written at the widest offsets, keep four-digit years.
        let (first, last) = (t("0000-01-02T00:00:00Z"), t("9999-12-30T23:59:59.999Z"));
        assert_eq!(first.to_rfc3339(Offset(-(23 * 60 + 59))), "0000-01-01T00:01:00-23:59");
        assert_eq!(last.to_rfc3339(Offset(23 * 60 + 59)), "9999-12-31T23:58:59.999+23:59");
        assert!(!Instant(first.0 - 1).is_writable() && !Instant(last.0 + 1).is_writable());
    }

    #[test]
    fn durations_parse() {
        assert_eq!(Duration::parse("30min"), Some(Duration(30 * 60_000)));
        assert_eq!(Duration::parse("7d"), Some(Duration(7 * 86_400_000)));
        assert_eq!(Duration::parse("7w"), None);
    }
}
