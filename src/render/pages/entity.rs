//! `people/<slug>/index.html` and the like: one name, its briefs and the names it appears with.

use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::layout;
use crate::model::{EntityId, EntityKind};
use crate::render::{Renderer, activity};

#[derive(Serialize)]
struct EntityData<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    kind: EntityKind,
    kind_title: &'static str,
    kind_url: String,
    count: usize,
    related: Vec<RelatedEntity<'a>>,
}

#[derive(Serialize)]
struct RelatedEntity<'a> {
    name: &'a str,
    url: &'a str,
    kind: EntityKind,
    count: usize,
}

pub fn data(
    r: &Renderer<'_>,
    ctx: &mut Context,
    kind: EntityKind,
    e: EntityId,
    root: &str,
) -> Result<(), Diagnostic> {
    let site = r.site;
    let entity = site.entity(kind, e);
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
        },
    );
    ctx.insert_value("briefs", r.card_list(&entity.briefs));
    ctx.insert("months", &r.months(&entity.briefs, root)?);
    ctx.insert("activity", &activity::of(site, &entity.briefs));
    Ok(())
}
