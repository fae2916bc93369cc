//! `briefing`: a static site generator for news-briefing sites.
//!
//! The build is a pipeline of stages, each a module that takes the previous stage's output:
//!
//! 1. [`config`]: `site.toml` → [`Config`].
//! 2. [`load`]: the site folder → the paths and text of every source file.
//! 3. [`parse`]: front matter → typed, validated [`parse::ParsedBrief`]s, topics and pages.
//! 4. [`model`]: the site's structure from front matter (order, topics, entities, every output
//!    path from [`layout`]), then [`markdown`] bodies with their links resolved, lead
//!    [`images`] read and resized, then the cross-links → one [`Site`] of [`Brief`]s,
//!    [`Topic`]s, entities, pages and authors.
//! 5. [`render`]: `&Site` + Tera templates → the output files [`layout::plan`] lists, one
//!    module of template data per page kind, streamed to a sink.
//! 6. [`write`](mod@write): the sinks: a staging folder swapped in as `public/` only on success, or a
//!    folder written file by file.
//!
//! A [`Session`] runs the pipeline and can run it again after edits: it keeps each file's parsed
//! front matter and rendered body, reuses the site's structure while front matter keeps it, and
//! renders only the outputs whose inputs changed, as [`deps`] (the dependency map) tells.
//! [`serve`] keeps one session alive behind a live-reloading preview server. `build` and
//! `check` run a session once.
//!
//! [`i18n`] holds the interface's languages (message tables, plural rules, date formats) that
//! [`render`] reads per page.
//!
//! [`external`] checks the site's web links over HTTP after a check ([`check_external`]); it is
//! the only part that touches the network.
//! Authors' tools stand beside the pipeline: [`scaffold`] writes a starter site (`init`) and new
//! briefs, topics and pages (`new`) that the pipeline accepts as written; [`manual`] makes the
//! man pages from the command-line definition.
//!
//! Every problem is a [`Diagnostic`] carrying file, line and column; stages collect all of them
//! and the build stops after the first stage that found an error.

// Diagnostics are large on purpose (file, span, message, help); they are the cold path.
#![allow(clippy::result_large_err)]

pub mod config;
pub mod deps;
pub mod diagnostic;
pub mod external;
pub mod i18n;
pub mod images;
pub mod layout;
pub mod load;
pub mod manual;
pub mod markdown;
pub mod model;
pub mod parse;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod session;
pub mod translations;
pub mod write;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use config::Config;
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use model::{Brief, Site, Topic};
pub use session::{Session, Sink, Update};

/// What to build, from where to where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (holding `site.toml`).
    pub root: PathBuf,
    /// Output folder; defaults to `output_dir` from `site.toml`, relative to the root.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Publish briefs dated in the future too, marked as scheduled (`--future`).
    pub future: bool,
    /// The build's clock (`--now`), for reproducible builds; by default the time of the build.
    pub now: Option<jiff::Timestamp>,
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Where resized lead images and social cards are kept between builds; `None` is
    /// `$BRIEFING_IMAGE_CACHE`, else `briefing/images/` in the user's cache folder.
    pub image_cache: Option<PathBuf>,
}

/// What a successful build or check did.
#[derive(Debug, Clone)]
pub struct Report {
    pub briefs: usize,
    pub topics: usize,
    pub pages: usize,
    pub files: usize,
    pub output: Option<PathBuf>,
    pub elapsed: Duration,
    /// Wall time of each stage, in pipeline order (shown by `--timings`).
    pub timings: Vec<(&'static str, Duration)>,
    /// Files, bytes and render time per template (shown by `--timings`).
    pub outputs: Vec<render::KindStats>,
    /// Lead images made or reused (shown by `--timings`).
    pub images: images::Stats,
    /// Social cards drawn or reused (shown by `--timings`).
    pub social_cards: images::Stats,
    pub warnings: Vec<Diagnostic>,
    /// Briefs held back until their time (without `--future`), soonest first.
    pub scheduled: Vec<(PathBuf, jiff::Timestamp)>,
}

/// Builds the site into its output folder. On any error the previous output is left untouched.
pub fn build(opts: &BuildOptions) -> Result<Report, Diagnostics> {
    run(opts, true)
}

/// Does everything [`build`] does except writing the output.
pub fn check(opts: &BuildOptions) -> Result<Report, Diagnostics> {
    run(opts, false)
}

/// Does what [`check`] does, then checks every external link of the site over HTTP (see
/// [`external`]). Broken links are errors; links that could not be checked are warnings.
pub fn check_external(
    opts: &BuildOptions,
    external: &external::Options,
) -> Result<(Report, external::Summary), Diagnostics> {
    // A session that keeps its site (and the source text the links are located in), unlike the
    // one-off session of `check`.
    let mut session = Session::new(opts.clone());
    let mut report = session.build(&[], &session::NullSink)?.report;
    let lap = Instant::now();
    // Every language's tree: a translation has links of its own. A file shown in several
    // trees (untranslated) is checked once.
    let mut links = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for site in session.last_sites() {
        for link in external::links(site) {
            if seen.insert((link.path.clone(), link.span.start, link.url.clone())) {
                links.push(link);
            }
        }
    }
    let checked = external::check(&opts.root, &links, external);
    report.timings.push(("external links", lap.elapsed()));
    let (errors, warnings): (Vec<_>, Vec<_>) = checked
        .diagnostics
        .into_iter()
        .partition(Diagnostic::is_error);
    report.warnings.extend(warnings);
    if errors.is_empty() {
        return Ok((report, checked.summary));
    }
    let mut all = Diagnostics(report.warnings);
    all.extend(errors);
    all.sort();
    Err(all)
}

fn run(opts: &BuildOptions, write: bool) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    if write {
        let output = match output_dir(opts) {
            Ok(o) => o,
            // Without settings there is no output folder, but the rest of the site can still be
            // checked, so the author sees every problem at once (the settings' among them).
            Err(e) => return Err(run_into(opts, &session::NullSink).err().unwrap_or(e)),
        };
        let staging = write::Staging::create(&opts.root, &output)?;
        let mut update = run_into(opts, &staging)?;
        let lap = Instant::now();
        staging.commit()?;
        update
            .report
            .timings
            .push(("swap in, remove old output", lap.elapsed()));
        update.report.output = Some(output);
        update.report.elapsed = start.elapsed();
        Ok(update.report)
    } else {
        Ok(run_into(opts, &session::NullSink)?.report)
    }
}

/// Where `build` writes: `--output`, else `output_dir` from `site.toml` under the root.
fn output_dir(opts: &BuildOptions) -> Result<PathBuf, Diagnostics> {
    if let Some(out) = &opts.output {
        return Ok(out.clone());
    }
    let config = Config::load(&opts.root)?;
    Ok(opts.root.join(&config.output_dir))
}

/// Runs the whole pipeline once, handing every output file to `sink`.
pub(crate) fn run_into(
    opts: &BuildOptions,
    sink: &dyn session::Sink,
) -> Result<session::Update, Diagnostics> {
    session::Session::once(opts.clone()).build(&[], sink)
}
