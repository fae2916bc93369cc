//! Man pages made from the command-line definition, so they never drift from `--help`.
//!
//! Takes the CLI's [`clap::Command`] (defined in `main.rs`) and hands back roff text
//! ([`page`]) or writes `briefing.1` and one page per subcommand, `briefing-build.1`,
//! `briefing-new-brief.1` and so on ([`write_pages`]). Shell completions come from the same
//! definition, through `clap_complete` in `main.rs`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// The man page of `cmd` alone (`briefing.1` for the whole CLI), as roff.
pub fn page(cmd: clap::Command) -> Vec<u8> {
    // The same page `write_pages` writes: `help` is no command of its own there either.
    page_of(&clap_mangen::Man::new(cmd.disable_help_subcommand(true)))
}

/// Writes the page of `cmd` and of every subcommand, however nested, into `dir` (created if
/// missing); returns the files written, in order.
pub fn write_pages(cmd: clap::Command, dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    fs::create_dir_all(dir).map_err(|e| io_error(dir, "cannot create the folder", e))?;
    // Building names each subcommand after its parents (`briefing-new-brief`), which
    // clap_mangen uses for the page's title and file name; `help` is not a page of its own.
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    // Every page names the program, not its subcommand, as its source ("briefing 0.1.0").
    let source = format!(
        "{} {}",
        cmd.get_name(),
        cmd.get_version().unwrap_or_default()
    );
    let mut written = Vec::new();
    write_tree(cmd, &source, dir, &mut written)?;
    Ok(written)
}

fn write_tree(
    cmd: clap::Command,
    source: &str,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> Result<(), Diagnostic> {
    let subcommands: Vec<clap::Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    let man = clap_mangen::Man::new(cmd).source(source);
    let path = dir.join(man.get_filename());
    fs::write(&path, page_of(&man)).map_err(|e| io_error(&path, "cannot write", e))?;
    written.push(path);
    for sub in subcommands {
        write_tree(sub, source, dir, written)?;
    }
    Ok(())
}

fn page_of(man: &clap_mangen::Man) -> Vec<u8> {
    let mut out = Vec::new();
    // OK because writing into a Vec cannot fail.
    man.render(&mut out).expect("rendering into memory");
    out
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::global(format!("{what} {}: {e}", path.display()))
        .with_help("check the folder's path and permissions")
}
