//! Version resolution over a catalog with several versions: `api@1` is the
//! highest 1.x.y, `api@1.0` the highest 1.0.z, `api@1.0.0` exactly that, and
//! anything else an error that lists what exists.

use paved_blueprint::Catalog;
use paved_spec::syntax::blueprint_ref;

fn version_files(name: &str, version: &str) -> Vec<(String, Vec<u8>)> {
    let meta = format!(
        "name: {name}\nversion: {version}\ndescription: test\nfields:\n  supported: [port]\n  required: [port]\ndefaults:\n  resources: {{cpu: 100m, memory: 128Mi}}\n"
    );
    vec![
        (format!("{name}/{version}/blueprint.yaml"), meta.into_bytes()),
        (format!("{name}/{version}/templates/x.yaml.j2"), b"{}".to_vec()),
    ]
}

fn catalog() -> Catalog {
    let mut files = vec![("README.md".to_owned(), b"ignored".to_vec())];
    for version in ["1.0.0", "1.0.3", "1.2.0", "1.10.1", "2.0.0"] {
        files.extend(version_files("api", version));
    }
    files.extend(version_files("worker", "1.0.0"));
    Catalog::from_files(files).expect("catalog loads")
}

fn resolve(wanted: &str) -> Result<String, String> {
    let wanted = blueprint_ref(wanted).map_err(|p| p.message)?;
    catalog()
        .resolve(&wanted)
        .map(|b| b.id.clone())
        .map_err(|p| format!("{} ({})", p.message, p.hint.unwrap_or_default()))
}

#[test]
fn pins_resolve_to_the_highest_matching_version() {
    assert_eq!(resolve("api@1").as_deref(), Ok("api@1.10.1"));
    assert_eq!(resolve("api@1.0").as_deref(), Ok("api@1.0.3"));
    assert_eq!(resolve("api@1.0.0").as_deref(), Ok("api@1.0.0"));
    assert_eq!(resolve("api@1.2").as_deref(), Ok("api@1.2.0"));
    assert_eq!(resolve("api@2").as_deref(), Ok("api@2.0.0"));
    assert_eq!(resolve("worker@1").as_deref(), Ok("worker@1.0.0"));
}

#[test]
fn unknown_versions_and_blueprints_list_what_exists() {
    let err = resolve("api@3").expect_err("no 3.x");
    assert!(err.contains("no version of `api` matches `api@3`"), "{err}");
    assert!(err.contains("`api@1.0.0`, `api@1.0.3`, `api@1.2.0`, `api@1.10.1`, `api@2.0.0`"), "{err}");
    let err = resolve("api@1.1").expect_err("no 1.1.z");
    assert!(err.contains("matches `api@1.1`"), "{err}");
    let err = resolve("apu@1").expect_err("unknown");
    assert!(err.contains("unknown blueprint `apu`") && err.contains("did you mean `api`?"), "{err}");
}

#[test]
fn a_broken_blueprint_is_reported_with_its_folder() {
    let mut files = version_files("api", "1.0.0");
    files[0].1 = b"name: worker\nversion: 1.0.0\ndescription: x\nfields: {supported: []}\ndefaults: {resources: {cpu: 1m, memory: 1Mi}}\n".to_vec();
    let err = Catalog::from_files(files).expect_err("name mismatch").to_string();
    assert!(err.contains("api/1.0.0/blueprint.yaml") && err.contains("says `worker@1.0.0`"), "{err}");

    let mut files = version_files("api", "1.0.0");
    files[0].1 = b"name: api\nversion: 1.0.0\ndescription: x\nfields: {supported: [replica]}\ndefaults: {resources: {cpu: 1m, memory: 1Mi}}\n".to_vec();
    let err = Catalog::from_files(files).expect_err("unknown field").to_string();
    assert!(err.contains("`replica` is not an app field"), "{err}");
}

#[test]
fn the_embedded_catalog_holds_the_five_blueprints_with_test_cases() {
    let catalog = Catalog::embedded().expect("embedded catalog");
    let ids: Vec<&str> = catalog.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "api@1.0.0",
            "api@1.1.0",
            "api@1.2.0",
            "api@1.3.0",
            "cronjob@1.0.0",
            "cronjob@1.1.0",
            "cronjob@1.2.0",
            "job@1.0.0",
            "stateful@1.0.0",
            "stateful@1.1.0",
            "stateful@1.2.0",
            "worker@1.0.0",
            "worker@1.1.0",
            "worker@1.2.0"
        ]
    );
    for blueprint in catalog.iter() {
        assert!(blueprint.tests.len() >= 3, "{} has {} test cases", blueprint.id, blueprint.tests.len());
    }
}
