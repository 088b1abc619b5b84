//! Calendar documents: a built-in id (`"cn"`), or an object with weekend days, business
//! hours and years of holidays and make-up working days, optionally extending a built-in.

use super::{weekday_from_wire, Beyond, BusinessHours, Calendar, BUILTIN};
use crate::wire::error::{Code, Diagnostic, Errors};
use crate::wire::json::at_most;
use crate::wire::limits::{MAX_DATES, MAX_YEARS, POLICY_LIMITS};
use crate::wire::number::Whole;
use crate::wire::wire_struct;
use chrono::{Datelike, NaiveDate};

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct YearDoc {
        #[serde(deserialize_with = "year")]
        #[cfg_attr(feature = "schema", schemars(range(min = 1970, max = 9999)))]
        pub year: i32,
        /// Dates (`2026-10-01`) or inclusive ranges (`2026-10-01..2026-10-07`).
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_DATES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_DATES)))]
        pub holidays: Vec<String>,
        /// Make-up working days (调休): weekend days that are worked.
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_DATES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_DATES)))]
        pub workdays: Vec<String>,
    }
}

/// A calendar year: from 1970 to 9999.
fn year<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    const YEAR: Whole = Whole { what: "a year", code: Code::InvalidInteger, min: 1970, max: 9999, help: None };
    YEAR.read(d).map(|y| i32::try_from(y).unwrap_or(1970))
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct HoursDoc {
        pub open: String,
        pub close: String,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct CalendarDoc {
        pub id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub extends: Option<String>,
        /// Weekend days: `sat`, `sun` unless said otherwise.
        #[serde(default = "weekend", deserialize_with = "weekend_days")]
        #[cfg_attr(feature = "schema", schemars(length(max = 7)))]
        pub weekend: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub business_hours: Option<HoursDoc>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_YEARS>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_YEARS)))]
        pub years: Vec<YearDoc>,
        /// What holds in the years not listed (days counted there are provisional unless
        /// the calendar lists no holiday at all): weekends alone unless said otherwise.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub beyond: Option<Beyond>,
    }
}

fn weekend() -> Vec<String> {
    vec!["sat".to_owned(), "sun".to_owned()]
}

/// The weekend as written: at most the seven days.
fn weekend_days<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    at_most::<_, _, 7>(d)
}

/// A policy's `calendar`: a built-in id, or a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarSpec {
    Builtin(String),
    Inline(CalendarDoc),
}

impl serde::Serialize for CalendarSpec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CalendarSpec::Builtin(id) => s.serialize_str(id),
            CalendarSpec::Inline(doc) => doc.serialize(s),
        }
    }
}

impl<'de> serde::Deserialize<'de> for CalendarSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = CalendarSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a calendar id or a calendar object")
            }
            fn visit_str<E: serde::de::Error>(self, id: &str) -> Result<CalendarSpec, E> {
                Ok(CalendarSpec::Builtin(id.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<CalendarSpec, A::Error> {
                serde::Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(CalendarSpec::Inline)
            }
        }
        d.deserialize_any(Visit)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for CalendarSpec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CalendarSpec".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let ids: Vec<&str> = BUILTIN.iter().map(|(id, _)| *id).collect();
        let doc = generator.subschema_for::<CalendarDoc>();
        schemars::json_schema!({ "anyOf": [{ "type": "string", "enum": ids }, doc] })
    }
}

fn builtin_doc(id: &str, path: &str) -> Result<CalendarDoc, Errors> {
    let Some((_, text)) = BUILTIN.iter().find(|(name, _)| *name == id) else {
        let ids: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        return Err(vec![Diagnostic::new(Code::UnknownReference, path, format!("unknown calendar `{id}`"))
            .with_help(format!("built-in calendars: {}", ids.join(", ")))]);
    };
    crate::wire::json::read(text, id, Some(id), POLICY_LIMITS)
}

/// Resolves a spec to a full document: built-ins are loaded, `extends` merged (the
/// document's own years replace the built-in's for the same year).
pub fn resolve(spec: &CalendarSpec, path: &str) -> Result<CalendarDoc, Errors> {
    match spec {
        CalendarSpec::Builtin(id) => builtin_doc(id, path),
        CalendarSpec::Inline(doc) => {
            let Some(base_id) = &doc.extends else { return Ok(doc.clone()) };
            let mut base = builtin_doc(base_id, &format!("{path}.extends"))?;
            for year in &doc.years {
                base.years.retain(|y| y.year != year.year);
                base.years.push(year.clone());
            }
            base.years.sort_by_key(|y| y.year);
            base.id.clone_from(&doc.id);
            base.extends.clone_from(&doc.extends);
            base.weekend.clone_from(&doc.weekend);
            if doc.beyond.is_some() {
                base.beyond = doc.beyond;
            }
            if doc.business_hours.is_some() {
                base.business_hours.clone_from(&doc.business_hours);
            }
            Ok(base)
        }
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(crate::wire::number::digits).and_then(|n| u32::try_from(n).ok());
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

fn parse_minutes(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let number = |t: &str| crate::wire::number::digits(t).and_then(|n| u32::try_from(n).ok());
    let (h, m) = (number(h)?, number(m)?);
    (h <= 24 && m < 60 && h * 60 + m <= 1440).then_some(h * 60 + m)
}

/// Compiles a resolved calendar document; `path` names it in errors.
pub fn compile(doc: &CalendarDoc, path: &str) -> Result<Calendar, Errors> {
    let mut errors = Errors::new();
    let weekend = weekend_mask(doc, path, &mut errors);
    let business_hours = doc.business_hours.as_ref().and_then(|h| match (parse_minutes(&h.open), parse_minutes(&h.close)) {
        (Some(open), Some(close)) if open < close => Some(BusinessHours { open, close }),
        _ => {
            errors.push(
                Diagnostic::new(Code::InvalidValue, format!("{path}.business_hours"), "business hours need `open` before `close`")
                    .with_help("write `{\"open\": \"09:00\", \"close\": \"18:00\"}`"),
            );
            None
        }
    });
    let mut years = Vec::with_capacity(doc.years.len());
    for (yi, y) in doc.years.iter().enumerate() {
        let ypath = format!("{path}.years[{yi}]");
        if doc.years.iter().take(yi).any(|earlier| earlier.year == y.year) {
            errors.push(Diagnostic::new(Code::DuplicateId, format!("{ypath}.year"), format!("the year {} is given twice", y.year)));
            continue;
        }
        if let Some(days) = working_days(y, &weekend, &ypath, &mut errors) {
            years.push((y.year, days));
        }
    }
    if years.is_empty() && errors.is_empty() {
        errors.push(Diagnostic::new(Code::MissingField, format!("{path}.years"), "a calendar needs at least one year"));
    }
    if weekend.iter().all(|rest| *rest) {
        errors.push(
            Diagnostic::new(Code::InvalidValue, format!("{path}.weekend"), "every day of the week is a weekend day")
                .with_help("a calendar needs working days: list at most six weekend days"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let exact_beyond = doc.years.iter().all(|y| y.holidays.is_empty() && y.workdays.is_empty());
    Ok(Calendar::new(doc.id.clone(), years, weekend, doc.beyond.unwrap_or_default(), exact_beyond, business_hours))
}

/// The weekend days, Monday first.
fn weekend_mask(doc: &CalendarDoc, path: &str, errors: &mut Errors) -> [bool; 7] {
    let mut weekend = [false; 7];
    for (i, name) in doc.weekend.iter().enumerate() {
        match weekday_from_wire(name) {
            Some(day) => {
                if let Some(slot) = weekend.get_mut(usize::try_from(day.num_days_from_monday()).unwrap_or(0)) {
                    *slot = true;
                }
            }
            None => errors.push(
                Diagnostic::new(Code::InvalidValue, format!("{path}.weekend[{i}]"), format!("unknown weekday `{name}`"))
                    .with_help("weekdays: mon, tue, wed, thu, fri, sat, sun"),
            ),
        }
    }
    weekend
}

fn is_weekend(weekend: &[bool; 7], day: NaiveDate) -> bool {
    weekend.get(usize::try_from(day.weekday().num_days_from_monday()).unwrap_or(0)).copied().unwrap_or(false)
}

/// Whether each day of the year `y` is a working day: not a weekend day unless a make-up
/// working day, not a holiday.
fn working_days(y: &YearDoc, weekend: &[bool; 7], ypath: &str, errors: &mut Errors) -> Option<Vec<bool>> {
    let (first, next) = (NaiveDate::from_ymd_opt(y.year, 1, 1)?, NaiveDate::from_ymd_opt(y.year + 1, 1, 1)?);
    let mut days: Vec<bool> = first.iter_days().take_while(|day| *day < next).map(|day| !is_weekend(weekend, day)).collect();
    let index = |date: NaiveDate| usize::try_from(date.ordinal0()).unwrap_or(0);
    for (i, spec) in y.holidays.iter().enumerate() {
        // `2026-10-01..2026-10-07`: two dates of ten characters around the `..`.
        let range = match (spec.get(..10), spec.get(10..12), spec.get(12..)) {
            (Some(a), Some(".."), Some(b)) => parse_date(a).zip(parse_date(b)),
            _ => parse_date(spec).map(|d| (d, d)),
        };
        match range {
            Some((a, b)) if a.year() == y.year && b.year() == y.year && a <= b => {
                for day in a.iter_days().take_while(|day| *day <= b) {
                    if let Some(slot) = days.get_mut(index(day)) {
                        *slot = false;
                    }
                }
            }
            _ => errors.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    format!("{ypath}.holidays[{i}]"),
                    format!("`{spec}` is not a date or range in {}", y.year),
                )
                .with_help("write `2026-10-01` or `2026-10-01..2026-10-07`"),
            ),
        }
    }
    for (i, spec) in y.workdays.iter().enumerate() {
        match parse_date(spec) {
            Some(day) if day.year() == y.year => {
                if !is_weekend(weekend, day) {
                    errors.push(Diagnostic::new(
                        Code::InvalidValue,
                        format!("{ypath}.workdays[{i}]"),
                        format!("`{spec}` is a weekday; make-up working days are weekend days"),
                    ));
                }
                if let Some(slot) = days.get_mut(index(day)) {
                    *slot = true;
                }
            }
            _ => errors.push(
                Diagnostic::new(Code::InvalidValue, format!("{ypath}.workdays[{i}]"), format!("`{spec}` is not a date in {}", y.year))
                    .with_help("write `2026-02-14`"),
            ),
        }
    }
    Some(days)
}

/// A built-in calendar, compiled.
pub fn builtin(id: &str) -> Result<Calendar, Errors> {
    compile(&builtin_doc(id, "calendar")?, id)
}

/// Resolves and compiles a policy's calendar, returning the resolved document (for the hash) too.
pub fn compile_spec(spec: &CalendarSpec, path: &str) -> Result<(CalendarDoc, Calendar), Errors> {
    // A policy's own years are checked as written, so errors point at its own indices.
    if let CalendarSpec::Inline(own) = spec {
        if !own.years.is_empty() {
            compile(own, path)?;
        }
    }
    let doc = resolve(spec, path)?;
    let cal = compile(&doc, path)?;
    Ok((doc, cal))
}
