//! `briefing serve`: the site built into a temporary folder, served over HTTP, rebuilt on every
//! edit, with open pages reloaded.
//!
//! One [`Session`] lives as long as the server. The first build writes the whole site into a
//! folder under the system's temp dir through a [`DirSink`] (the user's `public/` is never
//! touched); each batch of changed paths from [`watch`] rebuilds into the same folder, and
//! [`live`] tells open pages what changed. A failed build leaves the last good pages served and
//! shows its errors over them; the next good build clears them.
//!
//! The parts: [`http`] answers requests from the folder, [`live`] holds the event streams and
//! the injected script, and [`watch`] turns file-system events into batches. The session says
//! which pages it wrote, removed and moved, so open pages know whether to reload, follow their
//! brief to its new address, or go to the front page. Nothing here prints: what happens is
//! handed to the caller as [`Message`]s.

pub mod http;
pub mod live;
pub mod watch;

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostics;
use crate::write::DirSink;
use crate::{BuildOptions, Session, Update};

/// The port `serve` tries first when none is given.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after the default one are tried when it is busy.
const PORT_TRIES: u16 = 20;
/// Threads answering requests; event streams do not hold one.
const WORKERS: usize = 4;
/// How often idle event streams are checked for clients that left.
const PING: Duration = Duration::from_secs(15);

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The build; its `output` is ignored (the site is served from a temporary folder).
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// `None`: [`DEFAULT_PORT`], or the next free one. `Some(0)`: any free port.
    pub port: Option<u16>,
}

/// What the server tells its caller, which decides how to show it.
#[derive(Debug)]
pub enum Message {
    /// A build succeeded (the first, or a rebuild after `changed`).
    Built {
        update: Box<Update>,
        first: bool,
        elapsed: Duration,
    },
    /// A build failed; the last good pages stay served.
    Failed {
        diagnostics: Diagnostics,
        first: bool,
    },
    /// The default port was busy, so another was taken.
    PortBusy { wanted: u16, using: u16 },
    /// The server answers at `url`.
    Listening { url: String },
    /// Watching reported a problem; serving goes on.
    WatchError(String),
}

/// Why `serve` could not start (once it serves, nothing stops it).
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("port {port} is already in use on {bind}")]
    PortInUse { bind: IpAddr, port: u16 },
    #[error("ports {first} to {last} are all in use on {bind}")]
    NoFreePort { bind: IpAddr, first: u16, last: u16 },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot create the folder to serve from: {0}")]
    Folder(String),
    #[error("{0}")]
    Watch(String),
}

/// Builds, serves and rebuilds the site until the process ends; returns only if it cannot start.
pub fn serve(opts: ServeOptions, mut on_message: impl FnMut(Message)) -> Result<(), ServeError> {
    let root = opts.build.root.clone();
    let listener = bind(&opts, &mut on_message)?;
    let addr = listener.local_addr().map_err(|source| ServeError::Listen {
        addr: SocketAddr::new(opts.bind, opts.port.unwrap_or(DEFAULT_PORT)),
        source,
    })?;
    let folder = served_folder()?;
    let dir =
        std::fs::canonicalize(folder.path()).map_err(|e| ServeError::Folder(e.to_string()))?;
    let sink = DirSink::new(&dir).map_err(|d| ServeError::Folder(d.message))?;
    let (mut watch, batches) = watch::Watch::start(&root).map_err(ServeError::Watch)?;

    let live = Arc::new(live::Live::new());
    let mut rebuilder = Rebuilder {
        session: Session::new(opts.build.clone()),
        sink,
        live: Arc::clone(&live),
        root: root.clone(),
        first: true,
    };
    rebuilder.run(&[], &mut on_message);

    let server =
        tiny_http::Server::from_listener(listener, None).map_err(|e| ServeError::Listen {
            addr,
            source: std::io::Error::other(e.to_string()),
        })?;
    start_workers(Arc::new(server), dir, &live);
    on_message(Message::Listening {
        url: format!("http://{}/", url_host(addr)),
    });

    let canonical_root = std::fs::canonicalize(&root).unwrap_or(root);
    loop {
        let mut changed = match batches.recv_timeout(PING) {
            Ok(Ok(paths)) => paths,
            Ok(Err(e)) => {
                on_message(Message::WatchError(e));
                continue;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                live.ping();
                continue;
            }
            // The watcher is gone: keep serving what was built.
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                on_message(Message::WatchError("file watching stopped".into()));
                loop {
                    std::thread::sleep(PING);
                    live.ping();
                }
            }
        };
        // Batches that piled up during a rebuild go into the next one together.
        while let Ok(more) = batches.try_recv() {
            match more {
                Ok(paths) => changed.extend(paths),
                Err(e) => on_message(Message::WatchError(e)),
            }
        }
        changed.extend(watch.rewatch(&changed));
        let relative: Vec<PathBuf> = changed
            .iter()
            .map(|p| p.strip_prefix(&canonical_root).unwrap_or(p).to_path_buf())
            .collect();
        rebuilder.run(&relative, &mut on_message);
    }
}

/// The session and what it writes into, between rebuilds.
struct Rebuilder {
    session: Session,
    sink: DirSink,
    live: Arc<live::Live>,
    root: PathBuf,
    first: bool,
}

impl Rebuilder {
    fn run(&mut self, changed: &[PathBuf], on_message: &mut impl FnMut(Message)) {
        let start = Instant::now();
        let first = std::mem::take(&mut self.first);
        match self.session.build(changed, &self.sink) {
            Ok(update) => {
                let elapsed = start.elapsed();
                self.live.built(&update);
                on_message(Message::Built {
                    update: Box::new(update),
                    first,
                    elapsed,
                });
            }
            Err(diagnostics) => {
                self.live.failed(&self.root, &diagnostics);
                on_message(Message::Failed { diagnostics, first });
            }
        }
    }
}

/// Takes the port asked for, or the default one or the next free after it.
fn bind(
    opts: &ServeOptions,
    on_message: &mut impl FnMut(Message),
) -> Result<TcpListener, ServeError> {
    let listen = |port: u16| TcpListener::bind(SocketAddr::new(opts.bind, port));
    let failed = |port: u16, source: std::io::Error| ServeError::Listen {
        addr: SocketAddr::new(opts.bind, port),
        source,
    };
    if let Some(port) = opts.port {
        return listen(port).map_err(|e| match e.kind() {
            ErrorKind::AddrInUse => ServeError::PortInUse {
                bind: opts.bind,
                port,
            },
            _ => failed(port, e),
        });
    }
    for port in DEFAULT_PORT..=DEFAULT_PORT + PORT_TRIES {
        match listen(port) {
            Ok(l) => {
                if port != DEFAULT_PORT {
                    on_message(Message::PortBusy {
                        wanted: DEFAULT_PORT,
                        using: port,
                    });
                }
                return Ok(l);
            }
            Err(e) if e.kind() == ErrorKind::AddrInUse => continue,
            Err(e) => return Err(failed(port, e)),
        }
    }
    Err(ServeError::NoFreePort {
        bind: opts.bind,
        first: DEFAULT_PORT,
        last: DEFAULT_PORT + PORT_TRIES,
    })
}

/// `127.0.0.1:1111`, or `[::1]:1111` for IPv6.
fn url_host(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => a.to_string(),
        SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
    }
}

/// A fresh folder under the temp dir named for this process, removed when `serve` returns.
/// Ctrl-C ends the process without running destructors, so folders of processes that no
/// longer run are removed here first.
fn served_folder() -> Result<tempfile::TempDir, ServeError> {
    let tmp = std::env::temp_dir();
    remove_abandoned(&tmp);
    tempfile::Builder::new()
        .prefix(&format!("{PREFIX}{}-", std::process::id()))
        .tempdir_in(&tmp)
        .map_err(|e| ServeError::Folder(format!("{}: {e}", tmp.display())))
}

const PREFIX: &str = "briefing-serve-";

/// Removes `briefing-serve-<pid>-*` folders whose process is gone (where `/proc` can tell).
fn remove_abandoned(tmp: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = Path::new(&format!("/proc/{pid}")).exists();
        if !alive && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = crate::write::remove_tree(&entry.path());
        }
    }
}

/// Threads taking requests off the server; each request is answered on the thread that took it.
fn start_workers(server: Arc<tiny_http::Server>, dir: PathBuf, live: &Arc<live::Live>) {
    let dir = Arc::new(dir);
    for i in 0..WORKERS {
        let (server, dir, live) = (Arc::clone(&server), Arc::clone(&dir), Arc::clone(live));
        // A worker that cannot start leaves the others; with none, requests wait, visibly.
        let _ = std::thread::Builder::new()
            .name(format!("serve-{i}"))
            .spawn(move || {
                while let Ok(request) = server.recv() {
                    // A bug answering one request must not take a worker down with it.
                    let answer =
                        std::panic::AssertUnwindSafe(|| http::handle(request, &dir, &live));
                    let _ = std::panic::catch_unwind(answer);
                }
            });
    }
}
