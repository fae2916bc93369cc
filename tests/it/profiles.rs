//! Entity profiles (`content/people/<slug>.md`, places, organizations, tags): aliases that merge
//! spellings in any script onto one page, the stable display name of entities without one,
//! warnings for near-duplicate names, alias conflicts, and what profile pages show (text, links,
//! JSON-LD, Open Graph).
//!
//! Every test works on a copy of the `basic` fixture, where Marco Rossi is named by four briefs
//! and Olena Ivanova by three.

use crate::util::{Site, attrs, refresh_url, texts};

const RU: &str = "content/briefs/2025/02/2025-02-14-переговоры-в-стамбуле.md";
const SUMMIT: &str = "content/briefs/2025/02/2025-02-03-summit-date-set.md";
const CEASEFIRE: &str = "content/briefs/2025/01/2025-01-20-ceasefire-talks-open.md";
const TALKS: &str = "content/briefs/2025/03/2025-03-12-talks-resume.md";
const GAS: &str = "content/briefs/2025/01/2025-01-10-gas-transit-ends.md";

const ROSSI: &str = "content/people/marco-rossi.md";
const ROSSI_PROFILE: &str = "---
title: Marco Rossi
aliases: [M. Rossi, Марко Росси]
description: Chief negotiator for the mediators.
wikidata: Q123456
links:
  - name: Official page
    url: https://mediators.example.org/rossi
---
Rossi has led the mediation team since 2024. See [the summit brief](../briefs/2025/02/2025-02-03-summit-date-set.md).
";

/// The `<h1>` of an output page.
fn h1(site: &Site, page: &str) -> String {
    texts(&site.output(page), "h1").join(" ")
}

/// Where a redirect page sends readers.
fn refresh(html: &str) -> String {
    let content = attrs(html, r#"meta[http-equiv="refresh"]"#, "content");
    let content = content.first().expect("a redirect page");
    refresh_url(content).expect("a refresh URL").to_string()
}

/// How many briefs an entity page says name it (its pages hold `paginate` each).
fn appears_in(html: &str) -> usize {
    let at = html.find("Appears in ").expect("a count") + "Appears in ".len();
    let digits: String = html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().expect("a number")
}

#[test]
fn aliases_merge_spellings_in_any_script_onto_the_profile_page() {
    let site = Site::copy_of("basic");
    site.edit(RU, "people: [Marco Rossi]", "people: [Марко Росси]");
    // Without a profile, the Cyrillic spelling transliterates to a page of its own.
    site.build_ok(&[]);
    assert!(site.out.join("people/marko-rossi/index.html").exists());
    assert_eq!(appears_in(&site.output("people/marco-rossi/index.html")), 3);

    site.write(ROSSI, ROSSI_PROFILE);
    site.edit(SUMMIT, "people: [Marco Rossi]", "people: [M. Rossi]");
    site.build_ok(&[]);
    // The page the Cyrillic spelling had now leads to the profile's, as does each alias's
    // address; the old page's list of briefs is gone.
    for old in ["people/marko-rossi/index.html", "people/m-rossi/index.html"] {
        let html = site.output(old);
        assert_eq!(
            refresh(&html),
            "../../people/marco-rossi/index.html",
            "{old}"
        );
        assert!(texts(&html, ".card-title a").is_empty(), "{old}");
    }
    assert!(
        site.output("_redirects")
            .contains("/people/marko-rossi/ /people/marco-rossi/ 301"),
        "{}",
        site.output("_redirects")
    );
    let page = site.output("people/marco-rossi/index.html");
    assert_eq!(h1(&site, "people/marco-rossi/index.html"), "Marco Rossi");
    assert_eq!(
        appears_in(&page),
        4,
        "all four briefs, whatever the spelling"
    );
    // Across its two pages.
    let second = site.output("people/marco-rossi/page/2/index.html");
    assert_eq!(
        texts(&page, ".card-title a").len() + texts(&second, ".card-title a").len(),
        4
    );
    assert!(
        page.contains("Also written M. Rossi, Марко Росси"),
        "{page}"
    );
    // The brief written in Cyrillic links to the one page, under the profile's name.
    let ru = site.output("briefs/peregovory-v-stambule/index.html");
    assert!(
        ru.contains(r#"href="../../people/marco-rossi/index.html" data-pagefind-filter="person">Marco Rossi</a>"#),
        "{ru}"
    );
    // The people index lists one Marco Rossi.
    let index = site.output("people/index.html");
    assert_eq!(index.matches("Marco Rossi").count(), 1, "{index}");
}

#[test]
fn a_profile_page_shows_its_text_links_and_schema() {
    let site = Site::copy_of("basic");
    site.edit(
        "site.toml",
        "paginate = 2",
        "paginate = 2\nbase_url = \"https://desk.example.org/\"",
    );
    site.write(ROSSI, ROSSI_PROFILE);
    site.write(
        "content/places/geneva.md",
        "---\ntitle: Geneva\ndescription: Swiss city hosting the talks.\nwikidata: https://www.wikidata.org/wiki/Q71\n---\n",
    );
    site.write(
        "content/organizations/united-nations.md",
        "---\ntitle: United Nations\naliases: [UN]\n---\n",
    );
    // A brief may link to a profile file like to any content file.
    site.edit(
        TALKS,
        "\n---\n",
        "\n---\nSee [Rossi's profile](../../../people/marco-rossi.md).\n",
    );
    site.build_ok(&[]);
    let page = site.output("people/marco-rossi/index.html");
    assert_eq!(
        texts(&page, ".page-header .lede"),
        ["Chief negotiator for the mediators."]
    );
    assert!(page.contains("Rossi has led the mediation team since 2024."));
    assert_eq!(
        attrs(&page, ".entity-profile a", "href"),
        [
            "../../briefs/summit-date-set/index.html",
            "https://mediators.example.org/rossi",
            "https://www.wikidata.org/wiki/Q123456"
        ]
    );
    assert_eq!(
        attrs(&page, r#"meta[name="description"]"#, "content"),
        ["Chief negotiator for the mediators."]
    );
    assert_eq!(
        attrs(&page, r#"meta[property="og:type"]"#, "content"),
        ["profile"]
    );
    let ld = json_ld(&page);
    assert_eq!(ld["@type"], "Person");
    assert_eq!(ld["name"], "Marco Rossi");
    assert_eq!(
        ld["alternateName"],
        serde_json::json!(["M. Rossi", "Марко Росси"])
    );
    assert_eq!(
        ld["sameAs"],
        serde_json::json!([
            "https://www.wikidata.org/wiki/Q123456",
            "https://mediators.example.org/rossi"
        ])
    );
    assert_eq!(ld["url"], "https://desk.example.org/people/marco-rossi/");

    let geneva = site.output("places/geneva/index.html");
    let ld = json_ld(&geneva);
    assert_eq!(ld["@type"], "Place");
    assert_eq!(
        ld["sameAs"],
        serde_json::json!(["https://www.wikidata.org/wiki/Q71"])
    );
    assert_eq!(
        attrs(&geneva, r#"meta[property="og:type"]"#, "content"),
        ["website"]
    );
    assert_eq!(
        json_ld(&site.output("organizations/united-nations/index.html"))["@type"],
        "Organization"
    );
    // An entity without a profile still says what it is.
    let olena = json_ld(&site.output("people/olena-ivanova/index.html"));
    assert_eq!(olena["@type"], "Person");
    assert!(olena.get("sameAs").is_none());
    // The link from the brief resolves to the profile's page.
    let talks = site.output("briefs/talks-resume/index.html");
    assert!(
        talks.contains(r#"<a href="../../people/marco-rossi/index.html">Rossi's profile</a>"#)
            || talks
                .contains(r#"<a href="../../people/marco-rossi/index.html">Rossi’s profile</a>"#),
        "{talks}"
    );
}

/// The page's JSON-LD, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("valid JSON-LD")
}

#[test]
fn the_display_name_is_the_most_frequent_spelling_not_the_newest() {
    let site = Site::copy_of("basic");
    // The newest of Olena Ivanova's three briefs shouts her name.
    site.edit(
        TALKS,
        "people: [Olena Ivanova, Marco Rossi]",
        "people: [OLENA IVANOVA, Marco Rossi]",
    );
    site.build_ok(&[]);
    assert_eq!(
        h1(&site, "people/olena-ivanova/index.html"),
        "Olena Ivanova"
    );
    // A new brief, newer than all, with yet another spelling changes nothing.
    site.write(
        "content/briefs/2025/04/2025-04-01-new.md",
        "---\ntitle: New brief\ndate: 2025-04-01\ntopics: [talks]\npeople: [Olena IVANOVA]\nsources:\n  - name: Wire\n---\nText.\n",
    );
    site.build_ok(&[]);
    assert_eq!(
        h1(&site, "people/olena-ivanova/index.html"),
        "Olena Ivanova"
    );
    // The brief names the person as the page does, wherever it is spelled differently.
    assert!(
        site.output("briefs/new/index.html")
            .contains(">Olena Ivanova</a>")
    );

    // A tie goes to the spelling of the earliest brief: Geneva is named by the ceasefire brief
    // (20 January) and the summit brief (3 February).
    site.edit(SUMMIT, "places: [Geneva]", "places: [GENEVA]");
    site.build_ok(&[]);
    assert_eq!(h1(&site, "places/geneva/index.html"), "Geneva");
    // Moving files around (another reading order) keeps it.
    let moved = "content/briefs/2025/00-first/2025-02-03-summit-date-set.md";
    site.write(moved, site.read(SUMMIT));
    site.remove(SUMMIT);
    site.edit(
        TALKS,
        "../02/2025-02-03-summit-date-set.md",
        "../00-first/2025-02-03-summit-date-set.md",
    );
    site.build_ok(&[]);
    assert_eq!(h1(&site, "places/geneva/index.html"), "Geneva");
    // The other way round, the other spelling.
    site.edit(moved, "places: [GENEVA]", "places: [Geneva]");
    site.edit(CEASEFIRE, "places = [\"Geneva\"]", "places = [\"GENEVA\"]");
    site.build_ok(&[]);
    assert_eq!(h1(&site, "places/geneva/index.html"), "GENEVA");
}

#[test]
fn names_that_differ_only_in_case_or_punctuation_are_warned_about() {
    let site = Site::copy_of("basic");
    site.edit(
        TALKS,
        "people: [Olena Ivanova, Marco Rossi]",
        "people: [Olena Ivanova, MarcoRossi]",
    );
    site.edit(GAS, "people: [Olena Ivanova]", "people: [OLENA IVANOVA]");
    let run = site.check(&[]);
    run.success();
    // Two pages for one person: an alias is the fix.
    run.stderr_has(r#"the people "Marco Rossi" and "MarcoRossi" differ only in spacing or punctuation, and have two pages (people/marco-rossi/index.html and people/marcorossi/index.html)"#)
        .stderr_has(&format!("{TALKS}:6"))
        .stderr_has(r#"list "MarcoRossi" in `aliases:` of content/people/marco-rossi.md (create it with `title: Marco Rossi`"#);
    // One page, but spelled two ways.
    run.stderr_has(r#"the person "OLENA IVANOVA" is spelled differently elsewhere: its page shows "Olena Ivanova""#)
        .stderr_has(&format!("{GAS}:6"))
        .stderr_has(r#"aliases: ["OLENA IVANOVA"]"#);
    let json = site.check(&["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON report");
    let mut codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .filter(|c| c.contains("name"))
        .collect();
    codes.sort();
    assert_eq!(codes, ["name-variant", "near-duplicate-name"]);

    // Declared as aliases, both are accepted silently and merge.
    site.write(
        ROSSI,
        "---\ntitle: Marco Rossi\naliases: [MarcoRossi]\n---\n",
    );
    site.write(
        "content/people/olena-ivanova.md",
        "---\ntitle: Olena Ivanova\naliases: [OLENA IVANOVA]\n---\n",
    );
    let run = site.check(&[]);
    run.success();
    assert!(!run.stderr.contains("near-duplicate-name"), "{run}");
    assert!(!run.stderr.contains("name-variant"), "{run}");
    site.build_ok(&[]);
    // The page "MarcoRossi" had is now a redirect to the one page.
    assert_eq!(
        refresh(&site.output("people/marcorossi/index.html")),
        "../../people/marco-rossi/index.html"
    );
    assert_eq!(appears_in(&site.output("people/marco-rossi/index.html")), 4);
}

#[test]
fn a_name_claimed_by_two_profiles_is_an_error_naming_both_files() {
    let site = Site::copy_of("basic");
    site.write(ROSSI, "---\ntitle: Marco Rossi\naliases: [M. Rossi]\n---\n");
    site.write(
        "content/people/mario-rossi.md",
        "---\ntitle: Mario Rossi\naliases:\n  - M Rossi\n---\n",
    );
    let run = site.build(&[]);
    run.failure()
        .stderr_has("content/people/mario-rossi.md:3")
        .stderr_has(r#"the name "M Rossi" would lead to two people: content/people/marco-rossi.md and content/people/mario-rossi.md"#);
    assert!(!site.out.exists(), "a failed build writes nothing");
}

#[test]
fn profile_front_matter_is_checked_like_a_briefs() {
    let site = Site::copy_of("basic");
    site.write(ROSSI, "---\ntitle: Marco Rossi\nalias: [M. Rossi]\n---\n");
    site.write(
        "content/places/geneva.md",
        "---\ntitle: Geneva\nwikidata: 71\n---\n",
    );
    site.write(
        "content/tags/talks.md",
        "---\ntitle: Talks\nimage:\n  src: missing.png\n  alt: A table\n---\n",
    );
    let run = site.check(&[]);
    run.failure()
        .stderr_has(&format!("{ROSSI}:3"))
        .stderr_has("did you mean `aliases`?")
        .stderr_has("content/places/geneva.md:3")
        .stderr_has(r#""71" is not a Wikidata item id"#)
        .stderr_has("content/tags/talks.md:3")
        .stderr_has(r#"the image "missing.png" does not exist"#);
}

#[test]
fn a_profile_no_brief_names_gets_a_page_and_a_warning() {
    let site = Site::copy_of("basic");
    site.write(
        "content/people/nobody-yet.md",
        "---\ntitle: Nobody Yet\n---\nA profile written ahead.\n",
    );
    let run = site.build_ok(&[]);
    run.stderr_has(r#"no published brief names the person "Nobody Yet""#);
    let page = site.output("people/nobody-yet/index.html");
    assert!(page.contains("A profile written ahead."));
    assert!(site.output("people/index.html").contains("Nobody Yet"));
}

#[test]
fn a_profile_image_is_resized_and_shared() {
    let site = Site::copy_of("basic");
    site.edit(
        "site.toml",
        "paginate = 2",
        "paginate = 2\nbase_url = \"https://desk.example.org/\"",
    );
    let png = image_png(64, 48);
    site.write("content/people/rossi.png", &png);
    site.write(
        ROSSI,
        "---\ntitle: Marco Rossi\nimage:\n  src: rossi.png\n  alt: Marco Rossi at the talks\n  credit: Desk photo\n---\n",
    );
    site.build_ok(&[]);
    let page = site.output("people/marco-rossi/index.html");
    let src = attrs(&page, ".profile-image img", "src");
    assert_eq!(src.len(), 1, "{page}");
    assert!(
        site.out.join("people/marco-rossi").join(&src[0]).exists(),
        "{src:?}"
    );
    assert_eq!(
        attrs(&page, ".profile-image img", "alt"),
        ["Marco Rossi at the talks"]
    );
    let og = attrs(&page, r#"meta[property="og:image"]"#, "content");
    assert_eq!(og.len(), 1);
    assert!(og[0].starts_with("https://desk.example.org/"), "{og:?}");
    assert_eq!(json_ld(&page)["image"], og[0].as_str());
}

/// A PNG of the given size.
fn image_png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([40, 90, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode");
    out.into_inner()
}
