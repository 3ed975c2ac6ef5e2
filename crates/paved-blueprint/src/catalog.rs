//! Loading the catalog and resolving `NAME@MAJOR[.MINOR[.PATCH]]`.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use paved_spec::app::{APP_FIELDS, FIELD_GATES};
use paved_spec::syntax::{BlueprintRef, Problem};
use paved_spec::{BlueprintRules, LaterVersion};
use paved_yaml::Limits;
use semver::Version;

use crate::index::{Index, Publication, folder_digest};
use crate::lock::LockEntry;
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
    /// `migration.yaml`: how app files of the previous major move to this one.
    pub migration: Option<String>,
    /// The sha256 of the folder as it is now (see `index::folder_digest`).
    pub digest: String,
    /// How `index.yaml` lists this version, when it is published.
    pub publication: Option<Publication>,
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
    /// `index.yaml`; `None` for a catalog without one (then every version
    /// counts as published, as in a blueprint author's scratch catalog).
    index: Option<Index>,
    /// Each blueprint's `CHANGELOG.md`.
    changelogs: BTreeMap<String, String>,
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
        let index = match files.iter().find(|(path, _)| path == "index.yaml") {
            Some((_, bytes)) => {
                let text = String::from_utf8(bytes.clone()).map_err(|_| invalid("index.yaml", "not UTF-8"))?;
                let node = paved_yaml::load_one(&text, Limits::default()).map_err(|e| {
                    invalid(format!("index.yaml:{}:{}", e.span.start.line, e.span.start.column), e.message)
                })?;
                Some(
                    serde_json::from_value::<Index>(node.to_json())
                        .map_err(|e| invalid("index.yaml", e.to_string()))?,
                )
            }
            None => None,
        };
        let changelogs = files
            .iter()
            .filter_map(|(path, bytes)| {
                let name = path.strip_suffix("/CHANGELOG.md")?;
                (!name.contains('/')).then(|| (name.to_owned(), String::from_utf8_lossy(bytes).into_owned()))
            })
            .collect();
        let mut folders: BTreeMap<(String, String), Vec<CatalogFile>> = BTreeMap::new();
        for (path, bytes) in files {
            let mut parts = path.splitn(3, '/');
            if let (Some(name), Some(version), Some(rest)) = (parts.next(), parts.next(), parts.next()) {
                if Version::parse(version).is_ok() {
                    folders.entry((name.to_owned(), version.to_owned())).or_default().push((rest.to_owned(), bytes));
                }
            }
        }
        let mut catalog = Catalog { blueprints: BTreeMap::new(), index: index.clone(), changelogs };
        for ((name, version), files) in folders {
            let mut blueprint = load_version(&name, &version, files)?;
            blueprint.publication = index
                .as_ref()
                .and_then(|i| i.blueprints.get(&name))
                .and_then(|versions| versions.get(&blueprint.meta.version))
                .cloned();
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
        let matches = |v: &Version| v.pre.is_empty() && wanted.allows(&wanted.name, v.major, v.minor, v.patch);
        let found = versions.iter().rev().find(|(v, b)| matches(v) && self.usable(b)).map(|(_, b)| b);
        if found.is_none() {
            // Say why an existing version does not count.
            if let Some((v, b)) = versions.iter().rev().find(|(v, _)| matches(v)) {
                let (why, hint) = match &b.publication {
                    Some(_) => ("is yanked", "pin another version; a yanked version is never chosen again"),
                    None => {
                        ("is not published", "publish it with `paved blueprint publish`, or pin a published version")
                    }
                };
                return Err(Problem { message: format!("`{}@{v}` {why}", wanted.name), hint: Some(hint.into()) });
            }
        }
        found.ok_or_else(|| {
            let have: Vec<String> = versions.keys().map(|v| format!("`{}@{v}`", wanted.name)).collect();
            Problem {
                message: format!("no version of `{}` matches `{}`", wanted.name, wanted),
                hint: Some(format!("the catalog has {}", have.join(", "))),
            }
        })
    }

    /// Problems with published versions: a published folder whose files no
    /// longer match its digest, or an index entry with no folder. Empty when
    /// the catalog is sound (or has no index).
    pub fn verify(&self) -> Vec<String> {
        let Some(index) = &self.index else { return Vec::new() };
        let mut problems = Vec::new();
        for (name, versions) in &index.blueprints {
            for (version, publication) in versions {
                match self.blueprints.get(name).and_then(|v| v.get(version)) {
                    None => problems.push(format!("{name}@{version} is published in index.yaml but `{name}/{version}/` does not exist")),
                    Some(b) if b.digest != publication.digest => problems.push(format!(
                        "{name}@{version} changed after it was published: `{name}/{version}/` has digest {}, index.yaml records {}",
                        b.digest, publication.digest
                    )),
                    Some(_) => {}
                }
            }
        }
        problems
    }

    /// The `## VERSION` section of a blueprint's `CHANGELOG.md`, if any.
    pub fn changelog_entry(&self, name: &str, version: &Version) -> Option<String> {
        let text = self.changelogs.get(name)?;
        let heading = format!("## {version}");
        let start = text.lines().position(|l| l.trim() == heading || l.starts_with(&format!("{heading} ")))?;
        let lines: Vec<&str> = text.lines().skip(start).collect();
        let end = lines.iter().skip(1).position(|l| l.starts_with("## ")).map(|i| i + 1).unwrap_or(lines.len());
        Some(lines[..end].join("\n").trim_end().to_owned())
    }

    /// The catalog's `index.yaml`, when it has one.
    pub fn index(&self) -> Option<&Index> {
        self.index.as_ref()
    }

    /// Whether the catalog has an `index.yaml`.
    pub fn has_index(&self) -> bool {
        self.index.is_some()
    }

    /// The blueprint version with this exact id (`api@1.0.0`).
    pub fn get(&self, id: &str) -> Option<&Blueprint> {
        self.iter().find(|b| b.id == id)
    }

    /// The version an app uses: its locked version when the lock has one that
    /// still satisfies the pin (and still has the digest it was locked with),
    /// else the highest version the pin allows.
    pub fn resolve_locked(&self, wanted: &BlueprintRef, locked: Option<&LockEntry>) -> Result<&Blueprint, Problem> {
        let Some(entry) = locked else { return self.resolve(wanted) };
        let Some((name, version)) = entry.blueprint.split_once('@') else { return self.resolve(wanted) };
        let Ok(version) = Version::parse(version) else { return self.resolve(wanted) };
        if !wanted.allows(name, version.major, version.minor, version.patch) {
            // The pin moved away from the lock (edited by hand or by an upgrade).
            return self.resolve(wanted);
        }
        let Some(blueprint) = self.blueprints.get(name).and_then(|v| v.get(&version)) else {
            return Err(Problem {
                message: format!("paved.lock locks `{}`, which is not in the blueprint catalog", entry.blueprint),
                hint: Some("use the catalog the lock was made with, or move the app with `paved upgrade`".into()),
            });
        };
        if self.index.is_some() && blueprint.publication.is_none() {
            return Err(Problem {
                message: format!("paved.lock locks `{}`, which is not published", entry.blueprint),
                hint: Some("lock only published versions; publish it with `paved blueprint publish`".into()),
            });
        }
        if blueprint.digest != entry.digest {
            return Err(Problem {
                message: format!("`{}` is not what paved.lock locked: its digest changed", entry.blueprint),
                hint: Some(format!(
                    "paved.lock has {}, the catalog {}; a published version must not change",
                    entry.digest, blueprint.digest
                )),
            });
        }
        Ok(blueprint)
    }

    /// What app validation needs to know about a resolved version: its fields,
    /// its defaults, and for each field (or part of one) it lacks, the first
    /// later usable version of the same blueprint that has it.
    pub fn rules_of(&self, blueprint: &Blueprint) -> BlueprintRules {
        let mut introduced = BTreeMap::new();
        let later = self
            .blueprints
            .get(&blueprint.meta.name)
            .into_iter()
            .flat_map(|versions| versions.range((Bound::Excluded(&blueprint.meta.version), Bound::Unbounded)))
            .filter(|(v, b)| v.pre.is_empty() && self.usable(b));
        for (version, b) in later {
            for field in b.meta.fields.supported.difference(&blueprint.meta.fields.supported) {
                introduced.entry(field.clone()).or_insert_with(|| LaterVersion {
                    id: b.id.clone(),
                    major: version.major,
                    minor: version.minor,
                    patch: version.patch,
                });
            }
        }
        let defaults = &blueprint.meta.defaults;
        BlueprintRules {
            id: blueprint.id.clone(),
            supported: blueprint.meta.fields.supported.clone(),
            required: blueprint.meta.fields.required.clone(),
            autoscaling: blueprint.meta.autoscaling,
            default_protocol: defaults.protocol,
            default_requests: Some((defaults.resources.cpu.clone(), defaults.resources.memory.clone())),
            introduced,
        }
    }

    /// Whether a version may be chosen for a new resolution: published and not
    /// yanked (or the catalog has no index, as a catalog being written).
    fn usable(&self, b: &Blueprint) -> bool {
        match (&self.index, &b.publication) {
            (None, _) => true,
            (Some(_), Some(publication)) => !publication.yanked,
            (Some(_), None) => false,
        }
    }

    /// What app validation needs to know about the version `wanted` resolves to.
    pub fn rules(&self, wanted: &BlueprintRef) -> Result<BlueprintRules, Problem> {
        self.resolve(wanted).map(|b| self.rules_of(b))
    }
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> CatalogError {
    CatalogError::Invalid { path: path.into(), message: message.into() }
}

fn load_version(name: &str, version: &str, files: Vec<CatalogFile>) -> Result<Blueprint, CatalogError> {
    let folder = format!("{name}/{version}");
    let digest = folder_digest(&files);
    let text = |path: &str, bytes: Vec<u8>| {
        String::from_utf8(bytes).map_err(|_| invalid(format!("{folder}/{path}"), "not UTF-8"))
    };
    let mut meta = None;
    let mut templates = Vec::new();
    let mut tests = Vec::new();
    let mut pipeline = None;
    let mut migration = None;
    for (path, bytes) in files {
        if path == "blueprint.yaml" {
            let source = text(&path, bytes)?;
            let node = paved_yaml::load_one(&source, Limits::default()).map_err(|e| {
                invalid(format!("{folder}/blueprint.yaml:{}:{}", e.span.start.line, e.span.start.column), e.message)
            })?;
            let parsed: BlueprintMeta = serde_json::from_value(node.to_json())
                .map_err(|e| invalid(format!("{folder}/blueprint.yaml"), e.to_string()))?;
            meta = Some(parsed);
        } else if path == "migration.yaml" {
            migration = Some(text(&path, bytes)?);
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
        if !APP_FIELDS.contains(&field.as_str()) && !FIELD_GATES.iter().any(|(gate, _)| gate == field) {
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
    Ok(Blueprint {
        id: format!("{name}@{version}"),
        meta,
        folder,
        templates,
        tests,
        pipeline,
        migration,
        digest,
        publication: None,
    })
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
