//! `briefing`: a static site generator for news-briefing sites.
//!
//! The build is a pipeline of stages, each a module that takes the previous stage's output:
//!
//! 1. [`config`]: `site.toml` → [`Config`].
//! 2. [`load`]: the site folder → [`load::Sources`] (every file's text).
//! 3. [`parse`]: front matter → typed, validated [`parse::ParsedBrief`]s, topics and pages.
//! 4. [`model`]: cross-linking, with [`markdown`] rendering in its second pass → one [`Site`]
//!    of [`Brief`]s, [`Topic`]s, entities and pages.
//! 5. [`render`]: `&Site` + Tera templates → output files, streamed to a sink.
//! 6. [`write`]: the sink: a staging folder swapped in as `public/` only on success.
//!
//! [`Session`] runs the pipeline again after edits; [`serve`] keeps one alive behind a
//! live-reloading preview server.
//!
//! Every problem is a [`Diagnostic`] carrying file, line and column; stages collect all of them
//! and the build stops after the first stage that found an error.

// Diagnostics are large on purpose (file, span, message, help); they are the cold path.
#![allow(clippy::result_large_err)]

pub mod config;
pub mod diagnostic;
pub mod load;
pub mod markdown;
pub mod model;
pub mod parse;
pub mod render;
pub mod serve;
pub mod session;
pub mod write;

use std::path::{Path, PathBuf};
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
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
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
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site into its output folder. On any error the previous output is left untouched.
pub fn build(opts: &BuildOptions) -> Result<Report, Diagnostics> {
    run(opts, true)
}

/// Does everything [`build`] does except writing the output.
pub fn check(opts: &BuildOptions) -> Result<Report, Diagnostics> {
    run(opts, false)
}

fn run(opts: &BuildOptions, write: bool) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    let output = output_dir(opts)?;
    if write {
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

/// Runs the whole pipeline, handing every output file to `sink`.
pub(crate) fn run_into(
    opts: &BuildOptions,
    sink: &dyn session::Sink,
) -> Result<session::Update, Diagnostics> {
    let start = Instant::now();
    let root = &opts.root;
    let mut config = Config::load(root)?;
    if let Some(url) = &opts.base_url {
        config.base_url = config::normalize_base_url(url).map_err(|msg| {
            Diagnostic::global(format!("--base-url: {msg}"))
                .with_help("pass an absolute URL such as https://example.org/briefs/")
        })?;
    }

    let mut timings = Vec::new();
    let mut lap = Instant::now();
    let mut mark = |name: &'static str| {
        timings.push((name, lap.elapsed()));
        lap = Instant::now();
    };
    let (sources, load_diags) = load::load(root);
    mark("load");
    let mut warnings: Vec<Diagnostic> = load_diags
        .iter()
        .filter(|d| !d.is_error())
        .cloned()
        .collect();
    if load_diags.iter().any(Diagnostic::is_error) {
        let mut d = Diagnostics(load_diags);
        d.sort();
        return Err(d);
    }
    let templates = render::Templates::load(&sources.templates);
    let static_files = sources.static_files.clone();
    let site = model::build(
        config,
        sources,
        &model::Options {
            drafts: opts.drafts,
        },
    );
    // Report template and content problems together.
    let (site, templates) = match (site, templates) {
        (Ok(s), Ok(t)) => (s, t),
        (s, t) => {
            let mut d = Diagnostics::default();
            if let Err(e) = s {
                d.extend(e.0);
            }
            if let Err(e) = t {
                d.extend(e.0);
            }
            d.sort();
            return Err(d);
        }
    };
    warnings.extend(site.warnings.iter().cloned());
    mark("parse, markdown, model");
    let renderer = render::Renderer::new(&site, &templates);
    mark("template data");

    let written = std::sync::Mutex::new(Vec::new());
    let stats = renderer.render_all(|path, bytes| {
        sink.write(path, bytes)?;
        written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(path.to_string());
        Ok(())
    })?;
    copy_static(root, &static_files, sink)?;
    mark("render and write");
    let mut written = written.into_inner().unwrap_or_else(|p| p.into_inner());
    written.extend(
        static_files
            .iter()
            .map(|f| f.to_string_lossy().replace('\\', "/")),
    );
    written.sort();
    let report = Report {
        briefs: site.briefs.len(),
        topics: site.topics.len(),
        pages: stats.pages,
        files: stats.files + static_files.len(),
        output: None,
        elapsed: start.elapsed(),
        timings,
        outputs: stats.by_kind,
        warnings,
    };
    drop(renderer);
    // Freeing a large site's millions of allocations takes a noticeable share of a build, and
    // nothing waits for it: a thread does it (if one cannot be started, the error drops it here).
    let _ = std::thread::Builder::new()
        .name("free-site".into())
        .spawn(move || drop((site, templates)));
    Ok(session::Update {
        report,
        written,
        removed: Vec::new(),
        moved: Vec::new(),
    })
}

fn copy_static(
    root: &Path,
    files: &[PathBuf],
    sink: &dyn session::Sink,
) -> Result<(), Diagnostics> {
    use rayon::prelude::*;
    let dir = root.join(load::STATIC_DIR);
    let errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|f| {
            let rel = f.to_string_lossy().replace('\\', "/");
            sink.copy(&dir.join(f), &rel).err()
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        let mut d = Diagnostics(errors);
        d.sort();
        Err(d)
    }
}
