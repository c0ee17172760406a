//! `ip route`: routing tables (ip-route(8), iproute2 ip/iproute.c).
//!
//! `add`, `change`, `replace`, `prepend`, `append`, `test`, `del` build one `RouteReq` as
//! `iproute_modify` builds its `RTM_NEWROUTE` (table main, protocol boot, the scope iproute2
//! derives from the route type and gateway); `show` and `flush` filter the kernel's dump as
//! `filter_nlmsg` does and print with `print_route`, whose filters also hide what they made
//! redundant (`ip route show dev X` prints no `dev`); `get` asks the kernel for a lookup and
//! prints its answer with the `cache` line. Every route line ends with a space.

use std::net::IpAddr;

use tsunagi_kernel::rtnl::{
    rt_table, rtn, rtprot, scope, RouteGetReq, RouteMode, RouteMsg, RouteReq,
};
use tsunagi_kernel::Errno;

use super::host::Host;
use super::link::Outcome;
use super::print::{family_color, Color, Out, View};
use super::utils::{
    addr_match, dsfield_a2n, duparg2, get_addr, get_prefix, get_u32, get_unsigned, invarg, matches,
    nodev, rtntype_a2n, rtntype_n2a, rtprot_a2n, rtprot_n2a, rtscope_a2n, rtscope_n2a, rttable_a2n,
    rttable_n2a, Args, Family, InetPrefix, IpError, IpResult,
};
use super::Opts;

pub const USAGE: &str = "Usage: ip route { list | flush } SELECTOR\n\
\x20      ip route save SELECTOR\n\
\x20      ip route restore\n\
\x20      ip route showdump\n\
\x20      ip route get [ ROUTE_GET_FLAGS ] ADDRESS\n\
\x20                           [ from ADDRESS iif STRING ]\n\
\x20                           [ oif STRING ] [ tos TOS ]\n\
\x20                           [ mark NUMBER ] [ vrf NAME ]\n\
\x20                           [ uid NUMBER ] [ ipproto PROTOCOL ]\n\
\x20                           [ sport NUMBER ] [ dport NUMBER ]\n\
\x20      ip route { add | del | change | append | replace } ROUTE\n\
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]\n\
\x20           [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]\n\
\x20           [ type TYPE ] [ scope SCOPE ]\n\
ROUTE := NODE_SPEC [ INFO_SPEC ]\n\
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]\n\
\x20            [ table TABLE_ID ] [ proto RTPROTO ]\n\
\x20            [ scope SCOPE ] [ metric METRIC ]\n\
\x20            [ ttl-propagate { enabled | disabled } ]\n\
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...\n\
NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]\n\
\x20     [ dev STRING ] [ weight NUMBER ] NHFLAGS\n\
FAMILY := [ inet | inet6 | mpls | bridge | link ]\n\
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]\n\
\x20          [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]\n\
\x20          [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]\n\
\x20          [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]\n\
\x20          [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]\n\
\x20          [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]\n\
\x20          [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]\n\
TYPE := { unicast | local | broadcast | multicast | throw |\n\
\x20         unreachable | prohibit | blackhole | nat }\n\
TABLE_ID := [ local | main | default | all | NUMBER ]\n\
SCOPE := [ host | link | global | NUMBER ]\n\
NHFLAGS := [ onlink | pervasive ]\n\
RTPROTO := [ kernel | boot | static | NUMBER ]\n\
PREF := [ low | medium | high ]\n\
TIME := NUMBER[s|ms]\n\
BOOL := [1|0]\n\
FEATURES := ecn\n\
ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]\n\
ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]\n\
SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]\n\
SEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]\n\
SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]\n\
ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |\n\
\x20           End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |\n\
\x20           End.BM | End.S | End.AS | End.AM | End.BPF }\n\
OPTIONS := OPTION [ OPTIONS ]\n\
OPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |\n\
\x20           table TABLEID | vrftable TABLEID | endpoint PROGNAME }\n\
FLAVORS := { FLAVOR[,FLAVOR] }\n\
FLAVOR := { psp | usp | usd | next-csid }\n\
IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE\n\
XFRMINFO := if_id IF_ID [ link_dev LINK ]\n\
ROUTE_GET_FLAGS := [ fibmatch ]\n";

fn usage() -> IpError {
    IpError::raw(USAGE, 255)
}

/// `RTM_F_*` flags of `rtm_flags` that `print_rt_flags` knows.
mod rtm_f {
    pub const NOTIFY: u32 = 0x100;
    pub const CLONED: u32 = 0x200;
    pub const OFFLOAD: u32 = 0x4000;
    pub const TRAP: u32 = 0x8000;
    pub const OFFLOAD_FAILED: u32 = 0x2000_0000;
}
const RTNH_F_TRAP: u32 = 64;

/// Which `NLM_F_*` an `ip route` modification sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteOp {
    Add,
    Change,
    Replace,
    Prepend,
    Append,
    Test,
    Delete,
}

/// What `iproute_modify` parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteArgs {
    pub op: RouteOp,
    pub family: Family,
    pub table: u32,
    pub table_ok: bool,
    pub rtype: u8,
    pub type_ok: bool,
    pub protocol: u8,
    pub scope: u8,
    pub scope_ok: bool,
    pub dst: InetPrefix,
    pub gateway: Option<InetPrefix>,
    pub prefsrc: Option<InetPrefix>,
    pub metric: Option<u32>,
    pub dev: Option<String>,
    pub onlink: bool,
    pub tos: u8,
    /// `nexthop ...` (multipath) or `nhid`: not modelled.
    pub multipath: bool,
}

/// The selectors of `ip route show|flush` (`filter` in iproute.c).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RouteFilter {
    pub flush: bool,
    /// Table id; 0: all.
    pub tb: u32,
    pub cloned: bool,
    pub tos: Option<u8>,
    pub protocol: Option<u8>,
    pub scope: Option<u8>,
    pub typemask: u32,
    pub od: Option<String>,
    pub id: Option<String>,
    pub mark: Option<u32>,
    pub metric: Option<u32>,
    pub rvia: Option<InetPrefix>,
    pub rprefsrc: Option<InetPrefix>,
    pub rdst: Option<InetPrefix>,
    pub mdst: Option<InetPrefix>,
    pub rsrc: Option<InetPrefix>,
    pub msrc: Option<InetPrefix>,
}

/// What `iproute_get` parsed.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct GetArgs {
    pub family: Family,
    pub dst: Option<InetPrefix>,
    pub from: Option<InetPrefix>,
    pub iif: Option<String>,
    pub oif: Option<String>,
    pub tos: u8,
    pub mark: u32,
    pub uid: Option<u32>,
    pub fibmatch: bool,
    pub connected: bool,
    /// `notify`: `RTM_F_NOTIFY`, echoed back with `RTCF_NOTIFY` in the cache flags.
    pub notify: bool,
}

/// An `ip route` command.
#[derive(Clone, Debug, PartialEq)]
pub enum RouteCmd {
    Modify(RouteArgs),
    List(RouteFilter),
    Get(GetArgs),
    Unsupported(String),
}

/// `do_iproute()`.
pub fn parse(argv: &[String], opts: &Opts, warn: &mut String) -> IpResult<RouteCmd> {
    let Some(first) = argv.first() else {
        return Ok(RouteCmd::List(parse_list(&[], opts, false)?));
    };
    let rest = &argv[1..];
    let first = first.as_str();
    let m = |op| parse_modify(rest, opts, op).map(RouteCmd::Modify);
    if matches(first, "add") {
        return m(RouteOp::Add);
    }
    if matches(first, "change") || first == "chg" {
        return m(RouteOp::Change);
    }
    if matches(first, "replace") {
        return m(RouteOp::Replace);
    }
    if matches(first, "prepend") {
        return m(RouteOp::Prepend);
    }
    if matches(first, "append") {
        return m(RouteOp::Append);
    }
    if matches(first, "test") {
        return m(RouteOp::Test);
    }
    if matches(first, "delete") {
        return m(RouteOp::Delete);
    }
    if matches(first, "list") || matches(first, "show") || matches(first, "lst") {
        return Ok(RouteCmd::List(parse_list(rest, opts, false)?));
    }
    if matches(first, "get") {
        return Ok(RouteCmd::Get(parse_get(rest, opts, warn)?));
    }
    if matches(first, "flush") {
        return Ok(RouteCmd::List(parse_list(rest, opts, true)?));
    }
    if matches(first, "save") {
        if rest.first().is_some_and(|a| matches(a, "help")) {
            return Err(usage());
        }
        parse_list(rest, opts, false)?;
        return Ok(RouteCmd::Unsupported("save".to_string()));
    }
    if matches(first, "restore") {
        return Ok(RouteCmd::Unsupported("restore".to_string()));
    }
    if matches(first, "showdump") {
        return Ok(RouteCmd::Unsupported("showdump".to_string()));
    }
    if matches(first, "help") {
        return Err(usage());
    }
    Err(IpError::new(
        format!("Command \"{first}\" is unknown, try \"ip route help\"."),
        255,
    ))
}

/// A metric keyword's value (`mtu 1400`, `mtu lock 1400`): checked, then ignored.
fn metric_arg(a: &mut Args<'_>, what: &str) -> IpResult<()> {
    let mut v = a.next_arg()?;
    if v == "lock" {
        v = a.next_arg()?;
    }
    if get_unsigned(v, 0).is_none() {
        return Err(invarg(&format!("\"{what}\" value is invalid\n"), v));
    }
    Ok(())
}

fn parse_modify(argv: &[String], opts: &Opts, op: RouteOp) -> IpResult<RouteArgs> {
    let del = op == RouteOp::Delete;
    let mut r = RouteArgs {
        op,
        family: opts.family,
        table: rt_table::MAIN,
        table_ok: false,
        rtype: if del { rtn::UNSPEC } else { rtn::UNICAST },
        type_ok: false,
        protocol: if del { rtprot::UNSPEC } else { rtprot::BOOT },
        scope: if del { scope::NOWHERE } else { scope::UNIVERSE },
        scope_ok: false,
        dst: InetPrefix::default(),
        gateway: None,
        prefsrc: None,
        metric: None,
        dev: None,
        onlink: false,
        tos: 0,
        multipath: false,
    };
    let mut dst_ok = false;
    let mut a = Args::new(argv);
    while let Some(arg) = a.cur() {
        if arg == "src" {
            let v = a.next_arg()?;
            let p = get_addr(v, r.family)?;
            if r.family == Family::Unspec {
                r.family = p.family;
            }
            r.prefsrc = Some(p);
        } else if arg == "as" {
            let mut v = a.next_arg()?;
            if v == "to" {
                v = a.next_arg()?;
            }
            let p = get_addr(v, r.family)?;
            if r.family == Family::Unspec {
                r.family = p.family;
            }
        } else if arg == "via" {
            if r.gateway.is_some() {
                return Err(invarg("use nexthop syntax to specify multiple via\n", arg));
            }
            let mut v = a.next_arg()?;
            let mut fam = Family::read(v);
            if fam == Family::Unspec {
                fam = r.family;
            } else {
                v = a.next_arg()?;
            }
            let p = get_addr(v, fam)?;
            if r.family == Family::Unspec {
                r.family = p.family;
            }
            r.gateway = Some(p);
        } else if arg == "from" {
            let v = a.next_arg()?;
            let p = get_prefix(v, r.family)?;
            if r.family == Family::Unspec {
                r.family = p.family;
            }
        } else if arg == "tos" || matches(arg, "dsfield") {
            let v = a.next_arg()?;
            r.tos = dsfield_a2n(v).ok_or_else(|| invarg("\"tos\" value is invalid\n", v))?;
        } else if arg == "expires" {
            let v = a.next_arg()?;
            get_u32(v, 0).ok_or_else(|| invarg("\"expires\" value is invalid\n", v))?;
        } else if matches(arg, "metric") || matches(arg, "priority") || arg == "preference" {
            let v = a.next_arg()?;
            r.metric =
                Some(get_u32(v, 0).ok_or_else(|| invarg("\"metric\" value is invalid\n", v))?);
        } else if arg == "scope" {
            let v = a.next_arg()?;
            r.scope = rtscope_a2n(v).ok_or_else(|| invarg("invalid \"scope\" value\n", v))?;
            r.scope_ok = true;
        } else if arg == "mtu" {
            metric_arg(&mut a, "mtu")?;
        } else if arg == "hoplimit" {
            metric_arg(&mut a, "hoplimit")?;
        } else if arg == "advmss" {
            metric_arg(&mut a, "mss")?;
        } else if matches(arg, "reordering") {
            metric_arg(&mut a, "reordering")?;
        } else if arg == "rtt" || arg == "rto_min" || matches(arg, "rttvar") {
            a.next_arg()?;
        } else if matches(arg, "window") {
            metric_arg(&mut a, "window")?;
        } else if matches(arg, "cwnd") {
            metric_arg(&mut a, "cwnd")?;
        } else if matches(arg, "initcwnd") {
            metric_arg(&mut a, "initcwnd")?;
        } else if matches(arg, "initrwnd") {
            metric_arg(&mut a, "initrwnd")?;
        } else if matches(arg, "features") {
            let v = a.next_arg()?;
            if v != "ecn" {
                return Err(invarg("\"features\" value not valid\n", v));
            }
        } else if matches(arg, "quickack") || matches(arg, "fastopen_no_cookie") {
            let what = if matches(arg, "quickack") {
                "quickack"
            } else {
                "fastopen_no_cookie"
            };
            let v = a.next_arg()?;
            match get_unsigned(v, 0) {
                None => return Err(invarg(&format!("\"{what}\" value is invalid\n"), v)),
                Some(n) if n > 1 => {
                    return Err(invarg(&format!("\"{what}\" value should be 0 or 1\n"), v))
                }
                Some(_) => {}
            }
        } else if matches(arg, "congctl") {
            let v = a.next_arg()?;
            if v == "lock" {
                a.next_arg()?;
            }
        } else if matches(arg, "ssthresh") {
            metric_arg(&mut a, "ssthresh")?;
        } else if matches(arg, "realms") {
            a.next_arg()?;
        } else if arg == "onlink" {
            r.onlink = true;
        } else if arg == "nexthop" {
            r.multipath = true;
            break;
        } else if arg == "nhid" {
            let v = a.next_arg()?;
            get_u32(v, 0).ok_or_else(|| invarg("\"id\" value is invalid\n", v))?;
            r.multipath = true;
        } else if matches(arg, "protocol") {
            let v = a.next_arg()?;
            r.protocol =
                rtprot_a2n(v).ok_or_else(|| invarg("\"protocol\" value is invalid\n", v))?;
        } else if matches(arg, "table") {
            let v = a.next_arg()?;
            r.table = rttable_a2n(v).ok_or_else(|| invarg("\"table\" value is invalid\n", v))?;
            r.table_ok = true;
        } else if matches(arg, "vrf") {
            let v = a.next_arg()?;
            return Err(invarg("Invalid VRF\n", v));
        } else if arg == "dev" || arg == "oif" {
            r.dev = Some(a.next_arg()?.to_string());
        } else if matches(arg, "pref") {
            let v = a.next_arg()?;
            if !matches!(v, "low" | "medium" | "high") && super::utils::get_u8(v, 0).is_none() {
                return Err(invarg("\"pref\" value is invalid\n", v));
            }
        } else if arg == "encap" {
            return Err(IpError::new("Error: encapsulation is not supported", 255));
        } else if arg == "ttl-propagate" {
            let v = a.next_arg()?;
            if !matches(v, "enabled") && !matches(v, "disabled") {
                return Err(invarg("\"ttl-propagate\" value is invalid\n", v));
            }
        } else {
            let mut v = arg;
            if v == "to" {
                v = a.next_arg()?;
            }
            let first = v.as_bytes().first().copied().unwrap_or(0);
            if !first.is_ascii_digit() {
                if let Some(t) = rtntype_a2n(v) {
                    v = a.next_arg()?;
                    r.rtype = t;
                    r.type_ok = true;
                }
            }
            if matches(v, "help") {
                return Err(usage());
            }
            if dst_ok {
                return Err(duparg2("to", v));
            }
            let p = get_prefix(v, r.family)?;
            if r.family == Family::Unspec {
                r.family = p.family;
            }
            r.dst = p;
            dst_ok = true;
        }
        a.advance();
    }
    if !dst_ok {
        return Err(usage());
    }
    if r.family == Family::Unspec {
        r.family = Family::Inet;
    }
    if !r.table_ok && matches!(r.rtype, rtn::LOCAL | rtn::BROADCAST | 10 | rtn::ANYCAST) {
        r.table = rt_table::LOCAL;
    }
    if !r.scope_ok {
        if r.family == Family::Inet6 || r.family == Family::Mpls {
            r.scope = scope::UNIVERSE;
        } else if r.rtype == rtn::LOCAL || r.rtype == 10 {
            r.scope = scope::HOST;
        } else if matches!(r.rtype, rtn::BROADCAST | rtn::MULTICAST | rtn::ANYCAST) {
            r.scope = scope::LINK;
        } else if r.rtype == rtn::UNICAST || r.rtype == rtn::UNSPEC {
            if del {
                r.scope = scope::NOWHERE;
            } else if r.gateway.is_none() && !r.multipath {
                r.scope = scope::LINK;
            }
        }
    }
    Ok(r)
}

/// The selector loop of `iproute_list_flush_or_save()`.
pub fn parse_list(argv: &[String], opts: &Opts, flush: bool) -> IpResult<RouteFilter> {
    let mut f = RouteFilter {
        flush,
        tb: rt_table::MAIN,
        ..RouteFilter::default()
    };
    if flush && argv.is_empty() {
        return Err(IpError::new("\"ip route flush\" requires arguments.", 1));
    }
    let fam = opts.family;
    let mut a = Args::new(argv);
    while let Some(arg) = a.cur() {
        if matches(arg, "table") {
            let v = a.next_arg()?;
            match rttable_a2n(v) {
                Some(t) => f.tb = t,
                None => {
                    if v == "all" {
                        f.tb = 0;
                    } else if v == "cache" {
                        f.cloned = true;
                    } else if v == "help" {
                        return Err(usage());
                    } else {
                        return Err(invarg("table id value is invalid\n", v));
                    }
                }
            }
        } else if matches(arg, "vrf") {
            let v = a.next_arg()?;
            return Err(invarg("Invalid VRF\n", v));
        } else if matches(arg, "cached") || matches(arg, "cloned") {
            f.cloned = true;
        } else if arg == "tos" || matches(arg, "dsfield") {
            let v = a.next_arg()?;
            f.tos = Some(dsfield_a2n(v).ok_or_else(|| invarg("TOS value is invalid\n", v))?);
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
        } else if matches(arg, "scope") {
            let v = a.next_arg()?;
            match rtscope_a2n(v) {
                Some(s) => f.scope = Some(s),
                None => {
                    if v != "all" {
                        return Err(invarg("invalid \"scope\"\n", v));
                    }
                    f.scope = None;
                }
            }
        } else if matches(arg, "type") {
            let v = a.next_arg()?;
            let t = rtntype_a2n(v).ok_or_else(|| invarg("node type value is invalid\n", v))?;
            f.typemask = 1u32.checked_shl(u32::from(t)).unwrap_or(0);
        } else if arg == "dev" || arg == "oif" {
            f.od = Some(a.next_arg()?.to_string());
        } else if arg == "iif" {
            f.id = Some(a.next_arg()?.to_string());
        } else if arg == "mark" {
            let v = a.next_arg()?;
            f.mark = Some(get_unsigned(v, 0).ok_or_else(|| invarg("invalid mark value", v))?);
        } else if matches(arg, "metric") || matches(arg, "priority") || arg == "preference" {
            let v = a.next_arg()?;
            f.metric =
                Some(get_u32(v, 0).ok_or_else(|| invarg("\"metric\" value is invalid\n", v))?);
        } else if arg == "via" {
            let mut v = a.next_arg()?;
            let mut family = Family::read(v);
            if family == Family::Unspec {
                family = fam;
            } else {
                v = a.next_arg()?;
            }
            f.rvia = Some(get_prefix(v, family)?);
        } else if arg == "src" {
            let v = a.next_arg()?;
            f.rprefsrc = Some(get_prefix(v, fam)?);
        } else if matches(arg, "realms") {
            a.next_arg()?;
        } else if matches(arg, "from") {
            let v = a.next_arg()?;
            if matches(v, "root") {
                f.rsrc = Some(get_prefix(a.next_arg()?, fam)?);
            } else if matches(v, "match") {
                f.msrc = Some(get_prefix(a.next_arg()?, fam)?);
            } else {
                let v = if matches(v, "exact") {
                    a.next_arg()?
                } else {
                    v
                };
                let p = get_prefix(v, fam)?;
                f.msrc = Some(p.clone());
                f.rsrc = Some(p);
            }
        } else {
            let mut v = arg;
            if matches(v, "to") {
                v = a.next_arg()?;
            }
            if matches(v, "root") {
                f.rdst = Some(get_prefix(a.next_arg()?, fam)?);
            } else if matches(v, "match") {
                f.mdst = Some(get_prefix(a.next_arg()?, fam)?);
            } else {
                if matches(v, "exact") {
                    v = a.next_arg()?;
                }
                let p = get_prefix(v, fam)?;
                f.mdst = Some(p.clone());
                f.rdst = Some(p);
            }
        }
        a.advance();
    }
    Ok(f)
}

fn parse_get(argv: &[String], opts: &Opts, warn: &mut String) -> IpResult<GetArgs> {
    let mut g = GetArgs {
        family: opts.family,
        ..GetArgs::default()
    };
    let mut a = Args::new(argv);
    while let Some(arg) = a.cur() {
        if arg == "tos" || matches(arg, "dsfield") {
            let v = a.next_arg()?;
            g.tos = dsfield_a2n(v).ok_or_else(|| invarg("TOS value is invalid\n", v))?;
        } else if matches(arg, "from") {
            let v = a.next_arg()?;
            if matches(v, "help") {
                return Err(usage());
            }
            let p = get_prefix(v, g.family)?;
            if g.family == Family::Unspec {
                g.family = p.family;
            }
            g.from = Some(p);
        } else if matches(arg, "iif") {
            g.iif = Some(a.next_arg()?.to_string());
        } else if matches(arg, "mark") {
            let v = a.next_arg()?;
            g.mark = get_unsigned(v, 0).ok_or_else(|| invarg("invalid mark value", v))?;
        } else if matches(arg, "oif") || arg == "dev" {
            g.oif = Some(a.next_arg()?.to_string());
        } else if matches(arg, "notify") {
            g.notify = true;
        } else if matches(arg, "connected") {
            g.connected = true;
        } else if matches(arg, "vrf") {
            let v = a.next_arg()?;
            return Err(invarg("Invalid VRF\n", v));
        } else if matches(arg, "uid") {
            let v = a.next_arg()?;
            g.uid = Some(get_unsigned(v, 0).ok_or_else(|| invarg("invalid UID\n", v))?);
        } else if matches(arg, "fibmatch") {
            g.fibmatch = true;
        } else if arg == "as" {
            let mut v = a.next_arg()?;
            if v == "to" {
                v = a.next_arg()?;
            }
            let p = get_addr(v, g.family)?;
            if g.family == Family::Unspec {
                g.family = p.family;
            }
        } else if matches(arg, "sport") || matches(arg, "dport") {
            let what = if matches(arg, "sport") {
                "sport"
            } else {
                "dport"
            };
            let v = a.next_arg()?;
            super::utils::get_u16(v, 0).ok_or_else(|| invarg(&format!("invalid {what}\n"), v))?;
        } else if matches(arg, "ipproto") {
            let v = a.next_arg()?;
            if !matches!(v, "tcp" | "udp" | "icmp" | "ipv6-icmp" | "sctp" | "dccp")
                && super::utils::get_u8(v, 0).is_none()
            {
                return Err(invarg("Invalid \"ipproto\" value\n", v));
            }
        } else {
            let mut v = arg;
            if v == "to" {
                v = a.next_arg()?;
            }
            if matches(v, "help") {
                return Err(usage());
            }
            let mut p = get_prefix(v, g.family)?;
            if g.family == Family::Unspec {
                g.family = p.family;
            }
            if g.family == Family::Inet && p.bitlen != 32 {
                warn.push_str(&format!(
                    "Warning: /{} as prefix is invalid, only /32 (or none) is supported.\n",
                    p.bitlen
                ));
                p.bitlen = 32;
            } else if g.family == Family::Inet6 && p.bitlen != 128 {
                warn.push_str(&format!(
                    "Warning: /{} as prefix is invalid, only /128 (or none) is supported.\n",
                    p.bitlen
                ));
                p.bitlen = 128;
            }
            g.dst = Some(p);
        }
        a.advance();
    }
    if g.dst.is_none() {
        return Err(IpError::new("need at least a destination address", 1));
    }
    Ok(g)
}

// --- printing ---------------------------------------------------------------------------

/// What the selectors of a listing hide from `print_route`, and the global options.
#[derive(Clone, Debug, Default)]
pub struct RouteFmt {
    pub details: u32,
    pub numeric: bool,
    /// `filter.tb` (0: all tables, and then `table` is printed).
    pub tb: u32,
    pub typemask: u32,
    pub hide_proto: bool,
    pub hide_scope: bool,
    pub hide_dev: bool,
    pub hide_iif: bool,
    pub hide_metric: bool,
    pub hide_tos: bool,
    /// `via` / `src` selectors of a full host length hide the gateway / preferred source.
    pub hide_via: bool,
    pub hide_prefsrc: bool,
}

fn is_v6(r: &RouteMsg) -> bool {
    r.family_v6
}

fn host_len(r: &RouteMsg) -> u8 {
    if is_v6(r) {
        128
    } else {
        32
    }
}

/// `print_rt_flags()`.
fn rt_flags(o: &mut Out, flags: u32) {
    use tsunagi_kernel::rtnl::rtnh;
    let names: [(u32, &str); 11] = [
        (rtnh::DEAD, "dead"),
        (rtnh::ONLINK, "onlink"),
        (rtnh::PERVASIVE, "pervasive"),
        (rtnh::OFFLOAD, "offload"),
        (RTNH_F_TRAP, "trap"),
        (rtm_f::NOTIFY, "notify"),
        (rtnh::LINKDOWN, "linkdown"),
        (rtnh::UNRESOLVED, "unresolved"),
        (rtm_f::OFFLOAD, "rt_offload"),
        (rtm_f::TRAP, "rt_trap"),
        (rtm_f::OFFLOAD_FAILED, "rt_offload_failed"),
    ];
    for (bit, name) in names {
        if flags & bit != 0 {
            o.s(&format!("{name} "));
        }
    }
}

/// `print_cache_flags()`: the `cache <...>` line of `ip route get`.
fn cache_flags(o: &mut Out, flags: u32) {
    let mut flags = flags & !0xFFFF;
    o.s(o.sl());
    o.s("    cache ");
    if flags == 0 {
        return;
    }
    o.s("<");
    let names: [(u32, &str); 14] = [
        (0x8000_0000, "local"),
        (0x4000_0000, "reject"),
        (0x2000_0000, "mc"),
        (0x1000_0000, "brd"),
        (0x0800_0000, "dst-nat"),
        (0x0080_0000, "src-nat"),
        (0x0040_0000, "masq"),
        (0x0002_0000, "dst-direct"),
        (0x0400_0000, "src-direct"),
        (0x0004_0000, "redirected"),
        (0x0100_0000, "redirect"),
        (0x0020_0000, "fastroute"),
        (0x0001_0000, "notify"),
        (0x0008_0000, "proxy"),
    ];
    for (bit, name) in names {
        if flags & bit != 0 {
            flags &= !bit;
            o.s(name);
            o.s(if flags != 0 { "," } else { "> " });
        }
    }
    if flags != 0 {
        o.s(&format!("{flags:x}>"));
    }
}

fn addr_str(a: &IpAddr) -> String {
    a.to_string()
}

/// `print_route()`: one route line (and for a lookup answer, its `cache` line).
pub fn print_route(o: &mut Out, r: &RouteMsg, view: &View, f: &RouteFmt) {
    let cloned = r.cache_flags.is_some();
    let v6 = is_v6(r);
    if (r.rtype != rtn::UNICAST || f.details > 0)
        && (f.typemask == 0 || f.typemask & (1u32 << (r.rtype & 31)) != 0)
    {
        o.s(&format!("{} ", rtntype_n2a(r.rtype, f.numeric)));
    }
    let has_dst = r.dst_len > 0 || cloned;
    if has_dst {
        let d = if r.dst_len != host_len(r) {
            format!("{}/{}", addr_str(&r.dst), r.dst_len)
        } else {
            addr_str(&r.dst)
        };
        o.c(family_color(v6), &format!("{d} "));
    } else {
        o.s("default ");
    }
    if let Some(src) = &r.src {
        o.c(family_color(v6), &format!("from {} ", addr_str(src)));
    }
    // (tos is never set in what the kernel model reports)
    let _ = f.hide_tos;
    if let Some(gw) = &r.gateway {
        if !f.hide_via {
            o.s("via ");
            o.c(family_color(v6), &format!("{} ", addr_str(gw)));
        }
    }
    if let Some(oif) = r.oif {
        if !f.hide_dev {
            o.s("dev ");
            o.c(Color::Ifname, &format!("{} ", view.ifname(oif)));
        }
    }
    if r.table != 0 && (r.table != rt_table::MAIN || f.details > 0) && f.tb == 0 {
        o.s(&format!("table {} ", rttable_n2a(r.table, f.numeric)));
    }
    if !cloned {
        if (r.protocol != rtprot::BOOT || f.details > 0) && !f.hide_proto {
            o.s(&format!("proto {} ", rtprot_n2a(r.protocol, f.numeric)));
        }
        if (r.scope != scope::UNIVERSE || f.details > 0) && !f.hide_scope {
            o.s(&format!("scope {} ", rtscope_n2a(r.scope, f.numeric)));
        }
    }
    if let Some(p) = &r.prefsrc {
        if !f.hide_prefsrc {
            o.s("src ");
            o.c(family_color(v6), &format!("{} ", addr_str(p)));
        }
    }
    if let Some(m) = r.priority {
        if (m != 0 || v6) && !f.hide_metric {
            o.s(&format!("metric {m} "));
        }
    }
    let mut flags = r.flags;
    if cloned {
        flags |= rtm_f::CLONED | r.cache_flags.unwrap_or(0);
    }
    rt_flags(o, flags);
    if let Some(uid) = r.uid {
        o.s(&format!("uid {uid} "));
    }
    if !v6 && cloned {
        cache_flags(o, flags);
    }
    if let Some(iif) = r.iif {
        if !f.hide_iif {
            o.s(&format!("iif {} ", view.ifname(iif)));
        }
    }
    if v6 {
        o.s("pref medium");
    }
    o.s("\n");
}

// --- running ----------------------------------------------------------------------------

fn nl_err(e: tsunagi_kernel::rtnl::NlError) -> IpError {
    IpError::new(e, 2)
}

/// Runs `ip route add|change|replace|prepend|append|test|del`.
pub fn run_modify(r: &RouteArgs, host: &mut dyn Host) -> Outcome {
    match modify(r, host) {
        Ok(()) => Outcome::ok(String::new()),
        Err(e) => e.into(),
    }
}

fn modify(r: &RouteArgs, host: &mut dyn Host) -> IpResult<()> {
    let view = View {
        links: host.links(),
        ..View::default()
    };
    let oif = match &r.dev {
        Some(d) => match view.ifindex(d) {
            0 => return Err(nodev(d)),
            i => Some(i),
        },
        None => None,
    };
    if r.multipath {
        return Err(IpError::new("Error: multipath routes are not supported", 2));
    }
    if r.family != Family::Inet && r.family != Family::Inet6 {
        return Err(nl_err(tsunagi_kernel::rtnl::NlError::new(
            Errno::EAFNOSUPPORT,
        )));
    }
    let v6 = r.family == Family::Inet6;
    let any = super::host::any_addr(v6);
    let req = RouteReq {
        table: r.table,
        rtype: r.rtype,
        protocol: r.protocol,
        scope: if r.op == RouteOp::Delete && !r.scope_ok {
            None
        } else {
            Some(r.scope)
        },
        dst: r.dst.addr().unwrap_or(any),
        dst_len: r.dst.plen(),
        oif,
        gateway: r.gateway.as_ref().and_then(|g| g.addr()),
        prefsrc: r.prefsrc.as_ref().and_then(|p| p.addr()),
        priority: r.metric,
        flags: if r.onlink {
            tsunagi_kernel::rtnl::rtnh::ONLINK
        } else {
            0
        },
    };
    let res = match r.op {
        RouteOp::Add => host.route_add(&req, RouteMode::Add),
        RouteOp::Change => host.route_add(&req, RouteMode::Change),
        RouteOp::Replace => host.route_add(&req, RouteMode::Replace),
        RouteOp::Append => host.route_add(&req, RouteMode::Append),
        // NLM_F_CREATE alone: the kernel adds in front of routes with the same key.
        RouteOp::Prepend => host.route_add(&req, RouteMode::Add).or_else(|e| {
            if e.errno == Errno::EEXIST {
                host.route_add(&req, RouteMode::Append)
            } else {
                Err(e)
            }
        }),
        // NLM_F_EXCL alone: fails if it exists, and does not create.
        RouteOp::Test => {
            let exists = host
                .routes(v6)
                .iter()
                .any(|m| m.table == req.table && m.dst == req.dst && m.dst_len == req.dst_len);
            if exists {
                Err(tsunagi_kernel::rtnl::NlError::new(Errno::EEXIST))
            } else {
                Err(tsunagi_kernel::rtnl::NlError::new(Errno::ENOENT))
            }
        }
        RouteOp::Delete => host.route_del(&req),
    };
    res.map_err(nl_err)
}

fn prefix_of(a: &IpAddr) -> InetPrefix {
    InetPrefix::from_addr(*a)
}

/// `filter_nlmsg()`.
fn passes(r: &RouteMsg, f: &RouteFilter, fam: Family, oif: u32, iif: u32) -> bool {
    let v6 = is_v6(r);
    let rfam = if v6 { Family::Inet6 } else { Family::Inet };
    if fam != Family::Unspec && fam != rfam {
        return false;
    }
    if f.cloned != r.cache_flags.is_some() {
        return false;
    }
    if f.tb > 0 && f.tb != r.table {
        return false;
    }
    if let Some(p) = f.protocol {
        if p != r.protocol {
            return false;
        }
    }
    if let Some(s) = f.scope {
        if s != r.scope {
            return false;
        }
    }
    if f.typemask != 0 && f.typemask & (1u32 << (r.rtype & 31)) == 0 {
        return false;
    }
    if let Some(t) = f.tos {
        if t != 0 {
            return false;
        }
    }
    let dst = prefix_of(&r.dst);
    if let Some(rd) = f
        .rdst
        .as_ref()
        .filter(|p| p.family != Family::Unspec || p.len_given)
    {
        if (rd.family != Family::Unspec && rd.family != rfam) || rd.bitlen > i32::from(r.dst_len) {
            return false;
        }
        if !addr_match(&r.dst, rd, rd.bitlen) {
            return false;
        }
    }
    if let Some(md) = f
        .mdst
        .as_ref()
        .filter(|p| p.family != Family::Unspec || p.len_given)
    {
        if (md.family != Family::Unspec && md.family != rfam)
            || (md.bitlen >= 0 && md.bitlen < i32::from(r.dst_len))
        {
            return false;
        }
        if !addr_match(&md.addr_or_any(), &dst, i32::from(r.dst_len)) {
            return false;
        }
    }
    if f.rsrc.is_some() || f.msrc.is_some() {
        // Source-specific routes are not modelled: every route has a zero-length source.
        if let Some(rs) = &f.rsrc {
            if rs.bitlen > 0 {
                return false;
            }
        }
    }
    if let Some(via) = &f.rvia {
        if via.family != Family::Unspec && via.family != rfam {
            return false;
        }
        let gw = r.gateway.unwrap_or(super::host::any_addr(v6));
        if !addr_match(&gw, via, via.bitlen) {
            return false;
        }
    }
    if let Some(ps) = &f.rprefsrc {
        if ps.family != Family::Unspec && ps.family != rfam {
            return false;
        }
        let p = r.prefsrc.unwrap_or(super::host::any_addr(v6));
        if !addr_match(&p, ps, ps.bitlen) {
            return false;
        }
    }
    if iif != 0 && r.iif.unwrap_or(0) != iif {
        return false;
    }
    if oif != 0 && r.oif.unwrap_or(0) != oif {
        return false;
    }
    if let Some(m) = f.mark {
        if m != 0 {
            return false;
        }
    }
    if let Some(m) = f.metric {
        if r.priority.unwrap_or(0) != m {
            return false;
        }
    }
    true
}

fn fmt_of(f: &RouteFilter, opts: &Opts) -> RouteFmt {
    RouteFmt {
        details: opts.details,
        numeric: opts.numeric,
        tb: f.tb,
        typemask: f.typemask,
        hide_proto: f.protocol.is_some(),
        hide_scope: f.scope.is_some(),
        hide_dev: f.od.is_some(),
        hide_iif: f.id.is_some(),
        hide_metric: f.metric.is_some(),
        hide_tos: f.tos.is_some(),
        hide_via: f
            .rvia
            .as_ref()
            .is_some_and(|v| v.bitlen == v.family.bit_len()),
        hide_prefsrc: f
            .rprefsrc
            .as_ref()
            .is_some_and(|v| v.bitlen == v.family.bit_len()),
    }
}

fn json_fmt(f: &RouteFmt) -> super::json::RouteJsonFmt {
    super::json::RouteJsonFmt {
        details: f.details,
        tb: f.tb,
        typemask: f.typemask,
        hide_proto: f.hide_proto,
        hide_scope: f.hide_scope,
        hide_dev: f.hide_dev,
        hide_iif: f.hide_iif,
        hide_metric: f.hide_metric,
        hide_via: f.hide_via,
        hide_prefsrc: f.hide_prefsrc,
    }
}

/// True if the IPv4 table `tb` exists: Linux creates a table with its first route (even the
/// local one: a fresh namespace with `lo` down has none), and a dump of a missing main table
/// is not an error for `ip`.
fn table_exists(tb: u32, routes: &[RouteMsg]) -> bool {
    tb == rt_table::MAIN || routes.iter().any(|r| r.table == tb)
}

/// `ip route show` and `ip route flush`.
pub fn run_list(f: &RouteFilter, host: &mut dyn Host, opts: &Opts) -> Outcome {
    let mut o = Out::new(opts.oneline);
    o.color = opts.color_on;
    o.dark = opts.dark_bg;
    let view = View {
        links: host.links(),
        ..View::default()
    };
    let mut fam = opts.family;
    if fam == Family::Unspec && f.tb != 0 {
        fam = Family::Inet;
    }
    let mut iif = 0;
    let mut oif = 0;
    if let Some(d) = &f.id {
        iif = view.ifindex(d);
        if iif == 0 {
            return nodev(d).into();
        }
    }
    if let Some(d) = &f.od {
        oif = view.ifindex(d);
        if oif == 0 {
            return nodev(d).into();
        }
    }
    let dump = |host: &mut dyn Host| -> Vec<RouteMsg> {
        let mut v = Vec::new();
        if fam != Family::Inet6 {
            v.extend(host.routes(false));
        }
        if fam != Family::Inet {
            v.extend(host.routes(true));
        }
        v
    };
    let routes = dump(host);
    if f.tb != 0 && fam == Family::Inet && !table_exists(f.tb, &routes) {
        let what = if f.flush { "Flush" } else { "Dump" };
        // With -json the opening bracket was printed before the dump failed.
        let out = match (opts.json && !f.flush, opts.pretty) {
            (false, _) => String::new(),
            (true, false) => "[".to_string(),
            (true, true) => "[ ".to_string(),
        };
        return Outcome {
            out,
            err: format!("Error: ipv4: FIB table does not exist.\n{what} terminated\n"),
            code: 2,
        };
    }
    let rf = fmt_of(f, opts);
    if !f.flush && opts.json {
        let jf = json_fmt(&rf);
        let mut w = super::json::JsonWriter::new(opts.pretty);
        for r in routes.iter().filter(|r| passes(r, f, fam, oif, iif)) {
            super::json::route_object(&mut w, r, &view, &jf);
        }
        return Outcome::ok(w.finish());
    }
    if !f.flush {
        for r in routes.iter().filter(|r| passes(r, f, fam, oif, iif)) {
            print_route(&mut o, r, &view, &rf);
        }
        return Outcome::ok(o.take());
    }
    if f.cloned {
        if fam != Family::Inet6 && opts.stats > 0 {
            o.s("*** IPv4 routing cache is flushed.\n");
        }
        if fam == Family::Inet {
            return Outcome::ok(o.take());
        }
    }
    let mut round = 0;
    let mut routes = routes;
    loop {
        let doomed: Vec<RouteMsg> = routes
            .iter()
            .filter(|r| passes(r, f, fam, oif, iif))
            .cloned()
            .collect();
        if doomed.is_empty() {
            if opts.stats > 0 {
                if round == 0 && (!f.cloned || fam == Family::Inet6) {
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
            for r in &doomed {
                print_route(&mut o, r, &view, &rf);
            }
        }
        round += 1;
        for r in &doomed {
            let req = RouteReq {
                table: r.table,
                rtype: r.rtype,
                protocol: r.protocol,
                scope: Some(r.scope),
                dst: r.dst,
                dst_len: r.dst_len,
                oif: r.oif,
                gateway: r.gateway,
                prefsrc: r.prefsrc,
                priority: r.priority,
                flags: 0,
            };
            // Errors (a route already gone with its device) do not stop a flush.
            let _ = host.route_del(&req);
        }
        if opts.stats > 0 {
            o.s(&format!(
                "\n*** Round {round}, deleting {} entries ***\n",
                doomed.len()
            ));
        }
        let again = dump(host);
        if round >= 100 || again == routes {
            return Outcome::ok(o.take());
        }
        routes = again;
    }
}

/// `ip route get`.
pub fn run_get(g: &GetArgs, host: &mut dyn Host, opts: &Opts) -> Outcome {
    let mut o = Out::new(opts.oneline);
    o.color = opts.color_on;
    o.dark = opts.dark_bg;
    let view = View {
        links: host.links(),
        ..View::default()
    };
    let mut req = RouteGetReq {
        tos: g.tos,
        mark: g.mark,
        uid: g.uid,
        notify: g.notify,
        ..RouteGetReq::default()
    };
    if let Some(d) = &g.iif {
        match view.ifindex(d) {
            0 => return nodev(d).into(),
            i => req.iif = Some(i),
        }
    }
    if let Some(d) = &g.oif {
        match view.ifindex(d) {
            0 => return nodev(d).into(),
            i => req.oif = Some(i),
        }
    }
    let fam = if g.family == Family::Unspec {
        Family::Inet
    } else {
        g.family
    };
    let v6 = fam == Family::Inet6;
    req.dst = Some(
        g.dst
            .as_ref()
            .and_then(|d| d.addr())
            .unwrap_or(super::host::any_addr(v6)),
    );
    req.src = g.from.as_ref().and_then(|p| p.addr());
    if g.fibmatch {
        return fib_match(&req, host, &view, opts, v6);
    }
    let mut first = String::new();
    if g.connected && g.from.is_none() {
        // iproute_get prints the answer, then sends the very same request again.
        match host.route_get(&req) {
            Ok(r) => {
                let f = RouteFmt {
                    details: opts.details,
                    numeric: opts.numeric,
                    ..RouteFmt::default()
                };
                if opts.json {
                    let mut w = super::json::JsonWriter::new(opts.pretty);
                    super::json::route_object(&mut w, &r, &view, &json_fmt(&f));
                    first = w.finish();
                } else {
                    print_route(&mut o, &r, &view, &f);
                    first = o.take();
                }
                if r.prefsrc.is_none() && r.src.is_none() {
                    return Outcome {
                        out: first,
                        err: "Failed to connect the route\n".to_string(),
                        code: 1,
                    };
                }
            }
            Err(e) => return nl_err(e).into(),
        }
    }
    match host.route_get(&req) {
        Ok(r) => {
            let f = RouteFmt {
                details: opts.details,
                numeric: opts.numeric,
                ..RouteFmt::default()
            };
            if opts.json {
                let mut w = super::json::JsonWriter::new(opts.pretty);
                super::json::route_object(&mut w, &r, &view, &json_fmt(&f));
                return Outcome::ok(first + &w.finish());
            }
            print_route(&mut o, &r, &view, &f);
            Outcome::ok(first + &o.take())
        }
        Err(e) => nl_err(e).into(),
    }
}

/// `ip route get fibmatch`: the table entry the lookup used, found here by longest match over
/// the local then the main table.
fn fib_match(
    req: &RouteGetReq,
    host: &mut dyn Host,
    view: &View,
    opts: &Opts,
    v6: bool,
) -> Outcome {
    let mut o = Out::new(opts.oneline);
    if let Err(e) = host.route_get(req) {
        return nl_err(e).into();
    }
    let Some(dst) = req.dst else {
        return Outcome::ok(String::new());
    };
    let routes = host.routes(v6);
    let best = [rt_table::LOCAL, rt_table::MAIN].iter().find_map(|tb| {
        routes
            .iter()
            .filter(|r| {
                r.table == *tb && addr_match(&dst, &prefix_of(&r.dst), i32::from(r.dst_len))
            })
            .max_by_key(|r| (r.dst_len, std::cmp::Reverse(r.priority.unwrap_or(0))))
    });
    if let Some(r) = best {
        // Without RTM_F_LOOKUP_TABLE the kernel reports the entry as the main table's.
        let mut r = r.clone();
        r.table = rt_table::MAIN;
        let r = &r;
        let f = RouteFmt {
            details: opts.details,
            numeric: opts.numeric,
            tb: 0,
            ..RouteFmt::default()
        };
        print_route(&mut o, r, view, &f);
    }
    Outcome::ok(o.take())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ip::link::tests::{lo, veth};

    fn route(dst: &str, len: u8) -> RouteMsg {
        RouteMsg {
            family_v6: false,
            table: rt_table::MAIN,
            rtype: rtn::UNICAST,
            protocol: rtprot::BOOT,
            scope: scope::UNIVERSE,
            dst: dst.parse().unwrap(),
            dst_len: len,
            oif: Some(3),
            gateway: None,
            prefsrc: None,
            priority: None,
            flags: 0,
            uid: None,
            cache_flags: None,
            src: None,
            iif: None,
        }
    }

    fn view() -> View {
        View {
            links: vec![lo(), veth(2, "v1", 3, true), veth(3, "v0", 2, true)],
            ..View::default()
        }
    }

    fn show(r: &RouteMsg, f: &RouteFmt) -> String {
        let mut o = Out::new(false);
        print_route(&mut o, r, &view(), f);
        o.take()
    }

    #[test]
    fn prints_routes_with_trailing_space() {
        let f = RouteFmt {
            tb: rt_table::MAIN,
            ..RouteFmt::default()
        };
        let mut r = route("192.0.2.0", 24);
        r.protocol = rtprot::KERNEL;
        r.scope = scope::LINK;
        r.prefsrc = Some("192.0.2.1".parse().unwrap());
        assert_eq!(
            show(&r, &f),
            "192.0.2.0/24 dev v0 proto kernel scope link src 192.0.2.1 \n"
        );
        r.flags = tsunagi_kernel::rtnl::rtnh::LINKDOWN;
        assert_eq!(
            show(&r, &f),
            "192.0.2.0/24 dev v0 proto kernel scope link src 192.0.2.1 linkdown \n"
        );
        let mut d = route("0.0.0.0", 0);
        d.gateway = Some("192.0.2.254".parse().unwrap());
        assert_eq!(show(&d, &f), "default via 192.0.2.254 dev v0 \n");
        let mut h = route("203.0.113.5", 32);
        h.gateway = Some("192.0.2.2".parse().unwrap());
        h.protocol = rtprot::STATIC;
        h.priority = Some(10);
        assert_eq!(
            show(&h, &f),
            "203.0.113.5 via 192.0.2.2 dev v0 proto static metric 10 \n"
        );
        let mut b = route("10.10.0.0", 16);
        b.rtype = rtn::BLACKHOLE;
        b.oif = None;
        assert_eq!(show(&b, &f), "blackhole 10.10.0.0/16 \n");
        let d2 = RouteFmt {
            details: 1,
            ..f.clone()
        };
        assert_eq!(
            show(&d, &d2),
            "unicast default via 192.0.2.254 dev v0 proto boot scope global \n"
        );
        let mut l = route("127.0.0.1", 32);
        l.table = rt_table::LOCAL;
        l.rtype = rtn::LOCAL;
        l.protocol = rtprot::KERNEL;
        l.scope = scope::HOST;
        l.oif = Some(1);
        l.prefsrc = Some("127.0.0.1".parse().unwrap());
        let all = RouteFmt::default();
        assert_eq!(
            show(&l, &all),
            "local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 \n"
        );
    }

    #[test]
    fn prints_lookup_answers() {
        let mut r = route("203.0.113.9", 32);
        r.gateway = Some("192.0.2.2".parse().unwrap());
        r.prefsrc = Some("192.0.2.1".parse().unwrap());
        r.uid = Some(0);
        r.cache_flags = Some(0);
        assert_eq!(
            show(&r, &RouteFmt::default()),
            "203.0.113.9 via 192.0.2.2 dev v0 src 192.0.2.1 uid 0 \n    cache \n"
        );
        let mut l = route("192.0.2.1", 32);
        l.rtype = rtn::LOCAL;
        l.oif = Some(1);
        l.prefsrc = Some("192.0.2.1".parse().unwrap());
        l.uid = Some(0);
        l.cache_flags = Some(tsunagi_kernel::rtnl::rtcf::LOCAL);
        assert_eq!(
            show(&l, &RouteFmt::default()),
            "local 192.0.2.1 dev lo src 192.0.2.1 uid 0 \n    cache <local> \n"
        );
        l.rtype = rtn::BROADCAST;
        l.cache_flags =
            Some(tsunagi_kernel::rtnl::rtcf::LOCAL | tsunagi_kernel::rtnl::rtcf::BROADCAST);
        assert!(show(&l, &RouteFmt::default()).ends_with("uid 0 \n    cache <local,brd> \n"));
        let mut m = route("224.0.0.1", 32);
        m.rtype = rtn::MULTICAST;
        m.uid = Some(0);
        m.cache_flags =
            Some(tsunagi_kernel::rtnl::rtcf::LOCAL | tsunagi_kernel::rtnl::rtcf::MULTICAST);
        assert_eq!(
            show(&m, &RouteFmt::default()),
            "multicast 224.0.0.1 dev v0 rt_offload_failed uid 0 \n    cache <local,mc> \n"
        );
        let mut fr = route("198.51.100.9", 32);
        fr.src = Some("192.0.2.1".parse().unwrap());
        fr.oif = Some(2);
        fr.uid = Some(0);
        fr.cache_flags = Some(0);
        assert_eq!(
            show(&fr, &RouteFmt::default()),
            "198.51.100.9 from 192.0.2.1 dev v1 uid 0 \n    cache \n"
        );
    }

    fn p(args: &[&str]) -> IpResult<RouteCmd> {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse(&v, &Opts::default(), &mut String::new())
    }

    #[test]
    fn parses_route_requests() {
        let RouteCmd::Modify(r) = p(&["add", "default", "via", "192.0.2.254"]).unwrap() else {
            panic!()
        };
        assert_eq!(
            (r.dst.bitlen, r.family, r.scope),
            (0, Family::Inet, scope::UNIVERSE)
        );
        assert_eq!(r.protocol, rtprot::BOOT);
        let RouteCmd::Modify(r) = p(&["add", "10.0.0.0/8", "dev", "v0"]).unwrap() else {
            panic!()
        };
        assert_eq!(r.scope, scope::LINK);
        let RouteCmd::Modify(r) = p(&["add", "local", "10.24.0.1", "dev", "v0"]).unwrap() else {
            panic!()
        };
        assert_eq!(
            (r.rtype, r.table, r.scope),
            (rtn::LOCAL, rt_table::LOCAL, scope::HOST)
        );
        let RouteCmd::Modify(r) = p(&["del", "10.0.0.0/8"]).unwrap() else {
            panic!()
        };
        assert_eq!((r.rtype, r.protocol, r.scope), (0, 0, scope::NOWHERE));
        assert_eq!(p(&["add"]).unwrap_err().stderr, USAGE);
        assert_eq!(
            p(&["add", "default", "via", "192.0.2.254", "metric", "abc"])
                .unwrap_err()
                .stderr,
            "Error: argument \"abc\" is wrong: \"metric\" value is invalid\n\n"
        );
        assert_eq!(
            p(&["add", "198.51.100.0/24", "via", "foo"])
                .unwrap_err()
                .stderr,
            "Error: inet address is expected rather than \"foo\".\n"
        );
        assert_eq!(
            p(&["get"]).unwrap_err().stderr,
            "need at least a destination address\n"
        );
        let mut w = String::new();
        let v: Vec<String> = ["get", "8.8.8.8/24"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(parse(&v, &Opts::default(), &mut w).is_ok());
        assert_eq!(
            w,
            "Warning: /24 as prefix is invalid, only /32 (or none) is supported.\n"
        );
        assert_eq!(
            p(&["flush"]).unwrap_err().stderr,
            "\"ip route flush\" requires arguments.\n"
        );
    }

    #[test]
    fn list_filters() {
        let opts = Opts::default();
        let mut gw = route("203.0.113.0", 24);
        gw.gateway = Some("192.0.2.2".parse().unwrap());
        let def = route("0.0.0.0", 0);
        let v: Vec<String> = ["203.0.113.0/24"].iter().map(|s| s.to_string()).collect();
        let f = parse_list(&v, &opts, false).unwrap();
        assert!(passes(&gw, &f, Family::Inet, 0, 0));
        assert!(!passes(&def, &f, Family::Inet, 0, 0));
        let v: Vec<String> = ["default"].iter().map(|s| s.to_string()).collect();
        let f = parse_list(&v, &opts, false).unwrap();
        assert!(passes(&def, &f, Family::Inet, 0, 0));
        assert!(!passes(&gw, &f, Family::Inet, 0, 0));
        let v: Vec<String> = ["match", "203.0.113.5"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let f = parse_list(&v, &opts, false).unwrap();
        assert!(passes(&gw, &f, Family::Inet, 0, 0));
        assert!(passes(&def, &f, Family::Inet, 0, 0));
        let v: Vec<String> = ["via", "192.0.2.2"].iter().map(|s| s.to_string()).collect();
        let f = parse_list(&v, &opts, false).unwrap();
        assert!(passes(&gw, &f, Family::Inet, 0, 0));
        assert!(!passes(&def, &f, Family::Inet, 0, 0));
        let rf = fmt_of(&f, &opts);
        assert_eq!(show(&gw, &rf), "203.0.113.0/24 dev v0 \n");
    }
}
