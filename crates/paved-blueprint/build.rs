//! `include_dir!` cannot tell cargo which files it read on stable Rust: without
//! this, a new template, test case or version folder would not rebuild the
//! crate, and the binary would keep rendering with the old catalog.

fn main() {
    println!("cargo::rerun-if-changed=../../blueprints");
}
