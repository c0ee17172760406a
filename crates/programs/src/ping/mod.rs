//! `ping` as iputils 20221126 ships it in Debian 12, IPv4 over a raw ICMP socket (what ping
//! falls back to as root when `net.ipv4.ping_group_range` forbids datagram sockets, the
//! default in a new namespace).
//!
//! Read ping(8) and the sources it mirrors: ping/ping.c (`ping4_run`, `ping4_parse_reply`,
//! `ping4_receive_error_msg`, `pr_icmph`) and ping/ping_common.c (`pinger`, `main_loop`,
//! `gather_statistics`, `finish`). The send schedule (a token bucket in milliseconds), the
//! exit timer (`-W` or twice the worst round trip), the `-w` deadline, in-flight accounting
//! (`pipe N`), flood output and the summary arithmetic follow those functions step by step,
//! in virtual time: a reply's round trip is its receive timestamp minus the `timeval` the
//! request carried.
//!
//! Not here: IPv6, IP options (`-R`, `-T`, source routes are refused), `-v` diagnostics
//! beyond the socket line, the addresses and the `ident=` of replies, fragmentation (a request larger than the route MTU fails with "message too long"), and
//! stdout buffering (a ping killed by SIGTERM has printed its lines; the real one loses them
//! when stdout is a pipe).

mod args;

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use tsunagi_kernel::rtnl::AddrMsg;
use tsunagi_kernel::wire;
use tsunagi_lab::{
    Datagram, Duration, Errno, LocalBoxFuture, Proc, Signal, SockError, SockKind, Socket, Time,
};

use crate::cnum::fmt_g;
use crate::netdb::{inet_aton, GaiError, Hosts};
use crate::wait::{wait, Event};
use args::{Family, Opts, MAX_DUP_CHK, USAGE};

/// `MININTERVAL`: the shortest gap (ms) when nothing comes back in flood mode.
const MININTERVAL: i64 = 10;
/// IP options ping reads and writes (RFC 791): end of list, no-op, record route; the
/// smallest route pointer; how many addresses `-R` makes room for.
const IPOPT_EOL: u8 = 0;
const IPOPT_NOP: u8 = 1;
const IPOPT_RR: u8 = 7;
const IPOPT_MINOFF: u8 = 4;
const NROUTES: usize = 9;

/// The most requests sent in one millisecond of virtual time (see `pinger`).
const SEND_BURST: u32 = 200;

/// The program's entry point.
pub fn main(proc: Proc) -> LocalBoxFuture<i32> {
    Box::pin(run(proc))
}

fn schint(ms: i64) -> i64 {
    if ms <= MININTERVAL {
        MININTERVAL
    } else {
        ms
    }
}

/// Microseconds since the lab booted: what `gettimeofday` gives here.
fn usecs(t: Time) -> i64 {
    (t.as_nanos() / 1_000) as i64
}

async fn run(proc: Proc) -> i32 {
    let posix = proc.env.contains_key("POSIXLY_CORRECT");
    let (o, warn) = match args::parse(&proc.argv, posix) {
        Ok(x) => x,
        Err(e) => {
            proc.out(&e.stdout);
            proc.err(&e.stderr);
            return e.code;
        }
    };
    proc.err(&warn);
    if o.targets.is_empty() {
        proc.err("ping: usage error: Destination address required\n");
        return 1;
    }
    let datalen = o.datalen;
    // The packet as setup() leaves it: data bytes counting up, or the -p pattern.
    let mut outpack = vec![0u8; datalen.min(0x1_0000) + 28];
    if let Some(pat) = &o.pattern {
        match fill(&mut outpack, pat, datalen) {
            Ok(shown) => {
                if !o.quiet {
                    proc.out(format!("PATTERN: 0x{shown}\n"));
                }
            }
            Err(bad) => {
                proc.err(format!(
                    "ping: patterns must be specified as hex digits: {bad}\n"
                ));
                return 2;
            }
        }
    } else {
        for (i, b) in outpack.iter_mut().skip(8).take(datalen).enumerate() {
            *b = i as u8;
        }
    }
    let hosts = Hosts::load(&proc).await;
    let Some(target) = o.targets.last().cloned() else {
        return 1;
    };
    if o.verbose {
        // main(): the sockets made (raw, as root), then each address getaddrinfo gave.
        let (fd6, type6) = if o.family == Family::V4 {
            ("-1", "0")
        } else {
            ("4", "SOCK_RAW")
        };
        let (fd4, type4) = if o.family == Family::V6 {
            ("-1", "0")
        } else {
            ("3", "SOCK_RAW")
        };
        let fam = match o.family {
            Family::Any => "AF_UNSPEC",
            Family::V4 => "AF_INET",
            Family::V6 => "AF_INET6",
        };
        proc.err(format!(
            "ping: sock4.fd: {fd4} (socktype: {type4}), sock6.fd: {fd6} (socktype: {type6}), hints.ai_family: {fam}\n\n"
        ));
    }
    // main(): getaddrinfo on the last operand, for the family asked.
    let resolved = match hosts.resolve(&target) {
        Ok(r) => r,
        Err(e) => {
            proc.err(format!("ping: {target}: {}\n", e.message()));
            return 2;
        }
    };
    if o.verbose {
        proc.out(format!(
            "ai->ai_family: AF_INET, ai->ai_canonname: '{}'\n",
            resolved.1
        ));
    }
    if o.family == Family::V6 {
        proc.err(format!(
            "ping: {target}: {}\n",
            GaiError::AddrFamily.message()
        ));
        return 2;
    }
    let mut p = match Ping::setup(proc, o, hosts, resolved, outpack).await {
        Ok(p) => p,
        Err(code) => return code,
    };
    p.main_loop().await
}

/// `fill()`: the `-p` pattern repeated over the data; the shown bytes, or the offending text.
fn fill(outpack: &mut [u8], pat: &str, datalen: usize) -> Result<String, String> {
    if let Some(i) = pat.find(|c: char| !c.is_ascii_hexdigit()) {
        return Err(pat[i..].to_string());
    }
    let bytes: Vec<u8> = pat
        .as_bytes()
        .chunks(2)
        .take(16)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap_or("0"), 16).unwrap_or(0))
        .collect();
    let ii = bytes.len();
    if ii > 0 {
        let max = if datalen < ii + 8 {
            0
        } else {
            datalen - ii + 8
        };
        let mut kk = 0;
        while kk <= max {
            for (jj, b) in bytes.iter().enumerate() {
                if let Some(x) = outpack.get_mut(8 + kk + jj) {
                    *x = *b;
                }
            }
            kk += ii;
        }
    }
    let mut shown = String::new();
    for jj in 0..ii {
        let _ = write!(shown, "{:02x}", outpack.get(8 + jj).copied().unwrap_or(0));
    }
    Ok(shown)
}

/// A running ping: `struct ping_rts` and the socket.
struct Ping {
    proc: Proc,
    o: Opts,
    hosts: Hosts,
    sock: Socket,
    whereto: Ipv4Addr,
    hostname: String,
    outpack: Vec<u8>,
    ident: u16,
    timing: bool,
    multicast: bool,
    interval: i64,
    numeric: bool,

    ntransmitted: i64,
    nreceived: i64,
    nrepeats: i64,
    nchecksum: i64,
    nerrors: i64,
    tmin: i64,
    tmax: i64,
    tsum: f64,
    tsum2: f64,
    rtt: i64,
    rtt_addend: i64,
    acked: u16,
    pipesize: i64,
    rcvd: Vec<u64>,

    start: Time,
    cur_time: Option<Time>,
    tokens: i64,
    exiting: bool,
    /// `__schedule_exit`'s static: microseconds, once set.
    waittime: u64,
    /// SIGALRM: the `-w` deadline or the exit timer.
    alarm: Option<Time>,
    /// Sends made in the current millisecond (see `pinger`).
    burst: (u64, u32),
    /// Copies of ICMP errors not read yet (see `take_packet`).
    deferred: Vec<Datagram>,
    /// `pr_options`' statics: the last route recorded (its addresses and pointer bytes).
    old_rr: Option<Vec<u8>>,
}

impl Ping {
    fn say(&self, s: impl AsRef<[u8]>) {
        self.proc.out(s);
    }

    /// `error(0, ...)`-style line on stderr.
    fn warn(&self, s: &str) {
        self.proc.err(format!("ping: {s}\n"));
    }

    /// `ping4_run` up to the main loop: the route check, socket options, the header.
    async fn setup(
        proc: Proc,
        o: Opts,
        hosts: Hosts,
        resolved: (Ipv4Addr, String),
        outpack: Vec<u8>,
    ) -> Result<Ping, i32> {
        let die = |code: i32, msg: String| {
            proc.err(format!("ping: {msg}\n"));
            Err(code)
        };
        let argc = o.targets.len();
        if argc > 1 && (o.rroute || (o.timestamp && argc > 5) || argc > 10) {
            proc.err(USAGE);
            return Err(2);
        }
        let mut numeric = o.numeric;
        // Each operand in turn; the last one is the destination.
        let mut whereto = Ipv4Addr::UNSPECIFIED;
        let mut hostname = String::new();
        let mut first_hop = None;
        for (n, t) in o.targets.iter().enumerate() {
            let last = n + 1 == argc;
            if let Some(a) = inet_aton(t) {
                whereto = a;
                hostname = t.clone();
                if argc == 1 {
                    numeric = true;
                }
            } else if last {
                whereto = resolved.0;
                hostname = resolved.1.clone();
            } else {
                match hosts.resolve(t) {
                    Ok((a, canon)) => {
                        whereto = a;
                        hostname = canon;
                    }
                    Err(e) => return die(2, format!("{t}: {}", e.message())),
                }
            }
            if !last && first_hop.is_none() {
                first_hop = Some(whereto);
            }
        }
        let sock = match Socket::open(&proc, SockKind::RawIcmp) {
            Ok(s) => s,
            Err(e) => return die(2, format!("socket: {}", e.strerror())),
        };
        if o.settos != 0 {
            let _ = sock.set_tos(o.settos as u8);
        }
        if o.pmtudisc_dont {
            let _ = sock.set_dont_fragment(false);
        }
        let mut source = o.source.unwrap_or(Ipv4Addr::UNSPECIFIED);
        if source.is_unspecified() {
            // The probe: a UDP socket connected to the destination says the source address,
            // or why there is no route.
            let probe = match Socket::open(&proc, SockKind::Udp) {
                Ok(s) => s,
                Err(e) => return die(2, format!("socket: {}", e.strerror())),
            };
            if let Some(dev) = &o.device {
                for s in [&probe, &sock] {
                    if let Err(e) = s.bind_device(dev) {
                        return die(2, format!("SO_BINDTODEVICE {dev}: {}", e.strerror()));
                    }
                }
            }
            let dst = first_hop.unwrap_or(whereto);
            source = match probe.route_src(dst) {
                Ok(src) => src,
                Err(Errno::EACCES) => {
                    if !o.broadcast {
                        return die(2, "Do you want to ping broadcast? Then -b. If not, check your local firewall rules".into());
                    }
                    proc.err("WARNING: pinging broadcast address\n");
                    let _ = probe.set_broadcast(true);
                    match probe.route_src(dst) {
                        Ok(src) => src,
                        Err(e) => return die(2, format!("connect: {}", e.strerror())),
                    }
                }
                Err(e) => return die(2, format!("connect: {}", e.strerror())),
            };
            if let Some(dev) = &o.device {
                let on_dev = proc.sys.net(|k, _| {
                    let ns = proc.netns;
                    let idx = k.link_index(ns, dev);
                    k.addr_dump(ns).iter().any(|a: &AddrMsg| {
                        Some(a.ifindex) == idx && a.local == std::net::IpAddr::V4(source)
                    })
                });
                if !on_dev {
                    proc.err(format!(
                        "ping: Warning: source address might be selected on device other than: {dev}\n"
                    ));
                }
            }
        } else if let Some(dev) = &o.device {
            if let Err(e) = sock.bind_device(dev) {
                return die(2, format!("SO_BINDTODEVICE {dev}: {}", e.strerror()));
            }
        }
        if whereto.is_unspecified() {
            whereto = source;
        }
        let multicast = o.broadcast || whereto.is_multicast();
        if o.strictsource {
            if let Err(e) = sock.bind(source, 0) {
                return die(2, format!("bind: {}", e.strerror()));
            }
        }
        // The record route option: a no-op to align it, then room for nine addresses.
        let mut optlen = 0;
        if o.rroute {
            let mut rspace = [0u8; 3 + 4 * NROUTES + 1];
            rspace[0] = IPOPT_NOP;
            rspace[1] = IPOPT_RR;
            rspace[2] = (rspace.len() - 1) as u8;
            rspace[3] = IPOPT_MINOFF;
            optlen = 40;
            if let Err(e) = sock.set_ip_options(&rspace) {
                return die(2, format!("record route: {}", e.strerror()));
            }
        }
        if o.timestamp {
            return die(2, format!("ts option: {}", Errno::EOPNOTSUPP.strerror()));
        }
        if argc > 1 {
            return die(2, format!("record route: {}", Errno::EPERM.strerror()));
        }
        if o.broadcast {
            let _ = sock.set_broadcast(true);
        }
        if let Some(ttl) = o.ttl {
            if ttl == 0 {
                return die(
                    2,
                    format!(
                        "cannot set unicast time-to-live: {}",
                        Errno::EINVAL.strerror()
                    ),
                );
            }
            let _ = sock.set_ttl(ttl as u8);
        }
        let timing = o.datalen >= 16;
        let mut head = format!("PING {hostname} ({whereto}) ");
        if o.device.is_some() || o.strictsource {
            let _ = write!(
                head,
                "from {source} {}: ",
                o.device.as_deref().unwrap_or("")
            );
        }
        let _ = writeln!(
            head,
            "{}({}) bytes of data.",
            o.datalen,
            o.datalen + 8 + optlen + 20
        );
        proc.out(head);

        // setup()
        let mut interval = i64::from(o.interval);
        if o.flood && !o.opt_interval {
            interval = 0;
        }
        if interval >= i64::from(i32::MAX) / i64::from(o.preload) {
            return die(2, format!("illegal preload and/or interval: {interval}"));
        }
        let ident = o
            .ident
            .unwrap_or_else(|| (proc.sys.random_u32() & 0xffff) as u16);
        proc.trap(Signal::Int);
        proc.trap(Signal::Quit);
        let start = proc.now();
        let alarm = (o.deadline > 0).then(|| start + Duration::from_secs(o.deadline as u64));
        Ok(Ping {
            numeric,
            hosts,
            sock,
            whereto,
            hostname,
            outpack,
            ident,
            timing,
            multicast,
            interval,
            ntransmitted: 0,
            nreceived: 0,
            nrepeats: 0,
            nchecksum: 0,
            nerrors: 0,
            old_rr: None,
            tmin: i64::MAX,
            tmax: 0,
            tsum: 0.0,
            tsum2: 0.0,
            rtt: 0,
            rtt_addend: 0,
            acked: 0,
            pipesize: -1,
            rcvd: vec![0; (MAX_DUP_CHK / 64) as usize],
            start,
            cur_time: None,
            tokens: 0,
            exiting: false,
            waittime: 0,
            alarm,
            burst: (0, 0),
            deferred: Vec::new(),
            o,
            proc,
        })
    }

    // --- bookkeeping (ping.h) -----------------------------------------------------------

    fn rcvd_bit(seq: u16) -> (usize, u64) {
        let bit = usize::from(seq);
        (bit >> 6, 1u64 << (bit & 63))
    }
    fn rcvd_set(&mut self, seq: u16) {
        let (w, b) = Self::rcvd_bit(seq);
        self.rcvd[w] |= b;
    }
    fn rcvd_clear(&mut self, seq: u16) {
        let (w, b) = Self::rcvd_bit(seq);
        self.rcvd[w] &= !b;
    }
    fn rcvd_test(&self, seq: u16) -> bool {
        let (w, b) = Self::rcvd_bit(seq);
        self.rcvd[w] & b != 0
    }

    fn in_flight(&self) -> i64 {
        let diff = (self.ntransmitted as u16).wrapping_sub(self.acked);
        if diff <= 0x7fff {
            i64::from(diff)
        } else {
            self.ntransmitted - self.nreceived - self.nerrors
        }
    }

    fn acknowledge(&mut self, seq: u16) {
        let diff = (self.ntransmitted as u16).wrapping_sub(seq);
        if diff <= 0x7fff {
            if i64::from(diff) + 1 > self.pipesize {
                self.pipesize = i64::from(diff) + 1;
            }
            if (seq.wrapping_sub(self.acked) as i16) > 0
                || (self.ntransmitted as u16).wrapping_sub(self.acked) > 0x7fff
            {
                self.acked = seq;
            }
        }
    }

    fn advance_ntransmitted(&mut self) {
        self.ntransmitted += 1;
        if (self.ntransmitted as u16).wrapping_sub(self.acked) > 0x7fff {
            self.acked = (self.ntransmitted as u16).wrapping_add(1);
        }
    }

    /// `pr_addr`: "name (address)" unless numeric output was asked for.
    fn pr_addr(&self, a: Ipv4Addr) -> String {
        if self.numeric || self.exiting {
            a.to_string()
        } else {
            format!("{} ({a})", self.hosts.name_of(a))
        }
    }

    fn timestamp(&self) -> String {
        if self.o.ptimeofday {
            let us = usecs(self.proc.now());
            format!("[{}.{:06}] ", us / 1_000_000, us % 1_000_000)
        } else {
            String::new()
        }
    }

    // --- sending ------------------------------------------------------------------------

    /// `ping4_send_probe`: the echo request for the next sequence number.
    fn send_probe(&mut self) -> Result<(), Errno> {
        let seq = (self.ntransmitted + 1) as u16;
        self.rcvd_clear(seq);
        let cc = self.o.datalen + 8;
        if cc > 0xffff {
            // raw_sendmsg refuses it before looking at the data.
            return Err(Errno::EMSGSIZE);
        }
        let mut pkt = self.outpack[..cc].to_vec();
        pkt[0] = wire::ICMP_ECHO;
        pkt[1] = 0;
        pkt[2] = 0;
        pkt[3] = 0;
        pkt[4..6].copy_from_slice(&self.ident.to_be_bytes());
        pkt[6..8].copy_from_slice(&seq.to_be_bytes());
        if self.timing {
            let us = usecs(self.proc.now());
            pkt[8..16].copy_from_slice(&(us / 1_000_000).to_le_bytes());
            pkt[16..24].copy_from_slice(&(us % 1_000_000).to_le_bytes());
        }
        let c = wire::checksum(&pkt);
        pkt[2..4].copy_from_slice(&c.to_be_bytes());
        self.sock.send_to(self.whereto, 0, &pkt)
    }

    /// `pinger`: sends if the token bucket allows; returns the milliseconds until it may
    /// send again (0 or less: at once).
    fn pinger(&mut self) -> i64 {
        let npackets = self.o.npackets;
        if self.exiting || (npackets != 0 && self.ntransmitted >= npackets && self.o.deadline == 0)
        {
            return 1000;
        }
        let now = self.proc.now();
        let preload = i64::from(self.o.preload);
        match self.cur_time {
            None => {
                self.cur_time = Some(now);
                self.tokens = self.interval * (preload - 1);
            }
            Some(cur) => {
                let (ns, cs) = (now.as_nanos() as i64, cur.as_nanos() as i64);
                let mut ntokens = (ns / 1_000_000_000 - cs / 1_000_000_000) * 1000
                    + (ns % 1_000_000_000 - cs % 1_000_000_000) / 1_000_000;
                if self.interval == 0 && ntokens < MININTERVAL && self.in_flight() >= preload {
                    return MININTERVAL - ntokens;
                }
                ntokens += self.tokens;
                let tmp = self.interval * preload;
                if tmp < ntokens {
                    ntokens = tmp;
                }
                if ntokens < self.interval {
                    return self.interval - ntokens;
                }
                self.cur_time = Some(now);
                self.tokens = ntokens - self.interval;
            }
        }
        if self.o.outstanding && self.ntransmitted > 0 && !self.rcvd_test(self.ntransmitted as u16)
        {
            let line = format!(
                "{}no answer yet for icmp_seq={}\n",
                self.timestamp(),
                self.ntransmitted % MAX_DUP_CHK
            );
            self.say(line);
        }
        // Sending without pause (a negative interval) fills the socket buffer of a real
        // ping until sendmsg says EAGAIN. Virtual time must move on: at most SEND_BURST sends
        // in one millisecond, then the EAGAIN path.
        let window = now.as_nanos() / 1_000_000;
        if self.burst.0 == window {
            self.burst.1 += 1;
        } else {
            self.burst = (window, 1);
        }
        if self.burst.1 > SEND_BURST {
            self.tokens += self.interval;
            return MININTERVAL;
        }
        match self.send_probe() {
            Ok(()) => {
                self.advance_ntransmitted();
                if !self.o.quiet && self.o.flood {
                    self.say(".");
                }
                self.interval - self.tokens
            }
            Err(errno) => {
                // receive_error_msg: a local error queued by the failed send (EMSGSIZE), or
                // nothing (EAGAIN, counted as a local error).
                let i = match self.sock.try_recv_err() {
                    Some(e) => self.receive_error(e),
                    None => -1,
                };
                self.advance_ntransmitted();
                if i > 0 && !self.o.quiet {
                    // An ICMP error arrived as the send failed: reported as the send's error.
                    if self.o.flood {
                        self.say("E");
                    } else {
                        self.warn(&format!("sendmsg: {}", errno.strerror()));
                    }
                }
                self.tokens = 0;
                schint(self.interval)
            }
        }
    }

    /// `schedule_exit` / `__schedule_exit`: once the count is sent, arm the exit timer.
    fn schedule_exit(&mut self, mut next: i64) -> i64 {
        let npackets = self.o.npackets;
        if !(npackets != 0 && self.ntransmitted >= npackets && self.o.deadline == 0) {
            return next;
        }
        if self.waittime != 0 {
            return next;
        }
        let waittime: u64 = if self.nreceived > 0 {
            let w = 2 * self.tmax.max(0) as u64;
            w.max(1000 * self.interval.max(0) as u64)
        } else {
            1000 * self.o.lingertime.max(0) as u64
        };
        self.waittime = waittime;
        if next < 0 || (next as u64) < waittime / 1000 {
            next = (waittime / 1000) as i64;
        }
        // setitimer with a zero value disarms the timer.
        self.alarm = (waittime > 0).then(|| self.proc.now() + Duration::from_micros(waittime));
        next
    }

    // --- receiving ----------------------------------------------------------------------

    /// `ping4_receive_error_msg` for one queued error: >0 for an ICMP error about one of
    /// ours, <0 for a local error, 0 for somebody else's.
    fn receive_error(&mut self, e: SockError) -> i32 {
        if let Some(errno) = e.local {
            if self.o.quiet {
                return -1;
            }
            if self.o.flood {
                self.say("E");
            } else if errno == Errno::EMSGSIZE {
                self.warn(&format!("local error: message too long, mtu={}", e.info));
            } else {
                self.warn(&format!("local error: {}", errno.strerror()));
            }
            self.nerrors += 1;
            return -1;
        }
        let d = &e.data;
        if d.len() < 8
            || e.dst != self.whereto
            || d[0] != wire::ICMP_ECHO
            || wire::be16(d, 4) != self.ident
        {
            return 0;
        }
        let seq = wire::be16(d, 6);
        self.acknowledge(seq);
        self.nerrors += 1;
        if self.o.quiet {
            return 1;
        }
        if self.o.flood {
            self.say("\x08E");
        } else {
            let line = format!(
                "{}From {} icmp_seq={seq} {}",
                self.timestamp(),
                self.pr_addr(e.offender),
                pr_icmph(e.icmp_type, e.icmp_code, e.info)
            );
            self.say(line);
        }
        1
    }

    /// `ping4_parse_reply` for one packet (the whole IP datagram).
    fn parse_reply(&mut self, d: &Datagram) {
        let buf = &d.data;
        if buf.len() < 20 {
            return;
        }
        let hlen = usize::from(buf[0] & 0x0f) * 4;
        if buf.len() < hlen + 8 || hlen < 20 {
            return;
        }
        let icp = &buf[hlen..];
        let cc = icp.len();
        let csfailed = wire::checksum(icp) != 0;
        match icp[0] {
            wire::ICMP_ECHOREPLY => {
                if wire::be16(icp, 4) != self.ident {
                    return;
                }
                let wrong_source = !self.o.broadcast && !self.multicast && d.from != self.whereto;
                let seq = wire::be16(icp, 6);
                if self.gather_statistics(
                    icp,
                    seq,
                    i64::from(d.ttl),
                    csfailed,
                    d.at,
                    d.from,
                    wrong_source,
                ) {
                    return;
                }
            }
            wire::ICMP_ECHO => return,
            t @ (3 | 4 | 5 | 11 | 12) => {
                if cc < 8 + 20 + 8 {
                    return;
                }
                let inner = &icp[8..];
                let ihl = usize::from(inner[0] & 0x0f) * 4;
                if cc < 8 + ihl + 8 {
                    return;
                }
                let icp1 = &inner[ihl..];
                if icp1[0] != wire::ICMP_ECHO
                    || wire::ip4(inner, 16) != self.whereto
                    || wire::be16(icp1, 4) != self.ident
                {
                    return;
                }
                let seq = wire::be16(icp1, 6);
                if t != 4 && t != 5 {
                    self.acknowledge(seq);
                    return;
                }
                if self.o.quiet || self.o.flood {
                    return;
                }
                let mut line = format!(
                    "{}From {}: icmp_seq={seq} ",
                    self.timestamp(),
                    self.pr_addr(d.from)
                );
                if csfailed {
                    line.push_str("(BAD CHECKSUM)");
                }
                let info = u32::from_be_bytes([icp[4], icp[5], icp[6], icp[7]]);
                line.push_str(&pr_icmph_redirect(t, icp[1], Ipv4Addr::from(info), self));
                self.say(line);
                return;
            }
            _ => {
                if self.o.flood && !(self.o.verbose || self.o.quiet) {
                    self.say(if csfailed { "!EC" } else { "!E" });
                }
                return;
            }
        }
        if self.o.audible {
            self.say("\x07");
        }
        if !self.o.flood {
            let opts = buf[20..hlen].to_vec();
            let mut line = self.pr_options(&opts);
            line.push('\n');
            self.say(line);
        }
    }

    /// `pr_options`: the record route a reply came back with, one address a line, or
    /// "(same route)" when it is the one printed last.
    fn pr_options(&mut self, opts: &[u8]) -> String {
        let mut out = String::new();
        let mut at = 0;
        while at < opts.len() {
            match opts[at] {
                IPOPT_EOL => break,
                IPOPT_NOP => {
                    out.push_str("\nNOP");
                    at += 1;
                    continue;
                }
                _ => {}
            }
            let olen = usize::from(opts.get(at + 1).copied().unwrap_or(0));
            if olen < 2 || olen > opts.len() - at {
                break;
            }
            let opt = &opts[at..at + olen];
            match opt[0] {
                IPOPT_RR if olen >= 3 => {
                    let len = usize::from(opt[1]);
                    let ptr = usize::from(opt[2]).min(len);
                    let Some(n) = ptr
                        .checked_sub(usize::from(IPOPT_MINOFF))
                        .filter(|n| *n > 0)
                    else {
                        at += olen;
                        continue;
                    };
                    // What is compared with the last route: n bytes from the pointer on.
                    let key = opts[at + 2..].iter().take(n).copied().collect::<Vec<u8>>();
                    if self.old_rr.as_ref() == Some(&key) && !self.o.flood {
                        out.push_str("\t(same route)");
                    } else {
                        self.old_rr = Some(key);
                        out.push_str("\nRR: ");
                        // Addresses start after the pointer; n bytes of them, a whole
                        // address for a partial one.
                        for slot in 0..n.div_ceil(4) {
                            let b = at + 3 + slot * 4;
                            let a = opts
                                .get(b..b + 4)
                                .map_or(Ipv4Addr::UNSPECIFIED, |x| wire::ip4(x, 0));
                            if a.is_unspecified() {
                                out.push_str("\t0.0.0.0");
                            } else {
                                let _ = write!(out, "\t{}", self.pr_addr(a));
                            }
                            out.push('\n');
                        }
                    }
                }
                t if t != IPOPT_RR => {
                    let _ = write!(out, "\nunknown option {t:x}");
                }
                _ => {}
            }
            at += olen;
        }
        out
    }

    /// `gather_statistics`; true when nothing more is to be printed for this reply.
    #[allow(clippy::too_many_arguments)]
    fn gather_statistics(
        &mut self,
        icp: &[u8],
        seq: u16,
        hops: i64,
        csfailed: bool,
        at: Time,
        from: Ipv4Addr,
        wrong_source: bool,
    ) -> bool {
        let cc = icp.len();
        self.nreceived += 1;
        if !csfailed {
            self.acknowledge(seq);
        }
        let mut triptime: i64 = 0;
        if self.timing && cc >= 8 + 16 {
            let sec = i64::from_le_bytes(icp[8..16].try_into().unwrap_or([0; 8]));
            let usec = i64::from_le_bytes(icp[16..24].try_into().unwrap_or([0; 8]));
            let now = usecs(at);
            triptime = now.wrapping_sub(sec.wrapping_mul(1_000_000).wrapping_add(usec));
            if triptime < 0 {
                self.warn(&format!(
                    "Warning: time of day goes back ({triptime}us), taking countermeasures"
                ));
                triptime = 0;
            }
            if !csfailed {
                self.tsum += triptime as f64;
                self.tsum2 += (triptime as f64) * (triptime as f64);
                self.tmin = self.tmin.min(triptime);
                self.tmax = self.tmax.max(triptime);
                if self.rtt == 0 {
                    self.rtt = triptime * 8;
                } else {
                    self.rtt += triptime - self.rtt / 8;
                }
                if self.o.adaptive {
                    self.update_interval();
                }
            }
        }
        let dupflag;
        if csfailed {
            self.nchecksum += 1;
            self.nreceived -= 1;
            dupflag = false;
        } else if self.rcvd_test(seq) {
            self.nrepeats += 1;
            self.nreceived -= 1;
            dupflag = true;
        } else {
            self.rcvd_set(seq);
            dupflag = false;
        }
        if self.o.quiet {
            return true;
        }
        if self.o.flood {
            self.say(if csfailed { "\x08C" } else { "\x08 \x08" });
            return false;
        }
        let mut line = format!(
            "{}{cc} bytes from {}: icmp_seq={seq}",
            self.timestamp(),
            self.pr_addr(from)
        );
        if self.o.verbose {
            let _ = write!(line, " ident={}", self.ident);
        }
        if hops >= 0 {
            let _ = write!(line, " ttl={hops}");
        }
        if cc < self.o.datalen + 8 {
            line.push_str(" (truncated)\n");
            self.say(line);
            return true;
        }
        if self.timing {
            line.push_str(&fmt_triptime(triptime));
        }
        if dupflag && (!self.multicast || self.o.verbose) {
            line.push_str(" (DUP!)");
        }
        if csfailed {
            line.push_str(" (BAD CHECKSUM!)");
        }
        if wrong_source {
            line.push_str(" (DIFFERENT ADDRESS!)");
        }
        // The data after the timeval must be what was sent.
        let datalen = self.o.datalen;
        for i in 16..datalen {
            let (got, want) = (icp.get(8 + i).copied().unwrap_or(0), self.outpack[8 + i]);
            if got != want {
                let _ = write!(
                    line,
                    "\nwrong data byte #{i} should be 0x{want:x} but was 0x{got:x}"
                );
                for j in 16..datalen {
                    if j % 32 == 16 {
                        let _ = write!(line, "\n#{j}\t");
                    }
                    let _ = write!(line, "{:x} ", icp.get(8 + j).copied().unwrap_or(0));
                }
                break;
            }
        }
        self.say(line);
        false
    }

    fn update_interval(&mut self) {
        let est = if self.rtt != 0 {
            self.rtt / 8
        } else {
            self.interval * 1000
        };
        self.interval = (est + self.rtt_addend + 500) / 1000;
    }

    /// A packet from the socket. The copy of an ICMP error about one of our requests waits:
    /// the raw socket reports the error itself first (`sk_err` makes recvmsg fail before any
    /// queued packet), and on Linux the error about the next request is usually pending
    /// already when ping reads again (a veth delivers within the send), so the copy is read
    /// only by a receive that finds no error pending: here, when a wait times out.
    fn take_packet(&mut self, d: Datagram) {
        let hlen = d.data.first().map_or(0, |b| usize::from(b & 0x0f) * 4);
        let is_error = matches!(
            d.data.get(hlen),
            Some(&(wire::ICMP_DEST_UNREACH | wire::ICMP_TIME_EXCEEDED | wire::ICMP_PARAMETERPROB))
        );
        if is_error {
            self.deferred.push(d);
        } else {
            self.parse_reply(&d);
        }
    }

    /// The rest of one receive round: whatever is queued, until nothing is in flight.
    fn drain(&mut self) {
        while self.in_flight() != 0 {
            if let Some(e) = self.sock.try_recv_err() {
                self.receive_error(e);
            } else if let Some(d) = self.sock.try_recv() {
                self.take_packet(d);
            } else {
                break;
            }
        }
    }

    /// `main_loop`.
    async fn main_loop(&mut self) -> i32 {
        loop {
            if self.exiting {
                break;
            }
            if self.o.npackets != 0 && self.nreceived + self.nerrors >= self.o.npackets {
                break;
            }
            if self.o.deadline != 0 && self.nerrors != 0 {
                break;
            }
            let next = loop {
                let n = self.pinger();
                let n = self.schedule_exit(n);
                if n > 0 {
                    break n;
                }
            };
            let now = self.proc.now();
            let mut until = now + Duration::from_millis(next as u64);
            if let Some(a) = self.alarm {
                until = until.min(a.max(now));
            }
            match wait(&self.proc, &[&self.sock], Some(until)).await {
                Event::Error(_, e) => {
                    self.receive_error(e);
                    self.drain();
                }
                Event::Packet(_, d) => {
                    self.take_packet(d);
                    self.drain();
                }
                Event::Signal(Signal::Quit) => self.status(),
                Event::Signal(_) => self.exiting = true,
                Event::Timeout => {
                    for d in std::mem::take(&mut self.deferred) {
                        self.parse_reply(&d);
                    }
                }
            }
            // An alarm due now ends the run before anything else is sent.
            if self.alarm.is_some_and(|a| self.proc.now() >= a) {
                self.exiting = true;
            }
        }
        self.finish()
    }

    /// `status`: what SIGQUIT prints.
    fn status(&self) {
        let loss = if self.ntransmitted != 0 {
            (self.ntransmitted - self.nreceived) * 100 / self.ntransmitted
        } else {
            0
        };
        let mut s = format!(
            "\r{}/{} packets, {loss}% loss",
            self.nreceived, self.ntransmitted
        );
        if self.nreceived != 0 && self.timing {
            let tavg = (self.tsum / (self.nreceived + self.nrepeats) as f64) as i64;
            let _ = write!(
                s,
                ", min/avg/ewma/max = {}.{:03}/{}.{:03}/{}.{:03}/{}.{:03} ms",
                self.tmin / 1000,
                self.tmin % 1000,
                tavg / 1000,
                tavg % 1000,
                self.rtt / 8000,
                (self.rtt / 8) % 1000,
                self.tmax / 1000,
                self.tmax % 1000
            );
        }
        s.push('\n');
        self.proc.err(s);
    }

    /// `finish`: the summary and the exit status.
    fn finish(&mut self) -> i32 {
        let elapsed = self
            .cur_time
            .unwrap_or(self.start)
            .since(self.start)
            .as_nanos() as i64;
        let (tv_sec, tv_nsec) = (elapsed / 1_000_000_000, elapsed % 1_000_000_000);
        let mut s = String::from("\n");
        let _ = writeln!(s, "--- {} ping statistics ---", self.hostname);
        let _ = write!(
            s,
            "{} packets transmitted, {} received",
            self.ntransmitted, self.nreceived
        );
        if self.nrepeats != 0 {
            let _ = write!(s, ", +{} duplicates", self.nrepeats);
        }
        if self.nchecksum != 0 {
            let _ = write!(s, ", +{} corrupted", self.nchecksum);
        }
        if self.nerrors != 0 {
            let _ = write!(s, ", +{} errors", self.nerrors);
        }
        if self.ntransmitted != 0 {
            let loss = (((self.ntransmitted - self.nreceived) as f64 * 100.0)
                / self.ntransmitted as f64) as f32;
            let _ = write!(s, ", {}% packet loss", fmt_g(f64::from(loss)));
            let _ = write!(
                s,
                ", time {}ms",
                1000 * tv_sec + (tv_nsec + 500_000) / 1_000_000
            );
        }
        s.push('\n');
        let mut comma = "";
        if self.nreceived != 0 && self.timing {
            let total = self.nreceived + self.nrepeats;
            let tmavg = (self.tsum / total as f64) as i64;
            let tmvar = if self.tsum < f64::from(i32::MAX) {
                ((self.tsum2 - (self.tsum * self.tsum) / total as f64) / total as f64) as i64
            } else {
                (self.tsum2 / total as f64) as i64 - tmavg * tmavg
            };
            let tmdev = llsqrt(tmvar);
            let _ = write!(
                s,
                "rtt min/avg/max/mdev = {}.{:03}/{}.{:03}/{}.{:03}/{}.{:03} ms",
                self.tmin / 1000,
                self.tmin % 1000,
                tmavg / 1000,
                tmavg % 1000,
                self.tmax / 1000,
                self.tmax % 1000,
                tmdev / 1000,
                tmdev % 1000
            );
            comma = ", ";
        }
        if self.pipesize > 1 {
            let _ = write!(s, "{comma}pipe {}", self.pipesize);
            comma = ", ";
        }
        if self.nreceived != 0
            && (self.interval == 0 || self.o.flood || self.o.adaptive)
            && self.ntransmitted > 1
        {
            let ipg = (1_000_000 * tv_sec + tv_nsec / 1000) / (self.ntransmitted - 1);
            let _ = write!(
                s,
                "{comma}ipg/ewma {}.{:03}/{}.{:03} ms",
                ipg / 1000,
                ipg % 1000,
                self.rtt / 8000,
                (self.rtt / 8) % 1000
            );
        }
        s.push('\n');
        self.say(s);
        let failed =
            self.nreceived == 0 || (self.o.deadline != 0 && self.nreceived < self.o.npackets);
        i32::from(failed)
    }
}

/// The `time=` field as gather_statistics prints it.
fn fmt_triptime(t: i64) -> String {
    if t >= 100_000 - 50 {
        format!(" time={} ms", (t + 500) / 1000)
    } else if t >= 10_000 - 5 {
        format!(
            " time={}.{:01} ms",
            (t + 50) / 1000,
            ((t + 50) % 1000) / 100
        )
    } else if t >= 1000 {
        format!(" time={}.{:02} ms", (t + 5) / 1000, ((t + 5) % 1000) / 10)
    } else {
        format!(" time={}.{:03} ms", t / 1000, t % 1000)
    }
}

fn llsqrt(a: i64) -> i64 {
    let mut prev = i64::MAX;
    let mut x = a;
    if x > 0 {
        while x < prev {
            prev = x;
            x = (x + a / x) / 2;
        }
    }
    x
}

/// `pr_icmph` for an error reported through the error queue (with its newline).
fn pr_icmph(t: u8, code: u8, info: u32) -> String {
    let s = match t {
        0 => "Echo Reply".to_string(),
        3 => match code {
            0 => "Destination Net Unreachable".into(),
            1 => "Destination Host Unreachable".into(),
            2 => "Destination Protocol Unreachable".into(),
            3 => "Destination Port Unreachable".into(),
            4 => format!("Frag needed and DF set (mtu = {info})"),
            5 => "Source Route Failed".into(),
            6 => "Destination Net Unknown".into(),
            7 => "Destination Host Unknown".into(),
            8 => "Source Host Isolated".into(),
            9 => "Destination Net Prohibited".into(),
            10 => "Destination Host Prohibited".into(),
            11 => "Destination Net Unreachable for Type of Service".into(),
            12 => "Destination Host Unreachable for Type of Service".into(),
            13 => "Packet filtered".into(),
            14 => "Precedence Violation".into(),
            15 => "Precedence Cutoff".into(),
            _ => format!("Dest Unreachable, Bad Code: {code}"),
        },
        4 => "Source Quench".into(),
        5 => {
            let what = match code {
                0 => "Redirect Network".to_string(),
                1 => "Redirect Host".into(),
                2 => "Redirect Type of Service and Network".into(),
                3 => "Redirect Type of Service and Host".into(),
                _ => format!("Redirect, Bad Code: {code}"),
            };
            format!("{what}(New nexthop: {})", Ipv4Addr::from(info.to_be()))
        }
        8 => "Echo Request".into(),
        11 => match code {
            0 => "Time to live exceeded".into(),
            1 => "Frag reassembly time exceeded".into(),
            _ => format!("Time exceeded, Bad Code: {code}"),
        },
        12 => format!("Parameter problem: pointer = {info}"),
        13 => "Timestamp".into(),
        14 => "Timestamp Reply".into(),
        15 => "Information Request".into(),
        16 => "Information Reply".into(),
        17 => "Address Mask Request".into(),
        18 => "Address Mask Reply".into(),
        _ => format!("Bad ICMP type: {t}"),
    };
    format!("{s}\n")
}

/// `pr_icmph` for a redirect or source quench read from the socket itself.
fn pr_icmph_redirect(t: u8, code: u8, gateway: Ipv4Addr, p: &Ping) -> String {
    if t == 4 {
        return "Source Quench\n".into();
    }
    let what = match code {
        0 => "Redirect Network".to_string(),
        1 => "Redirect Host".into(),
        2 => "Redirect Type of Service and Network".into(),
        3 => "Redirect Type of Service and Host".into(),
        _ => format!("Redirect, Bad Code: {code}"),
    };
    format!("{what}(New nexthop: {})\n", p.pr_addr(gateway))
}

#[cfg(test)]
mod tests;
