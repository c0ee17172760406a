//! `tcpdump` (4.99.3 with libpcap 1.10.3, as Debian 12 ships them): live captures through a
//! packet socket, `-r` and `-w` files, the libpcap filter language, and tcpdump's printers.
//!
//! What tcpdump itself does around the printers is reproduced here: the banner and the three
//! count lines on stderr, the extra newline on SIGINT/SIGTERM, stdio buffering of what it
//! prints (a packet shows up at once only on a terminal, with `-l` or `-U`), the capture
//! timeout (100 ms on a terminal or with `-l`, 1 s otherwise) during which the kernel keeps
//! frames before handing them over, and `-D`'s list of devices in libpcap's order.

mod args;

use std::net::IpAddr;

use tsunagi_capture::{pcap, Reader};
use tsunagi_filter::{self as filter, Filter};
use tsunagi_kernel::rtnl::iff;
use tsunagi_lab::{
    pkttype, wall_clock, Captured, Cooked, Duration, Errno, FileRef, FrameFilter, LocalBoxFuture,
    OpenMode, PacketOpts, PacketSocket, Proc, Signal,
};
use tsunagi_netdissect::{
    Hex, LinkType, Names, Options as PrintOptions, Packet, Printer, TsFormat,
};

use crate::netdb::Hosts;
use args::{Direction, Exit, Opts};

pub fn main(proc: Proc) -> LocalBoxFuture<i32> {
    Box::pin(run(proc))
}

/// glibc's buffer for a stream that is not a terminal (`st_blksize` of a pipe or file).
const STDIO_BUFSIZ: usize = 4096;

async fn run(proc: Proc) -> i32 {
    let o = match args::parse(&proc.argv) {
        Ok(o) => o,
        Err(Exit::Error(m)) => {
            proc.err(format!("tcpdump: {m}\n"));
            return 1;
        }
        Err(Exit::Usage(m)) => {
            proc.err(format!("{m}{}", args::usage()));
            return 1;
        }
        Err(Exit::Help) => {
            proc.out(args::usage());
            return 0;
        }
        Err(Exit::Version) => {
            proc.out(args::VERSION);
            return 0;
        }
    };
    if o.list_devices {
        let mut out = String::new();
        for (i, d) in devices(&proc).iter().enumerate() {
            out.push_str(&format!("{}.{}{}\n", i + 1, d.name, d.describe()));
        }
        proc.out(out);
        return 0;
    }
    let expression = match &o.filter_file {
        Some(path) => match read_file(&proc, path).await {
            Ok(b) => {
                // `read_infile`: the file's text, comments and all, is the expression.
                String::from_utf8_lossy(&b)
                    .trim_end_matches('\n')
                    .to_string()
            }
            Err(e) => {
                proc.err(format!("tcpdump: can't open {path}: {}\n", e.strerror()));
                return 1;
            }
        },
        None => o.expression.join(" "),
    };
    match o.read.clone() {
        Some(path) => offline(&proc, &o, &path, &expression).await,
        None => live(&proc, &o, &expression).await,
    }
}

/// Reads a whole file (`-` is standard input) as tcpdump opens it.
async fn read_file(proc: &Proc, path: &str) -> Result<Vec<u8>, Errno> {
    if path == "-" {
        return Ok(proc.read_stdin_all().await);
    }
    let f = proc.sys.open(&proc.cwd, path, OpenMode::READ, proc.netns)?;
    f.read_to_end().await
}

/// One entry of `pcap_findalldevs`.
struct Device {
    name: String,
    description: Option<&'static str>,
    flags: DevFlags,
    ifindex: Option<u32>,
}

#[derive(Clone, Copy, Default)]
struct DevFlags {
    up: bool,
    running: bool,
    loopback: bool,
    wireless: bool,
    /// `Some(true)` connected, `Some(false)` disconnected, `None` not applicable.
    connected: Option<bool>,
}

impl Device {
    /// `get_figure_of_merit`: where libpcap sorts the device.
    fn merit(&self) -> u32 {
        let f = self.flags;
        let mut n = 0;
        if !f.running {
            n |= 0x8000_0000;
        }
        if !f.up {
            n |= 0x4000_0000;
        }
        if !f.wireless && f.connected == Some(false) {
            n |= 0x2000_0000;
        }
        if f.loopback {
            n |= 0x1000_0000;
        }
        if self.name == "any" {
            n |= 0x0800_0000;
        }
        n
    }

    /// What `tcpdump -D` prints after the name.
    fn describe(&self) -> String {
        let mut s = String::new();
        if let Some(d) = self.description {
            s.push_str(&format!(" ({d})"));
        }
        let f = self.flags;
        let mut words = Vec::new();
        if f.up {
            words.push("Up");
        }
        if f.running {
            words.push("Running");
        }
        if f.loopback {
            words.push("Loopback");
        }
        if f.wireless {
            words.push("Wireless");
        }
        let mut status = if words.is_empty() {
            "none".to_string()
        } else {
            words.join(", ")
        };
        if !f.wireless {
            match f.connected {
                Some(true) => status.push_str(", Connected"),
                Some(false) => status.push_str(", Disconnected"),
                None => {}
            }
        }
        s.push_str(&format!(" [{status}]"));
        s
    }
}

/// `pcap_findalldevs` in the process's namespace: its interfaces, `any`, and the pseudo
/// devices Debian's libpcap offers, sorted by libpcap's figure of merit (stable, so equal
/// ones keep the order they were found in: interfaces by index first).
fn devices(proc: &Proc) -> Vec<Device> {
    let ns = proc.netns;
    let links = proc.sys.net(|k, _| k.link_dump(ns));
    let mut v: Vec<Device> = links
        .iter()
        .map(|l| {
            let loopback = l.flags & iff::LOOPBACK != 0;
            Device {
                name: l.name.clone(),
                description: None,
                flags: DevFlags {
                    up: l.flags & iff::UP != 0,
                    running: l.flags & iff::RUNNING != 0,
                    loopback,
                    wireless: false,
                    connected: if loopback {
                        None
                    } else {
                        Some(l.flags & iff::LOWER_UP != 0)
                    },
                },
                ifindex: Some(l.ifindex),
            }
        })
        .collect();
    let pseudo = |name: &str, description, flags| Device {
        name: name.to_string(),
        description: Some(description),
        flags,
        ifindex: None,
    };
    v.push(pseudo(
        "any",
        "Pseudo-device that captures on all interfaces",
        DevFlags {
            up: true,
            running: true,
            ..DevFlags::default()
        },
    ));
    v.push(pseudo(
        "bluetooth-monitor",
        "Bluetooth Linux Monitor",
        DevFlags {
            wireless: true,
            ..DevFlags::default()
        },
    ));
    for (name, description) in [
        ("nflog", "Linux netfilter log (NFLOG) interface"),
        ("nfqueue", "Linux netfilter queue (NFQUEUE) interface"),
        ("dbus-system", "D-Bus system bus"),
        ("dbus-session", "D-Bus session bus"),
    ] {
        v.push(pseudo(name, description, DevFlags::default()));
    }
    v.sort_by_key(Device::merit);
    v
}

/// The filter as the packet socket runs it.
struct SocketFilter(Filter);

impl FrameFilter for SocketFilter {
    fn accepts(&self, data: &[u8], wire_len: u32, outgoing: bool) -> bool {
        self.0.matches(&filter::Frame {
            data,
            wire_len,
            direction: Some(if outgoing {
                filter::Direction::Out
            } else {
                filter::Direction::In
            }),
        })
    }
}

/// What the printers may ask of the system: interface names and, without `-n`, host names
/// from /etc/hosts.
struct LabNames<'a> {
    proc: &'a Proc,
    hosts: Hosts,
}

impl Names for LabNames<'_> {
    fn host(&self, addr: IpAddr) -> Option<String> {
        match addr {
            IpAddr::V4(a) => self.hosts.by_addr(a).map(str::to_string),
            IpAddr::V6(_) => None,
        }
    }

    fn ifname(&self, ifindex: u32) -> Option<String> {
        let ns = self.proc.netns;
        self.proc.sys.net(|k, _| k.link_name(ns, ifindex))
    }
}

/// Where a [`Stream`] writes: standard output (through the process, so that a closed pipe
/// raises SIGPIPE) or a file.
enum Target<'a> {
    Stdout(&'a Proc),
    File(FileRef),
}

/// A stdio stream as glibc buffers it: line by line (a terminal, `-l`) or in `BUFSIZ` blocks
/// (a pipe or a file), and whatever is left when it is flushed at exit.
struct Stream<'a> {
    target: Target<'a>,
    buf: Vec<u8>,
    per_line: bool,
}

impl<'a> Stream<'a> {
    fn new(target: Target<'a>, per_line: bool) -> Stream<'a> {
        Stream {
            target,
            buf: Vec::new(),
            per_line,
        }
    }

    fn write(&mut self, data: &[u8]) {
        self.write_with(|buf| buf.extend_from_slice(data));
    }

    /// Appends what `fill` writes into the buffer, then writes out what is due.
    fn write_with(&mut self, fill: impl FnOnce(&mut Vec<u8>)) {
        fill(&mut self.buf);
        let ready = if self.per_line {
            self.buf
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |end| end + 1)
        } else {
            self.buf.len() / STDIO_BUFSIZ * STDIO_BUFSIZ
        };
        if ready > 0 {
            let rest = self.buf.split_off(ready);
            self.emit();
            self.buf = rest;
        }
    }

    fn flush(&mut self) {
        if !self.buf.is_empty() {
            self.emit();
            self.buf.clear();
        }
    }

    fn emit(&self) {
        match &self.target {
            Target::Stdout(proc) => {
                proc.out(&self.buf);
            }
            Target::File(f) => {
                let _ = f.write(&self.buf);
            }
        }
    }
}

/// A `-w` file: the pcap header, then records, written out as stdio would (`-U`: each
/// packet at once, `pcap_dump_flush`).
struct Dump<'a> {
    out: Stream<'a>,
    per_packet: bool,
}

impl<'a> Dump<'a> {
    /// Opens `path` (`-` is standard output) and starts it with the file header; the error is
    /// what tcpdump says.
    fn create(
        proc: &'a Proc,
        path: &str,
        snaplen: u32,
        link: LinkType,
        per_packet: bool,
    ) -> Result<Dump<'a>, String> {
        let target = if path == "-" {
            Target::Stdout(proc)
        } else {
            let f = proc
                .sys
                .open(&proc.cwd, path, OpenMode::WRITE, proc.netns)
                .map_err(|e| format!("{path}: {}", e.strerror()))?;
            Target::File(f)
        };
        let mut out = Stream::new(target, false);
        out.write(&pcap::file_header(snaplen, link.code()));
        Ok(Dump { out, per_packet })
    }

    fn record(&mut self, c: &Captured) {
        let (sec, nsec) = wall_clock(c.at);
        self.record_at(sec, nsec, &c.data, c.wire_len);
    }

    /// Appends a packet with its time (written with microseconds, as tcpdump writes).
    fn record_at(&mut self, sec: i64, nsec: u32, data: &[u8], wire_len: u32) {
        self.out
            .write_with(|buf| pcap::write_record(buf, sec, nsec / 1000, data, wire_len));
        if self.per_packet {
            self.out.flush();
        }
    }

    fn flush(&mut self) {
        self.out.flush();
    }
}

/// The printers' options from the command line.
fn print_options(o: &Opts, snaplen: u32) -> PrintOptions {
    let hex = if o.xx >= 2 {
        Hex::HexAsciiLink
    } else if o.xx == 1 {
        Hex::HexAscii
    } else if o.x >= 2 {
        Hex::XX
    } else if o.x == 1 {
        Hex::X
    } else if o.ascii >= 2 {
        Hex::AsciiLink
    } else if o.ascii == 1 {
        Hex::Ascii
    } else {
        Hex::None
    };
    PrintOptions {
        numeric: o.numeric.min(2),
        ether: o.ether > 0,
        verbose: o.verbose,
        quiet: o.quiet,
        ts: match o.t {
            0 => TsFormat::Default,
            1 => TsFormat::None,
            2 => TsFormat::Epoch,
            3 => TsFormat::Delta,
            4 => TsFormat::Date,
            _ => TsFormat::SinceFirst,
        },
        nano: o.nano,
        hex,
        snaplen,
        utc_offset_secs: 0,
        absolute_tcp_seq: o.absolute_seq,
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The filter language's view of a link type (a live capture is Ethernet or cooked).
fn filter_link(link: LinkType) -> filter::LinkType {
    match link {
        LinkType::Ethernet => filter::LinkType::Ethernet,
        LinkType::LinuxSll => filter::LinkType::LinuxSll,
        LinkType::LinuxSll2 => filter::LinkType::LinuxSll2,
        LinkType::Raw | LinkType::Null => filter::LinkType::Raw,
    }
}

/// Compiles the expression for a link type; the error is what tcpdump prints after
/// `tcpdump: `.
fn compile(
    expr: &str,
    link: filter::LinkType,
    netmask: u32,
    offline: bool,
    hosts: &Hosts,
) -> Result<Filter, String> {
    let resolve = |name: &str| -> Vec<IpAddr> {
        hosts
            .by_name(name)
            .map(|(a, _)| vec![IpAddr::V4(a)])
            .unwrap_or_default()
    };
    filter::compile(
        expr,
        &filter::Options {
            linktype: link,
            netmask,
            offline,
            resolve_host: &resolve,
        },
    )
    .map_err(|e| e.0)
}

/// `-r FILE`: prints (or with `-w` copies) what a capture file holds.
async fn offline(proc: &Proc, o: &Opts, path: &str, expr: &str) -> i32 {
    let bytes = match read_file(proc, path).await {
        Ok(b) => b,
        Err(Errno::EISDIR) => {
            proc.err("tcpdump: error reading dump file: Is a directory\n");
            return 1;
        }
        Err(e) => {
            proc.err(format!("tcpdump: {path}: {}\n", e.strerror()));
            return 1;
        }
    };
    let mut reader = match Reader::new(&bytes) {
        Ok(r) => r,
        Err(m) => {
            proc.err(format!("tcpdump: {m}\n"));
            return 1;
        }
    };
    let code = reader.linktype();
    let Some(link) = LinkType::from_code(code) else {
        proc.err(format!(
            "reading from file {path}, link-type {code}, snapshot length {}\ntcpdump: unsupported data link type {code}\n",
            reader.snaplen()
        ));
        return 1;
    };
    let hosts = Hosts::load(proc).await;
    let flink = filter_link(link);
    let mut err = format!(
        "reading from file {path}, link-type {} ({}), snapshot length {}\n",
        link.name(),
        link.description(),
        reader.snaplen()
    );
    if link == LinkType::LinuxSll2 {
        err.push_str("Warning: interface names might be incorrect\n");
    }
    proc.err(err);
    let filt = match compile(expr, flink, 0, true, &hosts) {
        Ok(f) => f,
        Err(m) => {
            proc.err(format!("tcpdump: {m}\n"));
            return 1;
        }
    };
    // `-r` with `-w` copies what passes the filter into a new file (printing only with
    // `--print`).
    let mut dump = match &o.write {
        None => None,
        Some(path) => match Dump::create(proc, path, reader.snaplen(), link, o.packet_buffered) {
            Ok(d) => Some(d),
            Err(m) => {
                proc.err(format!("tcpdump: {m}\n"));
                return 1;
            }
        },
    };
    let printing = dump.is_none() || o.print;
    let mut printer = Printer::new(link, print_options(o, reader.snaplen()));
    let names = LabNames { proc, hosts };
    let mut stdout = Stream::new(Target::Stdout(proc), o.line_buffered || is_tty(proc, 1));
    let mut count = 0u32;
    let mut line = String::new();
    let status = loop {
        if o.count.is_some_and(|c| count >= c) {
            break 0;
        }
        match reader.next_record() {
            None => break 0,
            Some(Err(m)) => {
                stdout.flush();
                proc.err(format!("tcpdump: pcap_loop: {m}\n"));
                break 1;
            }
            Some(Ok(r)) => {
                let frame = filter::Frame {
                    data: &r.data,
                    wire_len: r.wire_len,
                    direction: None,
                };
                if !filt.matches(&frame) {
                    continue;
                }
                count += 1;
                if let Some(d) = &mut dump {
                    d.record_at(r.ts_sec, r.ts_nsec, &r.data, r.wire_len);
                }
                if o.count_mode || !printing {
                    continue;
                }
                line.clear();
                printer.print(
                    &Packet {
                        ts_sec: r.ts_sec,
                        ts_nsec: r.ts_nsec,
                        caplen_data: &r.data,
                        wire_len: r.wire_len,
                    },
                    &names,
                    &mut line,
                );
                stdout.write(line.as_bytes());
            }
        }
    };
    if let Some(d) = &mut dump {
        d.flush();
    }
    if o.count_mode {
        stdout.write(format!("{count} packet{}\n", plural(count)).as_bytes());
    }
    stdout.flush();
    status
}

fn is_tty(proc: &Proc, fd: u32) -> bool {
    proc.fd(fd).is_some_and(|f| f.is_terminal())
}

/// A live capture on a device or on `any`.
async fn live(proc: &Proc, o: &Opts, expr: &str) -> i32 {
    let all = devices(proc);
    let name = match &o.interface {
        Some(n) => n.clone(),
        None => match all.first() {
            Some(d) => d.name.clone(),
            None => {
                proc.err("tcpdump: no interfaces available for capture\n");
                return 1;
            }
        },
    };
    // An interface may be given by its number in `-D`'s list.
    let mut dev = all.iter().find(|d| d.name == name);
    if dev.is_none() && !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
        match name
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1 && *n <= all.len())
        {
            Some(n) => dev = Some(&all[n - 1]),
            None => {
                proc.err("tcpdump: Invalid adapter index\n");
                return 1;
            }
        }
    }
    let Some(dev) = dev else {
        proc.err(format!(
            "tcpdump: {name}: No such device exists\n(No such device exists)\n"
        ));
        return 1;
    };
    let name = dev.name.clone();
    let is_any = name == "any";
    if dev.ifindex.is_none() && !is_any {
        proc.err(format!("tcpdump: {name}: That device is not supported\n"));
        return 1;
    }
    if !dev.flags.up {
        proc.err(format!("tcpdump: {name}: That device is not up\n"));
        return 1;
    }
    // `-i any` given by name captures in Linux cooked v2; found as the default device it
    // stays at libpcap's default, cooked v1.
    let link = match (is_any, o.interface.is_some()) {
        (false, _) => LinkType::Ethernet,
        (true, true) => LinkType::LinuxSll2,
        (true, false) => LinkType::LinuxSll,
    };
    let hosts = Hosts::load(proc).await;
    // `pcap_lookupnet`: the device's first IPv4 address's netmask, 0 when it has none.
    let netmask = dev.ifindex.map_or(0, |i| {
        let ns = proc.netns;
        proc.sys.net(|k, _| {
            k.addr_dump(ns)
                .into_iter()
                .find(|a| a.ifindex == i && a.local.is_ipv4())
                .map_or(0, |a| tsunagi_kernel::prefix_mask(a.prefixlen))
        })
    });
    let flink = filter_link(link);
    let filt = match compile(expr, flink, netmask, false, &hosts) {
        Ok(f) => f,
        Err(m) => {
            proc.err(format!("tcpdump: {m}\n"));
            return 1;
        }
    };
    let printing = o.write.is_none() || o.print;
    let per_line = o.line_buffered || is_tty(proc, 1);
    let timeout = if printing && per_line { 100 } else { 1000 };
    let snaplen = o.snaplen;
    let opts = PacketOpts {
        ifindex: dev.ifindex,
        cooked: match link {
            LinkType::LinuxSll2 => Some(Cooked::V2),
            LinkType::LinuxSll => Some(Cooked::V1),
            _ => None,
        },
        snaplen,
        block_timeout: Duration::from_millis(if o.immediate { 0 } else { timeout }),
        promisc: !o.no_promisc && !is_any,
        buffer_size: o.buffer_kib.map_or(2 * 1024 * 1024, |k| k as usize * 1024),
    };
    let sock = match PacketSocket::open(proc, opts) {
        Ok(s) => s,
        Err(e) => {
            proc.err(format!("tcpdump: {name}: {}\n", e.strerror()));
            return 1;
        }
    };
    if !expr.trim().is_empty() {
        let _ = sock.set_filter(Box::new(SocketFilter(filt)));
    }
    let mut dump = match &o.write {
        None => None,
        Some(path) => match Dump::create(proc, path, snaplen, link, o.packet_buffered) {
            Ok(d) => Some(d),
            Err(m) => {
                proc.err(format!("tcpdump: {m}\n"));
                return 1;
            }
        },
    };
    if is_any && o.interface.is_some() {
        proc.err("tcpdump: data link type LINUX_SLL2\n");
    }
    let banner = if o.verbose == 0 && o.write.is_none() {
        "tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n"
    } else {
        "tcpdump: "
    };
    proc.err(format!(
        "{banner}listening on {name}, link-type {} ({}), snapshot length {snaplen} bytes\n",
        link.name(),
        link.description()
    ));
    proc.trap(Signal::Int);
    proc.trap(Signal::Term);
    let mut printer = Printer::new(link, print_options(o, snaplen));
    let names = LabNames { proc, hosts };
    let mut stdout = Stream::new(Target::Stdout(proc), per_line || o.packet_buffered);
    let mut captured = 0u32;
    let mut line = String::new();
    let mut interrupted = false;
    let mut failed = None;
    loop {
        if o.count.is_some_and(|c| captured >= c) {
            break;
        }
        let got = {
            let recv = std::pin::pin!(sock.recv());
            let sig = std::pin::pin!(proc.signal());
            match futures_select(recv, sig).await {
                Either::Left(r) => r,
                Either::Right(_) => {
                    interrupted = true;
                    break;
                }
            }
        };
        let c = match got {
            Ok(c) => c,
            Err(e) => {
                failed = Some(e);
                break;
            }
        };
        // `-Q`: libpcap checks the direction itself (`linux_check_direction`), after the
        // kernel counted the frame.
        let outgoing = c.pkttype == pkttype::OUTGOING;
        match o.direction {
            Some(Direction::In) if outgoing => continue,
            Some(Direction::Out) if !outgoing => continue,
            _ => {}
        }
        captured += 1;
        if let Some(d) = &mut dump {
            d.record(&c);
        }
        if printing && !o.count_mode {
            let (sec, nsec) = wall_clock(c.at);
            line.clear();
            printer.print(
                &Packet {
                    ts_sec: sec,
                    ts_nsec: nsec,
                    caplen_data: &c.data,
                    wire_len: c.wire_len,
                },
                &names,
                &mut line,
            );
            stdout.write(line.as_bytes());
        }
    }
    if let Some(d) = &mut dump {
        d.flush();
    }
    if printing {
        // Interrupted in the middle of a line, perhaps: tcpdump ends it.
        if interrupted {
            stdout.write(b"\n");
        }
        stdout.flush();
    }
    let status = i32::from(failed.is_some());
    if let Some(e) = failed {
        let why = match e {
            Errno::ENODEV => "The interface disappeared",
            e => e.strerror(),
        };
        proc.err(format!("tcpdump: pcap_loop: {why}\n"));
    }
    let stats = sock.stats();
    proc.err(format!(
        "{captured} packet{} captured\n{} packet{} received by filter\n{} packet{} dropped by kernel\n",
        plural(captured),
        stats.received,
        plural(stats.received),
        stats.dropped,
        plural(stats.dropped)
    ));
    status
}

enum Either<L, R> {
    Left(L),
    Right(R),
}

/// Waits for whichever of two futures is ready first (the left one wins a tie).
async fn futures_select<A, B>(
    mut a: std::pin::Pin<&mut A>,
    mut b: std::pin::Pin<&mut B>,
) -> Either<A::Output, B::Output>
where
    A: std::future::Future,
    B: std::future::Future,
{
    std::future::poll_fn(|cx| {
        if let std::task::Poll::Ready(v) = a.as_mut().poll(cx) {
            return std::task::Poll::Ready(Either::Left(v));
        }
        if let std::task::Poll::Ready(v) = b.as_mut().poll(cx) {
            return std::task::Poll::Ready(Either::Right(v));
        }
        std::task::Poll::Pending
    })
    .await
}
