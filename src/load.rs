//! Finds and reads the site's files.
//!
//! Takes the site root and hands on [`Sources`]: the text of every topic, brief, page and
//! template, and the list of static files, each sorted by path so the rest of the pipeline sees
//! them in a stable order. Files are read in parallel. A UTF-8 byte-order mark is dropped and CRLF
//! line endings become LF here, so later stages see one form of text; invalid UTF-8 is an error
//! located at the first bad byte.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;

/// One text file of the site.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, e.g. `content/briefs/2025/02/riyadh.md`.
    pub path: PathBuf,
    pub text: String,
}

/// Everything read from the site folder.
#[derive(Debug, Default)]
pub struct Sources {
    pub topics: Vec<SourceFile>,
    pub briefs: Vec<SourceFile>,
    pub pages: Vec<SourceFile>,
    /// Template files; `path` is relative to `templates/`, which makes it the template's name.
    pub templates: Vec<SourceFile>,
    /// Files under `static/`, relative to `static/`.
    pub static_files: Vec<PathBuf>,
}

pub const CONTENT_DIR: &str = "content";
pub const TEMPLATES_DIR: &str = "templates";
pub const STATIC_DIR: &str = "static";

/// Reads every source file under `root`. Problems are returned alongside what could be read.
pub fn load(root: &Path) -> (Sources, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let content = root.join(CONTENT_DIR);
    let mut topics = Vec::new();
    let mut briefs = Vec::new();
    let mut pages = Vec::new();
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(CONTENT_DIR, "the site has no content/ folder")
                .with_help("put briefs in content/briefs/, topics in content/topics/"),
        );
    } else {
        for path in walk(root, &content, &mut diags) {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if rel.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let inside = rel.strip_prefix(CONTENT_DIR).unwrap_or(&rel);
            let mut parts = inside.components();
            let first = parts.next().and_then(|c| c.as_os_str().to_str());
            let depth = inside.components().count();
            match first {
                Some("briefs") => briefs.push(rel),
                Some("topics") if depth == 2 => topics.push(rel),
                Some("pages") if depth == 2 => pages.push(rel),
                _ => diags.push(
                    Diagnostic::error(&rel, "this Markdown file is not in a known content folder")
                        .warning()
                        .with_help(
                            "briefs go anywhere under content/briefs/, topics in content/topics/<slug>.md, free pages in content/pages/<slug>.md; the file was skipped",
                        ),
                ),
            }
        }
    }
    let templates_dir = root.join(TEMPLATES_DIR);
    let templates: Vec<PathBuf> = if templates_dir.is_dir() {
        walk(root, &templates_dir, &mut diags)
            .into_iter()
            .map(|p| p.strip_prefix(root).unwrap_or(&p).to_path_buf())
            .collect()
    } else {
        Vec::new()
    };
    let static_dir = root.join(STATIC_DIR);
    let static_files = if static_dir.is_dir() {
        walk(root, &static_dir, &mut diags)
            .into_iter()
            .map(|p| p.strip_prefix(&static_dir).unwrap_or(&p).to_path_buf())
            .collect()
    } else {
        Vec::new()
    };

    let read_all = |paths: Vec<PathBuf>, diags: &mut Vec<Diagnostic>| {
        let results: Vec<Result<SourceFile, Diagnostic>> = paths
            .into_par_iter()
            .map(|rel| read_source(root, rel))
            .collect();
        let mut files = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(f) => files.push(f),
                Err(d) => diags.push(d),
            }
        }
        files
    };
    let topics = read_all(topics, &mut diags);
    let briefs = read_all(briefs, &mut diags);
    let pages = read_all(pages, &mut diags);
    let mut templates = read_all(templates, &mut diags);
    for t in &mut templates {
        // Template names are relative to templates/ and always use forward slashes.
        t.path = t
            .path
            .strip_prefix(TEMPLATES_DIR)
            .unwrap_or(&t.path)
            .to_path_buf();
    }
    (
        Sources {
            topics,
            briefs,
            pages,
            templates,
            static_files,
        },
        diags,
    )
}

/// Lists the regular files under `dir`, sorted, skipping hidden files and editor backups.
/// Symbolic links are not followed: a link could lead outside the site.
fn walk(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let name = e.file_name().to_string_lossy();
                if !name.ends_with('~') {
                    files.push(e.into_path());
                }
            }
            Ok(e) if e.path_is_symlink() => diags.push(
                Diagnostic::error(
                    e.path().strip_prefix(root).unwrap_or(e.path()),
                    "symbolic links are not followed; the link was skipped",
                )
                .warning()
                .with_help("copy the file into the site instead of linking to it"),
            ),
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
                    .unwrap_or_else(|| dir.to_path_buf());
                diags.push(
                    Diagnostic::error(path, format!("cannot read: {e}"))
                        .with_help("check the file's permissions"),
                );
            }
        }
    }
    files
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|s| s.starts_with('.'))
}

/// Reads one file as normalised UTF-8 text.
pub fn read_source(root: &Path, rel: PathBuf) -> Result<SourceFile, Diagnostic> {
    let bytes = std::fs::read(root.join(&rel)).map_err(|e| {
        Diagnostic::error(&rel, format!("cannot read the file: {e}"))
            .with_help("check that the file exists and is readable")
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return Err(Diagnostic::error(&rel, "the file is not valid UTF-8")
                .at_offset(&lossy, offset)
                .with_help("save the file with UTF-8 encoding"));
        }
    };
    Ok(SourceFile {
        path: rel,
        text: normalize(text),
    })
}

/// Drops a byte-order mark and turns CRLF into LF.
pub fn normalize(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n");
    }
    text
}
