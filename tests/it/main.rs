//! The integration tests: one binary, one module per area.

mod browser;
mod build;
// The generator the benchmarks use too: `benches/` include it the same way.
#[path = "../corpus/mod.rs"]
mod corpus;
mod errors;
mod incremental;
mod reliability;
mod serve;
mod tools;
mod util;
mod vnu;
