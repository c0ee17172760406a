//! A lab with the shell registered, a terminal whose output is captured, and helpers to run
//! scripts in a scratch directory.

#![allow(dead_code)]

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tsunagi_lab::{Lab, LabConfig, TerminalSink};

/// Captures the terminal: stdout and stderr merged, as `2>&1` would.
#[derive(Clone, Default)]
pub struct Capture(pub Rc<RefCell<Vec<u8>>>);

impl TerminalSink for Capture {
    fn write(&self, _err: bool, data: &[u8]) {
        self.0.borrow_mut().extend_from_slice(data);
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh scratch directory.
pub fn scratch() -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("tsunagi-shell-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A lab with the shell's programs, terminal input at end of file.
pub fn lab(capture: &Capture, input: &[u8]) -> Lab {
    let lab = Lab::new(LabConfig {
        seed: 1,
        sink: Box::new(capture.clone()),
        input: Some(Box::new(std::io::Cursor::new(input.to_vec()))),
    });
    tsunagi_shell::register(&lab);
    lab
}

/// Runs `argv` on the terminal in `dir`; gives the merged output and the exit status.
pub fn run_argv(argv: &[&str], dir: &std::path::Path, input: &[u8]) -> (String, i32) {
    let cap = Capture::default();
    let lab = lab(&cap, input);
    let pid = lab
        .spawn_on_terminal(
            argv.iter().map(|s| s.to_string()).collect(),
            dir.to_path_buf(),
        )
        .expect("spawn");
    let status = lab.run_until_exit(pid).map(|s| s.code()).unwrap_or(-1);
    drop(lab);
    let out = String::from_utf8_lossy(&cap.0.borrow()).into_owned();
    (out, status)
}

/// Runs `script` as `bash t.sh` in a scratch directory.
pub fn run(script: &str) -> (String, i32) {
    let dir = scratch();
    std::fs::write(dir.join("t.sh"), script).expect("write script");
    let r = run_argv(&["bash", "t.sh"], &dir, b"");
    let _ = std::fs::remove_dir_all(&dir);
    r
}

/// Asserts that `script` prints `out` and exits with `status`.
#[track_caller]
pub fn check(script: &str, out: &str, status: i32) {
    let (o, s) = run(script);
    assert_eq!(o, out, "output of:\n{script}");
    assert_eq!(s, status, "status of:\n{script}\noutput:\n{o}");
}
