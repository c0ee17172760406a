//! Every capture tsunagi writes opens in Wireshark: the files of `tsunagi run --capture DIR`
//! and of `tcpdump -w` inside a lab are read by tshark, which must find no malformed frame, no
//! truncated one and no error, and must decode them to the same frames as Linux's capture of
//! the same script.
//!
//! `capture/router.linux` is tshark's summary (`capture/summarize.sh`) of the files real
//! tcpdump wrote for `capture/router.sh` on Linux; `capture/record.sh` says how it is recorded.
//!
//! Needs tshark (Debian's `tshark` package, which `.ci/run` installs). Where it is missing the
//! tests say so and pass, except under CI (`CI` set), where they fail.

use std::path::{Path, PathBuf};
use std::process::Command;

fn here() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/capture")
}

/// Whether tshark can run; panics under CI if it cannot.
fn have_tshark() -> bool {
    let ok = Command::new("tshark")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "tshark is missing: CI must install it (apt-get install tshark)"
        );
        eprintln!(
            "SKIPPED: tshark is not installed here (apt-get install tshark to run this test)"
        );
    }
    ok
}

/// Runs `script` (a path relative to `cwd`) with `tsunagi run --capture cap`; what it printed.
fn tsunagi(cwd: &Path, script: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tsunagi"))
        .args(["run", "--capture", "cap", script])
        .current_dir(cwd)
        .output()
        .expect("tsunagi runs");
    assert!(out.status.code().is_some(), "tsunagi was killed: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// tshark's summary of a file, as `capture/summarize.sh` prints it.
fn summary(file: &Path, filter: Option<&str>) -> String {
    let mut c = Command::new("bash");
    c.arg(here().join("summarize.sh")).arg(file);
    if let Some(f) = filter {
        c.arg(f);
    }
    let out = c.output().expect("bash runs");
    assert!(
        out.status.success(),
        "tshark fails on {}: {out:?}",
        file.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Opens `file` with tshark and checks every frame decodes cleanly (IPv4, UDP and TCP
/// checksums checked too); returns the number of frames tshark saw.
fn check_clean(file: &Path) -> usize {
    let out = Command::new("tshark")
        .arg("-r")
        .arg(file)
        .args([
            "-V",
            "-o",
            "ip.check_checksum:TRUE",
            "-o",
            "udp.check_checksum:TRUE",
            "-o",
            "tcp.check_checksum:TRUE",
        ])
        .output()
        .expect("tshark runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "tshark fails on {}: {err}",
        file.display()
    );
    assert!(
        !err.contains("appears to be damaged") && !err.contains("cut short"),
        "{}: {err}",
        file.display()
    );
    for bad in ["Malformed", "[Packet size limited", "Expert Info (Error"] {
        if let Some(at) = text.find(bad) {
            let from = text[..at].rfind("\nFrame ").unwrap_or(0);
            panic!(
                "{}: tshark reports {bad:?}:\n{}",
                file.display(),
                &text[from..(at + 200).min(text.len())]
            );
        }
    }
    let frames = text.lines().filter(|l| l.starts_with("Frame ")).count();
    // Every record tsunagi's own reader finds is a frame tshark shows. (A file of a namespace
    // with no traffic has no interface description, which libpcap refuses to read.)
    let bytes = std::fs::read(file).expect("the capture file is readable");
    let mut r = match tsunagi_capture::Reader::new(&bytes) {
        Ok(r) => r,
        Err(e) if frames == 0 && e.contains("no Interface Description Blocks") => return 0,
        Err(e) => panic!("{}: {e}", file.display()),
    };
    let mut records = 0;
    while let Some(rec) = r.next_record() {
        rec.expect("an intact record");
        records += 1;
    }
    assert_eq!(frames, records, "{}", file.display());
    frames
}

#[test]
fn the_router_lab_decodes_to_the_frames_linux_captured() {
    if !have_tshark() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::copy(here().join("router.sh"), dir.path().join("router.sh")).expect("copy");
    let mut got = tsunagi(dir.path(), "router.sh");
    for f in ["ns1-veth0.pcap", "ns2-veth0.pcap", "router-any.pcap"] {
        let path = dir.path().join(f);
        check_clean(&path);
        got += &format!("== {f}\n{}", summary(&path, None));
    }
    let linux = std::fs::read_to_string(here().join("router.linux")).expect("the golden");
    assert_eq!(got, linux, "tcpdump -w in tsunagi against Linux");

    // The lab-wide capture shows each host's link as tcpdump on it does, and goes on after
    // tcpdump stopped (the neighbour entries' probes, until the script ends).
    for (ns, dev) in [("ns1", "ns1-veth0"), ("ns2", "ns2-veth0")] {
        let file = dir.path().join(format!("cap/{ns}.pcapng"));
        check_clean(&file);
        let lab = summary(&file, Some(&format!("frame.interface_name == \"{dev}\"")));
        let want = linux
            .split(&format!("== {dev}.pcap\n"))
            .nth(1)
            .and_then(|s| s.split("== ").next())
            .expect("the golden has the device");
        assert!(
            lab.starts_with(want),
            "--capture's {dev} in {ns}.pcapng against Linux:\n{lab}\nLinux:\n{want}"
        );
    }
    // The router sees both links: what crossed into ns1 and ns2 crossed the router too.
    let router = dir.path().join("cap/router.pcapng");
    assert!(check_clean(&router) >= 2 * 10);
    // Nothing crossed the initial namespace: no file for it.
    assert!(!dir.path().join("cap/root.pcapng").exists());
}

/// A namespace deleted right after its traffic keeps its file.
#[test]
fn a_namespace_deleted_after_traffic_keeps_its_file() {
    if !have_tshark() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let script = "\
ip netns add a
ip netns add b
ip link add va type veth peer name vb netns b
ip link set va netns a
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec a ping -c 1 10.0.0.2 >/dev/null; ip netns del a; ip netns del b
exit 3
";
    std::fs::write(dir.path().join("lab.sh"), script).expect("write the lab");
    tsunagi(dir.path(), "lab.sh");
    for (ns, dev) in [("a", "va"), ("b", "vb")] {
        let file = dir.path().join(format!("cap/{ns}.pcapng"));
        check_clean(&file);
        let s = summary(&file, Some(&format!("frame.interface_name == \"{dev}\"")));
        assert!(s.contains("10.0.0.1 10.0.0.2 1 64 8 0 1"), "{ns}: {s}");
        assert!(s.contains("10.0.0.2 10.0.0.1 1 64 0 0 1"), "{ns}: {s}");
    }
}

/// Every example, run with `--capture` and with each of its `tcpdump` commands writing its
/// frames to a file (`-w`), writes files that tshark reads cleanly.
#[test]
fn every_example_captures_cleanly() {
    if !have_tshark() {
        return;
    }
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&examples)
        .expect("examples/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect();
    scripts.sort();
    assert!(!scripts.is_empty());
    for script in scripts {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let text = std::fs::read_to_string(&script).expect("the example");
        let mut n = 0;
        let variant: String = text
            .lines()
            .map(|l| match l.split_once("tcpdump ") {
                Some((a, b)) if !l.trim_start().starts_with('#') => {
                    n += 1;
                    format!("{a}tcpdump -w w{n}.pcap {b}\n")
                }
                _ => format!("{l}\n"),
            })
            .collect();
        std::fs::write(dir.path().join("lab.sh"), variant).expect("write the lab");
        tsunagi(dir.path(), "lab.sh");
        let mut frames = 0;
        for e in std::fs::read_dir(dir.path().join("cap")).expect("the capture directory") {
            frames += check_clean(&e.expect("an entry").path());
        }
        let mut dumped = 0;
        for i in 1..=n {
            dumped += check_clean(&dir.path().join(format!("w{i}.pcap")));
        }
        eprintln!(
            "{}: {frames} frames in the lab's capture, {dumped} in {n} tcpdump -w files",
            script.display()
        );
        assert!(n == 0 || dumped > 0, "{}", script.display());
    }
}
