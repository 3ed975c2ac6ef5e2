//! Reading inputs at the edge: the platform file, the catalog, app files.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use paved_blueprint::lock::{Lock, LockEntry};
use paved_blueprint::{Blueprint, Catalog};
use paved_render::Engine;
use paved_render::output::TREE_MARKER;
use paved_spec::platform::{DEFAULT_PLATFORM, Platform};
use paved_spec::team::TeamFile;
use paved_spec::{Diagnostic, SourceFile, ValidApp};
use paved_yaml::{Pos, Span};

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
    /// `--teams DIR`: the team files by team, and the folder they came from.
    teams: Option<(String, BTreeMap<String, TeamFile>)>,
    /// The templates of the catalog, each version compiled once for the
    /// whole command (however many renders it does).
    pub engine: Engine,
}

impl Setup {
    pub fn load(global: &Global, format: Format) -> Result<Setup, Failure> {
        let file = match &global.platform {
            Some(path) => match read(path)? {
                Ok(file) => file,
                Err(problem) => {
                    report::print(&[problem], format);
                    return Err(Failure::Findings);
                }
            },
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
        let teams = match &global.teams {
            Some(dir) => Some((display(dir), load_teams(std::slice::from_ref(dir), &platform, format)?)),
            None => None,
        };
        Ok(Setup { platform, catalog, verbose: global.verbose, lock_path, lock, locked: global.locked, teams, engine })
    }

    /// With `--teams`: every app's team needs a team file, and an app keeps
    /// only the environments its team uses (its Applications name projects
    /// that exist only there).
    fn check_teams(&self, apps: &mut [ValidApp], problems: &mut Vec<Diagnostic>) {
        let Some((dir, teams)) = &self.teams else { return };
        for app in apps {
            match teams.get(&app.app.team) {
                Some(team) => app.environments.retain(|(env, _)| team.uses(env)),
                None => problems.push(Diagnostic {
                    file: app.file.clone(),
                    span: app.root.get("team").map(|n| n.span).unwrap_or(app.name_span),
                    field: "team".into(),
                    message: format!("team `{}` has no team file in `{dir}`", app.app.team),
                    hint: Some(format!(
                        "add `{dir}/{}.yaml` (its landing zone: namespaces, access, Argo CD projects), or fix `team`",
                        app.app.team
                    )),
                }),
            }
        }
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
        self.check_teams(&mut apps, &mut problems);
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
            teams: self.teams.clone(),
            engine: Engine::new(&self.catalog),
        })
    }

    /// Where the lock file is, when there is one.
    /// Whether `--locked` forbids changing the lock.
    pub fn is_locked(&self) -> bool {
        self.locked
    }

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

/// The largest input file (app or platform) paved reads, in bytes; a larger
/// one is refused before it is parsed.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The most app files one run takes.
pub const MAX_APPS: usize = 20_000;

/// Read an input file as UTF-8 text. An I/O error is `Err` (exit 2); a file
/// that cannot be read as text (too large, UTF-16, not UTF-8) is a problem in
/// that file, with where it is.
pub fn read(path: &Path) -> Result<Result<SourceFile, Diagnostic>, Failure> {
    use std::io::Read as _;
    let name = display(path);
    let file = fs_err::File::open(path).map_err(|e| Failure::Error(e.to_string()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let problem = |text: String, span: Span, message: String, hint: &str| Diagnostic {
        file: Arc::new(SourceFile { name: name.clone(), text }),
        span,
        field: String::new(),
        message,
        hint: Some(hint.into()),
    };
    // Never more than the limit in memory, whatever the file is (`/dev/zero`).
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| Failure::Error(format!("{name}: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = if size > MAX_FILE_BYTES { format!("{size} bytes, more") } else { "larger".into() };
        return Ok(Err(problem(
            String::new(),
            Span::default(),
            format!("the file is {size} than the limit of {MAX_FILE_BYTES} bytes (1 MiB)"),
            "app and platform files are a few dozen lines; check that this is the file you meant",
        )));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || looks_utf16(&bytes) {
        return Ok(Err(problem(
            String::new(),
            Span::default(),
            "the file is UTF-16 text; paved reads UTF-8".into(),
            "save the file as UTF-8 (in most editors: the encoding in the status bar, or \"Save with encoding\")",
        )));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Ok(SourceFile { name, text })),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bad = e.as_bytes()[at];
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
            let start = Pos { line: line as u32, column: column as u32, offset: at };
            let end = Pos { column: start.column + 1, offset: at + char::REPLACEMENT_CHARACTER.len_utf8(), ..start };
            Ok(Err(problem(
                text,
                Span { start, end },
                format!("the file is not UTF-8 text: the byte 0x{bad:02X} here is not part of a UTF-8 character"),
                "save the file as UTF-8; if it came from another system, convert it (such as with `iconv -f latin1 -t utf-8`)",
            )))
        }
    }
}

/// UTF-16 without a byte order mark: ASCII text with a NUL byte before or
/// after each character.
fn looks_utf16(bytes: &[u8]) -> bool {
    match bytes {
        [a, 0, c, 0, ..] | [0, a, 0, c, ..] => *a != 0 && *c != 0,
        _ => false,
    }
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
            // A tree paved wrote (`--out` inside the input folder) is output, never input.
            let walker = walkdir::WalkDir::new(path)
                .follow_links(false)
                .max_depth(depth)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    let name = e.file_name().to_string_lossy();
                    e.depth() == 0
                        || !(name.starts_with('.')
                            || name == "target"
                            || name == "node_modules"
                            || e.file_type().is_dir() && e.path().join(TREE_MARKER).exists())
                });
            for entry in walker {
                let entry = entry.map_err(|e| Failure::Error(e.to_string()))?;
                let name = entry.file_name().to_string_lossy();
                if entry.file_type().is_symlink() && wanted(&name) {
                    // A link could point anywhere on the machine that runs the check.
                    eprintln!("warning: skipped `{}`: it is a symbolic link", display(entry.path()));
                }
                if entry.file_type().is_file() && wanted(&name) {
                    in_dir += 1;
                    add(entry.into_path());
                    // Stop walking a hostile tree as soon as it is too big.
                    too_many(in_dir)?;
                }
            }
            if in_dir == 0 {
                return Err(Failure::Error(format!("no {what} found under `{}`", display(path))));
            }
        } else {
            add(path.clone());
        }
        too_many(found.len())?;
    }
    Ok(found.into_iter().collect())
}

fn too_many(apps: usize) -> Result<(), Failure> {
    match apps > MAX_APPS {
        true => Err(Failure::Error(format!(
            "more than {MAX_APPS} app files to read in one run, the limit\n\nhelp: render the apps in parts, folder by folder"
        ))),
        false => Ok(()),
    }
}

/// The team files named by `paths` (files, or folders of them; default
/// `teams`), validated, by team; problems are reported (exit 1).
pub fn load_teams(
    paths: &[PathBuf],
    platform: &Platform,
    format: Format,
) -> Result<BTreeMap<String, TeamFile>, Failure> {
    let files = read_all(&discover_teams(paths)?, format)?;
    let mut teams = BTreeMap::new();
    let mut problems = Vec::new();
    for file in files {
        let source = Arc::new(file.clone());
        match paved_spec::validate_team(file, platform) {
            Ok(team) => {
                if let Some((first, _)) = teams.get(&team.team) {
                    problems.push(Diagnostic {
                        file: source.clone(),
                        span: Default::default(),
                        field: "team".into(),
                        message: format!("team `{}` is also described in `{}`", team.team, first),
                        hint: Some("a team has one team file; remove one of them".into()),
                    });
                    continue;
                }
                teams.insert(team.team.clone(), (source.name.clone(), team));
            }
            Err(diagnostics) => problems.extend(diagnostics),
        }
    }
    if !problems.is_empty() {
        report::print(&problems, format);
        return Err(Failure::Findings);
    }
    Ok(teams.into_iter().map(|(name, (_, team))| (name, team)).collect())
}

/// Read every file: I/O errors are exit 2; files that cannot be read as
/// text are reported together (exit 1).
pub fn read_all(paths: &[PathBuf], format: Format) -> Result<Vec<SourceFile>, Failure> {
    // In parallel; the results keep the paths' order.
    let results: Vec<Result<Result<SourceFile, Diagnostic>, Failure>> = paths.par_iter().map(|p| read(p)).collect();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result? {
            Ok(file) => files.push(file),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        report::print(&problems, format);
        return Err(Failure::Findings);
    }
    Ok(files)
}
