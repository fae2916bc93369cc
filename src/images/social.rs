//! Social cards: the 1200×630 picture a link to a brief without a lead image is shared with.
//!
//! The card is an SVG made by the `social-card.svg` template (so a site can restyle it),
//! rasterised by resvg with fonts compiled into the binary (DejaVu Sans, see
//! `assets/fonts/LICENSE-DejaVu.txt`) and never the system's, so it comes out the same on every
//! machine. SVG text does not wrap, so [`layout_title`] breaks the title into lines measured
//! with the same font. Drawing costs milliseconds per card, so each PNG is kept in the
//! [`Cache`] under a hash of its SVG text: a card whose title, topic, date and template are
//! unchanged is never drawn again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use image::ImageEncoder;
use resvg::usvg::fontdb;
use serde::Serialize;
use skrifa::MetadataProvider;

use super::Cache;

/// The card's size in pixels, as Open Graph and X (Twitter) recommend.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The fonts cards are drawn with, whatever the machine has.
const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The family every font name in a card's SVG falls back to.
pub const FAMILY: &str = "DejaVu Sans";

/// Changes whenever drawing changes (fonts, encoder), so cached cards made otherwise are not
/// reused.
const ENCODING: &str = "v2";

/// Where the title goes: the card's width less its margins.
const TITLE_WIDTH: f32 = 1040.0;
/// Title sizes to try, largest first, with the most lines each may take.
const TITLE_SIZES: [(u32, usize); 3] = [(64, 3), (54, 4), (46, 5)];

/// A title broken into lines for the card: `title.lines` (each with its baseline `y`) and
/// `title.size` in the template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TitleLayout {
    pub size: u32,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub text: String,
    /// Baseline, in pixels from the top of the card.
    pub y: u32,
}

/// Breaks `title` into lines that fit the card in bold at the largest size that holds it; at
/// the smallest size, what does not fit ends in an ellipsis.
pub fn layout_title(title: &str) -> TitleLayout {
    let words: Vec<&str> = title.split_whitespace().collect();
    let mut last = None;
    for (size, max_lines) in TITLE_SIZES {
        let measure = Measure::new(size);
        let mut lines = wrap(&words, &measure);
        if lines.len() <= max_lines {
            return placed(size, lines);
        }
        lines.truncate(max_lines);
        if let Some(end) = lines.last_mut() {
            while !end.is_empty() && measure.width(&format!("{end}…")) > TITLE_WIDTH {
                end.pop();
            }
            *end = format!("{}…", end.trim_end());
        }
        last = Some(placed(size, lines));
    }
    // OK because TITLE_SIZES is not empty.
    last.expect("at least one title size")
}

/// Lines placed from a fixed top, 1.2 sizes apart.
fn placed(size: u32, lines: Vec<String>) -> TitleLayout {
    let top = 250;
    let leading = size * 6 / 5;
    TitleLayout {
        size,
        lines: (0u32..)
            .zip(lines)
            .map(|(i, text)| Line {
                text,
                y: top + i * leading,
            })
            .collect(),
    }
}

/// Greedy wrapping; a word wider than a line is cut.
fn wrap(words: &[&str], measure: &Measure<'_>) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in words {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if measure.width(&candidate) <= TITLE_WIDTH {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if measure.width(&line) > TITLE_WIDTH {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Advance widths of the bold font at one size.
struct Measure<'a> {
    charmap: skrifa::charmap::Charmap<'a>,
    metrics: skrifa::metrics::GlyphMetrics<'a>,
    fallback: f32,
}

impl Measure<'static> {
    fn new(size: u32) -> Measure<'static> {
        // OK because the font is compiled in and known to parse (a unit test reads it).
        let font = skrifa::FontRef::new(BOLD).expect("the bundled font parses");
        let size = size as f32;
        Measure {
            charmap: font.charmap(),
            metrics: font.glyph_metrics(
                skrifa::instance::Size::new(size),
                skrifa::instance::LocationRef::default(),
            ),
            fallback: size * 0.65,
        }
    }
}

impl Measure<'_> {
    fn width(&self, text: &str) -> f32 {
        text.chars()
            .map(|c| {
                self.charmap
                    .map(c)
                    .and_then(|g| self.metrics.advance_width(g))
                    .unwrap_or(self.fallback)
            })
            .sum()
    }
}

/// Draws cards, each once: it keeps them in the cache and counts what it did.
pub struct Painter {
    cache: Cache,
    fonts: OnceLock<Arc<fontdb::Database>>,
    drawn: AtomicUsize,
    cached: AtomicUsize,
}

impl Painter {
    pub fn new(cache: Cache) -> Painter {
        Painter {
            cache,
            fonts: OnceLock::new(),
            drawn: AtomicUsize::new(0),
            cached: AtomicUsize::new(0),
        }
    }

    /// Cards drawn, and cards taken from the cache, so far.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.drawn.load(Ordering::Relaxed),
            self.cached.load(Ordering::Relaxed),
        )
    }

    /// The card `svg` draws, as PNG: from the cache when the same SVG was drawn before.
    pub fn png(&self, svg: &str) -> Result<Vec<u8>, String> {
        let name = format!(
            "card-{ENCODING}-{:032x}.png",
            xxhash_rust::xxh3::xxh3_128(svg.as_bytes())
        );
        if let Some(bytes) = self.cache.get(&name).and_then(|p| std::fs::read(p).ok()) {
            self.cached.fetch_add(1, Ordering::Relaxed);
            return Ok(bytes);
        }
        let png = self.draw(svg)?;
        self.cache.put(&name, &png);
        self.drawn.fetch_add(1, Ordering::Relaxed);
        Ok(png)
    }

    fn draw(&self, svg: &str) -> Result<Vec<u8>, String> {
        let options = resvg::usvg::Options {
            fontdb: Arc::clone(self.fonts.get_or_init(fonts)),
            font_family: FAMILY.into(),
            ..Default::default()
        };
        let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT)
            .ok_or_else(|| "cannot make the card's canvas".to_string())?;
        // Drawn on white, so the PNG needs no transparency.
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        let size = tree.size();
        let scale = resvg::tiny_skia::Transform::from_scale(
            WIDTH as f32 / size.width(),
            HEIGHT as f32 / size.height(),
        );
        resvg::render(&tree, scale, &mut pixmap.as_mut());
        let rgb: Vec<u8> = pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        // Flat colours and text: unfiltered at level 4 is less than half the size of the fast
        // setting (about 24 KB a card rather than 58 KB) for 3 ms more, paid once per card.
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new_with_quality(
            &mut png,
            image::codecs::png::CompressionType::Level(4),
            image::codecs::png::FilterType::NoFilter,
        )
        .write_image(&rgb, WIDTH, HEIGHT, image::ExtendedColorType::Rgb8)
        .map_err(|e| e.to_string())?;
        Ok(png)
    }
}

/// The bundled fonts, and only them.
fn fonts() -> Arc<fontdb::Database> {
    let mut db = fontdb::Database::new();
    db.load_font_data(REGULAR.to_vec());
    db.load_font_data(BOLD.to_vec());
    db.set_sans_serif_family(FAMILY);
    db.set_serif_family(FAMILY);
    db.set_monospace_family(FAMILY);
    db.set_cursive_family(FAMILY);
    db.set_fantasy_family(FAMILY);
    Arc::new(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_wrap_within_the_card() {
        let short = layout_title("Talks resume");
        assert_eq!(short.size, 64);
        assert_eq!(short.lines.len(), 1);
        let long = layout_title(
            "Kremlin says ties with Washington are “recovering” after the Riyadh talks, Peskov tells reporters in Moscow on Tuesday",
        );
        assert!(long.lines.len() > 1);
        let measure = Measure::new(long.size);
        for line in &long.lines {
            assert!(measure.width(&line.text) <= TITLE_WIDTH, "{line:?}");
        }
        let endless = layout_title(&"word ".repeat(200));
        assert!(endless.lines.last().unwrap().text.ends_with('…'));
        assert!(endless.lines.len() <= 5);
    }

    #[test]
    fn a_card_is_drawn_once_then_kept() {
        let dir = tempfile::tempdir().unwrap();
        let painter = Painter::new(Cache::at(dir.path()));
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#14202e"/><text x="80" y="250" font-family="{FAMILY}" font-size="64" fill="#fff">Talks</text></svg>"##
        );
        let first = painter.png(&svg).unwrap();
        let second = painter.png(&svg).unwrap();
        assert_eq!(first, second);
        assert_eq!(painter.counts(), (1, 1));
        let img = image::load_from_memory(&first).unwrap();
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        assert!(painter.png("<svg").is_err());
    }
}
