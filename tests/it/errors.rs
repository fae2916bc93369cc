//! Bad input: every class of mistake fails the build with a non-zero exit, names the file (relative
//! to the site) and the line, leaves the previous output exactly as it was, and leaves no staging
//! folder behind. `check` reports the same diagnostics and writes nothing.
//!
//! Broken sites are made from a copy of `tests/fixtures/basic` in a temp folder, so each test
//! shows the one change that breaks it.

use crate::util::{Run, Site, briefing, read_tree};

const GAS: &str = "content/briefs/2025/01/2025-01-10-gas-transit-ends.md";
const GENEVA: &str = "content/briefs/2025/01/2025-01-20-ceasefire-talks-open.md";
const BORDER: &str = "content/briefs/2025/03/security/2025-03-05-border-incident.md";
const RESUME: &str = "content/briefs/2025/03/2025-03-12-talks-resume.md";

/// Builds the good site, breaks it with `break_it`, builds again into the same output and
/// checks the failure: exit code, every `path:line` in `locations`, every text in `messages`,
/// the old output untouched and no staging folder left. Then runs `check` and expects the same
/// diagnostics and no writes. Returns the build's stderr.
#[track_caller]
fn assert_rejected(
    break_it: impl FnOnce(&Site),
    locations: &[(&str, usize)],
    messages: &[&str],
) -> String {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    let before = read_tree(&site.out);
    break_it(&site);

    let run = site.build(&[]);
    run.failure()
        .stderr_has("build failed: ")
        .stderr_has("the previous output was left untouched");
    for (path, line) in locations {
        run.stderr_has(&format!("{path}:{line}:"));
    }
    for m in messages {
        run.stderr_has(m);
    }
    assert!(!run.stderr.contains("panicked"), "{run}");
    assert_eq!(read_tree(&site.out), before, "the old output changed");
    assert_eq!(site.leftover_staging(), Vec::<String>::new());

    let everything = read_tree(site.tmp.path());
    let check = site.check(&[]);
    check.failure().stderr_has("check failed: ");
    assert_eq!(
        check.diagnostics(),
        run.diagnostics(),
        "check and build differ"
    );
    assert_eq!(read_tree(site.tmp.path()), everything, "check wrote files");
    run.stderr
}

// ---- Front matter syntax ---------------------------------------------------------------------------

#[test]
fn malformed_yaml() {
    assert_rejected(
        |s| s.edit(GAS, "title: Gas transit", "title: Gas: transit"),
        &[(GAS, 2)],
        &[
            "mapping values are not allowed",
            "help: put text that contains `: ` in quotes: `title: \"Gas: transit through the region ends\"`",
        ],
    );
}

#[test]
fn unclosed_yaml_list_points_at_its_bracket() {
    // The parser only notices on line 5 (`summary: …` read as part of the list); the author
    // needs line 4, column 9, where the list opens.
    let stderr = assert_rejected(
        |s| s.edit(GAS, "topics: [energy]", "topics: [energy"),
        &[(GAS, 4)],
        &[
            &format!("{GAS}:4:9"),
            "error: the list opened here is never closed",
            "help: close the list with `]`",
        ],
    );
    assert!(!stderr.contains("known fields"), "{stderr}");
    assert!(!stderr.contains(&format!("{GAS}:5")), "{stderr}");
}

#[test]
fn unclosed_yaml_quote_points_at_its_quote() {
    assert_rejected(
        |s| {
            s.edit(
                GAS,
                "title: Gas transit through the region ends",
                "title: \"Gas transit through the region ends",
            )
        },
        &[(GAS, 2)],
        &[
            &format!("{GAS}:2:8"),
            "the quoted text opened here is never closed",
            "help: close the text with `\"`",
        ],
    );
}

#[test]
fn unclosed_toml_list_points_at_its_bracket() {
    assert_rejected(
        |s| s.edit(GENEVA, "topics = [\"talks\"]", "topics = [\"talks\""),
        &[(GENEVA, 4)],
        &[
            &format!("{GENEVA}:4:10"),
            "the list opened here is never closed",
            "help: close the list with `]`",
        ],
    );
}

#[test]
fn malformed_toml() {
    assert_rejected(
        |s| s.edit(GENEVA, "title = \"Ceasefire", "title = \"Ceasefire\" \""),
        &[(GENEVA, 2)],
        &["error: "],
    );
}

#[test]
fn missing_front_matter() {
    assert_rejected(
        |s| s.write(BORDER, "Just a body, no front matter.\n"),
        &[(BORDER, 1)],
        &[
            "the file has no front matter",
            "start the file with a `---` line",
        ],
    );
}

#[test]
fn unclosed_front_matter() {
    assert_rejected(
        |s| s.edit(BORDER, "status: denied\n---\n", "status: denied\n"),
        &[(BORDER, 1)],
        &["never closed", "add a line with just `---`"],
    );
}

#[test]
fn invalid_utf8() {
    assert_rejected(
        |s| {
            let mut bytes = s.read(BORDER).into_bytes();
            // Line 9 is the body: "The border guard denied …"; break it after "The ".
            let at = s.read(BORDER).find("border guard").expect("body");
            bytes.splice(at..at, [0xff, 0xfe]);
            s.write(BORDER, bytes);
        },
        &[(BORDER, 10)],
        &["not valid UTF-8"],
    );
}

// ---- Fields ----------------------------------------------------------------------------------------

#[test]
fn missing_title_yaml() {
    // A missing field has no line of its own; it is reported at the start of the front matter.
    assert_rejected(
        |s| s.edit(GAS, "title: Gas transit through the region ends\n", ""),
        &[(GAS, 2)],
        &[
            "required field `title` is missing",
            "help: add it, e.g. `title: ",
        ],
    );
}

#[test]
fn missing_date_yaml() {
    assert_rejected(
        |s| s.edit(GAS, "\ndate: 2025-01-10\n", "\n"),
        &[(GAS, 2)],
        &["required field `date` is missing"],
    );
}

#[test]
fn missing_topics_yaml() {
    assert_rejected(
        |s| s.edit(GAS, "topics: [energy]\n", ""),
        &[(GAS, 2)],
        &["required field `topics` is missing"],
    );
}

#[test]
fn missing_title_toml() {
    assert_rejected(
        |s| s.edit(GENEVA, "title = \"Ceasefire talks open in Geneva\"\n", ""),
        &[(GENEVA, 2)],
        &[
            "required field `title` is missing",
            "help: add it, e.g. `title = \"",
        ],
    );
}

#[test]
fn empty_topics() {
    assert_rejected(
        |s| s.edit(GAS, "topics: [energy]", "topics: []"),
        &[(GAS, 4)],
        &["no topics"],
    );
}

#[test]
fn wrong_type_draft() {
    assert_rejected(
        |s| s.edit(GAS, "status: confirmed", "draft: \"maybe\""),
        &[(GAS, 10)],
        &[
            "`draft` must be true or false, not `\"maybe\"`",
            "help: write it like `draft: true`",
        ],
    );
}

#[test]
fn wrong_type_draft_toml() {
    assert_rejected(
        |s| s.edit(GENEVA, "status = \"developing\"", "draft = \"maybe\""),
        &[(GENEVA, 8)],
        &[
            "`draft` must be true or false, not the text \"maybe\"",
            "help: write it like `draft = true`",
        ],
    );
}

#[test]
fn wrong_type_topics() {
    assert_rejected(
        |s| s.edit(GAS, "topics: [energy]", "topics: 3"),
        &[(GAS, 4)],
        &[
            "`topics` must be a list of names, like [a, b], not the number 3",
            "help: write it like `topics: [iran, syria]`",
        ],
    );
}

#[test]
fn unknown_status() {
    assert_rejected(
        |s| s.edit(GAS, "status: confirmed", "status: rumoured"),
        &[(GAS, 10)],
        &["rumoured"],
    );
}

#[test]
fn unknown_field_suggests_the_nearest_and_lists_the_known_ones_once() {
    let stderr = assert_rejected(
        |s| s.edit(GAS, "topics: [energy]", "topic: [energy]"),
        &[(GAS, 4)],
        &[
            "error: unknown field `topic`\n",
            "help: did you mean `topics`? Known fields: title, date, updated, updates, topics, summary",
        ],
    );
    assert_eq!(
        stderr.matches("title, date, updated").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn unknown_toml_field_suggests_the_nearest_and_lists_the_known_ones_once() {
    let stderr = assert_rejected(
        |s| s.edit(GENEVA, "topics = ", "topic = "),
        &[(GENEVA, 4)],
        &[
            "error: unknown field `topic`\n",
            "help: did you mean `topics`? Known fields: title, date, updated, updates, topics, summary",
        ],
    );
    assert_eq!(
        stderr.matches("title, date, updated").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn unknown_field_of_a_source_lists_the_source_fields() {
    assert_rejected(
        |s| s.edit(GAS, "    url: https://wire", "    ur: https://wire"),
        &[(GAS, 13)],
        &[
            &format!("{GAS}:13:5"),
            "help: did you mean `url`? Known fields: name, url, date\n",
        ],
    );
}

#[test]
fn impossible_date_yaml() {
    assert_rejected(
        |s| s.edit(GAS, "\ndate: 2025-01-10", "\ndate: 2025-02-30"),
        &[(GAS, 3)],
        &["2025-02-30", "not a valid date"],
    );
}

#[test]
fn impossible_date_toml() {
    assert_rejected(
        |s| s.edit(GENEVA, "date = 2025-01-20", "date = 2025-02-30"),
        &[(GENEVA, 3)],
        &["invalid date"],
    );
}

#[test]
fn updated_before_date() {
    assert_rejected(
        |s| {
            s.edit(
                "content/briefs/2025/02/2025-02-03-summit-date-set.md",
                "updated: 2025-02-05",
                "updated: 2025-01-05",
            )
        },
        &[("content/briefs/2025/02/2025-02-03-summit-date-set.md", 4)],
        &["`updated` is earlier than `date`"],
    );
}

#[test]
fn unknown_topic_suggests_the_nearest() {
    let stderr = assert_rejected(
        |s| s.edit(GAS, "topics: [energy]", "topics: [enrgy]"),
        &[(GAS, 4)],
        &["unknown topic \"enrgy\"", "did you mean \"energy\"?"],
    );
    insta::assert_snapshot!("unknown_topic", stderr);
}

#[test]
fn unsafe_source_url() {
    assert_rejected(
        |s| {
            s.edit(
                GAS,
                "url: https://wire.example.com/gas",
                "url: javascript:alert(1)",
            )
        },
        &[(GAS, 11)],
        &["is not an http(s) or relative URL"],
    );
}

// ---- Slugs -----------------------------------------------------------------------------------------

#[test]
fn duplicate_slugs_name_both_files() {
    let stderr = assert_rejected(
        |s| {
            s.edit(
                BORDER,
                "title: Border incident denied\n",
                "title: Border incident denied\nslug: talks-resume\n",
            )
        },
        &[(BORDER, 3)],
        &["\"talks-resume\" is also used by", RESUME],
    );
    insta::assert_snapshot!("duplicate_slug", stderr);
}

#[test]
fn duplicate_slugs_from_file_names() {
    // Same file name in two folders: the slugs collide without any `slug:`.
    assert_rejected(
        |s| {
            s.write(
                "content/briefs/2024/2025-03-12-talks-resume.md",
                "---\ntitle: Older\ndate: 2024-01-01\ntopics: [energy]\n---\nBody.\n",
            )
        },
        &[],
        &[
            "\"talks-resume\" is also used by",
            "content/briefs/2024/2025-03-12-talks-resume.md",
            RESUME,
        ],
    );
}

#[test]
fn slug_that_escapes_its_folder() {
    assert_rejected(
        |s| {
            s.edit(
                BORDER,
                "title: Border incident denied\n",
                "title: Border incident denied\nslug: ../../etc\n",
            )
        },
        &[(BORDER, 3)],
        &["would write outside its folder"],
    );
}

// ---- Links -----------------------------------------------------------------------------------------

#[test]
fn broken_link_names_both_files() {
    assert_rejected(
        |s| {
            s.edit(
                RESUME,
                "(security/2025-03-05-border-incident.md)",
                "(security/2025-03-05-border-incidnt.md)",
            )
        },
        &[(RESUME, 22)],
        &["content/briefs/2025/03/security/2025-03-05-border-incidnt.md"],
    );
}

#[test]
fn link_to_a_draft_is_broken_without_drafts() {
    let stderr = assert_rejected(
        |s| {
            s.edit(
                RESUME,
                "(../02/2025-02-03-summit-date-set.md)",
                "(2025-03-09-sanctions-package.md)",
            )
        },
        &[(RESUME, 22)],
        &["content/briefs/2025/03/2025-03-09-sanctions-package.md"],
    );
    assert!(stderr.contains("drafts are not published"), "{stderr}");
}

#[test]
fn broken_static_link() {
    assert_rejected(
        |s| {
            s.edit(
                RESUME,
                "![Map of the talks](/images/map.svg)",
                "![Map](/images/nope.svg)",
            )
        },
        &[(RESUME, 17)],
        &[
            "/images/nope.svg",
            "neither a file in static/ nor a generated page",
        ],
    );
}

// ---- Templates -------------------------------------------------------------------------------------

#[test]
fn template_syntax_error_names_the_template_and_line() {
    assert_rejected(
        |s| {
            s.write(
                "templates/brief.html",
                "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ brief.title }</h1>\n{% endblock content %}\n",
            )
        },
        &[("templates/brief.html", 3)],
        &["template brief.html: syntax error"],
    );
}

#[test]
fn template_runtime_error_names_the_template_and_line() {
    assert_rejected(
        |s| {
            s.write(
                "templates/brief.html",
                "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ brief.title }}</h1>\n<p>{{ brief.nonexistent }}</p>\n{% endblock content %}\n",
            )
        },
        &[("templates/brief.html", 4)],
        &["template brief.html", "nonexistent"],
    );
}

#[test]
fn card_template_error_names_the_card_template_and_line() {
    // Timeline cards are rendered apart from their pages (once per brief and depth); an error
    // there must still point at the site's card template.
    assert_rejected(
        |s| {
            s.write(
                "templates/partials/card.html",
                "<article>\n<h{{ card_level }}>{{ b.title }}</h{{ card_level }}>\n{{ b.no_such_field }}\n</article>\n",
            )
        },
        &[("templates/partials/card.html", 3)],
        &["template partials/card.html", "no_such_field"],
    );
}

#[test]
fn unknown_filter_names_the_template_and_line() {
    let stderr = assert_rejected(
        |s| {
            s.write(
                "templates/topic.html",
                "{% extends \"base.html\" %}\n{% block content %}\n\n<h1>{{ topic.title | shout }}</h1>\n{% endblock content %}\n",
            )
        },
        &[("templates/topic.html", 4)],
        &["Unknown filter `shout`"],
    );
    assert!(!stderr.contains("built-in"), "{stderr}");
}

// ---- site.toml -------------------------------------------------------------------------------------

#[test]
fn site_toml_bad_toml() {
    assert_rejected(
        |s| s.write("site.toml", "title = \"Fixture Desk\"\npaginate = [2\n"),
        &[("site.toml", 2)],
        &[
            "site.toml:2:12",
            "the list opened here is never closed",
            "help: close the list with `]`",
        ],
    );
}

#[test]
fn site_toml_unknown_key() {
    assert_rejected(
        |s| s.write("site.toml", "title = \"Fixture Desk\"\npaginat = 2\n"),
        &[("site.toml", 2)],
        &[
            "unknown setting `paginat`",
            "help: did you mean `paginate`? Known settings: title, description, base_url",
        ],
    );
}

#[test]
fn site_toml_missing_title() {
    assert_rejected(
        |s| s.write("site.toml", "description = \"x\"\npaginate = 2\n"),
        &[("site.toml", 1)],
        &["`title` is missing", "title = \"Briefing Desk\""],
    );
}

#[test]
fn site_toml_problems_are_all_reported_in_plain_words() {
    let stderr = assert_rejected(
        |s| {
            s.write(
                "site.toml",
                "title = \"Fixture Desk\"\npaginate = \"ten\"\ntitel = \"Desk\"\nbase_url = \"example.org\"\n",
            )
        },
        &[],
        &[
            "build failed: 3 errors",
            "site.toml:2:12",
            "error: `paginate` must be a whole number, not the text \"ten\"",
            "help: write it like `paginate = 20`",
            "site.toml:3:1",
            "error: unknown setting `titel`",
            "help: did you mean `title`?",
            "site.toml:4:12",
            "error: base URL \"example.org\" is not an absolute http(s) URL",
            "help: write the address the site is published at",
        ],
    );
    for serde_words in ["invalid type", "expected usize", "unknown field"] {
        assert!(!stderr.contains(serde_words), "{stderr}");
    }
}

#[test]
fn site_toml_bad_value() {
    assert_rejected(
        |s| s.write("site.toml", "title = \"x\"\nbase_url = \"example.org\"\n"),
        &[("site.toml", 2)],
        &["base_url"],
    );
}

#[test]
fn missing_site_toml() {
    assert_rejected(
        |s| s.remove("site.toml"),
        &[],
        &["no site.toml in", "pass --root DIR"],
    );
}

// ---- Warnings -------------------------------------------------------------------------------------

const BASE_URL_WARNING: &str = "warning: `base_url` is not set";

#[test]
fn build_and_check_warn_once_without_base_url() {
    let site = Site::copy_of("basic");
    for run in [site.build(&[]), site.check(&[])] {
        run.success()
            .stderr_has("--> site.toml")
            .stderr_has("help: set it in site.toml to the address the site is published at, e.g. `base_url = \"https://example.org/\"`")
            .stderr_has("(1 warning)");
        assert_eq!(run.stderr.matches(BASE_URL_WARNING).count(), 1, "{run}");
    }
}

#[test]
fn no_base_url_warning_when_it_is_set() {
    let site = Site::copy_of("basic");
    let run = site.build(&["--base-url", "https://example.org/"]);
    run.success();
    assert!(!run.stderr.contains("warning"), "{run}");
    site.edit(
        "site.toml",
        "paginate = 2\n",
        "paginate = 2\nbase_url = \"https://example.org/desk/\"\n",
    );
    for run in [site.build(&[]), site.check(&[])] {
        run.success();
        assert!(!run.stderr.contains("warning"), "{run}");
    }
}

// ---- Command line -----------------------------------------------------------------------------------

#[test]
fn usage_errors_exit_with_2() {
    let site = Site::copy_of("basic");
    let before = read_tree(site.tmp.path());
    for args in [
        &["build", "--no-such-flag"][..],
        &["check", "--port", "1"],
        &["publish"],
    ] {
        let run = Run::of(briefing().args(args).arg("--root").arg(&site.root));
        assert_eq!(run.code, Some(2), "{args:?}\n{run}");
        assert!(run.stderr.contains("error: "), "{run}");
    }
    assert_eq!(
        read_tree(site.tmp.path()),
        before,
        "a usage error wrote files"
    );
}

// ---- Many problems at once ----------------------------------------------------------------------------

#[test]
fn every_problem_of_a_run_is_reported() {
    let stderr = assert_rejected(
        |s| {
            s.edit(GAS, "\ndate: 2025-01-10", "\ndate: 2025-02-30");
            s.edit(GENEVA, "status = \"developing\"", "draft = \"maybe\"");
            s.write(BORDER, "no front matter\n");
        },
        &[(GAS, 3), (GENEVA, 8), (BORDER, 1)],
        &["build failed: 3 errors"],
    );
    // Sorted by file, so the output is the same whatever order threads finished in.
    let pos = |p: &str| stderr.find(p).expect("named");
    assert!(
        pos(GAS) < pos(GENEVA) && pos(GENEVA) < pos(BORDER),
        "{stderr}"
    );
}

#[test]
fn content_and_template_problems_are_reported_together() {
    assert_rejected(
        |s| {
            s.edit(GAS, "topics: [energy]", "topics: [enrgy]");
            s.write("templates/page.html", "{% if %}\n");
        },
        &[(GAS, 4), ("templates/page.html", 1)],
        &["build failed: 2 errors"],
    );
}

#[test]
fn link_problems_in_two_files_are_all_reported() {
    assert_rejected(
        |s| {
            s.edit(
                RESUME,
                "(../../../pages/about.md)",
                "(../../../pages/abut.md)",
            );
            s.edit(
                "content/pages/about.md",
                "(methodology.md)",
                "(methodolgy.md)",
            );
        },
        &[(RESUME, 32), ("content/pages/about.md", 7)],
        &["content/pages/abut.md", "content/pages/methodolgy.md"],
    );
}

// ---- Output safety ---------------------------------------------------------------------------------

#[test]
fn build_refuses_an_output_folder_it_did_not_make() {
    let site = Site::copy_of("basic");
    std::fs::create_dir_all(&site.out).expect("mkdir");
    std::fs::write(site.out.join("precious.txt"), "keep me").expect("write");
    let run = site.build(&[]);
    run.failure().stderr_has("refusing to write the site into");
    assert_eq!(
        std::fs::read_to_string(site.out.join("precious.txt")).expect("still there"),
        "keep me"
    );
    assert!(!site.out.join("index.html").exists());
    assert!(site.leftover_staging().is_empty());
}

#[test]
fn build_refuses_to_write_into_the_content_folder() {
    let site = Site::copy_of("basic");
    let before = read_tree(&site.root);
    let run = Run::of(
        briefing()
            .arg("build")
            .arg("--root")
            .arg(&site.root)
            .arg("--output")
            .arg(site.root.join("content/out")),
    );
    run.failure()
        .stderr_has("inside the site's content/ folder");
    assert_eq!(read_tree(&site.root), before);
}

#[test]
fn committed_invalid_fixture_reports_every_file() {
    // `check` writes nothing, so it runs on the committed fixture itself.
    let root = crate::util::fixture("invalid_many");
    let before = read_tree(&root);
    let run = Run::of(briefing().arg("check").arg("--root").arg(&root));
    run.failure().stderr_has("check failed: 4 errors");
    for (file, line) in [
        ("2025-01-01-bad-yaml.md", 2),
        ("2025-01-02-bad-toml-field.md", 4),
        ("2025-01-03-unknown-topic.md", 4),
        ("2025-01-04-no-front-matter.md", 1),
    ] {
        run.stderr_has(&format!(" --> content/briefs/2025/{file}:{line}:"));
    }
    assert!(!run.stderr.contains("2025-01-05-good.md"), "{run}");
    assert_eq!(read_tree(&root), before, "check wrote into the fixture");
    insta::assert_snapshot!("invalid_many", run.stderr);
}
