//! `topics/<slug>/index.html` and its further pages: a topic's introduction and its briefs,
//! paginated.

use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::layout::{self, topic_page_url};
use crate::model::{BriefId, TopicId};
use crate::render::Renderer;

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

/// One entry of a paginator's list of pages; `number` and `url` are none for a gap (`…`).
#[derive(Serialize)]
struct PageLink {
    number: Option<usize>,
    url: Option<String>,
    current: bool,
}

/// The briefs on page `page` (1-based) of a topic.
pub fn slice(briefs: &[BriefId], paginate: usize, page: usize) -> &[BriefId] {
    let start = (page.saturating_sub(1) * paginate).min(briefs.len());
    &briefs[start..(start + paginate).min(briefs.len())]
}

pub fn data(
    r: &Renderer<'_>,
    ctx: &mut Context,
    t: TopicId,
    page: usize,
    root: &str,
) -> Result<(), Diagnostic> {
    let topic = r.site.topic(t);
    let per = r.site.config.paginate;
    let total = layout::topic_pages(topic.briefs.len(), per);
    let briefs = slice(&topic.briefs, per, page);
    let slug = topic.slug();
    ctx.insert("topic", &super::topic_data(r, t));
    ctx.insert_value("briefs", r.card_list(briefs));
    ctx.insert("months", &r.months(briefs, root)?);
    ctx.insert(
        "paginator",
        &Paginator {
            current: page,
            total,
            prev_url: (page > 1).then(|| topic_page_url(slug, page - 1)),
            next_url: (page < total).then(|| topic_page_url(slug, page + 1)),
            pages: page_window(page, total)
                .into_iter()
                .map(|n| PageLink {
                    number: n,
                    url: n.map(|n| topic_page_url(slug, n)),
                    current: n == Some(page),
                })
                .collect(),
        },
    );
    Ok(())
}

/// The page numbers a paginator lists: the first, the last, and two either side of the current
/// one, with `None` for each gap. Listing every page would make each page's size grow with the
/// number of pages, and the build quadratic in a topic's briefs.
fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    const SIDE: usize = 2;
    let near = current.saturating_sub(SIDE).max(1)..=(current + SIDE).min(total);
    let mut shown: Vec<usize> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(total))
        .collect();
    shown.dedup();
    let mut out = Vec::with_capacity(shown.len() + 2);
    let mut last = 0;
    for n in shown {
        if n > last + 1 {
            // A gap of one page shows that page rather than an ellipsis.
            out.push((n == last + 2).then_some(last + 1));
        }
        out.push(Some(n));
        last = n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn page_window_shows_ends_and_neighbours_with_gaps() {
        let w = |c, t| page_window(c, t);
        assert_eq!(w(1, 1), vec![Some(1)]);
        assert_eq!(w(2, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(w(1, 10), vec![Some(1), Some(2), Some(3), None, Some(10)]);
        assert_eq!(
            w(6, 12),
            vec![
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(12)
            ]
        );
        // A gap of exactly one page shows the page itself.
        assert_eq!(
            w(4, 7),
            vec![
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7)
            ]
        );
        assert_eq!(w(10, 10), vec![Some(1), None, Some(8), Some(9), Some(10)]);
        // The list stays short however many pages there are.
        assert!(w(5_000, 10_000).len() <= 9);
    }
}
