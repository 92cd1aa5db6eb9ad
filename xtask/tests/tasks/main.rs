//! The xtask's commands run on the real tree and on temporary copies of it, as one test binary
//! (one link of the xtask and its validators instead of one per file).

mod check;
mod common;
mod docs_check;
mod fixtures;
mod generate;
mod man;
