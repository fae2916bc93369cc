//! Entity pages (people, places, organizations, tags): paginated like topic pages, their briefs
//! grouped by month, the topics each name appears in with counts, and one Atom feed per name.
//!
//! Every test builds a copy of the `entities` fixture (`paginate = 2`, `feed_entries = 5`, a
//! `base_url`) at [`NOW`]: Anna Berg is in seven published briefs over four months and three
//! topics, and in a draft and a scheduled brief that only `--drafts` and `--future` build.

use std::collections::{BTreeMap, BTreeSet};

use crate::util::{
    Site, assert_links_ok, attrs, crawl, files_ending, parse_summary_feed, resolve, sitemap_locs,
    texts,
};

/// The build's clock: after every brief but the scheduled one (June 2025).
const NOW: &str = "2025-05-01T00:00:00Z";
const BASE: &str = "https://entities.example.org/";
const ANNA: &str = "people/anna-berg/index.html";

/// Anna Berg's published briefs, newest first.
const ANNAS: [&str; 7] = [
    "Talks adjourned",
    "Gas prices fall",
    "Ministers meet in Vienna",
    "Second round of talks",
    "Pipeline inspected",
    "Talks scheduled",
    "Gas deal signed",
];

/// The site's topics in their `order`.
const TOPIC_ORDER: [&str; 3] = ["Energy", "Diplomacy", "Security"];

/// The fixture built at [`NOW`] with `args`.
fn built(args: &[&str]) -> Site {
    let site = Site::copy_of("entities");
    let mut all = vec!["--now", NOW];
    all.extend_from_slice(args);
    site.build_ok(&all);
    site
}

/// A brief as an entity page's timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Card {
    title: String,
    /// Root-relative path of the brief's page.
    page: String,
    /// `datetime` of its date.
    datetime: String,
    summary: String,
    topics: Vec<String>,
    /// Marked as a draft or a scheduled brief.
    unlisted: bool,
}

/// One page of an entity's timeline.
struct Page {
    path: String,
    html: String,
    /// Its months: the heading's `<time datetime>` and the cards under it.
    months: Vec<(String, Vec<Card>)>,
}

impl Page {
    fn cards(&self) -> impl Iterator<Item = &Card> {
        self.months.iter().flat_map(|(_, cards)| cards)
    }
}

fn select<'a>(
    element: scraper::ElementRef<'a>,
    css: &str,
) -> impl Iterator<Item = scraper::ElementRef<'a>> {
    let sel = scraper::Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    element.select(&sel).collect::<Vec<_>>().into_iter()
}

fn text(element: scraper::ElementRef<'_>) -> String {
    element.text().collect()
}

/// Reads the timeline of the page at `path`.
fn page(site: &Site, path: &str) -> Page {
    let html = site.output(path);
    let doc = scraper::Html::parse_document(&html);
    let months = select(doc.root_element(), ".timeline-month")
        .map(|month| {
            let heading: Vec<String> = select(month, "h3 > time")
                .filter_map(|t| t.value().attr("datetime").map(str::to_string))
                .collect();
            assert_eq!(
                heading.len(),
                1,
                "{path}: a month heading without one <time>"
            );
            let cards = select(month, "article.card")
                .map(|card| {
                    let link = select(card, ".card-title a").next().expect("a title link");
                    Card {
                        title: text(link),
                        page: resolve(path, link.value().attr("href").expect("href")),
                        datetime: select(card, ".meta > time")
                            .next()
                            .and_then(|t| t.value().attr("datetime"))
                            .expect("a date")
                            .to_string(),
                        summary: select(card, ".summary").map(text).collect(),
                        topics: select(card, ".tags a").map(text).collect(),
                        unlisted: select(card, ".draft-label").next().is_some(),
                    }
                })
                .collect();
            (heading[0].clone(), cards)
        })
        .collect();
    Page {
        path: path.to_string(),
        html,
        months,
    }
}

/// Every page of the entity whose first page is `first`, following the "Older" links. Every link
/// of each page's pagination must lead to one of them.
fn pages_of(site: &Site, first: &str) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut next = Some(first.to_string());
    while let Some(path) = next {
        let p = page(site, &path);
        next = attrs(&p.html, ".pagination a[rel=next]", "href")
            .first()
            .map(|h| resolve(&path, h));
        pages.push(p);
        assert!(pages.len() < 100, "{first}: the Older links loop");
    }
    let paths: BTreeSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    for p in &pages {
        for href in attrs(&p.html, ".pagination a", "href") {
            let target = resolve(&p.path, &href);
            assert!(
                paths.contains(target.as_str()) && site.out.join(&target).is_file(),
                "{}: pagination link {href} leads to {target}, not a page of {first}",
                p.path
            );
        }
    }
    pages
}

/// The first page of every entity of every kind, from the index of each kind.
fn first_pages(site: &Site) -> Vec<String> {
    let mut out = Vec::new();
    for kind in ["people", "places", "organizations", "tags"] {
        let index = format!("{kind}/index.html");
        for href in attrs(&site.output(&index), ".entity-list a", "href") {
            out.push(resolve(&index, &href));
        }
    }
    assert!(out.len() >= 8, "{out:?}");
    out
}

/// The number in "Appears in N briefs".
fn count_in_header(html: &str) -> usize {
    let meta = texts(html, ".page-header .meta");
    meta[0]
        .strip_prefix("Appears in ")
        .and_then(|m| m.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {meta:?}"))
}

/// An aside's list as (link text, root-relative target, count).
fn side_list(path: &str, html: &str, heading: &str) -> Vec<(String, String, usize)> {
    let doc = scraper::Html::parse_document(html);
    select(
        doc.root_element(),
        &format!("aside[aria-labelledby={heading}] li"),
    )
    .map(|li| {
        let a = select(li, "a").next().expect("a link");
        let badge = text(select(li, ".count-badge").next().expect("a count"));
        (
            text(a),
            resolve(path, a.value().attr("href").expect("href")),
            badge
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("count {badge:?}")),
        )
    })
    .collect()
}

/// For each entity's first page, the titles of the briefs whose pages link to it.
fn named_by_briefs(site: &Site) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for brief in files_ending(&site.out, ".html") {
        if !brief.starts_with("briefs/") {
            continue;
        }
        let html = site.output(&brief);
        let title = texts(&html, "h1").remove(0);
        for href in attrs(&html, ".facts dd a", "href") {
            out.entry(resolve(&brief, &href))
                .or_default()
                .insert(title.clone());
        }
    }
    out
}

#[test]
fn entity_pages_paginate_each_brief_once_newest_first_under_its_month() {
    let site = built(&[]);
    let named = named_by_briefs(&site);
    for first in first_pages(&site) {
        let pages = pages_of(&site, &first);
        let count = count_in_header(&pages[0].html);
        assert_eq!(pages.len(), count.div_ceil(2).max(1), "{first}");
        let folder = first.strip_suffix("index.html").expect("a folder");
        for (n, p) in pages.iter().enumerate().skip(1) {
            assert_eq!(p.path, format!("{folder}page/{}/index.html", n + 1));
            assert!(
                texts(&p.html, "title")[0].contains(&format!("(page {})", n + 1)),
                "{}",
                p.path
            );
            assert_eq!(count_in_header(&p.html), count, "{}", p.path);
        }
        let cards: Vec<&Card> = pages.iter().flat_map(Page::cards).collect();
        let titles: Vec<&str> = cards.iter().map(|c| c.title.as_str()).collect();
        let unique: BTreeSet<&str> = titles.iter().copied().collect();
        assert_eq!(
            unique.len(),
            titles.len(),
            "{first} repeats a brief: {titles:?}"
        );
        assert_eq!(titles.len(), count, "{first}: {titles:?}");
        // Exactly the briefs whose pages name it.
        let expected: BTreeSet<&str> = named[&first].iter().map(String::as_str).collect();
        assert_eq!(unique, expected, "{first}");
        // Newest first across pages: by date, as written.
        for pair in cards.windows(2) {
            assert!(
                pair[0].datetime[..10] >= pair[1].datetime[..10],
                "{first}: {} before {}",
                pair[0].datetime,
                pair[1].datetime
            );
        }
        for p in &pages {
            for (month, cards) in &p.months {
                assert!(!cards.is_empty(), "{}: month {month} is empty", p.path);
                for c in cards {
                    assert_eq!(&c.datetime[..7], month, "{}: {}", p.path, c.title);
                }
            }
            let months: Vec<&String> = p.months.iter().map(|(m, _)| m).collect();
            assert!(months.windows(2).all(|w| w[0] > w[1]), "{months:?}");
        }
    }
    // Anna Berg: seven briefs on four pages, two a page.
    let pages = pages_of(&site, ANNA);
    let titles: Vec<&str> = pages
        .iter()
        .flat_map(Page::cards)
        .map(|c| c.title.as_str())
        .collect();
    assert_eq!(titles, ANNAS);
    let months: Vec<Vec<&str>> = pages
        .iter()
        .map(|p| p.months.iter().map(|(m, _)| m.as_str()).collect())
        .collect();
    assert_eq!(
        months,
        [
            vec!["2025-04"],
            vec!["2025-03"],
            vec!["2025-02", "2025-01"],
            vec!["2025-01"]
        ]
    );
    assert_eq!(
        texts(&pages[2].html, "h3")[..2],
        ["February 2025", "January 2025"]
    );
    assert!(!site.out.join("people/anna-berg/page/5").exists());
    // Only pagination links to later pages; every other link to a name is to its first page.
    for file in files_ending(&site.out, ".html") {
        let html = site.output(&file);
        let to_pages = attrs(&html, "a[href*='/page/']", "href");
        let in_nav = attrs(&html, ".pagination a[href*='/page/']", "href");
        assert_eq!(to_pages, in_nav, "{file}");
    }
    assert_links_ok(&crawl(&site.out), 200, 0);
}

#[test]
fn entity_pages_list_the_topics_of_their_briefs_with_counts() {
    let site = built(&[]);
    let pages = pages_of(&site, ANNA);
    let expected = [
        ("Energy", "topics/energy/index.html", 4),
        ("Diplomacy", "topics/diplomacy/index.html", 4),
        ("Security", "topics/security/index.html", 1),
    ]
    .map(|(t, u, n)| (t.to_string(), u.to_string(), n));
    // On the first page, most briefs first, ties in the site's order of topics (Energy, then
    // Diplomacy, not alphabetical); the further pages list briefs alone.
    assert!(pages.len() > 1);
    for p in &pages[1..] {
        assert!(
            side_list(&p.path, &p.html, "entity-topics").is_empty(),
            "{}",
            p.path
        );
        assert!(
            side_list(&p.path, &p.html, "entity-related").is_empty(),
            "{}",
            p.path
        );
    }
    for p in &pages[..1] {
        assert_eq!(
            side_list(&p.path, &p.html, "entity-topics"),
            expected,
            "{}",
            p.path
        );
        let related = side_list(&p.path, &p.html, "entity-related");
        assert_eq!(
            related[0],
            (
                "Vienna".to_string(),
                "places/vienna/index.html".to_string(),
                6
            ),
            "{}",
            p.path
        );
    }
    let karl = "people/karl-weiss/index.html";
    let topics: Vec<(String, usize)> = side_list(karl, &site.output(karl), "entity-topics")
        .into_iter()
        .map(|(t, _, n)| (t, n))
        .collect();
    assert_eq!(
        topics,
        [("Diplomacy", 3), ("Energy", 1), ("Security", 1)].map(|(t, n)| (t.to_string(), n))
    );
    // For every name: the counts of the topics on its briefs' cards, in that order.
    for first in first_pages(&site) {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for p in pages_of(&site, &first) {
            for c in p.cards() {
                for t in &c.topics {
                    *counts.entry(t.clone()).or_default() += 1;
                }
            }
        }
        let mut want: Vec<(String, usize)> = counts.into_iter().collect();
        let rank = |t: &str| TOPIC_ORDER.iter().position(|o| *o == t).expect("a topic");
        want.sort_by(|a, b| b.1.cmp(&a.1).then(rank(&a.0).cmp(&rank(&b.0))));
        let shown: Vec<(String, usize)> = side_list(&first, &site.output(&first), "entity-topics")
            .into_iter()
            .map(|(t, _, n)| (t, n))
            .collect();
        assert_eq!(shown, want, "{first}");
    }
}

#[test]
fn entity_feeds_hold_their_published_briefs_newest_first_and_every_page_links_its_feed() {
    // Drafts and scheduled briefs are on the pages, never in the feeds.
    let site = built(&["--drafts", "--future"]);
    let anna: Vec<String> = pages_of(&site, ANNA)
        .iter()
        .flat_map(Page::cards)
        .map(|c| c.title.clone())
        .collect();
    assert_eq!(anna.len(), 9, "{anna:?}");
    assert!(
        anna.contains(&"Leaked memo".to_string())
            && anna.contains(&"Anniversary of the deal".to_string())
    );
    let sitemap = sitemap_locs(&site.output("sitemap.xml"));
    let mut feeds = 0;
    for first in first_pages(&site) {
        let pages = pages_of(&site, &first);
        let folder = first.strip_suffix("index.html").expect("a folder");
        let feed_path = format!("{folder}feed.xml");
        let name = texts(&pages[0].html, "h1").remove(0);
        for p in &pages {
            let alternate = attrs(
                &p.html,
                &format!(
                    "head link[rel=alternate][type='application/atom+xml'][title='Briefs that mention {name}']"
                ),
                "href",
            );
            assert_eq!(alternate.len(), 1, "{}", p.path);
            assert_eq!(resolve(&p.path, &alternate[0]), feed_path, "{}", p.path);
            let visible = attrs(&p.html, ".page-header a.feed-link", "href");
            assert_eq!(resolve(&p.path, &visible[0]), feed_path, "{}", p.path);
            assert!(sitemap.contains(&format!("{BASE}{}", p.path.trim_end_matches("index.html"))));
        }
        let feed = parse_summary_feed(&feed_path, &site.output(&feed_path));
        feeds += 1;
        assert_eq!(feed.title, format!("{name} — Entity Desk"));
        assert_eq!(feed.id, format!("{BASE}{feed_path}"));
        assert!(
            feed.links.contains(&format!("{BASE}{folder}")),
            "{:?}",
            feed.links
        );
        let published: Vec<&Card> = pages
            .iter()
            .flat_map(Page::cards)
            .filter(|c| !c.unlisted)
            .take(5)
            .collect();
        let entries: Vec<(String, String, String)> = feed
            .entries
            .into_iter()
            .map(|e| (e.title, e.link, e.summary))
            .collect();
        let want: Vec<(String, String, String)> = published
            .iter()
            .map(|c| {
                let url = format!("{BASE}{}", c.page.trim_end_matches("index.html"));
                (c.title.clone(), url, c.summary.clone())
            })
            .collect();
        assert_eq!(entries, want, "{feed_path}");
    }
    assert!(feeds >= 8);
    // Feeds are not pages.
    assert!(!sitemap.iter().any(|l| l.ends_with(".xml")), "{sitemap:?}");
    // Anna Berg's: her five newest published briefs; the draft and the scheduled one are out.
    let feed = parse_summary_feed("anna", &site.output("people/anna-berg/feed.xml"));
    let titles: Vec<&str> = feed.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ANNAS[..5]);
    // The draft counts among her topics on the pages that list it.
    let topics = side_list(ANNA, &site.output(ANNA), "entity-topics");
    assert_eq!(topics[2].0, "Security");
    assert_eq!(topics[2].2, 2);
}
