//! The libpcap filter language — what `tcpdump 'tcp port 80 and host 10.0.0.1'` takes —
//! parsed, checked and run on frames as libpcap 1.10 does.
//!
//! libpcap compiles an expression into a classic BPF program that the kernel runs on each
//! frame. This crate keeps the same meaning without the BPF detour: [`compile`] parses the
//! expression with libpcap's grammar (its precedences, its qualifier inheritance — `host a
//! or b` means `host a or host b` — and its error messages), expands every primitive into
//! the loads and comparisons libpcap would generate (`tcp port 80` is "IPv4, protocol 6, not
//! a fragment, source or destination port 80" or the IPv6 equivalent), and
//! [`Filter::matches`] evaluates that tree on a frame. As in BPF, a load past the captured
//! bytes rejects the frame outright, whatever the rest of the expression says.
//!
//! Names resolve through the caller ([`Options::resolve_host`]) so that a lab's own
//! /etc/hosts decides what `host web` means; protocol, port and ether-type names come from
//! the tables a Debian machine has (netbase's /etc/protocols and /etc/services, libpcap's
//! built-in ether types).

mod cfg;
mod expr;
mod lex;
mod names;
mod parse;

use std::net::IpAddr;

use cfg::Program;
pub use expr::Direction;

/// The link-layer header type of the frames a filter runs on (`DLT_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkType {
    /// `DLT_EN10MB`: Ethernet II (and 802.3) frames.
    Ethernet,
    /// `DLT_LINUX_SLL`: Linux cooked capture v1 (16-byte header).
    LinuxSll,
    /// `DLT_LINUX_SLL2`: Linux cooked capture v2 (20-byte header), what `-i any` gives.
    LinuxSll2,
    /// `DLT_RAW`: bare IPv4 or IPv6 packets.
    Raw,
}

/// What a filter is compiled against.
pub struct Options<'a> {
    pub linktype: LinkType,
    /// The capture device's IPv4 netmask, for `ip broadcast`; tcpdump passes 0 when it
    /// does not know one (reading a file, `-i any`), so that only 0.0.0.0 and
    /// 255.255.255.255 count as broadcast.
    pub netmask: u32,
    /// Reading a savefile rather than capturing live (`inbound`/`outbound` need live
    /// direction information on Ethernet).
    pub offline: bool,
    /// Host name lookup (`host NAME`): the addresses of NAME, none if unknown.
    pub resolve_host: &'a dyn Fn(&str) -> Vec<IpAddr>,
}

/// A compile error, worded as libpcap words it (tcpdump prints it after `tcpdump: `).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// A compiled filter expression.
#[derive(Clone, Debug)]
pub struct Filter {
    prog: Program,
}

/// One frame as a filter sees it.
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    /// The captured bytes, from the start of the link-layer header.
    pub data: &'a [u8],
    /// The frame's length on the wire (what `len`, `less` and `greater` test).
    pub wire_len: u32,
    /// Whether the frame was sent (rather than received) by the capturing host, when that
    /// is known out of band (a live capture on Ethernet); cooked headers carry it inline.
    pub direction: Option<Direction>,
}

impl Filter {
    /// The filter that accepts everything (an empty expression).
    pub fn accept_all() -> Filter {
        Filter {
            prog: Program::new(&expr::Pred::True),
        }
    }

    /// True if the frame passes the filter.
    pub fn matches(&self, frame: &Frame<'_>) -> bool {
        self.prog.matches(frame)
    }
}

/// Compiles a filter expression (`pcap_compile`). An empty or blank expression accepts
/// every frame.
pub fn compile(expr: &str, opts: &Options<'_>) -> Result<Filter, Error> {
    let tokens = lex::lex(expr)?;
    let pred = parse::parse(&tokens, opts)?;
    let prog = Program::new(&pred);
    if !prog.can_accept() {
        return Err(Error("expression rejects all packets".into()));
    }
    Ok(Filter { prog })
}
