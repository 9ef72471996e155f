//! Replacing a data file over HTTP: validated exactly as `chainlens import` validates it
//! (the same problem lines), nothing changed when invalid, imported when valid.

use crate::common::{Server, request};
use chainlens_data::store::Store;
use chainlens_data::store::tokens::Role;

fn put(s: &Server, token: &str, file: &str, body: &[u8]) -> crate::common::Response {
    request(
        s.addr,
        "PUT",
        &format!("/api/workspaces/zhejiang/data/{file}"),
        Some(token),
        body,
    )
}

#[test]
fn an_invalid_file_answers_the_cli_problems_and_changes_nothing() {
    let s = Server::start_light("zhejiang");
    let admin = s.token("zhejiang", Role::Admin, "admin");
    let path = s.dir("zhejiang").join("data/enterprises.csv");
    let original = std::fs::read_to_string(&path).unwrap();
    let imports_before = Store::open(&s.dir("zhejiang").join("chainlens.db"))
        .unwrap()
        .last_import()
        .unwrap()
        .unwrap();
    // Row 3 (e002) gets an unknown region, row 4 (e003) a word for its employees.
    let bad: String = original
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            2 => l.replacen(",ningbo,", ",nowhere,", 1) + "\n",
            3 => l.replacen(",1163,", ",many,", 1) + "\n",
            _ => format!("{l}\n"),
        })
        .collect();
    let r = put(&s, &admin, "enterprises.csv", bad.as_bytes());
    assert_eq!(r.status, 400, "{}", r.text());
    let body = r.json();
    // What `chainlens import` prints for this file, relative to the workspace (the CLI
    // puts the workspace folder it was given in front).
    assert_eq!(
        body["problems"],
        serde_json::json!([
            "data/enterprises.csv:4:9: employees: `many` is not a number",
            "data/enterprises.csv:3:3: region: unknown region `nowhere`",
        ])
    );
    assert_eq!(body["error"], "2 problems found");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    let store = Store::open(&s.dir("zhejiang").join("chainlens.db")).unwrap();
    assert_eq!(store.last_import().unwrap().unwrap(), imports_before);
    assert!(
        std::fs::read_dir(s.dir("zhejiang")).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("upload")),
        "no scratch folder left behind"
    );
}

#[test]
fn a_valid_file_is_replaced_and_imported() {
    let s = Server::start_light("zhejiang");
    let admin = s.token("zhejiang", Role::Admin, "admin");
    let path = s.dir("zhejiang").join("data/enterprises.csv");
    let renamed = std::fs::read_to_string(&path).unwrap().replacen(
        "Ningbo Xinneng Special Steel Co.",
        "Ningbo New Steel Co.",
        1,
    );
    let r = put(&s, &admin, "enterprises.csv", renamed.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["counts"]["enterprises"], 258);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), renamed);
    let first = s
        .get("/api/workspaces/zhejiang/enterprises?limit=1", &admin)
        .json();
    assert_eq!(first["items"][0]["name"], "Ningbo New Steel Co.");
    let store = Store::open(&s.dir("zhejiang").join("chainlens.db")).unwrap();
    let stored = store.load_dataset().unwrap();
    assert_eq!(stored.enterprises[0].name, "Ningbo New Steel Co.");

    assert_eq!(put(&s, &admin, "nothing.csv", b"id\n").status, 404);
    // Larger than the 32 MiB upload limit.
    let huge = vec![b'a'; (32 << 20) + 1];
    assert_eq!(put(&s, &admin, "enterprises.csv", &huge).status, 413);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), renamed);
}

/// A workspace's `[limits] max_upload_bytes` holds for its uploads: a larger body answers
/// 413 naming the limit and how to raise it, and the file is not touched.
#[test]
fn the_workspace_upload_limit_holds() {
    let s = Server::start_light_toml("zhejiang", "\n[limits]\nmax_upload_bytes = 1000\n");
    let admin = s.token("zhejiang", Role::Admin, "Ada");
    let path = s.dir("zhejiang").join("data/risks.csv");
    let before = std::fs::read_to_string(&path).unwrap();
    let r = put(&s, &admin, "risks.csv", &vec![b'a'; 1001]);
    assert_eq!(r.status, 413, "{}", r.text());
    let error = r.json()["error"].as_str().unwrap().to_owned();
    assert!(
        error.contains("max_upload_bytes = 1000") && error.contains("[limits]"),
        "{error}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}
