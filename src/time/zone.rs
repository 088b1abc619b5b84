//! Where the business's days begin and end: a fixed UTC offset, or a standard offset with the
//! EU's summer time (Directive 2000/84/EC: one hour ahead from 01:00 UTC on the last Sunday of
//! March to 01:00 UTC on the last Sunday of October, in every member state at once). There is
//! no time-zone database: a policy names a zone of [`Zone::named`] or gives a fixed offset.

use super::{civil_from_days, date_from_epoch_days, epoch_days, Instant, Offset, Timestamp, MS_PER_DAY};
use chrono::NaiveDate;

/// The business's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The same offset all year (China, and any `utc_offset`).
    Fixed(Offset),
    /// The standard offset, one hour more in the EU's summer time.
    EuSummer(Offset),
}

/// The zones a policy may name: Greater China's, fixed at +08:00, and UTC; then the EU's and
/// EEA's, and their neighbours on the same rule, by standard offset in minutes, all keeping
/// the EU's summer time. Names separated by spaces (one string each is smaller in the `.wasm`
/// than a table of pairs).
const CHINA: &str = "Asia/Shanghai Asia/Hong_Kong Asia/Macau Asia/Taipei";
const EU: [(i32, &str); 3] = [
    (0, "Europe/Lisbon Europe/Dublin Europe/London Atlantic/Canary Atlantic/Madeira"),
    (
        60,
        "Europe/Amsterdam Europe/Andorra Europe/Berlin Europe/Bratislava Europe/Brussels Europe/Budapest \
         Europe/Copenhagen Europe/Ljubljana Europe/Luxembourg Europe/Madrid Europe/Malta Europe/Monaco Europe/Oslo \
         Europe/Paris Europe/Prague Europe/Rome Europe/Stockholm Europe/Vaduz Europe/Vienna Europe/Warsaw \
         Europe/Zagreb Europe/Zurich",
    ),
    (120, "Europe/Athens Europe/Bucharest Europe/Helsinki Europe/Riga Europe/Sofia Europe/Tallinn Europe/Vilnius Asia/Nicosia"),
];

const HOUR_MS: i64 = 3_600_000;

impl Zone {
    /// UTC all year.
    pub const UTC: Zone = Zone::Fixed(Offset(0));

    /// The zone called `name`: `UTC`, one of [`CHINA`] or one of [`EU`].
    pub fn named(name: &str) -> Option<Zone> {
        if name == "UTC" {
            return Some(Zone::UTC);
        }
        if CHINA.split(' ').any(|n| n == name) {
            return Some(Zone::Fixed(Offset(480)));
        }
        let (minutes, _) = EU.iter().find(|(_, names)| names.split(' ').any(|n| n == name))?;
        Some(Zone::EuSummer(Offset(*minutes)))
    }

    /// The offset local clocks show at `at`.
    pub fn offset_at(self, at: Instant) -> Offset {
        match self {
            Zone::Fixed(offset) => offset,
            Zone::EuSummer(standard) if in_eu_summer_time(at) => Offset(standard.0 + 60),
            Zone::EuSummer(standard) => standard,
        }
    }

    /// Local clock time at `at`, as milliseconds since 1970-01-01T00:00 local.
    pub fn to_local(self, at: Instant) -> i64 {
        at.0.saturating_add(self.offset_at(at).ms())
    }

    /// The instant local clocks show `local` (milliseconds since 1970-01-01T00:00 local). A
    /// time the clocks skip in spring is read at the offset before the change (02:30 becomes
    /// 03:30 summer time); a time they show twice in autumn is the earlier one.
    pub fn from_local(self, local: i64) -> Instant {
        let standard = match self {
            Zone::Fixed(offset) => return Instant(local - offset.ms()),
            Zone::EuSummer(standard) => standard,
        };
        let summer = Instant(local - standard.ms() - HOUR_MS);
        if in_eu_summer_time(summer) {
            return summer;
        }
        Instant(local - standard.ms())
    }
}

/// An instant's local date and clock time in a zone, and back.
impl Instant {
    /// The local calendar date of this instant in `zone`.
    pub fn local_date(self, zone: Zone) -> Option<NaiveDate> {
        date_from_epoch_days(zone.to_local(self).div_euclid(MS_PER_DAY))
    }

    /// The first instant of `date` in `zone` (local midnight).
    pub fn start_of_local_day(date: NaiveDate, zone: Zone) -> Instant {
        zone.from_local(epoch_days(date) * MS_PER_DAY)
    }

    /// The instant `date` shows local clock time `in_day` (milliseconds after midnight).
    pub fn at_local_time(date: NaiveDate, in_day: i64, zone: Zone) -> Instant {
        zone.from_local(epoch_days(date) * MS_PER_DAY + in_day)
    }

    /// Milliseconds after local midnight at this instant, by the local clock.
    pub fn local_time_of_day(self, zone: Zone) -> i64 {
        zone.to_local(self).rem_euclid(MS_PER_DAY)
    }
}

impl Timestamp {
    /// `at` as local clocks in `zone` show it.
    pub fn new(at: Instant, zone: Zone) -> Self {
        Timestamp { at, offset: zone.offset_at(at) }
    }
}

/// Whether `at` is inside the EU's summer time of its year.
fn in_eu_summer_time(at: Instant) -> bool {
    let (year, month, _) = civil_from_days(at.0.div_euclid(MS_PER_DAY));
    if !(3..=10).contains(&month) {
        return false;
    }
    let change = |month: u32| {
        let Some(last) = i32::try_from(year).ok().and_then(|y| NaiveDate::from_ymd_opt(y, month, 31)) else { return 0 };
        let days = epoch_days(last);
        // 1970-01-01 was a Thursday: (days + 4) mod 7 is 0 on a Sunday.
        (days - (days + 4).rem_euclid(7)) * MS_PER_DAY + HOUR_MS
    };
    change(3) <= at.0 && at.0 < change(10)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    fn at(s: &str) -> Instant {
        Instant::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn local_dates_follow_the_zone() {
        let e8 = Zone::Fixed(Offset(480));
        let d = at("2026-11-20T16:30:00Z").local_date(e8).unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
        assert_eq!(Instant::start_of_local_day(d, e8), at("2026-11-21T00:00:00+08:00"));
        let berlin = Zone::named("Europe/Berlin").unwrap();
        let summer = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        assert_eq!(Instant::start_of_local_day(summer, berlin), at("2026-06-14T22:00:00Z"));
        assert_eq!(at("2026-06-14T22:00:00Z").local_date(berlin), Some(summer));
        assert_eq!(Timestamp::new(at("2026-06-14T22:00:00Z"), berlin).to_rfc3339(), "2026-06-15T00:00:00+02:00");
    }

    #[test]
    fn berlin_changes_at_one_utc_on_the_last_sundays() {
        let berlin = Zone::named("Europe/Berlin").unwrap();
        // 2026: 29 March and 25 October.
        assert_eq!(berlin.offset_at(at("2026-03-29T00:59:59.999Z")), Offset(60));
        assert_eq!(berlin.offset_at(at("2026-03-29T01:00:00Z")), Offset(120));
        assert_eq!(berlin.offset_at(at("2026-10-25T00:59:59.999Z")), Offset(120));
        assert_eq!(berlin.offset_at(at("2026-10-25T01:00:00Z")), Offset(60));
        // 2027: 28 March and 31 October (a 31st that is itself the Sunday).
        assert_eq!(berlin.offset_at(at("2027-03-28T01:00:00Z")), Offset(120));
        assert_eq!(berlin.offset_at(at("2027-10-31T00:59:00Z")), Offset(120));
        assert_eq!(berlin.offset_at(at("2027-10-31T01:00:00Z")), Offset(60));
        assert_eq!(berlin.offset_at(at("2027-01-15T12:00:00Z")), Offset(60));
        // The whole EU changes at the same instant.
        let helsinki = Zone::named("Europe/Helsinki").unwrap();
        assert_eq!(helsinki.offset_at(at("2026-03-29T01:00:00Z")), Offset(180));
        assert_eq!(Zone::named("Asia/Shanghai").unwrap().offset_at(at("2026-07-01T00:00:00Z")), Offset(480));
        assert_eq!(Zone::named("Mars/Olympus"), None);
    }

    #[test]
    fn local_times_round_trip_and_skipped_or_repeated_ones_are_read_as_documented() {
        let berlin = Zone::named("Europe/Berlin").unwrap();
        let local = |s: &str| at(&format!("{s}Z")).0;
        for s in ["2026-03-29T01:59:59Z", "2026-03-29T03:00:00Z", "2026-07-01T12:00:00Z", "2026-10-25T03:00:00Z", "2026-12-31T23:59:59Z"] {
            let instant = berlin.from_local(local(&s[..19]));
            assert_eq!(berlin.to_local(instant), local(&s[..19]), "{s}");
        }
        // 02:30 on 29 March 2026 does not exist in Berlin: it is 03:30 summer time (01:30Z).
        assert_eq!(berlin.from_local(local("2026-03-29T02:30:00")), at("2026-03-29T01:30:00Z"));
        // 02:30 on 25 October 2026 happens twice: the first, in summer time (00:30Z).
        assert_eq!(berlin.from_local(local("2026-10-25T02:30:00")), at("2026-10-25T00:30:00Z"));
        assert_eq!(berlin.from_local(local("2026-10-25T03:00:00")), at("2026-10-25T02:00:00Z"));
    }

    #[test]
    fn every_named_zone_is_written_once_and_well() {
        let mut names = vec!["UTC"];
        names.extend(CHINA.split(' '));
        names.extend(EU.iter().flat_map(|(_, n)| n.split(' ')));
        assert_eq!(names.len(), 40);
        assert!(names.iter().all(|n| Zone::named(n).is_some()));
        for (i, name) in names.iter().enumerate() {
            assert!(names[i + 1..].iter().all(|n| n != name), "{name} twice");
            assert!(name.len() > 2 && !name.contains(char::is_whitespace), "`{name}`");
        }
    }
}
