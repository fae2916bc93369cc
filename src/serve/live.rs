//! Telling open pages what changed: Server-Sent Events and the state a new page needs.
//!
//! Every page `serve` hands out loads [`SCRIPT`] (added at serve time, never written into the
//! site), which listens on [`EVENTS_PATH`]. Three events flow:
//!
//! - `hello`, on connecting: the current build's id and, while the site is broken, its errors.
//!   A page older than the current build (it loaded just before a rebuild finished) reloads.
//! - `reload`, after each good build: `{build, written, removed, moved}` with root-relative
//!   output paths (`written` is `null` when it would be long: everything changed); the page
//!   reloads, follows its move, or goes to the front page.
//! - `build-error`, after each failed build: every diagnostic as plain rendered text (the
//!   terminal's, without colour) with its file and line, shown in an overlay.
//!
//! The build id is the server's start time plus a counter, so a page from an earlier run of
//! `serve` also sees that it is stale when the browser reconnects.

use std::io::Write;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::Update;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// Where pages listen for events.
pub const EVENTS_PATH: &str = "/__briefing/events";
/// Where the injected script is served from.
pub const SCRIPT_PATH: &str = "/__briefing/live.js";
/// The live-reload and overlay script.
pub const SCRIPT: &str = include_str!("live.js");

/// The shared state of the served site and the pages listening to it.
pub struct Live {
    start: u128,
    state: Mutex<State>,
}

struct State {
    generation: u64,
    /// The current errors, while the last build failed.
    errors: Option<Vec<ErrorReport>>,
    /// Whether any build has succeeded, so there are pages to serve.
    built: bool,
    clients: Vec<Box<dyn Write + Send>>,
}

/// One diagnostic as the overlay shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorReport {
    pub path: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// The terminal's rendering, with the snippet, as plain text.
    pub text: String,
}

#[derive(Serialize)]
struct Hello<'a> {
    build: String,
    errors: Option<&'a [ErrorReport]>,
}

/// Past this many written paths a reload event says only "everything" (`written: null`): a
/// whole-site rebuild of a large site would otherwise send megabytes to every page, and a page
/// that stops reading could fill its connection while the state is locked.
const MAX_LISTED: usize = 500;

#[derive(Serialize)]
struct Reload<'a> {
    build: String,
    /// `None`: too many to list; every page should reload.
    written: Option<&'a [String]>,
    removed: &'a [String],
    moved: &'a [(String, String)],
}

#[derive(Serialize)]
struct Failed<'a> {
    errors: &'a [ErrorReport],
}

impl Live {
    pub fn new() -> Live {
        let start = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        Live {
            start,
            state: Mutex::new(State {
                generation: 0,
                errors: None,
                built: false,
                clients: Vec::new(),
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A poisoned lock only means a handler panicked mid-write; the state is still whole.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The id of the build being served, which pages carry in their script tag.
    pub fn build_id(&self) -> String {
        self.id(self.state().generation)
    }

    fn id(&self, generation: u64) -> String {
        format!("{:x}-{generation}", self.start)
    }

    /// Takes a client's connection as an event stream, starting with `hello`.
    pub fn subscribe(&self, mut writer: Box<dyn Write + Send>) {
        let mut state = self.state();
        let hello = Hello {
            build: self.id(state.generation),
            errors: state.errors.as_deref(),
        };
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                    Cache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n";
        let ok = writer.write_all(head.as_bytes()).is_ok()
            && send(&mut writer, "hello", &json(&hello)).is_ok();
        if ok {
            state.clients.push(writer);
        }
    }

    /// Records a good build and tells every page.
    pub fn built(&self, update: &Update) {
        let mut state = self.state();
        state.generation += 1;
        state.errors = None;
        state.built = true;
        let event = Reload {
            build: self.id(state.generation),
            written: Some(update.written.as_slice()).filter(|w| w.len() <= MAX_LISTED),
            removed: &update.removed,
            moved: &update.moved,
        };
        broadcast(&mut state, "reload", &json(&event));
    }

    /// Records a failed build and shows its errors on every page.
    pub fn failed(&self, root: &std::path::Path, diags: &Diagnostics) {
        let errors: Vec<ErrorReport> = diags
            .0
            .iter()
            .filter(|d| d.is_error())
            .map(|d| report(root, d))
            .collect();
        let mut state = self.state();
        broadcast(
            &mut state,
            "build-error",
            &json(&Failed { errors: &errors }),
        );
        state.errors = Some(errors);
    }

    /// A comment line to every client, so connections that went away are noticed and dropped.
    pub fn ping(&self) {
        let mut state = self.state();
        state
            .clients
            .retain_mut(|w| w.write_all(b": ping\n\n").and_then(|()| w.flush()).is_ok());
    }

    /// The page to show for any page request while the site has never built, if it has not.
    pub fn error_page(&self) -> Option<String> {
        let state = self.state();
        if state.built {
            return None;
        }
        Some(format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>The site could not be built</title>\n</head>\n<body data-briefing-error>\n\
             <main>\n<h1>The site could not be built</h1>\n\
             <p>Fix the errors shown here; this page reloads by itself once the site builds.</p>\n\
             </main>\n<script src=\"{SCRIPT_PATH}\" data-build=\"{}\" defer></script>\n</body>\n</html>\n",
            self.id(state.generation)
        ))
    }
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

fn report(root: &std::path::Path, d: &Diagnostic) -> ErrorReport {
    ErrorReport {
        path: d.path.as_ref().map(|p| p.display().to_string()),
        line: d.line,
        column: d.column,
        message: d.message.clone(),
        text: crate::diagnostic::render(root, d, false),
    }
}

fn broadcast(state: &mut State, event: &str, data: &str) {
    state.clients.retain_mut(|w| send(w, event, data).is_ok());
}

fn send(w: &mut Box<dyn Write + Send>, event: &str, data: &str) -> std::io::Result<()> {
    // JSON has no raw newlines, so one `data:` line carries it.
    write!(w, "event: {event}\ndata: {data}\n\n")?;
    w.flush()
}

fn json(value: &impl Serialize) -> String {
    // OK because these structs hold only strings, numbers and lists, which always serialise.
    serde_json::to_string(value).expect("event data serialises")
}
