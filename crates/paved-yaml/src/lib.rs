//! YAML with positions in, canonical YAML out.
//!
//! paved reads YAML written by people (app, platform and blueprint files) and YAML
//! written by templates, and it writes YAML that goes to production. Both directions
//! go through this crate so that there is exactly one parser and one emitter:
//!
//! - [`load_one`] / [`load_all`] build a [`Node`] tree that remembers where every
//!   value and key stood (line and column), so every error can point at its source.
//!   The loader resolves scalars by the YAML 1.2 core schema, rejects duplicate keys
//!   and foreign tags, and bounds nesting depth and alias expansion so that hostile
//!   input cannot exhaust memory.
//! - [`emit`] writes JSON-shaped data as block YAML with sorted keys and with every
//!   string that a YAML 1.1 *or* 1.2 parser could read as something else quoted.
//!   Kubernetes tooling still parses YAML 1.1 (`yes` is a boolean there), so a value
//!   must survive both.

mod emit;
mod load;
mod node;

pub use emit::{Hooks, emit, emit_documents, emit_to, emit_with};
pub use load::{Limits, LoadError, load_all, load_all_unpositioned, load_one, load_one_lenient};
pub use node::{Entry, Node, NodeKind, Pos, Segment, Span, Visit};
