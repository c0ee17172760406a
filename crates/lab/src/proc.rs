//! Processes: what a program sees of the system, and how it starts, waits for and signals
//! others.

use std::collections::BTreeMap;
use std::future::poll_fn;
use std::path::PathBuf;
use std::task::Poll;

use tsunagi_engine::{Duration, Time};
use tsunagi_kernel::{Errno, NsId};

use crate::io::FileRef;
use crate::sys::Sys;
use crate::LocalBoxFuture;

/// A process id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pid(pub u32);

/// The signals a lab delivers (x86-64 numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    Hup = 1,
    Int = 2,
    Quit = 3,
    Kill = 9,
    Usr1 = 10,
    Usr2 = 12,
    Pipe = 13,
    Alrm = 14,
    Term = 15,
}

impl Signal {
    pub fn number(self) -> i32 {
        self as i32
    }
    pub fn from_number(n: i32) -> Option<Signal> {
        use Signal::*;
        Some(match n {
            1 => Hup,
            2 => Int,
            3 => Quit,
            9 => Kill,
            10 => Usr1,
            12 => Usr2,
            13 => Pipe,
            14 => Alrm,
            15 => Term,
            _ => return None,
        })
    }
    /// The name without `SIG` (`INT`), as `kill -l` lists it.
    pub fn name(self) -> &'static str {
        use Signal::*;
        match self {
            Hup => "HUP",
            Int => "INT",
            Quit => "QUIT",
            Kill => "KILL",
            Usr1 => "USR1",
            Usr2 => "USR2",
            Pipe => "PIPE",
            Alrm => "ALRM",
            Term => "TERM",
        }
    }
    /// Parses `INT`, `SIGINT`, `int` or `2`.
    pub fn parse(s: &str) -> Option<Signal> {
        if let Ok(n) = s.parse::<i32>() {
            return Signal::from_number(n);
        }
        let up = s.to_ascii_uppercase();
        let name = up.strip_prefix("SIG").unwrap_or(&up);
        (1..=15)
            .filter_map(Signal::from_number)
            .find(|sig| sig.name() == name)
    }
}

/// How a process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    Code(i32),
    Signaled(Signal),
}

impl ExitStatus {
    /// The status as the shell reports it in `$?` (128 + signal for a killed process).
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Code(c) => c,
            ExitStatus::Signaled(s) => 128 + s.number(),
        }
    }
}

/// A program's entry point: `async fn main(proc) -> exit status`.
pub type ProgramFn = fn(Proc) -> LocalBoxFuture<i32>;

/// A program given as a closure, for [`Proc::fork`].
pub type ProgramOnce = Box<dyn FnOnce(Proc) -> LocalBoxFuture<i32>>;

/// What to start.
#[derive(Clone)]
pub struct SpawnSpec {
    pub argv: Vec<String>,
    /// The environment (exported variables).
    pub env: BTreeMap<String, String>,
    pub cwd: PathBuf,
    pub netns: NsId,
    /// Open descriptors: 0, 1, 2 and any others.
    pub fds: BTreeMap<u32, FileRef>,
    /// The process group to join; `None` starts a new group led by the new process.
    pub pgid: Option<Pid>,
}

/// A running program's view of the system: its identity, arguments, environment, descriptors
/// and namespace, and the calls it may make.
pub struct Proc {
    pub sys: Sys,
    pub pid: Pid,
    pub argv: Vec<String>,
    pub env: BTreeMap<String, String>,
    pub cwd: PathBuf,
    pub netns: NsId,
    pub fds: BTreeMap<u32, FileRef>,
}

impl Proc {
    /// Descriptor `fd`, if open.
    pub fn fd(&self, fd: u32) -> Option<&FileRef> {
        self.fds.get(&fd)
    }

    /// Writes to standard output; errors are ignored except that a broken pipe raises
    /// `SIGPIPE`, as on Linux. Returns false if the write failed.
    pub fn out(&self, data: impl AsRef<[u8]>) -> bool {
        self.write_fd(1, data.as_ref())
    }

    /// Writes to standard error.
    pub fn err(&self, data: impl AsRef<[u8]>) -> bool {
        self.write_fd(2, data.as_ref())
    }

    /// Writes to descriptor `fd` (see [`Proc::out`]).
    pub fn write_fd(&self, fd: u32, data: &[u8]) -> bool {
        match self.fds.get(&fd) {
            None => false,
            Some(f) => match f.write(data) {
                Ok(()) => true,
                Err(Errno::EPIPE) => {
                    let _ = self.sys.kill(self.pid, Signal::Pipe);
                    false
                }
                Err(_) => false,
            },
        }
    }

    /// Reads a chunk of standard input (empty at end-of-file or if stdin is closed).
    pub async fn read_stdin(&self) -> Vec<u8> {
        match self.fds.get(&0) {
            Some(f) => f.clone().read().await.unwrap_or_default(),
            None => Vec::new(),
        }
    }

    /// Reads standard input to its end.
    pub async fn read_stdin_all(&self) -> Vec<u8> {
        match self.fds.get(&0) {
            Some(f) => f.clone().read_to_end().await.unwrap_or_default(),
            None => Vec::new(),
        }
    }

    /// The current virtual time.
    pub fn now(&self) -> Time {
        self.sys.now()
    }

    /// Waits `d` of virtual time.
    pub async fn sleep(&self, d: Duration) {
        self.sys.sleep(d).await
    }

    /// Asks for `sig` to be delivered to [`Proc::signal`] instead of ending the process.
    pub fn trap(&self, sig: Signal) {
        self.sys.trap(self.pid, sig, true)
    }

    /// Restores the default action for `sig`.
    pub fn untrap(&self, sig: Signal) {
        self.sys.trap(self.pid, sig, false)
    }

    /// Ignores `sig` (`SIG_IGN`): it is dropped on arrival; children and `exec`ed programs
    /// inherit that until they install a handler or restore the default.
    pub fn ignore(&self, sig: Signal) {
        self.sys.ignore(self.pid, sig)
    }

    /// A trapped signal that arrived, if any.
    pub fn take_signal(&self) -> Option<Signal> {
        self.sys.take_signal(self.pid)
    }

    /// Waits for a trapped signal.
    pub async fn signal(&self) -> Signal {
        let sys = self.sys.clone();
        let pid = self.pid;
        poll_fn(move |cx| match sys.poll_signal(pid, cx.waker()) {
            Some(s) => Poll::Ready(s),
            None => Poll::Pending,
        })
        .await
    }

    /// Starts a child process. `ENOENT`: no such program.
    pub fn spawn(&self, spec: SpawnSpec) -> Result<Pid, Errno> {
        self.sys.spawn(Some(self.pid), spec)
    }

    /// Starts a child process that runs `program` (a closure) rather than a registered
    /// program, as `fork` does for a shell's subshells.
    pub fn fork(&self, spec: SpawnSpec, program: ProgramOnce) -> Pid {
        self.sys.spawn_with(Some(self.pid), spec, program)
    }

    /// A spawn spec inheriting this process's environment, directory, namespace, descriptors
    /// and process group.
    pub fn child_spec(&self, argv: Vec<String>) -> SpawnSpec {
        SpawnSpec {
            argv,
            env: self.env.clone(),
            cwd: self.cwd.clone(),
            netns: self.netns,
            fds: self.fds.clone(),
            pgid: Some(self.sys.pgid(self.pid).unwrap_or(self.pid)),
        }
    }

    /// Waits for a child to end.
    pub async fn wait(&self, pid: Pid) -> ExitStatus {
        self.sys.wait(pid).await
    }

    /// Replaces this program with another, as `execvp` does: same pid, descriptors, namespace.
    /// Returns the new program's exit status, or `ENOENT` if there is no such program.
    pub async fn exec(mut self, argv: Vec<String>) -> Result<i32, (Errno, Proc)> {
        let Some(program) = argv.first().and_then(|a| self.sys.lookup(a)) else {
            return Err((Errno::ENOENT, self));
        };
        self.sys.reset_traps(self.pid);
        self.sys.set_argv(self.pid, &argv);
        self.argv = argv;
        Ok(program(self).await)
    }

    /// True if a program of this name exists.
    pub fn has_program(&self, name: &str) -> bool {
        self.sys.lookup(name).is_some()
    }

    /// The program's name for messages (`argv[0]` without its directory).
    pub fn name(&self) -> &str {
        let a = self.argv.first().map(String::as_str).unwrap_or("");
        a.rsplit('/').next().unwrap_or(a)
    }
}
