//! The pages across the site: the timeline (every brief on one dated line), each topic's
//! timeline, and the sources pages (every outlet briefs cite, and the briefs citing each).
//!
//! Every test works on the `listings` fixture: seven published briefs two to a page (so the
//! timeline has four pages, each topic's two, the most cited outlet's three), a draft citing an
//! outlet no published brief does, a brief citing one outlet twice, and outlets spelled several
//! ways (`Reuters`, `REUTERS`, `reuters`; `Ministry statement`, `Ministry Statement`).

use std::collections::BTreeSet;
use std::path::Path;

use briefing::BuildOptions;
use briefing::session::Session;
use briefing::write::DirSink;

use crate::util::{
    Site, assert_links_ok, assert_same_tree, attrs, crawl, files_ending, normalize, read_tree,
    texts,
};

const AUTUMN: &str = "content/briefs/2024/2024-11-30-autumn-round-closes.md";
const DRAFT: &str = "Draft on the wires";

/// What the timeline shows of a brief.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    title: String,
    /// `datetime` of its `<time>`: the date as written, or the instant of a date with a time.
    datetime: String,
    /// The date as shown.
    date: String,
    topics: Vec<String>,
    status: Option<String>,
}

/// The published briefs, newest first, as the timeline shows them.
fn published() -> Vec<Entry> {
    let entry =
        |title: &str, datetime: &str, date: &str, topics: &[&str], status: Option<&str>| Entry {
            title: title.into(),
            datetime: datetime.into(),
            date: date.into(),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            status: status.map(|s| format!("Status: {s}")),
        };
    let (alpha, beta) = ("Alpha talks", "Beta energy");
    vec![
        // Written 2025-03-02T00:30:00+03:00: shown on the day written, the instant in UTC.
        entry(
            "March opens with a new round",
            "2025-03-01T21:30:00Z",
            "2 March 2025",
            &[alpha],
            Some("Developing"),
        ),
        entry(
            "Pipeline deal signed",
            "2025-02-20",
            "20 February 2025",
            &[beta],
            Some("Confirmed"),
        ),
        entry(
            "Second round in Vienna",
            "2025-02-11",
            "11 February 2025",
            &[alpha, beta],
            Some("Confirmed"),
        ),
        entry(
            "Talks announced",
            "2025-01-28",
            "28 January 2025",
            &[alpha],
            Some("Disputed"),
        ),
        entry(
            "New year briefing",
            "2025-01-03",
            "3 January 2025",
            &[beta],
            None,
        ),
        entry(
            "Year-end review",
            "2024-12-15",
            "15 December 2024",
            &[alpha],
            Some("Confirmed"),
        ),
        entry(
            "Autumn round closes",
            "2024-11-30",
            "30 November 2024",
            &[beta],
            None,
        ),
    ]
}

/// The outlets, most cited first: name shown, slug, and the briefs citing it, newest first.
const OUTLETS: [(&str, &str, &[&str]); 4] = [
    (
        "Reuters",
        "reuters",
        &[
            "March opens with a new round",
            "Pipeline deal signed",
            "Second round in Vienna",
            "New year briefing",
            "Year-end review",
        ],
    ),
    (
        "Harbour Gazette",
        "harbour-gazette",
        &["Pipeline deal signed", "Talks announced"],
    ),
    (
        "Ministry Statement",
        "ministry-statement",
        &["Talks announced", "Year-end review"],
    ),
    ("Wire Service", "wire-service", &["Autumn round closes"]),
];

fn built() -> Site {
    let site = Site::copy_of("listings");
    site.build_ok(&[]).stderr_has("Built 7 briefs, 2 topics,");
    site
}

/// The output path an `href` on the page at `page` leads to.
fn resolve(page: &str, href: &str) -> String {
    let base = Path::new(page).parent().unwrap_or(Path::new(""));
    let path = normalize(&base.join(href)).unwrap_or_else(|| panic!("{page}: {href} climbs out"));
    path.to_string_lossy().replace('\\', "/")
}

/// The pages of a paginated listing, from its first by its `rel=next` links.
fn follow(site: &Site, first: &str) -> Vec<String> {
    let mut pages = vec![first.to_string()];
    loop {
        // OK because the list starts with one page and only grows.
        let page = pages.last().expect("a page").clone();
        let next = attrs(&site.output(&page), ".pagination a[rel=next]", "href");
        match next.as_slice() {
            [] => return pages,
            [href] => {
                let to = resolve(&page, href);
                assert!(!pages.contains(&to), "{page} leads back to {to}");
                pages.push(to);
            }
            more => panic!("{page} has {} next links", more.len()),
        }
    }
}

/// The entries of a timeline page, in order.
fn entries(html: &str) -> Vec<Entry> {
    let doc = scraper::Html::parse_document(html);
    let sel = |css: &str| scraper::Selector::parse(css).expect("selector");
    let (entry, title, date, topic, status) = (
        sel(".chronology-entry"),
        sel(".chronology-title > a"),
        sel("time.chronology-date"),
        sel(".tags a"),
        sel(".status"),
    );
    let text = |e: scraper::ElementRef<'_>| e.text().collect::<String>();
    doc.select(&entry)
        .map(|e| {
            // OK because the template gives every entry a title and a date.
            let time = e.select(&date).next().expect("a date");
            Entry {
                title: text(e.select(&title).next().expect("a title")),
                datetime: time.value().attr("datetime").unwrap_or_default().into(),
                date: text(time),
                topics: e.select(&topic).map(text).collect(),
                status: e.select(&status).next().map(text),
            }
        })
        .collect()
}

/// The titles of the cards on the pages of a listing, in order.
fn card_titles(site: &Site, pages: &[String]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| texts(&site.output(p), ".card-title a"))
        .collect()
}

#[test]
fn the_timeline_lists_every_published_brief_newest_first_over_its_pages() {
    let site = built();
    let pages = follow(&site, "timeline/index.html");
    assert_eq!(
        pages,
        [
            "timeline/index.html",
            "timeline/page/2/index.html",
            "timeline/page/3/index.html",
            "timeline/page/4/index.html",
        ]
    );
    let listed: Vec<Entry> = pages
        .iter()
        .flat_map(|p| entries(&site.output(p)))
        .collect();
    assert_eq!(listed, published());
    for page in files_ending(&site.out, ".html") {
        if page.starts_with("timeline/") {
            assert!(
                !site.output(&page).contains(DRAFT),
                "{page} lists the draft"
            );
        }
    }
    // A marker where the month changes, and the year's where the line enters one.
    let first = site.output("timeline/index.html");
    assert_eq!(texts(&first, ".chronology-year"), ["2025"]);
    assert_eq!(
        texts(&first, ".chronology-marker"),
        ["March 2025", "February 2025"]
    );
    let third = site.output("timeline/page/3/index.html");
    assert_eq!(texts(&third, ".chronology-year"), ["2025", "2024"]);
    assert_eq!(
        texts(&third, ".chronology-marker"),
        ["January 2025", "December 2024"]
    );
    assert_eq!(
        attrs(&third, ".chronology-marker time", "datetime"),
        ["2025-01", "2024-12"]
    );
    assert_eq!(
        texts(&third, "title"),
        ["Timeline (page 3) — Listings Desk"]
    );
    // Every page of the site links the timeline, as it links the archive.
    for page in ["index.html", "briefs/pipeline-deal-signed/index.html"] {
        let links: Vec<String> = attrs(&site.output(page), "a", "href")
            .iter()
            .map(|h| resolve(page, h))
            .collect();
        for target in ["timeline/index.html", "archive/index.html"] {
            assert!(links.iter().any(|l| l == target), "{page} lacks {target}");
        }
    }
}

#[test]
fn every_pagination_link_of_the_timelines_and_sources_resolves() {
    let site = built();
    let listings: Vec<String> = files_ending(&site.out, ".html")
        .into_iter()
        .filter(|p| p.starts_with("timeline/") || p.starts_with("sources/"))
        .collect();
    let mut reached = BTreeSet::new();
    for page in &listings {
        for href in attrs(&site.output(page), ".pagination a", "href") {
            let target = resolve(page, &href);
            assert!(
                site.out.join(&target).is_file(),
                "{page}: {href} leads to {target}, which was not written"
            );
            reached.insert(target);
        }
    }
    // Each listing's pages link one another: every further page is reached, and the first.
    for page in &listings {
        if page.contains("/page/") {
            assert!(reached.contains(page), "no pagination link reaches {page}");
            let first = page.split("/page/").next().unwrap_or_default();
            assert!(reached.contains(&format!("{first}/index.html")), "{first}");
        }
    }
    // The site's timeline (4 pages) and Reuters' (3); a topic's timeline is one page.
    assert_eq!(reached.len(), 7, "{reached:?}");
    assert_links_ok(&crawl(&site.out), 200, 0);
}

#[test]
fn each_topic_has_a_timeline_of_its_briefs_linked_from_its_page() {
    let site = built();
    for (slug, title) in [("alpha", "Alpha talks"), ("beta", "Beta energy")] {
        let first = format!("timeline/{slug}/index.html");
        // One page, the topic's whole chronology (paginate = 2 does not split it).
        let pages = follow(&site, &first);
        assert_eq!(pages, std::slice::from_ref(&first));
        let listed: Vec<Entry> = pages
            .iter()
            .flat_map(|p| entries(&site.output(p)))
            .collect();
        let expected: Vec<Entry> = published()
            .into_iter()
            .filter(|e| e.topics.iter().any(|t| t == title))
            .collect();
        assert_eq!(listed.len(), 4);
        assert_eq!(listed, expected);
        let html = site.output(&first);
        assert_eq!(texts(&html, "h1"), [title]);
        // The topic's page and its timeline link each other; the timeline, the site's.
        let topic = format!("topics/{slug}/index.html");
        let header = |page: &str| -> Vec<String> {
            attrs(&site.output(page), ".page-header a", "href")
                .iter()
                .map(|h| resolve(page, h))
                .collect()
        };
        assert!(header(&topic).contains(&first), "{topic}");
        assert_eq!(header(&first), ["timeline/index.html", topic.as_str()]);
    }
    // The site timeline's first page lists the topics' timelines.
    let page = "timeline/index.html";
    let topics: Vec<String> = attrs(&site.output(page), ".timeline-topics a", "href")
        .iter()
        .map(|h| resolve(page, h))
        .collect();
    assert_eq!(
        topics,
        ["timeline/alpha/index.html", "timeline/beta/index.html"]
    );
    let second = site.output("timeline/page/2/index.html");
    assert!(texts(&second, ".timeline-topics").is_empty());
}

#[test]
fn the_sources_index_counts_the_distinct_briefs_citing_each_outlet() {
    let site = built();
    let page = "sources/index.html";
    let index = site.output(page);
    let names = texts(&index, ".entity-list li > a");
    let counts: Vec<usize> = texts(&index, ".entity-list .count-badge")
        .iter()
        .map(|c| {
            let n = c.split_whitespace().next().unwrap_or_default();
            n.parse().unwrap_or_else(|_| panic!("count {c:?}"))
        })
        .collect();
    let hrefs = attrs(&index, ".entity-list li > a", "href");
    // Most cited first, then by name.
    let expected: Vec<&str> = OUTLETS.iter().map(|o| o.0).collect();
    assert_eq!(names, expected);
    for (i, (name, slug, briefs)) in OUTLETS.into_iter().enumerate() {
        assert_eq!(counts[i], briefs.len(), "{name}");
        let first = resolve(page, &hrefs[i]);
        assert_eq!(first, format!("sources/{slug}/index.html"));
        // The outlet's pages list exactly the briefs counted, each once, newest first.
        let pages = follow(&site, &first);
        assert_eq!(pages.len(), briefs.len().div_ceil(2), "{name}: {pages:?}");
        assert_eq!(card_titles(&site, &pages), briefs, "{name}");
        let outlet = site.output(&first);
        assert_eq!(texts(&outlet, "h1"), [name]);
        assert!(!outlet.contains(DRAFT), "{first} lists the draft");
    }
    // The draft's own outlet has no page, and no place in the index.
    assert!(!site.out.join("sources/draft-only-wire").exists());
    assert!(!index.contains("Draft Only Wire"));
    // The sitemap lists the sources and timeline pages, like every other listing.
    let sitemap = site.output("sitemap.xml");
    for loc in [
        "https://listings.example.org/sources/",
        "https://listings.example.org/sources/reuters/page/3/",
        "https://listings.example.org/timeline/page/4/",
        "https://listings.example.org/timeline/beta/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{loc}</loc>")),
            "{loc}: {sitemap}"
        );
    }
}

#[test]
fn spellings_of_an_outlet_merge_under_the_one_most_briefs_use() {
    let site = built();
    let mut outlets: Vec<String> = files_ending(&site.out.join("sources"), "index.html")
        .into_iter()
        .filter_map(|p| p.split('/').next().map(str::to_string))
        .filter(|p| p != "index.html")
        .collect();
    outlets.dedup();
    assert_eq!(
        outlets,
        [
            "harbour-gazette",
            "ministry-statement",
            "reuters",
            "wire-service"
        ]
    );
    // `Reuters` in three briefs, `REUTERS` in the newest and `reuters` in one: one outlet, named
    // as most briefs write it, never as the newest does.
    let name =
        |site: &Site, slug: &str| texts(&site.output(&format!("sources/{slug}/index.html")), "h1");
    assert_eq!(name(&site, "reuters"), ["Reuters"]);
    let index = site.output("sources/index.html");
    assert!(!index.contains("REUTERS") && !index.contains(">reuters<"));
    // One brief each: the earliest brief's spelling.
    assert_eq!(name(&site, "ministry-statement"), ["Ministry Statement"]);
    // A newer brief with another spelling renames nothing: 3 to 2 for `Reuters`.
    site.write(
        "content/briefs/2025/2025-03-20-late-wire.md",
        "---\ntitle: Late wire\ndate: 2025-03-20\ntopics: [alpha]\nsources:\n  - name: REUTERS\n  - name: ministry statement\n---\nLate.\n",
    );
    site.build_ok(&[]);
    assert_eq!(name(&site, "reuters"), ["Reuters"]);
    assert_eq!(name(&site, "ministry-statement"), ["Ministry Statement"]);
    assert_eq!(
        card_titles(&site, &follow(&site, "sources/reuters/index.html")).len(),
        6
    );
}

#[test]
fn drafts_join_the_timeline_and_their_outlets_only_with_the_drafts_flag() {
    let site = Site::copy_of("listings");
    site.build_ok(&["--drafts"]);
    let timeline = site.output("timeline/index.html");
    assert_eq!(entries(&timeline)[0].title, DRAFT);
    assert_eq!(
        texts(&timeline, ".chronology-entry .draft-label"),
        ["Draft"]
    );
    let draft_only = site.output("sources/draft-only-wire/index.html");
    assert_eq!(texts(&draft_only, ".card-title a"), [DRAFT]);
}

#[test]
fn a_source_name_that_makes_no_slug_is_an_error_at_its_sources_line() {
    let site = Site::copy_of("listings");
    site.edit(
        AUTUMN,
        "  - name: Wire Service\n",
        "  - name: Wire Service\n  - name: \"***\"\n",
    );
    let run = site.check(&["--format", "json"]);
    run.failure();
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let diags = doc["diagnostics"].as_array().expect("diagnostics");
    let found: Vec<&serde_json::Value> =
        diags.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(found.len(), 1, "{diags:?}");
    let d = found[0];
    assert_eq!(
        d["message"],
        "cannot make a URL slug for the source \"***\""
    );
    assert_eq!(d["code"], "invalid-field");
    assert_eq!(d["file"], AUTUMN);
    let line = site
        .read(AUTUMN)
        .lines()
        .position(|l| l == "sources:")
        .expect("a sources line")
        + 1;
    assert_eq!(d["line"], line as u64, "{d}");
}

#[test]
fn a_session_redoes_the_sources_pages_when_a_source_is_renamed() {
    let site = Site::copy_of("listings");
    let mut session = Session::new(BuildOptions {
        root: site.root.clone(),
        ..Default::default()
    });
    let sink = DirSink::new(&site.out).expect("an output folder");
    session.build(&[], &sink).expect("the first build");
    site.edit(
        AUTUMN,
        "  - name: Wire Service",
        "  - name: Harbour Gazette",
    );
    let update = session
        .build(&[site.path(AUTUMN)], &sink)
        .expect("the rebuild");
    assert_eq!(update.removed, ["sources/wire-service/index.html"]);
    for page in [
        "sources/index.html",
        "sources/harbour-gazette/index.html",
        "sources/harbour-gazette/page/2/index.html",
        "sitemap.xml",
        "briefs/autumn-round-closes/index.html",
    ] {
        assert!(
            update.written.iter().any(|w| w == page),
            "{page} not written: {:?}",
            update.written
        );
    }
    // Nothing a source name does not show on.
    for page in [
        "timeline/index.html",
        "topics/beta/index.html",
        "index.html",
    ] {
        assert!(!update.written.iter().any(|w| w == page), "{page} written");
    }
    let fresh = site.tmp.path().join("fresh");
    briefing::build(&BuildOptions {
        root: site.root.clone(),
        output: Some(fresh.clone()),
        ..Default::default()
    })
    .expect("a full build");
    let mut full = read_tree(&fresh);
    // The mark a full build leaves on its output folder.
    full.remove(".briefing-output");
    session.settle_search();
    assert_same_tree(&full, &read_tree(&site.out));
}
