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
    /// `ip link set BR type bridge ...`.
    pub bridge: Option<tsunagi_kernel::rtnl::BridgeOpts>,
    /// `ip link set PORT type bridge_slave ...`.
    pub brport: Option<tsunagi_kernel::rtnl::BrPortOpts>,
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
    /// `RTM_GETNSID` dump: every id this namespace gives others, by id.
    fn nsid_dump(&mut self) -> Vec<(i32, NsId)>;
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

impl LabHost {
    /// The `veth%d` name the kernel would give: the first free one of a namespace.
    fn free_veth_name(&self, ns: NsId, taken: &[String]) -> String {
        let used: Vec<String> = self
            .sys
            .net(|k, _| k.link_dump(ns))
            .into_iter()
            .map(|l| l.name)
            .collect();
        (0u32..)
            .map(|i| format!("veth{i}"))
            .find(|n| !used.contains(n) && !taken.contains(n))
            .unwrap_or_default()
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
        self.sys.net(|k, env| k.link_dump_at(ns, env.now()))
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
        self.sys.net(|k, env| k.neigh_dump_at(ns, Some(env.now())))
    }
    fn nsid_of(&mut self, target: NsId) -> Option<i32> {
        let ns = self.ns;
        self.sys.net(|k, _| k.nsid_of(ns, target))
    }
    fn nsid_set(&mut self, target: NsId, nsid: Option<i32>) -> Result<(), NlError> {
        let ns = self.ns;
        self.sys
            .net(|k, _| k.nsid_set(ns, target, nsid))
            .map(|_| ())
    }
    fn nsid_dump(&mut self) -> Vec<(i32, NsId)> {
        let ns = self.ns;
        self.sys.net(|k, _| k.nsid_dump(ns))
    }
    fn link_add(&mut self, req: &NewLink) -> Result<(), NlError> {
        if req.kind == "bridge" {
            let ns = self.ns;
            // Unnamed, the kernel names it `bridge%d`.
            let name = match &req.name {
                Some(n) => n.clone(),
                None => {
                    let used: Vec<String> = self.links().into_iter().map(|l| l.name).collect();
                    (0u32..)
                        .map(|i| format!("bridge{i}"))
                        .find(|n| !used.contains(n))
                        .unwrap_or_default()
                }
            };
            let opts = req.set.bridge.clone().unwrap_or_default();
            self.sys
                .net(|k, env| k.link_add_bridge(ns, &name, &opts, env))?;
            let set = LinkSet {
                bridge: None,
                ..req.set.clone()
            };
            return self.apply(ns, &name, &set);
        }
        if req.kind != "veth" {
            // TODO(kernel): the other kinds.
            return Err(NlError::ext(Errno::EOPNOTSUPP, "Unknown device type"));
        }
        let ns = self.ns;
        // With `netns`, the device is created in that namespace (`rtnl_newlink` with
        // `IFLA_NET_NS_FD`), taking an index there; its peer goes to its own `netns` or stays
        // in the caller's (`veth_newlink` takes the source namespace).
        let dev_ns = req.set.netns.unwrap_or(ns);
        let pns = req.peer_ns.unwrap_or(ns);
        // The kernel names what was not named, the peer first: veth0, veth1, ...
        let peer = match &req.peer_name {
            Some(p) => p.clone(),
            None => self.free_veth_name(pns, &[]),
        };
        let name = match &req.name {
            Some(n) => n.clone(),
            None => {
                let taken = if pns == dev_ns {
                    vec![peer.clone()]
                } else {
                    vec![]
                };
                self.free_veth_name(dev_ns, &taken)
            }
        };
        self.sys
            .net(|k, env| k.link_add_veth(dev_ns, &name, &peer, Some(pns), env))?;
        self.apply(pns, &peer, &req.peer_set)?;
        let set = LinkSet {
            netns: None,
            ..req.set.clone()
        };
        self.apply(dev_ns, &name, &set)
    }
    fn link_set(&mut self, ifindex: u32, req: &LinkSet) -> Result<(), NlError> {
        let lladdr = |a: &Option<Vec<u8>>| match a {
            None => Ok(None),
            Some(a) => <[u8; 6]>::try_from(a.as_slice())
                .map(Some)
                .map_err(|_| NlError::new(Errno::EINVAL)),
        };
        let ch = LinkChange {
            up: req.up,
            flags: req.flags,
            mtu: req.mtu,
            address: lladdr(&req.address)?,
            broadcast: lladdr(&req.broadcast)?,
            name: req.name.clone(),
            netns: req.netns,
            txqlen: req.txqlen,
            alias: req.alias.clone(),
            group: req.group,
            carrier: req.carrier,
            master: req.master,
            bridge: req.bridge.clone(),
            brport: req.brport.clone(),
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

/// An in-memory [`Host`] for tests and the fuzz target: one namespace with `lo`, a veth pair
/// `v1`/`v0`, a veth `x0` whose peer lives in a named namespace `ns1`, a few addresses, routes
/// and neighbours. Requests change it the simple way (no checks beyond existence).
#[derive(Clone, Debug)]
pub struct FakeHost {
    pub links: Vec<LinkMsg>,
    pub addrs: Vec<AddrMsg>,
    pub routes: Vec<RouteMsg>,
    pub neighs: Vec<NeighMsg>,
    pub names: Vec<(String, NsId)>,
    pub ns: NsId,
}

impl Default for FakeHost {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeHost {
    pub fn new() -> FakeHost {
        use std::net::Ipv4Addr;
        use tsunagi_kernel::rtnl::{
            ifa, iff, nud, rt_table, rtn, rtprot, scope, LinkKind, LinkStats, OperState,
        };
        let lo = LinkMsg {
            ifindex: 1,
            name: "lo".into(),
            kind: LinkKind::Loopback,
            flags: iff::LOOPBACK | iff::UP | iff::RUNNING | iff::LOWER_UP,
            mtu: 65536,
            min_mtu: 0,
            max_mtu: 0,
            qdisc: "noqueue",
            operstate: OperState::Unknown,
            linkmode: 0,
            group: 0,
            txqlen: 1000,
            address: [0; 6],
            broadcast: [0; 6],
            link: None,
            link_netnsid: None,
            master: None,
            promiscuity: 0,
            allmulti: 0,
            num_tx_queues: 1,
            num_rx_queues: 1,
            gso_max_size: 65536,
            gso_max_segs: 65535,
            tso_max_size: 524280,
            tso_max_segs: 65535,
            gro_max_size: 65536,
            carrier_changes: 0,
            stats: LinkStats::default(),
            alias: None,
            bridge: None,
            brport: None,
        };
        let veth = |ifindex: u32, name: &str, peer: u32, up: bool| LinkMsg {
            ifindex,
            name: name.into(),
            kind: LinkKind::Veth,
            flags: iff::BROADCAST | iff::MULTICAST | if up { iff::UP } else { 0 },
            mtu: 1500,
            min_mtu: 68,
            max_mtu: 65535,
            qdisc: if up { "noqueue" } else { "noop" },
            operstate: if up {
                OperState::LowerLayerDown
            } else {
                OperState::Down
            },
            address: [0x02, 0, 0x5e, 0, 0x53, ifindex as u8],
            broadcast: [0xff; 6],
            link: Some(peer),
            num_tx_queues: 2,
            num_rx_queues: 2,
            ..lo.clone()
        };
        let mut x0 = veth(4, "x0", 9, true);
        x0.link_netnsid = Some(0);
        let a4 = |ifindex: u32, a: [u8; 4], plen: u8, sc: u8, label: &str| AddrMsg {
            ifindex,
            prefixlen: plen,
            flags: ifa::PERMANENT,
            scope: sc,
            local: IpAddr::V4(Ipv4Addr::from(a)),
            address: IpAddr::V4(Ipv4Addr::from(a)),
            broadcast: None,
            label: Some(label.into()),
            valid_lft: None,
            preferred_lft: None,
        };
        let route = |dst: [u8; 4], len: u8, gw: Option<[u8; 4]>| RouteMsg {
            family_v6: false,
            table: rt_table::MAIN,
            rtype: rtn::UNICAST,
            protocol: if gw.is_some() {
                rtprot::BOOT
            } else {
                rtprot::KERNEL
            },
            scope: if gw.is_some() {
                scope::UNIVERSE
            } else {
                scope::LINK
            },
            dst: IpAddr::V4(Ipv4Addr::from(dst)),
            dst_len: len,
            oif: Some(3),
            gateway: gw.map(|g| IpAddr::V4(Ipv4Addr::from(g))),
            prefsrc: None,
            priority: None,
            flags: 0,
            uid: None,
            cache_flags: None,
            src: None,
            iif: None,
        };
        FakeHost {
            links: vec![
                lo.clone(),
                veth(2, "v1", 3, false),
                veth(3, "v0", 2, true),
                x0,
            ],
            addrs: vec![
                a4(1, [127, 0, 0, 1], 8, scope::HOST, "lo"),
                a4(3, [192, 0, 2, 1], 24, scope::UNIVERSE, "v0"),
            ],
            routes: vec![
                route([0, 0, 0, 0], 0, Some([192, 0, 2, 254])),
                route([192, 0, 2, 0], 24, None),
            ],
            neighs: vec![NeighMsg {
                ifindex: 3,
                dst: IpAddr::V4(Ipv4Addr::new(192, 0, 2, 254)),
                lladdr: Some([0, 0, 0x5e, 0, 0x53, 0xfe]),
                state: nud::REACHABLE,
                flags: 0,
                cache: None,
            }],
            names: vec![("ns1".into(), NsId(1))],
            ns: NsId(0),
        }
    }
}

fn enodev() -> NlError {
    NlError::new(Errno::ENODEV)
}

impl Host for FakeHost {
    fn current_ns(&self) -> NsId {
        self.ns
    }
    fn switch_ns(&mut self, ns: NsId) {
        self.ns = ns;
    }
    fn links(&mut self) -> Vec<LinkMsg> {
        self.links.clone()
    }
    fn addrs(&mut self) -> Vec<AddrMsg> {
        self.addrs.clone()
    }
    fn routes(&mut self, v6: bool) -> Vec<RouteMsg> {
        self.routes
            .iter()
            .filter(|r| r.family_v6 == v6)
            .cloned()
            .collect()
    }
    fn neighs(&mut self) -> Vec<NeighMsg> {
        self.neighs.clone()
    }
    fn nsid_of(&mut self, target: NsId) -> Option<i32> {
        (target == NsId(1)).then_some(0)
    }
    fn nsid_set(&mut self, _target: NsId, _nsid: Option<i32>) -> Result<(), NlError> {
        Ok(())
    }
    fn nsid_dump(&mut self) -> Vec<(i32, NsId)> {
        vec![(0, NsId(1))]
    }
    fn link_add(&mut self, req: &NewLink) -> Result<(), NlError> {
        let next = self.links.iter().map(|l| l.ifindex).max().unwrap_or(0) + 1;
        let mut l = self.links[0].clone();
        l.ifindex = next;
        l.name = req.name.clone().unwrap_or_else(|| format!("veth{next}"));
        self.links.push(l);
        Ok(())
    }
    fn link_set(&mut self, ifindex: u32, req: &LinkSet) -> Result<(), NlError> {
        let l = self
            .links
            .iter_mut()
            .find(|l| l.ifindex == ifindex)
            .ok_or_else(enodev)?;
        if let Some(n) = &req.name {
            l.name = n.clone();
        }
        if let Some(m) = req.mtu {
            l.mtu = m;
        }
        Ok(())
    }
    fn link_del(&mut self, ifindex: u32) -> Result<(), NlError> {
        let before = self.links.len();
        self.links.retain(|l| l.ifindex != ifindex);
        if self.links.len() == before {
            return Err(enodev());
        }
        Ok(())
    }
    fn addr_add(&mut self, req: &AddrReq, _mode: RouteMode) -> Result<(), NlError> {
        self.addrs.push(AddrMsg {
            ifindex: req.ifindex,
            prefixlen: req.prefixlen,
            flags: req.flags,
            scope: req.scope.unwrap_or(0),
            local: req.local,
            address: req.peer.unwrap_or(req.local),
            broadcast: req.broadcast,
            label: req.label.clone(),
            valid_lft: req.valid_lft,
            preferred_lft: req.preferred_lft,
        });
        Ok(())
    }
    fn addr_del(&mut self, req: &AddrReq) -> Result<(), NlError> {
        self.addrs
            .retain(|a| !(a.ifindex == req.ifindex && a.local == req.local));
        Ok(())
    }
    fn route_add(&mut self, req: &RouteReq, _mode: RouteMode) -> Result<(), NlError> {
        self.routes.push(RouteMsg {
            family_v6: req.dst.is_ipv6(),
            table: req.table,
            rtype: req.rtype,
            protocol: req.protocol,
            scope: req.scope.unwrap_or(0),
            dst: req.dst,
            dst_len: req.dst_len,
            oif: req.oif,
            gateway: req.gateway,
            prefsrc: req.prefsrc,
            priority: req.priority,
            flags: req.flags,
            uid: None,
            cache_flags: None,
            src: None,
            iif: None,
        });
        Ok(())
    }
    fn route_del(&mut self, req: &RouteReq) -> Result<(), NlError> {
        let before = self.routes.len();
        self.routes
            .retain(|r| !(r.dst == req.dst && r.dst_len == req.dst_len));
        if self.routes.len() == before {
            return Err(NlError::new(Errno::ESRCH));
        }
        Ok(())
    }
    fn route_get(&mut self, req: &RouteGetReq) -> Result<RouteMsg, NlError> {
        let mut r = self
            .routes
            .first()
            .cloned()
            .ok_or(NlError::new(Errno::ENETUNREACH))?;
        r.dst = req.dst.unwrap_or(any_addr(false));
        r.dst_len = 32;
        r.uid = Some(req.uid.unwrap_or(0));
        r.cache_flags = Some(0);
        r.src = req.src;
        r.iif = req.iif;
        Ok(r)
    }
    fn neigh_add(&mut self, req: &NeighReq, _mode: RouteMode) -> Result<(), NlError> {
        self.neighs.push(NeighMsg {
            ifindex: req.ifindex,
            dst: req.dst,
            lladdr: req.lladdr,
            state: req.state,
            flags: req.flags,
            cache: None,
        });
        Ok(())
    }
    fn neigh_del(&mut self, req: &NeighReq) -> Result<(), NlError> {
        self.neighs
            .retain(|n| !(n.dst == req.dst && n.ifindex == req.ifindex));
        Ok(())
    }
    fn netns_names(&self) -> Vec<String> {
        self.names.iter().rev().map(|(n, _)| n.clone()).collect()
    }
    fn netns_by_name(&self, name: &str) -> Option<NsId> {
        self.names.iter().find(|(n, _)| n == name).map(|(_, i)| *i)
    }
    fn netns_add(&mut self, name: &str) -> Result<NsId, Errno> {
        if self.netns_by_name(name).is_some() {
            return Err(Errno::EEXIST);
        }
        let id = NsId(self.names.len() as u32 + 1);
        self.names.push((name.to_string(), id));
        Ok(id)
    }
    fn netns_delete(&mut self, name: &str) -> Result<(), Errno> {
        let before = self.names.len();
        self.names.retain(|(n, _)| n != name);
        if before == self.names.len() {
            return Err(Errno::ENOENT);
        }
        Ok(())
    }
    fn pids_in(&self, ns: NsId) -> Vec<u32> {
        if ns == self.ns {
            vec![1]
        } else {
            Vec::new()
        }
    }
    fn pid_netns(&self, pid: u32) -> Option<NsId> {
        (pid == 1).then_some(self.ns)
    }
    fn self_pid(&self) -> u32 {
        1
    }
}
