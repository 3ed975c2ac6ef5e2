//! The adversarial corpus (`tests/adversarial/`): files and folders built to
//! make paved crash, hang, eat memory, write outside its output directory,
//! leave a half-written tree, or let a value rewrite structure.
//!
//! Each case is a folder with its inputs and a `case.yaml` stating what it
//! tries and the expected outcome. The harness copies the folder into a fresh
//! temporary directory, generates the big inputs there (nothing big is
//! committed), runs the setup steps, snapshots the whole directory, runs the
//! real `paved` binary in it, and asserts:
//!
//! - the exit code, and the substrings of the message;
//! - no panic and no backtrace text; stdout empty on failure;
//! - under 5 s wall time and under 500 MB peak resident memory;
//! - nothing changed in the directory except under the paths the case allows
//!   (none for a failure), so nothing outside `--out` is ever touched;
//! - for value cases: each value comes out of the rendered objects exactly as
//!   written, the objects have only the kinds and keys a template writes, and
//!   a YAML 1.1 reader (PyYAML) reads the same data as paved's own parser.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::io::{BufRead, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;

/// How long one run of paved may take.
const MAX_WALL: Duration = Duration::from_secs(5);
/// When a run is killed as hung.
const KILL_AFTER: Duration = Duration::from_secs(30);
/// The most resident memory one run of paved may use, in KiB.
const MAX_RSS_KIB: i64 = 500 * 1024;
/// The unprivileged user cases marked `unprivileged` run as, when the tests run as root.
const NOBODY: u32 = 65534;

/// One `case.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case tries, in one sentence.
    what: String,
    /// The arguments to `paved`, run in the case's folder.
    command: Vec<String>,
    /// The expected exit code: 0, 1 (a finding) or 2 (usage, I/O).
    exit: i32,
    /// Substrings the message on stderr must hold.
    #[serde(default)]
    stderr_contains: Vec<String>,
    /// The most bytes stderr may hold (a message must stay readable).
    #[serde(default)]
    stderr_max_bytes: Option<usize>,
    /// Values that must come out of the rendered objects exactly.
    #[serde(default)]
    roundtrip: Vec<Roundtrip>,
    /// Inputs made at run time (big or binary ones).
    #[serde(default)]
    generate: Vec<Generate>,
    /// Steps before the run.
    #[serde(default)]
    setup: Vec<Step>,
    /// Paths (relative to the case folder) the run may change; nothing else may.
    #[serde(default)]
    changes: Vec<String>,
    /// A path that must hold a complete paved tree after the run.
    #[serde(default)]
    tree: Option<String>,
    /// Text that must never appear in the output or in a file the run wrote
    /// (a secret outside the output directory that a link points at).
    #[serde(default)]
    secret: Option<String>,
    /// Run as an unprivileged user (when the tests run as root, who ignores
    /// permission bits).
    #[serde(default)]
    unprivileged: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Roundtrip {
    /// A path into the workload's container: `env.NAME`, `args[0]`, `ports[0].containerPort`;
    /// or `data.KEY`, a key of the ConfigMap of the app's files.
    field: String,
    /// The exact value.
    #[serde(default)]
    value: Option<Value>,
    /// Or a string built from parts (for values too long to write here).
    #[serde(default)]
    parts: Option<Vec<Part>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
enum Generate {
    /// A file made of parts.
    File { path: String, parts: Vec<Part> },
    /// `count` folders under `under`, each with a valid `app.yaml`.
    Apps { under: String, count: usize },
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
enum Part {
    /// UTF-8 text.
    Text(String),
    /// Raw bytes, in hex.
    Hex(String),
    /// `text`, `times` times.
    Repeat { text: String, times: usize },
    /// `times` lines of `text`, line `i` indented by `i * step` spaces.
    Indented { text: String, times: usize, step: usize },
    /// `times` copies of `text`, each with `{n}` replaced by its number (0, 1, …).
    Numbered { text: String, times: usize },
    /// Text encoded as UTF-16, little-endian.
    Utf16le(String),
    /// Text encoded as UTF-16, big-endian.
    Utf16be(String),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
enum Step {
    /// Copy a folder of the repository (such as `examples`) to the same path in the case folder.
    Copy(String),
    Mkdir(String),
    /// Remove a file or a folder.
    Remove(String),
    Write {
        path: String,
        text: String,
    },
    Symlink {
        path: String,
        target: String,
    },
    Hardlink {
        path: String,
        target: String,
    },
    /// Octal mode, such as `"555"`.
    Chmod {
        path: String,
        mode: String,
    },
    /// Run paved (it must succeed), such as to write an earlier tree.
    Paved(Vec<String>),
}

/// Write the bytes of `parts` (streamed: the test itself stays small, since
/// every child it spawns starts as a copy of it, and counts so in the memory
/// measure).
fn build(parts: &[Part], out: &mut impl Write) {
    for part in parts {
        match part {
            Part::Text(t) => out.write_all(t.as_bytes()).expect("write"),
            Part::Hex(h) => {
                let h: String = h.split_whitespace().collect();
                for i in (0..h.len()).step_by(2) {
                    out.write_all(&[u8::from_str_radix(&h[i..i + 2], 16).expect("hex")]).expect("write");
                }
            }
            Part::Repeat { text, times } => {
                for _ in 0..*times {
                    out.write_all(text.as_bytes()).expect("write");
                }
            }
            Part::Indented { text, times, step } => {
                for i in 0..*times {
                    writeln!(out, "{:indent$}{text}", "", indent = i * step).expect("write");
                }
            }
            Part::Numbered { text, times } => {
                for n in 0..*times {
                    out.write_all(text.replace("{n}", &n.to_string()).as_bytes()).expect("write");
                }
            }
            Part::Utf16le(t) => {
                out.write_all(&t.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()).expect("write")
            }
            Part::Utf16be(t) => {
                out.write_all(&t.encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<u8>>()).expect("write")
            }
        }
    }
}

fn built_string(parts: &[Part]) -> String {
    let mut bytes = Vec::new();
    build(parts, &mut bytes);
    String::from_utf8(bytes).expect("utf-8 parts")
}

fn cases_dir() -> PathBuf {
    common::root().join("tests/adversarial")
}

fn case_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("tests/adversarial")
        .map(|e| e.expect("entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn load_case(name: &str) -> Case {
    let path = cases_dir().join(name).join("case.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: case.yaml: {e}"));
    let node = paved_yaml::load_one(&text, paved_yaml::Limits::default())
        .unwrap_or_else(|e| panic!("{name}/case.yaml:{}: {e}", e.span.start.line));
    serde_json::from_value(node.to_json()).unwrap_or_else(|e| panic!("{name}/case.yaml: {e}"))
}

/// What a directory holds, without following links: for each path, its kind,
/// mode and contents (a hash for files, the target for links).
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap_or_else(|e| panic!("{}: {e}", current.display())) {
            let path = entry.expect("entry").path();
            let rel = path.strip_prefix(dir).expect("inside").to_string_lossy().into_owned();
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            let mode = meta.permissions().mode() & 0o7777;
            let what = if meta.file_type().is_symlink() {
                format!("link -> {}", std::fs::read_link(&path).expect("link").display())
            } else if meta.is_dir() {
                stack.push(path.clone());
                format!("dir {mode:o}")
            } else {
                let mut hasher = std::hash::DefaultHasher::new();
                let mut file = std::io::BufReader::new(std::fs::File::open(&path).expect("open"));
                loop {
                    let chunk = file.fill_buf().expect("read");
                    if chunk.is_empty() {
                        break;
                    }
                    hasher.write(chunk);
                    let n = chunk.len();
                    file.consume(n);
                }
                format!("file {mode:o} {} bytes, hash {:x}", meta.len(), hasher.finish())
            };
            out.insert(rel, what);
        }
    }
    out
}

fn allowed(path: &str, changes: &[String]) -> bool {
    changes.iter().any(|c| path == c || path.starts_with(&format!("{c}/")))
}

/// Peak resident memory of any child waited for so far, in KiB. An upper
/// bound: a child starts as a copy of this process, so the test's own size
/// (kept small: inputs are streamed to disk) is a floor under it.
fn children_max_rss_kib() -> i64 {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).expect("getrusage").max_rss()
}

fn is_root() -> bool {
    let probe = tempfile::tempfile().expect("temp file");
    probe.metadata().expect("metadata").uid() == 0
}

fn has_setpriv() -> bool {
    std::process::Command::new("setpriv").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn chown_tree(path: &Path) {
    std::os::unix::fs::lchown(path, Some(NOBODY), Some(NOBODY)).expect("chown");
    if std::fs::symlink_metadata(path).expect("metadata").is_dir() {
        for entry in std::fs::read_dir(path).expect("ls") {
            chown_tree(&entry.expect("entry").path());
        }
    }
}

fn as_nobody() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new("setpriv");
    cmd.args([&format!("--reuid={NOBODY}"), &format!("--regid={NOBODY}"), "--clear-groups", "--"]);
    cmd
}

/// Whether the unprivileged user can run the binary where it was built (not
/// when the checkout is in a folder only its owner may enter).
fn nobody_can_run_the_binary() -> bool {
    static CAN: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CAN.get_or_init(|| {
        as_nobody().arg(common::paved_bin()).arg("--version").output().is_ok_and(|o| o.status.success())
    })
}

/// The command for one run of paved in `dir`, as an unprivileged user when
/// asked (`bin`: the binary that user can run).
fn command(dir: &Path, args: &[String], unprivileged: Option<&Path>) -> assert_cmd::Command {
    let mut cmd = if let Some(bin) = unprivileged {
        let mut cmd = as_nobody();
        cmd.arg(bin).env("NO_COLOR", "1").env("PAVED_LOCK", "none").env_remove("CLICOLOR_FORCE");
        cmd
    } else {
        common::paved()
    };
    cmd.current_dir(dir).args(args).env_remove("RUST_BACKTRACE").timeout(KILL_AFTER);
    cmd
}

/// A fresh temporary folder, in memory where the machine has one: some cases
/// make 20 000 folders, which a disk's file system can take a minute to create
/// and remove.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    match shm.is_dir() {
        true => tempfile::Builder::new().prefix("paved-adversarial-").tempdir_in(shm),
        false => tempfile::tempdir(),
    }
    .or_else(|_| tempfile::tempdir())
    .expect("tempdir")
}

/// Run one case: the problems found (empty when it behaves), and how long paved took.
fn run_case(name: &str, case: &Case) -> (Vec<String>, Duration) {
    let mut problems = Vec::new();
    let tmp = scratch();
    let dir = tmp.path().join("case");
    common::copy_dir(&cases_dir().join(name), &dir);
    std::fs::remove_file(dir.join("case.yaml")).expect("case.yaml");
    for generate in &case.generate {
        match generate {
            Generate::File { path, parts } => {
                let path = dir.join(path);
                std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
                build(parts, &mut file);
                file.flush().expect("write");
            }
            Generate::Apps { under, count } => {
                for i in 0..*count {
                    let folder = dir.join(under).join(format!("app-{i}"));
                    std::fs::create_dir_all(&folder).expect("mkdir");
                    let app = format!(
                        "name: app-{i}\nteam: many\nblueprint: worker@1\nimage: acr.bank.internal/many/app:1.0.0\n"
                    );
                    std::fs::write(folder.join("app.yaml"), app).expect("write");
                }
            }
        }
    }
    let unprivileged = case.unprivileged && is_root();
    for step in &case.setup {
        match step {
            Step::Copy(from) => common::copy_dir(&common::root().join(from), &dir.join(from)),
            Step::Mkdir(path) => std::fs::create_dir_all(dir.join(path)).expect("mkdir"),
            Step::Remove(path) => match std::fs::symlink_metadata(dir.join(path)).expect("exists").is_dir() {
                true => std::fs::remove_dir_all(dir.join(path)).expect("rm -r"),
                false => std::fs::remove_file(dir.join(path)).expect("rm"),
            },
            Step::Write { path, text } => std::fs::write(dir.join(path), text).expect("write"),
            Step::Symlink { path, target } => std::os::unix::fs::symlink(target, dir.join(path)).expect("symlink"),
            Step::Hardlink { path, target } => std::fs::hard_link(dir.join(target), dir.join(path)).expect("link"),
            Step::Chmod { path, mode } => {
                let mode = u32::from_str_radix(mode, 8).expect("octal mode");
                std::fs::set_permissions(dir.join(path), std::fs::Permissions::from_mode(mode)).expect("chmod");
            }
            Step::Paved(args) => {
                let out = command(&dir, args, None).output().expect("runs");
                assert!(
                    out.status.success(),
                    "{name}: setup `paved {}` failed:\n{}",
                    args.join(" "),
                    lossy(&out.stderr)
                );
            }
        }
    }
    let bin = match unprivileged && !nobody_can_run_the_binary() {
        true => {
            let copy = tmp.path().join("paved");
            std::fs::copy(common::paved_bin(), &copy).expect("copy the binary");
            copy
        }
        false => common::paved_bin(),
    };
    if unprivileged {
        chown_tree(tmp.path());
    }
    let expected_text = |parts: &Option<Vec<Part>>, value: &Option<Value>| match (parts, value) {
        (Some(parts), None) => Value::String(built_string(parts)),
        (None, Some(v)) => v.clone(),
        _ => panic!("{name}: a roundtrip needs exactly one of `value` and `parts`"),
    };

    let before = snapshot(tmp.path());
    let rss_before = children_max_rss_kib();
    let start = Instant::now();
    let output = command(&dir, &case.command, unprivileged.then_some(bin.as_path())).output().expect("paved runs");
    let elapsed = start.elapsed();
    let rss = children_max_rss_kib();
    let after = snapshot(tmp.path());
    let stdout = lossy(&output.stdout);
    let stderr = lossy(&output.stderr);

    match output.status.code() {
        Some(code) if code == case.exit => {}
        Some(code) => problems.push(format!("exit {code}, expected {}", case.exit)),
        None => problems.push(format!("killed by a signal after {elapsed:?} (hung or crashed)")),
    }
    if elapsed > MAX_WALL {
        problems.push(format!("took {elapsed:?}, more than {MAX_WALL:?}"));
    }
    // The measure is a peak over every child so far: only a rise is this run's.
    if rss > MAX_RSS_KIB && rss > rss_before {
        problems.push(format!("peak memory {} MB, more than {} MB", rss / 1024, MAX_RSS_KIB / 1024));
    }
    for panic in ["panicked at", "RUST_BACKTRACE", "stack overflow"] {
        if stderr.contains(panic) {
            problems.push(format!("stderr holds `{panic}`"));
        }
    }
    if let Some(max) = case.stderr_max_bytes {
        if stderr.len() > max {
            problems.push(format!("stderr is {} bytes, more than {max}", stderr.len()));
        }
    }
    for wanted in &case.stderr_contains {
        if !stderr.contains(wanted.as_str()) {
            problems.push(format!("stderr does not hold {wanted:?}"));
        }
    }
    if case.exit != 0 {
        if !stdout.is_empty() {
            problems.push(format!("stdout is not empty on failure ({} bytes)", stdout.len()));
        }
        if !case.changes.is_empty() {
            problems.push("case.yaml: a failing run may change nothing (`changes` must be empty)".into());
        }
    }
    // Nothing changed but what the case allows.
    let mut changed = Vec::new();
    let mut outside = Vec::new();
    for path in before.keys().chain(after.keys().filter(|p| !before.contains_key(*p))) {
        if before.get(path) != after.get(path) {
            changed.push(path.clone());
            if !allowed(path.strip_prefix("case/").unwrap_or(path), &case.changes) {
                outside.push(format!("`{path}`: {:?} -> {:?}", before.get(path), after.get(path)));
            }
        }
    }
    if !outside.is_empty() {
        let more = outside.len().saturating_sub(10);
        outside.truncate(10);
        let more = if more > 0 { format!("\n  and {more} more") } else { String::new() };
        problems.push(format!("changed outside what it may change:\n  {}{more}", outside.join("\n  ")));
    }
    if let Some(tree) = &case.tree {
        let tree = dir.join(tree);
        let marker = tree.join(".paved-tree").is_file();
        let manifests = walkdir::WalkDir::new(&tree)
            .into_iter()
            .flatten()
            .filter(|e| e.file_name() == "manifests.yaml" && e.file_type().is_file())
            .count();
        if !marker || manifests == 0 {
            problems.push(format!("no complete paved tree at `{}`", tree.display()));
        }
    }
    if let Some(secret) = &case.secret {
        if stdout.contains(secret.as_str()) || stderr.contains(secret.as_str()) {
            problems.push("the secret shows in the output".into());
        }
        for path in &changed {
            let full = tmp.path().join(path);
            let is_file = std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_file());
            if is_file && std::fs::read(&full).is_ok_and(|b| lossy(&b).contains(secret.as_str())) {
                problems.push(format!("the secret was copied into `{path}`"));
            }
        }
    }
    if !case.roundtrip.is_empty() && output.status.success() {
        let expected: Vec<(&str, Value)> =
            case.roundtrip.iter().map(|r| (r.field.as_str(), expected_text(&r.parts, &r.value))).collect();
        problems.extend(check_roundtrip(&dir, &stdout, &expected));
    }
    if !problems.is_empty() {
        let mut shown = stderr.chars().take(3000).collect::<String>();
        if stderr.chars().count() > 3000 {
            shown.push_str("\n[… cut]");
        }
        problems.push(format!("stderr was:\n{shown}"));
    }
    (problems, elapsed)
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The kinds a blueprint's templates and paved's own builders write.
const KINDS: &[&str] = &[
    "Application",
    "CiliumNetworkPolicy",
    "ConfigMap",
    "CronJob",
    "Deployment",
    "HorizontalPodAutoscaler",
    "Ingress",
    "Job",
    "NetworkPolicy",
    "PersistentVolumeClaim",
    "PodDisruptionBudget",
    "Service",
    "ServiceAccount",
    "ServiceMonitor",
    "StatefulSet",
];

/// The value at a path such as `env.NAME`, `args[0]` or `ports[0].containerPort` in a container.
fn field<'a>(container: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(name) = path.strip_prefix("env.") {
        let var = container["env"].as_array()?.iter().find(|v| v["name"] == name)?;
        return var.get("value");
    }
    let mut value = container;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, Some(rest.trim_end_matches(']').parse::<usize>().ok()?)),
            None => (part, None),
        };
        value = value.get(key)?;
        if let Some(i) = index {
            value = value.get(i)?;
        }
    }
    Some(value)
}

/// The first container of a workload, if the object is one.
fn container(object: &Value) -> Option<&Value> {
    let pod = match object["kind"].as_str()? {
        "Deployment" | "StatefulSet" => &object["spec"]["template"]["spec"],
        "CronJob" => &object["spec"]["jobTemplate"]["spec"]["template"]["spec"],
        _ => return None,
    };
    pod["containers"].get(0)
}

/// Every value comes out exactly as written; the objects are only what templates write.
fn check_roundtrip(dir: &Path, stream: &str, expected: &[(&str, Value)]) -> Vec<String> {
    let mut problems = Vec::new();
    // Output may hold more values than one input file may.
    let limits = paved_yaml::Limits { max_depth: 128, max_nodes: 10_000_000 };
    let docs: Vec<Value> = match paved_yaml::load_all(stream, limits) {
        Ok(docs) => docs.iter().map(paved_yaml::Node::to_json).collect(),
        Err(e) => return vec![format!("the rendered stream does not load: {e}")],
    };
    // The app's variable names, base and every environment.
    let app_text = std::fs::read_to_string(dir.join("app.yaml")).expect("a value case has app.yaml");
    let app = paved_yaml::load_one(&app_text, paved_yaml::Limits::default()).expect("app loads").to_json();
    let mut names: std::collections::HashSet<String> =
        app["env"].as_object().into_iter().flat_map(|m| m.keys().cloned()).collect();
    for over in app["environments"].as_object().into_iter().flat_map(|m| m.values()) {
        names.extend(over["env"].as_object().into_iter().flat_map(|m| m.keys().cloned()));
    }
    let mut workloads = 0;
    let mut configmaps = 0;
    for doc in &docs {
        let kind = doc["kind"].as_str().unwrap_or_default();
        if !KINDS.contains(&kind) {
            problems.push(format!("an object of kind `{kind}` appeared"));
        }
        let keys: Vec<&str> = doc.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
        let top = ["apiVersion", "kind", "metadata", "spec", "automountServiceAccountToken", "immutable", "data"];
        if keys.iter().any(|k| !top.contains(k)) {
            problems.push(format!("a `{kind}` has top-level keys {keys:?}"));
        }
        if kind == "ConfigMap" {
            configmaps += 1;
            for (path, value) in expected {
                let Some(key) = path.strip_prefix("data.") else { continue };
                match doc["data"].get(key) {
                    Some(found) if found == value => {}
                    Some(found) => problems.push(format!("`{path}` came out as {found}, expected {value}")),
                    None => problems.push(format!("`{path}` is missing from a ConfigMap")),
                }
            }
        }
        let Some(container) = container(doc) else { continue };
        workloads += 1;
        for var in container["env"].as_array().into_iter().flatten() {
            let name = var["name"].as_str().unwrap_or_default();
            if !names.contains(name) {
                problems.push(format!("a variable `{name}` that the app does not set appeared"));
            }
        }
        for (path, value) in expected.iter().filter(|(path, _)| !path.starts_with("data.")) {
            match field(container, path) {
                Some(found) if found == value => {}
                Some(found) => problems.push(format!("`{path}` came out as {found}, expected {value}")),
                None => problems.push(format!("`{path}` is missing from a `{kind}`")),
            }
        }
    }
    if workloads == 0 {
        problems.push("no workload in the rendered stream".into());
    }
    if configmaps == 0 && expected.iter().any(|(path, _)| path.starts_with("data.")) {
        problems.push("no ConfigMap holds the files' content".into());
    }
    problems.extend(pyyaml_agrees(stream, &docs));
    problems
}

/// A YAML 1.1 reader (PyYAML, as kubectl-era tooling reads) sees the same data.
fn pyyaml_agrees(stream: &str, docs: &[Value]) -> Vec<String> {
    if !has_pyyaml() {
        return Vec::new();
    }
    // libyaml's parser when PyYAML has it (the YAML 1.1 resolver is the same).
    let script = "import sys, json, yaml; loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader); \
                  print(json.dumps(list(yaml.load_all(sys.stdin, Loader=loader))))";
    let output = assert_cmd::Command::new("python3")
        .args(["-c", script])
        .write_stdin(stream.as_bytes().to_vec())
        .output()
        .expect("python3 runs");
    if !output.status.success() {
        return vec![format!("PyYAML cannot read the stream: {}", lossy(&output.stderr))];
    }
    let theirs: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON from python");
    // paved skips null documents; so does this comparison.
    let theirs: Vec<&Value> = theirs.iter().filter(|d| !d.is_null()).collect();
    if theirs.len() != docs.len() {
        return vec![format!("PyYAML reads {} documents, paved {}", theirs.len(), docs.len())];
    }
    let mut problems = Vec::new();
    for (ours, theirs) in docs.iter().zip(theirs) {
        if ours != theirs {
            problems.push(format!("PyYAML reads a `{}` differently", ours["kind"].as_str().unwrap_or_default()));
        }
    }
    problems
}

fn has_pyyaml() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| {
        let found =
            std::process::Command::new("python3").args(["-c", "import yaml"]).status().is_ok_and(|s| s.success());
        if !found {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must check values with PyYAML: python3 with PyYAML is missing"
            );
            eprintln!("SKIPPED the PyYAML reading of value cases: python3 with PyYAML not found (pip install pyyaml)");
        }
        found
    })
}

#[test]
fn every_adversarial_case_behaves() {
    // `ADVERSARIAL_CASE=part` runs only the cases whose name holds `part`.
    let only = std::env::var("ADVERSARIAL_CASE").unwrap_or_default();
    let names: Vec<String> = case_names().into_iter().filter(|n| n.contains(&only)).collect();
    let can_drop_privileges = !is_root() || has_setpriv();
    let mut failures = Vec::new();
    let mut peak = 0;
    for name in &names {
        let case = load_case(name);
        if case.unprivileged && !can_drop_privileges {
            assert!(std::env::var_os("CI").is_none(), "CI must run {name}: `setpriv` (util-linux) is missing");
            eprintln!("SKIPPED {name}: running as root and `setpriv` is not installed to drop privileges");
            continue;
        }
        let started = Instant::now();
        let (problems, elapsed) = run_case(name, &case);
        let total = started.elapsed();
        let rss = children_max_rss_kib();
        // The peak over all children only grows; a rise is this case's own peak.
        let note = if rss > peak { format!(", memory peak {} MB", rss / 1024) } else { String::new() };
        peak = peak.max(rss);
        let took = format!("paved {:.2} s of {:.2} s", elapsed.as_secs_f64(), total.as_secs_f64());
        if problems.is_empty() {
            eprintln!("ok {name} ({took}{note}): {}", case.what);
        } else {
            eprintln!("FAILED {name} ({took}{note}): {}", case.what);
            failures.push(format!("== {name}: {}\n{}", case.what, problems.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), names.len(), failures.join("\n\n"));
}

#[test]
fn the_corpus_has_at_least_45_cases_each_with_a_case_file() {
    let names = case_names();
    assert!(names.len() >= 45, "only {} adversarial cases", names.len());
    for name in &names {
        let case = load_case(name);
        assert!(!case.what.is_empty(), "{name}: say what the case tries");
        assert!(matches!(case.exit, 0..=2), "{name}: exit must be 0, 1 or 2");
        assert!(
            case.exit == 0 || !case.stderr_contains.is_empty(),
            "{name}: a failing case must say which message it expects"
        );
        assert!(case.roundtrip.is_empty() || case.exit == 0, "{name}: a value case must render");
    }
}
