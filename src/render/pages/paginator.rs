//! Listings split over pages (topics, authors, names, outlets, the timeline): their paginator
//! (which page this is, the pages either side, a short window of page links), and [`listing`],
//! the page of cards all of them but the timeline show.

use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::model::BriefId;
use crate::render::Renderer;

#[derive(Serialize)]
pub struct Paginator {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

/// Page `page` (1-based) of a listing of `all` briefs split by the site's `paginate`, as topic,
/// author, entity and outlet pages show it: its `briefs` (cards), the same by month (`months`),
/// and the `paginator`, whose page `n` is at `url(n)`.
pub fn listing(
    r: &Renderer<'_>,
    ctx: &mut Context,
    all: &[BriefId],
    page: usize,
    root: &str,
    url: impl Fn(usize) -> String,
) -> Result<(), Diagnostic> {
    let per = r.site.config.paginate;
    let briefs = super::topic::slice(all, per, page);
    ctx.insert_value("briefs", r.card_list(briefs));
    ctx.insert("months", &r.months(briefs, root)?);
    ctx.insert(
        "paginator",
        &Paginator::new(page, crate::layout::topic_pages(all.len(), per), url),
    );
    Ok(())
}

/// One entry of a paginator's list of pages; `number` and `url` are none for a gap (`…`).
#[derive(Serialize)]
struct PageLink {
    number: Option<usize>,
    url: Option<String>,
    current: bool,
}

impl Paginator {
    /// Page `page` of `total`, where `url` gives the root-relative URL of page `n`.
    pub fn new(page: usize, total: usize, url: impl Fn(usize) -> String) -> Paginator {
        Paginator {
            current: page,
            total,
            prev_url: (page > 1).then(|| url(page - 1)),
            next_url: (page < total).then(|| url(page + 1)),
            pages: page_window(page, total)
                .into_iter()
                .map(|n| PageLink {
                    number: n,
                    url: n.map(&url),
                    current: n == Some(page),
                })
                .collect(),
        }
    }
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
