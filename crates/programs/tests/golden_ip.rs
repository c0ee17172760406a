//! Component tests: the golden transcripts of real Linux that only use `ip`, `sysctl` and
//! `echo "status $?"`, replayed command by command in a lab (no shell needed), masked as the
//! recording was, and compared byte for byte.
//!
//! `GOLDEN_IP_SHOW=1` prints every transcript; `GOLDEN_IP=name` runs only matching scripts;
//! `GOLDEN_IP_SCRIPT=path` just runs that script and prints its transcript.

#[path = "../../tsunagi/tests/normalize/mod.rs"]
mod normalize;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use tsunagi_lab::{
    Duration, FileRef, Lab, LabConfig, LocalBoxFuture, OpenFile, Proc, SpawnSpec, TerminalSink,
};

#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl TerminalSink for Sink {
    fn write(&self, _err: bool, data: &[u8]) {
        self.0.borrow_mut().extend_from_slice(data);
    }
}

fn prog_true(_p: Proc) -> LocalBoxFuture<i32> {
    Box::pin(async { 0 })
}

fn prog_false(_p: Proc) -> LocalBoxFuture<i32> {
    Box::pin(async { 1 })
}

/// `sleep N` (fractions allowed).
fn prog_sleep(p: Proc) -> LocalBoxFuture<i32> {
    Box::pin(async move {
        let secs: f64 = p.argv.get(1).and_then(|s| s.parse().ok()).unwrap_or(0.0);
        p.sleep(Duration::from_nanos((secs * 1e9) as u64)).await;
        0
    })
}

/// `sh -c 'exit N'`, the only form the goldens use.
fn prog_sh(p: Proc) -> LocalBoxFuture<i32> {
    Box::pin(async move {
        let cmd = p.argv.get(2).cloned().unwrap_or_default();
        cmd.strip_prefix("exit ")
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    })
}

/// Splits a command line into words: spaces separate, quotes group.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut q: Option<char> = None;
    for c in line.chars() {
        match (q, c) {
            (Some(open), c) if c == open => q = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                q = Some(c);
                in_word = true;
            }
            (None, ' ' | '\t') => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// True if the mini runner below can run every line of `script`.
fn supported(script: &str) -> bool {
    script.lines().all(|l| {
        let l = l.trim();
        l.is_empty()
            || l.starts_with('#')
            || (!l.contains('|')
                && !l.contains('&')
                && !l.contains("$$")
                && !l.starts_with("for ")
                && !l.starts_with("cat ")
                && !l.contains(" > "))
    })
}

/// Runs `script` line by line in a fresh lab; returns the transcript as the goldens have it.
fn run(script: &str, cwd: &Path) -> String {
    let sink = Sink::default();
    let lab = Lab::new(LabConfig {
        seed: 0,
        sink: Box::new(sink.clone()),
        input: None,
    });
    tsunagi_programs::register(&lab);
    lab.register("true", prog_true);
    lab.register("false", prog_false);
    lab.register("sleep", prog_sleep);
    lab.register("sh", prog_sh);
    // The recording's root namespace has lo up.
    let up = lab
        .spawn_on_terminal(
            vec![
                "ip".into(),
                "link".into(),
                "set".into(),
                "lo".into(),
                "up".into(),
            ],
            cwd.to_path_buf(),
        )
        .expect("ip");
    lab.run_until_exit(up);
    sink.0.borrow_mut().clear();
    let mut status = 0;
    for line in script.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut argv = words(line);
        if argv[0] == "echo" {
            let text = argv[1..].join(" ").replace("$?", &status.to_string());
            sink.0
                .borrow_mut()
                .extend_from_slice(format!("{text}\n").as_bytes());
            status = 0;
            continue;
        }
        let mut quiet = false;
        if argv.last().is_some_and(|a| a == ">/dev/null") {
            argv.pop();
            quiet = true;
        }
        let t = lab.terminal().clone();
        let mut fds: BTreeMap<u32, FileRef> = BTreeMap::new();
        fds.insert(0, Rc::new(OpenFile::Null));
        fds.insert(
            1,
            if quiet {
                Rc::new(OpenFile::Null)
            } else {
                Rc::new(OpenFile::TermOut(t.clone()))
            },
        );
        fds.insert(2, Rc::new(OpenFile::TermErr(t)));
        let spec = SpawnSpec {
            argv: argv.clone(),
            env: BTreeMap::new(),
            cwd: cwd.to_path_buf(),
            netns: lab.sys().root_ns(),
            fds,
            pgid: None,
        };
        match lab.sys().spawn(None, spec) {
            Ok(pid) => {
                status = lab.run_until_exit(pid).map(|s| s.code()).unwrap_or(-1);
            }
            Err(_) => {
                let msg = format!("bash: {}: command not found\n", argv[0]);
                sink.0.borrow_mut().extend_from_slice(msg.as_bytes());
                status = 127;
            }
        }
    }
    let out = String::from_utf8_lossy(&sink.0.borrow()).into_owned();
    format!("{}[exit {status}]\n", normalize::normalize(&out))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// The goldens this test keeps matching.
const MATCHING: &[&str] = &[
    "tests/golden/errors/addr-del.sh",
    "tests/golden/errors/link-delete.sh",
    "tests/golden/errors/link-set.sh",
    "tests/golden/errors/neigh.sh",
    "tests/golden/errors/netns-add.sh",
    "tests/golden/errors/netns-delete.sh",
    "tests/golden/errors/netns-exec.sh",
    "tests/golden/errors/route-del.sh",
    "tests/golden/errors/sysctl.sh",
    "tests/golden/errors/unknown.sh",
    "tests/golden/ip/link-parse.sh",
    "tests/golden/ip/netns.sh",
];

/// Every golden script the runner can replay.
fn candidates(root: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for dir in [
        "tests/golden/errors",
        "tests/golden/formats",
        "tests/golden/ip",
    ] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "sh") && p.with_extension("out").exists() {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                let only_ours = text.lines().all(|l| {
                    let l = l.trim();
                    l.is_empty()
                        || l.starts_with('#')
                        || ["ip ", "sysctl", "echo ", "sleep ", "ip\t"]
                            .iter()
                            .any(|s| l.starts_with(s))
                        || l == "ip"
                });
                if only_ours && supported(&text) {
                    v.push(format!("{dir}/{}", e.file_name().to_string_lossy()));
                }
            }
        }
    }
    v.sort();
    v
}

#[test]
fn ip_and_sysctl_goldens() {
    if let Ok(path) = std::env::var("GOLDEN_IP_SCRIPT") {
        let text = std::fs::read_to_string(&path).expect("script");
        println!("{}", run(&text, &std::env::temp_dir()));
        return;
    }
    let root = repo();
    let only = std::env::var("GOLDEN_IP").ok();
    let show = std::env::var_os("GOLDEN_IP_SHOW").is_some();
    let mut failures = Vec::new();
    let mut report = Vec::new();
    for script in candidates(&root) {
        if only.as_deref().is_some_and(|o| !script.contains(o)) {
            continue;
        }
        let text = std::fs::read_to_string(root.join(&script)).expect("script");
        let want =
            std::fs::read_to_string(root.join(script.replace(".sh", ".out"))).expect("golden");
        let dir = std::env::temp_dir();
        let got = run(&text, &dir);
        if show {
            println!("==> {script}\n{got}");
        }
        let ok = want == got;
        report.push(format!("{} {script}", if ok { "match" } else { "DIFFER" }));
        if !ok {
            let diff = want
                .lines()
                .zip(got.lines())
                .enumerate()
                .find(|(_, (w, g))| w != g)
                .map(|(i, (w, g))| format!("line {}:\n    want: {w}\n    got:  {g}", i + 1))
                .unwrap_or_else(|| {
                    format!(
                        "want {} lines, got {}",
                        want.lines().count(),
                        got.lines().count()
                    )
                });
            if MATCHING.contains(&script.as_str()) || only.is_some() {
                failures.push(format!("{script}: {diff}"));
            } else {
                report.push(format!("    {diff}"));
            }
        }
    }
    println!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
