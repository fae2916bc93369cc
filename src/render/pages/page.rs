//! `pages/<slug>/index.html`: a free page.

use serde::Serialize;
use tera::Context;

use crate::markdown::TocEntry;
use crate::model::PageId;
use crate::render::Renderer;

#[derive(Serialize)]
struct PageData<'a> {
    title: &'a str,
    slug: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    content: &'a str,
    toc: &'a [TocEntry],
}

pub fn data(r: &Renderer<'_>, ctx: &mut Context, p: PageId) {
    let page = r.site.page(p);
    ctx.insert(
        "page",
        &PageData {
            title: page.title(),
            slug: page.slug(),
            url: &page.url,
            summary: page.doc.summary.as_deref(),
            content: page.body.html(),
            toc: &page.body.rendered.toc,
        },
    );
}
