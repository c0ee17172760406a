//! `bridge`: the bridge tool of iproute2 6.1 (bridge(8); iproute2 bridge/bridge.c, link.c,
//! fdb.c): `bridge link show` lists bridge ports, `bridge fdb show|add|del` the forwarding
//! databases, with iproute2's messages and exit statuses (255 for its own `exit(-1)`).
//!
//! Not here yet: `mdb`, `vlan`, `monitor`, `bridge link set`, `fdb replace|append|flush|get`,
//! `-j` for fdb listings.

use std::net::Ipv4Addr;

use tsunagi_kernel::rtnl::{br_state, iff, ntf, nud, BrPortOpts, FdbMsg, FdbReq, LinkMsg, NlError};
use tsunagi_kernel::NsId;
use tsunagi_lab::{LocalBoxFuture, Proc};

use crate::ip::json::{link_flag_names, JsonWriter};
use crate::ip::link::link_flags;
use crate::ip::utils::{ll_addr_a2n, ll_addr_n2a, matches};

const USAGE: &str = "Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\n       \
bridge [ -force ] -batch filename\n\
where  OBJECT := { link | fdb | mdb | vlan | monitor }\n       \
OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |\n                    \
-o[neline] | -t[imestamp] | -n[etns] name |\n                    \
-c[ompressvlans] -color -p[retty] -j[son] }\n";

const FDB_USAGE: &str =
    "Usage: bridge fdb { add | append | del | replace } ADDR dev DEV\n              \
[ self ] [ master ] [ use ] [ router ] [ extern_learn ]\n              \
[ sticky ] [ local | static | dynamic ] [ vlan VID ]\n              \
{ [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }\n\t       \
[ via DEV ] [ src_vni VNI ]\n       \
bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]\n              \
[ state STATE ] [ dynamic ] ]\n       \
bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV\n              \
[ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]\n       \
bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]\n              \
[ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]\n              \
[ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]\n              \
[ [no]offloaded ]\n";

const LINK_USAGE: &str = "Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]\n                               \
[ guard {on | off} ]\n                               \
[ hairpin {on | off} ]\n                               \
[ fastleave {on | off} ]\n                               \
[ root_block {on | off} ]\n                               \
[ learning {on | off} ]\n                               \
[ learning_sync {on | off} ]\n                               \
[ flood {on | off} ]\n                               \
[ mcast_router MULTICAST_ROUTER ]\n                               \
[ mcast_flood {on | off} ]\n                               \
[ bcast_flood {on | off} ]\n                               \
[ mcast_to_unicast {on | off} ]\n                               \
[ neigh_suppress {on | off} ]\n                               \
[ vlan_tunnel {on | off} ]\n                               \
[ isolated {on | off} ]\n                               \
[ locked {on | off} ]\n                               \
[ hwmode {vepa | veb} ]\n                               \
[ backup_port DEVICE ] [ nobackup_port ]\n                               \
[ self ] [ master ]\n       \
bridge link show [dev DEV]\n";

/// The global options.
#[derive(Default)]
struct Opts {
    stats: bool,
    details: bool,
    json: bool,
    pretty: bool,
}

/// What one run prints and returns.
struct Done {
    out: String,
    err: String,
    code: i32,
}

impl Done {
    fn ok(out: String) -> Done {
        Done {
            out,
            err: String::new(),
            code: 0,
        }
    }
    fn fail(err: impl Into<String>, code: i32) -> Done {
        Done {
            out: String::new(),
            err: err.into(),
            code,
        }
    }
}

/// The rtnetlink side `bridge` needs, over the lab.
struct Nl {
    proc_sys: tsunagi_lab::Sys,
    ns: NsId,
}

impl Nl {
    fn links(&self) -> Vec<LinkMsg> {
        let ns = self.ns;
        self.proc_sys.net(|k, env| k.link_dump_at(ns, env.now()))
    }
    fn index(&self, name: &str) -> u32 {
        self.links()
            .iter()
            .find(|l| l.name == name)
            .map_or(0, |l| l.ifindex)
    }
}

pub fn main(proc: Proc) -> LocalBoxFuture<i32> {
    Box::pin(async move {
        let argv: Vec<String> = proc.argv.iter().skip(1).cloned().collect();
        let mut nl = Nl {
            proc_sys: proc.sys.clone(),
            ns: proc.netns,
        };
        let d = run(&argv, &mut nl);
        if !d.out.is_empty() {
            proc.out(&d.out);
        }
        if !d.err.is_empty() {
            proc.err(&d.err);
        }
        d.code
    })
}

/// `main()` of bridge/bridge.c.
fn run(argv: &[String], nl: &mut Nl) -> Done {
    let mut o = Opts::default();
    let mut i = 0;
    while let Some(a) = argv.get(i) {
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') {
            break;
        }
        // `--opt` is `-opt`; the names are matched with their dash, so `-` alone is `-help`.
        let opt = if a[1..].starts_with('-') {
            &a[1..]
        } else {
            &a[..]
        };
        let next = |i: usize| argv.get(i + 1).map(String::as_str);
        if matches(opt, "-help") {
            return Done::fail(USAGE, 255);
        } else if matches(opt, "-Version") {
            return Done::ok("bridge utility, 6.1.0\n".into());
        } else if matches(opt, "-stats") || matches(opt, "-statistics") {
            o.stats = true;
        } else if matches(opt, "-details") {
            o.details = true;
        } else if matches(opt, "-oneline") || matches(opt, "-timestamp") {
        } else if matches(opt, "-family") {
            i += 1;
            match next(i - 1) {
                None | Some("help") => return Done::fail(USAGE, 255),
                Some("inet" | "inet6") => {}
                Some(v) => {
                    return Done::fail(
                        format!("Error: argument \"{v}\" is wrong: invalid protocol family\n"),
                        255,
                    )
                }
            }
        } else if opt == "-4" || opt == "-6" {
        } else if matches(opt, "-netns") {
            i += 1;
            let Some(name) = next(i - 1) else {
                return Done::fail("Command line is not complete. Try option \"help\"\n", 255);
            };
            // `netns_switch`: a name under /run/netns.
            match nl.proc_sys.netns_by_name(name) {
                Some(ns) if !name.contains('/') => nl.ns = ns,
                _ => {
                    return Done::fail(
                        format!(
                            "Cannot open network namespace \"{name}\": No such file or directory\n"
                        ),
                        255,
                    )
                }
            }
        } else if matches(opt, "-color")
            || opt.starts_with("-color=")
            || matches(opt, "-compressvlans")
            || matches(opt, "-force")
        {
            // Colours, VLAN ranges and batch errors change nothing printed here.
        } else if matches(opt, "-json") {
            o.json = true;
        } else if matches(opt, "-pretty") {
            o.pretty = true;
        } else {
            return Done::fail(
                format!("Option \"{opt}\" is unknown, try \"bridge help\".\n"),
                255,
            );
        }
        i += 1;
    }
    let Some(obj) = argv.get(i) else {
        return Done::fail(USAGE, 255);
    };
    let rest = &argv[i + 1..];
    if matches(obj, "link") {
        link(rest, &o, nl)
    } else if matches(obj, "fdb") {
        fdb(rest, &o, nl)
    } else if matches(obj, "help") {
        Done::fail(USAGE, 255)
    } else {
        Done::fail(
            format!("Object \"{obj}\" is unknown, try \"bridge help\".\n"),
            255,
        )
    }
}

// --- bridge link ----------------------------------------------------------------------------

fn link(argv: &[String], o: &Opts, nl: &Nl) -> Done {
    let (cmd, args) = match argv.split_first() {
        None => ("show", &argv[..0]),
        Some((c, a)) => (c.as_str(), a),
    };
    if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        let mut filter: Option<&str> = None;
        let mut j = 0;
        while let Some(a) = args.get(j) {
            if a == "dev" {
                j += 1;
                let Some(v) = args.get(j) else {
                    return Done::fail("Command line is not complete. Try option \"help\"\n", 255);
                };
                filter = Some(v);
            } else if matches(a, "help") {
                return Done::fail(LINK_USAGE, 255);
            }
            j += 1;
        }
        let links = nl.links();
        let want = match filter {
            Some(dev) => match links.iter().find(|l| l.name == dev) {
                Some(l) => Some(l.ifindex),
                None => return Done::fail(format!("Cannot find device \"{dev}\"\n"), 255),
            },
            None => None,
        };
        let mut out = String::new();
        let ports = links
            .iter()
            .filter(|l| l.brport.is_some() && want.is_none_or(|w| w == l.ifindex));
        if o.json {
            let mut w = JsonWriter::new(o.pretty);
            for l in ports {
                link_json(&mut w, l, &links);
            }
            out = w.finish();
        } else {
            for l in ports {
                print_port(&mut out, l, &links, o);
            }
        }
        return Done::ok(out);
    }
    if matches(cmd, "help") {
        return Done::fail(LINK_USAGE, 255);
    }
    if matches(cmd, "set") || matches(cmd, "change") {
        return link_set(args, nl);
    }
    Done::fail(
        format!("Command \"{cmd}\" is unknown, try \"bridge link help\".\n"),
        255,
    )
}

/// `brlink_modify()`: `bridge link set dev DEV [ cost N ] [ priority N ] [ state S ]
/// [ learning on|off ] ...`.
fn link_set(argv: &[String], nl: &Nl) -> Done {
    let mut o = BrPortOpts::default();
    let mut dev: Option<&str> = None;
    let mut j = 0;
    let incomplete = || Done::fail("Command line is not complete. Try option \"help\"\n", 255);
    while let Some(a) = argv.get(j) {
        let a = a.as_str();
        let flag: Option<&mut Option<bool>> = match a {
            "guard" => Some(&mut o.guard),
            "hairpin" => Some(&mut o.hairpin),
            "fastleave" => Some(&mut o.fastleave),
            "root_block" => Some(&mut o.root_block),
            "learning" => Some(&mut o.learning),
            "flood" => Some(&mut o.flood),
            "mcast_flood" => Some(&mut o.mcast_flood),
            "bcast_flood" => Some(&mut o.bcast_flood),
            "mcast_to_unicast" => Some(&mut o.mcast_to_unicast),
            "neigh_suppress" => Some(&mut o.neigh_suppress),
            "vlan_tunnel" => Some(&mut o.vlan_tunnel),
            "isolated" => Some(&mut o.isolated),
            "locked" => Some(&mut o.locked),
            _ => None,
        };
        if let Some(slot) = flag {
            j += 1;
            let Some(v) = argv.get(j) else {
                return incomplete();
            };
            // `parse_on_off`: its error is -EINVAL, which exits as 234.
            match v.as_str() {
                "on" => *slot = Some(true),
                "off" => *slot = Some(false),
                _ => {
                    return Done::fail(
                        format!(
                        "Error: argument of \"{a}\" must be one of \"off\", \"on\", not \"{v}\"\n"
                    ),
                        234,
                    )
                }
            }
            j += 1;
            continue;
        }
        match a {
            "dev" => {
                j += 1;
                let Some(v) = argv.get(j) else {
                    return incomplete();
                };
                dev = Some(v);
            }
            "cost" | "priority" | "learning_sync" | "mcast_router" | "backup_port" => {
                j += 1;
                let Some(v) = argv.get(j) else {
                    return incomplete();
                };
                // `atoi`; a cost of 0 or less is not sent.
                let n = crate::ip::utils::atoi(v);
                if a == "cost" && n > 0 {
                    o.cost = Some(n as u32);
                } else if a == "priority" && n >= 0 {
                    o.priority = Some(n.min(i32::from(u16::MAX)) as u16);
                } else if a == "backup_port" && nl.index(v) == 0 {
                    return Done::fail(format!("Error: device {v} does not exist\n"), 255);
                }
            }
            "state" => {
                j += 1;
                let Some(v) = argv.get(j) else {
                    return incomplete();
                };
                let n = match v.parse::<i64>() {
                    Ok(n) => n,
                    Err(_) => match [
                        "disabled",
                        "listening",
                        "learning",
                        "forwarding",
                        "blocking",
                    ]
                    .iter()
                    .position(|s| s == v)
                    {
                        Some(i) => i as i64,
                        None => return Done::fail("Error: invalid STP port state\n", 255),
                    },
                };
                // The kernel takes a byte; what does not fit is refused as out of range.
                o.state = Some(u8::try_from(n).unwrap_or(u8::MAX));
            }
            "hwmode" => {
                j += 1;
                let Some(v) = argv.get(j) else {
                    return incomplete();
                };
                if v != "vepa" && v != "veb" {
                    return Done::fail("Mode argument must be \"vepa\" or \"veb\".\n", 255);
                }
            }
            "self" | "master" | "nobackup_port" => {}
            _ => return Done::fail(LINK_USAGE, 255),
        }
        j += 1;
    }
    let Some(dev) = dev else {
        return Done::fail("Device is a required argument.\n", 255);
    };
    let ifindex = nl.index(dev);
    if ifindex == 0 {
        return Done::fail(format!("Cannot find bridge device \"{dev}\"\n"), 255);
    }
    let ns = nl.ns;
    match nl.proc_sys.net(|k, env| k.brport_set(ns, ifindex, &o, env)) {
        Ok(()) => Done::ok(String::new()),
        Err(e) => Done::fail(format!("{e}\n"), 255),
    }
}

/// The name `ll_index_to_name` gives an ifindex: looked up in this namespace (a peer in
/// another one may show under the name of an unrelated local device), else `ifN`.
fn index_name(links: &[LinkMsg], i: u32) -> String {
    links
        .iter()
        .find(|l| l.ifindex == i)
        .map_or_else(|| format!("if{i}"), |l| l.name.clone())
}

/// `print_linkinfo()` of bridge/link.c.
fn print_port(out: &mut String, l: &LinkMsg, links: &[LinkMsg], o: &Opts) {
    let Some(p) = &l.brport else { return };
    out.push_str(&format!("{}: {}", l.ifindex, l.name));
    let (peer, mdown) = peer_of(l, links);
    if let Some(p) = peer {
        out.push('@');
        out.push_str(&p);
    }
    out.push_str(": ");
    out.push_str(&link_flags(l.flags, mdown));
    out.push_str(&format!("mtu {} ", l.mtu));
    if let Some(m) = l.master {
        out.push_str(&format!("master {} ", index_name(links, m)));
    }
    out.push_str(&format!(
        "state {} priority {} cost {} ",
        br_state::name(p.state),
        p.priority,
        p.cost
    ));
    if o.details {
        let on = |b: bool| if b { "on" } else { "off" };
        let f = &p.flags;
        out.push_str(&format!(
            "\n    hairpin {} guard {} root_block {} fastleave {} learning {} flood {} \
             mcast_flood {} bcast_flood {} mcast_router 1 mcast_to_unicast {} \
             neigh_suppress {} vlan_tunnel {} isolated {} locked {} ",
            on(f.hairpin),
            on(f.guard),
            on(f.root_block),
            on(f.fastleave),
            on(f.learning),
            on(f.flood),
            on(f.mcast_flood),
            on(f.bcast_flood),
            on(f.mcast_to_unicast),
            on(f.neigh_suppress),
            on(f.vlan_tunnel),
            on(f.isolated),
            on(f.locked)
        ));
    }
    out.push('\n');
}

/// The peer's name as `print_name_and_link` finds it, and whether it shows `M-DOWN`: an
/// `AF_BRIDGE` dump carries no peer namespace, so the peer's index is looked up here,
/// whatever namespace it lives in; `M-DOWN` says the device of that index here is down (an
/// unknown index has flags -1: up).
fn peer_of(l: &LinkMsg, links: &[LinkMsg]) -> (Option<String>, bool) {
    let Some(peer) = l.link else {
        return (None, false);
    };
    let mdown = links
        .iter()
        .find(|x| x.ifindex == peer)
        .is_some_and(|x| x.flags & iff::UP == 0);
    (Some(index_name(links, peer)), mdown)
}

/// `print_linkinfo()` of bridge/link.c in a JSON context.
fn link_json(w: &mut JsonWriter, l: &LinkMsg, links: &[LinkMsg]) {
    w.start_object();
    w.int_field("ifindex", i64::from(l.ifindex));
    let (peer, mdown) = peer_of(l, links);
    if let Some(p) = peer {
        w.str_field("link", &p);
    }
    w.str_field("ifname", &l.name);
    w.array_field("flags", &link_flag_names(l.flags, mdown));
    w.u64_field("mtu", u64::from(l.mtu));
    if let Some(m) = l.master {
        w.str_field("master", &index_name(links, m));
    }
    if let Some(p) = &l.brport {
        w.str_field("state", br_state::name(p.state));
        w.u64_field("priority", u64::from(p.priority));
        w.u64_field("cost", u64::from(p.cost));
    }
    w.end_object();
}

// --- bridge fdb -------------------------------------------------------------------------------

fn fdb(argv: &[String], o: &Opts, nl: &Nl) -> Done {
    let Some((cmd, args)) = argv.split_first() else {
        return fdb_show(&[], o, nl);
    };
    if matches(cmd, "add") {
        return fdb_modify(args, nl, Modify::Add);
    }
    if matches(cmd, "append") {
        return fdb_modify(args, nl, Modify::Append);
    }
    if matches(cmd, "replace") {
        return fdb_modify(args, nl, Modify::Replace);
    }
    if matches(cmd, "delete") {
        return fdb_modify(args, nl, Modify::Delete);
    }
    if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        return fdb_show(args, o, nl);
    }
    if matches(cmd, "help") {
        return Done::fail(FDB_USAGE, 255);
    }
    Done::fail(
        format!("Command \"{cmd}\" is unknown, try \"bridge fdb help\".\n"),
        255,
    )
}

/// `state_n2a()`.
fn state_name(s: u16) -> String {
    if s & nud::PERMANENT != 0 {
        "permanent".into()
    } else if s & nud::NOARP != 0 {
        "static".into()
    } else if s & nud::STALE != 0 {
        "stale".into()
    } else if s & nud::REACHABLE != 0 {
        String::new()
    } else {
        format!("state={s:#x}")
    }
}

/// `state_a2n()`.
fn state_parse(a: &str) -> Option<u16> {
    if matches(a, "permanent") {
        Some(nud::PERMANENT)
    } else if matches(a, "static") || matches(a, "temp") {
        Some(nud::NOARP)
    } else if matches(a, "stale") {
        Some(nud::STALE)
    } else if matches(a, "reachable") || matches(a, "dynamic") {
        Some(nud::REACHABLE)
    } else if a == "all" {
        Some(u16::MAX)
    } else {
        a.parse::<u32>().ok().map(|v| v as u16)
    }
}

/// `fdb_show()`: the kernel's dump filtered and printed as `print_fdb()` does.
fn fdb_show(argv: &[String], o: &Opts, nl: &Nl) -> Done {
    let mut dev: Option<&str> = None;
    let mut br: Option<&str> = None;
    let mut state_filter = 0u16;
    let mut dynamic = false;
    let mut j = 0;
    let incomplete = || Done::fail("Command line is not complete. Try option \"help\"\n", 255);
    while let Some(a) = argv.get(j) {
        match a.as_str() {
            "brport" | "dev" => {
                j += 1;
                let Some(v) = argv.get(j) else {
                    return incomplete();
                };
                dev = Some(v);
            }
            "br" => {
                j += 1;
                let Some(v) = argv.get(j) else {
                    return incomplete();
                };
                br = Some(v);
            }
            "vlan" => {
                j += 1;
                if argv.get(j).is_none() {
                    return incomplete();
                }
            }
            "state" => {
                j += 1;
                let Some(v) = argv.get(j) else {
                    return incomplete();
                };
                match state_parse(v) {
                    Some(s) => state_filter |= s,
                    None => {
                        return Done::fail(
                            format!("Error: argument \"{v}\" is wrong: invalid state\n"),
                            255,
                        )
                    }
                }
            }
            "dynamic" => dynamic = true,
            other => {
                if matches(other, "help") {
                    return Done::fail(FDB_USAGE, 255);
                }
            }
        }
        j += 1;
    }
    let links = nl.links();
    let br_index = match br {
        Some(b) => match nl.index(b) {
            0 => return Done::fail(format!("Cannot find bridge device \"{b}\"\n"), 255),
            i => Some(i),
        },
        None => None,
    };
    let dev_index = match dev {
        Some(d) => match nl.index(d) {
            0 => return Done::fail(format!("Cannot find device \"{d}\"\n"), 255),
            i => Some(i),
        },
        None => None,
    };
    let ns = nl.ns;
    let entries: Vec<FdbMsg> = nl
        .proc_sys
        .net(|k, env| k.fdb_dump(ns, br_index, dev_index, env.now()));
    let mut out = String::new();
    let shown = entries.iter().filter(|e| {
        (state_filter == 0 || e.state & state_filter != 0)
            && !(dynamic && e.state & nud::PERMANENT != 0)
    });
    if o.json {
        let mut w = JsonWriter::new(o.pretty);
        for e in shown {
            fdb_json(&mut w, e, &links, dev_index.is_none(), o);
        }
        return Done::ok(w.finish());
    }
    for e in shown {
        out.push_str(&format!("{} ", ll_addr_n2a(&e.mac)));
        if dev_index.is_none() {
            out.push_str(&format!("dev {} ", index_name(&links, e.ifindex)));
        }
        // Only the bridge's entries carry NDA_CACHEINFO.
        if o.stats && e.master.is_some() {
            out.push_str(&format!("used {}/{} ", e.used / 100, e.updated / 100));
        }
        if e.flags & ntf::SELF != 0 {
            out.push_str("self ");
        }
        if e.flags & ntf::MASTER != 0 {
            out.push_str("master ");
        }
        if let Some(m) = e.master {
            out.push_str(&format!("master {} ", index_name(&links, m)));
        }
        out.push_str(&state_name(e.state));
        out.push('\n');
    }
    Done::ok(out)
}

/// `print_fdb()` in a JSON context.
fn fdb_json(w: &mut JsonWriter, e: &FdbMsg, links: &[LinkMsg], with_dev: bool, o: &Opts) {
    w.start_object();
    w.str_field("mac", &ll_addr_n2a(&e.mac));
    if with_dev {
        w.str_field("ifname", &index_name(links, e.ifindex));
    }
    if o.stats && e.master.is_some() {
        w.u64_field("used", e.used / 100);
        w.u64_field("updated", e.updated / 100);
    }
    let flags: Vec<String> = if e.flags & ntf::SELF != 0 {
        vec!["self".into()]
    } else {
        Vec::new()
    };
    w.array_field("flags", &flags);
    if let Some(m) = e.master {
        w.str_field("master", &index_name(links, m));
    }
    w.str_field("state", &state_name(e.state));
    w.end_object();
}

/// Which `fdb_modify()` request: the netlink message and its flags.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Modify {
    /// `RTM_NEWNEIGH` with `NLM_F_CREATE | NLM_F_EXCL`.
    Add,
    /// With `NLM_F_CREATE | NLM_F_APPEND`.
    Append,
    /// With `NLM_F_CREATE | NLM_F_REPLACE`.
    Replace,
    /// `RTM_DELNEIGH`.
    Delete,
}

/// `fdb_modify()`: `bridge fdb add|append|replace|del ADDR dev DEV [self] [master] [STATE]`.
fn fdb_modify(argv: &[String], nl: &Nl, how: Modify) -> Done {
    let mut addr: Option<&str> = None;
    let mut dev: Option<&str> = None;
    let mut flags = 0u8;
    let mut state: u16 = nud::PERMANENT;
    let mut j = 0;
    let incomplete = || Done::fail("Command line is not complete. Try option \"help\"\n", 255);
    while let Some(a) = argv.get(j) {
        match a.as_str() {
            "dev" => {
                j += 1;
                let Some(v) = argv.get(j) else {
                    return incomplete();
                };
                dev = Some(v);
            }
            "local" | "permanent" => state |= nud::PERMANENT,
            "temp" | "static" => {
                state |= nud::NOARP;
                state &= !nud::PERMANENT;
            }
            "dynamic" => {
                state |= nud::REACHABLE;
                state &= !nud::PERMANENT;
            }
            "self" => flags |= ntf::SELF,
            "master" => flags |= ntf::MASTER,
            "use" | "router" | "sticky" | "extern_learn" => {}
            "dst" | "vlan" | "port" | "dport" | "vni" | "src_vni" | "via" | "nhid" => {
                j += 1;
                let Some(v) = argv.get(j) else {
                    return incomplete();
                };
                if a == "dst" && v.parse::<Ipv4Addr>().is_err() {
                    return Done::fail(
                        format!("Error: an inet prefix is expected rather than \"{v}\".\n"),
                        255,
                    );
                }
            }
            other => {
                if matches(other, "help") {
                    return Done::fail(FDB_USAGE, 255);
                }
                if addr.is_some() {
                    return Done::fail(
                        format!(
                            "Error: either \"to\" is duplicate, or \"{other}\" is a garbage.\n"
                        ),
                        255,
                    );
                }
                addr = Some(other);
            }
        }
        j += 1;
    }
    let (Some(addr), Some(dev)) = (addr, dev) else {
        return Done::fail("Device and address are required arguments.\n", 255);
    };
    let mac: [u8; 6] = match ll_addr_a2n(addr, 6)
        .ok()
        .and_then(|v| <[u8; 6]>::try_from(v.as_slice()).ok())
    {
        Some(m) if !addr.contains('.') => m,
        _ => return Done::fail(format!("Invalid mac address {addr}\n"), 255),
    };
    // Assume self: the default when neither was said.
    if flags & (ntf::SELF | ntf::MASTER) == 0 {
        flags |= ntf::SELF;
    }
    let ifindex = nl.index(dev);
    if ifindex == 0 {
        return Done::fail(format!("Cannot find device \"{dev}\"\n"), 255);
    }
    let req = FdbReq {
        ifindex,
        mac,
        flags,
        state,
        excl: how == Modify::Add,
    };
    let ns = nl.ns;
    let r: Result<(), NlError> = nl.proc_sys.net(|k, env| match how {
        Modify::Delete => k.fdb_del(ns, &req),
        _ => k.fdb_add(ns, &req, env),
    });
    match r {
        Ok(()) => Done::ok(String::new()),
        Err(e) => Done::fail(format!("{e}\n"), 255),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_as_iproute2_names_them() {
        assert_eq!(state_name(nud::PERMANENT), "permanent");
        assert_eq!(state_name(nud::NOARP), "static");
        assert_eq!(state_name(nud::REACHABLE), "");
        assert_eq!(state_name(nud::STALE), "stale");
        assert_eq!(state_parse("dyn"), Some(nud::REACHABLE));
    }

    #[test]
    fn unknown_peer_index_shows_as_if() {
        assert_eq!(index_name(&[], 7), "if7");
    }

    #[test]
    fn port_flags_show_no_carrier() {
        assert!(link_flags(iff::UP | iff::BROADCAST, false).starts_with("<NO-CARRIER,"));
    }
}
