//! Finding input files and reading them as text: app files, team files, the
//! platform file. Limits on what one run reads are enforced here, before
//! anything is parsed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use paved_render::output::TREE_MARKER;
use paved_render::output::paths::PIPELINE;
use paved_spec::limits::{MAX_APPS, MAX_FILE_BYTES};
use paved_spec::{Diagnostic, SourceFile, ValidApp};
use paved_yaml::{Pos, Span};

use crate::cli::Format;
use crate::{Failure, report};

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

pub(super) fn display(path: &Path) -> String {
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

/// Where an app's pipeline lives in its repository: beside its app file
/// (`paved new` writes it there, `render --pipelines` refreshes it, `check`
/// compares it).
pub fn pipeline_beside(app: &ValidApp) -> Option<PathBuf> {
    Path::new(&app.file.name).parent().map(|dir| dir.join(PIPELINE))
}
