//! Newsroom publishing: scheduled briefs held back until their time (`--now`, `--future`), and
//! the log of updates and corrections with the site's corrections page.

use crate::util::*;

const LATER: &str = "content/briefs/2025/03/2025-03-20-later.md";
const LOGGED: &str = "content/briefs/2025/03/2025-03-12-talks-resume.md";

/// The basic fixture plus a brief due at 2025-03-20 09:00 UTC.
fn with_scheduled() -> Site {
    let site = Site::copy_of("basic");
    site.write(
        LATER,
        "---\ntitle: Talks to resume on the 20th\ndate: 2025-03-20T09:00:00Z\ntopics: [energy]\npeople: [Olena Ivanova]\nsources:\n  - name: Wire\n---\nScheduled text.\n",
    );
    site
}

/// Every output file that mentions the scheduled brief's slug.
fn mentions(site: &Site, needle: &str) -> Vec<String> {
    let mut found: Vec<String> = read_tree(&site.out)
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(path, _)| path)
        .collect();
    found.sort();
    found
}

#[test]
fn a_scheduled_brief_is_absent_until_its_time() {
    let site = with_scheduled();
    let run = site.build_ok(&["--now", "2025-03-15T00:00:00Z"]);
    run.stderr_has("(1 scheduled, next at 2025-03-20 09:00 UTC)");
    // No page, and no listing, feed, sitemap or entity page names it.
    assert!(!site.out.join("briefs/later/index.html").exists());
    assert_eq!(mentions(&site, "briefs/later/"), Vec::<String>::new());
    assert_eq!(
        mentions(&site, "Talks to resume on the 20th"),
        Vec::<String>::new()
    );
    assert_links_ok(&crawl(&site.out), 50, 1);

    // `check` lists it, and says when.
    let check = site.check(&["--now", "2025-03-15T00:00:00Z"]);
    check.success().stderr_has(
        "scheduled for 2025-03-20 09:00 UTC: content/briefs/2025/03/2025-03-20-later.md",
    );

    // Once its time has come, it is out everywhere.
    site.build_ok(&["--now", "2025-03-20T09:00:00Z"]);
    assert!(site.out.join("briefs/later/index.html").is_file());
    let feed = parse_feed("feed.xml", &site.output("feed.xml"));
    assert_eq!(feed.entries[0].title, "Talks to resume on the 20th");
    assert!(site.output("sitemap.xml").contains("briefs/later/"));
    assert!(
        site.output("index.html")
            .contains("briefs/later/index.html")
    );
}

#[test]
fn future_builds_it_marked_and_out_of_feeds_and_sitemap() {
    let site = with_scheduled();
    site.build_ok(&["--now", "2025-03-15T00:00:00Z", "--future"]);
    let page = site.output("briefs/later/index.html");
    assert_eq!(texts(&page, ".draft-banner strong"), ["Scheduled."]);
    assert_eq!(attrs(&page, "meta[name=robots]", "content"), ["noindex"]);
    assert!(site.output("index.html").contains(">Scheduled</span>"));
    for file in ["feed.xml", "topics/energy/feed.xml", "sitemap.xml"] {
        assert!(
            !site.output(file).contains("briefs/later/"),
            "{file} lists the scheduled brief"
        );
    }
}

#[test]
fn a_link_to_a_scheduled_brief_is_refused_naming_both_files() {
    let site = with_scheduled();
    site.edit(
        LOGGED,
        "Jump back to [the background](#background).",
        "Jump back to [the background](#background). See [the next round](2025-03-20-later.md).",
    );
    let run = site.build(&["--now", "2025-03-15T00:00:00Z"]);
    run.failure()
        .stderr_has("link to content/briefs/2025/03/2025-03-20-later.md, which is scheduled for 2025-03-20 09:00 UTC and not published yet")
        .stderr_has(&format!("--> {LOGGED}:"));
    // After its time, the same link is fine.
    site.build_ok(&["--now", "2025-03-21T00:00:00Z"]);
}

#[test]
fn check_json_lists_scheduled_briefs() {
    let site = with_scheduled();
    let run = site.check(&["--now", "2025-03-15T00:00:00Z", "--format", "json"]);
    run.success();
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        doc["scheduled"],
        serde_json::json!([{"file": "content/briefs/2025/03/2025-03-20-later.md", "at": "2025-03-20T09:00:00Z"}])
    );
}

/// The basic fixture with an update and a correction on one brief.
fn with_log() -> Site {
    let site = Site::copy_of("basic");
    site.edit(
        LOGGED,
        "status: confirmed\n",
        concat!(
            "status: confirmed\n",
            "updates:\n",
            "  - date: 2025-03-13T10:00:00Z\n",
            "    text: Adds the ministry's reply.\n",
            "  - date: 2025-03-14\n",
            "    kind: correction\n",
            "    text: \"An earlier version gave the wrong *venue*. <script>x</script>\"\n",
        ),
    );
    site
}

#[test]
fn updates_and_corrections_show_on_the_brief_cards_feeds_and_corrections_page() {
    let site = with_log();
    site.build_ok(&[]);
    let page = site.output("briefs/talks-resume/index.html");
    // Newest first; the correction says so.
    assert_eq!(
        texts(&page, ".updates .update-kind"),
        ["Correction", "Update"]
    );
    assert_eq!(
        attrs(&page, ".updates time", "datetime"),
        ["2025-03-14", "2025-03-13T10:00:00Z"]
    );
    let log = texts(&page, ".updates li").concat();
    assert!(log.contains("wrong venue"), "{log}");
    assert!(!page.contains("<script>x"), "front matter HTML is escaped");
    // `updated` defaults to the newest entry.
    assert_eq!(
        attrs(&page, "meta[property='article:modified_time']", "content"),
        ["2025-03-14"]
    );
    // Cards say "Updated 14 Mar".
    let index = site.output("index.html");
    assert!(
        index.contains(r#"Updated <time datetime="2025-03-14">14 Mar</time>"#),
        "{index}"
    );
    // The feed carries the updated time and the log.
    let feed = parse_feed("feed.xml", &site.output("feed.xml"));
    let entry = feed
        .entries
        .iter()
        .find(|e| e.title == "Talks resume after the border incident")
        .expect("the entry");
    assert!(entry.updated.starts_with("2025-03-14"), "{}", entry.updated);
    assert!(
        entry.content.contains("Correction, 14 March 2025:"),
        "{}",
        entry.content
    );
    // The corrections page lists it, linking the brief.
    let corrections = site.output("corrections/index.html");
    assert_eq!(
        attrs(&corrections, ".corrections-list a", "href"),
        ["../briefs/talks-resume/index.html"]
    );
    assert!(
        texts(&corrections, ".corrections-list li")
            .concat()
            .contains("wrong venue")
    );
    assert_links_ok(&crawl(&site.out), 50, 1);
}

#[test]
fn a_site_without_corrections_says_so() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    let page = site.output("corrections/index.html");
    assert!(page.contains("No corrections so far."), "{page}");
}

#[test]
fn updates_are_validated_against_the_dates() {
    let site = with_log();
    site.edit(
        LOGGED,
        "date: 2025-03-12\n",
        "date: 2025-03-12\nupdated: 2025-03-13\n",
    );
    site.edit(
        LOGGED,
        "  - date: 2025-03-13T10:00:00Z",
        "  - date: 2025-03-01",
    );
    let run = site.check(&[]);
    run.failure()
        .stderr_has("`updated` is earlier than the newest entry of `updates` (2025-03-14)")
        .stderr_has("an entry of `updates` is dated 2025-03-01, before the brief's `date`")
        .stderr_has(&format!("--> {LOGGED}:"));
}
