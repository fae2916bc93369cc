//! `briefing check`: every problem of a site in one run, as text for people and as JSON for
//! editors and CI.

use serde_json::Value;

use crate::util::*;

/// `check` on the fixture with one error of every class, without colour.
fn check_every_error(args: &[&str]) -> Run {
    let site = Site::copy_of("every_error");
    let run = site.check(args);
    run.failure();
    run
}

#[test]
fn one_check_reports_an_error_of_every_class() {
    let run = check_every_error(&[]);
    let text = run.stderr.clone();
    for needle in [
        // config
        "site.toml",
        // front matter
        "2025-03-01-front-matter.md",
        // raw HTML link
        "link to /images/no-such-map.png",
        // Markdown link, with the closest file
        "did you mean `2025-03-01-front-matter.md`?",
        // missing alt
        "an image without alternative text",
        // duplicate id
        "the id `dates` is used twice",
        // template
        "templates/brief.html",
        // encoding
        "2025-03-03-encoding.md",
    ] {
        assert!(text.contains(needle), "{needle:?} missing:\n{text}");
    }
    insta::assert_snapshot!("every_error_text", text);
}

#[test]
fn check_format_json_lists_every_diagnostic_in_the_documented_schema() {
    let run = check_every_error(&["--format", "json"]);
    assert!(
        run.stderr.is_empty(),
        "JSON mode prints nothing else: {}",
        run.stderr
    );
    let doc: Value = serde_json::from_str(&run.stdout).expect("stdout is one JSON document");
    insta::assert_snapshot!("every_error_json", run.stdout);

    // The schema, field by field, as the README documents it.
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["ok"], false);
    let diags = doc["diagnostics"].as_array().expect("diagnostics");
    let errors = diags.iter().filter(|d| d["severity"] == "error").count();
    let warnings = diags.iter().filter(|d| d["severity"] == "warning").count();
    assert_eq!(doc["summary"]["errors"], errors);
    assert_eq!(doc["summary"]["warnings"], warnings);
    assert!(errors >= 8, "{errors} errors");
    assert_eq!(doc["summary"]["briefs"], Value::Null);
    for d in diags {
        let mut keys: Vec<&str> = d
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "code", "column", "end", "file", "help", "line", "message", "severity"
            ],
            "{d}"
        );
        assert!(d["code"].is_string(), "every diagnostic has a code: {d}");
        assert!(d["message"].is_string());
        if let Some(line) = d["line"].as_u64() {
            assert!(line >= 1);
        }
        if !d["end"].is_null() {
            assert!(d["end"]["line"].as_u64() >= d["line"].as_u64(), "{d}");
        }
    }
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    for code in ["broken-link", "missing-alt", "duplicate-id"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[test]
fn check_format_json_on_a_clean_site_has_the_summary_and_exit_zero() {
    let site = Site::copy_of("basic");
    let run = site.check(&["--format", "json"]);
    run.success();
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(doc["summary"]["briefs"], 7);
    // Warnings are listed too: the fixture has no base_url.
    let warnings = doc["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(doc["summary"]["warnings"], warnings.len());
    assert!(
        warnings
            .iter()
            .any(|w| w["code"] == "base-url-missing" && w["severity"] == "warning"),
        "{warnings:?}"
    );
}
