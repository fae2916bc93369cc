//! `briefs/<slug>/index.html`: one brief with everything it links to, and its schema.org
//! `NewsArticle`.

use serde::Serialize;
use tera::{Context, Value};

use crate::layout;
use crate::model::{BriefId, EntityKind};
use crate::render::Renderer;
use crate::render::data::{self, stamp};

/// Schema.org `NewsArticle`, fields in alphabetical order as the theme has always written them.
#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    about: Vec<LdThing<'a>>,
    author: LdAuthor<'a>,
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<LdImage>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    #[serde(rename = "mainEntityOfPage", skip_serializing_if = "Option::is_none")]
    main_entity_of_page: Option<String>,
    mentions: Vec<LdThing<'a>>,
    publisher: LdThing<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(rename = "wordCount")]
    word_count: usize,
}

/// Schema.org `ImageObject`, fields in alphabetical order.
#[derive(Serialize)]
struct LdImage {
    #[serde(rename = "@type")]
    kind: &'static str,
    height: u32,
    url: String,
    width: u32,
}

/// The picture a brief is shared with: its lead image's largest fallback (WebP is not read by
/// every service that shows previews), else its social card. Open Graph wants an absolute URL,
/// so there is none without `base_url`.
#[derive(Serialize)]
pub struct ShareImage {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub mime: &'static str,
}

pub fn share_image(site: &crate::Site, id: BriefId) -> Option<ShareImage> {
    use crate::layout::Shape;
    let base = site.config.base_url.as_deref();
    let b = site.brief(id);
    if let (Some(p), Some(f)) = (&b.image, &b.doc.image) {
        let largest = p.largest();
        return Some(ShareImage {
            url: layout::absolute(base, &largest.fallback)?,
            width: largest.width,
            height: largest.height,
            alt: f.alt.clone(),
            mime: p.fallback.mime(),
        });
    }
    site.social_card(id).then_some(())?;
    Some(ShareImage {
        url: layout::absolute(base, &layout::social_card_url(b.slug()))?,
        width: crate::images::social::WIDTH,
        height: crate::images::social::HEIGHT,
        alt: format!("{}: {}", site.config.title, b.title()),
        mime: "image/png",
    })
}

#[derive(Serialize, Clone)]
struct LdThing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// Who wrote a brief: its listed authors, each a `Person`; else the site's default author, an
/// `Organization` as it has always been; else the publisher.
#[derive(Serialize)]
#[serde(untagged)]
enum LdAuthor<'a> {
    One(LdThing<'a>),
    People(Vec<LdThing<'a>>),
}

pub fn data(r: &Renderer<'_>, ctx: &mut Context, id: BriefId) {
    ctx.insert_value("brief", value(r, id));
}

/// The page's `brief`: its card's fields and the rest, built as a template value directly, so
/// the cards and names it shows are shared rather than serialised again.
fn value(r: &Renderer<'_>, id: BriefId) -> Value {
    let site = r.site;
    let b = site.brief(id);
    let mut map: tera::Map = r.card(id).as_map().cloned().unwrap_or_default();
    let mut put = |key: &'static str, value: Value| {
        map.insert(tera::value::Key::Str(key), value);
    };
    put("content", Value::from(b.html()));
    put(
        "updated_display",
        Value::from_serializable(
            &b.doc
                .updated
                .as_ref()
                .map(|d| crate::render::data::display_date(r.locale, d)),
        ),
    );
    put("toc", Value::from_serializable(&b.body.rendered.toc));
    for kind in EntityKind::ALL {
        let refs = &r.entity_refs[kind.index()];
        let names: Vec<Value> = b.entities[kind.index()]
            .iter()
            .map(|&e| refs[e.index()].clone())
            .collect();
        put(kind.key(), Value::from(names));
    }
    put("sources", Value::from_serializable(&b.doc.sources));
    let updates: Vec<Value> = b
        .doc
        .updates
        .iter()
        .map(|u| {
            let mut m = tera::Map::new();
            m.insert(tera::value::Key::Str("kind"), Value::from(u.kind.as_str()));
            m.insert(
                tera::value::Key::Str("datetime"),
                Value::from(stamp(&u.date)),
            );
            m.insert(
                tera::value::Key::Str("date_display"),
                Value::from(crate::render::data::display_date(r.locale, &u.date)),
            );
            m.insert(tera::value::Key::Str("html"), Value::from(u.html.as_str()));
            Value::from(m)
        })
        .collect();
    put("updates", Value::from(updates));
    put("byline", Value::from_serializable(&data::byline(site, id)));
    put(
        "permalink",
        Value::from(layout::permalink(site.config.base_url.as_deref(), &b.url)),
    );
    put("words", Value::from(b.words()));
    put("related", r.card_list(&b.related));
    put("referenced_by", r.card_list(&b.referenced_by));
    let nav: Vec<Value> = b
        .topic_nav
        .iter()
        .map(|n| {
            let mut nav = tera::Map::default();
            nav.insert(tera::value::Key::Str("topic"), r.topic_ref(n.topic));
            nav.insert(
                tera::value::Key::Str("prev"),
                Value::from(n.prev.map(|p| r.card(p))),
            );
            nav.insert(
                tera::value::Key::Str("next"),
                Value::from(n.next.map(|p| r.card(p))),
            );
            Value::from(nav)
        })
        .collect();
    put("topic_nav", Value::from(nav));
    put("json_ld", Value::from(json_ld(r, id)));
    put(
        "share_image",
        Value::from_serializable(&share_image(site, id)),
    );
    Value::from(map)
}

/// The brief's schema.org `NewsArticle` as JSON, safe inside `<script>`: `<`, `>` and `&` are
/// written as `\u` escapes so no text from front matter can close the element.
fn json_ld(r: &Renderer<'_>, id: BriefId) -> String {
    let site = r.site;
    let config = &site.config;
    let base = config.base_url.as_deref();
    let b = site.brief(id);
    let thing = |kind: &'static str, name, url: &str| LdThing {
        kind,
        name,
        url: layout::absolute(base, url),
    };
    let mut mentions = Vec::new();
    for (kind, ty) in [
        (EntityKind::People, "Person"),
        (EntityKind::Places, "Place"),
        (EntityKind::Organizations, "Organization"),
    ] {
        for &e in &b.entities[kind.index()] {
            let e = site.entity(kind, e);
            mentions.push(thing(ty, &e.name, &e.url));
        }
    }
    let publisher = thing("Organization", &config.title, "");
    // An author's page is what identifies them, so its address is given even without a base
    // URL, relative to the brief's page (JSON-LD resolves it against the document).
    let author_thing = |kind, a: crate::model::AuthorId| {
        let a = site.author(a);
        let url = match base {
            Some(_) => layout::permalink(base, &a.url),
            None => layout::root_of(&b.url) + &layout::permalink(None, &a.url),
        };
        LdThing {
            kind,
            name: &a.name,
            url: Some(url),
        }
    };
    let author = match b.authors.first() {
        None => LdAuthor::One(publisher.clone()),
        Some(&a) if b.byline_default() => LdAuthor::One(author_thing("Organization", a)),
        Some(_) => LdAuthor::People(
            b.authors
                .iter()
                .map(|&a| author_thing("Person", a))
                .collect(),
        ),
    };
    let url = layout::absolute(base, &b.url);
    let doc = NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        about: b
            .topics
            .iter()
            .map(|&t| {
                let t = site.topic(t);
                thing("Thing", t.title(), &t.url)
            })
            .collect(),
        author,
        date_modified: stamp(b.doc.updated.as_ref().unwrap_or(&b.doc.date)),
        date_published: stamp(&b.doc.date),
        description: b.summary(),
        headline: b.title(),
        image: share_image(site, id).map(|i| LdImage {
            kind: "ImageObject",
            height: i.height,
            url: i.url,
            width: i.width,
        }),
        in_language: &config.language,
        keywords: b.entities[EntityKind::Tags.index()]
            .iter()
            .map(|&e| site.entity(EntityKind::Tags, e).name.as_str())
            .collect(),
        main_entity_of_page: url.clone(),
        mentions,
        publisher,
        url,
        word_count: b.words(),
    };
    data::script_json(&doc)
}
