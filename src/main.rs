//! The `briefing` command line: parse arguments, call the library, print diagnostics.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand};

use briefing::BuildOptions;

/// mimalloc (its v2, which keeps less memory than v3), not the system allocator: a build makes
/// and frees millions of small strings and template values across threads, where glibc's malloc
/// spent a tenth of the time. At 10,000 briefs it builds 12–16% faster for about a third more peak
/// memory (README, "Performance").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use briefing::external::parse_duration;

/// A static site generator for news-briefing sites.
#[derive(Parser)]
#[command(name = "briefing", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ by default).
    Build {
        #[command(flatten)]
        common: Common,
        /// Output folder [default: output_dir from site.toml, or public/ under the root]
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override base_url from site.toml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Check the site: everything `build` does except writing; reports every problem.
    Check {
        #[command(flatten)]
        common: Common,
        /// How to print the problems: `text` for people, `json` for editors and CI (one
        /// document on stdout; its schema is in the README)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        external: ExternalArgs,
    },
    /// Build the site, serve it on http://127.0.0.1:1111/, and rebuild and reload open pages on
    /// every edit.
    Serve(ServeArgs),
    /// Write a starter site into DIR: settings, two topics, an example brief, an about page and
    /// a .gitignore. It builds as it stands.
    Init {
        /// The folder for the site; created if missing
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Add the site to a folder that is not empty; no file is ever overwritten or deleted
        #[arg(long)]
        force: bool,
    },
    /// Write a new brief, topic or page with its front matter filled in, and print its path.
    #[command(subcommand)]
    New(NewCommand),
    /// Print a completion script for a shell to stdout.
    Completions {
        /// The shell to complete in
        shell: clap_complete::Shell,
    },
    /// Print the man page (briefing.1) to stdout, or write it and one page per subcommand into
    /// a folder.
    Man {
        /// Write briefing.1, briefing-build.1, … into this folder instead
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// A draft brief: content/briefs/YYYY/MM/YYYY-MM-DD-<slug>.md, the slug made from the title.
    Brief {
        /// The brief's title
        title: String,
        /// A topic slug or alias from content/topics/; repeat, or separate with commas, for more
        #[arg(
            long = "topic",
            short,
            required = true,
            value_name = "SLUG",
            value_delimiter = ','
        )]
        topics: Vec<String>,
        /// Publication date: YYYY-MM-DD or RFC 3339 [default: today]
        #[arg(long)]
        date: Option<String>,
        #[arg(long, help = format!("How sure the desk is: {}", briefing::scaffold::status_names()))]
        status: Option<String>,
        /// The site folder, holding site.toml
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
    },
    /// A topic: content/topics/<SLUG>.md.
    Topic {
        /// Lower-case letters, digits and hyphens; briefs name the topic by it
        slug: String,
        /// The topic's title
        title: String,
        /// The site folder, holding site.toml
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
    },
    /// A profile of a person, place, organization or tag: content/<KIND>/<slug>.md, the slug
    /// made from the name.
    Profile {
        /// people, places, organizations or tags
        kind: ProfileKind,
        /// The name as its page shows it
        name: String,
        /// Another spelling briefs use, in any script; repeat, or separate with commas, for more
        #[arg(long = "alias", short, value_name = "NAME", value_delimiter = ',')]
        aliases: Vec<String>,
        /// The site folder, holding site.toml
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
    },
    /// A free page in the main navigation: content/pages/<SLUG>.md.
    Page {
        /// Lower-case letters, digits and hyphens; the page's URL is pages/<SLUG>/
        slug: String,
        /// The page's title
        title: String,
        /// The site folder, holding site.toml
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
    },
}

/// The folders of profiles.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ProfileKind {
    People,
    Places,
    Organizations,
    Tags,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Args)]
struct ServeArgs {
    /// The site folder, holding site.toml
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
    /// Port to listen on; 0 takes any free port [default: 1111, or the next free one]
    #[arg(long, short)]
    port: Option<u16>,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    bind: std::net::IpAddr,
    /// Include briefs marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Include briefs dated in the future (scheduled), marked as not yet published
    #[arg(long)]
    future: bool,
    /// Open the site in the default browser
    #[arg(long)]
    open: bool,
}

/// `check --external` and its settings.
#[derive(Args)]
struct ExternalArgs {
    /// Also check every http(s) link of sources and bodies over the network
    #[arg(long)]
    external: bool,
    /// Requests in flight at once (at most 2 per host)
    #[arg(
        long,
        short,
        value_name = "N",
        default_value_t = 8,
        requires = "external"
    )]
    jobs: usize,
    /// Time limit for one request, e.g. 10s or 500ms
    #[arg(
        long,
        value_name = "TIME",
        default_value = "15s",
        value_parser = parse_duration,
        requires = "external"
    )]
    timeout: Duration,
    /// Further tries after a timeout, a dropped connection, 429 or 5xx
    #[arg(long, value_name = "N", default_value_t = 2, requires = "external")]
    retries: u32,
    /// Least time between two requests to the same host
    #[arg(
        long,
        value_name = "TIME",
        default_value = "200ms",
        value_parser = parse_duration,
        requires = "external"
    )]
    host_delay: Duration,
    /// Folder of the results cache [default: briefing/external/ in the user's cache folder]
    #[arg(long, value_name = "DIR", env = "BRIEFING_CACHE_DIR")]
    cache_dir: Option<PathBuf>,
    /// How long a link that worked is not checked again, e.g. 12h or 7d
    #[arg(
        long,
        value_name = "TIME",
        default_value = "1d",
        value_parser = parse_duration,
        requires = "external"
    )]
    cache_max_age: Duration,
    /// Neither read nor write the results cache
    #[arg(long, requires = "external")]
    no_cache: bool,
}

impl ExternalArgs {
    /// The library's options, if `--external` was given.
    fn options(&self) -> Option<briefing::external::Options> {
        use briefing::external::{CacheLocation, Options};
        let cache = match (&self.cache_dir, self.no_cache) {
            (_, true) => CacheLocation::Off,
            (Some(dir), false) => CacheLocation::Dir(dir.clone()),
            (None, false) => CacheLocation::User,
        };
        self.external.then(|| Options {
            jobs: self.jobs.max(1),
            timeout: self.timeout,
            retries: self.retries,
            host_delay: self.host_delay,
            cache,
            max_age: self.cache_max_age,
            ..Options::default()
        })
    }
}

#[derive(Args)]
struct Common {
    /// The site folder, holding site.toml
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
    /// Include briefs marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Include briefs dated in the future (scheduled), marked as not yet published
    #[arg(long)]
    future: bool,
    /// The time that decides which briefs are out, as RFC 3339 (2025-03-15T09:00:00Z)
    /// [default: now]
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    now: Option<jiff::Timestamp>,
    /// Print only errors
    #[arg(long, short)]
    quiet: bool,
    /// Print how long each stage took
    #[arg(long)]
    timings: bool,
}

fn main() -> ExitCode {
    // mimalloc advises transparent huge pages for its arenas. Memory freed and used again then
    // comes back as whole 2 MB pages zeroed anew: at 10,000 briefs the search index spent
    // several seconds of system time on it, and the build without it gains a little too.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut external = None;
    let (common, opts, building) = match cli.command {
        Command::Serve(args) => return serve(args, color),
        Command::Init { dir, force } => return init(dir, force, color),
        Command::New(what) => return new(what, color),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "briefing",
                &mut std::io::stdout(),
            );
            return ExitCode::SUCCESS;
        }
        Command::Man { output } => return man(output, color),
        Command::Build {
            common,
            output,
            base_url,
        } => {
            let opts = BuildOptions {
                root: common.root.clone(),
                output,
                drafts: common.drafts,
                future: common.future,
                now: common.now,
                base_url,
                ..Default::default()
            };
            (common, opts, true)
        }
        Command::Check {
            common,
            format,
            external: args,
        } => {
            external = args.options();
            let opts = BuildOptions {
                root: common.root.clone(),
                drafts: common.drafts,
                future: common.future,
                now: common.now,
                ..Default::default()
            };
            if format == Format::Json {
                return check_json(&opts, external.as_ref());
            }
            (common, opts, false)
        }
    };
    let mut summary = None;
    let result = match (&external, building) {
        (_, true) => briefing::build(&opts),
        (Some(ext), false) => briefing::check_external(&opts, ext).map(|(report, s)| {
            summary = Some(s);
            report
        }),
        (None, false) => briefing::check(&opts),
    };
    match result {
        Ok(report) => {
            if !common.quiet {
                for w in &report.warnings {
                    eprintln!("{}", briefing::diagnostic::render(&opts.root, w, color));
                }
                let verb = if building { "Built" } else { "Checked" };
                let ms = report.elapsed.as_millis();
                let mut line = format!(
                    "{verb} {} brief{}, {} topic{}, {} page{} in {ms} ms",
                    report.briefs,
                    plural(report.briefs),
                    report.topics,
                    plural(report.topics),
                    report.pages,
                    plural(report.pages)
                );
                if let Some(out) = &report.output {
                    line.push_str(&format!(" → {}", out.display()));
                }
                if !report.warnings.is_empty() {
                    line.push_str(&format!(
                        " ({} warning{})",
                        report.warnings.len(),
                        plural(report.warnings.len())
                    ));
                }
                if let Some(note) = scheduled_note(&report.scheduled) {
                    line.push_str(&format!(" ({note})"));
                }
                if !building {
                    // `check` lists what is waiting for its time.
                    for (path, at) in &report.scheduled {
                        eprintln!(
                            "scheduled for {}: {}",
                            at.strftime("%Y-%m-%d %H:%M UTC"),
                            briefing::diagnostic::display_path(&opts.root, path).display()
                        );
                    }
                }
                eprintln!("{line}");
                if let Some(s) = &summary {
                    eprintln!("{}", external_line(s));
                }
            }
            if common.timings {
                for (stage, time) in &report.timings {
                    eprintln!("{:>8.1} ms  {stage}", time.as_secs_f64() * 1000.0);
                }
                eprintln!("rendering by template (time summed over threads):");
                for k in &report.outputs {
                    eprintln!(
                        "{:>8.1} ms  {:<14} {:>7} file{} {:>9.1} MB",
                        k.render.as_secs_f64() * 1000.0,
                        k.name,
                        k.files,
                        if k.files == 1 { " " } else { "s" },
                        k.bytes as f64 / 1e6
                    );
                }
                let i = &report.images;
                if i.images > 0 {
                    eprintln!(
                        "{:>8.1} ms  lead images: {} image{}, {} file{} encoded, {} from the cache",
                        i.time.as_secs_f64() * 1000.0,
                        i.images,
                        plural(i.images),
                        i.encoded,
                        plural(i.encoded),
                        i.cached
                    );
                }
                let c = &report.social_cards;
                if c.images > 0 {
                    eprintln!(
                        "{:>8.1} ms  social cards: {} drawn, {} from the cache (time summed over threads)",
                        c.time.as_secs_f64() * 1000.0,
                        c.encoded,
                        c.cached
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            let errors = diags.0.iter().filter(|d| d.is_error()).count();
            for d in &diags.0 {
                if d.is_error() || !common.quiet {
                    eprintln!("{}", briefing::diagnostic::render(&opts.root, d, color));
                }
            }
            let what = if building { "build" } else { "check" };
            eprintln!(
                "{what} failed: {errors} error{}{}",
                plural(errors),
                if building {
                    "; the previous output was left untouched"
                } else {
                    ""
                }
            );
            ExitCode::FAILURE
        }
    }
}

/// `check --format json`: one JSON document on stdout, whatever the outcome.
fn check_json(opts: &BuildOptions, external: Option<&briefing::external::Options>) -> ExitCode {
    use briefing::diagnostic::JsonReport;
    let result = match external {
        Some(ext) => briefing::check_external(opts, ext).map(|(report, _)| report),
        None => briefing::check(opts),
    };
    let (diagnostics, counts, scheduled) = match result {
        Ok(r) => (r.warnings, Some((r.briefs, r.topics, r.pages)), r.scheduled),
        Err(d) => (d.0, None, Vec::new()),
    };
    let report = JsonReport::new(&diagnostics, counts, &scheduled);
    println!("{}", report.to_string_pretty());
    if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs `serve` until Ctrl-C, printing what it reports.
fn serve(args: ServeArgs, color: bool) -> ExitCode {
    use briefing::serve::{Message, ServeError, ServeOptions};
    let root = args.root.clone();
    let shown_root = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
    let opts = ServeOptions {
        build: BuildOptions {
            root: root.clone(),
            drafts: args.drafts,
            future: args.future,
            ..Default::default()
        },
        bind: args.bind,
        port: args.port,
    };
    let result = briefing::serve::serve(opts, |message| match message {
        Message::Built {
            update,
            first,
            elapsed,
        } => {
            for w in &update.report.warnings {
                eprintln!("{}", briefing::diagnostic::render(&root, w, color));
            }
            let ms = elapsed.as_millis();
            if first {
                let r = &update.report;
                eprintln!(
                    "Built {} brief{}, {} topic{}, {} page{} in {ms} ms",
                    r.briefs,
                    plural(r.briefs),
                    r.topics,
                    plural(r.topics),
                    r.pages,
                    plural(r.pages)
                );
                return;
            }
            let pages = update
                .written
                .iter()
                .filter(|p| p.ends_with(".html"))
                .count();
            let mut line = format!("Rebuilt: {pages} page{} in {ms} ms", plural(pages));
            if !update.removed.is_empty() {
                line.push_str(&format!(", {} removed", update.removed.len()));
            }
            for (from, to) in &update.moved {
                line.push_str(&format!(", {from} moved to {to}"));
            }
            eprintln!("{line}");
        }
        Message::Failed { diagnostics, first } => {
            for d in &diagnostics.0 {
                eprintln!("{}", briefing::diagnostic::render(&root, d, color));
            }
            let errors = diagnostics.0.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "{} failed: {errors} error{}; {}",
                if first { "Build" } else { "Rebuild" },
                plural(errors),
                if first {
                    "pages show the errors until they are fixed"
                } else {
                    "still serving the last good version"
                }
            );
        }
        Message::PortBusy { wanted, using } => {
            eprintln!("Port {wanted} is busy; using port {using} instead");
        }
        Message::Listening { url } => {
            eprintln!("Serving {} at {url} (Ctrl-C to stop)", shown_root.display());
            if let Some(Err(e)) = args.open.then(|| opener::open(&url)) {
                eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
            }
        }
        Message::WatchError(e) => {
            eprintln!("warning: watching for changes: {e}");
        }
    });
    let Err(e) = result else {
        return ExitCode::SUCCESS;
    };
    match e {
        ServeError::PortInUse { .. } => {
            eprintln!("error: {e}; choose another with --port N (or --port 0 for any free port)");
        }
        ServeError::NoFreePort { .. } => {
            eprintln!("error: {e}; choose one with --port N (or --port 0 for any free port)");
        }
        e => eprintln!("error: {e}"),
    }
    ExitCode::FAILURE
}

/// `Checked 12 external links (9 URLs, 4 from the cache) in 812 ms`, and what was wrong.
fn external_line(s: &briefing::external::Summary) -> String {
    let mut line = format!(
        "Checked {} external link{} ({} URL{}, {} from the cache) in {} ms",
        s.links,
        plural(s.links),
        s.urls,
        plural(s.urls),
        s.cached,
        s.elapsed.as_millis()
    );
    if s.unchecked > 0 {
        line.push_str(&format!(
            "; {} URL{} could not be checked",
            s.unchecked,
            plural(s.unchecked)
        ));
    }
    line
}

/// `--now`: an RFC 3339 instant (`2025-03-15T09:00:00Z`), or a bare date meaning midnight UTC.
fn parse_now(s: &str) -> Result<jiff::Timestamp, String> {
    briefing::parse::BriefDate::parse(s).map(|d| d.timestamp)
}

/// The summary's note on scheduled briefs: `2 scheduled, next at 2025-03-15 09:00 UTC`.
fn scheduled_note(scheduled: &[(PathBuf, jiff::Timestamp)]) -> Option<String> {
    let (_, next) = scheduled.first()?;
    Some(format!(
        "{} scheduled, next at {}",
        scheduled.len(),
        next.strftime("%Y-%m-%d %H:%M UTC")
    ))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Writes a starter site and says what to run next.
fn init(dir: PathBuf, force: bool, color: bool) -> ExitCode {
    let opts = briefing::scaffold::InitOptions {
        dir: dir.clone(),
        force,
        today: jiff::ZonedDateTime::now().date(),
    };
    let report = match briefing::scaffold::init(&opts) {
        Ok(report) => report,
        Err(d) => return fail(&dir, &[d], color),
    };
    let here = dir == std::path::Path::new(".") || dir.as_os_str().is_empty();
    let place = if here {
        "this folder".to_string()
    } else {
        dir.display().to_string()
    };
    println!("Created a briefing site in {place}:");
    for f in &report.created {
        println!("  {}", f.display());
    }
    for f in &report.appended {
        println!("  {} (added the output folder)", f.display());
    }
    println!("\nNext:");
    if !here {
        println!("  cd {}", dir.display());
    }
    println!("  briefing new brief \"Your headline\" --topic energy   write a brief");
    println!("  briefing serve     preview at http://127.0.0.1:1111/, rebuilt on every save");
    println!("  briefing build     write the site into public/");
    ExitCode::SUCCESS
}

/// Writes a new brief, topic, page or profile and prints its path (alone on stdout, for scripts).
fn new(what: NewCommand, color: bool) -> ExitCode {
    use briefing::scaffold;
    let (root, result) = match what {
        NewCommand::Brief {
            title,
            topics,
            date,
            status,
            root,
        } => {
            let opts = scaffold::NewBrief {
                root: root.clone(),
                title,
                topics,
                date,
                status,
                today: jiff::ZonedDateTime::now().date(),
            };
            (root, scaffold::new_brief(&opts))
        }
        NewCommand::Topic { slug, title, root } => {
            let result = scaffold::new_topic(&root, &slug, &title);
            (root, result)
        }
        NewCommand::Page { slug, title, root } => {
            let result = scaffold::new_page(&root, &slug, &title);
            (root, result)
        }
        NewCommand::Profile {
            kind,
            name,
            aliases,
            root,
        } => {
            use briefing::model::EntityKind;
            let kind = match kind {
                ProfileKind::People => EntityKind::People,
                ProfileKind::Places => EntityKind::Places,
                ProfileKind::Organizations => EntityKind::Organizations,
                ProfileKind::Tags => EntityKind::Tags,
            };
            let result = scaffold::new_profile(&root, kind, &name, &aliases);
            (root, result)
        }
    };
    match result {
        Ok(rel) if root == std::path::Path::new(".") => println!("{}", rel.display()),
        Ok(rel) => println!("{}", root.join(rel).display()),
        Err(diags) => return fail(&root, &diags.0, color),
    }
    ExitCode::SUCCESS
}

/// Prints the man page, or writes every page into a folder and lists them.
fn man(output: Option<PathBuf>, color: bool) -> ExitCode {
    use std::io::Write;
    let Some(dir) = output else {
        let page = briefing::manual::page(Cli::command());
        return match std::io::stdout().write_all(&page) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write the man page: {e}");
                ExitCode::FAILURE
            }
        };
    };
    match briefing::manual::write_pages(Cli::command(), &dir) {
        Ok(files) => {
            for f in files {
                println!("{}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(d) => fail(&dir, &[d], color),
    }
}

/// Prints diagnostics (every error, and warnings beside them) and fails.
fn fail(root: &std::path::Path, diags: &[briefing::Diagnostic], color: bool) -> ExitCode {
    for d in diags {
        eprintln!("{}", briefing::diagnostic::render(root, d, color));
    }
    ExitCode::FAILURE
}
