//! Argument parsing helpers shared by every `ip` object, reproducing iproute2's `lib/utils.c`,
//! `lib/ll_addr.c` and `lib/rt_names.c`: the prefix matching of keywords (`matches`), the C
//! number parsers (`strtoul` with base 0: `0x1f`, `017`), the address and prefix parsers
//! (`10.8` is `10.8.0.0`, `default`, `any`), link-layer addresses, the names of scopes,
//! protocols, tables and route types, and the error messages iproute2 prints for bad arguments
//! (`Error: argument "x" is wrong: ...`, `Command line is not complete. Try option "help"`).
//!
//! Read alongside ip(8) and the iproute2 6.1 sources named above. Nothing here touches the
//! kernel: every function is pure.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Address families as iproute2 uses them (`AF_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Family {
    #[default]
    Unspec,
    Inet,
    Inet6,
    /// `AF_PACKET`: link-layer (`ip -0`, `-f link`).
    Packet,
    Mpls,
    Bridge,
}

impl Family {
    /// `family_name()`.
    pub fn name(self) -> &'static str {
        match self {
            Family::Inet => "inet",
            Family::Inet6 => "inet6",
            Family::Packet => "link",
            Family::Mpls => "mpls",
            Family::Bridge => "bridge",
            Family::Unspec => "???",
        }
    }

    /// `family_name_verbose()`, used in "Error: %s address is expected ...".
    pub fn verbose(self) -> &'static str {
        match self {
            Family::Unspec => "any valid",
            f => f.name(),
        }
    }

    /// `read_family()`.
    pub fn read(name: &str) -> Family {
        match name {
            "inet" => Family::Inet,
            "inet6" => Family::Inet6,
            "link" => Family::Packet,
            "mpls" => Family::Mpls,
            "bridge" => Family::Bridge,
            _ => Family::Unspec,
        }
    }

    /// `af_bit_len()`.
    pub fn bit_len(self) -> i32 {
        match self {
            Family::Inet6 => 128,
            Family::Inet => 32,
            Family::Mpls => 20,
            _ => 0,
        }
    }

    pub fn of(addr: &IpAddr) -> Family {
        match addr {
            IpAddr::V4(_) => Family::Inet,
            IpAddr::V6(_) => Family::Inet6,
        }
    }
}

/// How an `ip` invocation ends early: what it printed and its exit status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpError {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl IpError {
    /// A message on stderr (a newline is added) and an exit status.
    pub fn new(msg: impl fmt::Display, code: i32) -> Self {
        IpError {
            stdout: String::new(),
            stderr: format!("{msg}\n"),
            code,
        }
    }

    /// Text printed verbatim on stderr.
    pub fn raw(stderr: impl Into<String>, code: i32) -> Self {
        IpError {
            stdout: String::new(),
            stderr: stderr.into(),
            code,
        }
    }
}

impl fmt::Display for IpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{} [exit {}]", self.stdout, self.stderr, self.code)
    }
}

pub type IpResult<T> = Result<T, IpError>;

/// `incomplete_command()`.
pub fn incomplete() -> IpError {
    IpError::new("Command line is not complete. Try option \"help\"", 255)
}

/// `invarg()`: the message may end with its own newline, as iproute2's often do.
pub fn invarg(msg: &str, arg: &str) -> IpError {
    IpError::new(format!("Error: argument \"{arg}\" is wrong: {msg}"), 255)
}

/// `duparg()`.
pub fn duparg(key: &str, arg: &str) -> IpError {
    IpError::new(
        format!("Error: duplicate \"{key}\": \"{arg}\" is the second value."),
        255,
    )
}

/// `duparg2()`.
pub fn duparg2(key: &str, arg: &str) -> IpError {
    IpError::new(
        format!("Error: either \"{key}\" is duplicate, or \"{arg}\" is a garbage."),
        255,
    )
}

/// `missarg()`.
pub fn missarg(key: &str) -> IpError {
    IpError::new(format!("Error: argument \"{key}\" is required"), 255)
}

/// `nodev()` followed by `return -1` (exit status 1).
pub fn nodev(dev: &str) -> IpError {
    IpError::new(format!("Cannot find device \"{dev}\""), 1)
}

/// iproute2's `matches(prefix, string) == 0`: `prefix` is a non-empty prefix of `string`.
pub fn matches(prefix: &str, string: &str) -> bool {
    !prefix.is_empty() && string.starts_with(prefix)
}

/// A cursor over the arguments, with iproute2's `NEXT_ARG()`.
#[derive(Clone, Debug)]
pub struct Args<'a> {
    v: &'a [String],
    i: usize,
}

impl<'a> Args<'a> {
    pub fn new(v: &'a [String]) -> Self {
        Args { v, i: 0 }
    }
    /// The current argument.
    pub fn cur(&self) -> Option<&'a str> {
        self.v.get(self.i).map(String::as_str)
    }
    /// True when no argument is left (`argc <= 0`).
    pub fn done(&self) -> bool {
        self.i >= self.v.len()
    }
    /// Moves past the current argument (`argc--; argv++`).
    pub fn advance(&mut self) {
        self.i += 1;
    }
    /// `NEXT_ARG()`: moves to the next argument and returns it, or fails as iproute2 does.
    pub fn next_arg(&mut self) -> IpResult<&'a str> {
        self.i += 1;
        self.cur().ok_or_else(incomplete)
    }
    /// `NEXT_ARG_OK()`.
    pub fn has_next(&self) -> bool {
        self.i + 1 < self.v.len()
    }
    /// The arguments from the current one on.
    pub fn rest(&self) -> &'a [String] {
        self.v.get(self.i..).unwrap_or(&[])
    }
    /// How many arguments are left, the current one included.
    pub fn left(&self) -> usize {
        self.v.len().saturating_sub(self.i)
    }
}

/// What C's `strtoul`/`strtol` saw: the magnitude, whether a minus sign came first, how many
/// bytes were consumed (0: no digits), and whether the magnitude overflowed 64 bits.
#[derive(Clone, Copy, Debug)]
struct CNum {
    mag: u64,
    neg: bool,
    end: usize,
    overflow: bool,
}

fn c_parse(s: &str, base: u32) -> CNum {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let mut base = base;
    let hexdigit = |c: u8| c.is_ascii_hexdigit();
    if (base == 0 || base == 16)
        && i + 1 < b.len()
        && b[i] == b'0'
        && (b[i + 1] == b'x' || b[i + 1] == b'X')
        && i + 2 < b.len()
        && hexdigit(b[i + 2])
    {
        i += 2;
        base = 16;
    } else if base == 0 {
        base = if i < b.len() && b[i] == b'0' { 8 } else { 10 };
    }
    let start = i;
    let mut mag: u64 = 0;
    let mut overflow = false;
    while i < b.len() {
        let d = match (b[i] as char).to_digit(36) {
            Some(d) if d < base => d,
            _ => break,
        };
        match mag
            .checked_mul(u64::from(base))
            .and_then(|m| m.checked_add(u64::from(d)))
        {
            Some(m) => mag = m,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return CNum {
            mag: 0,
            neg: false,
            end: 0,
            overflow: false,
        };
    }
    CNum {
        mag,
        neg,
        end: i,
        overflow,
    }
}

/// C `strtoul`: the value (wrapped for a leading minus, `u64::MAX` on overflow), the number of
/// bytes consumed (0 if there were no digits), and whether it overflowed (`ERANGE`).
pub fn strtoul(s: &str, base: u32) -> (u64, usize, bool) {
    let n = c_parse(s, base);
    if n.overflow {
        return (u64::MAX, n.end, true);
    }
    let v = if n.neg { n.mag.wrapping_neg() } else { n.mag };
    (v, n.end, false)
}

/// C `strtol` (64-bit `long`), saturating with `ERANGE` as glibc does.
pub fn strtol(s: &str, base: u32) -> (i64, usize, bool) {
    let n = c_parse(s, base);
    if n.neg {
        if n.overflow || n.mag > (i64::MAX as u64) + 1 {
            return (i64::MIN, n.end, true);
        }
        (0i64.wrapping_sub_unsigned(n.mag), n.end, false)
    } else {
        if n.overflow || n.mag > i64::MAX as u64 {
            return (i64::MAX, n.end, true);
        }
        (n.mag as i64, n.end, false)
    }
}

/// `get_unsigned()`.
pub fn get_unsigned(arg: &str, base: u32) -> Option<u32> {
    if arg.is_empty() {
        return None;
    }
    let (v, end, range) = strtoul(arg, base);
    if end == 0 || end != arg.len() || range {
        return None;
    }
    u32::try_from(v).ok()
}

/// `get_u32()` (the same checks as `get_unsigned`).
pub fn get_u32(arg: &str, base: u32) -> Option<u32> {
    get_unsigned(arg, base)
}

/// `get_u16()`.
pub fn get_u16(arg: &str, base: u32) -> Option<u16> {
    get_unsigned(arg, base).and_then(|v| u16::try_from(v).ok())
}

/// `get_u8()`.
pub fn get_u8(arg: &str, base: u32) -> Option<u8> {
    get_unsigned(arg, base).and_then(|v| u8::try_from(v).ok())
}

/// `get_integer()`.
pub fn get_integer(arg: &str, base: u32) -> Option<i32> {
    if arg.is_empty() {
        return None;
    }
    let (v, end, range) = strtol(arg, base);
    if end == 0 || end != arg.len() || range {
        return None;
    }
    i32::try_from(v).ok()
}

/// `get_s32()`.
pub fn get_s32(arg: &str, base: u32) -> Option<i32> {
    get_integer(arg, base)
}

/// C `atoi`.
pub fn atoi(arg: &str) -> i32 {
    let (v, _, _) = strtol(arg, 10);
    v as i32
}

/// `inet_prefix`: an address or prefix as iproute2 parses it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct InetPrefix {
    pub family: Family,
    /// Bytes of address (4, 16, or 0 for `any`/`default` without a family).
    pub bytelen: usize,
    /// Prefix length; -1: a host address without a length; -2: `default`/`any`.
    pub bitlen: i32,
    pub data: [u8; 16],
    /// `PREFIXLEN_SPECIFIED`: the text had `/N` (or was `default`).
    pub len_given: bool,
}

impl InetPrefix {
    /// The address, if this is an IPv4 or IPv6 one.
    pub fn addr(&self) -> Option<IpAddr> {
        match self.family {
            Family::Inet if self.bytelen == 4 => Some(IpAddr::V4(Ipv4Addr::new(
                self.data[0],
                self.data[1],
                self.data[2],
                self.data[3],
            ))),
            Family::Inet6 if self.bytelen == 16 => Some(IpAddr::V6(Ipv6Addr::from(self.data))),
            _ => None,
        }
    }

    /// The address, or the family's unspecified address (`default`, `any`).
    pub fn addr_or_any(&self) -> IpAddr {
        match (self.addr(), self.family) {
            (Some(a), _) => a,
            (None, Family::Inet6) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            _ => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        }
    }

    /// The prefix length to send (`bitlen`, never negative).
    pub fn plen(&self) -> u8 {
        u8::try_from(self.bitlen.max(0)).unwrap_or(0)
    }

    pub fn from_addr(a: IpAddr) -> InetPrefix {
        let mut p = InetPrefix::default();
        match a {
            IpAddr::V4(v4) => {
                p.family = Family::Inet;
                p.bytelen = 4;
                p.data[..4].copy_from_slice(&v4.octets());
            }
            IpAddr::V6(v6) => {
                p.family = Family::Inet6;
                p.bytelen = 16;
                p.data = v6.octets();
            }
        }
        p.bitlen = -1;
        p
    }
}

/// iproute2's IPv4 parser: each part is a C number (`0x0a`, `012`), and missing parts are 0
/// (`10.8` is 10.8.0.0).
fn get_addr_ipv4(cp: &str) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut rest = cp;
    for (i, slot) in out.iter_mut().enumerate() {
        let (n, end, _) = strtoul(rest, 0);
        if n > 255 || end == 0 {
            return None;
        }
        *slot = n as u8;
        let tail = &rest[end..];
        if tail.is_empty() {
            break;
        }
        if i == 3 || !tail.starts_with('.') {
            return None;
        }
        rest = &tail[1..];
    }
    Some(out)
}

/// `get_addr_1()`: `None` where iproute2 returns an error.
pub fn get_addr_1(name: &str, family: Family) -> Option<InetPrefix> {
    let mut p = InetPrefix::default();
    if name == "default" {
        if family == Family::Mpls {
            return None;
        }
        p.family = family;
        p.bytelen = (family.bit_len() / 8) as usize;
        p.bitlen = -2;
        p.len_given = true;
        return Some(p);
    }
    if name == "all" || name == "any" {
        if family == Family::Mpls {
            return None;
        }
        p.family = family;
        p.bytelen = 0;
        p.bitlen = -2;
        return Some(p);
    }
    if family == Family::Packet {
        let ll = ll_addr_a2n(name, 16).ok()?;
        p.family = Family::Packet;
        p.bytelen = ll.len();
        p.bitlen = (ll.len() * 8) as i32;
        p.data[..ll.len().min(16)].copy_from_slice(&ll[..ll.len().min(16)]);
        return Some(p);
    }
    if name.contains(':') {
        if family != Family::Unspec && family != Family::Inet6 {
            return None;
        }
        let a: Ipv6Addr = name.parse().ok()?;
        p.family = Family::Inet6;
        p.data = a.octets();
        p.bytelen = 16;
        p.bitlen = -1;
        return Some(p);
    }
    if family == Family::Mpls {
        // MPLS labels are not modelled.
        return None;
    }
    if family != Family::Unspec && family != Family::Inet {
        return None;
    }
    let a = get_addr_ipv4(name)?;
    p.family = Family::Inet;
    p.data[..4].copy_from_slice(&a);
    p.bytelen = 4;
    p.bitlen = -1;
    Some(p)
}

/// A netmask in dotted form (`255.255.255.0`) as a prefix length.
fn mask2bits(mask: [u8; 4]) -> Option<u32> {
    let m = u32::from_be_bytes(mask);
    let host = !m;
    if host & host.wrapping_add(1) != 0 {
        return None;
    }
    Some(m.count_ones())
}

fn get_netmask(arg: &str) -> Option<u32> {
    if let Some(v) = get_unsigned(arg, 0) {
        return Some(v);
    }
    let a = get_addr_1(arg, Family::Inet)?;
    if a.family != Family::Inet {
        return None;
    }
    mask2bits([a.data[0], a.data[1], a.data[2], a.data[3]])
}

/// `get_prefix_1()`.
pub fn get_prefix_1(arg: &str, family: Family) -> Option<InetPrefix> {
    let (addr, len) = match arg.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (arg, None),
    };
    let mut p = get_addr_1(addr, family)?;
    let mut bitlen = p.family.bit_len();
    match len {
        Some(l) => {
            if p.bitlen == -2 {
                return None;
            }
            let plen = get_netmask(l)?;
            if i64::from(plen) > i64::from(bitlen) {
                return None;
            }
            p.len_given = true;
            bitlen = plen as i32;
        }
        None => {
            if p.bitlen == -2 {
                bitlen = 0;
            }
        }
    }
    p.bitlen = bitlen;
    Some(p)
}

/// `get_addr()`: exits with status 1 on a bad address.
pub fn get_addr(arg: &str, family: Family) -> IpResult<InetPrefix> {
    get_addr_1(arg, family).ok_or_else(|| {
        IpError::new(
            format!(
                "Error: {} address is expected rather than \"{arg}\".",
                family.verbose()
            ),
            1,
        )
    })
}

/// `get_prefix()`: exits with status 1 on a bad prefix.
pub fn get_prefix(arg: &str, family: Family) -> IpResult<InetPrefix> {
    if family == Family::Packet {
        return Err(IpError::new(
            format!("Error: \"{arg}\" may be inet prefix, but it is not allowed in this context."),
            1,
        ));
    }
    get_prefix_1(arg, family).ok_or_else(|| {
        IpError::new(
            format!(
                "Error: {} prefix is expected rather than \"{arg}\".",
                family.verbose()
            ),
            1,
        )
    })
}

/// `inet_addr_match()`: true when the first `bits` bits of `a` and `b` agree.
pub fn addr_match(a: &IpAddr, b: &InetPrefix, bits: i32) -> bool {
    let ab: Vec<u8> = match a {
        IpAddr::V4(v) => v.octets().to_vec(),
        IpAddr::V6(v) => v.octets().to_vec(),
    };
    let bits = bits.max(0) as usize;
    let bb = &b.data[..];
    for i in 0..bits.min(ab.len() * 8) {
        let byte = i / 8;
        let mask = 0x80u8 >> (i % 8);
        if ab[byte] & mask != bb.get(byte).copied().unwrap_or(0) & mask {
            return false;
        }
    }
    true
}

/// `inet_addr_match_rta()` as a filter: true when `addr` passes the prefix filter `m`.
pub fn prefix_filter_ok(m: &InetPrefix, addr: &IpAddr) -> bool {
    if m.family == Family::Unspec || m.bitlen <= 0 {
        return true;
    }
    if Family::of(addr) != m.family {
        return false;
    }
    addr_match(addr, m, m.bitlen)
}

/// C `sscanf(s, "%x")` on one part of a link-layer address.
fn scan_hex(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    if i + 2 < b.len() + 1
        && i + 1 < b.len()
        && b[i] == b'0'
        && (b[i + 1] == b'x' || b[i + 1] == b'X')
        && b.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit())
    {
        i += 2;
    }
    let start = i;
    let mut v: u64 = 0;
    while i < b.len() && b[i].is_ascii_hexdigit() {
        v = v
            .wrapping_mul(16)
            .wrapping_add(u64::from((b[i] as char).to_digit(16).unwrap_or(0)));
        i += 1;
    }
    if i == start {
        return None;
    }
    let v = v as u32 as i32;
    Some(if neg { -i64::from(v) } else { i64::from(v) })
}

/// `ll_addr_a2n()`: a link-layer address (`00:00:5e:00:53:01`, or dotted IPv4 for tunnels).
/// The error is iproute2's message (`"zz" is invalid lladdr.`).
pub fn ll_addr_a2n(arg: &str, maxlen: usize) -> Result<Vec<u8>, String> {
    if arg.contains('.') {
        let p =
            get_addr_1(arg, Family::Inet).ok_or_else(|| format!("\"{arg}\" is invalid lladdr."))?;
        if maxlen < 4 {
            return Err(String::new());
        }
        return Ok(p.data[..4].to_vec());
    }
    let mut out = Vec::new();
    let mut rest = arg;
    loop {
        let (part, next) = match rest.split_once(':') {
            Some((a, b)) => (a, Some(b)),
            None => (rest, None),
        };
        let v = scan_hex(part).ok_or_else(|| format!("\"{part}\" is invalid lladdr."))?;
        if !(0..=255).contains(&v) {
            return Err(format!("\"{part}\" is invalid lladdr."));
        }
        out.push(v as u8);
        match next {
            Some(n) if out.len() < maxlen => rest = n,
            _ => break,
        }
    }
    Ok(out)
}

/// `ll_addr_n2a()` for Ethernet-like addresses: lower-case hex pairs joined by colons.
pub fn ll_addr_n2a(addr: &[u8]) -> String {
    let mut s = String::with_capacity(addr.len() * 3);
    for (i, b) in addr.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// `check_ifname()`: what the kernel's `dev_valid_name` accepts.
pub fn check_ifname(name: &str) -> bool {
    name.len() < 16 && check_altifname(name)
}

/// `check_altifname()`.
pub fn check_altifname(name: &str) -> bool {
    !name.is_empty()
        && !name
            .bytes()
            .any(|c| c == b'/' || matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
}

/// `ll_idx_a2n()`: `if7` names interface 7.
pub fn ll_idx_a2n(name: &str) -> u32 {
    match name.strip_prefix("if") {
        Some(rest) => {
            let (v, end, _) = strtoul(rest, 10);
            if end == 0 {
                0
            } else {
                v as u32
            }
        }
        None => 0,
    }
}

// --- names (lib/rt_names.c, with Debian 12's /etc/iproute2 files) ---------------------------

const RTPROTOS: &[(u32, &str)] = &[
    (0, "unspec"),
    (1, "redirect"),
    (2, "kernel"),
    (3, "boot"),
    (4, "static"),
    (8, "gated"),
    (9, "ra"),
    (10, "mrt"),
    (11, "zebra"),
    (12, "bird"),
    (13, "dnrouted"),
    (14, "xorp"),
    (15, "ntk"),
    (16, "dhcp"),
    (18, "keepalived"),
    (42, "babel"),
    (99, "openr"),
    (186, "bgp"),
    (187, "isis"),
    (188, "ospf"),
    (189, "rip"),
    (192, "eigrp"),
];

const RTSCOPES: &[(u32, &str)] = &[
    (0, "global"),
    (255, "nowhere"),
    (254, "host"),
    (253, "link"),
    (200, "site"),
];

const RTTABLES: &[(u32, &str)] = &[
    (255, "local"),
    (254, "main"),
    (253, "default"),
    (0, "unspec"),
];

const DSFIELDS: &[(u32, &str)] = &[
    (0x0, "default"),
    (0x28, "AF11"),
    (0x30, "AF12"),
    (0x38, "AF13"),
    (0x48, "AF21"),
    (0x50, "AF22"),
    (0x58, "AF23"),
    (0x68, "AF31"),
    (0x70, "AF32"),
    (0x78, "AF33"),
    (0x88, "AF41"),
    (0x90, "AF42"),
    (0x98, "AF43"),
    (0x20, "CS1"),
    (0x40, "CS2"),
    (0x60, "CS3"),
    (0x80, "CS4"),
    (0xA0, "CS5"),
    (0xC0, "CS6"),
    (0xE0, "CS7"),
    (0xB8, "EF"),
];

fn table_a2n(tab: &[(u32, &str)], arg: &str, max: u64, base: u32) -> Option<u32> {
    if let Some((id, _)) = tab.iter().find(|(_, n)| *n == arg) {
        return Some(*id);
    }
    let (v, end, _) = strtoul(arg, base);
    if end == 0 || end != arg.len() || v > max {
        return None;
    }
    Some(v as u32)
}

fn table_n2a(tab: &[(u32, &str)], id: u32, numeric: bool) -> String {
    if !numeric {
        if let Some((_, n)) = tab.iter().find(|(i, _)| *i == id) {
            return (*n).to_string();
        }
    }
    id.to_string()
}

pub fn rtprot_n2a(id: u8, numeric: bool) -> String {
    table_n2a(RTPROTOS, u32::from(id), numeric)
}
pub fn rtprot_a2n(arg: &str) -> Option<u8> {
    table_a2n(RTPROTOS, arg, 255, 0).map(|v| v as u8)
}
pub fn rtscope_n2a(id: u8, numeric: bool) -> String {
    table_n2a(RTSCOPES, u32::from(id), numeric)
}
pub fn rtscope_a2n(arg: &str) -> Option<u8> {
    table_a2n(RTSCOPES, arg, 255, 0).map(|v| v as u8)
}
pub fn rttable_n2a(id: u32, numeric: bool) -> String {
    table_n2a(RTTABLES, id, numeric)
}
pub fn rttable_a2n(arg: &str) -> Option<u32> {
    table_a2n(RTTABLES, arg, u64::from(u32::MAX), 0)
}
pub fn dsfield_a2n(arg: &str) -> Option<u8> {
    table_a2n(DSFIELDS, arg, 255, 16).map(|v| v as u8)
}
pub fn dsfield_n2a(id: u8, numeric: bool) -> String {
    if !numeric {
        if let Some((_, n)) = DSFIELDS.iter().find(|(i, _)| *i == u32::from(id)) {
            return (*n).to_string();
        }
    }
    format!("0x{id:02x}")
}

/// `rtnl_group_a2n()`.
pub fn group_a2n(arg: &str) -> Option<i32> {
    if arg == "default" {
        return Some(0);
    }
    let (v, end, _) = strtol(arg, 0);
    if end == 0 || end != arg.len() || v < 0 {
        return None;
    }
    Some(v as i32)
}

/// `rtnl_group_n2a()`.
pub fn group_n2a(id: u32, numeric: bool) -> String {
    if id == 0 && !numeric {
        "default".to_string()
    } else {
        (id as i32).to_string()
    }
}

/// `rtnl_rtntype_n2a()`.
pub fn rtntype_n2a(id: u8, numeric: bool) -> String {
    if numeric {
        return id.to_string();
    }
    match id {
        0 => "none",
        1 => "unicast",
        2 => "local",
        3 => "broadcast",
        4 => "anycast",
        5 => "multicast",
        6 => "blackhole",
        7 => "unreachable",
        8 => "prohibit",
        9 => "throw",
        10 => "nat",
        11 => "xresolve",
        _ => return id.to_string(),
    }
    .to_string()
}

/// `rtnl_rtntype_a2n()`.
pub fn rtntype_a2n(arg: &str) -> Option<u8> {
    let r = if arg == "local" {
        2
    } else if arg == "nat" {
        10
    } else if matches(arg, "broadcast") || arg == "brd" {
        3
    } else if matches(arg, "anycast") {
        4
    } else if matches(arg, "multicast") {
        5
    } else if matches(arg, "prohibit") {
        8
    } else if matches(arg, "unreachable") {
        7
    } else if matches(arg, "blackhole") {
        6
    } else if matches(arg, "xresolve") {
        11
    } else if matches(arg, "unicast") {
        1
    } else if arg == "throw" {
        9
    } else {
        let (v, end, _) = strtoul(arg, 0);
        if end == 0 || end != arg.len() || v > 255 {
            return None;
        }
        v as u8
    };
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_prefixes() {
        assert!(matches("a", "address"));
        assert!(matches("addr", "address"));
        assert!(!matches("", "address"));
        assert!(!matches("addresses", "address"));
        assert!(!matches("x", "address"));
    }

    #[test]
    fn c_numbers() {
        assert_eq!(get_unsigned("0x10", 0), Some(16));
        assert_eq!(get_unsigned("010", 0), Some(8));
        assert_eq!(get_unsigned("10", 0), Some(10));
        assert_eq!(get_unsigned("-1", 0), None);
        assert_eq!(get_unsigned("4294967296", 0), None);
        assert_eq!(get_unsigned("", 0), None);
        assert_eq!(get_unsigned("12a", 0), None);
        assert_eq!(get_unsigned(" 12", 0), Some(12));
        assert_eq!(get_integer("-5", 0), Some(-5));
        assert_eq!(get_integer("99999999999", 0), None);
        assert_eq!(get_integer("abc", 0), None);
        assert_eq!(atoi("12x"), 12);
        assert_eq!(atoi("x"), 0);
    }

    #[test]
    fn ipv4_addresses_the_iproute2_way() {
        let a = get_addr_1("10.8", Family::Unspec).unwrap();
        assert_eq!(a.addr(), Some("10.8.0.0".parse().unwrap()));
        assert_eq!(a.bitlen, -1);
        assert!(get_addr_1("10.0.0.256", Family::Unspec).is_none());
        assert!(get_addr_1("1.2.3.4.5", Family::Unspec).is_none());
        assert!(get_addr_1("1.", Family::Unspec).is_none());
        assert_eq!(
            get_addr_1("0x0a.010.0.1", Family::Unspec).unwrap().addr(),
            Some("10.8.0.1".parse().unwrap())
        );
        assert!(get_addr_1("::1", Family::Inet).is_none());
        assert!(get_addr_1("1.2.3.4", Family::Inet6).is_none());
    }

    #[test]
    fn prefixes() {
        let p = get_prefix_1("192.0.2.0/24", Family::Unspec).unwrap();
        assert_eq!(p.bitlen, 24);
        assert!(p.len_given);
        let p = get_prefix_1("192.0.2.1", Family::Unspec).unwrap();
        assert_eq!(p.bitlen, 32);
        assert!(!p.len_given);
        let p = get_prefix_1("default", Family::Unspec).unwrap();
        assert_eq!((p.bitlen, p.family), (0, Family::Unspec));
        assert!(get_prefix_1("default/0", Family::Unspec).is_none());
        assert!(get_prefix_1("10.0.0.1/33", Family::Unspec).is_none());
        assert!(get_prefix_1("10.0.0.1/-1", Family::Unspec).is_none());
        assert_eq!(
            get_prefix_1("10.0.0.0/255.255.0.0", Family::Unspec)
                .unwrap()
                .bitlen,
            16
        );
        assert!(get_prefix_1("10.0.0.0/255.0.255.0", Family::Unspec).is_none());
        assert_eq!(
            get_prefix_1("fe80::/64", Family::Unspec).unwrap().bitlen,
            64
        );
        assert_eq!(
            get_prefix("foo", Family::Unspec).unwrap_err().stderr,
            "Error: any valid prefix is expected rather than \"foo\".\n"
        );
        assert_eq!(
            get_addr("foo", Family::Inet).unwrap_err().stderr,
            "Error: inet address is expected rather than \"foo\".\n"
        );
    }

    #[test]
    fn link_layer_addresses() {
        assert_eq!(
            ll_addr_a2n("00:00:5E:00:53:01", 32).unwrap(),
            vec![0, 0, 0x5e, 0, 0x53, 1]
        );
        assert_eq!(
            ll_addr_a2n("zz:zz", 32).unwrap_err(),
            "\"zz\" is invalid lladdr."
        );
        assert_eq!(ll_addr_a2n("0:1:2:3:4", 32).unwrap().len(), 5);
        assert_eq!(
            ll_addr_a2n("100:1", 32).unwrap_err(),
            "\"100\" is invalid lladdr."
        );
        assert_eq!(ll_addr_n2a(&[0, 0, 0x5e, 0, 0x53, 1]), "00:00:5e:00:53:01");
    }

    #[test]
    fn names() {
        assert_eq!(rtprot_n2a(2, false), "kernel");
        assert_eq!(rtprot_n2a(77, false), "77");
        assert_eq!(rtprot_a2n("static"), Some(4));
        assert_eq!(rtprot_a2n("0x10"), Some(16));
        assert_eq!(rtscope_a2n("link"), Some(253));
        assert_eq!(rtscope_n2a(254, false), "host");
        assert_eq!(rttable_a2n("main"), Some(254));
        assert_eq!(rttable_a2n("1000"), Some(1000));
        assert_eq!(rtntype_a2n("unreach"), Some(7));
        assert_eq!(rtntype_a2n("192.0.2.0"), None);
        assert!(check_ifname("ns1-veth0"));
        assert!(!check_ifname("abcdefghijklmnopq"));
        assert!(!check_ifname("a/b"));
        assert_eq!(ll_idx_a2n("if12"), 12);
    }
}
