//! `blueprints/index.yaml`: the published versions, each with the sha256 of
//! its folder, and whether it is deprecated or yanked.
//!
//! A published version is immutable: `paved blueprint verify` (run in CI)
//! recomputes every published folder's digest and fails when one changed.
//! The digest covers every file of the folder: for each file, sorted by path,
//! its path, a newline, its length in bytes, a newline, its bytes with line
//! endings made LF, and a newline; so the same folder has the same digest on
//! every machine and checkout.

use std::collections::BTreeMap;

use semver::Version;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The contents of `index.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// Blueprint name → version → publication.
    #[serde(default)]
    pub blueprints: BTreeMap<String, BTreeMap<Version, Publication>>,
}

/// One published version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// `sha256:<hex>` of the version folder when it was published.
    pub digest: String,
    /// Why the version is deprecated and what to use instead; renders warn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// A yanked version is never chosen for a new resolution.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub yanked: bool,
}

impl Index {
    /// The file's text: a header, then every version, sorted.
    pub fn to_text(&self) -> String {
        let mut text = String::from(
            "# Published blueprint versions: the sha256 of each version's folder when it was\n# published (paved blueprint verify recomputes them; CI runs it), and whether a\n# version is deprecated or yanked. Written by `paved blueprint publish`,\n# `deprecate` and `yank`. A published folder never changes: fixes and features\n# go into a new version.\n",
        );
        paved_yaml::emit_to(&serde_json::to_value(self).unwrap_or_default(), &mut text);
        text
    }
}

/// The digest of a version folder's files (paths relative to the folder).
pub fn folder_digest(files: &[(String, Vec<u8>)]) -> String {
    let mut sorted: Vec<&(String, Vec<u8>)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut hasher = Sha256::new();
    for (path, bytes) in sorted {
        let normalised = normalise_newlines(bytes);
        hasher.update(path.as_bytes());
        hasher.update(b"\n");
        hasher.update(normalised.len().to_string().as_bytes());
        hasher.update(b"\n");
        hasher.update(&normalised);
        hasher.update(b"\n");
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// CRLF → LF, so a checkout with `core.autocrlf` hashes the same.
fn normalise_newlines(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}
