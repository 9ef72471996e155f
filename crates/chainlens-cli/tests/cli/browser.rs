//! The report in a real browser: Debian's headless Chromium loads `report.en.html` and
//! `report.zh.html` from `chainlens run` with no console message, renders the whole
//! document and takes a screenshot. Skipped (saying so) where Chromium is not installed;
//! `.ci/run` installs it.

use crate::common::*;
use std::path::Path;
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium(profile: &Path, extra: &[&str], page: &Path) -> std::process::Output {
    Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

#[test]
fn the_report_loads_in_headless_chromium_without_console_messages() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("skipped: {CHROMIUM} not installed (apt-get install chromium)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    assert!(run(&["run", dir.to_str().unwrap()]).status.success());
    for lang in ["en", "zh"] {
        let page = dir.join(format!("out/report.{lang}.html"));
        let o = chromium(
            &tmp.path().join(format!("profile-dom-{lang}")),
            &["--dump-dom"],
            &page,
        );
        let dom = String::from_utf8_lossy(&o.stdout);
        let log = String::from_utf8_lossy(&o.stderr);
        assert!(
            dom.trim_end().ends_with("</html>"),
            "{lang}: the page did not render\n{log}"
        );
        for id in [
            "overview",
            "chains",
            "linkage",
            "resilience",
            "risk",
            "scenarios",
            "measures",
        ] {
            assert!(
                dom.contains(&format!("id=\"{id}\"")),
                "{lang}: section {id} missing"
            );
        }
        let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
        assert!(
            console.is_empty(),
            "{lang}: console messages:\n{}",
            console.join("\n")
        );

        let png = tmp.path().join(format!("report-{lang}.png"));
        let shot = format!("--screenshot={}", png.display());
        chromium(
            &tmp.path().join(format!("profile-shot-{lang}")),
            &[&shot, "--window-size=1280,3000"],
            &page,
        );
        let bytes = std::fs::read(&png).expect("a screenshot was written");
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 50_000,
            "{lang}: a blank screenshot?"
        );
    }
}
