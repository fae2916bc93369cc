//! `authors/<slug>/index.html` and its further pages: an author's profile and their briefs,
//! paginated like a topic's.

use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::layout::{self, author_page_url};
use crate::model::AuthorId;
use crate::parse::ProfileLink;
use crate::render::Renderer;

use super::paginator::listing;

#[derive(Serialize)]
struct AuthorData<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    role: Option<&'a str>,
    bio: Option<&'a str>,
    links: &'a [ProfileLink],
    /// The profile's body as HTML; empty without one.
    content: &'a str,
    count: usize,
    feed_url: String,
    /// Whether `content/authors/<slug>.md` exists.
    profile: bool,
}

pub fn data(
    r: &Renderer<'_>,
    ctx: &mut Context,
    a: AuthorId,
    page: usize,
    root: &str,
) -> Result<(), Diagnostic> {
    let author = r.site.author(a);
    let doc = author.profile.as_ref().map(|p| &p.doc);
    ctx.insert(
        "author",
        &AuthorData {
            name: &author.name,
            slug: &author.slug,
            url: &author.url,
            role: doc.and_then(|d| d.role.as_deref()),
            bio: doc.and_then(|d| d.bio.as_deref()),
            links: doc.map_or(&[], |d| &d.links),
            content: author.profile.as_ref().map_or("", |p| p.body.html()),
            count: author.briefs.len(),
            feed_url: layout::author_feed_url(&author.slug),
            profile: doc.is_some(),
        },
    );
    let slug = &author.slug;
    listing(r, ctx, &author.briefs, page, root, |n| {
        author_page_url(slug, n)
    })?;
    Ok(())
}
