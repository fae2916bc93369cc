//! `briefing serve`, driven as a user would: the real binary on a copy of a fixture site, on a
//! free port (`--port 0`, the URL read from what it prints), with edits made on disk the way
//! editors make them, and the served pages and the live-reload event stream read over plain
//! HTTP/1.1 on a `TcpStream`.
//!
//! Every wait polls until a deadline ([`PATIENCE`]); the deadline only turns a hang into a
//! failure, and nothing here asserts how fast a rebuild is. The browser test (the 2 s from save
//! to page) is in [`browser`](self::browser_reload).

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::util::{Site, attrs, briefing, texts};

/// How long any one condition may take before the test fails (a hang, not a timing assertion).
const PATIENCE: Duration = Duration::from_secs(10);
const BRIEF: &str = "content/briefs/2025/03/2025-03-12-talks-resume.md";
const BRIEF_URL: &str = "/briefs/talks-resume/";

// ---- Tests ----------------------------------------------------------------------------------

/// An editor that saves by writing a temporary file and renaming it over the brief.
#[test]
fn atomic_save_is_served_and_announced() {
    let site = Site::copy_of("basic");
    let server = Served::start(&site);
    let events = server.events();
    events.next("hello", |_| true);

    let text = site
        .read(BRIEF)
        .replace("Negotiators met again", "Negotiators met once more");
    let tmp = site.path("content/briefs/2025/03/.2025-03-12-talks-resume.md.swp");
    std::fs::write(&tmp, text).expect("write the temp file");
    std::fs::rename(&tmp, site.path(BRIEF)).expect("rename over the brief");

    let reload = events.next("reload", |d| d.contains("briefs/talks-resume/index.html"));
    let data: serde_json::Value = serde_json::from_str(&reload).expect("JSON event");
    for key in ["written", "removed", "moved"] {
        assert!(data[key].is_array(), "{key} missing from {reload}");
    }
    server.wait_until("the page shows the saved text", || {
        server
            .get(BRIEF_URL)
            .body
            .contains("Negotiators met once more")
    });
    server.wait_until("a Rebuilt line", || server.log().contains("Rebuilt: "));
}

/// A new brief shows on its own page, its topic's page and its person's page.
#[test]
fn a_new_brief_appears_on_its_topic_and_person_pages() {
    let site = Site::copy_of("basic");
    let server = Served::start(&site);
    site.write(
        "content/briefs/2025/04/2025-04-01-new-pipeline-deal.md",
        "---\ntitle: A new pipeline deal\ndate: 2025-04-01\ntopics: [energy]\n\
         people: [Ada Newcomer]\n---\nSigned today.\n",
    );
    for page in [
        "/briefs/new-pipeline-deal/",
        "/topics/energy/",
        "/people/ada-newcomer/",
        "/",
    ] {
        server.wait_until(&format!("{page} lists the new brief"), || {
            let r = server.get(page);
            r.status == 200 && r.body.contains("A new pipeline deal")
        });
    }
}

/// A deleted brief's page is gone (the site's 404 page, status 404), and nothing links to it.
#[test]
fn a_deleted_brief_disappears_everywhere() {
    let site = Site::copy_of("basic");
    let server = Served::start(&site);
    assert!(
        server
            .crawl()
            .iter()
            .any(|(_, b)| b.contains("briefs/talks-resume/"))
    );
    site.remove(BRIEF);
    server.wait_until("the brief's page is 404", || {
        server.get(BRIEF_URL).status == 404
    });
    let gone = server.get(BRIEF_URL);
    assert!(
        gone.body.contains("<title>"),
        "not the site's 404 page:\n{}",
        gone.body
    );
    let pages = server.crawl();
    assert!(
        pages.len() > 20,
        "crawled too few pages: {:?}",
        pages.keys()
    );
    for (url, body) in &pages {
        assert!(
            !body.contains("briefs/talks-resume/"),
            "{url} still links to the deleted brief"
        );
    }
}

/// A burst of saves ends with the last one served; a new folder's brief appears, a renamed
/// folder keeps it (folders carry no meaning), and deleting the folder takes it away.
#[test]
fn bursts_of_saves_and_folder_changes_are_picked_up() {
    let site = Site::copy_of("basic");
    let server = Served::start(&site);
    let good = site.read(BRIEF);
    for i in 0..30 {
        site.write(
            BRIEF,
            good.replace("met again", &format!("met burst {i:02}")),
        );
    }
    server.wait_until("the last save of the burst", || {
        server.get(BRIEF_URL).body.contains("met burst 29")
    });

    let note = "/briefs/extra-note/";
    site.write(
        "content/briefs/extra/deep/2025-04-02-extra-note.md",
        "---\ntitle: Extra note\ndate: 2025-04-02\ntopics: [energy]\n---\nA note.\n",
    );
    server.wait_until("the brief in a new folder", || {
        server.get(note).status == 200
    });
    let rebuilds = || server.log().matches("Rebuilt: ").count();
    let before = rebuilds();
    std::fs::rename(
        site.path("content/briefs/extra"),
        site.path("content/briefs/moved"),
    )
    .expect("rename the folder");
    server.wait_until("a rebuild after the folder rename", || rebuilds() > before);
    // A rename can reach the watcher as a removal and an addition in two batches: the brief is
    // served again once both are in.
    server.wait_until("the brief in the renamed folder", || {
        server.get(note).status == 200
    });

    std::fs::remove_dir_all(site.path("content/briefs/moved")).expect("remove the folder");
    server.wait_until("the folder's brief is gone", || {
        server.get(note).status == 404
    });
}

/// A site template, in a `templates/` folder created while serving, then edited.
#[test]
fn template_edits_show_on_pages() {
    let site = Site::copy_of("basic");
    let server = Served::start(&site);
    let base = std::fs::read_to_string(crate::util::repo_root().join("templates/base.html"))
        .expect("the built-in base template");
    let marked = |mark: &str| {
        base.replacen(
            "<footer class=\"site-footer\">",
            &format!("<footer class=\"site-footer\"><p>{mark}</p>"),
            1,
        )
    };
    site.write("templates/base.html", marked("Template mark one"));
    for page in ["/", BRIEF_URL, "/topics/"] {
        server.wait_until(&format!("{page} uses the new template"), || {
            server.get(page).body.contains("Template mark one")
        });
    }
    site.write("templates/base.html", marked("Template mark two"));
    server.wait_until("the edited template is used", || {
        server.get(BRIEF_URL).body.contains("Template mark two")
    });
}

/// A new title in `site.toml` reaches every page.
#[test]
fn site_toml_edits_show_on_every_page() {
    let site = Site::copy_of("basic");
    let server = Served::start(&site);
    let events = server.events();
    events.next("hello", |_| true);
    site.edit(
        "site.toml",
        "title = \"Fixture Desk\"",
        "title = \"Renamed Desk\"",
    );
    // Pages are rewritten one by one; the event says the rebuild is complete.
    events.next("reload", |_| true);
    let pages = server.crawl();
    for (url, body) in pages.iter().filter(|(u, _)| !u.ends_with(".xml")) {
        assert_eq!(
            texts(body, ".site-title"),
            ["Renamed Desk"],
            "{url} lacks the new title"
        );
    }
}

/// Broken front matter: an error event with file and line, the diagnostic `build` prints, the
/// old page still served, the overlay for newcomers; fixing it reloads.
#[test]
fn broken_front_matter_is_reported_and_recovered_from() {
    let site = Site::copy_of("basic");
    let server = Served::start(&site);
    let events = server.events();
    events.next("hello", |_| true);
    let good = site.read(BRIEF);

    site.edit(BRIEF, "date: 2025-03-12", "date: 2025-13-45");
    let error = events.next("build-error", |_| true);
    let data: serde_json::Value = serde_json::from_str(&error).expect("JSON event");
    let first = &data["errors"][0];
    assert_eq!(first["path"], BRIEF, "{error}");
    assert_eq!(first["line"], 3, "{error}");
    assert!(
        first["text"]
            .as_str()
            .is_some_and(|t| t.contains(&format!("{BRIEF}:3"))),
        "{error}"
    );
    // The terminal shows what `build` would.
    let check = site.check(&[]);
    check.failure();
    server.wait_until("the diagnostic in the terminal", || {
        server.log().contains(&check.diagnostics())
    });
    // The last good page is still served, and a page connecting now sees the errors.
    let page = server.get(BRIEF_URL);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Negotiators met again"));
    let late = server.events();
    let hello = late.next("hello", |_| true);
    assert!(hello.contains("2025-03-12-talks-resume.md"), "{hello}");

    site.write(BRIEF, good.replace("met again", "met for real"));
    events.next("reload", |_| true);
    server.wait_until("the fixed page", || {
        server.get(BRIEF_URL).body.contains("met for real")
    });
}

/// A site broken from the start: every page request shows the errors; fixing it serves the site.
#[test]
fn a_site_broken_from_the_start_recovers() {
    let site = Site::copy_of("basic");
    site.edit(BRIEF, "date: 2025-03-12", "date: yesterday");
    let server = Served::start(&site);
    let page = server.get("/");
    assert_eq!(page.status, 503);
    assert!(page.body.contains("/__briefing/live.js"), "{}", page.body);
    let events = server.events();
    let hello = events.next("hello", |_| true);
    assert!(hello.contains("2025-03-12-talks-resume.md"), "{hello}");
    site.edit(BRIEF, "date: yesterday", "date: 2025-03-12");
    events.next("reload", |_| true);
    assert!(server.get("/").body.contains("Fixture Desk"));
}

/// What the server answers: only the site, with the right types, folders and 404s; and the
/// live-reload script never reaches `build` output.
#[test]
fn only_the_site_is_served_with_the_right_types() {
    let site = Site::copy_of("basic");
    let server = Served::start(&site);
    for bad in [
        "/../site.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2fsite.toml",
        "/briefs\\..\\..\\site.toml",
        "/briefs/%2e%2e/%2e%2e/site.toml",
        "/index.html%00",
    ] {
        let r = server.get(bad);
        assert!(
            r.status == 400 || r.status == 404,
            "{bad} answered {}",
            r.status
        );
        assert!(
            !r.body.contains("Fixture Desk\"\n"),
            "{bad} leaked site.toml"
        );
        assert!(!r.body.contains("root:"), "{bad} leaked /etc/passwd");
    }

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    site.build_ok(&[]);
    let not_found = site.output("404.html");
    let before_script = not_found.rsplit_once("</body>").expect("</body>").0;
    assert!(
        missing.body.starts_with(before_script),
        "not the site's 404.html"
    );

    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/topics/", "text/html; charset=utf-8"),
        ("/topics/index.html", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml; charset=utf-8"),
        ("/images/map.svg", "image/svg+xml; charset=utf-8"),
        ("/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), kind, "{path}");
        assert_eq!(r.header("cache-control"), "no-store", "{path}");
    }
    assert_eq!(
        server.get("/topics/").body,
        server.get("/topics/index.html").body
    );
    let redirect = server.get("/topics");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), "/topics/");

    // The same page as `build` writes it, plus the script; `build` output has no script.
    let served = server.get("/topics/").body;
    let built = site.output("topics/index.html");
    assert_eq!(
        served.replacen(&script_tag(&served), "", 1),
        built,
        "the served page is the built one plus the script"
    );
    for file in crate::util::files_ending(&site.out, "") {
        let text = String::from_utf8_lossy(&std::fs::read(site.out.join(&file)).expect("read"))
            .into_owned();
        assert!(
            !text.contains("__briefing"),
            "build output {file} has serve's script"
        );
    }
    let script = server.get("/__briefing/live.js");
    assert_eq!(
        script.header("content-type"),
        "text/javascript; charset=utf-8"
    );
    assert!(script.body.contains("EventSource"));
}

/// A port given with `--port` that is taken is an error naming it; nothing falls back.
#[test]
fn a_busy_explicit_port_is_a_clear_error() {
    let site = Site::copy_of("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let run = crate::util::Run::of(
        briefing()
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(&site.root),
    );
    run.failure()
        .stderr_has(&format!("port {port} is already in use"))
        .stderr_has("--port");
}

/// In a real browser (headless Chromium): a saved edit shows without any action within 2 s;
/// broken front matter brings up the overlay naming the file; fixing it brings the page back;
/// renaming the brief's file takes the page to the brief's new address.
#[test]
fn browser_reloads_shows_errors_and_follows_a_renamed_brief() {
    use crate::browser::{Chrome, DESKTOP, open, string};
    const REQUIREMENT: Duration = Duration::from_secs(2);
    let site = Site::copy_of("basic");
    let server = Served::start(&site);
    let chrome = Chrome::launch();
    let tab = chrome.tab(DESKTOP, false);
    open(&tab, &format!("{}{BRIEF_URL}", server.origin));
    let text_of = |js: &str| {
        string(
            &tab,
            &format!("(() => {{ try {{ return String({js}); }} catch (e) {{ return ''; }} }})()"),
        )
    };
    let body_has = |needle: &str| text_of("document.body.innerText").contains(needle);
    // Polls the page until `done`, returning how long it took.
    let poll = |what: &str, done: &dyn Fn() -> bool| -> Duration {
        let start = Instant::now();
        while !done() {
            assert!(
                start.elapsed() < PATIENCE,
                "gave up waiting for {what} (page at {}; browser problems: {:?}); serve printed:\n{}",
                text_of("location.href"),
                tab.problems.list(),
                server.log()
            );
            thread::sleep(Duration::from_millis(10));
        }
        start.elapsed()
    };
    // The script has connected, so the first edit is a live one.
    poll("the event stream", &|| {
        !text_of("window.__briefingLive || ''").is_empty()
    });

    let good = site.read(BRIEF);
    site.write(BRIEF, good.replace("met again", "met in the browser"));
    let took = poll("the edit in the page", &|| body_has("met in the browser"));
    eprintln!(
        "serve: the saved edit was on screen {} ms after the save",
        took.as_millis()
    );
    assert!(
        took < REQUIREMENT,
        "the edit took {took:?} to show (at most {REQUIREMENT:?})"
    );

    site.write(BRIEF, good.replace("date: 2025-03-12", "date: 2025-03-32"));
    let overlay = "document.getElementById('__briefing-overlay')";
    poll("the error overlay", &|| {
        text_of(&format!("{overlay}.textContent")).contains("2025-03-12-talks-resume.md")
    });
    assert_eq!(text_of(&format!("{overlay}.getAttribute('role')")), "alert");
    assert!(
        body_has("met in the browser"),
        "the last good page stays under the overlay"
    );

    site.write(BRIEF, good.replace("met again", "met after the fix"));
    poll("the fixed page without the overlay", &|| {
        text_of(&format!("{overlay} === null")) == "true" && body_has("met after the fix")
    });

    let renamed = "content/briefs/2025/03/2025-03-12-talks-restart.md";
    std::fs::rename(site.path(BRIEF), site.path(renamed)).expect("rename the brief");
    poll("the brief's new address", &|| {
        text_of("location.pathname") == "/briefs/talks-restart/" && body_has("met after the fix")
    });

    let exceptions: Vec<String> = tab
        .problems
        .list()
        .into_iter()
        .filter(|p| p.starts_with("uncaught exception"))
        .collect();
    assert!(exceptions.is_empty(), "the page threw: {exceptions:?}");
}

/// Without `--port`, a busy 1111 means the next free port, and serve says so.
#[test]
fn a_busy_default_port_moves_to_the_next_free_one() {
    let site = Site::copy_of("basic");
    // Taken here, or already taken by someone else: either way serve must move on.
    let _held = std::net::TcpListener::bind("127.0.0.1:1111");
    let server = Served::start_with(&site, &[]);
    let port: u16 = server
        .origin
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port in the URL");
    assert!((1112..=1131).contains(&port), "serving on {port}");
    assert!(
        server.log().contains("Port 1111 is busy; using port"),
        "{}",
        server.log()
    );
    assert_eq!(server.get("/").status, 200);
}

// ---- The server under test ------------------------------------------------------------------

/// A running `briefing serve`, killed when dropped.
pub(crate) struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT`, without the trailing slash.
    pub(crate) origin: String,
    addr: String,
    log: Arc<Mutex<String>>,
}

/// One HTTP response.
pub(crate) struct Reply {
    pub(crate) status: u16,
    headers: HashMap<String, String>,
    pub(crate) body: String,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }
}

impl Served {
    /// Starts `briefing serve --port 0` on the site and waits for the URL it prints.
    pub(crate) fn start(site: &Site) -> Served {
        Served::start_with(site, &["--port", "0"])
    }

    /// Starts `briefing serve ARGS… --root <root>` and waits for the URL it prints.
    pub(crate) fn start_with(site: &Site, args: &[&str]) -> Served {
        let mut child = briefing()
            .arg("serve")
            .args(args)
            .arg("--root")
            .arg(&site.root)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start briefing serve");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = channel();
        let sink = Arc::clone(&log);
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line
                    .strip_prefix("Serving ")
                    .and_then(|l| l.split(" at ").nth(1))
                    .and_then(|l| l.split(' ').next())
                {
                    let _ = tx.send(url.to_string());
                }
                let mut log = sink.lock().expect("log");
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut served = Served {
            child,
            origin: String::new(),
            addr: String::new(),
            log,
        };
        let url = rx
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("serve printed no URL:\n{}", served.log()));
        let origin = url.trim_end_matches('/').to_string();
        served.addr = origin
            .strip_prefix("http://")
            .expect("an http URL")
            .to_string();
        served.origin = origin;
        served
    }

    /// Everything the server printed so far.
    pub(crate) fn log(&self) -> String {
        self.log.lock().expect("log").clone()
    }

    /// GETs a raw request target, exactly as given.
    pub(crate) fn get(&self, target: &str) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).expect("connect to serve");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .expect("send the request");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read the response");
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line for {target}: {head:?}"));
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    /// Connects to the event stream.
    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(&self.addr).expect("connect to serve");
        write!(
            stream,
            "GET /__briefing/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        )
        .expect("send the request");
        let (tx, rx) = channel();
        thread::spawn(move || {
            let (mut name, mut data) = (String::new(), String::new());
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                } else if line.is_empty() && !name.is_empty() {
                    if tx.send((name.clone(), data.clone())).is_err() {
                        break;
                    }
                    name.clear();
                    data.clear();
                }
            }
        });
        Events { rx }
    }

    /// Polls `done` until it holds.
    #[track_caller]
    pub(crate) fn wait_until(&self, what: &str, done: impl Fn() -> bool) {
        let start = Instant::now();
        while !done() {
            assert!(
                start.elapsed() < PATIENCE,
                "gave up waiting for {what}; serve printed:\n{}",
                self.log()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Every HTML page reachable from `/` by links, plus the feed and sitemap: URL → body.
    fn crawl(&self) -> HashMap<String, String> {
        let mut seen: BTreeSet<String> =
            ["/".to_string(), "/feed.xml".into(), "/sitemap.xml".into()]
                .into_iter()
                .collect();
        let mut queue: Vec<String> = seen.iter().cloned().collect();
        let mut pages = HashMap::new();
        while let Some(url) = queue.pop() {
            let reply = self.get(&url);
            assert_eq!(
                reply.status, 200,
                "{url} is linked but answers {}",
                reply.status
            );
            if url.ends_with('/') || url.ends_with(".html") {
                for href in attrs(&reply.body, "a[href]", "href") {
                    if let Some(next) = join(&url, &href)
                        && seen.insert(next.clone())
                    {
                        queue.push(next);
                    }
                }
            }
            pages.insert(url, reply.body);
        }
        pages
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A link on the page at `base`, as a root-relative path, if it stays on the site.
fn join(base: &str, href: &str) -> Option<String> {
    if href.contains(':') || href.starts_with('#') || href.starts_with("//") {
        return None;
    }
    let href = href.split(['#', '?']).next().unwrap_or("");
    let dir = &base[..=base.rfind('/')?];
    let mut parts: Vec<&str> = Vec::new();
    let full = if href.starts_with('/') {
        href.to_string()
    } else {
        format!("{dir}{href}")
    };
    for seg in full.split('/').skip(1) {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    let path = format!("/{}", parts.join("/"));
    (path.ends_with('/') || path.ends_with(".html")).then_some(path)
}

/// The `<script …live.js…></script>` tag serve added to a page.
fn script_tag(page: &str) -> String {
    let start = page
        .rfind("<script src=\"/__briefing/")
        .expect("the live script");
    let end = start + page[start..].find("</script>").expect("its end") + "</script>".len();
    page[start..end].to_string()
}

/// The events of one connection to `/__briefing/events`.
struct Events {
    rx: Receiver<(String, String)>,
}

impl Events {
    /// Waits for the next event named `name` whose data satisfies `want`; returns its data.
    #[track_caller]
    fn next(&self, name: &str, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut skipped = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((n, data)) if n == name && want(&data) => return data,
                Ok((n, data)) => skipped.push(format!("{n}: {}", &data[..data.len().min(200)])),
                Err(_) => panic!("no {name} event came; got:\n{}", skipped.join("\n")),
            }
        }
    }
}
