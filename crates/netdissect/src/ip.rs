//! IPv4 (print-ip.c, print-ip-demux.c): the `IP src > dst: ` line, the `-v` header details,
//! options, fragments, and the hand-off to the next protocol.

use crate::nd::{bittok2str, in_cksum, in_cksum_shouldbe, Nd, Trunc, R};
use crate::{gre, icmp, icmp6, igmp, ip6, ipsec, tcp, udp};

pub(crate) const IPPROTO_ICMP: u8 = 1;
pub(crate) const IPPROTO_IGMP: u8 = 2;
pub(crate) const IPPROTO_IPV4: u8 = 4;
pub(crate) const IPPROTO_TCP: u8 = 6;
pub(crate) const IPPROTO_UDP: u8 = 17;
pub(crate) const IPPROTO_DCCP: u8 = 33;
pub(crate) const IPPROTO_IPV6: u8 = 41;
pub(crate) const IPPROTO_GRE: u8 = 47;
pub(crate) const IPPROTO_ESP: u8 = 50;
pub(crate) const IPPROTO_AH: u8 = 51;
pub(crate) const IPPROTO_ICMPV6: u8 = 58;
pub(crate) const IPPROTO_NONE: u8 = 59;
pub(crate) const IPPROTO_SCTP: u8 = 132;
/// RFC 8986's Ethernet inside IPv6 segment routing.
pub(crate) const IPPROTO_ETHERNET: u8 = 143;

/// tcpdump's own names of IP protocols (`ipproto_values`), used in `proto ICMP (1)`.
pub(crate) fn ipproto_name(p: u8) -> Option<&'static str> {
    Some(match p {
        0 => "Options",
        1 => "ICMP",
        2 => "IGMP",
        4 => "IPIP",
        6 => "TCP",
        8 => "EGP",
        9 => "IGRP",
        17 => "UDP",
        33 => "DCCP",
        41 => "IPv6",
        43 => "Routing",
        44 => "Fragment",
        46 => "RSVP",
        47 => "GRE",
        50 => "ESP",
        51 => "AH",
        55 => "Mobile IP",
        58 => "ICMPv6",
        62 => "Mobile IP (old)",
        88 => "EIGRP",
        89 => "OSPF",
        103 => "PIM",
        108 => "Compressed IP",
        112 => "VRRP",
        113 => "PGM",
        132 => "SCTP",
        135 => "Mobility",
        143 => "Ethernet",
        _ => return None,
    })
}

/// An IPv4 or IPv6 packet, by its version nibble (`ipN_print`).
pub(crate) fn ipn_print(nd: &mut Nd, bp: usize, length: usize) -> R {
    nd.protocol = "ipn";
    if length < 1 {
        nd.pf(format_args!("truncated-ip {length}"));
        return Ok(());
    }
    match nd.u8(bp)? & 0xf0 {
        0x40 => ip_print(nd, bp, length),
        0x60 => ip6::ip6_print(nd, bp, length),
        v => {
            nd.pf(format_args!("unknown ip {}", v >> 4));
            Ok(())
        }
    }
}

fn option_name(code: u8) -> String {
    match code {
        0 => "EOL".into(),
        1 => "NOP".into(),
        68 => "timestamp".into(),
        130 => "security".into(),
        7 => "RR".into(),
        137 => "SSRR".into(),
        131 => "LSRR".into(),
        148 => "RA".into(),
        82 => "traceroute".into(),
        _ => format!("unknown {code}"),
    }
}

/// The options of the `-v` line; `Ok(false)` when they were cut short (`ip_optprint`).
fn ip_optprint(nd: &mut Nd, mut cp: usize, mut length: usize) -> R<bool> {
    let mut sep = "";
    while length > 0 {
        nd.p(sep);
        sep = ",";
        let code = nd.u8(cp)?;
        nd.p(&option_name(code));
        let option_len = if code == 0 || code == 1 {
            1
        } else {
            let l = usize::from(nd.u8(cp + 1)?);
            if l < 2 {
                nd.pf(format_args!(" [bad length {l}]"));
                return Ok(true);
            }
            l
        };
        if option_len > length {
            nd.pf(format_args!(" [bad length {option_len}]"));
            return Ok(true);
        }
        if !nd.ttest(cp, option_len) {
            return Ok(false);
        }
        let complete = match code {
            0 => return Ok(true),
            68 => ip_printts(nd, cp, option_len)?,
            7 | 137 | 131 => ip_printroute(nd, cp, option_len)?,
            148 => {
                if option_len < 4 {
                    nd.pf(format_args!(" [bad length {option_len}]"));
                } else {
                    if !nd.ttest(cp + 3, 1) {
                        return Ok(false);
                    }
                    let v = nd.be16(cp + 2)?;
                    if v != 0 {
                        nd.pf(format_args!(" value {v}"));
                    }
                }
                true
            }
            _ => true,
        };
        if !complete {
            return Ok(false);
        }
        cp += option_len;
        length -= option_len;
    }
    Ok(true)
}

/// Record route and source routes: the addresses, a comma after those already visited.
fn ip_printroute(nd: &mut Nd, cp: usize, length: usize) -> R<bool> {
    if length < 3 {
        nd.pf(format_args!(" [bad length {length}]"));
        return Ok(true);
    }
    if (length + 1) & 3 != 0 {
        nd.pf(format_args!(" [bad length {length}]"));
    }
    // The pointer is unsigned arithmetic in tcpdump: a zero pointer wraps around.
    let raw = nd.u8(cp + 2)?;
    let ptr = u32::from(raw).wrapping_sub(1) as usize;
    if ptr < 3 || ptr.wrapping_add(1) & 3 != 0 || ptr > length + 1 {
        nd.pf(format_args!(" [bad ptr {raw}]"));
    }
    let mut len = 3;
    while len < length {
        if !nd.ttest(cp + len, 4) {
            return Ok(false);
        }
        let a = nd.ipaddr(cp + len)?;
        nd.pf(format_args!(" {a}"));
        if ptr > len {
            nd.p(",");
        }
        len += 4;
    }
    Ok(true)
}

/// The timestamp option.
fn ip_printts(nd: &mut Nd, cp: usize, length: usize) -> R<bool> {
    if length < 4 {
        nd.pf(format_args!("[bad length {length}]"));
        return Ok(true);
    }
    nd.p(" TS{");
    let flags = nd.u8(cp + 3)?;
    let hoplen = if flags & 0xf != 0 { 8 } else { 4 };
    if (length - 4) & (hoplen - 1) != 0 {
        nd.pf(format_args!("[bad length {length}]"));
    }
    let raw = nd.u8(cp + 2)?;
    let ptr = u32::from(raw).wrapping_sub(1) as usize;
    let mut len = 0;
    if ptr < 4 || (ptr.wrapping_sub(4)) & (hoplen - 1) != 0 || ptr > length + 1 {
        nd.pf(format_args!("[bad ptr {raw}]"));
    }
    let known = match flags & 0xf {
        0 => {
            nd.p("TSONLY");
            true
        }
        1 => {
            nd.p("TS+ADDR");
            true
        }
        3 => {
            nd.p("PRESPEC");
            true
        }
        t => {
            nd.pf(format_args!("[bad ts type {t}]"));
            false
        }
    };
    if known {
        let mut ty = " ";
        len = 4;
        while len < length {
            if ptr == len {
                ty = " ^ ";
            }
            if !nd.ttest(cp + len, hoplen) {
                return Ok(false);
            }
            let t = nd.be32(cp + len + hoplen - 4)?;
            let addr = if hoplen == 8 {
                nd.ipaddr(cp + len)?
            } else {
                String::new()
            };
            nd.pf(format_args!("{ty}{t}@{addr}"));
            ty = " ";
            len += hoplen;
        }
    }
    if ptr == len {
        nd.p(" ^ ");
    }
    if flags >> 4 != 0 {
        nd.pf(format_args!(" [{} hops not recorded]}} ", flags >> 4));
    } else {
        nd.p("}");
    }
    Ok(true)
}

/// An IPv4 packet at `bp` of `length` bytes (`ip_print`).
pub(crate) fn ip_print(nd: &mut Nd, bp: usize, length: usize) -> R {
    nd.protocol = "ip";
    let v = nd.u8(bp)? >> 4;
    if v != 4 {
        if v == 6 {
            nd.p("IP6, wrong link-layer encapsulation");
        } else {
            nd.pf(format_args!("IP{v}"));
        }
        nd.print_invalid();
        return Ok(());
    }
    if !nd.o.ether {
        nd.p("IP ");
    }
    if !nd.ttest(bp, 20) {
        nd.print_trunc();
        return Ok(());
    }
    if length < 20 {
        nd.pf(format_args!("truncated-ip {length}"));
        return Ok(());
    }
    let hlen = usize::from(nd.u8(bp)? & 0x0f) * 4;
    if hlen < 20 {
        nd.pf(format_args!("bad-hlen {hlen}"));
        return Ok(());
    }
    let mut len = usize::from(nd.be16(bp + 2)?);
    if length < len {
        nd.pf(format_args!(
            "truncated-ip - {} bytes missing! ",
            len - length
        ));
    }
    if len < hlen {
        nd.pf(format_args!("bad-len {len}"));
        return Ok(());
    }
    nd.push_snaplen(bp, len);
    len -= hlen;
    let off = nd.be16(bp + 6)?;
    let proto = nd.u8(bp + 9)?;
    if nd.o.verbose > 0 {
        let tos = nd.u8(bp + 1)?;
        nd.pf(format_args!("(tos 0x{tos:x}"));
        match tos & 3 {
            1 => nd.p(",ECT(1)"),
            2 => nd.p(",ECT(0)"),
            3 => nd.p(",CE"),
            _ => {}
        }
        let ttl = nd.u8(bp + 8)?;
        if ttl >= 1 {
            nd.pf(format_args!(", ttl {ttl}"));
        }
        let id = nd.be16(bp + 4)?;
        let flags = bittok2str(
            &[(0x2000, "+"), (0x4000, "DF"), (0x8000, "rsvd")],
            "none",
            u32::from(off),
            ", ",
        );
        nd.pf(format_args!(
            ", id {id}, offset {}, flags [{flags}], proto {} ({proto})",
            (off & 0x1fff) * 8,
            ipproto_name(proto).unwrap_or("unknown")
        ));
        let total = nd.be16(bp + 2)?;
        nd.pf(format_args!(", length {total}"));
        let mut truncated = false;
        if hlen > 20 {
            nd.p(", options (");
            if !ip_optprint(nd, bp + 20, hlen - 20)? {
                nd.p(" [truncated-option]");
                truncated = true;
            }
            nd.p(")");
        }
        if bp + hlen <= nd.snapend {
            let hdr = nd.bytes(bp, hlen)?;
            let sum = in_cksum(hdr, 0);
            if sum != 0 {
                let ip_sum = nd.be16(bp + 10)?;
                nd.pf(format_args!(
                    ", bad cksum {ip_sum:x} (->{:x})!",
                    in_cksum_shouldbe(ip_sum, sum)
                ));
            }
        }
        nd.p(")\n    ");
        if truncated {
            let s = nd.ipaddr(bp + 12)?;
            let d = nd.ipaddr(bp + 16)?;
            nd.pf(format_args!("{s} > {d}: "));
            nd.print_trunc();
            nd.pop_snaplen();
            return Ok(());
        }
    }
    if off & 0x1fff == 0 {
        if !matches!(
            proto,
            IPPROTO_TCP | IPPROTO_UDP | IPPROTO_SCTP | IPPROTO_DCCP
        ) {
            let s = nd.ipaddr(bp + 12)?;
            let d = nd.ipaddr(bp + 16)?;
            nd.pf(format_args!("{s} > {d}: "));
        }
        if !nd.ttest(bp, hlen) {
            nd.pf(format_args!(
                " [remaining caplen({}) < header length({hlen})]",
                nd.avail(bp)
            ));
            return Err(Trunc);
        }
        let ttl = nd.u8(bp + 8)?;
        ip_demux_print(nd, bp + hlen, len, 4, off & 0x2000 != 0, ttl, proto, bp)?;
    } else {
        let s = nd.ipaddr(bp + 12)?;
        let d = nd.ipaddr(bp + 16)?;
        nd.pf(format_args!("{s} > {d}:"));
        nd.print_protoname(proto);
    }
    nd.pop_snaplen();
    Ok(())
}

/// The payload of an IP packet by its protocol number (`ip_demux_print`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn ip_demux_print(
    nd: &mut Nd,
    bp: usize,
    length: usize,
    ver: u8,
    fragmented: bool,
    ttl_hl: u8,
    nh: u8,
    iph: usize,
) -> R {
    let _ = ttl_hl;
    let (mut bp, mut length, mut nh) = (bp, length, nh);
    // AH protects what follows it: print the header, then go on with its next header.
    while nh == IPPROTO_AH {
        if !nd.ttest(bp, 1) {
            nd.protocol = "ah";
            nd.print_trunc();
            return Ok(());
        }
        nh = nd.u8(bp)?;
        let advance = ipsec::ah_print(nd, bp)?;
        bp += advance;
        // An unsigned length in tcpdump: it wraps when AH claims more than there is.
        length = (length as u32).wrapping_sub(advance as u32) as usize;
    }
    match nh {
        IPPROTO_ESP => ipsec::esp_print(nd, bp, length),
        IPPROTO_TCP => tcp::tcp_print(nd, bp, length, iph, fragmented),
        IPPROTO_UDP => udp::udp_print(nd, bp, length, iph, fragmented),
        IPPROTO_ICMP if ver == 4 => icmp::icmp_print(nd, bp, length, fragmented),
        IPPROTO_ICMPV6 if ver == 6 => icmp6::icmp6_print(nd, bp, length, iph, fragmented),
        IPPROTO_IGMP if ver == 4 => igmp::igmp_print(nd, bp, length),
        IPPROTO_ICMP | IPPROTO_IGMP => {
            nd.pf(format_args!(
                "[{} requires IPv4]",
                ipproto_name(nh).unwrap_or("unknown")
            ));
            nd.print_invalid();
            Ok(())
        }
        IPPROTO_ICMPV6 => {
            nd.pf(format_args!(
                "[{} requires IPv6]",
                ipproto_name(nh).unwrap_or("unknown")
            ));
            nd.print_invalid();
            Ok(())
        }
        IPPROTO_IPV4 => ip_print(nd, bp, length),
        IPPROTO_IPV6 => ip6::ip6_print(nd, bp, length),
        IPPROTO_GRE => gre::gre_print(nd, bp, length),
        IPPROTO_ETHERNET if ver == 6 => {
            let caplen = nd.avail(bp);
            crate::link::ether_print(nd, bp, length, caplen).map(|_| ())
        }
        IPPROTO_ETHERNET => {
            nd.pf(format_args!(
                "[{} requires IPv6]",
                ipproto_name(nh).unwrap_or("unknown")
            ));
            nd.print_invalid();
            Ok(())
        }
        IPPROTO_NONE => {
            nd.p("no next header");
            Ok(())
        }
        _ => {
            nd.print_protoname(nh);
            nd.pf(format_args!(" {length}"));
            Ok(())
        }
    }
}
