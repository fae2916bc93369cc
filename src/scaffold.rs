//! Starter files for authors: `briefing init` (a whole site) and `briefing new` (one brief,
//! topic or page).
//!
//! Takes what the author asked for and hands back the paths it wrote, relative to the site
//! root. Everything written here must pass `briefing check` as it stands (a new brief with
//! `--drafts`), so the front matter is made from the same rules [`parse`] applies: slugs through
//! [`parse::slugify`], dates through [`parse::BriefDate`], statuses from [`parse::Status::ALL`],
//! topics from the site's own `content/topics/`. Files are created with `create_new`: an existing
//! file is never overwritten, and nothing is ever deleted but a file this module has just created
//! and failed to finish.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{CONTENT_DIR, ContentKind};
use crate::parse::{self, BriefDate, Status};
use crate::{Config, config::CONFIG_FILE};

/// What `briefing init` should do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder to put the site in; created if missing.
    pub dir: PathBuf,
    /// Add the site to a folder that already holds files (never overwriting any of them).
    pub force: bool,
    /// The date of the example brief, and of the folder it goes in.
    pub today: Date,
}

/// What `briefing init` wrote, relative to the site folder.
#[derive(Debug, Clone, Default)]
pub struct InitReport {
    pub created: Vec<PathBuf>,
    /// Existing files that gained lines (only `.gitignore`, which gains `/public/`).
    pub appended: Vec<PathBuf>,
}

/// What `briefing new brief` should write.
#[derive(Debug, Clone)]
pub struct NewBrief {
    /// The site folder (holding `site.toml`).
    pub root: PathBuf,
    pub title: String,
    /// Topic slugs or aliases, as the author typed them.
    pub topics: Vec<String>,
    /// `YYYY-MM-DD` or RFC 3339; `None` means `today`.
    pub date: Option<String>,
    pub status: Option<String>,
    pub today: Date,
}

/// The output folder `init` ignores in `.gitignore`: the default of `output_dir`.
const OUTPUT_DIR: &str = "public";

const GITIGNORE_LINES: [&str; 2] = ["/public/", "/.public.staging-*"];

/// Writes a starter site into `opts.dir`: settings, two topics, an example brief with sources,
/// an about page and a `.gitignore`. It builds as it stands, without errors or warnings.
///
/// The folder must be empty (a `.git` folder aside) unless `force` is set. Even then no file is
/// overwritten: if any site file `init` would write exists, nothing is written at all, so a
/// starter site is never mixed into another; an existing `.gitignore` only gains the lines it
/// lacks.
pub fn init(opts: &InitOptions) -> Result<InitReport, Diagnostic> {
    let dir = &opts.dir;
    fs::create_dir_all(dir).map_err(|e| io_error(dir, "cannot create the folder", e))?;
    let others = entries_besides_git(dir)?;
    if !others.is_empty() && !opts.force {
        return Err(Diagnostic::global(format!(
            "{} is not empty (it holds {})",
            shown(dir).display(),
            list_some(&others)
        ))
        .with_help(
            "choose a new folder (briefing init mysite), or pass --force to add the site to this one; --force never overwrites or deletes a file",
        ));
    }
    let files = starter_files(opts.today);
    let in_the_way: Vec<String> = files
        .iter()
        .filter(|(rel, _)| fs::symlink_metadata(dir.join(rel)).is_ok())
        .map(|(rel, _)| rel.display().to_string())
        .collect();
    if !in_the_way.is_empty() {
        return Err(Diagnostic::global(format!(
            "{} already holds {}",
            shown(dir).display(),
            in_the_way.join(", ")
        ))
        .with_help(
            "init never overwrites a file and writes nothing when one is in the way; move those files aside, or init another folder",
        ));
    }
    let mut report = InitReport::default();
    for (rel, text) in &files {
        create_file(dir, rel, text)?;
        report.created.push(rel.clone());
    }
    let gitignore = PathBuf::from(".gitignore");
    match add_ignore_lines(&dir.join(&gitignore))? {
        Ignore::Created => report.created.push(gitignore),
        Ignore::Appended => report.appended.push(gitignore),
        Ignore::Unchanged => {}
    }
    Ok(report)
}

/// Writes a draft brief with every front-matter field present; returns its path, relative to
/// the root (`content/briefs/YYYY/MM/YYYY-MM-DD-<slug>.md`).
///
/// Every problem with the arguments is reported at once: the date, the status, each unknown
/// topic (with the nearest known one), a title that makes no slug, a slug another brief uses.
pub fn new_brief(opts: &NewBrief) -> Result<PathBuf, Diagnostics> {
    Config::load(&opts.root)?;
    let mut problems = Diagnostics::default();
    let date_text = opts
        .date
        .as_deref()
        .map_or_else(|| opts.today.to_string(), |d| d.trim().to_string());
    let date = check_date(&date_text).map_err(|d| problems.push(d)).ok();
    let status = opts
        .status
        .as_deref()
        .and_then(|s| check_status(s).map_err(|d| problems.push(d)).ok());
    let title = opts.title.trim();
    let slug = brief_slug(title).map_err(|d| problems.push(d)).ok();
    problems.extend(check_topics(&opts.root, &opts.topics));
    if let Some(slug) = &slug {
        problems.extend(slug_taken(&opts.root, slug));
    }
    let (Some(date), Some(slug)) = (date, slug) else {
        return Err(problems);
    };
    if problems.has_errors() {
        return Err(problems);
    }
    let ymd = date.date;
    let rel = Path::new(CONTENT_DIR)
        .join("briefs")
        .join(format!("{:04}", ymd.year()))
        .join(format!("{:02}", ymd.month()))
        .join(format!("{ymd}-{slug}.md"));
    let text = brief_text(title, &date_text, ymd, &opts.topics, status);
    create_file(&opts.root, &rel, &text)?;
    Ok(rel)
}

/// Writes `content/topics/<slug>.md`; returns that path.
pub fn new_topic(root: &Path, slug: &str, title: &str) -> Result<PathBuf, Diagnostics> {
    Config::load(root)?;
    let (slug, title) = (slug.trim(), title.trim());
    let mut problems = Diagnostics::default();
    problems.extend(check_slug(slug).err());
    problems.extend(check_title(title).err());
    let topics = read_kind(root, ContentKind::Topic, &mut problems);
    let taken = topics
        .into_iter()
        .filter_map(|file| parse::parse_topic(file).ok())
        .find(|t| t.slug == slug || t.aliases.iter().any(|a| a == slug));
    if let Some(topic) = taken {
        problems.push(
            Diagnostic::error(&topic.file.path, format!("topic {slug:?} already exists"))
                .with_help("choose another slug; briefs already refer to this one"),
        );
    }
    if problems.has_errors() {
        return Err(problems);
    }
    let rel = Path::new(CONTENT_DIR)
        .join("topics")
        .join(format!("{slug}.md"));
    let text = NEW_TOPIC.replace("{title}", &quoted(title));
    create_file(root, &rel, &text)?;
    Ok(rel)
}

/// Writes `content/pages/<slug>.md`; returns that path.
pub fn new_page(root: &Path, slug: &str, title: &str) -> Result<PathBuf, Diagnostics> {
    Config::load(root)?;
    let (slug, title) = (slug.trim(), title.trim());
    let mut problems = Diagnostics::default();
    problems.extend(check_slug(slug).err());
    problems.extend(check_title(title).err());
    if problems.has_errors() {
        return Err(problems);
    }
    let rel = Path::new(CONTENT_DIR)
        .join("pages")
        .join(format!("{slug}.md"));
    let text = NEW_PAGE.replace("{title}", &quoted(title));
    create_file(root, &rel, &text)?;
    Ok(rel)
}

/// Writes the profile of a person, place, organization or tag, `content/<kind>/<slug>.md`, the
/// slug made from the name; returns that path. A name or alias another profile of the kind
/// already claims is refused, as the build would refuse it.
pub fn new_profile(
    root: &Path,
    kind: crate::model::EntityKind,
    name: &str,
    aliases: &[String],
) -> Result<PathBuf, Diagnostics> {
    Config::load(root)?;
    let name = name.trim();
    let aliases: Vec<&str> = aliases
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    let mut problems = Diagnostics::default();
    problems.extend(check_title(name).err());
    let slug = parse::slugify(name);
    if slug.is_empty() && !name.is_empty() {
        problems.push(
            Diagnostic::global(format!("cannot make a URL slug from {name:?}"))
                .with_help("use a name with letters or digits"),
        );
    }
    let wanted: Vec<(String, &str)> = std::iter::once((slug.clone(), name))
        .chain(aliases.iter().map(|a| (parse::slugify(a), *a)))
        .filter(|(s, _)| !s.is_empty())
        .collect();
    for profile in read_kind(root, ContentKind::Profile(kind), &mut problems)
        .into_iter()
        .filter_map(|file| parse::parse_profile(file, kind).ok())
    {
        if let Some((_, written)) = wanted.iter().find(|(s, _)| profile.names.contains(s)) {
            problems.push(
                Diagnostic::error(
                    &profile.file.path,
                    format!("{written:?} is already a name of {:?}", profile.title),
                )
                .with_help(if profile.slug == slug {
                    "edit that profile instead".to_string()
                } else {
                    format!(
                        "if they are one {}, add the other spellings to this file's `aliases`",
                        kind.singular()
                    )
                }),
            );
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    let rel = Path::new(CONTENT_DIR)
        .join(kind.key())
        .join(format!("{slug}.md"));
    let aliases: Vec<String> = aliases.iter().map(|a| quoted(a)).collect();
    let text = NEW_PROFILE
        .replace("{title}", &quoted(name))
        .replace("{aliases}", &aliases.join(", "));
    create_file(root, &rel, &text)?;
    Ok(rel)
}

/// The names of the statuses a brief may have, for help texts: `developing, confirmed, …`.
pub fn status_names() -> String {
    Status::ALL.map(Status::as_str).join(", ")
}

// ---- Checks ------------------------------------------------------------------------------------

fn check_date(text: &str) -> Result<BriefDate, Diagnostic> {
    BriefDate::parse(text).map_err(|m| {
        Diagnostic::global(format!("--date: {m}"))
            .with_help("write the date as YYYY-MM-DD, or RFC 3339 like 2025-02-18T09:30:00Z")
    })
}

/// The slug the build will make from the new brief's file name.
fn brief_slug(title: &str) -> Result<String, Diagnostic> {
    let slug = parse::slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::global(format!(
            "cannot make a file name from the title {title:?}"
        ))
        .with_help("give the brief a title with letters or digits"));
    }
    Ok(slug)
}

/// An error for each of `topics` the site does not know, and for none given.
fn check_topics(root: &Path, topics: &[String]) -> Vec<Diagnostic> {
    let mut problems = Diagnostics::default();
    let known = known_topics(read_kind(root, ContentKind::Topic, &mut problems));
    if topics.is_empty() {
        problems.push(
            Diagnostic::global("a brief needs at least one topic")
                .with_help(topic_help(&known, "")),
        );
    }
    for topic in topics {
        if !known.iter().any(|k| k == topic) {
            problems.push(unknown_topic(topic, &known));
        }
    }
    problems.0
}

fn check_status(s: &str) -> Result<Status, Diagnostic> {
    let s = s.trim();
    if let Some(status) = Status::ALL.into_iter().find(|st| st.as_str() == s) {
        return Ok(status);
    }
    let names: Vec<&str> = Status::ALL.iter().map(|st| st.as_str()).collect();
    let help = match crate::diagnostic::closest(s, &names) {
        Some(near) => format!("did you mean {near:?}? Statuses: {}", status_names()),
        None => format!("statuses: {}", status_names()),
    };
    Err(Diagnostic::global(format!("--status: unknown status {s:?}")).with_help(help))
}

/// A slug as [`parse`] accepts an explicit one: already what [`parse::slugify`] makes of it.
fn check_slug(slug: &str) -> Result<(), Diagnostic> {
    let clean = parse::slugify(slug);
    if !slug.is_empty() && clean == slug {
        return Ok(());
    }
    Err(
        Diagnostic::global(format!("{slug:?} is not a valid slug")).with_help(
            if clean.is_empty() {
                "a slug is lower-case letters, digits and hyphens, e.g. \"iran\"".to_string()
            } else {
                format!("a slug is lower-case letters, digits and hyphens: use {clean:?}")
            },
        ),
    )
}

fn check_title(title: &str) -> Result<(), Diagnostic> {
    if title.is_empty() {
        return Err(Diagnostic::global("the title is empty").with_help("give it a title"));
    }
    Ok(())
}

/// Every slug and alias a brief may use as a topic, sorted. A topic file that does not parse
/// still counts by its file name, so one broken topic does not make briefs' topics unknown.
fn known_topics(sources: Vec<crate::load::SourceFile>) -> Vec<String> {
    let mut known = Vec::new();
    for file in sources {
        let stem = file
            .path
            .file_stem()
            .map(|s| parse::slugify(&s.to_string_lossy()))
            .unwrap_or_default();
        match parse::parse_topic(file) {
            Ok(topic) => {
                known.push(topic.slug);
                known.extend(topic.aliases);
            }
            Err(_) if !stem.is_empty() => known.push(stem),
            Err(_) => {}
        }
    }
    known.sort_unstable();
    known.dedup();
    known
}

fn unknown_topic(name: &str, known: &[String]) -> Diagnostic {
    Diagnostic::global(format!("unknown topic {name:?}")).with_help(topic_help(known, name))
}

/// "did you mean …? Known topics: …", as the build says it for a brief's `topics:`.
fn topic_help(known: &[String], name: &str) -> String {
    let names: Vec<&str> = known.iter().map(String::as_str).collect();
    let add = format!(
        "add one with: briefing new topic {} \"Title\"",
        match parse::slugify(name) {
            s if s.is_empty() => "SLUG".to_string(),
            s => s,
        }
    );
    match crate::diagnostic::closest(name, &names) {
        Some(near) => format!("did you mean {near:?}? Known topics: {}", names.join(", ")),
        None if names.is_empty() => format!("the site has no topics yet; {add}"),
        None => format!("known topics: {}; or {add}", names.join(", ")),
    }
}

/// An error naming the brief that already uses `slug`, if one does: the build would refuse two.
fn slug_taken(root: &Path, slug: &str) -> Option<Diagnostic> {
    use rayon::prelude::*;
    let mut ignored = Diagnostics::default();
    let briefs = read_kind(root, ContentKind::Brief, &mut ignored);
    let owner = briefs
        .into_par_iter()
        .filter_map(|file| parse::parse_brief(file).ok())
        .find_any(|b| b.slug == slug)?;
    Some(
        Diagnostic::error(
            &owner.file.path,
            format!("a brief with the slug {slug:?} already exists"),
        )
        .with_help("two briefs cannot share a page; give the new brief a different title"),
    )
}

/// Reads the content files of one kind; problems reading them go to `problems` as warnings,
/// since `new` only needs what it can read.
fn read_kind(
    root: &Path,
    kind: ContentKind,
    problems: &mut Diagnostics,
) -> Vec<crate::load::SourceFile> {
    let (paths, _) = crate::load::scan(root);
    let paths = match kind {
        ContentKind::Brief => paths.briefs,
        ContentKind::Topic => paths.topics,
        ContentKind::Page => paths.pages,
        ContentKind::Author => paths.authors,
        ContentKind::Profile(kind) => paths
            .profiles
            .into_iter()
            .filter(|p| crate::load::content_kind(p) == Some(ContentKind::Profile(kind)))
            .collect(),
    };
    let mut diags = Vec::new();
    let files = crate::load::read_all(root, paths, &mut diags);
    problems.extend(diags.into_iter().map(Diagnostic::warning));
    files
}

// ---- Text --------------------------------------------------------------------------------------

/// A YAML scalar: plain when it is a slug YAML cannot read as anything but a string, else
/// double-quoted (a JSON string is a valid YAML double-quoted scalar).
fn scalar(s: &str) -> String {
    const TYPED: [&str; 10] = [
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan",
    ];
    let plain = s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !TYPED.contains(&s);
    if plain { s.to_string() } else { quoted(s) }
}

fn quoted(s: &str) -> String {
    // OK because serializing a &str to JSON cannot fail.
    serde_json::to_string(s).expect("a string serializes")
}

/// A draft brief's file: every field of the front matter, the optional ones empty or commented
/// out with what they take.
fn brief_text(
    title: &str,
    date: &str,
    ymd: Date,
    topics: &[String],
    status: Option<Status>,
) -> String {
    let topics: Vec<String> = topics.iter().map(|t| scalar(t)).collect();
    let status_line = match status {
        Some(s) => format!("status: {}", s.as_str()),
        None => "# status: developing".to_string(),
    };
    // A bare date reads as the sample site writes it; a date with a time is quoted.
    let date = if date == ymd.to_string() {
        date.to_string()
    } else {
        quoted(date)
    };
    format!(
        "---
title: {title}
date: {date}
# updated: {ymd}  # when the brief last changed; default: the newest entry of `updates`
# updates: a dated log shown on the brief, newest first, for example
#   - date: {ymd}
#     kind: correction  # or update (the default)
#     text: \"An earlier version misstated the date of the talks.\"
topics: [{topics}]
# summary: \"One or two sentences for listings and feeds (default: the first paragraph).\"
# slug: {slug}  # default: made from the file name
# aliases: [old-slug]  # old addresses (slugs, or paths like /2025/03/old.html) that redirect here
# sources: one entry per source, for example
#   - name: \"Agency or outlet\"
#     url: \"https://example.org/article\"
#     date: {ymd}
sources: []
people: []
places: []
organizations: []
tags: []
# authors: [Jane Doe]  # the byline; default: `author` from site.toml
{status_line}  # {statuses}
# image:  # a lead image: a JPEG, PNG, WebP or GIF beside this file, or in static/ as /name.jpg
#   src: photo.jpg
#   alt: \"What the image shows, for readers who cannot see it\"
#   caption: \"Optional caption\"
#   credit: \"Photo: Agency\"
# language: ru  # on a multilingual site: the language it is written in (default: the site's, or its file name's: x.ru.md)
# translation_of: other-brief.md  # on a multilingual site: the original it translates (default: x.md beside x.ru.md)
draft: true  # the brief is left out of the site until this line is removed or set to false
---
Write the brief here. Say what happened in the first paragraph: it is the brief's summary in
listings and feeds unless `summary:` is set.
",
        title = quoted(title),
        topics = topics.join(", "),
        slug = parse::slugify(title),
        statuses = status_names(),
    )
}

/// The starter site, path by path, relative to the site folder (`.gitignore` aside).
fn starter_files(today: Date) -> Vec<(PathBuf, String)> {
    let month = format!("{:04}/{:02}", today.year(), today.month());
    vec![
        (PathBuf::from(CONFIG_FILE), SITE_TOML.to_string()),
        (
            PathBuf::from("content/topics/diplomacy.md"),
            TOPIC_DIPLOMACY.to_string(),
        ),
        (
            PathBuf::from("content/topics/energy.md"),
            TOPIC_ENERGY.to_string(),
        ),
        (
            PathBuf::from(format!(
                "content/briefs/{month}/{today}-ministers-meet-on-winter-gas-supplies.md"
            )),
            EXAMPLE_BRIEF.replace("{today}", &today.to_string()),
        ),
        (PathBuf::from("content/pages/about.md"), ABOUT.to_string()),
    ]
}

const NEW_TOPIC: &str = "---
title: {title}
# summary: one line for the topic lists and the page's description
# order: 1  # topics sort by it, then by title
aliases: []  # other slugs briefs may use for this topic; each old address redirects here
---
Introduce the topic here: what it covers and why it matters. This text opens the topic's page,
above its briefs.
";

const NEW_PROFILE: &str = "---
title: {title}
aliases: [{aliases}]  # other spellings briefs use, in any script; each leads to this page
# description: one line, the page's lede and its description in search results
# wikidata: Q…  # the Wikidata item, for search engines (schema.org sameAs)
# links:
#   - name: Official site
#     url: https://example.org/
# image: {src: photo.jpg, alt: What the photo shows, credit: Who took it}
---
Write the profile here: who or what this is, and why briefs name it. This text opens the page,
above its briefs.
";

const NEW_PAGE: &str = "---
title: {title}
# summary: one line for the page's description in search results
# order: 1  # its place in the main navigation
# aliases: [old-slug]  # old addresses (slugs, or paths like /old.html) that redirect here
---
Write the page here.
";

const SITE_TOML: &str = r#"# Site settings. Every key is described in briefing's README, under "site.toml".
title = "My Briefing"
description = "Short, sourced briefs on the stories we follow."
language = "en"
author = ""

# The address the site will be published at: change it before you publish. Feeds, the sitemap
# and canonical links need absolute addresses and use it; every link between pages stays
# relative, so the site also works from any folder and straight from disk.
base_url = "https://example.org/"

# output_dir = "public"      # where `briefing build` writes the site
# paginate = 20              # briefs per topic page
# front_page_briefs = 10     # briefs on the front page
# feed_entries = 20          # entries per Atom feed
# social_cards = true        # a 1200×630 picture for sharing each brief without a lead image
"#;

const TOPIC_DIPLOMACY: &str = r#"---
title: "Diplomacy"
summary: "Talks, visits and statements between governments."
order: 1
aliases: []
---
A topic gathers the briefs on one running story. This text introduces it at the top of the
topic's page, above its briefs, newest first.

Add a topic with `briefing new topic SLUG "Title"`; briefs name it in their `topics:` list.
"#;

const TOPIC_ENERGY: &str = r#"---
title: "Energy"
summary: "Gas, oil and power: supplies, prices and the politics around them."
order: 2
---
Briefs on energy supplies and the agreements that govern them.
"#;

const EXAMPLE_BRIEF: &str = r#"---
title: "Example: ministers meet on winter gas supplies"
date: {today}
topics: [energy, diplomacy]
summary: "An example brief showing the fields a brief can have. Edit it, or delete it once you have written your own."
sources:
  - name: "Example Energy Agency"
    url: "https://example.org/"
    date: {today}
people: [Jane Example]
places: [Vienna]
organizations: [Example Energy Agency]
tags: [example]
status: developing
---
This is an example brief. A brief covers one development: what happened, who said what, and
how sure you are of it.

## How this page is made

The front matter at the top of the file names the brief's topics, the people, places and
organizations it mentions (each gets a page listing every brief that names it), its sources
(listed at the end of the page) and its status: developing, confirmed, disputed or denied.

Link to another brief, topic or page by its file, like this link to the
[about page](../../../pages/about.md) or this one to the [energy topic](../../../topics/energy.md):
briefing turns each into a link between the pages, and stops the build if the file is missing.

## Next

Write a brief with `briefing new brief "Headline" --topic energy`, preview the site with
`briefing serve`, and publish it with `briefing build`.
"#;

const ABOUT: &str = r#"---
title: "About"
summary: "Who writes these briefs, and how."
order: 1
---
Say who you are, what you cover and how you work: how you choose stories, where your
information comes from, and how you correct mistakes.

Every file in `content/pages/` is a page in the main navigation, in the order of its `order:`.
"#;

// ---- Files -------------------------------------------------------------------------------------

/// Creates `root/rel` with `text`, with its folders; refuses to replace an existing file.
fn create_file(root: &Path, rel: &Path, text: &str) -> Result<(), Diagnostic> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| io_error(parent, "cannot create the folder", e))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::error(rel, format!("{} already exists", rel.display()))
                    .with_help("briefing never overwrites a file; choose another title or slug, or move the file aside")
            } else {
                io_error(&path, "cannot create", e)
            }
        })?;
    if let Err(e) = file.write_all(text.as_bytes()) {
        // Half a file would fail the next build; this one is ours to remove.
        let _ = fs::remove_file(&path);
        return Err(io_error(&path, "cannot write", e));
    }
    Ok(())
}

/// What [`add_ignore_lines`] did to `.gitignore`.
enum Ignore {
    Created,
    Appended,
    Unchanged,
}

/// Makes `.gitignore` ignore the output: creates it, or appends the lines it lacks.
fn add_ignore_lines(path: &Path) -> Result<Ignore, Diagnostic> {
    let existing = match fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_error(path, "cannot read", e)),
    };
    let text = existing.as_deref().unwrap_or("");
    let has = |line: &str| text.lines().any(|l| l.trim() == line);
    let ignores_output = [OUTPUT_DIR, "/public", "public/", GITIGNORE_LINES[0]]
        .iter()
        .any(|l| has(l));
    let mut add = String::new();
    if existing.is_none() {
        add.push_str("# briefing's output, and what an interrupted build may leave beside it.\n");
    } else if !text.is_empty() && !text.ends_with('\n') {
        add.push('\n');
    }
    if !ignores_output {
        add.push_str(GITIGNORE_LINES[0]);
        add.push('\n');
    }
    if !has(GITIGNORE_LINES[1]) {
        add.push_str(GITIGNORE_LINES[1]);
        add.push('\n');
    }
    if add.trim().is_empty() {
        return Ok(Ignore::Unchanged);
    }
    let mut file = fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| io_error(path, "cannot write", e))?;
    file.write_all(add.as_bytes())
        .map_err(|e| io_error(path, "cannot write", e))?;
    Ok(if existing.is_some() {
        Ignore::Appended
    } else {
        Ignore::Created
    })
}

/// The entries of `dir` other than `.git`, which `git init` may have made first.
fn entries_besides_git(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    let entries = fs::read_dir(dir).map_err(|e| io_error(dir, "cannot read the folder", e))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".git")
        .collect();
    names.sort();
    Ok(names)
}

/// `a, b, c and 4 more`.
fn list_some(names: &[String]) -> String {
    let shown = names.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    match names.len() {
        n if n > 3 => format!("{shown} and {} more", n - 3),
        _ => shown,
    }
}

/// `dir` as the author typed it, `.` for the current folder.
fn shown(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::global(format!("{what} {}: {e}", path.display())).with_help(match e.kind() {
        std::io::ErrorKind::PermissionDenied => "check the folder's permissions",
        std::io::ErrorKind::StorageFull => "free some disk space",
        _ => "check the path",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brief(text: &str) -> parse::ParsedBrief {
        parse::parse_brief(crate::load::SourceFile {
            path: PathBuf::from(
                "content/briefs/2025/02/2025-02-20-kremlin-says-ties-recovering.md",
            ),
            text: text.to_string(),
        })
        .unwrap_or_else(|e| panic!("{e:?}\n{text}"))
    }

    #[test]
    fn a_new_brief_parses_with_every_field() {
        let text = brief_text(
            "Kremlin says \"ties\" recovering: a test",
            "2025-02-20",
            Date::constant(2025, 2, 20),
            &["us-russia".into(), "2025".into(), "yes".into()],
            Some(Status::Developing),
        );
        let b = brief(&text);
        // Titles get smart punctuation, as bodies do.
        assert_eq!(b.title, "Kremlin says “ties” recovering: a test");
        assert_eq!(b.topics, ["us-russia", "2025", "yes"]);
        assert_eq!(b.status, Some(Status::Developing));
        assert!(b.draft);
        assert_eq!(b.slug, "kremlin-says-ties-recovering");
        for field in crate::parse::BRIEF_FIELDS {
            assert!(
                text.lines()
                    .any(|l| l.trim_start_matches("# ").starts_with(&format!("{field}:"))),
                "{field} missing:\n{text}"
            );
        }
    }

    #[test]
    fn a_new_brief_keeps_a_time_of_day() {
        let text = brief_text(
            "T",
            "2025-02-20T09:30:00Z",
            Date::constant(2025, 2, 20),
            &["x".into()],
            None,
        );
        let b = brief(&text);
        assert!(b.date.has_time);
        assert_eq!(b.status, None);
    }

    #[test]
    fn statuses_come_from_parse() {
        assert_eq!(check_status("denied").unwrap(), Status::Denied);
        let err = check_status("confimed").unwrap_err();
        assert!(err.help.unwrap().contains("did you mean \"confirmed\""));
    }

    #[test]
    fn slugs_are_checked_like_explicit_ones() {
        assert!(check_slug("us-russia").is_ok());
        assert!(
            check_slug("US Russia")
                .unwrap_err()
                .help
                .unwrap()
                .contains("\"us-russia\"")
        );
        assert!(check_slug("../x").is_err());
        assert!(check_slug("").is_err());
    }
}
