//! Bylines: `authors:` on briefs, the site's `author` as the default byline, author profiles in
//! `content/authors/`, and what they make: bylines on brief pages and cards, author pages
//! (paginated like topics), author feeds, the list of authors, JSON-LD authors, and profile
//! errors.
//!
//! Every test works on a copy of the `basic` fixture (`paginate = 2`, `author = "Fixture
//! Desk"`, no `base_url`) in which [`bylined`] signs five briefs.

use std::path::Path;

use briefing::BuildOptions;
use briefing::session::Session;
use briefing::write::DirSink;

use crate::util::{ATOM, Site, assert_links_ok, attrs, crawl, normalize, parse_feed, texts};

const GAS: &str = "content/briefs/2025/01/2025-01-10-gas-transit-ends.md";
const CEASEFIRE: &str = "content/briefs/2025/01/2025-01-20-ceasefire-talks-open.md";
const SUMMIT: &str = "content/briefs/2025/02/2025-02-03-summit-date-set.md";
const TALKS: &str = "content/briefs/2025/03/2025-03-12-talks-resume.md";
const BORDER: &str = "content/briefs/2025/03/security/2025-03-05-border-incident.md";

const JANE: &str = "content/authors/jane-doe.md";
const JANE_PROFILE: &str = "---
name: Jane Doe
role: Energy analyst
bio: Covers gas transit and the talks around it.
links:
  - name: Homepage
    url: https://jane.example.org/
---
Jane joined the desk in 2024. Her [latest brief](../briefs/2025/03/2025-03-12-talks-resume.md)
is on the talks.
";

/// Jane Doe's briefs, newest first.
const JANES: [&str; 4] = [
    "Talks resume after the border incident",
    "Summit date set for March",
    "Ceasefire talks open in Geneva",
    "Gas transit through the region ends",
];

/// The basic fixture with bylines: Jane Doe signs the gas, summit and talks briefs (YAML), John
/// Roe and Jane Doe the ceasefire brief (TOML), three authors the border brief; the other two
/// published briefs list none, so the site's `author` signs them. Jane Doe has a profile.
fn bylined() -> Site {
    let site = Site::copy_of("basic");
    for brief in [GAS, SUMMIT, TALKS] {
        site.edit(brief, "\ntitle:", "\nauthors: [Jane Doe]\ntitle:");
    }
    site.edit(
        CEASEFIRE,
        "\ntitle =",
        "\nauthors = [\"John Roe\", \"Jane Doe\"]\ntitle =",
    );
    site.edit(
        BORDER,
        "\ntitle:",
        "\nauthors: [John Roe, Ann Other, Bo Third]\ntitle:",
    );
    site.write(JANE, JANE_PROFILE);
    site
}

/// Resolves a relative `href` found on the page at `from` (root-relative) to a root-relative
/// file path, `index.html` added to folders.
fn resolve(from: &str, href: &str) -> String {
    let base = Path::new(from).parent().unwrap_or(Path::new(""));
    let path = normalize(&base.join(href)).unwrap_or_else(|| panic!("{href} leaves the site"));
    let mut s = path.to_string_lossy().replace('\\', "/");
    if href.ends_with('/') {
        s.push_str("/index.html");
    }
    s
}

/// The JSON-LD of a page.
fn json_ld(html: &str) -> serde_json::Value {
    let script = texts(html, "script[type=\"application/ld+json\"]");
    serde_json::from_str(&script[0]).expect("JSON-LD parses")
}

/// The names of each entry's `<author>`s, in the feed's order.
fn entry_authors(xml: &str) -> Vec<Vec<String>> {
    let doc = roxmltree::Document::parse(xml).expect("the feed parses");
    doc.root_element()
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|e| {
            e.children()
                .filter(|c| c.has_tag_name((ATOM, "author")))
                .filter_map(|a| a.children().find(|c| c.has_tag_name((ATOM, "name"))))
                .map(|n| n.text().unwrap_or_default().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn bylines_on_brief_pages_link_to_author_pages() {
    let site = bylined();
    site.build_ok(&[]);
    for (page, byline, authors) in [
        (
            "briefs/talks-resume/index.html",
            "By Jane Doe",
            &[("jane-doe", "Jane Doe")][..],
        ),
        (
            "briefs/ceasefire-talks-open/index.html",
            "By John Roe and Jane Doe",
            &[("john-roe", "John Roe"), ("jane-doe", "Jane Doe")],
        ),
        (
            "briefs/border-incident/index.html",
            "By John Roe, Ann Other and Bo Third",
            &[
                ("john-roe", "John Roe"),
                ("ann-other", "Ann Other"),
                ("bo-third", "Bo Third"),
            ],
        ),
        (
            "briefs/pipeline-repairs/index.html",
            "By Fixture Desk",
            &[("fixture-desk", "Fixture Desk")],
        ),
    ] {
        let html = site.output(page);
        assert_eq!(texts(&html, ".brief-header .byline"), [byline], "{page}");
        let hrefs = attrs(&html, ".brief-header .byline a[rel=author]", "href");
        assert_eq!(hrefs.len(), authors.len(), "{page}");
        for (href, (slug, name)) in hrefs.iter().zip(authors) {
            let target = resolve(page, href);
            assert_eq!(target, format!("authors/{slug}/index.html"), "{page}");
            assert_eq!(texts(&site.output(&target), "h1"), [*name], "{target}");
        }
    }
    // Cards name the authors a brief lists, and leave out the site's default byline.
    let front = site.output("index.html");
    let bylines = texts(&front, ".card .byline");
    assert_eq!(bylines.len(), 5, "{bylines:?}");
    assert!(bylines.contains(&"By John Roe and Jane Doe".to_string()));
    let card_links = attrs(&front, ".card .byline a", "href");
    assert!(
        !card_links.iter().any(|h| h.contains("fixture-desk")),
        "the default byline on a card: {card_links:?}"
    );
    let topic = site.output("topics/energy/index.html");
    for href in attrs(&topic, ".card .byline a", "href") {
        assert_eq!(
            resolve("topics/energy/index.html", &href),
            "authors/jane-doe/index.html"
        );
    }
}

#[test]
fn author_pages_list_their_briefs_newest_first_and_paginate() {
    let site = bylined();
    site.build_ok(&[]);
    let first = site.output("authors/jane-doe/index.html");
    let second = site.output("authors/jane-doe/page/2/index.html");
    assert_eq!(texts(&first, ".card-title a"), JANES[..2]);
    assert_eq!(texts(&second, ".card-title a"), JANES[2..]);
    assert!(!site.out.join("authors/jane-doe/page/3").exists());
    assert!(texts(&first, ".page-header .meta")[0].starts_with("4 briefs"));
    let older = attrs(&first, ".pagination a[rel=next]", "href");
    assert_eq!(
        resolve("authors/jane-doe/index.html", &older[0]),
        "authors/jane-doe/page/2/index.html"
    );
    let newer = attrs(&second, ".pagination a[rel=prev]", "href");
    assert_eq!(
        resolve("authors/jane-doe/page/2/index.html", &newer[0]),
        "authors/jane-doe/index.html"
    );
    assert!(texts(&second, "title")[0].contains("(page 2)"));
    // The profile shows on the first page only.
    assert!(first.contains("Jane joined the desk"));
    assert!(!second.contains("Jane joined the desk"));
    // An author named in bylines without a profile gets a page all the same.
    let john = site.output("authors/john-roe/index.html");
    assert_eq!(texts(&john, "h1"), ["John Roe"]);
    assert_eq!(
        texts(&john, ".card-title a"),
        ["Border incident denied", "Ceasefire talks open in Geneva"]
    );
    // The list of authors: every one, by slug, with their role and count.
    let list = site.output("authors/index.html");
    assert_eq!(
        texts(&list, ".author-list li > span > a"),
        [
            "Ann Other",
            "Bo Third",
            "Fixture Desk",
            "Jane Doe",
            "John Roe"
        ]
    );
    assert_eq!(texts(&list, ".author-list .role"), ["Energy analyst"]);
    assert_eq!(
        texts(&list, ".author-list .count-badge"),
        ["1 brief", "1 brief", "2 briefs", "4 briefs", "2 briefs"]
    );
    // Every link of the site resolves, author pages' and the footer's included.
    let found = crawl(&site.out);
    assert_links_ok(&found, 200, 1);
    assert!(
        attrs(&site.output("pages/about/index.html"), "footer a", "href")
            .contains(&"../../authors/index.html".to_string())
    );
}

#[test]
fn author_feeds_carry_their_briefs_and_every_entry_its_authors() {
    let site = bylined();
    site.build_ok(&[]);
    let page = "authors/jane-doe/index.html";
    let html = site.output(page);
    let alternate = attrs(
        &html,
        "link[rel=alternate][type=\"application/atom+xml\"]",
        "href",
    );
    let feed_path = "authors/jane-doe/feed.xml";
    assert!(
        alternate.iter().any(|h| resolve(page, h) == feed_path),
        "no link to {feed_path}: {alternate:?}"
    );
    let xml = site.output(feed_path);
    let feed = parse_feed(feed_path, &xml);
    assert_eq!(feed.title, "Jane Doe — Fixture Desk");
    let titles: Vec<&str> = feed.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, JANES);
    let authors = entry_authors(&xml);
    assert_eq!(authors[2], ["John Roe", "Jane Doe"]);
    for (i, a) in authors.iter().enumerate().filter(|(i, _)| *i != 2) {
        assert_eq!(a, &["Jane Doe"], "entry {i}");
    }
    // The feed's own author is Jane, with her page.
    let doc = roxmltree::Document::parse(&xml).expect("the feed parses");
    let own = doc
        .root_element()
        .children()
        .find(|c| c.has_tag_name((ATOM, "author")))
        .expect("a feed author");
    let uri = own
        .children()
        .find(|c| c.has_tag_name((ATOM, "uri")))
        .and_then(|u| u.text())
        .expect("the author's uri");
    assert_eq!(resolve(feed_path, uri), page);
    // The site's feed names each entry's byline, the default included.
    let site_feed = site.output("feed.xml");
    let titles: Vec<String> = parse_feed("feed.xml", &site_feed)
        .entries
        .into_iter()
        .map(|e| e.title)
        .collect();
    let bylines = entry_authors(&site_feed);
    let by = |title: &str| &bylines[titles.iter().position(|t| t == title).expect(title)];
    assert_eq!(by("Pipeline repairs disputed"), &["Fixture Desk"]);
    assert_eq!(
        by("Border incident denied"),
        &["John Roe", "Ann Other", "Bo Third"]
    );
}

#[test]
fn profile_fields_are_shown_escaped() {
    let site = bylined();
    site.write(
        "content/authors/ann-other.md",
        "---
name: Ann \"Annie\" <Other> & Sons
role: <i>Senior</i> analyst
bio: Fish & chips <script>alert(1)</script>
links:
  - name: <em>Home</em>
    url: https://ann.example.org/?a=1&b=2
---
",
    );
    site.build_ok(&[]);
    let page = site.output("authors/ann-other/index.html");
    assert_eq!(texts(&page, "h1"), ["Ann \"Annie\" <Other> & Sons"]);
    assert_eq!(
        texts(&page, ".page-header .role"),
        ["<i>Senior</i> analyst"]
    );
    assert_eq!(
        texts(&page, ".page-header .lede"),
        ["Fish & chips <script>alert(1)</script>"]
    );
    assert_eq!(texts(&page, ".author-links a"), ["<em>Home</em>"]);
    assert_eq!(
        attrs(&page, ".author-links a", "href"),
        ["https://ann.example.org/?a=1&b=2"]
    );
    for raw in ["<script>", "<Other>", "<i>", "<em>"] {
        assert!(!page.contains(raw), "{raw} unescaped");
    }
    assert!(
        attrs(&page, "meta[name=description]", "content")[0].contains("<script>alert"),
        "the bio is the description"
    );
    // The profile's name is the byline's.
    let border = site.output("briefs/border-incident/index.html");
    assert_eq!(
        texts(&border, ".brief-header .byline"),
        ["By John Roe, Ann \"Annie\" <Other> & Sons and Bo Third"]
    );
    assert!(!border.contains("<Other>"));
}

#[test]
fn an_unknown_profile_field_is_an_error_with_a_suggestion() {
    let site = bylined();
    site.write(JANE, "---\nname: Jane Doe\nbiografy: Covers gas.\n---\n");
    let run = site.build(&[]);
    run.failure()
        .stderr_has("unknown field `biografy`")
        .stderr_has("--> content/authors/jane-doe.md:3:1")
        .stderr_has("did you mean `bio`? Known fields: name, title, role, bio, links");
    // TOML too, and a name that is missing.
    site.write(JANE, "+++\nrol = \"Analyst\"\n+++\n");
    site.build(&[])
        .failure()
        .stderr_has("--> content/authors/jane-doe.md:2:1")
        .stderr_has("did you mean `role`?");
    site.write(JANE, "---\nrole: Analyst\n---\n");
    site.build(&[])
        .failure()
        .stderr_has("required field `name` is missing")
        .stderr_has("content/authors/jane-doe.md:2");
    // A link that is not a web address.
    site.write(
        JANE,
        "---\nname: Jane Doe\nlinks: [{name: X, url: \"javascript:alert(1)\"}]\n---\n",
    );
    site.build(&[])
        .failure()
        .stderr_has("content/authors/jane-doe.md:3");
}

#[test]
fn json_ld_author_is_a_person_with_the_author_page() {
    let site = bylined();
    site.build_ok(&[]);
    let page = "briefs/ceasefire-talks-open/index.html";
    let ld = json_ld(&site.output(page));
    let authors = ld["author"].as_array().expect("a list of authors");
    assert_eq!(authors.len(), 2);
    for (author, (name, slug)) in authors
        .iter()
        .zip([("John Roe", "john-roe"), ("Jane Doe", "jane-doe")])
    {
        assert_eq!(author["@type"], "Person");
        assert_eq!(author["name"], name);
        // Without a base URL, relative to the brief's page.
        let url = author["url"].as_str().expect("a url");
        assert_eq!(resolve(page, url), format!("authors/{slug}/index.html"));
        assert!(site.out.join(resolve(page, url)).is_file());
    }
    // With one, absolute.
    site.build_ok(&["--base-url", "https://example.org/desk"]);
    let ld = json_ld(&site.output("briefs/talks-resume/index.html"));
    assert_eq!(
        ld["author"],
        serde_json::json!([{
            "@type": "Person",
            "name": "Jane Doe",
            "url": "https://example.org/desk/authors/jane-doe/"
        }])
    );
}

#[test]
fn the_site_author_signs_briefs_that_list_none() {
    let site = bylined();
    site.build_ok(&[]);
    let page = "briefs/pipeline-repairs/index.html";
    let html = site.output(page);
    assert_eq!(texts(&html, ".brief-header .byline"), ["By Fixture Desk"]);
    let ld = json_ld(&html);
    assert_eq!(ld["author"]["@type"], "Organization");
    assert_eq!(ld["author"]["name"], "Fixture Desk");
    let url = ld["author"]["url"].as_str().expect("the desk's page");
    assert_eq!(resolve(page, url), "authors/fixture-desk/index.html");
    let desk = site.output("authors/fixture-desk/index.html");
    assert_eq!(
        texts(&desk, ".card-title a"),
        ["Pipeline repairs disputed", "Talks move to Istanbul"]
    );
    // Without a site author, a brief that lists none has no byline, and the publisher is its
    // JSON-LD author, as before bylines.
    site.edit("site.toml", "author = \"Fixture Desk\"\n", "");
    site.build_ok(&[]);
    let html = site.output(page);
    assert!(
        texts(&html, ".byline").is_empty(),
        "a byline without author"
    );
    let ld = json_ld(&html);
    assert_eq!(ld["author"], ld["publisher"]);
    assert!(!site.out.join("authors/fixture-desk").exists());
    assert!(site.out.join("authors/jane-doe/index.html").is_file());
}

#[test]
fn a_profile_without_briefs_gets_a_page_and_a_warning() {
    let site = bylined();
    site.write(
        "content/authors/jane-roe.md",
        "---\nname: Jane Roe\nrole: Intern\n---\n",
    );
    let run = site.build_ok(&[]);
    run.stderr_has("warning: no published brief is by the author \"Jane Roe\"")
        .stderr_has("content/authors/jane-roe.md")
        .stderr_has("did you mean content/authors/jane-doe.md?");
    let page = site.output("authors/jane-roe/index.html");
    assert!(page.contains("No briefs yet."));
    assert!(site.out.join("authors/jane-roe/feed.xml").is_file());
    let list = site.output("authors/index.html");
    assert!(texts(&list, ".author-list a").contains(&"Jane Roe".to_string()));
    // A profile's Markdown links resolve like any body's.
    let jane = site.output("authors/jane-doe/index.html");
    let href = attrs(&jane, ".content a", "href");
    assert_eq!(
        resolve("authors/jane-doe/index.html", &href[0]),
        "briefs/talks-resume/index.html"
    );
}

#[test]
fn a_profile_edit_under_a_session_rewrites_only_that_authors_pages() {
    let site = bylined();
    let mut session = Session::new(BuildOptions {
        root: site.root.clone(),
        ..Default::default()
    });
    let sink = DirSink::new(&site.out).expect("an output folder");
    session.build(&[], &sink).expect("the first build");
    // The body shows on her first page only.
    site.edit(JANE, "joined the desk in 2024", "joined the desk in 2023");
    let update = session
        .build(&[site.path(JANE)], &sink)
        .expect("the rebuild");
    assert_eq!(update.written, ["authors/jane-doe/index.html"]);
    assert!(
        site.output("authors/jane-doe/index.html")
            .contains("in 2023")
    );
    // The bio on every page of hers.
    site.edit(JANE, "gas transit", "gas transit, oil");
    let update = session
        .build(&[site.path(JANE)], &sink)
        .expect("the rebuild");
    assert_eq!(
        update.written,
        [
            "authors/jane-doe/index.html",
            "authors/jane-doe/page/2/index.html"
        ]
    );
    // A new name reaches every byline of hers.
    site.edit(JANE, "name: Jane Doe", "name: Jane Q. Doe");
    let update = session
        .build(&[site.path(JANE)], &sink)
        .expect("the rebuild");
    for page in [
        "authors/jane-doe/page/2/index.html",
        "authors/index.html",
        "briefs/gas-transit-ends/index.html",
        "index.html",
    ] {
        assert!(
            update.written.iter().any(|w| w == page),
            "{page} not written"
        );
    }
    assert_eq!(
        texts(&site.output("briefs/talks-resume/index.html"), ".byline"),
        ["By Jane Q. Doe"]
    );
}
