//! `tsunagi shell`: the lab's bash on the user's terminal, with line editing and history,
//! the virtual clock following the wall clock (or jumping, with `--fast`), and Ctrl-C sent to
//! the lab's processes as SIGINT.
//!
//! While the user types at a prompt the virtual clock stands still, so that a background
//! `ping` does not print a burst of lines when the line is entered.

use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration as WallDuration, Instant};

use rustyline::error::ReadlineError;
use tsunagi_lab::{TerminalSink, Time};

/// Prints whole lines at once and keeps the last, unfinished one back: when the shell then
/// asks for input, that line is its prompt, which the line editor shows.
struct PromptSink {
    partial: Rc<RefCell<Vec<u8>>>,
}

impl TerminalSink for PromptSink {
    fn write(&self, err: bool, data: &[u8]) {
        let mut partial = self.partial.borrow_mut();
        partial.extend_from_slice(data);
        if let Some(nl) = partial.iter().rposition(|b| *b == b'\n') {
            let rest = partial.split_off(nl + 1);
            let done = std::mem::replace(&mut *partial, rest);
            tsunagi::StdSink.write(err, &done);
        }
    }
}

fn flush_partial(partial: &Rc<RefCell<Vec<u8>>>) {
    let data = std::mem::take(&mut *partial.borrow_mut());
    if !data.is_empty() {
        tsunagi::StdSink.write(false, &data);
    }
}

pub fn run(
    seed: u64,
    fast: bool,
    capture: Option<PathBuf>,
    cwd: PathBuf,
    interrupted: Arc<AtomicBool>,
) -> ExitCode {
    let partial = Rc::new(RefCell::new(Vec::new()));
    let sink = PromptSink {
        partial: partial.clone(),
    };
    let lab = tsunagi::new_lab(seed, Box::new(sink), None);
    if let Some(dir) = &capture {
        if let Err(e) = tsunagi::start_capture(&lab, dir) {
            eprintln!("tsunagi: {e}");
            return ExitCode::from(1);
        }
    }
    let code = shell(&lab, fast, &partial, cwd, interrupted);
    // The capture files are complete when the shell ends.
    if let Err(e) = tsunagi::finish_capture(&lab) {
        eprintln!("tsunagi: {e}");
        return ExitCode::from(1);
    }
    ExitCode::from(code)
}

/// Runs the interactive shell until it exits; its exit status.
fn shell(
    lab: &tsunagi_lab::Lab,
    fast: bool,
    partial: &Rc<RefCell<Vec<u8>>>,
    cwd: PathBuf,
    interrupted: Arc<AtomicBool>,
) -> u8 {
    let Ok(pid) = lab.spawn_on_terminal(vec!["bash".into(), "-i".into()], cwd) else {
        eprintln!("tsunagi: no shell");
        return 1;
    };
    let mut editor = match rustyline::DefaultEditor::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("tsunagi: cannot use the terminal: {e}");
            return 1;
        }
    };
    let start = Instant::now();
    // Virtual time = wall time since start - time spent at prompts.
    let mut paused = WallDuration::ZERO;
    let mut capture_failed = false;
    loop {
        if interrupted.swap(false, Ordering::SeqCst) {
            // The terminal itself echoes the `^C` (ECHOCTL), as it does for a real job.
            flush_partial(partial);
            lab.sys().interrupt();
        }
        let virtual_now = start.elapsed().saturating_sub(paused);
        let target = Time(virtual_now.as_nanos() as u64);
        if fast {
            match lab.next_event_time() {
                Some(t) if !lab.terminal().wants_input() => lab.run_until(t),
                _ => lab.run_until(lab.sys().now()),
            }
        } else {
            lab.run_until(target.max(lab.sys().now()));
        }
        if let Some(st) = lab.sys().status(pid) {
            flush_partial(partial);
            return (st.code() & 0xff) as u8;
        }
        if lab.terminal().wants_input() && !lab.busy() {
            // At the prompt the capture files hold everything so far, for Wireshark to open;
            // a failing capture is reported once, and again when the shell ends.
            if let Err(e) = tsunagi::finish_capture(lab) {
                if !capture_failed {
                    eprintln!("tsunagi: {e}");
                    capture_failed = true;
                }
            }
            let prompt =
                String::from_utf8_lossy(&std::mem::take(&mut *partial.borrow_mut())).into_owned();
            let waited = Instant::now();
            match editor.readline(&prompt) {
                Ok(line) => {
                    let _ = editor.add_history_entry(line.as_str());
                    lab.terminal().feed(format!("{line}\n").as_bytes());
                }
                Err(ReadlineError::Interrupted) => {
                    // Ctrl-C at the prompt: a fresh prompt, as bash gives.
                    partial.borrow_mut().extend_from_slice(prompt.as_bytes());
                    let _ = std::io::stdout().flush();
                }
                Err(_) => lab.terminal().close_input(),
            }
            paused += waited.elapsed();
            if fast {
                paused = start
                    .elapsed()
                    .saturating_sub(WallDuration::from_nanos(lab.sys().now().0));
            }
            continue;
        }
        if !fast {
            let next = lab.next_event_time();
            let wait = match next {
                Some(t) if t > target => WallDuration::from_nanos((t.0 - target.0).min(10_000_000)),
                Some(_) => WallDuration::ZERO,
                None => WallDuration::from_millis(10),
            };
            if !wait.is_zero() {
                std::thread::sleep(wait);
            }
        }
    }
}
