//! What the search index holds, read from the Pagefind bundle a build writes: each indexed
//! page's fragment (its URL, the text indexed for it, its filters and metadata) and the words of
//! the index shards. The browser test (`search.rs`) runs queries against it.

use std::collections::BTreeMap;
use std::io::Read;

use crate::util::*;

/// Bundle files start with this after gunzipping.
const MAGIC: &[u8] = b"pagefind_dcd";

/// A page as the index knows it.
#[derive(Debug)]
struct Fragment {
    url: String,
    content: String,
    filters: BTreeMap<String, Vec<String>>,
    meta: BTreeMap<String, String>,
}

fn gunzip(path: &std::path::Path) -> Vec<u8> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(MAGIC),
        "{} is not a bundle file",
        path.display()
    );
    bytes.split_off(MAGIC.len())
}

/// Every page in the index, by URL.
fn fragments(out: &std::path::Path) -> BTreeMap<String, Fragment> {
    let mut pages = BTreeMap::new();
    for rel in files_ending(out, ".pf_fragment") {
        let json: serde_json::Value =
            serde_json::from_slice(&gunzip(&out.join(&rel))).expect("a fragment is JSON");
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let fragment = Fragment {
            url: text(&json["url"]),
            content: text(&json["content"]),
            filters: serde_json::from_value(json["filters"].clone()).unwrap_or_default(),
            meta: serde_json::from_value(json["meta"].clone()).unwrap_or_default(),
        };
        pages.insert(fragment.url.clone(), fragment);
    }
    pages
}

/// Whether any index shard holds `word` (shards store words as plain UTF-8 strings).
fn index_has_word(out: &std::path::Path, word: &str) -> bool {
    files_ending(out, ".pf_index").iter().any(|rel| {
        gunzip(&out.join(rel))
            .windows(word.len())
            .any(|w| w == word.as_bytes())
    })
}

/// The basic fixture plus a draft, a scheduled brief and a brief whose title only the related
/// lists and "Referenced by" of other pages repeat.
fn site_with_unlisted() -> Site {
    let site = Site::copy_of("basic");
    site.write(
        "content/briefs/2025/03/2025-03-05-draft-marmoset.md",
        "---\ntitle: Marmoset memo\ndate: 2025-03-05\ndraft: true\ntopics: [energy]\nsources:\n  - name: Wire\n---\nThe marmoset clause is still a draft.\n",
    );
    site.write(
        "content/briefs/2025/03/2025-03-28-pangolin-plan.md",
        "---\ntitle: Pangolin plan\ndate: 2025-03-28T09:00:00Z\ntopics: [energy]\nsources:\n  - name: Wire\n---\nThe pangolin plan is out later.\n",
    );
    site.write(
        "content/briefs/2025/03/2025-03-06-quokka-summit.md",
        "---\ntitle: Quokka summit on gas\ndate: 2025-03-06\ntopics: [energy]\npeople: [Olena Ivanova]\nsources:\n  - name: Wire\n---\nDelegates met at the quokka summit. See [the transit brief](../01/2025-01-10-gas-transit-ends.md).\n",
    );
    site
}

#[test]
fn the_index_holds_published_pages_and_only_their_content() {
    let site = site_with_unlisted();
    site.build_ok(&["--now", "2025-03-15T00:00:00Z"]);
    let pages = fragments(&site.out);

    // Every published brief, the first page of each topic and name, nothing else.
    let briefs = files_ending(&site.out.join("briefs"), "index.html");
    assert!(briefs.len() >= 7, "{briefs:?}");
    for b in &briefs {
        let url = format!("/briefs/{b}");
        assert!(
            pages.contains_key(&url),
            "{url} is not indexed: {:?}",
            pages.keys()
        );
    }
    assert!(pages.contains_key("/topics/energy/index.html"));
    assert!(pages.contains_key("/people/olena-ivanova/index.html"));
    assert!(pages.contains_key("/places/kyiv/index.html"));
    for url in pages.keys() {
        assert!(
            url.starts_with("/briefs/")
                || url.starts_with("/topics/")
                || url.starts_with("/people/")
                || url.starts_with("/places/")
                || url.starts_with("/organizations/")
                || url.starts_with("/tags/"),
            "{url} should not be indexed"
        );
        assert!(
            !url.contains("/page/"),
            "{url}: only first pages are indexed"
        );
    }

    // Drafts and briefs not yet out are neither pages nor words of the index.
    assert!(
        !pages
            .keys()
            .any(|u| u.contains("marmoset") || u.contains("pangolin"))
    );
    assert!(!index_has_word(&site.out, "marmoset"));
    assert!(!index_has_word(&site.out, "pangolin"));
    assert!(index_has_word(&site.out, "quokka"));

    // The transit brief lists the quokka brief under "Referenced by" and as related (same
    // topic and person), but those lists, the navigation and the footer are not its content.
    let transit = &pages["/briefs/gas-transit-ends/index.html"];
    let html = site.output("briefs/gas-transit-ends/index.html");
    assert!(html.contains("Quokka summit on gas"), "the lists show it");
    for outside in [
        "Quokka",
        "quokka",
        "Skip to content",
        "Related briefs",
        "Referenced by",
        "More in these topics",
        "Atom feed",
        "min read",
        "Archive",
    ] {
        assert!(
            !transit.content.contains(outside),
            "{outside:?} is indexed as the transit brief's content: {}",
            transit.content
        );
    }
    assert!(transit.content.contains("Gas stopped flowing"));
    assert_eq!(
        transit.meta.get("title").map(String::as_str),
        Some("Gas transit through the region ends")
    );
    assert_eq!(
        transit.meta.get("date").map(String::as_str),
        Some("2025-01-10")
    );
    let filter = |k: &str| transit.filters.get(k).cloned().unwrap_or_default();
    assert_eq!(filter("type"), ["Brief"]);
    assert_eq!(filter("topic"), ["Energy"]);
    assert_eq!(filter("person"), ["Olena Ivanova"]);
    assert_eq!(filter("place"), ["Kyiv", "Vienna"]);
    assert_eq!(filter("organization"), ["Gas Transit Operator"]);
    assert_eq!(filter("status"), ["Confirmed"]);
    assert_eq!(filter("year"), ["2025"]);

    // A name's page is indexed by what it says of the name, not by its list of briefs.
    let person = &pages["/people/olena-ivanova/index.html"];
    assert_eq!(
        person.filters.get("type").cloned().unwrap_or_default(),
        ["Person"]
    );
    assert!(
        !person.content.contains("Gas stopped"),
        "{}",
        person.content
    );
    assert!(!person.content.contains("Quokka"), "{}", person.content);

    // Built with `--drafts` and `--future`, they are part of the site, and of its index.
    let all = tempfile::tempdir().expect("a temp folder");
    site.build_into(
        all.path(),
        &["--drafts", "--future", "--now", "2025-03-15T00:00:00Z"],
    )
    .success();
    assert!(index_has_word(all.path(), "marmoset"));
    assert!(index_has_word(all.path(), "pangolin"));
}

#[test]
fn search_false_leaves_no_index_box_or_page() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    assert!(site.out.join("pagefind/pagefind.js").is_file());
    assert!(site.out.join("search/index.html").is_file());
    assert!(site.out.join("search.js").is_file());
    assert!(site.output("index.html").contains("search/index.html"));
    assert!(
        !site.output("sitemap.xml").contains("search/"),
        "the search page is not for crawlers"
    );

    site.edit("site.toml", "paginate = 2", "paginate = 2\nsearch = false");
    site.build_ok(&[]);
    assert!(!site.out.join("pagefind").exists());
    assert!(!site.out.join("search").exists());
    assert!(!site.out.join("search.js").exists());
    let crawl = crawl(&site.out);
    assert_links_ok(&crawl, 50, 1);
    for (path, html) in files_ending(&site.out, ".html").iter().map(|p| {
        (
            p,
            std::fs::read_to_string(site.out.join(p)).unwrap_or_default(),
        )
    }) {
        assert!(
            !html.contains("search.js"),
            "{path} loads the search script"
        );
        assert!(
            !html.contains("search/index.html"),
            "{path} links the search page"
        );
    }
}

#[test]
fn the_index_is_the_same_from_build_to_build() {
    let site = Site::copy_of("basic");
    site.build_ok(&[]);
    let one = read_tree(&site.out.join("pagefind"));
    let again = tempfile::tempdir().expect("a temp folder");
    site.build_into(again.path(), &[]).success();
    let two = read_tree(&again.path().join("pagefind"));
    assert!(one.len() > 10, "{:?}", one.keys());
    assert_same_tree(&one, &two);
}
