//! Linux bridges: a software switch made of ports (net/bridge/br_if.c, br_input.c,
//! br_forward.c, br_fdb.c, br_stp*.c, br_device.c).
//!
//! A bridge owns a forwarding database (fdb) of MAC addresses: the local entries of its ports'
//! and its own addresses, the entries it learns from the source address of every frame a port
//! receives, and the ones a user adds (`bridge fdb add ... master`). A frame that arrives on a
//! port first passes the port's taps (`netif_receive`), then `br_handle_frame` here: learn,
//! then deliver it up through the bridge device (for a local address), forward it out of the
//! one port its destination was learned on, or flood it to every other forwarding port
//! (broadcast, multicast, unknown unicast). A frame sent through the bridge device passes its
//! taps (`dev_xmit`), then `br_dev_xmit`, and leaves through `dev_xmit` of the chosen ports.
//!
//! With `stp_state 1` the bridge runs the spanning tree as a lone root bridge does: ports
//! walk through listening and learning on the forward-delay timer, configuration BPDUs go
//! out every hello time, and a port that starts forwarding raises the topology change.
//!
//! What it does not model yet: VLAN filtering; multicast snooping (multicast floods like
//! broadcast; the snoopers' IGMP report is not sent); the BPDUs of other bridges (they are
//! taken off the link and ignored, so there is no root election and no blocking port: two
//! bridges each believe they are the root, and a loop of bridges storms as one without the
//! spanning tree would).
//!
//! Read alongside: ip-link(8) (`type bridge`), bridge(8), IEEE 802.1D.

use std::collections::HashMap;

use tsunagi_engine::{Duration, Time};

use crate::core::{DevId, DevKind, Env, Kernel, NetEvent};
use crate::rtnl::{br_state, iff, ntf, nud, BridgeId, BridgeInfo, BridgeOpts};
use crate::rtnl::{BrPortFlags, BrPortInfo, BrPortOpts};
use crate::rtnl::{FdbMsg, FdbReq, NlError};
use crate::wire;
use crate::Errno;

/// `33:33:00:00:00:01`: the all-nodes group (ff02::1) every IPv6 device joins.
pub(crate) const MC_ALL_NODES6: [u8; 6] = [0x33, 0x33, 0, 0, 0, 1];
/// `01:00:5e:00:00:01`: the all-hosts group (224.0.0.1), joined while a device is up.
pub(crate) const MC_ALL_HOSTS4: [u8; 6] = [0x01, 0x00, 0x5e, 0, 0, 1];
/// The all-snoopers groups (224.0.0.106, ff02::6a) a bridge with multicast snooping joins
/// while it is up (`br_multicast_join_snoopers`).
const MC_SNOOPERS4: [u8; 6] = [0x01, 0x00, 0x5e, 0, 0, 0x6a];
const MC_SNOOPERS6: [u8; 6] = [0x33, 0x33, 0, 0, 0, 0x6a];
const ALL_SNOOPERS6: std::net::Ipv6Addr = std::net::Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x6a);

/// One tick of the kernel's clock (`jiffies`, HZ=250 as Debian builds it): the bridge's
/// timers and timestamps move in these steps.
const JIFFY: u64 = 4_000_000;
/// One `clock_t` unit (USER_HZ=100), the unit of every bridge time in rtnetlink.
const CLOCK_T: u64 = 10_000_000;

/// `BR_MIN_FORWARD_DELAY` .. `BR_MAX_FORWARD_DELAY`, and the same for hello time and maximum
/// age, in centiseconds.
const FORWARD_DELAY_RANGE: (u32, u32) = (200, 3000);
const HELLO_TIME_RANGE: (u32, u32) = (100, 1000);
const MAX_AGE_RANGE: (u32, u32) = (600, 4000);
/// `BR_GROUPFWD_RESTRICTED`: STP, MAC pause and slow protocols are never forwarded.
const GROUPFWD_RESTRICTED: u16 = 0x0007;

/// The time in jiffies, as the bridge stamps its entries.
fn jiffies(t: Time) -> u64 {
    t.as_nanos() / JIFFY
}

/// A time in centiseconds, as a duration rounded down to whole jiffies.
fn cs_to_duration(cs: u32) -> Duration {
    Duration(u64::from(cs) * CLOCK_T / JIFFY * JIFFY)
}

/// One forwarding-database entry (`struct net_bridge_fdb_entry`).
#[derive(Clone, Debug)]
pub(crate) struct Fdb {
    pub mac: [u8; 6],
    /// The port the address lives behind; `None` for the bridge's own address.
    pub dst: Option<DevId>,
    /// `BR_FDB_LOCAL`: an address of this host; frames to it go up through the bridge.
    pub local: bool,
    /// `BR_FDB_STATIC`: never ages (local entries are static too).
    pub is_static: bool,
    /// `BR_FDB_ADDED_BY_USER`.
    pub added_by_user: bool,
    pub updated: Time,
    pub used: Time,
}

/// A bridge (`struct net_bridge`).
#[derive(Clone, Debug)]
pub(crate) struct Bridge {
    /// `port_list`: a new port goes to the front (`list_add_rcu`).
    pub ports: Vec<DevId>,
    /// `fdb_list`, oldest first; the kernel adds at the head of its list, so dumps walk this
    /// backwards. Changed only through `fdb_push`, `fdb_remove` and `fdb_retain`, which keep
    /// `fdb_index` right.
    pub fdb: Vec<Fdb>,
    /// Where each address is in `fdb` (the kernel's `rhashtable`): a frame's two lookups cost
    /// the same however many hosts the bridge has learned.
    fdb_index: HashMap<[u8; 6], usize>,
    /// Times in centiseconds, as configured.
    pub forward_delay: u32,
    pub hello_time: u32,
    pub max_age: u32,
    /// The ageing time in force: the configured one (`bridge_ageing_time`), or twice the
    /// forward delay while the spanning tree reports a topology change.
    pub ageing_time: u32,
    pub bridge_ageing_time: u32,
    /// A topology change is under way (`topology_change`, `topology_change_detected`), until
    /// `tc_at`; `tc_epoch` forgets an older timer.
    pub topology_change: bool,
    pub topology_change_detected: bool,
    pub tc_epoch: u32,
    pub tc_at: Option<Time>,
    /// The hello timer, while the kernel's spanning tree runs on a bridge that is up.
    pub hello_epoch: u32,
    pub hello_at: Option<Time>,
    /// `BR_NO_STP` (0) or `BR_KERNEL_STP` (1).
    pub stp_enabled: u32,
    pub bridge_id: BridgeId,
    pub group_fwd_mask: u16,
    /// `BROPT_MULTICAST_ENABLED`: the bridge joins the snoopers' groups while up. (Snooping
    /// itself is not modelled: multicast always floods.)
    pub mcast_snooping: bool,
    /// The user set the bridge's address (`NET_ADDR_SET`): it no longer follows its ports.
    pub mac_set: bool,
    /// The user set the MTU: it no longer follows its ports (`BROPT_MTU_SET_BY_USER`).
    pub mtu_set: bool,
    /// The carrier. A new bridge has it until a port event decides (`br_port_state_selection`).
    pub carrier: bool,
    /// The operational state has been computed once (linkwatch ran): until then a bridge that
    /// is up reports `UNKNOWN`.
    pub oper_known: bool,
    /// Bumped to forget a scheduled garbage collection; when it runs next.
    pub gc_epoch: u32,
    pub gc_at: Option<Time>,
}

impl Bridge {
    pub fn new() -> Bridge {
        Bridge {
            ports: Vec::new(),
            fdb: Vec::new(),
            fdb_index: HashMap::new(),
            forward_delay: 1500,
            hello_time: 200,
            max_age: 2000,
            ageing_time: 30000,
            bridge_ageing_time: 30000,
            topology_change: false,
            topology_change_detected: false,
            tc_epoch: 0,
            tc_at: None,
            hello_epoch: 0,
            hello_at: None,
            stp_enabled: 0,
            bridge_id: BridgeId {
                prio: 0x8000,
                addr: [0; 6],
            },
            group_fwd_mask: 0,
            mcast_snooping: true,
            mac_set: false,
            mtu_set: false,
            carrier: true,
            oper_known: false,
            gc_epoch: 0,
            gc_at: None,
        }
    }

    fn find(&self, mac: [u8; 6]) -> Option<usize> {
        self.fdb_index.get(&mac).copied()
    }

    fn fdb_push(&mut self, f: Fdb) {
        self.fdb_index.insert(f.mac, self.fdb.len());
        self.fdb.push(f);
    }

    fn fdb_remove(&mut self, i: usize) {
        self.fdb.remove(i);
        self.reindex();
    }

    fn fdb_retain(&mut self, keep: impl FnMut(&Fdb) -> bool) {
        self.fdb.retain(keep);
        self.reindex();
    }

    fn reindex(&mut self) {
        self.fdb_index.clear();
        for (i, f) in self.fdb.iter().enumerate() {
            self.fdb_index.insert(f.mac, i);
        }
    }
}

/// A bridge port (`struct net_bridge_port`).
#[derive(Clone, Debug)]
pub(crate) struct BrPort {
    pub br: DevId,
    pub state: u8,
    pub port_no: u16,
    pub priority: u16,
    pub cost: u32,
    pub flags: BrPortFlags,
    /// The forward-delay timer: bumped to forget it; when it fires.
    pub timer_epoch: u32,
    pub timer_at: Option<Time>,
}

impl BrPort {
    /// `br_make_port_id`: the priority above the port number (10 bits).
    fn port_id(&self) -> u16 {
        (self.priority << 10) | (self.port_no & 0x3ff)
    }
}

/// How a received frame is to be handled (`br_pkt_type` plus the fdb's answer).
enum Verdict {
    /// Out of every other forwarding port whose flag allows; up too if `local`.
    Flood {
        kind: FloodKind,
        local: bool,
    },
    /// Out of one port; up too if `local` (the bridge is promiscuous).
    Forward {
        to: DevId,
        local: bool,
    },
    /// Up through the bridge only.
    Local,
    Drop,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FloodKind {
    Unicast,
    Multicast,
    Broadcast,
}

/// Where an fdb request goes: the bridge whose table it changes and the port its entry
/// points to (`None` for the bridge's own entries); `None` when no bridge table is involved.
type FdbTable = Option<(DevId, Option<DevId>)>;

impl Kernel {
    pub(crate) fn bridge_of(&self, d: DevId) -> Option<&Bridge> {
        self.dev_opt(d)?.br.as_deref()
    }

    fn bridge_mut(&mut self, d: DevId) -> &mut Bridge {
        self.dev_mut(d)
            .br
            .as_deref_mut()
            .expect("device is a bridge")
    }

    fn port_mut(&mut self, p: DevId) -> &mut BrPort {
        self.dev_mut(p).brport.as_mut().expect("device is a port")
    }

    // --- the device's address lists ---------------------------------------------------------

    /// `dev_mc_add`: a new address goes to the end of the list.
    pub(crate) fn mc_add(&mut self, d: DevId, mac: [u8; 6]) {
        let dev = self.dev_mut(d);
        if !dev.mc.contains(&mac) {
            dev.mc.push(mac);
        }
    }

    /// The groups a device joins when it comes up, in the order Linux joins them: a bridge's
    /// snooper groups in its `ndo_open`, then 224.0.0.1 (`ip_mc_up`) and ff02::1
    /// (`ipv6_mc_up`) from the `NETDEV_UP` notifiers.
    pub(crate) fn mc_up(&mut self, d: DevId, ipv6: bool, env: &mut dyn Env) {
        if self.dev(d).kind == DevKind::Loopback {
            return;
        }
        if self.bridge_of(d).is_some_and(|b| b.mcast_snooping) {
            self.br_join_snoopers(d, env);
        }
        self.mc_add(d, MC_ALL_HOSTS4);
        if ipv6 {
            self.mc_add(d, MC_ALL_NODES6);
        }
    }

    /// The groups a device leaves when it goes down (`ip_mc_down`, `ipv6_mc_down`, the
    /// bridge's `br_multicast_leave_snoopers`).
    pub(crate) fn mc_down(&mut self, d: DevId, env: &mut dyn Env) {
        if self.bridge_of(d).is_some_and(|b| b.mcast_snooping) {
            self.br_leave_snoopers(d, env);
        }
        self.dev_mut(d).mc.retain(|m| {
            !(*m == MC_ALL_HOSTS4
                || *m == MC_ALL_NODES6
                || *m == MC_SNOOPERS4
                || *m == MC_SNOOPERS6
                || m[..3] == [0x33, 0x33, 0xff])
        });
    }

    /// `br_multicast_join_snoopers`: the all-snoopers groups, so that multicast routers'
    /// announcements reach the bridge. The IPv6 one is an ordinary membership, which MLD
    /// reports; the IPv4 one's IGMP report is not modelled (IGMP is not).
    fn br_join_snoopers(&mut self, br: DevId, env: &mut dyn Env) {
        self.mc_add(br, MC_SNOOPERS4);
        self.mc_add(br, MC_SNOOPERS6);
        self.ipv6_dev_mc_inc(br, ALL_SNOOPERS6, env);
    }

    /// `br_multicast_leave_snoopers`.
    fn br_leave_snoopers(&mut self, br: DevId, env: &mut dyn Env) {
        self.dev_mut(br)
            .mc
            .retain(|m| *m != MC_SNOOPERS4 && *m != MC_SNOOPERS6);
        self.ipv6_dev_mc_dec(br, ALL_SNOOPERS6, env);
    }

    // --- creating and configuring -------------------------------------------------------------

    /// `ip link add NAME type bridge [options]` (`br_dev_newlink`): the device is registered
    /// with a random address (and a local fdb entry for it), then the options are applied; if
    /// one is refused the device goes again, its ifindex spent.
    pub fn link_add_bridge(
        &mut self,
        ns: crate::NsId,
        name: &str,
        opts: &BridgeOpts,
        env: &mut dyn Env,
    ) -> Result<(), NlError> {
        crate::ops::check_ifname(name)?;
        if self.link_index(ns, name).is_some() {
            return Err(NlError::new(Errno::EEXIST));
        }
        let mac = Self::random_mac(env);
        let d = self.new_device(ns, name, DevKind::Bridge, mac, None);
        self.fdb_add_local(d, None, mac, env.now());
        if let Err(e) = self.br_changelink(d, opts, env) {
            self.unregister(d, env);
            return Err(e);
        }
        Ok(())
    }

    /// `br_changelink`: the options in the kernel's order.
    pub(crate) fn br_changelink(
        &mut self,
        br: DevId,
        o: &BridgeOpts,
        env: &mut dyn Env,
    ) -> Result<(), NlError> {
        if self.bridge_of(br).is_none() {
            return Err(NlError::new(Errno::EOPNOTSUPP));
        }
        let in_range = |v: u32, (lo, hi): (u32, u32)| v >= lo && v <= hi;
        if let Some(v) = o.forward_delay {
            // Only checked while the spanning tree runs (`br_set_forward_delay`).
            let b = self.bridge_mut(br);
            if b.stp_enabled != 0 && !in_range(v, FORWARD_DELAY_RANGE) {
                return Err(NlError::new(Errno::ERANGE));
            }
            b.forward_delay = v;
        }
        if let Some(v) = o.hello_time {
            if !in_range(v, HELLO_TIME_RANGE) {
                return Err(NlError::new(Errno::ERANGE));
            }
            self.bridge_mut(br).hello_time = v;
        }
        if let Some(v) = o.max_age {
            if !in_range(v, MAX_AGE_RANGE) {
                return Err(NlError::new(Errno::ERANGE));
            }
            self.bridge_mut(br).max_age = v;
        }
        if let Some(v) = o.ageing_time {
            // `br_set_ageing_time` runs the garbage collection at once with the new time, up
            // or down.
            let b = self.bridge_mut(br);
            b.ageing_time = v;
            b.bridge_ageing_time = v;
            self.br_gc_schedule(br, Duration::ZERO, env);
        }
        if let Some(v) = o.stp_state {
            self.br_stp_set_enabled(br, v != 0, env);
        }
        if let Some(p) = o.priority {
            self.bridge_mut(br).bridge_id.prio = p;
        }
        if let Some(v) = o.vlan_filtering {
            if v != 0 {
                // VLAN filtering is not modelled.
                return Err(NlError::new(Errno::EOPNOTSUPP));
            }
        }
        if let Some(m) = o.group_fwd_mask {
            if m & GROUPFWD_RESTRICTED != 0 {
                return Err(NlError::new(Errno::EINVAL));
            }
            self.bridge_mut(br).group_fwd_mask = m;
        }
        if let Some(v) = o.mcast_snooping {
            // `br_multicast_toggle`: a bridge that is up joins or leaves the snoopers' groups.
            let on = v != 0;
            let was = self.bridge_mut(br).mcast_snooping;
            self.bridge_mut(br).mcast_snooping = on;
            if self.dev(br).admin_up && on != was {
                if on {
                    self.br_join_snoopers(br, env);
                } else {
                    self.br_leave_snoopers(br, env);
                }
            }
        }
        if o.fdb_flush {
            // `br_fdb_flush`: every entry but the local and static ones.
            self.bridge_mut(br).fdb_retain(|f| f.is_static);
        }
        Ok(())
    }

    /// `br_stp_set_enabled`. Outside the initial namespace (and with no `bridge-stp` helper
    /// in it) the kernel runs the spanning tree itself, which wants a forward delay of at
    /// least 2 s.
    fn br_stp_set_enabled(&mut self, br: DevId, on: bool, env: &mut dyn Env) {
        let up = self.dev(br).admin_up;
        let b = self.bridge_mut(br);
        if on && b.stp_enabled == 0 {
            b.stp_enabled = 1;
            b.forward_delay = b
                .forward_delay
                .clamp(FORWARD_DELAY_RANGE.0, FORWARD_DELAY_RANGE.1);
            // `br_stp_start`: hellos start a hello time later.
            if up {
                let after = cs_to_duration(b.hello_time);
                self.br_hello_schedule(br, Time(jiffies(env.now()) * JIFFY) + after, env);
            }
        } else if !on {
            b.stp_enabled = 0;
            b.hello_epoch += 1;
            b.hello_at = None;
        }
    }

    fn br_hello_schedule(&mut self, br: DevId, at: Time, env: &mut dyn Env) {
        let b = self.bridge_mut(br);
        b.hello_epoch += 1;
        b.hello_at = Some(at);
        let epoch = b.hello_epoch;
        env.at(at, NetEvent::BrHello { dev: br, epoch });
    }

    /// `br_hello_timer_expired`: a configuration BPDU out of every enabled port (a lone
    /// bridge is the root, designated on all of them), then again a hello time later, rounded
    /// to a whole second (`round_jiffies`).
    pub(crate) fn br_hello_expired(&mut self, br: DevId, epoch: u32, env: &mut dyn Env) {
        let Some(b) = self.bridge_of(br) else { return };
        if b.hello_epoch != epoch || !self.dev(br).admin_up {
            return;
        }
        let hello = b.hello_time;
        let n = b.ports.len();
        for i in 0..n {
            let Some(p) = self.bridge_of(br).and_then(|b| b.ports.get(i).copied()) else {
                break;
            };
            let enabled = self
                .dev(p)
                .brport
                .as_ref()
                .is_some_and(|x| x.state != br_state::DISABLED);
            if enabled {
                self.br_transmit_config(br, p, env);
            }
        }
        if self.bridge_of(br).is_some_and(|b| b.stp_enabled == 1) && hello != 0 {
            let hz = 250 * JIFFY;
            let j = jiffies(env.now()) * JIFFY + cs_to_duration(hello).as_nanos();
            let rem = j % hz;
            let rounded = if rem < hz / 4 { j - rem } else { j - rem + hz };
            let at = if rounded > env.now().as_nanos() {
                rounded
            } else {
                j
            };
            self.br_hello_schedule(br, Time(at), env);
        }
    }

    /// `br_transmit_config` and `br_send_config_bpdu`: a configuration BPDU (IEEE 802.1D
    /// 9.3.1) in an 802.2 LLC frame to the bridge group address: this bridge as the root, at
    /// no cost, the port's identifier, message age 0, and the times in 1/256 s.
    fn br_transmit_config(&mut self, br: DevId, p: DevId, env: &mut dyn Env) {
        let Some(b) = self.bridge_of(br) else { return };
        let Some(port) = self.dev(p).brport.as_ref() else {
            return;
        };
        let ticks = |cs: u32| ((u64::from(cs) * 256 / 100) as u16).to_be_bytes();
        let id = |i: &BridgeId| {
            let mut v = [0u8; 8];
            v[..2].copy_from_slice(&i.prio.to_be_bytes());
            v[2..].copy_from_slice(&i.addr);
            v
        };
        let mut bpdu = [0u8; 35];
        // Protocol 0, version 0, type 0 (configuration); flags: topology change.
        bpdu[4] = u8::from(b.topology_change);
        bpdu[5..13].copy_from_slice(&id(&b.bridge_id));
        bpdu[17..25].copy_from_slice(&id(&b.bridge_id));
        bpdu[25..27].copy_from_slice(&port.port_id().to_be_bytes());
        bpdu[29..31].copy_from_slice(&ticks(b.max_age));
        bpdu[31..33].copy_from_slice(&ticks(b.hello_time));
        bpdu[33..35].copy_from_slice(&ticks(b.forward_delay));
        let src = self.dev(p).mac;
        let mut f = self.alloc_frame(14 + 3 + bpdu.len());
        f[..6].copy_from_slice(&[0x01, 0x80, 0xc2, 0, 0, 0]);
        f[6..12].copy_from_slice(&src);
        // An 802.3 length, then LLC: the spanning tree's SAP both ways, a UI command.
        f[12..14].copy_from_slice(&((3 + bpdu.len()) as u16).to_be_bytes());
        f[14..17].copy_from_slice(&[0x42, 0x42, 0x03]);
        f[17..].copy_from_slice(&bpdu);
        self.dev_xmit(p, f, env);
    }

    // --- ports ------------------------------------------------------------------------------

    /// `ip link set PORT master BR` (`do_set_master`, `br_add_if`).
    pub(crate) fn br_add_if(
        &mut self,
        br: DevId,
        p: DevId,
        env: &mut dyn Env,
    ) -> Result<(), NlError> {
        if self.dev(p).master == Some(br) {
            return Ok(());
        }
        if self.bridge_of(br).is_none() {
            // A master that is not a bridge (a veth has no `ndo_add_slave`).
            return Err(NlError::new(Errno::EOPNOTSUPP));
        }
        match self.dev(p).kind {
            // Not Ethernet.
            DevKind::Loopback => return Err(NlError::new(Errno::EINVAL)),
            DevKind::Bridge => {
                return Err(NlError::ext(
                    Errno::EBUSY,
                    "Can not enslave a bridge to a bridge",
                ))
            }
            DevKind::Veth => {}
        }
        // A port of another bridge leaves it first.
        if let Some(old) = self.dev(p).master {
            self.br_del_if(old, p, env);
        }
        // `find_portno`: the lowest free number.
        let mut no = 1u16;
        while self.bridge_of(br).is_some_and(|b| {
            b.ports.iter().any(|q| {
                self.dev(*q)
                    .brport
                    .as_ref()
                    .is_some_and(|x| x.port_no == no)
            })
        }) {
            no += 1;
        }
        let now = env.now();
        {
            let dev = self.dev_mut(p);
            dev.master = Some(br);
            // A veth reports 10 Gb/s, which `br_port_cost` turns into a path cost of 2.
            dev.brport = Some(BrPort {
                br,
                state: br_state::DISABLED,
                port_no: no,
                priority: 0x20,
                cost: 2,
                flags: BrPortFlags::default(),
                timer_epoch: 0,
                timer_at: None,
            });
        }
        self.bridge_mut(br).ports.insert(0, p);
        let mac = self.dev(p).mac;
        self.fdb_add_local(br, Some(p), mac, now);
        self.br_stp_recalculate_bridge_id(br, env);
        self.br_port_carrier_check(p, env);
        self.br_mtu_auto_adjust(br);
        Ok(())
    }

    /// `ip link set PORT nomaster`, or the port going away (`br_del_if`, `del_nbp`).
    pub(crate) fn br_del_if(&mut self, br: DevId, p: DevId, env: &mut dyn Env) {
        if self.dev(p).brport.is_none() {
            return;
        }
        if self.dev(p).brport.as_ref().map(|x| x.state) != Some(br_state::DISABLED)
            && self.dev_opt(br).is_some()
        {
            self.br_stp_disable_port(p, env);
        }
        self.bridge_mut(br).ports.retain(|q| *q != p);
        // `br_fdb_delete_by_port(.., do_all)`: every entry behind the port; a local one that
        // another port or the bridge itself still uses stays, for them.
        self.fdb_delete_by_port(br, p, true);
        {
            let dev = self.dev_mut(p);
            dev.master = None;
            dev.brport = None;
        }
        self.br_stp_recalculate_bridge_id(br, env);
        self.br_mtu_auto_adjust(br);
    }

    /// `br_mtu_auto_adjust`: unless the user set it, the bridge's MTU is its ports' smallest
    /// (1500 without ports).
    fn br_mtu_auto_adjust(&mut self, br: DevId) {
        let Some(b) = self.bridge_of(br) else { return };
        if b.mtu_set {
            return;
        }
        let mtu = b
            .ports
            .iter()
            .map(|p| self.dev(*p).mtu)
            .min()
            .unwrap_or(1500);
        self.dev_mut(br).mtu = mtu;
    }

    /// The bridge's MTU was set by the user (`br_change_mtu`).
    pub(crate) fn br_set_mtu(&mut self, br: DevId, mtu: u32) {
        self.dev_mut(br).mtu = mtu;
        self.bridge_mut(br).mtu_set = true;
    }

    /// A port's MTU changed (`NETDEV_CHANGEMTU`).
    pub(crate) fn br_port_mtu_changed(&mut self, p: DevId) {
        if let Some(br) = self.dev(p).master {
            self.br_mtu_auto_adjust(br);
        }
    }

    /// `br_stp_recalculate_bridge_id`: unless the user set the bridge's address, the bridge
    /// takes the lowest address of its ports. With no port left that is 00:00:00:00:00:00,
    /// which the bridge then wears as its own address (a new bridge keeps its random address
    /// only because its identifier starts at zero).
    fn br_stp_recalculate_bridge_id(&mut self, br: DevId, env: &mut dyn Env) {
        let Some(b) = self.bridge_of(br) else { return };
        if b.mac_set {
            return;
        }
        let addr = b
            .ports
            .iter()
            .map(|p| self.dev(*p).mac)
            .min()
            .unwrap_or([0; 6]);
        if addr == b.bridge_id.addr {
            return;
        }
        self.br_stp_change_bridge_id(br, addr, env);
    }

    /// `br_stp_change_bridge_id`: the identifier and the device's address change together;
    /// the fdb's own entry moves; the port roles (and with them the carrier) are recomputed.
    fn br_stp_change_bridge_id(&mut self, br: DevId, addr: [u8; 6], env: &mut dyn Env) {
        let old = self.dev(br).mac;
        self.bridge_mut(br).bridge_id.addr = addr;
        self.dev_mut(br).mac = addr;
        // `br_fdb_change_mac_address`: the entry of the old address goes if no port holds it;
        // the new one gets an entry unless a port's already covers it (or it is not valid).
        let b = self.bridge_mut(br);
        if let Some(i) = b.find(old) {
            let f = &b.fdb[i];
            if f.local && f.dst.is_none() && !f.added_by_user {
                b.fdb_remove(i);
            }
        }
        self.fdb_add_local(br, None, addr, env.now());
        self.br_port_state_selection(br, env);
    }

    /// `ip link set BR address MAC` (`br_set_mac_address`): from now on the bridge keeps it.
    pub(crate) fn br_set_mac_address(&mut self, br: DevId, mac: [u8; 6], env: &mut dyn Env) {
        if self.dev(br).mac != mac {
            self.br_stp_change_bridge_id(br, mac, env);
        }
        self.bridge_mut(br).mac_set = true;
    }

    /// A port's address changed (`br_fdb_changeaddr`, then the bridge identifier).
    pub(crate) fn br_port_changeaddr(&mut self, p: DevId, old: [u8; 6], env: &mut dyn Env) {
        let Some(br) = self.dev(p).master else { return };
        let b = self.bridge_mut(br);
        if let Some(i) = b.find(old) {
            if b.fdb[i].local && b.fdb[i].dst == Some(p) {
                self.fdb_delete_local(br, Some(p), i);
            }
        }
        let mac = self.dev(p).mac;
        self.fdb_add_local(br, Some(p), mac, env.now());
        self.br_stp_recalculate_bridge_id(br, env);
    }

    /// Whether the port should take part (`br_port_carrier_check` and the `NETDEV_UP` /
    /// `NETDEV_DOWN` cases of `br_device_event`): it does while the bridge is up and the port
    /// is up with carrier.
    pub(crate) fn br_port_carrier_check(&mut self, p: DevId, env: &mut dyn Env) {
        let Some(port) = self.dev_opt(p).and_then(|d| d.brport.as_ref()) else {
            return;
        };
        let (br, state) = (port.br, port.state);
        let want =
            self.dev_opt(br).is_some_and(|b| b.admin_up) && self.dev(p).admin_up && self.carrier(p);
        if want && state == br_state::DISABLED {
            self.br_stp_enable_port(p, env);
        } else if !want && state != br_state::DISABLED {
            self.br_stp_disable_port(p, env);
        }
    }

    /// `br_stp_enable_port`: the port starts blocking and, being designated (there is no other
    /// bridge to compete with), is made forwarding at once without the spanning tree, or
    /// listening with it (`br_make_forwarding`). Either way the forward-delay timer starts.
    fn br_stp_enable_port(&mut self, p: DevId, env: &mut dyn Env) {
        let Some(br) = self.dev(p).master else { return };
        let (stp, fd) = {
            let b = self.bridge_of(br).expect("bridge");
            (b.stp_enabled, b.forward_delay)
        };
        let state = if stp == 0 || fd == 0 {
            br_state::FORWARDING
        } else {
            br_state::LISTENING
        };
        self.port_mut(p).state = state;
        if fd != 0 {
            self.br_set_fwd_timer(p, cs_to_duration(fd), env);
        }
        self.br_port_state_selection(br, env);
    }

    /// `br_stp_disable_port`: the port stops, and what was learned behind it is forgotten.
    fn br_stp_disable_port(&mut self, p: DevId, env: &mut dyn Env) {
        let Some(br) = self.dev(p).master else { return };
        {
            let port = self.port_mut(p);
            port.state = br_state::DISABLED;
            port.timer_epoch += 1;
            port.timer_at = None;
        }
        self.fdb_delete_by_port(br, p, false);
        self.br_port_state_selection(br, env);
    }

    fn br_set_fwd_timer(&mut self, p: DevId, after: Duration, env: &mut dyn Env) {
        let at = Time(jiffies(env.now()) * JIFFY) + after;
        let port = self.port_mut(p);
        port.timer_epoch += 1;
        port.timer_at = Some(at);
        let epoch = port.timer_epoch;
        env.at(at, NetEvent::BrFwdDelay { dev: p, epoch });
    }

    /// `br_forward_delay_timer_expired`: listening becomes learning, learning forwarding.
    pub(crate) fn br_forward_delay_expired(&mut self, p: DevId, epoch: u32, env: &mut dyn Env) {
        let Some(port) = self.dev_opt(p).and_then(|d| d.brport.as_ref()) else {
            return;
        };
        if port.timer_epoch != epoch {
            return;
        }
        let (br, state) = (port.br, port.state);
        self.port_mut(p).timer_at = None;
        match state {
            br_state::LISTENING => {
                self.port_mut(p).state = br_state::LEARNING;
                let fd = self.bridge_of(br).map_or(0, |b| b.forward_delay);
                self.br_set_fwd_timer(p, cs_to_duration(fd), env);
            }
            br_state::LEARNING => {
                self.port_mut(p).state = br_state::FORWARDING;
                // A lone bridge is the root and designated for every port.
                self.br_topology_change_detection(br, env);
                self.br_set_carrier(br, true, env);
            }
            _ => {}
        }
    }

    /// `br_topology_change_detection` at the root bridge: the topology change flag goes up
    /// for a forward delay plus a maximum age, and meanwhile entries age after twice the
    /// forward delay (`__br_set_topology_change`). Only the kernel's spanning tree does this.
    fn br_topology_change_detection(&mut self, br: DevId, env: &mut dyn Env) {
        let b = self.bridge_mut(br);
        if b.stp_enabled != 1 {
            return;
        }
        if !b.topology_change {
            b.topology_change = true;
            b.ageing_time = 2 * b.forward_delay;
        }
        b.topology_change_detected = true;
        let after = cs_to_duration(b.forward_delay + b.max_age);
        let at = Time(jiffies(env.now()) * JIFFY) + after;
        b.tc_epoch += 1;
        b.tc_at = Some(at);
        let epoch = b.tc_epoch;
        env.at(at, NetEvent::BrTopologyChange { dev: br, epoch });
    }

    /// `br_topology_change_timer_expired`: the flag goes down, and with the spanning tree
    /// still on the configured ageing time returns (turned off meanwhile, it does not).
    pub(crate) fn br_topology_change_expired(&mut self, br: DevId, epoch: u32) {
        let Some(b) = self.dev_opt(br).and_then(|d| d.br.as_deref()) else {
            return;
        };
        if b.tc_epoch != epoch {
            return;
        }
        let b = self.bridge_mut(br);
        b.tc_at = None;
        b.topology_change_detected = false;
        if b.stp_enabled == 1 && b.topology_change {
            b.ageing_time = b.bridge_ageing_time;
        }
        b.topology_change = false;
    }

    /// `br_port_state_selection`: the bridge has carrier while one of its ports forwards.
    fn br_port_state_selection(&mut self, br: DevId, env: &mut dyn Env) {
        let Some(b) = self.bridge_of(br) else { return };
        let live = b.ports.iter().any(|p| {
            self.dev(*p)
                .brport
                .as_ref()
                .is_some_and(|x| x.state == br_state::FORWARDING)
        });
        self.br_set_carrier(br, live, env);
    }

    /// `netif_carrier_on` / `netif_carrier_off` on the bridge device.
    fn br_set_carrier(&mut self, br: DevId, on: bool, env: &mut dyn Env) {
        let before = self.carrier(br);
        let b = self.bridge_mut(br);
        if b.carrier == on {
            return;
        }
        b.carrier = on;
        b.oper_known = true;
        self.dev_mut(br).carrier_changes += 1;
        if !self.dev(br).admin_up {
            return;
        }
        if on && !before {
            self.carrier_up_event(br, env);
        } else if !on && before {
            self.neigh_flush_dev(br, env);
        }
    }

    /// The bridge came up (`br_dev_open`, `br_stp_enable_bridge`): the garbage collection
    /// starts a tenth of a second later, and ports that are up with carrier are enabled.
    pub(crate) fn br_dev_open(&mut self, br: DevId, env: &mut dyn Env) {
        if let Some(hello) = self
            .bridge_of(br)
            .filter(|b| b.stp_enabled == 1)
            .map(|b| b.hello_time)
        {
            // The first hello a hello time after the bridge comes up.
            let at = Time(jiffies(env.now()) * JIFFY) + cs_to_duration(hello);
            self.br_hello_schedule(br, at, env);
        }
        self.br_gc_schedule(br, Duration::from_millis(100), env);
        let ports = self
            .bridge_of(br)
            .map(|b| b.ports.clone())
            .unwrap_or_default();
        for p in ports {
            self.br_port_carrier_check(p, env);
        }
    }

    /// The bridge went down (`br_dev_stop`, `br_stp_disable_bridge`): every port stops.
    pub(crate) fn br_dev_stop(&mut self, br: DevId, env: &mut dyn Env) {
        let ports = self
            .bridge_of(br)
            .map(|b| b.ports.clone())
            .unwrap_or_default();
        for p in ports {
            if self.dev(p).brport.as_ref().map(|x| x.state) != Some(br_state::DISABLED) {
                self.br_stp_disable_port(p, env);
            }
        }
        // The topology change ends, and the timers stop.
        let b = self.bridge_mut(br);
        if b.stp_enabled == 1 && b.topology_change {
            b.ageing_time = b.bridge_ageing_time;
        }
        b.topology_change = false;
        b.topology_change_detected = false;
        b.tc_epoch += 1;
        b.tc_at = None;
        b.hello_epoch += 1;
        b.hello_at = None;
        b.gc_epoch += 1;
        b.gc_at = None;
    }

    /// The bridge goes away (`br_dev_delete`): its ports are released first.
    pub(crate) fn br_dev_delete(&mut self, br: DevId, env: &mut dyn Env) {
        let ports = self
            .bridge_of(br)
            .map(|b| b.ports.clone())
            .unwrap_or_default();
        for p in ports {
            if self.dev_opt(p).is_some() {
                self.br_del_if(br, p, env);
            }
        }
    }

    // --- the forwarding database ----------------------------------------------------------------

    /// `fdb_add_local`: an address of this host. An existing local entry is kept; a learned
    /// one is replaced.
    fn fdb_add_local(&mut self, br: DevId, dst: Option<DevId>, mac: [u8; 6], now: Time) {
        // `is_valid_ether_addr`: not multicast, not zero.
        if mac[0] & 1 != 0 || mac == [0; 6] {
            return;
        }
        let b = self.bridge_mut(br);
        if let Some(i) = b.find(mac) {
            if b.fdb[i].local {
                return;
            }
            b.fdb_remove(i);
        }
        b.fdb_push(Fdb {
            mac,
            dst,
            local: true,
            is_static: true,
            added_by_user: false,
            updated: now,
            used: now,
        });
    }

    /// `fdb_delete_local`: a local entry whose port no longer has the address passes to
    /// another port with that address, or to the bridge if it is the bridge's, or goes.
    fn fdb_delete_local(&mut self, br: DevId, p: Option<DevId>, i: usize) {
        let mac = self.bridge_of(br).expect("bridge").fdb[i].mac;
        let other = self
            .bridge_of(br)
            .expect("bridge")
            .ports
            .iter()
            .copied()
            .find(|q| Some(*q) != p && self.dev(*q).mac == mac);
        let br_mac = self.dev(br).mac;
        let b = self.bridge_mut(br);
        if let Some(q) = other {
            b.fdb[i].dst = Some(q);
        } else if p.is_some() && br_mac == mac {
            b.fdb[i].dst = None;
        } else {
            b.fdb_remove(i);
        }
    }

    /// `br_fdb_delete_by_port`: the entries behind a port; without `all`, only the dynamic ones.
    fn fdb_delete_by_port(&mut self, br: DevId, p: DevId, all: bool) {
        let mut i = self.bridge_of(br).map_or(0, |b| b.fdb.len());
        while i > 0 {
            i -= 1;
            let f = &self.bridge_of(br).expect("bridge").fdb[i];
            if f.dst != Some(p) || (!all && f.is_static) {
                continue;
            }
            if f.local {
                self.fdb_delete_local(br, Some(p), i);
            } else {
                self.bridge_mut(br).fdb_remove(i);
            }
        }
    }

    /// `br_fdb_update`: learn (or refresh, or move) the source of a frame received on `p`.
    fn br_fdb_update(&mut self, br: DevId, p: DevId, mac: [u8; 6], now: Time) {
        let b = self.bridge_mut(br);
        match b.find(mac) {
            Some(i) => {
                let f = &mut b.fdb[i];
                // A frame from one of our own addresses is not learned (the kernel warns
                // "received packet on PORT with own address as source address").
                if f.local {
                    return;
                }
                if !f.is_static || !f.added_by_user {
                    f.dst = Some(p);
                }
                f.updated = now;
            }
            None => b.fdb_push(Fdb {
                mac,
                dst: Some(p),
                local: false,
                is_static: false,
                added_by_user: false,
                updated: now,
                used: now,
            }),
        }
    }

    /// True if `mac` is one of the bridge's local addresses (frames to it go up).
    pub(crate) fn br_is_local(&self, br: DevId, mac: [u8; 6]) -> bool {
        self.bridge_of(br)
            .is_some_and(|b| b.find(mac).is_some_and(|i| b.fdb[i].local))
    }

    fn br_gc_schedule(&mut self, br: DevId, after: Duration, env: &mut dyn Env) {
        let at = Time(jiffies(env.now()) * JIFFY) + after;
        let b = self.bridge_mut(br);
        b.gc_epoch += 1;
        b.gc_at = Some(at);
        let epoch = b.gc_epoch;
        env.at(at, NetEvent::BrGc { dev: br, epoch });
    }

    /// `br_fdb_cleanup`: entries not refreshed for `ageing_time` go; the work runs again when
    /// the next entry is due (or after a whole ageing time), at least 10 ms later.
    /// It runs whether the bridge is up or not: only stopping the bridge cancels it.
    pub(crate) fn br_fdb_cleanup(&mut self, br: DevId, epoch: u32, env: &mut dyn Env) {
        let Some(b) = self.bridge_of(br) else { return };
        if b.gc_epoch != epoch {
            return;
        }
        // `hold_time`: the forward delay during a topology change.
        let delay = cs_to_duration(if b.topology_change {
            b.forward_delay
        } else {
            b.ageing_time
        });
        let now = env.now();
        let mut work = delay;
        let b = self.bridge_mut(br);
        b.fdb_retain(|f| {
            if f.is_static {
                return true;
            }
            let due = f.updated + delay;
            if due > now {
                work = work.min(due.since(now));
                true
            } else {
                false
            }
        });
        let work = Duration(work.as_nanos().div_ceil(JIFFY) * JIFFY).max(Duration::from_millis(10));
        self.br_gc_schedule(br, work, env);
    }

    // --- the packet path -----------------------------------------------------------------------

    /// A frame arrived on bridge port `p` (`br_handle_frame`, `br_handle_frame_finish`).
    pub(crate) fn br_handle_frame(&mut self, p: DevId, frame: Vec<u8>, env: &mut dyn Env) {
        let Some(port) = self.dev(p).brport.as_ref() else {
            self.free_frame(frame);
            return;
        };
        let (br, state, learning) = (port.br, port.state, port.flags.learning);
        if state == br_state::DISABLED {
            self.free_frame(frame);
            return;
        }
        let dst = wire::mac(&frame, 0);
        let src = wire::mac(&frame, 6);
        let now = env.now();
        let now_j = Time(jiffies(now) * JIFFY);
        let learns = learning && matches!(state, br_state::LEARNING | br_state::FORWARDING);
        // IEEE 802.1D's reserved group addresses 01:80:c2:00:00:0X stay on their link: the
        // port's own stack gets them (the spanning tree reads its BPDUs there), unless the
        // bridge's `group_fwd_mask` lets them through, or, for the STP group itself, the
        // spanning tree is off ("must forward to keep loop detection"). Pause frames go.
        if dst[..5] == [0x01, 0x80, 0xc2, 0, 0] && dst[5] <= 0x0f {
            let (stp, mask) = self
                .bridge_of(br)
                .map_or((0, 0), |b| (b.stp_enabled, b.group_fwd_mask));
            let forward = match dst[5] {
                0x00 => stp == 0 || mask & 1 != 0,
                0x01 => {
                    self.free_frame(frame);
                    return;
                }
                x => mask & (1 << x) != 0,
            };
            if !forward {
                // `__br_handle_local_finish`: learn the source, then pass the frame on.
                if learns && src[0] & 1 == 0 && src != [0; 6] {
                    self.br_fdb_update(br, p, src, now_j);
                }
                self.netif_deliver(p, frame, env);
                return;
            }
        }
        if !matches!(state, br_state::LEARNING | br_state::FORWARDING) {
            self.free_frame(frame);
            return;
        }
        if learns && src[0] & 1 == 0 && src != [0; 6] {
            self.br_fdb_update(br, p, src, now_j);
        }
        if state == br_state::LEARNING {
            self.free_frame(frame);
            return;
        }
        // A promiscuous bridge (tcpdump on it) passes a copy of every frame up
        // (`br_handle_frame_finish`: `local_rcv` when `IFF_PROMISC`); its own stack drops
        // those not addressed to it, after its taps saw them.
        let promisc = {
            let b = self.dev(br);
            b.flags & iff::PROMISC != 0 || b.promisc_refs > 0
        };
        let verdict = if dst[0] & 1 != 0 {
            if dst == wire::BROADCAST_MAC {
                Verdict::Flood {
                    kind: FloodKind::Broadcast,
                    local: true,
                }
            } else {
                // No multicast snooping: every group floods, and the bridge counts it.
                self.dev_mut(br).stats.multicast += 1;
                Verdict::Flood {
                    kind: FloodKind::Multicast,
                    local: true,
                }
            }
        } else {
            let b = self.bridge_mut(br);
            match b.find(dst) {
                Some(i) if b.fdb[i].local => Verdict::Local,
                Some(i) => {
                    let f = &mut b.fdb[i];
                    f.used = now_j;
                    match f.dst {
                        Some(q) => Verdict::Forward {
                            to: q,
                            local: promisc,
                        },
                        None if promisc => Verdict::Local,
                        None => Verdict::Drop,
                    }
                }
                None => Verdict::Flood {
                    kind: FloodKind::Unicast,
                    local: promisc,
                },
            }
        };
        match verdict {
            Verdict::Flood { kind, local } => self.br_flood(br, Some(p), kind, local, frame, env),
            Verdict::Forward { to, local } => self.br_forward(br, to, Some(p), local, frame, env),
            Verdict::Local => self.netif_receive(br, frame, env),
            Verdict::Drop => self.free_frame(frame),
        }
    }

    /// A frame sent through the bridge device (`br_dev_xmit`), after its own taps.
    pub(crate) fn br_dev_xmit(&mut self, br: DevId, frame: Vec<u8>, env: &mut dyn Env) {
        let dst = wire::mac(&frame, 0);
        if dst[0] & 1 != 0 {
            let kind = if dst == wire::BROADCAST_MAC {
                FloodKind::Broadcast
            } else {
                FloodKind::Multicast
            };
            self.br_flood(br, None, kind, false, frame, env);
            return;
        }
        let now_j = Time(jiffies(env.now()) * JIFFY);
        let b = self.bridge_mut(br);
        match b.find(dst) {
            Some(i) => {
                let f = &mut b.fdb[i];
                f.used = now_j;
                match f.dst {
                    // To one of our own addresses: `br_forward` has nowhere to send it.
                    Some(q) if !f.local => self.br_forward(br, q, None, false, frame, env),
                    _ => self.free_frame(frame),
                }
            }
            None => self.br_flood(br, None, FloodKind::Unicast, false, frame, env),
        }
    }

    /// `should_deliver`: the port forwards (hairpin mode is not modelled, so never back out
    /// of the port the frame came in on).
    /// `should_deliver`: the port forwards; not back out of the port the frame came in on
    /// unless in hairpin mode; not from one isolated port to another; and, for a flood, the
    /// port takes that kind of flood.
    fn br_should_deliver(&self, q: DevId, from: Option<DevId>, kind: Option<FloodKind>) -> bool {
        let Some(port) = self.dev(q).brport.as_ref() else {
            return false;
        };
        let f = port.flags;
        if Some(q) == from && !f.hairpin {
            return false;
        }
        let from_isolated = from
            .and_then(|p| self.dev(p).brport.as_ref())
            .is_some_and(|p| p.flags.isolated);
        port.state == br_state::FORWARDING
            && !(from_isolated && f.isolated)
            && match kind {
                None => true,
                Some(FloodKind::Unicast) => f.flood,
                Some(FloodKind::Multicast) => f.mcast_flood,
                Some(FloodKind::Broadcast) => f.bcast_flood,
            }
    }

    /// `br_forward`: out of one port; with `local` (a promiscuous bridge) a copy goes up too,
    /// whether or not the port took it.
    fn br_forward(
        &mut self,
        br: DevId,
        q: DevId,
        from: Option<DevId>,
        local: bool,
        frame: Vec<u8>,
        env: &mut dyn Env,
    ) {
        let deliver = self.br_should_deliver(q, from, None);
        match (deliver, local) {
            (true, false) => self.dev_xmit(q, frame, env),
            (true, true) => {
                let copy = self.clone_frame(&frame);
                self.dev_xmit(q, copy, env);
                self.netif_receive(br, frame, env);
            }
            (false, true) => self.netif_receive(br, frame, env),
            (false, false) => self.free_frame(frame),
        }
    }

    /// `br_flood`: a copy out of every port that should have one, in the order of the port
    /// list; then, if `local`, the frame goes up through the bridge (`br_pass_frame_up`).
    fn br_flood(
        &mut self,
        br: DevId,
        from: Option<DevId>,
        kind: FloodKind,
        local: bool,
        frame: Vec<u8>,
        env: &mut dyn Env,
    ) {
        let n = self.bridge_of(br).map_or(0, |b| b.ports.len());
        let mut prev: Option<DevId> = None;
        for i in 0..n {
            let Some(q) = self.bridge_of(br).and_then(|b| b.ports.get(i).copied()) else {
                break;
            };
            if !self.br_should_deliver(q, from, Some(kind)) {
                continue;
            }
            if let Some(pq) = prev {
                let copy = self.clone_frame(&frame);
                self.dev_xmit(pq, copy, env);
            }
            prev = Some(q);
        }
        match (prev, local) {
            (Some(pq), true) => {
                let copy = self.clone_frame(&frame);
                self.dev_xmit(pq, copy, env);
                self.netif_receive(br, frame, env);
            }
            (Some(pq), false) => self.dev_xmit(pq, frame, env),
            (None, true) => self.netif_receive(br, frame, env),
            (None, false) => self.free_frame(frame),
        }
    }

    /// A copy of a frame in a pooled buffer (`skb_clone`).
    fn clone_frame(&mut self, frame: &[u8]) -> Vec<u8> {
        let mut c = self.alloc_frame(frame.len());
        c.copy_from_slice(frame);
        c
    }

    // --- rtnetlink: ports -----------------------------------------------------------------------

    /// `bridge link set` (`br_setport`): a port's switches, path cost, priority and state.
    pub fn brport_set(
        &mut self,
        ns: crate::NsId,
        ifindex: u32,
        o: &BrPortOpts,
        env: &mut dyn Env,
    ) -> Result<(), NlError> {
        let p = self
            .dev_by_index(ns, ifindex)
            .ok_or(NlError::new(Errno::ENODEV))?;
        let Some(br) = self.dev(p).brport.as_ref().map(|x| x.br) else {
            // Not a port: no bridge takes the request.
            return Err(NlError::new(Errno::EOPNOTSUPP));
        };
        {
            let f = &mut self.port_mut(p).flags;
            let set = |v: &mut bool, o: Option<bool>| {
                if let Some(o) = o {
                    *v = o;
                }
            };
            set(&mut f.guard, o.guard);
            set(&mut f.hairpin, o.hairpin);
            set(&mut f.fastleave, o.fastleave);
            set(&mut f.root_block, o.root_block);
            set(&mut f.flood, o.flood);
            set(&mut f.mcast_flood, o.mcast_flood);
            set(&mut f.bcast_flood, o.bcast_flood);
            set(&mut f.mcast_to_unicast, o.mcast_to_unicast);
            set(&mut f.learning, o.learning);
            set(&mut f.neigh_suppress, o.neigh_suppress);
            set(&mut f.vlan_tunnel, o.vlan_tunnel);
            set(&mut f.isolated, o.isolated);
            set(&mut f.locked, o.locked);
        }
        if o.fdb_flush {
            self.fdb_delete_by_port(br, p, false);
        }
        if let Some(c) = o.cost {
            // `br_stp_set_path_cost`: BR_MIN_PATH_COST .. BR_MAX_PATH_COST.
            if !(1..=65535).contains(&c) {
                return Err(NlError::new(Errno::ERANGE));
            }
            self.port_mut(p).cost = c;
        }
        if let Some(prio) = o.priority {
            // `br_stp_set_port_priority`: BR_MAX_PORT_PRIORITY is 63.
            if prio > 63 {
                return Err(NlError::new(Errno::ERANGE));
            }
            self.port_mut(p).priority = prio;
        }
        if let Some(st) = o.state {
            // `br_set_port_state`: not while the kernel's spanning tree runs, not up on a
            // port without carrier; then the roles are recomputed, which makes a blocking
            // designated port forward again.
            if self.bridge_of(br).is_some_and(|b| b.stp_enabled == 1) {
                return Err(NlError::new(Errno::EBUSY));
            }
            let oper_up = self.dev(p).admin_up && self.carrier(p);
            if !oper_up && st != br_state::DISABLED {
                return Err(NlError::new(Errno::ENETDOWN));
            }
            if st > br_state::BLOCKING {
                return Err(NlError::new(Errno::EINVAL));
            }
            self.port_mut(p).state = st;
            let blocking = self.dev(p).brport.as_ref().map(|x| x.state) == Some(br_state::BLOCKING);
            if blocking {
                let fd = self.bridge_of(br).map_or(0, |b| b.forward_delay);
                self.port_mut(p).state = br_state::FORWARDING;
                if fd != 0 {
                    self.br_set_fwd_timer(p, cs_to_duration(fd), env);
                }
            }
            self.br_port_state_selection(br, env);
        }
        Ok(())
    }

    // --- rtnetlink: the fdb -------------------------------------------------------------------

    /// What a bridge or port reports in `ip -d link`.
    pub(crate) fn br_info(&self, d: DevId, now: Time) -> Option<BridgeInfo> {
        let b = self.bridge_of(d)?;
        let left = |at: Option<Time>| at.map_or(0, |t| t.since(now).as_nanos() / CLOCK_T);
        Some(BridgeInfo {
            forward_delay: b.forward_delay,
            hello_time: b.hello_time,
            max_age: b.max_age,
            ageing_time: b.ageing_time,
            stp_state: b.stp_enabled,
            priority: b.bridge_id.prio,
            vlan_filtering: 0,
            bridge_id: b.bridge_id,
            root_id: b.bridge_id,
            root_port: 0,
            root_path_cost: 0,
            topology_change: u8::from(b.topology_change),
            topology_change_detected: u8::from(b.topology_change_detected),
            hello_timer: left(b.hello_at.filter(|t| *t > now)),
            tcn_timer: 0,
            topology_change_timer: left(b.tc_at.filter(|t| *t > now)),
            gc_timer: left(b.gc_at.filter(|t| *t > now)),
            group_fwd_mask: b.group_fwd_mask,
            group_addr: [0x01, 0x80, 0xc2, 0, 0, 0],
            mcast_snooping: u8::from(b.mcast_snooping),
        })
    }

    pub(crate) fn brport_info(&self, p: DevId, now: Time) -> Option<BrPortInfo> {
        let port = self.dev(p).brport.as_ref()?;
        let b = self.bridge_of(port.br)?;
        Some(BrPortInfo {
            state: port.state,
            priority: port.priority,
            cost: port.cost,
            flags: port.flags,
            port_id: port.port_id(),
            port_no: port.port_no,
            designated_port: port.port_id(),
            designated_cost: 0,
            designated_bridge: b.bridge_id,
            designated_root: b.bridge_id,
            hold_timer: 0,
            message_age_timer: 0,
            forward_delay_timer: port
                .timer_at
                .filter(|t| *t > now)
                .map_or(0, |t| t.since(now).as_nanos() / CLOCK_T),
        })
    }

    /// `bridge fdb show`: an `AF_BRIDGE` neighbour dump (`rtnl_fdb_dump`). Devices in ifindex
    /// order; for a port, the bridge's entries behind it (newest first), then the port's own
    /// address lists; for a bridge, its own lists, then the entries of its own addresses.
    /// `br` keeps a bridge and its ports (a device that is no bridge filters nothing);
    /// `dev` keeps one device.
    pub fn fdb_dump(
        &self,
        ns: crate::NsId,
        br: Option<u32>,
        dev: Option<u32>,
        now: Time,
    ) -> Vec<FdbMsg> {
        let Some(net) = self.net_opt(ns) else {
            return Vec::new();
        };
        let br_dev = br
            .and_then(|i| net.devs.get(&i).copied())
            .filter(|d| self.bridge_of(*d).is_some());
        let mut out = Vec::new();
        for (&ifindex, &d) in &net.devs {
            let x = self.dev(d);
            if x.kind == DevKind::Loopback || dev.is_some_and(|i| i != ifindex) {
                continue;
            }
            if let Some(bd) = br_dev {
                if d != bd && x.master != Some(bd) {
                    continue;
                }
            }
            if let Some(m) = x.master {
                self.fdb_fill(m, Some(d), now, &mut out);
            }
            for mac in x.uc.iter().chain(x.mc.iter()) {
                out.push(FdbMsg {
                    ifindex,
                    mac: *mac,
                    flags: ntf::SELF,
                    state: nud::PERMANENT,
                    master: None,
                    used: 0,
                    updated: 0,
                });
            }
            if x.kind == DevKind::Bridge {
                self.fdb_fill(d, None, now, &mut out);
            }
        }
        out
    }

    /// `br_fdb_dump`'s entries of bridge `br` behind `dst` (`None`: the bridge's own).
    fn fdb_fill(&self, br: DevId, dst: Option<DevId>, now: Time, out: &mut Vec<FdbMsg>) {
        let Some(b) = self.bridge_of(br) else { return };
        let br_index = self.dev(br).ifindex;
        let ageing = cs_to_duration(b.ageing_time);
        for f in b.fdb.iter().rev().filter(|f| f.dst == dst) {
            let state = if f.local {
                nud::PERMANENT
            } else if f.is_static {
                nud::NOARP
            } else if f.updated + ageing <= now {
                nud::STALE
            } else {
                nud::REACHABLE
            };
            let ifindex = f.dst.map_or(br_index, |p| self.dev(p).ifindex);
            out.push(FdbMsg {
                ifindex,
                mac: f.mac,
                // `fdb_fill_info` sets no NTF_MASTER: the bridge shows through NDA_MASTER.
                flags: 0,
                state,
                master: Some(br_index),
                used: now.since(f.used).as_nanos() / CLOCK_T,
                updated: now.since(f.updated).as_nanos() / CLOCK_T,
            });
        }
    }

    /// `bridge fdb add` (`rtnl_fdb_add`): with `master`, into the bridge's table
    /// (`br_fdb_add`); otherwise into the device's own unicast or multicast list
    /// (`ndo_dflt_fdb_add`).
    pub fn fdb_add(
        &mut self,
        ns: crate::NsId,
        req: &FdbReq,
        env: &mut dyn Env,
    ) -> Result<(), NlError> {
        let (d, to_bridge) =
            self.fdb_target(ns, req, "FDB add only supported for Ethernet devices")?;
        let now = Time(jiffies(env.now()) * JIFFY);
        if let Some((br, dst)) = to_bridge {
            let local = req.state & nud::PERMANENT != 0;
            let is_static = req.state & (nud::PERMANENT | nud::NOARP) != 0;
            // `fdb_add_entry`: a port that cannot learn takes only local and static entries.
            let learns = dst
                .and_then(|p| self.dev(p).brport.as_ref())
                .is_none_or(|p| matches!(p.state, br_state::LEARNING | br_state::FORWARDING));
            if !is_static && !learns {
                return Err(NlError::new(Errno::EPERM));
            }
            // The bridge's own entries must be permanent.
            if dst.is_none() && !local {
                return Err(NlError::new(Errno::EINVAL));
            }
            let b = self.bridge_mut(br);
            if let Some(i) = b.find(req.mac) {
                if req.excl {
                    return Err(NlError::new(Errno::EEXIST));
                }
                // `replace`: the entry moves and takes the new state where it stands.
                let f = &mut b.fdb[i];
                let changed = f.dst != dst || f.local != local || f.is_static != is_static;
                f.dst = dst;
                f.local = local;
                f.is_static = is_static;
                f.added_by_user = true;
                f.used = now;
                if changed {
                    f.updated = now;
                }
                return Ok(());
            }
            b.fdb_push(Fdb {
                mac: req.mac,
                dst,
                local,
                is_static,
                added_by_user: true,
                updated: now,
                used: now,
            });
            return Ok(());
        }
        // `ndo_dflt_fdb_add`: only permanent entries, into the matching list.
        if req.state != 0 && req.state & nud::PERMANENT == 0 {
            return Err(NlError::new(Errno::EINVAL));
        }
        let dev = self.dev_mut(d);
        let list = if req.mac[0] & 1 != 0 {
            &mut dev.mc
        } else {
            &mut dev.uc
        };
        // A duplicate is an error only for `add` (`NLM_F_EXCL`).
        if list.contains(&req.mac) {
            return match req.excl {
                true => Err(NlError::new(Errno::EEXIST)),
                false => Ok(()),
            };
        }
        list.push(req.mac);
        Ok(())
    }

    /// The device an fdb request names and the bridge table it goes to, as `rtnl_fdb_add`
    /// and `rtnl_fdb_del` route it: `master` to the bridge of a port (with the port as the
    /// entry's destination), `self` to the device's own table, which for a bridge is the
    /// bridge's table again (its own entries) and otherwise none. `not_ethernet` is the
    /// message for a device without an Ethernet address.
    fn fdb_target(
        &self,
        ns: crate::NsId,
        req: &FdbReq,
        not_ethernet: &'static str,
    ) -> Result<(DevId, FdbTable), NlError> {
        let d = self
            .dev_by_index(ns, req.ifindex)
            .ok_or(NlError::new(Errno::ENODEV))?;
        if self.dev(d).kind == DevKind::Loopback {
            return Err(NlError::ext(Errno::EINVAL, not_ethernet));
        }
        let to_bridge = match (req.flags & ntf::MASTER != 0, self.dev(d).master) {
            (true, Some(br)) => Some((br, Some(d))),
            (true, None) => return Err(NlError::new(Errno::EOPNOTSUPP)),
            (false, _) if self.dev(d).kind == DevKind::Bridge => Some((d, None)),
            (false, _) => None,
        };
        Ok((d, to_bridge))
    }

    /// `bridge fdb del`.
    pub fn fdb_del(&mut self, ns: crate::NsId, req: &FdbReq) -> Result<(), NlError> {
        let (d, to_bridge) =
            self.fdb_target(ns, req, "FDB delete only supported for Ethernet devices")?;
        if let Some((br, dst)) = to_bridge {
            let b = self.bridge_mut(br);
            let i = b
                .fdb
                .iter()
                .position(|f| f.mac == req.mac && f.dst == dst)
                .ok_or(NlError::new(Errno::ENOENT))?;
            b.fdb_remove(i);
            return Ok(());
        }
        let dev = self.dev_mut(d);
        let list = if req.mac[0] & 1 != 0 {
            &mut dev.mc
        } else {
            &mut dev.uc
        };
        let before = list.len();
        list.retain(|m| *m != req.mac);
        if list.len() == before {
            return Err(NlError::new(Errno::ENOENT));
        }
        Ok(())
    }
}
