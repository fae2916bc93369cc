//! Old addresses: the `aliases:` of briefs, topics and pages.
//!
//! Each alias keeps a page's old address working with a redirect page written there (see
//! [`crate::model::redirects`]). Two forms are accepted:
//!
//! - a bare slug (`old-slug`): the same kind's old address, `briefs/old-slug/` for a brief,
//!   `topics/old-slug/` for a topic, `pages/old-slug/` for a page. For a topic it is also another
//!   name briefs may list it by;
//! - a path starting with `/` (`/2025/03/some-old-url.html`, `/briefs/old-slug/`): that exact old
//!   address on the site. A path ending in `/`, or whose last segment has no `.`, is a folder and
//!   names its `index.html`; any other must end in `.html` or `.htm`, since a redirect page is an
//!   HTML page.
//!
//! A path becomes a file in the output, so it is held to what is safe to write: no `..` or `.`,
//! no hidden segments (`.git`), no empty segments (`//host/…`), no backslashes, control
//! characters, spaces, `%`-escapes, `?`, `#` or `:` (so no `C:\…`, `file:` or `https:`), only
//! letters, digits and `-`, `_`, `.`, `~`. Everything is checked here, once per file; the model
//! only sees whether two addresses collide.

use std::ops::Range;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::diagnostic::Diagnostic;

/// One checked alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// As written in the front matter, trimmed, for messages.
    pub written: String,
    pub address: Address,
    /// Where it is written in the file: the value itself where it can be found, else the
    /// `aliases` line.
    pub span: Range<usize>,
}

/// Where an alias points, in one of the two accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address {
    /// A bare slug: the same kind's old address.
    Slug(String),
    /// An exact old path, root-relative without its leading `/` and naming a file:
    /// `2025/03/old.html`, `briefs/old/index.html`.
    Path(String),
}

/// Longest path segment, in bytes: file systems refuse names over 255.
const MAX_SEGMENT: usize = 200;
/// Longest path, in bytes.
const MAX_PATH: usize = 1000;

/// Checks every alias of a file. `key` is the byte offset in `text` of the `aliases` line (or
/// of the front matter) and `front_end` where the front matter ends, to find each value in.
/// Returns the good aliases, each once, and a located diagnostic per bad one.
pub fn parse_all(
    file: &Path,
    text: &str,
    key: usize,
    front_end: usize,
    written: Vec<String>,
) -> (Vec<Alias>, Vec<Diagnostic>) {
    let mut good: Vec<Alias> = Vec::new();
    let mut errors = Vec::new();
    let mut from = key;
    for w in written {
        let w = w.trim().to_string();
        let span = locate(text, from, front_end, &w).unwrap_or_else(|| line_span(text, key));
        // The next value is looked for after this one, so two similar values find their own.
        if span.start >= from && span.start != key {
            from = span.end;
        }
        match address(&w) {
            Ok(address) => {
                if !good.iter().any(|a| a.address == address) {
                    good.push(Alias {
                        written: w,
                        address,
                        span,
                    });
                }
            }
            Err((message, help)) => errors.push(
                Diagnostic::error(file, message)
                    .with_code("invalid-alias")
                    .with_help(help)
                    .at_span(text, span),
            ),
        }
    }
    (good, errors)
}

/// The address an alias names, or what is wrong with it and how to write it.
pub fn address(written: &str) -> Result<Address, (String, String)> {
    if written.is_empty() {
        return Err((
            "an alias is empty".into(),
            "write an old slug (`old-slug`) or an old path starting with `/` (`/2025/03/old.html`), or remove the entry".into(),
        ));
    }
    if written.starts_with('/') {
        return path(written).map(Address::Path);
    }
    let clean = crate::parse::slugify(written);
    if written.contains(['/', '\\']) || written.contains(':') {
        let help = if written.contains("://") {
            "give the old address without the site's scheme and host, starting with `/`: `/2025/03/old.html`".to_string()
        } else if written.contains(':') {
            "give the old address as a path of the site, starting with `/` and without a drive or scheme: `/2025/03/old.html`".to_string()
        } else {
            format!(
                "an old path starts with `/` (`/{}`); a bare alias is one slug such as {clean:?}",
                written.trim_start_matches(['.', '/', '\\'])
            )
        };
        return Err((
            format!("alias {written:?} is neither a slug nor a path"),
            help,
        ));
    }
    if clean != written {
        let help = if clean.is_empty() {
            "a slug has lower-case letters, digits and hyphens; for an exact old address write a path starting with `/`".to_string()
        } else {
            format!("use {clean:?}, or write the exact old address as a path starting with `/`")
        };
        return Err((format!("alias {written:?} is not a valid slug"), help));
    }
    Ok(Address::Slug(clean))
}

/// Checks an old path and turns it into the root-relative file a redirect page is written to:
/// `/x/` and `/x` become `x/index.html`, `/a/b.html` stays `a/b.html`.
pub fn path(written: &str) -> Result<String, (String, String)> {
    let refuse =
        |why: &str, help: &str| Err((format!("alias {written:?} {why}"), help.to_string()));
    const ALLOWED: &str = "old paths may hold letters, digits, `-`, `_`, `.` and `~`, with `/` between folders, like /2025/03/old-page.html";
    let Some(rest) = written.strip_prefix('/') else {
        return refuse("does not start with `/`", ALLOWED);
    };
    if rest.starts_with('/') {
        return refuse(
            "starts with `//`, which names another host",
            "give the old path on this site, with one leading `/`",
        );
    }
    if written.len() > MAX_PATH {
        return refuse(
            "is too long",
            "an old path of this site is at most 1000 bytes",
        );
    }
    if let Some(c) = written.chars().find(|&c| !allowed(c)) {
        let help = match c {
            '\\' => "write `/` between folders, never `\\`".to_string(),
            '%' => "write the characters themselves (é, not %C3%A9)".to_string(),
            '?' | '#' => {
                "a redirect page answers for a path alone: leave out the `?query` or `#fragment`"
                    .to_string()
            }
            ':' => "give the path alone, without a scheme, host or drive: `/2025/03/old.html`"
                .to_string(),
            _ => ALLOWED.to_string(),
        };
        return Err((
            format!(
                "alias {written:?} has the character {:?}, which an old path of this site cannot hold",
                c
            ),
            help,
        ));
    }
    let folder = rest.is_empty() || rest.ends_with('/');
    let segments: Vec<&str> = rest.strip_suffix('/').unwrap_or(rest).split('/').collect();
    let mut out = String::with_capacity(rest.len() + 11);
    for (i, segment) in segments.iter().enumerate() {
        if segment.is_empty() && !(i == 0 && rest.is_empty()) {
            return refuse(
                "has an empty folder name (`//`)",
                "write one `/` between folders",
            );
        }
        if *segment == "." || *segment == ".." {
            return refuse(
                "has `.` or `..` in it, which would climb out of its folder",
                "give the old address as it was published, from the site's root: /2025/03/old.html",
            );
        }
        if segment.starts_with('.') {
            return refuse(
                "has a name starting with `.`, which hosts hide",
                "hidden files cannot be redirect pages; give the published address of the old page",
            );
        }
        if segment.len() > MAX_SEGMENT {
            return refuse(
                "has a folder or file name that is too long",
                "names in an old path are at most 200 bytes each",
            );
        }
        if !segment.is_empty() {
            out.push_str(segment);
            out.push('/');
        }
    }
    let last = segments.last().copied().unwrap_or_default();
    if folder || !last.contains('.') {
        out.push_str(crate::layout::INDEX);
        return Ok(out.nfc().collect());
    }
    out.pop();
    let lower = last.to_ascii_lowercase();
    if !(lower.ends_with(".html") || lower.ends_with(".htm")) {
        return refuse(
            "names a file that is not an HTML page",
            "a redirect page is HTML: give an old page as a folder (`/old/`) or an `.html` file; \
             for other files (feeds, images, `.php`), add a rule to the host's own redirects",
        );
    }
    Ok(out.nfc().collect())
}

/// Whether `c` may appear in an old path.
fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '/' | '-' | '_' | '.' | '~')
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// The byte range of `value` in `text[from..end]`, as a whole word (not inside a longer one).
fn locate(text: &str, from: usize, end: usize, value: &str) -> Option<Range<usize>> {
    if value.is_empty() {
        return None;
    }
    let end = end.min(text.len());
    let hay = text.get(from..end)?;
    let word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '~');
    let mut start = 0;
    while let Some(i) = hay[start..].find(value) {
        let at = start + i;
        let after = at + value.len();
        let before_ok = hay[..at].chars().next_back().is_none_or(|c| !word(c));
        let after_ok = hay[after..].chars().next().is_none_or(|c| !word(c));
        if before_ok && after_ok {
            return Some(from + at..from + after);
        }
        start = at + value.len().max(1);
        while start < hay.len() && !hay.is_char_boundary(start) {
            start += 1;
        }
        if start >= hay.len() {
            break;
        }
    }
    None
}

/// The line holding `offset`, without its line break.
fn line_span(text: &str, offset: usize) -> Range<usize> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    offset..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Address {
        address(s).unwrap_or_else(|e| panic!("{s:?}: {e:?}"))
    }

    fn err(s: &str) -> (String, String) {
        address(s).expect_err(s)
    }

    #[test]
    fn the_two_forms() {
        assert_eq!(ok("old-slug"), Address::Slug("old-slug".into()));
        assert_eq!(
            ok("/old-slug/"),
            Address::Path("old-slug/index.html".into())
        );
        assert_eq!(
            ok("/briefs/old"),
            Address::Path("briefs/old/index.html".into())
        );
        assert_eq!(
            ok("/2025/03/some-old-url.html"),
            Address::Path("2025/03/some-old-url.html".into())
        );
        assert_eq!(ok("/A/Page.HTM"), Address::Path("A/Page.HTM".into()));
        assert_eq!(ok("/"), Address::Path("index.html".into()));
        assert_eq!(ok("/v1.2/"), Address::Path("v1.2/index.html".into()));
        assert_eq!(ok("/café/"), Address::Path("café/index.html".into()));
    }

    #[test]
    fn hostile_paths_are_refused_with_help() {
        for bad in [
            "/../../etc/passwd.html",
            "/a/./b.html",
            "/a/../b/",
            "//evil.example/x",
            "/a//b/",
            "/a\\b.html",
            "C:\\x.html",
            "/C:/x.html",
            "file:///etc/x.html",
            "https://old.example.org/x.html",
            "/a\u{0}b/",
            "/a\nb/",
            "/a b/",
            "/.git/config.html",
            "/.briefing-output",
            "/x%2F..%2F/",
            "/x.html?p=1",
            "/feed.xml",
            "/old.php",
            "../x",
            "a/b",
            "Old Slug",
            "",
        ] {
            let (message, help) = err(bad);
            assert!(!help.is_empty(), "{bad:?}: {message}");
        }
        assert!(err("/a\\b.html").1.contains("`/`"));
        assert!(
            err("https://old.example.org/x.html")
                .1
                .contains("starting with `/`")
        );
        assert!(err("Old Slug").1.contains("\"old-slug\""));
        assert!(err("/x%41/").1.contains("é"));
        let long = format!("/{}/", "a".repeat(300));
        assert!(err(&long).0.contains("too long"));
    }

    proptest::proptest! {
        /// Whatever is written, an accepted path names an HTML file inside the output folder.
        #[test]
        fn accepted_paths_stay_inside_the_output(written in "/?(([a-zA-Z~_-]{0,4}|\\.{1,2}|[\\\\%:?# ]|\\PC|\\.html?)/{0,2}){0,8}") {
            if let Ok(Address::Path(p)) = address(&written) {
                let path = std::path::Path::new(&p);
                proptest::prop_assert!(path
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_))));
                proptest::prop_assert!(!p.contains(['\\', ':', '%']) && !p.starts_with('/'));
                proptest::prop_assert!(p.split('/').all(|s| !s.is_empty() && !s.starts_with('.')));
                let lower = p.to_ascii_lowercase();
                proptest::prop_assert!(lower.ends_with(".html") || lower.ends_with(".htm"));
            }
        }
    }

    #[test]
    fn values_are_located_in_the_file() {
        let text = "---\ntitle: T\naliases:\n  - old\n  - /2025/03/old.html\n  - Bad Slug\n---\n";
        let key = text.find("aliases").expect("key");
        let end = text.rfind("---").expect("end");
        let (good, errors) = parse_all(
            Path::new("x.md"),
            text,
            key,
            end,
            vec![
                "old".into(),
                "/2025/03/old.html".into(),
                "Bad Slug".into(),
                "old".into(),
            ],
        );
        assert_eq!(good.len(), 2, "the repeated alias is kept once");
        assert_eq!(&text[good[0].span.clone()], "old");
        assert_eq!(&text[good[1].span.clone()], "/2025/03/old.html");
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (Some(6), Some(5)));
        assert_eq!(errors[0].code, Some("invalid-alias"));
    }
}
