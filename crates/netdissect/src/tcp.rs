//! TCP (print-tcp.c): flags, sequence numbers relative to the first ones seen of each
//! conversation, window, options, length, and the payload of a few text protocols.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::nd::{in_cksum, in_cksum_shouldbe, Nd, Trunc, R};
use crate::udp::{pseudo4, pseudo6};
use crate::{dns, ip, text, TcpConv};

const TH_FIN: u8 = 0x01;
const TH_SYN: u8 = 0x02;
const TH_RST: u8 = 0x04;
const TH_ACK: u8 = 0x10;
const TH_URG: u8 = 0x20;

/// At most this much of the data of a RST is shown under `-v`.
const MAX_RST_DATA_LEN: usize = 30;

fn flags_string(flags: u8) -> String {
    let mut s = String::new();
    for (bit, c) in [
        (0x01, "F"),
        (0x02, "S"),
        (0x04, "R"),
        (0x08, "P"),
        (0x10, "."),
        (0x20, "U"),
        (0x40, "E"),
        (0x80, "W"),
    ] {
        if flags & bit != 0 {
            s.push_str(c);
        }
    }
    if s.is_empty() {
        s.push_str("none");
    }
    s
}

fn option_name(opt: u8) -> String {
    match opt {
        0 => "eol".into(),
        1 => "nop".into(),
        2 => "mss".into(),
        3 => "wscale".into(),
        4 => "sackOK".into(),
        5 => "sack".into(),
        6 => "echo".into(),
        7 => "echoreply".into(),
        8 => "TS".into(),
        11 => "cc".into(),
        12 => "ccnew".into(),
        13 => "".into(),
        19 => "md5".into(),
        20 => "scps".into(),
        28 => "uto".into(),
        29 => "tcp-ao".into(),
        30 => "mptcp".into(),
        34 => "tfo".into(),
        254 => "exp".into(),
        _ => format!("unknown-{opt}"),
    }
}

/// How the options loop ends early: tcpdump's `goto trunc` and `goto bad`.
enum Stop {
    Trunc,
    Bad,
    Jump,
}

impl From<Trunc> for Stop {
    fn from(_: Trunc) -> Stop {
        Stop::Jump
    }
}

/// A character of RST data: `M-` for the high bit, `^` for control characters.
fn print_char(out: &mut String, mut c: u8) {
    if !c.is_ascii() {
        c &= 0x7f;
        out.push_str("M-");
    }
    if !(0x20..0x7f).contains(&c) {
        c ^= 0x40;
        out.push('^');
    }
    out.push(c as char);
}

pub(crate) fn tcp_print(nd: &mut Nd, bp: usize, length: usize, iph: usize, fragmented: bool) -> R {
    nd.protocol = "tcp";
    let v6 = nd.u8(iph)? >> 4 == 6;
    let (src, dst) = if v6 {
        (iph + 8, iph + 24)
    } else {
        (iph + 12, iph + 16)
    };
    let addr = |nd: &Nd, at: usize| if v6 { nd.ip6addr(at) } else { nd.ipaddr(at) };
    if !nd.ttest(bp + 2, 2) {
        let s = addr(nd, src)?;
        let d = addr(nd, dst)?;
        nd.pf(format_args!("{s} > {d}:"));
        nd.print_trunc();
        return Ok(());
    }
    let sport = nd.be16(bp)?;
    let dport = nd.be16(bp + 2)?;
    let nxt = if v6 { nd.u8(iph + 6)? } else { nd.u8(iph + 9)? };
    if nxt == ip::IPPROTO_TCP {
        let s = addr(nd, src)?;
        let d = addr(nd, dst)?;
        let (sp, dp) = (nd.tcpport(sport), nd.tcpport(dport));
        nd.pf(format_args!("{s}.{sp} > {d}.{dp}: "));
    } else {
        let (sp, dp) = (nd.tcpport(sport), nd.tcpport(dport));
        nd.pf(format_args!("{sp} > {dp}: "));
    }
    if !nd.ttest(bp, 20) {
        nd.print_trunc();
        return Ok(());
    }
    let mut hlen = usize::from(nd.u8(bp + 12)? >> 4) * 4;
    if hlen < 20 {
        nd.pf(format_args!(
            " tcp {} [bad hdr length {hlen} - too short, < 20]",
            length.wrapping_sub(hlen) as u32
        ));
        return Ok(());
    }
    let mut seq = nd.be32(bp + 4)?;
    let mut ack = nd.be32(bp + 8)?;
    let win = nd.be16(bp + 14)?;
    let urp = nd.be16(bp + 18)?;
    if nd.o.quiet {
        nd.pf(format_args!("tcp {}", length.wrapping_sub(hlen) as u32));
        if hlen > length {
            nd.pf(format_args!(
                " [bad hdr length {hlen} - too long, > {length}]"
            ));
        }
        return Ok(());
    }
    let flags = nd.u8(bp + 13)?;
    nd.pf(format_args!("Flags [{}]", flags_string(flags)));
    let (mut thseq, mut thack, mut rev) = (0u32, 0u32, false);
    if !nd.o.absolute_tcp_seq && flags & TH_ACK != 0 {
        // One table entry serves both directions: the key is ordered by port (then
        // address), and the entry remembers the first seq/ack seen with ACK set. tcpdump
        // prints that first packet's numbers as they are.
        let (sa, da) = if v6 {
            let mut a = [0u8; 16];
            a.copy_from_slice(nd.bytes(src, 16)?);
            let mut b = [0u8; 16];
            b.copy_from_slice(nd.bytes(dst, 16)?);
            (IpAddr::V6(Ipv6Addr::from(a)), IpAddr::V6(Ipv6Addr::from(b)))
        } else {
            let a = nd.bytes(src, 4)?;
            let b = nd.bytes(dst, 4)?;
            (
                IpAddr::V4(Ipv4Addr::new(a[0], a[1], a[2], a[3])),
                IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3])),
            )
        };
        rev = sport > dport || (sport == dport && octets(&sa) > octets(&da));
        let key = if rev {
            TcpConv {
                src: da,
                dst: sa,
                port: u32::from(dport) << 16 | u32::from(sport),
            }
        } else {
            TcpConv {
                src: sa,
                dst: da,
                port: u32::from(sport) << 16 | u32::from(dport),
            }
        };
        match nd.state.tcp.get(&key) {
            Some(&(s, a)) if flags & TH_SYN == 0 => {
                if rev {
                    seq = seq.wrapping_sub(a);
                    ack = ack.wrapping_sub(s);
                } else {
                    seq = seq.wrapping_sub(s);
                    ack = ack.wrapping_sub(a);
                }
                thseq = s;
                thack = a;
            }
            _ => {
                let entry = if rev {
                    (ack.wrapping_sub(1), seq)
                } else {
                    (seq, ack.wrapping_sub(1))
                };
                nd.state.tcp.insert(key, entry);
                thseq = entry.0;
                thack = entry.1;
            }
        }
    }
    if hlen > length {
        nd.pf(format_args!(
            " [bad hdr length {hlen} - too long, > {length}]"
        ));
        return Ok(());
    }
    if nd.o.verbose > 0 && !fragmented && nd.ttest(bp, length) {
        let acc = if v6 {
            pseudo6(nd, iph, ip::IPPROTO_TCP, length)?
        } else {
            pseudo4(nd, iph, ip::IPPROTO_TCP, length)?
        };
        let sum = in_cksum(nd.bytes(bp, length)?, acc);
        let tcp_sum = nd.be16(bp + 16)?;
        nd.pf(format_args!(", cksum 0x{tcp_sum:04x}"));
        if sum != 0 {
            nd.pf(format_args!(
                " (incorrect -> 0x{:04x})",
                in_cksum_shouldbe(tcp_sum, sum)
            ));
        } else {
            nd.p(" (correct)");
        }
    }
    let length = length - hlen;
    if nd.o.verbose > 1 || length > 0 || flags & (TH_SYN | TH_FIN | TH_RST) != 0 {
        nd.pf(format_args!(", seq {seq}"));
        if length > 0 {
            nd.pf(format_args!(":{}", seq.wrapping_add(length as u32)));
        }
    }
    if flags & TH_ACK != 0 {
        nd.pf(format_args!(", ack {ack}"));
    }
    nd.pf(format_args!(", win {win}"));
    if flags & TH_URG != 0 {
        nd.pf(format_args!(", urg {urp}"));
    }
    let mut ch = false;
    if hlen > 20 {
        hlen -= 20;
        nd.p(", options [");
        match options(nd, bp + 20, hlen, rev, thseq, thack, &mut ch) {
            Ok(()) => nd.p("]"),
            Err(Stop::Jump) => return Err(Trunc),
            Err(Stop::Bad) => {
                nd.p("[bad opt]");
                if ch {
                    nd.p("]");
                }
                return Ok(());
            }
            Err(Stop::Trunc) => {
                nd.print_trunc();
                if ch {
                    nd.p(">");
                }
                return Ok(());
            }
        }
    }
    nd.pf(format_args!(", length {length}"));
    if length == 0 {
        return Ok(());
    }
    let header_len = usize::from(nd.u8(bp + 12)? >> 4) * 4;
    if !nd.ttest(bp, header_len) {
        nd.pf(format_args!(
            " [remaining caplen({}) < header length({header_len})]",
            nd.avail(bp)
        ));
        return Err(Trunc);
    }
    let bp = bp + header_len;
    if flags & TH_RST != 0 && nd.o.verbose > 0 {
        let mut s = String::from(if nd.ttest(bp, length) {
            " [RST"
        } else {
            " [!RST"
        });
        let mut n = length;
        if n > MAX_RST_DATA_LEN {
            n = MAX_RST_DATA_LEN;
            s.push('+');
        }
        s.push(' ');
        for &c in nd.rest(bp).iter().take(n) {
            print_char(&mut s, c);
        }
        s.push(']');
        nd.p(&s);
        return Ok(());
    }
    let port = |p: u16| sport == p || dport == p;
    if port(22) {
        text::ssh_print(nd, bp, length)
    } else if port(80) || port(8080) {
        nd.p(": ");
        text::http_print(nd, bp, length)
    } else if port(53) {
        dns::domain_print(nd, bp, length, true, false)
    } else {
        Ok(())
    }
}

fn octets(a: &IpAddr) -> Vec<u8> {
    match a {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// The options between `[` and `]`.
fn options(
    nd: &mut Nd,
    mut cp: usize,
    mut hlen: usize,
    rev: bool,
    thseq: u32,
    thack: u32,
    ch: &mut bool,
) -> Result<(), Stop> {
    while hlen > 0 {
        if *ch {
            nd.p(",");
        }
        let opt = nd.u8(cp)?;
        cp += 1;
        let zerolen = opt == 0 || opt == 1;
        let len = if zerolen {
            1
        } else {
            let l = usize::from(nd.u8(cp)?);
            cp += 1;
            if l < 2 || l > hlen {
                return Err(Stop::Bad);
            }
            hlen -= 1;
            l
        };
        hlen -= 1;
        let lencheck = |nd: &Nd, l: usize, hlen: usize| -> Result<(), Stop> {
            if l > hlen {
                return Err(Stop::Bad);
            }
            if !nd.ttest(cp, l) {
                return Err(Stop::Trunc);
            }
            Ok(())
        };
        nd.p(&option_name(opt));
        let mut datalen = 0;
        match opt {
            2 => {
                datalen = 2;
                lencheck(nd, datalen, hlen)?;
                let v = nd.be16(cp)?;
                nd.pf(format_args!(" {v}"));
            }
            3 => {
                datalen = 1;
                lencheck(nd, datalen, hlen)?;
                let v = nd.u8(cp)?;
                nd.pf(format_args!(" {v}"));
            }
            5 => {
                datalen = len - 2;
                if datalen % 8 != 0 {
                    nd.p(" invalid sack");
                } else {
                    nd.pf(format_args!(" {} ", datalen / 8));
                    let mut i = 0;
                    while i < datalen {
                        lencheck(nd, i + 4, hlen)?;
                        let mut s = nd.be32(cp + i)?;
                        lencheck(nd, i + 8, hlen)?;
                        let mut e = nd.be32(cp + i + 4)?;
                        if rev {
                            s = s.wrapping_sub(thseq);
                            e = e.wrapping_sub(thseq);
                        } else {
                            s = s.wrapping_sub(thack);
                            e = e.wrapping_sub(thack);
                        }
                        nd.pf(format_args!("{{{s}:{e}}}"));
                        i += 8;
                    }
                }
            }
            11 | 12 | 13 | 6 | 7 => {
                datalen = 4;
                lencheck(nd, datalen, hlen)?;
                let v = nd.be32(cp)?;
                nd.pf(format_args!(" {v}"));
            }
            8 => {
                datalen = 8;
                lencheck(nd, datalen, hlen)?;
                let a = nd.be32(cp)?;
                let b = nd.be32(cp + 4)?;
                nd.pf(format_args!(" val {a} ecr {b}"));
            }
            19 => {
                datalen = 16;
                lencheck(nd, datalen, hlen)?;
                nd.p(" shared secret not supplied with -M, can't check - ");
                for i in 0..16 {
                    let b = nd.u8(cp + i)?;
                    nd.pf(format_args!("{b:02x}"));
                }
            }
            20 => {
                datalen = 2;
                lencheck(nd, datalen, hlen)?;
                let a = nd.u8(cp)?;
                let b = nd.u8(cp + 1)?;
                nd.pf(format_args!(" cap {a:02x} id {b}"));
            }
            29 => {
                datalen = len - 2;
                if datalen < 2 {
                    nd.print_invalid();
                } else {
                    lencheck(nd, 1, hlen)?;
                    let k = nd.u8(cp)?;
                    nd.pf(format_args!(" keyid {k}"));
                    lencheck(nd, 2, hlen)?;
                    let k = nd.u8(cp + 1)?;
                    nd.pf(format_args!(" rnextkeyid {k}"));
                    if datalen > 2 {
                        nd.p(" mac 0x");
                        for i in 2..datalen {
                            lencheck(nd, i + 1, hlen)?;
                            let b = nd.u8(cp + i)?;
                            nd.pf(format_args!("{b:02x}"));
                        }
                    }
                }
            }
            0 | 1 | 4 => {}
            28 => {
                datalen = 2;
                lencheck(nd, datalen, hlen)?;
                let mut uto = u32::from(nd.be16(cp)?);
                nd.pf(format_args!(" 0x{uto:x}"));
                if uto & 1 != 0 {
                    uto = (uto >> 1) * 60;
                } else {
                    uto >>= 1;
                }
                nd.pf(format_args!(" {uto}"));
            }
            34 => {
                datalen = len - 2;
                lencheck(nd, datalen, hlen)?;
                nd.p(" ");
                fastopen(nd, cp, datalen, false)?;
            }
            254 => {
                datalen = len - 2;
                lencheck(nd, datalen, hlen)?;
                if datalen < 2 {
                    return Err(Stop::Bad);
                }
                let magic = nd.be16(cp)?;
                nd.p("-");
                if magic == 0xf989 {
                    fastopen(nd, cp + 2, datalen - 2, true)?;
                } else {
                    nd.pf(format_args!("{magic:04x}"));
                }
            }
            _ => {
                // Others, MPTCP among them, as hex.
                datalen = len - 2;
                if datalen > 0 {
                    nd.p(" 0x");
                }
                for i in 0..datalen {
                    lencheck(nd, i + 1, hlen)?;
                    let b = nd.u8(cp + i)?;
                    nd.pf(format_args!("{b:02x}"));
                }
            }
        }
        cp += datalen;
        hlen -= datalen;
        let mut total = datalen + 1;
        if !zerolen {
            total += 1;
        }
        if total != len {
            nd.pf(format_args!("[len {len}]"));
        }
        *ch = true;
        if opt == 0 {
            break;
        }
    }
    Ok(())
}

fn fastopen(nd: &mut Nd, cp: usize, datalen: usize, exp: bool) -> R {
    if exp {
        nd.p("tfo");
    }
    if datalen == 0 {
        nd.p(" cookiereq");
    } else if !datalen.is_multiple_of(2) || !(4..=16).contains(&datalen) {
        nd.print_invalid();
    } else {
        nd.p(" cookie ");
        for i in 0..datalen {
            let b = nd.u8(cp + i)?;
            nd.pf(format_args!("{b:02x}"));
        }
    }
    Ok(())
}
