//! Ctrl-C in `tsunagi shell`: SIGINT goes to the terminal's foreground process group, as
//! the Linux tty driver sends it, so the foreground job stops (ping prints its summary) and
//! background jobs keep running.

use std::cell::RefCell;
use std::rc::Rc;

use tsunagi::BufferSink;
use tsunagi_engine::{Duration, Time};
use tsunagi_lab::Lab;

struct Session {
    lab: Lab,
    out: Rc<RefCell<Vec<u8>>>,
}

impl Session {
    fn start() -> Session {
        let out = Rc::new(RefCell::new(Vec::new()));
        let lab = tsunagi::new_lab(1, Box::new(BufferSink(out.clone())), None);
        lab.spawn_on_terminal(vec!["bash".into(), "-i".into()], std::env::temp_dir())
            .expect("an interactive shell");
        Session { lab, out }
    }

    /// Types a line and lets `secs` of virtual time pass.
    fn type_line(&self, line: &str, secs: u64) {
        self.lab.terminal().feed(format!("{line}\n").as_bytes());
        self.wait(secs);
    }

    fn wait(&self, secs: u64) {
        let until: Time = self.lab.sys().now() + Duration::from_secs(secs);
        self.lab.run_until(until);
    }

    fn ctrl_c(&self) {
        self.lab.sys().interrupt();
        self.wait(1);
    }

    fn output(&self) -> String {
        String::from_utf8_lossy(&self.out.borrow()).into_owned()
    }
}

#[test]
fn ctrl_c_stops_the_foreground_job_and_spares_background_jobs() {
    let s = Session::start();
    s.type_line("sleep 1000 &", 1);
    s.type_line("ping 127.0.0.1", 3);
    s.ctrl_c();
    let out = s.output();
    assert!(out.contains("--- 127.0.0.1 ping statistics ---"), "{out}");
    s.type_line("jobs", 1);
    let out = s.output();
    assert!(
        out.contains("[1]+  Running                 sleep 1000 &"),
        "{out}"
    );
    // Brought to the foreground, the job is what Ctrl-C reaches.
    s.type_line("fg", 1);
    s.ctrl_c();
    s.type_line("echo \"fg ended with $?\"; jobs; echo \"no jobs left\"", 1);
    let out = s.output();
    assert!(out.contains("sleep 1000\n"), "{out}");
    assert!(out.contains("fg ended with 130\nno jobs left\n"), "{out}");
}

#[test]
fn a_script_s_background_commands_ignore_ctrl_c() {
    let s = Session::start();
    // Without job control, bash starts `&` commands with SIGINT ignored: the script's
    // `sleep` outlives the Ctrl-C that ends its ping.
    s.type_line(
        "bash -c 'sleep 5 & ping -q 127.0.0.1 >/dev/null; wait $!; echo \"waited $?\"'",
        2,
    );
    s.ctrl_c();
    s.wait(6);
    let out = s.output();
    assert!(out.contains("waited 0\n"), "{out}");
}

#[test]
fn fg_without_jobs() {
    let s = Session::start();
    s.type_line("fg; echo \"status $?\"", 1);
    s.type_line("fg %3; echo \"status $?\"", 1);
    let out = s.output();
    assert!(
        out.contains("bash: fg: current: no such job\nstatus 1\n"),
        "{out}"
    );
    assert!(
        out.contains("bash: fg: %3: no such job\nstatus 1\n"),
        "{out}"
    );
}

#[test]
fn ctrl_c_ends_tcpdump_with_its_counts() {
    let s = Session::start();
    s.type_line("ping -q -i 0.5 127.0.0.1 >/dev/null &", 1);
    // On a terminal tcpdump prints each packet within its 100 ms capture timeout.
    s.type_line("tcpdump -tn -i lo icmp", 2);
    let out = s.output();
    assert!(
        out.contains(
            "listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("IP 127.0.0.1 > 127.0.0.1: ICMP echo request"),
        "{out}"
    );
    s.ctrl_c();
    let out = s.output();
    let captured = out
        .lines()
        .find_map(|l| l.strip_suffix(" packets captured"))
        .and_then(|n| n.parse::<u32>().ok())
        .expect("the counts after Ctrl-C");
    // Two pings a second for about two seconds, requests and replies: lo's own sends are
    // not counted twice.
    assert!((6..=12).contains(&captured), "{out}");
    assert!(out.contains(" packets dropped by kernel\n"), "{out}");
}
