//! Lead images and social cards: the resized files and the HTML that shows them, the cache
//! that makes a second build free, the errors for images that cannot be used, and titles'
//! smart punctuation.

use std::path::Path;

use crate::util::*;

const DIR: &str = "content/briefs/2025/03";
const BRIEF: &str = "content/briefs/2025/03/2025-03-20-chart-day.md";
const PAGE: &str = "briefs/chart-day/index.html";

/// A smooth picture, as a chart or map is: lossless WebP beats PNG on it.
fn gradient_png(width: u32, height: u32, tint: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, tint])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode PNG");
    out
}

/// A noisy picture, as a photograph is: lossless WebP cannot beat its JPEG.
fn noisy_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 7u32;
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let n = (seed >> 26) as u8;
        image::Rgb([
            ((x % 200) as u8).wrapping_add(n),
            ((y % 200) as u8).wrapping_add(n),
            (((x + y) % 200) as u8).wrapping_add(n),
        ])
    });
    let mut out = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut out),
        image::ImageFormat::Jpeg,
    )
    .expect("encode JPEG");
    out
}

/// The basic fixture with `base_url`, plus one brief whose front matter ends with `extra`.
fn site_with(extra: &str) -> Site {
    let site = Site::copy_of("basic");
    site.edit(
        "site.toml",
        "paginate = 2",
        "paginate = 2\nbase_url = \"https://desk.example.org/news/\"",
    );
    site.write(
        BRIEF,
        format!(
            "---\ntitle: Chart day\ndate: 2025-03-20\ntopics: [energy]\nsources:\n  - name: Wire\n{extra}---\nGas flows, charted.\n"
        ),
    );
    site
}

const IMAGE: &str = "image:\n  src: flows.png\n  alt: Gas flows by route, 2024\n  caption: 'Flows \"fell\" -- by half'\n  credit: \"Chart: Fixture Desk\"\n";

/// `briefing ARGS… --root <root>` with the image cache in `cache`.
fn run(site: &Site, cache: &Path, args: &[&str]) -> Run {
    let mut cmd = briefing();
    cmd.env("BRIEFING_IMAGE_CACHE", cache).args(args);
    cmd.arg("--root").arg(&site.root);
    if args[0] == "build" {
        cmd.arg("--output").arg(&site.out);
    }
    Run::of(&mut cmd)
}

/// The `srcset` candidates as (URL relative to the page, width).
fn candidates(srcset: &str) -> Vec<(String, u32)> {
    srcset
        .split(", ")
        .map(|c| {
            let (url, w) = c.rsplit_once(' ').expect("URL and width");
            let w = w.strip_suffix('w').expect("a width descriptor");
            (url.to_string(), w.parse().expect("a number"))
        })
        .collect()
}

/// Checks every candidate exists beside the page's folder, decodes, and is as wide as it says;
/// returns their paths in the output.
#[track_caller]
fn check_files(site: &Site, page: &str, srcset: &str, format: image::ImageFormat) -> Vec<String> {
    let dir = Path::new(page).parent().expect("page folder");
    candidates(srcset)
        .into_iter()
        .map(|(url, w)| {
            let rel = normalize(&dir.join(&url)).expect("inside the site");
            let bytes = std::fs::read(site.out.join(&rel)).expect("the file exists");
            assert_eq!(
                image::guess_format(&bytes).expect("an image"),
                format,
                "{url}"
            );
            let img = image::load_from_memory(&bytes).expect("decodes");
            assert_eq!(img.width(), w, "{url}");
            rel.to_string_lossy().into_owned()
        })
        .collect()
}

#[test]
fn lead_images_come_in_three_widths_two_formats_with_sizes_and_hashed_names() {
    let site = site_with(IMAGE);
    site.write(&format!("{DIR}/flows.png"), gradient_png(2000, 1000, 40));
    let cache = site.tmp.path().join("cache");
    run(&site, &cache, &["build"]).success();
    let page = site.output(PAGE);

    let img = |attr| attrs(&page, "figure.lead-image img", attr);
    assert_eq!(img("alt"), ["Gas flows by route, 2024"]);
    assert_eq!(
        (img("width"), img("height")),
        (vec!["1600".to_string()], vec!["800".to_string()])
    );
    assert_eq!(img("sizes"), ["(min-width: 52rem) 48rem, 100vw"]);
    let fallback = check_files(&site, PAGE, &img("srcset")[0], image::ImageFormat::Png);
    assert_eq!(fallback.len(), 3);
    assert!(img("src")[0].ends_with("-960.png"), "{:?}", img("src"));
    let webp_srcset = attrs(
        &page,
        "figure.lead-image source[type=\"image/webp\"]",
        "srcset",
    );
    let webp = check_files(&site, PAGE, &webp_srcset[0], image::ImageFormat::WebP);
    assert_eq!(
        candidates(&webp_srcset[0])
            .iter()
            .map(|c| c.1)
            .collect::<Vec<_>>(),
        [480, 960, 1600]
    );
    for path in fallback.iter().chain(&webp) {
        let name = path
            .strip_prefix("images/flows-")
            .expect("named after the file");
        assert_eq!(name.split('-').next().map(str::len), Some(12), "{path}");
    }
    // Caption and credit, with smart punctuation.
    assert_eq!(
        texts(&page, "figure.lead-image figcaption"),
        ["Flows “fell” – by half Chart: Fixture Desk"]
    );
    assert_eq!(texts(&page, "figcaption .credit"), ["Chart: Fixture Desk"]);

    // Cards show a thumbnail with its size, decorative beside the title.
    let topic = site.output("topics/energy/index.html");
    let thumb = |attr| attrs(&topic, ".card-with-image .card-thumb img", attr);
    assert_eq!(thumb("alt"), [""]);
    assert_eq!(thumb("width"), ["1600"]);
    assert_eq!(thumb("loading"), ["lazy"]);
    check_files(
        &site,
        "topics/energy/index.html",
        &thumb("srcset")[0],
        image::ImageFormat::Png,
    );
    // Cards of briefs without an image are as they were.
    assert!(!topic.contains("<article class=\"card \""));
    assert_eq!(
        topic.matches("<article class=\"card\">").count() + 1,
        topic.matches("<article class=\"card").count()
    );
    assert_links_ok(&crawl(&site.out), 50, 0);
    // The source file itself is not published.
    assert!(files_ending(&site.out, "flows.png").is_empty());

    // A changed image gets new names; the old ones are gone.
    site.write(&format!("{DIR}/flows.png"), gradient_png(2000, 1000, 200));
    run(&site, &cache, &["build"]).success();
    let again = site.output(PAGE);
    let srcset = attrs(&again, "figure.lead-image img", "srcset");
    let renamed = check_files(&site, PAGE, &srcset[0], image::ImageFormat::Png);
    for (old, new) in fallback.iter().zip(&renamed) {
        assert_ne!(old, new);
        assert!(!site.out.join(old).exists(), "{old} left behind");
    }
}

#[test]
fn photographs_keep_jpeg_and_small_images_are_never_upscaled() {
    let site = site_with("image:\n  src: /photos/quay.jpg\n  alt: Tankers at the quay\n");
    site.write("static/photos/quay.jpg", noisy_jpeg(1200, 800));
    let cache = site.tmp.path().join("cache");
    run(&site, &cache, &["build"]).success();
    let page = site.output(PAGE);
    let srcset = attrs(&page, "figure.lead-image img", "srcset");
    let files = check_files(&site, PAGE, &srcset[0], image::ImageFormat::Jpeg);
    assert_eq!(
        candidates(&srcset[0])
            .iter()
            .map(|c| c.1)
            .collect::<Vec<_>>(),
        [480, 960, 1200]
    );
    assert_eq!(attrs(&page, "figure.lead-image img", "height"), ["800"]);
    // Lossless WebP of a photograph is larger than its JPEG, so it is not offered.
    assert!(attrs(&page, "figure.lead-image source", "srcset").is_empty());
    assert!(files_ending(&site.out, ".webp").is_empty());
    assert!(files.iter().all(|f| f.starts_with("images/quay-")));
    // No caption, no figcaption.
    assert!(texts(&page, "figcaption").is_empty());
}

#[test]
fn social_cards_are_1200_by_630_and_shared_with_absolute_urls() {
    let site = site_with(IMAGE);
    site.write(&format!("{DIR}/flows.png"), gradient_png(1000, 500, 40));
    site.edit(
        "site.toml",
        "paginate = 2",
        "paginate = 2\nsocial_cards = true",
    );
    let cache = site.tmp.path().join("cache");
    run(&site, &cache, &["build"]).success();

    let card = std::fs::read(site.out.join("briefs/talks-resume/card.png")).expect("a card");
    assert_eq!(image::guess_format(&card).unwrap(), image::ImageFormat::Png);
    let img = image::load_from_memory(&card).expect("decodes");
    assert_eq!((img.width(), img.height()), (1200, 630));
    // Not one colour: the text is drawn.
    let rgb = img.to_rgb8();
    assert!(rgb.pixels().any(|p| p.0 != rgb.get_pixel(0, 0).0));

    let page = site.output("briefs/talks-resume/index.html");
    let meta = |p: &str| attrs(&page, &format!("meta[property=\"{p}\"]"), "content");
    assert_eq!(
        meta("og:image"),
        ["https://desk.example.org/news/briefs/talks-resume/card.png"]
    );
    assert_eq!(
        (meta("og:image:width"), meta("og:image:height")),
        (vec!["1200".to_string()], vec!["630".to_string()])
    );
    assert_eq!(meta("og:image:type"), ["image/png"]);
    assert!(meta("og:image:alt")[0].starts_with("Fixture Desk: "));
    assert_eq!(
        attrs(&page, "meta[name=\"twitter:card\"]", "content"),
        ["summary_large_image"]
    );
    let ld = texts(&page, "script[type=\"application/ld+json\"]").remove(0);
    let ld: serde_json::Value = serde_json::from_str(&ld).expect("JSON-LD");
    assert_eq!(
        ld["image"]["url"],
        "https://desk.example.org/news/briefs/talks-resume/card.png"
    );
    assert_eq!(ld["image"]["width"], 1200);

    // A brief with a lead image is shared with it, not with a card.
    let page = site.output(PAGE);
    assert!(!site.out.join("briefs/chart-day/card.png").exists());
    let shared = attrs(&page, "meta[property=\"og:image\"]", "content");
    assert!(
        shared[0].starts_with("https://desk.example.org/news/images/flows-")
            && shared[0].ends_with("-960.png"),
        "{shared:?}"
    );
    assert_eq!(
        attrs(&page, "meta[property=\"og:image:alt\"]", "content"),
        ["Gas flows by route, 2024"]
    );
    // Cards are not pages: the sitemap leaves them out.
    assert!(!site.output("sitemap.xml").contains("card.png"));

    // Without base_url there is no absolute URL to give, so no og:image.
    site.edit(
        "site.toml",
        "base_url = \"https://desk.example.org/news/\"",
        "",
    );
    run(&site, &cache, &["build"]).success();
    let page = site.output("briefs/talks-resume/index.html");
    assert!(!page.contains("og:image"));
    assert_eq!(
        attrs(&page, "meta[name=\"twitter:card\"]", "content"),
        ["summary"]
    );
    assert!(site.out.join("briefs/talks-resume/card.png").exists());
}

#[test]
fn a_second_build_encodes_nothing() {
    let site = site_with(IMAGE);
    site.write(&format!("{DIR}/flows.png"), gradient_png(2000, 1000, 40));
    site.edit(
        "site.toml",
        "paginate = 2",
        "paginate = 2\nsocial_cards = true",
    );
    let cache = site.tmp.path().join("cache");
    let first = run(&site, &cache, &["build", "--timings"]);
    first
        .success()
        .stderr_has("lead images: 1 image, 6 files encoded, 0 from the cache")
        .stderr_has("social cards: 7 drawn, 0 from the cache");
    let mtimes = || -> Vec<(String, std::time::SystemTime)> {
        let mut all: Vec<_> = std::fs::read_dir(&cache)
            .expect("the cache folder")
            .map(|e| {
                let e = e.expect("entry");
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().and_then(|m| m.modified()).expect("mtime"),
                )
            })
            .collect();
        all.sort();
        all
    };
    let before = mtimes();
    // Six resized files and seven cards, and nothing else (no temporary files).
    assert_eq!(before.len(), 13, "{before:?}");
    let out_first = read_tree(&site.out);
    let second = run(&site, &cache, &["build", "--timings"]);
    second
        .success()
        .stderr_has("lead images: 1 image, 0 files encoded, 6 from the cache")
        .stderr_has("social cards: 0 drawn, 7 from the cache");
    assert_eq!(mtimes(), before, "the cache was written again");
    assert_same_tree(&out_first, &read_tree(&site.out));
    // Nothing is left in the site folder.
    assert!(!site.root.join(".cache").exists());
    // An empty cache gives the same site.
    let fresh = site.tmp.path().join("fresh");
    run(&site, &fresh, &["build"]).success();
    assert_same_tree(&out_first, &read_tree(&site.out));
}

#[test]
fn a_session_reuses_unchanged_images_and_redoes_an_edited_one() {
    use briefing::write::DirSink;
    let site = site_with(IMAGE);
    site.write(&format!("{DIR}/flows.png"), gradient_png(1000, 500, 40));
    let sink = DirSink::new(&site.out).expect("output folder");
    let mut session = briefing::Session::new(briefing::BuildOptions {
        root: site.root.clone(),
        image_cache: Some(site.tmp.path().join("cache")),
        ..Default::default()
    });
    let first = session.build(&[], &sink).expect("builds");
    assert_eq!(first.report.images.encoded, 4);
    // A body edit: the image is neither read nor encoded again.
    site.edit(BRIEF, "Gas flows, charted.", "Gas flows, charted again.");
    let second = session.build(&[site.path(BRIEF)], &sink).expect("rebuilds");
    assert_eq!(
        (second.report.images.encoded, second.report.images.cached),
        (0, 4)
    );
    assert!(!second.written.iter().any(|p| p.starts_with("images/")));
    // An edited image is made again, under new names; the old files go.
    site.write(&format!("{DIR}/flows.png"), gradient_png(1000, 500, 90));
    let third = session
        .build(&[site.path(&format!("{DIR}/flows.png"))], &sink)
        .expect("rebuilds");
    assert_eq!(third.report.images.encoded, 4);
    assert_eq!(
        third
            .removed
            .iter()
            .filter(|p| p.starts_with("images/"))
            .count(),
        2 + 2
    );
    assert!(third.written.contains(&PAGE.to_string()));
}

#[test]
fn images_that_cannot_be_used_are_errors_at_their_image_line() {
    let site = Site::copy_of("basic");
    let brief = |name: &str, image: &str| {
        site.write(
            &format!("{DIR}/2025-03-2{name}.md"),
            format!("---\ntitle: Bad {name}\ndate: 2025-03-20\ntopics: [energy]\nsources:\n  - name: Wire\n{image}---\nText.\n"),
        );
    };
    site.write(
        &format!("{DIR}/corrupt.png"),
        b"\x89PNG\r\n\x1a\nnot really a png at all",
    );
    let mut wide = Vec::new();
    image::RgbImage::new(13_000, 1)
        .write_to(
            &mut std::io::Cursor::new(&mut wide),
            image::ImageFormat::Png,
        )
        .expect("encode");
    site.write(&format!("{DIR}/wide.png"), wide);
    site.write(
        &format!("{DIR}/map.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    // A BMP header is enough to be recognised, and refused.
    site.write(
        &format!("{DIR}/old.bmp"),
        [b"BM".as_slice(), &[0; 60]].concat(),
    );
    brief("1-corrupt", "image:\n  src: corrupt.png\n  alt: A chart\n");
    brief("2-wide", "image:\n  src: wide.png\n  alt: A chart\n");
    brief("3-svg", "image:\n  src: map.svg\n  alt: A map\n");
    brief("4-bmp", "image:\n  src: old.bmp\n  alt: A map\n");
    brief("5-no-alt", "image:\n  src: wide.png\n");
    brief("6-missing", "image:\n  src: nowhere.png\n  alt: Nothing\n");
    brief(
        "7-remote",
        "image:\n  src: https://example.org/a.png\n  alt: Far\n",
    );
    let cache = site.tmp.path().join("cache");
    let run = run(&site, &cache, &["check"]);
    run.failure();
    let at = |n: &str| format!("--> {DIR}/2025-03-2{n}.md:7:1");
    for (n, message) in [
        ("1-corrupt", "error: cannot decode the lead image"),
        (
            "2-wide",
            "error: the lead image is 13000×1 pixels; at most 12000 pixels a side",
        ),
        (
            "3-svg",
            "error: the lead image is SVG or another text format, which briefing cannot resize",
        ),
        (
            "4-bmp",
            "error: the lead image is BMP, which briefing cannot resize",
        ),
        ("5-no-alt", "error: the lead image has no alternative text"),
        (
            "6-missing",
            "error: the lead image \"nowhere.png\" does not exist",
        ),
        (
            "7-remote",
            "error: the lead image \"https://example.org/a.png\" is not a file of the site",
        ),
    ] {
        let found = run
            .stderr
            .split("error: ")
            .map(|d| format!("error: {d}"))
            .find(|d| d.contains(&at(n)))
            .unwrap_or_else(|| panic!("no diagnostic at {}\n{run}", at(n)));
        assert!(found.starts_with(message), "{n}: {found}");
    }
    assert!(run.stderr.contains("check failed: 7 errors"), "{run}");
    // A missing alt in JSON, with its code.
    let json = Run::of(
        briefing()
            .env("BRIEFING_IMAGE_CACHE", &cache)
            .args(["check", "--format", "json", "--root"])
            .arg(&site.root),
    );
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    for code in ["lead-image", "missing-alt", "broken-link", "invalid-field"] {
        assert!(codes.contains(&code), "{code}: {codes:?}");
    }
}

#[test]
fn titles_get_smart_punctuation_everywhere_they_are_shown() {
    let site = site_with("");
    site.edit(
        BRIEF,
        "title: Chart day",
        "title: 'Kremlin says ties \"recovering\" -- Peskov''s view'",
    );
    let cache = site.tmp.path().join("cache");
    run(&site, &cache, &["build"]).success();
    let curly = "Kremlin says ties “recovering” – Peskov’s view";
    let page = site.output(PAGE);
    assert_eq!(texts(&page, "h1"), [curly]);
    assert_eq!(
        attrs(&page, "meta[property=\"og:title\"]", "content"),
        [curly]
    );
    let ld = texts(&page, "script[type=\"application/ld+json\"]").remove(0);
    let ld: serde_json::Value = serde_json::from_str(&ld).expect("JSON-LD");
    assert_eq!(ld["headline"], curly);
    assert!(texts(&site.output("index.html"), ".card-title").contains(&curly.to_string()));
    let feed = parse_feed("feed.xml", &site.output("feed.xml"));
    assert!(feed.entries.iter().any(|e| e.title == curly));
}
