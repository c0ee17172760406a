//! Forwarding allocates nothing per packet: once a chain of routers has resolved its
//! neighbours, sending more packets across it does not make more heap allocations.
//!
//! A counting global allocator counts the allocations this thread makes while a packet is
//! sent from h1, crosses every router and is consumed by h2 (which ignores echo requests, so
//! nothing is handed to a program), for a few packets and for many.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use tsunagi_engine::{Duration, Time};
use tsunagi_kernel::{Kernel, QueueEnv};

#[path = "support/chain.rs"]
mod chain;

use chain::Chain;

struct Counting;

thread_local! {
    /// Allocations made by this thread while counting is on; `None` while off.
    static ALLOCS: Cell<Option<u64>> = const { Cell::new(None) };
}

fn count_one() {
    // `try_with`: the allocator may run while thread-locals are being torn down.
    let _ = ALLOCS.try_with(|c| {
        if let Some(n) = c.get() {
            c.set(Some(n + 1));
        }
    });
}

// SAFETY: every call is passed straight to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns how many allocations it made on this thread.
fn allocations(f: impl FnOnce()) -> u64 {
    ALLOCS.with(|c| c.set(Some(0)));
    f();
    ALLOCS.with(|c| c.replace(None)).unwrap_or(0)
}

/// Packets h2's device has received.
fn h2_rx(c: &mut Chain) -> u64 {
    let h2 = *c.nodes.last().expect("h2");
    let links = c.k.link_dump(h2);
    links
        .iter()
        .find(|l| l.name != "lo")
        .map_or(0, |l| l.stats.rx_packets)
}

/// Sends `n` echo requests from h1 to h2, one after the other, each run until it has crossed
/// the chain (a veth hop takes at most 20 µs; neighbour timers are seconds away).
fn send(c: &mut Chain, n: usize) {
    let limit = Duration::from_micros(25 * c.hops as u64);
    for _ in 0..n {
        let Chain { k, env, .. } = c;
        k.sock_send_to(c.sock, c.dst, 0, &c.echo, env)
            .expect("send");
        let until: Time = env.queue.now() + limit;
        while let Some((_, ev)) = env.queue.pop_until(until) {
            Kernel::handle(k, ev, env);
        }
    }
}

#[test]
fn forwarding_allocates_nothing_per_packet() {
    // 10 routers: 11 hops from h1 to h2.
    let mut c = Chain::new(10);
    let h2 = *c.nodes.last().expect("h2");
    c.k.sysctl_set(h2, "net.ipv4.icmp_echo_ignore_all", "1", &mut c.env)
        .expect("sysctl");
    // Warm up: anything that grows to a steady size (queues, pools) does so now.
    send(&mut c, 10);

    let before = h2_rx(&mut c);
    let few = allocations(|| send(&mut c, 10));
    let many = allocations(|| send(&mut c, 1000));
    assert_eq!(
        h2_rx(&mut c) - before,
        1010,
        "every packet crossed the chain"
    );
    assert_eq!(
        (few, many),
        (0, 0),
        "allocations while forwarding 10 and 1000 packets"
    );
}

/// h1, h2 and h3 on one bridge in a namespace of its own, IPv6 off; returns the kernel, its
/// environment, h1's raw ICMP socket and the namespaces (h1, h2, h3, the bridge's).
fn bridged() -> (
    Kernel,
    QueueEnv,
    tsunagi_kernel::SockId,
    Vec<tsunagi_kernel::NsId>,
) {
    use std::net::{IpAddr, Ipv4Addr};
    use tsunagi_kernel::rtnl::{AddrReq, BridgeOpts};
    use tsunagi_kernel::{LinkChange, SockKind};
    let (mut k, mut env) = QueueEnv::kernel(1);
    let root = k.root();
    let nodes: Vec<_> = (0..4).map(|_| k.create_ns(&mut env)).collect();
    for ns in &nodes {
        k.sysctl_set(*ns, "net.ipv6.conf.default.disable_ipv6", "1", &mut env)
            .expect("ipv6 off");
    }
    let sw = nodes[3];
    k.link_add_bridge(sw, "br0", &BridgeOpts::default(), &mut env)
        .expect("bridge");
    let br = k.link_index(sw, "br0").expect("br0");
    let up = LinkChange {
        up: Some(true),
        ..Default::default()
    };
    for (i, h) in nodes[..3].iter().enumerate() {
        let (a, b) = (format!("h{i}"), format!("p{i}"));
        k.link_add_veth(root, &a, &b, None, &mut env).expect("veth");
        for (name, ns) in [(&a, *h), (&b, sw)] {
            let idx = k.link_index(root, name).expect("dev");
            let to = LinkChange {
                netns: Some(ns),
                ..Default::default()
            };
            k.link_set(root, idx, &to, &mut env).expect("netns");
            let idx = k.link_index(ns, name).expect("dev");
            k.link_set(ns, idx, &up, &mut env).expect("up");
        }
        let idx = k.link_index(*h, &a).expect("dev");
        let ip = IpAddr::V4(Ipv4Addr::new(192, 0, 2, i as u8 + 1));
        k.addr_add(*h, &AddrReq::new(idx, ip, 24), &mut env)
            .expect("addr");
        let port = k.link_index(sw, &b).expect("port");
        let join = LinkChange {
            master: Some(br),
            ..Default::default()
        };
        k.link_set(sw, port, &join, &mut env).expect("master");
    }
    k.link_set(sw, br, &up, &mut env).expect("br0 up");
    for h in &nodes[1..3] {
        k.sysctl_set(*h, "net.ipv4.icmp_echo_ignore_all", "1", &mut env)
            .expect("sysctl");
    }
    let sock = k.sock_open(nodes[0], SockKind::RawIcmp).expect("socket");
    // Let what links do by themselves when they come up (the bridge's membership reports,
    // dropped with IPv6 off) be over before anything is counted.
    let until = env.queue.now() + Duration::from_secs(3);
    while let Some((_, ev)) = env.queue.pop_until(until) {
        Kernel::handle(&mut k, ev, &mut env);
    }
    (k, env, sock, nodes)
}

/// Sends `n` echo requests from h1 to `dst` through the bridge, each run to its end.
fn send_bridged(
    k: &mut Kernel,
    env: &mut QueueEnv,
    sock: tsunagi_kernel::SockId,
    dst: std::net::Ipv4Addr,
    echo: &[u8],
    n: usize,
) {
    for _ in 0..n {
        k.sock_send_to(sock, dst, 0, echo, env).expect("send");
        let until: Time = env.queue.now() + Duration::from_micros(100);
        while let Some((_, ev)) = env.queue.pop_until(until) {
            Kernel::handle(k, ev, env);
        }
    }
}

/// Frames a namespace's one veth has received.
fn rx_of(k: &mut Kernel, ns: tsunagi_kernel::NsId) -> u64 {
    k.link_dump(ns)
        .iter()
        .find(|l| l.name != "lo")
        .map_or(0, |l| l.stats.rx_packets)
}

#[test]
fn bridging_allocates_nothing_per_frame() {
    use std::net::Ipv4Addr;
    let (mut k, mut env, sock, nodes) = bridged();
    let echo = chain::echo();
    let h2 = Ipv4Addr::new(192, 0, 2, 2);
    // Known unicast: after the first exchange (ARP, learning) h2's frames go to h2 alone.
    send_bridged(&mut k, &mut env, sock, h2, &echo, 10);
    let (rx2, rx3) = (rx_of(&mut k, nodes[1]), rx_of(&mut k, nodes[2]));
    let known = allocations(|| send_bridged(&mut k, &mut env, sock, h2, &echo, 1000));
    assert_eq!(rx_of(&mut k, nodes[1]) - rx2, 1000, "h2 got every frame");
    assert_eq!(rx_of(&mut k, nodes[2]), rx3, "h3 got none of them");
    // Unknown unicast: a neighbour whose MAC no port has shown floods to h2 and h3 alike.
    let ghost = Ipv4Addr::new(192, 0, 2, 9);
    let h1 = k.link_index(nodes[0], "h0").expect("h0");
    let req = tsunagi_kernel::rtnl::NeighReq {
        ifindex: h1,
        dst: std::net::IpAddr::V4(ghost),
        lladdr: Some([0x02, 0, 0, 0, 0, 0x99]),
        state: tsunagi_kernel::rtnl::nud::PERMANENT,
        flags: 0,
    };
    k.neigh_add(
        nodes[0],
        &req,
        tsunagi_kernel::rtnl::RouteMode::Add,
        &mut env,
    )
    .expect("neigh");
    send_bridged(&mut k, &mut env, sock, ghost, &echo, 10);
    let (rx2, rx3) = (rx_of(&mut k, nodes[1]), rx_of(&mut k, nodes[2]));
    let flooded = allocations(|| send_bridged(&mut k, &mut env, sock, ghost, &echo, 1000));
    assert_eq!(rx_of(&mut k, nodes[1]) - rx2, 1000, "flooded to h2");
    assert_eq!(rx_of(&mut k, nodes[2]) - rx3, 1000, "flooded to h3");
    assert_eq!(
        (known, flooded),
        (0, 0),
        "allocations while bridging 1000 known and 1000 unknown unicast frames"
    );
}
