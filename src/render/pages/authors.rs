//! `authors/index.html`: every author, with their role and number of briefs.

use serde::Serialize;
use tera::Context;

use crate::render::Renderer;

#[derive(Serialize)]
struct AuthorListItem<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    role: Option<&'a str>,
    count: usize,
}

pub fn data(r: &Renderer<'_>, ctx: &mut Context) {
    let list: Vec<AuthorListItem> = r
        .site
        .authors
        .iter()
        .map(|a| AuthorListItem {
            name: &a.name,
            slug: &a.slug,
            url: &a.url,
            role: a.profile.as_ref().and_then(|p| p.doc.role.as_deref()),
            count: a.briefs.len(),
        })
        .collect();
    ctx.insert("authors", &list);
}
