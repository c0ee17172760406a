//! The kernel's receive path: any bytes arriving on a device — of a host, of a router that
//! forwards, of a bridge port — are taken apart (Ethernet, ARP, IPv4 with options, ICMP, UDP,
//! IPv6 neighbour discovery and MLD), answered or dropped, and nothing panics, however long
//! the timers they start run.
#![no_main]

use std::net::{IpAddr, Ipv4Addr};

use libfuzzer_sys::fuzz_target;
use tsunagi_engine::Duration;
use tsunagi_kernel::rtnl::{AddrReq, BridgeOpts};
use tsunagi_kernel::{Kernel, LinkChange, NsId, QueueEnv};

struct Lab {
    k: Kernel,
    env: QueueEnv,
    /// (namespace, ifindex, MAC) of the devices frames arrive on.
    ports: Vec<(NsId, u32, [u8; 6])>,
}

fn addr(k: &mut Kernel, env: &mut QueueEnv, ns: NsId, dev: &str, a: [u8; 4]) {
    let ifindex = k.link_index(ns, dev).expect("device");
    let req = AddrReq::new(ifindex, IpAddr::V4(Ipv4Addr::from(a)), 24);
    k.addr_add(ns, &req, env).expect("address");
}

fn up(k: &mut Kernel, env: &mut QueueEnv, ns: NsId, dev: &str) {
    let ifindex = k.link_index(ns, dev).expect("device");
    let change = LinkChange {
        up: Some(true),
        ..LinkChange::default()
    };
    k.link_set(ns, ifindex, &change, env).expect("up");
}

/// A host, a router (forwarding on) and a bridge with one port, each with a veth to feed.
fn lab() -> Lab {
    let (mut k, mut env) = QueueEnv::kernel(1);
    let root = k.root();
    let host = k.create_ns(&mut env);
    let router = k.create_ns(&mut env);
    k.link_add_veth(host, "h0", "x0", None, &mut env)
        .expect("veth");
    k.link_add_veth(router, "r0", "x1", None, &mut env)
        .expect("veth");
    k.link_add_veth(router, "r1", "x2", None, &mut env)
        .expect("veth");
    k.link_add_veth(root, "p0", "x3", None, &mut env)
        .expect("veth");
    k.link_add_bridge(root, "br0", &BridgeOpts::default(), &mut env)
        .expect("bridge");
    k.sysctl_set(router, "net.ipv4.ip_forward", "1", &mut env)
        .expect("forwarding");
    for (ns, dev) in [
        (host, "h0"),
        (host, "x0"),
        (router, "r0"),
        (router, "x1"),
        (router, "r1"),
        (router, "x2"),
        (root, "p0"),
        (root, "x3"),
        (root, "br0"),
    ] {
        up(&mut k, &mut env, ns, dev);
    }
    let p0 = k.link_index(root, "p0").expect("p0");
    let br0 = k.link_index(root, "br0").expect("br0");
    k.link_set(
        root,
        p0,
        &LinkChange {
            master: Some(br0),
            ..LinkChange::default()
        },
        &mut env,
    )
    .expect("port");
    addr(&mut k, &mut env, host, "h0", [192, 0, 2, 1]);
    addr(&mut k, &mut env, router, "r0", [192, 0, 2, 254]);
    addr(&mut k, &mut env, router, "r1", [198, 51, 100, 254]);
    addr(&mut k, &mut env, root, "br0", [203, 0, 113, 1]);
    env.run_for(&mut k, Duration::from_secs(5));
    let mut ports = Vec::new();
    for (ns, dev) in [(host, "h0"), (router, "r0"), (router, "r1"), (root, "p0")] {
        let link = k
            .link_dump(ns)
            .into_iter()
            .find(|l| l.name == dev)
            .expect("link");
        ports.push((ns, link.ifindex, link.address));
    }
    Lab { k, env, ports }
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, frame)) = data.split_first() else {
        return;
    };
    let mut lab = lab();
    let (ns, ifindex, mac) = lab.ports[usize::from(sel & 3)];
    let mut frame = frame.to_vec();
    // Half the inputs are addressed to the device, so that they get past the MAC check.
    if sel & 4 != 0 && frame.len() >= 6 {
        frame[..6].copy_from_slice(&mac);
    }
    let _ = lab.k.receive_frame(ns, ifindex, &frame, &mut lab.env);
    lab.env.run_for(&mut lab.k, Duration::from_secs(30));
});
