//! `sources/<slug>/index.html` and its further pages: the briefs citing one source outlet,
//! newest first, as cards, paginated like a topic's.

use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::layout::outlet_page_url;
use crate::model::OutletId;
use crate::render::Renderer;

use super::paginator::listing;

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
    ctx.insert(
        "outlet",
        &OutletData {
            name: &outlet.name,
            slug: &outlet.slug,
            url: &outlet.url,
            count: outlet.briefs.len(),
        },
    );
    let slug = &outlet.slug;
    listing(r, ctx, &outlet.briefs, page, root, |n| {
        outlet_page_url(slug, n)
    })?;
    Ok(())
}
