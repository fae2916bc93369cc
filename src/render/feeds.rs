//! Machine-readable outputs: Atom feeds, the sitemap and robots.txt. Drafts (built with
//! `--drafts`) are in none of them.
//!
//! Feeds use absolute URLs from `base_url` when it is set, as the format expects; without it,
//! links are relative to the feed's own location. In the site's, topics' and authors' feeds each
//! entry carries the brief's HTML with an `xml:base` of the brief's page, so the relative links
//! inside it resolve in feed readers; the feeds of people, places, organizations and tags carry
//! summaries only (see [`Entries`]).

use atom_syndication::{Content, Entry, Feed, Link, Person, Text};

use crate::diagnostic::Diagnostic;
use crate::i18n::Locale;
use crate::layout::{self, Output};
use crate::model::{AuthorId, BriefId, EntityId, EntityKind, Site, TopicId};

/// The URL of a root-relative path as seen from a file at `from` (root-relative too).
fn url_from(site: &Site, from: &str, path: &str) -> String {
    let base = site.config.base_url.as_deref();
    match base {
        Some(_) => layout::permalink(base, path),
        None => {
            let url = format!("{}{}", layout::root_of(from), layout::permalink(None, path));
            // An empty reference is the document itself (the feed), not the front page.
            if url.is_empty() {
                "./".to_string()
            } else {
                url
            }
        }
    }
}

/// An author as a feed names them: their name and page.
fn person(site: &Site, from: &str, a: AuthorId) -> Person {
    let a = site.author(a);
    Person {
        name: a.name.clone(),
        uri: Some(url_from(site, from, &a.url)),
        ..Default::default()
    }
}

/// The site's `author`, the feeds' author.
fn site_author(site: &Site) -> Option<Person> {
    let author = &site.config.author;
    (!author.is_empty()).then(|| Person {
        name: author.clone(),
        ..Default::default()
    })
}

/// What a feed's entries carry besides the title, dates, byline, topics and link.
#[derive(Clone, Copy)]
enum Entries<'l> {
    /// The summary and the whole body, with the log of updates in the site's language: the
    /// site's, topics' and authors' feeds, a handful per site.
    Full(&'l Locale),
    /// The summary alone: the feeds of people, places, organizations and tags. A site has
    /// thousands of them (about 3,000 at 10,000 briefs); with bodies, each brief's body would be
    /// written again into the feed of every name it mentions, and a body edit would redo all of
    /// those feeds. A reader follows the entry's link for the text.
    Summaries,
}

/// A feed of `briefs` (the first `feed_entries` become entries), whose author is `author`; each
/// entry is by its brief's byline.
fn feed(
    site: &Site,
    feed_path: &str,
    title: String,
    page: &str,
    briefs: &[BriefId],
    author: Option<Person>,
    carry: Entries<'_>,
) -> Result<Vec<u8>, Diagnostic> {
    let cfg = &site.config;
    let updated = briefs
        .iter()
        .map(|&b| {
            let doc = &site.brief(b).doc;
            doc.updated.unwrap_or(doc.date).timestamp
        })
        .max()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let entries = briefs
        .iter()
        .take(cfg.feed_entries)
        .map(|&id| {
            let b = site.brief(id);
            let doc = &b.doc;
            let url = url_from(site, feed_path, &b.url);
            let content = match carry {
                Entries::Full(locale) => Some(locale),
                Entries::Summaries => None,
            }
            .map(|locale| {
                let mut content = Content::default();
                content.set_content_type("html".to_string());
                content.set_value(with_log(b, locale));
                content.set_base(url.clone());
                content
            });
            Entry {
                id: url.clone(),
                title: Text::plain(doc.title.clone()),
                updated: fixed(doc.updated.unwrap_or(doc.date).timestamp),
                published: Some(fixed(doc.date.timestamp)),
                links: vec![Link {
                    href: url,
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Default::default()
                }],
                summary: Some(Text::plain(b.summary().to_string())),
                content,
                authors: b
                    .authors
                    .iter()
                    .map(|&a| person(site, feed_path, a))
                    .collect(),
                categories: b
                    .topics
                    .iter()
                    .map(|&t| atom_syndication::Category {
                        term: site.topic(t).slug().to_string(),
                        label: Some(site.topic(t).title().to_string()),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            }
        })
        .collect();
    let self_url = match &cfg.base_url {
        Some(base) => format!("{base}{feed_path}"),
        None => feed_path
            .rsplit('/')
            .next()
            .unwrap_or(feed_path)
            .to_string(),
    };
    // Without a base URL the self link is relative to the feed, so only the feed's path from the
    // site root tells one feed's id from another's.
    let id = match &cfg.base_url {
        Some(_) => self_url.clone(),
        None => feed_path.to_string(),
    };
    let feed = Feed {
        id,
        title: Text::plain(title),
        updated: fixed(updated),
        authors: author.into_iter().collect(),
        links: vec![
            Link {
                href: self_url,
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
            Link {
                href: url_from(site, feed_path, page),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
        ],
        subtitle: (!cfg.description.is_empty()).then(|| Text::plain(cfg.description.clone())),
        lang: Some(cfg.language.clone()),
        entries,
        ..Default::default()
    };
    let mut out = Vec::new();
    feed.write_to(&mut out).map_err(|e| {
        Diagnostic::global(format!("cannot write the feed {feed_path}: {e}")).with_code("write")
    })?;
    Ok(out)
}

fn fixed(t: jiff::Timestamp) -> atom_syndication::FixedDateTime {
    // OK because jiff timestamps are always within chrono's range and RFC 3339 round-trips.
    atom_syndication::FixedDateTime::parse_from_rfc3339(&t.to_string()).unwrap_or_default()
}

/// The body as a feed carries it: with the brief's log of updates and corrections first, so a
/// reader sees what changed.
fn with_log(b: &crate::model::Brief, locale: &Locale) -> String {
    if b.doc.updates.is_empty() {
        return b.html().to_string();
    }
    let mut html = String::from("<ul class=\"updates\">\n");
    for u in &b.doc.updates {
        let label = locale.text(u.kind.as_str(), None, &[]);
        let date = super::data::display_date(locale, &u.date);
        let head = locale.text("feed_update", None, &[("label", &label), ("date", &date)]);
        html.push_str(&format!(
            "<li><strong>{}</strong> {}</li>\n",
            crate::i18n::escape(&head),
            u.html
        ));
    }
    html.push_str("</ul>\n");
    html.push_str(b.html());
    html
}

/// The briefs among `ids` that feeds may list: drafts and scheduled briefs never, even when
/// `--drafts` or `--future` builds their pages, since a feed reader keeps what it has once seen.
pub fn published(site: &Site, ids: impl Iterator<Item = BriefId>) -> impl Iterator<Item = BriefId> {
    ids.filter(|&b| !site.brief(b).unlisted())
}

/// The site-wide Atom feed of the latest briefs.
pub fn site_feed(site: &Site, locale: &Locale) -> Result<Vec<u8>, Diagnostic> {
    let ids: Vec<BriefId> = published(site, site.brief_ids())
        .take(site.config.feed_entries)
        .collect();
    feed(
        site,
        layout::FEED,
        site.config.title.clone(),
        "index.html",
        &ids,
        site_author(site),
        Entries::Full(locale),
    )
}

/// One topic's Atom feed.
pub fn topic_feed(site: &Site, t: TopicId, locale: &Locale) -> Result<Vec<u8>, Diagnostic> {
    let topic = site.topic(t);
    let path = layout::topic_feed_url(topic.slug());
    let ids: Vec<BriefId> = published(site, topic.briefs.iter().copied()).collect();
    feed(
        site,
        &path,
        locale.text(
            "feed_topic",
            None,
            &[("topic", topic.title()), ("site", &site.config.title)],
        ),
        &topic.url,
        &ids,
        site_author(site),
        Entries::Full(locale),
    )
}

/// One author's Atom feed.
pub fn author_feed(site: &Site, a: AuthorId, locale: &Locale) -> Result<Vec<u8>, Diagnostic> {
    let author = site.author(a);
    let path = layout::author_feed_url(&author.slug);
    let ids: Vec<BriefId> = published(site, author.briefs.iter().copied()).collect();
    feed(
        site,
        &path,
        locale.text(
            "feed_author",
            None,
            &[("name", &author.name), ("site", &site.config.title)],
        ),
        &author.url,
        &ids,
        Some(person(site, &path, a)),
        Entries::Full(locale),
    )
}

/// The Atom feed of one person, place, organization or tag: summaries only (see [`Entries`]).
pub fn entity_feed(
    site: &Site,
    kind: EntityKind,
    e: EntityId,
    locale: &Locale,
) -> Result<Vec<u8>, Diagnostic> {
    let entity = site.entity(kind, e);
    let path = layout::entity_feed_url(kind, &entity.slug);
    let ids: Vec<BriefId> = published(site, entity.briefs.iter().copied()).collect();
    feed(
        site,
        &path,
        locale.text(
            "feed_entity",
            None,
            &[("name", &entity.name), ("site", &site.config.title)],
        ),
        &entity.url,
        &ids,
        site_author(site),
        Entries::Summaries,
    )
}

/// `sitemap.xml` listing every HTML page but the 404 page and redirect pages. On a
/// multilingual site it is the one sitemap of every language's tree, written by the default's:
/// each page of another tree in its own language is listed too, and a page with translations
/// names each with an `xhtml:link` (Google's form of `hreflang` in sitemaps).
pub fn sitemap(site: &Site, outputs: &[(Output, String)]) -> Vec<u8> {
    let translations = site.translations.as_deref();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if translations.is_some() {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    let alternates = |out: &mut String, path: &str| {
        for (tag, url) in translations
            .map(|t| t.sitemap_alternates(path))
            .unwrap_or_default()
        {
            out.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                quick_xml::escape::escape(tag),
                quick_xml::escape::escape(url.as_str())
            ));
        }
    };
    for (output, path) in outputs {
        let draft = matches!(output, Output::Brief(b) if site.brief(*b).unlisted());
        let listed = output.is_page()
            && !matches!(
                output,
                Output::NotFound | Output::Redirect(_) | Output::Search
            );
        if !listed || draft {
            continue;
        }
        let loc = url_from(site, "sitemap.xml", path);
        out.push_str("  <url><loc>");
        out.push_str(&quick_xml::escape::escape(loc.as_str()));
        out.push_str("</loc>");
        if let Output::Brief(b) = output {
            let doc = &site.brief(*b).doc;
            out.push_str(&format!(
                "<lastmod>{}</lastmod>",
                doc.updated.unwrap_or(doc.date).ymd()
            ));
        }
        alternates(&mut out, path);
        out.push_str("</url>\n");
    }
    if let Some(t) = translations {
        for (tree, language) in t.languages.iter().enumerate().skip(1) {
            for path in t.pages_of(tree) {
                if path == crate::layout::SEARCH {
                    continue;
                }
                let loc = url_from(site, "sitemap.xml", &format!("{}{path}", language.prefix));
                out.push_str("  <url><loc>");
                out.push_str(&quick_xml::escape::escape(loc.as_str()));
                out.push_str("</loc>");
                alternates(&mut out, path);
                out.push_str("</url>\n");
            }
        }
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

pub fn robots(site: &Site) -> Vec<u8> {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &site.config.base_url {
        out.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
    }
    out.into_bytes()
}
