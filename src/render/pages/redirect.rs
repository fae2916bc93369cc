//! A redirect page at an old address (an alias): it sends the reader on at once
//! (`<meta http-equiv="refresh">`), names the page as canonical, shows a link to it for
//! browsers that do not refresh, and asks search engines not to index it.

use serde::Serialize;
use tera::Context;

use crate::layout;
use crate::model::RedirectId;
use crate::render::Renderer;

#[derive(Serialize)]
struct RedirectData<'a> {
    /// The page's URL relative to the redirect page: for the refresh and the link.
    url: String,
    /// The page's absolute URL when the site has a `base_url`, else `url`.
    canonical: String,
    /// The page's root-relative URL.
    target: &'a str,
    /// The page's title.
    title: &'a str,
}

pub fn data(r: &Renderer<'_>, ctx: &mut Context, id: RedirectId, root: &str) {
    let site = r.site;
    let (target, title) = site.target(site.redirect(id).target);
    let url = format!("{root}{target}");
    let canonical =
        layout::absolute(site.config.base_url.as_deref(), target).unwrap_or_else(|| url.clone());
    ctx.insert(
        "redirect",
        &RedirectData {
            url,
            canonical,
            target,
            title,
        },
    );
}
