//! Interrupted runs: a panic is exit 2 with a short bug report, and a
//! `render --out` that fails, panics or is killed at any point leaves the old
//! tree or the new one, never a mix.

#![allow(clippy::print_stderr)] // the kill test reports where its kill points landed

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// The tree at `dir`, or an empty map when there is none.
fn tree_at(dir: &Path) -> BTreeMap<String, String> {
    if dir.exists() { common::read_tree(dir) } else { BTreeMap::new() }
}

fn render_into(out: &Path, apps: &str) {
    let result = common::paved().args(["render", apps, "--out"]).arg(out).output().expect("runs");
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
}

/// What lies beside `out` apart from `out` itself (an interrupted run's leftovers).
fn beside(out: &Path) -> Vec<String> {
    let parent = out.parent().expect("parent");
    std::fs::read_dir(parent)
        .expect("read parent")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| out.file_name().is_some_and(|own| own.to_string_lossy() != *name))
        .collect()
}

#[test]
fn a_panic_is_exit_2_with_a_bug_report() {
    let result = common::paved().args(["validate", "examples"]).env("PAVED_FAULT", "start").output().expect("runs");
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.starts_with("error: this is a bug in paved"), "{stderr}");
    assert!(stderr.contains("help: please report it"), "{stderr}");
    assert!(!stderr.contains("panicked at") && !stderr.contains("RUST_BACKTRACE"), "a raw panic leaked:\n{stderr}");
    assert!(result.stdout.is_empty());
}

#[test]
fn a_panic_before_or_after_the_swap_leaves_a_whole_tree() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    render_into(&out, "examples/ledger-db");
    let old = tree_at(&out);
    let fresh = tmp.path().join("fresh");
    render_into(&fresh, "examples");
    let new = tree_at(&fresh);
    assert_ne!(old, new);
    std::fs::remove_dir_all(&fresh).expect("rm");

    for (point, expected) in [("before-swap", &old), ("after-swap", &new)] {
        let result = common::paved()
            .args(["render", "examples", "--out"])
            .arg(&out)
            .env("PAVED_FAULT", point)
            .output()
            .expect("runs");
        assert_eq!(result.status.code(), Some(2), "{point}");
        assert!(String::from_utf8_lossy(&result.stderr).contains("this is a bug in paved"), "{point}");
        assert!(&tree_at(&out) == expected, "{point}: the tree is neither the old one nor the new one");
    }
    // The next run clears what the interrupted ones left beside the tree.
    render_into(&out, "examples/ledger-db");
    assert_eq!(tree_at(&out), old);
    assert!(beside(&out).is_empty(), "leftovers: {:?}", beside(&out));
}

/// Where the swap takes two renames (no `RENAME_EXCHANGE`), a run killed
/// between them leaves no tree at `out` and the old one beside it: the next
/// run puts it back first, so what the pipeline promoted there survives.
#[test]
fn an_old_tree_left_beside_the_output_is_put_back_first() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    render_into(&out, "examples/ledger-db");
    let promoted = "payments/ledger-db/prod/promoted.yaml";
    std::fs::write(out.join(promoted), "image:\n  tag: \"7.7.7\"\n").expect("write");
    std::fs::rename(&out, tmp.path().join(".out.paved-old-interrupted")).expect("rename");
    render_into(&out, "examples/ledger-db");
    assert_eq!(std::fs::read_to_string(out.join(promoted)).expect("kept"), "image:\n  tag: \"7.7.7\"\n");
    assert!(beside(&out).is_empty(), "leftovers: {:?}", beside(&out));
}

/// Kill `paved render --out` at many points from start to finish: every time,
/// the tree is exactly the old one or exactly the new one.
#[test]
fn killing_a_render_at_any_point_leaves_the_old_or_the_new_tree() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    render_into(&out, "examples");
    let new = tree_at(&out);
    let backup = tmp.path().join("old");
    render_into(&backup, "examples/ledger-db");
    let old = tree_at(&backup);

    // How long a whole run takes here, to spread the kill points over it.
    let reset = |out: &Path| {
        if out.exists() {
            std::fs::remove_dir_all(out).expect("rm");
        }
        common::copy_dir(&backup, out);
    };
    reset(&out);
    let started = Instant::now();
    render_into(&out, "examples");
    let whole = started.elapsed();

    let points = 60u32;
    let (mut saw_old, mut saw_new) = (0, 0);
    for i in 0..points {
        reset(&out);
        // Evenly up to two and a half times a whole run: a run's length varies
        // with the machine's load, and the last points must see it finish.
        let delay = whole.mul_f64(2.5 * f64::from(i) / f64::from(points));
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("paved"))
            .current_dir(common::root())
            .env("PAVED_LOCK", "none")
            .args(["render", "examples", "--out"])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawns");
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = tree_at(&out);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!("killed after {delay:?}: the tree is neither the old one nor the new one ({} files)", now.len());
        }
    }
    eprintln!("{points} kill points over {whole:?}: {saw_old} left the old tree, {saw_new} the new one");
    assert!(saw_old > 0 && saw_new > 0, "the kill points did not span the run: old {saw_old}, new {saw_new}");
}
