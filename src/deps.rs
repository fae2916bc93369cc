//! The dependency map: which parts of the site each output reads.
//!
//! [`deps`] lists, for one [`Output`], every piece of the model its template data is made from:
//! briefs (whole, or only their card), topics, entities, pages, authors and their profiles,
//! source outlets, templates, the site's settings and navigation. Each piece has a fingerprint
//! ([`Fingerprints`]), a hash of exactly what pages read of it, keyed across builds by its stable
//! key (source path or entity slug). An output's [`signature`] hashes its dependencies' keys and
//! fingerprints; a rebuild renders only the outputs whose signature changed. A brief edited in its
//! body changes its own fingerprint but not its card's, so listings that show only its card are
//! left alone; a brief added to a topic changes the topic's member list, so every page listing the
//! topic's briefs is redone.

use rayon::prelude::*;

use crate::layout::{HostingFile, Output};
use crate::model::{
    AuthorId, BriefId, EntityId, EntityKind, OutletId, PageId, RedirectId, Site, TopicId,
    fingerprint,
};
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
    /// What listings show of a brief, its byline included.
    Card(BriefId),
    /// When a brief was last changed, and whether it is a draft (what the sitemap shows).
    Dates(BriefId),
    /// The calendar month a brief is dated in: what activity charts count. (Its card has the
    /// date too, but a chart counts briefs whose cards it does not show.)
    Month(BriefId),
    /// All of a brief: its card, front matter, and rendered body.
    Brief(BriefId),
    /// A topic's text, its number of briefs and its latest brief.
    Topic(TopicId),
    /// An entity's name and number of briefs.
    Entity(EntityKind, EntityId),
    /// The names an entity appears with most and the topics it appears in, with how often (every
    /// page of its own lists them).
    Related(EntityKind, EntityId),
    /// A free page's text.
    Page(PageId),
    /// A redirect: its old address, and the address and title of the page it leads to.
    Redirect(RedirectId),
    /// An author's name, role and number of briefs (what the list of authors shows).
    Author(AuthorId),
    /// An author's bio (every page of theirs shows it).
    Profile(AuthorId),
    /// An author's links and rendered profile body (their first page shows them).
    ProfileBody(AuthorId),
    /// All an entity's profile says: description, aliases, Wikidata id, links, image, body.
    EntityProfile(EntityKind, EntityId),
    /// How many briefs the site's timeline lists: its number of pages.
    Timeline,
    /// How many briefs a topic's timeline lists (its title is in [`Dep::Nav`]).
    TopicTimeline(TopicId),
    /// A source outlet's name and number of briefs (what the list of sources shows).
    Outlet(OutletId),
}

use crate::render::CARD_TEMPLATE;

/// What the feed of a list of briefs (a topic's, an author's) reads: the cards of all of them,
/// since its `updated` is the newest of all, and the first few whole, its entries.
fn list_feed(site: &Site, briefs: &[BriefId], f: &mut impl FnMut(Dep)) {
    let listed = || published(site, briefs.iter().copied());
    for b in listed() {
        f(Dep::Card(b));
    }
    for b in listed().take(site.config.feed_entries) {
        f(Dep::Brief(b));
    }
}

/// What the activity chart of a list of briefs (a topic's, an entity's) reads: the month of
/// each. Which briefs they are is in the keys the signature hashes.
fn activity(briefs: &[BriefId], f: &mut impl FnMut(Dep)) {
    for &b in briefs {
        f(Dep::Month(b));
    }
}

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
            if page == 1 {
                activity(&topic.briefs, &mut f);
            }
        }
        // Topic titles and addresses in its list of topics are the navigation's.
        Output::Entity(kind, e, page) => {
            let entity = site.entity(kind, e);
            f(Dep::Template(CARD_TEMPLATE));
            f(Dep::Entity(kind, e));
            f(Dep::EntityProfile(kind, e));
            let slice = crate::render::topic_slice(&entity.briefs, site.config.paginate, page);
            cards(&mut slice.iter().copied(), &mut f);
            // Its first page: the chart, which counts all its briefs, and the names and topics
            // it appears with.
            if page == 1 {
                activity(&entity.briefs, &mut f);
                f(Dep::Related(kind, e));
                for &(k, other, _) in &entity.related {
                    f(Dep::Entity(k, other));
                }
            }
        }
        // Summaries only: the cards of all its published briefs (its `updated` is the newest of
        // all), none whole.
        Output::EntityFeed(kind, e) => {
            f(Dep::Entity(kind, e));
            let entity = site.entity(kind, e);
            cards(&mut published(site, entity.briefs.iter().copied()), &mut f);
        }
        Output::Entities(kind) => {
            for e in site.entity_ids(kind) {
                f(Dep::Entity(kind, e));
            }
        }
        Output::Archive => {
            f(Dep::Template(crate::render::ARCHIVE_ROW_TEMPLATE));
            cards(&mut site.brief_ids(), &mut f);
        }
        // The briefs with corrections, whole: their logs are what the page lists (a brief that
        // gains or loses its only correction changes the set).
        Output::Corrections => {
            for b in site.brief_ids() {
                if site.brief(b).has_corrections() {
                    f(Dep::Brief(b));
                }
            }
        }
        Output::Page(p) => f(Dep::Page(p)),
        Output::Feed => {
            for b in published(site, site.brief_ids()).take(site.config.feed_entries) {
                f(Dep::Brief(b));
            }
        }
        Output::TopicFeed(t) => {
            f(Dep::Topic(t));
            list_feed(site, &site.topic(t).briefs, &mut f);
        }
        Output::Sitemap => {
            f(Dep::Outputs);
            for b in site.brief_ids() {
                f(Dep::Dates(b));
            }
        }
        Output::Redirect(r) => f(Dep::Redirect(r)),
        Output::Hosting(HostingFile::Redirects) => {
            for r in site.redirect_ids() {
                f(Dep::Redirect(r));
            }
        }
        Output::Author(a, page) => {
            let author = site.author(a);
            f(Dep::Template(CARD_TEMPLATE));
            f(Dep::Author(a));
            f(Dep::Profile(a));
            if page == 1 {
                f(Dep::ProfileBody(a));
            }
            let slice = crate::render::topic_slice(&author.briefs, site.config.paginate, page);
            cards(&mut slice.iter().copied(), &mut f);
        }
        Output::Authors => {
            for a in site.author_ids() {
                f(Dep::Author(a));
            }
        }
        Output::AuthorFeed(a) => {
            f(Dep::Author(a));
            list_feed(site, &site.author(a).briefs, &mut f);
        }
        // The card shows the brief's title, first topic and date: what its card shows.
        Output::SocialCard(b) => f(Dep::Card(b)),
        // A timeline's entries show what cards do; its links to the topics' timelines, their
        // titles (in `Nav`).
        Output::Timeline(page) => {
            f(Dep::Template(crate::render::TIMELINE_ENTRY_TEMPLATE));
            f(Dep::Timeline);
            let range = crate::render::page_range(site.briefs.len(), site.config.paginate, page);
            cards(&mut range.map(BriefId::new), &mut f);
        }
        Output::TopicTimeline(t) => {
            f(Dep::Template(crate::render::TIMELINE_ENTRY_TEMPLATE));
            f(Dep::TopicTimeline(t));
            cards(&mut site.topic(t).briefs.iter().copied(), &mut f);
        }
        Output::Outlets => {
            for o in site.outlet_ids() {
                f(Dep::Outlet(o));
            }
        }
        Output::Outlet(o, page) => {
            f(Dep::Template(CARD_TEMPLATE));
            f(Dep::Outlet(o));
            let briefs = &site.outlet(o).briefs;
            let slice = crate::render::topic_slice(briefs, site.config.paginate, page);
            cards(&mut slice.iter().copied(), &mut f);
        }
        // `_headers` reads the settings alone (`base_url`); `.nojekyll` is empty.
        Output::Hosting(HostingFile::Headers | HostingFile::NoJekyll)
        | Output::NotFound
        | Output::Robots
        | Output::Stylesheet
        | Output::Icon
        | Output::Search
        | Output::SearchScript => {}
    }
}

/// What each piece of the model looks like to the pages that read it, as hashes.
#[derive(Debug, Default)]
pub struct Fingerprints {
    config: u64,
    nav: u64,
    outputs: u64,
    cards: Vec<u64>,
    dates: Vec<u64>,
    months: Vec<u64>,
    briefs: Vec<u64>,
    topics: Vec<u64>,
    entities: [Vec<u64>; 4],
    related: [Vec<u64>; 4],
    pages: Vec<u64>,
    redirects: Vec<u64>,
    authors: Vec<u64>,
    profiles: Vec<u64>,
    profile_bodies: Vec<u64>,
    entity_profiles: [Vec<u64>; 4],
    outlets: Vec<u64>,
}

impl Fingerprints {
    /// Each brief's card fingerprint.
    pub fn cards(&self) -> &[u64] {
        &self.cards
    }

    /// What the fragments of listings (cards, archive rows, timeline entries) read besides their
    /// brief's card: settings, navigation, and the partials that render them.
    pub fn fragment_env(&self, templates: &Templates) -> u64 {
        let parts = [
            self.config,
            self.nav,
            templates.fingerprint(CARD_TEMPLATE),
            templates.fingerprint(crate::render::ARCHIVE_ROW_TEMPLATE),
            templates.fingerprint(crate::render::TIMELINE_ENTRY_TEMPLATE),
        ];
        let bytes: Vec<u8> = parts.iter().flat_map(|p| p.to_le_bytes()).collect();
        fingerprint(&[&bytes])
    }
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
            let mut byline: Vec<u8> = vec![u8::from(b.byline_default())];
            for &a in &b.authors {
                let author = site.author(a);
                byline.extend(author.key.0.to_le_bytes());
                byline.extend((author.name.len() as u64).to_le_bytes());
                byline.extend(author.name.as_bytes());
            }
            let stamp = |d: Option<&crate::parse::BriefDate>| -> [u8; 17] {
                let mut out = [0u8; 17];
                if let Some(d) = d {
                    out[..16].copy_from_slice(&d.timestamp.as_nanosecond().to_le_bytes());
                    out[16] = 1 + u8::from(d.has_time);
                }
                out
            };
            // The written calendar date can differ from the instant's UTC date.
            let d = doc.date.date;
            let written = [
                d.year().to_le_bytes()[0],
                d.year().to_le_bytes()[1],
                d.month() as u8,
                d.day() as u8,
            ];
            // The lead image: its files and the text that goes with it.
            let image = match (&b.image, &doc.image) {
                (Some(p), Some(f)) => fingerprint(&[
                    &p.fingerprint.to_le_bytes(),
                    f.alt.as_bytes(),
                    f.caption.as_deref().unwrap_or("").as_bytes(),
                    f.credit.as_deref().unwrap_or("").as_bytes(),
                ]),
                _ => 0,
            };
            fingerprint(&[
                &image.to_le_bytes(),
                doc.title.as_bytes(),
                doc.slug.as_bytes(),
                &stamp(Some(&doc.date)),
                &written,
                &stamp(doc.updated.as_ref()),
                b.summary().as_bytes(),
                doc.status.map_or("", |s| s.as_str()).as_bytes(),
                &topics,
                &(b.reading_time() as u64).to_le_bytes(),
                &[u8::from(doc.draft), u8::from(b.scheduled)],
                &byline,
            ])
        })
        .collect();
    let dates = site
        .briefs
        .iter()
        .map(|b| {
            let d = b.doc.updated.unwrap_or(b.doc.date);
            let ymd = [
                d.date.year() as u64,
                d.date.month() as u64,
                d.date.day() as u64,
            ];
            words(&[ymd[0], ymd[1], ymd[2], u64::from(b.unlisted())])
        })
        .collect();
    let months = site
        .briefs
        .iter()
        .map(|b| {
            let d = b.doc.date.date;
            (i64::from(d.year()) * 12 + i64::from(d.month())) as u64
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
            .map(|e| words(&[fingerprint(&[e.name.as_bytes()]), e.briefs.len() as u64]))
            .collect()
    });
    let related = EntityKind::ALL.map(|kind| {
        site.entities[kind.index()]
            .par_iter()
            .map(|e| {
                let mut parts = Vec::with_capacity(2 * (e.related.len() + e.topics.len()) + 1);
                for &(k, other, count) in &e.related {
                    parts.push(site.entity(k, other).key.0);
                    parts.push(count as u64);
                }
                // A separator, so no list of names can read as another list of topics.
                parts.push(u64::MAX);
                for &(t, count) in &e.topics {
                    parts.push(site.topic(t).key.0);
                    parts.push(count as u64);
                }
                words(&parts)
            })
            .collect()
    });
    let pages = site.pages.iter().map(|p| p.body.fingerprint).collect();
    let authors = site
        .authors
        .iter()
        .map(|a| {
            let role = a.profile.as_ref().and_then(|p| p.doc.role.as_deref());
            fingerprint(&[
                a.name.as_bytes(),
                role.unwrap_or("").as_bytes(),
                &[u8::from(role.is_some())],
                &(a.briefs.len() as u64).to_le_bytes(),
            ])
        })
        .collect();
    let profiles = site
        .authors
        .iter()
        .map(
            |a| match a.profile.as_ref().and_then(|p| p.doc.bio.as_deref()) {
                Some(bio) => fingerprint(&[b"bio", bio.as_bytes()]),
                None => 0,
            },
        )
        .collect();
    let profile_bodies = site
        .authors
        .iter()
        .map(|a| {
            let Some(p) = &a.profile else { return 0 };
            let mut parts: Vec<&[u8]> = Vec::new();
            for l in &p.doc.links {
                parts.extend([l.name.as_bytes(), l.url.as_bytes()]);
            }
            words(&[fingerprint(&parts), p.body.fingerprint, 1])
        })
        .collect();
    let entity_profiles = EntityKind::ALL.map(|kind| {
        site.entities[kind.index()]
            .iter()
            .map(|e| {
                let Some(p) = &e.profile else { return 0 };
                let doc = &p.doc;
                let mut parts: Vec<&[u8]> = vec![
                    doc.description.as_deref().unwrap_or("").as_bytes(),
                    doc.wikidata.as_deref().unwrap_or("").as_bytes(),
                ];
                for a in &doc.aliases {
                    parts.push(a.as_bytes());
                }
                parts.push(b"\0");
                for l in &doc.links {
                    parts.extend([l.name.as_bytes(), l.url.as_bytes()]);
                }
                let image = match (&p.image, &doc.image) {
                    (Some(i), Some(f)) => fingerprint(&[
                        &i.fingerprint.to_le_bytes(),
                        f.alt.as_bytes(),
                        f.caption.as_deref().unwrap_or("").as_bytes(),
                        f.credit.as_deref().unwrap_or("").as_bytes(),
                    ]),
                    _ => 0,
                };
                words(&[fingerprint(&parts), p.body.fingerprint, image, 1])
            })
            .collect()
    });
    let mut nav: Vec<&[u8]> = Vec::new();
    for p in &site.pages {
        nav.extend([p.title().as_bytes(), p.url.as_bytes()]);
    }
    for t in &site.topics {
        nav.extend([t.title().as_bytes(), t.slug().as_bytes()]);
    }
    let redirects = site
        .redirects()
        .iter()
        .map(|r| {
            let (url, title) = site.target(r.target);
            fingerprint(&[r.path.as_bytes(), url.as_bytes(), title.as_bytes()])
        })
        .collect();
    let outlets = site
        .outlets
        .iter()
        .map(|o| words(&[fingerprint(&[o.name.as_bytes()]), o.briefs.len() as u64]))
        .collect();
    let all_paths: Vec<&[u8]> = paths.iter().map(|p| p.as_bytes()).collect();
    Fingerprints {
        config: config_fingerprint(&site.config),
        nav: fingerprint(&nav),
        outputs: fingerprint(&all_paths),
        cards,
        dates,
        months,
        briefs,
        topics,
        entities,
        related,
        pages,
        redirects,
        authors,
        profiles,
        profile_bodies,
        entity_profiles,
        outlets,
    }
}

/// The settings as pages read them. A session hands the settings' warnings to its first build's
/// report and drops them, so they are left out: a site without `base_url` would otherwise look
/// changed to the second build, which would render every page again.
fn config_fingerprint(config: &crate::config::Config) -> u64 {
    let settings = crate::config::Config {
        warnings: Vec::new(),
        ..config.clone()
    };
    fingerprint(&[format!("{settings:?}").as_bytes()])
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
        Dep::Dates(b) => put(10, site.brief(b).key.0, fps.dates[b.index()]),
        Dep::Month(b) => put(14, site.brief(b).key.0, fps.months[b.index()]),
        Dep::Topic(t) => put(6, site.topic(t).key.0, fps.topics[t.index()]),
        Dep::Entity(k, e) => put(
            7,
            site.entity(k, e).key.0,
            fps.entities[k.index()][e.index()],
        ),
        Dep::Related(k, e) => put(
            9,
            site.entity(k, e).key.0,
            fps.related[k.index()][e.index()],
        ),
        Dep::Page(p) => put(8, site.page(p).key.0, fps.pages[p.index()]),
        Dep::Redirect(r) => put(
            11,
            fingerprint(&[site.redirect(r).path.as_bytes()]),
            fps.redirects[r.index()],
        ),
        Dep::Author(a) => put(11, site.author(a).key.0, fps.authors[a.index()]),
        Dep::Profile(a) => put(12, site.author(a).key.0, fps.profiles[a.index()]),
        Dep::ProfileBody(a) => put(13, site.author(a).key.0, fps.profile_bodies[a.index()]),
        Dep::EntityProfile(k, e) => put(
            14,
            site.entity(k, e).key.0,
            fps.entity_profiles[k.index()][e.index()],
        ),
        Dep::Timeline => put(15, 0, site.briefs.len() as u64),
        Dep::TopicTimeline(t) => put(16, site.topic(t).key.0, site.topic(t).briefs.len() as u64),
        Dep::Outlet(o) => put(17, site.outlet(o).key.0, fps.outlets[o.index()]),
    });
    // Every output may say something in the site's language: pages through their templates
    // (whose fingerprints hold the messages too), feeds through their titles and logs.
    h.update(&[18]);
    h.update(&templates.messages_fingerprint().to_le_bytes());
    h.digest()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::config::Config;
    use crate::layout::{self, Shape};
    use crate::load::{self, SourceFile};
    use crate::model::{self, Input, Options};
    use crate::parse;

    const TALKS: &str = "content/briefs/2025/03/2025-03-12-talks-resume.md";

    /// The `basic` fixture site, with `edit` applied to its brief files first.
    fn site(edit: impl Fn(&mut SourceFile)) -> (Site, Templates) {
        site_with(edit, &[])
    }

    /// The `basic` fixture site with `edit` applied to its briefs, and these author profiles
    /// (path, text).
    fn site_with(edit: impl Fn(&mut SourceFile), profiles: &[(&str, &str)]) -> (Site, Templates) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let config = Config::load(&root).expect("fixture site.toml");
        let (mut sources, _) = load::load(&root);
        sources.briefs.iter_mut().for_each(edit);
        for (path, text) in profiles {
            let file = SourceFile {
                path: path.into(),
                text: text.to_string(),
            };
            match load::content_kind(&file.path) {
                Some(load::ContentKind::Author) => sources.authors.push(file),
                _ => sources.profiles.push(file),
            }
        }
        fn all<T>(
            files: Vec<SourceFile>,
            f: fn(SourceFile) -> Result<T, Vec<crate::Diagnostic>>,
        ) -> Vec<Arc<T>> {
            files
                .into_iter()
                .map(|s| Arc::new(f(s).expect("valid fixture")))
                .collect()
        }
        let templates = Templates::load(&sources.templates, &sources.messages).expect("templates");
        let input = Input {
            briefs: all(sources.briefs, parse::parse_brief),
            topics: all(sources.topics, parse::parse_topic),
            pages: all(sources.pages, parse::parse_page),
            authors: all(sources.authors, parse::parse_author),
            profiles: sources
                .profiles
                .into_iter()
                .map(|f| {
                    let Some(load::ContentKind::Profile(kind)) = load::content_kind(&f.path) else {
                        panic!("{} is not a profile", f.path.display())
                    };
                    Arc::new(parse::parse_profile(f, kind).expect("valid profile"))
                })
                .collect(),
            static_files: vec!["images/map.svg".into()],
            ..Default::default()
        };
        let opts = Options {
            fingerprints: true,
            ..Options::default()
        };
        let site = model::build(config, input, &opts, &|_| None, None).expect("fixture builds");
        (site, templates)
    }

    fn deps_of(site: &Site, output: Output) -> Vec<Dep> {
        let mut out = Vec::new();
        deps(site, output, |d| out.push(d));
        out
    }

    fn brief(site: &Site, path: &str) -> BriefId {
        site.brief_ids()
            .find(|&b| site.brief(b).source() == Path::new(path))
            .expect("the brief")
    }

    /// Output path → signature.
    fn signatures(site: &Site, templates: &Templates) -> Vec<(String, u64)> {
        let plan = layout::plan(site);
        let paths: Vec<String> = plan.iter().map(|o| o.path(site)).collect();
        let fps = fingerprints(site, &paths);
        plan.iter()
            .zip(paths)
            .map(|(&o, p)| (p, signature(site, templates, &fps, o)))
            .collect()
    }

    /// The outputs whose signature differs between the fixture and the fixture with `edit`.
    fn changed_by(edit: impl Fn(&mut SourceFile)) -> BTreeSet<String> {
        changed_between(site(|_| {}), site(edit))
    }

    /// The outputs whose signature differs between two sites.
    fn changed_between((a, ta): (Site, Templates), (b, tb): (Site, Templates)) -> BTreeSet<String> {
        let before: std::collections::HashMap<String, u64> =
            signatures(&a, &ta).into_iter().collect();
        signatures(&b, &tb)
            .into_iter()
            .filter(|(p, s)| before.get(p) != Some(s))
            .map(|(p, _)| p)
            .collect()
    }

    fn edit(path: &'static str, from: &'static str, to: &'static str) -> impl Fn(&mut SourceFile) {
        move |f: &mut SourceFile| {
            if f.path == Path::new(path) {
                assert!(f.text.contains(from), "{path} lacks {from:?}");
                f.text = f.text.replacen(from, to, 1);
            }
        }
    }

    #[test]
    fn a_brief_page_reads_its_brief_names_and_neighbours_cards() {
        let (site, _) = site(|_| {});
        let id = brief(&site, TALKS);
        let b = site.brief(id);
        let deps = deps_of(&site, Output::Brief(id));
        for dep in [
            Dep::Config,
            Dep::Nav,
            Dep::Template("brief.html"),
            Dep::Brief(id),
        ] {
            assert!(deps.contains(&dep), "{dep:?} missing: {deps:?}");
        }
        assert!(!b.related.is_empty() && !b.topic_nav.is_empty());
        for &r in b.related.iter().chain(&b.referenced_by) {
            assert!(deps.contains(&Dep::Card(r)), "card of {r:?} missing");
        }
        for n in &b.topic_nav {
            for other in n.prev.into_iter().chain(n.next) {
                assert!(deps.contains(&Dep::Card(other)));
            }
        }
        for kind in EntityKind::ALL {
            for &e in &b.entities[kind.index()] {
                assert!(deps.contains(&Dep::Entity(kind, e)));
            }
        }
        // Only its own brief whole; others by their cards.
        let whole: Vec<&Dep> = deps.iter().filter(|d| matches!(d, Dep::Brief(_))).collect();
        assert_eq!(whole, [&Dep::Brief(id)]);
    }

    #[test]
    fn a_topic_page_reads_the_cards_on_that_page_only() {
        let (site, _) = site(|_| {});
        let t = site
            .topic_ids()
            .find(|&t| site.topic(t).briefs.len() > site.config.paginate)
            .expect("a topic with two pages");
        let topic = site.topic(t);
        let second = crate::render::topic_slice(&topic.briefs, site.config.paginate, 2);
        let deps = deps_of(&site, Output::Topic(t, 2));
        for &b in second {
            assert!(deps.contains(&Dep::Card(b)));
        }
        // The first page's briefs appear only as the topic's latest, if at all.
        let latest = topic.briefs[0];
        for &b in &topic.briefs[1..site.config.paginate] {
            assert!(b == latest || !deps.contains(&Dep::Card(b)), "{b:?}");
        }
        assert!(deps.contains(&Dep::Template("partials/card.html")));
        assert!(deps.contains(&Dep::Topic(t)));
    }

    #[test]
    fn a_date_in_another_month_redoes_the_activity_charts_that_count_it() {
        const SUMMIT: &str = "content/briefs/2025/02/2025-02-03-summit-date-set.md";
        let (site, _) = site(|_| {});
        let summit = brief(&site, SUMMIT);
        // A topic's first page charts all its briefs, the second page's among them.
        let t = site.brief(summit).topics[0];
        let topic = site.topic(t);
        assert_eq!(topic.slug(), "diplomacy");
        let first = deps_of(&site, Output::Topic(t, 1));
        for &b in &topic.briefs {
            assert!(first.contains(&Dep::Month(b)), "{b:?} not charted");
        }
        assert!(!first.contains(&Dep::Card(summit)), "{first:?}");
        let second = deps_of(&site, Output::Topic(t, 2));
        assert!(!second.iter().any(|d| matches!(d, Dep::Month(_))));
        // An entity's page charts every brief of it.
        for kind in EntityKind::ALL {
            for &e in &site.brief(summit).entities[kind.index()] {
                let deps = deps_of(&site, Output::Entity(kind, e, 1));
                for &b in &site.entity(kind, e).briefs {
                    assert!(deps.contains(&Dep::Month(b)), "{b:?} not charted");
                }
            }
        }
        // The brief stays on the second page, in January: the first page's chart changes.
        let changed = changed_by(edit(SUMMIT, "date: 2025-02-03T", "date: 2025-01-25T"));
        for page in [
            "topics/diplomacy/index.html",
            "topics/diplomacy/page/2/index.html",
            "people/marco-rossi/index.html",
        ] {
            assert!(changed.contains(page), "{page} not redone: {changed:?}");
        }
        // A day later in the same month changes its card, not the chart.
        let changed = changed_by(edit(SUMMIT, "date: 2025-02-03T", "date: 2025-02-04T"));
        assert!(changed.contains("topics/diplomacy/page/2/index.html"));
        assert!(
            !changed.contains("topics/diplomacy/index.html"),
            "{changed:?}"
        );
    }

    #[test]
    fn a_correction_changes_the_brief_its_listings_and_the_corrections_page() {
        let changed = changed_by(edit(
            TALKS,
            "status: confirmed\n",
            "status: confirmed\nupdates:\n  - {date: 2025-03-13, kind: correction, text: Fixes a name.}\n",
        ));
        for path in [
            "briefs/talks-resume/index.html",
            "corrections/index.html",
            "index.html",
            "feed.xml",
        ] {
            assert!(changed.contains(path), "{path} not redone: {changed:?}");
        }
        // An update that is not a correction leaves the corrections page alone.
        let changed = changed_by(edit(
            TALKS,
            "status: confirmed\n",
            "status: confirmed\nupdates:\n  - {date: 2025-03-13, text: Adds a reply.}\n",
        ));
        assert!(changed.contains("briefs/talks-resume/index.html"));
        assert!(!changed.contains("corrections/index.html"), "{changed:?}");
    }

    #[test]
    fn a_body_edit_changes_only_the_pages_showing_the_body() {
        let changed = changed_by(edit(
            TALKS,
            "Negotiators met again",
            "Negotiators met once more",
        ));
        let expected: BTreeSet<String> = [
            "briefs/talks-resume/index.html",
            "feed.xml",
            "topics/energy/feed.xml",
            "topics/diplomacy/feed.xml",
            // The site's `author` signs it: the default byline.
            "authors/fixture-desk/feed.xml",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(changed, expected);
    }

    #[test]
    fn a_summary_edit_changes_every_listing_of_the_brief() {
        let changed = changed_by(edit(
            TALKS,
            "returned to the table",
            "came back to the table",
        ));
        for page in [
            "briefs/talks-resume/index.html",
            "index.html",
            "archive/index.html",
            "topics/energy/index.html",
            "topics/diplomacy/index.html",
            "people/olena-ivanova/index.html",
            "tags/talks/index.html",
            "feed.xml",
        ] {
            assert!(changed.contains(page), "{page} not redone: {changed:?}");
        }
        // Pages that never show the brief, or not its summary, stay as they were.
        for page in [
            "pages/about/index.html",
            "style.css",
            "people/index.html",
            "sitemap.xml",
        ] {
            assert!(!changed.contains(page), "{page} redone: {changed:?}");
        }
    }

    #[test]
    fn a_new_person_changes_the_name_lists() {
        let changed = changed_by(edit(
            TALKS,
            "people: [Olena Ivanova,",
            "people: [Newcomer Person, Olena Ivanova,",
        ));
        for page in [
            "people/index.html",
            "people/newcomer-person/index.html",
            "briefs/talks-resume/index.html",
            "sitemap.xml",
        ] {
            assert!(changed.contains(page), "{page} not redone: {changed:?}");
        }
        assert!(!changed.contains("places/index.html"), "{changed:?}");
    }

    const SUMMIT: &str = "content/briefs/2025/02/2025-02-03-summit-date-set.md";

    /// Marco Rossi, in four briefs: two per page at the fixture's `paginate = 2`.
    fn marco(site: &Site) -> EntityId {
        site.entity_ids(EntityKind::People)
            .find(|&e| site.entity(EntityKind::People, e).slug == "marco-rossi")
            .expect("Marco Rossi")
    }

    #[test]
    fn an_entity_page_reads_the_cards_on_that_page_and_its_feed_the_cards_of_all() {
        let (site, _) = site(|_| {});
        let people = EntityKind::People;
        let e = marco(&site);
        let briefs = &site.entity(people, e).briefs;
        assert_eq!(briefs.len(), 4);
        let deps = deps_of(&site, Output::Entity(people, e, 2));
        for dep in [
            Dep::Template("entity.html"),
            Dep::Template("partials/card.html"),
            Dep::Entity(people, e),
            Dep::Card(briefs[2]),
            Dep::Card(briefs[3]),
        ] {
            assert!(deps.contains(&dep), "{dep:?} missing: {deps:?}");
        }
        // The names and topics it appears with are on its first page only.
        assert!(!deps.contains(&Dep::Related(people, e)), "{deps:?}");
        assert!(deps_of(&site, Output::Entity(people, e, 1)).contains(&Dep::Related(people, e)));
        // The first page's briefs are not on the second.
        for &b in &briefs[..2] {
            assert!(!deps.contains(&Dep::Card(b)), "{b:?}: {deps:?}");
        }
        let feed = deps_of(&site, Output::EntityFeed(people, e));
        assert!(feed.contains(&Dep::Entity(people, e)));
        for &b in briefs {
            assert!(feed.contains(&Dep::Card(b)), "{b:?}: {feed:?}");
        }
        // Summaries only: no brief whole, and no template.
        assert!(
            !feed
                .iter()
                .any(|d| matches!(d, Dep::Brief(_) | Dep::Template(_))),
            "{feed:?}"
        );
    }

    #[test]
    fn a_retitled_brief_redoes_the_entity_pages_listing_it_and_their_feeds_only() {
        let changed = changed_by(edit(
            SUMMIT,
            "title: Summit date set for March",
            "title: Summit date fixed for March",
        ));
        for page in [
            // Marco Rossi's second page lists it; Geneva's and the summit tag's first.
            "people/marco-rossi/page/2/index.html",
            "people/marco-rossi/feed.xml",
            "places/geneva/index.html",
            "places/geneva/feed.xml",
            "tags/summit/index.html",
            "tags/summit/feed.xml",
        ] {
            assert!(changed.contains(page), "{page} not redone: {changed:?}");
        }
        for page in [
            "people/marco-rossi/index.html",
            "people/olena-ivanova/index.html",
            "people/olena-ivanova/feed.xml",
            "people/index.html",
        ] {
            assert!(!changed.contains(page), "{page} redone: {changed:?}");
        }
    }

    #[test]
    fn a_brief_in_a_new_topic_redoes_the_pages_of_its_entities_that_show_it() {
        let changed = changed_by(edit(
            SUMMIT,
            "topics: [diplomacy]",
            "topics: [diplomacy, energy]",
        ));
        // Marco Rossi's first page lists none of the summit brief, but his topics with counts;
        // the second lists the brief.
        for page in [
            "people/marco-rossi/index.html",
            "people/marco-rossi/page/2/index.html",
            "people/marco-rossi/feed.xml",
        ] {
            assert!(changed.contains(page), "{page} not redone: {changed:?}");
        }
        assert!(
            !changed.contains("people/olena-ivanova/index.html"),
            "{changed:?}"
        );
    }

    /// `edit` applied after giving the talks brief two old addresses.
    fn with_aliases(edit: impl Fn(&mut SourceFile)) -> impl Fn(&mut SourceFile) {
        let alias = self::edit(
            TALKS,
            "status: confirmed\n",
            "status: confirmed\naliases: [talks-restart, /2025/03/talks.html]\n",
        );
        move |f: &mut SourceFile| {
            alias(f);
            edit(f);
        }
    }

    /// Signatures of the fixture with aliases, before and after `edit`: the outputs that changed.
    fn redirects_changed_by(edit: impl Fn(&mut SourceFile)) -> BTreeSet<String> {
        changed_between(site(with_aliases(|_| {})), site(with_aliases(edit)))
    }

    #[test]
    fn a_redirect_page_reads_its_redirect_and_the_settings() {
        let (site, _) = site(with_aliases(|_| {}));
        let paths: Vec<&str> = site.redirects().iter().map(|r| r.path.as_str()).collect();
        // The fixture's topic aliases, then the brief's.
        assert_eq!(
            paths,
            [
                "2025/03/talks.html",
                "briefs/talks-restart/index.html",
                "topics/negotiations/index.html",
                "topics/talks/index.html",
            ]
        );
        let r = site
            .redirect_ids()
            .find(|&r| site.redirect(r).path == "2025/03/talks.html")
            .expect("the path alias");
        let deps = deps_of(&site, Output::Redirect(r));
        for dep in [
            Dep::Config,
            Dep::Template("redirect.html"),
            Dep::Redirect(r),
        ] {
            assert!(deps.contains(&dep), "{dep:?} missing: {deps:?}");
        }
        assert!(
            !deps
                .iter()
                .any(|d| matches!(d, Dep::Brief(_) | Dep::Card(_)))
        );
        let list = deps_of(&site, Output::Hosting(HostingFile::Redirects));
        for r in site.redirect_ids() {
            assert!(list.contains(&Dep::Redirect(r)), "_redirects lacks {r:?}");
        }
    }

    #[test]
    fn a_retitled_brief_redoes_its_redirect_pages_and_a_body_edit_does_not() {
        let changed = redirects_changed_by(edit(
            TALKS,
            "title: Talks resume after the border incident",
            "title: Talks restart after the border incident",
        ));
        for page in [
            "2025/03/talks.html",
            "briefs/talks-restart/index.html",
            "_redirects",
        ] {
            assert!(changed.contains(page), "{page} not redone: {changed:?}");
        }
        for page in ["topics/talks/index.html", "_headers", ".nojekyll"] {
            assert!(!changed.contains(page), "{page} redone: {changed:?}");
        }
        let changed = redirects_changed_by(edit(
            TALKS,
            "Negotiators met again",
            "Negotiators met once more",
        ));
        assert!(
            !changed.iter().any(|p| p.contains("talks.html")
                || p.starts_with("briefs/talks-restart/")
                || p == "_redirects"),
            "{changed:?}"
        );
    }

    #[test]
    fn a_new_slug_moves_the_redirects_to_the_new_address() {
        let changed = redirects_changed_by(edit(
            TALKS,
            "topics: [negotiations, energy]",
            "slug: talks-resumed\ntopics: [negotiations, energy]",
        ));
        for page in [
            "2025/03/talks.html",
            "briefs/talks-restart/index.html",
            "_redirects",
            "briefs/talks-resumed/index.html",
        ] {
            assert!(changed.contains(page), "{page} not redone: {changed:?}");
        }
    }

    const OLENA: &str = "content/authors/olena-petrenko.md";
    const PROFILE: &str =
        "---\nname: Olena Petrenko\nrole: Energy analyst\n---\nCovers gas transit.\n";

    /// The fixture with Olena Petrenko signing the talks brief, and her profile.
    fn with_byline(profile: &str) -> (Site, Templates) {
        site_with(
            edit(TALKS, "title:", "authors: [Olena Petrenko]\ntitle:"),
            &[(OLENA, profile)],
        )
    }

    #[test]
    fn an_author_page_reads_their_profile_and_their_cards_on_that_page() {
        let (site, _) = with_byline(PROFILE);
        let olena = site
            .author_ids()
            .find(|&a| site.author(a).slug == "olena-petrenko")
            .expect("the author");
        let talks = brief(&site, TALKS);
        assert_eq!(site.brief(talks).authors, [olena]);
        let deps = deps_of(&site, Output::Author(olena, 1));
        for dep in [
            Dep::Template("author.html"),
            Dep::Template("partials/card.html"),
            Dep::Author(olena),
            Dep::Profile(olena),
            Dep::ProfileBody(olena),
            Dep::Card(talks),
        ] {
            assert!(deps.contains(&dep), "{dep:?} missing: {deps:?}");
        }
        let feed = deps_of(&site, Output::AuthorFeed(olena));
        assert!(feed.contains(&Dep::Brief(talks)), "{feed:?}");
        assert!(deps_of(&site, Output::Authors).contains(&Dep::Author(olena)));
        // The default byline's author lists every other brief.
        let desk = site
            .author_ids()
            .find(|&a| site.author(a).slug == "fixture-desk")
            .expect("the site's author");
        assert_eq!(site.author(desk).briefs.len(), site.briefs.len() - 1);
    }

    #[test]
    fn a_profile_edit_changes_only_that_authors_pages() {
        let changed = changed_between(
            with_byline(PROFILE),
            with_byline(&PROFILE.replace("gas transit", "oil and gas transit")),
        );
        let expected: BTreeSet<String> = ["authors/olena-petrenko/index.html"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(changed, expected);
        // A new role shows in the list of authors too, but not in bylines.
        let changed = changed_between(
            with_byline(PROFILE),
            with_byline(&PROFILE.replace("Energy analyst", "Senior energy analyst")),
        );
        assert!(changed.contains("authors/index.html"), "{changed:?}");
        assert!(
            !changed.contains("briefs/talks-resume/index.html"),
            "{changed:?}"
        );
    }

    #[test]
    fn an_entity_profile_edit_changes_that_entitys_pages_only() {
        const ROSSI: &str = "content/people/marco-rossi.md";
        let profile =
            "---\ntitle: Marco Rossi\ndescription: Chief negotiator.\n---\nProfile text.\n";
        let with = |text: &str| site_with(|_| {}, &[(ROSSI, text)]);
        let rossi: BTreeSet<String> = [
            "people/marco-rossi/index.html",
            "people/marco-rossi/page/2/index.html",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        // The description is every page's lede; the body and links show on the first alone,
        // but one fingerprint covers all the profile says.
        for edit in [
            profile.replace("Chief negotiator.", "Lead negotiator."),
            profile.replace("Profile text.", "Longer profile text."),
            profile.replace(
                "---\nProfile",
                "links:\n  - name: Site\n    url: https://example.org/\n---\nProfile",
            ),
        ] {
            assert_eq!(changed_between(with(profile), with(&edit)), rossi, "{edit}");
        }
        // A new title renames him wherever he is named: every brief page, card and list.
        let changed = changed_between(
            with(profile),
            with(&profile.replace("title: Marco Rossi", "title: Marco A. Rossi")),
        );
        for page in [
            "people/index.html",
            "briefs/talks-resume/index.html",
            "people/marco-rossi/feed.xml",
        ] {
            assert!(changed.contains(page), "{page} in {changed:?}");
        }
        // Olena Ivanova's page lists him among the names she appears with; the border guard's
        // names neither.
        assert!(
            changed.contains("people/olena-ivanova/index.html"),
            "{changed:?}"
        );
        assert!(
            !changed.contains("organizations/border-guard/index.html"),
            "{changed:?}"
        );
    }

    #[test]
    fn a_renamed_author_changes_every_listing_of_their_briefs() {
        let changed = changed_between(
            with_byline(PROFILE),
            with_byline(&PROFILE.replace("name: Olena Petrenko", "name: Olena P. Petrenko")),
        );
        for page in [
            "authors/index.html",
            "authors/olena-petrenko/index.html",
            "authors/olena-petrenko/feed.xml",
            "briefs/talks-resume/index.html",
            "index.html",
            "topics/diplomacy/index.html",
            "feed.xml",
        ] {
            assert!(changed.contains(page), "{page} not redone: {changed:?}");
        }
        assert!(
            !changed.contains("authors/fixture-desk/index.html"),
            "{changed:?}"
        );
        // A new byline moves the brief from the desk's pages to the author's.
        let changed = changed_between(site_with(|_| {}, &[(OLENA, PROFILE)]), with_byline(PROFILE));
        for page in [
            "authors/fixture-desk/index.html",
            "authors/fixture-desk/feed.xml",
            "authors/olena-petrenko/index.html",
            "authors/olena-petrenko/feed.xml",
            "authors/index.html",
            "briefs/talks-resume/index.html",
        ] {
            assert!(changed.contains(page), "{page} not redone: {changed:?}");
        }
    }

    /// The outputs the body edit above changes: the brief's page and the feeds holding it whole.
    fn the_briefs_own(path: &str) -> BTreeSet<String> {
        [
            path,
            "feed.xml",
            "topics/energy/feed.xml",
            "topics/diplomacy/feed.xml",
            "authors/fixture-desk/feed.xml",
        ]
        .into_iter()
        .map(String::from)
        .collect()
    }

    const WIRE: &str = "  - name: Wire Agency\n    url: https://wire.example.com/resume";

    #[test]
    fn a_timeline_page_reads_the_cards_on_that_page_and_the_count() {
        let (site, _) = site(|_| {});
        let deps = deps_of(&site, Output::Timeline(2));
        let per = site.config.paginate;
        for b in site.brief_ids().skip(per).take(per) {
            assert!(deps.contains(&Dep::Card(b)), "{b:?} missing: {deps:?}");
        }
        let cards = deps.iter().filter(|d| matches!(d, Dep::Card(_))).count();
        assert_eq!(cards, per);
        assert!(deps.contains(&Dep::Timeline) && deps.contains(&Dep::Nav));
        let t = site
            .topic_ids()
            .find(|&t| site.topic(t).slug() == "diplomacy")
            .expect("the topic");
        let deps = deps_of(&site, Output::TopicTimeline(t));
        assert!(deps.contains(&Dep::TopicTimeline(t)));
        // One page: all of the topic's briefs.
        for &b in &site.topic(t).briefs {
            assert!(deps.contains(&Dep::Card(b)));
        }
    }

    #[test]
    fn a_source_respelled_in_one_brief_changes_only_that_briefs_page() {
        // "Wire Agency" stays the name: three briefs spell it so, one now otherwise.
        let changed = changed_by(edit(
            TALKS,
            WIRE,
            "  - name: WIRE AGENCY\n    url: https://wire.example.com/resume",
        ));
        assert_eq!(changed, the_briefs_own("briefs/talks-resume/index.html"));
    }

    #[test]
    fn a_source_renamed_to_another_outlet_moves_the_brief_between_their_pages() {
        let (site, _) = site(|_| {});
        let wire = site
            .outlet_ids()
            .find(|&o| site.outlet(o).slug == "wire-agency")
            .expect("the outlet");
        assert_eq!(site.outlet(wire).briefs.len(), 4);
        let changed = changed_by(edit(
            TALKS,
            WIRE,
            "  - name: Harbour Gazette\n    url: https://wire.example.com/resume",
        ));
        let mut expected = the_briefs_own("briefs/talks-resume/index.html");
        expected.extend(
            [
                // Counts, and a new outlet.
                "sources/index.html",
                // Four briefs two to a page become three: both pages shift.
                "sources/wire-agency/index.html",
                "sources/wire-agency/page/2/index.html",
                "sources/harbour-gazette/index.html",
                // A new page.
                "sitemap.xml",
            ]
            .map(String::from),
        );
        assert_eq!(changed, expected);
    }

    #[test]
    fn an_outlets_name_is_its_most_used_spelling_and_its_pages_follow_it() {
        let shout = |path| edit(path, "  - name: Wire Agency", "  - name: WIRE AGENCY");
        let talks = shout(TALKS);
        let istanbul = shout("content/briefs/2025/02/2025-02-14-переговоры-в-стамбуле.md");
        let summit = shout("content/briefs/2025/02/2025-02-03-summit-date-set.md");
        let name = |site: &Site| {
            let o = site
                .outlet_ids()
                .find(|&o| site.outlet(o).slug == "wire-agency")
                .expect("the outlet");
            site.outlet(o).name.clone()
        };
        // Two and two: the earliest brief's spelling, never the newest's.
        let tie = site(|f| {
            talks(f);
            istanbul(f);
        });
        assert_eq!(name(&tie.0), "Wire Agency");
        let three = site(|f| {
            talks(f);
            istanbul(f);
            summit(f);
        });
        assert_eq!(name(&three.0), "WIRE AGENCY");
        let changed = changed_between(tie, three);
        for page in [
            "sources/index.html",
            "sources/wire-agency/index.html",
            "sources/wire-agency/page/2/index.html",
            "briefs/summit-date-set/index.html",
        ] {
            assert!(changed.contains(page), "{page} not redone: {changed:?}");
        }
        assert!(
            !changed
                .iter()
                .any(|p| p.starts_with("timeline/") || p.starts_with("sources/border")),
            "{changed:?}"
        );
    }

    #[test]
    fn a_retitled_brief_changes_the_timelines_and_source_pages_listing_it() {
        let changed = changed_by(edit(
            TALKS,
            "title: Talks resume after the border incident",
            "title: Talks restart after the border incident",
        ));
        let listings: BTreeSet<&str> = changed
            .iter()
            .map(String::as_str)
            .filter(|p| p.starts_with("timeline/") || p.starts_with("sources/"))
            .collect();
        // The newest brief: first on the site's timeline, on its topics' and its outlet's.
        assert_eq!(
            listings,
            BTreeSet::from([
                "sources/wire-agency/index.html",
                "timeline/diplomacy/index.html",
                "timeline/energy/index.html",
                "timeline/index.html",
            ])
        );
        assert!(changed.contains("briefs/talks-resume/index.html"));
    }

    #[test]
    fn a_template_change_reaches_the_pages_that_use_it() {
        let (site, templates) = site(|_| {});
        let base = templates.fingerprint("base.html");
        assert_ne!(base, 0);
        // brief.html extends base.html, so its fingerprint folds base.html's in.
        assert_ne!(templates.fingerprint("brief.html"), base);
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let (mut sources, _) = load::load(&root);
        sources.templates.push(SourceFile {
            path: "base.html".into(),
            text: crate::render::BUILTIN_TEMPLATES
                .iter()
                .find(|(n, _)| *n == "base.html")
                .map(|(_, t)| t.replace("class=\"skip-link\"", "class=\"skip-link x\""))
                .expect("built-in base.html"),
        });
        let changed = Templates::load(&sources.templates, &sources.messages).expect("templates");
        assert_ne!(
            changed.fingerprint("brief.html"),
            templates.fingerprint("brief.html")
        );
        assert_ne!(
            changed.fingerprint("tag.html"),
            templates.fingerprint("tag.html")
        );
        assert_eq!(
            changed.fingerprint("style.css"),
            templates.fingerprint("style.css")
        );
        assert!(site.brief_count() > 0);
    }
}
