//! Answering one HTTP request from the served folder.
//!
//! The served folder holds exactly what `build` would write; this module maps a request's URL to
//! one file in it and nothing else: the URL is percent-decoded once, and any `..` or `.` segment,
//! encoded slash or backslash, NUL, hidden segment, or symbolic link leading out of the folder is
//! refused before the file system is asked. Folders answer with their `index.html` (and a
//! redirect adds the slash a folder URL lacks, so relative links resolve), missing files with
//! the site's own `404.html`, HTML with the live-reload script added before `</body>`, and every
//! answer carries `Cache-Control: no-store` so a reload always shows the latest build.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Request, Response, StatusCode};

use super::live::{EVENTS_PATH, Live, SCRIPT_PATH};

/// Where a request's URL leads inside the served folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A regular file inside the folder.
    File(PathBuf),
    /// A folder named without its trailing slash: redirect to this URL.
    Redirect(String),
    /// Nothing there (or a link that leads out of the folder).
    NotFound,
    /// A URL that tries to leave the folder or is malformed; never looked up.
    Refused,
}

/// Maps the raw request target (`/briefs/x/?q`) to a file under `dir`, which must be canonical.
pub fn resolve(dir: &Path, target: &str) -> Resolved {
    let (path, query) = match target.find(['?', '#']) {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    };
    let Some(segments) = segments(path) else {
        return Resolved::Refused;
    };
    let mut file = dir.to_path_buf();
    file.extend(&segments);
    // The file system decides last: a symbolic link anywhere on the way must stay inside.
    let Ok(real) = fs::canonicalize(&file) else {
        return Resolved::NotFound;
    };
    if !real.starts_with(dir) {
        return Resolved::NotFound;
    }
    let Ok(meta) = fs::metadata(&real) else {
        return Resolved::NotFound;
    };
    if meta.is_dir() {
        if !path.ends_with('/') {
            return Resolved::Redirect(format!("{path}/{query}"));
        }
        let index = real.join("index.html");
        return match fs::canonicalize(&index) {
            Ok(i) if i.starts_with(dir) && i.is_file() => Resolved::File(i),
            _ => Resolved::NotFound,
        };
    }
    if meta.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

/// The decoded segments of a URL path, or `None` if the path could leave the folder or is not
/// one a browser would send for a site's file.
fn segments(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix('/')?;
    // An encoded separator or NUL would change the path's shape after decoding.
    let lower = rest.to_ascii_lowercase();
    if ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) || rest.contains('\\') {
        return None;
    }
    let mut out = Vec::new();
    for raw in rest.split('/') {
        let seg = percent_decode_str(raw).decode_utf8().ok()?;
        if seg.is_empty() {
            continue;
        }
        let hidden = seg.starts_with('.') && seg != ".well-known";
        if hidden || seg.contains(['/', '\\', '\0']) || seg.contains(':') && cfg!(windows) {
            return None;
        }
        out.push(seg.into_owned());
    }
    Some(out)
}

/// The `Content-Type` of a served file, by its name; text types say they are UTF-8.
pub fn content_type(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mime = match ext.as_str() {
        "html" | "htm" => "text/html".to_string(),
        // Feeds are named feed.xml by the site's layout; other XML (the sitemap) is plain XML.
        "xml" if name == "feed.xml" => "application/atom+xml".to_string(),
        "xml" => "application/xml".to_string(),
        "js" | "mjs" => "text/javascript".to_string(),
        _ => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream")
            .to_string(),
    };
    let textual = mime.starts_with("text/")
        || mime.ends_with("+xml")
        || mime.ends_with("/xml")
        || mime == "application/json";
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime
    }
}

/// Adds the live-reload script before the last `</body>`, or at the end if there is none.
pub fn inject(html: &[u8], build: &str) -> Vec<u8> {
    let tag = format!(r#"<script src="{SCRIPT_PATH}" data-build="{build}" defer></script>"#);
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Answers one request; a failure to answer only means the client went away.
pub fn handle(request: Request, dir: &Path, live: &Live) {
    let target = request.url().to_string();
    let method = request.method().as_str().to_string();
    if method != "GET" && method != "HEAD" {
        let _ = request
            .respond(text(405, "method not allowed\n").with_header(header("Allow", "GET, HEAD")));
        return;
    }
    let path_only = target.split(['?', '#']).next().unwrap_or("");
    match path_only {
        EVENTS_PATH => return live.subscribe(request.into_writer()),
        SCRIPT_PATH => {
            let response = Response::from_data(super::live::SCRIPT)
                .with_header(header("Content-Type", "text/javascript; charset=utf-8"));
            let _ = request.respond(no_store(response));
            return;
        }
        _ => {}
    }
    let response = match resolve(dir, &target) {
        Resolved::File(file) => file_response(&file, 200, live),
        Resolved::Redirect(to) => {
            // A raw non-ASCII byte cannot go in a header; encoded, the browser decodes it back.
            let to = percent_encoding::utf8_percent_encode(&to, percent_encoding::CONTROLS);
            no_store(
                Response::from_data(Vec::new())
                    .with_status_code(301)
                    .with_header(header("Location", &to.to_string())),
            )
        }
        Resolved::NotFound => not_found(dir, path_only, live),
        Resolved::Refused => no_store(text(400, "bad request: that path is not inside the site\n")),
    };
    let _ = request.respond(response);
}

/// A missing page: the site's `404.html`, or the error page while the site has never built.
fn not_found(dir: &Path, path: &str, live: &Live) -> Response<std::io::Cursor<Vec<u8>>> {
    if let Some(page) = live.error_page().filter(|_| wants_html(path)) {
        return html_response(page, 503);
    }
    let page = dir.join("404.html");
    if page.is_file() {
        return file_response(&page, 404, live);
    }
    no_store(text(404, "not found\n"))
}

/// Whether a request for a missing `path` is for a page (a folder or an `.html` file).
fn wants_html(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    last.is_empty() || last.ends_with(".html") || !last.contains('.')
}

fn file_response(file: &Path, status: u16, live: &Live) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut bytes = Vec::new();
    if fs::File::open(file)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .is_err()
    {
        // Removed between the lookup and the read: a rebuild is under way.
        return no_store(text(404, "not found\n"));
    }
    let kind = content_type(file);
    if kind.starts_with("text/html") {
        bytes = inject(&bytes, &live.build_id());
    }
    no_store(
        Response::from_data(bytes)
            .with_status_code(status)
            .with_header(header("Content-Type", &kind)),
    )
}

/// A whole HTML page made here (the error page), with the script.
fn html_response(page: String, status: u16) -> Response<std::io::Cursor<Vec<u8>>> {
    no_store(
        Response::from_data(page.into_bytes())
            .with_status_code(status)
            .with_header(header("Content-Type", "text/html; charset=utf-8")),
    )
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body.as_bytes().to_vec())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn no_store<R: Read>(response: Response<R>) -> Response<R> {
    response.with_header(header("Cache-Control", "no-store"))
}

fn header(name: &str, value: &str) -> Header {
    // OK because every name and value here is printable ASCII: made by this module, or a
    // redirect's URL with controls and non-ASCII bytes percent-encoded.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("an ASCII header")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("served");
        fs::create_dir_all(dir.join("topics")).expect("mkdir");
        fs::write(dir.join("index.html"), "<p>home</p></body>").expect("write");
        fs::write(dir.join("topics/index.html"), "topics").expect("write");
        fs::write(tmp.path().join("secret.txt"), "secret").expect("write");
        let dir = fs::canonicalize(dir).expect("canonical");
        (tmp, dir)
    }

    #[test]
    fn folders_answer_with_their_index_and_redirect_without_a_slash() {
        let (_tmp, dir) = site();
        assert_eq!(resolve(&dir, "/"), Resolved::File(dir.join("index.html")));
        assert_eq!(
            resolve(&dir, "/topics/?x=1"),
            Resolved::File(dir.join("topics/index.html"))
        );
        assert_eq!(
            resolve(&dir, "/topics?x=1"),
            Resolved::Redirect("/topics/?x=1".into())
        );
        assert_eq!(resolve(&dir, "/nope/"), Resolved::NotFound);
    }

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        let (_tmp, dir) = site();
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/..%2fsecret.txt",
            "/topics%2F..%2F..%2Fsecret.txt",
            "/topics\\..\\..\\secret.txt",
            "/topics/%5c..%5csecret.txt",
            "/index.html%00.txt",
            "/./index.html",
            "/.hidden",
            "relative",
            "/%ff",
        ] {
            assert_eq!(resolve(&dir, bad), Resolved::Refused, "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_the_folder_are_not_followed() {
        let (tmp, dir) = site();
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), dir.join("leak.txt"))
            .expect("symlink");
        std::os::unix::fs::symlink(tmp.path(), dir.join("up")).expect("symlink");
        assert_eq!(resolve(&dir, "/leak.txt"), Resolved::NotFound);
        assert_eq!(resolve(&dir, "/up/secret.txt"), Resolved::NotFound);
        assert_eq!(resolve(&dir, "/up/"), Resolved::NotFound);
        // A link that stays inside is fine.
        std::os::unix::fs::symlink(dir.join("index.html"), dir.join("home.html")).expect("symlink");
        assert_eq!(
            resolve(&dir, "/home.html"),
            Resolved::File(dir.join("index.html"))
        );
    }

    #[test]
    fn content_types_name_the_charset_of_text() {
        let t = |p: &str| content_type(Path::new(p));
        assert_eq!(t("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(t("style.css"), "text/css; charset=utf-8");
        assert_eq!(t("favicon.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(t("feed.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(t("sitemap.xml"), "application/xml; charset=utf-8");
        assert_eq!(t("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(t("photo.JPG"), "image/jpeg");
        assert_eq!(t("blob"), "application/octet-stream");
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body() {
        let out = inject(b"<body>x</BODY>\n</html>", "7");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(
            out.starts_with("<body>x<script src=\"/__briefing/live.js\" data-build=\"7\""),
            "{out}"
        );
        assert!(out.ends_with("</script></BODY>\n</html>"), "{out}");
        let bare = String::from_utf8(inject(b"<p>x", "1")).expect("utf-8");
        assert!(bare.starts_with("<p>x<script"), "{bare}");
    }
}
