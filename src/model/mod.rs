//! The site model: every brief, topic, entity, page, author and source outlet, cross-linked.
//!
//! Takes parsed front matter ([`Input`]) and hands on one [`Site`]. This is the two-pass heart of
//! the build: first the site's [`Structure`] is made from front matter alone (briefs in date order,
//! topics and their members, entities and theirs, authors and their bylines, source outlets and
//! the briefs citing them, previous/next within topics, related briefs and entities, the redirect
//! pages of aliases ([`redirects`])), which fixes every output path ([`crate::layout`]); then
//! every Markdown body is rendered with its links resolved against those paths; then "referenced
//! by" is read off the bodies' links. Each step is a function that returns its part whole;
//! [`build`] is the list of steps. A session hands the last build's structure back in, and it is
//! reused whole while the front matter that decides it is unchanged.
//!
//! Ids ([`BriefId`], …) are positions in this build's sorted lists, cheap to index by. What
//! keeps a brief's identity from one build to the next is its source path, hashed into a
//! [`SourceKey`]; an entity's is its kind and slug ([`EntityKey`]); an author's their slug
//! ([`AuthorKey`]); a source outlet's its slug ([`OutletKey`]).

pub mod names;
pub mod redirects;
mod related;

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::images::{self, Blob, Processed};
use crate::layout::{self, Output, Shape};
use crate::markdown::{self, LinkTargets, Rendered, Sanitizer};
use crate::parse::{self, ParsedAuthor, ParsedBrief, ParsedPage, ParsedProfile, ParsedTopic};

pub use redirects::{Redirect, Target};
pub use related::{RELATED_COUNT, RELATED_ENTITIES, RELATED_WINDOW};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl $name {
            pub fn new(index: usize) -> Self {
                // OK because a site has far fewer than 4 billion items of any kind.
                $name(u32::try_from(index).expect("fewer than 2^32 items"))
            }
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// A brief's position in this build, newest first.
    BriefId
);
id_type!(
    /// A topic's position in this build, in `order`, then by title.
    TopicId
);
id_type!(
    /// An entity's position among its kind in this build, by slug.
    EntityId
);
id_type!(
    /// A free page's position in this build, in `order`, then by title.
    PageId
);
id_type!(
    /// A redirect's position in this build, by old address.
    RedirectId
);
id_type!(
    /// An author's position in this build, by slug.
    AuthorId
);
id_type!(
    /// A source outlet's position in this build, by slug.
    OutletId
);

/// A brief's, topic's or page's identity across builds: a hash of its source path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceKey(pub u64);

impl SourceKey {
    pub fn of(path: &Path) -> SourceKey {
        SourceKey(xxhash_rust::xxh3::xxh3_64(
            path.as_os_str().as_encoded_bytes(),
        ))
    }
}

/// An entity's identity across builds: its kind and slug, hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityKey(pub u64);

impl EntityKey {
    pub fn of(kind: EntityKind, slug: &str) -> EntityKey {
        EntityKey(xxhash_rust::xxh3::xxh3_64_with_seed(
            slug.as_bytes(),
            kind.index() as u64,
        ))
    }
}

/// An author's identity across builds: their slug, hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AuthorKey(pub u64);

impl AuthorKey {
    pub fn of(slug: &str) -> AuthorKey {
        // Seeded apart from the entity kinds, so an author and a person of one slug differ.
        AuthorKey(xxhash_rust::xxh3::xxh3_64_with_seed(slug.as_bytes(), 0xa7))
    }
}

/// A source outlet's identity across builds: its slug, hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutletKey(pub u64);

impl OutletKey {
    pub fn of(slug: &str) -> OutletKey {
        // Seeded apart from the entity kinds and authors.
        OutletKey(xxhash_rust::xxh3::xxh3_64_with_seed(slug.as_bytes(), 0x50))
    }
}

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

    /// The message naming one of the kind in the interface's language (`kind_person`); the
    /// kind as a whole is the message named by [`EntityKind::key`] (`people`).
    pub fn singular_message(self) -> &'static str {
        match self {
            EntityKind::People => "kind_person",
            EntityKind::Places => "kind_place",
            EntityKind::Organizations => "kind_organization",
            EntityKind::Tags => "kind_tag",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// One of the kind, in words: "person", "place", "organization", "tag".
    pub fn singular(self) -> &'static str {
        match self {
            EntityKind::People => "person",
            EntityKind::Places => "place",
            EntityKind::Organizations => "organization",
            EntityKind::Tags => "tag",
        }
    }
}

/// A rendered Markdown body with what rendering it found, shared between builds while its file
/// and the links it resolved stay the same.
#[derive(Debug)]
pub struct Body {
    pub rendered: Rendered,
    /// Broken links and other problems of the body, replayed on every build that reuses it.
    pub diagnostics: Vec<Diagnostic>,
    /// A hash of the source text and the HTML: what the pages showing the body read of it.
    pub fingerprint: u64,
}

impl Body {
    pub fn html(&self) -> &str {
        &self.rendered.html
    }
}

/// A published brief with everything it links to.
#[derive(Debug, Clone)]
pub struct Brief {
    pub key: SourceKey,
    /// Its front matter (and source text, while a session keeps it).
    pub doc: Arc<ParsedBrief>,
    pub body: Arc<Body>,
    /// Root-relative URL of its page, e.g. `briefs/riyadh-talks/index.html`.
    pub url: String,
    pub topics: Vec<TopicId>,
    /// Entity ids per kind, indexed by [`EntityKind::index`].
    pub entities: [Vec<EntityId>; 4],
    /// Briefs this one links to, in order of first link.
    pub links_to: Vec<BriefId>,
    /// Briefs that link to this one, newest first.
    pub referenced_by: Vec<BriefId>,
    pub related: Vec<BriefId>,
    /// Per topic of the brief: the older and newer brief in that topic.
    pub topic_nav: Vec<TopicNav>,
    /// Dated after the build's clock: published only because of `--future`.
    pub scheduled: bool,
    /// Its byline: the authors it lists, else the site's `author` (see [`Brief::byline_default`]),
    /// else none.
    pub authors: Vec<AuthorId>,
    /// Its lead image, resized (the text that goes with it is in `doc.image`).
    pub image: Option<Arc<Processed>>,
}

impl Brief {
    /// Left out of feeds and the sitemap: a draft or a scheduled brief, built only because of
    /// `--drafts` or `--future`.
    pub fn unlisted(&self) -> bool {
        self.doc.draft || self.scheduled
    }
    /// Whether its log of changes holds a correction.
    pub fn has_corrections(&self) -> bool {
        self.doc
            .updates
            .iter()
            .any(|u| u.kind == crate::parse::UpdateKind::Correction)
    }
    pub fn source(&self) -> &Path {
        &self.doc.file.path
    }
    pub fn slug(&self) -> &str {
        &self.doc.slug
    }
    pub fn title(&self) -> &str {
        &self.doc.title
    }
    /// The summary from front matter, else the body's first paragraph.
    pub fn summary(&self) -> &str {
        self.doc
            .summary
            .as_deref()
            .unwrap_or(&self.body.rendered.first_paragraph)
    }
    pub fn html(&self) -> &str {
        self.body.html()
    }
    pub fn words(&self) -> usize {
        self.body.rendered.words.words
    }
    /// Minutes, at least 1 (see [`crate::markdown::WordCount`] for the rates).
    pub fn reading_time(&self) -> usize {
        self.body.rendered.words.reading_minutes()
    }
    /// Whether the byline is the site's `author`, standing in for a brief that lists none.
    pub fn byline_default(&self) -> bool {
        self.doc.authors.is_empty() && !self.authors.is_empty()
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
    pub key: SourceKey,
    pub doc: Arc<ParsedTopic>,
    pub body: Arc<Body>,
    /// Root-relative URL of the topic's first page.
    pub url: String,
    /// Its briefs, newest first.
    pub briefs: Vec<BriefId>,
}

impl Topic {
    pub fn slug(&self) -> &str {
        &self.doc.slug
    }
    pub fn title(&self) -> &str {
        &self.doc.title
    }
}

#[derive(Debug, Clone)]
pub struct Entity {
    pub kind: EntityKind,
    pub key: EntityKey,
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Its briefs, newest first.
    pub briefs: Vec<BriefId>,
    /// Entities that appear in the same briefs most often, with the number of shared briefs.
    pub related: Vec<(EntityKind, EntityId, usize)>,
    /// The topics of its briefs, with how many of its briefs each holds: most first, then in
    /// the site's order of topics.
    pub topics: Vec<(TopicId, usize)>,
    /// Its profile file (`content/people/<slug>.md`, …), if it has one.
    pub profile: Option<EntityProfile>,
}

/// An entity's profile, parsed and rendered.
#[derive(Debug, Clone)]
pub struct EntityProfile {
    pub key: SourceKey,
    pub doc: Arc<ParsedProfile>,
    pub body: Arc<Body>,
    /// Its image, resized.
    pub image: Option<Arc<Processed>>,
}

/// Someone briefs are by: named in a brief's `authors:` (or the site's default `author`), or
/// given a profile in `content/authors/`, or both.
#[derive(Debug, Clone)]
pub struct Author {
    pub key: AuthorKey,
    /// The profile's name, else the first spelling met in bylines, newest brief first.
    pub name: String,
    pub slug: String,
    /// Root-relative URL of the author's first page.
    pub url: String,
    /// Their briefs, newest first.
    pub briefs: Vec<BriefId>,
    pub profile: Option<Profile>,
}

/// A source outlet: a `name` of briefs' `sources:`, keyed by its slug so spellings that differ
/// in case, accents or punctuation (`Reuters`, `REUTERS`) share one page.
#[derive(Debug, Clone)]
pub struct Outlet {
    pub key: OutletKey,
    /// The spelling briefs use most, ties to the earliest brief's (see [`names::Spellings`]).
    pub name: String,
    pub slug: String,
    /// Root-relative URL of the outlet's first page.
    pub url: String,
    /// The briefs citing it, each once, newest first.
    pub briefs: Vec<BriefId>,
}

/// An author's profile file, parsed and rendered.
#[derive(Debug, Clone)]
pub struct Profile {
    pub key: SourceKey,
    pub doc: Arc<ParsedAuthor>,
    pub body: Arc<Body>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub key: SourceKey,
    pub doc: Arc<ParsedPage>,
    pub body: Arc<Body>,
    pub url: String,
}

impl Page {
    pub fn slug(&self) -> &str {
        &self.doc.slug
    }
    pub fn title(&self) -> &str {
        &self.doc.title
    }
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
    /// By slug.
    pub authors: Vec<Author>,
    /// The source outlets briefs cite, by slug.
    pub outlets: Vec<Outlet>,
    /// What front matter decided, for the next build of a session to reuse.
    pub structure: Arc<Structure>,
    /// Warnings found on the way; the build goes on.
    pub warnings: Vec<Diagnostic>,
    /// Files beside content files that bodies link to: (output path, source path relative to
    /// the root), sorted by output path.
    pub assets: Vec<(String, PathBuf)>,
    /// Briefs held back until their time (without `--future`), soonest first.
    pub scheduled: Vec<(PathBuf, jiff::Timestamp)>,
    /// Every resized lead image to write: (output path, bytes), sorted by output path.
    pub images: Vec<(String, Blob)>,
    /// What making them cost.
    pub image_stats: images::Stats,
    /// Where the site's made images (lead images, social cards) are kept between builds.
    pub image_cache: images::Cache,
    /// Which language trees have each page, on a multilingual site (set once every tree is
    /// modelled).
    pub translations: Option<Arc<crate::translations::Translations>>,
}

impl Site {
    /// Files under `static/`, relative to it, with forward slashes.
    pub fn static_files(&self) -> &[String] {
        &self.structure.catalog.static_files
    }
    pub fn brief(&self, id: BriefId) -> &Brief {
        &self.briefs[id.index()]
    }
    pub fn topic(&self, id: TopicId) -> &Topic {
        &self.topics[id.index()]
    }
    pub fn entity(&self, kind: EntityKind, id: EntityId) -> &Entity {
        &self.entities[kind.index()][id.index()]
    }
    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id.index()]
    }
    pub fn brief_ids(&self) -> impl Iterator<Item = BriefId> + use<> {
        (0..self.briefs.len()).map(BriefId::new)
    }
    pub fn topic_ids(&self) -> impl Iterator<Item = TopicId> + use<> {
        (0..self.topics.len()).map(TopicId::new)
    }
    pub fn entity_ids(&self, kind: EntityKind) -> impl Iterator<Item = EntityId> + use<> {
        (0..self.entities[kind.index()].len()).map(EntityId::new)
    }
    pub fn page_ids(&self) -> impl Iterator<Item = PageId> + use<> {
        (0..self.pages.len()).map(PageId::new)
    }
    /// Every old address with a redirect page, sorted by path.
    pub fn redirects(&self) -> &[Redirect] {
        &self.structure.redirects
    }
    pub fn redirect(&self, id: RedirectId) -> &Redirect {
        &self.structure.redirects[id.index()]
    }
    pub fn redirect_ids(&self) -> impl Iterator<Item = RedirectId> + use<> {
        (0..self.structure.redirects.len()).map(RedirectId::new)
    }
    /// The root-relative URL and the title of the page a redirect leads to.
    pub fn target(&self, target: Target) -> (&str, &str) {
        match target {
            Target::Brief(b) => (&self.brief(b).url, self.brief(b).title()),
            Target::Topic(t) => (&self.topic(t).url, self.topic(t).title()),
            Target::Page(p) => (&self.page(p).url, self.page(p).title()),
            Target::Entity(k, e) => (&self.entity(k, e).url, &self.entity(k, e).name),
        }
    }
    pub fn author(&self, id: AuthorId) -> &Author {
        &self.authors[id.index()]
    }
    pub fn author_ids(&self) -> impl Iterator<Item = AuthorId> + use<> {
        (0..self.authors.len()).map(AuthorId::new)
    }
    pub fn outlet(&self, id: OutletId) -> &Outlet {
        &self.outlets[id.index()]
    }
    pub fn outlet_ids(&self) -> impl Iterator<Item = OutletId> + use<> {
        (0..self.outlets.len()).map(OutletId::new)
    }
}

impl Shape for Site {
    fn brief_count(&self) -> usize {
        self.briefs.len()
    }
    fn brief_slug(&self, b: BriefId) -> &str {
        self.brief(b).slug()
    }
    fn topic_count(&self) -> usize {
        self.topics.len()
    }
    fn topic_slug(&self, t: TopicId) -> &str {
        self.topic(t).slug()
    }
    fn topic_size(&self, t: TopicId) -> usize {
        self.topic(t).briefs.len()
    }
    fn entity_count(&self, kind: EntityKind) -> usize {
        self.entities[kind.index()].len()
    }
    fn entity_slug(&self, kind: EntityKind, e: EntityId) -> &str {
        &self.entity(kind, e).slug
    }
    fn entity_size(&self, kind: EntityKind, e: EntityId) -> usize {
        self.entity(kind, e).briefs.len()
    }
    fn page_count(&self) -> usize {
        self.pages.len()
    }
    fn page_slug(&self, p: PageId) -> &str {
        self.page(p).slug()
    }
    fn paginate(&self) -> usize {
        self.config.paginate
    }
    fn redirect_count(&self) -> usize {
        self.structure.redirects.len()
    }
    fn redirect_path(&self, r: RedirectId) -> &str {
        &self.redirect(r).path
    }
    fn hosting_files(&self) -> bool {
        self.config.hosting_files
    }
    fn site_root(&self) -> bool {
        self.config.tree.index == 0
    }
    fn search(&self) -> bool {
        self.config.search
    }
    fn author_count(&self) -> usize {
        self.authors.len()
    }
    fn author_slug(&self, a: AuthorId) -> &str {
        &self.author(a).slug
    }
    fn author_size(&self, a: AuthorId) -> usize {
        self.author(a).briefs.len()
    }
    fn social_card(&self, b: BriefId) -> bool {
        self.config.social_cards && self.brief(b).doc.image.is_none()
    }
    fn outlet_count(&self) -> usize {
        self.outlets.len()
    }
    fn outlet_slug(&self, o: OutletId) -> &str {
        &self.outlet(o).slug
    }
    fn outlet_size(&self, o: OutletId) -> usize {
        self.outlet(o).briefs.len()
    }
}

/// What the model is made from: the parsed files, whatever order they come in.
#[derive(Debug, Default)]
pub struct Input {
    pub briefs: Vec<Arc<ParsedBrief>>,
    pub topics: Vec<Arc<ParsedTopic>>,
    pub pages: Vec<Arc<ParsedPage>>,
    pub authors: Vec<Arc<ParsedAuthor>>,
    /// Profiles of people, places, organisations and tags.
    pub profiles: Vec<Arc<ParsedProfile>>,
    /// Files under `static/`, relative to it, with forward slashes.
    pub static_files: Vec<String>,
    /// Files under `content/` that are not Markdown, relative to the root (page-bundle assets).
    pub assets: Vec<PathBuf>,
    /// Content files that could not be read or parsed, relative to the root: links to them are
    /// not reported as broken (their own errors are).
    pub broken: Vec<PathBuf>,
    /// Ids the templates use literally (`main`, `brief-toc`), which content ids must not take.
    pub reserved_ids: Vec<String>,
    /// The site folder, where images are measured; `None` measures none.
    pub root: Option<PathBuf>,
    /// Problems found while parsing the files, reported with the model's own.
    pub diagnostics: Vec<Diagnostic>,
    /// Where resized lead images are kept between builds.
    pub image_cache: images::Cache,
    /// Lead images processed by an earlier build of a session, by source path: reused while
    /// their files are unchanged (the session drops the ones that changed).
    pub images: FxHashMap<PathBuf, Arc<Processed>>,
    /// On a multilingual site, content files whose page in this tree is another file's
    /// (an original whose translation this tree shows): (linked file, shown file).
    pub aliases: Vec<(PathBuf, PathBuf)>,
    /// On a multilingual site, content files with no page in this tree, and their page in
    /// another tree as a path from this tree's root (`../briefs/x/index.html`).
    pub elsewhere: Vec<(PathBuf, String)>,
}

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub drafts: bool,
    /// Compute each body's fingerprint, for a session that compares builds.
    pub fingerprints: bool,
    /// Publish briefs dated after `now` too (`--future`), marked as scheduled.
    pub future: bool,
    /// The clock that decides what is published: a brief dated after it is scheduled, held
    /// back unless `future`. `None` holds nothing back.
    pub now: Option<jiff::Timestamp>,
}

impl Options {
    /// Whether the brief's time has not come yet.
    pub fn is_scheduled(&self, b: &ParsedBrief) -> bool {
        self.now.is_some_and(|now| b.date.timestamp > now)
    }

    /// Whether the brief is left out of the site: a draft (without `--drafts`), or scheduled
    /// (without `--future`).
    pub fn held_back(&self, b: &ParsedBrief) -> bool {
        (b.draft && !self.drafts) || (!self.future && self.is_scheduled(b))
    }
}

/// A body rendered in an earlier build, if the caller kept one for this file: reused when the
/// links it resolved still resolve the same.
pub type Cached<'a> = &'a (dyn Fn(&Path) -> Option<Arc<Body>> + Sync);

/// Builds the site model; any error-level problem fails it, with every problem found.
///
/// `previous` is the [`Structure`] of an earlier build of the same session: when no file's
/// structural front matter changed (see [`structure_key`]), it is reused whole, so an edit to a
/// brief's text, title or summary costs no sorting, grouping or related-brief scoring.
pub fn build(
    config: Config,
    mut input: Input,
    opts: &Options,
    cached: Cached<'_>,
    previous: Option<&Arc<Structure>>,
) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics(std::mem::take(&mut input.diagnostics));
    let input_images = LeadInput {
        kept: std::mem::take(&mut input.images),
        cache: std::mem::take(&mut input.image_cache),
    };
    let key = structure_key(&config, &input, opts);
    let mut scheduled: Vec<(PathBuf, jiff::Timestamp)> = input
        .briefs
        .iter()
        .filter(|b| (opts.drafts || !b.draft) && !opts.future && opts.is_scheduled(b))
        .map(|b| (b.file.path.clone(), b.date.timestamp))
        .collect();
    scheduled.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    let (docs, structure, same_targets) = match previous {
        Some(prev) if prev.key == key => (prev.order.apply(input), Arc::clone(prev), true),
        _ => {
            let (docs, structure) = structure(&config, input, opts, key, &mut diags);
            (docs, Arc::new(structure), false)
        }
    };
    // Structural errors do not stop the bodies from being checked: one run reports every
    // problem.

    // Pass 2: Markdown, with links resolved against every output path.
    let targets = &structure.targets;
    let sanitizer = Sanitizer::default();
    let render = |path: &Path, text: &str, body_offset: usize| -> Arc<Body> {
        // With the same structure every path resolves as it did, so a kept body stands.
        if let Some(body) = cached(path)
            && (same_targets || body.rendered.still_valid(targets))
        {
            return body;
        }
        let (rendered, diagnostics) = markdown::render(&markdown::Input {
            path,
            text,
            body_offset,
            targets,
            root_prefix: "../../",
            sanitizer: (!config.unsafe_html).then_some(&sanitizer),
        });
        let fingerprint = if opts.fingerprints {
            fingerprint(&[text.as_bytes(), rendered.html.as_bytes()])
        } else {
            0
        };
        Arc::new(Body {
            rendered,
            diagnostics,
            fingerprint,
        })
    };
    let brief_bodies: Vec<Arc<Body>> = docs
        .briefs
        .par_iter()
        .map(|b| render(&b.file.path, &b.file.text, b.body_offset))
        .collect();
    let topic_bodies: Vec<Arc<Body>> = docs
        .topics
        .par_iter()
        .map(|t| render(&t.file.path, &t.file.text, t.body_offset))
        .collect();
    let page_bodies: Vec<Arc<Body>> = docs
        .pages
        .par_iter()
        .map(|p| render(&p.file.path, &p.file.text, p.body_offset))
        .collect();
    let profile_bodies: Vec<Arc<Body>> = docs
        .authors
        .par_iter()
        .map(|a| render(&a.file.path, &a.file.text, a.body_offset))
        .collect();
    let entity_bodies: Vec<Arc<Body>> = docs
        .profiles
        .par_iter()
        .map(|p| render(&p.file.path, &p.file.text, p.body_offset))
        .collect();
    for body in brief_bodies
        .iter()
        .chain(&topic_bodies)
        .chain(&page_bodies)
        .chain(&profile_bodies)
        .chain(&entity_bodies)
    {
        diags.extend(body.diagnostics.iter().cloned());
    }
    let assets = assets(
        &docs,
        [
            &brief_bodies,
            &topic_bodies,
            &page_bodies,
            &profile_bodies,
            &entity_bodies,
        ],
        targets,
        &mut diags,
    );
    let lead = lead_images(
        &docs,
        &structure.catalog.static_files,
        targets,
        &input_images,
        &mut diags,
    );
    editorial_warnings(&docs, &structure.catalog, &mut diags);
    let with_fragments: Vec<(&Path, &str, &markdown::Rendered)> = docs
        .briefs
        .iter()
        .map(|b| (b.file.path.as_path(), b.file.text.as_str()))
        .zip(&brief_bodies)
        .chain(
            docs.topics
                .iter()
                .map(|t| (t.file.path.as_path(), t.file.text.as_str()))
                .zip(&topic_bodies),
        )
        .chain(
            docs.pages
                .iter()
                .map(|p| (p.file.path.as_path(), p.file.text.as_str()))
                .zip(&page_bodies),
        )
        .chain(
            docs.profiles
                .iter()
                .map(|p| (p.file.path.as_path(), p.file.text.as_str()))
                .zip(&entity_bodies),
        )
        .map(|((path, text), body)| (path, text, &body.rendered))
        .collect();
    diags.extend(markdown::check_fragments(
        &with_fragments,
        &targets.reserved_ids,
    ));
    drop(with_fragments);
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }

    let mut docs = docs;
    if !opts.fingerprints {
        // A one-off build reads no source text after this pass (its diagnostics are made), so
        // each is freed: sources and HTML are never all in memory at once. A session keeps them.
        docs.briefs.par_iter_mut().for_each(|b| {
            if let Some(b) = Arc::get_mut(b) {
                b.file.text = String::new();
            }
        });
    }
    let links_to = links_to(&structure.by_path, &brief_bodies);
    let referenced_by = referenced_by(&links_to);
    diags.sort();
    let mut site = assemble(
        config,
        docs,
        structure,
        Bodies {
            briefs: brief_bodies,
            topics: topic_bodies,
            pages: page_bodies,
            profiles: profile_bodies,
            entities: entity_bodies,
            assets,
            lead,
        },
        links_to,
        referenced_by,
        diags.0,
    );
    site.scheduled = scheduled;
    if opts.future {
        for b in &mut site.briefs {
            b.scheduled = opts.is_scheduled(&b.doc);
        }
    }
    Ok(site)
}

/// What a desk's editor would query before publishing: briefs that cite no source, topics with
/// no brief, names spelled inconsistently.
fn editorial_warnings(docs: &Docs, catalog: &Catalog, diags: &mut Diagnostics) {
    name_warnings(docs, catalog, diags);
    for b in &docs.briefs {
        if b.sources.is_empty() {
            diags.push(
                Diagnostic::error(&b.file.path, "the brief names no sources")
                    .warning()
                    .at_line_of(&b.file.text, b.front_offset)
                    .with_code("no-sources")
                    .with_help("add `sources:` with at least one `- name: …` (and `url:` where there is one)"),
            );
        }
    }
    for (t, briefs) in docs.topics.iter().zip(&catalog.topic_briefs) {
        if briefs.is_empty() {
            diags.push(
                Diagnostic::error(&t.file.path, format!("the topic {:?} has no published briefs", t.slug))
                    .warning()
                    .at_line_of(&t.file.text, t.front_offset)
                    .with_code("empty-topic")
                    .with_help(format!(
                        "list it in a brief's `topics: [{}]`, or remove the topic file; its page lists nothing",
                        t.slug
                    )),
            );
        }
    }
    let bylines: Vec<&str> = catalog
        .authors
        .iter()
        .filter(|a| !a.briefs.is_empty())
        .map(|a| a.slug.as_str())
        .collect();
    for a in catalog.authors.iter().filter(|a| a.briefs.is_empty()) {
        let Some(p) = a.profile else { continue };
        let doc = &docs.authors[p];
        let help = match crate::diagnostic::closest(&a.slug, &bylines) {
            Some(k) => format!(
                "bylines link to a profile by the slug of the name: did you mean content/authors/{k}.md? Or list {:?} in a brief's `authors:`",
                doc.name
            ),
            None => format!(
                "list {:?} in a brief's `authors:`; a profile's file name is the slug of that name ({}.md); its page lists nothing",
                doc.name, a.slug
            ),
        };
        diags.push(
            Diagnostic::error(
                &doc.file.path,
                format!("no published brief is by the author {:?}", doc.name),
            )
            .warning()
            .at_line_of(&doc.file.text, doc.front_offset)
            .with_code("empty-author")
            .with_help(help),
        );
    }
}

/// Names spelled in ways that differ only in case, accents, punctuation or spacing: within one
/// entity (a spelling other than the one its page shows, which its profile does not declare), and
/// across entities (two pages whose slugs differ only by hyphens: `Al Assad` and `AlAssad`).
/// Profiles that no brief names. Linear: one hash map per kind.
fn name_warnings(docs: &Docs, catalog: &Catalog, diags: &mut Diagnostics) {
    let profile_file = |kind: EntityKind, e: &EntityEntry| match e.profile {
        Some(p) => docs.profiles[p].file.path.display().to_string(),
        None => format!("{}/{}/{}.md", crate::load::CONTENT_DIR, kind.key(), e.slug),
    };
    for kind in EntityKind::ALL {
        let entries = &catalog.entities[kind.index()];
        let singular = kind.singular();
        for e in entries {
            for (spelling, newest) in &e.variants {
                let b = &docs.briefs[newest.index()];
                let file = profile_file(kind, e);
                let help = format!(
                    "write {:?} as the other briefs do, or settle the name with a profile: {file} with `title: {}` and `aliases: [{spelling:?}]`",
                    e.name, e.name
                );
                diags.push(
                    Diagnostic::error(
                        &b.file.path,
                        format!(
                            "the {singular} {spelling:?} is spelled differently elsewhere: its page shows {:?}",
                            e.name
                        ),
                    )
                    .warning()
                    .at_line_of(&b.file.text, b.key_offset(kind.key()))
                    .with_code("name-variant")
                    .with_help(help),
                );
            }
        }
        let mut loose: FxHashMap<String, usize> = FxHashMap::default();
        for (i, e) in entries.iter().enumerate() {
            let key = e.slug.replace('-', "");
            let Some(&first) = loose.get(&key) else {
                loose.insert(key, i);
                continue;
            };
            let (a, b) = (&entries[first], e);
            // Where to look: the newest brief naming the second one, else its profile.
            let (path, text, offset) = match (b.briefs.first(), b.profile) {
                (Some(id), _) => {
                    let brief = &docs.briefs[id.index()];
                    (
                        &brief.file.path,
                        &brief.file.text,
                        brief.key_offset(kind.key()),
                    )
                }
                (None, Some(p)) => {
                    let p = &docs.profiles[p];
                    (&p.file.path, &p.file.text, p.front_offset)
                }
                (None, None) => continue,
            };
            let keep = if a.profile.is_some() || b.profile.is_none() {
                a
            } else {
                b
            };
            let other = if std::ptr::eq(keep, a) { b } else { a };
            diags.push(
                Diagnostic::error(
                    path,
                    format!(
                        "the {} {:?} and {:?} differ only in spacing or punctuation, and have two pages ({} and {})",
                        kind.key(),
                        a.name,
                        b.name,
                        layout::entity_url(kind, &a.slug),
                        layout::entity_url(kind, &b.slug),
                    ),
                )
                .warning()
                .at_line_of(text, offset)
                .with_code("near-duplicate-name")
                .with_help(format!(
                    "if they are one {singular}, list {:?} in `aliases:` of {} (create it with `title: {}` if it does not exist)",
                    other.name,
                    profile_file(kind, keep),
                    keep.name
                )),
            );
        }
        for e in entries.iter().filter(|e| e.briefs.is_empty()) {
            let Some(p) = e.profile else { continue };
            let doc = &docs.profiles[p];
            diags.push(
                Diagnostic::error(
                    &doc.file.path,
                    format!("no published brief names the {singular} {:?}", doc.title),
                )
                .warning()
                .at_line_of(&doc.file.text, doc.front_offset)
                .with_code("empty-profile")
                .with_help(format!(
                    "list {:?} (or one of its `aliases`) in a brief's `{}:`; its page lists nothing yet",
                    doc.title,
                    kind.key()
                )),
            );
        }
    }
}

/// Where each linked page-bundle asset is copied: the folder of the page showing the body,
/// under the path it was linked by. A copy that would land on a generated or static file is an
/// error.
fn assets(
    docs: &Docs,
    [briefs, topics, pages, profiles, entities]: [&[Arc<Body>]; 5],
    targets: &LinkTargets,
    diags: &mut Diagnostics,
) -> Vec<(String, PathBuf)> {
    let dir = |url: String| url.strip_suffix("index.html").unwrap_or(&url).to_string();
    let owners = docs
        .briefs
        .iter()
        .map(|b| (dir(layout::brief_url(&b.slug)), &b.file))
        .zip(briefs)
        .chain(
            docs.topics
                .iter()
                .map(|t| (dir(layout::topic_url(&t.slug)), &t.file))
                .zip(topics),
        )
        .chain(
            docs.pages
                .iter()
                .map(|p| (dir(layout::page_url(&p.slug)), &p.file))
                .zip(pages),
        )
        .chain(
            docs.authors
                .iter()
                .map(|a| (dir(layout::author_url(&a.slug)), &a.file))
                .zip(profiles),
        )
        .chain(
            docs.profiles
                .iter()
                .map(|p| (dir(layout::entity_url(p.kind, &p.slug)), &p.file))
                .zip(entities),
        );
    let mut out: Vec<(String, PathBuf)> = Vec::new();
    for ((dir, file), body) in owners {
        for a in &body.rendered.assets {
            let path = format!("{dir}{}", a.dest);
            if targets.files.contains(&path)
                || targets.files.contains(&format!("{path}/index.html"))
            {
                diags.push(
                    Diagnostic::error(
                        &file.path,
                        format!(
                            "{} would be copied to {path}, which the site already has",
                            a.source.display()
                        ),
                    )
                    .with_code("asset-collision")
                    .with_help("rename the file beside the content file"),
                );
                continue;
            }
            out.push((path, a.source.clone()));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// What lead images are made with: the cache, and what a session kept from its last build.
struct LeadInput {
    kept: FxHashMap<PathBuf, Arc<Processed>>,
    cache: images::Cache,
}

/// Every brief's lead image: each file found (beside the brief, or in `static/`), read and
/// resized once however many briefs show it, in parallel. A missing, unreadable, damaged, too
/// large or unsupported file is an error at the brief's `image:` line.
fn lead_images(
    docs: &Docs,
    static_files: &[String],
    targets: &LinkTargets,
    input: &LeadInput,
    diags: &mut Diagnostics,
) -> Lead {
    let start = std::time::Instant::now();
    let Some(root) = targets.root.as_deref() else {
        return Lead::none(docs.briefs.len(), docs.profiles.len(), input.cache.clone());
    };
    let wanted = || {
        let briefs = docs.briefs.iter().map(|b| ImageOwner::Brief(b));
        briefs.chain(docs.profiles.iter().map(|p| ImageOwner::Profile(p)))
    };
    let statics: rustc_hash::FxHashSet<&str> = if wanted().any(|o| o.image().is_some()) {
        static_files.iter().map(String::as_str).collect()
    } else {
        Default::default()
    };
    let sources: Vec<Option<PathBuf>> = wanted()
        .map(|o| {
            lead_source(&o, &o.image()?.src, &statics, targets)
                .map_err(|d| diags.push(d))
                .ok()
        })
        .collect();
    let mut unique: Vec<&PathBuf> = sources.iter().flatten().collect();
    unique.sort();
    unique.dedup();
    let processed: FxHashMap<&PathBuf, Result<Arc<Processed>, images::Problem>> = unique
        .par_iter()
        .map(|&p| {
            let done = match input.kept.get(p) {
                Some(kept) => Ok(Arc::clone(kept)),
                None => images::process(root, p, &input.cache).map(Arc::new),
            };
            (p, done)
        })
        .collect();
    let mut stats = images::Stats {
        images: unique.len(),
        ..Default::default()
    };
    for (p, done) in &processed {
        if let Ok(done) = done {
            if input.kept.contains_key(*p) {
                // Each width in both formats, as when they come from the cache.
                stats.cached += done.variants.len() * 2;
            } else {
                stats.encoded += done.encoded;
                stats.cached += done.cached;
            }
        }
    }
    let mut per_brief: Vec<Option<Arc<Processed>>> = wanted()
        .zip(&sources)
        .map(|(o, source)| {
            let done = processed.get(source.as_ref()?)?;
            match done {
                Ok(p) => Some(Arc::clone(p)),
                Err(problem) => {
                    let file = o.file();
                    diags.push(
                        Diagnostic::error(&file.path, problem.message.clone())
                            .with_code("lead-image")
                            .at_line_of(&file.text, o.image_offset())
                            .with_help(problem.help.clone()),
                    );
                    None
                }
            }
        })
        .collect();
    let per_profile = per_brief.split_off(docs.briefs.len());
    let files = lead_files(processed.into_values().flatten(), targets, diags);
    stats.time = start.elapsed();
    Lead {
        per_brief,
        per_profile,
        files,
        stats,
        cache: input.cache.clone(),
    }
}

/// A file that may name an image to resize: a brief (its lead image) or an entity profile.
enum ImageOwner<'a> {
    Brief(&'a ParsedBrief),
    Profile(&'a ParsedProfile),
}

impl ImageOwner<'_> {
    fn file(&self) -> &crate::load::SourceFile {
        match self {
            ImageOwner::Brief(b) => &b.file,
            ImageOwner::Profile(p) => &p.file,
        }
    }
    fn image(&self) -> Option<&parse::ImageField> {
        match self {
            ImageOwner::Brief(b) => b.image.as_ref(),
            ImageOwner::Profile(p) => p.image.as_ref(),
        }
    }
    fn image_offset(&self) -> usize {
        match self {
            ImageOwner::Brief(b) => b.image_offset(),
            ImageOwner::Profile(p) => p.image_offset(),
        }
    }
}

/// Every file of the processed images, sorted by output path, each once; a file that would
/// land on one the site already has is an error.
fn lead_files(
    processed: impl Iterator<Item = Arc<Processed>>,
    targets: &LinkTargets,
    diags: &mut Diagnostics,
) -> Vec<(String, Blob)> {
    let mut files: Vec<(String, Blob)> = Vec::new();
    for done in processed {
        for (path, blob) in &done.files {
            if targets.files.contains(path) {
                diags.push(
                    Diagnostic::error(
                        &done.source,
                        format!(
                            "the resized image {path} has the path of a file the site already has"
                        ),
                    )
                    .with_code("asset-collision")
                    .with_help("rename the file in static/ that has this name"),
                );
            }
            files.push((path.clone(), blob.clone()));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    files
}

/// The lead image file a brief names, relative to the root: beside the brief, or in `static/`
/// when written from the root (`/images/map.png`).
fn lead_source(
    owner: &ImageOwner<'_>,
    src: &str,
    statics: &rustc_hash::FxHashSet<&str>,
    targets: &LinkTargets,
) -> Result<PathBuf, Diagnostic> {
    let found = match src.strip_prefix('/') {
        Some(rooted) => statics
            .contains(rooted)
            .then(|| Path::new(crate::load::STATIC_DIR).join(rooted)),
        None => {
            let base = owner.file().path.parent().unwrap_or(Path::new(""));
            markdown::normalize(&base.join(src)).filter(|p| targets.assets.contains(p))
        }
    };
    found.ok_or_else(|| {
        let file = owner.file();
        let folder = file.path.parent().unwrap_or(Path::new("")).display().to_string();
        let what = match owner {
            ImageOwner::Brief(_) => "lead image",
            ImageOwner::Profile(_) => "image",
        };
        Diagnostic::error(&file.path, format!("the {what} {src:?} does not exist"))
            .with_code("broken-link")
            .at_line_of(&file.text, owner.image_offset())
            .with_help(if src.starts_with('/') {
                format!("a path starting with / names a file in static/: static{src}")
            } else {
                format!("a relative path names a file beside this file, in {folder}; start it with / for a file in static/")
            })
    })
}

/// Lead images as the model hands them on.
struct Lead {
    per_brief: Vec<Option<Arc<Processed>>>,
    /// In the order of [`Docs::profiles`].
    per_profile: Vec<Option<Arc<Processed>>>,
    files: Vec<(String, Blob)>,
    stats: images::Stats,
    cache: images::Cache,
}

impl Lead {
    fn none(briefs: usize, profiles: usize, cache: images::Cache) -> Lead {
        Lead {
            per_brief: vec![None; briefs],
            per_profile: vec![None; profiles],
            files: Vec::new(),
            stats: images::Stats::default(),
            cache,
        }
    }
}

/// The parsed files, in the site's order: briefs newest first, topics and pages by `order`.
pub struct Docs {
    pub briefs: Vec<Arc<ParsedBrief>>,
    pub topics: Vec<Arc<ParsedTopic>>,
    pub pages: Vec<Arc<ParsedPage>>,
    /// Author profiles, by slug.
    pub authors: Vec<Arc<ParsedAuthor>>,
    /// Entity profiles, by kind, then slug.
    pub profiles: Vec<Arc<ParsedProfile>>,
}

/// Where each file of the [`Input`] goes in the site's order (published briefs only).
#[derive(Debug)]
pub struct Order {
    briefs: Vec<usize>,
    topics: Vec<usize>,
    pages: Vec<usize>,
    authors: Vec<usize>,
    profiles: Vec<usize>,
}

impl Order {
    /// Puts an input with the same files as the one this order was made from in order.
    fn apply(&self, input: Input) -> Docs {
        fn pick<T>(order: &[usize], items: Vec<Arc<T>>) -> Vec<Arc<T>> {
            order.iter().map(|&i| Arc::clone(&items[i])).collect()
        }
        Docs {
            briefs: pick(&self.briefs, input.briefs),
            topics: pick(&self.topics, input.topics),
            pages: pick(&self.pages, input.pages),
            authors: pick(&self.authors, input.authors),
            profiles: pick(&self.profiles, input.profiles),
        }
    }
}

/// All that the site's structural front matter decides, with what is computed from it alone:
/// the order of everything, topic and entity membership, every output path, previous/next
/// within topics, related briefs and entities, and the topics of each entity with counts.
#[derive(Debug)]
pub struct Structure {
    /// [`structure_key`] of the input it was made from.
    key: u64,
    order: Order,
    pub catalog: Catalog,
    /// Every path a link may point at (see [`crate::layout`]).
    pub targets: LinkTargets,
    /// Brief source path → brief, to resolve links between briefs (keyed by the path's bytes,
    /// which hash faster than its components).
    by_path: FxHashMap<std::ffi::OsString, BriefId>,
    topic_nav: Vec<Vec<TopicNav>>,
    related: Vec<Vec<BriefId>>,
    entity_related: [Vec<Vec<(EntityKind, EntityId, usize)>>; 4],
    entity_topics: [Vec<Vec<(TopicId, usize)>>; 4],
    /// Every old address with a redirect page, sorted by path.
    pub redirects: Vec<Redirect>,
}

/// A hash of every front-matter field that decides the site's structure: file paths, slugs,
/// dates, drafts, topics, names, source names (outlets have pages), aliases and authors of
/// briefs; slugs, titles, order and aliases of topics and pages; which author profiles exist; the
/// default author; the static files; pagination; whether hosting files are written. Titles,
/// summaries, bodies and statuses of briefs are not in it, nor their sources' URLs and dates, nor
/// anything a profile says bar entity profiles' titles and aliases: changing them leaves the structure as it is.
pub fn structure_key(config: &Config, input: &Input, opts: &Options) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut put = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    put(&[u8::from(opts.drafts), u8::from(opts.future)]);
    // Which briefs the clock holds back: time passing can publish one.
    let held: Vec<u8> = input
        .briefs
        .iter()
        .map(|b| u8::from(opts.held_back(b)))
        .collect();
    put(&held);
    put(&(config.paginate as u64).to_le_bytes());
    put(&[u8::from(config.hosting_files), u8::from(config.search)]);
    put(config.author.as_bytes());
    for a in &input.authors {
        put(a.file.path.as_os_str().as_encoded_bytes());
    }
    put(&[u8::from(config.social_cards)]);
    // Which names a profile claims decides which page each brief's names land on; its title
    // names the page everywhere.
    for p in &input.profiles {
        put(p.file.path.as_os_str().as_encoded_bytes());
        // Its path, title and aliases: the names it claims are made from them.
        put(p.title.as_bytes());
        for a in &p.aliases {
            put(a.as_bytes());
        }
    }
    put(&[0xfe]);
    for f in &input.static_files {
        put(f.as_bytes());
    }
    for p in input.assets.iter().chain(&input.broken) {
        put(p.as_os_str().as_encoded_bytes());
    }
    put(&[0xff]);
    put(config.tree.prefix.as_bytes());
    for (a, b) in &input.aliases {
        put(a.as_os_str().as_encoded_bytes());
        put(b.as_os_str().as_encoded_bytes());
    }
    for (a, url) in &input.elsewhere {
        put(a.as_os_str().as_encoded_bytes());
        put(url.as_bytes());
    }
    for id in &input.reserved_ids {
        put(id.as_bytes());
    }
    let briefs: Vec<u8> = input
        .briefs
        .iter()
        .flat_map(|b| b.structure.to_le_bytes())
        .collect();
    put(&briefs);
    for t in &input.topics {
        put(t.file.path.as_os_str().as_encoded_bytes());
        put(t.title.as_bytes());
        put(&format!("{:?}", t.order).into_bytes());
        for a in &t.old_addresses {
            put(a.written.as_bytes());
        }
    }
    for p in &input.pages {
        put(p.file.path.as_os_str().as_encoded_bytes());
        put(p.title.as_bytes());
        put(&format!("{:?}", p.order).into_bytes());
        for a in &p.old_addresses {
            put(a.written.as_bytes());
        }
    }
    h.digest()
}

/// The site's structure, made from scratch.
fn structure(
    config: &Config,
    mut input: Input,
    opts: &Options,
    key: u64,
    diags: &mut Diagnostics,
) -> (Docs, Structure) {
    let order = Order {
        briefs: published_briefs(&input.briefs, opts),
        topics: sorted_by_order(&input.topics, |t| (t.order, &t.title, &t.slug)),
        pages: sorted_by_order(&input.pages, |p| (p.order, &p.title, &p.slug)),
        authors: by_slug(&input.authors),
        profiles: profiles_in_order(&input.profiles),
    };
    let static_files = input.static_files.clone();
    let assets = std::mem::take(&mut input.assets);
    let broken = std::mem::take(&mut input.broken);
    let reserved_ids = std::mem::take(&mut input.reserved_ids);
    let aliases = std::mem::take(&mut input.aliases);
    let elsewhere = std::mem::take(&mut input.elsewhere);
    let root = input.root.take();
    let scheduled: FxHashMap<PathBuf, jiff::Timestamp> = input
        .briefs
        .iter()
        .filter(|b| !opts.future && opts.is_scheduled(b))
        .map(|b| (b.file.path.clone(), b.date.timestamp))
        .collect();
    let docs = order.apply(input);
    let catalog = catalog(config, &docs, static_files, diags);
    // What the site writes besides redirects, which the redirects may not overwrite.
    let real = View {
        docs: &docs,
        catalog: &catalog,
        redirects: &[],
    };
    let real: Vec<(Output, String)> = layout::plan(&real)
        .into_iter()
        .map(|o| (o, o.path(&real)))
        .collect();
    let redirects = redirects::collect(
        &docs,
        &real,
        &catalog.static_files,
        &catalog.entities,
        diags,
    );
    let view = View {
        docs: &docs,
        catalog: &catalog,
        redirects: &redirects,
    };
    let mut targets = link_targets(&view, real);
    for (linked, shown) in &aliases {
        if let Some(url) = targets.content.get(shown).cloned() {
            targets.content.insert(linked.clone(), url);
        }
    }
    for (file, url) in elsewhere {
        targets.content.entry(file).or_insert(url);
    }
    targets.assets = assets.into_iter().collect();
    targets.broken = broken.into_iter().collect();
    targets.reserved_key = fingerprint(
        &reserved_ids
            .iter()
            .map(String::as_bytes)
            .collect::<Vec<_>>(),
    );
    targets.reserved_ids = reserved_ids.into_iter().collect();
    targets.root = root;
    targets.scheduled = scheduled;
    let mut by_path: FxHashMap<std::ffi::OsString, BriefId> = docs
        .briefs
        .iter()
        .enumerate()
        .map(|(i, b)| (b.file.path.clone().into_os_string(), BriefId::new(i)))
        .collect();
    for (linked, shown) in &aliases {
        if let Some(&id) = by_path.get(shown.as_os_str()) {
            by_path.insert(linked.clone().into_os_string(), id);
        }
    }
    let topic_nav = topic_nav(&catalog);
    let related = related::briefs(&catalog);
    let entity_related = related::entities(&catalog);
    let entity_topics = related::entity_topics(&catalog);
    let structure = Structure {
        key,
        order,
        catalog,
        targets,
        by_path,
        topic_nav,
        related,
        entity_related,
        entity_topics,
        redirects,
    };
    (docs, structure)
}

/// The site as front matter alone decides it: under which topics and names each brief is.
/// With the [`Docs`] in order, enough to know every output path.
#[derive(Debug)]
pub struct Catalog {
    pub paginate: usize,
    /// Whether the files for static hosts are written.
    pub hosting_files: bool,
    /// Whether the tree is at the output's root (see [`layout::Shape::site_root`]).
    pub site_root: bool,
    /// Whether the site has search.
    pub search: bool,
    /// Each brief's topics, in the order it lists them.
    pub brief_topics: Vec<Vec<TopicId>>,
    /// Each brief's entities per kind, in the order it lists them.
    pub brief_entities: Vec<[Vec<EntityId>; 4]>,
    /// Each topic's briefs, newest first.
    pub topic_briefs: Vec<Vec<BriefId>>,
    pub entities: [Vec<EntityEntry>; 4],
    pub static_files: Vec<String>,
    /// Each brief's byline.
    pub brief_authors: Vec<Vec<AuthorId>>,
    /// By slug.
    pub authors: Vec<AuthorEntry>,
    /// Whether briefs without a lead image get a social card.
    pub social_cards: bool,
    /// The source outlets briefs cite, by slug.
    pub outlets: Vec<OutletEntry>,
}

/// An entity as front matter names it.
#[derive(Debug, Clone)]
pub struct EntityEntry {
    pub slug: String,
    /// Its profile's title, else the most frequent spelling ([`names::Spellings`]).
    pub name: String,
    /// Its briefs, newest first.
    pub briefs: Vec<BriefId>,
    /// Its profile's position in [`Docs::profiles`].
    pub profile: Option<usize>,
    /// Without a profile, the spellings briefs use besides the name shown, each with the newest
    /// brief using it: checked for consistency.
    pub variants: Vec<(String, BriefId)>,
}

/// A source outlet as briefs' `sources:` name it.
#[derive(Debug, Clone)]
pub struct OutletEntry {
    pub slug: String,
    /// The spelling to show (see [`names::Spellings`]).
    pub name: String,
    /// The briefs citing it, each once, newest first.
    pub briefs: Vec<BriefId>,
}

/// An author as bylines and profiles name them.
#[derive(Debug, Clone)]
pub struct AuthorEntry {
    pub slug: String,
    /// The first spelling met in bylines, newest brief first; empty for a profile no brief names.
    pub name: String,
    /// Their briefs, newest first.
    pub briefs: Vec<BriefId>,
    /// Their profile's position in [`Docs::authors`].
    pub profile: Option<usize>,
}

/// The files in order with their catalog: the site's [`Shape`] before any body is rendered.
struct View<'a> {
    docs: &'a Docs,
    catalog: &'a Catalog,
    redirects: &'a [Redirect],
}

impl Shape for View<'_> {
    fn brief_count(&self) -> usize {
        self.docs.briefs.len()
    }
    fn brief_slug(&self, b: BriefId) -> &str {
        &self.docs.briefs[b.index()].slug
    }
    fn topic_count(&self) -> usize {
        self.docs.topics.len()
    }
    fn topic_slug(&self, t: TopicId) -> &str {
        &self.docs.topics[t.index()].slug
    }
    fn topic_size(&self, t: TopicId) -> usize {
        self.catalog.topic_briefs[t.index()].len()
    }
    fn entity_count(&self, kind: EntityKind) -> usize {
        self.catalog.entities[kind.index()].len()
    }
    fn entity_slug(&self, kind: EntityKind, e: EntityId) -> &str {
        &self.catalog.entities[kind.index()][e.index()].slug
    }
    fn entity_size(&self, kind: EntityKind, e: EntityId) -> usize {
        self.catalog.entities[kind.index()][e.index()].briefs.len()
    }
    fn page_count(&self) -> usize {
        self.docs.pages.len()
    }
    fn page_slug(&self, p: PageId) -> &str {
        &self.docs.pages[p.index()].slug
    }
    fn paginate(&self) -> usize {
        self.catalog.paginate
    }
    fn redirect_count(&self) -> usize {
        self.redirects.len()
    }
    fn redirect_path(&self, r: RedirectId) -> &str {
        &self.redirects[r.index()].path
    }
    fn hosting_files(&self) -> bool {
        self.catalog.hosting_files
    }
    fn site_root(&self) -> bool {
        self.catalog.site_root
    }
    fn search(&self) -> bool {
        self.catalog.search
    }
    fn author_count(&self) -> usize {
        self.catalog.authors.len()
    }
    fn author_slug(&self, a: AuthorId) -> &str {
        &self.catalog.authors[a.index()].slug
    }
    fn author_size(&self, a: AuthorId) -> usize {
        self.catalog.authors[a.index()].briefs.len()
    }
    fn social_card(&self, b: BriefId) -> bool {
        self.catalog.social_cards && self.docs.briefs[b.index()].image.is_none()
    }
    fn outlet_count(&self) -> usize {
        self.catalog.outlets.len()
    }
    fn outlet_slug(&self, o: OutletId) -> &str {
        &self.catalog.outlets[o.index()].slug
    }
    fn outlet_size(&self, o: OutletId) -> usize {
        self.catalog.outlets[o.index()].briefs.len()
    }
}

/// Pass 1: with the files in order, checks slugs and resolves topics and entities.
fn catalog(
    config: &Config,
    docs: &Docs,
    static_files: Vec<String>,
    diags: &mut Diagnostics,
) -> Catalog {
    let (briefs, topics, pages, profiles) =
        (&docs.briefs, &docs.topics, &docs.pages, &docs.authors);
    check_unique(
        briefs.iter().map(|b| (b.slug.as_str(), &b.file.path)),
        |i| (&briefs[i].file.text, briefs[i].key_offset("slug")),
        "brief",
        diags,
    );
    check_unique(
        pages.iter().map(|p| (p.slug.as_str(), &p.file.path)),
        |i| (&pages[i].file.text, 0),
        "page",
        diags,
    );
    check_unique(
        profiles.iter().map(|a| (a.slug.as_str(), &a.file.path)),
        |i| (&profiles[i].file.text, 0),
        "author",
        diags,
    );
    let topic_names = topic_names(topics, diags);
    let brief_topics = resolve_topics(briefs, &topic_names, diags);
    let (entities, brief_entities) = collect_entities(briefs, &docs.profiles, diags);
    let topic_briefs = members(topics.len(), &brief_topics);
    let (authors, brief_authors) = collect_authors(briefs, profiles, &config.author, diags);
    let outlets = collect_outlets(briefs, diags);
    Catalog {
        paginate: config.paginate,
        hosting_files: config.hosting_files,
        site_root: config.tree.index == 0,
        search: config.search,
        brief_topics,
        brief_entities,
        topic_briefs,
        entities,
        static_files,
        brief_authors,
        authors,
        social_cards: config.social_cards,
        outlets,
    }
}

/// Which briefs to publish (drafts only when asked for), newest first; ties by slug, then
/// path: their positions in `briefs`.
fn published_briefs(briefs: &[Arc<ParsedBrief>], opts: &Options) -> Vec<usize> {
    let mut order: Vec<usize> = (0..briefs.len())
        .filter(|&i| !opts.held_back(&briefs[i]))
        .collect();
    order.par_sort_unstable_by(|&a, &b| {
        let (a, b) = (&briefs[a], &briefs[b]);
        b.date
            .timestamp
            .cmp(&a.date.timestamp)
            .then_with(|| a.slug.cmp(&b.slug))
            .then_with(|| a.file.path.cmp(&b.file.path))
    });
    order
}

/// Topics or pages by `order` (those without one last), then title, then slug: their positions.
fn sorted_by_order<T>(
    items: &[Arc<T>],
    key: impl Fn(&T) -> (Option<i64>, &String, &String),
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_cached_key(|&i| {
        let (order, title, slug) = key(&items[i]);
        (
            order.is_none(),
            order.unwrap_or(0),
            title.to_lowercase(),
            slug.clone(),
        )
    });
    order
}

/// Topic slugs and aliases → topic id; a name used twice is an error naming both files.
fn topic_names<'a>(
    topics: &'a [Arc<ParsedTopic>],
    diags: &mut Diagnostics,
) -> HashMap<&'a str, TopicId> {
    let mut ids: HashMap<&str, TopicId> = HashMap::new();
    let mut owner: HashMap<&str, &Path> = HashMap::new();
    for (i, t) in topics.iter().enumerate() {
        for name in std::iter::once(&t.slug).chain(&t.aliases) {
            if let Some(other) = owner.get(name.as_str()) {
                diags.push(
                    Diagnostic::error(&t.file.path, format!("topic name {name:?} is already used by {}", other.display()))
                        .at_offset(&t.file.text, 0)
                        .with_code("duplicate-slug")
                    .with_help("each topic slug and alias must be unique; rename the file or change `aliases`"),
                );
                continue;
            }
            owner.insert(name, &t.file.path);
            ids.insert(name, TopicId::new(i));
        }
    }
    ids
}

/// Each brief's topics as ids; an unknown name is an error with a suggestion.
fn resolve_topics(
    briefs: &[Arc<ParsedBrief>],
    names: &HashMap<&str, TopicId>,
    diags: &mut Diagnostics,
) -> Vec<Vec<TopicId>> {
    briefs
        .iter()
        .map(|b| {
            let mut ids = Vec::new();
            for name in &b.topics {
                match names.get(parse::slugify(name).as_str()) {
                    Some(&id) if !ids.contains(&id) => ids.push(id),
                    Some(_) => {}
                    None => diags.push(unknown_topic(b, name, names)),
                }
            }
            ids
        })
        .collect()
}

/// Entities, keyed by slug so spelling variants of one name share a page, and by the names
/// profiles claim (their file's slug, their title's, their aliases'), so `Песков` lands on
/// `dmitry-peskov` when its profile lists it. A profile's title names its page; otherwise the
/// most frequent spelling does ([`names::Spellings`]). A name two profiles claim is an error
/// naming both files. One pass per kind, the four in parallel; each list is sorted by slug,
/// which is the entities' order everywhere.
#[allow(clippy::type_complexity)]
fn collect_entities(
    briefs: &[Arc<ParsedBrief>],
    profiles: &[Arc<ParsedProfile>],
    diags: &mut Diagnostics,
) -> ([Vec<EntityEntry>; 4], Vec<[Vec<EntityId>; 4]>) {
    struct Found<'a> {
        slug: &'a str,
        spellings: names::Spellings<'a>,
        briefs: Vec<BriefId>,
        profile: Option<usize>,
    }
    let per_kind: Vec<(Vec<EntityEntry>, Vec<Vec<EntityId>>, Vec<Diagnostic>)> = EntityKind::ALL
        .par_iter()
        .map(|&kind| {
            let list = kind.index();
            let mut errors = Vec::new();
            let claims = profile_claims(kind, profiles, &mut errors);
            let mut index: FxHashMap<&str, usize> = FxHashMap::default();
            let mut found: Vec<Found<'_>> = Vec::new();
            // Each brief's names as positions in `found`, mapped to sorted ids below: one hash
            // lookup per name (two for a name a profile claims).
            let mut per_brief: Vec<Vec<usize>> = Vec::with_capacity(briefs.len());
            for (id, b) in briefs.iter().enumerate() {
                let mut mine: Vec<usize> = Vec::new();
                for (name, slug) in b.names(list).iter().zip(&b.name_slugs[list]) {
                    if slug.is_empty() {
                        errors.push(no_name_slug(b, kind.key(), kind.key(), name));
                        continue;
                    }
                    let key = claims
                        .get(slug.as_str())
                        .map_or(slug.as_str(), |&p| profiles[p].slug.as_str());
                    let i = *index.entry(key).or_insert_with(|| {
                        found.push(Found {
                            slug: key,
                            spellings: names::Spellings::default(),
                            briefs: Vec::new(),
                            profile: None,
                        });
                        found.len() - 1
                    });
                    let entry = &mut found[i];
                    entry.spellings.add(name.as_str(), id);
                    if entry.briefs.last() != Some(&BriefId::new(id)) {
                        entry.briefs.push(BriefId::new(id));
                    }
                    if !mine.contains(&i) {
                        mine.push(i);
                    }
                }
                per_brief.push(mine);
            }
            // Every profile has a page, whether or not a brief names it yet.
            for (p, profile) in profiles.iter().enumerate().filter(|(_, p)| p.kind == kind) {
                let i = *index.entry(profile.slug.as_str()).or_insert_with(|| {
                    found.push(Found {
                        slug: profile.slug.as_str(),
                        spellings: names::Spellings::default(),
                        briefs: Vec::new(),
                        profile: None,
                    });
                    found.len() - 1
                });
                // A second profile of one slug is a claims error already.
                found[i].profile.get_or_insert(p);
            }
            let mut order: Vec<usize> = (0..found.len()).collect();
            order.sort_unstable_by(|&a, &b| found[a].slug.cmp(found[b].slug));
            let mut position = vec![EntityId::new(0); found.len()];
            for (sorted, &i) in order.iter().enumerate() {
                position[i] = EntityId::new(sorted);
            }
            let per_brief: Vec<Vec<EntityId>> = per_brief
                .into_iter()
                .map(|mine| mine.into_iter().map(|i| position[i]).collect())
                .collect();
            let mut found: Vec<Option<Found<'_>>> = found.into_iter().map(Some).collect();
            let entries = order
                .iter()
                .filter_map(|&i| found[i].take())
                .map(|f| {
                    let profile = f.profile.map(|p| &profiles[p]);
                    let name = match profile {
                        Some(p) => p.title.as_str(),
                        None => f.spellings.best().unwrap_or(f.slug),
                    };
                    // A profile decides the name, so only a vote can be swayed by a stray
                    // spelling.
                    let variants = match profile {
                        Some(_) => Vec::new(),
                        None => f
                            .spellings
                            .all()
                            .filter(|&(s, _)| s != name)
                            .map(|(s, newest)| (s.to_string(), BriefId::new(newest)))
                            .collect(),
                    };
                    EntityEntry {
                        slug: f.slug.to_string(),
                        name: name.to_string(),
                        briefs: f.briefs,
                        profile: f.profile,
                        variants,
                    }
                })
                .collect();
            (entries, per_brief, errors)
        })
        .collect();
    let mut entities: [Vec<EntityEntry>; 4] = Default::default();
    let mut brief_entities: Vec<[Vec<EntityId>; 4]> = vec![Default::default(); briefs.len()];
    for (kind, (entries, per_brief, errors)) in EntityKind::ALL.into_iter().zip(per_kind) {
        diags.extend(errors);
        entities[kind.index()] = entries;
        for (slots, ids) in brief_entities.iter_mut().zip(per_brief) {
            slots[kind.index()] = ids;
        }
    }
    (entities, brief_entities)
}

/// The names the profiles of one kind claim (slugs of their file names, titles and aliases),
/// each leading to its profile's position. A name two profiles claim is an error naming both
/// files, reported at the later one (by slug) and kept by the first.
fn profile_claims<'a>(
    kind: EntityKind,
    profiles: &'a [Arc<ParsedProfile>],
    errors: &mut Vec<Diagnostic>,
) -> FxHashMap<&'a str, usize> {
    let mut claims: FxHashMap<&str, usize> = FxHashMap::default();
    for (p, profile) in profiles.iter().enumerate().filter(|(_, p)| p.kind == kind) {
        for name in &profile.names {
            let Some(&q) = claims.get(name.as_str()) else {
                claims.insert(name, p);
                continue;
            };
            let other = &profiles[q];
            // The name as this file writes it: an alias, the title, or the file name.
            let written = profile
                .aliases
                .iter()
                .find(|a| parse::slugify(a) == *name)
                .map(|a| (a.as_str(), "aliases"))
                .or_else(|| {
                    (parse::slugify(&profile.title) == *name)
                        .then_some((profile.title.as_str(), "title"))
                })
                .unwrap_or((profile.slug.as_str(), ""));
            let at = if written.1.is_empty() {
                profile.front_offset
            } else {
                profile.key_offset(written.1)
            };
            errors.push(
                Diagnostic::error(
                    &profile.file.path,
                    format!(
                        "the name {:?} would lead to two {}: {} and {}",
                        written.0,
                        kind.key(),
                        other.file.path.display(),
                        profile.file.path.display()
                    ),
                )
                .at_line_of(&profile.file.text, at)
                .with_code("alias-conflict")
                .with_help(format!(
                    "a name, its spelling aside, can belong to one profile only: remove {:?} from one of the two files' `aliases`, or merge the two profiles",
                    written.0
                )),
            );
        }
    }
    claims
}

/// Source outlets, keyed by the slug of each source's `name` like entities, so spellings merge;
/// sorted by slug. A brief citing an outlet twice (two of its articles) is counted once, and so
/// is each spelling it uses: the name shown is the spelling most briefs use, ties going to the
/// earliest brief's ([`names::Spellings`]), so a new brief never renames an outlet.
fn collect_outlets(briefs: &[Arc<ParsedBrief>], diags: &mut Diagnostics) -> Vec<OutletEntry> {
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut found: Vec<(&str, names::Spellings<'_>, Vec<BriefId>)> = Vec::new();
    for (id, b) in briefs.iter().enumerate() {
        let me = BriefId::new(id);
        // Each spelling once per brief: (outlet, spelling) pairs seen in this brief.
        let mut seen: Vec<(usize, &str)> = Vec::new();
        for (source, slug) in b.sources.iter().zip(&b.source_slugs) {
            let name = source.name.trim();
            if slug.is_empty() {
                // An empty name is the parser's error already.
                if !name.is_empty() {
                    diags.push(no_name_slug(b, "the source", "sources", name));
                }
                continue;
            }
            let i = *index.entry(slug.as_str()).or_insert_with(|| {
                found.push((slug.as_str(), names::Spellings::default(), Vec::new()));
                found.len() - 1
            });
            if seen.contains(&(i, name)) {
                continue;
            }
            seen.push((i, name));
            let (_, spellings, ids) = &mut found[i];
            spellings.add(name, id);
            if ids.last() != Some(&me) {
                ids.push(me);
            }
        }
    }
    let mut outlets: Vec<OutletEntry> = found
        .into_iter()
        .map(|(slug, spellings, briefs)| OutletEntry {
            slug: slug.to_string(),
            // Never the slug: an outlet is found through a spelling.
            name: spellings.best().unwrap_or(slug).to_string(),
            briefs,
        })
        .collect();
    outlets.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
    outlets
}

/// Authors, keyed by slug like entities: each brief's byline (its `authors:`, else the site's
/// `author`) and every profile. Sorted by slug; an author's first spelling, newest brief first,
/// names them until a profile does.
fn collect_authors(
    briefs: &[Arc<ParsedBrief>],
    profiles: &[Arc<ParsedAuthor>],
    default: &str,
    diags: &mut Diagnostics,
) -> (Vec<AuthorEntry>, Vec<Vec<AuthorId>>) {
    let default = default.trim();
    let default_slug = parse::slugify(default);
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut found: Vec<AuthorEntry> = Vec::new();
    let mut per_brief: Vec<Vec<usize>> = Vec::with_capacity(briefs.len());
    for (id, b) in briefs.iter().enumerate() {
        let mut mine: Vec<usize> = Vec::new();
        let byline: Vec<(&str, &str)> = if !b.authors.is_empty() {
            let listed = b.authors.iter().zip(&b.author_slugs);
            listed.map(|(n, s)| (n.as_str(), s.as_str())).collect()
        } else if !default_slug.is_empty() {
            vec![(default, default_slug.as_str())]
        } else {
            Vec::new()
        };
        for (name, slug) in byline {
            if slug.is_empty() {
                diags.push(no_name_slug(b, "the author", "authors", name));
                continue;
            }
            let i = author_entry(&mut index, &mut found, slug, name);
            let ids = &mut found[i].briefs;
            if ids.last() != Some(&BriefId::new(id)) {
                ids.push(BriefId::new(id));
            }
            if !mine.contains(&i) {
                mine.push(i);
            }
        }
        per_brief.push(mine);
    }
    for (p, profile) in profiles.iter().enumerate() {
        let i = author_entry(&mut index, &mut found, &profile.slug, "");
        // A second profile of one slug is a duplicate-slug error already.
        found[i].profile.get_or_insert(p);
    }
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_unstable_by(|&a, &b| found[a].slug.cmp(&found[b].slug));
    let mut position = vec![AuthorId::new(0); found.len()];
    for (sorted, &i) in order.iter().enumerate() {
        position[i] = AuthorId::new(sorted);
    }
    let per_brief = per_brief
        .into_iter()
        .map(|mine| mine.into_iter().map(|i| position[i]).collect())
        .collect();
    let mut found: Vec<Option<AuthorEntry>> = found.into_iter().map(Some).collect();
    let authors = order.iter().filter_map(|&i| found[i].take()).collect();
    (authors, per_brief)
}

/// The position of the author of `slug` in `found`, added with `name` if new.
fn author_entry<'a>(
    index: &mut FxHashMap<&'a str, usize>,
    found: &mut Vec<AuthorEntry>,
    slug: &'a str,
    name: &str,
) -> usize {
    *index.entry(slug).or_insert_with(|| {
        found.push(AuthorEntry {
            slug: slug.to_string(),
            name: name.to_string(),
            briefs: Vec::new(),
            profile: None,
        });
        found.len() - 1
    })
}

/// Entity profiles by kind, slug, then path: their positions.
fn profiles_in_order(profiles: &[Arc<ParsedProfile>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..profiles.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&profiles[a], &profiles[b]);
        (a.kind, &a.slug, &a.file.path).cmp(&(b.kind, &b.slug, &b.file.path))
    });
    order
}

/// Author profiles by slug, then path: their positions.
fn by_slug(authors: &[Arc<ParsedAuthor>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..authors.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&authors[a], &authors[b]);
        a.slug
            .cmp(&b.slug)
            .then_with(|| a.file.path.cmp(&b.file.path))
    });
    order
}

/// Each topic's briefs, newest first (briefs are in date order already).
fn members(topics: usize, brief_topics: &[Vec<TopicId>]) -> Vec<Vec<BriefId>> {
    let mut out = vec![Vec::new(); topics];
    for (id, ts) in brief_topics.iter().enumerate() {
        for t in ts {
            out[t.index()].push(BriefId::new(id));
        }
    }
    out
}

/// The permalink map: every content file's page, and every path of the output: `real`, the
/// outputs besides redirects with their paths, and the redirects of `view`.
fn link_targets(view: &View<'_>, real: Vec<(Output, String)>) -> LinkTargets {
    let mut targets = LinkTargets::default();
    for b in &view.docs.briefs {
        targets
            .content
            .insert(b.file.path.clone(), layout::brief_url(&b.slug));
    }
    for t in &view.docs.topics {
        targets
            .content
            .insert(t.file.path.clone(), layout::topic_url(&t.slug));
    }
    for p in &view.docs.pages {
        targets
            .content
            .insert(p.file.path.clone(), layout::page_url(&p.slug));
    }
    for a in &view.docs.authors {
        targets
            .content
            .insert(a.file.path.clone(), layout::author_url(&a.slug));
    }
    for p in &view.docs.profiles {
        targets
            .content
            .insert(p.file.path.clone(), layout::entity_url(p.kind, &p.slug));
    }
    let static_files = &view.catalog.static_files;
    targets
        .files
        .reserve(real.len() + view.redirects.len() + static_files.len());
    targets.files.extend(real.into_iter().map(|(_, path)| path));
    targets
        .files
        .extend(view.redirects.iter().map(|r| r.path.clone()));
    targets.files.extend(static_files.iter().cloned());
    targets
}

/// Each brief's links to other briefs, in order of first link.
fn links_to(
    by_path: &FxHashMap<std::ffi::OsString, BriefId>,
    bodies: &[Arc<Body>],
) -> Vec<Vec<BriefId>> {
    bodies
        .par_iter()
        .enumerate()
        .map(|(id, body)| {
            let mut out = Vec::new();
            for target in &body.rendered.links {
                if let Some(&t) = by_path.get(target.as_os_str())
                    && t.index() != id
                    && !out.contains(&t)
                {
                    out.push(t);
                }
            }
            out
        })
        .collect()
}

/// Who links to each brief; briefs are newest first, so each list comes out newest first.
fn referenced_by(links_to: &[Vec<BriefId>]) -> Vec<Vec<BriefId>> {
    let mut out = vec![Vec::new(); links_to.len()];
    for (id, targets) in links_to.iter().enumerate() {
        for t in targets {
            out[t.index()].push(BriefId::new(id));
        }
    }
    out
}

/// Each brief's older and newer neighbour in each of its topics, in the order it lists them.
fn topic_nav(catalog: &Catalog) -> Vec<Vec<TopicNav>> {
    let position: Vec<HashMap<BriefId, usize>> = catalog
        .topic_briefs
        .par_iter()
        .map(|members| members.iter().enumerate().map(|(i, &b)| (b, i)).collect())
        .collect();
    catalog
        .brief_topics
        .iter()
        .enumerate()
        .map(|(id, topics)| {
            let id = BriefId::new(id);
            topics
                .iter()
                .map(|&topic| {
                    let members = &catalog.topic_briefs[topic.index()];
                    let i = position[topic.index()][&id];
                    TopicNav {
                        topic,
                        next: i.checked_sub(1).map(|j| members[j]),
                        prev: members.get(i + 1).copied(),
                    }
                })
                .collect()
        })
        .collect()
}

struct Bodies {
    briefs: Vec<Arc<Body>>,
    topics: Vec<Arc<Body>>,
    pages: Vec<Arc<Body>>,
    /// Author profiles', in the order of [`Docs::authors`].
    profiles: Vec<Arc<Body>>,
    /// Entity profiles', in the order of [`Docs::profiles`].
    entities: Vec<Arc<Body>>,
    /// The page-bundle assets they link to: (output path, source).
    assets: Vec<(String, PathBuf)>,
    lead: Lead,
}

/// Puts the parts together: documents and bodies are moved in, what the shared structure
/// holds is copied into each item.
fn assemble(
    config: Config,
    docs: Docs,
    structure: Arc<Structure>,
    bodies: Bodies,
    links_to: Vec<Vec<BriefId>>,
    referenced_by: Vec<Vec<BriefId>>,
    warnings: Vec<Diagnostic>,
) -> Site {
    let s = &*structure;
    let catalog = &s.catalog;
    let briefs = docs
        .briefs
        .into_par_iter()
        .zip(bodies.briefs)
        .zip(links_to)
        .zip(referenced_by)
        .zip(bodies.lead.per_brief)
        .enumerate()
        .map(
            |(i, ((((doc, body), links_to), referenced_by), image))| Brief {
                key: SourceKey::of(&doc.file.path),
                url: layout::brief_url(&doc.slug),
                doc,
                body,
                topics: catalog.brief_topics[i].clone(),
                entities: catalog.brief_entities[i].clone(),
                links_to,
                referenced_by,
                related: s.related[i].clone(),
                topic_nav: s.topic_nav[i].clone(),
                image,
                scheduled: false,
                authors: catalog.brief_authors[i].clone(),
            },
        )
        .collect();
    let topics = docs
        .topics
        .into_iter()
        .zip(bodies.topics)
        .zip(&catalog.topic_briefs)
        .map(|((doc, body), briefs)| Topic {
            key: SourceKey::of(&doc.file.path),
            url: layout::topic_url(&doc.slug),
            doc,
            body,
            briefs: briefs.clone(),
        })
        .collect();
    let entity_profiles: Vec<EntityProfile> = docs
        .profiles
        .iter()
        .zip(bodies.entities)
        .zip(bodies.lead.per_profile)
        .map(|((doc, body), image)| EntityProfile {
            key: SourceKey::of(&doc.file.path),
            doc: Arc::clone(doc),
            body,
            image,
        })
        .collect();
    let entities = EntityKind::ALL.map(|kind| {
        catalog.entities[kind.index()]
            .par_iter()
            .zip(&s.entity_related[kind.index()])
            .zip(&s.entity_topics[kind.index()])
            .map(|((e, related), topics)| Entity {
                profile: e.profile.map(|p| entity_profiles[p].clone()),
                kind,
                key: EntityKey::of(kind, &e.slug),
                url: layout::entity_url(kind, &e.slug),
                name: e.name.clone(),
                slug: e.slug.clone(),
                briefs: e.briefs.clone(),
                related: related.clone(),
                topics: topics.clone(),
            })
            .collect()
    });
    let pages = docs
        .pages
        .into_iter()
        .zip(bodies.pages)
        .map(|(doc, body)| Page {
            key: SourceKey::of(&doc.file.path),
            url: layout::page_url(&doc.slug),
            doc,
            body,
        })
        .collect();
    let profiles: Vec<Profile> = docs
        .authors
        .into_iter()
        .zip(bodies.profiles)
        .map(|(doc, body)| Profile {
            key: SourceKey::of(&doc.file.path),
            doc,
            body,
        })
        .collect();
    let authors = catalog
        .authors
        .iter()
        .map(|a| {
            let profile = a.profile.map(|p| profiles[p].clone());
            Author {
                key: AuthorKey::of(&a.slug),
                name: profile
                    .as_ref()
                    .map_or_else(|| a.name.clone(), |p| p.doc.name.clone()),
                url: layout::author_url(&a.slug),
                slug: a.slug.clone(),
                briefs: a.briefs.clone(),
                profile,
            }
        })
        .collect();
    let outlets = catalog
        .outlets
        .iter()
        .map(|o| Outlet {
            key: OutletKey::of(&o.slug),
            name: o.name.clone(),
            url: layout::outlet_url(&o.slug),
            slug: o.slug.clone(),
            briefs: o.briefs.clone(),
        })
        .collect();
    Site {
        config,
        briefs,
        topics,
        entities,
        pages,
        authors,
        outlets,
        structure,
        warnings,
        assets: bodies.assets,
        scheduled: Vec::new(),
        images: bodies.lead.files,
        image_stats: bodies.lead.stats,
        image_cache: bodies.lead.cache,
        translations: None,
    }
}

/// A stable 64-bit hash of some byte strings, for fingerprints.
pub fn fingerprint(parts: &[&[u8]]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest()
}

/// Reports every item whose slug an earlier item already has; `locate` gives the text and
/// offset to point at for the item at an index, and is called only for duplicates.
fn check_unique<'a>(
    items: impl Iterator<Item = (&'a str, &'a PathBuf)>,
    locate: impl Fn(usize) -> (&'a String, usize),
    what: &str,
    diags: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, &PathBuf> = HashMap::new();
    for (i, (slug, path)) in items.enumerate() {
        if let Some(first) = seen.get(slug) {
            let (text, offset) = locate(i);
            diags.push(
                Diagnostic::error(path, format!("{what} slug {slug:?} is also used by {}", first.display()))
                    .at_line_of(text, offset)
                    .with_code("duplicate-slug")
                    .with_help("two files would write the same page; rename one file or set a different `slug:`"),
            );
        } else {
            seen.insert(slug, path);
        }
    }
}

/// A name in a brief's list `key` (`what` it is, in words) that has no letters or digits, so no
/// page address.
fn no_name_slug(b: &ParsedBrief, what: &str, key: &str, name: &str) -> Diagnostic {
    Diagnostic::error(
        &b.file.path,
        format!("cannot make a URL slug for {what} {name:?}"),
    )
    .at_line_of(&b.file.text, b.key_offset(key))
    .with_code("invalid-field")
    .with_help("use a name with letters or digits")
}

fn unknown_topic(b: &ParsedBrief, name: &str, topics: &HashMap<&str, TopicId>) -> Diagnostic {
    let mut known: Vec<&str> = topics.keys().copied().collect();
    known.sort_unstable();
    let help = match crate::diagnostic::closest(name, &known) {
        Some(k) => format!("did you mean {k:?}? Known topics: {}", known.join(", ")),
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
        .with_code("unknown-topic")
        .with_help(help)
}
