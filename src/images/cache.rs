//! Encoded images kept between builds, so an unchanged image costs nothing the next time.
//!
//! A folder of files named by what made them: the hash of the source image's bytes, the width
//! and the format for resized lead images (`v2-<hash>-960.webp`), the hash of the SVG text for
//! social cards (`card-v2-<hash>.png`). The folder is `$BRIEFING_IMAGE_CACHE` when set, else
//! `briefing/images/` in the user's cache folder, never the site's, so a build leaves nothing
//! beside its output. Entries are written to a temporary file and renamed into place, so two
//! builds sharing the folder never see half a file. Nothing is ever evicted: deleting the folder
//! is always safe and only costs the next build the encoding.
//!
//! The cache is a help, not a need: when the folder cannot be made or written, images are
//! encoded as usual and kept in memory for the one build.

use std::path::{Path, PathBuf};

/// The environment variable that names the cache folder.
pub const ENV: &str = "BRIEFING_IMAGE_CACHE";

/// A folder of encoded images, or none (the default).
#[derive(Debug, Clone, Default)]
pub struct Cache {
    dir: Option<PathBuf>,
}

impl Cache {
    /// `$BRIEFING_IMAGE_CACHE`, else `briefing/images/` in the user's cache folder
    /// (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS,
    /// `%LOCALAPPDATA%` on Windows).
    pub fn locate() -> Cache {
        let dir = match std::env::var_os(ENV).filter(|d| !d.is_empty()) {
            Some(dir) => Some(PathBuf::from(dir)),
            None => dirs::cache_dir().map(|d| d.join("briefing").join("images")),
        };
        Cache { dir }
    }

    /// A cache in `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Cache {
        Cache {
            dir: Some(dir.into()),
        }
    }

    /// No cache: everything is encoded again.
    pub fn none() -> Cache {
        Cache { dir: None }
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The kept file of this name, if there is one.
    pub fn get(&self, name: &str) -> Option<PathBuf> {
        let path = self.dir.as_ref()?.join(name);
        path.is_file().then_some(path)
    }

    /// Keeps `bytes` under `name`; `None` when the folder cannot be written (the caller keeps
    /// the bytes in memory instead).
    pub fn put(&self, name: &str, bytes: &[u8]) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        std::fs::create_dir_all(dir).ok()?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(dir)
            .ok()?;
        std::io::Write::write_all(&mut tmp, bytes).ok()?;
        let path = dir.join(name);
        tmp.persist(&path).ok()?;
        Some(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_file_is_found_again() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join("nested"));
        assert_eq!(cache.get("a.png"), None);
        let path = cache.put("a.png", b"bytes").expect("written");
        assert_eq!(cache.get("a.png"), Some(path.clone()));
        assert_eq!(std::fs::read(path).unwrap(), b"bytes");
        // Only the entry: no temporary file is left.
        assert_eq!(
            std::fs::read_dir(dir.path().join("nested"))
                .unwrap()
                .count(),
            1
        );
        assert_eq!(Cache::none().put("a.png", b"x"), None);
    }
}
