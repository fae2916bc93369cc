//! Full-text search with [Pagefind](https://pagefind.app), used as a library: pages are handed to
//! its indexer as they are rendered, on a thread of its own, and its bundle (JavaScript,
//! WebAssembly, index shards) comes back as files to write into the output like any other, under
//! `pagefind/`. Nothing is downloaded, and nothing reads the output folder back.

use std::sync::mpsc;
use std::thread::JoinHandle;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostic::Diagnostic;

/// Where the bundle goes in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// Whether a page goes into the index: briefs, and the first page of topics and of people,
/// places, organizations and tags (their profiles and introductions).
pub fn indexed(output: crate::layout::Output) -> bool {
    use crate::layout::Output;
    matches!(
        output,
        Output::Brief(_) | Output::Topic(_, 1) | Output::Entity(_, _, 1)
    )
}

/// An index being built: [`Indexer::add`] from any thread, then [`Indexer::finish`].
pub struct Indexer {
    pages: Option<mpsc::Sender<(String, String)>>,
    worker: Option<JoinHandle<Result<Vec<(String, Vec<u8>)>, String>>>,
}

impl Indexer {
    /// Starts the indexing thread; `language` is the site's (a BCP 47 tag, of which Pagefind
    /// takes the language).
    pub fn start(language: &str) -> Indexer {
        let (tx, rx) = mpsc::channel::<(String, String)>();
        let language = language
            .split('-')
            .next()
            .unwrap_or("en")
            .to_ascii_lowercase();
        let worker = std::thread::spawn(move || -> Result<Vec<(String, Vec<u8>)>, String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async move {
                let config = PagefindServiceConfig::builder()
                    .force_language(language)
                    .keep_index_url(true)
                    .build();
                let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
                // Pages arrive in whatever order threads render them; Pagefind sorts its
                // output, so the bundle does not depend on it.
                for (url, html) in rx {
                    index
                        .add_html_file(None, Some(url), html)
                        .await
                        .map_err(|e| e.to_string())?;
                }
                let files = index.get_files().await.map_err(|e| e.to_string())?;
                let mut out: Vec<(String, Vec<u8>)> = files
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
        });
        Indexer {
            pages: Some(tx),
            worker: Some(worker),
        }
    }

    /// Indexes a rendered page at its root-relative `path`.
    pub fn add(&self, path: &str, html: &[u8]) {
        if let Some(tx) = &self.pages {
            // The indexer stops only on an error, which `finish` reports.
            let _ = tx.send((
                format!("/{path}"),
                String::from_utf8_lossy(html).into_owned(),
            ));
        }
    }

    /// The bundle's files: (output path, bytes), sorted by path.
    pub fn finish(mut self) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
        drop(self.pages.take());
        let worker = self.worker.take().expect("finish runs once");
        let failed = |m: String| {
            Diagnostic::global(format!("the search index could not be built: {m}"))
                .with_code("search")
                .with_help("this is a bug in briefing or Pagefind; set `search = false` in site.toml to build without search meanwhile")
        };
        match worker.join() {
            Ok(result) => result.map_err(failed),
            Err(_) => Err(failed("the indexing thread stopped".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_pages_into_a_bundle_of_files() {
        let index = Indexer::start("en-GB");
        index.add(
            "briefs/a/index.html",
            b"<html lang=en><body><main data-pagefind-body><h1>Peskov speaks</h1><p>The Kremlin said so.</p></main></body></html>",
        );
        let files = index.finish().expect("a bundle");
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(
            names
                .iter()
                .all(|n| n.starts_with("pagefind/") && !n.contains("//")),
            "{names:?}"
        );
        assert!(names.iter().any(|n| n.ends_with(".pf_meta")), "{names:?}");
        assert!(names.iter().any(|n| n.contains("/fragment/")), "{names:?}");
    }
}
