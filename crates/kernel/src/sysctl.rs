//! The sysctls a namespace models (`/proc/sys/net/...`), with the kernel's defaults and
//! checks. See Documentation/networking/ip-sysctl.rst.
//!
//! Three kinds of key:
//! - namespace-wide ones (`net.ipv4.ip_forward`, `net.ipv4.icmp_ratelimit`, ...), in
//!   [`Sysctl`];
//! - per-interface IPv4 and IPv6 settings, `net.ipv4.conf.{all,default,DEV}.*` and
//!   `net.ipv6.conf.{all,default,DEV}.*` (`struct ipv4_devconf`, `struct ipv6_devconf`):
//!   `all` and `default` in [`Sysctl`], each device's own in its `Device`; a new device starts
//!   from `default`;
//! - neighbour parameters per device, `net.ipv4.neigh.DEV.*` (`struct neigh_parms`).
//!
//! Every namespace of a lab stands for one made by `ip netns add` or `unshare --net`, as the
//! reference recordings are: the initial namespace is the host's. So `net.ipv4.neigh.default.*`,
//! which only the initial namespace has, does not exist.

use tsunagi_engine::{Duration, Rng};

use crate::core::{DevId, DevKind, Kernel, NsId};
use crate::Errno;

/// IPv4 per-interface settings (`IPV4_DEVCONF_*`), sorted by name: the name, its value in
/// `all`, in `default` (and so in a new device).
const CONF4: &[(&str, i64, i64)] = &[
    ("accept_local", 0, 0),
    ("accept_redirects", 1, 1),
    ("accept_source_route", 0, 1),
    ("arp_accept", 0, 0),
    ("arp_announce", 0, 0),
    ("arp_evict_nocarrier", 1, 1),
    ("arp_filter", 0, 0),
    ("arp_ignore", 0, 0),
    ("arp_notify", 0, 0),
    ("bc_forwarding", 0, 0),
    ("bootp_relay", 0, 0),
    ("disable_policy", 0, 0),
    ("disable_xfrm", 0, 0),
    ("drop_gratuitous_arp", 0, 0),
    ("drop_unicast_in_l2_multicast", 0, 0),
    ("force_igmp_version", 0, 0),
    ("forwarding", 0, 0),
    ("igmpv2_unsolicited_report_interval", 10000, 10000),
    ("igmpv3_unsolicited_report_interval", 1000, 1000),
    ("ignore_routes_with_linkdown", 0, 0),
    ("log_martians", 0, 0),
    ("mc_forwarding", 0, 0),
    ("medium_id", 0, 0),
    ("promote_secondaries", 0, 0),
    ("proxy_arp", 0, 0),
    ("proxy_arp_pvlan", 0, 0),
    ("route_localnet", 0, 0),
    ("rp_filter", 0, 0),
    ("secure_redirects", 1, 1),
    ("send_redirects", 1, 1),
    ("shared_media", 1, 1),
    ("src_valid_mark", 0, 0),
    ("tag", 0, 0),
];

/// Index of `forwarding` in [`CONF4`].
pub(crate) const C4_FORWARDING: usize = 16;
const C4_ACCEPT_REDIRECTS: usize = 1;
/// Index of `arp_notify` in [`CONF4`].
pub(crate) const C4_ARP_NOTIFY: usize = 8;
const C4_DISABLE_POLICY: usize = 11;
const C4_DISABLE_XFRM: usize = 12;
const C4_MC_FORWARDING: usize = 21;
/// Index of `promote_secondaries` in [`CONF4`].
pub(crate) const C4_PROMOTE_SECONDARIES: usize = 23;
/// Index of `send_redirects` in [`CONF4`].
pub(crate) const C4_SEND_REDIRECTS: usize = 29;

/// IPv6 per-interface settings modelled (`DEVCONF_*`), sorted: the name, its value in `all`,
/// in `default`. The router solicitation ones are in seconds, the MLD interval in ms.
const CONF6: &[(&str, i64, i64)] = &[
    ("accept_dad", 0, 1),
    ("accept_ra", 1, 1),
    ("dad_transmits", 1, 1),
    ("disable_ipv6", 0, 0),
    ("enhanced_dad", 1, 1),
    ("forwarding", 0, 0),
    ("mldv2_unsolicited_report_interval", 1000, 1000),
    ("router_solicitation_delay", 1, 1),
    ("router_solicitation_interval", 4, 4),
    ("router_solicitation_max_interval", 3600, 3600),
    ("router_solicitations", -1, -1),
];

pub(crate) const C6_ACCEPT_DAD: usize = 0;
pub(crate) const C6_ACCEPT_RA: usize = 1;
pub(crate) const C6_DAD_TRANSMITS: usize = 2;
/// Index of `disable_ipv6` in [`CONF6`].
pub(crate) const C6_DISABLE_IPV6: usize = 3;
pub(crate) const C6_ENHANCED_DAD: usize = 4;
pub(crate) const C6_FORWARDING: usize = 5;
pub(crate) const C6_MLDV2_INTERVAL: usize = 6;
pub(crate) const C6_RTR_SOLICIT_DELAY: usize = 7;
pub(crate) const C6_RTR_SOLICIT_INTERVAL: usize = 8;
pub(crate) const C6_RTR_SOLICIT_MAX_INTERVAL: usize = 9;
pub(crate) const C6_RTR_SOLICITS: usize = 10;

/// Neighbour parameters (`NEIGH_VAR_*`), sorted: name and the ARP table's default, in the
/// unit the file shows. `base_reachable_time` and `retrans_time` are the deprecated views of
/// the `_ms` ones (seconds and 1/100 s), which `sysctl -a` skips.
const NEIGH: &[(&str, i64)] = &[
    ("anycast_delay", 100),
    ("app_solicit", 0),
    ("base_reachable_time", 30),
    ("base_reachable_time_ms", 30_000),
    ("delay_first_probe_time", 5),
    ("gc_stale_time", 60),
    ("interval_probe_time_ms", 5000),
    ("locktime", 100),
    ("mcast_resolicit", 0),
    ("mcast_solicit", 3),
    ("proxy_delay", 80),
    ("proxy_qlen", 64),
    ("retrans_time", 100),
    ("retrans_time_ms", 1000),
    ("ucast_solicit", 3),
    ("unres_qlen", 101),
    ("unres_qlen_bytes", 212_992),
];

const N_BASE_REACHABLE: usize = 2;
pub(crate) const N_BASE_REACHABLE_MS: usize = 3;
pub(crate) const N_APP_SOLICIT: usize = 1;
pub(crate) const N_DELAY_FIRST_PROBE: usize = 4;
pub(crate) const N_GC_STALE: usize = 5;
pub(crate) const N_MCAST_RESOLICIT: usize = 8;
pub(crate) const N_MCAST_SOLICIT: usize = 9;
const N_RETRANS: usize = 12;
pub(crate) const N_RETRANS_MS: usize = 13;
pub(crate) const N_UCAST_SOLICIT: usize = 14;

/// Namespace-wide integer settings, sorted by key: key, default, allowed range.
const GLOBAL: &[(&str, i64, i64, i64)] = &[
    ("net.ipv4.icmp_echo_ignore_all", 0, 0, 1),
    ("net.ipv4.icmp_echo_ignore_broadcasts", 1, 0, 1),
    ("net.ipv4.icmp_ratelimit", 1000, 0, i32::MAX as i64),
    (
        "net.ipv4.icmp_ratemask",
        6168,
        i32::MIN as i64,
        i32::MAX as i64,
    ),
    ("net.ipv4.ip_default_ttl", 64, 1, 255),
    ("net.ipv4.ip_forward_update_priority", 1, 0, 1),
    ("net.ipv4.ip_forward_use_pmtu", 0, 0, 1),
];

/// Per-namespace settings.
#[derive(Clone, Debug)]
pub(crate) struct Sysctl {
    pub ip_default_ttl: i64,
    pub icmp_echo_ignore_all: i64,
    pub icmp_echo_ignore_broadcasts: i64,
    pub icmp_ratelimit: i64,
    pub icmp_ratemask: i64,
    pub ip_forward_update_priority: i64,
    pub ip_forward_use_pmtu: i64,
    pub ip_local_port_range: (i64, i64),
    /// `ping_group_range`: by default no group may open ICMP datagram sockets.
    pub ping_group_range: (i64, i64),
    /// `net.ipv4.conf.all.*` (its `forwarding` is `net.ipv4.ip_forward`) and `.default.*`.
    pub conf4_all: Vec<i64>,
    pub conf4_dflt: Vec<i64>,
    pub conf6_all: Vec<i64>,
    pub conf6_dflt: Vec<i64>,
    /// The randomised reachable time derived from `base_reachable_time_ms`
    /// (`neigh_rand_reach_time`), shared by the namespace's ARP entries.
    pub reachable_time: Duration,
}

impl Sysctl {
    pub fn new(reachable_time: Duration) -> Self {
        Sysctl {
            ip_default_ttl: 64,
            icmp_echo_ignore_all: 0,
            icmp_echo_ignore_broadcasts: 1,
            icmp_ratelimit: 1000,
            icmp_ratemask: 6168,
            ip_forward_update_priority: 1,
            ip_forward_use_pmtu: 0,
            ip_local_port_range: (32768, 60999),
            ping_group_range: (1, 0),
            conf4_all: CONF4.iter().map(|c| c.1).collect(),
            conf4_dflt: CONF4.iter().map(|c| c.2).collect(),
            conf6_all: CONF6.iter().map(|c| c.1).collect(),
            conf6_dflt: CONF6.iter().map(|c| c.2).collect(),
            reachable_time,
        }
    }

    /// `neigh_rand_reach_time` of the default base (30 s): uniform in [15 s, 45 s).
    pub fn random_reachable_time(rng: &mut Rng) -> Duration {
        random_reach_time(Duration::from_secs(30), rng)
    }

    /// `net.ipv4.ip_forward`, the same value as `net.ipv4.conf.all.forwarding`.
    pub fn ip_forward(&self) -> i64 {
        self.conf4_all[C4_FORWARDING]
    }

    fn global_get(&self, key: &str) -> Option<i64> {
        Some(match key {
            "net.ipv4.icmp_echo_ignore_all" => self.icmp_echo_ignore_all,
            "net.ipv4.icmp_echo_ignore_broadcasts" => self.icmp_echo_ignore_broadcasts,
            "net.ipv4.icmp_ratelimit" => self.icmp_ratelimit,
            "net.ipv4.icmp_ratemask" => self.icmp_ratemask,
            "net.ipv4.ip_default_ttl" => self.ip_default_ttl,
            "net.ipv4.ip_forward_update_priority" => self.ip_forward_update_priority,
            "net.ipv4.ip_forward_use_pmtu" => self.ip_forward_use_pmtu,
            _ => return None,
        })
    }

    fn global(&mut self, key: &str) -> Option<&mut i64> {
        Some(match key {
            "net.ipv4.icmp_echo_ignore_all" => &mut self.icmp_echo_ignore_all,
            "net.ipv4.icmp_echo_ignore_broadcasts" => &mut self.icmp_echo_ignore_broadcasts,
            "net.ipv4.icmp_ratelimit" => &mut self.icmp_ratelimit,
            "net.ipv4.icmp_ratemask" => &mut self.icmp_ratemask,
            "net.ipv4.ip_default_ttl" => &mut self.ip_default_ttl,
            "net.ipv4.ip_forward_update_priority" => &mut self.ip_forward_update_priority,
            "net.ipv4.ip_forward_use_pmtu" => &mut self.ip_forward_use_pmtu,
            _ => return None,
        })
    }
}

/// `neigh_rand_reach_time`: uniform in [base/2, 3*base/2).
pub(crate) fn random_reach_time(base: Duration, rng: &mut Rng) -> Duration {
    let base = base.as_nanos();
    Duration(rng.range(base / 2, base / 2 + base))
}

/// A device's own settings.
#[derive(Clone, Debug)]
pub(crate) struct DevConf {
    pub conf4: Vec<i64>,
    pub conf6: Vec<i64>,
    pub neigh: Vec<i64>,
    /// The device's randomised reachable time (`neigh_parms.reachable_time`), drawn again
    /// when its `base_reachable_time` is written; until then the namespace's, drawn from the
    /// default base.
    pub reachable_time: Option<Duration>,
}

impl DevConf {
    /// A new device's settings: `default`'s, with the loopback's exceptions
    /// (`disable_policy` and `disable_xfrm`, set by `inetdev_init`; `accept_dad` -1, set by
    /// `ipv6_add_dev`).
    pub fn new(s: &Sysctl, kind: DevKind) -> DevConf {
        let mut conf4 = s.conf4_dflt.clone();
        let mut conf6 = s.conf6_dflt.clone();
        if kind == DevKind::Loopback {
            conf4[C4_DISABLE_POLICY] = 1;
            conf4[C4_DISABLE_XFRM] = 1;
            conf6[C6_ACCEPT_DAD] = -1;
        }
        DevConf {
            conf4,
            conf6,
            neigh: NEIGH.iter().map(|n| n.1).collect(),
            reachable_time: None,
        }
    }

    /// A neighbour parameter in milliseconds or as a count.
    pub fn neigh_ms(&self, i: usize) -> Duration {
        let v = self.neigh[i].max(0) as u64;
        match i {
            N_DELAY_FIRST_PROBE | N_GC_STALE => Duration::from_millis(v * 1000),
            _ => Duration::from_millis(v),
        }
    }
}

/// Which setting a key names.
enum Key<'a> {
    Global(&'a str),
    IpForward,
    PortRange,
    PingGroupRange,
    Conf4(Scope<'a>, usize),
    Conf6(Scope<'a>, usize),
    Neigh(&'a str, usize),
}

enum Scope<'a> {
    All,
    Default,
    Dev(&'a str),
}

fn parse_key(key: &str) -> Option<Key<'_>> {
    match key {
        "net.ipv4.ip_forward" => return Some(Key::IpForward),
        "net.ipv4.ip_local_port_range" => return Some(Key::PortRange),
        "net.ipv4.ping_group_range" => return Some(Key::PingGroupRange),
        _ => {}
    }
    if GLOBAL.iter().any(|g| g.0 == key) {
        return Some(Key::Global(key));
    }
    let scope = |s| match s {
        "all" => Scope::All,
        "default" => Scope::Default,
        d => Scope::Dev(d),
    };
    if let Some(rest) = key.strip_prefix("net.ipv4.conf.") {
        let (dev, name) = rest.rsplit_once('.')?;
        let i = CONF4.iter().position(|c| c.0 == name)?;
        return Some(Key::Conf4(scope(dev), i));
    }
    if let Some(rest) = key.strip_prefix("net.ipv6.conf.") {
        let (dev, name) = rest.rsplit_once('.')?;
        let i = CONF6.iter().position(|c| c.0 == name)?;
        return Some(Key::Conf6(scope(dev), i));
    }
    if let Some(rest) = key.strip_prefix("net.ipv4.neigh.") {
        let (dev, name) = rest.rsplit_once('.')?;
        let i = NEIGH.iter().position(|c| c.0 == name)?;
        return Some(Key::Neigh(dev, i));
    }
    None
}

impl Kernel {
    fn dev_named(&self, ns: NsId, name: &str) -> Option<DevId> {
        self.net_opt(ns)?
            .devs
            .values()
            .copied()
            .find(|d| self.dev(*d).name == name)
    }

    /// Reads a sysctl of `ns` as its file shows it (without the newline).
    pub fn sysctl_get(&self, ns: NsId, key: &str) -> Result<String, Errno> {
        let net = self.net_opt(ns).ok_or(Errno::ENOENT)?;
        let s = &net.sysctl;
        let dev = |name| self.dev_named(ns, name).ok_or(Errno::ENOENT);
        let v = match parse_key(key).ok_or(Errno::ENOENT)? {
            Key::IpForward => s.ip_forward(),
            Key::Global(k) => s.global_get(k).ok_or(Errno::ENOENT)?,
            Key::PortRange => {
                let (a, b) = s.ip_local_port_range;
                return Ok(format!("{a}\t{b}"));
            }
            Key::PingGroupRange => {
                let (a, b) = s.ping_group_range;
                return Ok(format!("{a}\t{b}"));
            }
            Key::Conf4(Scope::All, i) => s.conf4_all[i],
            Key::Conf4(Scope::Default, i) => s.conf4_dflt[i],
            Key::Conf4(Scope::Dev(d), i) => self.dev(dev(d)?).conf.conf4[i],
            Key::Conf6(Scope::All, i) => s.conf6_all[i],
            Key::Conf6(Scope::Default, i) => s.conf6_dflt[i],
            Key::Conf6(Scope::Dev(d), i) => self.dev(dev(d)?).conf.conf6[i],
            Key::Neigh(d, i) => self.dev(dev(d)?).conf.neigh[i],
        };
        Ok(v.to_string())
    }

    /// Writes a sysctl from the text written to its file; `EINVAL` for a value the kernel
    /// refuses.
    pub fn sysctl_set(
        &mut self,
        ns: NsId,
        key: &str,
        value: &str,
        env: &mut dyn crate::Env,
    ) -> Result<(), Errno> {
        if !self.ns_alive(ns) {
            return Err(Errno::ENOENT);
        }
        let k = parse_key(key).ok_or(Errno::ENOENT)?;
        let dev = |k: &Kernel, name| k.dev_named(ns, name).ok_or(Errno::ENOENT);
        // Check the file exists before parsing what is written to it.
        match &k {
            Key::Conf4(Scope::Dev(d), _) | Key::Conf6(Scope::Dev(d), _) | Key::Neigh(d, _) => {
                dev(self, d)?;
            }
            _ => {}
        }
        let pair = || {
            let mut it = value.split_whitespace().map(parse_int);
            match (it.next(), it.next(), it.next()) {
                (Some(Ok(a)), Some(Ok(b)), None) => Ok((a, b)),
                _ => Err(Errno::EINVAL),
            }
        };
        match k {
            Key::PortRange => {
                let (a, b) = pair()?;
                if !(1..=65535).contains(&a) || !(1..=65535).contains(&b) || a > b {
                    return Err(Errno::EINVAL);
                }
                self.net_mut(ns).sysctl.ip_local_port_range = (a, b);
                return Ok(());
            }
            Key::PingGroupRange => {
                // `ipv4_ping_group_range`: two gids; a high one below the low one lets no
                // group open ICMP datagram sockets.
                let (a, b) = pair()?;
                let gid = 0..=i64::from(u32::MAX - 1);
                if !gid.contains(&a) || !gid.contains(&b) {
                    return Err(Errno::EINVAL);
                }
                self.net_mut(ns).sysctl.ping_group_range = (a, b);
                return Ok(());
            }
            _ => {}
        }
        let v = parse_int(value.trim())?;
        match k {
            Key::Global(key) => {
                let (_, _, lo, hi) = GLOBAL.iter().find(|g| g.0 == key).ok_or(Errno::ENOENT)?;
                if !(*lo..=*hi).contains(&v) {
                    return Err(Errno::EINVAL);
                }
                *self.net_mut(ns).sysctl.global(key).ok_or(Errno::ENOENT)? = v;
            }
            Key::IpForward | Key::Conf4(Scope::All, C4_FORWARDING) => {
                self.inet_forward_change(ns, v);
            }
            Key::Conf4(_, C4_MC_FORWARDING) => return Err(Errno::EPERM),
            Key::Conf4(Scope::All, i) => self.net_mut(ns).sysctl.conf4_all[i] = v,
            Key::Conf4(Scope::Default, i) => self.net_mut(ns).sysctl.conf4_dflt[i] = v,
            Key::Conf4(Scope::Dev(d), i) => {
                let d = dev(self, d)?;
                self.dev_mut(d).conf.conf4[i] = v;
            }
            Key::Conf6(scope, i) => self.ipv6_conf_change(ns, scope, i, v, env)?,
            Key::PortRange | Key::PingGroupRange => {}
            Key::Neigh(d, i) => {
                let d = dev(self, d)?;
                let n = &mut self.dev_mut(d).conf.neigh;
                n[i] = v;
                // The deprecated files are views of the millisecond ones.
                match i {
                    N_BASE_REACHABLE => n[N_BASE_REACHABLE_MS] = v.saturating_mul(1000),
                    N_BASE_REACHABLE_MS => n[N_BASE_REACHABLE] = v / 1000,
                    N_RETRANS => n[N_RETRANS_MS] = v.saturating_mul(10),
                    N_RETRANS_MS => n[N_RETRANS] = v / 10,
                    _ => {}
                }
                // `neigh_proc_base_reachable_time`: a new base draws a new reachable time
                // at once.
                if matches!(i, N_BASE_REACHABLE | N_BASE_REACHABLE_MS) {
                    let base = Duration::from_millis(n[N_BASE_REACHABLE_MS].max(0) as u64);
                    let rt = random_reach_time(base, env.rng());
                    self.dev_mut(d).conf.reachable_time = Some(rt);
                }
            }
        }
        Ok(())
    }

    /// Writing `ip_forward` or `conf.all.forwarding` (`inet_forward_change`): `default` and
    /// every device follow, and `conf.all.accept_redirects` becomes its opposite (a router
    /// does not take redirects).
    fn inet_forward_change(&mut self, ns: NsId, on: i64) {
        let s = &mut self.net_mut(ns).sysctl;
        s.conf4_all[C4_FORWARDING] = on;
        s.conf4_all[C4_ACCEPT_REDIRECTS] = i64::from(on == 0);
        s.conf4_dflt[C4_FORWARDING] = on;
        let devs: Vec<DevId> = self.net(ns).devs.values().copied().collect();
        for d in devs {
            self.dev_mut(d).conf.conf4[C4_FORWARDING] = on;
        }
    }

    /// Writing `net.ipv6.conf.*`: `all` sets `default` and every device as well
    /// (`addrconf_disable_change`, `addrconf_fixup_forwarding`); a device whose IPv6 is
    /// turned off loses its addresses, one turned on starts again as a link coming up.
    fn ipv6_conf_change(
        &mut self,
        ns: NsId,
        scope: Scope<'_>,
        i: usize,
        v: i64,
        env: &mut dyn crate::Env,
    ) -> Result<(), Errno> {
        let targets: Vec<DevId> = match scope {
            Scope::Default => {
                self.net_mut(ns).sysctl.conf6_dflt[i] = v;
                return Ok(());
            }
            Scope::All => {
                let s = &mut self.net_mut(ns).sysctl;
                s.conf6_all[i] = v;
                s.conf6_dflt[i] = v;
                self.net(ns).devs.values().copied().collect()
            }
            Scope::Dev(d) => vec![self.dev_named(ns, d).ok_or(Errno::ENOENT)?],
        };
        for d in targets {
            let old = self.dev(d).conf.conf6[i];
            self.dev_mut(d).conf.conf6[i] = v;
            match i {
                C6_DISABLE_IPV6 => self.ipv6_enable_change(d, v == 0, env),
                C6_FORWARDING if (old != 0) != (v != 0) => self.dev_forward_change(d, env),
                _ => {}
            }
        }
        Ok(())
    }

    /// Every sysctl key of `ns`, sorted as `sysctl -a` lists them.
    pub fn sysctl_keys(&self, ns: NsId) -> Vec<String> {
        let Some(net) = self.net_opt(ns) else {
            return Vec::new();
        };
        let mut names: Vec<String> = vec!["all".into(), "default".into()];
        let mut devs: Vec<String> = net
            .devs
            .values()
            .map(|d| self.dev(*d).name.clone())
            .collect();
        devs.sort();
        names.extend(devs.iter().cloned());
        let mut keys: Vec<String> = GLOBAL.iter().map(|g| g.0.to_string()).collect();
        keys.extend(
            [
                "net.ipv4.ip_forward",
                "net.ipv4.ip_local_port_range",
                "net.ipv4.ping_group_range",
            ]
            .map(String::from),
        );
        for n in &names {
            keys.extend(CONF4.iter().map(|c| format!("net.ipv4.conf.{n}.{}", c.0)));
            keys.extend(CONF6.iter().map(|c| format!("net.ipv6.conf.{n}.{}", c.0)));
        }
        for n in &devs {
            keys.extend(NEIGH.iter().map(|c| format!("net.ipv4.neigh.{n}.{}", c.0)));
        }
        keys.sort();
        keys
    }
}

/// Parses an integer as `proc_dointvec` does (leading whitespace, optional sign).
fn parse_int(s: &str) -> Result<i64, Errno> {
    let t = s.trim_start();
    let end = t
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && (*c == '-' || *c == '+'))))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    let (num, rest) = t.split_at(end);
    if !rest.trim().is_empty() {
        return Err(Errno::EINVAL);
    }
    let v = num.parse::<i64>().map_err(|_| Errno::EINVAL)?;
    // An `int` file refuses what does not fit.
    if i32::try_from(v).is_err() {
        return Err(Errno::EINVAL);
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_indexed() {
        assert!(CONF4.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(NEIGH.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(CONF4[C4_FORWARDING].0, "forwarding");
        assert_eq!(CONF4[C4_ACCEPT_REDIRECTS].0, "accept_redirects");
        assert_eq!(CONF4[C4_ARP_NOTIFY].0, "arp_notify");
        assert_eq!(CONF4[C4_DISABLE_POLICY].0, "disable_policy");
        assert_eq!(CONF4[C4_DISABLE_XFRM].0, "disable_xfrm");
        assert_eq!(CONF4[C4_MC_FORWARDING].0, "mc_forwarding");
        assert_eq!(CONF4[C4_PROMOTE_SECONDARIES].0, "promote_secondaries");
        assert_eq!(CONF4[C4_SEND_REDIRECTS].0, "send_redirects");
        assert!(CONF6.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(CONF6[C6_ACCEPT_DAD].0, "accept_dad");
        assert_eq!(CONF6[C6_ACCEPT_RA].0, "accept_ra");
        assert_eq!(CONF6[C6_DAD_TRANSMITS].0, "dad_transmits");
        assert_eq!(CONF6[C6_DISABLE_IPV6].0, "disable_ipv6");
        assert_eq!(CONF6[C6_ENHANCED_DAD].0, "enhanced_dad");
        assert_eq!(CONF6[C6_FORWARDING].0, "forwarding");
        assert_eq!(
            CONF6[C6_MLDV2_INTERVAL].0,
            "mldv2_unsolicited_report_interval"
        );
        assert_eq!(CONF6[C6_RTR_SOLICIT_DELAY].0, "router_solicitation_delay");
        assert_eq!(
            CONF6[C6_RTR_SOLICIT_INTERVAL].0,
            "router_solicitation_interval"
        );
        assert_eq!(
            CONF6[C6_RTR_SOLICIT_MAX_INTERVAL].0,
            "router_solicitation_max_interval"
        );
        assert_eq!(CONF6[C6_RTR_SOLICITS].0, "router_solicitations");
        assert_eq!(NEIGH[N_BASE_REACHABLE].0, "base_reachable_time");
        assert_eq!(NEIGH[N_BASE_REACHABLE_MS].0, "base_reachable_time_ms");
        assert_eq!(NEIGH[N_DELAY_FIRST_PROBE].0, "delay_first_probe_time");
        assert_eq!(NEIGH[N_GC_STALE].0, "gc_stale_time");
        assert_eq!(NEIGH[N_MCAST_SOLICIT].0, "mcast_solicit");
        assert_eq!(NEIGH[N_MCAST_RESOLICIT].0, "mcast_resolicit");
        assert_eq!(NEIGH[N_APP_SOLICIT].0, "app_solicit");
        assert_eq!(NEIGH[N_RETRANS].0, "retrans_time");
        assert_eq!(NEIGH[N_RETRANS_MS].0, "retrans_time_ms");
        assert_eq!(NEIGH[N_UCAST_SOLICIT].0, "ucast_solicit");
    }

    #[test]
    fn integers_as_proc_dointvec_reads_them() {
        assert_eq!(parse_int(" 1\n"), Ok(1));
        assert_eq!(parse_int("-1"), Ok(-1));
        assert_eq!(parse_int("yes"), Err(Errno::EINVAL));
        assert_eq!(parse_int("4294967296"), Err(Errno::EINVAL));
    }
}
