//! Writes a synthetic corpus (the one the benchmarks and tests use) into a folder, so it can be
//! built, served or compared by hand:
//!
//!     cargo run --release --example gen_corpus -- --n 10000 --seed 1 --out /tmp/corpus
//!
//! The same `--n` and `--seed` give byte-identical files.

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let (mut n, mut seed, mut out) = (1000usize, 1u64, None::<PathBuf>);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value) {
            ("--n", Some(v)) if v.parse::<usize>().is_ok_and(|n| n > 0) => {
                n = v.parse().unwrap_or(n)
            }
            ("--seed", Some(v)) if v.parse::<u64>().is_ok() => seed = v.parse().unwrap_or(seed),
            ("--out", Some(v)) => out = Some(v.into()),
            _ => {
                eprintln!("usage: gen_corpus [--n BRIEFS (default 1000)] [--seed N] --out DIR");
                return ExitCode::FAILURE;
            }
        }
    }
    let Some(out) = out else {
        eprintln!("usage: gen_corpus [--n BRIEFS (default 1000)] [--seed N] --out DIR");
        return ExitCode::FAILURE;
    };
    if std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_some()) {
        eprintln!("{} is not empty", out.display());
        return ExitCode::FAILURE;
    }
    let corpus = corpus::generate(&out, n, seed);
    eprintln!(
        "{n} briefs, ~{} words each, {} topics -> {}",
        corpus.words() / n,
        corpus.topics.len(),
        out.display()
    );
    ExitCode::SUCCESS
}
