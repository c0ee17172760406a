//! A lab: the kernel's namespaces, the processes that run in them, the files they see, and the
//! engine that drives it all. This is the one control API that the shell, the programs, the
//! tests and the binary use.
//!
//! A program is an `async fn(Proc) -> i32`. It runs as a task on the engine's executor; when it
//! waits (`sleep`, a socket, a pipe, a child) virtual time moves on. [`Lab::run_until_exit`]
//! drives everything in batch mode (time jumps from event to event); [`Lab::step_paced`] lets
//! the caller pace time against a wall clock it owns.
//!
//! What it owns: processes (pids, argv, exit status, signals), open files (pipes, the terminal,
//! real files, the lab's own `/etc/hosts`, `/proc/sys/net`, `/run/netns`), namespace names.
//! What it does not: network behaviour (the kernel crate) and command syntax (the shell).

pub mod capture;
mod fs;
mod io;
mod net;
mod proc;
mod sys;

pub use fs::{DirEntry, OpenMode, VPath};
pub use io::{io_errno, FileRef, OpenFile, Pipe, Terminal, TerminalSink};
pub use net::{PacketSocket, Socket};
pub use proc::{ExitStatus, Pid, Proc, ProgramFn, ProgramOnce, Signal, SpawnSpec};
pub use sys::{Lab, LabConfig, Sys};
pub use tsunagi_engine::{Duration, Time};
pub use tsunagi_kernel::{
    pkttype, Captured, Cooked, Datagram, FrameFilter, LabFrame, PacketOpts, PacketStats, SockError,
    SockKind,
};
pub use tsunagi_kernel::{Errno, NsId};

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Which of two futures finished first.
pub enum Either<A, B> {
    Left(A),
    Right(B),
}

/// Waits for whichever of two futures finishes first (the left one wins a tie); the other is
/// dropped.
pub async fn race<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    std::future::poll_fn(move |cx: &mut Context<'_>| {
        if let Poll::Ready(x) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(x));
        }
        if let Poll::Ready(y) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(y));
        }
        Poll::Pending
    })
    .await
}

/// A boxed, non-`Send` future, the shape programs return.
pub type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// The lab's wall clock at virtual time zero, in seconds since the Unix epoch
/// (2026-01-01 00:00:00 UTC). Fixed, not read from the host, so that the same seed gives the
/// same timestamps in every capture file. The lab's time zone is UTC.
pub const BOOT_EPOCH_SECS: i64 = 1_767_225_600;

/// The wall-clock time of virtual time `t`: seconds since the Unix epoch and nanoseconds.
pub fn wall_clock(t: Time) -> (i64, u32) {
    let ns = t.as_nanos();
    (
        BOOT_EPOCH_SECS + (ns / 1_000_000_000) as i64,
        (ns % 1_000_000_000) as u32,
    )
}
