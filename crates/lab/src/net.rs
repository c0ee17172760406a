//! Sockets as programs use them: open in the process's namespace, send, and await packets or
//! errors. Closing happens on drop.

use std::future::poll_fn;
use std::net::Ipv4Addr;
use std::task::Poll;

use tsunagi_kernel::{
    Captured, Datagram, Errno, FrameFilter, PacketId, PacketOpts, PacketStats, SockError, SockId,
    SockKind,
};

use crate::proc::Proc;
use crate::sys::Sys;

/// An open socket.
pub struct Socket {
    sys: Sys,
    id: SockId,
}

impl Socket {
    /// `socket(2)` in the process's namespace.
    pub fn open(proc: &Proc, kind: SockKind) -> Result<Socket, Errno> {
        let ns = proc.netns;
        let id = proc.sys.net(|k, _| k.sock_open(ns, kind))?;
        Ok(Socket {
            sys: proc.sys.clone(),
            id,
        })
    }

    pub fn bind(&self, addr: Ipv4Addr, port: u16) -> Result<(), Errno> {
        self.sys.net(|k, env| k.sock_bind(self.id, addr, port, env))
    }

    pub fn bind_device(&self, ifname: &str) -> Result<(), Errno> {
        self.sys.net(|k, _| k.sock_bind_dev(self.id, ifname))
    }

    pub fn set_ttl(&self, ttl: u8) -> Result<(), Errno> {
        self.sys.net(|k, _| k.sock_set_ttl(self.id, ttl))
    }

    pub fn set_tos(&self, tos: u8) -> Result<(), Errno> {
        self.sys.net(|k, _| k.sock_set_tos(self.id, tos))
    }

    /// `setsockopt(IP_OPTIONS)`.
    pub fn set_ip_options(&self, opts: &[u8]) -> Result<(), Errno> {
        self.sys.net(|k, _| k.sock_set_ip_options(self.id, opts))
    }

    /// `IP_MTU_DISCOVER`: `true` (`IP_PMTUDISC_DO`/`WANT`, the default) sends with DF set,
    /// `false` (`IP_PMTUDISC_DONT`) without.
    pub fn set_dont_fragment(&self, on: bool) -> Result<(), Errno> {
        self.sys.net(|k, _| k.sock_set_df(self.id, on))
    }

    pub fn set_broadcast(&self, on: bool) -> Result<(), Errno> {
        self.sys.net(|k, _| k.sock_set_broadcast(self.id, on))
    }

    /// The source address a packet to `dst` would get (`connect` + `getsockname`).
    pub fn route_src(&self, dst: Ipv4Addr) -> Result<Ipv4Addr, Errno> {
        self.sys.net(|k, _| k.sock_route_src(self.id, dst))
    }

    /// The bound address and port.
    pub fn local(&self) -> Result<Option<(Ipv4Addr, u16)>, Errno> {
        self.sys.net(|k, _| k.sock_local(self.id))
    }

    /// `sendto(2)`.
    pub fn send_to(&self, dst: Ipv4Addr, port: u16, payload: &[u8]) -> Result<(), Errno> {
        self.sys
            .net(|k, env| k.sock_send_to(self.id, dst, port, payload, env))
    }

    /// Waits for the next packet.
    pub async fn recv(&self) -> Result<Datagram, Errno> {
        poll_fn(
            |cx| match self.sys.net(|k, _| k.sock_poll_recv(self.id, cx.waker())) {
                Ok(Some(d)) => Poll::Ready(Ok(d)),
                Ok(None) => Poll::Pending,
                Err(e) => Poll::Ready(Err(e)),
            },
        )
        .await
    }

    /// Waits for the next queued error (`recvmsg(MSG_ERRQUEUE)` after `IP_RECVERR`).
    pub async fn recv_err(&self) -> Result<SockError, Errno> {
        poll_fn(
            |cx| match self.sys.net(|k, _| k.sock_poll_err(self.id, cx.waker())) {
                Ok(Some(d)) => Poll::Ready(Ok(d)),
                Ok(None) => Poll::Pending,
                Err(e) => Poll::Ready(Err(e)),
            },
        )
        .await
    }

    /// Takes a queued packet without waiting.
    pub fn try_recv(&self) -> Option<Datagram> {
        let waker = std::task::Waker::noop();
        self.sys
            .net(|k, _| k.sock_poll_recv(self.id, waker))
            .ok()
            .flatten()
    }

    /// Takes a queued error without waiting.
    pub fn try_recv_err(&self) -> Option<SockError> {
        let waker = std::task::Waker::noop();
        self.sys
            .net(|k, _| k.sock_poll_err(self.id, waker))
            .ok()
            .flatten()
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.sys.try_net(|k| k.sock_close(self.id));
    }
}

/// An open packet socket (`AF_PACKET`, as libpcap opens it for a capture).
pub struct PacketSocket {
    sys: Sys,
    id: PacketId,
}

impl PacketSocket {
    /// Opens a capture in the process's namespace: on one interface or, with no index, on
    /// all of them.
    pub fn open(proc: &Proc, opts: PacketOpts) -> Result<PacketSocket, Errno> {
        let ns = proc.netns;
        let id = proc.sys.net(|k, env| k.packet_open(ns, opts, env))?;
        Ok(PacketSocket {
            sys: proc.sys.clone(),
            id,
        })
    }

    /// `SO_ATTACH_FILTER`.
    pub fn set_filter(&self, filter: Box<dyn FrameFilter>) -> Result<(), Errno> {
        self.sys.net(|k, _| k.packet_set_filter(self.id, filter))
    }

    /// Waits for the next captured frame.
    pub async fn recv(&self) -> Result<Captured, Errno> {
        poll_fn(
            |cx| match self.sys.net(|k, _| k.packet_poll_recv(self.id, cx.waker())) {
                Ok(Some(d)) => Poll::Ready(Ok(d)),
                Ok(None) => Poll::Pending,
                Err(e) => Poll::Ready(Err(e)),
            },
        )
        .await
    }

    /// `PACKET_STATISTICS`.
    pub fn stats(&self) -> PacketStats {
        self.sys
            .net(|k, _| k.packet_stats(self.id))
            .unwrap_or_default()
    }
}

impl Drop for PacketSocket {
    fn drop(&mut self) {
        self.sys.try_net(|k| k.packet_close(self.id));
    }
}
