//! Sockets: what programs open to send and receive (raw ICMP as ping uses it, UDP).
//!
//! Received data and errors queue on the socket; the socket holds one waker, woken when
//! either queue grows. Errors reported through `IP_RECVERR` (what traceroute reads) come from
//! ICMP messages that quote a datagram this socket sent.

use std::collections::VecDeque;
use std::net::Ipv4Addr;
use std::task::Waker;

use tsunagi_engine::Time;

use crate::core::{DevId, Env, Kernel, NsId, SockId};
use crate::ip::SendOpts;
use crate::ipopt::SockOptions;
use crate::rtnl::rtn;
use crate::wire::{self, Ipv4, IPPROTO_ICMP, IPPROTO_UDP};
use crate::Errno;

/// The kinds of socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SockKind {
    /// `socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)`: sends ICMP messages, receives a copy of
    /// every ICMP packet delivered to the host, IP header included.
    RawIcmp,
    /// `socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)`.
    Udp,
}

/// A received packet.
#[derive(Clone, Debug, PartialEq)]
pub struct Datagram {
    pub from: Ipv4Addr,
    /// The sender's port (UDP), 0 for raw sockets.
    pub port: u16,
    /// Raw sockets: the whole IP packet; UDP: the payload.
    pub data: Vec<u8>,
    /// The TTL it arrived with (`IP_RECVTTL`).
    pub ttl: u8,
    /// When it reached the socket (`SO_TIMESTAMP`).
    pub at: Time,
    /// The interface it arrived on.
    pub ifindex: u32,
}

/// An error queued by `IP_RECVERR`: an ICMP error about a datagram this socket sent
/// (`SO_EE_ORIGIN_ICMP`), or a send that failed on this host (`SO_EE_ORIGIN_LOCAL`).
#[derive(Clone, Debug, PartialEq)]
pub struct SockError {
    /// Who sent the ICMP error (`SO_EE_OFFENDER`); unspecified for local errors.
    pub offender: Ipv4Addr,
    pub icmp_type: u8,
    pub icmp_code: u8,
    /// Destination address and port of the datagram it is about.
    pub dst: Ipv4Addr,
    pub dport: u16,
    /// TTL of the ICMP error packet as it arrived.
    pub ttl: u8,
    pub at: Time,
    /// `Some(errno)` for a local error (`ee_errno` with `SO_EE_ORIGIN_LOCAL`): `EMSGSIZE`
    /// when a datagram does not fit the route's MTU.
    pub local: Option<Errno>,
    /// `ee_info`: the MTU for `EMSGSIZE` and "fragmentation needed", the pointer of a
    /// parameter problem, otherwise 0.
    pub info: u32,
    /// What `recvmsg(MSG_ERRQUEUE)` returns as data: for a raw ICMP socket the quoted ICMP
    /// message (its id and sequence say which probe it was), for UDP the quoted payload.
    pub data: Vec<u8>,
}

pub(crate) struct Socket {
    pub ns: NsId,
    pub kind: SockKind,
    pub local: Option<(Ipv4Addr, u16)>,
    pub bind_dev: Option<DevId>,
    pub ttl: Option<u8>,
    pub tos: u8,
    pub broadcast: bool,
    /// Path MTU discovery on (`IP_PMTUDISC_WANT`, the default): packets go with DF set.
    pub df: bool,
    /// `IP_OPTIONS`: what every packet this socket sends carries.
    pub ip_options: Option<SockOptions>,
    pub rx: VecDeque<Datagram>,
    pub errq: VecDeque<SockError>,
    pub waker: Option<Waker>,
}

impl Socket {
    fn wake(&mut self) {
        if let Some(w) = self.waker.take() {
            w.wake();
        }
    }
}

impl Kernel {
    fn sock(&self, s: SockId) -> Result<&Socket, Errno> {
        self.socks
            .get(s.0 as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::EBADF)
    }

    fn sock_mut(&mut self, s: SockId) -> Result<&mut Socket, Errno> {
        self.socks
            .get_mut(s.0 as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::EBADF)
    }

    /// `socket(2)` in namespace `ns`.
    pub fn sock_open(&mut self, ns: NsId, kind: SockKind) -> Result<SockId, Errno> {
        if !self.ns_alive(ns) {
            return Err(Errno::EINVAL);
        }
        let id = SockId(self.socks.len() as u32);
        self.socks.push(Some(Socket {
            ns,
            kind,
            local: None,
            bind_dev: None,
            ttl: None,
            tos: 0,
            broadcast: false,
            df: true,
            ip_options: None,
            rx: VecDeque::new(),
            errq: VecDeque::new(),
            waker: None,
        }));
        self.net_mut(ns).sockets.push(id);
        Ok(id)
    }

    /// `close(2)`.
    pub fn sock_close(&mut self, s: SockId) {
        if let Some(sock) = self.socks.get_mut(s.0 as usize).and_then(Option::take) {
            if let Some(net) = self
                .nets
                .get_mut(sock.ns.0 as usize)
                .and_then(Option::as_mut)
            {
                net.sockets.retain(|x| *x != s);
            }
        }
    }

    /// `bind(2)`: `EADDRNOTAVAIL` if `addr` is not an address of this host, `EADDRINUSE` if a
    /// UDP port is taken. Port 0 picks an ephemeral port for UDP.
    pub fn sock_bind(
        &mut self,
        s: SockId,
        addr: Ipv4Addr,
        port: u16,
        env: &mut dyn Env,
    ) -> Result<(), Errno> {
        let (ns, kind) = {
            let sock = self.sock(s)?;
            (sock.ns, sock.kind)
        };
        if !addr.is_unspecified() && !self.is_local_addr(ns, addr) && !addr.is_broadcast() {
            return Err(Errno::EADDRNOTAVAIL);
        }
        let port = if kind == SockKind::Udp {
            if port == 0 {
                self.ephemeral_port(ns, env)?
            } else if self.udp_port_used(ns, port) {
                return Err(Errno::EADDRINUSE);
            } else {
                port
            }
        } else {
            0
        };
        self.sock_mut(s)?.local = Some((addr, port));
        Ok(())
    }

    fn udp_port_used(&self, ns: NsId, port: u16) -> bool {
        self.net(ns).sockets.iter().any(|id| {
            self.sock(*id)
                .is_ok_and(|x| x.kind == SockKind::Udp && x.local.is_some_and(|(_, p)| p == port))
        })
    }

    fn ephemeral_port(&mut self, ns: NsId, env: &mut dyn Env) -> Result<u16, Errno> {
        let (lo, hi) = self.net(ns).sysctl.ip_local_port_range;
        let (lo, hi) = (lo as u64, hi as u64 + 1);
        let start = env.rng().range(lo, hi);
        for i in 0..(hi - lo) {
            let p = (lo + (start - lo + i) % (hi - lo)) as u16;
            if !self.udp_port_used(ns, p) {
                return Ok(p);
            }
        }
        Err(Errno::EADDRINUSE)
    }

    /// `IP_MTU_DISCOVER`: whether packets go with DF set.
    pub fn sock_set_df(&mut self, s: SockId, df: bool) -> Result<(), Errno> {
        self.sock_mut(s)?.df = df;
        Ok(())
    }

    /// `SO_BINDTODEVICE`: `ENODEV` if there is no such device in the socket's namespace.
    pub fn sock_bind_dev(&mut self, s: SockId, ifname: &str) -> Result<(), Errno> {
        let ns = self.sock(s)?.ns;
        let dev = self
            .net(ns)
            .devs
            .values()
            .copied()
            .find(|d| self.dev(*d).name == ifname)
            .ok_or(Errno::ENODEV)?;
        self.sock_mut(s)?.bind_dev = Some(dev);
        Ok(())
    }

    /// `IP_TTL`.
    pub fn sock_set_ttl(&mut self, s: SockId, ttl: u8) -> Result<(), Errno> {
        self.sock_mut(s)?.ttl = Some(ttl);
        Ok(())
    }

    /// `IP_TOS`.
    pub fn sock_set_tos(&mut self, s: SockId, tos: u8) -> Result<(), Errno> {
        self.sock_mut(s)?.tos = tos;
        Ok(())
    }

    /// `IP_OPTIONS`: up to 40 bytes of IP options for every packet sent (`EINVAL` for more,
    /// or for an option that is malformed); an empty list clears them.
    pub fn sock_set_ip_options(&mut self, s: SockId, opts: &[u8]) -> Result<(), Errno> {
        let sock = self.sock_mut(s)?;
        sock.ip_options = if opts.is_empty() {
            None
        } else {
            Some(SockOptions::from_user(opts).map_err(|()| Errno::EINVAL)?)
        };
        Ok(())
    }

    /// `SO_BROADCAST`.
    pub fn sock_set_broadcast(&mut self, s: SockId, on: bool) -> Result<(), Errno> {
        self.sock_mut(s)?.broadcast = on;
        Ok(())
    }

    /// The source address the kernel would use to reach `dst` (what `connect(2)` on a UDP
    /// socket followed by `getsockname` gives): `ENETUNREACH` without a route, `EACCES` for a
    /// broadcast destination without `SO_BROADCAST`.
    pub fn sock_route_src(&self, s: SockId, dst: Ipv4Addr) -> Result<Ipv4Addr, Errno> {
        let sock = self.sock(s)?;
        let bound = sock.local.map(|(a, _)| a).filter(|a| !a.is_unspecified());
        let rt = self.route_output(sock.ns, dst, bound, sock.bind_dev)?;
        // ip4_datagram_connect: a broadcast route needs SO_BROADCAST.
        if (rt.rtype == rtn::BROADCAST || dst.is_broadcast()) && !sock.broadcast {
            return Err(Errno::EACCES);
        }
        Ok(rt.src)
    }

    /// The address and port a socket is bound to.
    pub fn sock_local(&self, s: SockId) -> Result<Option<(Ipv4Addr, u16)>, Errno> {
        Ok(self.sock(s)?.local)
    }

    /// `sendto(2)`. Raw ICMP: `payload` is the ICMP message (checksum included). UDP:
    /// `payload` is the data; the socket gets an ephemeral port if it has none.
    pub fn sock_send_to(
        &mut self,
        s: SockId,
        dst: Ipv4Addr,
        port: u16,
        payload: &[u8],
        env: &mut dyn Env,
    ) -> Result<(), Errno> {
        let (ns, kind, local, oif, ttl, tos, broadcast, df) = {
            let x = self.sock(s)?;
            (
                x.ns,
                x.kind,
                x.local,
                x.bind_dev,
                x.ttl,
                x.tos,
                x.broadcast,
                x.df,
            )
        };
        let ip_options = self.sock(s)?.ip_options.clone();
        let src = local.map(|(a, _)| a).filter(|a| !a.is_unspecified());
        let opts = SendOpts {
            ttl,
            tos,
            oif,
            broadcast_ok: broadcast,
            df,
            options: ip_options.as_ref(),
        };
        match kind {
            SockKind::RawIcmp => {
                // raw_sendmsg refuses what cannot be an IP payload at all; what is too big for
                // the route is reported again on the error queue (ip_local_error).
                if payload.len() > 0xffff {
                    return Err(Errno::EMSGSIZE);
                }
                let r = self.ip_send(ns, src, dst, IPPROTO_ICMP, payload, opts, env);
                if r == Err(Errno::EMSGSIZE) {
                    let mtu = self
                        .route_output(ns, dst, src, oif)
                        .map(|rt| self.dev(rt.dev).mtu)
                        .unwrap_or(0);
                    let sock = self.sock_mut(s)?;
                    sock.errq.push_back(SockError {
                        offender: Ipv4Addr::UNSPECIFIED,
                        icmp_type: 0,
                        icmp_code: 0,
                        dst,
                        dport: 0,
                        ttl: 0,
                        at: env.now(),
                        local: Some(Errno::EMSGSIZE),
                        info: mtu,
                        data: payload[..payload.len().min(8)].to_vec(),
                    });
                    sock.wake();
                }
                r
            }
            SockKind::Udp => {
                let sport = match local {
                    Some((_, p)) if p != 0 => p,
                    _ => {
                        self.sock_bind(s, src.unwrap_or(Ipv4Addr::UNSPECIFIED), 0, env)?;
                        self.sock(s)?.local.map(|(_, p)| p).unwrap_or(0)
                    }
                };
                let mut udp = vec![0u8; 8 + payload.len()];
                wire::put16(&mut udp, 0, sport);
                wire::put16(&mut udp, 2, port);
                let ulen = udp.len() as u16;
                wire::put16(&mut udp, 4, ulen);
                udp[8..].copy_from_slice(payload);
                self.ip_send(ns, src, dst, IPPROTO_UDP, &udp, opts, env)
            }
        }
    }

    /// Takes the next received packet, or registers `waker` to hear of one.
    pub fn sock_poll_recv(&mut self, s: SockId, waker: &Waker) -> Result<Option<Datagram>, Errno> {
        let sock = self.sock_mut(s)?;
        match sock.rx.pop_front() {
            Some(d) => Ok(Some(d)),
            None => {
                sock.waker = Some(waker.clone());
                Ok(None)
            }
        }
    }

    /// Takes the next queued error (`MSG_ERRQUEUE`), or registers `waker`.
    pub fn sock_poll_err(&mut self, s: SockId, waker: &Waker) -> Result<Option<SockError>, Errno> {
        let sock = self.sock_mut(s)?;
        match sock.errq.pop_front() {
            Some(e) => Ok(Some(e)),
            None => {
                sock.waker = Some(waker.clone());
                Ok(None)
            }
        }
    }

    pub(crate) fn raw_deliver(&mut self, ns: NsId, ipb: &[u8], ip: &Ipv4, ifindex: u32, now: Time) {
        let devs = &self.devs;
        let bound_here = |d: Option<DevId>| {
            d.is_none_or(|d| {
                devs.get(d.0 as usize)
                    .and_then(Option::as_ref)
                    .is_some_and(|x| x.ifindex == ifindex)
            })
        };
        for sock in sockets_in(&mut self.socks, ns) {
            if sock.kind != SockKind::RawIcmp || !bound_here(sock.bind_dev) {
                continue;
            }
            sock.rx.push_back(Datagram {
                from: ip.src,
                port: 0,
                data: ipb.to_vec(),
                ttl: ip.ttl,
                at: now,
                ifindex,
            });
            sock.wake();
        }
    }

    /// Queues an ICMP error about an ICMP message on every raw ICMP socket that could have
    /// sent it (`raw_icmp_error` → `raw_err` with `IP_RECVERR`).
    pub(crate) fn raw_err(&mut self, ns: NsId, src: Ipv4Addr, e: SockError) {
        for sock in sockets_in(&mut self.socks, ns) {
            if sock.kind == SockKind::RawIcmp
                && sock
                    .local
                    .is_none_or(|(a, _)| a.is_unspecified() || a == src)
            {
                sock.errq.push_back(e.clone());
                sock.wake();
            }
        }
    }

    /// Queues a UDP datagram on the socket bound to `port`; false if there is none.
    pub(crate) fn udp_deliver(&mut self, ns: NsId, dst: Ipv4Addr, port: u16, d: Datagram) -> bool {
        let bound = |sock: &&mut Socket| {
            sock.kind == SockKind::Udp
                && sock
                    .local
                    .is_some_and(|(a, p)| p == port && (a.is_unspecified() || a == dst))
        };
        match sockets_in(&mut self.socks, ns).find(bound) {
            Some(sock) => {
                sock.rx.push_back(d);
                sock.wake();
                true
            }
            None => false,
        }
    }

    /// Queues an ICMP error on the UDP socket that sent from `src:sport`.
    pub(crate) fn udp_err(&mut self, ns: NsId, src: Ipv4Addr, sport: u16, e: SockError) {
        let sender = |sock: &&mut Socket| {
            sock.kind == SockKind::Udp
                && sock
                    .local
                    .is_some_and(|(a, p)| p == sport && (a.is_unspecified() || a == src))
        };
        if let Some(sock) = sockets_in(&mut self.socks, ns).find(sender) {
            sock.errq.push_back(e);
            sock.wake();
        }
    }
}

/// The open sockets of namespace `ns`, in the order they were opened (ids only grow), without
/// copying the namespace's socket list on every delivery.
fn sockets_in(socks: &mut [Option<Socket>], ns: NsId) -> impl Iterator<Item = &mut Socket> {
    socks.iter_mut().flatten().filter(move |s| s.ns == ns)
}
