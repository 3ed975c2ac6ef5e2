//! `paved diff --base REV`: the working tree's rendered output against what
//! the same apps rendered at a git revision (app files, platform file and lock
//! read from git), object by object.

use std::path::{Path, PathBuf};
use std::process::Command;

use paved_render::diff::{self, ObjectChange};
use paved_render::{Charts, ImageOverride};
use paved_spec::SourceFile;
use paved_spec::limits::MAX_FILE_BYTES;
use paved_spec::platform::DEFAULT_PLATFORM;

use crate::cli::{DiffArgs, DiffFormat, Format, Global};
use crate::inputs::{self, Setup};
use crate::renders::Renders;
use crate::target::chosen_environments;
use crate::{Failure, Outcome};

pub fn run(global: &Global, args: DiffArgs) -> Outcome {
    let setup = Setup::load(global, Format::Human)?;
    let envs = chosen_environments(&setup.platform, &args.envs)?;

    // Now: the working tree.
    let apps = setup.validate_apps(inputs::read_all(&inputs::discover(&args.paths)?, Format::Human)?, Format::Human)?;
    let after = Renders::new(&setup, &apps, &envs, &ImageOverride::default(), Charts::Skip).all()?;

    // Then: the same paths at the base revision.
    let git = Git { rev: args.base.clone() };
    git.verify()?;
    let platform = match &global.platform {
        Some(path) => git
            .read(path)?
            .unwrap_or(SourceFile { name: "<embedded platform.yaml>".into(), text: DEFAULT_PLATFORM.into() }),
        None => SourceFile { name: "<embedded platform.yaml>".into(), text: DEFAULT_PLATFORM.into() },
    };
    let lock = match setup.lock_path() {
        Some(path) => git.read(path)?.map(|f| f.text),
        None => None,
    };
    let base_setup = setup.at_revision(platform, lock.as_deref(), Format::Human)?;
    let base_files: Vec<SourceFile> = git.read_many(&git.app_files(&args.paths)?)?.into_iter().flatten().collect();
    let base_apps = base_setup.validate_apps(base_files, Format::Human)?;
    let base_envs: Vec<String> =
        envs.iter().filter(|e| base_setup.platform.environment(e).is_some()).cloned().collect();
    let before = Renders::new(&base_setup, &base_apps, &base_envs, &ImageOverride::default(), Charts::Skip).all()?;

    let changes: Vec<ObjectChange> = diff::diff(&before, &after);
    let text = match args.format {
        DiffFormat::Text => diff::text(&changes),
        DiffFormat::Markdown => diff::markdown(&changes),
        DiffFormat::Json => diff::json(&changes),
    };
    out!("{text}");
    match args.exit_code && !changes.is_empty() {
        true => Err(Failure::Findings),
        false => Ok(()),
    }
}

/// Reading files as they were at a revision, with the `git` command.
struct Git {
    rev: String,
}

impl Git {
    fn run(&self, args: &[&str]) -> Result<std::process::Output, Failure> {
        Command::new("git").args(args).output().map_err(|e| Failure::Error(format!("cannot run git: {e}")))
    }

    fn verify(&self) -> Result<(), Failure> {
        let out = self.run(&["rev-parse", "--verify", "--quiet", &format!("{}^{{commit}}", self.rev)])?;
        match out.status.success() {
            true => Ok(()),
            false => Err(Failure::Error(format!("--base: `{}` is not a commit in this git repository", self.rev))),
        }
    }

    /// Files at the revision (paths relative to the working directory, as
    /// `app_files` gives them), `None` for one that did not exist there. One
    /// `git cat-file --batch` for all of them: a process per file would cost
    /// more than rendering a thousand apps.
    fn read_many(&self, paths: &[PathBuf]) -> Result<Vec<Option<SourceFile>>, Failure> {
        use std::io::{BufRead, BufReader, Read, Write};
        let fail = |what: &str, e: &dyn std::fmt::Display| Failure::Error(format!("git cat-file: {what}: {e}"));
        let mut child = Command::new("git")
            .args(["cat-file", "--batch"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| Failure::Error(format!("cannot run git: {e}")))?;
        // `REV:./path` is relative to the working directory, like the paths `app_files` gives.
        let requests: String = paths
            .iter()
            .map(|p| format!("{}:./{}\n", self.rev, p.to_string_lossy().trim_start_matches("./")))
            .collect();
        let mut stdin = child.stdin.take().ok_or_else(|| fail("stdin", &"not piped"))?;
        // Write from a thread so a full pipe in either direction cannot block both ends.
        let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
        let mut stdout = BufReader::new(child.stdout.take().ok_or_else(|| fail("stdout", &"not piped"))?);
        let mut files = Vec::with_capacity(paths.len());
        for path in paths {
            let mut header = String::new();
            stdout.read_line(&mut header).map_err(|e| fail("read", &e))?;
            let header = header.trim_end();
            if header.ends_with(" missing") {
                files.push(None);
                continue;
            }
            let size: usize = header
                .rsplit(' ')
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| fail("unexpected answer", &header))?;
            if size as u64 > MAX_FILE_BYTES {
                return Err(Failure::Error(format!(
                    "{}:{}: {size} bytes, more than the limit of {} bytes for an input file",
                    self.rev,
                    path.display(),
                    MAX_FILE_BYTES
                )));
            }
            let mut bytes = vec![0; size + 1];
            stdout.read_exact(&mut bytes).map_err(|e| fail("read", &e))?;
            bytes.pop(); // the newline after the contents
            let text = String::from_utf8(bytes)
                .map_err(|_| Failure::Error(format!("{}:{}: not UTF-8 text", self.rev, path.display())))?;
            files.push(Some(SourceFile { name: format!("{}:{}", self.rev, path.to_string_lossy()), text }));
        }
        writer.join().map_err(|_| fail("write", &"the writer stopped"))?.map_err(|e| fail("write", &e))?;
        let status = child.wait().map_err(|e| fail("wait", &e))?;
        if !status.success() {
            return Err(fail("exit", &status));
        }
        Ok(files)
    }

    /// A file at the revision (path relative to the working directory), or
    /// `None` when it did not exist there.
    fn read(&self, path: &Path) -> Result<Option<SourceFile>, Failure> {
        let owned;
        let path = match path.is_absolute() {
            true => {
                let cwd = std::env::current_dir().map_err(|e| Failure::Error(e.to_string()))?;
                owned = path.strip_prefix(&cwd).map(Path::to_path_buf).map_err(|_| {
                    Failure::Error(format!("{}: give a path inside the repository for --base", path.display()))
                })?;
                owned.as_path()
            }
            false => path,
        };
        let relative = format!("./{}", path.to_string_lossy().trim_start_matches("./"));
        let out = self.run(&["show", &format!("{}:{relative}", self.rev)])?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            // Absent at the revision is an answer; anything else is an error.
            if stderr.contains("does not exist") || stderr.contains("exists on disk, but not in") {
                return Ok(None);
            }
            return Err(Failure::Error(format!("git show {}:{relative}: {}", self.rev, stderr.trim())));
        }
        let text = String::from_utf8(out.stdout)
            .map_err(|_| Failure::Error(format!("{}:{}: not UTF-8 text", self.rev, path.display())))?;
        Ok(Some(SourceFile { name: format!("{}:{}", self.rev, path.to_string_lossy()), text }))
    }

    /// The `app.yaml` files under `paths` at the revision.
    fn app_files(&self, paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
        let default = [PathBuf::from(".")];
        let paths = if paths.is_empty() { &default[..] } else { paths };
        let mut args = vec!["ls-tree".to_owned(), "-r".into(), "--name-only".into(), self.rev.clone(), "--".into()];
        args.extend(paths.iter().map(|p| p.to_string_lossy().into_owned()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = self.run(&args)?;
        if !out.status.success() {
            return Err(Failure::Error(format!("git ls-tree failed: {}", String::from_utf8_lossy(&out.stderr).trim())));
        }
        let mut files: Vec<PathBuf> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.rsplit('/').next() == Some("app.yaml"))
            // The same folders the working side skips.
            .filter(|l| {
                !l.split('/').any(|part| {
                    (part.starts_with('.') && part != "." && part != "..") || part == "target" || part == "node_modules"
                })
            })
            .map(PathBuf::from)
            .collect();
        files.sort();
        files.dedup();
        Ok(files)
    }
}
