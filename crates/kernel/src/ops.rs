//! The rtnetlink side of the kernel: creating, changing, listing and deleting links,
//! addresses, routes and neighbours, with the checks and error messages Linux gives.
//! See net/core/rtnetlink.c, net/ipv4/devinet.c, fib_frontend.c, fib_semantics.c,
//! net/core/neighbour.c and drivers/net/veth.c.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use tsunagi_engine::Duration;

use crate::core::{prefix_mask, DevId, DevKind, Env, IfAddr, Kernel, NetEvent, NsId};
use crate::fib::Route;
use crate::neigh::Neigh;
use crate::rtnl::*;
use crate::sysctl::C6_DISABLE_IPV6;
use crate::Errno;

/// Changes `ip link set` asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkChange {
    pub up: Option<bool>,
    /// Other `IFF_*` flags (`ifi_change`, `ifi_flags`): `(mask, values)`.
    pub flags: (u32, u32),
    pub mtu: Option<u32>,
    pub address: Option<[u8; 6]>,
    pub broadcast: Option<[u8; 6]>,
    pub name: Option<String>,
    pub netns: Option<NsId>,
    pub txqlen: Option<u32>,
    /// `IFLA_IFALIAS`: an empty text removes the alias.
    pub alias: Option<String>,
    pub group: Option<u32>,
    /// `IFLA_CARRIER`.
    pub carrier: Option<bool>,
}

/// The flags `dev_change_flags` lets a user change directly; `PROMISC` and `ALLMULTI` go
/// through their counters, `UP` through `dev_open`/`dev_close`.
const USER_FLAGS: u32 = iff::DEBUG
    | iff::NOTRAILERS
    | iff::NOARP
    | iff::DYNAMIC
    | iff::MULTICAST
    | iff::PORTSEL
    | iff::AUTOMEDIA
    | iff::PROMISC
    | iff::ALLMULTI;

/// `IFALIASZ`: an alias is shorter than this.
const IFALIASZ: usize = 256;

/// Time duplicate address detection takes for a link-local address (the random start delay
/// plus one retransmission interval, as Linux does with its defaults).
const DAD_TIME: Duration = Duration::from_millis(1_600);

impl Kernel {
    /// The device `ifindex` of `ns`.
    pub(crate) fn dev_by_index(&self, ns: NsId, ifindex: u32) -> Option<DevId> {
        self.net_opt(ns)?.devs.get(&ifindex).copied()
    }

    fn dev_by_name(&self, ns: NsId, name: &str) -> Option<DevId> {
        self.net_opt(ns)?
            .devs
            .values()
            .copied()
            .find(|d| self.dev(*d).name == name)
    }

    /// The ifindex of device `name` in `ns`.
    pub fn link_index(&self, ns: NsId, name: &str) -> Option<u32> {
        self.dev_by_name(ns, name).map(|d| self.dev(d).ifindex)
    }

    /// The name of device `ifindex` in `ns`.
    pub fn link_name(&self, ns: NsId, ifindex: u32) -> Option<String> {
        self.dev_by_index(ns, ifindex)
            .map(|d| self.dev(d).name.clone())
    }

    // --- links ----------------------------------------------------------------------------

    /// Describes one device.
    fn link_msg(&mut self, d: DevId) -> LinkMsg {
        let carrier = self.carrier(d);
        let peer_info = self
            .dev(d)
            .peer
            .and_then(|p| self.dev_opt(p))
            .map(|p| (p.ns, p.ifindex));
        let dev = self.dev(d);
        let ns = dev.ns;
        let mut flags = dev.flags;
        if dev.admin_up {
            flags |= iff::UP;
            if carrier {
                flags |= iff::RUNNING | iff::LOWER_UP;
            }
        }
        let (kind, operstate) = match dev.kind {
            DevKind::Loopback => {
                let st = if dev.admin_up {
                    OperState::Unknown
                } else {
                    OperState::Down
                };
                (LinkKind::Loopback, st)
            }
            DevKind::Veth => {
                let st = if !dev.admin_up {
                    OperState::Down
                } else if carrier {
                    OperState::Up
                } else {
                    OperState::LowerLayerDown
                };
                (LinkKind::Veth, st)
            }
        };
        let mut msg = LinkMsg {
            ifindex: dev.ifindex,
            name: dev.name.clone(),
            kind,
            flags,
            mtu: dev.mtu,
            min_mtu: if dev.kind == DevKind::Veth { 68 } else { 0 },
            max_mtu: if dev.kind == DevKind::Veth { 65535 } else { 0 },
            qdisc: if dev.qdisc_attached {
                "noqueue"
            } else {
                "noop"
            },
            operstate,
            linkmode: 0,
            group: dev.group,
            txqlen: dev.txqlen,
            address: dev.mac,
            broadcast: dev.broadcast,
            link: None,
            link_netnsid: None,
            master: None,
            promiscuity: u32::from(dev.flags & iff::PROMISC != 0),
            allmulti: u32::from(dev.flags & iff::ALLMULTI != 0),
            num_tx_queues: if dev.kind == DevKind::Veth { 2 } else { 1 },
            num_rx_queues: if dev.kind == DevKind::Veth { 2 } else { 1 },
            gso_max_size: 65536,
            gso_max_segs: 65535,
            tso_max_size: 524280,
            tso_max_segs: 65535,
            gro_max_size: 65536,
            carrier_changes: dev.carrier_changes,
            stats: dev.stats,
            alias: dev.alias.clone(),
        };
        if let Some((pns, pidx)) = peer_info {
            msg.link = Some(pidx);
            if pns != ns {
                msg.link_netnsid = Some(self.nsid_alloc(ns, pns));
            }
        }
        msg
    }

    /// Every link of `ns`, by ifindex.
    pub fn link_dump(&mut self, ns: NsId) -> Vec<LinkMsg> {
        let devs: Vec<DevId> = match self.net_opt(ns) {
            Some(n) => n.devs.values().copied().collect(),
            None => return Vec::new(),
        };
        devs.into_iter().map(|d| self.link_msg(d)).collect()
    }

    /// `ip link add NAME type veth peer name PEER`: the peer is registered first and so gets
    /// the lower index.
    pub fn link_add_veth(
        &mut self,
        ns: NsId,
        name: &str,
        peer: &str,
        peer_ns: Option<NsId>,
        env: &mut dyn Env,
    ) -> Result<(), NlError> {
        let pns = peer_ns.unwrap_or(ns);
        check_ifname(name)?;
        check_ifname(peer)?;
        if self.dev_by_name(ns, name).is_some() || self.dev_by_name(pns, peer).is_some() {
            return Err(NlError::new(Errno::EEXIST));
        }
        if pns == ns && name == peer {
            // `veth_newlink` registers the peer first, which takes an ifindex; registering
            // the device itself then fails on the name the peer holds, and the index the
            // peer took is not given back.
            self.alloc_ifindex(pns);
            return Err(NlError::new(Errno::EEXIST));
        }
        let pmac = Self::random_mac(env);
        let mac = Self::random_mac(env);
        let p = self.new_device(pns, peer, DevKind::Veth, pmac, None);
        let d = self.new_device(ns, name, DevKind::Veth, mac, None);
        self.dev_mut(p).peer = Some(d);
        self.dev_mut(d).peer = Some(p);
        if pns != ns {
            // The new device's `RTM_NEWLINK` carries `IFLA_LINK_NETNSID`, and filling it in
            // allocates an id for the peer's namespace (`peernet2id_alloc`). The peer was
            // announced before it had a peer, so its namespace gets no id for ours yet.
            self.nsid_alloc(ns, pns);
        }
        Ok(())
    }

    /// `ip link set`.
    pub fn link_set(
        &mut self,
        ns: NsId,
        ifindex: u32,
        ch: &LinkChange,
        env: &mut dyn Env,
    ) -> Result<(), NlError> {
        let d = self
            .dev_by_index(ns, ifindex)
            .ok_or(NlError::new(Errno::ENODEV))?;
        if let Some(target) = ch.netns {
            self.dev_change_net_namespace(d, target, ch.name.as_deref(), env)?;
        } else if let Some(name) = &ch.name {
            check_ifname(name)?;
            // Linux 6 renames a device that is up as well as one that is down.
            if self.dev(d).name != *name {
                if self.dev_by_name(ns, name).is_some() {
                    return Err(NlError::new(Errno::EEXIST));
                }
                self.dev_mut(d).name = name.clone();
            }
        }
        if let Some(alias) = &ch.alias {
            // `dev_set_alias`: an empty alias removes it.
            if alias.len() >= IFALIASZ {
                return Err(NlError::new(Errno::EINVAL));
            }
            self.dev_mut(d).alias = (!alias.is_empty()).then(|| alias.clone());
        }
        if let Some(g) = ch.group {
            self.dev_mut(d).group = g;
        }
        if let Some(b) = ch.broadcast {
            self.dev_mut(d).broadcast = b;
        }
        if let Some(mtu) = ch.mtu {
            let kind = self.dev(d).kind;
            let (min, max) = match kind {
                DevKind::Veth => (68, 65535),
                DevKind::Loopback => (0, u32::MAX),
            };
            if mtu < min {
                return Err(NlError::ext(Errno::EINVAL, "mtu less than device minimum"));
            }
            if mtu > max {
                return Err(NlError::ext(
                    Errno::EINVAL,
                    "mtu greater than device maximum",
                ));
            }
            self.dev_mut(d).mtu = mtu;
        }
        if let Some(q) = ch.txqlen {
            self.dev_mut(d).txqlen = q;
        }
        if let Some(mac) = ch.address {
            if mac[0] & 1 != 0 || mac == [0; 6] {
                return Err(NlError::new(Errno::EADDRNOTAVAIL));
            }
            if self.dev(d).kind == DevKind::Veth {
                self.dev_mut(d).mac = mac;
                if self.dev(d).ll6.is_some() {
                    self.start_dad(d, env);
                }
            }
        }
        // `dev_change_flags`: the flags a user may set, the rest as the device has them.
        let mask = ch.flags.0 & USER_FLAGS;
        if mask != 0 {
            let dev = self.dev_mut(d);
            dev.flags = (dev.flags & !mask) | (ch.flags.1 & mask);
        }
        match ch.up {
            Some(true) => self.dev_open(d, env),
            Some(false) => self.dev_close(d, env),
            None => {}
        }
        if ch.carrier.is_some() {
            // Neither veth nor loopback has `ndo_change_carrier`.
            return Err(NlError::new(Errno::EOPNOTSUPP));
        }
        Ok(())
    }

    /// Moves a device to another namespace (`dev_change_net_namespace`).
    fn dev_change_net_namespace(
        &mut self,
        d: DevId,
        target: NsId,
        new_name: Option<&str>,
        env: &mut dyn Env,
    ) -> Result<(), NlError> {
        let from = self.dev(d).ns;
        if !self.ns_alive(target) {
            return Err(NlError::new(Errno::EINVAL));
        }
        if target == from {
            return Ok(());
        }
        if self.dev(d).kind == DevKind::Loopback {
            return Err(NlError::new(Errno::EINVAL));
        }
        let name = new_name
            .map(str::to_string)
            .unwrap_or_else(|| self.dev(d).name.clone());
        if self.dev_by_name(target, &name).is_some() {
            return Err(NlError::ext(
                Errno::EEXIST,
                "An interface with the same name exists in the target netns",
            ));
        }
        // The device goes down and loses its addresses, routes and neighbours.
        self.dev_close(d, env);
        self.dev_mut(d).v4.clear();
        self.dev_mut(d).ll6 = None;
        self.dev_mut(d).qdisc_attached = false;
        let old_index = self.dev(d).ifindex;
        self.net_mut(from).devs.remove(&old_index);
        let index = if self.net(target).devs.contains_key(&old_index) {
            self.alloc_ifindex(target)
        } else {
            old_index
        };
        // The device is unregistered from the old namespace and registered in the new one:
        // its IPv4, IPv6 and neighbour settings start again from the new one's defaults.
        let conf = crate::sysctl::DevConf::new(&self.net(target).sysctl, self.dev(d).kind);
        {
            let dev = self.dev_mut(d);
            dev.ns = target;
            dev.ifindex = index;
            dev.name = name;
            dev.conf = conf;
        }
        self.net_mut(target).devs.insert(index, d);
        // The `RTM_DELLINK` sent in the old namespace names the new one by its id
        // (`IFLA_TARGET_NETNSID`), allocating one; the `RTM_NEWLINK` sent in the new
        // namespace names the peer's namespace (`IFLA_LINK_NETNSID`), allocating another. The
        // peer's namespace gets an id for the new one only when something lists the peer.
        self.nsid_alloc(from, target);
        if let Some(p) = self.dev(d).peer {
            let pns = self.dev(p).ns;
            if pns != target {
                self.nsid_alloc(target, pns);
            }
        }
        Ok(())
    }

    /// Brings a device up (`dev_open`, then the `NETDEV_UP` work of inet and addrconf).
    pub(crate) fn dev_open(&mut self, d: DevId, env: &mut dyn Env) {
        if self.dev(d).admin_up {
            return;
        }
        let peer = self.dev(d).peer;
        let before_peer = peer.map(|p| self.carrier(p));
        {
            let dev = self.dev_mut(d);
            dev.admin_up = true;
            dev.qdisc_attached = true;
        }
        let ns = self.dev(d).ns;
        if self.dev(d).kind == DevKind::Loopback && self.dev(d).v4.is_empty() {
            self.dev_mut(d).v4.push(IfAddr {
                local: Ipv4Addr::LOCALHOST,
                prefixlen: 8,
                peer: None,
                broadcast: None,
                scope: scope::HOST,
                label: "lo".into(),
                secondary: false,
                flags: ifa::PERMANENT,
            });
        }
        let addrs = self.dev(d).v4.clone();
        for a in &addrs {
            self.fib_add_ifaddr(ns, d, a);
        }
        if self.carrier(d) {
            self.carrier_on(d, env);
        }
        if let (Some(p), Some(false)) = (peer, before_peer) {
            if self.carrier(p) {
                self.carrier_on(p, env);
            }
        }
    }

    fn carrier_on(&mut self, d: DevId, env: &mut dyn Env) {
        if self.dev(d).kind == DevKind::Veth {
            // The loopback's carrier is always on: no change is counted.
            self.dev_mut(d).carrier_changes += 1;
        }
        self.addrconf_up(d, env);
    }

    /// The link is ready (`addrconf_notify` on `NETDEV_UP`/`NETDEV_CHANGE`): unless IPv6 is
    /// off on it, the loopback gets `::1` and other links a link-local address, tentative
    /// while duplicate address detection runs.
    fn addrconf_up(&mut self, d: DevId, env: &mut dyn Env) {
        if self.dev(d).conf.conf6[C6_DISABLE_IPV6] != 0 {
            return;
        }
        if self.dev(d).kind == DevKind::Loopback {
            self.dev_mut(d).ll6 = Some(false);
        } else {
            self.start_dad(d, env);
        }
    }

    /// `disable_ipv6` changed on a device: turning IPv6 off takes its addresses away
    /// (`addrconf_ifdown`), turning it on configures a link that is ready.
    pub(crate) fn ipv6_enable_change(&mut self, d: DevId, enabled: bool, env: &mut dyn Env) {
        if !enabled {
            let dev = self.dev_mut(d);
            dev.ll6 = None;
            dev.dad_epoch += 1;
        } else if self.dev(d).ll6.is_none() && self.carrier(d) {
            self.addrconf_up(d, env);
        }
    }

    fn carrier_off(&mut self, d: DevId, env: &mut dyn Env) {
        self.dev_mut(d).carrier_changes += 1;
        self.neigh_flush_dev(d, env);
    }

    fn start_dad(&mut self, d: DevId, env: &mut dyn Env) {
        let dev = self.dev_mut(d);
        dev.ll6 = Some(true);
        dev.dad_epoch += 1;
        let epoch = dev.dad_epoch;
        let jitter = Duration(env.rng().range(0, 400_000_000));
        env.at(
            env.now() + DAD_TIME + jitter,
            NetEvent::DadDone { dev: d, epoch },
        );
    }

    /// Takes a device down (`dev_close`): its routes and neighbours go, and its peer loses
    /// carrier.
    pub(crate) fn dev_close(&mut self, d: DevId, env: &mut dyn Env) {
        if !self.dev(d).admin_up {
            return;
        }
        let had_carrier = self.carrier(d);
        let peer = self.dev(d).peer;
        let peer_had = peer.map(|p| self.carrier(p));
        self.dev_mut(d).admin_up = false;
        let ns = self.dev(d).ns;
        self.net_mut(ns).fib.remove_dev(d);
        self.neigh_flush_dev(d, env);
        {
            let dev = self.dev_mut(d);
            dev.ll6 = None;
            dev.dad_epoch += 1;
        }
        if had_carrier && self.dev(d).kind == DevKind::Veth {
            // `veth_close` turns the carrier off.
            self.dev_mut(d).carrier_changes += 1;
        }
        if let (Some(p), Some(true)) = (peer, peer_had) {
            if self.dev_opt(p).is_some() {
                self.carrier_off(p, env);
            }
        }
    }

    /// Removes a device for good (`unregister_netdevice`); a veth takes its peer along.
    pub(crate) fn unregister(&mut self, d: DevId, env: &mut dyn Env) {
        let peer = self.dev(d).peer.filter(|p| self.dev_opt(*p).is_some());
        let both: Vec<DevId> = [Some(d), peer].into_iter().flatten().collect();
        // Close both ends before removing either: closing one looks at the other.
        for &x in &both {
            self.dev_close(x, env);
        }
        for x in both {
            let (ns, idx) = (self.dev(x).ns, self.dev(x).ifindex);
            self.net_mut(ns).devs.remove(&idx);
            self.devs[x.0 as usize] = None;
        }
    }

    /// `ip link delete`.
    pub fn link_del(&mut self, ns: NsId, ifindex: u32, env: &mut dyn Env) -> Result<(), NlError> {
        let d = self
            .dev_by_index(ns, ifindex)
            .ok_or(NlError::new(Errno::ENODEV))?;
        if self.dev(d).kind == DevKind::Loopback {
            return Err(NlError::new(Errno::EOPNOTSUPP));
        }
        self.unregister(d, env);
        Ok(())
    }

    // --- addresses ------------------------------------------------------------------------

    /// Every address of `ns`: IPv4 ones by device, then IPv6 ones.
    pub fn addr_dump(&self, ns: NsId) -> Vec<AddrMsg> {
        let Some(net) = self.net_opt(ns) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for d in net.devs.values() {
            let dev = self.dev(*d);
            for a in &dev.v4 {
                out.push(AddrMsg {
                    ifindex: dev.ifindex,
                    prefixlen: a.prefixlen,
                    flags: a.flags | if a.secondary { ifa::SECONDARY } else { 0 },
                    scope: a.scope,
                    local: IpAddr::V4(a.local),
                    address: IpAddr::V4(a.peer.unwrap_or(a.local)),
                    broadcast: a.broadcast,
                    label: Some(a.label.clone()),
                    valid_lft: None,
                    preferred_lft: None,
                });
            }
        }
        for d in net.devs.values() {
            let dev = self.dev(*d);
            if let Some(tentative) = dev.ll6 {
                let (addr, len, sc) = if dev.kind == DevKind::Loopback {
                    (Ipv6Addr::LOCALHOST, 128, scope::HOST)
                } else {
                    (link_local(dev.mac), 64, scope::LINK)
                };
                out.push(AddrMsg {
                    ifindex: dev.ifindex,
                    prefixlen: len,
                    flags: ifa::PERMANENT | if tentative { ifa::TENTATIVE } else { 0 },
                    scope: sc,
                    local: IpAddr::V6(addr),
                    address: IpAddr::V6(addr),
                    broadcast: None,
                    label: None,
                    valid_lft: None,
                    preferred_lft: None,
                });
            }
        }
        out
    }

    /// `ip address add`.
    pub fn addr_add(&mut self, ns: NsId, req: &AddrReq, _env: &mut dyn Env) -> Result<(), NlError> {
        let d = self
            .dev_by_index(ns, req.ifindex)
            .ok_or(NlError::new(Errno::ENODEV))?;
        let IpAddr::V4(local) = req.local else {
            return Err(NlError::new(Errno::EOPNOTSUPP));
        };
        if req.prefixlen > 32 {
            return Err(NlError::new(Errno::EINVAL));
        }
        let dev = self.dev(d);
        if dev
            .v4
            .iter()
            .any(|a| a.local == local && a.prefixlen == req.prefixlen)
            || dev.v4.iter().any(|a| a.local == local)
        {
            return Err(NlError::ext(
                Errno::EEXIST,
                "ipv4: Address already assigned",
            ));
        }
        let scope = req.scope.unwrap_or(if local.octets()[0] == 127 {
            scope::HOST
        } else {
            scope::UNIVERSE
        });
        let mut a = IfAddr {
            local,
            prefixlen: req.prefixlen,
            peer: match req.peer {
                Some(IpAddr::V4(p)) => Some(p),
                _ => None,
            },
            broadcast: req.broadcast,
            scope,
            label: req.label.clone().unwrap_or_else(|| dev.name.clone()),
            secondary: false,
            flags: ifa::PERMANENT | (req.flags & (ifa::NOPREFIXROUTE | ifa::NODAD)),
        };
        a.secondary = dev
            .v4
            .iter()
            .any(|x| !x.secondary && x.prefixlen == a.prefixlen && x.contains(local));
        let dev = self.dev_mut(d);
        if a.secondary {
            dev.v4.push(a.clone());
        } else {
            let at = dev
                .v4
                .iter()
                .position(|x| x.secondary)
                .unwrap_or(dev.v4.len());
            dev.v4.insert(at, a.clone());
        }
        self.fib_add_ifaddr(ns, d, &a);
        Ok(())
    }

    /// `ip address del`: `EADDRNOTAVAIL` if the address is not there. Deleting a primary
    /// address deletes its secondaries (`promote_secondaries` is off).
    pub fn addr_del(&mut self, ns: NsId, req: &AddrReq, _env: &mut dyn Env) -> Result<(), NlError> {
        let d = self
            .dev_by_index(ns, req.ifindex)
            .ok_or(NlError::new(Errno::ENODEV))?;
        let IpAddr::V4(local) = req.local else {
            return Err(NlError::new(Errno::EADDRNOTAVAIL));
        };
        let dev = self.dev(d);
        let pos = dev
            .v4
            .iter()
            .position(|a| {
                // Without a prefix length ip sends /32 and deletes whatever matches.
                a.local == local && (a.prefixlen == req.prefixlen || req.prefixlen == 32)
            })
            .ok_or(NlError::ext(
                Errno::EADDRNOTAVAIL,
                "ipv4: Address not found",
            ))?;
        let removed = self.dev_mut(d).v4.remove(pos);
        let mut gone = vec![removed.clone()];
        if !removed.secondary {
            let dev = self.dev_mut(d);
            let (sec, keep): (Vec<IfAddr>, Vec<IfAddr>) = dev.v4.drain(..).partition(|a| {
                a.secondary && a.prefixlen == removed.prefixlen && removed.contains(a.local)
            });
            dev.v4 = keep;
            gone.extend(sec);
        }
        for a in gone {
            self.fib_del_ifaddr(ns, d, &a);
        }
        Ok(())
    }

    /// Routes an address brings (`fib_add_ifaddr`).
    fn fib_add_ifaddr(&mut self, ns: NsId, d: DevId, a: &IfAddr) {
        let up = self.dev(d).admin_up;
        let lo = self.dev(d).kind == DevKind::Loopback;
        let src = a.local;
        let mk = |table, rtype, dst: u32, len, sc| Route {
            table,
            rtype,
            protocol: rtprot::KERNEL,
            scope: sc,
            dst,
            len,
            tos: 0,
            oif: Some(d),
            gateway: None,
            prefsrc: Some(src),
            priority: 0,
            flags: 0,
        };
        let fib = &mut self.net_mut(ns).fib;
        fib.insert(mk(
            rt_table::LOCAL,
            rtn::LOCAL,
            u32::from(a.local),
            32,
            scope::HOST,
        ));
        if !up {
            return;
        }
        if let Some(b) = a.broadcast.filter(|b| *b != Ipv4Addr::BROADCAST) {
            fib.insert(mk(
                rt_table::LOCAL,
                rtn::BROADCAST,
                u32::from(b),
                32,
                scope::LINK,
            ));
        }
        let prefix = a.network();
        if prefix != 0 && !a.secondary && (prefix != u32::from(a.local) || a.prefixlen < 32) {
            if a.flags & ifa::NOPREFIXROUTE == 0 {
                if lo {
                    fib.insert(mk(
                        rt_table::LOCAL,
                        rtn::LOCAL,
                        prefix,
                        a.prefixlen,
                        scope::HOST,
                    ));
                } else {
                    fib.insert(mk(
                        rt_table::MAIN,
                        rtn::UNICAST,
                        prefix,
                        a.prefixlen,
                        scope::LINK,
                    ));
                }
            }
            if a.prefixlen < 31 {
                fib.insert(mk(
                    rt_table::LOCAL,
                    rtn::BROADCAST,
                    prefix | !a.mask(),
                    32,
                    scope::LINK,
                ));
            }
        }
    }

    /// Routes an address takes away (`fib_del_ifaddr`).
    fn fib_del_ifaddr(&mut self, ns: NsId, d: DevId, a: &IfAddr) {
        let fib = &mut self.net_mut(ns).fib;
        fib.routes.retain(|r| {
            !(r.oif == Some(d) && r.protocol == rtprot::KERNEL && r.prefsrc == Some(a.local))
        });
    }

    // --- routes ---------------------------------------------------------------------------

    fn route_msg(&self, r: &Route) -> RouteMsg {
        let mut flags = r.flags;
        if let Some(d) = r.oif.and_then(|d| self.dev_opt(d)) {
            if r.table == rt_table::MAIN && d.admin_up && !self.carrier(r.oif.expect("set")) {
                flags |= rtnh::LINKDOWN;
            }
        }
        RouteMsg {
            family_v6: false,
            table: r.table,
            rtype: r.rtype,
            protocol: r.protocol,
            scope: r.scope,
            dst: IpAddr::V4(Ipv4Addr::from(r.dst)),
            dst_len: r.len,
            oif: r.oif.and_then(|d| self.dev_opt(d)).map(|d| d.ifindex),
            gateway: r.gateway.map(IpAddr::V4),
            prefsrc: r.prefsrc.map(IpAddr::V4),
            priority: (r.priority != 0).then_some(r.priority),
            flags,
            uid: None,
            cache_flags: None,
            src: None,
            iif: None,
        }
    }

    /// Every IPv4 route of `ns` (main table, then local), or the IPv6 ones.
    pub fn route_dump(&self, ns: NsId, v6: bool) -> Vec<RouteMsg> {
        let Some(net) = self.net_opt(ns) else {
            return Vec::new();
        };
        if v6 {
            return self.route6_dump(ns);
        }
        let mut v: Vec<RouteMsg> = net
            .fib
            .routes
            .iter()
            .filter(|r| r.table != rt_table::LOCAL)
            .map(|r| self.route_msg(r))
            .collect();
        v.extend(
            net.fib
                .routes
                .iter()
                .filter(|r| r.table == rt_table::LOCAL)
                .map(|r| self.route_msg(r)),
        );
        v
    }

    /// The IPv6 routes addrconf installs for link-local addresses.
    fn route6_dump(&self, ns: NsId) -> Vec<RouteMsg> {
        let net = self.net(ns);
        let mut main = Vec::new();
        let mut local = Vec::new();
        for d in net.devs.values() {
            let dev = self.dev(*d);
            if dev.ll6.is_none() {
                continue;
            }
            let base = |table, rtype, dst: Ipv6Addr, len, prio| RouteMsg {
                family_v6: true,
                table,
                rtype,
                protocol: rtprot::KERNEL,
                scope: scope::UNIVERSE,
                dst: IpAddr::V6(dst),
                dst_len: len,
                oif: Some(dev.ifindex),
                gateway: None,
                prefsrc: None,
                priority: Some(prio),
                flags: 0,
                uid: None,
                cache_flags: None,
                src: None,
                iif: None,
            };
            if dev.kind == DevKind::Loopback {
                main.push(base(
                    rt_table::MAIN,
                    rtn::UNICAST,
                    Ipv6Addr::LOCALHOST,
                    128,
                    256,
                ));
                local.push(base(
                    rt_table::LOCAL,
                    rtn::LOCAL,
                    Ipv6Addr::LOCALHOST,
                    128,
                    0,
                ));
            } else {
                main.push(base(
                    rt_table::MAIN,
                    rtn::UNICAST,
                    Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0),
                    64,
                    256,
                ));
                local.push(base(
                    rt_table::LOCAL,
                    rtn::LOCAL,
                    link_local(dev.mac),
                    128,
                    0,
                ));
                local.push(base(
                    rt_table::LOCAL,
                    rtn::MULTICAST,
                    Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0),
                    8,
                    256,
                ));
            }
        }
        main.extend(local);
        main
    }

    fn req_dev(&self, ns: NsId, oif: Option<u32>) -> Result<Option<DevId>, NlError> {
        match oif {
            None => Ok(None),
            Some(i) => self
                .dev_by_index(ns, i)
                .map(Some)
                .ok_or(NlError::new(Errno::ENODEV)),
        }
    }

    /// `ip route add|replace|change|append`, with `fib_check_nh`'s checks.
    pub fn route_add(
        &mut self,
        ns: NsId,
        req: &RouteReq,
        mode: RouteMode,
        _env: &mut dyn Env,
    ) -> Result<(), NlError> {
        let IpAddr::V4(dst) = req.dst else {
            return Err(NlError::new(Errno::EOPNOTSUPP));
        };
        if req.dst_len > 32 {
            return Err(NlError::new(Errno::EINVAL));
        }
        let mask = prefix_mask(req.dst_len);
        if u32::from(dst) & !mask != 0 {
            return Err(NlError::ext(
                Errno::EINVAL,
                "Invalid prefix for given prefix length",
            ));
        }
        let mut oif = self.req_dev(ns, req.oif)?;
        let gateway = match req.gateway {
            Some(IpAddr::V4(g)) => Some(g),
            Some(IpAddr::V6(_)) => return Err(NlError::new(Errno::EINVAL)),
            None => None,
        };
        let onlink = req.flags & rtnh::ONLINK != 0;
        if req.rtype == rtn::UNICAST {
            match gateway {
                Some(g) if !onlink => {
                    // The gateway must be reachable through a link-scope route.
                    let r = self
                        .net(ns)
                        .fib
                        .lookup(g, None)
                        .filter(|r| {
                            r.scope >= scope::LINK && r.rtype != rtn::LOCAL
                                || (r.rtype == rtn::UNICAST && r.gateway.is_none())
                        })
                        .cloned();
                    let r = r.ok_or(NlError::ext(
                        Errno::ENETUNREACH,
                        "Nexthop has invalid gateway",
                    ))?;
                    if r.rtype == rtn::LOCAL {
                        return Err(NlError::ext(Errno::EINVAL, "Nexthop has invalid gateway"));
                    }
                    if let Some(o) = oif {
                        if r.oif != Some(o) {
                            return Err(NlError::ext(
                                Errno::ENETUNREACH,
                                "Nexthop has invalid gateway",
                            ));
                        }
                    }
                    oif = r.oif;
                }
                Some(_) => {
                    let o = oif.ok_or(NlError::ext(
                        Errno::EINVAL,
                        "Nexthop device required for onlink",
                    ))?;
                    if !self.dev(o).admin_up {
                        return Err(NlError::ext(Errno::ENETDOWN, "Nexthop device is not up"));
                    }
                }
                None => {
                    let o = oif.ok_or(NlError::ext(Errno::EINVAL, "Nexthop device required"))?;
                    let _ = o;
                }
            }
            if let Some(o) = oif {
                if !self.dev(o).admin_up {
                    return Err(NlError::ext(Errno::ENETDOWN, "Nexthop device is not up"));
                }
            }
        }
        if let Some(IpAddr::V4(src)) = req.prefsrc {
            if !self.is_local_addr(ns, src) {
                return Err(NlError::ext(Errno::EINVAL, "Invalid prefsrc address"));
            }
        }
        let scope = req.scope.unwrap_or(match (req.rtype, gateway) {
            (rtn::LOCAL, _) => scope::HOST,
            (rtn::UNICAST, None) => scope::LINK,
            _ => scope::UNIVERSE,
        });
        let r = Route {
            table: req.table,
            rtype: req.rtype,
            protocol: req.protocol,
            scope,
            dst: u32::from(dst),
            len: req.dst_len,
            tos: 0,
            oif,
            gateway,
            prefsrc: match req.prefsrc {
                Some(IpAddr::V4(s)) => Some(s),
                _ => None,
            },
            priority: req.priority.unwrap_or(0),
            flags: req.flags & rtnh::ONLINK,
        };
        let fib = &mut self.net_mut(ns).fib;
        let existing = fib.find_exact(r.table, r.dst, r.len, 0, r.priority);
        match (mode, existing) {
            (RouteMode::Add, Some(_)) => return Err(NlError::new(Errno::EEXIST)),
            (RouteMode::Change, None) => return Err(NlError::new(Errno::ENOENT)),
            (RouteMode::Replace | RouteMode::Change, Some(i)) => {
                fib.routes.remove(i);
            }
            (RouteMode::Append, Some(i)) if fib.routes[i] == r => {
                return Err(NlError::new(Errno::EEXIST))
            }
            _ => {}
        }
        fib.insert(r);
        Ok(())
    }

    /// `ip route del`: the first route matching every attribute given; `ESRCH` if none.
    pub fn route_del(
        &mut self,
        ns: NsId,
        req: &RouteReq,
        _env: &mut dyn Env,
    ) -> Result<(), NlError> {
        let IpAddr::V4(dst) = req.dst else {
            return Err(NlError::new(Errno::ESRCH));
        };
        let oif = self.req_dev(ns, req.oif)?;
        let gw = match req.gateway {
            Some(IpAddr::V4(g)) => Some(g),
            _ => None,
        };
        let fib = &mut self.net_mut(ns).fib;
        let pos = fib.routes.iter().position(|r| {
            r.table == req.table
                && r.dst == u32::from(dst)
                && r.len == req.dst_len
                && (oif.is_none() || r.oif == oif)
                && (gw.is_none() || r.gateway == gw)
                && req.priority.is_none_or(|p| p == r.priority)
                && (req.scope.is_none_or(|s| s == r.scope))
                && (req.protocol == rtprot::UNSPEC
                    || req.protocol == rtprot::BOOT
                    || r.protocol == req.protocol)
        });
        match pos {
            Some(i) => {
                fib.routes.remove(i);
                Ok(())
            }
            None => Err(NlError::new(Errno::ESRCH)),
        }
    }

    /// `ip route get`.
    pub fn route_get(
        &mut self,
        ns: NsId,
        req: &RouteGetReq,
        _env: &mut dyn Env,
    ) -> Result<RouteMsg, NlError> {
        let dst = match req.dst {
            Some(IpAddr::V4(d)) => d,
            None => Ipv4Addr::UNSPECIFIED,
            Some(IpAddr::V6(_)) => return Err(NlError::new(Errno::ENETUNREACH)),
        };
        let src = match req.src {
            Some(IpAddr::V4(s)) => Some(s),
            _ => None,
        };
        if let Some(s) = src {
            if req.iif.is_none() && !self.is_local_addr(ns, s) {
                return Err(NlError::new(Errno::EINVAL));
            }
        }
        let oif = self.req_dev(ns, req.oif)?;
        let rt = self.route_output(ns, dst, src, oif).map_err(NlError::new)?;
        let route = self.net(ns).fib.lookup(dst, oif).cloned();
        let (table, rtype, gateway) = match &route {
            Some(r) => (r.table, r.rtype, r.gateway),
            None => (rt_table::MAIN, rt.rtype, None),
        };
        let mut cache = 0;
        if rtype == rtn::LOCAL {
            cache |= rtcf::LOCAL;
        }
        if rtype == rtn::BROADCAST {
            cache |= rtcf::BROADCAST | rtcf::LOCAL;
        }
        Ok(RouteMsg {
            family_v6: false,
            table,
            rtype,
            protocol: rtprot::UNSPEC,
            scope: scope::UNIVERSE,
            dst: IpAddr::V4(dst),
            dst_len: 32,
            oif: Some(self.dev(rt.dev).ifindex),
            gateway: gateway.map(IpAddr::V4),
            prefsrc: Some(IpAddr::V4(rt.src)),
            priority: None,
            flags: 0,
            uid: Some(req.uid.unwrap_or(0)),
            cache_flags: Some(cache),
            src: src.map(IpAddr::V4),
            iif: None,
        })
    }

    // --- neighbours -----------------------------------------------------------------------

    /// Every neighbour entry of `ns` (entries without an address or FAILED are listed too,
    /// as Linux does).
    pub fn neigh_dump(&self, ns: NsId) -> Vec<NeighMsg> {
        let Some(net) = self.net_opt(ns) else {
            return Vec::new();
        };
        net.neigh
            .entries
            .iter()
            .filter_map(|((d, ip), n)| {
                let dev = self.dev_opt(*d)?;
                Some(NeighMsg {
                    ifindex: dev.ifindex,
                    dst: IpAddr::V4(*ip),
                    lladdr: if n.state & (nud::INCOMPLETE | nud::FAILED) != 0 {
                        None
                    } else {
                        n.lladdr
                    },
                    state: n.state,
                    flags: n.flags,
                })
            })
            .collect()
    }

    /// `ip neigh add|replace|change`.
    pub fn neigh_add(
        &mut self,
        ns: NsId,
        req: &NeighReq,
        mode: RouteMode,
        env: &mut dyn Env,
    ) -> Result<(), NlError> {
        let d = self
            .dev_by_index(ns, req.ifindex)
            .ok_or(NlError::new(Errno::ENODEV))?;
        let IpAddr::V4(ip) = req.dst else {
            return Err(NlError::new(Errno::EOPNOTSUPP));
        };
        let now = env.now();
        let exists = self.net(ns).neigh.entries.contains_key(&(d, ip));
        match (mode, exists) {
            (RouteMode::Add, true) => return Err(NlError::new(Errno::EEXIST)),
            (RouteMode::Change, false) => return Err(NlError::new(Errno::ENOENT)),
            _ => {}
        }
        if let Some(t) = self
            .net_mut(ns)
            .neigh
            .entries
            .get_mut(&(d, ip))
            .and_then(|n| n.timer.take())
        {
            env.cancel(t);
        }
        let reach = self.net(ns).sysctl.reachable_time;
        // `neigh_add` creates the entry, then `__neigh_update` refuses a valid state without
        // an address when the entry has none to keep: the new entry stays, in state NONE.
        let has_addr = self
            .net(ns)
            .neigh
            .entries
            .get(&(d, ip))
            .is_some_and(|n| n.state & nud::VALID != 0);
        let refuse = req.state & nud::VALID != 0 && req.lladdr.is_none() && !has_addr;
        let n = self
            .net_mut(ns)
            .neigh
            .entries
            .entry((d, ip))
            .or_insert_with(|| Neigh {
                state: nud::NONE,
                lladdr: None,
                flags: 0,
                probes: 0,
                timer: None,
                confirmed: now,
                used: now,
                updated: now,
                queue: Vec::new(),
            });
        if refuse {
            return Err(NlError::ext(Errno::EINVAL, "No link layer address given"));
        }
        n.state = req.state;
        n.flags = req.flags;
        if req.lladdr.is_some() {
            n.lladdr = req.lladdr;
        }
        n.updated = now;
        n.confirmed = now;
        if req.state == nud::REACHABLE {
            let id = env.at(now + reach, NetEvent::Neigh { dev: d, ip });
            if let Some(n) = self.net_mut(ns).neigh.entries.get_mut(&(d, ip)) {
                n.timer = Some(id);
            }
        }
        Ok(())
    }

    /// `ip neigh del`.
    pub fn neigh_del(
        &mut self,
        ns: NsId,
        req: &NeighReq,
        env: &mut dyn Env,
    ) -> Result<(), NlError> {
        let d = self
            .dev_by_index(ns, req.ifindex)
            .ok_or(NlError::new(Errno::ENODEV))?;
        let IpAddr::V4(ip) = req.dst else {
            return Err(NlError::new(Errno::ENOENT));
        };
        let n = self
            .net_mut(ns)
            .neigh
            .entries
            .remove(&(d, ip))
            .ok_or(NlError::new(Errno::ENOENT))?;
        if let Some(t) = n.timer {
            env.cancel(t);
        }
        Ok(())
    }
}

/// `dev_valid_name`.
fn check_ifname(name: &str) -> Result<(), NlError> {
    if name.is_empty()
        || name.len() >= 16
        || name == "."
        || name == ".."
        || name.contains(['/', ':'])
        || name.chars().any(char::is_whitespace)
    {
        return Err(NlError::new(Errno::EINVAL));
    }
    Ok(())
}

/// The EUI-64 link-local address made from a MAC (RFC 4291 appendix A).
pub fn link_local(mac: [u8; 6]) -> Ipv6Addr {
    Ipv6Addr::new(
        0xfe80,
        0,
        0,
        0,
        u16::from_be_bytes([mac[0] ^ 0x02, mac[1]]),
        u16::from_be_bytes([mac[2], 0xff]),
        u16::from_be_bytes([0xfe, mac[3]]),
        u16::from_be_bytes([mac[4], mac[5]]),
    )
}
