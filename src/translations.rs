//! Multilingual sites: which file each language's tree shows, and which pages translate which.
//!
//! A site with `languages = ["en", "ru"]` is built as one tree per language: the default's at
//! the output's root, each other's under its tag (`ru/…`), every tree a whole site of its own
//! (front page, topics, entities, feeds, search index) made by the same pipeline. A translation
//! is a file beside its original with the language before `.md` (`riyadh-talks.ru.md` beside
//! `riyadh-talks.md`): it shares the original's address, so a page and its translations differ
//! only in their tree's prefix, and content links to the original's file lead to the
//! translation in its tree.
//!
//! [`Selection`] decides what a tree shows: each file in its language, and the others' files
//! either left out or shown in their own language (`untranslated`). [`Translations`], made from
//! every tree's plan once all trees are modelled, says which trees have each page: the language
//! switcher, `hreflang` alternates and the sitemap's `xhtml:link`s come from it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::config::{Config, Untranslated};
use crate::diagnostic::Diagnostic;
use crate::layout;

/// A content file's language (index into [`Config::languages`]) and the path of the original
/// it translates, from its name alone: the file's own path and the default language, unless
/// its name ends in `.<tag>.md` for one of the site's languages (`about.ru.md` → `about.md`).
pub fn identify(path: &Path, config: &Config) -> (usize, PathBuf) {
    if !config.multilingual() {
        return (0, path.to_path_buf());
    }
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return (0, path.to_path_buf());
    };
    if let Some((base, tag)) = stem.rsplit_once('.')
        && !base.is_empty()
        && let Some(i) = config
            .languages
            .iter()
            .position(|l| l.tag.eq_ignore_ascii_case(tag))
    {
        return (i, path.with_file_name(format!("{base}.md")));
    }
    (0, path.to_path_buf())
}

/// A content file's language and original: its front matter's `language:` and
/// `translation_of:` where it has them, else what its name says (see [`identify`]).
pub fn identify_file<T: Translatable>(
    f: &T,
    config: &Config,
) -> Result<(usize, PathBuf), Diagnostic> {
    let (by_name, key_by_name) = identify(f.path(), config);
    let declared = f.declared();
    let language = match &declared.language {
        Some((tag, at)) => match config
            .languages
            .iter()
            .position(|l| l.tag.eq_ignore_ascii_case(tag))
        {
            Some(i) => i,
            None => {
                let tags: Vec<&str> = config.languages.iter().map(|l| l.tag.as_str()).collect();
                return Err(Diagnostic::error(
                    f.path(),
                    format!("`language: {tag}` is not one of the site's languages"),
                )
                .with_code("invalid-field")
                .at_line_of(f.text(), *at)
                .with_help(format!(
                    "write one of {}, or add {tag:?} to `languages` in site.toml",
                    tags.join(", ")
                )));
            }
        },
        None => by_name,
    };
    let key = match &declared.of {
        Some((original, _)) => original.clone(),
        None => key_by_name,
    };
    Ok((language, key))
}

/// One content file as a tree sees it.
pub trait Translatable: Clone {
    fn path(&self) -> &Path;
    /// Its text, to locate problems in.
    fn text(&self) -> &str;
    /// What its front matter says of its language.
    fn declared(&self) -> &crate::parse::Translation;
    fn slug(&self) -> &str;
    /// The same file under the address of the original it translates.
    fn set_slug(&mut self, slug: &str);
    /// Its page's root-relative output path.
    fn url(&self) -> String;
}

macro_rules! translatable {
    ($ty:ty, url: |$s:ident| $url:expr, set_slug: |$m:ident, $slug:ident| $set:block) => {
        impl Translatable for $ty {
            fn path(&self) -> &Path {
                &self.file.path
            }
            fn text(&self) -> &str {
                &self.file.text
            }
            fn declared(&self) -> &crate::parse::Translation {
                &self.translation
            }
            fn slug(&self) -> &str {
                &self.slug
            }
            fn set_slug(&mut self, $slug: &str) {
                let $m = self;
                $set
            }
            fn url(&self) -> String {
                let $s = self;
                $url
            }
        }
    };
}

translatable!(crate::parse::ParsedTopic, url: |t| layout::topic_url(&t.slug), set_slug: |t, slug| {
    t.slug = slug.to_string();
});
translatable!(crate::parse::ParsedPage, url: |p| layout::page_url(&p.slug), set_slug: |p, slug| {
    p.slug = slug.to_string();
});
translatable!(crate::parse::ParsedAuthor, url: |a| layout::author_url(&a.slug), set_slug: |a, slug| {
    a.slug = slug.to_string();
});
translatable!(crate::parse::ParsedBrief, url: |b| layout::brief_url(&b.slug), set_slug: |b, slug| {
    b.slug = slug.to_string();
    // The slug is part of what decides the site's structure.
    b.structure = crate::model::fingerprint(&[&b.structure.to_le_bytes(), slug.as_bytes()]);
});
translatable!(crate::parse::ParsedProfile, url: |p| layout::entity_url(p.kind, &p.slug), set_slug: |p, slug| {
    // The file's slug is the first name it claims; each name is claimed once.
    if p.names.first() == Some(&p.slug) {
        p.names.remove(0);
    }
    p.names.retain(|n| n != slug);
    p.names.insert(0, slug.to_string());
    p.slug = slug.to_string();
});

/// What one tree shows of one kind of content, and where its links to the rest lead.
pub struct Selection<T> {
    /// The files the tree shows: its language's, and others' where `untranslated = "original"`.
    pub shown: Vec<Arc<T>>,
    /// Content files whose page in this tree is another file's: (linked file, shown file).
    pub aliases: Vec<(PathBuf, PathBuf)>,
    /// Content files with no page in this tree, and their page in another tree, as a path from
    /// this tree's root (`../briefs/x/index.html`).
    pub elsewhere: Vec<(PathBuf, String)>,
    /// Every file's language.
    pub languages: Vec<(PathBuf, usize)>,
    /// Files whose `language:` or `translation_of:` is wrong; they are left out.
    pub diagnostics: Vec<Diagnostic>,
}

/// Chooses the files of tree `tree` among `files` (valid ones, by path): per original, the
/// file in the tree's language; else, with `untranslated = "original"` or when `always`, the
/// default language's file or the first language's that has one. A translation takes its
/// original's slug.
///
/// `always` is for what briefs refer to (topics, profiles, authors): a brief's topic has a
/// page in every tree the brief is in, translated or not. A file `hidden` says is left out of
/// this build (a draft without `--drafts`) counts as untranslated: a draft translation does not
/// hide its published original.
pub fn select<T: Translatable>(
    files: &[Arc<T>],
    config: &Config,
    tree: usize,
    always: bool,
    hidden: impl Fn(&T) -> bool,
) -> Selection<T> {
    let mut out = Selection {
        shown: Vec::new(),
        aliases: Vec::new(),
        elsewhere: Vec::new(),
        languages: Vec::with_capacity(files.len()),
        diagnostics: Vec::new(),
    };
    let mut groups: FxHashMap<PathBuf, Vec<(usize, &Arc<T>)>> = FxHashMap::default();
    for f in files {
        match identify_file(&**f, config) {
            Ok((lang, key)) => {
                out.languages.push((f.path().to_path_buf(), lang));
                groups.entry(key).or_default().push((lang, f));
            }
            Err(d) => out.diagnostics.push(d),
        }
    }
    let mut keys: Vec<&PathBuf> = groups.keys().collect();
    keys.sort();
    let up = config.tree_up(tree);
    for key in keys {
        let mut versions = groups[key].clone();
        versions.sort_by_key(|(lang, f)| (*lang, f.path().to_path_buf()));
        // Two files in one language for one original: the second is reported and left out.
        let mut seen = 0u64;
        versions.retain(|(lang, f)| {
            let twice = seen & (1 << lang) != 0;
            seen |= 1 << lang;
            if twice {
                out.diagnostics.push(
                    Diagnostic::error(
                        f.path(),
                        format!(
                            "a second {} version of {}",
                            config.languages[*lang].tag,
                            key.display()
                        ),
                    )
                    .with_code("duplicate-translation")
                    .at_offset(f.text(), 0)
                    .with_help("keep one file per language of each original: remove this one or its `language:`"),
                );
            }
            !twice
        });
        // `translation_of:` must name a file of the same kind.
        if !versions.iter().any(|(_, f)| f.path() == key) {
            for (_, f) in &versions {
                if let Some((original, at)) = &f.declared().of {
                    out.diagnostics.push(
                        Diagnostic::error(
                            f.path(),
                            format!("`translation_of` names {}, which is not a file of this kind in the site", original.display()),
                        )
                        .with_code("invalid-field")
                        .at_line_of(f.text(), *at)
                        .with_help("give the original's path relative to this file, as in a link; a brief translates a brief, a topic a topic"),
                    );
                }
            }
        }
        // The original's slug: that of the file at the key's path, else of the first version
        // (drafts included, so a slug does not change when a draft is published).
        let slug = versions
            .iter()
            .find(|(_, f)| f.path() == key)
            .or(versions.first())
            .map(|(_, f)| f.slug().to_string())
            .unwrap_or_default();
        let with_slug = |f: &Arc<T>| -> Arc<T> {
            if f.slug() == slug {
                Arc::clone(f)
            } else {
                let mut t = (**f).clone();
                t.set_slug(&slug);
                Arc::new(t)
            }
        };
        versions.retain(|(_, f)| !hidden(f));
        if versions.is_empty() {
            continue;
        }
        let chosen =
            versions
                .iter()
                .find(|(lang, _)| *lang == tree)
                .or_else(|| match config.untranslated {
                    _ if always => versions.first(),
                    Untranslated::Original => versions.first(),
                    Untranslated::Omit => None,
                });
        if let Some((_, f)) = chosen {
            let f = with_slug(f);
            if f.path() != key {
                out.aliases.push((key.clone(), f.path().to_path_buf()));
            }
            for (_, other) in &versions {
                if other.path() != f.path() && other.path() != key {
                    out.aliases
                        .push((other.path().to_path_buf(), f.path().to_path_buf()));
                }
            }
            out.shown.push(f);
        } else {
            // Not in this tree: links to any version lead to that version's own tree.
            let url = |lang: usize| {
                format!(
                    "{up}{}{}",
                    config.prefix_of(lang),
                    layout_url(&slug, versions[0].1)
                )
            };
            let first = versions[0].0;
            out.elsewhere.push((key.clone(), url(first)));
            for (lang, other) in &versions {
                if other.path() != key {
                    out.elsewhere.push((other.path().to_path_buf(), url(*lang)));
                }
            }
        }
    }
    out
}

/// The page path of a file of the same kind as `f` with slug `slug`.
fn layout_url<T: Translatable>(slug: &str, f: &Arc<T>) -> String {
    let mut t = (**f).clone();
    t.set_slug(slug);
    t.url()
}

/// Which trees have each page: made from every tree's output paths once all are planned.
#[derive(Debug, Default)]
pub struct Translations {
    pub languages: Vec<LanguageLink>,
    /// Root-relative page path (as in each tree) → the trees that have it in their own
    /// language, as bits by language index.
    pages: FxHashMap<String, u64>,
    /// Every content file's language.
    files: FxHashMap<PathBuf, usize>,
}

/// A language of the site, as the switcher shows it.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    pub tag: String,
    /// The language's name in itself (`Русский`), for the switcher.
    pub name: String,
    /// The tree's folder (`ru/`), empty for the default.
    pub prefix: String,
    /// The tree's absolute address, when the site has a base URL.
    pub base_url: Option<String>,
}

/// A language of the site as the switcher on one page shows it: this page in that language
/// when it has been translated, else that language's front page.
#[derive(Debug, Clone, Serialize)]
pub struct SwitcherEntry<'a> {
    pub tag: &'a str,
    pub name: &'a str,
    /// From the page that links, relative.
    pub url: String,
    /// Whether `url` is this page's translation (else the language's front page).
    pub translated: bool,
    /// The language of the page itself.
    pub current: bool,
}

/// An `hreflang` alternate: a version of the page in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Hreflang<'a> {
    /// A BCP 47 tag, or `x-default` for the default language's version.
    pub tag: &'a str,
    /// Absolute when the site has a base URL, else relative to the page.
    pub href: String,
}

impl Translations {
    pub fn new(config: &Config) -> Translations {
        Translations {
            languages: (0..config.languages.len())
                .map(|i| {
                    let c = config.for_language(i);
                    LanguageLink {
                        name: config.languages[i]
                            .name
                            .clone()
                            .unwrap_or_else(|| endonym(&c.language)),
                        tag: c.language,
                        prefix: c.tree.prefix,
                        base_url: c.base_url,
                    }
                })
                .collect(),
            pages: FxHashMap::default(),
            files: FxHashMap::default(),
        }
    }

    /// The language of the file at `path`, when it is not tree `tree`'s: its text is shown
    /// marked with it (`lang="en"` on a Russian page).
    pub fn foreign(&self, path: &Path, tree: usize) -> Option<&str> {
        let lang = self.files.get(path).copied().unwrap_or(0);
        (lang != tree).then(|| self.languages[lang].tag.as_str())
    }

    /// The table of a site's trees, `sites` being each language's, in `config.languages`
    /// order. A page counts for a tree when its text is in the tree's language: a brief shown
    /// untranslated (`untranslated = "original"`) is no translation.
    pub fn of(
        config: &Config,
        sites: &[crate::model::Site],
        files: FxHashMap<PathBuf, usize>,
    ) -> Translations {
        use crate::layout::Output;
        let mut table = Translations::new(config);
        for (tree, site) in sites.iter().enumerate() {
            let native = |path: &Path| files.get(path).copied().unwrap_or(0) == tree;
            for output in layout::plan(site) {
                let translated = match output {
                    Output::NotFound | Output::Redirect(_) => false,
                    Output::Brief(b) => {
                        let brief = site.brief(b);
                        native(&brief.doc.file.path) && !brief.unlisted()
                    }
                    Output::Topic(t, _) | Output::TopicTimeline(t) => {
                        native(&site.topic(t).doc.file.path)
                    }
                    Output::Page(p) => native(&site.page(p).doc.file.path),
                    o => o.is_page(),
                };
                if translated {
                    table.add(tree, &output.path(site));
                }
            }
        }
        table.files = files;
        table
    }

    /// Records that tree `tree` has the page at `path`, in its own language.
    pub fn add(&mut self, tree: usize, path: &str) {
        *self.pages.entry(path.to_string()).or_default() |= 1 << tree;
    }

    /// The address of the page at `path` in tree `to`, from a page of tree `from` whose way
    /// to its tree's root is `root`.
    fn link(&self, from: usize, to: usize, path: &str, root: &str) -> String {
        let up = layout::root_of(&self.languages[from].prefix);
        format!("{root}{up}{}{path}", self.languages[to].prefix)
    }

    /// The language switcher of the page at `path` in tree `tree`: every language, with this
    /// page's translation into it or else its front page.
    pub fn switcher(&self, tree: usize, path: &str, root: &str) -> Vec<SwitcherEntry<'_>> {
        let bits = self.pages.get(path).copied().unwrap_or(0);
        (0..self.languages.len())
            .map(|i| {
                let translated = bits & (1 << i) != 0;
                // The current language's entry is this page, translated or not.
                let target = if translated || i == tree {
                    path
                } else {
                    layout::INDEX
                };
                SwitcherEntry {
                    tag: &self.languages[i].tag,
                    name: &self.languages[i].name,
                    url: self.link(tree, i, target, root),
                    translated,
                    current: i == tree,
                }
            })
            .collect()
    }

    /// The `hreflang` alternates of the page at `path` in tree `tree`: each language it is
    /// written in, and `x-default` for the default language's; none unless the page itself
    /// is one of two or more versions.
    pub fn hreflang(&self, tree: usize, path: &str, root: &str) -> Vec<Hreflang<'_>> {
        let bits = self.pages.get(path).copied().unwrap_or(0);
        if bits & (1 << tree) == 0 || bits.count_ones() < 2 {
            return Vec::new();
        }
        let href = |i: usize| match &self.languages[i].base_url {
            Some(base) => layout::permalink(Some(base), path),
            None => self.link(tree, i, path, root),
        };
        let mut out: Vec<Hreflang<'_>> = (0..self.languages.len())
            .filter(|i| bits & (1 << i) != 0)
            .map(|i| Hreflang {
                tag: &self.languages[i].tag,
                href: href(i),
            })
            .collect();
        if bits & 1 != 0 {
            out.push(Hreflang {
                tag: "x-default",
                href: href(0),
            });
        }
        out
    }

    /// The pages of tree `tree` written in its language, sorted: the sitemap lists them.
    pub fn pages_of(&self, tree: usize) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .pages
            .iter()
            .filter(|(_, bits)| *bits & (1 << tree) != 0)
            .map(|(p, _)| p.as_str())
            .collect();
        out.sort_unstable();
        out
    }

    /// Absolute (with a base URL) or root-relative addresses of the page at `path` in each
    /// language that has it, for the sitemap's `xhtml:link`s.
    pub fn sitemap_alternates(&self, path: &str) -> Vec<(&str, String)> {
        let bits = self.pages.get(path).copied().unwrap_or(0);
        if bits.count_ones() < 2 {
            return Vec::new();
        }
        (0..self.languages.len())
            .filter(|i| bits & (1 << i) != 0)
            .map(|i| {
                let l = &self.languages[i];
                let url = match &l.base_url {
                    Some(base) => layout::permalink(Some(base), path),
                    None => format!("{}{}", l.prefix, layout::permalink(None, path)),
                };
                (l.tag.as_str(), url)
            })
            .collect()
    }

    /// A fingerprint of the table, for the outputs that show it.
    pub fn fingerprint(&self) -> u64 {
        let mut pages: Vec<(&String, &u64)> = self.pages.iter().collect();
        pages.sort();
        let mut parts: Vec<Vec<u8>> = Vec::with_capacity(pages.len() * 2);
        for (p, bits) in pages {
            parts.push(p.as_bytes().to_vec());
            parts.push(bits.to_le_bytes().to_vec());
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        crate::model::fingerprint(&refs)
    }
}

/// A language's name in itself (`Русский`, `Français`), from ISO 639 autonyms capitalised as
/// a switcher shows them; the tag where the language has none.
pub fn endonym(tag: &str) -> String {
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let language = match primary.len() {
        2 => isolang::Language::from_639_1(&primary),
        3 => isolang::Language::from_639_3(&primary),
        _ => None,
    };
    let Some(name) = language.and_then(|l| l.to_autonym()) else {
        return tag.to_string();
    };
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => tag.to_string(),
    }
}
