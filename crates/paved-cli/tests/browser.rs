//! `paved report` in a real browser: headless Chromium (Debian's package,
//! installed by `scripts/install-chromium`) opens the page and takes a
//! screenshot, and the test checks that the page rendered: the screenshot is
//! not blank, the call graph is drawn (its team boxes and external hosts, by
//! their fill colours, cover a fair area), and the console stays silent (the
//! page runs no script, so any message is an error: a blocked load, a style the
//! policy refused). A control page with a script error shows the console is read.
//!
//! Without Chromium, and no way to install it (not root, no apt), the test is
//! skipped with a message, except under CI, where it fails.
//! `PAVED_UPDATE_SCREENSHOT=1` copies the screenshot to `docs/report.png`.

// A skipped test says so on stderr, where the test runner shows it.
#![allow(clippy::print_stderr)]

mod common;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Chromium: `PAVED_CHROMIUM`, else what the install script prints.
fn chromium(test: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PAVED_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let output = Command::new(common::root().join("scripts/install-chromium")).stderr(Stdio::inherit()).output();
    match output {
        Ok(output) if output.status.success() => Some(PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run {test}: Chromium is missing and scripts/install-chromium could not install it"
            );
            eprintln!("SKIPPED {test}: no Chromium (scripts/install-chromium could not install it)");
            None
        }
    }
}

/// What one visit printed: the browser's version and every console message of the page.
struct Visit {
    console: Vec<String>,
}

/// How long a page may take: Chromium starts in about a second; a shared CI machine may
/// be slower, but not this slow.
const PATIENCE: Duration = Duration::from_secs(120);

/// Open `page` in headless Chromium and write its screenshot to `png`.
fn visit(chromium: &Path, page: &Path, png: &Path) -> Visit {
    let profile = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(chromium)
        // Flags the machine's closed network needs (no background connections), and a
        // fresh profile, so nothing from another run is reused.
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1400,1400",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("chromium took more than {PATIENCE:?} for {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let log = reader.join().expect("stderr read");
    assert!(status.success(), "chromium failed ({status}):\n{log}");
    // `[pid:tid:time:INFO:CONSOLE:12] "message", source: file:///…/index.html (12)`
    let console = log.lines().filter(|l| l.contains(":CONSOLE")).map(str::to_owned).collect();
    Visit { console }
}

/// The screenshot as RGB pixels, with its width and height.
fn pixels(png: &Path) -> (Vec<[u8; 3]>, u32, u32) {
    let bytes = std::fs::read(png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected colour type {other:?}"),
    };
    let data = &buf[..info.buffer_size()];
    let out = data.chunks_exact(channels).map(|p| [p[0], p[1], p[2]]).collect();
    (out, info.width, info.height)
}

/// How many pixels are within a few levels of `colour` (anti-aliasing aside).
fn count(pixels: &[[u8; 3]], colour: [u8; 3]) -> usize {
    pixels.iter().filter(|p| p.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 2)).count()
}

/// The fill of a team's box and of an external host's (`paved-render/src/graph/svg.rs`).
const TEAM_FILL: [u8; 3] = [0xeb, 0xf4, 0xff];
const EXTERNAL_FILL: [u8; 3] = [0xff, 0xfa, 0xf0];

#[test]
fn the_report_renders_in_chromium() {
    let Some(chromium) = chromium("the_report_renders_in_chromium") else { return };
    let version = Command::new(&chromium).arg("--version").output().expect("chromium --version");
    eprintln!("browser: {}", String::from_utf8_lossy(&version.stdout).trim());
    let tmp = tempfile::tempdir().expect("tempdir");

    // The control: a page whose script fails must show in the console.
    let control = tmp.path().join("control.html");
    std::fs::write(&control, "<!DOCTYPE html><p>control</p><script>console.error('control'); missing();</script>\n")
        .expect("write");
    let visit_control = visit(&chromium, &control, &tmp.path().join("control.png"));
    assert!(
        visit_control.console.iter().any(|l| l.contains("missing is not defined")),
        "the console is not read: {:?}",
        visit_control.console
    );

    let out = tmp.path().join("report");
    let result = common::paved()
        .args(["--lock", "paved.lock", "report", "examples", "--out"])
        .arg(&out)
        .output()
        .expect("paved runs");
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let page = out.join("index.html");
    let png = tmp.path().join("report.png");
    let report = visit(&chromium, &page, &png);
    assert!(report.console.is_empty(), "the page logged to the console:\n{}", report.console.join("\n"));

    let (pixels, width, height) = pixels(&png);
    assert_eq!((width, height), (1400, 1400), "the screenshot is the window");
    let white = count(&pixels, [0xff, 0xff, 0xff]);
    let inked = pixels.len() - white;
    assert!(inked * 20 > pixels.len(), "the page is blank: {inked} of {} pixels are not white", pixels.len());
    let mut colours: Vec<[u8; 3]> = pixels.clone();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 50, "the page is flat: {} colours", colours.len());
    // The examples' dev graph: a box for team payments (six rows) and one for team web,
    // and three external hosts; each box is tens of thousands of pixels.
    let (teams, externals) = (count(&pixels, TEAM_FILL), count(&pixels, EXTERNAL_FILL));
    eprintln!(
        "screenshot: {inked} of {} pixels inked, {} colours; {teams} pixels of team boxes, {externals} of external hosts",
        pixels.len(),
        colours.len()
    );
    assert!(teams > 20_000, "the call graph is not drawn: {teams} pixels of the team boxes' fill");
    assert!(externals > 1_000, "the external hosts are not drawn: {externals} pixels of their fill");

    if std::env::var_os("PAVED_UPDATE_SCREENSHOT").is_some() {
        std::fs::copy(&png, common::root().join("docs/report.png")).expect("copy the screenshot");
    }
}
