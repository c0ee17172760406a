//! IEEE 802.2 LLC (print-llc.c) and the spanning tree BPDUs it carries (print-stp.c):
//! `STP 802.1d, Config, Flags [none], bridge-id 8000.02:00:00:00:00:01.8001, length 35`.

use crate::ip;
use crate::nd::{bittok2str, Nd, R};

const LLC_U_FMT: u16 = 3;
const LLC_GSAP: u8 = 1;
const LLC_IG: u8 = 1;
const LLC_S_FMT: u16 = 1;
const LLC_U_POLL: u16 = 0x10;
const LLC_IS_POLL: u16 = 0x0100;
const LLC_XID_FI: u8 = 0x81;
const LLC_UI: u16 = 0x03;
const LLC_XID: u16 = 0xaf;
const LLCSAP_GLOBAL: u8 = 0xff;
const LLCSAP_IP: u8 = 0x06;
const LLCSAP_8021D: u8 = 0x42;

fn sap_name(sap: u8) -> Option<&'static str> {
    Some(match sap {
        0x00 => "Null",
        0xff => "Global",
        0x02 => "802.1B I",
        0x03 => "802.1B G",
        0x06 => "IP",
        0x04 => "SNA",
        0x0e => "ProWay NM",
        0x42 => "STP",
        0x4e => "RS511",
        0x7e => "ISO8208",
        0x8e => "ProWay",
        0xaa => "SNAP",
        0xe0 => "IPX",
        0xf0 => "NetBeui",
        0xfe => "OSI",
        _ => return None,
    })
}

fn flag_name(v: u16) -> &'static str {
    match v {
        0 => "Command",
        1 => "Response",
        0x10 => "Poll",
        0x11 => "Final",
        0x100 => "Poll",
        0x101 => "Final",
        _ => "?",
    }
}

fn cmd_name(c: u16) -> String {
    match c {
        0x03 => "ui".into(),
        0xe3 => "test".into(),
        0xaf => "xid".into(),
        0x63 => "ua".into(),
        0x43 => "disc".into(),
        0x0f => "dm".into(),
        0x6f => "sabme".into(),
        0x87 => "frmr".into(),
        _ => format!("{c:02x}"),
    }
}

/// An LLC frame at `p`; `addrs` are the Ethernet (source, destination) when the frame came
/// in an Ethernet header. Returns the header length, negative when tcpdump would dump the
/// payload because it does not decode it.
pub(crate) fn llc_print(
    nd: &mut Nd,
    p: usize,
    length: usize,
    caplen: usize,
    addrs: Option<(usize, usize)>,
) -> R<isize> {
    nd.protocol = "llc";
    let short = |nd: &mut Nd, n: usize| -> R<isize> {
        nd.print_trunc();
        nd.default_print(p, caplen)?;
        Ok(n as isize)
    };
    if caplen < 3 {
        return short(nd, caplen);
    }
    if length < 3 {
        return short(nd, length);
    }
    let dsap_field = nd.u8(p)?;
    let ssap_field = nd.u8(p + 1)?;
    let mut control = u16::from(nd.u8(p + 2)?);
    let is_u = control & LLC_U_FMT == LLC_U_FMT;
    let hdrlen: usize = if is_u {
        3
    } else {
        if caplen < 4 {
            return short(nd, caplen);
        }
        if length < 4 {
            return short(nd, length);
        }
        control = u16::from_le_bytes([nd.u8(p + 2)?, nd.u8(p + 3)?]);
        4
    };
    if ssap_field == LLCSAP_GLOBAL && dsap_field == LLCSAP_GLOBAL {
        // Novell's "raw 802.3" IPX, which is not decoded here.
        if nd.o.ether {
            nd.p("IPX 802.3: ");
        }
        return Ok(0);
    }
    let dsap = dsap_field & !LLC_IG;
    let ssap = ssap_field & !LLC_GSAP;
    if nd.o.ether {
        nd.pf(format_args!(
            "LLC, dsap {} (0x{dsap:02x}) {}, ssap {} (0x{ssap:02x}) {}",
            sap_name(dsap).unwrap_or("Unknown"),
            if dsap_field & LLC_IG != 0 {
                "Group"
            } else {
                "Individual"
            },
            sap_name(ssap).unwrap_or("Unknown"),
            if ssap_field & LLC_GSAP != 0 {
                "Response"
            } else {
                "Command"
            },
        ));
        if is_u {
            nd.pf(format_args!(", ctrl 0x{control:02x}: "));
        } else {
            nd.pf(format_args!(", ctrl 0x{control:04x}: "));
        }
    }
    let p = p + hdrlen;
    let length = length - hdrlen;
    let caplen = caplen - hdrlen;
    if ssap == LLCSAP_8021D && dsap == LLCSAP_8021D && control == LLC_UI {
        stp_print(nd, p, length)?;
        return Ok(hdrlen as isize);
    }
    if ssap == LLCSAP_IP && dsap == LLCSAP_IP && control == LLC_UI {
        ip::ip_print(nd, p, length)?;
        return Ok(hdrlen as isize);
    }
    if !nd.o.ether {
        let dname = sap_name(dsap)
            .map(str::to_string)
            .unwrap_or_else(|| format!("Unknown DSAP 0x{dsap:02x}"));
        if ssap == dsap {
            match addrs {
                None => nd.pf(format_args!("{dname} ")),
                Some((src, dst)) => {
                    let s = nd.etheraddr(src)?;
                    let d = nd.etheraddr(dst)?;
                    nd.pf(format_args!("{s} > {d} {dname} "));
                }
            }
        } else {
            let sname = sap_name(ssap)
                .map(str::to_string)
                .unwrap_or_else(|| format!("Unknown SSAP 0x{ssap:02x}"));
            match addrs {
                None => nd.pf(format_args!("{sname} > {dname} ")),
                Some((src, dst)) => {
                    let s = nd.etheraddr(src)?;
                    let d = nd.etheraddr(dst)?;
                    nd.pf(format_args!("{s} {sname} > {d} {dname} "));
                }
            }
        }
    }
    let gsap = u16::from(ssap_field & LLC_GSAP);
    if is_u {
        nd.pf(format_args!(
            "Unnumbered, {}, Flags [{}], length {}",
            cmd_name(control & 0xef),
            flag_name(gsap | (control & LLC_U_POLL)),
            length + hdrlen
        ));
        if control & !LLC_U_POLL == LLC_XID {
            if length == 0 {
                return Ok(hdrlen as isize);
            }
            if caplen < 1 {
                nd.print_trunc();
                return Ok(hdrlen as isize);
            }
            if nd.u8(p)? == LLC_XID_FI {
                if caplen < 3 || length < 3 {
                    nd.print_trunc();
                    nd.default_print(p, caplen)?;
                } else {
                    let (a, b) = (nd.u8(p + 1)?, nd.u8(p + 2)?);
                    nd.pf(format_args!(": {a:02x} {b:02x}"));
                }
                return Ok(hdrlen as isize);
            }
        }
    } else if control & LLC_S_FMT == LLC_S_FMT {
        let sup = match (control >> 2) & 3 {
            0 => "Receiver Ready",
            1 => "Receiver not Ready",
            2 => "Reject",
            _ => "?",
        };
        nd.pf(format_args!(
            "Supervisory, {sup}, rcv seq {}, Flags [{}], length {}",
            (control >> 9) & 0x7f,
            flag_name(gsap | (control & LLC_IS_POLL)),
            length + hdrlen
        ));
        return Ok(hdrlen as isize);
    } else {
        nd.pf(format_args!(
            "Information, send seq {}, rcv seq {}, Flags [{}], length {}",
            (control >> 1) & 0x7f,
            (control >> 9) & 0x7f,
            flag_name(gsap | (control & LLC_IS_POLL)),
            length + hdrlen
        ));
    }
    Ok(-(hdrlen as isize))
}

const STP_FLAGS: &[(u32, &str)] = &[
    (0x01, "Topology change"),
    (0x02, "Proposal"),
    (0x10, "Learn"),
    (0x20, "Forward"),
    (0x40, "Agreement"),
    (0x80, "Topology change ACK"),
];

fn port_role(flags: u8) -> &'static str {
    ["Unknown", "Alternate", "Root", "Designated"][usize::from((flags & 0x0c) >> 2)]
}

fn bridge_id(nd: &Nd, p: usize) -> R<String> {
    let b = nd.bytes(p, 8)?;
    Ok(format!(
        "{:02x}{:02x}.{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]
    ))
}

/// A spanning tree BPDU (`stp_print`); MSTP and SPB BPDUs print their first line only.
fn stp_print(nd: &mut Nd, p: usize, length: usize) -> R {
    nd.protocol = "stp";
    if length < 4 {
        nd.print_invalid();
        return Ok(());
    }
    if nd.be16(p)? != 0 {
        nd.pf(format_args!("unknown STP version, length {length}"));
        return Ok(());
    }
    let version = nd.u8(p + 2)?;
    match version {
        0 => nd.p("STP 802.1d"),
        2 => nd.p("STP 802.1w"),
        3 => nd.p("STP 802.1s"),
        4 => nd.p("STP 802.1aq"),
        v => {
            nd.pf(format_args!("STP Unknown STP protocol (0x{v:02x})"));
            return Ok(());
        }
    }
    let ty = nd.u8(p + 3)?;
    match ty {
        0x00 => nd.p(", Config"),
        0x02 => nd.p(", Rapid STP"),
        0x80 => nd.p(", Topology Change"),
        t => nd.pf(format_args!(", Unknown BPDU Type (0x{t:02x})")),
    }
    match ty {
        0x00 => {
            if length < 35 {
                nd.print_invalid();
                return Ok(());
            }
            config_bpdu(nd, p, length)?;
        }
        0x02 if version == 2 => {
            if length < 36 {
                nd.print_invalid();
                return Ok(());
            }
            config_bpdu(nd, p, length)?;
        }
        0x02 => {
            if length < 102 || nd.u8(p + 35)? != 0 {
                nd.print_invalid();
                return Ok(());
            }
            let v3 = usize::from(nd.be16(p + 36)?) + 2;
            if length < 36 + v3 {
                nd.print_invalid();
                return Ok(());
            }
            let flags = nd.u8(p + 4)?;
            let f = bittok2str(STP_FLAGS, "none", u32::from(flags), ", ");
            nd.pf(format_args!(", CIST Flags [{f}], length {length}"));
        }
        _ => {}
    }
    Ok(())
}

fn config_bpdu(nd: &mut Nd, p: usize, length: usize) -> R {
    let flags = nd.u8(p + 4)?;
    let f = bittok2str(STP_FLAGS, "none", u32::from(flags), ", ");
    nd.pf(format_args!(", Flags [{f}]"));
    let bridge = bridge_id(nd, p + 17)?;
    let port = nd.be16(p + 25)?;
    nd.pf(format_args!(
        ", bridge-id {bridge}.{port:04x}, length {length}"
    ));
    if nd.o.verbose == 0 {
        return Ok(());
    }
    let t = |nd: &Nd, off: usize| -> R<f32> { Ok(f32::from(nd.be16(p + off)?) / 256.0) };
    let (age, max, hello, fwd) = (t(nd, 27)?, t(nd, 29)?, t(nd, 31)?, t(nd, 33)?);
    nd.pf(format_args!(
        "\n\tmessage-age {age:.2}s, max-age {max:.2}s, hello-time {hello:.2}s, forwarding-delay {fwd:.2}s"
    ));
    let root = bridge_id(nd, p + 5)?;
    let cost = nd.be32(p + 13)?;
    nd.pf(format_args!("\n\troot-id {root}, root-pathcost {cost}"));
    if nd.u8(p + 2)? == 2 {
        nd.pf(format_args!(", port-role {}", port_role(flags)));
    }
    Ok(())
}
