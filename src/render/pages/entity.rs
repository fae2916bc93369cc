//! `people/<slug>/index.html` and the like, and their further pages: one name's profile, its
//! briefs by month, paginated like a topic's, the topics it appears in and the names it appears
//! with, and its schema.org `Person`, `Place`, `Organization` or `DefinedTerm`.

use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::layout;
use crate::model::{Entity, EntityId, EntityKind};
use crate::parse::ProfileLink;
use crate::render::data::{ImageData, script_json};
use crate::render::{Renderer, activity};

use super::paginator::listing;

#[derive(Serialize)]
struct EntityData<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    kind: EntityKind,
    kind_title: String,
    /// "person", "place", "organization" or "tag": the search filter the page sets.
    kind_singular: &'static str,
    /// One of the kind in the interface's language ("Person", "Персона"): the page's kind in
    /// search results.
    kind_label: String,
    kind_url: String,
    count: usize,
    feed_url: String,
    related: Vec<RelatedEntity<'a>>,
    topics: Vec<EntityTopic<'a>>,
    /// What the page says of itself (meta description, Open Graph): the profile's
    /// `description`, else a sentence naming it.
    description: String,
    /// `content/<kind>/<slug>.md`, when there is one.
    profile: Option<ProfileData<'a>>,
    /// The schema.org description of the entity, as JSON safe inside `<script>`.
    json_ld: String,
    /// Open Graph's `og:type`: `profile` for a person, `website` otherwise.
    og_type: &'static str,
}

#[derive(Serialize)]
struct ProfileData<'a> {
    description: Option<&'a str>,
    /// Other spellings the profile declares.
    aliases: &'a [String],
    /// `Q…`, and its page on Wikidata.
    wikidata: Option<&'a str>,
    wikidata_url: Option<String>,
    links: &'a [ProfileLink],
    /// The profile's body as HTML; empty without one.
    content: &'a str,
    image: Option<ImageData<'a>>,
    /// The image as Open Graph wants it: an absolute URL (so none without `base_url`).
    share_image: Option<ShareImage<'a>>,
}

#[derive(Serialize)]
struct ShareImage<'a> {
    url: String,
    width: u32,
    height: u32,
    alt: &'a str,
    mime: &'static str,
}

/// Schema.org's description of an entity; fields in alphabetical order.
#[derive(Serialize)]
struct LdEntity<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName", skip_serializing_if = "<[_]>::is_empty")]
    alternate_name: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    name: &'a str,
    #[serde(rename = "sameAs", skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// The schema.org type of an entity of `kind`.
fn schema_type(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::People => "Person",
        EntityKind::Places => "Place",
        EntityKind::Organizations => "Organization",
        EntityKind::Tags => "DefinedTerm",
    }
}

fn profile_data<'a>(r: &Renderer<'_>, entity: &'a Entity) -> Option<ProfileData<'a>> {
    let p = entity.profile.as_ref()?;
    let doc = &p.doc;
    let image = p.image.as_deref().zip(doc.image.as_ref());
    let base = r.site.config.base_url.as_deref();
    Some(ProfileData {
        description: doc.description.as_deref(),
        aliases: &doc.aliases,
        wikidata: doc.wikidata.as_deref(),
        wikidata_url: doc.wikidata.as_deref().map(wikidata_url),
        links: &doc.links,
        content: p.body.html(),
        image: image.map(|(p, f)| ImageData::of(p, f)),
        share_image: image.and_then(|(p, f)| {
            let largest = p.largest();
            Some(ShareImage {
                url: layout::absolute(base, &largest.fallback)?,
                width: largest.width,
                height: largest.height,
                alt: &f.alt,
                mime: p.fallback.mime(),
            })
        }),
    })
}

fn wikidata_url(id: &str) -> String {
    format!("https://www.wikidata.org/wiki/{id}")
}

fn json_ld(entity: &Entity, profile: Option<&ProfileData<'_>>, base: Option<&str>) -> String {
    let doc = entity.profile.as_ref().map(|p| &p.doc);
    let mut same_as: Vec<&str> = Vec::new();
    if let Some(url) = profile.and_then(|p| p.wikidata_url.as_deref()) {
        same_as.push(url);
    }
    // Other pages about the same thing: the profile's links that are full addresses.
    for l in doc.map_or(&[][..], |d| &d.links) {
        if l.url.starts_with("https://") || l.url.starts_with("http://") {
            same_as.push(&l.url);
        }
    }
    script_json(&LdEntity {
        context: "https://schema.org",
        kind: schema_type(entity.kind),
        alternate_name: doc.map_or(&[], |d| &d.aliases),
        description: doc.and_then(|d| d.description.as_deref()),
        image: profile
            .and_then(|p| p.share_image.as_ref())
            .map(|i| i.url.as_str()),
        name: &entity.name,
        same_as,
        url: layout::absolute(base, &entity.url),
    })
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
    let profile = profile_data(r, entity);
    let json_ld = json_ld(entity, profile.as_ref(), site.config.base_url.as_deref());
    ctx.insert(
        "entity",
        &EntityData {
            name: &entity.name,
            slug: &entity.slug,
            url: &entity.url,
            kind,
            kind_title: r.locale.text(kind.key(), None, &[]),
            kind_singular: kind.singular(),
            kind_label: r.locale.text(kind.singular_message(), None, &[]),
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
            description: profile.as_ref().and_then(|p| p.description).map_or_else(
                || {
                    r.locale
                        .text("briefs_mentioning", None, &[("name", &entity.name)])
                },
                str::to_string,
            ),
            profile,
            json_ld,
            og_type: if kind == EntityKind::People {
                "profile"
            } else {
                "website"
            },
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
    let slug = &entity.slug;
    listing(r, ctx, &entity.briefs, page, root, |n| {
        layout::entity_page_url(kind, slug, n)
    })?;
    // The chart counts all its briefs, on its first page.
    ctx.insert(
        "activity",
        &(page == 1)
            .then(|| activity::of(site, &entity.briefs, r.locale))
            .flatten(),
    );
    Ok(())
}
