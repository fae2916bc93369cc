//! Incremental rebuilds: a [`Session`] fed the paths that changed must leave its output exactly
//! as a full build of the same files would, and say what it wrote, removed and moved.
//!
//! - The property: on a generated site of 60 briefs (`tests/corpus`), a random sequence of 50
//!   edits (brief bodies and front matter, renamed briefs (every other one keeping its old slug
//!   as an alias, so its old address becomes a redirect page), added and deleted briefs, topic
//!   files, author profiles and bylines, a person's profile that merges two people's pages, templates, `site.toml`, and broken edits followed by
//!   their fix), each followed by
//!   `session.build(changed, DirSink)` into one persistent folder. Every 10 edits, and at the end,
//!   that folder must equal a fresh full build (`briefing::build`), stale files included; a
//!   failed session build must be matched by a failed full build with the same diagnostics.
//! - Named scenarios for what an incremental session reports in its [`Update`]: a body edit
//!   writes its page and not an unrelated one; a deleted brief's page is removed; a renamed
//!   brief's page is moved.
//! - The generator itself: dates, relative links, determinism, and a corpus that builds.
//!
//! Every edit writes the site's files the way an editor or `git checkout` would and names the
//! paths it touched, as the file watcher of `serve` does. `BRIEFING_FUZZ_CASES=N` runs N cases
//! of the property (default 8, so CI stays quick on two cores).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use briefing::session::{Session, Update};
use briefing::write::DirSink;
use briefing::{BuildOptions, Diagnostics};
use proptest::prelude::*;
use proptest::test_runner::{Config as PropConfig, TestError, TestRunner};
use tempfile::TempDir;

use crate::corpus::{self, Brief, Corpus, Date, Segment, Topic, relpath, slugify};
use crate::util::{assert_same_tree, read_tree};

/// Briefs in the generated site: enough for paginated topics, related briefs and links.
const BRIEFS: usize = 60;
const OPS: usize = 50;
/// Edits between comparisons with a full build.
const CHECKPOINT: usize = 10;
/// Days from 2019-01-01 to 2025-12-31, inclusive, where generated dates fall.
const DAYS: usize = 2557;
/// Deletions stop at this many briefs, so a run cannot empty the site.
const MIN_BRIEFS: usize = 20;

// ---- The property ------------------------------------------------------------------------------

#[test]
fn incremental_builds_equal_full_builds() {
    let cases = std::env::var("BRIEFING_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let mut runner = TestRunner::new(PropConfig {
        cases,
        failure_persistence: None,
        // Each step of a shrink replays up to 50 builds: a few dozen steps find the op that
        // breaks, which the failure message names anyway.
        max_shrink_iters: 32,
        ..PropConfig::default()
    });
    let strategy = (any::<u64>(), prop::collection::vec(op(), OPS));
    let result = runner.run(&strategy, |(seed, ops)| {
        let mut lab = Lab::new(BRIEFS, seed % 1000);
        for (i, op) in ops.iter().enumerate() {
            lab.apply(op);
            if (i + 1) % CHECKPOINT == 0 || i + 1 == ops.len() {
                lab.assert_matches_full_build(&format!("after op {}", i + 1));
            }
        }
        Ok(())
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, (seed, ops))) => panic!(
            "{reason}\nminimal failing case: seed {}, ops:\n{}",
            seed % 1000,
            ops.iter()
                .enumerate()
                .map(|(i, op)| format!("  {}. {op:?}\n", i + 1))
                .collect::<String>()
        ),
        Err(e) => panic!("{e}"),
    }
}

/// One edit to the site. Numbers pick among what exists when the edit runs (modulo the count),
/// so any sequence applies to any state and shrinks toward small numbers and earlier variants.
#[derive(Clone, Debug)]
enum Op {
    /// Appends a paragraph to, or rewrites the first sentence of, a brief's body.
    EditBody(usize),
    /// Changes one front-matter field of a brief; `value` picks the new value.
    EditFront {
        brief: usize,
        field: Field,
        value: usize,
    },
    /// Gives a brief's file a new name (and so a new slug), sometimes in another folder, and
    /// rewrites the briefs that link to it.
    Rename(usize),
    /// Adds a brief, linking to an existing one when `link` is set.
    Add {
        topic: usize,
        link: Option<usize>,
    },
    /// Deletes a brief and turns links to it into plain text in the briefs that had them.
    Delete(usize),
    /// Changes a topic's title or summary.
    EditTopic(usize),
    /// Writes, rewrites (sometimes under a new display name) or deletes an author's profile.
    EditProfile(usize),
    /// Writes, rewrites or deletes a person's profile, whose title and alias are names of two
    /// briefs' people: pages merge and split as it changes.
    EditEntityProfile(usize, usize),
    EditTemplate(TemplateEdit),
    EditSiteToml(SiteEdit),
    /// Breaks the site, builds, then undoes the break and builds again.
    BrokenThenFix {
        brief: usize,
        broken: Broken,
    },
}

#[derive(Clone, Copy, Debug)]
enum Field {
    Title,
    Summary,
    Date,
    Topics,
    People,
    /// The byline: none (the site's `author`), or some of [`AUTHORS`].
    Authors,
    /// The sources: another spelling of an outlet, another outlet, or one cited twice.
    Sources,
}

/// The authors bylines and profiles name: (name, slug).
const AUTHORS: [(&str, &str); 3] = [
    ("Ann Analyst", "ann-analyst"),
    ("Bo Writer", "bo-writer"),
    ("Cy Profile", "cy-profile"),
];

#[derive(Clone, Copy, Debug)]
enum TemplateEdit {
    /// Writes `templates/partials/card.html`: the built-in one with a change.
    Card,
    /// Writes `templates/brief.html`: the built-in one with a change.
    Brief,
    /// Deletes the site's card template (the built-in one takes over).
    RemoveCard,
    RemoveBrief,
}

#[derive(Clone, Copy, Debug)]
enum SiteEdit {
    Title,
    Paginate(usize),
    DefaultPaginate,
    /// Sets the default byline: the corpus's, one of [`AUTHORS`]' names, or none.
    Author(usize),
}

#[derive(Clone, Copy, Debug)]
enum Broken {
    /// A brief names a topic that does not exist.
    UnknownTopic,
    /// A brief's front matter has no closing `---`.
    UnclosedFrontMatter,
    /// The card template does not parse.
    TemplateSyntax,
    /// `site.toml` has a string where a number belongs.
    SiteToml,
    /// A brief that others link to is deleted, leaving their links dangling.
    DeleteLinked,
}

fn op() -> impl Strategy<Value = Op> {
    let pick = 0..1000usize;
    let field = prop_oneof![
        Just(Field::Title),
        Just(Field::Summary),
        Just(Field::Date),
        Just(Field::Topics),
        Just(Field::People),
        Just(Field::Authors),
        Just(Field::Sources),
    ];
    let template = prop_oneof![
        Just(TemplateEdit::Card),
        Just(TemplateEdit::Brief),
        Just(TemplateEdit::RemoveCard),
        Just(TemplateEdit::RemoveBrief),
    ];
    let site = prop_oneof![
        Just(SiteEdit::Title),
        (2..25usize).prop_map(SiteEdit::Paginate),
        Just(SiteEdit::DefaultPaginate),
        (0..4usize).prop_map(SiteEdit::Author),
    ];
    let broken = prop_oneof![
        Just(Broken::UnknownTopic),
        Just(Broken::UnclosedFrontMatter),
        Just(Broken::TemplateSyntax),
        Just(Broken::SiteToml),
        Just(Broken::DeleteLinked),
    ];
    prop_oneof![
        5 => pick.clone().prop_map(Op::EditBody),
        5 => (pick.clone(), field, pick.clone())
            .prop_map(|(brief, field, value)| Op::EditFront { brief, field, value }),
        2 => pick.clone().prop_map(Op::Rename),
        2 => (pick.clone(), prop::option::of(pick.clone()))
            .prop_map(|(topic, link)| Op::Add { topic, link }),
        2 => pick.clone().prop_map(Op::Delete),
        1 => pick.clone().prop_map(Op::EditTopic),
        1 => pick.clone().prop_map(Op::EditProfile),
        1 => (pick.clone(), pick.clone()).prop_map(|(a, b)| Op::EditEntityProfile(a, b)),
        1 => template.prop_map(Op::EditTemplate),
        1 => site.prop_map(Op::EditSiteToml),
        1 => (pick, broken).prop_map(|(brief, broken)| Op::BrokenThenFix { brief, broken }),
    ]
}

// ---- The lab: a site, its session and its output -----------------------------------------------

/// A generated site on disk, its model, and a session building it into a persistent folder.
struct Lab {
    tmp: TempDir,
    root: PathBuf,
    out: PathBuf,
    session: Session,
    sink: DirSink,
    topics: Vec<Topic>,
    /// Indexed as generated; `None` once deleted, so links (brief indexes) stay valid.
    briefs: Vec<Option<Brief>>,
    site_title: String,
    paginate: Option<usize>,
    /// The site's `author`, the default byline.
    site_author: Option<&'static str>,
    /// Makes names, slugs and template changes unique.
    counter: usize,
    /// Whether the last session build succeeded.
    ok: bool,
    /// What happened so far, for failure messages.
    log: Vec<String>,
}

impl Lab {
    /// Generates the site and builds it once with a new session.
    fn new(n: usize, seed: u64) -> Lab {
        let tmp = tempfile::tempdir().expect("a temp folder");
        let root = tmp.path().join("site");
        let out = tmp.path().join("out");
        let Corpus { topics, briefs, .. } = corpus::generate(&root, n, seed);
        let session = Session::new(BuildOptions {
            root: root.clone(),
            ..Default::default()
        });
        let sink = DirSink::new(&out).expect("an output folder");
        let mut lab = Lab {
            tmp,
            root,
            out,
            session,
            sink,
            topics,
            briefs: briefs.into_iter().map(Some).collect(),
            site_title: corpus::SITE_TITLE.into(),
            paginate: None,
            site_author: Some("tests/corpus"),
            counter: 0,
            ok: true,
            log: vec![format!("generated {n} briefs, seed {seed}")],
        };
        lab.write_site_toml();
        lab.build_ok(&[]);
        lab
    }

    fn next(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }

    /// Indexes of the briefs that exist.
    fn live(&self) -> Vec<usize> {
        (0..self.briefs.len())
            .filter(|&i| self.briefs[i].is_some())
            .collect()
    }

    fn pick(&self, k: usize) -> usize {
        let live = self.live();
        live[k % live.len()]
    }

    fn brief(&self, i: usize) -> &Brief {
        self.briefs[i].as_ref().expect("a live brief")
    }

    fn brief_mut(&mut self, i: usize) -> &mut Brief {
        self.briefs[i].as_mut().expect("a live brief")
    }

    /// Live briefs whose body links to brief `i`.
    fn linkers(&self, i: usize) -> Vec<usize> {
        self.live()
            .into_iter()
            .filter(|&j| j != i && self.brief(j).links().any(|t| t == i))
            .collect()
    }

    /// The brief's Markdown as it would be saved now: links to deleted briefs become text.
    fn markdown(&self, i: usize) -> String {
        self.brief(i)
            .markdown(|j| self.briefs[j].as_ref().map(|b| &b.file))
    }

    /// Writes brief `i` and returns its root-relative path.
    fn write_brief(&self, i: usize) -> PathBuf {
        let rel = self.brief(i).path();
        self.write(&rel, &self.markdown(i));
        PathBuf::from(rel)
    }

    /// An output file as text.
    fn read_out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Saves like an editor: a hidden temp file beside the target, renamed over it.
    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
        let tmp = path.with_file_name(format!(
            ".{}.tmp",
            path.file_name().expect("a file name").to_string_lossy()
        ));
        std::fs::write(&tmp, text).unwrap_or_else(|e| panic!("write {rel}: {e}"));
        std::fs::rename(&tmp, &path).unwrap_or_else(|e| panic!("rename onto {rel}: {e}"));
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root.join(rel)).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
    }

    fn write_site_toml(&self) -> PathBuf {
        let mut text = format!(
            "title = {}\ndescription = \"Synthetic corpus for the incremental tests.\"\n\
             base_url = \"{}\"\nlanguage = \"en\"\n",
            corpus::q(&self.site_title),
            corpus::BASE_URL
        );
        if let Some(author) = self.site_author {
            text.push_str(&format!("author = {}\n", corpus::q(author)));
        }
        if let Some(n) = self.paginate {
            text.push_str(&format!("paginate = {n}\n"));
        }
        self.write("site.toml", &text);
        PathBuf::from("site.toml")
    }

    fn write_topic(&self, t: usize) -> PathBuf {
        let rel = format!("content/topics/{}.md", self.topics[t].slug);
        self.write(&rel, &self.topics[t].markdown());
        PathBuf::from(rel)
    }

    // ---- Building ------------------------------------------------------------------------------

    fn opts(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            ..Default::default()
        }
    }

    /// Paths as a watcher reports them: absolute, or root-relative on every other call, since
    /// the session must take both.
    fn changed(&self, rels: &[PathBuf]) -> Vec<PathBuf> {
        rels.iter()
            .map(|r| {
                if self.counter.is_multiple_of(2) {
                    self.root.join(r)
                } else {
                    r.clone()
                }
            })
            .collect()
    }

    /// Rebuilds after a change that leaves a valid site: the session must succeed.
    fn build_ok(&mut self, changed: &[PathBuf]) -> Update {
        let paths = self.changed(changed);
        match self.session.build(&paths, &self.sink) {
            Ok(update) => {
                self.ok = true;
                // The search index follows in the background, as under `serve`.
                self.session.settle_search();
                update
            }
            Err(session) => match briefing::check(&self.opts()) {
                Err(full) => panic!(
                    "test bug: the edit made an invalid site (a full build fails too):\n{}\n{}",
                    messages(&full).join("\n"),
                    self.history()
                ),
                Ok(_) => panic!(
                    "the session failed where a full build succeeds:\n{}\n{}",
                    messages(&session).join("\n"),
                    self.history()
                ),
            },
        }
    }

    /// Rebuilds after a change that breaks the site: the session must fail, with the errors a
    /// full build reports.
    fn build_broken(&mut self, changed: &[PathBuf]) {
        let paths = self.changed(changed);
        let session = self.session.build(&paths, &self.sink);
        let full = briefing::check(&self.opts());
        match (session, full) {
            (Err(s), Err(f)) => {
                self.ok = false;
                assert_eq!(
                    messages(&s),
                    messages(&f),
                    "the session and a full build report different errors\n{}",
                    self.history()
                );
            }
            (Ok(_), Err(f)) => panic!(
                "the session built a site that a full build rejects with:\n{}\n{}",
                messages(&f).join("\n"),
                self.history()
            ),
            (_, Ok(_)) => panic!(
                "test bug: the broken edit did not break the site\n{}",
                self.history()
            ),
        }
    }

    /// Compares the session's output folder with a fresh full build of the same files.
    fn assert_matches_full_build(&self, when: &str) {
        assert!(self.ok, "the last build failed; nothing to compare");
        let fresh = self.tmp.path().join("fresh");
        let _ = std::fs::remove_dir_all(&fresh);
        let opts = BuildOptions {
            output: Some(fresh.clone()),
            ..self.opts()
        };
        if let Err(e) = briefing::build(&opts) {
            panic!(
                "{when}: a full build fails where the session succeeded:\n{}\n{}",
                messages(&e).join("\n"),
                self.history()
            );
        }
        let context = format!("{when}\n{}", self.history());
        assert_same_output(&self.out, &fresh, &context);
    }

    fn history(&self) -> String {
        let start = self.log.len().saturating_sub(12);
        format!(
            "last edits (of {}):\n{}",
            self.log.len(),
            self.log[start..]
                .iter()
                .map(|l| format!("  {l}\n"))
                .collect::<String>()
        )
    }

    // ---- Edits ---------------------------------------------------------------------------------

    fn apply(&mut self, op: &Op) {
        let c = self.next();
        match *op {
            Op::EditBody(k) => {
                let i = self.pick(k);
                self.edit_body(i, c);
                self.log
                    .push(format!("edit body of {}", self.brief(i).file));
                let path = self.write_brief(i);
                self.build_ok(&[path]);
            }
            Op::EditFront {
                brief,
                field,
                value,
            } => {
                let i = self.pick(brief);
                self.edit_front(i, field, value, c);
                self.log
                    .push(format!("edit {field:?} of {}", self.brief(i).file));
                let path = self.write_brief(i);
                self.build_ok(&[path]);
            }
            Op::Rename(k) => {
                let i = self.pick(k);
                let changed = self.rename(i, c);
                self.build_ok(&changed);
            }
            Op::Add { topic, link } => {
                let changed = self.add(topic, link, c);
                self.build_ok(&changed);
            }
            Op::Delete(k) => {
                if self.live().len() <= MIN_BRIEFS {
                    let changed = self.add(k, None, c);
                    self.build_ok(&changed);
                    return;
                }
                let i = self.pick(k);
                let changed = self.delete(i);
                self.build_ok(&changed);
            }
            Op::EditTopic(k) => {
                let t = k % self.topics.len();
                let topic = &mut self.topics[t];
                if c.is_multiple_of(2) {
                    topic.title = format!("{} r{c}", without_revision(&topic.title, " r"));
                } else {
                    topic.summary = format!("Revision {c}: {}", topic.summary);
                }
                self.log.push(format!("edit topic {}", self.topics[t].slug));
                let path = self.write_topic(t);
                self.build_ok(&[path]);
            }
            Op::EditProfile(k) => {
                let changed = self.edit_profile(k, c);
                self.build_ok(&[changed]);
            }
            Op::EditEntityProfile(a, b) => {
                let changed = self.edit_entity_profile(a, b, c);
                self.build_ok(&[changed]);
            }
            Op::EditTemplate(edit) => {
                let changed = self.edit_template(edit, c);
                self.build_ok(&[changed]);
            }
            Op::EditSiteToml(edit) => {
                match edit {
                    SiteEdit::Title => self.site_title = format!("{} r{c}", corpus::SITE_TITLE),
                    SiteEdit::Paginate(n) => self.paginate = Some(n),
                    SiteEdit::DefaultPaginate => self.paginate = None,
                    SiteEdit::Author(n) => {
                        self.site_author = match n {
                            0 => Some("tests/corpus"),
                            3 => None,
                            n => Some(AUTHORS[n - 1].0),
                        }
                    }
                }
                self.log.push(format!("site.toml: {edit:?}"));
                let path = self.write_site_toml();
                self.build_ok(&[path]);
            }
            Op::BrokenThenFix { brief, broken } => self.broken_then_fix(brief, broken),
        }
    }

    fn edit_body(&mut self, i: usize, c: usize) {
        let brief = self.brief_mut(i);
        if c.is_multiple_of(2) {
            brief.body.push(Segment::Text(format!(
                "\nThe desk added paragraph {c} to this brief.\n"
            )));
        } else if let Some(Segment::Text(first)) = brief.body.first_mut() {
            first.insert_str(0, &format!("Revision {c}. "));
        } else {
            brief
                .body
                .insert(0, Segment::Text(format!("Revision {c}. ")));
        }
    }

    fn edit_front(&mut self, i: usize, field: Field, value: usize, c: usize) {
        let topics: Vec<String> = self.topics.iter().map(|t| t.slug.clone()).collect();
        let brief = self.brief_mut(i);
        match field {
            Field::Title => brief.title = format!("{} r{c}", without_revision(&brief.title, " r")),
            Field::Summary => brief.summary = format!("Revision {c}: {}", brief.summary),
            Field::Date => {
                let first = Date::parse("2019-01-01").days();
                brief.date = Date::from_days(first + (value % DAYS) as i64).to_string();
            }
            Field::Topics => {
                let topic = topics[value % topics.len()].clone();
                if value.is_multiple_of(2) || brief.topics.len() >= 3 {
                    brief.topics = vec![topic];
                } else if !brief.topics.contains(&topic) {
                    brief.topics.push(topic);
                }
            }
            Field::People => {
                // A new name makes a new person page; the old one may lose its last brief.
                brief.people[0] = format!("Person Number{c}");
            }
            Field::Authors => {
                let names: &[usize] = match value % 5 {
                    0 => &[],
                    1 => &[0],
                    2 => &[1],
                    3 => &[0, 1],
                    _ => &[1, 2],
                };
                brief.authors = names.iter().map(|&a| AUTHORS[a].0.to_string()).collect();
            }
            Field::Sources => {
                // Outlets have pages, named by their most used spelling.
                let (name, url) = brief.sources[0].clone();
                match value % 3 {
                    0 => brief.sources[0].0 = name.to_uppercase(),
                    1 => brief.sources[0].0 = format!("Outlet Number{}", value % 7),
                    _ if brief.sources.len() > 1 => {
                        brief.sources.pop();
                    }
                    _ => brief.sources.push((name, format!("{url}-again"))),
                }
            }
        }
    }

    /// Writes, rewrites or deletes the profile of author `k` (of [`AUTHORS`]); returns its path.
    fn edit_profile(&mut self, k: usize, c: usize) -> PathBuf {
        let (name, slug) = AUTHORS[k % AUTHORS.len()];
        let rel = format!("content/authors/{slug}.md");
        if self.root.join(&rel).exists() && (k / AUTHORS.len()).is_multiple_of(4) {
            self.log.push(format!("delete {rel}"));
            self.remove(&rel);
        } else {
            // A profile's name is its author's everywhere: bylines, cards, feeds.
            let shown = if c.is_multiple_of(3) {
                format!("{name} r{c}")
            } else {
                name.to_string()
            };
            self.log
                .push(format!("write {rel} as {shown:?} (revision {c})"));
            self.write(
                &rel,
                &format!(
                    "---\nname: {shown}\nrole: Analyst r{c}\nbio: Bio revision {c}.\n---\n\
                     Profile body, revision {c}.\n"
                ),
            );
        }
        PathBuf::from(rel)
    }

    /// Writes, rewrites or deletes the one person profile of the site: its title is the first
    /// person of brief `a`, its alias (in Cyrillic, once in three) that of brief `b`, so the two
    /// pages become one; returns its path. One file, so no two profiles can claim one name.
    fn edit_entity_profile(&mut self, a: usize, b: usize, c: usize) -> PathBuf {
        let rel = "content/people/desk-profile.md";
        if self.root.join(rel).exists() && c.is_multiple_of(4) {
            self.log.push(format!("delete {rel}"));
            self.remove(rel);
            return PathBuf::from(rel);
        }
        let title = self.brief(self.pick(a)).people[0].clone();
        let other = self.brief(self.pick(b)).people[0].clone();
        let alias = if c.is_multiple_of(3) {
            // The same person in another script: a new name, merged by the alias alone.
            format!("Персона {c}")
        } else {
            other
        };
        self.log.push(format!(
            "write {rel}: {title:?} with alias {alias:?} (revision {c})"
        ));
        self.write(
            rel,
            &format!(
                "---\ntitle: {title}\naliases: [{alias:?}]\ndescription: Revision {c}.\n---\n\
                 Profile text, revision {c}.\n"
            ),
        );
        PathBuf::from(rel)
    }

    /// Renames brief `i`'s file (new slug), rewriting its linkers; returns the changed paths.
    /// Every other rename keeps the old slug as an alias, so its address redirects.
    fn rename(&mut self, i: usize, c: usize) -> Vec<PathBuf> {
        let old = PathBuf::from(self.brief(i).path());
        let brief = self.brief_mut(i);
        if c.is_multiple_of(2) {
            let slug = brief.slug.clone();
            brief.aliases.push(slug);
        }
        brief.slug = format!("{}-r{c}", without_revision(&brief.slug, "-r"));
        let name = format!("{}-{}.md", &brief.file_stem_date(), brief.slug);
        brief.file = if c.is_multiple_of(3) {
            // Folders carry no meaning: a brief may move to any folder.
            format!("moved/{name}")
        } else {
            let folder = brief
                .file
                .rsplit_once('/')
                .map_or("", |(f, _)| f)
                .to_string();
            format!("{folder}/{name}")
        };
        self.log.push(format!(
            "rename {} to {} (aliases {:?})",
            old.display(),
            self.brief(i).path(),
            self.brief(i).aliases
        ));
        std::fs::create_dir_all(
            self.root
                .join(self.brief(i).path())
                .parent()
                .expect("parent"),
        )
        .expect("create folder");
        std::fs::rename(self.root.join(&old), self.root.join(self.brief(i).path()))
            .expect("rename the brief");
        if old.parent() != Path::new(&self.brief(i).path()).parent() || c.is_multiple_of(2) {
            // Its own links are relative to its folder: fixed as an editor would; or it has
            // a new alias.
            self.write_brief(i);
        }
        let mut changed = vec![old, PathBuf::from(self.brief(i).path())];
        for j in self.linkers(i) {
            changed.push(self.write_brief(j));
        }
        changed
    }

    /// Adds a brief on topic `topic`, linking to brief `link` when given; returns the changed
    /// paths.
    fn add(&mut self, topic: usize, link: Option<usize>, c: usize) -> Vec<PathBuf> {
        let topic = self.topics[topic % self.topics.len()].slug.clone();
        let date = Date::from_days(Date::parse("2019-01-01").days() + ((c * 97) % DAYS) as i64);
        let slug = format!("new-brief-{c}");
        let mut body = vec![Segment::Text(format!(
            "Officials said brief {c} was filed today. The talks remained in the initial stages.\n\n\
             ## Background\n\nMore talks are expected next week. "
        ))];
        if let Some(k) = link {
            let target = self.pick(k);
            body.push(Segment::Text("This follows ".into()));
            body.push(Segment::Link {
                text: self.brief(target).title.clone(),
                target,
            });
            body.push(Segment::Text(".".into()));
        }
        body.push(Segment::Text("\n".into()));
        let brief = Brief {
            file: format!("{:04}/{:02}/{date}-{slug}.md", date.year, date.month),
            slug,
            title: format!("New brief {c} on {topic}"),
            date: date.to_string(),
            topics: vec![topic],
            summary: format!("Brief {c}, added by the incremental test."),
            people: vec![format!("Person Number{c}"), "Anna Volenko".into()],
            places: vec!["Moscow".into()],
            organizations: Vec::new(),
            tags: vec!["talks".into()],
            authors: if c.is_multiple_of(2) {
                vec![AUTHORS[0].0.into()]
            } else {
                Vec::new()
            },
            sources: vec![("Reuters".into(), format!("https://reuters.example/{c}"))],
            status: "developing",
            aliases: Vec::new(),
            body,
            words: 0,
        };
        self.briefs.push(Some(brief));
        let i = self.briefs.len() - 1;
        self.log.push(format!("add {}", self.brief(i).path()));
        vec![self.write_brief(i)]
    }

    /// Deletes brief `i`, turning links to it into text; returns the changed paths.
    fn delete(&mut self, i: usize) -> Vec<PathBuf> {
        let rel = self.brief(i).path();
        let linkers = self.linkers(i);
        self.log.push(format!(
            "delete {rel} (and unlink it in {} briefs)",
            linkers.len()
        ));
        self.remove(&rel);
        self.briefs[i] = None;
        let mut changed = vec![PathBuf::from(rel)];
        for j in linkers {
            changed.push(self.write_brief(j));
        }
        changed
    }

    fn edit_template(&mut self, edit: TemplateEdit, c: usize) -> PathBuf {
        let (rel, from, to) = match edit {
            TemplateEdit::Card | TemplateEdit::RemoveCard => (
                "templates/partials/card.html",
                "<p class=\"summary\">",
                format!("<p class=\"summary\" data-revision=\"{c}\">"),
            ),
            TemplateEdit::Brief | TemplateEdit::RemoveBrief => (
                "templates/brief.html",
                "<p class=\"lede\"",
                format!("<p class=\"lede\" data-revision=\"{c}\""),
            ),
        };
        let remove = matches!(edit, TemplateEdit::RemoveCard | TemplateEdit::RemoveBrief);
        if remove && self.root.join(rel).exists() {
            self.log.push(format!("remove {rel}"));
            self.remove(rel);
        } else {
            self.log.push(format!("write {rel} (revision {c})"));
            let builtin = builtin_template(rel);
            assert!(builtin.contains(from), "{rel} lacks {from:?}");
            self.write(rel, &builtin.replacen(from, &to, 1));
        }
        PathBuf::from(rel)
    }

    fn broken_then_fix(&mut self, k: usize, broken: Broken) {
        let i = self.pick(k);
        let brief_rel = self.brief(i).path();
        self.log.push(format!("break: {broken:?}"));
        // What to write back to undo the break: (root-relative path, text or None to delete).
        let (changed, restore): (Vec<PathBuf>, Vec<(String, Option<String>)>) = match broken {
            Broken::UnknownTopic => {
                let good = self.markdown(i);
                let bad = good.replacen("topics: [", "topics: [\"no-such-topic\", ", 1);
                self.write(&brief_rel, &bad);
                (
                    vec![brief_rel.clone().into()],
                    vec![(brief_rel, Some(good))],
                )
            }
            Broken::UnclosedFrontMatter => {
                let good = self.markdown(i);
                let bad = good.replacen("\n---\n", "\n", 1);
                self.write(&brief_rel, &bad);
                (
                    vec![brief_rel.clone().into()],
                    vec![(brief_rel, Some(good))],
                )
            }
            Broken::TemplateSyntax => {
                let rel = "templates/partials/card.html";
                let before = std::fs::read_to_string(self.root.join(rel)).ok();
                self.write(rel, "<article>{{ b.title </article>\n");
                (vec![rel.into()], vec![(rel.into(), before)])
            }
            Broken::SiteToml => {
                let good = std::fs::read_to_string(self.root.join("site.toml")).expect("site.toml");
                self.write("site.toml", &format!("{good}paginate = \"many\"\n"));
                (
                    vec!["site.toml".into()],
                    vec![("site.toml".into(), Some(good))],
                )
            }
            Broken::DeleteLinked => {
                let target = self
                    .live()
                    .into_iter()
                    .cycle()
                    .skip(k % self.briefs.len())
                    .take(self.briefs.len())
                    .find(|&t| !self.linkers(t).is_empty());
                let Some(t) = target else {
                    self.log.push("(no linked brief to delete)".into());
                    return;
                };
                let rel = self.brief(t).path();
                let good = self.markdown(t);
                self.remove(&rel);
                (vec![rel.clone().into()], vec![(rel, Some(good))])
            }
        };
        self.build_broken(&changed);
        self.log.push(format!("fix: {broken:?}"));
        for (rel, text) in &restore {
            match text {
                Some(text) => self.write(rel, text),
                None => self.remove(rel),
            }
        }
        self.build_ok(&changed);
    }
}

impl Brief {
    /// The `YYYY-MM-DD` prefix of the brief's file name (not its front-matter date, which an
    /// edit may have changed).
    fn file_stem_date(&self) -> String {
        let name = self.file.rsplit('/').next().unwrap_or("");
        name.get(..10).unwrap_or("2019-01-01").to_string()
    }
}

/// `text` without a trailing `<sep><digits>` that an earlier edit added, so repeated edits do
/// not make titles and slugs grow.
fn without_revision<'a>(text: &'a str, sep: &str) -> &'a str {
    match text.rfind(sep) {
        Some(i)
            if i + sep.len() < text.len()
                && text[i + sep.len()..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            &text[..i]
        }
        _ => text,
    }
}

/// The repository's built-in template at `rel` (`templates/…`).
fn builtin_template(rel: &str) -> String {
    std::fs::read_to_string(crate::util::repo_root().join(rel))
        .unwrap_or_else(|e| panic!("read built-in {rel}: {e}"))
}

/// Each diagnostic as one line of text, sorted.
fn messages(d: &Diagnostics) -> Vec<String> {
    let mut lines: Vec<String> = d.0.iter().map(ToString::to_string).collect();
    lines.sort();
    lines
}

/// An output folder without the marker file a staging build leaves in it.
fn output_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut tree = read_tree(dir);
    tree.remove(briefing::write::MARKER);
    tree
}

/// Asserts the incremental output equals the fresh one, first summing up the difference (stale,
/// missing and changed files) so a failure reads at a glance.
#[track_caller]
fn assert_same_output(incremental: &Path, fresh: &Path, context: &str) {
    let (a, b) = (output_tree(incremental), output_tree(fresh));
    let stale: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let missing: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    let differ: Vec<&String> = a
        .iter()
        .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .collect();
    if !(stale.is_empty() && missing.is_empty() && differ.is_empty()) {
        panic!(
            "{context}the session's output differs from a full build: {}, {}, {}",
            List("stale files left behind", &stale),
            List("files missing", &missing),
            List("files with other contents", &differ)
        );
    }
    assert_same_tree(&a, &b);
}

/// A count and the first few items of a list of paths, for messages.
struct List<'a>(&'a str, &'a [&'a String]);

impl fmt::Display for List<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.1.len(), self.0)?;
        if !self.1.is_empty() {
            let shown: Vec<&str> = self.1.iter().take(5).map(|s| s.as_str()).collect();
            write!(
                f,
                " ({}{})",
                shown.join(", "),
                if self.1.len() > 5 { ", …" } else { "" }
            )?;
        }
        Ok(())
    }
}

// ---- Named scenarios ---------------------------------------------------------------------------

/// Two briefs that share no topic, name or link, so an edit of one's body concerns no page of
/// the other.
fn unrelated_pair(lab: &Lab) -> (usize, usize) {
    let live = lab.live();
    let shares = |a: &Brief, b: &Brief| {
        let overlap = |x: &[String], y: &[String]| x.iter().any(|v| y.contains(v));
        overlap(&a.topics, &b.topics)
            || overlap(&a.people, &b.people)
            || overlap(&a.places, &b.places)
            || overlap(&a.organizations, &b.organizations)
            || overlap(&a.tags, &b.tags)
    };
    for &a in &live {
        for &b in &live {
            let (x, y) = (lab.brief(a), lab.brief(b));
            if a != b && !shares(x, y) && !x.links().any(|t| t == b) && !y.links().any(|t| t == a) {
                return (a, b);
            }
        }
    }
    panic!("the generated site has no two unrelated briefs");
}

#[test]
fn a_body_edit_shows_on_its_page() {
    let mut lab = Lab::new(BRIEFS, 3);
    let i = 10;
    lab.brief_mut(i)
        .body
        .push(Segment::Text("\nA sentence with zqmarker in it.\n".into()));
    let path = lab.write_brief(i);
    let update = lab.build_ok(&[path]);
    let page = lab.brief(i).page();
    assert!(update.written.contains(&page), "{page} was not written");
    let html = std::fs::read_to_string(lab.out.join(&page)).expect("the brief page");
    assert!(html.contains("zqmarker"), "the edit is not on {page}");
    lab.assert_matches_full_build("after the edit");
}

#[test]
fn a_body_edit_writes_its_page_and_not_an_unrelated_one() {
    let mut lab = Lab::new(BRIEFS, 3);
    let (a, b) = unrelated_pair(&lab);
    lab.edit_body(a, 2);
    let path = lab.write_brief(a);
    let update = lab.build_ok(&[lab.root.join(path)]);
    let (page_a, page_b) = (lab.brief(a).page(), lab.brief(b).page());
    assert!(update.written.contains(&page_a), "{page_a} was not written");
    assert!(
        !update.written.contains(&page_b),
        "{page_b} was written though {page_a}'s body edit does not concern it; written: {} files",
        update.written.len()
    );
    lab.assert_matches_full_build("after the edit");
}

#[test]
fn a_deleted_brief_s_page_is_removed() {
    let mut lab = Lab::new(BRIEFS, 3);
    let i = lab
        .live()
        .into_iter()
        .find(|&i| lab.linkers(i).is_empty())
        .expect("a brief nothing links to");
    let page = lab.brief(i).page();
    assert!(lab.out.join(&page).is_file(), "{page} was never built");
    let changed = lab.delete(i);
    let update = lab.build_ok(&changed);
    assert!(
        update.removed.contains(&page),
        "update.removed lacks {page}: {:?}",
        update.removed
    );
    assert!(
        !lab.out.join(&page).exists(),
        "{page} is still in the output"
    );
    lab.assert_matches_full_build("after the delete");
}

#[test]
fn a_renamed_brief_s_page_is_moved() {
    let mut lab = Lab::new(BRIEFS, 3);
    let i = 20;
    let old_page = lab.brief(i).page();
    // 1 is not a multiple of 3: the brief stays in its folder with a new name.
    let changed = lab.rename(i, 1);
    let update = lab.build_ok(&changed);
    let new_page = lab.brief(i).page();
    assert_ne!(old_page, new_page);
    assert!(
        update.moved.contains(&(old_page.clone(), new_page.clone())),
        "update.moved lacks ({old_page}, {new_page}): {:?}",
        update.moved
    );
    assert!(
        !lab.out.join(&old_page).exists(),
        "{old_page} is still there"
    );
    assert!(lab.out.join(&new_page).is_file(), "{new_page} is missing");
    lab.assert_matches_full_build("after the rename");
}

#[test]
fn static_files_added_changed_and_removed_follow_the_disk() {
    let mut lab = Lab::new(BRIEFS, 3);
    let file = lab.root.join("static/files/note.txt");
    std::fs::create_dir_all(file.parent().expect("a folder")).expect("static folder");
    std::fs::write(&file, "first").expect("write the static file");
    let update = lab.build_ok(std::slice::from_ref(&file));
    assert!(update.written.contains(&"files/note.txt".to_string()));
    assert_eq!(
        std::fs::read_to_string(lab.out.join("files/note.txt")).unwrap(),
        "first"
    );
    lab.assert_matches_full_build("after adding a static file");

    std::fs::write(&file, "second").expect("write the static file");
    let update = lab.build_ok(std::slice::from_ref(&file));
    assert_eq!(update.written, ["files/note.txt"]);
    assert_eq!(
        std::fs::read_to_string(lab.out.join("files/note.txt")).unwrap(),
        "second"
    );

    std::fs::remove_file(&file).expect("remove the static file");
    let update = lab.build_ok(std::slice::from_ref(&file));
    assert!(
        update.removed.contains(&"files/note.txt".to_string()),
        "{:?}",
        update.removed
    );
    assert!(!lab.out.join("files/note.txt").exists());
    lab.assert_matches_full_build("after removing a static file");
}

#[test]
fn an_unchanged_save_writes_nothing() {
    let mut lab = Lab::new(BRIEFS, 3);
    let path = lab.write_brief(5);
    let update = lab.build_ok(&[lab.root.join(path)]);
    assert!(update.written.is_empty(), "{:?}", update.written);
    assert!(update.removed.is_empty() && update.moved.is_empty());
}

// ---- The generator -----------------------------------------------------------------------------

#[test]
fn corpus_dates_round_trip() {
    let first = Date::parse("2019-01-01").days();
    assert_eq!(Date::from_days(first).to_string(), "2019-01-01");
    assert_eq!(
        Date::from_days(first + DAYS as i64 - 1).to_string(),
        "2025-12-31"
    );
    for d in [0, 59, 60, 365, 10_000, 20_000] {
        assert_eq!(Date::from_days(d).days(), d);
    }
}

#[test]
fn corpus_links_are_relative_paths() {
    assert_eq!(relpath("2020/01/a.md", "2020/01/b.md"), "b.md");
    assert_eq!(relpath("2020/01/a.md", "2020/03/b.md"), "../03/b.md");
    assert_eq!(
        relpath("2020/01/a.md", "2019/01/b.md"),
        "../../2019/01/b.md"
    );
    assert_eq!(relpath("moved/a.md", "2019/01/b.md"), "../2019/01/b.md");
    assert_eq!(slugify("Moscow: talks on hold!"), "moscow-talks-on-hold");
}

#[test]
fn corpus_is_deterministic_and_links_earlier_briefs() {
    let a = Corpus::new(BRIEFS, 7);
    assert_eq!(a.briefs, Corpus::new(BRIEFS, 7).briefs);
    assert_ne!(a.briefs, Corpus::new(BRIEFS, 8).briefs);
    for (i, b) in a.briefs.iter().enumerate() {
        assert!(b.links().all(|t| t < i), "{} links forward", b.file);
        assert!(i == 0 || b.links().count() >= 1, "{} has no link", b.file);
        assert!(
            (300..=1000).contains(&b.words),
            "{}: {} words",
            b.file,
            b.words
        );
    }
}

#[test]
fn a_generated_corpus_builds() {
    let tmp = tempfile::tempdir().expect("a temp folder");
    corpus::generate(tmp.path(), 400, 1);
    let report = briefing::check(&BuildOptions {
        root: tmp.path().to_path_buf(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{}", messages(&e).join("\n")));
    assert_eq!(report.briefs, 400);
    assert_eq!(report.topics, 7);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn assets_beside_a_brief_follow_the_disk() {
    let mut lab = Lab::new(BRIEFS, 4);
    let rel = lab.brief(7).path();
    let dir = Path::new(&rel).parent().expect("a folder").to_path_buf();
    let asset = lab.root.join(&dir).join("chart.png");
    std::fs::write(&asset, "first").expect("write the asset");
    let linked = format!("{}\n\n![Chart](chart.png)\n", lab.markdown(7));
    lab.write(&rel, &linked);
    let update = lab.build_ok(&[lab.root.join(&rel), asset.clone()]);
    let copied: Vec<&String> = update
        .written
        .iter()
        .filter(|p| p.ends_with("/chart.png"))
        .collect();
    assert_eq!(copied.len(), 1, "{:?}", update.written);
    let copied = copied[0].clone();
    assert_eq!(
        std::fs::read_to_string(lab.out.join(&copied)).unwrap(),
        "first"
    );
    lab.assert_matches_full_build("after linking an asset");

    // A changed asset is copied again, and nothing else is written.
    std::fs::write(&asset, "second").expect("write the asset");
    let update = lab.build_ok(std::slice::from_ref(&asset));
    assert_eq!(update.written, std::slice::from_ref(&copied));
    assert_eq!(
        std::fs::read_to_string(lab.out.join(&copied)).unwrap(),
        "second"
    );

    // Unlinked, it leaves the output.
    let unlinked = lab.markdown(7);
    lab.write(&rel, &unlinked);
    let update = lab.build_ok(&[lab.root.join(&rel)]);
    assert!(update.removed.contains(&copied), "{:?}", update.removed);
    assert!(!lab.out.join(&copied).exists());
    lab.assert_matches_full_build("after unlinking an asset");
}

#[test]
fn an_image_that_changes_size_is_measured_again() {
    let mut lab = Lab::new(BRIEFS, 5);
    let rel = lab.brief(3).path();
    let dir = Path::new(&rel).parent().expect("a folder").to_path_buf();
    let svg = lab.root.join(&dir).join("plan.svg");
    let drawing = |w: u32| {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"100\"/>\n")
    };
    std::fs::write(&svg, drawing(200)).expect("write the image");
    let linked = format!("{}\n\n![Plan](plan.svg)\n", lab.markdown(3));
    lab.write(&rel, &linked);
    let update = lab.build_ok(&[lab.root.join(&rel), svg.clone()]);
    let page = update
        .written
        .iter()
        .find(|p| {
            p.starts_with("briefs/") && p.ends_with("/index.html") && {
                std::fs::read_to_string(lab.out.join(p)).is_ok_and(|t| t.contains("plan.svg"))
            }
        })
        .cloned()
        .expect("the brief's page was written");
    assert!(lab.read_out(&page).contains(r#"width="200" height="100""#));

    std::fs::write(&svg, drawing(300)).expect("write the image");
    let update = lab.build_ok(std::slice::from_ref(&svg));
    assert!(update.written.contains(&page), "{:?}", update.written);
    assert!(lab.read_out(&page).contains(r#"width="300" height="100""#));
    lab.assert_matches_full_build("after resizing an image");
}
