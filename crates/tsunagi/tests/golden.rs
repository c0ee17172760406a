//! Golden transcripts: every script under tests/golden (and every example) is run in a fresh
//! lab, its output masked as the recording was, and compared with what real Linux printed.
//!
//! Goldens that tsunagi does not match yet are listed in tests/golden/PENDING, one path a
//! line. They are still run: the test fails if a listed golden starts to match (take it off
//! the list) as well as if any other golden does not.
//!
//! `GOLDEN=substr` runs only the scripts whose path contains substr; `GOLDEN_SHOW=1` prints
//! each transcript; `GOLDEN_OUT=dir` writes each transcript to dir/<golden path>, so that
//! `diff -r tests/golden dir/tests/golden` shows what differs.

mod normalize;

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// (script, golden) pairs, relative to the repository root.
fn goldens(root: &Path) -> Vec<(String, String)> {
    let rel = |q: &Path| {
        q.strip_prefix(root)
            .expect("inside")
            .to_string_lossy()
            .into_owned()
    };
    let mut v = Vec::new();
    let mut stack = vec![root.join("tests/golden")];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "sh") && p.with_extension("out").exists() {
                v.push((rel(&p), rel(&p.with_extension("out"))));
            }
        }
    }
    if let Ok(rd) = std::fs::read_dir(root.join("examples")) {
        for e in rd.flatten() {
            let p = e.path();
            let Some(stem) = p.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
                continue;
            };
            let golden = format!("tests/golden/examples/{stem}.out");
            if p.extension().is_some_and(|x| x == "sh") && root.join(&golden).exists() {
                v.push((format!("examples/{stem}.sh"), golden));
            }
        }
    }
    v.sort();
    v
}

/// Runs one script as the recording did (absolute path, fresh empty working directory) and
/// returns the masked transcript.
fn transcript(root: &Path, script: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let abs = root.join(script);
    let (out, status) =
        tsunagi::run_to_string(0, tsunagi::Script::File(abs), dir.path().to_path_buf());
    let out = out.replace(&format!("{}/", root.display()), "");
    let status = status.map_or("none".to_string(), |s| s.to_string());
    format!("{}[exit {status}]\n", normalize::normalize(&out))
}

fn first_difference(want: &str, got: &str) -> String {
    for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
        if w != g {
            return format!("line {}:\n    want: {w}\n    got:  {g}", i + 1);
        }
    }
    format!(
        "want {} lines, got {} lines",
        want.lines().count(),
        got.lines().count()
    )
}

#[test]
fn goldens_match_real_linux() {
    let root = repo();
    let pending: Vec<String> = std::fs::read_to_string(root.join("tests/golden/PENDING"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let only = std::env::var("GOLDEN").ok();
    let all = goldens(&root);
    assert!(!all.is_empty(), "no goldens found");
    let mut failures = Vec::new();
    let (mut passed, mut still_pending) = (0, 0);
    for (script, golden) in &all {
        if only.as_deref().is_some_and(|o| !script.contains(o)) {
            continue;
        }
        let want = std::fs::read_to_string(root.join(golden)).expect("golden");
        let got = transcript(&root, script);
        if std::env::var_os("GOLDEN_SHOW").is_some() {
            println!("==> {script}\n{got}");
        }
        if let Some(dir) = std::env::var_os("GOLDEN_OUT") {
            let path = std::path::Path::new(&dir).join(golden);
            std::fs::create_dir_all(path.parent().expect("golden has a directory"))
                .expect("create GOLDEN_OUT directory");
            std::fs::write(&path, &got).expect("write GOLDEN_OUT transcript");
        }
        let is_pending = pending.iter().any(|p| p == script);
        match (want == got, is_pending) {
            (true, false) => passed += 1,
            (true, true) => failures.push(format!(
                "{script}: matches now; take it off tests/golden/PENDING"
            )),
            (false, false) => failures.push(format!("{script}: {}", first_difference(&want, &got))),
            (false, true) => still_pending += 1,
        }
    }
    println!(
        "goldens: {passed} matched, {still_pending} pending, {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "golden mismatches:\n{}",
        failures.join("\n")
    );
}
