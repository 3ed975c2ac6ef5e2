//! Offline validation of the objects paved renders.
//!
//! Two independent judges, both pure functions of one rendered object:
//!
//! - [`SchemaSet::validate`]: the object against the *strict* JSON schema of its kind for
//!   the target Kubernetes version (unknown fields are errors, as `kubectl --validate=strict`
//!   would report them), or against the vendored CRD schema for Cilium, Argo CD and
//!   Prometheus-operator kinds. A typo in a blueprint template therefore fails `paved
//!   validate` instead of being silently dropped by the API server at deploy time.
//! - [`baseline`]: paved's secure defaults (non-root, read-only root filesystem with an
//!   `emptyDir` at `/tmp`, no capabilities, RuntimeDefault seccomp, requests and a memory
//!   limit, no service-account token, recommended labels). A schema cannot express these,
//!   and a platform team must be able to prove every rendered workload meets them.
//!
//! The schemas are embedded in the binary (see `schemas/README.md` for their provenance), so
//! validation does no I/O and never reaches the network: it runs the same on a laptop, in a
//! pull-request check and in an air-gapped build agent.

mod baseline;
mod message;
mod schemas;

pub use baseline::baseline;
pub use schemas::SchemaSet;

/// One problem with one rendered object.
///
/// Ordered by pointer first so a sorted list reads top to bottom like the object itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    /// JSON pointer (RFC 6901) into the object, `""` for the root. Points at the offending
    /// field itself when it exists (an unknown field, a wrong value) and at the place where a
    /// missing field belongs otherwise, so a caller can map it to a line of the rendered YAML.
    pub pointer: String,
    /// A short, human-readable description, values in backticks, no trailing period.
    pub message: String,
}

impl Violation {
    pub(crate) fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { pointer: pointer.into(), message: message.into() }
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.pointer, self.message)
        }
    }
}

/// Errors of this crate. Validation problems are [`Violation`]s, not errors: an invalid object
/// is an expected outcome, an unknown Kubernetes version is a mistake of the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// No schemas are vendored for the requested Kubernetes version.
    #[error(
        "no Kubernetes schemas vendored for version `{requested}`\n\nvendored versions: {}",
        known.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
    )]
    UnknownKubernetesVersion {
        /// The version asked for, as given.
        requested: String,
        /// The versions this build embeds, e.g. `["1.31"]`.
        known: Vec<String>,
    },
}

/// Sorts and deduplicates violations: the documented output order of this crate.
pub(crate) fn normalise(mut violations: Vec<Violation>) -> Vec<Violation> {
    violations.sort();
    violations.dedup();
    violations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_prefixes_the_pointer() {
        assert_eq!(Violation::new("", "x").to_string(), "x");
        assert_eq!(Violation::new("/spec", "x").to_string(), "/spec: x");
    }
}
