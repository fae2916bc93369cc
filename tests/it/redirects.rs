//! Addresses that last (issue #11): `aliases:` on briefs, topics and pages give redirect pages at
//! the old addresses, listed in `_redirects`; the hosting files (`_redirects`, `_headers`,
//! `.nojekyll`) are written unless `hosting_files = false`.
//!
//! - Redirect pages stand at every old address, lead (refresh, canonical and a visible link) to
//!   the new page relative to themselves, at the root, in a sub-folder and from disk; they are
//!   out of the sitemap and carry `noindex`.
//! - `_redirects` holds exactly one line per alias, prefixed with `base_url`'s path.
//! - An alias that another page, static file or alias already has is an error naming both files
//!   with lines; hostile paths are refused with help, and nothing is written outside the output.
//! - A session (what `serve` runs) adds, moves and removes redirect pages as aliases change, and
//!   its folder stays what a full build writes.

use std::path::Path;

use briefing::BuildOptions;
use briefing::session::Session;
use briefing::write::DirSink;

use crate::util::{
    Site, assert_links_ok, assert_same_tree, attrs, crawl, read_tree, refresh_url, sitemap_locs,
    texts,
};

const TALKS: &str = "content/briefs/2025/03/2025-03-12-talks-resume.md";
const SUMMIT: &str = "content/briefs/2025/02/2025-02-03-summit-date-set.md";
const ABOUT: &str = "content/pages/about.md";
const DIPLOMACY: &str = "content/topics/diplomacy.md";

/// The basic fixture with a brief renamed (its old slug and an old path as aliases), a page
/// with an old slug, and a topic with an old path besides its slug aliases.
fn site_with_aliases() -> Site {
    let site = Site::copy_of("basic");
    site.edit(
        TALKS,
        "status: confirmed\n",
        "status: confirmed\nslug: talks-restart\naliases:\n  - talks-resume\n  - /2025/03/talks.html\n",
    );
    site.edit(
        ABOUT,
        "order: 1\n",
        "order: 1\naliases: [who-we-are, /about.htm]\n",
    );
    site.edit(
        DIPLOMACY,
        "aliases: [talks, negotiations]",
        "aliases: [talks, negotiations, /diplomacy/]",
    );
    site
}

/// Old address → new page, as the site above has them.
const MOVED: &[(&str, &str)] = &[
    ("2025/03/talks.html", "briefs/talks-restart/index.html"),
    ("about.htm", "pages/about/index.html"),
    (
        "briefs/talks-resume/index.html",
        "briefs/talks-restart/index.html",
    ),
    ("diplomacy/index.html", "topics/diplomacy/index.html"),
    ("pages/who-we-are/index.html", "pages/about/index.html"),
    (
        "topics/negotiations/index.html",
        "topics/diplomacy/index.html",
    ),
    ("topics/talks/index.html", "topics/diplomacy/index.html"),
];

/// Where a relative `link` on the page at `page` (both relative to `out`) leads, as a path
/// relative to `out`.
fn resolve(page: &str, link: &str) -> String {
    let base = Path::new(page).parent().unwrap_or(Path::new(""));
    let joined = crate::util::normalize(&base.join(link))
        .unwrap_or_else(|| panic!("{link} climbs out of the site from {page}"));
    joined.to_string_lossy().replace('\\', "/")
}

#[test]
fn redirect_pages_stand_at_the_old_addresses_and_lead_to_the_new_pages() {
    let site = site_with_aliases();
    site.build_ok(&[]);
    for (old, new) in MOVED {
        let html = site.output(old);
        let refresh = attrs(&html, "meta[http-equiv=refresh]", "content");
        assert_eq!(refresh.len(), 1, "{old}: {html}");
        let url = refresh_url(&refresh[0]).expect("a refresh address");
        assert!(refresh[0].starts_with("0; url="), "{old}: {refresh:?}");
        assert_eq!(resolve(old, url), *new, "{old}: refresh");
        let canonical = attrs(&html, "link[rel=canonical]", "href");
        assert_eq!(canonical.len(), 1);
        assert_eq!(resolve(old, &canonical[0]), *new, "{old}: canonical");
        let links = attrs(&html, "main a", "href");
        assert_eq!(links.len(), 1, "{old}: one visible link");
        assert_eq!(resolve(old, &links[0]), *new, "{old}: link");
        assert_eq!(
            attrs(&html, "meta[name=robots]", "content"),
            ["noindex"],
            "{old}"
        );
        assert_eq!(attrs(&html, "html", "lang"), ["en"]);
        assert_eq!(attrs(&html, "meta[charset]", "charset"), ["utf-8"]);
        let title = texts(&html, "title");
        assert!(title[0].starts_with("Moved: "), "{old}: {title:?}");
    }
    // The new page's title names the link; the brief's page is at its new address alone.
    let html = site.output("2025/03/talks.html");
    assert_eq!(
        texts(&html, "main a"),
        ["Talks resume after the border incident"]
    );
    assert!(site.out.join("briefs/talks-restart/index.html").is_file());
    // Every link of the site resolves, refresh addresses included.
    let found = crawl(&site.out);
    assert_links_ok(&found, 100, 1);
    // Redirect pages are out of the sitemap; their targets are in it. (Without a base URL its
    // addresses are root-relative.)
    let locs = sitemap_locs(&site.output("sitemap.xml"));
    for (old, new) in MOVED {
        let folder = old.strip_suffix("index.html").unwrap_or(old);
        assert!(!locs.iter().any(|l| l == folder), "{old} in the sitemap");
        let folder = new.strip_suffix("index.html").unwrap_or(new);
        assert!(locs.iter().any(|l| l == folder), "{new} not in the sitemap");
    }
}

#[test]
fn with_a_base_url_the_canonical_link_is_absolute() {
    let site = site_with_aliases();
    site.build_ok(&["--base-url", "https://example.org/desk/"]);
    let html = site.output("briefs/talks-resume/index.html");
    assert_eq!(
        attrs(&html, "link[rel=canonical]", "href"),
        ["https://example.org/desk/briefs/talks-restart/"]
    );
    let refresh = attrs(&html, "meta[http-equiv=refresh]", "content");
    assert_eq!(refresh, ["0; url=../../briefs/talks-restart/index.html"]);
}

#[test]
fn redirects_work_in_a_sub_folder_and_from_disk() {
    let site = site_with_aliases();
    // The site placed in a sub-folder of a host's root: every link, refresh addresses
    // included, must resolve to a file inside that sub-folder.
    let host = site.tmp.path().join("host");
    let desk = host.join("news/desk");
    site.build_into(&desk, &[]).success();
    let found = crawl(&host);
    assert_links_ok(&found, 100, 1);
    for (old, new) in MOVED {
        let html = std::fs::read_to_string(desk.join(old)).expect("a redirect page");
        let refresh = attrs(&html, "meta[http-equiv=refresh]", "content");
        let url = refresh_url(&refresh[0]).expect("an address");
        let page = format!("news/desk/{old}");
        assert_eq!(resolve(&page, url), format!("news/desk/{new}"));
        assert!(host.join(resolve(&page, url)).is_file());
        // Pointing at a file, never at a folder, so it opens from disk too.
        assert!(url.ends_with("index.html"), "{url}");
    }
}

#[test]
fn the_redirects_file_lists_every_alias() {
    let site = site_with_aliases();
    site.build_ok(&[]);
    let header = "# Redirects for Netlify and Cloudflare Pages, written by briefing from the `aliases:` of\n\
                  # briefs, topics and pages: old address, new address, HTTP status.\n";
    assert_eq!(
        site.output("_redirects"),
        format!(
            "{header}\
             /2025/03/talks.html /briefs/talks-restart/ 301\n\
             /about.htm /pages/about/ 301\n\
             /briefs/talks-resume/ /briefs/talks-restart/ 301\n\
             /diplomacy/ /topics/diplomacy/ 301\n\
             /pages/who-we-are/ /pages/about/ 301\n\
             /topics/negotiations/ /topics/diplomacy/ 301\n\
             /topics/talks/ /topics/diplomacy/ 301\n"
        )
    );
    // A site in a sub-folder of its host: the host reads paths from its own root.
    site.build_ok(&["--base-url", "https://example.org/desk"]);
    let lines: Vec<String> = site
        .output("_redirects")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(String::from)
        .collect();
    assert_eq!(lines.len(), MOVED.len());
    assert_eq!(
        lines[0],
        "/desk/2025/03/talks.html /desk/briefs/talks-restart/ 301"
    );
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("/desk/") && l.contains(" /desk/"))
    );
}

#[test]
fn topic_aliases_make_redirect_pages() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    for alias in ["talks", "negotiations"] {
        let old = format!("topics/{alias}/index.html");
        let html = site.output(&old);
        let url = attrs(&html, "meta[http-equiv=refresh]", "content");
        assert_eq!(url, ["0; url=../../topics/diplomacy/index.html"]);
        assert_eq!(texts(&html, "main a"), ["Diplomacy"]);
    }
    // An alias still names the topic in a brief's `topics:`.
    assert!(
        site.output("topics/diplomacy/index.html")
            .contains("Talks resume")
    );
}

#[test]
fn hosting_files_are_written_and_can_be_turned_off() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    assert_eq!(site.output(".nojekyll"), "");
    let headers = site.output("_headers");
    let rules: Vec<&str> = headers.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        rules,
        [
            "/*",
            "  Cache-Control: public, max-age=300",
            "  X-Content-Type-Options: nosniff"
        ]
    );
    assert!(
        !headers.contains("max-age=31536000"),
        "no file is content-hashed, so none is cached for long"
    );
    site.build_ok(&["--base-url", "https://example.org/desk/"]);
    assert!(site.output("_headers").contains("\n/desk/*\n"));

    let toml = site.read("site.toml");
    site.write("site.toml", format!("{toml}hosting_files = false\n"));
    site.build_ok(&[]);
    for file in ["_redirects", "_headers", ".nojekyll"] {
        assert!(!site.out.join(file).exists(), "{file} written");
    }
    // Redirect pages are the site's own and stay.
    assert!(site.out.join("topics/talks/index.html").is_file());
}

#[test]
fn a_static_hosting_file_asks_for_hosting_files_false() {
    let site = Site::copy_of("basic");
    site.write("static/_redirects", "/old /new 301\n");
    site.build(&[])
        .failure()
        .stderr_has("static/_redirects would replace the _redirects briefing writes")
        .stderr_has("hosting_files = false");
    let toml = site.read("site.toml");
    site.write("site.toml", format!("{toml}hosting_files = false\n"));
    site.build_ok(&[]);
    assert_eq!(site.output("_redirects"), "/old /new 301\n");
}

// ---- Mistakes ----------------------------------------------------------------------------------

#[test]
fn an_alias_on_a_real_page_is_an_error_naming_both_files() {
    let site = Site::copy_of("basic");
    // Line 8: the other brief's slug; the archive; a static file.
    site.edit(
        TALKS,
        "tags: [talks, summit]\n",
        "tags: [talks, summit]\naliases: [summit-date-set, /archive/, /old.html]\n",
    );
    site.write("static/old.html", "<!DOCTYPE html><title>x</title>");
    let run = site.build(&[]);
    run.failure()
        .stderr_has(&format!(
            "alias \"summit-date-set\" would put a redirect page at briefs/summit-date-set/index.html, which is already the page of {SUMMIT}"
        ))
        .stderr_has(&format!("{TALKS}:10:11"))
        .stderr_has(
            "alias \"/archive/\" would put a redirect page at archive/index.html, which is already a file the site makes (archive/index.html)",
        )
        .stderr_has(&format!("{TALKS}:10:28"))
        .stderr_has("which is already the static file static/old.html")
        .stderr_has("remove the alias");
    assert!(!site.out.exists(), "nothing was written");
    // Its own address needs no redirect.
    let site = Site::copy_of("basic");
    site.edit(
        TALKS,
        "tags: [talks, summit]\n",
        "tags: [talks, summit]\naliases: /briefs/talks-resume/\n",
    );
    site.build(&[])
        .failure()
        .stderr_has("alias \"/briefs/talks-resume/\" is the brief's own address")
        .stderr_has("needs no redirect");
}

#[test]
fn two_aliases_of_one_address_are_an_error_naming_both_files_and_lines() {
    let site = Site::copy_of("basic");
    site.edit(
        TALKS,
        "tags: [talks, summit]\n",
        "tags: [talks, summit]\naliases: [/old/]\n",
    );
    // A page's old address folds onto the brief's on a case-insensitive file system.
    site.edit(
        ABOUT,
        "order: 1\n",
        "order: 1\naliases:\n  - /Old/index.html\n",
    );
    let run = site.build(&[]);
    run.failure()
        .stderr_has(&format!(
            "alias \"/Old/index.html\" would put a redirect page at Old/index.html, which is already the redirect of alias \"/old/\" in {TALKS}:10 (as old/index.html, on a case-insensitive file system)"
        ))
        .stderr_has(&format!("{ABOUT}:5:5"))
        .stderr_has("remove one of the two aliases");
    // A redirect inside another one's file.
    let site = Site::copy_of("basic");
    site.edit(
        TALKS,
        "tags: [talks, summit]\n",
        "tags: [talks, summit]\naliases: [/a.html, /a.html/b.html, /feed.xml/x/]\n",
    );
    site.build(&[])
        .failure()
        .stderr_has("at a.html/b.html, inside a.html, which is already the redirect of alias \"/a.html\"")
        .stderr_has("at feed.xml/x/index.html, inside feed.xml, which is already a file the site makes (feed.xml)");
}

#[test]
fn hostile_alias_paths_are_refused_with_help() {
    let site = Site::copy_of("basic");
    site.edit(
        TALKS,
        "tags: [talks, summit]\n",
        "tags: [talks, summit]\naliases:\n  - /../../escape.html\n  - \"//evil.example/x\"\n  - '/a\\b.html'\n  - \"/ctl\\u0007/\"\n  - C:/Windows/x.html\n  - file:///etc/passwd\n  - /.hidden/\n  - /feed.atom\n  - Not A Slug\n",
    );
    let run = site.build(&[]);
    run.failure();
    for (line, message, help) in [
        (11, "would climb out of its folder", "from the site's root"),
        (12, "starts with `//`", "one leading `/`"),
        (13, "has the character '\\\\'", "never `\\`"),
        // Written with an escape, the value is not found as such: the `aliases` line is shown.
        (10, "has the character '\\u{7}'", "letters, digits"),
        (
            15,
            "is neither a slug nor a path",
            "without a drive or scheme",
        ),
        (
            16,
            "is neither a slug nor a path",
            "without the site's scheme and host",
        ),
        (17, "has a name starting with `.`", "hidden files"),
        (
            18,
            "names a file that is not an HTML page",
            "host's own redirects",
        ),
        (19, "is not a valid slug", "\"not-a-slug\""),
    ] {
        run.stderr_has(&format!("{TALKS}:{line}:"))
            .stderr_has(message)
            .stderr_has(help);
    }
    let tree = read_tree(site.tmp.path());
    assert!(
        !tree
            .keys()
            .any(|p| p.contains("escape") || p.contains("evil")),
        "{:?}",
        tree.keys()
    );
}

// ---- Incremental -------------------------------------------------------------------------------

/// A session's folder after each edit is what a full build writes: redirect pages appear, move
/// and go as aliases and slugs change, and `_redirects` follows.
#[test]
fn a_session_adds_moves_and_removes_redirect_pages() {
    let site = Site::copy_of("basic");
    // With a base URL, so the settings carry no warning that the first rebuild drops.
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}base_url = \"https://example.org/desk/\"\n"),
    );
    let mut session = Session::new(BuildOptions {
        root: site.root.clone(),
        ..Default::default()
    });
    let served = site.tmp.path().join("served");
    let sink = DirSink::new(&served).expect("a folder");
    session.build(&[], &sink).expect("first build");
    let full = |when: &str| {
        let fresh = site.tmp.path().join("fresh");
        let _ = std::fs::remove_dir_all(&fresh);
        let opts = BuildOptions {
            root: site.root.clone(),
            output: Some(fresh.clone()),
            ..Default::default()
        };
        briefing::build(&opts).unwrap_or_else(|e| panic!("{when}: {e:?}"));
        let mut tree = read_tree(&fresh);
        tree.remove(".briefing-output");
        tree
    };
    let talks = site.path(TALKS);

    site.edit(
        TALKS,
        "tags: [talks, summit]\n",
        "tags: [talks, summit]\naliases: [old-talks]\n",
    );
    let update = session
        .build(std::slice::from_ref(&talks), &sink)
        .expect("alias added");
    assert!(
        update
            .written
            .contains(&"briefs/old-talks/index.html".to_string())
    );
    assert!(update.written.contains(&"_redirects".to_string()));
    assert!(
        !update
            .written
            .contains(&"topics/talks/index.html".to_string())
    );
    session.settle_search();
    assert_same_tree(&read_tree(&served), &full("alias added"));

    site.edit(TALKS, "Talks resume after", "Talks restart after");
    let update = session
        .build(std::slice::from_ref(&talks), &sink)
        .expect("retitled");
    assert!(
        update
            .written
            .contains(&"briefs/old-talks/index.html".to_string())
    );
    session.settle_search();
    assert_same_tree(&read_tree(&served), &full("retitled"));

    site.edit(
        TALKS,
        "aliases: [old-talks]\n",
        "slug: talks-restart\naliases: [old-talks, talks-resume]\n",
    );
    let update = session
        .build(std::slice::from_ref(&talks), &sink)
        .expect("renamed");
    assert!(
        update
            .written
            .contains(&"briefs/talks-resume/index.html".to_string())
    );
    assert!(
        update
            .written
            .contains(&"briefs/talks-restart/index.html".to_string())
    );
    assert!(
        std::fs::read_to_string(served.join("briefs/talks-resume/index.html"))
            .expect("a redirect page")
            .contains("url=../../briefs/talks-restart/index.html")
    );
    session.settle_search();
    assert_same_tree(&read_tree(&served), &full("renamed"));

    site.edit(TALKS, "aliases: [old-talks, talks-resume]\n", "");
    let update = session
        .build(std::slice::from_ref(&talks), &sink)
        .expect("aliases removed");
    assert!(
        update
            .removed
            .contains(&"briefs/old-talks/index.html".to_string())
    );
    assert!(
        update
            .removed
            .contains(&"briefs/talks-resume/index.html".to_string())
    );
    session.settle_search();
    assert_same_tree(&read_tree(&served), &full("aliases removed"));

    // A broken alias fails the session as it fails a build; the fix builds again.
    site.edit(
        TALKS,
        "slug: talks-restart\n",
        "slug: talks-restart\naliases: [/../x/]\n",
    );
    assert!(session.build(std::slice::from_ref(&talks), &sink).is_err());
    site.edit(TALKS, "aliases: [/../x/]\n", "aliases: [/x/]\n");
    session
        .build(std::slice::from_ref(&talks), &sink)
        .expect("fixed");
    assert!(served.join("x/index.html").is_file());
    session.settle_search();
    assert_same_tree(&read_tree(&served), &full("fixed"));
}
