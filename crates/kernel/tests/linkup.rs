//! What a link sends by itself when it comes up, as Linux 6 does: the DAD neighbour
//! solicitation, MLDv2 reports, router solicitations; and what it does not send (a router's
//! solicitations, anything while down, anything on a MAC change). Frames are read off the
//! wire as they cross a veth.

use std::net::Ipv6Addr;

use tsunagi_engine::{Duration, Time};
use tsunagi_kernel::{Kernel, LinkChange, NetEvent, NsId, QueueEnv};

/// One frame seen on the wire: when, from which MAC, and what it is.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    at: Time,
    src_mac: [u8; 6],
    what: String,
}

fn ip6(b: &[u8]) -> Ipv6Addr {
    let mut o = [0u8; 16];
    o.copy_from_slice(&b[..16]);
    Ipv6Addr::from(o)
}

/// A short description of an IPv6 frame, checking what every such frame must be: multicast
/// MAC of the destination group, flow label 0, the right hop limit, a good checksum.
fn describe(f: &[u8]) -> String {
    assert_eq!(&f[12..14], &[0x86, 0xdd], "IPv6 only");
    let ip = &f[14..];
    assert_eq!(
        &ip[0..4],
        &[0x60, 0, 0, 0],
        "traffic class and flow label 0"
    );
    let plen = usize::from(u16::from_be_bytes([ip[4], ip[5]]));
    assert_eq!(ip.len(), 40 + plen, "no padding");
    let (src, dst) = (ip6(&ip[8..]), ip6(&ip[24..]));
    assert_eq!(&f[0..2], &[0x33, 0x33]);
    assert_eq!(&f[2..6], &dst.octets()[12..]);
    let (nh, hlim) = (ip[6], ip[7]);
    let (icmp, want_hlim) = if nh == 0 {
        // Hop-by-hop header: router alert, PadN.
        assert_eq!(&ip[40..48], &[58, 0, 5, 2, 0, 0, 1, 0]);
        (&ip[48..], 1)
    } else {
        assert_eq!(nh, 58);
        (&ip[40..], 255)
    };
    assert_eq!(hlim, want_hlim);
    // The checksum over the pseudo-header sums to 0xffff.
    let mut acc: u64 = 0;
    let mut add = |b: &[u8]| {
        for c in b.chunks(2) {
            acc += u64::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
        }
    };
    add(&src.octets());
    add(&dst.octets());
    add(&(icmp.len() as u32).to_be_bytes());
    add(&[0, 0, 0, 58]);
    add(icmp);
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    assert_eq!(acc, 0xffff, "ICMPv6 checksum");
    let from = if src.is_unspecified() {
        "::".to_string()
    } else {
        assert_eq!(src.segments()[0], 0xfe80);
        "ll".to_string()
    };
    match icmp[0] {
        135 => {
            let target = ip6(&icmp[8..]);
            assert_eq!(&icmp[24..26], &[14, 1], "nonce option");
            format!("ns {from} who-has {target}")
        }
        133 => {
            assert_eq!(&icmp[8..10], &[1, 1], "source link-layer option");
            assert_eq!(&icmp[10..16], &f[6..12]);
            format!("rs {from}")
        }
        143 => {
            let n = usize::from(u16::from_be_bytes([icmp[6], icmp[7]]));
            let recs: Vec<String> = (0..n)
                .map(|i| {
                    let r = &icmp[8 + 20 * i..];
                    let t = match r[0] {
                        3 => "to_in",
                        4 => "to_ex",
                        _ => "?",
                    };
                    format!("{t} {}", ip6(&r[4..]))
                })
                .collect();
            format!("mld {from} [{}]", recs.join(", "))
        }
        t => format!("icmp6 {t}"),
    }
}

struct Lab {
    k: Kernel,
    env: QueueEnv,
    a: NsId,
    b: NsId,
    seen: Vec<Seen>,
}

impl Lab {
    /// a0 in namespace a, b0 in namespace b, both down.
    fn new(seed: u64) -> Lab {
        let mut env = QueueEnv::new(seed);
        let mut k = Kernel::new(&mut env);
        let (a, b) = (k.create_ns(&mut env), k.create_ns(&mut env));
        let root = k.root();
        k.link_add_veth(root, "a0", "b0", None, &mut env).unwrap();
        for (name, ns) in [("a0", a), ("b0", b)] {
            let i = k.link_index(root, name).unwrap();
            let ch = LinkChange {
                netns: Some(ns),
                ..Default::default()
            };
            k.link_set(root, i, &ch, &mut env).unwrap();
        }
        Lab {
            k,
            env,
            a,
            b,
            seen: Vec::new(),
        }
    }

    fn set(&mut self, ns: NsId, dev: &str, ch: LinkChange) {
        let i = self.k.link_index(ns, dev).unwrap();
        self.k.link_set(ns, i, &ch, &mut self.env).unwrap();
    }

    fn up(&mut self, ns: NsId, dev: &str, up: bool) {
        self.set(
            ns,
            dev,
            LinkChange {
                up: Some(up),
                ..Default::default()
            },
        );
    }

    fn run_for(&mut self, d: Duration) {
        let until = self.env.queue.now() + d;
        while let Some((at, ev)) = self.env.queue.pop_until(until) {
            if let NetEvent::Rx { frame, .. } = &ev {
                let f = self.k.frame_bytes(*frame).unwrap().to_vec();
                let mut src_mac = [0; 6];
                src_mac.copy_from_slice(&f[6..12]);
                self.seen.push(Seen {
                    at,
                    src_mac,
                    what: describe(&f),
                });
            }
            self.k.handle(ev, &mut self.env);
        }
    }

    fn mac(&mut self, ns: NsId, dev: &str) -> [u8; 6] {
        let links = self.k.link_dump(ns);
        links.iter().find(|l| l.name == dev).unwrap().address
    }

    /// What `dev` sent, in order, and clears the record.
    fn sent_by(&mut self, ns: NsId, dev: &str) -> Vec<Seen> {
        let mac = self.mac(ns, dev);
        let (mine, rest) = self.seen.drain(..).partition(|s| s.src_mac == mac);
        self.seen = rest;
        mine
    }
}

fn ll(mac: [u8; 6]) -> Ipv6Addr {
    tsunagi_kernel::link_local(mac)
}

fn solicited(a: Ipv6Addr) -> Ipv6Addr {
    let o = a.octets();
    Ipv6Addr::new(
        0xff02,
        0,
        0,
        0,
        0,
        1,
        0xff00 | u16::from(o[13]),
        u16::from_be_bytes([o[14], o[15]]),
    )
}

fn whats(v: &[Seen]) -> Vec<String> {
    v.iter().map(|s| s.what.clone()).collect()
}

#[test]
fn a_host_link_coming_up_sends_dad_mld_and_router_solicitations() {
    for seed in 1..20 {
        let mut lab = Lab::new(seed);
        let (a, b) = (lab.a, lab.b);
        lab.up(b, "b0", true);
        lab.run_for(Duration::from_secs(1));
        assert!(lab.seen.is_empty(), "nothing without carrier");
        let t0 = lab.env.queue.now();
        lab.up(a, "a0", true);
        lab.run_for(Duration::from_secs(16));
        let mac = lab.mac(a, "a0");
        let addr = ll(mac);
        let g = solicited(addr);
        let sent = lab.sent_by(a, "a0");
        let mld_tentative = format!("mld :: [to_ex {g}]");
        let mld_valid = format!("mld ll [to_ex {g}]");
        let ns = format!("ns :: who-has {addr}");
        let mut w = whats(&sent);
        // The DAD solicitation goes at a random time within the first second, which may be
        // before the first report (two jiffies after the link is up).
        let ns_at = w.iter().position(|x| *x == ns).expect("a DAD solicitation");
        let t_ns = sent[ns_at].at;
        assert!(t_ns < t0 + Duration::from_secs(1));
        w.remove(ns_at);
        assert_eq!(
            w,
            vec![
                mld_tentative.clone(),
                mld_tentative,
                mld_valid.clone(),
                "rs ll".to_string(),
                mld_valid,
                "rs ll".to_string(),
                "rs ll".to_string(),
            ],
            "seed {seed}"
        );
        let rs: Vec<Time> = sent
            .iter()
            .filter(|s| s.what == "rs ll")
            .map(|s| s.at)
            .collect();
        // DAD ends one retransmission time (1 s) after the solicitation; the first router
        // solicitation goes then, the next about 4 s (±10 %) later, then about 8 s more.
        // (Times are when frames arrive: a veth hop adds some microseconds.)
        let near = |t: Time, want: Time| t.0.abs_diff(want.0) < 50_000;
        assert!(near(rs[0], t_ns + Duration::from_secs(1)));
        let gap1 = rs[1].since(rs[0]).as_millis();
        let gap2 = rs[2].since(rs[1]).as_millis();
        assert!((3600..=4400).contains(&gap1), "{gap1}");
        assert!((6840..=9240).contains(&gap2), "{gap2}");
        // The first report two jiffies after the link came up.
        let first_mld = sent.iter().find(|s| s.what.starts_with("mld")).unwrap();
        assert!(near(first_mld.at, t0 + Duration::from_millis(8)));
        // What b0 sent too: it came up with a0's carrier.
        let b_sent = whats(&lab.sent_by(b, "b0"));
        assert_eq!(b_sent.iter().filter(|x| x.starts_with("ns")).count(), 1);
        assert_eq!(b_sent.iter().filter(|x| x.starts_with("mld")).count(), 4);
        // ip -s link counts them: 86 + 4 * 90 + 3 * 70 bytes.
        let st = lab
            .k
            .link_dump(a)
            .into_iter()
            .find(|l| l.name == "a0")
            .unwrap()
            .stats;
        assert_eq!((st.tx_packets, st.tx_bytes), (8, 656));
    }
}

#[test]
fn a_router_sends_no_router_solicitation_and_reports_the_router_groups() {
    let mut lab = Lab::new(5);
    let (a, b) = (lab.a, lab.b);
    lab.k
        .sysctl_set(a, "net.ipv6.conf.all.forwarding", "1", &mut lab.env)
        .unwrap();
    lab.up(b, "b0", true);
    lab.up(a, "a0", true);
    lab.run_for(Duration::from_secs(10));
    let g = solicited(ll(lab.mac(a, "a0")));
    let mut w = whats(&lab.sent_by(a, "a0"));
    w.retain(|x| !x.starts_with("ns"));
    let first = format!("mld :: [to_ex {g}, to_ex ff05::2, to_ex ff02::2]");
    let initial = format!("mld ll [to_ex ff02::1:ff00:0, to_ex {g}, to_ex ff05::2, to_ex ff02::2]");
    let anycast = "mld ll [to_ex ff02::1:ff00:0]".to_string();
    assert_eq!(w.len(), 6, "{w:?}");
    assert_eq!(&w[..3], &[first.clone(), first, initial.clone()]);
    assert_eq!(w[3], anycast);
    // The second round of each, in either order.
    let mut rest = w[4..].to_vec();
    rest.sort();
    let mut want = vec![initial, anycast];
    want.sort();
    assert_eq!(rest, want);
}

#[test]
fn down_sends_nothing_and_up_reports_again_and_a_new_mac_keeps_the_link_local_address() {
    let mut lab = Lab::new(9);
    let (a, b) = (lab.a, lab.b);
    lab.up(b, "b0", true);
    lab.up(a, "a0", true);
    lab.run_for(Duration::from_secs(3));
    let old = ll(lab.mac(a, "a0"));
    lab.seen.clear();
    // A new MAC while up: nothing is sent and the link-local address stays.
    let new_mac = [0x02, 0, 0, 0, 0, 1];
    lab.set(
        a,
        "a0",
        LinkChange {
            address: Some(new_mac),
            ..Default::default()
        },
    );
    lab.run_for(Duration::from_millis(3500));
    assert!(whats(&lab.seen).iter().all(|x| x.starts_with("rs")));
    lab.seen.clear();
    let addrs = lab.k.addr_dump(a);
    assert!(addrs.iter().any(|m| m.local == std::net::IpAddr::V6(old)));
    // Down: nothing; up: the old solicited-node group is left, the new one joined.
    lab.up(a, "a0", false);
    lab.run_for(Duration::from_secs(2));
    assert!(lab.seen.is_empty());
    lab.up(a, "a0", true);
    lab.run_for(Duration::from_secs(3));
    let new = ll(new_mac);
    let w = whats(&lab.sent_by(a, "a0"));
    let first = format!(
        "mld :: [to_in {}, to_ex {}]",
        solicited(old),
        solicited(new)
    );
    assert_eq!(w.iter().filter(|x| **x == first).count(), 2, "{w:?}");
    assert!(w.contains(&format!("ns :: who-has {new}")));
    assert!(w.contains(&format!("mld ll [to_ex {}]", solicited(new))));
}

#[test]
fn a_peer_going_down_and_up_makes_the_link_report_its_groups_again_without_dad() {
    let mut lab = Lab::new(11);
    let (a, b) = (lab.a, lab.b);
    lab.up(b, "b0", true);
    lab.up(a, "a0", true);
    lab.run_for(Duration::from_secs(3));
    lab.seen.clear();
    lab.up(b, "b0", false);
    lab.run_for(Duration::from_millis(200));
    lab.up(b, "b0", true);
    lab.run_for(Duration::from_millis(1100));
    let g = solicited(ll(lab.mac(a, "a0")));
    let w = whats(&lab.sent_by(a, "a0"));
    let w: Vec<String> = w.into_iter().filter(|x| !x.starts_with("rs")).collect();
    assert_eq!(w, vec![format!("mld ll [to_ex {g}]"); 2]);
}

#[test]
fn two_ends_with_one_address_the_later_solicitation_loses() {
    for seed in 1..10 {
        let mut lab = Lab::new(seed);
        let (a, b) = (lab.a, lab.b);
        let mac = [0, 0, 0x5e, 0, 0x53, 1];
        for (ns, dev) in [(a, "a0"), (b, "b0")] {
            lab.set(
                ns,
                dev,
                LinkChange {
                    address: Some(mac),
                    ..Default::default()
                },
            );
        }
        lab.up(b, "b0", true);
        lab.up(a, "a0", true);
        lab.run_for(Duration::from_secs(3));
        let failed = |lab: &mut Lab, ns: NsId| {
            lab.k
                .addr_dump(ns)
                .iter()
                .any(|m| m.flags & tsunagi_kernel::rtnl::ifa::DADFAILED != 0)
        };
        let (fa, fb) = (failed(&mut lab, a), failed(&mut lab, b));
        assert!(fa != fb, "seed {seed}: exactly one end fails ({fa}, {fb})");
        // The loser heard the winner's solicitation before sending its own: one was sent.
        let all = whats(&lab.seen);
        assert_eq!(
            all.iter().filter(|x| x.starts_with("ns")).count(),
            1,
            "{all:?}"
        );
    }
}

#[test]
fn zero_intervals_do_not_stop_the_clock() {
    let mut lab = Lab::new(3);
    let (a, b) = (lab.a, lab.b);
    for key in [
        "net.ipv6.conf.a0.router_solicitation_interval",
        "net.ipv6.conf.a0.router_solicitation_max_interval",
        "net.ipv6.conf.a0.router_solicitation_delay",
        "net.ipv6.conf.a0.mldv2_unsolicited_report_interval",
    ] {
        lab.k.sysctl_set(a, key, "0", &mut lab.env).unwrap();
    }
    lab.up(b, "b0", true);
    lab.up(a, "a0", true);
    lab.run_for(Duration::from_millis(1500));
    // Solicitations every jiffy once DAD is done (at most a second and a bit in): finitely many.
    let rs = whats(&lab.sent_by(a, "a0"))
        .iter()
        .filter(|x| x.starts_with("rs"))
        .count();
    assert!(rs > 0 && rs <= 1500 / 4 + 1, "{rs}");
}
