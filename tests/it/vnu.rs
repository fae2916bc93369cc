//! Every page the default theme produces is valid HTML.
//!
//! Builds the repository's own sample site (the repo root is a site) with the real binary, then
//! runs the W3C Nu HTML Checker (`vnu.jar`, from the `vnu-jar` npm package pinned in
//! `package-lock.json`) over every generated `.html` file, the stylesheets and the SVGs, in one
//! JVM; then over the Arabic fixture's, right to left. Errors and warnings fail the test, each
//! listed as `file:line:column: message`; infos (such as the trailing slash pulldown-cmark puts
//! on task-list checkboxes) are ignored.
//!
//! The checker is a development tool, not a Rust dependency, installed by `scripts/test.sh`
//! (`npm ci`); this test only checks. A missing jar or `java` fails the test with what to run or
//! install; it never passes without having validated anything.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use serde::Deserialize;

/// Where `npm ci` puts the checker, relative to the repository root.
const VNU_JAR: &str = "node_modules/vnu-jar/build/dist/vnu.jar";

/// Pages of kinds the sample site must have, so their templates are checked: the pages across
/// the site (the timeline, a topic's timeline, the sources and an outlet's page).
const KINDS: [&str; 4] = [
    "timeline/index.html",
    "timeline/us-russia/index.html",
    "sources/index.html",
    "sources/anadolu-ajansi/index.html",
];

#[test]
fn sample_site_is_valid_html() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    require_java();
    let jar = vnu_jar(root);

    let out = tempfile::TempDir::new().expect("create a temporary output folder");
    let build = assert_cmd::cargo::cargo_bin_cmd!("briefing")
        .arg("build")
        .arg("--quiet")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out.path())
        .output()
        .expect("run briefing build");
    assert!(
        build.status.success(),
        "briefing build of the sample site failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let files = generated_files(out.path());
    let pages = count_ext(&files, "html");
    assert!(
        pages > 1 && files.iter().any(|f| f == &out.path().join("index.html")),
        "the build wrote too few pages to validate ({pages}): {files:?}"
    );
    // Every page is checked; these kinds must be among them.
    for page in KINDS {
        assert!(
            files.iter().any(|f| f == &out.path().join(page)),
            "{page} is not in the sample site's output"
        );
    }

    let started = Instant::now();
    let messages = run_vnu(&jar, &files);
    let elapsed = started.elapsed();

    let problems: Vec<String> = messages
        .iter()
        .filter(|m| m.is_problem())
        .map(|m| m.describe(out.path()))
        .collect();
    eprintln!(
        "vnu checked {pages} pages, {} stylesheet(s) and {} SVG(s) in {:.1} s: {} problem(s)",
        count_ext(&files, "css"),
        count_ext(&files, "svg"),
        elapsed.as_secs_f64(),
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "the Nu HTML Checker found {} problem(s) in the sample site's output:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The Arabic fixture, right to left: its pages are valid too (`dir`, Arabic text, names'
/// pages and their redirects).
#[test]
fn arabic_fixture_is_valid_html() {
    require_java();
    let jar = vnu_jar(Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = tempfile::TempDir::new().expect("create a temporary output folder");
    let build = assert_cmd::cargo::cargo_bin_cmd!("briefing")
        .args(["build", "--quiet", "--root"])
        .arg(crate::util::fixture("arabic"))
        .arg("--output")
        .arg(out.path())
        .output()
        .expect("run briefing build");
    assert!(
        build.status.success(),
        "briefing build of the Arabic fixture failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let files = generated_files(out.path());
    let pages = count_ext(&files, "html");
    assert!(pages > 20, "too few pages to validate ({pages}): {files:?}");
    let problems: Vec<String> = run_vnu(&jar, &files)
        .iter()
        .filter(|m| m.is_problem())
        .map(|m| m.describe(out.path()))
        .collect();
    assert!(
        problems.is_empty(),
        "the Nu HTML Checker found {} problem(s) in the Arabic fixture's output:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Fails the test, saying what to install, when there is no Java to run the checker with.
fn require_java() {
    match Command::new("java")
        .arg("-version")
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "`java -version` failed; the HTML validation test needs a working Java runtime \
             (11 or later); scripts/test.sh installs one:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) if e.kind() == ErrorKind::NotFound => panic!(
            "`java` is not on PATH: the HTML validation test runs the Nu HTML Checker (vnu.jar) \
             and needs a Java runtime, 11 or later. Run the tests with scripts/test.sh, which \
             installs one, or install it yourself, e.g. `apt-get install default-jre-headless`."
        ),
        Err(e) => panic!("could not run `java -version`: {e}"),
    }
}

/// The checker's jar; the test fails, saying to run `scripts/test.sh`, when it is missing.
fn vnu_jar(_root: &Path) -> PathBuf {
    crate::util::npm_tool(VNU_JAR)
}

/// Every file the checker should see, sorted so its report reads in a stable order.
fn generated_files(out: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|entry| entry.expect("walk the output folder").into_path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|e| e == "html" || e == "css" || e == "svg")
        })
        .collect();
    files.sort();
    files
}

fn count_ext(files: &[PathBuf], ext: &str) -> usize {
    files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == ext))
        .count()
}

/// Runs the checker once over all files and returns its messages.
fn run_vnu(jar: &Path, files: &[PathBuf]) -> Vec<Message> {
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args([
            "--format",
            "json",
            "--stdout",
            "--also-check-css",
            "--also-check-svg",
        ])
        .args(files)
        .stdin(Stdio::null())
        .output()
        .expect("run java -jar vnu.jar");
    let report: Report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "the Nu HTML Checker did not print a JSON report ({e}); exit status {}:\n{}",
            out.status,
            output_text(&out)
        )
    });
    report.messages
}

fn output_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The checker's `--format json` report.
#[derive(Deserialize)]
struct Report {
    messages: Vec<Message>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    /// `error`, `info` or `non-document-error` (e.g. a file it could not read).
    #[serde(rename = "type")]
    kind: String,
    /// `warning` on an `info` that is a warning; `fatal` on an error that stopped parsing.
    sub_type: Option<String>,
    url: Option<String>,
    first_line: Option<u64>,
    last_line: Option<u64>,
    first_column: Option<u64>,
    message: String,
}

impl Message {
    fn is_problem(&self) -> bool {
        self.kind != "info" || self.sub_type.as_deref() == Some("warning")
    }

    /// `path:line:column: kind: message`, the path relative to the output folder.
    fn describe(&self, out: &Path) -> String {
        let url = self.url.as_deref().unwrap_or("(no file)");
        let path = url.strip_prefix("file:").unwrap_or(url);
        let prefix = format!("{}/", out.display());
        let path = path.strip_prefix(prefix.as_str()).unwrap_or(path);
        let line = self.first_line.or(self.last_line).unwrap_or(0);
        let column = self.first_column.unwrap_or(0);
        let kind = match (self.kind.as_str(), self.sub_type.as_deref()) {
            ("info", Some("warning")) => "warning",
            (kind, _) => kind,
        };
        format!("{path}:{line}:{column}: {kind}: {}", self.message)
    }
}
