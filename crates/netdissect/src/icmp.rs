//! ICMP for IPv4 (print-icmp.c): echo, unreachable with the quoted header, time exceeded,
//! redirect, and with `-v` the quoted IP packet and RFC 4884 extensions.

use crate::hex;
use crate::ip;
use crate::nd::{in_cksum, in_cksum_shouldbe, Nd, R};

const ICMP_ECHOREPLY: u8 = 0;
const ICMP_UNREACH: u8 = 3;
const ICMP_SOURCEQUENCH: u8 = 4;
const ICMP_REDIRECT: u8 = 5;
const ICMP_ECHO: u8 = 8;
const ICMP_ROUTERADVERT: u8 = 9;
const ICMP_TIMXCEED: u8 = 11;
const ICMP_PARAMPROB: u8 = 12;
const ICMP_TSTAMP: u8 = 13;
const ICMP_TSTAMPREPLY: u8 = 14;
const ICMP_MASKREPLY: u8 = 18;
/// The original datagram of an RFC 4884 message is padded to 128 bytes after the 8-byte
/// ICMP header (`ICMP_EXTD_MINLEN`, 156 minus an IP header).
const ICMP_EXTD_MINLEN: usize = 136;

/// Milliseconds since midnight UTC as `HH:MM:SS.mmm`.
fn tstamp(t: u32) -> String {
    let msec = t % 1000;
    let sec = t / 1000;
    let min = sec / 60;
    let hrs = min / 60;
    format!("{:02}:{:02}:{:02}.{msec:03}", hrs, min % 60, sec % 60)
}

/// An ICMP message at `bp` of `plen` bytes; `fragmented` when the IP packet has more
/// fragments.
pub(crate) fn icmp_print(nd: &mut Nd, bp: usize, plen: usize, fragmented: bool) -> R {
    nd.protocol = "icmp";
    let ty = nd.u8(bp)?;
    let code = nd.u8(bp + 1)?;
    let oip = bp + 8; // the quoted IP header of an error
    let dst = oip + 16;
    let s: String = match ty {
        ICMP_ECHO | ICMP_ECHOREPLY => format!(
            "echo {}, id {}, seq {}",
            if ty == ICMP_ECHO { "request" } else { "reply" },
            nd.be16(bp + 4)?,
            nd.be16(bp + 6)?
        ),
        ICMP_UNREACH => match code {
            0 => format!("net {} unreachable", nd.ipaddr(dst)?),
            1 => format!("host {} unreachable", nd.ipaddr(dst)?),
            2 => format!(
                "{} protocol {} unreachable",
                nd.ipaddr(dst)?,
                nd.u8(oip + 9)?
            ),
            3 => {
                if !nd.ttest(oip + 9, 1) {
                    nd.print_trunc();
                    return Ok(());
                }
                let hlen = usize::from(nd.u8(oip)? & 0x0f) * 4;
                let dport = nd.be16(oip + hlen + 2)?;
                let proto = nd.u8(oip + 9)?;
                match proto {
                    ip::IPPROTO_TCP => format!(
                        "{} tcp port {} unreachable",
                        nd.ipaddr(dst)?,
                        nd.tcpport(dport)
                    ),
                    ip::IPPROTO_UDP => format!(
                        "{} udp port {} unreachable",
                        nd.ipaddr(dst)?,
                        nd.udpport(dport)
                    ),
                    _ => format!(
                        "{} protocol {proto} port {dport} unreachable",
                        nd.ipaddr(dst)?
                    ),
                }
            }
            4 => {
                let mtu = nd.be16(bp + 6)?;
                if mtu != 0 {
                    format!("{} unreachable - need to frag (mtu {mtu})", nd.ipaddr(dst)?)
                } else {
                    format!("{} unreachable - need to frag", nd.ipaddr(dst)?)
                }
            }
            5 => format!("{} unreachable - source route failed", nd.ipaddr(dst)?),
            6 => format!("net {} unreachable - unknown", nd.ipaddr(dst)?),
            7 => format!("host {} unreachable - unknown", nd.ipaddr(dst)?),
            8 => format!("{} unreachable - source host isolated", nd.ipaddr(dst)?),
            9 => format!("net {} unreachable - admin prohibited", nd.ipaddr(dst)?),
            10 => format!("host {} unreachable - admin prohibited", nd.ipaddr(dst)?),
            11 => format!("net {} unreachable - tos prohibited", nd.ipaddr(dst)?),
            12 => format!("host {} unreachable - tos prohibited", nd.ipaddr(dst)?),
            13 => format!(
                "host {} unreachable - admin prohibited filter",
                nd.ipaddr(dst)?
            ),
            14 => format!(
                "host {} unreachable - host precedence violation",
                nd.ipaddr(dst)?
            ),
            15 => format!("host {} unreachable - precedence cutoff", nd.ipaddr(dst)?),
            _ => format!("{} unreachable - #{code}", nd.ipaddr(dst)?),
        },
        ICMP_REDIRECT => {
            let d = nd.ipaddr(dst)?;
            let gw = nd.ipaddr(bp + 4)?;
            match code {
                0 => format!("redirect {d} to net {gw}"),
                1 => format!("redirect {d} to host {gw}"),
                2 => format!("redirect-tos {d} to net {gw}"),
                3 => format!("redirect-tos {d} to host {gw}"),
                _ => format!("redirect-#{code} {d} to {gw}"),
            }
        }
        ICMP_ROUTERADVERT => {
            let mut s = String::from("router advertisement");
            if !nd.ttest(bp + 4, 4) {
                nd.print_trunc();
                return Ok(());
            }
            s.push_str(" lifetime ");
            let lifetime = u32::from(nd.be16(bp + 6)?);
            if lifetime < 60 {
                s.push_str(&lifetime.to_string());
            } else if lifetime < 3600 {
                s.push_str(&format!("{}:{:02}", lifetime / 60, lifetime % 60));
            } else {
                s.push_str(&format!(
                    "{}:{:02}:{:02}",
                    lifetime / 3600,
                    lifetime % 3600 / 60,
                    lifetime % 60
                ));
            }
            let num = nd.u8(bp + 4)?;
            s.push_str(&format!(" {num}:"));
            let size = nd.u8(bp + 5)?;
            if size != 2 {
                s.push_str(&format!(" [size {size}]"));
            } else {
                let mut idp = bp + 8;
                for _ in 0..num {
                    if !nd.ttest(idp, 8) {
                        nd.print_trunc();
                        return Ok(());
                    }
                    s.push_str(&format!(" {{{} {}}}", nd.ipaddr(idp)?, nd.be32(idp + 4)?));
                    idp += 8;
                }
            }
            s
        }
        ICMP_TIMXCEED => {
            if !nd.ttest(dst, 4) {
                nd.print_trunc();
                return Ok(());
            }
            match code {
                0 => "time exceeded in-transit".into(),
                1 => "ip reassembly time exceeded".into(),
                _ => format!("time exceeded-#{code}"),
            }
        }
        ICMP_PARAMPROB => {
            if code != 0 {
                format!("parameter problem - code {code}")
            } else {
                format!("parameter problem - octet {}", nd.u8(bp + 4)?)
            }
        }
        ICMP_MASKREPLY => format!("address mask is 0x{:08x}", nd.be32(bp + 8)?),
        ICMP_TSTAMP => format!(
            "time stamp query id {} seq {}",
            nd.be16(bp + 4)?,
            nd.be16(bp + 6)?
        ),
        ICMP_TSTAMPREPLY => {
            if !nd.ttest(bp + 16, 4) {
                nd.print_trunc();
                return Ok(());
            }
            format!(
                "time stamp reply id {} seq {}: org {}, recv {}, xmit {}",
                nd.be16(bp + 4)?,
                nd.be16(bp + 6)?,
                tstamp(nd.be32(bp + 8)?),
                tstamp(nd.be32(bp + 12)?),
                tstamp(nd.be32(bp + 16)?)
            )
        }
        4 => "source quench".into(),
        10 => "router solicitation".into(),
        15 => "information request".into(),
        16 => "information reply".into(),
        17 => "address mask request".into(),
        _ => format!("type-#{ty}"),
    };
    nd.pf(format_args!("ICMP {s}, length {plen}"));
    if nd.o.verbose > 0 && !fragmented && nd.ttest(bp, plen) {
        let sum = in_cksum(nd.bytes(bp, plen)?, 0);
        if sum != 0 {
            let icmp_sum = nd.be16(bp + 2)?;
            nd.pf(format_args!(
                " (wrong icmp cksum {icmp_sum:x} (->{:x})!)",
                in_cksum_shouldbe(icmp_sum, sum)
            ));
        }
    }
    let errtype = matches!(
        ty,
        ICMP_UNREACH | ICMP_SOURCEQUENCH | ICMP_REDIRECT | ICMP_TIMXCEED | ICMP_PARAMPROB
    );
    if nd.o.verbose > 0 && errtype {
        nd.p("\n\t");
        let inner_len = usize::from(nd.be16(oip + 2)?);
        let saved = nd.snapend;
        nd.snapend = nd.snapend.min(oip + inner_len);
        let r = ip::ip_print(nd, oip, inner_len);
        nd.snapend = saved;
        r?;
    }
    nd.protocol = "icmp";
    if nd.o.verbose > 0
        && plen > ICMP_EXTD_MINLEN
        && matches!(ty, ICMP_UNREACH | ICMP_TIMXCEED | ICMP_PARAMPROB)
    {
        multipart_print(nd, bp, plen)?;
    }
    Ok(())
}

/// RFC 4884 / RFC 4950 extension objects after the padded original datagram.
fn multipart_print(nd: &mut Nd, bp: usize, plen: usize) -> R {
    // The fixed part tcpdump's structure covers: 8 + 128 + 2 + 2 + 1 bytes.
    if !nd.ttest(bp, 141) {
        nd.print_trunc();
        return Ok(());
    }
    let ext = bp + ICMP_EXTD_MINLEN;
    if nd.u8(bp + 5)? == 0 && nd.ttest(ext, plen - ICMP_EXTD_MINLEN) {
        // Without a length field, only a verifying checksum says there are extensions.
        if in_cksum(nd.bytes(ext, plen - ICMP_EXTD_MINLEN)?, 0) != 0 {
            return Ok(());
        }
    }
    let version = nd.u8(ext)? >> 4;
    nd.pf(format_args!("\n\tICMP Multi-Part extension v{version}"));
    if version != 2 {
        nd.p(" packet not supported");
        return Ok(());
    }
    let mut hlen = plen - ICMP_EXTD_MINLEN;
    if nd.ttest(ext, hlen) {
        let ck = nd.be16(ext + 2)?;
        let bad = in_cksum(nd.bytes(ext, hlen)?, 0) != 0;
        nd.pf(format_args!(
            ", checksum 0x{ck:04x} ({}correct), length {hlen}",
            if bad { "in" } else { "" }
        ));
    }
    hlen = hlen.saturating_sub(4);
    let mut obj = ext + 4;
    while hlen > 4 {
        if !nd.ttest(obj, 4) {
            nd.print_trunc();
            return Ok(());
        }
        let obj_tlen = usize::from(nd.be16(obj)?);
        let class = nd.u8(obj + 2)?;
        let ctype = nd.u8(obj + 3)?;
        obj += 4;
        let name = match class {
            1 => "MPLS Stack Entry",
            2 => "Interface Identification",
            _ => "unknown",
        };
        nd.pf(format_args!(
            "\n\t  {name} Object ({class}), Class-Type: {ctype}, length {obj_tlen}"
        ));
        hlen -= 4;
        if class == 0 || obj_tlen < 4 {
            return Ok(());
        }
        let obj_tlen = obj_tlen - 4;
        if class == 1 && ctype == 1 {
            let raw = nd.be32(obj)?;
            nd.pf(format_args!(
                "\n\t    label {}, tc {}",
                raw >> 12,
                (raw >> 9) & 7
            ));
            if raw & 0x100 != 0 {
                nd.p(", [S]");
            }
            nd.pf(format_args!(", ttl {}", raw & 0xff));
        } else {
            unknown_data(nd, obj, "\n\t    ", obj_tlen)?;
        }
        if hlen < obj_tlen {
            break;
        }
        hlen -= obj_tlen;
        obj += obj_tlen;
    }
    Ok(())
}

/// Hex of bytes no printer decodes, as far as they were captured (`print_unknown_data`).
pub(crate) fn unknown_data(nd: &mut Nd, off: usize, ident: &str, len: usize) -> R {
    if !nd.ttest(off, 0) {
        nd.pf(format_args!(
            "{ident}Dissector error: print_unknown_data called with pointer past end of packet"
        ));
        return Ok(());
    }
    let n = len.min(nd.avail(off));
    hex::hex_print(nd, ident, off, n)
}
