//! Lead images and social cards: the images a site makes rather than copies.
//!
//! A brief's `image:` names a file of the site (beside the brief, or in `static/`). [`process`]
//! reads it once, checks it (format, size, that it decodes), and hands on a [`Processed`] image:
//! its size, and the same picture resized to a few widths ([`WIDTHS`], never wider than the
//! original) in two formats: a fallback every browser shows (JPEG for a JPEG source, PNG for the
//! others) and lossless WebP, offered only where it is smaller than the fallback (it always is for
//! charts and maps, never for photographs, which the `image` crate cannot encode lossy). Each file
//! is named by a hash of the source's bytes (`images/<name>-<hash>-<width>.webp`), so a changed
//! image gets new addresses and browsers never show a stale copy.
//!
//! Encoding is the slow part, so every file is kept in a [`Cache`] keyed by that hash, the width
//! and the format: a second build of an unchanged image reads its hash and copies files. The
//! [`social`] module draws the cards briefs without a lead image are shared with.

pub mod cache;
pub mod social;

use std::borrow::Cow;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat};
use rayon::prelude::*;

pub use cache::Cache;

/// The widths lead images are made in, in pixels.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// The largest source file read, in bytes.
pub const MAX_BYTES: u64 = 50 << 20;
/// The largest width or height of a source image, in pixels.
pub const MAX_SIDE: u32 = 12_000;
/// The most pixels a source image may have (a 50-megapixel camera's).
pub const MAX_PIXELS: u64 = 50_000_000;
/// JPEG quality of the fallback for photographs.
const JPEG_QUALITY: u8 = 82;
/// Changes whenever the encoding changes (quality, filter, encoder), so cached files made
/// otherwise are not taken for the new ones.
const ENCODING: &str = "v2";

/// The formats a lead image may come in.
const READABLE: [ImageFormat; 4] = [
    ImageFormat::Jpeg,
    ImageFormat::Png,
    ImageFormat::WebP,
    ImageFormat::Gif,
];

/// The bytes of a file to write: kept in the cache, or in memory when there is no cache.
#[derive(Debug, Clone)]
pub enum Blob {
    Cached(PathBuf),
    Memory(Arc<Vec<u8>>),
}

impl Blob {
    pub fn bytes(&self) -> std::io::Result<Cow<'_, [u8]>> {
        match self {
            Blob::Cached(path) => std::fs::read(path).map(Cow::Owned),
            Blob::Memory(bytes) => Ok(Cow::Borrowed(bytes)),
        }
    }

    fn len(&self) -> u64 {
        match self {
            Blob::Cached(path) => std::fs::metadata(path).map_or(u64::MAX, |m| m.len()),
            Blob::Memory(bytes) => bytes.len() as u64,
        }
    }
}

/// The format every browser shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    Jpeg,
    Png,
}

impl Fallback {
    pub fn extension(self) -> &'static str {
        match self {
            Fallback::Jpeg => "jpg",
            Fallback::Png => "png",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Fallback::Jpeg => "image/jpeg",
            Fallback::Png => "image/png",
        }
    }
}

/// One width of a lead image: its size and the root-relative paths of its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub fallback: String,
    /// `None` when WebP is not smaller than the fallback.
    pub webp: Option<String>,
}

/// A lead image read, checked and resized.
#[derive(Debug)]
pub struct Processed {
    /// The source file, relative to the site root.
    pub source: PathBuf,
    /// Width and height of the source, turned upright as its EXIF orientation says.
    pub width: u32,
    pub height: u32,
    pub fallback: Fallback,
    /// Narrowest first; the last is the largest made.
    pub variants: Vec<Variant>,
    /// Every file to write: (root-relative output path, bytes).
    pub files: Vec<(String, Blob)>,
    /// A hash of the source's bytes and what was made of them, for fingerprints.
    pub fingerprint: u64,
    /// Files encoded by this processing, and files found in the cache.
    pub encoded: usize,
    pub cached: usize,
}

impl Processed {
    /// The largest variant, the one shared on social media.
    pub fn largest(&self) -> &Variant {
        // OK because `widths` always yields at least one width.
        self.variants.last().expect("at least one variant")
    }

    /// Whether the WebP files are offered.
    pub fn has_webp(&self) -> bool {
        self.variants.iter().all(|v| v.webp.is_some())
    }
}

/// Why an image cannot be used: what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub help: String,
}

impl Problem {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            help: help.into(),
        }
    }
}

/// What making lead images cost in one build (shown by `--timings`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Distinct images (lead image files, or social cards).
    pub images: usize,
    /// Files encoded now.
    pub encoded: usize,
    /// Files taken from the cache, or from the last build of a session.
    pub cached: usize,
    /// Wall time spent.
    pub time: Duration,
}

/// The widths to make of an image `width` pixels wide: those of [`WIDTHS`] it reaches, and its
/// own width when it falls between them (by more than a tenth), so nothing is ever upscaled
/// and the full picture is there up to the largest width.
pub fn widths(width: u32) -> Vec<u32> {
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w <= width).collect();
    let largest = out.last().copied().unwrap_or(0);
    if width < WIDTHS[WIDTHS.len() - 1] && u64::from(width) * 10 > u64::from(largest) * 11 {
        out.push(width);
    }
    out
}

/// Reads, checks and resizes the image at `root`/`source`, taking what it can from `cache`.
pub fn process(root: &Path, source: &Path, cache: &Cache) -> Result<Processed, Problem> {
    let bytes = read(&root.join(source))?;
    let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
    let format = image::guess_format(&bytes)
        .ok()
        .filter(|f| READABLE.contains(f))
        .ok_or_else(|| unsupported(source, &bytes))?;
    let mut decoder = decoder(&bytes, format)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let (w, h) = decoder.dimensions();
    let (width, height) = match orientation {
        image::metadata::Orientation::Rotate90
        | image::metadata::Orientation::Rotate270
        | image::metadata::Orientation::Rotate90FlipH
        | image::metadata::Orientation::Rotate270FlipH => (h, w),
        _ => (w, h),
    };
    let fallback = match format {
        ImageFormat::Jpeg => Fallback::Jpeg,
        _ => Fallback::Png,
    };
    let stem = stem(source);
    let key = format!("{ENCODING}-{hash:032x}");
    let short = format!("{:012x}", hash >> 80);
    let plan: Vec<(u32, u32)> = widths(width)
        .into_iter()
        .map(|w| (w, scaled_height(width, height, w)))
        .collect();
    // Every (width, format) file: from the cache, else encoded from the decoded image.
    let names = |w: u32| {
        [
            format!("{key}-{w}.{}", fallback.extension()),
            format!("{key}-{w}.webp"),
        ]
    };
    drop(decoder);
    // Decoded on first need, by whichever width needs it first: never when every file is in the
    // cache.
    let decoded: OnceLock<Result<DynamicImage, Problem>> = OnceLock::new();
    let decode = || -> Result<DynamicImage, Problem> {
        let decoder = self::decoder(&bytes, format)?;
        let mut img = DynamicImage::from_decoder(decoder).map_err(|e| corrupt(source, &e))?;
        img.apply_orientation(orientation);
        Ok(flatten(img))
    };
    let made: Vec<([Blob; 2], usize)> = plan
        .par_iter()
        .map(|&(w, h)| {
            let [fallback_name, webp_name] = names(w);
            let mut encoded = 0;
            let mut blob = |name: &str, format: Option<Fallback>| -> Result<Blob, Problem> {
                if let Some(path) = cache.get(name) {
                    return Ok(Blob::Cached(path));
                }
                let img = decoded.get_or_init(decode).as_ref().map_err(Clone::clone)?;
                let bytes = encode(&resize(img, w, h), format).map_err(|e| {
                    Problem::new(
                        format!("cannot encode {}: {e}", source.display()),
                        "report this as a bug in briefing",
                    )
                })?;
                encoded += 1;
                Ok(match cache.put(name, &bytes) {
                    Some(path) => Blob::Cached(path),
                    None => Blob::Memory(Arc::new(bytes)),
                })
            };
            let files = [
                blob(&fallback_name, Some(fallback))?,
                blob(&webp_name, None)?,
            ];
            Ok((files, encoded))
        })
        .collect::<Result<_, Problem>>()?;
    // WebP is offered when it is smaller overall: lossless WebP beats PNG, never a photograph's
    // JPEG.
    let webp_bytes: u64 = made.iter().map(|(f, _)| f[1].len()).sum();
    let fallback_bytes: u64 = made.iter().map(|(f, _)| f[0].len()).sum();
    let webp = webp_bytes < fallback_bytes;
    let encoded: usize = made.iter().map(|(_, n)| n).sum();
    let mut files = Vec::new();
    let mut variants = Vec::new();
    for (&(w, h), ([fallback_blob, webp_blob], _)) in plan.iter().zip(made) {
        let fallback_path = crate::layout::image_path(&stem, &short, w, fallback.extension());
        let webp_path = webp.then(|| crate::layout::image_path(&stem, &short, w, "webp"));
        files.push((fallback_path.clone(), fallback_blob));
        if let Some(p) = &webp_path {
            files.push((p.clone(), webp_blob));
        }
        variants.push(Variant {
            width: w,
            height: h,
            fallback: fallback_path,
            webp: webp_path,
        });
    }
    let total = plan.len() * 2;
    Ok(Processed {
        source: source.to_path_buf(),
        width,
        height,
        fallback,
        fingerprint: crate::model::fingerprint(&[
            &hash.to_le_bytes(),
            &[u8::from(webp)],
            source.as_os_str().as_encoded_bytes(),
        ]),
        variants,
        files,
        encoded,
        cached: total - encoded,
    })
}

/// The source file's bytes, refused when it is too large or not a regular file.
fn read(path: &Path) -> Result<Vec<u8>, Problem> {
    let cannot = |e: std::io::Error| {
        Problem::new(
            format!("cannot read the lead image: {e}"),
            "check that the file exists and is readable",
        )
    };
    let mut file = crate::load::open_regular(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > MAX_BYTES {
        return Err(Problem::new(
            format!(
                "the lead image is {:.1} MB; at most {} MB is read",
                len as f64 / 1e6,
                MAX_BYTES >> 20
            ),
            "save a smaller copy of it for the web, e.g. 2400 pixels wide",
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut file, MAX_BYTES + 1),
        &mut bytes,
    )
    .map_err(cannot)?;
    Ok(bytes)
}

fn unsupported(source: &Path, bytes: &[u8]) -> Problem {
    let what = match image::guess_format(bytes) {
        Ok(f) => format!("{f:?}").to_uppercase(),
        Err(_) if bytes.trim_ascii_start().starts_with(b"<") => "SVG or another text format".into(),
        Err(_) => match source.extension() {
            Some(ext) => format!("a file ending .{}", ext.to_string_lossy()),
            None => "a file".into(),
        },
    };
    Problem::new(
        format!("the lead image is {what}, which briefing cannot resize"),
        "use a JPEG, PNG, WebP or GIF file; an SVG can go in the body instead",
    )
}

fn corrupt(source: &Path, e: &image::ImageError) -> Problem {
    match e {
        image::ImageError::Limits(_) => too_large(None),
        _ => Problem::new(
            format!("cannot decode the lead image {}: {e}", source.display()),
            "the file is damaged or not really an image; save it again from an image editor",
        ),
    }
}

fn too_large(size: Option<(u32, u32)>) -> Problem {
    let what = match size {
        Some((w, h)) => format!("{w}×{h} pixels"),
        None => "too large to decode".into(),
    };
    Problem::new(
        format!(
            "the lead image is {what}; at most {MAX_SIDE} pixels a side and {} megapixels are read",
            MAX_PIXELS / 1_000_000
        ),
        "save a smaller copy of it for the web, e.g. 2400 pixels wide",
    )
}

/// A decoder for the image, its size checked before any pixel is decoded.
fn decoder(bytes: &[u8], format: ImageFormat) -> Result<impl ImageDecoder + '_, Problem> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes));
    reader.set_format(format);
    // The default limits cap what decoding may allocate; the size is checked below, from the
    // header, so the error can say it.
    reader.limits(image::Limits::default());
    let decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => too_large(None),
        e => Problem::new(
            format!("cannot decode the lead image: {e}"),
            "the file is damaged or not really an image; save it again from an image editor",
        ),
    })?;
    let (w, h) = decoder.dimensions();
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(too_large(Some((w, h))));
    }
    if w == 0 || h == 0 {
        return Err(Problem::new(
            "the lead image has no pixels",
            "use an image at least one pixel wide and high",
        ));
    }
    Ok(decoder)
}

/// The image as 8-bit RGB, or RGBA when it has transparency: what the encoders take.
fn flatten(img: DynamicImage) -> DynamicImage {
    if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.into_rgb8())
    }
}

fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let h = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

fn resize(img: &DynamicImage, w: u32, h: u32) -> Cow<'_, DynamicImage> {
    if img.width() == w && img.height() == h {
        Cow::Borrowed(img)
    } else {
        Cow::Owned(img.resize_exact(w, h, image::imageops::FilterType::CatmullRom))
    }
}

/// Encodes as the fallback format, or as lossless WebP when `format` is `None`.
fn encode(img: &DynamicImage, format: Option<Fallback>) -> image::ImageResult<Vec<u8>> {
    let mut out = Vec::new();
    let (w, h) = (img.width(), img.height());
    let color = img.color().into();
    match format {
        Some(Fallback::Jpeg) => {
            // JPEG has no transparency: flattened onto white.
            let rgb = match img {
                DynamicImage::ImageRgba8(_) => Cow::Owned(DynamicImage::ImageRgb8(on_white(img))),
                _ => Cow::Borrowed(img),
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                .write_image(rgb.as_bytes(), w, h, rgb.color().into())?;
        }
        // Every reader without WebP gets these: worth the default compression over the fast.
        Some(Fallback::Png) => image::codecs::png::PngEncoder::new_with_quality(
            &mut out,
            image::codecs::png::CompressionType::Default,
            image::codecs::png::FilterType::Adaptive,
        )
        .write_image(img.as_bytes(), w, h, color)?,
        None => image::codecs::webp::WebPEncoder::new_lossless(&mut out).write_image(
            img.as_bytes(),
            w,
            h,
            color,
        )?,
    }
    Ok(out)
}

fn on_white(img: &DynamicImage) -> image::RgbImage {
    let rgba = img.to_rgba8();
    image::RgbImage::from_fn(img.width(), img.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
    })
}

/// The file's name as a slug, for the names of its variants.
fn stem(source: &Path) -> String {
    let stem = source
        .file_stem()
        .map(|s| crate::parse::slugify(&s.to_string_lossy()))
        .unwrap_or_default();
    let stem: String = stem.chars().take(40).collect();
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "image".into()
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths(4000), vec![480, 960, 1600]);
        assert_eq!(widths(1600), vec![480, 960, 1600]);
        assert_eq!(widths(1200), vec![480, 960, 1200]);
        assert_eq!(widths(1000), vec![480, 960]);
        assert_eq!(widths(500), vec![480]);
        assert_eq!(widths(300), vec![300]);
        assert_eq!(scaled_height(1200, 800, 480), 320);
        assert_eq!(scaled_height(3000, 1, 480), 1);
    }

    #[test]
    fn stems_are_slugs() {
        assert_eq!(
            stem(Path::new("content/briefs/Riyadh Map.PNG")),
            "riyadh-map"
        );
        assert_eq!(stem(Path::new("static/——.png")), "image");
    }
}
