//! Packet formats the kernel reads and writes: Ethernet II, ARP, IPv4, ICMP, UDP, and the
//! IPv6 header with the ICMPv6 checksum for the neighbour discovery and MLD messages a link
//! sends by itself.
//!
//! Plain functions over byte slices: the kernel rewrites frames in place on the forwarding
//! path (TTL, checksum, MAC addresses), so it works on the bytes directly. References:
//! RFC 894 (Ethernet), RFC 826 (ARP), RFC 791 (IPv4), RFC 792 (ICMP), RFC 768 (UDP),
//! RFC 1071 and RFC 1624 (checksums), RFC 8200 (IPv6), RFC 4443 (ICMPv6).

use std::net::{Ipv4Addr, Ipv6Addr};

pub const ETH_HLEN: usize = 14;
pub const ETH_P_IP: u16 = 0x0800;
pub const ETH_P_ARP: u16 = 0x0806;
pub const ETH_P_IPV6: u16 = 0x86dd;
pub const BROADCAST_MAC: [u8; 6] = [0xff; 6];

pub const IPPROTO_ICMP: u8 = 1;
pub const IPPROTO_TCP: u8 = 6;
pub const IPPROTO_UDP: u8 = 17;
pub const IPPROTO_HOPOPTS: u8 = 0;
pub const IPPROTO_ICMPV6: u8 = 58;

/// Length of the fixed IPv6 header.
pub const IPV6_HLEN: usize = 40;

pub const ICMP_ECHOREPLY: u8 = 0;
pub const ICMP_DEST_UNREACH: u8 = 3;
pub const ICMP_REDIRECT: u8 = 5;
pub const ICMP_ECHO: u8 = 8;
pub const ICMP_TIME_EXCEEDED: u8 = 11;
pub const ICMP_PARAMETERPROB: u8 = 12;

pub const ICMP_NET_UNREACH: u8 = 0;
pub const ICMP_HOST_UNREACH: u8 = 1;
pub const ICMP_PROT_UNREACH: u8 = 2;
pub const ICMP_PORT_UNREACH: u8 = 3;
pub const ICMP_FRAG_NEEDED: u8 = 4;
pub const ICMP_PKT_FILTERED: u8 = 13;

pub const ARPOP_REQUEST: u16 = 1;
pub const ARPOP_REPLY: u16 = 2;
pub const ARP_LEN: usize = 28;

pub fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

pub fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_be_bytes());
}

pub fn ip4(b: &[u8], at: usize) -> Ipv4Addr {
    Ipv4Addr::new(b[at], b[at + 1], b[at + 2], b[at + 3])
}

pub fn mac(b: &[u8], at: usize) -> [u8; 6] {
    let mut m = [0u8; 6];
    m.copy_from_slice(&b[at..at + 6]);
    m
}

/// The Internet checksum (RFC 1071) of `data`, folded and complemented.
pub fn checksum(data: &[u8]) -> u16 {
    !fold(sum(data, 0))
}

/// The one's complement sum of `data` as 16-bit big-endian words, added to `acc`, unfolded.
/// It adds 32-bit words into a 64-bit accumulator: since 2^16 ≡ 1 modulo 2^16 − 1, folding
/// that sum gives the same result as adding 16-bit words (RFC 1071, section 2).
fn sum(data: &[u8], mut acc: u64) -> u64 {
    let mut words = data.chunks_exact(4);
    for w in &mut words {
        acc += u64::from(u32::from_be_bytes([w[0], w[1], w[2], w[3]]));
    }
    let mut rest = words.remainder().chunks_exact(2);
    for c in &mut rest {
        acc += u64::from(u16::from_be_bytes([c[0], c[1]]));
    }
    if let [last] = rest.remainder() {
        acc += u64::from(*last) << 8;
    }
    acc
}

/// True if an IPv4 header's checksum is right (`ip_fast_csum(iph, ihl) == 0`). The one's
/// complement sum is the same in either byte order, so the words are added as they lie in
/// memory; the common 20-byte header is summed without a loop.
fn header_sum_ok(h: &[u8]) -> bool {
    let word = |i: usize| u64::from(u32::from_ne_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]));
    let acc = if let Ok(h20) = <&[u8; 20]>::try_from(h) {
        let w = |i: usize| {
            u64::from(u32::from_ne_bytes([
                h20[i],
                h20[i + 1],
                h20[i + 2],
                h20[i + 3],
            ]))
        };
        w(0) + w(4) + w(8) + w(12) + w(16)
    } else {
        // Options make the header a multiple of 4 bytes longer.
        (0..h.len() / 4).map(|i| word(i * 4)).sum()
    };
    fold(acc) == 0xffff
}

fn fold(mut acc: u64) -> u16 {
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    acc as u16
}

/// Writes an Ethernet header at the start of `frame`.
pub fn eth_header(frame: &mut [u8], dst: [u8; 6], src: [u8; 6], ethertype: u16) {
    frame[0..6].copy_from_slice(&dst);
    frame[6..12].copy_from_slice(&src);
    put16(frame, 12, ethertype);
}

/// An ARP packet for IPv4 over Ethernet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arp {
    pub op: u16,
    pub sha: [u8; 6],
    pub spa: Ipv4Addr,
    pub tha: [u8; 6],
    pub tpa: Ipv4Addr,
}

impl Arp {
    /// Parses an ARP packet (after the Ethernet header); `None` if it isn't IPv4 over Ethernet.
    pub fn parse(b: &[u8]) -> Option<Arp> {
        if b.len() < ARP_LEN || be16(b, 0) != 1 || be16(b, 2) != ETH_P_IP || b[4] != 6 || b[5] != 4
        {
            return None;
        }
        Some(Arp {
            op: be16(b, 6),
            sha: mac(b, 8),
            spa: ip4(b, 14),
            tha: mac(b, 18),
            tpa: ip4(b, 24),
        })
    }

    pub fn emit(&self, b: &mut [u8]) {
        put16(b, 0, 1);
        put16(b, 2, ETH_P_IP);
        b[4] = 6;
        b[5] = 4;
        put16(b, 6, self.op);
        b[8..14].copy_from_slice(&self.sha);
        b[14..18].copy_from_slice(&self.spa.octets());
        b[18..24].copy_from_slice(&self.tha);
        b[24..28].copy_from_slice(&self.tpa.octets());
    }
}

/// The fields of an IPv4 header the stack uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4 {
    pub ihl: usize,
    pub tos: u8,
    pub total_len: usize,
    pub id: u16,
    pub frag: u16,
    pub ttl: u8,
    pub proto: u8,
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
}

impl Ipv4 {
    /// Parses and validates an IPv4 header (version, length, checksum) as `ip_rcv` does.
    pub fn parse(b: &[u8]) -> Option<Ipv4> {
        if b.len() < 20 || b[0] >> 4 != 4 {
            return None;
        }
        let ihl = usize::from(b[0] & 0x0f) * 4;
        let total_len = usize::from(be16(b, 2));
        if ihl < 20 || b.len() < ihl || total_len < ihl || b.len() < total_len {
            return None;
        }
        if !header_sum_ok(&b[..ihl]) {
            return None;
        }
        Some(Ipv4 {
            ihl,
            tos: b[1],
            total_len,
            id: be16(b, 4),
            frag: be16(b, 6),
            ttl: b[8],
            proto: b[9],
            src: ip4(b, 12),
            dst: ip4(b, 16),
        })
    }

    /// Writes a 20-byte header with its checksum.
    #[allow(clippy::too_many_arguments)]
    pub fn emit(
        b: &mut [u8],
        tos: u8,
        total_len: u16,
        id: u16,
        df: bool,
        ttl: u8,
        proto: u8,
        src: Ipv4Addr,
        dst: Ipv4Addr,
    ) {
        b[0] = 0x45;
        b[1] = tos;
        put16(b, 2, total_len);
        put16(b, 4, id);
        put16(b, 6, if df { 0x4000 } else { 0 });
        b[8] = ttl;
        b[9] = proto;
        put16(b, 10, 0);
        b[12..16].copy_from_slice(&src.octets());
        b[16..20].copy_from_slice(&dst.octets());
        let c = checksum(&b[..20]);
        put16(b, 10, c);
    }
}

/// Recomputes the checksum of the IPv4 header at the start of `b`, options included
/// (`ip_send_check`).
pub fn ip_send_check(b: &mut [u8]) {
    let ihl = usize::from(b[0] & 0x0f) * 4;
    put16(b, 10, 0);
    let c = checksum(&b[..ihl]);
    put16(b, 10, c);
}

/// Decrements the TTL of the IPv4 header at the start of `b` and patches its checksum
/// incrementally (RFC 1624), as `ip_decrease_ttl` does.
pub fn ip_decrease_ttl(b: &mut [u8]) {
    b[8] = b[8].wrapping_sub(1);
    // The TTL is the high byte of its 16-bit word: the checksum grows by 0x0100.
    let c = u32::from(be16(b, 10)) + 0x0100;
    put16(b, 10, (c + (c >> 16)) as u16);
}

/// The UDP checksum over the pseudo-header (RFC 768); 0 is sent as 0xffff.
pub fn udp_checksum(src: Ipv4Addr, dst: Ipv4Addr, udp: &[u8]) -> u16 {
    let mut acc = sum(&src.octets(), 0);
    acc = sum(&dst.octets(), acc);
    acc += u64::from(IPPROTO_UDP) + udp.len() as u64;
    let c = !fold(sum(udp, acc));
    if c == 0 {
        0xffff
    } else {
        c
    }
}

/// Writes an IPv6 header (RFC 8200) at the start of `b`: traffic class and flow label 0, as
/// the kernel sends its own neighbour discovery and MLD messages.
pub fn ipv6_header(
    b: &mut [u8],
    payload_len: u16,
    next_header: u8,
    hop_limit: u8,
    src: Ipv6Addr,
    dst: Ipv6Addr,
) {
    b[0..4].copy_from_slice(&[0x60, 0, 0, 0]);
    put16(b, 4, payload_len);
    b[6] = next_header;
    b[7] = hop_limit;
    b[8..24].copy_from_slice(&src.octets());
    b[24..40].copy_from_slice(&dst.octets());
}

/// The ICMPv6 checksum of `msg` (its checksum field zero) over the IPv6 pseudo-header
/// (RFC 8200 section 8.1, RFC 4443 section 2.3).
pub fn icmpv6_checksum(src: Ipv6Addr, dst: Ipv6Addr, msg: &[u8]) -> u16 {
    let mut acc = sum(&src.octets(), 0);
    acc = sum(&dst.octets(), acc);
    acc += msg.len() as u64 + u64::from(IPPROTO_ICMPV6);
    !fold(sum(msg, acc))
}

/// The Ethernet multicast address of an IPv6 multicast group: 33:33 and the group's last
/// four bytes (RFC 2464 section 7, `ipv6_eth_mc_map`).
pub fn ipv6_mc_mac(group: Ipv6Addr) -> [u8; 6] {
    let o = group.octets();
    [0x33, 0x33, o[12], o[13], o[14], o[15]]
}

#[cfg(test)]
mod tests {
    use super::*;

    // An echo request 192.0.2.1 -> 192.0.2.2, TTL 64, as Linux sends it.
    const IP_HDR: [u8; 20] = [
        0x45, 0x00, 0x00, 0x54, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01, 0x00, 0x00, 192, 0, 2, 1, 192,
        0, 2, 2,
    ];

    fn with_checksum() -> [u8; 20] {
        let mut h = IP_HDR;
        let c = checksum(&h);
        put16(&mut h, 10, c);
        h
    }

    #[test]
    fn parses_a_valid_header_and_rejects_a_bad_checksum() {
        let h = with_checksum();
        let mut pkt = h.to_vec();
        pkt.resize(0x54, 0);
        let ip = Ipv4::parse(&pkt).expect("valid");
        assert_eq!((ip.ttl, ip.proto, ip.total_len), (64, 1, 84));
        assert_eq!(ip.src, Ipv4Addr::new(192, 0, 2, 1));
        pkt[10] ^= 1;
        assert_eq!(Ipv4::parse(&pkt), None);
    }

    #[test]
    fn incremental_ttl_update_matches_a_full_recompute() {
        let mut h = with_checksum();
        for _ in 0..63 {
            ip_decrease_ttl(&mut h);
            let mut z = h;
            put16(&mut z, 10, 0);
            assert_eq!(be16(&h, 10), checksum(&z), "ttl {}", h[8]);
        }
    }

    #[test]
    fn arp_round_trip() {
        let a = Arp {
            op: ARPOP_REQUEST,
            sha: [2, 0, 0, 0, 0, 1],
            spa: Ipv4Addr::new(192, 0, 2, 1),
            tha: [0; 6],
            tpa: Ipv4Addr::new(192, 0, 2, 2),
        };
        let mut b = [0u8; ARP_LEN];
        a.emit(&mut b);
        assert_eq!(&b[..8], &[0, 1, 8, 0, 6, 4, 0, 1]);
        assert_eq!(Arp::parse(&b), Some(a));
        assert_eq!(Arp::parse(&b[..20]), None);
    }

    #[test]
    fn checksum_by_32_bit_words_matches_16_bit_words() {
        let mut x: u32 = 1;
        for len in 0..200 {
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    // Runs of 0xff and 0x00 reach the fold's corner cases.
                    match x >> 29 {
                        0 => 0xff,
                        1 => 0,
                        _ => (x >> 16) as u8,
                    }
                })
                .collect();
            let mut acc: u32 = 0;
            for c in data.chunks(2) {
                acc += u32::from(c[0]) << 8 | u32::from(c.get(1).copied().unwrap_or(0));
            }
            while acc > 0xffff {
                acc = (acc & 0xffff) + (acc >> 16);
            }
            assert_eq!(checksum(&data), !(acc as u16), "{data:?}");
        }
    }
}
