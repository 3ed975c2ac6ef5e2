//! JSON Schema in paved's words.
//!
//! paved checks two kinds of JSON against JSON schemas: the files people write
//! (`paved-spec`: app, platform and team files) and the objects it renders
//! (`paved-validate`: Kubernetes and CRD schemas). Both report what the
//! `jsonschema` crate finds to a person, and a person should not have to learn
//! two vocabularies for one mistake: "expected an integer, found string `x`"
//! reads the same whether it is about `app.yaml` or about a rendered
//! Deployment. This crate is that one vocabulary:
//!
//! - [`quote`]: how a value is quoted in any message (backticks, shortened,
//!   control characters escaped), so no message grows with its input;
//! - [`pointer`]: JSON pointers (RFC 6901), escaped and parsed in one place;
//! - [`messages`]: every common kind of schema error (type, required, enum,
//!   const, bounds, lengths, items, pattern, format, `anyOf`/`oneOf`, unknown
//!   fields) in words, with [`describe`] for the value found.
//!
//! What is specific to one caller stays with it: `paved-spec` adds hints,
//! "did you mean", and picks the one `anyOf` branch a value was meant for;
//! `paved-validate` points at each unknown field of a rendered object.

pub mod pointer;
mod quote;
mod words;

pub use quote::{MAX_QUOTED_CHARS, quote};
pub use words::{Message, branch_constants, describe, expected_types, literal, messages, type_word, unknown_field};
