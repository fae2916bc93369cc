//! Redirects: the old addresses of published briefs, topics and pages.
//!
//! Takes the parsed files in the site's order (each with its checked `aliases:`, see
//! [`crate::parse::alias`]) and every path the site already writes (generated outputs from
//! [`crate::layout::plan`] and static files); hands on one [`Redirect`] per old address, sorted by
//! path, each of which becomes a redirect page there. An old address that another page, a static
//! file or another alias already has is an error naming both files, and the line of the other
//! alias; so is one that would need a folder where the site has a file. Paths are compared as a
//! case-insensitive file system would (`/Old/` and `/old/` are one file on macOS and Windows).

use std::collections::HashMap;
use std::path::Path;

use super::{BriefId, Docs, EntityEntry, EntityId, EntityKind, PageId, TopicId};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::layout::{self, HostingFile, Output};
use crate::parse::Alias;
use crate::parse::alias::Address;

/// A redirect page: an old address and the page now there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// Root-relative path of the redirect page, e.g. `briefs/old-slug/index.html`.
    pub path: String,
    pub target: Target,
}

/// The page a redirect sends readers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Brief(BriefId),
    Topic(TopicId),
    Page(PageId),
    /// A person's, place's, organization's or tag's page, from a spelling its profile claims.
    Entity(EntityKind, EntityId),
}

/// Who already writes a path of the output.
#[derive(Clone, Copy)]
enum Claim<'a> {
    /// A generated output; the content file it comes from, if any.
    Output(Option<&'a Path>),
    /// A file under `static/`.
    Static,
    /// Another alias: its file, the file's text and where the alias is written.
    Alias(&'a Path, &'a str, &'a Alias),
}

/// One alias of one file, with the page it is for.
struct Entry<'a> {
    file: &'a Path,
    text: &'a str,
    alias: &'a Alias,
    /// The page's own address.
    own: String,
    target: Target,
    kind: &'static str,
}

/// Every redirect of the site, sorted by path; collisions are pushed to `diags`. `real` is every
/// output the site writes besides redirects (with `shape` to name them), `static_files` the files
/// of `static/`.
pub(super) fn collect(
    docs: &Docs,
    real: &[(Output, String)],
    static_files: &[String],
    entities: &[Vec<EntityEntry>; 4],
    diags: &mut Diagnostics,
) -> Vec<Redirect> {
    hosting_collisions(real, static_files, diags);
    let entries = entries(docs);
    let spellings = spellings(docs, entities);
    if entries.is_empty() && spellings.is_empty() {
        return Vec::new();
    }
    let mut taken: HashMap<String, (&str, Claim)> =
        HashMap::with_capacity(real.len() + static_files.len() + entries.len());
    for (output, path) in real {
        taken.insert(fold(path), (path, Claim::Output(source(docs, *output))));
    }
    for path in static_files {
        taken.entry(fold(path)).or_insert((path, Claim::Static));
    }
    let paths: Vec<String> = entries
        .iter()
        .map(|e| match &e.alias.address {
            Address::Slug(slug) => match e.target {
                Target::Brief(_) => layout::brief_url(slug),
                Target::Topic(_) => layout::topic_url(slug),
                Target::Page(_) => layout::page_url(slug),
                // Only written aliases are entries.
                Target::Entity(kind, _) => layout::entity_url(kind, slug),
            },
            Address::Path(path) => path.clone(),
        })
        .collect();
    // Positions in `entries` of the aliases that claimed their path.
    let mut kept: Vec<usize> = Vec::new();
    for (i, (e, path)) in entries.iter().zip(&paths).enumerate() {
        if *path == e.own {
            diags.push(
                error(
                    e,
                    format!(
                        "alias {:?} is the {}'s own address, {path}",
                        e.alias.written, e.kind
                    ),
                )
                .with_help("remove it: a page's current address needs no redirect"),
            );
            continue;
        }
        let key = fold(path);
        if let Some(&(other, claim)) = taken.get(&key) {
            diags.push(collision(e, path, other, claim));
            continue;
        }
        taken.insert(key, (path, Claim::Alias(e.file, e.text, e.alias)));
        kept.push(i);
    }
    // A redirect page needs its folders: none of them may be a file of the site.
    let static_folders: HashMap<String, &str> = static_files
        .iter()
        .flat_map(|f| folders(f).map(move |d| (fold(d), f.as_str())))
        .collect();
    let mut out: Vec<Redirect> = Vec::with_capacity(kept.len());
    for i in kept {
        let (e, path) = (&entries[i], &paths[i]);
        let in_file = folders(path).find_map(|d| taken.get(&fold(d)).map(|claim| (d, *claim)));
        if let Some((folder, (other, claim))) = in_file {
            diags.push(
                error(e, format!(
                    "alias {:?} would put a redirect page at {path}, inside {folder}, which is already {}",
                    e.alias.written, owner(other, claim)
                ))
                .with_help("give an old address that is not inside a file of the site"),
            );
        } else if let Some(file) = static_folders.get(&fold(path)) {
            diags.push(
                error(e, format!(
                    "alias {:?} would put a redirect page at {path}, which is a folder of static/{file}",
                    e.alias.written
                ))
                .with_help("give another old address, or move the static file"),
            );
        } else {
            out.push(Redirect {
                path: path.clone(),
                target: e.target,
            });
        }
    }
    // The pages a profile merged: a spelling it claims had a page of its own before (`Песков`
    // at `people/peskov/`), whose address now leads to the profile's. Free addresses only: these
    // are not written by hand, so one a page, static file or alias has is simply left to it.
    for (path, target) in spellings {
        let key = fold(&path);
        if taken.contains_key(&key) || folders(&path).any(|d| taken.contains_key(&fold(d))) {
            continue;
        }
        out.push(Redirect { path, target });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The page address of every spelling a profile claims besides its own slug, with its entity.
fn spellings(docs: &Docs, entities: &[Vec<EntityEntry>; 4]) -> Vec<(String, Target)> {
    let mut out = Vec::new();
    for p in &docs.profiles {
        let list = &entities[p.kind.index()];
        let Ok(i) = list.binary_search_by(|e| e.slug.as_str().cmp(&p.slug)) else {
            continue;
        };
        let target = Target::Entity(p.kind, EntityId::new(i));
        for name in p.names.iter().filter(|n| **n != p.slug) {
            out.push((layout::entity_url(p.kind, name), target));
        }
    }
    out
}

/// Every alias of every published file, in the site's order.
fn entries(docs: &Docs) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for (i, b) in docs.briefs.iter().enumerate() {
        for alias in &b.old_addresses {
            out.push(Entry {
                file: &b.file.path,
                text: &b.file.text,
                alias,
                own: layout::brief_url(&b.slug),
                target: Target::Brief(BriefId::new(i)),
                kind: "brief",
            });
        }
    }
    for (i, t) in docs.topics.iter().enumerate() {
        for alias in &t.old_addresses {
            out.push(Entry {
                file: &t.file.path,
                text: &t.file.text,
                alias,
                own: layout::topic_url(&t.slug),
                target: Target::Topic(TopicId::new(i)),
                kind: "topic",
            });
        }
    }
    for (i, p) in docs.pages.iter().enumerate() {
        for alias in &p.old_addresses {
            out.push(Entry {
                file: &p.file.path,
                text: &p.file.text,
                alias,
                own: layout::page_url(&p.slug),
                target: Target::Page(PageId::new(i)),
                kind: "page",
            });
        }
    }
    out
}

/// The content file a generated output comes from, if any.
fn source(docs: &Docs, output: Output) -> Option<&Path> {
    Some(match output {
        Output::Brief(b) => &docs.briefs[b.index()].file.path,
        Output::Topic(t, _) | Output::TopicFeed(t) => &docs.topics[t.index()].file.path,
        Output::Page(p) => &docs.pages[p.index()].file.path,
        _ => return None,
    })
}

/// An error at the alias's place in its file.
fn error(e: &Entry<'_>, message: String) -> Diagnostic {
    Diagnostic::error(e.file, message)
        .with_code("alias-collision")
        .at_span(e.text, e.alias.span.clone())
}

/// The alias `e` would write `path`, which `other` (as claimed) already is.
fn collision(e: &Entry<'_>, path: &str, other: &str, claim: Claim<'_>) -> Diagnostic {
    let help = match claim {
        Claim::Alias(..) => {
            "one old address can lead to one page only: remove one of the two aliases"
        }
        Claim::Output(_) | Claim::Static => {
            "an alias keeps a page's old address working; this address is in use: remove the alias, or give the exact old path it had"
        }
    };
    let same = if other == path {
        String::new()
    } else {
        format!(" (as {other}, on a case-insensitive file system)")
    };
    error(
        e,
        format!(
            "alias {:?} would put a redirect page at {path}, which is already {}{same}",
            e.alias.written,
            owner(other, claim)
        ),
    )
    .with_help(help)
}

/// Who has a path, in words: a file to open, where there is one.
fn owner(path: &str, claim: Claim<'_>) -> String {
    match claim {
        Claim::Output(Some(file)) => format!("the page of {}", file.display()),
        Claim::Output(None) => format!("a file the site makes ({path})"),
        Claim::Static => format!("the static file static/{path}"),
        Claim::Alias(file, text, alias) => format!(
            "the redirect of alias {:?} in {}:{}",
            alias.written,
            file.display(),
            line_of(text, alias.span.start)
        ),
    }
}

/// A static file where a hosting file belongs: the build would write both.
fn hosting_collisions(real: &[(Output, String)], static_files: &[String], diags: &mut Diagnostics) {
    for (output, path) in real {
        if let Output::Hosting(h) = output
            && static_files.iter().any(|f| fold(f) == fold(path))
        {
            diags.push(
                Diagnostic::error(
                    Path::new(crate::load::STATIC_DIR).join(h.path()),
                    format!("static/{} would replace the {} briefing writes", h.path(), h.path()),
                )
                .with_code("output-collision")
                .with_help(match h {
                    HostingFile::NoJekyll => "remove the static file: briefing writes it",
                    _ => "to write your own, set `hosting_files = false` in site.toml (briefing then writes no _redirects, _headers or .nojekyll); or remove the static file",
                }),
            );
        }
    }
}

/// The folders a root-relative path is in, outermost first: `a/b/c.html` → `a`, `a/b`.
fn folders(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

/// A path as a case-insensitive, normalising file system sees it.
fn fold(path: &str) -> String {
    if path.is_ascii() {
        path.to_ascii_lowercase()
    } else {
        crate::load::fold_name(path)
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_a_path() {
        assert_eq!(folders("a/b/c.html").collect::<Vec<_>>(), ["a", "a/b"]);
        assert_eq!(folders("index.html").count(), 0);
        assert_eq!(fold("Briefs/Old/index.html"), "briefs/old/index.html");
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
