//! UDP (print-udp.c): `src.port > dst.port: UDP, length N`, the `-vv` checksum, and the
//! hand-off by well-known port (DNS, BOOTP/DHCP, DHCPv6, VXLAN, syslog).

use crate::nd::{in_cksum, in_cksum_shouldbe, sum16, Nd, R};
use crate::{bootp, dhcp6, dns, gre, ip, ipsec, text};

const NAMESERVER_PORT: u16 = 53;
const MULTICASTDNS_PORT: u16 = 5353;
const BOOTPS_PORT: u16 = 67;
const BOOTPC_PORT: u16 = 68;
const SYSLOG_PORT: u16 = 514;
const ISAKMP_PORT_NATT: u16 = 4500;
const DHCP6_SERV_PORT: u16 = 547;
const DHCP6_CLI_PORT: u16 = 546;
const VXLAN_PORT: u16 = 4789;

/// "src.sport > dst.dport: ", or only the ports when an IPv6 extension header sits between
/// (`udpipaddr_print`); `None` ports: the addresses alone.
fn udpipaddr_print(nd: &mut Nd, iph: usize, ports: Option<(u16, u16)>) -> R {
    let v6 = nd.u8(iph)? >> 4 == 6;
    let (nxt, src, dst) = if v6 {
        (nd.u8(iph + 6)?, iph + 8, iph + 24)
    } else {
        (nd.u8(iph + 9)?, iph + 12, iph + 16)
    };
    let addr = |nd: &Nd, at: usize| if v6 { nd.ip6addr(at) } else { nd.ipaddr(at) };
    if nxt == ip::IPPROTO_UDP {
        let s = addr(nd, src)?;
        let d = addr(nd, dst)?;
        match ports {
            None => nd.pf(format_args!("{s} > {d}: ")),
            Some((sp, dp)) => {
                let (sp, dp) = (nd.udpport(sp), nd.udpport(dp));
                nd.pf(format_args!("{s}.{sp} > {d}.{dp}: "));
            }
        }
    } else if let Some((sp, dp)) = ports {
        let (sp, dp) = (nd.udpport(sp), nd.udpport(dp));
        nd.pf(format_args!("{sp} > {dp}: "));
    }
    Ok(())
}

/// The IPv4 pseudo-header sum for `proto` over `len` bytes (`nextproto4_cksum`): with a
/// source route, the destination is the route's last hop.
pub(crate) fn pseudo4(nd: &Nd, iph: usize, proto: u8, len: usize) -> R<u32> {
    let src = nd.bytes(iph + 12, 4)?;
    let hl = usize::from(nd.u8(iph)? & 0x0f) * 4;
    let mut dst = nd.bytes(iph + 16, 4)?;
    if hl > 20 {
        let mut cp = iph + 20;
        let mut length = hl - 20;
        while length != 0 {
            let tt = nd.u8(cp)?;
            if tt == 0 {
                break;
            }
            let l = if tt == 1 {
                1
            } else {
                usize::from(nd.u8(cp + 1)?)
            };
            if tt != 1 && l < 2 {
                break;
            }
            if length < l || !nd.ttest(cp, l) {
                break;
            }
            if (tt == 137 || tt == 131) && l >= 7 {
                dst = nd.bytes(cp + l - 4, 4)?;
                break;
            }
            cp += l;
            length -= l;
        }
    }
    let mut acc = sum16(src, 0);
    acc = sum16(dst, acc);
    acc += u32::from(proto);
    acc += (len & 0xffff) as u32;
    Ok(acc)
}

/// The IPv6 pseudo-header sum (`nextproto6_cksum`): with a routing header, the destination
/// is the final one.
pub(crate) fn pseudo6(nd: &Nd, iph: usize, proto: u8, len: usize) -> R<u32> {
    let src = nd.bytes(iph + 8, 16)?;
    let dst = ip6_finddst(nd, iph)?;
    let mut acc = sum16(src, 0);
    acc = sum16(dst, acc);
    acc += (len >> 16) as u32 & 0xffff;
    acc += (len & 0xffff) as u32;
    acc += u32::from(proto);
    Ok(acc)
}

fn ip6_finddst<'a>(nd: &Nd<'a>, iph: usize) -> R<&'a [u8]> {
    let mut dst = nd.bytes(iph + 24, 16)?;
    let mut cp = iph;
    let mut advance = 40;
    let mut nh = nd.u8(iph + 6)?;
    while cp < nd.snapend {
        cp += advance;
        match nh {
            0 | 60 | 62 | 135 => {
                advance = (usize::from(nd.u8(cp + 1)?) + 1) << 3;
                nh = nd.u8(cp)?;
            }
            44 => {
                advance = 8;
                nh = nd.u8(cp)?;
            }
            43 => {
                if !nd.ttest(cp, 4) {
                    break;
                }
                let len = usize::from(nd.u8(cp + 1)?);
                match nd.u8(cp + 2)? {
                    0 | 2 => {
                        if len % 2 == 1 {
                            break;
                        }
                        let mut p = cp + 8;
                        for _ in 0..len / 2 {
                            if !nd.ttest(p, 16) {
                                break;
                            }
                            dst = nd.bytes(p, 16)?;
                            p += 16;
                        }
                    }
                    4 => {
                        if len % 2 == 1 {
                            break;
                        }
                        if nd.ttest(cp + 8, 16) {
                            dst = nd.bytes(cp + 8, 16)?;
                        }
                    }
                    _ => {}
                }
                break;
            }
            _ => break,
        }
    }
    Ok(dst)
}

pub(crate) fn udp_print(nd: &mut Nd, bp: usize, length: usize, iph: usize, fragmented: bool) -> R {
    nd.protocol = "udp";
    let v6 = nd.u8(iph)? >> 4 == 6;
    if !nd.ttest(bp + 2, 2) {
        udpipaddr_print(nd, iph, None)?;
        nd.print_trunc();
        return Ok(());
    }
    let sport = nd.be16(bp)?;
    let dport = nd.be16(bp + 2)?;
    if length < 8 {
        udpipaddr_print(nd, iph, Some((sport, dport)))?;
        nd.pf(format_args!("truncated-udp {length}"));
        return Ok(());
    }
    if !nd.ttest(bp + 4, 2) {
        udpipaddr_print(nd, iph, Some((sport, dport)))?;
        nd.print_trunc();
        return Ok(());
    }
    let mut ulen = usize::from(nd.be16(bp + 4)?);
    // RFC 2675 jumbograms carry a zero length.
    if ulen == 0 && length > 65535 {
        ulen = length;
    }
    if ulen < 8 {
        udpipaddr_print(nd, iph, Some((sport, dport)))?;
        nd.pf(format_args!("truncated-udplength {ulen}"));
        return Ok(());
    }
    ulen -= 8;
    let mut length = length - 8;
    if ulen < length {
        length = ulen;
    }
    let cp = bp + 8;
    if cp > nd.snapend {
        udpipaddr_print(nd, iph, Some((sport, dport)))?;
        nd.print_trunc();
        return Ok(());
    }
    udpipaddr_print(nd, iph, Some((sport, dport)))?;
    if nd.o.verbose > 0 && !fragmented {
        if !v6 && nd.o.verbose > 1 {
            let udp_sum = nd.be16(bp + 6)?;
            if udp_sum == 0 {
                nd.p("[no cksum] ");
            } else if nd.ttest(cp, length) {
                let acc = pseudo4(nd, iph, ip::IPPROTO_UDP, length + 8)?;
                let sum = in_cksum(nd.bytes(bp, length + 8)?, acc);
                if sum != 0 {
                    nd.pf(format_args!(
                        "[bad udp cksum 0x{udp_sum:04x} -> 0x{:04x}!] ",
                        in_cksum_shouldbe(udp_sum, sum)
                    ));
                } else {
                    nd.p("[udp sum ok] ");
                }
            }
        } else if v6 && nd.ttest(cp, length) {
            let acc = pseudo6(nd, iph, ip::IPPROTO_UDP, length + 8)?;
            let sum = in_cksum(nd.bytes(bp, length + 8)?, acc);
            let udp_sum = nd.be16(bp + 6)?;
            if sum != 0 {
                nd.pf(format_args!(
                    "[bad udp cksum 0x{udp_sum:04x} -> 0x{:04x}!] ",
                    in_cksum_shouldbe(udp_sum, sum)
                ));
            } else {
                nd.p("[udp sum ok] ");
            }
        }
    }
    let port = |p: u16| sport == p || dport == p;
    if !nd.o.quiet {
        if port(NAMESERVER_PORT) {
            return dns::domain_print(nd, cp, length, false, false);
        } else if port(MULTICASTDNS_PORT) {
            return dns::domain_print(nd, cp, length, false, true);
        } else if port(BOOTPC_PORT) || port(BOOTPS_PORT) {
            return bootp::bootp_print(nd, cp, length);
        } else if port(ISAKMP_PORT_NATT) {
            return ipsec::rfc3948_print(nd, cp, length);
        } else if port(DHCP6_SERV_PORT) || port(DHCP6_CLI_PORT) {
            return dhcp6::dhcp6_print(nd, cp, length);
        } else if port(SYSLOG_PORT) {
            return text::syslog_print(nd, cp, length);
        } else if port(VXLAN_PORT) {
            return gre::vxlan_print(nd, cp, length);
        }
    }
    if ulen > length && !fragmented {
        nd.pf(format_args!("UDP, bad length {ulen} > {length}"));
    } else {
        nd.pf(format_args!("UDP, length {ulen}"));
    }
    Ok(())
}
