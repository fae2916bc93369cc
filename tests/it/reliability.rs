//! Reliability: no input panics the build, no crash loses the site, every failure explains itself.
//!
//! - Property tests (proptest) feed malformed and adversarial front matter, Markdown, slugs, file
//!   names and whole files to the library and to the binary: no panic, no hang, every error names
//!   its file, every success writes a readable site.
//! - Deep nesting (10,000 levels) runs through the real binary, so a stack overflow would fail
//!   one test instead of aborting the test binary.
//! - File-system faults: symbolic links (inside, outside, broken, looping) in `content/`,
//!   `static/` and `templates/`; FIFOs and sockets; unreadable files; outputs that cannot be
//!   written (a file in the way, `/proc`, a read-only or full tmpfs, a file-size limit).
//! - Process faults: builds killed with SIGKILL at random moments, two builds at once, files
//!   changing during a build.
//!
//! The default run is small enough for `cargo test`. Set `BRIEFING_FUZZ_CASES=N` for N cases per
//! library property (whole builds get N/50) — the long fuzz run — and `BRIEFING_SOAK_KILLS=N`
//! for N kills in the SIGKILL soak.

use std::io::Write;
use std::os::unix::fs::symlink;
use std::os::unix::process::ExitStatusExt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use briefing::load::SourceFile;
use briefing::{BuildOptions, Diagnostic, markdown, parse};
use proptest::prelude::*;
use proptest::test_runner::{Config as PropConfig, TestRunner};

use crate::util::{Run, Site, briefing, read_tree};

const GAS: &str = "content/briefs/2025/01/2025-01-10-gas-transit-ends.md";

// ---- Helpers -------------------------------------------------------------------------------------

/// Cases per property: `BRIEFING_FUZZ_CASES`, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("BRIEFING_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(default: u32) -> TestRunner {
    runner_scaled(default, 1)
}

/// A runner for costly properties: `BRIEFING_FUZZ_CASES / divisor` cases when set.
fn runner_scaled(default: u32, divisor: u32) -> TestRunner {
    TestRunner::new(PropConfig {
        cases: cases(default * divisor) / divisor,
        failure_persistence: None,
        ..PropConfig::default()
    })
}

/// Runs the binary with a deadline; a run that takes longer is killed and fails the test.
#[track_caller]
fn run_within(cmd: &mut Command, limit: Duration) -> Run {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn briefing");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("briefing ran longer than {limit:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("output");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Asserts a run exited 0 or 1 (never a crash or a signal) and did not panic.
#[track_caller]
fn assert_clean_exit(run: &Run) {
    assert!(matches!(run.code, Some(0 | 1)), "crashed\n{run}");
    assert!(!run.stderr.contains("panicked"), "panicked\n{run}");
}

fn build_cmd(site: &Site) -> Command {
    let mut cmd = briefing();
    cmd.arg("build")
        .arg("--root")
        .arg(&site.root)
        .arg("--output")
        .arg(&site.out);
    cmd
}

/// Asserts every error of a failed library call names a file.
#[track_caller]
fn assert_errors_named(diags: &[Diagnostic], context: &str) {
    assert!(
        diags.iter().any(Diagnostic::is_error),
        "failed without an error: {diags:?}\n{context}"
    );
    for d in diags.iter().filter(|d| d.is_error()) {
        let named = d.path.is_some() || d.message.contains('/');
        assert!(named, "an error names no file: {d}\n{context}");
    }
}

/// Asserts a finished output folder is a whole site: its marker, front page and every page UTF-8.
#[track_caller]
fn assert_whole_site(out: &Path) {
    assert!(
        out.join(".briefing-output").is_file(),
        "no marker in {out:?}"
    );
    for name in ["index.html", "feed.xml", "sitemap.xml", "404.html"] {
        assert!(out.join(name).is_file(), "{name} missing from {out:?}");
    }
    for (name, bytes) in read_tree(out) {
        if name.ends_with(".html") || name.ends_with(".xml") {
            let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{name} is not UTF-8"));
            assert!(!text.is_empty(), "{name} is empty");
        }
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

// ---- Generators ----------------------------------------------------------------------------------

/// Pieces that stress parsers: delimiters, brackets, escapes, odd Unicode.
fn nasty_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---".to_string()),
        Just("+++".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{202e}".to_string()), // right-to-left override
        Just("e\u{301}".to_string()), // combining acute
        Just("\u{fffd}".to_string()),
        Just("\\ud800".to_string()), // a lone surrogate as a YAML/JSON escape
        Just("\"\\ud800\"".to_string()),
        Just("\"\\U0010FFFF\\x00\"".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(": ".to_string()),
        Just("- ".to_string()),
        Just("&a *a ".to_string()),
        Just("!!binary ".to_string()),
        Just("<<: *a".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("#".to_string()),
        Just("|\n  ".to_string()),
        Just("  ".to_string()),
        Just("\t".to_string()),
        Just("=".to_string()),
        Just("0x".to_string()),
        Just("9999-99-99".to_string()),
        Just("2025-02-30".to_string()),
        Just("2025-01-10T25:61:00Z".to_string()),
        Just("-0001-01-01".to_string()),
        Just("1e999".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("null".to_string()),
        Just("~".to_string()),
        Just("true".to_string()),
        Just("../".to_string()),
        Just("Песков".to_string()),
        Just("🇺🇦".to_string()),
        "[a-zA-Z0-9 ]{0,8}",
        any::<String>().prop_map(|s| s.chars().take(12).collect()),
    ]
}

fn nasty_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(nasty_piece(), 0..max).prop_map(|v| v.concat())
}

/// A front-matter value of any type, in YAML or TOML spelling.
fn value(toml: bool) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("2025-01-10".to_string()),
        Just("2025-01-10T09:30:00Z".to_string()),
        Just("energy".to_string()),
        Just("42".to_string()),
        Just("-1".to_string()),
        Just("3.5".to_string()),
        Just("true".to_string()),
        Just(if toml { "\"\"" } else { "" }.to_string()),
        Just("{}".to_string()),
        Just("[]".to_string()),
        Just(format!("\"{}\"", "x".repeat(100_000))),
        nasty_text(4).prop_map(move |s| if toml { format!("{s:?}") } else { s }),
    ];
    leaf.prop_recursive(3, 16, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(inner, 0..3).prop_map(move |v| {
                let sep = if toml { " = " } else { ": " };
                let items: Vec<String> = v
                    .into_iter()
                    .enumerate()
                    .map(|(i, x)| format!("k{i}{sep}{x}"))
                    .collect();
                format!("{{{}}}", items.join(", "))
            }),
        ]
    })
}

const FIELDS: &[&str] = &[
    "title",
    "date",
    "updated",
    "topics",
    "summary",
    "slug",
    "sources",
    "people",
    "places",
    "organizations",
    "tags",
    "status",
    "draft",
    "image",
    "order",
    "aliases",
    "topic",
    // Profiles' (authors' and entities').
    "name",
    "role",
    "bio",
    "links",
    "description",
    "wikidata",
    "",
];

/// A whole source file: front matter in either syntax (or both, or unclosed, or truncated),
/// fields of every type, then a Markdown body.
fn source_file() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec((prop::sample::select(FIELDS), any::<bool>()), 0..8),
        any::<u8>(),
        markdown_body(),
        prop::option::of(any::<usize>()),
    )
        .prop_flat_map(|(toml, fields, shape, body, cut)| {
            let values = prop::collection::vec(value(toml), fields.len());
            (
                Just(toml),
                Just(fields),
                values,
                Just(shape),
                Just(body),
                Just(cut),
            )
        })
        .prop_map(|(toml, fields, values, shape, body, cut)| {
            let (open, close, sep) = match (toml, shape % 8) {
                (_, 0) => ("---", "+++", ": "), // both delimiters
                (true, _) => ("+++", "+++", " = "),
                (false, _) => ("---", "---", ": "),
            };
            let mut text = String::new();
            if shape % 11 == 1 {
                text.push('\u{feff}');
            }
            text.push_str(open);
            text.push('\n');
            for ((name, indent), v) in fields.iter().zip(&values) {
                if *indent && shape % 3 == 0 {
                    text.push_str("  ");
                }
                text.push_str(&format!("{name}{sep}{v}\n"));
            }
            if shape % 5 == 2 {
                // Nested front matter: a second block inside the first.
                text.push_str(&format!("{open}\ntitle{sep}\"inner\"\n{close}\n"));
            }
            if shape % 7 != 3 {
                text.push_str(close);
                text.push('\n');
            }
            text.push_str(&body);
            if let Some(cut) = cut {
                // Truncate anywhere (at a character boundary: the loader rejects bad UTF-8).
                let mut at = cut % (text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.truncate(at);
            }
            text
        })
}

/// Markdown made of pathological pieces: links, emphasis, nesting, raw HTML, tables, footnotes.
fn markdown_body() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("*".to_string()),
        Just("_".to_string()),
        Just("**".to_string()),
        Just("~~".to_string()),
        Just("`".to_string()),
        Just("[".to_string()),
        Just("](".to_string()),
        Just(")".to_string()),
        Just("![".to_string()),
        Just("<".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("    ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("# ".to_string()),
        Just("## x {#id}\n".to_string()),
        Just("## {#}\n".to_string()),
        Just("|a|b|\n|-|:-:|\n|c|d|\n".to_string()),
        Just("[^1]\n\n[^1]: note\n".to_string()),
        Just("[ref]: /x\n".to_string()),
        Just("[x](../../topics/energy.md#a)".to_string()),
        Just("[x](2025-01-20-ceasefire-talks-open.md)".to_string()),
        Just("[x](missing.md)".to_string()),
        Just("[x](../../../../../../etc/passwd.md)".to_string()),
        Just("[x](/images/map.svg?a#b)".to_string()),
        Just("[x](/nope/)".to_string()),
        Just("[x](/)".to_string()),
        Just("[x](%zz%ff.md)".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("[x](<a b.md>)".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<div><div><blockquote>".to_string()),
        Just("</div>".to_string()),
        Just("<!--".to_string()),
        Just("<a href=\"javascript:x\" onclick=\"y\">".to_string()),
        // Raw HTML that is resolved, measured, checked and linted.
        Just("<img src=\"chart.svg\" srcset=\"chart.svg 1x, chart.svg 2x\" alt=\"c\">".to_string()),
        Just("<img src=chart.svg alt=é width=5px/>".to_string()),
        Just("<img src=\"chart.svg\"".to_string()),
        Just("<img alt='x' src='/images/map.svg'".to_string()),
        Just("<a href=\"путь/файл.md\">ссылка</a>".to_string()),
        Just("<a href='2025-01-20-ceasefire-talks-open.md#x' id=main>".to_string()),
        Just("<span>".to_string()),
        Just("</span>".to_string()),
        Just("<h1 id=\"\">".to_string()),
        Just("<h5 id=\"a b\">".to_string()),
        Just("<td colspan=\"two\">".to_string()),
        Just("![](chart.svg)".to_string()),
        Just("![é](chart.svg \"t\")".to_string()),
        Just("&#0;&#xD800;&amp".to_string()),
        Just("\\".to_string()),
        Just("- [x] ".to_string()),
        Just("```\n".to_string()),
        nasty_piece(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

// ---- Property tests: the library ---------------------------------------------------------------

/// Front matter, fields and bodies of every shape, parsed as a brief, topic, page, author profile
/// and entity profile: parsing never panics, every error is located
/// in the file it is about, at a line the file has.
#[test]
fn front_matter_parsing_never_panics() {
    let mut r = runner(256);
    let strategy = prop_oneof![
        3 => source_file(),
        1 => prop::collection::vec(any::<u8>(), 0..200)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ];
    r.run(&strategy, |text| {
        let path = PathBuf::from("content/briefs/2025/x y/2025-01-10-é ü.md");
        let file = SourceFile {
            path: path.clone(),
            text: briefing::load::normalize(text.clone()),
        };
        let lines = file.text.lines().count().max(1) + 1;
        let outcomes = catch_unwind(AssertUnwindSafe(|| {
            let mut errs = Vec::new();
            errs.extend(parse::parse_brief(file.clone()).err().unwrap_or_default());
            errs.extend(parse::parse_topic(file.clone()).err().unwrap_or_default());
            errs.extend(parse::parse_page(file.clone()).err().unwrap_or_default());
            errs.extend(parse::parse_author(file.clone()).err().unwrap_or_default());
            errs.extend(
                parse::parse_profile(file.clone(), briefing::model::EntityKind::People)
                    .err()
                    .unwrap_or_default(),
            );
            errs
        }));
        let errs = outcomes.map_err(|_| TestCaseError::fail(format!("panicked on {text:?}")))?;
        for d in errs {
            prop_assert_eq!(d.path.as_deref(), Some(path.as_path()), "{}", d);
            if let Some(line) = d.line {
                prop_assert!(line <= lines, "line {} of {} lines: {}", line, lines, d);
            }
        }
        Ok(())
    })
    .unwrap();
}

/// Markdown with link rewriting: never panics, stays linear enough, and every diagnostic names
/// the file; the HTML is sanitised (no script survives).
#[test]
fn markdown_rendering_never_panics() {
    let mut r = runner(256);
    let mut targets = markdown::LinkTargets::default();
    targets.content.insert(
        PathBuf::from("content/briefs/2025/01/2025-01-20-ceasefire-talks-open.md"),
        "briefs/ceasefire-talks-open/index.html".into(),
    );
    targets.content.insert(
        PathBuf::from("content/topics/energy.md"),
        "topics/energy/index.html".into(),
    );
    targets.files.insert("images/map.svg".into());
    // A site folder with an image beside the brief, so raw and Markdown images are measured.
    let site = tempfile::tempdir().expect("a temp folder");
    let beside = Path::new(GAS).with_file_name("chart.svg");
    std::fs::create_dir_all(site.path().join(beside.parent().unwrap())).unwrap();
    std::fs::write(
        site.path().join(&beside),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"/>",
    )
    .unwrap();
    targets.assets.insert(beside);
    targets.root = Some(site.path().to_path_buf());
    let sanitizer = markdown::Sanitizer::default();
    r.run(&markdown_body(), |body| {
        let text = format!("---\ntitle: x\n---\n{body}");
        let path = Path::new(GAS);
        let start = Instant::now();
        let (out, diags) = catch_unwind(AssertUnwindSafe(|| {
            markdown::render(&markdown::Input {
                path,
                text: &text,
                body_offset: 16,
                targets: &targets,
                root_prefix: "../../",
                sanitizer: Some(&sanitizer),
            })
        }))
        .map_err(|_| TestCaseError::fail(format!("panicked on {body:?}")))?;
        prop_assert!(start.elapsed() < Duration::from_secs(5), "slow: {body:?}");
        prop_assert!(!out.html.contains("<script"), "{}", out.html);
        for d in diags {
            prop_assert_eq!(d.path.as_deref(), Some(path));
        }
        Ok(())
    })
    .unwrap();
}

/// Slugs are always lower-case ASCII letters, digits and hyphens, and slugging is idempotent.
/// So two slugs cannot differ only by case or Unicode normalisation: names that would collide on
/// a case-insensitive file system make the same slug, which the duplicate check reports.
#[test]
fn slugs_are_folded_ascii() {
    let mut r = runner(1024);
    let strategy = prop_oneof![any::<String>(), nasty_text(6)];
    r.run(&strategy, |s| {
        let slug = catch_unwind(|| parse::slugify(&s))
            .map_err(|_| TestCaseError::fail(format!("panicked on {s:?}")))?;
        prop_assert!(
            slug.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{:?} → {:?}",
            s,
            slug
        );
        prop_assert_eq!(parse::slugify(&slug), slug.clone());
        Ok(())
    })
    .unwrap();
}

/// Whole builds in-process with one brief replaced by an adversarial file under an adversarial
/// name: no panic, bounded time, errors name files, successes write a whole site.
#[test]
fn adversarial_sources_build_or_explain() {
    let mut r = runner_scaled(24, 50);
    let site = Site::copy_of("basic");
    let name = prop_oneof![
        Just("2025-01-10-gas transit ends.md".to_string()),
        Just("2025-01-10-ГАЗ.md".to_string()),
        Just("2025-01-10-cafe\u{301}.md".to_string()),
        Just("2025-01-10-caf\u{e9}.md".to_string()),
        Just("2025-01-10-\u{202e}txt.md".to_string()),
        Just(" .md".to_string()),
        Just("#?%.md".to_string()),
        "[a-zA-Z0-9 éü-]{1,20}\\.md",
    ];
    let n = std::cell::Cell::new(0);
    r.run(&(name, source_file()), |(name, text)| {
        n.set(n.get() + 1);
        let _ = std::fs::remove_file(site.path(GAS));
        let dir = site.path("content/briefs/2025/01/fuzz");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(&name), &text).unwrap();
        let opts = BuildOptions {
            root: site.root.clone(),
            output: Some(site.out.clone()),
            ..Default::default()
        };
        let start = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| briefing::build(&opts)))
            .map_err(|_| TestCaseError::fail(format!("panicked on {name:?}: {text:?}")))?;
        prop_assert!(start.elapsed() < Duration::from_secs(20), "slow: {text:?}");
        match result {
            Ok(_) => assert_whole_site(&site.out),
            Err(d) => assert_errors_named(&d.0, &text),
        }
        Ok(())
    })
    .unwrap();
    assert!(site.leftover_staging().is_empty());
    eprintln!("adversarial builds: {} cases", n.get());
}

// ---- Deep nesting through the binary ------------------------------------------------------------

/// 10,000 levels of lists, quotes, emphasis, links, raw HTML and front-matter nesting: each run
/// ends in bounded time with success or a located error, never a stack overflow.
#[test]
fn deep_nesting_is_bounded() {
    const N: usize = 10_000;
    let fm = "---\ntitle: Deep\ndate: 2025-01-10\ntopics: [energy]\n---\n";
    let mut lists = String::new();
    for i in 0..2_000 {
        lists.push_str(&"  ".repeat(i));
        lists.push_str("- x\n");
    }
    let cases: Vec<(&str, String)> = vec![
        ("quotes", format!("{fm}{} deep\n", ">".repeat(N))),
        ("list markers", format!("{fm}{}x\n", "- ".repeat(N))),
        ("indented lists", format!("{fm}{lists}")),
        ("ordered lists", format!("{fm}{}x\n", "1. ".repeat(N))),
        (
            "emphasis",
            format!("{fm}{}x{}\n", "*_".repeat(N), "_*".repeat(N)),
        ),
        (
            "links",
            format!("{fm}{}x{}\n", "[".repeat(N), "](y)".repeat(N)),
        ),
        ("unclosed links", format!("{fm}{}\n", "[x](".repeat(N))),
        ("raw divs", format!("{fm}{}x\n", "<div>".repeat(N))),
        (
            "lists with raw HTML",
            format!("{fm}<b>x</b>\n\n{}x\n", "- ".repeat(N)),
        ),
        (
            "quotes and lists",
            format!("{fm}{}x\n", "> - ".repeat(N / 2)),
        ),
        (
            "yaml flow nesting",
            format!(
                "---\ntitle: {}\ndate: 2025-01-10\ntopics: [energy]\n---\n",
                "[".repeat(N)
            ),
        ),
        (
            "yaml block nesting",
            format!(
                "---\ntitle: T\ndate: 2025-01-10\ntopics: [energy]\nsources:\n{}\n---\n",
                (0..N)
                    .map(|i| format!("{}- ", " ".repeat(i % 200)))
                    .collect::<String>()
            ),
        ),
        (
            "toml nesting",
            format!(
                "+++\ntitle = {}\ndate = 2025-01-10\ntopics = [\"energy\"]\n+++\n",
                "[".repeat(N)
            ),
        ),
        (
            "toml inline tables",
            format!(
                "+++\ntitle = \"T\"\ndate = 2025-01-10\ntopics = [\"energy\"]\nsources = {}\n+++\n",
                "{a = ".repeat(N)
            ),
        ),
        (
            "huge title",
            format!(
                "---\ntitle: {}\ndate: 2025-01-10\ntopics: [energy]\n---\n",
                "x".repeat(5_000_000)
            ),
        ),
    ];
    let site = Site::copy_of("basic");
    for (what, text) in &cases {
        site.write(GAS, text);
        let run = run_within(&mut build_cmd(&site), Duration::from_secs(60));
        assert_clean_exit(&run);
        if run.code == Some(1) {
            run.stderr_has(GAS);
        } else {
            assert_whole_site(&site.out);
        }
        eprintln!("deep nesting, {what}: exit {:?}", run.code);
    }
}

// ---- Case and Unicode normalisation collisions ---------------------------------------------------

/// Two brief files whose names differ only by case, or by NFC/NFD, make one slug: an error
/// naming both files.
#[test]
fn case_and_normalisation_slug_collisions_name_both_files() {
    let brief = |title: &str| {
        format!("---\ntitle: {title}\ndate: 2025-01-10\ntopics: [energy]\n---\nBody.\n")
    };
    for (a, b) in [
        ("2025-01-11-Gas.md", "2025-01-11-gas.md"),
        ("2025-01-11-caf\u{e9}.md", "2025-01-11-cafe\u{301}.md"),
        ("2025-01-11-ÉTÉ.md", "2025-01-11-été.md"),
    ] {
        let site = Site::copy_of("basic");
        let dir = "content/briefs/2025/01/";
        site.write(&format!("{dir}{a}"), brief("A"));
        site.write(&format!("{dir}{b}"), brief("B"));
        let run = site.build(&[]);
        run.failure().stderr_has("is also used by");
        run.stderr_has(a).stderr_has(b);
    }
    // Topics and pages the same way.
    let site = Site::copy_of("basic");
    site.write(
        "content/topics/Energy.md",
        "+++\ntitle = \"Energy again\"\n+++\n",
    );
    site.write("content/pages/About.md", "---\ntitle: About again\n---\n");
    let run = site.build(&[]);
    run.failure()
        .stderr_has("content/topics/Energy.md")
        .stderr_has("content/topics/energy.md")
        .stderr_has("content/pages/About.md")
        .stderr_has("content/pages/about.md");
}

/// Static files that differ only by case or normalisation, from each other or from a generated
/// page, are an error naming both.
#[test]
fn static_case_collisions_name_both_files() {
    let site = Site::copy_of("basic");
    site.write("static/images/Map.svg", "<svg/>");
    site.write("static/caf\u{e9}.txt", "a");
    site.write("static/cafe\u{301}.txt", "b");
    let run = site.build(&[]);
    run.failure()
        .stderr_has("static/images/Map.svg")
        .stderr_has("images/map.svg")
        .stderr_has("only by case or Unicode normalisation")
        .stderr_has("caf\u{e9}.txt")
        .stderr_has("cafe\u{301}.txt");
    assert!(!site.out.exists());

    let site = Site::copy_of("basic");
    site.write("static/Index.html", "<p>x</p>");
    site.write("static/Briefs/x.txt", "x"); // a folder differing by case from briefs/
    let run = site.build(&[]);
    run.failure()
        .stderr_has("static/Index.html")
        .stderr_has("index.html")
        .stderr_has("only by case");
}

// ---- Symbolic links --------------------------------------------------------------------------------

/// Links inside the site root are followed in content/, static/ and templates/; links that
/// leave it, broken links and loops are errors naming the link.
#[test]
fn symlink_policy() {
    // Inside the root: followed.
    let site = Site::copy_of("basic");
    std::fs::create_dir_all(site.path("shared")).unwrap();
    std::fs::rename(site.path(GAS), site.path("shared/gas.md")).unwrap();
    symlink("../../../../shared/gas.md", site.path(GAS)).unwrap();
    symlink("images", site.path("static/pictures")).unwrap();
    std::fs::write(site.path("shared/note.txt"), "note").unwrap();
    symlink("../shared/note.txt", site.path("static/note.txt")).unwrap();
    std::fs::create_dir_all(site.path("templates")).unwrap();
    std::fs::write(
        site.path("shared/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Linked 404</p>{% endblock content %}",
    )
    .unwrap();
    symlink("../shared/404.html", site.path("templates/404.html")).unwrap();
    site.build_ok(&[]);
    assert!(
        site.out
            .join("briefs/gas-transit-ends/index.html")
            .is_file()
    );
    assert!(site.out.join("pictures/map.svg").is_file());
    assert_eq!(site.output("note.txt"), "note");
    assert!(site.output("404.html").contains("Linked 404"));

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "---\ntitle: S\n---\n").unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    type Setup = Box<dyn Fn(&Site, &Path)>;
    let cases: Vec<(&str, &str, Setup)> = vec![
        (
            "content file outside",
            "content/briefs/2025/01/secret.md",
            Box::new(|s, o| {
                symlink(
                    o.join("secret.md"),
                    s.path("content/briefs/2025/01/secret.md"),
                )
                .unwrap()
            }),
        ),
        (
            "content folder outside",
            "content/briefs/elsewhere",
            Box::new(|s, o| symlink(o, s.path("content/briefs/elsewhere")).unwrap()),
        ),
        (
            "static file outside",
            "static/secret.txt",
            Box::new(|s, o| symlink(o.join("secret.txt"), s.path("static/secret.txt")).unwrap()),
        ),
        (
            "static folder to /etc",
            "static/etc",
            Box::new(|s, _| symlink("/etc", s.path("static/etc")).unwrap()),
        ),
        (
            "template outside",
            "templates/brief.html",
            Box::new(|s, o| {
                std::fs::create_dir_all(s.path("templates")).unwrap();
                symlink(o.join("secret.txt"), s.path("templates/brief.html")).unwrap()
            }),
        ),
        (
            "relative climb out",
            "static/up",
            Box::new(|s, _| symlink("../../..", s.path("static/up")).unwrap()),
        ),
        (
            "site.toml outside",
            "site.toml",
            Box::new(|s, o| {
                std::fs::write(o.join("site.toml"), "title = \"x\"\n").unwrap();
                std::fs::remove_file(s.path("site.toml")).unwrap();
                symlink(o.join("site.toml"), s.path("site.toml")).unwrap()
            }),
        ),
    ];
    let mut n = 0;
    for (what, shown, setup) in &cases {
        let site = Site::copy_of("basic");
        setup(&site, outside.path());
        let run = run_within(&mut build_cmd(&site), Duration::from_secs(60));
        run.failure()
            .stderr_has(shown)
            .stderr_has("leads outside the site");
        assert!(
            !run.stderr.contains("title: S"),
            "{what}: read outside\n{run}"
        );
        assert!(!site.out.exists(), "{what}: wrote output");
        n += 1;
    }
    // Broken links and loops.
    let site = Site::copy_of("basic");
    symlink("nowhere.md", site.path("content/briefs/broken.md")).unwrap();
    symlink("..", site.path("content/briefs/2025/loop")).unwrap();
    symlink("self", site.path("static/self")).unwrap();
    symlink("b", site.path("static/a")).unwrap();
    symlink("a", site.path("static/b")).unwrap();
    let run = run_within(&mut build_cmd(&site), Duration::from_secs(60));
    run.failure()
        .stderr_has("content/briefs/broken.md")
        .stderr_has("the symbolic link is broken")
        .stderr_has("content/briefs/2025/loop")
        .stderr_has("makes a loop")
        .stderr_has("static/self")
        .stderr_has("static/a");
    eprintln!("symlinks: 3 followed inside, {n} outside refused, 5 broken or looping refused");
}

// ---- Special files and unreadable input ------------------------------------------------------------

/// A FIFO or a socket in static/ or content/ is an error, never a hang.
#[test]
fn fifos_and_sockets_are_refused() {
    let site = Site::copy_of("basic");
    let fifo = |p: &Path| {
        let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `c` is a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
    };
    fifo(&site.path("static/pipe"));
    fifo(&site.path("content/briefs/pipe.md"));
    let _sock = std::os::unix::net::UnixListener::bind(site.path("static/sock")).unwrap();
    let run = run_within(&mut build_cmd(&site), Duration::from_secs(60));
    run.failure()
        .stderr_has("static/pipe")
        .stderr_has("named pipe (FIFO)")
        .stderr_has("content/briefs/pipe.md")
        .stderr_has("static/sock")
        .stderr_has("socket");
    assert!(!site.out.exists());

    // A FIFO that replaces a file after the walk (open_regular) is refused too, not waited on.
    let path = site.path("swapped");
    fifo(&path);
    let start = Instant::now();
    let err = briefing::load::open_regular(&path).unwrap_err();
    assert!(err.to_string().contains("FIFO"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(1));
}

/// A file of absurd size (a sparse 8 TiB page) is an error naming it, refused before it is read
/// (text files over `MAX_SOURCE_BYTES`), not an aborted allocation or a read without end.
#[test]
fn a_file_too_large_to_read_is_an_error() {
    let site = Site::copy_of("basic");
    let huge = std::fs::File::create(site.path("content/pages/huge.md")).unwrap();
    if let Err(e) = huge.set_len(8 << 40) {
        println!("skipped: this file system cannot hold a sparse 8 TiB file ({e})");
        return;
    }
    let run = run_within(&mut build_cmd(&site), Duration::from_secs(60));
    run.failure()
        .stderr_has("content/pages/huge.md")
        .stderr_has("cannot read the file")
        .stderr_has("too large to read");
    assert!(!run.stderr.contains("panicked"), "{run}");
    assert!(!site.out.exists());
}

/// An unreadable file or folder is an error naming it. Root reads through `chmod 000`, so under
/// root (as in CI) the builds run as the unprivileged user 65534 ("nobody"), first on the whole
/// site, which must succeed (so nobody can read the rest and write the output), then with one
/// brief and one folder made unreadable. A directory in place of a file and an unreadable
/// `/proc` file run as well.
#[test]
fn unreadable_input_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::copy_of("basic");
    let nobody_bin = is_root().then(|| prepare_for_nobody(&site));
    let build = || {
        let mut cmd = match &nobody_bin {
            Some(bin) => as_nobody(bin, site.tmp.path()),
            None => briefing(),
        };
        cmd.arg("build")
            .arg("--root")
            .arg(&site.root)
            .arg("--output")
            .arg(&site.out);
        run_within(&mut cmd, Duration::from_secs(60))
    };
    build().success();
    let before = read_tree(&site.out);
    std::fs::set_permissions(site.path(GAS), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(
        site.path("content/briefs/2025/03/security"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    build()
        .failure()
        .stderr_has(GAS)
        .stderr_has("content/briefs/2025/03/security")
        .stderr_has("ermission denied");
    assert_eq!(
        read_tree(&site.out),
        before,
        "the failed build changed the output"
    );
    for p in [GAS, "content/briefs/2025/03/security"] {
        let mode = if p == GAS { 0o644 } else { 0o755 };
        std::fs::set_permissions(site.path(p), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    // site.toml that is a folder.
    let site = Site::copy_of("basic");
    std::fs::remove_file(site.path("site.toml")).unwrap();
    std::fs::create_dir(site.path("site.toml")).unwrap();
    site.build(&[])
        .failure()
        .stderr_has("site.toml")
        .stderr_has("not a regular file");
    // A template that cannot be read: a /proc file root cannot read either.
    let site = Site::copy_of("basic");
    std::fs::create_dir_all(site.path("templates")).unwrap();
    if Path::new("/proc/self/mem").exists() {
        let run = briefing::load::read_source(Path::new("/proc/self"), PathBuf::from("mem"));
        let d = run.unwrap_err();
        assert_eq!(d.path.as_deref(), Some(Path::new("mem")));
        assert!(d.message.contains("cannot read"), "{d}");
    }
}

/// The user and group tests drop to when root would read through a permission.
const NOBODY: u32 = 65534;

/// Prepares a site for builds run as [`NOBODY`], for tests of permissions that root reads
/// through, and returns the binary to run ([`as_nobody`]). The site's temp folder is given to
/// that user (so it can write the output beside the site) and the site made readable to all; the
/// binary is copied there when that user cannot reach it where cargo put it (a checkout under
/// `/root`, say).
fn prepare_for_nobody(site: &Site) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let tmp = site.tmp.path();
    std::os::unix::fs::chown(tmp, Some(NOBODY), Some(NOBODY)).expect("chown the temp folder");
    std::fs::set_permissions(tmp, std::fs::Permissions::from_mode(0o755)).unwrap();
    for entry in walkdir::WalkDir::new(&site.root) {
        let entry = entry.expect("walk the site");
        let mode = if entry.file_type().is_dir() {
            0o755
        } else {
            0o644
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let bin = PathBuf::from(assert_cmd::cargo::cargo_bin!("briefing"));
    if as_nobody(&bin, tmp).arg("--version").output().is_ok() {
        return bin;
    }
    let copy = tmp.join("briefing-bin");
    std::fs::copy(&bin, &copy).expect("copy the binary where nobody can run it");
    copy
}

/// Runs `bin` as [`NOBODY`] in `dir`. std's `uid` also drops root's supplementary groups, as
/// `setpriv --clear-groups` would.
fn as_nobody(bin: &Path, dir: &Path) -> Command {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(bin);
    cmd.env("NO_COLOR", "1")
        .current_dir(dir)
        .uid(NOBODY)
        .gid(NOBODY);
    cmd
}

// ---- Output faults ---------------------------------------------------------------------------------

/// Outputs that cannot be written: a file in the way, a folder under /proc, a read-only and a
/// full file system (tmpfs when mounting works), a file-size limit (always). Each is a clear
/// error, the previous output (if any) stays whole and no staging folder is left.
#[test]
fn unwritable_outputs_fail_cleanly() {
    let site = Site::copy_of("basic");
    // A file where the output's parent folder should be.
    std::fs::write(site.tmp.path().join("file"), "x").unwrap();
    let run = site.build_into(&site.tmp.path().join("file/out"), &[]);
    run.failure()
        .stderr_has("/file")
        .stderr_has("a file is in the way");
    // Under /proc nothing can be created, not even by root.
    let run = site.build_into(Path::new("/proc/briefing-test/out"), &[]);
    run.failure().stderr_has("/proc/briefing-test");

    // A file-size limit (RLIMIT_FSIZE) makes writes fail part-way, like a full disk.
    site.build_ok(&[]);
    let before = read_tree(&site.out);
    site.edit(
        GAS,
        "The transit contract",
        &format!("{} The transit contract", "Long text. ".repeat(2000)),
    );
    let mut cmd = build_cmd(&site);
    // SAFETY: the closure only calls async-signal-safe libc functions.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: 8 * 1024,
                rlim_max: 8 * 1024,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
            Ok(())
        });
    }
    let run = run_within(&mut cmd, Duration::from_secs(60));
    run.failure()
        .stderr_has("cannot write")
        .stderr_has("too large");
    assert_eq!(read_tree(&site.out), before, "the old output changed");
    assert!(
        site.leftover_staging().is_empty(),
        "{:?}",
        site.leftover_staging()
    );

    // A real full and a read-only file system, when this machine lets tests mount a tmpfs.
    let mnt = site.tmp.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mnt)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!(
            "unwritable_outputs_fail_cleanly: skipping tmpfs full/read-only: mount failed (no CAP_SYS_ADMIN?)"
        );
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-l").arg(self.0).status();
        }
    }
    let _guard = Unmount(&mnt);
    let out = mnt.join("out");
    let run = site.build_into(&out, &[]);
    run.failure().stderr_has("No space left on device");
    let leftovers: Vec<_> = std::fs::read_dir(&mnt)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Read-only: make room, build once, remount read-only, build again.
    Command::new("mount")
        .args(["-o", "remount,size=16m"])
        .arg(&mnt)
        .status()
        .unwrap();
    site.build_into(&out, &[]).success();
    let before = read_tree(&out);
    Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&mnt)
        .status()
        .unwrap();
    let run = site.build_into(&out, &[]);
    run.failure().stderr_has("Read-only file system");
    assert_eq!(read_tree(&out), before);
    eprintln!("tmpfs: full (64 KiB) and read-only outputs refused cleanly");
}

// ---- SIGKILL soak ------------------------------------------------------------------------------------

/// Writes a generated site of `n` briefs; `variant` changes every brief's text, so two variants
/// give two distinguishable outputs.
fn generate_site(root: &Path, n: usize, variant: &str) {
    let _ = std::fs::remove_dir_all(root.join("content"));
    std::fs::create_dir_all(root.join("content/topics")).unwrap();
    std::fs::write(root.join("site.toml"), "title = \"Soak\"\n").unwrap();
    for t in ["alpha", "beta", "gamma"] {
        std::fs::write(
            root.join(format!("content/topics/{t}.md")),
            format!("---\ntitle: {t}\n---\nAbout {t}.\n"),
        )
        .unwrap();
    }
    let topics = ["alpha", "beta", "gamma"];
    for i in 0..n {
        let dir = root.join(format!("content/briefs/{}", i % 12));
        std::fs::create_dir_all(&dir).unwrap();
        let link = if i > 0 {
            format!("[previous](../{}/b{}.md)", (i - 1) % 12, i - 1)
        } else {
            String::new()
        };
        let body = format!(
            "---\ntitle: Brief {i} {variant}\ndate: 2025-{:02}-{:02}\ntopics: [{}, {}]\npeople: [P{}]\nplaces: [Place {}]\ntags: [t{}]\n---\n{variant} body {i}. {link}\n\n## Section\n\n{}\n",
            1 + i % 12,
            1 + i % 28,
            topics[i % 3],
            topics[(i / 3) % 3],
            i % 50,
            i % 20,
            i % 7,
            "Words of the brief. ".repeat(20)
        );
        std::fs::write(dir.join(format!("b{i}.md")), body).unwrap();
    }
}

/// SIGKILL at random moments, many times: the output is always a whole site (the old or the
/// new one, never a mix or nothing), and the next build succeeds and clears what was left.
///
/// A kill only proves something if it lands while the build runs, so the test counts the builds
/// that died of the signal (a build that had already exited ends with its own status) and keeps
/// going until `BRIEFING_SOAK_KILLS` (20) have; it fails if fewer than one run in three is
/// killed mid-build. It also counts the kills that left the build's staging folder behind for
/// the next build to clear.
#[test]
fn sigkill_at_random_moments_keeps_a_whole_site() {
    let kills: usize = std::env::var("BRIEFING_SOAK_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    let build = |root: &Path| {
        let mut cmd = briefing();
        cmd.arg("build")
            .arg("--quiet")
            .arg("--root")
            .arg(root)
            .arg("--output")
            .arg(&out);
        cmd
    };
    let n = 300;
    generate_site(&root, n, "A");
    let timed = |root: &Path| {
        let start = Instant::now();
        run_within(&mut build(root), Duration::from_secs(120)).success();
        start.elapsed()
    };
    let full_a = timed(&root);
    let tree_a = read_tree(&out);
    generate_site(&root, n, "B");
    // Kills are spread over the faster of two builds, so most land before the build ends.
    let full = full_a.min(timed(&root));
    let tree_b = read_tree(&out);
    assert_ne!(tree_a, tree_b);

    let mut rng_state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        rng_state
    };
    let (mut landed, mut staged, mut finished, mut saw_a, mut saw_b) = (0, 0, 0, 0, 0);
    let mut i = 0;
    while landed < kills {
        assert!(
            i < 3 * kills,
            "only {landed} of {i} kills landed while the build ran (builds take about {full:?}); the soak proved too little"
        );
        i += 1;
        let variant = if i % 2 == 0 { "A" } else { "B" };
        generate_site(&root, n, variant);
        let delay = Duration::from_micros(next() % (full.as_micros() as u64 + 1));
        let mut child: Child = build(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.signal() == Some(libc::SIGKILL) {
            landed += 1;
            if staging_left(tmp.path(), pid) {
                staged += 1;
            }
        } else {
            assert!(
                status.success(),
                "a build exited with {status} before the kill"
            );
            finished += 1;
        }
        let now = read_tree(&out);
        if now == tree_a {
            saw_a += 1;
        } else if now == tree_b {
            saw_b += 1;
        } else {
            panic!("after a kill at {delay:?} the output is neither whole site");
        }
    }
    run_within(&mut build(&root), Duration::from_secs(120)).success();
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains("lock"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "stale staging or lock left: {leftovers:?}"
    );
    eprintln!(
        "sigkill soak: {i} runs ({landed} killed mid-build, {staged} of them leaving a staging folder; {finished} finished first; output whole: {saw_a}× A, {saw_b}× B), full build {full:?}"
    );
}

/// Whether the build with process id `pid` left its staging folder beside the output in `dir`.
fn staging_left(dir: &Path, pid: u32) -> bool {
    let (name, old) = (
        format!(".out.staging-{pid}"),
        format!(".out.staging-{pid}.old"),
    );
    std::fs::read_dir(dir).unwrap().any(|e| {
        let n = e.unwrap().file_name();
        n.to_str().is_some_and(|n| n == name || n == old)
    })
}

// ---- Concurrency -------------------------------------------------------------------------------------

/// A build while another holds the lock fails with a clear message and leaves the holder's lock
/// file alone; builds started together never mix their output, and none leaves a lock file.
#[test]
fn concurrent_builds_are_locked() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    // Hold the lock as a build does: an exclusive flock on `.<output>.lock` beside the output.
    let lock_path = site.tmp.path().join(".out.lock");
    let lock = std::fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();
    let before = read_tree(&site.out);
    site.edit(GAS, "The transit contract", "Changed. The transit contract");
    let run = site.build(&[]);
    run.failure()
        .stderr_has("another build is running into")
        .stderr_has(".out.lock");
    assert_eq!(read_tree(&site.out), before);
    assert!(
        lock_path.exists(),
        "the refused build removed a lock it did not hold"
    );
    drop(lock);
    // What a killed build leaves: a lock file nobody holds. The next build takes and removes it.
    site.build_ok(&[]);
    assert!(!lock_path.exists(), "a stale lock file survived a build");

    // Start builds of two versions together, many times: each ends in success or the lock
    // message, and the output is always one version whole.
    let mut locked = 0;
    for round in 0..6 {
        let other = Site::copy_of("basic");
        other.edit(
            GAS,
            "The transit contract",
            &format!("Round {round}. The transit contract"),
        );
        let children: Vec<Child> = [&site.root, &other.root]
            .iter()
            .map(|root| {
                briefing()
                    .arg("build")
                    .arg("--root")
                    .arg(root)
                    .arg("--output")
                    .arg(&site.out)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            if !out.status.success() {
                assert!(err.contains("another build is running"), "{err}");
                locked += 1;
            }
        }
        assert_whole_site(&site.out);
        let gas = site.output("briefs/gas-transit-ends/index.html");
        let ours = gas.contains("Changed. The transit");
        let theirs = gas.contains(&format!("Round {round}. The transit"));
        assert!(ours ^ theirs, "mixed or unknown output");
    }
    assert!(site.leftover_staging().is_empty());
    assert!(!lock_path.exists(), "a racing build left its lock file");
    eprintln!(
        "concurrent builds: 1 held-lock refusal, 6 racing pairs ({locked} refused by the lock)"
    );
}

/// A build into the default output (`public/` inside the site folder) adds that folder to the
/// site and nothing else: no lock file and no staging folder, whether it succeeds or fails.
#[test]
fn a_build_leaves_nothing_beside_its_output() {
    let site = Site::copy_of("basic");
    let names = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let mut expected = names(&site.root);
    expected.push("public".into());
    expected.sort();
    let build = || Run::of(briefing().arg("build").arg("--root").arg(&site.root));
    build().success();
    assert_eq!(names(&site.root), expected, "after the first build");
    build().success();
    assert_eq!(
        names(&site.root),
        expected,
        "after a build that replaced the output"
    );
    site.write("content/briefs/broken.md", "---\ntitle: [\n---\n");
    build().failure();
    assert_eq!(names(&site.root), expected, "after a failed build");
}

/// Files created, changed and removed while builds run: every build either succeeds with a
/// whole site or fails naming files; none panics or hangs.
#[test]
fn files_changing_during_builds() {
    let site = Site::copy_of("basic");
    let root = site.root.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let p = root.join(format!("content/briefs/churn-{}.md", i % 5));
                // Only churn-0 is ever broken on purpose; the others break only if read half-written.
                let kind = if i.is_multiple_of(5) {
                    i / 5 % 4
                } else {
                    3 * (i % 2)
                };
                let text = match kind {
                    0 => "---\ntitle: Churn\ndate: 2025-01-10\ntopics: [energy]\n---\nBody.\n".to_string(),
                    1 => "---\ntitle: [broken\n".to_string(),
                    2 => String::new(),
                    _ => "---\ntitle: Churn\ndate: 2025-01-10\ntopics: [energy]\n---\n[x](/images/map.svg)\n".to_string(),
                };
                if i.is_multiple_of(9) {
                    let _ = std::fs::remove_file(&p);
                } else if let Ok(mut f) = std::fs::File::create(&p) {
                    // Written in two parts, so a build may read half a file.
                    let (a, b) = text.split_at(text.len() / 2);
                    let _ = f.write_all(a.as_bytes());
                    std::thread::yield_now();
                    let _ = f.write_all(b.as_bytes());
                }
                let img = root.join("static/images/map.svg");
                if i.is_multiple_of(13) {
                    let _ = std::fs::remove_file(&img);
                } else if !img.exists() {
                    let _ = std::fs::write(&img, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
                }
                i += 1;
                std::thread::sleep(Duration::from_millis(1));
            }
        })
    };
    let (mut ok, mut failed) = (0, 0);
    for _ in 0..12 {
        let run = run_within(&mut build_cmd(&site), Duration::from_secs(60));
        assert_clean_exit(&run);
        if run.code == Some(0) {
            ok += 1;
            assert_whole_site(&site.out);
        } else {
            failed += 1;
            assert!(
                run.stderr.contains("content/") || run.stderr.contains("static/"),
                "a failure names no file\n{run}"
            );
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    assert!(site.leftover_staging().is_empty());
    eprintln!(
        "files changing during builds: 12 builds, {ok} succeeded, {failed} failed with named files"
    );
}
