//! The kernel's top level: namespaces, devices, sockets, and the events that drive them.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use tsunagi_engine::{Duration, Rng, Time, TimerId};

use crate::fib::Fib;
use crate::neigh::NeighTable;
use crate::rtnl::{iff, LinkStats};
use crate::sock::Socket;
use crate::sysctl::{DevConf, Sysctl};

/// Names one network namespace inside a kernel (not the `nsid` that rtnetlink shows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NsId(pub u32);

/// Names one network device, whatever namespace it is in. Ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DevId(pub u32);

/// Names one socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SockId(pub u32);

/// A frame on the wire: it names the buffer the kernel keeps for it meanwhile, so that an
/// event stays a few bytes whatever the frame's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameId(u32);

/// What the kernel needs from the engine: the time, timers and randomness.
pub trait Env {
    fn now(&self) -> Time;
    fn at(&mut self, t: Time, ev: NetEvent) -> TimerId;
    /// Schedules an event that recurs forever on its own (a link's router solicitations):
    /// a batch run does not wait for it. By default, as any other.
    fn at_daemon(&mut self, t: Time, ev: NetEvent) -> TimerId {
        self.at(t, ev)
    }
    fn cancel(&mut self, id: TimerId);
    fn rng(&mut self) -> &mut Rng;
}

/// An event the kernel scheduled for itself.
#[derive(Debug)]
pub enum NetEvent {
    /// A frame arrives on a device (sent by the other end of its veth, or looped back).
    Rx { dev: DevId, frame: FrameId },
    /// A neighbour entry's timer.
    Neigh { dev: DevId, ip: Ipv4Addr },
    /// A bridge's forwarding-database garbage collection (`br_fdb_cleanup`).
    BrGc { dev: DevId, epoch: u32 },
    /// A bridge port's forward-delay timer (`br_forward_delay_timer_expired`).
    BrFwdDelay { dev: DevId, epoch: u32 },
    /// One of a device's IPv6 timers (addrconf, MLD).
    Addrconf {
        dev: DevId,
        timer: crate::addrconf::In6Timer,
    },
    /// A packet socket's block timer.
    PacketTimer { sock: crate::packet::PacketId },
    /// A bridge's topology change timer (`br_topology_change_timer_expired`).
    BrTopologyChange { dev: DevId, epoch: u32 },
    /// A bridge's hello timer: the spanning tree's configuration BPDUs
    /// (`br_hello_timer_expired`).
    BrHello { dev: DevId, epoch: u32 },
}

/// The kinds of device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DevKind {
    Loopback,
    Veth,
    Bridge,
}

/// An IPv4 address on a device (`struct in_ifaddr`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct IfAddr {
    pub local: Ipv4Addr,
    pub prefixlen: u8,
    pub peer: Option<Ipv4Addr>,
    pub broadcast: Option<Ipv4Addr>,
    pub scope: u8,
    pub label: String,
    pub secondary: bool,
    pub flags: u32,
}

impl IfAddr {
    pub fn mask(&self) -> u32 {
        prefix_mask(self.prefixlen)
    }
    /// `ifa_address`: the peer on a point-to-point address, otherwise the address itself.
    /// The prefix and the subnet tests are taken from it.
    pub fn address(&self) -> Ipv4Addr {
        self.peer.unwrap_or(self.local)
    }
    pub fn network(&self) -> u32 {
        u32::from(self.address()) & self.mask()
    }
    /// `inet_ifa_match`: `a` lies in this address's prefix.
    pub fn contains(&self, a: Ipv4Addr) -> bool {
        u32::from(a) & self.mask() == self.network()
    }
    /// Same prefix length and same prefix: `b` is a secondary of `self` or its primary.
    pub fn same_subnet(&self, b: &IfAddr) -> bool {
        self.prefixlen == b.prefixlen && self.contains(b.address())
    }
}

/// The netmask of a prefix length.
pub fn prefix_mask(len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len.min(32)))
    }
}

/// A network device (`struct net_device`).
pub(crate) struct Device {
    pub ns: NsId,
    pub ifindex: u32,
    pub name: String,
    pub kind: DevKind,
    pub admin_up: bool,
    /// `IFF_*` flags other than `UP` and the carrier ones: what the device type sets
    /// (`LOOPBACK`, `BROADCAST|MULTICAST`) and what `ip link set` changed (`NOARP`,
    /// `PROMISC`, `ALLMULTI`, ...).
    pub flags: u32,
    /// `ifalias`, set by `ip link set NAME alias TEXT`.
    pub alias: Option<String>,
    /// The device group (`ip link set NAME group N`); 0 is `default`.
    pub group: u32,
    /// The link-layer broadcast address.
    pub broadcast: [u8; 6],
    /// Its sysctls: `net.ipv4.conf.DEV.*`, `net.ipv6.conf.DEV.*`, `net.ipv4.neigh.DEV.*`.
    pub conf: DevConf,
    /// The device has been up once: its qdisc is no longer `noop`.
    pub qdisc_attached: bool,
    pub mtu: u32,
    pub txqlen: u32,
    pub mac: [u8; 6],
    pub peer: Option<DevId>,
    pub stats: LinkStats,
    pub carrier_changes: u32,
    pub v4: Vec<IfAddr>,
    /// Its IPv6 state: the link-local address, multicast groups, timers.
    pub in6: crate::addrconf::Inet6Dev,
    /// The operational state linkwatch last gave a veth without carrier (see
    /// `linkwatch_operstate`).
    pub lw_oper: crate::rtnl::OperState,
    /// When addrconf last configured the link, in its namespace's sequence: the IPv6 routes
    /// it adds then follow those of links configured earlier.
    pub addrconf_seq: u64,
    /// When the last frame sent on this device reaches the other end: a link keeps its
    /// frames in order whatever the jitter.
    pub tx_arrival: Time,
    /// The link-layer multicast addresses the device listens to (`dev->mc`), in the order
    /// they were added: what `bridge fdb show` lists as `self permanent`.
    pub mc: Vec<[u8; 6]>,
    /// Unicast addresses added besides its own (`dev->uc`, `bridge fdb add ... self`).
    pub uc: Vec<[u8; 6]>,
    /// The bridge this device is a port of (`IFLA_MASTER`).
    pub master: Option<DevId>,
    /// The bridge state, for a bridge.
    pub br: Option<Box<crate::bridge::Bridge>>,
    /// The port state, for a bridge port (`struct net_bridge_port`).
    pub brport: Option<crate::bridge::BrPort>,
    /// Packet sockets that put the device in promiscuous mode (`dev->promiscuity` beyond
    /// the `PROMISC` flag).
    pub promisc_refs: u32,
}

/// One network namespace (`struct net`).
pub(crate) struct Net {
    pub next_ifindex: u32,
    pub devs: BTreeMap<u32, DevId>,
    pub lo: DevId,
    pub sysctl: Sysctl,
    pub fib: Fib,
    pub neigh: NeighTable,
    /// `peernet2id`: the ids this namespace gave to others.
    pub nsids: BTreeMap<NsId, i32>,
    /// ICMP rate limiting per peer (`inet_peer.rate_tokens`, shared by `icmpv4_xrlim_allow`
    /// and `ip_error`): tokens in ns and last update.
    pub icmp_peers: BTreeMap<Ipv4Addr, (u64, Time)>,
    /// IP identifiers by destination, source and protocol (`ip_idents`, `ip_tstamps`): the
    /// next id and the jiffy it was last used in.
    pub ip_idents: BTreeMap<(Ipv4Addr, Ipv4Addr, u8), (u16, u64)>,
    pub sockets: Vec<SockId>,
    /// The next hops whose cached output route carries `RTCF_NOTIFY` since an
    /// `ip route get ... notify` (the flag sticks to the cached route, and every later lookup
    /// through the same next hop reports it) until the cache is flushed.
    pub rt_notify: Vec<crate::fib::Route>,
    /// The last number given to a link configured by addrconf.
    pub addrconf_seq: u64,
}

/// All namespaces of one lab.
pub struct Kernel {
    pub(crate) nets: Vec<Option<Net>>,
    pub(crate) devs: Vec<Option<Device>>,
    pub(crate) socks: Vec<Option<Socket>>,
    /// Buffers of frames that were consumed, reused for new frames.
    pub(crate) pool: Vec<Vec<u8>>,
    /// Frames on the wire, by `FrameId`; a slot is empty once its frame has arrived.
    on_wire: Vec<Vec<u8>>,
    /// Empty slots of `on_wire`.
    on_wire_free: Vec<u32>,
    /// The time of the last dump that gave one, for the timers dumps report.
    pub(crate) clock: Time,
    /// Packet sockets (what tcpdump reads), by `PacketId`.
    pub(crate) packet_socks: Vec<Option<crate::packet::PacketSocket>>,
    /// Open packet sockets plus one while the lab-wide capture runs: when 0, frames go by
    /// without a look.
    pub(crate) taps: u32,
    /// Frames recorded for the lab-wide capture, until the lab takes them.
    pub(crate) lab_capture: Option<Vec<crate::packet::LabFrame>>,
}

/// Latency of one veth hop (transmit, the peer's receive softirq).
pub(crate) const VETH_DELAY: Duration = Duration::from_micros(14);
/// Added to a veth hop at random, up to this much.
pub(crate) const VETH_JITTER_NS: u64 = 6_000;
/// Latency of the loopback device.
pub(crate) const LO_DELAY: Duration = Duration::from_micros(4);

impl Kernel {
    pub fn new(env: &mut dyn Env) -> Kernel {
        let mut k = Kernel {
            nets: Vec::new(),
            devs: Vec::new(),
            socks: Vec::new(),
            pool: Vec::new(),
            on_wire: Vec::new(),
            on_wire_free: Vec::new(),
            clock: Time::ZERO,
            packet_socks: Vec::new(),
            taps: 0,
            lab_capture: None,
        };
        let root = k.create_ns(env);
        // In the initial namespace the loopback device is up, as after boot.
        let lo = k.net(root).lo;
        k.dev_open(lo, env);
        k
    }

    /// The initial namespace.
    pub fn root(&self) -> NsId {
        NsId(0)
    }

    pub(crate) fn net(&self, ns: NsId) -> &Net {
        self.nets[ns.0 as usize].as_ref().expect("live namespace")
    }

    pub(crate) fn net_mut(&mut self, ns: NsId) -> &mut Net {
        self.nets[ns.0 as usize].as_mut().expect("live namespace")
    }

    pub(crate) fn net_opt(&self, ns: NsId) -> Option<&Net> {
        self.nets.get(ns.0 as usize).and_then(Option::as_ref)
    }

    pub(crate) fn dev(&self, d: DevId) -> &Device {
        self.devs[d.0 as usize].as_ref().expect("live device")
    }

    pub(crate) fn dev_mut(&mut self, d: DevId) -> &mut Device {
        self.devs[d.0 as usize].as_mut().expect("live device")
    }

    pub(crate) fn dev_opt(&self, d: DevId) -> Option<&Device> {
        self.devs.get(d.0 as usize).and_then(Option::as_ref)
    }

    /// True if namespace `ns` exists.
    pub fn ns_alive(&self, ns: NsId) -> bool {
        self.net_opt(ns).is_some()
    }

    /// A new namespace holding only a loopback device, down.
    pub fn create_ns(&mut self, env: &mut dyn Env) -> NsId {
        let ns = NsId(self.nets.len() as u32);
        let reachable = Sysctl::random_reachable_time(env.rng());
        self.nets.push(Some(Net {
            next_ifindex: 1,
            devs: BTreeMap::new(),
            lo: DevId(0),
            sysctl: Sysctl::new(reachable),
            fib: Fib::default(),
            neigh: NeighTable::default(),
            nsids: BTreeMap::new(),
            icmp_peers: BTreeMap::new(),
            ip_idents: BTreeMap::new(),
            sockets: Vec::new(),
            rt_notify: Vec::new(),
            addrconf_seq: 0,
        }));
        let lo = self.new_device(ns, "lo", DevKind::Loopback, [0; 6], None);
        self.net_mut(ns).lo = lo;
        ns
    }

    /// Destroys a namespace: its veth devices go (and with them their peers), its sockets
    /// stop receiving.
    pub fn destroy_ns(&mut self, ns: NsId, env: &mut dyn Env) {
        if ns == self.root() || !self.ns_alive(ns) {
            return;
        }
        let devs: Vec<DevId> = self.net(ns).devs.values().copied().collect();
        for d in devs {
            if self.dev_opt(d).is_some() {
                self.unregister(d, env);
            }
        }
        for s in self.net(ns).sockets.clone() {
            self.sock_close(s);
        }
        for net in self.nets.iter_mut().flatten() {
            net.nsids.remove(&ns);
        }
        self.nets[ns.0 as usize] = None;
    }

    /// Allocates an ifindex in `ns` as `dev_index_reserve` does: the next free one after the
    /// last allocated.
    pub(crate) fn alloc_ifindex(&mut self, ns: NsId) -> u32 {
        let net = self.net_mut(ns);
        let mut i = net.next_ifindex.max(1);
        while net.devs.contains_key(&i) {
            i += 1;
        }
        net.next_ifindex = i + 1;
        i
    }

    pub(crate) fn new_device(
        &mut self,
        ns: NsId,
        name: &str,
        kind: DevKind,
        mac: [u8; 6],
        ifindex: Option<u32>,
    ) -> DevId {
        let ifindex = ifindex.unwrap_or_else(|| self.alloc_ifindex(ns));
        let id = DevId(self.devs.len() as u32);
        let conf = DevConf::new(&self.net(ns).sysctl, kind);
        let conf6_forwarding = conf.conf6[crate::sysctl::C6_FORWARDING] != 0;
        let (mtu, txqlen, flags, broadcast) = match kind {
            DevKind::Loopback => (65536, 1000, iff::LOOPBACK, [0; 6]),
            DevKind::Veth | DevKind::Bridge => {
                (1500, 1000, iff::BROADCAST | iff::MULTICAST, [0xff; 6])
            }
        };
        // `ipv6_add_dev` joins the all-nodes group on every new device but the loopback.
        let mc = if kind == DevKind::Loopback {
            Vec::new()
        } else {
            vec![crate::bridge::MC_ALL_NODES6]
        };
        let br = (kind == DevKind::Bridge).then(|| Box::new(crate::bridge::Bridge::new()));
        self.devs.push(Some(Device {
            ns,
            ifindex,
            name: name.to_string(),
            kind,
            admin_up: false,
            flags,
            alias: None,
            group: 0,
            broadcast,
            conf,
            qdisc_attached: false,
            mtu,
            txqlen,
            mac,
            peer: None,
            stats: LinkStats::default(),
            // `veth_newlink` turns the carrier of both ends off (it is on for a new device),
            // which counts as one change; the loopback's carrier never changes.
            carrier_changes: u32::from(kind == DevKind::Veth),
            v4: Vec::new(),
            in6: crate::addrconf::Inet6Dev::new(kind, conf6_forwarding),
            lw_oper: crate::rtnl::OperState::Down,
            addrconf_seq: 0,
            tx_arrival: Time::ZERO,
            mc,
            uc: Vec::new(),
            master: None,
            br,
            brport: None,
            promisc_refs: 0,
        }));
        self.net_mut(ns).devs.insert(ifindex, id);
        id
    }

    /// A random locally administered unicast MAC (`eth_random_addr`).
    pub(crate) fn random_mac(env: &mut dyn Env) -> [u8; 6] {
        let mut m = [0u8; 6];
        env.rng().fill(&mut m);
        m[0] = (m[0] & 0xfe) | 0x02;
        m
    }

    /// Whether the device has carrier (`netif_carrier_ok`).
    pub(crate) fn carrier(&self, d: DevId) -> bool {
        let dev = self.dev(d);
        match dev.kind {
            DevKind::Loopback => dev.admin_up,
            DevKind::Veth => {
                dev.admin_up
                    && dev
                        .peer
                        .and_then(|p| self.dev_opt(p))
                        .is_some_and(|p| p.admin_up)
            }
            // A bridge's carrier follows its ports (`br_port_state_selection`).
            DevKind::Bridge => dev.admin_up && dev.br.as_ref().is_some_and(|b| b.carrier),
        }
    }

    /// Handles an event the kernel scheduled earlier.
    pub fn handle(&mut self, ev: NetEvent, env: &mut dyn Env) {
        match ev {
            NetEvent::Rx { dev, frame } => {
                let frame = self.frame_off_wire(frame);
                self.netif_receive(dev, frame, env)
            }
            NetEvent::Neigh { dev, ip } => self.neigh_timer(dev, ip, env),
            NetEvent::BrGc { dev, epoch } => self.br_fdb_cleanup(dev, epoch, env),
            NetEvent::BrFwdDelay { dev, epoch } => self.br_forward_delay_expired(dev, epoch, env),
            NetEvent::Addrconf { dev, timer } => self.addrconf_timer(dev, timer, env),
            NetEvent::PacketTimer { sock } => self.packet_timer(sock, env),
            NetEvent::BrTopologyChange { dev, epoch } => {
                self.br_topology_change_expired(dev, epoch)
            }
            NetEvent::BrHello { dev, epoch } => self.br_hello_expired(dev, epoch, env),
        }
    }

    /// A buffer for a new frame, from the pool if possible.
    pub(crate) fn alloc_frame(&mut self, len: usize) -> Vec<u8> {
        let mut f = self.pool.pop().unwrap_or_default();
        f.clear();
        f.resize(len, 0);
        f
    }

    /// Keeps `frame` while it crosses a link; the `Rx` event carries its id.
    pub(crate) fn frame_on_wire(&mut self, frame: Vec<u8>) -> FrameId {
        match self.on_wire_free.pop() {
            Some(i) => {
                self.on_wire[i as usize] = frame;
                FrameId(i)
            }
            None => {
                self.on_wire.push(frame);
                FrameId((self.on_wire.len() - 1) as u32)
            }
        }
    }

    /// Takes a frame off the wire when it arrives (an empty buffer for an unknown id).
    fn frame_off_wire(&mut self, id: FrameId) -> Vec<u8> {
        match self.on_wire.get_mut(id.0 as usize) {
            Some(f) => {
                self.on_wire_free.push(id.0);
                std::mem::take(f)
            }
            None => Vec::new(),
        }
    }

    /// The bytes of a frame on the wire, for who watches a link (tests, captures).
    pub fn frame_bytes(&self, id: FrameId) -> Option<&[u8]> {
        self.on_wire.get(id.0 as usize).map(Vec::as_slice)
    }

    /// A frame arrives on device `ifindex` of `ns` from outside the lab (what a TAP device
    /// will deliver; fuzzing feeds arbitrary bytes through here). `ENODEV` if there is no
    /// such device.
    pub fn receive_frame(
        &mut self,
        ns: NsId,
        ifindex: u32,
        frame: &[u8],
        env: &mut dyn Env,
    ) -> Result<(), crate::Errno> {
        let dev = self
            .net_opt(ns)
            .and_then(|n| n.devs.get(&ifindex).copied())
            .ok_or(crate::Errno::ENODEV)?;
        let mut f = self.alloc_frame(frame.len());
        f.copy_from_slice(frame);
        self.netif_receive(dev, f, env);
        Ok(())
    }

    /// Returns a consumed frame's buffer to the pool.
    pub(crate) fn free_frame(&mut self, f: Vec<u8>) {
        if self.pool.len() < 1024 {
            self.pool.push(f);
        }
    }

    /// The nsid `ns` uses for `target`, allocating one if needed (`peernet2id_alloc`).
    pub fn nsid_alloc(&mut self, ns: NsId, target: NsId) -> i32 {
        let net = self.net_mut(ns);
        if let Some(id) = net.nsids.get(&target) {
            return *id;
        }
        let mut id = 0;
        while net.nsids.values().any(|v| *v == id) {
            id += 1;
        }
        net.nsids.insert(target, id);
        id
    }

    /// `ip netns set`: `ns` gives `target` the id `nsid`, or the lowest free one
    /// (`rtnl_net_newid`). Returns the id given.
    pub fn nsid_set(
        &mut self,
        ns: NsId,
        target: NsId,
        nsid: Option<i32>,
    ) -> Result<i32, crate::rtnl::NlError> {
        use crate::rtnl::NlError;
        use crate::Errno;
        if !self.ns_alive(ns) || !self.ns_alive(target) {
            return Err(NlError::new(Errno::EINVAL));
        }
        if self.net(ns).nsids.contains_key(&target) {
            return Err(NlError::ext(
                Errno::EEXIST,
                "Peer netns already has a nsid assigned",
            ));
        }
        match nsid {
            None => Ok(self.nsid_alloc(ns, target)),
            Some(id) => {
                let net = self.net_mut(ns);
                if id < 0 {
                    return Err(NlError::new(Errno::EINVAL));
                }
                if net.nsids.values().any(|v| *v == id) {
                    return Err(NlError::ext(
                        Errno::EEXIST,
                        "The specified nsid is already used",
                    ));
                }
                net.nsids.insert(target, id);
                Ok(id)
            }
        }
    }

    /// Every id `ns` gives other namespaces, by id (`RTM_GETNSID` dump).
    pub fn nsid_dump(&self, ns: NsId) -> Vec<(i32, NsId)> {
        let Some(net) = self.net_opt(ns) else {
            return Vec::new();
        };
        let mut v: Vec<(i32, NsId)> = net.nsids.iter().map(|(t, id)| (*id, *t)).collect();
        v.sort();
        v
    }

    /// The nsid `ns` uses for `target`, if it has one (`peernet2id`).
    pub fn nsid_of(&self, ns: NsId, target: NsId) -> Option<i32> {
        if ns == target {
            return None;
        }
        self.net_opt(ns)?.nsids.get(&target).copied()
    }
}
