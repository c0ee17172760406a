//! Multicast Listener Discovery version 2 as a host sends it (RFC 3810, net/ipv6/mcast.c):
//! the groups a device has joined and the unsolicited reports that announce changes.
//!
//! A device keeps its groups newest first (`mc_list`). Joining a reportable group while the
//! device is up gives it a "filter mode change" count of the robustness variable (2), and
//! schedules a state-change report two jiffies later, then another after a random delay
//! below `mldv2_unsolicited_report_interval` (1 s): each report carries a `CHANGE_TO_EXCLUDE`
//! record (`to_ex { }`) for every group whose count is not exhausted, and a
//! `CHANGE_TO_INCLUDE` record (`to_in { }`, a leave) first for every group left whose leave
//! is still to be told (the "tombs"). When duplicate address detection of the link-local
//! address completes, every group is reported again, twice, from the new address
//! (`mld_send_initial_cr`). The link-local all-nodes group `ff02::1` and groups of a scope
//! below link-local are never reported.
//!
//! Reports go to `ff02::16` with hop limit 1 and a hop-by-hop router alert option (RFC 2711),
//! from the link-local address, or from `::` while it is still tentative. Queries are not
//! answered (no querier sends them in a lab).

use std::net::Ipv6Addr;

use tsunagi_engine::Duration;

use crate::addrconf::{jiffies_below, ms_to_jiffies, In6Timer, JIFFY};
use crate::core::{DevId, Env, Kernel};
use crate::sysctl::C6_MLDV2_INTERVAL;
use crate::wire::{self, ETH_HLEN, ETH_P_IPV6, IPPROTO_HOPOPTS, IPPROTO_ICMPV6, IPV6_HLEN};

pub(crate) const INTERFACELOCAL_ALLNODES: Ipv6Addr = Ipv6Addr::new(0xff01, 0, 0, 0, 0, 0, 0, 1);
pub(crate) const LINKLOCAL_ALLNODES: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
pub(crate) const INTERFACELOCAL_ALLROUTERS: Ipv6Addr = Ipv6Addr::new(0xff01, 0, 0, 0, 0, 0, 0, 2);
pub(crate) const LINKLOCAL_ALLROUTERS: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 2);
pub(crate) const SITELOCAL_ALLROUTERS: Ipv6Addr = Ipv6Addr::new(0xff05, 0, 0, 0, 0, 0, 0, 2);
/// All MLDv2-capable routers: where reports go.
pub(crate) const ALL_MLDV2_ROUTERS: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x16);

/// ICMPv6 type of an MLDv2 report.
pub const ICMPV6_MLD2_REPORT: u8 = 143;
/// MLDv2 record types (RFC 3810 section 5.2.12).
pub const MLD2_CHANGE_TO_INCLUDE: u8 = 3;
pub const MLD2_CHANGE_TO_EXCLUDE: u8 = 4;

/// The robustness variable (`mc_qrv`, RFC 3810 section 9.1): each change is reported this
/// many times.
const MLD_QRV_DEFAULT: u8 = 2;

/// Bytes of one group record without sources.
const GREC_LEN: usize = 20;
/// The hop-by-hop header with its router alert (RFC 2711) and a two-byte pad.
const HBH_RTALERT: [u8; 8] = [IPPROTO_ICMPV6, 0, 5, 2, 0, 0, 1, 0];
/// Bytes before the first record: the hop-by-hop header and the report's own header.
const REPORT_HEAD: usize = HBH_RTALERT.len() + 8;

/// The solicited-node multicast address of `a` (RFC 4291 section 2.7.1).
pub(crate) fn solicited_node(a: Ipv6Addr) -> Ipv6Addr {
    let o = a.octets();
    Ipv6Addr::new(
        0xff02,
        0,
        0,
        0,
        0,
        1,
        0xff00 | u16::from(o[13]),
        u16::from_be_bytes([o[14], o[15]]),
    )
}

/// A group joined on a device, or a group left whose leave is still to be reported
/// (`struct ifmcaddr6`, in EXCLUDE mode with no sources: all a host without multicast
/// sockets joins).
#[derive(Clone, Debug)]
pub(crate) struct McGroup {
    pub addr: Ipv6Addr,
    pub users: u32,
    /// Filter mode change reports still to send (`mca_crcount`).
    pub crcount: u8,
}

impl McGroup {
    pub fn new(addr: Ipv6Addr) -> McGroup {
        McGroup {
            addr,
            users: 1,
            crcount: 0,
        }
    }

    /// Below link-local scope, or a link's all-nodes group: never reported (`MAF_NOREPORT`,
    /// and the scope test of `igmp6_group_added`).
    fn silent(&self) -> bool {
        self.addr.octets()[1] & 0x0f < 2 || self.addr == LINKLOCAL_ALLNODES
    }
}

impl Kernel {
    /// `ipv6_dev_mc_inc`: join `group` on `d` (or count one more user).
    pub(crate) fn ipv6_dev_mc_inc(&mut self, d: DevId, group: Ipv6Addr, env: &mut dyn Env) {
        let in6 = &mut self.dev_mut(d).in6;
        if let Some(g) = in6.mc_list.iter_mut().find(|g| g.addr == group) {
            g.users += 1;
            return;
        }
        in6.mc_list.insert(0, McGroup::new(group));
        // `mld_del_delrec`: a leave not yet reported is forgotten.
        if let Some(i) = in6.mc_tomb.iter().position(|g| g.addr == group) {
            in6.mc_tomb.remove(i);
        }
        self.igmp6_group_added(d, group, env);
    }

    /// `ipv6_dev_mc_dec`: one user less; the last one leaves the group.
    pub(crate) fn ipv6_dev_mc_dec(&mut self, d: DevId, group: Ipv6Addr, env: &mut dyn Env) {
        let in6 = &mut self.dev_mut(d).in6;
        let Some(i) = in6.mc_list.iter().position(|g| g.addr == group) else {
            return;
        };
        in6.mc_list[i].users -= 1;
        if in6.mc_list[i].users == 0 {
            let g = in6.mc_list.remove(i);
            self.igmp6_group_dropped(d, g, env);
        }
    }

    /// `igmp6_group_added`: on a device that is up, a reportable group is announced.
    fn igmp6_group_added(&mut self, d: DevId, group: Ipv6Addr, env: &mut dyn Env) {
        if !self.dev(d).admin_up {
            return;
        }
        let Some(g) = self
            .dev_mut(d)
            .in6
            .mc_list
            .iter_mut()
            .find(|g| g.addr == group)
        else {
            return;
        };
        if g.silent() {
            return;
        }
        g.crcount = MLD_QRV_DEFAULT;
        self.mld_ifc_event(d, env);
    }

    /// `igmp6_group_dropped` and `igmp6_leave_group`: the leave of a reportable group is
    /// kept to be reported (`mld_add_delrec`), newest first.
    fn igmp6_group_dropped(&mut self, d: DevId, mut g: McGroup, env: &mut dyn Env) {
        if g.silent() {
            return;
        }
        g.crcount = MLD_QRV_DEFAULT;
        self.dev_mut(d).in6.mc_tomb.insert(0, g);
        self.mld_ifc_event(d, env);
    }

    /// `mld_ifc_event`: report the change `MLD_QRV_DEFAULT` times, the first in two jiffies.
    fn mld_ifc_event(&mut self, d: DevId, env: &mut dyn Env) {
        self.dev_mut(d).in6.mc_ifc_count = MLD_QRV_DEFAULT;
        self.mld_ifc_start_work(d, 1, env);
    }

    /// `mld_ifc_start_work`: a random delay below `jiffies`, plus two.
    fn mld_ifc_start_work(&mut self, d: DevId, jiffies: u64, env: &mut dyn Env) {
        let after = jiffies_below(env, jiffies) + Duration(2 * JIFFY.0);
        self.in6_timer_set(d, In6Timer::MldIfc, after, env);
    }

    fn unsolicited_report_interval(&self, d: DevId) -> u64 {
        ms_to_jiffies(self.dev(d).conf.conf6[C6_MLDV2_INTERVAL]).max(1)
    }

    /// `mld_ifc_work`: send the state-change report, and schedule the next one. A device
    /// that is down sends nothing: what is pending waits for `ipv6_mc_up`.
    pub(crate) fn mld_ifc_work(&mut self, d: DevId, env: &mut dyn Env) {
        if !self.dev(d).admin_up {
            return;
        }
        self.mld_send_cr(d, env);
        let in6 = &mut self.dev_mut(d).in6;
        if in6.mc_ifc_count > 0 {
            in6.mc_ifc_count -= 1;
            if in6.mc_ifc_count > 0 {
                let j = self.unsolicited_report_interval(d);
                self.mld_ifc_start_work(d, j, env);
            }
        }
    }

    /// `mld_send_cr`: one report with a `to_in` record for each leave still to tell, then a
    /// `to_ex` record for each group whose join is still to tell.
    fn mld_send_cr(&mut self, d: DevId, env: &mut dyn Env) {
        let mut records = Vec::new();
        let in6 = &mut self.dev_mut(d).in6;
        for t in in6.mc_tomb.iter_mut() {
            if t.crcount > 0 {
                records.push((MLD2_CHANGE_TO_INCLUDE, t.addr));
                t.crcount -= 1;
            }
        }
        in6.mc_tomb.retain(|t| t.crcount > 0);
        for g in in6.mc_list.iter_mut() {
            if !g.silent() && g.crcount > 0 {
                records.push((MLD2_CHANGE_TO_EXCLUDE, g.addr));
                g.crcount -= 1;
            }
        }
        self.mld_sendpack(d, &records, env);
    }

    /// `ipv6_mc_up`: the link is (again) ready: every group is announced anew.
    pub(crate) fn ipv6_mc_up(&mut self, d: DevId, env: &mut dyn Env) {
        let groups: Vec<Ipv6Addr> = self.dev(d).in6.mc_list.iter().map(|g| g.addr).collect();
        for g in groups {
            let in6 = &mut self.dev_mut(d).in6;
            if let Some(i) = in6.mc_tomb.iter().position(|t| t.addr == g) {
                in6.mc_tomb.remove(i);
            }
            self.igmp6_group_added(d, g, env);
        }
    }

    /// `ipv6_mc_down`: the device goes down: every group is withdrawn (its leave kept for
    /// the next report) and no report is pending any more.
    pub(crate) fn ipv6_mc_down(&mut self, d: DevId, env: &mut dyn Env) {
        let groups = self.dev(d).in6.mc_list.clone();
        for g in groups {
            self.igmp6_group_dropped(d, g, env);
        }
        self.dev_mut(d).in6.mc_ifc_count = 0;
        self.in6_timer_stop(d, In6Timer::MldIfc, env);
        self.in6_timer_stop(d, In6Timer::MldDad, env);
    }

    /// `ipv6_mc_dad_complete`: the link-local address is valid: report every group from it,
    /// now and once more after a random delay.
    pub(crate) fn ipv6_mc_dad_complete(&mut self, d: DevId, env: &mut dyn Env) {
        self.dev_mut(d).in6.mc_dad_count = MLD_QRV_DEFAULT;
        self.mld_send_initial_cr(d, env);
        self.dev_mut(d).in6.mc_dad_count -= 1;
        if self.dev(d).in6.mc_dad_count > 0 {
            let j = self.unsolicited_report_interval(d);
            let after = jiffies_below(env, j) + Duration(2 * JIFFY.0);
            self.in6_timer_set(d, In6Timer::MldDad, after, env);
        }
    }

    /// `mld_dad_work`.
    pub(crate) fn mld_dad_work(&mut self, d: DevId, env: &mut dyn Env) {
        self.mld_send_initial_cr(d, env);
        let in6 = &mut self.dev_mut(d).in6;
        if in6.mc_dad_count > 0 {
            in6.mc_dad_count -= 1;
            if in6.mc_dad_count > 0 {
                let j = self.unsolicited_report_interval(d);
                let after = jiffies_below(env, j) + Duration(2 * JIFFY.0);
                self.in6_timer_set(d, In6Timer::MldDad, after, env);
            }
        }
    }

    /// `mld_send_initial_cr`: a `to_ex` record for every reportable group.
    fn mld_send_initial_cr(&mut self, d: DevId, env: &mut dyn Env) {
        let records: Vec<(u8, Ipv6Addr)> = self
            .dev(d)
            .in6
            .mc_list
            .iter()
            .filter(|g| !g.silent())
            .map(|g| (MLD2_CHANGE_TO_EXCLUDE, g.addr))
            .collect();
        self.mld_sendpack(d, &records, env);
    }

    /// Sends `records` in as many reports as the device's MTU needs (`mld_sendpack`);
    /// nothing if there are none.
    fn mld_sendpack(&mut self, d: DevId, records: &[(u8, Ipv6Addr)], env: &mut dyn Env) {
        // `ip6_output` drops what a device with IPv6 off would send (a bridge still joins
        // its snoopers' group there).
        if self.dev(d).conf.conf6[crate::sysctl::C6_DISABLE_IPV6] != 0 {
            return;
        }
        let per_packet = (self.dev(d).mtu as usize)
            .saturating_sub(IPV6_HLEN + REPORT_HEAD)
            .max(GREC_LEN)
            / GREC_LEN;
        let src = self.dev(d).in6.lladdr().unwrap_or(Ipv6Addr::UNSPECIFIED);
        let mac = self.dev(d).mac;
        for chunk in records.chunks(per_packet) {
            let mut f =
                self.alloc_frame(ETH_HLEN + IPV6_HLEN + REPORT_HEAD + GREC_LEN * chunk.len());
            build_report(&mut f, mac, src, chunk);
            self.dev_xmit(d, f, env);
        }
    }
}

/// Writes an MLDv2 report frame with `records` (type, group; no sources) into `f`, sized for
/// them.
pub(crate) fn build_report(f: &mut [u8], mac: [u8; 6], src: Ipv6Addr, records: &[(u8, Ipv6Addr)]) {
    wire::eth_header(f, wire::ipv6_mc_mac(ALL_MLDV2_ROUTERS), mac, ETH_P_IPV6);
    let payload = REPORT_HEAD + GREC_LEN * records.len();
    let ip = &mut f[ETH_HLEN..];
    wire::ipv6_header(
        ip,
        payload as u16,
        IPPROTO_HOPOPTS,
        1,
        src,
        ALL_MLDV2_ROUTERS,
    );
    let hbh = &mut ip[IPV6_HLEN..];
    hbh[..8].copy_from_slice(&HBH_RTALERT);
    let icmp = &mut hbh[8..];
    icmp[0] = ICMPV6_MLD2_REPORT;
    icmp[1] = 0;
    icmp[2..6].fill(0);
    wire::put16(icmp, 6, records.len() as u16);
    for (i, (rtype, group)) in records.iter().enumerate() {
        let r = &mut icmp[8 + GREC_LEN * i..8 + GREC_LEN * (i + 1)];
        r[0] = *rtype;
        r[1..4].fill(0);
        r[4..20].copy_from_slice(&group.octets());
    }
    let len = 8 + GREC_LEN * records.len();
    let c = wire::icmpv6_checksum(src, ALL_MLDV2_ROUTERS, &icmp[..len]);
    wire::put16(icmp, 2, c);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    const MAC: [u8; 6] = [0x4a, 0x02, 0xa9, 0xd2, 0x47, 0x9b];

    #[test]
    fn solicited_node_group() {
        let ll: Ipv6Addr = "fe80::4802:a9ff:fed2:479b".parse().unwrap();
        assert_eq!(
            solicited_node(ll),
            "ff02::1:ffd2:479b".parse::<Ipv6Addr>().unwrap()
        );
    }

    // Reports Linux 6 sent for the solicited-node group of fe80::4802:a9ff:fed2:479b while
    // the address was tentative and once it was valid (tcpdump -XX).
    #[test]
    fn report_bytes_as_linux_sends_them() {
        let group: Ipv6Addr = "ff02::1:ffd2:479b".parse().unwrap();
        let want = hex(
            "3333 0000 0016 4a02 a9d2 479b 86dd 6000 0000 0024 0001 0000 0000 0000 0000 0000
             0000 0000 0000 ff02 0000 0000 0000 0000 0000 0000 0016 3a00 0502 0000 0100 8f00
             271d 0000 0001 0400 0000 ff02 0000 0000 0000 0000 0001 ffd2 479b",
        );
        let mut f = vec![0; want.len()];
        build_report(
            &mut f,
            MAC,
            Ipv6Addr::UNSPECIFIED,
            &[(MLD2_CHANGE_TO_EXCLUDE, group)],
        );
        assert_eq!(f, want);

        let ll: Ipv6Addr = "fe80::4802:a9ff:fed2:479b".parse().unwrap();
        let want = hex(
            "3333 0000 0016 4a02 a9d2 479b 86dd 6000 0000 0024 0001 fe80 0000 0000 0000 4802
             a9ff fed2 479b ff02 0000 0000 0000 0000 0000 0000 0016 3a00 0502 0000 0100 8f00
             f02b 0000 0001 0400 0000 ff02 0000 0000 0000 0000 0001 ffd2 479b",
        );
        build_report(&mut f, MAC, ll, &[(MLD2_CHANGE_TO_EXCLUDE, group)]);
        assert_eq!(f, want);
    }

    #[test]
    fn silent_groups() {
        assert!(McGroup::new(LINKLOCAL_ALLNODES).silent());
        assert!(McGroup::new(INTERFACELOCAL_ALLROUTERS).silent());
        assert!(!McGroup::new(LINKLOCAL_ALLROUTERS).silent());
        assert!(!McGroup::new(SITELOCAL_ALLROUTERS).silent());
    }
}
