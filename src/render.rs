//! Pages from the site model, through Tera templates.
//!
//! Takes `&Site` and yields every output file (HTML pages, Atom feeds, sitemap, robots.txt) to a
//! sink as soon as it is rendered, in parallel, so a large site never holds all its pages in
//! memory. Templates are parsed once. Listings show lightweight brief *cards*, converted to
//! template values once per build and shared by reference (tera values are reference-counted),
//! so no page's context holds the whole site and the work stays linear.
//!
//! Every URL given to templates is root-relative (`briefs/x/index.html`); each page also gets
//! `root`, the relative way back to the site root (`../../`), so `{{ root }}{{ b.url }}` is a
//! relative link that works at any host, in any sub-folder and from disk.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, Value};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::SourceFile;
use crate::model::{Brief, BriefId, EntityKind, Site};

mod feeds;

/// The built-in theme, compiled into the binary; a site's `templates/` overrides by name.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    (
        "partials/card.html",
        include_str!("../templates/partials/card.html"),
    ),
    (
        "partials/timeline.html",
        include_str!("../templates/partials/timeline.html"),
    ),
    ("index.html", include_str!("../templates/index.html")),
    ("brief.html", include_str!("../templates/brief.html")),
    ("topic.html", include_str!("../templates/topic.html")),
    ("topics.html", include_str!("../templates/topics.html")),
    ("entity.html", include_str!("../templates/entity.html")),
    ("entities.html", include_str!("../templates/entities.html")),
    ("tag.html", include_str!("../templates/tag.html")),
    ("archive.html", include_str!("../templates/archive.html")),
    ("page.html", include_str!("../templates/page.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("style.css", include_str!("../templates/style.css")),
    ("favicon.svg", include_str!("../templates/favicon.svg")),
];

/// The stylesheet's output path; referenced by `base.html` as `{{ root }}{{ stylesheet }}`.
pub const STYLESHEET: &str = "style.css";

/// The site icon's output path; referenced by `base.html` as `{{ root }}{{ icon }}`, so browsers
/// do not ask for `/favicon.ico` at the host's root, outside the site's folder.
pub const ICON: &str = "favicon.svg";

/// One output file to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Index,
    Brief(BriefId),
    /// A topic's listing page, 1-based.
    Topic(usize, usize),
    Topics,
    Entity(EntityKind, usize),
    Entities(EntityKind),
    Archive,
    Page(usize),
    NotFound,
    Feed,
    TopicFeed(usize),
    Sitemap,
    Robots,
    Stylesheet,
    Icon,
}

/// Loaded templates: the built-in ones, overridden by the site's.
pub struct Templates {
    tera: Tera,
    /// The site's own templates by name: their text and path, for locating render errors.
    site_sources: HashMap<String, (String, PathBuf)>,
}

impl Templates {
    /// Compiles the templates, reporting every syntax error with template name and line.
    pub fn load(site_templates: &[SourceFile]) -> Result<Templates, Diagnostics> {
        let mut diags = Diagnostics::default();
        let mut sources: HashMap<String, (String, Option<PathBuf>)> = BUILTIN_TEMPLATES
            .iter()
            .map(|(n, c)| (n.to_string(), (c.to_string(), None)))
            .collect();
        for t in site_templates {
            let name = t.path.to_string_lossy().replace('\\', "/");
            sources.insert(
                name,
                (
                    t.text.clone(),
                    Some(PathBuf::from("templates").join(&t.path)),
                ),
            );
        }
        let mut names: Vec<&String> = sources.keys().collect();
        names.sort();
        // Check each template alone first so every syntax error is reported, not just the first.
        for name in &names {
            let (text, path) = &sources[*name];
            let mut alone = Tera::new();
            if let Err(e) = alone.add_raw_template(name, text)
                && let tera::ErrorKind::SyntaxError(_) = e.kind()
            {
                diags.push(template_error(&e, name, path.as_ref(), Some(text)));
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let mut tera = Tera::new();
        register(&mut tera);
        let result =
            tera.add_raw_templates(names.iter().map(|n| (n.as_str(), sources[*n].0.as_str())));
        if let Err(e) = result {
            return Err(match reference_errors(&e, &sources) {
                Some(d) => Diagnostics(d),
                None => template_error(&e, "templates", None, None).into(),
            });
        }
        let site_sources = sources
            .into_iter()
            .filter_map(|(name, (text, path))| Some((name, (text, path?))))
            .collect();
        Ok(Templates { tera, site_sources })
    }

    fn render(&self, name: &str, ctx: &Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera.render_to(name, ctx, &mut out).map_err(|e| {
            let template = match e.kind() {
                tera::ErrorKind::RenderingError(r) | tera::ErrorKind::SyntaxError(r) => {
                    r.filename().to_string()
                }
                _ => name.to_string(),
            };
            match self.site_sources.get(&template) {
                Some((text, path)) => template_error(&e, &template, Some(path), Some(text)),
                None => template_error(&e, &template, None, None),
            }
        })?;
        Ok(out)
    }
}

/// Turns a Tera error into a diagnostic located in the template file.
fn template_error(
    e: &tera::Error,
    name: &str,
    path: Option<&PathBuf>,
    text: Option<&String>,
) -> Diagnostic {
    let display_path = path
        .cloned()
        .unwrap_or_else(|| PathBuf::from(format!("(built-in template) {name}")));
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let kind = if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                "syntax error"
            } else {
                "error while rendering"
            };
            let d = Diagnostic::error(
                display_path,
                format!("template {name}: {kind}: {}", r.message()),
            )
            .with_help("fix the template; see the README for the variables each template gets");
            let span = r.span();
            match text {
                Some(t) if span.range.end <= t.len() => d.at_span(t, span.range.clone()),
                _ => d.at_line(span.start_line, Some(span.start_col + 1)),
            }
        }
        _ => {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            Diagnostic::error(display_path, format!("template {name}: {msg}"))
                .with_help("fix the template; see the README for the variables each template gets")
        }
    }
}

/// Splits Tera's report of unknown filters, tests, functions and includes into one located
/// diagnostic per problem. Tera finds these only once all templates are put together, and gives
/// them as a single message of cargo-style reports (`error: …` then ` --> name:line:col`), so
/// without this the diagnostic could not say which file of `templates/` is wrong.
fn reference_errors(
    e: &tera::Error,
    sources: &HashMap<String, (String, Option<PathBuf>)>,
) -> Option<Vec<Diagnostic>> {
    let tera::ErrorKind::Msg(text) = e.kind() else {
        return None;
    };
    let mut out = Vec::new();
    for report in text.split("\n\n") {
        let mut lines = report.lines();
        let message = lines.next()?.trim().strip_prefix("error: ")?;
        let location = lines.next()?.trim().strip_prefix("--> ")?;
        let mut parts = location.rsplitn(3, ':');
        let column: usize = parts.next()?.parse().ok()?;
        let line: usize = parts.next()?.parse().ok()?;
        let name = parts.next()?;
        let (source, path) = sources.get(name)?;
        let display_path = path
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("(built-in template) {name}")));
        let start = crate::diagnostic::line_start_offset(source, line);
        let offset = source[start..]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(source.len(), |(i, _)| start + i);
        out.push(
            Diagnostic::error(display_path, format!("template {name}: {message}"))
                .at_offset(source, offset)
                .with_help(
                    "fix the template; see the README for the filters and functions templates may use",
                ),
        );
    }
    (!out.is_empty()).then_some(out)
}

/// Filters and functions the templates may use beyond Tera's own.
fn register(tera: &mut Tera) {
    // `{{ url_for(path="topics/index.html") }}`: a relative link to any page from this one.
    tera.register_function(
        "url_for",
        |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let root: String = state.get("root")?.unwrap_or_default();
            Ok(format!("{root}{}", path.trim_start_matches('/')))
        },
    );
    // `{{ brief.date | date(format="%-d %B %Y") }}` with strftime directives.
    tera.register_filter(
        "date",
        |value: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let format: String = kwargs
                .get("format")?
                .unwrap_or_else(|| "%-d %B %Y".to_string());
            let date = crate::parse::BriefDate::parse(value).map_err(tera::Error::message)?;
            let dt = date.date.to_datetime(jiff::civil::Time::midnight());
            jiff::fmt::strtime::format(format.as_str(), dt)
                .map_err(|e| tera::Error::message(e.to_string()))
        },
    );
}

// ---- Template data -------------------------------------------------------------------------

#[derive(Serialize)]
struct SiteData<'a> {
    title: &'a str,
    description: &'a str,
    base_url: Option<&'a str>,
    language: &'a str,
    author: &'a str,
    stylesheet: &'a str,
    icon: &'a str,
    feed_url: &'static str,
    pages: Vec<Link<'a>>,
    topics: Vec<Link<'a>>,
}

#[derive(Serialize, Clone)]
struct Link<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct NameRef<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct TopicRef<'a> {
    title: &'a str,
    slug: &'a str,
    url: &'a str,
}

/// What listings show of a brief.
#[derive(Serialize)]
struct Card<'a> {
    title: &'a str,
    slug: &'a str,
    url: &'a str,
    date: String,
    datetime: String,
    date_display: String,
    updated: Option<String>,
    updated_display: Option<String>,
    summary: &'a str,
    status: Option<&'static str>,
    topics: Vec<TopicRef<'a>>,
    reading_time: usize,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

/// One entry of a paginator's list of pages; `number` and `url` are none for a gap (`…`).
#[derive(Serialize)]
struct PageLink {
    number: Option<usize>,
    url: Option<String>,
    current: bool,
}

#[derive(Serialize)]
struct TopicData<'a> {
    title: &'a str,
    slug: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    content: &'a str,
    count: usize,
    feed_url: String,
    latest: Option<Value>,
}

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

#[derive(Serialize)]
struct KindData {
    key: &'static str,
    title: &'static str,
    url: String,
}

#[derive(Serialize)]
struct EntityListItem<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct Year {
    year: i16,
    count: usize,
    months: Vec<Month>,
}

#[derive(Serialize)]
struct Month {
    key: String,
    label: String,
    briefs: Vec<Value>,
    /// The same briefs as HTML from `partials/card.html`, on timelines only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cards: Vec<Value>,
}

#[derive(Serialize)]
struct PageData<'a> {
    title: &'a str,
    slug: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    content: &'a str,
    toc: &'a [crate::markdown::TocEntry],
}

/// Schema.org `NewsArticle`, fields in alphabetical order as the theme has always written them.
#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    about: Vec<LdThing<'a>>,
    author: LdThing<'a>,
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    description: &'a str,
    headline: &'a str,
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

#[derive(Serialize, Clone)]
struct LdThing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// Renders the whole site, handing each output file to `sink` as it is made.
pub struct Renderer<'s> {
    site: &'s Site,
    templates: &'s Templates,
    site_value: Value,
    cards: Vec<Value>,
    /// Each brief's card HTML at the page depths timelines are shown at ([`CARD_DEPTHS`]),
    /// rendered on first use: a brief on many entity pages is rendered once, not once per page.
    card_html: Vec<[OnceLock<Value>; CARD_DEPTHS.len()]>,
    topic_refs: Vec<Value>,
    /// Each entity as `{name, slug, url}`, by kind.
    entity_refs: [Vec<Value>; 4],
}

/// Depths of the pages with timelines: `topics/x/`, `people/x/`… (2) and `topics/x/page/n/` (4).
const CARD_DEPTHS: [usize; 2] = [2, 4];

/// The heading level of cards on timelines (under the page's `h2` and the month's `h3`).
const TIMELINE_CARD_LEVEL: u8 = 4;

/// Counts of what a render produced.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub pages: usize,
    pub files: usize,
    /// Per kind of output, in [`OUTPUT_KINDS`] order, for `--timings`.
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

/// The kinds of output [`Stats::by_kind`] reports, indexed by [`Job::kind`].
pub const OUTPUT_KINDS: [&str; 15] = [
    "brief.html",
    "topic.html",
    "entity.html",
    "tag.html",
    "entities.html",
    "topics.html",
    "index.html",
    "archive.html",
    "page.html",
    "404.html",
    "Atom feeds",
    "sitemap.xml",
    "robots.txt",
    "style.css",
    "favicon.svg",
];

#[derive(Default)]
struct KindCounters {
    files: AtomicUsize,
    bytes: AtomicU64,
    nanos: AtomicU64,
}

impl Job {
    /// Index of this job's kind in [`OUTPUT_KINDS`].
    fn kind(self) -> usize {
        match self {
            Job::Brief(_) => 0,
            Job::Topic(..) => 1,
            Job::Entity(EntityKind::Tags, _) => 3,
            Job::Entity(..) => 2,
            Job::Entities(_) => 4,
            Job::Topics => 5,
            Job::Index => 6,
            Job::Archive => 7,
            Job::Page(_) => 8,
            Job::NotFound => 9,
            Job::Feed | Job::TopicFeed(_) => 10,
            Job::Sitemap => 11,
            Job::Robots => 12,
            Job::Stylesheet => 13,
            Job::Icon => 14,
        }
    }
}

impl<'s> Renderer<'s> {
    pub fn new(site: &'s Site, templates: &'s Templates) -> Self {
        let config = &site.config;
        let site_data = SiteData {
            title: &config.title,
            description: &config.description,
            base_url: config.base_url.as_deref(),
            language: &config.language,
            author: &config.author,
            stylesheet: STYLESHEET,
            icon: ICON,
            feed_url: "feed.xml",
            pages: site
                .pages
                .iter()
                .map(|p| Link {
                    title: &p.title,
                    url: &p.url,
                })
                .collect(),
            topics: site
                .topics
                .iter()
                .map(|t| Link {
                    title: &t.title,
                    url: &t.url,
                })
                .collect(),
        };
        let topic_refs: Vec<Value> = site
            .topics
            .iter()
            .map(|t| {
                Value::from_serializable(&TopicRef {
                    title: &t.title,
                    slug: &t.slug,
                    url: &t.url,
                })
            })
            .collect();
        let cards = site
            .briefs
            .par_iter()
            .map(|b| Value::from_serializable(&card(site, b)))
            .collect();
        Renderer {
            site,
            templates,
            site_value: Value::from_serializable(&site_data),
            cards,
            card_html: (0..site.briefs.len()).map(|_| Default::default()).collect(),
            topic_refs,
            entity_refs: EntityKind::ALL.map(|kind| {
                site.entities[kind.index()]
                    .iter()
                    .map(|e| {
                        Value::from_serializable(&NameRef {
                            name: &e.name,
                            slug: &e.slug,
                            url: &e.url,
                        })
                    })
                    .collect()
            }),
        }
    }

    /// Every output file of the site, in a stable order.
    pub fn plan(&self) -> Vec<Job> {
        let site = self.site;
        let mut jobs = vec![
            Job::Index,
            Job::Topics,
            Job::Archive,
            Job::NotFound,
            Job::Feed,
            Job::Sitemap,
            Job::Robots,
            Job::Stylesheet,
            Job::Icon,
        ];
        jobs.extend((0..site.briefs.len()).map(Job::Brief));
        for (t, topic) in site.topics.iter().enumerate() {
            let pages = topic.briefs.len().div_ceil(site.config.paginate).max(1);
            jobs.extend((1..=pages).map(|p| Job::Topic(t, p)));
            jobs.push(Job::TopicFeed(t));
        }
        for kind in EntityKind::ALL {
            jobs.push(Job::Entities(kind));
            jobs.extend((0..site.entities[kind.index()].len()).map(|e| Job::Entity(kind, e)));
        }
        jobs.extend((0..site.pages.len()).map(Job::Page));
        jobs
    }

    /// Root-relative output path of a job.
    pub fn output_path(&self, job: Job) -> String {
        let site = self.site;
        match job {
            Job::Index => "index.html".into(),
            Job::Brief(b) => site.briefs[b].url.clone(),
            Job::Topic(t, page) => topic_page_url(&site.topics[t].slug, page),
            Job::Topics => "topics/index.html".into(),
            Job::Entity(k, e) => site.entities[k.index()][e].url.clone(),
            Job::Entities(k) => format!("{}/index.html", k.key()),
            Job::Archive => "archive/index.html".into(),
            Job::Page(p) => site.pages[p].url.clone(),
            Job::NotFound => "404.html".into(),
            Job::Feed => "feed.xml".into(),
            Job::TopicFeed(t) => format!("topics/{}/feed.xml", site.topics[t].slug),
            Job::Sitemap => "sitemap.xml".into(),
            Job::Robots => "robots.txt".into(),
            Job::Stylesheet => STYLESHEET.into(),
            Job::Icon => ICON.into(),
        }
    }

    /// The briefs whose content a job's output shows: the map incremental rebuilds need.
    pub fn dependencies(&self, job: Job) -> Vec<BriefId> {
        let site = self.site;
        match job {
            Job::Brief(b) => {
                let brief = &site.briefs[b];
                let mut deps = vec![b];
                deps.extend(&brief.related);
                deps.extend(&brief.referenced_by);
                for n in &brief.topic_nav {
                    deps.extend(n.prev);
                    deps.extend(n.next);
                }
                deps
            }
            Job::Index => site
                .briefs
                .iter()
                .take(site.config.front_page_briefs)
                .enumerate()
                .map(|(i, _)| i)
                .chain(site.topics.iter().filter_map(|t| t.briefs.first().copied()))
                .collect(),
            Job::Topic(t, page) => self.topic_slice(t, page).to_vec(),
            Job::Topics => site
                .topics
                .iter()
                .filter_map(|t| t.briefs.first().copied())
                .collect(),
            Job::Entity(k, e) => site.entities[k.index()][e].briefs.clone(),
            Job::Entities(k) => site.entities[k.index()]
                .iter()
                .flat_map(|e| e.briefs.iter().copied())
                .collect(),
            Job::Feed | Job::Sitemap | Job::Archive => (0..site.briefs.len()).collect(),
            Job::TopicFeed(t) => site.topics[t]
                .briefs
                .iter()
                .take(site.config.feed_entries)
                .copied()
                .collect(),
            Job::Page(_) | Job::NotFound | Job::Robots | Job::Stylesheet | Job::Icon => Vec::new(),
        }
    }

    fn topic_slice(&self, t: usize, page: usize) -> &[BriefId] {
        let per = self.site.config.paginate;
        let briefs = &self.site.topics[t].briefs;
        let start = ((page - 1) * per).min(briefs.len());
        &briefs[start..(start + per).min(briefs.len())]
    }

    /// Renders every job in parallel, passing each file to `sink`. Collects every error.
    pub fn render_all<F>(&self, sink: F) -> Result<Stats, Diagnostics>
    where
        F: Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync,
    {
        let jobs = self.plan();
        let kinds: [KindCounters; OUTPUT_KINDS.len()] = Default::default();
        let errors: Vec<Diagnostic> = jobs
            .par_iter()
            .filter_map(|&job| {
                let path = self.output_path(job);
                let start = Instant::now();
                let result = self.render(job, &path);
                let kind = &kinds[job.kind()];
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
        let pages = jobs
            .iter()
            .filter(|j| self.output_path(**j).ends_with(".html"))
            .count();
        let by_kind = OUTPUT_KINDS
            .iter()
            .zip(&kinds)
            .filter(|(_, k)| k.files.load(Ordering::Relaxed) > 0)
            .map(|(&name, k)| KindStats {
                name,
                files: k.files.load(Ordering::Relaxed),
                bytes: k.bytes.load(Ordering::Relaxed),
                render: Duration::from_nanos(k.nanos.load(Ordering::Relaxed)),
            })
            .collect();
        Ok(Stats {
            pages,
            files: jobs.len(),
            by_kind,
        })
    }

    /// Renders one output file.
    pub fn render(&self, job: Job, path: &str) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let mut ctx = Context::new();
        let depth = path.matches('/').count();
        let root = if job == Job::NotFound {
            // A server shows 404.html at any depth; only an absolute base works everywhere.
            site.config.base_url.clone().unwrap_or_default()
        } else {
            "../".repeat(depth)
        };
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("root", &root);
        ctx.insert("current_url", path);
        ctx.insert("permalink", &self.permalink(path));
        let template = match job {
            Job::Index => {
                let latest: Vec<Value> = self
                    .cards
                    .iter()
                    .take(site.config.front_page_briefs)
                    .cloned()
                    .collect();
                ctx.insert_value("latest", Value::from(latest));
                ctx.insert("topics", &self.topic_list());
                "index.html"
            }
            Job::Brief(b) => {
                ctx.insert_value("brief", self.brief_value(b));
                "brief.html"
            }
            Job::Topic(t, page) => {
                let topic = &site.topics[t];
                let total = topic.briefs.len().div_ceil(site.config.paginate).max(1);
                ctx.insert("topic", &self.topic_data(t));
                ctx.insert_value("briefs", self.card_list(self.topic_slice(t, page)));
                ctx.insert("months", &self.months(self.topic_slice(t, page), &root)?);
                ctx.insert(
                    "paginator",
                    &Paginator {
                        current: page,
                        total,
                        prev_url: (page > 1).then(|| topic_page_url(&topic.slug, page - 1)),
                        next_url: (page < total).then(|| topic_page_url(&topic.slug, page + 1)),
                        pages: page_window(page, total)
                            .into_iter()
                            .map(|n| PageLink {
                                number: n,
                                url: n.map(|n| topic_page_url(&topic.slug, n)),
                                current: n == Some(page),
                            })
                            .collect(),
                    },
                );
                "topic.html"
            }
            Job::Topics => {
                ctx.insert("topics", &self.topic_list());
                "topics.html"
            }
            Job::Entity(kind, e) => {
                let entity = &site.entities[kind.index()][e];
                ctx.insert(
                    "entity",
                    &EntityData {
                        name: &entity.name,
                        slug: &entity.slug,
                        url: &entity.url,
                        kind,
                        kind_title: kind.title(),
                        kind_url: format!("{}/index.html", kind.key()),
                        count: entity.briefs.len(),
                        related: entity
                            .related
                            .iter()
                            .map(|&(k, id, count)| {
                                let r = &site.entities[k.index()][id];
                                RelatedEntity {
                                    name: &r.name,
                                    url: &r.url,
                                    kind: k,
                                    count,
                                }
                            })
                            .collect(),
                    },
                );
                ctx.insert_value("briefs", self.card_list(&entity.briefs));
                ctx.insert("months", &self.months(&entity.briefs, &root)?);
                if kind == EntityKind::Tags {
                    "tag.html"
                } else {
                    "entity.html"
                }
            }
            Job::Entities(kind) => {
                ctx.insert(
                    "kind",
                    &KindData {
                        key: kind.key(),
                        title: kind.title(),
                        url: format!("{}/index.html", kind.key()),
                    },
                );
                let list: Vec<EntityListItem> = site.entities[kind.index()]
                    .iter()
                    .map(|e| EntityListItem {
                        name: &e.name,
                        slug: &e.slug,
                        url: &e.url,
                        count: e.briefs.len(),
                    })
                    .collect();
                ctx.insert("entities", &list);
                "entities.html"
            }
            Job::Archive => {
                ctx.insert_value("years", Value::from_serializable(&self.archive()));
                "archive.html"
            }
            Job::Page(p) => {
                let page = &site.pages[p];
                ctx.insert(
                    "page",
                    &PageData {
                        title: &page.title,
                        slug: &page.slug,
                        url: &page.url,
                        summary: page.summary.as_deref(),
                        content: &page.html,
                        toc: &page.toc,
                    },
                );
                "page.html"
            }
            Job::NotFound => "404.html",
            Job::Feed => return feeds::site_feed(site),
            Job::TopicFeed(t) => return feeds::topic_feed(site, t),
            Job::Sitemap => {
                return Ok(feeds::sitemap(
                    site,
                    &self
                        .plan()
                        .into_iter()
                        .map(|j| (j, self.output_path(j)))
                        .collect::<Vec<_>>(),
                ));
            }
            Job::Robots => return Ok(feeds::robots(site)),
            Job::Stylesheet => "style.css",
            Job::Icon => "favicon.svg",
        };
        self.templates.render(template, &ctx)
    }

    fn permalink(&self, path: &str) -> String {
        let pretty = path.strip_suffix("index.html").unwrap_or(path);
        match &self.site.config.base_url {
            Some(base) => format!("{base}{pretty}"),
            None => pretty.to_string(),
        }
    }

    /// The cards of these briefs, as one template list sharing the build's cards.
    fn card_list(&self, ids: &[BriefId]) -> Value {
        Value::from(
            ids.iter()
                .map(|&b| self.cards[b].clone())
                .collect::<Vec<_>>(),
        )
    }

    /// A brief page's `brief`: its card's fields and the rest, built as a template value
    /// directly, so the cards and names it shows are shared rather than serialised again.
    fn brief_value(&self, id: BriefId) -> Value {
        let b = &self.site.briefs[id];
        let mut map: tera::Map = self.cards[id].as_map().cloned().unwrap_or_default();
        let mut put = |key: &'static str, value: Value| {
            map.insert(tera::value::Key::Str(key), value);
        };
        put("content", Value::from(b.html.as_str()));
        put("toc", Value::from_serializable(&b.toc));
        for kind in EntityKind::ALL {
            let refs = &self.entity_refs[kind.index()];
            let names: Vec<Value> = b.entities[kind.index()]
                .iter()
                .map(|&e| refs[e].clone())
                .collect();
            put(kind.key(), Value::from(names));
        }
        put("sources", Value::from_serializable(&b.sources));
        put("permalink", Value::from(self.permalink(&b.url)));
        put("words", Value::from(b.words));
        put("related", self.card_list(&b.related));
        put("referenced_by", self.card_list(&b.referenced_by));
        let nav: Vec<Value> = b
            .topic_nav
            .iter()
            .map(|n| {
                let mut nav = tera::Map::default();
                nav.insert(
                    tera::value::Key::Str("topic"),
                    self.topic_refs[n.topic].clone(),
                );
                nav.insert(
                    tera::value::Key::Str("prev"),
                    Value::from(n.prev.map(|p| self.cards[p].clone())),
                );
                nav.insert(
                    tera::value::Key::Str("next"),
                    Value::from(n.next.map(|p| self.cards[p].clone())),
                );
                Value::from(nav)
            })
            .collect();
        put("topic_nav", Value::from(nav));
        put("json_ld", Value::from(self.json_ld(id)));
        Value::from(map)
    }

    /// The brief's schema.org `NewsArticle` as JSON, safe inside `<script>`: `<`, `>` and `&`
    /// are written as `\u` escapes so no text from front matter can close the element.
    fn json_ld(&self, id: BriefId) -> String {
        let site = self.site;
        let config = &site.config;
        let b = &site.briefs[id];
        let stamp = |d: &crate::parse::BriefDate| if d.has_time { d.rfc3339() } else { d.ymd() };
        let absolute = |url: &str| {
            let pretty = url.strip_suffix("index.html").unwrap_or(url);
            config
                .base_url
                .as_ref()
                .map(|base| format!("{base}{pretty}"))
        };
        let thing = |kind: &'static str, name: &'s str, url: &str| LdThing {
            kind,
            name,
            url: absolute(url),
        };
        let mut mentions = Vec::new();
        for (kind, ty) in [
            (EntityKind::People, "Person"),
            (EntityKind::Places, "Place"),
            (EntityKind::Organizations, "Organization"),
        ] {
            for &e in &b.entities[kind.index()] {
                let e = &site.entities[kind.index()][e];
                mentions.push(thing(ty, &e.name, &e.url));
            }
        }
        let publisher = thing("Organization", &config.title, "");
        let author = if config.author.is_empty() {
            publisher.clone()
        } else {
            LdThing {
                kind: "Organization",
                name: &config.author,
                url: None,
            }
        };
        let url = absolute(&b.url);
        let doc = NewsArticle {
            context: "https://schema.org",
            kind: "NewsArticle",
            about: b
                .topics
                .iter()
                .map(|&t| thing("Thing", &site.topics[t].title, &site.topics[t].url))
                .collect(),
            author,
            date_modified: stamp(b.updated.as_ref().unwrap_or(&b.date)),
            date_published: stamp(&b.date),
            description: &b.summary,
            headline: &b.title,
            in_language: &config.language,
            keywords: b.entities[EntityKind::Tags.index()]
                .iter()
                .map(|&e| site.entities[EntityKind::Tags.index()][e].name.as_str())
                .collect(),
            main_entity_of_page: url.clone(),
            mentions,
            publisher,
            url,
            word_count: b.words,
        };
        // Serialising plain strings and numbers cannot fail.
        let json = serde_json::to_string(&doc).unwrap_or_default();
        // `<`, `>` and `&` only occur inside JSON strings, where `\u003c`-style escapes mean the
        // same characters; written so, no value can end the element early.
        if !json.contains(['<', '>', '&']) {
            return json;
        }
        json.replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
    }

    /// Briefs grouped by calendar month, in the order given (newest first): the timelines of
    /// topic and entity pages. Shares the build's cards, and their HTML at this page's depth.
    fn months(&self, ids: &[BriefId], root: &str) -> Result<Vec<Month>, Diagnostic> {
        let mut months: Vec<Month> = Vec::new();
        for &id in ids {
            let date = self.site.briefs[id].date.date;
            let key = format!("{:04}-{:02}", date.year(), date.month());
            if months.last().is_none_or(|last| last.key != key) {
                let label =
                    jiff::fmt::strtime::format("%B %Y", date).unwrap_or_else(|_| key.clone());
                months.push(Month {
                    key,
                    label,
                    briefs: Vec::new(),
                    cards: Vec::new(),
                });
            }
            let html = self.card_html(id, root)?;
            if let Some(month) = months.last_mut() {
                month.briefs.push(self.cards[id].clone());
                month.cards.push(html);
            }
        }
        Ok(months)
    }

    /// A brief's card as rendered by `partials/card.html` for a page `root` away from the site
    /// root: from the cache at the depths timelines use, else rendered now.
    fn card_html(&self, id: BriefId, root: &str) -> Result<Value, Diagnostic> {
        let depth = root.matches("../").count();
        let slot = CARD_DEPTHS
            .iter()
            .position(|&d| d == depth && root.len() == 3 * d)
            .map(|i| &self.card_html[id][i]);
        if let Some(html) = slot.and_then(OnceLock::get) {
            return Ok(html.clone());
        }
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("root", root);
        ctx.insert_value("b", self.cards[id].clone());
        ctx.insert("card_level", &TIMELINE_CARD_LEVEL);
        let bytes = self.templates.render("partials/card.html", &ctx)?;
        let html = Value::safe_string(&String::from_utf8_lossy(&bytes));
        // Two threads may render the same card at once; both results are the same.
        if let Some(slot) = slot {
            let _ = slot.set(html.clone());
        }
        Ok(html)
    }

    fn topic_data(&self, t: usize) -> TopicData<'_> {
        let topic = &self.site.topics[t];
        TopicData {
            title: &topic.title,
            slug: &topic.slug,
            url: &topic.url,
            summary: topic.summary.as_deref(),
            content: &topic.html,
            count: topic.briefs.len(),
            feed_url: format!("topics/{}/feed.xml", topic.slug),
            latest: topic.briefs.first().map(|&b| self.cards[b].clone()),
        }
    }

    fn topic_list(&self) -> Vec<TopicData<'_>> {
        (0..self.site.topics.len())
            .map(|t| self.topic_data(t))
            .collect()
    }

    fn archive(&self) -> Vec<Year> {
        let mut years: Vec<Year> = Vec::new();
        for (id, b) in self.site.briefs.iter().enumerate() {
            let (y, m) = (b.date.date.year(), b.date.date.month());
            if years.last().is_none_or(|last| last.year != y) {
                years.push(Year {
                    year: y,
                    count: 0,
                    months: Vec::new(),
                });
            }
            // OK because a year was pushed just above if there was none.
            let year = years.last_mut().expect("a year");
            year.count += 1;
            let key = format!("{y:04}-{m:02}");
            if year.months.last().is_none_or(|last| last.key != key) {
                let label = jiff::fmt::strtime::format("%B %Y", b.date.date)
                    .unwrap_or_else(|_| key.clone());
                year.months.push(Month {
                    key,
                    label,
                    briefs: Vec::new(),
                    cards: Vec::new(),
                });
            }
            if let Some(month) = year.months.last_mut() {
                month.briefs.push(self.cards[id].clone());
            }
        }
        years
    }
}

/// The page numbers a paginator lists: the first, the last, and two either side of the current
/// one, with `None` for each gap. Listing every page would make each page's size grow with the
/// number of pages, and the build quadratic in a topic's briefs.
fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    const SIDE: usize = 2;
    let near = current.saturating_sub(SIDE).max(1)..=(current + SIDE).min(total);
    let mut shown: Vec<usize> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(total))
        .collect();
    shown.dedup();
    let mut out = Vec::with_capacity(shown.len() + 2);
    let mut last = 0;
    for n in shown {
        if n > last + 1 {
            // A gap of one page shows that page rather than an ellipsis.
            out.push((n == last + 2).then_some(last + 1));
        }
        out.push(Some(n));
        last = n;
    }
    out
}

fn topic_page_url(slug: &str, page: usize) -> String {
    if page <= 1 {
        format!("topics/{slug}/index.html")
    } else {
        format!("topics/{slug}/page/{page}/index.html")
    }
}

fn display_date(d: &crate::parse::BriefDate) -> String {
    jiff::fmt::strtime::format("%-d %B %Y", d.date).unwrap_or_else(|_| d.ymd())
}

fn card<'a>(site: &'a Site, b: &'a Brief) -> Card<'a> {
    Card {
        title: &b.title,
        slug: &b.slug,
        url: &b.url,
        date: b.date.ymd(),
        datetime: if b.date.has_time {
            b.date.rfc3339()
        } else {
            b.date.ymd()
        },
        date_display: display_date(&b.date),
        updated: b
            .updated
            .map(|u| if u.has_time { u.rfc3339() } else { u.ymd() }),
        updated_display: b.updated.as_ref().map(display_date),
        summary: &b.summary,
        status: b.status.map(|s| s.as_str()),
        topics: b
            .topics
            .iter()
            .map(|&t| {
                let t = &site.topics[t];
                TopicRef {
                    title: &t.title,
                    slug: &t.slug,
                    url: &t.url,
                }
            })
            .collect(),
        reading_time: b.reading_time(),
    }
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn page_window_shows_ends_and_neighbours_with_gaps() {
        let w = |c, t| page_window(c, t);
        assert_eq!(w(1, 1), vec![Some(1)]);
        assert_eq!(w(2, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(w(1, 10), vec![Some(1), Some(2), Some(3), None, Some(10)]);
        assert_eq!(
            w(6, 12),
            vec![
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(12)
            ]
        );
        // A gap of exactly one page shows the page itself.
        assert_eq!(
            w(4, 7),
            vec![
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7)
            ]
        );
        assert_eq!(w(10, 10), vec![Some(1), None, Some(8), Some(9), Some(10)]);
        // The list stays short however many pages there are.
        assert!(w(5_000, 10_000).len() <= 9);
    }
}
