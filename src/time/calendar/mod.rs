//! Working-day calendars: weekends, public holidays, make-up
//! working days (调休) and business hours, as policy data. The official mainland-China
//! calendar for 2025 and 2026 is built in (`cn.json`); a policy may carry its own years.
//!
//! A date outside every year a calendar covers is an error, never a guess: holidays are
//! announced a year at a time, so a deadline past the data cannot be known.

pub mod doc;

use crate::time::{Instant, Offset};
use chrono::{Datelike, NaiveDate, Weekday};

/// The working days of one year: bit `i` is day-of-year `i` (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
struct YearDays {
    year: i32,
    working: [u64; 6],
}

/// Opening hours on working days, in minutes after local midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusinessHours {
    pub open: u32,
    pub close: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub id: String,
    /// Sorted by year, no duplicates.
    years: Vec<YearDays>,
    pub business_hours: Option<BusinessHours>,
}

/// Why a calendar computation has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarError {
    /// The date is in a year the calendar does not cover.
    NotCovered(NaiveDate),
    /// Business hours were asked of a calendar that has none.
    NoBusinessHours,
    /// Past the representable range of dates.
    Overflow,
}

impl CalendarError {
    pub fn message(self, calendar: &Calendar) -> String {
        match self {
            CalendarError::NotCovered(date) => {
                format!("{date} is outside the years the calendar `{}` covers ({})", calendar.id, calendar.covered_years())
            }
            CalendarError::NoBusinessHours => format!("the calendar `{}` has no business hours", calendar.id),
            CalendarError::Overflow => "the date is out of range".to_owned(),
        }
    }
}

const MINUTE_MS: i64 = 60_000;

impl Calendar {
    /// Builds a calendar from the working status of every day of each year.
    pub fn new(id: String, mut years: Vec<(i32, Vec<bool>)>, business_hours: Option<BusinessHours>) -> Calendar {
        years.sort_by_key(|(y, _)| *y);
        years.dedup_by_key(|(y, _)| *y);
        let years = years
            .into_iter()
            .map(|(year, days)| {
                let mut working = [0u64; 6];
                for (i, _) in days.iter().enumerate().filter(|(_, working)| **working) {
                    if let Some(word) = working.get_mut(i / 64) {
                        *word |= 1 << (i % 64);
                    }
                }
                YearDays { year, working }
            })
            .collect();
        Calendar { id, years, business_hours }
    }

    /// `2025–2026`, or the list of years when they are not contiguous.
    pub fn covered_years(&self) -> String {
        let years: Vec<i32> = self.years.iter().map(|y| y.year).collect();
        match (years.first(), years.last()) {
            (Some(a), Some(b)) if i64::from(*b - *a) + 1 == i64::try_from(years.len()).unwrap_or(0) => format!("{a}-{b}"),
            _ => {
                let texts: Vec<String> = years.iter().map(i32::to_string).collect();
                texts.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
            }
        }
    }

    pub fn is_working(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let year = self.years.iter().find(|y| y.year == date.year()).ok_or(CalendarError::NotCovered(date))?;
        let i = usize::try_from(date.ordinal0()).map_err(|_| CalendarError::Overflow)?;
        Ok(year.working.get(i / 64).is_some_and(|word| word & (1 << (i % 64)) != 0))
    }

    /// The `n`-th working day after `date` (`n` = 0: `date` itself if it is a working day,
    /// else the next one).
    pub fn working_day_after(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        let mut left = n;
        if n == 0 {
            while !self.is_working(day)? {
                day = day.succ_opt().ok_or(CalendarError::Overflow)?;
            }
            return Ok(day);
        }
        while left > 0 {
            day = day.succ_opt().ok_or(CalendarError::Overflow)?;
            if self.is_working(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// Adds `minutes` of business time to `start`: time counts only inside business hours on
    /// working days, so a deadline that runs past closing continues the next business morning.
    pub fn add_business_minutes(&self, start: Instant, minutes: i64, offset: Offset) -> Result<Instant, CalendarError> {
        let hours = self.business_hours.ok_or(CalendarError::NoBusinessHours)?;
        let (open, close) = (i64::from(hours.open), i64::from(hours.close));
        let mut day = start.local_date(offset).ok_or(CalendarError::Overflow)?;
        let day_start = Instant::start_of_local_day(day, offset);
        // Minute of the local day at which counting starts (fractions of a minute are kept).
        let mut at_ms = start.0 - day_start.0;
        let mut left_ms = minutes.checked_mul(MINUTE_MS).ok_or(CalendarError::Overflow)?;
        // Bounded: every turn either ends or moves to a later day inside the calendar's years.
        loop {
            if self.is_working(day)? {
                let from = at_ms.max(open * MINUTE_MS);
                let until = close * MINUTE_MS;
                if from < until {
                    if from + left_ms <= until {
                        return Ok(Instant(Instant::start_of_local_day(day, offset).0 + from + left_ms));
                    }
                    left_ms -= until - from;
                }
            }
            day = day.succ_opt().ok_or(CalendarError::Overflow)?;
            at_ms = 0;
        }
    }
}

/// Weekday names in calendar data.
pub fn weekday_from_wire(name: &str) -> Option<Weekday> {
    Some(match name {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// The built-in calendars: `(id, document)`.
/// `eu-weekends` knows no public holidays, which are national: extend it with a member
/// state's (`{"extends": "eu-weekends", "years": [...]}`).
pub const BUILTIN: &[(&str, &str)] = &[
    ("cn", include_str!(concat!(env!("OUT_DIR"), "/cn.json"))),
    ("eu-weekends", include_str!(concat!(env!("OUT_DIR"), "/eu-weekends.json"))),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn cn() -> Calendar {
        doc::builtin("cn").unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_official_2026_spring_festival() {
        let cal = cn();
        assert!(cal.is_working(d("2026-02-13")).unwrap()); // Friday
        assert!(cal.is_working(d("2026-02-14")).unwrap()); // Saturday, make-up day
        assert!(!cal.is_working(d("2026-02-15")).unwrap());
        assert!(!cal.is_working(d("2026-02-23")).unwrap()); // Monday, still holiday
        assert!(cal.is_working(d("2026-02-24")).unwrap());
        assert!(cal.is_working(d("2026-02-28")).unwrap()); // Saturday, make-up day
        assert_eq!(cal.working_day_after(d("2026-02-13"), 1).unwrap(), d("2026-02-14"));
        assert_eq!(cal.working_day_after(d("2026-02-14"), 1).unwrap(), d("2026-02-24"));
        assert_eq!(cal.is_working(d("2027-01-04")), Err(CalendarError::NotCovered(d("2027-01-04"))));
        assert_eq!(cal.covered_years(), "2025-2026");
    }

    #[test]
    fn business_minutes_roll_to_the_next_business_morning() {
        let cal = cn();
        let e8 = Offset(480);
        let t = |s: &str| Instant::parse_rfc3339(s).unwrap();
        assert_eq!(cal.add_business_minutes(t("2026-11-20T17:50:00+08:00"), 30, e8).unwrap(), t("2026-11-23T09:20:00+08:00"));
        assert_eq!(cal.add_business_minutes(t("2026-11-20T07:00:00+08:00"), 30, e8).unwrap(), t("2026-11-20T09:30:00+08:00"));
        assert_eq!(cal.add_business_minutes(t("2026-09-30T17:00:00+08:00"), 120, e8).unwrap(), t("2026-10-08T10:00:00+08:00"));
    }
}
