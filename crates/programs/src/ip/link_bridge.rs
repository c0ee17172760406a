//! `ip link ... type bridge` options and the bridge and bridge-port details of `ip -d link`
//! (iproute2 ip/iplink_bridge.c and ip/iplink_bridge_slave.c).

use tsunagi_kernel::rtnl::{br_state, BrPortInfo, BrPortOpts, BridgeId, BridgeInfo, BridgeOpts};

use super::json::JsonWriter;
use super::print::Out;
use super::utils::{get_u16, get_u32, get_u8, incomplete, invarg, matches, IpError, IpResult};

/// `print_explain()` of the bridge link type.
const EXPLAIN: &str = "Usage: ... bridge [ fdb_flush ]\n\
\t\t  [ forward_delay FORWARD_DELAY ]\n\
\t\t  [ hello_time HELLO_TIME ]\n\
\t\t  [ max_age MAX_AGE ]\n\
\t\t  [ ageing_time AGEING_TIME ]\n\
\t\t  [ stp_state STP_STATE ]\n\
\t\t  [ priority PRIORITY ]\n\
\t\t  [ group_fwd_mask MASK ]\n\
\t\t  [ group_address ADDRESS ]\n\
\t\t  [ no_linklocal_learn NO_LINKLOCAL_LEARN ]\n\
\t\t  [ vlan_filtering VLAN_FILTERING ]\n\
\t\t  [ vlan_protocol VLAN_PROTOCOL ]\n\
\t\t  [ vlan_default_pvid VLAN_DEFAULT_PVID ]\n\
\t\t  [ vlan_stats_enabled VLAN_STATS_ENABLED ]\n\
\t\t  [ vlan_stats_per_port VLAN_STATS_PER_PORT ]\n\
\t\t  [ mcast_snooping MULTICAST_SNOOPING ]\n\
\t\t  [ mcast_vlan_snooping MULTICAST_VLAN_SNOOPING ]\n\
\t\t  [ mcast_router MULTICAST_ROUTER ]\n\
\t\t  [ mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR ]\n\
\t\t  [ mcast_querier MULTICAST_QUERIER ]\n\
\t\t  [ mcast_hash_elasticity HASH_ELASTICITY ]\n\
\t\t  [ mcast_hash_max HASH_MAX ]\n\
\t\t  [ mcast_last_member_count LAST_MEMBER_COUNT ]\n\
\t\t  [ mcast_startup_query_count STARTUP_QUERY_COUNT ]\n\
\t\t  [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]\n\
\t\t  [ mcast_membership_interval MEMBERSHIP_INTERVAL ]\n\
\t\t  [ mcast_querier_interval QUERIER_INTERVAL ]\n\
\t\t  [ mcast_query_interval QUERY_INTERVAL ]\n\
\t\t  [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]\n\
\t\t  [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]\n\
\t\t  [ mcast_stats_enabled MCAST_STATS_ENABLED ]\n\
\t\t  [ mcast_igmp_version IGMP_VERSION ]\n\
\t\t  [ mcast_mld_version MLD_VERSION ]\n\
\t\t  [ nf_call_iptables NF_CALL_IPTABLES ]\n\
\t\t  [ nf_call_ip6tables NF_CALL_IP6TABLES ]\n\
\t\t  [ nf_call_arptables NF_CALL_ARPTABLES ]\n\
\n\
Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }\n";

/// `bridge_parse_opt()`: the options this lab models; the others iproute2 knows are
/// refused as the kernel would refuse an attribute it cannot honour.
pub fn parse_opts(args: &[String]) -> IpResult<BridgeOpts> {
    let mut o = BridgeOpts::default();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let mut next = || -> IpResult<&str> {
            i += 1;
            args.get(i).map(String::as_str).ok_or_else(incomplete)
        };
        if matches(arg, "forward_delay") {
            let v = next()?;
            o.forward_delay =
                Some(get_u32(v, 0).ok_or_else(|| invarg("invalid forward_delay", v))?);
        } else if matches(arg, "hello_time") {
            let v = next()?;
            o.hello_time = Some(get_u32(v, 0).ok_or_else(|| invarg("invalid hello_time", v))?);
        } else if matches(arg, "max_age") {
            let v = next()?;
            o.max_age = Some(get_u32(v, 0).ok_or_else(|| invarg("invalid max_age", v))?);
        } else if matches(arg, "ageing_time") {
            let v = next()?;
            o.ageing_time = Some(get_u32(v, 0).ok_or_else(|| invarg("invalid ageing_time", v))?);
        } else if matches(arg, "stp_state") {
            let v = next()?;
            o.stp_state = Some(get_u32(v, 0).ok_or_else(|| invarg("invalid stp_state", v))?);
        } else if matches(arg, "priority") {
            let v = next()?;
            o.priority = Some(get_u16(v, 0).ok_or_else(|| invarg("invalid priority", v))?);
        } else if matches(arg, "vlan_filtering") {
            let v = next()?;
            o.vlan_filtering =
                Some(get_u8(v, 0).ok_or_else(|| invarg("invalid vlan_filtering", v))?);
        } else if matches(arg, "group_fwd_mask") {
            let v = next()?;
            o.group_fwd_mask =
                Some(get_u16(v, 0).ok_or_else(|| invarg("invalid group_fwd_mask", v))?);
        } else if matches(arg, "mcast_snooping") {
            let v = next()?;
            o.mcast_snooping =
                Some(get_u8(v, 0).ok_or_else(|| invarg("invalid mcast_snooping", v))?);
        } else if matches(arg, "fdb_flush") {
            o.fdb_flush = true;
        } else if matches(arg, "help") {
            return Err(IpError {
                stdout: String::new(),
                stderr: EXPLAIN.to_string(),
                code: 255,
            });
        } else {
            return Err(IpError {
                stdout: String::new(),
                stderr: format!("bridge: unknown command \"{arg}\"?\n{EXPLAIN}"),
                code: 1,
            });
        }
        i += 1;
    }
    Ok(o)
}

/// `print_explain()` of the bridge_slave link type.
const SLAVE_EXPLAIN: &str = "Usage: ... bridge_slave [ fdb_flush ]\n\
\t\t\t[ state STATE ]\n\
\t\t\t[ priority PRIO ]\n\
\t\t\t[ cost COST ]\n\
\t\t\t[ guard {on | off} ]\n\
\t\t\t[ hairpin {on | off} ]\n\
\t\t\t[ fastleave {on | off} ]\n\
\t\t\t[ root_block {on | off} ]\n\
\t\t\t[ learning {on | off} ]\n\
\t\t\t[ flood {on | off} ]\n\
\t\t\t[ proxy_arp {on | off} ]\n\
\t\t\t[ proxy_arp_wifi {on | off} ]\n\
\t\t\t[ mcast_router MULTICAST_ROUTER ]\n\
\t\t\t[ mcast_fast_leave {on | off} ]\n\
\t\t\t[ mcast_flood {on | off} ]\n\
\t\t\t[ bcast_flood {on | off} ]\n\
\t\t\t[ mcast_to_unicast {on | off} ]\n\
\t\t\t[ group_fwd_mask MASK ]\n\
\t\t\t[ neigh_suppress {on | off} ]\n\
\t\t\t[ vlan_tunnel {on | off} ]\n\
\t\t\t[ isolated {on | off} ]\n\
\t\t\t[ locked {on | off} ]\n\
\t\t\t[ backup_port DEVICE ] [ nobackup_port ]\n";

/// `bridge_slave_parse_opt()`. The switches this lab does not act on (proxy ARP, the
/// multicast router mode, the group forward mask, backup ports) are accepted and ignored.
pub fn parse_slave_opts(args: &[String]) -> IpResult<BrPortOpts> {
    let mut o = BrPortOpts::default();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let mut next = || -> IpResult<&str> {
            i += 1;
            args.get(i).map(String::as_str).ok_or_else(incomplete)
        };
        // `bridge_slave_parse_on_off`: a bad value ends `ip` with status 1.
        let on_off = |name: &str, v: &str| -> IpResult<bool> {
            match v {
                "on" => Ok(true),
                "off" => Ok(false),
                _ => Err(IpError::new(
                    format!(
                        "Error: argument of \"{name}\" must be one of \"off\", \"on\", not \"{v}\""
                    ),
                    1,
                )),
            }
        };
        const FLAGS: [&str; 16] = [
            "hairpin",
            "guard",
            "root_block",
            "fastleave",
            "learning",
            "flood",
            "mcast_flood",
            "bcast_flood",
            "mcast_to_unicast",
            "proxy_arp",
            "proxy_arp_wifi",
            "mcast_fast_leave",
            "neigh_suppress",
            "vlan_tunnel",
            "isolated",
            "locked",
        ];
        if matches(arg, "fdb_flush") {
            o.fdb_flush = true;
        } else if matches(arg, "state") {
            let v = next()?;
            o.state = Some(get_u8(v, 0).ok_or_else(|| invarg("state is invalid", v))?);
        } else if matches(arg, "priority") {
            let v = next()?;
            o.priority = Some(get_u16(v, 0).ok_or_else(|| invarg("priority is invalid", v))?);
        } else if matches(arg, "cost") {
            let v = next()?;
            o.cost = Some(get_u32(v, 0).ok_or_else(|| invarg("cost is invalid", v))?);
        } else if matches(arg, "mcast_router") {
            let v = next()?;
            get_u8(v, 0).ok_or_else(|| invarg("invalid mcast_router", v))?;
        } else if matches(arg, "group_fwd_mask") {
            let v = next()?;
            get_u16(v, 0).ok_or_else(|| invarg("invalid group_fwd_mask", v))?;
        } else if matches(arg, "backup_port") {
            next()?;
        } else if matches(arg, "nobackup_port") {
        } else if let Some(name) = FLAGS.iter().find(|f| matches(arg, f)) {
            let v = next()?;
            let b = Some(on_off(name, v)?);
            match *name {
                "hairpin" => o.hairpin = b,
                "guard" => o.guard = b,
                "root_block" => o.root_block = b,
                "fastleave" | "mcast_fast_leave" => o.fastleave = b,
                "learning" => o.learning = b,
                "flood" => o.flood = b,
                "mcast_flood" => o.mcast_flood = b,
                "bcast_flood" => o.bcast_flood = b,
                "mcast_to_unicast" => o.mcast_to_unicast = b,
                "neigh_suppress" => o.neigh_suppress = b,
                "vlan_tunnel" => o.vlan_tunnel = b,
                "isolated" => o.isolated = b,
                "locked" => o.locked = b,
                _ => {}
            }
        } else if matches(arg, "help") {
            return Err(IpError {
                stdout: String::new(),
                stderr: SLAVE_EXPLAIN.to_string(),
                code: 1,
            });
        } else {
            return Err(IpError {
                stdout: String::new(),
                stderr: format!("bridge_slave: unknown option \"{arg}\"?\n{SLAVE_EXPLAIN}"),
                code: 1,
            });
        }
        i += 1;
    }
    Ok(o)
}

/// `br_dump_bridge_id()`: `8000.0:11:22:33:44:55`.
pub fn bridge_id(id: &BridgeId) -> String {
    let [a, b] = id.prio.to_be_bytes();
    let m = id.addr;
    format!(
        "{a:02x}{b:02x}.{:x}:{:x}:{:x}:{:x}:{:x}:{:x}",
        m[0], m[1], m[2], m[3], m[4], m[5]
    )
}

/// C's `%#x`: no `0x` before a zero.
fn hex0(v: u16) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

/// `_bridge_print_timer()`: centiseconds as `%4i.%.2i`.
fn timer(cs: u64) -> String {
    format!("{:4}.{:02}", cs / 100, cs % 100)
}

/// `bridge_print_opt()` for the attributes a bridge reports.
pub fn print_bridge(o: &mut Out, b: &BridgeInfo) {
    let id = bridge_id(&b.bridge_id);
    o.s(&format!(
        "forward_delay {} hello_time {} max_age {} ageing_time {} stp_state {} priority {} \
         vlan_filtering {} bridge_id {id} designated_root {} root_port {} root_path_cost {} \
         topology_change {} topology_change_detected {} hello_timer {} tcn_timer {} \
         topology_change_timer {} gc_timer {} group_fwd_mask {} group_address \
         01:80:c2:00:00:00 mcast_snooping {} no_linklocal_learn 0 mcast_vlan_snooping 0 \
         mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 \
         mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 \
         mcast_last_member_interval 100 mcast_membership_interval 26000 \
         mcast_querier_interval 25500 mcast_query_interval 12500 \
         mcast_query_response_interval 1000 mcast_startup_query_interval 3124 \
         mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 \
         nf_call_ip6tables 0 nf_call_arptables 0 ",
        b.forward_delay,
        b.hello_time,
        b.max_age,
        b.ageing_time,
        b.stp_state,
        b.priority,
        b.vlan_filtering,
        bridge_id(&b.root_id),
        b.root_port,
        b.root_path_cost,
        b.topology_change,
        b.topology_change_detected,
        timer(b.hello_timer),
        timer(b.tcn_timer),
        timer(b.topology_change_timer),
        timer(b.gc_timer),
        hex0(b.group_fwd_mask),
        b.mcast_snooping,
    ));
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

/// `bridge_slave_print_opt()`.
pub fn print_port(o: &mut Out, p: &BrPortInfo) {
    let f = &p.flags;
    o.s(&format!(
        "state {} priority {} cost {} hairpin {} guard {} root_block {} fastleave {} \
         learning {} flood {} port_id {:#x} port_no {:#x} designated_port {} designated_cost {} \
         designated_bridge {} designated_root {} hold_timer {} message_age_timer {} \
         forward_delay_timer {} topology_change_ack 0 config_pending 0 proxy_arp off \
         proxy_arp_wifi off mcast_router 1 mcast_fast_leave {} mcast_flood {} bcast_flood {} \
         mcast_to_unicast {} neigh_suppress {} group_fwd_mask 0 group_fwd_mask_str 0x0 \
         vlan_tunnel {} isolated {} locked {} ",
        br_state::name(p.state),
        p.priority,
        p.cost,
        on_off(f.hairpin),
        on_off(f.guard),
        on_off(f.root_block),
        on_off(f.fastleave),
        on_off(f.learning),
        on_off(f.flood),
        p.port_id,
        p.port_no,
        p.designated_port,
        p.designated_cost,
        bridge_id(&p.designated_bridge),
        bridge_id(&p.designated_root),
        timer(p.hold_timer),
        timer(p.message_age_timer),
        timer(p.forward_delay_timer),
        on_off(f.fastleave),
        on_off(f.mcast_flood),
        on_off(f.bcast_flood),
        on_off(f.mcast_to_unicast),
        on_off(f.neigh_suppress),
        on_off(f.vlan_tunnel),
        on_off(f.isolated),
        on_off(f.locked),
    ));
}

/// A timer in JSON: `%i.%.2i`, unquoted.
fn timer_json(cs: u64) -> String {
    format!("{}.{:02}", cs / 100, cs % 100)
}

/// `bridge_print_opt()` in a JSON context.
pub fn json_bridge(w: &mut JsonWriter, b: &BridgeInfo) {
    w.u64_field("forward_delay", u64::from(b.forward_delay));
    w.u64_field("hello_time", u64::from(b.hello_time));
    w.u64_field("max_age", u64::from(b.max_age));
    w.u64_field("ageing_time", u64::from(b.ageing_time));
    w.u64_field("stp_state", u64::from(b.stp_state));
    w.u64_field("priority", u64::from(b.priority));
    w.u64_field("vlan_filtering", u64::from(b.vlan_filtering));
    w.str_field("bridge_id", &bridge_id(&b.bridge_id));
    w.str_field("root_id", &bridge_id(&b.root_id));
    w.u64_field("root_port", u64::from(b.root_port));
    w.u64_field("root_path_cost", u64::from(b.root_path_cost));
    w.u64_field("topology_change", u64::from(b.topology_change));
    w.u64_field(
        "topology_change_detected",
        u64::from(b.topology_change_detected),
    );
    w.raw_field("hello_timer", &timer_json(b.hello_timer));
    w.raw_field("tcn_timer", &timer_json(b.tcn_timer));
    w.raw_field(
        "topology_change_timer",
        &timer_json(b.topology_change_timer),
    );
    w.raw_field("gc_timer", &timer_json(b.gc_timer));
    w.str_field("group_fwd_mask", &hex0(b.group_fwd_mask));
    w.str_field("group_addr", "01:80:c2:00:00:00");
    w.u64_field("mcast_snooping", u64::from(b.mcast_snooping));
    for (k, v) in [
        ("no_linklocal_learn", 0),
        ("mcast_vlan_snooping", 0),
        ("mcast_router", 1),
        ("mcast_query_use_ifaddr", 0),
        ("mcast_querier", 0),
        ("mcast_hash_elasticity", 16),
        ("mcast_hash_max", 4096),
        ("mcast_last_member_cnt", 2),
        ("mcast_startup_query_cnt", 2),
        ("mcast_last_member_intvl", 100),
        ("mcast_membership_intvl", 26000),
        ("mcast_querier_intvl", 25500),
        ("mcast_query_intvl", 12500),
        ("mcast_query_response_intvl", 1000),
        ("mcast_startup_query_intvl", 3124),
        ("mcast_stats_enabled", 0),
        ("mcast_igmp_version", 2),
        ("mcast_mld_version", 1),
        ("nf_call_iptables", 0),
        ("nf_call_ip6tables", 0),
        ("nf_call_arptables", 0),
    ] {
        w.u64_field(k, v);
    }
}

/// `bridge_slave_print_opt()` in a JSON context.
pub fn json_port(w: &mut JsonWriter, p: &BrPortInfo) {
    let f = &p.flags;
    w.str_field("state", br_state::name(p.state));
    w.u64_field("priority", u64::from(p.priority));
    w.u64_field("cost", u64::from(p.cost));
    w.bool_field("hairpin", f.hairpin);
    w.bool_field("guard", f.guard);
    w.bool_field("root_block", f.root_block);
    w.bool_field("fastleave", f.fastleave);
    w.bool_field("learning", f.learning);
    w.bool_field("flood", f.flood);
    w.str_field("id", &format!("{:#x}", p.port_id));
    w.str_field("no", &format!("{:#x}", p.port_no));
    w.u64_field("designated_port", u64::from(p.designated_port));
    w.u64_field("designated_cost", u64::from(p.designated_cost));
    w.str_field("bridge_id", &bridge_id(&p.designated_bridge));
    w.str_field("root_id", &bridge_id(&p.designated_root));
    w.raw_field("hold_timer", &timer_json(p.hold_timer));
    w.raw_field("message_age_timer", &timer_json(p.message_age_timer));
    w.raw_field("forward_delay_timer", &timer_json(p.forward_delay_timer));
    w.u64_field("topology_change_ack", 0);
    w.u64_field("config_pending", 0);
    w.bool_field("proxy_arp", false);
    w.bool_field("proxy_arp_wifi", false);
    w.u64_field("multicast_router", 1);
    w.bool_field("mcast_flood", f.mcast_flood);
    w.bool_field("bcast_flood", f.bcast_flood);
    w.bool_field("mcast_to_unicast", f.mcast_to_unicast);
    w.bool_field("neigh_suppress", f.neigh_suppress);
    w.str_field("group_fwd_mask", "0");
    w.str_field("group_fwd_mask_str", "0x0");
    w.bool_field("vlan_tunnel", f.vlan_tunnel);
    w.bool_field("isolated", f.isolated);
    w.bool_field("locked", f.locked);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_options_and_refuses_as_iproute2() {
        let o = parse_opts(&args(&[
            "ageing_time",
            "1000",
            "stp_state",
            "1",
            "prio",
            "7",
        ]))
        .unwrap();
        assert_eq!(o.ageing_time, Some(1000));
        assert_eq!(o.stp_state, Some(1));
        assert_eq!(o.priority, Some(7));
        let e = parse_opts(&args(&["ageing_time", "foo"])).unwrap_err();
        assert_eq!(
            e.stderr,
            "Error: argument \"foo\" is wrong: invalid ageing_time\n"
        );
        assert_eq!(e.code, 255);
        let e = parse_opts(&args(&["priority", "70000"])).unwrap_err();
        assert!(e.stderr.contains("invalid priority"));
        let e = parse_opts(&args(&["bogus", "1"])).unwrap_err();
        assert!(e
            .stderr
            .starts_with("bridge: unknown command \"bogus\"?\nUsage: ... bridge"));
        assert_eq!(e.code, 1);
        assert_eq!(parse_opts(&args(&["stp_state"])).unwrap_err().code, 255);
    }

    #[test]
    fn bridge_ids_as_iproute2_prints_them() {
        let id = BridgeId {
            prio: 0x8000,
            addr: [0xde, 0xc2, 0x70, 0x09, 0x35, 0x2f],
        };
        assert_eq!(bridge_id(&id), "8000.de:c2:70:9:35:2f");
        assert_eq!(timer(1376), "  13.76");
    }
}
