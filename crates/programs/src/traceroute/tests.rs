//! traceroute in labs built through the kernel directly.

use tsunagi_lab::NsId;

use crate::testlab::TestLab;

/// ns1 - r1 - r2 - ns2, routed and forwarding.
fn chain() -> (TestLab, NsId, [NsId; 3]) {
    let t = TestLab::new(5);
    let (ns1, r1, r2, ns2) = (t.ns("ns1"), t.ns("r1"), t.ns("r2"), t.ns("ns2"));
    t.veth((ns1, "a0", [192, 0, 2, 1]), (r1, "a1", [192, 0, 2, 254]));
    t.veth((r1, "b0", [203, 0, 113, 1]), (r2, "b1", [203, 0, 113, 2]));
    t.veth(
        (r2, "c0", [198, 51, 100, 254]),
        (ns2, "c1", [198, 51, 100, 1]),
    );
    t.route(ns1, [0, 0, 0, 0], 0, [192, 0, 2, 254]);
    t.route(r1, [198, 51, 100, 0], 24, [203, 0, 113, 2]);
    t.route(r2, [192, 0, 2, 0], 24, [203, 0, 113, 1]);
    t.route(ns2, [0, 0, 0, 0], 0, [198, 51, 100, 254]);
    for r in [r1, r2] {
        t.sysctl(r, "net.ipv4.ip_forward", "1");
    }
    (t, ns1, [r1, r2, ns2])
}

/// The lines with the times masked as the goldens mask them.
fn masked(out: &str) -> String {
    out.split(' ')
        .map(|w| {
            if w.contains('.')
                && w.parse::<f64>().is_ok()
                && w.len() > 4
                && w.chars().filter(|c| *c == '.').count() == 1
            {
                "T"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn udp_probes_hop_by_hop() {
    let (t, ns1, _) = chain();
    let (out, st) = t.run(ns1, "traceroute -n 198.51.100.1");
    assert_eq!(st, 0);
    assert_eq!(
        masked(&out),
        "traceroute to 198.51.100.1 (198.51.100.1), 30 hops max, 60 byte packets\n \
         1  192.0.2.254  T ms  T ms  T ms\n \
         2  203.0.113.2  T ms  T ms  T ms\n \
         3  198.51.100.1  T ms  T ms  T ms\n"
    );
}

#[test]
fn icmp_probes_and_names() {
    let (t, ns1, _) = chain();
    t.write_file("/etc/hosts", "192.0.2.254 gw\n");
    let (out, _) = t.run(ns1, "traceroute -I -q 1 198.51.100.1");
    assert_eq!(
        masked(&out),
        "traceroute to 198.51.100.1 (198.51.100.1), 30 hops max, 60 byte packets\n \
         1  gw (192.0.2.254)  T ms\n \
         2  203.0.113.2 (203.0.113.2)  T ms\n \
         3  198.51.100.1 (198.51.100.1)  T ms\n"
    );
}

#[test]
fn silence_is_a_star_after_the_wait() {
    let (t, ns1, [_, r2, _]) = chain();
    t.sysctl(r2, "net.ipv4.ip_forward", "0");
    let start = t.lab.sys().now();
    let (out, st) = t.run(ns1, "traceroute -n -m 3 -w 1 198.51.100.1");
    assert_eq!(st, 0);
    assert_eq!(
        masked(&out),
        "traceroute to 198.51.100.1 (198.51.100.1), 3 hops max, 60 byte packets\n \
         1  192.0.2.254  T ms  T ms  T ms\n \
         2  * * *\n \
         3  * * *\n"
    );
    // Every probe was in flight at once: one wait of a second for all of them.
    let took = t.lab.sys().now().since(start).as_millis();
    assert!((1000..1100).contains(&took), "{took} ms");
}

#[test]
fn unreachable_network_and_the_rate_limit() {
    let t = TestLab::new(9);
    let (ns1, r1) = (t.ns("ns1"), t.ns("r1"));
    t.veth((ns1, "a0", [192, 0, 2, 1]), (r1, "a1", [192, 0, 2, 254]));
    t.route(ns1, [0, 0, 0, 0], 0, [192, 0, 2, 254]);
    t.sysctl(r1, "net.ipv4.ip_forward", "1");
    let (out, _) = t.run(ns1, "traceroute -n 198.51.100.1");
    assert_eq!(
        masked(&out),
        "traceroute to 198.51.100.1 (198.51.100.1), 30 hops max, 60 byte packets\n \
         1  192.0.2.254  T ms !N  T ms !N *\n"
    );
}

#[test]
fn errors_of_setup() {
    let (t, ns1, _) = chain();
    assert_eq!(
        t.run(ns1, "traceroute -n -i nosuchdev 192.0.2.254"),
        (
            "traceroute to 192.0.2.254 (192.0.2.254), 30 hops max, 60 byte packets\nsetsockopt SO_BINDTODEVICE: No such device\n".to_string(),
            1
        )
    );
    assert_eq!(
        t.run(ns1, "traceroute -q 11 192.0.2.254"),
        ("no more than 10 probes per hop\n".to_string(), 2)
    );
    assert_eq!(
        t.run(ns1, "traceroute -I -s 203.0.113.9 192.0.2.254"),
        ("\nbind: Cannot assign requested address\n".to_string(), 1)
    );
    for args in [
        "traceroute -",
        "traceroute --",
        "traceroute -w 1e999 x",
        "traceroute -z -1 192.0.2.254",
        "traceroute -g 192.0.2.254 192.0.2.254",
        "traceroute -N 0 -q 1 -m 2 192.0.2.254",
        "traceroute -n -q 1 -w inf -m 1 192.0.2.254",
    ] {
        let (_, st) = t.run(ns1, args);
        assert!((0..=2).contains(&st), "{args}: {st}");
    }
}

#[test]
fn waits_beyond_what_poll_takes_are_forever() {
    // poll(2) gets an int of milliseconds: longer (or NaN) waits never time out, as on
    // Linux. Nothing else can happen, so the run ends without an exit status.
    let (t, ns1, _) = chain();
    let pid = t.spawn(ns1, "traceroute -n -m 2 -q 1 -z 1e300 192.0.2.254");
    assert_eq!(t.lab.run_until_exit(pid), None);
    assert!(t.take().starts_with("traceroute to 192.0.2.254"));
    let (out, st) = t.run(ns1, "traceroute -n -q 1 -w 1e300 192.0.2.254");
    assert_eq!(st, 0);
    assert!(
        out.ends_with(" 1  192.0.2.254  T ms\n".replace('T', "").as_str())
            || out.contains(" 1  192.0.2.254  ")
    );
}
