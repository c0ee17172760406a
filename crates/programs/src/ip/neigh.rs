//! `ip neighbour`: the ARP (and NDP) tables (ip-neighbour(8), iproute2 ip/ipneigh.c).
//!
//! `show` hides `NOARP` entries and entries without a state unless `nud` asks for them;
//! `flush` never touches `PERMANENT` or `NOARP` ones and needs an argument (`ip neigh flush
//! all`, `dev X`); `add|change|replace|del` send one `NeighReq`. Lines end with a space.

use std::net::IpAddr;

use tsunagi_kernel::rtnl::{ntf, nud, NeighMsg, NeighReq, NlError, RouteMode};

use super::host::Host;
use super::link::Outcome;
use super::print::{family_color, Color, Out, View};
use super::utils::{
    duparg, duparg2, get_addr, get_prefix, get_unsigned, invarg, ll_addr_a2n, ll_addr_n2a, matches,
    nodev, prefix_filter_ok, rtprot_a2n, Args, Family, InetPrefix, IpError, IpResult,
};
use super::Opts;

pub const USAGE: &str = "Usage: ip neigh { add | del | change | replace }\n\
\x20               { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }\n\
\x20               [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]\n\
\x20               [ protocol PROTO ]\n\
\n\
\tip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]\n\
\t\t\t\t  [ vrf NAME ] [ nomaster ]\n\
\tip neigh get { ADDR | proxy ADDR } dev DEV\n\
\n\
STATE := { delay | failed | incomplete | noarp | none |\n\
\x20          permanent | probe | reachable | stale }\n";

fn usage() -> IpError {
    IpError::raw(USAGE, 255)
}

/// `nud_state_a2n()`.
pub fn nud_state_a2n(arg: &str) -> Option<u32> {
    let s = if matches(arg, "permanent") {
        nud::PERMANENT
    } else if matches(arg, "reachable") {
        nud::REACHABLE
    } else if arg == "noarp" {
        nud::NOARP
    } else if arg == "none" {
        nud::NONE
    } else if arg == "stale" {
        nud::STALE
    } else if arg == "incomplete" {
        nud::INCOMPLETE
    } else if arg == "delay" {
        nud::DELAY
    } else if arg == "probe" {
        nud::PROBE
    } else if matches(arg, "failed") {
        nud::FAILED
    } else {
        let v = get_unsigned(arg, 0)?;
        if v >= 0x100 || v & v.wrapping_sub(1) != 0 {
            return None;
        }
        return Some(v);
    };
    Some(u32::from(s))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeighOp {
    Add,
    Change,
    Replace,
    Delete,
}

/// What `ipneigh_modify` parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct NeighArgs {
    pub op: NeighOp,
    pub dst: InetPrefix,
    pub lladdr: Option<String>,
    pub state: u32,
    pub flags: u8,
    pub dev: Option<String>,
}

/// The selectors of `ip neigh show|flush`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NeighFilter {
    pub flush: bool,
    pub family: Family,
    pub dev: Option<String>,
    pub state: u32,
    pub pfx: Option<InetPrefix>,
    pub proxy: bool,
    pub unused: bool,
    pub protocol: Option<u8>,
}

/// An `ip neigh` command.
#[derive(Clone, Debug, PartialEq)]
pub enum NeighCmd {
    Modify(NeighArgs),
    List(NeighFilter),
    Get { dst: InetPrefix, dev: String },
}

/// `do_ipneigh()`.
pub fn parse(argv: &[String], opts: &Opts) -> IpResult<NeighCmd> {
    let Some(first) = argv.first() else {
        return Ok(NeighCmd::List(parse_list(&[], opts, false)?));
    };
    let rest = &argv[1..];
    let first = first.as_str();
    let m = |op| parse_modify(rest, opts, op).map(NeighCmd::Modify);
    if matches(first, "add") {
        return m(NeighOp::Add);
    }
    if matches(first, "change") || first == "chg" {
        return m(NeighOp::Change);
    }
    if matches(first, "replace") {
        return m(NeighOp::Replace);
    }
    if matches(first, "delete") {
        return m(NeighOp::Delete);
    }
    if matches(first, "get") {
        return parse_get(rest, opts);
    }
    if matches(first, "show") || matches(first, "lst") || matches(first, "list") {
        return Ok(NeighCmd::List(parse_list(rest, opts, false)?));
    }
    if matches(first, "flush") {
        return Ok(NeighCmd::List(parse_list(rest, opts, true)?));
    }
    if matches(first, "help") {
        return Err(usage());
    }
    Err(IpError::new(
        format!("Command \"{first}\" is unknown, try \"ip neigh help\"."),
        255,
    ))
}

fn parse_modify(argv: &[String], opts: &Opts, op: NeighOp) -> IpResult<NeighArgs> {
    let mut r = NeighArgs {
        op,
        dst: InetPrefix::default(),
        lladdr: None,
        state: u32::from(nud::PERMANENT),
        flags: 0,
        dev: None,
    };
    let mut dst_ok = false;
    let mut dev_ok = false;
    let mut a = Args::new(argv);
    while let Some(arg) = a.cur() {
        if matches(arg, "lladdr") {
            let v = a.next_arg()?;
            if r.lladdr.is_some() {
                return Err(duparg("lladdr", v));
            }
            r.lladdr = Some(v.to_string());
        } else if arg == "nud" {
            let v = a.next_arg()?;
            r.state = nud_state_a2n(v).ok_or_else(|| invarg("nud state is bad", v))?;
        } else if matches(arg, "proxy") {
            let v = a.next_arg()?;
            if matches(v, "help") {
                return Err(usage());
            }
            if dst_ok {
                return Err(duparg("address", v));
            }
            r.dst = get_addr(v, opts.family)?;
            dst_ok = true;
            dev_ok = true;
            r.flags |= ntf::PROXY;
        } else if arg == "router" {
            r.flags |= ntf::ROUTER;
        } else if arg == "use" {
            r.flags |= ntf::USE;
        } else if arg == "managed" {
            r.state = u32::from(nud::NONE);
        } else if matches(arg, "extern_learn") {
            r.flags |= ntf::EXT_LEARNED;
        } else if arg == "dev" {
            r.dev = Some(a.next_arg()?.to_string());
            dev_ok = true;
        } else if matches(arg, "protocol") {
            let v = a.next_arg()?;
            rtprot_a2n(v).ok_or_else(|| invarg("\"protocol\" value is invalid\n", v))?;
        } else {
            let mut v = arg;
            if v == "to" {
                v = a.next_arg()?;
            }
            if matches(v, "help") {
                v = a.next_arg()?;
            }
            if dst_ok {
                return Err(duparg2("to", v));
            }
            r.dst = get_addr(v, opts.family)?;
            dst_ok = true;
        }
        a.advance();
    }
    if !dev_ok || !dst_ok || r.dst.family == Family::Unspec {
        return Err(IpError::new(
            "Device and destination are required arguments.",
            255,
        ));
    }
    Ok(r)
}

fn parse_get(argv: &[String], opts: &Opts) -> IpResult<NeighCmd> {
    let mut dst: Option<InetPrefix> = None;
    let mut dev: Option<String> = None;
    let mut a = Args::new(argv);
    while let Some(arg) = a.cur() {
        if arg == "dev" {
            dev = Some(a.next_arg()?.to_string());
        } else if matches(arg, "proxy") {
            let v = a.next_arg()?;
            if matches(v, "help") {
                return Err(usage());
            }
            if dst.is_some() {
                return Err(duparg("address", v));
            }
            dst = Some(get_addr(v, opts.family)?);
        } else {
            let mut v = arg;
            if v == "to" {
                v = a.next_arg()?;
            }
            if matches(v, "help") {
                return Err(usage());
            }
            if dst.is_some() {
                return Err(duparg2("to", v));
            }
            dst = Some(get_addr(v, opts.family)?);
        }
        a.advance();
    }
    match (dst, dev) {
        (Some(d), Some(dev)) if d.family != Family::Unspec => Ok(NeighCmd::Get { dst: d, dev }),
        _ => Err(IpError::new(
            "Device and address are required arguments.",
            1,
        )),
    }
}

/// `do_show_or_flush()` argument parsing.
pub fn parse_list(argv: &[String], opts: &Opts, flush: bool) -> IpResult<NeighFilter> {
    let mut f = NeighFilter {
        flush,
        family: opts.family,
        ..NeighFilter::default()
    };
    if flush {
        if argv.is_empty() {
            return Err(IpError::new("Flush requires arguments.", 1));
        }
        f.state = !u32::from(nud::PERMANENT | nud::NOARP);
    } else {
        f.state = 0xFF & !u32::from(nud::NOARP);
    }
    let mut state_given = false;
    let mut a = Args::new(argv);
    while let Some(arg) = a.cur() {
        if arg == "dev" {
            let v = a.next_arg()?;
            if f.dev.is_some() {
                return Err(duparg("dev", v));
            }
            f.dev = Some(v.to_string());
        } else if arg == "master" {
            let v = a.next_arg()?;
            return Err(invarg("Device does not exist\n", v));
        } else if arg == "vrf" {
            let v = a.next_arg()?;
            return Err(invarg("Not a valid VRF name\n", v));
        } else if arg == "nomaster" {
        } else if arg == "unused" {
            f.unused = true;
        } else if arg == "nud" {
            let v = a.next_arg()?;
            if !state_given {
                state_given = true;
                f.state = 0;
            }
            let mut st = match nud_state_a2n(v) {
                Some(s) => s,
                None => {
                    if v != "all" {
                        return Err(invarg("nud state is bad", v));
                    }
                    let mut s = !0u32;
                    if flush {
                        s &= !u32::from(nud::NOARP);
                    }
                    s
                }
            };
            if st == 0 {
                st = 0x100;
            }
            f.state |= st;
        } else if arg == "proxy" {
            f.proxy = true;
        } else if matches(arg, "protocol") {
            let v = a.next_arg()?;
            match rtprot_a2n(v) {
                Some(p) => f.protocol = Some(p),
                None => {
                    if v != "all" {
                        return Err(invarg("invalid \"protocol\"\n", v));
                    }
                    f.protocol = None;
                }
            }
        } else {
            let mut v = arg;
            if v == "to" {
                v = a.next_arg()?;
            }
            if matches(v, "help") {
                return Err(usage());
            }
            let p = get_prefix(v, f.family)?;
            if f.family == Family::Unspec {
                f.family = p.family;
            }
            f.pfx = Some(p);
        }
        a.advance();
    }
    Ok(f)
}

// --- printing ---------------------------------------------------------------------------

fn is_v6(n: &NeighMsg) -> bool {
    matches!(n.dst, IpAddr::V6(_))
}

/// `print_neigh()`: one entry. `hide_dev`: a `dev` selector was given.
pub fn print_neigh(o: &mut Out, n: &NeighMsg, view: &View, hide_dev: bool, brief: bool) {
    let v6 = is_v6(n);
    if brief {
        o.c(family_color(v6), &format!("{:<39} ", n.dst));
        if !hide_dev && n.ifindex != 0 {
            o.c(Color::Ifname, &format!("{:<16} ", view.ifname(n.ifindex)));
        }
        if let Some(ll) = &n.lladdr {
            o.c(Color::Mac, &ll_addr_n2a(ll));
        }
        o.s("\n");
        return;
    }
    o.c(family_color(v6), &format!("{} ", n.dst));
    if !hide_dev && n.ifindex != 0 {
        o.s("dev ");
        o.c(Color::Ifname, &format!("{} ", view.ifname(n.ifindex)));
    }
    if let Some(ll) = &n.lladdr {
        o.s("lladdr ");
        o.c(Color::Mac, &format!("{} ", ll_addr_n2a(ll)));
    }
    if n.flags & ntf::ROUTER != 0 {
        o.s("router ");
    }
    if n.flags & ntf::PROXY != 0 {
        o.s("proxy ");
    }
    if n.flags & ntf::EXT_LEARNED != 0 {
        o.s("extern_learn ");
    }
    if n.flags & ntf::OFFLOADED != 0 {
        o.s("offload ");
    }
    // `ip -s`: `print_cacheinfo` then the probes, as iproute2 6.1 spaces them.
    if let Some(c) = &n.cache {
        if c.refcnt != 0 {
            o.s(&format!(" ref {}", c.refcnt));
        }
        let hz = 100;
        o.s(&format!(
            " used {}/{}/{}",
            c.used / hz,
            c.confirmed / hz,
            c.updated / hz
        ));
        o.s(&format!("probes {} ", c.probes));
    }
    let states: [(u16, &str); 8] = [
        (nud::INCOMPLETE, "INCOMPLETE"),
        (nud::REACHABLE, "REACHABLE"),
        (nud::STALE, "STALE"),
        (nud::DELAY, "DELAY"),
        (nud::PROBE, "PROBE"),
        (nud::FAILED, "FAILED"),
        (nud::NOARP, "NOARP"),
        (nud::PERMANENT, "PERMANENT"),
    ];
    for (bit, name) in states {
        if n.state & bit != 0 {
            o.s(&format!("{name} "));
        }
    }
    o.s("\n");
}

/// The filters of `print_neigh`.
fn passes(n: &NeighMsg, f: &NeighFilter, ifindex: u32) -> bool {
    let v6 = is_v6(n);
    match f.family {
        Family::Inet if v6 => return false,
        Family::Inet6 if !v6 => return false,
        _ => {}
    }
    if ifindex != 0 && n.ifindex != ifindex {
        return false;
    }
    if f.proxy != (n.flags & ntf::PROXY != 0) {
        return false;
    }
    let state = u32::from(n.state);
    if f.state & state == 0
        && n.flags & ntf::PROXY == 0
        && n.flags & ntf::EXT_LEARNED == 0
        && (state != 0 || f.state & 0x100 == 0)
    {
        return false;
    }
    if let Some(p) = &f.pfx {
        if !prefix_filter_ok(p, &n.dst) {
            return false;
        }
    }
    if f.protocol.is_some_and(|p| p != 0) {
        return false;
    }
    true
}

fn by_family(mut v: Vec<NeighMsg>) -> Vec<NeighMsg> {
    v.sort_by_key(is_v6);
    v
}

fn nl_err(e: NlError) -> IpError {
    IpError::new(e, 2)
}

/// Runs `ip neigh show|flush`.
pub fn run_list(f: &NeighFilter, host: &mut dyn Host, opts: &Opts) -> Outcome {
    let mut o = Out::new(opts.oneline);
    o.color = opts.color_on;
    o.dark = opts.dark_bg;
    let view = View {
        links: host.links(),
        ..View::default()
    };
    let mut ifindex = 0;
    if let Some(d) = &f.dev {
        ifindex = view.ifindex(d);
        if ifindex == 0 {
            return nodev(d).into();
        }
    }
    if !f.flush && opts.json {
        let mut w = super::json::JsonWriter::new(opts.pretty);
        for n in by_family(host.neighs()) {
            if passes(&n, f, ifindex) {
                super::json::neigh_object(&mut w, &n, &view, ifindex != 0, opts.brief);
            }
        }
        return Outcome::ok(w.finish());
    }
    if !f.flush {
        for n in by_family(host.neighs()) {
            let n = with_stats(n, opts);
            if passes(&n, f, ifindex) {
                print_neigh(&mut o, &n, &view, ifindex != 0, opts.brief);
            }
        }
        return Outcome::ok(o.take());
    }
    let mut f = f.clone();
    let max_rounds = 10;
    let mut round = 0;
    while round < max_rounds {
        let doomed: Vec<NeighMsg> = by_family(host.neighs())
            .into_iter()
            .map(|n| with_stats(n, opts))
            .filter(|n| passes(n, &f, ifindex))
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
            for n in &doomed {
                print_neigh(&mut o, n, &view, ifindex != 0, false);
            }
        }
        round += 1;
        for n in &doomed {
            let req = NeighReq {
                ifindex: n.ifindex,
                dst: n.dst,
                lladdr: n.lladdr,
                state: n.state,
                flags: n.flags,
            };
            let _ = host.neigh_del(&req);
        }
        if opts.stats > 0 {
            o.s(&format!(
                "\n*** Round {round}, deleting {} entries ***\n",
                doomed.len()
            ));
        }
        f.state &= !u32::from(nud::FAILED);
    }
    o.s(&format!(
        "*** Flush not complete bailing out after {max_rounds} rounds\n"
    ));
    Outcome {
        out: o.take(),
        err: String::new(),
        code: 255,
    }
}

/// The entry as `ip` shows it: its cache information only with `-s`.
fn with_stats(mut n: NeighMsg, opts: &Opts) -> NeighMsg {
    if opts.stats == 0 {
        n.cache = None;
    }
    n
}

/// Runs `ip neigh add|change|replace|del`.
pub fn run_modify(r: &NeighArgs, host: &mut dyn Host) -> Outcome {
    match modify(r, host) {
        Ok(()) => Outcome::ok(String::new()),
        Err(e) => e.into(),
    }
}

fn modify(r: &NeighArgs, host: &mut dyn Host) -> IpResult<()> {
    let mut lladdr = None;
    if let Some(l) = r.lladdr.as_deref().filter(|l| *l != "null") {
        let ll = ll_addr_a2n(l, 20).map_err(|m| IpError::new(m, 1))?;
        let mut mac = [0u8; 6];
        for (d, s) in mac.iter_mut().zip(ll.iter()) {
            *d = *s;
        }
        lladdr = Some(mac);
    }
    let view = View {
        links: host.links(),
        ..View::default()
    };
    let mut ifindex = 0;
    if let Some(d) = &r.dev {
        ifindex = view.ifindex(d);
        if ifindex == 0 {
            return Err(nodev(d));
        }
    }
    let req = NeighReq {
        ifindex,
        dst: r.dst.addr_or_any(),
        lladdr,
        state: r.state as u16,
        flags: r.flags,
    };
    let res = match r.op {
        NeighOp::Add => host.neigh_add(&req, RouteMode::Add),
        NeighOp::Change => host.neigh_add(&req, RouteMode::Change),
        NeighOp::Replace => host.neigh_add(&req, RouteMode::Replace),
        NeighOp::Delete => host.neigh_del(&req),
    };
    res.map_err(nl_err)
}

/// Runs `ip neigh get`.
pub fn run_get(dst: &InetPrefix, dev: &str, host: &mut dyn Host, opts: &Opts) -> Outcome {
    let view = View {
        links: host.links(),
        ..View::default()
    };
    let ifindex = view.ifindex(dev);
    if ifindex == 0 {
        return IpError::new(format!("Cannot find device \"{dev}\""), 1).into();
    }
    let want = dst.addr_or_any();
    match host
        .neighs()
        .into_iter()
        .find(|n| n.ifindex == ifindex && n.dst == want)
    {
        Some(n) if opts.json => {
            let mut w = super::json::JsonWriter::new(opts.pretty);
            super::json::neigh_object(&mut w, &n, &view, false, opts.brief);
            Outcome::ok(w.finish())
        }
        Some(n) => {
            let n = with_stats(n, opts);
            let mut o = Out::new(opts.oneline);
            o.color = opts.color_on;
            print_neigh(&mut o, &n, &view, false, opts.brief);
            Outcome::ok(o.take())
        }
        None => IpError::new("Error: Neighbour entry not found.", 2).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ip::link::tests::{lo, veth};

    fn n(dst: &str, ll: Option<[u8; 6]>, state: u16) -> NeighMsg {
        NeighMsg {
            ifindex: 3,
            dst: dst.parse().unwrap(),
            lladdr: ll,
            state,
            flags: 0,
            cache: None,
        }
    }

    fn view() -> View {
        View {
            links: vec![lo(), veth(3, "v0", 2, true)],
            ..View::default()
        }
    }

    #[test]
    fn prints_entries() {
        let mac = [0, 0, 0x5e, 0, 0x53, 2];
        let mut o = Out::new(false);
        print_neigh(
            &mut o,
            &n("192.0.2.2", Some(mac), nud::REACHABLE),
            &view(),
            false,
            false,
        );
        assert_eq!(
            o.take(),
            "192.0.2.2 dev v0 lladdr 00:00:5e:00:53:02 REACHABLE \n"
        );
        print_neigh(
            &mut o,
            &n("192.0.2.12", None, nud::INCOMPLETE),
            &view(),
            true,
            false,
        );
        assert_eq!(o.take(), "192.0.2.12 INCOMPLETE \n");
        print_neigh(
            &mut o,
            &n("192.0.2.13", None, nud::NONE),
            &view(),
            false,
            false,
        );
        assert_eq!(o.take(), "192.0.2.13 dev v0 \n");
        let mut r = n("192.0.2.16", Some(mac), nud::PERMANENT);
        r.flags = ntf::ROUTER;
        print_neigh(&mut o, &r, &view(), false, false);
        assert_eq!(
            o.take(),
            "192.0.2.16 dev v0 lladdr 00:00:5e:00:53:02 router PERMANENT \n"
        );
        print_neigh(
            &mut o,
            &n("192.0.2.2", Some(mac), nud::REACHABLE),
            &view(),
            false,
            true,
        );
        assert_eq!(
            o.take(),
            "192.0.2.2                               v0               00:00:5e:00:53:02\n"
        );
    }

    #[test]
    fn default_show_hides_noarp_and_stateless() {
        let f = parse_list(&[], &Opts::default(), false).unwrap();
        assert!(passes(&n("192.0.2.2", None, nud::STALE), &f, 0));
        assert!(!passes(&n("192.0.2.9", None, nud::NOARP), &f, 0));
        assert!(!passes(&n("192.0.2.13", None, nud::NONE), &f, 0));
        let v = vec!["nud".to_string(), "all".to_string()];
        let f = parse_list(&v, &Opts::default(), false).unwrap();
        assert!(passes(&n("192.0.2.13", None, nud::NONE), &f, 0));
        let v = vec!["all".to_string()];
        let f = parse_list(&v, &Opts::default(), true).unwrap();
        assert!(!passes(&n("192.0.2.7", None, nud::PERMANENT), &f, 0));
        assert!(passes(&n("192.0.2.2", None, nud::REACHABLE), &f, 0));
    }

    #[test]
    fn parse_errors() {
        let p = |args: &[&str]| {
            let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            parse(&v, &Opts::default())
        };
        assert_eq!(
            p(&["add", "192.0.2.3", "lladdr", "00:00:5e:00:53:03"])
                .unwrap_err()
                .stderr,
            "Device and destination are required arguments.\n"
        );
        assert_eq!(
            p(&["add", "foo", "dev", "v0"]).unwrap_err().stderr,
            "Error: any valid address is expected rather than \"foo\".\n"
        );
        assert_eq!(
            p(&["add", "192.0.2.3", "dev", "v0", "nud", "bogus"])
                .unwrap_err()
                .stderr,
            "Error: argument \"bogus\" is wrong: nud state is bad\n"
        );
        assert_eq!(
            p(&["flush"]).unwrap_err().stderr,
            "Flush requires arguments.\n"
        );
        assert_eq!(
            p(&["foo"]).unwrap_err().stderr,
            "Command \"foo\" is unknown, try \"ip neigh help\".\n"
        );
        assert_eq!(nud_state_a2n("perm"), Some(0x80));
        assert_eq!(nud_state_a2n("0x4"), Some(4));
        assert_eq!(nud_state_a2n("3"), None);
    }
}
