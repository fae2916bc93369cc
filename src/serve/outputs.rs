//! What the served folder holds, so each rebuild's [`Update`] can be completed before pages
//! hear about it.
//!
//! A session reports what it wrote, removed and moved. A session that rebuilds everything on
//! each call (the first, naive one) writes the whole site and reports no removals, so a deleted
//! brief's page would linger in the served folder; and one that reports removals may still not
//! pair them into moves. Two fallbacks cover that, each used only when the session said nothing:
//!
//! - **Stale files.** When an update reports no removals and wrote as many files as the site has
//!   (`report.files`), it wrote the whole site: any file served before and not written now is
//!   gone from the site, and is removed from the folder and reported as removed.
//! - **Moves.** When an update reports no moves, and exactly one brief page went away while
//!   exactly one new brief page appeared, that is one brief whose address changed (a renamed
//!   file, a new slug): the pair is reported as a move, so its open page follows it.

use std::collections::BTreeSet;

use crate::Update;
use crate::session::Sink;

/// The output paths of the last good build.
#[derive(Debug, Default)]
pub struct Outputs {
    known: BTreeSet<String>,
}

impl Outputs {
    /// Completes `update` (see the module docs) and records the folder's new contents.
    pub fn settle(&mut self, update: &mut Update, sink: &dyn Sink) {
        let whole_site = update.written.len() == update.report.files;
        if update.removed.is_empty() && whole_site && !self.known.is_empty() {
            let written: BTreeSet<&str> = update.written.iter().map(String::as_str).collect();
            let stale: Vec<String> = self
                .known
                .iter()
                .filter(|p| !written.contains(p.as_str()))
                .cloned()
                .collect();
            for path in stale {
                // A file that cannot be removed is still gone from the site; pages move on.
                let _ = sink.remove(&path);
                update.removed.push(path);
            }
        }
        if update.moved.is_empty() {
            update.moved = self.guess_move(update).into_iter().collect();
        }
        for path in &update.removed {
            self.known.remove(path);
        }
        self.known.extend(update.written.iter().cloned());
    }

    /// One brief page gone and one new brief page in the same update: the brief moved.
    fn guess_move(&self, update: &Update) -> Option<(String, String)> {
        let gone: Vec<&String> = update.removed.iter().filter(|p| is_brief(p)).collect();
        let new: Vec<&String> = update
            .written
            .iter()
            .filter(|p| is_brief(p) && !self.known.contains(*p))
            .collect();
        match (gone.as_slice(), new.as_slice()) {
            ([from], [to]) => Some(((*from).clone(), (*to).clone())),
            _ => None,
        }
    }
}

/// `briefs/<slug>/index.html`, a brief's page.
fn is_brief(path: &str) -> bool {
    path.strip_prefix("briefs/")
        .and_then(|rest| rest.strip_suffix("/index.html"))
        .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::NullSink;

    fn update(written: &[&str], removed: &[&str], files: usize) -> Update {
        Update {
            report: crate::Report {
                briefs: 0,
                topics: 0,
                pages: 0,
                files,
                output: None,
                elapsed: Default::default(),
                timings: Vec::new(),
                outputs: Vec::new(),
                warnings: Vec::new(),
            },
            written: written.iter().map(|s| s.to_string()).collect(),
            removed: removed.iter().map(|s| s.to_string()).collect(),
            moved: Vec::new(),
        }
    }

    #[test]
    fn a_whole_site_rewrite_drops_what_it_no_longer_writes_and_pairs_a_move() {
        let mut outputs = Outputs::default();
        let all = ["briefs/a/index.html", "briefs/b/index.html", "index.html"];
        outputs.settle(&mut update(&all, &[], 3), &NullSink);
        let next = ["briefs/a/index.html", "briefs/c/index.html", "index.html"];
        let mut u = update(&next, &[], 3);
        outputs.settle(&mut u, &NullSink);
        assert_eq!(u.removed, ["briefs/b/index.html"]);
        assert_eq!(
            u.moved,
            [("briefs/b/index.html".into(), "briefs/c/index.html".into())]
        );
    }

    #[test]
    fn a_partial_update_removes_only_what_the_session_says() {
        let mut outputs = Outputs::default();
        let all = ["briefs/a/index.html", "briefs/b/index.html", "index.html"];
        outputs.settle(&mut update(&all, &[], 3), &NullSink);
        let mut u = update(&["index.html"], &[], 3);
        outputs.settle(&mut u, &NullSink);
        assert!(u.removed.is_empty() && u.moved.is_empty());
        let mut u = update(&["index.html"], &["briefs/a/index.html"], 2);
        outputs.settle(&mut u, &NullSink);
        assert!(u.moved.is_empty(), "a removal alone is no move");
    }

    #[test]
    fn two_briefs_gone_and_two_new_are_no_move() {
        let mut outputs = Outputs::default();
        let all = ["briefs/a/index.html", "briefs/b/index.html"];
        outputs.settle(&mut update(&all, &[], 2), &NullSink);
        let mut u = update(&["briefs/c/index.html", "briefs/d/index.html"], &[], 2);
        outputs.settle(&mut u, &NullSink);
        assert_eq!(u.removed.len(), 2);
        assert!(u.moved.is_empty());
    }
}
