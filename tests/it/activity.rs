//! The activity chart of topic and entity pages: its bars, their titles, its table and its
//! caption state the same figures, and those are the counts of the briefs the pages list.
//!
//! Works on the `basic` fixture with three briefs added: one in October 2024 (so the diplomacy
//! topic has two months without briefs), one in March 2025 (so a person has two busiest
//! months) and one in 2012 (so the security topic spans more than ten years and is charted by
//! year). The expected counts come from the timelines' cards, every
//! page of them, not from the chart.

use std::collections::BTreeMap;

use crate::util::{Site, attrs, texts};

/// The chart as drawn and as told: what each part of it says.
#[derive(Debug)]
struct Chart {
    /// `(title, x, y, width, height)` of each `<rect>`, left to right.
    bars: Vec<(String, f64, f64, f64, f64)>,
    /// The maximum's line and the bars' base line.
    top: f64,
    baseline: f64,
    /// `(datetime, count)` of each row of the table.
    rows: Vec<(String, usize)>,
    caption: String,
}

/// Reads the chart of a page: its SVG parsed as XML, its table and caption from the HTML.
fn chart(html: &str) -> Option<Chart> {
    let start = html.find("<svg class=\"activity-chart\"")?;
    let end = start + html[start..].find("</svg>").expect("the SVG ends") + "</svg>".len();
    let svg = roxmltree::Document::parse(&html[start..end]).expect("the SVG is well-formed XML");
    let root = svg.root_element();
    assert_eq!(root.attribute("aria-hidden"), Some("true"));
    let num = |n: roxmltree::Node, a: &str| -> f64 {
        let v = n.attribute(a).unwrap_or_else(|| panic!("{a} missing"));
        assert!(
            v.split('.').nth(1).is_none_or(|d| d.len() <= 1),
            "{a}={v}: more than one decimal"
        );
        v.parse()
            .unwrap_or_else(|_| panic!("{a}={v} is not a number"))
    };
    let line = |class: &str| {
        root.descendants()
            .find(|n| n.attribute("class") == Some(class))
            .unwrap_or_else(|| panic!("no .{class}"))
    };
    let bars = root
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .map(|r| {
            let title = r
                .children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .expect("each bar has a title");
            (
                title.to_string(),
                num(r, "x"),
                num(r, "y"),
                num(r, "width"),
                num(r, "height"),
            )
        })
        .collect();
    let months = attrs(html, ".activity-figures tbody th time", "datetime");
    let counts = texts(html, ".activity-figures tbody td");
    assert_eq!(months.len(), counts.len());
    let rows = months
        .into_iter()
        .zip(counts)
        .map(|(m, c)| (m, c.parse().expect("a count")))
        .collect();
    let caption = texts(html, ".activity figcaption").concat();
    Some(Chart {
        bars,
        top: num(line("activity-grid"), "y1"),
        baseline: num(line("activity-axis"), "y1"),
        rows,
        caption,
    })
}

/// `YYYY-MM` (or `YYYY`) → briefs, from the `<time datetime>` of every card on a listing and
/// its further pages.
fn listed(site: &Site, first: &str, key_len: usize) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    let mut page = first.to_string();
    loop {
        let html = site.output(&page);
        for d in attrs(&html, ".timeline .card .meta > time", "datetime") {
            *counts.entry(d[..key_len].to_string()).or_insert(0) += 1;
        }
        match attrs(&html, ".pagination a[rel=next]", "href").first() {
            Some(next) => {
                let dir = std::path::Path::new(&page).parent().expect("a folder");
                let path = crate::util::normalize(&dir.join(next)).expect("a path in the site");
                page = path.to_string_lossy().into_owned();
            }
            None => return counts,
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "March 2025" for `2025-03`, "2012" for `2012`.
fn label(key: &str) -> String {
    match key.split_once('-') {
        Some((y, m)) => format!("{} {y}", MONTHS[m.parse::<usize>().expect("a month") - 1]),
        None => key.to_string(),
    }
}

/// Months (or years) since year 0, for the bars' places.
fn ordinal(key: &str) -> f64 {
    match key.split_once('-') {
        Some((y, m)) => y.parse::<f64>().expect("a year") * 12.0 + m.parse::<f64>().expect("m"),
        None => key.parse().expect("a year"),
    }
}

/// Every figure of the page's chart equals the counts of the briefs the listing shows.
fn assert_chart_matches(site: &Site, page: &str, key_len: usize) -> Chart {
    let expected = listed(site, page, key_len);
    let total: usize = expected.values().sum();
    assert!(total > 0, "{page} lists no briefs");
    let c = chart(&site.output(page)).unwrap_or_else(|| panic!("{page} has no chart"));
    // One bar per period with briefs, oldest first, each titled with its period and count.
    let titles: Vec<String> = c.bars.iter().map(|b| b.0.clone()).collect();
    let want: Vec<String> = expected
        .iter()
        .map(|(k, &n)| {
            let s = if n == 1 { "" } else { "s" };
            format!("{}: {n} brief{s}", label(k))
        })
        .collect();
    assert_eq!(titles, want, "{page}: bars");
    // The table states the same figures.
    let rows: Vec<(String, usize)> = expected.iter().map(|(k, &n)| (k.clone(), n)).collect();
    assert_eq!(c.rows, rows, "{page}: table");
    // Heights in proportion to the counts, the busiest reaching the top line; all on the base.
    let max = *expected.values().max().expect("a count") as f64;
    for (bar, &n) in c.bars.iter().zip(expected.values()) {
        let want = n as f64 / max * (c.baseline - c.top);
        assert!((bar.4 - want).abs() <= 0.1, "{page}: {bar:?} for {n}");
        assert!((bar.2 + bar.4 - c.baseline).abs() <= 0.1, "{page}: {bar:?}");
    }
    // Places in proportion to time: empty periods are gaps as wide as a period.
    let keys: Vec<&String> = expected.keys().collect();
    let slot = |i: usize| (c.bars[i].1 - c.bars[0].1) / (ordinal(keys[i]) - ordinal(keys[0]));
    for i in 2..keys.len() {
        assert!(
            (slot(i) - slot(1)).abs() <= 0.2,
            "{page}: bar {i} out of place"
        );
    }
    // The caption counts every brief, all pages of the listing.
    assert!(
        c.caption.contains(&format!("{total} brief")),
        "{page}: caption {:?} lacks the total {total}",
        c.caption
    );
    c
}

fn site() -> Site {
    let site = Site::copy_of("basic");
    site.write(
        "content/briefs/2024/10/2024-10-15-envoys-named.md",
        "---\ntitle: Envoys named\ndate: 2024-10-15\ntopics: [diplomacy]\n\
         people: [Marco Rossi, Olena Ivanova]\ntags: [summit]\n---\nBoth sides named envoys.\n",
    );
    site.write(
        "content/briefs/2025/03/2025-03-20-gas-prices.md",
        "---\ntitle: Gas prices fall\ndate: 2025-03-20\ntopics: [energy]\n\
         people: [Olena Ivanova]\n---\nPrices fell.\n",
    );
    site.write(
        "content/briefs/2012/06/2012-06-01-old-border-dispute.md",
        "---\ntitle: An old border dispute\ndate: 2012-06-01\ntopics: [security]\n---\n\
         The dispute began long ago.\n",
    );
    site.build_ok(&[]);
    site
}

#[test]
fn charts_state_the_counts_of_the_listed_briefs() {
    let site = site();

    // Diplomacy: October 2024 to March 2025, nothing in November and December.
    let c = assert_chart_matches(&site, "topics/diplomacy/index.html", 7);
    assert_eq!(
        c.rows,
        [
            ("2024-10".to_string(), 1),
            ("2025-01".to_string(), 1),
            ("2025-02".to_string(), 2),
            ("2025-03".to_string(), 1),
        ]
    );
    assert_eq!(
        c.caption,
        "Briefs per month 5 briefs from October 2024 to March 2025; the busiest month was \
         February 2025, with 2."
    );
    // The topic is paginated: only its first page has the chart.
    assert!(
        site.output("topics/diplomacy/page/2/index.html")
            .contains("class=\"timeline\"")
    );
    assert!(chart(&site.output("topics/diplomacy/page/2/index.html")).is_none());

    // People and tags: every brief naming them.
    assert_chart_matches(&site, "people/marco-rossi/index.html", 7);
    let c = assert_chart_matches(&site, "tags/summit/index.html", 7);
    assert!(
        c.caption
            .ends_with("March 2025, 1 in each month with briefs."),
        "{c:?}"
    );
    let c = assert_chart_matches(&site, "people/olena-ivanova/index.html", 7);
    assert!(
        c.caption
            .ends_with("the busiest month was March 2025, with 2 (as many in 1 other month)."),
        "{c:?}"
    );
    let c = assert_chart_matches(&site, "places/vienna/index.html", 7);
    assert_eq!(c.caption, "Briefs per month 1 brief, all in January 2025.");
}

#[test]
fn more_than_ten_years_are_charted_by_year() {
    let site = site();
    let c = assert_chart_matches(&site, "topics/security/index.html", 4);
    assert_eq!(c.rows, [("2012".to_string(), 1), ("2025".to_string(), 2)]);
    assert!(
        c.caption
            .starts_with("Briefs per year 3 briefs from 2012 to 2025, one bar per year"),
        "{c:?}"
    );
    let html = site.output("topics/security/index.html");
    assert_eq!(texts(&html, ".activity-figures thead th")[0], "Year");
}
