//! Markdown to HTML, with the links between content files resolved.
//!
//! Runs after every file's front matter is known (the permalink map in [`LinkTargets`]), the
//! second of the two passes: a link to `../topics/iran.md` becomes a relative link to that
//! topic's page, a link to a missing file is an error naming both files, and root-relative links
//! to static files (`/images/map.svg`) are made relative so they work from any host and from disk.
//! Headings get ids and feed a table of contents; raw HTML and dangerous URL schemes go through
//! ammonia unless the site opts out.

use std::collections::HashSet;

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// One entry of a table of contents: an `h2` with its `h3`s.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// What rendering one Markdown body yields.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// The first paragraph as plain text: the default summary.
    pub first_paragraph: String,
    pub words: usize,
    /// Content files this body links to, as paths relative to the site root.
    pub links: Vec<PathBuf>,
    /// Every `http(s)` URL the body links to, for `check --external`.
    pub external: Vec<ExternalLink>,
    /// Every question the body asked of the [`LinkTargets`], with the answer it got: the same
    /// text renders to the same HTML as long as every answer stays the same (see
    /// [`Rendered::still_valid`]), which is how a rebuild knows it may keep this rendering.
    pub lookups: Vec<Lookup>,
}

/// An absolute `http`/`https` URL in a body, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    pub url: String,
    /// 1-based line and column in the source file.
    pub line: usize,
    pub column: usize,
}

/// One question a body asked of the link targets, and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Whether a root-relative path is a file of the output.
    File(String, bool),
    /// The page URL of a content file, if it is published.
    Content(PathBuf, Option<String>),
}

impl Rendered {
    /// Whether rendering the same text against `targets` would give the same result.
    pub fn still_valid(&self, targets: &LinkTargets) -> bool {
        self.lookups.iter().all(|l| match l {
            Lookup::File(path, found) => targets.files.contains(path) == *found,
            Lookup::Content(path, url) => targets.content.get(path) == url.as_ref(),
        })
    }
}

/// Everything a link can point at, known before any Markdown is rendered.
#[derive(Debug, Default)]
pub struct LinkTargets {
    /// Content file (relative to the site root) → root-relative URL of its page.
    pub content: FxHashMap<PathBuf, String>,
    /// Root-relative paths that exist in the output: static files and generated files.
    pub files: FxHashSet<String>,
}

/// Sanitiser settings, built once per build.
pub struct Sanitizer {
    builder: ammonia::Builder<'static>,
}

impl Default for Sanitizer {
    fn default() -> Self {
        let mut builder = ammonia::Builder::default();
        builder
            .add_generic_attributes(["id", "class"])
            .add_tags([
                "input",
                "section",
                "figure",
                "figcaption",
                "details",
                "summary",
            ])
            .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
            // Ammonia's default rel="noopener noreferrer" would stay on links whose unsafe
            // href it removed, which is invalid HTML; nothing here opens new windows anyway.
            .link_rel(None)
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .attribute_filter(|_, attr, value| {
                // Tables align cells with `style`; nothing else of CSS passes.
                if attr == "style" {
                    let ok = matches!(
                        value,
                        "text-align: left" | "text-align: center" | "text-align: right"
                    );
                    return ok.then(|| value.into());
                }
                Some(value.into())
            });
        Sanitizer { builder }
    }
}

impl Sanitizer {
    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }
}

/// Where the Markdown comes from and how to resolve its links.
pub struct Input<'a> {
    /// The file, relative to the site root.
    pub path: &'a Path,
    /// The whole file's text, for locating errors.
    pub text: &'a str,
    /// Byte offset of the Markdown body in `text`.
    pub body_offset: usize,
    pub targets: &'a LinkTargets,
    /// Relative prefix from the page that shows this body to the site root, e.g. `../../`.
    pub root_prefix: &'a str,
    /// `None` keeps raw HTML as written.
    pub sanitizer: Option<&'a Sanitizer>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a Markdown body. Broken links are returned as diagnostics; the HTML is still made.
pub fn render(input: &Input<'_>) -> (Rendered, Vec<Diagnostic>) {
    let body = &input.text[input.body_offset..];
    let mut diags = Vec::new();
    let mut out = Rendered::default();
    let mut needs_sanitizing = false;
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut heading: Option<usize> = None; // index of the open heading's Start event
    let mut heading_text = String::new();
    let mut paragraph_depth = 0usize; // container nesting, to find the first top-level paragraph
    let mut in_first_paragraph = false;
    let mut first_done = false;
    let mut ids = IdSet::default();

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let offset = input.body_offset + range.start;
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = resolve(
                    input,
                    dest_url,
                    offset,
                    &mut out,
                    &mut diags,
                    &mut needs_sanitizing,
                );
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = resolve(
                    input,
                    dest_url,
                    offset,
                    &mut out,
                    &mut diags,
                    &mut needs_sanitizing,
                );
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                needs_sanitizing = true;
                event
            }
            // pulldown-cmark's checkbox has no accessible name; say what the box means.
            Event::TaskListMarker(done) => Event::InlineHtml(CowStr::Borrowed(if done {
                r#"<input type="checkbox" disabled checked aria-label="Done"> "#
            } else {
                r#"<input type="checkbox" disabled aria-label="Not done"> "#
            })),
            Event::Start(Tag::Heading { .. }) => {
                heading = Some(events.len());
                heading_text.clear();
                event
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading.take() {
                    finish_heading(
                        &mut events[start],
                        level,
                        &heading_text,
                        &mut ids,
                        &mut out.toc,
                    );
                }
                event
            }
            Event::Start(
                Tag::BlockQuote(_) | Tag::List(_) | Tag::FootnoteDefinition(_) | Tag::Table(_),
            ) => {
                paragraph_depth += 1;
                event
            }
            Event::End(
                TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::Table,
            ) => {
                paragraph_depth = paragraph_depth.saturating_sub(1);
                event
            }
            Event::Start(Tag::Paragraph) => {
                if paragraph_depth == 0 && !first_done {
                    in_first_paragraph = true;
                }
                event
            }
            Event::End(TagEnd::Paragraph) => {
                if in_first_paragraph {
                    in_first_paragraph = false;
                    first_done = !out.first_paragraph.trim().is_empty();
                }
                event
            }
            other => other,
        };
        match &event {
            Event::Text(t) | Event::Code(t) => {
                out.words += count_words(t);
                if heading.is_some() {
                    heading_text.push_str(t);
                }
                if in_first_paragraph {
                    out.first_paragraph.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if in_first_paragraph => {
                out.first_paragraph.push(' ');
            }
            _ => {}
        }
        events.push(event);
    }
    out.first_paragraph = out
        .first_paragraph
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // Every brief's HTML is kept until its pages are written; spare capacity would add up.
    html.shrink_to_fit();
    out.html = match input.sanitizer {
        Some(_) if needs_sanitizing && html_depth(&html) > MAX_HTML_DEPTH => {
            diags.push(too_deep(input));
            String::new()
        }
        Some(s) if needs_sanitizing => s.clean(&html),
        _ => html,
    };
    (out, diags)
}

/// The number of whitespace-separated words, as `split_whitespace().count()`, with a fast path
/// for ASCII text, which is most of what briefs are written in.
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        let space = b.is_ascii_whitespace() || b == 0x0b;
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

/// Raw HTML nested deeper than this is refused before sanitising: html5ever scans its stack of
/// open elements for many tags, so N nested `<div>`s cost N² (10,000 took 10 s in a debug build).
pub const MAX_HTML_DEPTH: usize = 1000;

fn too_deep(input: &Input<'_>) -> Diagnostic {
    Diagnostic::error(
        input.path,
        format!("the body's HTML is nested more than {MAX_HTML_DEPTH} elements deep"),
    )
    .at_offset(input.text, input.body_offset)
    .with_help("flatten the nesting of lists, quotes or raw HTML elements")
}

/// How deep elements nest in `html`, counting opening and closing tags in one linear pass.
/// Void elements and those whose end tag may be left out (`p`, `li`, `td`, …) are not counted,
/// so unclosed ones do not add up; the result bounds the depth html5ever will see.
fn html_depth(html: &str) -> usize {
    const UNCOUNTED: &[&[u8]] = &[
        b"area",
        b"base",
        b"br",
        b"col",
        b"embed",
        b"hr",
        b"img",
        b"input",
        b"link",
        b"meta",
        b"source",
        b"track",
        b"wbr",
        b"p",
        b"li",
        b"dt",
        b"dd",
        b"option",
        b"optgroup",
        b"tr",
        b"td",
        b"th",
        b"thead",
        b"tbody",
        b"tfoot",
        b"rp",
        b"rt",
        b"colgroup",
        b"caption",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    for (i, _) in html.match_indices('<') {
        let rest = bytes.get(i + 1..).unwrap_or_default();
        match rest.first() {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let len = rest
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .unwrap_or(rest.len());
                let name = rest[..len].to_ascii_lowercase();
                if !UNCOUNTED.contains(&name.as_slice()) {
                    depth += 1;
                    max = max.max(depth);
                }
            }
            _ => {}
        }
    }
    max
}

/// Gives a heading its id (kept if the author set one) and adds it to the table of contents.
fn finish_heading(
    start: &mut Event<'_>,
    level: HeadingLevel,
    text: &str,
    ids: &mut IdSet,
    toc: &mut Vec<TocEntry>,
) {
    let Event::Start(Tag::Heading { id, .. }) = start else {
        return;
    };
    let wanted = match id.as_deref() {
        Some(explicit) if !explicit.trim().is_empty() => {
            explicit.split_whitespace().collect::<Vec<_>>().join("-")
        }
        _ => crate::parse::slugify(text),
    };
    let unique = ids.claim(if wanted.is_empty() {
        "section".into()
    } else {
        wanted
    });
    *id = Some(CowStr::from(unique.clone()));
    let title = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let entry = TocEntry {
        id: unique,
        title,
        children: Vec::new(),
    };
    match level {
        HeadingLevel::H2 => toc.push(entry),
        HeadingLevel::H3 => match toc.last_mut() {
            Some(parent) => parent.children.push(entry),
            None => toc.push(entry),
        },
        _ => {}
    }
}

/// Ids already used on a page; repeats get `-1`, `-2`, … like GitHub does.
#[derive(Default)]
struct IdSet(HashSet<String>);

impl IdSet {
    fn claim(&mut self, id: String) -> String {
        if self.0.insert(id.clone()) {
            return id;
        }
        let mut n = 1;
        loop {
            let candidate = format!("{id}-{n}");
            if self.0.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// Rewrites one link destination, recording links to content files and reporting broken ones.
fn resolve<'a>(
    input: &Input<'_>,
    dest: CowStr<'a>,
    offset: usize,
    out: &mut Rendered,
    diags: &mut Vec<Diagnostic>,
    needs_sanitizing: &mut bool,
) -> CowStr<'a> {
    let d = dest.trim();
    if d.is_empty() || d.starts_with('#') || d.starts_with("//") {
        return dest;
    }
    if let Some(scheme) = url_scheme(d) {
        if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
            let (line, column) = crate::diagnostic::line_column(input.text, offset);
            out.external.push(ExternalLink {
                url: d.to_string(),
                line,
                column,
            });
        }
        if !matches!(
            scheme.to_ascii_lowercase().as_str(),
            "http" | "https" | "mailto" | "tel"
        ) {
            *needs_sanitizing = true;
        }
        return dest;
    }
    let (path_part, suffix) = match d.find(['#', '?']) {
        Some(i) => (&d[..i], &d[i..]),
        None => (d, ""),
    };
    let decoded = percent_decode(path_part);
    if let Some(rooted) = decoded.strip_prefix('/') {
        let target = if rooted.is_empty() || rooted.ends_with('/') {
            format!("{rooted}index.html")
        } else {
            rooted.to_string()
        };
        let found = input.targets.files.contains(&target);
        out.lookups.push(Lookup::File(target.clone(), found));
        if found {
            return format!("{}{}{}", input.root_prefix, encode_path(&target), suffix).into();
        }
        let dir_index = format!("{target}/index.html");
        let found = input.targets.files.contains(&dir_index);
        out.lookups.push(Lookup::File(dir_index.clone(), found));
        if found {
            return format!("{}{}{}", input.root_prefix, encode_path(&dir_index), suffix).into();
        }
        diags.push(
            Diagnostic::error(
                input.path,
                format!(
                    "link to {path_part}, which is neither a file in static/ nor a generated page"
                ),
            )
            .at_offset(input.text, offset)
            .with_help(format!(
                "put the file at static{path_part}, or fix the link"
            )),
        );
        return dest;
    }
    if !decoded.ends_with(".md") {
        return dest;
    }
    let base = input.path.parent().unwrap_or(Path::new(""));
    let Some(target) = normalize(&base.join(&decoded)) else {
        diags.push(
            Diagnostic::error(
                input.path,
                format!("link to {path_part} points outside the site"),
            )
            .at_offset(input.text, offset)
            .with_help("link to content files by their path relative to this file"),
        );
        return dest;
    };
    let url = input.targets.content.get(&target);
    out.lookups
        .push(Lookup::Content(target.clone(), url.cloned()));
    match url {
        Some(url) => {
            out.links.push(target);
            format!("{}{}{}", input.root_prefix, url, suffix).into()
        }
        None => {
            diags.push(
                Diagnostic::error(
                    input.path,
                    format!("link to {}, which does not exist or is not published", target.display()),
                )
                .at_offset(input.text, offset)
                .with_help(format!(
                    "the link `{path_part}` is resolved from {}; check the file name (drafts are not published)",
                    base.display()
                )),
            );
            dest
        }
    }
}

/// The scheme of an absolute URL (`https` in `https://…`), if `s` has one.
fn url_scheme(s: &str) -> Option<&str> {
    let (scheme, _) = s.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then_some(scheme)
}

/// Resolves `.` and `..` without touching the disk; `None` if the path climbs above its root.
fn normalize(path: &Path) -> Option<PathBuf> {
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

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| s.to_string())
}

/// Percent-encodes what must not appear raw in a URL path: spaces, quotes, `#`, `?`, `%` and
/// non-ASCII (as UTF-8).
fn encode_path(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'#')
        .add(b'?')
        .add(b'%');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> LinkTargets {
        let mut t = LinkTargets::default();
        t.content.insert(
            PathBuf::from("content/briefs/2025/02/2025-02-18-riyadh.md"),
            "briefs/riyadh/index.html".into(),
        );
        t.files.insert("images/map.svg".into());
        t.files.insert("topics/iran/index.html".into());
        t
    }

    fn render_body(body: &str, sanitize: bool) -> (Rendered, Vec<Diagnostic>) {
        let t = targets();
        let s = Sanitizer::default();
        let text = format!("---\ntitle: x\n---\n{body}");
        let input = Input {
            path: Path::new("content/briefs/2025/03/2025-03-01-x.md"),
            text: &text,
            body_offset: 16,
            targets: &t,
            root_prefix: "../../",
            sanitizer: sanitize.then_some(&s),
        };
        render(&input)
    }

    #[test]
    fn content_links_become_relative_page_links() {
        let (r, d) = render_body("See [talks](../02/2025-02-18-riyadh.md#who).\n", true);
        assert!(d.is_empty(), "{d:?}");
        assert!(
            r.html
                .contains(r#"href="../../briefs/riyadh/index.html#who""#),
            "{}",
            r.html
        );
        assert_eq!(
            r.links,
            vec![PathBuf::from("content/briefs/2025/02/2025-02-18-riyadh.md")]
        );
    }

    #[test]
    fn broken_link_names_both_files_and_line() {
        let (_, d) = render_body("text\n\n[x](../02/missing.md)\n", true);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, Some(6));
        assert!(
            d[0].message.contains("content/briefs/2025/02/missing.md"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn root_relative_static_links_are_rewritten() {
        let (r, d) = render_body("![map](/images/map.svg) [iran](/topics/iran/)\n", true);
        assert!(d.is_empty(), "{d:?}");
        assert!(
            r.html.contains(r#"src="../../images/map.svg""#),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r#"href="../../topics/iran/index.html""#),
            "{}",
            r.html
        );
    }

    #[test]
    fn headings_get_unique_ids_and_toc() {
        let (r, _) = render_body("## What happened\n\n### Who\n\n## What happened\n", true);
        assert!(r.html.contains(r#"<h2 id="what-happened">"#), "{}", r.html);
        assert!(
            r.html.contains(r#"<h2 id="what-happened-1">"#),
            "{}",
            r.html
        );
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].children[0].id, "who");
    }

    #[test]
    fn raw_html_is_sanitised_unless_opted_out() {
        let body = "<script>alert(1)</script><a href=\"javascript:x()\" onclick=\"y()\">a</a>\n\n[b](javascript:alert(2))\n";
        let (r, _) = render_body(body, true);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        let (r, _) = render_body(body, false);
        assert!(r.html.contains("<script>"), "{}", r.html);
    }

    #[test]
    fn task_list_boxes_are_labelled_even_when_sanitised() {
        for sanitize in [true, false] {
            let (r, _) = render_body("- [x] done\n- [ ] open\n\n<b>x</b>\n", sanitize);
            assert!(r.html.contains(r#"aria-label="Done""#), "{}", r.html);
            assert!(r.html.contains(r#"aria-label="Not done""#), "{}", r.html);
        }
    }

    #[test]
    fn word_count_matches_split_whitespace() {
        for text in [
            "",
            " ",
            "one",
            "  two words  ",
            "tab\tand\nnewline\r\nand\x0bvertical\x0cfeed",
            "non-ASCII: naïve café\u{a0}with no-break\u{2003}em space",
            "a,b;c",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let (r, _) = render_body("## Head\n\nThe *Kremlin* said\n`x` today.\n\nMore.\n", true);
        assert_eq!(r.first_paragraph, "The Kremlin said x today.");
    }
}
