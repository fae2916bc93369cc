//! `corrections/index.html`: every correction across the site, newest first, each linking its
//! brief. Newsrooms publish such a page so readers can see what was got wrong and put right.

use serde::Serialize;
use tera::{Context, Value};

use crate::parse::UpdateKind;
use crate::render::Renderer;
use crate::render::data::{display_date, stamp};

#[derive(Serialize)]
struct Correction<'a> {
    datetime: String,
    date_display: String,
    /// The correction's text as inline HTML (sanitised when the brief was parsed).
    html: &'a str,
    /// The corrected brief's card.
    brief: Value,
}

pub fn data(r: &Renderer<'_>, ctx: &mut Context) {
    let site = r.site;
    let mut list: Vec<(jiff::Timestamp, Correction<'_>)> = Vec::new();
    for id in site.brief_ids() {
        let b = site.brief(id);
        for u in &b.doc.updates {
            if u.kind == UpdateKind::Correction {
                list.push((
                    u.date.timestamp,
                    Correction {
                        datetime: stamp(&u.date),
                        date_display: display_date(r.locale, &u.date),
                        html: &u.html,
                        brief: r.card(id),
                    },
                ));
            }
        }
    }
    // Newest first; briefs come newest first already, and the sort is stable.
    list.sort_by_key(|c| std::cmp::Reverse(c.0));
    let corrections: Vec<Correction<'_>> = list.into_iter().map(|(_, c)| c).collect();
    ctx.insert_value("corrections", Value::from_serializable(&corrections));
}
