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
use crate::sysctl::{
    N_APP_SOLICIT, N_BASE_REACHABLE_MS, N_DELAY_FIRST_PROBE, N_MCAST_RESOLICIT, N_MCAST_SOLICIT,
    N_RETRANS_MS, N_UCAST_SOLICIT,
};
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
    /// When it was last confirmed, in ns of virtual time; before the lab began for a new
    /// entry (see `unconfirmed`).
    pub confirmed: i64,
    pub used: Time,
    pub updated: Time,
    /// Frames (with room for the Ethernet header) waiting for resolution.
    pub queue: Vec<Vec<u8>>,
}

impl Neigh {
    pub fn new(state: u16, now: Time, confirmed: i64) -> Neigh {
        Neigh {
            state,
            lladdr: None,
            flags: 0,
            probes: 0,
            timer: None,
            confirmed,
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

/// A namespace's neighbour entries, by device and address.
///
/// Forwarding looks up the next hop's entry for every packet; most of the time it is
/// connected (`REACHABLE`, `PERMANENT`, `NOARP`) and the packet only needs its link-layer
/// address, as Linux's `neigh_hh_output` copies the cached header. A small direct-mapped cache
/// answers that without searching the table; any change to the table invalidates it.
#[derive(Default)]
pub(crate) struct NeighTable {
    map: BTreeMap<(DevId, Ipv4Addr), Neigh>,
    /// Bumped by every mutable access to `map`.
    gen: u64,
    hints: [Option<HhHint>; HINTS],
}

const HINTS: usize = 8;

/// A connected entry's link-layer address, valid while the table's generation is `gen`.
#[derive(Clone, Copy)]
struct HhHint {
    gen: u64,
    dev: DevId,
    ip: Ipv4Addr,
    lladdr: [u8; 6],
}

impl NeighTable {
    /// The entries, to read.
    pub fn entries(&self) -> &BTreeMap<(DevId, Ipv4Addr), Neigh> {
        &self.map
    }

    /// The entries, to change: the cached addresses no longer count.
    pub fn entries_mut(&mut self) -> &mut BTreeMap<(DevId, Ipv4Addr), Neigh> {
        self.gen += 1;
        &mut self.map
    }

    /// The entries, to change in a way that leaves every connected entry's state and address
    /// as they are (marking a stale entry used, say): the cached addresses stay valid.
    fn entries_untracked(&mut self) -> &mut BTreeMap<(DevId, Ipv4Addr), Neigh> {
        &mut self.map
    }

    /// The link-layer address of a connected entry, if `(dev, ip)` has one.
    fn connected_lladdr(&mut self, dev: DevId, ip: Ipv4Addr) -> Option<[u8; 6]> {
        let slot = (dev.0 ^ u32::from(ip)) as usize % HINTS;
        if let Some(h) = self.hints[slot] {
            if h.gen == self.gen && h.dev == dev && h.ip == ip {
                return Some(h.lladdr);
            }
        }
        let n = self.map.get(&(dev, ip))?;
        if n.state & nud::CONNECTED == 0 {
            return None;
        }
        let lladdr = n.lladdr?;
        self.hints[slot] = Some(HhHint {
            gen: self.gen,
            dev,
            ip,
            lladdr,
        });
        Some(lladdr)
    }
}

/// A time as signed nanoseconds, for timestamps that may lie before the lab began.
pub(crate) fn nanos(t: Time) -> i64 {
    t.as_nanos() as i64
}

fn ns_of(d: Duration) -> i64 {
    d.as_nanos() as i64
}

/// The time of signed nanoseconds `t`, the lab's start if before it.
fn at(t: i64) -> Time {
    Time(t.max(0) as u64)
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
            .entries_mut()
            .get_mut(&(dev, ip))
            .and_then(|n| n.timer.take());
        if let Some(t) = old {
            env.cancel(t);
        }
        let id = env.at(at, NetEvent::Neigh { dev, ip });
        if let Some(n) = self.net_mut(ns).neigh.entries_mut().get_mut(&(dev, ip)) {
            n.timer = Some(id);
        }
    }

    fn neigh_del_timer(&mut self, dev: DevId, ip: Ipv4Addr, env: &mut dyn Env) {
        let ns = self.dev(dev).ns;
        if let Some(t) = self
            .net_mut(ns)
            .neigh
            .entries_mut()
            .get_mut(&(dev, ip))
            .and_then(|n| n.timer.take())
        {
            env.cancel(t);
        }
    }

    /// The device's reachable time (`neigh->parms->reachable_time`).
    pub(crate) fn reachable_time(&self, dev: DevId) -> Duration {
        let d = self.dev(dev);
        d.conf
            .reachable_time
            .unwrap_or(self.net(d.ns).sysctl.reachable_time)
    }

    /// What a new entry takes as its last confirmation (`neigh_alloc`): twice the base
    /// reachable time ago, so that it is not taken for confirmed.
    fn unconfirmed(&self, dev: DevId, now: Time) -> i64 {
        let base = self.parm(dev, N_BASE_REACHABLE_MS).as_nanos();
        nanos(now) - 2 * base as i64
    }

    /// `neigh_max_probes`: unicast and application probes, then multicast ones (re-probes
    /// for an entry in PROBE).
    fn max_probes(&self, dev: DevId, state: u16) -> i64 {
        let n = &self.dev(dev).conf.neigh;
        let mcast = if state == nud::PROBE {
            n[N_MCAST_RESOLICIT]
        } else {
            n[N_MCAST_SOLICIT]
        };
        n[N_UCAST_SOLICIT] + n[N_APP_SOLICIT] + mcast
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
        if let Some(lladdr) = self.net_mut(ns).neigh.connected_lladdr(dev, nexthop) {
            // A connected entry: the cached header, nothing else (`neigh_hh_output`).
            wire::eth_header(&mut frame, lladdr, src_mac, ETH_P_IP);
            self.dev_xmit(dev, frame, env);
            return;
        }
        let now = env.now();
        // Not connected (the fast path above took those): what happens to the entry here
        // (marked used, STALE to DELAY, a packet queued) never makes it connected, so the
        // cached addresses of connected entries stay valid.
        let entry = self
            .net_mut(ns)
            .neigh
            .entries_untracked()
            .get_mut(&(dev, nexthop));
        match entry {
            Some(n) if n.has_lladdr_state() => {
                let lladdr = n.lladdr.unwrap_or(BROADCAST_MAC);
                // A connected entry sends through its cached header (`neigh_hh_output`);
                // the others go through `neigh_event_send`, which marks them used.
                if n.state & nud::CONNECTED == 0 {
                    n.used = now;
                }
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
                if let Some(n) = self
                    .net_mut(ns)
                    .neigh
                    .entries_untracked()
                    .get_mut(&(dev, nexthop))
                {
                    n.queue.push(frame);
                }
            }
            _ => {
                // None or FAILED: start resolving (`__neigh_event_send`). The probe count
                // starts past the unicast probes, so that `arp_solicit` broadcasts.
                let src = wire::ip4(&frame, ETH_HLEN + 12);
                let confirmed = self.unconfirmed(dev, now);
                let ucast = self.dev(dev).conf.neigh[N_UCAST_SOLICIT];
                let entries = self.net_mut(ns).neigh.entries_mut();
                let n = entries
                    .entry((dev, nexthop))
                    .or_insert_with(|| Neigh::new(nud::NONE, now, confirmed));
                n.state = nud::INCOMPLETE;
                n.lladdr = None;
                n.probes = ucast;
                n.used = now;
                n.updated = now;
                n.queue.push(frame);
                let d = self.parm(dev, N_RETRANS_MS);
                self.neigh_set_timer(dev, nexthop, d, env);
                self.neigh_probe(dev, nexthop, Some(src), env);
            }
        }
    }

    /// `neigh_probe` and `arp_solicit`: one more request, unicast to the known address while
    /// the unicast probes last, then broadcast.
    fn neigh_probe(
        &mut self,
        dev: DevId,
        ip: Ipv4Addr,
        hint_src: Option<Ipv4Addr>,
        env: &mut dyn Env,
    ) {
        let ns = self.dev(dev).ns;
        let ucast = self.dev(dev).conf.neigh[N_UCAST_SOLICIT];
        let Some(n) = self.net_mut(ns).neigh.entries_mut().get_mut(&(dev, ip)) else {
            return;
        };
        let unicast = if n.probes < ucast { n.lladdr } else { None };
        n.probes += 1;
        self.arp_send_request(dev, ip, hint_src, unicast, env);
    }

    /// A neighbour's timer fired (`neigh_timer_handler`).
    pub(crate) fn neigh_timer(&mut self, dev: DevId, ip: Ipv4Addr, env: &mut dyn Env) {
        let Some(ns) = self.dev_opt(dev).map(|d| d.ns) else {
            return;
        };
        let now = env.now();
        let reachable = self.reachable_time(dev);
        let delay = self.parm(dev, N_DELAY_FIRST_PROBE);
        let retrans = self.parm(dev, N_RETRANS_MS).max(Duration::from_millis(10));
        let (max_incomplete, max_probe) = (
            self.max_probes(dev, nud::INCOMPLETE),
            self.max_probes(dev, nud::PROBE),
        );
        let Some(n) = self.net_mut(ns).neigh.entries_mut().get_mut(&(dev, ip)) else {
            return;
        };
        n.timer = None;
        let next = match n.state {
            nud::REACHABLE => {
                if nanos(now) <= n.confirmed + ns_of(reachable) {
                    Some(at(n.confirmed + ns_of(reachable)))
                } else if now <= n.used + delay {
                    n.state = nud::DELAY;
                    n.updated = now;
                    Some(now + delay)
                } else {
                    n.state = nud::STALE;
                    n.updated = now;
                    None
                }
            }
            nud::DELAY => {
                if nanos(now) <= n.confirmed + ns_of(delay) {
                    n.state = nud::REACHABLE;
                    n.updated = now;
                    Some(at(n.confirmed + ns_of(reachable)))
                } else {
                    n.state = nud::PROBE;
                    n.updated = now;
                    n.probes = 0;
                    Some(now + retrans)
                }
            }
            nud::PROBE | nud::INCOMPLETE => Some(now + retrans),
            _ => return,
        };
        let max = if n.state == nud::PROBE {
            max_probe
        } else {
            max_incomplete
        };
        if n.state & (nud::INCOMPLETE | nud::PROBE) != 0 && n.probes >= max {
            // `neigh_invalidate`: what waited is answered with host unreachable.
            n.state = nud::FAILED;
            n.updated = now;
            let queued = std::mem::take(&mut n.queue);
            for f in queued {
                self.ip_link_failure(ns, f, env);
            }
            return;
        }
        let probing = n.state & (nud::INCOMPLETE | nud::PROBE) != 0;
        if let Some(at) = next {
            let at = at.max(now + Duration::from_millis(10));
            self.neigh_set_timer(dev, ip, at - now, env);
        }
        if probing {
            self.neigh_probe(dev, ip, None, env);
        }
    }

    /// Records what an ARP packet says about its sender (`neigh_update`): a reply to us
    /// confirms it (REACHABLE), anything else only tells its address (STALE, unless the
    /// entry already had that address).
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
        let reach = self.reachable_time(dev);
        let unconfirmed = self.unconfirmed(dev, now);
        let entries = self.net_mut(ns).neigh.entries_mut();
        if !create && !entries.contains_key(&(dev, ip)) {
            return;
        }
        let n = entries
            .entry((dev, ip))
            .or_insert_with(|| Neigh::new(nud::NONE, now, unconfirmed));
        if n.state & (nud::PERMANENT | nud::NOARP) != 0 {
            return;
        }
        let old = n.state;
        let changed = old & nud::VALID == 0 || n.lladdr != Some(lladdr);
        let mut new = if reachable {
            nud::REACHABLE
        } else {
            nud::STALE
        };
        // If entry was valid and address is not changed, an unconfirmed update keeps its
        // state.
        if old & nud::VALID != 0 && !changed && new == nud::STALE {
            new = old;
        }
        // A reply confirms the neighbour even when it changes nothing else.
        if reachable {
            n.confirmed = nanos(now);
            // Linux shows a neighbour confirmed by a reply as just used, too.
            n.used = now;
        }
        if new != old || changed {
            n.updated = now;
        }
        if changed {
            n.lladdr = Some(lladdr);
            if new & nud::CONNECTED == 0 {
                n.confirmed = unconfirmed;
            }
        }
        n.state = new;
        let queued = if old & nud::VALID == 0 {
            std::mem::take(&mut n.queue)
        } else {
            Vec::new()
        };
        if new != old {
            self.neigh_del_timer(dev, ip, env);
            if new == nud::REACHABLE {
                self.neigh_set_timer(dev, ip, reach, env);
            }
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
        self.neigh_flush(dev, false, env);
    }

    /// The device lost its carrier (`neigh_carrier_down`, with `arp_evict_nocarrier`): its
    /// neighbours go but the permanent ones.
    pub(crate) fn neigh_carrier_down(&mut self, dev: DevId, env: &mut dyn Env) {
        self.neigh_flush(dev, true, env);
    }

    fn neigh_flush(&mut self, dev: DevId, skip_perm: bool, env: &mut dyn Env) {
        let ns = self.dev(dev).ns;
        let keys: Vec<(DevId, Ipv4Addr)> = self
            .net(ns)
            .neigh
            .entries()
            .iter()
            .filter(|((d, _), n)| *d == dev && !(skip_perm && n.state & nud::PERMANENT != 0))
            .map(|(k, _)| *k)
            .collect();
        for k in keys {
            if let Some(n) = self.net_mut(ns).neigh.entries_mut().remove(&k) {
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
