//! The small programs scripts call, each a lab program (`fn(Proc) -> future`), behaving as
//! GNU coreutils 9.1, grep 3.8, sed 4.9 and mawk 1.3.4 do on Debian 12 for the flags scripts
//! use, with their messages and exit statuses.
//!
//! Shared here: buffered standard output that behaves like stdio (line-buffered on the
//! terminal, block-buffered otherwise, so that stdout and stderr interleave as they do on
//! Linux), reading named files or standard input, and line-at-a-time reading that streams
//! (so that `ping | grep ttl` prints as ping does).

pub mod awk;
pub mod coreutils;
pub mod grep;
pub mod od;
pub mod procs;
pub mod sed;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tsunagi_lab::{Errno, FileRef, Lab, LocalBoxFuture, OpenMode, Proc};

/// Registers every utility with a lab.
pub fn register(lab: &Lab) {
    coreutils::register(lab);
    lab.register("grep", grep::main);
    lab.register("egrep", grep::main);
    lab.register("fgrep", grep::main);
    lab.register("sed", sed::main);
    lab.register("awk", awk::main);
    lab.register("mawk", awk::main);
    lab.register("kill", procs::kill);
    lab.register("pgrep", procs::pgrep);
    lab.register("pkill", procs::pgrep);
    lab.register("pidof", procs::pidof);
    lab.register("timeout", procs::timeout);
    lab.register("expr", procs::expr);
    lab.register("od", od::od);
}

/// Wraps an async program as a lab program.
pub(crate) fn boxed<F: Future<Output = i32> + 'static>(f: F) -> LocalBoxFuture<i32> {
    Box::pin(f)
}

/// Standard output with stdio's buffering.
pub struct Out<'a> {
    proc: &'a Proc,
    buf: Vec<u8>,
    line: bool,
    /// The reader went away (SIGPIPE was raised): stop writing.
    pub broken: bool,
}

impl<'a> Out<'a> {
    pub fn new(proc: &'a Proc) -> Out<'a> {
        let line = proc.fd(1).is_some_and(|f| f.is_terminal());
        Out {
            proc,
            buf: Vec::new(),
            line,
            broken: false,
        }
    }

    pub fn write(&mut self, data: &[u8]) {
        if self.broken {
            return;
        }
        self.buf.extend_from_slice(data);
        if self.line {
            if let Some(i) = self.buf.iter().rposition(|&b| b == b'\n') {
                let rest = self.buf.split_off(i + 1);
                let chunk = std::mem::replace(&mut self.buf, rest);
                if !self.proc.out(&chunk) {
                    self.broken = true;
                }
            }
        } else if self.buf.len() >= 4096 {
            self.flush();
        }
    }

    pub fn str(&mut self, s: &str) {
        self.write(s.as_bytes());
    }

    pub fn flush(&mut self) {
        if self.broken || self.buf.is_empty() {
            self.buf.clear();
            return;
        }
        let chunk = std::mem::take(&mut self.buf);
        if !self.proc.out(&chunk) {
            self.broken = true;
        }
    }
}

impl Drop for Out<'_> {
    fn drop(&mut self) {
        // A program that returns flushes its buffer (as exit does); one killed by a signal
        // loses it, as on Linux.
        if self.proc.sys.alive(self.proc.pid) {
            self.flush();
        }
    }
}

/// Writes a message to standard error (unbuffered, as stderr is).
pub fn err(proc: &Proc, msg: &str) {
    proc.err(format!("{msg}\n"));
}

/// Opens a file argument (`-` is standard input).
pub fn open(proc: &Proc, name: &str) -> Result<FileRef, Errno> {
    // The process's own descriptors, as Linux's /dev/fd gives them.
    let fd = match name {
        "-" | "/dev/stdin" => Some(0),
        "/dev/stdout" => Some(1),
        "/dev/stderr" => Some(2),
        n => n
            .strip_prefix("/dev/fd/")
            .and_then(|x| x.parse::<u32>().ok()),
    };
    if let Some(n) = fd {
        return proc.fd(n).cloned().ok_or(Errno::EBADF);
    }
    proc.sys.open(&proc.cwd, name, OpenMode::READ, proc.netns)
}

/// Opens a file argument for writing; `/dev/stdout`, `/dev/stderr` and `/dev/fd/N` are the
/// process's own descriptors.
pub fn open_out(proc: &Proc, name: &str, mode: OpenMode) -> Result<FileRef, Errno> {
    let fd = match name {
        "/dev/stdout" => Some(1),
        "/dev/stderr" => Some(2),
        n => n
            .strip_prefix("/dev/fd/")
            .and_then(|x| x.parse::<u32>().ok()),
    };
    if let Some(n) = fd {
        return proc.fd(n).cloned().ok_or(Errno::EBADF);
    }
    proc.sys.open(&proc.cwd, name, mode, proc.netns)
}

/// Reads all of a file argument.
pub async fn read_all(proc: &Proc, name: &str) -> Result<Vec<u8>, Errno> {
    let f = open(proc, name)?;
    f.read_to_end().await
}

/// Quotes a file name in a message as coreutils does (`'a b'`, plain when safe).
pub fn quote(name: &str) -> String {
    let safe = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "_-./:,+@%^=".contains(c));
    if safe {
        name.to_string()
    } else if name.contains('\'') {
        format!("\"{name}\"")
    } else {
        format!("'{name}'")
    }
}

/// A file's lines as they arrive.
pub struct Lines {
    f: FileRef,
    buf: Vec<u8>,
    eof: bool,
    reads: u32,
}

impl Lines {
    pub fn new(f: FileRef) -> Lines {
        Lines {
            f,
            buf: Vec::new(),
            eof: false,
            reads: 0,
        }
    }

    /// Puts bytes back in front of what the next call reads.
    pub fn unread(&mut self, data: &[u8]) {
        let mut v = data.to_vec();
        v.append(&mut self.buf);
        self.buf = v;
    }

    /// The next line without its newline, and whether it had one. `Err` is a read error.
    pub async fn next(&mut self) -> Result<Option<(Vec<u8>, bool)>, Errno> {
        loop {
            if let Some(i) = self.buf.iter().position(|&b| b == b'\n') {
                let rest = self.buf.split_off(i + 1);
                let mut line = std::mem::replace(&mut self.buf, rest);
                line.pop();
                return Ok(Some((line, true)));
            }
            if self.eof {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                return Ok(Some((std::mem::take(&mut self.buf), false)));
            }
            let chunk = self.f.read().await?;
            if chunk.is_empty() {
                self.eof = true;
            } else {
                self.buf.extend_from_slice(&chunk);
            }
            // A file never makes a reader wait: give the others a turn now and then (an
            // endless /dev/zero must not stall the lab).
            self.reads += 1;
            if self.reads % 16 == 0 {
                yield_now().await;
            }
        }
    }
}

/// Gives the executor a turn (a producer that never blocks lets its readers run).
pub async fn yield_now() {
    struct Y(bool);
    impl Future for Y {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                Poll::Ready(())
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }
    Y(false).await
}

/// Parses GNU-style arguments: bundled short flags, `--` ends options, and options that take
/// a value (`-n 5`, `-n5`). Gives the flags in order and the operands.
pub struct Args {
    pub opts: Vec<(String, Option<String>)>,
    pub operands: Vec<String>,
}

/// `with_value`: short option letters that take a value; `long_with_value`: long ones.
pub fn parse_args(
    argv: &[String],
    with_value: &str,
    long_with_value: &[&str],
) -> Result<Args, String> {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < argv.len() {
        let a = &argv[i];
        if a == "--" {
            operands.extend(argv[i + 1..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, val) = match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            };
            if val.is_none() && long_with_value.contains(&name.as_str()) {
                i += 1;
                let Some(v) = argv.get(i) else {
                    return Err(format!("option '--{name}' requires an argument"));
                };
                opts.push((format!("--{name}"), Some(v.clone())));
            } else {
                opts.push((format!("--{name}"), val));
            }
            i += 1;
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let cs: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < cs.len() {
                let c = cs[k];
                if with_value.contains(c) {
                    let rest: String = cs[k + 1..].iter().collect();
                    let v = if !rest.is_empty() {
                        rest
                    } else {
                        i += 1;
                        match argv.get(i) {
                            Some(v) => v.clone(),
                            None => return Err(format!("option requires an argument -- '{c}'")),
                        }
                    };
                    opts.push((format!("-{c}"), Some(v)));
                    break;
                }
                opts.push((format!("-{c}"), None));
                k += 1;
            }
            i += 1;
            continue;
        }
        operands.push(a.clone());
        i += 1;
    }
    Ok(Args { opts, operands })
}
