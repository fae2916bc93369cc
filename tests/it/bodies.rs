//! What a body's HTML becomes: raw HTML links resolved and checked like Markdown links,
//! page-bundle assets, unique ids, footnotes, alt text, and the lint of body HTML.

use std::collections::HashSet;

use crate::util::*;

const DIR: &str = "content/briefs/2025/03";
const BRIEF: &str = "content/briefs/2025/03/2025-03-20-bodies.md";

/// The basic fixture plus one brief with `body`.
fn site_with(body: &str) -> Site {
    let site = Site::copy_of("basic");
    site.write(
        BRIEF,
        format!(
            "---\ntitle: Bodies\ndate: 2025-03-20\ntopics: [energy]\nsources:\n  - name: Wire\n---\n{body}"
        ),
    );
    site
}

/// The line of `needle` in the brief file (1-based), to check diagnostics point at it.
fn line_of(site: &Site, needle: &str) -> usize {
    let text = site.read(BRIEF);
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in brief"));
    text[..at].matches('\n').count() + 1
}

#[test]
fn raw_html_links_resolve_like_markdown_links_and_bundle_assets_are_copied() {
    let site = site_with(concat!(
        "Intro.\n\n",
        "<p><a href=\"../01/2025-01-10-gas-transit-ends.md#main\">gas</a>\n",
        "<img src=\"/images/map.svg\" alt=\"Map\" width=\"300\" height=\"200\"></p>\n\n",
        "<figure><img src=\"chart.png\" srcset=\"chart.png 1x, img/chart@2x.png 2x\" alt=\"Chart\"></figure>\n\n",
        "![Detail](img/chart@2x.png) and [the data](data.csv).\n",
    ));
    site.write(&format!("{DIR}/chart.png"), b"png");
    site.write(&format!("{DIR}/img/chart@2x.png"), b"png2");
    site.write(&format!("{DIR}/data.csv"), "a,b\n");
    // An asset no body links to is not copied.
    site.write(&format!("{DIR}/unused.png"), b"x");
    site.build_ok(&[]);

    let page = site.output("briefs/bodies/index.html");
    assert_eq!(
        attrs(&page, ".content a[href*=gas]", "href"),
        ["../../briefs/gas-transit-ends/index.html#main"]
    );
    assert_eq!(
        attrs(&page, ".content p img", "src"),
        ["../../images/map.svg", "img/chart@2x.png"]
    );
    assert_eq!(attrs(&page, "figure img", "src"), ["chart.png"]);
    assert_eq!(
        attrs(&page, "figure img", "srcset"),
        ["chart.png 1x, img/chart@2x.png 2x"]
    );
    assert_eq!(
        std::fs::read(site.out.join("briefs/bodies/img/chart@2x.png")).unwrap(),
        b"png2"
    );
    assert!(site.out.join("briefs/bodies/chart.png").is_file());
    assert!(site.out.join("briefs/bodies/data.csv").is_file());
    assert!(!site.out.join("briefs/bodies/unused.png").exists());
    // Every link of the site resolves, the copied assets included.
    assert_links_ok(&crawl(&site.out), 50, 1);
}

#[test]
fn every_broken_link_in_raw_html_or_markdown_is_an_error_at_its_line() {
    let site = site_with(concat!(
        "Intro.\n\n",
        "<img src=\"x\" alt=\"\">\n\n",
        "<p><img src=\"/images/also-missing.png\" alt=\"m\"></p>\n\n",
        "<p><a href=\"other-brief.md\">o</a></p>\n\n",
        "A [picture](pics/missing.jpg) and [a near miss](../01/2025-01-10-gas-transit-end.md).\n\n",
        "<p><img src=\"../../shared.png\" alt=\"s\"></p>\n",
    ));
    site.write("content/briefs/shared.png", b"x");
    let run = site.check(&[]);
    run.failure();
    let out = run.diagnostics();
    let brief = "content/briefs/2025/03/2025-03-20-bodies.md";
    for (needle, message) in [
        (
            "src=\"x\"",
            "content/briefs/2025/03/x, which does not exist",
        ),
        (
            "src=\"/images/also-missing.png\"",
            "link to /images/also-missing.png",
        ),
        (
            "href=\"other-brief.md\"",
            "content/briefs/2025/03/other-brief.md, which does not exist",
        ),
        (
            "[picture]",
            "content/briefs/2025/03/pics/missing.jpg, which does not exist",
        ),
        (
            "[a near miss]",
            "content/briefs/2025/01/2025-01-10-gas-transit-end.md",
        ),
        ("src=\"../../shared.png\"", "outside this file's folder"),
    ] {
        let line = line_of(&site, needle);
        let at = format!("{brief}:{line}:");
        assert!(
            out.lines()
                .any(|l| l.contains(&at) || (l.contains(message) && out.contains(&at))),
            "no error at {at} for {needle}:\n{out}"
        );
        assert!(out.contains(message), "{message:?} missing:\n{out}");
    }
    assert!(
        out.contains("did you mean `../01/2025-01-10-gas-transit-ends.md`?"),
        "{out}"
    );
    run.stderr_has("check failed: 6 errors");
}

#[test]
fn ids_are_unique_per_page_and_footnotes_link_back() {
    let site = site_with(concat!(
        "A claim.[^1] Another claim.[^src] The first again.[^1]\n\n",
        "## 1\n\n## Main\n\n## Brief toc\n\n### Main\n\n",
        "[^1]: The first note.\n",
        "[^src]: The second note.\n",
    ));
    site.build_ok(&[]);
    let page = site.output("briefs/bodies/index.html");
    let doc = scraper::Html::parse_document(&page);
    let all = scraper::Selector::parse("[id]").unwrap();
    let mut seen = HashSet::new();
    for el in doc.select(&all) {
        let id = el.value().attr("id").unwrap();
        assert!(seen.insert(id.to_string()), "id {id:?} twice in:\n{page}");
    }
    assert_eq!(
        attrs(&page, ".content h2, .content h3", "id"),
        ["1", "main-1", "brief-toc-1", "main-2"]
    );
    // The template's own ids are where they were.
    assert_eq!(attrs(&page, "main", "id"), ["main"]);
    // References, numbered in order, and back-links to each reference.
    assert_eq!(
        attrs(&page, ".footnote-ref a", "href"),
        ["#fn:1", "#fn:2", "#fn:1"]
    );
    assert_eq!(
        attrs(&page, ".footnote-ref a", "id"),
        ["fnref:1", "fnref:2", "fnref:1:2"]
    );
    assert_eq!(attrs(&page, ".footnotes li", "id"), ["fn:1", "fn:2"]);
    assert_eq!(
        attrs(&page, ".footnotes .footnote-backref", "href"),
        ["#fnref:1", "#fnref:1:2", "#fnref:2"]
    );
    assert_eq!(
        texts(&page, ".footnotes li p")
            .concat()
            .matches("note.")
            .count(),
        2
    );
    let crawl = crawl(&site.out);
    assert_links_ok(&crawl, 50, 6);
}

#[test]
fn explicit_ids_that_clash_are_errors_naming_both_lines() {
    let site = site_with(concat!(
        "Intro.\n\n",
        "## Key dates {#dates}\n\n",
        "<div id=\"dates\">again</div>\n\n",
        "<div id=\"main\">the template's</div>\n",
    ));
    let run = site.check(&[]);
    run.failure();
    let out = run.diagnostics();
    let first = line_of(&site, "## Key dates");
    let second = line_of(&site, "<div id=\"dates\"");
    assert!(
        out.contains(&format!(
            "the id `dates` is used twice in this body (first on line {first})"
        )),
        "{out}"
    );
    assert!(out.contains(&format!("{BRIEF}:{second}:")), "{out}");
    assert!(
        out.contains("the id `main` is already used by the page template"),
        "{out}"
    );
}

#[test]
fn images_without_alt_text_are_errors_and_decorative_ones_pass() {
    let site = site_with(concat!(
        "Intro.\n\n",
        "<p><img src=\"/images/map.svg\"></p>\n\n",
        "![](/images/map.svg)\n\n",
        "<p><img src=\"/images/map.svg\" alt=\"\"></p>\n",
    ));
    let run = site.check(&[]);
    run.failure();
    let out = run.diagnostics();
    assert_eq!(
        out.matches("an image without alternative text").count(),
        2,
        "{out}"
    );
    for needle in [
        "<p><img src=\"/images/map.svg\"></p>",
        "![](/images/map.svg)",
    ] {
        let at = format!("{BRIEF}:{}:", line_of(&site, needle));
        assert!(out.contains(&at), "{at} missing:\n{out}");
    }
    run.stderr_has("check failed: 2 errors");
}

#[test]
fn body_html_the_checker_would_reject_gets_warnings_with_a_fix() {
    let site = site_with(concat!(
        "Intro.\n\n",
        "# A second title\n\n",
        "## Section\n\n",
        "##### Deep\n\n",
        "<p><img src=\"/images/map.svg\" alt=\"m\" width=\"300px\"></p>\n\n",
        "<span>\n\nA paragraph in a span.\n\n</span>\n",
    ));
    let run = site.check(&[]);
    run.success();
    let out = run.diagnostics();
    for (needle, message, help) in [
        (
            "# A second title",
            "a level-1 heading in the body",
            "start the body's sections at level 2",
        ),
        (
            "##### Deep",
            "the heading skips from level 2 to level 5",
            "use level 3 here",
        ),
        (
            "width=\"300px\"",
            "`width=\"300px\"` on <img> is not a whole number",
            "write width=\"300\"",
        ),
        (
            "A paragraph in a span",
            "inside <span> (opened on line",
            "close the <span> before the block",
        ),
    ] {
        let at = format!("{BRIEF}:{}:", line_of(&site, needle));
        assert!(out.contains(&at), "{at} missing:\n{out}");
        assert!(out.contains(message), "{message:?} missing:\n{out}");
        assert!(out.contains(help), "{help:?} missing:\n{out}");
    }
    run.stderr_has(" warnings)");
}

/// The smallest PNG header an image reader accepts: signature and `IHDR` with the size.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    bytes.extend(13u32.to_be_bytes());
    bytes.extend(b"IHDR");
    bytes.extend(width.to_be_bytes());
    bytes.extend(height.to_be_bytes());
    bytes.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

#[test]
fn images_get_their_width_and_height_from_their_files() {
    let site = site_with(concat!(
        "Intro.\n\n",
        "![A chart](chart.png \"Gas flows\")\n\n",
        "<p><img src=\"/images/map.svg\" alt=\"Map\"></p>\n\n",
        "<p><img src=\"wide.png\" alt=\"Wide\" width=\"640\"/></p>\n\n",
        "![Remote](https://example.org/x.png)\n",
    ));
    site.write(&format!("{DIR}/chart.png"), png(640, 360));
    site.write(&format!("{DIR}/wide.png"), png(1280, 320));
    site.write(
        "static/images/map.svg",
        "<?xml version=\"1.0\"?>\n<!-- a map -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 420 300\"/>\n",
    );
    let run = site.build_ok(&[]);
    let page = site.output("briefs/bodies/index.html");
    assert_eq!(attrs(&page, ".content img", "width"), ["640", "420", "640"]);
    assert_eq!(
        attrs(&page, ".content img", "height"),
        ["360", "300", "320"]
    );
    assert_eq!(attrs(&page, ".content img[title]", "title"), ["Gas flows"]);
    assert_eq!(attrs(&page, ".content img[title]", "alt"), ["A chart"]);
    // A remote image cannot be measured: the author is told, at its line.
    let out = run.diagnostics();
    let at = format!("{BRIEF}:{}:", line_of(&site, "![Remote]"));
    assert!(out.contains(&at), "{at} missing:\n{out}");
    assert!(
        out.contains("the image has no width and height, and it is not a file of the site"),
        "{out}"
    );
    assert_eq!(
        out.matches("image-size").count(),
        0,
        "codes are not printed"
    );
    assert_eq!(out.matches("has no width and height").count(), 1, "{out}");
}

#[test]
fn fragment_links_must_name_an_id_of_their_page() {
    let site = site_with(concat!(
        "A claim.[^1] See [the section](#what-next), [the page](#main), [the note](#fn:1),\n",
        "[gas](../01/2025-01-10-gas-transit-ends.md#main).\n\n",
        "Broken: [here](#what-nxt) and [there](../01/2025-01-10-gas-transit-ends.md#nowhere).\n\n",
        "## What next\n\n",
        "[^1]: A note.\n",
    ));
    let run = site.check(&[]);
    run.failure();
    let out = run.diagnostics();
    let line = line_of(&site, "Broken:");
    assert!(
        out.contains("link to `#what-nxt`, but this page has no heading or element with that id"),
        "{out}"
    );
    assert!(out.contains("did you mean `#what-next`?"), "{out}");
    assert!(
        out.contains("link to `#nowhere`, but content/briefs/2025/01/2025-01-10-gas-transit-ends.md has no heading or element with that id"),
        "{out}"
    );
    assert_eq!(out.matches(&format!("{BRIEF}:{line}:")).count(), 2, "{out}");
    run.stderr_has("check failed: 2 errors");
}
