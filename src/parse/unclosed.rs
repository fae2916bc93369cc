//! Finds the bracket or quote that a syntax error leaves open.
//!
//! YAML and TOML parsers notice an unclosed `[`, `{` or quote only where the text stops making
//! sense, often lines later (after `topics: [energy`, the next line's `summary: …` is read as
//! part of the list), and they name that place. The author needs the place it opens. This scan
//! finds it: it knows just enough of each syntax (quotes, comments, block scalars, plain text
//! that may hold brackets) to pair brackets, and it only ever runs on text a parser has already
//! rejected, so it may be a heuristic rather than a parser.

/// Which syntax the scanned text is written in: they quote and comment differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Toml,
}

/// A `[`, `{`, `"` or `'` that is never closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unclosed {
    /// The opening byte.
    pub opener: u8,
    /// Its byte offset in the scanned text.
    pub offset: usize,
    syntax: Syntax,
}

impl Unclosed {
    fn new(opener: u8, offset: usize, syntax: Syntax) -> Self {
        Unclosed {
            opener,
            offset,
            syntax,
        }
    }

    /// What is wrong, said about the opener's place.
    pub fn message(&self) -> &'static str {
        match (self.opener, self.syntax) {
            (b'[', _) => "the list opened here is never closed",
            (b'{', Syntax::Toml) => "the inline table opened here is never closed",
            (b'{', Syntax::Yaml) => "the `{` opened here is never closed",
            _ => "the quoted text opened here is never closed",
        }
    }

    /// How to close it.
    pub fn help(&self) -> &'static str {
        match (self.opener, self.syntax) {
            (b'[', Syntax::Yaml) => "close the list with `]`, as in `topics: [iran, syria]`",
            (b'[', Syntax::Toml) => {
                "close the list with `]`, as in `topics = [\"iran\", \"syria\"]`"
            }
            (b'{', Syntax::Yaml) => {
                "close it with `}`, as in `- {name: Reuters, url: https://example.org/a}`"
            }
            (b'{', Syntax::Toml) => {
                "close it with `}` on the same line, as in `{ name = \"Reuters\" }`"
            }
            (b'"', Syntax::Yaml) => "close the text with `\"`; inside it, write a quote as `\\\"`",
            (b'"', Syntax::Toml) => {
                "close the text with `\"` on the same line; for text over several lines, use `\"\"\"`"
            }
            (_, Syntax::Yaml) => "close the text with `'`; inside it, write a quote as `''`",
            (_, Syntax::Toml) => {
                "close the text with `'` on the same line; for text over several lines, use `'''`"
            }
        }
    }
}

/// The first bracket or quote left open in YAML text, if any.
pub fn yaml(text: &str) -> Option<Unclosed> {
    let b = text.as_bytes();
    // Lines indented more than this belong to the block scalar (`|`, `>`) or plain value above
    // them, whatever they contain.
    let mut owned_by_above: Option<usize> = None;
    let mut pos = 0;
    while pos < b.len() {
        let mut end = line_end(b, pos);
        let indent = b[pos..end].iter().take_while(|&&c| c == b' ').count();
        let mut j = pos + indent;
        if j >= end || b[j] == b'#' {
            pos = end + 1;
            continue;
        }
        match owned_by_above {
            Some(parent) if indent > parent => {
                pos = end + 1;
                continue;
            }
            _ => owned_by_above = None,
        }
        // The column of the innermost key or entry on this line: a plain value's next lines
        // belong to it while they are indented more.
        let mut node_col = indent;
        // One node after another on this line: sequence entries, a key, its value.
        loop {
            j = skip_blanks(b, j, end);
            if j >= end || b[j] == b'#' {
                break;
            }
            let next_is_blank = b
                .get(j + 1)
                .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n'));
            match b[j] {
                b'[' | b'{' => match flow(b, j) {
                    Ok(after) => {
                        end = line_end(b, after);
                        break;
                    }
                    Err(u) => return Some(u),
                },
                b'"' | b'\'' => match quoted(b, j, Syntax::Yaml) {
                    Ok(after) => {
                        end = line_end(b, after);
                        j = skip_blanks(b, after, end);
                        // A quoted key: its value follows.
                        if j < end && b[j] == b':' {
                            j += 1;
                            continue;
                        }
                        break;
                    }
                    Err(u) => return Some(u),
                },
                b'|' | b'>' => {
                    owned_by_above = Some(node_col);
                    break;
                }
                b'-' | b'?' if next_is_blank => j += 1,
                // Anchors, tags and aliases: skip the word, a node may follow.
                b'&' | b'!' | b'*' => {
                    while j < end && b[j] != b' ' {
                        j += 1;
                    }
                }
                _ => {
                    // Plain text, which may hold brackets and quotes: a key if `: ` follows.
                    match plain_end(b, j, end) {
                        Some(colon) => {
                            node_col = j - pos;
                            j = colon + 1;
                        }
                        None => {
                            owned_by_above = Some(node_col);
                            break;
                        }
                    }
                }
            }
        }
        pos = end + 1;
    }
    None
}

/// Where plain text from `j` ends in a key's `:`, or `None` if it runs to the end of the line
/// or to a comment.
fn plain_end(b: &[u8], mut j: usize, end: usize) -> Option<usize> {
    while j < end {
        match b[j] {
            b':' if j + 1 == end || matches!(b[j + 1], b' ' | b'\t') => return Some(j),
            b'#' if matches!(b[j - 1], b' ' | b'\t') => return None,
            _ => j += 1,
        }
    }
    None
}

/// Scans a YAML flow collection that opens at `start`, to just past its closing bracket.
fn flow(b: &[u8], start: usize) -> Result<usize, Unclosed> {
    let mut open = vec![Unclosed::new(b[start], start, Syntax::Yaml)];
    let mut node_start = true;
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            c @ (b'[' | b'{') => {
                open.push(Unclosed::new(c, i, Syntax::Yaml));
                node_start = true;
            }
            c @ (b']' | b'}') => {
                // The stack is never empty here: the scan returns when it empties.
                let Some(last) = open.pop() else { break };
                if closer(last.opener) != c {
                    return Err(last);
                }
                if open.is_empty() {
                    return Ok(i + 1);
                }
                node_start = false;
            }
            b',' => node_start = true,
            b'"' | b'\'' if node_start => match quoted(b, i, Syntax::Yaml) {
                Ok(after) => {
                    i = after;
                    node_start = false;
                    continue;
                }
                // The bracket opened first is what the author left open.
                Err(_) => return Err(open[0]),
            },
            b'#' if matches!(b[i - 1], b' ' | b'\t' | b'\n') => {
                i = line_end(b, i);
                continue;
            }
            b':' if b
                .get(i + 1)
                .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n')) =>
            {
                node_start = true;
            }
            b' ' | b'\t' | b'\n' => {}
            _ => node_start = false,
        }
        i += 1;
    }
    Err(open[0])
}

/// The first bracket or quote left open in TOML text, if any.
pub fn toml(text: &str) -> Option<Unclosed> {
    let b = text.as_bytes();
    let mut open: Vec<Unclosed> = Vec::new();
    let mut line_start = true;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = line_end(b, i);
                continue;
            }
            b'"' | b'\'' => match quoted(b, i, Syntax::Toml) {
                Ok(after) => i = after,
                Err(u) => return Some(open.first().copied().unwrap_or(u)),
            },
            // A table header (`[site]`, `[[sources]]`) is closed on its own line; nothing to
            // pair.
            b'[' if open.is_empty() && line_start => i = line_end(b, i),
            b'[' | b'{' => {
                open.push(Unclosed::new(c, i, Syntax::Toml));
                i += 1;
            }
            b']' | b'}' => {
                if let Some(last) = open.pop()
                    && closer(last.opener) != c
                {
                    return Some(last);
                }
                i += 1;
            }
            _ => i += 1,
        }
        line_start = false;
    }
    open.first().copied()
}

/// Scans a quoted string that opens at `start`, to just past its closing quote.
fn quoted(b: &[u8], start: usize, syntax: Syntax) -> Result<usize, Unclosed> {
    let quote = b[start];
    let unclosed = Err(Unclosed::new(quote, start, syntax));
    if syntax == Syntax::Toml && b[start..].starts_with(&[quote; 3]) {
        // A multi-line string runs to the next three quotes (a basic one skips escapes).
        let mut i = start + 3;
        while i < b.len() {
            if quote == b'"' && b[i] == b'\\' {
                i += 2;
                continue;
            }
            if b[i..].starts_with(&[quote; 3]) {
                // Up to two more quotes may end the text itself (`""""`).
                let mut end = i + 3;
                while end < b.len() && end < i + 5 && b[end] == quote {
                    end += 1;
                }
                return Ok(end);
            }
            i += 1;
        }
        return unclosed;
    }
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if quote == b'"' => i += 1,
            // YAML writes a single quote inside single quotes as `''`.
            b'\'' if quote == b'\'' && syntax == Syntax::Yaml && b.get(i + 1) == Some(&b'\'') => {
                i += 1
            }
            // TOML's one-line strings end with their line.
            b'\n' if syntax == Syntax::Toml => return unclosed,
            c if c == quote => return Ok(i + 1),
            _ => {}
        }
        i += 1;
    }
    unclosed
}

fn closer(opener: u8) -> u8 {
    if opener == b'[' { b']' } else { b'}' }
}

fn line_end(b: &[u8], from: usize) -> usize {
    b[from.min(b.len())..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |i| from + i)
}

fn skip_blanks(b: &[u8], mut j: usize, end: usize) -> usize {
    while j < end && matches!(b[j], b' ' | b'\t') {
        j += 1;
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml_at(text: &str) -> Option<(char, usize)> {
        yaml(text).map(|u| (u.opener as char, u.offset))
    }

    fn toml_at(text: &str) -> Option<(char, usize)> {
        toml(text).map(|u| (u.opener as char, u.offset))
    }

    #[test]
    fn yaml_list_left_open_is_found_where_it_opens() {
        let text = "title: T\ntopics: [energy\nsummary: The talks: day two.\npeople: [A]\n";
        assert_eq!(yaml_at(text), Some(('[', 17)));
    }

    #[test]
    fn yaml_quotes_and_mappings_left_open() {
        assert_eq!(yaml_at("title: \"Gas\ndate: x\n"), Some(('"', 7)));
        assert_eq!(yaml_at("title: 'Gas\n"), Some(('\'', 7)));
        assert_eq!(yaml_at("sources:\n  - {name: x\n"), Some(('{', 13)));
        // Mismatched: the `[` is the one left open.
        assert_eq!(yaml_at("topics: [a}\n"), Some(('[', 8)));
        // Inside a list left open, the list is reported, not the quote after it.
        assert_eq!(yaml_at("topics: [a\nsummary: \"x\n"), Some(('[', 8)));
    }

    #[test]
    fn yaml_that_closes_everything_has_nothing_open() {
        for text in [
            "title: Gas [draft] ends\n",
            "title: It's \"fine\"\n",
            "title: 'It''s [x'\n",
            "title: \"a \\\" [b\"\n",
            "summary: >\n  He said \"[no\n  more\ndate: x\n",
            "summary: long text\n  continued [here\ntopics: [a, b]\n",
            "topics:\n  - [a, b]\n  - {x: \"y]\"}\n",
            "\"title\": [a]\n",
            "title: a # comment [\n",
            "topics: [a, # comment ]\n  b]\n",
            "title: &x [a]\nother: *x\n",
        ] {
            assert_eq!(yaml_at(text), None, "{text}");
        }
    }

    #[test]
    fn toml_openers() {
        assert_eq!(toml_at("title = \"x\"\npaginate = [2\n"), Some(('[', 23)));
        assert_eq!(toml_at("title = \"x\nb = 1\n"), Some(('"', 8)));
        assert_eq!(toml_at("a = { b = 1\n"), Some(('{', 4)));
        assert_eq!(toml_at("a = [\"x\", 'y\n"), Some(('[', 4)));
        for text in [
            "[site]\ntitle = \"a [b\" # [\n",
            "[[sources]]\nname = 'x'\n",
            "a = [\n  1,\n  [2],\n]\n",
            "a = \"\"\"\nmany [\nlines\"\"\"\n",
            "a = '''x''''\n",
        ] {
            assert_eq!(toml_at(text), None, "{text}");
        }
    }
}
