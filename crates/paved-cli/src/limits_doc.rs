//! `docs/limits.md` says what every bound on input is; this test holds the
//! document to the constants, so neither can change without the other.

use std::collections::BTreeSet;

/// Every bound the document's table names, by the name it is written under,
/// with the numbers its row's value column must state.
fn bounds() -> Vec<(&'static str, Vec<u64>)> {
    let input = paved_yaml::Limits::default();
    let output = paved_render::OUTPUT_LIMITS;
    vec![
        ("paved_spec::limits::MAX_FILE_BYTES", vec![paved_spec::limits::MAX_FILE_BYTES]),
        ("paved_spec::limits::MAX_APPS", vec![paved_spec::limits::MAX_APPS as u64]),
        ("paved_spec::limits::MAX_STRING_BYTES", vec![paved_spec::limits::MAX_STRING_BYTES as u64]),
        ("paved_spec::limits::MAX_PROBLEMS_PER_FILE", vec![paved_spec::limits::MAX_PROBLEMS_PER_FILE as u64]),
        ("paved_yaml::Limits::max_depth", vec![input.max_depth as u64]),
        ("paved_yaml::Limits::max_nodes", vec![input.max_nodes as u64]),
        ("paved_render::OUTPUT_LIMITS", vec![output.max_nodes as u64, output.max_depth as u64]),
        ("MAX_SNIPPET_LINE", vec![crate::report::MAX_SNIPPET_LINE as u64]),
        ("paved_jsonschema::MAX_QUOTED_CHARS", vec![paved_jsonschema::MAX_QUOTED_CHARS as u64]),
        ("paved_spec::limits::MAX_ANNOTATION_BYTES", vec![paved_spec::limits::MAX_ANNOTATION_BYTES as u64]),
        ("paved_spec::syntax::MAX_DURATION_SECONDS", vec![paved_spec::syntax::MAX_DURATION_SECONDS]),
        ("paved_spec::limits::MAX_FILES_BYTES", vec![paved_spec::limits::MAX_FILES_BYTES as u64]),
    ]
}

/// The numbers written in a cell, with digit groups (`1 048 576`) joined.
fn numbers(cell: &str) -> BTreeSet<u64> {
    let mut found = BTreeSet::new();
    let mut digits = String::new();
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
            // A space between two groups of digits is a thousands separator.
            if chars.peek() == Some(&' ') {
                let mut ahead = chars.clone();
                ahead.next();
                if ahead.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
            }
            continue;
        }
        if let Ok(n) = digits.parse() {
            found.insert(n);
        }
        digits.clear();
    }
    if let Ok(n) = digits.parse() {
        found.insert(n);
    }
    found
}

#[test]
fn every_limit_constant_matches_its_row_in_docs_limits_md() {
    let doc = include_str!("../../../docs/limits.md");
    let rows: Vec<Vec<&str>> = doc
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| limit ") && !l.starts_with("|---"))
        .map(|l| l.split(" | ").collect())
        .collect();
    let bounds = bounds();
    let mut problems = Vec::new();
    for (name, values) in &bounds {
        let token = format!("`{name}`");
        let matching: Vec<&Vec<&str>> = rows.iter().filter(|cells| cells.iter().any(|c| c.contains(&token))).collect();
        let [row] = matching.as_slice() else {
            problems.push(format!("{name}: named by {} rows of docs/limits.md, not one", matching.len()));
            continue;
        };
        let stated = numbers(row.get(1).copied().unwrap_or_default());
        for value in values {
            if !stated.contains(value) {
                problems.push(format!("{name} is {value}, but its row says {:?}", row.get(1)));
            }
        }
    }
    // A constant the table names must be one this test knows (and checks).
    for cells in &rows {
        for cell in cells {
            for token in cell.split('`').skip(1).step_by(2) {
                let constant = token.rsplit("::").next().unwrap_or(token);
                let looks_constant = constant.len() > 3 && constant.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                    || token.contains("Limits::");
                if looks_constant && !bounds.iter().any(|(name, _)| *name == token) {
                    problems.push(format!("docs/limits.md names `{token}`, which this test does not check"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "docs/limits.md and the code disagree:\n{}", problems.join("\n"));
}

#[test]
fn numbers_read_digit_groups() {
    assert_eq!(numbers("1 MiB (1 048 576 bytes)"), BTreeSet::from([1, 1_048_576]));
    assert_eq!(numbers("10 000 000, 128 levels deep"), BTreeSet::from([10_000_000, 128]));
}
