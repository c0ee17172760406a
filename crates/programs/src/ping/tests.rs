//! ping in a lab built through the kernel directly: what the goldens cannot replay without a
//! shell (signals, the bytes on the wire) and the arithmetic of the summary.

use tsunagi_lab::{NsId, Signal, SockKind, Time};

use super::{fmt_triptime, llsqrt};
use crate::testlab::TestLab;

/// ns1 192.0.2.1 — ns2 192.0.2.2 on one segment.
fn segment() -> (TestLab, NsId, NsId) {
    let t = TestLab::new(7);
    let ns1 = t.ns("ns1");
    let ns2 = t.ns("ns2");
    t.veth((ns1, "v0", [192, 0, 2, 1]), (ns2, "v1", [192, 0, 2, 2]));
    (t, ns1, ns2)
}

fn reply_lines(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.starts_with("64 bytes from"))
        .collect()
}

#[test]
fn replies_and_summary() {
    let (t, ns1, _) = segment();
    let (out, st) = t.run(ns1, "ping -c 3 -i 0.2 192.0.2.2");
    assert_eq!(st, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "PING 192.0.2.2 (192.0.2.2) 56(84) bytes of data.");
    let replies = reply_lines(&out);
    assert_eq!(replies.len(), 3);
    for (i, r) in replies.iter().enumerate() {
        let head = format!(
            "64 bytes from 192.0.2.2: icmp_seq={} ttl=64 time=0.0",
            i + 1
        );
        assert!(r.starts_with(&head) && r.ends_with(" ms"), "{r}");
    }
    assert_eq!(lines[4], "");
    assert_eq!(lines[5], "--- 192.0.2.2 ping statistics ---");
    // Three sends 200 ms apart, each a round trip later than the token bucket allows.
    assert!(
        lines[6].starts_with("3 packets transmitted, 3 received, 0% packet loss, time 40"),
        "{}",
        lines[6]
    );
    assert!(
        lines[7].starts_with("rtt min/avg/max/mdev = 0.0"),
        "{}",
        lines[7]
    );
    assert_eq!(lines.len(), 8);
}

#[test]
fn the_request_carries_the_send_time_and_counting_bytes() {
    let (t, ns1, ns2) = segment();
    let sock = t
        .lab
        .sys()
        .net(|k, _| k.sock_open(ns2, SockKind::RawIcmp))
        .expect("sock");
    let pid = t.spawn(ns1, "ping -c 1 -s 40 192.0.2.2");
    // Executing ping takes a millisecond; the request crosses the link microseconds later.
    t.run_until(Time(2_000_000));
    let d = t
        .lab
        .sys()
        .net(|k, _| k.sock_poll_recv(sock, std::task::Waker::noop()))
        .expect("poll")
        .expect("a request");
    let icmp = &d.data[20..];
    assert_eq!(icmp.len(), 48);
    assert_eq!(icmp[0], 8);
    assert_eq!(&icmp[6..8], &[0, 1]);
    let sec = i64::from_le_bytes(icmp[8..16].try_into().unwrap());
    let usec = i64::from_le_bytes(icmp[16..24].try_into().unwrap());
    // Sent when ping started, received a few microseconds later.
    let sent = sec * 1_000_000 + usec;
    let at = (d.at.as_nanos() / 1000) as i64;
    assert!(sent <= at && at - sent < 200, "sent {sent} at {at}");
    let data: Vec<u8> = (16..40).map(|i| i as u8).collect();
    assert_eq!(&icmp[24..], &data[..]);
    t.lab.run_until_exit(pid);
}

#[test]
fn sigint_prints_the_summary() {
    let (t, ns1, _) = segment();
    let pid = t.spawn(ns1, "ping -i 0.2 192.0.2.2");
    t.run_until(Time(500_000_000));
    t.lab.sys().kill(pid, Signal::Int).expect("kill");
    let st = t.lab.run_until_exit(pid).map(|s| s.code());
    let out = t.take();
    assert_eq!(st, Some(0));
    assert_eq!(reply_lines(&out).len(), 3);
    assert!(out.contains(
        "\n--- 192.0.2.2 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss"
    ));

    // Nothing came back: status 1, an empty line instead of rtt.
    let pid = t.spawn(ns1, "ping 192.0.2.9");
    t.run_until(Time(2_000_000_000));
    t.lab.sys().kill(pid, Signal::Int).expect("kill");
    let st = t.lab.run_until_exit(pid).map(|s| s.code());
    let out = t.take();
    assert_eq!(st, Some(1));
    assert!(
        out.ends_with("2 packets transmitted, 0 received, 100% packet loss, time 1000ms\n\n"),
        "{out}"
    );
}

#[test]
fn sigquit_reports_progress_on_stderr_and_goes_on() {
    let (t, ns1, _) = segment();
    let pid = t.spawn(ns1, "ping -c 3 -i 0.2 192.0.2.2");
    t.run_until(Time(300_000_000));
    t.lab.sys().kill(pid, Signal::Quit).expect("kill");
    t.lab.run_until_exit(pid);
    let out = t.take();
    assert!(
        out.contains("\r2/2 packets, 0% loss, min/avg/ewma/max = 0.0"),
        "{out}"
    );
    assert_eq!(reply_lines(&out).len(), 3);
}

#[test]
fn outstanding_and_audible() {
    let (t, ns1, ns2) = segment();
    t.sysctl(ns2, "net.ipv4.icmp_echo_ignore_all", "1");
    let (out, st) = t.run(ns1, "ping -c 2 -i 0.2 -W 1 -O 192.0.2.2");
    assert_eq!(st, 1);
    assert!(out.contains("\nno answer yet for icmp_seq=1\n"), "{out}");
    t.sysctl(ns2, "net.ipv4.icmp_echo_ignore_all", "0");
    let (out, _) = t.run(ns1, "ping -c 1 -a 192.0.2.2");
    assert!(reply_lines(&out)[0].ends_with(" ms\x07"), "{out:?}");
}

#[test]
fn the_id_comes_from_the_lab_seed() {
    let ids = |seed: u64| {
        let t = TestLab::new(seed);
        let ns1 = t.ns("ns1");
        let ns2 = t.ns("ns2");
        t.veth((ns1, "v0", [192, 0, 2, 1]), (ns2, "v1", [192, 0, 2, 2]));
        let sock = t
            .lab
            .sys()
            .net(|k, _| k.sock_open(ns2, SockKind::RawIcmp))
            .expect("sock");
        t.run(ns1, "ping -c 1 192.0.2.2");
        let d = t
            .lab
            .sys()
            .net(|k, _| k.sock_poll_recv(sock, std::task::Waker::noop()))
            .expect("poll")
            .expect("request");
        u16::from_be_bytes([d.data[24], d.data[25]])
    };
    assert_eq!(ids(1), ids(1));
    assert_ne!(ids(1), ids(2));
}

#[test]
fn through_a_router_and_its_errors() {
    let t = TestLab::new(3);
    let (ns1, r, ns2) = (t.ns("ns1"), t.ns("r"), t.ns("ns2"));
    t.veth((ns1, "a0", [192, 0, 2, 1]), (r, "a1", [192, 0, 2, 254]));
    t.veth(
        (r, "b0", [198, 51, 100, 254]),
        (ns2, "b1", [198, 51, 100, 1]),
    );
    t.route(ns1, [0, 0, 0, 0], 0, [192, 0, 2, 254]);
    t.route(ns2, [0, 0, 0, 0], 0, [198, 51, 100, 254]);
    t.sysctl(r, "net.ipv4.ip_forward", "1");
    let (out, _) = t.run(ns1, "ping -c 1 198.51.100.1");
    assert!(reply_lines(&out)[0].contains(" ttl=63 "), "{out}");
    let (out, st) = t.run(ns1, "ping -c 2 -i 0.2 -t 1 198.51.100.1");
    assert_eq!(st, 1);
    assert!(out.contains("From 192.0.2.254 icmp_seq=1 Time to live exceeded\nFrom 192.0.2.254 icmp_seq=2 Time to live exceeded\n"));
    assert!(out.contains("2 packets transmitted, 0 received, +2 errors, 100% packet loss"));
    let (out, st) = t.run(ns1, "ping -c 1 203.0.113.1");
    assert_eq!(st, 1);
    assert!(out.contains("From 192.0.2.254 icmp_seq=1 Destination Net Unreachable\n"));
    let (out, st) = t.run(ns2, "ping -c 1 192.0.2.9");
    assert_eq!(
        (out.lines().nth(1), st),
        (
            Some("From 198.51.100.254 icmp_seq=1 Destination Host Unreachable"),
            1
        )
    );
}

#[test]
fn no_route_and_bad_arguments_never_panic() {
    let (t, ns1, _) = segment();
    assert_eq!(
        t.run(ns1, "ping -c 1 198.51.100.1"),
        ("ping: connect: Network is unreachable\n".to_string(), 2)
    );
    for args in [
        "ping -",
        "ping --",
        "ping -c",
        "ping -s 2147483647 -c 1 -W 0.1 192.0.2.2",
        "ping -i 1e999 x",
        "ping -W nan x",
        "ping -l 65536 -c 1 192.0.2.2",
        "ping -p 0123456789abcdef0123456789 -c 1 192.0.2.2",
        "ping -e 0 -c 1 192.0.2.2",
        "ping -I :: x",
        "ping -T tsonly x",
        "ping -F 0xfffff x",
        "ping 0.0.0.0 -c 1 -W 0.1",
    ] {
        let (_, st) = t.run(ns1, args);
        assert!((0..=2).contains(&st), "{args}: {st}");
    }
}

#[test]
fn a_negative_interval_still_lets_time_pass() {
    let (t, ns1, _) = segment();
    let pid = t.spawn(ns1, "ping -q -i -1 192.0.2.2");
    t.run_until(Time(5_000_000));
    t.lab.sys().kill(pid, Signal::Int).expect("kill");
    assert_eq!(t.lab.run_until_exit(pid).map(|s| s.code()), Some(0));
    let out = t.take();
    let sent: u64 = out
        .lines()
        .nth(3)
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(sent > 100 && sent < 2_000, "{out}");
}

#[test]
fn time_and_mdev_formats() {
    assert_eq!(fmt_triptime(42), " time=0.042 ms");
    assert_eq!(fmt_triptime(1234), " time=1.23 ms");
    assert_eq!(fmt_triptime(12_345), " time=12.3 ms");
    assert_eq!(fmt_triptime(99_950), " time=100 ms");
    assert_eq!(fmt_triptime(123_456), " time=123 ms");
    assert_eq!(llsqrt(0), 0);
    // Newton's iteration as iputils stops it: one step past the floor.
    assert_eq!(llsqrt(99), 10);
    assert_eq!(llsqrt(100), 10);
}

#[test]
fn names_from_hosts_and_own_addresses() {
    let (t, ns1, _) = segment();
    t.write_file(
        "/etc/hosts",
        "127.0.0.1\tlocalhost\n192.0.2.2 ns2.example ns2\n",
    );
    let (out, _) = t.run(ns1, "ping -c 1 ns2");
    assert!(out.starts_with("PING ns2.example (192.0.2.2) 56(84) bytes of data.\n64 bytes from ns2.example (192.0.2.2): icmp_seq=1 ttl=64 time="), "{out}");
    assert!(out.contains("--- ns2.example ping statistics ---"));
    let (out, st) = t.run(ns1, "ping -c 1 nosuchhost");
    assert_eq!(
        (out.as_str(), st),
        (
            "ping: nosuchhost: Temporary failure in name resolution\n",
            2
        )
    );
    // lo down: 127.0.0.1 has no route; lo up: it answers.
    assert_eq!(t.run(ns1, "ping -c 1 127.0.0.1").1, 2);
    t.lo_up(ns1);
    let (out, st) = t.run(ns1, "ping -c 1 localhost");
    assert_eq!(st, 0);
    assert!(
        out.contains("64 bytes from localhost (127.0.0.1): icmp_seq=1 ttl=64"),
        "{out}"
    );
}

#[test]
fn verbose_shows_the_sockets_the_address_and_the_id() {
    let (t, ns1, _) = segment();
    let (out, _) = t.run(ns1, "ping -v -c 1 -e 4660 192.0.2.2");
    assert!(out.starts_with(
        "ping: sock4.fd: 3 (socktype: SOCK_RAW), sock6.fd: 4 (socktype: SOCK_RAW), hints.ai_family: AF_UNSPEC\n\n\
         ai->ai_family: AF_INET, ai->ai_canonname: '192.0.2.2'\n\
         PING 192.0.2.2 (192.0.2.2) 56(84) bytes of data.\n\
         64 bytes from 192.0.2.2: icmp_seq=1 ident=4660 ttl=64 time="
    ), "{out}");
}

#[test]
fn flood_and_adaptive_summaries_add_ipg_and_ewma() {
    let (t, ns1, _) = segment();
    let (out, st) = t.run(ns1, "ping -f -c 10 192.0.2.2");
    assert_eq!(st, 0);
    assert!(
        out.contains(&format!("\n{}\n", ".\x08 \x08".repeat(10))),
        "{out:?}"
    );
    let rtt = out.lines().last().unwrap_or("");
    assert!(
        rtt.starts_with("rtt min/avg/max/mdev = 0.0") && rtt.contains(" ms, ipg/ewma 0.0"),
        "{rtt}"
    );
    let (out, _) = t.run(ns1, "ping -A -c 3 192.0.2.2");
    assert!(
        out.lines().last().unwrap_or("").contains(", ipg/ewma "),
        "{out}"
    );
    // Without replies there is no rtt line, so no ipg either.
    let (out, _) = t.run(ns1, "ping -f -c 3 -W 0.1 192.0.2.9");
    assert!(
        out.ends_with("3 packets transmitted, 0 received, 100% packet loss, time 20ms\n\n"),
        "{out:?}"
    );
}
