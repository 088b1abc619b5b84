//! Working-day calendars: weekends, public holidays, make-up working days (调休) and business
//! hours, as policy data. The official mainland-China calendar for 2025 and 2026 is built in
//! (`cn.json`); a policy may carry its own years, and adds next year's the day it is announced.
//!
//! A date outside every year a calendar covers still has an answer: its calendar says what
//! holds beyond its years (`beyond`): China's statutory holidays (`statutory`), or weekends
//! alone. Such a day is provisional (the 调休 of an unannounced year are unknown), and so is
//! every deadline counted over one; a calendar with no holidays at all is exact everywhere.

pub mod doc;
pub mod statutory;

use crate::time::zone::Zone;
use crate::time::Instant;
use crate::wire::wire_enum;
use chrono::{Datelike, NaiveDate, Weekday};

wire_enum! {
    /// What a calendar holds for the years it does not list.
    #[derive(Default)]
    pub enum Beyond {
        /// Weekends are rest days, every other day a working day.
        #[default]
        Weekends = "weekends",
        /// China's statutory public holidays under the law in force each year, and weekends.
        CnStatutory = "cn-statutory",
    }
}

/// A day as a calendar sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub working: bool,
    /// Known by the rule for years the calendar does not list, not by announced data.
    pub provisional: bool,
}

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
    /// Rest days of the week, Monday first.
    weekend: [bool; 7],
    beyond: Beyond,
    /// Whether days beyond the listed years are only as known as the rule for them.
    beyond_provisional: bool,
    pub business_hours: Option<BusinessHours>,
}

/// Why a calendar computation has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarError {
    /// Business hours were asked of a calendar that has none.
    NoBusinessHours,
    /// Past the representable range of dates, or a year without a working day.
    Overflow,
}

/// Consecutive rest days after which counting gives up: more than any calendar of the law
/// has, and the bound on the work one count does.
const MAX_REST_RUN: u32 = 366;

const MINUTE_MS: i64 = 60_000;

impl Calendar {
    /// Builds a calendar from the working status of every day of each year, its weekend and
    /// what holds beyond its years (`exact_beyond`: its years list no holiday nor make-up day,
    /// so weekends alone are no guess).
    pub fn new(
        id: String,
        mut years: Vec<(i32, Vec<bool>)>,
        weekend: [bool; 7],
        beyond: Beyond,
        exact_beyond: bool,
        business_hours: Option<BusinessHours>,
    ) -> Calendar {
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
        let beyond_provisional = !(exact_beyond && beyond == Beyond::Weekends);
        Calendar { id, years, weekend, beyond, beyond_provisional, business_hours }
    }

    /// The most calendar days counting one working day may step through: the longest run of
    /// rest days the calendar has, plus the working day (capped where counting gives up).
    pub fn days_per_working_day(&self) -> u64 {
        let mut longest = 0u32;
        for y in &self.years {
            let mut run = 0u32;
            for i in 0..366usize {
                let working = y.working.get(i / 64).is_some_and(|word| word & (1 << (i % 64)) != 0);
                run = if working { 0 } else { run + 1 };
                longest = longest.max(run);
            }
        }
        // Beyond the years: the weekend around the week, and a statutory holiday week on it.
        let (_, weekend) = (0..14usize).fold((0u32, 0u32), |(run, best), d| {
            let run = if self.weekend.get(d % 7).copied().unwrap_or(false) { run + 1 } else { 0 };
            (run, best.max(run))
        });
        let holidays = if self.beyond == Beyond::CnStatutory { 7 } else { 0 };
        u64::from(longest.max(weekend + holidays).min(MAX_REST_RUN)) + 1
    }

    /// Whether `date` is a working day, and whether that is provisional.
    pub fn day(&self, date: NaiveDate) -> Result<Day, CalendarError> {
        if let Some(year) = self.years.iter().find(|y| y.year == date.year()) {
            let i = usize::try_from(date.ordinal0()).map_err(|_| CalendarError::Overflow)?;
            let working = year.working.get(i / 64).is_some_and(|word| word & (1 << (i % 64)) != 0);
            return Ok(Day { working, provisional: false });
        }
        let weekend = self.weekend.get(usize::try_from(date.weekday().num_days_from_monday()).unwrap_or(0)).copied().unwrap_or(false);
        let holiday = self.beyond == Beyond::CnStatutory && statutory::is_holiday(date);
        Ok(Day { working: !weekend && !holiday, provisional: self.beyond_provisional })
    }

    /// The `n`-th working day after `date` (`n` = 0: `date` itself if it is a working day,
    /// else the next one), and whether any day counted was provisional.
    pub fn working_day_after(&self, date: NaiveDate, n: u32) -> Result<(NaiveDate, bool), CalendarError> {
        let mut day = date;
        let mut provisional = false;
        let mut rest_run = 0;
        let mut left = n;
        let mut first = n == 0;
        loop {
            if !first {
                day = day.succ_opt().ok_or(CalendarError::Overflow)?;
            }
            first = false;
            let d = self.day(day)?;
            provisional |= d.provisional;
            if d.working {
                rest_run = 0;
                if left <= 1 {
                    return Ok((day, provisional));
                }
                left -= 1;
            } else {
                rest_run += 1;
                if rest_run > MAX_REST_RUN {
                    return Err(CalendarError::Overflow);
                }
            }
        }
    }

    /// Adds `minutes` of business time to `start`: time counts only inside business hours on
    /// working days, so a deadline that runs past closing continues the next business morning.
    /// Also whether any day counted was provisional.
    pub fn add_business_minutes(&self, start: Instant, minutes: i64, zone: Zone) -> Result<(Instant, bool), CalendarError> {
        let hours = self.business_hours.ok_or(CalendarError::NoBusinessHours)?;
        let (open, close) = (i64::from(hours.open), i64::from(hours.close));
        let mut day = start.local_date(zone).ok_or(CalendarError::Overflow)?;
        // Local clock time at which counting starts (fractions of a minute are kept).
        let mut at_ms = start.local_time_of_day(zone);
        let mut left_ms = minutes.checked_mul(MINUTE_MS).ok_or(CalendarError::Overflow)?;
        let (mut provisional, mut rest_run) = (false, 0);
        // Bounded: every turn ends, uses up business time, or is a rest day of a bounded run.
        loop {
            let d = self.day(day)?;
            provisional |= d.provisional;
            if d.working {
                rest_run = 0;
                let from = at_ms.max(open * MINUTE_MS);
                let until = close * MINUTE_MS;
                if from < until {
                    if from + left_ms <= until {
                        return Ok((Instant::at_local_time(day, from + left_ms, zone), provisional));
                    }
                    left_ms -= until - from;
                }
            } else {
                rest_run += 1;
                if rest_run > MAX_REST_RUN {
                    return Err(CalendarError::Overflow);
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
        let working = |s: &str| cal.day(d(s)).unwrap().working;
        assert!(working("2026-02-13")); // Friday
        assert!(working("2026-02-14")); // Saturday, make-up day
        assert!(!working("2026-02-15"));
        assert!(!working("2026-02-23")); // Monday, still holiday
        assert!(working("2026-02-24"));
        assert!(working("2026-02-28")); // Saturday, make-up day
        assert!(!cal.day(d("2026-02-24")).unwrap().provisional);
        assert_eq!(cal.working_day_after(d("2026-02-13"), 1).unwrap(), (d("2026-02-14"), false));
        assert_eq!(cal.working_day_after(d("2026-02-14"), 1).unwrap(), (d("2026-02-24"), false));
    }

    #[test]
    fn beyond_its_years_a_calendar_follows_its_rule_provisionally() {
        let cal = cn();
        // 2027: 春节 from 除夕 (5 Feb, a Friday) to 初三 (8 Feb, a Monday), no 调休 known.
        assert_eq!(cal.day(d("2027-02-05")).unwrap(), Day { working: false, provisional: true });
        assert_eq!(cal.day(d("2027-02-09")).unwrap(), Day { working: true, provisional: true });
        assert_eq!(cal.working_day_after(d("2027-02-04"), 1).unwrap(), (d("2027-02-09"), true));
        // The last announced day to the first provisional one.
        assert_eq!(cal.working_day_after(d("2026-12-31"), 1).unwrap(), (d("2027-01-04"), true));
        assert_eq!(cal.working_day_after(d("2026-12-30"), 1).unwrap(), (d("2026-12-31"), false));
        // 2024, before the data: 初一 to 初三 (10–12 Feb) under the 2013 amendment.
        assert_eq!(cal.working_day_after(d("2024-02-09"), 1).unwrap(), (d("2024-02-13"), true));
        // A calendar without holidays is exact everywhere.
        let eu = doc::builtin("eu-weekends").unwrap();
        assert_eq!(eu.day(d("2031-12-25")).unwrap(), Day { working: true, provisional: false });
    }

    #[test]
    fn business_minutes_roll_to_the_next_business_morning() {
        let cal = cn();
        let e8 = Zone::Fixed(crate::time::Offset(480));
        let t = |s: &str| Instant::parse_rfc3339(s).unwrap();
        assert_eq!(cal.add_business_minutes(t("2026-11-20T17:50:00+08:00"), 30, e8).unwrap(), (t("2026-11-23T09:20:00+08:00"), false));
        assert_eq!(cal.add_business_minutes(t("2026-11-20T07:00:00+08:00"), 30, e8).unwrap(), (t("2026-11-20T09:30:00+08:00"), false));
        assert_eq!(cal.add_business_minutes(t("2026-09-30T17:00:00+08:00"), 120, e8).unwrap(), (t("2026-10-08T10:00:00+08:00"), false));
        assert_eq!(cal.add_business_minutes(t("2026-12-31T17:00:00+08:00"), 120, e8).unwrap(), (t("2027-01-04T10:00:00+08:00"), true));
    }
}
