//! `sources/<slug>/index.html` and its further pages: the briefs citing one source outlet,
//! newest first, as cards, paginated like a topic's.

use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::layout::{self, outlet_page_url};
use crate::model::OutletId;
use crate::render::Renderer;

use super::paginator::Paginator;
use super::topic::slice;

#[derive(Serialize)]
struct OutletData<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
}

pub fn data(
    r: &Renderer<'_>,
    ctx: &mut Context,
    o: OutletId,
    page: usize,
    root: &str,
) -> Result<(), Diagnostic> {
    let outlet = r.site.outlet(o);
    let per = r.site.config.paginate;
    let total = layout::topic_pages(outlet.briefs.len(), per);
    let briefs = slice(&outlet.briefs, per, page);
    ctx.insert(
        "outlet",
        &OutletData {
            name: &outlet.name,
            slug: &outlet.slug,
            url: &outlet.url,
            count: outlet.briefs.len(),
        },
    );
    ctx.insert_value("briefs", r.card_list(briefs));
    ctx.insert("months", &r.months(briefs, root)?);
    let slug = &outlet.slug;
    ctx.insert(
        "paginator",
        &Paginator::new(page, total, |n| outlet_page_url(slug, n)),
    );
    Ok(())
}
