//! Bridges through the rtnetlink-shaped interface: what `ip link` and `bridge fdb` would see
//! as ports join, frames cross and entries age.

use tsunagi_engine::Duration;
use tsunagi_kernel::rtnl::{br_state, iff, ntf, nud, BridgeOpts, FdbReq, LinkMsg, OperState};
use tsunagi_kernel::{Env, Errno, Kernel, LinkChange, NsId, QueueEnv};

fn setup() -> (Kernel, QueueEnv) {
    QueueEnv::kernel(1)
}

/// Runs every event due up to `t` from now.
fn run_for(k: &mut Kernel, env: &mut QueueEnv, t: Duration) {
    env.run_for(k, t);
}

fn link(k: &mut Kernel, ns: NsId, name: &str) -> LinkMsg {
    k.link_dump(ns)
        .into_iter()
        .find(|l| l.name == name)
        .expect("link")
}

fn set(k: &mut Kernel, env: &mut QueueEnv, ns: NsId, name: &str, ch: LinkChange) {
    let i = k.link_index(ns, name).expect("dev");
    k.link_set(ns, i, &ch, env).expect("link set");
}

fn mac(ch: [u8; 6]) -> LinkChange {
    LinkChange {
        address: Some(ch),
        ..Default::default()
    }
}

fn up() -> LinkChange {
    LinkChange {
        up: Some(true),
        ..Default::default()
    }
}

fn master(i: u32) -> LinkChange {
    LinkChange {
        master: Some(i),
        ..Default::default()
    }
}

#[test]
fn the_bridge_takes_its_lowest_port_address_and_zero_without_ports() {
    let (mut k, mut env) = setup();
    let root = k.root();
    k.link_add_bridge(root, "br0", &BridgeOpts::default(), &mut env)
        .unwrap();
    let random = link(&mut k, root, "br0").address;
    assert_eq!(
        random[0] & 0x03,
        0x02,
        "a random locally administered address"
    );
    k.link_add_veth(root, "v0", "v1", None, &mut env).unwrap();
    k.link_add_veth(root, "v2", "v3", None, &mut env).unwrap();
    set(&mut k, &mut env, root, "v0", mac([2, 0, 0, 0, 0, 0x20]));
    set(&mut k, &mut env, root, "v2", mac([2, 0, 0, 0, 0, 0x10]));
    let br = k.link_index(root, "br0").unwrap();
    set(&mut k, &mut env, root, "v0", master(br));
    assert_eq!(link(&mut k, root, "br0").address, [2, 0, 0, 0, 0, 0x20]);
    set(&mut k, &mut env, root, "v2", master(br));
    assert_eq!(link(&mut k, root, "br0").address, [2, 0, 0, 0, 0, 0x10]);
    set(
        &mut k,
        &mut env,
        root,
        "v2",
        LinkChange {
            master: Some(0),
            ..Default::default()
        },
    );
    assert_eq!(link(&mut k, root, "br0").address, [2, 0, 0, 0, 0, 0x20]);
    set(
        &mut k,
        &mut env,
        root,
        "v0",
        LinkChange {
            master: Some(0),
            ..Default::default()
        },
    );
    assert_eq!(link(&mut k, root, "br0").address, [0; 6]);
    // A bridge cannot be a port, nor leave its namespace.
    k.link_add_bridge(root, "br1", &BridgeOpts::default(), &mut env)
        .unwrap();
    let br1 = k.link_index(root, "br1").unwrap();
    let e = k.link_set(root, br1, &master(br), &mut env).unwrap_err();
    assert_eq!(e.extack, Some("Can not enslave a bridge to a bridge"));
    let other = k.create_ns(&mut env);
    let to = LinkChange {
        netns: Some(other),
        ..Default::default()
    };
    assert_eq!(
        k.link_set(root, br1, &to, &mut env).unwrap_err().errno,
        Errno::EINVAL
    );
}

#[test]
fn carrier_and_port_states_follow_the_ports() {
    let (mut k, mut env) = setup();
    let root = k.root();
    k.link_add_bridge(root, "br0", &BridgeOpts::default(), &mut env)
        .unwrap();
    set(&mut k, &mut env, root, "br0", up());
    // Alone and up: carrier, but the state is not known yet.
    let b = link(&mut k, root, "br0");
    assert_eq!(
        (b.flags & iff::LOWER_UP != 0, b.operstate),
        (true, OperState::Unknown)
    );
    k.link_add_veth(root, "v0", "v1", None, &mut env).unwrap();
    let br = k.link_index(root, "br0").unwrap();
    set(&mut k, &mut env, root, "v0", master(br));
    let b = link(&mut k, root, "br0");
    assert_eq!((b.flags & iff::LOWER_UP, b.operstate), (0, OperState::Down));
    assert_eq!(
        link(&mut k, root, "v0").brport.map(|p| p.state),
        Some(br_state::DISABLED)
    );
    set(&mut k, &mut env, root, "v0", up());
    set(&mut k, &mut env, root, "v1", up());
    let p = link(&mut k, root, "v0").brport.unwrap();
    assert_eq!(
        (p.state, p.port_id, p.cost),
        (br_state::FORWARDING, 0x8001, 2)
    );
    assert_eq!(link(&mut k, root, "br0").operstate, OperState::Up);
    // The peer going down takes the port's carrier, and so the bridge's.
    set(
        &mut k,
        &mut env,
        root,
        "v1",
        LinkChange {
            up: Some(false),
            ..Default::default()
        },
    );
    assert_eq!(
        link(&mut k, root, "v0").brport.map(|p| p.state),
        Some(br_state::DISABLED)
    );
    assert_eq!(link(&mut k, root, "br0").operstate, OperState::Down);
}

#[test]
fn spanning_tree_ports_listen_and_learn_for_a_forward_delay_each() {
    let (mut k, mut env) = setup();
    let root = k.root();
    let opts = BridgeOpts {
        stp_state: Some(1),
        forward_delay: Some(100),
        ..Default::default()
    };
    k.link_add_bridge(root, "br0", &opts, &mut env).unwrap();
    // Kernel STP raises a forward delay under 2 s to 2 s.
    assert_eq!(link(&mut k, root, "br0").bridge.unwrap().forward_delay, 200);
    k.link_add_veth(root, "v0", "v1", None, &mut env).unwrap();
    let br = k.link_index(root, "br0").unwrap();
    set(&mut k, &mut env, root, "v0", master(br));
    for d in ["br0", "v1", "v0"] {
        set(&mut k, &mut env, root, d, up());
    }
    let state = |k: &mut Kernel| link(k, root, "v0").brport.unwrap().state;
    assert_eq!(state(&mut k), br_state::LISTENING);
    run_for(&mut k, &mut env, Duration::from_millis(1999));
    assert_eq!(state(&mut k), br_state::LISTENING);
    run_for(&mut k, &mut env, Duration::from_millis(2));
    assert_eq!(state(&mut k), br_state::LEARNING);
    assert_eq!(link(&mut k, root, "br0").flags & iff::LOWER_UP, 0);
    run_for(&mut k, &mut env, Duration::from_secs(2));
    assert_eq!(state(&mut k), br_state::FORWARDING);
    let b = link(&mut k, root, "br0");
    assert_ne!(b.flags & iff::LOWER_UP, 0);
    // The topology change: entries age after twice the forward delay for a while.
    let info = b.bridge.unwrap();
    assert_eq!((info.topology_change, info.ageing_time), (1, 400));
    run_for(&mut k, &mut env, Duration::from_secs(22));
    assert_eq!(link(&mut k, root, "br0").bridge.unwrap().ageing_time, 30000);
}

#[test]
fn user_entries_and_their_errors() {
    let (mut k, mut env) = setup();
    let root = k.root();
    k.link_add_bridge(root, "br0", &BridgeOpts::default(), &mut env)
        .unwrap();
    k.link_add_veth(root, "v0", "v1", None, &mut env).unwrap();
    let br = k.link_index(root, "br0").unwrap();
    let v0 = k.link_index(root, "v0").unwrap();
    let v1 = k.link_index(root, "v1").unwrap();
    set(&mut k, &mut env, root, "v0", master(br));
    let req = |ifindex, flags, state| FdbReq {
        ifindex,
        mac: [2, 0, 0, 0, 0, 9],
        flags,
        state,
        excl: true,
    };
    // A dynamic entry needs a port that learns; the port is disabled.
    let e = k
        .fdb_add(root, &req(v0, ntf::MASTER, nud::REACHABLE), &mut env)
        .unwrap_err();
    assert_eq!(e.errno, Errno::EPERM);
    k.fdb_add(root, &req(v0, ntf::MASTER, nud::NOARP), &mut env)
        .unwrap();
    let e = k
        .fdb_add(root, &req(v0, ntf::MASTER, nud::NOARP), &mut env)
        .unwrap_err();
    assert_eq!(e.errno, Errno::EEXIST);
    // `master` on a device that is no port.
    let e = k
        .fdb_add(root, &req(v1, ntf::MASTER, nud::PERMANENT), &mut env)
        .unwrap_err();
    assert_eq!(e.errno, Errno::EOPNOTSUPP);
    let now = env.now();
    let v0_entries: Vec<_> = k
        .fdb_dump(root, None, Some(v0), now)
        .into_iter()
        .filter(|e| e.master.is_some())
        .map(|e| (e.mac, e.state))
        .collect();
    // Newest first: the user's static entry, then the port's own address.
    assert_eq!(v0_entries[0], ([2, 0, 0, 0, 0, 9], nud::NOARP));
    assert_eq!(v0_entries[1].1, nud::PERMANENT);
    k.fdb_del(root, &req(v0, ntf::MASTER, 0)).unwrap();
    assert_eq!(
        k.fdb_del(root, &req(v0, ntf::MASTER, 0)).unwrap_err().errno,
        Errno::ENOENT
    );
}
