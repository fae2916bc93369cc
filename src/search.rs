//! Full-text search with [Pagefind](https://pagefind.app), used as a library: the rendered
//! pages are handed to its indexer in memory, and its bundle (JavaScript, WebAssembly, index
//! shards) comes back as files written into the output like any other, under `pagefind/`.
//! Nothing is downloaded, and nothing reads the output folder back.
//!
//! What a page gives the index is marked in the templates with Pagefind's attributes: the
//! region to index (`data-pagefind-body`), what to leave out (`data-pagefind-ignore`), weights,
//! filters, metadata and the date to sort by. The default theme's `search.js` reads them back.
//!
//! Pages go to Pagefind sorted by path, on one thread: its page numbers follow the order pages
//! arrive in, so that order is what keeps the bundle byte-identical from build to build, and
//! the same after `serve`'s rebuilds as after a full build.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostic::Diagnostic;
use crate::layout::Output;
use crate::session::Sink;

/// Where the bundle goes in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// Whether a page goes into the index: briefs, and the first page of topics and of people,
/// places, organizations and tags (their introductions and profiles).
pub fn indexed(output: Output) -> bool {
    matches!(
        output,
        Output::Brief(_) | Output::Topic(_, 1) | Output::Entity(_, _, 1)
    )
}

/// Pages to index, by root-relative path (`briefs/x/index.html`), with their HTML.
pub type Pages = BTreeMap<String, Arc<str>>;

/// The bundle's files, as (root-relative output path, bytes), sorted by path.
pub type Bundle = Vec<(String, Vec<u8>)>;

/// Indexes `pages`, in the order given (sorted by path, for a bundle that does not change from
/// build to build), and returns the bundle. `language` is the site's BCP 47 tag; Pagefind takes
/// its language subtag to choose the stemmer. `stage` is told when reading the pages and making
/// the bundle are done (for `--timings`).
pub fn bundle(
    language: &str,
    pages: impl IntoIterator<Item = (String, Arc<str>)>,
    stage: &mut dyn FnMut(&'static str),
) -> Result<Bundle, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| failed(e.to_string()))?;
    run(&runtime, language, pages, stage).map_err(failed)
}

fn failed(m: String) -> Diagnostic {
    {
        Diagnostic::global(format!("the search index could not be built: {m}"))
            .with_code("search")
            .with_help(
                "this is a bug in briefing or Pagefind; set `search = false` in site.toml to \
                 build without search meanwhile",
            )
    }
}

fn run(
    runtime: &tokio::runtime::Runtime,
    language: &str,
    pages: impl IntoIterator<Item = (String, Arc<str>)>,
    stage: &mut dyn FnMut(&'static str),
) -> Result<Bundle, String> {
    let language = language
        .split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    runtime.block_on(async move {
        let config = PagefindServiceConfig::builder()
            .force_language(language)
            .keep_index_url(true)
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        // Each page's HTML is let go once read: the index needs a lot of memory of its own.
        for (path, html) in pages {
            index
                .add_html_file(None, Some(format!("/{path}")), html.to_string())
                .await
                .map_err(|e| format!("{path}: {e}"))?;
        }
        stage("search index: read pages");
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        stage("search index: make bundle");
        let mut out: Bundle = files
            .into_iter()
            .map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                let name = name.trim_start_matches("./").trim_start_matches('/');
                let name = name.strip_prefix("pagefind/").unwrap_or(name);
                (format!("{BUNDLE_DIR}/{name}"), f.contents)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    })
}

/// The part of a rendered page the indexer reads. Pagefind takes only what `data-pagefind-*`
/// attributes mark, and the default theme marks only inside `<main>`: the head, header,
/// navigation and footer around it are parsed for nothing. A page with marks outside `<main>`
/// (a template of the site's own) is given whole.
pub fn indexable(html: &str) -> Arc<str> {
    const MARK: &str = "data-pagefind";
    match (html.find("<main"), html.rfind("</main>")) {
        (Some(start), Some(end))
            if start < end && !html[..start].contains(MARK) && !html[end..].contains(MARK) =>
        {
            format!(
                "<html><body>{}</body></html>",
                &html[start..end + "</main>".len()]
            )
            .into()
        }
        _ => html.into(),
    }
}

/// What one rebuild under `serve` changed for the index.
pub struct Change {
    /// The site's language, or `None` when search is now off.
    pub language: Option<String>,
    /// Pages rendered again (or for the first time).
    pub pages: Vec<(String, Arc<str>)>,
    /// Every page the index now has, whether rendered again or not: others are dropped
    /// (pages gone, or no longer indexed, such as a brief's old address that became a
    /// redirect).
    pub indexed: BTreeSet<String>,
    /// Where the bundle goes.
    pub sink: Box<dyn Sink + Send>,
}

/// The index kept by `serve`: every indexed page's HTML, and a thread that rebuilds the bundle
/// after each change without holding up the rebuild that made it. Changes that arrive while
/// it works are taken together.
pub struct Background {
    jobs: Option<mpsc::Sender<Change>>,
    progress: Arc<(Mutex<Progress>, Condvar)>,
    worker: Option<std::thread::JoinHandle<()>>,
}

#[derive(Default)]
struct Progress {
    sent: u64,
    done: u64,
    /// The last bundle that failed, reported by the next rebuild.
    failed: Option<Diagnostic>,
}

impl Background {
    pub fn start() -> Background {
        let (tx, rx) = mpsc::channel::<Change>();
        let progress: Arc<(Mutex<Progress>, Condvar)> = Arc::default();
        let shared = Arc::clone(&progress);
        let worker = std::thread::spawn(move || {
            // Rebuilds the editor waits for come first; the index can lag behind them. Pagefind
            // works on this thread, on tokio's blocking threads and on rayon's: all of them get
            // a lower priority, and its rayon work one thread of its own.
            lower_priority();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .on_thread_start(lower_priority)
                .build();
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .start_handler(|_| lower_priority())
                .build();
            let mut pages = Pages::new();
            let mut written: BTreeSet<String> = BTreeSet::new();
            while let Ok(first) = rx.recv() {
                let mut taken = 1;
                let mut last = apply(&mut pages, first);
                while let Ok(more) = rx.try_recv() {
                    taken += 1;
                    last = apply(&mut pages, more);
                }
                let (language, sink) = last;
                let result = match &language {
                    Some(language) => match (&runtime, &pool) {
                        (Ok(runtime), Ok(pool)) => pool
                            .install(|| run(runtime, language, pages.clone(), &mut |_| {}))
                            .map_err(failed),
                        (Err(e), _) => Err(failed(e.to_string())),
                        (_, Err(e)) => Err(failed(e.to_string())),
                    }
                    .and_then(|files| {
                        for (path, bytes) in &files {
                            sink.write(path, bytes)?;
                        }
                        let now: BTreeSet<String> = files.into_iter().map(|(p, _)| p).collect();
                        for stale in written.difference(&now) {
                            sink.remove(stale)?;
                        }
                        written = now;
                        Ok(())
                    }),
                    None => {
                        pages.clear();
                        let mut result = Ok(());
                        for stale in std::mem::take(&mut written) {
                            result = result.and(sink.remove(&stale));
                        }
                        result
                    }
                };
                let (lock, done) = &*shared;
                let mut p = lock.lock().unwrap_or_else(|p| p.into_inner());
                p.done += taken;
                if let Err(e) = result {
                    p.failed = Some(e);
                }
                done.notify_all();
            }
        });
        Background {
            jobs: Some(tx),
            progress,
            worker: Some(worker),
        }
    }

    /// Hands a rebuild's changes to the thread.
    pub fn send(&self, change: Change) {
        let (lock, _) = &*self.progress;
        let mut p = lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(jobs) = &self.jobs
            && jobs.send(change).is_ok()
        {
            p.sent += 1;
        }
    }

    /// The error of the last bundle that could not be made, once.
    pub fn take_failure(&self) -> Option<Diagnostic> {
        let (lock, _) = &*self.progress;
        lock.lock().unwrap_or_else(|p| p.into_inner()).failed.take()
    }

    /// Waits until every change sent so far is in the written bundle.
    pub fn settle(&self) {
        let (lock, done) = &*self.progress;
        let mut p = lock.lock().unwrap_or_else(|p| p.into_inner());
        while p.done < p.sent {
            p = done.wait(p).unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// Lowers the calling thread's priority (on Linux a thread has a niceness of its own).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(None, 10);
}

fn apply(pages: &mut Pages, change: Change) -> (Option<String>, Box<dyn Sink + Send>) {
    pages.extend(change.pages);
    pages.retain(|path, _| change.indexed.contains(path));
    (change.language, change.sink)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, body: &str) -> Arc<str> {
        format!(
            "<!DOCTYPE html><html lang=en><body><nav>Menu</nav><main data-pagefind-body><h1>{title}</h1><p>{body}</p></main></body></html>"
        )
        .into()
    }

    #[test]
    fn indexes_pages_into_a_bundle_of_files() {
        let mut pages = Pages::new();
        pages.insert(
            "briefs/a/index.html".into(),
            page("Peskov speaks", "The Kremlin said so."),
        );
        let files = bundle("en-GB", pages, &mut |_| {}).expect("a bundle");
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/wasm.en.pagefind"), "{names:?}");
        assert!(
            names
                .iter()
                .all(|n| n.starts_with("pagefind/") && !n.contains("//")),
            "{names:?}"
        );
        assert!(names.iter().any(|n| n.ends_with(".pf_meta")), "{names:?}");
        assert!(names.iter().any(|n| n.contains("/fragment/")), "{names:?}");
    }

    #[test]
    fn only_main_is_read_unless_marks_are_outside_it() {
        let page = "<!DOCTYPE html><html lang=en><head><title>T</title></head><body><nav>Menu</nav><main id=main><article data-pagefind-body>Text</article></main><footer>F</footer></body></html>";
        assert_eq!(
            &*indexable(page),
            "<html><body><main id=main><article data-pagefind-body>Text</article></main></body></html>"
        );
        let marked_outside = page.replace("<nav>", "<nav data-pagefind-ignore>");
        assert_eq!(&*indexable(&marked_outside), marked_outside);
        let no_main = "<html><body><div data-pagefind-body>Text</div></body></html>";
        assert_eq!(&*indexable(no_main), no_main);
    }

    #[test]
    fn the_same_pages_give_the_same_bundle() {
        let mut pages = Pages::new();
        for i in 0..40 {
            pages.insert(
                format!("briefs/b{i}/index.html"),
                page(
                    &format!("Brief {i}"),
                    &format!("Talks in round {i} on sanctions"),
                ),
            );
        }
        let one = bundle("en", pages.clone(), &mut |_| {}).expect("a bundle");
        let two = bundle("en", pages.clone(), &mut |_| {}).expect("a bundle");
        assert_eq!(one, two);
    }
}
