//! Finds and reads the site's files.
//!
//! Takes the site root and hands on [`Sources`]: the text of every topic, brief, page, author
//! profile and template, and the list of static files, each sorted by path so the rest of the
//! pipeline sees them in a stable order. Files are read in parallel. A UTF-8 byte-order mark is
//! dropped and CRLF line endings become LF here, so later stages see one form of text; invalid
//! UTF-8 is an error located at the first bad byte.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::model::EntityKind;

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
    /// Author profiles (`content/authors/<slug>.md`).
    pub authors: Vec<SourceFile>,
    /// Entity profiles (`content/people/<slug>.md`, places, organizations, tags).
    pub profiles: Vec<SourceFile>,
    /// Template files; `path` is relative to `templates/`, which makes it the template's name.
    pub templates: Vec<SourceFile>,
    /// The site's message tables; `path` is relative to `i18n/` (`de.toml`).
    pub messages: Vec<SourceFile>,
    /// Files under `static/`, relative to `static/`.
    pub static_files: Vec<PathBuf>,
}

pub const CONTENT_DIR: &str = "content";
pub const TEMPLATES_DIR: &str = "templates";
pub const STATIC_DIR: &str = "static";
pub const I18N_DIR: &str = crate::i18n::I18N_DIR;

/// The paths of every source file, found by walking the site without reading anything.
#[derive(Debug, Default, Clone)]
pub struct Paths {
    /// Relative to the root (`content/topics/iran.md`).
    pub topics: Vec<PathBuf>,
    pub briefs: Vec<PathBuf>,
    pub pages: Vec<PathBuf>,
    /// Relative to the root (`content/authors/jane-doe.md`).
    pub authors: Vec<PathBuf>,
    /// Relative to the root (`content/people/dmitry-peskov.md`).
    pub profiles: Vec<PathBuf>,
    /// Relative to the root (`templates/brief.html`).
    pub templates: Vec<PathBuf>,
    /// Relative to the root (`i18n/de.toml`).
    pub messages: Vec<PathBuf>,
    /// Relative to `static/`.
    pub static_files: Vec<PathBuf>,
    /// Files under `content/` that are not Markdown (images and documents beside briefs),
    /// relative to the root.
    pub assets: Vec<PathBuf>,
}

/// Where a content file belongs, from its path relative to the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ContentKind {
    Brief,
    Topic,
    Page,
    /// An author's profile.
    Author,
    /// A person's, place's, organisation's or tag's profile.
    Profile(EntityKind),
}

/// The kind of a Markdown file under `content/`, or `None` for one in no known folder.
pub fn content_kind(rel: &Path) -> Option<ContentKind> {
    if rel.extension().is_none_or(|e| e != "md") {
        return None;
    }
    let inside = rel.strip_prefix(CONTENT_DIR).ok()?;
    let first = inside.components().next()?.as_os_str().to_str()?;
    let depth = inside.components().count();
    match first {
        "briefs" => Some(ContentKind::Brief),
        "topics" if depth == 2 => Some(ContentKind::Topic),
        "pages" if depth == 2 => Some(ContentKind::Page),
        "authors" if depth == 2 => Some(ContentKind::Author),
        _ if depth == 2 => EntityKind::ALL
            .into_iter()
            .find(|k| k.key() == first)
            .map(ContentKind::Profile),
        _ => None,
    }
}

/// Finds every source file under `root`. Problems are returned alongside what was found.
pub fn scan(root: &Path) -> (Paths, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut paths = Paths::default();
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(CONTENT_DIR, "the site has no content/ folder")
                .with_code("no-content")
                .with_help("put briefs in content/briefs/, topics in content/topics/"),
        );
    } else {
        for path in walk(root, &content, &mut diags) {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if rel.extension().is_none_or(|e| e != "md") {
                paths.assets.push(rel);
                continue;
            }
            match content_kind(&rel) {
                Some(ContentKind::Brief) => paths.briefs.push(rel),
                Some(ContentKind::Topic) => paths.topics.push(rel),
                Some(ContentKind::Page) => paths.pages.push(rel),
                Some(ContentKind::Author) => paths.authors.push(rel),
                Some(ContentKind::Profile(_)) => paths.profiles.push(rel),
                None => diags.push(
                    Diagnostic::error(&rel, "this Markdown file is not in a known content folder")
                        .warning()
                        .with_code("misplaced-file")
                        .with_help(
                            "briefs go anywhere under content/briefs/, topics in content/topics/<slug>.md, free pages in content/pages/<slug>.md, author profiles in content/authors/<slug>.md, profiles of people, places, organizations and tags in content/people/<slug>.md (places/, organizations/, tags/); the file was skipped",
                        ),
                ),
            }
        }
    }
    let templates_dir = root.join(TEMPLATES_DIR);
    if templates_dir.is_dir() {
        paths.templates = walk(root, &templates_dir, &mut diags)
            .into_iter()
            .map(|p| p.strip_prefix(root).unwrap_or(&p).to_path_buf())
            .collect();
    }
    let i18n_dir = root.join(I18N_DIR);
    if i18n_dir.is_dir() {
        paths.messages = walk(root, &i18n_dir, &mut diags)
            .into_iter()
            .map(|p| p.strip_prefix(root).unwrap_or(&p).to_path_buf())
            .collect();
    }
    let static_dir = root.join(STATIC_DIR);
    if static_dir.is_dir() {
        paths.static_files = walk(root, &static_dir, &mut diags)
            .into_iter()
            .map(|p| p.strip_prefix(&static_dir).unwrap_or(&p).to_path_buf())
            .collect();
    }
    diags.extend(case_collisions(&paths.static_files));
    (paths, diags)
}

/// Reads files in parallel, keeping what could be read and every problem.
pub fn read_all(root: &Path, paths: Vec<PathBuf>, diags: &mut Vec<Diagnostic>) -> Vec<SourceFile> {
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
}

/// Reads the site's templates; each file's `path` is made relative to `templates/`, which
/// makes it the template's name.
pub fn read_templates(
    root: &Path,
    paths: Vec<PathBuf>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SourceFile> {
    read_under(root, TEMPLATES_DIR, paths, diags)
}

/// Reads the site's message tables; each file's `path` is made relative to `i18n/`, which
/// makes it the language's tag and `.toml`.
pub fn read_messages(
    root: &Path,
    paths: Vec<PathBuf>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SourceFile> {
    read_under(root, I18N_DIR, paths, diags)
}

fn read_under(
    root: &Path,
    dir: &str,
    paths: Vec<PathBuf>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SourceFile> {
    let mut files = read_all(root, paths, diags);
    for f in &mut files {
        f.path = f.path.strip_prefix(dir).unwrap_or(&f.path).to_path_buf();
    }
    files
}

/// Reads every source file under `root`. Problems are returned alongside what could be read.
pub fn load(root: &Path) -> (Sources, Vec<Diagnostic>) {
    let (paths, mut diags) = scan(root);
    let topics = read_all(root, paths.topics, &mut diags);
    let briefs = read_all(root, paths.briefs, &mut diags);
    let pages = read_all(root, paths.pages, &mut diags);
    let authors = read_all(root, paths.authors, &mut diags);
    let profiles = read_all(root, paths.profiles, &mut diags);
    let templates = read_templates(root, paths.templates, &mut diags);
    let messages = read_messages(root, paths.messages, &mut diags);
    (
        Sources {
            messages,
            topics,
            briefs,
            pages,
            authors,
            profiles,
            templates,
            static_files: paths.static_files,
        },
        diags,
    )
}

/// Lists the regular files under `dir`, sorted, skipping hidden files and editor backups.
///
/// Symbolic links are followed only while they stay inside the site root: a link that leads
/// outside it, a broken link and a link loop are each an error naming the link, and nothing
/// behind them is read. Anything that is neither a file nor a folder (a FIFO, a socket, a device)
/// is an error too: reading it could block the build forever.
fn walk(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let canon_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    let mut outside: Vec<(PathBuf, PathBuf)> = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_hidden(e.file_name()) {
                return false;
            }
            if !e.path_is_symlink() {
                return true;
            }
            match fs::canonicalize(e.path()) {
                Ok(target) if !target.starts_with(&canon_root) => {
                    outside.push((e.path().to_path_buf(), target));
                    false
                }
                // Inside the root, or broken: walkdir reports broken links and loops itself.
                _ => true,
            }
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let name = e.file_name().to_string_lossy();
                if !name.ends_with('~') {
                    files.push(e.into_path());
                }
            }
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => diags.push(
                Diagnostic::error(
                    shown(e.path()),
                    format!(
                        "this is a {}, not a regular file or folder",
                        special_kind(e.file_type())
                    ),
                )
                .with_code("special-file")
                .with_help("remove it from the site; only regular files are read"),
            ),
            Err(e) => diags.push(walk_error(root, &canon_root, dir, &e)),
        }
    }
    for (link, target) in outside {
        diags.push(outside_link(shown(&link), &target));
    }
    files
}

fn outside_link(link: PathBuf, target: &Path) -> Diagnostic {
    Diagnostic::error(
        link,
        format!(
            "the symbolic link leads outside the site, to {}",
            target.display()
        ),
    )
    .with_code("symlink")
    .with_help("briefing never follows links out of the site folder; copy the file into the site")
}

/// A walk error as a diagnostic: a link loop, a broken link, or an unreadable entry.
fn walk_error(root: &Path, canon_root: &Path, dir: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e.path().unwrap_or(dir);
    let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    if let Some(ancestor) = e.loop_ancestor() {
        // A link to a folder above the site is seen as a loop first; it also leaves the site.
        if !ancestor.starts_with(root) && !ancestor.starts_with(canon_root) {
            return outside_link(shown, ancestor);
        }
        let ancestor = ancestor.strip_prefix(root).unwrap_or(ancestor);
        return Diagnostic::error(
            shown,
            format!(
                "the symbolic link makes a loop: it leads back to {}",
                ancestor.display()
            ),
        )
        .with_code("symlink")
        .with_help("remove the link, or point it at a file or folder that does not contain it");
    }
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let not_found = e
        .io_error()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
    if is_link && not_found {
        let target = fs::read_link(path).unwrap_or_default();
        return Diagnostic::error(
            shown,
            format!(
                "the symbolic link is broken: {} does not exist",
                target.display()
            ),
        )
        .with_code("symlink")
        .with_help("remove the link or point it at an existing file inside the site");
    }
    let reason = e
        .io_error()
        .map_or_else(|| e.to_string(), |io| io.to_string());
    Diagnostic::error(shown, format!("cannot read: {reason}"))
        .with_code("read")
        .with_help("check that the file or folder exists and is readable")
}

/// The form two file names share when a case-insensitive or normalising file system (macOS,
/// Windows) would store them as one: Unicode NFC, lower case.
pub fn fold_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfc().collect::<String>().to_lowercase()
}

/// Static files whose names differ only by case or Unicode normalisation, naming both: they
/// would overwrite each other when the site is copied to such a file system.
fn case_collisions(files: &[PathBuf]) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<String, &PathBuf> = std::collections::HashMap::new();
    let mut diags = Vec::new();
    for f in files {
        let key = fold_name(&f.to_string_lossy());
        match seen.get(&key) {
            Some(first) => diags.push(
                Diagnostic::error(
                    Path::new(STATIC_DIR).join(f),
                    format!(
                        "static file {} differs from static/{} only by case or Unicode normalisation",
                        f.display(),
                        first.display()
                    ),
                )
                .with_code("case-collision")
                .with_help("the two would be one file on macOS and Windows; rename one of them"),
            ),
            None => {
                seen.insert(key, f);
            }
        }
    }
    diags
}

/// Names a file type that is neither a file, a folder nor a link.
#[cfg(unix)]
fn special_kind(t: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "named pipe (FIFO)"
    } else if t.is_socket() {
        "socket"
    } else if t.is_block_device() || t.is_char_device() {
        "device file"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: fs::FileType) -> &'static str {
    "special file"
}

/// Opens a file for reading only if it is a regular file. The open does not block on a FIFO that
/// appeared after the walk (it is refused instead), so a changing site cannot hang the build.
pub fn open_regular(path: &Path) -> std::io::Result<fs::File> {
    open_regular_sized(path).map(|(file, _)| file)
}

/// [`open_regular`], also giving the file's size.
fn open_regular_sized(path: &Path) -> std::io::Result<(fs::File, u64)> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // OK because O_NONBLOCK fits in an i32 on every Unix.
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "it is a {}, not a regular file",
                if meta.is_dir() {
                    "folder"
                } else {
                    special_kind(meta.file_type())
                }
            ),
        ));
    }
    Ok((file, meta.len()))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|s| s.starts_with('.'))
}

/// Reads one file as normalised UTF-8 text.
pub fn read_source(root: &Path, rel: PathBuf) -> Result<SourceFile, Diagnostic> {
    let bytes = read_regular(&root.join(&rel)).map_err(|e| {
        Diagnostic::error(&rel, format!("cannot read the file: {e}"))
            .with_code("read")
            .with_help(
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::OutOfMemory | std::io::ErrorKind::FileTooLarge
                ) {
                    "the file is too large to read; site files are text of a few kilobytes"
                } else {
                    "check that the file exists and is readable"
                },
            )
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return Err(Diagnostic::error(&rel, "the file is not valid UTF-8")
                .with_code("encoding")
                .at_offset(&lossy, offset)
                .with_help("save the file with UTF-8 encoding"));
        }
    };
    Ok(SourceFile {
        path: rel,
        text: normalize(text),
    })
}

/// The largest text file read (content or template): far above any real brief or page, and low
/// enough that a runaway or sparse file is refused before it is read into memory.
pub const MAX_SOURCE_BYTES: u64 = 256 << 20;

/// Reads a whole regular file (see [`open_regular`]).
fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let (file, size) = open_regular_sized(path)?;
    // Sized from the metadata the open already fetched; reading through `Take` skips the
    // extra stat and seek `File::read_to_end` makes to size its buffer.
    if size > MAX_SOURCE_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "it is {size} bytes, more than the {} MiB a site's text file may have",
                MAX_SOURCE_BYTES >> 20
            ),
        ));
    }
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(
            usize::try_from(size)
                .unwrap_or(usize::MAX)
                .saturating_add(1),
        )
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::OutOfMemory))?;
    // The limit holds even if the file grows after the size was read.
    file.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            "it grew past the size limit while it was read",
        ));
    }
    Ok(bytes)
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
