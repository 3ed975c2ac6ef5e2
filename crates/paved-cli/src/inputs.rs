//! Reading inputs at the edge: the platform file, the catalog, app files.

use std::collections::BTreeSet;

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use paved_blueprint::lock::{Lock, LockEntry};
use paved_blueprint::{Blueprint, Catalog};
use paved_render::Engine;
use paved_spec::platform::{DEFAULT_PLATFORM, Platform};
use paved_spec::{Diagnostic, SourceFile, ValidApp};

use crate::cli::{Format, Global};
use crate::{Failure, report};

/// Everything a command needs before it looks at apps.
#[derive(Debug)]
pub struct Setup {
    pub platform: Platform,
    pub catalog: Catalog,
    /// Print notes (`--verbose`).
    pub verbose: bool,
    /// Where the lock file is (`None`: `--lock none`).
    lock_path: Option<PathBuf>,
    /// The lock as read.
    lock: Lock,
    /// `--locked`: the lock must not change.
    locked: bool,
    /// The templates of the catalog, each version compiled once for the
    /// whole command (however many renders it does).
    pub engine: Engine,
}

impl Setup {
    pub fn load(global: &Global, format: Format) -> Result<Setup, Failure> {
        let file = match &global.platform {
            Some(path) => read(path)?,
            None => SourceFile { name: "<embedded platform.yaml>".into(), text: DEFAULT_PLATFORM.into() },
        };
        let platform = checked_platform(file, format)?;
        let catalog = match &global.blueprints {
            Some(dir) => Catalog::from_dir(dir),
            None => Catalog::embedded(),
        }
        .map_err(|e| Failure::Error(format!("blueprint catalog: {e}")))?;
        let lock_path = (global.lock.as_os_str() != "none").then(|| find_lock(&global.lock));
        let lock = match &lock_path {
            Some(path) if path.is_file() => {
                let text = fs_err::read_to_string(path)?;
                Lock::parse(&text).map_err(|e| Failure::Error(format!("{}: {e}", path.display())))?
            }
            _ => Lock::default(),
        };
        let engine = Engine::new(&catalog);
        Ok(Setup { platform, catalog, verbose: global.verbose, lock_path, lock, locked: global.locked, engine })
    }

    /// Validate every app file; all problems of all files are reported at once.
    pub fn validate_apps(&self, files: Vec<SourceFile>, format: Format) -> Result<Vec<ValidApp>, Failure> {
        let mut apps = Vec::new();
        let mut problems: Vec<Diagnostic> = Vec::new();
        let resolve = |r: &paved_spec::syntax::BlueprintRef, id: &str| {
            self.catalog.resolve_locked(r, self.lock.apps.get(id)).map(Catalog::rules_of)
        };
        // Each file on its own, in parallel; results in the files' order.
        let results: Vec<_> =
            files.into_par_iter().map(|file| paved_spec::validate_app(file, &self.platform, &resolve)).collect();
        for result in results {
            match result {
                Ok(app) => apps.push(app),
                Err(diagnostics) => problems.extend(diagnostics),
            }
        }
        // The same app twice would write the same objects twice.
        apps.sort_by(|a, b| (&a.app.team, &a.app.name, &a.file.name).cmp(&(&b.app.team, &b.app.name, &b.file.name)));
        for pair in apps.windows(2) {
            if (&pair[0].app.team, &pair[0].app.name) == (&pair[1].app.team, &pair[1].app.name) {
                problems.push(Diagnostic {
                    file: pair[1].file.clone(),
                    span: pair[1].name_span,
                    field: "name".into(),
                    message: format!(
                        "app `{}` of team `{}` is also defined in `{}`",
                        pair[1].app.name, pair[1].app.team, pair[0].file.name
                    ),
                    hint: Some("app names are unique within a team; rename one".into()),
                });
            }
        }
        // Both ends of every call must agree (only checkable when each file is valid).
        if problems.is_empty() {
            let report = paved_spec::check_calls(&apps);
            problems.extend(report.errors);
            if self.verbose {
                for note in report.notes {
                    eprintln!("{note}");
                }
            }
        }
        if problems.is_empty() {
            Ok(apps)
        } else {
            report::print(&problems, format);
            Err(Failure::Findings)
        }
    }
}

impl Setup {
    /// The same catalog and options with another platform file and lock, as
    /// they were at a git revision (`paved diff --base`). Nothing is written.
    pub fn at_revision(&self, platform: SourceFile, lock: Option<&str>, format: Format) -> Result<Setup, Failure> {
        let platform = checked_platform(platform, format)?;
        let lock = match lock {
            Some(text) => Lock::parse(text).map_err(|e| Failure::Error(format!("paved.lock at the base: {e}")))?,
            None => Lock::default(),
        };
        Ok(Setup {
            platform,
            catalog: self.catalog.clone(),
            verbose: self.verbose,
            lock_path: None,
            lock,
            locked: false,
            engine: Engine::new(&self.catalog),
        })
    }

    /// Where the lock file is, when there is one.
    pub fn lock_path(&self) -> Option<&Path> {
        self.lock_path.as_deref()
    }

    /// The exact blueprint version a valid app renders with.
    pub fn blueprint_of(&self, app: &ValidApp) -> Result<&Blueprint, Failure> {
        self.catalog
            .get(&app.blueprint_id)
            .ok_or_else(|| Failure::Error(format!("{}: `{}` is not in the catalog", app.file.name, app.blueprint_id)))
    }

    /// Record each app's exact version in the lock file: new apps and changed
    /// pins are resolved and written; with `--locked`, any change is an error.
    pub fn update_lock(&self, apps: &[ValidApp]) -> Result<(), Failure> {
        let Some(path) = &self.lock_path else { return Ok(()) };
        let mut lock = self.lock.clone();
        let mut changes = Vec::new();
        for app in apps {
            let blueprint = self.blueprint_of(app)?;
            let id = format!("{}/{}", app.app.team, app.app.name);
            let entry = LockEntry { blueprint: blueprint.id.clone(), digest: blueprint.digest.clone() };
            if lock.apps.get(&id) != Some(&entry) {
                let before = lock.apps.get(&id).map(|e| e.blueprint.clone());
                changes.push(match before {
                    Some(before) => format!("{id}: {before} → {}", entry.blueprint),
                    None => format!("{id}: {}", entry.blueprint),
                });
                lock.apps.insert(id, entry);
            }
        }
        if changes.is_empty() {
            return Ok(());
        }
        if self.locked {
            for change in &changes {
                eprintln!("error: {} would change: {change}", path.display());
            }
            eprintln!("\nhelp: run without `--locked` to update the lock, and commit it");
            return Err(Failure::Findings);
        }
        crate::write::file(path, &lock.to_text())?;
        for change in &changes {
            eprintln!("locked {change} in {}", path.display());
        }
        Ok(())
    }
}

/// The lock file: a relative path is looked for in the current folder and
/// then in each parent up to the repository's root (as Cargo finds
/// Cargo.lock), so running paved from a subfolder uses the repository's lock;
/// when none exists, it will be written in the current folder.
fn find_lock(path: &Path) -> PathBuf {
    if path.is_absolute() || path.components().count() != 1 {
        return path.to_path_buf();
    }
    let Ok(cwd) = std::env::current_dir() else { return path.to_path_buf() };
    let mut ups = PathBuf::new();
    for dir in cwd.ancestors() {
        if dir.join(path).is_file() {
            return ups.join(path);
        }
        if dir.join(".git").exists() {
            break;
        }
        ups.push("..");
    }
    path.to_path_buf()
}

/// Where an app's pipeline lives in its repository: beside its app file
/// (`paved new` writes it there, `render --pipelines` refreshes it, `check`
/// compares it).
pub fn pipeline_beside(app: &ValidApp) -> Option<PathBuf> {
    Path::new(&app.file.name).parent().map(|dir| dir.join("azure-pipelines.yml"))
}

/// A platform file, checked; its problems are reported.
fn checked_platform(file: SourceFile, format: Format) -> Result<Platform, Failure> {
    paved_spec::validate_platform(file).map_err(|diagnostics| {
        report::print(&diagnostics, format);
        Failure::Findings
    })
}

/// Read a file as UTF-8 text, naming the path in any error.
pub fn read(path: &Path) -> Result<SourceFile, Failure> {
    let bytes = fs_err::read(path).map_err(|e| Failure::Error(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Failure::Error(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(SourceFile { name: display(path), text })
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The app files named by `paths`: files as given, directories searched for
/// `app.yaml` (skipping hidden folders, `target` and `node_modules`). Sorted
/// and without repeats, so argument order does not change the result.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    discover_files(paths, ".", usize::MAX, "app.yaml", &|name| name == "app.yaml")
}

/// Team files: the paths given, each a file or a folder whose `*.yaml` files
/// are team files (not its subfolders). Default: `teams`.
pub fn discover_teams(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    discover_files(paths, "teams", 1, "team file (*.yaml)", &|name| name.ends_with(".yaml") || name.ends_with(".yml"))
}

/// Files named as given, or found in the folders given (to `depth`) by
/// `wanted` on their names, each once (by real path), sorted.
fn discover_files(
    paths: &[PathBuf],
    default: &str,
    depth: usize,
    what: &str,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<Vec<PathBuf>, Failure> {
    let default = [PathBuf::from(default)];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    let mut found: BTreeSet<PathBuf> = BTreeSet::new();
    let mut seen_real: BTreeSet<PathBuf> = BTreeSet::new();
    for path in paths {
        let meta = fs_err::metadata(path).map_err(|e| Failure::Error(e.to_string()))?;
        let mut add = |p: PathBuf| {
            let real = fs_err::canonicalize(&p).unwrap_or_else(|_| p.clone());
            if seen_real.insert(real) {
                found.insert(p);
            }
        };
        if meta.is_dir() {
            let mut in_dir = 0;
            let walker = walkdir::WalkDir::new(path)
                .follow_links(false)
                .max_depth(depth)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    let name = e.file_name().to_string_lossy();
                    e.depth() == 0 || !(name.starts_with('.') || name == "target" || name == "node_modules")
                });
            for entry in walker {
                let entry = entry.map_err(|e| Failure::Error(e.to_string()))?;
                if entry.file_type().is_file() && wanted(&entry.file_name().to_string_lossy()) {
                    in_dir += 1;
                    add(entry.into_path());
                }
            }
            if in_dir == 0 {
                return Err(Failure::Error(format!("no {what} found under `{}`", display(path))));
            }
        } else {
            add(path.clone());
        }
    }
    Ok(found.into_iter().collect())
}

/// Read every file (I/O errors are exit 2).
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<SourceFile>, Failure> {
    paths.par_iter().map(|p| read(p)).collect()
}
