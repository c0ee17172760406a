//! Neighbour discovery messages a link sends by itself (RFC 4861, net/ipv6/ndisc.c): the
//! neighbour solicitation of duplicate address detection and router solicitations; and the
//! IPv6 input of a host that does not route IPv6 yet, which takes part in duplicate address
//! detection only: a solicitation from `::` or an advertisement for a tentative address of
//! ours fails its DAD; a solicitation from `::` for a valid one is answered with an
//! advertisement to all nodes, defending it (RFC 4862 section 5.4.3).
//!
//! Both go out with hop limit 255 (RFC 4861 section 7.1.1 makes receivers check it), traffic
//! class and flow label 0. A DAD solicitation comes from `::` to the tentative address's
//! solicited-node group, asks for the address itself, and carries no source link-layer
//! option (RFC 4862 section 5.4.2) but a nonce option (RFC 7527). A router solicitation goes
//! from the link-local address to `ff02::2` with the source link-layer address option.

use std::net::Ipv6Addr;

use crate::core::{DevId, Env, Kernel};
use crate::mld::{solicited_node, LINKLOCAL_ALLROUTERS};
use crate::wire::{self, ETH_HLEN, ETH_P_IPV6, IPPROTO_ICMPV6, IPV6_HLEN};

pub const NDISC_ROUTER_SOLICITATION: u8 = 133;
pub const NDISC_NEIGHBOUR_SOLICITATION: u8 = 135;
pub const NDISC_NEIGHBOUR_ADVERTISEMENT: u8 = 136;
/// Option types (RFC 4861 section 4.6, RFC 7527).
const ND_OPT_SOURCE_LL_ADDR: u8 = 1;
const ND_OPT_TARGET_LL_ADDR: u8 = 2;
/// Neighbour advertisement flags (RFC 4861 section 4.4).
const NA_ROUTER: u8 = 0x80;
const NA_OVERRIDE: u8 = 0x20;
const ND_OPT_NONCE: u8 = 14;

impl Kernel {
    /// `ndisc_send_ns` for duplicate address detection of `target`.
    pub(crate) fn ndisc_send_ns_dad(
        &mut self,
        d: DevId,
        target: Ipv6Addr,
        nonce: [u8; 6],
        env: &mut dyn Env,
    ) {
        let mac = self.dev(d).mac;
        let len = if nonce == [0; 6] { 24 } else { 32 };
        let mut f = self.alloc_frame(ETH_HLEN + IPV6_HLEN + len);
        build_ns_dad(&mut f, mac, target, nonce);
        self.dev_xmit(d, f, env);
    }

    /// `ndisc_send_rs` from the link-local address `src` to all routers.
    pub(crate) fn ndisc_send_rs(&mut self, d: DevId, src: Ipv6Addr, env: &mut dyn Env) {
        let mac = self.dev(d).mac;
        let mut f = self.alloc_frame(ETH_HLEN + IPV6_HLEN + 16);
        build_rs(&mut f, mac, src);
        self.dev_xmit(d, f, env);
    }

    /// An IPv6 frame arrived (`ipv6_rcv`, `icmpv6_rcv`, `ndisc_rcv`). IPv6 carries no
    /// traffic in this model yet: of what a neighbour sends by itself, its DAD
    /// solicitations and advertisements are looked at; the rest (MLD reports, router
    /// solicitations) is counted by the device and dropped, as a host that is no router and
    /// has no listener ignores it.
    pub(crate) fn ipv6_rcv(&mut self, dev: DevId, frame: Vec<u8>, env: &mut dyn Env) {
        let msg = parse_nd(&frame[ETH_HLEN.min(frame.len())..]);
        self.free_frame(frame);
        match msg {
            Some(Nd::Ns { src, target, nonce }) if src.is_unspecified() => {
                self.ndisc_recv_ns_dad(dev, target, nonce, env)
            }
            // `ndisc_recv_na`: someone advertises our tentative address.
            Some(Nd::Na { target }) if self.tentative_nonce(dev, target).is_some() => {
                self.addrconf_dad_failure(dev, env)
            }
            _ => {}
        }
    }

    /// `ndisc_recv_ns` of a DAD solicitation for `target`.
    fn ndisc_recv_ns_dad(
        &mut self,
        dev: DevId,
        target: Ipv6Addr,
        nonce: [u8; 6],
        env: &mut dyn Env,
    ) {
        if let Some(ours) = self.tentative_nonce(dev, target) {
            // Our own solicitation come back (RFC 7527) is no collision.
            if nonce != [0; 6] && nonce == ours {
                return;
            }
            self.addrconf_dad_failure(dev, env);
            return;
        }
        let valid = self.dev(dev).in6.lladdr() == Some(target);
        if valid {
            let router = self.dev(dev).conf.conf6[crate::sysctl::C6_FORWARDING] != 0;
            let mac = self.dev(dev).mac;
            let mut f = self.alloc_frame(ETH_HLEN + IPV6_HLEN + 32);
            build_na_defend(&mut f, mac, target, router);
            self.dev_xmit(dev, f, env);
        }
    }
}

/// What the DAD part of neighbour discovery reads of a message.
#[derive(Debug, PartialEq)]
enum Nd {
    Ns {
        src: Ipv6Addr,
        target: Ipv6Addr,
        nonce: [u8; 6],
    },
    Na {
        target: Ipv6Addr,
    },
}

/// Parses a neighbour solicitation or advertisement (the IPv6 packet after the Ethernet
/// header), checked as `ndisc_rcv` checks them: ICMPv6 right after the IPv6 header, a good
/// checksum, hop limit 255, code 0, a target that is not multicast; a DAD solicitation goes
/// to a solicited-node group, and an advertisement to a group is not solicited.
fn parse_nd(ip: &[u8]) -> Option<Nd> {
    if ip.len() < IPV6_HLEN || ip[0] >> 4 != 6 {
        return None;
    }
    let plen = usize::from(wire::be16(ip, 4));
    if ip[6] != IPPROTO_ICMPV6 || ip[7] != 255 || ip.len() < IPV6_HLEN + plen || plen < 24 {
        return None;
    }
    let src = addr_at(ip, 8)?;
    let dst = addr_at(ip, 24)?;
    let icmp = &ip[IPV6_HLEN..IPV6_HLEN + plen];
    if icmp[1] != 0 || wire::icmpv6_checksum(src, dst, icmp) != 0 {
        return None;
    }
    let target = addr_at(icmp, 8)?;
    if target.is_multicast() {
        return None;
    }
    match icmp[0] {
        NDISC_NEIGHBOUR_SOLICITATION => {
            if src.is_unspecified() && dst != solicited_node(target) {
                return None;
            }
            let mut nonce = [0u8; 6];
            let mut opts = &icmp[24..];
            while opts.len() >= 8 {
                let len = usize::from(opts[1]) * 8;
                if len == 0 || len > opts.len() {
                    return None;
                }
                if opts[0] == ND_OPT_NONCE && len == 8 {
                    nonce.copy_from_slice(&opts[2..8]);
                }
                opts = &opts[len..];
            }
            Some(Nd::Ns { src, target, nonce })
        }
        NDISC_NEIGHBOUR_ADVERTISEMENT => {
            if dst.is_multicast() && icmp[4] & 0x40 != 0 {
                return None;
            }
            Some(Nd::Na { target })
        }
        _ => None,
    }
}

fn addr_at(b: &[u8], at: usize) -> Option<Ipv6Addr> {
    let o: [u8; 16] = b.get(at..at + 16)?.try_into().ok()?;
    Some(Ipv6Addr::from(o))
}

/// Writes the advertisement that defends `target` against another node's DAD
/// (`ndisc_send_na` to all nodes: not solicited, override, the target link-layer address;
/// the router flag on a router) into `f` (86 bytes).
pub(crate) fn build_na_defend(f: &mut [u8], mac: [u8; 6], target: Ipv6Addr, router: bool) {
    let dst = crate::mld::LINKLOCAL_ALLNODES;
    wire::eth_header(f, wire::ipv6_mc_mac(dst), mac, ETH_P_IPV6);
    let ip = &mut f[ETH_HLEN..];
    wire::ipv6_header(ip, 32, IPPROTO_ICMPV6, 255, target, dst);
    let icmp = &mut ip[IPV6_HLEN..IPV6_HLEN + 32];
    icmp[0] = NDISC_NEIGHBOUR_ADVERTISEMENT;
    icmp[1..8].fill(0);
    icmp[4] = NA_OVERRIDE | if router { NA_ROUTER } else { 0 };
    icmp[8..24].copy_from_slice(&target.octets());
    icmp[24] = ND_OPT_TARGET_LL_ADDR;
    icmp[25] = 1;
    icmp[26..32].copy_from_slice(&mac);
    let c = wire::icmpv6_checksum(target, dst, icmp);
    wire::put16(icmp, 2, c);
}

/// Writes a DAD neighbour solicitation for `target` into `f` (sized for it: 78 bytes, or 86
/// with a nonce).
pub(crate) fn build_ns_dad(f: &mut [u8], mac: [u8; 6], target: Ipv6Addr, nonce: [u8; 6]) {
    let group = solicited_node(target);
    let with_nonce = nonce != [0; 6];
    let len = if with_nonce { 32 } else { 24 };
    wire::eth_header(f, wire::ipv6_mc_mac(group), mac, ETH_P_IPV6);
    let ip = &mut f[ETH_HLEN..];
    let src = Ipv6Addr::UNSPECIFIED;
    wire::ipv6_header(ip, len as u16, IPPROTO_ICMPV6, 255, src, group);
    let icmp = &mut ip[IPV6_HLEN..IPV6_HLEN + len];
    icmp[0] = NDISC_NEIGHBOUR_SOLICITATION;
    icmp[1..8].fill(0);
    icmp[8..24].copy_from_slice(&target.octets());
    if with_nonce {
        icmp[24] = ND_OPT_NONCE;
        icmp[25] = 1;
        icmp[26..32].copy_from_slice(&nonce);
    }
    let c = wire::icmpv6_checksum(src, group, icmp);
    wire::put16(icmp, 2, c);
}

/// Writes a router solicitation from `src` into `f` (70 bytes).
pub(crate) fn build_rs(f: &mut [u8], mac: [u8; 6], src: Ipv6Addr) {
    let dst = LINKLOCAL_ALLROUTERS;
    wire::eth_header(f, wire::ipv6_mc_mac(dst), mac, ETH_P_IPV6);
    let ip = &mut f[ETH_HLEN..];
    wire::ipv6_header(ip, 16, IPPROTO_ICMPV6, 255, src, dst);
    let icmp = &mut ip[IPV6_HLEN..IPV6_HLEN + 16];
    icmp[0] = NDISC_ROUTER_SOLICITATION;
    icmp[1..8].fill(0);
    icmp[8] = ND_OPT_SOURCE_LL_ADDR;
    icmp[9] = 1;
    icmp[10..16].copy_from_slice(&mac);
    let c = wire::icmpv6_checksum(src, dst, icmp);
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

    // What Linux 6 sent for fe80::4802:a9ff:fed2:479b (tcpdump -XX).
    #[test]
    fn dad_solicitation_as_linux_sends_it() {
        let want = hex(
            "3333 ffd2 479b 4a02 a9d2 479b 86dd 6000 0000 0020 3aff 0000 0000 0000 0000 0000
             0000 0000 0000 ff02 0000 0000 0000 0000 0001 ffd2 479b 8700 c39e 0000 0000 fe80
             0000 0000 0000 4802 a9ff fed2 479b 0e01 ce29 43cb 17ad",
        );
        let mut f = vec![0; want.len()];
        let target = crate::ops::link_local(MAC);
        build_ns_dad(&mut f, MAC, target, [0xce, 0x29, 0x43, 0xcb, 0x17, 0xad]);
        assert_eq!(f, want);
    }

    #[test]
    fn a_dad_solicitation_parses_back_and_a_corrupt_one_does_not() {
        let target = crate::ops::link_local(MAC);
        let nonce = [1, 2, 3, 4, 5, 6];
        let mut f = vec![0; 86];
        build_ns_dad(&mut f, MAC, target, nonce);
        let src = Ipv6Addr::UNSPECIFIED;
        assert_eq!(parse_nd(&f[14..]), Some(Nd::Ns { src, target, nonce }));
        f[70] ^= 1;
        assert_eq!(parse_nd(&f[14..]), None);
        // Truncated or empty input is no message either.
        assert_eq!(parse_nd(&f[14..40]), None);
        assert_eq!(parse_nd(&[]), None);
    }

    #[test]
    fn no_input_makes_the_parser_panic() {
        // Random bytes, and a valid solicitation cut and corrupted everywhere.
        let mut rng = tsunagi_engine::Rng::new(7);
        for len in 0..200 {
            let mut b = vec![0u8; len];
            for _ in 0..50 {
                rng.fill(&mut b);
                if len > 40 {
                    b[0] = 0x60;
                    b[6] = IPPROTO_ICMPV6;
                    b[7] = 255;
                }
                let _ = parse_nd(&b);
            }
        }
        let mut f = vec![0; 86];
        build_ns_dad(&mut f, MAC, crate::ops::link_local(MAC), [9; 6]);
        for cut in 0..f.len() {
            let _ = parse_nd(&f[14.min(cut)..cut]);
        }
        for i in 14..f.len() {
            for v in [0u8, 1, 0xff] {
                let mut g = f.clone();
                g[i] = v;
                let _ = parse_nd(&g[14..]);
            }
        }
    }

    #[test]
    fn the_defending_advertisement_parses_back() {
        let target = crate::ops::link_local(MAC);
        let mut f = vec![0; 86];
        build_na_defend(&mut f, MAC, target, false);
        assert_eq!(parse_nd(&f[14..]), Some(Nd::Na { target }));
        assert_eq!(f[14 + 40 + 4], 0x20);
    }

    #[test]
    fn router_solicitation_as_linux_sends_it() {
        let want = hex(
            "3333 0000 0002 4a02 a9d2 479b 86dd 6000 0000 0010 3aff fe80 0000 0000 0000 4802
             a9ff fed2 479b ff02 0000 0000 0000 0000 0000 0000 0002 8500 084e 0000 0000 0101
             4a02 a9d2 479b",
        );
        let mut f = vec![0; want.len()];
        build_rs(&mut f, MAC, crate::ops::link_local(MAC));
        assert_eq!(f, want);
    }
}
