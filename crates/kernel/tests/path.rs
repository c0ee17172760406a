//! The packet path end to end through the kernel alone: echo across routers, the errors
//! routers send, ARP failure, forwarding switched off.

use std::net::{IpAddr, Ipv4Addr};

use tsunagi_engine::Duration;
use tsunagi_kernel::rtnl::{nud, rt_table, rtn, rtprot, AddrReq, RouteMode, RouteReq};
use tsunagi_kernel::{
    Datagram, Errno, Kernel, LinkChange, NsId, QueueEnv, SockError, SockId, SockKind,
};

fn ip(a: [u8; 4]) -> Ipv4Addr {
    Ipv4Addr::from(a)
}

fn via(dst: [u8; 4], len: u8, gw: [u8; 4]) -> RouteReq {
    RouteReq {
        table: rt_table::MAIN,
        rtype: rtn::UNICAST,
        protocol: rtprot::BOOT,
        scope: None,
        dst: IpAddr::V4(ip(dst)),
        dst_len: len,
        oif: None,
        gateway: Some(IpAddr::V4(ip(gw))),
        prefsrc: None,
        priority: None,
        flags: 0,
    }
}

struct Lab {
    k: Kernel,
    env: QueueEnv,
    ns: Vec<NsId>,
}

impl Lab {
    /// The book's two-router lab: ns1 - router1 - router2 - ns2, without the routers' static
    /// routes.
    fn two_routers() -> Lab {
        let mut env = QueueEnv::new(3);
        let mut k = Kernel::new(&mut env);
        let ns: Vec<NsId> = (0..4).map(|_| k.create_ns(&mut env)).collect();
        let links = [
            (
                0,
                "ns1-veth0",
                [192, 0, 2, 1],
                1,
                "gw1-veth0",
                [192, 0, 2, 254],
            ),
            (
                1,
                "gw1-veth1",
                [203, 0, 113, 1],
                2,
                "gw2-veth0",
                [203, 0, 113, 2],
            ),
            (
                2,
                "gw2-veth1",
                [198, 51, 100, 254],
                3,
                "ns2-veth0",
                [198, 51, 100, 1],
            ),
        ];
        let root = k.root();
        for (a, an, aa, b, bn, ba) in links {
            k.link_add_veth(root, an, bn, None, &mut env).unwrap();
            for (name, n, addr) in [(an, ns[a], aa), (bn, ns[b], ba)] {
                let i = k.link_index(root, name).unwrap();
                let ch = LinkChange {
                    netns: Some(n),
                    ..Default::default()
                };
                k.link_set(root, i, &ch, &mut env).unwrap();
                let i = k.link_index(n, name).unwrap();
                k.addr_add(n, &AddrReq::new(i, IpAddr::V4(ip(addr)), 24), &mut env)
                    .unwrap();
                let up = LinkChange {
                    up: Some(true),
                    ..Default::default()
                };
                k.link_set(n, i, &up, &mut env).unwrap();
            }
        }
        k.route_add(
            ns[0],
            &via([0; 4], 0, [192, 0, 2, 254]),
            RouteMode::Add,
            &mut env,
        )
        .unwrap();
        k.route_add(
            ns[3],
            &via([0; 4], 0, [198, 51, 100, 254]),
            RouteMode::Add,
            &mut env,
        )
        .unwrap();
        for r in [ns[1], ns[2]] {
            k.sysctl_set(r, "net.ipv4.ip_forward", "1", &mut env)
                .unwrap();
        }
        Lab { k, env, ns }
    }

    fn static_routes(&mut self) {
        let (k, env) = (&mut self.k, &mut self.env);
        k.route_add(
            self.ns[1],
            &via([198, 51, 100, 0], 24, [203, 0, 113, 2]),
            RouteMode::Add,
            env,
        )
        .unwrap();
        k.route_add(
            self.ns[2],
            &via([192, 0, 2, 0], 24, [203, 0, 113, 1]),
            RouteMode::Add,
            env,
        )
        .unwrap();
    }

    /// Runs events for `d` of virtual time and returns what `sock` received.
    fn run(&mut self, sock: SockId, d: Duration) -> Vec<Datagram> {
        let end = self.env.queue.now() + d;
        let mut got = Vec::new();
        let w = std::task::Waker::noop();
        loop {
            while let Ok(Some(x)) = self.k.sock_poll_recv(sock, w) {
                got.push(x);
            }
            match self.env.queue.pop_until(end) {
                Some((_, ev)) => self.k.handle(ev, &mut self.env),
                None => return got,
            }
        }
    }
}

fn echo(seq: u16) -> Vec<u8> {
    let mut m = vec![8u8, 0, 0, 0, 0x12, 0x34, 0, seq as u8];
    m.extend_from_slice(&[0xa5; 56]);
    let c = tsunagi_kernel::wire::checksum(&m);
    m[2..4].copy_from_slice(&c.to_be_bytes());
    m
}

/// (ICMP type, code, source, TTL) of each packet.
fn summary(got: &[Datagram]) -> Vec<(u8, u8, Ipv4Addr, u8)> {
    got.iter()
        .map(|d| (d.data[20], d.data[21], d.from, d.ttl))
        .collect()
}

#[test]
fn echo_crosses_two_routers_with_ttl_62() {
    let mut lab = Lab::two_routers();
    lab.static_routes();
    let s = lab.k.sock_open(lab.ns[0], SockKind::RawIcmp).unwrap();
    lab.k
        .sock_send_to(s, ip([198, 51, 100, 1]), 0, &echo(1), &mut lab.env)
        .unwrap();
    let got = lab.run(s, Duration::from_secs(1));
    // The raw socket sees its own request? No: only packets delivered to this host.
    assert_eq!(summary(&got), vec![(0, 0, ip([198, 51, 100, 1]), 62)]);
    // The first round trip includes three ARP exchanges; it stays in the microseconds.
    let rtt = got[0].at.as_nanos();
    assert!(rtt > 50_000 && rtt < 1_000_000, "rtt {rtt} ns");
}

#[test]
fn a_router_without_a_route_answers_net_unreachable() {
    let mut lab = Lab::two_routers();
    let s = lab.k.sock_open(lab.ns[0], SockKind::RawIcmp).unwrap();
    lab.k
        .sock_send_to(s, ip([198, 51, 100, 1]), 0, &echo(1), &mut lab.env)
        .unwrap();
    let got = lab.run(s, Duration::from_secs(1));
    assert_eq!(summary(&got), vec![(3, 0, ip([192, 0, 2, 254]), 64)]);
    // The error quotes the whole original packet: 8 + 84 bytes of ICMP.
    assert_eq!(got[0].data.len(), 20 + 8 + 84);
}

#[test]
fn ttl_1_gets_time_exceeded_from_the_first_router() {
    let mut lab = Lab::two_routers();
    lab.static_routes();
    let s = lab.k.sock_open(lab.ns[0], SockKind::RawIcmp).unwrap();
    lab.k.sock_set_ttl(s, 1).unwrap();
    lab.k
        .sock_send_to(s, ip([198, 51, 100, 1]), 0, &echo(1), &mut lab.env)
        .unwrap();
    let got = lab.run(s, Duration::from_secs(1));
    assert_eq!(summary(&got), vec![(11, 0, ip([192, 0, 2, 254]), 64)]);
}

#[test]
fn forwarding_off_drops_silently() {
    let mut lab = Lab::two_routers();
    lab.static_routes();
    let r1 = lab.ns[1];
    lab.k
        .sysctl_set(r1, "net.ipv4.ip_forward", "0", &mut lab.env)
        .unwrap();
    let s = lab.k.sock_open(lab.ns[0], SockKind::RawIcmp).unwrap();
    lab.k
        .sock_send_to(s, ip([198, 51, 100, 1]), 0, &echo(1), &mut lab.env)
        .unwrap();
    assert!(lab.run(s, Duration::from_secs(5)).is_empty());
}

impl Lab {
    fn lo_up(&mut self, n: usize) {
        let ns = self.ns[n];
        let i = self.k.link_index(ns, "lo").unwrap();
        let up = LinkChange {
            up: Some(true),
            ..Default::default()
        };
        self.k.link_set(ns, i, &up, &mut self.env).unwrap();
    }

    fn errors(&mut self, sock: SockId) -> Vec<SockError> {
        let w = std::task::Waker::noop();
        let mut got = Vec::new();
        while let Ok(Some(e)) = self.k.sock_poll_err(sock, w) {
            got.push(e);
        }
        got
    }
}

#[test]
fn failed_arp_gives_host_unreachable_after_three_seconds() {
    let mut lab = Lab::two_routers();
    // The error goes to this host's own address: through lo, which must be up.
    lab.lo_up(0);
    let s = lab.k.sock_open(lab.ns[0], SockKind::RawIcmp).unwrap();
    lab.k
        .sock_send_to(s, ip([192, 0, 2, 9]), 0, &echo(1), &mut lab.env)
        .unwrap();
    let got = lab.run(s, Duration::from_millis(2_900));
    assert!(got.is_empty());
    let got = lab.run(s, Duration::from_millis(200));
    assert_eq!(summary(&got), vec![(3, 1, ip([192, 0, 2, 1]), 64)]);
    let n = lab.k.neigh_dump(lab.ns[0]);
    assert_eq!(
        n.iter().map(|x| x.state).collect::<Vec<_>>(),
        vec![nud::FAILED]
    );
}

#[test]
fn neighbours_go_stale_after_the_reachable_time() {
    let mut lab = Lab::two_routers();
    let s = lab.k.sock_open(lab.ns[0], SockKind::RawIcmp).unwrap();
    lab.k
        .sock_send_to(s, ip([192, 0, 2, 254]), 0, &echo(1), &mut lab.env)
        .unwrap();
    lab.run(s, Duration::from_secs(1));
    let state = |lab: &Lab| lab.k.neigh_dump(lab.ns[0])[0].state;
    assert_eq!(state(&lab), nud::REACHABLE);
    lab.run(s, Duration::from_secs(50));
    assert_eq!(state(&lab), nud::STALE);
    // The router learnt ns1 from its request: STALE at once.
    assert_eq!(lab.k.neigh_dump(lab.ns[1])[0].state, nud::STALE);
}

#[test]
fn with_lo_down_the_host_unreachable_error_is_lost() {
    let mut lab = Lab::two_routers();
    let s = lab.k.sock_open(lab.ns[0], SockKind::RawIcmp).unwrap();
    lab.k
        .sock_send_to(s, ip([192, 0, 2, 9]), 0, &echo(1), &mut lab.env)
        .unwrap();
    assert!(lab.run(s, Duration::from_secs(5)).is_empty());
    assert!(lab.errors(s).is_empty());
    // So is an echo to one's own address: lo's noop qdisc drops it.
    lab.k
        .sock_send_to(s, ip([192, 0, 2, 1]), 0, &echo(2), &mut lab.env)
        .unwrap();
    assert!(lab.run(s, Duration::from_secs(1)).is_empty());
}

#[test]
fn raw_sockets_queue_icmp_errors_about_their_echoes() {
    let mut lab = Lab::two_routers();
    lab.static_routes();
    let s = lab.k.sock_open(lab.ns[0], SockKind::RawIcmp).unwrap();
    lab.k.sock_set_ttl(s, 2).unwrap();
    lab.k
        .sock_send_to(s, ip([198, 51, 100, 1]), 0, &echo(7), &mut lab.env)
        .unwrap();
    lab.run(s, Duration::from_secs(1));
    let errs = lab.errors(s);
    assert_eq!(errs.len(), 1);
    let e = &errs[0];
    assert_eq!((e.icmp_type, e.icmp_code, e.local), (11, 0, None));
    assert_eq!(e.offender, ip([203, 0, 113, 2]));
    assert_eq!(e.dst, ip([198, 51, 100, 1]));
    // The quoted echo request: type, id 0x1234, sequence 7.
    assert_eq!(e.data[0], 8);
    assert_eq!(&e.data[4..8], &[0x12, 0x34, 0, 7]);
}

#[test]
fn too_big_for_the_mtu_is_a_local_error() {
    let mut lab = Lab::two_routers();
    let s = lab.k.sock_open(lab.ns[0], SockKind::RawIcmp).unwrap();
    let mut big = echo(1);
    big.resize(1481, 0);
    let r = lab
        .k
        .sock_send_to(s, ip([192, 0, 2, 254]), 0, &big, &mut lab.env);
    assert_eq!(r, Err(Errno::EMSGSIZE));
    let errs = lab.errors(s);
    assert_eq!(errs.len(), 1);
    assert_eq!((errs[0].local, errs[0].info), (Some(Errno::EMSGSIZE), 1500));
    // Beyond what an IP packet can carry: refused outright, nothing queued.
    big.resize(70_008, 0);
    let r = lab
        .k
        .sock_send_to(s, ip([192, 0, 2, 254]), 0, &big, &mut lab.env);
    assert_eq!(r, Err(Errno::EMSGSIZE));
    assert!(lab.errors(s).is_empty());
}

#[test]
fn connecting_to_a_broadcast_address_needs_so_broadcast() {
    let mut lab = Lab::two_routers();
    let s = lab.k.sock_open(lab.ns[0], SockKind::Udp).unwrap();
    assert_eq!(
        lab.k.sock_route_src(s, ip([192, 0, 2, 255])),
        Err(Errno::EACCES)
    );
    lab.k.sock_set_broadcast(s, true).unwrap();
    assert_eq!(
        lab.k.sock_route_src(s, ip([192, 0, 2, 255])),
        Ok(ip([192, 0, 2, 1]))
    );
}

#[test]
fn a_burst_to_an_unroutable_network_gets_two_net_unreachables() {
    // ip_error and icmp_send draw on the same tokens: 5 s of burst, 2 s per error.
    let mut lab = Lab::two_routers();
    let s = lab.k.sock_open(lab.ns[0], SockKind::RawIcmp).unwrap();
    for seq in 1..=6 {
        lab.k
            .sock_send_to(s, ip([198, 51, 100, 1]), 0, &echo(seq), &mut lab.env)
            .unwrap();
    }
    let got = lab.run(s, Duration::from_millis(500));
    assert_eq!(summary(&got).len(), 2);
    // A second later one more gets through.
    lab.run(s, Duration::from_millis(1_600));
    lab.k
        .sock_send_to(s, ip([198, 51, 100, 1]), 0, &echo(7), &mut lab.env)
        .unwrap();
    assert_eq!(lab.run(s, Duration::from_millis(100)).len(), 1);
}

#[test]
fn a_bound_device_without_a_route_is_assumed_on_link() {
    // gw1 has no default route.
    let mut lab = Lab::two_routers();
    let gw1 = lab.ns[1];
    let s = lab.k.sock_open(gw1, SockKind::Udp).unwrap();
    assert_eq!(
        lab.k.sock_route_src(s, ip([10, 9, 9, 9])),
        Err(Errno::ENETUNREACH)
    );
    lab.k.sock_bind_dev(s, "gw1-veth0").unwrap();
    assert_eq!(
        lab.k.sock_route_src(s, ip([10, 9, 9, 9])),
        Ok(ip([192, 0, 2, 254]))
    );
    // Through a device that is down there is no way at all.
    let lo = lab.k.sock_open(gw1, SockKind::Udp).unwrap();
    lab.k.sock_bind_dev(lo, "lo").unwrap();
    assert_eq!(
        lab.k.sock_route_src(lo, ip([192, 0, 2, 254])),
        Err(Errno::ENETUNREACH)
    );
    // The packet goes out on the named device: ARP for the destination itself.
    let r = lab.k.sock_open(gw1, SockKind::RawIcmp).unwrap();
    lab.k.sock_bind_dev(r, "gw1-veth0").unwrap();
    lab.k
        .sock_send_to(r, ip([10, 9, 9, 9]), 0, &echo(1), &mut lab.env)
        .unwrap();
    let dsts: Vec<_> = lab.k.neigh_dump(gw1).iter().map(|n| n.dst).collect();
    assert_eq!(dsts, vec![IpAddr::V4(ip([10, 9, 9, 9]))]);
}

#[test]
fn a_link_keeps_its_frames_in_order() {
    let mut lab = Lab::two_routers();
    lab.static_routes();
    let s = lab.k.sock_open(lab.ns[0], SockKind::RawIcmp).unwrap();
    // Resolve the neighbours first, then a burst sent at one instant.
    lab.k
        .sock_send_to(s, ip([198, 51, 100, 1]), 0, &echo(0), &mut lab.env)
        .unwrap();
    lab.run(s, Duration::from_secs(1));
    for seq in 1..=20 {
        lab.k
            .sock_send_to(s, ip([198, 51, 100, 1]), 0, &echo(seq), &mut lab.env)
            .unwrap();
    }
    let got = lab.run(s, Duration::from_secs(1));
    let seqs: Vec<u8> = got.iter().map(|d| d.data[27]).collect();
    assert_eq!(seqs, (1..=20).collect::<Vec<u8>>());
}

#[test]
fn destroying_a_namespace_takes_an_up_veth_pair_with_it() {
    let mut lab = Lab::two_routers();
    let (ns1, r1) = (lab.ns[0], lab.ns[1]);
    lab.k.destroy_ns(ns1, &mut lab.env);
    assert!(!lab.k.ns_alive(ns1));
    assert_eq!(lab.k.link_index(r1, "gw1-veth0"), None);
    assert!(lab.k.link_index(r1, "gw1-veth1").is_some());
    let s = lab.k.sock_open(r1, SockKind::RawIcmp).unwrap();
    lab.run(s, Duration::from_secs(5));
}
