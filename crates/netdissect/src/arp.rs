//! ARP and RARP (print-arp.c): `Request who-has 10.0.0.2 tell 10.0.0.1, length 28`.

use crate::link::ethertype_name;
use crate::nd::{Nd, R};

const ARPHRD_ATM2225: u16 = 19;

fn op_name(op: u16) -> String {
    match op {
        1 => "Request".into(),
        2 => "Reply".into(),
        3 => "Reverse Request".into(),
        4 => "Reverse Reply".into(),
        8 => "Inverse Request".into(),
        9 => "Inverse Reply".into(),
        10 => "NACK Reply".into(),
        _ => format!("Unknown ({op})"),
    }
}

fn hrd_name(hrd: u16) -> String {
    match hrd {
        1 => "Ethernet".into(),
        6 => "TokenRing".into(),
        7 => "ArcNet".into(),
        15 => "FrameRelay".into(),
        23 => "Strip".into(),
        24 => "IEEE 1394".into(),
        19 => "ATM".into(),
        32 => "InfiniBand".into(),
        _ => format!("Unknown Hardware ({hrd})"),
    }
}

pub(crate) fn arp_print(nd: &mut Nd, bp: usize, length: usize, caplen: usize) -> R {
    nd.protocol = "arp";
    nd.tcheck(bp, 8)?;
    let hrd = nd.be16(bp)?;
    let pro = nd.be16(bp + 2)?;
    let hln = usize::from(nd.u8(bp + 4)?);
    let pln = usize::from(nd.u8(bp + 5)?);
    let op = nd.be16(bp + 6)?;
    if hrd == ARPHRD_ATM2225 {
        // ATM ARP has its own layout; tcpdump's atmarp printer is not reproduced.
        if !nd.suppress_default_print {
            nd.default_print(bp, caplen)?;
        }
        return Ok(());
    }
    let sha = bp + 8;
    let spa = sha + hln;
    let tha = spa + pln;
    let tpa = tha + hln;
    nd.tcheck(tpa, pln)?;
    if !nd.o.ether {
        nd.p("ARP, ");
    }
    let ip_like = pro == 0x0800 || pro == 0x1000;
    if !ip_like || pln != 4 || hln == 0 || nd.o.verbose > 0 {
        let proto = match ethertype_name(pro) {
            Some(n) => n.to_string(),
            None => format!("Unknown Protocol (0x{pro:04x})"),
        };
        nd.pf(format_args!(
            "{} (len {hln}), {proto} (len {pln})",
            hrd_name(hrd)
        ));
        if nd.o.verbose == 0 {
            nd.pf(format_args!(", length {length}"));
            return Ok(());
        }
    }
    let sep = if nd.o.verbose > 0 { ", " } else { "" };
    nd.pf(format_args!("{sep}{} ", op_name(op)));
    let paddr = |nd: &mut Nd, at: usize| -> R {
        if !ip_like {
            nd.p("<wrong proto type>");
        } else if pln != 4 {
            nd.p("<wrong len>");
        } else {
            let a = nd.ipaddr(at)?;
            nd.p(&a);
        }
        Ok(())
    };
    match op {
        1 => {
            nd.p("who-has ");
            paddr(nd, tpa)?;
            if nd.bytes(tha, hln)?.iter().any(|&b| b != 0) {
                let a = nd.linkaddr(tha, hln)?;
                nd.pf(format_args!(" ({a})"));
            }
            nd.p(" tell ");
            paddr(nd, spa)?;
        }
        2 => {
            paddr(nd, spa)?;
            let a = nd.linkaddr(sha, hln)?;
            nd.pf(format_args!(" is-at {a}"));
        }
        3 | 8 => {
            let t = nd.linkaddr(tha, hln)?;
            nd.pf(format_args!("who-is {t}"));
            let s = nd.linkaddr(sha, hln)?;
            nd.pf(format_args!(" tell {s}"));
        }
        4 => {
            let t = nd.linkaddr(tha, hln)?;
            nd.pf(format_args!("{t} at "));
            paddr(nd, tpa)?;
        }
        9 => {
            let s = nd.linkaddr(sha, hln)?;
            nd.pf(format_args!("{s} at "));
            paddr(nd, spa)?;
        }
        _ => {
            return nd.default_print(bp, caplen);
        }
    }
    nd.pf(format_args!(", length {length}"));
    Ok(())
}
