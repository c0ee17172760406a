//! IPv6 (print-ip6.c, print-ip6opts.c, print-frag6.c, print-rt6.c): the `IP6 src > dst: `
//! line, `-v` header details, and the extension headers before the payload.

use crate::ip::{self, ipproto_name};
use crate::nd::{Nd, R};

const IPPROTO_HOPOPTS: u8 = 0;
const IPPROTO_ROUTING: u8 = 43;
const IPPROTO_FRAGMENT: u8 = 44;
const IPPROTO_DSTOPTS: u8 = 60;
const IPPROTO_MOBILITY_OLD: u8 = 62;
const IPPROTO_MOBILITY: u8 = 135;

/// An IPv6 packet at `bp` of `length` bytes (`ip6_print`).
pub(crate) fn ip6_print(nd: &mut Nd, bp: usize, length: usize) -> R {
    nd.protocol = "ip6";
    if !nd.ttest(bp, 40) {
        nd.print_trunc();
        return Ok(());
    }
    if length < 40 {
        nd.pf(format_args!("truncated-ip6 {length}"));
        return Ok(());
    }
    if !nd.o.ether {
        nd.p("IP6 ");
    }
    let v = nd.u8(bp)? >> 4;
    if v != 6 {
        nd.pf(format_args!("version error: {v} != 6"));
        return Ok(());
    }
    let mut payload_len = u32::from(nd.be16(bp + 4)?);
    let mut len = if payload_len != 0 {
        let l = payload_len as usize + 40;
        if length < l {
            nd.pf(format_args!(
                "truncated-ip6 - {} bytes missing!",
                l - length
            ));
        }
        l
    } else {
        length + 40
    };
    let mut ph: u8 = 255;
    let mut nh = nd.u8(bp + 6)?;
    if nd.o.verbose > 0 {
        let flow = nd.be32(bp)?;
        nd.p("(");
        if flow & 0x0ff0_0000 != 0 {
            nd.pf(format_args!("class 0x{:02x}, ", (flow & 0x0ff0_0000) >> 20));
        }
        if flow & 0x000f_ffff != 0 {
            nd.pf(format_args!("flowlabel 0x{:05x}, ", flow & 0x000f_ffff));
        }
        let hlim = nd.u8(bp + 7)?;
        nd.pf(format_args!(
            "hlim {hlim}, next-header {} ({nh}) payload length: {payload_len}) ",
            ipproto_name(nh).unwrap_or("unknown")
        ));
    }
    nd.push_snaplen(bp, len);
    let mut cp = bp;
    let mut advance: usize = 40;
    let mut total_advance = 0;
    let mut found_extension_header = false;
    let mut found_jumbo = false;
    let mut found_hbh = false;
    let mut fragmented = false;
    while cp < nd.snapend && advance > 0 {
        if len < advance {
            nd.print_trunc();
            return Ok(());
        }
        cp += advance;
        len -= advance;
        total_advance += advance;
        if cp == bp + 40
            && !matches!(
                nh,
                ip::IPPROTO_TCP | ip::IPPROTO_UDP | ip::IPPROTO_DCCP | ip::IPPROTO_SCTP
            )
        {
            let s = nd.ip6addr(bp + 8)?;
            let d = nd.ip6addr(bp + 24)?;
            nd.pf(format_args!("{s} > {d}: "));
        }
        match nh {
            IPPROTO_HOPOPTS => {
                if found_hbh {
                    nd.p("[The Hop-by-Hop Options header was already found]");
                    nd.print_invalid();
                    return Ok(());
                }
                if ph != 255 {
                    nd.p("[The Hop-by-Hop Options header don't follow the IPv6 header]");
                    nd.print_invalid();
                    return Ok(());
                }
                let adv = hbhopt_process(nd, cp, &mut found_jumbo, &mut payload_len)?;
                if payload_len == 0 && !found_jumbo {
                    nd.p("[No valid Jumbo Payload Hop-by-Hop option found]");
                    nd.print_invalid();
                    return Ok(());
                }
                let Some(adv) = adv else {
                    nd.pop_snaplen();
                    return Ok(());
                };
                advance = adv;
                found_extension_header = true;
                found_hbh = true;
                nh = nd.u8(cp)?;
            }
            IPPROTO_DSTOPTS => {
                let Some(adv) = dstopt_process(nd, cp)? else {
                    nd.pop_snaplen();
                    return Ok(());
                };
                advance = adv;
                found_extension_header = true;
                nh = nd.u8(cp)?;
            }
            IPPROTO_FRAGMENT => {
                let adv = frag6_print(nd, cp, bp)?;
                match adv {
                    Some(a) if nd.snapend > cp + a => advance = a,
                    _ => {
                        nd.pop_snaplen();
                        return Ok(());
                    }
                }
                found_extension_header = true;
                nh = nd.u8(cp)?;
                fragmented = true;
            }
            IPPROTO_MOBILITY_OLD | IPPROTO_MOBILITY => {
                // The mobility header printer is not reproduced; tcpdump stops after it.
                nd.p("MOBILITY");
                nd.pop_snaplen();
                return Ok(());
            }
            IPPROTO_ROUTING => {
                nd.u8(cp)?;
                let Some(adv) = rt6_print(nd, cp)? else {
                    nd.pop_snaplen();
                    return Ok(());
                };
                advance = adv;
                found_extension_header = true;
                nh = nd.u8(cp)?;
            }
            _ => {
                if found_jumbo {
                    len = payload_len as usize + 40;
                    if len < total_advance {
                        nd.print_trunc();
                        return Ok(());
                    }
                    if length < len {
                        nd.pf(format_args!(
                            "truncated-ip6 - {} bytes missing!",
                            len - length
                        ));
                    }
                    nd.change_snaplen(bp, len);
                    len -= total_advance;
                } else if payload_len == 0 {
                    if found_extension_header {
                        nd.print_trunc();
                        return Ok(());
                    }
                    len = 40;
                    nd.change_snaplen(bp, len);
                    len -= total_advance;
                }
                let hlim = nd.u8(bp + 7)?;
                ip::ip_demux_print(nd, cp, len, 6, fragmented, hlim, nh, bp)?;
                nd.pop_snaplen();
                return Ok(());
            }
        }
        ph = nh;
        nd.protocol = "ip6";
    }
    nd.pop_snaplen();
    Ok(())
}

/// The hop-by-hop header: `HBH ` and, with `-v`, its options; `None` when cut short.
fn hbhopt_process(
    nd: &mut Nd,
    bp: usize,
    found_jumbo: &mut bool,
    payload_len: &mut u32,
) -> R<Option<usize>> {
    nd.protocol = "hbhopt";
    let hbhlen = (usize::from(nd.u8(bp + 1)?) + 1) << 3;
    if !nd.ttest(bp, hbhlen) {
        nd.print_trunc();
        return Ok(None);
    }
    nd.p("HBH ");
    if !ip6_opt_process(nd, bp + 2, hbhlen - 2, Some((found_jumbo, payload_len)))? {
        nd.print_trunc();
        return Ok(None);
    }
    Ok(Some(hbhlen))
}

fn dstopt_process(nd: &mut Nd, bp: usize) -> R<Option<usize>> {
    nd.protocol = "dstopt";
    let len = (usize::from(nd.u8(bp + 1)?) + 1) << 3;
    if !nd.ttest(bp, len) {
        nd.print_trunc();
        return Ok(None);
    }
    nd.p("DSTOPT ");
    if nd.o.verbose > 0 && !ip6_opt_process(nd, bp + 2, len - 2, None)? {
        nd.print_trunc();
        return Ok(None);
    }
    Ok(Some(len))
}

/// The options of a hop-by-hop or destination header; false when cut short.
fn ip6_opt_process(
    nd: &mut Nd,
    bp: usize,
    len: usize,
    mut hbh: Option<(&mut bool, &mut u32)>,
) -> R<bool> {
    if len == 0 {
        return Ok(true);
    }
    let v = nd.o.verbose > 0;
    let mut found_jumbo = false;
    let mut i = 0;
    while i < len {
        let ty = nd.u8(bp + i)?;
        let optlen = if ty == 0 {
            1
        } else if i + 1 < len {
            usize::from(nd.u8(bp + i + 1)?) + 2
        } else {
            return Ok(false);
        };
        if i + optlen > len {
            return Ok(false);
        }
        match ty {
            0 => {
                if v {
                    nd.p("(pad1)");
                }
            }
            1 => {
                if len - i < 2 {
                    nd.p("(padn: trunc)");
                    return Ok(false);
                }
                if v {
                    nd.p("(padn)");
                }
            }
            0x05 => {
                if len - i < 4 {
                    nd.p("(rtalert: trunc)");
                    return Ok(false);
                }
                let l = nd.u8(bp + i + 1)?;
                if l != 2 {
                    nd.pf(format_args!("(rtalert: invalid len {l})"));
                    return Ok(false);
                }
                if v {
                    let val = nd.be16(bp + i + 2)?;
                    nd.pf(format_args!("(rtalert: 0x{val:04x}) "));
                }
            }
            0xc2 => {
                if len - i < 6 {
                    nd.p("(jumbo: trunc)");
                    return Ok(false);
                }
                let l = nd.u8(bp + i + 1)?;
                if l != 4 {
                    nd.pf(format_args!("(jumbo: invalid len {l})"));
                    return Ok(false);
                }
                let jumbolen = nd.be32(bp + i + 2)?;
                if found_jumbo {
                    if v {
                        nd.pf(format_args!("(jumbo: {jumbolen} - already seen) "));
                    }
                } else {
                    found_jumbo = true;
                    match hbh.as_mut() {
                        None => {
                            if v {
                                nd.pf(format_args!(
                                    "(jumbo: {jumbolen} - not a hop-by-hop option) "
                                ));
                            }
                        }
                        Some((_, pl)) if **pl != 0 => {
                            if v {
                                nd.pf(format_args!("(jumbo: {jumbolen} - payload len != 0) "));
                            }
                        }
                        Some((fj, pl)) => {
                            if jumbolen < 65536 {
                                if v {
                                    nd.pf(format_args!("(jumbo: {jumbolen} - < 65536) "));
                                }
                            } else {
                                **fj = true;
                                **pl = jumbolen;
                                if v {
                                    nd.pf(format_args!("(jumbo: {jumbolen}) "));
                                }
                            }
                        }
                    }
                }
            }
            0xc9 => {
                if len - i < 18 {
                    nd.p("(homeaddr: trunc)");
                    return Ok(false);
                }
                let l = nd.u8(bp + i + 1)?;
                if l < 16 {
                    nd.pf(format_args!("(homeaddr: invalid len {l})"));
                    return Ok(false);
                }
                if v {
                    let a = nd.ip6addr(bp + i + 2)?;
                    nd.pf(format_args!("(homeaddr: {a}"));
                    if l > 16 && !sopt_print(nd, bp + i + 18, optlen - 18)? {
                        return Ok(false);
                    }
                    nd.p(")");
                }
            }
            _ => {
                if len - i < 2 {
                    nd.pf(format_args!("(type {ty}: trunc)"));
                    return Ok(false);
                }
                if v {
                    let l = nd.u8(bp + i + 1)?;
                    nd.pf(format_args!("(opt_type 0x{ty:02x}: len={l})"));
                }
            }
        }
        i += optlen;
    }
    if v {
        nd.p(" ");
    }
    Ok(true)
}

/// Sub-options of a home address option.
fn sopt_print(nd: &mut Nd, bp: usize, len: usize) -> R<bool> {
    let mut i = 0;
    while i < len {
        let ty = nd.u8(bp + i)?;
        let optlen = if ty == 0 {
            1
        } else if i + 1 < len {
            usize::from(nd.u8(bp + i + 1)?) + 2
        } else {
            return Ok(false);
        };
        if i + optlen > len {
            return Ok(false);
        }
        match ty {
            0 => nd.p(", pad1"),
            1 => {
                if len - i < 2 {
                    nd.p(", padn: trunc");
                    return Ok(false);
                }
                nd.p(", padn");
            }
            _ => {
                if len - i < 2 {
                    nd.pf(format_args!(", sopt_type {ty}: trunc)"));
                    return Ok(false);
                }
                let l = nd.u8(bp + i + 1)?;
                nd.pf(format_args!(", sopt_type 0x{ty:02x}: len={l}"));
            }
        }
        i += optlen;
    }
    Ok(true)
}

/// The fragment header: `frag (offset|length) `; `None` for a later fragment.
fn frag6_print(nd: &mut Nd, bp: usize, ip6: usize) -> R<Option<usize>> {
    nd.protocol = "frag6";
    let plen = usize::from(nd.be16(ip6 + 4)?);
    let rest = (40 + plen).wrapping_sub(bp - ip6).wrapping_sub(8) as u64;
    let off = nd.be16(bp + 2)? & 0xfff8;
    if nd.o.verbose > 0 {
        let ident = nd.be32(bp + 4)?;
        nd.pf(format_args!("frag (0x{ident:08x}:{off}|{rest})"));
    } else {
        nd.pf(format_args!("frag ({off}|{rest})"));
    }
    if off != 0 {
        return Ok(None);
    }
    nd.p(" ");
    Ok(Some(8))
}

/// The routing header.
fn rt6_print(nd: &mut Nd, bp: usize) -> R<Option<usize>> {
    nd.protocol = "rt6";
    nd.print_protocol_caps();
    let len = usize::from(nd.u8(bp + 1)?);
    nd.pf(format_args!(" (len={len}"));
    let ty = nd.u8(bp + 2)?;
    nd.pf(format_args!(", type={ty}"));
    if ty == 0 {
        nd.p(" [Deprecated]");
    }
    let segleft = nd.u8(bp + 3)?;
    nd.pf(format_args!(", segleft={segleft}"));
    match ty {
        0 | 2 => {
            let rsv = nd.be32(bp + 4)?;
            if rsv != 0 || nd.o.verbose > 0 {
                nd.pf(format_args!(", rsv=0x{rsv:x}"));
            }
            if len % 2 == 1 {
                nd.pf(format_args!(" (invalid length {len})"));
                nd.print_invalid();
                return Ok(None);
            }
            let mut p = bp + 8;
            for i in 0..len / 2 {
                let a = nd.ip6addr(p)?;
                nd.pf(format_args!(", [{i}]{a}"));
                p += 16;
            }
            nd.p(") ");
            Ok(Some((len + 1) << 3))
        }
        4 => {
            let last = nd.u8(bp + 4)?;
            nd.pf(format_args!(", last-entry={last}"));
            let flags = nd.u8(bp + 5)?;
            if flags != 0 || nd.o.verbose > 0 {
                nd.pf(format_args!(", flags=0x{flags:x}"));
            }
            let tag = nd.be16(bp + 6)?;
            nd.pf(format_args!(", tag={tag:x}"));
            if len % 2 == 1 {
                nd.pf(format_args!(" (invalid length {len})"));
                nd.print_invalid();
                return Ok(None);
            }
            let mut p = bp + 8;
            for i in 0..len / 2 {
                let a = nd.ip6addr(p)?;
                nd.pf(format_args!(", [{i}]{a}"));
                p += 16;
            }
            nd.p(") ");
            Ok(Some((len + 1) << 3))
        }
        _ => {
            nd.p(" (unknown type)");
            nd.print_invalid();
            Ok(None)
        }
    }
}
