//! `topics/<slug>/index.html` and its further pages: a topic's introduction and its briefs,
//! paginated.

use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::layout::topic_page_url;
use crate::model::{BriefId, TopicId};
use crate::render::{Renderer, activity};

use super::paginator::listing;

/// The briefs on page `page` (1-based) of a topic.
pub fn slice(briefs: &[BriefId], paginate: usize, page: usize) -> &[BriefId] {
    &briefs[range(briefs.len(), paginate, page)]
}

/// The positions on page `page` (1-based) of a listing of `len` briefs.
pub fn range(len: usize, paginate: usize, page: usize) -> std::ops::Range<usize> {
    let start = (page.saturating_sub(1) * paginate).min(len);
    start..(start + paginate).min(len)
}

pub fn data(
    r: &Renderer<'_>,
    ctx: &mut Context,
    t: TopicId,
    page: usize,
    root: &str,
) -> Result<(), Diagnostic> {
    let topic = r.site.topic(t);
    let slug = topic.slug();
    ctx.insert("topic", &super::topic_data(r, t));
    listing(r, ctx, &topic.briefs, page, root, |n| {
        topic_page_url(slug, n)
    })?;
    // The chart counts every brief of the topic: on its first page only.
    ctx.insert(
        "activity",
        &(page == 1)
            .then(|| activity::of(r.site, &topic.briefs, r.locale))
            .flatten(),
    );
    Ok(())
}
