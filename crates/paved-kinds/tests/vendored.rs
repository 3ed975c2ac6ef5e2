//! The table and the vendored schemas agree: every row's schema is vendored and is the
//! schema of that apiVersion and kind, every vendored schema has a row, and the files
//! `scripts/vendor-schemas.sh` fetches and `schemas/README.md` lists are the table's.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use paved_kinds::{KINDS, Schema};
use serde_json::Value;

/// Shared `$defs` of one Kubernetes version, which every kind file refers to; not a kind.
const DEFINITIONS_FILE: &str = "_definitions.json";

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json(path: &Path) -> Value {
    let text = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `*.json` file names in `dir`.
fn json_files(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect()
}

/// `schemas/kubernetes/v<major>.<minor>/`, one per vendored Kubernetes version.
fn kubernetes_versions() -> Vec<PathBuf> {
    let root = repository().join("schemas/kubernetes");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no Kubernetes version is vendored");
    dirs
}

fn kubernetes_files() -> BTreeSet<String> {
    KINDS
        .iter()
        .filter_map(|k| match k.schema {
            Schema::Kubernetes(file) => Some(file.to_owned()),
            Schema::Crd(_) => None,
        })
        .collect()
}

fn crd_files() -> BTreeSet<String> {
    KINDS
        .iter()
        .filter_map(|k| match k.schema {
            Schema::Crd(file) => Some(file.to_owned()),
            Schema::Kubernetes(_) => None,
        })
        .collect()
}

/// Each Kubernetes row's file, in every vendored version, says it is the schema of the
/// row's apiVersion and kind; and every file there but the definitions has a row.
#[test]
fn kubernetes_rows_match_their_schemas() {
    for dir in kubernetes_versions() {
        for k in KINDS {
            let Schema::Kubernetes(file) = k.schema else { continue };
            let schema = json(&dir.join(file));
            let gvk = &schema["x-kubernetes-group-version-kind"];
            assert_eq!(gvk.as_array().map(Vec::len), Some(1), "{file}: {gvk}");
            let (group, version) = (gvk[0]["group"].as_str(), gvk[0]["version"].as_str());
            let api_version = match (group, version) {
                (Some(""), Some(version)) => version.to_owned(),
                (Some(group), Some(version)) => format!("{group}/{version}"),
                _ => panic!("{file}: {gvk}"),
            };
            assert_eq!((api_version.as_str(), gvk[0]["kind"].as_str()), (k.api_version, Some(k.kind)), "{file}");
        }
        let mut vendored = json_files(&dir);
        assert!(vendored.remove(DEFINITIONS_FILE), "{}: no {DEFINITIONS_FILE}", dir.display());
        assert_eq!(vendored, kubernetes_files(), "{}: vendored files against table rows", dir.display());
    }
}

/// A CRD file says what it is by its name (datree's `<group>_<kind>_<version>.json`) and
/// by its description, which names the kind; every file in `schemas/crds/` has a row.
#[test]
fn crd_rows_match_their_schemas() {
    let dir = repository().join("schemas/crds");
    for k in KINDS {
        let Schema::Crd(file) = k.schema else { continue };
        let (group, version) = k.api_version.split_once('/').expect("a CRD's apiVersion has a group");
        assert_eq!(file, format!("{group}_{}_{version}.json", k.kind.to_lowercase()), "{}", k.kind);
        let schema = json(&dir.join(file));
        let description = schema["description"].as_str().unwrap_or_default();
        assert!(description.contains(k.kind), "{file}: the description does not name `{}`", k.kind);
        for field in ["apiVersion", "kind", "metadata", "spec"] {
            assert!(schema["properties"].get(field).is_some(), "{file}: no `{field}` property");
        }
    }
    assert_eq!(json_files(&dir), crd_files(), "schemas/crds/ against table rows");
}

/// `scripts/vendor-schemas.sh` fetches exactly the table's Kubernetes files (and the
/// definitions), so re-vendoring neither drops a kind nor adds one without a row.
#[test]
fn vendor_script_fetches_the_table_files() {
    let path = repository().join("scripts/vendor-schemas.sh");
    let script = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let list: Vec<&str> = script
        .lines()
        .skip_while(|line| line.trim() != "KINDS=(")
        .skip(1)
        .take_while(|line| line.trim() != ")")
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect();
    let mut listed: BTreeSet<String> = list.iter().map(|f| (*f).to_owned()).collect();
    assert_eq!(listed.len(), list.len(), "a file is listed twice: {list:?}");
    assert!(listed.remove(DEFINITIONS_FILE), "the script does not fetch {DEFINITIONS_FILE}");
    assert_eq!(listed, kubernetes_files());
}

/// `schemas/README.md` names every vendored file, so its provenance is documented.
#[test]
fn schemas_readme_names_every_file() {
    let path = repository().join("schemas/README.md");
    let readme = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for k in KINDS {
        let file = k.schema.file();
        assert!(readme.contains(&format!("| `{file}` | {}", k.kind)), "schemas/README.md does not list `{file}`");
    }
}
