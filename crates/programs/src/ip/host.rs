//! What `ip` needs from the system it runs on, as one trait: the rtnetlink socket of its
//! current namespace (dumps and requests, shaped like `tsunagi_kernel::rtnl`), the named
//! namespaces of `/run/netns`, and which process sits in which namespace (`/proc/PID/ns/net`).
//!
//! [`LabHost`] implements it over a lab's [`Sys`]; unit tests implement it with a small fake.
//! Keeping `ip` behind this trait keeps its parsing and printing testable without a kernel.

use std::net::IpAddr;

use tsunagi_kernel::rtnl::{
    AddrMsg, AddrReq, LinkMsg, NeighMsg, NeighReq, NlError, RouteGetReq, RouteMode, RouteMsg,
    RouteReq,
};
use tsunagi_kernel::{Errno, LinkChange, NsId};
use tsunagi_lab::{Pid, Sys};

/// A new link (`RTM_NEWLINK` with `NLM_F_CREATE`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NewLink {
    /// `IFLA_INFO_KIND` (`veth`, `bridge`, `dummy`, ...).
    pub kind: String,
    /// `None`: the kernel picks `KIND%d`.
    pub name: Option<String>,
    /// For a veth: the peer's name (`None`: `veth%d`) and namespace (`None`: the same).
    pub peer_name: Option<String>,
    pub peer_ns: Option<NsId>,
    /// Settings applied once the link exists (`ip link add ... mtu 9000 address ...`).
    pub set: LinkSet,
    /// The same for the peer.
    pub peer_set: LinkSet,
}

/// Changes to a link (`RTM_NEWLINK` without `NLM_F_CREATE`, `ip link set`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LinkSet {
    /// `IFF_UP` in `ifi_change`/`ifi_flags`.
    pub up: Option<bool>,
    /// Other `IFF_*` flags to change: `(mask, values)`.
    pub flags: (u32, u32),
    pub mtu: Option<u32>,
    pub address: Option<Vec<u8>>,
    pub broadcast: Option<Vec<u8>>,
    /// `IFLA_IFNAME` when renaming.
    pub name: Option<String>,
    /// `IFLA_NET_NS_FD`/`IFLA_NET_NS_PID`: move the link to this namespace.
    pub netns: Option<NsId>,
    pub txqlen: Option<u32>,
    /// `IFLA_MASTER`: `Some(0)` is `nomaster`.
    pub master: Option<u32>,
    pub alias: Option<String>,
    pub group: Option<u32>,
    pub carrier: Option<bool>,
}

impl LinkSet {
    pub fn is_empty(&self) -> bool {
        *self == LinkSet::default()
    }
}

/// The system `ip` talks to.
pub trait Host {
    /// The namespace the process is in (after `-n`).
    fn current_ns(&self) -> NsId;
    /// `ip -n NAME`: operate in another namespace.
    fn switch_ns(&mut self, ns: NsId);

    // --- rtnetlink, in the current namespace ----------------------------------------------
    fn links(&mut self) -> Vec<LinkMsg>;
    fn addrs(&mut self) -> Vec<AddrMsg>;
    fn routes(&mut self, v6: bool) -> Vec<RouteMsg>;
    fn neighs(&mut self) -> Vec<NeighMsg>;
    /// `RTM_GETNSID`: the id this namespace gives `target`, if one is assigned.
    fn nsid_of(&mut self, target: NsId) -> Option<i32>;
    /// `RTM_NEWNSID`: assign an id (`None`: the kernel picks one).
    fn nsid_set(&mut self, target: NsId, nsid: Option<i32>) -> Result<(), NlError>;
    fn link_add(&mut self, req: &NewLink) -> Result<(), NlError>;
    fn link_set(&mut self, ifindex: u32, req: &LinkSet) -> Result<(), NlError>;
    fn link_del(&mut self, ifindex: u32) -> Result<(), NlError>;
    fn addr_add(&mut self, req: &AddrReq, mode: RouteMode) -> Result<(), NlError>;
    fn addr_del(&mut self, req: &AddrReq) -> Result<(), NlError>;
    fn route_add(&mut self, req: &RouteReq, mode: RouteMode) -> Result<(), NlError>;
    fn route_del(&mut self, req: &RouteReq) -> Result<(), NlError>;
    fn route_get(&mut self, req: &RouteGetReq) -> Result<RouteMsg, NlError>;
    fn neigh_add(&mut self, req: &NeighReq, mode: RouteMode) -> Result<(), NlError>;
    fn neigh_del(&mut self, req: &NeighReq) -> Result<(), NlError>;

    // --- /run/netns and /proc ---------------------------------------------------------------
    /// Named namespaces in `readdir` order (newest first).
    fn netns_names(&self) -> Vec<String>;
    fn netns_by_name(&self, name: &str) -> Option<NsId>;
    fn netns_add(&mut self, name: &str) -> Result<NsId, Errno>;
    fn netns_delete(&mut self, name: &str) -> Result<(), Errno>;
    /// Live processes in `ns`, ascending.
    fn pids_in(&self, ns: NsId) -> Vec<u32>;
    /// The namespace of process `pid` (`None`: no such process).
    fn pid_netns(&self, pid: u32) -> Option<NsId>;
    /// The pid of `ip` itself.
    fn self_pid(&self) -> u32;
}

/// [`Host`] over a lab.
pub struct LabHost {
    pub sys: Sys,
    pub ns: NsId,
    pub pid: Pid,
}

impl LabHost {
    pub fn new(sys: Sys, ns: NsId, pid: Pid) -> Self {
        LabHost { sys, ns, pid }
    }
}

fn unsupported() -> NlError {
    NlError::new(Errno::EOPNOTSUPP)
}

impl LabHost {
    /// `veth%d` names the kernel would give, the first free ones of a namespace.
    fn free_veth_names(&self, ns: NsId, count: usize, taken: &[String]) -> Vec<String> {
        let used: Vec<String> = self
            .sys
            .net(|k, _| k.link_dump(ns))
            .into_iter()
            .map(|l| l.name)
            .collect();
        (0..)
            .map(|i| format!("veth{i}"))
            .filter(|n| !used.contains(n) && !taken.contains(n))
            .take(count)
            .collect()
    }

    fn apply(&mut self, ns: NsId, name: &str, set: &LinkSet) -> Result<(), NlError> {
        if set.is_empty() {
            return Ok(());
        }
        let Some(ifindex) = self.sys.net(|k, _| k.link_index(ns, name)) else {
            return Err(NlError::new(Errno::ENODEV));
        };
        let saved = self.ns;
        self.ns = ns;
        let r = self.link_set(ifindex, set);
        self.ns = saved;
        r
    }
}

impl Host for LabHost {
    fn current_ns(&self) -> NsId {
        self.ns
    }
    fn switch_ns(&mut self, ns: NsId) {
        self.ns = ns;
    }

    fn links(&mut self) -> Vec<LinkMsg> {
        let ns = self.ns;
        self.sys.net(|k, _| k.link_dump(ns))
    }
    fn addrs(&mut self) -> Vec<AddrMsg> {
        let ns = self.ns;
        self.sys.net(|k, _| k.addr_dump(ns))
    }
    fn routes(&mut self, v6: bool) -> Vec<RouteMsg> {
        let ns = self.ns;
        self.sys.net(|k, _| k.route_dump(ns, v6))
    }
    fn neighs(&mut self) -> Vec<NeighMsg> {
        let ns = self.ns;
        self.sys.net(|k, _| k.neigh_dump(ns))
    }
    fn nsid_of(&mut self, target: NsId) -> Option<i32> {
        let ns = self.ns;
        self.sys.net(|k, _| k.nsid_of(ns, target))
    }
    fn nsid_set(&mut self, target: NsId, nsid: Option<i32>) -> Result<(), NlError> {
        let ns = self.ns;
        match nsid {
            None => {
                self.sys.net(|k, _| k.nsid_alloc(ns, target));
                Ok(())
            }
            // TODO(kernel): choosing the id needs a kernel call.
            Some(_) => Err(unsupported()),
        }
    }
    fn link_add(&mut self, req: &NewLink) -> Result<(), NlError> {
        if req.kind != "veth" {
            // TODO(kernel): bridges and the other kinds.
            return Err(NlError::ext(Errno::EOPNOTSUPP, "Unknown device type"));
        }
        let ns = self.ns;
        let pns = req.peer_ns.unwrap_or(ns);
        // The kernel names what was not named, the peer first: veth0, veth1, ...
        let peer = match &req.peer_name {
            Some(p) => p.clone(),
            None => self.free_veth_names(pns, 1, &[]).remove(0),
        };
        let name = match &req.name {
            Some(n) => n.clone(),
            None => {
                let taken = if pns == ns {
                    vec![peer.clone()]
                } else {
                    vec![]
                };
                self.free_veth_names(ns, 1, &taken).remove(0)
            }
        };
        let peer_ns = req.peer_ns;
        self.sys
            .net(|k, env| k.link_add_veth(ns, &name, &peer, peer_ns, env))?;
        self.apply(pns, &peer, &req.peer_set)?;
        self.apply(ns, &name, &req.set)
    }
    fn link_set(&mut self, ifindex: u32, req: &LinkSet) -> Result<(), NlError> {
        if req.master.is_some_and(|m| m != 0) {
            // TODO(kernel): bridge ports.
            return Err(unsupported());
        }
        let address = match &req.address {
            None => None,
            Some(a) => match <[u8; 6]>::try_from(a.as_slice()) {
                Ok(mac) => Some(mac),
                Err(_) => return Err(NlError::new(Errno::EINVAL)),
            },
        };
        // TODO(kernel): flags (promisc, arp, multicast...), broadcast, alias, group, carrier.
        let ch = LinkChange {
            up: req.up,
            mtu: req.mtu,
            address,
            name: req.name.clone(),
            netns: req.netns,
            txqlen: req.txqlen,
        };
        let ns = self.ns;
        self.sys.net(|k, env| k.link_set(ns, ifindex, &ch, env))
    }
    fn link_del(&mut self, ifindex: u32) -> Result<(), NlError> {
        let ns = self.ns;
        self.sys.net(|k, env| k.link_del(ns, ifindex, env))
    }
    fn addr_add(&mut self, req: &AddrReq, mode: RouteMode) -> Result<(), NlError> {
        let ns = self.ns;
        if mode != RouteMode::Add {
            // NLM_F_REPLACE: an existing address is updated in place.
            let exists = self
                .sys
                .net(|k, _| k.addr_dump(ns))
                .iter()
                .any(|a| a.ifindex == req.ifindex && a.local == req.local);
            // Linux creates the address even for `change` (NLM_F_REPLACE without CREATE).
            if exists {
                let _ = self.sys.net(|k, env| k.addr_del(ns, req, env));
            }
        }
        self.sys.net(|k, env| k.addr_add(ns, req, env))
    }
    fn addr_del(&mut self, req: &AddrReq) -> Result<(), NlError> {
        let ns = self.ns;
        self.sys.net(|k, env| k.addr_del(ns, req, env))
    }
    fn route_add(&mut self, req: &RouteReq, mode: RouteMode) -> Result<(), NlError> {
        let ns = self.ns;
        self.sys.net(|k, env| k.route_add(ns, req, mode, env))
    }
    fn route_del(&mut self, req: &RouteReq) -> Result<(), NlError> {
        let ns = self.ns;
        self.sys.net(|k, env| k.route_del(ns, req, env))
    }
    fn route_get(&mut self, req: &RouteGetReq) -> Result<RouteMsg, NlError> {
        let ns = self.ns;
        self.sys.net(|k, env| k.route_get(ns, req, env))
    }
    fn neigh_add(&mut self, req: &NeighReq, mode: RouteMode) -> Result<(), NlError> {
        let ns = self.ns;
        self.sys.net(|k, env| k.neigh_add(ns, req, mode, env))
    }
    fn neigh_del(&mut self, req: &NeighReq) -> Result<(), NlError> {
        let ns = self.ns;
        self.sys.net(|k, env| k.neigh_del(ns, req, env))
    }

    fn netns_names(&self) -> Vec<String> {
        self.sys.netns_names()
    }
    fn netns_by_name(&self, name: &str) -> Option<NsId> {
        self.sys.netns_by_name(name)
    }
    fn netns_add(&mut self, name: &str) -> Result<NsId, Errno> {
        self.sys.netns_add(name)
    }
    fn netns_delete(&mut self, name: &str) -> Result<(), Errno> {
        self.sys.netns_delete(name)
    }
    fn pids_in(&self, ns: NsId) -> Vec<u32> {
        let mut v: Vec<u32> = self.sys.pids_in(ns).into_iter().map(|p| p.0).collect();
        v.sort_unstable();
        v
    }
    fn pid_netns(&self, pid: u32) -> Option<NsId> {
        if pid == self.pid.0 {
            return Some(self.ns);
        }
        if !self.sys.alive(Pid(pid)) {
            return None;
        }
        let root = self.sys.root_ns();
        let mut candidates: Vec<NsId> = self
            .sys
            .netns_names()
            .iter()
            .filter_map(|n| self.sys.netns_by_name(n))
            .collect();
        candidates.push(root);
        candidates
            .into_iter()
            .find(|ns| self.sys.pids_in(*ns).contains(&Pid(pid)))
            .or(Some(root))
    }
    fn self_pid(&self) -> u32 {
        self.pid.0
    }
}

/// The unspecified address of a family, for requests that leave an address out.
pub fn any_addr(v6: bool) -> IpAddr {
    if v6 {
        IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
    }
}
