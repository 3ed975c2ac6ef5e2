//! Loading the catalog and resolving `NAME@MAJOR[.MINOR[.PATCH]]`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use paved_spec::BlueprintRules;
use paved_spec::app::APP_FIELDS;
use paved_spec::syntax::{BlueprintRef, Problem};
use paved_yaml::Limits;
use semver::Version;

use crate::meta::BlueprintMeta;

/// A catalog file: its path relative to the catalog root (or version folder), and its bytes.
type CatalogFile = (String, Vec<u8>);

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../blueprints");

/// Why a catalog could not be loaded. These are platform-team errors (a
/// broken blueprint), not app-author errors.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// One blueprint version: its metadata, templates and test cases.
#[derive(Debug, Clone)]
pub struct Blueprint {
    pub meta: BlueprintMeta,
    /// `api@1.0.0`
    pub id: String,
    /// The folder inside the catalog, `api/1.0.0`.
    pub folder: String,
    /// Template name (path inside `templates/`) and source, sorted by name.
    pub templates: Vec<(String, String)>,
    /// Example apps, sorted by case name.
    pub tests: Vec<TestCase>,
    /// The app's Azure DevOps pipeline template (`pipeline/azure-pipelines.yml.j2`),
    /// written in paved's pipeline syntax (`<< >>`, `<% %>`), which cannot collide
    /// with Azure DevOps' own `${{ }}`, `$( )` and `$[ ]`.
    pub pipeline: Option<String>,
}

/// An example app of a blueprint version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    pub name: String,
    /// Where the file is, as a catalog-relative path (`api/1.0.0/tests/minimal/app.yaml`).
    pub path: String,
    pub text: String,
}

/// Every blueprint version, by name and version.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    blueprints: BTreeMap<String, BTreeMap<Version, Blueprint>>,
}

impl Catalog {
    /// The catalog compiled into this binary.
    pub fn embedded() -> Result<Catalog, CatalogError> {
        let mut files = Vec::new();
        collect_embedded(&EMBEDDED, &mut files);
        Catalog::from_files(files)
    }

    /// A catalog checked out on disk (`--blueprints DIR`).
    pub fn from_dir(root: &Path) -> Result<Catalog, CatalogError> {
        let mut files = Vec::new();
        collect_dir(root, root, &mut files)?;
        Catalog::from_files(files)
    }

    /// Build a catalog from `(path relative to the catalog root, contents)`.
    /// Files outside `<name>/<version>/` (such as `README.md`) are ignored.
    pub fn from_files(mut files: Vec<CatalogFile>) -> Result<Catalog, CatalogError> {
        files.sort();
        let mut folders: BTreeMap<(String, String), Vec<CatalogFile>> = BTreeMap::new();
        for (path, bytes) in files {
            let mut parts = path.splitn(3, '/');
            if let (Some(name), Some(version), Some(rest)) = (parts.next(), parts.next(), parts.next()) {
                if Version::parse(version).is_ok() {
                    folders.entry((name.to_owned(), version.to_owned())).or_default().push((rest.to_owned(), bytes));
                }
            }
        }
        let mut catalog = Catalog::default();
        for ((name, version), files) in folders {
            let blueprint = load_version(&name, &version, files)?;
            catalog.blueprints.entry(name).or_default().insert(blueprint.meta.version.clone(), blueprint);
        }
        Ok(catalog)
    }

    /// Every blueprint version, by name then version.
    pub fn iter(&self) -> impl Iterator<Item = &Blueprint> {
        self.blueprints.values().flat_map(|versions| versions.values())
    }

    /// The highest version matching `wanted`: `api@1` → highest 1.x.y,
    /// `api@1.0` → highest 1.0.z, `api@1.0.0` → exactly that.
    pub fn resolve(&self, wanted: &BlueprintRef) -> Result<&Blueprint, Problem> {
        let Some(versions) = self.blueprints.get(&wanted.name) else {
            let names: Vec<&str> = self.blueprints.keys().map(String::as_str).collect();
            let hint = match paved_spec::syntax::did_you_mean(&wanted.name, names.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => {
                    format!("the catalog has {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))
                }
            };
            return Err(Problem { message: format!("unknown blueprint `{}`", wanted.name), hint: Some(hint) });
        };
        let matches = |v: &Version| {
            v.pre.is_empty()
                && v.major == wanted.major
                && wanted.minor.is_none_or(|m| v.minor == m)
                && wanted.patch.is_none_or(|p| v.patch == p)
        };
        versions.iter().rev().find(|(v, _)| matches(v)).map(|(_, b)| b).ok_or_else(|| {
            let have: Vec<String> = versions.keys().map(|v| format!("`{}@{v}`", wanted.name)).collect();
            Problem {
                message: format!("no version of `{}` matches `{}`", wanted.name, display_ref(wanted)),
                hint: Some(format!("the catalog has {}", have.join(", "))),
            }
        })
    }

    /// What app validation needs to know about the version `wanted` resolves to.
    pub fn rules(&self, wanted: &BlueprintRef) -> Result<BlueprintRules, Problem> {
        let b = self.resolve(wanted)?;
        Ok(BlueprintRules {
            id: b.id.clone(),
            supported: b.meta.fields.supported.clone(),
            required: b.meta.fields.required.clone(),
            autoscaling: b.meta.autoscaling,
        })
    }
}

fn display_ref(r: &BlueprintRef) -> String {
    let mut s = format!("{}@{}", r.name, r.major);
    if let Some(minor) = r.minor {
        s.push_str(&format!(".{minor}"));
    }
    if let Some(patch) = r.patch {
        s.push_str(&format!(".{patch}"));
    }
    s
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> CatalogError {
    CatalogError::Invalid { path: path.into(), message: message.into() }
}

fn load_version(name: &str, version: &str, files: Vec<CatalogFile>) -> Result<Blueprint, CatalogError> {
    let folder = format!("{name}/{version}");
    let text = |path: &str, bytes: Vec<u8>| {
        String::from_utf8(bytes).map_err(|_| invalid(format!("{folder}/{path}"), "not UTF-8"))
    };
    let mut meta = None;
    let mut templates = Vec::new();
    let mut tests = Vec::new();
    let mut pipeline = None;
    for (path, bytes) in files {
        if path == "blueprint.yaml" {
            let source = text(&path, bytes)?;
            let node = paved_yaml::load_one(&source, Limits::default()).map_err(|e| {
                invalid(format!("{folder}/blueprint.yaml:{}:{}", e.span.start.line, e.span.start.column), e.message)
            })?;
            let parsed: BlueprintMeta = serde_json::from_value(node.to_json())
                .map_err(|e| invalid(format!("{folder}/blueprint.yaml"), e.to_string()))?;
            meta = Some(parsed);
        } else if path == "pipeline/azure-pipelines.yml.j2" {
            pipeline = Some(text(&path, bytes)?);
        } else if let Some(template) = path.strip_prefix("templates/") {
            if template.ends_with(".j2") {
                templates.push((template.to_owned(), text(&path, bytes)?));
            }
        } else if let Some(case) = path.strip_prefix("tests/").and_then(|p| p.strip_suffix("/app.yaml")) {
            if !case.contains('/') {
                tests.push(TestCase {
                    name: case.to_owned(),
                    path: format!("{folder}/{path}"),
                    text: text(&path, bytes)?,
                });
            }
        }
    }
    let meta = meta.ok_or_else(|| invalid(&folder, "no blueprint.yaml"))?;
    if meta.name != name || meta.version.to_string() != version {
        return Err(invalid(
            format!("{folder}/blueprint.yaml"),
            format!("says `{}@{}` but lives in `{folder}`", meta.name, meta.version),
        ));
    }
    for field in meta.fields.supported.iter().chain(&meta.fields.required) {
        if !APP_FIELDS.contains(&field.as_str()) {
            return Err(invalid(format!("{folder}/blueprint.yaml"), format!("`{field}` is not an app field")));
        }
    }
    if let Some(field) = meta.fields.required.iter().find(|f| !meta.fields.supported.contains(*f)) {
        return Err(invalid(format!("{folder}/blueprint.yaml"), format!("`{field}` is required but not supported")));
    }
    if templates.is_empty() {
        return Err(invalid(&folder, "no templates (templates/*.j2)"));
    }
    templates.sort();
    tests.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Blueprint { id: format!("{name}@{version}"), meta, folder, templates, tests, pipeline })
}

fn collect_embedded(dir: &Dir<'_>, out: &mut Vec<CatalogFile>) {
    for file in dir.files() {
        out.push((file.path().to_string_lossy().replace('\\', "/"), file.contents().to_vec()));
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

fn collect_dir(root: &Path, dir: &Path, out: &mut Vec<CatalogFile>) -> Result<(), CatalogError> {
    for entry in fs_err::read_dir(dir)? {
        let entry = entry?;
        let path: PathBuf = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_dir(root, &path, out)?;
        } else if kind.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((relative, fs_err::read(&path)?));
        }
    }
    Ok(())
}
