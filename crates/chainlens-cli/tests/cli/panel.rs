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

/// `evaluate --format json` per regional chain: `region`, `chain`, `year`, `index`,
/// `grade`, each indicator's value with its origin, roll-ups by output; a derived value
/// replaces a given one unless `given_overrides_derived`; warnings name the chain.
#[test]
fn evaluate_lists_regional_chains_with_the_origin_of_each_value() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let file = indicators(&dir);
    let text = std::fs::read_to_string(&file).unwrap();
    let mut rows = vec!["region,chain,year,indicator,value,source,imputed".to_owned()];
    for line in text.lines().skip(1) {
        if line.starts_with("hangzhou,2020,D211,") {
            continue; // imputed for both of Hangzhou's chains
        }
        let (region, rest) = line.split_once(',').unwrap();
        rows.push(format!("{region},,{rest}"));
    }
    for year in 2018..=2023 {
        rows.push(format!("hangzhou,nev,{year},D311,0.06,test,false"));
        rows.push(format!("hangzhou,optical,{year},D311,0.03,test,false"));
    }
    std::fs::write(&file, rows.join("\n") + "\n").unwrap();
    let d = dir.to_str().unwrap();

    let o = run(&["validate", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("`D211` of chain `nev` of region `hangzhou` has no value in 2020 (interpolated): imputed"),
        "{err}"
    );

    let evaluate = || -> serde_json::Value {
        let o = run(&["evaluate", d, "--format", "json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let score = |e: &serde_json::Value, chain: &str, year: i64| -> serde_json::Value {
        e["scores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["region"] == "hangzhou" && s["chain"] == chain && s["year"] == year)
            .unwrap_or_else(|| panic!("hangzhou/{chain} {year}"))
            .clone()
    };
    let e = evaluate();
    // Hangzhou's two chains and the ten other cities as wholes, six years each.
    assert_eq!(e["scores"].as_array().unwrap().len(), 12 * 6);
    let nev = score(&e, "nev", 2023);
    for key in ["region", "chain", "year", "index", "grade"] {
        assert!(!nev[key].is_null(), "{key}: {nev}");
    }
    assert_eq!(nev["values"]["D311"]["value"], 0.06);
    assert_eq!(nev["values"]["D311"]["origin"], "given");
    assert_eq!(score(&e, "optical", 2023)["values"]["D311"]["value"], 0.03);
    assert_eq!(
        score(&e, "nev", 2020)["values"]["D211"]["origin"],
        "imputed"
    );
    // The example keeps its typed D111 (given_overrides_derived = true).
    assert_eq!(nev["values"]["D111"]["origin"], "given");
    let rollups = &e["rollups"];
    assert_eq!(rollups["weighting"], "output");
    let hz = rollups["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "hangzhou" && r["year"] == 2023)
        .unwrap();
    assert_eq!(hz["units"], 2);
    let (a, b) = (
        nev["index"].as_f64().unwrap(),
        score(&e, "optical", 2023)["index"].as_f64().unwrap(),
    );
    let r = hz["index"].as_f64().unwrap();
    assert!(r > a.min(b) - 1e-12 && r < a.max(b) + 1e-12, "{r} {a} {b}");

    // Without the setting, the supply network's D111 of the chain in the region is used.
    let toml = dir.join("chainlens.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    assert!(config.contains("given_overrides_derived = true"));
    std::fs::write(
        &toml,
        config.replace(
            "given_overrides_derived = true",
            "given_overrides_derived = false",
        ),
    )
    .unwrap();
    let e = evaluate();
    let nev = score(&e, "nev", 2023);
    assert_eq!(nev["values"]["D111"]["origin"], "derived");
    assert_eq!(score(&e, "nev", 2022)["values"]["D111"]["origin"], "given");
}

/// With an `enterprise_years` table, D212 (output per employee) is derived for every
/// year: for a region as a whole, the mean over its chains of Σ output / Σ employees of
/// the region's enterprises serving the chain — recomputed here from the CSV.
#[test]
fn indicators_are_derived_from_enterprise_years_for_every_year() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let enterprises = std::fs::read_to_string(dir.join("data/enterprises.csv")).unwrap();
    let mut lines = enterprises.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (id, region, stages, output, employees) = (
        col("id"),
        col("region"),
        col("stages"),
        col("output"),
        col("employees"),
    );
    let mut csv = String::from("enterprise,year,output,employees\n");
    // chain → (Σ output, Σ employees) of Hangzhou's enterprises, per year.
    let mut hangzhou: std::collections::BTreeMap<(String, i32), (f64, f64)> =
        std::collections::BTreeMap::new();
    for line in lines {
        let c: Vec<&str> = line.split(',').collect();
        let (Ok(out), Ok(emp)) = (c[output].parse::<f64>(), c[employees].parse::<f64>()) else {
            continue;
        };
        let mut chains: Vec<&str> = c[stages]
            .split(';')
            .filter_map(|s| s.split_once('/').map(|(chain, _)| chain))
            .collect();
        chains.sort_unstable();
        chains.dedup();
        for year in 2018..=2023 {
            let o = out * (1.0 + 0.05 * f64::from(year - 2023));
            csv.push_str(&format!("{},{year},{o},{emp}\n", c[id]));
            if c[region] == "hangzhou" {
                for chain in &chains {
                    let e = hangzhou.entry(((*chain).to_owned(), year)).or_default();
                    e.0 += o;
                    e.1 += emp;
                }
            }
        }
    }
    std::fs::write(dir.join("data/enterprise_years.csv"), csv).unwrap();
    let toml = dir.join("chainlens.toml");
    let config = std::fs::read_to_string(&toml)
        .unwrap()
        .replace(
            "risks = \"data/risks.csv\"",
            "enterprise_years = \"data/enterprise_years.csv\"\nrisks = \"data/risks.csv\"",
        )
        .replace(
            "given_overrides_derived = true",
            "given_overrides_derived = false\noutliers = { method = \"none\" }",
        );
    std::fs::write(&toml, config).unwrap();
    let d = dir.to_str().unwrap();
    let o = run(&["validate", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["evaluate", d, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for year in 2018..=2023 {
        let s = e["scores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["region"] == "hangzhou" && s["year"] == year)
            .unwrap();
        let rates: Vec<f64> = hangzhou
            .iter()
            .filter(|((_, y), _)| *y == year)
            .map(|(_, (o, e))| o / e)
            .collect();
        let want = rates.iter().sum::<f64>() / rates.len() as f64;
        let got = &s["values"]["D212"];
        assert_eq!(got["origin"], "derived", "{year}");
        let got = got["value"].as_f64().unwrap();
        assert!((got - want).abs() <= 1e-9 * want, "{year}: {got} vs {want}");
        // No value added in the table: D211 stays as given.
        assert_eq!(s["values"]["D211"]["origin"], "given", "{year}");
    }
}
