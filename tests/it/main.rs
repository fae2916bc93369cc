//! The integration tests: one binary, one module per area.

mod activity;
mod authors;
mod bodies;
mod browser;
mod build;
mod check;
// The generator the benchmarks use too: `benches/` include it the same way.
#[path = "../corpus/mod.rs"]
mod corpus;
mod entities;
mod errors;
mod external;
mod i18n;
mod images;
mod incremental;
mod languages;
mod listings;
mod profiles;
mod publishing;
mod redirects;
mod reliability;
mod scripts;
mod search;
mod search_index;
mod serve;
mod tools;
mod util;
mod vnu;
