//! Languages and their scripts: `language` checked as a BCP 47 tag, right-to-left sites, and word
//! counts and reading time in scripts written without spaces.
//!
//! The Arabic fixture (`tests/fixtures/arabic`) must build without a warning and mark every page
//! `lang="ar" dir="rtl"`; in Chromium, at 1280 and 390 px, its pages must not scroll sideways,
//! must pass axe-core in both colour schemes, and must be laid out from the right (the English
//! fixture, measured the same way, from the left, so the measure can fail). The tests never
//! read the interface's words, which are being translated.

use std::path::PathBuf;

use tempfile::TempDir;

use crate::browser::{AXE, Chrome, DESKTOP, SUB, Server, open, run_axe, string};
use crate::util::{Run, Site, briefing, files_ending, fixture, npm_tool};

/// The Arabic fixture's pages of each kind the browser test looks at.
const AR_PAGES: [&str; 4] = [
    "index.html",
    "briefs/riyadh-talks/index.html",
    "topics/diplomacy/index.html",
    "search/index.html",
];
/// The English fixture's pages of the same kinds.
const EN_PAGES: [&str; 4] = [
    "index.html",
    "briefs/talks-resume/index.html",
    "topics/diplomacy/index.html",
    "search/index.html",
];
const PHONE_390: (u32, u32) = (390, 844);

/// A fixture site built into a temporary folder.
struct Built {
    _tmp: TempDir,
    out: PathBuf,
    run: Run,
}

fn build_fixture(name: &str) -> Built {
    let tmp = TempDir::new().expect("a temporary folder");
    let out = tmp.path().join("public");
    let run = Run::of(
        briefing()
            .args(["build", "--root"])
            .arg(fixture(name))
            .arg("--output")
            .arg(&out),
    );
    run.success();
    Built {
        _tmp: tmp,
        out,
        run,
    }
}

// ---- Right to left ----------------------------------------------------------------------------

#[test]
fn arabic_site_builds_cleanly_and_every_page_runs_right_to_left() {
    let site = build_fixture("arabic");
    assert!(
        !site.run.stderr.contains("warning"),
        "the Arabic fixture builds with warnings:\n{}",
        site.run
    );
    let pages = files_ending(&site.out, ".html");
    assert!(pages.len() > 20, "too few pages: {pages:?}");
    for page in &pages {
        let html = std::fs::read_to_string(site.out.join(page)).expect("read a page");
        assert!(
            html.contains("<html lang=\"ar\" dir=\"rtl\">"),
            "{page} is not marked Arabic, right to left: {}",
            html.lines().nth(1).unwrap_or_default()
        );
    }
    // Redirect pages (an alias of a profile) are among them.
    assert!(pages.iter().any(|p| p == "people/sergey-lavrov/index.html"));
    let english = build_fixture("basic");
    let index = std::fs::read_to_string(english.out.join("index.html")).expect("read index");
    assert!(
        index.contains("<html lang=\"en\">"),
        "left to right is the default, unsaid"
    );
}

/// Which edge of the page the text of the first element matching a selector hugs: `left` or
/// `right`. It measures the text (the last line of it, the one least likely to fill the
/// width), not the element, whose box may span the page either way.
const SIDE_JS: &str = "(sel) => { const range = document.createRange(); \
  range.selectNodeContents(document.querySelector(sel)); \
  const lines = range.getClientRects(); const r = lines[lines.length - 1]; \
  const w = document.documentElement.clientWidth; \
  return r.left < w - r.right ? 'left' : 'right'; }";

#[test]
fn arabic_layout_mirrors_fits_phones_and_passes_axe() {
    let arabic = build_fixture("arabic");
    let english = build_fixture("basic");
    let ar_server = Server::start(&arabic.out);
    let en_server = Server::start(&english.out);
    let chrome = Chrome::launch();
    let axe_source = std::fs::read_to_string(npm_tool(AXE)).expect("read axe.min.js");
    let mut problems = Vec::new();
    for (size, mobile) in [(DESKTOP, false), (PHONE_390, true)] {
        let tab = chrome.tab(size, mobile);
        let width = size.0;
        for (server, pages, side) in [
            (&ar_server, AR_PAGES, "right"),
            (&en_server, EN_PAGES, "left"),
        ] {
            for page in pages {
                open(&tab, &format!("{}{SUB}{page}", server.origin));
                let overflow = string(
                    &tab,
                    "String(document.documentElement.scrollWidth - document.documentElement.clientWidth)",
                );
                if overflow != "0" {
                    problems.push(format!(
                        "{page} at {width} px scrolls sideways by {overflow} px"
                    ));
                }
                for what in [".site-title a", ".site-nav li:first-child a", "main h1"] {
                    let found = string(&tab, &format!("({SIDE_JS})({what:?})"));
                    if found != side {
                        problems.push(format!(
                            "{page} at {width} px: `{what}` sits at the {found}, not the {side}"
                        ));
                    }
                }
            }
        }
        for dark in [false, true] {
            chrome.color_scheme(&tab, dark);
            for page in AR_PAGES {
                open(&tab, &format!("{}{SUB}{page}", ar_server.origin));
                let scheme = if dark { "dark" } else { "light" };
                problems.extend(
                    run_axe(&tab, &axe_source)
                        .into_iter()
                        .map(|v| format!("axe: {page} at {width} px, {scheme}: {v}")),
                );
            }
        }
        chrome.color_scheme(&tab, false);
        tab.problems.assert_none("the Arabic and English fixtures");
    }
    assert!(
        problems.is_empty(),
        "the right-to-left layout has problems:\n{}",
        problems.join("\n")
    );
}

// ---- `language` in site.toml --------------------------------------------------------------

fn with_language(value: &str) -> Site {
    let site = Site::copy_of("basic");
    site.edit(
        "site.toml",
        "language = \"en\"",
        &format!("language = {value:?}"),
    );
    site
}

#[test]
fn a_language_name_is_refused_with_the_tag_it_means() {
    for (written, meant) in [
        ("english", "en"),
        ("Russian", "ru"),
        ("русский", "ru"),
        ("farsi", "fa"),
        ("arabic", "ar"),
        ("deutsch", "de"),
        ("en_US", "en-US"),
    ] {
        let run = with_language(written).check(&[]);
        run.failure()
            .stderr_has(&format!(
                "`language` {written:?} is not a BCP 47 language tag"
            ))
            .stderr_has("--> site.toml:4:12")
            .stderr_has(&format!("did you mean `language = \"{meant}\"`?"));
    }
    with_language("qwertyuiop")
        .check(&[])
        .failure()
        .stderr_has("use a BCP 47 tag such as");
}

#[test]
fn a_tag_is_taken_in_canonical_case_and_an_unknown_language_is_warned_about() {
    let site = with_language("EN-us");
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("`language`"), "{run}");
    assert!(site.output("index.html").contains("<html lang=\"en-US\">"));

    let site = with_language("xx");
    site.build_ok(&[])
        .stderr_has("warning: `language` \"xx\": \"xx\" is not a language ISO 639 knows")
        .stderr_has("--> site.toml:4:12");
    assert!(site.output("index.html").contains("<html lang=\"xx\">"));

    let site = with_language("he");
    site.build_ok(&[]);
    assert!(
        site.output("index.html")
            .contains("<html lang=\"he\" dir=\"rtl\">")
    );
}

// ---- Words and reading time -------------------------------------------------------------------

/// The basic fixture with a brief template that shows only the figures, and briefs of the same
/// sentence in English, Chinese and Japanese, `n` times over in paragraphs of ten.
fn briefs_in_three_scripts(n: usize) -> Site {
    let site = Site::copy_of("basic");
    site.write(
        "templates/brief.html",
        "<p id=\"figures\">{{ brief.reading_time }} {{ brief.words }}</p>\n",
    );
    for (slug, sentence) in [
        ("english", "The two sides held talks in Riyadh. "),
        ("chinese", "双方在利雅得举行了会谈。"),
        ("japanese", "両国はリヤドで会談を行った。"),
    ] {
        let body: Vec<String> = (0..n / 10).map(|_| sentence.repeat(10)).collect();
        site.write(
            &format!("content/briefs/2025-04-01-{slug}.md"),
            format!(
                "---\ntitle: {slug}\ndate: 2025-04-01\ntopics: [diplomacy]\nsources:\n  - name: Wire\n---\n{}\n",
                body.join("\n\n")
            ),
        );
    }
    site
}

/// Reading time and words of the brief `slug`.
fn figures(site: &Site, slug: &str) -> (usize, usize) {
    let html = site.output(&format!("briefs/{slug}/index.html"));
    let text = html
        .split("<p id=\"figures\">")
        .nth(1)
        .and_then(|t| t.split("</p>").next())
        .unwrap_or_else(|| panic!("no figures in {html}"));
    let mut numbers = text.split(' ').map(|n| n.parse().expect("a number"));
    (numbers.next().unwrap(), numbers.next().unwrap())
}

#[test]
fn chinese_and_japanese_are_read_by_characters_english_by_words() {
    let site = briefs_in_three_scripts(100);
    site.build_ok(&[]);
    // 700 words at 200 a minute.
    assert_eq!(figures(&site, "english"), (4, 700));
    // 1,100 ideographs at 500 a minute; the words are the dictionary's (about six a sentence),
    // not the ten paragraphs that splitting at spaces finds.
    let (minutes, words) = figures(&site, "chinese");
    assert_eq!(minutes, 3);
    assert!((400..=800).contains(&words), "{words} words");
    // 1,300 kanji and kana.
    let (minutes, words) = figures(&site, "japanese");
    assert_eq!(minutes, 3);
    assert!((400..=900).contains(&words), "{words} words");
}
