//! Site settings from `site.toml`.
//!
//! Reads and validates the file once; every later stage takes the resulting [`Config`].
//! Unknown keys are errors so a typo never passes silently.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Diagnostic;

pub const CONFIG_FILE: &str = "site.toml";

/// Validated site settings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute base URL with a trailing slash, when the site is to publish absolute URLs.
    pub base_url: Option<String>,
    pub language: String,
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: Option<String>,
    language: Option<String>,
    #[serde(default)]
    author: String,
    output_dir: Option<PathBuf>,
    #[serde(default)]
    unsafe_html: bool,
    paginate: Option<usize>,
    front_page_briefs: Option<usize>,
    feed_entries: Option<usize>,
}

impl Config {
    /// Reads `site.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        if let Some(target) = outside_link(root, &path) {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!(
                    "{CONFIG_FILE} is a symbolic link that leads outside the site, to {}",
                    target.display()
                ),
            )
            .with_help(
                "briefing never follows links out of the site folder; copy the file into the site",
            ));
        }
        if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("no {CONFIG_FILE} in {}", root.display()),
            )
            .with_help(
                "run briefing in a site folder or pass --root DIR; a site needs a site.toml with at least `title = \"…\"`",
            ));
        }
        // Read as content files are: size-capped, BOM dropped, CRLF made LF, so carets in
        // diagnostics land where the author sees them.
        let text = crate::load::read_source(root, PathBuf::from(CONFIG_FILE))?.text;
        Self::parse(&text)
    }

    /// Parses the text of a `site.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let d = Diagnostic::error(CONFIG_FILE, e.message().to_string());
            let d = match e.span() {
                Some(span) => d.at_span(text, span),
                None => d,
            };
            d.with_help("known settings: title, description, base_url, language, author, output_dir, unsafe_html, paginate, front_page_briefs, feed_entries")
        })?;
        let field_error = |key: &str, msg: String, help: &str| {
            let d = Diagnostic::error(CONFIG_FILE, msg).with_help(help.to_string());
            match crate::parse::find_key(text, key) {
                Some(offset) => d.at_offset(text, offset),
                None => d,
            }
        };
        if raw.title.trim().is_empty() {
            return Err(field_error(
                "title",
                "`title` is empty".into(),
                "give the site a title, e.g. title = \"Briefing Desk\"",
            ));
        }
        let base_url = match raw.base_url.as_deref() {
            None => None,
            Some(url) => normalize_base_url(url).map_err(|msg| {
                field_error(
                    "base_url",
                    msg,
                    "write it like base_url = \"https://example.org/briefs/\", or leave it out for relative links only",
                )
            })?,
        };
        for (key, value) in [
            ("paginate", raw.paginate),
            ("front_page_briefs", raw.front_page_briefs),
            ("feed_entries", raw.feed_entries),
        ] {
            if value == Some(0) {
                return Err(field_error(
                    key,
                    format!("`{key}` must be at least 1"),
                    "use a positive number or leave the setting out",
                ));
            }
        }
        let language = raw.language.unwrap_or_else(|| "en".into());
        if language.is_empty()
            || !language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(field_error(
                "language",
                format!("`language` {language:?} is not a language tag"),
                "use a BCP 47 tag such as \"en\", \"en-GB\" or \"ru\"",
            ));
        }
        Ok(Config {
            title: raw.title,
            description: raw.description,
            base_url,
            language,
            author: raw.author,
            output_dir: raw.output_dir.unwrap_or_else(|| PathBuf::from("public")),
            unsafe_html: raw.unsafe_html,
            paginate: raw.paginate.unwrap_or(20),
            front_page_briefs: raw.front_page_briefs.unwrap_or(10),
            feed_entries: raw.feed_entries.unwrap_or(20),
        })
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

    #[test]
    fn unknown_key_is_located() {
        let err = Config::parse("title = \"x\"\ntitel = \"y\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("titel"), "{}", err.message);
    }

    #[test]
    fn base_url_gets_trailing_slash() {
        let c = Config::parse("title = \"x\"\nbase_url = \"https://a.org/sub\"\n").unwrap();
        assert_eq!(c.base_url.as_deref(), Some("https://a.org/sub/"));
    }

    #[test]
    fn crlf_file_locates_errors_on_the_right_column() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "title = \"x\"\r\ndescription = \"d\"\r\ntitel = \"y\"\r\n",
        )
        .unwrap();
        let err = Config::load(dir.path()).unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(1)), "{err}");
        // 30 in the text as read (LF); 32 had the CRLFs been kept.
        assert_eq!(err.span, Some(30..35), "{err}");
    }

    #[test]
    fn bad_base_url_is_rejected() {
        let err = Config::parse("title = \"x\"\nbase_url = \"a.org\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
    }
}
