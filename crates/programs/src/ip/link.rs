//! `ip link`: network devices (ip-link(8), iproute2 ip/iplink.c, ip/link_veth.c, and
//! `print_linkinfo` of ip/ipaddress.c).
//!
//! Parsing follows `iplink_parse` argument by argument (its keyword order decides what an
//! abbreviation means: `ip link set d up` is `dynamic up`), then `iplink_modify` turns the
//! request into an rtnetlink one. `ip link show` shares its listing code with `ip address`
//! (see `addr::list`), which calls [`print_link`] here.

use tsunagi_kernel::rtnl::{iff, LinkKind, LinkMsg, LinkStats};

use super::host::{Host, LinkSet, NewLink};
use super::print::{Color, Out, View};
use super::utils::{
    check_altifname, check_ifname, duparg, duparg2, get_integer, get_unsigned, group_a2n,
    group_n2a, incomplete, invarg, ll_addr_a2n, ll_addr_n2a, matches, missarg, nodev, Args, Family,
    IpError, IpResult,
};
use super::{addr, Opts};

/// An `ip link` command.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkCmd {
    /// `add`: create (`NLM_F_CREATE | NLM_F_EXCL`).
    Add(LinkReq),
    /// `set` / `change`.
    Set(LinkReq),
    /// `replace`: create or update.
    Replace(LinkReq),
    Delete(LinkReq),
    Show(addr::ListArgs),
    /// `afstats [dev DEV]`.
    AfStats(Option<String>),
    /// `property add|del dev DEV altname NAME`.
    Property(String),
}

/// `dev` or the PID / name given to `netns`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MasterArg {
    Dev(String),
    None,
}

/// What `iplink_parse` collected.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LinkReq {
    pub up: Option<bool>,
    /// Other `IFF_*` flags: `(change mask, values)`.
    pub flags: (u32, u32),
    pub name: Option<String>,
    pub dev: Option<String>,
    pub index: Option<i32>,
    pub link: Option<String>,
    pub address: Option<Vec<u8>>,
    pub broadcast: Option<Vec<u8>>,
    pub txqlen: Option<i32>,
    pub mtu: Option<i32>,
    pub netns: Option<String>,
    pub carrier: Option<bool>,
    pub master: Option<MasterArg>,
    pub alias: Option<String>,
    pub group: Option<i32>,
    pub kind: Option<String>,
    /// Arguments after `type KIND` (for veth: `peer ...`).
    pub kind_args: Vec<String>,
    /// For a veth: what followed `peer`.
    pub peer: Option<Box<LinkReq>>,
    /// For a bridge: its options.
    pub bridge: Option<tsunagi_kernel::rtnl::BridgeOpts>,
    /// For a bridge port (`type bridge_slave`): its options.
    pub brport: Option<tsunagi_kernel::rtnl::BrPortOpts>,
}

/// `iplink_usage()` (for a kernel with `RTM_NEWLINK`).
pub const USAGE: &str = "Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME\n\
\t\t    [ txqueuelen PACKETS ]\n\
\t\t    [ address LLADDR ]\n\
\t\t    [ broadcast LLADDR ]\n\
\t\t    [ mtu MTU ] [index IDX ]\n\
\t\t    [ numtxqueues QUEUE_COUNT ]\n\
\t\t    [ numrxqueues QUEUE_COUNT ]\n\
\t\t    [ netns { PID | NAME } ]\n\
\t\t    type TYPE [ ARGS ]\n\
\n\
\tip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]\n\
\n\
\tip link set { DEVICE | dev DEVICE | group DEVGROUP }\n\
\t\t\t[ { up | down } ]\n\
\t\t\t[ type TYPE ARGS ]\n\
\t\t[ arp { on | off } ]\n\
\t\t[ dynamic { on | off } ]\n\
\t\t[ multicast { on | off } ]\n\
\t\t[ allmulticast { on | off } ]\n\
\t\t[ promisc { on | off } ]\n\
\t\t[ trailers { on | off } ]\n\
\t\t[ carrier { on | off } ]\n\
\t\t[ txqueuelen PACKETS ]\n\
\t\t[ name NEWNAME ]\n\
\t\t[ address LLADDR ]\n\
\t\t[ broadcast LLADDR ]\n\
\t\t[ mtu MTU ]\n\
\t\t[ netns { PID | NAME } ]\n\
\t\t[ link-netns NAME | link-netnsid ID ]\n\
\t\t[ alias NAME ]\n\
\t\t[ vf NUM [ mac LLADDR ]\n\
\t\t\t [ vlan VLANID [ qos VLAN-QOS ] [ proto VLAN-PROTO ] ]\n\
\t\t\t [ rate TXRATE ]\n\
\t\t\t [ max_tx_rate TXRATE ]\n\
\t\t\t [ min_tx_rate TXRATE ]\n\
\t\t\t [ spoofchk { on | off} ]\n\
\t\t\t [ query_rss { on | off} ]\n\
\t\t\t [ state { auto | enable | disable} ]\n\
\t\t\t [ trust { on | off} ]\n\
\t\t\t [ node_guid EUI64 ]\n\
\t\t\t [ port_guid EUI64 ] ]\n\
\t\t[ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off |\n\
\t\t\t  object FILE [ { section | program } NAME ] [ verbose ] |\n\
\t\t\t  pinned FILE } ]\n\
\t\t[ master DEVICE ][ vrf NAME ]\n\
\t\t[ nomaster ]\n\
\t\t[ addrgenmode { eui64 | none | stable_secret | random } ]\n\
\t\t[ protodown { on | off } ]\n\
\t\t[ protodown_reason PREASON { on | off } ]\n\
\t\t[ gso_max_size BYTES ] | [ gso_max_segs PACKETS ]\n\
\t\t[ gro_max_size BYTES ]\n\
\n\
\tip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]\n\
\t\t[nomaster]\n\
\n\
\tip link xstats type TYPE [ ARGS ]\n\
\n\
\tip link afstats [ dev DEVICE ]\n\
\tip link property add dev DEVICE [ altname NAME .. ]\n\
\tip link property del dev DEVICE [ altname NAME .. ]\n\
\n\
\tip link help [ TYPE ]\n\
\n\
TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |\n\
\x20         dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |\n\
\x20         ip6erspan | ip6gre | ip6gretap | ip6tnl |\n\
\x20         ipip | ipoib | ipvlan | ipvtap |\n\
\x20         macsec | macvlan | macvtap |\n\
\x20         netdevsim | nlmon | rmnet | sit | team | team_slave |\n\
\x20         vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |\n\
\x20         xfrm | virt_wifi }\n";

/// The veth module's usage, which iproute2 prints on standard output.
pub const VETH_USAGE: &str =
    "Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'\n";

/// The kinds iproute2 6.1 has a `link_util` for (with `ip link add ... type KIND ARGS`, the
/// arguments go to it; for any other kind, arguments are "garbage").
const KNOWN_KINDS: &[&str] = &[
    "amt",
    "bareudp",
    "batadv",
    "bond",
    "bond_slave",
    "bridge",
    "bridge_slave",
    "can",
    "dsa",
    "dummy",
    "erspan",
    "geneve",
    "gre",
    "gretap",
    "gtp",
    "hsr",
    "ifb",
    "ip6erspan",
    "ip6gre",
    "ip6gretap",
    "ip6tnl",
    "ipip",
    "ipoib",
    "ipvlan",
    "ipvtap",
    "macsec",
    "macvlan",
    "macvtap",
    "netdevsim",
    "nlmon",
    "rmnet",
    "sit",
    "team",
    "team_slave",
    "vcan",
    "veth",
    "virt_wifi",
    "vlan",
    "vrf",
    "vti",
    "vti6",
    "vxcan",
    "vxlan",
    "wwan",
    "xfrm",
];

pub fn usage() -> IpError {
    IpError::raw(USAGE, 255)
}

fn on_off(msg: &str, val: &str) -> IpError {
    IpError::new(
        format!("Error: argument of \"{msg}\" must be \"on\" or \"off\", not \"{val}\""),
        1,
    )
}

/// `parse_on_off()`: `matches` against "off" and "on"; failure returns `-EINVAL` (status 22).
fn parse_on_off(msg: &str, val: &str) -> IpResult<bool> {
    if matches(val, "off") {
        return Ok(false);
    }
    if matches(val, "on") {
        return Ok(true);
    }
    Err(IpError::new(
        format!("Error: argument of \"{msg}\" must be one of \"off\", \"on\", not \"{val}\""),
        22,
    ))
}

fn flag_on_off(
    a: &mut Args<'_>,
    req: &mut LinkReq,
    flag: u32,
    name: &str,
    inverted: bool,
) -> IpResult<()> {
    let v = a.next_arg()?;
    req.flags.0 |= flag;
    let on = match v {
        "on" => !inverted,
        "off" => inverted,
        _ => return Err(on_off(name, v)),
    };
    if on {
        req.flags.1 |= flag;
    } else {
        req.flags.1 &= !flag;
    }
    Ok(())
}

/// `iplink_parse()`: returns the request and how many arguments it consumed (it stops after
/// `type KIND`). `create` is `NLM_F_CREATE`.
pub fn iplink_parse(argv: &[String], create: bool) -> IpResult<(LinkReq, usize)> {
    let mut req = LinkReq::default();
    let mut a = Args::new(argv);
    // iproute2 compares the `dev` and `name` pointers: which argument set them.
    let mut name_pos: Option<usize> = None;
    let mut dev_pos: Option<usize> = None;
    let mut move_netns = false;
    while let Some(arg) = a.cur() {
        if arg == "up" {
            req.up = Some(true);
        } else if arg == "down" {
            req.up = Some(false);
        } else if arg == "name" {
            let v = a.next_arg()?;
            if req.name.is_some() {
                return Err(duparg("name", v));
            }
            if !check_ifname(v) {
                return Err(invarg("\"name\" not a valid ifname", v));
            }
            req.name = Some(v.to_string());
            name_pos = Some(argv_pos(&a));
            if dev_pos.is_none() {
                dev_pos = name_pos;
            }
        } else if arg == "index" {
            let v = a.next_arg()?;
            if req.index.is_some() {
                return Err(duparg("index", v));
            }
            let i = super::utils::atoi(v);
            if i <= 0 {
                return Err(invarg("Invalid \"index\" value", v));
            }
            req.index = Some(i);
        } else if matches(arg, "link") {
            req.link = Some(a.next_arg()?.to_string());
        } else if matches(arg, "address") {
            let v = a.next_arg()?;
            let ll = ll_addr_a2n(v, 32).map_err(|m| IpError::new(m, 1))?;
            req.address = Some(ll);
        } else if matches(arg, "broadcast") || arg == "brd" {
            let v = a.next_arg()?;
            let ll = ll_addr_a2n(v, 32).map_err(|m| IpError::new(m, 1))?;
            req.broadcast = Some(ll);
        } else if matches(arg, "txqueuelen") || arg == "qlen" || matches(arg, "txqlen") {
            let v = a.next_arg()?;
            if req.txqlen.is_some() {
                return Err(duparg("txqueuelen", v));
            }
            let q = get_integer(v, 0).ok_or_else(|| invarg("Invalid \"txqueuelen\" value\n", v))?;
            req.txqlen = Some(q);
        } else if arg == "mtu" {
            let v = a.next_arg()?;
            if req.mtu.is_some() {
                return Err(duparg("mtu", v));
            }
            let m = get_integer(v, 0).ok_or_else(|| invarg("Invalid \"mtu\" value\n", v))?;
            req.mtu = Some(m);
        } else if matches!(arg, "xdp" | "xdpgeneric" | "xdpdrv" | "xdpoffload") {
            a.next_arg()?;
            return Err(IpError::new("XDP programs are not supported", 255));
        } else if arg == "netns" {
            let v = a.next_arg()?;
            if req.netns.is_some() {
                return Err(duparg("netns", v));
            }
            req.netns = Some(v.to_string());
            move_netns = true;
        } else if arg == "multicast" {
            flag_on_off(&mut a, &mut req, iff::MULTICAST, "multicast", false)?;
        } else if arg == "allmulticast" {
            flag_on_off(&mut a, &mut req, iff::ALLMULTI, "allmulticast", false)?;
        } else if arg == "promisc" {
            flag_on_off(&mut a, &mut req, iff::PROMISC, "promisc", false)?;
        } else if arg == "trailers" {
            flag_on_off(&mut a, &mut req, iff::NOTRAILERS, "trailers", true)?;
        } else if arg == "arp" {
            flag_on_off(&mut a, &mut req, iff::NOARP, "arp", true)?;
        } else if arg == "carrier" {
            let v = a.next_arg()?;
            req.carrier = Some(parse_on_off("carrier", v)?);
        } else if arg == "vf" {
            let v = a.next_arg()?;
            get_integer(v, 0).ok_or_else(|| invarg("Invalid \"vf\" value\n", v))?;
            if dev_pos.is_none() {
                return Err(missarg("dev"));
            }
            return Err(IpError::new(
                "RTNETLINK answers: Operation not supported",
                2,
            ));
        } else if matches(arg, "master") {
            let v = a.next_arg()?;
            req.master = Some(MasterArg::Dev(v.to_string()));
        } else if arg == "vrf" {
            let v = a.next_arg()?;
            return Err(invarg("Not a valid VRF name\n", v));
        } else if matches(arg, "nomaster") {
            req.master = Some(MasterArg::None);
        } else if matches(arg, "dynamic") {
            flag_on_off(&mut a, &mut req, iff::DYNAMIC, "dynamic", false)?;
        } else if matches(arg, "type") {
            let v = a.next_arg()?;
            req.kind = Some(v.to_string());
            a.advance();
            break;
        } else if matches(arg, "alias") {
            let v = a.next_arg()?;
            if v.len() >= 256 {
                return Err(invarg("alias too long\n", v));
            }
            req.alias = Some(v.to_string());
        } else if arg == "group" {
            let v = a.next_arg()?;
            if req.group.is_some() {
                return Err(duparg("group", v));
            }
            req.group = Some(group_a2n(v).ok_or_else(|| invarg("Invalid \"group\" value\n", v))?);
        } else if arg == "mode" {
            let v = a.next_arg()?;
            if !v.eq_ignore_ascii_case("default") && !v.eq_ignore_ascii_case("dormant") {
                return Err(invarg("Invalid link mode\n", v));
            }
        } else if arg == "state" {
            let v = a.next_arg()?;
            let states = [
                "UNKNOWN",
                "NOTPRESENT",
                "DOWN",
                "LOWERLAYERDOWN",
                "TESTING",
                "DORMANT",
                "UP",
            ];
            if !states.iter().any(|s| s.eq_ignore_ascii_case(v)) {
                return Err(invarg("Invalid operstate\n", v));
            }
        } else if matches(arg, "numtxqueues") || matches(arg, "numrxqueues") {
            let which = if matches(arg, "numtxqueues") {
                "numtxqueues"
            } else {
                "numrxqueues"
            };
            let v = a.next_arg()?;
            get_integer(v, 0).ok_or_else(|| invarg(&format!("Invalid \"{which}\" value\n"), v))?;
        } else if matches(arg, "addrgenmode") {
            let v = a.next_arg()?;
            if !["eui64", "none", "stable_secret", "random"]
                .iter()
                .any(|m| m.eq_ignore_ascii_case(v))
            {
                return Err(invarg("Invalid address generation mode\n", v));
            }
        } else if matches(arg, "link-netns") {
            a.next_arg()?;
        } else if matches(arg, "link-netnsid") {
            let v = a.next_arg()?;
            get_integer(v, 0).ok_or_else(|| invarg("Invalid \"link-netnsid\" value\n", v))?;
        } else if arg == "protodown" {
            let v = a.next_arg()?;
            parse_on_off("protodown", v)?;
        } else if arg == "protodown_reason" {
            let v = a.next_arg()?;
            return Err(invarg("invalid protodown reason\n", v));
        } else if arg == "gso_max_size" || arg == "gro_max_size" {
            let v = a.next_arg()?;
            get_unsigned(v, 0).ok_or_else(|| invarg(&format!("Invalid \"{arg}\" value\n"), v))?;
        } else if arg == "gso_max_segs" {
            let v = a.next_arg()?;
            match get_unsigned(v, 0) {
                Some(n) if n <= 65535 => {}
                _ => return Err(invarg("Invalid \"gso_max_segs\" value\n", v)),
            }
        } else if arg == "parentdev" {
            a.next_arg()?;
        } else {
            if matches(arg, "help") {
                return Err(usage());
            }
            let v = if arg == "dev" { a.next_arg()? } else { arg };
            if dev_pos != name_pos {
                return Err(duparg2("dev", v));
            }
            if !check_altifname(v) {
                return Err(invarg("\"dev\" not a valid ifname", v));
            }
            req.dev = Some(v.to_string());
            dev_pos = Some(argv_pos(&a));
        }
        a.advance();
    }
    let consumed = argv.len() - a.left();
    req.kind_args = a.rest().to_vec();

    // "ip link add dev X" and "ip link add name X" are the same.
    match (&req.name, &req.dev) {
        (None, Some(d)) => req.name = Some(d.clone()),
        (Some(n), None) => req.dev = Some(n.clone()),
        _ => {}
    }
    let same = req.name == req.dev;
    if req.index.is_some() && !create && !move_netns {
        return Err(IpError::new(
            "index can be used only when creating devices or when moving device to another netns.",
            255,
        ));
    }
    if req.group.is_some() && req.dev.is_none() {
        if !req.kind_args.is_empty() {
            return Err(IpError::new(
                format!(
                    "Garbage instead of arguments \"{} ...\". Try \"ip link help\".",
                    req.kind_args[0]
                ),
                255,
            ));
        }
        if create {
            return Err(IpError::new(
                "group cannot be used when creating devices.",
                255,
            ));
        }
        req.kind = None;
        return Ok((req, consumed));
    }
    if !create {
        if req.dev.is_none() {
            return Err(IpError::new(
                "Not enough information: \"dev\" argument is required.",
                255,
            ));
        }
        if same {
            req.name = None;
        }
    } else if !same {
        return Err(IpError::new(
            "both \"name\" and \"dev\" cannot be used when creating devices.",
            255,
        ));
    }
    Ok((req, consumed))
}

/// Where the cursor is, for telling which argument set `dev` and `name`.
fn argv_pos(a: &Args<'_>) -> usize {
    usize::MAX - a.left()
}

/// `iplink_modify()` up to the request: the type-specific arguments (`peer` for a veth).
fn parse_modify(argv: &[String], create: bool) -> IpResult<LinkReq> {
    let (mut req, _) = iplink_parse(argv, create)?;
    if let Some(kind) = req.kind.clone() {
        let args = std::mem::take(&mut req.kind_args);
        let known = KNOWN_KINDS.contains(&kind.as_str());
        if known && !args.is_empty() {
            if kind == "veth" {
                if args[0] != "peer" {
                    return Err(IpError {
                        stdout: VETH_USAGE.to_string(),
                        stderr: String::new(),
                        code: 1,
                    });
                }
                let (peer, consumed) = iplink_parse(&args[1..], create)?;
                if peer.kind.is_some() {
                    let dup = args.get(consumed).map(String::as_str).unwrap_or("");
                    return Err(duparg("type", dup));
                }
                req.peer = Some(Box::new(peer));
            } else if kind == "bridge" {
                req.bridge = Some(super::link_bridge::parse_opts(&args)?);
            } else if kind == "bridge_slave" {
                req.brport = Some(super::link_bridge::parse_slave_opts(&args)?);
            } else {
                // TODO: the options of other kinds (vlan, ...) are not parsed yet.
                req.kind_args = args;
            }
        } else if !args.is_empty() {
            if matches(&args[0], "help") {
                return Err(usage());
            }
            return Err(IpError::new(
                format!(
                    "Garbage instead of arguments \"{} ...\". Try \"ip link help\".",
                    args[0]
                ),
                1,
            ));
        }
    } else if create {
        return Err(IpError::new(
            "Not enough information: \"type\" argument is required",
            1,
        ));
    }
    Ok(req)
}

/// `do_iplink()`.
pub fn parse(argv: &[String], opts: &Opts) -> IpResult<LinkCmd> {
    let Some(first) = argv.first() else {
        return Ok(LinkCmd::Show(addr::parse_list(&[], opts, true, false)?));
    };
    let rest = &argv[1..];
    let first = first.as_str();
    if matches(first, "add") {
        return Ok(LinkCmd::Add(parse_modify(rest, true)?));
    }
    if matches(first, "set") || matches(first, "change") {
        return Ok(LinkCmd::Set(parse_modify(rest, false)?));
    }
    if matches(first, "replace") {
        return Ok(LinkCmd::Replace(parse_modify(rest, true)?));
    }
    if matches(first, "delete") {
        return Ok(LinkCmd::Delete(parse_modify(rest, false)?));
    }
    if matches(first, "show") || matches(first, "lst") || matches(first, "list") {
        return Ok(LinkCmd::Show(addr::parse_list(rest, opts, true, false)?));
    }
    if matches(first, "xstats") {
        return parse_xstats(rest);
    }
    if matches(first, "afstats") {
        return parse_afstats(rest);
    }
    if matches(first, "property") {
        return parse_property(rest);
    }
    if matches(first, "help") {
        if let Some(kind) = rest.first() {
            if kind == "veth" {
                return Err(IpError {
                    stdout: VETH_USAGE.to_string(),
                    stderr: String::new(),
                    code: 0,
                });
            }
        }
        return Err(usage());
    }
    Err(IpError::new(
        format!("Command \"{first}\" is unknown, try \"ip link help\"."),
        255,
    ))
}

/// `iplink_ifla_xstats()`: no kind modelled here has extended statistics.
fn parse_xstats(argv: &[String]) -> IpResult<LinkCmd> {
    let Some(first) = argv.first() else {
        return Err(IpError::new("xstats: missing argument", 1));
    };
    if matches(first, "type") {
        let Some(kind) = argv.get(1) else {
            return Err(incomplete());
        };
        if !KNOWN_KINDS.contains(&kind.as_str()) {
            return Err(invarg("invalid type", kind));
        }
        return Err(IpError::new(
            format!("xstats: link type {kind} doesn't support xstats"),
            1,
        ));
    }
    if matches(first, "help") {
        return Err(IpError {
            stdout: "Usage: ... xstats type TYPE [ ARGS ]\n".to_string(),
            stderr: String::new(),
            code: 0,
        });
    }
    Err(invarg("unknown argument", first))
}

/// `iplink_afstats()`: per-family statistics exist only for MPLS, so nothing is printed; its
/// failures do not change the exit status.
fn parse_afstats(argv: &[String]) -> IpResult<LinkCmd> {
    let mut a = Args::new(argv);
    let mut dev: Option<String> = None;
    while let Some(arg) = a.cur() {
        if arg == "dev" {
            let v = a.next_arg()?;
            if dev.is_some() {
                return Err(duparg2("dev", v));
            }
            dev = Some(v.to_string());
        } else if matches(arg, "help") {
            return Err(usage());
        } else {
            return Err(IpError::new(
                format!("Command \"{arg}\" is unknown, try \"ip link help\"."),
                255,
            ));
        }
        a.advance();
    }
    Ok(LinkCmd::AfStats(dev))
}

/// `iplink_prop()`: alternative names, which the kernel model does not keep.
fn parse_property(argv: &[String]) -> IpResult<LinkCmd> {
    let Some(op) = argv.first() else {
        return Err(usage());
    };
    if !matches(op, "add") && !matches(op, "del") {
        if matches(op, "help") {
            return Err(usage());
        }
        return Err(IpError::new("Operator required", 255));
    }
    let mut a = Args::new(&argv[1..]);
    let mut dev: Option<String> = None;
    while let Some(arg) = a.cur() {
        if matches(arg, "altname") {
            let v = a.next_arg()?;
            if !check_altifname(v) {
                return Err(invarg("not a valid altname", v));
            }
        } else if matches(arg, "help") {
            return Err(usage());
        } else {
            let v = if arg == "dev" { a.next_arg()? } else { arg };
            if dev.is_some() {
                return Err(duparg2("dev", v));
            }
            if !check_altifname(v) {
                return Err(invarg("\"dev\" not a valid ifname", v));
            }
            dev = Some(v.to_string());
        }
        a.advance();
    }
    match dev {
        None => Err(IpError::new(
            "Not enough of information: \"dev\" argument is required.",
            255,
        )),
        Some(d) => Ok(LinkCmd::Property(d)),
    }
}

/// What running a command produced.
pub struct Outcome {
    pub out: String,
    pub err: String,
    pub code: i32,
}

impl Outcome {
    pub fn ok(out: String) -> Self {
        Outcome {
            out,
            err: String::new(),
            code: 0,
        }
    }
    pub fn err(e: IpError) -> Self {
        Outcome {
            out: e.stdout,
            err: e.stderr,
            code: e.code,
        }
    }
}

impl From<IpError> for Outcome {
    fn from(e: IpError) -> Self {
        Outcome::err(e)
    }
}

/// Resolves `netns NAME|PID` as `netns_get_fd` then `get_integer` do.
fn resolve_netns(host: &dyn Host, v: &str) -> IpResult<Option<tsunagi_kernel::NsId>> {
    if !v.contains('/') {
        if let Some(ns) = host.netns_by_name(v) {
            return Ok(Some(ns));
        }
    }
    match get_integer(v, 0) {
        // A PID: `None` means no such process (the kernel answers ESRCH).
        Some(pid) => Ok(u32::try_from(pid).ok().and_then(|p| host.pid_netns(p))),
        None => Err(invarg("Invalid \"netns\" value\n", v)),
    }
}

/// Turns the parsed request into the settings half of a request, resolving names.
fn link_set_of(req: &LinkReq, host: &mut dyn Host, view: &View) -> IpResult<(LinkSet, bool)> {
    let mut s = LinkSet {
        up: req.up,
        flags: req.flags,
        ..LinkSet::default()
    };
    let mut bad_pid = false;
    if let Some(ns) = &req.netns {
        match resolve_netns(host, ns)? {
            Some(id) => s.netns = Some(id),
            None => bad_pid = true,
        }
    }
    if let Some(m) = &req.master {
        s.master = Some(match m {
            MasterArg::None => 0,
            MasterArg::Dev(d) => {
                let i = view.ifindex(d);
                if i == 0 {
                    return Err(invarg("Device does not exist\n", d));
                }
                i
            }
        });
    }
    s.mtu = req.mtu.map(|m| m as u32);
    s.txqlen = req.txqlen.map(|q| q as u32);
    s.address = req.address.clone();
    s.broadcast = req.broadcast.clone();
    s.alias = req.alias.clone();
    s.group = req.group.map(|g| g as u32);
    s.carrier = req.carrier;
    s.name = req.name.clone();
    s.bridge = req.bridge.clone();
    s.brport = req.brport.clone();
    Ok((s, bad_pid))
}

/// Runs `ip link add|set|replace|delete`.
pub fn run_modify(cmd: &LinkCmd, host: &mut dyn Host) -> Outcome {
    let view = View {
        links: host.links(),
        ..View::default()
    };
    let res = match cmd {
        LinkCmd::Add(r) | LinkCmd::Replace(r) => add(r, host, &view),
        LinkCmd::Set(r) => set(r, host, &view),
        LinkCmd::Delete(r) => delete(r, host, &view),
        LinkCmd::Show(_) => Ok(()),
        LinkCmd::AfStats(dev) => {
            if let Some(d) = dev {
                if view.ifindex(d) == 0 {
                    // Printed, but `do_iplink` returns 0 whatever afstats said.
                    return Outcome {
                        out: String::new(),
                        err: format!("Device \"{d}\" does not exist.\n"),
                        code: 0,
                    };
                }
            }
            Ok(())
        }
        LinkCmd::Property(d) => resolve_dev(d, &view).and_then(|_| {
            // TODO(kernel): alternative names.
            Err(nl_err(tsunagi_kernel::rtnl::NlError::new(
                tsunagi_kernel::Errno::EOPNOTSUPP,
            )))
        }),
    };
    match res {
        Ok(()) => Outcome::ok(String::new()),
        Err(e) => e.into(),
    }
}

fn nl_err(e: tsunagi_kernel::rtnl::NlError) -> IpError {
    IpError::new(e, 2)
}

fn add(r: &LinkReq, host: &mut dyn Host, view: &View) -> IpResult<()> {
    if let Some(l) = &r.link {
        if view.ifindex(l) == 0 {
            return Err(nodev(l));
        }
    }
    let (mut set, bad_pid) = link_set_of(r, host, view)?;
    let kind = r.kind.clone().unwrap_or_default();
    let mut new = NewLink {
        kind,
        name: r.name.clone(),
        ..NewLink::default()
    };
    set.name = None;
    if let Some(p) = &r.peer {
        let (mut pset, peer_bad_pid) = link_set_of(p, host, view)?;
        if peer_bad_pid {
            return Err(nl_err(tsunagi_kernel::rtnl::NlError::new(
                tsunagi_kernel::Errno::ESRCH,
            )));
        }
        new.peer_name = p.name.clone();
        new.peer_ns = pset.netns.take();
        pset.name = None;
        new.peer_set = pset;
    }
    if bad_pid {
        return Err(nl_err(tsunagi_kernel::rtnl::NlError::new(
            tsunagi_kernel::Errno::ESRCH,
        )));
    }
    new.set = set;
    host.link_add(&new).map_err(nl_err)
}

fn resolve_dev(dev: &str, view: &View) -> IpResult<u32> {
    match view.ifindex(dev) {
        0 => Err(nodev(dev)),
        i => Ok(i),
    }
}

fn set(r: &LinkReq, host: &mut dyn Host, view: &View) -> IpResult<()> {
    let Some(dev) = r.dev.as_deref() else {
        // `group N` without a device: changing a whole group is not modelled.
        return Ok(());
    };
    if let Some(addr) = &r.address {
        if let Some(l) = view.link(view.ifindex(dev)) {
            let halen = l.address.len();
            if halen != addr.len() {
                return Err(IpError::new(
                    format!(
                        "Invalid address length {} - must be {halen} bytes",
                        addr.len()
                    ),
                    1,
                ));
            }
        }
    }
    let ifindex = resolve_dev(dev, view)?;
    let (set, bad_pid) = link_set_of(r, host, view)?;
    if bad_pid {
        return Err(nl_err(tsunagi_kernel::rtnl::NlError::new(
            tsunagi_kernel::Errno::ESRCH,
        )));
    }
    host.link_set(ifindex, &set).map_err(nl_err)
}

fn delete(r: &LinkReq, host: &mut dyn Host, view: &View) -> IpResult<()> {
    let Some(dev) = r.dev.as_deref() else {
        return Ok(());
    };
    let ifindex = resolve_dev(dev, view)?;
    host.link_del(ifindex).map_err(nl_err)
}

// --- printing (print_linkinfo) ----------------------------------------------------------

/// How links are printed: the global options and what the listing asked for.
#[derive(Clone, Debug, Default)]
pub struct LinkFmt {
    pub brief: bool,
    pub details: u32,
    pub stats: u32,
    /// `ip link` (not `ip address`): prints `mode`, `addrgenmode` and statistics inline.
    pub do_link: bool,
    /// `filter.family`: with a family set, `ip address` leaves out the `link/ether` line.
    pub family: Family,
    pub numeric: bool,
    pub human: bool,
    pub iec: bool,
    /// The link came from an `AF_INET6` dump (`ip -6 address`): the kernel's inet6 link
    /// message has no qdisc, group, master or peer-namespace attributes.
    pub inet6_dump: bool,
}

pub const OPER_STATES: [&str; 7] = [
    "UNKNOWN",
    "NOTPRESENT",
    "DOWN",
    "LOWERLAYERDOWN",
    "TESTING",
    "DORMANT",
    "UP",
];

fn oper_index(l: &LinkMsg) -> usize {
    use tsunagi_kernel::rtnl::OperState::*;
    match l.operstate {
        Unknown => 0,
        NotPresent => 1,
        Down => 2,
        LowerLayerDown => 3,
        Testing => 4,
        Dormant => 5,
        Up => 6,
    }
}

fn oper_color(i: usize) -> Color {
    match i {
        6 => Color::OperUp,
        2 => Color::OperDown,
        _ => Color::None,
    }
}

/// `print_link_flags()`: `<BROADCAST,MULTICAST,UP,LOWER_UP> `.
pub fn link_flags(flags: u32, mdown: bool) -> String {
    let mut s = String::from("<");
    let mut flags = flags;
    if flags & iff::UP != 0 && flags & iff::RUNNING == 0 {
        s.push_str(if flags != 0 {
            "NO-CARRIER,"
        } else {
            "NO-CARRIER"
        });
    }
    flags &= !iff::RUNNING;
    let names: [(u32, &str); 18] = [
        (iff::LOOPBACK, "LOOPBACK"),
        (iff::BROADCAST, "BROADCAST"),
        (iff::POINTOPOINT, "POINTOPOINT"),
        (iff::MULTICAST, "MULTICAST"),
        (iff::NOARP, "NOARP"),
        (iff::ALLMULTI, "ALLMULTI"),
        (iff::PROMISC, "PROMISC"),
        (iff::MASTER, "MASTER"),
        (iff::SLAVE, "SLAVE"),
        (iff::DEBUG, "DEBUG"),
        (iff::DYNAMIC, "DYNAMIC"),
        (iff::AUTOMEDIA, "AUTOMEDIA"),
        (iff::PORTSEL, "PORTSEL"),
        (iff::NOTRAILERS, "NOTRAILERS"),
        (iff::UP, "UP"),
        (iff::LOWER_UP, "LOWER_UP"),
        (iff::DORMANT, "DORMANT"),
        (iff::ECHO, "ECHO"),
    ];
    for (bit, name) in names {
        if flags & bit != 0 {
            flags &= !bit;
            s.push_str(name);
            if flags != 0 {
                s.push(',');
            }
        }
    }
    if flags != 0 {
        s.push_str(&format!("{flags:x}"));
    }
    if mdown {
        s.push_str(",M-DOWN");
    }
    s.push_str("> ");
    s
}

/// `print_name_and_link()`: `NAME@PEER` (or `@ifN` across namespaces) and whether the peer
/// is down (`M-DOWN`).
fn name_and_link(l: &LinkMsg, view: &View, f: &LinkFmt) -> (String, bool) {
    let Some(iflink) = l.link else {
        return (l.name.clone(), false);
    };
    if iflink == 0 {
        return (format!("{}@NONE", l.name), false);
    }
    if l.link_netnsid.is_some() && !f.inet6_dump {
        return (format!("{}@if{iflink}", l.name), false);
    }
    let peer = view.ifname(iflink);
    let mdown = view.ifflags(iflink) & iff::UP == 0;
    (format!("{}@{peer}", l.name), mdown)
}

fn link_type(l: &LinkMsg) -> &'static str {
    match l.kind {
        LinkKind::Loopback => "loopback",
        _ => "ether",
    }
}

/// `print_num()`: a counter in a column, or human-readable with `-h`.
fn print_num(o: &mut Out, width: usize, count: u64, f: &LinkFmt) {
    let base: u64 = if f.iec { 1024 } else { 1000 };
    if !f.human || count < base {
        o.s(&format!("{count:>width$} "));
        return;
    }
    let prefixes = b"kMGTPE";
    let mut p = 0usize;
    let mut powi: u64 = 1;
    loop {
        powi = powi.saturating_mul(base);
        if count / base < powi {
            break;
        }
        if p + 1 >= prefixes.len() {
            break;
        }
        p += 1;
    }
    let mut precision: usize = 2;
    let mut powj: u64 = 1;
    while precision > 0 {
        powj *= 10;
        if count / powi < powj {
            break;
        }
        precision -= 1;
    }
    let v = count as f64 / powi as f64;
    let buf = format!(
        "{v:.precision$}{}{}",
        prefixes[p] as char,
        if f.iec { "i" } else { "" }
    );
    o.s(&format!("{buf:>width$} "));
}

fn size_columns(cols: &mut [usize; 8], vals: [u64; 8], f: &LinkFmt) {
    if f.human {
        return;
    }
    for (c, v) in cols.iter_mut().zip(vals) {
        let len = v.to_string().len();
        if len > *c {
            *c = len;
        }
    }
}

/// `print_stats64()`: the RX/TX block of `ip -s link`.
pub fn print_stats(o: &mut Out, s: &LinkStats, carrier_changes: u32, f: &LinkFmt) {
    let mut cols: [usize; 8] = [10, 7, 6, 7, 7, 7, 10, 9];
    let sl = o.sl();
    size_columns(
        &mut cols,
        [
            s.rx_bytes,
            s.rx_packets,
            s.rx_errors,
            s.rx_dropped,
            s.rx_missed_errors,
            s.multicast,
            0,
            0,
        ],
        f,
    );
    if f.stats > 1 {
        size_columns(&mut cols, [0, 0, 0, 0, 0, 0, 0, 0], f);
    }
    size_columns(
        &mut cols,
        [
            s.tx_bytes,
            s.tx_packets,
            s.tx_errors,
            s.tx_dropped,
            s.tx_carrier_errors,
            s.collisions,
            0,
            0,
        ],
        f,
    );
    if f.stats > 1 {
        size_columns(
            &mut cols,
            [0, 0, 0, 0, 0, 0, u64::from(carrier_changes), 0],
            f,
        );
    }
    o.s(&format!(
        "    RX: {:>w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {:>w5$} {:>w6$}{sl}",
        "bytes",
        "packets",
        "errors",
        "dropped",
        "missed",
        "mcast",
        "",
        w0 = cols[0] - 4,
        w1 = cols[1],
        w2 = cols[2],
        w3 = cols[3],
        w4 = cols[4],
        w5 = cols[5],
        w6 = cols[6],
    ));
    o.s("    ");
    for (i, v) in [
        s.rx_bytes,
        s.rx_packets,
        s.rx_errors,
        s.rx_dropped,
        s.rx_missed_errors,
        s.multicast,
    ]
    .into_iter()
    .enumerate()
    {
        print_num(o, cols[i], v, f);
    }
    if f.stats > 1 {
        o.s(sl);
        o.s(&format!(
            "    RX errors:{:>a$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {:>w5$}{sl}",
            "",
            "length",
            "crc",
            "frame",
            "fifo",
            "overrun",
            a = cols[0] - 10,
            w1 = cols[1],
            w2 = cols[2],
            w3 = cols[3],
            w4 = cols[4],
            w5 = cols[5],
        ));
        o.s(&" ".repeat(cols[0] + 5));
        for w in &cols[1..6] {
            print_num(o, *w, 0, f);
        }
    }
    o.s(sl);
    o.s(&format!(
        "    TX: {:>w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {:>w5$} {:>w6$}{sl}",
        "bytes",
        "packets",
        "errors",
        "dropped",
        "carrier",
        "collsns",
        "",
        w0 = cols[0] - 4,
        w1 = cols[1],
        w2 = cols[2],
        w3 = cols[3],
        w4 = cols[4],
        w5 = cols[5],
        w6 = cols[6],
    ));
    o.s("    ");
    for (i, v) in [
        s.tx_bytes,
        s.tx_packets,
        s.tx_errors,
        s.tx_dropped,
        s.tx_carrier_errors,
        s.collisions,
    ]
    .into_iter()
    .enumerate()
    {
        print_num(o, cols[i], v, f);
    }
    if f.stats > 1 {
        o.s(sl);
        o.s(&format!(
            "    TX errors:{:>a$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {:>w5$}{sl}",
            "",
            "aborted",
            "fifo",
            "window",
            "heartbt",
            "transns",
            a = cols[0] - 10,
            w1 = cols[1],
            w2 = cols[2],
            w3 = cols[3],
            w4 = cols[4],
            w5 = cols[5],
        ));
        o.s(&" ".repeat(cols[0] + 5));
        for w in &cols[1..5] {
            print_num(o, *w, 0, f);
        }
        print_num(o, cols[5], u64::from(carrier_changes), f);
    }
}

/// `print_linkinfo_brief()`: `NAME@PEER        STATE          [MAC <FLAGS> ]`.
fn print_link_brief(o: &mut Out, l: &LinkMsg, view: &View, f: &LinkFmt) {
    let (name, mdown) = name_and_link(l, view, f);
    o.c(Color::Ifname, &format!("{name:<16} "));
    let st = oper_index(l);
    o.c(oper_color(st), &format!("{:<14} ", OPER_STATES[st]));
    if f.family == Family::Packet {
        o.c(Color::Mac, &format!("{} ", ll_addr_n2a(&l.address)));
        o.s(&link_flags(l.flags, mdown));
        o.s("\n");
    }
}

/// `print_linkinfo()`: one link, as `ip link` and `ip address` print it.
pub fn print_link(o: &mut Out, l: &LinkMsg, view: &View, f: &LinkFmt) {
    if f.brief {
        print_link_brief(o, l, view, f);
        return;
    }
    o.s(&format!("{}: ", l.ifindex));
    let (name, mdown) = name_and_link(l, view, f);
    o.c(Color::Ifname, &format!("{name}: "));
    o.s(&link_flags(l.flags, mdown));
    o.s(&format!("mtu {} ", l.mtu));
    if !f.inet6_dump {
        if !l.qdisc.is_empty() {
            o.s(&format!("qdisc {} ", l.qdisc));
        }
        if let Some(m) = l.master {
            o.s(&format!("master {} ", view.ifname(m)));
        }
    }
    let st = oper_index(l);
    o.s("state ");
    o.c(oper_color(st), &format!("{} ", OPER_STATES[st]));
    if f.do_link {
        o.s(if l.linkmode == 1 {
            "mode DORMANT "
        } else {
            "mode DEFAULT "
        });
    }
    if !f.inet6_dump {
        o.s(&format!("group {} ", group_n2a(l.group, f.numeric)));
    }
    if l.txqlen != 0 {
        o.s(&format!("qlen {}", l.txqlen));
    }
    if f.family == Family::Unspec || f.family == Family::Packet || f.details > 0 {
        o.nl();
        o.s(&format!("    link/{} ", link_type(l)));
        o.c(Color::Mac, &ll_addr_n2a(&l.address));
        if !f.inet6_dump {
            o.s(if l.flags & iff::POINTOPOINT != 0 {
                " peer "
            } else {
                " brd "
            });
            o.c(Color::Mac, &ll_addr_n2a(&l.broadcast));
        }
    }
    if let (Some(id), false) = (l.link_netnsid, f.inet6_dump) {
        if id >= 0 {
            match view.nsid_names.get(&id) {
                Some(n) => o.s(&format!(" link-netns {n}")),
                None => o.s(&format!(" link-netnsid {id}")),
            }
        } else {
            o.s(" link-netnsid unknown");
        }
    }
    if f.details > 0 {
        o.s(&format!(" promiscuity {} ", l.promiscuity));
        o.s(&format!(" allmulti {} ", l.allmulti));
        o.s(&format!("minmtu {} ", l.min_mtu));
        o.s(&format!("maxmtu {} ", l.max_mtu));
        if let Some(kind) = l.kind.info_kind() {
            o.nl();
            o.s(&format!("    {kind} "));
            if let Some(b) = &l.bridge {
                super::link_bridge::print_bridge(o, b);
            }
            if let Some(p) = &l.brport {
                o.nl();
                o.s("    bridge_slave ");
                super::link_bridge::print_port(o, p);
            }
        }
        if f.do_link {
            o.s("addrgenmode eui64 ");
        }
        o.s(&format!("numtxqueues {} ", l.num_tx_queues));
        o.s(&format!("numrxqueues {} ", l.num_rx_queues));
        o.s(&format!("gso_max_size {} ", l.gso_max_size));
        o.s(&format!("gso_max_segs {} ", l.gso_max_segs));
        o.s(&format!("tso_max_size {} ", l.tso_max_size));
        o.s(&format!("tso_max_segs {} ", l.tso_max_segs));
        o.s(&format!("gro_max_size {} ", l.gro_max_size));
    }
    if let (Some(alias), true) = (&l.alias, f.do_link || f.details > 0) {
        o.nl();
        o.s(&format!("    alias {alias}"));
    }
    if f.do_link && f.stats > 0 {
        o.nl();
        print_stats(o, &l.stats, l.carrier_changes, f);
    }
    o.s("\n");
}

/// A missing argument of `NEXT_ARG` in this module's callers.
pub fn incomplete_err() -> IpError {
    incomplete()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use tsunagi_kernel::rtnl::OperState;

    pub fn lo() -> LinkMsg {
        LinkMsg {
            ifindex: 1,
            name: "lo".into(),
            kind: LinkKind::Loopback,
            flags: iff::LOOPBACK | iff::UP | iff::RUNNING | iff::LOWER_UP,
            mtu: 65536,
            min_mtu: 0,
            max_mtu: 0,
            qdisc: "noqueue",
            operstate: OperState::Unknown,
            linkmode: 0,
            group: 0,
            txqlen: 1000,
            address: [0; 6],
            broadcast: [0; 6],
            link: None,
            link_netnsid: None,
            master: None,
            promiscuity: 0,
            allmulti: 0,
            num_tx_queues: 1,
            num_rx_queues: 1,
            gso_max_size: 65536,
            gso_max_segs: 65535,
            tso_max_size: 524280,
            tso_max_segs: 65535,
            gro_max_size: 65536,
            carrier_changes: 0,
            stats: LinkStats::default(),
            alias: None,
            bridge: None,
            brport: None,
        }
    }

    pub fn veth(ifindex: u32, name: &str, peer: u32, up: bool) -> LinkMsg {
        LinkMsg {
            ifindex,
            name: name.into(),
            kind: LinkKind::Veth,
            flags: iff::BROADCAST | iff::MULTICAST | if up { iff::UP } else { 0 },
            mtu: 1500,
            min_mtu: 68,
            max_mtu: 65535,
            qdisc: if up { "noqueue" } else { "noop" },
            operstate: if up {
                OperState::LowerLayerDown
            } else {
                OperState::Down
            },
            address: [0x9e, 0xa0, 0x69, 0x03, 0x6f, 0xa0],
            broadcast: [0xff; 6],
            link: Some(peer),
            num_tx_queues: 2,
            num_rx_queues: 2,
            ..lo()
        }
    }

    fn show(links: &[LinkMsg], f: &LinkFmt) -> String {
        let view = View {
            links: links.to_vec(),
            ..View::default()
        };
        let mut o = Out::new(false);
        for l in links {
            print_link(&mut o, l, &view, f);
        }
        o.take()
    }

    fn link_fmt() -> LinkFmt {
        LinkFmt {
            do_link: true,
            family: Family::Packet,
            ..LinkFmt::default()
        }
    }

    #[test]
    fn prints_links_as_ip_link_show() {
        let links = [lo(), veth(2, "v1", 3, false), veth(3, "v0", 2, false)];
        assert_eq!(
            show(&links, &link_fmt()),
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n\
             \x20   link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n\
             2: v1@v0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n\
             \x20   link/ether 9e:a0:69:03:6f:a0 brd ff:ff:ff:ff:ff:ff\n\
             3: v0@v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n\
             \x20   link/ether 9e:a0:69:03:6f:a0 brd ff:ff:ff:ff:ff:ff\n"
        );
    }

    #[test]
    fn one_end_up_has_no_carrier() {
        let links = [veth(2, "v1", 3, false), veth(3, "v0", 2, true)];
        let out = show(&links[1..], &link_fmt());
        let view_out = {
            let view = View {
                links: links.to_vec(),
                ..View::default()
            };
            let mut o = Out::new(false);
            print_link(&mut o, &links[1], &view, &link_fmt());
            o.take()
        };
        // A peer index the listing does not know reads as up (`ll_index_to_flags` gives -1).
        assert!(out.starts_with("3: v0@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> "));
        assert_eq!(
            view_out.lines().next().unwrap(),
            "3: v0@v1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000"
        );
    }

    #[test]
    fn peer_in_another_namespace() {
        let mut l = veth(4, "ns1-veth0", 3, false);
        l.link_netnsid = Some(1);
        let mut view = View {
            links: vec![lo(), l.clone()],
            ..View::default()
        };
        let mut o = Out::new(false);
        print_link(&mut o, &l, &view, &link_fmt());
        assert_eq!(
            o.take(),
            "4: ns1-veth0@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n\
             \x20   link/ether 9e:a0:69:03:6f:a0 brd ff:ff:ff:ff:ff:ff link-netnsid 1\n"
        );
        view.nsid_names.insert(1, "ns2".into());
        print_link(&mut o, &l, &view, &link_fmt());
        assert!(o.take().ends_with("brd ff:ff:ff:ff:ff:ff link-netns ns2\n"));
    }

    #[test]
    fn details_stats_brief_oneline() {
        let f = LinkFmt {
            details: 1,
            ..link_fmt()
        };
        assert_eq!(
            show(&[lo()], &f),
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n\
             \x20   link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n"
        );
        let links = [veth(2, "v1", 3, false), veth(3, "v0", 2, false)];
        let out = show(&links, &f);
        assert!(out.contains(
            "minmtu 68 maxmtu 65535 \n    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size"
        ));
        let f = LinkFmt {
            stats: 2,
            ..link_fmt()
        };
        assert_eq!(
            show(&[lo()], &f),
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n\
             \x20   link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n\
             \x20   RX:  bytes packets errors dropped  missed   mcast           \n\
             \x20            0       0      0       0       0       0 \n\
             \x20   RX errors:  length    crc   frame    fifo overrun\n\
             \x20                    0      0       0       0       0 \n\
             \x20   TX:  bytes packets errors dropped carrier collsns           \n\
             \x20            0       0      0       0       0       0 \n\
             \x20   TX errors: aborted   fifo  window heartbt transns\n\
             \x20                    0      0       0       0       0 \n"
        );
        let f = LinkFmt {
            brief: true,
            ..link_fmt()
        };
        assert_eq!(
            show(
                &[lo(), veth(2, "v1", 3, false), veth(3, "v0", 2, false)],
                &f
            ),
            "lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n\
             v1@v0            DOWN           9e:a0:69:03:6f:a0 <BROADCAST,MULTICAST,M-DOWN> \n\
             v0@v1            DOWN           9e:a0:69:03:6f:a0 <BROADCAST,MULTICAST,M-DOWN> \n"
        );
        let view = View {
            links: vec![lo()],
            ..View::default()
        };
        let mut o = Out::new(true);
        print_link(&mut o, &lo(), &view, &link_fmt());
        assert_eq!(o.take(), "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n");
    }

    #[test]
    fn colours() {
        let mut l = veth(3, "v0", 2, true);
        l.operstate = OperState::Up;
        l.flags |= iff::RUNNING | iff::LOWER_UP;
        let view = View {
            links: vec![l.clone(), veth(2, "v1", 3, true)],
            ..View::default()
        };
        let mut o = Out::new(false);
        o.color = true;
        print_link(&mut o, &l, &view, &link_fmt());
        assert_eq!(o.take(), "3: \x1b[36mv0@v1: \x1b[0m<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state \x1b[32mUP \x1b[0mmode DEFAULT group default qlen 1000\n    link/ether \x1b[33m9e:a0:69:03:6f:a0\x1b[0m brd \x1b[33mff:ff:ff:ff:ff:ff\x1b[0m\n");
    }

    fn pm(args: &[&str], create: bool) -> IpResult<LinkReq> {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse_modify(&v, create)
    }

    #[test]
    fn parses_link_requests() {
        let r = pm(
            &["ns1-veth0", "type", "veth", "peer", "name", "ns2-veth0"],
            true,
        )
        .unwrap();
        assert_eq!(r.name.as_deref(), Some("ns1-veth0"));
        assert_eq!(r.kind.as_deref(), Some("veth"));
        assert_eq!(r.peer.unwrap().name.as_deref(), Some("ns2-veth0"));
        let r = pm(&["dev", "v0", "up"], false).unwrap();
        assert_eq!(
            (r.dev.as_deref(), r.name, r.up),
            (Some("v0"), None, Some(true))
        );
        let r = pm(&["v0", "name", "v9"], false).unwrap();
        assert_eq!(
            (r.dev.as_deref(), r.name.as_deref()),
            (Some("v0"), Some("v9"))
        );
        let r = pm(&["v0", "address", "00:00:5E:00:53:01"], false).unwrap();
        assert_eq!(r.address, Some(vec![0, 0, 0x5e, 0, 0x53, 1]));
        assert_eq!(
            pm(&["v0", "netns", "ns1"], false).unwrap().netns.as_deref(),
            Some("ns1")
        );
    }

    #[test]
    fn link_request_errors_as_iproute2() {
        let e = pm(&["v0", "foo"], false).unwrap_err();
        assert_eq!(
            (e.stderr.as_str(), e.code),
            (
                "Error: either \"dev\" is duplicate, or \"foo\" is a garbage.\n",
                255
            )
        );
        let e = pm(&[], false).unwrap_err();
        assert_eq!(
            (e.stderr.as_str(), e.code),
            (
                "Not enough information: \"dev\" argument is required.\n",
                255
            )
        );
        let e = pm(&["v6"], true).unwrap_err();
        assert_eq!(
            (e.stderr.as_str(), e.code),
            ("Not enough information: \"type\" argument is required\n", 1)
        );
        let e = pm(&["v4", "type", "veth", "peer", "name"], true).unwrap_err();
        assert_eq!(e.code, 255);
        assert_eq!(
            e.stderr,
            "Command line is not complete. Try option \"help\"\n"
        );
        let e = pm(&["name", "abcdefghijklmnopq", "type", "veth"], true).unwrap_err();
        assert_eq!(
            e.stderr,
            "Error: argument \"abcdefghijklmnopq\" is wrong: \"name\" not a valid ifname\n"
        );
        let e = pm(&["v0", "mtu", "abc"], false).unwrap_err();
        assert_eq!(
            e.stderr,
            "Error: argument \"abc\" is wrong: Invalid \"mtu\" value\n\n"
        );
        let e = pm(&["v0", "address", "zz:zz:zz:zz:zz:zz"], false).unwrap_err();
        assert_eq!(
            (e.stderr.as_str(), e.code),
            ("\"zz\" is invalid lladdr.\n", 1)
        );
        let e = pm(&["v0", "type", "veth", "foo"], true).unwrap_err();
        assert_eq!((e.stdout.as_str(), e.code), (VETH_USAGE, 1));
        let e = pm(&["v0", "type", "nosuch", "foo"], true).unwrap_err();
        assert_eq!(
            e.stderr,
            "Garbage instead of arguments \"foo ...\". Try \"ip link help\".\n"
        );
        let e = pm(&["v0", "carrier", "x"], false).unwrap_err();
        assert_eq!(e.code, 22);
        let e = pm(&["v0", "promisc", "x"], false).unwrap_err();
        assert_eq!(
            (e.stderr.as_str(), e.code),
            (
                "Error: argument of \"promisc\" must be \"on\" or \"off\", not \"x\"\n",
                1
            )
        );
        assert_eq!(pm(&["h"], false).unwrap_err().stderr, USAGE);
    }
}
