//! Pages from the site model, through Tera templates.
//!
//! Takes `&Site` and a list of [`Output`]s (all of them from [`layout::plan`], or the ones a
//! rebuild needs) and yields each file to a sink as soon as it is rendered, in parallel, so a
//! large site never holds all its pages in memory. Listings show lightweight brief *cards*,
//! converted to template values once per build on first use and shared by reference (tera
//! values are reference-counted), so no page's context holds the whole site and the work stays
//! linear. Each page kind's template data is made by its own module under `pages/`.
//!
//! Every URL given to templates is root-relative (`briefs/x/index.html`); each page also gets
//! `root`, the relative way back to the site root (`../../`), so `{{ root }}{{ b.url }}` is a
//! relative link that works at any host, in any sub-folder and from disk.

mod activity;
mod data;
mod feeds;
mod hosting;
mod pages;
mod social_card;
pub mod templates;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::i18n::Locale;
use crate::layout::{self, Output, OutputKind};
use crate::model::{BriefId, EntityKind, Site, SourceKey, TopicId};
use rustc_hash::FxHashMap;

pub use feeds::published;
pub use pages::topic::{range as page_range, slice as topic_slice};
pub use templates::{BUILTIN_TEMPLATES, Templates};

/// The pieces of a brief's HTML that listings repeat, each rendered once per build (and kept
/// between the builds of a session while the brief's card is the same): its card at the depths
/// of the pages with timelines of cards (`topics/x/`, `people/x/`, `authors/x/`, `sources/x/`…
/// and `topics/x/page/n/`, `authors/x/page/n/`, `sources/x/page/n/`), its row in the archive,
/// and its entry on the dated line of timeline pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fragment {
    CardAtDepth2,
    CardAtDepth4,
    ArchiveRow,
    /// Rendered once for timeline pages at every depth (`timeline/`, `timeline/x/`,
    /// `timeline/page/n/`, `timeline/x/page/n/`): with [`ROOT_MARK`] for `root`, which each page
    /// replaces with its own. A brief is on the site's timeline and on each of its topics', mostly
    /// at different depths; one render instead of one per page.
    TimelineEntry,
}

/// What `root` is while a fragment for any depth is rendered ([`Fragment::TimelineEntry`]):
/// nothing HTML escaping changes, and nothing front matter is likely to hold (were a title to
/// hold it, the title would show a relative path there, no more).
const ROOT_MARK: &str = "\u{1}root\u{1}";

impl Fragment {
    const COUNT: usize = 4;

    /// The fragment a timeline on a page `root` away from the site root shows, if it is one of
    /// the depths kept.
    fn card_at(root: &str) -> Option<Fragment> {
        match root {
            "../../" => Some(Fragment::CardAtDepth2),
            "../../../../" => Some(Fragment::CardAtDepth4),
            _ => None,
        }
    }

    fn template(self) -> &'static str {
        match self {
            Fragment::CardAtDepth2 | Fragment::CardAtDepth4 => CARD_TEMPLATE,
            Fragment::ArchiveRow => ARCHIVE_ROW_TEMPLATE,
            Fragment::TimelineEntry => TIMELINE_ENTRY_TEMPLATE,
        }
    }

    fn root(self) -> &'static str {
        match self {
            Fragment::CardAtDepth2 => "../../",
            Fragment::CardAtDepth4 => "../../../../",
            Fragment::ArchiveRow => "../",
            Fragment::TimelineEntry => ROOT_MARK,
        }
    }
}

/// The partial that renders a brief's card on timelines.
pub const CARD_TEMPLATE: &str = "partials/card.html";
/// The partial that renders a brief's row in the archive.
pub const ARCHIVE_ROW_TEMPLATE: &str = "partials/archive-item.html";
/// The partial that renders a brief's entry on the dated line of timeline pages.
pub const TIMELINE_ENTRY_TEMPLATE: &str = "partials/timeline-entry.html";

/// Fragments a session keeps from one build for the next.
#[derive(Default)]
pub struct Fragments {
    /// A hash of what every fragment depends on besides its brief's card: settings,
    /// navigation, and the partials' templates.
    env: u64,
    by_brief: FxHashMap<SourceKey, (u64, [Option<Value>; Fragment::COUNT])>,
}

/// What makes kept fragments usable in a new build.
pub struct Reuse {
    pub fragments: Fragments,
    /// The new build's fragment environment (see [`Fragments`]).
    pub env: u64,
    /// Each brief's card fingerprint in the new build ([`crate::deps::Fingerprints`]).
    pub cards: Vec<u64>,
}

/// The heading level of cards on timelines (under the page's `h2` and the month's `h3`).
const TIMELINE_CARD_LEVEL: u8 = 4;

/// Counts of what a render produced.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub pages: usize,
    pub files: usize,
    /// Per kind of output, in [`OutputKind::ALL`] order, for `--timings`.
    pub by_kind: Vec<KindStats>,
}

/// What one kind of output cost: how slow a template is shows here.
#[derive(Debug, Clone)]
pub struct KindStats {
    /// The template's name, or the format for files made without one.
    pub name: &'static str,
    pub files: usize,
    pub bytes: u64,
    /// Time spent rendering, summed over threads (so it can exceed the wall time).
    pub render: Duration,
}

#[derive(Default)]
struct KindCounters {
    files: AtomicUsize,
    bytes: AtomicU64,
    nanos: AtomicU64,
}

/// Renders a site's outputs, handing each file to a sink as it is made.
pub struct Renderer<'s> {
    site: &'s Site,
    templates: &'s Templates,
    /// The site's language, for what Rust writes in words (dates, kinds, feed titles).
    locale: &'s Locale,
    /// `lang`, the language tag every template gets, which `t()` and `date` read.
    lang: Value,
    /// `msg`, the language's messages without counts or placeholders.
    msg: Value,
    site_value: Value,
    /// Each brief's card as a template value, made on first use.
    cards: Vec<OnceLock<Value>>,
    /// Each brief's [`Fragment`]s, rendered on first use: a brief on many entity pages is
    /// rendered once, not once per page.
    fragments: Vec<[OnceLock<Value>; Fragment::COUNT]>,
    /// Fragments of the last build, and what tells whether each still holds.
    reuse: Option<Reuse>,
    topic_refs: Vec<Value>,
    /// Each entity as `{name, slug, url}`, by kind.
    entity_refs: [Vec<Value>; 4],
    /// Every output of the site, for the sitemap.
    plan: Vec<Output>,
    /// Draws social cards, or takes them from the cache.
    painter: crate::images::social::Painter,
}

impl<'s> Renderer<'s> {
    pub fn new(site: &'s Site, templates: &'s Templates) -> Self {
        let locale = templates.locale(&site.config.language);
        Renderer {
            site,
            templates,
            locale,
            lang: Value::from(site.config.language.as_str()),
            msg: locale.plain_messages().clone(),
            site_value: data::site_value(site),
            cards: (0..site.briefs.len()).map(|_| OnceLock::new()).collect(),
            fragments: (0..site.briefs.len()).map(|_| Default::default()).collect(),
            reuse: None,
            topic_refs: site
                .topics
                .iter()
                .map(|t| Value::from_serializable(&data::TopicRef::of(t)))
                .collect(),
            entity_refs: EntityKind::ALL.map(|kind| {
                site.entities[kind.index()]
                    .iter()
                    .map(|e| {
                        Value::from_serializable(&data::NameRef {
                            name: &e.name,
                            slug: &e.slug,
                            url: &e.url,
                        })
                    })
                    .collect()
            }),
            plan: layout::plan(site),
            painter: crate::images::social::Painter::new(site.image_cache.clone()),
        }
    }

    /// Social cards drawn, and taken from the cache, so far.
    pub fn social_card_counts(&self) -> (usize, usize) {
        self.painter.counts()
    }

    /// Uses the fragments a previous build of the session left, where they still hold.
    pub fn reusing(mut self, reuse: Reuse) -> Self {
        self.reuse = Some(reuse);
        self
    }

    /// The fragments of this build, to hand to the next: those rendered now, and the kept ones
    /// that still hold.
    pub fn into_fragments(self) -> Fragments {
        let Some(reuse) = self.reuse else {
            return Fragments::default();
        };
        let same_env = reuse.fragments.env == reuse.env;
        let mut old = reuse.fragments.by_brief;
        let mut by_brief = FxHashMap::default();
        by_brief.reserve(self.fragments.len());
        for (i, slots) in self.fragments.into_iter().enumerate() {
            let b = &self.site.briefs[i];
            let card = reuse.cards[i];
            let mut kept = match old.remove(&b.key) {
                Some((fp, kept)) if same_env && fp == card => kept,
                _ => Default::default(),
            };
            for (slot, now) in kept.iter_mut().zip(slots) {
                if let Some(v) = now.into_inner() {
                    *slot = Some(v);
                }
            }
            if kept.iter().any(Option::is_some) {
                by_brief.insert(b.key, (card, kept));
            }
        }
        Fragments {
            env: reuse.env,
            by_brief,
        }
    }

    /// Every output file of the site, in a stable order.
    pub fn plan(&self) -> &[Output] {
        &self.plan
    }

    /// Root-relative output path of an output.
    pub fn output_path(&self, output: Output) -> String {
        output.path(self.site)
    }

    /// Renders these outputs in parallel, passing each file to `sink`. Collects every error.
    pub fn render_some<F>(&self, outputs: &[Output], sink: F) -> Result<Stats, Diagnostics>
    where
        F: Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync,
    {
        let kinds: [KindCounters; OutputKind::ALL.len()] = Default::default();
        let errors: Vec<Diagnostic> = outputs
            .par_iter()
            .filter_map(|&output| {
                let path = self.output_path(output);
                let start = Instant::now();
                let result = self.render(output, &path);
                let kind = &kinds[output.kind().index()];
                kind.nanos.fetch_add(
                    u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX),
                    Ordering::Relaxed,
                );
                kind.files.fetch_add(1, Ordering::Relaxed);
                match result {
                    Ok(bytes) => {
                        kind.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                        sink(&path, &bytes).err()
                    }
                    Err(e) => Some(e),
                }
            })
            .collect();
        if !errors.is_empty() {
            let mut d = Diagnostics(errors);
            d.sort();
            return Err(d);
        }
        let by_kind = OutputKind::ALL
            .iter()
            .zip(&kinds)
            .filter(|(_, k)| k.files.load(Ordering::Relaxed) > 0)
            .map(|(kind, k)| KindStats {
                name: kind.name(),
                files: k.files.load(Ordering::Relaxed),
                bytes: k.bytes.load(Ordering::Relaxed),
                render: Duration::from_nanos(k.nanos.load(Ordering::Relaxed)),
            })
            .collect();
        Ok(Stats {
            pages: outputs.iter().filter(|o| o.is_page()).count(),
            files: outputs.len(),
            by_kind,
        })
    }

    /// Renders one output file at its root-relative `path`.
    pub fn render(&self, output: Output, path: &str) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let template = match output {
            Output::Feed => return feeds::site_feed(site, self.locale),
            Output::TopicFeed(t) => return feeds::topic_feed(site, t, self.locale),
            Output::AuthorFeed(a) => return feeds::author_feed(site, a, self.locale),
            Output::EntityFeed(kind, e) => {
                return feeds::entity_feed(site, kind, e, self.locale);
            }
            Output::Sitemap => {
                let paths: Vec<(Output, String)> = self
                    .plan
                    .iter()
                    .map(|&o| (o, self.output_path(o)))
                    .collect();
                return Ok(feeds::sitemap(site, &paths));
            }
            Output::Robots => return Ok(feeds::robots(site)),
            Output::Hosting(file) => return Ok(hosting::file(site, file)),
            Output::SocialCard(b) => return social_card::png(self, b),
            // OK because every other kind has a template.
            other => other.kind().template().unwrap_or("404.html"),
        };
        let root = if output == Output::NotFound {
            // A server shows 404.html at any depth; only an absolute base works everywhere.
            site.config.base_url.clone().unwrap_or_default()
        } else {
            layout::root_of(path)
        };
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("lang", self.lang.clone());
        ctx.insert_value("msg", self.msg.clone());
        ctx.insert("root", &root);
        ctx.insert("current_url", path);
        ctx.insert(
            "permalink",
            &layout::permalink(site.config.base_url.as_deref(), path),
        );
        if let Some(t) = &site.translations {
            let tree = site.config.tree.index;
            ctx.insert("languages", &t.switcher(tree, path, &root));
            ctx.insert("hreflang", &t.hreflang(tree, path, &root));
            // Text shown in another language than the tree's (`untranslated = "original"`).
            let source = match output {
                Output::Brief(b) => Some(&site.brief(b).doc.file.path),
                Output::Topic(t, _) => Some(&site.topic(t).doc.file.path),
                Output::Page(p) => Some(&site.page(p).doc.file.path),
                Output::Entity(kind, e, _) => site
                    .entity(kind, e)
                    .profile
                    .as_ref()
                    .map(|p| &p.doc.file.path),
                Output::Author(a, _) => site.authors[a.index()]
                    .profile
                    .as_ref()
                    .map(|p| &p.doc.file.path),
                _ => None,
            };
            if let Some(lang) = source.and_then(|p| t.foreign(p, tree)) {
                ctx.insert("content_language", &lang);
            }
        }
        match output {
            Output::Index => pages::index::data(self, &mut ctx),
            Output::Brief(b) => pages::brief::data(self, &mut ctx, b),
            Output::Topic(t, page) => pages::topic::data(self, &mut ctx, t, page, &root)?,
            Output::Topics => pages::topics::data(self, &mut ctx),
            Output::Entity(kind, e, page) => {
                pages::entity::data(self, &mut ctx, kind, e, page, &root)?;
            }
            Output::Entities(kind) => pages::entities::data(self, &mut ctx, kind),
            Output::Archive => pages::archive::data(self, &mut ctx)?,
            Output::Corrections => pages::corrections::data(self, &mut ctx),
            Output::Page(p) => pages::page::data(self, &mut ctx, p),
            Output::Redirect(r) => pages::redirect::data(self, &mut ctx, r, &root),
            Output::Author(a, page) => pages::author::data(self, &mut ctx, a, page, &root)?,
            Output::Authors => pages::authors::data(self, &mut ctx),
            Output::Timeline(page) => pages::timeline::site(self, &mut ctx, page, &root)?,
            Output::TopicTimeline(t) => pages::timeline::topic(self, &mut ctx, t, &root)?,
            Output::Outlets => pages::outlets::data(self, &mut ctx),
            Output::Outlet(o, page) => pages::outlet::data(self, &mut ctx, o, page, &root)?,
            _ => {}
        }
        self.templates.render(template, &ctx)
    }

    /// A brief's card as a template value, shared by every page that lists it.
    fn card(&self, id: BriefId) -> Value {
        self.cards[id.index()]
            .get_or_init(|| Value::from_serializable(&data::Card::of(self.site, id, self.locale)))
            .clone()
    }

    /// The cards of these briefs, as one template list sharing the build's cards.
    fn card_list(&self, ids: &[BriefId]) -> Value {
        Value::from(ids.iter().map(|&b| self.card(b)).collect::<Vec<_>>())
    }

    fn topic_ref(&self, t: TopicId) -> Value {
        self.topic_refs[t.index()].clone()
    }

    /// Briefs grouped by calendar month, in the order given (newest first): the timelines of
    /// topic and entity pages. Shares the build's cards, and their HTML at this page's depth.
    fn months(&self, ids: &[BriefId], root: &str) -> Result<Vec<data::Month>, Diagnostic> {
        let mut months: Vec<data::Month> = Vec::new();
        for &id in ids {
            let date = self.site.brief(id).doc.date.date;
            let key = data::month_key(date);
            if months.last().is_none_or(|last| last.key != key) {
                months.push(data::Month::new(key, date, self.locale));
            }
            let html = self.card_html(id, root)?;
            if let Some(month) = months.last_mut() {
                month.briefs.push(self.card(id));
                month.cards.push(html);
            }
        }
        Ok(months)
    }

    /// A brief's card as rendered by `partials/card.html` for a page `root` away from the site
    /// root: one of its kept fragments at the depths timelines use, else rendered now.
    fn card_html(&self, id: BriefId, root: &str) -> Result<Value, Diagnostic> {
        match Fragment::card_at(root) {
            Some(fragment) => self.fragment(id, fragment),
            None => self.render_fragment(id, CARD_TEMPLATE, root),
        }
    }

    /// A brief's entry on the dated line of a timeline page `root` away from the site root.
    fn timeline_entry(&self, id: BriefId, root: &str) -> Result<Value, Diagnostic> {
        let html = self.fragment(id, Fragment::TimelineEntry)?;
        Ok(Value::safe_string(
            &html.as_str().unwrap_or_default().replace(ROOT_MARK, root),
        ))
    }

    /// One of a brief's fragments: made once per build, or kept from the last.
    fn fragment(&self, id: BriefId, fragment: Fragment) -> Result<Value, Diagnostic> {
        let slot = &self.fragments[id.index()][fragment as usize];
        if let Some(html) = slot.get() {
            return Ok(html.clone());
        }
        let kept = self.reuse.as_ref().and_then(|r| {
            let (fp, slots) = r.fragments.by_brief.get(&self.site.brief(id).key)?;
            let holds = r.fragments.env == r.env && *fp == r.cards[id.index()];
            holds.then(|| slots[fragment as usize].clone()).flatten()
        });
        let html = match kept {
            Some(html) => html,
            None => self.render_fragment(id, fragment.template(), fragment.root())?,
        };
        // Two threads may make the same fragment at once; both results are the same.
        let _ = slot.set(html.clone());
        Ok(html)
    }

    fn render_fragment(
        &self,
        id: BriefId,
        template: &str,
        root: &str,
    ) -> Result<Value, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("lang", self.lang.clone());
        ctx.insert_value("msg", self.msg.clone());
        ctx.insert("root", root);
        ctx.insert_value("b", self.card(id));
        ctx.insert("card_level", &TIMELINE_CARD_LEVEL);
        let bytes = self.templates.render(template, &ctx)?;
        Ok(Value::safe_string(&String::from_utf8_lossy(&bytes)))
    }
}
