//! The shell's golden transcripts (tests/golden/shell/*.sh, recorded from real bash 5.2 on
//! Debian 12) run by this crate alone: a lab with only the shell's programs, the script run
//! as `bash /abs/path` in a fresh empty directory, the repository prefix removed from
//! messages, `[exit N]` appended. Scripts that need programs of other crates (`ip`) are left
//! to the binary's golden test.

mod common;

use std::path::{Path, PathBuf};

/// Scripts this harness cannot run alone.
const NEEDS_OTHER_PROGRAMS: [&str; 2] = ["notfound.sh", "util-misc.sh"];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn transcript(root: &Path, script: &Path) -> String {
    let dir = common::scratch();
    let abs = script.to_string_lossy().into_owned();
    let (out, status) = common::run_argv(&["bash", &abs], &dir, b"");
    let _ = std::fs::remove_dir_all(&dir);
    let prefix = format!("{}/", root.to_string_lossy());
    format!("{}[exit {status}]\n", out.replace(&prefix, ""))
}

#[test]
fn shell_goldens_match_bash() {
    let root = repo().canonicalize().expect("repo root");
    let dir = root.join("tests/golden/shell");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut scripts: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sh") && p.with_extension("out").exists())
        .collect();
    scripts.sort();
    let only = std::env::var("GOLDEN").ok();
    let mut failures = Vec::new();
    let mut passed = 0;
    for s in &scripts {
        let name = s
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if NEEDS_OTHER_PROGRAMS.contains(&name.as_str()) {
            continue;
        }
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let want = std::fs::read_to_string(s.with_extension("out")).expect("golden");
        let got = transcript(&root, s);
        if want == got {
            passed += 1;
        } else {
            let mut diff = String::new();
            for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
                if w != g {
                    diff = format!("line {}:\n    want: {w}\n    got:  {g}", i + 1);
                    break;
                }
            }
            if diff.is_empty() {
                diff = format!(
                    "want {} lines, got {}",
                    want.lines().count(),
                    got.lines().count()
                );
            }
            if std::env::var_os("GOLDEN_SHOW").is_some() {
                println!("==> {name}\n{got}");
            }
            failures.push(format!("{name}: {diff}"));
        }
    }
    println!("shell goldens: {passed} matched, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "golden mismatches:\n{}",
        failures.join("\n")
    );
}
