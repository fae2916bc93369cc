//! `check --external`: whether the web addresses a site cites still answer.
//!
//! Takes the built [`Site`] and hands back diagnostics. [`links`] gathers every `http(s)` URL of
//! brief sources and of brief, topic and page bodies, with where it is written; [`check`] asks
//! for each distinct address once (without its `#fragment`): the [`schedule`] spreads requests
//! over hosts politely and retries what may pass later, [`probe`] makes one request and says what
//! the answer means, and the [`cache`] remembers good answers between runs so CI does not ask
//! every host again. Nothing else in briefing touches the network.

mod cache;
mod probe;
mod schedule;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Severity, line_column, line_start_offset};
use crate::load::SourceFile;
use crate::model::Site;

pub use cache::CacheLocation;

/// The code of every diagnostic this module makes (see [`Diagnostic::code`]).
pub const CODE: &str = "external-link";

/// How hard and how fast to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// Requests in flight at once, over all hosts.
    pub jobs: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// Least time between the starts of two requests to one host.
    pub host_delay: Duration,
    /// Time limit for one request, redirects included; connecting gets at most 5 s of it.
    pub timeout: Duration,
    /// Further tries after a timeout, a dropped connection, 429 or 5xx.
    pub retries: u32,
    /// Where good answers are remembered.
    pub cache: CacheLocation,
    /// How long a good answer is trusted.
    pub max_age: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            jobs: 8,
            per_host: 2,
            host_delay: Duration::from_millis(200),
            timeout: Duration::from_secs(15),
            retries: 2,
            cache: CacheLocation::User,
            max_age: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// One place an external URL is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// As written (a source URL as front matter validation normalised it).
    pub url: String,
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// Byte range of the URL in the file (of the link, or the `sources` line, when the URL's
    /// own text cannot be found).
    pub span: Range<usize>,
    /// 1-based line and column of the span's start and end.
    pub start: (usize, usize),
    pub end: (usize, usize),
}

/// What a check did, for the closing line.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Places a URL is written.
    pub links: usize,
    /// Distinct addresses (without fragments).
    pub urls: usize,
    /// Addresses answered from the cache.
    pub cached: usize,
    /// Addresses found broken (errors) and those that could not be checked (warnings).
    pub broken: usize,
    pub unchecked: usize,
    pub elapsed: Duration,
}

/// Every `http(s)` URL the site's sources and bodies cite, in file order.
pub fn links(site: &Site) -> Vec<Link> {
    let mut out = Vec::new();
    for brief in &site.briefs {
        let doc = &brief.doc;
        let urls = doc.sources.iter().filter_map(|s| s.url.as_deref());
        let front = doc.front_offset..doc.body_offset;
        source_links(&doc.file, front, doc.key_offset("sources"), urls, &mut out);
        let external = &brief.body.rendered.external;
        body_links(&doc.file, doc.body_offset, external, &mut out);
    }
    for topic in &site.topics {
        let external = &topic.body.rendered.external;
        body_links(&topic.doc.file, topic.doc.body_offset, external, &mut out);
    }
    for page in &site.pages {
        let external = &page.body.rendered.external;
        body_links(&page.doc.file, page.doc.body_offset, external, &mut out);
    }
    for profile in site.authors.iter().filter_map(|a| a.profile.as_ref()) {
        let doc = &profile.doc;
        let urls = doc.links.iter().map(|l| l.url.as_str());
        let front = doc.front_offset..doc.body_offset;
        let links_key = front.start
            + crate::parse::find_key(&doc.file.text[front.clone()], "links").unwrap_or(0);
        source_links(&doc.file, front, links_key, urls, &mut out);
        let external = &profile.body.rendered.external;
        body_links(&doc.file, doc.body_offset, external, &mut out);
    }
    out
}

/// What checking the links found: a diagnostic per broken place, and the summary.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// Errors for broken links, warnings for links that could not be checked, sorted.
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
}

/// Checks every distinct address of `links` once, and reports each place a bad one is written.
/// `root` (the site folder) keys the cache.
pub fn check(root: &Path, links: &[Link], opts: &Options) -> Checked {
    let start = Instant::now();
    let mut places: BTreeMap<String, Vec<&Link>> = BTreeMap::new();
    for link in links {
        places.entry(request_url(&link.url)).or_default().push(link);
    }
    let mut cache = cache::path(&opts.cache, root).map(|p| cache::Cache::open(p, opts.max_age));
    let (verdicts, cached) = ask(places.keys(), cache.as_mut(), opts);
    let mut diagnostics: Vec<Diagnostic> = cache.and_then(|c| c.save().err()).into_iter().collect();
    let mut summary = Summary {
        links: links.len(),
        urls: places.len(),
        cached,
        ..Summary::default()
    };
    for (url, verdict) in &verdicts {
        let Some((severity, message, help)) = verdict.problem(url) else {
            continue;
        };
        match severity {
            Severity::Error => summary.broken += 1,
            Severity::Warning => summary.unchecked += 1,
        }
        for link in &places[*url] {
            diagnostics.push(link.diagnostic(severity, &message, help));
        }
    }
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    summary.elapsed = start.elapsed();
    Checked {
        diagnostics,
        summary,
    }
}

/// The verdict on every address the cache does not vouch for, and how many it did vouch for.
/// Good answers are added to the cache.
fn ask<'a>(
    urls: impl Iterator<Item = &'a String>,
    mut cache: Option<&mut cache::Cache>,
    opts: &Options,
) -> (BTreeMap<&'a str, Verdict>, usize) {
    let mut verdicts = BTreeMap::new();
    let mut todo = Vec::new();
    let mut cached = 0;
    for url in urls {
        if cache.as_ref().is_some_and(|c| c.is_fresh(url)) {
            cached += 1;
            continue;
        }
        match host_of(url) {
            Some(host) => todo.push(schedule::Job::new(url, host)),
            None => {
                verdicts.insert(url.as_str(), Verdict::invalid());
            }
        }
    }
    let agent = probe::agent(opts);
    for (url, verdict) in schedule::run(todo, opts, &|url: &str| probe::probe(&agent, url)) {
        if let (Some(c), Verdict::Ok) = (cache.as_mut(), &verdict) {
            c.remember(url);
        }
        verdicts.insert(url, verdict);
    }
    (verdicts, cached)
}

/// Parses a duration such as `500ms`, `15s`, `10m`, `12h` or `1d` (a bare number is seconds),
/// for the command line.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 500ms, 15s, 10m, 12h or 1d"))?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        "d" => value * 86400.0,
        other => return Err(format!("unknown unit {other:?}: use ms, s, m, h or d")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("{text:?}: {e}"))
}

/// What the check concluded about one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Ok,
    /// Definitely broken: an error.
    Broken {
        reason: String,
        help: &'static str,
    },
    /// Could not be checked, even after retries: a warning.
    Unchecked {
        reason: String,
        help: &'static str,
    },
}

impl Verdict {
    fn invalid() -> Verdict {
        Verdict::Broken {
            reason: "not a valid URL".into(),
            help: "write a full address like https://example.org/article",
        }
    }

    /// Severity, message and help of a bad verdict.
    fn problem(&self, url: &str) -> Option<(Severity, String, &'static str)> {
        match self {
            Verdict::Ok => None,
            Verdict::Broken { reason, help } => Some((
                Severity::Error,
                format!("broken link {url}: {reason}"),
                help,
            )),
            Verdict::Unchecked { reason, help } => Some((
                Severity::Warning,
                format!("could not check {url}: {reason}"),
                help,
            )),
        }
    }
}

impl Link {
    /// A link located at `span` of `text`, the whole file.
    fn at(url: &str, path: &Path, text: &str, span: Range<usize>) -> Link {
        Link {
            url: url.to_string(),
            path: path.to_path_buf(),
            start: line_column(text, span.start),
            end: line_column(text, span.end),
            span,
        }
    }

    fn diagnostic(&self, severity: Severity, message: &str, help: &str) -> Diagnostic {
        let mut d = Diagnostic::error(&self.path, message)
            .with_help(help)
            .with_code(CODE);
        d.severity = severity;
        d.line = Some(self.start.0);
        d.column = Some(self.start.1);
        d.end_line = Some(self.end.0);
        d.end_column = Some(self.end.1);
        d.span = Some(self.span.clone());
        d
    }
}

/// Source URLs, located by finding each in the front matter after the `sources` key, in order;
/// one that cannot be found (written with YAML escapes, say) points at the `sources` line.
fn source_links<'a>(
    file: &SourceFile,
    front: Range<usize>,
    sources_key: usize,
    urls: impl Iterator<Item = &'a str>,
    out: &mut Vec<Link>,
) {
    let (path, text) = (&file.path, file.text.as_str());
    let mut cursor = sources_key.max(front.start);
    for url in urls.filter(|u| is_web(u)) {
        let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
        let found = [url, decoded.as_ref()].into_iter().find_map(|written| {
            let at = text.get(cursor..front.end)?.find(written)? + cursor;
            Some(at..at + written.len())
        });
        let span = match found {
            Some(span) => {
                cursor = span.end;
                span
            }
            None => {
                let line_end = text[sources_key..front.end]
                    .find('\n')
                    .map_or(front.end, |i| sources_key + i);
                sources_key..line_end
            }
        };
        out.push(Link::at(url, path, text, span));
    }
}

/// Body links: Markdown rendering recorded where each link starts. The URL itself is looked
/// for from there, then from the top of the body (a reference link's definition may come
/// before its use); failing both (the URL was written with escapes) the link start is used.
fn body_links(
    file: &SourceFile,
    body: usize,
    external: &[crate::markdown::ExternalLink],
    out: &mut Vec<Link>,
) {
    let (path, text) = (&file.path, file.text.as_str());
    for link in external {
        let line_start = line_start_offset(text, link.line);
        let start = text[line_start..]
            .char_indices()
            .nth(link.column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| line_start + i);
        let url = link.url.as_str();
        let found = text[start..]
            .find(url)
            .map(|i| start + i)
            .or_else(|| Some(body + text.get(body..)?.find(url)?));
        let span = match found {
            Some(at) => at..at + url.len(),
            None => {
                start
                    ..text[start..]
                        .chars()
                        .next()
                        .map_or(start, |c| start + c.len_utf8())
            }
        };
        out.push(Link::at(url, path, text, span));
    }
}

fn is_web(url: &str) -> bool {
    let lower = |n: usize| url.get(..n).map(str::to_ascii_lowercase);
    lower(7).as_deref() == Some("http://") || lower(8).as_deref() == Some("https://")
}

/// The address to ask for: without its fragment (servers never see it), and with spaces and
/// non-ASCII characters percent-encoded as a browser would send them.
fn request_url(url: &str) -> String {
    let url = url.trim();
    let without_fragment = url.split_once('#').map_or(url, |(u, _)| u);
    crate::parse::encode_url(without_fragment)
}

/// `host:port`, lower-cased: what politeness limits are counted by. `None` for an address that
/// is not a valid absolute http(s) URL.
fn host_of(url: &str) -> Option<String> {
    let uri: ureq::http::Uri = url.parse().ok()?;
    let host = uri.host().filter(|h| !h.is_empty())?.to_ascii_lowercase();
    let port = uri.port_u16().unwrap_or(match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("https") => 443,
        _ => 80,
    });
    Some(format!("{host}:{port}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("15"), Ok(Duration::from_secs(15)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86400)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert!(parse_duration("1w").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn request_urls_drop_fragments_and_encode() {
        assert_eq!(request_url("https://a.org/x#part"), "https://a.org/x");
        assert_eq!(
            request_url("https://a.org/пе ре"),
            "https://a.org/%D0%BF%D0%B5%20%D1%80%D0%B5"
        );
        assert_eq!(host_of("https://A.org/x").as_deref(), Some("a.org:443"));
        assert_eq!(host_of("http://a.org:8080/").as_deref(), Some("a.org:8080"));
        assert_eq!(host_of("https:///x"), None);
    }

    #[test]
    fn source_urls_are_found_in_order() {
        let text = "---\ntitle: T\nsources:\n  - name: A\n    url: https://a.org/x\n  - name: B\n    url: https://a.org/x\n---\nBody https://a.org/x\n";
        let front = 4..text.find("---\nBody").unwrap();
        let key = text.find("sources").unwrap();
        let mut out = Vec::new();
        let urls = ["https://a.org/x", "mailto:x@y.z", "https://a.org/x"];
        let file = SourceFile {
            path: "b.md".into(),
            text: text.into(),
        };
        source_links(&file, front, key, urls.into_iter(), &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].start, out[1].start), ((5, 10), (7, 10)));
        assert_eq!(&text[out[1].span.clone()], "https://a.org/x");
    }

    #[test]
    fn body_links_point_at_the_url_or_its_definition() {
        use crate::markdown::ExternalLink;
        let text = "---\ntitle: T\n---\n[ref]: https://b.org/x\n\nSee [ref] and [c](https://c.org/#top).\n";
        let file = SourceFile {
            path: "t.md".into(),
            text: text.into(),
        };
        let link = |url: &str, line, column| ExternalLink {
            url: url.into(),
            line,
            column,
        };
        let external = [
            link("https://b.org/x", 6, 5),
            link("https://c.org/#top", 6, 15),
        ];
        let mut out = Vec::new();
        body_links(&file, text.find("[ref]:").unwrap(), &external, &mut out);
        assert_eq!((out[0].start, out[1].start), ((4, 8), (6, 19)));
        assert_eq!(&text[out[1].span.clone()], "https://c.org/#top");
    }
}
