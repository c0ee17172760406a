//! The printing context every printer works through (tcpdump's `netdissect_options`): the
//! captured bytes with the current end of the snapshot, the protocol name for truncation
//! marks, the output, the options and the names; and the per-packet driver
//! (`pretty_print_packet`).

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::{hex, link, tables, ts, Hex, LinkType, Names, Options, Packet, State};

/// The captured bytes ended before what a printer needed: tcpdump's `longjmp` to the top,
/// which prints ` [|proto]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Trunc;

pub(crate) type R<T = ()> = Result<T, Trunc>;

/// tcpdump refuses packets longer than this (`MAXIMUM_SNAPLEN`).
const MAXIMUM_SNAPLEN: u32 = 262_144;

pub(crate) struct Nd<'a> {
    data: &'a [u8],
    /// Where the usable bytes end; layers narrow it to their own length.
    pub snapend: usize,
    snap_stack: Vec<usize>,
    /// The protocol being printed, named in ` [|proto]`.
    pub protocol: &'static str,
    pub out: &'a mut String,
    pub o: &'a Options,
    names: &'a dyn Names,
    pub state: &'a mut State,
    /// `-x`, `-X` and `-q` suppress the hex dump of what no printer decodes.
    pub suppress_default_print: bool,
    /// The length of the link-layer header, left out of `-x`, `-X` and `-A` dumps.
    pub ll_hdr_len: usize,
}

impl<'a> Nd<'a> {
    // ---- output ----

    pub fn p(&mut self, s: &str) {
        self.out.push_str(s);
    }

    pub fn pf(&mut self, args: std::fmt::Arguments) {
        let _ = self.out.write_fmt(args);
    }

    /// ` [|proto]` (`nd_print_trunc`).
    pub fn print_trunc(&mut self) {
        let proto = self.protocol;
        self.pf(format_args!(" [|{proto}]"));
    }

    /// ` (invalid)` (`nd_print_invalid`).
    pub fn print_invalid(&mut self) {
        self.p(" (invalid)");
    }

    /// The protocol name in capitals (`nd_print_protocol_caps`).
    pub fn print_protocol_caps(&mut self) {
        let caps = self.protocol.to_ascii_uppercase();
        self.p(&caps);
    }

    // ---- bounds-checked access ----

    /// Whether `len` bytes at `off` were captured (`ND_TTEST_LEN`).
    pub fn ttest(&self, off: usize, len: usize) -> bool {
        len <= self.snapend && off <= self.snapend - len
    }

    /// `ND_TCHECK_LEN` in a printer that long-jumps.
    pub fn tcheck(&self, off: usize, len: usize) -> R {
        if self.ttest(off, len) {
            Ok(())
        } else {
            Err(Trunc)
        }
    }

    /// The bytes from `off` to the end of the snapshot (`ND_BYTES_AVAILABLE_AFTER`).
    pub fn avail(&self, off: usize) -> usize {
        self.snapend.saturating_sub(off)
    }

    pub fn u8(&self, off: usize) -> R<u8> {
        self.tcheck(off, 1)?;
        Ok(self.data[off])
    }

    pub fn be16(&self, off: usize) -> R<u16> {
        self.tcheck(off, 2)?;
        Ok(u16::from_be_bytes([self.data[off], self.data[off + 1]]))
    }

    pub fn be32(&self, off: usize) -> R<u32> {
        self.tcheck(off, 4)?;
        let b = &self.data[off..off + 4];
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn le32(&self, off: usize) -> R<u32> {
        self.tcheck(off, 4)?;
        let b = &self.data[off..off + 4];
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn bytes(&self, off: usize, len: usize) -> R<&'a [u8]> {
        self.tcheck(off, len)?;
        Ok(&self.data[off..off + len])
    }

    /// The captured bytes from `off` to the end of the snapshot.
    pub fn rest(&self, off: usize) -> &'a [u8] {
        if off >= self.snapend {
            &[]
        } else {
            &self.data[off..self.snapend]
        }
    }

    /// Narrows the snapshot to `len` bytes from `off` (`nd_push_snaplen`); it never grows.
    pub fn push_snaplen(&mut self, off: usize, len: usize) {
        self.snap_stack.push(self.snapend);
        let end = off.saturating_add(len);
        if end < self.snapend {
            self.snapend = end;
        }
    }

    /// Re-cuts the snapshot of the innermost layer to `len` bytes from `off`, within what
    /// the layer outside it allowed (`nd_change_snaplen`).
    pub fn change_snaplen(&mut self, off: usize, len: usize) {
        let n = self.snap_stack.len();
        let base = if n >= 2 {
            self.snap_stack[n - 2]
        } else {
            self.snapend
        };
        if off <= base && len <= base - off {
            self.snapend = off + len;
        }
    }

    /// Undoes the last [`push_snaplen`](Self::push_snaplen) (`nd_pop_packet_info`).
    pub fn pop_snaplen(&mut self) {
        if let Some(end) = self.snap_stack.pop() {
            self.snapend = end;
        }
    }

    // ---- names ----

    fn names_wanted(&self) -> bool {
        self.o.numeric == 0
    }

    /// An IPv4 address, or its name (`ipaddr_string`).
    pub fn ipaddr(&self, off: usize) -> R<String> {
        let b = self.bytes(off, 4)?;
        let a = Ipv4Addr::new(b[0], b[1], b[2], b[3]);
        Ok(self.ip4_string(a))
    }

    pub fn ip4_string(&self, a: Ipv4Addr) -> String {
        if self.names_wanted() {
            if let Some(n) = self.names.host(IpAddr::V4(a)) {
                return n;
            }
        }
        a.to_string()
    }

    /// An IPv6 address, or its name (`ip6addr_string`).
    pub fn ip6addr(&self, off: usize) -> R<String> {
        let b = self.bytes(off, 16)?;
        let mut a = [0u8; 16];
        a.copy_from_slice(b);
        let a = Ipv6Addr::from(a);
        if self.names_wanted() {
            if let Some(n) = self.names.host(IpAddr::V6(a)) {
                return Ok(n);
            }
        }
        Ok(ip6_to_string(&a.octets()))
    }

    /// A MAC address (`etheraddr_string`): without `-n` tcpdump names the broadcast address
    /// and appends the vendor of the OUI it knows.
    pub fn etheraddr(&self, off: usize) -> R<String> {
        let b = self.bytes(off, 6)?;
        Ok(self.mac_string(b))
    }

    pub fn mac_string(&self, b: &[u8]) -> String {
        let mut s = String::with_capacity(32);
        if self.names_wanted() && b.iter().all(|&x| x == 0xff) {
            return "Broadcast".to_string();
        }
        for (i, x) in b.iter().enumerate() {
            if i > 0 {
                s.push(':');
            }
            let _ = write!(s, "{x:02x}");
        }
        if self.names_wanted() && b.len() >= 3 {
            let oui = u32::from_be_bytes([0, b[0], b[1], b[2]]);
            let _ = write!(s, " (oui {})", oui_name(oui));
        }
        s
    }

    /// A link-layer address of any length (`linkaddr_string` for Ethernet-type addresses).
    pub fn linkaddr(&self, off: usize, len: usize) -> R<String> {
        if len == 0 {
            return Ok("<empty>".to_string());
        }
        let b = self.bytes(off, len)?;
        if len == 6 {
            return Ok(self.mac_string(b));
        }
        let mut s = String::new();
        for (i, x) in b.iter().enumerate() {
            if i > 0 {
                s.push(':');
            }
            let _ = write!(s, "{x:02x}");
        }
        Ok(s)
    }

    /// A TCP port, or its /etc/services name (`tcpport_string`).
    pub fn tcpport(&self, port: u16) -> String {
        port_string(self.names_wanted(), tables::TCP_SERVICES, port)
    }

    /// A UDP port, or its /etc/services name (`udpport_string`).
    pub fn udpport(&self, port: u16) -> String {
        port_string(self.names_wanted(), tables::UDP_SERVICES, port)
    }

    /// `" name"` or `" ip-proto-N"` for an IP protocol number (`netdb_protoname`).
    pub fn print_protoname(&mut self, proto: u8) {
        match tables::IP_PROTOCOL_KEYWORDS[proto as usize] {
            Some(name) if self.names_wanted() => self.pf(format_args!(" {name}")),
            _ => self.pf(format_args!(" ip-proto-{proto}")),
        }
    }

    pub fn ifname(&self, ifindex: u32) -> Option<String> {
        self.names.ifname(ifindex)
    }

    /// The hex and ASCII dump of what no printer decodes (`ND_DEFAULTPRINT`).
    pub fn default_print(&mut self, off: usize, len: usize) -> R {
        hex::hex_and_ascii_print(self, "\n\t", off, len)
    }
}

/// The names of the bits set in `v`, in table order, joined by `sep`; `none` when no bit is
/// set (`bittok2str`, and `bittok2str_nosep` with an empty separator).
pub(crate) fn bittok2str(table: &[(u32, &str)], none: &str, v: u32, sep: &str) -> String {
    let names: Vec<&str> = table
        .iter()
        .filter(|&&(bit, _)| bit != 0 && v & bit == bit)
        .map(|&(_, n)| n)
        .collect();
    if names.is_empty() {
        none.to_string()
    } else {
        names.join(sep)
    }
}

fn port_string(names: bool, table: &[(u16, &str)], port: u16) -> String {
    if names {
        if let Ok(i) = table.binary_search_by_key(&port, |&(p, _)| p) {
            return table[i].1.to_string();
        }
    }
    port.to_string()
}

/// The vendors tcpdump knows by OUI (`oui_values`; the first match wins).
fn oui_name(oui: u32) -> &'static str {
    match oui {
        0x000000 => "Ethernet",
        0x00000c => "Cisco",
        0x00005e => "IANA",
        0x000081 => "Nortel Networks SONMP",
        0x0000f8 => "Cisco bridged",
        0x0080c2 => "Ethernet bridged",
        0x00a03e => "ATM Forum",
        0x00e02f => "DOCSIS Spanning Tree",
        0x080007 => "Appletalk",
        0x009069 => "Juniper",
        0x080009 => "Hewlett-Packard",
        0x00120f => "IEEE 802.3 Private",
        0x0012bb => "ANSI/TIA",
        0x001b21 => "DCBX",
        0x002320 => "Nicira Networks",
        0x5c16c7 => "Big Switch Networks",
        0xb0d2f5 => "Vello Systems",
        0x002481 => "HP",
        0x0004ea => "HP-Labs",
        0x748771 => "Infoblox Inc",
        0xa42305 => "Open Networking Lab",
        0x00049f => "Freescale",
        0x0015ad => "Netronome",
        0x001018 => "Broadcom",
        0x00e004 => "PMC-Sierra",
        0xd0f0db => "Ericsson",
        _ => "Unknown",
    }
}

/// An IPv6 address as tcpdump writes it (`addrtostr6`): RFC 5952's longest run of zero words
/// (at least two) becomes `::`, and `::a.b.c.d` / `::ffff:a.b.c.d` end in dotted quad.
pub(crate) fn ip6_to_string(b: &[u8; 16]) -> String {
    let mut w = [0u16; 8];
    for (i, x) in w.iter_mut().enumerate() {
        *x = u16::from_be_bytes([b[2 * i], b[2 * i + 1]]);
    }
    let (mut best_base, mut best_len) = (None::<usize>, 0usize);
    let (mut cur_base, mut cur_len) = (None::<usize>, 0usize);
    for (i, &x) in w.iter().enumerate() {
        if x == 0 {
            if cur_base.is_none() {
                cur_base = Some(i);
                cur_len = 1;
            } else {
                cur_len += 1;
            }
        } else if cur_base.is_some() {
            if best_base.is_none() || cur_len > best_len {
                best_base = cur_base;
                best_len = cur_len;
            }
            cur_base = None;
        }
    }
    if cur_base.is_some() && (best_base.is_none() || cur_len > best_len) {
        best_base = cur_base;
        best_len = cur_len;
    }
    if best_base.is_some() && best_len < 2 {
        best_base = None;
    }
    let mut s = String::with_capacity(40);
    let mut i = 0;
    while i < 8 {
        if let Some(base) = best_base {
            if i >= base && i < base + best_len {
                if i == base {
                    s.push(':');
                }
                i += 1;
                continue;
            }
        }
        if i != 0 {
            s.push(':');
        }
        if i == 6 && best_base == Some(0) && (best_len == 6 || (best_len == 5 && w[5] == 0xffff)) {
            let _ = write!(s, "{}.{}.{}.{}", b[12], b[13], b[14], b[15]);
            return s;
        }
        let _ = write!(s, "{:x}", w[i]);
        i += 1;
    }
    if best_base.is_some_and(|base| base + best_len == 8) {
        s.push(':');
    }
    s
}

/// The Internet checksum of `data` (RFC 1071), folded, not complemented.
pub(crate) fn sum16(data: &[u8], mut acc: u32) -> u32 {
    let mut chunks = data.chunks_exact(2);
    for c in &mut chunks {
        acc += u32::from(u16::from_be_bytes([c[0], c[1]]));
    }
    if let [last] = chunks.remainder() {
        acc += u32::from(*last) << 8;
    }
    acc
}

/// The one's complement checksum over `data` plus `acc` (`in_cksum`): 0 when it verifies.
pub(crate) fn in_cksum(data: &[u8], acc: u32) -> u16 {
    let mut s = sum16(data, acc);
    while s >> 16 != 0 {
        s = (s & 0xffff) + (s >> 16);
    }
    !(s as u16)
}

/// The checksum the header should have carried (`in_cksum_shouldbe`).
pub(crate) fn in_cksum_shouldbe(sum: u16, computed: u16) -> u16 {
    let mut s = u32::from(sum) + u32::from(computed);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    s as u16
}

/// Prints one packet (`pretty_print_packet`).
pub(crate) fn print_packet(
    linktype: LinkType,
    o: &Options,
    state: &mut State,
    pkt: &Packet,
    names: &dyn Names,
    out: &mut String,
) {
    let caplen = pkt.caplen_data.len() as u64;
    let len = u64::from(pkt.wire_len);
    let mut problems = Vec::new();
    if caplen == 0 {
        problems.push(" caplen==0".to_string());
    }
    if len == 0 {
        problems.push(" len==0".to_string());
    } else if len < caplen {
        problems.push(format!(" len({len}) < caplen({caplen})"));
    }
    if caplen > u64::from(MAXIMUM_SNAPLEN) {
        problems.push(format!(" caplen({caplen}) > {MAXIMUM_SNAPLEN}"));
    }
    if len > u64::from(MAXIMUM_SNAPLEN) {
        problems.push(format!(" len({len}) > {MAXIMUM_SNAPLEN}"));
    }
    if !problems.is_empty() {
        // "[Invalid header: caplen==0, len==0]"
        out.push_str("[Invalid header:");
        out.push_str(&problems.join(","));
        out.push_str("]\n");
        return;
    }

    ts::ts_print(o, state, pkt.ts_sec, pkt.ts_nsec, out);

    let data = pkt.caplen_data;
    let suppress = o.quiet || matches!(o.hex, Hex::X | Hex::XX | Hex::HexAscii | Hex::HexAsciiLink);
    let mut nd = Nd {
        data,
        snapend: data.len(),
        snap_stack: Vec::new(),
        protocol: "",
        out,
        o,
        names,
        state,
        suppress_default_print: suppress,
        ll_hdr_len: 0,
    };
    if link::if_print(&mut nd, linktype, pkt.wire_len as usize).is_err() {
        nd.print_trunc();
        nd.ll_hdr_len = 0;
    }
    let hdrlen = nd.ll_hdr_len;
    nd.snap_stack.clear();
    nd.snapend = data.len();
    let caplen = data.len();
    // The dumps never run past the captured bytes, so they cannot be truncated.
    let _ = match o.hex {
        Hex::HexAsciiLink => hex::hex_and_ascii_print(&mut nd, "\n\t", 0, caplen),
        Hex::HexAscii if caplen > hdrlen => {
            hex::hex_and_ascii_print(&mut nd, "\n\t", hdrlen, caplen - hdrlen)
        }
        Hex::XX => hex::hex_print(&mut nd, "\n\t", 0, caplen),
        Hex::X if caplen > hdrlen => hex::hex_print(&mut nd, "\n\t", hdrlen, caplen - hdrlen),
        Hex::AsciiLink => hex::ascii_print(&mut nd, 0, caplen),
        Hex::Ascii if caplen > hdrlen => hex::ascii_print(&mut nd, hdrlen, caplen - hdrlen),
        _ => Ok(()),
    };
    nd.p("\n");
}
