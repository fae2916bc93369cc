//! The default theme in a real browser.
//!
//! Builds the repository's sample site with the real binary, serves it from 127.0.0.1 on a
//! random port **under a sub-folder** (`/some/sub/folder/`), and drives Debian's `chromium`
//! headless through the DevTools protocol (the `headless_chrome` crate, without its browser
//! fetcher: nothing is downloaded at run time). The same pages are also opened from `file://`.
//!
//! - A reader's path: front page → topic → brief → person → brief → related → previous → next,
//!   each step a real click; every page must load its stylesheet and log no console error,
//!   uncaught exception or failed request (the server also records every 4xx).
//! - No horizontal scroll at 375 px (and 320 px) on every page, opened from disk.
//! - axe-core (from `node_modules`, pinned in `package-lock.json`) is injected into the front
//!   page, a brief, a topic, an entity page, the archive, the authors' pages, the timeline, a
//!   topic's timeline, the sources and the search page with results (also 390 px wide), in
//!   light and dark schemes: no violations. (Search itself is tested in `search.rs`.)
//! - The sample site's old addresses (aliases) lead to the pages now there, served and from disk.
//! - The print stylesheet hides the navigation and the search box and shows the sources' URLs, and prints the
//!   activity chart black (its bars change colour in the dark scheme); on a timeline it keeps the
//!   line, its markers and the dates, in black.
//! - Screenshots of the front page, a brief and a topic at phone and desktop widths, light and
//!   dark, and of a brief and the timeline in print, go to `target/screenshots/` for people to
//!   look at.
//!
//! A missing Chromium fails the tests with what to install; they never pass without a browser.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Log, Network, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};
use tempfile::TempDir;

use crate::search::{SEARCH_WITH_RESULTS, wait_for_results};
use crate::util::{briefing, files_ending, normalize, npm_tool, repo_root};

/// The sub-folder the test server mounts the site under.
pub(crate) const SUB: &str = "/some/sub/folder/";
pub(crate) const AXE: &str = "node_modules/axe-core/axe.min.js";
pub(crate) const PHONE: (u32, u32) = (375, 812);
pub(crate) const DESKTOP: (u32, u32) = (1280, 900);
/// A generous bound for a page to load; only there so a hung browser fails instead of hanging.
pub(crate) const PATIENCE: Duration = Duration::from_secs(60);

// ---- Tests ----------------------------------------------------------------------------------

/// Clicks through the served site the way a reader would, checking every page on the way.
#[test]
fn reader_clicks_through_the_site_served_under_a_sub_folder() {
    let site = SampleSite::build();
    let server = Server::start(&site.out);
    let chrome = Chrome::launch();
    let tab = chrome.tab(DESKTOP, false);
    let base = format!("{}{SUB}", server.origin);

    let visited = reader_path(&tab, &format!("{base}index.html"), &base);
    let failed = server.failures();
    assert!(
        failed.is_empty(),
        "the server answered these requests with an error:\n{}",
        failed.join("\n")
    );
    let served = server.requests();
    assert!(
        served.iter().all(|p| p.starts_with(SUB)),
        "requests outside {SUB} (root-relative links?): {served:?}"
    );
    for kind in [".css", ".svg"] {
        assert!(
            served.iter().any(|p| p.ends_with(kind)),
            "no {kind} file was requested: {served:?}"
        );
    }
    eprintln!("browser: clicked through {} pages over HTTP", visited.len());
}

/// The same path from disk on a 375 px phone: every page on the way fits the screen, and so
/// do the main kinds of page at 320 px.
#[test]
fn site_opened_from_disk_works_on_a_phone() {
    let site = SampleSite::build();
    let chrome = Chrome::launch();
    let tab = chrome.tab(PHONE, true);
    let base = format!("file://{}/", site.out.display());

    let visited = reader_path(&tab, &format!("{base}index.html"), &base);
    chrome.viewport(&tab, (320, 640), true);
    for page in KEY_PAGES {
        open(&tab, &format!("{base}{}", page.1));
        check_page(&tab, &base, page.1);
    }
    tab.problems.assert_none("pages opened from disk");
    eprintln!(
        "browser: {} pages from file:// at 375 px and {} at 320 px fit the screen",
        visited.len(),
        KEY_PAGES.len()
    );
}

/// Each old address of the sample site (its aliases) takes the browser to the page now there,
/// over HTTP under a sub-folder and from disk, with nothing failing on the way.
#[test]
fn old_addresses_lead_to_the_pages_now_there() {
    let site = SampleSite::build();
    let server = Server::start(&site.out);
    let chrome = Chrome::launch();
    let tab = chrome.tab(DESKTOP, false);
    for base in [
        format!("{}{SUB}", server.origin),
        format!("file://{}/", site.out.display()),
    ] {
        for (old, new) in MOVED {
            evaluate(&tab, "window.__briefingLeft = true");
            let from = format!("{base}{old}");
            tab.navigate_to(&from)
                .unwrap_or_else(|e| panic!("open {from}: {e:#}"));
            let to = format!("{base}{new}");
            wait_for(&tab, &format!("{from} to lead to {to}"), |s| {
                s.href == to && s.ready && s.fresh
            });
            check_page(&tab, &base, new);
        }
    }
    tab.problems.assert_none("following old addresses");
    assert!(server.failures().is_empty(), "{:?}", server.failures());
    let served = server.requests();
    assert!(
        served.iter().all(|p| p.starts_with(SUB)),
        "requests outside {SUB}: {served:?}"
    );
    eprintln!(
        "browser: {} old addresses lead to their pages, served and from disk",
        MOVED.len()
    );
}

/// Every page of the site, laid out 375 and 320 px wide (in a frame of that width, one page
/// after another, each left once its images, lazy ones included, have loaded), has no content
/// wider than the screen.
#[test]
fn no_page_scrolls_sideways_on_phones() {
    let site = SampleSite::build();
    let server = Server::start(&site.out);
    let chrome = Chrome::launch();
    let tab = chrome.tab(DESKTOP, false);
    let base = format!("{}{SUB}", server.origin);
    let pages: Vec<String> = files_ending(&site.out, ".html")
        .into_iter()
        .filter(|p| !p.ends_with("404.html")) // links through base_url, by design
        .map(|p| format!("{base}{p}"))
        .collect();
    assert!(pages.len() > 20, "too few pages: {pages:?}");
    open(&tab, &format!("{base}index.html"));
    let urls = serde_json::to_string(&pages).expect("JSON");
    let mut wide = Vec::new();
    for width in [375, 320] {
        let found = tab
            .evaluate(&format!("({SWEEP_JS})({urls}, {width})"), true)
            .expect("lay out every page in a frame");
        let text = found.value.and_then(|v| v.as_str().map(str::to_string));
        let text = text.unwrap_or_else(|| {
            panic!(
                "the sweep gave no result: {found:?}",
                found = found.description
            )
        });
        let list: Vec<String> = serde_json::from_str(&text).expect("sweep result is JSON");
        wide.extend(list.into_iter().map(|w| format!("at {width} px: {w}")));
    }
    assert!(
        wide.is_empty(),
        "pages scroll sideways on phones:\n{}",
        wide.join("\n")
    );
    // Each frame is removed once measured: the search page's fetch of the index, still under
    // way, is then cancelled (ERR_ABORTED), which is no fault of the page.
    tab.problems
        .assert_none_but("the phone-width sweep", &["pagefind.js: net::ERR_ABORTED"]);
    assert!(server.failures().is_empty(), "{:?}", server.failures());
    eprintln!(
        "browser: all {} pages fit 375 and 320 px screens",
        pages.len()
    );
}

/// With `--drafts`, the draft's banner and the "Draft" labels on cards and archive rows pass
/// axe-core, light and dark.
#[test]
fn draft_marks_pass_axe_in_both_schemes() {
    let site = SampleSite::build_with(&["--drafts"]);
    let server = Server::start(&site.out);
    let chrome = Chrome::launch();
    let tab = chrome.tab(DESKTOP, false);
    let base = format!("{}{SUB}", server.origin);
    let axe_source = std::fs::read_to_string(npm_tool(AXE)).expect("read axe.min.js");
    let mut violations = Vec::new();
    for dark in [false, true] {
        chrome.color_scheme(&tab, dark);
        for page in [DRAFT, "index.html", "archive/index.html"] {
            open(&tab, &format!("{base}{page}"));
            let marks = string(
                &tab,
                "String(document.querySelectorAll('.draft-banner, .draft-label').length)",
            );
            assert_ne!(marks, "0", "{page} shows no draft mark");
            let scheme = if dark { "dark" } else { "light" };
            violations.extend(
                run_axe(&tab, &axe_source)
                    .into_iter()
                    .map(|v| format!("{page} ({scheme}): {v}")),
            );
        }
    }
    assert!(
        violations.is_empty(),
        "axe-core found accessibility violations on draft marks:\n{}",
        violations.join("\n")
    );
}

/// axe-core on the main kinds of page, light and dark; the print stylesheet; screenshots.
#[test]
fn pages_pass_axe_print_cleanly_and_are_photographed() {
    let site = SampleSite::build();
    let server = Server::start(&site.out);
    let chrome = Chrome::launch();
    let tab = chrome.tab(DESKTOP, false);
    let base = format!("{}{SUB}", server.origin);
    let axe_source = std::fs::read_to_string(npm_tool(AXE)).expect("read axe.min.js");

    let mut violations = Vec::new();
    for dark in [false, true] {
        chrome.color_scheme(&tab, dark);
        for (what, page) in KEY_PAGES {
            assert!(
                site.out.join(page).is_file(),
                "{page} is not in the sample site"
            );
            open(&tab, &format!("{base}{page}"));
            let found = run_axe(&tab, &axe_source);
            let scheme = if dark { "dark" } else { "light" };
            eprintln!(
                "axe: {what} ({page}), {scheme}: {} violation(s)",
                found.len()
            );
            violations.extend(found.into_iter().map(|v| format!("{page} ({scheme}): {v}")));
        }
        // The search page, with results and its filters open, wide and 390 px wide.
        for (size, mobile) in [(DESKTOP, false), ((390, 844), true)] {
            chrome.viewport(&tab, size, mobile);
            let page = SEARCH_WITH_RESULTS;
            open(&tab, &format!("{base}{page}"));
            wait_for_results(&tab);
            let found = run_axe(&tab, &axe_source);
            let scheme = if dark { "dark" } else { "light" };
            eprintln!(
                "axe: search page ({page}) at {} px, {scheme}: {} violation(s)",
                size.0,
                found.len()
            );
            violations.extend(
                found
                    .into_iter()
                    .map(|v| format!("{page} at {} px ({scheme}): {v}", size.0)),
            );
        }
        chrome.viewport(&tab, DESKTOP, false);
    }
    assert!(
        violations.is_empty(),
        "axe-core found accessibility violations:\n{}",
        violations.join("\n")
    );

    // Print: no navigation or search box, and the sources' URLs are on paper.
    chrome.color_scheme(&tab, false);
    open(&tab, &format!("{base}{BRIEF}"));
    chrome.media(&tab, "print", false);
    let printed = string(
        &tab,
        "JSON.stringify([getComputedStyle(document.querySelector('.masthead')).display, \
         getComputedStyle(document.querySelector('.site-search')).display, \
         getComputedStyle(document.querySelector('.topic-nav')).display, \
         getComputedStyle(document.querySelector('.sources .url')).display])",
    );
    assert_eq!(
        printed, r#"["none","none","none","inline"]"#,
        "print: masthead, search box, topic navigation, source URL display"
    );
    // A timeline on paper: no navigation or links to other timelines; the line, its markers
    // and the dates in black.
    open(&tab, &format!("{base}{TIMELINE}"));
    let printed = string(
        &tab,
        "(() => { const s = q => getComputedStyle(document.querySelector(q)); \
         const line = s('.chronology'), dot = getComputedStyle(document.querySelector('.chronology-entry'), '::before'); \
         return JSON.stringify([s('.masthead').display, s('.site-footer').display, s('.timeline-topics').display, \
         line.borderLeftStyle, line.borderLeftColor, dot.borderTopColor, s('.chronology-date').color]); })()",
    );
    assert_eq!(
        printed, r#"["none","none","none","solid","rgb(0, 0, 0)","rgb(0, 0, 0)","rgb(0, 0, 0)"]"#,
        "print: masthead, footer, topics' timelines; the line, a marker and a date"
    );
    chrome.media(&tab, "", false);

    // The activity chart: bars in the accent colour, lighter in the dark scheme, black on paper.
    let chart_colour = "getComputedStyle(document.querySelector('.activity-bars')).fill";
    open(&tab, &format!("{base}{TOPIC}"));
    let light = string(&tab, chart_colour);
    chrome.color_scheme(&tab, true);
    let dark = string(&tab, chart_colour);
    assert_ne!(
        light, dark,
        "the chart's bars keep their colour in the dark scheme"
    );
    chrome.color_scheme(&tab, false);
    chrome.media(&tab, "print", false);
    assert_eq!(
        string(&tab, chart_colour),
        "rgb(0, 0, 0)",
        "print: chart bars"
    );
    chrome.media(&tab, "", false);

    // Screenshots for people: phone and desktop, light and dark, and a brief and the timeline
    // on paper.
    let dir = repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    let mut taken = Vec::new();
    for (name, page) in [
        ("front", "index.html"),
        ("brief", BRIEF),
        ("lead-image", LEAD_IMAGE),
        ("topic", TOPIC),
        ("author", "authors/marta-kowalczyk/index.html"),
        ("search", SEARCH_WITH_RESULTS),
    ] {
        for (size_name, size, mobile) in [("phone", PHONE, true), ("desktop", DESKTOP, false)] {
            for dark in [false, true] {
                chrome.viewport(&tab, size, mobile);
                chrome.color_scheme(&tab, dark);
                open(&tab, &format!("{base}{page}"));
                if page == SEARCH_WITH_RESULTS {
                    wait_for_results(&tab);
                }
                let scheme = if dark { "dark" } else { "light" };
                let file = dir.join(format!("{name}-{size_name}-{scheme}.png"));
                chrome.full_page_screenshot(&tab, size, mobile, &file);
                taken.push(file);
            }
        }
    }
    chrome.viewport(&tab, DESKTOP, false);
    chrome.color_scheme(&tab, false);
    for (name, page) in [("brief", BRIEF), ("timeline", TIMELINE)] {
        open(&tab, &format!("{base}{page}"));
        chrome.media(&tab, "print", false);
        let file = dir.join(format!("{name}-print.png"));
        chrome.full_page_screenshot(&tab, DESKTOP, false, &file);
        taken.push(file);
        chrome.media(&tab, "", false);
    }

    tab.problems.assert_none("axe and screenshot pages");
    assert!(server.failures().is_empty(), "{:?}", server.failures());
    for file in &taken {
        let bytes = std::fs::read(file).expect("read screenshot");
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{} is not a real screenshot",
            file.display()
        );
    }
    eprintln!("browser: {} screenshots in {}", taken.len(), dir.display());
}

const BRIEF: &str = "briefs/kremlin-recovery-stages/index.html";
const TOPIC: &str = "topics/us-russia/index.html";
/// The sample site's draft brief, built only with `--drafts`.
const DRAFT: &str = "briefs/ceasefire-proposal-moscow/index.html";
/// The sample site's old addresses (aliases of a brief, two topics and a page) and the pages
/// now there.
const MOVED: [(&str, &str); 5] = [
    (
        "2025/03/iran-peaceful-resolution.html",
        "briefs/kremlin-iran-peaceful-settlement/index.html",
    ),
    (
        "briefs/iran-peaceful-resolution/index.html",
        "briefs/kremlin-iran-peaceful-settlement/index.html",
    ),
    ("topics/ukraine-war/index.html", "topics/ukraine/index.html"),
    ("ukraine/index.html", "topics/ukraine/index.html"),
    ("pages/sourcing/index.html", "pages/methodology/index.html"),
];
/// The sample site's brief with a lead image.
const LEAD_IMAGE: &str = "briefs/us-russia-contacts-timeline/index.html";
/// The site's timeline.
const TIMELINE: &str = "timeline/index.html";
/// One page of each main kind.
const KEY_PAGES: [(&str, &str); 16] = [
    ("front page", "index.html"),
    ("brief", BRIEF),
    ("brief with a lead image", LEAD_IMAGE),
    ("topic", TOPIC),
    ("person with a profile", "people/dmitry-peskov/index.html"),
    (
        "organization with a profile",
        "organizations/un-security-council/index.html",
    ),
    ("archive", "archive/index.html"),
    ("author", "authors/marta-kowalczyk/index.html"),
    ("authors", "authors/index.html"),
    ("timeline", TIMELINE),
    ("topic's timeline", "timeline/us-russia/index.html"),
    ("sources", "sources/index.html"),
    // The Russian tree.
    ("Russian front page", "ru/index.html"),
    ("Russian brief", "ru/briefs/riyadh-talks/index.html"),
    ("Russian topic", "ru/topics/ukraine/index.html"),
    ("Russian about page", "ru/pages/about/index.html"),
];

/// Loads each URL in a frame `width` px wide and lists those whose content is wider.
const SWEEP_JS: &str = "async (urls, width) => { const wide = []; \
  for (const url of urls) { \
    const frame = document.createElement('iframe'); \
    frame.style.cssText = `position:absolute;left:0;top:0;border:0;width:${width}px;height:640px`; \
    await new Promise(done => { frame.onload = done; frame.src = url; document.body.append(frame); }); \
    const images = [...frame.contentDocument.images]; \
    images.forEach(i => { i.loading = 'eager'; }); \
    await Promise.all(images.map(i => i.complete ? null : new Promise(done => { \
      i.addEventListener('load', done); i.addEventListener('error', done); }))); \
    const root = frame.contentDocument.documentElement; \
    if (root.scrollWidth > root.clientWidth) wide.push(`${url}: content ${root.scrollWidth} px wide`); \
    frame.remove(); } \
  return JSON.stringify(wide); }";

// ---- The reader's path ------------------------------------------------------------------------

/// Front page → topic → brief → person → a brief of theirs → related → previous → next, each a
/// click, each page checked. Returns the URLs visited.
fn reader_path(tab: &Watched, start: &str, base: &str) -> Vec<String> {
    let mut visited = Vec::new();
    open(tab, start);
    check_page(tab, base, "index.html");
    visited.push(tab.url());
    let steps: [(&str, &str); 7] = [
        (".topic-grid a", "topics/"),
        (".timeline .card-title a", "briefs/"),
        (".facts dd a[href*='people/']", "people/"),
        (".timeline .card-title a", "briefs/"),
        (".related a", "briefs/"),
        (".topic-nav a[rel=prev]", "briefs/"),
        (".topic-nav a[rel=next]", "briefs/"),
    ];
    for (selector, expect) in steps {
        let from = tab.url();
        click(tab, selector);
        let to = tab.url();
        let rel = to
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("clicking {selector} on {from} left the site for {to}"));
        assert!(
            rel.starts_with(expect) && rel.ends_with("index.html"),
            "clicking {selector} on {from} led to {to}, not a {expect} page"
        );
        check_page(tab, base, rel);
        visited.push(to);
    }
    // The browser's back button works too, and lands where the reader came from.
    // Deferred, so the evaluation returns before the navigation starts: going back at once can
    // close the evaluation's context under load ("Inspected target navigated or closed").
    tab.tab
        .evaluate("setTimeout(() => history.back(), 0)", false)
        .expect("history.back()");
    let previous = &visited[visited.len() - 2];
    wait_for(tab, "the page after going back", |s| {
        &s.href == previous && s.ready
    });
    tab.problems.assert_none("the reader's path");
    visited
}

/// The page is a complete page of this site: styled, titled, one `h1`, the main navigation,
/// and nothing wider than the screen.
pub(crate) fn check_page(tab: &Watched, base: &str, rel: &str) {
    let s = state(tab);
    let url = &s.href;
    assert_eq!(url, &format!("{base}{rel}"), "unexpected page");
    assert_eq!(s.measure, "42rem", "{url}: the stylesheet did not load");
    assert_eq!(s.h1, 1, "{url}: h1 count");
    assert!(!s.title.is_empty(), "{url}: no title");
    assert!(s.nav >= 5, "{url}: no main navigation");
    assert!(
        s.scroll_width <= s.client_width,
        "{url}: scrolls sideways: content {} px wide in a {} px viewport; widest: {}",
        s.scroll_width,
        s.client_width,
        s.widest
    );
}

// ---- Browser plumbing -------------------------------------------------------------------------

/// A headless Chromium with a fresh profile, closed when dropped.
pub(crate) struct Chrome {
    browser: Browser,
    _profile: TempDir,
}

/// A tab, with what went wrong in it so far.
pub(crate) struct Watched {
    tab: Arc<Tab>,
    pub(crate) problems: Problems,
}

impl Watched {
    pub(crate) fn url(&self) -> String {
        string(self, "location.href")
    }
}

impl Chrome {
    pub(crate) fn launch() -> Chrome {
        let path = chromium();
        let profile = TempDir::new().expect("create a Chromium profile folder");
        let args: Vec<&OsStr> = [
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--hide-scrollbars",
            "--mute-audio",
        ]
        .iter()
        .map(OsStr::new)
        .collect();
        let options = LaunchOptions::default_builder()
            .path(Some(path.clone()))
            .headless(true)
            .sandbox(false)
            .enable_gpu(false)
            .user_data_dir(Some(profile.path().to_path_buf()))
            .window_size(Some(DESKTOP))
            .idle_browser_timeout(Duration::from_secs(600))
            .args(args)
            .build()
            .expect("Chromium launch options");
        let browser = Browser::new(options)
            .unwrap_or_else(|e| panic!("could not start {}: {e:#}", path.display()));
        Chrome {
            browser,
            _profile: profile,
        }
    }

    pub(crate) fn tab(&self, size: (u32, u32), mobile: bool) -> Watched {
        let tab = self.browser.new_tab().expect("open a tab");
        tab.set_default_timeout(PATIENCE);
        let problems = Problems::default();
        problems.watch(&tab);
        self.viewport(&tab, size, mobile);
        Watched { tab, problems }
    }

    pub(crate) fn viewport(&self, tab: &Tab, (width, height): (u32, u32), mobile: bool) {
        tab.call_method(Emulation::SetDeviceMetricsOverride {
            width,
            height,
            device_scale_factor: 1.0,
            mobile,
            scale: None,
            screen_width: None,
            screen_height: None,
            position_x: None,
            position_y: None,
            dont_set_visible_size: None,
            screen_orientation: None,
            viewport: None,
            display_feature: None,
            device_posture: None,
        })
        .expect("Emulation.setDeviceMetricsOverride");
    }

    pub(crate) fn color_scheme(&self, tab: &Tab, dark: bool) {
        self.media(tab, "", dark);
    }

    /// Emulates a media type (`print`, or `""` for the screen) and colour scheme.
    pub(crate) fn media(&self, tab: &Tab, media: &str, dark: bool) {
        tab.call_method(Emulation::SetEmulatedMedia {
            media: Some(media.to_string()),
            features: Some(vec![Emulation::MediaFeature {
                name: "prefers-color-scheme".into(),
                value: if dark { "dark" } else { "light" }.into(),
            }]),
        })
        .expect("Emulation.setEmulatedMedia");
    }

    /// The whole page, by making the viewport as tall as the document for the capture.
    pub(crate) fn full_page_screenshot(
        &self,
        tab: &Watched,
        size: (u32, u32),
        mobile: bool,
        file: &Path,
    ) {
        let height = number(
            tab,
            "Math.ceil(document.documentElement.getBoundingClientRect().height)",
        )
        .clamp(u64::from(size.1), 12_000);
        self.viewport(tab, (size.0, height as u32), mobile);
        let png = tab
            .tab
            .capture_screenshot(
                headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
                None,
                None,
                true,
            )
            .expect("capture a screenshot");
        std::fs::write(file, png).expect("write the screenshot");
        self.viewport(tab, size, mobile);
    }
}

/// Console errors, uncaught exceptions and failed requests seen in a tab.
#[derive(Clone, Default)]
pub(crate) struct Problems {
    seen: Arc<Mutex<Vec<String>>>,
    urls: Arc<Mutex<HashMap<String, String>>>,
}

impl Problems {
    fn watch(&self, tab: &Arc<Tab>) {
        if std::env::var_os("NO_LOG").is_none() {
            tab.enable_log().expect("Log.enable");
            tab.enable_runtime().expect("Runtime.enable");
        }
        if std::env::var_os("NO_NET").is_none() {
            tab.call_method(Network::Enable {
                max_total_buffer_size: None,
                max_resource_buffer_size: None,
                max_post_data_size: None,
                report_direct_socket_traffic: None,
                enable_durable_messages: None,
            })
            .expect("Network.enable");
        }
        let this = self.clone();
        tab.add_event_listener(Arc::new(move |event: &Event| this.on_event(event)))
            .expect("listen to the tab");
    }

    fn on_event(&self, event: &Event) {
        let problem = match event {
            Event::LogEntryAdded(e) if e.params.entry.level == Log::LogEntryLevel::Error => {
                let entry = &e.params.entry;
                Some(format!(
                    "console error: {} ({})",
                    entry.text,
                    entry.url.as_deref().unwrap_or("no url")
                ))
            }
            Event::RuntimeConsoleAPICalled(e)
                if matches!(
                    e.params.Type,
                    Runtime::ConsoleAPICalledEventTypeOption::Error
                        | Runtime::ConsoleAPICalledEventTypeOption::Assert
                ) =>
            {
                let args: Vec<String> = e
                    .params
                    .args
                    .iter()
                    .map(|a| match &a.value {
                        Some(v) => v.to_string(),
                        None => a.description.clone().unwrap_or_default(),
                    })
                    .collect();
                Some(format!("console.error: {}", args.join(" ")))
            }
            Event::RuntimeExceptionThrown(e) => {
                let d = &e.params.exception_details;
                Some(format!(
                    "uncaught exception: {} {} ({})",
                    d.text,
                    d.exception
                        .as_ref()
                        .and_then(|x| x.description.clone())
                        .unwrap_or_default(),
                    d.url.as_deref().unwrap_or("no url")
                ))
            }
            Event::NetworkRequestWillBeSent(e) => {
                self.urls
                    .lock()
                    .expect("urls")
                    .insert(e.params.request_id.clone(), e.params.request.url.clone());
                None
            }
            Event::NetworkLoadingFailed(e) => {
                let url = self
                    .urls
                    .lock()
                    .expect("urls")
                    .get(&e.params.request_id)
                    .cloned()
                    .unwrap_or_default();
                Some(format!(
                    "request failed: {url}: {}{}",
                    e.params.error_text,
                    e.params
                        .blocked_reason
                        .as_ref()
                        .map(|r| format!(" (blocked: {r:?})"))
                        .unwrap_or_default()
                ))
            }
            Event::NetworkResponseReceived(e) if e.params.response.status >= 400 => Some(format!(
                "HTTP {} for {}",
                e.params.response.status, e.params.response.url
            )),
            _ => None,
        };
        if let Some(p) = problem {
            self.seen.lock().expect("problems").push(p);
        }
    }

    /// Everything reported so far.
    pub(crate) fn list(&self) -> Vec<String> {
        self.seen.lock().expect("problems").clone()
    }

    #[track_caller]
    pub(crate) fn assert_none(&self, what: &str) {
        self.assert_none_but(what, &[]);
    }

    /// As [`Problems::assert_none`], letting through the problems that contain one of `benign`.
    #[track_caller]
    pub(crate) fn assert_none_but(&self, what: &str, benign: &[&str]) {
        let mut seen = self.seen.lock().expect("problems").clone();
        seen.retain(|p| !benign.iter().any(|b| p.contains(b)));
        assert!(
            seen.is_empty(),
            "{what}: the browser reported {} problem(s):\n{}",
            seen.len(),
            seen.join("\n")
        );
    }
}

impl std::ops::Deref for Watched {
    type Target = Tab;
    fn deref(&self) -> &Tab {
        &self.tab
    }
}

/// Debian's Chromium; the tests fail, saying what to install, without it.
fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("BRIEFING_CHROMIUM") {
        return PathBuf::from(path);
    }
    let candidates = ["chromium", "chromium-browser", "google-chrome"];
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in candidates {
            let file = dir.join(name);
            if file.is_file() {
                return file;
            }
        }
    }
    panic!(
        "Chromium is not installed, and the browser tests need it (they never download one). \
         Run the tests with scripts/test.sh, which installs it; or on Debian or Ubuntu: \
         `apt-get install -y chromium chromium-driver`; or point BRIEFING_CHROMIUM at a \
         Chromium or Chrome binary."
    )
}

/// What one evaluation tells about the page in a tab.
#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PageState {
    pub(crate) href: String,
    pub(crate) ready: bool,
    /// Not the document `open` navigated away from.
    pub(crate) fresh: bool,
    measure: String,
    h1: u64,
    title: String,
    nav: u64,
    pub(crate) scroll_width: u64,
    pub(crate) client_width: u64,
    pub(crate) widest: String,
}

/// Every DevTools call costs a round trip, so one evaluation gathers all a check needs.
const STATE_JS: &str = "JSON.stringify({ href: location.href, \
  ready: document.readyState === 'complete', fresh: !window.__briefingLeft, \
  measure: getComputedStyle(document.documentElement).getPropertyValue('--measure').trim(), \
  h1: document.querySelectorAll('h1').length, title: document.title, \
  nav: document.querySelectorAll('.site-nav a').length, \
  scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, \
  widest: (() => { let w = null, r = 0; \
    for (const e of document.querySelectorAll('body *')) { const x = e.getBoundingClientRect().right; if (x > r) { r = x; w = e; } } \
    return w ? `<${w.tagName.toLowerCase()} class=\"${w.className}\"> ends at ${Math.round(r)} px` : 'none'; })() })";

pub(crate) fn state(tab: &Tab) -> PageState {
    serde_json::from_str(&string(tab, STATE_JS)).expect("page state")
}

/// Navigates and waits until the page has loaded.
pub(crate) fn open(tab: &Watched, url: &str) {
    // Mark the page being left, so that reopening the same URL waits for the new document.
    evaluate(tab, "window.__briefingLeft = true");
    tab.navigate_to(url)
        .unwrap_or_else(|e| panic!("open {url}: {e:#}"));
    wait_for(tab, url, |s| s.href == url && s.ready && s.fresh);
}

/// Clicks, with the mouse, the first element matching `selector`, and waits for the page it
/// leads to.
pub(crate) fn click(tab: &Watched, selector: &str) {
    let target = string(
        tab,
        &format!(
            "(() => {{ const e = document.querySelector({sel}); if (!e) return 'null'; \
             e.scrollIntoView({{ block: 'center' }}); const r = e.getBoundingClientRect(); \
             const x = r.left + Math.min(r.width / 2, 20), y = r.top + Math.min(r.height / 2, 10); \
             const hit = document.elementFromPoint(x, y); \
             return JSON.stringify({{ x, y, from: location.href, hit: !!hit && e.contains(hit), what: hit ? hit.outerHTML.slice(0, 120) : 'nothing' }}); }})()",
            sel = serde_json::to_string(selector).expect("JSON")
        ),
    );
    let target: serde_json::Value = serde_json::from_str(&target).expect("JSON");
    let from = target["from"].as_str().unwrap_or_default().to_string();
    assert!(
        !target.is_null(),
        "{}: nothing matches {selector}",
        tab.url()
    );
    assert!(
        target["hit"].as_bool() == Some(true),
        "{from}: {selector} is covered by {} where a reader would click it",
        target["what"]
    );
    let point = headless_chrome::browser::tab::point::Point {
        x: target["x"].as_f64().expect("x"),
        y: target["y"].as_f64().expect("y"),
    };
    tab.click_point(point)
        .unwrap_or_else(|e| panic!("{from}: click {selector}: {e:#}"));
    wait_for(tab, &format!("the page behind {selector} on {from}"), |s| {
        s.href != from && s.ready
    });
}

/// Polls until `done`, failing after [`PATIENCE`] (a hang, not a timing assertion).
pub(crate) fn wait_for(tab: &Watched, what: &str, done: impl Fn(&PageState) -> bool) {
    let start = Instant::now();
    loop {
        let s = tab
            .evaluate(STATE_JS, false)
            .ok()
            .and_then(|r| r.value)
            .and_then(|v| serde_json::from_str::<PageState>(v.as_str()?).ok());
        if s.as_ref().is_some_and(&done) {
            return;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "gave up waiting for {what} (now at {:?})",
            s.map(|s| s.href)
        );
        thread::sleep(Duration::from_millis(25));
    }
}

/// Polls `js` until it gives something other than `null`, `false`, `0` or `""`, and returns
/// that; fails after [`PATIENCE`] (a hang, not a timing assertion).
pub(crate) fn wait_until(tab: &Watched, what: &str, js: &str) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let value = tab
            .evaluate(js, false)
            .ok()
            .and_then(|r| r.value)
            .unwrap_or(serde_json::Value::Null);
        let done = match &value {
            serde_json::Value::Null | serde_json::Value::Bool(false) => false,
            serde_json::Value::String(s) => !s.is_empty(),
            serde_json::Value::Number(n) => n.as_f64() != Some(0.0),
            _ => true,
        };
        if done {
            return value;
        }
        if start.elapsed() > PATIENCE {
            let probe = tab.evaluate(r#"(async () => {
                const names = ['5a42cf5','5f8f818','6149a5f','6e68a3c','89383f3','b6cf114','cdbe6d4','e2a6206','f0c95c3'];
                const urls = names.map(n => new URL('../pagefind/filter/en_' + n + '.pf_filter?x=' + Math.random(), location.href).href);
                const src = 'onmessage = async (e) => { const t = Date.now(); const out = await Promise.all(e.data.map(u => fetch(u).then(r => r.arrayBuffer()).then(b => b.byteLength, err => String(err)))); postMessage(out.join(",") + " in " + (Date.now() - t)); };';
                const w = new Worker(URL.createObjectURL(new Blob([src], {type: 'text/javascript'})));
                const fromWorker = await new Promise(res => { w.onmessage = e => res(e.data); w.onerror = e => res('error ' + e.message); w.postMessage(urls); setTimeout(() => res('worker fetches stuck'), 10000); });
                const t = Date.now();
                const fromMain = await Promise.race([Promise.all(urls.map(u => fetch(u + 'm').then(r => r.arrayBuffer()).then(b => b.byteLength))).then(x => x.join(',') + ' in ' + (Date.now() - t)), new Promise(r => setTimeout(() => r('main fetches stuck'), 10000))]);
                return 'worker: ' + fromWorker + '; main: ' + fromMain; })()"#, true).ok().and_then(|r| r.value);
            eprintln!("PROBE: {probe:?}");
            if std::env::var_os("HOLD").is_some() {
                std::fs::write("/tmp/cdp/hold", "1").unwrap();
                thread::sleep(Duration::from_secs(150));
            }
            let page = tab
                .evaluate(
                    "location.href + ' ' + document.visibilityState + ' ' + performance.now() + '\\n' + JSON.stringify(performance.getEntriesByType('resource').map(e => [e.name.slice(-40), Math.round(e.startTime), Math.round(e.duration)])) + (document.querySelector('main') || document.body).innerText.slice(0, 300)",
                    false,
                )
                .ok()
                .and_then(|r| r.value);
            panic!("gave up waiting for {what} ({js} gave {value}); the page:\n{page:?}");
        }
        thread::sleep(Duration::from_millis(25));
    }
}

pub(crate) fn evaluate(tab: &Tab, js: &str) -> serde_json::Value {
    // A navigation may briefly leave no document to evaluate in; try again.
    let start = Instant::now();
    loop {
        match tab.evaluate(js, false) {
            Ok(r) => return r.value.unwrap_or(serde_json::Value::Null),
            Err(e) if start.elapsed() > PATIENCE => panic!("evaluate {js}: {e:#}"),
            Err(_) => thread::sleep(Duration::from_millis(25)),
        }
    }
}

pub(crate) fn string(tab: &Tab, js: &str) -> String {
    match evaluate(tab, js) {
        serde_json::Value::String(s) => s,
        other => panic!("{js} gave {other}, not a string"),
    }
}

pub(crate) fn number(tab: &Tab, js: &str) -> u64 {
    evaluate(tab, js)
        .as_f64()
        .unwrap_or_else(|| panic!("{js} is not a number")) as u64
}

/// Injects axe-core and runs it; each violation as `rule (impact): help — targets`.
pub(crate) fn run_axe(tab: &Watched, axe_source: &str) -> Vec<String> {
    tab.evaluate(axe_source, false).expect("inject axe-core");
    let result = tab
        .evaluate(
            "axe.run(document, { resultTypes: ['violations'] }).then(r => JSON.stringify({ \
               passes: r.passes.length, \
               violations: r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${ \
                 v.nodes.slice(0, 5).map(n => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\\s+/g, ' ') + ']' : '')).join('; ')}`) }))",
            true,
        )
        .expect("run axe-core");
    let text = result
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("axe.run gave no result: {:?}", result.description));
    let report: serde_json::Value = serde_json::from_str(&text).expect("axe report is JSON");
    assert!(
        report["passes"].as_u64().unwrap_or(0) > 10,
        "axe-core checked almost nothing: {text}"
    );
    report["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

// ---- The site and its server --------------------------------------------------------------------

/// The sample site, built into a temporary folder.
pub(crate) struct SampleSite {
    _tmp: TempDir,
    pub(crate) out: PathBuf,
}

impl SampleSite {
    pub(crate) fn build() -> SampleSite {
        Self::build_with(&[])
    }

    pub(crate) fn build_with(args: &[&str]) -> SampleSite {
        let tmp = TempDir::new().expect("create a temporary folder");
        let out = tmp.path().join("public");
        let run = briefing()
            .args(["build", "--quiet", "--root"])
            .arg(repo_root())
            .arg("--output")
            .arg(&out)
            .args(args)
            .output()
            .expect("run briefing build");
        assert!(
            run.status.success(),
            "briefing build of the sample site failed:\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
        SampleSite { _tmp: tmp, out }
    }
}

/// A static file server for the site under [`SUB`], on 127.0.0.1 and a random port.
///
/// One thread per connection, and every connection closed after one response, like a plain
/// static host. (tiny_http was used here before; its connection pool can leave a new
/// connection unserved while its threads hold keep-alive connections open, and the search
/// page's burst of parallel requests for index files then hung until some other request came.)
pub(crate) struct Server {
    pub(crate) origin: String,
    address: std::net::SocketAddr,
    stop: Arc<std::sync::atomic::AtomicBool>,
    log: Arc<Mutex<Vec<(String, u16)>>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Server {
    pub(crate) fn start(root: &Path) -> Server {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
        let address = listener.local_addr().expect("the bound address");
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, log, root) = (stop.clone(), log.clone(), root.to_path_buf());
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(std::sync::atomic::Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (log, root) = (log.clone(), root.clone());
                    thread::spawn(move || answer(stream, &root, &log));
                }
            })
        };
        Server {
            origin: format!("http://{address}"),
            address,
            stop,
            log,
            thread: Some(thread),
        }
    }

    pub(crate) fn requests(&self) -> Vec<String> {
        self.log
            .lock()
            .expect("log")
            .iter()
            .map(|(p, _)| p.clone())
            .collect()
    }

    pub(crate) fn failures(&self) -> Vec<String> {
        self.log
            .lock()
            .expect("log")
            .iter()
            .filter(|(_, s)| *s >= 400)
            .map(|(p, s)| format!("{s} {p}"))
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        // Wakes the accepting thread so that it sees the flag.
        let _ = std::net::TcpStream::connect(self.address);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads one request from `stream`, answers it with the file under `root` and closes.
fn answer(stream: std::net::TcpStream, root: &Path, log: &Mutex<Vec<(String, u16)>>) {
    use std::io::{BufRead, BufReader, Write};
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return; // The waking connection of `Drop`, or a client that went away.
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    // The headers, up to the blank line; none of them matters here.
    let mut header = String::new();
    while reader.read_line(&mut header).unwrap_or(0) > 2 {
        header.clear();
    }
    let path = target.split(['?', '#']).next().unwrap_or("").to_string();
    let (status, reason, body, kind) = match serve(root, &path) {
        Some((body, kind)) => (200, "OK", body, kind),
        None => (
            404,
            "Not Found",
            b"not found".to_vec(),
            "text/plain; charset=utf-8",
        ),
    };
    log.lock().expect("log").push((path, status));
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let mut out = &stream;
    // A client that went away is not the server's problem.
    let _ = out.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = out.write_all(&body);
    }
    let _ = out.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// The file behind a request path under [`SUB`], with its content type.
fn serve(root: &Path, path: &str) -> Option<(Vec<u8>, &'static str)> {
    let rel = path.strip_prefix(SUB)?;
    let rel = percent_encoding::percent_decode_str(rel)
        .decode_utf8()
        .ok()?;
    let file = root.join(normalize(Path::new(rel.as_ref()))?);
    // A folder or a missing file is a 404, as on a static host without directory indexes.
    let body = std::fs::read(&file).ok()?;
    let kind = match file.extension().and_then(OsStr::to_str) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("xml") => "application/atom+xml",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        // Pagefind's index, its metadata and its WebAssembly, which it fetches as bytes.
        Some("pf_meta" | "pf_index" | "pf_fragment" | "pf_filter" | "pagefind") => {
            "application/octet-stream"
        }
        _ => "application/octet-stream",
    };
    Some((body, kind))
}
