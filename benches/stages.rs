//! Benchmarks of the hot stages: parse one brief, render one brief's Markdown, render one brief
//! page through the templates, check a whole site.
//!
//! `cargo bench` runs them all. The whole-site benchmark checks a 10,000-brief corpus made by
//! the repository's own generator (`tests/corpus`, seed 1; size with `BRIEFING_BENCH_N`) in a
//! temp folder, in check mode, so the disk stays out of the figure.

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};

use briefing::load::SourceFile;
use briefing::markdown::{Input, LinkTargets, Sanitizer};

const BRIEF: &str = r#"---
title: "Kremlin says ties with Washington are in the early stages of recovery"
date: 2025-03-11
updated: 2025-03-12T10:00:00Z
topics: [us-russia, ukraine]
summary: Peskov said both presidents have shown political will, but repair will take time.
sources:
  - name: Anadolu Ajansı
    url: https://www.aa.com.tr/en
    date: 2025-03-11
people: [Dmitry Peskov, Vladimir Putin, Donald Trump]
places: [Moscow, Washington, Riyadh]
organizations: [Kremlin]
tags: [diplomacy, embassies]
status: confirmed
---
"#;

fn body() -> String {
    let mut s = String::new();
    for i in 0..6 {
        s.push_str(&format!("## Section {i}\n\nMoscow and Washington have *started* to rebuild their relationship, but the work is only in its \"initial stages\", the spokesman said. See [the talks](2025-02-18-riyadh.md) and [Iran](../../topics/iran.md).\n\n- one point with `code`\n- another point with **strong** text\n\n> A quotation of some length, attributed to someone.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"));
    }
    s
}

fn parse(c: &mut Criterion) {
    let text = format!("{BRIEF}{}", body());
    c.bench_function("parse one brief (front matter)", |b| {
        b.iter(|| {
            let file = SourceFile {
                path: PathBuf::from("content/briefs/2025-03-11-x.md"),
                text: text.clone(),
            };
            briefing::parse::parse_brief(file).expect("valid brief")
        })
    });
}

fn markdown(c: &mut Criterion) {
    let text = format!("{BRIEF}{}", body());
    let mut targets = LinkTargets::default();
    targets.content.insert(
        PathBuf::from("content/briefs/2025-02-18-riyadh.md"),
        "briefs/riyadh/index.html".into(),
    );
    targets.content.insert(
        PathBuf::from("content/topics/iran.md"),
        "topics/iran/index.html".into(),
    );
    let sanitizer = Sanitizer::default();
    let body_offset = BRIEF.len();
    c.bench_function("render one brief (markdown, links)", |b| {
        b.iter(|| {
            let input = Input {
                path: Path::new("content/briefs/2025-03-11-x.md"),
                text: &text,
                body_offset,
                targets: &targets,
                root_prefix: "../../",
                sanitizer: Some(&sanitizer),
            };
            briefing::markdown::render(&input)
        })
    });
}

/// One brief page through the templates, from the repository's own sample site.
fn brief_page(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut session = briefing::Session::new(briefing::BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    });
    session
        .build(&[], &briefing::session::NullSink)
        .expect("the sample site builds");
    let (site, templates) = session.last_site().expect("a built site");
    let renderer = briefing::render::Renderer::new(site, templates);
    let output = briefing::layout::Output::Brief(briefing::model::BriefId::new(0));
    let path = renderer.output_path(output);
    c.bench_function("render one brief page (templates)", |b| {
        b.iter(|| renderer.render(output, &path).expect("renders"))
    });
}

fn site(c: &mut Criterion) {
    let n: usize = std::env::var("BRIEFING_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("a temp folder");
    corpus::generate(dir.path(), n, 1);
    let opts = briefing::BuildOptions {
        root: dir.path().to_path_buf(),
        ..Default::default()
    };
    let mut group = c.benchmark_group("site");
    group.sample_size(10);
    group.bench_function(format!("check {n} briefs"), |b| {
        b.iter(|| briefing::check(&opts).expect("corpus builds"))
    });
    group.finish();
}

criterion_group!(benches, parse, markdown, brief_page, site);
criterion_main!(benches);
