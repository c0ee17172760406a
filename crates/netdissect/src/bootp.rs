//! BOOTP and DHCP (print-bootp.c): `BOOTP/DHCP, Request from 02:00:00:00:00:01, length 300`,
//! and with `-v` the header fields and every RFC 1048 option.

use crate::icmp::unknown_data;
use crate::nd::{bittok2str, Nd, R};
use crate::text::printn;

/// The options tcpdump names: (code, how the value is printed, name). The format is
/// tcpdump's: `i` addresses, `l` 32-bit numbers, `L` signed ones, `s` 16-bit numbers, `b`
/// bytes as decimals, `x` bytes as hex, `B` booleans, `a` text, `p` address pairs, `$`
/// an option of its own; ` ` pads and the end.
const TAGS: &[(u8, u8, &str)] = &[
    (0, b' ', "PAD"),
    (1, b'i', "Subnet-Mask"),
    (2, b'L', "Time-Zone"),
    (3, b'i', "Default-Gateway"),
    (4, b'i', "Time-Server"),
    (5, b'i', "IEN-Name-Server"),
    (6, b'i', "Domain-Name-Server"),
    (7, b'i', "LOG"),
    (8, b'i', "CS"),
    (9, b'i', "LPR-Server"),
    (10, b'i', "IM"),
    (11, b'i', "RL"),
    (12, b'a', "Hostname"),
    (13, b's', "BS"),
    (255, b' ', "END"),
    (14, b'a', "DP"),
    (15, b'a', "Domain-Name"),
    (16, b'i', "SS"),
    (17, b'a', "RP"),
    (18, b'a', "EP"),
    (19, b'B', "IPF"),
    (20, b'B', "SRT"),
    (21, b'p', "PF"),
    (22, b's', "RSZ"),
    (23, b'b', "TTL"),
    (24, b'l', "MTU-Timeout"),
    (25, b's', "MTU-Table"),
    (26, b's', "MTU"),
    (27, b'B', "LSN"),
    (28, b'i', "BR"),
    (29, b'B', "MD"),
    (30, b'B', "MS"),
    (31, b'B', "Router-Discovery"),
    (32, b'i', "RSA"),
    (33, b'p', "Static-Route"),
    (34, b'B', "UT"),
    (35, b'l', "AT"),
    (36, b'B', "IE"),
    (37, b'b', "TT"),
    (38, b'l', "KI"),
    (39, b'B', "KG"),
    (40, b'a', "YD"),
    (41, b'i', "YS"),
    (42, b'i', "NTP"),
    (43, b'b', "Vendor-Option"),
    (44, b'i', "Netbios-Name-Server"),
    (45, b'i', "WDD"),
    (46, b'$', "Netbios-Node"),
    (47, b'a', "Netbios-Scope"),
    (48, b'i', "XFS"),
    (49, b'i', "XDM"),
    (64, b's', "N+D"),
    (65, b'i', "N+S"),
    (68, b'i', "MH"),
    (69, b'i', "SMTP"),
    (70, b'i', "POP3"),
    (71, b'i', "NNTP"),
    (72, b'i', "WWW"),
    (73, b'i', "FG"),
    (74, b'i', "IRC"),
    (75, b'i', "STS"),
    (76, b'i', "STDA"),
    (50, b'i', "Requested-IP"),
    (51, b'l', "Lease-Time"),
    (52, b'$', "OO"),
    (66, b'a', "TFTP"),
    (67, b'a', "BF"),
    (53, b' ', "DHCP-Message"),
    (54, b'i', "Server-ID"),
    (55, b'b', "Parameter-Request"),
    (56, b'a', "MSG"),
    (57, b's', "MSZ"),
    (58, b'l', "RN"),
    (59, b'l', "RB"),
    (60, b'a', "Vendor-Class"),
    (61, b'$', "Client-ID"),
    (98, b'a', "UAP"),
    (116, b'B', "NOAUTO"),
    (78, b'b', "SLP-DA"),
    (79, b'b', "SLP-SCOPE"),
    (117, b's', "NSSEARCH"),
    (77, b'$', "User-Class"),
    (118, b'i', "SUBNET"),
    (121, b'$', "Classless-Static-Route"),
    (249, b'$', "Classless-Static-Route-Microsoft"),
    (150, b'i', "TFTP-Server-Address"),
    (80, b'a', "SLP-NA"),
    (81, b'$', "FQDN"),
    (82, b'$', "Agent-Information"),
    (83, b'b', "ARMT"),
    (88, b'a', "TZSTR"),
    (89, b'b', "FQDNS"),
    (90, b'b', "AUTH"),
    (91, b'L', "Last-Transaction-Time"),
    (92, b'i', "Associated-IP"),
    (93, b's', "ARCH"),
    (94, b'b', "NDI"),
    (97, b'b', "GUID"),
    (95, b'a', "LDAP"),
    (100, b'a', "POSIX-TZ"),
    (101, b'a', "TZ-Name"),
    (112, b'i', "NI"),
    (113, b'a', "NITAG"),
    (114, b'a', "URL"),
    (161, b'a', "MUD-URL"),
];

const TAG_PAD: u8 = 0;
const TAG_END: u8 = 255;
const TAG_DHCP_MESSAGE: u8 = 53;
const TAG_PARM_REQUEST: u8 = 55;

fn tag(code: u8) -> (u8, &'static str) {
    TAGS.iter()
        .find(|t| t.0 == code)
        .map(|t| (t.1, t.2))
        .unwrap_or((b'?', "Unknown"))
}

fn dhcp_msg_name(t: u8) -> String {
    match t {
        1 => "Discover".into(),
        2 => "Offer".into(),
        3 => "Request".into(),
        4 => "Decline".into(),
        5 => "ACK".into(),
        6 => "NACK".into(),
        7 => "Release".into(),
        8 => "Inform".into(),
        10 => "LeaseQuery".into(),
        11 => "LeaseUnassigned".into(),
        12 => "LeaseUnknown".into(),
        13 => "LeaseActive".into(),
        _ => format!("Unknown ({t})"),
    }
}

/// A BOOTP message at `cp` of `length` bytes (`bootp_print`).
pub(crate) fn bootp_print(nd: &mut Nd, cp: usize, length: usize) -> R {
    nd.protocol = "bootp";
    let op = nd.u8(cp)?;
    match op {
        1 => nd.p("BOOTP/DHCP, Request"),
        2 => nd.p("BOOTP/DHCP, Reply"),
        _ => nd.pf(format_args!("BOOTP/DHCP, unknown (0x{op:02x})")),
    }
    let htype = nd.u8(cp + 1)?;
    let hlen = nd.u8(cp + 2)?;
    let chaddr = cp + 28;
    if htype == 1 && hlen == 6 && op == 1 {
        let a = nd.etheraddr(chaddr)?;
        nd.pf(format_args!(" from {a}"));
    }
    nd.pf(format_args!(", length {length}"));
    if nd.o.verbose == 0 {
        return Ok(());
    }
    if !nd.ttest(cp + 8, 2) {
        nd.print_trunc();
        return Ok(());
    }
    if htype != 1 {
        nd.pf(format_args!(", htype {htype}"));
    }
    if htype != 1 || hlen != 6 {
        nd.pf(format_args!(", hlen {hlen}"));
    }
    let hops = nd.u8(cp + 3)?;
    if hops != 0 {
        nd.pf(format_args!(", hops {hops}"));
    }
    let xid = nd.be32(cp + 4)?;
    if xid != 0 {
        nd.pf(format_args!(", xid 0x{xid:x}"));
    }
    let secs = nd.be16(cp + 8)?;
    if secs != 0 {
        nd.pf(format_args!(", secs {secs}"));
    }
    let flags = nd.be16(cp + 10)?;
    nd.pf(format_args!(
        ", Flags [{}]",
        bittok2str(&[(0x8000, "Broadcast")], "none", u32::from(flags), ", ")
    ));
    if nd.o.verbose > 1 {
        nd.pf(format_args!(" (0x{flags:04x})"));
    }
    for (off, what) in [
        (12, "Client-IP"),
        (16, "Your-IP"),
        (20, "Server-IP"),
        (24, "Gateway-IP"),
    ] {
        if nd.be32(cp + off)? != 0 {
            let a = nd.ipaddr(cp + off)?;
            nd.pf(format_args!("\n\t  {what} {a}"));
        }
    }
    if htype == 1 && hlen == 6 {
        let a = nd.etheraddr(chaddr)?;
        nd.pf(format_args!("\n\t  Client-Ethernet-Address {a}"));
    }
    for (off, size, what) in [(44, 64, "sname"), (108, 128, "file")] {
        if nd.u8(cp + off)? != 0 {
            nd.pf(format_args!("\n\t  {what} \""));
            if !printztn(nd, cp + off, size)? {
                nd.p("\"");
                nd.print_trunc();
                return Ok(());
            }
            nd.p("\"");
        }
    }
    let vend = cp + 236;
    if !nd.ttest(vend, 4) {
        nd.print_trunc();
        return Ok(());
    }
    let magic = nd.bytes(vend, 4)?;
    if magic == [99, 130, 83, 99] {
        rfc1048_print(nd, vend)
    } else if magic == b"CMU\0" {
        cmu_print(nd, vend)
    } else {
        let ul = nd.be32(vend)?;
        if ul != 0 {
            nd.pf(format_args!("\n\t  Vendor-#0x{ul:x}"));
        }
        Ok(())
    }
}

/// A NUL-terminated string in a field of `n` bytes; false when the capture ends first
/// (`nd_printztn`).
fn printztn(nd: &mut Nd, s: usize, n: usize) -> R<bool> {
    let mut out = String::new();
    for i in 0..n {
        if !nd.ttest(s + i, 1) {
            nd.p(&out);
            return Ok(false);
        }
        let c = nd.u8(s + i)?;
        if c == 0 {
            break;
        }
        crate::text::fn_print_char(&mut out, c);
    }
    nd.p(&out);
    Ok(true)
}

/// The old CMU vendor area.
fn cmu_print(nd: &mut Nd, bp: usize) -> R {
    nd.p(" vend-cmu");
    if !nd.ttest(bp + 4, 4) {
        nd.print_trunc();
        return Ok(());
    }
    let flags = nd.u8(bp + 7)?;
    if flags & !1 != 0 {
        nd.pf(format_args!(" F:0x{flags:x}"));
    }
    let sm = if flags & 1 != 0 { "SM" } else { "SM*" };
    for (off, what) in [
        (8, "DG"),
        (12, sm),
        (16, "NS1"),
        (20, "NS2"),
        (24, "IEN1"),
        (28, "IEN2"),
        (32, "TS1"),
        (36, "TS2"),
    ] {
        if !nd.ttest(bp + off, 4) {
            nd.print_trunc();
            return Ok(());
        }
        if nd.be32(bp + off)? != 0 {
            let a = nd.ipaddr(bp + off)?;
            nd.pf(format_args!(" {what}:{a}"));
        }
    }
    Ok(())
}

/// `n` characters between quotes; false when the capture ends first.
fn quoted(nd: &mut Nd, bp: usize, n: usize) -> R<bool> {
    nd.p("\"");
    let avail = nd.avail(bp);
    printn(nd, bp, n.min(avail))?;
    nd.p("\"");
    Ok(n <= avail)
}

/// The options after the magic cookie (`rfc1048_print`).
fn rfc1048_print(nd: &mut Nd, mut bp: usize) -> R {
    nd.p("\n\t  Vendor-rfc1048 Extensions");
    let magic = nd.be32(bp)?;
    nd.pf(format_args!("\n\t    Magic Cookie 0x{magic:08x}"));
    bp += 4;
    let v = nd.o.verbose;
    while nd.ttest(bp, 1) {
        let code = nd.u8(bp)?;
        bp += 1;
        if code == TAG_PAD && v < 3 {
            continue;
        }
        if code == TAG_END && v < 3 {
            return Ok(());
        }
        let (mut c, name) = tag(code);
        let mut len = if code == TAG_PAD || code == TAG_END {
            0
        } else {
            let l = usize::from(nd.u8(bp)?);
            bp += 1;
            l
        };
        nd.pf(format_args!(
            "\n\t    {name} ({code}), length {len}{}",
            if len > 0 { ": " } else { "" }
        ));
        if code == TAG_PAD && v > 2 {
            let mut ntag = 1;
            while nd.ttest(bp, 1) && nd.u8(bp)? == TAG_PAD {
                bp += 1;
                ntag += 1;
            }
            if ntag > 1 {
                nd.pf(format_args!(", occurs {ntag}"));
            }
        }
        if !nd.ttest(bp, len) {
            nd.print_trunc();
            return Ok(());
        }
        if code == TAG_DHCP_MESSAGE && len == 1 {
            let t = nd.u8(bp)?;
            nd.p(&dhcp_msg_name(t));
            bp += 1;
            continue;
        }
        if code == TAG_PARM_REQUEST {
            let mut idx = 0;
            while len > 0 {
                let inner = nd.u8(bp)?;
                bp += 1;
                len -= 1;
                if idx % 4 == 0 {
                    nd.p("\n\t      ");
                } else {
                    nd.p(", ");
                }
                nd.pf(format_args!("{} ({inner})", tag(inner).1));
                idx += 1;
            }
            continue;
        }
        if c == b'?' {
            c = if len & 1 != 0 {
                b'b'
            } else if len & 2 != 0 {
                b's'
            } else {
                b'l'
            };
        }
        let mut first = true;
        match c {
            b'a' => {
                if !quoted(nd, bp, len)? {
                    nd.print_trunc();
                    return Ok(());
                }
                bp += len;
                len = 0;
            }
            b'i' | b'l' | b'L' => {
                while len >= 4 {
                    if !first {
                        nd.p(",");
                    }
                    match c {
                        b'i' => {
                            let a = nd.ipaddr(bp)?;
                            nd.p(&a);
                        }
                        b'L' => {
                            let x = nd.be32(bp)? as i32;
                            nd.pf(format_args!("{x}"));
                        }
                        _ => {
                            let x = nd.be32(bp)?;
                            nd.pf(format_args!("{x}"));
                        }
                    }
                    bp += 4;
                    len -= 4;
                    first = false;
                }
            }
            b'p' => {
                while len >= 8 {
                    if !first {
                        nd.p(",");
                    }
                    let a = nd.ipaddr(bp)?;
                    let b = nd.ipaddr(bp + 4)?;
                    nd.pf(format_args!("({a}:{b})"));
                    bp += 8;
                    len -= 8;
                    first = false;
                }
            }
            b's' => {
                while len >= 2 {
                    if !first {
                        nd.p(",");
                    }
                    let x = nd.be16(bp)?;
                    nd.pf(format_args!("{x}"));
                    bp += 2;
                    len -= 2;
                    first = false;
                }
            }
            b'B' => {
                while len > 0 {
                    if !first {
                        nd.p(",");
                    }
                    match nd.u8(bp)? {
                        0 => nd.p("N"),
                        1 => nd.p("Y"),
                        x => nd.pf(format_args!("{x}?")),
                    }
                    bp += 1;
                    len -= 1;
                    first = false;
                }
            }
            b'$' => match special(nd, code, &mut bp, &mut len)? {
                true => {}
                false => {
                    nd.print_trunc();
                    return Ok(());
                }
            },
            _ => {
                while len > 0 {
                    if !first {
                        nd.p(if c == b'x' { ":" } else { "." });
                    }
                    let x = nd.u8(bp)?;
                    if c == b'x' {
                        nd.pf(format_args!("{x:02x}"));
                    } else {
                        nd.pf(format_args!("{x}"));
                    }
                    bp += 1;
                    len -= 1;
                    first = false;
                }
            }
        }
        if len > 0 {
            nd.pf(format_args!("\n\t  trailing data length {len}"));
            bp += len;
        }
    }
    Ok(())
}

/// The options with a layout of their own; false when the capture ends inside one.
fn special(nd: &mut Nd, code: u8, bp: &mut usize, len: &mut usize) -> R<bool> {
    match code {
        // NetBIOS node type and option overload: one byte naming a value.
        46 | 52 => {
            if *len < 1 {
                nd.p("[ERROR: length < 1 bytes]");
                return Ok(true);
            }
            let t = nd.u8(*bp)?;
            *bp += 1;
            *len -= 1;
            let name = match (code, t) {
                (46, 1) => "b-node".to_string(),
                (46, 2) => "p-node".to_string(),
                (46, 4) => "m-node".to_string(),
                (46, 8) => "h-node".to_string(),
                (52, 1) => "file".to_string(),
                (52, 2) => "sname".to_string(),
                (52, 3) => "file+sname".to_string(),
                _ => format!("#{t}"),
            };
            nd.p(&name);
        }
        // Client FQDN (RFC 4702).
        81 => {
            if *len < 3 {
                nd.p("[ERROR: length < 3 bytes]");
                *bp += *len;
                *len = 0;
                return Ok(true);
            }
            let f = nd.u8(*bp)?;
            if f & 0xf0 != 0 {
                nd.pf(format_args!(
                    "[ERROR: MBZ nibble 0x{:x} != 0] ",
                    (f & 0xf0) >> 4
                ));
            }
            if f & 0x0f != 0 {
                let mut s = String::new();
                for (bit, ch) in [(1, 'S'), (2, 'O'), (4, 'E'), (8, 'N')] {
                    if f & bit != 0 {
                        s.push(ch);
                    }
                }
                nd.pf(format_args!("[{s}] "));
            }
            *bp += 1;
            let (r1, r2) = (nd.u8(*bp)?, nd.u8(*bp + 1)?);
            if r1 != 0 || r2 != 0 {
                nd.pf(format_args!("{r1}/{r2} "));
            }
            *bp += 2;
            if !quoted(nd, *bp, *len - 3)? {
                return Ok(false);
            }
            *bp += *len - 3;
            *len = 0;
        }
        // Client identifier: a hardware type and address, or text.
        61 => {
            if *len < 1 {
                nd.p("[ERROR: length < 1 bytes]");
                return Ok(true);
            }
            let t = nd.u8(*bp)?;
            *bp += 1;
            *len -= 1;
            if t == 0 {
                if !quoted(nd, *bp, *len)? {
                    return Ok(false);
                }
                *bp += *len;
                *len = 0;
            } else {
                let name = match t {
                    1 => "ether".to_string(),
                    6 => "ieee802".to_string(),
                    7 => "arcnet".to_string(),
                    0xf => "frelay".to_string(),
                    0x17 => "strip".to_string(),
                    0x18 => "ieee1394".to_string(),
                    _ => format!("hardware-type {t},"),
                };
                nd.pf(format_args!("{name} "));
                let mut s = Vec::new();
                while *len > 0 {
                    s.push(format!("{:02x}", nd.u8(*bp)?));
                    *bp += 1;
                    *len -= 1;
                }
                nd.p(&s.join(":"));
            }
        }
        // Relay agent information (RFC 3046).
        82 => {
            while *len >= 2 {
                let sub = nd.u8(*bp)?;
                let sublen = usize::from(nd.u8(*bp + 1)?);
                *bp += 2;
                *len -= 2;
                let name = match sub {
                    1 => "Circuit-ID",
                    2 => "Remote-ID",
                    6 => "Subscriber-ID",
                    _ => "Unknown",
                };
                if sublen > *len {
                    nd.pf(format_args!(
                        "\n\t      {name} SubOption {sub}, length {sublen}: length goes past end of option"
                    ));
                    *bp += *len;
                    *len = 0;
                    break;
                }
                nd.pf(format_args!(
                    "\n\t      {name} SubOption {sub}, length {sublen}: "
                ));
                match sub {
                    1 | 2 | 6 => {
                        let avail = nd.avail(*bp);
                        printn(nd, *bp, sublen.min(avail))?;
                        if sublen > avail {
                            return Ok(false);
                        }
                    }
                    _ => unknown_data(nd, *bp, "\n\t\t", sublen)?,
                }
                *len -= sublen;
                *bp += sublen;
            }
        }
        // Classless static routes (RFC 3442, and Microsoft's copy).
        121 | 249 => {
            if *len < 5 {
                nd.p("[ERROR: length < 5 bytes]");
                *bp += *len;
                *len = 0;
                return Ok(true);
            }
            let mut first = true;
            while *len > 0 {
                if !first {
                    nd.p(",");
                }
                let width = usize::from(nd.u8(*bp)?);
                *bp += 1;
                *len -= 1;
                if width > 32 {
                    nd.pf(format_args!("[ERROR: Mask width ({width}) > 32]"));
                    *bp += *len;
                    *len = 0;
                    break;
                }
                let sig = width.div_ceil(8);
                if *len < sig + 4 {
                    nd.pf(format_args!(
                        "[ERROR: Remaining length ({}) < {} bytes]",
                        *len,
                        sig + 4
                    ));
                    *bp += *len;
                    *len = 0;
                    break;
                }
                nd.p("(");
                if width == 0 {
                    nd.p("default");
                } else {
                    let mut parts = Vec::new();
                    for _ in 0..sig {
                        parts.push(nd.u8(*bp)?.to_string());
                        *bp += 1;
                    }
                    for _ in sig..4 {
                        parts.push("0".to_string());
                    }
                    nd.pf(format_args!("{}/{width}", parts.join(".")));
                }
                let gw = nd.ipaddr(*bp)?;
                nd.pf(format_args!(":{gw})"));
                *bp += 4;
                *len -= sig + 4;
                first = false;
            }
        }
        // User class (RFC 3004).
        77 => {
            if *len < 2 {
                nd.p("[ERROR: length < 2 bytes]");
                *bp += *len;
                *len = 0;
                return Ok(true);
            }
            let mut n = 1;
            while *len > 0 {
                let sublen = usize::from(nd.u8(*bp)?);
                *bp += 1;
                *len -= 1;
                nd.pf(format_args!("\n\t      instance#{n}: "));
                if sublen == 0 {
                    nd.p("[ERROR: suboption length must be non-zero]");
                    *bp += *len;
                    *len = 0;
                    break;
                }
                if *len < sublen {
                    nd.p("[ERROR: invalid option]");
                    *bp += *len;
                    *len = 0;
                    break;
                }
                if !quoted(nd, *bp, sublen)? {
                    return Ok(false);
                }
                nd.pf(format_args!(", length {sublen}"));
                n += 1;
                *len -= sublen;
                *bp += sublen;
            }
        }
        _ => {
            nd.pf(format_args!("[unknown special tag {code}, size {}]", *len));
            *bp += *len;
            *len = 0;
        }
    }
    Ok(true)
}
