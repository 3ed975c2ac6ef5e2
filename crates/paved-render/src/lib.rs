#![warn(missing_docs)]

//! The render core: `render(app, blueprint, platform) -> objects`, pure.
//!
//! Nothing here reads files, looks at clocks or draws random numbers, so a
//! render is a function of its inputs: trivially testable, safe to run in
//! parallel, and byte-identical run to run. The CLI does the I/O at the edges.
//!
//! A render goes: the effective app settings for one environment (already
//! merged and validated by `paved-spec`) → a [`context::Context`] → each
//! blueprint template (minijinja, strict undefined, every value JSON-escaped)
//! → YAML text → [`paved_yaml`] parse → `normalise` (drop nulls, check
//! identity, sort) → [`Object`]s. Output bytes come only from
//! [`paved_yaml::emit`], via [`output`].

pub mod argocd;
pub mod backstage;
pub mod chart;
pub mod context;
pub mod diff;
mod engine;
pub mod graph;
pub mod images;
mod jinja;
pub mod landing;
mod netpol;
mod normalise;
pub mod output;
pub mod pipeline;
pub mod report;

pub use context::ImageOverride;
pub use engine::{Charts, Engine, Input, RenderError, Rendered};
pub use netpol::Directory;
pub use normalise::{OUTPUT_LIMITS, Object};
