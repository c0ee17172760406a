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
use tsunagi_kernel::{Errno, NsId};
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

impl Host for LabHost {
    fn current_ns(&self) -> NsId {
        self.ns
    }
    fn switch_ns(&mut self, ns: NsId) {
        self.ns = ns;
    }

    // TODO(kernel): wire these to the kernel's rtnetlink calls as they land.
    fn links(&mut self) -> Vec<LinkMsg> {
        Vec::new()
    }
    fn addrs(&mut self) -> Vec<AddrMsg> {
        Vec::new()
    }
    fn routes(&mut self, _v6: bool) -> Vec<RouteMsg> {
        Vec::new()
    }
    fn neighs(&mut self) -> Vec<NeighMsg> {
        Vec::new()
    }
    fn nsid_of(&mut self, _target: NsId) -> Option<i32> {
        None
    }
    fn nsid_set(&mut self, _target: NsId, _nsid: Option<i32>) -> Result<(), NlError> {
        Err(unsupported())
    }
    fn link_add(&mut self, _req: &NewLink) -> Result<(), NlError> {
        Err(unsupported())
    }
    fn link_set(&mut self, _ifindex: u32, _req: &LinkSet) -> Result<(), NlError> {
        Err(unsupported())
    }
    fn link_del(&mut self, _ifindex: u32) -> Result<(), NlError> {
        Err(unsupported())
    }
    fn addr_add(&mut self, _req: &AddrReq, _mode: RouteMode) -> Result<(), NlError> {
        Err(unsupported())
    }
    fn addr_del(&mut self, _req: &AddrReq) -> Result<(), NlError> {
        Err(unsupported())
    }
    fn route_add(&mut self, _req: &RouteReq, _mode: RouteMode) -> Result<(), NlError> {
        Err(unsupported())
    }
    fn route_del(&mut self, _req: &RouteReq) -> Result<(), NlError> {
        Err(unsupported())
    }
    fn route_get(&mut self, _req: &RouteGetReq) -> Result<RouteMsg, NlError> {
        Err(NlError::new(Errno::ENETUNREACH))
    }
    fn neigh_add(&mut self, _req: &NeighReq, _mode: RouteMode) -> Result<(), NlError> {
        Err(unsupported())
    }
    fn neigh_del(&mut self, _req: &NeighReq) -> Result<(), NlError> {
        Err(unsupported())
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
