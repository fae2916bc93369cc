//! `archive/index.html`: every brief, by year and month. Each month holds its briefs' cards and
//! their rows as `partials/archive-item.html` renders them (`items`), made once per brief.

use serde::Serialize;
use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::render::data::{Month, month_key};
use crate::render::{Fragment, Renderer};

#[derive(Serialize)]
struct Year {
    year: i16,
    count: usize,
    months: Vec<Month>,
}

pub fn data(r: &Renderer<'_>, ctx: &mut Context) -> Result<(), Diagnostic> {
    let mut years: Vec<Year> = Vec::new();
    for id in r.site.brief_ids() {
        let date = r.site.brief(id).doc.date.date;
        if years.last().is_none_or(|last| last.year != date.year()) {
            years.push(Year {
                year: date.year(),
                count: 0,
                months: Vec::new(),
            });
        }
        // OK because a year was pushed just above if there was none.
        let year = years.last_mut().expect("a year");
        year.count += 1;
        let key = month_key(date);
        if year.months.last().is_none_or(|last| last.key != key) {
            year.months.push(Month::new(key, date, r.locale));
        }
        let row = r.fragment(id, Fragment::ArchiveRow)?;
        if let Some(month) = year.months.last_mut() {
            month.briefs.push(r.card(id));
            month.items.push(row);
        }
    }
    ctx.insert_value("years", Value::from_serializable(&years));
    Ok(())
}
