//! Hard limits (docs/limits.md): refused at once, with one short message naming the limit
//! and how to raise it; `[limits]` raises them and is validated; files that are not
//! regular files are named for what they are.

use crate::fixtures::{edit, write_workspace};
use chainlens_data::Error;
use chainlens_data::workspace::Workspace;
use std::time::{Duration, Instant};

fn problems(dir: &std::path::Path) -> Vec<String> {
    match Workspace::load(dir) {
        Ok(_) => Vec::new(),
        Err(Error::Invalid { problems }) => problems.iter().map(ToString::to_string).collect(),
        Err(other) => vec![format!("not a data problem: {other}")],
    }
}

#[test]
fn a_16_mib_file_without_a_newline_is_refused_fast_with_a_short_message() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    // A header row of one 16 MiB "column name".
    std::fs::write(dir.join("data/risks.csv"), vec![b'x'; 16 << 20]).unwrap();
    let start = Instant::now();
    let p = problems(&dir);
    let took = start.elapsed();
    assert_eq!(
        p,
        vec![
            "data/risks.csv:1: line 1 is longer than the limit max_line_bytes = 1048576 bytes; \
             raise it in chainlens.toml: [limits] max_line_bytes = …"
        ]
    );
    // Reading stops after 1 MiB and a chunk; the whole load takes milliseconds.
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

#[test]
fn a_hundred_thousand_columns_give_one_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    let header: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    std::fs::write(
        dir.join("data/risks.csv"),
        format!("{}\n{}\n", header.join(","), vec!["1"; 100_000].join(",")),
    )
    .unwrap();
    assert_eq!(
        problems(&dir),
        vec![
            "data/risks.csv:1: the number of columns (100000) is more than the limit \
             max_columns = 1000; raise it in chainlens.toml: [limits] max_columns = …"
        ]
    );
}

#[test]
fn limits_are_raised_or_lowered_in_chainlens_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    assert!(problems(&dir).is_empty());
    // Lowered: the header of supply_links is longer than 80 bytes.
    std::fs::write(
        dir.join("chainlens.toml"),
        format!(
            "{}\n[limits]\nmax_line_bytes = 80\n",
            crate::fixtures::CONFIG
        ),
    )
    .unwrap();
    let p = problems(&dir);
    assert!(
        p.contains(
            &"data/supply_links.csv:1: line 1 is longer than the limit max_line_bytes = 80 bytes; \
              raise it in chainlens.toml: [limits] max_line_bytes = …"
                .to_owned()
        ),
        "{p:?}"
    );
    edit(
        &dir,
        "chainlens.toml",
        "max_line_bytes = 80",
        "max_field_bytes = 14",
    );
    let p = problems(&dir);
    assert!(
        p.contains(
            &"data/enterprises.csv:2:5: the cell (15 bytes) is more than the limit \
              max_field_bytes = 14 bytes; raise it in chainlens.toml: [limits] max_field_bytes = …"
                .to_owned()
        ),
        "{p:?}"
    );
    edit(
        &dir,
        "chainlens.toml",
        "max_field_bytes = 14",
        "max_field_bytes = 1000000",
    );
    assert!(problems(&dir).is_empty());
    let ws = Workspace::load(&dir).unwrap();
    assert_eq!(ws.config.limits.max_field_bytes, 1_000_000);
    assert_eq!(ws.config.limits.max_days, 36_525);
}

#[test]
fn a_bad_limits_section_is_a_validation_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    std::fs::write(
        dir.join("chainlens.toml"),
        format!("{}\n[limits]\nmax_dayz = 100\n", crate::fixtures::CONFIG),
    )
    .unwrap();
    let p = problems(&dir);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("chainlens.toml:limits: unknown field `max_dayz`, expected one of"),
        "{p:?}"
    );
    edit(&dir, "chainlens.toml", "max_dayz = 100", "max_days = 0");
    assert_eq!(
        problems(&dir),
        vec!["chainlens.toml:limits: max_days = 0 would refuse every input: give a positive value"]
    );
}

#[test]
fn a_file_too_large_is_refused_from_its_size_before_it_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    std::fs::write(
        dir.join("chainlens.toml"),
        format!(
            "{}\n[limits]\nmax_table_bytes = 100\n",
            crate::fixtures::CONFIG
        ),
    )
    .unwrap();
    let p = problems(&dir);
    assert!(
        p.contains(
            &"data/enterprises.csv: the file (320 bytes) is more than the limit \
              max_table_bytes = 100 bytes; raise it in chainlens.toml: [limits] max_table_bytes = …"
                .to_owned()
        ),
        "{p:?}"
    );
}

#[test]
fn echoed_values_are_cut_to_80_characters() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    let long = "h".repeat(5000);
    edit(
        &dir,
        "data/enterprises.csv",
        "e1,Futong Preform,hangzhou",
        &format!("e1,Futong Preform,{long}"),
    );
    edit(&dir, "data/risks.csv", "measures", &"m".repeat(3000));
    let p = problems(&dir);
    assert!(!p.is_empty());
    for line in &p {
        assert!(line.len() < 400, "{line}");
    }
    let cut = format!("{}…", "h".repeat(79));
    assert!(
        p.iter()
            .any(|l| l.contains(&format!("unknown region `{cut}`"))),
        "{p:?}"
    );
    let cut = format!("{}…", "m".repeat(79));
    assert!(
        p.iter()
            .any(|l| l.starts_with(&format!("data/risks.csv:1:7: {cut}: unknown column"))),
        "{p:?}"
    );
}

#[cfg(unix)]
#[test]
fn fifos_and_symbolic_link_loops_are_named_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    let risks = dir.join("data/risks.csv");
    std::fs::remove_file(&risks).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&risks).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped the FIFO case: mkfifo is not available");
    } else {
        // Reading a FIFO would block for ever: it must not be opened.
        assert_eq!(
            problems(&dir),
            vec![
                "chainlens.toml:tables.risks: file `data/risks.csv` is a named pipe (FIFO), not a regular file"
            ]
        );
        std::fs::remove_file(&risks).unwrap();
    }
    std::os::unix::fs::symlink("risks.csv", &risks).unwrap();
    assert_eq!(
        problems(&dir),
        vec![
            "chainlens.toml:tables.risks: file `data/risks.csv` is a symbolic link loop (following it leads back to itself)"
        ]
    );
    std::fs::remove_file(&risks).unwrap();
    std::os::unix::fs::symlink("gone.csv", &risks).unwrap();
    assert_eq!(
        problems(&dir),
        vec![
            "chainlens.toml:tables.risks: file `data/risks.csv` is a symbolic link to `gone.csv`, which does not exist"
        ]
    );
    std::fs::remove_file(&risks).unwrap();
    std::fs::create_dir(&risks).unwrap();
    assert_eq!(
        problems(&dir),
        vec!["chainlens.toml:tables.risks: file `data/risks.csv` is a folder, not a file"]
    );
}
