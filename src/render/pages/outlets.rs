//! `sources/index.html`: every source outlet briefs cite, most cited first, with the number of
//! briefs citing each.

use serde::Serialize;
use tera::Context;

use crate::render::Renderer;

#[derive(Serialize)]
struct OutletListItem<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
}

pub fn data(r: &Renderer<'_>, ctx: &mut Context) {
    let mut list: Vec<OutletListItem> = r
        .site
        .outlets
        .iter()
        .map(|o| OutletListItem {
            name: &o.name,
            slug: &o.slug,
            url: &o.url,
            count: o.briefs.len(),
        })
        .collect();
    // Most cited first; then by name as readers see it, the slug settling the rest.
    list.sort_by_cached_key(|o| (std::cmp::Reverse(o.count), o.name.to_lowercase(), o.slug));
    ctx.insert("outlets", &list);
}
