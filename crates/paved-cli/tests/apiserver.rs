//! A real Kubernetes API server judges what paved renders (`cluster/`): in a fresh
//! cluster per platform file and environment, the landing zones of every team, then every
//! blueprint test case, fixture, the examples and every set of apps, by server-side apply
//! into the namespaces the landing zones made (Pod Security `restricted` enforced), each
//! workload's pod template also dry-run as a Pod. Every object must be accepted without
//! a single warning. Deliberately broken objects show that the same check fails, and the
//! servers stop however the test process ends.
//!
//! Install the server with `scripts/install-kube-apiserver` (10 to 20 minutes once);
//! without it the tests say they skipped, except under CI, where they fail.

#![allow(clippy::print_stderr, clippy::print_stdout)]

mod cluster;
mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cluster::{Cluster, Etcd, rendered};
use serde_json::Value;

#[test]
fn every_rendered_object_is_accepted_by_the_api_server() {
    let Some(tools) = cluster::tools("every_rendered_object_is_accepted_by_the_api_server") else { return };
    let started = Instant::now();
    let platforms = rendered::everything();
    let rendering = started.elapsed();
    let etcd = Etcd::start(&tools);
    let mut problems = Vec::new();
    let (mut clusters, mut applied, mut pods) = (0, 0, 0);
    // Every case that had objects to apply in some environment.
    let mut checked = BTreeSet::new();
    for platform in &platforms {
        for env in &platform.environments {
            let cluster = Cluster::start(&etcd);
            clusters += 1;
            cluster.create_namespace(&platform.argocd_namespace);
            let zones = cluster::objects(&platform.zone_files(env));
            assert!(!zones.is_empty(), "{}: no landing zone in {env}", platform.label());
            problems.extend(cluster.check(&format!("{} {env}: landing zones", platform.label()), &zones));
            applied += zones.len();
            cluster.settle_quotas();
            for case in &platform.cases {
                let objects = cluster::objects(&platform.case_files(case, env));
                if objects.is_empty() {
                    continue;
                }
                problems.extend(cluster.check(&format!("{} in {env}", case.name), &objects));
                checked.insert(case.name.as_str());
                applied += objects.len();
                pods += objects.iter().filter_map(cluster::pod_of).count();
                cluster.remove(&objects);
            }
        }
    }
    eprintln!(
        "{applied} objects and {pods} pod templates of {} cases applied to {clusters} clusters in {:?} \
         (rendering them took {rendering:?})",
        platforms.iter().map(|p| p.cases.len()).sum::<usize>(),
        started.elapsed()
    );
    assert!(problems.is_empty(), "the API server refused or warned about:\n{}", problems.join("\n"));
    assert!(applied > 500 && pods > 50, "only {applied} objects and {pods} pod templates applied");
    let unchecked: Vec<&str> =
        platforms.iter().flat_map(|p| &p.cases).map(|c| c.name.as_str()).filter(|c| !checked.contains(c)).collect();
    assert!(unchecked.is_empty(), "no environment applied anything of {unchecked:?}");
}

/// The same check as above fails on objects a cluster would refuse: a pod template that
/// may run as root (a Pod Security warning on the Deployment, a refusal of the Pod), a
/// selector that does not match the template's labels, an unknown field. The unchanged
/// objects pass, so each failure is the breakage's.
#[test]
fn broken_objects_are_refused() {
    let Some(tools) = cluster::tools("broken_objects_are_refused") else { return };
    let zones = landing_zones(&["--env", "dev"]);
    let apps = common::render_tree("examples/payments-api", &["--env", "dev", "--teams", "teams"]);
    let etcd = Etcd::start(&tools);
    let cluster = Cluster::start(&etcd);
    cluster.create_namespace("argocd");
    assert_eq!(cluster.check("landing zones", &zones), Vec::<String>::new());
    cluster.settle_quotas();
    let manifests: Vec<(&str, &str)> =
        apps.iter().filter(|(p, _)| p.ends_with("/manifests.yaml")).map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let objects = cluster::objects(&manifests);
    let deployment = objects.iter().position(|o| o["kind"] == "Deployment").expect("a Deployment");
    assert_eq!(cluster.check("unchanged", &objects), Vec::<String>::new(), "the control case");
    cluster.remove(&objects);

    let broken = |what: &str, change: &dyn Fn(&mut Value)| {
        let mut objects = objects.clone();
        change(&mut objects[deployment]);
        let problems = cluster.check(what, &objects).join("\n");
        cluster.remove(&objects);
        eprintln!("{problems}");
        problems
    };
    let may_run_as_root = broken("without runAsNonRoot", &|d| {
        let spec = &mut d["spec"]["template"]["spec"];
        remove(&mut spec["securityContext"], "runAsNonRoot");
        for container in spec["containers"].as_array_mut().into_iter().flatten() {
            remove(&mut container["securityContext"], "runAsNonRoot");
        }
    });
    assert!(
        may_run_as_root.contains("Warning: would violate PodSecurity \"restricted:v1.31\"")
            && may_run_as_root.contains("as a Pod:")
            && may_run_as_root.contains("runAsNonRoot"),
        "a template without runAsNonRoot passed:\n{may_run_as_root}"
    );
    let unmatched = broken("a stray selector", &|d| {
        d["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"] = "someone-else".into()
    });
    assert!(unmatched.contains("`selector` does not match template `labels`"), "a stray selector passed:\n{unmatched}");
    let unknown = broken("an unknown field", &|d| {
        d["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always".into()
    });
    assert!(unknown.contains("unknown field"), "an unknown field passed:\n{unknown}");
}

fn remove(object: &mut Value, field: &str) {
    if let Some(map) = object.as_object_mut() {
        map.remove(field);
    }
}

/// The landing zones of `teams/`, as objects.
fn landing_zones(extra: &[&str]) -> Vec<Value> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("zones");
    let result =
        common::paved().args(["landing-zone", "teams"]).args(extra).arg("--out").arg(&out).output().expect("runs");
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let tree = common::read_tree(&out);
    let mut files: Vec<(&str, &str)> =
        tree.iter().filter(|(p, _)| p.ends_with("/cluster.yaml")).map(|(p, t)| (p.as_str(), t.as_str())).collect();
    files.extend(tree.iter().filter(|(p, _)| p.ends_with("/argocd.yaml")).map(|(p, t)| (p.as_str(), t.as_str())));
    cluster::objects(&files)
}

/// How the child test below ends.
const END: &str = "PAVED_CLUSTER_TEST_END";

/// Start etcd and an API server, print their process ids, then end as `PAVED_CLUSTER_TEST_END`
/// says: `panic`, or wait to be killed. Run by the test below, never on its own.
#[test]
#[ignore = "run by servers_stop_however_the_test_process_ends"]
fn a_test_with_servers_that_ends_badly() {
    let Some(tools) = cluster::tools("a_test_with_servers_that_ends_badly") else { return };
    let etcd = Etcd::start(&tools);
    let cluster = Cluster::start(&etcd);
    println!("pids {} {}", etcd.pid(), cluster.pid());
    match std::env::var(END).as_deref() {
        Ok("panic") => panic!("a failing test"),
        _ => std::thread::sleep(Duration::from_secs(300)),
    }
}

/// A test that panics, or whose process gets SIGINT (Ctrl-C), SIGTERM or SIGKILL, leaves
/// no etcd or API server running.
#[test]
fn servers_stop_however_the_test_process_ends() {
    if cluster::tools("servers_stop_however_the_test_process_ends").is_none() {
        return;
    }
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    for end in ["panic", "SIGINT", "SIGTERM", "SIGKILL"] {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "a_test_with_servers_that_ends_badly", "--ignored", "--nocapture", "--test-threads=1"])
            .env(END, end)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the test binary runs");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let pids: Vec<u32> = lines
            .by_ref()
            .map_while(Result::ok)
            // libtest may have written `test NAME ... ` on the same line first.
            .find_map(|line| {
                line.split_once("pids ").map(|(_, p)| p.split(' ').filter_map(|n| n.parse().ok()).collect())
            })
            .unwrap_or_else(|| panic!("{end}: the child printed no pids"));
        // Read the rest, so the child's report never meets a closed pipe.
        let drain = std::thread::spawn(move || lines.count());
        assert_eq!(pids.len(), 2, "{end}: {pids:?}");
        let signal = match end {
            "SIGINT" => Some(Signal::SIGINT),
            "SIGTERM" => Some(Signal::SIGTERM),
            "SIGKILL" => Some(Signal::SIGKILL),
            _ => None,
        };
        if let Some(signal) = signal {
            assert!(pids.iter().all(|&p| cluster::watchdog::is_running(p)), "{end}: a server was not running");
            kill(Pid::from_raw(i32::try_from(child.id()).expect("pid")), signal).expect("signal the test");
        }
        let status = child.wait().expect("the child ends");
        let _ = drain.join();
        assert!(!status.success(), "{end}: the child test passed");
        let deadline = Instant::now() + Duration::from_secs(20);
        while pids.iter().any(|&p| cluster::watchdog::is_running(p)) {
            assert!(Instant::now() < deadline, "{end}: a server still runs 20 s after its test ended: {pids:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
