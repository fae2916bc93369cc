//! Template data shared by several page kinds: the site, cards, references to topics and
//! names, and the month groups of timelines. Each is a `Serialize` struct of borrowed fields.

use serde::Serialize;
use tera::Value;

use crate::i18n::{DateStyle, Locale};
use crate::images::Processed;
use crate::layout;
use crate::model::{BriefId, Site, Topic};
use crate::parse::{BriefDate, ImageField};

/// `site`, which every template gets.
#[derive(Serialize)]
pub struct SiteData<'a> {
    title: &'a str,
    description: &'a str,
    base_url: Option<&'a str>,
    language: &'a str,
    /// `ltr` or `rtl`: which way the language's script runs.
    dir: &'static str,
    author: &'a str,
    stylesheet: &'a str,
    icon: &'a str,
    feed_url: &'static str,
    /// Where the search page and its script are, when the site has search.
    search: Option<SearchLinks>,
    pages: Vec<Link<'a>>,
    topics: Vec<Link<'a>>,
}

#[derive(Serialize)]
struct SearchLinks {
    url: &'static str,
    script: &'static str,
    /// The Pagefind bundle's folder, with a trailing slash.
    bundle: String,
}

#[derive(Serialize, Clone)]
pub struct Link<'a> {
    title: &'a str,
    url: &'a str,
}

/// The `site` value, made once per build.
pub fn site_value(site: &Site) -> Value {
    let config = &site.config;
    Value::from_serializable(&SiteData {
        title: &config.title,
        description: &config.description,
        base_url: config.base_url.as_deref(),
        language: &config.language,
        dir: config.dir.as_str(),
        author: &config.author,
        stylesheet: layout::STYLESHEET,
        icon: layout::ICON,
        feed_url: layout::FEED,
        search: config.search.then(|| SearchLinks {
            url: layout::SEARCH,
            script: layout::SEARCH_SCRIPT,
            bundle: format!("{}/", crate::search::BUNDLE_DIR),
        }),
        pages: site
            .pages
            .iter()
            .map(|p| Link {
                title: p.title(),
                url: &p.url,
            })
            .collect(),
        topics: site
            .topics
            .iter()
            .map(|t| Link {
                title: t.title(),
                url: &t.url,
            })
            .collect(),
    })
}

#[derive(Serialize)]
pub struct NameRef<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
}

#[derive(Serialize)]
pub struct TopicRef<'a> {
    title: &'a str,
    slug: &'a str,
    url: &'a str,
}

impl<'a> TopicRef<'a> {
    pub fn of(t: &'a Topic) -> Self {
        TopicRef {
            title: t.title(),
            slug: t.slug(),
            url: &t.url,
        }
    }
}

/// What listings show of a brief.
#[derive(Serialize)]
pub struct Card<'a> {
    title: &'a str,
    slug: &'a str,
    url: &'a str,
    date: String,
    datetime: String,
    date_display: String,
    updated: Option<String>,
    summary: &'a str,
    status: Option<&'static str>,
    topics: Vec<TopicRef<'a>>,
    reading_time: usize,
    /// Only with `--drafts`; templates mark such briefs.
    draft: bool,
    /// Only with `--future`: dated after the build's clock.
    scheduled: bool,
    /// The authors the brief lists; none when the site's `author` signs it, whom cards leave
    /// out. (Cards keep to 14 fields: a fifteenth doubles the size of every card's map, about
    /// 17 MB at 10,000 briefs; the brief page adds what only it shows, such as
    /// `updated_display`.)
    authors: Vec<NameRef<'a>>,
    /// The lead image, if the brief has one. Left out of the map otherwise: cards keep to 14
    /// fields when they can (see `authors`).
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<ImageData<'a>>,
}

impl<'a> Card<'a> {
    pub fn of(site: &'a Site, id: BriefId, locale: &Locale) -> Self {
        let b = site.brief(id);
        let doc = &b.doc;
        Card {
            title: b.title(),
            slug: b.slug(),
            url: &b.url,
            date: doc.date.ymd(),
            datetime: stamp(&doc.date),
            date_display: display_date(locale, &doc.date),
            updated: doc.updated.as_ref().map(stamp),
            summary: b.summary(),
            status: doc.status.map(|s| s.as_str()),
            topics: b
                .topics
                .iter()
                .map(|&t| TopicRef::of(site.topic(t)))
                .collect(),
            reading_time: b.reading_time(),
            draft: doc.draft,
            scheduled: b.scheduled,
            authors: if b.byline_default() {
                Vec::new()
            } else {
                byline(site, id)
            },
            image: b
                .image
                .as_deref()
                .zip(doc.image.as_ref())
                .map(|(p, f)| ImageData::of(p, f)),
        }
    }
}

/// A lead image as templates show it: `<img>` with `srcset` over `variants` (the fallback
/// format), a `<source type="image/webp">` over `webp` when it is offered, and `width` and
/// `height` of the largest variant, which is the image's aspect ratio.
#[derive(Serialize)]
pub struct ImageData<'a> {
    alt: &'a str,
    caption: Option<&'a str>,
    credit: Option<&'a str>,
    width: u32,
    height: u32,
    /// Root-relative URL of the fallback for browsers without `srcset`: about 960 wide.
    src: &'a str,
    /// The fallback's MIME type (`image/jpeg` or `image/png`).
    mime: &'static str,
    variants: Vec<VariantData<'a>>,
    /// Empty when WebP is not smaller than the fallback.
    webp: Vec<VariantData<'a>>,
}

/// One width of a lead image: `url` (root-relative), `width`, `height`.
#[derive(Serialize)]
pub struct VariantData<'a> {
    url: &'a str,
    width: u32,
    height: u32,
}

impl<'a> ImageData<'a> {
    pub fn of(p: &'a Processed, f: &'a ImageField) -> Self {
        let largest = p.largest();
        let src = p
            .variants
            .iter()
            .rev()
            .find(|v| v.width <= 960)
            .unwrap_or(&p.variants[0]);
        ImageData {
            alt: &f.alt,
            caption: f.caption.as_deref(),
            credit: f.credit.as_deref(),
            width: largest.width,
            height: largest.height,
            src: &src.fallback,
            mime: p.fallback.mime(),
            variants: p
                .variants
                .iter()
                .map(|v| VariantData {
                    url: &v.fallback,
                    width: v.width,
                    height: v.height,
                })
                .collect(),
            webp: p
                .variants
                .iter()
                .filter_map(|v| {
                    Some(VariantData {
                        url: v.webp.as_deref()?,
                        width: v.width,
                        height: v.height,
                    })
                })
                .collect(),
        }
    }
}

/// A brief's byline: the authors it lists, else the site's `author`, else none.
pub fn byline(site: &Site, id: BriefId) -> Vec<NameRef<'_>> {
    site.brief(id)
        .authors
        .iter()
        .map(|&a| {
            let a = site.author(a);
            NameRef {
                name: &a.name,
                slug: &a.slug,
                url: &a.url,
            }
        })
        .collect()
}

/// `YYYY-MM-DD` for a date alone, RFC 3339 for a date with a time: for `<time datetime>`.
pub fn stamp(d: &BriefDate) -> String {
    if d.has_time { d.rfc3339() } else { d.ymd() }
}

/// "11 March 2025", "11 марта 2025 г.": the date in the locale's long style.
pub fn display_date(locale: &Locale, d: &BriefDate) -> String {
    locale.date(d.date, DateStyle::Long)
}

/// Cards of one calendar month.
#[derive(Serialize)]
pub struct Month {
    pub key: String,
    pub label: String,
    pub briefs: Vec<Value>,
    /// The same briefs as HTML from `partials/card.html`, on timelines only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<Value>,
    /// The same briefs as HTML from `partials/archive-item.html`, in the archive only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Value>,
}

impl Month {
    pub fn new(key: String, date: jiff::civil::Date, locale: &Locale) -> Month {
        Month {
            label: month_label(locale, date),
            key,
            briefs: Vec::new(),
            cards: Vec::new(),
            items: Vec::new(),
        }
    }
}

/// `YYYY-MM`.
pub fn month_key(date: jiff::civil::Date) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// "March 2025", "март 2025 г.".
pub fn month_label(locale: &Locale, date: jiff::civil::Date) -> String {
    locale.date(date, DateStyle::Month)
}

/// A topic as listings of topics show it.
#[derive(Serialize)]
pub struct TopicData<'a> {
    title: &'a str,
    slug: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    content: &'a str,
    count: usize,
    feed_url: String,
    /// Root-relative URL of the topic's timeline.
    timeline_url: String,
    latest: Option<Value>,
}

impl<'a> TopicData<'a> {
    pub fn of(topic: &'a Topic, latest: Option<Value>) -> Self {
        TopicData {
            title: topic.title(),
            slug: topic.slug(),
            url: &topic.url,
            summary: topic.doc.summary.as_deref(),
            content: topic.body.html(),
            count: topic.briefs.len(),
            feed_url: layout::topic_feed_url(topic.slug()),
            timeline_url: layout::topic_timeline_url(topic.slug()),
            latest,
        }
    }
}

/// A value as JSON to put inside `<script type="application/ld+json">`. `<`, `>` and `&` only
/// occur inside JSON strings, where `\u003c`-style escapes mean the same characters; written so,
/// no value can end the element early.
pub fn script_json(value: &impl Serialize) -> String {
    // Serialising plain strings and numbers cannot fail.
    let json = serde_json::to_string(value).unwrap_or_default();
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
