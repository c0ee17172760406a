//! `ip address`: protocol addresses (ip-address(8), iproute2 ip/ipaddress.c), and the listing
//! that `ip link show` shares with it (`ipaddr_list_flush_or_save`).
//!
//! The listing dumps links and addresses, drops the links no address matches
//! (`ipaddr_filter`), then prints each link followed by its addresses. `flush` deletes what a
//! listing with the same filters would print, in rounds, as iproute2 does.

use std::net::IpAddr;

use tsunagi_kernel::rtnl::{ifa, iff, AddrMsg, AddrReq, LinkMsg, RouteMode};

use super::host::Host;
use super::link::{self, LinkFmt, MasterArg, Outcome};
use super::print::{family_color, Out, View};
use super::utils::{
    duparg, duparg2, get_addr, get_prefix, get_u32, group_a2n, invarg, matches, rtscope_a2n,
    rtscope_n2a, Args, Family, InetPrefix, IpError, IpResult,
};
use super::Opts;

/// `ip address` usage, followed by the link types (iplink_types_usage).
pub const USAGE: &str = "Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]\n\
\x20                                                     [ CONFFLAG-LIST ]\n\
\x20      ip address del IFADDR dev IFNAME [mngtmpaddr]\n\
\x20      ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]\n\
\x20                           [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]\n\
\x20      ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]\n\
\x20                        [ nomaster ]\n\
\x20                        [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]\n\
\x20                        [ label LABEL ] [up] [ vrf NAME ] ]\n\
\x20      ip address {showdump|restore}\n\
IFADDR := PREFIX | ADDR peer PREFIX\n\
\x20         [ broadcast ADDR ] [ anycast ADDR ]\n\
\x20         [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]\n\
SCOPE-ID := [ host | link | global | NUMBER ]\n\
FLAG-LIST := [ FLAG-LIST ] FLAG\n\
FLAG  := [ permanent | dynamic | secondary | primary |\n\
\x20          [-]tentative | [-]deprecated | [-]dadfailed | temporary |\n\
\x20          CONFFLAG-LIST ]\n\
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG\n\
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]\n\
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]\n\
LFT := forever | SECONDS\n\
TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |\n\
\x20         dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |\n\
\x20         ip6erspan | ip6gre | ip6gretap | ip6tnl |\n\
\x20         ipip | ipoib | ipvlan | ipvtap |\n\
\x20         macsec | macvlan | macvtap |\n\
\x20         netdevsim | nlmon | rmnet | sit | team | team_slave |\n\
\x20         vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |\n\
\x20         xfrm | virt_wifi }\n";

fn usage(do_link: bool) -> IpError {
    if do_link {
        link::usage()
    } else {
        IpError::raw(USAGE, 255)
    }
}

/// `ifa_flag_data[]`: the address flags by name, whether they are read-only and IPv6-only.
const IFA_FLAGS: &[(&str, u32, bool, bool)] = &[
    ("secondary", ifa::SECONDARY, true, false),
    ("temporary", ifa::SECONDARY, true, false),
    ("nodad", ifa::NODAD, false, true),
    ("optimistic", ifa::OPTIMISTIC, false, true),
    ("dadfailed", ifa::DADFAILED, true, true),
    ("home", ifa::HOMEADDRESS, false, true),
    ("deprecated", ifa::DEPRECATED, true, true),
    ("tentative", ifa::TENTATIVE, true, true),
    ("permanent", ifa::PERMANENT, true, true),
    ("mngtmpaddr", ifa::MANAGETEMPADDR, false, true),
    ("noprefixroute", ifa::NOPREFIXROUTE, false, false),
    ("autojoin", ifa::MCAUTOJOIN, false, false),
    ("stable-privacy", ifa::STABLE_PRIVACY, true, true),
];

fn flag_by_name(name: &str) -> Option<&'static (&'static str, u32, bool, bool)> {
    IFA_FLAGS.iter().find(|f| f.0 == name)
}

/// The filters of a listing or flush (`struct link_filter`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ListArgs {
    /// `ip link show` (not `ip address`).
    pub do_link: bool,
    pub flush: bool,
    pub family: Family,
    pub pfx: Option<InetPrefix>,
    pub scope: u8,
    pub scopemask: u8,
    pub up: bool,
    pub flags: u32,
    pub flagmask: u32,
    pub label: Option<String>,
    pub group: Option<i32>,
    pub master: Option<MasterArg>,
    pub kind: Option<String>,
    pub slave_kind: Option<String>,
    pub dev: Option<String>,
    pub save: bool,
}

/// `get_filter()`.
fn get_filter(f: &mut ListArgs, arg: &str) -> bool {
    let (mut inv, mut name) = match arg.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, arg),
    };
    if name == "dynamic" {
        inv = !inv;
        name = "permanent";
    } else if name == "primary" {
        inv = !inv;
        name = "secondary";
    }
    let Some(fl) = flag_by_name(name) else {
        return false;
    };
    if inv {
        f.flags &= !fl.1;
    } else {
        f.flags |= fl.1;
    }
    f.flagmask |= fl.1;
    true
}

/// The argument loop of `ipaddr_list_flush_or_save()`.
pub fn parse_list(argv: &[String], opts: &Opts, do_link: bool, flush: bool) -> IpResult<ListArgs> {
    let mut f = ListArgs {
        do_link,
        flush,
        family: if do_link { Family::Packet } else { opts.family },
        ..ListArgs::default()
    };
    if flush {
        if argv.is_empty() {
            return Err(IpError::new("Flush requires arguments.", 1));
        }
        if f.family == Family::Packet {
            return Err(IpError::new("Cannot flush link addresses.", 1));
        }
    }
    let mut a = Args::new(argv);
    while let Some(arg) = a.cur() {
        if arg == "to" {
            let v = a.next_arg()?;
            let p = get_prefix(v, f.family)?;
            if f.family == Family::Unspec {
                f.family = p.family;
            }
            f.pfx = Some(p);
        } else if arg == "scope" {
            let v = a.next_arg()?;
            f.scopemask = 0xff;
            match rtscope_a2n(v) {
                Some(s) => f.scope = s,
                None => {
                    if v != "all" {
                        return Err(invarg("invalid \"scope\"\n", v));
                    }
                    f.scope = tsunagi_kernel::rtnl::scope::NOWHERE;
                    f.scopemask = 0;
                }
            }
        } else if arg == "up" {
            f.up = true;
        } else if get_filter(&mut f, arg) {
        } else if arg == "label" {
            f.label = Some(a.next_arg()?.to_string());
        } else if arg == "group" {
            let v = a.next_arg()?;
            f.group = Some(group_a2n(v).ok_or_else(|| invarg("Invalid \"group\" value\n", v))?);
        } else if arg == "master" {
            f.master = Some(MasterArg::Dev(a.next_arg()?.to_string()));
        } else if arg == "vrf" {
            let v = a.next_arg()?;
            return Err(invarg("Not a valid VRF name\n", v));
        } else if arg == "nomaster" {
            f.master = Some(MasterArg::None);
        } else if arg == "type" {
            let v = a.next_arg()?;
            match v.strip_suffix("_slave") {
                Some(k) => f.slave_kind = Some(k.to_string()),
                None => f.kind = Some(v.to_string()),
            }
        } else {
            let v = if arg == "dev" {
                a.next_arg()?
            } else {
                if matches(arg, "help") {
                    return Err(usage(do_link));
                }
                arg
            };
            if f.dev.is_some() {
                return Err(duparg2("dev", v));
            }
            f.dev = Some(v.to_string());
        }
        a.advance();
    }
    Ok(f)
}

/// A request to add, change or delete an address, as `ipaddr_modify` builds it.
#[derive(Clone, Debug, PartialEq)]
pub struct AddrArgs {
    pub mode: AddrOp,
    pub family: Family,
    pub local: Option<InetPrefix>,
    pub peer: Option<InetPrefix>,
    /// `brd ADDR`, or `+`/`-` (`Err(true)`/`Err(false)`).
    pub broadcast: Option<Result<IpAddr, bool>>,
    pub anycast: Option<IpAddr>,
    pub scope: Option<u8>,
    pub dev: Option<String>,
    pub label: Option<String>,
    pub metric: Option<u32>,
    pub valid_lft: Option<u32>,
    pub preferred_lft: Option<u32>,
    pub flags: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddrOp {
    Add,
    Change,
    Replace,
    Delete,
}

/// An `ip address` command.
#[derive(Clone, Debug, PartialEq)]
pub enum AddrCmd {
    List(ListArgs),
    Modify(AddrArgs),
    /// `save`, `showdump`, `restore`: binary dumps, not modelled.
    Unsupported(String),
}

const INFINITY_LIFE_TIME: u32 = 0xFFFF_FFFF;

fn set_lifetime(v: &str) -> Option<u32> {
    if v == "forever" {
        Some(INFINITY_LIFE_TIME)
    } else {
        get_u32(v, 0)
    }
}

/// `ipaddr_modify()` argument parsing; warnings go to `warn`.
fn parse_modify(argv: &[String], opts: &Opts, op: AddrOp, warn: &mut String) -> IpResult<AddrArgs> {
    let mut r = AddrArgs {
        mode: op,
        family: opts.family,
        local: None,
        peer: None,
        broadcast: None,
        anycast: None,
        scope: None,
        dev: None,
        label: None,
        metric: None,
        valid_lft: None,
        preferred_lft: None,
        flags: 0,
    };
    let mut valid_given = false;
    let mut preferred_given = false;
    let mut a = Args::new(argv);
    while let Some(arg) = a.cur() {
        if arg == "peer" || arg == "remote" {
            let v = a.next_arg()?;
            if r.peer.is_some() {
                return Err(duparg("peer", v));
            }
            let p = get_prefix(v, r.family)?;
            if r.family == Family::Unspec {
                r.family = p.family;
            }
            r.peer = Some(p);
        } else if matches(arg, "broadcast") || arg == "brd" {
            let v = a.next_arg()?;
            if r.broadcast.is_some() {
                return Err(duparg("broadcast", v));
            }
            if v == "+" {
                r.broadcast = Some(Err(true));
            } else if v == "-" {
                r.broadcast = Some(Err(false));
            } else {
                let p = get_addr(v, r.family)?;
                if r.family == Family::Unspec {
                    r.family = p.family;
                }
                r.broadcast = Some(Ok(p.addr_or_any()));
            }
        } else if arg == "anycast" {
            let v = a.next_arg()?;
            if r.anycast.is_some() {
                return Err(duparg("anycast", v));
            }
            let p = get_addr(v, r.family)?;
            if r.family == Family::Unspec {
                r.family = p.family;
            }
            r.anycast = Some(p.addr_or_any());
        } else if arg == "scope" {
            let v = a.next_arg()?;
            r.scope = Some(rtscope_a2n(v).ok_or_else(|| invarg("invalid scope value.", v))?);
        } else if arg == "dev" {
            r.dev = Some(a.next_arg()?.to_string());
        } else if arg == "label" {
            r.label = Some(a.next_arg()?.to_string());
        } else if matches(arg, "metric") || matches(arg, "priority") || matches(arg, "preference") {
            let v = a.next_arg()?;
            r.metric =
                Some(get_u32(v, 0).ok_or_else(|| invarg("\"metric\" value is invalid\n", v))?);
        } else if matches(arg, "valid_lft") {
            if valid_given {
                return Err(duparg("valid_lft", arg));
            }
            let v = a.next_arg()?;
            valid_given = true;
            r.valid_lft = Some(set_lifetime(v).ok_or_else(|| invarg("valid_lft value", v))?);
        } else if matches(arg, "preferred_lft") {
            if preferred_given {
                return Err(duparg("preferred_lft", arg));
            }
            let v = a.next_arg()?;
            preferred_given = true;
            r.preferred_lft =
                Some(set_lifetime(v).ok_or_else(|| invarg("preferred_lft value", v))?);
        } else if let Some(fl) = flag_by_name(arg) {
            if fl.2 {
                warn.push_str(&format!(
                    "Warning: {} option is not mutable from userspace\n",
                    fl.0
                ));
            } else if fl.3 && r.family != Family::Inet6 {
                warn.push_str(&format!(
                    "Warning: {} option can be set only for IPv6 addresses\n",
                    fl.0
                ));
            } else {
                r.flags |= fl.1;
            }
        } else {
            let v = if arg == "local" { a.next_arg()? } else { arg };
            if matches(v, "help") {
                return Err(usage(false));
            }
            if r.local.is_some() {
                return Err(duparg2("local", v));
            }
            let p = get_prefix(v, r.family)?;
            if r.family == Family::Unspec {
                r.family = p.family;
            }
            r.local = Some(p);
        }
        a.advance();
    }
    Ok(r)
}

/// `do_ipaddr()`.
pub fn parse(argv: &[String], opts: &Opts, warn: &mut String) -> IpResult<AddrCmd> {
    let Some(first) = argv.first() else {
        return Ok(AddrCmd::List(parse_list(&[], opts, false, false)?));
    };
    let rest = &argv[1..];
    let first = first.as_str();
    let modify = |op, warn: &mut String| parse_modify(rest, opts, op, warn).map(AddrCmd::Modify);
    if matches(first, "add") {
        return modify(AddrOp::Add, warn);
    }
    if matches(first, "change") || first == "chg" {
        return modify(AddrOp::Change, warn);
    }
    if matches(first, "replace") {
        return modify(AddrOp::Replace, warn);
    }
    if matches(first, "delete") {
        return modify(AddrOp::Delete, warn);
    }
    if matches(first, "list") || matches(first, "show") || matches(first, "lst") {
        return Ok(AddrCmd::List(parse_list(rest, opts, false, false)?));
    }
    if matches(first, "flush") {
        return Ok(AddrCmd::List(parse_list(rest, opts, false, true)?));
    }
    if matches(first, "save") {
        let mut f = parse_list(rest, opts, false, false)?;
        f.save = true;
        return Ok(AddrCmd::List(f));
    }
    if matches(first, "showdump") {
        return Ok(AddrCmd::Unsupported("showdump".to_string()));
    }
    if matches(first, "restore") {
        return Ok(AddrCmd::Unsupported("restore".to_string()));
    }
    if matches(first, "help") {
        return Err(usage(false));
    }
    Err(IpError::new(
        format!("Command \"{first}\" is unknown, try \"ip address help\"."),
        255,
    ))
}

fn nl_err(e: tsunagi_kernel::rtnl::NlError) -> IpError {
    IpError::new(e, 2)
}

/// Runs `ip address add|change|replace|del`.
pub fn run_modify(r: &AddrArgs, host: &mut dyn Host, warn: &mut String) -> Outcome {
    match modify(r, host, warn) {
        Ok(()) => Outcome::ok(String::new()),
        Err(e) => e.into(),
    }
}

fn modify(r: &AddrArgs, host: &mut dyn Host, warn: &mut String) -> IpResult<()> {
    let Some(dev) = r.dev.as_deref() else {
        return Err(IpError::new(
            "Not enough information: \"dev\" argument is required.",
            1,
        ));
    };
    let del = r.mode == AddrOp::Delete;
    let lcl = r.local.clone().unwrap_or_default();
    let mut peer = r.peer.clone();
    if r.peer.is_none() && r.local.is_some() {
        if del && lcl.family == Family::Inet && !lcl.len_given {
            warn.push_str(&format!(
                "Warning: Executing wildcard deletion to stay compatible with old scripts.\n\
                 \x20        Explicitly specify the prefix length ({}/{}) to avoid this warning.\n\
                 \x20        This special behaviour is likely to disappear in further releases,\n\
                 \x20        fix your scripts!\n",
                super::utils::InetPrefix::addr(&lcl)
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
                lcl.bytelen * 8
            ));
        } else {
            peer = Some(lcl.clone());
        }
    }
    let mut prefixlen = r.peer.as_ref().map(|p| p.plen()).unwrap_or(0);
    if prefixlen == 0 {
        prefixlen = lcl.plen();
    }
    let mut broadcast = match &r.broadcast {
        Some(Ok(IpAddr::V4(a))) => Some(*a),
        _ => None,
    };
    if let (Some(Err(plus)), false) = (&r.broadcast, del) {
        if r.family != Family::Inet {
            return Err(IpError::new(
                "Broadcast can be set only for IPv4 addresses",
                1,
            ));
        }
        if let Some(p) = &peer {
            if p.bitlen <= 30 {
                let base = u32::from_be_bytes([p.data[0], p.data[1], p.data[2], p.data[3]]);
                let host_mask = if p.bitlen <= 0 {
                    u32::MAX
                } else {
                    u32::MAX >> p.bitlen
                };
                let b = if *plus {
                    base | host_mask
                } else {
                    base & !host_mask
                };
                broadcast = Some(b.into());
            }
        }
    }
    let scope = match (r.scope, del) {
        (Some(s), _) => Some(s),
        (None, false) => Some(
            if lcl.family == Family::Inet && lcl.bytelen >= 1 && lcl.data[0] == 127 {
                tsunagi_kernel::rtnl::scope::HOST
            } else {
                0
            },
        ),
        (None, true) => None,
    };
    let links = host.links();
    let view = View {
        links,
        ..View::default()
    };
    let ifindex = view.ifindex(dev);
    if ifindex == 0 {
        return Err(super::utils::nodev(dev));
    }
    let lft_given = r.valid_lft.is_some() || r.preferred_lft.is_some();
    let valid = r.valid_lft.unwrap_or(INFINITY_LIFE_TIME);
    let preferred = r.preferred_lft.unwrap_or(INFINITY_LIFE_TIME);
    if lft_given {
        if valid == 0 {
            return Err(IpError::new("valid_lft is zero", 1));
        }
        if valid < preferred {
            return Err(IpError::new("preferred_lft is greater than valid_lft", 1));
        }
    }
    if r.flags & ifa::MCAUTOJOIN != 0 && !lcl.addr().is_some_and(|a| a.is_multicast()) {
        return Err(IpError::new("autojoin needs multicast address", 1));
    }
    if r.family == Family::Unspec || r.local.is_none() && r.peer.is_none() {
        return Err(IpError::new(
            "RTNETLINK answers: Operation not supported",
            2,
        ));
    }
    let local = match r.local.as_ref().and_then(|l| l.addr()) {
        Some(a) => a,
        None => peer
            .as_ref()
            .map(|p| p.addr_or_any())
            .unwrap_or_else(|| lcl.addr_or_any()),
    };
    let lifetime = |v: u32| (v != INFINITY_LIFE_TIME).then_some(v);
    let req = AddrReq {
        ifindex,
        local,
        prefixlen,
        scope,
        broadcast,
        // IFA_ADDRESS: the peer, or the local address unless this is a wildcard deletion.
        peer: peer.as_ref().and_then(|p| p.addr()),
        label: r.label.clone(),
        flags: r.flags,
        valid_lft: if lft_given { lifetime(valid) } else { None },
        preferred_lft: if lft_given { lifetime(preferred) } else { None },
    };
    let res = match r.mode {
        AddrOp::Add => host.addr_add(&req, RouteMode::Add),
        AddrOp::Change => host.addr_add(&req, RouteMode::Change),
        AddrOp::Replace => host.addr_add(&req, RouteMode::Replace),
        AddrOp::Delete => host.addr_del(&req),
    };
    res.map_err(nl_err)
}

// --- printing (print_addrinfo) and listing -----------------------------------------------

/// `fnmatch(pattern, s, 0)` for `label` filters: `*`, `?`, `[...]`, `\` escapes.
pub fn fnmatch(pat: &str, s: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.first() {
            None => s.is_empty(),
            Some('*') => (0..=s.len()).any(|i| go(&p[1..], &s[i..])),
            Some('?') => !s.is_empty() && go(&p[1..], &s[1..]),
            Some('[') => {
                let Some(c) = s.first() else { return false };
                let mut i = 1;
                let neg = matches!(p.get(1), Some('!') | Some('^'));
                if neg {
                    i += 1;
                }
                let mut hit = false;
                let mut first = true;
                while i < p.len() && (p[i] != ']' || first) {
                    first = false;
                    if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
                        if p[i] <= *c && *c <= p[i + 2] {
                            hit = true;
                        }
                        i += 3;
                    } else {
                        if p[i] == *c {
                            hit = true;
                        }
                        i += 1;
                    }
                }
                if i >= p.len() {
                    // No closing bracket: a literal '['.
                    return *c == '[' && go(&p[1..], &s[1..]);
                }
                hit != neg && go(&p[i + 1..], &s[1..])
            }
            Some('\\') if p.len() > 1 => s.first() == Some(&p[1]) && go(&p[2..], &s[1..]),
            Some(c) => s.first() == Some(c) && go(&p[1..], &s[1..]),
        }
    }
    let p: Vec<char> = pat.chars().collect();
    let s: Vec<char> = s.chars().collect();
    go(&p, &s)
}

/// How `print_addrinfo` prints.
#[derive(Clone, Debug, Default)]
pub struct AddrFmt {
    pub brief: bool,
    /// `-o`, or a flush listing what it deletes: `N: dev` before each address.
    pub prefix_dev: bool,
    pub numeric: bool,
}

fn is_v6(a: &AddrMsg) -> bool {
    matches!(a.local, IpAddr::V6(_))
}

/// The address filters of `print_addrinfo` (all but the interface and family).
fn addr_passes(a: &AddrMsg, f: &ListArgs, view: &View) -> bool {
    if (f.scope ^ a.scope) & f.scopemask != 0 {
        return false;
    }
    if (f.flags ^ a.flags) & f.flagmask != 0 {
        return false;
    }
    if let Some(label) = &f.label {
        let l = match &a.label {
            Some(l) => l.clone(),
            None => view.ifname(a.ifindex),
        };
        if !fnmatch(label, &l) {
            return false;
        }
    }
    if let Some(p) = &f.pfx {
        if !super::utils::prefix_filter_ok(p, &a.local) {
            return false;
        }
    }
    true
}

fn family_ok(a: &AddrMsg, family: Family) -> bool {
    match family {
        Family::Unspec | Family::Packet => true,
        Family::Inet => !is_v6(a),
        Family::Inet6 => is_v6(a),
        _ => false,
    }
}

/// `print_addrinfo()`: one address.
pub fn print_addr(o: &mut Out, a: &AddrMsg, view: &View, f: &AddrFmt) {
    let v6 = is_v6(a);
    if !f.brief {
        if f.prefix_dev {
            o.s(&format!("{}: {}", a.ifindex, view.ifname(a.ifindex)));
        }
        o.s(&format!("    {} ", if v6 { "inet6" } else { "inet" }));
    }
    o.c(family_color(v6), &a.local.to_string());
    if a.address != a.local && !v6 {
        o.s(" peer ");
        o.c(family_color(v6), &a.address.to_string());
    }
    o.s(&format!("/{} ", a.prefixlen));
    if f.brief {
        return;
    }
    if let Some(b) = a.broadcast {
        o.s("brd ");
        o.c(family_color(v6), &format!("{b} "));
    }
    o.s(&format!("scope {} ", rtscope_n2a(a.scope, f.numeric)));
    let mut flags = a.flags;
    for (name, mask, _, _) in IFA_FLAGS {
        if *mask == ifa::PERMANENT {
            if flags & mask == 0 {
                o.s("dynamic ");
            }
        } else if flags & mask != 0 {
            if *mask == ifa::SECONDARY && v6 {
                o.s("temporary ");
            } else {
                o.s(&format!("{name} "));
            }
        }
        flags &= !mask;
    }
    if flags != 0 {
        o.s(&format!("flags {flags:02x} "));
    }
    if let Some(l) = &a.label {
        o.s(l);
    }
    o.nl();
    o.s("       valid_lft ");
    match a.valid_lft {
        None => o.s("forever"),
        Some(v) => o.s(&format!("{v}sec")),
    }
    o.s(" preferred_lft ");
    match a.preferred_lft {
        None => o.s("forever"),
        Some(v) if a.flags & ifa::DEPRECATED != 0 => o.s(&format!("{}sec", v as i32)),
        Some(v) => o.s(&format!("{v}sec")),
    }
    o.s("\n");
}

/// `print_linkinfo`'s filters: false when the link is not to be printed (`return -1`).
fn link_passes(l: &LinkMsg, f: &ListArgs, master: Option<i64>) -> bool {
    if f.up && l.flags & iff::UP == 0 {
        return false;
    }
    if let Some(g) = f.group {
        if l.group as i32 != g {
            return false;
        }
    }
    match (l.master, master) {
        (_, None) => {}
        (Some(_), Some(-1)) => return false,
        (None, Some(-1)) => {}
        (Some(m), Some(want)) => {
            if i64::from(m) != want {
                return false;
            }
        }
        (None, Some(_)) => return false,
    }
    if let Some(k) = &f.kind {
        if l.kind.info_kind() != Some(k.as_str()) {
            return false;
        }
    }
    if let Some(k) = &f.slave_kind {
        // A port reports its master's kind as `IFLA_INFO_SLAVE_KIND`.
        if l.brport.is_none() || k != "bridge" {
            return false;
        }
    }
    true
}

/// Sorts a dump as the kernel sends an `AF_UNSPEC` one: IPv4 first, then IPv6.
fn by_family(mut v: Vec<AddrMsg>) -> Vec<AddrMsg> {
    v.sort_by_key(is_v6);
    v
}

/// `ipaddr_list_flush_or_save()` after parsing: `ip address show|flush`, `ip link show`.
pub fn list(f: &ListArgs, host: &mut dyn Host, opts: &Opts) -> Outcome {
    let mut o = Out::new(opts.oneline);
    o.color = opts.color_on;
    o.dark = opts.dark_bg;
    let links = host.links();
    let mut view = View {
        links,
        ..View::default()
    };
    let mut ifindex = 0;
    if let Some(dev) = &f.dev {
        ifindex = view.ifindex(dev);
        if ifindex == 0 || view.link(ifindex).is_none() {
            return IpError::new(format!("Device \"{dev}\" does not exist."), 1).into();
        }
    }
    let master: Option<i64> = match &f.master {
        None => None,
        Some(MasterArg::None) => Some(-1),
        Some(MasterArg::Dev(d)) => {
            let i = view.ifindex(d);
            if i == 0 {
                return invarg("Device does not exist\n", d).into();
            }
            Some(i64::from(i))
        }
    };
    if f.flush {
        return flush(f, ifindex, host, &view, opts);
    }
    if f.save {
        return IpError::new("Not sending a binary stream to stdout", 1).into();
    }
    if view.links.iter().any(|l| l.link_netnsid.is_some()) {
        view.nsid_names = super::netns::nsid_names(host);
    }
    let lf = LinkFmt {
        brief: opts.brief,
        details: opts.details,
        stats: opts.stats,
        do_link: f.do_link,
        family: f.family,
        numeric: opts.numeric,
        human: opts.human > 0,
        iec: opts.iec,
        // With a device, iproute2 asks for that one link by RTM_GETLINK and gets the full
        // message; only the whole-table listing comes from the inet6 dump.
        inet6_dump: !f.do_link && opts.family == Family::Inet6 && ifindex == 0,
    };
    let af = AddrFmt {
        brief: opts.brief,
        prefix_dev: opts.oneline,
        numeric: opts.numeric,
    };
    let mut linfo: Vec<LinkMsg> = if ifindex != 0 {
        view.link(ifindex).cloned().into_iter().collect()
    } else {
        view.links.clone()
    };
    if f.do_link
        && f.group.is_none()
        && f.dev.is_some()
        && !view.links.iter().any(|l| Some(&l.name) == f.dev.as_ref())
    {
        // `ifN` passed ll_name_to_index, but RTM_GETLINK asks by name.
        return Outcome {
            out: String::new(),
            err:
                "RTNETLINK answers: No such device\nCannot send link get request: No such device\n"
                    .to_string(),
            code: 1,
        };
    }
    if opts.json {
        return Outcome::ok(list_json(f, host, &view, &lf, ifindex, master, opts));
    }
    if f.do_link && f.dev.is_some() && f.group.is_none() {
        // iplink_get: only the filters of print_linkinfo apply.
        for l in &linfo {
            if link_passes(l, f, master) {
                link::print_link(&mut o, l, &view, &lf);
            }
        }
        return Outcome::ok(o.take());
    }
    let mut ainfo: Vec<AddrMsg> = Vec::new();
    let no_link = f.family != Family::Packet && opts.oneline;
    if f.family != Family::Packet {
        ainfo = by_family(host.addrs())
            .into_iter()
            .filter(|a| family_ok(a, f.family) && (ifindex == 0 || a.ifindex == ifindex))
            .collect();
        // ipaddr_filter: keep links with a matching address, or with none at all.
        linfo.retain(|l| {
            let mine: Vec<&AddrMsg> = ainfo.iter().filter(|a| a.ifindex == l.ifindex).collect();
            if mine.is_empty() {
                return matches!(f.family, Family::Unspec | Family::Packet);
            }
            mine.iter().any(|a| addr_passes(a, f, &view))
        });
    }
    for l in &linfo {
        let passes = link_passes(l, f, master);
        let printed = if f.label.is_some() && passes {
            // print_linkinfo returns 0 without printing when a label filter is set.
            0
        } else if opts.brief || !no_link {
            if passes {
                link::print_link(&mut o, l, &view, &lf);
                if opts.brief {
                    0
                } else {
                    1
                }
            } else {
                -1
            }
        } else {
            // One-line mode prints no link: print_linkinfo is not even called.
            0
        };
        if printed >= 0 && f.family != Family::Packet {
            for a in ainfo.iter().filter(|a| a.ifindex == l.ifindex) {
                if f.up && l.flags & iff::UP == 0 {
                    continue;
                }
                if addr_passes(a, f, &view) {
                    print_addr(&mut o, a, &view, &af);
                }
            }
            if opts.brief {
                o.s("\n");
            }
        }
        if printed > 0 && !f.do_link && opts.stats > 0 {
            link::print_stats(&mut o, &l.stats, l.carrier_changes, &lf);
            o.nl();
        }
    }
    Outcome::ok(o.take())
}

/// The links (and addresses) of a listing, filtered as `ipaddr_filter` does.
fn selected(
    f: &ListArgs,
    host: &mut dyn Host,
    view: &View,
    ifindex: u32,
) -> (Vec<LinkMsg>, Vec<AddrMsg>) {
    let mut linfo: Vec<LinkMsg> = if ifindex != 0 {
        view.link(ifindex).cloned().into_iter().collect()
    } else {
        view.links.clone()
    };
    let mut ainfo: Vec<AddrMsg> = Vec::new();
    if f.family != Family::Packet {
        ainfo = by_family(host.addrs())
            .into_iter()
            .filter(|a| family_ok(a, f.family) && (ifindex == 0 || a.ifindex == ifindex))
            .collect();
        linfo.retain(|l| {
            let mine: Vec<&AddrMsg> = ainfo.iter().filter(|a| a.ifindex == l.ifindex).collect();
            if mine.is_empty() {
                return matches!(f.family, Family::Unspec | Family::Packet);
            }
            mine.iter().any(|a| addr_passes(a, f, view))
        });
    }
    (linfo, ainfo)
}

/// `ip -json address|link show`: one object a link (an empty one for a link the filters
/// drop, as iproute2 opens the object before it filters), its addresses in `addr_info`.
fn list_json(
    f: &ListArgs,
    host: &mut dyn Host,
    view: &View,
    lf: &LinkFmt,
    ifindex: u32,
    master: Option<i64>,
    opts: &Opts,
) -> String {
    use super::json::{addr_object, link_fields, stats, JsonWriter};
    let mut w = JsonWriter::new(opts.pretty);
    if f.do_link && f.dev.is_some() && f.group.is_none() {
        if let Some(l) = view.link(ifindex) {
            w.start_object();
            if link_passes(l, f, master) {
                link_fields(&mut w, l, view, lf);
            }
            w.end_object();
        }
        return w.finish();
    }
    let (linfo, ainfo) = selected(f, host, view, ifindex);
    let no_link = f.family != Family::Packet && opts.oneline;
    for l in &linfo {
        // The master and kind filters go into the dump request (`iplink_filter_req`): the
        // kernel leaves those links out, so they do not even open an object.
        let by_master = matches!(master, Some(m) if m > 0 && l.master.map(i64::from) != Some(m));
        let by_kind = f
            .kind
            .as_ref()
            .is_some_and(|k| l.kind.info_kind() != Some(k.as_str()));
        if by_master || by_kind {
            continue;
        }
        w.start_object();
        let passes = link_passes(l, f, master);
        let res = if f.label.is_some() && passes {
            0
        } else if opts.brief || !no_link {
            if passes {
                link_fields(&mut w, l, view, lf);
                if opts.brief {
                    0
                } else {
                    1
                }
            } else {
                -1
            }
        } else {
            0
        };
        if res >= 0 && f.family != Family::Packet {
            w.name("addr_info");
            w.start_array();
            for a in ainfo.iter().filter(|a| a.ifindex == l.ifindex) {
                if f.up && l.flags & iff::UP == 0 {
                    continue;
                }
                if addr_passes(a, f, view) {
                    addr_object(&mut w, a, view, opts.brief, opts.oneline);
                }
            }
            w.end_array();
        }
        if res > 0 && !f.do_link && opts.stats > 0 {
            stats(&mut w, l, opts.stats);
        }
        w.end_object();
    }
    w.finish()
}

/// `ipaddr_flush()`.
fn flush(f: &ListArgs, ifindex: u32, host: &mut dyn Host, view: &View, opts: &Opts) -> Outcome {
    let mut o = Out::new(opts.oneline);
    let af = AddrFmt {
        brief: false,
        prefix_dev: true,
        numeric: opts.numeric,
    };
    let max_rounds = opts.loops;
    let mut round = 0;
    while max_rounds == 0 || round < max_rounds {
        let doomed: Vec<AddrMsg> = by_family(host.addrs())
            .into_iter()
            .filter(|a| {
                family_ok(a, f.family)
                    && (ifindex == 0 || a.ifindex == ifindex)
                    && addr_passes(a, f, view)
            })
            .collect();
        if doomed.is_empty() {
            if opts.stats > 0 {
                if round == 0 {
                    o.s("Nothing to flush.\n");
                } else {
                    o.s(&format!(
                        "*** Flush is complete after {round} round{} ***\n",
                        if round > 1 { "s" } else { "" }
                    ));
                }
            }
            return Outcome::ok(o.take());
        }
        if opts.stats >= 2 {
            for a in &doomed {
                print_addr(&mut o, a, view, &af);
            }
        }
        round += 1;
        for a in &doomed {
            let req = AddrReq {
                ifindex: a.ifindex,
                local: a.local,
                prefixlen: a.prefixlen,
                scope: Some(a.scope),
                broadcast: a.broadcast,
                peer: Some(a.address),
                label: a.label.clone(),
                flags: 0,
                valid_lft: None,
                preferred_lft: None,
            };
            if let Err(e) = host.addr_del(&req) {
                if e.errno != tsunagi_kernel::Errno::EADDRNOTAVAIL {
                    let mut out = Outcome::ok(o.take());
                    out.err = format!("Failed to send flush request: {}\n", e.errno);
                    out.code = 255;
                    return out;
                }
            }
        }
        if opts.stats > 0 {
            o.s(&format!(
                "\n*** Round {round}, deleting {} addresses ***\n",
                doomed.len()
            ));
        }
        if f.flags & ifa::SECONDARY == 0 && f.flagmask & ifa::SECONDARY != 0 {
            if opts.stats > 0 {
                o.s(&format!(
                    "*** Flush is complete after {round} round{} ***\n",
                    if round > 1 { "s" } else { "" }
                ));
            }
            return Outcome::ok(o.take());
        }
    }
    let mut out = Outcome::ok(o.take());
    out.err = format!("*** Flush remains incomplete after {max_rounds} rounds. ***\n");
    out.code = 1;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ip::link::tests::{lo, veth};

    fn a4(ifindex: u32, addr: &str, plen: u8, scope: u8, label: &str) -> AddrMsg {
        let ip: IpAddr = addr.parse().unwrap();
        AddrMsg {
            ifindex,
            prefixlen: plen,
            flags: ifa::PERMANENT,
            scope,
            local: ip,
            address: ip,
            broadcast: None,
            label: Some(label.into()),
            valid_lft: None,
            preferred_lft: None,
        }
    }

    fn show(a: &AddrMsg, f: &AddrFmt) -> String {
        let view = View {
            links: vec![lo(), veth(3, "v0", 2, false)],
            ..View::default()
        };
        let mut o = Out::new(false);
        print_addr(&mut o, a, &view, f);
        o.take()
    }

    #[test]
    fn prints_addresses_as_iproute2() {
        let f = AddrFmt::default();
        assert_eq!(
            show(&a4(1, "127.0.0.1", 8, 254, "lo"), &f),
            "    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n"
        );
        let mut a = a4(3, "10.0.0.1", 24, 0, "v0");
        a.broadcast = Some("10.0.0.255".parse().unwrap());
        assert_eq!(
            show(&a, &f),
            "    inet 10.0.0.1/24 brd 10.0.0.255 scope global v0\n       valid_lft forever preferred_lft forever\n"
        );
        let mut a = a4(3, "10.0.0.3", 24, 0, "v0:foo");
        a.flags |= ifa::SECONDARY;
        assert_eq!(
            show(&a, &f),
            "    inet 10.0.0.3/24 scope global secondary v0:foo\n       valid_lft forever preferred_lft forever\n"
        );
        let mut a = a4(3, "10.1.0.1", 32, 0, "v0");
        a.address = "10.1.0.2".parse().unwrap();
        assert_eq!(
            show(&a, &f),
            "    inet 10.1.0.1 peer 10.1.0.2/32 scope global v0\n       valid_lft forever preferred_lft forever\n"
        );
        let mut a = a4(3, "10.4.0.1", 24, 0, "v0");
        a.flags = 0;
        a.valid_lft = Some(100);
        a.preferred_lft = Some(50);
        assert_eq!(
            show(&a, &f),
            "    inet 10.4.0.1/24 scope global dynamic v0\n       valid_lft 100sec preferred_lft 50sec\n"
        );
        let mut a = a4(3, "2001:db8::1", 64, 0, "v0");
        a.label = None;
        a.flags |= ifa::TENTATIVE;
        assert_eq!(
            show(&a, &f),
            "    inet6 2001:db8::1/64 scope global tentative \n       valid_lft forever preferred_lft forever\n"
        );
        let f = AddrFmt {
            prefix_dev: true,
            ..AddrFmt::default()
        };
        let mut o = Out::new(true);
        let view = View {
            links: vec![lo()],
            ..View::default()
        };
        print_addr(&mut o, &a4(1, "127.0.0.1", 8, 254, "lo"), &view, &f);
        assert_eq!(
            o.take(),
            "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n"
        );
        let f = AddrFmt {
            brief: true,
            ..AddrFmt::default()
        };
        assert_eq!(show(&a4(1, "127.0.0.1", 8, 254, "lo"), &f), "127.0.0.1/8 ");
    }

    fn pl(args: &[&str]) -> IpResult<ListArgs> {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse_list(&v, &Opts::default(), false, false)
    }

    #[test]
    fn parses_list_filters() {
        let f = pl(&["dev", "v0", "scope", "link", "secondary"]).unwrap();
        assert_eq!(f.dev.as_deref(), Some("v0"));
        assert_eq!((f.scope, f.scopemask), (253, 0xff));
        assert_eq!((f.flags, f.flagmask), (ifa::SECONDARY, ifa::SECONDARY));
        let f = pl(&["primary"]).unwrap();
        assert_eq!((f.flags, f.flagmask), (0, ifa::SECONDARY));
        let f = pl(&["to", "10.0.0.0/24"]).unwrap();
        assert_eq!(f.family, Family::Inet);
        assert_eq!(pl(&["v0", "v1"]).unwrap_err().code, 255);
        let v: Vec<String> = vec![];
        assert_eq!(
            parse_list(&v, &Opts::default(), false, true)
                .unwrap_err()
                .stderr,
            "Flush requires arguments.\n"
        );
    }

    fn pm(args: &[&str]) -> (IpResult<AddrArgs>, String) {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut w = String::new();
        let r = parse_modify(&v, &Opts::default(), AddrOp::Add, &mut w);
        (r, w)
    }

    #[test]
    fn parses_address_requests() {
        let (r, _) = pm(&["192.0.2.1/24", "dev", "v0", "brd", "+"]);
        let r = r.unwrap();
        assert_eq!(r.local.unwrap().bitlen, 24);
        assert_eq!(r.broadcast, Some(Err(true)));
        let (r, _) = pm(&["10.0.0.1/33", "dev", "v0"]);
        assert_eq!(
            r.unwrap_err().stderr,
            "Error: any valid prefix is expected rather than \"10.0.0.1/33\".\n"
        );
        let (r, _) = pm(&["10.0.0.2/24", "dev", "v0", "foo"]);
        assert_eq!(
            r.unwrap_err().stderr,
            "Error: either \"local\" is duplicate, or \"foo\" is a garbage.\n"
        );
        let (r, w) = pm(&["10.0.0.2/24", "dev", "v0", "nodad"]);
        assert!(r.is_ok());
        assert_eq!(
            w,
            "Warning: nodad option can be set only for IPv6 addresses\n"
        );
    }

    #[test]
    fn label_globs() {
        assert!(fnmatch("v0:*", "v0:foo"));
        assert!(!fnmatch("v0:*", "v0"));
        assert!(fnmatch("v?", "v0"));
        assert!(fnmatch("v[0-3]", "v2"));
        assert!(!fnmatch("v[!0-3]", "v2"));
    }
}
