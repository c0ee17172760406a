//! Runs a script with the shell in a lab (no network programs), for trying things out:
//! `cargo run -p tsunagi-shell --example run -- SCRIPT [ARGS...]`. Output goes to the real
//! stdout/stderr; the exit status is the script's.

use std::io::Write;

use tsunagi_lab::{Lab, LabConfig, TerminalSink};

struct Sink;

impl TerminalSink for Sink {
    fn write(&self, err: bool, data: &[u8]) {
        if err {
            let _ = std::io::stderr().write_all(data);
        } else {
            let _ = std::io::stdout().write_all(data);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lab = Lab::new(LabConfig {
        seed: 1,
        sink: Box::new(Sink),
        input: Some(Box::new(std::io::stdin())),
    });
    tsunagi_shell::register(&lab);
    let cwd = std::env::current_dir().unwrap_or_else(|_| "/".into());
    let mut argv = vec!["bash".to_string()];
    argv.extend(args);
    let pid = match lab.spawn_on_terminal(argv, cwd) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("run: {e}");
            std::process::exit(127);
        }
    };
    let status = lab.run_until_exit(pid).map(|s| s.code()).unwrap_or(255);
    std::process::exit(status);
}
