//! `timeline/index.html` and its further pages: every brief on one dated line, newest first,
//! paginated like topic pages; and `timeline/<topic>/index.html`: one topic's, whole, on one
//! page to read or print. Each page groups its briefs by month, marking where a year starts, and shows of each
//! brief what its card says of it in brief: date, title, status and topics.

use serde::Serialize;
use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::layout::{self, timeline_page_url, topic_timeline_url};
use crate::model::{BriefId, TopicId};
use crate::render::Renderer;
use crate::render::data::{month_key, month_label};

use super::paginator::Paginator;
use super::topic::range;

/// What the page is the timeline of.
#[derive(Serialize)]
struct TimelineData {
    /// The topic, on a topic's timeline; none on the site's.
    topic: Option<Value>,
    /// How many briefs the whole timeline holds, over all its pages.
    count: usize,
    /// Root-relative URL of the site's timeline.
    site_url: String,
}

/// The briefs of one calendar month on a page.
#[derive(Serialize)]
struct TimelineMonth {
    /// `YYYY-MM`, a valid `<time datetime>`.
    key: String,
    /// "March 2025".
    label: String,
    /// The year, on the page's first month and on each month of another year than the one
    /// before it: where the line crosses into a year.
    year: Option<i16>,
    /// The briefs' cards.
    briefs: Vec<Value>,
    /// The same briefs as HTML from `partials/timeline-entry.html`.
    entries: Vec<Value>,
}

/// A link to a topic's timeline, in the list of them on the site timeline's first page.
#[derive(Serialize)]
struct TimelineLink<'a> {
    title: &'a str,
    url: String,
}

/// The site's timeline, page `page`.
pub fn site(
    r: &Renderer<'_>,
    ctx: &mut Context,
    page: usize,
    root: &str,
) -> Result<(), Diagnostic> {
    let site = r.site;
    let per = site.config.paginate;
    let total = layout::topic_pages(site.briefs.len(), per);
    let ids: Vec<BriefId> = range(site.briefs.len(), per, page)
        .map(BriefId::new)
        .collect();
    insert(r, ctx, None, site.briefs.len(), &ids, root)?;
    ctx.insert("paginator", &Paginator::new(page, total, timeline_page_url));
    // On the first page only, like a topic's introduction: on every page, the list would make
    // the timeline's size grow with topics times pages.
    let links: Vec<TimelineLink<'_>> = if page == 1 {
        site.topics
            .iter()
            .map(|t| TimelineLink {
                title: t.title(),
                url: topic_timeline_url(t.slug()),
            })
            .collect()
    } else {
        Vec::new()
    };
    ctx.insert("topic_timelines", &links);
    Ok(())
}

/// A topic's timeline: all its briefs on one page, the topic's whole chronology.
pub fn topic(
    r: &Renderer<'_>,
    ctx: &mut Context,
    t: TopicId,
    root: &str,
) -> Result<(), Diagnostic> {
    let topic = r.site.topic(t);
    insert(r, ctx, Some(t), topic.briefs.len(), &topic.briefs, root)?;
    ctx.insert("topic_timelines", &[] as &[TimelineLink<'_>]);
    let url = topic_timeline_url(topic.slug());
    ctx.insert("paginator", &Paginator::new(1, 1, |_| url.clone()));
    Ok(())
}

/// What both kinds of timeline page show besides their paginator.
fn insert(
    r: &Renderer<'_>,
    ctx: &mut Context,
    t: Option<TopicId>,
    count: usize,
    ids: &[BriefId],
    root: &str,
) -> Result<(), Diagnostic> {
    ctx.insert(
        "timeline",
        &TimelineData {
            topic: t.map(|t| r.topic_ref(t)),
            count,
            site_url: timeline_page_url(1),
        },
    );
    ctx.insert_value("months", Value::from_serializable(&months(r, ids, root)?));
    Ok(())
}

/// The briefs (newest first) grouped by calendar month, each month knowing whether it opens a
/// year on the page.
fn months(r: &Renderer<'_>, ids: &[BriefId], root: &str) -> Result<Vec<TimelineMonth>, Diagnostic> {
    let mut months: Vec<TimelineMonth> = Vec::new();
    let mut year = None;
    for &id in ids {
        let date = r.site.brief(id).doc.date.date;
        let key = month_key(date);
        if months.last().is_none_or(|last| last.key != key) {
            let new_year = year != Some(date.year());
            year = Some(date.year());
            months.push(TimelineMonth {
                label: month_label(r.locale, date),
                key,
                year: new_year.then_some(date.year()),
                briefs: Vec::new(),
                entries: Vec::new(),
            });
        }
        let entry = r.timeline_entry(id, root)?;
        if let Some(month) = months.last_mut() {
            month.briefs.push(r.card(id));
            month.entries.push(entry);
        }
    }
    Ok(months)
}
