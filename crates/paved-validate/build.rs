//! `include_dir!` cannot tell cargo which files it read on stable Rust, so without this a
//! re-vendored schema (scripts/vendor-schemas.sh) would not rebuild the crate and the binary
//! would keep validating against the old one.

fn main() {
    println!("cargo::rerun-if-changed=../../schemas/kubernetes");
    println!("cargo::rerun-if-changed=../../schemas/crds");
}
