//! A long-lived build: what `serve` keeps between rebuilds.
//!
//! [`Session::build`] builds the site the first time it is called and, on later calls, only what
//! the changed paths touch, handing every output file that changed to a [`Sink`] and naming the
//! ones that went away. `build` and `check` use a session once; `serve` keeps one for its life.
//!
//! What a session keeps between builds: every source file's text and parsed front matter, each
//! Markdown body as rendered (reused while the links it resolved resolve the same, see
//! [`crate::markdown::Rendered::still_valid`]), the compiled templates, and each output's
//! signature ([`crate::deps::signature`]), and the last site with its structure. A change to one
//! brief re-reads and re-parses that file alone, reuses the site's structure unless structural
//! front matter changed, and renders only the outputs whose signature changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::images::{self, Blob, Processed};
use crate::layout::Output;
use crate::load::{self, ContentKind, SourceFile};
use crate::model::{self, Body, Site, SourceKey};
use crate::parse::{self, ParsedAuthor, ParsedBrief, ParsedPage, ParsedProfile, ParsedTopic};
use crate::render::{Fragments, Renderer, Reuse, Templates};
use crate::{BuildOptions, Report};

/// Where a session's output goes: a staging folder, a served folder, or nowhere (`check`).
pub trait Sink: Sync {
    /// Writes one file at a root-relative output path such as `briefs/x/index.html`.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
    /// Copies a static file (`from`, an absolute path) to the root-relative output `path`.
    fn copy(&self, from: &Path, path: &str) -> Result<(), Diagnostic>;
    /// Removes an output file that the site no longer has.
    fn remove(&self, path: &str) -> Result<(), Diagnostic>;
    /// Whether what is written is kept: `check` keeps nothing, so work done only for the
    /// output (the search index) is skipped.
    fn keeps(&self) -> bool {
        true
    }
    /// A handle that writes into the same place from another thread, after the build has
    /// returned: `serve`'s folder has one, and its search index is made in the background.
    /// `None` where the output must be whole when the build ends (a staging folder).
    fn detached(&self) -> Option<Box<dyn Sink + Send>> {
        None
    }
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
    fn keeps(&self) -> bool {
        false
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

/// One content file as last read: its front matter (and text), or why it is invalid.
type Entry<T> = Result<Arc<T>, Vec<Diagnostic>>;

/// What the last good build produced, to compare the next one with.
struct Last {
    /// Output path → signature.
    signatures: FxHashMap<String, u64>,
    /// Static files copied, relative to `static/`.
    static_files: BTreeSet<String>,
    /// Resized lead images written (their paths name their content).
    images: BTreeSet<String>,
    /// Page-bundle assets copied: output path → source.
    assets: BTreeMap<String, PathBuf>,
    /// The site itself: its structure is reused while front matter keeps it, and its pages'
    /// addresses tell a moved page from a removed one.
    site: Site,
}

/// A build that can be run again after some of its inputs changed.
pub struct Session {
    opts: BuildOptions,
    /// Whether anything has been read yet.
    loaded: bool,
    config: Option<Config>,
    briefs: BTreeMap<PathBuf, Entry<ParsedBrief>>,
    topics: BTreeMap<PathBuf, Entry<ParsedTopic>>,
    pages: BTreeMap<PathBuf, Entry<ParsedPage>>,
    authors: BTreeMap<PathBuf, Entry<ParsedAuthor>>,
    profiles: BTreeMap<PathBuf, Entry<ParsedProfile>>,
    /// Problems the last walk of the site found (links out of the site, misplaced files).
    scan_diagnostics: Vec<Diagnostic>,
    template_files: Vec<SourceFile>,
    /// The site's message tables (`i18n/*.toml`), compiled with the templates.
    message_files: Vec<SourceFile>,
    templates: Option<Arc<Templates>>,
    static_files: Vec<PathBuf>,
    /// Files under `content/` that are not Markdown, relative to the root.
    assets: Vec<PathBuf>,
    /// Assets to copy again although they were there before (the watcher saw them change).
    assets_changed: BTreeSet<PathBuf>,
    /// Static files to copy again although they were there before (the watcher saw them change).
    static_changed: BTreeSet<String>,
    /// What is kept per language tree: one for most sites (see [`crate::translations`]).
    trees: Vec<TreeState>,
    /// The languages `trees` are for, default first: a change of languages starts afresh.
    tree_languages: Vec<String>,
    /// Lead images as the last good build processed them, by source path; an image the
    /// watcher saw change loses its entry.
    lead_images: FxHashMap<PathBuf, Arc<Processed>>,
    /// Whether to keep what later builds reuse; a one-off build does not.
    incremental: bool,
}

/// What a session keeps of one language's tree between builds.
#[derive(Default)]
struct TreeState {
    /// Each file's body as rendered by the last good build, by source key; a file read again
    /// loses its entry.
    bodies: FxHashMap<SourceKey, Arc<Body>>,
    /// Pieces of brief HTML that listings repeat, from the last build.
    fragments: Fragments,
    last: Option<Last>,
    /// The search index `serve` keeps up to date in the background.
    search: Option<crate::search::Background>,
}

/// What writing one tree did, for the build's [`Update`] and report.
struct Emitted {
    written: Vec<String>,
    removed: Vec<String>,
    moved: Vec<(String, String)>,
    stats: crate::render::Stats,
    social_cards: (usize, usize),
}

/// A sink that writes under a language tree's folder (`ru/`): `S` is a borrowed sink during a
/// build, or an owned one for `serve`'s background search index.
struct Prefixed<S> {
    inner: S,
    prefix: String,
}

impl<S: std::ops::Deref<Target = T> + Sync, T: Sink + ?Sized> Sink for Prefixed<S> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.inner.write(&format!("{}{path}", self.prefix), bytes)
    }
    fn copy(&self, from: &Path, path: &str) -> Result<(), Diagnostic> {
        self.inner.copy(from, &format!("{}{path}", self.prefix))
    }
    fn remove(&self, path: &str) -> Result<(), Diagnostic> {
        self.inner.remove(&format!("{}{path}", self.prefix))
    }
    fn keeps(&self) -> bool {
        self.inner.keeps()
    }
    fn detached(&self) -> Option<Box<dyn Sink + Send>> {
        let inner = self.inner.detached()?;
        Some(Box::new(Prefixed {
            inner,
            prefix: self.prefix.clone(),
        }))
    }
}

impl Session {
    pub fn new(opts: BuildOptions) -> Session {
        Session {
            opts,
            loaded: false,
            config: None,
            briefs: BTreeMap::new(),
            topics: BTreeMap::new(),
            pages: BTreeMap::new(),
            authors: BTreeMap::new(),
            profiles: BTreeMap::new(),
            scan_diagnostics: Vec::new(),
            template_files: Vec::new(),
            message_files: Vec::new(),
            templates: None,
            static_files: Vec::new(),
            assets: Vec::new(),
            assets_changed: BTreeSet::new(),
            static_changed: BTreeSet::new(),
            trees: Vec::new(),
            tree_languages: Vec::new(),
            lead_images: FxHashMap::default(),
            incremental: true,
        }
    }

    /// A session for one build only: it keeps nothing for a next one, which saves time and
    /// memory.
    pub(crate) fn once(opts: BuildOptions) -> Session {
        Session {
            incremental: false,
            ..Session::new(opts)
        }
    }

    /// Waits until the search index `serve` makes in the background has caught up with the
    /// last build (for tests and tools that read the output right after a build).
    pub fn settle_search(&self) {
        for search in self.trees.iter().filter_map(|t| t.search.as_ref()) {
            search.settle();
        }
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// The site of the last good build, with its templates: to render single pages outside a
    /// build (benchmarks, tools). On a multilingual site, the default language's tree.
    pub fn last_site(&self) -> Option<(&Site, &Templates)> {
        let last = self.trees.first()?.last.as_ref()?;
        Some((&last.site, self.templates.as_deref()?))
    }

    /// Every language tree's site of the last good build, the default's first.
    pub fn last_sites(&self) -> Vec<&Site> {
        self.trees
            .iter()
            .filter_map(|t| t.last.as_ref().map(|l| &l.site))
            .collect()
    }

    /// Builds the site into `sink`: everything on the first call, afterwards what `changed`
    /// (paths the watcher saw, absolute or relative to the root, files or folders, existing or
    /// not) touches. On error nothing more is written and the next call compares with the last
    /// good build.
    pub fn build(&mut self, changed: &[PathBuf], sink: &dyn Sink) -> Result<Update, Diagnostics> {
        let start = Instant::now();
        let mut timings = Vec::new();
        let mut lap = Instant::now();
        if !self.loaded {
            self.load_all();
        } else {
            self.refresh(changed);
        }
        timings.push(("read, parse front matter", lap.elapsed()));
        lap = Instant::now();
        // Every problem is reported in one run: a broken site.toml, unreadable files and
        // template errors do not stop the rest of the site from being checked.
        let mut problems = Diagnostics::default();
        let config = match self.config() {
            Ok(c) => c,
            Err(e) => {
                problems.extend(e.0);
                // Checking goes on with default settings; the build fails anyway.
                Config::parse("title = \"site\"")?
            }
        };
        problems.extend(
            self.scan_diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned(),
        );
        let templates = self.compiled_templates();
        self.forget_measured();
        let languages: Vec<String> = config.languages.iter().map(|l| l.tag.clone()).collect();
        if self.tree_languages != languages {
            self.trees = languages.iter().map(|_| TreeState::default()).collect();
            self.tree_languages = languages;
        }
        let (inputs, file_languages) = self.model_inputs(&config);
        let opts = model::Options {
            drafts: self.opts.drafts,
            fingerprints: self.incremental,
            future: self.opts.future,
            // Each build reads the clock: under `serve`, a scheduled brief comes out with the
            // first rebuild after its time.
            now: Some(self.opts.now.unwrap_or_else(jiff::Timestamp::now)),
        };
        let multilingual = config.multilingual();
        let mut sites = Vec::with_capacity(inputs.len());
        for (tree, input) in inputs.into_iter().enumerate() {
            let tree_config = if multilingual {
                config.for_language(tree)
            } else {
                config.clone()
            };
            let state = &self.trees[tree];
            let bodies = &state.bodies;
            let cached = |path: &Path| bodies.get(&SourceKey::of(path)).cloned();
            let previous = state.last.as_ref().map(|l| &l.site.structure);
            match model::build(tree_config, input, &opts, &cached, previous) {
                Ok(site) => sites.push(site),
                Err(e) => problems.extend(e.0),
            }
        }
        let templates = match templates {
            Ok(t) if !problems.has_errors() => t,
            t => {
                if let Err(e) = t {
                    problems.extend(e.0);
                }
                problems.sort();
                // A file shown in several trees is reported once.
                problems.0.dedup();
                return Err(problems);
            }
        };
        let mut warnings: Vec<Diagnostic> = self
            .scan_diagnostics
            .iter()
            .filter(|d| !d.is_error())
            .cloned()
            .collect();
        // Warnings about the settings come first, once per reading of site.toml.
        if let Some(c) = &mut self.config {
            warnings.splice(0..0, std::mem::take(&mut c.warnings));
        }
        warnings.extend(templates.warnings().iter().cloned());
        if let Some(first) = sites.first() {
            warnings.extend(first.warnings.iter().cloned());
        }
        if sites.len() > 1 {
            let mut seen: FxHashSet<String> = warnings.iter().map(|w| format!("{w:?}")).collect();
            for (tree, site) in sites.iter().enumerate().skip(1) {
                // Another language's tree repeats the default's warnings about the files it
                // shows untranslated ("a topic with no briefs" among them): only those about
                // its own language's files are its own, each once.
                for w in &site.warnings {
                    let own = w
                        .path
                        .as_deref()
                        .is_some_and(|p| file_languages.get(p) == Some(&tree));
                    if own && seen.insert(format!("{w:?}")) {
                        warnings.push(w.clone());
                    }
                }
            }
        }
        // The index `serve` makes in the background fails after its rebuild has been reported.
        for state in &self.trees {
            if let Some(failed) = state.search.as_ref().and_then(|s| s.take_failure()) {
                warnings.push(failed.warning());
            }
        }
        timings.push(("structure, markdown, model", lap.elapsed()));
        lap = Instant::now();
        if multilingual {
            let table = Arc::new(crate::translations::Translations::of(
                &config,
                &sites,
                file_languages.clone(),
            ));
            for site in &mut sites {
                site.translations = Some(Arc::clone(&table));
            }
            timings.push(("translations", lap.elapsed()));
        }
        let report_counts = (
            sites.iter().map(|s| s.briefs.len()).sum(),
            sites.iter().map(|s| s.topics.len()).sum(),
            sites.first().map(|s| s.image_stats).unwrap_or_default(),
            {
                // A brief held back is held back in every tree that would show it.
                let mut all: Vec<(PathBuf, jiff::Timestamp)> = sites
                    .iter()
                    .flat_map(|s| s.scheduled.iter().cloned())
                    .collect();
                all.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
                all.dedup();
                all
            },
        );
        self.lead_images.clear();
        let mut written = Vec::new();
        let mut removed = Vec::new();
        let mut moved = Vec::new();
        let mut by_kind: Vec<crate::render::KindStats> = Vec::new();
        let mut pages = 0;
        let (mut drawn, mut cached) = (0, 0);
        for (tree, site) in sites.into_iter().enumerate() {
            let prefix = site.config.tree.prefix.clone();
            let prefixed = Prefixed {
                inner: sink,
                prefix: prefix.clone(),
            };
            let tree_sink: &dyn Sink = if prefix.is_empty() { sink } else { &prefixed };
            let emitted = self.emit(tree, site, &templates, tree_sink, &mut timings)?;
            let at = |p: String| format!("{prefix}{p}");
            written.extend(emitted.written.into_iter().map(at));
            removed.extend(emitted.removed.into_iter().map(at));
            moved.extend(emitted.moved.into_iter().map(|(a, b)| (at(a), at(b))));
            pages += emitted.stats.pages;
            drawn += emitted.social_cards.0;
            cached += emitted.social_cards.1;
            for k in emitted.stats.by_kind {
                match by_kind.iter_mut().find(|m| m.name == k.name) {
                    Some(m) => {
                        m.files += k.files;
                        m.bytes += k.bytes;
                        m.render += k.render;
                    }
                    None => by_kind.push(k),
                }
            }
        }
        self.static_changed.clear();
        self.assets_changed.clear();
        written.sort();
        removed.sort();
        moved.sort();
        // A language's stages are timed once per tree: each stage is reported once, summed.
        let mut summed: Vec<(&'static str, std::time::Duration)> = Vec::new();
        for (name, t) in timings {
            match summed.iter_mut().find(|(n, _)| *n == name) {
                Some((_, sum)) => *sum += t,
                None => summed.push((name, t)),
            }
        }
        let social_cards = images::Stats {
            images: drawn + cached,
            encoded: drawn,
            cached,
            time: by_kind
                .iter()
                .find(|k| k.name == crate::layout::OutputKind::SocialCard.name())
                .map_or_else(Default::default, |k| k.render),
        };
        let (briefs, topics, image_stats, scheduled) = report_counts;
        let report = Report {
            briefs,
            topics,
            pages,
            files: written.len(),
            output: None,
            elapsed: start.elapsed(),
            timings: summed,
            outputs: by_kind,
            images: image_stats,
            social_cards,
            warnings,
            scheduled,
        };
        Ok(Update {
            report,
            written,
            removed,
            moved,
        })
    }

    /// Renders and writes one language tree's outputs (all of them, or those whose inputs
    /// changed), copies its static files and assets, and keeps what the next build compares
    /// with.
    fn emit(
        &mut self,
        tree: usize,
        site: Site,
        templates: &Arc<Templates>,
        sink: &dyn Sink,
        timings: &mut Vec<(&'static str, std::time::Duration)>,
    ) -> Result<Emitted, Diagnostics> {
        let mut lap = Instant::now();
        let mut mark = |name: &'static str| {
            timings.push((name, lap.elapsed()));
            lap = Instant::now();
        };
        let translations_fp = site.translations.as_ref().map(|t| t.fingerprint());
        let mut renderer = Renderer::new(&site, templates);
        mark("template data");

        let plan: Vec<Output> = renderer.plan().to_vec();
        let paths: Vec<String> = plan.par_iter().map(|o| o.path(&site)).collect();
        let (todo, signatures) = if self.incremental {
            let fps = crate::deps::fingerprints(&site, &paths);
            renderer = renderer.reusing(Reuse {
                fragments: std::mem::take(&mut self.trees[tree].fragments),
                env: fps.fragment_env(templates),
                cards: fps.cards().to_vec(),
            });
            let signatures: Vec<u64> = plan
                .par_iter()
                .map(|&o| {
                    let sig = crate::deps::signature(&site, templates, &fps, o);
                    // The language switcher and `hreflang` links follow the other trees.
                    match translations_fp {
                        Some(t) => {
                            crate::model::fingerprint(&[&sig.to_le_bytes(), &t.to_le_bytes()])
                        }
                        None => sig,
                    }
                })
                .collect();
            let todo: Vec<Output> = match &self.trees[tree].last {
                Some(last) => plan
                    .iter()
                    .zip(&paths)
                    .zip(&signatures)
                    .filter(|((_, path), sig)| last.signatures.get(*path) != Some(sig))
                    .map(|((o, _), _)| *o)
                    .collect(),
                None => plan.clone(),
            };
            mark("dependencies");
            (todo, Some(signatures))
        } else {
            (plan.clone(), None)
        };

        // Pages for the search index, as they are rendered.
        let searching = site.config.search && sink.keeps();
        let indexed: FxHashSet<&str> = if searching {
            plan.iter()
                .zip(&paths)
                .filter(|(o, _)| crate::search::indexed(**o))
                .map(|(_, p)| p.as_str())
                .collect()
        } else {
            Default::default()
        };
        let to_index = std::sync::Mutex::new(Vec::new());
        let written = std::sync::Mutex::new(Vec::new());
        let stats = renderer.render_some(&todo, |path, bytes| {
            if indexed.contains(path) {
                let html = crate::search::indexable(&String::from_utf8_lossy(bytes));
                to_index
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((path.to_string(), html));
            }
            sink.write(path, bytes)?;
            written
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(path.to_string());
            Ok(())
        })?;
        let mut written = written.into_inner().unwrap_or_else(|p| p.into_inner());
        let to_index = to_index.into_inner().unwrap_or_else(|p| p.into_inner());
        mark("render and write pages");
        let background = sink.detached().filter(|_| self.incremental);
        match background {
            // Under `serve` the index follows in the background; the reload does not wait.
            Some(detached) => {
                let change = crate::search::Change {
                    language: searching.then(|| site.config.language.clone()),
                    pages: to_index,
                    indexed: indexed.iter().map(|p| p.to_string()).collect(),
                    sink: detached,
                };
                if searching || self.trees[tree].search.is_some() {
                    self.trees[tree]
                        .search
                        .get_or_insert_with(crate::search::Background::start)
                        .send(change);
                }
            }
            None if searching => {
                let pages: crate::search::Pages = to_index.into_iter().collect();
                for (path, bytes) in crate::search::bundle(&site.config.language, pages, &mut mark)?
                {
                    sink.write(&path, &bytes)?;
                    written.push(path);
                }
                mark("search index: write");
            }
            None => {}
        }
        let static_now: BTreeSet<String> = site.static_files().iter().cloned().collect();
        let last = self.trees[tree].last.as_ref();
        let to_copy: Vec<&String> = match last {
            Some(last) => static_now
                .iter()
                .filter(|f| !last.static_files.contains(*f) || self.static_changed.contains(*f))
                .collect(),
            None => static_now.iter().collect(),
        };
        let dir = self.root().join(load::STATIC_DIR);
        let copies: Vec<(PathBuf, &str)> = to_copy
            .iter()
            .map(|f| (dir.join(f.as_str()), f.as_str()))
            .collect();
        copy_all(&copies, sink)?;
        written.extend(to_copy.into_iter().cloned());
        let assets_now: BTreeMap<String, PathBuf> = site.assets.iter().cloned().collect();
        let assets_to_copy: Vec<(&String, &PathBuf)> = assets_now
            .iter()
            .filter(|(dest, source)| match last {
                Some(last) => {
                    last.assets.get(*dest) != Some(*source) || self.assets_changed.contains(*source)
                }
                None => true,
            })
            .collect();
        let copies: Vec<(PathBuf, &str)> = assets_to_copy
            .iter()
            .map(|(dest, source)| (self.root().join(source), dest.as_str()))
            .collect();
        copy_all(&copies, sink)?;
        written.extend(assets_to_copy.into_iter().map(|(dest, _)| dest.clone()));
        mark("copy static files and assets");
        // Lead images' paths name their content: one written before is still right.
        let images_now: BTreeSet<String> = site.images.iter().map(|(p, _)| p.clone()).collect();
        let images_to_write: Vec<&(String, Blob)> = site
            .images
            .iter()
            .filter(|(p, _)| last.is_none_or(|l| !l.images.contains(p)))
            .collect();
        write_all(&images_to_write, sink)?;
        written.extend(images_to_write.iter().map(|(p, _)| p.clone()));
        if !site.images.is_empty() {
            mark("write lead images");
        }

        let mut removed = Vec::new();
        let mut moved = Vec::new();
        let mut kept = None;
        if let Some(signatures) = signatures {
            let now: FxHashMap<String, u64> = paths.iter().cloned().zip(signatures).collect();
            if let Some(last) = last {
                removed.extend(
                    last.signatures
                        .keys()
                        .filter(|p| !now.contains_key(*p))
                        .cloned(),
                );
                removed.extend(
                    last.static_files
                        .iter()
                        .filter(|f| !static_now.contains(*f) && !now.contains_key(*f))
                        .cloned(),
                );
                removed.extend(
                    last.images
                        .iter()
                        .filter(|p| !images_now.contains(*p) && !now.contains_key(*p))
                        .cloned(),
                );
                removed.extend(
                    last.assets
                        .keys()
                        .filter(|f| {
                            !assets_now.contains_key(*f)
                                && !static_now.contains(*f)
                                && !now.contains_key(*f)
                        })
                        .cloned(),
                );
                moved = moved_briefs(&last.site, &site);
            }
            for path in &removed {
                sink.remove(path)?;
            }
            kept = Some((now, static_now, assets_now, images_now));
        }
        let social_cards = renderer.social_card_counts();
        self.trees[tree].fragments = renderer.into_fragments();
        match kept {
            Some((signatures, static_files, assets, images)) => {
                self.keep(tree, site, signatures, static_files, assets, images)
            }
            None => {
                // Freeing a large site's millions of allocations takes a noticeable share of a
                // build, and nothing waits for it: a thread does it (if one cannot be started,
                // the error drops it here).
                let templates = Arc::clone(templates);
                let _ = std::thread::Builder::new()
                    .name("free-site".into())
                    .spawn(move || drop((site, templates)));
            }
        }
        Ok(Emitted {
            written,
            removed,
            moved,
            stats,
            social_cards,
        })
    }

    /// Reads everything: the first build.
    fn load_all(&mut self) {
        let root = self.opts.root.clone();
        let (paths, mut diags) = load::scan(&root);
        self.static_files = paths.static_files;
        self.assets = paths.assets;
        self.template_files = load::read_templates(&root, paths.templates, &mut diags);
        self.message_files = load::read_messages(&root, paths.messages, &mut diags);
        let mut files = paths.briefs;
        files.extend(paths.topics);
        files.extend(paths.pages);
        files.extend(paths.authors);
        files.extend(paths.profiles);
        let files = load::read_all(&root, files, &mut diags);
        // Read errors are kept apart: they are reported like scan problems.
        self.scan_diagnostics = diags;
        self.put_files(files);
        self.loaded = true;
    }

    /// Takes in what changed on disk since the last build.
    fn refresh(&mut self, changed: &[PathBuf]) {
        let root = self.opts.root.clone();
        let canon_root = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
        let mut rescan = changed.is_empty();
        let mut reread: Vec<PathBuf> = Vec::new();
        let mut templates = changed.is_empty();
        if changed.is_empty() {
            // Nothing named: check everything, keeping what turns out unchanged.
            self.config = None;
            self.lead_images.clear();
            reread.extend(self.briefs.keys().cloned());
            reread.extend(self.topics.keys().cloned());
            reread.extend(self.pages.keys().cloned());
            reread.extend(self.authors.keys().cloned());
            reread.extend(self.profiles.keys().cloned());
            self.static_changed.extend(
                self.static_files
                    .iter()
                    .map(|p| p.to_string_lossy().replace('\\', "/")),
            );
        }
        for path in changed {
            let rel = path
                .strip_prefix(&root)
                .or_else(|_| path.strip_prefix(&canon_root))
                .unwrap_or(path)
                .to_path_buf();
            if rel == Path::new(CONFIG_FILE) {
                self.config = None;
            } else if rel.starts_with(load::TEMPLATES_DIR) || rel.starts_with(load::I18N_DIR) {
                // Messages are compiled with the templates: either makes them anew.
                templates = true;
            } else if let Ok(inside) = rel.strip_prefix(load::STATIC_DIR) {
                self.static_changed
                    .insert(inside.to_string_lossy().replace('\\', "/"));
                rescan = true;
            } else if rel.starts_with(load::CONTENT_DIR) && load::content_kind(&rel).is_none() {
                // Not Markdown: an asset beside a content file (or a misplaced file).
                self.assets_changed.insert(rel);
                rescan = true;
            } else if rel.starts_with(load::CONTENT_DIR) {
                let is_file = std::fs::symlink_metadata(root.join(&rel))
                    .is_ok_and(|m| m.file_type().is_file());
                if is_file && self.knows(&rel) {
                    // An edited file that was already known: read it alone.
                    reread.push(rel);
                } else {
                    // Anything else (new, deleted, renamed, a folder): walk the site again.
                    rescan = true;
                }
            }
        }
        if rescan || templates {
            let (paths, mut diags) = load::scan(&root);
            self.static_files = paths.static_files;
            self.assets = paths.assets;
            if rescan {
                let present: BTreeSet<&PathBuf> = paths
                    .briefs
                    .iter()
                    .chain(&paths.topics)
                    .chain(&paths.pages)
                    .chain(&paths.authors)
                    .chain(&paths.profiles)
                    .collect();
                self.briefs.retain(|p, _| present.contains(p));
                self.topics.retain(|p, _| present.contains(p));
                self.pages.retain(|p, _| present.contains(p));
                self.authors.retain(|p, _| present.contains(p));
                self.profiles.retain(|p, _| present.contains(p));
                let new: Vec<PathBuf> = present
                    .into_iter()
                    .filter(|p| !self.knows(p))
                    .cloned()
                    .collect();
                reread.extend(new);
            }
            let names: Vec<PathBuf> = self
                .template_files
                .iter()
                .map(|t| Path::new(load::TEMPLATES_DIR).join(&t.path))
                .collect();
            let message_names: Vec<PathBuf> = self
                .message_files
                .iter()
                .map(|t| Path::new(load::I18N_DIR).join(&t.path))
                .collect();
            if templates || names != paths.templates || message_names != paths.messages {
                self.template_files = load::read_templates(&root, paths.templates, &mut diags);
                self.message_files = load::read_messages(&root, paths.messages, &mut diags);
                self.templates = None;
            }
            self.scan_diagnostics = diags;
        }
        reread.sort();
        reread.dedup();
        let mut diags = Vec::new();
        let files = load::read_all(&root, reread, &mut diags);
        for d in diags {
            // A file that cannot be read is out of the site until it can be; one that vanished
            // between the event and the read is simply gone.
            if let Some(p) = &d.path {
                self.briefs.remove(p);
                self.topics.remove(p);
                self.pages.remove(p);
                self.authors.remove(p);
                self.profiles.remove(p);
                if std::fs::symlink_metadata(root.join(p)).is_err() {
                    continue;
                }
            }
            self.scan_diagnostics.push(d);
        }
        self.put_files(files);
    }

    /// The text a file had when it was last read and parsed without error.
    fn text_of(&self, path: &Path) -> Option<&str> {
        match load::content_kind(path)? {
            ContentKind::Brief => text(self.briefs.get(path)?, |p| &p.file.text),
            ContentKind::Topic => text(self.topics.get(path)?, |p| &p.file.text),
            ContentKind::Page => text(self.pages.get(path)?, |p| &p.file.text),
            ContentKind::Author => text(self.authors.get(path)?, |p| &p.file.text),
            ContentKind::Profile(_) => text(self.profiles.get(path)?, |p| &p.file.text),
        }
    }

    /// Whether the content file at `path` was read before (whether or not it was valid).
    fn knows(&self, path: &Path) -> bool {
        match load::content_kind(path) {
            Some(ContentKind::Brief) => self.briefs.contains_key(path),
            Some(ContentKind::Topic) => self.topics.contains_key(path),
            Some(ContentKind::Page) => self.pages.contains_key(path),
            Some(ContentKind::Author) => self.authors.contains_key(path),
            Some(ContentKind::Profile(_)) => self.profiles.contains_key(path),
            None => false,
        }
    }

    /// Parses files (in parallel) and keeps them, replacing what was known of them. A file
    /// whose text did not change (an editor saving without edits) is kept as it was.
    fn put_files(&mut self, files: Vec<SourceFile>) {
        let files: Vec<SourceFile> = files
            .into_iter()
            .filter(|f| self.text_of(&f.path) != Some(f.text.as_str()))
            .collect();
        for f in &files {
            // Its text changed: its body must be rendered again.
            for t in &mut self.trees {
                t.bodies.remove(&SourceKey::of(&f.path));
            }
        }
        enum Parsed {
            Brief(Entry<ParsedBrief>),
            Topic(Entry<ParsedTopic>),
            Page(Entry<ParsedPage>),
            Author(Entry<ParsedAuthor>),
            Profile(Entry<ParsedProfile>),
        }
        // Every path here came from a walk that sorted it into one of the content folders.
        let parsed: Vec<(PathBuf, Parsed)> = files
            .into_par_iter()
            .filter_map(|f| {
                let path = f.path.clone();
                let parsed = match load::content_kind(&path)? {
                    ContentKind::Brief => Parsed::Brief(parse::parse_brief(f).map(Arc::new)),
                    ContentKind::Topic => Parsed::Topic(parse::parse_topic(f).map(Arc::new)),
                    ContentKind::Page => Parsed::Page(parse::parse_page(f).map(Arc::new)),
                    ContentKind::Author => Parsed::Author(parse::parse_author(f).map(Arc::new)),
                    ContentKind::Profile(kind) => {
                        Parsed::Profile(parse::parse_profile(f, kind).map(Arc::new))
                    }
                };
                Some((path, parsed))
            })
            .collect();
        for (path, p) in parsed {
            match p {
                Parsed::Brief(parsed) => {
                    self.briefs.insert(path, parsed);
                }
                Parsed::Topic(parsed) => {
                    self.topics.insert(path, parsed);
                }
                Parsed::Page(parsed) => {
                    self.pages.insert(path, parsed);
                }
                Parsed::Author(parsed) => {
                    self.authors.insert(path, parsed);
                }
                Parsed::Profile(parsed) => {
                    self.profiles.insert(path, parsed);
                }
            }
        }
    }

    /// The settings, read again when `site.toml` changed. A change of settings may change how
    /// every body renders (`unsafe_html`), so kept bodies are dropped then.
    fn config(&mut self) -> Result<Config, Diagnostics> {
        if let Some(c) = &self.config {
            return Ok(c.clone());
        }
        let mut config = Config::load(&self.opts.root)?;
        if let Some(url) = &self.opts.base_url {
            config.set_base_url(url).map_err(|msg| {
                Diagnostic::global(format!("--base-url: {msg}"))
                    .with_help("pass an absolute URL such as https://example.org/briefs/")
            })?;
        }
        for t in &mut self.trees {
            t.bodies.clear();
        }
        self.config = Some(config.clone());
        Ok(config)
    }

    /// Drops kept bodies that measured an image that changed since: their `width` and `height`
    /// are read again.
    fn forget_measured(&mut self) {
        if self.static_changed.is_empty() && self.assets_changed.is_empty() {
            return;
        }
        let changed: BTreeSet<PathBuf> = self
            .static_changed
            .iter()
            .map(|f| Path::new(load::STATIC_DIR).join(f))
            .chain(self.assets_changed.iter().cloned())
            .collect();
        for t in &mut self.trees {
            t.bodies
                .retain(|_, body| !body.rendered.measured_any(&changed));
        }
        self.lead_images
            .retain(|source, _| !changed.contains(source));
    }

    /// The ids the templates use literally, which content must leave to them.
    fn reserved_ids(&self) -> Vec<String> {
        crate::render::templates::literal_ids(&self.template_files)
    }

    /// The compiled templates, compiled again only when a template file changed.
    fn compiled_templates(&mut self) -> Result<Arc<Templates>, Diagnostics> {
        if let Some(t) = &self.templates {
            return Ok(t.clone());
        }
        let t = Arc::new(Templates::load(&self.template_files, &self.message_files)?);
        if self.incremental {
            self.templates = Some(t.clone());
        }
        Ok(t)
    }

    /// The parsed files for the model, one input per language tree; a one-off build of a
    /// site in one language hands its files over instead of sharing them, so the model can
    /// free each brief's text once it is rendered.
    fn model_inputs(&mut self, config: &Config) -> (Vec<model::Input>, FxHashMap<PathBuf, usize>) {
        let mut input = model::Input {
            static_files: self
                .static_files
                .iter()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .collect(),
            assets: self.assets.clone(),
            broken: self
                .scan_diagnostics
                .iter()
                .filter(|d| d.is_error())
                .filter_map(|d| d.path.clone())
                .collect(),
            reserved_ids: self.reserved_ids(),
            root: Some(self.opts.root.clone()),
            image_cache: match &self.opts.image_cache {
                Some(dir) => images::Cache::at(dir),
                None => images::Cache::locate(),
            },
            images: self.lead_images.clone(),
            ..Default::default()
        };
        fn take<T>(
            map: &mut BTreeMap<PathBuf, Entry<T>>,
            keep: bool,
            input: &mut model::Input,
            out: impl Fn(&mut model::Input) -> &mut Vec<Arc<T>>,
        ) {
            let entries: Vec<(PathBuf, Entry<T>)> = if keep {
                map.iter().map(|(p, e)| (p.clone(), e.clone())).collect()
            } else {
                std::mem::take(map).into_iter().collect()
            };
            for (path, e) in entries {
                match e {
                    Ok(p) => out(input).push(p),
                    Err(d) => {
                        input.diagnostics.extend(d);
                        input.broken.push(path);
                    }
                }
            }
        }
        let keep = self.incremental || config.multilingual();
        take(&mut self.briefs, keep, &mut input, |i| &mut i.briefs);
        take(&mut self.topics, keep, &mut input, |i| &mut i.topics);
        take(&mut self.pages, keep, &mut input, |i| &mut i.pages);
        take(&mut self.authors, keep, &mut input, |i| &mut i.authors);
        take(&mut self.profiles, keep, &mut input, |i| &mut i.profiles);
        input.broken.sort();
        if !config.multilingual() {
            return (vec![input], FxHashMap::default());
        }
        let mut languages = FxHashMap::default();
        let inputs = (0..config.languages.len())
            .map(|tree| {
                let tree_config = config.for_language(tree);
                let mut aliases = Vec::new();
                let mut elsewhere = Vec::new();
                // A draft is out of the build without `--drafts`: its original stands in.
                let drafts = self.opts.drafts;
                let briefs =
                    crate::translations::select(&input.briefs, &tree_config, tree, false, |b| {
                        b.draft && !drafts
                    });
                let topics =
                    crate::translations::select(&input.topics, &tree_config, tree, true, |_| false);
                let pages =
                    crate::translations::select(&input.pages, &tree_config, tree, false, |_| false);
                let authors =
                    crate::translations::select(&input.authors, &tree_config, tree, true, |_| {
                        false
                    });
                let profiles =
                    crate::translations::select(&input.profiles, &tree_config, tree, true, |_| {
                        false
                    });
                let mut diagnostics = Vec::new();
                if tree == 0 {
                    // Every tree finds the same problems: the default's reports them.
                    diagnostics.extend(input.diagnostics.iter().cloned());
                    for found in [
                        &briefs.languages,
                        &topics.languages,
                        &pages.languages,
                        &authors.languages,
                        &profiles.languages,
                    ] {
                        languages.extend(found.iter().cloned());
                    }
                    for found in [
                        &briefs.diagnostics,
                        &topics.diagnostics,
                        &pages.diagnostics,
                        &authors.diagnostics,
                        &profiles.diagnostics,
                    ] {
                        diagnostics.extend(found.iter().cloned());
                    }
                }
                for sel in [
                    (briefs.aliases, briefs.elsewhere),
                    (topics.aliases, topics.elsewhere),
                    (pages.aliases, pages.elsewhere),
                    (authors.aliases, authors.elsewhere),
                    (profiles.aliases, profiles.elsewhere),
                ] {
                    aliases.extend(sel.0);
                    elsewhere.extend(sel.1);
                }
                model::Input {
                    briefs: briefs.shown,
                    topics: topics.shown,
                    pages: pages.shown,
                    authors: authors.shown,
                    profiles: profiles.shown,
                    static_files: input.static_files.clone(),
                    assets: input.assets.clone(),
                    broken: input.broken.clone(),
                    reserved_ids: input.reserved_ids.clone(),
                    root: input.root.clone(),
                    diagnostics,
                    image_cache: input.image_cache.clone(),
                    images: input.images.clone(),
                    aliases,
                    elsewhere,
                }
            })
            .collect();
        (inputs, languages)
    }

    /// Keeps what the next build compares with and reuses.
    fn keep(
        &mut self,
        tree: usize,
        site: Site,
        signatures: FxHashMap<String, u64>,
        static_files: BTreeSet<String>,
        assets: BTreeMap<String, PathBuf>,
        images: BTreeSet<String>,
    ) {
        let state = &mut self.trees[tree];
        state.bodies.clear();
        let profile_images = site
            .entities
            .iter()
            .flatten()
            .filter_map(|e| e.profile.as_ref()?.image.as_ref());
        let lead_images: Vec<(PathBuf, Arc<Processed>)> = site
            .briefs
            .iter()
            .filter_map(|b| b.image.as_ref())
            .chain(profile_images)
            .map(|p| (p.source.clone(), Arc::clone(p)))
            .collect();
        self.lead_images.extend(lead_images);
        let state = &mut self.trees[tree];
        let bodies = site
            .briefs
            .iter()
            .map(|b| (b.key, &b.body))
            .chain(site.topics.iter().map(|t| (t.key, &t.body)))
            .chain(site.pages.iter().map(|p| (p.key, &p.body)))
            .chain(
                site.authors
                    .iter()
                    .filter_map(|a| a.profile.as_ref().map(|p| (p.key, &p.body))),
            )
            .chain(
                site.entities
                    .iter()
                    .flatten()
                    .filter_map(|e| e.profile.as_ref().map(|p| (p.key, &p.body))),
            );
        state
            .bodies
            .extend(bodies.map(|(key, body)| (key, Arc::clone(body))));
        // The previous site is dropped here, after the new one is made: a rebuild's share of
        // freeing is one site's worth.
        state.last = Some(Last {
            signatures,
            static_files,
            images,
            assets,
            site,
        });
    }
}

/// The text of a valid file.
fn text<T>(entry: &Entry<T>, text: impl Fn(&T) -> &str) -> Option<&str> {
    entry.as_ref().ok().map(|p| text(p))
}

/// Brief pages whose address changed since the last build: the same file under a new slug, or
/// a renamed file (a brief that vanished and one that appeared, paired by title).
fn moved_briefs(last: &Site, site: &Site) -> Vec<(String, String)> {
    let now: FxHashMap<SourceKey, &model::Brief> = site.briefs.iter().map(|b| (b.key, b)).collect();
    let before: FxHashMap<SourceKey, &model::Brief> =
        last.briefs.iter().map(|b| (b.key, b)).collect();
    let mut moved = Vec::new();
    let mut gone: Vec<&model::Brief> = Vec::new();
    for b in &last.briefs {
        match now.get(&b.key) {
            Some(n) if n.url != b.url => moved.push((b.url.clone(), n.url.clone())),
            Some(_) => {}
            None => gone.push(b),
        }
    }
    if !gone.is_empty() {
        let mut new: Vec<&model::Brief> = site
            .briefs
            .iter()
            .filter(|b| !before.contains_key(&b.key))
            .collect();
        for old in gone {
            if let Some(i) = new.iter().position(|b| b.title() == old.title()) {
                let b = new.remove(i);
                moved.push((old.url.clone(), b.url.clone()));
            }
        }
    }
    moved.sort();
    moved.dedup();
    moved
}

/// Writes resized lead images into the sink, in parallel, with every failure.
fn write_all(files: &[&(String, Blob)], sink: &dyn Sink) -> Result<(), Diagnostics> {
    let errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|(path, blob)| match blob.bytes() {
            Ok(bytes) => sink.write(path, &bytes).err(),
            Err(e) => Some(
                Diagnostic::global(format!(
                    "cannot read the resized image {path} from the image cache: {e}"
                ))
                .with_code("write")
                .with_help(format!(
                    "build again; if it happens again, delete the image cache ({})",
                    images::cache::ENV
                )),
            ),
        })
        .collect();
    all_or_nothing(errors)
}

/// The failures of work done in parallel, sorted, or `Ok` when there were none.
fn all_or_nothing(errors: Vec<Diagnostic>) -> Result<(), Diagnostics> {
    if errors.is_empty() {
        return Ok(());
    }
    let mut d = Diagnostics(errors);
    d.sort();
    Err(d)
}

/// Copies files (absolute source, output path) into the sink, in parallel, with every failure.
fn copy_all(files: &[(PathBuf, &str)], sink: &dyn Sink) -> Result<(), Diagnostics> {
    let errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|(from, to)| sink.copy(from, to).err())
        .collect();
    all_or_nothing(errors)
}
