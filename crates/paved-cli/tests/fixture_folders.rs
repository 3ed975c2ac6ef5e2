//! `tests/README.md` says, in one table, what each folder of test data holds
//! and which test checks it. A folder the table does not name is data whose
//! purpose no one can look up, and a row naming a folder that is gone is a doc
//! that lies: both fail here.

mod common;

use std::collections::BTreeSet;

/// The folders the table names: the first path segment of each row's first
/// cell (`| \`fixtures/<case>/app.yaml\` | … |` names `fixtures`).
fn named_in_table(readme: &str) -> BTreeSet<String> {
    readme
        .lines()
        .filter_map(|line| line.strip_prefix('|')?.split('|').next())
        .filter_map(|cell| cell.trim().strip_prefix('`'))
        .filter_map(|path| path.split(['/', '`']).next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn readme_names_every_folder_of_test_data() {
    let tests = common::root().join("tests");
    let readme = std::fs::read_to_string(tests.join("README.md")).expect("tests/README.md");
    let named = named_in_table(&readme);
    let folders: BTreeSet<String> = std::fs::read_dir(&tests)
        .expect("tests/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir())
        .map(|path| path.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    let unnamed: Vec<&String> = folders.difference(&named).collect();
    assert!(
        unnamed.is_empty(),
        "tests/README.md's table has no row for {unnamed:?}: add one saying what the folder holds and which test checks it"
    );
    let gone: Vec<&String> = named.difference(&folders).collect();
    assert!(gone.is_empty(), "tests/README.md's table names {gone:?}, which are not folders under tests/");
}
