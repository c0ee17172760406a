//! Component tests of `ip` and `sysctl` in a lab: what the golden transcripts cannot easily
//! reach (files of the real file system, several namespaces at once). Expected texts come
//! from Debian 12's tools.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use tsunagi_lab::{Lab, LabConfig, TerminalSink};

#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl TerminalSink for Sink {
    fn write(&self, _err: bool, data: &[u8]) {
        self.0.borrow_mut().extend_from_slice(data);
    }
}

struct Bench {
    lab: Lab,
    out: Sink,
}

impl Bench {
    fn new() -> Bench {
        let out = Sink::default();
        let lab = Lab::new(LabConfig {
            seed: 1,
            sink: Box::new(out.clone()),
            input: None,
        });
        tsunagi_programs::register(&lab);
        Bench { lab, out }
    }

    /// Runs one command (words split at spaces) in `cwd`; returns its output and status.
    fn run_in(&self, cwd: &Path, line: &str) -> (String, i32) {
        self.out.0.borrow_mut().clear();
        let argv = line.split_whitespace().map(str::to_string).collect();
        let pid = self
            .lab
            .spawn_on_terminal(argv, cwd.to_path_buf())
            .expect("spawn");
        let st = self.lab.run_until_exit(pid).expect("ends").code();
        let text = String::from_utf8_lossy(&self.out.0.borrow()).into_owned();
        (text, st)
    }

    fn run(&self, line: &str) -> (String, i32) {
        self.run_in(&std::env::temp_dir(), line)
    }
}

#[test]
fn batch_runs_each_line_and_stops_at_the_first_failure() {
    let b = Bench::new();
    let dir = std::env::temp_dir().join(format!("tsunagi-ip-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("b.txt"),
        "link add v0 type veth peer name v1\n# comment\n\naddr add 192.0.2.1/24 dev v0\nlink show v0\nfoo\nlink show v1\n",
    )
    .expect("write");
    let (out, st) = b.run_in(&dir, "ip -batch b.txt");
    let out: String = out
        .lines()
        .filter(|l| !l.contains("link/ether"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        out,
        "3: v0@v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n\
         Object \"foo\" is unknown, try \"ip help\".\n\
         Command failed b.txt:6\n"
    );
    assert_eq!(st, 1);
    let (out, st) = b.run_in(&dir, "ip -force -batch b.txt");
    let out: String = out
        .lines()
        .filter(|l| !l.contains("link/ether"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        out,
        "RTNETLINK answers: File exists\n\
         Command failed b.txt:1\n\
         Error: ipv4: Address already assigned.\n\
         Command failed b.txt:4\n\
         3: v0@v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n\
         Object \"foo\" is unknown, try \"ip help\".\n\
         Command failed b.txt:6\n\
         2: v1@v0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n"
    );
    assert_eq!(st, 1);
    let (out, st) = b.run_in(&dir, "ip -b nosuch");
    assert_eq!(
        (out.as_str(), st),
        (
            "Cannot open file \"nosuch\" for reading: No such file or directory\n",
            1
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn peers_in_other_namespaces_are_named_by_their_netns() {
    let b = Bench::new();
    for c in [
        "ip netns add ns1",
        "ip netns add ns2",
        "ip link add v0 netns ns1 type veth peer name v1 netns ns2",
    ] {
        assert_eq!(b.run(c), (String::new(), 0), "{c}");
    }
    let (out, st) = b.run("ip -n ns1 -o link show v0");
    assert_eq!(st, 0);
    assert!(
        out.starts_with("2: v0@if2: <BROADCAST,MULTICAST> mtu 1500"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("link-netns ns2"), "{out}");
    let (out, _) = b.run("ip -n ns1 netns list");
    assert_eq!(out, "ns2 (id: 0)\nns1\n");
    let (out, _) = b.run("ip netns exec ns2 ip netns identify");
    assert_eq!(out, "ns2\n");
}

#[test]
fn veth_names_the_kernel_picks() {
    let b = Bench::new();
    assert_eq!(b.run("ip link add v4 type veth peer").1, 0);
    assert_eq!(b.run("ip link add type veth").1, 0);
    let (out, _) = b.run("ip -br link");
    let names: Vec<&str> = out.lines().filter_map(|l| l.split(' ').next()).collect();
    assert_eq!(
        names,
        ["lo", "veth0@v4", "v4@veth0", "veth1@veth2", "veth2@veth1"]
    );
}

#[test]
fn sysctl_reads_and_writes_per_namespace() {
    let b = Bench::new();
    assert_eq!(
        b.run("sysctl net.ipv4.ip_forward=1"),
        ("net.ipv4.ip_forward = 1\n".to_string(), 0)
    );
    assert_eq!(b.run("ip netns add r").1, 0);
    assert_eq!(
        b.run("ip netns exec r sysctl -n net/ipv4/ip_forward"),
        ("0\n".to_string(), 0)
    );
    assert_eq!(
        b.run("sysctl -w net.ipv4.ip_forward=abc"),
        (
            "sysctl: setting key \"net.ipv4.ip_forward\": Invalid argument\n".to_string(),
            1
        )
    );
    assert_eq!(
        b.run("sysctl -a -r ipv4\\.ip_forward$"),
        ("net.ipv4.ip_forward = 1\n".to_string(), 0)
    );
}
