//! Site settings from `site.toml`.
//!
//! Reads and validates the file once; every later stage takes the resulting [`Config`]. The
//! file is parsed into a table with spans, then each known key is checked on its own, so one run
//! reports every problem (a wrong type, a bad value, an unknown key with a "did you mean"), each
//! at its line and column, in plain words. A TOML syntax error stops at the first, since nothing
//! after it can be trusted. Settings that are valid but probably not meant (no `base_url`) are
//! [`Config::warnings`].

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};

mod language;
pub use language::TextDirection;

pub const CONFIG_FILE: &str = "site.toml";

/// Validated site settings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute base URL with a trailing slash, when the site is to publish absolute URLs.
    pub base_url: Option<String>,
    /// The BCP 47 tag, in canonical case (`en-US`).
    pub language: String,
    /// Which way the language's script runs: `dir` on every page.
    pub dir: TextDirection,
    /// The default byline: the author of every brief that lists no `authors:` (empty: none).
    pub author: String,
    /// Output folder, relative to the site root unless absolute.
    #[serde(skip)]
    pub output_dir: PathBuf,
    /// Keep raw HTML in Markdown as written instead of sanitising it.
    pub unsafe_html: bool,
    /// Briefs per page on topic pages.
    pub paginate: usize,
    /// Briefs on the front page.
    pub front_page_briefs: usize,
    /// Entries in each Atom feed.
    pub feed_entries: usize,
    /// Write the files static hosts read (`_redirects`, `_headers`, `.nojekyll`).
    pub hosting_files: bool,
    /// Draw a social card (`briefs/<slug>/card.png`) for every brief without a lead image.
    pub social_cards: bool,
    /// Build a full-text search index (Pagefind) into `pagefind/`.
    pub search: bool,
    /// Every language the site is written in, `language` (the default) first. A site in one
    /// language has one; each further language gets its own tree (`ru/…`).
    pub languages: Vec<Language>,
    /// What a language's tree does with briefs and pages not translated into it.
    pub untranslated: Untranslated,
    /// The tree this configuration builds: the default language's at the root, or another's
    /// under its prefix. Set per language by the session; the default's for one language.
    #[serde(skip)]
    pub tree: Tree,
    /// Problems that do not stop a build, for the build's report.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// One language of a site: its BCP 47 tag, and the site's title and description in it when
/// they differ from the defaults (`[languages.ru] title = "…"`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Language {
    pub tag: String,
    /// Its direction of writing: `rtl` trees are laid out right to left.
    pub dir: TextDirection,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Its name in the language switcher; by default its name in itself (`Русский`).
    pub name: Option<String>,
}

/// What a language's tree does with content that has no translation into it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Untranslated {
    /// Leave it out of the tree: the tree has only what was written in its language (the
    /// default, as in Hugo and Zola).
    #[default]
    Omit,
    /// Show it in its original language, marked so (`lang` on the text).
    Original,
}

/// Which language's tree a build of the site makes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    /// Index into [`Config::languages`]; 0 is the default language.
    pub index: usize,
    /// The tree's folder in the output with a trailing slash (`ru/`); empty for the default.
    pub prefix: String,
}

impl Config {
    /// Whether the site is written in more than one language.
    pub fn multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The output folder of a language's tree: empty for the default, else its tag in lower
    /// case (`ru/`, `pt-br/`).
    pub fn prefix_of(&self, index: usize) -> String {
        match index {
            0 => String::new(),
            i => format!("{}/", self.languages[i].tag.to_ascii_lowercase()),
        }
    }

    /// This configuration for the tree of language `index`: its tag as `language`, its title,
    /// description and base URL (under the tree's folder).
    pub fn for_language(&self, index: usize) -> Config {
        let mut c = self.clone();
        let lang = &self.languages[index];
        c.language = lang.tag.clone();
        c.dir = lang.dir;
        if let Some(t) = &lang.title {
            c.title = t.clone();
        }
        if let Some(d) = &lang.description {
            c.description = d.clone();
        }
        c.tree = Tree {
            index,
            prefix: self.prefix_of(index),
        };
        if let Some(base) = &mut c.base_url {
            base.push_str(&c.tree.prefix);
        }
        if index > 0 {
            // `_redirects` and `_headers` are read at the output's root only.
            c.hosting_files = false;
        }
        c
    }

    /// The way from the root of language `index`'s tree up to the output's root (`../`
    /// under `ru/`).
    pub fn tree_up(&self, index: usize) -> String {
        crate::layout::root_of(&self.prefix_of(index))
    }
}

/// Every key `site.toml` may set, with a line that sets it well (for help texts).
const SETTINGS: &[(&str, &str)] = &[
    ("title", "title = \"Briefing Desk\""),
    ("description", "description = \"Daily briefs on …\""),
    ("base_url", "base_url = \"https://example.org/briefs/\""),
    ("language", "language = \"en\""),
    ("author", "author = \"Briefing Desk\""),
    ("output_dir", "output_dir = \"public\""),
    ("unsafe_html", "unsafe_html = false"),
    ("paginate", "paginate = 20"),
    ("front_page_briefs", "front_page_briefs = 10"),
    ("feed_entries", "feed_entries = 20"),
    ("hosting_files", "hosting_files = true"),
    ("social_cards", "social_cards = true"),
    ("search", "search = false"),
    ("languages", "languages = [\"en\", \"ru\"]"),
    ("untranslated", "untranslated = \"original\""),
];

/// The code of the warning for a site without `base_url`.
pub const BASE_URL_MISSING: &str = "base-url-missing";

impl Config {
    /// Reads `site.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        if let Some(target) = outside_link(root, &path) {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!(
                    "{CONFIG_FILE} is a symbolic link that leads outside the site, to {}",
                    target.display()
                ),
            )
            .with_code("symlink")
            .with_help(
                "briefing never follows links out of the site folder; copy the file into the site",
            )
            .into());
        }
        if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("no {CONFIG_FILE} in {}", root.display()),
            )
            .with_code("no-config")
            .with_help(
                "run briefing in a site folder or pass --root DIR; a site needs a site.toml with at least `title = \"…\"`",
            )
            .into());
        }
        // Read as content files are: size-capped, BOM dropped, CRLF made LF, so carets in
        // diagnostics land where the author sees them.
        let text = crate::load::read_source(root, PathBuf::from(CONFIG_FILE))?.text;
        Self::parse(&text)
    }

    /// Parses the text of a `site.toml`, reporting every problem with its settings.
    pub fn parse(text: &str) -> Result<Config, Diagnostics> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let table = DeTable::parse(text).map_err(|e| syntax_error(text, &e))?;
        let mut s = Settings {
            text,
            table: table.get_ref(),
            problems: Vec::new(),
            warnings: Vec::new(),
        };
        s.unknown_keys();
        let title = s.title();
        let description = s.text("description").map(|(v, _)| v);
        let base_url = s.base_url();
        let language = s.language();
        let author = s.author();
        let output_dir = s.text("output_dir").map(|(v, _)| PathBuf::from(v));
        let unsafe_html = s.boolean("unsafe_html");
        let paginate = s.count("paginate");
        let front_page_briefs = s.count("front_page_briefs");
        let feed_entries = s.count("feed_entries");
        let hosting_files = s.boolean("hosting_files");
        let social_cards = s.boolean("social_cards");
        let search = s.boolean("search");
        let (language, dir) = language.unwrap_or_else(|| ("en".into(), TextDirection::Ltr));
        let languages = s.languages(&language, dir);
        let untranslated = s.untranslated();
        let Settings {
            mut problems,
            warnings: mut found,
            ..
        } = s;
        if !problems.is_empty() {
            problems.sort_by_key(|d| (d.line, d.column));
            return Err(Diagnostics(problems));
        }
        let (base_url, mut warnings) = match base_url {
            Some(Ok(url)) => (Some(url), Vec::new()),
            Some(Err(span)) => (None, vec![base_url_missing(Some((text, span)))]),
            None => (None, vec![base_url_missing(None)]),
        };
        warnings.append(&mut found);
        Ok(Config {
            title: title.unwrap_or_default(),
            description: description.unwrap_or_default(),
            base_url,
            language,
            dir,
            author: author.unwrap_or_default(),
            output_dir: output_dir.unwrap_or_else(|| PathBuf::from("public")),
            unsafe_html: unsafe_html.unwrap_or(false),
            paginate: paginate.unwrap_or(20),
            front_page_briefs: front_page_briefs.unwrap_or(10),
            feed_entries: feed_entries.unwrap_or(20),
            hosting_files: hosting_files.unwrap_or(true),
            social_cards: social_cards.unwrap_or(false),
            search: search.unwrap_or(true),
            languages,
            untranslated: untranslated.unwrap_or_default(),
            tree: Tree::default(),
            warnings,
        })
    }

    /// Replaces `base_url` (as `--base-url` does), keeping the warnings in step.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        self.base_url = normalize_base_url(url)?;
        self.warnings.retain(|w| w.code != Some(BASE_URL_MISSING));
        if self.base_url.is_none() {
            self.warnings.push(base_url_missing(None));
        }
        Ok(())
    }
}

/// Feeds and the sitemap must carry absolute URLs (Atom ids and links, sitemap `<loc>`s); without
/// a base URL they come out relative, which readers and search engines may refuse. `set` is the
/// empty `base_url = ""` when there is one, to point at.
fn base_url_missing(set: Option<(&str, Range<usize>)>) -> Diagnostic {
    let d = Diagnostic::error(
        CONFIG_FILE,
        "`base_url` is not set: feed ids and sitemap addresses will be relative, which Atom and the sitemap protocol do not allow",
    )
    .warning()
    .with_code(BASE_URL_MISSING)
    .with_help(
        "set it in site.toml to the address the site is published at, e.g. `base_url = \"https://example.org/\"`",
    );
    match set {
        Some((text, span)) => d.at_span(text, span),
        None => d,
    }
}

/// A TOML syntax error, placed at the bracket or quote it leaves open when there is one.
fn syntax_error(text: &str, e: &toml::de::Error) -> Diagnostics {
    let d =
        Diagnostic::error(CONFIG_FILE, e.message().trim().to_string()).with_code("config-syntax");
    let at = e.span().map(|s| s.start);
    if let Some(u) =
        crate::parse::unclosed::toml(text).filter(|u| at.is_none_or(|at| u.offset <= at))
    {
        return Diagnostic::error(CONFIG_FILE, u.message())
            .with_code("config-syntax")
            .with_help(u.help())
            .at_offset(text, u.offset)
            .into();
    }
    let help = if e.message().starts_with("duplicate key") {
        "set each key once; remove one of the two"
    } else if e.message().contains("must be quoted") {
        "put text in quotes: `title = \"Briefing Desk\"`"
    } else {
        "write one setting per line as `key = value`, with text in quotes: `title = \"Briefing Desk\"`"
    };
    let d = d.with_help(help);
    match e.span() {
        Some(span) => d.at_span(text, span),
        None => d.at_offset(text, 0),
    }
    .into()
}

/// The parsed file and the problems found in it so far; each getter checks one key.
struct Settings<'a> {
    text: &'a str,
    table: &'a DeTable<'a>,
    problems: Vec<Diagnostic>,
    /// Settings that are taken, but probably not as meant.
    warnings: Vec<Diagnostic>,
}

impl<'a> Settings<'a> {
    fn get(&self, key: &str) -> Option<&'a Spanned<DeValue<'a>>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }

    fn unknown_keys(&mut self) {
        let known: Vec<&str> = SETTINGS.iter().map(|(k, _)| *k).collect();
        for (key, _) in self.table.iter() {
            if !known.contains(&key.get_ref().as_ref()) {
                self.problems.push(
                    Diagnostic::error(CONFIG_FILE, format!("unknown setting `{}`", key.get_ref()))
                        .with_code("unknown-config-key")
                        .with_help(did_you_mean(key.get_ref(), &known, "settings"))
                        .at_span(self.text, key.span()),
                );
            }
        }
    }

    /// A problem with the value of `key`, underlined.
    fn problem(&mut self, code: &'static str, span: Range<usize>, message: String, help: String) {
        self.problems.push(
            Diagnostic::error(CONFIG_FILE, message)
                .with_code(code)
                .with_help(help)
                .at_span(self.text, span),
        );
    }

    /// A value of the wrong type: what it must be and what it is, in plain words.
    fn wrong_type(&mut self, key: &str, value: &Spanned<DeValue<'_>>, expected: &str) {
        let example = SETTINGS
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, e)| e);
        let written = &self.text[value.span()];
        let help = match value.get_ref() {
            DeValue::String(s)
                if (expected == "a whole number" && s.trim().parse::<u64>().is_ok())
                    || (expected == "true or false" && matches!(s.trim(), "true" | "false")) =>
            {
                format!("remove the quotes: `{key} = {}`", s.trim())
            }
            DeValue::Integer(_)
            | DeValue::Float(_)
            | DeValue::Boolean(_)
            | DeValue::Datetime(_)
                if expected == "text in quotes" =>
            {
                format!("put it in quotes: `{key} = \"{written}\"`")
            }
            _ => format!("write it like `{example}`"),
        };
        self.problem(
            "config-type",
            value.span(),
            format!("`{key}` must be {expected}, not {}", found(value.get_ref())),
            help,
        );
    }

    fn text(&mut self, key: &str) -> Option<(String, Range<usize>)> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some((s.to_string(), value.span())),
            _ => {
                self.wrong_type(key, value, "text in quotes");
                None
            }
        }
    }

    fn boolean(&mut self, key: &str) -> Option<bool> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, value, "true or false");
                None
            }
        }
    }

    /// A whole number of at least 1.
    fn count(&mut self, key: &str) -> Option<usize> {
        let value = self.get(key)?;
        let DeValue::Integer(n) = value.get_ref() else {
            self.wrong_type(key, value, "a whole number");
            return None;
        };
        match i64::from_str_radix(n.as_str(), n.radix()) {
            Ok(n) if n >= 1 => match usize::try_from(n) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.too_large(key, value.span());
                    None
                }
            },
            Ok(_) => {
                self.problem(
                    "config-value",
                    value.span(),
                    format!("`{key}` must be at least 1"),
                    "use a positive number, or leave the setting out for the default".into(),
                );
                None
            }
            Err(_) => {
                self.too_large(key, value.span());
                None
            }
        }
    }

    fn too_large(&mut self, key: &str, span: Range<usize>) {
        self.problem(
            "config-value",
            span,
            format!("`{key}` is too large"),
            "use a number of a size a page can show".into(),
        );
    }

    fn title(&mut self) -> Option<String> {
        if self.get("title").is_none() {
            self.problems.push(
                Diagnostic::error(CONFIG_FILE, "`title` is missing")
                    .with_code("missing-config-key")
                    .with_help(
                        "every site needs a title: add a line like `title = \"Briefing Desk\"`",
                    )
                    .at_offset(self.text, 0),
            );
            return None;
        }
        let (title, span) = self.text("title")?;
        if title.trim().is_empty() {
            self.problem(
                "config-value",
                span,
                "`title` is empty".into(),
                "give the site a title, e.g. `title = \"Briefing Desk\"`".into(),
            );
        }
        Some(title)
    }

    /// The base URL: `Ok` a normalised URL, `Err` the span of one set empty, `None` if unset.
    fn base_url(&mut self) -> Option<Result<String, Range<usize>>> {
        let (url, span) = self.text("base_url")?;
        match normalize_base_url(&url) {
            Ok(Some(url)) => Some(Ok(url)),
            Ok(None) => Some(Err(span)),
            Err(msg) => {
                self.problem(
                    "config-value",
                    span,
                    msg,
                    "write the address the site is published at, like `base_url = \"https://example.org/briefs/\"`".into(),
                );
                None
            }
        }
    }

    /// The default byline, trimmed. It names an author page, so it needs a letter or digit.
    fn author(&mut self) -> Option<String> {
        let (author, span) = self.text("author")?;
        let author = author.trim().to_string();
        if !author.is_empty() && crate::parse::slugify(&author).is_empty() {
            self.problem(
                "config-value",
                span,
                format!("`author` {author:?} has no letters or digits, so it cannot name an author page"),
                "write the desk's or a person's name, like `author = \"Briefing Desk\"`, or leave `author` out for no default byline".into(),
            );
        }
        Some(author)
    }

    /// `languages`: a list of tags, or a table of tags each with an optional `title` and
    /// `description`. The default `language` comes first whether listed or not.
    fn languages(&mut self, default: &str, dir: TextDirection) -> Vec<Language> {
        let mut out = vec![Language {
            tag: default.to_string(),
            dir,
            title: None,
            description: None,
            name: None,
        }];
        let Some(value) = self.get("languages") else {
            return out;
        };
        let mut entries: Vec<(String, Range<usize>, Option<&'a DeTable<'a>>)> = Vec::new();
        match value.get_ref() {
            DeValue::Array(items) => {
                for item in items {
                    match item.get_ref() {
                        DeValue::String(s) => entries.push((s.to_string(), item.span(), None)),
                        other => self.problem(
                            "config-type",
                            item.span(),
                            format!(
                                "each of `languages` must be a language tag in quotes, not {}",
                                found(other)
                            ),
                            "write it like `languages = [\"en\", \"ru\"]`".into(),
                        ),
                    }
                }
            }
            DeValue::Table(table) => {
                for (key, v) in table.iter() {
                    match v.get_ref() {
                        DeValue::Table(t) => entries.push((key.get_ref().to_string(), key.span(), Some(t))),
                        other => self.problem(
                            "config-type",
                            v.span(),
                            format!("`languages.{}` must be a table, not {}", key.get_ref(), found(other)),
                            format!("write it as a section: `[languages.{}]` with `title = \"…\"` under it", key.get_ref()),
                        ),
                    }
                }
            }
            _ => {
                self.wrong_type("languages", value, "a list of language tags");
                return out;
            }
        }
        for (tag, span, table) in entries {
            let Some((tag, dir)) = self.check_tag("languages", &tag, span.clone()) else {
                continue;
            };
            let (title, description, name) = match table {
                Some(t) => self.language_section(t, &tag),
                None => (None, None, None),
            };
            if tag.eq_ignore_ascii_case(default) {
                out[0].title = title;
                out[0].description = description;
                out[0].name = name;
                continue;
            }
            if out.iter().any(|l| l.tag.eq_ignore_ascii_case(&tag)) {
                self.problem(
                    "config-value",
                    span,
                    format!("`languages` lists {tag:?} twice"),
                    "list each language once".into(),
                );
                continue;
            }
            out.push(Language {
                tag,
                dir,
                title,
                description,
                name,
            });
        }
        // Which trees have a page is kept as one bit per language.
        const MAX: usize = 64;
        if out.len() > MAX {
            self.problem(
                "config-value",
                value.span(),
                format!(
                    "`languages` lists {} languages; a site can have {MAX}",
                    out.len()
                ),
                "split the site, or drop the languages it is not written in".into(),
            );
            out.truncate(MAX);
        }
        out
    }

    /// The `title`, `description` and `name` of one language's section, checked.
    fn language_section(
        &mut self,
        table: &'a DeTable<'a>,
        tag: &str,
    ) -> (Option<String>, Option<String>, Option<String>) {
        let (mut title, mut description, mut name) = (None, None, None);
        for (k, v) in table.iter() {
            let key: &str = k.get_ref();
            let slot = match key {
                "title" => &mut title,
                "description" => &mut description,
                "name" => &mut name,
                _ => {
                    self.problem(
                        "unknown-config-key",
                        k.span(),
                        format!("unknown setting `languages.{tag}.{key}`"),
                        did_you_mean(
                            key,
                            &["title", "description", "name"],
                            "settings of a language",
                        ),
                    );
                    continue;
                }
            };
            match v.get_ref() {
                DeValue::String(s) => *slot = Some(s.to_string()),
                other => self.problem(
                    "config-type",
                    v.span(),
                    format!(
                        "`languages.{tag}.{key}` must be text in quotes, not {}",
                        found(other)
                    ),
                    format!("write it like `{key} = \"…\"`"),
                ),
            }
        }
        (title, description, name)
    }

    /// `untranslated`: `"omit"` or `"original"`.
    fn untranslated(&mut self) -> Option<Untranslated> {
        let (value, span) = self.text("untranslated")?;
        match value.as_str() {
            "omit" => Some(Untranslated::Omit),
            "original" => Some(Untranslated::Original),
            _ => {
                self.problem(
                    "config-value",
                    span,
                    format!("`untranslated` must be \"omit\" or \"original\", not {value:?}"),
                    "\"omit\" leaves untranslated briefs and pages out of a language's pages; \"original\" shows them in the language they were written in".into(),
                );
                None
            }
        }
    }

    /// The language tag in canonical form, and its direction (see [`language`]).
    fn language(&mut self) -> Option<(String, TextDirection)> {
        let (written, span) = self.text("language")?;
        self.check_tag("language", &written, span)
    }

    /// A language tag of `key`, checked as `language` is: its canonical form and direction,
    /// or `None` (the problem reported) when it is no tag.
    fn check_tag(
        &mut self,
        key: &str,
        written: &str,
        span: Range<usize>,
    ) -> Option<(String, TextDirection)> {
        match language::check(written) {
            Ok(checked) => {
                if let Some((message, help)) = checked.warning {
                    self.warnings.push(
                        Diagnostic::error(CONFIG_FILE, message)
                            .warning()
                            .with_code("config-value")
                            .with_help(help)
                            .at_span(self.text, span),
                    );
                }
                Some((checked.tag, checked.dir))
            }
            Err(e) if key == "language" => {
                self.problem("config-value", span, e.message, e.help);
                None
            }
            Err(e) => {
                // The checker words its problems for `language = "…"`; an entry of a list.
                self.problem(
                    "config-value",
                    span,
                    e.message
                        .replacen("`language`", &format!("an entry of `{key}`"), 1),
                    e.help.replace("`language = \"", "`\""),
                );
                None
            }
        }
    }
}

/// A TOML value in plain words, as found where something else was expected.
fn found(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("the text {s:?}"),
        DeValue::Integer(n) => format!("the number {n}"),
        DeValue::Float(f) => format!("the number {f}"),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(_) => "a list".into(),
        DeValue::Table(_) => "a table".into(),
    }
}

/// The target of `path` if it is a symbolic link that resolves outside `root`.
fn outside_link(root: &Path, path: &Path) -> Option<PathBuf> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return None;
    }
    let root = std::fs::canonicalize(root).ok()?;
    let target = std::fs::canonicalize(path).ok()?;
    (!target.starts_with(&root)).then_some(target)
}

/// Checks a base URL and gives it a trailing slash; an empty one means "none".
pub fn normalize_base_url(url: &str) -> Result<Option<String>, String> {
    let url = url.trim();
    if url.is_empty() {
        return Ok(None);
    }
    let lower = url.to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        0
    };
    if scheme_len == 0 || url.len() <= scheme_len || url.contains(char::is_whitespace) {
        return Err(format!("base URL {url:?} is not an absolute http(s) URL"));
    }
    Ok(Some(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Diagnostic> {
        Config::parse(text).unwrap_err().0
    }

    #[test]
    fn the_default_author_must_make_a_slug() {
        let errs = problems("title = \"x\"\nauthor = \"—\"\n");
        assert_eq!(
            (errs[0].line, errs[0].code),
            (Some(2), Some("config-value"))
        );
        assert!(errs[0].message.contains("no letters or digits"), "{errs:?}");
        let c = Config::parse("title = \"x\"\nauthor = \" Briefing Desk \"\n").unwrap();
        assert_eq!(c.author, "Briefing Desk");
        assert_eq!(Config::parse("title = \"x\"\n").unwrap().author, "");
    }

    #[test]
    fn unknown_key_is_located_with_a_suggestion() {
        let errs = problems("title = \"x\"\ntitel = \"y\"\n");
        assert_eq!(errs.len(), 1, "{errs:?}");
        let err = &errs[0];
        assert_eq!((err.line, err.column), (Some(2), Some(1)));
        assert_eq!(err.code, Some("unknown-config-key"));
        assert_eq!(err.message, "unknown setting `titel`");
        let help = err.help.as_deref().unwrap_or_default();
        assert!(
            help.starts_with("did you mean `title`? Known settings: title, description"),
            "{help}"
        );
    }

    #[test]
    fn every_problem_is_reported_in_plain_words() {
        let errs = problems(
            "title = \"x\"\npaginate = \"ten\"\ntitel = \"y\"\nbase_url = \"example.org\"\nunsafe_html = \"true\"\nfeed_entries = 0\n",
        );
        let summary: Vec<(Option<usize>, Option<&str>, &str)> = errs
            .iter()
            .map(|d| (d.line, d.code, d.message.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    Some(2),
                    Some("config-type"),
                    "`paginate` must be a whole number, not the text \"ten\""
                ),
                (
                    Some(3),
                    Some("unknown-config-key"),
                    "unknown setting `titel`"
                ),
                (
                    Some(4),
                    Some("config-value"),
                    "base URL \"example.org\" is not an absolute http(s) URL"
                ),
                (
                    Some(5),
                    Some("config-type"),
                    "`unsafe_html` must be true or false, not the text \"true\""
                ),
                (
                    Some(6),
                    Some("config-value"),
                    "`feed_entries` must be at least 1"
                ),
            ]
        );
        assert_eq!(errs[0].column, Some(12));
        assert_eq!(
            errs[0].help.as_deref(),
            Some("write it like `paginate = 20`")
        );
        assert_eq!(
            errs[3].help.as_deref(),
            Some("remove the quotes: `unsafe_html = true`")
        );
    }

    #[test]
    fn numbers_where_text_belongs_get_quotes_suggested() {
        let errs = problems("title = 1984\n");
        assert_eq!(
            errs[0].message,
            "`title` must be text in quotes, not the number 1984"
        );
        assert_eq!(
            errs[0].help.as_deref(),
            Some("put it in quotes: `title = \"1984\"`")
        );
    }

    #[test]
    fn missing_title_is_reported_at_the_top() {
        let errs = problems("description = \"d\"\n");
        assert_eq!(
            (errs[0].line, errs[0].code),
            (Some(1), Some("missing-config-key"))
        );
    }

    #[test]
    fn syntax_errors_point_at_what_is_left_open() {
        let errs = problems("title = \"x\"\npaginate = [2\n");
        assert_eq!((errs[0].line, errs[0].column), (Some(2), Some(12)));
        assert_eq!(errs[0].code, Some("config-syntax"));
        assert!(errs[0].help.as_deref().unwrap_or_default().contains("`]`"));
        let errs = problems("title = \"x\"\ntitle = \"y\"\n");
        assert_eq!(
            (errs[0].line, errs[0].code),
            (Some(2), Some("config-syntax"))
        );
    }

    #[test]
    fn base_url_gets_trailing_slash() {
        let c = Config::parse("title = \"x\"\nbase_url = \"https://a.org/sub\"\n").unwrap();
        assert_eq!(c.base_url.as_deref(), Some("https://a.org/sub/"));
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    }

    #[test]
    fn a_site_without_base_url_is_warned_about() {
        let mut c = Config::parse("title = \"x\"\n").unwrap();
        assert_eq!(c.warnings.len(), 1);
        assert_eq!(c.warnings[0].code, Some(BASE_URL_MISSING));
        assert!(!c.warnings[0].is_error());
        c.set_base_url("https://example.org").unwrap();
        assert!(c.warnings.is_empty());
        // An empty one is located.
        let c = Config::parse("title = \"x\"\nbase_url = \"\"\n").unwrap();
        assert_eq!(c.warnings[0].line, Some(2));
    }

    #[test]
    fn crlf_file_locates_errors_on_the_right_column() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "title = \"x\"\r\ndescription = \"d\"\r\ntitel = \"y\"\r\n",
        )
        .unwrap();
        let err = &Config::load(dir.path()).unwrap_err().0[0];
        assert_eq!((err.line, err.column), (Some(3), Some(1)), "{err}");
        // 30 in the text as read (LF); 32 had the CRLFs been kept.
        assert_eq!(err.span, Some(30..35), "{err}");
    }
}
