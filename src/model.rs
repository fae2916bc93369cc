//! The site model: every brief, topic, entity and page, cross-linked.
//!
//! Takes the [`Sources`] and hands on one [`Site`]. This is the two-pass heart of the build:
//! first all front matter is parsed and every page's URL is fixed (the permalink map), then
//! every Markdown body is rendered with its links resolved against that map. After that the
//! cross-links are computed: briefs per topic and per entity, previous/next within each topic,
//! "referenced by", and related briefs through an inverted index (each brief only looks at briefs
//! that share a term with it, and at most [`RELATED_WINDOW`] of them per term, so the cost stays
//! linear in the number of briefs). Ids are indexes into the `Site`'s vectors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Sources;
use crate::markdown::{self, LinkTargets, Sanitizer, TocEntry};
use crate::parse::{self, BriefDate, ParsedBrief, Source, Status};

pub type BriefId = usize;
pub type TopicId = usize;
pub type EntityId = usize;
pub type PageId = usize;

/// How many briefs related-brief scoring looks at per shared term: the ones nearest in date.
pub const RELATED_WINDOW: usize = 64;
/// How many related briefs a brief lists.
pub const RELATED_COUNT: usize = 5;
/// How many related entities an entity lists.
pub const RELATED_ENTITIES: usize = 8;

/// The kinds of names a brief can list, each with its own pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    People,
    Places,
    Organizations,
    Tags,
}

impl EntityKind {
    pub const ALL: [EntityKind; 4] = [
        EntityKind::People,
        EntityKind::Places,
        EntityKind::Organizations,
        EntityKind::Tags,
    ];

    /// The URL segment and front-matter field.
    pub fn key(self) -> &'static str {
        match self {
            EntityKind::People => "people",
            EntityKind::Places => "places",
            EntityKind::Organizations => "organizations",
            EntityKind::Tags => "tags",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            EntityKind::People => "People",
            EntityKind::Places => "Places",
            EntityKind::Organizations => "Organizations",
            EntityKind::Tags => "Tags",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A published brief with everything it links to.
#[derive(Debug, Clone)]
pub struct Brief {
    pub source: PathBuf,
    pub slug: String,
    /// Root-relative URL of its page, e.g. `briefs/riyadh-talks/index.html`.
    pub url: String,
    pub title: String,
    pub date: BriefDate,
    pub updated: Option<BriefDate>,
    pub summary: String,
    pub status: Option<Status>,
    pub sources: Vec<Source>,
    pub draft: bool,
    pub topics: Vec<TopicId>,
    /// Entity ids per kind, indexed by [`EntityKind::index`].
    pub entities: [Vec<EntityId>; 4],
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub words: usize,
    /// Briefs this one links to, in order of first link.
    pub links_to: Vec<BriefId>,
    /// Briefs that link to this one, newest first.
    pub referenced_by: Vec<BriefId>,
    pub related: Vec<BriefId>,
    /// Per topic of the brief: the older and newer brief in that topic.
    pub topic_nav: Vec<TopicNav>,
}

impl Brief {
    pub fn reading_time(&self) -> usize {
        self.words.div_ceil(200).max(1)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct TopicNav {
    pub topic: TopicId,
    pub prev: Option<BriefId>,
    pub next: Option<BriefId>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub source: PathBuf,
    pub slug: String,
    /// Root-relative URL of the topic's first page.
    pub url: String,
    pub title: String,
    pub summary: Option<String>,
    pub order: Option<i64>,
    pub aliases: Vec<String>,
    pub html: String,
    /// Its briefs, newest first.
    pub briefs: Vec<BriefId>,
}

#[derive(Debug, Clone)]
pub struct Entity {
    pub kind: EntityKind,
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Its briefs, newest first.
    pub briefs: Vec<BriefId>,
    /// Entities that appear in the same briefs most often, with the number of shared briefs.
    pub related: Vec<(EntityKind, EntityId, usize)>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub source: PathBuf,
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: Option<String>,
    pub order: Option<i64>,
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Newest first; ties broken by slug.
    pub briefs: Vec<Brief>,
    /// In `order`, then by title.
    pub topics: Vec<Topic>,
    /// Entities per kind, indexed by [`EntityKind::index`], sorted by slug.
    pub entities: [Vec<Entity>; 4],
    /// In `order`, then by title.
    pub pages: Vec<Page>,
    /// Files under `static/`, relative to it, with forward slashes.
    pub static_files: Vec<String>,
    /// Warnings found on the way; the build goes on.
    pub warnings: Vec<Diagnostic>,
}

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub drafts: bool,
}

/// Builds the site model; any error-level problem fails it, with every problem found.
pub fn build(config: Config, sources: Sources, opts: &Options) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::default();

    // Pass 1: front matter.
    let (briefs, e) = parse_all(sources.briefs, parse::parse_brief);
    diags.extend(e);
    let (topics, e) = parse_all(sources.topics, parse::parse_topic);
    diags.extend(e);
    let (pages, e) = parse_all(sources.pages, parse::parse_page);
    diags.extend(e);

    let mut briefs: Vec<ParsedBrief> = briefs
        .into_iter()
        .filter(|b| opts.drafts || !b.draft)
        .collect();
    briefs.sort_by(|a, b| {
        b.date
            .timestamp
            .cmp(&a.date.timestamp)
            .then_with(|| a.slug.cmp(&b.slug))
            .then_with(|| a.file.path.cmp(&b.file.path))
    });
    let mut topics = topics;
    topics.sort_by(|a, b| {
        order_key(a.order, &a.title, &a.slug).cmp(&order_key(b.order, &b.title, &b.slug))
    });
    let mut pages = pages;
    pages.sort_by(|a, b| {
        order_key(a.order, &a.title, &a.slug).cmp(&order_key(b.order, &b.title, &b.slug))
    });

    check_unique(
        briefs.iter().map(|b| (b.slug.as_str(), &b.file.path)),
        |i| {
            let b = &briefs[i];
            (&b.file.text, b.key_offset("slug"))
        },
        "brief",
        &mut diags,
    );
    check_unique(
        pages.iter().map(|p| (p.slug.as_str(), &p.file.path)),
        |i| (&pages[i].file.text, 0),
        "page",
        &mut diags,
    );

    // Topic slugs and aliases → topic id.
    let mut topic_ids: HashMap<&str, TopicId> = HashMap::new();
    let mut topic_owner: HashMap<&str, &Path> = HashMap::new();
    for (id, t) in topics.iter().enumerate() {
        for name in std::iter::once(&t.slug).chain(&t.aliases) {
            if let Some(other) = topic_owner.get(name.as_str()) {
                diags.push(
                    Diagnostic::error(&t.file.path, format!("topic name {name:?} is already used by {}", other.display()))
                        .at_offset(&t.file.text, 0)
                        .with_help("each topic slug and alias must be unique; rename the file or change `aliases`"),
                );
                continue;
            }
            topic_owner.insert(name, &t.file.path);
            topic_ids.insert(name, id);
        }
    }

    // Resolve each brief's topics.
    let mut brief_topics: Vec<Vec<TopicId>> = Vec::with_capacity(briefs.len());
    for b in &briefs {
        let mut ids = Vec::new();
        for name in &b.topics {
            let key = parse::slugify(name);
            match topic_ids.get(key.as_str()) {
                Some(&id) => {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                None => diags.push(unknown_topic(b, name, &topic_ids)),
            }
        }
        brief_topics.push(ids);
    }

    // Entities, keyed by slug so spelling variants of one name share a page.
    // Each name is slugified once, in parallel; the slugs are reused to look up entity ids.
    let brief_slugs: Vec<[Vec<String>; 4]> = briefs
        .par_iter()
        .map(|b| {
            EntityKind::ALL.map(|kind| {
                brief_names(b, kind)
                    .iter()
                    .map(|n| parse::slugify(n))
                    .collect()
            })
        })
        .collect();
    // One pass per kind, the four in parallel: each name's first spelling names the entity;
    // the list is then sorted by slug, which is the entities' order everywhere.
    let per_kind: Vec<(Vec<EntityDraft>, Vec<Diagnostic>)> = EntityKind::ALL
        .par_iter()
        .map(|&kind| {
            let mut index: HashMap<&str, usize> = HashMap::new();
            let mut list: Vec<EntityDraft> = Vec::new();
            let mut errors = Vec::new();
            for (id, b) in briefs.iter().enumerate() {
                for (name, slug) in brief_names(b, kind)
                    .iter()
                    .zip(&brief_slugs[id][kind.index()])
                {
                    if slug.is_empty() {
                        errors.push(
                            Diagnostic::error(
                                &b.file.path,
                                format!("cannot make a URL slug for {} {name:?}", kind.key()),
                            )
                            .at_line_of(&b.file.text, b.key_offset(kind.key()))
                            .with_help("use a name with letters or digits"),
                        );
                        continue;
                    }
                    let i = *index.entry(slug.as_str()).or_insert_with(|| {
                        list.push((slug.as_str(), name.as_str(), Vec::new()));
                        list.len() - 1
                    });
                    let ids = &mut list[i].2;
                    if ids.last() != Some(&id) {
                        ids.push(id);
                    }
                }
            }
            list.sort_unstable_by(|a, b| a.0.cmp(b.0));
            (list, errors)
        })
        .collect();
    let mut entities: [Vec<Entity>; 4] = Default::default();
    let mut entity_ids: [HashMap<&str, EntityId>; 4] = Default::default();
    for (kind, (list, errors)) in EntityKind::ALL.into_iter().zip(per_kind) {
        diags.extend(errors);
        for (slug, name, ids) in list {
            entity_ids[kind.index()].insert(slug, entities[kind.index()].len());
            entities[kind.index()].push(Entity {
                kind,
                url: format!("{}/{slug}/index.html", kind.key()),
                name: name.to_string(),
                slug: slug.to_string(),
                briefs: ids,
                related: Vec::new(),
            });
        }
    }

    // The permalink map: everything a link may point at.
    let static_files: Vec<String> = sources
        .static_files
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    let mut targets = LinkTargets::default();
    for b in &briefs {
        targets
            .content
            .insert(b.file.path.clone(), brief_url(&b.slug));
    }
    for t in &topics {
        targets
            .content
            .insert(t.file.path.clone(), topic_url(&t.slug));
    }
    for p in &pages {
        targets
            .content
            .insert(p.file.path.clone(), page_url(&p.slug));
    }
    targets.files.extend(targets.content.values().cloned());
    targets.files.extend(static_files.iter().cloned());
    for fixed in [
        "index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "archive/index.html",
        "topics/index.html",
    ] {
        targets.files.insert(fixed.to_string());
    }
    for t in &topics {
        targets.files.insert(format!("topics/{}/feed.xml", t.slug));
    }
    for kind in EntityKind::ALL {
        targets.files.insert(format!("{}/index.html", kind.key()));
        for e in &entities[kind.index()] {
            targets.files.insert(e.url.clone());
        }
    }

    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }

    // Pass 2: Markdown, with links resolved.
    let sanitizer = Sanitizer::default();
    let sanitizer = (!config.unsafe_html).then_some(&sanitizer);
    let render = |path: &Path, text: &str, body_offset: usize| {
        markdown::render(&markdown::Input {
            path,
            text,
            body_offset,
            targets: &targets,
            root_prefix: "../../",
            sanitizer,
        })
    };
    // Nothing after this pass reads a brief's source text (its diagnostics are made), so each
    // is freed as soon as its HTML exists: sources and HTML are never all in memory at once.
    let brief_html: Vec<_> = briefs
        .par_iter_mut()
        .map(|b| {
            let rendered = render(&b.file.path, &b.file.text, b.body_offset);
            b.file.text = String::new();
            rendered
        })
        .collect();
    let topic_html: Vec<_> = topics
        .par_iter()
        .map(|t| render(&t.file.path, &t.file.text, t.body_offset))
        .collect();
    let page_html: Vec<_> = pages
        .par_iter()
        .map(|p| render(&p.file.path, &p.file.text, p.body_offset))
        .collect();
    for (r, d) in brief_html.iter().chain(&topic_html).chain(&page_html) {
        let _ = r;
        diags.extend(d.iter().cloned());
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }

    let brief_by_path: HashMap<&Path, BriefId> = briefs
        .iter()
        .enumerate()
        .map(|(i, b)| (b.file.path.as_path(), i))
        .collect();
    let links_to: Vec<Vec<BriefId>> = brief_html
        .par_iter()
        .enumerate()
        .map(|(id, (rendered, _))| {
            let mut links_to = Vec::new();
            for target in &rendered.links {
                if let Some(&t) = brief_by_path.get(target.as_path())
                    && t != id
                    && !links_to.contains(&t)
                {
                    links_to.push(t);
                }
            }
            links_to
        })
        .collect();
    drop(brief_by_path);
    // Each parsed brief is moved into its Brief, in parallel; its source text is freed there.
    let mut site_briefs: Vec<Brief> = briefs
        .into_par_iter()
        .zip(brief_html)
        .zip(links_to)
        .zip(brief_topics)
        .enumerate()
        .map(|(id, (((b, (rendered, _)), links_to), topics))| {
            let entities = EntityKind::ALL.map(|kind| {
                let ids = &entity_ids[kind.index()];
                let mut out: Vec<EntityId> = Vec::new();
                for slug in &brief_slugs[id][kind.index()] {
                    if let Some(&e) = ids.get(slug.as_str())
                        && !out.contains(&e)
                    {
                        out.push(e);
                    }
                }
                out
            });
            Brief {
                url: brief_url(&b.slug),
                source: b.file.path,
                slug: b.slug,
                title: b.title,
                date: b.date,
                updated: b.updated,
                summary: b.summary.unwrap_or(rendered.first_paragraph),
                status: b.status,
                sources: b.sources,
                draft: b.draft,
                topics,
                entities,
                html: rendered.html,
                toc: rendered.toc,
                words: rendered.words,
                links_to,
                referenced_by: Vec::new(),
                related: Vec::new(),
                topic_nav: Vec::new(),
            }
        })
        .collect();

    // Referenced by: briefs are newest first, so each list comes out newest first.
    for id in 0..site_briefs.len() {
        for t in site_briefs[id].links_to.clone() {
            site_briefs[t].referenced_by.push(id);
        }
    }

    let mut site_topics: Vec<Topic> = topics
        .into_iter()
        .zip(topic_html)
        .map(|(t, (r, _))| Topic {
            url: topic_url(&t.slug),
            source: t.file.path,
            slug: t.slug,
            title: t.title,
            summary: t.summary,
            order: t.order,
            aliases: t.aliases,
            html: r.html,
            briefs: Vec::new(),
        })
        .collect();
    for (id, b) in site_briefs.iter().enumerate() {
        for &t in &b.topics {
            site_topics[t].briefs.push(id);
        }
    }
    for (topic, t) in site_topics.iter().enumerate() {
        for (i, &b) in t.briefs.iter().enumerate() {
            let nav = TopicNav {
                topic,
                next: i.checked_sub(1).map(|j| t.briefs[j]),
                prev: t.briefs.get(i + 1).copied(),
            };
            site_briefs[b].topic_nav.push(nav);
        }
    }
    for b in &mut site_briefs {
        // Keep the nav in the order the brief lists its topics.
        let order = b.topics.clone();
        b.topic_nav
            .sort_by_key(|n| order.iter().position(|&t| t == n.topic));
    }

    let related = related_briefs(&site_briefs, site_topics.len(), &entities);
    for (b, r) in site_briefs.iter_mut().zip(related) {
        b.related = r;
    }
    related_entities(&site_briefs, &mut entities);

    let site_pages = pages
        .into_iter()
        .zip(page_html)
        .map(|(p, (r, _))| Page {
            url: page_url(&p.slug),
            source: p.file.path,
            slug: p.slug,
            title: p.title,
            summary: p.summary,
            order: p.order,
            html: r.html,
            toc: r.toc,
        })
        .collect();

    diags.sort();
    Ok(Site {
        config,
        briefs: site_briefs,
        topics: site_topics,
        entities,
        pages: site_pages,
        static_files,
        warnings: diags.0,
    })
}

/// An entity while it is being collected: slug, first spelling of the name, briefs.
type EntityDraft<'s, 'n> = (&'s str, &'n str, Vec<BriefId>);

pub fn brief_url(slug: &str) -> String {
    format!("briefs/{slug}/index.html")
}
pub fn topic_url(slug: &str) -> String {
    format!("topics/{slug}/index.html")
}
pub fn page_url(slug: &str) -> String {
    format!("pages/{slug}/index.html")
}

fn order_key<'a>(
    order: Option<i64>,
    title: &'a str,
    slug: &'a str,
) -> (bool, i64, String, &'a str) {
    (
        order.is_none(),
        order.unwrap_or(0),
        title.to_lowercase(),
        slug,
    )
}

fn brief_names(b: &ParsedBrief, kind: EntityKind) -> &[String] {
    match kind {
        EntityKind::People => &b.people,
        EntityKind::Places => &b.places,
        EntityKind::Organizations => &b.organizations,
        EntityKind::Tags => &b.tags,
    }
}

/// Parses files in parallel, keeping the good ones and every problem.
fn parse_all<T: Send>(
    files: Vec<crate::load::SourceFile>,
    f: fn(crate::load::SourceFile) -> Result<T, Vec<Diagnostic>>,
) -> (Vec<T>, Vec<Diagnostic>) {
    let results: Vec<_> = files.into_par_iter().map(f).collect();
    let mut ok = Vec::with_capacity(results.len());
    let mut errs = Vec::new();
    for r in results {
        match r {
            Ok(t) => ok.push(t),
            Err(e) => errs.extend(e),
        }
    }
    (ok, errs)
}

/// Reports every slug used by two files, naming both.
/// Reports every item whose slug an earlier item already has; `locate` gives the text and
/// offset to point at for the item at an index, and is called only for duplicates.
fn check_unique<'a>(
    items: impl Iterator<Item = (&'a str, &'a PathBuf)>,
    locate: impl Fn(usize) -> (&'a String, usize),
    what: &str,
    diags: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, &PathBuf> = HashMap::new();
    let mut dupes = Vec::new();
    for (i, (slug, path)) in items.enumerate() {
        if let Some(first) = seen.get(slug) {
            let (text, offset) = locate(i);
            dupes.push(
                Diagnostic::error(path, format!("{what} slug {slug:?} is also used by {}", first.display()))
                    .at_line_of(text, offset)
                    .with_help("two files would write the same page; rename one file or set a different `slug:`"),
            );
        } else {
            seen.insert(slug, path);
        }
    }
    diags.extend(dupes);
}

fn unknown_topic(b: &ParsedBrief, name: &str, topics: &HashMap<&str, TopicId>) -> Diagnostic {
    let mut known: Vec<&str> = topics.keys().copied().collect();
    known.sort_unstable();
    let best = known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let help = match best {
        Some((_, k)) => format!("did you mean {k:?}? Known topics: {}", known.join(", ")),
        None if known.is_empty() => {
            "there are no topics yet: add content/topics/<slug>.md with a `title:`".to_string()
        }
        None => format!(
            "known topics: {}; or add content/topics/{}.md",
            known.join(", "),
            parse::slugify(name)
        ),
    };
    Diagnostic::error(&b.file.path, format!("unknown topic {name:?}"))
        .at_line_of(&b.file.text, b.key_offset("topics"))
        .with_help(help)
}

/// Scores related briefs through an inverted index of topics, entities and tags.
///
/// A shared topic weighs 3, a shared person, place or organization 2, a shared tag 1. For each
/// term only the [`RELATED_WINDOW`] briefs nearest in date are scored, which keeps the work per
/// brief bounded even for terms with thousands of briefs.
fn related_briefs(
    briefs: &[Brief],
    n_topics: usize,
    entities: &[Vec<Entity>; 4],
) -> Vec<Vec<BriefId>> {
    let mut topic_postings: Vec<Vec<BriefId>> = vec![Vec::new(); n_topics];
    for (id, b) in briefs.iter().enumerate() {
        for &t in &b.topics {
            topic_postings[t].push(id);
        }
    }
    briefs
        .par_iter()
        .enumerate()
        .map_init(
            // Per-worker scratch: a score per brief, and which scores are set, so a brief's
            // candidates are summed in time linear in their number, with no sort or hashing.
            || (vec![0u32; briefs.len()], Vec::<BriefId>::new()),
            |(scores, touched), (id, b)| {
                let mut add = |postings: &[BriefId], weight: u32| {
                    // Postings are sorted by id, which is date order.
                    let pos = postings.binary_search(&id).unwrap_or_else(|p| p);
                    let half = RELATED_WINDOW / 2;
                    let start = pos.saturating_sub(half);
                    let end = (pos + half + 1).min(postings.len());
                    for &o in &postings[start..end] {
                        if o != id {
                            if scores[o] == 0 {
                                touched.push(o);
                            }
                            scores[o] += weight;
                        }
                    }
                };
                for &t in &b.topics {
                    add(&topic_postings[t], 3);
                }
                for kind in EntityKind::ALL {
                    let weight = if kind == EntityKind::Tags { 1 } else { 2 };
                    for &e in &b.entities[kind.index()] {
                        add(&entities[kind.index()][e].briefs, weight);
                    }
                }
                let ranked: Vec<(BriefId, u32)> = touched
                    .drain(..)
                    .map(|o| (o, std::mem::take(&mut scores[o])))
                    .collect();
                // Highest score first; among equals, nearest in date, then newest.
                top(ranked, RELATED_COUNT, |a, b| {
                    b.1.cmp(&a.1)
                        .then(a.0.abs_diff(id).cmp(&b.0.abs_diff(id)))
                        .then(a.0.cmp(&b.0))
                })
                .into_iter()
                .map(|(b, _)| b)
                .collect()
            },
        )
        .collect()
}

/// Sums the weights of equal keys.
fn sum_runs<K: Ord + Copy>(mut hits: Vec<(K, u32)>) -> Vec<(K, u32)> {
    hits.sort_unstable_by_key(|h| h.0);
    let mut out: Vec<(K, u32)> = Vec::with_capacity(hits.len());
    for (k, w) in hits {
        match out.last_mut() {
            Some(last) if last.0 == k => last.1 += w,
            _ => out.push((k, w)),
        }
    }
    out
}

/// The `n` smallest items by `cmp`, sorted, without sorting the whole list.
fn top<T>(mut items: Vec<T>, n: usize, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    if items.len() > n {
        items.select_nth_unstable_by(n, &cmp);
        items.truncate(n);
    }
    items.sort_unstable_by(&cmp);
    items
}

/// For each entity, the entities that share the most briefs with it.
fn related_entities(briefs: &[Brief], entities: &mut [Vec<Entity>; 4]) {
    let related: Vec<Vec<Vec<(EntityKind, EntityId, usize)>>> = EntityKind::ALL
        .iter()
        .map(|&kind| {
            entities[kind.index()]
                .par_iter()
                .enumerate()
                .map(|(me, e)| {
                    let mut hits: Vec<((EntityKind, EntityId), u32)> = Vec::new();
                    for &b in &e.briefs {
                        for other_kind in EntityKind::ALL {
                            for &o in &briefs[b].entities[other_kind.index()] {
                                if !(other_kind == kind && o == me) {
                                    hits.push(((other_kind, o), 1));
                                }
                            }
                        }
                    }
                    let ranked = sum_runs(hits);
                    top(ranked, RELATED_ENTITIES, |a, b| {
                        b.1.cmp(&a.1).then(a.0.cmp(&b.0))
                    })
                    .into_iter()
                    .map(|((k, id), n)| (k, id, n as usize))
                    .collect()
                })
                .collect()
        })
        .collect();
    for (kind, lists) in EntityKind::ALL.iter().zip(related) {
        for (e, r) in entities[kind.index()].iter_mut().zip(lists) {
            e.related = r;
        }
    }
}
