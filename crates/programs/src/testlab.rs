//! Test support: a lab with namespaces, veths, addresses and routes set up through the
//! kernel directly (no `ip`), programs run on the terminal in a namespace, output captured.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::rc::Rc;

use tsunagi_kernel::rtnl::{rt_table, rtn, rtprot, AddrReq, RouteMode, RouteReq};
use tsunagi_kernel::LinkChange;
use tsunagi_lab::{
    FileRef, Lab, LabConfig, NsId, OpenFile, OpenMode, Pid, SpawnSpec, TerminalSink, Time,
};

#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl TerminalSink for Sink {
    fn write(&self, _err: bool, data: &[u8]) {
        self.0.borrow_mut().extend_from_slice(data);
    }
}

pub struct TestLab {
    pub lab: Lab,
    sink: Sink,
}

fn ip(a: [u8; 4]) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(a))
}

impl TestLab {
    pub fn new(seed: u64) -> TestLab {
        let sink = Sink::default();
        let lab = Lab::new(LabConfig {
            seed,
            sink: Box::new(sink.clone()),
            input: None,
        });
        crate::register(&lab);
        TestLab { lab, sink }
    }

    pub fn ns(&self, name: &str) -> NsId {
        self.lab.sys().netns_add(name).expect("netns")
    }

    fn up(&self, ns: NsId, dev: &str) {
        self.lab.sys().net(|k, env| {
            let i = k.link_index(ns, dev).expect("dev");
            let ch = LinkChange {
                up: Some(true),
                ..Default::default()
            };
            k.link_set(ns, i, &ch, env).expect("up");
        });
    }

    pub fn lo_up(&self, ns: NsId) {
        self.up(ns, "lo");
    }

    /// A veth pair between two namespaces, addressed (/24) and up.
    pub fn veth(&self, a: (NsId, &str, [u8; 4]), b: (NsId, &str, [u8; 4])) {
        self.lab.sys().net(|k, env| {
            k.link_add_veth(a.0, a.1, b.1, Some(b.0), env)
                .expect("veth");
            for (ns, dev, addr) in [a, b] {
                let i = k.link_index(ns, dev).expect("dev");
                k.addr_add(ns, &AddrReq::new(i, ip(addr), 24), env)
                    .expect("addr");
            }
        });
        self.up(a.0, a.1);
        self.up(b.0, b.1);
    }

    pub fn route(&self, ns: NsId, dst: [u8; 4], len: u8, gw: [u8; 4]) {
        let req = RouteReq {
            table: rt_table::MAIN,
            rtype: rtn::UNICAST,
            protocol: rtprot::BOOT,
            scope: None,
            dst: ip(dst),
            dst_len: len,
            oif: None,
            gateway: Some(ip(gw)),
            prefsrc: None,
            priority: None,
            flags: 0,
        };
        self.lab
            .sys()
            .net(|k, env| k.route_add(ns, &req, RouteMode::Add, env))
            .expect("route");
    }

    pub fn sysctl(&self, ns: NsId, key: &str, value: &str) {
        self.lab.sys().sysctl_write(ns, key, value).expect("sysctl");
    }

    pub fn write_file(&self, path: &str, text: &str) {
        let sys = self.lab.sys();
        let f = sys
            .open(
                std::path::Path::new("/"),
                path,
                OpenMode::WRITE,
                sys.root_ns(),
            )
            .expect("open");
        f.write(text.as_bytes()).expect("write");
    }

    /// Starts `cmd` (split on blanks) in `ns` on the terminal.
    pub fn spawn(&self, ns: NsId, cmd: &str) -> Pid {
        let t = self.lab.terminal().clone();
        let mut fds: BTreeMap<u32, FileRef> = BTreeMap::new();
        fds.insert(0, Rc::new(OpenFile::Null));
        fds.insert(1, Rc::new(OpenFile::TermOut(t.clone())));
        fds.insert(2, Rc::new(OpenFile::TermErr(t)));
        let spec = SpawnSpec {
            argv: cmd.split_whitespace().map(str::to_string).collect(),
            env: BTreeMap::new(),
            cwd: "/".into(),
            netns: ns,
            fds,
            pgid: None,
        };
        self.lab.sys().spawn(None, spec).expect("spawn")
    }

    /// Runs `cmd` in `ns` to its end: its output and exit status.
    pub fn run(&self, ns: NsId, cmd: &str) -> (String, i32) {
        let pid = self.spawn(ns, cmd);
        let st = self.lab.run_until_exit(pid).map(|s| s.code()).unwrap_or(-1);
        (self.take(), st)
    }

    /// Runs events until virtual time `t`.
    pub fn run_until(&self, t: Time) {
        self.lab.run_until(t);
    }

    /// The output so far (and clears it).
    pub fn take(&self) -> String {
        let v = std::mem::take(&mut *self.sink.0.borrow_mut());
        String::from_utf8_lossy(&v).into_owned()
    }
}
