//! Noticing edits: the site's inputs watched through `notify`, debounced briefly.
//!
//! The root is watched on its own (not recursively), for `site.toml` and for the input folders
//! coming and going; `content/`, `templates/`, `static/` and `i18n/` are watched recursively. So output
//! folders (`public/`, `target/`), `.git/` and `node_modules/` are never watched at all, and
//! serving (which writes to a temporary folder elsewhere) can never trigger itself. An input
//! folder created, deleted, or replaced (renamed over) is watched again on the next batch.
//!
//! The debouncer merges bursts (an editor's write-to-temp-and-rename, a save of many files)
//! over [`DEBOUNCE`], short enough that a save shows in the browser well within 100 ms plus the
//! rebuild. Hidden files and editor backups (`.x.swp`, `x~`) are ignored, as the build ignores
//! them; a rename reports both its old and new path, so a file renamed from a hidden temporary
//! name over a brief still counts.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::load::{CONTENT_DIR, I18N_DIR, STATIC_DIR, TEMPLATES_DIR};

/// How long the debouncer waits for a burst of events to end.
pub const DEBOUNCE: Duration = Duration::from_millis(25);

/// The input folders, watched recursively.
const INPUT_DIRS: [&str; 4] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, I18N_DIR];

/// What the watcher saw: the site paths that changed, or why watching failed.
pub type Batch = Result<Vec<PathBuf>, String>;

/// The site's inputs under watch.
pub struct Watch {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    /// Which of [`INPUT_DIRS`] have a recursive watch.
    watched: [bool; 4],
}

impl Watch {
    /// Starts watching `root`; batches of changed paths arrive on the returned channel.
    pub fn start(root: &Path) -> Result<(Watch, Receiver<Batch>), String> {
        let root = std::fs::canonicalize(root)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let (tx, rx) = channel();
        let filter_root = root.clone();
        let debouncer = new_debouncer(DEBOUNCE, None, move |r: DebounceEventResult| {
            forward(&filter_root, r, &tx)
        })
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let mut watch = Watch {
            root,
            debouncer,
            watched: [false; 4],
        };
        watch
            .debouncer
            .watch(&watch.root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", watch.root.display()))?;
        watch.rewatch(&[]);
        Ok((watch, rx))
    }

    /// Watches input folders that appeared or were replaced (named in `changed`), and forgets
    /// the ones that are gone. Returns the folders newly watched, which count as changed.
    pub fn rewatch(&mut self, changed: &[PathBuf]) -> Vec<PathBuf> {
        let mut added = Vec::new();
        for (i, name) in INPUT_DIRS.iter().enumerate() {
            let dir = self.root.join(name);
            let touched = changed.iter().any(|p| p == &dir);
            if self.watched[i] && (touched || !dir.is_dir()) {
                let _ = self.debouncer.unwatch(&dir);
                self.watched[i] = false;
            }
            if !self.watched[i]
                && dir.is_dir()
                && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched[i] = true;
                added.push(dir);
            }
        }
        added
    }
}

/// Sends the input paths of a batch of events on, dropping what the build ignores.
fn forward(root: &Path, result: DebounceEventResult, tx: &Sender<Batch>) {
    let batch = match result {
        Ok(events) => {
            let mut paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                .flat_map(|e| e.event.paths.iter())
                .filter(|p| is_input(root, p))
                .cloned()
                .collect();
            paths.sort();
            paths.dedup();
            if paths.is_empty() {
                return;
            }
            Ok(paths)
        }
        Err(errors) => Err(errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")),
    };
    // The receiver is gone only when the server is stopping.
    let _ = tx.send(batch);
}

/// Whether `path` is one the build reads: `site.toml`, or a non-hidden, non-backup path in an
/// input folder (or the folder itself).
pub fn is_input(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    if first == "site.toml" && rel.components().count() == 1 {
        return true;
    }
    INPUT_DIRS.contains(&first.as_ref())
        && parts.all(|p| !p.starts_with('.') && !p.ends_with('~') && !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_inputs_count() {
        let root = Path::new("/site");
        let yes = |p: &str| is_input(root, &root.join(p));
        assert!(yes("site.toml"));
        assert!(yes("content"));
        assert!(yes("content/briefs/2025/x.md"));
        assert!(yes("templates/brief.html"));
        assert!(yes("static/images/map.svg"));
        for no in [
            "public/index.html",
            "target/debug/x",
            ".git/index",
            "node_modules/a/b.js",
            "content/briefs/.x.md.swp",
            "content/briefs/x.md~",
            "content/.hidden/x.md",
            "other.toml",
            "README.md",
        ] {
            assert!(!yes(no), "{no}");
        }
        assert!(!is_input(root, Path::new("/elsewhere/site.toml")));
    }
}
