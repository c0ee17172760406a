//! Links and namespace ids through the rtnetlink-shaped interface: what `ip link` and
//! `ip netns` would see.

use tsunagi_kernel::rtnl::iff;
use tsunagi_kernel::{Errno, Kernel, LinkChange, QueueEnv};

fn setup() -> (Kernel, QueueEnv) {
    QueueEnv::kernel(1)
}

#[test]
fn a_veth_whose_ends_share_a_name_uses_up_an_ifindex() {
    let (mut k, mut env) = setup();
    let root = k.root();
    k.link_add_veth(root, "v0", "v1", None, &mut env).unwrap();
    let e = k
        .link_add_veth(root, "v0", "v2", None, &mut env)
        .unwrap_err();
    assert_eq!(e.errno, Errno::EEXIST);
    let e = k
        .link_add_veth(root, "v3", "v3", None, &mut env)
        .unwrap_err();
    assert_eq!(e.errno, Errno::EEXIST);
    k.link_add_veth(root, "v4", "veth0", None, &mut env)
        .unwrap();
    assert_eq!(k.link_index(root, "veth0"), Some(5));
    assert_eq!(k.link_index(root, "v4"), Some(6));
}

#[test]
fn an_up_link_can_be_renamed_and_given_an_alias_and_flags() {
    let (mut k, mut env) = setup();
    let root = k.root();
    k.link_add_veth(root, "v0", "v1", None, &mut env).unwrap();
    let up = LinkChange {
        up: Some(true),
        ..LinkChange::default()
    };
    k.link_set(root, 3, &up, &mut env).unwrap();
    let ch = LinkChange {
        name: Some("eth0".into()),
        alias: Some("uplink".into()),
        group: Some(5),
        flags: (iff::NOARP | iff::PROMISC, iff::NOARP | iff::PROMISC),
        ..LinkChange::default()
    };
    k.link_set(root, 3, &ch, &mut env).unwrap();
    let l = k
        .link_dump(root)
        .into_iter()
        .find(|l| l.ifindex == 3)
        .unwrap();
    assert_eq!(l.name, "eth0");
    assert_eq!(l.alias.as_deref(), Some("uplink"));
    assert_eq!(l.group, 5);
    assert_eq!(l.promiscuity, 1);
    assert_ne!(l.flags & iff::NOARP, 0);
    let clear = LinkChange {
        alias: Some(String::new()),
        ..LinkChange::default()
    };
    k.link_set(root, 3, &clear, &mut env).unwrap();
    let l = k
        .link_dump(root)
        .into_iter()
        .find(|l| l.ifindex == 3)
        .unwrap();
    assert_eq!(l.alias, None);
    let carrier = LinkChange {
        carrier: Some(false),
        ..LinkChange::default()
    };
    let e = k.link_set(root, 3, &carrier, &mut env).unwrap_err();
    assert_eq!(e.errno, Errno::EOPNOTSUPP);
}

#[test]
fn moving_a_link_gives_ids_as_the_kernel_does() {
    let (mut k, mut env) = setup();
    let root = k.root();
    let ns1 = k.create_ns(&mut env);
    let ns2 = k.create_ns(&mut env);
    k.link_add_veth(root, "a0", "a1", None, &mut env).unwrap();
    let to = |ns| LinkChange {
        netns: Some(ns),
        ..LinkChange::default()
    };
    let a0 = k.link_index(root, "a0").unwrap();
    k.link_set(root, a0, &to(ns1), &mut env).unwrap();
    // The old namespace names the new one; the new one names the peer's.
    assert_eq!(k.nsid_dump(root), vec![(0, ns1)]);
    assert_eq!(k.nsid_dump(ns1), vec![(0, root)]);
    let a1 = k.link_index(root, "a1").unwrap();
    k.link_set(root, a1, &to(ns2), &mut env).unwrap();
    assert_eq!(k.nsid_dump(root), vec![(0, ns1), (1, ns2)]);
    assert_eq!(k.nsid_dump(ns2), vec![(0, ns1)]);
    // ns1 names ns2 only once it lists its end of the pair.
    assert_eq!(k.nsid_dump(ns1), vec![(0, root)]);
    k.link_dump(ns1);
    assert_eq!(k.nsid_dump(ns1), vec![(0, root), (1, ns2)]);
}

#[test]
fn ip_netns_set_chooses_or_allocates_an_id_once() {
    let (mut k, mut env) = setup();
    let root = k.root();
    let red = k.create_ns(&mut env);
    let blue = k.create_ns(&mut env);
    assert_eq!(k.nsid_set(root, red, Some(7)), Ok(7));
    let e = k.nsid_set(root, red, Some(8)).unwrap_err();
    assert_eq!(e.extack, Some("Peer netns already has a nsid assigned"));
    let e = k.nsid_set(root, blue, Some(7)).unwrap_err();
    assert_eq!(e.extack, Some("The specified nsid is already used"));
    assert_eq!(k.nsid_set(root, blue, None), Ok(0));
    assert_eq!(k.nsid_dump(root), vec![(0, blue), (7, red)]);
}

#[test]
fn sysctls_per_device_follow_all_and_default() {
    let (mut k, mut env) = setup();
    let root = k.root();
    assert!(k
        .sysctl_get(root, "net.ipv4.neigh.default.base_reachable_time_ms")
        .is_err());
    assert_eq!(
        k.sysctl_get(root, "net.ipv4.neigh.lo.unres_qlen")
            .as_deref(),
        Ok("101")
    );
    k.sysctl_set(root, "net.ipv4.ip_forward", "1", &mut env)
        .unwrap();
    for key in [
        "net.ipv4.conf.all.forwarding",
        "net.ipv4.conf.default.forwarding",
        "net.ipv4.conf.lo.forwarding",
    ] {
        assert_eq!(k.sysctl_get(root, key).as_deref(), Ok("1"), "{key}");
    }
    assert_eq!(
        k.sysctl_get(root, "net.ipv4.conf.all.accept_redirects")
            .as_deref(),
        Ok("0")
    );
    // A new device starts from `default`.
    k.sysctl_set(root, "net.ipv6.conf.default.disable_ipv6", "1", &mut env)
        .unwrap();
    k.link_add_veth(root, "v0", "v1", None, &mut env).unwrap();
    assert_eq!(
        k.sysctl_get(root, "net.ipv6.conf.v0.disable_ipv6")
            .as_deref(),
        Ok("1")
    );
    assert_eq!(
        k.sysctl_get(root, "net.ipv4.conf.v0.forwarding").as_deref(),
        Ok("1")
    );
    assert_eq!(
        k.sysctl_set(root, "net.ipv4.conf.v9.forwarding", "1", &mut env),
        Err(Errno::ENOENT)
    );
    let keys = k.sysctl_keys(root);
    assert!(keys.contains(&"net.ipv4.neigh.v1.retrans_time_ms".to_string()));
    assert!(keys.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn a_frame_from_outside_arrives_on_a_device_and_is_answered() {
    use std::net::{IpAddr, Ipv4Addr};
    use tsunagi_kernel::rtnl::AddrReq;
    let (mut k, mut env) = setup();
    let root = k.root();
    k.link_add_veth(root, "v0", "v1", None, &mut env).unwrap();
    let v0 = k.link_index(root, "v0").unwrap();
    let v1 = k.link_index(root, "v1").unwrap();
    for i in [v0, v1] {
        let up = LinkChange {
            up: Some(true),
            ..LinkChange::default()
        };
        k.link_set(root, i, &up, &mut env).unwrap();
    }
    let a = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    k.addr_add(root, &AddrReq::new(v0, a, 24), &mut env)
        .unwrap();
    // An ARP request for 192.0.2.1 from 192.0.2.9, broadcast.
    let mut f = vec![0xff; 6];
    f.extend_from_slice(&[2, 0, 0, 0, 0, 9, 0x08, 0x06]);
    f.extend_from_slice(&[0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 9, 192, 0, 2, 9]);
    f.extend_from_slice(&[0, 0, 0, 0, 0, 0, 192, 0, 2, 1]);
    let before = k
        .link_dump(root)
        .into_iter()
        .find(|l| l.ifindex == v0)
        .unwrap();
    k.receive_frame(root, v0, &f, &mut env).unwrap();
    env.run_for(&mut k, tsunagi_engine::Duration::from_millis(1));
    let after = k
        .link_dump(root)
        .into_iter()
        .find(|l| l.ifindex == v0)
        .unwrap();
    assert_eq!(after.stats.rx_packets, before.stats.rx_packets + 1);
    // The reply went out of v0.
    assert_eq!(after.stats.tx_packets, before.stats.tx_packets + 1);
    assert_eq!(
        k.receive_frame(root, 99, &f, &mut env).unwrap_err(),
        Errno::ENODEV
    );
}
