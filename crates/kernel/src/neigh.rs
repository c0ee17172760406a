//! Neighbours: the ARP table and its state machine (net/core/neighbour.c, net/ipv4/arp.c).
//!
//! States and timers follow Linux: an unknown neighbour is INCOMPLETE while broadcast requests
//! go out every `retrans_time` (1 s), up to `mcast_solicit` (3), then FAILED, and the packets
//! queued meanwhile are answered with ICMP host unreachable. A confirmed neighbour is
//! REACHABLE for a random 15–45 s, then STALE; using a STALE entry moves it to DELAY, and 5 s
//! later without confirmation to PROBE, which sends `ucast_solicit` (3) unicast requests.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use tsunagi_engine::{Duration, Time, TimerId};

use crate::core::{DevId, DevKind, Env, Kernel, NetEvent};
use crate::rtnl::nud;
use crate::sysctl::{N_DELAY_FIRST_PROBE, N_MCAST_SOLICIT, N_RETRANS_MS, N_UCAST_SOLICIT};
use crate::wire::{
    self, Arp, ARPOP_REPLY, ARPOP_REQUEST, ARP_LEN, BROADCAST_MAC, ETH_HLEN, ETH_P_ARP, ETH_P_IP,
};

/// Most packets queued on one unresolved neighbour.
const QUEUE_LIMIT: usize = 256;

pub(crate) struct Neigh {
    pub state: u16,
    pub lladdr: Option<[u8; 6]>,
    pub flags: u8,
    pub probes: i64,
    pub timer: Option<TimerId>,
    pub confirmed: Time,
    pub used: Time,
    pub updated: Time,
    /// Frames (with room for the Ethernet header) waiting for resolution.
    pub queue: Vec<Vec<u8>>,
}

impl Neigh {
    fn new(state: u16, now: Time) -> Neigh {
        Neigh {
            state,
            lladdr: None,
            flags: 0,
            probes: 0,
            timer: None,
            confirmed: now,
            used: now,
            updated: now,
            queue: Vec::new(),
        }
    }

    pub fn has_lladdr_state(&self) -> bool {
        self.state
            & (nud::REACHABLE | nud::STALE | nud::DELAY | nud::PROBE | nud::PERMANENT | nud::NOARP)
            != 0
    }
}

#[derive(Default)]
pub(crate) struct NeighTable {
    pub entries: BTreeMap<(DevId, Ipv4Addr), Neigh>,
}

impl Kernel {
    /// A time parameter of the device's neighbour table (`NEIGH_VAR`).
    fn parm(&self, dev: DevId, i: usize) -> Duration {
        self.dev(dev).conf.neigh_ms(i)
    }

    fn neigh_set_timer(&mut self, dev: DevId, ip: Ipv4Addr, after: Duration, env: &mut dyn Env) {
        let ns = self.dev(dev).ns;
        let at = env.now() + after;
        let old = self
            .net_mut(ns)
            .neigh
            .entries
            .get_mut(&(dev, ip))
            .and_then(|n| n.timer.take());
        if let Some(t) = old {
            env.cancel(t);
        }
        let id = env.at(at, NetEvent::Neigh { dev, ip });
        if let Some(n) = self.net_mut(ns).neigh.entries.get_mut(&(dev, ip)) {
            n.timer = Some(id);
        }
    }

    fn neigh_del_timer(&mut self, dev: DevId, ip: Ipv4Addr, env: &mut dyn Env) {
        let ns = self.dev(dev).ns;
        if let Some(t) = self
            .net_mut(ns)
            .neigh
            .entries
            .get_mut(&(dev, ip))
            .and_then(|n| n.timer.take())
        {
            env.cancel(t);
        }
    }

    /// Sends `frame` (IPv4 at offset 14) to `nexthop` on `dev`, resolving it first if needed
    /// (`neigh_output` / `neigh_resolve_output`).
    pub(crate) fn neigh_output(
        &mut self,
        dev: DevId,
        nexthop: Ipv4Addr,
        mut frame: Vec<u8>,
        env: &mut dyn Env,
    ) {
        let (ns, kind, src_mac) = {
            let d = self.dev(dev);
            (d.ns, d.kind, d.mac)
        };
        if kind == DevKind::Loopback {
            wire::eth_header(&mut frame, [0; 6], [0; 6], ETH_P_IP);
            self.dev_xmit(dev, frame, env);
            return;
        }
        let now = env.now();
        let entry = self.net_mut(ns).neigh.entries.get_mut(&(dev, nexthop));
        match entry {
            Some(n) if n.has_lladdr_state() => {
                let lladdr = n.lladdr.unwrap_or(BROADCAST_MAC);
                n.used = now;
                let became_delay = n.state == nud::STALE;
                if became_delay {
                    n.state = nud::DELAY;
                    n.updated = now;
                }
                wire::eth_header(&mut frame, lladdr, src_mac, ETH_P_IP);
                if became_delay {
                    let d = self.parm(dev, N_DELAY_FIRST_PROBE);
                    self.neigh_set_timer(dev, nexthop, d, env);
                }
                self.dev_xmit(dev, frame, env);
            }
            Some(n) if n.state == nud::INCOMPLETE => {
                n.used = now;
                if n.queue.len() >= QUEUE_LIMIT {
                    let old = n.queue.remove(0);
                    self.free_frame(old);
                }
                if let Some(n) = self.net_mut(ns).neigh.entries.get_mut(&(dev, nexthop)) {
                    n.queue.push(frame);
                }
            }
            _ => {
                // None or FAILED: start resolving.
                let src = wire::ip4(&frame, ETH_HLEN + 12);
                let entries = &mut self.net_mut(ns).neigh.entries;
                let n = entries
                    .entry((dev, nexthop))
                    .or_insert_with(|| Neigh::new(nud::INCOMPLETE, now));
                n.state = nud::INCOMPLETE;
                n.lladdr = None;
                n.probes = 1;
                n.used = now;
                n.updated = now;
                n.queue.push(frame);
                self.arp_send_request(dev, nexthop, Some(src), None, env);
                let d = self.parm(dev, N_RETRANS_MS);
                self.neigh_set_timer(dev, nexthop, d, env);
            }
        }
    }

    /// A neighbour's timer fired (`neigh_timer_handler`).
    pub(crate) fn neigh_timer(&mut self, dev: DevId, ip: Ipv4Addr, env: &mut dyn Env) {
        let Some(ns) = self.dev_opt(dev).map(|d| d.ns) else {
            return;
        };
        let now = env.now();
        let reachable = self.net(ns).sysctl.reachable_time;
        let delay = self.parm(dev, N_DELAY_FIRST_PROBE);
        let retrans = self.parm(dev, N_RETRANS_MS);
        let (mcast, ucast) = {
            let n = &self.dev(dev).conf.neigh;
            (n[N_MCAST_SOLICIT], n[N_UCAST_SOLICIT])
        };
        let Some(n) = self.net_mut(ns).neigh.entries.get_mut(&(dev, ip)) else {
            return;
        };
        n.timer = None;
        match n.state {
            nud::REACHABLE => {
                if now < n.confirmed + reachable {
                    let left = (n.confirmed + reachable) - now;
                    self.neigh_set_timer(dev, ip, left, env);
                } else if now < n.used + delay {
                    n.state = nud::DELAY;
                    n.updated = now;
                    let left = (n.used + delay) - now;
                    self.neigh_set_timer(dev, ip, left, env);
                } else {
                    n.state = nud::STALE;
                    n.updated = now;
                }
            }
            nud::DELAY => {
                if now < n.confirmed + delay {
                    n.state = nud::REACHABLE;
                    n.updated = now;
                    let left = (n.confirmed + reachable) - now;
                    self.neigh_set_timer(dev, ip, left, env);
                } else {
                    n.state = nud::PROBE;
                    n.updated = now;
                    n.probes = 1;
                    let lladdr = n.lladdr;
                    self.arp_send_request(dev, ip, None, lladdr, env);
                    self.neigh_set_timer(dev, ip, retrans, env);
                }
            }
            nud::PROBE | nud::INCOMPLETE => {
                let limit = if n.state == nud::PROBE { ucast } else { mcast };
                if n.probes < limit {
                    n.probes += 1;
                    let lladdr = if n.state == nud::PROBE {
                        n.lladdr
                    } else {
                        None
                    };
                    self.arp_send_request(dev, ip, None, lladdr, env);
                    self.neigh_set_timer(dev, ip, retrans, env);
                } else {
                    n.state = nud::FAILED;
                    n.updated = now;
                    let queued = std::mem::take(&mut n.queue);
                    for f in queued {
                        self.ip_link_failure(ns, f, env);
                    }
                }
            }
            _ => {}
        }
    }

    /// Records what an ARP packet says about its sender (`neigh_update`).
    fn neigh_learn(
        &mut self,
        dev: DevId,
        ip: Ipv4Addr,
        lladdr: [u8; 6],
        reachable: bool,
        create: bool,
        env: &mut dyn Env,
    ) {
        let ns = self.dev(dev).ns;
        let now = env.now();
        let reach = self.net(ns).sysctl.reachable_time;
        let entries = &mut self.net_mut(ns).neigh.entries;
        if !create && !entries.contains_key(&(dev, ip)) {
            return;
        }
        let n = entries
            .entry((dev, ip))
            .or_insert_with(|| Neigh::new(nud::NONE, now));
        if n.state & (nud::PERMANENT | nud::NOARP) != 0 {
            return;
        }
        let changed = n.lladdr != Some(lladdr);
        let old = n.state;
        n.lladdr = Some(lladdr);
        if reachable {
            n.state = nud::REACHABLE;
            n.confirmed = now;
        } else if changed
            || old & (nud::INCOMPLETE | nud::FAILED | nud::NONE) != 0
            || old == nud::NONE
        {
            n.state = nud::STALE;
        }
        if n.state != old || changed {
            n.updated = now;
        }
        let queued = std::mem::take(&mut n.queue);
        let state = n.state;
        match state {
            nud::REACHABLE => self.neigh_set_timer(dev, ip, reach, env),
            nud::STALE => self.neigh_del_timer(dev, ip, env),
            _ => {}
        }
        if !queued.is_empty() {
            let src_mac = self.dev(dev).mac;
            for mut f in queued {
                wire::eth_header(&mut f, lladdr, src_mac, ETH_P_IP);
                self.dev_xmit(dev, f, env);
            }
        }
    }

    /// Sends an ARP request for `target` on `dev` (`arp_solicit`): broadcast, or unicast to
    /// `unicast` when probing a known neighbour.
    pub(crate) fn arp_send_request(
        &mut self,
        dev: DevId,
        target: Ipv4Addr,
        hint_src: Option<Ipv4Addr>,
        unicast: Option<[u8; 6]>,
        env: &mut dyn Env,
    ) {
        let ns = self.dev(dev).ns;
        let src = match hint_src.filter(|s| self.is_local_addr(ns, *s)) {
            Some(s) => s,
            None => match self.select_src(dev, target) {
                Some(s) => s,
                None => return,
            },
        };
        let mac = self.dev(dev).mac;
        let dst = unicast.unwrap_or(BROADCAST_MAC);
        self.arp_send(dev, ARPOP_REQUEST, dst, mac, src, [0; 6], target, env);
    }

    /// A gratuitous ARP request announcing `ip` on `dev` (`arp_send` from
    /// `inetdev_send_gratuitous_arp`): from and for the address itself, broadcast, target
    /// hardware address zero.
    pub(crate) fn arp_send_gratuitous(&mut self, dev: DevId, ip: Ipv4Addr, env: &mut dyn Env) {
        let mac = self.dev(dev).mac;
        self.arp_send(dev, ARPOP_REQUEST, BROADCAST_MAC, mac, ip, [0; 6], ip, env);
    }

    #[allow(clippy::too_many_arguments)]
    fn arp_send(
        &mut self,
        dev: DevId,
        op: u16,
        dst_mac: [u8; 6],
        sha: [u8; 6],
        spa: Ipv4Addr,
        tha: [u8; 6],
        tpa: Ipv4Addr,
        env: &mut dyn Env,
    ) {
        let mut f = self.alloc_frame(ETH_HLEN + ARP_LEN);
        wire::eth_header(&mut f, dst_mac, sha, ETH_P_ARP);
        Arp {
            op,
            sha,
            spa,
            tha,
            tpa,
        }
        .emit(&mut f[ETH_HLEN..]);
        self.dev_xmit(dev, f, env);
    }

    /// An ARP packet arrived (`arp_process`).
    pub(crate) fn arp_rcv(&mut self, dev: DevId, frame: Vec<u8>, to_us: bool, env: &mut dyn Env) {
        let Some(arp) = Arp::parse(&frame[ETH_HLEN..]) else {
            self.free_frame(frame);
            return;
        };
        self.free_frame(frame);
        if arp.sha[0] & 1 != 0 || arp.spa.is_multicast() {
            return;
        }
        let ns = self.dev(dev).ns;
        let for_us = self.is_local_addr(ns, arp.tpa) && !arp.tpa.is_loopback();
        match arp.op {
            ARPOP_REQUEST if for_us => {
                if !arp.spa.is_unspecified() {
                    self.neigh_learn(dev, arp.spa, arp.sha, false, true, env);
                }
                let mac = self.dev(dev).mac;
                self.arp_send(
                    dev,
                    ARPOP_REPLY,
                    arp.sha,
                    mac,
                    arp.tpa,
                    arp.sha,
                    arp.spa,
                    env,
                );
            }
            ARPOP_REQUEST => self.neigh_learn(dev, arp.spa, arp.sha, false, false, env),
            ARPOP_REPLY => self.neigh_learn(dev, arp.spa, arp.sha, to_us, false, env),
            _ => {}
        }
    }

    /// Forgets every neighbour of `dev` (`neigh_ifdown`), dropping what was queued.
    pub(crate) fn neigh_flush_dev(&mut self, dev: DevId, env: &mut dyn Env) {
        let ns = self.dev(dev).ns;
        let keys: Vec<(DevId, Ipv4Addr)> = self
            .net(ns)
            .neigh
            .entries
            .keys()
            .filter(|(d, _)| *d == dev)
            .copied()
            .collect();
        for k in keys {
            if let Some(n) = self.net_mut(ns).neigh.entries.remove(&k) {
                if let Some(t) = n.timer {
                    env.cancel(t);
                }
                for f in n.queue {
                    self.free_frame(f);
                }
            }
        }
    }
}
