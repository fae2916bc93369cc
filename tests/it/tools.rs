//! Authors' tools, through the real binary: `init`, `new brief|topic|page`, `completions` and
//! `man`, refusals included. Each test works in its own temp folder; what a tool writes must
//! pass `check` and `build` as it stands.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;

use crate::util::{assert_links_ok, crawl, read_tree};

/// What one run of `briefing ARGS…` printed, its exit code asserted.
struct Out {
    stdout: String,
    stderr: String,
}

#[track_caller]
fn run(args: &[&str], dir: &Path, code: i32) -> Out {
    let assert = cargo_bin_cmd!("briefing")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .assert()
        .code(code);
    let out = assert.get_output();
    Out {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[track_caller]
fn ok(args: &[&str], dir: &Path) -> Out {
    run(args, dir, 0)
}

#[track_caller]
fn refused(args: &[&str], dir: &Path) -> Out {
    run(args, dir, 1)
}

/// Every file under `dir` (empty folders aside), for "nothing changed" checks.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    read_tree(dir)
}

/// A fresh temp folder holding a site made by `briefing init site`; returns (tmp, site root).
fn init_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    ok(&["init", "site"], tmp.path());
    let root = tmp.path().join("site");
    (tmp, root)
}

#[track_caller]
/// A new brief has no sources yet: the one warning `check` gives about it is that reminder.
fn assert_only_the_sources_reminder(out: &Out) {
    let warnings: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(
        warnings,
        ["warning: the brief names no sources"],
        "{}",
        out.stderr
    );
}

fn assert_no_warnings(out: &Out) {
    assert!(
        !out.stderr.contains("warning"),
        "unexpected warning:\n{}",
        out.stderr
    );
}

// ---- init --------------------------------------------------------------------------------------

#[test]
fn init_into_a_new_folder_builds_at_once_without_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(&["init", "mysite"], tmp.path());
    let root = tmp.path().join("mysite");
    let today = jiff::ZonedDateTime::now().date();
    for f in [
        "site.toml",
        ".gitignore",
        "content/topics/diplomacy.md",
        "content/topics/energy.md",
        "content/pages/about.md",
    ] {
        assert!(root.join(f).is_file(), "{f} missing");
        assert!(out.stdout.contains(f), "{f} not listed:\n{}", out.stdout);
    }
    let briefs = crate::util::files_ending(&root.join("content/briefs"), ".md");
    assert_eq!(briefs.len(), 1, "{briefs:?}");
    let brief = std::fs::read_to_string(root.join("content/briefs").join(&briefs[0])).unwrap();
    assert!(brief.contains("sources:\n  - name:"), "{brief}");
    assert!(
        briefs[0].starts_with(&format!("{:04}/{:02}/", today.year(), today.month())),
        "{briefs:?}"
    );
    for next in [
        "cd mysite",
        "briefing new brief",
        "briefing serve",
        "briefing build",
    ] {
        assert!(
            out.stdout.contains(next),
            "{next:?} not suggested:\n{}",
            out.stdout
        );
    }
    let gitignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == "/public/"), "{gitignore}");

    let check = ok(&["check"], &root);
    assert_no_warnings(&check);
    let build = ok(&["build"], &root);
    assert_no_warnings(&build);
    assert!(
        build.stderr.contains("Built 1 brief, 2 topics"),
        "{}",
        build.stderr
    );
    let public = root.join("public");
    for page in [
        "index.html",
        "topics/energy/index.html",
        "topics/diplomacy/index.html",
        "pages/about/index.html",
        "briefs/ministers-meet-on-winter-gas-supplies/index.html",
        "people/jane-example/index.html",
    ] {
        assert!(public.join(page).is_file(), "{page} not built");
    }
    // The example's links to the about page and the energy topic resolve.
    assert_links_ok(&crawl(&public), 20, 0);
    let html = std::fs::read_to_string(
        public.join("briefs/ministers-meet-on-winter-gas-supplies/index.html"),
    )
    .unwrap();
    assert!(html.contains("../../pages/about/index.html"), "{html}");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = refused(&["init"], tmp.path());
    assert!(out.stderr.contains("is not empty"), "{}", out.stderr);
    assert!(out.stderr.contains("notes.txt"), "{}", out.stderr);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    assert_eq!(
        files(tmp.path()).len(),
        1,
        "init wrote into a refused folder"
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);

    // A folder holding only a fresh `git init` counts as empty.
    let git = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(git.path().join(".git/objects")).unwrap();
    ok(&["init", "."], git.path());
    assert!(git.path().join("site.toml").is_file());
}

#[test]
fn init_force_adds_to_a_folder_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("README.md"), "# My desk\n").unwrap();
    std::fs::write(dir.join(".gitignore"), "target/").unwrap();
    let out = ok(&["init", "--force"], dir);
    assert_eq!(
        std::fs::read_to_string(dir.join("README.md")).unwrap(),
        "# My desk\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore")).unwrap(),
        "target/\n/public/\n/.public.staging-*\n",
        "the existing .gitignore gains the output's lines and keeps its own"
    );
    assert!(
        out.stdout.contains(".gitignore (added the output folder)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("site.toml"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("cd "),
        "no `cd` into the current folder:\n{}",
        out.stdout
    );
    ok(&["build"], dir);

    // Again, over the site just made: every file it would write is in the way, so it writes
    // nothing at all and names them.
    std::fs::write(dir.join("site.toml"), "title = \"Edited\"\n").unwrap();
    let before = files(dir);
    let out = refused(&["init", "--force"], dir);
    assert!(
        out.stderr.contains("already holds site.toml"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("content/topics/energy.md"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("never overwrites"), "{}", out.stderr);
    assert_eq!(files(dir), before, "a refused init changed files");
}

// ---- new ---------------------------------------------------------------------------------------

const KREMLIN: &str = "content/briefs/2025/02/2025-02-20-kremlin-says-ties-recovering.md";

#[test]
fn new_brief_writes_a_draft_that_checks_and_builds_with_drafts() {
    let (tmp, root) = init_site();
    let out = ok(
        &[
            "new",
            "brief",
            "Kremlin says ties recovering",
            "--topic",
            "energy",
            "--topic",
            "diplomacy",
            "--date",
            "2025-02-20",
            "--status",
            "developing",
            "--root",
            "site",
        ],
        tmp.path(),
    );
    assert_eq!(out.stdout, format!("site/{KREMLIN}\n"));
    let text = std::fs::read_to_string(root.join(KREMLIN)).unwrap();
    for line in [
        "title: \"Kremlin says ties recovering\"",
        "date: 2025-02-20",
        "topics: [energy, diplomacy]",
        "sources: []",
        "people: []",
        "status: developing",
        "draft: true",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(line)),
            "{line:?} missing:\n{text}"
        );
    }
    for optional in ["# updated:", "# summary:", "# slug:"] {
        assert!(text.contains(optional), "{optional:?} missing:\n{text}");
    }

    let check = ok(&["check", "--drafts"], &root);
    assert_only_the_sources_reminder(&check);
    assert!(
        check.stderr.contains("Checked 2 briefs"),
        "{}",
        check.stderr
    );
    ok(&["build", "--drafts"], &root);
    let page = root.join("public/briefs/kremlin-says-ties-recovering/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("Kremlin says ties recovering"));
    // A draft: left out of a build without --drafts.
    ok(&["build"], &root);
    assert!(!page.exists(), "the draft was published without --drafts");
}

#[test]
fn new_brief_in_the_site_folder_prints_a_relative_path_and_defaults_to_today() {
    let (_tmp, root) = init_site();
    let before = jiff::ZonedDateTime::now().date();
    let out = ok(&["new", "brief", "Talks resume", "-t", "energy"], &root);
    let after = jiff::ZonedDateTime::now().date();
    let path = |d: jiff::civil::Date| {
        format!(
            "content/briefs/{:04}/{:02}/{d}-talks-resume.md\n",
            d.year(),
            d.month()
        )
    };
    assert!(
        out.stdout == path(before) || out.stdout == path(after),
        "{}",
        out.stdout
    );
    let text = std::fs::read_to_string(root.join(out.stdout.trim())).unwrap();
    assert!(text.contains("# status: developing"), "{text}");
    ok(&["check", "--drafts"], &root);
}

#[test]
fn new_brief_names_unknown_topics_with_the_nearest_known_one() {
    let (_tmp, root) = init_site();
    let before = files(&root);
    let out = refused(
        &[
            "new", "brief", "Gas deal", "--topic", "enrgy", "--topic", "sport",
        ],
        &root,
    );
    assert!(
        out.stderr.contains("unknown topic \"enrgy\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("did you mean \"energy\"? Known topics: diplomacy, energy"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("unknown topic \"sport\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("briefing new topic sport"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    assert_eq!(files(&root), before, "a refused brief was written");
}

#[test]
fn new_brief_refuses_bad_dates_and_statuses() {
    let (_tmp, root) = init_site();
    let before = files(&root);
    let out = refused(
        &["new", "brief", "X", "-t", "energy", "--date", "2025-02-30"],
        &root,
    );
    assert!(
        out.stderr
            .contains("--date: \"2025-02-30\" is not a valid date"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("YYYY-MM-DD"), "{}", out.stderr);
    let out = refused(
        &["new", "brief", "X", "-t", "energy", "--date", "yesterday"],
        &root,
    );
    assert!(out.stderr.contains("--date"), "{}", out.stderr);
    let out = refused(
        &["new", "brief", "X", "-t", "energy", "--status", "confimed"],
        &root,
    );
    assert!(
        out.stderr.contains("unknown status \"confimed\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "did you mean \"confirmed\"? Statuses: developing, confirmed, disputed, denied"
        ),
        "{}",
        out.stderr
    );
    let out = refused(&["new", "brief", "?!", "-t", "energy"], &root);
    assert!(
        out.stderr.contains("cannot make a file name"),
        "{}",
        out.stderr
    );
    assert_eq!(files(&root), before, "a refused brief was written");
}

#[test]
fn new_never_overwrites_a_file() {
    let (_tmp, root) = init_site();
    let args = [
        "new",
        "brief",
        "Kremlin says ties recovering",
        "-t",
        "energy",
        "--date",
        "2025-02-20",
    ];
    ok(&args, &root);
    std::fs::write(root.join(KREMLIN), "my edits").unwrap();
    let out = refused(&args, &root);
    assert!(out.stderr.contains(KREMLIN), "{}", out.stderr);
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join(KREMLIN)).unwrap(),
        "my edits"
    );

    // The same title on another day would share the brief's page: refused, naming the brief.
    std::fs::remove_file(root.join(KREMLIN)).unwrap();
    ok(&args, &root);
    let out = refused(
        &[
            "new",
            "brief",
            "Kremlin says ties recovering",
            "-t",
            "energy",
            "--date",
            "2025-03-01",
        ],
        &root,
    );
    assert!(
        out.stderr
            .contains("a brief with the slug \"kremlin-says-ties-recovering\" already exists"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(KREMLIN), "{}", out.stderr);
    assert!(!root.join("content/briefs/2025/03").exists());

    for (args, path) in [
        (
            ["new", "topic", "energy", "Power"],
            "content/topics/energy.md",
        ),
        (
            ["new", "page", "about", "About us"],
            "content/pages/about.md",
        ),
    ] {
        let before = std::fs::read_to_string(root.join(path)).unwrap();
        let out = refused(&args, &root);
        assert!(out.stderr.contains(path), "{}", out.stderr);
        assert!(out.stderr.contains("already exists"), "{}", out.stderr);
        assert_eq!(std::fs::read_to_string(root.join(path)).unwrap(), before);
    }
}

#[test]
fn new_topic_and_page_write_files_the_site_accepts() {
    let (tmp, root) = init_site();
    let out = ok(
        &[
            "new",
            "topic",
            "us-russia",
            "US–Russia ties",
            "--root",
            "site",
        ],
        tmp.path(),
    );
    assert_eq!(out.stdout, "site/content/topics/us-russia.md\n");
    let out = ok(&["new", "page", "methodology", "How we work"], &root);
    assert_eq!(out.stdout, "content/pages/methodology.md\n");
    let topic = std::fs::read_to_string(root.join("content/topics/us-russia.md")).unwrap();
    assert!(topic.contains("title: \"US–Russia ties\""), "{topic}");
    ok(
        &[
            "new",
            "brief",
            "Kremlin says ties recovering",
            "-t",
            "us-russia,energy",
        ],
        &root,
    );
    let check = ok(&["check", "--drafts"], &root);
    assert_only_the_sources_reminder(&check);
    assert!(check.stderr.contains("3 topics"), "{}", check.stderr);
    ok(&["build", "--drafts"], &root);
    let public = root.join("public");
    assert!(public.join("topics/us-russia/index.html").is_file());
    let brief = crate::util::files_ending(
        &root.join("content/briefs/"),
        "-kremlin-says-ties-recovering.md",
    );
    let text = std::fs::read_to_string(root.join("content/briefs").join(&brief[0])).unwrap();
    assert!(text.contains("topics: [us-russia, energy]"), "{text}");
    let page = std::fs::read_to_string(public.join("pages/methodology/index.html")).unwrap();
    assert!(page.contains("How we work"));

    let out = refused(&["new", "topic", "US_Russia", "X"], &root);
    assert!(
        out.stderr.contains("\"US_Russia\" is not a valid slug"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("use \"us-russia\""), "{}", out.stderr);
    let out = refused(&["new", "page", "../etc", "X"], &root);
    assert!(out.stderr.contains("is not a valid slug"), "{}", out.stderr);
    let out = refused(&["new", "page", "faq", "  "], &root);
    assert!(out.stderr.contains("the title is empty"), "{}", out.stderr);
}

#[test]
fn new_outside_a_site_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out = refused(&["new", "brief", "X", "-t", "energy"], tmp.path());
    assert!(out.stderr.contains("no site.toml"), "{}", out.stderr);
    assert!(files(tmp.path()).is_empty());
}

// ---- completions and man -----------------------------------------------------------------------

#[test]
fn completions_are_generated_for_every_shell() {
    let tmp = tempfile::tempdir().unwrap();
    let bash = ok(&["completions", "bash"], tmp.path()).stdout;
    assert!(bash.contains("_briefing()"), "{bash}");
    assert!(bash.contains("complete -F _briefing"), "{bash}");
    for sub in [
        "build",
        "check",
        "serve",
        "init",
        "new",
        "completions",
        "man",
        "--drafts",
    ] {
        assert!(bash.contains(sub), "bash completion lacks {sub}");
    }
    assert!(
        bash.contains("briefing__subcmd__new__subcmd__brief"),
        "nested subcommands are not completed"
    );
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let script = ok(&["completions", shell], tmp.path()).stdout;
        assert!(
            script.contains("init") && script.contains("brief"),
            "{shell}:\n{script}"
        );
    }
    let out = run(&["completions", "tcsh"], tmp.path(), 2);
    assert!(out.stderr.contains("possible values"), "{}", out.stderr);
}

#[test]
fn man_pages_are_generated_from_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let page = ok(&["man"], tmp.path()).stdout;
    assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq\n"), "{page}");
    assert!(page.contains("\n.TH briefing 1 "), "{page}");
    assert!(
        page.contains("briefing\\-init(1)") || page.contains("init"),
        "{page}"
    );

    let out = ok(&["man", "--output", "man"], tmp.path());
    let dir = tmp.path().join("man");
    for name in [
        "briefing.1",
        "briefing-build.1",
        "briefing-init.1",
        "briefing-new.1",
        "briefing-new-brief.1",
        "briefing-new-topic.1",
        "briefing-new-page.1",
        "briefing-completions.1",
        "briefing-man.1",
    ] {
        let text = std::fs::read_to_string(dir.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}\n{}", out.stdout));
        assert!(text.starts_with(".ie \\n(.g .ds Aq"), "{name}");
        assert!(
            out.stdout.contains(name),
            "{name} not listed:\n{}",
            out.stdout
        );
    }
    let brief = std::fs::read_to_string(dir.join("briefing-new-brief.1")).unwrap();
    assert!(
        brief.contains(".TH briefing-new-brief 1  \"briefing 0.1.0\""),
        "{brief}"
    );
    assert!(brief.contains("\\-\\-topic"), "{brief}");
    assert_eq!(
        std::fs::read_to_string(dir.join("briefing.1")).unwrap(),
        page
    );
}

#[test]
fn new_profile_writes_a_profile_its_briefs_land_on() {
    let (_tmp, root) = init_site();
    let out = ok(
        &[
            "new",
            "profile",
            "people",
            "Dmitry Peskov",
            "--alias",
            "Дмитрий Песков,Dmitri Peskov",
        ],
        &root,
    );
    assert_eq!(out.stdout.trim(), "content/people/dmitry-peskov.md");
    let text = std::fs::read_to_string(root.join("content/people/dmitry-peskov.md")).unwrap();
    assert!(text.contains("title: \"Dmitry Peskov\""), "{text}");
    assert!(
        text.contains("aliases: [\"Дмитрий Песков\", \"Dmitri Peskov\"]"),
        "{text}"
    );
    // A brief naming him in Cyrillic lands on the new profile's page.
    ok(
        &["new", "brief", "Kremlin briefing", "-t", "diplomacy"],
        &root,
    );
    let brief = files(&root)
        .into_keys()
        .find(|p| p.ends_with("kremlin-briefing.md"))
        .expect("the new brief");
    let path = root.join(&brief);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("people: []", "people: [Дмитрий Песков]", 1),
    )
    .unwrap();
    ok(&["build", "--drafts"], &root);
    let page =
        std::fs::read_to_string(root.join("public/people/dmitry-peskov/index.html")).unwrap();
    assert!(page.contains("Kremlin briefing"), "{page}");
    // The Cyrillic spelling's own address only leads to the profile's page.
    let alias =
        std::fs::read_to_string(root.join("public/people/dmitrii-peskov/index.html")).unwrap();
    assert!(alias.contains("http-equiv=\"refresh\""), "{alias}");
    assert!(!alias.contains("Kremlin briefing"), "{alias}");

    // A name another profile claims is refused, naming that file; nothing is written.
    let before = files(&root);
    let out = refused(&["new", "profile", "people", "Dmitri Peskov"], &root);
    assert!(
        out.stderr
            .contains("\"Dmitri Peskov\" is already a name of \"Dmitry Peskov\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("content/people/dmitry-peskov.md"),
        "{}",
        out.stderr
    );
    assert_eq!(files(&root), before, "a refused profile was written");
}
