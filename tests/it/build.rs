//! Successful builds: the pages and URLs a site gets, links that resolve, well-formed feeds and
//! sitemap, drafts, escaping and sanitising, determinism, the command line's own output, and
//! snapshots of the theme's HTML.

use std::collections::BTreeSet;
use std::path::Path;

use crate::util::{
    Site, assert_links_ok, assert_same_tree, attrs, briefing, crawl, files_ending, normalize,
    parse_feed, parse_feed_file, read_tree, sitemap_locs, texts,
};

/// Briefs of the basic fixture that are published by default.
const PUBLISHED: &[&str] = &[
    "border-incident",
    "ceasefire-talks-open",
    "gas-transit-ends",
    "peregovory-v-stambule",
    "pipeline-repairs",
    "summit-date-set",
    "talks-resume",
];

const DRAFT_SLUG: &str = "sanctions-package";
const DRAFT_TITLE: &str = "Unpublished sanctions package";

// ---- Pages and URLs ------------------------------------------------------------------------------

#[test]
fn basic_site_has_every_expected_page() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    let mut expected: Vec<String> = [
        "index.html",
        "topics/index.html",
        "topics/diplomacy/index.html",
        "topics/diplomacy/page/2/index.html",
        "topics/diplomacy/feed.xml",
        "topics/energy/index.html",
        "topics/energy/page/2/index.html",
        "topics/energy/feed.xml",
        "topics/security/index.html",
        "topics/security/feed.xml",
        "people/index.html",
        "people/olena-ivanova/index.html",
        "people/marco-rossi/index.html",
        "places/index.html",
        "places/geneva/index.html",
        "places/border-post-7/index.html",
        "organizations/index.html",
        "organizations/united-nations/index.html",
        "organizations/gas-transit-operator/index.html",
        "tags/index.html",
        "tags/talks/index.html",
        "tags/gas/index.html",
        "archive/index.html",
        "pages/about/index.html",
        "pages/methodology/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "style.css",
        // From static/.
        "images/map.svg",
    ]
    .map(String::from)
    .to_vec();
    expected.extend(PUBLISHED.iter().map(|s| format!("briefs/{s}/index.html")));
    let tree = read_tree(&site.out);
    let missing: Vec<&String> = expected.iter().filter(|p| !tree.contains_key(*p)).collect();
    assert!(
        missing.is_empty(),
        "missing: {missing:?}\nbuilt: {:?}",
        tree.keys()
    );
    // Topics paginate at 2 briefs a page: diplomacy has 4 (one through an alias), security 1.
    assert!(!tree.contains_key("topics/diplomacy/page/3/index.html"));
    assert!(!tree.contains_key("topics/security/page/2/index.html"));
    // Aliases resolve to their topic; each gets a redirect page to it and nothing more.
    for alias in ["talks", "negotiations"] {
        let pages: Vec<&String> = tree
            .keys()
            .filter(|p| p.starts_with(&format!("topics/{alias}/")))
            .collect();
        assert_eq!(pages, [&format!("topics/{alias}/index.html")]);
        assert!(
            site.output(pages[0])
                .contains("url=../../topics/diplomacy/index.html"),
            "{alias} is not a redirect to its topic"
        );
    }
    // Exactly the published briefs, no more.
    let briefs: BTreeSet<&str> = tree
        .keys()
        .filter_map(|p| p.strip_prefix("briefs/")?.strip_suffix("/index.html"))
        .collect();
    assert_eq!(briefs, PUBLISHED.iter().copied().collect());
    assert_eq!(
        site.output("images/map.svg"),
        site.read("static/images/map.svg")
    );
}

#[test]
fn fixture_keeps_its_crlf_bom_and_cyrillic_file_name() {
    // Guards the fixture itself: if git or an editor normalises it, the tests below stop
    // covering CRLF, BOM and transliteration.
    let site = Site::copy_of("basic");
    let crlf = std::fs::read(site.path("content/briefs/2025/02/2025-02-20-pipeline-repairs.md"))
        .expect("read");
    assert!(
        crlf.starts_with(b"\xef\xbb\xbf+++\r\n"),
        "BOM and CRLF lost"
    );
    assert!(
        site.path("content/briefs/2025/02/2025-02-14-переговоры-в-стамбуле.md")
            .is_file()
    );
}

#[test]
fn front_matter_variants_come_out_right() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);

    // CRLF + BOM + TOML: title, status and body all parsed; no stray \r anywhere.
    let crlf = site.output("briefs/pipeline-repairs/index.html");
    assert_eq!(texts(&crlf, "h1"), ["Pipeline repairs disputed"]);
    assert_eq!(texts(&crlf, ".content h2"), ["Claims"]);
    assert!(crlf.contains("status-disputed"));
    // (The search index's binary files aside.)
    for (path, bytes) in read_tree(&site.out) {
        if path.starts_with("pagefind/") {
            continue;
        }
        assert!(!bytes.contains(&b'\r'), "{path} contains a carriage return");
        assert!(
            !bytes.starts_with(b"\xef\xbb\xbf"),
            "{path} starts with a BOM"
        );
    }

    // Cyrillic file name → transliterated slug; the page is where links say it is.
    let cyr = site.output("briefs/peregovory-v-stambule/index.html");
    assert_eq!(texts(&cyr, "h1"), ["Talks move to Istanbul"]);

    // RFC 3339 date with an offset: the date as written, the instant in UTC.
    let summit = site.output("briefs/summit-date-set/index.html");
    assert_eq!(
        attrs(&summit, ".meta time", "datetime"),
        ["2025-02-03T12:30:00Z", "2025-02-05"]
    );

    // Native TOML date and a topic given through an alias.
    let geneva = site.output("briefs/ceasefire-talks-open/index.html");
    assert_eq!(attrs(&geneva, ".meta time", "datetime"), ["2025-01-20"]);
    assert_eq!(
        attrs(&geneva, ".brief-header .tags a", "href"),
        ["../../topics/diplomacy/index.html"]
    );

    // Entities and sources.
    let gas = site.output("briefs/gas-transit-ends/index.html");
    assert_eq!(texts(&gas, ".facts dd a").len(), 6, "{gas}");
    assert_eq!(texts(&gas, ".sources li a"), ["Wire Agency"]);
    assert!(texts(&gas, ".sources li")[1].contains("Operator statement"));
}

#[test]
fn topics_list_their_briefs_newest_first_across_pages() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    let titles = |page: &str| texts(&site.output(page), ".card-title a");
    assert_eq!(
        titles("topics/diplomacy/index.html"),
        [
            "Talks resume after the border incident",
            "Talks move to Istanbul"
        ]
    );
    assert_eq!(
        titles("topics/diplomacy/page/2/index.html"),
        [
            "Summit date set for March",
            "Ceasefire talks open in Geneva"
        ]
    );
    let page2 = site.output("topics/diplomacy/page/2/index.html");
    assert_eq!(
        attrs(&page2, "a[rel=prev]", "href"),
        ["../../../../topics/diplomacy/index.html"]
    );
    assert!(attrs(&page2, "a[rel=next]", "href").is_empty());
}

#[test]
fn long_topics_list_a_window_of_pages_that_all_resolve() {
    // 30 briefs at 2 a page: 15 pages. Each page lists the first, the last and two either side
    // of itself, so a page's size does not grow with the number of pages.
    let site = Site::copy_of("basic");
    for i in 1..=30 {
        site.write(
            &format!(
                "content/briefs/2024/01/2024-01-{:02}-extra-{i}.md",
                i % 28 + 1
            ),
            format!(
                "---\ntitle: Extra {i}\ndate: 2024-01-{:02}\ntopics: [security]\n---\nBody {i}.\n",
                i % 28 + 1
            ),
        );
    }
    site.build_ok(&[]);
    let numbers = |page: &str| texts(&site.output(page), ".pagination li");
    assert_eq!(
        numbers("topics/security/page/8/index.html"),
        [
            "← Newer",
            "1",
            "…",
            "6",
            "7",
            "8",
            "9",
            "10",
            "…",
            "16",
            "Older →"
        ]
    );
    assert_eq!(
        numbers("topics/security/index.html"),
        ["1", "2", "3", "…", "16", "Older →"]
    );
    let page8 = site.output("topics/security/page/8/index.html");
    assert_eq!(
        attrs(&page8, ".pagination a[aria-current=page]", "href"),
        ["../../../../topics/security/page/8/index.html"]
    );
    assert_links_ok(&crawl(&site.out), 100, 0);
}

#[test]
fn a_site_card_template_is_used_on_every_listing_at_every_depth() {
    let site = Site::copy_of("basic");
    site.write(
        "templates/partials/card.html",
        "<article class=\"my-card\"><h{{ card_level }}><a href=\"{{ root }}{{ b.url }}\">{{ b.title }}</a></h{{ card_level }}></article>\n",
    );
    site.build_ok(&[]);
    let links = |page: &str| attrs(&site.output(page), ".my-card a", "href");
    // The front page includes the card (depth 0); timelines use it rendered once per depth.
    assert!(links("index.html").contains(&"briefs/talks-resume/index.html".to_string()));
    assert_eq!(
        links("topics/diplomacy/index.html"),
        [
            "../../briefs/talks-resume/index.html",
            "../../briefs/peregovory-v-stambule/index.html"
        ]
    );
    assert_eq!(
        links("topics/diplomacy/page/2/index.html"),
        [
            "../../../../briefs/summit-date-set/index.html",
            "../../../../briefs/ceasefire-talks-open/index.html"
        ]
    );
    let person = files_ending(&site.out.join("people"), "index.html")
        .into_iter()
        .find(|p| p != "index.html")
        .expect("a person page");
    let cards = links(&format!("people/{person}"));
    assert!(!cards.is_empty(), "no cards on people/{person}");
    assert!(
        cards.iter().all(|h| h.starts_with("../../briefs/")),
        "{cards:?}"
    );
    // Timeline cards sit under the month's h3.
    assert!(
        site.output("topics/diplomacy/index.html")
            .contains("<h4><a href=")
    );
    assert_links_ok(&crawl(&site.out), 100, 0);
}

#[test]
fn cross_links_are_rewritten_to_pages() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    let html = site.output("briefs/talks-resume/index.html");
    let links = attrs(&html, ".content a", "href");
    for expected in [
        "../../briefs/peregovory-v-stambule/index.html",
        "../../briefs/border-incident/index.html",
        "../../briefs/summit-date-set/index.html",
        "../../briefs/gas-transit-ends/index.html#what-happened",
        "../../topics/energy/index.html",
        "../../images/map.svg",
        "../../pages/about/index.html",
        "../../pages/methodology/index.html#status-labels",
        "#background",
    ] {
        assert!(
            links.iter().any(|l| l == expected),
            "no link {expected:?} in {links:?}"
        );
    }
    assert_eq!(
        attrs(&html, ".content img", "src"),
        ["../../images/map.svg"]
    );
    // The linked brief lists this one under "Referenced by".
    let target = site.output("briefs/border-incident/index.html");
    assert_eq!(
        texts(&target, ".referenced-by a"),
        ["Talks resume after the border incident"]
    );
}

/// Links may point at anything the site writes, not only briefs and static files: the one list
/// of outputs (`src/layout.rs`) answers for link checking as for rendering.
#[test]
fn links_to_any_generated_file_resolve() {
    let site = Site::copy_of("basic");
    site.edit(
        "content/briefs/2025/03/2025-03-12-talks-resume.md",
        "Jump back to [the background](#background).",
        "Jump back to [the background](#background). See [the styles](/style.css), \
         [the icon](/favicon.svg), [older diplomacy briefs](/topics/diplomacy/page/2/), \
         [its feed](/topics/diplomacy/feed.xml) and [the archive](/archive/).",
    );
    site.build_ok(&[]);
    let html = site.output("briefs/talks-resume/index.html");
    let links = attrs(&html, ".content a", "href");
    for expected in [
        "../../style.css",
        "../../favicon.svg",
        "../../topics/diplomacy/page/2/index.html",
        "../../topics/diplomacy/feed.xml",
        "../../archive/index.html",
    ] {
        assert!(
            links.iter().any(|l| l == expected),
            "no link {expected:?} in {links:?}"
        );
    }
    assert_links_ok(&crawl(&site.out), 500, 5);
}

// ---- Links --------------------------------------------------------------------------------------

#[test]
fn every_link_of_the_fixture_resolves() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    let crawl = crawl(&site.out);
    assert_links_ok(&crawl, 500, 5);
    assert!(crawl.external > 0, "sources link out; the crawler saw none");
}

#[test]
fn every_link_of_the_fixture_resolves_with_drafts_and_base_url() {
    let site = Site::copy_of("basic");
    site.build_ok(&["--drafts", "--base-url", "https://example.org/desk/"]);
    assert_links_ok(&crawl(&site.out), 500, 5);
}

#[test]
fn every_link_of_the_sample_site_resolves() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let out = tmp.path().join("out");
    crate::util::build_sample_site(&out);
    assert!(out.join("index.html").is_file());
    assert_links_ok(&crawl(&out), 1000, 10);
}

/// The crawler must be able to fail, or the tests above prove nothing.
#[test]
fn the_link_crawler_catches_broken_links() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let out = tmp.path();
    std::fs::create_dir_all(out.join("a")).expect("mkdir");
    std::fs::write(out.join("a/index.html"), "<h1 id=top>x</h1>").expect("write");
    std::fs::write(
        out.join("index.html"),
        r##"<a href="a/index.html#top">ok</a>
        <a href="a/">folder</a>
        <a href="missing.html">missing</a>
        <a href="a/index.html#nope">bad fragment</a>
        <a href="#nowhere">bad same-page fragment</a>
        <a href="/a/index.html">root-relative</a>
        <a href="file:///etc/passwd">file</a>
        <img src="../outside.png">
        <link href="style.css">
        <a href="https://example.org/">external</a>"##,
    )
    .expect("write");
    let crawl = crawl(out);
    let problems = crawl.problems.join("\n");
    for bad in [
        "\"a/\"",
        "missing.html",
        "#nope",
        "#nowhere",
        "/a/index.html\"",
        "file:",
        "outside.png",
        "style.css",
    ] {
        assert!(problems.contains(bad), "{bad} not caught:\n{problems}");
    }
    assert_eq!(crawl.problems.len(), 8, "{problems}");
    assert_eq!(crawl.external, 1);
}

// ---- Feeds and sitemap ----------------------------------------------------------------------------

/// Resolves a relative URL found in `from` (a root-relative file path) to a root-relative path.
fn resolve(from: &str, url: &str) -> String {
    // An empty reference is the document itself (RFC 3986, 5.2.2).
    if url.is_empty() {
        return from.to_string();
    }
    let base = Path::new(from).parent().unwrap_or(Path::new(""));
    let joined = normalize(&base.join(url)).unwrap_or_else(|| panic!("{url} leaves the site"));
    let mut s = joined.to_string_lossy().into_owned();
    if url.ends_with('/') {
        if !s.is_empty() {
            s.push('/');
        }
        s.push_str("index.html");
    }
    s
}

/// Resolves a URL against a base that ends in `/`, both relative to `from`.
fn resolve_in(from: &str, base: &str, url: &str) -> String {
    resolve(from, &format!("{base}{url}"))
}

#[test]
fn feeds_and_sitemap_use_relative_links_without_base_url() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    let tree = read_tree(&site.out);
    let mut feeds = files_ending(&site.out, "feed.xml");
    // The site's, three topics', the default author's, and one per person, place, organization
    // and tag (summaries only, so their entries' content and its base are empty).
    let names: usize = ["people", "places", "organizations", "tags"]
        .iter()
        .map(|k| texts(&site.output(&format!("{k}/index.html")), ".entity-list a").len())
        .sum();
    assert_eq!(names, 15);
    assert_eq!(feeds.len(), 5 + names, "{feeds:?}");
    feeds.sort();
    let mut ids = BTreeSet::new();
    for name in &feeds {
        let feed = parse_feed_file(name, &site.output(name));
        assert!(ids.insert(feed.id.clone()), "feed id {} repeats", feed.id);
        // The feed's own links: self → the feed, alternate → its HTML page.
        assert_eq!(feed.links.len(), 2, "{name}: {:?}", feed.links);
        assert_eq!(resolve(name, &feed.links[0]), *name, "{name}: self link");
        let alternate = resolve(name, &feed.links[1]);
        assert!(
            alternate.ends_with("index.html") && tree.contains_key(&alternate),
            "{name}: alternate link {:?} → {alternate}",
            feed.links[1]
        );
        assert!(!feed.entries.is_empty(), "{name} has no entries");
        for e in &feed.entries {
            for url in [&e.id, &e.link, &e.content_base] {
                assert!(!url.starts_with("http"), "{name}: absolute {url}");
                assert!(!url.starts_with('/'), "{name}: root-relative {url}");
            }
            let page = resolve(name, &e.link);
            assert!(tree.contains_key(&page), "{name}: {} → {page}", e.link);
            // Links inside the content resolve against the entry's xml:base.
            let links = attrs(&e.content, "[href]", "href")
                .into_iter()
                .chain(attrs(&e.content, "[src]", "src"));
            for link in links.filter(|l| !l.starts_with("http") && !l.starts_with('#')) {
                let link = link.split('#').next().unwrap_or_default();
                let target = resolve_in(name, &e.content_base, link);
                assert!(tree.contains_key(&target), "{name}: {link} → {target}");
            }
        }
    }
    let site_feed = parse_feed("feed.xml", &site.output("feed.xml"));
    let titles: Vec<&str> = site_feed.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles.len(), PUBLISHED.len());
    assert_eq!(titles[0], "Talks resume after the border incident");

    // Every HTML page but 404.html, the search page and the redirect pages of the topic's
    // aliases is in the sitemap, once, and nothing else.
    let locs = sitemap_locs(&site.output("sitemap.xml"));
    let mut listed: Vec<String> = locs.iter().map(|l| resolve("sitemap.xml", l)).collect();
    listed.sort();
    let mut pages: Vec<String> = files_ending(&site.out, ".html");
    pages.retain(|p| {
        !matches!(
            p.as_str(),
            "404.html"
                | "search/index.html"
                | "topics/talks/index.html"
                | "topics/negotiations/index.html"
        )
    });
    pages.sort();
    assert_eq!(listed, pages);
    assert_eq!(site.output("robots.txt"), "User-agent: *\nAllow: /\n");
}

#[test]
fn feeds_and_sitemap_use_absolute_urls_with_base_url() {
    let base = "https://example.org/desk/";
    let site = Site::copy_of("basic");
    site.build_ok(&["--base-url", "https://example.org/desk"]);
    let tree = read_tree(&site.out);
    let page_of = |url: &str| -> String {
        let rel = url
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{url} does not start with {base}"));
        resolve("index.html", rel)
    };
    for name in files_ending(&site.out, "feed.xml") {
        let feed = parse_feed_file(&name, &site.output(&name));
        assert_eq!(feed.id, format!("{base}{name}"));
        assert_eq!(feed.links[0], format!("{base}{name}"));
        assert!(tree.contains_key(&page_of(&feed.links[1])));
        for e in &feed.entries {
            assert_eq!(e.id, e.link);
            // Entity feeds carry no content (`parse_feed_file` checks), so no base.
            if !e.content.is_empty() {
                assert_eq!(e.content_base, e.link);
            }
            assert!(
                tree.contains_key(&page_of(&e.link)),
                "{name}: {} has no page",
                e.link
            );
            assert!(e.link.starts_with(&format!("{base}briefs/")));
        }
    }
    let locs = sitemap_locs(&site.output("sitemap.xml"));
    assert!(locs.contains(&base.to_string()), "{locs:?}");
    for loc in &locs {
        assert!(tree.contains_key(&page_of(loc)), "{loc} has no page");
    }
    assert!(
        site.output("robots.txt")
            .contains(&format!("Sitemap: {base}sitemap.xml"))
    );
    // HTML pages get a canonical link; their own links stay relative (checked by the crawler).
    let brief = site.output("briefs/talks-resume/index.html");
    assert_eq!(
        attrs(&brief, "link[rel=canonical]", "href"),
        [format!("{base}briefs/talks-resume/")]
    );
}

#[test]
fn sample_site_feeds_parse_as_xml() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let out = tmp.path().join("out");
    crate::util::build_sample_site(&out);
    let feeds = files_ending(&out, "feed.xml");
    assert!(feeds.len() > 1);
    for name in feeds {
        let xml = std::fs::read_to_string(out.join(&name)).expect("read feed");
        let feed = parse_feed_file(&name, &xml);
        // In the Russian tree an author or topic may have no translated briefs yet.
        assert!(
            !feed.entries.is_empty() || name.starts_with("ru/"),
            "{name}"
        );
        // The sample site sets base_url.
        assert!(feed.entries.iter().all(|e| e.link.starts_with("https://")));
    }
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap");
    assert!(sitemap_locs(&sitemap).len() > 10);
}

// ---- Drafts ----------------------------------------------------------------------------------------

#[test]
fn drafts_are_left_out_by_default() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]).stderr_has("Built 7 briefs,");
    let tree = read_tree(&site.out);
    assert!(!site.out.join(format!("briefs/{DRAFT_SLUG}")).exists());
    // The draft's only person and tag get no pages either.
    assert!(!site.out.join("people/draftonly-person").exists());
    assert!(!site.out.join("tags/draftonly").exists());
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        for needle in [DRAFT_SLUG, DRAFT_TITLE, "Draftonly"] {
            assert!(
                !text.contains(needle),
                "{path} mentions the draft ({needle})"
            );
        }
    }
    let topic = site.output("topics/diplomacy/index.html");
    assert_eq!(
        texts(&topic, ".meta").first().map(String::as_str),
        Some("4 briefs · Timeline view · Atom feed")
    );
}

#[test]
fn drafts_are_published_with_the_drafts_flag() {
    let site = Site::copy_of("basic");
    site.build_ok(&["--drafts"]).stderr_has("Built 8 briefs,");
    let page = site.output(&format!("briefs/{DRAFT_SLUG}/index.html"));
    assert_eq!(texts(&page, "h1"), [DRAFT_TITLE]);
    let brief_url = format!("briefs/{DRAFT_SLUG}/index.html");
    for listing in [
        "index.html",
        "archive/index.html",
        "people/draftonly-person/index.html",
    ] {
        let links = attrs(&site.output(listing), "a", "href");
        assert!(
            links.iter().any(|l| l.ends_with(&brief_url)),
            "{listing} does not list the draft"
        );
    }
    // Diplomacy now has 5 briefs: three pages of two.
    assert!(
        site.out
            .join("topics/diplomacy/page/3/index.html")
            .is_file()
    );
    // Marked as a draft on its page (banner, noindex) and on cards.
    assert_eq!(texts(&page, ".draft-banner strong"), ["Draft."]);
    assert_eq!(
        attrs(&page, r#"meta[name="robots"]"#, "content"),
        ["noindex"]
    );
    let index = site.output("index.html");
    assert_eq!(
        texts(&index, ".draft-label"),
        ["Draft"],
        "only the draft is marked"
    );
    // Never in feeds or the sitemap, whatever the flags: readers and crawlers keep what they see.
    let feed = parse_feed("feed.xml", &site.output("feed.xml"));
    assert!(!feed.entries.is_empty());
    assert!(feed.entries.iter().all(|e| e.title != DRAFT_TITLE));
    let topic_feed = parse_feed("diplomacy", &site.output("topics/diplomacy/feed.xml"));
    assert!(!topic_feed.entries.is_empty());
    assert!(topic_feed.entries.iter().all(|e| e.title != DRAFT_TITLE));
    let locs = sitemap_locs(&site.output("sitemap.xml"));
    assert!(locs.iter().any(|l| l.contains("briefs/")), "{locs:?}");
    assert!(!locs.iter().any(|l| l.contains(DRAFT_SLUG)), "{locs:?}");
    // Published briefs carry no draft marks.
    assert!(
        !site
            .output("briefs/talks-resume/index.html")
            .contains("noindex")
    );
}

// ---- Escaping and sanitising -------------------------------------------------------------------------

const HOSTILE: &str = r#"<script>alert(1)</script> "quotes" & ampersands"#;
/// The hostile title as shown: titles get smart punctuation, so its quotes curl.
const HOSTILE_TITLE: &str = "<script>alert(1)</script> “quotes” & ampersands";
const HOSTILE_SUMMARY: &str = r#"Summary <script>alert(1)</script> "quotes" & ampersands"#;
const HOSTILE_URL: &str = r#"https://example.com/search?a=1&b="2""#;

const JSON_LD_OPEN: &str = r#"<script type="application/ld+json">"#;
/// The search page's messages for its script, a JSON data block.
const MESSAGES_OPEN: &str = r#"<script type="application/json" id="search-messages">"#;
/// The theme's search script, which every page loads (`data-root` leads to the site root).
const SEARCH_SCRIPT: &str = r#"search.js" defer data-root="#;

/// No live script (only JSON-LD data blocks and the search page's messages, which must hold
/// valid JSON with no raw `<`), event
/// handler or `javascript:` URL in any HTML page, and no double escaping.
fn assert_no_live_markup(out: &Path) {
    let script = scraper::Selector::parse("script").expect("selector");
    let all = scraper::Selector::parse("*").expect("selector");
    for (path, bytes) in read_tree(out) {
        if !path.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        // The only scripts allowed are the brief pages' JSON-LD data blocks, the search page's
        // messages and the theme's search script, once per page.
        let theme = text.matches(SEARCH_SCRIPT).count();
        assert!(theme <= 1, "{path} loads the search script {theme} times");
        assert_eq!(
            text.matches("<script").count(),
            text.matches(JSON_LD_OPEN).count() + text.matches(MESSAGES_OPEN).count() + theme,
            "{path} holds a raw <script tag:\n{text}"
        );
        for double in ["&amp;amp;", "&amp;lt;", "&amp;quot;", "&amp;#"] {
            assert!(!text.contains(double), "{path} is escaped twice ({double})");
        }
        let doc = scraper::Html::parse_document(&text);
        for data in doc.select(&script) {
            if data
                .value()
                .attr("src")
                .is_some_and(|s| s.ends_with("search.js"))
            {
                continue;
            }
            assert!(
                matches!(
                    data.value().attr("type"),
                    Some("application/ld+json" | "application/json")
                ),
                "{path} has a <script>"
            );
            let json: String = data.text().collect();
            assert!(!json.contains('<'), "{path}: JSON-LD holds a raw <: {json}");
            serde_json::from_str::<serde_json::Value>(&json)
                .unwrap_or_else(|e| panic!("{path}: JSON-LD is not JSON ({e}): {json}"));
        }
        for el in doc.select(&all) {
            for (name, value) in el.value().attrs() {
                assert!(!name.starts_with("on"), "{path}: event handler {name}");
                assert!(
                    !value.trim().to_ascii_lowercase().starts_with("javascript:"),
                    "{path}: {name}={value}"
                );
            }
        }
    }
}

#[test]
fn hostile_front_matter_is_escaped_everywhere() {
    let site = Site::copy_of("escaping");
    site.build_ok(&[]);
    assert_no_live_markup(&site.out);

    let page = site.output("briefs/hostile/index.html");
    assert_eq!(texts(&page, "h1"), [HOSTILE_TITLE]);
    assert_eq!(
        texts(&page, "title"),
        [format!("{HOSTILE_TITLE} — Escaping Desk")]
    );
    assert_eq!(
        attrs(&page, "meta[name=description]", "content"),
        [HOSTILE_SUMMARY]
    );
    assert_eq!(texts(&page, ".lede"), [HOSTILE_SUMMARY]);
    let json_ld: serde_json::Value =
        serde_json::from_str(&texts(&page, "script[type='application/ld+json']").concat())
            .expect("JSON-LD");
    assert_eq!(json_ld["headline"], HOSTILE_TITLE);
    assert_eq!(json_ld["description"], HOSTILE_SUMMARY);
    assert_eq!(texts(&page, ".facts a"), [HOSTILE]);
    assert_eq!(texts(&page, ".sources a"), [HOSTILE]);
    // The URL survives the attribute intact (quotes may come out percent-encoded).
    let hrefs: Vec<String> = attrs(&page, ".sources a", "href")
        .iter()
        .map(|h| {
            percent_encoding::percent_decode_str(h)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(hrefs, [HOSTILE_URL]);

    let index = site.output("index.html");
    assert!(texts(&index, ".card-title a").contains(&HOSTILE_TITLE.to_string()));
    assert_eq!(texts(&index, ".card .summary"), [HOSTILE_SUMMARY]);
    let people = site.output("people/index.html");
    assert_eq!(texts(&people, ".entity-list a"), [HOSTILE]);
    let person = site.output("people/script-alert-1-script-quotes-ampersands/index.html");
    assert_eq!(texts(&person, "h1"), [HOSTILE]);
    let archive = site.output("archive/index.html");
    assert_eq!(texts(&archive, ".archive-list a"), [HOSTILE_TITLE]);

    let person_feed = "people/script-alert-1-script-quotes-ampersands/feed.xml";
    for name in ["feed.xml", "topics/news/feed.xml", person_feed] {
        let feed = parse_feed_file(name, &site.output(name));
        assert_eq!(feed.entries[0].title, HOSTILE_TITLE, "{name}");
        assert_eq!(feed.entries[0].summary, HOSTILE_SUMMARY, "{name}");
    }
    let feed = parse_feed_file(person_feed, &site.output(person_feed));
    assert_eq!(feed.title, format!("{HOSTILE} — Escaping Desk"));
}

#[test]
fn raw_html_in_bodies_is_sanitised() {
    let site = Site::copy_of("escaping");
    site.build_ok(&[]);
    let page = site.output("briefs/hostile/index.html");
    let content = texts(&page, ".content").concat();
    assert!(content.contains("raw link") && content.contains("markdown link"));
    // Harmless markup stays.
    assert_eq!(texts(&page, ".content b"), ["bold"]);
    // The image beside the brief is copied next to its page, so the relative link holds.
    assert_eq!(attrs(&page, ".content img", "src"), ["pixel.svg"]);
    assert!(site.out.join("briefs/hostile/pixel.svg").is_file());
    assert!(attrs(&page, ".content img", "onerror").is_empty());
    assert!(attrs(&page, ".content a", "href").is_empty(), "{page}");
    // The feed carries the same sanitised HTML.
    let feed = parse_feed("feed.xml", &site.output("feed.xml"));
    let html = &feed.entries[0].content;
    assert!(
        !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:")
    );
    assert!(html.contains("<b>bold</b>"), "{html}");
}

#[test]
fn unsafe_html_keeps_raw_html_but_still_escapes_front_matter() {
    let site = Site::copy_of("escaping");
    site.write(
        "site.toml",
        "title = \"Escaping Desk\"\nunsafe_html = true\n",
    );
    site.build_ok(&[]);
    let page = site.output("briefs/hostile/index.html");
    assert!(page.contains("<script>alert(1)</script>"), "{page}");
    assert_eq!(attrs(&page, ".content img", "onerror"), ["alert(1)"]);
    assert_eq!(
        attrs(&page, ".content a", "href"),
        ["javascript:alert(1)", "javascript:alert(1)"]
    );
    // Only the body's script is live; the title, summary and names are still text.
    assert_eq!(
        texts(
            &page,
            "script:not([type='application/ld+json']):not([src$='search.js'])"
        )
        .len(),
        1
    );
    assert_eq!(texts(&page, "h1"), [HOSTILE_TITLE]);
    assert_eq!(texts(&page, ".sources a"), [HOSTILE]);
    assert_eq!(
        attrs(&page, "meta[name=description]", "content"),
        [HOSTILE_SUMMARY]
    );
}

// ---- Determinism ---------------------------------------------------------------------------------

#[test]
fn two_builds_are_byte_identical() {
    let site = Site::copy_of("basic");
    let other = site.tmp.path().join("other");
    site.build_ok(&["--drafts"]);
    site.build_into(&other, &["--drafts"]).success();
    let (a, b) = (read_tree(&site.out), read_tree(&other));
    assert!(a.len() > 40);
    assert_same_tree(&a, &b);
}

#[test]
fn two_builds_of_the_sample_site_are_byte_identical() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let trees: Vec<_> = ["one", "two"]
        .iter()
        .map(|name| {
            let out = tmp.path().join(name);
            crate::util::build_sample_site(&out);
            read_tree(&out)
        })
        .collect();
    assert_same_tree(&trees[0], &trees[1]);
}

#[test]
fn a_rebuild_replaces_the_output_whole() {
    let site = Site::copy_of("basic");
    site.build_ok(&["--drafts"]);
    assert!(
        site.out
            .join(format!("briefs/{DRAFT_SLUG}/index.html"))
            .is_file()
    );
    site.build_ok(&[]);
    assert!(!site.out.join(format!("briefs/{DRAFT_SLUG}")).exists());
    assert!(site.leftover_staging().is_empty());
}

// ---- Command line ------------------------------------------------------------------------------------

#[test]
fn summary_line_counts_briefs_topics_and_pages() {
    let site = Site::copy_of("basic");
    let run = site.build_ok(&[]);
    let html_pages = files_ending(&site.out, ".html").len();
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("Built "))
        .unwrap_or_else(|| panic!("no summary line\n{run}"));
    let prefix = format!("Built 7 briefs, 3 topics, {html_pages} pages in ");
    let rest = line
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{line:?} does not start with {prefix:?}"));
    let (ms, after) = rest.split_once(" ms").expect("… in X ms");
    assert!(ms.parse::<u64>().is_ok(), "{ms:?} is not a number");
    assert!(after.contains(&site.out.display().to_string()), "{line}");
    assert!(run.stdout.is_empty(), "build prints nothing on stdout");

    let one = Site::copy_of("escaping");
    one.build_ok(&[]).stderr_has("Built 1 brief, 1 topic, ");
}

#[test]
fn quiet_build_prints_nothing() {
    let site = Site::copy_of("basic");
    let run = site.build_ok(&["--quiet"]);
    assert_eq!(run.stderr, "");
    assert!(site.out.join("index.html").is_file());
}

#[test]
fn timings_list_each_stage_and_each_template() {
    let site = Site::copy_of("basic");
    let run = site.build_ok(&["--timings"]);
    for stage in [
        "read, parse front matter",
        "structure, markdown, model",
        "render and write pages",
        "search index: read pages",
        "search index: make bundle",
        "copy static files and assets",
        "swap in",
    ] {
        assert!(
            run.stderr.contains(&format!("ms  {stage}")),
            "{stage}\n{run}"
        );
    }
    // The basic site has 7 published briefs, so brief.html made 7 files.
    let brief = run
        .stderr
        .lines()
        .find(|l| l.contains(" brief.html "))
        .unwrap_or_else(|| panic!("no brief.html line\n{run}"));
    assert!(brief.contains(" 7 files "), "{brief}");
    for kind in ["topic.html", "entity.html", "Atom feeds", "sitemap.xml"] {
        assert!(run.stderr.contains(kind), "{kind}\n{run}");
    }
}

#[test]
fn check_of_a_good_site_writes_nothing() {
    let site = Site::copy_of("basic");
    let before = read_tree(site.tmp.path());
    let run = site.check(&[]);
    run.success().stderr_has("Checked 7 briefs, 3 topics, ");
    assert_eq!(read_tree(site.tmp.path()), before, "check wrote files");
    assert!(!site.root.join("public").exists());
    assert!(!site.out.exists());
}

#[test]
fn help_and_version() {
    let run = crate::util::Run::of(briefing().arg("--help"));
    run.success();
    for word in ["build", "check", "Usage"] {
        assert!(run.stdout.contains(word), "--help lacks {word}\n{run}");
    }
    let run = crate::util::Run::of(briefing().args(["build", "--help"]));
    run.success();
    for flag in ["--root", "--output", "--drafts", "--base-url"] {
        assert!(
            run.stdout.contains(flag),
            "build --help lacks {flag}\n{run}"
        );
    }
    let run = crate::util::Run::of(briefing().arg("--version"));
    run.success();
    assert_eq!(
        run.stdout.trim(),
        format!("briefing {}", env!("CARGO_PKG_VERSION"))
    );
    // No subcommand is a usage error, not a build.
    let run = crate::util::Run::of(&mut briefing());
    assert_eq!(run.code, Some(2), "{run}");
}

#[test]
fn output_without_a_terminal_has_no_colour() {
    let site = Site::copy_of("basic");
    site.edit(
        "content/briefs/2025/01/2025-01-10-gas-transit-ends.md",
        "topics: [energy]",
        "topics: [enrgy]",
    );
    // Neither with NO_COLOR nor without it: stderr is a pipe here, not a terminal.
    for no_color in [true, false] {
        let mut cmd = briefing();
        if !no_color {
            cmd.env_remove("NO_COLOR");
        }
        let run = crate::util::Run::of(
            cmd.arg("build")
                .arg("--root")
                .arg(&site.root)
                .arg("-o")
                .arg(&site.out),
        );
        run.failure().stderr_has("did you mean");
        assert!(!run.stderr.contains('\x1b'), "ANSI escape in\n{run}");
    }
    let good = Site::copy_of("basic");
    let mut cmd = briefing();
    cmd.env_remove("NO_COLOR");
    let run = crate::util::Run::of(
        cmd.arg("build")
            .arg("--root")
            .arg(&good.root)
            .arg("-o")
            .arg(&good.out),
    );
    run.success();
    assert!(!run.stderr.contains('\x1b'), "ANSI escape in\n{run}");
}

// ---- Snapshots ---------------------------------------------------------------------------------------

#[test]
fn snapshot_brief_page() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    insta::assert_snapshot!(
        "brief_talks_resume",
        site.output("briefs/talks-resume/index.html")
    );
}

#[test]
fn snapshot_topic_page() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    insta::assert_snapshot!(
        "topic_diplomacy",
        site.output("topics/diplomacy/index.html")
    );
}
