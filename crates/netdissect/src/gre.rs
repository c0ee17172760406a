//! GRE (print-gre.c, version 0) and VXLAN (print-vxlan.c): the tunnel header, then the
//! packet inside it.

use crate::link::{ether_print, ethertype_name, ETHERTYPE_IP, ETHERTYPE_IPV6};
use crate::nd::{bittok2str, Nd, R};
use crate::{ip, ip6};

const GRE_CP: u16 = 0x8000;
const GRE_RP: u16 = 0x4000;
const GRE_KP: u16 = 0x2000;
const GRE_SP: u16 = 0x1000;
const ETHERTYPE_TEB: u16 = 0x6558;

pub(crate) fn gre_print(nd: &mut Nd, bp: usize, length: usize) -> R {
    nd.protocol = "gre";
    if !nd.ttest(bp, 2) || length < 2 {
        nd.print_trunc();
        return Ok(());
    }
    let vers = nd.be16(bp)? & 0x0007;
    nd.pf(format_args!("GREv{vers}"));
    match vers {
        0 => gre_print_0(nd, bp, length),
        // PPTP's enhanced GRE (version 1) is not decoded here.
        1 => Ok(()),
        _ => {
            nd.p(" ERROR: unknown-version");
            Ok(())
        }
    }
}

fn gre_print_0(nd: &mut Nd, mut bp: usize, length: usize) -> R {
    let mut len = length;
    let flags = nd.be16(bp)?;
    if nd.o.verbose > 0 {
        let f = bittok2str(
            &[
                (0x8000, "checksum present"),
                (0x4000, "routing present"),
                (0x2000, "key present"),
                (0x1000, "sequence# present"),
                (0x0800, "source routing present"),
                (0x0080, "ack present"),
            ],
            "none",
            u32::from(flags),
            ", ",
        );
        nd.pf(format_args!(", Flags [{f}]"));
    }
    len -= 2;
    bp += 2;
    let need = |nd: &mut Nd, bp: usize, n: usize, len: usize| -> bool {
        if !nd.ttest(bp, n) || len < n {
            nd.print_trunc();
            false
        } else {
            true
        }
    };
    if !need(nd, bp, 2, len) {
        return Ok(());
    }
    let prot = nd.be16(bp)?;
    len -= 2;
    bp += 2;
    if flags & (GRE_CP | GRE_RP) != 0 {
        if !need(nd, bp, 2, len) {
            return Ok(());
        }
        if nd.o.verbose > 0 {
            let s = nd.be16(bp)?;
            nd.pf(format_args!(", sum 0x{s:x}"));
        }
        bp += 2;
        len -= 2;
        if !need(nd, bp, 2, len) {
            return Ok(());
        }
        let off = nd.be16(bp)?;
        nd.pf(format_args!(", off 0x{off:x}"));
        bp += 2;
        len -= 2;
    }
    if flags & GRE_KP != 0 {
        if !need(nd, bp, 4, len) {
            return Ok(());
        }
        let k = nd.be32(bp)?;
        nd.pf(format_args!(", key=0x{k:x}"));
        bp += 4;
        len -= 4;
    }
    if flags & GRE_SP != 0 {
        if !need(nd, bp, 4, len) {
            return Ok(());
        }
        let s = nd.be32(bp)?;
        nd.pf(format_args!(", seq {s}"));
        bp += 4;
        len -= 4;
    }
    if flags & GRE_RP != 0 {
        // Source route entries (RFC 1701) are skipped, not printed.
        loop {
            if !need(nd, bp, 4, len) {
                return Ok(());
            }
            let af = nd.be16(bp)?;
            let srelen = usize::from(nd.u8(bp + 3)?);
            bp += 4;
            len -= 4;
            if af == 0 && srelen == 0 {
                break;
            }
            if len < srelen {
                nd.print_trunc();
                return Ok(());
            }
            bp += srelen;
            len -= srelen;
        }
    }
    if nd.o.ether {
        nd.pf(format_args!(
            ", proto {} (0x{prot:04x})",
            ethertype_name(prot).unwrap_or("unknown")
        ));
    }
    nd.pf(format_args!(", length {length}"));
    nd.p(if nd.o.verbose < 1 { ": " } else { "\n\t" });
    match prot {
        ETHERTYPE_IP => ip::ip_print(nd, bp, len),
        ETHERTYPE_IPV6 => ip6::ip6_print(nd, bp, len),
        ETHERTYPE_TEB => {
            let caplen = nd.avail(bp);
            ether_print(nd, bp, len, caplen).map(|_| ())
        }
        _ => {
            nd.pf(format_args!("gre-proto-0x{prot:x}"));
            Ok(())
        }
    }
}

/// VXLAN (RFC 7348): `VXLAN, flags [I] (0x08), vni 42` and the Ethernet frame inside on the
/// next line.
pub(crate) fn vxlan_print(nd: &mut Nd, bp: usize, len: usize) -> R {
    nd.protocol = "vxlan";
    nd.print_protocol_caps();
    if len < 8 {
        nd.print_invalid();
        return Ok(());
    }
    let flags = nd.u8(bp)?;
    let f = bittok2str(&[(0x08, "I")], "invalid", u32::from(flags), "");
    nd.pf(format_args!(", flags [{f}] (0x{flags:02x}), "));
    let vni = nd.be32(bp + 4)? >> 8;
    nd.pf(format_args!("vni {vni}\n"));
    nd.tcheck(bp + 7, 1)?;
    let caplen = nd.avail(bp + 8);
    ether_print(nd, bp + 8, len - 8, caplen).map(|_| ())
}
