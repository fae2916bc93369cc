//! The languages of the interface: what the theme says, and how it writes dates and counts.
//!
//! Every string the built-in theme shows is a *message* named by an id (`latest_briefs`,
//! `briefs_count`) in a table per language, compiled into the binary from `src/i18n/<lang>.toml`.
//! A site may override any message of any language in `i18n/<lang>.toml` at its root, in the
//! same format; a language without a built-in table (`pt`) can be given one there. A message
//! is either text or plural forms chosen by CLDR's rules for the language (through ICU4X), and
//! may hold placeholders (`{n}`, `{title}`) that templates fill.
//!
//! [`Catalogs`] holds the parsed tables (built-in and the site's), checked once per build, with
//! every problem of the site's files as a located [`Diagnostic`]. [`Locales`] prepares a
//! [`Locale`] per language tag on first use (messages merged over English, plural rules, date
//! formatters) and hands the same one to every later page: rendering looks a locale up by tag,
//! so one set of templates can render pages in several languages.
//!
//! Dates are Gregorian in every language: the archive and timelines group briefs by Gregorian
//! month and year, and a label in another calendar (Persian's default, Solar Hijri) would not
//! match the months it heads.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use icu_datetime::fieldsets;
use icu_datetime::input::Date;
use icu_datetime::{DateTimeFormatter, DateTimeFormatterPreferences};
use icu_locale_core::Locale as IcuLocale;
use icu_locale_core::preferences::extensions::unicode::keywords::CalendarAlgorithm;
use icu_plurals::{PluralCategory, PluralRules};
use rustc_hash::FxHashMap;
use tera::Value;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::load::SourceFile;

/// The folder at a site's root that holds its message overrides, `i18n/<lang>.toml`.
pub const I18N_DIR: &str = "i18n";

/// The built-in tables, by language. English is the reference: it has every message, and the
/// placeholders it uses are the ones a message may use.
pub const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("en.toml")),
    ("ru", include_str!("ru.toml")),
    ("uk", include_str!("uk.toml")),
    ("ar", include_str!("ar.toml")),
    ("fa", include_str!("fa.toml")),
    ("tr", include_str!("tr.toml")),
    ("de", include_str!("de.toml")),
    ("fr", include_str!("fr.toml")),
];

/// The CLDR plural categories, in the order forms are kept.
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];
const OTHER: usize = 5;

/// One piece of a pattern: text as written, or a placeholder to fill.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    /// As written, and HTML-escaped.
    Text(Box<str>, Box<str>),
    Arg(Box<str>),
}

/// A message's text with its placeholders found.
#[derive(Debug, Clone)]
pub struct Pattern {
    parts: Box<[Part]>,
    /// The text as template values, raw and HTML-escaped, when it has no placeholders: most
    /// messages, handed to every page without a new string.
    plain: Option<(Value, Value)>,
}

impl Pattern {
    fn parse(text: &str) -> Result<Pattern, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut literal = String::new();
        while let Some(i) = rest.find(['{', '}']) {
            literal.push_str(&rest[..i]);
            let brace = rest.as_bytes()[i];
            rest = &rest[i + 1..];
            // `{{` and `}}` are a brace written out.
            if rest.as_bytes().first() == Some(&brace) {
                literal.push(brace as char);
                rest = &rest[1..];
                continue;
            }
            if brace == b'}' {
                return Err("a `}` without its `{` (write `}}` for the character)".into());
            }
            let Some(end) = rest.find('}') else {
                return Err("a `{` without its `}` (write `{{` for the character)".into());
            };
            let name = rest[..end].trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("`{{{name}}}` is not a placeholder name"));
            }
            if !literal.is_empty() {
                parts.push(text_part(std::mem::take(&mut literal)));
            }
            parts.push(Part::Arg(name.into()));
            rest = &rest[end + 1..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(text_part(literal));
        }
        let plain = match parts.as_slice() {
            [] => Some(String::new()),
            [Part::Text(t, _)] => Some(t.to_string()),
            _ => None,
        }
        .map(|t| (Value::from(t.as_str()), Value::safe_string(&escape(&t))));
        Ok(Pattern {
            parts: parts.into(),
            plain,
        })
    }

    fn args(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Arg(a) => Some(&**a),
            Part::Text(..) => None,
        })
    }

    /// The text with each placeholder replaced by what `arg` writes for it, written to `out`;
    /// with `html`, the text is written HTML-escaped (`arg` escapes what it writes itself).
    pub fn write(&self, out: &mut String, html: bool, mut arg: impl FnMut(&str, &mut String)) {
        for p in &self.parts {
            match p {
                Part::Text(t, _) if !html => out.push_str(t),
                Part::Text(_, escaped) => out.push_str(escaped),
                Part::Arg(a) => arg(a, out),
            }
        }
    }

    /// The text with its placeholders written back as `{name}`.
    pub fn source(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, false, |name, out| {
            out.push('{');
            out.push_str(name);
            out.push('}');
        });
        out
    }

    /// The text without placeholders, as template values (raw, escaped).
    pub fn plain(&self) -> Option<&(Value, Value)> {
        self.plain.as_ref()
    }
}

fn text_part(text: String) -> Part {
    let escaped = escape(&text).into();
    Part::Text(text.into(), escaped)
}

/// A message: one text, or forms by plural category (`other` always present).
#[derive(Debug, Clone)]
pub enum Message {
    Text(Pattern),
    Plural(Box<[Option<Pattern>; 6]>),
}

impl Message {
    /// The message as JSON for a script: its text, or its forms by category name.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Message::Text(p) => serde_json::Value::String(p.source()),
            Message::Plural(forms) => CATEGORIES
                .iter()
                .zip(forms.iter())
                .filter_map(|(c, p)| Some((c.to_string(), p.as_ref()?.source().into())))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }

    fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        let (one, many): (Option<&Pattern>, &[Option<Pattern>]) = match self {
            Message::Text(p) => (Some(p), &[]),
            Message::Plural(forms) => (None, &forms[..]),
        };
        one.into_iter().chain(many.iter().flatten())
    }
}

/// A parsed table: message id → message, and where each was written.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    messages: FxHashMap<Box<str>, Message>,
}

/// Every table a site's pages may use: the built-in ones and the site's overrides, checked.
#[derive(Debug, Clone)]
pub struct Catalogs {
    builtin: FxHashMap<&'static str, Catalog>,
    site: FxHashMap<String, Catalog>,
    /// A hash of the site's override files, so that pages depend on them.
    fingerprint: u64,
    /// Files of `i18n/` skipped (not `<language>.toml`), for the build's report.
    warnings: Vec<Diagnostic>,
}

impl Catalogs {
    /// The built-in tables and the site's `i18n/*.toml` (`path` relative to `i18n/`); every
    /// problem of the site's files at once.
    pub fn load(site_files: &[SourceFile]) -> Result<Catalogs, Vec<Diagnostic>> {
        let builtin: FxHashMap<&'static str, Catalog> = BUILTIN
            .iter()
            .map(|&(lang, text)| {
                // OK because the built-in tables are checked by this module's tests.
                let catalog = parse_table(text, None).unwrap_or_default();
                (lang, catalog)
            })
            .collect();
        let reference = &builtin["en"];
        let mut site = FxHashMap::default();
        let mut problems = Vec::new();
        let mut files: Vec<&SourceFile> = site_files.iter().collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut parts: Vec<&[u8]> = Vec::new();
        for f in files {
            let path = PathBuf::from(I18N_DIR).join(&f.path);
            let lang = f.path.to_str().and_then(|p| p.strip_suffix(".toml"));
            let Some(lang) = lang.filter(|l| !l.contains(['/', '\\']) && !l.is_empty()) else {
                problems.push(
                    Diagnostic::error(&path, "not a message table: i18n/ holds `<language>.toml` files")
                        .warning()
                        .with_code("i18n-file")
                        .with_help("name the file after the language it translates, e.g. `i18n/de.toml`; this file was skipped"),
                );
                continue;
            };
            parts.push(lang.as_bytes());
            parts.push(f.text.as_bytes());
            let text = f.text.strip_prefix('\u{feff}').unwrap_or(&f.text);
            match parse_table(text, Some(reference)) {
                Ok(catalog) => {
                    site.insert(lang.to_ascii_lowercase(), catalog);
                }
                Err(errors) => problems.extend(errors.into_iter().map(|(span, message, help)| {
                    let d = Diagnostic::error(&path, message)
                        .with_code("i18n")
                        .with_help(help);
                    match span {
                        Some(span) => d.at_span(text, span),
                        None => d,
                    }
                })),
            }
        }
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems);
        }
        Ok(Catalogs {
            builtin,
            site,
            fingerprint: crate::model::fingerprint(&parts),
            warnings: problems,
        })
    }

    /// Files of the site's `i18n/` that were skipped, as warnings.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The built-in tables alone.
    pub fn builtin() -> Catalogs {
        // OK because the built-in tables are checked by this module's tests, and there are no
        // site files to fail.
        Catalogs::load(&[]).unwrap_or_else(|_| unreachable!("the built-in tables are valid"))
    }

    /// A hash of the site's tables: equal in two builds when pages say the same.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The tables for a tag, most general first: English, then the base language's built-in
    /// table and the site's, then the tag's own (`de-AT`) if the site has one.
    fn layers(&self, tag: &str) -> Vec<&Catalog> {
        let tag = tag.to_ascii_lowercase().replace('_', "-");
        let base = tag.split('-').next().unwrap_or("");
        let mut layers = vec![&self.builtin["en"]];
        if let Some(c) = self.site.get("en").filter(|_| base == "en") {
            layers.push(c);
        }
        if base != "en" {
            layers.extend(self.builtin.get(base));
            layers.extend(self.site.get(base));
        }
        if tag != base {
            layers.extend(self.site.get(&tag));
        }
        layers
    }
}

/// Problems of a table: span, message, help.
type Problems = Vec<(Option<Range<usize>>, String, String)>;

/// Parses a table. With a reference (the English table), checks each message against it: a
/// known id, the same shape (text or plural forms), only the placeholders it uses.
fn parse_table(text: &str, reference: Option<&Catalog>) -> Result<Catalog, Problems> {
    let table = DeTable::parse(text).map_err(|e| {
        vec![(
            e.span(),
            format!("TOML syntax: {}", e.message().trim()),
            "write one message per line: `id = \"text\"`, or `id = { one = \"…\", other = \"…\" }` for a count".to_string(),
        )]
    })?;
    let mut problems = Vec::new();
    let mut messages = FxHashMap::default();
    let known: Vec<&str> = reference
        .map(|r| {
            let mut k: Vec<&str> = r.messages.keys().map(|k| &**k).collect();
            k.sort_unstable();
            k
        })
        .unwrap_or_default();
    for (key, value) in table.get_ref().iter() {
        let id = key.get_ref().as_ref();
        let expected = reference.map(|r| r.messages.get(id));
        if let Some(None) = expected {
            problems.push((
                Some(key.span()),
                format!("unknown message `{id}`"),
                unknown_message_help(id, &known),
            ));
            continue;
        }
        let message = match parse_message(value.get_ref(), value.span()) {
            Ok(m) => m,
            Err(mut e) => {
                problems.append(&mut e);
                continue;
            }
        };
        if let Some(Some(expected)) = expected {
            check_against(id, &message, expected, value.span(), &mut problems);
        }
        messages.insert(id.into(), message);
    }
    if problems.is_empty() {
        Ok(Catalog { messages })
    } else {
        problems.sort_by_key(|(span, _, _)| span.as_ref().map(|s| s.start));
        Err(problems)
    }
}

/// Help for a message id no table has: the closest one, and where the ids are listed (a list
/// of some 200 would bury the help).
pub fn unknown_message_help(id: &str, known: &[&str]) -> String {
    let listed =
        "the ids are those of the built-in English table, `src/i18n/en.toml` in briefing's source";
    match crate::diagnostic::closest(id, known) {
        Some(k) => format!("did you mean `{k}`? ({listed})"),
        None => listed.to_string(),
    }
}

fn parse_message(value: &DeValue<'_>, span: Range<usize>) -> Result<Message, Problems> {
    let pattern = |s: &str, span: Range<usize>| {
        Pattern::parse(s).map_err(|e| {
            vec![(
                Some(span),
                format!("bad placeholder: {e}"),
                "placeholders are names in braces, `{n}` or `{title}`".to_string(),
            )]
        })
    };
    match value {
        DeValue::String(s) => Ok(Message::Text(pattern(s, span)?)),
        DeValue::Table(forms) => {
            let mut out: [Option<Pattern>; 6] = Default::default();
            let mut problems = Vec::new();
            for (k, v) in forms.iter() {
                let name = k.get_ref().as_ref();
                let Some(i) = CATEGORIES.iter().position(|c| *c == name) else {
                    problems.push((
                        Some(k.span()),
                        format!("`{name}` is not a plural category"),
                        format!(
                            "{} (CLDR's categories: zero, one, two, few, many, other)",
                            did_you_mean(name, &CATEGORIES, "categories")
                        ),
                    ));
                    continue;
                };
                match v.get_ref() {
                    DeValue::String(s) => match pattern(s, v.span()) {
                        Ok(p) => out[i] = Some(p),
                        Err(mut e) => problems.append(&mut e),
                    },
                    _ => problems.push((
                        Some(v.span()),
                        format!("the `{name}` form must be text in quotes"),
                        format!("write it like `{name} = \"{{n}} briefs\"`"),
                    )),
                }
            }
            if out[OTHER].is_none() && problems.is_empty() {
                problems.push((
                    Some(span),
                    "plural forms without `other`".to_string(),
                    "add `other = \"…\"`: it is the form for any count no other category takes"
                        .to_string(),
                ));
            }
            if problems.is_empty() {
                Ok(Message::Plural(Box::new(out)))
            } else {
                Err(problems)
            }
        }
        _ => Err(vec![(
            Some(span),
            "a message must be text in quotes, or a table of plural forms".to_string(),
            "write `id = \"text\"`, or `id = { one = \"{n} brief\", other = \"{n} briefs\" }`"
                .to_string(),
        )]),
    }
}

/// A site's message against the English one: the same shape, no placeholder English lacks.
fn check_against(
    id: &str,
    message: &Message,
    expected: &Message,
    span: Range<usize>,
    problems: &mut Problems,
) {
    match (message, expected) {
        (Message::Text(_), Message::Plural(_)) => problems.push((
            Some(span.clone()),
            format!("`{id}` takes a count: it needs plural forms"),
            format!(
                "write `{id} = {{ one = \"…\", other = \"…\" }}` with the language's categories"
            ),
        )),
        (Message::Plural(_), Message::Text(_)) => problems.push((
            Some(span.clone()),
            format!("`{id}` takes no count: it is one text"),
            format!("write `{id} = \"…\"`"),
        )),
        _ => {}
    }
    let mut allowed: Vec<&str> = expected.patterns().flat_map(Pattern::args).collect();
    if matches!(expected, Message::Plural(_)) {
        allowed.push("n");
    }
    allowed.sort_unstable();
    allowed.dedup();
    for arg in message.patterns().flat_map(Pattern::args) {
        if !allowed.contains(&arg) {
            let help = if allowed.is_empty() {
                format!("`{id}` has no placeholders")
            } else {
                format!(
                    "`{id}` may use {}",
                    allowed
                        .iter()
                        .map(|a| format!("`{{{a}}}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            problems.push((
                Some(span.clone()),
                format!("`{id}` has an unknown placeholder `{{{arg}}}`"),
                help,
            ));
        }
    }
}

/// HTML-escapes text as Tera does.
pub fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing to a Vec cannot fail.
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// How a date is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// "14 March 2025".
    Long,
    /// "14 Mar 2025".
    Medium,
    /// Day and month: "14 Mar".
    Short,
    /// Month and year: "March 2025".
    Month,
    /// Month and year, short: "Mar 2025".
    MonthShort,
}

impl DateStyle {
    pub const NAMES: [&str; 5] = ["long", "medium", "short", "month", "month_short"];

    pub fn parse(name: &str) -> Option<DateStyle> {
        Some(match name {
            "long" => DateStyle::Long,
            "medium" => DateStyle::Medium,
            "short" => DateStyle::Short,
            "month" => DateStyle::Month,
            "month_short" => DateStyle::MonthShort,
            _ => return None,
        })
    }
}

/// The date formatters of a locale, made once.
///
/// `DateTimeFormatter`s told to use the Gregorian calendar whatever the locale's own.
struct Dates {
    long: DateTimeFormatter<fieldsets::YMD>,
    medium: DateTimeFormatter<fieldsets::YMD>,
    short: DateTimeFormatter<fieldsets::MD>,
    month: DateTimeFormatter<fieldsets::YM>,
    month_short: DateTimeFormatter<fieldsets::YM>,
}

impl Dates {
    fn new(locale: &IcuLocale) -> Option<Dates> {
        let mut prefs = DateTimeFormatterPreferences::from(locale);
        prefs.calendar_algorithm = Some(CalendarAlgorithm::Gregory);
        Some(Dates {
            long: DateTimeFormatter::try_new(prefs, fieldsets::YMD::long()).ok()?,
            medium: DateTimeFormatter::try_new(prefs, fieldsets::YMD::medium()).ok()?,
            short: DateTimeFormatter::try_new(prefs, fieldsets::MD::medium()).ok()?,
            month: DateTimeFormatter::try_new(prefs, fieldsets::YM::long()).ok()?,
            month_short: DateTimeFormatter::try_new(prefs, fieldsets::YM::medium()).ok()?,
        })
    }
}

/// A language prepared for rendering: its messages (over English), plural rules and dates.
pub struct Locale {
    tag: Box<str>,
    messages: FxHashMap<Box<str>, Message>,
    /// The messages without count or placeholders, as one template map: `msg` (see
    /// [`Locale::plain_messages`]).
    plain: Value,
    plurals: PluralRules,
    dates: Dates,
}

impl Locale {
    fn new(catalogs: &Catalogs, tag: &str) -> Locale {
        let mut messages = FxHashMap::default();
        for layer in catalogs.layers(tag) {
            for (id, m) in &layer.messages {
                messages.insert(id.clone(), m.clone());
            }
        }
        let plain: BTreeMap<&str, &str> = messages
            .iter()
            .filter_map(|(id, m)| match m {
                Message::Text(p) => Some((&**id, p.plain()?.0.as_str()?)),
                Message::Plural(_) => None,
            })
            .collect();
        let plain = Value::from_serializable(&plain);
        let icu = icu_locale(tag);
        let plurals = PluralRules::try_new_cardinal((&icu).into())
            .or_else(|_| PluralRules::try_new_cardinal(Default::default()))
            // OK because compiled data always has the root locale's rules.
            .expect("plural rules for the root locale");
        let dates = Dates::new(&icu)
            .or_else(|| Dates::new(&IcuLocale::UNKNOWN))
            // OK because compiled data always has the root locale's date formats.
            .expect("date formats for the root locale");
        Locale {
            tag: tag.into(),
            messages,
            plain,
            plurals,
            dates,
        }
    }

    /// The language tag this locale was made for.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// Every message without a count or placeholders, by id, as a template map. Pages get it
    /// as `msg`, so the theme writes `{{ msg.latest_briefs }}` rather than
    /// `{{ t(key="latest_briefs") }}`: the same text, but a map lookup instead of a Tera
    /// function call, which costs about a microsecond (it builds a map of its arguments). With
    /// some twenty messages in the masthead and footer of each of a 10,000-brief site's 18,500
    /// pages, calls alone made the build 15–20% slower.
    pub fn plain_messages(&self) -> &Value {
        &self.plain
    }

    pub fn message(&self, id: &str) -> Option<&Message> {
        self.messages.get(id)
    }

    /// The pattern of a message for a count (`n` is ignored by a message without forms).
    pub fn pattern<'m>(&self, message: &'m Message, n: Option<u64>) -> &'m Pattern {
        match message {
            Message::Text(p) => p,
            Message::Plural(forms) => {
                let i = match n.map(|n| self.plurals.category_for(n)) {
                    Some(PluralCategory::Zero) => 0,
                    Some(PluralCategory::One) => 1,
                    Some(PluralCategory::Two) => 2,
                    Some(PluralCategory::Few) => 3,
                    Some(PluralCategory::Many) => 4,
                    _ => OTHER,
                };
                // A count the table has no form for takes `other`, which every table has.
                forms[i]
                    .as_ref()
                    .or(forms[OTHER].as_ref())
                    .unwrap_or_else(|| unreachable_pattern())
            }
        }
    }

    /// A message with its placeholders filled from `args` (and `{n}` from `n`); the id itself
    /// for an unknown message.
    pub fn text(&self, id: &str, n: Option<u64>, args: &[(&str, &str)]) -> String {
        let Some(message) = self.message(id) else {
            return id.to_string();
        };
        let mut out = String::new();
        self.pattern(message, n)
            .write(&mut out, false, |name, out| {
                if name == "n"
                    && let Some(n) = n
                {
                    out.push_str(&n.to_string());
                } else if let Some((_, v)) = args.iter().find(|(k, _)| *k == name) {
                    out.push_str(v);
                }
            });
        out
    }

    /// A date in words, for this language.
    pub fn date(&self, date: jiff::civil::Date, style: DateStyle) -> String {
        let Ok(d) = Date::try_new_iso(i32::from(date.year()), date.month() as u8, date.day() as u8)
        else {
            return date.to_string();
        };
        let d = &d;
        match style {
            DateStyle::Long => self.dates.long.format(d).to_string(),
            DateStyle::Medium => self.dates.medium.format(d).to_string(),
            DateStyle::Short => self.dates.short.format(d).to_string(),
            DateStyle::Month => self.dates.month.format(d).to_string(),
            DateStyle::MonthShort => self.dates.month_short.format(d).to_string(),
        }
    }
}

/// Never called: `other` is required of every plural message when it is parsed.
#[cold]
fn unreachable_pattern() -> &'static Pattern {
    static EMPTY: std::sync::OnceLock<Pattern> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Pattern {
        parts: Box::new([]),
        plain: None,
    })
}

/// The ICU locale for a tag: bare `en` writes dates as the theme always has, day first
/// ("14 March 2025", British usage), as `en-GB`; an unreadable tag gets the root locale.
fn icu_locale(tag: &str) -> IcuLocale {
    let tag = if tag.eq_ignore_ascii_case("en") {
        "en-GB"
    } else {
        tag
    };
    IcuLocale::try_from_str(&tag.replace('_', "-")).unwrap_or(IcuLocale::UNKNOWN)
}

/// How many language tags one build may prepare; a tag beyond them gets the first one's locale.
/// Sites have a handful.
const MAX_LOCALES: usize = 128;

/// The prepared locales of a build, by language tag, each made on first use.
///
/// Pages look their locale up on every `t()` call, from every rendering thread at once: the
/// slots are read without a lock or a reference count (a `OnceLock` read is one atomic load),
/// so the threads do not contend for a cache line. Only preparing a new tag takes the lock.
pub struct Locales {
    catalogs: Catalogs,
    slots: Box<[std::sync::OnceLock<Locale>]>,
    adding: std::sync::Mutex<()>,
}

impl Locales {
    pub fn new(catalogs: Catalogs) -> Locales {
        Locales {
            catalogs,
            slots: (0..MAX_LOCALES).map(|_| Default::default()).collect(),
            adding: std::sync::Mutex::new(()),
        }
    }

    pub fn catalogs(&self) -> &Catalogs {
        &self.catalogs
    }

    /// The locale for a language tag (`ru`, `de-AT`), prepared once.
    pub fn get(&self, tag: &str) -> &Locale {
        if let Some(l) = self.find(tag) {
            return l;
        }
        let _guard = self.adding.lock();
        if let Some(l) = self.find(tag) {
            return l;
        }
        match self.slots.iter().find(|s| s.get().is_none()) {
            Some(slot) => slot.get_or_init(|| Locale::new(&self.catalogs, tag)),
            None => self.slots[0].get_or_init(|| Locale::new(&self.catalogs, tag)),
        }
    }

    fn find(&self, tag: &str) -> Option<&Locale> {
        for slot in &self.slots {
            match slot.get() {
                Some(l) if &*l.tag == tag => return Some(l),
                Some(_) => {}
                None => return None,
            }
        }
        None
    }
}

/// The built-in tables alone, prepared once per process: for code that renders outside a site
/// (tests, tools).
pub fn builtin() -> &'static Locales {
    static BUILTIN_LOCALES: std::sync::OnceLock<Locales> = std::sync::OnceLock::new();
    BUILTIN_LOCALES.get_or_init(|| Locales::new(Catalogs::builtin()))
}

/// The message ids of the English table, sorted (for tests and documentation).
pub fn message_ids() -> Vec<String> {
    let catalog = parse_table(BUILTIN[0].1, None).unwrap_or_default();
    let ids: BTreeMap<&str, ()> = catalog.messages.keys().map(|k| (&**k, ())).collect();
    ids.into_keys().map(str::to_string).collect()
}

#[cfg(test)]
mod tests;
