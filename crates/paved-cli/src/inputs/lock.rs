//! The lock file (`paved.lock`): each app's exact blueprint version, so a pin
//! such as `api@1` never moves an app by itself.

use std::path::{Path, PathBuf};

use paved_blueprint::lock::{Lock, LockEntry};
use paved_spec::ValidApp;

use super::Setup;
use crate::Failure;
use crate::cli::Global;

/// Where the lock file is (`None`: `--lock none`) and the lock it holds
/// (empty when there is no file yet).
pub(super) fn read_lock(global: &Global) -> Result<(Option<PathBuf>, Lock), Failure> {
    let path = (global.lock.as_os_str() != "none").then(|| find_lock(&global.lock));
    let lock = match &path {
        Some(path) if path.is_file() => {
            let text = fs_err::read_to_string(path)?;
            Lock::parse(&text).map_err(|e| Failure::Error(format!("{}: {e}", path.display())))?
        }
        _ => Lock::default(),
    };
    Ok((path, lock))
}

/// The lock as it was at a git revision (`paved diff --base`); none when the
/// file did not exist there.
pub(super) fn lock_at_revision(text: Option<&str>) -> Result<Lock, Failure> {
    match text {
        Some(text) => Lock::parse(text).map_err(|e| Failure::Error(format!("paved.lock at the base: {e}"))),
        None => Ok(Lock::default()),
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

impl Setup {
    /// Whether `--locked` forbids changing the lock.
    pub fn is_locked(&self) -> bool {
        self.locked
    }

    /// Whether the lock holds an entry for `app` (`paved outdated` says when it does not).
    pub fn has_lock_entry(&self, app: &ValidApp) -> bool {
        self.lock.apps.contains_key(&format!("{}/{}", app.app.team, app.app.name))
    }

    /// Where the lock file is, when there is one.
    pub fn lock_path(&self) -> Option<&Path> {
        self.lock_path.as_deref()
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
