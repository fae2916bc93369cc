//! Good answers remembered between runs, so a second `check --external` (in CI, say) does not
//! ask every host again.
//!
//! One JSON file per site (`<folder name>-<hash of its path>.json`), in the user's cache folder
//! by default, never in the site: it maps each address that answered well to when it did. An
//! answer older than the maximum age is asked for again. Failures are not remembered, so a
//! fixed link or a host that is back shows at once. A missing, unreadable or outdated file is
//! an empty cache; one that cannot be written is a warning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diagnostic::Diagnostic;

/// Where good answers are kept between runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheLocation {
    /// `briefing/external/` in the user's cache folder: `$XDG_CACHE_HOME` or `~/.cache` on
    /// Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows.
    User,
    /// A folder of the caller's choosing.
    Dir(PathBuf),
    /// None: every address is asked for and nothing is saved.
    Off,
}

/// The format's version: a file of another version is ignored and replaced.
const VERSION: u32 = 1;

#[derive(serde::Serialize, serde::Deserialize)]
struct File {
    version: u32,
    /// Address → when it last answered well, in seconds since 1970.
    ok: BTreeMap<String, i64>,
}

/// The cache file of the site at `root`, if there is to be one.
pub(crate) fn path(location: &CacheLocation, root: &Path) -> Option<PathBuf> {
    let dir = match location {
        CacheLocation::User => dirs::cache_dir()?.join("briefing").join("external"),
        CacheLocation::Dir(dir) => dir.clone(),
        CacheLocation::Off => return None,
    };
    let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let name = site
        .file_name()
        .map(|n| slug::slugify(n.to_string_lossy()))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "site".into());
    let hash = xxhash_rust::xxh3::xxh3_64(site.as_os_str().as_encoded_bytes());
    Some(dir.join(format!("{name}-{hash:016x}.json")))
}

/// One site's remembered answers, as read at the start of a check.
pub(crate) struct Cache {
    path: PathBuf,
    ok: BTreeMap<String, i64>,
    max_age: i64,
    now: i64,
    changed: bool,
}

impl Cache {
    pub(crate) fn open(path: PathBuf, max_age: Duration) -> Cache {
        let now = jiff::Timestamp::now().as_second();
        Cache::open_at(path, max_age, now)
    }

    fn open_at(path: PathBuf, max_age: Duration, now: i64) -> Cache {
        let ok = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<File>(&bytes).ok())
            .filter(|f| f.version == VERSION)
            .map(|f| f.ok)
            .unwrap_or_default();
        Cache {
            path,
            ok,
            max_age: i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX),
            now,
            changed: false,
        }
    }

    /// Whether `url` answered well less than the maximum age ago.
    pub(crate) fn is_fresh(&self, url: &str) -> bool {
        self.ok
            .get(url)
            .is_some_and(|&t| t <= self.now && self.now - t < self.max_age)
    }

    pub(crate) fn remember(&mut self, url: &str) {
        self.ok.insert(url.to_string(), self.now);
        self.changed = true;
    }

    /// Writes the file (atomically, so a concurrent run reads the old or the new one), leaving
    /// out answers too old to be used.
    pub(crate) fn save(&self) -> Result<(), Diagnostic> {
        if !self.changed {
            return Ok(());
        }
        let ok = self
            .ok
            .iter()
            .filter(|&(_, &t)| t <= self.now && self.now - t <= self.max_age)
            .map(|(u, &t)| (u.clone(), t))
            .collect();
        let file = File {
            version: VERSION,
            ok,
        };
        self.write(&file).map_err(|e| {
            Diagnostic::global(format!(
                "could not save the link cache {}: {e}",
                self.path.display()
            ))
            .warning()
            .with_code(super::CODE)
            .with_help("choose another folder with --cache-dir DIR, or pass --no-cache")
        })
    }

    fn write(&self, file: &File) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer_pretty(&mut tmp, file)?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_expire_and_failures_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("site.json");
        let day = Duration::from_secs(86400);
        let mut cache = Cache::open_at(file.clone(), day, 1_000_000);
        cache.remember("https://a.org/");
        cache.save().unwrap();

        let later = Cache::open_at(file.clone(), day, 1_000_000 + 3600);
        assert!(later.is_fresh("https://a.org/"));
        assert!(!later.is_fresh("https://b.org/"));
        let next_day = Cache::open_at(file.clone(), day, 1_000_000 + 86400);
        assert!(!next_day.is_fresh("https://a.org/"));
        let no_age = Cache::open_at(file.clone(), Duration::ZERO, 1_000_000);
        assert!(!no_age.is_fresh("https://a.org/"));
    }

    #[test]
    fn files_are_per_site_and_unreadable_ones_are_empty() {
        let dir = tempfile::tempdir().unwrap();
        let at = CacheLocation::Dir(dir.path().to_path_buf());
        let a = path(&at, Path::new("/sites/desk")).unwrap();
        let b = path(&at, Path::new("/other/desk")).unwrap();
        assert_ne!(a, b);
        assert!(
            a.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("desk-")
        );
        assert_eq!(path(&CacheLocation::Off, Path::new(".")), None);
        std::fs::write(&a, "not json").unwrap();
        assert!(!Cache::open(a, Duration::from_secs(60)).is_fresh("https://a.org/"));
    }
}
