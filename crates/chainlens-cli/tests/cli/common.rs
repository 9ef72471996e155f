//! Running the binary and copying the bundled example into a scratch folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn chainlens() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chainlens"));
    c.env_remove("CHAINLENS_PROGRESS");
    c
}

pub fn run(args: &[&str]) -> Output {
    chainlens().args(args).output().expect("the binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The repository's bundled example workspace.
pub fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/zhejiang")
}

/// Copies the example's configuration and tables (not its store or outputs) into `to`.
pub fn copy_example(to: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            let n = name.to_string_lossy();
            if n == "out" || n.starts_with("chainlens.db") {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(&name));
            } else {
                std::fs::copy(entry.path(), to.join(&name)).unwrap();
            }
        }
    }
    let dir = to.join("zhejiang");
    copy(&example(), &dir);
    dir
}

/// Replaces the `n`-th (1-based) line of a file.
pub fn set_line(path: &Path, n: usize, line: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[n - 1] = line;
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

pub fn line(path: &Path, n: usize) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .nth(n - 1)
        .unwrap()
        .to_owned()
}
