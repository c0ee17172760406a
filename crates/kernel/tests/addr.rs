//! Addresses and the routes they bring, as Linux keeps them: the order of a device's
//! addresses, primaries and secondaries, the local and broadcast routes and their sources,
//! what survives a link going down, and what `ip route add` / `ip route get` answer.

use std::net::{IpAddr, Ipv4Addr};

use tsunagi_kernel::rtnl::{
    rt_table, rtcf, rtm_f, rtn, rtnh, rtprot, scope, AddrReq, RouteGetReq, RouteMode, RouteMsg,
    RouteReq,
};
use tsunagi_kernel::{Errno, Kernel, LinkChange, NsId, QueueEnv};

fn v4(s: &str) -> IpAddr {
    IpAddr::V4(s.parse::<Ipv4Addr>().expect("address"))
}

/// A namespace with a veth pair v0 (index 3) / v1 (index 2), both down.
struct Lab {
    k: Kernel,
    env: QueueEnv,
    ns: NsId,
}

impl Lab {
    fn new() -> Lab {
        let mut env = QueueEnv::new(1);
        let mut k = Kernel::new(&mut env);
        let ns = k.create_ns(&mut env);
        k.link_add_veth(ns, "v0", "v1", None, &mut env)
            .expect("veth");
        Lab { k, env, ns }
    }

    fn idx(&self, dev: &str) -> u32 {
        self.k.link_index(self.ns, dev).expect("device")
    }

    fn set_up(&mut self, dev: &str, up: bool) {
        let i = self.idx(dev);
        let ch = LinkChange {
            up: Some(up),
            ..Default::default()
        };
        self.k
            .link_set(self.ns, i, &ch, &mut self.env)
            .expect("link set");
    }

    fn add(&mut self, dev: &str, a: &str, len: u8, sc: Option<u8>) -> Result<(), Errno> {
        let mut req = AddrReq::new(self.idx(dev), v4(a), len);
        req.scope = sc;
        self.k
            .addr_add(self.ns, &req, &mut self.env)
            .map_err(|e| e.errno)
    }

    fn del(&mut self, dev: &str, a: &str, len: u8) {
        let req = AddrReq::new(self.idx(dev), v4(a), len);
        self.k
            .addr_del(self.ns, &req, &mut self.env)
            .expect("addr del");
    }

    /// The IPv4 addresses of `dev` as `ip -br addr` lists them, "s" marking secondaries.
    fn addrs(&self, dev: &str) -> Vec<String> {
        let i = self.idx(dev);
        self.k
            .addr_dump(self.ns)
            .into_iter()
            .filter(|a| a.ifindex == i && a.local.is_ipv4())
            .map(|a| {
                let sec = if a.flags & 1 != 0 { "s" } else { "" };
                format!("{}/{}{sec}", a.local, a.prefixlen)
            })
            .collect()
    }

    /// The IPv4 routes, one short line each: type, destination, device, source, flags.
    fn routes(&self, table: u32) -> Vec<String> {
        self.k
            .route_dump(self.ns, false)
            .into_iter()
            .filter(|r| r.table == table)
            .map(|r| {
                let dev = self
                    .k
                    .link_name(self.ns, r.oif.unwrap_or(0))
                    .unwrap_or_default();
                let src = r.prefsrc.map(|s| s.to_string()).unwrap_or_default();
                let down = if r.flags & rtnh::LINKDOWN != 0 {
                    " linkdown"
                } else {
                    ""
                };
                format!("{} {}/{} {dev} {src}{down}", r.rtype, r.dst, r.dst_len)
            })
            .collect()
    }

    fn route_add(
        &mut self,
        dst: &str,
        len: u8,
        gw: Option<&str>,
        dev: Option<&str>,
    ) -> Result<(), Errno> {
        self.route_add_src(dst, len, gw, dev, None)
    }

    fn route_add_src(
        &mut self,
        dst: &str,
        len: u8,
        gw: Option<&str>,
        dev: Option<&str>,
        src: Option<&str>,
    ) -> Result<(), Errno> {
        let req = RouteReq {
            table: rt_table::MAIN,
            rtype: rtn::UNICAST,
            protocol: rtprot::BOOT,
            scope: None,
            dst: v4(dst),
            dst_len: len,
            oif: dev.map(|d| self.idx(d)),
            gateway: gw.map(v4),
            prefsrc: src.map(v4),
            priority: None,
            flags: 0,
        };
        self.k
            .route_add(self.ns, &req, RouteMode::Add, &mut self.env)
            .map_err(|e| e.errno)
    }

    fn get(&mut self, dst: &str, from: Option<&str>) -> Result<RouteMsg, Errno> {
        let req = RouteGetReq {
            dst: Some(v4(dst)),
            src: from.map(v4),
            ..RouteGetReq::default()
        };
        self.k
            .route_get(self.ns, &req, &mut self.env)
            .map_err(|e| e.errno)
    }
}

#[test]
fn primaries_by_scope_then_secondaries() {
    let mut l = Lab::new();
    l.add("v0", "192.0.2.1", 24, None).unwrap();
    l.add("v0", "192.0.2.2", 24, None).unwrap();
    l.add("v0", "10.0.0.1", 8, Some(scope::LINK)).unwrap();
    l.add("v0", "198.51.100.1", 24, None).unwrap();
    l.add("v0", "127.1.0.1", 8, None).unwrap();
    // The same address with another prefix length is another primary.
    l.add("v0", "192.0.2.1", 16, None).unwrap();
    assert_eq!(
        l.addrs("v0"),
        [
            "127.1.0.1/8",
            "10.0.0.1/8",
            "192.0.2.1/24",
            "198.51.100.1/24",
            "192.0.2.1/16",
            "192.0.2.2/24s"
        ]
    );
    assert_eq!(l.add("v0", "192.0.2.1", 24, None), Err(Errno::EEXIST));
    // A secondary must have its primary's scope.
    assert_eq!(
        l.add("v0", "10.0.0.2", 8, Some(scope::HOST)),
        Err(Errno::EINVAL)
    );
    // 0.0.0.0 is accepted and dropped.
    assert_eq!(l.add("v0", "0.0.0.0", 8, None), Ok(()));
    assert_eq!(l.addrs("v0").len(), 6);
}

#[test]
fn routes_of_addresses_once_with_the_primary_as_source() {
    let mut l = Lab::new();
    l.add("v0", "192.0.2.1", 24, None).unwrap();
    l.add("v0", "192.0.2.9", 24, None).unwrap();
    l.set_up("v0", true);
    // v1 is down: v0 has no carrier, and its routes say so, but for the local ones.
    assert_eq!(
        l.routes(rt_table::LOCAL),
        [
            "2 192.0.2.1/32 v0 192.0.2.1",
            "2 192.0.2.9/32 v0 192.0.2.1",
            "3 192.0.2.255/32 v0 192.0.2.1 linkdown"
        ]
    );
    assert_eq!(
        l.routes(rt_table::MAIN),
        ["1 192.0.2.0/24 v0 192.0.2.1 linkdown"]
    );
    l.set_up("v1", true);
    assert_eq!(
        l.routes(rt_table::LOCAL)[2],
        "3 192.0.2.255/32 v0 192.0.2.1"
    );
    // Down again: the local routes stay, the others go.
    l.set_up("v0", false);
    assert_eq!(
        l.routes(rt_table::LOCAL),
        ["2 192.0.2.1/32 v0 192.0.2.1", "2 192.0.2.9/32 v0 192.0.2.1"]
    );
    assert!(l.routes(rt_table::MAIN).is_empty());
    // Up once more: nothing twice.
    l.set_up("v0", true);
    assert_eq!(l.routes(rt_table::LOCAL).len(), 3);
    assert_eq!(l.routes(rt_table::MAIN).len(), 1);
}

#[test]
fn deleting_keeps_what_another_address_still_needs() {
    let mut l = Lab::new();
    l.set_up("v0", true);
    l.add("v0", "192.0.2.1", 24, None).unwrap();
    l.add("v0", "192.0.2.1", 16, None).unwrap();
    l.add("v0", "192.0.2.2", 24, None).unwrap();
    l.route_add_src("203.0.113.0", 24, None, Some("v0"), Some("192.0.2.1"))
        .unwrap();
    l.route_add("203.0.114.0", 24, None, Some("v0")).unwrap();
    // The /24 primary takes its secondary along; its local route stays for the /16.
    l.del("v0", "192.0.2.1", 24);
    assert_eq!(l.addrs("v0"), ["192.0.2.1/16"]);
    assert_eq!(
        l.routes(rt_table::LOCAL),
        [
            "2 192.0.2.1/32 v0 192.0.2.1",
            "3 192.0.255.255/32 v0 192.0.2.1 linkdown"
        ]
    );
    assert_eq!(l.routes(rt_table::MAIN).len(), 3);
    // The last address gone, every route through the device goes.
    l.del("v0", "192.0.2.1", 16);
    assert!(l.routes(rt_table::LOCAL).is_empty());
    assert!(l.routes(rt_table::MAIN).is_empty());
}

#[test]
fn route_add_checks_the_next_hop() {
    let mut l = Lab::new();
    l.add("v0", "192.0.2.1", 24, None).unwrap();
    l.set_up("v0", true);
    l.set_up("v1", true);
    assert_eq!(
        l.route_add("198.51.100.0", 24, None, None),
        Err(Errno::ENODEV)
    );
    assert_eq!(
        l.route_add("198.51.100.0", 24, Some("203.0.113.1"), None),
        Err(Errno::ENETUNREACH)
    );
    assert_eq!(
        l.route_add("198.51.100.0", 24, Some("192.0.2.254"), Some("v1")),
        Err(Errno::ENETUNREACH)
    );
    // One of our own addresses is a gateway through its device.
    l.route_add("198.51.100.0", 24, Some("192.0.2.1"), None)
        .unwrap();
    let r =
        l.k.route_dump(l.ns, false)
            .into_iter()
            .find(|r| r.dst == v4("198.51.100.0"))
            .expect("route");
    assert_eq!(r.oif, Some(l.idx("v0")));
    assert_eq!(r.gateway, Some(v4("192.0.2.1")));
}

#[test]
fn route_get_answers_as_linux() {
    let mut l = Lab::new();
    l.add("v0", "192.0.2.1", 24, None).unwrap();
    l.add("v0", "192.0.2.9", 24, None).unwrap();
    l.set_up("v0", true);
    l.set_up("v1", true);
    l.route_add("0.0.0.0", 0, Some("192.0.2.254"), None)
        .unwrap();
    // A local destination: the main table is named, the source is the local route's.
    let r = l.get("192.0.2.9", None).unwrap();
    assert_eq!((r.table, r.rtype), (rt_table::MAIN, rtn::LOCAL));
    assert_eq!(r.prefsrc, Some(v4("192.0.2.1")));
    assert_eq!(r.cache_flags, Some(rtcf::LOCAL));
    // With a source asked for, no source is given back.
    let r = l.get("8.8.8.8", Some("192.0.2.9")).unwrap();
    assert_eq!((r.src, r.prefsrc), (Some(v4("192.0.2.9")), None));
    assert_eq!(
        l.get("8.8.8.8", Some("203.0.113.5")),
        Err(Errno::ENETUNREACH)
    );
    let r = l.get("255.255.255.255", None).unwrap();
    assert_eq!((r.rtype, r.gateway), (rtn::BROADCAST, None));
    assert_eq!(r.cache_flags, Some(rtcf::BROADCAST | rtcf::LOCAL));
    let r = l.get("224.0.0.1", None).unwrap();
    assert_eq!((r.rtype, r.gateway), (rtn::MULTICAST, None));
    assert_eq!(r.cache_flags, Some(rtcf::MULTICAST | rtcf::LOCAL));
    let req = RouteGetReq {
        dst: Some(v4("192.0.2.7")),
        notify: true,
        ..RouteGetReq::default()
    };
    let r = l.k.route_get(l.ns, &req, &mut l.env).unwrap();
    assert_eq!(r.flags & rtm_f::NOTIFY, rtm_f::NOTIFY);
    assert_eq!(r.cache_flags, Some(rtcf::NOTIFY));
}

#[test]
fn promote_secondaries_keeps_the_prefix_with_a_new_primary() {
    let mut l = Lab::new();
    l.set_up("v0", true);
    l.add("v0", "192.0.2.1", 24, None).unwrap();
    l.add("v0", "10.0.0.1", 8, None).unwrap();
    l.add("v0", "192.0.2.2", 24, None).unwrap();
    l.add("v0", "192.0.2.3", 24, None).unwrap();
    l.k.sysctl_set(
        l.ns,
        "net.ipv4.conf.v0.promote_secondaries",
        "1",
        &mut l.env,
    )
    .unwrap();
    l.del("v0", "192.0.2.1", 24);
    // The first secondary becomes a primary, after the primaries of the same scope; the
    // other one stays a secondary, of it now.
    assert_eq!(
        l.addrs("v0"),
        ["10.0.0.1/8", "192.0.2.2/24", "192.0.2.3/24s"]
    );
    let local = l.routes(rt_table::LOCAL);
    assert!(local.contains(&"2 192.0.2.3/32 v0 192.0.2.2".to_string()));
    assert!(local.contains(&"3 192.0.2.255/32 v0 192.0.2.2 linkdown".to_string()));
    assert!(l
        .routes(rt_table::MAIN)
        .contains(&"1 192.0.2.0/24 v0 192.0.2.2 linkdown".to_string()));
}

#[test]
fn notify_sticks_to_the_next_hops_cached_route_until_a_change() {
    let mut l = Lab::new();
    l.add("v0", "192.0.2.1", 24, None).unwrap();
    l.set_up("v0", true);
    l.set_up("v1", true);
    let notify = |l: &mut Lab, dst: &str, ask: bool| {
        let req = RouteGetReq {
            dst: Some(v4(dst)),
            notify: ask,
            ..RouteGetReq::default()
        };
        let r = l.k.route_get(l.ns, &req, &mut l.env).unwrap();
        r.cache_flags.unwrap_or(0) & rtcf::NOTIFY != 0
    };
    assert!(!notify(&mut l, "192.0.2.7", false));
    assert!(notify(&mut l, "192.0.2.7", true));
    // Another destination through the same next hop shares its cached route.
    assert!(notify(&mut l, "192.0.2.8", false));
    l.route_add("198.51.100.0", 24, Some("192.0.2.254"), None)
        .unwrap();
    assert!(!notify(&mut l, "192.0.2.8", false));
}

#[test]
fn deletion_matches_the_prefix_only_when_given() {
    let mut l = Lab::new();
    l.add("v0", "192.0.2.1", 24, None).unwrap();
    l.add("v0", "192.0.2.1", 16, None).unwrap();
    l.add("v0", "198.51.100.1", 24, None).unwrap();
    // With IFA_ADDRESS (`ip address del 192.0.2.1/16`): that prefix only.
    let mut req = AddrReq::new(l.idx("v0"), v4("192.0.2.1"), 16);
    req.peer = Some(v4("192.0.2.1"));
    l.k.addr_del(l.ns, &req, &mut l.env).unwrap();
    assert_eq!(l.addrs("v0"), ["192.0.2.1/24", "198.51.100.1/24"]);
    req.prefixlen = 32;
    assert_eq!(
        l.k.addr_del(l.ns, &req, &mut l.env).map_err(|e| e.errno),
        Err(Errno::EADDRNOTAVAIL)
    );
    // Without (`ip address del 198.51.100.1`): whatever its prefix.
    l.del("v0", "198.51.100.1", 32);
    assert_eq!(l.addrs("v0"), ["192.0.2.1/24"]);
}

#[test]
fn route_get_for_a_packet_coming_in() {
    let mut l = Lab::new();
    l.add("v0", "192.0.2.1", 24, None).unwrap();
    l.set_up("v0", true);
    l.set_up("v1", true);
    l.route_add("0.0.0.0", 0, Some("192.0.2.254"), None)
        .unwrap();
    let get = |l: &mut Lab, dst: &str, from: &str| {
        let req = RouteGetReq {
            dst: Some(v4(dst)),
            src: Some(v4(from)),
            iif: Some(l.idx("v0")),
            ..RouteGetReq::default()
        };
        l.k.route_get(l.ns, &req, &mut l.env).map_err(|e| e.errno)
    };
    let r = get(&mut l, "192.0.2.1", "192.0.2.99").unwrap();
    assert_eq!((r.rtype, r.cache_flags), (rtn::LOCAL, Some(rtcf::LOCAL)));
    assert_eq!(r.uid, None);
    // Not a router: nothing is forwarded.
    assert_eq!(
        get(&mut l, "8.8.8.8", "192.0.2.99"),
        Err(Errno::EHOSTUNREACH)
    );
    // One of our own addresses as the source is martian.
    assert_eq!(get(&mut l, "192.0.2.1", "192.0.2.1"), Err(Errno::EINVAL));
    l.k.sysctl_set(l.ns, "net.ipv4.ip_forward", "1", &mut l.env)
        .unwrap();
    // Back out the way it came: a redirect is due.
    let r = get(&mut l, "8.8.8.8", "192.0.2.99").unwrap();
    assert_eq!(r.gateway, Some(v4("192.0.2.254")));
    assert_eq!(r.cache_flags, Some(rtcf::DOREDIRECT));
    // No destination is this host.
    let r = l.get("0.0.0.0", None).unwrap();
    assert_eq!((r.rtype, r.prefsrc), (rtn::LOCAL, Some(v4("127.0.0.1"))));
}

#[test]
fn ipv6_link_routes_in_the_order_links_were_configured() {
    let mut l = Lab::new();
    // v1 up first has no carrier; v0 up brings it on both, v0 configured first.
    l.set_up("v1", true);
    l.set_up("v0", true);
    let devs: Vec<String> =
        l.k.route_dump(l.ns, true)
            .into_iter()
            .filter(|r| r.table == rt_table::MAIN)
            .map(|r| l.k.link_name(l.ns, r.oif.unwrap_or(0)).unwrap_or_default())
            .collect();
    assert_eq!(devs, ["v0", "v1"]);
}
