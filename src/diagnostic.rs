//! One error type for the whole pipeline.
//!
//! Every stage reports problems as [`Diagnostic`]s that carry the file, the line and column (where
//! known), what is wrong and how to fix it. Stages collect all problems of a run instead of
//! stopping at the first, so an author sees everything at once. Rendering them with source
//! snippets happens at the CLI edge (`main.rs`); the library never prints.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found in the input, located as precisely as the stage that found it knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub path: Option<PathBuf>,
    /// 1-based line in the file.
    pub line: Option<usize>,
    /// 1-based column (in characters) in the file.
    pub column: Option<usize>,
    /// 1-based line and column just past the end of the located text, when a span is known.
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    /// A stable, kebab-case name for the kind of problem (`broken-link`, `unknown-field`), for
    /// tools that read `check --format json`.
    pub code: Option<&'static str>,
    /// Byte range in the file, for drawing a snippet.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error about a file as a whole.
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: Some(path.into()),
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            code: None,
            span: None,
            message: message.into(),
            help: None,
        }
    }

    /// An error that belongs to no file (a failed write, a missing folder).
    pub fn global(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: None,
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            code: None,
            span: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Names the kind of problem (see [`Diagnostic::code`]).
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// Locates the diagnostic at a byte offset of `text`, the whole file's contents.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let end = next_char_boundary(text, offset);
        self.at_span(text, offset..end)
    }

    /// Locates the diagnostic at a byte offset, underlining the rest of that line.
    pub fn at_line_of(self, text: &str, offset: usize) -> Self {
        let offset = prev_char_boundary(text, offset.min(text.len()));
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        if end > offset {
            self.at_span(text, offset..end)
        } else {
            self.at_offset(text, offset)
        }
    }

    /// Locates the diagnostic at a byte range of `text`, the whole file's contents.
    pub fn at_span(mut self, text: &str, span: Range<usize>) -> Self {
        let start = prev_char_boundary(text, span.start.min(text.len()));
        let (line, column) = line_column(text, start);
        self.line = Some(line);
        self.column = Some(column);
        // Snap the end to a character boundary so the snippet can be drawn whatever the caller
        // computed.
        let mut end = span.end.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let (end_line, end_column) = line_column(text, end);
        self.end_line = Some(end_line);
        self.end_column = Some(end_column);
        self.span = Some(start..end);
        self
    }

    /// Locates the diagnostic at a known line and column, without a byte span.
    pub fn at_line(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column`, as much of it as is known.
    pub fn location(&self) -> Option<String> {
        let path = self.path.as_deref()?;
        let mut s = path.display().to_string();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(":{col}"));
            }
        }
        Some(s)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.location() {
            Some(loc) => write!(f, "{level}: {loc}: {}", self.message)?,
            None => write!(f, "{level}: {}", self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The entry of `known` closest to a misspelt `word`, if one is close enough to be meant.
pub fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Help for a name that is not one of `known` (`what` names them, e.g. "fields"): the closest
/// one if any, then the whole list, once.
pub fn did_you_mean(word: &str, known: &[&str], what: &str) -> String {
    let list = known.join(", ");
    match closest(word, known) {
        Some(k) => format!("did you mean `{k}`? Known {what}: {list}"),
        None => format!("known {what}: {list}"),
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = prev_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Byte offset of the start of 1-based `line` (the end of the text if there are fewer lines).
pub fn line_start_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

fn prev_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn next_char_boundary(text: &str, i: usize) -> usize {
    let mut j = (i + 1).min(text.len());
    while j < text.len() && !text.is_char_boundary(j) {
        j += 1;
    }
    j
}

/// Shortens `path` to be relative to `root` for display.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// A list of problems, the error of every fallible stage.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, d: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(d);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    /// Sorts by file and position so output is stable whatever order threads finished in.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
        });
        self.0.dedup();
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// Draws a diagnostic the way cargo does, with a source snippet when the file can be read
/// (`root` is the site folder its path is relative to); `color` adds terminal colours.
pub fn render(root: &Path, d: &Diagnostic, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let source = match (&d.path, &d.span) {
        (Some(p), Some(_)) => std::fs::read(root.join(p))
            .ok()
            .map(|b| crate::load::normalize(String::from_utf8_lossy(&b).into_owned())),
        _ => None,
    };
    let path_text = d.path.as_ref().map(|p| p.display().to_string());
    let title = level.primary_title(d.message.as_str());
    let mut elements: Vec<annotate_snippets::Element> = Vec::new();
    match (&source, &d.span, &path_text) {
        (Some(src), Some(span), Some(path))
            // The file may have changed since it was read; draw a snippet only if the span fits.
            if span.end <= src.len()
                && src.is_char_boundary(span.start)
                && src.is_char_boundary(span.end) =>
        {
            let mut span = span.clone();
            if span.start == span.end {
                span.end = src[span.start..]
                    .chars()
                    .next()
                    .map_or(span.start, |c| span.start + c.len_utf8());
            }
            elements.push(
                Snippet::source(src.as_str())
                    .path(path.as_str())
                    .fold(true)
                    .annotation(AnnotationKind::Primary.span(span))
                    .into(),
            );
        }
        (_, _, Some(path)) => {
            let mut origin = Origin::path(path.as_str());
            if let Some(line) = d.line {
                origin = origin.line(line);
                if let Some(col) = d.column {
                    origin = origin.char_column(col);
                }
            }
            elements.push(origin.into());
        }
        _ => {}
    }
    if let Some(help) = &d.help {
        elements.push(Level::HELP.message(help.as_str()).into());
    }
    let report: &[Group] = &[Group::with_title(title).elements(elements)];
    renderer.render(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        let text = "ab\nпе x";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // 'x' is after two 2-byte characters and a space.
        assert_eq!(line_column(text, 8), (2, 4));
        assert_eq!(line_start_offset(text, 2), 3);
    }

    #[test]
    fn did_you_mean_names_the_closest_and_lists_all_once() {
        let known = ["title", "date", "topics"];
        assert_eq!(
            did_you_mean("topic", &known, "fields"),
            "did you mean `topics`? Known fields: title, date, topics"
        );
        assert_eq!(
            did_you_mean("zzz", &known, "fields"),
            "known fields: title, date, topics"
        );
    }
}

/// What `check --format json` prints: every diagnostic and a summary, in one document whose
/// shape (`version` 1) is documented in the README and kept stable for editors and CI.
#[derive(Debug, serde::Serialize)]
pub struct JsonReport<'a> {
    /// The schema version; it changes only when a field changes meaning or goes away.
    pub version: u32,
    /// Whether the check passed (no errors; warnings allowed).
    pub ok: bool,
    pub summary: JsonSummary,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    /// Briefs held back until their time, soonest first.
    pub scheduled: Vec<JsonScheduled>,
}

/// A brief that is not out yet.
#[derive(Debug, serde::Serialize)]
pub struct JsonScheduled {
    pub file: String,
    /// RFC 3339, UTC.
    pub at: String,
}

#[derive(Debug, serde::Serialize)]
pub struct JsonSummary {
    pub errors: usize,
    pub warnings: usize,
    /// What the site holds; known only when the check passed.
    pub briefs: Option<usize>,
    pub topics: Option<usize>,
    pub pages: Option<usize>,
}

/// One diagnostic as JSON: positions are 1-based, columns count characters.
#[derive(Debug, serde::Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: Severity,
    pub code: Option<&'static str>,
    /// Relative to the site root, with `/` separators.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Just past the located text.
    pub end: Option<JsonPosition>,
    pub message: &'a str,
    pub help: Option<&'a str>,
}

#[derive(Debug, serde::Serialize)]
pub struct JsonPosition {
    pub line: usize,
    pub column: usize,
}

impl<'a> JsonReport<'a> {
    /// `counts` is (briefs, topics, pages) of a check that passed; `scheduled`, the briefs it
    /// held back.
    pub fn new(
        diagnostics: &'a [Diagnostic],
        counts: Option<(usize, usize, usize)>,
        scheduled: &[(PathBuf, jiff::Timestamp)],
    ) -> Self {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        JsonReport {
            version: 1,
            ok: errors == 0,
            summary: JsonSummary {
                errors,
                warnings: diagnostics.len() - errors,
                briefs: counts.map(|c| c.0),
                topics: counts.map(|c| c.1),
                pages: counts.map(|c| c.2),
            },
            diagnostics: diagnostics
                .iter()
                .map(|d| JsonDiagnostic {
                    severity: d.severity,
                    code: d.code,
                    file: d
                        .path
                        .as_ref()
                        .map(|p| p.to_string_lossy().replace('\\', "/")),
                    line: d.line,
                    column: d.column,
                    end: d
                        .end_line
                        .zip(d.end_column)
                        .map(|(line, column)| JsonPosition { line, column }),
                    message: &d.message,
                    help: d.help.as_deref(),
                })
                .collect(),
            scheduled: scheduled
                .iter()
                .map(|(file, at)| JsonScheduled {
                    file: file.to_string_lossy().replace('\\', "/"),
                    at: at.to_string(),
                })
                .collect(),
        }
    }

    pub fn to_string_pretty(&self) -> String {
        // Serialising plain strings and numbers cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
