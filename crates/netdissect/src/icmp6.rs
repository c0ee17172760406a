//! ICMPv6 (print-icmp6.c): errors, echo, neighbour discovery (RS, RA, NS, NA, redirect) with
//! `-v` option details, and MLD v1 and v2.

use crate::dns;
use crate::icmp::unknown_data;
use crate::ip;
use crate::nd::{bittok2str, in_cksum, in_cksum_shouldbe, Nd, R};
use crate::udp::pseudo6;

fn type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "destination unreachable",
        2 => "packet too big",
        3 => "time exceeded in-transit",
        4 => "parameter problem",
        128 => "echo request",
        129 => "echo reply",
        130 => "multicast listener query",
        131 => "multicast listener report",
        132 => "multicast listener done",
        133 => "router solicitation",
        134 => "router advertisement",
        135 => "neighbor solicitation",
        136 => "neighbor advertisement",
        137 => "redirect",
        138 => "router renumbering",
        141 => "inverse neighbor solicitation",
        142 => "inverse neighbor advertisement",
        143 => "multicast listener report v2",
        144 => "ha discovery request",
        145 => "ha discovery reply",
        146 => "mobile router solicitation",
        147 => "mobile router advertisement",
        139 => "who-are-you request",
        140 => "who-are-you reply",
        201 => "mtrace message",
        200 => "mtrace response",
        155 => "RPL",
        _ => return None,
    })
}

fn rtpref(v: u8) -> &'static str {
    ["medium", "high", "rsv", "low"][usize::from((v & 0x18) >> 3)]
}

fn lifetime(v: u32) -> String {
    if v == u32::MAX {
        "infinity".to_string()
    } else {
        format!("{v}s")
    }
}

/// The transport protocol and the offset of its header inside a quoted IPv6 packet
/// (`get_upperlayer`).
fn upper_layer(nd: &Nd, ip6: usize) -> R<Option<(u8, usize)>> {
    if !nd.ttest(ip6 + 6, 1) {
        return Ok(None);
    }
    let mut nh = nd.u8(ip6 + 6)?;
    let mut bp = ip6;
    let mut hlen = 40;
    while bp < nd.snapend {
        bp += hlen;
        match nh {
            ip::IPPROTO_UDP | ip::IPPROTO_TCP => {
                return Ok(if nd.ttest(bp + 2, 2) {
                    Some((nh, bp))
                } else {
                    None
                });
            }
            0 | 60 | 43 => {
                if !nd.ttest(bp + 1, 1) {
                    return Ok(None);
                }
                nh = nd.u8(bp)?;
                hlen = (usize::from(nd.u8(bp + 1)?) + 1) << 3;
            }
            44 => {
                if !nd.ttest(bp + 2, 2) {
                    return Ok(None);
                }
                if nd.be16(bp + 2)? & 0xfff8 != 0 {
                    return Ok(None);
                }
                nh = nd.u8(bp)?;
                hlen = 8;
            }
            51 => {
                if !nd.ttest(bp + 1, 1) {
                    return Ok(None);
                }
                nh = nd.u8(bp)?;
                hlen = (usize::from(nd.u8(bp + 1)?) + 2) << 2;
            }
            _ => return Ok(None),
        }
    }
    Ok(None)
}

pub(crate) fn icmp6_print(
    nd: &mut Nd,
    bp: usize,
    length: usize,
    iph: usize,
    fragmented: bool,
) -> R {
    nd.protocol = "icmp6";
    let oip = bp + 8;
    if length == 0 {
        nd.p("ICMP6, length 0");
        nd.print_invalid();
        return Ok(());
    }
    let v = nd.o.verbose;
    if v > 0 && !fragmented && nd.ttest(bp, length) {
        let cksum = nd.be16(bp + 2)?;
        let acc = pseudo6(nd, iph, ip::IPPROTO_ICMPV6, length)?;
        let sum = in_cksum(nd.bytes(bp, length)?, acc);
        if sum != 0 {
            nd.pf(format_args!(
                "[bad icmp6 cksum 0x{cksum:04x} -> 0x{:04x}!] ",
                in_cksum_shouldbe(cksum, sum)
            ));
        } else {
            nd.p("[icmp6 sum ok] ");
        }
    }
    let ty = nd.u8(bp)?;
    match type_name(ty) {
        Some(n) => nd.pf(format_args!("ICMP6, {n}")),
        None => nd.pf(format_args!("ICMP6, unknown icmp6 type ({ty})")),
    }
    if v > 0 && matches!(ty, 133 | 134 | 136 | 135 | 137 | 145 | 147) {
        nd.pf(format_args!(", length {length}"));
    }
    let code = nd.u8(bp + 1)?;
    let ok = match ty {
        1 => {
            let cname = match code {
                0 => "unreachable route".to_string(),
                1 => " unreachable prohibited".to_string(),
                2 => "beyond scope".to_string(),
                3 => "unreachable address".to_string(),
                4 => "unreachable port".to_string(),
                _ => format!("unknown unreach code ({code})"),
            };
            nd.pf(format_args!(", {cname}"));
            match code {
                0 | 1 | 3 => {
                    let d = nd.ip6addr(oip + 24)?;
                    nd.pf(format_args!(" {d}"));
                    true
                }
                2 => {
                    let d = nd.ip6addr(oip + 24)?;
                    let s = nd.ip6addr(oip + 8)?;
                    nd.pf(format_args!(" {d}, source address {s}"));
                    true
                }
                4 => match upper_layer(nd, oip)? {
                    None => false,
                    Some((prot, uh)) => {
                        let dport = nd.be16(uh + 2)?;
                        let d = nd.ip6addr(oip + 24)?;
                        match prot {
                            ip::IPPROTO_TCP => {
                                let p = nd.tcpport(dport);
                                nd.pf(format_args!(", {d} tcp port {p}"));
                            }
                            _ => {
                                let p = nd.udpport(dport);
                                nd.pf(format_args!(", {d} udp port {p}"));
                            }
                        }
                        true
                    }
                },
                _ => {
                    if v <= 1 {
                        return unknown_data(nd, bp, "\n\t", length);
                    }
                    true
                }
            }
        }
        2 => {
            let mtu = nd.be32(bp + 4)?;
            nd.pf(format_args!(", mtu {mtu}"));
            true
        }
        3 => {
            match code {
                0 => {
                    let d = nd.ip6addr(oip + 24)?;
                    nd.pf(format_args!(" for {d}"));
                }
                1 => nd.p(" (reassembly)"),
                _ => nd.pf(format_args!(", unknown code ({code})")),
            }
            true
        }
        4 => {
            if !nd.ttest(oip + 24, 16) {
                false
            } else {
                let ptr = nd.be32(bp + 4)?;
                match code {
                    0 => nd.pf(format_args!(", erroneous - octet {ptr}")),
                    1 => nd.pf(format_args!(", next header - octet {ptr}")),
                    2 => nd.pf(format_args!(", option - octet {ptr}")),
                    3 => nd.pf(format_args!(", incomplete header chain - octet {ptr}")),
                    _ => nd.pf(format_args!(", code-#{code}")),
                }
                true
            }
        }
        128 | 129 => {
            let id = nd.be16(bp + 4)?;
            let seq = nd.be16(bp + 6)?;
            nd.pf(format_args!(", id {id}, seq {seq}"));
            true
        }
        130 => {
            if length == 24 {
                mld6_print(nd, bp)?;
            } else if length >= 28 {
                nd.p(" v2");
                mldv2_query_print(nd, bp, length)?;
            } else {
                nd.pf(format_args!(" unknown-version (len {length}) "));
            }
            true
        }
        131 | 132 => {
            mld6_print(nd, bp)?;
            true
        }
        133 => v == 0 || opt_print(nd, bp + 8, length as isize - 8)?,
        134 => {
            if v > 0 {
                let hop = nd.u8(bp + 4)?;
                let flags = nd.u8(bp + 5)?;
                let fl = bittok2str(
                    &[
                        (0x80, "managed"),
                        (0x40, "other stateful"),
                        (0x20, "home agent"),
                        (0x02, "ipv6 only"),
                    ],
                    "none",
                    u32::from(flags),
                    ", ",
                );
                let life = nd.be16(bp + 6)?;
                let reach = nd.be32(bp + 8)?;
                let retrans = nd.be32(bp + 12)?;
                nd.pf(format_args!(
                    "\n\thop limit {hop}, Flags [{fl}], pref {}, router lifetime {life}s, reachable time {reach}ms, retrans timer {retrans}ms",
                    rtpref(flags)
                ));
                opt_print(nd, bp + 16, length as isize - 16)?
            } else {
                true
            }
        }
        135 => {
            let t = nd.ip6addr(bp + 8)?;
            nd.pf(format_args!(", who has {t}"));
            v == 0 || opt_print(nd, bp + 24, length as isize - 24)?
        }
        136 => {
            let t = nd.ip6addr(bp + 8)?;
            nd.pf(format_args!(", tgt is {t}"));
            if v > 0 {
                let flags = nd.be32(bp + 4)?;
                let fl = bittok2str(
                    &[
                        (0x8000_0000, "router"),
                        (0x4000_0000, "solicited"),
                        (0x2000_0000, "override"),
                    ],
                    "none",
                    flags,
                    ", ",
                );
                nd.pf(format_args!(", Flags [{fl}]"));
                opt_print(nd, bp + 24, length as isize - 24)?
            } else {
                true
            }
        }
        137 => {
            let d = nd.ip6addr(bp + 24)?;
            nd.pf(format_args!(", {d}"));
            let t = nd.ip6addr(bp + 8)?;
            nd.pf(format_args!(" to {t}"));
            v == 0 || opt_print(nd, bp + 40, length as isize - 40)?
        }
        141 | 142 => true,
        143 => {
            mldv2_report_print(nd, bp, length)?;
            true
        }
        146 | 144 => {
            let id = nd.be16(bp + 4)?;
            nd.pf(format_args!(", id 0x{id:04x}"));
            true
        }
        _ => {
            nd.pf(format_args!(", length {length}"));
            if v <= 1 {
                unknown_data(nd, bp, "\n\t", length)?;
            }
            return Ok(());
        }
    };
    if !ok {
        nd.print_trunc();
        return Ok(());
    }
    if v == 0 {
        nd.pf(format_args!(", length {length}"));
    }
    Ok(())
}

fn mld6_print(nd: &mut Nd, bp: usize) -> R {
    if bp + 24 > nd.snapend {
        return Ok(());
    }
    let d = nd.be16(bp + 4)?;
    nd.pf(format_args!("max resp delay: {d} "));
    let a = nd.ip6addr(bp + 8)?;
    nd.pf(format_args!("addr: {a}"));
    Ok(())
}

fn mldv2_report_print(nd: &mut Nd, bp: usize, len: usize) -> R {
    if len < 8 {
        nd.pf(format_args!(" [invalid len {len}]"));
        return Ok(());
    }
    let ngroups = usize::from(nd.be16(bp + 6)?);
    nd.pf(format_args!(", {ngroups} group record(s)"));
    if nd.o.verbose > 0 {
        let mut group = 8;
        for _ in 0..ngroups {
            if len < group + 20 {
                nd.p(" [invalid number of groups]");
                return Ok(());
            }
            let g = nd.ip6addr(bp + group + 4)?;
            nd.pf(format_args!(" [gaddr {g}"));
            let t = nd.u8(bp + group)?;
            match t {
                1..=6 => nd.pf(format_args!(
                    " {}",
                    ["is_in", "is_ex", "to_in", "to_ex", "allow", "block"][usize::from(t - 1)]
                )),
                _ => nd.pf(format_args!("  [v2-report-#{t}]")),
            }
            let nsrcs = usize::from(nd.be16(bp + group + 2)?);
            if len < group + 20 + nsrcs * 16 {
                nd.pf(format_args!(" [invalid number of sources {nsrcs}]"));
                return Ok(());
            }
            if nd.o.verbose == 1 {
                nd.pf(format_args!(", {nsrcs} source(s)"));
            } else {
                nd.p(" {");
                for j in 0..nsrcs {
                    let s = nd.ip6addr(bp + group + 20 + j * 16)?;
                    nd.pf(format_args!(" {s}"));
                }
                nd.p(" }");
            }
            group += 20 + nsrcs * 16;
            nd.p("]");
        }
    }
    Ok(())
}

fn mldv2_query_print(nd: &mut Nd, bp: usize, len: usize) -> R {
    if len < 28 {
        nd.pf(format_args!(" [invalid len {len}]"));
        return Ok(());
    }
    let mrc = u32::from(nd.be16(bp + 4)?);
    let mrt = if mrc < 32768 {
        mrc
    } else {
        ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3)
    };
    let v = nd.o.verbose;
    if v > 0 {
        nd.pf(format_args!(" [max resp delay={mrt}]"));
    }
    let g = nd.ip6addr(bp + 8)?;
    nd.pf(format_args!(" [gaddr {g}"));
    if v > 0 {
        let f = nd.u8(bp + 24)?;
        if f & 0x08 != 0 {
            nd.p(" sflag");
        }
        if f & 0x07 != 0 {
            nd.pf(format_args!(" robustness={}", f & 0x07));
        }
        let q = u32::from(nd.u8(bp + 25)?);
        let qqi = if q < 128 {
            q
        } else {
            ((q & 0x0f) | 0x10) << (((q & 0x70) >> 4) + 3)
        };
        nd.pf(format_args!(" qqi={qqi}"));
    }
    let nsrcs = usize::from(nd.be16(bp + 26)?);
    if nsrcs > 0 {
        if len < 28 + nsrcs * 16 {
            nd.p(" [invalid number of sources]");
        } else if v > 1 {
            nd.p(" {");
            for i in 0..nsrcs {
                let s = nd.ip6addr(bp + 28 + i * 16)?;
                nd.pf(format_args!(" {s}"));
            }
            nd.p(" }");
        } else {
            nd.pf(format_args!(", {nsrcs} source(s)"));
        }
    }
    nd.p("]");
    Ok(())
}

/// Neighbour discovery options; false when cut short (`icmp6_opt_print`).
fn opt_print(nd: &mut Nd, bp: usize, mut resid: isize) -> R<bool> {
    let mut cp = bp;
    let ep = nd.snapend;
    while cp < ep {
        if !nd.ttest(cp + 1, 1) {
            return Ok(false);
        }
        if resid <= 0 {
            return Ok(true);
        }
        let ty = nd.u8(cp)?;
        let olen = usize::from(nd.u8(cp + 1)?);
        if olen == 0 || cp + (olen << 3) > ep {
            return Ok(false);
        }
        let name = match ty {
            1 => "source link-address",
            2 => "destination link-address",
            3 => "prefix info",
            4 => "redirected header",
            5 => "mtu",
            25 => "rdnss",
            31 => "dnssl",
            7 => "advertisement interval",
            8 => "homeagent information",
            24 => "route info",
            _ => "unknown",
        };
        nd.pf(format_args!(
            "\n\t  {name} option ({ty}), length {} ({olen}): ",
            olen << 3
        ));
        match ty {
            1 | 2 => {
                let b = nd.rest(cp + 2);
                let l = (olen << 3) - 2;
                let s: Vec<String> = b.iter().take(l).map(|x| format!("{x:02x}")).collect();
                nd.p(&s.join(":"));
            }
            3 => {
                let prefix = nd.ip6addr(cp + 16)?;
                let plen = nd.u8(cp + 2)?;
                let flags = nd.u8(cp + 3)?;
                let fl = bittok2str(
                    &[(0x80, "onlink"), (0x40, "auto"), (0x20, "router")],
                    "none",
                    u32::from(flags),
                    ", ",
                );
                let valid = nd.be32(cp + 4)?;
                nd.pf(format_args!(
                    "{prefix}/{plen}{}, Flags [{fl}], valid time {}",
                    if olen != 4 { "badlen" } else { "" },
                    lifetime(valid)
                ));
                let pref = nd.be32(cp + 8)?;
                nd.pf(format_args!(", pref. time {}", lifetime(pref)));
            }
            4 => unknown_data(nd, bp, "\n\t    ", olen << 3)?,
            5 => {
                let mtu = nd.be32(cp + 4)?;
                nd.pf(format_args!(
                    " {mtu}{}",
                    if olen != 1 { "bad option length" } else { "" }
                ));
            }
            25 => {
                let life = nd.be32(cp + 4)?;
                nd.pf(format_args!(" lifetime {life}s,"));
                for i in 0..(olen - 1) / 2 {
                    let a = nd.ip6addr(cp + 8 + 16 * i)?;
                    nd.pf(format_args!(" addr: {a}"));
                }
            }
            31 => {
                let life = nd.be32(cp + 4)?;
                nd.pf(format_args!(" lifetime {life}s, domain(s):"));
                let mut domp = cp + 8;
                while domp < cp + (olen << 3) && nd.u8(domp)? != 0 {
                    nd.p(" ");
                    match dns::fqdn_print(nd, domp, bp)? {
                        Some(next) => domp = next,
                        None => return Ok(false),
                    }
                }
            }
            7 => {
                let i = nd.be32(cp + 4)?;
                nd.pf(format_args!(" {i}ms"));
            }
            8 => {
                let p = nd.be16(cp + 4)?;
                let l = nd.be16(cp + 6)?;
                nd.pf(format_args!(" preference {p}, lifetime {l}"));
            }
            24 => {
                if !nd.ttest(cp + 4, 4) {
                    return Ok(false);
                }
                let mut a = [0u8; 16];
                match olen {
                    1 => {}
                    2 => a[..8].copy_from_slice(nd.bytes(cp + 8, 8)?),
                    3 => a.copy_from_slice(nd.bytes(cp + 8, 16)?),
                    _ => return Ok(false),
                }
                let plen = nd.u8(cp + 2)?;
                nd.pf(format_args!(" {}/{plen}", crate::nd::ip6_to_string(&a)));
                let flags = nd.u8(cp + 3)?;
                nd.pf(format_args!(", pref={}", rtpref(flags)));
                let life = nd.be32(cp + 4)?;
                nd.pf(format_args!(", lifetime={}", lifetime(life)));
            }
            _ => {
                if nd.o.verbose <= 1 {
                    unknown_data(nd, cp + 2, "\n\t  ", (olen << 3) - 2)?;
                    return Ok(true);
                }
            }
        }
        if nd.o.verbose > 1 {
            unknown_data(nd, cp + 2, "\n\t    ", (olen << 3) - 2)?;
        }
        cp += olen << 3;
        resid -= (olen << 3) as isize;
    }
    Ok(true)
}
