//! How long an edit takes to reach the browser under `briefing serve`: the figure an editor
//! feels, which a full-build benchmark cannot show.
//!
//!     cargo bench --bench serve                      # 10,000 briefs
//!     BRIEFING_BENCH_N=1000 cargo bench --bench serve
//!     BRIEFING_BENCH_SEARCH=0 cargo bench --bench serve  # with `search = false`
//!
//! Generates a corpus (`tests/corpus`, seed 1) in a temp folder (`TMPDIR` chooses where), times
//! one full `briefing build` of it, then starts `briefing serve` on a free port and runs two
//! series of edits, each to a different brief: one appends a sentence to a brief's body, one
//! changes its `summary:` (which every listing of the brief shows too). Each edit is saved the
//! way editors save (a temp file renamed over the brief); the clock starts at the rename and
//! stops when `GET /briefs/<slug>/index.html` first returns a page holding the edit's marker,
//! polled every 2 ms over a fresh connection to 127.0.0.1. Prints a table of the full build
//! time and each series' median, min, max and 90th percentile against the goal.
//!
//! Run as a test (`cargo test --benches`, without `--bench`) it only says how to run it, since a
//! 10,000-brief build is no test.

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use corpus::{Corpus, Segment};

/// Edits per series.
const EDITS: usize = 20;
/// What an edit should take, from save to served page.
const GOAL: Duration = Duration::from_millis(100);
/// How long `serve` may take to print its ready line (its first build included).
const READY_TIMEOUT: Duration = Duration::from_secs(120);
/// How long one edit may take to show before the run is abandoned.
const EDIT_TIMEOUT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(2);
/// Pause between edits, so one edit's rebuild (and the watcher's quiet period) is over before
/// the next save: each figure is one edit's latency, not a queue's.
const SETTLE: Duration = Duration::from_millis(300);

fn main() -> ExitCode {
    if !std::env::args().any(|a| a == "--bench") {
        println!("serve: skipped outside `cargo bench`; run `cargo bench --bench serve`");
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serve benchmark failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let n: usize = std::env::var("BRIEFING_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(10_000);
    let tmp = tempfile::tempdir().map_err(|e| format!("cannot make a temp folder: {e}"))?;
    let root = tmp.path().join("site");
    eprintln!("generating {n} briefs in {}", root.display());
    let mut corpus = corpus::generate(&root, n, 1);
    let search = std::env::var("BRIEFING_BENCH_SEARCH").map_or(true, |v| v != "0");
    if !search {
        let toml = root.join("site.toml");
        let text = std::fs::read_to_string(&toml).map_err(|e| format!("site.toml: {e}"))?;
        std::fs::write(&toml, format!("{text}search = false\n"))
            .map_err(|e| format!("site.toml: {e}"))?;
    }

    let binary = env!("CARGO_BIN_EXE_briefing");
    let start = Instant::now();
    let build = Command::new(binary)
        .args(["build", "--quiet", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(tmp.path().join("built"))
        .output()
        .map_err(|e| format!("cannot run {binary}: {e}"))?;
    let full_build = start.elapsed();
    if !build.status.success() {
        return Err(format!(
            "briefing build failed on the corpus:\n{}",
            String::from_utf8_lossy(&build.stderr)
        ));
    }
    eprintln!("full build: {}", ms(full_build));

    let server = Server::start(binary, &root)?;
    eprintln!("serving at http://{}/", server.addr);
    // The first page served proves the server answers before any clock runs.
    server.wait_for(&corpus.briefs[0].page(), "</html>", EDIT_TIMEOUT)?;

    let stride = (n / (2 * EDITS)).max(1);
    let body = series(&server, &mut corpus, &root, "body", |k| {
        (2 * k * stride) % n
    })?;
    let summary = series(&server, &mut corpus, &root, "summary", |k| {
        ((2 * k + 1) * stride) % n
    })?;

    println!();
    println!(
        "briefing serve, {n} briefs (tests/corpus, seed 1), search {}, {EDITS} edits per series:",
        if search { "on" } else { "off" }
    );
    println!();
    println!("| measure | median | min | max | p90 | goal |");
    println!("|---|---:|---:|---:|---:|---|");
    println!(
        "| full build (`briefing build`) | {} | | | | |",
        ms(full_build)
    );
    for (name, times) in [
        ("body edit → page served", &body),
        ("summary edit → page served", &summary),
    ] {
        let s = Stats::of(times);
        println!(
            "| {name} | {} | {} | {} | {} | < {} ms{} |",
            ms(s.median),
            ms(s.min),
            ms(s.max),
            ms(s.p90),
            GOAL.as_millis(),
            if s.median < GOAL { "" } else { " (missed)" }
        );
    }
    Ok(())
}

/// Runs one series of edits; `which(k)` picks the brief of the `k`th edit.
fn series(
    server: &Server,
    corpus: &mut Corpus,
    root: &Path,
    kind: &str,
    which: impl Fn(usize) -> usize,
) -> Result<Vec<Duration>, String> {
    let mut times = Vec::with_capacity(EDITS);
    for k in 0..EDITS {
        std::thread::sleep(SETTLE);
        let i = which(k);
        // Letters and digits only, so no escaping or smart punctuation can alter it.
        let marker = format!("zq{kind}edit{k:02}x");
        let brief = &mut corpus.briefs[i];
        if kind == "body" {
            brief.body.push(Segment::Text(format!(
                "\nThe desk updated this brief: {marker}.\n"
            )));
        } else {
            brief.summary = format!("{} Updated: {marker}.", brief.summary);
        }
        let brief = &corpus.briefs[i];
        let text = brief.markdown(|j| Some(&corpus.briefs[j].file));
        let start = save(&root.join(brief.path()), &text)?;
        server
            .wait_for(&brief.page(), &marker, EDIT_TIMEOUT)
            .map_err(|e| format!("{kind} edit {k} of {}: {e}", brief.path()))?;
        let took = start.elapsed();
        eprintln!("{kind} edit {:2}/{EDITS}: {}", k + 1, ms(took));
        times.push(took);
    }
    Ok(times)
}

/// Saves like an editor: the new text goes to a hidden file beside the brief (which the site
/// ignores), renamed over it. Returns the moment just before the rename.
fn save(path: &Path, text: &str) -> Result<Instant, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    let start = Instant::now();
    std::fs::rename(&tmp, path)
        .map_err(|e| format!("cannot rename onto {}: {e}", path.display()))?;
    Ok(start)
}

/// A running `briefing serve`, stopped (by its process id) when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    /// The last lines the server printed, for error messages.
    log: Arc<Mutex<VecDeque<String>>>,
}

impl Server {
    /// Starts `serve` on a free port and waits for its ready line.
    fn start(binary: &str, root: &Path) -> Result<Server, String> {
        let port = free_port()?;
        let mut child = Command::new(binary)
            .args(["serve", "--root"])
            .arg(root)
            .args(["--port", &port.to_string()])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {binary} serve: {e}"))?;
        let log = Arc::new(Mutex::new(VecDeque::new()));
        let (ready_tx, ready_rx) = mpsc::channel();
        // OK because stderr was piped just above.
        let stderr = child.stderr.take().expect("piped stderr");
        let lines = Arc::clone(&log);
        // Reads stderr to its end, so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if line.contains("Serving ") {
                    let _ = ready_tx.send(line.clone());
                }
                let mut log = lines.lock().unwrap_or_else(|p| p.into_inner());
                if log.len() == 40 {
                    log.pop_front();
                }
                log.push_back(line);
            }
        });
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            log,
        };
        match ready_rx.recv_timeout(READY_TIMEOUT) {
            Ok(line) => {
                if let Some(addr) = served_addr(&line) {
                    server.addr = addr;
                }
                Ok(server)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
                "`briefing serve` printed no \"Serving … at http://127.0.0.1:{port}/\" line \
                 within {} s. Its output:\n{}",
                READY_TIMEOUT.as_secs(),
                server.log()
            )),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = server
                    .child
                    .wait()
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                Err(format!(
                    "`briefing serve` exited ({status}) before it was ready; does this build \
                     have the serve command? Its output:\n{}",
                    server.log()
                ))
            }
        }
    }

    fn log(&self) -> String {
        let log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        log.iter().map(|l| format!("  {l}\n")).collect()
    }

    /// Polls `path` until a response body holds `needle`.
    fn wait_for(&self, path: &str, needle: &str, timeout: Duration) -> Result<(), String> {
        let start = Instant::now();
        let mut last = String::from("no answer yet");
        while start.elapsed() < timeout {
            match get(self.addr, &format!("/{path}")) {
                Ok((_, body)) if contains(&body, needle.as_bytes()) => return Ok(()),
                Ok((status, _)) => last = format!("HTTP {status} without {needle:?}"),
                Err(e) => last = e.to_string(),
            }
            std::thread::sleep(POLL);
        }
        Err(format!(
            "GET /{path} did not show {needle:?} within {} s (last: {last}). Server output:\n{}",
            timeout.as_secs(),
            self.log()
        ))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that was free a moment ago: bound to port 0, read, released.
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// The address in a line such as `Serving /site at http://127.0.0.1:4000/ (Ctrl-C to stop)`.
fn served_addr(line: &str) -> Option<SocketAddr> {
    let rest = &line[line.find("http://")? + "http://".len()..];
    let end = rest.find('/').unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// `GET path` over a new connection: the status and the (de-chunked) body.
fn get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, "not an HTTP response");
    let head_end = find(&response, b"\r\n\r\n").ok_or_else(bad)?;
    let head = String::from_utf8_lossy(&response[..head_end]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    let body = &response[head_end + 4..];
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(body).ok_or_else(bad)?
    } else {
        body.to_vec()
    };
    Ok((status, body))
}

/// The body of a chunked response, so a marker split across chunks is still found.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = find(data, b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

struct Stats {
    median: Duration,
    min: Duration,
    max: Duration,
    p90: Duration,
}

impl Stats {
    /// `times` must not be empty.
    fn of(times: &[Duration]) -> Stats {
        let mut t = times.to_vec();
        t.sort();
        let mid = t.len() / 2;
        let median = if t.len().is_multiple_of(2) {
            (t[mid - 1] + t[mid]) / 2
        } else {
            t[mid]
        };
        // Nearest rank: the smallest time at or above 90% of the runs.
        let p90 = t[(t.len() * 9).div_ceil(10) - 1];
        Stats {
            median,
            min: t[0],
            max: t[t.len() - 1],
            p90,
        }
    }
}

fn ms(d: Duration) -> String {
    if d >= Duration::from_secs(1) {
        format!("{:.2} s", d.as_secs_f64())
    } else {
        format!("{:.1} ms", d.as_secs_f64() * 1000.0)
    }
}
