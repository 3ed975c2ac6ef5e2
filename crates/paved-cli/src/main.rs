//! The `paved` binary: all behaviour lives in the `paved_cli` library.

use std::process::ExitCode;

// Rendering allocates many small, short-lived values on every thread; glibc's
// allocator spent a quarter of a large render's time in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    paved_cli::main()
}
