//! Link-layer headers: Ethernet with 802.1Q tags (print-ether.c), Linux cooked v1 and v2
//! (print-sll.c, what `-i any` captures), BSD loopback (print-null.c) and raw IP
//! (print-raw.c); and the dispatch on the EtherType.

use crate::nd::{Nd, R};
use crate::{arp, ip, ip6, LinkType};

pub(crate) const ETHERTYPE_IP: u16 = 0x0800;
pub(crate) const ETHERTYPE_ARP: u16 = 0x0806;
pub(crate) const ETHERTYPE_REVARP: u16 = 0x8035;
pub(crate) const ETHERTYPE_IPV6: u16 = 0x86dd;
pub(crate) const ETHERTYPE_8021Q: u16 = 0x8100;
const ETHERTYPE_8021Q9100: u16 = 0x9100;
const ETHERTYPE_8021Q9200: u16 = 0x9200;
const ETHERTYPE_8021QINQ: u16 = 0x88a8;
/// Values up to this are 802.3 lengths, not types.
const MAX_ETHERNET_LENGTH_VAL: u16 = 1500;

/// tcpdump's names of EtherTypes (`ethertype_values`; the first entry of a value wins).
pub(crate) fn ethertype_name(t: u16) -> Option<&'static str> {
    Some(match t {
        0x0800 => "IPv4",
        0x8847 => "MPLS unicast",
        0x8848 => "MPLS multicast",
        0x86dd => "IPv6",
        0x8100 => "802.1Q",
        0x9100 => "802.1Q-9100",
        0x88a8 => "802.1Q-QinQ",
        0x9200 => "802.1Q-9200",
        0x88e5 => "802.1AE MACsec",
        0x0200 => "PUP",
        0x0806 => "ARP",
        0x8035 => "Reverse ARP",
        0x0600 => "NS",
        0x0500 => "Sprite",
        0x1000 => "Trail",
        0x6001 => "MOP DL",
        0x6002 => "MOP RC",
        0x6003 => "DN",
        0x6004 => "LAT",
        0x6007 => "SCA",
        0x6558 => "TEB",
        0x8038 => "Lanbridge",
        0x803c => "DEC DNS",
        0x803e => "DEC DTS",
        0x805b => "VEXP",
        0x805c => "VPROD",
        0x809b => "Appletalk",
        0x80f3 => "Appletalk ARP",
        0x8137 => "IPX",
        0x880b => "PPP",
        0x8808 => "MPCP",
        0x8809 => "Slow Protocols",
        0x8863 => "PPPoE D",
        0x8864 => "PPPoE S",
        0x888e => "EAPOL",
        0x8899 => "Realtek protocols",
        0x886f => "MS NLB heartbeat",
        0x8870 => "Jumbo",
        0x894f => "NSH",
        0x9000 => "Loopback",
        0xfefe => "OSI",
        0x00fe => "GRE-OSI",
        0xabcd => "CFM (old)",
        0x8902 => "CFM",
        0x893a => "IEEE1905.1",
        0x88cc => "LLDP",
        0x88ca => "TIPC",
        0x0707 => "GeoNet (old)",
        0x8947 => "GeoNet",
        0x1111 => "CALM FAST",
        0x88a2 => "AoE",
        0x88f7 => "PTP",
        0xd28b => "Arista Vendor Specific Protocol",
        _ => return None,
    })
}

/// The top-level printer of a link type (`ndo_if_printer`); `length` is the wire length.
pub(crate) fn if_print(nd: &mut Nd, link: LinkType, length: usize) -> R {
    match link {
        LinkType::Ethernet => {
            nd.protocol = "ether";
            let caplen = nd.snapend;
            let hdr = ether_print(nd, 0, length, caplen)?;
            nd.ll_hdr_len += hdr;
            Ok(())
        }
        LinkType::LinuxSll2 => sll2_if_print(nd, length),
        LinkType::LinuxSll => sll_if_print(nd, length),
        LinkType::Null => null_if_print(nd, length),
        LinkType::Raw => {
            nd.protocol = "raw";
            if nd.o.ether {
                nd.p("ip: ");
            }
            ip::ipn_print(nd, 0, length)
        }
    }
}

/// "src > dst, " with the MAC addresses.
fn ether_addresses_print(nd: &mut Nd, src: usize, dst: usize) -> R {
    let s = nd.etheraddr(src)?;
    let d = nd.etheraddr(dst)?;
    nd.pf(format_args!("{s} > {d}, "));
    Ok(())
}

fn ether_type_print(nd: &mut Nd, t: u16) {
    if !nd.o.quiet {
        let name = ethertype_name(t).unwrap_or("Unknown");
        nd.pf(format_args!("ethertype {name} (0x{t:04x})"));
    } else {
        match ethertype_name(t) {
            Some(name) => nd.p(name),
            None => nd.pf(format_args!("Unknown Ethertype (0x{t:04x})")),
        }
    }
}

fn tci_string(tci: u16) -> String {
    format!(
        "vlan {}, p {}{}",
        tci & 0xfff,
        tci >> 13,
        if tci & 0x1000 != 0 { ", DEI" } else { "" }
    )
}

/// An Ethernet frame at `p` (`ether_common_print`); returns the header length it used.
pub(crate) fn ether_print(nd: &mut Nd, p: usize, length: usize, caplen: usize) -> R<usize> {
    nd.protocol = "ether";
    if length < caplen {
        nd.pf(format_args!("[length {length} < caplen {caplen}]"));
        nd.print_invalid();
        return Ok(length);
    }
    if caplen < 14 {
        nd.print_trunc();
        return Ok(caplen);
    }
    let orig_length = length;
    let (src, dst) = (p + 6, p);
    let mut length = length - 12;
    let mut caplen = caplen - 12;
    let mut p = p + 12;
    let mut hdrlen = 12;
    if nd.o.ether {
        ether_addresses_print(nd, src, dst)?;
    }
    let mut length_type = nd.be16(p)?;
    length -= 2;
    caplen -= 2;
    p += 2;
    hdrlen += 2;
    let mut printed_length = false;
    while matches!(
        length_type,
        ETHERTYPE_8021Q | ETHERTYPE_8021Q9100 | ETHERTYPE_8021Q9200 | ETHERTYPE_8021QINQ
    ) {
        if caplen < 4 {
            nd.protocol = "vlan";
            nd.print_trunc();
            return Ok(hdrlen + caplen);
        }
        if length < 4 {
            nd.protocol = "vlan";
            nd.print_trunc();
            return Ok(hdrlen + length);
        }
        if nd.o.ether {
            let tag = nd.be16(p)?;
            ether_type_print(nd, length_type);
            if !printed_length {
                nd.pf(format_args!(", length {orig_length}: "));
                printed_length = true;
            } else {
                nd.p(", ");
            }
            nd.pf(format_args!("{}, ", tci_string(tag)));
        }
        length_type = nd.be16(p + 2)?;
        p += 4;
        length -= 4;
        caplen -= 4;
        hdrlen += 4;
    }
    if length_type <= MAX_ETHERNET_LENGTH_VAL {
        // An 802.3 length: the payload is an LLC frame, cut to that length.
        if usize::from(length_type) < length {
            length = usize::from(length_type);
            caplen = caplen.min(length);
        }
        nd.push_snaplen(p, length);
        if nd.o.ether {
            nd.p("802.3");
            if !printed_length {
                nd.pf(format_args!(", length {length}: "));
            }
        }
        let llc = crate::llc::llc_print(nd, p, length, caplen, Some((src, dst)))?;
        let llc = if llc < 0 {
            if !nd.suppress_default_print {
                nd.default_print(p, caplen)?;
            }
            -llc
        } else {
            llc
        };
        hdrlen += llc as usize;
        nd.pop_snaplen();
    } else {
        if nd.o.ether {
            ether_type_print(nd, length_type);
            if !printed_length {
                nd.pf(format_args!(", length {orig_length}: "));
            } else {
                nd.p(", ");
            }
        }
        if !ethertype_print(nd, length_type, p, length, caplen)? {
            if !nd.o.ether {
                ether_addresses_print(nd, src, dst)?;
                ether_type_print(nd, length_type);
                nd.pf(format_args!(", length {orig_length}: "));
            }
            if !nd.suppress_default_print {
                nd.default_print(p, caplen)?;
            }
        }
    }
    Ok(hdrlen)
}

/// The payload of an EtherType (`ethertype_print`); false when tcpdump has no printer for it.
pub(crate) fn ethertype_print(
    nd: &mut Nd,
    t: u16,
    p: usize,
    length: usize,
    caplen: usize,
) -> R<bool> {
    match t {
        ETHERTYPE_IP => ip::ip_print(nd, p, length)?,
        ETHERTYPE_IPV6 => ip6::ip6_print(nd, p, length)?,
        ETHERTYPE_ARP | ETHERTYPE_REVARP => arp::arp_print(nd, p, length, caplen)?,
        _ => return Ok(false),
    }
    Ok(true)
}

const SLL_PKTTYPES: [&str; 5] = ["In", "B", "M", "P", "Out"];

fn pkttype_name(t: u32) -> &'static str {
    SLL_PKTTYPES.get(t as usize).copied().unwrap_or("?")
}

/// The cooked header's summary under `-e` (`sll_print` / `sll2_print`, after their own
/// first fields): the address, the protocol and the length.
fn sll_proto_print(nd: &mut Nd, halen: usize, addr: usize, proto: u16, length: usize) -> R {
    if halen == 6 {
        let a = nd.etheraddr(addr)?;
        nd.pf(format_args!("{a} "));
    }
    if !nd.o.quiet {
        if proto <= MAX_ETHERNET_LENGTH_VAL {
            match proto {
                1 => nd.p("802.3"),
                4 => nd.p("802.2"),
                _ => nd.pf(format_args!("ethertype Unknown (0x{proto:04x})")),
            }
        } else {
            let name = ethertype_name(proto).unwrap_or("Unknown");
            nd.pf(format_args!("ethertype {name} (0x{proto:04x})"));
        }
        nd.pf(format_args!(", length {length}: "));
    }
    Ok(())
}

/// LINKTYPE_LINUX_SLL2: protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1)
/// address(8).
fn sll2_if_print(nd: &mut Nd, length: usize) -> R {
    nd.protocol = "sll2";
    nd.tcheck(0, 20)?;
    let ifindex = nd.be32(4)?;
    let ifname = nd.ifname(ifindex).unwrap_or_else(|| "?".to_string());
    nd.pf(format_args!("{ifname:<5} "));
    let pkttype = nd.u8(10)?;
    nd.pf(format_args!("{:<3} ", pkttype_name(u32::from(pkttype))));
    let sll_print = |nd: &mut Nd, length: usize| -> R {
        nd.protocol = "sll2";
        nd.pf(format_args!("ifindex {ifindex} "));
        let halen = usize::from(nd.u8(11)?);
        let proto = nd.be16(0)?;
        sll_proto_print(nd, halen, 12, proto, length)
    };
    if nd.o.ether {
        sll_print(nd, length)?;
    }
    let hatype = nd.be16(8)?;
    let proto = nd.be16(0)?;
    cooked_payload(nd, 20, length, proto, hatype, &sll_print)
}

/// LINKTYPE_LINUX_SLL: pkttype(2) hatype(2) halen(2) address(8) protocol(2).
fn sll_if_print(nd: &mut Nd, length: usize) -> R {
    nd.protocol = "sll";
    nd.tcheck(0, 16)?;
    let sll_print = |nd: &mut Nd, length: usize| -> R {
        nd.protocol = "sll";
        let pkttype = nd.be16(0)?;
        nd.pf(format_args!("{:>3} ", pkttype_name(u32::from(pkttype))));
        let halen = usize::from(nd.be16(4)?);
        let proto = nd.be16(14)?;
        sll_proto_print(nd, halen, 6, proto, length)
    };
    if nd.o.ether {
        sll_print(nd, length)?;
    }
    let hatype = nd.be16(2)?;
    let proto = nd.be16(14)?;
    cooked_payload(nd, 16, length, proto, hatype, &sll_print)
}

/// What follows a cooked header of `hdr` bytes (the shared part of `sll_if_print` and
/// `sll2_if_print`).
fn cooked_payload(
    nd: &mut Nd,
    hdr: usize,
    length: usize,
    proto: u16,
    hatype: u16,
    sll_print: &dyn Fn(&mut Nd, usize) -> R,
) -> R {
    let _ = hatype; // 803 (radiotap) is not decoded here.
    let mut p = hdr;
    let mut length = length.saturating_sub(hdr);
    let mut caplen = nd.snapend.saturating_sub(hdr);
    let mut hdrlen = hdr;
    let mut ether_type = proto;
    loop {
        if ether_type <= MAX_ETHERNET_LENGTH_VAL {
            let mut done = false;
            if ether_type == 4 {
                let llc = crate::llc::llc_print(nd, p, length, caplen, None)?;
                if llc >= 0 {
                    hdrlen += llc as usize;
                    done = true;
                }
            }
            if !done && !nd.suppress_default_print {
                nd.default_print(p, caplen)?;
            }
            break;
        } else if ether_type == ETHERTYPE_8021Q {
            if caplen < 4 {
                nd.protocol = "vlan";
                nd.print_trunc();
                nd.ll_hdr_len += hdrlen + caplen;
                return Ok(());
            }
            if nd.o.ether {
                let tag = nd.be16(p)?;
                nd.pf(format_args!("{}, ", tci_string(tag)));
            }
            ether_type = nd.be16(p + 2)?;
            if ether_type <= MAX_ETHERNET_LENGTH_VAL {
                ether_type = 4;
            }
            if !nd.o.quiet {
                let name = ethertype_name(ether_type).unwrap_or("Unknown");
                nd.pf(format_args!("ethertype {name}, "));
            }
            p += 4;
            length = length.saturating_sub(4);
            caplen -= 4;
            hdrlen += 4;
        } else {
            if !ethertype_print(nd, ether_type, p, length, caplen)? {
                if !nd.o.ether {
                    sll_print(nd, length + hdr)?;
                }
                if !nd.suppress_default_print {
                    nd.default_print(p, caplen)?;
                }
            }
            break;
        }
    }
    nd.ll_hdr_len += hdrlen;
    Ok(())
}

/// LINKTYPE_NULL: a 4-byte address family in the capturing host's byte order.
fn null_if_print(nd: &mut Nd, length: usize) -> R {
    nd.protocol = "null";
    nd.tcheck(0, 4)?;
    nd.ll_hdr_len += 4;
    let mut family = nd.le32(0)?;
    if family & 0xffff_0000 != 0 {
        family = family.swap_bytes();
    }
    let hdr_print = |nd: &mut Nd, length: usize| {
        let name = match family {
            2 => Some("IPv4"),
            6 => Some("NS"),
            7 => Some("ISO"),
            16 => Some("Appletalk"),
            23 => Some("IPX"),
            24 | 28 | 30 => Some("IPv6"),
            _ => None,
        };
        if !nd.o.quiet {
            nd.pf(format_args!("AF {} ({family})", name.unwrap_or("Unknown")));
        } else {
            match name {
                Some(n) => nd.p(n),
                None => nd.pf(format_args!("Unknown AF {family}")),
            }
        }
        nd.pf(format_args!(", length {length}: "));
    };
    if nd.o.ether {
        hdr_print(nd, length);
    }
    let length = length.saturating_sub(4);
    match family {
        2 => ip::ip_print(nd, 4, length),
        24 | 28 | 30 => ip6::ip6_print(nd, 4, length),
        _ => {
            if !nd.o.ether {
                hdr_print(nd, length + 4);
            }
            if !nd.suppress_default_print {
                let caplen = nd.avail(4);
                nd.default_print(4, caplen)?;
            }
            Ok(())
        }
    }
}
