//! The interface in the site's language: translated strings, plural forms chosen by CLDR's
//! rules, dates in the language's words while machine-readable dates stay ISO 8601, a site's
//! own messages in `i18n/<lang>.toml`, and located errors in them.
//!
//! Each test writes a small site of its own: one topic per count to check, holding that many
//! briefs, the first of them dated 14 March 2025.

use std::path::{Path, PathBuf};

use briefing::BuildOptions;
use briefing::session::Session;
use briefing::write::DirSink;

use crate::util::{Run, attrs, briefing, texts};

/// A generated site in a temp folder.
struct Lang {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
}

impl Lang {
    /// A site in `language` with a topic `t<n>` of `n` briefs for each count.
    fn new(language: &str, counts: &[usize]) -> Lang {
        let tmp = tempfile::tempdir().expect("a temp folder");
        let root = tmp.path().join("site");
        let out = tmp.path().join("out");
        let site = Lang {
            _tmp: tmp,
            root,
            out,
        };
        site.write(
            "site.toml",
            &format!(
                "title = \"Desk & Co\"\ndescription = \"Test desk.\"\nlanguage = \"{language}\"\nauthor = \"Desk & Co\"\nbase_url = \"https://desk.example.org/\"\n"
            ),
        );
        for &n in counts {
            site.write(
                &format!("content/topics/t{n}.md"),
                &format!("+++\ntitle = \"Topic {n}\"\n+++\n"),
            );
            for i in 0..n {
                // The first brief of every topic on 14 March 2025, the others a day earlier each.
                let day = jiff::civil::date(2025, 3, 14) - jiff::Span::new().days(i as i64);
                site.write(
                    &format!("content/briefs/{day}-t{n}-b{i}.md"),
                    &format!(
                        "---\ntitle: Brief {i} of <{n}>\ndate: {day}\ntopics: [t{n}]\nsummary: A summary.\nstatus: confirmed\n---\nText.\n"
                    ),
                );
            }
        }
        site
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create folder");
        std::fs::write(path, text).expect("write");
    }

    fn build(&self) -> Run {
        Run::of(
            briefing()
                .arg("build")
                .arg("--root")
                .arg(&self.root)
                .arg("--output")
                .arg(&self.out)
                .args(["--now", "2026-01-01"]),
        )
    }

    fn output(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("output {rel}: {e}"))
    }

    /// The count line of topic `t<n>`'s page: "5 материалов · Хроника · Лента Atom".
    fn topic_count(&self, n: usize) -> String {
        let html = self.output(&format!("topics/t{n}/index.html"));
        let meta = texts(&html, ".page-header .meta");
        meta[0].split(" · ").next().unwrap_or("").to_string()
    }

    /// The brief dated 14 March 2025 of topic `t<n>`.
    fn march_14(&self, n: usize) -> String {
        self.output(&format!("briefs/t{n}-b0/index.html"))
    }
}

#[test]
fn russian_interface_counts_in_three_forms() {
    let site = Lang::new("ru", &[1, 2, 5, 21]);
    site.build().success();
    let counts: Vec<String> = [1, 2, 5, 21].iter().map(|&n| site.topic_count(n)).collect();
    assert_eq!(
        counts,
        ["1 материал", "2 материала", "5 материалов", "21 материал"]
    );
    let index = site.output("index.html");
    assert_eq!(texts(&index, "h1.page-title"), ["Последние материалы"]);
    assert!(texts(&index, ".site-nav a").contains(&"Темы".to_string()));
    assert_eq!(attrs(&index, "html", "lang"), ["ru"]);
    // The count badges' hidden words agree with their numbers.
    let topics = site.output("topics/index.html");
    let badges = texts(&topics, ".count-badge");
    assert!(badges.contains(&"5 материалов".to_string()), "{badges:?}");
    assert!(badges.contains(&"21 материал".to_string()), "{badges:?}");
    let brief = site.march_14(5);
    assert!(
        texts(&brief, ".meta")
            .iter()
            .any(|m| m.contains("Опубликовано 14 марта 2025")),
        "{:?}",
        texts(&brief, ".meta")
    );
    assert!(brief.contains("Статус: <span data-pagefind-filter=\"status\">Подтверждено</span>"));
    assert!(brief.contains("1 минута чтения"));
}

#[test]
fn arabic_counts_in_every_form_it_has() {
    let site = Lang::new("ar", &[1, 2, 3, 11, 100]);
    site.build().success();
    let counts: Vec<String> = [1, 2, 3, 11, 100]
        .iter()
        .map(|&n| site.topic_count(n))
        .collect();
    assert_eq!(
        counts,
        ["خبر واحد", "خبران", "3 أخبار", "11 خبرًا", "100 خبر"]
    );
    let index = site.output("index.html");
    assert_eq!(texts(&index, "h1.page-title"), ["آخر الأخبار"]);
}

#[test]
fn turkish_and_german_dates_and_words() {
    let tr = Lang::new("tr", &[2]);
    tr.build().success();
    let brief = tr.march_14(2);
    assert!(brief.contains(">14 Mart 2025</time>"), "{brief}");
    assert_eq!(tr.topic_count(2), "2 haber");

    let de = Lang::new("de-AT", &[1, 2]);
    de.build().success();
    assert_eq!(de.topic_count(1), "1 Beitrag");
    assert_eq!(de.topic_count(2), "2 Beiträge");
    let index = de.output("index.html");
    assert_eq!(texts(&index, "h1.page-title"), ["Neueste Beiträge"]);
    let brief = de.march_14(1);
    assert!(brief.contains(">14. März 2025</time>"), "{brief}");
}

#[test]
fn machine_readable_dates_stay_iso() {
    let site = Lang::new("ru", &[2]);
    site.build().success();
    let brief = site.march_14(2);
    let stamps = attrs(&brief, "time", "datetime");
    let iso = |s: &String| {
        s.len() == 10
            && s.chars().enumerate().all(|(i, c)| match i {
                4 | 7 => c == '-',
                _ => c.is_ascii_digit(),
            })
    };
    assert!(stamps.contains(&"2025-03-14".to_string()), "{stamps:?}");
    assert!(stamps.iter().all(iso), "{stamps:?}");
    assert!(brief.contains("\"datePublished\":\"2025-03-14"), "{brief}");
    let feed = site.output("feed.xml");
    assert!(feed.contains("<published>2025-03-14T00:00:00"), "{feed}");
    assert!(!feed.contains("марта"), "{feed}");
    let sitemap = site.output("sitemap.xml");
    assert!(!sitemap.contains("марта"));
    // The archive's and timelines' month headings are in words, keyed by `YYYY-MM`.
    let archive = site.output("archive/index.html");
    assert!(archive.contains("id=\"month-2025-03\""));
    assert!(
        texts(&archive, "h3.timeline-label")
            .iter()
            .any(|l| l.starts_with("март 2025")),
        "{:?}",
        texts(&archive, "h3.timeline-label")
    );
}

#[test]
fn a_language_without_a_table_is_english() {
    let site = Lang::new("pt", &[2]);
    site.build().success();
    assert_eq!(site.topic_count(2), "2 briefs");
    let index = site.output("index.html");
    assert_eq!(texts(&index, "h1.page-title"), ["Latest briefs"]);
    assert_eq!(attrs(&index, "html", "lang"), ["pt"]);
}

#[test]
fn a_site_overrides_messages_and_escapes_what_fills_them() {
    let site = Lang::new("de", &[1, 3]);
    site.write(
        "i18n/de.toml",
        "# Our house style\nlatest_briefs = \"Das Neueste & Wichtigste\"\nbriefs_count = { one = \"ein Bericht\", other = \"{n} Berichte\" }\n",
    );
    site.build().success();
    let index = site.output("index.html");
    assert_eq!(texts(&index, "h1.page-title"), ["Das Neueste & Wichtigste"]);
    assert!(index.contains("Das Neueste &amp; Wichtigste"));
    assert_eq!(site.topic_count(1), "ein Bericht");
    assert_eq!(site.topic_count(3), "3 Berichte");
    // A title from front matter filling a placeholder stays escaped.
    let timeline = site.output("timeline/t3/index.html");
    assert!(timeline.contains("Topic 3: Chronik"), "{timeline}");
    let brief = site.march_14(3);
    assert!(brief.contains("Brief 0 of &lt;3&gt;"));
    assert!(!brief.contains("Brief 0 of <3>"));
}

#[test]
fn a_bad_override_file_fails_with_every_problem_located() {
    let site = Lang::new("ru", &[1]);
    site.write(
        "i18n/ru.toml",
        "archive = \"Архив\"\nlates_briefs = \"Новое\"\nbriefs_count = { one = \"{n} материал\" }\npage_of = \"Страница {page} из {pages}\"\n",
    );
    let run = site.build();
    run.failure();
    run.stderr_has("i18n/ru.toml:2:1")
        .stderr_has("unknown message `lates_briefs`")
        .stderr_has("did you mean `latest_briefs`?")
        .stderr_has("i18n/ru.toml:3:")
        .stderr_has("plural forms without `other`")
        .stderr_has("i18n/ru.toml:4:")
        .stderr_has("`page_of` has an unknown placeholder `{pages}`");
    assert!(!site.out.join("index.html").exists());

    site.write("i18n/ru.toml", "archive = \"Архив\n");
    let run = site.build();
    run.failure();
    run.stderr_has("i18n/ru.toml:1:").stderr_has("TOML syntax");
}

#[test]
fn a_session_renders_again_when_the_messages_change() {
    let site = Lang::new("en", &[2]);
    let mut session = Session::new(BuildOptions {
        root: site.root.clone(),
        ..Default::default()
    });
    let sink = DirSink::new(&site.out).expect("an output folder");
    session.build(&[], &sink).expect("the first build");
    assert_eq!(
        texts(&site.output("index.html"), "h1.page-title"),
        ["Latest briefs"]
    );
    site.write("i18n/en.toml", "latest_briefs = \"The latest\"\n");
    let changed = [site.root.join("i18n/en.toml")];
    let update = session.build(&changed, &sink).expect("the second build");
    assert_eq!(
        texts(&site.output("index.html"), "h1.page-title"),
        ["The latest"]
    );
    assert!(update.written.contains(&"index.html".to_string()));
    // Feeds, which no template renders, follow their titles' message too.
    site.write("i18n/en.toml", "feed_topic = \"{topic} at {site}\"\n");
    let update = session.build(&changed, &sink).expect("the feed build");
    assert!(
        update.written.contains(&"topics/t2/feed.xml".to_string()),
        "{:?}",
        update.written
    );
    assert!(
        site.output("topics/t2/feed.xml")
            .contains("Topic 2 at Desk &amp; Co")
    );
    // A broken table fails the build, and fixing it builds again.
    site.write("i18n/en.toml", "latest_briefs = { one = \"x\" }\n");
    assert!(session.build(&changed, &sink).is_err());
    site.write("i18n/en.toml", "latest_briefs = \"Fresh\"\n");
    session.build(&changed, &sink).expect("the fixed build");
    assert_eq!(
        texts(&site.output("index.html"), "h1.page-title"),
        ["Fresh"]
    );
}

#[test]
fn the_search_page_carries_its_messages() {
    let site = Lang::new("uk", &[1]);
    site.build().success();
    let page = site.output("search/index.html");
    let json = texts(&page, "#search-messages");
    let messages: serde_json::Value = serde_json::from_str(&json[0]).expect("JSON");
    assert_eq!(messages["search_results"]["few"], "{n} результати");
    assert_eq!(messages["kind_brief"], "Матеріал");
    assert!(Path::new(&site.out.join("search.js")).exists());
}

#[test]
fn a_file_in_i18n_that_is_no_table_is_skipped_with_a_warning() {
    let site = Lang::new("de", &[1]);
    site.write("i18n/NOTES.md", "Our house style: short words.\n");
    let run = site.build();
    run.success();
    assert!(
        run.stderr.contains("warning")
            && run.stderr.contains("i18n/NOTES.md")
            && run.stderr.contains("not a message table"),
        "{}",
        run.stderr
    );
}
