//! The output layout: every file a site produces, its path, and its URL.
//!
//! This module is the one answer to "does this page exist": [`plan`] lists every output of a
//! site (rendering walks it, link checking turns it into the set of known paths, the sitemap
//! lists its pages) and [`Output::path`] names each one. Every URL and output path of a page
//! kind is made here and nowhere else. Paths are root-relative with forward slashes
//! (`briefs/riyadh-talks/index.html`); [`permalink`] turns one into an absolute URL when the
//! site has a `base_url`.
//!
//! The plan needs only the site's *shape* (slugs and counts, see [`Shape`]), which front matter
//! alone decides, so links in Markdown can be checked against it before any body is rendered.

use crate::model::{
    AuthorId, BriefId, EntityId, EntityKind, OutletId, PageId, RedirectId, TopicId,
};

/// The stylesheet's output path; referenced by `base.html` as `{{ root }}{{ site.stylesheet }}`.
pub const STYLESHEET: &str = "style.css";
/// The site icon's output path; referenced by `base.html` as `{{ root }}{{ site.icon }}`, so
/// browsers do not ask for `/favicon.ico` at the host's root, outside the site's folder.
pub const ICON: &str = "favicon.svg";
/// The search page.
pub const SEARCH: &str = "search/index.html";
/// The script of the search box and page.
pub const SEARCH_SCRIPT: &str = "search.js";
/// The site-wide Atom feed.
pub const FEED: &str = "feed.xml";
pub const INDEX: &str = "index.html";
pub const NOT_FOUND: &str = "404.html";
/// The list of every author.
pub const AUTHORS: &str = "authors/index.html";

/// The page listing every correction across the site.
pub const CORRECTIONS: &str = "corrections/index.html";

/// The list of every source outlet briefs cite.
pub const OUTLETS: &str = "sources/index.html";

/// A file that static hosts read from the output's root, not a page of the site: Netlify's and
/// Cloudflare Pages' redirect rules and headers, and GitHub Pages' switch that turns Jekyll off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostingFile {
    Redirects,
    Headers,
    NoJekyll,
}

impl HostingFile {
    pub const ALL: [HostingFile; 3] = [
        HostingFile::Redirects,
        HostingFile::Headers,
        HostingFile::NoJekyll,
    ];

    /// Its output path, at the root.
    pub fn path(self) -> &'static str {
        match self {
            HostingFile::Redirects => "_redirects",
            HostingFile::Headers => "_headers",
            HostingFile::NoJekyll => ".nojekyll",
        }
    }
}

/// One output file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Output {
    Index,
    Brief(BriefId),
    /// A topic's listing page, 1-based.
    Topic(TopicId, usize),
    Topics,
    /// A person's, place's, organization's or tag's page of briefs, 1-based.
    Entity(EntityKind, EntityId, usize),
    Entities(EntityKind),
    Archive,
    /// Every correction across the site.
    Corrections,
    Page(PageId),
    NotFound,
    Feed,
    TopicFeed(TopicId),
    Sitemap,
    Robots,
    Stylesheet,
    Icon,
    /// A page at an old address (an alias) sending readers to the page now there.
    Redirect(RedirectId),
    /// A file for static hosts (`hosting_files` in `site.toml`).
    Hosting(HostingFile),
    /// An author's page of briefs, 1-based.
    Author(AuthorId, usize),
    Authors,
    AuthorFeed(AuthorId),
    /// A person's, place's, organization's or tag's Atom feed.
    EntityFeed(EntityKind, EntityId),
    /// The picture a brief without a lead image is shared with (`social_cards = true`).
    SocialCard(BriefId),
    /// The site's timeline: every brief on one dated line, newest first; 1-based page.
    Timeline(usize),
    /// One topic's timeline, paginated like the site's.
    TopicTimeline(TopicId),
    /// Every source outlet briefs cite, with how many briefs cite each.
    Outlets,
    /// A source outlet's page of the briefs citing it, 1-based.
    Outlet(OutletId, usize),
    /// The search page (`search = true`, the default): results, filters and the query in its
    /// address.
    Search,
    /// The theme's script that runs the search box and page on the Pagefind bundle.
    SearchScript,
}

/// A kind of output: what `--timings` reports per line, and the template that makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OutputKind {
    Brief,
    Topic,
    Entity,
    Tag,
    Entities,
    Topics,
    Index,
    Archive,
    Corrections,
    Page,
    NotFound,
    Feed,
    Sitemap,
    Robots,
    Stylesheet,
    Icon,
    Redirect,
    Hosting,
    Author,
    Authors,
    SocialCard,
    Timeline,
    Outlets,
    Outlet,
    Search,
    SearchScript,
}

impl OutputKind {
    /// Every kind, in the order `--timings` lists them.
    pub const ALL: [OutputKind; 26] = [
        OutputKind::Brief,
        OutputKind::Topic,
        OutputKind::Entity,
        OutputKind::Tag,
        OutputKind::Entities,
        OutputKind::Topics,
        OutputKind::Index,
        OutputKind::Archive,
        OutputKind::Corrections,
        OutputKind::Page,
        OutputKind::NotFound,
        OutputKind::Feed,
        OutputKind::Sitemap,
        OutputKind::Robots,
        OutputKind::Stylesheet,
        OutputKind::Icon,
        OutputKind::Redirect,
        OutputKind::Hosting,
        OutputKind::Author,
        OutputKind::Authors,
        OutputKind::SocialCard,
        OutputKind::Timeline,
        OutputKind::Outlets,
        OutputKind::Outlet,
        OutputKind::Search,
        OutputKind::SearchScript,
    ];

    /// The template that renders this kind, or `None` for files made without one.
    pub fn template(self) -> Option<&'static str> {
        Some(match self {
            OutputKind::Brief => "brief.html",
            OutputKind::Topic => "topic.html",
            OutputKind::Entity => "entity.html",
            OutputKind::Tag => "tag.html",
            OutputKind::Entities => "entities.html",
            OutputKind::Topics => "topics.html",
            OutputKind::Index => "index.html",
            OutputKind::Archive => "archive.html",
            OutputKind::Corrections => "corrections.html",
            OutputKind::Page => "page.html",
            OutputKind::NotFound => "404.html",
            OutputKind::Stylesheet => "style.css",
            OutputKind::Icon => "favicon.svg",
            OutputKind::Redirect => "redirect.html",
            OutputKind::Author => "author.html",
            OutputKind::Authors => "authors.html",
            OutputKind::SocialCard => "social-card.svg",
            OutputKind::Timeline => "timeline.html",
            OutputKind::Outlets => "sources.html",
            OutputKind::Outlet => "source.html",
            OutputKind::Search => "search.html",
            OutputKind::SearchScript => "search.js",
            OutputKind::Feed | OutputKind::Sitemap | OutputKind::Robots | OutputKind::Hosting => {
                return None;
            }
        })
    }

    /// The name `--timings` shows: the template, or the format.
    pub fn name(self) -> &'static str {
        match self {
            OutputKind::Feed => "Atom feeds",
            OutputKind::Sitemap => "sitemap.xml",
            OutputKind::Robots => "robots.txt",
            OutputKind::Hosting => "hosting files",
            // OK because every other kind has a template.
            other => other.template().unwrap_or("?"),
        }
    }

    /// Position in [`OutputKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl Output {
    pub fn kind(self) -> OutputKind {
        match self {
            Output::Brief(_) => OutputKind::Brief,
            Output::Topic(..) => OutputKind::Topic,
            Output::Entity(EntityKind::Tags, ..) => OutputKind::Tag,
            Output::Entity(..) => OutputKind::Entity,
            Output::Entities(_) => OutputKind::Entities,
            Output::Topics => OutputKind::Topics,
            Output::Index => OutputKind::Index,
            Output::Archive => OutputKind::Archive,
            Output::Corrections => OutputKind::Corrections,
            Output::Page(_) => OutputKind::Page,
            Output::NotFound => OutputKind::NotFound,
            Output::Feed | Output::TopicFeed(_) => OutputKind::Feed,
            Output::Sitemap => OutputKind::Sitemap,
            Output::Robots => OutputKind::Robots,
            Output::Stylesheet => OutputKind::Stylesheet,
            Output::Icon => OutputKind::Icon,
            Output::Redirect(_) => OutputKind::Redirect,
            Output::Hosting(_) => OutputKind::Hosting,
            Output::Author(..) => OutputKind::Author,
            Output::Authors => OutputKind::Authors,
            Output::AuthorFeed(_) | Output::EntityFeed(..) => OutputKind::Feed,
            Output::SocialCard(_) => OutputKind::SocialCard,
            Output::Timeline(_) | Output::TopicTimeline(..) => OutputKind::Timeline,
            Output::Outlets => OutputKind::Outlets,
            Output::Outlet(..) => OutputKind::Outlet,
            Output::Search => OutputKind::Search,
            Output::SearchScript => OutputKind::SearchScript,
        }
    }

    /// The root-relative path of the file.
    pub fn path(self, shape: &impl Shape) -> String {
        match self {
            Output::Index => INDEX.into(),
            Output::Brief(b) => brief_url(shape.brief_slug(b)),
            Output::Topic(t, page) => topic_page_url(shape.topic_slug(t), page),
            Output::Topics => "topics/index.html".into(),
            Output::Entity(k, e, page) => entity_page_url(k, shape.entity_slug(k, e), page),
            Output::Entities(k) => entities_url(k),
            Output::Archive => "archive/index.html".into(),
            Output::Corrections => CORRECTIONS.into(),
            Output::Page(p) => page_url(shape.page_slug(p)),
            Output::NotFound => NOT_FOUND.into(),
            Output::Feed => FEED.into(),
            Output::TopicFeed(t) => topic_feed_url(shape.topic_slug(t)),
            Output::Sitemap => "sitemap.xml".into(),
            Output::Robots => "robots.txt".into(),
            Output::Stylesheet => STYLESHEET.into(),
            Output::Icon => ICON.into(),
            Output::Redirect(r) => shape.redirect_path(r).into(),
            Output::Hosting(h) => h.path().into(),
            Output::Author(a, page) => author_page_url(shape.author_slug(a), page),
            Output::Authors => AUTHORS.into(),
            Output::AuthorFeed(a) => author_feed_url(shape.author_slug(a)),
            Output::EntityFeed(k, e) => entity_feed_url(k, shape.entity_slug(k, e)),
            Output::SocialCard(b) => social_card_url(shape.brief_slug(b)),
            Output::Timeline(page) => timeline_page_url(page),
            Output::TopicTimeline(t) => topic_timeline_url(shape.topic_slug(t)),
            Output::Outlets => OUTLETS.into(),
            Output::Outlet(o, page) => outlet_page_url(shape.outlet_slug(o), page),
            Output::Search => SEARCH.into(),
            Output::SearchScript => SEARCH_SCRIPT.into(),
        }
    }

    /// Whether the file is an HTML page (counted as a page; listed in the sitemap unless it is
    /// the 404 page or a redirect).
    pub fn is_page(self) -> bool {
        !matches!(
            self,
            Output::Feed
                | Output::TopicFeed(_)
                | Output::Sitemap
                | Output::Robots
                | Output::Stylesheet
                | Output::Icon
                | Output::SearchScript
                | Output::Hosting(_)
                | Output::AuthorFeed(_)
                | Output::EntityFeed(..)
                | Output::SocialCard(_)
        )
    }
}

/// What the layout needs to know of a site: slugs and counts, all decided by front matter.
pub trait Shape {
    fn brief_count(&self) -> usize;
    fn brief_slug(&self, b: BriefId) -> &str;
    fn topic_count(&self) -> usize;
    fn topic_slug(&self, t: TopicId) -> &str;
    /// How many briefs the topic lists.
    fn topic_size(&self, t: TopicId) -> usize;
    fn entity_count(&self, kind: EntityKind) -> usize;
    fn entity_slug(&self, kind: EntityKind, e: EntityId) -> &str;
    /// How many briefs the entity's pages list.
    fn entity_size(&self, kind: EntityKind, e: EntityId) -> usize;
    fn page_count(&self) -> usize;
    fn page_slug(&self, p: PageId) -> &str;
    /// Briefs per page of a topic, an author or an entity.
    fn paginate(&self) -> usize;
    /// How many old addresses get a redirect page.
    fn redirect_count(&self) -> usize;
    /// The root-relative path of a redirect page (an old address as a file).
    fn redirect_path(&self, r: RedirectId) -> &str;
    /// Whether the files for static hosts are written (`hosting_files` in `site.toml`).
    fn hosting_files(&self) -> bool;
    /// Whether this tree is at the output's root: the sitemap and `robots.txt` are written
    /// once, by the default language's tree of a multilingual site.
    fn site_root(&self) -> bool {
        true
    }
    /// Whether the site has search (`search` in `site.toml`).
    fn search(&self) -> bool;
    fn author_count(&self) -> usize;
    fn author_slug(&self, a: AuthorId) -> &str;
    /// How many briefs the author's pages list.
    fn author_size(&self, a: AuthorId) -> usize;
    /// Whether the brief gets a social card: it has no lead image and the site wants cards.
    fn social_card(&self, _b: BriefId) -> bool {
        false
    }
    /// How many source outlets briefs cite.
    fn outlet_count(&self) -> usize;
    fn outlet_slug(&self, o: OutletId) -> &str;
    /// How many briefs cite the outlet.
    fn outlet_size(&self, o: OutletId) -> usize;
}

/// How many listing pages a topic (or an author, or an entity) with `size` briefs has (at least
/// one).
pub fn topic_pages(size: usize, paginate: usize) -> usize {
    size.div_ceil(paginate.max(1)).max(1)
}

/// Every output file of the site, in a stable order.
pub fn plan(shape: &impl Shape) -> Vec<Output> {
    let mut outputs = vec![
        Output::Index,
        Output::Topics,
        Output::Archive,
        Output::Corrections,
        Output::NotFound,
        Output::Feed,
        Output::Stylesheet,
        Output::Icon,
    ];
    if shape.site_root() {
        outputs.extend([Output::Sitemap, Output::Robots]);
    }
    let timeline = topic_pages(shape.brief_count(), shape.paginate());
    outputs.extend((1..=timeline).map(Output::Timeline));
    outputs.extend((0..shape.brief_count()).map(|b| Output::Brief(BriefId::new(b))));
    outputs.extend(
        (0..shape.brief_count())
            .map(BriefId::new)
            .filter(|&b| shape.social_card(b))
            .map(Output::SocialCard),
    );
    for t in (0..shape.topic_count()).map(TopicId::new) {
        let pages = topic_pages(shape.topic_size(t), shape.paginate());
        outputs.extend((1..=pages).map(|p| Output::Topic(t, p)));
        outputs.push(Output::TopicFeed(t));
        outputs.push(Output::TopicTimeline(t));
    }
    for kind in EntityKind::ALL {
        outputs.push(Output::Entities(kind));
        for e in (0..shape.entity_count(kind)).map(EntityId::new) {
            let pages = topic_pages(shape.entity_size(kind, e), shape.paginate());
            outputs.extend((1..=pages).map(|p| Output::Entity(kind, e, p)));
            outputs.push(Output::EntityFeed(kind, e));
        }
    }
    outputs.extend((0..shape.page_count()).map(|p| Output::Page(PageId::new(p))));
    outputs.extend((0..shape.redirect_count()).map(|r| Output::Redirect(RedirectId::new(r))));
    if shape.hosting_files() {
        outputs.extend(HostingFile::ALL.map(Output::Hosting));
    }
    if shape.search() {
        outputs.extend([Output::Search, Output::SearchScript]);
    }
    outputs.push(Output::Authors);
    for a in (0..shape.author_count()).map(AuthorId::new) {
        let pages = topic_pages(shape.author_size(a), shape.paginate());
        outputs.extend((1..=pages).map(|p| Output::Author(a, p)));
        outputs.push(Output::AuthorFeed(a));
    }
    outputs.push(Output::Outlets);
    for o in (0..shape.outlet_count()).map(OutletId::new) {
        let pages = topic_pages(shape.outlet_size(o), shape.paginate());
        outputs.extend((1..=pages).map(|p| Output::Outlet(o, p)));
    }
    outputs
}

pub fn brief_url(slug: &str) -> String {
    format!("briefs/{slug}/index.html")
}

/// A brief's social card, beside its page.
pub fn social_card_url(slug: &str) -> String {
    format!("briefs/{slug}/card.png")
}

/// One resized lead image: named by its source file's name, a hash of its bytes and its width,
/// so a changed image never takes an old one's address.
pub fn image_path(stem: &str, hash: &str, width: u32, extension: &str) -> String {
    format!("images/{stem}-{hash}-{width}.{extension}")
}

pub fn topic_url(slug: &str) -> String {
    topic_page_url(slug, 1)
}

/// A topic's `page`-th listing page (1-based).
pub fn topic_page_url(slug: &str, page: usize) -> String {
    if page <= 1 {
        format!("topics/{slug}/index.html")
    } else {
        format!("topics/{slug}/page/{page}/index.html")
    }
}

pub fn topic_feed_url(slug: &str) -> String {
    format!("topics/{slug}/feed.xml")
}

pub fn entity_url(kind: EntityKind, slug: &str) -> String {
    entity_page_url(kind, slug, 1)
}

/// An entity's `page`-th page of briefs (1-based), numbered like a topic's.
pub fn entity_page_url(kind: EntityKind, slug: &str, page: usize) -> String {
    let key = kind.key();
    if page <= 1 {
        format!("{key}/{slug}/index.html")
    } else {
        format!("{key}/{slug}/page/{page}/index.html")
    }
}

/// An entity's Atom feed, beside its first page like a topic's.
pub fn entity_feed_url(kind: EntityKind, slug: &str) -> String {
    format!("{}/{slug}/feed.xml", kind.key())
}

pub fn entities_url(kind: EntityKind) -> String {
    format!("{}/index.html", kind.key())
}

pub fn page_url(slug: &str) -> String {
    format!("pages/{slug}/index.html")
}

pub fn author_url(slug: &str) -> String {
    author_page_url(slug, 1)
}

/// An author's `page`-th page of briefs (1-based).
pub fn author_page_url(slug: &str, page: usize) -> String {
    if page <= 1 {
        format!("authors/{slug}/index.html")
    } else {
        format!("authors/{slug}/page/{page}/index.html")
    }
}

pub fn author_feed_url(slug: &str) -> String {
    format!("authors/{slug}/feed.xml")
}

/// The site timeline's `page`-th page (1-based), numbered like a topic's pages.
pub fn timeline_page_url(page: usize) -> String {
    if page <= 1 {
        "timeline/index.html".into()
    } else {
        format!("timeline/page/{page}/index.html")
    }
}

/// A topic's timeline: one page, its whole chronology, to read or print. A topic slugged `page`
/// cannot meet the site timeline's further pages: those are a folder deeper (`timeline/page/2/`).
pub fn topic_timeline_url(slug: &str) -> String {
    format!("timeline/{slug}/index.html")
}

pub fn outlet_url(slug: &str) -> String {
    outlet_page_url(slug, 1)
}

/// A source outlet's `page`-th page of briefs (1-based).
pub fn outlet_page_url(slug: &str, page: usize) -> String {
    if page <= 1 {
        format!("sources/{slug}/index.html")
    } else {
        format!("sources/{slug}/page/{page}/index.html")
    }
}

/// The page's address as published: `base_url` + the path without `index.html` when the site
/// has a base URL, else the root-relative folder.
pub fn permalink(base_url: Option<&str>, path: &str) -> String {
    let pretty = path.strip_suffix("index.html").unwrap_or(path);
    match base_url {
        Some(base) => format!("{base}{pretty}"),
        None => pretty.to_string(),
    }
}

/// The absolute URL of a page, when the site has a base URL.
pub fn absolute(base_url: Option<&str>, path: &str) -> Option<String> {
    base_url.map(|_| permalink(base_url, path))
}

/// The relative way from a file at `path` back to the site root: `../` per folder.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl Shape for Fake {
        fn brief_count(&self) -> usize {
            2
        }
        fn brief_slug(&self, b: BriefId) -> &str {
            ["a", "b"][b.index()]
        }
        fn topic_count(&self) -> usize {
            1
        }
        fn topic_slug(&self, _: TopicId) -> &str {
            "iran"
        }
        fn topic_size(&self, _: TopicId) -> usize {
            45
        }
        fn entity_count(&self, kind: EntityKind) -> usize {
            usize::from(kind == EntityKind::People)
        }
        fn entity_slug(&self, _: EntityKind, _: EntityId) -> &str {
            "peskov"
        }
        fn entity_size(&self, _: EntityKind, _: EntityId) -> usize {
            41
        }
        fn page_count(&self) -> usize {
            1
        }
        fn page_slug(&self, _: PageId) -> &str {
            "about"
        }
        fn paginate(&self) -> usize {
            20
        }
        fn redirect_count(&self) -> usize {
            1
        }
        fn redirect_path(&self, _: RedirectId) -> &str {
            "2025/03/old.html"
        }
        fn hosting_files(&self) -> bool {
            true
        }
        fn search(&self) -> bool {
            true
        }
        fn author_count(&self) -> usize {
            1
        }
        fn author_slug(&self, _: AuthorId) -> &str {
            "jane-doe"
        }
        fn author_size(&self, _: AuthorId) -> usize {
            21
        }
        fn outlet_count(&self) -> usize {
            2
        }
        fn outlet_slug(&self, o: OutletId) -> &str {
            ["reuters", "tass"][o.index()]
        }
        fn outlet_size(&self, o: OutletId) -> usize {
            [21, 1][o.index()]
        }
    }

    #[test]
    fn plan_lists_every_page_once() {
        let paths: Vec<String> = plan(&Fake).into_iter().map(|o| o.path(&Fake)).collect();
        for expected in [
            "index.html",
            "style.css",
            "favicon.svg",
            "briefs/b/index.html",
            "topics/iran/index.html",
            "topics/iran/page/2/index.html",
            "topics/iran/page/3/index.html",
            "topics/iran/feed.xml",
            "people/peskov/index.html",
            "people/peskov/page/2/index.html",
            "people/peskov/page/3/index.html",
            "people/peskov/feed.xml",
            "tags/index.html",
            "pages/about/index.html",
            "2025/03/old.html",
            "_redirects",
            "_headers",
            ".nojekyll",
            "authors/index.html",
            "authors/jane-doe/index.html",
            "authors/jane-doe/page/2/index.html",
            "authors/jane-doe/feed.xml",
            "timeline/index.html",
            "timeline/iran/index.html",
            "sources/index.html",
            "sources/reuters/index.html",
            "sources/reuters/page/2/index.html",
            "sources/tass/index.html",
        ] {
            assert!(paths.iter().any(|p| p == expected), "{expected}: {paths:?}");
        }
        assert!(!paths.iter().any(|p| p == "topics/iran/page/4/index.html"));
        assert!(!paths.iter().any(|p| p == "people/peskov/page/4/index.html"));
        assert!(
            !paths
                .iter()
                .any(|p| p == "authors/jane-doe/page/3/index.html")
        );
        // Two briefs fit the timeline's first page; a topic's timeline is one page, whatever its size.
        assert!(!paths.iter().any(|p| p == "timeline/page/2/index.html"));
        assert!(!paths.iter().any(|p| p.starts_with("timeline/iran/page/")));
        assert!(!paths.iter().any(|p| p == "sources/tass/page/2/index.html"));
        let mut unique = paths.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), paths.len());
    }

    #[test]
    fn permalinks_drop_index_html() {
        assert_eq!(
            permalink(Some("https://a.org/x/"), "briefs/a/index.html"),
            "https://a.org/x/briefs/a/"
        );
        assert_eq!(permalink(None, "index.html"), "");
        assert_eq!(root_of("topics/iran/page/2/index.html"), "../../../../");
    }
}
