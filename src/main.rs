//! The `briefing` command line: parse arguments, call the library, print diagnostics.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use briefing::BuildOptions;

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
    },
}

#[derive(Args)]
struct Common {
    /// The site folder, holding site.toml
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
    /// Include briefs marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Print only errors
    #[arg(long, short)]
    quiet: bool,
    /// Print how long each stage took
    #[arg(long)]
    timings: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (common, opts, building) = match cli.command {
        Command::Build {
            common,
            output,
            base_url,
        } => {
            let opts = BuildOptions {
                root: common.root.clone(),
                output,
                drafts: common.drafts,
                base_url,
            };
            (common, opts, true)
        }
        Command::Check { common } => {
            let opts = BuildOptions {
                root: common.root.clone(),
                drafts: common.drafts,
                ..Default::default()
            };
            (common, opts, false)
        }
    };
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let result = if building {
        briefing::build(&opts)
    } else {
        briefing::check(&opts)
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
                eprintln!("{line}");
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
