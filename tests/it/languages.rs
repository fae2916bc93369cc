//! Multilingual sites: one tree per language (`ru/…`), translations beside their originals,
//! the language switcher, `hreflang` both ways, per-language feeds, search indexes and the
//! sitemap, and links between content files that stay in the reader's language.

use std::collections::BTreeSet;

use crate::util::*;

/// The `(hreflang, href)` of every `<link rel="alternate" hreflang>` of a page.
fn hreflangs(html: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("link[rel=alternate][hreflang]").expect("selector");
    doc.select(&sel)
        .map(|e| {
            (
                e.value().attr("hreflang").unwrap_or("").to_string(),
                e.value().attr("href").unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The switcher's links of a page: `(lang, href, current)`.
fn switcher(html: &str) -> Vec<(String, String, bool)> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(".language-switcher a").expect("selector");
    doc.select(&sel)
        .map(|e| {
            (
                e.value().attr("lang").unwrap_or("").to_string(),
                e.value().attr("href").unwrap_or("").to_string(),
                e.value().attr("aria-current").is_some(),
            )
        })
        .collect()
}

fn html_lang(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("html").expect("selector");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("lang"))
        .unwrap_or("")
        .to_string()
}

const BASE: &str = "https://briefing.example.org/";

#[test]
fn the_sample_site_has_a_russian_tree_whose_pages_and_their_originals_link_each_other() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_sample_site(&out);
    let read = |rel: &str| {
        std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    };

    // Three briefs, a topic and the about page are translated: each has a page in `ru/`, in
    // Russian, and its original names it (and itself) as alternates; so does the translation.
    let translated = [
        "briefs/riyadh-talks/index.html",
        "briefs/fsb-expels-british-diplomats/index.html",
        "briefs/kremlin-recovery-stages/index.html",
        "topics/ukraine/index.html",
        "pages/about/index.html",
        "people/dmitry-peskov/index.html",
    ];
    for page in translated {
        let en = read(page);
        let ru = read(&format!("ru/{page}"));
        assert_eq!(html_lang(&en), "en", "{page}");
        assert_eq!(html_lang(&ru), "ru", "ru/{page}");
        let url = page.trim_end_matches("index.html");
        let expected = vec![
            ("en".to_string(), format!("{BASE}{url}")),
            ("ru".to_string(), format!("{BASE}ru/{url}")),
            ("x-default".to_string(), format!("{BASE}{url}")),
        ];
        assert_eq!(hreflangs(&en), expected, "{page}: hreflang of the original");
        assert_eq!(
            hreflangs(&ru),
            expected,
            "ru/{page}: hreflang of the translation"
        );
        // The switcher leads from each to the other, and marks its own language.
        let from_en = switcher(&en);
        assert_eq!(
            from_en,
            vec![
                ("en".into(), resolve_back(page, page), true),
                (
                    "ru".into(),
                    resolve_back(page, &format!("ru/{page}")),
                    false
                ),
            ],
            "{page}"
        );
        for (_, href, _) in &from_en {
            assert!(out.join(resolve(page, href)).is_file(), "{page}: {href}");
        }
        let ru_page = format!("ru/{page}");
        for (_, href, _) in switcher(&ru) {
            assert!(
                out.join(resolve(&ru_page, &href)).is_file(),
                "{ru_page}: {href}"
            );
        }
        assert_eq!(
            switcher(&ru)
                .iter()
                .map(|(l, h, c)| (l.clone(), resolve(&ru_page, h), *c))
                .collect::<Vec<_>>(),
            vec![
                ("en".into(), page.to_string(), false),
                ("ru".into(), ru_page.clone(), true)
            ]
        );
    }
    let ru_riyadh = read("ru/briefs/riyadh-talks/index.html");
    assert!(
        ru_riyadh.contains("Эр-Рияд"),
        "the Russian page carries the translation's text"
    );
    // The Russian tree's interface and dates are Russian; the English tree's stay English.
    let nav = texts(&read("ru/index.html"), ".site-nav a");
    assert!(nav.iter().any(|t| t == "Темы"), "{nav:?}");
    assert!(
        texts(&read("index.html"), ".site-nav a")
            .iter()
            .any(|t| t == "Topics")
    );
    assert_eq!(
        texts(&ru_riyadh, ".meta time").first().map(String::as_str),
        Some("18 февраля 2025\u{202f}г.")
    );
    assert_eq!(
        attrs(&ru_riyadh, ".language-switcher", "aria-label"),
        ["Язык"]
    );
    // Text shown untranslated in the Russian tree is marked as English: a profile without a
    // translation, a topic without one. Its switcher still marks this page as the Russian one.
    let putin = "ru/people/vladimir-putin/index.html";
    assert_eq!(attrs(&read(putin), ".entity-profile", "lang"), ["en"]);
    assert!(
        attrs(
            &read("ru/people/dmitry-peskov/index.html"),
            ".entity-profile",
            "lang"
        )
        .is_empty()
    );
    let iran = "ru/topics/iran/index.html";
    assert_eq!(attrs(&read(iran), "h1", "lang"), ["en"]);
    let current: Vec<String> = switcher(&read(iran))
        .into_iter()
        .filter(|(_, _, current)| *current)
        .map(|(_, href, _)| resolve(iran, &href))
        .collect();
    assert_eq!(current, [iran]);
    // An untranslated brief has no Russian page; its switcher offers the Russian front page,
    // and it claims no alternates.
    let syria = "briefs/syria-coastal-clashes/index.html";
    assert!(!out.join("ru").join(syria).exists());
    let en = read(syria);
    assert!(
        hreflangs(&en).is_empty(),
        "an untranslated page has no hreflang"
    );
    let to_ru = &switcher(&en)[1];
    assert_eq!(resolve(syria, &to_ru.1), "ru/index.html");

    // Each tree has its own feed, of its own briefs only.
    let en_feed = parse_feed("feed.xml", &read("feed.xml"));
    let ru_feed = parse_feed("ru/feed.xml", &read("ru/feed.xml"));
    let ru_titles: Vec<&str> = ru_feed.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(ru_feed.entries.len(), 3, "{ru_titles:?}");
    assert!(
        ru_feed
            .entries
            .iter()
            .all(|e| e.link.starts_with(&format!("{BASE}ru/briefs/"))),
        "{ru_titles:?}"
    );
    assert!(
        ru_titles
            .iter()
            .all(|t| t.chars().any(|c| ('а'..='я').contains(&c))),
        "{ru_titles:?}"
    );
    assert!(
        en_feed.entries.iter().all(|e| !e.link.contains("/ru/")),
        "the English feed has no Russian entries"
    );
    let ru_topic_feed = read("ru/topics/ukraine/feed.xml");
    assert!(ru_topic_feed.contains(&format!("{BASE}ru/briefs/")));

    // Each tree has its own search index, in its language.
    let entry: serde_json::Value =
        serde_json::from_str(&read("ru/pagefind/pagefind-entry.json")).unwrap();
    assert!(entry["languages"].get("ru").is_some(), "{entry}");
    let entry: serde_json::Value =
        serde_json::from_str(&read("pagefind/pagefind-entry.json")).unwrap();
    assert!(entry["languages"].get("en").is_some(), "{entry}");

    // One sitemap at the root lists both trees, and pairs translations both ways.
    let sitemap = read("sitemap.xml");
    let locs: BTreeSet<String> = sitemap_locs(&sitemap).into_iter().collect();
    assert!(locs.contains(&format!("{BASE}ru/briefs/riyadh-talks/")));
    assert!(locs.contains(&format!("{BASE}briefs/riyadh-talks/")));
    assert!(!out.join("ru/sitemap.xml").exists());
    assert!(!out.join("ru/robots.txt").exists());
    assert!(!out.join("ru/_redirects").exists());
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    for loc in [
        format!("{BASE}briefs/riyadh-talks/"),
        format!("{BASE}ru/briefs/riyadh-talks/"),
    ] {
        let url = doc
            .descendants()
            .find(|n| n.has_tag_name("url") && n.children().any(|c| c.text() == Some(&loc)))
            .unwrap_or_else(|| panic!("{loc} in the sitemap"));
        let links: Vec<(&str, &str)> = url
            .children()
            .filter(|c| c.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
            .map(|c| {
                (
                    c.attribute("hreflang").unwrap(),
                    c.attribute("href").unwrap(),
                )
            })
            .collect();
        assert_eq!(
            links,
            vec![
                ("en", format!("{BASE}briefs/riyadh-talks/").as_str()),
                ("ru", format!("{BASE}ru/briefs/riyadh-talks/").as_str()),
            ],
            "{loc}"
        );
    }

    // Content links stay in the reader's language: a Russian brief linking to a translated
    // brief leads to its Russian page, and to an untranslated one to the English page.
    let peskov = "ru/briefs/kremlin-recovery-stages/index.html";
    let hrefs: BTreeSet<String> = attrs(&read(peskov), "main a", "href")
        .iter()
        .filter(|h| h.contains("briefs/") || h.contains("pages/"))
        .map(|h| resolve(peskov, h))
        .collect();
    assert!(
        hrefs.contains("ru/briefs/fsb-expels-british-diplomats/index.html"),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains("briefs/syria-security-council/index.html"),
        "{hrefs:?}"
    );
    assert!(hrefs.contains("pages/methodology/index.html"), "{hrefs:?}");

    // Every link of both trees resolves.
    assert_links_ok(&crawl(&out), 1000, 10);
}

/// The href that leads from `from` to `to` (both output paths), as the switcher writes it.
fn resolve_back(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

fn two_language_site(untranslated: &str) -> Site {
    let site = Site::copy_of("basic");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\nlanguages = [\"en\", \"de\"]\nuntranslated = \"{untranslated}\"\n"),
    );
    site
}

#[test]
fn untranslated_briefs_are_left_out_or_shown_in_their_own_language_as_the_site_says() {
    let omit = two_language_site("omit");
    let briefs = files_ending(&omit.root.join("content/briefs"), ".md");
    let first = &briefs[0];
    let translated = first.replace(".md", ".de.md");
    let text = omit.read(&format!("content/briefs/{first}"));
    let title_line = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_string();
    let german = text.replacen(&title_line, "title: \"Ein übersetzter Bericht\"", 1);
    omit.write(&format!("content/briefs/{translated}"), &german);
    omit.build_ok(&[]);
    let de_briefs: Vec<String> = files_ending(&omit.out.join("de/briefs"), "index.html");
    assert_eq!(de_briefs.len(), 1, "{de_briefs:?}");
    let de_page = omit.output(&format!("de/briefs/{}", de_briefs[0]));
    assert!(de_page.contains("Ein übersetzter Bericht"));
    assert_eq!(html_lang(&de_page), "de");
    assert_links_ok(&crawl(&omit.out), 100, 0);

    let original = two_language_site("original");
    original.write(&format!("content/briefs/{translated}"), &german);
    original.build_ok(&[]);
    let all_en = files_ending(&original.out.join("briefs"), "index.html");
    let all_de = files_ending(&original.out.join("de/briefs"), "index.html");
    assert_eq!(all_en, all_de, "every brief has a page in the German tree");
    // The untranslated ones are marked as English text on a German page, and claim no
    // alternates (they are no translation).
    let untranslated = all_de
        .iter()
        .find(|p| **p != de_briefs[0])
        .expect("an untranslated brief");
    let page = original.output(&format!("de/briefs/{untranslated}"));
    assert_eq!(html_lang(&page), "de");
    assert_eq!(
        attrs(&page, "article.brief", "lang"),
        vec!["en".to_string()]
    );
    // A note in the page's language says so.
    assert_eq!(
        texts(&page, "article.brief > .untranslated-note"),
        [
            "Dieser Text ist nicht übersetzt: Er erscheint in der Sprache, in der er geschrieben wurde."
        ]
    );
    assert_eq!(attrs(&page, ".untranslated-note", "lang"), ["de"]);
    let translated = original.output(&format!("de/briefs/{}", de_briefs[0]));
    assert!(texts(&translated, ".untranslated-note").is_empty());
    assert!(hreflangs(&page).is_empty());
    assert_links_ok(&crawl(&original.out), 100, 0);
}

#[test]
fn languages_and_untranslated_are_checked_in_site_toml() {
    let site = Site::copy_of("basic");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\nlanguages = [\"ru\", \"ru\", 7]\nuntranslated = \"hide\"\n"),
    );
    let run = site.build(&[]);
    run.failure();
    let err = &run.stderr;
    assert!(err.contains("`languages` lists \"ru\" twice"), "{err}");
    assert!(
        err.contains("each of `languages` must be a language tag in quotes, not the number 7"),
        "{err}"
    );
    assert!(
        err.contains("`untranslated` must be \"omit\" or \"original\", not \"hide\""),
        "{err}"
    );
    assert!(err.contains("site.toml:"), "errors are located: {err}");
}

#[test]
fn a_translation_elsewhere_names_its_original_and_language_in_front_matter() {
    let site = two_language_site("omit");
    let original = "content/briefs/2025/03/2025-03-12-talks-resume.md";
    let text = site.read(original);
    let title_line = text.lines().find(|l| l.starts_with("title:")).unwrap();
    let german = text.replacen(
        title_line,
        "title: \"Gespräche gehen weiter\"\nlanguage: de\ntranslation_of: 2025-03-12-talks-resume.md",
        1,
    );
    site.write("content/briefs/2025/03/gespraeche.md", &german);
    site.build_ok(&[]);
    // The translation takes the original's address in the German tree, and the two name each
    // other.
    let en_page = "briefs/talks-resume/index.html";
    let de = site.output(&format!("de/{en_page}"));
    assert!(de.contains("Gespräche gehen weiter"));
    assert!(!site.out.join("briefs/gespraeche").exists());
    let tags: Vec<String> = hreflangs(&site.output(en_page))
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(tags, ["en", "de", "x-default"]);
    assert_eq!(hreflangs(&de).len(), 3);

    // A language the site does not have, and an original that is not there, are errors at
    // their lines.
    site.write(
        "content/briefs/2025/03/gespraeche.md",
        german.replacen("language: de", "language: fr", 1),
    );
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr
            .contains("`language: fr` is not one of the site's languages"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("gespraeche.md:3"), "{}", run.stderr);
    site.write(
        "content/briefs/2025/03/gespraeche.md",
        german.replacen("talks-resume.md", "talks-ended.md", 1),
    );
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr.contains("`translation_of` names content/briefs/2025/03/2025-03-12-talks-ended.md, which is not a file of this kind"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("gespraeche.md:4"), "{}", run.stderr);
}

#[test]
fn serve_rebuilds_a_translation_and_the_pages_that_link_it_and_matches_a_full_build() {
    use briefing::write::DirSink;
    use briefing::{BuildOptions, Session};
    let site = two_language_site("omit");
    let now = Some("2026-01-01T00:00:00Z".parse().unwrap());
    let mut session = Session::new(BuildOptions {
        root: site.root.clone(),
        now,
        ..Default::default()
    });
    let sink = DirSink::new(&site.out).expect("an output folder");
    session.build(&[], &sink).expect("the first build");
    let original = "content/briefs/2025/03/2025-03-12-talks-resume.md";
    let translation = "content/briefs/2025/03/2025-03-12-talks-resume.de.md";
    let text = site.read(original);
    let title_line = text.lines().find(|l| l.starts_with("title:")).unwrap();
    site.write(
        translation,
        text.replacen(title_line, "title: \"Gespräche gehen weiter\"", 1),
    );
    // A new translation: its page in the German tree, and the original's page, which now
    // names it.
    let update = session
        .build(&[site.path(translation)], &sink)
        .expect("the rebuild");
    for page in [
        "de/briefs/talks-resume/index.html",
        "briefs/talks-resume/index.html",
        "de/index.html",
        "de/feed.xml",
    ] {
        assert!(
            update.written.iter().any(|w| w == page),
            "{page} not written: {:?}",
            update.written
        );
    }
    assert_eq!(
        hreflangs(&site.output("briefs/talks-resume/index.html")).len(),
        3
    );
    // An edit to the translation's text rewrites German pages only.
    site.edit(
        translation,
        "Gespräche gehen weiter",
        "Die Gespräche gehen weiter",
    );
    let update = session
        .build(&[site.path(translation)], &sink)
        .expect("the rebuild");
    assert!(
        update.written.iter().all(|w| w.starts_with("de/")),
        "{:?}",
        update.written
    );
    assert!(
        site.output("de/briefs/talks-resume/index.html")
            .contains("Die Gespräche gehen weiter")
    );
    session.settle_search();
    // The folder `serve` keeps is what a full build makes.
    let full = site.tmp.path().join("full");
    let mut fresh = Session::new(BuildOptions {
        root: site.root.clone(),
        now,
        ..Default::default()
    });
    let full_sink = DirSink::new(&full).expect("an output folder");
    fresh.build(&[], &full_sink).expect("a full build");
    fresh.settle_search();
    assert_same_tree(&read_tree(&site.out), &read_tree(&full));
}

#[test]
fn a_draft_translation_leaves_its_published_original_standing() {
    let site = two_language_site("omit");
    let translate = |name: &str, title: &str, extra_front: &str, extra_body: &str| {
        let text: String = site
            .read(&format!("content/briefs/2025/{name}.md"))
            .lines()
            .filter(|l| !l.starts_with("draft:"))
            .map(|l| format!("{l}\n"))
            .collect();
        let title_line = text.lines().find(|l| l.starts_with("title:")).unwrap();
        let text = text.replacen(title_line, &format!("title: \"{title}\"{extra_front}"), 1);
        site.write(
            &format!("content/briefs/2025/{name}.de.md"),
            format!("{text}\n{extra_body}\n"),
        );
    };
    translate(
        "03/2025-03-12-talks-resume",
        "Gespräche gehen weiter",
        "\ndraft: true",
        "",
    );
    translate(
        "02/2025-02-03-summit-date-set",
        "Gipfeltermin steht",
        "",
        "Siehe [die Gespräche](../03/2025-03-12-talks-resume.md).",
    );
    site.build_ok(&[]);
    // Without `--drafts` the German tree has no page of the talks: the link leads to the
    // English one, which stands.
    let page = "de/briefs/summit-date-set/index.html";
    let link = |site: &Site| {
        let href = attrs(&site.output(page), "main a", "href")
            .into_iter()
            .find(|h| h.contains("talks-resume"))
            .expect("the link");
        resolve(page, &href)
    };
    assert_eq!(link(&site), "briefs/talks-resume/index.html");
    assert!(!site.out.join("de/briefs/talks-resume").exists());
    assert!(site.out.join("briefs/talks-resume/index.html").is_file());
    assert_links_ok(&crawl(&site.out), 100, 0);
    // With `--drafts`, the draft is built and the link leads to it.
    site.build_ok(&["--drafts"]);
    assert_eq!(link(&site), "de/briefs/talks-resume/index.html");
}
