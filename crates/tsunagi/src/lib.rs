//! tsunagi as a library: build a lab with every program registered and run a script in it.
//! The binary, the tests and the benchmarks all go through here.

use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::rc::Rc;

use tsunagi_lab::{ExitStatus, Lab, LabConfig, Pipe, TerminalSink};

/// Builds a lab with every program tsunagi knows.
pub fn new_lab(
    seed: u64,
    sink: Box<dyn TerminalSink>,
    input: Option<Box<dyn std::io::Read>>,
) -> Lab {
    let lab = Lab::new(LabConfig { seed, sink, input });
    tsunagi_shell::register(&lab);
    tsunagi_programs::register(&lab);
    lab
}

/// Starts the lab-wide capture into `dir` (`--capture DIR`). The error names the file.
pub fn start_capture(lab: &Lab, dir: &std::path::Path) -> Result<(), String> {
    let app = concat!("tsunagi ", env!("CARGO_PKG_VERSION"));
    lab.enable_capture(dir, app)
        .map_err(|e| format!("{}: {e}", dir.display()))
}

/// Writes out what the lab-wide capture holds and flushes its files; the first error it met,
/// naming the file. Does nothing without a capture.
pub fn finish_capture(lab: &Lab) -> Result<(), String> {
    lab.flush_capture()
        .map_err(|(path, e)| format!("{}: {e}", path.display()))
}

/// Writes to the real stdout and stderr, flushing each write so that the two interleave as
/// they were written.
pub struct StdSink;

impl TerminalSink for StdSink {
    fn write(&self, err: bool, data: &[u8]) {
        if err {
            let mut e = std::io::stderr().lock();
            let _ = e.write_all(data);
            let _ = e.flush();
        } else {
            let mut o = std::io::stdout().lock();
            let _ = o.write_all(data);
            let _ = o.flush();
        }
    }
}

/// Collects stdout and stderr into one buffer, as `2>&1` would.
#[derive(Clone, Default)]
pub struct BufferSink(pub Rc<RefCell<Vec<u8>>>);

impl TerminalSink for BufferSink {
    fn write(&self, _err: bool, data: &[u8]) {
        self.0.borrow_mut().extend_from_slice(data);
    }
}

/// What a script is.
pub enum Script {
    /// `bash FILE`.
    File(PathBuf),
    /// `bash` reading the script on its standard input.
    Text(String),
}

/// Runs a script as `bash` would on a freshly booted machine, as root, in `lab`, until it
/// ends. `None`: it waits for something that can never happen.
pub fn run_script(lab: &Lab, script: Script, cwd: PathBuf) -> Option<ExitStatus> {
    run_script_with_args(lab, script, Vec::new(), cwd)
}

/// [`run_script`] with positional arguments (`$1`, `$2`, ...).
pub fn run_script_with_args(
    lab: &Lab,
    script: Script,
    args: Vec<String>,
    cwd: PathBuf,
) -> Option<ExitStatus> {
    let pid = match script {
        Script::File(path) => {
            let mut argv = vec!["bash".into(), path.to_string_lossy().into_owned()];
            argv.extend(args);
            lab.spawn_on_terminal(argv, cwd).ok()?
        }
        Script::Text(text) => {
            let (r, w) = Pipe::new_pair();
            let _ = w.write(text.as_bytes());
            drop(w);
            let argv = if args.is_empty() {
                vec!["bash".into()]
            } else {
                [vec!["bash".into(), "-s".into()], args].concat()
            };
            lab.spawn_login(argv, cwd, r).ok()?
        }
    };
    lab.run_until_exit(pid)
}

/// Runs a script in a fresh lab and returns everything it printed (stdout and stderr merged)
/// and its exit status.
pub fn run_to_string(seed: u64, script: Script, cwd: PathBuf) -> (String, Option<i32>) {
    let sink = BufferSink::default();
    let buf = sink.0.clone();
    let lab = new_lab(seed, Box::new(sink), Some(Box::new(std::io::empty())));
    let status = run_script(&lab, script, cwd).map(|s| s.code());
    drop(lab);
    let out = String::from_utf8_lossy(&buf.borrow()).into_owned();
    (out, status)
}
