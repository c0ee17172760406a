//! Neighbour discovery messages a link sends by itself (RFC 4861, net/ipv6/ndisc.c): the
//! neighbour solicitation of duplicate address detection and router solicitations; and the
//! IPv6 input of a host that does not route IPv6 yet.
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
/// Option types (RFC 4861 section 4.6, RFC 7527).
const ND_OPT_SOURCE_LL_ADDR: u8 = 1;
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

    /// An IPv6 frame arrived (`ipv6_rcv`). IPv6 carries no traffic in this model yet: what
    /// a neighbour sends by itself (its DAD, MLD reports, router solicitations) is counted
    /// by the device and dropped here, as a host that is no router and has no listener
    /// ignores it.
    pub(crate) fn ipv6_rcv(&mut self, _dev: DevId, frame: Vec<u8>, _env: &mut dyn Env) {
        self.free_frame(frame);
    }
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
