//! Files for static hosts, written at the output's root so uploading the folder is the whole
//! deploy: `_redirects` and `_headers` (read by Netlify and Cloudflare Pages; other hosts serve
//! or ignore them) and `.nojekyll` (GitHub Pages: publish the files as they are, without running
//! Jekyll, which would drop files whose names start with `_`). `hosting_files = false` in
//! `site.toml` leaves all three out.
//!
//! Paths in them are root-relative on the host: when `base_url` has a path (the site lives in a
//! sub-folder), it is put in front of every path.

use crate::layout::{self, HostingFile};
use crate::model::Site;

/// The bytes of one hosting file.
pub fn file(site: &Site, file: HostingFile) -> Vec<u8> {
    match file {
        HostingFile::Redirects => redirects(site),
        HostingFile::Headers => headers(site),
        HostingFile::NoJekyll => Vec::new(),
    }
}

/// One rule per redirect page, old address first: `/briefs/old/ /briefs/new/ 301`. Cloudflare
/// Pages answers them with a real 301 before looking for a file; Netlify serves a file that
/// exists first (the redirect page, which sends the reader on) unless the rule is forced.
fn redirects(site: &Site) -> Vec<u8> {
    let base = base_path(site.config.base_url.as_deref());
    let mut out = String::from(
        "# Redirects for Netlify and Cloudflare Pages, written by briefing from the `aliases:` of\n\
         # briefs, topics and pages: old address, new address, HTTP status.\n",
    );
    for r in site.redirects() {
        let (to, _) = site.target(r.target);
        out.push_str(&format!(
            "{} {} 301\n",
            host_path(base, &r.path),
            host_path(base, to)
        ));
    }
    out.into_bytes()
}

/// Cache lifetimes. No file of the site is named by a hash of its content: every file (pages,
/// feeds, `style.css`, static files) keeps its address when it changes, so none may be cached
/// for long, and one rule covers them all. Should content-hashed files come, the long rule
/// (`public, max-age=31536000, immutable`) must not overlap this one: both hosts join the values
/// of every rule that matches a path.
fn headers(site: &Site) -> Vec<u8> {
    let base = base_path(site.config.base_url.as_deref());
    format!(
        "# Headers for Netlify and Cloudflare Pages, written by briefing.\n\
         # No file's name carries a hash of its content, so none is marked immutable: browsers\n\
         # keep a copy for five minutes, then ask again (an unchanged file costs a 304), so a\n\
         # correction or a newly published brief shows within minutes.\n\
         {base}*\n  Cache-Control: public, max-age=300\n  X-Content-Type-Options: nosniff\n"
    )
    .into_bytes()
}

/// The path part of `base_url` (`/desk/` for `https://example.org/desk/`), or `/`.
fn base_path(base_url: Option<&str>) -> &str {
    base_url
        .and_then(|url| {
            let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
            after_scheme.find('/').map(|i| &after_scheme[i..])
        })
        .unwrap_or("/")
}

/// A root-relative output path as the host sees it: under `base`, without `index.html`,
/// percent-encoded.
fn host_path(base: &str, path: &str) -> String {
    crate::parse::encode_url(&format!("{base}{}", layout::permalink(None, path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_and_host_paths() {
        assert_eq!(base_path(None), "/");
        assert_eq!(base_path(Some("https://example.org/")), "/");
        assert_eq!(base_path(Some("https://example.org/desk/")), "/desk/");
        assert_eq!(host_path("/", "briefs/x/index.html"), "/briefs/x/");
        assert_eq!(
            host_path("/desk/", "2025/03/old.html"),
            "/desk/2025/03/old.html"
        );
        assert_eq!(host_path("/", "café/index.html"), "/caf%C3%A9/");
    }
}
