//! Same seed, same bytes: a lab run twice with one seed prints exactly the same thing —
//! random MAC addresses, the link-local addresses derived from them, ICMP identifiers and
//! round-trip times included — and another seed gives other MAC addresses.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Two namespaces on a veth pair, a ping across with its `ident=` and `time=` values, and
/// every place a random value shows.
const LAB: &str = "\
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip link add x0 type veth peer name x1
ip link show
ip -n a link show va
ip -n b link show vb
ip netns exec a ping -v -c 3 -i 0.2 10.0.0.2
ip -n a neigh show
sleep 2
ip -n a -6 addr show dev va
traceroute -n 10.0.0.2 2>&1 | head -1
echo \"random $RANDOM $RANDOM\"
";

fn run(seed: u64) -> Output {
    run_with(seed, &[])
}

fn run_with(seed: u64, extra: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tsunagi"))
        .args(["run", "--seed", &seed.to_string()])
        .args(extra)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start tsunagi");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(LAB.as_bytes())
        .expect("write the lab to tsunagi");
    let out = child.wait_with_output().expect("tsunagi runs");
    assert!(out.status.success(), "the lab fails: {out:?}");
    out
}

/// Every `link/ether` address the run printed, in order.
fn macs(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("link/ether "))
        .map(|l| l.split(' ').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn one_seed_gives_the_same_bytes() {
    let first = run(7);
    let again = run(7);
    let text = String::from_utf8_lossy(&first.stdout);
    // The run shows what must not vary: random MACs and what derives from them, ICMP
    // identifiers and jittered round-trip times.
    assert_eq!(macs(&first).len(), 4, "{text}");
    assert!(text.contains("inet6 fe80::"), "{text}");
    assert!(text.contains("ident="), "{text}");
    assert_eq!(text.matches(" time=").count(), 3, "{text}");
    assert!(text.contains("traceroute to 10.0.0.2"), "{text}");
    assert!(text.contains("random "), "{text}");
    assert_eq!(first.stdout, again.stdout);
    assert_eq!(first.stderr, again.stderr);
}

#[test]
fn another_seed_gives_other_macs() {
    let one = macs(&run(1));
    let two = macs(&run(2));
    assert_eq!(one.len(), two.len());
    for (a, b) in one.iter().zip(&two) {
        assert_ne!(a, b, "seeds 1 and 2 gave the same MAC");
    }
}

/// The files of `tsunagi run --capture DIR`, by name.
fn capture(seed: u64) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("cap");
    run_with(seed, &["--capture", out.to_str().expect("a UTF-8 path")]);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
        .expect("the capture directory exists")
        .map(|e| {
            let e = e.expect("a directory entry");
            let name = e.file_name().to_string_lossy().into_owned();
            (
                name,
                std::fs::read(e.path()).expect("a readable capture file"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn one_seed_gives_the_same_capture_files() {
    let first = capture(7);
    let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    // The initial namespace carried nothing: it leaves no file.
    assert_eq!(names, ["a.pcapng", "b.pcapng"]);
    // ARP, three pings and IPv6 on the link: a couple of dozen frames each side.
    for (name, bytes) in &first[..2] {
        assert!(bytes.len() > 2000, "{name} holds {} bytes", bytes.len());
    }
    assert_eq!(first, capture(7), "the same seed wrote other bytes");
    assert_ne!(first, capture(8), "another seed wrote the same bytes");
}
