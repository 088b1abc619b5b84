//! Spans of time as policies write them, and adding them to an instant under a calendar:
//! `30min` and `72h` (natural time), `7d` (calendar days), `1wd` (working days), `8bh`
//! (business hours), `2y` (calendar years).

use crate::time::calendar::{Calendar, CalendarError};
use crate::time::zone::Zone;
use crate::time::Instant;
use crate::wire::error::{overflow, Code, Diagnostic};
use crate::wire::wire_enum;
use chrono::{Datelike, Days, NaiveDate};

wire_enum! {
    /// Where a day-based span starts and ends.
    #[derive(Default)]
    pub enum DayCounting {
        /// From the event's instant: `7d` is 168 hours; `1wd` is the same local time on the
        /// next working day.
        #[default]
        FromEvent = "from_event",
        /// Whole days counted from the day after the event, ending at the end of the last
        /// day (23:59:59.999 local): the Chinese rule (签收次日起算), and for working days
        /// "counted from the next working day".
        NextDay = "next_day",
    }
}

/// A span as written in a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Minutes(i64),
    Days(u32),
    WorkingDays(u32),
    BusinessMinutes(i64),
    Years(u32),
}

/// A deadline: its last moment, and whether a calendar counted it over days it only knows
/// by rule (a year whose 调休 are not announced yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Due {
    pub at: Instant,
    pub provisional: bool,
}

impl Due {
    /// A deadline no calendar counted.
    pub fn exact(at: Instant) -> Due {
        Due { at, provisional: false }
    }
}

/// Why a span cannot be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanError {
    Calendar(CalendarError),
    /// Working days or business hours under a policy without a calendar (caught at compile).
    NoCalendar,
    Overflow,
}

impl SpanError {
    /// This error as an input error at `path`.
    pub fn at(self, path: &str, cal: Option<&Calendar>) -> Diagnostic {
        match (self, cal) {
            (SpanError::Calendar(CalendarError::NoBusinessHours), Some(cal)) => {
                Diagnostic::new(Code::MissingField, path, format!("the calendar `{}` has no business hours", cal.id))
                    .with_help("add `business_hours` to the policy's calendar")
            }
            _ => overflow(path),
        }
    }
}

impl From<CalendarError> for SpanError {
    fn from(e: CalendarError) -> Self {
        SpanError::Calendar(e)
    }
}

impl Span {
    /// Parses `30min`, `72h`, `7d`, `1wd`, `8bh`, `2y`.
    pub fn parse(s: &str) -> Option<Span> {
        let split = s.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = s.split_at_checked(split)?;
        let n = crate::wire::number::digits(n).filter(|n| *n <= 100_000).and_then(|n| u32::try_from(n).ok())?;
        let wide = i64::from(n);
        // Zero working days or business hours would mean "the next working moment", not "no
        // time": such a span says nothing a policy should say.
        if n == 0 && matches!(unit, "wd" | "bh") {
            return None;
        }
        Some(match unit {
            "min" => Span::Minutes(wide),
            "h" => Span::Minutes(wide * 60),
            "d" => Span::Days(n),
            "wd" => Span::WorkingDays(n),
            "bh" => Span::BusinessMinutes(wide * 60),
            "y" => Span::Years(n),
            _ => return None,
        })
    }

    /// The calendar days adding the span may visit (one step each), given how many days one
    /// working day may take to count and how many business minutes a working day has; 1 for
    /// the spans computed at once.
    pub fn work(self, days_per_working_day: u64, business_minutes_per_day: u64) -> u64 {
        match self {
            Span::WorkingDays(n) => u64::from(n).saturating_mul(days_per_working_day).saturating_add(2),
            Span::BusinessMinutes(m) => {
                let days = u64::try_from(m).unwrap_or(0).div_ceil(business_minutes_per_day.max(1));
                days.saturating_add(1).saturating_mul(days_per_working_day).saturating_add(2)
            }
            Span::Minutes(_) | Span::Days(_) | Span::Years(_) => 1,
        }
    }

    /// Whether adding the span needs a calendar.
    pub fn needs_calendar(self) -> bool {
        matches!(self, Span::WorkingDays(_) | Span::BusinessMinutes(_))
    }

    /// The deadline `self` after `start`. For [`DayCounting::NextDay`] the result is the last
    /// moment of the final day (its end is inclusive).
    pub fn add(self, start: Instant, counting: DayCounting, cal: Option<&Calendar>, zone: Zone) -> Result<Due, SpanError> {
        let local_day = || start.local_date(zone).ok_or(SpanError::Overflow);
        let end_of = |day: NaiveDate| -> Result<Instant, SpanError> {
            let next = day.succ_opt().ok_or(SpanError::Overflow)?;
            Ok(Instant(Instant::start_of_local_day(next, zone).0 - 1))
        };
        // The same local clock time: 10:00 seven days later is 10:00, across a change of offset.
        let same_time_on =
            |day: NaiveDate| -> Result<Instant, SpanError> { Ok(Instant::at_local_time(day, start.local_time_of_day(zone), zone)) };
        let on_day = |day: NaiveDate| match counting {
            DayCounting::FromEvent => same_time_on(day),
            DayCounting::NextDay => end_of(day),
        };
        let due = match self {
            Span::Minutes(m) => {
                Due::exact(start.checked_add_ms(m.checked_mul(60_000).ok_or(SpanError::Overflow)?).ok_or(SpanError::Overflow)?)
            }
            Span::Days(n) => Due::exact(on_day(local_day()?.checked_add_days(Days::new(u64::from(n))).ok_or(SpanError::Overflow)?)?),
            Span::WorkingDays(n) => {
                let (day, provisional) = cal.ok_or(SpanError::NoCalendar)?.working_day_after(local_day()?, n)?;
                Due { at: on_day(day)?, provisional }
            }
            Span::BusinessMinutes(m) => {
                let (at, provisional) = cal.ok_or(SpanError::NoCalendar)?.add_business_minutes(start, m, zone)?;
                Due { at, provisional }
            }
            Span::Years(n) => {
                let day = local_day()?;
                let year = day.year().checked_add(i32::try_from(n).map_err(|_| SpanError::Overflow)?).ok_or(SpanError::Overflow)?;
                // 29 February moves to 28 February in a common year.
                let target = NaiveDate::from_ymd_opt(year, day.month(), day.day())
                    .or_else(|| NaiveDate::from_ymd_opt(year, day.month(), day.day() - 1))
                    .ok_or(SpanError::Overflow)?;
                Due::exact(same_time_on(target)?)
            }
        };
        if !due.at.is_writable() {
            return Err(SpanError::Overflow);
        }
        Ok(due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Instant {
        Instant::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn spans_parse_and_add() {
        let e8 = Zone::Fixed(crate::time::Offset(480));
        let o8 = crate::time::Offset(480);
        let cal = crate::time::calendar::doc::builtin("cn").unwrap();
        let at = t("2026-11-20T23:50:00+08:00");
        let add = |s: &str, c| Span::parse(s).unwrap().add(at, c, Some(&cal), e8).unwrap().at.to_rfc3339(o8);
        assert_eq!(add("30min", DayCounting::FromEvent), "2026-11-21T00:20:00+08:00");
        assert_eq!(add("7d", DayCounting::FromEvent), "2026-11-27T23:50:00+08:00");
        assert_eq!(add("7d", DayCounting::NextDay), "2026-11-27T23:59:59.999+08:00");
        assert_eq!(add("1wd", DayCounting::NextDay), "2026-11-23T23:59:59.999+08:00");
        assert_eq!(add("1wd", DayCounting::FromEvent), "2026-11-23T23:50:00+08:00");
        assert_eq!(add("1bh", DayCounting::FromEvent), "2026-11-23T10:00:00+08:00");
        let leap = t("2028-02-29T10:00:00+08:00");
        assert_eq!(Span::Years(2).add(leap, DayCounting::FromEvent, None, e8).unwrap().at.to_rfc3339(o8), "2030-02-28T10:00:00+08:00");
        assert_eq!(Span::parse("1wd").unwrap().add(at, DayCounting::NextDay, None, e8), Err(SpanError::NoCalendar));
        // Across the end of summer time in Berlin: the same clock time, the local end of day.
        let berlin = Zone::named("Europe/Berlin").unwrap();
        let before = t("2026-10-20T10:00:00+02:00");
        let add = |s: &str, c| Span::parse(s).unwrap().add(before, c, None, berlin).unwrap().at;
        assert_eq!(add("7d", DayCounting::FromEvent), t("2026-10-27T10:00:00+01:00"));
        assert_eq!(add("7d", DayCounting::NextDay), t("2026-10-27T23:59:59.999+01:00"));
        assert_eq!(add("168h", DayCounting::FromEvent), t("2026-10-27T09:00:00+01:00"));
        assert_eq!(Span::parse("3w"), None);
        assert_eq!(Span::parse("0wd"), None);
    }
}
