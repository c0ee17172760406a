//! Open files: pipes, the terminal, real files and the lab's own virtual files.
//!
//! Writes never block (pipes are unbounded, which keeps runs deterministic and simple); reads
//! wait until data or end-of-file. A pipe reaches end-of-file when its last writer closes, and a
//! write to a pipe without readers fails with `EPIPE` (the writer then gets `SIGPIPE`).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::poll_fn;
use std::io::{Read, Write};
use std::rc::Rc;
use std::task::{Poll, Waker};

use tsunagi_kernel::Errno;

use crate::fs::VirtualFile;

/// Where the terminal's output goes: the process's real stdout/stderr, or a buffer in tests.
pub trait TerminalSink {
    /// Writes to stdout (`err == false`) or stderr.
    fn write(&self, err: bool, data: &[u8]);
}

/// The lab's controlling terminal: one input queue, output to a sink.
pub struct Terminal {
    sink: Box<dyn TerminalSink>,
    input: RefCell<VecDeque<u8>>,
    source: RefCell<Option<Box<dyn Read>>>,
    eof: Cell<bool>,
    readers: RefCell<Vec<Waker>>,
    wants_input: Cell<bool>,
    /// Whether standard input, output and error count as a tty.
    tty: [Cell<bool>; 3],
}

impl Terminal {
    /// A terminal whose input is read, when a program asks, from `source` (`None`: input is
    /// fed by the caller with [`Terminal::feed`]).
    pub fn new(sink: Box<dyn TerminalSink>, source: Option<Box<dyn Read>>) -> Self {
        let tty = source.is_none();
        Terminal {
            sink,
            input: RefCell::new(VecDeque::new()),
            source: RefCell::new(source),
            eof: Cell::new(false),
            readers: RefCell::new(Vec::new()),
            wants_input: Cell::new(false),
            // Typed input (fed by the caller) comes from a person at a terminal; input read
            // from a given source is a batch run, whose output is a file or a pipe.
            tty: [Cell::new(tty), Cell::new(tty), Cell::new(tty)],
        }
    }

    /// Says whether programs should see the terminal as a tty (`isatty`), which decides
    /// what `ls`, `ip -c=auto` and stdio buffering do. The default: a tty if the input is
    /// fed by the caller (interactive), not if it is read from a source (batch).
    pub fn set_tty(&self, tty: bool) {
        self.set_tty_streams([tty; 3]);
    }

    /// [`Terminal::set_tty`] for standard input, output and error one by one, as a real
    /// process finds them (`tsunagi run` in a terminal with its output piped, say).
    pub fn set_tty_streams(&self, tty: [bool; 3]) {
        for (cell, on) in self.tty.iter().zip(tty) {
            cell.set(on);
        }
    }

    /// True if programs see standard output as a tty.
    pub fn is_tty(&self) -> bool {
        self.tty[1].get()
    }

    fn stream_is_tty(&self, fd: usize) -> bool {
        self.tty[fd].get()
    }

    pub fn write(&self, err: bool, data: &[u8]) {
        self.sink.write(err, data)
    }

    /// Gives the terminal typed input.
    pub fn feed(&self, data: &[u8]) {
        self.input.borrow_mut().extend(data);
        self.wants_input.set(false);
        for w in self.readers.borrow_mut().drain(..) {
            w.wake();
        }
    }

    /// Ends the input (Ctrl-D on an empty line).
    pub fn close_input(&self) {
        self.eof.set(true);
        self.feed(b"");
    }

    /// True when a program is blocked reading the terminal and nothing is buffered.
    pub fn wants_input(&self) -> bool {
        self.wants_input.get()
    }

    async fn read(&self) -> Vec<u8> {
        poll_fn(|cx| {
            let mut input = self.input.borrow_mut();
            if input.is_empty() && !self.eof.get() {
                if let Some(src) = self.source.borrow_mut().as_mut() {
                    let mut buf = [0u8; 4096];
                    match src.read(&mut buf) {
                        Ok(0) | Err(_) => self.eof.set(true),
                        Ok(n) => input.extend(&buf[..n]),
                    }
                }
            }
            if !input.is_empty() {
                return Poll::Ready(input.drain(..).collect());
            }
            if self.eof.get() {
                return Poll::Ready(Vec::new());
            }
            self.wants_input.set(true);
            self.readers.borrow_mut().push(cx.waker().clone());
            Poll::Pending
        })
        .await
    }
}

/// An in-memory pipe.
#[derive(Default)]
pub struct Pipe {
    buf: RefCell<VecDeque<u8>>,
    readers: Cell<usize>,
    writers: Cell<usize>,
    waiting: RefCell<Vec<Waker>>,
}

impl Pipe {
    /// Makes a pipe and returns its read and write ends.
    pub fn new_pair() -> (FileRef, FileRef) {
        let p = Rc::new(Pipe::default());
        p.readers.set(1);
        p.writers.set(1);
        (
            Rc::new(OpenFile::PipeRead(p.clone())),
            Rc::new(OpenFile::PipeWrite(p)),
        )
    }

    fn wake(&self) {
        for w in self.waiting.borrow_mut().drain(..) {
            w.wake();
        }
    }
}

/// One open file description, shared by every descriptor that refers to it (dup, fork).
pub enum OpenFile {
    /// `/dev/null`.
    Null,
    TermIn(Rc<Terminal>),
    TermOut(Rc<Terminal>),
    TermErr(Rc<Terminal>),
    PipeRead(Rc<Pipe>),
    PipeWrite(Rc<Pipe>),
    /// A file of the real file system.
    Real(RefCell<std::fs::File>),
    /// A file the lab owns (`/etc/hosts`, `/proc/sys/net/...`).
    Virtual(RefCell<VirtualFile>),
}

/// A reference to an open file, as a descriptor holds it.
pub type FileRef = Rc<OpenFile>;

impl Drop for OpenFile {
    fn drop(&mut self) {
        match self {
            OpenFile::PipeRead(p) => {
                p.readers.set(p.readers.get().saturating_sub(1));
            }
            OpenFile::PipeWrite(p) => {
                p.writers.set(p.writers.get().saturating_sub(1));
                if p.writers.get() == 0 {
                    p.wake();
                }
            }
            _ => {}
        }
    }
}

impl OpenFile {
    /// Writes all of `data`. Errors: `EPIPE` (no reader), `EBADF` (not open for writing), or
    /// what the file system or a virtual file says.
    pub fn write(&self, data: &[u8]) -> Result<(), Errno> {
        match self {
            OpenFile::Null => Ok(()),
            OpenFile::TermOut(t) | OpenFile::TermErr(t) if data.is_empty() => {
                let _ = t;
                Ok(())
            }
            OpenFile::TermOut(t) => {
                t.write(false, data);
                Ok(())
            }
            OpenFile::TermErr(t) => {
                t.write(true, data);
                Ok(())
            }
            OpenFile::TermIn(_) | OpenFile::PipeRead(_) => Err(Errno::EBADF),
            OpenFile::PipeWrite(p) => {
                if p.readers.get() == 0 {
                    return Err(Errno::EPIPE);
                }
                if !data.is_empty() {
                    p.buf.borrow_mut().extend(data);
                    p.wake();
                }
                Ok(())
            }
            OpenFile::Real(f) => f.borrow_mut().write_all(data).map_err(io_errno),
            OpenFile::Virtual(v) => v.borrow_mut().write(data),
        }
    }

    /// Reads what is available, waiting if nothing is; an empty vector is end-of-file.
    pub async fn read(&self) -> Result<Vec<u8>, Errno> {
        match self {
            OpenFile::Null => Ok(Vec::new()),
            OpenFile::TermIn(t) => Ok(t.read().await),
            OpenFile::TermOut(_) | OpenFile::TermErr(_) | OpenFile::PipeWrite(_) => {
                Err(Errno::EBADF)
            }
            OpenFile::PipeRead(p) => {
                poll_fn(|cx| {
                    let mut buf = p.buf.borrow_mut();
                    if !buf.is_empty() {
                        return Poll::Ready(Ok(buf.drain(..).collect()));
                    }
                    if p.writers.get() == 0 {
                        return Poll::Ready(Ok(Vec::new()));
                    }
                    p.waiting.borrow_mut().push(cx.waker().clone());
                    Poll::Pending
                })
                .await
            }
            OpenFile::Real(f) => {
                let mut buf = vec![0u8; 65536];
                let n = f.borrow_mut().read(&mut buf).map_err(io_errno)?;
                buf.truncate(n);
                Ok(buf)
            }
            OpenFile::Virtual(v) => v.borrow_mut().read(),
        }
    }

    /// Puts `data` back in front of what the next read returns. A shell's `read` uses it to
    /// take one line and leave the rest to whoever reads next, as reading a pipe byte by byte
    /// (or seeking back in a file) does on Linux.
    pub fn unread(&self, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        match self {
            OpenFile::TermIn(t) => {
                let mut input = t.input.borrow_mut();
                for &b in data.iter().rev() {
                    input.push_front(b);
                }
            }
            OpenFile::PipeRead(p) => {
                let mut buf = p.buf.borrow_mut();
                for &b in data.iter().rev() {
                    buf.push_front(b);
                }
            }
            OpenFile::Real(f) => {
                use std::io::Seek;
                let back = i64::try_from(data.len()).unwrap_or(i64::MAX);
                let _ = f.borrow_mut().seek(std::io::SeekFrom::Current(-back));
            }
            OpenFile::Virtual(v) => v.borrow_mut().unread(data.len()),
            _ => {}
        }
    }

    /// Reads until end-of-file.
    pub async fn read_to_end(&self) -> Result<Vec<u8>, Errno> {
        let mut all = Vec::new();
        loop {
            let chunk = self.read().await?;
            if chunk.is_empty() {
                return Ok(all);
            }
            all.extend(chunk);
        }
    }

    /// True for the terminal when it counts as a tty (what `isatty` says; see
    /// [`Terminal::set_tty`]).
    pub fn is_terminal(&self) -> bool {
        match self {
            OpenFile::TermIn(t) => t.stream_is_tty(0),
            OpenFile::TermOut(t) => t.stream_is_tty(1),
            OpenFile::TermErr(t) => t.stream_is_tty(2),
            _ => false,
        }
    }
}

/// Maps an I/O error of the real file system to its errno.
pub fn io_errno(e: std::io::Error) -> Errno {
    if let Some(code) = e.raw_os_error() {
        return match code {
            1 => Errno::EPERM,
            2 => Errno::ENOENT,
            13 => Errno::EACCES,
            17 => Errno::EEXIST,
            20 => Errno::ENOTDIR,
            21 => Errno::EISDIR,
            22 => Errno::EINVAL,
            28 => Errno::ENOSPC,
            32 => Errno::EPIPE,
            36 => Errno::ENAMETOOLONG,
            39 => Errno::ENOTEMPTY,
            _ => Errno::EIO,
        };
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => Errno::ENOENT,
        std::io::ErrorKind::PermissionDenied => Errno::EACCES,
        std::io::ErrorKind::AlreadyExists => Errno::EEXIST,
        _ => Errno::EIO,
    }
}
