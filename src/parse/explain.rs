//! Front-matter errors in plain words.
//!
//! serde-saphyr and toml describe a failed deserialization in serde's terms (``invalid type:
//! integer `3`, expected i64``, ``unknown field `topic`, expected one of …``) and place a syntax
//! error where parsing gave up. This module turns each into a [`Diagnostic`] an author can act
//! on: which field, what it must be and what was found, located where the problem starts, with
//! help that fits the error (a "did you mean" for a misspelt field, how to close an unclosed
//! list) instead of one generic hint.

use std::path::Path;

use super::Format;
use super::unclosed;
use crate::diagnostic::{Diagnostic, did_you_mean, line_start_offset};

/// The front matter an error was found in.
pub(super) struct Front<'a> {
    pub path: &'a Path,
    /// The whole file.
    pub text: &'a str,
    pub front: &'a str,
    /// Byte offset of `front` in `text`.
    pub offset: usize,
    pub format: Format,
    /// The fields the file's kind allows.
    pub known: &'a [&'a str],
}

/// What went wrong, whichever parser said it.
enum Problem {
    UnknownField {
        field: String,
        known: Vec<String>,
    },
    MissingField {
        field: String,
    },
    WrongType {
        found: String,
        expected: String,
    },
    UnknownVariant {
        value: String,
        allowed: Vec<String>,
    },
    Duplicate {
        key: Option<String>,
    },
    NoValue,
    /// A serde error with no better reading.
    Other {
        message: String,
    },
    Syntax {
        message: String,
    },
}

/// A serde-saphyr error as a diagnostic.
pub(super) fn yaml(front: &Front<'_>, e: &serde_saphyr::Error) -> Diagnostic {
    let at = e.location().filter(|l| l.line() > 0).map(|l| {
        let start = line_start_offset(front.front, l.line() as usize);
        front.front[start..]
            .char_indices()
            .nth(l.column().max(1) as usize - 1)
            .map_or(front.front.len(), |(i, _)| start + i)
    });
    front.diagnose(yaml_problem(front, e.without_snippet(), at), at)
}

fn yaml_problem(front: &Front<'_>, e: &serde_saphyr::Error, at: Option<usize>) -> Problem {
    use serde_saphyr::Error as E;
    match e {
        E::SerdeUnknownField {
            field, expected, ..
        } => Problem::UnknownField {
            field: field.clone(),
            known: expected.iter().map(|s| s.to_string()).collect(),
        },
        E::SerdeMissingField { field, .. } => Problem::MissingField {
            field: field.to_string(),
        },
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => Problem::WrongType {
            found: plain_found(unexpected),
            expected: plain_expected(expected),
        },
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => Problem::UnknownVariant {
            value: variant.clone(),
            allowed: expected.iter().map(|s| s.to_string()).collect(),
        },
        E::InvalidScalar { ty, .. } => Problem::WrongType {
            found: written_value(front.front, at),
            expected: plain_expected(ty),
        },
        E::InvalidBooleanStrict { .. } => Problem::WrongType {
            found: written_value(front.front, at),
            expected: plain_expected("bool"),
        },
        E::Unexpected { expected, .. } => Problem::WrongType {
            found: written_value(front.front, at),
            expected: plain_expected(expected),
        },
        E::NullIntoString { .. } => Problem::NoValue,
        E::DuplicateMappingKey { key, .. } => Problem::Duplicate { key: key.clone() },
        E::AliasError { error, .. } => yaml_problem(front, error, at),
        _ => Problem::Syntax {
            message: yaml_message(e),
        },
    }
}

/// The message of a YAML error without saphyr's own snippet and location suffix.
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let full = e.without_snippet().to_string();
    let first = full.lines().next().unwrap_or("invalid YAML").trim();
    // saphyr appends " at line L, column C"; the diagnostic carries the location itself.
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

/// A toml error as a diagnostic. toml gives only a message, in serde's wording, and a span.
pub(super) fn toml(front: &Front<'_>, e: &toml::de::Error) -> Diagnostic {
    let at = e.span().map(|s| s.start.min(front.front.len()));
    let message = e.message().trim();
    let ticked = backticked(message);
    let problem = if let Some(rest) = message.strip_prefix("unknown field ") {
        Problem::UnknownField {
            field: backticked(rest).first().cloned().unwrap_or_default(),
            known: ticked.into_iter().skip(1).collect(),
        }
    } else if message.starts_with("missing field ") {
        Problem::MissingField {
            field: ticked.into_iter().next().unwrap_or_default(),
        }
    } else if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        Problem::WrongType {
            found: plain_found(found),
            expected: plain_expected(expected),
        }
    } else if message.starts_with("unknown variant ") {
        let mut ticked = ticked.into_iter();
        Problem::UnknownVariant {
            value: ticked.next().unwrap_or_default(),
            allowed: ticked.collect(),
        }
    } else if message.starts_with("duplicate key") || message.starts_with("duplicate field") {
        Problem::Duplicate {
            key: e
                .span()
                .and_then(|s| front.front.get(s))
                .map(|k| k.trim_matches(['"', '\'']).to_string())
                .filter(|k| !k.is_empty()),
        }
    } else if message.starts_with("invalid length") {
        Problem::Other {
            message: message.to_string(),
        }
    } else {
        Problem::Syntax {
            message: message.to_string(),
        }
    };
    front.diagnose(problem, at)
}

impl Front<'_> {
    /// Says what went wrong at byte `at` of the front matter, with help that fits.
    fn diagnose(&self, problem: Problem, at: Option<usize>) -> Diagnostic {
        let field = at.and_then(|at| field_at(self.front, at));
        let field = field.as_deref();
        let field_example = field.and_then(|f| example(f, self.format));
        let d = |message: String| Diagnostic::error(self.path, message);
        match problem {
            Problem::UnknownField { field, known } => {
                let known: Vec<&str> = if known.is_empty() {
                    self.known.to_vec()
                } else {
                    known.iter().map(String::as_str).collect()
                };
                let d = d(format!("unknown field `{field}`"))
                    .with_code("unknown-field")
                    .with_help(did_you_mean(&field, &known, "fields"));
                match at {
                    Some(at)
                        if self
                            .front
                            .get(at..)
                            .is_some_and(|s| s.starts_with(field.as_str())) =>
                    {
                        let start = self.offset + at;
                        d.at_span(self.text, start..start + field.len())
                    }
                    _ => self.locate(d, at),
                }
            }
            Problem::MissingField { field } => {
                let help = match example(&field, self.format) {
                    Some(e) => format!("add it, e.g. `{e}`"),
                    None => format!("add a `{field}` field"),
                };
                let d = d(format!("required field `{field}` is missing"))
                    .with_code("missing-field")
                    .with_help(help);
                // A missing top-level field is on no line; saphyr places it where the mapping
                // ends, which points at an unrelated field. Point at the front matter, as toml
                // does. A missing field of a nested entry (a source's `name`) is at the entry.
                if self.known.contains(&field.as_str()) {
                    self.locate(d, None)
                } else {
                    self.locate(d, at.map(|at| entry_start(self.front, at)))
                }
            }
            Problem::WrongType { found, expected } => {
                let message = match field {
                    Some(f) => format!("`{f}` must be {expected}, not {found}"),
                    None => format!("expected {expected} here, not {found}"),
                };
                let help = match field_example {
                    Some(e) => format!("write it like `{e}`"),
                    None => format!("write {expected} here"),
                };
                self.locate(d(message).with_code("invalid-field").with_help(help), at)
            }
            Problem::UnknownVariant { value, allowed } => {
                let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
                let message = match field {
                    Some(f) => format!("`{f}` cannot be {value:?}"),
                    None => format!("{value:?} is not allowed here"),
                };
                self.locate(
                    d(message)
                        .with_code("invalid-field")
                        .with_help(did_you_mean(&value, &allowed, "values")),
                    at,
                )
            }
            Problem::Duplicate { key } => {
                let message = match &key {
                    Some(k) => format!("`{k}` is set twice"),
                    None => "a field is set twice".to_string(),
                };
                self.locate(
                    d(message)
                        .with_code("duplicate-field")
                        .with_help("keep one of the two"),
                    at,
                )
            }
            Problem::NoValue => {
                let message = match field {
                    Some(f) => format!("`{f}` has no value"),
                    None => "a field has no value".to_string(),
                };
                let help = match field_example {
                    Some(e) => format!("write it like `{e}`, or remove the line"),
                    None => "write a value after the field's name, or remove the line".to_string(),
                };
                self.locate(d(message).with_code("invalid-field").with_help(help), at)
            }
            Problem::Other { message } => self.locate(
                d(message)
                    .with_code("invalid-field")
                    .with_help("see the README for the fields and what each holds"),
                at,
            ),
            Problem::Syntax { message } => self.syntax(message, at),
        }
    }

    /// A syntax error, placed at the bracket or quote it leaves open when there is one.
    fn syntax(&self, message: String, at: Option<usize>) -> Diagnostic {
        let open = match self.format {
            Format::Yaml => unclosed::yaml(self.front),
            Format::Toml => unclosed::toml(self.front),
        };
        if let Some(u) = open.filter(|u| at.is_none_or(|at| u.offset <= at)) {
            return Diagnostic::error(self.path, u.message())
                .with_code("front-matter-syntax")
                .with_help(u.help())
                .at_offset(self.text, self.offset + u.offset);
        }
        let line = at.map_or("", |at| line_of(self.front, at));
        let (code, help) = syntax_help(self.format, &message, line);
        self.locate(
            Diagnostic::error(self.path, message)
                .with_code(code)
                .with_help(help),
            at,
        )
    }

    /// Places `d` on the line of byte `at` of the front matter, or at its start.
    fn locate(&self, d: Diagnostic, at: Option<usize>) -> Diagnostic {
        match at {
            Some(at) => d.at_line_of(self.text, self.offset + at),
            None => d.at_offset(self.text, self.offset),
        }
    }
}

/// The code and help for a syntax error the parser describes as `message`, found on `line`.
fn syntax_help(format: Format, message: &str, line: &str) -> (&'static str, String) {
    let code = "front-matter-syntax";
    match format {
        Format::Yaml => {
            if message.contains("mapping values are not allowed") {
                let help = match line.split_once(": ") {
                    Some((key, value)) if !value.trim().starts_with(['"', '\'']) => format!(
                        "put text that contains `: ` in quotes: `{key}: \"{}\"`",
                        value.trim().replace('"', "\\\"")
                    ),
                    _ => "put text that contains `: ` in quotes".to_string(),
                };
                (code, help)
            } else if message.contains("tab") {
                (
                    code,
                    "indent with spaces; YAML does not allow tabs here".into(),
                )
            } else {
                (
                    code,
                    "write one field per line as `name: value`, lists as `[a, b]` or one `- item` per line, and indent nested lines with spaces".into(),
                )
            }
        }
        Format::Toml => {
            if message.contains("date") || message.contains("time") {
                (
                    "invalid-date",
                    "write dates as YYYY-MM-DD, or RFC 3339 like 2025-02-18T09:30:00Z".into(),
                )
            } else if message.contains("must be quoted") {
                (code, "put text in quotes: `title = \"…\"`".into())
            } else {
                (
                    code,
                    "write one field per line as `name = value`, with text in quotes: `title = \"…\"`".into(),
                )
            }
        }
    }
}

/// The words between backticks in a serde message (``unknown field `a`, expected `b` or `c` ``).
fn backticked(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// serde's description of a value found (``integer `3` ``) in plain words.
fn plain_found(found: &str) -> String {
    let ticked = || backticked(found).into_iter().next().unwrap_or_default();
    if found.starts_with("boolean ") {
        ticked()
    } else if found.starts_with("integer ") || found.starts_with("floating point ") {
        format!("the number {}", ticked())
    } else if let Some(s) = found.strip_prefix("string ") {
        format!("the text {s}")
    } else {
        match found {
            "unit value" => "an empty value".to_string(),
            "sequence" => "a list".to_string(),
            "map" => "a set of fields".to_string(),
            other => other.to_string(),
        }
    }
}

/// serde's or saphyr's description of what a field takes (`i64`, `a boolean`) in plain words.
fn plain_expected(expected: &str) -> String {
    let plain = match expected {
        "a string" | "string" | "string scalar" | "a borrowed string" => "text",
        "a boolean" | "bool" | "boolean" => "true or false",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128"
        | "usize" | "an integer" | "integer" => "a whole number",
        "f32" | "f64" | "a float" | "float" => "a number",
        "a sequence" | "sequence" | "sequence start" => "a list",
        "a map" | "map" | "mapping" | "mapping start" => "a set of fields",
        e if e.starts_with("struct ") => "a set of fields",
        e => return e.to_string(),
    };
    plain.to_string()
}

/// The value written at byte `at` (to the end of its line), as found-value words.
fn written_value(front: &str, at: Option<usize>) -> String {
    let Some(at) = at else {
        return "what is written".to_string();
    };
    let rest = &front[at..];
    let rest = rest[..rest.find('\n').unwrap_or(rest.len())].trim();
    let rest = rest.split(" #").next().unwrap_or(rest).trim();
    if rest.is_empty() {
        "an empty value".to_string()
    } else if rest.starts_with('[') {
        "a list".to_string()
    } else if rest.starts_with('{') {
        "a set of fields".to_string()
    } else if rest.chars().count() > 40 {
        let short: String = rest.chars().take(40).collect();
        format!("`{short}…`")
    } else {
        format!("`{rest}`")
    }
}

/// The `- ` that starts the list entry holding the field at byte `at`, or `at` itself: saphyr
/// places a field missing from an entry at the entry's last field.
fn entry_start(front: &str, at: usize) -> usize {
    let at = at.min(front.len());
    let mut start = front[..at].rfind('\n').map_or(0, |i| i + 1);
    let Some(dash) = (at - start).checked_sub(2) else {
        return at;
    };
    loop {
        let line = line_of(front, start);
        if line.get(dash..dash + 2) == Some("- ") {
            return start + dash;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if start == 0 || (indent < dash && !line.trim().is_empty()) {
            return at;
        }
        start = front[..start - 1].rfind('\n').map_or(0, |i| i + 1);
    }
}

/// The line of the front matter holding byte `at`.
fn line_of(front: &str, at: usize) -> &str {
    let at = at.min(front.len());
    let start = front[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = front[at..].find('\n').map_or(front.len(), |i| at + i);
    &front[start..end]
}

/// The name of the field whose value is at byte `at`: the last `name:` or `name =` before it
/// on its line, or the one starting there.
fn field_at(front: &str, at: usize) -> Option<String> {
    let at = at.min(front.len());
    let start = front[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = line_of(front, at);
    let col = at - start;
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let name_before = |before: &str| {
        let before = before.trim_end().trim_end_matches(['"', '\'']);
        let name: String = before
            .chars()
            .rev()
            .take_while(|&c| is_name(c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        (!name.is_empty()).then_some(name)
    };
    // A separator before the value (`name: value`, `name = value`, `{name: value}`), or the
    // separator itself when the value is missing.
    let through = line[col..]
        .chars()
        .next()
        .map_or(col, |c| col + c.len_utf8());
    let before = &line[..through];
    let separator = before
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            c == '='
                || (c == ':' && (line[i + 1..].starts_with([' ', '\t']) || i + 1 == line.len()))
        })
        .map(|(i, _)| i);
    if let Some(name) = separator.and_then(|i| name_before(&line[..i])) {
        return Some(name);
    }
    // The error is at the field's name itself (saphyr places some type errors there).
    let rest = line[col..].trim_start_matches([' ', '-']);
    let name: String = rest
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|&c| is_name(c))
        .collect();
    let after = rest[rest.find(name.as_str()).unwrap_or(0) + name.len()..]
        .trim_start_matches(['"', '\''])
        .trim_start();
    (!name.is_empty() && (after.starts_with(':') || after.starts_with('='))).then_some(name)
}

/// A line that sets `field` well, in the file's syntax, for help texts.
fn example(field: &str, format: Format) -> Option<&'static str> {
    const EXAMPLES: &[(&str, &str, &str)] = &[
        (
            "title",
            "title: Talks resume in Riyadh",
            "title = \"Talks resume in Riyadh\"",
        ),
        ("date", "date: 2025-02-18", "date = 2025-02-18"),
        ("updated", "updated: 2025-02-19", "updated = 2025-02-19"),
        (
            "topics",
            "topics: [iran, syria]",
            "topics = [\"iran\", \"syria\"]",
        ),
        (
            "summary",
            "summary: One plain sentence.",
            "summary = \"One plain sentence.\"",
        ),
        ("slug", "slug: riyadh-talks", "slug = \"riyadh-talks\""),
        (
            "sources",
            "sources: [{name: Reuters, url: https://example.org/a}]",
            "sources = [{ name = \"Reuters\", url = \"https://example.org/a\" }]",
        ),
        (
            "people",
            "people: [Sergei Lavrov]",
            "people = [\"Sergei Lavrov\"]",
        ),
        ("places", "places: [Kyiv]", "places = [\"Kyiv\"]"),
        (
            "organizations",
            "organizations: [OPEC]",
            "organizations = [\"OPEC\"]",
        ),
        ("tags", "tags: [gas]", "tags = [\"gas\"]"),
        ("status", "status: confirmed", "status = \"confirmed\""),
        ("draft", "draft: true", "draft = true"),
        ("order", "order: 2", "order = 2"),
        (
            "aliases",
            "aliases: [russia-us]",
            "aliases = [\"russia-us\"]",
        ),
        ("authors", "authors: [Jane Doe]", "authors = [\"Jane Doe\"]"),
        ("role", "role: Energy analyst", "role = \"Energy analyst\""),
        (
            "bio",
            "bio: Covers gas, oil and sanctions.",
            "bio = \"Covers gas, oil and sanctions.\"",
        ),
        (
            "links",
            "links: [{name: Homepage, url: https://example.org/}]",
            "links = [{ name = \"Homepage\", url = \"https://example.org/\" }]",
        ),
        ("name", "name: Reuters", "name = \"Reuters\""),
        (
            "url",
            "url: https://example.org/article",
            "url = \"https://example.org/article\"",
        ),
    ];
    EXAMPLES
        .iter()
        .find(|(f, _, _)| *f == field)
        .map(|&(_, yaml, toml)| match format {
            Format::Yaml => yaml,
            Format::Toml => toml,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_found_before_or_at_the_value() {
        assert_eq!(
            field_at("title: x\ndraft: maybe\n", 16).as_deref(),
            Some("draft")
        );
        assert_eq!(
            field_at("title: x\ntopics: 3\n", 9).as_deref(),
            Some("topics")
        );
        assert_eq!(
            field_at("sources = [{ name = \"x\", url = 3 }]", 31).as_deref(),
            Some("url")
        );
        assert_eq!(
            field_at("  - name: x\n    url: [\n", 21).as_deref(),
            Some("url")
        );
        assert_eq!(field_at("title:\n", 5).as_deref(), Some("title"));
        assert_eq!(field_at("just text\n", 5), None);
    }

    #[test]
    fn a_field_missing_from_a_list_entry_is_placed_at_the_entry() {
        let front = "title: T\nsources:\n  - date: x\n    url: y\n";
        assert_eq!(entry_start(front, front.find("url").unwrap()), 20);
        assert_eq!(entry_start(front, 0), 0);
    }

    #[test]
    fn serde_words_become_plain() {
        assert_eq!(plain_found("integer `3`"), "the number 3");
        assert_eq!(plain_found("string \"maybe\""), "the text \"maybe\"");
        assert_eq!(plain_found("boolean `true`"), "true");
        assert_eq!(plain_expected("i64"), "a whole number");
        assert_eq!(plain_expected("a boolean"), "true or false");
        assert_eq!(plain_expected("struct Source"), "a set of fields");
        assert_eq!(
            plain_expected("a list of names, like [a, b]"),
            "a list of names, like [a, b]"
        );
    }
}
