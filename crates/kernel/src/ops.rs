//! The rtnetlink side of the kernel: creating, changing, listing and deleting links,
//! addresses, routes and neighbours, with the checks and error messages Linux gives.
//! See net/core/rtnetlink.c, net/ipv4/devinet.c, fib_frontend.c, fib_semantics.c,
//! net/core/neighbour.c and drivers/net/veth.c.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::core::{prefix_mask, DevId, DevKind, Env, IfAddr, Kernel, NetEvent, NsId};
use crate::fib::Route;
use crate::neigh::Neigh;
use crate::rtnl::*;
use crate::sysctl::{
    C4_ARP_NOTIFY, C4_FORWARDING, C4_PROMOTE_SECONDARIES, C4_SEND_REDIRECTS, C6_DISABLE_IPV6,
};
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
    /// `IFLA_MASTER`: the ifindex of the bridge to join; 0 leaves the current one.
    pub master: Option<u32>,
    /// `ip link set BR type bridge ...`: the bridge's options.
    pub bridge: Option<crate::rtnl::BridgeOpts>,
    /// `ip link set PORT type bridge_slave ...`: the port's options.
    pub brport: Option<crate::rtnl::BrPortOpts>,
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
                    dev.lw_oper
                };
                (LinkKind::Veth, st)
            } // A bridge has no lower device: without carrier it is down, and until linkwatch has
            // looked at it once (a port event) its state is unknown.
            DevKind::Bridge => {
                let known = dev.br.as_ref().is_some_and(|b| b.oper_known);
                let st = if !dev.admin_up {
                    OperState::Down
                } else if carrier && !known {
                    OperState::Unknown
                } else if carrier {
                    OperState::Up
                } else {
                    OperState::Down
                };
                (LinkKind::Bridge, st)
            }
        };
        let mut msg = LinkMsg {
            ifindex: dev.ifindex,
            name: dev.name.clone(),
            kind,
            flags,
            mtu: dev.mtu,
            min_mtu: if dev.kind == DevKind::Loopback { 0 } else { 68 },
            max_mtu: if dev.kind == DevKind::Loopback {
                0
            } else {
                65535
            },
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
            master: dev.master.and_then(|m| self.dev_opt(m)).map(|m| m.ifindex),
            // A port is put in promiscuous and all-multicast mode by its bridge; those counts
            // show, but the flags only report what the user set (`dev_get_flags`).
            promiscuity: u32::from(dev.flags & iff::PROMISC != 0)
                + u32::from(dev.brport.is_some())
                + dev.promisc_refs,
            allmulti: u32::from(dev.flags & iff::ALLMULTI != 0) + u32::from(dev.brport.is_some()),
            num_tx_queues: if dev.kind == DevKind::Veth { 2 } else { 1 },
            num_rx_queues: if dev.kind == DevKind::Veth { 2 } else { 1 },
            gso_max_size: 65536,
            gso_max_segs: 65535,
            // A bridge takes the smallest TSO limit of its ports (`br_set_gso_limits`): a
            // veth's, 524280, once it has one.
            tso_max_size: if dev.br.as_ref().is_some_and(|b| b.ports.is_empty()) {
                65536
            } else {
                524280
            },
            tso_max_segs: 65535,
            gro_max_size: 65536,
            carrier_changes: dev.carrier_changes,
            stats: dev.stats,
            alias: dev.alias.clone(),
            bridge: self.br_info(d, self.clock),
            brport: self.brport_info(d, self.clock),
        };
        if let Some((pns, pidx)) = peer_info {
            msg.link = Some(pidx);
            if pns != ns {
                msg.link_netnsid = Some(self.nsid_alloc(ns, pns));
            }
        }
        msg
    }

    /// Every link of `ns`, by ifindex, with timers as they stand at `now`.
    pub fn link_dump_at(&mut self, ns: NsId, now: tsunagi_engine::Time) -> Vec<LinkMsg> {
        self.clock = now;
        self.link_dump(ns)
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
        // `veth_newlink` turns both carriers off; linkwatch then looks at both.
        self.linkwatch_operstate(p);
        self.linkwatch_operstate(d);
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
        // `__rtnl_newlink`: the kind's options (`changelink`) before the generic settings.
        if let Some(o) = &ch.bridge {
            if self.dev(d).kind != DevKind::Bridge {
                return Err(NlError::new(Errno::EOPNOTSUPP));
            }
            self.br_changelink(d, o, env)?;
        }
        if let Some(o) = &ch.brport {
            // `slave_changelink` of the master's kind: only a port has one.
            self.brport_set(ns, ifindex, o, env)?;
        }
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
                DevKind::Veth | DevKind::Bridge => (68, 65535),
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
            if kind == DevKind::Bridge {
                self.br_set_mtu(d, mtu);
            } else {
                self.dev_mut(d).mtu = mtu;
                self.br_port_mtu_changed(d);
            }
        }
        if let Some(q) = ch.txqlen {
            self.dev_mut(d).txqlen = q;
        }
        if let Some(mac) = ch.address {
            if mac[0] & 1 != 0 || mac == [0; 6] {
                return Err(NlError::new(Errno::EADDRNOTAVAIL));
            }
            let old = self.dev(d).mac;
            match self.dev(d).kind {
                DevKind::Veth => {
                    self.dev_mut(d).mac = mac;
                    if old != mac {
                        self.br_port_changeaddr(d, old, env);
                    }
                }
                DevKind::Bridge => self.br_set_mac_address(d, mac, env),
                DevKind::Loopback => {}
            }
            if self.dev(d).mac != old {
                self.netdev_changeaddr(d, env);
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
        // `do_set_master`: leave the current bridge, join the new one.
        match ch.master {
            Some(0) => {
                if let Some(br) = self.dev(d).master {
                    self.br_del_if(br, d, env);
                }
            }
            Some(m) => {
                let br = self
                    .dev_by_index(ns, m)
                    .ok_or(NlError::new(Errno::EINVAL))?;
                self.br_add_if(br, d, env)?;
            }
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
        // The loopback and bridges are `NETIF_F_NETNS_LOCAL`: they stay where they were made.
        if matches!(self.dev(d).kind, DevKind::Loopback | DevKind::Bridge) {
            return Err(NlError::ext(
                Errno::EINVAL,
                "The interface netns is immutable",
            ));
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
        // The device goes down and loses its addresses, routes and neighbours; a bridge port
        // leaves its bridge (`NETDEV_UNREGISTER`).
        self.dev_close(d, env);
        if let Some(br) = self.dev(d).master {
            self.br_del_if(br, d, env);
        }
        self.net_mut(from).fib.remove_dev(d);
        self.dev_mut(d).v4.clear();
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
        self.addrconf_unregister(d, env);
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
        let ipv6 = self.dev(d).conf.conf6[C6_DISABLE_IPV6] == 0;
        self.mc_up(d, ipv6, env);
        // The bridge's ports start now; the carrier they may give it is seen by addrconf
        // after the `NETDEV_UP` work above (linkwatch runs later).
        if self.dev(d).kind == DevKind::Bridge {
            self.br_dev_open(d, env);
        }
        let addrs = self.dev(d).v4.clone();
        for a in &addrs {
            self.fib_add_ifaddr(ns, d, a);
        }
        // `inetdev_event(NETDEV_UP)` runs before addrconf's.
        self.inetdev_send_gratuitous_arp(d, env);
        if self.carrier(d) {
            self.carrier_on(d, env);
        }
        if let (Some(p), Some(false)) = (peer, before_peer) {
            if self.carrier(p) {
                self.carrier_on(p, env);
            }
        }
        // A bridge port (or the peer of one) that gained carrier joins in.
        self.br_port_carrier_check(d, env);
        if let Some(p) = peer.filter(|p| self.dev_opt(*p).is_some()) {
            self.br_port_carrier_check(p, env);
        }
    }

    /// The carrier came on while the device is up (`NETDEV_CHANGE`): addrconf configures it,
    /// or reports its groups again.
    pub(crate) fn carrier_up_event(&mut self, d: DevId, env: &mut dyn Env) {
        self.addrconf_link_ready(d, env);
    }

    fn carrier_on(&mut self, d: DevId, env: &mut dyn Env) {
        if self.dev(d).kind == DevKind::Veth {
            // The loopback's carrier is always on: no change is counted.
            self.dev_mut(d).carrier_changes += 1;
        }
        self.addrconf_link_ready(d, env);
    }

    fn carrier_off(&mut self, d: DevId, env: &mut dyn Env) {
        self.dev_mut(d).carrier_changes += 1;
        self.linkwatch_operstate(d);
        self.neigh_carrier_down(d, env);
    }

    /// The operational state linkwatch gives a veth whose carrier went off
    /// (`default_operstate` of Linux 6.18): DOWN, unless the device its `iflink` (the peer's
    /// ifindex) names *in its own namespace* exists, is another device, and has no carrier
    /// either: LOWERLAYERDOWN. Linux computes it when the carrier changes and keeps it, so a
    /// pair created in one namespace and moved apart shows LOWERLAYERDOWN, one created
    /// across namespaces (both ends index 2) DOWN.
    pub(crate) fn linkwatch_operstate(&mut self, d: DevId) {
        let Some(dev) = self.dev_opt(d) else { return };
        if dev.kind != DevKind::Veth {
            return;
        }
        let iflink = dev
            .peer
            .and_then(|p| self.dev_opt(p))
            .map_or(dev.ifindex, |p| p.ifindex);
        let st = if iflink == dev.ifindex {
            OperState::Down
        } else {
            match self.dev_by_index(dev.ns, iflink) {
                Some(other) if !self.carrier(other) => OperState::LowerLayerDown,
                _ => OperState::Down,
            }
        };
        self.dev_mut(d).lw_oper = st;
    }

    /// The MAC address of a device changed (`NETDEV_CHANGEADDR`): its ARP entries are
    /// flushed (`neigh_changeaddr`) and, with `arp_notify`, a gratuitous ARP announces the
    /// new address. IPv6 keeps the link-local address made from the old one.
    fn netdev_changeaddr(&mut self, d: DevId, env: &mut dyn Env) {
        self.neigh_flush_dev(d, env);
        let ns = self.dev(d).ns;
        self.rt_cache_flush(ns);
        if self.dev(d).admin_up {
            self.inetdev_send_gratuitous_arp(d, env);
        }
    }

    /// `inetdev_send_gratuitous_arp` where `arp_notify` (of `all` or the device) asks for it:
    /// an ARP request for each of the device's addresses, from and for itself, broadcast.
    fn inetdev_send_gratuitous_arp(&mut self, d: DevId, env: &mut dyn Env) {
        let ns = self.dev(d).ns;
        let notify =
            self.net(ns).sysctl.conf4_all[C4_ARP_NOTIFY].max(self.dev(d).conf.conf4[C4_ARP_NOTIFY]);
        if notify == 0 || self.dev(d).kind == DevKind::Loopback {
            return;
        }
        let addrs: Vec<Ipv4Addr> = self.dev(d).v4.iter().map(|a| a.local).collect();
        for a in addrs {
            self.arp_send_gratuitous(d, a, env);
        }
    }

    /// Takes a device down (`dev_close`): its routes (but the host-scope ones) and neighbours
    /// go, and its peer loses carrier.
    pub(crate) fn dev_close(&mut self, d: DevId, env: &mut dyn Env) {
        if !self.dev(d).admin_up {
            return;
        }
        let had_carrier = self.carrier(d);
        let peer = self.dev(d).peer;
        let peer_had = peer.map(|p| self.carrier(p));
        self.dev_mut(d).admin_up = false;
        let ns = self.dev(d).ns;
        self.net_mut(ns).fib.sync_down_dev(d);
        self.rt_cache_flush(ns);
        self.neigh_flush_dev(d, env);
        self.addrconf_ifdown(d, env);
        if had_carrier && self.dev(d).kind == DevKind::Veth {
            // `veth_close` turns the carrier off.
            self.dev_mut(d).carrier_changes += 1;
            self.linkwatch_operstate(d);
        }
        if let (Some(p), Some(true)) = (peer, peer_had) {
            if self.dev_opt(p).is_some() {
                self.carrier_off(p, env);
            }
        }
        if self.dev(d).kind == DevKind::Bridge {
            self.br_dev_stop(d, env);
        }
        self.mc_down(d, env);
        self.br_port_carrier_check(d, env);
        if let Some(p) = peer.filter(|p| self.dev_opt(*p).is_some()) {
            self.br_port_carrier_check(p, env);
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
        // `NETDEV_UNREGISTER`: a port leaves its bridge; a bridge releases its ports.
        for &x in &both {
            if let Some(br) = self.dev(x).master {
                self.br_del_if(br, x, env);
            }
            if self.dev(x).kind == DevKind::Bridge {
                self.br_dev_delete(x, env);
            }
        }
        for x in both {
            self.packet_dev_gone(x);
            let (ns, idx) = (self.dev(x).ns, self.dev(x).ifindex);
            self.net_mut(ns).fib.remove_dev(x);
            self.rt_cache_flush(ns);
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
            if let Some(a) = &dev.in6.addr {
                out.push(AddrMsg {
                    ifindex: dev.ifindex,
                    prefixlen: a.prefixlen,
                    flags: ifa::PERMANENT
                        | if a.tentative { ifa::TENTATIVE } else { 0 }
                        | if a.dadfailed { ifa::DADFAILED } else { 0 },
                    scope: a.scope,
                    local: IpAddr::V6(a.addr),
                    address: IpAddr::V6(a.addr),
                    broadcast: None,
                    label: None,
                    valid_lft: None,
                    preferred_lft: None,
                });
            }
        }
        out
    }

    /// `ip address add` (`inet_rtm_newaddr`, `__inet_insert_ifa`).
    ///
    /// An address is a secondary when a primary with the same prefix length and prefix is
    /// already there; the same address with another prefix length is another primary. A new
    /// primary goes after the primaries of the same or a narrower scope (host before link
    /// before global), a secondary at the end of the list.
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
        let scope = req.scope.unwrap_or(if local.octets()[0] == 127 {
            scope::HOST
        } else {
            scope::UNIVERSE
        });
        let mut a = IfAddr {
            local,
            prefixlen: req.prefixlen,
            // IFA_ADDRESS equal to IFA_LOCAL is no peer.
            peer: match req.peer {
                Some(IpAddr::V4(p)) if p != local => Some(p),
                _ => None,
            },
            broadcast: req.broadcast,
            scope,
            label: req.label.clone().unwrap_or_else(|| dev.name.clone()),
            secondary: false,
            flags: ifa::PERMANENT | (req.flags & (ifa::NOPREFIXROUTE | ifa::NODAD)),
        };
        // find_matching_ifa: the same address in the same prefix.
        if dev.v4.iter().any(|x| x.same_subnet(&a) && x.local == local) {
            return Err(NlError::ext(
                Errno::EEXIST,
                "ipv4: Address already assigned",
            ));
        }
        // An address of 0.0.0.0 is accepted and dropped.
        if local.is_unspecified() {
            return Ok(());
        }
        let mut at = 0;
        for (i, x) in dev.v4.iter().enumerate() {
            if !x.secondary && a.scope <= x.scope {
                at = i + 1;
            }
            if x.same_subnet(&a) {
                if x.scope != a.scope {
                    return Err(NlError::ext(Errno::EINVAL, "ipv4: Invalid scope value"));
                }
                a.secondary = true;
            }
        }
        let dev = self.dev_mut(d);
        if a.secondary {
            dev.v4.push(a.clone());
        } else {
            dev.v4.insert(at, a.clone());
        }
        self.fib_add_ifaddr(ns, d, &a);
        Ok(())
    }

    /// `ip address del` (`inet_rtm_deladdr`, `__inet_del_ifa`): `EADDRNOTAVAIL` if the address
    /// is not there. Deleting a primary deletes its secondaries, unless the device's
    /// `promote_secondaries` is set: then the first secondary becomes the primary and the
    /// routes of the others are made again with it as their source. Deleting the last
    /// address takes every route through the device away.
    pub fn addr_del(&mut self, ns: NsId, req: &AddrReq, env: &mut dyn Env) -> Result<(), NlError> {
        let d = self
            .dev_by_index(ns, req.ifindex)
            .ok_or(NlError::new(Errno::ENODEV))?;
        let IpAddr::V4(local) = req.local else {
            return Err(NlError::new(Errno::EADDRNOTAVAIL));
        };
        let dev = self.dev(d);
        // The first address with this local address, and this label and prefix when they
        // were given (without IFA_ADDRESS, "wildcard deletion", any prefix length does).
        let address = match req.peer {
            Some(IpAddr::V4(p)) => Some(p),
            _ => None,
        };
        let i1 = dev
            .v4
            .iter()
            .position(|a| {
                a.local == local
                    && req.label.as_ref().is_none_or(|l| *l == a.label)
                    && address.is_none_or(|p| a.prefixlen == req.prefixlen && a.contains(p))
            })
            .ok_or(NlError::ext(
                Errno::EADDRNOTAVAIL,
                "ipv4: Address not found",
            ))?;
        let ifa1 = dev.v4[i1].clone();
        // IN_DEV_PROMOTE_SECONDARIES: the device's setting or `all`'s.
        let do_promote = dev.conf.conf4[C4_PROMOTE_SECONDARIES] != 0
            || self.net(ns).sysctl.conf4_all[C4_PROMOTE_SECONDARIES] != 0;
        // 1. A primary takes its secondaries along, or promotes the first of them.
        let mut promote: Option<usize> = None;
        let mut last_prim: Option<usize> = None;
        if !ifa1.secondary {
            let mut j = i1 + 1;
            while j < self.dev(d).v4.len() {
                let x = self.dev(d).v4[j].clone();
                if !x.secondary && ifa1.scope <= x.scope {
                    last_prim = Some(j);
                }
                if !x.secondary || !ifa1.same_subnet(&x) {
                    j += 1;
                    continue;
                }
                if do_promote {
                    promote = Some(j);
                    break;
                }
                self.dev_mut(d).v4.remove(j);
                self.fib_del_ifaddr(ns, d, &x, None);
            }
        }
        // Secondaries about to change their primary lose their routes first, while every
        // address is still on the list.
        if let Some(p) = promote {
            let list = self.dev(d).v4.clone();
            for x in list[p..].iter().filter(|x| ifa1.same_subnet(x)) {
                self.fib_del_ifaddr(ns, d, x, Some(&ifa1));
            }
        }
        // 2. Unlink it, 3. announce it (the routes go).
        self.dev_mut(d).v4.remove(i1);
        self.fib_del_ifaddr(ns, d, &ifa1, None);
        if self.dev(d).v4.is_empty() {
            // The last address is gone: IPv4 is off on the device (fib_disable_ip), every
            // route through it and its neighbours go.
            self.net_mut(ns).fib.remove_dev(d);
            self.neigh_flush_dev(d, env);
        }
        if let Some(p) = promote {
            // Indexes were taken with ifa1 on the list.
            let mut pr = self.dev_mut(d).v4.remove(p - 1);
            let later: Vec<IfAddr> = self.dev(d).v4[p - 1..].to_vec();
            pr.secondary = false;
            let at = last_prim.unwrap_or(i1);
            self.dev_mut(d).v4.insert(at, pr.clone());
            self.fib_add_ifaddr(ns, d, &pr);
            for x in later.iter().filter(|x| ifa1.same_subnet(x)) {
                self.fib_add_ifaddr(ns, d, x);
            }
        }
        Ok(())
    }

    /// Invalidates the cached output routes (`rt_cache_flush`), as every change to the
    /// routing tables, the addresses or the links does.
    fn rt_cache_flush(&mut self, ns: NsId) {
        self.net_mut(ns).rt_notify.clear();
    }

    /// The primary address whose prefix `prefix/len` is (`inet_ifa_byprefix`).
    fn ifa_byprefix(&self, d: DevId, prefix: Ipv4Addr, len: u8) -> Option<IfAddr> {
        self.dev(d)
            .v4
            .iter()
            .find(|a| a.prefixlen == len && a.contains(prefix))
            .cloned()
    }

    /// A route the kernel makes or removes for an address (`fib_magic`): local-table unless
    /// unicast, host scope for local routes and link scope otherwise, `prim` as source.
    fn magic_route(d: DevId, rtype: u8, dst: u32, len: u8, prim: &IfAddr) -> Route {
        Route {
            table: if rtype == rtn::UNICAST {
                rt_table::MAIN
            } else {
                rt_table::LOCAL
            },
            rtype,
            protocol: rtprot::KERNEL,
            scope: if rtype == rtn::LOCAL {
                scope::HOST
            } else {
                scope::LINK
            },
            dst,
            len,
            tos: 0,
            oif: Some(d),
            gateway: None,
            prefsrc: Some(prim.local),
            priority: 0,
            flags: 0,
        }
    }

    /// `fib_magic(RTM_DELROUTE, ...)`: removes the first route `fib_table_delete` matches.
    fn magic_del(&mut self, ns: NsId, r: Route) {
        let fib = &mut self.net_mut(ns).fib;
        if let Some(i) = fib.routes.iter().position(|x| {
            x.table == r.table
                && x.dst == r.dst
                && x.len == r.len
                && x.rtype == r.rtype
                && x.scope == r.scope
                && x.prefsrc == r.prefsrc
                && x.protocol == r.protocol
                && x.oif == r.oif
        }) {
            fib.routes.remove(i);
        }
    }

    /// Routes an address brings (`fib_add_ifaddr`); the source of each is the primary
    /// address of its prefix. A route already there is not made twice.
    fn fib_add_ifaddr(&mut self, ns: NsId, d: DevId, a: &IfAddr) {
        let up = self.dev(d).admin_up;
        let lo = self.dev(d).kind == DevKind::Loopback;
        let prefix = a.network();
        let prim = if a.secondary {
            match self.ifa_byprefix(d, Ipv4Addr::from(prefix), a.prefixlen) {
                Some(p) => p,
                None => return,
            }
        } else {
            a.clone()
        };
        self.rt_cache_flush(ns);
        let mk = |rtype, dst, len| Self::magic_route(d, rtype, dst, len, &prim);
        let fib = &mut self.net_mut(ns).fib;
        fib.append(mk(rtn::LOCAL, u32::from(a.local), 32));
        if !up {
            return;
        }
        if let Some(b) = a
            .broadcast
            .filter(|b| *b != Ipv4Addr::BROADCAST && !b.is_unspecified())
        {
            fib.append(mk(rtn::BROADCAST, u32::from(b), 32));
        }
        if prefix != 0 && !a.secondary && (prefix != u32::from(a.local) || a.prefixlen < 32) {
            if a.flags & ifa::NOPREFIXROUTE == 0 {
                // On loopback the whole prefix is local (127.0.0.0/8).
                let t = if lo { rtn::LOCAL } else { rtn::UNICAST };
                fib.append(mk(t, prefix, a.prefixlen));
            }
            if a.prefixlen < 31 {
                fib.append(mk(rtn::BROADCAST, prefix | !a.mask(), 32));
            }
        }
    }

    /// Routes an address takes away (`fib_del_ifaddr`): only those no remaining address
    /// still needs (the same local address with another prefix length, a broadcast address
    /// shared with another prefix, ...). When the address is gone for good, the main
    /// table's routes that used it as their source go too. `iprim` is the primary being
    /// deleted when `a` is a secondary about to be promoted or re-sourced.
    fn fib_del_ifaddr(&mut self, ns: NsId, d: DevId, a: &IfAddr, iprim: Option<&IfAddr>) {
        const LOCAL_OK: u8 = 1;
        const BRD_OK: u8 = 2;
        const BRD0_OK: u8 = 4;
        const BRD1_OK: u8 = 8;
        self.rt_cache_flush(ns);
        let lo = self.dev(d).kind == DevKind::Loopback;
        let brd = a.network() | !a.mask();
        let any = a.network();
        let bcast = |x: &IfAddr| x.broadcast.map_or(0, u32::from);
        let mut subnet = false;
        let prim = if a.secondary {
            match self.ifa_byprefix(d, Ipv4Addr::from(any), a.prefixlen) {
                Some(p) => p,
                None => return,
            }
        } else {
            if any != 0 && (any != u32::from(a.local) || a.prefixlen < 32) {
                if a.flags & ifa::NOPREFIXROUTE == 0 {
                    let t = if lo { rtn::LOCAL } else { rtn::UNICAST };
                    self.magic_del(ns, Self::magic_route(d, t, any, a.prefixlen, a));
                }
                subnet = true;
            }
            a.clone()
        };
        // Scan the remaining addresses for ones that keep a route alive.
        let mut ok = 0u8;
        let mut gone = true;
        let mut same_prefsrc = false;
        let mut prim1: Option<IfAddr> = None;
        let list = self.dev(d).v4.clone();
        for x in &list {
            if x == a {
                // Promotion: the address stays.
                gone = false;
                continue;
            }
            if iprim.is_some_and(|p| p.same_subnet(x)) {
                continue;
            }
            if x.secondary {
                if prim.same_subnet(x) {
                    prim1 = Some(prim.clone());
                } else {
                    if !same_prefsrc {
                        continue;
                    }
                    if prim1.as_ref().is_none_or(|p| !p.same_subnet(x)) {
                        prim1 = self.ifa_byprefix(d, x.address(), x.prefixlen);
                    }
                    match &prim1 {
                        Some(p) if p.local == prim.local => {}
                        _ => continue,
                    }
                }
            } else {
                if prim.local != x.local {
                    continue;
                }
                prim1 = Some(x.clone());
                if *x != prim {
                    same_prefsrc = true;
                }
            }
            if a.local == x.local {
                ok |= LOCAL_OK;
            }
            if bcast(a) == bcast(x) {
                ok |= BRD_OK;
            }
            if brd == bcast(x) {
                ok |= BRD1_OK;
            }
            if any == bcast(x) {
                ok |= BRD0_OK;
            }
            // A primary has its prefix's broadcast routes.
            if prim1.as_ref() == Some(x) && x.prefixlen < 31 {
                let any1 = x.network();
                let brd1 = any1 | !x.mask();
                if any1 != 0 {
                    if bcast(a) == brd1 || bcast(a) == any1 {
                        ok |= BRD_OK;
                    }
                    if brd == brd1 || brd == any1 {
                        ok |= BRD1_OK;
                    }
                    if any == brd1 || any == any1 {
                        ok |= BRD0_OK;
                    }
                }
            }
        }
        let mk = |rtype, dst, len| Self::magic_route(d, rtype, dst, len, &prim);
        if ok & BRD_OK == 0 {
            self.magic_del(ns, mk(rtn::BROADCAST, bcast(a), 32));
        }
        if subnet && a.prefixlen < 31 {
            if ok & BRD1_OK == 0 {
                self.magic_del(ns, mk(rtn::BROADCAST, brd, 32));
            }
            if ok & BRD0_OK == 0 {
                self.magic_del(ns, mk(rtn::BROADCAST, any, 32));
            }
        }
        if ok & LOCAL_OK == 0 {
            self.magic_del(ns, mk(rtn::LOCAL, u32::from(a.local), 32));
            // inet_addr_type_dev_table: is the address still local on this device?
            let still_local = self.net(ns).fib.routes.iter().any(|r| {
                r.table == rt_table::LOCAL
                    && r.rtype == rtn::LOCAL
                    && r.oif == Some(d)
                    && r.matches(a.local)
            });
            if gone && !still_local {
                self.net_mut(ns).fib.remove_prefsrc(a.local);
            }
        }
    }

    // --- routes ---------------------------------------------------------------------------

    fn route_msg(&self, r: &Route) -> RouteMsg {
        let mut flags = r.flags;
        // RTNH_F_LINKDOWN: the next hop's device has no carrier. Host-scope routes (the local
        // ones) have a next hop of scope "nowhere", which fib_sync_down_dev never marks.
        if let Some(d) = r.oif.filter(|d| self.dev_opt(*d).is_some()) {
            if r.scope != scope::HOST && !self.carrier(d) {
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
        // Routes to the same prefix dump in the order they were added: links in the order
        // addrconf configured them (the one brought up first, a veth's peer after it).
        let mut devs: Vec<&crate::core::Device> = net
            .devs
            .values()
            .map(|d| self.dev(*d))
            .filter(|d| d.in6.addr.is_some())
            .collect();
        devs.sort_by_key(|d| d.addrconf_seq);
        for dev in devs {
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
                // ::1 gets its local route only: addrconf makes no prefix route for it.
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
                // The local route of an address comes with its RTM_NEWADDR, which a
                // tentative address only sends once duplicate address detection succeeds.
                if let Some(ll) = dev.in6.lladdr() {
                    local.push(base(rt_table::LOCAL, rtn::LOCAL, ll, 128, 0));
                }
                local.push(base(
                    rt_table::LOCAL,
                    rtn::MULTICAST,
                    Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0),
                    8,
                    256,
                ));
            }
        }
        // A table dumps in destination order (the fib6 tree); routes to the same prefix
        // stay in the order they were added.
        local.sort_by_key(|r| match r.dst {
            IpAddr::V6(a) => u128::from(a),
            IpAddr::V4(_) => 0,
        });
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
        let scope = req.scope.unwrap_or(match (req.rtype, gateway) {
            (rtn::LOCAL, _) => scope::HOST,
            (rtn::UNICAST, None) => scope::LINK,
            _ => scope::UNIVERSE,
        });
        // fib_create_info: the types that reject packets take no next hop; the others get
        // theirs checked (fib_check_nh).
        match req.rtype {
            rtn::BLACKHOLE | rtn::UNREACHABLE | rtn::PROHIBIT | rtn::THROW => {
                if gateway.is_some() || oif.is_some() {
                    return Err(NlError::ext(
                        Errno::EINVAL,
                        "Gateway, device and multipath can not be specified for this route type",
                    ));
                }
            }
            _ if scope == scope::HOST => {
                if gateway.is_some() {
                    return Err(NlError::ext(
                        Errno::EINVAL,
                        "Route with host scope can not have a gateway",
                    ));
                }
                oif.ok_or(NlError::new(Errno::ENODEV))?;
            }
            _ => oif = Some(self.fib_check_nh(ns, gateway, oif, scope, req.flags)?),
        }
        if let Some(IpAddr::V4(src)) = req.prefsrc {
            if !self.is_local_addr(ns, src) {
                return Err(NlError::ext(Errno::EINVAL, "Invalid prefsrc address"));
            }
        }
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
        self.rt_cache_flush(ns);
        Ok(())
    }

    /// Checks the next hop of a new route and returns its device (`fib_check_nh_v4_gw` with
    /// a gateway, `fib_check_nh_nongw` without).
    fn fib_check_nh(
        &self,
        ns: NsId,
        gateway: Option<Ipv4Addr>,
        oif: Option<DevId>,
        route_scope: u8,
        flags: u32,
    ) -> Result<DevId, NlError> {
        let onlink = flags & rtnh::ONLINK != 0;
        let invalid_gw = |e| NlError::ext(e, "Nexthop has invalid gateway");
        let Some(g) = gateway else {
            if onlink {
                return Err(NlError::ext(
                    Errno::EINVAL,
                    "Invalid flags for nexthop - PERVASIVE and ONLINK can not be set",
                ));
            }
            let o = oif.ok_or(NlError::new(Errno::ENODEV))?;
            if !self.dev(o).admin_up {
                return Err(NlError::ext(
                    Errno::ENETDOWN,
                    "Device for nexthop is not up",
                ));
            }
            return Ok(o);
        };
        if onlink {
            if route_scope >= scope::LINK {
                return Err(NlError::ext(Errno::EINVAL, "Nexthop has invalid scope"));
            }
            let o = oif.ok_or(NlError::ext(
                Errno::ENODEV,
                "Nexthop device required for onlink",
            ))?;
            if !self.dev(o).admin_up {
                return Err(NlError::ext(Errno::ENETDOWN, "Nexthop device is not up"));
            }
            // inet_addr_type_dev_table: the gateway must be a unicast address for the device.
            let t = self.addr_type_dev(ns, o, g);
            if t != rtn::UNICAST {
                return Err(invalid_gw(Errno::EINVAL));
            }
            return Ok(o);
        }
        // The gateway must be reached by a route of narrower scope than the new one (at
        // least link scope), through the given device if any. A local address qualifies:
        // its local route's device is the next hop's.
        let want = route_scope.saturating_add(1).max(scope::LINK);
        let fib = &self.net(ns).fib;
        let found = [rt_table::LOCAL, rt_table::MAIN, rt_table::DEFAULT]
            .into_iter()
            .find_map(|tb| {
                fib.routes
                    .iter()
                    .filter(|r| {
                        r.table == tb
                            && r.matches(g)
                            && r.scope >= want
                            && (oif.is_none() || r.oif == oif)
                    })
                    .min_by_key(|r| (32 - r.len, r.priority))
            })
            .ok_or(invalid_gw(Errno::ENETUNREACH))?;
        if found.rtype != rtn::UNICAST && found.rtype != rtn::LOCAL {
            return Err(invalid_gw(Errno::EINVAL));
        }
        let dev = found.oif.ok_or(NlError::ext(
            Errno::EINVAL,
            "No egress device for nexthop gateway",
        ))?;
        if !self.dev(dev).admin_up {
            return Err(NlError::new(Errno::ENETDOWN));
        }
        Ok(dev)
    }

    /// `inet_addr_type_dev_table`: the type of `a` as seen from device `d` (local only if
    /// it is local on `d`).
    fn addr_type_dev(&self, ns: NsId, d: DevId, a: Ipv4Addr) -> u8 {
        if a.is_unspecified() || a.is_broadcast() {
            return rtn::BROADCAST;
        }
        if a.is_multicast() {
            return rtn::MULTICAST;
        }
        self.net(ns)
            .fib
            .routes
            .iter()
            .filter(|r| r.table == rt_table::LOCAL && r.matches(a))
            .min_by_key(|r| 32 - r.len)
            .map_or(rtn::UNICAST, |r| {
                if r.oif == Some(d) {
                    r.rtype
                } else {
                    rtn::UNICAST
                }
            })
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
                self.rt_cache_flush(ns);
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
        if let Some(iif) = req.iif {
            return self.route_get_input(ns, dst, src, iif);
        }
        // ip_route_output_key_hash_rcu: a source must be one of our unicast addresses.
        if let Some(s) = src {
            if s.is_multicast() || s.is_broadcast() || s.is_unspecified() {
                return Err(NlError::new(Errno::EINVAL));
            }
            if !self.is_local_addr(ns, s) {
                return Err(NlError::new(Errno::ENETUNREACH));
            }
        }
        let oif = self.req_dev(ns, req.oif)?;
        let rt = self.route_output(ns, dst, src, oif).map_err(NlError::new)?;
        let route = self.net(ns).fib.lookup(dst, oif).cloned();
        let mut rtype = rt.rtype;
        let mut gateway = route
            .as_ref()
            .filter(|_| rtype == rtn::UNICAST)
            .and_then(|r| r.gateway);
        // __mkroute_output: the route's flags (RTCF_*); whatever leaves through loopback is
        // local.
        let mut cache = 0;
        if self.dev(rt.dev).kind == DevKind::Loopback {
            cache |= rtcf::LOCAL;
        }
        match rtype {
            rtn::LOCAL => cache |= rtcf::LOCAL,
            rtn::BROADCAST => cache |= rtcf::BROADCAST | rtcf::LOCAL,
            _ if dst.is_multicast() => {
                // A multicast destination: no gateway when only a short prefix (the default
                // route) matched; local too when we joined the group, as every IPv4
                // device joins 224.0.0.1.
                rtype = rtn::MULTICAST;
                cache |= rtcf::MULTICAST;
                if dst == Ipv4Addr::new(224, 0, 0, 1) {
                    cache |= rtcf::LOCAL;
                }
                if route.as_ref().is_none_or(|r| r.len < 4) {
                    gateway = None;
                }
            }
            _ => {}
        }
        // The answer is the route cached on the next hop for a unicast destination reached
        // through a table entry (not a local one, which goes out through loopback): a
        // `notify` lookup marks it, and later lookups through that next hop see the mark.
        if let Some(r) = route.as_ref().filter(|_| rtype == rtn::UNICAST) {
            let nh = nexthop_key(r);
            let marks = &mut self.net_mut(ns).rt_notify;
            if req.notify && !marks.contains(&nh) {
                marks.push(nh.clone());
            }
            if marks.contains(&nh) {
                cache |= rtcf::NOTIFY;
            }
        }
        if req.notify {
            cache |= rtcf::NOTIFY;
        }
        // rt_fill_info: the high half of the route's flags shows through in rtm_flags
        // (RTCF_MULTICAST is RTM_F_OFFLOAD_FAILED's bit), RTCF_NOTIFY as RTM_F_NOTIFY.
        let mut flags = cache & !0xffff;
        if cache & rtcf::NOTIFY != 0 {
            flags |= rtm_f::NOTIFY;
        }
        Ok(RouteMsg {
            family_v6: false,
            // Without RTM_F_LOOKUP_TABLE the answer names the main table, whichever table
            // the route came from.
            table: rt_table::MAIN,
            rtype,
            protocol: rtprot::UNSPEC,
            scope: scope::UNIVERSE,
            dst: IpAddr::V4(dst),
            dst_len: 32,
            oif: Some(self.dev(rt.dev).ifindex),
            gateway: gateway.map(IpAddr::V4),
            // The source the lookup chose, unless it is the one asked for.
            prefsrc: (Some(rt.src) != src).then_some(IpAddr::V4(rt.src)),
            priority: None,
            flags,
            uid: Some(req.uid.unwrap_or(0)),
            cache_flags: Some(cache),
            src: src.map(IpAddr::V4),
            iif: None,
        })
    }

    /// `ip route get ... iif DEV`: the route a packet arriving on `iif` would take
    /// (`ip_route_input_slow`).
    fn route_get_input(
        &self,
        ns: NsId,
        dst: Ipv4Addr,
        src: Option<Ipv4Addr>,
        iif: u32,
    ) -> Result<RouteMsg, NlError> {
        let in_dev = self
            .req_dev(ns, Some(iif))?
            .ok_or(NlError::new(Errno::ENODEV))?;
        let saddr = src.unwrap_or(Ipv4Addr::UNSPECIFIED);
        // Martian sources and destinations.
        if saddr.is_multicast() || saddr.is_broadcast() || saddr.is_unspecified() {
            return Err(NlError::new(Errno::EINVAL));
        }
        if dst.is_unspecified() {
            return Err(NlError::new(Errno::EINVAL));
        }
        let net = self.net(ns);
        let forwarding = self.dev(in_dev).conf.conf4[C4_FORWARDING] != 0;
        let Some(r) = net.fib.lookup(dst, None).cloned() else {
            return Err(NlError::new(if forwarding {
                Errno::ENETUNREACH
            } else {
                Errno::EHOSTUNREACH
            }));
        };
        // fib_validate_source: a source that is one of our addresses is martian
        // (accept_local is 0); the answer says whether the source is on a connected prefix.
        let src_route = net.fib.lookup(saddr, None);
        let validate_source = || {
            if src_route.is_some_and(|s| s.rtype != rtn::UNICAST) {
                return Err(NlError::new(Errno::EINVAL));
            }
            Ok(src_route.is_some_and(|s| s.gateway.is_none() && s.oif == Some(in_dev)))
        };
        let mut msg = RouteMsg {
            family_v6: false,
            table: rt_table::MAIN,
            rtype: rtn::UNICAST,
            protocol: rtprot::UNSPEC,
            scope: scope::UNIVERSE,
            dst: IpAddr::V4(dst),
            dst_len: 32,
            oif: None,
            gateway: None,
            prefsrc: None,
            priority: None,
            flags: 0,
            uid: None,
            cache_flags: None,
            src: src.map(IpAddr::V4),
            iif: Some(iif),
        };
        let cache = match r.rtype {
            rtn::LOCAL | rtn::BROADCAST => {
                // Delivered here, through loopback.
                validate_source()?;
                msg.rtype = r.rtype;
                msg.oif = Some(self.dev(net.lo).ifindex);
                if r.rtype == rtn::BROADCAST {
                    rtcf::BROADCAST | rtcf::LOCAL
                } else {
                    rtcf::LOCAL
                }
            }
            rtn::UNICAST if forwarding => {
                let src_onlink = validate_source()?;
                let out = r.oif.ok_or(NlError::new(Errno::ENETUNREACH))?;
                msg.oif = Some(self.dev(out).ifindex);
                msg.gateway = r.gateway.map(IpAddr::V4);
                // __mkroute_input: going back out the way it came from a neighbour on the
                // link earns a redirect (shared_media is on by default).
                let redirects = self.dev(out).conf.conf4[C4_SEND_REDIRECTS] != 0
                    || net.sysctl.conf4_all[C4_SEND_REDIRECTS] != 0;
                if out == in_dev && src_onlink && redirects {
                    rtcf::DOREDIRECT
                } else {
                    0
                }
            }
            rtn::UNICAST => return Err(NlError::new(Errno::EHOSTUNREACH)),
            rtn::BLACKHOLE => return Err(NlError::new(Errno::EINVAL)),
            rtn::PROHIBIT => return Err(NlError::new(Errno::EACCES)),
            _ => return Err(NlError::new(Errno::EHOSTUNREACH)),
        };
        msg.flags = cache & !0xffff;
        msg.cache_flags = Some(cache);
        Ok(msg)
    }

    // --- neighbours -----------------------------------------------------------------------

    /// Every neighbour entry of `ns` (entries without an address or FAILED are listed too,
    /// as Linux does).
    pub fn neigh_dump(&self, ns: NsId) -> Vec<NeighMsg> {
        self.neigh_dump_at(ns, None)
    }

    /// The same, with each entry's cache information as of `now` (`neigh_fill_info`): the
    /// ages of its last use, confirmation and change, a reference held by its timer while
    /// one runs, and the probes sent.
    pub fn neigh_dump_at(&self, ns: NsId, now: Option<tsunagi_engine::Time>) -> Vec<NeighMsg> {
        let Some(net) = self.net_opt(ns) else {
            return Vec::new();
        };
        net.neigh
            .entries()
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
                    cache: now.map(|now| {
                        // `jiffies_to_clock_t`: 1/100 s.
                        let age = |t: tsunagi_engine::Time| {
                            (now.as_nanos().saturating_sub(t.as_nanos()) / 10_000_000) as u32
                        };
                        NeighCacheInfo {
                            used: age(n.used),
                            confirmed: ((crate::neigh::nanos(now) - n.confirmed).max(0)
                                / 10_000_000) as u32,
                            updated: age(n.updated),
                            refcnt: u32::from(n.timer.is_some()),
                            probes: n.probes.max(0) as u32,
                        }
                    }),
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
        let exists = self.net(ns).neigh.entries().contains_key(&(d, ip));
        match (mode, exists) {
            (RouteMode::Add, true) => return Err(NlError::new(Errno::EEXIST)),
            (RouteMode::Change, false) => return Err(NlError::new(Errno::ENOENT)),
            _ => {}
        }
        if let Some(t) = self
            .net_mut(ns)
            .neigh
            .entries_mut()
            .get_mut(&(d, ip))
            .and_then(|n| n.timer.take())
        {
            env.cancel(t);
        }
        let reach = self.reachable_time(d);
        // `neigh_add` creates the entry, then `__neigh_update` refuses a valid state without
        // an address when the entry has none to keep: the new entry stays, in state NONE.
        let has_addr = self
            .net(ns)
            .neigh
            .entries()
            .get(&(d, ip))
            .is_some_and(|n| n.state & nud::VALID != 0);
        let refuse = req.state & nud::VALID != 0 && req.lladdr.is_none() && !has_addr;
        let n = self
            .net_mut(ns)
            .neigh
            .entries_mut()
            .entry((d, ip))
            .or_insert_with(|| Neigh {
                state: nud::NONE,
                lladdr: None,
                flags: 0,
                probes: 0,
                timer: None,
                confirmed: crate::neigh::nanos(now),
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
        n.confirmed = crate::neigh::nanos(now);
        if req.state == nud::REACHABLE {
            let id = env.at(now + reach, NetEvent::Neigh { dev: d, ip });
            if let Some(n) = self.net_mut(ns).neigh.entries_mut().get_mut(&(d, ip)) {
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
            .entries_mut()
            .remove(&(d, ip))
            .ok_or(NlError::new(Errno::ENOENT))?;
        if let Some(t) = n.timer {
            env.cancel(t);
        }
        Ok(())
    }
}

/// What identifies a next hop and so its route cache: a route's `fib_info`, which routes to
/// other destinations with the same attributes share (`fib_find_info`).
fn nexthop_key(r: &Route) -> Route {
    Route {
        table: 0,
        dst: 0,
        len: 0,
        tos: 0,
        ..r.clone()
    }
}

/// `dev_valid_name`.
pub(crate) fn check_ifname(name: &str) -> Result<(), NlError> {
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
