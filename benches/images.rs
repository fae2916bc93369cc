//! What lead images and social cards cost, and what the image cache saves.
//!
//!     cargo bench --bench images                         # 1,000 images, 1,000 cards
//!     BRIEFING_BENCH_IMAGES=200 cargo bench --bench images
//!
//! Needs nothing outside the repository: it generates a corpus (`tests/corpus`, seed 1) of N
//! briefs in a temp folder (`TMPDIR` chooses where) and N distinct 1600×900 pictures for them,
//! half photograph-like JPEGs (noise over gradients) and half chart-like PNGs (flat colours and
//! lines), one a brief as its lead image. Then, with the release `briefing` binary and an empty
//! image cache in the temp folder:
//!
//! 1. builds twice and prints the time `--timings` gives for lead images in each build, with
//!    the second as a share of the first (the goal: under 5%), also counting the time spent
//!    writing the resized files into the output (`write lead images`), which no cache saves;
//! 2. builds the same corpus without images, with `social_cards` off and on, and prints what a
//!    card adds to a build (the time the cards' template line reports, over N), then the same
//!    build again with the cards in the cache.
//!
//! Run as a test (`cargo test --benches`) it only says how to run it.

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    if !std::env::args().any(|a| a == "--bench") {
        println!("images: skipped outside `cargo bench`; run `cargo bench --bench images`");
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("images benchmark failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One build's figures.
struct Build {
    wall: Duration,
    /// The `--timings` line's milliseconds for lead images and for social cards.
    images: Option<f64>,
    /// Copying the resized files into the output, which every build does.
    write: Option<f64>,
    cards: Option<f64>,
    stderr: String,
}

fn build(root: &Path, out: &Path, cache: &Path) -> Result<Build, String> {
    let binary = env!("CARGO_BIN_EXE_briefing");
    let start = Instant::now();
    let run = Command::new(binary)
        .env("BRIEFING_IMAGE_CACHE", cache)
        .args(["build", "--quiet", "--timings", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .map_err(|e| format!("cannot run {binary}: {e}"))?;
    let wall = start.elapsed();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    if !run.status.success() {
        return Err(format!("the build failed:\n{stderr}"));
    }
    let ms = |label: &str| {
        stderr
            .lines()
            .find(|l| l.contains(label))
            .and_then(|l| l.trim_start().split(" ms").next())
            .and_then(|n| n.trim().parse::<f64>().ok())
    };
    Ok(Build {
        wall,
        images: ms("lead images:"),
        write: ms("write lead images"),
        cards: ms("social cards:"),
        stderr,
    })
}

fn line(stderr: &str, label: &str) -> String {
    stderr
        .lines()
        .find(|l| l.contains(label))
        .map_or_else(String::new, |l| l.trim().to_string())
}

/// A 1600×900 picture for brief `i`: a noisy JPEG for even `i`, a flat PNG chart for odd.
fn picture(i: usize) -> (Vec<u8>, &'static str) {
    let (w, h) = (1600u32, 900u32);
    let mut seed = i as u32 ^ 0x9e37_79b9;
    let tint = (i * 37 % 256) as u8;
    let mut out = Vec::new();
    let cursor = &mut std::io::Cursor::new(&mut out);
    if i.is_multiple_of(2) {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let n = (seed >> 27) as u8;
            let fx = x as f32 / w as f32;
            let fy = y as f32 / h as f32;
            image::Rgb([
                ((fx * 200.0) as u8).wrapping_add(n),
                ((fy * 180.0) as u8).wrapping_add(tint / 4 + n),
                (((fx + fy) * 100.0) as u8).wrapping_add(n),
            ])
        });
        img.write_to(cursor, image::ImageFormat::Jpeg)
            .expect("encode a JPEG");
        (out, "jpg")
    } else {
        let bars = 4 + i % 8;
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            let bar = (x * bars as u32 / w) as usize;
            let top = 150 + ((bar * 97 + i * 13) % 600) as u32;
            if y.is_multiple_of(150) {
                image::Rgb([200, 200, 200])
            } else if y > top && x % (w / bars as u32) > 20 {
                image::Rgb([10, 88, tint])
            } else {
                image::Rgb([246, 245, 241])
            }
        });
        img.write_to(cursor, image::ImageFormat::Png)
            .expect("encode a PNG");
        (out, "png")
    }
}

fn run() -> Result<(), String> {
    let n: usize = std::env::var("BRIEFING_BENCH_IMAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(1_000);
    let tmp = tempfile::tempdir().map_err(|e| format!("cannot make a temp folder: {e}"))?;
    let io = |e: std::io::Error| e.to_string();

    // 1. Lead images.
    let root = tmp.path().join("images");
    eprintln!(
        "generating {n} briefs with {n} pictures in {}",
        root.display()
    );
    let corpus = corpus::generate(&root, n, 1);
    let dir = root.join("static/bench");
    std::fs::create_dir_all(&dir).map_err(io)?;
    for (i, b) in corpus.briefs.iter().enumerate() {
        let (bytes, ext) = picture(i);
        std::fs::write(dir.join(format!("picture-{i}.{ext}")), bytes).map_err(io)?;
        let file = root.join("content/briefs").join(&b.file);
        let text = std::fs::read_to_string(&file).map_err(io)?;
        let with_image = text.replacen(
            "---\n",
            &format!("---\nimage:\n  src: /bench/picture-{i}.{ext}\n  alt: Picture {i}\n"),
            1,
        );
        std::fs::write(&file, with_image).map_err(io)?;
    }
    let cache = tmp.path().join("cache");
    let out = tmp.path().join("out");
    eprintln!("first build (every image encoded)…");
    let first = build(&root, &out, &cache)?;
    eprintln!("second build (every image from the cache)…");
    let second = build(&root, &out, &cache)?;
    let (Some(a), Some(b)) = (first.images, second.images) else {
        return Err(format!("no lead-image timing:\n{}", first.stderr));
    };

    // 2. Social cards, on the same corpus without images.
    let plain = tmp.path().join("plain");
    corpus::generate(&plain, n, 1);
    let cards_cache = tmp.path().join("cards-cache");
    let without = build(&plain, &out, &cards_cache)?;
    let config = plain.join("site.toml");
    let text = std::fs::read_to_string(&config).map_err(io)?;
    std::fs::write(&config, format!("{text}social_cards = true\n")).map_err(io)?;
    eprintln!("building {n} social cards…");
    let with = build(&plain, &out, &cards_cache)?;
    let again = build(&plain, &out, &cards_cache)?;
    let per_card = with.cards.unwrap_or(0.0) / n as f64;

    println!();
    println!("{n} lead images (1600×900, half JPEG, half PNG), 2 cores summed where noted:");
    println!(
        "  first build:  {a:>9.1} ms of images   (build {:.2} s)   {}",
        first.wall.as_secs_f64(),
        line(&first.stderr, "lead images:")
    );
    println!(
        "  second build: {b:>9.1} ms of images   (build {:.2} s)   {}",
        second.wall.as_secs_f64(),
        line(&second.stderr, "lead images:")
    );
    println!(
        "  second / first: {:.2}% (goal: under 5%)",
        100.0 * b / a.max(f64::EPSILON)
    );
    let (wa, wb) = (first.write.unwrap_or(0.0), second.write.unwrap_or(0.0));
    println!(
        "  writing the resized files into the output: {wa:.1} ms, then {wb:.1} ms; with it, the \
         second build's image time is {:.2}% of the first's",
        100.0 * (b + wb) / (a + wa).max(f64::EPSILON)
    );
    println!("{n} briefs without images, social cards:");
    println!(
        "  off:              build {:.2} s",
        without.wall.as_secs_f64()
    );
    println!(
        "  on, none cached:  build {:.2} s   {}",
        with.wall.as_secs_f64(),
        line(&with.stderr, "social cards:")
    );
    println!(
        "  on, all cached:   build {:.2} s   {}",
        again.wall.as_secs_f64(),
        line(&again.stderr, "social cards:")
    );
    println!("  per card drawn: {per_card:.1} ms (one thread)");
    Ok(())
}
