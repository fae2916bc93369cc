//! Front matter: split it from the body, deserialize it, validate it.
//!
//! Takes [`SourceFile`]s and hands on [`ParsedBrief`], [`ParsedTopic`], [`ParsedPage`] and
//! [`ParsedAuthor`] (an author's profile): typed, validated fields plus the Markdown body and
//! where it starts in the file. Raw serde structs (`Raw*`) only mirror the file; the `Parsed*`
//! types hold what the rest of the pipeline may rely on (real dates, clean slugs, known
//! statuses). Every problem is pushed as a located [`Diagnostic`]; a file with problems is
//! dropped, the others go on, so one run reports every bad file.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::load::SourceFile;
pub use alias::Alias;

pub mod alias;
mod explain;
pub(crate) mod unclosed;

/// Which syntax the front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

/// A file split into front matter and body, as byte ranges of the file's text.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    pub format: Format,
    pub front: &'a str,
    /// Byte offset of `front` in the file.
    pub front_offset: usize,
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Splits `---` YAML or `+++` TOML front matter from the body.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_line_end].trim_end();
    let (format, delim) = match first {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => {
            return Err(Diagnostic::error(path, "the file has no front matter")
                .with_code("no-front-matter")
                .at_offset(text, 0)
                .with_help(
                    "start the file with a `---` line, then fields such as `title: …`, then another `---` line (or use `+++` for TOML)",
                ));
        }
    };
    let front_offset = (first_line_end + 1).min(text.len());
    let mut pos = front_offset;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == delim {
            let body_offset = (end + 1).min(text.len());
            return Ok(Split {
                format,
                front: &text[front_offset..pos],
                front_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        pos = end + 1;
    }
    Err(Diagnostic::error(
        path,
        "the front matter opened here is never closed".to_string(),
    )
    .with_code("unclosed-front-matter")
    .at_span(text, 0..first_line_end)
    .with_help(format!(
        "add a line with just `{delim}` after the last field"
    )))
}

/// Byte offset of the line where top-level `key` is set (`key:` or `key =`), if any.
pub fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key) {
            let rest = rest.trim_start_matches([' ', '\t']);
            if rest.starts_with(':') || rest.starts_with('=') {
                return Some(offset);
            }
        }
        offset += line.len();
    }
    None
}

/// Deserializes front matter, locating errors in the whole file and saying them in plain words
/// (see [`explain`]).
fn deserialize<T: for<'de> Deserialize<'de>>(
    path: &Path,
    text: &str,
    split: &Split<'_>,
    known: &[&str],
) -> Result<T, Diagnostic> {
    let front = explain::Front {
        path,
        text,
        front: split.front,
        offset: split.front_offset,
        format: split.format,
        known,
    };
    match split.format {
        Format::Yaml => {
            // An empty YAML document is null; treat it as an empty mapping so the
            // message is about the missing fields.
            let yaml = if split.front.trim().is_empty() {
                "{}"
            } else {
                split.front
            };
            serde_saphyr::from_str::<T>(yaml).map_err(|e| explain::yaml(&front, &e))
        }
        Format::Toml => toml::from_str::<T>(split.front).map_err(|e| explain::toml(&front, &e)),
    }
}

/// A list of strings that also accepts a single string (`topics: iran`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringList(pub Vec<String>);

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of names, like [a, b]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringList, E> {
                Ok(StringList(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringList, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(StringList(out))
            }
            fn visit_unit<E: de::Error>(self) -> Result<StringList, E> {
                Ok(StringList::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// A date as written: a string, a bare YAML scalar or a TOML date.
#[derive(Debug, Clone)]
struct DateText(String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date like 2025-02-18 or 2025-02-18T09:30:00Z")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            // TOML dates arrive as a one-entry map holding the date's text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateText, A::Error> {
                match map.next_entry::<String, String>()? {
                    Some((_, v)) => Ok(DateText(v)),
                    None => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A publication date: the calendar date as written and the instant used for ordering and feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BriefDate {
    /// The instant; a date without a time is midnight UTC.
    pub timestamp: jiff::Timestamp,
    /// The calendar date as the author wrote it.
    pub date: jiff::civil::Date,
    /// Whether a time of day was given.
    pub has_time: bool,
}

impl BriefDate {
    pub fn parse(s: &str) -> Result<BriefDate, String> {
        let s = s.trim();
        if s.len() <= 10 {
            let date: jiff::civil::Date = s
                .parse()
                .map_err(|e: jiff::Error| format!("{s:?} is not a valid date: {e}"))?;
            let timestamp = date
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map_err(|e| e.to_string())?
                .timestamp();
            return Ok(BriefDate {
                timestamp,
                date,
                has_time: false,
            });
        }
        let timestamp: jiff::Timestamp = s
            .parse()
            .map_err(|e: jiff::Error| format!("{s:?} is not a valid date and time: {e}"))?;
        // RFC 3339 starts with the calendar date as written, whatever the offset.
        let date: jiff::civil::Date = s
            .get(..10)
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| format!("{s:?} does not start with a YYYY-MM-DD date"))?;
        Ok(BriefDate {
            timestamp,
            date,
            has_time: true,
        })
    }

    /// `YYYY-MM-DD`, for `<time datetime>` and sorting.
    pub fn ymd(&self) -> String {
        self.date.to_string()
    }

    /// RFC 3339 instant, for feeds and JSON-LD.
    pub fn rfc3339(&self) -> String {
        self.timestamp.to_string()
    }
}

/// How sure the desk is of a brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Developing,
    Confirmed,
    Disputed,
    Denied,
}

impl Status {
    /// Every status, in the order the README lists them (for `briefing new brief --status`).
    pub const ALL: [Status; 4] = [
        Status::Developing,
        Status::Confirmed,
        Status::Disputed,
        Status::Denied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Developing => "developing",
            Status::Confirmed => "confirmed",
            Status::Disputed => "disputed",
            Status::Denied => "denied",
        }
    }
}

/// One source of a brief.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
}

/// Whether an entry of a brief's log is an update or a correction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UpdateKind {
    #[default]
    Update,
    Correction,
}

impl UpdateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateKind::Update => "update",
            UpdateKind::Correction => "correction",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUpdate {
    date: DateText,
    text: String,
    #[serde(default)]
    kind: UpdateKind,
}

/// One entry of a brief's log of changes: what changed, when, and whether it corrects an error.
#[derive(Debug, Clone)]
pub struct BriefUpdate {
    pub date: BriefDate,
    pub kind: UpdateKind,
    /// The text as written (Markdown).
    pub text: String,
    /// The text as inline HTML: Markdown rendered, raw HTML escaped, unsafe links dropped.
    pub html: String,
}

/// The fields a brief's front matter may have.
pub const BRIEF_FIELDS: &[&str] = &[
    "title",
    "date",
    "updated",
    "updates",
    "topics",
    "summary",
    "slug",
    "sources",
    "people",
    "places",
    "organizations",
    "tags",
    "status",
    "draft",
    "aliases",
    "authors",
    "image",
    "language",
    "translation_of",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBrief {
    title: String,
    date: DateText,
    updated: Option<DateText>,
    #[serde(default)]
    updates: Vec<RawUpdate>,
    topics: StringList,
    summary: Option<String>,
    slug: Option<String>,
    #[serde(default)]
    sources: Vec<Source>,
    #[serde(default)]
    people: StringList,
    #[serde(default)]
    places: StringList,
    #[serde(default)]
    organizations: StringList,
    #[serde(default)]
    tags: StringList,
    status: Option<Status>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    aliases: StringList,
    #[serde(default)]
    authors: StringList,
    image: Option<RawImage>,
    language: Option<String>,
    translation_of: Option<String>,
}

/// `image:` as written: `{src, alt, caption, credit}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImage {
    src: String,
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
}

/// A brief's lead image as its front matter names it; the file is found and read by
/// [`crate::model`] and [`crate::images`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageField {
    /// Relative to the brief's file (a file beside it), or root-relative into `static/`.
    pub src: String,
    pub alt: String,
    /// Plain text, with smart punctuation like titles.
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// What a content file's front matter says of its language, for multilingual sites (see
/// [`crate::translations`]); checked against the site's languages there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translation {
    /// `language:` as written, with the offset of its line.
    pub language: Option<(String, usize)>,
    /// `translation_of:`, the original's path relative to the site root, with the offset of
    /// its line.
    pub of: Option<(std::path::PathBuf, usize)>,
}

/// `language:` and `translation_of:` of the file at `path`, each with its line's offset; the
/// original's path is resolved against the file's folder, as links are.
fn translation_fields(
    path: &Path,
    text: &str,
    split: &Split<'_>,
    language: Option<String>,
    of: Option<String>,
) -> Result<Translation, Diagnostic> {
    let at = |key: &str| {
        find_key(split.front, key).map_or(split.front_offset, |o| split.front_offset + o)
    };
    let language = (at("language"), language);
    let of = (at("translation_of"), of);
    let of = match of {
        (at, Some(written)) => {
            let written = written.trim();
            let base = path.parent().unwrap_or(Path::new(""));
            let target = crate::markdown::normalize(&base.join(written))
                .filter(|t| t.extension().is_some_and(|e| e == "md") && t != path);
            match target {
                Some(t) => Some((t, at)),
                None => {
                    return Err(Diagnostic::error(
                        path,
                        format!("`translation_of: {written}` does not name another Markdown file of the site"),
                    )
                    .with_code("invalid-field")
                    .at_line_of(text, at)
                    .with_help("give the original's path relative to this file, as in a link: `translation_of: ../2025-02-18-riyadh-talks.md`"));
                }
            }
        }
        (_, None) => None,
    };
    Ok(Translation {
        language: language.1.map(|l| (l.trim().to_string(), language.0)),
        of,
    })
}

/// A brief whose front matter is valid. Links and topics are not resolved yet.
#[derive(Debug, Clone)]
pub struct ParsedBrief {
    pub file: SourceFile,
    pub body_offset: usize,
    pub front_offset: usize,
    pub title: String,
    pub date: BriefDate,
    /// When the brief last changed: as written, else the newest entry of `updates`.
    pub updated: Option<BriefDate>,
    /// The log of updates and corrections, newest first.
    pub updates: Vec<BriefUpdate>,
    /// Topic references as written, with the byte offset of the `topics` key.
    pub topics: Vec<String>,
    pub summary: Option<String>,
    pub slug: String,
    pub sources: Vec<Source>,
    pub people: Vec<String>,
    pub places: Vec<String>,
    pub organizations: Vec<String>,
    pub tags: Vec<String>,
    pub status: Option<Status>,
    pub draft: bool,
    /// The URL slug of every name, in the order of `people`, `places`, `organizations` and
    /// `tags`: made here, once per file, so rebuilding the site never slugifies them again.
    pub name_slugs: [Vec<String>; 4],
    /// The URL slug of each source's outlet (its `name`), in the order of `sources`: the key of
    /// the outlet's page, so spellings that differ in case or accents share one.
    pub source_slugs: Vec<String>,
    /// A hash of the fields that decide the site's structure (path, slug, date, draft, topics,
    /// names, source names, aliases, authors), made once per file: see
    /// [`crate::model::structure_key`].
    pub structure: u64,
    /// Old addresses from `aliases:`, each kept working with a redirect page.
    pub old_addresses: Vec<Alias>,
    /// The byline as written; empty when the brief leaves it to the site's `author`.
    pub authors: Vec<String>,
    /// The URL slug of every author, in the order of `authors`.
    pub author_slugs: Vec<String>,
    pub image: Option<ImageField>,
    /// What the file says of its language (`language:`, `translation_of:`).
    pub translation: Translation,
}

impl ParsedBrief {
    /// The names of one list: 0 people, 1 places, 2 organizations, 3 tags.
    pub fn names(&self, list: usize) -> &[String] {
        match list {
            0 => &self.people,
            1 => &self.places,
            2 => &self.organizations,
            _ => &self.tags,
        }
    }

    pub fn body(&self) -> &str {
        &self.file.text[self.body_offset..]
    }

    /// Byte offset in the file of the line that sets `key`, or of the front matter.
    pub fn key_offset(&self, key: &str) -> usize {
        in_front(&self.file, self.front_offset, self.body_offset, |f| {
            find_key(f, key)
        })
    }

    /// Byte offset of the line that sets `image` (`image:`, `image =` or a TOML `[image]`
    /// table), or of the front matter.
    pub fn image_offset(&self) -> usize {
        in_front(&self.file, self.front_offset, self.body_offset, image_key)
    }
}

/// Byte offset in `file` of what `find` locates in its front matter (`front..body`), else of
/// the front matter: where a diagnostic about a field points.
fn in_front(
    file: &SourceFile,
    front: usize,
    body: usize,
    find: impl Fn(&str) -> Option<usize>,
) -> usize {
    find(&file.text[front..body]).map_or(front, |o| front + o)
}

/// Where `image` is set in front matter: as a key, or as a TOML table header.
fn image_key(front: &str) -> Option<usize> {
    find_key(front, "image").or_else(|| {
        let mut offset = 0;
        for line in front.split_inclusive('\n') {
            if line.trim() == "[image]" {
                return Some(offset);
            }
            offset += line.len();
        }
        None
    })
}

/// Checks a lead image's fields: alternative text is required, and the file must be one of the
/// site's (it is looked for once every file is known).
fn image_field(
    path: &Path,
    text: &str,
    offset: usize,
    raw: RawImage,
) -> Result<ImageField, Diagnostic> {
    let src = raw.src.trim().to_string();
    if src.is_empty() {
        return Err(Diagnostic::error(path, "the lead image's `src` is empty")
            .with_code("invalid-field")
            .at_line_of(text, offset)
            .with_help("name the image file, relative to this file (`src: map.png`) or in static/ (`src: /images/map.png`)"));
    }
    if src.starts_with("//")
        || src
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains(['/', '?', '#']))
    {
        return Err(Diagnostic::error(path, format!("the lead image {src:?} is not a file of the site"))
            .with_code("invalid-field")
            .at_line_of(text, offset)
            .with_help("lead images are resized at build time, so they must be files: put it beside this file or in static/"));
    }
    let alt = raw.alt.map(|a| a.trim().to_string()).unwrap_or_default();
    if alt.is_empty() {
        return Err(Diagnostic::error(path, "the lead image has no alternative text")
            .with_code("missing-alt")
            .at_line_of(text, offset)
            .with_help("describe what the image shows for readers who cannot see it: `alt: Map of the front line near Pokrovsk`"));
    }
    let clean = |t: Option<String>| {
        t.map(|t| crate::markdown::smart_punctuation(t.trim()))
            .filter(|t| !t.is_empty())
    };
    Ok(ImageField {
        src,
        alt,
        caption: clean(raw.caption),
        credit: clean(raw.credit),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    title: String,
    summary: Option<String>,
    order: Option<i64>,
    #[serde(default)]
    aliases: StringList,
    language: Option<String>,
    translation_of: Option<String>,
}

const TOPIC_FIELDS: &[&str] = &[
    "title",
    "summary",
    "order",
    "aliases",
    "language",
    "translation_of",
];

/// A topic file with valid front matter.
#[derive(Debug, Clone)]
pub struct ParsedTopic {
    pub file: SourceFile,
    pub body_offset: usize,
    pub front_offset: usize,
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub order: Option<i64>,
    /// Other slugs briefs may list the topic by: the bare slugs of `aliases:`.
    pub aliases: Vec<String>,
    /// Every alias (bare slugs and old paths), each kept working with a redirect page.
    pub old_addresses: Vec<Alias>,
    /// What the file says of its language (`language:`, `translation_of:`).
    pub translation: Translation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: String,
    order: Option<i64>,
    summary: Option<String>,
    #[serde(default)]
    aliases: StringList,
    language: Option<String>,
    translation_of: Option<String>,
}

const PAGE_FIELDS: &[&str] = &[
    "title",
    "order",
    "summary",
    "aliases",
    "language",
    "translation_of",
];

/// A free page with valid front matter.
#[derive(Debug, Clone)]
pub struct ParsedPage {
    pub file: SourceFile,
    pub body_offset: usize,
    pub slug: String,
    pub title: String,
    pub order: Option<i64>,
    pub summary: Option<String>,
    /// Old addresses from `aliases:`, each kept working with a redirect page.
    pub old_addresses: Vec<Alias>,
    /// What the file says of its language (`language:`, `translation_of:`).
    pub translation: Translation,
}

/// One link of an author's profile (a homepage, a social account).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ProfileLink {
    pub name: String,
    pub url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthor {
    name: Option<String>,
    title: Option<String>,
    role: Option<String>,
    bio: Option<String>,
    #[serde(default)]
    links: Vec<ProfileLink>,
    language: Option<String>,
    translation_of: Option<String>,
}

/// The fields an author's profile may have.
pub const AUTHOR_FIELDS: &[&str] = &[
    "name",
    "title",
    "role",
    "bio",
    "links",
    "language",
    "translation_of",
];

/// An author's profile (`content/authors/<slug>.md`) with valid front matter. The body, when
/// there is one, is the long form of the bio.
#[derive(Debug, Clone)]
pub struct ParsedAuthor {
    pub file: SourceFile,
    pub body_offset: usize,
    pub front_offset: usize,
    /// From the file name: the slug of the name briefs use in `authors:`.
    pub slug: String,
    /// `name`, or `title`: how the author's page and bylines name them.
    pub name: String,
    pub role: Option<String>,
    /// One plain-text line: the page's lede and its description.
    pub bio: Option<String>,
    pub links: Vec<ProfileLink>,
    /// What the file says of its language (`language:`, `translation_of:`).
    pub translation: Translation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    title: String,
    #[serde(default)]
    aliases: StringList,
    description: Option<String>,
    wikidata: Option<String>,
    #[serde(default)]
    links: Vec<ProfileLink>,
    image: Option<RawImage>,
    language: Option<String>,
    translation_of: Option<String>,
}

/// The fields an entity's profile may have.
pub const PROFILE_FIELDS: &[&str] = &[
    "title",
    "aliases",
    "description",
    "wikidata",
    "links",
    "image",
    "language",
    "translation_of",
];

/// A person's, place's, organisation's or tag's profile (`content/people/<slug>.md`, …) with
/// valid front matter. Briefs naming its title or any alias land on its page; the body is the
/// profile text.
#[derive(Debug, Clone)]
pub struct ParsedProfile {
    pub file: SourceFile,
    pub body_offset: usize,
    pub front_offset: usize,
    pub kind: crate::model::EntityKind,
    /// From the file name: the page's slug.
    pub slug: String,
    /// The name the page shows, whatever spelling briefs use.
    pub title: String,
    /// Other spellings, in any script, as written.
    pub aliases: Vec<String>,
    /// The slugs briefs' names are matched by: the file's, the title's, each alias's; each
    /// once, in that order.
    pub names: Vec<String>,
    /// One plain-text line: the page's lede and its description for search engines.
    pub description: Option<String>,
    /// A Wikidata item id (`Q7747`), whatever form it was written in.
    pub wikidata: Option<String>,
    pub links: Vec<ProfileLink>,
    pub image: Option<ImageField>,
    /// What the file says of its language (`language:`, `translation_of:`).
    pub translation: Translation,
}

impl ParsedProfile {
    /// Byte offset in the file of the line that sets `key`, or of the front matter.
    pub fn key_offset(&self, key: &str) -> usize {
        in_front(&self.file, self.front_offset, self.body_offset, |f| {
            find_key(f, key)
        })
    }

    /// Byte offset of the line that sets `image`, or of the front matter.
    pub fn image_offset(&self) -> usize {
        in_front(&self.file, self.front_offset, self.body_offset, image_key)
    }
}

/// Parses and validates one entity profile; `kind` is from its folder.
pub fn parse_profile(
    file: SourceFile,
    kind: crate::model::EntityKind,
) -> Result<ParsedProfile, Vec<Diagnostic>> {
    let path = file.path.clone();
    let text = &file.text;
    let split = split(&path, text).map_err(|d| vec![d])?;
    let raw: RawProfile = deserialize(&path, text, &split, PROFILE_FIELDS).map_err(|d| vec![d])?;
    let at = |key: &str| {
        find_key(split.front, key).map_or(split.front_offset, |o| split.front_offset + o)
    };
    let mut errors = Vec::new();
    errors.extend(check_text(&path, text, at("title"), "title", &raw.title).err());
    let slug = slug_from_stem(&path, text);
    let mut aliases = Vec::new();
    let mut alias_slugs = Vec::new();
    for alias in &raw.aliases.0 {
        let alias = alias.trim();
        let alias_slug = slugify(alias);
        if alias_slug.is_empty() {
            errors.push(
                Diagnostic::error(&path, format!("the alias {alias:?} has no letters or digits"))
                    .with_code("invalid-field")
                    .at_line_of(text, at("aliases"))
                    .with_help("an alias is another spelling of the name, e.g. `aliases: [Dmitri Peskov, Песков]`"),
            );
            continue;
        }
        aliases.push(alias.to_string());
        alias_slugs.push(alias_slug);
    }
    let wikidata = raw.wikidata.as_deref().map(str::trim).and_then(|w| match wikidata_id(w) {
        Some(id) => Some(id),
        None => {
            errors.push(
                Diagnostic::error(&path, format!("{w:?} is not a Wikidata item id"))
                    .with_code("invalid-field")
                    .at_line_of(text, at("wikidata"))
                    .with_help("give the item's id, a Q and digits, e.g. `wikidata: Q4223620`, or its https://www.wikidata.org/wiki/Q… address"),
            );
            None
        }
    });
    errors.extend(check_links(
        &path,
        text,
        at("links"),
        &raw.links,
        "Official site",
    ));
    let image = raw.image.and_then(|img| {
        let offset = image_key(split.front).map_or(split.front_offset, |o| split.front_offset + o);
        image_field(&path, text, offset, img)
            .map_err(|d| errors.push(d))
            .ok()
    });
    let slug = match slug {
        Ok(s) if errors.is_empty() => s,
        s => {
            errors.extend(s.err());
            return Err(errors);
        }
    };
    let title = crate::markdown::smart_punctuation(raw.title.trim());
    let mut names = vec![slug.clone()];
    for n in std::iter::once(slugify(&title)).chain(alias_slugs) {
        if !n.is_empty() && !names.contains(&n) {
            names.push(n);
        }
    }
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let translation = translation_fields(&path, text, &split, raw.language, raw.translation_of)
        .map_err(|d| vec![d])?;
    Ok(ParsedProfile {
        translation,
        kind,
        slug,
        title,
        aliases,
        names,
        description: clean(raw.description),
        wikidata,
        links: clean_links(raw.links),
        image,
        front_offset: split.front_offset,
        body_offset: split.body_offset,
        file,
    })
}

/// A profile's `links`, checked: each needs a name and an http(s), mailto or relative URL.
/// `example` names a typical link in the help text.
fn check_links(
    path: &Path,
    text: &str,
    at: usize,
    links: &[ProfileLink],
    example: &str,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for link in links {
        if link.name.trim().is_empty() {
            errors.push(
                Diagnostic::error(path, "a link has an empty `name`")
                    .with_code("invalid-field")
                    .at_line_of(text, at)
                    .with_help(format!("name every link, e.g. - name: {example}")),
            );
        }
        if !is_safe_url(&link.url) {
            errors.push(
                Diagnostic::error(
                    path,
                    format!(
                        "link URL {:?} is not an http(s), mailto or relative URL",
                        link.url
                    ),
                )
                .with_code("invalid-field")
                .at_line_of(text, at)
                .with_help("give a full address like https://example.org/about"),
            );
        }
    }
    errors
}

/// Links as pages show them: trimmed, with URLs percent-encoded.
fn clean_links(links: Vec<ProfileLink>) -> Vec<ProfileLink> {
    links
        .into_iter()
        .map(|l| ProfileLink {
            name: l.name.trim().to_string(),
            url: encode_url(l.url.trim()),
        })
        .collect()
}

/// The item id of a Wikidata reference: `Q42`, or an address ending in one.
fn wikidata_id(written: &str) -> Option<String> {
    let id = match written
        .strip_prefix("https://")
        .or_else(|| written.strip_prefix("http://"))
    {
        Some(rest) => {
            let (host, path) = rest.split_once('/')?;
            if !matches!(host, "www.wikidata.org" | "wikidata.org" | "m.wikidata.org") {
                return None;
            }
            path.trim_end_matches('/').rsplit('/').next()?
        }
        None => written,
    };
    let digits = id.strip_prefix(['Q', 'q'])?;
    (!digits.is_empty() && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("Q{digits}"))
}

/// Makes a URL slug: lower case ASCII letters, digits and hyphens, transliterating other scripts
/// ("Песков" → "peskov").
pub fn slugify(s: &str) -> String {
    slug::slugify(s)
}

/// The file stem without a leading `YYYY-MM-DD-` date.
fn stem_without_date(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let b = stem.as_bytes();
    let dated = b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
        && b[10] == b'-';
    if dated { stem[11..].to_string() } else { stem }
}

/// A slug from the file name, or an error saying how to name the file.
fn slug_from_path(path: &Path, text: &str) -> Result<String, Diagnostic> {
    let slug = slugify(&stem_without_date(path));
    if slug.is_empty() {
        return Err(no_slug(path, text));
    }
    Ok(slug)
}

fn no_slug(path: &Path, text: &str) -> Diagnostic {
    Diagnostic::error(path, "cannot make a URL slug from this file name")
        .with_code("invalid-slug")
        .at_offset(text, 0)
        .with_help(
            "rename the file to contain letters or digits, or set `slug:` in the front matter",
        )
}

fn check_explicit_slug(
    path: &Path,
    text: &str,
    offset: usize,
    slug: &str,
) -> Result<String, Diagnostic> {
    let clean = slugify(slug);
    if slug.contains(['/', '\\']) || slug.contains("..") {
        return Err(Diagnostic::error(
            path,
            format!("slug {slug:?} would write outside its folder"),
        )
        .with_code("invalid-slug")
        .at_line_of(text, offset)
        .with_help(format!(
            "a slug is one URL segment of lower-case letters, digits and hyphens, e.g. {clean:?}"
        )));
    }
    if clean != slug {
        return Err(
            Diagnostic::error(path, format!("slug {slug:?} is not a valid URL slug"))
                .with_code("invalid-slug")
                .at_line_of(text, offset)
                .with_help(if clean.is_empty() {
                    "use lower-case letters, digits and hyphens".to_string()
                } else {
                    format!("use {clean:?}")
                }),
        );
    }
    Ok(clean)
}

fn check_text(
    path: &Path,
    text: &str,
    offset: usize,
    field: &str,
    value: &str,
) -> Result<(), Diagnostic> {
    if value.trim().is_empty() {
        return Err(Diagnostic::error(path, format!("`{field}` is empty"))
            .with_code("invalid-field")
            .at_line_of(text, offset)
            .with_help(format!("give the {field} some text")));
    }
    Ok(())
}

/// Parses and validates one brief.
pub fn parse_brief(file: SourceFile) -> Result<ParsedBrief, Vec<Diagnostic>> {
    let path = file.path.clone();
    let text = &file.text;
    let split = split(&path, text).map_err(|d| vec![d])?;
    let raw: RawBrief = deserialize(&path, text, &split, BRIEF_FIELDS).map_err(|d| vec![d])?;
    let at = |key: &str| {
        find_key(split.front, key).map_or(split.front_offset, |o| split.front_offset + o)
    };
    let mut errors = Vec::new();
    if let Err(d) = check_text(&path, text, at("title"), "title", &raw.title) {
        errors.push(d);
    }
    let date = BriefDate::parse(&raw.date.0).map_err(|m| {
        Diagnostic::error(&path, format!("`date`: {m}"))
            .with_code("invalid-date")
            .at_line_of(text, at("date"))
            .with_help("write dates as YYYY-MM-DD, or RFC 3339 like 2025-02-18T09:30:00Z")
    });
    let updated = match &raw.updated {
        None => Ok(None),
        Some(u) => BriefDate::parse(&u.0).map(Some).map_err(|m| {
            Diagnostic::error(&path, format!("`updated`: {m}"))
                .with_code("invalid-date")
                .at_line_of(text, at("updated"))
                .with_help("write dates as YYYY-MM-DD, or RFC 3339 like 2025-02-18T09:30:00Z")
        }),
    };
    let mut updates: Vec<BriefUpdate> = Vec::new();
    for u in &raw.updates {
        let when = match BriefDate::parse(&u.date.0) {
            Ok(w) => w,
            Err(m) => {
                errors.push(
                    Diagnostic::error(&path, format!("an entry of `updates`: `date`: {m}"))
                        .with_code("invalid-date")
                        .at_line_of(text, at("updates"))
                        .with_help(
                            "write dates as YYYY-MM-DD, or RFC 3339 like 2025-02-18T09:30:00Z",
                        ),
                );
                continue;
            }
        };
        if u.text.trim().is_empty() {
            errors.push(
                Diagnostic::error(&path, "an entry of `updates` has an empty `text`")
                    .with_code("invalid-field")
                    .at_line_of(text, at("updates"))
                    .with_help("say what changed, e.g. text: Adds the ministry's reply."),
            );
            continue;
        }
        if let Ok(d) = &date
            && when.timestamp < d.timestamp
        {
            errors.push(
                Diagnostic::error(
                    &path,
                    format!(
                        "an entry of `updates` is dated {}, before the brief's `date`",
                        when.ymd()
                    ),
                )
                .with_code("invalid-date")
                .at_line_of(text, at("updates"))
                .with_help("an update or correction comes after publication; check the year"),
            );
        }
        updates.push(BriefUpdate {
            date: when,
            kind: u.kind,
            html: inline_markdown(&u.text),
            text: u.text.trim().to_string(),
        });
    }
    // Newest first; entries of one instant keep the order they were written in.
    updates.sort_by_key(|u| std::cmp::Reverse(u.date.timestamp));
    let newest = updates.first().map(|u| u.date);
    if let (Ok(Some(u)), Some(n)) = (&updated, &newest)
        && u.timestamp < n.timestamp
    {
        errors.push(
            Diagnostic::error(
                &path,
                format!(
                    "`updated` is earlier than the newest entry of `updates` ({})",
                    n.ymd()
                ),
            )
            .with_code("invalid-date")
            .at_line_of(text, at("updated"))
            .with_help("leave `updated` out: it defaults to the newest entry of `updates`"),
        );
    }
    let updated = updated.map(|u| u.or(newest));
    if let (Ok(d), Ok(Some(u))) = (&date, &updated)
        && u.timestamp < d.timestamp
    {
        errors.push(
            Diagnostic::error(&path, "`updated` is earlier than `date`")
                .with_code("invalid-date")
                .at_line_of(text, at("updated"))
                .with_help("`updated` is when the brief last changed; it cannot be before it was published"),
        );
    }
    if raw.topics.0.is_empty() {
        errors.push(
            Diagnostic::error(&path, "the brief has no topics")
                .with_code("invalid-field")
                .at_line_of(text, at("topics"))
                .with_help("list at least one topic slug, e.g. topics: [ukraine]"),
        );
    }
    let slug = match &raw.slug {
        Some(s) => check_explicit_slug(&path, text, at("slug"), s),
        None => slug_from_path(&path, text),
    };
    let (old_addresses, alias_errors) = aliases(&path, text, &split, at("aliases"), raw.aliases.0);
    errors.extend(alias_errors);
    for source in &raw.sources {
        if source.name.trim().is_empty() {
            errors.push(
                Diagnostic::error(&path, "a source has an empty `name`")
                    .with_code("invalid-field")
                    .at_line_of(text, at("sources"))
                    .with_help("name every source, e.g. - name: Anadolu Ajansı"),
            );
        }
        if let Some(date) = &source.date
            && let Err(m) = BriefDate::parse(date)
        {
            errors.push(
                Diagnostic::error(&path, format!("source {:?}: `date`: {m}", source.name))
                    .with_code("invalid-date")
                    .at_line_of(text, at("sources"))
                    .with_help("write source dates as YYYY-MM-DD"),
            );
        }
        if let Some(url) = &source.url
            && !is_safe_url(url)
        {
            errors.push(
                Diagnostic::error(
                    &path,
                    format!("source URL {url:?} is not an http(s) or relative URL"),
                )
                .with_code("invalid-field")
                .at_line_of(text, at("sources"))
                .with_help("give a full address like https://example.org/article"),
            );
        }
    }
    let image = match raw.image {
        Some(img) => match image_field(
            &path,
            text,
            image_key(split.front).map_or(split.front_offset, |o| split.front_offset + o),
            img,
        ) {
            Ok(i) => Some(i),
            Err(d) => {
                errors.push(d);
                None
            }
        },
        None => None,
    };
    let clean_list = |list: StringList| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in list.0 {
            let s = s.trim().to_string();
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        }
        out
    };
    let (date, updated, slug) = match (date, updated, slug) {
        (Ok(d), Ok(u), Ok(s)) if errors.is_empty() => (d, u, s),
        (d, u, s) => {
            errors.extend(d.err());
            errors.extend(u.err());
            errors.extend(s.err());
            return Err(errors);
        }
    };
    let front_offset = split.front_offset;
    let body_offset = split.body_offset;
    let (people, places, organizations, tags) = (
        clean_list(raw.people),
        clean_list(raw.places),
        clean_list(raw.organizations),
        clean_list(raw.tags),
    );
    let slugs = |names: &[String]| names.iter().map(|n| slugify(n)).collect::<Vec<_>>();
    let name_slugs = [
        slugs(&people),
        slugs(&places),
        slugs(&organizations),
        slugs(&tags),
    ];
    let topics = clean_list(raw.topics);
    let authors = clean_list(raw.authors);
    let author_slugs = slugs(&authors);
    let source_slugs: Vec<String> = raw.sources.iter().map(|s| slugify(&s.name)).collect();
    let structure = {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let mut put = |bytes: &[u8]| {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        put(path.as_os_str().as_encoded_bytes());
        put(slug.as_bytes());
        put(&date.timestamp.as_nanosecond().to_le_bytes());
        put(&[u8::from(raw.draft)]);
        // Whether the brief has a lead image decides whether it gets a social card.
        put(&[u8::from(image.is_some())]);
        for t in &topics {
            put(t.as_bytes());
        }
        for list in [&people, &places, &organizations, &tags, &authors] {
            put(b"|");
            for n in list {
                put(n.as_bytes());
            }
        }
        // Source names decide the outlets' pages and the name each page shows.
        put(b"|");
        for s in &raw.sources {
            put(s.name.as_bytes());
        }
        put(b"|");
        for a in &old_addresses {
            put(a.written.as_bytes());
        }
        h.digest()
    };
    let translation = translation_fields(&path, text, &split, raw.language, raw.translation_of)
        .map_err(|d| vec![d])?;
    Ok(ParsedBrief {
        translation,
        title: crate::markdown::smart_punctuation(raw.title.trim()),
        date,
        updated,
        updates,
        topics,
        summary: raw
            .summary
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        slug,
        sources: raw
            .sources
            .into_iter()
            .map(|mut s| {
                s.url = s.url.map(|u| encode_url(u.trim()));
                s
            })
            .collect(),
        people,
        places,
        organizations,
        tags,
        status: raw.status,
        draft: raw.draft,
        name_slugs,
        source_slugs,
        structure,
        old_addresses,
        authors,
        author_slugs,
        front_offset,
        body_offset,
        file,
        image,
    })
}

/// Parses and validates one topic file.
pub fn parse_topic(file: SourceFile) -> Result<ParsedTopic, Vec<Diagnostic>> {
    let path = file.path.clone();
    let text = &file.text;
    let split = split(&path, text).map_err(|d| vec![d])?;
    let raw: RawTopic = deserialize(&path, text, &split, TOPIC_FIELDS).map_err(|d| vec![d])?;
    let at = |key: &str| {
        find_key(split.front, key).map_or(split.front_offset, |o| split.front_offset + o)
    };
    check_text(&path, text, at("title"), "title", &raw.title).map_err(|d| vec![d])?;
    let slug = slugify(
        &path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    if slug.is_empty() {
        return Err(vec![no_slug(&path, text)]);
    }
    let (old_addresses, errors) = aliases(&path, text, &split, at("aliases"), raw.aliases.0);
    if !errors.is_empty() {
        return Err(errors);
    }
    let aliases = old_addresses
        .iter()
        .filter_map(|a| match &a.address {
            alias::Address::Slug(s) => Some(s.clone()),
            alias::Address::Path(_) => None,
        })
        .collect();
    let (front_offset, body_offset) = (split.front_offset, split.body_offset);
    let translation = translation_fields(&path, text, &split, raw.language, raw.translation_of)
        .map_err(|d| vec![d])?;
    Ok(ParsedTopic {
        translation,
        slug,
        title: crate::markdown::smart_punctuation(raw.title.trim()),
        summary: raw
            .summary
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        order: raw.order,
        aliases,
        old_addresses,
        front_offset,
        body_offset,
        file,
    })
}

/// Parses and validates one free page.
pub fn parse_page(file: SourceFile) -> Result<ParsedPage, Vec<Diagnostic>> {
    let path = file.path.clone();
    let text = &file.text;
    let split = split(&path, text).map_err(|d| vec![d])?;
    let raw: RawPage = deserialize(&path, text, &split, PAGE_FIELDS).map_err(|d| vec![d])?;
    let at = |key: &str| {
        find_key(split.front, key).map_or(split.front_offset, |o| split.front_offset + o)
    };
    check_text(&path, text, at("title"), "title", &raw.title).map_err(|d| vec![d])?;
    let slug = slug_from_path(&path, text).map_err(|d| vec![d])?;
    let (old_addresses, errors) = aliases(&path, text, &split, at("aliases"), raw.aliases.0);
    if !errors.is_empty() {
        return Err(errors);
    }
    let body_offset = split.body_offset;
    let translation = translation_fields(&path, text, &split, raw.language, raw.translation_of)
        .map_err(|d| vec![d])?;
    Ok(ParsedPage {
        translation,
        slug,
        title: crate::markdown::smart_punctuation(raw.title.trim()),
        order: raw.order,
        summary: raw
            .summary
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        body_offset,
        old_addresses,
        file,
    })
}

/// A file's `aliases:`, checked (see [`alias`]); `key` is the offset of the `aliases` line.
fn aliases(
    path: &Path,
    text: &str,
    split: &Split<'_>,
    key: usize,
    written: Vec<String>,
) -> (Vec<Alias>, Vec<Diagnostic>) {
    let front_end = split.front_offset + split.front.len();
    alias::parse_all(path, text, key, front_end, written)
}

/// Parses and validates one author's profile.
pub fn parse_author(file: SourceFile) -> Result<ParsedAuthor, Vec<Diagnostic>> {
    let path = file.path.clone();
    let text = &file.text;
    let split = split(&path, text).map_err(|d| vec![d])?;
    let raw: RawAuthor = deserialize(&path, text, &split, AUTHOR_FIELDS).map_err(|d| vec![d])?;
    let at = |key: &str| {
        find_key(split.front, key).map_or(split.front_offset, |o| split.front_offset + o)
    };
    let mut errors = Vec::new();
    let name = match (raw.name, raw.title) {
        (Some(name), None) => check_text(&path, text, at("name"), "name", &name).map(|()| name),
        (None, Some(title)) => {
            check_text(&path, text, at("title"), "title", &title).map(|()| title)
        }
        (Some(_), Some(_)) => Err(Diagnostic::error(
            &path,
            "the profile sets both `name` and `title`",
        )
        .with_code("invalid-field")
        .at_line_of(text, at("title"))
        .with_help("they mean the same (the author's name); keep one of them")),
        (None, None) => Err(Diagnostic::error(&path, "required field `name` is missing")
            .with_code("missing-field")
            .at_line_of(text, split.front_offset)
            .with_help("give the author's name as bylines show it, e.g. `name: Jane Doe`")),
    };
    errors.extend(check_links(
        &path,
        text,
        at("links"),
        &raw.links,
        "Homepage",
    ));
    let slug = slug_from_stem(&path, text);
    let (name, slug) = match (name, slug) {
        (Ok(n), Ok(s)) if errors.is_empty() => (n, s),
        (n, s) => {
            errors.extend(n.err());
            errors.extend(s.err());
            return Err(errors);
        }
    };
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let (front_offset, body_offset) = (split.front_offset, split.body_offset);
    let translation = translation_fields(&path, text, &split, raw.language, raw.translation_of)
        .map_err(|d| vec![d])?;
    Ok(ParsedAuthor {
        translation,
        slug,
        name: name.trim().to_string(),
        role: clean(raw.role),
        bio: clean(raw.bio),
        links: clean_links(raw.links),
        front_offset,
        body_offset,
        file,
    })
}

/// The slug of a topic or profile: its file name, slugified.
fn slug_from_stem(path: &Path, text: &str) -> Result<String, Diagnostic> {
    let slug = slugify(
        &path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    if slug.is_empty() {
        return Err(no_slug(path, text));
    }
    Ok(slug)
}

/// Percent-encodes characters that may not appear raw in a URL (spaces, quotes, brackets),
/// leaving existing escapes alone; non-ASCII is encoded as UTF-8.
pub fn encode_url(url: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'|')
        .add(b'\\')
        .add(b'^');
    percent_encoding::utf8_percent_encode(url, SET).to_string()
}

/// Whether a URL from front matter may go into an `href`: http(s), mailto, or scheme-less.
pub fn is_safe_url(url: &str) -> bool {
    let url = url.trim();
    match url.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(
                scheme.to_ascii_lowercase().as_str(),
                "http" | "https" | "mailto"
            )
        }
        _ => !url.is_empty(),
    }
}

/// A short piece of Markdown from front matter (an update's text) as inline HTML: raw HTML is
/// shown as text, and the result is sanitised, so front matter never injects markup.
pub fn inline_markdown(text: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    static CLEAN: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
        let mut b = ammonia::Builder::default();
        b.link_rel(None);
        b
    });
    let events = Parser::new_ext(
        text.trim(),
        Options::ENABLE_SMART_PUNCTUATION | Options::ENABLE_STRIKETHROUGH,
    )
    .map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        e => e,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    let html = html.trim();
    // One paragraph is the usual case: its text goes inline.
    let inner = html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .filter(|h| !h.contains("<p>"))
        .unwrap_or(html);
    CLEAN.clean(inner).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from("content/briefs/2025-02-18-riyadh-talks.md"),
            text: text.to_string(),
        }
    }

    #[test]
    fn yaml_brief_parses() {
        let b = parse_brief(file(
            "---\ntitle: Talks\ndate: 2025-02-18\ntopics: [us-russia]\n---\nBody\n",
        ))
        .unwrap();
        assert_eq!(b.slug, "riyadh-talks");
        assert_eq!(b.date.ymd(), "2025-02-18");
        assert_eq!(b.body(), "Body\n");
    }

    #[test]
    fn toml_brief_with_native_date_parses() {
        let b = parse_brief(file(
            "+++\ntitle = \"Talks\"\ndate = 2025-02-18\ntopics = \"iran\"\n+++\nBody\n",
        ))
        .unwrap();
        assert_eq!(b.date.ymd(), "2025-02-18");
        assert_eq!(b.topics, vec!["iran"]);
    }

    #[test]
    fn rfc3339_keeps_written_date() {
        let d = BriefDate::parse("2025-03-11T01:30:00+03:00").unwrap();
        assert_eq!(d.ymd(), "2025-03-11");
        assert_eq!(d.rfc3339(), "2025-03-10T22:30:00Z");
    }

    #[test]
    fn unknown_field_is_located() {
        let errs = parse_brief(file(
            "---\ntitle: Talks\ndate: 2025-02-18\ntopic: [iran]\n---\n",
        ))
        .unwrap_err();
        assert_eq!(errs[0].line, Some(4), "{errs:?}");
        assert!(errs[0].message.contains("topic"), "{errs:?}");
    }

    #[test]
    fn unknown_field_suggests_the_nearest_once() {
        let errs = parse_brief(file(
            "---\ntitle: Talks\ndate: 2025-02-18\ntopic: [iran]\n---\n",
        ))
        .unwrap_err();
        let d = &errs[0];
        assert_eq!(d.code, Some("unknown-field"));
        assert_eq!(d.message, "unknown field `topic`");
        assert_eq!((d.column, d.end_column), (Some(1), Some(6)));
        let help = d.help.as_deref().unwrap_or_default();
        assert!(
            help.starts_with("did you mean `topics`? Known fields: title, date"),
            "{help}"
        );
        assert_eq!(help.matches("title").count(), 1, "{help}");
    }

    #[test]
    fn unclosed_list_is_located_at_its_bracket() {
        let errs = parse_brief(file(
            "---\ntitle: Talks\ndate: 2025-02-18\ntopics: [iran\nsummary: Talks: day two.\n---\n",
        ))
        .unwrap_err();
        let d = &errs[0];
        assert_eq!((d.line, d.column), (Some(4), Some(9)), "{d}");
        assert_eq!(d.code, Some("front-matter-syntax"));
        assert_eq!(d.message, "the list opened here is never closed");
        assert!(
            d.help
                .as_deref()
                .unwrap_or_default()
                .starts_with("close the list with `]`")
        );
    }

    #[test]
    fn wrong_types_are_said_in_plain_words() {
        let errs = parse_brief(file(
            "---\ntitle: Talks\ndate: 2025-02-18\ntopics: [iran]\ndraft: maybe\n---\n",
        ))
        .unwrap_err();
        assert_eq!(
            errs[0].message,
            "`draft` must be true or false, not `maybe`"
        );
        assert_eq!(errs[0].code, Some("invalid-field"));
        let errs = parse_topic(SourceFile {
            path: PathBuf::from("content/topics/iran.md"),
            text: "+++\ntitle = \"Iran\"\norder = \"first\"\n+++\n".into(),
        })
        .unwrap_err();
        assert_eq!(
            errs[0].message,
            "`order` must be a whole number, not the text \"first\""
        );
        assert_eq!(errs[0].help.as_deref(), Some("write it like `order = 2`"));
    }

    #[test]
    fn missing_field_is_placed_at_the_front_matter() {
        let errs = parse_page(SourceFile {
            path: PathBuf::from("content/pages/about.md"),
            text: "---\norder: 1\n---\n".into(),
        })
        .unwrap_err();
        assert_eq!(
            (errs[0].line, errs[0].code),
            (Some(2), Some("missing-field"))
        );
        assert_eq!(errs[0].message, "required field `title` is missing");
    }

    fn profile(text: &str) -> Result<ParsedAuthor, Vec<Diagnostic>> {
        parse_author(SourceFile {
            path: PathBuf::from("content/authors/jane-doe.md"),
            text: text.to_string(),
        })
    }

    #[test]
    fn a_profile_takes_name_or_title_and_its_slug_from_the_file() {
        let a = profile("---\nname: Jane Doe\nrole: Analyst\nlinks: [{name: Home, url: https://a.org/j d}]\n---\nLong bio.\n").unwrap();
        assert_eq!((a.slug.as_str(), a.name.as_str()), ("jane-doe", "Jane Doe"));
        assert_eq!(a.role.as_deref(), Some("Analyst"));
        assert_eq!(a.links[0].url, "https://a.org/j%20d");
        assert_eq!(&a.file.text[a.body_offset..], "Long bio.\n");
        let a = profile("+++\ntitle = \"Jane Doe\"\n+++\n").unwrap();
        assert_eq!(a.name, "Jane Doe");
        let errs = profile("---\nname: Jane\ntitle: Jane\n---\n").unwrap_err();
        assert_eq!(errs[0].line, Some(3), "{errs:?}");
        let errs = profile("---\nrole: Analyst\n---\n").unwrap_err();
        assert_eq!(errs[0].code, Some("missing-field"));
    }

    #[test]
    fn an_unknown_profile_field_suggests_the_nearest() {
        let errs = profile("---\nname: Jane Doe\nbiography: x\n---\n").unwrap_err();
        let d = &errs[0];
        assert_eq!((d.code, d.line), (Some("unknown-field"), Some(3)));
        let help = d.help.as_deref().unwrap_or_default();
        assert!(help.starts_with("did you mean `bio`?"), "{help}");
        let errs = profile("---\nname: Jane\nlinks: [{name: X, url: \"javascript:x\"}]\n---\n")
            .unwrap_err();
        assert_eq!(errs[0].code, Some("invalid-field"));
    }

    #[test]
    fn impossible_date_is_located() {
        let errs = parse_brief(file(
            "---\ntitle: Talks\ndate: 2025-02-30\ntopics: [iran]\n---\n",
        ))
        .unwrap_err();
        assert_eq!(errs[0].line, Some(3));
    }

    #[test]
    fn escaping_slug_is_rejected() {
        let errs = parse_brief(file(
            "---\ntitle: T\ndate: 2025-02-18\ntopics: [iran]\nslug: ../../etc\n---\n",
        ))
        .unwrap_err();
        assert!(errs[0].message.contains("outside"), "{errs:?}");
        assert_eq!(errs[0].line, Some(5));
    }

    #[test]
    fn slug_transliterates() {
        assert_eq!(slugify("Песков"), "peskov");
        assert_eq!(stem_without_date(Path::new("2025-02-18-x-y.md")), "x-y");
        assert_eq!(stem_without_date(Path::new("2025-02-18.md")), "2025-02-18");
    }

    #[test]
    fn source_urls_are_encoded() {
        assert_eq!(
            encode_url("https://a.org/x y\"z"),
            "https://a.org/x%20y%22z"
        );
        assert_eq!(encode_url("https://a.org/%20ü"), "https://a.org/%20%C3%BC");
    }

    #[test]
    fn unsafe_urls_are_refused() {
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JavaScript:alert(1)"));
        assert!(is_safe_url("https://aa.com.tr/en"));
        assert!(is_safe_url("notes/a.html"));
    }
}
