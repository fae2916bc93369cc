//! The integration tests: one binary, one module per area.

mod build;
mod errors;
mod util;
mod vnu;
