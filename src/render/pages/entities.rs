//! `people/index.html` and the like: every name of one kind, with counts.

use serde::Serialize;
use tera::Context;

use crate::layout;
use crate::model::EntityKind;
use crate::render::Renderer;

#[derive(Serialize)]
struct KindData {
    key: &'static str,
    title: String,
    url: String,
}

#[derive(Serialize)]
struct EntityListItem<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
}

pub fn data(r: &Renderer<'_>, ctx: &mut Context, kind: EntityKind) {
    ctx.insert(
        "kind",
        &KindData {
            key: kind.key(),
            title: r.locale.text(kind.key(), None, &[]),
            url: layout::entities_url(kind),
        },
    );
    let list: Vec<EntityListItem> = r.site.entities[kind.index()]
        .iter()
        .map(|e| EntityListItem {
            name: &e.name,
            slug: &e.slug,
            url: &e.url,
            count: e.briefs.len(),
        })
        .collect();
    ctx.insert("entities", &list);
}
