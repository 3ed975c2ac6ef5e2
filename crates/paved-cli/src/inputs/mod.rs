//! Reading inputs at the edge: finding and reading files (`discover`), what
//! every command loads first (`setup`), and the lock file (`lock`).

mod discover;
mod lock;
mod setup;

pub use discover::{discover, pipeline_beside, read_all};
pub use setup::{Setup, Versions, load_teams};
