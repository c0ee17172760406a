//! Waiting for several things at once, as the C tools do with poll(2): any of a set of
//! sockets (its error queue or its receive queue), a trapped signal, or a deadline.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use tsunagi_lab::{Datagram, Proc, Signal, SockError, Socket, Time};

/// What ended a [`wait`]. Packets and errors are taken off their socket.
pub enum Event {
    /// An error from socket `.0`'s error queue (`MSG_ERRQUEUE`).
    Error(usize, SockError),
    /// A packet from socket `.0`.
    Packet(usize, Datagram),
    /// A signal the process traps.
    Signal(Signal),
    /// The deadline passed.
    Timeout,
}

/// Waits until one of `socks` has an error or a packet (errors before packets, sockets in
/// order), a trapped signal arrives, or `deadline` (if any) is reached. Whatever is already
/// there is returned without waiting.
pub async fn wait(proc: &Proc, socks: &[&Socket], deadline: Option<Time>) -> Event {
    let sleep = async {
        match deadline {
            Some(t) => {
                let now = proc.now();
                if t > now {
                    proc.sleep(t - now).await;
                }
            }
            None => std::future::pending::<()>().await,
        }
    };
    let mut sleep = pin!(sleep);
    poll_fn(|cx| {
        for (i, s) in socks.iter().enumerate() {
            // Polling a receive future once takes what is queued or leaves our waker with the
            // socket; dropping it afterwards loses nothing.
            if let Poll::Ready(Ok(e)) = pin!(s.recv_err()).poll(cx) {
                return Poll::Ready(Event::Error(i, e));
            }
            if let Poll::Ready(Ok(d)) = pin!(s.recv()).poll(cx) {
                return Poll::Ready(Event::Packet(i, d));
            }
        }
        if let Poll::Ready(sig) = pin!(proc.signal()).poll(cx) {
            return Poll::Ready(Event::Signal(sig));
        }
        if sleep.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Event::Timeout);
        }
        Poll::Pending
    })
    .await
}
