//! Search in a real browser (issue #13): the masthead's box and the search page, running on the
//! Pagefind bundle the build writes, in the sample site served **under a sub-folder** by the
//! test server of `browser.rs`, and opened from `file://`.
//!
//! - Typed queries: a person's name finds their page first and then only the briefs naming
//!   them; a phrase from a brief finds that brief first; a name spelled as one of its profile's
//!   aliases (Cyrillic) finds the profile's page.
//! - A topic filter narrows the results to that topic; the address keeps the query and the
//!   filter, and opening it again gives the same results; a result leads to its brief.
//! - Listing without words: every brief newest first, ten at a time, "More results" adding the
//!   rest and moving focus to the first one added.
//! - `/` focuses the masthead's box on any page; submitting it lands on the search page with
//!   results.
//! - From disk, the box and the page say that search needs the site served over HTTP, and
//!   nothing fails in the console.
//! - The page with results fits 390 and 375 px screens. (axe-core runs on it with the other
//!   pages, in `browser.rs`.)

use serde::Deserialize;

use crate::browser::{
    Chrome, DESKTOP, PHONE, SUB, SampleSite, Server, Watched, check_page, click, evaluate, open,
    string, wait_for, wait_until,
};
use crate::util::{attrs, files_ending, texts};

/// The search page, from the site root.
const SEARCH: &str = "search/index.html";
/// The profile page every spelling of Dmitry Peskov leads to.
const PESKOV: &str = "people/dmitry-peskov/index.html";
/// The brief whose summary names Peskov: the first brief to expect for his name.
const PESKOV_BRIEF: &str = "briefs/kremlin-recovery-stages/index.html";

#[test]
fn search_page_finds_names_phrases_and_spellings_under_a_sub_folder() {
    let site = SampleSite::build();
    let server = Server::start(&site.out);
    let chrome = Chrome::launch();
    let tab = chrome.tab(DESKTOP, false);
    let base = format!("{}{SUB}", server.origin);
    open(&tab, &format!("{base}{SEARCH}"));
    check_page(&tab, &base, SEARCH);

    // A person's name: their page, then the briefs that name them, the one about them first.
    let naming = briefs_naming(&site, "people/dmitry-peskov/index.html");
    assert!(naming.len() >= 5, "too few briefs name Peskov: {naming:?}");
    let found = search_for(&tab, &base, "Peskov");
    assert_eq!(found[0].path, PESKOV, "first result for Peskov: {found:#?}");
    let briefs: Vec<&str> = found
        .iter()
        .filter(|r| r.kind == "Brief")
        .map(|r| r.path.as_str())
        .collect();
    assert_eq!(
        briefs.first(),
        Some(&PESKOV_BRIEF),
        "first brief for Peskov: {found:#?}"
    );
    let mut listed = briefs.clone();
    listed.sort_unstable();
    assert_eq!(
        listed, naming,
        "the briefs found for Peskov are those that name him"
    );
    assert!(
        found
            .iter()
            .all(|r| !r.title.is_empty() && !r.excerpt.is_empty())
    );
    assert!(
        found.iter().any(|r| r.marked.iter().any(|m| m == "Peskov")),
        "no excerpt marks the name: {found:#?}"
    );
    let summary = string(
        &tab,
        "document.getElementById('search-summary').textContent",
    );
    assert_eq!(summary, format!("{} results for “Peskov”.", found.len()));

    // A phrase from a brief's body finds that brief first.
    let found = search_for(&tab, &base, "access to banking services for embassy staff");
    assert_eq!(
        found[0].path, "briefs/istanbul-embassy-talks/index.html",
        "first result for a phrase of the Istanbul brief: {found:#?}"
    );

    // Names spelled as their profiles' aliases find the profiles' pages.
    for (spelling, page) in [
        ("Песков", PESKOV),
        ("Владимир Путин", "people/vladimir-putin/index.html"),
    ] {
        let found = search_for(&tab, &base, spelling);
        assert_eq!(
            found[0].path, page,
            "first result for {spelling}: {found:#?}"
        );
    }

    // A topic narrows the results to briefs in it.
    let all = search_for(&tab, &base, "Peskov");
    choose(&tab, "#search-topic", "Ukraine");
    let narrowed = results_for(&tab, &base, "“Peskov” (topic: Ukraine)");
    assert!(
        !narrowed.is_empty() && narrowed.len() < all.len(),
        "the topic did not narrow {} results: {narrowed:#?}",
        all.len()
    );
    for r in &narrowed {
        assert!(
            r.topics.iter().any(|t| t == "Ukraine"),
            "{} is not in the topic: {r:#?}",
            r.path
        );
    }

    // The address holds the search; opening it again gives the same results.
    let address = tab.url();
    assert_eq!(
        address,
        format!("{base}{SEARCH}?q=Peskov&topic=Ukraine"),
        "the search is not in the address"
    );
    open(&tab, &address);
    let again = results_for(&tab, &base, "“Peskov” (topic: Ukraine)");
    assert_eq!(
        paths(&again),
        paths(&narrowed),
        "the same address, other results"
    );
    assert_eq!(
        string(
            &tab,
            "JSON.stringify([document.getElementById('search-q').value, document.getElementById('search-topic').value])"
        ),
        r#"["Peskov","Ukraine"]"#,
        "the form after a reload"
    );

    // A result leads to its brief.
    click(&tab, "#search-results > li:first-child h2 a");
    check_page(&tab, &base, &again[0].path);
    assert_eq!(
        string(&tab, "document.querySelector('h1').textContent"),
        again[0].title,
        "the brief's heading"
    );

    tab.problems.assert_none("searching");
    assert!(server.failures().is_empty(), "{:?}", server.failures());
    let served = server.requests();
    assert!(
        served.iter().all(|p| p.starts_with(SUB)),
        "requests outside {SUB}: {served:?}"
    );
    assert!(
        served.iter().any(|p| p.ends_with(".pf_fragment")),
        "no result was loaded from the index: {served:?}"
    );
}

/// No words, newest first: every brief, ten at a time; "More results" adds the rest and takes
/// focus to the first one added. The page fits phones, its filters open.
#[test]
fn search_page_lists_briefs_by_date_ten_at_a_time_and_fits_phones() {
    let site = SampleSite::build();
    let server = Server::start(&site.out);
    let chrome = Chrome::launch();
    let tab = chrome.tab(DESKTOP, false);
    let base = format!("{}{SUB}", server.origin);
    let briefs = brief_pages(&site).len();
    assert!(
        briefs > 10,
        "the sample site has {briefs} briefs, too few to page"
    );

    open(&tab, &format!("{base}{SEARCH}?sort=date-desc"));
    let first = results_for(&tab, &base, &format!("{briefs} results, newest first."));
    assert_eq!(first.len(), 10, "the first page of results");
    assert!(first.iter().all(|r| r.kind == "Brief"), "{first:#?}");
    let more = string(&tab, "document.getElementById('search-more').textContent");
    assert_eq!(more, format!("More results ({} more)", briefs - 10));
    click_button(&tab, "#search-more");
    let count = format!("document.querySelectorAll('#search-results > li').length === {briefs}");
    wait_until(&tab, "every brief listed", &count);
    let all = results(&tab, &base);
    let dates: Vec<&str> = all.iter().map(|r| r.date.as_str()).collect();
    let mut newest_first = dates.clone();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(dates, newest_first, "newest first");
    assert_eq!(
        string(&tab, "document.activeElement.textContent"),
        all[10].title,
        "focus after More results"
    );
    assert!(
        evaluate(&tab, "document.getElementById('search-more').hidden") == true,
        "More results stays with nothing more"
    );

    // With results and its filters open, the page fits phones.
    for width in [390, 375] {
        chrome.viewport(&tab, (width, 844), true);
        open(
            &tab,
            &format!("{base}{SEARCH}?q=Peskov&topic=Ukraine&sort=date-asc"),
        );
        results_for(&tab, &base, "(topic: Ukraine), oldest first.");
        assert_eq!(
            evaluate(&tab, "document.getElementById('search-options').open"),
            true,
            "filters set in the address show"
        );
        check_page(
            &tab,
            &base,
            &format!("{SEARCH}?q=Peskov&topic=Ukraine&sort=date-asc"),
        );
    }
    tab.problems.assert_none("listing and paging");
    assert!(server.failures().is_empty(), "{:?}", server.failures());
}

/// `/` focuses the masthead's box; what is typed there lands on the search page, with results.
#[test]
fn slash_focuses_the_masthead_box_and_it_leads_to_results() {
    let site = SampleSite::build();
    let server = Server::start(&site.out);
    let chrome = Chrome::launch();
    let tab = chrome.tab(DESKTOP, false);
    let base = format!("{}{SUB}", server.origin);
    open(&tab, &format!("{base}{PESKOV_BRIEF}"));
    assert_eq!(
        string(
            &tab,
            "document.getElementById('site-search-q').getAttribute('aria-keyshortcuts')"
        ),
        "/"
    );
    tab.press_key("/").expect("press /");
    assert_eq!(
        string(&tab, "document.activeElement.id"),
        "site-search-q",
        "/ did not focus the search box"
    );
    assert_eq!(
        string(&tab, "document.activeElement.value"),
        "",
        "the / was typed into the box"
    );
    tab.type_str("Peskov").expect("type");
    tab.press_key("Enter").expect("press Enter");
    let landed = format!("{base}{SEARCH}?q=Peskov");
    wait_for(&tab, "the search page", |s| s.href == landed && s.ready);
    let found = results_for(&tab, &base, "for “Peskov”");
    assert_eq!(found[0].path, PESKOV);

    // On the search page `/` goes to its own box; typed in a field, it is just a character.
    evaluate(&tab, "document.activeElement.blur()");
    tab.press_key("/").expect("press /");
    assert_eq!(string(&tab, "document.activeElement.id"), "search-q");
    evaluate(&tab, "document.getElementById('search-person').focus()");
    tab.press_key("/").expect("press /");
    assert_eq!(string(&tab, "document.activeElement.id"), "search-person");
    assert_eq!(string(&tab, "document.activeElement.value"), "/");

    tab.problems.assert_none("the masthead box");
    assert!(server.failures().is_empty(), "{:?}", server.failures());
}

/// Opened from disk, browsers keep the index from the page: the box and the search page say
/// so, and nothing fails in the console.
#[test]
fn from_disk_search_says_it_needs_a_server() {
    let site = SampleSite::build();
    let chrome = Chrome::launch();
    let tab = chrome.tab(PHONE, true);
    let base = format!("file://{}/", site.out.display());
    open(&tab, &format!("{base}{PESKOV_BRIEF}"));
    let note = "document.getElementById('site-search-offline')";
    assert_eq!(evaluate(&tab, &format!("{note}.hidden")), true);
    tab.press_key("/").expect("press /");
    assert_eq!(string(&tab, "document.activeElement.id"), "site-search-q");
    let shown = wait_until(
        &tab,
        "the note under the box",
        &format!("!{note}.hidden && {note}.offsetHeight > 0 && {note}.textContent"),
    );
    assert!(
        shown
            .as_str()
            .unwrap_or_default()
            .contains("served over HTTP"),
        "{shown}"
    );
    assert_eq!(
        string(
            &tab,
            "document.activeElement.getAttribute('aria-describedby')"
        ),
        "site-search-offline"
    );

    tab.type_str("Peskov").expect("type");
    tab.press_key("Enter").expect("press Enter");
    let landed = format!("{base}{SEARCH}?q=Peskov");
    wait_for(&tab, "the search page", |s| s.href == landed && s.ready);
    let page = string(
        &tab,
        "JSON.stringify({ note: !document.getElementById('search-offline').hidden, \
         text: document.getElementById('search-offline').textContent, \
         form: !document.getElementById('search-form').hidden, \
         results: document.querySelectorAll('#search-results > li').length })",
    );
    let page: serde_json::Value = serde_json::from_str(&page).expect("JSON");
    assert_eq!(page["note"], true, "{page}");
    assert!(
        page["text"]
            .as_str()
            .unwrap_or_default()
            .contains("served over HTTP"),
        "{page}"
    );
    assert_eq!(page["form"], false, "{page}");
    assert_eq!(page["results"], 0, "{page}");
    check_page(&tab, &base, &format!("{SEARCH}?q=Peskov"));
    tab.problems.assert_none("search from disk");
}

// ---- Helpers --------------------------------------------------------------------------------

/// One result as the page shows it.
#[derive(Deserialize, Debug)]
struct Found {
    /// From the site root.
    path: String,
    title: String,
    kind: String,
    date: String,
    topics: Vec<String>,
    excerpt: String,
    marked: Vec<String>,
}

const RESULTS_JS: &str = "JSON.stringify([...document.querySelectorAll('#search-results > li')].map(li => { \
  const a = li.querySelector('h2 a'), t = li.querySelector('time'), k = li.querySelector('.search-result-kind'), \
    e = li.querySelector('.search-excerpt'); \
  return { href: a.href, title: a.textContent, kind: k ? k.textContent : '', date: t ? t.dateTime : '', \
    topics: [...li.querySelectorAll('.search-result-topics li')].map(x => x.textContent), \
    excerpt: e ? e.textContent : '', marked: [...li.querySelectorAll('mark')].map(m => m.textContent.replace(/[^\\p{L}\\p{N}]+$/u, '')) }; }))";

/// The results on the page, each address checked to be under the site root.
fn results(tab: &Watched, base: &str) -> Vec<Found> {
    let raw: Vec<serde_json::Value> =
        serde_json::from_str(&string(tab, RESULTS_JS)).expect("results JSON");
    raw.into_iter()
        .map(|mut r| {
            let href = r["href"].as_str().unwrap_or_default().to_string();
            let path = href
                .strip_prefix(base)
                .unwrap_or_else(|| panic!("a result leads outside the site: {href}"))
                .to_string();
            r["path"] = path.into();
            serde_json::from_value(r).expect("a result")
        })
        .collect()
}

/// Waits until the live region says the results for `said` are shown, and reads them.
fn results_for(tab: &Watched, base: &str, said: &str) -> Vec<Found> {
    let js = format!(
        "(() => {{ const s = document.getElementById('search-summary').textContent; \
         return s.includes({said}) && !document.getElementById('search-results').hasAttribute('aria-busy'); }})()",
        said = serde_json::to_string(said).expect("JSON")
    );
    wait_until(tab, &format!("results for {said}"), &js);
    results(tab, base)
}

/// Types `query` into the search page's box, replacing what is there, and reads the results.
fn search_for(tab: &Watched, base: &str, query: &str) -> Vec<Found> {
    evaluate(tab, "document.getElementById('search-q').select()");
    tab.type_str(query).expect("type the query");
    let found = results_for(tab, base, &format!("for “{query}”"));
    assert!(!found.is_empty(), "nothing found for {query}");
    found
}

/// Picks `value` in the select `selector`, as a reader does.
fn choose(tab: &Watched, selector: &str, value: &str) {
    let picked = evaluate(
        tab,
        &format!(
            "(() => {{ const s = document.querySelector({sel}); s.focus(); \
             const o = [...s.options].find(o => o.value === {value}); if (!o) return false; \
             s.value = o.value; s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true; }})()",
            sel = serde_json::to_string(selector).expect("JSON"),
            value = serde_json::to_string(value).expect("JSON"),
        ),
    );
    assert_eq!(picked, true, "{selector} has no option {value}");
}

/// Clicks a button with the mouse, where a reader would.
fn click_button(tab: &Watched, selector: &str) {
    let point = string(
        tab,
        &format!(
            "(() => {{ const e = document.querySelector({sel}); e.scrollIntoView({{ block: 'center' }}); \
             const r = e.getBoundingClientRect(); return JSON.stringify([r.left + r.width / 2, r.top + r.height / 2]); }})()",
            sel = serde_json::to_string(selector).expect("JSON")
        ),
    );
    let [x, y]: [f64; 2] = serde_json::from_str(&point).expect("a point");
    tab.click_point(headless_chrome::browser::tab::point::Point { x, y })
        .unwrap_or_else(|e| panic!("click {selector}: {e:#}"));
}

fn paths(found: &[Found]) -> Vec<&str> {
    found.iter().map(|r| r.path.as_str()).collect()
}

/// The briefs' pages (not the redirects from their old addresses), by path from the site root,
/// with their HTML, sorted.
fn brief_pages(site: &SampleSite) -> Vec<(String, String)> {
    files_ending(&site.out.join("briefs"), "index.html")
        .into_iter()
        .map(|rel| {
            let html = std::fs::read_to_string(site.out.join("briefs").join(&rel)).expect("read");
            (format!("briefs/{rel}"), html)
        })
        .filter(|(_, html)| !texts(html, "article.brief h1").is_empty())
        .collect()
}

/// The briefs, by path from the site root, whose key facts link to `entity` (from the root).
fn briefs_naming(site: &SampleSite, entity: &str) -> Vec<String> {
    brief_pages(site)
        .into_iter()
        .filter(|(_, html)| {
            attrs(html, ".facts a", "href")
                .iter()
                .any(|h| h.trim_start_matches("../") == entity)
        })
        .map(|(path, _)| path)
        .collect()
}

/// The search page with results and filters set: for axe-core in `browser.rs`.
pub(crate) const SEARCH_WITH_RESULTS: &str = "search/index.html?q=Peskov&topic=Ukraine";

/// Waits until the search page shows results.
pub(crate) fn wait_for_results(tab: &Watched) {
    wait_until(
        tab,
        "search results",
        "document.querySelectorAll('#search-results > li').length > 0 \
         && !document.getElementById('search-results').hasAttribute('aria-busy') \
         && document.getElementById('search-summary').textContent.includes('result')",
    );
}
