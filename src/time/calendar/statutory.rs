//! China's statutory public holidays (全国年节及纪念日放假办法), for the days a calendar's
//! announced data does not cover. The State Council announces each year's holiday blocks and
//! make-up working days (调休) late in the year before; beyond them, the days the law itself
//! makes holidays are known, the 调休 are not, so a deadline counted over them is provisional.
//!
//! Each date follows the version of the law in force that year:
//!
//! | from | 元旦 | 春节 | 清明 | 劳动节 | 端午 | 中秋 | 国庆 |
//! | --- | --- | --- | --- | --- | --- | --- | --- |
//! | 2025 (2024 amendment) | 1 Jan | 除夕 – 初三 | 1 day | 1–2 May | 1 day | 1 day | 1–3 Oct |
//! | 2014 (2013 amendment) | 1 Jan | 初一 – 初三 | 1 day | 1 May | 1 day | 1 day | 1–3 Oct |
//! | 2008 (2007 amendment) | 1 Jan | 除夕 – 初二 | 1 day | 1 May | 1 day | 1 day | 1–3 Oct |
//! | earlier (1999 version) | 1 Jan | 初一 – 初三 | — | 1–3 May | — | — | 1–3 Oct |
//!
//! Lunar dates and 清明 come from a table computed at build time (build.rs, with tyme4rs) for
//! 1990–2099; outside it only the fixed-date holidays are known.

use chrono::{Datelike, Days, NaiveDate};

include!(concat!(env!("OUT_DIR"), "/cn_lunar.rs"));

/// The lunar holidays and 清明 of one year, as dates.
struct Festivals {
    new_year: NaiveDate,
    qingming: NaiveDate,
    dragon_boat: NaiveDate,
    mid_autumn: NaiveDate,
}

fn festivals(year: i32) -> Option<Festivals> {
    let row = *FESTIVALS.get(usize::try_from(year.checked_sub(FIRST_YEAR)?).ok()?)?;
    let after = |month: u32, day: u32, shift: u16| {
        NaiveDate::from_ymd_opt(year, month, day)?.checked_add_days(Days::new(u64::from(row >> shift & 31)))
    };
    Some(Festivals {
        new_year: after(1, 21, 0)?,
        qingming: NaiveDate::from_ymd_opt(year, 4, 4 + u32::from(row >> 15))?,
        dragon_boat: after(5, 27, 5)?,
        mid_autumn: after(9, 7, 10)?,
    })
}

/// Whether `date` is a statutory public holiday under the law in force in its year.
pub fn is_holiday(date: NaiveDate) -> bool {
    let (year, month, day) = (date.year(), date.month(), date.day());
    let fixed = match (month, day) {
        (1, 1) | (10, 1..=3) | (5, 1) => true,
        (5, 2) => !(2008..2025).contains(&year),
        (5, 3) => year < 2008,
        _ => false,
    };
    if fixed {
        return true;
    }
    let Some(f) = festivals(year) else { return false };
    // The Spring Festival block, as days from 初一 (除夕 is -1).
    let (first, last) = match year {
        2025.. => (-1, 2),
        2014..=2024 => (0, 2),
        2008..=2013 => (-1, 1),
        _ => (0, 2),
    };
    let from_new_year = date.signed_duration_since(f.new_year).num_days();
    if (first..=last).contains(&from_new_year) {
        return true;
    }
    year >= 2008 && (date == f.qingming || date == f.dragon_boat || date == f.mid_autumn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_lunar_dates_are_the_announced_ones() {
        // 国务院办公厅 holiday notices: 春节 (初一), 清明, 端午, 中秋.
        for (year, spring, qingming, dragon, autumn) in [
            (2008, "2008-02-07", "2008-04-04", "2008-06-08", "2008-09-14"),
            (2014, "2014-01-31", "2014-04-05", "2014-06-02", "2014-09-08"),
            (2020, "2020-01-25", "2020-04-04", "2020-06-25", "2020-10-01"),
            (2024, "2024-02-10", "2024-04-04", "2024-06-10", "2024-09-17"),
            (2025, "2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06"),
            (2026, "2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25"),
            (2027, "2027-02-06", "2027-04-05", "2027-06-09", "2027-09-15"),
        ] {
            let f = festivals(year).unwrap();
            assert_eq!((f.new_year, f.qingming, f.dragon_boat, f.mid_autumn), (d(spring), d(qingming), d(dragon), d(autumn)), "{year}");
        }
        assert_eq!(FESTIVALS.len(), 110);
        assert!(festivals(1989).is_none() && festivals(2100).is_none() && festivals(1990).is_some() && festivals(2099).is_some());
    }

    #[test]
    fn each_year_follows_the_law_in_force() {
        // 2027 (2024 amendment): 除夕 to 初三, 1–2 May.
        for day in
            ["2027-01-01", "2027-02-05", "2027-02-06", "2027-02-08", "2027-04-05", "2027-05-02", "2027-06-09", "2027-09-15", "2027-10-03"]
        {
            assert!(is_holiday(d(day)), "{day}");
        }
        for day in ["2027-02-04", "2027-02-09", "2027-05-03", "2027-10-04", "2027-01-02"] {
            assert!(!is_holiday(d(day)), "{day}");
        }
        // 2024 (2013 amendment): 初一 to 初三, 1 May only; 除夕 (9 Feb) is not a statutory holiday.
        assert!(!is_holiday(d("2024-02-09")) && is_holiday(d("2024-02-10")) && is_holiday(d("2024-02-12")));
        assert!(!is_holiday(d("2024-05-02")));
        // 2010 (2007 amendment): 除夕 to 初二.
        assert!(is_holiday(d("2010-02-13")) && is_holiday(d("2010-02-15")) && !is_holiday(d("2010-02-16")));
        // 2005 (1999 version): 1–3 May, no 清明.
        assert!(is_holiday(d("2005-05-03")) && !is_holiday(d("2005-04-05")));
        // Beyond the table: the fixed dates only.
        assert!(is_holiday(d("2300-10-02")) && !is_holiday(d("2300-02-01")) && is_holiday(d("1985-05-03")));
    }
}
