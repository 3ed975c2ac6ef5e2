//! Any bytes as an app file: parsing, validation and, for a valid app,
//! rendering in every environment with the checks of the property test
//! (`crates/paved-render/tests/support/pipeline.rs`). A finding is fine; a
//! panic, a hang or an invalid rendered object is a bug.

#![no_main]

#[path = "../../crates/paved-render/tests/support/pipeline.rs"]
mod pipeline;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pipeline::check_app(text);
    }
});
