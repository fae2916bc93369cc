//! Helpers shared by the integration tests: fixture sites copied into temp folders, running the
//! real `briefing` binary, reading whole output trees, and the link crawler.
//!
//! Every test works on its own copy of a fixture (`tests/fixtures/<name>/`) under a fresh temp
//! folder laid out as `<tmp>/site/` (the site root) and `<tmp>/out/` (the output), so a test can
//! break its copy freely and the staging folder the build makes beside the output
//! (`<tmp>/.out.staging-*`) is easy to look for.

#![allow(dead_code)] // Not every test module uses every helper.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The folder of a committed fixture site.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The repository root, which is itself the sample site.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the repository's own sample site into `out`, failing the test if the build fails.
pub fn build_sample_site(out: &Path) {
    Run::of(
        briefing()
            .arg("build")
            .arg("--root")
            .arg(repo_root())
            .arg("--output")
            .arg(out),
    )
    .success();
}

/// The `briefing` binary, with colours off so messages compare as plain text.
pub fn briefing() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("briefing"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(cmd: &mut Command) -> Run {
        let out = cmd.output().expect("the briefing binary runs");
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn success(&self) -> &Run {
        assert_eq!(self.code, Some(0), "expected success\n{self}");
        self
    }

    #[track_caller]
    pub fn failure(&self) -> &Run {
        assert_eq!(self.code, Some(1), "expected exit code 1\n{self}");
        self
    }

    /// Asserts stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n{self}"
        );
        self
    }

    /// The diagnostics of a failed run: stderr without the closing "… failed: N errors" line,
    /// which differs between `build` and `check`.
    pub fn diagnostics(&self) -> String {
        let mut lines: Vec<&str> = self.stderr.lines().collect();
        if lines.last().is_some_and(|l| l.contains(" failed: ")) {
            lines.pop();
        }
        lines.join("\n")
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code: {:?}\n--- stdout\n{}--- stderr\n{}---",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A private copy of a fixture site in a temp folder, with its own output folder.
pub struct Site {
    pub tmp: TempDir,
    /// The site root (holds `site.toml`).
    pub root: PathBuf,
    /// Where `build` writes, passed as `--output`.
    pub out: PathBuf,
}

impl Site {
    /// Copies `tests/fixtures/<name>` into a fresh temp folder.
    pub fn copy_of(name: &str) -> Site {
        let tmp = tempfile::tempdir().expect("a temp folder");
        let root = tmp.path().join("site");
        copy_dir(&fixture(name), &root);
        let out = tmp.path().join("out");
        Site { tmp, root, out }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
    }

    /// Replaces the one occurrence of `from` in a site file with `to`.
    #[track_caller]
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(
            text.matches(from).count(),
            1,
            "{rel} should contain {from:?} exactly once:\n{text}"
        );
        self.write(rel, text.replacen(from, to, 1));
    }

    /// `briefing build --root <root> --output <out> ARGS…`
    pub fn build(&self, args: &[&str]) -> Run {
        self.build_into(&self.out, args)
    }

    pub fn build_into(&self, out: &Path, args: &[&str]) -> Run {
        Run::of(
            briefing()
                .arg("build")
                .arg("--root")
                .arg(&self.root)
                .arg("--output")
                .arg(out)
                .args(args),
        )
    }

    /// `briefing check --root <root> ARGS…`
    pub fn check(&self, args: &[&str]) -> Run {
        Run::of(
            briefing()
                .arg("check")
                .arg("--root")
                .arg(&self.root)
                .args(args),
        )
    }

    /// Builds and asserts success.
    #[track_caller]
    pub fn build_ok(&self, args: &[&str]) -> Run {
        let run = self.build(args);
        run.success();
        run
    }

    /// A file of the output, as text.
    pub fn output(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("output {rel}: {e}"))
    }

    /// Staging folders left beside the output.
    pub fn leftover_staging(&self) -> Vec<String> {
        std::fs::read_dir(self.tmp.path())
            .expect("list the temp folder")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".out.staging-"))
            .collect()
    }
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("list fixture") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// Every file under `dir`, keyed by its `/`-separated relative path, with its bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("list {dir:?}: {e}")) {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = rel_string(base, &path);
                out.insert(rel, std::fs::read(&path).expect("read output file"));
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// Relative paths of the files under `dir` whose names end with `suffix`.
pub fn files_ending(dir: &Path, suffix: &str) -> Vec<String> {
    read_tree(dir)
        .into_keys()
        .filter(|p| p.ends_with(suffix))
        .collect()
}

fn rel_string(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .expect("inside base")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Asserts two trees hold the same files with the same bytes, naming the first difference.
#[track_caller]
pub fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let names_a: Vec<&String> = a.keys().collect();
    let names_b: Vec<&String> = b.keys().collect();
    assert_eq!(names_a, names_b, "the trees hold different files");
    for (name, bytes) in a {
        if bytes != &b[name] {
            panic!(
                "{name} differs:\n--- first\n{}\n--- second\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&b[name])
            );
        }
    }
}

// ---- Link crawler ----------------------------------------------------------------------------

/// What crawling a built site found.
#[derive(Debug, Default)]
pub struct Crawl {
    /// Internal links followed (including same-page `#…` links).
    pub links: usize,
    /// Internal links with a `#fragment` whose id was looked up.
    pub fragments: usize,
    /// External links seen and skipped.
    pub external: usize,
    pub problems: Vec<String>,
}

/// Every `href` and `src` of every HTML page under `out` (but `404.html`, which links through
/// `base_url` when one is set), and the address of every `<meta http-equiv="refresh">`: internal
/// links must name an existing file relative to the page, and a `#fragment` must be an id in the
/// target page. No link may be root-relative (`/…`) or a `file:` URL.
pub fn crawl(out: &Path) -> Crawl {
    let mut crawl = Crawl::default();
    let mut ids: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let selector = scraper::Selector::parse("[href], [src]").expect("selector");
    let refresh = scraper::Selector::parse("meta[http-equiv]").expect("selector");
    for page in files_ending(out, ".html") {
        if page == "404.html" {
            continue;
        }
        let page_path = out.join(&page);
        let html = std::fs::read_to_string(&page_path).expect("read page");
        let doc = scraper::Html::parse_document(&html);
        for element in doc.select(&selector) {
            for attr in ["href", "src"] {
                let Some(link) = element.value().attr(attr) else {
                    continue;
                };
                check_link(out, &page, link, &mut ids, &mut crawl);
            }
        }
        for meta in doc.select(&refresh) {
            let e = meta.value();
            if !e
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
            {
                continue;
            }
            match e.attr("content").and_then(refresh_url) {
                Some(link) => check_link(out, &page, link, &mut ids, &mut crawl),
                None => crawl
                    .problems
                    .push(format!("{page}: a refresh without `url=`: {e:?}")),
            }
        }
    }
    crawl
}

/// The address of a `<meta http-equiv="refresh" content="0; url=…">`.
pub fn refresh_url(content: &str) -> Option<&str> {
    let (_, rest) = content.split_once(';')?;
    let rest = rest.trim_start();
    let url = rest
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("url="))
        .map(|_| &rest[4..])?;
    Some(url.trim().trim_matches(['"', '\'']))
}

fn check_link(
    out: &Path,
    page: &str,
    link: &str,
    ids: &mut HashMap<PathBuf, Vec<String>>,
    crawl: &mut Crawl,
) {
    let mut problem = |what: String| crawl.problems.push(format!("{page}: {link:?}: {what}"));
    let lower = link.trim().to_ascii_lowercase();
    if lower.starts_with('/') {
        return problem("root-relative link; links must be relative".into());
    }
    if lower.starts_with("file:") {
        return problem("file: URL".into());
    }
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        crawl.external += 1;
        return;
    }
    if let Some((scheme, _)) = lower.split_once(':')
        && !scheme.contains(['/', '?', '#'])
    {
        return problem(format!("unexpected URL scheme {scheme:?}"));
    }
    let (before_fragment, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path_part = before_fragment
        .split_once('?')
        .map_or(before_fragment, |(p, _)| p);
    let page_file = out.join(page);
    let target = if path_part.is_empty() {
        page_file
    } else {
        let decoded = percent_encoding::percent_decode_str(path_part)
            .decode_utf8()
            .map(|s| s.into_owned())
            .unwrap_or_else(|_| path_part.to_string());
        let base = Path::new(page).parent().unwrap_or(Path::new(""));
        match normalize(&base.join(decoded)) {
            Some(rel) => out.join(rel),
            None => return problem("climbs out of the site".into()),
        }
    };
    crawl.links += 1;
    if target.is_dir() {
        return problem("points at a folder, not a file".into());
    }
    if !target.is_file() {
        return problem("no such file".into());
    }
    let Some(fragment) = fragment else { return };
    if fragment.is_empty() {
        return;
    }
    crawl.fragments += 1;
    let fragment = percent_encoding::percent_decode_str(fragment)
        .decode_utf8_lossy()
        .into_owned();
    let known = ids.entry(target.clone()).or_insert_with(|| {
        let html = std::fs::read_to_string(&target).unwrap_or_default();
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("[id]").expect("selector");
        doc.select(&sel)
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect()
    });
    if !known.contains(&fragment) {
        problem(format!("no element with id {fragment:?} in the target"));
    }
}

/// Resolves `.` and `..`; `None` if the path climbs above its start.
pub fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Where a relative `href` on the page at `from` leads, as a root-relative file path
/// (`index.html` added to a folder).
#[track_caller]
pub fn resolve(from: &str, href: &str) -> String {
    let base = Path::new(from).parent().unwrap_or(Path::new(""));
    let path = normalize(&base.join(href)).unwrap_or_else(|| panic!("{href} leaves the site"));
    let mut s = path.to_string_lossy().replace('\\', "/");
    if href.ends_with('/') {
        s.push_str("/index.html");
    }
    s
}

/// Asserts a crawl found nothing wrong and actually followed links.
#[track_caller]
pub fn assert_links_ok(crawl: &Crawl, min_links: usize, min_fragments: usize) {
    assert!(
        crawl.problems.is_empty(),
        "{} broken links:\n{}",
        crawl.problems.len(),
        crawl.problems.join("\n")
    );
    assert!(
        crawl.links >= min_links,
        "only {} internal links followed",
        crawl.links
    );
    assert!(
        crawl.fragments >= min_fragments,
        "only {} fragments checked",
        crawl.fragments
    );
}

// ---- HTML and XML helpers ----------------------------------------------------------------------

/// The text of every element matching `css` in `html`, whitespace as in the source.
pub fn texts(html: &str, css: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    doc.select(&sel).map(|e| e.text().collect()).collect()
}

/// The value of `attr` on every element matching `css` in `html`.
pub fn attrs(html: &str, css: &str, attr: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

pub const ATOM: &str = "http://www.w3.org/2005/Atom";
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// One Atom entry, as the tests need it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// `href` of `<link rel="alternate">`.
    pub link: String,
    /// `xml:base` of `<content>` (empty in a feed of summaries).
    pub content_base: String,
    /// The entry's HTML, unescaped from the XML (empty in a feed of summaries).
    pub content: String,
    /// `<updated>`, RFC 3339.
    pub updated: String,
}

/// A parsed Atom feed.
#[derive(Debug)]
pub struct Feed {
    pub id: String,
    pub title: String,
    /// `href` of every feed-level `<link>`.
    pub links: Vec<String>,
    pub entries: Vec<Entry>,
}

/// Parses an Atom feed whose entries carry their brief's HTML, panicking with the reason if it
/// is not well-formed XML or not Atom, or an entry has no `<content>`.
#[track_caller]
pub fn parse_feed(name: &str, xml: &str) -> Feed {
    parse_atom(name, xml, true)
}

/// Parses an Atom feed of summaries (an entity's), panicking with the reason if it is not
/// well-formed XML or not Atom, or an entry carries `<content>`.
#[track_caller]
pub fn parse_summary_feed(name: &str, xml: &str) -> Feed {
    parse_atom(name, xml, false)
}

/// Parses the feed at the root-relative `path`: an entity's (under `people/`, `places/`,
/// `organizations/` or `tags/`) as a feed of summaries, any other as a feed with content.
#[track_caller]
pub fn parse_feed_file(path: &str, xml: &str) -> Feed {
    // A language's tree (`ru/people/…`) has the same feeds as the default's.
    let in_tree = path.strip_prefix("ru/").unwrap_or(path);
    let entity = ["people/", "places/", "organizations/", "tags/"]
        .iter()
        .any(|kind| in_tree.starts_with(kind));
    parse_atom(path, xml, !entity)
}

#[track_caller]
fn parse_atom(name: &str, xml: &str, with_content: bool) -> Feed {
    let doc = roxmltree::Document::parse(xml)
        .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}\n{xml}"));
    let root = doc.root_element();
    assert!(
        root.has_tag_name((ATOM, "feed")),
        "{name}: the root is not an Atom <feed>"
    );
    let child_text = |n: roxmltree::Node, tag: &str| -> String {
        n.children()
            .find(|c| c.has_tag_name((ATOM, tag)))
            .map(|c| c.text().unwrap_or_default().to_string())
            .unwrap_or_else(|| panic!("{name}: <{tag}> missing"))
    };
    let entries = root
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|e| {
            let content = e.children().find(|c| c.has_tag_name((ATOM, "content")));
            let (content_base, content) = match (content, with_content) {
                (Some(c), true) => (
                    c.attribute((XML_NS, "base"))
                        .unwrap_or_else(|| panic!("{name}: <content> has no xml:base"))
                        .to_string(),
                    c.text().unwrap_or_default().to_string(),
                ),
                (None, false) => (String::new(), String::new()),
                (None, true) => panic!("{name}: an entry has no <content>"),
                (Some(_), false) => panic!("{name}: an entry of a feed of summaries has <content>"),
            };
            Entry {
                id: child_text(e, "id"),
                title: child_text(e, "title"),
                summary: child_text(e, "summary"),
                link: e
                    .children()
                    .find(|c| {
                        c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("alternate")
                    })
                    .and_then(|l| l.attribute("href"))
                    .unwrap_or_else(|| panic!("{name}: an entry has no alternate link"))
                    .to_string(),
                content_base,
                content,
                updated: child_text(e, "updated"),
            }
        })
        .collect();
    Feed {
        id: child_text(root, "id"),
        title: child_text(root, "title"),
        links: root
            .children()
            .filter(|c| c.has_tag_name((ATOM, "link")))
            .filter_map(|l| l.attribute("href").map(str::to_string))
            .collect(),
        entries,
    }
}

/// The `<loc>`s of a sitemap, panicking if it is not well-formed.
#[track_caller]
pub fn sitemap_locs(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml)
        .unwrap_or_else(|e| panic!("sitemap.xml is not well-formed XML: {e}\n{xml}"));
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert!(doc.root_element().has_tag_name((ns, "urlset")));
    doc.descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

// ---- npm development tools ---------------------------------------------------------------------

/// A file of an npm development tool (`node_modules/…`, pinned in `package-lock.json`).
/// Installing it is the test script's job (`scripts/test.sh` runs `npm ci`), not a test's: a
/// missing file fails the test, saying so.
pub fn npm_tool(rel: &str) -> PathBuf {
    let file = repo_root().join(rel);
    assert!(
        file.is_file(),
        "{rel} is missing. Run the tests with scripts/test.sh, which installs the npm development \
         tools, or install them yourself with `npm ci --ignore-scripts --no-audit --no-fund` in {}.",
        repo_root().display()
    );
    file
}
