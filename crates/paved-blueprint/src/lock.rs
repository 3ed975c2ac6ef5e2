//! `paved.lock`: the exact blueprint version (and its digest) each app renders
//! with, as Cargo.lock does for crates.
//!
//! A pin like `api@1` says which versions are acceptable; the lock says which
//! one is used. Rendering uses the lock; a new app's entry is resolved and
//! written; `--locked` fails instead of writing; and moving to a newer version
//! is an explicit, reviewable change of this file. A locked digest that no
//! longer matches the catalog is an error: the version changed under the lock.

use std::collections::BTreeMap;

use paved_yaml::Limits;
use serde::{Deserialize, Serialize};

/// The contents of `paved.lock`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// `team/app` → the locked blueprint version.
    #[serde(default)]
    pub apps: BTreeMap<String, LockEntry>,
}

/// One app's locked blueprint version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockEntry {
    /// The exact version, `api@1.0.0`.
    pub blueprint: String,
    /// The version folder's digest when it was locked.
    pub digest: String,
}

impl Lock {
    /// Parse a lock file's text.
    pub fn parse(text: &str) -> Result<Lock, String> {
        if text.trim().is_empty() {
            return Ok(Lock::default());
        }
        let node = paved_yaml::load_one(text, Limits::default())
            .map_err(|e| format!("{}:{}: {}", e.span.start.line, e.span.start.column, e.message))?;
        serde_json::from_value(node.to_json()).map_err(|e| e.to_string())
    }

    /// The file's text: a header, then the entries, sorted.
    pub fn to_text(&self) -> String {
        let mut text = String::from(
            "# paved.lock: the exact blueprint version each app renders with. Written by paved;\n# commit it. An app moves to another version only when this file changes.\n",
        );
        let value = serde_json::to_value(self).unwrap_or_default();
        paved_yaml::emit_to(&value, &mut text);
        text
    }
}
