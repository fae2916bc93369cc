//! `people/<slug>/index.html` and the like, and their further pages: one name's briefs by month,
//! paginated like a topic's, with the topics it appears in and the names it appears with.

use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::layout;
use crate::model::{EntityId, EntityKind};
use crate::render::Renderer;

use super::paginator::Paginator;
use super::topic::slice;

#[derive(Serialize)]
struct EntityData<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    kind: EntityKind,
    kind_title: &'static str,
    kind_url: String,
    count: usize,
    feed_url: String,
    related: Vec<RelatedEntity<'a>>,
    topics: Vec<EntityTopic<'a>>,
}

#[derive(Serialize)]
struct RelatedEntity<'a> {
    name: &'a str,
    url: &'a str,
    kind: EntityKind,
    count: usize,
}

/// A topic the entity appears in, and how many of its briefs are in it.
#[derive(Serialize)]
struct EntityTopic<'a> {
    title: &'a str,
    url: &'a str,
    count: usize,
}

pub fn data(
    r: &Renderer<'_>,
    ctx: &mut Context,
    kind: EntityKind,
    e: EntityId,
    page: usize,
    root: &str,
) -> Result<(), Diagnostic> {
    let site = r.site;
    let entity = site.entity(kind, e);
    let per = site.config.paginate;
    let total = layout::topic_pages(entity.briefs.len(), per);
    let briefs = slice(&entity.briefs, per, page);
    ctx.insert(
        "entity",
        &EntityData {
            name: &entity.name,
            slug: &entity.slug,
            url: &entity.url,
            kind,
            kind_title: kind.title(),
            kind_url: layout::entities_url(kind),
            count: entity.briefs.len(),
            feed_url: layout::entity_feed_url(kind, &entity.slug),
            related: entity
                .related
                .iter()
                .map(|&(k, id, count)| {
                    let other = site.entity(k, id);
                    RelatedEntity {
                        name: &other.name,
                        url: &other.url,
                        kind: k,
                        count,
                    }
                })
                .collect(),
            topics: entity
                .topics
                .iter()
                .map(|&(t, count)| {
                    let topic = site.topic(t);
                    EntityTopic {
                        title: topic.title(),
                        url: &topic.url,
                        count,
                    }
                })
                .collect(),
        },
    );
    ctx.insert_value("briefs", r.card_list(briefs));
    ctx.insert("months", &r.months(briefs, root)?);
    let slug = &entity.slug;
    ctx.insert(
        "paginator",
        &Paginator::new(page, total, |n| layout::entity_page_url(kind, slug, n)),
    );
    Ok(())
}
