//! Markdown to HTML, with the links between content files resolved.
//!
//! Runs after every file's front matter is known (the permalink map in [`LinkTargets`]), the
//! second of the two passes: a link to `../topics/iran.md` becomes a relative link to that
//! topic's page, a link to a missing file is an error naming both files, and root-relative links
//! to static files (`/images/map.svg`) are made relative so they work from any host and from disk.
//! Headings get ids and feed a table of contents; raw HTML and dangerous URL schemes go through
//! ammonia unless the site opts out.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostic::Diagnostic;

mod words;
pub use words::WordCount;

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
    pub words: WordCount,
    /// Content files this body links to, as paths relative to the site root.
    pub links: Vec<PathBuf>,
    /// Links with a `#fragment`, checked against the target page's ids once every body is
    /// rendered (see [`check_fragments`]).
    pub fragments: Vec<FragmentLink>,
    /// Every id the body gives its page: headings, ids written by hand, footnotes.
    pub ids: Vec<String>,
    /// Every `http(s)` URL the body links to, for `check --external`.
    pub external: Vec<ExternalLink>,
    /// Files beside the source that the body links to, copied next to its page.
    pub assets: Vec<Asset>,
    /// [`LinkTargets::reserved_key`] of the targets it was rendered against.
    pub reserved_key: u64,
    /// Every question the body asked of the [`LinkTargets`], with the answer it got: the same
    /// text renders to the same HTML as long as every answer stays the same (see
    /// [`Rendered::still_valid`]), which is how a rebuild knows it may keep this rendering.
    pub lookups: Vec<Lookup>,
}

/// A link to `#id` on this page or on another content file's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentLink {
    /// The content file linked to (relative to the root); `None` for this page.
    pub target: Option<PathBuf>,
    /// The id, percent-decoded.
    pub id: String,
    /// Byte offset of the link in the source file.
    pub offset: usize,
}

/// An absolute `http`/`https` URL in a body, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    pub url: String,
    /// 1-based line and column in the source file.
    pub line: usize,
    pub column: usize,
}

/// A file beside a content file (a page-bundle asset) that its body links to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Asset {
    /// The file, relative to the site root (`content/briefs/2025/03/map.png`).
    pub source: PathBuf,
    /// Where it goes, relative to the folder of the page showing the body (`map.png`).
    pub dest: String,
}

/// One question a body asked of the link targets, and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Whether a root-relative path is a file of the output.
    File(String, bool),
    /// The page URL of a content file, if it is published.
    Content(PathBuf, Option<String>),
    /// Whether a file beside the content files exists.
    Asset(PathBuf, bool),
    /// The size of an image file (relative to the root), as read.
    ImageSize(PathBuf, Option<(u32, u32)>),
}

impl Rendered {
    /// Whether rendering the same text against `targets` would give the same result.
    pub fn still_valid(&self, targets: &LinkTargets) -> bool {
        self.reserved_key == targets.reserved_key
            && self.lookups.iter().all(|l| match l {
                Lookup::File(path, found) => targets.files.contains(path) == *found,
                Lookup::Content(path, url) => {
                    targets.content.get(path) == url.as_ref()
                        && (url.is_some() || !targets.broken.contains(path))
                }
                Lookup::Asset(path, found) => targets.assets.contains(path) == *found,
                Lookup::ImageSize(path, size) => {
                    targets
                        .root
                        .as_ref()
                        .and_then(|r| image_size(&r.join(path)))
                        == *size
                }
            })
    }

    /// Whether rendering read the size of one of these files (relative to the root).
    pub fn measured_any(&self, paths: &std::collections::BTreeSet<PathBuf>) -> bool {
        self.lookups
            .iter()
            .any(|l| matches!(l, Lookup::ImageSize(p, _) if paths.contains(p)))
    }
}

/// Everything a link can point at, known before any Markdown is rendered.
#[derive(Debug, Default)]
pub struct LinkTargets {
    /// Content file (relative to the site root) → root-relative URL of its page.
    pub content: FxHashMap<PathBuf, String>,
    /// Root-relative paths that exist in the output: static files and generated files.
    pub files: FxHashSet<String>,
    /// Files under `content/` that are not Markdown, relative to the root: what a body may
    /// link to relatively (page-bundle assets).
    pub assets: FxHashSet<PathBuf>,
    /// Content files that exist but could not be read or parsed: a link to one is not
    /// reported (the file's own error is).
    pub broken: FxHashSet<PathBuf>,
    /// Ids the page templates use (`main`, `brief-toc`): content ids never take them.
    pub reserved_ids: FxHashSet<String>,
    /// A hash of `reserved_ids`, to tell whether a kept body was given ids against the same set.
    pub reserved_key: u64,
    /// The site folder, to read images' sizes; `None` renders without reading any file.
    pub root: Option<PathBuf>,
    /// Briefs held back until their time, with that time: a published page may not link to
    /// one yet.
    pub scheduled: FxHashMap<PathBuf, jiff::Timestamp>,
}

/// Sanitiser settings, built once per build.
pub struct Sanitizer {
    builder: ammonia::Builder<'static>,
}

impl Default for Sanitizer {
    fn default() -> Self {
        let mut builder = ammonia::Builder::default();
        builder
            .add_generic_attributes(["id", "class", "role", "aria-label"])
            .add_tags([
                "input",
                "section",
                "figure",
                "figcaption",
                "details",
                "summary",
                "picture",
                "source",
            ])
            // Responsive images: browsers never run script from an image candidate.
            .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
            .add_tag_attributes("source", ["srcset", "sizes", "type", "media"])
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
    let mut w = Walk::new(input);
    let mut heading: Option<Heading> = None;
    let mut image: Option<OpenImage> = None;
    let mut paragraph_depth = 0usize; // container nesting, to find the first top-level paragraph
    let mut in_first_paragraph = false;
    let mut first_done = false;
    let mut raw_block: Option<Chunk> = None;
    // Footnote definitions are moved to the end of the body: (label, start in `events`).
    let mut footnote: Option<(String, usize)> = None;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let offset = input.body_offset + range.start;
        if let Event::Start(tag) = &event
            && starts_block(tag)
        {
            w.md_depth += 1;
            w.block_inside_inline("a Markdown block (paragraph, list, heading…)", offset);
        }
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: w.resolve(dest_url, offset),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let file = image_file(input, &dest_url);
                let src = w.resolve(dest_url, offset);
                image = Some(OpenImage {
                    offset,
                    alt: String::new(),
                    at: w.events.len(),
                    src: src.to_string(),
                    title: title.to_string(),
                    size: w.image_size(&file, offset),
                });
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: src,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Image) => match image.take() {
                Some(img) => {
                    if img.alt.trim().is_empty() {
                        w.diags.push(missing_alt(input, img.offset, true));
                    }
                    match img.size {
                        // Written whole, with its size, so the page does not shift as it loads.
                        Some((width, height)) => {
                            w.events.truncate(img.at);
                            let title = if img.title.is_empty() {
                                String::new()
                            } else {
                                format!(" title=\"{}\"", escape_attr(&img.title))
                            };
                            Event::InlineHtml(
                                format!(
                                    "<img src=\"{}\" alt=\"{}\"{title} width=\"{width}\" height=\"{height}\">",
                                    escape_attr(&img.src),
                                    escape_attr(img.alt.split_whitespace().collect::<Vec<_>>().join(" ").as_str()),
                                )
                                .into(),
                            )
                        }
                        None => event,
                    }
                }
                None => event,
            },
            Event::Start(Tag::HtmlBlock) => {
                raw_block = Some(Chunk::default());
                event
            }
            Event::Html(text) => match &mut raw_block {
                Some(chunk) => {
                    chunk.push(&text, offset);
                    continue;
                }
                None => Event::Html(w.raw_html(&Chunk::single(&text, offset)).into()),
            },
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(chunk) = raw_block.take() {
                    let html = w.raw_html(&chunk);
                    w.events.push(Event::Html(html.into()));
                }
                event
            }
            Event::InlineHtml(text) => {
                Event::InlineHtml(w.raw_html(&Chunk::single(&text, offset)).into())
            }
            // pulldown-cmark's checkbox has no accessible name; say what the box means.
            Event::TaskListMarker(done) => Event::InlineHtml(CowStr::Borrowed(if done {
                r#"<input type="checkbox" disabled checked aria-label="Done"> "#
            } else {
                r#"<input type="checkbox" disabled aria-label="Not done"> "#
            })),
            Event::FootnoteReference(label) => Event::InlineHtml(w.footnote_ref(&label).into()),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                footnote = Some((label.to_string(), w.events.len()));
                paragraph_depth += 1;
                w.md_depth += 1;
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                paragraph_depth = paragraph_depth.saturating_sub(1);
                w.block_ends();
                if let Some((label, at)) = footnote.take() {
                    // A heading inside a note is not a section of the page: no id, no contents
                    // entry (its events move to the end, so their positions no longer hold).
                    w.headings.retain(|h| h.at < at);
                    let events = w.events.split_off(at.min(w.events.len()));
                    w.footnotes.define(label, events);
                }
                continue;
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                w.heading_level(level, offset);
                let explicit = id
                    .as_deref()
                    .map(|i| i.split_whitespace().collect::<Vec<_>>().join("-"))
                    .filter(|i| !i.is_empty());
                if let Some(id) = &explicit {
                    w.claim_explicit(id, offset);
                }
                heading = Some(Heading {
                    at: w.events.len(),
                    level,
                    text: String::new(),
                    explicit,
                });
                Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                })
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    w.headings.push(h);
                }
                event
            }
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Table(_)) => {
                paragraph_depth += 1;
                event
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Table) => {
                paragraph_depth = paragraph_depth.saturating_sub(1);
                event
            }
            Event::Start(Tag::Paragraph) => {
                if paragraph_depth == 0 && !first_done && footnote.is_none() {
                    in_first_paragraph = true;
                }
                event
            }
            Event::End(TagEnd::Paragraph) => {
                if in_first_paragraph {
                    in_first_paragraph = false;
                    first_done = !w.out.first_paragraph.trim().is_empty();
                }
                event
            }
            Event::Rule => {
                w.block_inside_inline("a horizontal rule", offset);
                event
            }
            other => other,
        };
        if let Event::End(end) = &event
            && ends_block(end)
        {
            w.block_ends();
        }
        match &event {
            Event::Text(t) | Event::Code(t) => {
                w.out.words += WordCount::of(t);
                if let Some(h) = &mut heading {
                    h.text.push_str(t);
                }
                if let Some(img) = &mut image {
                    img.alt.push_str(t);
                }
                if in_first_paragraph {
                    w.out.first_paragraph.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if in_first_paragraph => {
                w.out.first_paragraph.push(' ');
            }
            _ => {}
        }
        w.events.push(event);
    }
    let (mut out, diags, needs_sanitizing, events) = w.finish();
    out.first_paragraph = out
        .first_paragraph
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // Every brief's HTML is kept until its pages are written; spare capacity would add up.
    html.shrink_to_fit();
    let mut diags = diags;
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

/// A Markdown image being read: its alt text is the text inside it.
struct OpenImage {
    offset: usize,
    alt: String,
    /// Index of its `Start` event.
    at: usize,
    src: String,
    title: String,
    size: Option<(u32, u32)>,
}

/// What an image's `src` names.
enum ImageFile {
    /// A file of the site, relative to the root (`static/images/map.svg`, a file beside the
    /// brief).
    Local(PathBuf),
    /// An address on the web (or a `data:` URL): its size cannot be known here.
    Remote,
    /// Nothing that exists; the broken link is reported on its own.
    Missing,
}

/// The file an image's `src` names, found as the link is resolved: a root-relative path is a
/// file under `static/`, a relative one a file beside the content file.
fn image_file(input: &Input<'_>, src: &str) -> ImageFile {
    let src = src.trim();
    if src.is_empty() || src.starts_with("//") || url_scheme(src).is_some() {
        return ImageFile::Remote;
    }
    let path = match src.find(['#', '?']) {
        Some(i) => &src[..i],
        None => src,
    };
    let decoded = percent_decode(path);
    if let Some(rooted) = decoded.strip_prefix('/') {
        let rel = Path::new(crate::load::STATIC_DIR).join(rooted);
        return if input.targets.files.contains(rooted) {
            ImageFile::Local(rel)
        } else {
            ImageFile::Missing
        };
    }
    let base = input.path.parent().unwrap_or(Path::new(""));
    match normalize(&base.join(&decoded)) {
        Some(target) if input.targets.assets.contains(&target) => ImageFile::Local(target),
        _ => ImageFile::Missing,
    }
}

/// Plain text (a title, a caption) with the typography bodies get from smart punctuation:
/// straight quotes curled (`"Red lines"` → “Red lines”, `Russia's` → Russia’s), `--` and `---`
/// made en and em dashes, `...` an ellipsis. Nothing else of Markdown applies: every other
/// punctuation character is escaped before parsing, and a no-break space in front keeps the
/// text one paragraph (`1. Talks` is not a list, `# Talks` not a heading) while letting a
/// leading quote open.
pub fn smart_punctuation(text: &str) -> String {
    if !text.contains(['\'', '"']) && !text.contains("--") && !text.contains("...") {
        return text.to_string();
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    escaped.push('\u{a0}');
    for c in text.chars() {
        if c.is_ascii_punctuation() && !matches!(c, '\'' | '"' | '-' | '.') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for event in Parser::new_ext(&escaped, Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    match out.strip_prefix('\u{a0}') {
        Some(rest) => rest.to_string(),
        None => out,
    }
}

/// The size in pixels of the image at `path`: from the header of a raster image, or the
/// `width`/`height` (else the `viewBox`) of an SVG's root element.
pub fn image_size(path: &Path) -> Option<(u32, u32)> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        return svg_size(path);
    }
    let size = imagesize::size(path).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

fn svg_size(path: &Path) -> Option<(u32, u32)> {
    use quick_xml::events::Event as Xml;
    // The root element is near the top; a prologue or comments do not take 64 KiB.
    let mut head = Vec::with_capacity(4096);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path).ok()?, 64 * 1024),
        &mut head,
    )
    .ok()?;
    let mut reader = quick_xml::Reader::from_reader(head.as_slice());
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Xml::Start(e) | Xml::Empty(e) => {
                if e.local_name().as_ref() != b"svg" {
                    return None;
                }
                let attr = |name: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                };
                let pixels = |v: String| -> Option<u32> {
                    let v = v.trim();
                    let v = v.strip_suffix("px").unwrap_or(v);
                    let n: f64 = v.parse().ok()?;
                    (n.is_finite() && n > 0.0 && n < 1e6).then(|| n.round() as u32)
                };
                if let (Some(w), Some(h)) = (
                    attr(b"width").and_then(pixels),
                    attr(b"height").and_then(pixels),
                ) {
                    return Some((w, h));
                }
                let view_box = attr(b"viewBox")?;
                let nums: Vec<&str> = view_box
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|s| !s.is_empty())
                    .collect();
                return match nums.as_slice() {
                    [_, _, w, h] => Some((pixels(w.to_string())?, pixels(h.to_string())?)),
                    _ => None,
                };
            }
            Xml::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// A heading met in the walk; its id is given once every explicit id of the body is known.
struct Heading {
    /// Index of its `Start` event.
    at: usize,
    level: HeadingLevel,
    text: String,
    explicit: Option<String>,
}

/// Consecutive raw HTML (the lines of one HTML block, or one inline tag), with where each
/// piece starts in the source file.
#[derive(Default)]
struct Chunk {
    text: String,
    /// (offset in `text`, offset in the file) of each piece.
    pieces: Vec<(usize, usize)>,
}

impl Chunk {
    fn single(text: &str, offset: usize) -> Chunk {
        let mut c = Chunk::default();
        c.push(text, offset);
        c
    }

    fn push(&mut self, text: &str, offset: usize) {
        self.pieces.push((self.text.len(), offset));
        self.text.push_str(text);
    }

    /// The file offset of a position in the chunk's text.
    fn source_offset(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|&(start, _)| start <= at);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((start, file)) => file + (at - start),
            None => self.pieces.first().map_or(0, |p| p.1),
        }
    }
}

/// An element opened in raw HTML and not closed yet.
struct Open {
    name: String,
    /// File offset of its start tag.
    offset: usize,
    /// How many Markdown blocks were open around it: a Markdown block that ends closes the raw
    /// elements opened inside it, as a browser's parser does.
    md_depth: usize,
    /// Whether a block inside it was reported already.
    reported: bool,
}

/// The state of rendering one body.
struct Walk<'a> {
    input: &'a Input<'a>,
    out: Rendered,
    diags: Vec<Diagnostic>,
    events: Vec<Event<'a>>,
    needs_sanitizing: bool,
    ids: IdSet<'a>,
    headings: Vec<Heading>,
    footnotes: Footnotes<'a>,
    /// Raw HTML elements open now, outermost first.
    open: Vec<Open>,
    md_depth: usize,
    /// The level of the last heading; the page's title is the `h1`.
    last_level: u8,
}

impl<'a> Walk<'a> {
    fn new(input: &'a Input<'a>) -> Self {
        Walk {
            input,
            out: Rendered {
                reserved_key: input.targets.reserved_key,
                ..Rendered::default()
            },
            diags: Vec::new(),
            events: Vec::new(),
            needs_sanitizing: false,
            ids: IdSet::new(&input.targets.reserved_ids),
            headings: Vec::new(),
            footnotes: Footnotes::default(),
            open: Vec::new(),
            md_depth: 0,
            last_level: 1,
        }
    }

    fn resolve(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        resolve(
            self.input,
            dest,
            offset,
            &mut self.out,
            &mut self.diags,
            &mut self.needs_sanitizing,
        )
    }

    /// The size of an image, read from its file, recorded so a rebuild knows to look again;
    /// an image whose size cannot be known gets a warning (it makes the page shift as it loads).
    fn image_size(&mut self, file: &ImageFile, offset: usize) -> Option<(u32, u32)> {
        let input = self.input;
        let (size, why) = match file {
            ImageFile::Missing => return None,
            ImageFile::Remote => (None, "it is not a file of the site"),
            ImageFile::Local(rel) => {
                let size = input
                    .targets
                    .root
                    .as_ref()
                    .and_then(|r| image_size(&r.join(rel)));
                self.out.lookups.push(Lookup::ImageSize(rel.clone(), size));
                (size, "its file is not an image briefing can measure")
            }
        };
        if size.is_none() && input.targets.root.is_some() {
            self.diags.push(
                Diagnostic::error(
                    input.path,
                    format!("the image has no width and height, and {why}"),
                )
                .warning()
                .at_offset(input.text, offset)
                .with_code("image-size")
                .with_help(
                    "give its size in pixels, e.g. <img src=\"…\" alt=\"…\" width=\"800\" height=\"450\">, so the page does not shift as it loads",
                ),
            );
        }
        size
    }

    /// An explicit id (`{#id}` on a heading, `id=` in raw HTML): it is kept as written, so a
    /// second use of it, or one the template uses, is an error.
    fn claim_explicit(&mut self, id: &str, offset: usize) {
        let input = self.input;
        match self.ids.claim_explicit(id, offset) {
            Ok(()) => {}
            Err(Clash::Template) => self.diags.push(
                Diagnostic::error(
                    input.path,
                    format!("the id `{id}` is already used by the page template"),
                )
                .at_offset(input.text, offset)
                .with_code("duplicate-id")
                .with_help(format!(
                    "choose another id; the template's ids are: {}",
                    self.ids.reserved_list()
                )),
            ),
            Err(Clash::Body(first)) => {
                let (line, _) = crate::diagnostic::line_column(input.text, first);
                self.diags.push(
                    Diagnostic::error(
                        input.path,
                        format!("the id `{id}` is used twice in this body (first on line {line})"),
                    )
                    .at_offset(input.text, offset)
                    .with_code("duplicate-id")
                    .with_help(
                        "ids must be unique on a page; rename one of them (and links to it)",
                    ),
                );
            }
        }
    }

    /// Checks heading order: the page's title is its only `h1`, and levels do not skip.
    fn heading_level(&mut self, level: HeadingLevel, offset: usize) {
        let n = level as u8;
        let input = self.input;
        if n == 1 {
            self.diags.push(
                Diagnostic::error(input.path, "a level-1 heading in the body")
                    .warning()
                    .at_line_of(input.text, offset)
                    .with_code("heading-level")
                    .with_help(
                        "the page's title is its h1; start the body's sections at level 2 (## Heading)",
                    ),
            );
        } else if n > self.last_level + 1 {
            let want = self.last_level + 1;
            self.diags.push(
                Diagnostic::error(
                    input.path,
                    format!(
                        "the heading skips from level {} to level {n}",
                        self.last_level
                    ),
                )
                .warning()
                .at_line_of(input.text, offset)
                .with_code("heading-level")
                .with_help(format!(
                    "use level {want} here ({} Heading); screen readers navigate by heading level",
                    "#".repeat(usize::from(want))
                )),
            );
        }
        self.last_level = n;
    }

    fn block_ends(&mut self) {
        self.md_depth = self.md_depth.saturating_sub(1);
        let depth = self.md_depth;
        while self.open.last().is_some_and(|o| o.md_depth > depth) {
            self.open.pop();
        }
    }

    fn block_inside_inline(&mut self, what: &str, offset: usize) {
        let input = self.input;
        let Some(inline) = self
            .open
            .iter_mut()
            .rev()
            .find(|o| PHRASING_ONLY.contains(&o.name.as_str()))
        else {
            return;
        };
        if std::mem::replace(&mut inline.reported, true) {
            return;
        }
        let (line, _) = crate::diagnostic::line_column(input.text, inline.offset);
        self.diags.push(
            Diagnostic::error(
                input.path,
                format!(
                    "{what} inside <{}> (opened on line {line}), which may hold only text and inline elements",
                    inline.name
                ),
            )
            .warning()
            .at_line_of(input.text, offset)
            .with_code("block-in-inline")
            .with_help(format!(
                "close the <{}> before the block, or use <div> for a block container",
                inline.name
            )),
        );
    }

    /// Checks and rewrites one piece of raw HTML: every URL attribute is resolved like a
    /// Markdown link, ids are claimed, images need `alt`, and what the HTML checker would
    /// reject in a body is reported.
    fn raw_html(&mut self, chunk: &Chunk) -> String {
        use html5gum::{DefaultEmitter, Token, Tokenizer};
        self.needs_sanitizing = true;
        let input = self.input;
        let text = chunk.text.as_str();
        let mut emitter = DefaultEmitter::<usize>::new_with_span();
        emitter.naively_switch_states(true);
        // (span in `text`, replacement), in order.
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        for token in Tokenizer::new_with_emitter(text, emitter) {
            let Ok(token) = token;
            match token {
                Token::StartTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                    let at = chunk.source_offset(tag.span.start);
                    self.start_tag(&name, at);
                    let mut has_alt = false;
                    let (mut has_width, mut has_height) = (false, false);
                    let mut src = None;
                    for (attr, value) in &tag.attributes {
                        let attr = String::from_utf8_lossy(attr).to_ascii_lowercase();
                        let val = String::from_utf8_lossy(&value.value);
                        let span = value.span.start..value.span.end.min(text.len());
                        let attr_at = chunk.source_offset(span.start);
                        match attr.as_str() {
                            "alt" => has_alt = true,
                            "src" => src = Some(val.to_string()),
                            "id" => self.raw_id(&val, attr_at),
                            "width" | "height" | "colspan" | "rowspan" => {
                                has_width |= attr == "width";
                                has_height |= attr == "height";
                                self.whole_number(&name, &attr, &val, attr_at)
                            }
                            _ => {}
                        }
                        let new = match (attr.as_str(), name.as_str()) {
                            ("href", _) | ("src", _) | ("poster", "video") | ("data", "object") => {
                                let r = self.resolve(CowStr::from(val.to_string()), attr_at);
                                (r.as_ref() != val.as_ref()).then(|| r.to_string())
                            }
                            ("srcset", _) => self.srcset(&val, attr_at),
                            _ => None,
                        };
                        if let Some(new) = new
                            && let Some(raw) = text.get(span.clone())
                        {
                            let trailing = &raw[raw.trim_end().len()..];
                            edits.push((
                                span,
                                format!("{attr}=\"{}\"{trailing}", escape_attr(&new)),
                            ));
                        }
                    }
                    if name == "img" && !has_alt {
                        self.diags.push(missing_alt(input, at, false));
                    }
                    if name == "img"
                        && !(has_width && has_height)
                        && let Some(src) = &src
                    {
                        let file = image_file(input, src);
                        if let Some((w, h)) = self.image_size(&file, at) {
                            // Written before the tag's `>` (or `/>`), after every attribute.
                            let end = tag.span.end.min(text.len());
                            let tag_text = text.get(tag.span.start.min(end)..end).unwrap_or("");
                            // A tag cut off by the end of the text has no `>` to write before.
                            if tag_text.ends_with('>') {
                                let close = if tag_text.ends_with("/>") { 2 } else { 1 };
                                let at = end - close;
                                let mut sizes = String::new();
                                if !has_width {
                                    sizes.push_str(&format!(" width=\"{w}\""));
                                }
                                if !has_height {
                                    sizes.push_str(&format!(" height=\"{h}\""));
                                }
                                edits.push((at..at, sizes));
                            }
                        }
                    }
                    if !tag.self_closing && !VOID.contains(&name.as_str()) {
                        self.open.push(Open {
                            name,
                            offset: at,
                            md_depth: self.md_depth,
                            reported: false,
                        });
                    }
                }
                Token::EndTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                    if let Some(i) = self.open.iter().rposition(|o| o.name == name) {
                        self.open.truncate(i);
                    }
                }
                _ => {}
            }
        }
        if edits.is_empty() {
            return chunk.text.clone();
        }
        edits.sort_by_key(|(span, _)| span.start);
        let mut html = String::with_capacity(text.len() + 16);
        let mut at = 0;
        for (span, new) in edits {
            let whole = span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end);
            if span.start < at || !whole {
                continue;
            }
            html.push_str(&text[at..span.start]);
            html.push_str(&new);
            at = span.end;
        }
        html.push_str(&text[at..]);
        html
    }

    fn start_tag(&mut self, name: &str, offset: usize) {
        if let Some(level) = name
            .strip_prefix('h')
            .and_then(|n| n.parse::<u8>().ok())
            .and_then(|n| HeadingLevel::try_from(usize::from(n)).ok())
        {
            self.heading_level(level, offset);
        }
        if BLOCK.contains(&name) {
            self.block_inside_inline(&format!("<{name}>"), offset);
        }
    }

    fn raw_id(&mut self, id: &str, offset: usize) {
        let input = self.input;
        if id.is_empty() || id.chars().any(char::is_whitespace) {
            self.diags.push(
                Diagnostic::error(input.path, format!("the id {id:?} is not a valid id"))
                    .warning()
                    .at_offset(input.text, offset)
                    .with_code("invalid-attribute")
                    .with_help(
                        "an id must be non-empty and contain no spaces, e.g. id=\"key-dates\"",
                    ),
            );
            return;
        }
        self.claim_explicit(id, offset);
    }

    /// `width`, `height`, `colspan` and `rowspan` take a whole number (of pixels, of cells).
    fn whole_number(&mut self, element: &str, attr: &str, value: &str, offset: usize) {
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        let input = self.input;
        let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
        let example = if digits.is_empty() { "300" } else { &digits };
        let unit = if matches!(attr, "width" | "height") {
            "pixels, without a unit; use CSS for other units"
        } else {
            "a count of cells"
        };
        self.diags.push(
            Diagnostic::error(
                input.path,
                format!("`{attr}=\"{value}\"` on <{element}> is not a whole number"),
            )
            .warning()
            .at_offset(input.text, offset)
            .with_code("invalid-attribute")
            .with_help(format!("write {attr}=\"{example}\" ({unit})")),
        );
    }

    /// Resolves each URL of a `srcset` (`a.png 1x, b.png 2x`); `None` if none changed.
    fn srcset(&mut self, value: &str, offset: usize) -> Option<String> {
        let mut changed = false;
        let parts: Vec<String> = value
            .split(',')
            .map(|candidate| {
                let candidate = candidate.trim();
                let (url, descriptor) = candidate
                    .split_once(char::is_whitespace)
                    .unwrap_or((candidate, ""));
                let r = self.resolve(CowStr::from(url.to_string()), offset);
                changed |= r.as_ref() != url;
                if descriptor.is_empty() {
                    r.to_string()
                } else {
                    format!("{r} {}", descriptor.trim())
                }
            })
            .collect();
        changed.then(|| parts.join(", "))
    }

    fn footnote_ref(&mut self, label: &str) -> String {
        let (n, k) = self.footnotes.reference(label);
        let back = footnote_backref_id(n, k);
        format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn:{n}\" id=\"{back}\" role=\"doc-noteref\">{n}</a></sup>"
        )
    }

    /// Gives headings their ids (now that every explicit id is known), builds the table of
    /// contents, and appends the footnotes.
    fn finish(mut self) -> (Rendered, Vec<Diagnostic>, bool, Vec<Event<'a>>) {
        for h in std::mem::take(&mut self.headings) {
            let id = match h.explicit {
                Some(id) => id,
                None => {
                    let slug = crate::parse::slugify(&h.text);
                    self.ids.claim_auto(if slug.is_empty() {
                        "section".into()
                    } else {
                        slug
                    })
                }
            };
            if let Some(Event::Start(Tag::Heading { id: slot, .. })) = self.events.get_mut(h.at) {
                *slot = Some(CowStr::from(id.clone()));
            }
            let entry = TocEntry {
                id,
                title: h.text.split_whitespace().collect::<Vec<_>>().join(" "),
                children: Vec::new(),
            };
            match h.level {
                HeadingLevel::H2 => self.out.toc.push(entry),
                HeadingLevel::H3 => match self.out.toc.last_mut() {
                    Some(parent) => parent.children.push(entry),
                    None => self.out.toc.push(entry),
                },
                _ => {}
            }
        }
        let footnotes = std::mem::take(&mut self.footnotes);
        let mut ids: Vec<String> = self
            .ids
            .explicit
            .keys()
            .chain(&self.ids.generated)
            .cloned()
            .collect();
        for (n, refs) in footnotes.numbers.values() {
            ids.push(format!("fn:{n}"));
            ids.extend((1..=*refs).map(|k| footnote_backref_id(*n, k)));
        }
        ids.sort_unstable();
        self.out.ids = ids;
        if footnotes.has_any() {
            footnotes.append_to(&mut self.events);
        }
        (self.out, self.diags, self.needs_sanitizing, self.events)
    }
}

/// Footnotes in the order they are first referenced, with their definitions' events.
#[derive(Default)]
struct Footnotes<'a> {
    /// Label → (number, references so far).
    numbers: FxHashMap<String, (usize, usize)>,
    /// Definitions by label.
    definitions: FxHashMap<String, Vec<Event<'a>>>,
    /// Labels in order of number.
    order: Vec<String>,
}

impl<'a> Footnotes<'a> {
    /// Numbers a reference: (footnote number, 1-based count of references to it).
    fn reference(&mut self, label: &str) -> (usize, usize) {
        let next = self.order.len() + 1;
        let entry = self
            .numbers
            .entry(label.to_string())
            .or_insert_with(|| (next, 0));
        entry.1 += 1;
        let (n, k) = *entry;
        if n == next && k == 1 {
            self.order.push(label.to_string());
        }
        (n, k)
    }

    fn define(&mut self, label: String, events: Vec<Event<'a>>) {
        self.definitions.entry(label).or_insert(events);
    }

    fn has_any(&self) -> bool {
        !self.order.is_empty()
    }

    /// The footnotes section: an ordered list whose items link back to each reference.
    /// Definitions nothing refers to are left out, as on GitHub.
    fn append_to(mut self, events: &mut Vec<Event<'a>>) {
        events.push(Event::Html(CowStr::Borrowed(
            "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"Footnotes\">\n<ol>\n",
        )));
        for (i, label) in self.order.iter().enumerate() {
            let n = i + 1;
            let refs = self.numbers.get(label).map_or(1, |e| e.1);
            events.push(Event::Html(format!("<li id=\"fn:{n}\">\n").into()));
            let mut body = self.definitions.remove(label).unwrap_or_default();
            let backrefs: String = (1..=refs)
                .map(|k| {
                    let mark = if k == 1 {
                        "↩".to_string()
                    } else {
                        format!("↩<sup>{k}</sup>")
                    };
                    format!(
                        " <a href=\"#{}\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"Back to reference {n}{}\">{mark}</a>",
                        footnote_backref_id(n, k),
                        if k == 1 { String::new() } else { format!("-{k}") }
                    )
                })
                .collect();
            // The back-links go at the end of the definition's last paragraph.
            if matches!(body.last(), Some(Event::End(TagEnd::Paragraph))) {
                let end = body.pop();
                body.push(Event::InlineHtml(backrefs.into()));
                body.extend(end);
            } else {
                body.push(Event::Html(backrefs.into()));
            }
            events.extend(body);
            events.push(Event::Html(CowStr::Borrowed("</li>\n")));
        }
        events.push(Event::Html(CowStr::Borrowed("</ol>\n</section>\n")));
    }
}

/// The id of the `k`-th reference to footnote `n`.
fn footnote_backref_id(n: usize, k: usize) -> String {
    if k == 1 {
        format!("fnref:{n}")
    } else {
        format!("fnref:{n}:{k}")
    }
}

/// Whether a Markdown tag makes an HTML block element.
fn starts_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
    )
}

fn ends_block(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
    )
}

/// Elements with no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements that may hold only phrasing (inline) content.
const PHRASING_ONLY: &[&str] = &[
    "span", "em", "strong", "b", "i", "u", "s", "small", "code", "abbr", "cite", "q", "sub", "sup",
    "mark", "time", "label", "kbd", "samp", "var", "dfn", "bdi", "bdo", "data", "big", "tt",
    "font", "h1", "h2", "h3", "h4", "h5", "h6", "button", "legend", "dt", "pre",
];

/// Block (flow) elements, which phrasing elements may not hold.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "dialog",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

fn missing_alt(input: &Input<'_>, offset: usize, markdown: bool) -> Diagnostic {
    let help = if markdown {
        "describe the image between the brackets: ![Map of the region](map.png); for a purely decorative image use <img src=\"…\" alt=\"\">"
    } else {
        "add alt=\"…\" describing the image, or alt=\"\" if it is purely decorative"
    };
    Diagnostic::error(input.path, "an image without alternative text")
        .at_offset(input.text, offset)
        .with_code("missing-alt")
        .with_help(help)
}

/// Escapes a value for a double-quoted attribute.
fn escape_attr(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;")
}

/// Checks every `#fragment` link of the bodies against the ids of the page it leads to: the
/// target body's ids and the ids the templates write. Runs after every body is rendered, since a
/// link's target may be any of them; a missing id is an error at the link.
pub fn check_fragments<'a>(
    bodies: &[(&'a Path, &'a str, &'a Rendered)],
    reserved: &FxHashSet<String>,
) -> Vec<Diagnostic> {
    let by_path: FxHashMap<&Path, &Rendered> = bodies.iter().map(|(p, _, r)| (*p, *r)).collect();
    let mut diags = Vec::new();
    for (path, text, rendered) in bodies {
        for link in &rendered.fragments {
            let target = link.target.as_deref().unwrap_or(path);
            let Some(page) = by_path.get(target) else {
                continue;
            };
            if reserved.contains(&link.id) || page.ids.binary_search(&link.id).is_ok() {
                continue;
            }
            let which = match &link.target {
                Some(t) => format!("{}", t.display()),
                None => "this page".to_string(),
            };
            let known: Vec<&str> = page.ids.iter().map(String::as_str).collect();
            let help = match crate::diagnostic::closest(&link.id, &known) {
                Some(near) => format!("did you mean `#{near}`?"),
                None if page.toc.is_empty() => {
                    "link to the page without `#…`, or give the heading an id with `{#…}`".into()
                }
                None => format!(
                    "the page's sections are: {}",
                    page.toc
                        .iter()
                        .map(|t| format!("#{}", t.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(
                    *path,
                    format!(
                        "link to `#{}`, but {which} has no heading or element with that id",
                        link.id
                    ),
                )
                .at_offset(text, link.offset)
                .with_code("broken-link")
                .with_help(help),
            );
        }
    }
    diags
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
    .with_code("html-too-deep")
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

/// Why an explicit id cannot be had.
enum Clash {
    /// The page template uses it.
    Template,
    /// The body used it before, at this file offset.
    Body(usize),
}

/// Ids already used on a page. Explicit ids are kept as written; generated ones dodge every
/// id taken, getting `-1`, `-2`, … like GitHub's.
struct IdSet<'a> {
    reserved: &'a FxHashSet<String>,
    /// Explicit ids, with where each was written.
    explicit: FxHashMap<String, usize>,
    generated: FxHashSet<String>,
}

impl<'a> IdSet<'a> {
    fn new(reserved: &'a FxHashSet<String>) -> Self {
        IdSet {
            reserved,
            explicit: FxHashMap::default(),
            generated: FxHashSet::default(),
        }
    }

    fn taken(&self, id: &str) -> bool {
        self.reserved.contains(id) || self.explicit.contains_key(id) || self.generated.contains(id)
    }

    fn claim_explicit(&mut self, id: &str, offset: usize) -> Result<(), Clash> {
        if self.reserved.contains(id) {
            return Err(Clash::Template);
        }
        if let Some(&first) = self.explicit.get(id) {
            return Err(Clash::Body(first));
        }
        self.explicit.insert(id.to_string(), offset);
        Ok(())
    }

    fn claim_auto(&mut self, id: String) -> String {
        let mut candidate = id.clone();
        let mut n = 1;
        while self.taken(&candidate) {
            candidate = format!("{id}-{n}");
            n += 1;
        }
        self.generated.insert(candidate.clone());
        candidate
    }

    fn reserved_list(&self) -> String {
        let mut ids: Vec<&str> = self.reserved.iter().map(String::as_str).collect();
        ids.sort_unstable();
        ids.join(", ")
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
    if let Some(id) = d.strip_prefix('#')
        && !id.is_empty()
    {
        out.fragments.push(FragmentLink {
            target: None,
            id: percent_decode(id),
            offset,
        });
        return dest;
    }
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
            .with_code("broken-link")
            .with_help(format!(
                "put the file at static{path_part}, or fix the link"
            )),
        );
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
            .with_code("broken-link")
            .with_help("link to content files by their path relative to this file"),
        );
        return dest;
    };
    if !decoded.ends_with(".md") {
        asset(input, path_part, base, target, offset, out, diags);
        return dest;
    }
    let url = input.targets.content.get(&target);
    out.lookups
        .push(Lookup::Content(target.clone(), url.cloned()));
    match url {
        Some(url) => {
            if let Some(id) = suffix.split_once('#').map(|(_, id)| id)
                && !id.is_empty()
            {
                out.fragments.push(FragmentLink {
                    target: Some(target.clone()),
                    id: percent_decode(id),
                    offset,
                });
            }
            out.links.push(target);
            format!("{}{}{}", input.root_prefix, url, suffix).into()
        }
        // The file is there but broken; its own error says why.
        None if input.targets.broken.contains(&target) => dest,
        None if let Some(at) = input.targets.scheduled.get(&target) => {
            diags.push(
                Diagnostic::error(
                    input.path,
                    format!(
                        "link to {}, which is scheduled for {} and not published yet",
                        target.display(),
                        at.strftime("%Y-%m-%d %H:%M UTC")
                    ),
                )
                .at_offset(input.text, offset)
                .with_code("link-to-scheduled")
                .with_help("a published page cannot link to a brief before it is out: add the link in a build after its time, or preview both with --future"),
            );
            dest
        }
        None => {
            let candidates = input.targets.content.keys().chain(&input.targets.broken);
            let closest = closest(&target, candidates.map(PathBuf::as_path));
            let help = match closest {
                Some(c) => format!(
                    "did you mean `{}`? (links are resolved from {}; drafts are not published)",
                    relative_to(c, base),
                    base.display()
                ),
                None => format!(
                    "the link `{path_part}` is resolved from {}; check the file name (drafts are not published)",
                    base.display()
                ),
            };
            diags.push(
                Diagnostic::error(
                    input.path,
                    format!(
                        "link to {}, which does not exist or is not published",
                        target.display()
                    ),
                )
                .at_offset(input.text, offset)
                .with_code("broken-link")
                .with_help(help),
            );
            dest
        }
    }
}

/// A relative link to a file that is not Markdown: a file beside the content file, copied
/// next to its page under the same relative path, so the link stays as written.
fn asset(
    input: &Input<'_>,
    path_part: &str,
    base: &Path,
    target: PathBuf,
    offset: usize,
    out: &mut Rendered,
    diags: &mut Vec<Diagnostic>,
) {
    let found = input.targets.assets.contains(&target);
    out.lookups.push(Lookup::Asset(target.clone(), found));
    if !found {
        let near = closest(&target, input.targets.assets.iter().map(PathBuf::as_path));
        let help = match near {
            Some(c) => format!("did you mean `{}`?", relative_to(c, base)),
            None => format!(
                "relative links point at files beside {} (put the file there), or write /path for a file in static/",
                input.path.display()
            ),
        };
        diags.push(
            Diagnostic::error(
                input.path,
                format!("link to {}, which does not exist", target.display()),
            )
            .at_offset(input.text, offset)
            .with_code("broken-link")
            .with_help(help),
        );
        return;
    }
    match target.strip_prefix(base) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.assets.push(Asset {
                source: target.clone(),
                dest: rel,
            });
        }
        _ => {
            diags.push(
                Diagnostic::error(
                    input.path,
                    format!(
                        "link to {path_part}, which is outside this file's folder"
                    ),
                )
                .at_offset(input.text, offset)
                .with_code("broken-link")
                .with_help(format!(
                    "files linked relatively are copied next to the page, so they must sit in {} or below it; or put the file in static/ and link /its/path",
                    base.display()
                )),
            );
        }
    }
}

/// The candidate most like `target` (by file name, then path), if any is close enough.
fn closest<'p>(target: &Path, candidates: impl Iterator<Item = &'p Path>) -> Option<&'p Path> {
    let name = target.file_name()?.to_string_lossy();
    let mut best: Option<(f64, &Path)> = None;
    for c in candidates {
        let Some(cname) = c.file_name() else { continue };
        // Edit distance, not Jaro-Winkler: brief file names share a long date prefix.
        let mut score = strsim::normalized_damerau_levenshtein(&name, &cname.to_string_lossy());
        if c.parent() == target.parent() {
            score += 0.02;
        }
        if score > 0.7 && best.is_none_or(|(s, p)| score > s || (score == s && c < p)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, p)| p)
}

/// `path` written relative to the folder `base` (both relative to the site root).
fn relative_to(path: &Path, base: &Path) -> String {
    pathdiff::diff_paths(path, base)
        .unwrap_or_else(|| path.to_path_buf())
        .to_string_lossy()
        .replace('\\', "/")
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
pub(crate) fn normalize(path: &Path) -> Option<PathBuf> {
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

    #[test]
    fn smart_punctuation_curls_quotes_and_dashes_only() {
        assert_eq!(
            smart_punctuation(r#"Kremlin says ties "recovering" -- Peskov's view..."#),
            "Kremlin says ties “recovering” – Peskov’s view…"
        );
        assert_eq!(
            smart_punctuation("'Red lines' --- again"),
            "‘Red lines’ — again"
        );
        // Markdown syntax stays as written.
        for plain in [
            "1. Talks *resume* in <b>Riyadh</b> & [Istanbul](x) `now` \\o/ 'x'",
            "# Talks -- day two",
            "- Talks",
            "> Quote \"here\"",
        ] {
            let out = smart_punctuation(plain);
            let back = out
                .replace(['‘', '’'], "'")
                .replace(['“', '”'], "\"")
                .replace('–', "--");
            assert_eq!(back, plain, "{out}");
        }
        assert_eq!(smart_punctuation("No change"), "No change");
    }

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
    fn first_paragraph_is_plain_text() {
        let (r, _) = render_body("## Head\n\nThe *Kremlin* said\n`x` today.\n\nMore.\n", true);
        assert_eq!(r.first_paragraph, "The Kremlin said x today.");
    }
}
