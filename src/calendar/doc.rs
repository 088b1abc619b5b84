//! Calendar documents: a built-in id (`"cn"`), or an object with weekend days, business
//! hours and years of holidays and make-up working days, optionally extending a built-in.

use super::{weekday_from_wire, BusinessHours, Calendar, BUILTIN};
use crate::error::{Code, Diagnostic, Errors};
use crate::json::decode::{wrong_type, Decode, Decoder, Obj, Path};
use crate::json::{self, Value};
use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearDoc {
    pub year: i32,
    /// Dates (`2026-10-01`) or inclusive ranges (`2026-10-01..2026-10-07`).
    pub holidays: Vec<String>,
    /// Make-up working days (调休): weekend days that are worked.
    pub workdays: Vec<String>,
}
crate::json::json_object!(YearDoc { "year" => year, "holidays" => holidays, "workdays" => workdays });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursDoc {
    pub open: String,
    pub close: String,
}
crate::json::json_object!(HoursDoc { "open" => open, "close" => close });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDoc {
    pub id: String,
    pub extends: Option<String>,
    pub weekend: Vec<String>,
    pub business_hours: Option<HoursDoc>,
    pub years: Vec<YearDoc>,
}
crate::json::json_object!(CalendarDoc { "id" => id, "extends" => extends, "weekend" => weekend, "business_hours" => business_hours, "years" => years });

/// The most years a calendar may hold.
pub const MAX_YEARS: usize = 50;

impl<'a> Decode<'a> for YearDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let year = o.req::<i64>(d, "year");
        let holidays = o.or(d, "holidays", Vec::new());
        let workdays = o.or(d, "workdays", Vec::new());
        o.finish(d);
        let year = year.and_then(|y| match i32::try_from(y) {
            Ok(y) if (1970..=9999).contains(&y) => Some(y),
            _ => {
                d.error(Code::InvalidInteger, &path.key("year"), format!("`{y}` is not a year from 1970 to 9999"), None);
                None
            }
        });
        Some(YearDoc { year: year?, holidays: holidays?, workdays: workdays? })
    }
}

impl<'a> Decode<'a> for HoursDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let open = o.req(d, "open");
        let close = o.req(d, "close");
        o.finish(d);
        Some(HoursDoc { open: open?, close: close? })
    }
}

impl<'a> Decode<'a> for CalendarDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let id = o.req(d, "id");
        let extends = o.opt(d, "extends");
        let weekend = o.or(d, "weekend", vec!["sat".to_owned(), "sun".to_owned()]);
        let business_hours = o.opt(d, "business_hours");
        let years = o.or(d, "years", Vec::new());
        o.finish(d);
        Some(CalendarDoc { id: id?, extends: extends.ok()?, weekend: weekend?, business_hours: business_hours.ok()?, years: years? })
    }
}

/// A policy's `calendar`: a built-in id, or a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarSpec {
    Builtin(String),
    Inline(CalendarDoc),
}

impl crate::json::ToJson for CalendarSpec {
    fn write_json(&self, out: &mut crate::json::Out) {
        match self {
            CalendarSpec::Builtin(id) => id.write_json(out),
            CalendarSpec::Inline(doc) => doc.write_json(out),
        }
    }
}

impl<'a> Decode<'a> for CalendarSpec {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        match v {
            Value::String(id) => Some(CalendarSpec::Builtin(id.to_string())),
            Value::Object(_) => CalendarDoc::decode(d, v, path).map(CalendarSpec::Inline),
            _ => {
                wrong_type(d, v, path, "a calendar id or a calendar object");
                None
            }
        }
    }
    fn schema(defs: &mut crate::schema::Defs) -> crate::schema::Json {
        use crate::schema::Json;
        let ids = Json::one_of_strings(&BUILTIN.iter().map(|(id, _)| *id).collect::<Vec<_>>());
        Json::Obj(vec![("anyOf".into(), Json::Arr(vec![ids, CalendarDoc::schema(defs)]))])
    }
}

fn builtin_doc(id: &str, path: &str) -> Result<CalendarDoc, Errors> {
    let Some((_, text)) = BUILTIN.iter().find(|(name, _)| *name == id) else {
        let ids: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        return Err(vec![Diagnostic::new(Code::UnknownReference, path, format!("unknown calendar `{id}`"))
            .with_help(format!("built-in calendars: {}", ids.join(", ")))]);
    };
    let value = json::parse(text, id, crate::policy::compile::POLICY_LIMITS).map_err(|e| vec![e])?;
    let mut d = Decoder::default();
    let doc = CalendarDoc::decode(&mut d, &value, &Path::Root(id));
    d.finish(doc)
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
    let num = |r: std::ops::Range<usize>| s.get(r).filter(|t| t.bytes().all(|c| c.is_ascii_digit())).and_then(|t| t.parse::<u32>().ok());
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

fn parse_minutes(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 1440).then_some(h * 60 + m)
}

/// Compiles a resolved calendar document; `path` names it in errors.
pub fn compile(doc: &CalendarDoc, path: &str) -> Result<Calendar, Errors> {
    let mut errors = Errors::new();
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
    if doc.years.len() > MAX_YEARS {
        errors.push(Diagnostic::new(Code::LimitExceeded, format!("{path}.years"), format!("at most {MAX_YEARS} years")));
        return Err(errors);
    }
    let mut years = Vec::with_capacity(doc.years.len());
    for (yi, y) in doc.years.iter().enumerate() {
        let ypath = format!("{path}.years[{yi}]");
        if doc.years.iter().take(yi).any(|earlier| earlier.year == y.year) {
            errors.push(Diagnostic::new(Code::DuplicateId, format!("{ypath}.year"), format!("the year {} is given twice", y.year)));
            continue;
        }
        let (Some(first), Some(next)) = (NaiveDate::from_ymd_opt(y.year, 1, 1), NaiveDate::from_ymd_opt(y.year + 1, 1, 1)) else {
            continue;
        };
        let mut days: Vec<bool> = first
            .iter_days()
            .take_while(|day| *day < next)
            .map(|day| weekend.get(usize::try_from(day.weekday().num_days_from_monday()).unwrap_or(0)).is_some_and(|w| !w))
            .collect();
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
                    let was_weekend =
                        weekend.get(usize::try_from(day.weekday().num_days_from_monday()).unwrap_or(0)).copied().unwrap_or(false);
                    if !was_weekend {
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
        years.push((y.year, days));
    }
    if years.is_empty() && errors.is_empty() {
        errors.push(Diagnostic::new(Code::MissingField, format!("{path}.years"), "a calendar needs at least one year"));
    }
    if errors.is_empty() {
        Ok(Calendar::new(doc.id.clone(), years, business_hours))
    } else {
        Err(errors)
    }
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
