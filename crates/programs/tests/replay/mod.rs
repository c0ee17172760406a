//! Replays golden scripts command by command in a fresh lab, without the shell: what the
//! component tests of `ip`, `sysctl`, `ping` and `traceroute` share. A script may use the
//! programs of this crate, the stand-ins a test registers, `echo` (with `$?`),
//! `printf`/`echo ... > FILE`, `... >/dev/null` and `... | sort`; the transcript is masked as
//! the recording was.

#![allow(dead_code)]

#[path = "../../../tsunagi/tests/normalize/mod.rs"]
mod normalize;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use tsunagi_lab::{
    Duration, FileRef, Lab, LabConfig, LocalBoxFuture, OpenFile, OpenMode, Proc, ProgramFn,
    SpawnSpec, TerminalSink,
};

#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl TerminalSink for Sink {
    fn write(&self, _err: bool, data: &[u8]) {
        self.0.borrow_mut().extend_from_slice(data);
    }
}

/// `sleep N` (fractions allowed).
pub fn prog_sleep(p: Proc) -> LocalBoxFuture<i32> {
    Box::pin(async move {
        let secs: f64 = p.argv.get(1).and_then(|s| s.parse().ok()).unwrap_or(0.0);
        p.sleep(Duration::from_secs_f64(secs)).await;
        0
    })
}

/// Words of a command line: blanks separate, single and double quotes group.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
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

/// printf's backslash escapes (the ones the scripts use).
fn unescape(s: &str) -> String {
    s.replace("\\t", "\t").replace("\\n", "\n")
}

/// Runs `script` line by line in a fresh lab seeded with `seed`, with this crate's programs
/// and `extra` ones; returns the transcript as the goldens have it.
pub fn run(script: &str, cwd: &Path, seed: u64, extra: &[(&str, ProgramFn)]) -> String {
    let sink = Sink::default();
    let lab = Lab::new(LabConfig {
        seed,
        sink: Box::new(sink.clone()),
        input: None,
    });
    tsunagi_programs::register(&lab);
    for (name, program) in extra {
        lab.register(name, *program);
    }
    let spawn = |argv: Vec<String>, quiet: bool| {
        let t = lab.terminal().clone();
        let mut fds: BTreeMap<u32, FileRef> = BTreeMap::new();
        fds.insert(0, Rc::new(OpenFile::Null));
        let out: FileRef = if quiet {
            Rc::new(OpenFile::Null)
        } else {
            Rc::new(OpenFile::TermOut(t.clone()))
        };
        fds.insert(1, out);
        fds.insert(2, Rc::new(OpenFile::TermErr(t)));
        let spec = SpawnSpec {
            argv,
            env: BTreeMap::new(),
            cwd: cwd.to_path_buf(),
            netns: lab.sys().root_ns(),
            fds,
            pgid: None,
        };
        lab.sys().spawn(None, spec)
    };
    // The recording's root namespace has lo up.
    let up = spawn(words("ip link set lo up"), false).expect("ip");
    lab.run_until_exit(up);
    sink.0.borrow_mut().clear();
    let mut status = 0;
    for line in script.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((cmd, file)) = line.split_once(" > ") {
            let (text, nl) = match cmd.strip_prefix("printf ") {
                Some(t) => (t, ""),
                None => (cmd.trim_start_matches("echo "), "\n"),
            };
            let text = unescape(&(words(text).join(" ") + nl));
            let sys = lab.sys();
            let f = sys
                .open(cwd, file.trim(), OpenMode::WRITE, sys.root_ns())
                .expect("file");
            f.write(text.as_bytes()).expect("write");
            status = 0;
            continue;
        }
        let (line, sort) = match line.strip_suffix(" | sort") {
            Some(l) => (l, true),
            None => (line, false),
        };
        let mark = sink.0.borrow().len();
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
        match spawn(argv.clone(), quiet) {
            Ok(pid) => status = lab.run_until_exit(pid).map(|s| s.code()).unwrap_or(-1),
            Err(_) => {
                let msg = format!("bash: {}: command not found\n", argv[0]);
                sink.0.borrow_mut().extend_from_slice(msg.as_bytes());
                status = 127;
            }
        }
        if sort {
            let mut buf = sink.0.borrow_mut();
            let tail = String::from_utf8_lossy(&buf[mark..]).into_owned();
            let mut lines: Vec<&str> = tail.lines().collect();
            lines.sort();
            buf.truncate(mark);
            for l in lines {
                buf.extend_from_slice(l.as_bytes());
                buf.push(b'\n');
            }
            status = 0;
        }
    }
    let out = String::from_utf8_lossy(&sink.0.borrow()).into_owned();
    format!("{}[exit {status}]\n", normalize::normalize(&out))
}

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// The golden scripts (`.sh` with a recorded `.out`) in `dirs` that `keep` accepts, given
/// the script's directory, file name and text; paths relative to the repository, sorted.
pub fn candidates(dirs: &[&str], keep: impl Fn(&str, &str, &str) -> bool) -> Vec<String> {
    let root = repo();
    let mut v = Vec::new();
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let p = e.path();
            if p.extension().is_some_and(|x| x == "sh") && p.with_extension("out").exists() {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                if keep(dir, &name, &text) {
                    v.push(format!("{dir}/{name}"));
                }
            }
        }
    }
    v.sort();
    v
}

/// Replays every script of `scripts` and compares it with its golden: those in `matching`
/// must match, the others are reported. `{env}=name` runs only the scripts whose path holds
/// `name` (and fails on any difference); `{env}_SHOW=1` prints every transcript.
pub fn check(scripts: &[String], matching: &[&str], env: &str, run_one: impl Fn(&str) -> String) {
    let root = repo();
    let only = std::env::var(env).ok();
    let show = std::env::var_os(format!("{env}_SHOW")).is_some();
    let mut failures = Vec::new();
    let mut report = Vec::new();
    for script in scripts {
        if only.as_deref().is_some_and(|o| !script.contains(o)) {
            continue;
        }
        let text = std::fs::read_to_string(root.join(script)).expect("script");
        let want =
            std::fs::read_to_string(root.join(script.replace(".sh", ".out"))).expect("golden");
        let got = run_one(&text);
        if show {
            println!("==> {script}\n{got}");
        }
        if want == got {
            report.push(format!("match  {script}"));
            continue;
        }
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
        report.push(format!("DIFFER {script}\n    {diff}"));
        if matching.contains(&script.as_str()) || only.is_some() {
            failures.push(format!("{script}: {diff}"));
        }
    }
    println!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
