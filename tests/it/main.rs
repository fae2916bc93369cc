//! The integration tests: one binary, one module per area.

mod browser;
mod build;
mod errors;
mod reliability;
mod serve;
mod util;
mod vnu;
