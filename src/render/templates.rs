//! Templates: the built-in theme, a site's overrides, and Tera errors made into diagnostics.
//!
//! The built-in templates are compiled into the binary; a site's `templates/` replaces any of
//! them by name. Every syntax error of every template is reported, located in the site's file
//! when the template is the site's own.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tera::{Context, Kwargs, State, Tera, Value};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::i18n::{Catalogs, DateStyle, Locale, Locales};
use crate::load::SourceFile;

/// The built-in theme, compiled into the binary; a site's `templates/` overrides by name.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "partials/card.html",
        include_str!("../../templates/partials/card.html"),
    ),
    (
        "partials/archive-item.html",
        include_str!("../../templates/partials/archive-item.html"),
    ),
    (
        "partials/timeline.html",
        include_str!("../../templates/partials/timeline.html"),
    ),
    (
        "partials/timeline-entry.html",
        include_str!("../../templates/partials/timeline-entry.html"),
    ),
    (
        "partials/byline.html",
        include_str!("../../templates/partials/byline.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../templates/partials/pagination.html"),
    ),
    (
        "partials/languages.html",
        include_str!("../../templates/partials/languages.html"),
    ),
    (
        "partials/activity.html",
        include_str!("../../templates/partials/activity.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("brief.html", include_str!("../../templates/brief.html")),
    ("topic.html", include_str!("../../templates/topic.html")),
    ("topics.html", include_str!("../../templates/topics.html")),
    ("entity.html", include_str!("../../templates/entity.html")),
    (
        "entities.html",
        include_str!("../../templates/entities.html"),
    ),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    (
        "corrections.html",
        include_str!("../../templates/corrections.html"),
    ),
    ("page.html", include_str!("../../templates/page.html")),
    ("author.html", include_str!("../../templates/author.html")),
    ("authors.html", include_str!("../../templates/authors.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    ("sources.html", include_str!("../../templates/sources.html")),
    ("source.html", include_str!("../../templates/source.html")),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "redirect.html",
        include_str!("../../templates/redirect.html"),
    ),
    ("search.html", include_str!("../../templates/search.html")),
    ("search.js", include_str!("../../templates/search.js")),
    ("style.css", include_str!("../../templates/style.css")),
    ("favicon.svg", include_str!("../../templates/favicon.svg")),
    (
        "social-card.svg",
        include_str!("../../templates/social-card.svg"),
    ),
];

/// Loaded templates: the built-in ones, overridden by the site's.
pub struct Templates {
    tera: Tera,
    /// Per template name: a hash of its text and of every template it extends, includes or
    /// imports, so a page depends on one number per template (see [`crate::deps`]).
    fingerprints: HashMap<String, u64>,
    /// The site's own templates by name: their text and path, for locating render errors.
    site_sources: HashMap<String, (String, PathBuf)>,
    /// The interface's languages, which `t()`, the `date` filter and page data read.
    locales: Arc<Locales>,
    /// A hash of the site's message tables (see [`Catalogs::fingerprint`]).
    messages_fp: u64,
}

impl Templates {
    /// Compiles the templates and reads the message tables (`messages`: the site's
    /// `i18n/*.toml`, paths relative to `i18n/`), reporting every syntax error with template
    /// name and line, and every problem of the tables.
    pub fn load(
        site_templates: &[SourceFile],
        messages: &[SourceFile],
    ) -> Result<Templates, Diagnostics> {
        let mut diags = Diagnostics::default();
        // With broken tables, the templates are still checked, against the built-in ones.
        let catalogs = Catalogs::load(messages).unwrap_or_else(|problems| {
            diags.extend(problems);
            Catalogs::builtin()
        });
        let messages_fp = catalogs.fingerprint();
        let locales = Arc::new(Locales::new(catalogs));
        let mut sources: HashMap<String, (String, Option<PathBuf>)> = BUILTIN_TEMPLATES
            .iter()
            .map(|(n, c)| (n.to_string(), (c.to_string(), None)))
            .collect();
        for t in site_templates {
            let name = t.path.to_string_lossy().replace('\\', "/");
            sources.insert(
                name,
                (
                    t.text.clone(),
                    Some(PathBuf::from("templates").join(&t.path)),
                ),
            );
        }
        let mut names: Vec<&String> = sources.keys().collect();
        names.sort();
        // Check each template alone first so every syntax error is reported, not just the first.
        // (Tera reports a call of an unknown function as a syntax error: ours are known.)
        for name in &names {
            let (text, path) = &sources[*name];
            let mut alone = Tera::new();
            register(&mut alone, &locales);
            if let Err(e) = alone.add_raw_template(name, text)
                && let tera::ErrorKind::SyntaxError(_) = e.kind()
            {
                diags.push(template_error(&e, name, path.as_ref(), Some(text)));
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let mut tera = Tera::new();
        // SVG is XML: text put into it (a title with `&` or `<`) is escaped as in HTML.
        tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
        register(&mut tera, &locales);
        let result =
            tera.add_raw_templates(names.iter().map(|n| (n.as_str(), sources[*n].0.as_str())));
        if let Err(e) = result {
            return Err(match reference_errors(&e, &sources) {
                Some(d) => Diagnostics(d),
                None => template_error(&e, "templates", None, None).into(),
            });
        }
        // Every template shows messages: a change to the site's tables changes them all.
        let fingerprints = fingerprints(&sources)
            .into_iter()
            .map(|(name, fp)| {
                let both = [fp.to_le_bytes(), messages_fp.to_le_bytes()].concat();
                (name, crate::model::fingerprint(&[&both]))
            })
            .collect();
        let site_sources = sources
            .into_iter()
            .filter_map(|(name, (text, path))| Some((name, (text, path?))))
            .collect();
        Ok(Templates {
            tera,
            fingerprints,
            site_sources,
            locales,
            messages_fp,
        })
    }

    /// A hash of the site's message tables: what feeds, which have no template, read of them.
    pub fn messages_fingerprint(&self) -> u64 {
        self.messages_fp
    }

    /// Warnings about the site's message tables (files of `i18n/` skipped).
    pub fn warnings(&self) -> &[Diagnostic] {
        self.locales.catalogs().warnings()
    }

    /// The interface's language for a tag (`site.language`, or a page's), prepared once.
    pub fn locale(&self, tag: &str) -> &Locale {
        self.locales.get(tag)
    }

    /// The fingerprint of a template and all it uses; 0 for an unknown name.
    pub fn fingerprint(&self, name: &str) -> u64 {
        self.fingerprints.get(name).copied().unwrap_or(0)
    }

    /// The file a template comes from: the site's, or the built-in one, named so.
    pub fn display_path(&self, name: &str) -> PathBuf {
        match self.site_sources.get(name) {
            Some((_, path)) => path.clone(),
            None => PathBuf::from(format!("(built-in template) {name}")),
        }
    }

    pub fn render(&self, name: &str, ctx: &Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera.render_to(name, ctx, &mut out).map_err(|e| {
            let template = match e.kind() {
                tera::ErrorKind::RenderingError(r) | tera::ErrorKind::SyntaxError(r) => {
                    r.filename().to_string()
                }
                _ => name.to_string(),
            };
            match self.site_sources.get(&template) {
                Some((text, path)) => template_error(&e, &template, Some(path), Some(text)),
                None => template_error(&e, &template, None, None),
            }
        })?;
        Ok(out)
    }
}

/// Turns a Tera error into a diagnostic located in the template file.
fn template_error(
    e: &tera::Error,
    name: &str,
    path: Option<&PathBuf>,
    text: Option<&String>,
) -> Diagnostic {
    let display_path = path
        .cloned()
        .unwrap_or_else(|| PathBuf::from(format!("(built-in template) {name}")));
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let kind = if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                "syntax error"
            } else {
                "error while rendering"
            };
            let d = Diagnostic::error(
                display_path,
                format!("template {name}: {kind}: {}", r.message()),
            )
            .with_code("template")
            .with_help("fix the template; see the README for the variables each template gets");
            let span = r.span();
            match text {
                Some(t) if span.range.end <= t.len() => d.at_span(t, span.range.clone()),
                _ => d.at_line(span.start_line, Some(span.start_col + 1)),
            }
        }
        _ => {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            Diagnostic::error(display_path, format!("template {name}: {msg}"))
                .with_code("template")
                .with_help("fix the template; see the README for the variables each template gets")
        }
    }
}

/// Splits Tera's report of unknown filters, tests, functions and includes into one located
/// diagnostic per problem. Tera finds these only once all templates are put together, and gives
/// them as a single message of cargo-style reports (`error: …` then ` --> name:line:col`), so
/// without this the diagnostic could not say which file of `templates/` is wrong.
fn reference_errors(
    e: &tera::Error,
    sources: &HashMap<String, (String, Option<PathBuf>)>,
) -> Option<Vec<Diagnostic>> {
    let tera::ErrorKind::Msg(text) = e.kind() else {
        return None;
    };
    let mut out = Vec::new();
    for report in text.split("\n\n") {
        let mut lines = report.lines();
        let message = lines.next()?.trim().strip_prefix("error: ")?;
        let location = lines.next()?.trim().strip_prefix("--> ")?;
        let mut parts = location.rsplitn(3, ':');
        let column: usize = parts.next()?.parse().ok()?;
        let line: usize = parts.next()?.parse().ok()?;
        let name = parts.next()?;
        let (source, path) = sources.get(name)?;
        let display_path = path
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("(built-in template) {name}")));
        let start = crate::diagnostic::line_start_offset(source, line);
        let offset = source[start..]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(source.len(), |(i, _)| start + i);
        out.push(
            Diagnostic::error(display_path, format!("template {name}: {message}"))
                .with_code("template")
                .at_offset(source, offset)
                .with_help(
                    "fix the template; see the README for the filters and functions templates may use",
                ),
        );
    }
    (!out.is_empty()).then_some(out)
}

/// Filters and functions the templates may use beyond Tera's own.
fn register(tera: &mut Tera, locales: &Arc<Locales>) {
    // `{{ url_for(path="topics/index.html") }}`: a relative link to any page from this one.
    tera.register_function(
        "url_for",
        |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let root: String = state.get("root")?.unwrap_or_default();
            Ok(format!("{root}{}", path.trim_start_matches('/')))
        },
    );
    // `{{ t(key="latest_briefs") }}`, `{{ t(key="briefs_count", n=topic.count) }}`,
    // `{{ t(key="page_of", page=2, total=7) }}`: a message in the page's language.
    let l = locales.clone();
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            translate(&l, &kwargs, state)
        },
    );
    // `{{ t_json(keys=["search_results", …]) }}`: those messages in the page's language as a
    // JSON object for a script (`<script type="application/json">`): text, or forms by plural
    // category for the browser's `Intl.PluralRules` to choose from.
    let l = locales.clone();
    tera.register_function(
        "t_json",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let keys: Vec<String> = kwargs.must_get("keys")?;
            let lang = language(state)?;
            let locale = l.get(lang.as_str().unwrap_or("en"));
            let mut map = serde_json::Map::new();
            for key in keys {
                let message = locale
                    .message(&key)
                    .ok_or_else(|| tera::Error::message(format!("unknown message `{key}`")))?;
                map.insert(key, message.to_json());
            }
            Ok(Value::safe_string(&super::data::script_json(&map)))
        },
    );
    // `{{ brief.date | date }}` ("14 March 2025" in English, "14 марта 2025 г." in Russian),
    // `date(style="short")` (long, medium, short, month, month_short), or strftime directives
    // as before: `date(format="%-d %B %Y")` (English names).
    let l = locales.clone();
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let date = crate::parse::BriefDate::parse(value).map_err(tera::Error::message)?;
            if let Some(format) = kwargs.get::<&str>("format")? {
                let dt = date.date.to_datetime(jiff::civil::Time::midnight());
                return jiff::fmt::strtime::format(format, dt)
                    .map_err(|e| tera::Error::message(e.to_string()));
            }
            let style = match kwargs.get::<&str>("style")? {
                None => DateStyle::Long,
                Some(name) => DateStyle::parse(name).ok_or_else(|| {
                    tera::Error::message(format!(
                        "unknown date style `{name}`: use one of {}",
                        DateStyle::NAMES.join(", ")
                    ))
                })?,
            };
            let lang = language(state)?;
            Ok(l.get(lang.as_str().unwrap_or("en")).date(date.date, style))
        },
    );
}

/// The language of the page being rendered: its `lang`, else `site.language`, else English.
fn language(state: &State) -> tera::TeraResult<tera::Value> {
    if let Some(lang) = state.get::<Value>("lang")? {
        return Ok(lang);
    }
    let site = state.get::<Value>("site")?;
    Ok(site
        .as_ref()
        .and_then(|s| s.get_from_path("language"))
        .cloned()
        .unwrap_or_else(|| Value::from("en")))
}

/// `t()`: the message `key` in the page's language, `n` choosing its plural form and filling
/// `{n}`, other arguments filling their placeholders. Under autoescaping the message's text and
/// every argument not marked safe are escaped, and the result is safe (so a link captured with
/// `{% set %}` can fill a placeholder); elsewhere (`search.js`) it is plain text.
fn translate(locales: &Locales, kwargs: &Kwargs, state: &State) -> tera::TeraResult<Value> {
    let key: &str = kwargs.must_get("key")?;
    let lang = language(state)?;
    let locale = locales.get(lang.as_str().unwrap_or("en"));
    let Some(message) = locale.message(key) else {
        let ids = crate::i18n::message_ids();
        let known: Vec<&str> = ids.iter().map(String::as_str).collect();
        return Err(tera::Error::message(format!(
            "unknown message `{key}`: {}",
            crate::i18n::unknown_message_help(key, &known)
        )));
    };
    let n =
        match kwargs.get::<&Value>("n")? {
            None => None,
            Some(v) => Some(v.as_u64().ok_or_else(|| {
                tera::Error::message(format!("`n` must be a whole number, not {v}"))
            })?),
        };
    let pattern = locale.pattern(message, n);
    let html = state.autoescaping_enabled();
    if let Some((raw, escaped)) = pattern.plain() {
        return Ok(if html { escaped.clone() } else { raw.clone() });
    }
    let mut out = String::new();
    let mut error = None;
    pattern.write(&mut out, html, |name, out| {
        if name == "n"
            && let Some(n) = n
        {
            // Writing to a String cannot fail.
            let _ = std::fmt::Write::write_fmt(out, format_args!("{n}"));
            return;
        }
        match kwargs.get::<&Value>(name) {
            Ok(Some(v)) => {
                let text = v.to_string();
                if html && !v.is_safe() {
                    out.push_str(&crate::i18n::escape(&text));
                } else {
                    out.push_str(&text);
                }
            }
            Ok(None) => {
                error.get_or_insert_with(|| {
                    tera::Error::message(format!("message `{key}` needs `{name}=`"))
                });
            }
            Err(e) => {
                error.get_or_insert(e);
            }
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    Ok(if html {
        Value::safe_string(&out)
    } else {
        Value::from(out)
    })
}

/// Each template's fingerprint: its text and, recursively, the templates it names in
/// `extends`, `include` and `import` tags.
fn fingerprints(sources: &HashMap<String, (String, Option<PathBuf>)>) -> HashMap<String, u64> {
    fn visit(
        name: &str,
        sources: &HashMap<String, (String, Option<PathBuf>)>,
        done: &mut HashMap<String, u64>,
        stack: &mut Vec<String>,
    ) -> u64 {
        if let Some(&fp) = done.get(name) {
            return fp;
        }
        let Some((text, _)) = sources.get(name) else {
            return 0;
        };
        if stack.iter().any(|s| s == name) {
            // A cycle; Tera reports it. Its own text is enough here.
            return crate::model::fingerprint(&[text.as_bytes()]);
        }
        stack.push(name.to_string());
        let mut parts: Vec<u64> = used_templates(text)
            .into_iter()
            .map(|used| visit(used, sources, done, stack))
            .collect();
        stack.pop();
        parts.push(crate::model::fingerprint(&[
            name.as_bytes(),
            text.as_bytes(),
        ]));
        let bytes: Vec<u8> = parts.iter().flat_map(|p| p.to_le_bytes()).collect();
        let fp = crate::model::fingerprint(&[&bytes]);
        done.insert(name.to_string(), fp);
        fp
    }
    let mut done = HashMap::new();
    for name in sources.keys() {
        visit(name, sources, &mut done, &mut Vec::new());
    }
    done
}

/// The template names a template's `extends`, `include` and `import` tags name.
fn used_templates(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.split("%}").next().unwrap_or("");
        let tag = tag.trim_start_matches('-').trim_start();
        let Some(rest) = ["extends", "include", "import"]
            .iter()
            .find_map(|k| tag.strip_prefix(k))
        else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        if let Some(name) = rest[1..].split(quote).next() {
            out.push(name);
        }
    }
    out
}

/// The ids the templates write literally (`id="main"`), site templates replacing the built-in
/// ones of the same name: content ids must not take them. Ids made in template code
/// (`id="month-{{ m.key }}"`) are not known here; they never appear beside a body.
pub fn literal_ids(files: &[SourceFile]) -> Vec<String> {
    let mut sources: HashMap<&str, &str> = BUILTIN_TEMPLATES.iter().copied().collect();
    for f in files {
        if let Some(name) = f.path.to_str() {
            sources.insert(name, &f.text);
        }
    }
    let mut ids: Vec<String> = Vec::new();
    for text in sources.values() {
        for quote in ['"', '\''] {
            let pattern = format!("id={quote}");
            for (i, _) in text.match_indices(&pattern) {
                let preceded = text[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|c| c.is_whitespace());
                let rest = &text[i + pattern.len()..];
                let Some(end) = rest.find(quote) else {
                    continue;
                };
                let id = &rest[..end];
                if preceded && !id.is_empty() && !id.contains(['{', '}', ' ']) {
                    ids.push(id.to_string());
                }
            }
        }
    }
    ids.sort();
    ids.dedup();
    ids
}
