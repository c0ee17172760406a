//! The configuration interface of the kernel, shaped like rtnetlink (see rtnetlink(7)).
//!
//! Programs such as `ip` never touch kernel structures: they send requests and read dumps made
//! of these plain messages, as iproute2 talks to Linux. Field names follow the netlink
//! attributes (`IFLA_*`, `IFA_*`, `RTA_*`, `NDA_*`) so that iproute2's printing code maps one
//! to one. Errors carry an errno and, where Linux sets one, the extended-ack message that
//! iproute2 prints as `Error: <msg>.`; without it iproute2 prints `RTNETLINK answers: <errno>`.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

use crate::Errno;

/// `IFF_*` interface flags (include/uapi/linux/if.h).
pub mod iff {
    pub const UP: u32 = 0x1;
    pub const BROADCAST: u32 = 0x2;
    pub const DEBUG: u32 = 0x4;
    pub const LOOPBACK: u32 = 0x8;
    pub const POINTOPOINT: u32 = 0x10;
    pub const NOTRAILERS: u32 = 0x20;
    pub const RUNNING: u32 = 0x40;
    pub const NOARP: u32 = 0x80;
    pub const PROMISC: u32 = 0x100;
    pub const ALLMULTI: u32 = 0x200;
    pub const MASTER: u32 = 0x400;
    pub const SLAVE: u32 = 0x800;
    pub const MULTICAST: u32 = 0x1000;
    pub const PORTSEL: u32 = 0x2000;
    pub const AUTOMEDIA: u32 = 0x4000;
    pub const DYNAMIC: u32 = 0x8000;
    pub const LOWER_UP: u32 = 0x10000;
    pub const DORMANT: u32 = 0x20000;
    pub const ECHO: u32 = 0x40000;
}

/// `IFA_F_*` address flags.
pub mod ifa {
    pub const SECONDARY: u32 = 0x01;
    pub const NODAD: u32 = 0x02;
    pub const OPTIMISTIC: u32 = 0x04;
    pub const DADFAILED: u32 = 0x08;
    pub const HOMEADDRESS: u32 = 0x10;
    pub const DEPRECATED: u32 = 0x20;
    pub const TENTATIVE: u32 = 0x40;
    pub const PERMANENT: u32 = 0x80;
    pub const MANAGETEMPADDR: u32 = 0x100;
    pub const NOPREFIXROUTE: u32 = 0x200;
    pub const MCAUTOJOIN: u32 = 0x400;
    pub const STABLE_PRIVACY: u32 = 0x800;
}

/// Routing scopes (`RT_SCOPE_*`).
pub mod scope {
    pub const UNIVERSE: u8 = 0;
    pub const SITE: u8 = 200;
    pub const LINK: u8 = 253;
    pub const HOST: u8 = 254;
    pub const NOWHERE: u8 = 255;
}

/// Route types (`RTN_*`).
pub mod rtn {
    pub const UNSPEC: u8 = 0;
    pub const UNICAST: u8 = 1;
    pub const LOCAL: u8 = 2;
    pub const BROADCAST: u8 = 3;
    pub const ANYCAST: u8 = 4;
    pub const MULTICAST: u8 = 5;
    pub const BLACKHOLE: u8 = 6;
    pub const UNREACHABLE: u8 = 7;
    pub const PROHIBIT: u8 = 8;
    pub const THROW: u8 = 9;
}

/// Route origins (`RTPROT_*`).
pub mod rtprot {
    pub const UNSPEC: u8 = 0;
    pub const REDIRECT: u8 = 1;
    pub const KERNEL: u8 = 2;
    pub const BOOT: u8 = 3;
    pub const STATIC: u8 = 4;
    pub const DHCP: u8 = 16;
}

/// Routing tables (`RT_TABLE_*`).
pub mod rt_table {
    pub const UNSPEC: u32 = 0;
    pub const DEFAULT: u32 = 253;
    pub const MAIN: u32 = 254;
    pub const LOCAL: u32 = 255;
}

/// Next-hop flags (`RTNH_F_*`) as reported in `RouteMsg::flags`.
pub mod rtnh {
    pub const DEAD: u32 = 1;
    pub const PERVASIVE: u32 = 2;
    pub const ONLINK: u32 = 4;
    pub const OFFLOAD: u32 = 8;
    pub const LINKDOWN: u32 = 16;
    pub const UNRESOLVED: u32 = 32;
}

/// `RTM_F_*` flags of `rtm_flags`.
pub mod rtm_f {
    /// Asked for in a lookup (`ip route get ... notify`), echoed in the answer.
    pub const NOTIFY: u32 = 0x100;
    /// The answer is a cached route rather than a table entry.
    pub const CLONED: u32 = 0x200;
}

/// Route cache flags (`RTCF_*`), reported by `ip route get` in its `cache <...>` line.
pub mod rtcf {
    pub const NOTIFY: u32 = 0x0001_0000;
    pub const REDIRECTED: u32 = 0x0004_0000;
    pub const DOREDIRECT: u32 = 0x0100_0000;
    pub const DIRECTSRC: u32 = 0x0400_0000;
    pub const DNAT: u32 = 0x0800_0000;
    pub const BROADCAST: u32 = 0x1000_0000;
    pub const MULTICAST: u32 = 0x2000_0000;
    pub const LOCAL: u32 = 0x8000_0000;
}

/// Neighbour states (`NUD_*`).
pub mod nud {
    pub const NONE: u16 = 0x00;
    pub const INCOMPLETE: u16 = 0x01;
    pub const REACHABLE: u16 = 0x02;
    pub const STALE: u16 = 0x04;
    pub const DELAY: u16 = 0x08;
    pub const PROBE: u16 = 0x10;
    pub const FAILED: u16 = 0x20;
    pub const NOARP: u16 = 0x40;
    pub const PERMANENT: u16 = 0x80;
    /// States in which the entry has a usable link-layer address (`NUD_VALID`).
    pub const VALID: u16 = PERMANENT | NOARP | REACHABLE | PROBE | STALE | DELAY;
    /// `NUD_CONNECTED`: states whose address is used without checking.
    pub const CONNECTED: u16 = PERMANENT | NOARP | REACHABLE;
}

/// Neighbour flags (`NTF_*`).
pub mod ntf {
    pub const USE: u8 = 0x01;
    pub const SELF: u8 = 0x02;
    pub const MASTER: u8 = 0x04;
    pub const PROXY: u8 = 0x08;
    pub const EXT_LEARNED: u8 = 0x10;
    pub const OFFLOADED: u8 = 0x20;
    pub const STICKY: u8 = 0x40;
    pub const ROUTER: u8 = 0x80;
}

/// `IF_OPER_*` (RFC 2863 operational state), printed by `ip link` as `state ...`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperState {
    Unknown,
    NotPresent,
    Down,
    LowerLayerDown,
    Testing,
    Dormant,
    Up,
}

impl OperState {
    /// The word iproute2 prints.
    pub fn name(self) -> &'static str {
        match self {
            OperState::Unknown => "UNKNOWN",
            OperState::NotPresent => "NOTPRESENT",
            OperState::Down => "DOWN",
            OperState::LowerLayerDown => "LOWERLAYERDOWN",
            OperState::Testing => "TESTING",
            OperState::Dormant => "DORMANT",
            OperState::Up => "UP",
        }
    }
}

/// What kind of device a link is (`IFLA_INFO_KIND`); loopback has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    Loopback,
    Veth,
    Bridge,
}

impl LinkKind {
    /// The `IFLA_INFO_KIND` string (`ip -d link` prints it), if any.
    pub fn info_kind(self) -> Option<&'static str> {
        match self {
            LinkKind::Loopback => None,
            LinkKind::Veth => Some("veth"),
            LinkKind::Bridge => Some("bridge"),
        }
    }
}

/// Interface counters (`struct rtnl_link_stats64`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkStats {
    pub rx_packets: u64,
    pub tx_packets: u64,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
    pub rx_errors: u64,
    pub tx_errors: u64,
    pub rx_dropped: u64,
    pub tx_dropped: u64,
    pub multicast: u64,
    pub collisions: u64,
    pub rx_missed_errors: u64,
    pub tx_carrier_errors: u64,
}

/// One link, as `RTM_NEWLINK` describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkMsg {
    pub ifindex: u32,
    /// `IFLA_IFNAME`.
    pub name: String,
    pub kind: LinkKind,
    /// `IFF_*` flags, as the kernel reports them (`RUNNING` and `LOWER_UP` track the carrier).
    pub flags: u32,
    pub mtu: u32,
    pub min_mtu: u32,
    pub max_mtu: u32,
    /// `IFLA_QDISC`: "noop" until the device first comes up, then "noqueue" (no qdisc is
    /// reported for a device that was never up... see `ip link`).
    pub qdisc: &'static str,
    pub operstate: OperState,
    /// `IFLA_LINKMODE`: 0 default, 1 dormant.
    pub linkmode: u8,
    pub group: u32,
    pub txqlen: u32,
    /// `IFLA_ADDRESS` and `IFLA_BROADCAST` (link-layer, 6 bytes for Ethernet and loopback).
    pub address: [u8; 6],
    pub broadcast: [u8; 6],
    /// `IFLA_LINK`: the peer's ifindex for a veth (in the peer's namespace).
    pub link: Option<u32>,
    /// `IFLA_LINK_NETNSID`: present when the peer lives in another namespace.
    pub link_netnsid: Option<i32>,
    /// `IFLA_MASTER`: the bridge this link is a port of.
    pub master: Option<u32>,
    pub promiscuity: u32,
    pub allmulti: u32,
    pub num_tx_queues: u32,
    pub num_rx_queues: u32,
    pub gso_max_size: u32,
    pub gso_max_segs: u32,
    pub tso_max_size: u32,
    pub tso_max_segs: u32,
    pub gro_max_size: u32,
    pub carrier_changes: u32,
    pub stats: LinkStats,
    /// `IFLA_IFALIAS`, when one is set.
    pub alias: Option<String>,
    /// A bridge's own settings and state.
    pub bridge: Option<BridgeInfo>,
    /// A bridge port's settings and state.
    pub brport: Option<BrPortInfo>,
}

/// One address, as `RTM_NEWADDR` describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct AddrMsg {
    pub ifindex: u32,
    pub prefixlen: u8,
    /// `IFA_F_*`.
    pub flags: u32,
    pub scope: u8,
    /// `IFA_LOCAL` (IPv4) or `IFA_ADDRESS` (IPv6): the address itself.
    pub local: IpAddr,
    /// `IFA_ADDRESS` for IPv4: the peer on point-to-point links, otherwise equal to `local`.
    pub address: IpAddr,
    /// `IFA_BROADCAST`, only when one was configured.
    pub broadcast: Option<Ipv4Addr>,
    /// `IFA_LABEL` (IPv4 only): the device name, or `dev:alias`.
    pub label: Option<String>,
    /// Lifetimes in seconds; `None` is "forever".
    pub valid_lft: Option<u32>,
    pub preferred_lft: Option<u32>,
}

/// A request to add or delete an address (`ip address add|del`).
#[derive(Clone, Debug, PartialEq)]
pub struct AddrReq {
    pub ifindex: u32,
    pub local: IpAddr,
    pub prefixlen: u8,
    /// `None`: the kernel default (universe, or host for 127/8).
    pub scope: Option<u8>,
    pub broadcast: Option<Ipv4Addr>,
    /// `IFA_ADDRESS`: the peer, or the address itself when `ip` sends it (always, but for a
    /// deletion without a prefix length); `None` deletes whatever prefix the address has.
    pub peer: Option<IpAddr>,
    pub label: Option<String>,
    /// Extra `IFA_F_*` flags the user asked for (nodad, noprefixroute, ...).
    pub flags: u32,
    pub valid_lft: Option<u32>,
    pub preferred_lft: Option<u32>,
}

impl AddrReq {
    pub fn new(ifindex: u32, local: IpAddr, prefixlen: u8) -> Self {
        AddrReq {
            ifindex,
            local,
            prefixlen,
            scope: None,
            broadcast: None,
            peer: None,
            label: None,
            flags: 0,
            valid_lft: None,
            preferred_lft: None,
        }
    }
}

/// One route, as `RTM_NEWROUTE` describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteMsg {
    pub family_v6: bool,
    pub table: u32,
    /// `RTN_*`.
    pub rtype: u8,
    /// `RTPROT_*`.
    pub protocol: u8,
    pub scope: u8,
    /// Destination prefix; `dst_len == 0` is the default route.
    pub dst: IpAddr,
    pub dst_len: u8,
    pub oif: Option<u32>,
    pub gateway: Option<IpAddr>,
    /// `RTA_PREFSRC`.
    pub prefsrc: Option<IpAddr>,
    /// `RTA_PRIORITY`: the metric.
    pub priority: Option<u32>,
    /// `RTNH_F_*`; in answers to `route_get`, `rtm_flags` (`RTM_F_*` and the high half of
    /// the route's `RTCF_*` flags).
    pub flags: u32,
    /// Only in answers to `route_get`: `RTA_UID` and the `RTCF_*` cache flags, and the source
    /// (`RTA_SRC`/`from`) and input interface if the request had them.
    pub uid: Option<u32>,
    pub cache_flags: Option<u32>,
    pub src: Option<IpAddr>,
    pub iif: Option<u32>,
}

/// How `RTM_NEWROUTE` treats an existing route with the same key (`NLM_F_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteMode {
    /// `ip route add`: `NLM_F_CREATE | NLM_F_EXCL`.
    Add,
    /// `ip route replace`: `NLM_F_CREATE | NLM_F_REPLACE`.
    Replace,
    /// `ip route change`: `NLM_F_REPLACE`.
    Change,
    /// `ip route append`: `NLM_F_CREATE | NLM_F_APPEND`.
    Append,
}

/// A route to add or delete (`ip route add|del|replace`).
#[derive(Clone, Debug, PartialEq)]
pub struct RouteReq {
    pub table: u32,
    pub rtype: u8,
    pub protocol: u8,
    /// `None`: universe for a route with a gateway, link for one without.
    pub scope: Option<u8>,
    pub dst: IpAddr,
    pub dst_len: u8,
    pub oif: Option<u32>,
    pub gateway: Option<IpAddr>,
    pub prefsrc: Option<IpAddr>,
    pub priority: Option<u32>,
    /// `RTNH_F_ONLINK` when the user said `onlink`.
    pub flags: u32,
}

/// A route lookup (`ip route get`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RouteGetReq {
    pub dst: Option<IpAddr>,
    pub src: Option<IpAddr>,
    pub iif: Option<u32>,
    pub oif: Option<u32>,
    pub tos: u8,
    pub mark: u32,
    pub uid: Option<u32>,
    /// `RTM_F_NOTIFY` in the request's `rtm_flags`.
    pub notify: bool,
}

/// One neighbour entry, as `RTM_NEWNEIGH` describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct NeighMsg {
    pub ifindex: u32,
    pub dst: IpAddr,
    pub lladdr: Option<[u8; 6]>,
    /// `NUD_*`.
    pub state: u16,
    /// `NTF_*`.
    pub flags: u8,
    /// `NDA_CACHEINFO` and `NDA_PROBES`, which `ip -s neigh` shows.
    pub cache: Option<NeighCacheInfo>,
}

/// A neighbour's ages, in clock ticks (1/100 s) before now, its references beyond the
/// table's own, and the probes it sent (`struct nda_cacheinfo`, `NDA_PROBES`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NeighCacheInfo {
    pub used: u32,
    pub confirmed: u32,
    pub updated: u32,
    pub refcnt: u32,
    pub probes: u32,
}

/// A neighbour to add, change or delete (`ip neigh add|replace|change|del`).
#[derive(Clone, Debug, PartialEq)]
pub struct NeighReq {
    pub ifindex: u32,
    pub dst: IpAddr,
    pub lladdr: Option<[u8; 6]>,
    /// `NUD_*`; `ip neigh add` defaults to `PERMANENT`.
    pub state: u16,
    pub flags: u8,
}

/// A failed rtnetlink request: an errno and, where Linux gives one, the extended ack text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NlError {
    pub errno: Errno,
    pub extack: Option<&'static str>,
}

impl NlError {
    pub fn new(errno: Errno) -> Self {
        NlError {
            errno,
            extack: None,
        }
    }
    pub fn ext(errno: Errno, msg: &'static str) -> Self {
        NlError {
            errno,
            extack: Some(msg),
        }
    }
}

impl fmt::Display for NlError {
    /// Formats the error as iproute2 reports it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.extack {
            Some(m) if m.ends_with('.') => write!(f, "Error: {m}"),
            Some(m) => write!(f, "Error: {m}."),
            None => write!(f, "RTNETLINK answers: {}", self.errno),
        }
    }
}

impl std::error::Error for NlError {}

impl From<Errno> for NlError {
    fn from(e: Errno) -> Self {
        NlError::new(e)
    }
}

/// Bridge port states (`BR_STATE_*`), as `bridge link` and `ip -d link` name them.
pub mod br_state {
    pub const DISABLED: u8 = 0;
    pub const LISTENING: u8 = 1;
    pub const LEARNING: u8 = 2;
    pub const FORWARDING: u8 = 3;
    pub const BLOCKING: u8 = 4;

    /// The name iproute2 prints (`port_states[]`).
    pub fn name(s: u8) -> &'static str {
        match s {
            DISABLED => "disabled",
            LISTENING => "listening",
            LEARNING => "learning",
            FORWARDING => "forwarding",
            BLOCKING => "blocking",
            _ => "unknown",
        }
    }
}

/// Options of `ip link add|set NAME type bridge ...` (`IFLA_BR_*`). Times are in
/// centiseconds, as iproute2 sends them (`clock_t` at `USER_HZ` 100).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BridgeOpts {
    pub forward_delay: Option<u32>,
    pub hello_time: Option<u32>,
    pub max_age: Option<u32>,
    pub ageing_time: Option<u32>,
    pub stp_state: Option<u32>,
    pub priority: Option<u16>,
    pub vlan_filtering: Option<u8>,
    pub group_fwd_mask: Option<u16>,
    pub mcast_snooping: Option<u8>,
    /// `fdb_flush`: forget every learned entry.
    pub fdb_flush: bool,
}

impl BridgeOpts {
    pub fn is_empty(&self) -> bool {
        *self == BridgeOpts::default()
    }
}

/// A bridge or port identifier: a priority and a MAC address.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BridgeId {
    pub prio: u16,
    pub addr: [u8; 6],
}

/// What a bridge reports of itself (`IFLA_INFO_DATA` of kind `bridge`). Times in
/// centiseconds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BridgeInfo {
    pub forward_delay: u32,
    pub hello_time: u32,
    pub max_age: u32,
    pub ageing_time: u32,
    pub stp_state: u32,
    pub priority: u16,
    pub vlan_filtering: u8,
    pub bridge_id: BridgeId,
    pub root_id: BridgeId,
    pub root_port: u16,
    pub root_path_cost: u32,
    pub topology_change: u8,
    pub topology_change_detected: u8,
    pub hello_timer: u64,
    pub tcn_timer: u64,
    pub topology_change_timer: u64,
    pub gc_timer: u64,
    pub group_fwd_mask: u16,
    pub group_addr: [u8; 6],
    pub mcast_snooping: u8,
}

/// A port's switches (`BR_*` flags of `struct net_bridge_port`). The bridge acts on
/// `learning`, the three floods, `hairpin` and `isolated`; the others are kept and shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrPortFlags {
    pub learning: bool,
    pub flood: bool,
    pub mcast_flood: bool,
    pub bcast_flood: bool,
    pub hairpin: bool,
    pub isolated: bool,
    pub guard: bool,
    pub root_block: bool,
    pub fastleave: bool,
    pub mcast_to_unicast: bool,
    pub neigh_suppress: bool,
    pub vlan_tunnel: bool,
    pub locked: bool,
}

impl Default for BrPortFlags {
    /// A new port's: learning and flooding on, the rest off.
    fn default() -> Self {
        BrPortFlags {
            learning: true,
            flood: true,
            mcast_flood: true,
            bcast_flood: true,
            hairpin: false,
            isolated: false,
            guard: false,
            root_block: false,
            fastleave: false,
            mcast_to_unicast: false,
            neigh_suppress: false,
            vlan_tunnel: false,
            locked: false,
        }
    }
}

/// `bridge link set` / `ip link set PORT type bridge_slave ...` (`IFLA_BRPORT_*`): what to
/// change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BrPortOpts {
    /// `fdb_flush`: forget what was learned behind the port.
    pub fdb_flush: bool,
    pub state: Option<u8>,
    pub cost: Option<u32>,
    pub priority: Option<u16>,
    pub learning: Option<bool>,
    pub flood: Option<bool>,
    pub mcast_flood: Option<bool>,
    pub bcast_flood: Option<bool>,
    pub hairpin: Option<bool>,
    pub isolated: Option<bool>,
    pub guard: Option<bool>,
    pub root_block: Option<bool>,
    pub fastleave: Option<bool>,
    pub mcast_to_unicast: Option<bool>,
    pub neigh_suppress: Option<bool>,
    pub vlan_tunnel: Option<bool>,
    pub locked: Option<bool>,
}

/// What a bridge port reports (`IFLA_INFO_SLAVE_DATA` of slave kind `bridge`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BrPortInfo {
    /// `BR_STATE_*`.
    pub state: u8,
    pub priority: u16,
    pub cost: u32,
    pub flags: BrPortFlags,
    pub port_id: u16,
    pub port_no: u16,
    pub designated_port: u16,
    pub designated_cost: u32,
    pub designated_bridge: BridgeId,
    pub designated_root: BridgeId,
    pub hold_timer: u64,
    pub message_age_timer: u64,
    pub forward_delay_timer: u64,
}

/// One forwarding-database entry, as an `AF_BRIDGE` `RTM_NEWNEIGH` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FdbMsg {
    pub ifindex: u32,
    pub mac: [u8; 6],
    /// `NTF_SELF` for the device's own address lists; 0 for the bridge's table (which
    /// `NDA_MASTER` names).
    pub flags: u8,
    /// `NUD_PERMANENT` (local), `NUD_NOARP` (static), `NUD_REACHABLE` or `NUD_STALE`.
    pub state: u16,
    /// `NDA_MASTER`: the bridge, for its own entries.
    pub master: Option<u32>,
    /// `NDA_CACHEINFO`: centiseconds since the entry was last used and last updated.
    pub used: u64,
    pub updated: u64,
}

/// `bridge fdb add|del`: an entry for `ifindex` in the bridge's table (`NTF_MASTER`) or in
/// the device's own address list (`NTF_SELF`, the default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FdbReq {
    pub ifindex: u32,
    pub mac: [u8; 6],
    pub flags: u8,
    /// `NUD_PERMANENT` (default), `NUD_NOARP` (`static`) or `NUD_REACHABLE` (`dynamic`).
    pub state: u16,
    /// `NLM_F_EXCL` (`add`): an existing entry is an error; without it (`replace`,
    /// `append`) an existing entry is updated.
    pub excl: bool,
}
