//! `traceroute` as traceroute 2.1.2 ships it in Debian 12: UDP probes to ports 33434 and up
//! (the "default" method), one UDP port (`-U`), or ICMP echoes on a raw socket (`-I`).
//!
//! Read traceroute(8) and traceroute/traceroute.c: `do_it` (up to `-N` probes in flight, the
//! next one sent as soon as one is printed), `get_timeout` (the `-w MAX,HERE,NEAR` wait: a
//! probe waits HERE times the round trip of an answered probe of its hop, else NEAR times
//! that of a later answered probe, else MAX seconds), `check_expired` (a silent probe may
//! take the place of a later final answer), `print_probe` (one line a hop, a new address
//! printed whenever it changes) and `parse_icmp_res` (the `!N !H !X !P ...` annotations);
//! traceroute/mod-udp.c and mod-icmp.c for the probes. Each UDP probe has its own socket and
//! hears of its fate through `IP_RECVERR`; times are the receive timestamps minus the send
//! time, in virtual time.
//!
//! Not here: the TCP, DCCP, UDPLITE and raw methods ("Unknown traceroute module"), IP
//! options (`-g`), `--mtu`, AS path lookups (`-A`) and ICMP extensions (`-e`); a packet
//! larger than the route MTU is not fragmented.

mod args;

use std::net::Ipv4Addr;

use tsunagi_kernel::wire;
use tsunagi_lab::{Datagram, Errno, LocalBoxFuture, Proc, SockError, SockKind, Socket, Time};

use crate::cnum::fmt_g;
use crate::netdb::Hosts;
use crate::wait::{wait, Event};
use args::{Config, Module};

/// `DEF_WAIT_PREC`: added to a round trip before it is multiplied.
const DEF_WAIT_PREC: f64 = 0.001;
/// `DEF_START_PORT`, `DEF_UDP_PORT`.
const DEF_START_PORT: u32 = 33434;
const DEF_UDP_PORT: u32 = 53;
/// `MAX_PACKET_LEN`.
const MAX_PACKET_LEN: i64 = 65000;

/// The program's entry point.
pub fn main(proc: Proc) -> LocalBoxFuture<i32> {
    Box::pin(run(proc))
}

/// Where gettimeofday's seconds start for the lab's time 0: traceroute takes a time of 0
/// for "not sent", so the clock must not start there (and doubles keep microseconds at this
/// size, as they do with the real date).
const EPOCH_SECS: u64 = 1_700_000_000;

/// `get_time`: seconds with the microseconds of gettimeofday.
fn secs(t: Time) -> f64 {
    let us = t.as_nanos() / 1_000;
    (us % 1_000_000) as f64 / 1e6 + (us / 1_000_000 + EPOCH_SECS) as f64
}

/// One probe (`struct probe`).
#[derive(Clone, Debug, Default)]
struct Probe {
    done: bool,
    final_: bool,
    /// Who answered.
    res: Option<Ipv4Addr>,
    send_time: f64,
    recv_time: f64,
    recv_ttl: i32,
    /// UDP: the destination port; ICMP: the sequence number; 0 once done.
    seq: u32,
    err_str: String,
}

/// Why a run stopped early: `error()` (status 1) or `ex_error()` (status 2).
enum Fail {
    Perror(&'static str, Errno),
    Ex(String),
}

struct Trace {
    proc: Proc,
    c: Config,
    hosts: Hosts,
    header_len: usize,
    data_len: usize,
    data: Vec<u8>,
    probes: Vec<Probe>,
    /// UDP: one socket per probe in flight, in the order they were opened (poll order).
    socks: Vec<(usize, Socket)>,
    /// ICMP: the one raw socket, its id, the next sequence number and the TTL last set.
    icmp: Option<Socket>,
    ident: u16,
    icmp_seq: u32,
    last_ttl: u32,
    /// UDP: the next destination port (0 for `-U`, which keeps one port).
    curr_port: u32,
    dst_port: u32,
}

async fn run(proc: Proc) -> i32 {
    let hosts = Hosts::load(&proc).await;
    let posix = proc.env.contains_key("POSIXLY_CORRECT");
    let (c, warn) = match args::parse(&proc.argv, &hosts, posix) {
        Ok(x) => x,
        Err(e) => {
            proc.err(e.stderr);
            return e.code;
        }
    };
    proc.err(warn);
    match Trace::start(proc, c, hosts).await {
        Ok(()) => 0,
        Err((proc, Fail::Perror(what, e))) => {
            proc.err(format!("\n{what}: {}\n", e.strerror()));
            1
        }
        Err((proc, Fail::Ex(msg))) => {
            proc.err(format!("{msg}\n"));
            2
        }
    }
}

impl Trace {
    /// main()'s checks and the method's init, then `do_it`.
    async fn start(proc: Proc, mut c: Config, hosts: Hosts) -> Result<(), (Proc, Fail)> {
        macro_rules! ex {
            ($($t:tt)*) => {
                return Err((proc, Fail::Ex(format!($($t)*))))
            };
        }
        if c.first_hop == 0 || c.first_hop > c.max_hops {
            ex!("first hop out of range");
        }
        if c.max_hops > 255 {
            ex!("max hops cannot be more than 255");
        }
        if c.probes_per_hop == 0 || c.probes_per_hop > 10 {
            ex!("no more than 10 probes per hop");
        }
        if c.wait_secs < 0.0 || c.here_factor < 0.0 || c.near_factor < 0.0 {
            ex!(
                "bad wait specifications `{},{},{}' used",
                fmt_g(c.wait_secs),
                fmt_g(c.here_factor),
                fmt_g(c.near_factor)
            );
        }
        if c.packet_len > MAX_PACKET_LEN {
            ex!("too big packetlen {} specified", c.packet_len);
        }
        if c.send_secs < 0.0 {
            ex!("bad sendtime `{}' specified", fmt_g(c.send_secs));
        }
        if c.send_secs >= 10.0 {
            c.send_secs /= 1000.0;
        }
        if c.src_port != 0 {
            c.sim_probes = 1;
            c.here_factor = 0.0;
            c.near_factor = 0.0;
        }
        if c.gateways > 8 {
            ex!("Too many gateways specified. No more than 8");
        }
        let rtbuf_len = if c.gateways > 0 {
            4 + (c.gateways + 1) * 4
        } else {
            0
        };
        let ops_header = if c.module == Module::Icmp { 0 } else { 8 };
        let header_len = 20 + rtbuf_len + ops_header;
        let mut data_len = 0;
        if c.packet_len < 0 {
            if 40 >= ops_header {
                data_len = 40 - ops_header;
            }
        } else if c.packet_len as usize >= header_len {
            data_len = c.packet_len as usize - header_len;
        }
        let num_probes = (c.max_hops * c.probes_per_hop) as usize;
        let mut t = Trace {
            header_len,
            data_len,
            data: Vec::new(),
            probes: vec![Probe::default(); num_probes],
            socks: Vec::new(),
            icmp: None,
            ident: 0,
            icmp_seq: 1,
            last_ttl: 0,
            curr_port: 0,
            dst_port: 0,
            hosts,
            c,
            proc,
        };
        if let Err(f) = t.init() {
            return Err((t.proc, f));
        }
        match t.do_it().await {
            Ok(()) => Ok(()),
            Err(f) => Err((t.proc, f)),
        }
    }

    /// The method's `init`: the payload, and for ICMP the socket.
    fn init(&mut self) -> Result<(), Fail> {
        match self.c.module {
            Module::Default | Module::Udp => {
                if self.c.module == Module::Default {
                    self.curr_port = if self.c.dst_port_seq != 0 {
                        self.c.dst_port_seq
                    } else {
                        DEF_START_PORT
                    };
                    self.dst_port = self.curr_port;
                } else {
                    self.dst_port = if self.c.dst_port_seq != 0 {
                        self.c.dst_port_seq
                    } else {
                        DEF_UDP_PORT
                    };
                }
                self.data = (0..self.data_len)
                    .map(|i| 0x40 + (i & 0x3f) as u8)
                    .collect();
            }
            Module::Icmp => {
                if self.c.dst_port_seq != 0 {
                    self.icmp_seq = self.c.dst_port_seq;
                }
                self.data_len = self.data_len.max(8);
                self.data = (0..self.data_len)
                    .map(|i| if i < 8 { 0 } else { 0x40 + (i & 0x3f) as u8 })
                    .collect();
                let sock = Socket::open(&self.proc, SockKind::RawIcmp)
                    .map_err(|e| Fail::Perror("socket", e))?;
                self.tune_socket(&sock)?;
                // Connected to the destination: only its packets come in.
                sock.route_src(self.c.dst_addr)
                    .map_err(|e| Fail::Perror("connect", e))?;
                self.ident = (self.proc.pid.0 & 0xffff) as u16;
                self.icmp = Some(sock);
            }
        }
        if self.c.gateways > 0 {
            // The loose source route goes in IP options, which the lab's IPv4 does not carry.
            return Err(Fail::Perror("setsockopt IP_OPTIONS", Errno::EOPNOTSUPP));
        }
        Ok(())
    }

    /// `tune_socket` / `bind_socket`: the device, the source, the TOS.
    fn tune_socket(&self, s: &Socket) -> Result<(), Fail> {
        if let Some(dev) = &self.c.device {
            s.bind_device(dev)
                .map_err(|e| Fail::Perror("setsockopt SO_BINDTODEVICE", e))?;
        }
        let src = self.c.src_addr.unwrap_or(Ipv4Addr::UNSPECIFIED);
        s.bind(src, self.c.src_port as u16)
            .map_err(|e| Fail::Perror("bind", e))?;
        if self.c.tos != 0 {
            s.set_tos(self.c.tos as u8)
                .map_err(|e| Fail::Perror("setsockopt IP_TOS", e))?;
        }
        // Path MTU discovery off unless -F: probes go without DF.
        if !self.c.dont_fragment {
            s.set_dont_fragment(false)
                .map_err(|e| Fail::Perror("setsockopt IP_MTU_DISCOVER", e))?;
        }
        Ok(())
    }

    fn now(&self) -> f64 {
        secs(self.proc.now())
    }

    fn say(&self, s: impl AsRef<[u8]>) {
        self.proc.out(s);
    }

    // --- sending --------------------------------------------------------------------------

    /// The method's `send_probe`. A probe the socket could not take keeps `send_time == 0`.
    fn send_probe(&mut self, n: usize, ttl: u32) -> Result<(), Fail> {
        match self.c.module {
            Module::Default | Module::Udp => {
                let s = Socket::open(&self.proc, SockKind::Udp)
                    .map_err(|e| Fail::Perror("socket", e))?;
                self.tune_socket(&s)?;
                s.set_ttl(ttl as u8)
                    .map_err(|e| Fail::Perror("setsockopt IP_TTL", e))?;
                s.route_src(self.c.dst_addr)
                    .map_err(|e| Fail::Perror("connect", e))?;
                self.probes[n].send_time = self.now();
                match s.send_to(self.c.dst_addr, self.dst_port as u16, &self.data) {
                    Ok(()) | Err(Errno::EMSGSIZE) => {}
                    Err(Errno::ENOBUFS | Errno::EAGAIN) => {
                        self.probes[n].send_time = 0.0;
                        return Ok(());
                    }
                    Err(e) => return Err(Fail::Perror("send", e)),
                }
                self.socks.push((n, s));
                self.probes[n].seq = self.dst_port;
                if self.curr_port != 0 {
                    self.curr_port += 1;
                    self.dst_port = self.curr_port;
                }
            }
            Module::Icmp => {
                let Some(sock) = &self.icmp else {
                    return Ok(());
                };
                if ttl != self.last_ttl {
                    sock.set_ttl(ttl as u8)
                        .map_err(|e| Fail::Perror("setsockopt IP_TTL", e))?;
                    self.last_ttl = ttl;
                }
                let mut pkt = self.data.clone();
                pkt[0] = wire::ICMP_ECHO;
                pkt[1] = 0;
                pkt[2] = 0;
                pkt[3] = 0;
                pkt[4..6].copy_from_slice(&self.ident.to_be_bytes());
                pkt[6..8].copy_from_slice(&(self.icmp_seq as u16).to_be_bytes());
                let c = wire::checksum(&pkt);
                pkt[2..4].copy_from_slice(&c.to_be_bytes());
                self.probes[n].send_time = self.now();
                match sock.send_to(self.c.dst_addr, 0, &pkt) {
                    Ok(()) | Err(Errno::EMSGSIZE) => {}
                    Err(Errno::ENOBUFS | Errno::EAGAIN) => {
                        self.probes[n].send_time = 0.0;
                        return Ok(());
                    }
                    Err(e) => return Err(Fail::Perror("send", e)),
                }
                self.probes[n].seq = u32::from(self.icmp_seq as u16);
                self.icmp_seq += 1;
            }
        }
        Ok(())
    }

    /// `probe_done`: the socket closes, the probe no longer matches replies.
    fn probe_done(&mut self, n: usize) {
        self.socks.retain(|(i, _)| *i != n);
        let pb = &mut self.probes[n];
        pb.seq = 0;
        pb.done = true;
    }

    // --- receiving ------------------------------------------------------------------------

    /// `recv_reply` for an error-queue message of socket `k` of the poll set.
    fn got_error(&mut self, k: usize, e: SockError) {
        let n = match self.c.module {
            Module::Icmp => {
                let d = &e.data;
                if d.len() < 8 || wire::be16(d, 4) != self.ident {
                    return;
                }
                match self.probe_by_seq(u32::from(wire::be16(d, 6))) {
                    Some(n) => n,
                    None => return,
                }
            }
            _ => {
                let Some(&(n, _)) = self.socks.get(k) else {
                    return;
                };
                if self.probes[n].seq != u32::from(e.dport) {
                    return;
                }
                n
            }
        };
        let pb = &mut self.probes[n];
        pb.recv_time = secs(e.at);
        pb.recv_ttl = i32::from(e.ttl);
        if let Some(errno) = e.local {
            // parse_local_res: "frag needed" here.
            if errno == Errno::EMSGSIZE && e.info != 0 {
                pb.err_str = format!("!F-{}", e.info);
                pb.final_ = true;
            }
        } else {
            pb.res = Some(e.offender);
            parse_icmp_res(pb, e.icmp_type, e.icmp_code, e.info);
        }
        self.probe_done(n);
    }

    /// `recv_reply` for a packet of socket `k` of the poll set.
    fn got_packet(&mut self, k: usize, d: Datagram) {
        let n = match self.c.module {
            Module::Icmp => {
                // The socket is connected to the destination: nothing else comes in.
                if d.from != self.c.dst_addr {
                    return;
                }
                let hlen = d.data.first().map_or(0, |b| usize::from(b & 0x0f) * 4);
                let Some(icmp) = d.data.get(hlen..).filter(|x| x.len() >= 8) else {
                    return;
                };
                if wire::be16(icmp, 4) != self.ident {
                    return;
                }
                let Some(n) = self.probe_by_seq(u32::from(wire::be16(icmp, 6))) else {
                    return;
                };
                if icmp[0] != wire::ICMP_ECHOREPLY {
                    return;
                }
                n
            }
            _ => {
                let Some(&(n, _)) = self.socks.get(k) else {
                    return;
                };
                if d.from != self.c.dst_addr || self.probes[n].seq != u32::from(d.port) {
                    return;
                }
                n
            }
        };
        let pb = &mut self.probes[n];
        pb.final_ = true;
        pb.res = Some(d.from);
        pb.recv_time = secs(d.at);
        pb.recv_ttl = i32::from(d.ttl);
        self.probe_done(n);
    }

    fn probe_by_seq(&self, seq: u32) -> Option<usize> {
        if seq == 0 {
            return None;
        }
        self.probes.iter().position(|p| p.seq == seq)
    }

    // --- timing ---------------------------------------------------------------------------

    /// `get_timeout`.
    fn get_timeout(&self, n: usize) -> f64 {
        let q = self.c.probes_per_hop as usize;
        let w = self.c.wait_secs;
        let rtt = |p: &Probe| p.recv_time - p.send_time;
        if self.c.here_factor != 0.0 {
            let first = n - n % q;
            for p in &self.probes[first..first + q] {
                if p.done && rtt(p) > 0.0 {
                    let v = (rtt(p) + DEF_WAIT_PREC) * self.c.here_factor;
                    return if v < w { v } else { w };
                }
            }
        }
        if self.c.near_factor != 0.0 {
            for p in self.probes[n + 1..]
                .iter()
                .take_while(|p| p.send_time != 0.0)
            {
                if p.done && rtt(p) > 0.0 {
                    let v = (rtt(p) + DEF_WAIT_PREC) * self.c.near_factor;
                    return if v < w { v } else { w };
                }
            }
        }
        w
    }

    /// `check_expired`: a probe that got nothing may take the place of a later final one.
    fn check_expired(&mut self, n: usize) {
        let q = self.c.probes_per_hop as usize;
        let probes = &self.probes;
        if !probes[n].done {
            return;
        }
        let mut pfp = false;
        for p in &probes[n - n % q..n] {
            if !p.done || !p.final_ {
                return;
            }
            pfp = true;
        }
        let mut fp = None;
        for (i, p) in probes.iter().enumerate().skip(n + 1) {
            if p.send_time == 0.0 {
                break;
            }
            if p.done {
                if !p.final_ {
                    return;
                }
                fp = Some(i);
                break;
            }
        }
        let Some(f) = fp else { return };
        if probes[f].err_str.is_empty() {
            return;
        }
        let replace = pfp
            || (n % q) + (f - n) < q
            || probes[..n]
                .iter()
                .any(|p| p.res.is_some() && p.res == probes[f].res)
            || (probes[f].recv_ttl != 0 && {
                let mut back_hops = ttl2hops(probes[f].recv_ttl);
                for (i, p) in probes[..n].iter().enumerate().rev() {
                    if p.done && !p.final_ && p.recv_ttl != 0 {
                        let hops = ttl2hops(p.recv_ttl);
                        if hops < back_hops {
                            let ttl = (i / q + 1) as i32;
                            back_hops = (back_hops - hops) + ttl;
                            break;
                        }
                    }
                }
                back_hops <= (n / q + 1) as i32
            });
        if replace {
            self.probes[n] = self.probes[f].clone();
            self.probes[f] = Probe {
                send_time: 1.0,
                ..Probe::default()
            };
        }
    }

    // --- printing -------------------------------------------------------------------------

    fn addr(&self, a: Ipv4Addr) -> String {
        if self.c.noresolve {
            format!(" {a}")
        } else {
            format!(" {} ({a})", self.hosts.name_of(a))
        }
    }

    /// `print_probe`.
    fn print_probe(&self, n: usize) {
        let q = self.c.probes_per_hop as usize;
        let ttl = n / q + 1;
        let mut np = n % q;
        let pb = &self.probes[n];
        let mut s = String::new();
        if np == 0 {
            s.push_str(&format!("\n{ttl:2} "));
        }
        match pb.res {
            None => s.push_str(" *"),
            Some(res) => {
                let mut prn = np == 0;
                if np != 0 {
                    let mut p = n - 1;
                    while np != 0 && self.probes[p].res.is_none() {
                        np -= 1;
                        if p == 0 {
                            break;
                        }
                        p -= 1;
                    }
                    let prev = &self.probes[p];
                    if np == 0
                        || prev.res != pb.res
                        || (self.c.backward && prev.recv_ttl != pb.recv_ttl)
                    {
                        prn = true;
                    }
                }
                if prn {
                    s.push_str(&self.addr(res));
                    if self.c.backward && pb.recv_ttl != 0 {
                        let hops = ttl2hops(pb.recv_ttl);
                        if hops != ttl as i32 {
                            s.push_str(&format!(" '-{hops}'"));
                        }
                    }
                }
            }
        }
        if pb.recv_time != 0.0 {
            s.push_str(&format!(
                "  {:.3} ms",
                (pb.recv_time - pb.send_time) * 1000.0
            ));
        }
        if !pb.err_str.is_empty() {
            s.push(' ');
            s.push_str(&pb.err_str);
        }
        self.say(s);
    }

    // --- the loop -------------------------------------------------------------------------

    /// `do_it`.
    async fn do_it(&mut self) -> Result<(), Fail> {
        let q = self.c.probes_per_hop as usize;
        let mut start = (self.c.first_hop as usize - 1) * q;
        let mut end = self.probes.len();
        let mut last_send = 0.0;
        self.say(format!(
            "traceroute to {} ({}), {} hops max, {} byte packets",
            self.c.dst_name,
            self.c.dst_addr,
            self.c.max_hops,
            self.header_len + self.data_len
        ));
        while start < end {
            let mut num = 0;
            let mut next_time = 0.0;
            let now_time = self.now();
            let mut n = start;
            while n < end {
                if n == start && !self.probes[n].done && self.probes[n].send_time != 0.0 {
                    let expire_time = self.probes[n].send_time + self.get_timeout(n);
                    if expire_time > now_time {
                        next_time = expire_time;
                    } else {
                        self.probe_done(n);
                        self.check_expired(n);
                    }
                }
                if self.probes[n].done {
                    if n == start {
                        self.print_probe(n);
                        start += 1;
                    }
                    if self.probes[n].final_ {
                        end = (n / q + 1) * q;
                    }
                    n += 1;
                    continue;
                }
                if self.probes[n].send_time == 0.0 {
                    let next = last_send + self.c.send_secs;
                    if self.c.send_secs != 0.0 && next > now_time {
                        next_time = next;
                        break;
                    }
                    self.send_probe(n, (n / q + 1) as u32)?;
                    if self.probes[n].send_time == 0.0 {
                        if next_time != 0.0 {
                            break;
                        }
                        return Err(Fail::Perror("send probe", Errno::ENOBUFS));
                    }
                    last_send = self.probes[n].send_time;
                }
                if next_time == 0.0 {
                    next_time = self.probes[n].send_time + self.get_timeout(n);
                }
                num += 1;
                if num >= self.c.sim_probes {
                    break;
                }
                n += 1;
            }
            if next_time != 0.0 {
                self.do_poll(next_time).await;
            }
        }
        self.say("\n");
        Ok(())
    }

    /// `do_poll`: waits until `until` (seconds) for any socket, then reads one message from
    /// each socket that has one, in poll order.
    async fn do_poll(&mut self, until: f64) {
        // poll(2) takes an int of milliseconds: beyond that (or NaN) it waits forever.
        let ms = (until - self.now()) * 1000.0;
        let forever = ms.is_nan() || ms >= 2_147_483_648.0;
        // Wake in the first microsecond after `until`, so that the loop sees it passed.
        let us = (((until - EPOCH_SECS as f64) * 1e6).floor().max(0.0) as u64).saturating_add(1);
        let wake = Time(us.saturating_mul(1_000));
        // Time must move on even if rounding put `until` in the past.
        let deadline = wake.max(self.proc.now() + tsunagi_lab::Duration::from_micros(1));
        let ev = {
            let socks: Vec<&Socket> = match &self.icmp {
                Some(s) => vec![s],
                None => self.socks.iter().map(|(_, s)| s).collect(),
            };
            wait(&self.proc, &socks, (!forever).then_some(deadline)).await
        };
        let first = match ev {
            Event::Error(k, e) => {
                let n = self.socks.get(k).map(|x| x.0);
                self.got_error(k, e);
                (k, n)
            }
            Event::Packet(k, d) => {
                let n = self.socks.get(k).map(|x| x.0);
                self.got_packet(k, d);
                (k, n)
            }
            Event::Signal(_) | Event::Timeout => return,
        };
        if self.icmp.is_some() {
            return;
        }
        // The other sockets that poll found ready at the same time, after the first.
        let after: Vec<usize> = {
            let pos = self
                .socks
                .iter()
                .position(|(n, _)| Some(*n) == first.1)
                .map_or(first.0, |p| p + 1);
            self.socks[pos.min(self.socks.len())..]
                .iter()
                .map(|(n, _)| *n)
                .collect()
        };
        for n in after {
            let Some(k) = self.socks.iter().position(|(i, _)| *i == n) else {
                continue;
            };
            let s = &self.socks[k].1;
            if let Some(e) = s.try_recv_err() {
                self.got_error(k, e);
            } else if let Some(d) = s.try_recv() {
                self.got_packet(k, d);
            }
        }
    }
}

/// `ttl2hops`: how far the answer came, guessing an initial TTL of 64, 128 or 255.
fn ttl2hops(ttl: i32) -> i32 {
    (if ttl <= 64 {
        65
    } else if ttl <= 128 {
        129
    } else {
        256
    }) - ttl
}

/// `parse_icmp_res` for IPv4.
fn parse_icmp_res(pb: &mut Probe, t: u8, code: u8, info: u32) {
    let s: Option<String> = match t {
        wire::ICMP_TIME_EXCEEDED if code == 0 => return,
        wire::ICMP_DEST_UNREACH => Some(match code {
            0 | 6 | 8 | 11 => "!N".into(),
            1 | 7 | 12 => "!H".into(),
            9 | 10 | 13 => "!X".into(),
            3 => String::new(),
            2 => "!P".into(),
            4 => format!("!F-{info}"),
            5 => "!S".into(),
            14 => "!V".into(),
            15 => "!C".into(),
            _ => format!("!<{code}>"),
        }),
        _ => None,
    };
    let s = s.unwrap_or_else(|| format!("!<{t}-{code}>"));
    if !s.is_empty() {
        pb.err_str = s;
    }
    pb.final_ = true;
}

#[cfg(test)]
mod tests;
