//! The bounds paved sets on what people write, in one place.
//!
//! paved runs in pull-request checks on files anyone in the company can edit,
//! so every input is bounded and each bound, when reached, is a clear message
//! (`docs/limits.md` lists them all, with what the user sees). The checks that
//! enforce these live beside the code they protect; the numbers live here, so
//! the schema layer, the rules and the edge read the same values and no module
//! imports another only for a constant.

/// The largest input file (app or platform) paved reads, in bytes; a larger
/// one is refused before it is parsed.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The most app files one run takes.
pub const MAX_APPS: usize = 20_000;

/// The longest string (value or key) an app or platform file may hold, in
/// bytes. Longer ones are reported alone, before any other check runs on them.
pub const MAX_STRING_BYTES: usize = 64 * 1024;

/// The most problems reported for one file; past it, a last problem says
/// that more are not shown.
pub const MAX_PROBLEMS_PER_FILE: usize = 100;

/// The prefix of the landing zone's object names; app names may not use it.
pub const RESERVED_PREFIX: &str = "paved-";

/// The most bytes an app's pod annotations may hold, keys and values together:
/// the API server's own bound on an object's annotations (256 KiB).
pub const MAX_ANNOTATION_BYTES: usize = 256 * 1024;

/// The most bytes the `content` of an app's files may hold together, counted
/// as JSON strings (escapes included). They become one ConfigMap; the API
/// server takes 1 MiB, but Argo CD applies client-side by default, which copies
/// the whole object as JSON into its `last-applied-configuration` annotation,
/// and an object's annotations hold at most 256 KiB. 200 KiB leaves the rest
/// for the keys, labels and metadata.
pub const MAX_FILES_BYTES: usize = 200 * 1024;
