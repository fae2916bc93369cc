//! `check --external` against a local HTTP server on 127.0.0.1 that plays every kind of host:
//! good, gone, refusing HEAD, failing once, slow, redirecting, busy. The server counts requests
//! (by method and path) and the most it ever had in flight, so the tests can see how many
//! requests were made and how politely. Every run gets its own cache folder (`--cache-dir`) and
//! no proxy settings; nothing here leaves the machine.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crate::util::{Run, Site, briefing, read_tree};

const BRIEF: &str = "content/briefs/2025-01-02-linked.md";

/// A test host: answers by path, counts what it was asked.
struct Server {
    origin: String,
    server: Arc<tiny_http::Server>,
    counts: Arc<Mutex<HashMap<(String, String), usize>>>,
    peak: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> Server {
        let server =
            Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind a port on 127.0.0.1"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let counts: Arc<Mutex<HashMap<(String, String), usize>>> = Arc::default();
        let peak = Arc::new(AtomicUsize::new(0));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let (srv, c, p) = (server.clone(), counts.clone(), peak.clone());
        thread::spawn(move || {
            for request in srv.incoming_requests() {
                let (counts, peak, in_flight) = (c.clone(), p.clone(), in_flight.clone());
                // One thread per request, so a slow answer holds up nothing else.
                thread::spawn(move || {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    let method = request.method().to_string();
                    let path = request.url().to_string();
                    let seen = {
                        let mut counts = counts.lock().expect("counts");
                        let n = counts.entry((method.clone(), path.clone())).or_default();
                        *n += 1;
                        *n
                    };
                    let response = answer(&method, &path, seen);
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    // A client that gave up is not the server's problem.
                    let _ = request.respond(response);
                });
            }
        });
        Server {
            origin: format!("http://127.0.0.1:{port}"),
            server,
            counts,
            peak,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// Requests for `path` with `method`.
    fn count(&self, method: &str, path: &str) -> usize {
        let counts = self.counts.lock().expect("counts");
        counts
            .get(&(method.to_string(), path.to_string()))
            .copied()
            .unwrap_or(0)
    }

    /// Requests for anything.
    fn total(&self) -> usize {
        self.counts.lock().expect("counts").values().sum()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// What each path of the test host does; `seen` counts requests for it with this method,
/// this one included.
fn answer(method: &str, path: &str, seen: usize) -> tiny_http::Response<std::io::Empty> {
    let status = |code: u16| tiny_http::Response::empty(code);
    match path {
        "/gone" | "/gone/body" => status(404),
        "/no-head" if method == "HEAD" => status(405),
        "/flaky" if seen == 1 => status(503),
        "/slow" => {
            thread::sleep(Duration::from_secs(2));
            status(200)
        }
        "/moved" => status(301).with_header(
            tiny_http::Header::from_bytes("Location", "/ok/after-redirect").expect("header"),
        ),
        p if p.starts_with("/busy/") => {
            thread::sleep(Duration::from_millis(100));
            status(200)
        }
        _ => status(200),
    }
}

/// A one-topic site whose brief cites `sources` and has `body`, with a topic and a page body.
fn site(sources: &[String], body: &str, topic_body: &str, page_body: &str) -> Site {
    let tmp = tempfile::tempdir().expect("a temp folder");
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    let site = Site { tmp, root, out };
    site.write(
        "site.toml",
        "title = \"Links\"\nbase_url = \"https://example.org/\"\n",
    );
    site.write(
        "content/topics/news.md",
        format!("---\ntitle: News\n---\n{topic_body}\n"),
    );
    site.write(
        "content/pages/about.md",
        format!("---\ntitle: About\n---\n{page_body}\n"),
    );
    let mut brief = String::from("---\ntitle: Linked\ndate: 2025-01-02\ntopics: [news]\n");
    if !sources.is_empty() {
        brief.push_str("sources:\n");
        for (i, url) in sources.iter().enumerate() {
            brief.push_str(&format!("  - name: Source {i}\n    url: {url}\n"));
        }
    }
    brief.push_str(&format!("---\n{body}\n"));
    site.write(BRIEF, brief);
    site
}

/// The site's cache folder for these tests, beside the site.
fn cache_dir(site: &Site) -> PathBuf {
    site.tmp.path().join("cache")
}

/// `briefing check --external` with a private cache and no proxy.
fn check_external(site: &Site, args: &[&str]) -> Run {
    let mut cmd = briefing();
    for var in ["http_proxy", "https_proxy", "all_proxy", "no_proxy"] {
        cmd.env_remove(var).env_remove(var.to_uppercase());
    }
    Run::of(
        cmd.env_remove("BRIEFING_CACHE_DIR")
            .arg("check")
            .arg("--root")
            .arg(&site.root)
            .arg("--external")
            .arg("--cache-dir")
            .arg(cache_dir(site))
            .args(args),
    )
}

#[test]
fn good_links_in_sources_briefs_topics_and_pages_pass() {
    let s = Server::start();
    let site = site(
        &[s.url("/ok/source")],
        &format!("See [the report]({}).", s.url("/ok/brief#part-2")),
        &format!("Background: <{}>", s.url("/ok/topic")),
        &format!("[Our desk]({})", s.url("/ok/page")),
    );
    let run = check_external(&site, &[]);
    run.success()
        .stderr_has("Checked 4 external links (4 URLs, 0 from the cache)");
    for path in ["/ok/source", "/ok/brief", "/ok/topic", "/ok/page"] {
        assert_eq!(s.count("HEAD", path), 1, "{path}\n{run}");
    }
    assert!(!run.stderr.contains("warning"), "{run}");
}

#[test]
fn check_without_external_makes_no_requests() {
    let s = Server::start();
    let site = site(&[s.url("/ok")], &format!("[x]({})", s.url("/gone")), "", "");
    site.check(&[]).success();
    assert_eq!(s.total(), 0);
}

#[test]
fn broken_source_and_body_links_are_errors_at_their_lines() {
    let s = Server::start();
    let site = site(
        &[s.url("/gone")],
        &format!("A body with [a link]({}).", s.url("/gone/body")),
        "",
        "",
    );
    let run = check_external(&site, &[]);
    // The source URL is on line 7 after `    url: `; the body link's URL on line 9 after
    // `A body with [a link](`.
    run.failure()
        .stderr_has(&format!("{BRIEF}:7:10"))
        .stderr_has(&format!("{BRIEF}:9:22"))
        .stderr_has(&format!(
            "broken link {}: the server answered 404 Not Found",
            s.url("/gone")
        ))
        .stderr_has(&format!("broken link {}", s.url("/gone/body")))
        .stderr_has("help: the page is gone or moved")
        .stderr_has("check failed: 2 errors");
    // A 404 is final: no retry, and no GET after the HEAD.
    assert_eq!(s.count("HEAD", "/gone"), 1);
    assert_eq!(s.count("GET", "/gone"), 0);
}

#[test]
fn a_refused_connection_is_an_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    let site = site(&[], &format!("[x]({url})"), "", "");
    check_external(&site, &["--retries", "0"])
        .failure()
        .stderr_has(&format!("broken link {url}: connection refused"));
}

#[test]
fn head_refused_falls_back_to_get() {
    let s = Server::start();
    let site = site(&[s.url("/no-head")], "", "", "");
    check_external(&site, &[]).success();
    assert_eq!(s.count("HEAD", "/no-head"), 1);
    assert_eq!(s.count("GET", "/no-head"), 1);
}

#[test]
fn a_server_error_is_retried() {
    let s = Server::start();
    let site = site(&[s.url("/flaky")], "", "", "");
    let run = check_external(&site, &[]);
    run.success();
    assert_eq!(s.count("HEAD", "/flaky"), 2, "{run}");
    assert!(!run.stderr.contains("warning"), "{run}");
}

#[test]
fn a_slow_server_times_out_as_a_warning() {
    let s = Server::start();
    let site = site(&[], &format!("Slow: [x]({})", s.url("/slow")), "", "");
    let run = check_external(&site, &["--timeout", "300ms", "--retries", "1"]);
    run.success()
        .stderr_has(&format!(
            "warning: could not check {}: timed out (2 tries)",
            s.url("/slow")
        ))
        .stderr_has(&format!("{BRIEF}:6:11"))
        .stderr_has("1 URL could not be checked");
    assert_eq!(s.count("HEAD", "/slow"), 2);
}

#[test]
fn a_redirect_to_a_good_page_passes() {
    let s = Server::start();
    let site = site(&[s.url("/moved")], "", "", "");
    check_external(&site, &[]).success();
    assert_eq!(s.count("HEAD", "/ok/after-redirect"), 1);
}

#[test]
fn duplicate_urls_are_asked_for_once_and_reported_everywhere() {
    let s = Server::start();
    let site = site(
        &[s.url("/gone")],
        &format!(
            "[one]({}) and\n[two]({})",
            s.url("/gone#a"),
            s.url("/gone#b")
        ),
        &format!("[three]({})", s.url("/gone")),
        "",
    );
    let run = check_external(&site, &[]);
    run.failure()
        .stderr_has(&format!("{BRIEF}:7:10"))
        .stderr_has(&format!("{BRIEF}:9:7"))
        .stderr_has(&format!("{BRIEF}:10:7"))
        .stderr_has("content/topics/news.md:4:9")
        .stderr_has("check failed: 4 errors");
    assert_eq!(s.total(), 1, "{run}");
}

#[test]
fn the_cache_spares_a_second_run_until_it_expires() {
    let s = Server::start();
    let site = site(
        &[s.url("/ok/a")],
        &format!("[b]({})", s.url("/ok/b")),
        "",
        "",
    );
    let before = read_tree(&site.root);
    check_external(&site, &[]).success();
    assert_eq!(s.total(), 2);

    check_external(&site, &[])
        .success()
        .stderr_has("(2 URLs, 2 from the cache)");
    assert_eq!(s.total(), 2, "the second run made requests");

    check_external(&site, &["--cache-max-age", "0s"])
        .success()
        .stderr_has("(2 URLs, 0 from the cache)");
    assert_eq!(s.total(), 4, "an expired cache was used");

    check_external(&site, &["--no-cache"]).success();
    assert_eq!(s.total(), 6, "--no-cache used the cache");

    // One cache file, outside the site; the site folder is as it was.
    let cached: Vec<String> = read_tree(&cache_dir(&site)).into_keys().collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert!(cached[0].starts_with("site-") && cached[0].ends_with(".json"));
    assert_eq!(read_tree(&site.root), before);
}

#[test]
fn broken_links_are_not_cached() {
    let s = Server::start();
    let site = site(&[s.url("/gone")], "", "", "");
    check_external(&site, &[]).failure();
    check_external(&site, &[]).failure();
    assert_eq!(s.count("HEAD", "/gone"), 2);
}

#[test]
fn one_host_never_has_more_than_two_requests_in_flight() {
    let s = Server::start();
    let body: String = (0..10)
        .map(|i| format!("[{i}]({})\n", s.url(&format!("/busy/{i}"))))
        .collect();
    let site = site(&[], &body, "", "");
    let run = check_external(&site, &["--jobs", "8", "--host-delay", "0ms"]);
    run.success();
    assert_eq!(s.total(), 10);
    let peak = s.peak.load(Ordering::SeqCst);
    assert!((1..=2).contains(&peak), "{peak} requests in flight at once");
}
