//! The indicators table against the indicator system: `validate` locates every kind of
//! panel error, and whatever `validate` accepts, `evaluate` computes.

use crate::common::*;
use std::path::{Path, PathBuf};

fn indicators(dir: &Path) -> PathBuf {
    dir.join("data/indicators.csv")
}

fn remove_lines(path: &Path, lines: &[usize]) {
    let text = std::fs::read_to_string(path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, _)| !lines.contains(&(i + 1)))
        .map(|(_, l)| l)
        .collect();
    std::fs::write(path, kept.join("\n") + "\n").unwrap();
}

#[test]
fn validate_locates_unknown_codes_and_impossible_values() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let file = indicators(&dir);
    set_line(&file, 2, "hangzhou,2018,d111,0.7421,synthetic,false");
    set_line(&file, 3, "hangzhou,2018,D112,1.2,synthetic,false");
    set_line(&file, 12, "hangzhou,2018,D321,-4,synthetic,false");
    set_line(&file, 19, "hangzhou,2018,D999,1,synthetic,false");
    let o = run(&["validate", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let at = |row: usize, column: usize| format!("{}:{row}:{column}: ", file.display());
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 5, "{err}");
    assert_eq!(
        lines[0],
        format!(
            "{}value: `D112`: 1.2 is outside [0, 1], impossible for a share (a percentage? divide by 100)",
            at(3, 4)
        )
    );
    assert_eq!(
        lines[1],
        format!(
            "{}value: `D321`: -4 is negative, impossible for days",
            at(12, 4)
        )
    );
    assert!(
        lines[2].starts_with(&format!(
            "{}indicator: `d111` is not an indicator of the system (D111, D112,",
            at(2, 3)
        )) && lines[2].ends_with("(did you mean `D111`?)"),
        "{err}"
    );
    assert!(
        lines[3].starts_with(&format!(
            "{}indicator: `D999` is not an indicator",
            at(19, 3)
        )) && !lines[3].contains("did you mean"),
        "{err}"
    );
    assert_eq!(lines[4], "4 problems found");

    let o = run(&["validate", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["problems"][2]["suggestion"], "D111");
    assert_eq!(v["problems"][2]["row"], 2);
}

#[test]
fn validate_locates_years_outside_the_workspace_and_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let file = indicators(&dir);
    set_line(&file, 2, "hangzhou,2030,D111,0.7421,synthetic,false");
    set_line(&file, 4, "hangzhou,2018,D112,0.8,synthetic,false");
    let o = run(&["validate", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let f = file.display();
    assert!(
        err.contains(&format!("{f}:2:2: year: year 2030 is outside 2018–2023")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{f}:4:3: indicator: `D112` for `hangzhou` in 2018 is given twice"
        )),
        "{err}"
    );
}

/// Each edge case `validate` accepts (with or without warnings) is evaluated; the one it
/// refuses is refused by `evaluate` too, for the same reason.
#[test]
fn what_validate_accepts_evaluate_computes() {
    type Edit = fn(&Path);
    let accepted: [(&str, Edit); 4] = [
        ("missing values (imputed)", |f| remove_lines(f, &[24, 150])),
        ("shares at their bounds", |f| {
            set_line(f, 2, "hangzhou,2018,D111,0,synthetic,false");
            set_line(f, 3, "hangzhou,2018,D112,1,synthetic,false");
        }),
        ("a series outside the system", |f| {
            set_line(f, 19, "hangzhou,2018,my_series,-5,synthetic,false")
        }),
        ("an indicator marked imputed", |f| {
            set_line(f, 6, "hangzhou,2018,D211,0.2988,synthetic,true")
        }),
    ];
    for (case, edit) in accepted {
        let tmp = tempfile::tempdir().unwrap();
        let dir = copy_example(tmp.path());
        edit(&indicators(&dir));
        let d = dir.to_str().unwrap();
        let o = run(&["validate", d]);
        assert!(o.status.success(), "{case}: {}", stderr(&o));
        if case.starts_with("missing") {
            let err = stderr(&o);
            assert!(
                err.contains("warning: ")
                    && err.contains(
                        "indicator: `D211` of region `hangzhou` has no value in 2019 (interpolated): imputed"
                    ),
                "{err}"
            );
        }
        let o = run(&["evaluate", d, "--format", "json"]);
        assert!(o.status.success(), "{case}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["scores"].as_array().unwrap().len(), 66, "{case}");
    }

    // Refused: a constant indicator cannot be normalised; validate says so before run.
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let file = indicators(&dir);
    let text = std::fs::read_to_string(&file).unwrap();
    let constant: Vec<String> = text
        .lines()
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            if c[2] == "D211" {
                format!("{},{},D211,0.3,{},{}", c[0], c[1], c[4], c[5])
            } else {
                l.to_owned()
            }
        })
        .collect();
    std::fs::write(&file, constant.join("\n") + "\n").unwrap();
    let d = dir.to_str().unwrap();
    let o = run(&["validate", d]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{}: the resilience index cannot be computed:",
            file.display()
        )) && err.contains("D211"),
        "{err}"
    );
    assert_eq!(run(&["evaluate", d]).status.code(), Some(1));
}
