//! IPv6 address autoconfiguration of a link (net/ipv6/addrconf.c): what a device does by
//! itself when its link becomes ready and when it goes down.
//!
//! When the carrier of an up device comes on, addrconf "configures" it (`addrconf_dev_config`):
//! the device's multicast groups are reported again (`ipv6_mc_up`, see [`crate::mld`]), its
//! EUI-64 link-local address is added, tentative, and duplicate address detection runs
//! (RFC 4862 section 5.4): the address's solicited-node group is joined, and after a random
//! delay below `router_solicitation_delay` one neighbour solicitation from `::` goes out
//! (`dad_transmits`), with a nonce (RFC 7527, `enhanced_dad`). One retransmission interval
//! later the address is valid: the MLD reports are sent again from it
//! (`ipv6_mc_dad_complete`), and a host (not a router: `forwarding` 0 and `accept_ra` 1)
//! starts router solicitation (RFC 4861 section 6.3.7, with the exponential backoff of
//! RFC 7559 that Linux 6 uses: intervals of 4 s, 8 s, 16 s, ... up to an hour, each ±10 %,
//! forever since `router_solicitations` is -1).
//!
//! Losing the carrier changes nothing here; getting it back reports the groups again. Taking
//! the device down (`addrconf_ifdown`) removes the link-local address and leaves its groups;
//! the leave records wait in the device's MLD state for the next time it is up. Changing the
//! MAC address of a device that is up keeps the link-local address made from the old one
//! until the device is configured again: Linux 6 does not re-derive it on
//! `NETDEV_CHANGEADDR`.
//!
//! A solicitation or advertisement from another node for the tentative address fails DAD
//! (see [`crate::ndisc`]): the address stays, tentative and `dadfailed`.
//!
//! What it does not do (yet): global addresses, router advertisements, the IPv6 neighbour
//! table, `accept_dad` 2, `ndisc_notify`, and `linkwatch` (Linux configures a link whose
//! carrier came through a link event up to a second later). Timers are in jiffies of a
//! `HZ=250` kernel, Debian's, without the timer wheel's rounding.

use std::net::Ipv6Addr;

use tsunagi_engine::{Duration, TimerId};

use crate::core::{DevId, DevKind, Env, Kernel, NetEvent};
use crate::mld::McGroup;
use crate::rtnl::{iff, scope};
use crate::sysctl::{
    C6_ACCEPT_DAD, C6_ACCEPT_RA, C6_DAD_TRANSMITS, C6_DISABLE_IPV6, C6_ENHANCED_DAD, C6_FORWARDING,
    C6_RTR_SOLICITS, C6_RTR_SOLICIT_DELAY, C6_RTR_SOLICIT_INTERVAL, C6_RTR_SOLICIT_MAX_INTERVAL,
};

/// One jiffy of a `HZ=250` kernel: the unit of every addrconf and MLD timer.
pub(crate) const JIFFY: Duration = Duration::from_millis(4);

/// The neighbour discovery retransmission timer (`net.ipv6.neigh.DEV.retrans_time_ms`,
/// `RETRANS_TIMER` of RFC 4861): the time DAD waits after its solicitation.
const ND_RETRANS_TIME: Duration = Duration::from_millis(1000);

/// The addrconf and MLD timers of a device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum In6Timer {
    /// Duplicate address detection of the link-local address (`addrconf_dad_work`).
    Dad,
    /// The next MLD state-change report (`mld_ifc_work`).
    MldIfc,
    /// The next MLD report after DAD completed (`mld_dad_work`).
    MldDad,
    /// The next router solicitation (`addrconf_rs_timer`).
    Rs,
}

/// An IPv6 address of a device (`struct inet6_ifaddr`): `::1` on the loopback, the
/// link-local address elsewhere.
#[derive(Clone, Debug)]
pub(crate) struct Ifa6 {
    pub addr: Ipv6Addr,
    pub prefixlen: u8,
    pub scope: u8,
    /// `IFA_F_TENTATIVE`: duplicate address detection has not finished.
    pub tentative: bool,
    /// `IFA_F_DADFAILED`: another node uses the address; it stays tentative, unused.
    pub dadfailed: bool,
    /// Solicitations DAD still has to send (`dad_probes`).
    dad_probes: i64,
    /// The nonce of its solicitations (`dad_nonce`, RFC 7527), 0 without enhanced DAD.
    dad_nonce: [u8; 6],
    /// The subnet-router anycast address of its prefix is joined (a router's).
    anycast: bool,
}

/// A device's IPv6 state (`struct inet6_dev`).
pub(crate) struct Inet6Dev {
    /// `IF_READY`: addrconf configured the link since the device came up.
    pub ready: bool,
    pub addr: Option<Ifa6>,
    /// The multicast groups joined, newest first (`mc_list`).
    pub mc_list: Vec<McGroup>,
    /// Groups left whose leave is still to be reported, newest first (`mc_tomb`).
    pub mc_tomb: Vec<McGroup>,
    /// Reports of the current state change still to send (`mc_ifc_count`).
    pub mc_ifc_count: u8,
    /// Reports of the groups still to send after DAD (`mc_dad_count`).
    pub mc_dad_count: u8,
    /// Router solicitations sent (`rs_probes`) and the current interval (`rs_interval`).
    rs_probes: i64,
    rs_interval: Duration,
    pub timers: [Option<TimerId>; 4],
}

impl Inet6Dev {
    /// The state `ipv6_add_dev` gives a new device: it joins the interface-local and
    /// link-local all-nodes groups, and a router's device the link-local all-routers group.
    pub fn new(kind: DevKind, forwarding: bool) -> Inet6Dev {
        let mut d = Inet6Dev {
            ready: false,
            addr: None,
            mc_list: Vec::new(),
            mc_tomb: Vec::new(),
            mc_ifc_count: 0,
            mc_dad_count: 0,
            rs_probes: 0,
            rs_interval: Duration::ZERO,
            timers: [None; 4],
        };
        d.mc_list
            .insert(0, McGroup::new(crate::mld::INTERFACELOCAL_ALLNODES));
        d.mc_list
            .insert(0, McGroup::new(crate::mld::LINKLOCAL_ALLNODES));
        if forwarding && kind != DevKind::Loopback {
            d.mc_list
                .insert(0, McGroup::new(crate::mld::LINKLOCAL_ALLROUTERS));
        }
        d
    }

    /// The link-local address once DAD succeeded (`ipv6_get_lladdr` without tentative ones).
    pub fn lladdr(&self) -> Option<Ipv6Addr> {
        self.addr
            .as_ref()
            .filter(|a| a.scope == scope::LINK && !a.tentative)
            .map(|a| a.addr)
    }
}

fn slot(t: In6Timer) -> usize {
    t as usize
}

/// A random number of jiffies below `n` (`get_random_u32_below`), as a duration.
pub(crate) fn jiffies_below(env: &mut dyn Env, n: u64) -> Duration {
    Duration(env.rng().range(0, n.max(1)) * JIFFY.0)
}

/// A time in milliseconds in jiffies, rounded up (`msecs_to_jiffies`).
pub(crate) fn ms_to_jiffies(ms: i64) -> u64 {
    (ms.max(0) as u64).div_ceil(JIFFY.as_millis())
}

/// `rfc3315_s14_backoff_init`: the initial interval times a random 0.9 to 1.1.
fn backoff_init(irt: u64, env: &mut dyn Env) -> u64 {
    irt * env.rng().range(900_000, 1_100_001) / 1_000_000
}

/// `rfc3315_s14_backoff_update`: the interval times a random 1.9 to 2.1, or the maximum
/// times a random 0.9 to 1.1 once past it.
fn backoff_update(rt: u64, mrt: u64, env: &mut dyn Env) -> u64 {
    let t = rt * env.rng().range(1_900_000, 2_100_001) / 1_000_000;
    if t > mrt {
        mrt * env.rng().range(900_000, 1_100_001) / 1_000_000
    } else {
        t
    }
}

impl Kernel {
    /// Arms one of a device's IPv6 timers `after` from now, replacing it if it was armed
    /// (`mod_delayed_work`, `mod_timer`). A timer due now fires at the next tick, as a
    /// kernel timer does: a zero interval written to a sysctl cannot stop the clock.
    pub(crate) fn in6_timer_set(
        &mut self,
        d: DevId,
        t: In6Timer,
        after: Duration,
        env: &mut dyn Env,
    ) {
        self.in6_timer_stop(d, t, env);
        let after = if after == Duration::ZERO && t == In6Timer::Rs {
            JIFFY
        } else {
            after
        };
        let at = env.now() + after;
        let ev = NetEvent::Addrconf { dev: d, timer: t };
        // Router solicitations go on forever (`router_solicitations` -1): nothing waits for
        // them.
        let id = if t == In6Timer::Rs {
            env.at_daemon(at, ev)
        } else {
            env.at(at, ev)
        };
        self.dev_mut(d).in6.timers[slot(t)] = Some(id);
    }

    pub(crate) fn in6_timer_stop(&mut self, d: DevId, t: In6Timer, env: &mut dyn Env) {
        if let Some(id) = self.dev_mut(d).in6.timers[slot(t)].take() {
            env.cancel(id);
        }
    }

    /// A device's IPv6 timer fired.
    pub(crate) fn addrconf_timer(&mut self, d: DevId, t: In6Timer, env: &mut dyn Env) {
        if self.dev_opt(d).is_none() {
            return;
        }
        self.dev_mut(d).in6.timers[slot(t)] = None;
        match t {
            In6Timer::Dad => self.addrconf_dad_work(d, env),
            In6Timer::MldIfc => self.mld_ifc_work(d, env),
            In6Timer::MldDad => self.mld_dad_work(d, env),
            In6Timer::Rs => self.addrconf_rs_timer(d, env),
        }
    }

    /// The link of `d` is ready (`addrconf_notify` on `NETDEV_UP` with carrier, or
    /// `NETDEV_CHANGE` when the carrier comes): configure it, or, if it already was, report
    /// its groups again.
    pub(crate) fn addrconf_link_ready(&mut self, d: DevId, env: &mut dyn Env) {
        if self.dev(d).conf.conf6[C6_DISABLE_IPV6] != 0 || !self.dev(d).admin_up {
            return;
        }
        if self.dev(d).in6.ready {
            self.ipv6_mc_up(d, env);
            return;
        }
        self.dev_mut(d).in6.ready = true;
        let ns = self.dev(d).ns;
        self.net_mut(ns).addrconf_seq += 1;
        self.dev_mut(d).addrconf_seq = self.net(ns).addrconf_seq;
        if self.dev(d).kind == DevKind::Loopback {
            // `init_loopback`: ::1, valid at once; the loopback sends no MLD.
            self.dev_mut(d).in6.addr = Some(Ifa6 {
                addr: Ipv6Addr::LOCALHOST,
                prefixlen: 128,
                scope: scope::HOST,
                tentative: false,
                dadfailed: false,
                dad_probes: 0,
                dad_nonce: [0; 6],
                anycast: false,
            });
            return;
        }
        // `addrconf_dev_config`: `ipv6_find_idev` reports the groups, then the link-local
        // address is added and its DAD started.
        self.ipv6_mc_up(d, env);
        let addr = crate::ops::link_local(self.dev(d).mac);
        self.dev_mut(d).in6.addr = Some(Ifa6 {
            addr,
            prefixlen: 64,
            scope: scope::LINK,
            tentative: true,
            dadfailed: false,
            dad_probes: 0,
            dad_nonce: [0; 6],
            anycast: false,
        });
        // `addrconf_dad_start` queues the DAD work at once; it begins DAD
        // (`addrconf_dad_begin`) before anything else runs.
        self.addrconf_dad_begin(d, env);
    }

    /// `addrconf_dad_begin`: join the solicited-node group, then either wait a random delay
    /// before the first solicitation or, where DAD does not run, take the address at once.
    fn addrconf_dad_begin(&mut self, d: DevId, env: &mut dyn Env) {
        let Some(addr) = self.dev(d).in6.addr.as_ref().map(|a| a.addr) else {
            return;
        };
        let noarp = self.dev(d).flags & iff::NOARP != 0;
        if !noarp {
            let group = crate::mld::solicited_node(addr);
            self.ipv6_dev_mc_inc(d, group, env);
            // The device now listens to the group's MAC (`dev_mc_add` when the group is
            // loaded).
            self.mc_add(d, crate::wire::ipv6_mc_mac(group));
        }
        let ns = self.dev(d).ns;
        let conf = &self.dev(d).conf.conf6;
        let accept_dad =
            self.net(ns).sysctl.conf6_all[C6_ACCEPT_DAD] >= 1 || conf[C6_ACCEPT_DAD] >= 1;
        if noarp || !accept_dad {
            if let Some(a) = self.dev_mut(d).in6.addr.as_mut() {
                a.tentative = false;
            }
            self.addrconf_dad_completed(d, env);
            return;
        }
        // `addrconf_dad_kick`.
        let delay_jiffies = (conf[C6_RTR_SOLICIT_DELAY].max(0) as u64) * 250;
        let probes = conf[C6_DAD_TRANSMITS];
        let enhanced =
            conf[C6_ENHANCED_DAD] != 0 || self.net(ns).sysctl.conf6_all[C6_ENHANCED_DAD] != 0;
        let rand = jiffies_below(env, delay_jiffies);
        let mut nonce = [0u8; 6];
        if enhanced {
            while nonce == [0; 6] {
                env.rng().fill(&mut nonce);
            }
        }
        if let Some(a) = self.dev_mut(d).in6.addr.as_mut() {
            a.dad_probes = probes;
            a.dad_nonce = nonce;
        }
        self.in6_timer_set(d, In6Timer::Dad, rand, env);
    }

    /// `addrconf_dad_work`: send the next solicitation, or, when all were sent without an
    /// answer, take the address.
    fn addrconf_dad_work(&mut self, d: DevId, env: &mut dyn Env) {
        let Some(a) = self.dev_mut(d).in6.addr.as_mut() else {
            return;
        };
        if !a.tentative || a.dadfailed {
            return;
        }
        if a.dad_probes <= 0 {
            a.tentative = false;
            self.addrconf_dad_completed(d, env);
            return;
        }
        a.dad_probes -= 1;
        let (addr, nonce) = (a.addr, a.dad_nonce);
        self.in6_timer_set(d, In6Timer::Dad, ND_RETRANS_TIME.max(JIFFY), env);
        self.ndisc_send_ns_dad(d, addr, nonce, env);
    }

    /// The nonce of the running duplicate address detection of `addr` on `d`, if `addr` is
    /// tentative there (`ipv6_get_ifaddr` of a tentative address).
    pub(crate) fn tentative_nonce(&self, d: DevId, addr: Ipv6Addr) -> Option<[u8; 6]> {
        self.dev(d)
            .in6
            .addr
            .as_ref()
            .filter(|a| a.addr == addr && a.tentative && !a.dadfailed)
            .map(|a| a.dad_nonce)
    }

    /// `addrconf_dad_failure` and `addrconf_dad_stop`: another node has the address. DAD
    /// stops; the address stays tentative, marked failed, its solicited-node group joined;
    /// nothing follows (no reports from it, no router solicitation).
    pub(crate) fn addrconf_dad_failure(&mut self, d: DevId, env: &mut dyn Env) {
        self.in6_timer_stop(d, In6Timer::Dad, env);
        if let Some(a) = self.dev_mut(d).in6.addr.as_mut() {
            a.tentative = true;
            a.dadfailed = true;
        }
    }

    /// `addrconf_dad_completed`: the address is valid. A router joins its prefix's
    /// subnet-router anycast address; the groups are reported again, now from the
    /// link-local address; a host starts soliciting routers.
    fn addrconf_dad_completed(&mut self, d: DevId, env: &mut dyn Env) {
        let forwarding = self.dev(d).conf.conf6[C6_FORWARDING] != 0;
        if forwarding {
            self.addrconf_join_anycast(d, env);
        }
        let Some(a) = self.dev(d).in6.addr.clone() else {
            return;
        };
        if a.scope != scope::LINK {
            return;
        }
        self.ipv6_mc_dad_complete(d, env);
        let conf = &self.dev(d).conf.conf6;
        if !self.ipv6_accept_ra(d) || conf[C6_RTR_SOLICITS] == 0 {
            return;
        }
        let irt = (conf[C6_RTR_SOLICIT_INTERVAL].max(0) as u64) * 250;
        self.ndisc_send_rs(d, a.addr, env);
        let interval = backoff_init(irt, env);
        let in6 = &mut self.dev_mut(d).in6;
        in6.rs_interval = Duration(interval * JIFFY.0);
        in6.rs_probes = 1;
        let after = in6.rs_interval;
        self.in6_timer_set(d, In6Timer::Rs, after, env);
    }

    /// `ipv6_accept_ra`: a router takes no router advertisements unless `accept_ra` is 2.
    fn ipv6_accept_ra(&self, d: DevId) -> bool {
        let conf = &self.dev(d).conf.conf6;
        if conf[C6_FORWARDING] != 0 {
            conf[C6_ACCEPT_RA] == 2
        } else {
            conf[C6_ACCEPT_RA] != 0
        }
    }

    /// `addrconf_rs_timer`: solicit again while no router answered, backing off.
    fn addrconf_rs_timer(&mut self, d: DevId, env: &mut dyn Env) {
        if !self.dev(d).in6.ready || !self.ipv6_accept_ra(d) {
            return;
        }
        let conf = &self.dev(d).conf.conf6;
        let solicits = conf[C6_RTR_SOLICITS];
        let max = (conf[C6_RTR_SOLICIT_MAX_INTERVAL].max(0) as u64) * 250;
        let delay = Duration((conf[C6_RTR_SOLICIT_DELAY].max(0) as u64) * 250 * JIFFY.0);
        let probes = self.dev(d).in6.rs_probes;
        self.dev_mut(d).in6.rs_probes += 1;
        if probes >= solicits && solicits >= 0 {
            return;
        }
        let Some(ll) = self.dev(d).in6.lladdr() else {
            return;
        };
        self.ndisc_send_rs(d, ll, env);
        let rt = self.dev(d).in6.rs_interval.0 / JIFFY.0;
        let next = Duration(backoff_update(rt, max, env) * JIFFY.0);
        let in6 = &mut self.dev_mut(d).in6;
        in6.rs_interval = next;
        // The wait after the last solicitation is the shorter `router_solicitation_delay`.
        let after = if in6.rs_probes == solicits {
            delay
        } else {
            next
        };
        self.in6_timer_set(d, In6Timer::Rs, after, env);
    }

    /// `addrconf_join_anycast`: a router joins the subnet-router anycast address of its
    /// address's prefix (RFC 4291 section 2.6.1), and so that address's solicited-node group.
    fn addrconf_join_anycast(&mut self, d: DevId, env: &mut dyn Env) {
        let Some(a) = self.dev(d).in6.addr.clone() else {
            return;
        };
        if a.anycast || a.tentative || a.prefixlen >= 127 {
            return;
        }
        let prefix = u128::from(a.addr) & (u128::MAX << (128 - u32::from(a.prefixlen)));
        if prefix == 0 {
            return;
        }
        if let Some(x) = self.dev_mut(d).in6.addr.as_mut() {
            x.anycast = true;
        }
        let group = crate::mld::solicited_node(Ipv6Addr::from(prefix));
        self.ipv6_dev_mc_inc(d, group, env);
    }

    fn addrconf_leave_anycast(&mut self, d: DevId, env: &mut dyn Env) {
        let Some(a) = self.dev(d).in6.addr.clone() else {
            return;
        };
        if !a.anycast {
            return;
        }
        if let Some(x) = self.dev_mut(d).in6.addr.as_mut() {
            x.anycast = false;
        }
        let prefix = u128::from(a.addr) & (u128::MAX << (128 - u32::from(a.prefixlen)));
        let group = crate::mld::solicited_node(Ipv6Addr::from(prefix));
        self.ipv6_dev_mc_dec(d, group, env);
    }

    /// `dev_forward_change`: a device that becomes a router joins the all-routers groups
    /// (link-local, interface-local, site-local) and the anycast address of its valid
    /// addresses; one that stops being a router leaves them.
    pub(crate) fn dev_forward_change(&mut self, d: DevId, env: &mut dyn Env) {
        let on = self.dev(d).conf.conf6[C6_FORWARDING] != 0;
        if self.dev(d).flags & iff::MULTICAST != 0 {
            for g in [
                crate::mld::LINKLOCAL_ALLROUTERS,
                crate::mld::INTERFACELOCAL_ALLROUTERS,
                crate::mld::SITELOCAL_ALLROUTERS,
            ] {
                if on {
                    self.ipv6_dev_mc_inc(d, g, env);
                } else {
                    self.ipv6_dev_mc_dec(d, g, env);
                }
            }
        }
        if on {
            self.addrconf_join_anycast(d, env);
        } else {
            self.addrconf_leave_anycast(d, env);
        }
    }

    /// `addrconf_ifdown` of a device going down (or whose IPv6 is turned off): its address
    /// goes, leaving its groups, and, if the link was configured, every group is withdrawn
    /// (`ipv6_mc_down`); nothing is sent while it is down.
    pub(crate) fn addrconf_ifdown(&mut self, d: DevId, env: &mut dyn Env) {
        let was_ready = self.dev(d).in6.ready;
        self.dev_mut(d).in6.ready = false;
        self.in6_timer_stop(d, In6Timer::Rs, env);
        self.in6_timer_stop(d, In6Timer::Dad, env);
        if let Some(a) = self.dev(d).in6.addr.clone() {
            // `__ipv6_ifa_notify(RTM_DELADDR)`: leave the anycast and solicited-node groups.
            if self.dev(d).conf.conf6[C6_FORWARDING] != 0 {
                self.addrconf_leave_anycast(d, env);
            }
            if a.scope == scope::LINK && self.dev(d).flags & iff::NOARP == 0 {
                self.ipv6_dev_mc_dec(d, crate::mld::solicited_node(a.addr), env);
            }
            self.dev_mut(d).in6.addr = None;
        }
        if was_ready {
            self.ipv6_mc_down(d, env);
        }
    }

    /// The device is destroyed or leaves its namespace (`addrconf_ifdown` on unregister):
    /// its IPv6 state goes with it, and a new one starts where it is registered again.
    pub(crate) fn addrconf_unregister(&mut self, d: DevId, env: &mut dyn Env) {
        for t in [
            In6Timer::Dad,
            In6Timer::MldIfc,
            In6Timer::MldDad,
            In6Timer::Rs,
        ] {
            self.in6_timer_stop(d, t, env);
        }
        let (kind, fwd) = {
            let dev = self.dev(d);
            (dev.kind, dev.conf.conf6[C6_FORWARDING] != 0)
        };
        self.dev_mut(d).in6 = Inet6Dev::new(kind, fwd);
    }

    /// `disable_ipv6` changed on a device: turning IPv6 off takes its addresses away as a
    /// link going down does, turning it on configures a link that is ready.
    pub(crate) fn ipv6_enable_change(&mut self, d: DevId, enabled: bool, env: &mut dyn Env) {
        if !enabled {
            self.addrconf_ifdown(d, env);
            // Every IPv6 group is left: the device no longer listens to their MACs.
            self.dev_mut(d).mc.retain(|m| m[..2] != [0x33, 0x33]);
        } else if !self.dev(d).in6.ready && self.carrier(d) {
            self.addrconf_link_ready(d, env);
        }
    }
}
