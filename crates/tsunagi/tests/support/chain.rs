//! A chain of routers driven straight through the kernel and the event queue, shared by the
//! forwarding benchmark and the test that forwarding allocates nothing per packet.
//!
//! `h1 - r1 - ... - rN - h2`: an ICMP echo from h1 to h2 and its reply cross
//! 2 × (N + 1) veth hops, each a delivery, a route lookup, a TTL decrement and a neighbour
//! lookup.

#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Wake, Waker};

use tsunagi_engine::Duration;
use tsunagi_kernel::rtnl::{rt_table, rtn, rtprot, AddrReq, RouteMode, RouteReq};
use tsunagi_kernel::{Kernel, LinkChange, NsId, QueueEnv, SockId, SockKind};

fn net(i: u32) -> [u8; 3] {
    [10, (i / 256) as u8, (i % 256) as u8]
}

fn addr(i: u32, host: u8) -> Ipv4Addr {
    let n = net(i);
    Ipv4Addr::new(n[0], n[1], n[2], host)
}

fn route(dst: Ipv4Addr, len: u8, via: Ipv4Addr) -> RouteReq {
    RouteReq {
        table: rt_table::MAIN,
        rtype: rtn::UNICAST,
        protocol: rtprot::BOOT,
        scope: None,
        dst: IpAddr::V4(dst),
        dst_len: len,
        oif: None,
        gateway: Some(IpAddr::V4(via)),
        prefsrc: None,
        priority: None,
        flags: 0,
    }
}

/// Set when h1's socket wakes its reader, as a program's task would be woken.
struct Woken(AtomicBool);

impl Wake for Woken {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A built chain with a raw ICMP socket open in h1.
pub struct Chain {
    pub k: Kernel,
    pub env: QueueEnv,
    /// h1, r1 ... rN, h2.
    pub nodes: Vec<NsId>,
    pub sock: SockId,
    /// h2's address.
    pub dst: Ipv4Addr,
    /// An ICMP echo request (checksum included).
    pub echo: Vec<u8>,
    /// Veth hops of one round trip.
    pub hops: usize,
    woken: Arc<Woken>,
    waker: Waker,
}

impl Chain {
    /// h1 - r1 - ... - rN - h2, with every neighbour resolved by a first round trip.
    pub fn new(n: u32) -> Chain {
        let mut env = QueueEnv::new(1);
        let k = Kernel::new(&mut env);
        let mut c = Chain {
            k,
            env,
            nodes: Vec::new(),
            sock: SockId(0),
            dst: addr(n, 2),
            echo: echo(),
            hops: 2 * (n as usize + 1),
            woken: Arc::new(Woken(AtomicBool::new(false))),
            waker: Waker::noop().clone(),
        };
        c.waker = Waker::from(c.woken.clone());
        c.build(n);
        c.sock =
            c.k.sock_open(c.nodes[0], SockKind::RawIcmp)
                .expect("socket");
        // More than 63 routers are more than the default TTL of 64 lets a packet cross.
        c.k.sock_set_ttl(c.sock, 255).expect("ttl");
        // Resolve every neighbour first, then let the entries learned from requests pass
        // DELAY and PROBE to REACHABLE, as on a link that has carried traffic for a while.
        c.round_trip();
        c.env.run_for(&mut c.k, Duration::from_secs(6));
        c
    }

    fn build(&mut self, n: u32) {
        let (k, env) = (&mut self.k, &mut self.env);
        let root = k.root();
        let nodes: Vec<NsId> = (0..n + 2).map(|_| k.create_ns(env)).collect();
        // IPv6 off, so that what crosses the chain is the echoes alone (no MLD reports or
        // router solicitations of links coming up).
        for ns in &nodes {
            k.sysctl_set(*ns, "net.ipv6.conf.default.disable_ipv6", "1", env)
                .expect("ipv6 off");
        }
        for i in 0..=n {
            let (a, b) = (format!("l{i}a"), format!("l{i}b"));
            k.link_add_veth(root, &a, &b, None, env).expect("veth");
            for (name, ns, host) in [
                (&a, nodes[i as usize], 1u8),
                (&b, nodes[i as usize + 1], 2u8),
            ] {
                let idx = k.link_index(root, name).expect("dev");
                k.link_set(
                    root,
                    idx,
                    &LinkChange {
                        netns: Some(ns),
                        ..Default::default()
                    },
                    env,
                )
                .expect("netns");
                let idx = k.link_index(ns, name).expect("dev");
                k.addr_add(ns, &AddrReq::new(idx, IpAddr::V4(addr(i, host)), 24), env)
                    .expect("addr");
                k.link_set(
                    ns,
                    idx,
                    &LinkChange {
                        up: Some(true),
                        ..Default::default()
                    },
                    env,
                )
                .expect("up");
            }
        }
        let any = Ipv4Addr::UNSPECIFIED;
        k.route_add(nodes[0], &route(any, 0, addr(0, 2)), RouteMode::Add, env)
            .expect("h1");
        k.route_add(
            nodes[n as usize + 1],
            &route(any, 0, addr(n, 1)),
            RouteMode::Add,
            env,
        )
        .expect("h2");
        for i in 1..=n {
            let r = nodes[i as usize];
            k.sysctl_set(r, "net.ipv4.ip_forward", "1", env)
                .expect("forward");
            if i < n {
                k.route_add(r, &route(any, 0, addr(i, 2)), RouteMode::Add, env)
                    .expect("fwd");
            }
            if i > 1 {
                k.route_add(
                    r,
                    &route(addr(0, 0), 24, addr(i - 1, 1)),
                    RouteMode::Add,
                    env,
                )
                .expect("back");
            }
        }
        // The reply needs a TTL that outlives the chain too.
        k.sysctl_set(nodes[n as usize + 1], "net.ipv4.ip_default_ttl", "255", env)
            .expect("ttl");
        self.nodes = nodes;
    }

    /// Sends one echo and runs the queue until the reply reaches h1's socket; returns the
    /// number of events handled. The socket is read only when it says it has something, as
    /// a program's task is polled only when woken.
    pub fn round_trip(&mut self) -> usize {
        let (k, env) = (&mut self.k, &mut self.env);
        k.sock_send_to(self.sock, self.dst, 0, &self.echo, env)
            .expect("send");
        let mut events = 0;
        let mut ready = true;
        loop {
            if ready {
                if let Ok(Some(_)) = k.sock_poll_recv(self.sock, &self.waker) {
                    return events;
                }
            }
            let Some((_, ev)) = env.queue.pop() else {
                return events;
            };
            events += 1;
            k.handle(ev, env);
            ready = self.woken.0.swap(false, Ordering::Relaxed);
        }
    }
}

pub fn echo() -> Vec<u8> {
    let mut m = vec![8u8, 0, 0, 0, 0x12, 0x34, 0, 1];
    m.extend_from_slice(&[0u8; 56]);
    let c = tsunagi_kernel::wire::checksum(&m);
    m[2..4].copy_from_slice(&c.to_be_bytes());
    m
}
