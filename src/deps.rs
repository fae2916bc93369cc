//! The dependency map: which parts of the site each output reads.
//!
//! [`deps`] lists, for one [`Output`], every piece of the model its template data is made from:
//! briefs (whole, or only their card), topics, entities, pages, templates, the site's settings
//! and navigation. Each piece has a fingerprint ([`Fingerprints`]), a hash of exactly what pages
//! read of it, keyed across builds by its stable key (source path or entity slug). An output's
//! [`signature`] hashes its dependencies' keys and fingerprints; a rebuild renders only the
//! outputs whose signature changed. A brief edited in its body changes its own fingerprint but
//! not its card's, so listings that show only its card are left alone; a brief added to a topic
//! changes the topic's member list, so every page listing the topic's briefs is redone.

use rayon::prelude::*;

use crate::layout::Output;
use crate::model::{BriefId, EntityId, EntityKind, PageId, Site, TopicId, fingerprint};
use crate::render::{Templates, published};

/// A piece of the model an output reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dep {
    /// Settings from `site.toml` (and `--base-url`): every page reads some.
    Config,
    /// The lists of topics and pages in every page's navigation, and topic titles on cards.
    Nav,
    /// The list of every output path (the sitemap).
    Outputs,
    /// A template and every template it uses.
    Template(&'static str),
    /// What listings show of a brief.
    Card(BriefId),
    /// All of a brief: its card, front matter, and rendered body.
    Brief(BriefId),
    /// A topic's text, its number of briefs and its latest brief.
    Topic(TopicId),
    /// An entity's name, number of briefs and related names.
    Entity(EntityKind, EntityId),
    /// A free page's text.
    Page(PageId),
}

/// The template timelines render each card with.
const CARD_TEMPLATE: &str = "partials/card.html";

/// Calls `f` with every piece of the model `output` reads.
pub fn deps(site: &Site, output: Output, mut f: impl FnMut(Dep)) {
    f(Dep::Config);
    f(Dep::Nav);
    if let Some(template) = output.kind().template() {
        f(Dep::Template(template));
    }
    let cards = |ids: &mut dyn Iterator<Item = BriefId>, f: &mut dyn FnMut(Dep)| {
        for b in ids {
            f(Dep::Card(b));
        }
    };
    let topic_list = |f: &mut dyn FnMut(Dep)| {
        for t in site.topic_ids() {
            f(Dep::Topic(t));
            if let Some(&latest) = site.topic(t).briefs.first() {
                f(Dep::Card(latest));
            }
        }
    };
    match output {
        Output::Index => {
            cards(
                &mut site.brief_ids().take(site.config.front_page_briefs),
                &mut f,
            );
            topic_list(&mut f);
        }
        Output::Topics => topic_list(&mut f),
        Output::Brief(b) => {
            let brief = site.brief(b);
            f(Dep::Brief(b));
            for kind in EntityKind::ALL {
                for &e in &brief.entities[kind.index()] {
                    f(Dep::Entity(kind, e));
                }
            }
            cards(&mut brief.related.iter().copied(), &mut f);
            cards(&mut brief.referenced_by.iter().copied(), &mut f);
            for n in &brief.topic_nav {
                cards(&mut n.prev.into_iter().chain(n.next), &mut f);
            }
        }
        Output::Topic(t, page) => {
            let topic = site.topic(t);
            f(Dep::Template(CARD_TEMPLATE));
            f(Dep::Topic(t));
            if let Some(&latest) = topic.briefs.first() {
                f(Dep::Card(latest));
            }
            let slice = crate::render::topic_slice(&topic.briefs, site.config.paginate, page);
            cards(&mut slice.iter().copied(), &mut f);
        }
        Output::Entity(kind, e) => {
            let entity = site.entity(kind, e);
            f(Dep::Template(CARD_TEMPLATE));
            f(Dep::Entity(kind, e));
            for &(k, other, _) in &entity.related {
                f(Dep::Entity(k, other));
            }
            cards(&mut entity.briefs.iter().copied(), &mut f);
        }
        Output::Entities(kind) => {
            for e in site.entity_ids(kind) {
                f(Dep::Entity(kind, e));
            }
        }
        Output::Archive => cards(&mut site.brief_ids(), &mut f),
        Output::Page(p) => f(Dep::Page(p)),
        Output::Feed => {
            for b in published(site, site.brief_ids()).take(site.config.feed_entries) {
                f(Dep::Brief(b));
            }
        }
        Output::TopicFeed(t) => {
            let topic = site.topic(t);
            f(Dep::Topic(t));
            // The feed's `updated` is the newest of all its briefs; entries are the first few.
            let briefs = || published(site, topic.briefs.iter().copied());
            cards(&mut briefs(), &mut f);
            for b in briefs().take(site.config.feed_entries) {
                f(Dep::Brief(b));
            }
        }
        Output::Sitemap => {
            f(Dep::Outputs);
            cards(&mut site.brief_ids(), &mut f);
        }
        Output::NotFound | Output::Robots | Output::Stylesheet | Output::Icon => {}
    }
}

/// What each piece of the model looks like to the pages that read it, as hashes.
#[derive(Debug, Default)]
pub struct Fingerprints {
    config: u64,
    nav: u64,
    outputs: u64,
    cards: Vec<u64>,
    briefs: Vec<u64>,
    topics: Vec<u64>,
    entities: [Vec<u64>; 4],
    pages: Vec<u64>,
}

/// Fingerprints every piece of `site`; `paths` are the paths of every output, in plan order.
pub fn fingerprints(site: &Site, paths: &[String]) -> Fingerprints {
    let words = |parts: &[u64]| -> u64 {
        let bytes: Vec<u8> = parts.iter().flat_map(|p| p.to_le_bytes()).collect();
        fingerprint(&[&bytes])
    };
    let cards: Vec<u64> = site
        .briefs
        .par_iter()
        .map(|b| {
            let doc = &b.doc;
            let mut topics: Vec<u8> = Vec::new();
            for &t in &b.topics {
                topics.extend(site.topic(t).key.0.to_le_bytes());
            }
            let updated = doc.updated.map(|u| format!("{u:?}")).unwrap_or_default();
            fingerprint(&[
                doc.title.as_bytes(),
                doc.slug.as_bytes(),
                format!("{:?}", doc.date).as_bytes(),
                updated.as_bytes(),
                b.summary().as_bytes(),
                doc.status.map_or("", |s| s.as_str()).as_bytes(),
                &topics,
                &(b.reading_time() as u64).to_le_bytes(),
                &[u8::from(doc.draft)],
            ])
        })
        .collect();
    let briefs = site
        .briefs
        .iter()
        .zip(&cards)
        .map(|(b, &card)| words(&[card, b.body.fingerprint]))
        .collect();
    let topics = site
        .topics
        .iter()
        .map(|t| {
            let latest = t.briefs.first().map_or(0, |&b| site.brief(b).key.0);
            words(&[t.body.fingerprint, t.briefs.len() as u64, latest])
        })
        .collect();
    let entities = EntityKind::ALL.map(|kind| {
        site.entities[kind.index()]
            .par_iter()
            .map(|e| {
                let mut parts = vec![fingerprint(&[e.name.as_bytes()]), e.briefs.len() as u64];
                for &(k, other, count) in &e.related {
                    parts.push(site.entity(k, other).key.0);
                    parts.push(count as u64);
                }
                words(&parts)
            })
            .collect()
    });
    let pages = site.pages.iter().map(|p| p.body.fingerprint).collect();
    let mut nav: Vec<&[u8]> = Vec::new();
    for p in &site.pages {
        nav.extend([p.title().as_bytes(), p.url.as_bytes()]);
    }
    for t in &site.topics {
        nav.extend([t.title().as_bytes(), t.slug().as_bytes()]);
    }
    let all_paths: Vec<&[u8]> = paths.iter().map(|p| p.as_bytes()).collect();
    Fingerprints {
        config: fingerprint(&[format!("{:?}", site.config).as_bytes()]),
        nav: fingerprint(&nav),
        outputs: fingerprint(&all_paths),
        cards,
        briefs,
        topics,
        entities,
        pages,
    }
}

/// A hash of everything `output` reads: its dependencies' stable keys and fingerprints. Equal
/// signatures in two builds mean the output's file is the same.
pub fn signature(site: &Site, templates: &Templates, fps: &Fingerprints, output: Output) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut put = |tag: u8, key: u64, fp: u64| {
        h.update(&[tag]);
        h.update(&key.to_le_bytes());
        h.update(&fp.to_le_bytes());
    };
    deps(site, output, |dep| match dep {
        Dep::Config => put(0, 0, fps.config),
        Dep::Nav => put(1, 0, fps.nav),
        Dep::Outputs => put(2, 0, fps.outputs),
        Dep::Template(name) => put(
            3,
            fingerprint(&[name.as_bytes()]),
            templates.fingerprint(name),
        ),
        Dep::Card(b) => put(4, site.brief(b).key.0, fps.cards[b.index()]),
        Dep::Brief(b) => put(5, site.brief(b).key.0, fps.briefs[b.index()]),
        Dep::Topic(t) => put(6, site.topic(t).key.0, fps.topics[t.index()]),
        Dep::Entity(k, e) => put(
            7,
            site.entity(k, e).key.0,
            fps.entities[k.index()][e.index()],
        ),
        Dep::Page(p) => put(8, site.page(p).key.0, fps.pages[p.index()]),
    });
    h.digest()
}
