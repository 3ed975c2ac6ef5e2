//! Writing a file tree atomically.
//!
//! The tree is written in full to a fresh sibling directory, then swapped in
//! with two renames: a failure before the swap leaves the old tree untouched,
//! and no reader ever sees a half-written tree (between the two renames, for an
//! instant, the directory is absent). paved only replaces a directory it wrote
//! itself (one holding the tree marker), so a mistyped `--out` can never wipe
//! someone's work.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use paved_render::output::{LANDING_MARKER_TEXT, TREE_MARKER, TREE_MARKER_TEXT};
use rayon::prelude::*;

use crate::Failure;

fn fail(message: String) -> Failure {
    Failure::Error(message)
}

/// Replace `out` with exactly `files` (relative path → contents), plus the
/// files of the old tree named in `keep` (files other tools own there).
pub fn tree(out: &Path, files: BTreeMap<String, String>, keep: &[String]) -> Result<(), Failure> {
    let marker = files.get(TREE_MARKER).cloned().unwrap_or_default();
    tree_with(out, &marker, keep, &|staging| {
        files.par_iter().try_for_each(|(path, contents)| staging.write(path, contents))
    })
}

/// The folder a new tree is written into before it replaces the old one.
/// `write` may be called from many threads.
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    folders: Mutex<BTreeSet<String>>,
}

impl Staging {
    /// Write one file of the tree (`relative` uses `/`; its folders are made once).
    pub fn write(&self, relative: &str, contents: &str) -> Result<(), Failure> {
        if let Some((folder, _)) = relative.rsplit_once('/') {
            // Made while holding the lock: another thread that finds the
            // folder listed must find it on disk too.
            let mut made = self.folders.lock().map_err(|_| fail("a writer thread failed".into()))?;
            if !made.contains(folder) {
                fs_err::create_dir_all(self.root.join(folder))?;
                made.insert(folder.to_owned());
            }
        }
        let mut file = fs_err::File::create(self.root.join(relative))?;
        file.write_all(contents.as_bytes())?;
        Ok(())
    }
}

/// Replace `out` with the files `fill` writes (as it renders them, so the
/// whole tree is never held in memory), plus the files of the old tree named
/// in `keep`; a file `fill` writes wins over a kept one.
pub fn tree_with(
    out: &Path,
    marker: &str,
    keep: &[String],
    fill: &(dyn Fn(&Staging) -> Result<(), Failure> + Sync),
) -> Result<(), Failure> {
    check_target(out, marker)?;
    let parent = parent_of(out);
    fs_err::create_dir_all(&parent)?;
    check_parent(&parent, out)?;
    remove_leftovers(out);
    let root = sibling(out, "new")?;
    let staging = Staging { root, folders: Mutex::new(BTreeSet::new()) };
    let written = kept(out, keep).and_then(|kept| {
        kept.iter().try_for_each(|(path, contents)| staging.write(path, contents))?;
        fill(&staging)
    });
    if let Err(e) = written {
        let _ = fs_err::remove_dir_all(&staging.root);
        return Err(e);
    }
    fault("before-swap");
    swap_in(&staging.root, out)
}

/// Put the staged tree at `out`. Where the system can exchange two
/// directories in one step (Linux `renameat2(RENAME_EXCHANGE)`), there is
/// never a moment without a whole tree at `out`: an interruption leaves the
/// old tree or the new one. Elsewhere, two renames: the old tree steps aside,
/// the new one steps in (and steps back should the second fail).
fn swap_in(staging: &Path, out: &Path) -> Result<(), Failure> {
    if !out.exists() {
        if let Err(e) = fs_err::rename(staging, out) {
            let _ = fs_err::remove_dir_all(staging);
            return Err(e.into());
        }
        return Ok(());
    }
    if exchange(staging, out).is_ok() {
        fault("after-swap");
        // `staging` now holds the old tree.
        fs_err::remove_dir_all(staging)?;
        return Ok(());
    }
    let retired = sibling(out, "old")?;
    // `retired` is an empty directory; rename replaces it.
    if let Err(e) = fs_err::rename(out, &retired) {
        let _ = fs_err::remove_dir_all(staging);
        let _ = fs_err::remove_dir(&retired);
        return Err(e.into());
    }
    if let Err(e) = fs_err::rename(staging, out) {
        let _ = fs_err::rename(&retired, out);
        let _ = fs_err::remove_dir_all(staging);
        return Err(e.into());
    }
    fs_err::remove_dir_all(&retired)?;
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// A fresh, uniquely named, empty directory beside `out` (so a run killed
/// halfway cannot block the next one).
fn sibling(out: &Path, what: &str) -> Result<PathBuf, Failure> {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    let parent = parent_of(out);
    let dir = tempfile::Builder::new().prefix(&format!(".{name}.paved-{what}-")).tempdir_in(&parent).map_err(|e| {
        fail(format!(
            "cannot write in `{}` (the new tree is built there, beside `{}`): {e}",
            parent.display(),
            out.display()
        ))
    })?;
    Ok(dir.keep())
}

/// What an interrupted run left beside `out`: staged or retired trees, which
/// are never the tree at `out` itself. (Two renders into one `--out` at the
/// same time are not supported.)
fn remove_leftovers(out: &Path) {
    let Some(name) = out.file_name().map(|n| n.to_string_lossy().into_owned()) else { return };
    let prefix = format!(".{name}.paved-");
    let Ok(entries) = fs_err::read_dir(parent_of(out)) else { return };
    let entries: Vec<_> = entries.flatten().collect();
    // Where the two-rename swap was interrupted between its renames, `out` is
    // missing and the old tree is the `-old-` sibling: put it back first.
    if !out.exists() {
        let old = format!("{prefix}old-");
        if let Some(entry) = entries.iter().find(|e| e.file_name().to_string_lossy().starts_with(&old)) {
            let _ = fs_err::rename(entry.path(), out);
        }
    }
    for entry in entries {
        let leftover = entry.file_name().to_string_lossy().starts_with(&prefix)
            && entry.file_type().is_ok_and(|t| t.is_dir() && !t.is_symlink());
        if leftover {
            let _ = fs_err::remove_dir_all(entry.path());
        }
    }
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Fault injection for the tests of interrupted writes: with
/// `PAVED_FAULT=<point>`, paved panics at that point (the panic hook turns it
/// into exit 2). Not a user-facing setting.
pub(crate) fn fault(point: &str) {
    if std::env::var("PAVED_FAULT").is_ok_and(|f| f == point) {
        panic!("fault injected at `{point}` (PAVED_FAULT)");
    }
}

/// `out` must be absent, an empty directory, or a tree paved wrote.
/// `marker` is the text the new tree's marker holds: a tree whose marker
/// holds another kind's text (apps versus landing zones) is not replaced.
fn check_target(out: &Path, marker: &str) -> Result<(), Failure> {
    let Ok(meta) = fs_err::symlink_metadata(out) else {
        return Ok(());
    };
    let shown = out.display();
    if meta.file_type().is_symlink() {
        return Err(fail(format!("`{shown}` is a symbolic link; give the real directory")));
    }
    if !meta.is_dir() {
        return Err(fail(format!("`{shown}` exists and is not a directory")));
    }
    let empty = fs_err::read_dir(out)?.next().is_none();
    if !empty && !out.join(TREE_MARKER).is_file() {
        return Err(fail(format!(
            "refusing to replace `{shown}`: it is not empty and was not written by paved (no `{TREE_MARKER}` file)"
        )));
    }
    let kinds = [TREE_MARKER_TEXT, LANDING_MARKER_TEXT];
    let existing = fs_err::read_to_string(out.join(TREE_MARKER)).unwrap_or_default();
    if !empty && existing != marker && kinds.contains(&existing.as_str()) {
        let what = existing.split('`').nth(1).unwrap_or("another command");
        return Err(fail(format!(
            "refusing to replace `{shown}`: it holds the tree `{what}` wrote\n\nhelp: give this command its own output folder"
        )));
    }
    // A read-only folder says "leave this alone", even to root, who could
    // write it anyway; and removing the old tree would fail after the swap.
    for entry in walkdir::WalkDir::new(out).follow_links(false) {
        let entry = entry.map_err(|e| fail(e.to_string()))?;
        if entry.file_type().is_dir() && entry.metadata().is_ok_and(|m| m.permissions().readonly()) {
            return Err(fail(format!(
                "refusing to replace `{shown}`: `{}` is read-only\n\nhelp: make it writable (`chmod -R u+w {shown}`) or choose another `--out`",
                entry.path().display()
            )));
        }
    }
    Ok(())
}

/// The folder the new tree is built in must not be read-only (see `check_target`).
fn check_parent(parent: &Path, out: &Path) -> Result<(), Failure> {
    match fs_err::metadata(parent) {
        Ok(meta) if meta.permissions().readonly() => Err(fail(format!(
            "cannot write `{}`: `{}` is read-only (the new tree is built beside it and swapped in)",
            out.display(),
            parent.display()
        ))),
        _ => Ok(()),
    }
}

/// The files of the old tree at `out` named in `keep` that exist there as
/// regular files (a link is never followed, so never kept).
fn kept(out: &Path, keep: &[String]) -> Result<Vec<(String, String)>, Failure> {
    if !out.is_dir() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for relative in keep {
        let path = out.join(relative);
        // Every folder on the way must be a real folder, not a link out of the tree.
        let mut folder = out.to_path_buf();
        let parts: Vec<&str> = relative.split('/').collect();
        let real_folders = parts[..parts.len().saturating_sub(1)].iter().all(|part| {
            folder.push(part);
            fs_err::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_dir())
        });
        if real_folders && fs_err::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file()) {
            let bytes = fs_err::read(&path)?;
            found.push((relative.clone(), String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Ok(found)
}

/// The files under `dir` that `keep` claims, by path relative to `dir` (with
/// `/`), as text (bytes that are not UTF-8 are replaced, so a stray binary
/// still shows up as a difference). Links are not followed.
pub fn files_under(dir: &Path, keep: &dyn Fn(&str) -> bool) -> Result<BTreeMap<String, String>, Failure> {
    let mut found = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| Failure::Error(e.to_string()))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
        if keep(&relative) {
            // A link (or anything else that is not a regular file) is never
            // followed: it shows up as what it is, which paved never writes.
            let text = match entry.file_type().is_file() {
                true => String::from_utf8_lossy(&fs_err::read(entry.path())?).into_owned(),
                false => "(not a regular file: paved writes only regular files)\n".to_owned(),
            };
            found.insert(relative, text);
        }
    }
    Ok(found)
}

/// Replace one file atomically: write a sibling, then rename it over.
pub fn file(path: &Path, contents: &str) -> Result<(), Failure> {
    let mut staged = tempfile::Builder::new().prefix(".paved-").tempfile_in(parent_of(path))?;
    staged.write_all(contents.as_bytes())?;
    staged.persist(path).map_err(|e| Failure::Error(format!("{}: {}", path.display(), e.error)))?;
    Ok(())
}
